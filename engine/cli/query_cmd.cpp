// SPDX-License-Identifier: Apache-2.0
// `weft query` and `weft update` (query_cmd.h): read the request text, open
// the store (or load --data files into memory), run it through engine/db, and
// write the results: SPARQL result formats (engine/sparql/results.h) for
// SELECT and ASK, RDF syntaxes (rdf::makeWriter) for CONSTRUCT and DESCRIBE.
#include "engine/cli/query_cmd.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "engine/cli/output.h"
#include "engine/cli/reason_cmd.h"
#include "engine/db/database.h"
#include "engine/db/merged_view.h"
#include "engine/db/overlay.h"
#include "engine/net/sparql_client.h"
#include "engine/rdf/syntax.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"
#include "engine/store/store.h"

namespace weft::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitLimit = 3;

int fail(const Status& s, int code = kExitFailure) {
  std::fprintf(stderr, "weft: error: %s\n", s.toString().c_str());
  return code;
}

int usage(const char* cmd, const std::string& msg) {
  std::fprintf(stderr, "weft %s: %s\nRun with --help for more information.\n", cmd, msg.c_str());
  return kExitUsage;
}

// The request text: the positional argument or the file (- = standard input).
Result<std::string> requestText(const char* cmd, const std::string& text, const std::string& file) {
  if (text.empty() == file.empty()) {
    return Status::invalidArgument(std::string("give the ") + cmd + " text or --file FILE (exactly one)");
  }
  if (file.empty()) return text;
  std::string out;
  if (file == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return out;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::notFound("cannot read '" + file + "': " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Holds a run's results in memory (--repeat: every run is timed the same way,
// and only the last one is written).
class CaptureResults : public sparql::ResultWriter {
 public:
  Status begin(const std::vector<std::string>& vars) override {
    rs = sparql::ResultSet();
    rs.vars = vars;
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> values) override {
    rs.rows.emplace_back(values.begin(), values.end());
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool value) override {
    rs = sparql::ResultSet();
    rs.is_boolean = true;
    rs.boolean = value;
    return Status::ok();
  }
  Status replay(sparql::ResultWriter& w) const {
    if (rs.is_boolean) return w.boolean(rs.boolean);
    WEFT_TRY(w.begin(rs.vars));
    for (const auto& r : rs.rows) WEFT_TRY(w.row(r));
    return w.end();
  }
  sparql::ResultSet rs;
};

class CaptureQuads : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView& q) override {
    quads.emplace_back(q);
    return Status::ok();
  }
  Status replay(rdf::QuadSink& w) const {
    for (const auto& q : quads) WEFT_TRY(w.quad(q.view()));
    return Status::ok();
  }
  std::vector<rdf::Quad> quads;
};

// Loads --data files into a fresh in-memory store, one blank node scope per
// file; quad syntaxes keep their named graphs.
// "query:3:7: unexpected ..." from the parser's "3:7: unexpected ...".
std::string located(const std::string& source, const Status& s) { return source + ":" + s.message(); }

std::string limitMessage(const Status& s, double timeout, uint64_t max_rows, Clock::time_point deadline) {
  if (timeout > 0 && Clock::now() >= deadline) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", timeout);
    return std::string("the query ran longer than --timeout ") + buf + " s and was stopped";
  }
  if (max_rows > 0) {
    return "the result has more than --max-rows " + std::to_string(max_rows) + " rows; stopped";
  }
  return s.toString();
}

const char* formName(sparql::QueryForm f) {
  switch (f) {
    case sparql::QueryForm::kSelect: return "SELECT";
    case sparql::QueryForm::kAsk: return "ASK";
    case sparql::QueryForm::kConstruct: return "CONSTRUCT";
    case sparql::QueryForm::kDescribe: return "DESCRIBE";
  }
  return "?";
}

}  // namespace

CLI::App* addQueryCommand(CLI::App& app, QueryFlags& f) {
  auto* q = app.add_subcommand("query", "Run a SPARQL 1.1 query over a store or over RDF files");
  auto* st = q->add_option("--store", f.store_dir, "Store directory");
  // One file per --data, so the query text after it is not taken for a file.
  auto* data = q->add_option("--data", f.data,
                             "RDF file to query instead of a store, loaded into memory (repeat for more files)")
                   ->allow_extra_args(false)
                   ->check(CLI::ExistingFile);
  st->excludes(data);
  q->add_option("--format,-f", f.format,
                "Output: table, json, xml, csv, tsv (SELECT/ASK; default table on a terminal, else tsv) "
                "or ttl, nt, nq, trig, jsonld (CONSTRUCT/DESCRIBE; default ttl)")
      ->check(CLI::IsMember({"table", "json", "srj", "xml", "srx", "csv", "tsv", "ttl", "turtle", "nt",
                             "ntriples", "nq", "nquads", "trig", "jsonld"}));
  q->add_option("--timeout", f.timeout, "Stop the query after this many seconds (exit code 3)")
      ->check(CLI::PositiveNumber);
  q->add_option("--service-timeout", f.service_timeout,
                "Give up on a SERVICE call after this many seconds (SERVICE SILENT then gives no rows)")
      ->check(CLI::PositiveNumber);
  q->add_option("--max-rows", f.max_rows, "Stop when the result has more rows (or triples) than this (exit code 3)");
  q->add_flag("--explain", f.explain, "Print the query plan with row counts to standard error after the results");
  q->add_flag("--union", f.union_graph,
              "Without FROM, the default graph is the union of all graphs (a store of one graph per ingested "
              "document queried as one graph); GRAPH still names each document's graph");
  q->add_flag("--no-merge", f.no_merge,
              "With --union on a reasoned store, show each owl:sameAs alias with its own records instead of "
              "as its class's representative (docs/reasoning.md)");
  q->add_option("--repeat", f.repeat, "Run the query K times (benchmarking); print each run's time to standard error")
      ->check(CLI::Range(1, 1000000));
  q->add_option("-o,--output", f.out, "Output file (default: standard output)");
  q->add_option("--base", f.base, "Base IRI for relative IRIs in the query");
  q->add_option("--file", f.file, "Read the query from this file (- for standard input)");
  q->add_option("QUERY", f.text, "The query text");
  q->footer("Exit codes: 0 ok, 1 error, 2 bad usage or query syntax, 3 --timeout or --max-rows reached.");
  return q;
}

CLI::App* addUpdateCommand(CLI::App& app, UpdateFlags& f) {
  auto* u = app.add_subcommand("update", "Run a SPARQL 1.1 update on a store, as one transaction");
  u->add_option("--store", f.store_dir, "Store directory")->required();
  u->add_option("--timeout", f.timeout, "Give up after this many seconds, changing nothing (exit code 3)")
      ->check(CLI::PositiveNumber);
  u->add_option("--base", f.base, "Base IRI for relative IRIs in the update");
  u->add_option("--file", f.file, "Read the update from this file (- for standard input)");
  u->add_flag("--no-reason", f.no_reason,
              "Leave the inferred graph as it is (by default a store reasoned before is brought up to date)");
  u->add_option("UPDATE", f.text, "The update text");
  u->footer("All operations apply or none does. Exit codes: 0 ok, 1 error, 2 bad usage or update syntax, "
            "3 --timeout reached.");
  return u;
}

int cmdQuery(const QueryFlags& f) {
  if (f.store_dir.empty() == f.data.empty()) return usage("query", "give --store DIR or --data FILE...");
  auto text = requestText("query", f.text, f.file);
  if (!text) {
    if (text.status().code() == StatusCode::kInvalidArgument) return usage("query", text.status().message());
    return fail(text.status());
  }
  db::QueryRequest req;
  req.text = std::move(text.value());
  req.parse.base_iri = f.base;
  req.exec.max_rows = f.max_rows;
  req.exec.union_default_graph = f.union_graph;
  // SERVICE calls any http(s) endpoint the query names (the CLI runs as its user).
  net::SparqlClientOptions service_opts;
  service_opts.defaults.timeout = std::chrono::milliseconds(static_cast<int64_t>(f.service_timeout * 1000));
  net::SparqlServiceClient service(std::move(service_opts));
  req.exec.service = &service;
  // Parse once here: syntax errors are usage errors, and the query form
  // decides the output format.
  auto parsed = sparql::parseQuery(req.text, req.parse);
  if (!parsed) {
    std::fprintf(stderr, "weft: error: %s\n", located(f.file.empty() ? "query" : f.file, parsed.status()).c_str());
    return kExitUsage;
  }
  sparql::QueryForm form = parsed.value().form;
  bool tabular = form == sparql::QueryForm::kSelect || form == sparql::QueryForm::kAsk;

  Output out;
  sparql::ResultFormat rf = sparql::ResultFormat::kTsv;
  rdf::Format gf = rdf::Format::kTurtle;
  if (tabular) {
    std::string name = f.format.empty() ? (f.out.empty() && isatty(STDOUT_FILENO) ? "table" : "tsv") : f.format;
    if (!sparql::resultFormatFromName(name, &rf)) {
      return usage("query", std::string("--format ") + name + " is for graphs; " + formName(form) +
                                " results are written as table, json, xml, csv or tsv");
    }
  } else if (!f.format.empty()) {
    gf = rdf::formatFromName(f.format);
    if (gf == rdf::Format::kUnknown || gf == rdf::Format::kRdfXml) {
      return usage("query", "--format " + f.format + " is for result tables; " + formName(form) +
                                " results are RDF: use ttl, nt, nq, trig or jsonld");
    }
  }

  std::unique_ptr<store::Store> st;
  if (!f.store_dir.empty()) {
    auto r = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
    if (!r) return fail(r.status());
    st = std::move(r.value());
  } else {
    auto r = db::loadFilesInMemory(f.data);
    if (!r) return fail(r.status());
    st = std::move(r.value());
  }

  Status os = out.open(f.out);
  if (!os) return fail(os);
  std::unique_ptr<sparql::ResultWriter> results;
  std::unique_ptr<rdf::QuadWriter> graph;
  if (tabular) {
    results = sparql::makeResultWriter(rf, out.f);
  } else {
    rdf::WriteOptions wo;
    for (const auto& [name, ns] : parsed.value().prefixes) wo.prefixes[name] = ns;
    graph = rdf::makeWriter(gf, out.f, wo);
  }

  // One snapshot and the parsed query for all runs: a run times evaluation
  // (into memory when repeated), not parsing or writing.
  db::StoreDataset store_data(st->snapshot());
  // --union on a reasoned store: each owl:sameAs class as its representative.
  std::unique_ptr<db::MergedDataset> merged;
  if (f.union_graph && !f.no_merge) merged = db::MergedDataset::over(store_data);
  const sparql::Dataset& data = merged ? static_cast<const sparql::Dataset&>(*merged) : store_data;
  CaptureResults cap_results;
  CaptureQuads cap_quads;
  std::string explain;
  Status s;
  for (int run = 1; run <= f.repeat && s; ++run) {
    sparql::QueryOutput qo;
    if (f.repeat == 1) {
      qo.results = results.get();
      qo.graph = graph.get();
    } else {
      cap_quads.quads.clear();
      qo.results = &cap_results;
      qo.graph = &cap_quads;
    }
    if (f.explain) {
      explain.clear();
      qo.explain = &explain;
    }
    auto t0 = Clock::now();
    req.exec.deadline = f.timeout > 0 ? t0 + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(f.timeout))
                                      : Clock::time_point::max();
    s = sparql::executeQuery(parsed.value(), data, req.exec, qo);
    if (!s && s.code() == StatusCode::kAborted) {
      (void)out.close(s);  // removes a partial output file
      return fail(Status::aborted(limitMessage(s, f.timeout, f.max_rows, req.exec.deadline)), kExitLimit);
    }
    if (f.repeat > 1 && s) {
      std::fprintf(stderr, "run %d: %.3f ms\n", run,
                   std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
  }
  if (s && f.repeat > 1) s = tabular ? cap_results.replay(*results) : cap_quads.replay(*graph);
  if (s && graph) s = graph->finish();
  s = out.close(s);
  if (!s) return fail(s);
  if (f.explain) std::fputs(explain.c_str(), stderr);
  return 0;
}

int cmdUpdate(const UpdateFlags& f) {
  auto text = requestText("update", f.text, f.file);
  if (!text) {
    if (text.status().code() == StatusCode::kInvalidArgument) return usage("update", text.status().message());
    return fail(text.status());
  }
  db::QueryRequest req;
  req.text = std::move(text.value());
  req.parse.base_iri = f.base;
  auto parsed = sparql::parseUpdate(req.text, req.parse);
  if (!parsed) {
    std::fprintf(stderr, "weft: error: %s\nweft: nothing was changed\n",
                 located(f.file.empty() ? "update" : f.file, parsed.status()).c_str());
    return kExitUsage;
  }
  auto r = store::Store::open(f.store_dir, store::OpenMode::kMustExist);
  if (!r) return fail(r.status());
  if (f.timeout > 0) {
    req.exec.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(f.timeout));
  }
  sparql::UpdateStats effective;
  Status s = db::runUpdateCounted(*r.value(), req, nullptr, &effective);
  if (!s) {
    bool limit = s.code() == StatusCode::kAborted;
    std::string msg = limit && f.timeout > 0 && Clock::now() >= req.exec.deadline
                          ? "the update ran longer than --timeout and was stopped"
                          : s.toString();
    std::fprintf(stderr, "weft: error: %s\nweft: nothing was changed; the store is unchanged\n", msg.c_str());
    return limit ? kExitLimit : kExitFailure;
  }
  std::printf("update: %llu quads inserted, %llu deleted\n", static_cast<unsigned long long>(effective.inserted),
              static_cast<unsigned long long>(effective.deleted));
  if (!f.no_reason && (effective.inserted > 0 || effective.deleted > 0) && !keepClosure(*r.value(), false))
    return kExitFailure;
  return 0;
}

}  // namespace weft::cli
