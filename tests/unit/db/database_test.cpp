// SPDX-License-Identifier: Apache-2.0
// engine/db entry points: runQuery over a store snapshot and runUpdate as one
// transaction (SPARQL 1.1 Update section 3: a request applies atomically, and
// each operation sees the effects of the earlier ones).
#include <gtest/gtest.h>

#include <set>

#include "engine/db/database.h"
#include "engine/db/overlay.h"

using namespace weft;

namespace {

class Rows : public sparql::ResultWriter {
 public:
  Status begin(const std::vector<std::string>& v) override {
    vars = v;
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> values) override {
    std::string r;
    for (const auto& t : values) r += (t.isNone() ? std::string("UNDEF") : rdf::toNTriples(t.view())) + " ";
    rows.insert(r);
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool b) override {
    value = b;
    return Status::ok();
  }
  std::vector<std::string> vars;
  std::multiset<std::string> rows;
  bool value = false;
};

std::multiset<std::string> select(const store::Store& st, const std::string& q) {
  Rows rows;
  sparql::QueryOutput out;
  out.results = &rows;
  db::QueryRequest req;
  req.text = q;
  Status s = db::runQuery(st, req, out);
  EXPECT_TRUE(s.isOk()) << s.toString() << " for " << q;
  return rows.rows;
}

Status update(store::Store& st, const std::string& u, sparql::UpdateStats* eff = nullptr) {
  db::QueryRequest req;
  req.text = u;
  return db::runUpdateCounted(st, req, nullptr, eff);
}

TEST(Database, UpdateThenQuery) {
  auto st = store::Store::openMemory();
  sparql::UpdateStats eff;
  ASSERT_TRUE(update(*st, "INSERT DATA { <http://e/a> <http://e/p> 1 . GRAPH <http://e/g> { <http://e/a> <http://e/p> 2 } }",
                     &eff).isOk());
  EXPECT_EQ(eff.inserted, 2u);
  EXPECT_EQ(st->snapshot()->size(), 2u);
  EXPECT_EQ(select(*st, "SELECT ?o WHERE { <http://e/a> <http://e/p> ?o }"),
            (std::multiset<std::string>{"\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> "}));
  EXPECT_EQ(select(*st, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"), (std::multiset<std::string>{"<http://e/g> "}));
}

TEST(Database, LaterOperationsSeeEarlierOnes) {
  auto st = store::Store::openMemory();
  ASSERT_TRUE(update(*st,
                     "INSERT DATA { <http://e/a> <http://e/p> 1 } ;"
                     "INSERT { ?s <http://e/q> 2 } WHERE { ?s <http://e/p> 1 } ;"
                     "DELETE DATA { <http://e/a> <http://e/p> 1 }")
                  .isOk());
  EXPECT_EQ(select(*st, "SELECT ?p WHERE { <http://e/a> ?p ?o }"), (std::multiset<std::string>{"<http://e/q> "}));
}

TEST(Database, FailedRequestChangesNothing) {
  auto st = store::Store::openMemory();
  ASSERT_TRUE(update(*st, "INSERT DATA { <http://e/a> <http://e/p> 1 }").isOk());
  // A syntax error: nothing runs.
  EXPECT_FALSE(update(*st, "INSERT DATA { <http://e/b> <http://e/p> 1 } ; DELETE WHERE { ?x").isOk());
  // An error in the second operation: the first is undone too.
  Status s = update(*st, "DELETE DATA { <http://e/a> <http://e/p> 1 } ; LOAD <http://e/remote.ttl>");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.toString();
  EXPECT_EQ(select(*st, "SELECT ?s WHERE { ?s ?p ?o }"), (std::multiset<std::string>{"<http://e/a> "}));
}

TEST(Database, DeleteWhereAndBlankNodes) {
  auto st = store::Store::openMemory();
  ASSERT_TRUE(update(*st, "INSERT DATA { _:x <http://e/p> 1 . _:x <http://e/q> 2 }").isOk());
  EXPECT_EQ(select(*st, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }").size(), 1u);
  // The same label in another request is another node.
  ASSERT_TRUE(update(*st, "INSERT DATA { _:x <http://e/p> 3 }").isOk());
  EXPECT_EQ(select(*st, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }").size(), 2u);
  sparql::UpdateStats eff;
  ASSERT_TRUE(update(*st, "DELETE WHERE { ?s <http://e/p> ?o }", &eff).isOk());
  EXPECT_EQ(eff.deleted, 2u);
  EXPECT_EQ(st->snapshot()->size(), 1u);
}

TEST(Database, QuerySyntaxErrorIsReported) {
  auto st = store::Store::openMemory();
  Rows rows;
  sparql::QueryOutput out;
  out.results = &rows;
  db::QueryRequest req;
  req.text = "SELECT ?x WHERE { ?x";
  Status s = db::runQuery(*st, req, out);
  EXPECT_EQ(s.code(), StatusCode::kSyntaxError);
  EXPECT_EQ(s.message().rfind("1:", 0), 0u) << s.message();
}

}  // namespace

// ExecOptions::union_default_graph: without FROM, the default graph is the
// RDF merge of the default graph and every named graph (a triple in several
// graphs counts once); GRAPH still names each graph; FROM still wins.
std::multiset<std::string> selectUnion(const store::Store& st, const std::string& q) {
  Rows rows;
  sparql::QueryOutput out;
  out.results = &rows;
  db::QueryRequest req;
  req.text = q;
  req.exec.union_default_graph = true;
  Status s = db::runQuery(st, req, out);
  EXPECT_TRUE(s.isOk()) << s.toString() << " for " << q;
  return rows.rows;
}

TEST(Database, UnionDefaultGraph) {
  auto st = store::Store::openMemory();
  ASSERT_TRUE(update(*st,
                     "INSERT DATA { <http://e/a> <http://e/p> 1 . "
                     "GRAPH <http://e/g1> { <http://e/a> <http://e/p> 1 . <http://e/a> <http://e/q> <http://e/b> } "
                     "GRAPH <http://e/g2> { <http://e/a> <http://e/p> 1 . <http://e/b> <http://e/q> <http://e/c> } }")
                  .isOk());
  // The store's own default graph: one triple.
  EXPECT_EQ(select(*st, "SELECT ?s ?o WHERE { ?s ?p ?o }").size(), 1u);
  // The union: three distinct triples (a p 1 is in three graphs, counted once).
  auto all = selectUnion(*st, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }");
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(selectUnion(*st, "SELECT ?o WHERE { <http://e/a> <http://e/p> ?o }"),
            (std::multiset<std::string>{"\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> "}));
  // A join across graphs, and a path across graphs.
  EXPECT_EQ(selectUnion(*st, "SELECT ?c WHERE { <http://e/a> <http://e/q> ?b . ?b <http://e/q> ?c }"),
            (std::multiset<std::string>{"<http://e/c> "}));
  EXPECT_EQ(selectUnion(*st, "SELECT ?c WHERE { <http://e/a> <http://e/q>+ ?c }").size(), 2u);
  // GRAPH ?g still sees the named graphs one by one.
  EXPECT_EQ(selectUnion(*st, "SELECT ?g WHERE { GRAPH ?g { <http://e/a> <http://e/p> 1 } }").size(), 2u);
  // FROM replaces the union.
  EXPECT_EQ(selectUnion(*st, "SELECT ?s ?p ?o FROM <http://e/g2> WHERE { ?s ?p ?o }").size(), 2u);
}

// FROM NAMED defines the query's named graphs (SPARQL 1.1 section 13.2): an
// IRI the store holds no graph for, or has never seen, is an empty graph of
// the dataset, so the answer never depends on whether the store knows it.
TEST(Database, FromNamedGraphsTheStoreDoesNotHold) {
  auto st = store::Store::openMemory();
  ASSERT_TRUE(update(*st, "INSERT DATA { GRAPH <http://e/g1> { <http://e/a> <http://e/p> <http://e/b> } "
                          "<http://e/known> <http://e/p> <http://e/b> }")
                  .isOk());
  // A zero-length path binds ?o to the constant in every named graph, empty or not.
  const std::string q = "SELECT ?g ?o FROM NAMED <http://e/g1> FROM NAMED <http://e/known> "
                        "FROM NAMED <http://e/never-seen> FROM NAMED <http://e/g1> "
                        "WHERE { GRAPH ?g { <http://e/a> <http://e/p>? ?o } }";
  EXPECT_EQ(select(*st, q), (std::multiset<std::string>{
                                "<http://e/g1> <http://e/a> ", "<http://e/g1> <http://e/b> ",
                                "<http://e/known> <http://e/a> ", "<http://e/never-seen> <http://e/a> "}));
  EXPECT_EQ(select(*st, "SELECT ?o FROM NAMED <http://e/never-seen> WHERE { GRAPH <http://e/never-seen> "
                        "{ <http://e/a> <http://e/p>? ?o } }"),
            (std::multiset<std::string>{"<http://e/a> "}));
  // Without FROM NAMED, GRAPH names only the store's graphs: not an IRI it knows as a subject.
  EXPECT_TRUE(select(*st, "SELECT ?o WHERE { GRAPH <http://e/never-seen> { <http://e/a> <http://e/p>? ?o } }").empty());
  EXPECT_EQ(select(*st, "SELECT * WHERE { GRAPH <http://e/g1> { } }").size(), 1u);
  EXPECT_TRUE(select(*st, "SELECT * WHERE { GRAPH <http://e/known> { } }").empty());
  EXPECT_TRUE(select(*st, "SELECT ?o WHERE { GRAPH <http://e/known> { <http://e/a> <http://e/p>? ?o } }").empty());
}

TEST(Database, SecondsBetweenExtension) {
  auto st = store::Store::openMemory();
  auto r = select(*st,
                  "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX wf: <https://w3id.org/weft/fn#> "
                  "SELECT ?d ?e ?f WHERE { "
                  "BIND(wf:secondsBetween(\"2025-01-01T08:30:00Z\"^^xsd:dateTime, \"2025-01-02T10:00:00.5+01:00\"^^xsd:dateTime) AS ?d) "
                  "BIND(wf:secondsBetween(\"2025-01-01T08:30:00\"^^xsd:dateTime, \"2025-01-02T10:00:00Z\"^^xsd:dateTime) AS ?e) "
                  "BIND(wf:secondsBetween(\"2025-01-01\"^^xsd:date, \"2025-01-02T10:00:00Z\"^^xsd:dateTime) AS ?f) }");
  // 24.5 h and half a second; no timezone or not a dateTime: an error (unbound).
  EXPECT_EQ(r, (std::multiset<std::string>{"\"88200.5\"^^<http://www.w3.org/2001/XMLSchema#decimal> UNDEF UNDEF "}));
}
