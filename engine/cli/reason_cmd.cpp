// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/reason_cmd.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "engine/reason/reasoner.h"
#include "engine/rdf/syntax.h"
#include "engine/store/store.h"

namespace weft::cli {
namespace {

int fail(const char* cmd, const Status& s) {
  std::fprintf(stderr, "weft %s: error: %s\n", cmd, s.toString().c_str());
  return 1;
}

Result<reason::Options> options(const ReasonFlags& f) {
  reason::Options o;
  o.profile = f.profile == "rdfs" ? reason::Profile::kRdfs : reason::Profile::kOwlRl;
  o.full = f.full;
  o.eq_ref = f.eq_ref;
  for (const std::string& path : f.rules) {
    auto r = reason::loadRules(path);
    if (!r) return r.status();
    for (auto& rule : r.value()) o.rules.push_back(std::move(rule));
  }
  if (!f.quiet && isatty(2)) {
    auto t0 = std::chrono::steady_clock::now();
    o.progress = [t0](std::string_view line) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "\r\033[K[%6.1fs] %.*s", s, static_cast<int>(line.size()), line.data());
    };
  }
  return o;
}

void addCommon(CLI::App* c, ReasonFlags& f) {
  c->add_option("--store", f.store_dir, "Store directory")->required();
  c->add_option("--profile", f.profile, "Rule set: owl-rl (default) or rdfs")
      ->check(CLI::IsMember({"owl-rl", "rdfs"}));
  c->add_option("--rules", f.rules,
                "Domain rules: a SPARQL CONSTRUCT file or a folder of *.rq files (e.g. ontologies/rules); "
                "repeatable");
}

}  // namespace

CLI::App* addReasonCommand(CLI::App& app, ReasonFlags& f) {
  auto* c = app.add_subcommand(
      "reason",
      "Materialise what the data implies (OWL 2 RL or RDFS, plus domain rules) into the graph "
      "https://w3id.org/weft/graph/inferred, incrementally when the store was reasoned before");
  addCommon(c, f);
  c->add_flag("--full", f.full, "Recompute from scratch even if an incremental update is possible");
  c->add_flag("--drop", f.drop, "Remove the inferred graph (and the incremental state) instead");
  c->add_flag("--eq-ref", f.eq_ref, "Also write x owl:sameAs x for every subject and object (rule eq-ref)");
  c->add_flag("--fail-on-inconsistency", f.fail_inconsistent, "Exit with code 4 if the closure is inconsistent");
  c->add_flag("--quiet,-q", f.quiet, "No progress line");
  c->footer(
      "Prints a summary (key value per line) on standard output and each inconsistency on standard "
      "error.\nExit codes: 0 ok (inconsistencies are reported, not fatal), 1 error (the store is "
      "unchanged), 2 bad usage, 4 inconsistent with --fail-on-inconsistency.");
  return c;
}

int cmdReason(const ReasonFlags& f) {
  auto st = store::Store::open(f.store_dir, store::OpenMode::kMustExist);
  if (!st) return fail("reason", st.status());
  if (f.drop) {
    Status s = reason::dropInferred(*st.value());
    if (!s) return fail("reason", s);
    std::fprintf(stderr, "dropped the inferred graph\n");
    return 0;
  }
  auto o = options(f);
  if (!o) return fail("reason", o.status());
  auto r = reason::materialize(*st.value(), o.value());
  if (o->progress) std::fprintf(stderr, "\r\033[K");
  if (!r) {
    std::fprintf(stderr, "weft reason: error: %s\nweft reason: the store is unchanged\n",
                 r.status().toString().c_str());
    return 1;
  }
  const reason::Report& rep = r.value();
  std::printf("asserted %llu\nclosure %llu\ninferred %llu\nadded %llu\nremoved %llu\n",
              static_cast<unsigned long long>(rep.asserted), static_cast<unsigned long long>(rep.closure),
              static_cast<unsigned long long>(rep.inferred), static_cast<unsigned long long>(rep.added),
              static_cast<unsigned long long>(rep.removed));
  std::printf("rules %llu\nread-seconds %.3f\nreason-seconds %.3f\nwrite-seconds %.3f\n",
              static_cast<unsigned long long>(rep.rules), rep.read_seconds, rep.reason_seconds,
              rep.write_seconds);
  std::printf("peak-rss-kb-start %llu\npeak-rss-kb-reasoned %llu\npeak-rss-kb-end %llu\n",
              static_cast<unsigned long long>(rep.rss_start_kb),
              static_cast<unsigned long long>(rep.rss_reasoned_kb),
              static_cast<unsigned long long>(rep.rss_end_kb));
  std::printf("same-as-classes %llu\nsame-as-members %llu\ninconsistencies %zu\nseconds %.3f\nmode %s\n",
              static_cast<unsigned long long>(rep.same_as_classes),
              static_cast<unsigned long long>(rep.same_as_members), rep.inconsistencies.size(), rep.seconds,
              rep.incremental ? "incremental" : "full");
  if (!rep.incremental && !rep.why_full.empty() && !f.full)
    std::fprintf(stderr, "weft reason: computed from scratch: %s\n", rep.why_full.c_str());
  size_t shown = 0;
  for (const auto& inc : rep.inconsistencies) {
    if (++shown > 50) {
      std::fprintf(stderr, "... and %zu more inconsistencies (all are in the inferred graph as dt:Inconsistency)\n",
                   rep.inconsistencies.size() - 50);
      break;
    }
    std::fprintf(stderr, "inconsistency %s\n", inc.message.c_str());
  }
  if (f.fail_inconsistent && !rep.inconsistencies.empty()) return 4;
  return 0;
}

namespace {

// One line on stderr for a closure update (or its error).
bool printClosureUpdate(const Result<reason::Report>& r, bool quiet) {
  if (!r) {
    std::fprintf(stderr,
                 "weft: reasoning: error: %s\nweft: the write stands; the inferred graph is as before "
                 "(run weft reason)\n",
                 r.status().toString().c_str());
    return false;
  }
  if (!quiet)
    std::fprintf(stderr, "reasoning: inferred graph +%llu -%llu (%s, %.2f s)%s\n",
                 static_cast<unsigned long long>(r->added), static_cast<unsigned long long>(r->removed),
                 r->incremental ? "incremental" : ("from scratch: " + r->why_full).c_str(), r->seconds,
                 r->inconsistencies.empty() ? ""
                                             : (", " + std::to_string(r->inconsistencies.size()) +
                                                " inconsistencies").c_str());
  return true;
}

}  // namespace

bool keepClosure(store::Store& store, bool quiet) {
  reason::Options o;
  auto have = reason::storedOptions(store, &o);
  if (!have) {
    std::fprintf(stderr, "weft: reasoning: %s\n", have.status().toString().c_str());
    return false;
  }
  if (!have.value()) return true;
  return printClosureUpdate(reason::materialize(store, o), quiet);
}

struct ClosureKeeper::Impl {
  reason::Resident resident;
  bool opened = false, usable = false;
  explicit Impl(store::Store& s) : resident(s) {}
  bool open() {
    if (opened) return usable;
    opened = true;
    auto have = resident.open();
    if (!have) {
      std::fprintf(stderr, "weft: reasoning: %s\n", have.status().toString().c_str());
      opened = false;  // asked again next time
      return false;
    }
    usable = have.value();
    return usable;
  }
};

ClosureKeeper::ClosureKeeper(store::Store& store) : d_(std::make_unique<Impl>(store)) {}
ClosureKeeper::~ClosureKeeper() = default;

bool ClosureKeeper::afterCommit(const store::CommitDelta& delta, bool quiet) {
  if (!d_->open()) return d_->opened;
  return printClosureUpdate(d_->resident.afterCommit(delta), quiet);
}

bool ClosureKeeper::afterWrite(bool quiet) {
  if (!d_->open()) return d_->opened;
  return printClosureUpdate(d_->resident.afterWrite(), quiet);
}

void ClosureKeeper::finish() {
  if (!d_->usable) return;
  if (Status s = d_->resident.flush(); !s)
    std::fprintf(stderr,
                 "weft: reasoning: the incremental state was not saved (%s); the next run reasons from scratch\n",
                 s.toString().c_str());
}

CLI::App* addExplainCommand(CLI::App& app, ReasonFlags& f) {
  auto* c = app.add_subcommand(
      "explain", "Print how an inferred triple follows from the asserted records and their documents");
  addCommon(c, f);
  c->add_option("TRIPLE", f.triple,
                "The triple in Turtle, e.g. '<https://ex.org/lot1> rdf:type dt:MaterialLot' (prefixes rdf, "
                "rdfs, owl, xsd and dt are declared)")
      ->required();
  c->footer(
      "Reasons again in memory with derivations recorded (the store is not changed), so give the same "
      "--profile and --rules as to weft reason.\nExit codes: 0 explained, 1 not in the closure or error, 2 "
      "bad usage.");
  return c;
}

int cmdExplain(const ReasonFlags& f) {
  class One : public rdf::QuadSink {
   public:
    std::vector<rdf::Quad> q;
    Status quad(const rdf::QuadView& x) override {
      q.emplace_back(x);
      return Status::ok();
    }
  } sink;
  std::string text =
      "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
      "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
      "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
      "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
      "@prefix dt: <https://w3id.org/weft/dt#> .\n" +
      f.triple + " .\n";
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTurtle;
  ro.display_name = "TRIPLE";
  ro.base_iri = "urn:weft:explain:";
  Status ps = rdf::readString(text, ro, sink);
  if (!ps || sink.q.size() != 1) {
    std::fprintf(stderr, "weft explain: give one triple in Turtle syntax: %s\n",
                 ps ? "got more or fewer than one" : ps.message().c_str());
    return 2;
  }
  auto st = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!st) return fail("explain", st.status());
  auto o = options(f);
  if (!o) return fail("explain", o.status());
  o->progress = nullptr;
  auto r = reason::explain(*st.value(), o.value(), sink.q[0].s, sink.q[0].p, sink.q[0].o);
  if (!r) return fail("explain", r.status());
  std::fputs(r.value().c_str(), stdout);
  return 0;
}

}  // namespace weft::cli
