// SPDX-License-Identifier: Apache-2.0
// weft serve in-process: the SPARQL Protocol, the Graph Store Protocol, keys,
// roles and graph grants, limits, content negotiation.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "engine/rdf/syntax.h"
#include "engine/server/internal/http_util.h"
#include "engine/server/server.h"
#include "engine/store/store.h"

namespace weft::server {
namespace {

constexpr const char* kData = R"(
@prefix : <http://example.org/> .
:d :in "default" .
GRAPH <http://a.example/g/1> { :lot1 :qty 5 ; :next :lot2 . }
GRAPH <http://a.example/g/2> { :lot2 :qty 6 ; :next :lot3 . }
GRAPH <http://b.example/g/1> { :lot3 :qty 7 ; :secret "b-only" ; :next :lot1 . }
)";

std::string policyJson() {
  return std::string(R"({
  "organisations": {
    "a": {"read": ["http://a.example/g/*"], "write": ["http://a.example/g/*"], "graph_base": "http://a.example/g/doc/"},
    "b": {"read": ["http://b.example/*", "default"]},
    "reg": {"read": ["*", "default"]}
  },
  "keys": [
    {"name": "a-writer", "sha256": ")") + sha256Hex("key-a") + R"(", "role": "writer", "organisation": "a"},
    {"name": "a-partner", "sha256": ")" + sha256Hex("key-ap") + R"(", "role": "partner", "organisation": "a"},
    {"name": "b-partner", "sha256": ")" + sha256Hex("key-b") + R"(", "role": "partner", "organisation": "b"},
    {"name": "regulator", "sha256": ")" + sha256Hex("key-r") + R"(", "role": "regulator", "organisation": "reg"},
    {"name": "admin", "sha256": ")" + sha256Hex("key-admin") + R"(", "role": "admin", "organisation": "reg"}
  ],
  "limits": {"timeout_seconds": 1, "max_result_rows": 50, "max_body_bytes": 4096, "max_concurrent": 1,
             "max_queued": 0, "queue_wait_seconds": 0}
})";
}

class ServerTest : public ::testing::Test {
 protected:
  void start(bool with_policy = true) {
    st_ = store::Store::openMemory();
    auto txn = st_->begin();
    ASSERT_TRUE(txn.isOk());
    store::Loader loader(txn.value().get());
    loader.startDocument();
    rdf::ReadOptions ro;
    ro.format = rdf::Format::kTriG;
    ro.base_iri = "http://example.org/";
    ASSERT_TRUE(rdf::readString(kData, ro, loader).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
    ServeOptions o;
    o.port = 0;
    o.quiet = true;
    if (with_policy) {
      auto p = Policy::parse(policyJson(), "test policy");
      ASSERT_TRUE(p.isOk()) << p.status().toString();
      o.policy = std::move(p.value());
    }
    srv_ = std::make_unique<Server>(*st_, std::move(o));
    ASSERT_TRUE(srv_->bind().isOk());
    th_ = std::thread([this] { (void)srv_->run(); });
    cli_ = std::make_unique<httplib::Client>("127.0.0.1", srv_->port());
    cli_->set_read_timeout(20, 0);
  }
  void TearDown() override {
    if (srv_) srv_->stop();
    if (th_.joinable()) th_.join();
  }
  httplib::Result query(const std::string& key, const std::string& q, const std::string& accept = "text/csv") {
    httplib::Headers h{{"Accept", accept}};
    if (!key.empty()) h.emplace("Authorization", "Bearer " + key);
    return cli_->Post("/sparql", h, q, "application/sparql-query");
  }
  httplib::Result update(const std::string& key, const std::string& u) {
    httplib::Headers h{{"Authorization", "Bearer " + key}};
    return cli_->Post("/sparql", h, u, "application/sparql-update");
  }

  std::unique_ptr<store::Store> st_;
  std::unique_ptr<Server> srv_;
  std::thread th_;
  std::unique_ptr<httplib::Client> cli_;
};

TEST_F(ServerTest, KeysAndRoles) {
  start();
  auto r = query("", "ASK {}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_FALSE(r->get_header_value("WWW-Authenticate").empty());
  r = query("not-a-key", "ASK {}");
  EXPECT_EQ(r->status, 401);
  r = query("key-r", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "n\r\n7\r\n");
  // A regulator reads everything and writes nothing.
  r = update("key-r", "INSERT DATA { GRAPH <http://a.example/g/1> { <x:a> <x:b> <x:c> } }");
  EXPECT_EQ(r->status, 403);
  r = update("key-ap", "INSERT DATA { GRAPH <http://a.example/g/1> { <x:a> <x:b> <x:c> } }");
  EXPECT_EQ(r->status, 403) << "partners never write";
  // A writer writes its own graphs only, and a refused update changes nothing.
  r = update("key-a", "INSERT DATA { GRAPH <http://a.example/g/1> { <x:a> <x:b> <x:c> } . "
                      "GRAPH <http://b.example/g/1> { <x:a> <x:b> <x:c> } }");
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("<http://b.example/g/1>"), std::string::npos) << r->body;
  EXPECT_EQ(st_->snapshot()->size(), 8u);
  r = update("key-a", "INSERT DATA { GRAPH <http://a.example/g/1> { <x:a> <x:b> <x:c> } }");
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(st_->snapshot()->size(), 9u);
  // DELETE WHERE over everything it can see: only its readable graphs are touched.
  r = update("key-a", "DELETE WHERE { GRAPH ?g { <x:a> ?p ?o } }");
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(st_->snapshot()->size(), 8u);
}

// Each query form a partner might use to reach another organisation's graph.
TEST_F(ServerTest, PartnerSeesOnlyGrantedGraphs) {
  start();
  const char* forms[] = {
      "SELECT ?o WHERE { ?s <http://example.org/secret> ?o }",
      "SELECT ?o WHERE { GRAPH ?g { ?s <http://example.org/secret> ?o } }",
      "SELECT ?o FROM <http://b.example/g/1> WHERE { ?s <http://example.org/secret> ?o }",
      "SELECT ?o FROM NAMED <http://b.example/g/1> WHERE { GRAPH ?g { ?s ?p ?o } }",
      "SELECT ?o WHERE { GRAPH <http://b.example/g/1> { ?s ?p ?o } }",
      "SELECT ?o WHERE { <http://example.org/lot1> <http://example.org/next>+ ?x . ?x ?p ?o }",
      "SELECT ?o WHERE { VALUES ?g { <http://b.example/g/1> } GRAPH ?g { ?s ?p ?o } }",
      "SELECT ?o WHERE { ?s ?p ?o FILTER EXISTS { GRAPH ?g { ?s <http://example.org/secret> ?x } } }",
      "SELECT ?o WHERE { { SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } } }",
      "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
      "DESCRIBE <http://example.org/lot3>",
  };
  for (const char* q : forms) {
    auto r = query("key-ap", q, "text/csv, application/n-triples");
    ASSERT_TRUE(r) << q;
    EXPECT_EQ(r->status, 200) << q << "\n" << r->body;
    EXPECT_EQ(r->body.find("b-only"), std::string::npos) << q << "\n" << r->body;
    EXPECT_EQ(r->body.find("lot3\"\n") != std::string::npos && std::string(q).find("DESCRIBE") != std::string::npos,
              false);
  }
  // The same forms with the other organisation's key do reach it (the test could fail).
  auto r = query("key-b", forms[1]);
  EXPECT_NE(r->body.find("b-only"), std::string::npos);
  // Graph Store Protocol.
  httplib::Headers h{{"Authorization", "Bearer key-ap"}};
  auto g = cli_->Get("/rdf-graph-store?graph=http%3A%2F%2Fb.example%2Fg%2F1", h);
  EXPECT_EQ(g->status, 403);
  g = cli_->Get("/rdf-graph-store?graph=http%3A%2F%2Fa.example%2Fg%2F1", h);
  EXPECT_EQ(g->status, 200);
  EXPECT_NE(g->body.find("lot2"), std::string::npos);
}

TEST_F(ServerTest, GraphStoreProtocol) {
  start();
  httplib::Headers h{{"Authorization", "Bearer key-a"}};
  const std::string path = "/rdf-graph-store?graph=http%3A%2F%2Fa.example%2Fg%2Fnew";
  auto r = cli_->Put(path, h, "<x:s> <x:p> _:b . _:b <x:q> 1 .", "text/turtle");
  EXPECT_EQ(r->status, 201) << r->body;
  r = cli_->Get(path, h);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<x:q>"), std::string::npos);
  r = cli_->Post(path, h, "<x:s> <x:p> <x:o2> .", "application/n-triples");
  EXPECT_EQ(r->status, 201);
  r = cli_->Put(path, h, "<x:only> <x:p> <x:o> .", "text/turtle");  // replaces
  EXPECT_EQ(r->status, 201);
  r = cli_->Get(path, {{"Authorization", "Bearer key-a"}, {"Accept", "application/n-triples"}});
  EXPECT_EQ(r->body, "<x:only> <x:p> <x:o> .\n");
  r = cli_->Put(path, h, "<x:broken", "text/turtle");  // a bad body changes nothing
  EXPECT_EQ(r->status, 400);
  r = cli_->Get(path, {{"Authorization", "Bearer key-a"}, {"Accept", "application/n-triples"}});
  EXPECT_EQ(r->body, "<x:only> <x:p> <x:o> .\n");
  r = cli_->Put(path, h, "<x:s> <x:p> <x:o> .", "application/pdf");
  EXPECT_EQ(r->status, 400);
  r = cli_->Delete(path, h);
  EXPECT_EQ(r->status, 204);
  r = cli_->Get(path, h);
  EXPECT_EQ(r->status, 404);
  r = cli_->Put("/rdf-graph-store?graph=http%3A%2F%2Fb.example%2Fg%2F1", h, "<x:s> <x:p> <x:o> .", "text/turtle");
  EXPECT_EQ(r->status, 403);
  r = cli_->Get("/rdf-graph-store", h);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, MalformedRequestsGetClearFourHundreds) {
  start();
  auto r = query("key-r", "SELECT * WHERE { ?s ?p }");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("1:"), std::string::npos) << r->body;  // line:column
  httplib::Headers h{{"Authorization", "Bearer key-r"}};
  r = cli_->Post("/sparql", h, "ASK {}", "application/json");
  EXPECT_EQ(r->status, 415);
  r = cli_->Get("/sparql?update=CLEAR%20ALL", h);
  EXPECT_EQ(r->status, 400);
  r = query("key-r", "ASK {}", "image/png");
  EXPECT_EQ(r->status, 406);
  std::string big(5000, ' ');
  r = query("key-r", "ASK {}" + big);
  EXPECT_EQ(r->status, 413);
  r = cli_->Post("/sparql", h, "query=ASK%7B%7D&update=CLEAR%20ALL", "application/x-www-form-urlencoded");
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, ContentNegotiation) {
  start();
  const std::string q = "SELECT ?q WHERE { <http://example.org/lot1> <http://example.org/qty> ?q }";
  auto r = query("key-r", q, "application/sparql-results+json");
  EXPECT_NE(r->body.find("\"bindings\""), std::string::npos);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("application/sparql-results+json", 0), 0u);
  r = query("key-r", q, "application/sparql-results+xml");
  EXPECT_NE(r->body.find("<sparql"), std::string::npos);
  r = query("key-r", q, "text/tab-separated-values");
  EXPECT_EQ(r->body, "?q\n5\n");
  r = query("key-r", q, "text/turtle;q=0.9, text/csv;q=0.5");  // turtle cannot carry a table
  EXPECT_EQ(r->body, "q\r\n5\r\n");
  r = query("key-r", "CONSTRUCT WHERE { <http://example.org/lot1> <http://example.org/qty> ?q }",
            "application/n-quads");
  EXPECT_NE(r->body.find("<http://example.org/lot1> <http://example.org/qty> \"5\""), std::string::npos);
  r = cli_->Get("/sparql?query=ASK%7B%7D&format=xml", {{"Authorization", "Bearer key-r"}});
  EXPECT_NE(r->body.find("<boolean>true</boolean>"), std::string::npos) << r->body;
  // The service description needs no key.
  r = cli_->Get("/sparql");
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("sd:SPARQL11Query"), std::string::npos);
}

TEST_F(ServerTest, LimitsAndConcurrency) {
  start();
  // The row cap.
  auto r = query("key-r", "SELECT * WHERE { ?a ?b ?c }");  // 8 rows: under the cap of 50
  EXPECT_EQ(r->status, 200);
  r = query("key-r", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }");  // 64
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("50 rows"), std::string::npos) << r->body;
  // A slow query hits the timeout, and meanwhile the only slot is taken:
  // another query is turned away at once and /health still answers.
  // 8^8 rows through a regular expression: minutes of work without the timeout.
  const std::string slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
                           "?m ?n2 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x "
                           "FILTER(REGEX(CONCAT(STR(?c), STR(?x)), \"^zz+y$\")) }";
  std::atomic<int> slow_status{0};
  auto t0 = std::chrono::steady_clock::now();
  std::thread th([&] {
    httplib::Client c("127.0.0.1", srv_->port());
    c.set_read_timeout(20, 0);
    auto x = c.Post("/sparql", {{"Authorization", "Bearer key-r"}}, slow, "application/sparql-query");
    slow_status = x ? x->status : -1;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  httplib::Client other("127.0.0.1", srv_->port());
  auto busy = other.Post("/sparql", {{"Authorization", "Bearer key-r"}}, "ASK {}", "application/sparql-query");
  auto health = other.Get("/health");
  th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(slow_status.load(), 503);
  EXPECT_LT(secs, 10) << "the 1 s timeout did not stop the query";
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(ServerTest, WithoutPolicyReadOnlyForAnyone) {
  start(/*with_policy=*/false);
  auto r = query("", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "n\r\n8\r\n");  // the union of all graphs and the default graph
  r = cli_->Post("/sparql", "INSERT DATA { <x:a> <x:b> <x:c> }", "application/sparql-update");
  EXPECT_EQ(r->status, 403);
}

TEST(PolicyTest, ErrorsNameTheMember) {
  auto p = Policy::parse(R"({"organisations": {"a": {"read": ["not an iri"]}}})", "p.json");
  ASSERT_FALSE(p.isOk());
  EXPECT_NE(p.status().message().find("organisations.a.read"), std::string::npos) << p.status().message();
  p = Policy::parse(R"({"keys": [{"name": "k", "sha256": "abc", "role": "partner", "organisation": "a"}]})", "p.json");
  ASSERT_FALSE(p.isOk());
  EXPECT_NE(p.status().message().find("keys[0].sha256"), std::string::npos);
  p = Policy::parse(R"({"organisations": {}, "limitz": {}})", "p.json");
  EXPECT_FALSE(p.isOk());
  p = Policy::parse(R"({"organisations": {"a": {"write": ["http://a/*"], "graph_base": "http://b/"}}})", "p.json");
  EXPECT_FALSE(p.isOk()) << "graph_base outside the write grant";
  p = Policy::parse("{", "p.json");
  EXPECT_FALSE(p.isOk());
}

TEST(PolicyTest, GrantsByRole) {
  auto p = Policy::parse(policyJson(), "p.json");
  ASSERT_TRUE(p.isOk()) << p.status().toString();
  const ApiKey* a = p.value().authenticate("key-a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "a-writer");
  EXPECT_EQ(p.value().authenticate("key-"), nullptr);
  EXPECT_TRUE(p.value().writeGrant(*a).allows("http://a.example/g/9"));
  EXPECT_FALSE(p.value().writeGrant(*a).allows("http://b.example/g/1"));
  const ApiKey* r = p.value().authenticate("key-r");
  EXPECT_TRUE(p.value().readGrant(*r).allows("http://b.example/g/1"));
  EXPECT_FALSE(p.value().writeGrant(*r).allows("http://b.example/g/1"));
  const ApiKey* admin = p.value().authenticate("key-admin");
  EXPECT_TRUE(p.value().writeGrant(*admin).allowsEverything());
}

TEST(NegotiationTest, AcceptHeader) {
  internal::Negotiated n;
  ASSERT_TRUE(internal::negotiateAccept("", "", true, &n));
  EXPECT_EQ(n.results, sparql::ResultFormat::kJson);
  ASSERT_TRUE(internal::negotiateAccept("text/csv;q=0.4, application/sparql-results+xml", "", true, &n));
  EXPECT_EQ(n.results, sparql::ResultFormat::kXml);
  ASSERT_TRUE(internal::negotiateAccept("text/*", "", true, &n));
  EXPECT_EQ(n.results, sparql::ResultFormat::kCsv);
  ASSERT_TRUE(internal::negotiateAccept("*/*;q=0.1, application/n-triples", "", false, &n));
  EXPECT_EQ(n.graph, rdf::Format::kNTriples);
  EXPECT_FALSE(internal::negotiateAccept("text/turtle", "", true, &n));
  EXPECT_FALSE(internal::negotiateAccept("text/csv;q=0", "", true, &n));
  ASSERT_TRUE(internal::negotiateAccept("text/csv", "tsv", true, &n));  // ?format= wins
  EXPECT_EQ(n.results, sparql::ResultFormat::kTsv);
  EXPECT_FALSE(internal::negotiateAccept("", "ttl", true, &n));
}

}  // namespace
}  // namespace weft::server
