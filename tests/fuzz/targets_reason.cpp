// SPDX-License-Identifier: Apache-2.0
// Fuzz targets for the reasoning and validation layers (see targets.h).
//
// fuzz_reason: the input is a Turtle document (at most 64 KiB and 256
// triples: the closure of n triples can hold O(n^2) triples, and one input
// runs the reasoner about 25 times). It is loaded into an in-memory store and
// materialised with OWL 2 RL, then RDFS, then OWL 2 RL with two fixed domain
// rules (kCopyRule, kTypeRule). After each run:
//  - materialize succeeded (these options and rules are valid for any data);
//  - every asserted triple is still in the store, the default graph holds
//    nothing else, and no graph but the inferred graph appeared;
//  - the Report agrees with the store (asserted count; inferred count when
//    there is no inconsistency report; a first run adds all it infers);
//  - a second run with Options::full changes nothing (added == removed == 0,
//    same closure size and inconsistencies);
//  - reason::explain succeeds on triples of the inferred graph, on an
//    asserted triple and (with the rules) on a domain rule's conclusion;
//  - the inferred graph is in the canonical form reasoner.h describes: no
//    asserted triple, nothing on an alias, each alias with one representative
//    and both owl:sameAs links, no other owl:sameAs; RDFS merges nothing;
//  - the inferred graph does not depend on history: RDFS after OWL 2 RL, and
//    OWL 2 RL + rules after that, leave the same inferred graph as the same
//    run on a fresh store.
// Then the triples go into a durable store in steps (checkIncremental), each
// reasoned incrementally where the reasoner can and compared with a full run.
//
// fuzz_shacl: the input is a shapes graph and a data graph, both Turtle,
// separated by a line "#---" (a Turtle comment, so a seed can be checked as
// one document); without that line the document is both the shapes and the
// data. The shapes are compiled with shacl::parseShapes and the data, loaded
// into an in-memory store, validated (deadline 2 s). Invariants:
//  - conforms == (no result of any severity) (shacl.h, SHACL 3.6.1), and the
//    totals, severity counts and per-shape counts add up;
//  - reportTurtle() parses back as Turtle, and gives the same triples as
//    writeReport() (blank nodes masked): one sh:ValidationReport, the right
//    sh:conforms, one sh:result per result;
//  - the same results with sparql_batch = false (the reference evaluation of
//    SHACL-SPARQL; not compared when the shapes text mentions a function
//    whose value may differ per run), over the default graph alone (the data
//    is all there), and the same totals with max_results = 1;
//  - the same results when the data is in a named graph validated alone, and
//    when it is in two graphs validated as their union (not compared when
//    the shapes text mentions GRAPH or FROM);
//  - a named data graph that does not exist is Status::notFound.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/db/database.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/term.h"
#include "engine/reason/reasoner.h"
#include "engine/shacl/shacl.h"
#include "engine/store/store.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {
namespace {

// Relative IRIs resolve into ex: (<p> is ex:p), so short inputs reach the
// properties the domain rules use.
constexpr const char* kBase = "http://example.org/";
constexpr size_t kMaxInput = 64 * 1024;
constexpr uint64_t kMaxReasonTriples = 256;
constexpr uint64_t kMaxShaclTriples = 4096;
constexpr std::string_view kInconsistencyBase = "https://w3id.org/weft/inconsistency/";
constexpr std::string_view kRepresentative = "https://w3id.org/weft/dt#representative";
constexpr std::string_view kOwlSameAs = "http://www.w3.org/2002/07/owl#sameAs";
// Bookkeeping in the inferred graph, not part of the closure:
// `<inferred graph> dt:reasonerRun "nonce"` names the run that wrote it (the
// nonce hashes store ids, so it differs between stores with other histories).
constexpr std::string_view kReasonerRun = "https://w3id.org/weft/dt#reasonerRun";

// The domain rules of the third run: a copy of ex:p as ex:q, and a type for
// what has an ex:q to a non-literal (a rule reading another rule's output).
constexpr const char* kCopyRule =
    "PREFIX ex: <http://example.org/>\n"
    "CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:p ?o }\n";
constexpr const char* kTypeRule =
    "PREFIX ex: <http://example.org/>\n"
    "CONSTRUCT { ?s a ex:HasQ } WHERE { ?s ex:q ?o FILTER(!isLiteral(?o)) }\n";

[[noreturn]] void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in %s: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

bool verbose() {
  static const bool v = std::getenv("WEFT_FUZZ_VERBOSE") != nullptr;
  return v;
}

// WEFT_FUZZ_VERBOSE=2 also prints fuzz_reason's inferred graph after each
// run and fuzz_shacl's report summary.
bool veryVerbose() {
  static const bool v = verbose() && std::string_view(std::getenv("WEFT_FUZZ_VERBOSE")) == "2";
  return v;
}

// Reads every byte so that a dangling view is caught by ASan (the sum keeps
// the reads from being optimised away).
volatile unsigned g_touched = 0;
void touch(std::string_view s) {
  unsigned h = 0;
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  g_touched = g_touched + h;
}

rdf::ReadOptions turtleOptions() {
  rdf::ReadOptions opts;
  opts.format = rdf::Format::kTurtle;
  opts.base_iri = kBase;
  opts.display_name = "<fuzz>";
  return opts;
}

// Stops a document after `max` triples (the reader reports the sink's error).
class LimitSink : public rdf::QuadSink {
 public:
  LimitSink(rdf::QuadSink& next, uint64_t max) : next_(next), max_(max) {}
  Status quad(const rdf::QuadView& q) override {
    if (++n_ > max_) return Status::aborted("more than " + std::to_string(max_) + " triples");
    return next_.quad(q);
  }

 private:
  rdf::QuadSink& next_;
  uint64_t max_;
  uint64_t n_ = 0;
};

class CollectSink : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView& q) override {
    quads.emplace_back(q);
    return Status::ok();
  }
  std::vector<rdf::Quad> quads;
};

// A Turtle document in a new in-memory store (default graph), or null if it
// does not parse or is too large.
std::unique_ptr<store::Store> loadTurtle(const char* target, std::string_view text,
                                         uint64_t max_triples) {
  std::unique_ptr<store::Store> st = store::Store::openMemory();
  auto txn = st->begin();
  if (!txn) fail(target, "begin: " + txn.status().toString());
  store::Loader loader(txn.value().get());
  loader.startDocument();
  LimitSink limit(loader, max_triples);
  Status s = rdf::readString(text, turtleOptions(), limit);
  if (verbose()) std::fprintf(stderr, "%s: load: %s\n", target, s.toString().c_str());
  if (!s) return nullptr;
  s = txn.value()->commit();
  if (!s) fail(target, "commit of a parsed document: " + s.toString());
  return st;
}

std::string quadText(const store::Snapshot& snap, const store::QuadIds& q) {
  rdf::Term s, p, o;
  if (!snap.decode(q.s, &s) || !snap.decode(q.p, &p) || !snap.decode(q.o, &o))
    fail("fuzz_reason", "a quad of the store has an id that does not decode");
  return rdf::toNTriples(s.view()) + " " + rdf::toNTriples(p.view()) + " " +
         rdf::toNTriples(o.view());
}

// ---------------------------------------------------------------------------
// fuzz_reason
// ---------------------------------------------------------------------------

constexpr const char* kReason = "fuzz_reason";

store::TermId inferredGraphId(const store::Snapshot& snap) {
  return snap.lookup(rdf::TermView::iri(reason::kInferredGraph));
}

// The inferred graph as sorted N-Triples lines (ids differ between stores),
// without the dt:reasonerRun triple.
std::vector<std::string> inferredLines(const store::Store& st) {
  auto snap = st.snapshot();
  std::vector<std::string> out;
  store::TermId g = inferredGraphId(*snap);
  if (g == 0) return out;
  store::TermId run = snap->lookup(rdf::TermView::iri(kReasonerRun));
  auto c = snap->scan({store::kAny, store::kAny, store::kAny, g});
  store::QuadIds q;
  while (c.next(&q))
    if (run == 0 || q.p != run) out.push_back(quadText(*snap, q));
  std::sort(out.begin(), out.end());
  return out;
}

std::string profileName(const reason::Options& o) {
  std::string n = o.profile == reason::Profile::kRdfs ? "RDFS" : "OWL 2 RL";
  if (!o.rules.empty()) n += " + domain rules";
  return n;
}

std::string firstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  std::string out;
  for (size_t i = 0; i < only_a.size() && i < 5; ++i)
    out += "\n  only after the history: " + only_a[i];
  for (size_t i = 0; i < only_b.size() && i < 5; ++i)
    out += "\n  only on a fresh store:  " + only_b[i];
  return out;
}

class ReasonCase {
 public:
  explicit ReasonCase(store::Store& st) : st_(st) {
    auto snap = st_.snapshot();
    auto c = snap->scan({});
    store::QuadIds q;
    while (c.next(&q)) asserted_.push_back(q);
  }

  // One materialisation and the checks that follow it.
  reason::Report run(const reason::Options& opts) {
    const std::string what = profileName(opts);
    auto before = st_.snapshot();
    const bool fresh =
        inferredGraphId(*before) == 0 || before->count({0, 0, 0, inferredGraphId(*before)}) == 0;
    auto r = reason::materialize(st_, opts);
    if (!r) fail(kReason, what + ": materialize failed: " + r.status().toString());
    const reason::Report& rep = r.value();
    if (verbose()) {
      std::fprintf(stderr,
                   "fuzz_reason: %s: %llu asserted, %llu closure, %llu inferred, +%llu -%llu, %zu "
                   "inconsistencies\n",
                   what.c_str(), static_cast<unsigned long long>(rep.asserted),
                   static_cast<unsigned long long>(rep.closure),
                   static_cast<unsigned long long>(rep.inferred),
                   static_cast<unsigned long long>(rep.added),
                   static_cast<unsigned long long>(rep.removed), rep.inconsistencies.size());
    }
    if (veryVerbose())
      for (const std::string& line : inferredLines(st_))
        std::fprintf(stderr, "  %s\n", line.c_str());
    checkStore(what, opts.profile, rep, fresh);

    // Nothing to do the second time, even from scratch.
    reason::Options again = opts;
    again.full = true;
    auto r2 = reason::materialize(st_, again);
    if (!r2) fail(kReason, what + ": second materialize failed: " + r2.status().toString());
    const reason::Report& rep2 = r2.value();
    if (rep2.added != 0 || rep2.removed != 0) {
      fail(kReason, what + ": a second full run changed the inferred graph: +" +
                        std::to_string(rep2.added) + " -" + std::to_string(rep2.removed));
    }
    if (rep2.closure != rep.closure || rep2.inferred != rep.inferred ||
        rep2.inconsistencies.size() != rep.inconsistencies.size()) {
      fail(kReason, what + ": a second full run reports another closure: " +
                        std::to_string(rep.closure) + "/" + std::to_string(rep.inferred) + "/" +
                        std::to_string(rep.inconsistencies.size()) + " then " +
                        std::to_string(rep2.closure) + "/" + std::to_string(rep2.inferred) + "/" +
                        std::to_string(rep2.inconsistencies.size()));
    }
    checkStore(what + " (second run)", opts.profile, rep2, false);
    explainSome(what, opts);
    return rep;
  }

 private:
  void checkStore(const std::string& what, reason::Profile profile, const reason::Report& rep,
                  bool fresh) {
    auto snap = st_.snapshot();
    for (const store::QuadIds& q : asserted_)
      if (snap->count(q) != 1)
        fail(kReason, what + ": asserted triple lost: " + quadText(*snap, q));
    uint64_t in_default = snap->count({0, 0, 0, store::kDefaultGraph});
    if (in_default != asserted_.size()) {
      fail(kReason, what + ": the default graph went from " + std::to_string(asserted_.size()) +
                        " to " + std::to_string(in_default) + " triples");
    }
    store::TermId g = inferredGraphId(*snap);
    for (store::TermId other : snap->graphs())
      if (other != g) fail(kReason, what + ": a graph other than the inferred graph appeared");
    if (rep.asserted != asserted_.size()) {
      fail(kReason, what + ": Report::asserted is " + std::to_string(rep.asserted) +
                        ", the store holds " + std::to_string(asserted_.size()));
    }
    uint64_t inferred = g == 0 ? 0 : snap->count({0, 0, 0, g});
    // Two inconsistency reports may share a node, so the count is exact only without them.
    if (rep.inconsistencies.empty() && rep.inferred != inferred) {
      fail(kReason, what + ": Report::inferred is " + std::to_string(rep.inferred) +
                        ", the inferred graph holds " + std::to_string(inferred));
    }
    // Report::added and removed leave out the dt:reasonerRun triple.
    store::TermId run = snap->lookup(rdf::TermView::iri(kReasonerRun));
    uint64_t runs = g == 0 || run == 0 ? 0 : snap->count({0, run, 0, g});
    if (fresh && (rep.added != inferred - runs || rep.removed != 0)) {
      fail(kReason, what + ": a first run reports +" + std::to_string(rep.added) + " -" +
                        std::to_string(rep.removed) + " for an inferred graph of " +
                        std::to_string(inferred));
    }
    checkCanonicalForm(what, profile, *snap);
    // RDFS gives owl:sameAs no meaning (docs/reasoning.md: rdfs2, 3, 5, 7, 9,
    // 11 only), so nothing is merged.
    if (profile == reason::Profile::kRdfs && rep.same_as_classes != 0)
      fail(kReason, what + ": " + std::to_string(rep.same_as_classes) +
                        " owl:sameAs classes merged under RDFS");
  }

 public:
  // reasoner.h: the inferred graph holds the closure's triples that are not
  // asserted as such, on representatives, plus for each alias the links
  // `alias owl:sameAs rep`, `rep owl:sameAs alias`, `alias dt:representative rep`.
  static void checkCanonicalForm(const std::string& what, reason::Profile profile,
                                 const store::Snapshot& snap) {
    store::TermId g = inferredGraphId(snap);
    if (g == 0) return;
    store::TermId same = snap.lookup(rdf::TermView::iri(kOwlSameAs));
    store::TermId repr = snap.lookup(rdf::TermView::iri(kRepresentative));
    store::TermId run = snap.lookup(rdf::TermView::iri(kReasonerRun));
    std::vector<store::QuadIds> quads;
    auto c = snap.scan({0, 0, 0, g});
    store::QuadIds q;
    while (c.next(&q))
      if (run == 0 || q.p != run) quads.push_back(q);
    auto in = [&](store::TermId s, store::TermId p, store::TermId o) {
      return p != 0 && snap.count({s, p, o, g}) > 0;
    };
    std::map<store::TermId, store::TermId> rep_of;  // alias -> representative
    for (const store::QuadIds& x : quads) {
      if (repr == 0 || x.p != repr || !in(x.s, same, x.o) || !in(x.o, same, x.s)) continue;
      if (!rep_of.emplace(x.s, x.o).second)
        fail(kReason, what + ": an alias with two representatives: " + quadText(snap, x));
    }
    for (auto [alias, r] : rep_of)
      if (rep_of.count(r))
        fail(kReason,
             what + ": a representative is an alias: " + quadText(snap, {alias, repr, r, g}));
    std::set<store::TermId> reports;  // dt:Inconsistency nodes
    for (const store::QuadIds& x : quads) {
      rdf::Term s;
      if (snap.decode(x.s, &s) && s.kind == rdf::TermKind::kIri &&
          s.value.compare(0, kInconsistencyBase.size(), kInconsistencyBase) == 0)
        reports.insert(x.s);
    }
    for (const store::QuadIds& x : quads) {
      if (reports.count(x.s)) continue;
      if (x.p == same && x.s != x.o && profile == reason::Profile::kOwlRl) {
        // Every owl:sameAs of the inferred graph is a link of a merge (under
        // RDFS owl:sameAs is a property like any other).
        if (!(rep_of.count(x.s) && rep_of[x.s] == x.o) &&
            !(rep_of.count(x.o) && rep_of[x.o] == x.s))
          fail(kReason,
               what + ": owl:sameAs in the inferred graph without its merge: " + quadText(snap, x));
        continue;
      }
      if (x.p == repr && rep_of.count(x.s) && rep_of[x.s] == x.o) continue;
      if (snap.count({x.s, x.p, x.o, store::kDefaultGraph}) > 0)
        fail(kReason,
             what + ": an asserted triple is also in the inferred graph: " + quadText(snap, x));
      if (rep_of.count(x.s) || rep_of.count(x.p) || rep_of.count(x.o))
        fail(kReason,
             what + ": an inferred triple is not on the representatives: " + quadText(snap, x));
    }
  }

 private:
  void explainOne(const std::string& what, const reason::Options& opts, const rdf::Term& s,
                  const rdf::Term& p, const rdf::Term& o, const char* why) {
    auto r = reason::explain(st_, opts, s, p, o);
    std::string spelled = rdf::toNTriples(s.view()) + " " + rdf::toNTriples(p.view()) + " " +
                          rdf::toNTriples(o.view());
    if (!r)
      fail(kReason,
           what + ": explain(" + why + " " + spelled + ") failed: " + r.status().toString());
    if (r.value().empty()) fail(kReason, what + ": explain(" + why + " " + spelled + ") is empty");
    touch(r.value());
  }

  // Explains two triples of the inferred graph, an asserted triple and, with
  // the domain rules, the copy of the first asserted ex:p triple.
  void explainSome(const std::string& what, const reason::Options& opts) {
    auto snap = st_.snapshot();
    auto decode = [&](const store::QuadIds& q, rdf::Term t[3]) {
      if (!snap->decode(q.s, &t[0]) || !snap->decode(q.p, &t[1]) || !snap->decode(q.o, &t[2]))
        fail(kReason, "a quad of the store has an id that does not decode");
    };
    rdf::Term t[3];
    store::TermId g = inferredGraphId(*snap);
    std::vector<store::QuadIds> inferred;
    if (g != 0) {
      auto c = snap->scan({0, 0, 0, g});
      store::QuadIds q;
      while (c.next(&q)) {
        decode(q, t);
        // Inconsistency reports and `alias dt:representative rep` links are
        // in the inferred graph but not in the closure.
        if (t[0].kind == rdf::TermKind::kIri &&
            t[0].value.compare(0, kInconsistencyBase.size(), kInconsistencyBase) == 0)
          continue;
        if (t[1].value == kRepresentative || t[1].value == kReasonerRun) continue;
        inferred.push_back(q);
      }
    }
    if (!inferred.empty()) {
      size_t picks[2] = {inferred.size() / 2, inferred.size() - 1};
      for (size_t k = 0; k < 2; ++k) {
        if (k == 1 && picks[1] == picks[0]) break;
        decode(inferred[picks[k]], t);
        explainOne(what, opts, t[0], t[1], t[2], "inferred");
      }
    }
    if (!asserted_.empty()) {
      decode(asserted_[asserted_.size() / 3], t);
      explainOne(what, opts, t[0], t[1], t[2], "asserted");
    }
    if (!opts.rules.empty()) {
      store::TermId p = snap->lookup(rdf::TermView::iri("http://example.org/p"));
      for (const store::QuadIds& q : asserted_) {
        if (q.p != p || p == 0) continue;
        decode(q, t);
        explainOne(what, opts, t[0], rdf::Term::iri("http://example.org/q"), t[2],
                   "domain rule's copy of");
        break;
      }
    }
  }

  store::Store& st_;
  std::vector<store::QuadIds> asserted_;
};

reason::Options reasonOptions(reason::Profile profile, bool rules) {
  reason::Options o;
  o.profile = profile;
  if (rules) o.rules = {{"copy-p.rq", kCopyRule}, {"type-q.rq", kTypeRule}};
  return o;
}

// The same run on a fresh store must leave the same inferred graph.
void compareWithFresh(std::string_view text, const store::Store& st, const reason::Options& opts,
                      const reason::Report& rep) {
  std::unique_ptr<store::Store> fresh = loadTurtle(kReason, text, kMaxReasonTriples);
  if (!fresh) fail(kReason, "the document did not load a second time");
  auto r = reason::materialize(*fresh, opts);
  if (!r) fail(kReason, profileName(opts) + " on a fresh store failed: " + r.status().toString());
  std::vector<std::string> a = inferredLines(st), b = inferredLines(*fresh);
  if (a != b) {
    fail(kReason, profileName(opts) + ": the inferred graph depends on the runs before it (" +
                      std::to_string(a.size()) + " triples after them, " +
                      std::to_string(b.size()) + " on a fresh store):" + firstDifference(a, b));
  }
  if (r.value().closure != rep.closure ||
      r.value().inconsistencies.size() != rep.inconsistencies.size())
    fail(kReason, profileName(opts) + ": the Report depends on the runs before it");
}

// ---------------------------------------------------------------------------
// fuzz_shacl
// ---------------------------------------------------------------------------

constexpr const char* kShacl = "fuzz_shacl";

// Offset of the separator line "#---" and of the line after it, or npos.
std::pair<size_t, size_t> findSeparator(std::string_view in) {
  for (size_t pos = 0; (pos = in.find("#---", pos)) != std::string_view::npos; pos += 4) {
    if (pos != 0 && in[pos - 1] != '\n') continue;
    size_t end = pos + 4;
    if (end < in.size() && in[end] == '\r') ++end;
    if (end == in.size()) return {pos, end};
    if (in[end] == '\n') return {pos, end + 1};
  }
  return {std::string_view::npos, std::string_view::npos};
}

std::string nt(const rdf::Term& t) {
  return t.isNone() ? std::string("-") : rdf::toNTriples(t.view());
}

// A result as one line, for comparing reports as multisets.
std::string resultKey(const shacl::ValidationResult& r) {
  std::string k = nt(r.focus_node) + " | " +
                  (r.path ? shacl::pathToSparql(*r.path) : std::string("-")) + " | " + nt(r.value) +
                  " | " + nt(r.source_shape) + " | " + nt(r.component) + " | " + nt(r.severity) +
                  " | " + nt(r.source_constraint);
  for (const rdf::Term& m : r.messages) k += " | " + nt(m);
  return k;
}

std::vector<std::string> resultKeys(const shacl::ValidationReport& r) {
  std::vector<std::string> out;
  for (const auto& res : r.results) out.push_back(resultKey(res));
  std::sort(out.begin(), out.end());
  return out;
}

std::string sh(std::string_view local) { return std::string(shacl::kSh) + std::string(local); }

void checkCounts(const shacl::ValidationReport& r, uint64_t max_results, const std::string& what) {
  if (r.conforms != (r.total == 0))
    fail(kShacl, what + ": conforms is " + (r.conforms ? "true" : "false") + " with " +
                     std::to_string(r.total) + " results");
  if (r.violations + r.warnings + r.infos + r.others != r.total)
    fail(kShacl, what + ": the severity counts do not add up to the total");
  uint64_t kept = max_results == 0 ? r.total : std::min<uint64_t>(r.total, max_results);
  if (r.results.size() != kept)
    fail(kShacl, what + ": " + std::to_string(r.results.size()) + " results kept of " +
                     std::to_string(r.total) + " (max_results " + std::to_string(max_results) +
                     ")");
  uint64_t in_counts = 0;
  for (const auto& c : r.counts) {
    if (c.n == 0) fail(kShacl, what + ": a count of zero results");
    in_counts += c.n;
  }
  if (in_counts != r.total)
    fail(kShacl, what + ": the per-shape counts do not add up to the total");
  uint64_t v = 0, w = 0, i = 0, o = 0;
  for (const auto& res : r.results) {
    if (res.focus_node.isNone() || res.source_shape.isNone() ||
        res.component.kind != rdf::TermKind::kIri || res.severity.kind != rdf::TermKind::kIri)
      fail(kShacl,
           what + ": a result without focus node, shape, component or severity: " + resultKey(res));
    if (res.severity.value == sh("Violation")) {
      ++v;
    } else if (res.severity.value == sh("Warning")) {
      ++w;
    } else if (res.severity.value == sh("Info")) {
      ++i;
    } else {
      ++o;
    }
  }
  if (r.results.size() == r.total &&
      (v != r.violations || w != r.warnings || i != r.infos || o != r.others))
    fail(kShacl, what + ": the severity counts disagree with the results");
}

// The triples of a graph as lines with every blank node written "_:".
std::vector<std::string> maskedLines(const std::vector<rdf::Quad>& quads) {
  std::vector<std::string> out;
  for (const rdf::Quad& q : quads) {
    std::string line;
    for (const rdf::Term* t : {&q.s, &q.p, &q.o}) {
      line += t->kind == rdf::TermKind::kBlank ? std::string("_:") : rdf::toNTriples(t->view());
      line += ' ';
    }
    out.push_back(std::move(line));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void checkReportTurtle(const shacl::ValidationReport& r, const shacl::Shapes& shapes) {
  std::string ttl = shacl::reportTurtle(r, shapes);
  CollectSink parsed;
  Status s = rdf::readString(ttl, turtleOptions(), parsed);
  if (!s) fail(kShacl, "the report's Turtle does not parse: " + s.toString() + "\n" + ttl);
  CollectSink written;
  s = shacl::writeReport(r, written);
  if (!s) fail(kShacl, "writeReport failed: " + s.toString());
  std::vector<std::string> a = maskedLines(parsed.quads), b = maskedLines(written.quads);
  if (a != b) {
    std::string diff;
    for (size_t i = 0; i < std::max(a.size(), b.size()) && diff.size() < 2000; ++i) {
      const std::string& x = i < a.size() ? a[i] : std::string("(none)");
      const std::string& y = i < b.size() ? b[i] : std::string("(none)");
      if (x != y) diff += "\n  turtle: " + x + "\n  quads:  " + y;
    }
    fail(kShacl, "reportTurtle and writeReport give different triples (" +
                     std::to_string(a.size()) + " and " + std::to_string(b.size()) + "):" + diff +
                     "\n" + ttl);
  }
  // One report node with the right verdict and one sh:result per result.
  size_t reports = 0, conforms = 0, results = 0;
  const std::string type = std::string(rdf::kRdf) + "type";
  for (const rdf::Quad& q : parsed.quads) {
    if (q.p.value == type && q.o.kind == rdf::TermKind::kIri && q.o.value == sh("ValidationReport"))
      ++reports;
    if (q.p.value == sh("conforms")) {
      if (q.o.value != (r.conforms ? "true" : "false") ||
          q.o.datatype != std::string(rdf::kXsd) + "boolean")
        fail(kShacl, "sh:conforms is " + nt(q.o) + " in the Turtle report");
      ++conforms;
    }
    if (q.p.value == sh("result")) ++results;
  }
  if (reports != 1 || conforms != 1 || results != r.results.size())
    fail(kShacl, "the Turtle report has " + std::to_string(reports) + " reports, " +
                     std::to_string(conforms) + " sh:conforms and " + std::to_string(results) +
                     " sh:result for " + std::to_string(r.results.size()) + " results\n" + ttl);
}

// SHACL-SPARQL functions whose value may differ between two runs (and
// aggregates that pick members in any order): batched and per-focus-node
// evaluation are not compared when the shapes mention one.
bool mayDifferPerRun(std::string_view shapes_text) {
  std::string up(shapes_text);
  for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* f : {"RAND", "NOW", "UUID", "BNODE", "SAMPLE", "GROUP_CONCAT"})
    if (up.find(f) != std::string::npos) return true;
  return false;
}

// SPARQL that may read other graphs than the data graph (GRAPH, FROM).
bool mentionsGraphs(std::string_view shapes_text) {
  std::string up(shapes_text);
  for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return up.find("GRAPH") != std::string::npos || up.find("FROM") != std::string::npos;
}

constexpr const char* kDataGraph = "urn:weft:fuzz:data";

// A memory store holding `quads` in each of `graphs` ("" = the default graph).
std::unique_ptr<store::Store> storeWith(const std::vector<rdf::Quad>& quads,
                                        const std::vector<std::string>& graphs) {
  std::unique_ptr<store::Store> st = store::Store::openMemory();
  auto txn = st->begin();
  if (!txn) fail(kShacl, "begin: " + txn.status().toString());
  for (const std::string& g : graphs) {
    rdf::Term gt = g.empty() ? rdf::Term() : rdf::Term::iri(g);
    for (const rdf::Quad& q : quads) {
      Status s = txn.value()->add({q.s.view(), q.p.view(), q.o.view(), gt.view()});
      if (!s) fail(kShacl, "add: " + s.toString());
    }
  }
  if (Status s = txn.value()->commit(); !s) fail(kShacl, "commit: " + s.toString());
  return st;
}

Result<shacl::ValidationReport> runValidate(const db::StoreDataset& ds,
                                            const shacl::DataScope& scope,
                                            const shacl::Shapes& shapes,
                                            shacl::ValidateOptions vo) {
  vo.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  return shacl::validate(ds, scope, shapes, vo);
}

// A failed validation must say why; an abort (deadline) ends the input.
bool usable(const Result<shacl::ValidationReport>& r, const char* what) {
  if (r) return true;
  if (r.status().message().empty())
    fail(kShacl, std::string(what) + ": validate failed without a message");
  if (verbose()) std::fprintf(stderr, "fuzz_shacl: %s: %s\n", what, r.status().toString().c_str());
  return false;
}

// ---------------------------------------------------------------------------
// fuzz_reason: incremental maintenance of a durable store
// ---------------------------------------------------------------------------

// The folder for this process's durable store (one input at a time).
const std::string& scratchDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/weft-fuzz-reason-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (!d) fail(kReason, "mkdtemp failed");
    return std::string(d);
  }();
  static const bool cleanup = [] {
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratchDir(), ec);
    });
    return true;
  }();
  (void)cleanup;
  return dir;
}

// One transaction: removals, then additions (raw blank node labels, so the
// same label is the same node in every step and in the fresh store).
void change(store::Store& st, const std::vector<rdf::Quad>& add,
            const std::vector<rdf::Quad>& remove, store::CommitDelta* delta = nullptr) {
  auto txn = st.begin();
  if (!txn) fail(kReason, "begin: " + txn.status().toString());
  if (delta) txn.value()->recordChanges(delta);
  for (const rdf::Quad& q : remove)
    if (Status s = txn.value()->remove(q.view()); !s) fail(kReason, "remove: " + s.toString());
  for (const rdf::Quad& q : add)
    if (Status s = txn.value()->add(q.view()); !s) fail(kReason, "add: " + s.toString());
  if (Status s = txn.value()->commit(); !s) fail(kReason, "commit: " + s.toString());
}

std::vector<rdf::Quad> defaultGraphOf(const store::Store& st) {
  auto snap = st.snapshot();
  std::vector<rdf::Quad> out;
  auto c = snap->scan({0, 0, 0, store::kDefaultGraph});
  store::QuadIds q;
  rdf::Quad x;
  while (c.next(&q)) {
    if (!snap->decode(q.s, &x.s) || !snap->decode(q.p, &x.p) || !snap->decode(q.o, &x.o))
      fail(kReason, "a quad of the store has an id that does not decode");
    out.push_back(x);
  }
  return out;
}

// The inferred graph without dt:Inconsistency nodes (the unit tests compare
// incremental and full runs the same way), and the inconsistencies' rules.
std::vector<std::string> closureLines(const store::Store& st) {
  std::vector<std::string> out;
  const std::string prefix = "<" + std::string(kInconsistencyBase);
  for (std::string& l : inferredLines(st))
    if (l.compare(0, prefix.size(), prefix) != 0) out.push_back(std::move(l));
  return out;
}
std::vector<std::string> ruleNames(const reason::Report& r) {
  std::vector<std::string> out;
  for (const auto& i : r.inconsistencies) out.push_back(i.rule);
  std::sort(out.begin(), out.end());
  return out;
}

// The durable store's inferred graph must be what a full run over the same
// asserted triples gives in a fresh store.
void compareWithFull(const std::string& step, const store::Store& st, const reason::Options& opts,
                     const reason::Report& rep) {
  std::unique_ptr<store::Store> fresh = store::Store::openMemory();
  change(*fresh, defaultGraphOf(st), {});
  auto r = reason::materialize(*fresh, opts);
  if (!r) fail(kReason, profileName(opts) + ": full run failed: " + r.status().toString());
  std::vector<std::string> a = closureLines(st), b = closureLines(*fresh);
  if (a != b) {
    fail(kReason, profileName(opts) + ", " + step +
                      (rep.incremental ? " (incremental)" : " (full: " + rep.why_full + ")") +
                      ": the inferred graph differs from a full run's (" +
                      std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                      " triples):" + firstDifference(a, b));
  }
  if (ruleNames(rep) != ruleNames(r.value()))
    fail(kReason, profileName(opts) + ", " + step + ": other inconsistencies than a full run's");
}

// The document's quads read again, dealt into three parts by position.
void threeParts(std::string_view text, std::vector<rdf::Quad> (&part)[3], std::vector<rdf::Quad>* all) {
  CollectSink sink;
  LimitSink limit(sink, kMaxReasonTriples);
  if (!rdf::readString(text, turtleOptions(), limit))
    fail(kReason, "the document did not parse a second time");
  for (size_t i = 0; i < sink.quads.size(); ++i) part[i % 3].push_back(sink.quads[i]);
  if (all) *all = std::move(sink.quads);
}

// A fresh durable store in the scratch folder.
std::unique_ptr<store::Store> freshDurable(const std::string& name) {
  std::string dir = scratchDir() + "/" + name;
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  auto opened = store::Store::open(dir, store::OpenMode::kCreateIfMissing);
  if (!opened) fail(kReason, "cannot open a store in " + dir + ": " + opened.status().toString());
  return std::move(opened.value());
}

// The document's triples in three parts by position: 0 and 1 first, then 2
// added and 0 removed in one transaction, then 0 added back, then one triple
// removed; after each step the inferred graph is compared with a full run's.
void checkIncremental(std::string_view text, const reason::Options& opts) {
  std::vector<rdf::Quad> part[3], all;
  threeParts(text, part, &all);
  std::unique_ptr<store::Store> owner = freshDurable("store");
  store::Store& st = *owner;
  auto step = [&](const std::string& name, const std::vector<rdf::Quad>& add,
                  const std::vector<rdf::Quad>& remove) {
    change(st, add, remove);
    auto r = reason::materialize(st, opts);
    if (!r)
      fail(kReason,
           profileName(opts) + ", " + name + ": materialize failed: " + r.status().toString());
    if (verbose()) {
      std::fprintf(stderr, "fuzz_reason: durable, %s: %s, +%llu -%llu\n", name.c_str(),
                   r.value().incremental ? "incremental" : ("full: " + r.value().why_full).c_str(),
                   static_cast<unsigned long long>(r.value().added),
                   static_cast<unsigned long long>(r.value().removed));
    }
    ReasonCase::checkCanonicalForm(profileName(opts) + ", " + name, opts.profile, *st.snapshot());
    compareWithFull(name, st, opts, r.value());
  };
  std::vector<rdf::Quad> first = part[0];
  first.insert(first.end(), part[1].begin(), part[1].end());
  step("first run", first, {});
  step("after adding a third and removing a third", part[2], part[0]);
  step("after adding that third back", part[0], {});
  // One data triple alone is the deletion DRed handles (a third of the
  // document usually touches the schema, which recomputes from scratch).
  if (!all.empty()) step("after removing one triple", {}, {all[text.size() % all.size()]});
}

// The same parts through reason::Resident (the closure kept in memory by
// weft stream): after each commit the inferred graph must be a full run's,
// whether the fast path took the commit or it fell back; after flush() a new
// materialize() must continue incrementally.
void checkResident(std::string_view text, const reason::Options& opts) {
  std::vector<rdf::Quad> part[3];
  threeParts(text, part, nullptr);
  std::unique_ptr<store::Store> owner = freshDurable("resident");
  store::Store& st = *owner;
  change(st, part[0], {});
  if (auto r = reason::materialize(st, opts); !r)
    fail(kReason, profileName(opts) + ", resident: first run failed: " + r.status().toString());
  reason::Resident res(st);
  auto have = res.open();
  if (!have || !have.value()) fail(kReason, profileName(opts) + ", resident: open did not find the options");
  auto step = [&](const std::string& name, const std::vector<rdf::Quad>& add,
                  const std::vector<rdf::Quad>& remove) {
    store::CommitDelta d;
    change(st, add, remove, &d);
    auto r = res.afterCommit(d);
    if (!r) fail(kReason, profileName(opts) + ", resident, " + name + ": " + r.status().toString());
    if (verbose())
      std::fprintf(stderr, "fuzz_reason: resident, %s: %s\n", name.c_str(),
                   r.value().resident ? "fast path" : r.value().incremental ? "incremental" : "full");
    compareWithFull("resident, " + name, st, opts, r.value());
  };
  step("loading the closure", {}, {});
  step("adding a third", part[1], {});
  step("adding the last third", part[2], {});
  step("removing a third", {}, part[0]);
  step("adding it back", part[0], {});
  if (Status s = res.flush(); !s) fail(kReason, profileName(opts) + ", resident: flush: " + s.toString());
  auto r = reason::materialize(st, opts);
  if (!r || !r.value().incremental)
    fail(kReason, profileName(opts) + ", resident: after flush() the next run is not incremental: " +
                      (r ? r.value().why_full : r.status().toString()));
  compareWithFull("resident, after flush", st, opts, r.value());
}

}  // namespace

int fuzzOneReason(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<store::Store> st = loadTurtle(kReason, text, kMaxReasonTriples);
  if (!st) return 0;
  ReasonCase c(*st);
  const reason::Options owl = reasonOptions(reason::Profile::kOwlRl, false);
  const reason::Options rdfs = reasonOptions(reason::Profile::kRdfs, false);
  const reason::Options rules = reasonOptions(reason::Profile::kOwlRl, true);
  c.run(owl);
  reason::Report after_rdfs = c.run(rdfs);
  compareWithFresh(text, *st, rdfs, after_rdfs);
  reason::Report after_rules = c.run(rules);
  compareWithFresh(text, *st, rules, after_rules);
  const reason::Options* inc[3] = {&owl, &rdfs, &rules};
  checkIncremental(text, *inc[size % 3]);
  checkResident(text, *inc[(size + 1) % 3]);
  return 0;
}

int fuzzOneShacl(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto [sep, rest] = findSeparator(in);
  std::string_view shapes_text = sep == std::string_view::npos ? in : in.substr(0, sep);
  std::string_view data_text = sep == std::string_view::npos ? in : in.substr(rest);

  auto shapes = shacl::parseShapes(shapes_text, "ttl", kBase);
  if (verbose())
    std::fprintf(stderr, "fuzz_shacl: shapes: %s\n", shapes.status().toString().c_str());
  if (!shapes) {
    if (shapes.status().message().empty()) fail(kShacl, "parseShapes failed without a message");
    return 0;
  }
  const shacl::Shapes& sh = shapes.value();
  if (sh.targetedShapeCount() > sh.shapeCount())
    fail(kShacl, "more shapes with targets than shapes");
  CollectSink data_quads;
  LimitSink limit(data_quads, kMaxShaclTriples);
  Status loaded = rdf::readString(data_text, turtleOptions(), limit);
  if (verbose()) std::fprintf(stderr, "fuzz_shacl: data: %s\n", loaded.toString().c_str());
  if (!loaded) return 0;
  // Raw blank node labels (no Loader scope), so the data is the same nodes in
  // both stores.
  std::unique_ptr<store::Store> st = storeWith(data_quads.quads, {""});
  db::StoreDataset ds(st->snapshot());

  auto r = runValidate(ds, shacl::DataScope::unionOfAll(), sh, {});
  if (!usable(r, "union")) return 0;
  const shacl::ValidationReport& rep = r.value();
  if (verbose()) {
    std::fprintf(stderr, "fuzz_shacl: %zu shapes, %llu focus nodes, %llu results\n",
                 sh.shapeCount(), static_cast<unsigned long long>(rep.focus_nodes),
                 static_cast<unsigned long long>(rep.total));
  }
  if (veryVerbose()) std::fprintf(stderr, "%s", shacl::summaryText(rep, sh, 50).c_str());
  checkCounts(rep, 0, "union");
  checkReportTurtle(rep, sh);
  touch(shacl::summaryText(rep, sh));
  for (const auto& res : rep.results) touch(sh.displayName(res.source_shape));
  const std::vector<std::string> keys = resultKeys(rep);

  // The data is all in the default graph: the same report.
  auto d = runValidate(ds, shacl::DataScope::defaultGraph(), sh, {});
  if (usable(d, "default graph") && resultKeys(d.value()) != keys)
    fail(kShacl,
         "the default graph and the union of graphs (the same triples) give different results");

  shacl::ValidateOptions one;
  one.max_results = 1;
  auto m = runValidate(ds, shacl::DataScope::unionOfAll(), sh, one);
  if (usable(m, "max_results 1")) {
    checkCounts(m.value(), 1, "max_results 1");
    const shacl::ValidationReport& x = m.value();
    if (x.total != rep.total || x.violations != rep.violations || x.warnings != rep.warnings ||
        x.infos != rep.infos || x.others != rep.others || x.conforms != rep.conforms)
      fail(kShacl, "max_results = 1 changed the totals");
    checkReportTurtle(x, sh);
  }

  if (!mayDifferPerRun(shapes_text)) {
    shacl::ValidateOptions per_node;
    per_node.sparql_batch = false;
    auto p = runValidate(ds, shacl::DataScope::unionOfAll(), sh, per_node);
    if (usable(p, "sparql_batch false") && resultKeys(p.value()) != keys) {
      std::string diff;
      for (const auto& k : keys) diff += "\n  batched:  " + k;
      for (const auto& k : resultKeys(p.value())) diff += "\n  per node: " + k;
      fail(kShacl, "batched and per-focus-node SHACL-SPARQL give different results:" + diff);
    }
  }

  // The same triples in the default graph and a named graph: the named graph
  // alone, and the union (one RDF merge of two equal graphs), give the same
  // results. Not compared when a SPARQL query may name graphs.
  if (!mentionsGraphs(shapes_text)) {
    std::unique_ptr<store::Store> twice = storeWith(data_quads.quads, {"", kDataGraph});
    db::StoreDataset ds2(twice->snapshot());
    const std::pair<shacl::DataScope, const char*> scopes[] = {
        {shacl::DataScope::named(rdf::Term::iri(kDataGraph)), "the named graph"},
        {shacl::DataScope::unionOfAll(), "the union of two graphs holding the same triples"}};
    for (const auto& [scope, name] : scopes) {
      auto x = runValidate(ds2, scope, sh, {});
      if (usable(x, name) && resultKeys(x.value()) != keys) {
        std::string diff;
        for (const auto& k : keys) diff += "\n  default graph: " + k;
        for (const auto& k : resultKeys(x.value())) diff += "\n  " + std::string(name) + ": " + k;
        fail(kShacl, std::string(name) + " and the default graph give different results:" + diff);
      }
    }
  }

  auto missing = shacl::validate(
      ds, shacl::DataScope::named(rdf::Term::iri("urn:weft:fuzz:no-such-graph")), sh);
  if (missing || missing.status().code() != StatusCode::kNotFound)
    fail(kShacl, "a named data graph that does not exist gave " + missing.status().toString());
  return 0;
}

}  // namespace weft::fuzz
