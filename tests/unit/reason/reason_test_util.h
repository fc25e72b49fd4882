// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the tests of engine/reason: Turtle / TriG text parsed
// once and fed both to a store and to the naive reference (naive_owlrl.h),
// the union of a store's graphs as a set of N-Triples triples, and the
// expansion of weft's canonical form (one representative per owl:sameAs
// class) back to the full equality closure that the spec's rules describe.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rdf/syntax.h"
#include "engine/rdf/term.h"
#include "engine/reason/reasoner.h"
#include "engine/store/store.h"
#include "tests/unit/reason/naive_owlrl.h"

namespace weft::reason::testing {

using naive::Graph;
using naive::Triple;

inline const std::string kEx = "http://e/";
inline const std::string kDt = "https://w3id.org/weft/dt#";

inline const std::string kPrefixes =
    "@prefix : <http://e/> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n";

// ":a" -> "<http://e/a>", "owl:sameAs" -> "<...#sameAs>", "a" -> rdf:type;
// anything else (already N-Triples: <...>, "...", _:x) unchanged.
inline std::string nt(std::string_view t) {
  static const std::map<std::string, std::string, std::less<>> kNs = {{"", kEx},
                                                                      {"owl", naive::vocab::kOwl},
                                                                      {"rdf", naive::vocab::kRdf},
                                                                      {"rdfs", naive::vocab::kRdfs},
                                                                      {"xsd", naive::vocab::kXsd},
                                                                      {"dt", kDt}};
  if (t == "a") return naive::vocab::rdf("type");
  if (!t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos)
    return "\"" + std::string(t) + "\"^^" + naive::vocab::xsd("integer");
  if (t.empty() || t[0] == '<' || t[0] == '"' || t[0] == '_') return std::string(t);
  size_t colon = t.find(':');
  if (colon == std::string_view::npos) return std::string(t);
  auto it = kNs.find(t.substr(0, colon));
  if (it == kNs.end()) return std::string(t);
  return "<" + it->second + std::string(t.substr(colon + 1)) + ">";
}
inline Triple tri(std::string_view s, std::string_view p, std::string_view o) {
  return {nt(s), nt(p), nt(o)};
}
inline std::string show(const Triple& t) { return t[0] + " " + t[1] + " " + t[2] + " ."; }

// A TriG document (the prefixes above are prepended) as quads.
inline std::vector<rdf::Quad> parse(std::string_view trig) {
  struct Collect : rdf::QuadSink {
    Status quad(const rdf::QuadView& q) override {
      quads.emplace_back(q);
      return Status::ok();
    }
    std::vector<rdf::Quad> quads;
  } sink;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTriG;
  ro.base_iri = kEx;
  ro.display_name = "<test>";
  std::string text = kPrefixes + std::string(trig);
  Status s = rdf::readString(text, ro, sink);
  EXPECT_TRUE(s.isOk()) << s.toString() << "\n" << text;
  return sink.quads;
}

// N-Quads text as quads.
inline std::vector<rdf::Quad> parseNQuads(std::string_view text) {
  struct Collect : rdf::QuadSink {
    Status quad(const rdf::QuadView& q) override {
      quads.emplace_back(q);
      return Status::ok();
    }
    std::vector<rdf::Quad> quads;
  } sink;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kNQuads;
  ro.display_name = "<generated>";
  Status s = rdf::readString(text, ro, sink);
  EXPECT_TRUE(s.isOk()) << s.toString() << "\n" << text;
  return sink.quads;
}

inline Graph triplesOf(const std::vector<rdf::Quad>& quads) {
  Graph g;
  for (const auto& q : quads)
    g.insert(
        {rdf::toNTriples(q.s.view()), rdf::toNTriples(q.p.view()), rdf::toNTriples(q.o.view())});
  return g;
}

// Adds the quads as they are (blank node labels unscoped, so the store and
// the naive reference see the same labels).
inline void load(store::Store& st, const std::vector<rdf::Quad>& quads) {
  auto txn = st.begin();
  ASSERT_TRUE(txn.isOk()) << txn.status().toString();
  for (const auto& q : quads) ASSERT_TRUE((*txn)->add(q.view()).isOk());
  Status s = (*txn)->commit();
  ASSERT_TRUE(s.isOk()) << s.toString();
}

// Quads of the store; `graph` empty: every graph (the union), kNone
// graph term = the default graph.
inline std::vector<rdf::Quad> quadsOf(const store::Store& st) {
  auto snap = st.snapshot();
  std::vector<rdf::Quad> out;
  auto cur = snap->scan({});
  store::QuadIds q;
  while (cur.next(&q)) {
    rdf::Quad x;
    snap->decode(q.s, &x.s);
    snap->decode(q.p, &x.p);
    snap->decode(q.o, &x.o);
    if (q.g != store::kDefaultGraph) snap->decode(q.g, &x.g);
    out.push_back(std::move(x));
  }
  return out;
}
inline Graph unionOf(const store::Store& st) { return triplesOf(quadsOf(st)); }
inline Graph graphOf(const store::Store& st, std::string_view graph_iri) {
  Graph g;
  for (const auto& q : quadsOf(st))
    if (q.g.kind == rdf::TermKind::kIri && q.g.value == graph_iri)
      g.insert(
          {rdf::toNTriples(q.s.view()), rdf::toNTriples(q.p.view()), rdf::toNTriples(q.o.view())});
  return g;
}
// Every quad outside the inferred graph.
inline std::vector<rdf::Quad> assertedOf(const store::Store& st) {
  std::vector<rdf::Quad> out;
  for (auto& q : quadsOf(st))
    if (!(q.g.kind == rdf::TermKind::kIri && q.g.value == kInferredGraph))
      out.push_back(std::move(q));
  return out;
}

// The owl:sameAs classes of a graph (members sorted), by term.
inline std::map<std::string, std::set<std::string>> sameAsClasses(const Graph& g) {
  const std::string same = naive::vocab::owl("sameAs");
  std::map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> find = [&](const std::string& x) {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    std::string r = find(it->second);
    parent[x] = r;
    return r;
  };
  for (const auto& t : g) {
    if (t[1] != same) continue;
    parent.emplace(t[0], t[0]);
    parent.emplace(t[2], t[2]);
    std::string a = find(t[0]), b = find(t[2]);
    if (a != b) parent[a] = b;
  }
  std::map<std::string, std::set<std::string>> byRoot;
  for (const auto& [x, _] : parent) byRoot[find(x)].insert(x);
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [_, members] : byRoot)
    for (const auto& m : members) out[m] = members;
  return out;
}

// Without the dt:Inconsistency nodes weft writes into the inferred graph
// (and the blank nodes hanging off them): their labels are weft's own.
inline Graph withoutInconsistencyNodes(const Graph& g) {
  const std::string type = naive::vocab::rdf("type");
  std::set<std::string> drop;
  for (const auto& t : g)
    if (t[1] == type && t[2] == "<" + kDt + "Inconsistency>") drop.insert(t[0]);
  for (bool more = true; more;) {
    more = false;
    for (const auto& t : g)
      if (drop.count(t[0]) && t[2].rfind("_:", 0) == 0 && drop.insert(t[2]).second) more = true;
  }
  // The reasoner's bookkeeping, not closure: `alias dt:representative rep`
  // and `<inferred graph> dt:reasonerRun "nonce"`.
  const std::string repr = "<" + kDt + "representative>", run = "<" + kDt + "reasonerRun>";
  Graph out;
  for (const auto& t : g)
    if (!drop.count(t[0]) && t[1] != repr && t[1] != run) out.insert(t);
  return out;
}

// Triples that one side has by definition and the other need not: the
// dt:Inconsistency nodes, x owl:sameAs x (eq-ref is not materialised; rules
// like prp-fp with y1 = y2 derive it in the naive reference), and dt-type1's
// list of built-in datatypes (the spec's list is in naive_owlrl.h; weft's
// goes "as far as its value types reach"; checked once, in OwlRl.DtType1,
// rather than in every comparison).
inline Graph comparable(const Graph& g) {
  const std::string type = naive::vocab::rdf("type");
  const std::string same = naive::vocab::owl("sameAs");
  const std::string datatype = naive::vocab::rdfs("Datatype");
  auto builtinNs = [](const std::string& iri) {
    for (const std::string* ns :
         {&naive::vocab::kXsd, &naive::vocab::kRdf, &naive::vocab::kRdfs, &naive::vocab::kOwl})
      if (iri.compare(1, ns->size(), *ns) == 0) return true;
    return false;
  };
  Graph out;
  for (const auto& t : withoutInconsistencyNodes(g)) {
    if (t[1] == same && t[0] == t[2]) continue;
    if (t[1] == type && t[2] == datatype && builtinNs(t[0])) continue;
    out.insert(t);
  }
  return out;
}

// weft's canonical closure expanded over the owl:sameAs classes: every
// triple with each term replaced by every member of its class, so that it
// can be compared with a closure where eq-rep-s/p/o and eq-sym/eq-trans were
// applied in full.
inline Graph expandSameAs(const Graph& g) {
  auto classes = sameAsClasses(g);
  auto members = [&](const std::string& t) -> std::set<std::string> {
    auto it = classes.find(t);
    if (it == classes.end()) return {t};
    return it->second;
  };
  Graph out;
  for (const auto& t : g)
    for (const auto& s : members(t[0]))
      for (const auto& p : members(t[1]))
        for (const auto& o : members(t[2])) out.insert({s, p, o});
  const std::string same = naive::vocab::owl("sameAs");
  for (const auto& [x, ms] : classes)
    for (const auto& y : ms) out.insert({x, same, y});
  return out;
}

// What reasoner.h promises about the form of a reasoned store, checked
// directly (expandSameAs would hide a wrong representative or a missing
// link): each owl:sameAs class has its smallest member (N-Triples order) as
// representative, every other member is linked to it both ways, no inferred
// triple but those links mentions a non-representative member, and nothing
// in the inferred graph but the links is also asserted. Returns the problems found (at
// most a few), empty if none.
inline std::string canonicalFormProblems(const store::Store& st) {
  const std::string same = naive::vocab::owl("sameAs");
  Graph all = unionOf(st), inferred = graphOf(st, kInferredGraph);
  Graph asserted = triplesOf(assertedOf(st));
  std::string out;
  int n = 0;
  auto problem = [&](const std::string& what) {
    if (n++ < 8) out += "  " + what + "\n";
  };
  auto classes = sameAsClasses(withoutInconsistencyNodes(all));
  std::map<std::string, std::string> rep;
  for (const auto& [m, members] : classes) rep[m] = *members.begin();
  for (const auto& [m, r] : rep) {
    if (m == r) continue;
    if (!all.count({m, same, r})) problem("no link " + show({m, same, r}));
    if (!all.count({r, same, m})) problem("no link " + show({r, same, m}));
  }
  auto alias = [&](const std::string& t) {
    auto it = rep.find(t);
    return it != rep.end() && it->second != t;
  };
  for (const auto& t : withoutInconsistencyNodes(inferred)) {
    // The links are written "plus" the rest: even when asserted.
    bool link = t[1] == same && rep.count(t[0]) && rep.count(t[2]) &&
                rep.at(t[0]) == rep.at(t[2]) && (t[0] == rep.at(t[0]) || t[2] == rep.at(t[2]));
    if (link) continue;
    if (asserted.count(t)) problem("inferred and asserted: " + show(t));
    if (alias(t[0]) || alias(t[1]) || alias(t[2]))
      problem("inferred triple on an alias: " + show(t));
  }
  if (n > 8) out += "  (" + std::to_string(n) + " in all)\n";
  return out;
}

// A short report of two sets' differences.
inline std::string diff(const Graph& expected, const Graph& actual, const char* expected_name,
                        const char* actual_name, size_t max = 25) {
  std::ostringstream os;
  size_t n = 0;
  for (const auto& t : expected)
    if (!actual.count(t) && n++ < max)
      os << "  only in " << expected_name << ": " << show(t) << "\n";
  size_t m = 0;
  for (const auto& t : actual)
    if (!expected.count(t) && m++ < max)
      os << "  only in " << actual_name << ": " << show(t) << "\n";
  if (n > max || m > max) os << "  (" << n << " and " << m << " in all)\n";
  return os.str();
}

inline std::string ntriples(const Graph& g) {
  std::string out;
  for (const auto& t : g) out += show(t) + "\n";
  return out;
}

inline std::set<std::string> ruleNames(const Report& r) {
  std::set<std::string> out;
  for (const auto& i : r.inconsistencies) out.insert(i.rule);
  return out;
}
inline std::set<std::string> ruleNames(const naive::Closure& c) {
  std::set<std::string> out;
  for (const auto& [rule, _] : c.inconsistencies) out.insert(rule);
  return out;
}
inline std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return "{" + out + "}";
}

// The spec's rules conclude triples with a literal subject (prp-rng over a
// literal value gives `"5" rdf:type xsd:integer`, which dt-not-type reads).
// weft documents an exception (docs/reasoning.md, "Rules": "weft never
// derives a triple whose subject is a literal"), so the reference drops them
// too. Whether dt-not-type is still checked is OwlRl.DtNotType's business.
inline constexpr bool kLiteralSubjects = false;

// The closure of `input` by the naive reference, with the same profile.
inline naive::Closure naiveClosure(const Graph& input, const Options& opts) {
  naive::Options no;
  no.profile = opts.profile == Profile::kRdfs ? naive::Profile::kRdfs : naive::Profile::kOwlRl;
  no.eq_ref = opts.eq_ref;
  no.literal_subjects = kLiteralSubjects;
  return naive::closure(input, no);
}

// weft's closure (the union of the store's graphs after materialize) against
// the naive reference's closure of what is asserted: equal once weft's
// sameAs classes are expanded; the same inconsistency rules fire.
inline ::testing::AssertionResult matchesNaive(const Graph& asserted, const Graph& weft_union,
                                               const Report& report, const Options& opts) {
  naive::Closure ref = naiveClosure(asserted, opts);
  // The RDFS profile gives owl:sameAs no meaning: nothing to expand.
  Graph expected = comparable(ref.triples);
  Graph actual = comparable(opts.profile == Profile::kRdfs ? weft_union : expandSameAs(weft_union));
  std::set<std::string> ref_rules = ruleNames(ref), weft_rules = ruleNames(report);
  if (expected == actual && ref_rules == weft_rules) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  if (expected != actual)
    failure << "closures differ:\n" << diff(expected, actual, "naive", "weft");
  if (ref_rules != weft_rules)
    failure << "inconsistencies: naive " << join(ref_rules) << ", weft " << join(weft_rules)
            << "\n";
  return failure;
}

// One materialize over a TriG text in a fresh in-memory store.
struct Reasoned {
  std::vector<rdf::Quad> input;
  Graph all;       // the union of all graphs afterwards
  Graph inferred;  // the inferred graph
  Report report;
  bool ok = false;
};

inline Reasoned reasonOver(std::string_view trig, const Options& opts = {},
                           bool compare_naive = true) {
  Reasoned r;
  r.input = parse(trig);
  auto st = store::Store::openMemory();
  load(*st, r.input);
  auto rep = materialize(*st, opts);
  EXPECT_TRUE(rep.isOk()) << rep.status().toString();
  if (!rep.isOk()) return r;
  r.ok = true;
  r.report = *rep;
  r.all = unionOf(*st);
  r.inferred = graphOf(*st, kInferredGraph);
  if (compare_naive) {
    EXPECT_TRUE(matchesNaive(triplesOf(r.input), r.all, r.report, opts))
        << "input:\n"
        << ntriples(triplesOf(r.input));
  }
  return r;
}

// The closure holds the triple (exactly: with weft's representatives).
inline ::testing::AssertionResult Has(const Reasoned& r, std::string_view s, std::string_view p,
                                      std::string_view o) {
  Triple t = tri(s, p, o);
  if (r.all.count(t)) return ::testing::AssertionSuccess();
  // The inferred triples that share the subject, as a hint.
  std::string near;
  for (const auto& x : r.all)
    if (x[0] == t[0]) near += "  " + show(x) + "\n";
  return ::testing::AssertionFailure() << "missing from the closure: " << show(t)
                                       << "\nthe closure's triples about " << t[0] << ":\n"
                                       << near;
}
inline ::testing::AssertionResult Lacks(const Reasoned& r, std::string_view s, std::string_view p,
                                        std::string_view o) {
  Triple t = tri(s, p, o);
  if (!r.all.count(t)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "must not be in the closure: " << show(t);
}
// An entry of Report::inconsistencies for `rule` whose bindings include `terms`.
inline ::testing::AssertionResult Inconsistent(const Reasoned& r, std::string_view rule,
                                               std::vector<std::string_view> terms = {}) {
  std::string seen;
  for (const auto& i : r.report.inconsistencies) {
    seen.append("  ").append(i.rule).append(":");
    for (const auto& t : i.terms) seen.append(" ").append(rdf::toNTriples(t.view()));
    seen.append(" (").append(i.message).append(")\n");
    if (i.rule != rule) continue;
    bool all = true;
    for (auto want : terms) {
      bool found = false;
      for (const auto& t : i.terms) found = found || rdf::toNTriples(t.view()) == nt(want);
      all = all && found;
    }
    if (all) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "no " << rule << " inconsistency with those terms; reported:\n"
         << (seen.empty() ? "  (none)\n" : seen);
}

}  // namespace weft::reason::testing
