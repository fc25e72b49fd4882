// SPDX-License-Identifier: Apache-2.0
// The representative choice (GS1 Digital Link IRIs first) and the merged view
// of a reasoned store (engine/db/merged_view.h) that `weft query --union` uses.
#include "engine/db/merged_view.h"

#include <gtest/gtest.h>

#include <set>
#include <span>
#include <string>

#include "engine/reason/reasoner.h"
#include "engine/sparql/parser.h"
#include "tests/unit/reason/reason_test_util.h"

using namespace weft;
using namespace weft::reason::testing;

namespace {

// A lot seen by a manufacturer (its own IRI) and a distributor (GS1 Digital
// Link), one by owl:hasKey.
constexpr std::string_view kLots = R"(
  <http://e/g/schema> { :Lot owl:hasKey ( :gtin :lot ) . }
  <http://e/g/mes> { <https://data.a.example/lot/L1> a :Lot ; :gtin "1" ; :lot "L1" ; :site :S1 .
                     :u2 :memberOfLot <https://data.a.example/lot/L1> . }
  <http://e/g/epcis> { <https://id.gs1.org/01/1/10/L1> a :Lot ; :gtin "1" ; :lot "L1" ; :qty 5 .
                       :u1 :memberOfLot <https://id.gs1.org/01/1/10/L1> . }
)";

class Rows : public sparql::ResultWriter {
 public:
  std::vector<std::string> vars;
  std::multiset<std::string> rows;
  Status begin(const std::vector<std::string>& v) override {
    vars = v;
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> r) override {
    std::string s;
    for (const rdf::Term& t : r) s += (s.empty() ? "" : " ") + (t.isNone() ? "-" : rdf::toNTriples(t.view()));
    rows.insert(s);
    return Status::ok();
  }
  Status boolean(bool) override { return Status::ok(); }
  Status end() override { return Status::ok(); }
};

std::multiset<std::string> select(const store::Store& st, const std::string& q, bool merged) {
  auto parsed = sparql::parseQuery(q);
  EXPECT_TRUE(parsed.isOk()) << parsed.status().toString();
  db::StoreDataset base(st.snapshot());
  auto view = db::MergedDataset::over(base);
  EXPECT_TRUE(view != nullptr);
  sparql::ExecOptions eo;
  eo.union_default_graph = true;
  Rows rows;
  sparql::QueryOutput out;
  out.results = &rows;
  const sparql::Dataset& data = merged && view ? static_cast<const sparql::Dataset&>(*view) : base;
  Status s = sparql::executeQuery(parsed.value(), data, eo, out);
  EXPECT_TRUE(s.isOk()) << s.toString();
  return rows.rows;
}

std::unique_ptr<store::Store> reasoned() {
  auto st = store::Store::openMemory();
  load(*st, parse(kLots));
  auto r = reason::materialize(*st, {});
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->same_as_classes, 1u);
  return st;
}

const std::string kGs1 = "<https://id.gs1.org/01/1/10/L1>";
const std::string kOwn = "<https://data.a.example/lot/L1>";

TEST(MergedView, TheGs1DigitalLinkIsTheRepresentative) {
  auto st = reasoned();
  Graph inferred = graphOf(*st, std::string(reason::kInferredGraph));
  // The manufacturer's IRI sorts first, but the shared GS1 identifier wins.
  EXPECT_TRUE(inferred.count({kOwn, "<https://w3id.org/weft/dt#representative>", kGs1}));
  EXPECT_TRUE(inferred.count({kGs1, "<http://e/site>", "<http://e/S1>"}));
  EXPECT_FALSE(inferred.count({kOwn, "<http://e/qty>", "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>"}));
}

TEST(MergedView, OneRowPerMergedNode) {
  auto st = reasoned();
  const std::string q = "SELECT ?u ?l WHERE { ?u <http://e/memberOfLot> ?l }";
  EXPECT_EQ(select(*st, q, true),
            (std::multiset<std::string>{"<http://e/u1> " + kGs1, "<http://e/u2> " + kGs1}));
  // Without the view the alias's record and the representative's copy both show.
  EXPECT_EQ(select(*st, q, false).size(), 3u);
}

TEST(MergedView, AnAliasConstantMeansTheRepresentative) {
  auto st = reasoned();
  auto rows = select(*st, "SELECT ?q ?s WHERE { " + kOwn + " <http://e/qty> ?q ; <http://e/site> ?s }", true);
  EXPECT_EQ(rows, (std::multiset<std::string>{
                      "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e/S1>"}));
}

TEST(MergedView, SourceIdentifiersStayVisible) {
  auto st = reasoned();
  auto links = select(*st,
                      "SELECT ?alias WHERE { " + kGs1 + " <http://www.w3.org/2002/07/owl#sameAs> ?alias }",
                      true);
  EXPECT_EQ(links, (std::multiset<std::string>{kOwn}));
}

TEST(MergedView, ANamedGraphIsShownAsWritten) {
  auto st = reasoned();
  auto rows = select(*st, "SELECT ?l WHERE { GRAPH <http://e/g/mes> { <http://e/u2> <http://e/memberOfLot> ?l } }",
                     true);
  // A named graph is read as written: the alias in its rows is not hidden.
  EXPECT_EQ(rows, (std::multiset<std::string>{kOwn}));
}

}  // namespace
