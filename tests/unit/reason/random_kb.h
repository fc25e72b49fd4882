// SPDX-License-Identifier: Apache-2.0
// Random small ontologies and data for the differential and incremental
// tests of engine/reason. The vocabularies are tiny (6 classes, 5 object
// properties, 2 datatype properties, 8 individuals) so that the axioms meet
// the same terms and the rules feed each other: subClassOf / subPropertyOf
// chains, domains and ranges, inverse, symmetric, transitive, property
// chains, intersections, unions, someValuesFrom, allValuesFrom, hasValue,
// max(Qualified)Cardinality 0 and 1, functional and inverse-functional
// properties, hasKey, equivalentClass / equivalentProperty, oneOf, sameAs and
// differentFrom, and now and then an axiom that makes the data inconsistent.
//
// Everything is an IRI (restrictions and list nodes too), so the store and the
// naive reference name every node alike. Literals are in canonical form
// ("1"^^xsd:integer, "a" as xsd:string).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tests/unit/reason/naive_owlrl.h"

namespace weft::reason::testing {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed * 0x9E3779B97F4A7C15ull + 7) {}
  int below(int n) { return static_cast<int>(gen_() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(static_cast<int>(v.size()))];
  }

 private:
  std::mt19937_64 gen_;
};

// A triple plus the graph it goes in ("" = the default graph).
struct GQuad {
  naive::Triple t;
  std::string g;
};

// N-Quads text of generated quads.
inline std::string nquads(const std::vector<GQuad>& quads) {
  std::string out;
  for (const auto& q : quads) {
    out += q.t[0] + " " + q.t[1] + " " + q.t[2];
    if (!q.g.empty()) out += " <" + q.g + ">";
    out += " .\n";
  }
  return out;
}

class RandomKb {
 public:
  // punning: owl:sameAs between classes or properties now and then.
  // merges false: no axiom or fact that can derive owl:sameAs (for testing
  // the other rules' maintenance on its own).
  explicit RandomKb(uint64_t seed, bool punning = false, bool merges = true)
      : r_(seed), punning_(punning && merges), merges_(merges) {
    for (int i = 0; i < 6; ++i) classes_.push_back(ex("C" + std::to_string(i)));
    for (int i = 0; i < 5; ++i) props_.push_back(ex("p" + std::to_string(i)));
    for (int i = 0; i < 2; ++i) dprops_.push_back(ex("d" + std::to_string(i)));
    for (int i = 0; i < 8; ++i) inds_.push_back(ex("i" + std::to_string(i)));
    const std::string integer = naive::vocab::xsd("integer");
    lits_ = {"\"1\"^^" + integer, "\"2\"^^" + integer, "\"3\"^^" + integer, "\"a\"", "\"b\""};
  }

  static std::string ex(const std::string& local) { return "<http://e/" + local + ">"; }
  static std::string schemaGraph() { return "http://e/g/schema"; }

  // A whole knowledge base: `axioms` schema axioms and `facts` data triples.
  std::vector<GQuad> generate(int axioms, int facts) {
    std::vector<GQuad> out;
    for (int i = 0; i < axioms; ++i)
      for (auto& t : axiom()) out.push_back({std::move(t), schemaGraph()});
    for (int i = 0; i < facts; ++i) {
      GQuad q{fact(), dataGraph()};
      if (r_.chance(5)) out.push_back({q.t, dataGraph()});  // the same triple in two graphs
      out.push_back(std::move(q));
    }
    return out;
  }

  Rng& rng() { return r_; }

  std::string dataGraph() {
    switch (r_.below(3)) {
      case 0:
        return "";
      case 1:
        return "http://e/g/d1";
      default:
        return "http://e/g/d2";
    }
  }

  // One data triple.
  naive::Triple fact() {
    for (;;) {
      naive::Triple t = anyFact();
      if (merges_ || t[1] != naive::vocab::owl("sameAs")) return t;
    }
  }

  // One schema axiom (several triples for restrictions and lists).
  std::vector<naive::Triple> axiom() {
    for (;;) {
      auto t = anyAxiom();
      if (merges_ || !canMerge(t)) return t;
    }
  }

 private:
  static bool canMerge(const std::vector<naive::Triple>& axiom) {
    using namespace naive::vocab;
    for (const auto& t : axiom) {
      if (t[2] == owl("FunctionalProperty") || t[2] == owl("InverseFunctionalProperty"))
        return true;
      if (t[1] == owl("hasKey") || t[1] == owl("sameAs")) return true;
      if ((t[1] == owl("maxCardinality") || t[1] == owl("maxQualifiedCardinality")) &&
          t[2].rfind("\"1\"", 0) == 0)
        return true;
    }
    return false;
  }

  naive::Triple anyFact() {
    const std::string type = naive::vocab::rdf("type");
    int k = r_.below(100);
    if (k < 30)
      return {ind(), type, r_.chance(80) || restrictions_.empty() ? cls() : r_.pick(restrictions_)};
    if (k < 75) return {ind(), prop(), ind()};
    if (k < 90) return {ind(), r_.pick(dprops_), r_.pick(lits_)};
    if (k < 96) return {ind(), naive::vocab::owl("sameAs"), ind()};
    return {ind(), naive::vocab::owl("differentFrom"), ind()};
  }

  std::vector<naive::Triple> anyAxiom() {
    using namespace naive::vocab;
    const std::string type = rdf("type");
    std::vector<naive::Triple> t;
    int k = r_.below(112);
    if (k < 14) {
      t.push_back({cls(), rdfs("subClassOf"), cls()});
    } else if (k < 22) {
      t.push_back({prop(), rdfs("subPropertyOf"), prop()});
    } else if (k < 28) {
      t.push_back({prop(), rdfs("domain"), cls()});
    } else if (k < 34) {
      t.push_back({prop(), rdfs("range"), cls()});
    } else if (k < 37) {
      t.push_back({r_.pick(dprops_), rdfs("domain"), cls()});
    } else if (k < 39) {
      t.push_back(
          {r_.pick(dprops_), rdfs("range"), r_.chance(50) ? xsd("integer") : xsd("string")});
    } else if (k < 43) {
      t.push_back({prop(), owl("inverseOf"), prop()});
    } else if (k < 46) {
      t.push_back({prop(), type, owl("SymmetricProperty")});
    } else if (k < 50) {
      t.push_back({prop(), type, owl("TransitiveProperty")});
    } else if (k < 53) {
      t.push_back({prop(), type, owl("FunctionalProperty")});
    } else if (k < 56) {
      t.push_back({prop(), type, owl("InverseFunctionalProperty")});
    } else if (k < 60) {
      std::vector<std::string> chain = {prop(), prop()};
      if (r_.chance(30)) chain.push_back(prop());
      t.push_back({prop(), owl("propertyChainAxiom"), list(chain, t)});
    } else if (k < 64) {
      t.push_back({cls(), owl("intersectionOf"), list({cls(), cls()}, t)});
    } else if (k < 67) {
      t.push_back({cls(), owl("unionOf"), list({cls(), cls()}, t)});
    } else if (k < 83) {
      restriction(t);
    } else if (k < 86) {
      std::vector<std::string> key = {r_.chance(60) ? prop() : r_.pick(dprops_)};
      if (r_.chance(30)) key.push_back(r_.pick(dprops_));
      t.push_back({cls(), owl("hasKey"), list(key, t)});
    } else if (k < 89) {
      t.push_back({cls(), owl("equivalentClass"),
                   r_.chance(50) || restrictions_.empty() ? cls() : r_.pick(restrictions_)});
    } else if (k < 91) {
      t.push_back({prop(), owl("equivalentProperty"), prop()});
    } else if (k < 95) {
      // Declarations: scm-cls, scm-op, scm-dp.
      int d = r_.below(3);
      if (d == 0) t.push_back({cls(), type, owl("Class")});
      if (d == 1) t.push_back({prop(), type, owl("ObjectProperty")});
      if (d == 2) t.push_back({r_.pick(dprops_), type, owl("DatatypeProperty")});
    } else if (k < 97) {
      t.push_back({cls(), owl("oneOf"), list({ind(), ind()}, t)});
    } else if (k < 99) {
      t.push_back({cls(), owl("disjointWith"), cls()});
    } else if (k < 100) {
      t.push_back({cls(), owl("complementOf"), cls()});
    } else if (k < 101) {
      t.push_back({prop(), owl("propertyDisjointWith"), prop()});
    } else if (k < 102) {
      t.push_back(
          {prop(), type, r_.chance(50) ? owl("IrreflexiveProperty") : owl("AsymmetricProperty")});
    } else if (k < 104) {
      std::string x = node("x");
      int kind = r_.below(3);
      if (kind == 0) {
        t.push_back({x, type, owl("AllDifferent")});
        t.push_back({x, r_.chance(50) ? owl("members") : owl("distinctMembers"),
                     list({ind(), ind(), ind()}, t)});
      } else if (kind == 1) {
        t.push_back({x, type, owl("AllDisjointClasses")});
        t.push_back({x, owl("members"), list({cls(), cls(), cls()}, t)});
      } else {
        t.push_back({x, type, owl("AllDisjointProperties")});
        t.push_back({x, owl("members"), list({prop(), prop()}, t)});
      }
    } else if (k < 105) {
      std::string x = node("n");
      t.push_back({x, owl("sourceIndividual"), ind()});
      if (r_.chance(50)) {
        t.push_back({x, owl("assertionProperty"), prop()});
        t.push_back({x, owl("targetIndividual"), ind()});
      } else {
        t.push_back({x, owl("assertionProperty"), r_.pick(dprops_)});
        t.push_back({x, owl("targetValue"), r_.pick(lits_)});
      }
    } else if (k < 107 && punning_) {
      // owl:sameAs between classes or properties: eq-rep-p and merged schema.
      if (r_.chance(50))
        t.push_back({cls(), owl("sameAs"), cls()});
      else
        t.push_back({prop(), owl("sameAs"), prop()});
    } else {
      t.push_back({cls(), rdfs("subClassOf"), cls()});
    }
    return t;
  }

  std::string node(const char* prefix) {
    return ex(std::string(prefix) + std::to_string(nodes_++));
  }

  std::string list(const std::vector<std::string>& items, std::vector<naive::Triple>& t) {
    using namespace naive::vocab;
    std::string head = rdf("nil");
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
      std::string n = node("l");
      t.push_back({n, rdf("first"), *it});
      t.push_back({n, rdf("rest"), head});
      head = n;
    }
    return head;
  }

  void restriction(std::vector<naive::Triple>& t) {
    using namespace naive::vocab;
    std::string x = node("r");
    restrictions_.push_back(x);
    std::string p = prop();
    t.push_back({x, owl("onProperty"), p});
    const std::string nni = xsd("nonNegativeInteger");
    switch (r_.below(6)) {
      case 0:
        t.push_back({x, owl("someValuesFrom"), r_.chance(30) ? owl("Thing") : cls()});
        break;
      case 1:
        t.push_back({x, owl("allValuesFrom"), cls()});
        break;
      case 2:
        if (r_.chance(70)) {
          t.push_back({x, owl("hasValue"), ind()});
        } else {  // on a datatype property instead
          t.back()[2] = r_.pick(dprops_);
          t.push_back({x, owl("hasValue"), r_.pick(lits_)});
        }
        break;
      case 3:
      case 4:
        t.push_back({x, owl("maxCardinality"), (r_.chance(20) ? "\"0\"^^" : "\"1\"^^") + nni});
        break;
      default:
        t.push_back(
            {x, owl("maxQualifiedCardinality"), (r_.chance(20) ? "\"0\"^^" : "\"1\"^^") + nni});
        t.push_back({x, owl("onClass"), r_.chance(30) ? owl("Thing") : cls()});
        break;
    }
    // Tie the restriction to the named classes (or leave it to typed data).
    const std::string sco = rdfs("subClassOf");
    switch (r_.below(4)) {
      case 0:
        t.push_back({cls(), sco, x});
        break;
      case 1:
        t.push_back({x, sco, cls()});
        break;
      case 2:
        t.push_back({cls(), owl("equivalentClass"), x});
        break;
      default:
        break;
    }
  }

  std::string cls() { return r_.pick(classes_); }
  std::string prop() { return r_.pick(props_); }
  std::string ind() { return r_.pick(inds_); }

  Rng r_;
  bool punning_, merges_;
  int nodes_ = 0;
  std::vector<std::string> classes_, props_, dprops_, inds_, lits_, restrictions_;
};

}  // namespace weft::reason::testing
