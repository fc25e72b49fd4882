// SPDX-License-Identifier: Apache-2.0
// `weft map` (see map_cmd.h).
#include "engine/cli/map_cmd.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "engine/cli/output.h"
#include "engine/map/executor.h"
#include "engine/map/loader.h"
#include "engine/rdf/syntax.h"
#include "engine/store/store.h"

namespace weft::cli {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int fail(const Status& s, int code = kExitFailure) {
  std::fprintf(stderr, "weft: error: %s\n", s.toString().c_str());
  return code;
}
int usage(const std::string& msg) {
  std::fprintf(stderr, "weft map: %s\nRun with --help for more information.\n", msg.c_str());
  return kExitUsage;
}

class TxnSink : public rdf::QuadSink {
 public:
  explicit TxnSink(store::Transaction& t) : t_(t) {}
  Status quad(const rdf::QuadView& q) override { return t_.add(q); }

 private:
  store::Transaction& t_;
};

class NullSink : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView&) override { return Status::ok(); }
};

}  // namespace

// "256M", "1G", "500000K", "1048576" -> bytes.
bool parseSize(const std::string& s, size_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || v < 0) return false;
  std::string unit(end);
  double mult = 1;
  if (unit == "K" || unit == "k" || unit == "KiB") mult = 1024.0;
  else if (unit == "M" || unit == "m" || unit == "MiB") mult = 1024.0 * 1024;
  else if (unit == "G" || unit == "g" || unit == "GiB") mult = 1024.0 * 1024 * 1024;
  else if (!unit.empty()) return false;
  *out = static_cast<size_t>(v * mult);
  return true;
}

CLI::App* addMapCommand(CLI::App& app, MapFlags& f) {
  auto* c = app.add_subcommand("map", "Run an RML or R2RML mapping into a store or an RDF file");
  c->add_option("mapping", f.mapping, "Mapping document (Turtle; RML, legacy rml.io or R2RML)")->required();
  c->add_option("--base", f.base, "Base IRI for relative IRIs the mapping makes (default http://example.com/base/)");
  c->add_option("--store", f.store_dir, "Write into this store, as one transaction");
  c->add_option("-o,--output", f.out, "Write to this file ('-' = standard output; the default without --store)");
  c->add_option("--format", f.format, "Output syntax: nq (default), nt, ttl, trig");
  c->add_option("--on-error", f.on_error, "A bad record stops the run (fail) or is skipped (skip)")
      ->check(CLI::IsMember({"fail", "skip"}));
  c->add_option("--rejects", f.rejects, "With --on-error skip: write each rejected record's position and reason here");
  c->add_option("--memory-limit", f.memory_limit, "Memory for join tables and duplicate elimination (e.g. 256M, 1G)");
  c->add_option("--sql-db", f.sql_db, "SQLite database for R2RML logical tables and D2RQ sources");
  c->add_option("--input", f.input,
                 "The document a connector mapping reads: replaces its rml:path \"INPUT\" (sibling paths "
                 "resolve against its folder; for R2RML, the SQLite database)");
  c->add_flag("--dry-run", f.dry_run, "Check the mapping and run it without writing anything");
  c->add_flag("-q,--quiet", f.quiet, "No progress line or summary");
  return c;
}

int cmdMap(const MapFlags& f) {
  if (!f.store_dir.empty() && !f.out.empty()) return usage("give --store DIR or -o FILE, not both");
  size_t limit = 0;
  if (!parseSize(f.memory_limit, &limit)) return usage("--memory-limit " + f.memory_limit + " is not a size");
  rdf::Format fmt = rdf::Format::kNQuads;
  if (!f.format.empty()) {
    fmt = rdf::formatFromName(f.format);
    if (fmt == rdf::Format::kUnknown || fmt == rdf::Format::kRdfXml || fmt == rdf::Format::kJsonLd)
      return usage("--format " + f.format + ": use nq, nt, ttl or trig");
  }
  map::LoadOptions lo;
  lo.base = f.base;
  lo.sql_db = f.sql_db;
  lo.input = f.input;
  auto mapping = map::loadMapping(f.mapping, lo);
  if (!mapping.isOk()) {
    std::fprintf(stderr, "weft: error: %s: %s\n", f.mapping.c_str(), mapping.status().message().c_str());
    return kExitUsage;
  }
  map::RunOptions ro;
  ro.skip_errors = f.on_error == "skip";
  ro.rejects_path = f.rejects;
  ro.memory_limit = limit;
  const bool tty = isatty(STDERR_FILENO);
  auto t0 = std::chrono::steady_clock::now();
  auto secs = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  if (!f.quiet) {
    // At most once a second on a terminal (one line, redrawn), every 10 s
    // into a log.
    double last = 0;
    ro.progress = [&, last](const map::RunStats& s) mutable {
      double t = secs();
      if (t - last < (tty ? 1.0 : 10.0)) return;
      last = t;
      std::fprintf(stderr, "%sweft map: %llu records, %llu triples, %.0f s%s", tty ? "\r" : "",
                   static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.quads), t,
                   tty ? "" : "\n");
    };
  }
  map::RunStats stats;
  Status st;
  if (f.dry_run) {
    NullSink sink;
    st = map::runMapping(mapping.value(), ro, sink, &stats);
  } else if (!f.store_dir.empty()) {
    auto opened = store::Store::open(f.store_dir, store::OpenMode::kCreateIfMissing);
    if (!opened.isOk()) return fail(opened.status());
    auto txn = opened.value()->begin();
    if (!txn.isOk()) return fail(txn.status());
    TxnSink sink(*txn.value());
    ro.dedupe = false;  // the store keeps a set of quads: it drops duplicates itself
    st = map::runMapping(mapping.value(), ro, sink, &stats);
    if (st) st = txn.value()->commit();
    else txn.value()->rollback();  // one transaction: nothing from a failed run
  } else {
    Output out;
    if (Status os = out.open(f.out); !os) return fail(os);
    auto writer = rdf::makeWriter(fmt, out.f);
    st = map::runMapping(mapping.value(), ro, *writer, &stats);
    if (st) st = writer->finish();
    st = out.close(st);
  }
  if (!f.quiet && tty && stats.records >= 0x10000) std::fputc('\n', stderr);
  if (!st) return fail(st);
  if (!f.quiet) {
    double t = secs();
    std::fprintf(stderr,
                 "weft map: %llu records read, %llu triples %s, %llu duplicates dropped, %llu records rejected, "
                 "%.2f s (%.0f triples/s)\n",
                 static_cast<unsigned long long>(stats.records), static_cast<unsigned long long>(stats.quads),
                 f.dry_run ? "made (dry run: nothing written)" : "written",
                 static_cast<unsigned long long>(stats.duplicates), static_cast<unsigned long long>(stats.rejects), t,
                 t > 0 ? static_cast<double>(stats.quads) / t : 0.0);
    if (stats.spilled_quads || stats.spilled_joins)
      std::fprintf(stderr,
                   "weft map: over --memory-limit %s: %llu quads waited in temporary files for duplicate "
                   "elimination, %llu joins ran partition by partition\n",
                   f.memory_limit.c_str(), static_cast<unsigned long long>(stats.spilled_quads),
                   static_cast<unsigned long long>(stats.spilled_joins));
    if (stats.dropped_terms)
      std::fprintf(stderr, "weft map: %llu terms with an invalid IRI were left out (legacy rml.io mapping)\n",
                   static_cast<unsigned long long>(stats.dropped_terms));
  }
  return 0;
}

}  // namespace weft::cli
