// SPDX-License-Identifier: Apache-2.0
// SERVICE (SPARQL 1.1 Federated Query, https://www.w3.org/TR/sparql11-federated-query/)
// with an in-process fake endpoint: each "remote" runs the query it receives
// with our own engine over its own data, so the tests see both what was sent
// (the VALUES block, the number of calls) and that the joined answer is the
// one the spec defines.
#include "engine/sparql/service.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "tests/unit/sparql/memory_dataset.h"

namespace weft::sparql {
namespace {

using testutil::MemoryDataset;

constexpr const char* kPrefix = "PREFIX : <http://example.org/>\n";

class FakeEndpoints : public ServiceClient {
 public:
  Result<ServiceReply> call(const ServiceRequest& req) override {
    requests.push_back(req);
    if (hook) {
      auto r = hook(req);
      if (r) return std::move(*r);
    }
    auto it = endpoints.find(req.endpoint);
    if (it == endpoints.end())
      return Status::ioError("SERVICE <" + req.endpoint + ">: Couldn't connect to server");
    auto q = parseQuery(req.query);
    if (!q)
      return Status::ioError("SERVICE <" + req.endpoint + ">: HTTP 400: " + q.status().message());
    ServiceReply reply;
    reply.results.emplace();
    auto w = makeResultSetWriter(&*reply.results);
    QueryOutput out;
    out.results = w.get();
    ExecOptions opts;
    opts.service = this;  // a remote may federate further
    Status s = executeQuery(q.value(), *it->second, opts, out);
    if (!s) return Status::ioError("SERVICE <" + req.endpoint + ">: HTTP 500: " + s.message());
    return reply;
  }
  void add(const std::string& iri, const std::string& trig) {
    endpoints[iri] = std::make_unique<MemoryDataset>(trig);
  }
  // Number of VALUES rows in request i (0 if none).
  size_t valuesRows(size_t i) const {
    const std::string& q = requests.at(i).query;
    size_t v = q.find("\nVALUES (");
    if (v == std::string::npos) return 0;
    size_t n = 0;
    for (size_t p = q.find("\n  (", v); p != std::string::npos; p = q.find("\n  (", p + 1)) ++n;
    return n;
  }
  std::map<std::string, std::unique_ptr<MemoryDataset>> endpoints;
  std::vector<ServiceRequest> requests;
  // Optional: a reply (or failure) for a request instead of running it.
  std::function<std::optional<Result<ServiceReply>>(const ServiceRequest&)> hook;
};

struct Outcome {
  Status status;
  ResultSet rs;
  std::string explain;
  // Rows as sorted "?var=term" strings (UNDEF left out), for comparison.
  std::multiset<std::string> rows() const {
    std::multiset<std::string> out;
    for (const auto& r : rs.rows) {
      std::string s;
      for (size_t i = 0; i < r.size(); ++i)
        if (!r[i].isNone())
          s += (s.empty() ? "" : " ") + rs.vars[i] + "=" + rdf::toNTriples(r[i].view());
      out.insert(s);
    }
    return out;
  }
};

Outcome run(const Dataset& data, const std::string& text, ServiceClient* client,
            ExecOptions opts = {}) {
  Outcome r;
  auto q = parseQuery(kPrefix + text);
  EXPECT_TRUE(q.isOk()) << q.status().toString();
  if (!q) return r;
  opts.service = client;
  auto w = makeResultSetWriter(&r.rs);
  QueryOutput out;
  out.results = w.get();
  out.explain = &r.explain;
  r.status = executeQuery(q.value(), data, opts, out);
  return r;
}

const char* kLocal = R"(
@prefix : <http://example.org/> .
:a a :Person . :b a :Person . :c a :Person .
)";
const char* kRemoteNames = R"(
@prefix : <http://example.org/> .
:a :name "Alice" . :b :name "Bob" . :z :name "Zed" .
)";

TEST(Service, BindingsOfEarlierPatternsAreSentAsValues) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://remote.example/sparql", kRemoteNames);
  // Written first, the SERVICE is still placed after the local pattern.
  Outcome r =
      run(local,
          "SELECT ?p ?name WHERE { SERVICE <http://remote.example/sparql> { ?p :name ?name } "
          "?p a :Person }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(), (std::multiset<std::string>{"p=<http://example.org/a> name=\"Alice\"",
                                                  "p=<http://example.org/b> name=\"Bob\""}));
  ASSERT_EQ(fake.requests.size(), 1u);
  const std::string& q = fake.requests[0].query;
  EXPECT_NE(q.find("PREFIX : <http://example.org/>"), std::string::npos) << q;
  EXPECT_NE(q.find("SELECT * WHERE {\n{ ?p :name ?name }\nVALUES (?p ) {\n"), std::string::npos)
      << q;
  EXPECT_NE(q.find("\nVALUES (?p ) {\n"), std::string::npos) << q;
  for (const char* who : {"a", "b", "c"})
    EXPECT_NE(q.find(std::string("  (<http://example.org/") + who + "> )\n"), std::string::npos)
        << q;
  EXPECT_EQ(q.find("weft_binding_row"), std::string::npos)
      << "complete bindings need no row numbers";
  EXPECT_EQ(fake.valuesRows(0), 3u);
  EXPECT_NE(r.explain.find("Service <http://remote.example/sparql>"), std::string::npos)
      << r.explain;
  EXPECT_NE(r.explain.find("1 call, 2 remote rows"), std::string::npos) << r.explain;
}

TEST(Service, OneCallPerBatchOfDistinctBindings) {
  std::string local = "@prefix : <http://example.org/> .\n";
  std::string remote = local;
  for (int i = 0; i < 450; ++i) {
    // Every person twice (two :tag values): bindings are sent once each.
    local += ":p" + std::to_string(i) + " :tag 1, 2 .\n";
    if (i % 3 == 0)
      remote += ":p" + std::to_string(i) + " :name \"n" + std::to_string(i) + "\" .\n";
  }
  MemoryDataset data(local);
  FakeEndpoints fake;
  fake.add("http://r/sparql", remote);
  ExecOptions opts;
  opts.service_batch = 200;
  Outcome r =
      run(data, "SELECT * { ?p :tag ?t SERVICE <http://r/sparql> { ?p :name ?n } }", &fake, opts);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 300u);  // 150 named people x 2 tags
  // 900 left rows, 450 distinct ?p, batches of 200 distinct bindings: 3 calls.
  ASSERT_EQ(fake.requests.size(), 3u);
  size_t sent = 0;
  for (size_t i = 0; i < fake.requests.size(); ++i) {
    EXPECT_LE(fake.valuesRows(i), 200u);
    EXPECT_GE(fake.valuesRows(i), 50u);
    sent += fake.valuesRows(i);
  }
  EXPECT_GE(sent, 450u);
  EXPECT_LE(sent, 455u);  // a person may straddle two batches
  EXPECT_NE(r.explain.find("3 calls, 150 remote rows"), std::string::npos) << r.explain;
}

TEST(Service, NaiveOrderSendsNoBindingsWhenServiceComesFirst) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r/sparql", kRemoteNames);
  ExecOptions opts;
  opts.naive = true;
  Outcome r = run(local, "SELECT * { SERVICE <http://r/sparql> { ?p :name ?name } ?p a :Person }",
                  &fake, opts);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 2u);
  ASSERT_EQ(fake.requests.size(), 1u);
  EXPECT_EQ(fake.requests[0].query.find("VALUES"), std::string::npos) << fake.requests[0].query;
}

// A binding row with UNDEF (or a blank node) matches remote rows that leave
// the variable unbound as well as those that bind it: the row-number column
// keeps each remote row with the binding row it was asked for.
TEST(Service, UndefBindingsAreNumberedSoNothingIsCountedTwice) {
  MemoryDataset local(R"(
@prefix : <http://example.org/> .
:b a :Person ; :age 30 .
)");
  FakeEndpoints fake;
  fake.add("http://r/sparql", R"(
@prefix : <http://example.org/> .
:b :name "Bob" ; :age 30 .
)");
  // Left rows: (?p=:b) and (?p=:b ?age=30).
  Outcome r = run(local,
                  "SELECT ?p ?age ?name { { ?p a :Person } UNION { ?p :age ?age } "
                  "SERVICE <http://r/sparql> { ?p :name ?name OPTIONAL { ?p :age ?age } } }",
                  &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(),
            (std::multiset<std::string>{
                "p=<http://example.org/b> age=\"30\"^^<http://www.w3.org/2001/XMLSchema#integer> "
                "name=\"Bob\"",
                "p=<http://example.org/b> age=\"30\"^^<http://www.w3.org/2001/XMLSchema#integer> "
                "name=\"Bob\""}));
  ASSERT_EQ(fake.requests.size(), 1u);
  const std::string& q = fake.requests[0].query;
  EXPECT_NE(q.find("VALUES (?p ?age ?weft_binding_row) {"), std::string::npos) << q;
  EXPECT_NE(q.find("(<http://example.org/b> UNDEF 0)"), std::string::npos) << q;
}

TEST(Service, OptionalAroundServiceKeepsUnmatchedRowsAndBatches) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r/sparql", kRemoteNames);
  Outcome r = run(
      local,
      "SELECT ?p ?name { ?p a :Person OPTIONAL { SERVICE <http://r/sparql> { ?p :name ?name } } }",
      &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(), (std::multiset<std::string>{"p=<http://example.org/a> name=\"Alice\"",
                                                  "p=<http://example.org/b> name=\"Bob\"",
                                                  "p=<http://example.org/c>"}));
  ASSERT_EQ(fake.requests.size(), 1u) << "OPTIONAL { SERVICE } is a batched left join";
  EXPECT_EQ(fake.valuesRows(0), 3u);
  EXPECT_NE(r.explain.find("OptionalService"), std::string::npos) << r.explain;

  // The OPTIONAL's FILTER applies to the joined row; a row it rejects stays unextended.
  fake.requests.clear();
  r = run(local,
          "SELECT ?p ?name { ?p a :Person OPTIONAL { SERVICE <http://r/sparql> { ?p :name ?name } "
          "FILTER (?name != \"Bob\") } }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(),
            (std::multiset<std::string>{"p=<http://example.org/a> name=\"Alice\"",
                                        "p=<http://example.org/b>", "p=<http://example.org/c>"}));
}

TEST(Service, UnionOfServices) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r1/sparql", kRemoteNames);
  fake.add("http://r2/sparql", R"(
@prefix : <http://example.org/> .
:c :label "Carol" . :y :label "Yves" .
)");
  // Standalone: each branch asks its endpoint once, without bindings.
  Outcome r = run(local,
                  "SELECT ?p ?n { { SERVICE <http://r1/sparql> { ?p :name ?n } } UNION "
                  "{ SERVICE <http://r2/sparql> { ?p :label ?n } } }",
                  &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 5u);
  EXPECT_EQ(fake.requests.size(), 2u);

  // Joined with local rows: the union is opened per row (one call per
  // endpoint and row, each with that row's binding), and the answer is the join.
  fake.requests.clear();
  r = run(local,
          "SELECT ?p ?n { ?p a :Person { SERVICE <http://r1/sparql> { ?p :name ?n } } UNION "
          "{ SERVICE <http://r2/sparql> { ?p :label ?n } } }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(), (std::multiset<std::string>{"p=<http://example.org/a> n=\"Alice\"",
                                                  "p=<http://example.org/b> n=\"Bob\"",
                                                  "p=<http://example.org/c> n=\"Carol\""}));
  EXPECT_LE(fake.requests.size(), 6u);
  for (size_t i = 0; i < fake.requests.size(); ++i) EXPECT_LE(fake.valuesRows(i), 1u);
}

TEST(Service, SilentFailureGivesOneEmptySolution) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;  // no endpoints: every call fails to connect
  Outcome r =
      run(local,
          "SELECT ?p ?name { ?p a :Person SERVICE SILENT <http://down/sparql> { ?p :name ?name } }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(),
            (std::multiset<std::string>{"p=<http://example.org/a>", "p=<http://example.org/b>",
                                        "p=<http://example.org/c>"}));
  EXPECT_NE(r.explain.find("1 failure silenced"), std::string::npos) << r.explain;
  EXPECT_NE(r.explain.find("Couldn't connect"), std::string::npos) << r.explain;

  // Alone: the one empty solution.
  r = run(local, "SELECT * { SERVICE SILENT <http://down/sparql> { ?s ?p ?o } }", &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 1u);

  // Malformed results and HTTP errors are failures too.
  fake.hook = [](const ServiceRequest&) -> std::optional<Result<ServiceReply>> {
    ServiceReply reply;
    reply.media_type = "application/sparql-results+json";
    reply.body = "{\"head\": {\"vars\": [\"p\"]}, \"results\": {\"bindings\": [";
    return Result<ServiceReply>(std::move(reply));
  };
  r = run(local, "SELECT * { ?p a :Person SERVICE SILENT <http://bad/sparql> { ?p :name ?name } }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 3u);
  EXPECT_NE(r.explain.find("malformed results"), std::string::npos) << r.explain;
}

TEST(Service, FailureWithoutSilentIsAnErrorNamingTheEndpoint) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.hook = [](const ServiceRequest& req) -> std::optional<Result<ServiceReply>> {
    return Result<ServiceReply>(Status::ioError("SERVICE <" + req.endpoint + ">: HTTP 503: busy"));
  };
  Outcome r = run(
      local, "SELECT * { ?p a :Person SERVICE <http://busy/sparql> { ?p :name ?name } }", &fake);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_NE(r.status.message().find("http://busy/sparql"), std::string::npos)
      << r.status.toString();
  EXPECT_NE(r.status.message().find("HTTP 503"), std::string::npos) << r.status.toString();
  EXPECT_NE(r.status.code(), StatusCode::kAborted) << "a remote failure is not a query limit";

  // A client message without the endpoint gets it added.
  fake.hook = [](const ServiceRequest&) -> std::optional<Result<ServiceReply>> {
    ServiceReply reply;
    reply.media_type = "text/html";
    reply.body = "Hello";
    return Result<ServiceReply>(std::move(reply));
  };
  r = run(local, "SELECT * { SERVICE <http://html/sparql> { ?p :name ?name } }", &fake);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_NE(r.status.message().find("SERVICE <http://html/sparql>"), std::string::npos)
      << r.status.toString();
}

TEST(Service, WithoutClientSilentIsEmptyAndPlainIsRefused) {
  MemoryDataset local(kLocal);
  Outcome r = run(local, "SELECT * { SERVICE <http://r/sparql> { ?s ?p ?o } }", nullptr);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_NE(r.status.message().find("SERVICE is not supported"), std::string::npos);
  r = run(local, "SELECT * { ?p a :Person SERVICE SILENT <http://r/sparql> { ?p ?q ?o } }",
          nullptr);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 3u);
}

TEST(Service, VariableEndpoint) {
  MemoryDataset local(R"(
@prefix : <http://example.org/> .
:cat1 :endpoint <http://r1/sparql> . :cat2 :endpoint <http://r2/sparql> .
:cat3 :endpoint "not an IRI" .
)");
  FakeEndpoints fake;
  fake.add("http://r1/sparql", "@prefix : <http://example.org/> . :x :title \"One\" .");
  fake.add("http://r2/sparql",
           "@prefix : <http://example.org/> . :y :title \"Two\" . :z :title \"Three\" .");
  Outcome r = run(local,
                  "SELECT ?svc ?t { SERVICE ?svc { ?s :title ?t } ?c :endpoint ?svc "
                  "FILTER (isIRI(?svc)) }",
                  &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(), (std::multiset<std::string>{"svc=<http://r1/sparql> t=\"One\"",
                                                  "svc=<http://r2/sparql> t=\"Two\"",
                                                  "svc=<http://r2/sparql> t=\"Three\""}));
  EXPECT_EQ(fake.requests.size(), 2u);
  EXPECT_NE(r.explain.find("Service ?svc"), std::string::npos) << r.explain;

  // Bound to a literal: an error, or with SILENT the row as it is.
  r = run(local, "SELECT * { ?c :endpoint ?svc SERVICE ?svc { ?s :title ?t } }", &fake);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_NE(r.status.message().find("is not an IRI"), std::string::npos) << r.status.toString();
  r = run(local, "SELECT * { ?c :endpoint ?svc SERVICE SILENT ?svc { ?s :title ?t } }", &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 4u);

  // Never bound: an error, or with SILENT one empty solution.
  r = run(local, "SELECT * { SERVICE ?svc { ?s :title ?t } }", &fake);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_NE(r.status.message().find("not bound"), std::string::npos) << r.status.toString();
  r = run(local, "SELECT * { SERVICE SILENT ?svc { ?s :title ?t } }", &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 1u);
}

TEST(Service, BlankNodesAreScopedPerCall) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r/sparql", "@prefix : <http://example.org/> . _:b :p 1 ; :q 2 .");
  // One call: the blank node joins with itself.
  Outcome r = run(local, "SELECT * { SERVICE <http://r/sparql> { ?x :p ?a . ?x :q ?b } }", &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  ASSERT_EQ(r.rs.rows.size(), 1u);
  EXPECT_EQ(r.rs.rows[0][0].kind, rdf::TermKind::kBlank);
  // Two calls: their blank nodes are different nodes (and a blank node is
  // never sent in VALUES), so the join is empty.
  fake.requests.clear();
  r = run(
      local,
      "SELECT * { SERVICE <http://r/sparql> { ?x :p ?a } SERVICE <http://r/sparql> { ?x :q ?b } }",
      &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rs.rows.size(), 0u);
  ASSERT_EQ(fake.requests.size(), 2u);
  EXPECT_NE(fake.requests[1].query.find("(UNDEF 0)"), std::string::npos) << fake.requests[1].query;
}

TEST(Service, DeadlineIsPassedOnAndEnforced) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r/sparql", kRemoteNames);
  ExecOptions opts;
  opts.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Outcome r = run(local, "SELECT * { ?p a :Person SERVICE <http://r/sparql> { ?p :name ?n } }",
                  &fake, opts);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  ASSERT_EQ(fake.requests.size(), 1u);
  EXPECT_GT(fake.requests[0].timeout.count(), 15000);
  EXPECT_LE(fake.requests[0].timeout.count(), 20000);

  // A remote slower than the query's deadline: the query times out (even under SILENT).
  fake.hook = [](const ServiceRequest& req) -> std::optional<Result<ServiceReply>> {
    std::this_thread::sleep_for(req.timeout + std::chrono::milliseconds(20));
    return Result<ServiceReply>(Status::aborted("SERVICE <" + req.endpoint + ">: timed out"));
  };
  opts.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  r = run(local, "SELECT * { ?p a :Person SERVICE SILENT <http://r/sparql> { ?p :name ?n } }",
          &fake, opts);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_EQ(r.status.code(), StatusCode::kAborted);
  EXPECT_NE(r.status.message().find("timed out"), std::string::npos) << r.status.toString();
}

TEST(Service, RemoteAnswerOverTheRowCapIsRefused) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r/sparql", kRemoteNames);
  ExecOptions opts;
  opts.max_rows = 2;
  Outcome r = run(local, "SELECT * { SERVICE <http://r/sparql> { ?p :name ?n } }", &fake, opts);
  ASSERT_FALSE(r.status.isOk());
  EXPECT_EQ(r.status.code(), StatusCode::kAborted);
  EXPECT_NE(r.status.message().find("result-size cap"), std::string::npos) << r.status.toString();
  EXPECT_EQ(fake.requests.at(0).max_rows, 2u);
}

TEST(Service, UnknownRemoteColumnsAreDroppedAndFilterOnlyVariablesAreNotSent) {
  MemoryDataset local(R"(
@prefix : <http://example.org/> .
:a a :Person ; :min 1 .
)");
  FakeEndpoints fake;
  fake.hook = [](const ServiceRequest&) -> std::optional<Result<ServiceReply>> {
    ServiceReply reply;
    reply.media_type = "application/sparql-results+json; charset=utf-8";
    reply.body = R"({"head": {"vars": ["p", "n", "extra"]}, "results": {"bindings": [
      {"p": {"type": "uri", "value": "http://example.org/a"},
       "n": {"type": "literal", "value": "A"},
       "extra": {"type": "literal", "value": "x"}}]}})";
    return Result<ServiceReply>(std::move(reply));
  };
  Outcome r = run(local,
                  "SELECT * { ?p a :Person ; :min ?m SERVICE <http://r/sparql> { ?p :name ?n "
                  "FILTER (?m > 0) } }",
                  &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  ASSERT_EQ(r.rs.rows.size(), 1u);
  EXPECT_EQ(r.rs.vars, (std::vector<std::string>{"p", "m", "n"}));
  ASSERT_EQ(fake.requests.size(), 1u);
  EXPECT_NE(fake.requests[0].query.find("VALUES (?p ) {"), std::string::npos)
      << fake.requests[0].query;
}

TEST(Service, ServiceInsideExistsAndMinus) {
  MemoryDataset local(kLocal);
  FakeEndpoints fake;
  fake.add("http://r/sparql", kRemoteNames);
  Outcome r =
      run(local,
          "SELECT ?p { ?p a :Person FILTER EXISTS { SERVICE <http://r/sparql> { ?p :name ?n } } }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(),
            (std::multiset<std::string>{"p=<http://example.org/a>", "p=<http://example.org/b>"}));
  r = run(local, "SELECT ?p { ?p a :Person MINUS { SERVICE <http://r/sparql> { ?p :name ?n } } }",
          &fake);
  ASSERT_TRUE(r.status.isOk()) << r.status.toString();
  EXPECT_EQ(r.rows(), (std::multiset<std::string>{"p=<http://example.org/c>"}));
}

}  // namespace
}  // namespace weft::sparql
