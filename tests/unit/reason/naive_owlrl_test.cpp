// SPDX-License-Identifier: Apache-2.0
// Self-tests of the naive OWL 2 RL reference (naive_owlrl.h): before it is
// trusted as the oracle of the differential tests, a few hand-computed
// closures, one per kind of rule body (plain joins, lists, equality, the
// fixpoint across rules, inconsistencies, the RDFS profile).
#include "tests/unit/reason/naive_owlrl.h"

#include <gtest/gtest.h>

#include "tests/unit/reason/reason_test_util.h"

using namespace weft::reason;
using namespace weft::reason::testing;

namespace {

naive::Closure run(std::string_view ttl, naive::Options o = {}) {
  return naive::closure(triplesOf(parse(ttl)), o);
}
bool has(const naive::Closure& c, std::string_view s, std::string_view p, std::string_view o) {
  return c.triples.count(tri(s, p, o)) != 0;
}

TEST(NaiveOwlRl, AxiomsAndSchemaClosure) {
  auto c = run(":A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :x a :A .");
  EXPECT_TRUE(has(c, "owl:Thing", "a", "owl:Class"));                  // cls-thing
  EXPECT_TRUE(has(c, "owl:Nothing", "rdfs:subClassOf", "owl:Thing"));  // scm-cls on owl:Nothing
  EXPECT_TRUE(has(c, "rdfs:label", "a", "owl:AnnotationProperty"));    // prp-ap
  EXPECT_TRUE(has(c, "xsd:integer", "a", "rdfs:Datatype"));            // dt-type1
  EXPECT_TRUE(has(c, ":A", "rdfs:subClassOf", ":C"));                  // scm-sco
  EXPECT_TRUE(has(c, ":x", "a", ":C"));                                // cax-sco twice
  EXPECT_FALSE(has(c, ":A", "rdfs:subClassOf", ":A"));  // scm-cls needs :A a owl:Class
  EXPECT_TRUE(c.inconsistencies.empty());
  // Nothing new without the axioms but the schema and instance rules.
  naive::Options o;
  o.axioms = false;
  auto bare = run(":A rdfs:subClassOf :B . :x a :A .", o);
  EXPECT_EQ(bare.triples, (Graph{tri(":A", "rdfs:subClassOf", ":B"), tri(":x", "a", ":A"),
                                 tri(":x", "a", ":B")}));
}

TEST(NaiveOwlRl, EqualityIsClosedInFull) {
  naive::Options o;
  o.axioms = false;
  auto c = run(":b owl:sameAs :a . :c owl:sameAs :b . :b :p :o . :q owl:sameAs :p .", o);
  for (const char* x : {":a", ":b", ":c"}) {
    for (const char* y : {":a", ":b", ":c"})
      EXPECT_EQ(has(c, x, "owl:sameAs", y), std::string(x) != y) << x << y;
    EXPECT_TRUE(has(c, x, ":p", ":o"));
    EXPECT_TRUE(has(c, x, ":q", ":o"));
  }
  // eq-rep-o rewrites the objects of sameAs triples too; no eq-ref for :o.
  EXPECT_FALSE(has(c, ":o", "owl:sameAs", ":o"));
  o.eq_ref = true;
  auto r = run(":s :p :o .", o);
  for (const char* x : {":s", ":p", ":o"}) EXPECT_TRUE(has(r, x, "owl:sameAs", x));
}

TEST(NaiveOwlRl, ListRulesReadEveryChain) {
  naive::Options o;
  o.axioms = false;
  auto c =
      run(":r owl:propertyChainAxiom ( :p :q :s ) . :a :p :b . :b :q :c . :c :s :d . :c :s :e .\n"
          ":I owl:intersectionOf ( :A :B ) . :x a :A , :B . :y a :A .\n"
          ":K owl:hasKey ( :k1 :k2 ) . :m a :K ; :k1 1 ; :k2 2 . :n a :K ; :k1 1 ; :k2 2 .\n"
          ":n2 a :K ; :k1 1 ; :k2 3 .\n",
          o);
  EXPECT_TRUE(has(c, ":a", ":r", ":d"));
  EXPECT_TRUE(has(c, ":a", ":r", ":e"));
  EXPECT_FALSE(has(c, ":b", ":r", ":d"));
  EXPECT_TRUE(has(c, ":x", "a", ":I"));
  EXPECT_FALSE(has(c, ":y", "a", ":I"));
  EXPECT_TRUE(has(c, ":I", "rdfs:subClassOf", ":A"));  // scm-int
  EXPECT_TRUE(has(c, ":m", "owl:sameAs", ":n"));
  EXPECT_FALSE(has(c, ":m", "owl:sameAs", ":n2"));
  // A list whose member was merged has two readings (eq-rep-o on rdf:first).
  auto d = run(":C owl:oneOf ( :i ) . :i owl:sameAs :j .", o);
  EXPECT_TRUE(has(d, ":j", "a", ":C"));
}

TEST(NaiveOwlRl, RulesFeedEachOther) {
  // prp-fp merges, the merge makes cls-hv2 fire, cax-sco then types both.
  auto c =
      run(":f a owl:FunctionalProperty . :s :f :v1 , :v2 .\n"
          ":R owl:hasValue :v1 ; owl:onProperty :g . :R rdfs:subClassOf :C . :t :g :v2 .");
  EXPECT_TRUE(has(c, ":v1", "owl:sameAs", ":v2"));
  EXPECT_TRUE(has(c, ":t", "a", ":R"));
  EXPECT_TRUE(has(c, ":t", "a", ":C"));
}

TEST(NaiveOwlRl, Inconsistencies) {
  auto c =
      run(":A owl:disjointWith :B . :x a :A , :B .\n"
          ":a owl:sameAs :b ; owl:differentFrom :b .\n"
          ":y a owl:Nothing .\n"
          ":R owl:maxCardinality \"0\"^^xsd:nonNegativeInteger ; owl:onProperty :p . :z a :R ; :p "
          ":w .\n"
          ":d :age \"ten\" . :age rdfs:range xsd:integer .\n");
  std::set<std::string> rules;
  for (const auto& [r, _] : c.inconsistencies) rules.insert(r);
  EXPECT_EQ(rules, (std::set<std::string>{"cax-dw", "eq-diff1", "cls-nothing2", "cls-maxc1",
                                          "dt-not-type"}));
  EXPECT_EQ(c.inconsistencies["cax-dw"],
            (std::set<std::string>{"<http://e/A> <http://e/B> <http://e/x>"}));
  // eq-ref is applied though not output: x owl:differentFrom x is inconsistent.
  auto self = run(":a owl:differentFrom :a .");
  EXPECT_EQ(self.inconsistencies.count("eq-diff1"), 1u);
  EXPECT_FALSE(has(self, ":a", "owl:sameAs", ":a"));
}

TEST(NaiveOwlRl, RdfsProfileHasSixRules) {
  naive::Options o;
  o.profile = naive::Profile::kRdfs;
  auto c = run(
      ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r . :q rdfs:domain :D ; rdfs:range :E .\n"
      ":A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :x :p :y ; a :A .\n"
      ":s a owl:SymmetricProperty . :x :s :y .",
      o);
  EXPECT_TRUE(has(c, ":p", "rdfs:subPropertyOf", ":r"));  // rdfs5
  EXPECT_TRUE(has(c, ":x", ":r", ":y"));                  // rdfs7
  EXPECT_TRUE(has(c, ":x", "a", ":D"));                   // rdfs2
  EXPECT_TRUE(has(c, ":y", "a", ":E"));                   // rdfs3
  EXPECT_TRUE(has(c, ":A", "rdfs:subClassOf", ":C"));     // rdfs11
  EXPECT_TRUE(has(c, ":x", "a", ":C"));                   // rdfs9
  EXPECT_FALSE(has(c, ":y", ":s", ":x"));                 // no prp-symp
  EXPECT_FALSE(has(c, "owl:Thing", "a", "owl:Class"));    // no OWL axioms
}

TEST(NaiveOwlRl, ExpansionOfTheCanonicalForm) {
  // What weft writes for :b sameAs :a (representative :a) plus :b :p :o.
  Graph canonical = {tri(":b", "owl:sameAs", ":a"), tri(":a", "owl:sameAs", ":b"),
                     tri(":b", ":p", ":o"), tri(":a", ":p", ":o")};
  Graph full = comparable(expandSameAs(canonical));
  EXPECT_EQ(full, (Graph{tri(":b", "owl:sameAs", ":a"), tri(":a", "owl:sameAs", ":b"),
                         tri(":b", ":p", ":o"), tri(":a", ":p", ":o")}));
  naive::Options o;
  o.axioms = false;
  auto c = naive::closure({tri(":b", "owl:sameAs", ":a"), tri(":b", ":p", ":o")}, o);
  EXPECT_EQ(comparable(c.triples), full) << diff(comparable(c.triples), full, "naive", "expanded");
}

}  // namespace
