// SPDX-License-Identifier: Apache-2.0
// SERVICE over real HTTP: net::SparqlServiceClient (libcurl) against a
// cpp-httplib server on 127.0.0.1 (ephemeral port) in this process. What
// goes over the wire (method, Content-Type, Accept, headers, the VALUES
// block), JSON and XML answers, HTTP errors, the timeout, the policy hooks.
#include "engine/net/sparql_client.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "tests/unit/sparql/memory_dataset.h"

namespace weft::net {
namespace {

const char* kJsonAnswer = R"({"head": {"vars": ["p", "name"]}, "results": {"bindings": [
  {"p": {"type": "uri", "value": "http://example.org/a"},
   "name": {"type": "literal", "value": "Alice"}},
  {"p": {"type": "uri", "value": "http://example.org/b"},
   "name": {"type": "literal", "value": "Bob", "xml:lang": "en"}}
]}})";

const char* kXmlAnswer = R"(<?xml version="1.0"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#">
  <head><variable name="p"/><variable name="name"/></head>
  <results>
    <result><binding name="p"><uri>http://example.org/a</uri></binding>
            <binding name="name"><literal>Alice</literal></binding></result>
  </results>
</sparql>)";

struct Seen {
  std::string path, content_type, accept, authorization, body, form_query;
};

class SparqlClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A proxy from the environment must not see requests to the loopback.
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    auto record = [this](const httplib::Request& req) {
      std::lock_guard<std::mutex> lock(mu_);
      Seen s;
      s.path = req.path;
      s.content_type = req.get_header_value("Content-Type");
      s.accept = req.get_header_value("Accept");
      s.authorization = req.get_header_value("Authorization");
      s.body = req.body;
      if (req.has_param("query")) s.form_query = req.get_param_value("query");
      seen_.push_back(std::move(s));
    };
    server_.Post("/sparql", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_content(kJsonAnswer, "application/sparql-results+json; charset=utf-8");
    });
    server_.Post("/xml", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_content(kXmlAnswer, "application/sparql-results+xml");
    });
    server_.Post("/broken", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.status = 500;
      res.set_content("Internal error: out of\nmemory", "text/plain");
    });
    server_.Post("/slow", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content(kJsonAnswer, "application/sparql-results+json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(server_.is_running());
  }
  void TearDown() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

  // Runs a SELECT over a small local dataset with `client` for SERVICE.
  Status query(const std::string& text, sparql::ServiceClient& client, sparql::ResultSet* rs,
               std::string* explain = nullptr) {
    testutil::MemoryDataset local(R"(
@prefix : <http://example.org/> .
:a a :Person . :b a :Person . :c a :Person .
)");
    auto q = sparql::parseQuery("PREFIX : <http://example.org/>\n" + text);
    if (!q) return q.status();
    sparql::ExecOptions opts;
    opts.service = &client;
    auto w = sparql::makeResultSetWriter(rs);
    sparql::QueryOutput out;
    out.results = w.get();
    out.explain = explain;
    return sparql::executeQuery(q.value(), local, opts, out);
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

TEST_F(SparqlClientTest, QueryJoinsRemoteJsonRowsSentWithBindings) {
  SparqlServiceClient client;
  sparql::ResultSet rs;
  std::string explain;
  Status s =
      query("SELECT ?p ?name { ?p a :Person SERVICE <" + url("/sparql") + "> { ?p :name ?name } }",
            client, &rs, &explain);
  ASSERT_TRUE(s.isOk()) << s.toString();
  ASSERT_EQ(rs.rows.size(), 2u);
  std::set<std::string> got;
  for (const auto& r : rs.rows)
    got.insert(rdf::toNTriples(r[0].view()) + " " + rdf::toNTriples(r[1].view()));
  EXPECT_EQ(got, (std::set<std::string>{"<http://example.org/a> \"Alice\"",
                                        "<http://example.org/b> \"Bob\"@en"}));
  auto calls = seen();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].content_type, "application/sparql-query");
  EXPECT_EQ(calls[0].accept,
            "application/sparql-results+json, application/sparql-results+xml;q=0.9");
  EXPECT_EQ(calls[0].authorization, "");
  EXPECT_NE(calls[0].body.find("PREFIX : <http://example.org/>"), std::string::npos)
      << calls[0].body;
  EXPECT_NE(calls[0].body.find("VALUES (?p ) {"), std::string::npos) << calls[0].body;
  EXPECT_NE(calls[0].body.find("(<http://example.org/c> )"), std::string::npos) << calls[0].body;
  EXPECT_NE(explain.find("1 call, 2 remote rows"), std::string::npos) << explain;
}

TEST_F(SparqlClientTest, XmlAnswersAndFormPostsAndHeadersFromTheConfigCallback) {
  SparqlClientOptions o;
  std::string configured;
  o.configure = [&](std::string_view endpoint, EndpointSettings& s) {
    configured = std::string(endpoint);
    s.headers.emplace_back("Authorization", "Bearer remote-key");
    s.form_encoded = true;
  };
  SparqlServiceClient client(o);
  sparql::ResultSet rs;
  Status s = query("SELECT * { SERVICE <" + url("/xml") + "> { ?p :name ?name } }", client, &rs);
  ASSERT_TRUE(s.isOk()) << s.toString();
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(configured, url("/xml"));
  auto calls = seen();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].authorization, "Bearer remote-key");
  EXPECT_EQ(calls[0].content_type, "application/x-www-form-urlencoded");
  EXPECT_NE(calls[0].form_query.find("SELECT * WHERE { ?p :name ?name }"), std::string::npos)
      << calls[0].form_query;
}

TEST_F(SparqlClientTest, HttpErrorNamesEndpointAndStatusUnlessSilent) {
  SparqlServiceClient client;
  sparql::ResultSet rs;
  Status s = query("SELECT * { ?p a :Person SERVICE <" + url("/broken") + "> { ?p :name ?name } }",
                   client, &rs);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(
      s.message().find("SERVICE <" + url("/broken") + ">: HTTP 500: Internal error: out of memory"),
      std::string::npos)
      << s.toString();
  rs = {};
  s = query("SELECT * { ?p a :Person SERVICE SILENT <" + url("/broken") + "> { ?p :name ?name } }",
            client, &rs);
  ASSERT_TRUE(s.isOk()) << s.toString();
  EXPECT_EQ(rs.rows.size(), 3u);
}

TEST_F(SparqlClientTest, SlowEndpointTimesOut) {
  SparqlClientOptions o;
  o.defaults.timeout = std::chrono::milliseconds(300);
  SparqlServiceClient client(o);
  sparql::ResultSet rs;
  auto t0 = std::chrono::steady_clock::now();
  Status s = query("SELECT * { SERVICE <" + url("/slow") + "> { ?p :name ?name } }", client, &rs);
  auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("SERVICE <" + url("/slow") + ">"), std::string::npos) << s.toString();
  EXPECT_NE(s.message().find("within 300 ms"), std::string::npos) << s.toString();
  EXPECT_NE(s.code(), StatusCode::kAborted) << "the endpoint's timeout is not the query's";
  EXPECT_LT(took, std::chrono::milliseconds(1200));
  // SILENT: the one empty solution, after the same wait.
  rs = {};
  s = query("SELECT * { SERVICE SILENT <" + url("/slow") + "> { ?p :name ?name } }", client, &rs);
  ASSERT_TRUE(s.isOk()) << s.toString();
  EXPECT_EQ(rs.rows.size(), 1u);
}

TEST_F(SparqlClientTest, PolicyRefusesEndpointsBeforeAnyRequest) {
  SparqlClientOptions o;
  o.allow = [&](std::string_view endpoint) { return endpoint == url("/sparql"); };
  SparqlServiceClient client(o);
  sparql::ResultSet rs;
  Status s = query("SELECT * { SERVICE <" + url("/xml") + "> { ?p :name ?name } }", client, &rs);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "SERVICE <" + url("/xml") + "> is not allowed by this server's policy");
  EXPECT_TRUE(seen().empty());
  s = query("SELECT * { SERVICE <" + url("/sparql") + "> { ?p :name ?name } }", client, &rs);
  EXPECT_TRUE(s.isOk()) << s.toString();
}

TEST_F(SparqlClientTest, DirectCallLimits) {
  SparqlClientOptions o;
  o.defaults.max_response_bytes = 16;
  SparqlServiceClient client(o);
  sparql::ServiceRequest req;
  req.endpoint = url("/sparql");
  req.query = "SELECT * WHERE { ?s ?p ?o }";
  auto r = client.call(req);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("larger than 16 bytes"), std::string::npos)
      << r.status().toString();

  req.endpoint = "ftp://127.0.0.1/x";
  r = client.call(req);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("only http and https"), std::string::npos);

  // The query's remaining time caps the endpoint's own timeout.
  SparqlServiceClient patient;
  req.endpoint = url("/slow");
  req.timeout = std::chrono::milliseconds(200);
  auto t0 = std::chrono::steady_clock::now();
  r = patient.call(req);
  ASSERT_FALSE(r.isOk());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1200));
}

}  // namespace
}  // namespace weft::net
