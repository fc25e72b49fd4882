// SPDX-License-Identifier: Apache-2.0
// W3C SPARQL test suite runner (SPARQL 1.0 "data-r2" and SPARQL 1.1).
//
//   sparql_conformance [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING]
//                      [--no-fork] [SUITE...]
//
// SUITE is one of
//   sparql10-syntax   sparql/sparql10/manifest-syntax.ttl
//   sparql10-eval     sparql/sparql10/manifest-evaluation.ttl
//   sparql11-query    sparql/sparql11/manifest-sparql11-query.ttl
//   sparql11-update   sparql/sparql11/manifest-sparql11-update.ttl
//   sparql11-results  sparql/sparql11/manifest-sparql11-results.ttl
//   sparql11-fed      sparql/sparql11/manifest-sparql11-fed.ttl
// under ../shared/conformance/w3c-rdf-tests (default: all). Manifests are read
// with our Turtle reader at their file:// IRIs, following mf:include lists, and
// the tests of each mf:entries list run in order, dispatched on their type
// (vocabulary: https://www.w3.org/2001/sw/DataAccess/tests/README):
//   mf:PositiveSyntaxTest(11), mf:NegativeSyntaxTest(11),
//   mf:PositiveUpdateSyntaxTest11, mf:NegativeUpdateSyntaxTest11
//        the query / update must parse / must be rejected (base: its file IRI);
//   mf:QueryEvaluationTest, mf:CSVResultFormatTest
//        qt:data is loaded into the default graph and each qt:graphData into a
//        named graph named by its file IRI (as are local files a FROM / FROM
//        NAMED clause names) of an in-memory store; the query's results are
//        compared with mf:result (.srx/.srj/.tsv/.csv, an rs:ResultSet graph,
//        or an RDF graph for CONSTRUCT/DESCRIBE), in order only when the query
//        has ORDER BY, as sets under mf:LaxCardinality, and as CSV text for
//        CSV expectations; SERVICE calls go to in-memory endpoints, one
//        per qt:serviceData (qt:endpoint, holding its qt:data), each running
//        the query it receives with our engine (other endpoints fail);
//   mf:UpdateEvaluationTest
//        ut:data / ut:graphData (rdfs:label names the graph) are loaded, the
//        ut:request runs, and the whole store must be isomorphic to the
//        mf:result dataset.
// Tests with dawgt:approval dawgt:NotClassified or dawgt:Withdrawn, tests in
// the skip list (tests/conformance/sparql-skip.txt: "<test IRI> reason" per
// line) and tests of other types are skipped with their reason. Each test runs
// in a forked child (a crash or hang fails that test only) under a 10 s query
// deadline. Exit status: 0 no failures, 1 failures, 77 the test data is
// missing (ctest SKIP_RETURN_CODE).
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/db/database.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"
#include "engine/sparql/service.h"
#include "engine/store/store.h"

namespace fs = std::filesystem;
using namespace weft;
using rdf::Quad;
using rdf::Term;
using rdf::TermKind;

namespace {

constexpr std::string_view kMf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kQt = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#";
constexpr std::string_view kUt = "http://www.w3.org/2009/sparql/tests/test-update#";
constexpr std::string_view kDawgt = "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#";
constexpr std::string_view kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
constexpr std::string_view kRsResultSet =
    "http://www.w3.org/2001/sw/DataAccess/tests/result-set#ResultSet";
constexpr auto kQueryTimeout = std::chrono::seconds(10);
constexpr int kHardTimeoutSeconds = 60;  // whole test, in the parent: parse/load hangs

std::string str(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

// ---------------------------------------------------------------- manifests

// One manifest file's triples, indexed by subject.
class Graph {
 public:
  explicit Graph(std::vector<Quad> quads) {
    for (Quad& q : quads) by_subject_[rdf::toNTriples(q.s.view())].push_back(std::move(q));
  }
  std::vector<Term> objects(const Term& s, std::string_view p) const {
    std::vector<Term> out;
    auto it = by_subject_.find(rdf::toNTriples(s.view()));
    if (it == by_subject_.end()) return out;
    for (const Quad& q : it->second)
      if (q.p.value == p) out.push_back(q.o);
    return out;
  }
  Term object(const Term& s, std::string_view p) const {
    auto v = objects(s, p);
    return v.empty() ? Term() : v.front();
  }
  // Subjects with `p` `o` (o compared by value).
  std::vector<Term> subjects(std::string_view p, std::string_view o) const {
    std::vector<Term> out;
    for (const auto& [k, qs] : by_subject_)
      for (const Quad& q : qs)
        if (q.p.value == p && q.o.value == o) {
          out.push_back(q.s);
          break;
        }
    return out;
  }
  std::vector<Term> list(Term node) const {
    std::vector<Term> out;
    std::set<std::string> seen;
    while (!node.isNone() && node.value != str(rdf::kRdf, "nil") &&
           seen.insert(rdf::toNTriples(node.view())).second) {
      out.push_back(object(node, str(rdf::kRdf, "first")));
      node = object(node, str(rdf::kRdf, "rest"));
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<Quad>> by_subject_;
};

struct TestCase {
  Term iri;
  std::shared_ptr<const Graph> g;
};

// file:///a/b%20c -> /a/b c; empty if not a file IRI.
std::string pathOfIri(std::string_view iri) {
  if (iri.substr(0, 7) != "file://") return {};
  std::string_view rest = iri.substr(7);
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size()) {
      int v = 0;
      bool ok = true;
      for (int k = 1; k <= 2; ++k) {
        char h = rest[i + k];
        v <<= 4;
        if (h >= '0' && h <= '9') v |= h - '0';
        else if (h >= 'a' && h <= 'f') v |= h - 'a' + 10;
        else if (h >= 'A' && h <= 'F') v |= h - 'A' + 10;
        else ok = false;
      }
      if (ok) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += rest[i];
  }
  size_t hash = out.find('#');
  if (hash != std::string::npos) out.resize(hash);
  return out;
}

Status readManifest(const fs::path& file, std::vector<TestCase>& tests, std::set<std::string>& seen,
                    int depth) {
  if (depth > 8) return Status::invalidArgument("mf:include nested too deeply at " + file.string());
  std::string path = fs::weakly_canonical(file).string();
  if (!seen.insert(path).second) return Status::ok();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot read manifest " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  rdf::ReadOptions opts;
  opts.format = rdf::Format::kTurtle;
  opts.base_iri = rdf::fileIri(path);
  opts.display_name = path;
  auto quads = rdf::parseQuads(ss.str(), rdf::Format::kTurtle, opts);
  if (!quads) return quads.status();
  auto g = std::make_shared<const Graph>(std::move(quads.value()));
  // The manifest node is usually <> (the file itself), but some SPARQL 1.0
  // manifests (construct/, bnode-coreference/) declare it as `[] a mf:Manifest`.
  std::vector<Term> selves = {Term::iri(opts.base_iri)};
  for (const Term& m : g->subjects(str(rdf::kRdf, "type"), str(kMf, "Manifest")))
    if (!(m == selves[0])) selves.push_back(m);
  for (const Term& self : selves) {
    for (const Term& inc : g->list(g->object(self, str(kMf, "include")))) {
      std::string p = pathOfIri(inc.value);
      if (p.empty()) return Status::invalidArgument("mf:include of a non-file IRI " + inc.value);
      WEFT_TRY(readManifest(p, tests, seen, depth + 1));
    }
    for (const Term& t : g->list(g->object(self, str(kMf, "entries")))) tests.push_back({t, g});
  }
  return Status::ok();
}

// ---------------------------------------------------------------- outcomes

enum class Verdict : char { kPass = 'P', kFail = 'F', kSkip = 'S' };

struct Outcome {
  Verdict verdict = Verdict::kPass;
  std::string message;  // failure or skip reason (first line is the summary)
};

Outcome pass() { return {Verdict::kPass, {}}; }
Outcome fail(std::string m) { return {Verdict::kFail, std::move(m)}; }
Outcome skip(std::string m) { return {Verdict::kSkip, std::move(m)}; }

Result<std::string> readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------- helpers

class CollectingWriter : public sparql::ResultWriter {
 public:
  Status begin(const std::vector<std::string>& vars) override {
    rs.vars = vars;
    return Status::ok();
  }
  Status row(std::span<const Term> values) override {
    rs.rows.emplace_back(values.begin(), values.end());
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool value) override {
    rs.is_boolean = true;
    rs.boolean = value;
    return Status::ok();
  }
  sparql::ResultSet rs;
};

// Gives each document's blank nodes their own labels ("d3.b0") so documents
// merged into one expected dataset do not share nodes by accident.
class ScopedSink : public rdf::QuadSink {
 public:
  ScopedSink(std::vector<Quad>* out, int doc) : out_(out), prefix_("d" + std::to_string(doc) + ".") {}
  Status quad(const rdf::QuadView& q) override {
    Quad copy(q);
    for (Term* t : {&copy.s, &copy.o, &copy.g})
      if (t->kind == TermKind::kBlank) t->value = prefix_ + t->value;
    out_->push_back(std::move(copy));
    return Status::ok();
  }

 private:
  std::vector<Quad>* out_;
  std::string prefix_;
};

Status readRdf(const std::string& path, const std::string& graph, rdf::QuadSink& sink) {
  rdf::ReadOptions opts;
  opts.base_iri = rdf::fileIri(path);
  opts.graph = graph;
  return rdf::readFile(path, opts, sink);
}

// Loads documents into a memory store: (path, graph IRI or "" for default).
Result<std::unique_ptr<store::Store>> loadStore(
    const std::vector<std::pair<std::string, std::string>>& docs) {
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  if (!txn) return txn.status();
  store::Loader loader(txn.value().get());
  for (const auto& [path, graph] : docs) {
    loader.startDocument();
    Status s = readRdf(path, graph, loader);
    if (!s) return Status(s.code(), "loading " + path + ": " + s.message());
  }
  WEFT_TRY(txn.value()->commit());
  return st;
}

// Every quad of the store, decoded (default graph: g kind kNone).
std::vector<Quad> dumpStore(const store::Store& st) {
  std::vector<Quad> out;
  auto snap = st.snapshot();
  auto cur = snap->scan(store::QuadIds{});
  store::QuadIds ids;
  while (cur.next(&ids)) {
    Quad q;
    snap->decode(ids.s, &q.s);
    snap->decode(ids.p, &q.p);
    snap->decode(ids.o, &q.o);
    if (ids.g != store::kDefaultGraph) snap->decode(ids.g, &q.g);
    out.push_back(std::move(q));
  }
  return out;
}

// ORDER BY anywhere in the chain of solution modifiers on top of the query.
bool hasOrderBy(const sparql::Query& q) {
  const sparql::Pattern* p = q.pattern.get();
  while (p) {
    switch (p->kind) {
      case sparql::PatternKind::kOrderBy: return true;
      case sparql::PatternKind::kProject:
      case sparql::PatternKind::kDistinct:
      case sparql::PatternKind::kReduced:
      case sparql::PatternKind::kSlice:
      case sparql::PatternKind::kExtend:  // SELECT expressions sit above ORDER BY
        p = p->children.empty() ? nullptr : p->children[0].get();
        break;
      default: return false;
    }
  }
  return false;
}

void dedupe(std::vector<std::vector<Term>>& rows) {
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
}

std::string resultSetText(const sparql::ResultSet& rs) {
  if (rs.is_boolean) return rs.boolean ? "  true\n" : "  false\n";
  std::string out = " ";
  for (const auto& v : rs.vars) out += " ?" + v;
  out += "\n";
  size_t n = 0;
  for (const auto& row : rs.rows) {
    if (++n > 50) {
      out += "  ... (" + std::to_string(rs.rows.size()) + " rows)\n";
      break;
    }
    out += " ";
    for (const Term& t : row) out += " " + (t.isNone() ? std::string("-") : rdf::toNTriples(t.view()));
    out += "\n";
  }
  return out;
}

// SERVICE for the federation tests: each qt:serviceData endpoint is a
// memory store of its qt:data; a call runs the query there (and may itself
// call the others). Endpoints the test does not describe cannot be reached.
class FakeEndpoints : public sparql::ServiceClient {
 public:
  Result<sparql::ServiceReply> call(const sparql::ServiceRequest& req) override {
    auto it = stores.find(req.endpoint);
    if (it == stores.end())
      return Status::ioError("SERVICE <" + req.endpoint + ">: no such endpoint in this test");
    db::QueryRequest q;
    q.text = req.query;
    q.exec.service = this;
    q.exec.deadline = std::chrono::steady_clock::now() + kQueryTimeout;
    CollectingWriter w;
    sparql::QueryOutput out;
    out.results = &w;
    Status s = db::runQuery(*it->second, q, out);
    if (!s) return Status::ioError("SERVICE <" + req.endpoint + ">: HTTP 400: " + s.message());
    sparql::ServiceReply reply;
    reply.results = std::move(w.rs);
    return reply;
  }
  std::map<std::string, std::unique_ptr<store::Store>> stores;
};

// ---------------------------------------------------------------- test kinds

struct Context {
  bool verbose = false;
};

Outcome syntaxTest(const Graph& g, const TestCase& t, bool update, bool positive) {
  Term action = g.object(t.iri, str(kMf, "action"));
  std::string path = pathOfIri(action.value);
  if (path.empty()) return fail("mf:action is not a local file");
  auto text = readText(path);
  if (!text) return fail(text.status().toString());
  sparql::ParseOptions po;
  po.base_iri = rdf::fileIri(path);
  Status s = update ? sparql::parseUpdate(text.value(), po).status()
                    : sparql::parseQuery(text.value(), po).status();
  if (positive && !s.isOk()) return fail("rejected: " + s.toString());
  if (!positive && s.isOk()) return fail("accepted, must be rejected");
  return pass();
}

Outcome queryEvalTest(const Graph& g, const TestCase& t, bool csv_test, const Context& ctx) {
  Term action = g.object(t.iri, str(kMf, "action"));
  std::string qpath = pathOfIri(g.object(action, str(kQt, "query")).value);
  if (qpath.empty()) return fail("qt:query is not a local file");
  auto text = readText(qpath);
  if (!text) return fail(text.status().toString());
  sparql::ParseOptions po;
  po.base_iri = rdf::fileIri(qpath);
  auto parsed = sparql::parseQuery(text.value(), po);
  if (!parsed) return fail("query does not parse: " + parsed.status().toString());
  const sparql::Query& q = parsed.value();

  std::vector<std::pair<std::string, std::string>> docs;
  std::set<std::string> named;
  for (const Term& d : g.objects(action, str(kQt, "data"))) {
    std::string p = pathOfIri(d.value);
    if (p.empty()) return fail("qt:data is not a local file: " + d.value);
    docs.emplace_back(p, "");
  }
  for (const Term& d : g.objects(action, str(kQt, "graphData"))) {
    Term file = d;
    std::string name;
    if (d.kind == TermKind::kBlank) {  // [ ut:graph <file> ; rdfs:label "name" ]
      file = g.object(d, str(kUt, "graph"));
      name = g.object(d, str(kRdfs, "label")).value;
    }
    std::string p = pathOfIri(file.value);
    if (p.empty()) return fail("qt:graphData is not a local file");
    if (name.empty()) name = rdf::fileIri(p);
    if (named.insert(name).second) docs.emplace_back(p, name);
  }
  // Local files a FROM / FROM NAMED clause names become named graphs too.
  for (const auto* list : {&q.from, &q.from_named})
    for (const Term& iri : *list) {
      std::string p = pathOfIri(iri.value);
      if (!p.empty() && fs::is_regular_file(p) && named.insert(iri.value).second)
        docs.emplace_back(p, iri.value);
    }
  auto st = loadStore(docs);
  if (!st) return fail("loading data: " + st.status().toString());
  FakeEndpoints endpoints;
  for (const Term& sd : g.objects(action, str(kQt, "serviceData"))) {
    std::string endpoint = g.object(sd, str(kQt, "endpoint")).value;
    std::vector<std::pair<std::string, std::string>> sdocs;
    for (const Term& d : g.objects(sd, str(kQt, "data"))) {
      std::string p = pathOfIri(d.value);
      if (p.empty()) return fail("qt:serviceData qt:data is not a local file: " + d.value);
      sdocs.emplace_back(p, "");
    }
    auto ss = loadStore(sdocs);
    if (!ss) return fail("loading service data: " + ss.status().toString());
    endpoints.stores[endpoint] = std::move(ss.value());
  }

  db::QueryRequest req;
  req.text = text.value();
  req.parse = po;
  req.exec.deadline = std::chrono::steady_clock::now() + kQueryTimeout;
  req.exec.service = &endpoints;
  CollectingWriter writer;
  rdf::VectorSink graph_out;
  sparql::QueryOutput out;
  out.results = &writer;
  out.graph = &graph_out;
  Status rs = db::runQuery(*st.value(), req, out);
  if (!rs) return fail("query failed: " + rs.toString());

  Term result = g.object(t.iri, str(kMf, "result"));
  std::string rpath = pathOfIri(result.value);
  if (rpath.empty()) return fail("mf:result is not a local file");
  std::string ext = fs::path(rpath).extension().string();
  sparql::ResultSet expected;
  bool graph_result = false;
  std::vector<Quad> expected_graph;
  if (ext == ".srx" || ext == ".srj" || ext == ".tsv" || ext == ".csv") {
    sparql::ResultFormat f;
    sparql::resultFormatFromName(ext.substr(1), &f);
    auto rtext = readText(rpath);
    if (!rtext) return fail(rtext.status().toString());
    auto parsedr = sparql::parseResults(rtext.value(), f);
    if (!parsedr) return fail("cannot read expected results: " + parsedr.status().toString());
    expected = std::move(parsedr.value());
    if (ext == ".csv") csv_test = true;
  } else {
    rdf::VectorSink sink;
    Status s = readRdf(rpath, "", sink);
    if (!s) return fail("cannot read expected result: " + s.toString());
    bool is_rs = std::any_of(sink.quads.begin(), sink.quads.end(), [](const Quad& x) {
      return x.o.kind == TermKind::kIri && x.o.value == kRsResultSet;
    });
    if (is_rs) {
      auto r = sparql::resultSetFromQuads(sink.quads);
      if (!r) return fail("cannot read expected rs:ResultSet: " + r.status().toString());
      expected = std::move(r.value());
    } else {
      graph_result = true;
      expected_graph = std::move(sink.quads);
    }
  }

  bool is_graph_query =
      q.form == sparql::QueryForm::kConstruct || q.form == sparql::QueryForm::kDescribe;
  if (graph_result != is_graph_query)
    return fail(graph_result ? "expected a graph, the query gives solutions"
                             : "expected solutions, the query gives a graph");
  std::string why;
  if (graph_result) {
    if (!rdf::isomorphic(expected_graph, graph_out.quads, &why)) {
      if (ctx.verbose)
        why += "\n--- expected:\n" + rdf::toNQuadsText(expected_graph) + "--- got:\n" +
               rdf::toNQuadsText(graph_out.quads);
      return fail("graph differs: " + why);
    }
    return pass();
  }
  sparql::ResultSet& actual = writer.rs;
  bool lax = g.object(t.iri, str(kMf, "resultCardinality")).value == str(kMf, "LaxCardinality");
  if (lax) {
    dedupe(expected.rows);
    dedupe(actual.rows);
  }
  bool ordered = !lax && hasOrderBy(q);
  if (!sparql::equivalentResults(expected, actual, ordered, &why, csv_test)) {
    if (ctx.verbose)
      why += "\n--- expected:\n" + resultSetText(expected) + "--- got:\n" + resultSetText(actual);
    return fail(std::string("results differ") + (ordered ? " (ordered)" : "") + ": " + why);
  }
  return pass();
}

// ut:data / ut:graphData of an action or result node as (path, graph name).
Result<std::vector<std::pair<std::string, std::string>>> updateDocs(const Graph& g, const Term& node) {
  std::vector<std::pair<std::string, std::string>> docs;
  for (const Term& d : g.objects(node, str(kUt, "data"))) {
    std::string p = pathOfIri(d.value);
    if (p.empty()) return Status::invalidArgument("ut:data is not a local file: " + d.value);
    docs.emplace_back(p, "");
  }
  for (const Term& d : g.objects(node, str(kUt, "graphData"))) {
    Term file = d.kind == TermKind::kBlank ? g.object(d, str(kUt, "graph")) : d;
    std::string p = pathOfIri(file.value);
    if (p.empty()) return Status::invalidArgument("ut:graph is not a local file");
    std::string name = d.kind == TermKind::kBlank ? g.object(d, str(kRdfs, "label")).value : "";
    if (name.empty()) name = rdf::fileIri(p);
    docs.emplace_back(p, name);
  }
  return docs;
}

Outcome updateEvalTest(const Graph& g, const TestCase& t, const Context& ctx) {
  Term action = g.object(t.iri, str(kMf, "action"));
  std::string upath = pathOfIri(g.object(action, str(kUt, "request")).value);
  if (upath.empty()) return fail("ut:request is not a local file");
  auto text = readText(upath);
  if (!text) return fail(text.status().toString());
  auto before = updateDocs(g, action);
  if (!before) return fail(before.status().toString());
  auto st = loadStore(before.value());
  if (!st) return fail("loading data: " + st.status().toString());

  db::QueryRequest req;
  req.text = text.value();
  req.parse.base_iri = rdf::fileIri(upath);
  req.exec.deadline = std::chrono::steady_clock::now() + kQueryTimeout;
  Status us = db::runUpdate(*st.value(), req);
  if (!us) return fail("update failed: " + us.toString());

  Term result = g.object(t.iri, str(kMf, "result"));
  auto after = updateDocs(g, result);
  if (!after) return fail(after.status().toString());
  std::vector<Quad> expected;
  int doc = 0;
  for (const auto& [path, graph] : after.value()) {
    ScopedSink sink(&expected, doc++);
    Status s = readRdf(path, graph, sink);
    if (!s) return fail("cannot read expected data: " + s.toString());
  }
  std::vector<Quad> actual = dumpStore(*st.value());
  std::string why;
  if (!rdf::isomorphic(expected, actual, &why)) {
    if (ctx.verbose)
      why += "\n--- expected:\n" + rdf::toNQuadsText(expected) + "--- got:\n" +
             rdf::toNQuadsText(actual);
    return fail("store differs: " + why);
  }
  return pass();
}

Outcome runTest(const TestCase& t, const Context& ctx) {
  const Graph& g = *t.g;
  std::string type;
  for (const Term& ty : g.objects(t.iri, str(rdf::kRdf, "type")))
    if (ty.value.rfind(kMf, 0) == 0) type = ty.value.substr(kMf.size());
  Term approval = g.object(t.iri, str(kDawgt, "approval"));
  if (approval.value == str(kDawgt, "NotClassified") || approval.value == str(kDawgt, "Withdrawn"))
    return skip("dawgt:approval " + approval.value.substr(kDawgt.size()));
  if (type == "PositiveSyntaxTest" || type == "PositiveSyntaxTest11")
    return syntaxTest(g, t, false, true);
  if (type == "NegativeSyntaxTest" || type == "NegativeSyntaxTest11")
    return syntaxTest(g, t, false, false);
  if (type == "PositiveUpdateSyntaxTest11") return syntaxTest(g, t, true, true);
  if (type == "NegativeUpdateSyntaxTest11") return syntaxTest(g, t, true, false);
  if (type == "QueryEvaluationTest") return queryEvalTest(g, t, false, ctx);
  if (type == "CSVResultFormatTest") return queryEvalTest(g, t, true, ctx);
  if (type == "UpdateEvaluationTest") return updateEvalTest(g, t, ctx);
  return skip("test type mf:" + (type.empty() ? std::string("?") : type) + " is not run");
}

Outcome runGuarded(const TestCase& t, const Context& ctx) {
  try {
    return runTest(t, ctx);
  } catch (const std::exception& e) {
    return fail(std::string("exception: ") + e.what());
  } catch (...) {
    return fail("unknown exception");
  }
}

// Runs the test in a child process so a crash or a hang fails only this test.
Outcome runIsolated(const TestCase& t, const Context& ctx) {
  int fds[2];
  if (pipe(fds) != 0) return runGuarded(t, ctx);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return runGuarded(t, ctx);
  }
  if (pid == 0) {
    close(fds[0]);
    Outcome o = runGuarded(t, ctx);
    std::string msg(1, static_cast<char>(o.verdict));
    msg += o.message;
    size_t off = 0;
    while (off < msg.size()) {
      ssize_t n = write(fds[1], msg.data() + off, msg.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string msg;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kHardTimeoutSeconds);
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      timed_out = r == 0;
      break;
    }
    char buf[4096];
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    msg.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) return fail("timed out after " + std::to_string(kHardTimeoutSeconds) + " s");
  if (WIFSIGNALED(status))
    return fail("crashed: " + std::string(strsignal(WTERMSIG(status))));
  if (msg.empty()) return fail("test process exited without a verdict");
  return {static_cast<Verdict>(msg[0]), msg.substr(1)};
}

// ---------------------------------------------------------------- main

std::map<std::string, std::string> loadSkips(const fs::path& file) {
  std::map<std::string, std::string> skips;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find_first_of(" \t");
    std::string iri = line.substr(0, sp);
    std::string reason;
    if (sp != std::string::npos) {
      size_t r = line.find_first_not_of(" \t", sp);
      if (r != std::string::npos) reason = line.substr(r);
    }
    if (iri.size() >= 2 && iri.front() == '<' && iri.back() == '>') iri = iri.substr(1, iri.size() - 2);
    if (!iri.empty()) skips[iri] = reason.empty() ? "in the skip list" : reason;
  }
  return skips;
}

struct Suite {
  const char* name;
  const char* manifest;  // relative to w3c-rdf-tests/sparql
};
constexpr Suite kSuites[] = {
    {"sparql10-syntax", "sparql10/manifest-syntax.ttl"},
    {"sparql10-eval", "sparql10/manifest-evaluation.ttl"},
    {"sparql11-query", "sparql11/manifest-sparql11-query.ttl"},
    {"sparql11-update", "sparql11/manifest-sparql11-update.ttl"},
    {"sparql11-results", "sparql11/manifest-sparql11-results.ttl"},
    {"sparql11-fed", "sparql11/manifest-sparql11-fed.ttl"},
};

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

int main(int argc, char** argv) {
  fs::path shared, skip_file;
  Context ctx;
  bool isolate = true;
  std::string only;
  std::vector<std::string> suites;
#ifdef WEFT_SOURCE_DIR
  shared = fs::path(WEFT_SOURCE_DIR) / ".." / "shared";
  skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "sparql-skip.txt";
#endif
  if (const char* env = std::getenv("WEFT_SHARED_DIR")) shared = env;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) {
      shared = argv[++i];
    } else if (a == "--skip" && i + 1 < argc) {
      skip_file = argv[++i];
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--verbose" || a == "-v") {
      ctx.verbose = true;
    } else if (a == "--no-fork") {
      isolate = false;
    } else if (a == "--help" || a == "-h") {
      std::printf(
          "usage: %s [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING] [--no-fork] "
          "[SUITE...]\nsuites:",
          argv[0]);
      for (const Suite& s : kSuites) std::printf(" %s", s.name);
      std::printf("\n");
      return 0;
    } else {
      suites.push_back(a);
    }
  }
  if (suites.empty())
    for (const Suite& s : kSuites) suites.push_back(s.name);
  const fs::path root = shared / "conformance" / "w3c-rdf-tests" / "sparql";
  if (shared.empty() || !fs::is_directory(root)) {
    std::printf("skipped: ../shared/conformance/w3c-rdf-tests/sparql not found\n");
    return 77;
  }
  auto skips = skip_file.empty() ? std::map<std::string, std::string>() : loadSkips(skip_file);
  int total_pass = 0, total_fail = 0, total_skip = 0;
  bool bad_usage = false;
  for (const std::string& name : suites) {
    const Suite* suite = nullptr;
    for (const Suite& s : kSuites)
      if (name == s.name) suite = &s;
    if (!suite) {
      std::printf("unknown suite %s\n", name.c_str());
      bad_usage = true;
      continue;
    }
    std::vector<TestCase> tests;
    std::set<std::string> seen;
    Status ms = readManifest(root / suite->manifest, tests, seen, 0);
    if (!ms) {
      std::printf("suite %s: cannot read manifests: %s\n", name.c_str(), ms.toString().c_str());
      ++total_fail;
      continue;
    }
    int p = 0, f = 0, s = 0;
    std::vector<std::string> failures;
    for (const TestCase& t : tests) {
      std::string label = t.g->object(t.iri, str(kMf, "name")).value;
      if (!only.empty() && t.iri.value.find(only) == std::string::npos &&
          label.find(only) == std::string::npos)
        continue;
      Outcome o;
      if (auto it = skips.find(t.iri.value); it != skips.end())
        o = skip(it->second);
      else
        o = isolate ? runIsolated(t, ctx) : runGuarded(t, ctx);
      switch (o.verdict) {
        case Verdict::kPass: ++p; break;
        case Verdict::kSkip:
          ++s;
          std::printf("  skip %s: %s\n", t.iri.value.c_str(), o.message.c_str());
          break;
        case Verdict::kFail:
          ++f;
          failures.push_back(label + " <" + t.iri.value + ">: " +
                             (ctx.verbose ? o.message : firstLine(o.message)));
          break;
      }
    }
    std::printf("suite %s: %d passed, %d failed, %d skipped (of %d)\n", name.c_str(), p, f, s,
                p + f + s);
    for (const std::string& msg : failures) std::printf("  FAIL %s\n", msg.c_str());
    std::fflush(stdout);
    total_pass += p;
    total_fail += f;
    total_skip += s;
  }
  std::printf("total: %d passed, %d failed, %d skipped\n", total_pass, total_fail, total_skip);
  return (total_fail > 0 || bad_usage) ? 1 : 0;
}
