// SPDX-License-Identifier: Apache-2.0
// A naive OWL 2 RL reference reasoner for the tests of engine/reason: the
// rules of the W3C OWL 2 Profiles spec, section 4.3, tables 4 to 9
// (https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules),
// each written out as it reads in its table over a std::set of triples, and
// applied all together, round after round, until a round adds nothing.
//
// It is meant to be obviously right, not fast: no semi-naive evaluation, no
// rule compilation, no union-find. owl:sameAs is materialised in full
// (eq-sym, eq-trans, eq-rep-s/p/o); eq-ref is applied too (so x
// owl:differentFrom x is an eq-diff1 inconsistency) but x owl:sameAs x is left
// out of the result unless Options::eq_ref (as in weft).
// The rules whose conclusion is `false` are recorded as inconsistencies
// (rule name plus bindings) and do not stop the run.
//
// Terms are strings in N-Triples syntax ("<http://e/a>", "\"1\"^^<...#integer>",
// "\"text\"" for xsd:string, "_:b"), as rdf::toNTriples writes them.
//
// Datatypes (table 8): dt-type1 adds the datatypes of the OWL 2 RL profile
// (section 4.2, "Entities"); dt-type2, dt-eq and dt-diff are not materialised
// (as in weft). dt-not-type is decided only for what the tests generate:
// literals of xsd:string and xsd:integer checked against xsd:string,
// xsd:integer and xsd:decimal (other pairs are never reported).
//
// The implementation is header-only because the unit test binary is built
// from tests/unit/reason/*_test.cpp alone; its self-tests are in
// naive_owlrl_test.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace weft::reason::naive {

using Triple = std::array<std::string, 3>;
using Graph = std::set<Triple>;

enum class Profile { kRdfs, kOwlRl };

struct Options {
  Profile profile = Profile::kOwlRl;
  bool eq_ref = false;
  // Axiomatic triples (cls-thing, cls-nothing1, prp-ap, dt-type1) added.
  bool axioms = true;
  // Conclusions with a literal subject (generalised triples, e.g. prp-rng
  // over a literal value) kept, as the spec's rules give them. Off: dropped.
  bool literal_subjects = true;
  int max_rounds = 1000;
};

struct Closure {
  Graph triples;
  // "rule-name" -> every binding that violates it ("<a> <b>").
  std::map<std::string, std::set<std::string>> inconsistencies;
  int rounds = 0;
  // Rule name -> how many new triples it produced first (for coverage).
  std::map<std::string, int> fired;
};

namespace vocab {
inline const std::string kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline const std::string kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
inline const std::string kOwl = "http://www.w3.org/2002/07/owl#";
inline const std::string kXsd = "http://www.w3.org/2001/XMLSchema#";
inline std::string rdf(const char* n) { return "<" + kRdf + n + ">"; }
inline std::string rdfs(const char* n) { return "<" + kRdfs + n + ">"; }
inline std::string owl(const char* n) { return "<" + kOwl + n + ">"; }
inline std::string xsd(const char* n) { return "<" + kXsd + n + ">"; }

// Datatypes of the OWL 2 RL profile (section 4.2): dt-type1.
inline std::vector<std::string> rlDatatypes() {
  std::vector<std::string> out = {rdf("PlainLiteral"), rdf("XMLLiteral"), rdfs("Literal")};
  for (const char* n : {"decimal",
                        "integer",
                        "nonNegativeInteger",
                        "nonPositiveInteger",
                        "positiveInteger",
                        "negativeInteger",
                        "long",
                        "int",
                        "short",
                        "byte",
                        "unsignedLong",
                        "unsignedInt",
                        "unsignedShort",
                        "unsignedByte",
                        "float",
                        "double",
                        "string",
                        "normalizedString",
                        "token",
                        "language",
                        "Name",
                        "NCName",
                        "NMTOKEN",
                        "boolean",
                        "hexBinary",
                        "base64Binary",
                        "anyURI",
                        "dateTime",
                        "dateTimeStamp"}) {
    out.push_back(xsd(n));
  }
  return out;
}

// The annotation properties of prp-ap.
inline std::vector<std::string> annotationProperties() {
  return {rdfs("label"),          rdfs("comment"),
          rdfs("seeAlso"),        rdfs("isDefinedBy"),
          owl("deprecated"),      owl("versionInfo"),
          owl("priorVersion"),    owl("backwardCompatibleWith"),
          owl("incompatibleWith")};
}
}  // namespace vocab

namespace detail {

using Id = uint32_t;
using IdTriple = std::array<Id, 3>;

// Interned terms and the per-round indexes of the current triple set.
class Kb {
 public:
  Id id(const std::string& term) {
    auto [it, fresh] = ids_.emplace(term, static_cast<Id>(terms_.size()));
    if (fresh) terms_.push_back(term);
    return it->second;
  }
  const std::string& term(Id i) const { return terms_[i]; }
  bool isLiteral(Id i) const { return !terms_[i].empty() && terms_[i][0] == '"'; }

  std::set<IdTriple> all;

  void index() {
    by_p_.clear();
    by_sp_.clear();
    by_po_.clear();
    by_s_.clear();
    by_o_.clear();
    for (const auto& t : all) {
      by_p_[t[1]].push_back({t[0], t[2]});
      by_sp_[key(t[0], t[1])].push_back(t[2]);
      by_po_[key(t[1], t[2])].push_back(t[0]);
      by_s_[t[0]].push_back({t[1], t[2]});
      by_o_[t[2]].push_back({t[0], t[1]});
    }
  }
  using Pairs = std::vector<std::pair<Id, Id>>;
  using Ids = std::vector<Id>;
  // (s, o) of the triples with predicate p.
  const Pairs& withP(Id p) const { return find(by_p_, p); }
  // o with (s, p, o).
  const Ids& objects(Id s, Id p) const { return find(by_sp_, key(s, p)); }
  // s with (s, p, o).
  const Ids& subjects(Id p, Id o) const { return find(by_po_, key(p, o)); }
  // (p, o) with subject s; (s, p) with object o.
  const Pairs& bySubject(Id s) const { return find(by_s_, s); }
  const Pairs& byObject(Id o) const { return find(by_o_, o); }
  bool has(Id s, Id p, Id o) const { return all.count({s, p, o}) != 0; }

 private:
  static uint64_t key(Id a, Id b) { return (uint64_t{a} << 32) | b; }
  template <class M>
  static const typename M::mapped_type& find(const M& m, typename M::key_type k) {
    static const typename M::mapped_type kEmpty;
    auto it = m.find(k);
    return it == m.end() ? kEmpty : it->second;
  }
  std::unordered_map<std::string, Id> ids_;
  std::vector<std::string> terms_;
  std::unordered_map<Id, Pairs> by_p_, by_s_, by_o_;
  std::unordered_map<uint64_t, Ids> by_sp_, by_po_;
};

// The vocabulary as ids.
struct V {
  explicit V(Kb& kb) {
    using namespace vocab;
    type = kb.id(rdf("type"));
    first = kb.id(rdf("first"));
    rest = kb.id(rdf("rest"));
    nil = kb.id(rdf("nil"));
    sco = kb.id(rdfs("subClassOf"));
    spo = kb.id(rdfs("subPropertyOf"));
    domain = kb.id(rdfs("domain"));
    range = kb.id(rdfs("range"));
    datatype = kb.id(rdfs("Datatype"));
    same = kb.id(owl("sameAs"));
    diff = kb.id(owl("differentFrom"));
    all_different = kb.id(owl("AllDifferent"));
    members = kb.id(owl("members"));
    distinct = kb.id(owl("distinctMembers"));
    annotation = kb.id(owl("AnnotationProperty"));
    functional = kb.id(owl("FunctionalProperty"));
    inv_functional = kb.id(owl("InverseFunctionalProperty"));
    irreflexive = kb.id(owl("IrreflexiveProperty"));
    symmetric = kb.id(owl("SymmetricProperty"));
    asymmetric = kb.id(owl("AsymmetricProperty"));
    transitive = kb.id(owl("TransitiveProperty"));
    chain = kb.id(owl("propertyChainAxiom"));
    eqp = kb.id(owl("equivalentProperty"));
    pdw = kb.id(owl("propertyDisjointWith"));
    all_disjoint_props = kb.id(owl("AllDisjointProperties"));
    inverse = kb.id(owl("inverseOf"));
    has_key = kb.id(owl("hasKey"));
    source_ind = kb.id(owl("sourceIndividual"));
    assertion_prop = kb.id(owl("assertionProperty"));
    target_ind = kb.id(owl("targetIndividual"));
    target_value = kb.id(owl("targetValue"));
    thing = kb.id(owl("Thing"));
    nothing = kb.id(owl("Nothing"));
    cls = kb.id(owl("Class"));
    inter = kb.id(owl("intersectionOf"));
    uni = kb.id(owl("unionOf"));
    complement = kb.id(owl("complementOf"));
    svf = kb.id(owl("someValuesFrom"));
    avf = kb.id(owl("allValuesFrom"));
    on_property = kb.id(owl("onProperty"));
    on_class = kb.id(owl("onClass"));
    has_value = kb.id(owl("hasValue"));
    max_c = kb.id(owl("maxCardinality"));
    max_qc = kb.id(owl("maxQualifiedCardinality"));
    one_of = kb.id(owl("oneOf"));
    eqc = kb.id(owl("equivalentClass"));
    disjoint = kb.id(owl("disjointWith"));
    all_disjoint_classes = kb.id(owl("AllDisjointClasses"));
    object_prop = kb.id(owl("ObjectProperty"));
    data_prop = kb.id(owl("DatatypeProperty"));
    zero = kb.id("\"0\"^^" + xsd("nonNegativeInteger"));
    one = kb.id("\"1\"^^" + xsd("nonNegativeInteger"));
    xsd_string = kb.id(xsd("string"));
    xsd_integer = kb.id(xsd("integer"));
    xsd_decimal = kb.id(xsd("decimal"));
  }
  Id type, first, rest, nil, sco, spo, domain, range, datatype, same, diff, all_different, members,
      distinct, annotation, functional, inv_functional, irreflexive, symmetric, asymmetric,
      transitive, chain, eqp, pdw, all_disjoint_props, inverse, has_key, source_ind, assertion_prop,
      target_ind, target_value, thing, nothing, cls, inter, uni, complement, svf, avf, on_property,
      on_class, has_value, max_c, max_qc, one_of, eqc, disjoint, all_disjoint_classes, object_prop,
      data_prop, zero, one, xsd_string, xsd_integer, xsd_decimal;
};

// LIST[l, y1, ..., yn]: every reading of the rdf:first / rdf:rest chain from
// l (a node with two rdf:first values, e.g. after eq-rep-o, has two).
inline void lists(const Kb& kb, const V& v, Id l, int depth, std::vector<Id>& prefix,
                  std::vector<std::vector<Id>>& out) {
  if (l == v.nil) {
    out.push_back(prefix);
    return;
  }
  if (depth > 32 || out.size() > 256) return;  // a cycle or a blow-up: not a list
  for (Id f : kb.objects(l, v.first)) {
    for (Id r : kb.objects(l, v.rest)) {
      prefix.push_back(f);
      lists(kb, v, r, depth + 1, prefix, out);
      prefix.pop_back();
    }
  }
}
inline std::vector<std::vector<Id>> lists(const Kb& kb, const V& v, Id l) {
  std::vector<std::vector<Id>> out;
  std::vector<Id> prefix;
  lists(kb, v, l, 0, prefix, out);
  return out;
}

// The datatype IRI of a literal in N-Triples syntax.
inline std::string literalDatatype(const std::string& lit) {
  size_t q = lit.rfind('"');
  std::string_view rest = std::string_view(lit).substr(q + 1);
  if (rest.size() > 2 && rest.substr(0, 2) == "^^") return std::string(rest.substr(2));
  if (!rest.empty() && rest[0] == '@') return vocab::rdf("langString");
  return vocab::xsd("string");
}

// dt-not-type, for the pairs this reference decides (see the file comment).
// True when the literal's value is known NOT to be in dt's value space.
inline bool knownNotOfType(const std::string& lit, const std::string& dt) {
  const std::string ldt = literalDatatype(lit);
  const std::string s = vocab::xsd("string"), i = vocab::xsd("integer"), d = vocab::xsd("decimal");
  if (ldt != s && ldt != i) return false;
  if (dt == s) return ldt != s;
  if (dt == i || dt == d) return ldt != i;
  return false;
}

}  // namespace detail

// The closure of `input` under the rules of `opts.profile`.
inline Closure closure(const Graph& input, const Options& opts = {}) {
  using namespace detail;
  Kb kb;
  V v(kb);
  for (const auto& t : input) kb.all.insert({kb.id(t[0]), kb.id(t[1]), kb.id(t[2])});
  const bool rl = opts.profile == Profile::kOwlRl;
  if (rl && opts.axioms) {
    // cls-thing, cls-nothing1, prp-ap, dt-type1: facts with an empty body.
    kb.all.insert({v.thing, v.type, v.cls});
    kb.all.insert({v.nothing, v.type, v.cls});
    for (const auto& a : vocab::annotationProperties())
      kb.all.insert({kb.id(a), v.type, v.annotation});
    for (const auto& d : vocab::rlDatatypes()) kb.all.insert({kb.id(d), v.type, v.datatype});
  }

  Closure out;
  std::set<IdTriple> fresh;
  auto incons = [&](const char* rule, std::initializer_list<Id> terms) {
    std::string b;
    for (Id t : terms) b += (b.empty() ? "" : " ") + kb.term(t);
    out.inconsistencies[rule].insert(b);
  };
  auto add = [&](const char* rule, Id s, Id p, Id o) {
    IdTriple t{s, p, o};
    if (!opts.literal_subjects && kb.isLiteral(s)) {
      // Not materialised, but dt-not-type still applies to what it would say.
      if (rl && p == v.type && knownNotOfType(kb.term(s), kb.term(o))) incons("dt-not-type", {s, o});
      return;
    }
    if (!kb.all.count(t) && fresh.insert(t).second) ++out.fired[rule];
  };
  // Every rule below is one row of the spec's tables, named as there.
  for (int round = 0; round < opts.max_rounds; ++round) {
    kb.index();
    fresh.clear();
    out.rounds = round + 1;

    if (!rl) {
      // RDF Semantics section 9.2.1: rdfs2, rdfs3, rdfs5, rdfs7, rdfs9, rdfs11.
      for (auto [p, c] : kb.withP(v.domain))
        for (auto [x, y] : kb.withP(p)) add("rdfs2", x, v.type, c);  // rdfs2
      for (auto [p, c] : kb.withP(v.range))
        for (auto [x, y] : kb.withP(p)) add("rdfs3", y, v.type, c);  // rdfs3
      for (auto [p1, p2] : kb.withP(v.spo)) {
        for (Id p3 : kb.objects(p2, v.spo)) add("rdfs5", p1, v.spo, p3);  // rdfs5
        for (auto [x, y] : kb.withP(p1)) add("rdfs7", x, p2, y);          // rdfs7
      }
      for (auto [c1, c2] : kb.withP(v.sco)) {
        for (Id x : kb.subjects(v.type, c1)) add("rdfs9", x, v.type, c2);  // rdfs9
        for (Id c3 : kb.objects(c2, v.sco)) add("rdfs11", c1, v.sco, c3);  // rdfs11
      }
    } else {
      // ---- Table 4: equality.
      // eq-ref always holds (eq-diff1 reads it: x owl:differentFrom x is
      // inconsistent); whether its triples are output is Options::eq_ref.
      for (const auto& t : kb.all)
        for (Id x : t) add("eq-ref", x, v.same, x);  // eq-ref
      for (auto [x, y] : kb.withP(v.same)) {
        add("eq-sym", y, v.same, x);                                       // eq-sym
        for (Id z : kb.objects(y, v.same)) add("eq-trans", x, v.same, z);  // eq-trans
        for (auto [p, o] : kb.bySubject(x)) add("eq-rep-s", y, p, o);      // eq-rep-s
        for (auto [s, o] : kb.withP(x)) add("eq-rep-p", s, y, o);          // eq-rep-p
        for (auto [s, p] : kb.byObject(x)) add("eq-rep-o", s, p, y);       // eq-rep-o
        if (kb.has(x, v.diff, y)) incons("eq-diff1", {x, y});              // eq-diff1
      }
      for (auto [rule, prop] :
           {std::pair{"eq-diff2", v.members}, std::pair{"eq-diff3", v.distinct}}) {
        for (Id x : kb.subjects(v.type, v.all_different))
          for (Id l : kb.objects(x, prop))
            for (const auto& ys : lists(kb, v, l))
              for (size_t i = 0; i < ys.size(); ++i)
                for (size_t j = i + 1; j < ys.size(); ++j)
                  if (kb.has(ys[i], v.same, ys[j])) incons(rule, {ys[i], ys[j]});
      }

      // ---- Table 5: properties.
      for (auto [p, c] : kb.withP(v.domain))
        for (auto [x, y] : kb.withP(p)) add("prp-dom", x, v.type, c);  // prp-dom
      for (auto [p, c] : kb.withP(v.range))
        for (auto [x, y] : kb.withP(p)) add("prp-rng", y, v.type, c);  // prp-rng
      for (Id p : kb.subjects(v.type, v.functional))
        for (auto [x, y1] : kb.withP(p))
          for (Id y2 : kb.objects(x, p)) add("prp-fp", y1, v.same, y2);  // prp-fp
      for (Id p : kb.subjects(v.type, v.inv_functional))
        for (auto [x1, y] : kb.withP(p))
          for (Id x2 : kb.subjects(p, y)) add("prp-ifp", x1, v.same, x2);  // prp-ifp
      for (Id p : kb.subjects(v.type, v.irreflexive))
        for (auto [x, y] : kb.withP(p))
          if (x == y) incons("prp-irp", {p, x});  // prp-irp
      for (Id p : kb.subjects(v.type, v.symmetric))
        for (auto [x, y] : kb.withP(p)) add("prp-symp", y, p, x);  // prp-symp
      for (Id p : kb.subjects(v.type, v.asymmetric))
        for (auto [x, y] : kb.withP(p))
          if (kb.has(y, p, x)) incons("prp-asyp", {p, x, y});  // prp-asyp
      for (Id p : kb.subjects(v.type, v.transitive))
        for (auto [x, y] : kb.withP(p))
          for (Id z : kb.objects(y, p)) add("prp-trp", x, p, z);  // prp-trp
      for (auto [p1, p2] : kb.withP(v.spo))
        for (auto [x, y] : kb.withP(p1)) add("prp-spo1", x, p2, y);  // prp-spo1
      for (auto [p, l] : kb.withP(v.chain)) {                        // prp-spo2
        for (const auto& ps : lists(kb, v, l)) {
          if (ps.empty()) continue;
          // Paths u1 -p1-> u2 ... -pn-> un+1, as (u1, current end).
          std::set<std::pair<Id, Id>> paths;
          for (auto [u1, u2] : kb.withP(ps[0])) paths.insert({u1, u2});
          for (size_t i = 1; i < ps.size(); ++i) {
            std::set<std::pair<Id, Id>> next;
            for (auto [u1, ui] : paths)
              for (Id un : kb.objects(ui, ps[i])) next.insert({u1, un});
            paths = std::move(next);
          }
          for (auto [u1, un] : paths) add("prp-spo2", u1, p, un);
        }
      }
      for (auto [p1, p2] : kb.withP(v.eqp)) {
        for (auto [x, y] : kb.withP(p1)) add("prp-eqp1", x, p2, y);  // prp-eqp1
        for (auto [x, y] : kb.withP(p2)) add("prp-eqp2", x, p1, y);  // prp-eqp2
      }
      for (auto [p1, p2] : kb.withP(v.pdw))
        for (auto [x, y] : kb.withP(p1))
          if (kb.has(x, p2, y)) incons("prp-pdw", {p1, p2, x, y});  // prp-pdw
      for (Id x : kb.subjects(v.type, v.all_disjoint_props))        // prp-adp
        for (Id l : kb.objects(x, v.members))
          for (const auto& ps : lists(kb, v, l))
            for (size_t i = 0; i < ps.size(); ++i)
              for (size_t j = i + 1; j < ps.size(); ++j)
                for (auto [u, w] : kb.withP(ps[i]))
                  if (kb.has(u, ps[j], w)) incons("prp-adp", {ps[i], ps[j], u, w});
      for (auto [p1, p2] : kb.withP(v.inverse)) {
        for (auto [x, y] : kb.withP(p1)) add("prp-inv1", y, p2, x);  // prp-inv1
        for (auto [x, y] : kb.withP(p2)) add("prp-inv2", y, p1, x);  // prp-inv2
      }
      for (auto [c, u] : kb.withP(v.has_key)) {  // prp-key
        for (const auto& ps : lists(kb, v, u)) {
          if (ps.empty()) continue;
          const auto& members = kb.subjects(v.type, c);
          for (Id x : members) {
            for (Id y : members) {
              bool all = true;
              for (Id pi : ps) {
                bool shared = false;
                for (Id z : kb.objects(x, pi)) shared = shared || kb.has(y, pi, z);
                if (!shared) {
                  all = false;
                  break;
                }
              }
              if (all) add("prp-key", x, v.same, y);
            }
          }
        }
      }
      for (auto [x, i1] : kb.withP(v.source_ind)) {
        for (Id p : kb.objects(x, v.assertion_prop)) {
          for (Id i2 : kb.objects(x, v.target_ind))
            if (kb.has(i1, p, i2)) incons("prp-npa1", {x, i1, p, i2});  // prp-npa1
          for (Id lt : kb.objects(x, v.target_value))
            if (kb.has(i1, p, lt)) incons("prp-npa2", {x, i1, p, lt});  // prp-npa2
        }
      }

      // ---- Table 6: classes (cls-thing and cls-nothing1 are facts, above).
      for (Id x : kb.subjects(v.type, v.nothing)) incons("cls-nothing2", {x});  // cls-nothing2
      for (auto [c, l] : kb.withP(v.inter)) {
        for (const auto& cs : lists(kb, v, l)) {
          if (cs.empty()) continue;
          for (Id y : kb.subjects(v.type, cs[0])) {  // cls-int1
            bool all = true;
            for (Id ci : cs) all = all && kb.has(y, v.type, ci);
            if (all) add("cls-int1", y, v.type, c);
          }
          for (Id y : kb.subjects(v.type, c))
            for (Id ci : cs) add("cls-int2", y, v.type, ci);  // cls-int2
        }
      }
      for (auto [c, l] : kb.withP(v.uni))
        for (const auto& cs : lists(kb, v, l))
          for (Id ci : cs)
            for (Id y : kb.subjects(v.type, ci)) add("cls-uni", y, v.type, c);  // cls-uni
      for (auto [c1, c2] : kb.withP(v.complement))
        for (Id x : kb.subjects(v.type, c1))
          if (kb.has(x, v.type, c2)) incons("cls-com", {c1, c2, x});  // cls-com
      for (auto [x, y] : kb.withP(v.svf)) {
        for (Id p : kb.objects(x, v.on_property)) {
          for (auto [u, w] : kb.withP(p)) {
            if (kb.has(w, v.type, y)) add("cls-svf1", u, v.type, x);  // cls-svf1
            if (y == v.thing) add("cls-svf2", u, v.type, x);          // cls-svf2
          }
        }
      }
      for (auto [x, y] : kb.withP(v.avf))
        for (Id p : kb.objects(x, v.on_property))
          for (Id u : kb.subjects(v.type, x))
            for (Id w : kb.objects(u, p)) add("cls-avf", w, v.type, y);  // cls-avf
      for (auto [x, y] : kb.withP(v.has_value)) {
        for (Id p : kb.objects(x, v.on_property)) {
          for (Id u : kb.subjects(v.type, x)) add("cls-hv1", u, p, y);  // cls-hv1
          for (Id u : kb.subjects(p, y)) add("cls-hv2", u, v.type, x);  // cls-hv2
        }
      }
      for (auto [x, n] : kb.withP(v.max_c)) {
        for (Id p : kb.objects(x, v.on_property)) {
          for (Id u : kb.subjects(v.type, x)) {
            const auto& ys = kb.objects(u, p);
            if (n == v.zero)
              for (Id y : ys) incons("cls-maxc1", {x, p, u, y});  // cls-maxc1
            if (n == v.one)
              for (Id y1 : ys)
                for (Id y2 : ys) add("cls-maxc2", y1, v.same, y2);  // cls-maxc2
          }
        }
      }
      for (auto [x, n] : kb.withP(v.max_qc)) {
        for (Id p : kb.objects(x, v.on_property)) {
          for (Id c : kb.objects(x, v.on_class)) {
            for (Id u : kb.subjects(v.type, x)) {
              const auto& ys = kb.objects(u, p);
              for (Id y1 : ys) {
                if (n == v.zero && kb.has(y1, v.type, c)) incons("cls-maxqc1", {x, p, c, u, y1});
                if (n == v.zero && c == v.thing) incons("cls-maxqc2", {x, p, u, y1});
                if (n != v.one) continue;
                for (Id y2 : ys) {
                  if (kb.has(y1, v.type, c) && kb.has(y2, v.type, c))
                    add("cls-maxqc3", y1, v.same, y2);                  // cls-maxqc3
                  if (c == v.thing) add("cls-maxqc4", y1, v.same, y2);  // cls-maxqc4
                }
              }
            }
          }
        }
      }
      for (auto [c, l] : kb.withP(v.one_of))
        for (const auto& ys : lists(kb, v, l))
          for (Id y : ys) add("cls-oo", y, v.type, c);  // cls-oo

      // ---- Table 7: class axioms.
      for (auto [c1, c2] : kb.withP(v.sco))
        for (Id x : kb.subjects(v.type, c1)) add("cax-sco", x, v.type, c2);  // cax-sco
      for (auto [c1, c2] : kb.withP(v.eqc)) {
        for (Id x : kb.subjects(v.type, c1)) add("cax-eqc1", x, v.type, c2);  // cax-eqc1
        for (Id x : kb.subjects(v.type, c2)) add("cax-eqc2", x, v.type, c1);  // cax-eqc2
      }
      for (auto [c1, c2] : kb.withP(v.disjoint))
        for (Id x : kb.subjects(v.type, c1))
          if (kb.has(x, v.type, c2)) incons("cax-dw", {c1, c2, x});  // cax-dw
      for (Id x : kb.subjects(v.type, v.all_disjoint_classes))       // cax-adc
        for (Id l : kb.objects(x, v.members))
          for (const auto& cs : lists(kb, v, l))
            for (size_t i = 0; i < cs.size(); ++i)
              for (size_t j = i + 1; j < cs.size(); ++j)
                for (Id z : kb.subjects(v.type, cs[i]))
                  if (kb.has(z, v.type, cs[j])) incons("cax-adc", {cs[i], cs[j], z});

      // ---- Table 8: datatypes (dt-type1 is a fact, above; dt-type2, dt-eq,
      // dt-diff are not materialised).
      for (auto [lt, dt] : kb.withP(v.type))
        if (kb.isLiteral(lt) && knownNotOfType(kb.term(lt), kb.term(dt)))
          incons("dt-not-type", {lt, dt});  // dt-not-type

      // ---- Table 9: the schema vocabulary.
      for (Id c : kb.subjects(v.type, v.cls)) {  // scm-cls
        add("scm-cls", c, v.sco, c);
        add("scm-cls", c, v.eqc, c);
        add("scm-cls", c, v.sco, v.thing);
        add("scm-cls", v.nothing, v.sco, c);
      }
      for (auto [c1, c2] : kb.withP(v.sco)) {
        for (Id c3 : kb.objects(c2, v.sco)) add("scm-sco", c1, v.sco, c3);  // scm-sco
        if (kb.has(c2, v.sco, c1)) add("scm-eqc2", c1, v.eqc, c2);          // scm-eqc2
      }
      for (auto [c1, c2] : kb.withP(v.eqc)) {  // scm-eqc1
        add("scm-eqc1", c1, v.sco, c2);
        add("scm-eqc1", c2, v.sco, c1);
      }
      for (Id kind : {v.object_prop, v.data_prop}) {
        for (Id p : kb.subjects(v.type, kind)) {  // scm-op, scm-dp
          const char* rule = kind == v.object_prop ? "scm-op" : "scm-dp";
          add(rule, p, v.spo, p);
          add(rule, p, v.eqp, p);
        }
      }
      for (auto [p1, p2] : kb.withP(v.spo)) {
        for (Id p3 : kb.objects(p2, v.spo)) add("scm-spo", p1, v.spo, p3);       // scm-spo
        if (kb.has(p2, v.spo, p1)) add("scm-eqp2", p1, v.eqp, p2);               // scm-eqp2
        for (Id c : kb.objects(p2, v.domain)) add("scm-dom2", p1, v.domain, c);  // scm-dom2
        for (Id c : kb.objects(p2, v.range)) add("scm-rng2", p1, v.range, c);    // scm-rng2
      }
      for (auto [p1, p2] : kb.withP(v.eqp)) {  // scm-eqp1
        add("scm-eqp1", p1, v.spo, p2);
        add("scm-eqp1", p2, v.spo, p1);
      }
      for (auto [p, c1] : kb.withP(v.domain))
        for (Id c2 : kb.objects(c1, v.sco)) add("scm-dom1", p, v.domain, c2);  // scm-dom1
      for (auto [p, c1] : kb.withP(v.range))
        for (Id c2 : kb.objects(c1, v.sco)) add("scm-rng1", p, v.range, c2);  // scm-rng1
      // scm-hv: c1 hasValue i, c1 onProperty p1, c2 hasValue i, c2 onProperty p2,
      // p1 subPropertyOf p2 => c1 subClassOf c2.
      for (auto [c1, i] : kb.withP(v.has_value))
        for (Id p1 : kb.objects(c1, v.on_property))
          for (Id c2 : kb.subjects(v.has_value, i))
            for (Id p2 : kb.objects(c2, v.on_property))
              if (kb.has(p1, v.spo, p2)) add("scm-hv", c1, v.sco, c2);
      for (auto [c1, y1] : kb.withP(v.svf)) {
        for (Id p1 : kb.objects(c1, v.on_property)) {
          for (auto [c2, y2] : kb.withP(v.svf)) {
            for (Id p2 : kb.objects(c2, v.on_property)) {
              if (p1 == p2 && kb.has(y1, v.sco, y2)) add("scm-svf1", c1, v.sco, c2);  // scm-svf1
              if (y1 == y2 && kb.has(p1, v.spo, p2)) add("scm-svf2", c1, v.sco, c2);  // scm-svf2
            }
          }
        }
      }
      for (auto [c1, y1] : kb.withP(v.avf)) {
        for (Id p1 : kb.objects(c1, v.on_property)) {
          for (auto [c2, y2] : kb.withP(v.avf)) {
            for (Id p2 : kb.objects(c2, v.on_property)) {
              if (p1 == p2 && kb.has(y1, v.sco, y2)) add("scm-avf1", c1, v.sco, c2);  // scm-avf1
              if (y1 == y2 && kb.has(p1, v.spo, p2)) add("scm-avf2", c2, v.sco, c1);  // scm-avf2
            }
          }
        }
      }
      for (auto [c, l] : kb.withP(v.inter))
        for (const auto& cs : lists(kb, v, l))
          for (Id ci : cs) add("scm-int", c, v.sco, ci);  // scm-int
      for (auto [c, l] : kb.withP(v.uni))
        for (const auto& cs : lists(kb, v, l))
          for (Id ci : cs) add("scm-uni", ci, v.sco, c);  // scm-uni
    }

    if (fresh.empty()) break;
    kb.all.insert(fresh.begin(), fresh.end());
    // Inconsistencies are recomputed each round; keep only the last round's
    // (a superset of the earlier ones, since the set only grows).
    out.inconsistencies.clear();
  }
  // The final round (which added nothing) saw the whole closure.
  for (const auto& t : kb.all) {
    if (!opts.eq_ref && t[1] == v.same && t[0] == t[2]) continue;  // x owl:sameAs x
    out.triples.insert({kb.term(t[0]), kb.term(t[1]), kb.term(t[2])});
  }
  return out;
}

}  // namespace weft::reason::naive
