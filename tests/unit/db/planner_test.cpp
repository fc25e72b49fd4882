// SPDX-License-Identifier: Apache-2.0
// The planner's physical choices on data large enough to trigger them
// (sorted runs, sampled fan-out, hash joins, value-range scans): each query
// must give the same multiset of rows as the naive plan (ExecOptions::naive,
// the algebra evaluated as written), and --explain must show the choice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "engine/db/database.h"

using namespace weft;

namespace {

class Rows : public sparql::ResultWriter {
 public:
  Status begin(const std::vector<std::string>&) override { return Status::ok(); }
  Status row(std::span<const rdf::Term> values) override {
    std::string r;
    for (const auto& t : values) r += (t.isNone() ? std::string("UNDEF") : rdf::toNTriples(t.view())) + " ";
    rows.insert(r);
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool b) override {
    rows.insert(b ? "true" : "false");
    return Status::ok();
  }
  std::multiset<std::string> rows;
};

std::multiset<std::string> run(const store::Store& st, const std::string& q, bool naive,
                               std::string* explain = nullptr) {
  Rows rows;
  sparql::QueryOutput out;
  out.results = &rows;
  out.explain = explain;
  db::QueryRequest req;
  req.text = "PREFIX : <http://e/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> " + q;
  req.exec.naive = naive;
  Status s = db::runQuery(st, req, out);
  EXPECT_TRUE(s.isOk()) << s.toString() << " for " << q;
  return rows.rows;
}

// 3000 events with a time (half with a timezone, some without, one with an
// ill-typed lexical form), a quantity (integers, decimals, doubles), a site
// and a lot; lots have a product. Enough quads that the store builds sorted
// runs (its delta is merged at 200k changes, so force it low).
std::unique_ptr<store::Store> makeStore() {
  store::Store::setMinCompactionForTesting(100);
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  EXPECT_TRUE(txn.isOk());
  auto& t = *txn.value();
  auto iri = [](const std::string& s) { return rdf::Term::iri("http://e/" + s); };
  auto add = [&](const rdf::Term& s, const std::string& p, const rdf::Term& o) {
    rdf::Quad q;
    q.s = s;
    q.p = iri(p);
    q.o = o;
    EXPECT_TRUE(t.add(q.view()).isOk());
  };
  const std::string xsd = "http://www.w3.org/2001/XMLSchema#";
  for (int i = 0; i < 3000; ++i) {
    rdf::Term e = iri("ev" + std::to_string(i));
    char buf[64];
    int day = 1 + i % 28, hour = i % 24, minute = (i * 7) % 60;
    if (i % 3 == 0)
      std::snprintf(buf, sizeof buf, "2024-02-%02dT%02d:%02d:00Z", day, hour, minute);
    else if (i % 3 == 1)
      std::snprintf(buf, sizeof buf, "2024-02-%02dT%02d:%02d:00+05:00", day, hour, minute);
    else
      std::snprintf(buf, sizeof buf, "2024-02-%02dT%02d:%02d:00", day, hour, minute);
    add(e, "time", rdf::Term::literal(i == 17 ? "not a date" : buf, xsd + "dateTime"));
    if (i % 4 == 0)
      add(e, "qty", rdf::Term::literal(std::to_string(i % 500), xsd + "integer"));
    else if (i % 4 == 1)
      add(e, "qty", rdf::Term::literal(std::to_string(i % 500) + ".5", xsd + "decimal"));
    else if (i % 4 == 2)
      add(e, "qty", rdf::Term::literal(std::to_string(i % 500) + "E0", xsd + "double"));
    else
      add(e, "qty", rdf::Term::literal("lots"));
    add(e, "site", iri("site" + std::to_string(i % 7)));
    add(e, "kind", iri(i % 5 == 0 ? "Receiving" : "Shipping"));
    // Only numbers (integers, decimals, doubles), with many ties.
    add(e, "score", i % 3 == 0 ? rdf::Term::literal(std::to_string(i % 50), xsd + "integer")
                    : i % 3 == 1 ? rdf::Term::literal(std::to_string(i % 50) + ".0", xsd + "decimal")
                                 : rdf::Term::literal(std::to_string(i % 50) + "E0", xsd + "double"));
    add(e, "lot", iri("lot" + std::to_string(i % 300)));
  }
  for (int l = 0; l < 300; ++l) add(iri("lot" + std::to_string(l)), "product", iri("prod" + std::to_string(l % 11)));
  EXPECT_TRUE(t.commit().isOk());
  store::Store::setMinCompactionForTesting(200000);
  return st;
}

// Runs each query planned and naively: the answers must be the same
// non-empty multiset, and at least one plan must show `marker` in --explain.
// WEFT_SHOW_PLANS=1 prints every plan.
void expectAgreeWithNaive(const store::Store& st, std::initializer_list<const char*> queries,
                          const std::string& marker) {
  bool seen = false;
  for (const char* q : queries) {
    std::string explain;
    auto planned = run(st, q, false, &explain);
    auto naive = run(st, q, true);
    EXPECT_EQ(planned, naive) << q << "\n" << explain;
    EXPECT_FALSE(naive.empty()) << q;
    if (std::getenv("WEFT_SHOW_PLANS")) std::printf("%s\n%s\n", q, explain.c_str());
    if (explain.find(marker) != std::string::npos) seen = true;
  }
  EXPECT_TRUE(seen) << "no query's plan shows " << marker;
}

TEST(Planner, ValueRangeScansAgreeWithNaive) {
  auto st = makeStore();
  expectAgreeWithNaive(*st, {
      "SELECT ?e ?t WHERE { ?e :time ?t FILTER(?t >= \"2024-02-03T00:00:00Z\"^^xsd:dateTime && "
      "?t < \"2024-02-04T00:00:00Z\"^^xsd:dateTime) }",
      // A constant without a timezone: comparable only far enough away.
      "SELECT ?e ?t WHERE { ?e :time ?t FILTER(?t > \"2024-02-27T12:00:00\"^^xsd:dateTime) }",
      "SELECT ?e ?q WHERE { ?e :qty ?q FILTER(?q > 495) }",
      "SELECT ?e ?q WHERE { ?e :qty ?q FILTER(480.5 <= ?q && ?q < 4.85e2) }",
      "SELECT ?e ?q WHERE { ?e :qty ?q FILTER(?q = 9.5) }",
      "SELECT ?e ?q ?s WHERE { ?e :qty ?q ; :site ?s FILTER(?q >= 490 && ?s = :site3) }",
      "SELECT ?s (COUNT(*) AS ?n) WHERE { ?e :time ?t ; :site ?s "
      "FILTER(?t < \"2024-02-02T06:00:00+05:00\"^^xsd:dateTime) } GROUP BY ?s",
  }, "RangeScan");
}

TEST(Planner, HashJoinsAgreeWithNaive) {
  auto st = makeStore();
  expectAgreeWithNaive(*st, {
      "SELECT ?e ?l ?p WHERE { ?e :lot ?l . ?l :product ?p . ?e :site :site2 }",
      "SELECT ?p (COUNT(?e) AS ?n) WHERE { ?e :lot ?l ; :site ?s . ?l :product ?p } GROUP BY ?p",
      "SELECT ?e ?q WHERE { ?e :site ?s . OPTIONAL { ?e :qty ?q FILTER(isNumeric(?q)) } ?e :lot :lot5 }",
      "SELECT ?e WHERE { ?e :site ?s . FILTER NOT EXISTS { ?e :qty \"lots\" } ?e :lot ?l . ?l :product :prod3 }",
      // EXISTS over triples evaluated once as a set (semi-join), with blank nodes.
      "SELECT ?e WHERE { ?e :lot ?l . FILTER EXISTS { ?l :product [] } FILTER NOT EXISTS { ?e :kind :Receiving } }",
      "SELECT ?l (COUNT(?e) AS ?n) WHERE { ?e :lot ?l FILTER NOT EXISTS { ?e :score 7 } } GROUP BY ?l",
      // Two keys (a lookup join takes one).
      "SELECT ?e ?e2 WHERE { ?e :lot ?l ; :site ?s . ?e2 :lot ?l ; :site ?s ; :kind ?k }",
  }, "HashJoin");
}

// Lookup joins through the store's pair lists: keys in subject order (the
// first scan by subject), keys out of order (by object, through a lot's
// product), both ends bound, a key bound by the group's input row (OPTIONAL,
// sub-select), and a predicate with several objects per subject.
TEST(Planner, LookupJoinsAgreeWithNaive) {
  auto st = makeStore();
  expectAgreeWithNaive(*st, {
      "SELECT ?e ?l ?p ?s WHERE { ?e :lot ?l ; :site ?s . ?l :product ?p }",
      "SELECT ?e ?t ?q ?s WHERE { ?e :time ?t ; :qty ?q ; :site ?s ; :score ?x }",
      "SELECT ?p (COUNT(*) AS ?n) WHERE { ?e :lot ?l ; :site ?s ; :kind ?k . ?l :product ?p "
      "FILTER(?k = :Receiving) } GROUP BY ?p",
      "SELECT ?e ?e2 WHERE { ?e :lot ?l ; :site ?s . ?e2 :lot ?l ; :site ?s ; :kind ?k }",
      "SELECT ?l ?e ?p WHERE { ?l :product ?p . ?e :lot ?l ; :site ?s ; :score ?x }",
      "SELECT ?e ?p ?q WHERE { ?e :lot ?l ; :site ?s . ?l :product ?p OPTIONAL { ?e :qty ?q ; :score ?x } }",
      "SELECT ?e ?n WHERE { ?e :lot ?l ; :site ?s ; :kind ?k . "
      "{ SELECT ?l (COUNT(?p) AS ?n) WHERE { ?l :product ?p } GROUP BY ?l } }",
  }, "LookupJoin");
}

TEST(Planner, PairListsFollowTheSnapshot) {
  auto st = makeStore();
  auto snap = st->snapshot();
  auto lot = snap->lookup(rdf::Term::iri("http://e/lot").view());
  auto by_s = snap->predicatePairs(lot, store::kDefaultGraph, false);
  auto by_o = snap->predicatePairs(lot, store::kDefaultGraph, true);
  ASSERT_TRUE(by_s && by_o);
  EXPECT_EQ(by_s->size(), 3000u);
  EXPECT_TRUE(std::is_sorted(by_s->pairs().begin(), by_s->pairs().end()));
  EXPECT_TRUE(std::is_sorted(by_o->pairs().begin(), by_o->pairs().end()));
  auto lot5 = snap->lookup(rdf::Term::iri("http://e/lot5").view());
  auto [a, b] = by_o->range(lot5);
  EXPECT_EQ(b - a, 10u);  // events 5, 305, ..., 2705
  EXPECT_EQ(by_o->range(lot5 + 1000000).second, 0u);
  // A later commit: a new snapshot sees it, the old one keeps its list.
  auto txn = st->begin();
  ASSERT_TRUE(txn.isOk());
  rdf::Quad q;
  q.s = rdf::Term::iri("http://e/evNew");
  q.p = rdf::Term::iri("http://e/lot");
  q.o = rdf::Term::iri("http://e/lot5");
  ASSERT_TRUE(txn.value()->add(q.view()).isOk());
  ASSERT_TRUE(txn.value()->commit().isOk());
  auto now = st->snapshot()->predicatePairs(lot, store::kDefaultGraph, true);
  auto [c, d] = now->range(lot5);
  EXPECT_EQ(d - c, 11u);
  EXPECT_EQ(snap->predicatePairs(lot, store::kDefaultGraph, true)->size(), 3000u);
}

TEST(Planner, MergeJoinsAgreeWithNaive) {
  auto st = makeStore();
  expectAgreeWithNaive(*st, {
      "SELECT ?e WHERE { ?e :kind :Shipping . ?e :site :site3 }",
      "SELECT ?e ?l WHERE { ?e :kind :Receiving . ?e :site :site2 . ?e :lot ?l }",
      "SELECT (COUNT(*) AS ?n) WHERE { ?e :site :site1 . ?e :kind :Shipping }",
  }, "MergeJoin");
}

TEST(Planner, OrderedTopKScansAgreeWithNaive) {
  auto st = makeStore();
  expectAgreeWithNaive(*st, {
      "SELECT ?e ?s WHERE { ?e :score ?s ; :site :site2 } ORDER BY DESC(?s) ?e LIMIT 7",
      "SELECT ?e ?s WHERE { ?e :score ?s ; :kind :Receiving } ORDER BY ?s DESC(?e) LIMIT 13 OFFSET 5",
      "SELECT ?s ?e WHERE { ?e :score ?s . ?e :lot ?l . ?l :product :prod4 } ORDER BY DESC(?s) ?e LIMIT 30",
      // Not applicable: :qty has string objects; OPTIONAL in the group.
      "SELECT ?e ?q WHERE { ?e :qty ?q } ORDER BY DESC(?q) ?e LIMIT 5",
      "SELECT ?e ?s WHERE { ?e :site :site1 OPTIONAL { ?e :score ?s } } ORDER BY ?s ?e LIMIT 5",
  }, "input in key order");
}

TEST(Planner, StatisticsComeFromSortedRuns) {
  auto st = makeStore();
  auto snap = st->snapshot();
  rdf::Term lot = rdf::Term::iri("http://e/lot");
  store::QuadIds pat{store::kAny, snap->lookup(lot.view()), store::kAny, store::kDefaultGraph};
  ASSERT_NE(pat.p, store::kAny);
  EXPECT_EQ(snap->count(pat), 3000u);
  // Every event has one lot: one match per subject; each lot has ten events.
  EXPECT_DOUBLE_EQ(snap->averageMatches(pat, 0), 1.0);
  EXPECT_DOUBLE_EQ(snap->averageMatches(pat, 2), 10.0);
}

}  // namespace
