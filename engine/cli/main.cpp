// SPDX-License-Identifier: Apache-2.0
// weft: the command-line front end. Each subcommand parses its flags and
// calls the modules below; nothing here knows a storage or syntax detail.
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "engine/cli/exchange_cmd.h"
#include "engine/cli/ingest_cmd.h"
#include "engine/cli/literal_check.h"
#include "engine/cli/map_cmd.h"
#include "engine/cli/output.h"
#include "engine/cli/push_cmd.h"
#include "engine/cli/query_cmd.h"
#include "engine/cli/reason_cmd.h"
#include "engine/cli/serve_cmd.h"
#include "engine/cli/simulate_cmd.h"
#include "engine/cli/stream_cmd.h"
#include "engine/cli/watch_cmd.h"
#include "engine/cli/twin_bootstrap_cmd.h"
#include "engine/cli/twin_cmd.h"
#include "engine/core/proc_status.h"
#include "engine/cli/validate_cmd.h"
#include "engine/rdf/pipeline.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/xsd.h"
#include "engine/store/store.h"

namespace fs = std::filesystem;
using namespace weft;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int fail(const Status& s) {
  std::fprintf(stderr, "weft: error: %s\n", s.toString().c_str());
  return 1;
}

std::string human(uint64_t bytes) {
  char buf[64];
  if (bytes >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / double(1ull << 30));
  else if (bytes >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / double(1ull << 20));
  else if (bytes >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  return buf;
}

// Wraps a sink; prints "N triples, R triples/s" to stderr about once a
// second, starting after the first second.
class ProgressSink : public rdf::QuadSink {
 public:
  ProgressSink(rdf::QuadSink* inner, bool quiet) : inner_(inner), quiet_(quiet), t0_(Clock::now()) {
    tty_ = isatty(STDERR_FILENO);
  }
  Status quad(const rdf::QuadView& q) override {
    if ((++n_ & 0xffff) == 0 && !quiet_) tick();
    return inner_->quad(q);
  }
  Status prefix(std::string_view n, std::string_view i) override { return inner_->prefix(n, i); }
  Status base(std::string_view i) override { return inner_->base(i); }
  void done() {
    if (printed_ && tty_) std::fputc('\n', stderr);
  }
  uint64_t count() const { return n_; }

 private:
  void tick() {
    double t = secondsSince(t0_);
    if (t < next_) return;
    next_ = t + 1.0;
    std::fprintf(stderr, "%s%llu triples, %.0f triples/s, %.1f s%s", tty_ ? "\r" : "",
                 static_cast<unsigned long long>(n_), n_ / t, t, tty_ ? "   " : "\n");
    std::fflush(stderr);
    printed_ = true;
  }
  rdf::QuadSink* inner_;
  bool quiet_;
  bool tty_ = false;
  bool printed_ = false;
  uint64_t n_ = 0;
  double next_ = 1.0;
  Clock::time_point t0_;
};

struct ReadFlags {
  std::string format;
  std::string base;
  std::string graph;
  std::vector<std::string> context_map;  // PREFIX=DIR
};

Result<rdf::ReadOptions> readOptions(const ReadFlags& f, const std::string& path) {
  rdf::ReadOptions o;
  if (!f.format.empty()) {
    o.format = rdf::formatFromName(f.format);
    if (o.format == rdf::Format::kUnknown) {
      return Status::invalidArgument("unknown format '" + f.format +
                                     "' (use nt, nq, ttl, trig, rdfxml or jsonld)");
    }
  } else {
    o.format = rdf::formatFromPath(path);
    if (o.format == rdf::Format::kUnknown) {
      return Status::invalidArgument("cannot tell the syntax of '" + path +
                                     "' from its name; give --format nt|nq|ttl|trig|rdfxml|jsonld");
    }
  }
  o.base_iri = f.base;
  o.graph = f.graph;
  for (const auto& m : f.context_map) {
    auto eq = m.find('=');
    if (eq == std::string::npos) return Status::invalidArgument("--context-map takes IRI-PREFIX=LOCAL-PATH");
    o.context_map[m.substr(0, eq)] = m.substr(eq + 1);
  }
  return o;
}

void addReadFlags(CLI::App* app, ReadFlags& f) {
  app->add_option("--format,-f", f.format, "Input syntax: nt, nq, ttl, trig, rdfxml, jsonld (default: from the file name)");
  app->add_option("--base", f.base, "Base IRI for relative IRIs (default: the file's file:// IRI)");
  app->add_option("--context-map", f.context_map,
                  "JSON-LD: resolve remote contexts under IRI-PREFIX from LOCAL-PATH (IRI-PREFIX=LOCAL-PATH)");
}

std::map<std::string, std::string> defaultPrefixes() {
  return {{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
          {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
          {"xsd", "http://www.w3.org/2001/XMLSchema#"},
          {"owl", "http://www.w3.org/2002/07/owl#"}};
}

// Where a command writes RDF: standard output (path "" or "-") or a file.
struct RdfOutput {
  cli::Output out;
  std::unique_ptr<rdf::QuadWriter> writer;

  Status open(const std::string& path, rdf::Format f) {
    WEFT_TRY(out.open(path));
    rdf::WriteOptions wo;
    wo.prefixes = defaultPrefixes();
    writer = rdf::makeWriter(f, out.f, wo);
    return Status::ok();
  }
  // Flushes the writer and closes the output; `s` is the status so far.
  Status finish(Status s) {
    if (s) s = writer->finish();
    return out.close(s);
  }
};

// ---- load -------------------------------------------------------------------

int cmdLoad(const std::string& store_dir, bool memory, const ReadFlags& rf,
            const std::vector<std::string>& files, bool quiet) {
  auto t0 = Clock::now();
  std::unique_ptr<store::Store> st;
  bool created = false;
  if (memory) {
    st = store::Store::openMemory();
  } else {
    std::error_code ec;
    created = !fs::exists(store_dir, ec);
    auto r = store::Store::open(store_dir, store::OpenMode::kCreateIfMissing);
    if (!r) return fail(r.status());
    st = std::move(r.value());
  }
  auto cleanup = [&] {
    // A store this command created and could not fill is removed again.
    if (created) {
      st.reset();
      std::error_code ec;
      fs::remove_all(store_dir, ec);
    }
  };
  auto txn_r = st->begin();
  if (!txn_r) return fail(txn_r.status());
  auto& txn = txn_r.value();
  store::Loader loader(txn.get());
  cli::LiteralCheckSink checked(&loader);
  ProgressSink progress(&checked, quiet);
  for (const auto& file : files) {
    auto opts = readOptions(rf, file);
    if (!opts) {
      txn->rollback();
      cleanup();
      return fail(opts.status());
    }
    loader.startDocument();
    Status s = rdf::readFilePipelined(file, opts.value(), progress);
    if (!s) {
      progress.done();
      txn->rollback();
      cleanup();
      std::fprintf(stderr, "weft: error: %s\nweft: nothing was loaded; the store is unchanged\n",
                   s.toString().c_str());
      return 1;
    }
  }
  progress.done();
  double parse_s = secondsSince(t0);
  if (!quiet && parse_s > 1.0) {
    std::fprintf(stderr, "committing %llu triples (sorting the indexes, writing the store)...\n",
                 static_cast<unsigned long long>(progress.count()));
  }
  Status s = txn->commit();
  if (!s) {
    cleanup();
    std::fprintf(stderr, "weft: error: %s\nweft: nothing was loaded; the store is unchanged\n",
                 s.toString().c_str());
    return 1;
  }
  double total = secondsSince(t0);
  checked.report();
  uint64_t n = progress.count();
  std::printf("loaded %llu triples from %zu file(s) in %.2f s (%.0f triples/s; parse+encode %.2f s, commit %.2f s)\n",
              static_cast<unsigned long long>(n), files.size(), total, total > 0 ? n / total : 0.0, parse_s,
              total - parse_s);
  std::printf("added %llu new quads\n", static_cast<unsigned long long>(txn->added()));
  if (memory) {
    auto stats = st->stats();
    uint64_t rss = procStatusBytes("VmRSS:");
    std::printf("in-memory store: %llu quads, %llu terms, index %s, dictionary %s\n",
                static_cast<unsigned long long>(stats.quads), static_cast<unsigned long long>(stats.terms),
                human(stats.index_bytes).c_str(), human(stats.dictionary_bytes).c_str());
    std::printf("memory: rss %llu bytes, peak rss %llu bytes, %.1f bytes/quad (rss), %.1f bytes/quad (store structures)\n",
                static_cast<unsigned long long>(rss), static_cast<unsigned long long>(procStatusBytes("VmHWM:")),
                stats.quads ? double(rss) / stats.quads : 0.0,
                stats.quads ? double(stats.index_bytes + stats.dictionary_bytes) / stats.quads : 0.0);
  }
  return 0;
}

// ---- export -----------------------------------------------------------------

int cmdExport(const std::string& store_dir, const std::string& graph, const std::string& format,
              const std::string& out_path) {
  rdf::Format f = rdf::formatFromName(format);
  if (f == rdf::Format::kUnknown || f == rdf::Format::kRdfXml) {
    return fail(Status::invalidArgument("unknown output format '" + format + "' (use nt, nq, ttl, trig or jsonld)"));
  }
  auto r = store::Store::open(store_dir, store::OpenMode::kReadOnly);
  if (!r) return fail(r.status());
  auto snap = r.value()->snapshot();
  store::QuadIds pat;
  if (!graph.empty()) {
    pat.g = graph == "default" ? store::kDefaultGraph : snap->lookup(rdf::TermView::iri(graph));
    if (pat.g == 0) return fail(Status::notFound("no graph <" + graph + "> in the store"));
  } else if (!rdf::formatHasGraphs(f)) {
    pat.g = store::kDefaultGraph;
    if (!snap->graphs().empty()) {
      std::fprintf(stderr, "weft: note: %s has no graphs; writing the default graph only (use nq, trig or jsonld for all)\n",
                   rdf::formatName(f));
    }
  }
  RdfOutput output;
  Status os = output.open(out_path, f);
  if (!os) return fail(os);
  auto& writer = output.writer;
  // GSPO order groups graphs and subjects for the Turtle-family writers.
  std::vector<store::TermId> graphs;
  if (pat.g != store::kAny) graphs.push_back(pat.g);
  else {
    graphs.push_back(store::kDefaultGraph);
    for (auto g : snap->graphs()) graphs.push_back(g);
  }
  Status s;
  rdf::Term t[4];
  for (auto g : graphs) {
    auto c = snap->scan(store::QuadIds{0, 0, 0, g});
    store::QuadIds q;
    while (s.isOk() && c.next(&q)) {
      if (!snap->decode(q.s, &t[0]) || !snap->decode(q.p, &t[1]) || !snap->decode(q.o, &t[2]) ||
          !snap->decode(q.g, &t[3])) {
        s = Status::corruption("a quad refers to an unknown term id; run 'weft check'");
        break;
      }
      rdf::QuadView qv{t[0].view(), t[1].view(), t[2].view(), rdf::formatHasGraphs(f) ? t[3].view() : rdf::TermView()};
      s = writer->quad(qv);
    }
  }
  s = output.finish(s);
  return s ? 0 : fail(s);
}

// ---- stats / check ------------------------------------------------------------

int cmdStats(const std::string& store_dir) {
  auto t0 = Clock::now();
  auto r = store::Store::open(store_dir, store::OpenMode::kReadOnly);
  if (!r) return fail(r.status());
  double open_s = secondsSince(t0);
  auto s = r.value()->stats();
  std::printf("store:               %s\n", store_dir.c_str());
  std::printf("quads:               %llu\n", static_cast<unsigned long long>(s.quads));
  std::printf("default graph quads: %llu\n", static_cast<unsigned long long>(s.default_graph_quads));
  std::printf("named graphs:        %llu\n", static_cast<unsigned long long>(s.named_graphs));
  std::printf("distinct terms:      %llu\n", static_cast<unsigned long long>(s.terms));
  std::printf("bytes on disk:       %llu (%s, %.1f bytes/quad)\n", static_cast<unsigned long long>(s.bytes_on_disk),
              human(s.bytes_on_disk).c_str(), s.quads ? double(s.bytes_on_disk) / s.quads : 0.0);
  std::printf("index bytes:         %llu\n", static_cast<unsigned long long>(s.index_bytes));
  std::printf("unmerged changes:    %llu quads\n", static_cast<unsigned long long>(s.delta_quads));
  std::printf("open time:           %.3f s\n", open_s);
  return 0;
}

int cmdCheck(const std::string& store_dir) {
  auto r = store::Store::open(store_dir, store::OpenMode::kReadOnly);
  if (!r) return fail(r.status());
  std::string report;
  Status s = r.value()->check(&report);
  std::fputs(report.c_str(), stdout);
  if (!s) return fail(s);
  std::printf("store '%s' is consistent\n", store_dir.c_str());
  return 0;
}

// ---- convert ----------------------------------------------------------------------

class CountingSink : public rdf::QuadSink {
 public:
  explicit CountingSink(rdf::QuadWriter* w) : w_(w) {}
  Status quad(const rdf::QuadView& q) override {
    ++n;
    return w_->quad(q);
  }
  uint64_t n = 0;

 private:
  rdf::QuadWriter* w_;
};

int cmdConvert(const ReadFlags& rf, const std::string& to, const std::string& in, const std::string& out_path) {
  auto opts = readOptions(rf, in);
  if (!opts) return fail(opts.status());
  rdf::Format of = to.empty() ? rdf::formatFromPath(out_path) : rdf::formatFromName(to);
  if (of == rdf::Format::kUnknown || of == rdf::Format::kRdfXml) {
    return fail(Status::invalidArgument("cannot write '" + out_path + "': give --to nt|nq|ttl|trig|jsonld"));
  }
  RdfOutput output;
  Status os = output.open(out_path, of);
  if (!os) return fail(os);
  CountingSink sink(output.writer.get());
  Status s = output.finish(rdf::readFile(in, opts.value(), sink));
  if (!s) return fail(s);
  std::fprintf(stderr, "converted %llu quads\n", static_cast<unsigned long long>(sink.n));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Queries allocate and free hash tables of many megabytes each. glibc would
  // map each with mmap and unmap it on free, so every query paid page faults
  // for fresh zeroed memory (a quarter of a 6-way join's time, measured);
  // keeping blocks up to 32 MiB in the heap, and up to 512 MiB of free heap
  // before trimming, lets the next query reuse them.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  CLI::App app{"weft: supply-network knowledge graphs (RDF store and syntaxes, SPARQL, RML mapping, connectors, OWL 2 RL reasoning, SHACL validation; a twin to come)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "weft 0.1.0");

  std::string store_dir, graph, format, out_path, to;
  bool memory = false, quiet = false;
  std::vector<std::string> files;
  ReadFlags rf;

  auto* load = app.add_subcommand("load", "Load RDF files into a store, all in one transaction");
  load->add_option("--store", store_dir, "Store directory (created if missing)");
  load->add_flag("--memory", memory, "Load into an in-memory store and report its size, instead of --store");
  load->add_option("--graph", rf.graph, "Put triples (and default-graph quads) into this named graph");
  addReadFlags(load, rf);
  load->add_flag("--quiet,-q", quiet, "No progress line");
  load->add_option("FILE", files, "Files to load (.gz is decompressed)")->required()->check(CLI::ExistingPath);

  auto* exp = app.add_subcommand("export", "Write a store's quads in an RDF syntax");
  exp->add_option("--store", store_dir, "Store directory")->required();
  exp->add_option("--graph", graph, "Only this named graph ('default' for the default graph)");
  exp->add_option("--format,-f", format, "nt, nq, ttl, trig or jsonld")->required();
  exp->add_option("-o,--output", out_path, "Output file (default: standard output)");

  auto* stats = app.add_subcommand("stats", "Print a store's statistics");
  stats->add_option("--store", store_dir, "Store directory")->required();

  auto* check = app.add_subcommand("check", "Check the integrity of a store's dictionary and indexes");
  check->add_option("--store", store_dir, "Store directory")->required();

  std::string conv_in, conv_out = "-";
  auto* conv = app.add_subcommand("convert", "Convert between RDF syntaxes, streaming");
  addReadFlags(conv, rf);
  conv->add_option("--to,-t", to, "Output syntax (default: from OUT's name)");
  conv->add_option("IN", conv_in, "Input file")->required();
  conv->add_option("OUT", conv_out, "Output file, or - for standard output (then give --to)");

  cli::QueryFlags qf;
  auto* query = cli::addQueryCommand(app, qf);
  cli::MapFlags mf;
  auto* mapc = cli::addMapCommand(app, mf);
  cli::UpdateFlags uf;
  auto* update = cli::addUpdateCommand(app, uf);
  cli::IngestFlags inf;
  auto* ingest = cli::addIngestCommand(app, inf);
  cli::ValidateFlags vf;
  auto* validate = cli::addValidateCommand(app, vf);
  cli::ReasonFlags rsf;
  auto* reasonc = cli::addReasonCommand(app, rsf);
  auto* explainc = cli::addExplainCommand(app, rsf);
  cli::PushFlags pushf;
  auto* pushc = cli::addPushCommand(app, pushf);
  cli::ExchangeFlags xf;  // weft export --for ... (extends export) and weft import
  cli::addExchangeCommands(app, exp, xf);

  cli::SimulateFlags simf;
  auto* simc = cli::addSimulateCommand(app, simf);
  // The `weft twin` group: each twin subcommand adds itself under twinc.
  auto* twinc = app.add_subcommand("twin", "Digital twin tools beyond `weft simulate` (docs/twin.md)");
  twinc->require_subcommand(1);
  cli::TwinBootstrapFlags tbf;
  auto* bootc = cli::addTwinBootstrapCommand(*twinc, tbf);
  cli::TwinFlags twf;  // twin calibrate / backtest / whatif
  cli::addTwinCommands(*twinc, twf);
  cli::ServeFlags svf;
  auto* servec = cli::addServeCommand(app, svf);
  auto* keyc = cli::addKeyCommand(app, svf);
  cli::StreamFlags stf;  // weft stream, weft replay (docs/streaming.md)
  cli::addStreamCommands(app, stf);
  cli::WatchFlags wtf;  // weft watch drift (docs/watch.md)
  cli::addWatchCommands(app, wtf);

  CLI11_PARSE(app, argc, argv);

  if (load->parsed()) {
    if (memory == !store_dir.empty()) {
      std::fprintf(stderr, "weft load: give exactly one of --store DIR or --memory\n");
      return 2;
    }
    return cmdLoad(store_dir, memory, rf, files, quiet);
  }
  if (int rc = cli::runExchange(xf); rc >= 0) return rc;
  if (exp->parsed()) return cmdExport(store_dir, graph, format, out_path);
  if (stats->parsed()) return cmdStats(store_dir);
  if (check->parsed()) return cmdCheck(store_dir);
  if (conv->parsed()) return cmdConvert(rf, to, conv_in, conv_out);
  if (query->parsed()) return cli::cmdQuery(qf);
  if (mapc->parsed()) return cli::cmdMap(mf);
  if (update->parsed()) return cli::cmdUpdate(uf);
  if (ingest->parsed()) return cli::cmdIngest(inf);
  if (validate->parsed()) return cli::cmdValidate(vf);
  if (reasonc->parsed()) return cli::cmdReason(rsf);
  if (explainc->parsed()) return cli::cmdExplain(rsf);
  if (simc->parsed()) return cli::cmdSimulate(simf);
  if (bootc->parsed()) return cli::cmdTwinBootstrap(tbf);
  if (int rc = cli::runTwin(twf); rc >= 0) return rc;
  if (servec->parsed()) return cli::cmdServe(svf);
  if (keyc->parsed()) return cli::cmdKey(svf);
  if (pushc->parsed()) return cli::cmdPush(pushf);
  if (int rc = cli::runStream(stf); rc >= 0) return rc;
  if (int rc = cli::runWatch(wtf); rc >= 0) return rc;
  return 2;
}
