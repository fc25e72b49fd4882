// SPDX-License-Identifier: Apache-2.0
// One test per rule of the OWL 2 RL/RDF rules (W3C OWL 2 Profiles, second
// edition, section 4.3, tables 4 to 9), named after the rule. Each runs
// reason::materialize over a few triples and checks the triples the rule
// concludes (on weft's representatives: the smallest member of an owl:sameAs
// class in N-Triples order), a triple it must not conclude, or, for the rules
// concluding `false`, the entry in Report::inconsistencies. Every case is
// also compared in full with the naive reference (reasonOver in
// reason_test_util.h), so a rule that fires where it should not shows up too.
// The spec's rule text is quoted above each test.
#include <gtest/gtest.h>

#include "engine/reason/reasoner.h"
#include "tests/unit/reason/reason_test_util.h"

using namespace weft;
using namespace weft::reason;
using namespace weft::reason::testing;

namespace {

std::set<std::string> rulesOf(const Reasoned& r) { return ruleNames(r.report); }

// ---------------------------------------------------------------- Table 4

// eq-ref: T(?s, ?p, ?o) => T(?s, owl:sameAs, ?s) T(?p, owl:sameAs, ?p) T(?o, owl:sameAs, ?o)
// Not materialised unless Options::eq_ref.
TEST(OwlRl, EqRef) {
  auto off = reasonOver(":s :p :o .");
  EXPECT_TRUE(Lacks(off, ":s", "owl:sameAs", ":s"));
  EXPECT_TRUE(Lacks(off, ":o", "owl:sameAs", ":o"));
  Options o;
  o.eq_ref = true;
  auto on = reasonOver(":s :p :o .", o);
  EXPECT_TRUE(Has(on, ":s", "owl:sameAs", ":s"));
  EXPECT_TRUE(Has(on, ":p", "owl:sameAs", ":p"));
  EXPECT_TRUE(Has(on, ":o", "owl:sameAs", ":o"));
}

// eq-sym: T(?x, owl:sameAs, ?y) => T(?y, owl:sameAs, ?x)
TEST(OwlRl, EqSym) {
  auto r = reasonOver(":b owl:sameAs :a .");
  EXPECT_TRUE(Has(r, ":a", "owl:sameAs", ":b"));
  EXPECT_EQ(r.report.same_as_classes, 1u);
  EXPECT_EQ(r.report.same_as_members, 2u);
}

// eq-trans: T(?x, owl:sameAs, ?y) T(?y, owl:sameAs, ?z) => T(?x, owl:sameAs, ?z)
TEST(OwlRl, EqTrans) {
  auto r = reasonOver(":c owl:sameAs :b . :b owl:sameAs :a . :e owl:sameAs :d .");
  EXPECT_TRUE(Has(r, ":c", "owl:sameAs", ":a"));
  EXPECT_TRUE(Has(r, ":a", "owl:sameAs", ":c"));
  EXPECT_TRUE(Lacks(r, ":c", "owl:sameAs", ":d"));
  EXPECT_TRUE(Lacks(r, ":a", "owl:sameAs", ":e"));
  EXPECT_EQ(r.report.same_as_classes, 2u);
  EXPECT_EQ(r.report.same_as_members, 5u);
}

// eq-rep-s: T(?s, owl:sameAs, ?s') T(?s, ?p, ?o) => T(?s', ?p, ?o)
TEST(OwlRl, EqRepS) {
  auto r = reasonOver(":b owl:sameAs :a . :b :p :o .");
  EXPECT_TRUE(Has(r, ":a", ":p", ":o"));
  EXPECT_TRUE(r.inferred.count(tri(":a", ":p", ":o"))) << "written on the representative";
  EXPECT_TRUE(Lacks(r, ":a", ":p", ":a"));
}

// eq-rep-p: T(?p, owl:sameAs, ?p') T(?s, ?p, ?o) => T(?s, ?p', ?o)
TEST(OwlRl, EqRepP) {
  auto r = reasonOver(":q owl:sameAs :p . :s :q :o .");
  EXPECT_TRUE(Has(r, ":s", ":p", ":o"));
  EXPECT_TRUE(Lacks(r, ":o", ":p", ":s"));
}

// eq-rep-o: T(?o, owl:sameAs, ?o') T(?s, ?p, ?o) => T(?s, ?p, ?o')
TEST(OwlRl, EqRepO) {
  auto r = reasonOver(":s :p :b . :b owl:sameAs :a .");
  EXPECT_TRUE(Has(r, ":s", ":p", ":a"));
  EXPECT_TRUE(Lacks(r, ":a", ":p", ":s"));
}

// eq-diff1: T(?x, owl:sameAs, ?y) T(?x, owl:differentFrom, ?y) => false
TEST(OwlRl, EqDiff1) {
  auto r = reasonOver(":a owl:sameAs :b . :a owl:differentFrom :b .");
  EXPECT_TRUE(Inconsistent(r, "eq-diff1"));
  EXPECT_EQ(rulesOf(r), (std::set<std::string>{"eq-diff1"}));
  // The same when owl:sameAs is derived (prp-fp) and differentFrom is
  // asserted on what becomes an alias.
  auto d = reasonOver(":f a owl:FunctionalProperty . :s :f :b , :c . :c owl:differentFrom :b .");
  EXPECT_TRUE(Inconsistent(d, "eq-diff1"));
  auto ok = reasonOver(":a owl:sameAs :b . :a owl:differentFrom :c .");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// eq-diff2: T(?x, rdf:type, owl:AllDifferent) T(?x, owl:members, ?list)
// LIST[?list, ?y1, ..., ?yn] T(?yi, owl:sameAs, ?yj) => false  for each 1 <= i < j <= n
TEST(OwlRl, EqDiff2) {
  auto r = reasonOver(":x a owl:AllDifferent ; owl:members ( :a :b :c ) . :c owl:sameAs :a .");
  EXPECT_TRUE(Inconsistent(r, "eq-diff2"));
  auto ok = reasonOver(":x a owl:AllDifferent ; owl:members ( :a :b :c ) . :c owl:sameAs :d .");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// eq-diff3: as eq-diff2 with owl:distinctMembers.
TEST(OwlRl, EqDiff3) {
  auto r = reasonOver(":x a owl:AllDifferent ; owl:distinctMembers ( :a :b ) . :b owl:sameAs :a .");
  EXPECT_TRUE(Inconsistent(r, "eq-diff3"));
}

// ---------------------------------------------------------------- Table 5

// prp-ap: T(ap, rdf:type, owl:AnnotationProperty) for each built-in annotation property.
TEST(OwlRl, PrpAp) {
  auto r = reasonOver(":x rdfs:label \"x\" .");
  for (const char* ap : {"rdfs:label", "rdfs:comment", "rdfs:seeAlso", "rdfs:isDefinedBy",
                         "owl:deprecated", "owl:versionInfo", "owl:priorVersion",
                         "owl:backwardCompatibleWith", "owl:incompatibleWith"})
    EXPECT_TRUE(Has(r, ap, "a", "owl:AnnotationProperty"));
}

// prp-dom: T(?p, rdfs:domain, ?c) T(?x, ?p, ?y) => T(?x, rdf:type, ?c)
TEST(OwlRl, PrpDom) {
  auto r = reasonOver(":p rdfs:domain :C . :x :p :y .");
  EXPECT_TRUE(Has(r, ":x", "a", ":C"));
  EXPECT_TRUE(Lacks(r, ":y", "a", ":C"));
}

// prp-rng: T(?p, rdfs:range, ?c) T(?x, ?p, ?y) => T(?y, rdf:type, ?c)
TEST(OwlRl, PrpRng) {
  auto r = reasonOver(":p rdfs:range :C . :x :p :y .");
  EXPECT_TRUE(Has(r, ":y", "a", ":C"));
  EXPECT_TRUE(Lacks(r, ":x", "a", ":C"));
}

// prp-fp: T(?p, rdf:type, owl:FunctionalProperty) T(?x, ?p, ?y1) T(?x, ?p, ?y2)
// => T(?y1, owl:sameAs, ?y2)
TEST(OwlRl, PrpFp) {
  auto r = reasonOver(":f a owl:FunctionalProperty . :s :f :c , :b . :t :f :d .");
  EXPECT_TRUE(Has(r, ":c", "owl:sameAs", ":b"));
  EXPECT_TRUE(Has(r, ":b", "owl:sameAs", ":c"));
  EXPECT_TRUE(Lacks(r, ":d", "owl:sameAs", ":b"));
  EXPECT_TRUE(Lacks(r, ":s", "owl:sameAs", ":t"));
}

// prp-ifp: T(?p, rdf:type, owl:InverseFunctionalProperty) T(?x1, ?p, ?y) T(?x2, ?p, ?y)
// => T(?x1, owl:sameAs, ?x2)
TEST(OwlRl, PrpIfp) {
  auto r = reasonOver(":f a owl:InverseFunctionalProperty . :c :f :o . :b :f :o . :d :f :o2 .");
  EXPECT_TRUE(Has(r, ":c", "owl:sameAs", ":b"));
  EXPECT_TRUE(Has(r, ":b", "owl:sameAs", ":c"));
  EXPECT_TRUE(Lacks(r, ":d", "owl:sameAs", ":b"));
}

// prp-irp: T(?p, rdf:type, owl:IrreflexiveProperty) T(?x, ?p, ?x) => false
TEST(OwlRl, PrpIrp) {
  auto r = reasonOver(":p a owl:IrreflexiveProperty . :x :p :x . :y :p :z .");
  EXPECT_TRUE(Inconsistent(r, "prp-irp", {":x"}));
  EXPECT_EQ(rulesOf(r), (std::set<std::string>{"prp-irp"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// prp-symp: T(?p, rdf:type, owl:SymmetricProperty) T(?x, ?p, ?y) => T(?y, ?p, ?x)
TEST(OwlRl, PrpSymp) {
  auto r = reasonOver(":p a owl:SymmetricProperty . :x :p :y . :x :q :z .");
  EXPECT_TRUE(Has(r, ":y", ":p", ":x"));
  EXPECT_TRUE(Lacks(r, ":z", ":q", ":x"));
}

// prp-asyp: T(?p, rdf:type, owl:AsymmetricProperty) T(?x, ?p, ?y) T(?y, ?p, ?x) => false
TEST(OwlRl, PrpAsyp) {
  auto r = reasonOver(":p a owl:AsymmetricProperty . :x :p :y . :y :p :x . :a :p :b .");
  EXPECT_TRUE(Inconsistent(r, "prp-asyp", {":x", ":y"}));
  auto ok = reasonOver(":p a owl:AsymmetricProperty . :a :p :b .");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// prp-trp: T(?p, rdf:type, owl:TransitiveProperty) T(?x, ?p, ?y) T(?y, ?p, ?z) => T(?x, ?p, ?z)
TEST(OwlRl, PrpTrp) {
  auto r = reasonOver(":p a owl:TransitiveProperty . :a :p :b . :b :p :c . :c :p :d .");
  EXPECT_TRUE(Has(r, ":a", ":p", ":c"));
  EXPECT_TRUE(Has(r, ":a", ":p", ":d"));
  EXPECT_TRUE(Has(r, ":b", ":p", ":d"));
  EXPECT_TRUE(Lacks(r, ":d", ":p", ":a"));
}

// prp-spo1: T(?p1, rdfs:subPropertyOf, ?p2) T(?x, ?p1, ?y) => T(?x, ?p2, ?y)
TEST(OwlRl, PrpSpo1) {
  auto r = reasonOver(":p rdfs:subPropertyOf :q . :x :p :y . :u :q :v .");
  EXPECT_TRUE(Has(r, ":x", ":q", ":y"));
  EXPECT_TRUE(Lacks(r, ":u", ":p", ":v"));
}

// prp-spo2: T(?p, owl:propertyChainAxiom, ?x) LIST[?x, ?p1, ..., ?pn]
// T(?u1, ?p1, ?u2) T(?u2, ?p2, ?u3) ... T(?un, ?pn, ?un+1) => T(?u1, ?p, ?un+1)
TEST(OwlRl, PrpSpo2) {
  auto r = reasonOver(
      ":r owl:propertyChainAxiom ( :p :q ) . :a :p :b . :b :q :c . :b :p :d .\n"
      ":r3 owl:propertyChainAxiom ( :p :q :s ) . :c :s :e .");
  EXPECT_TRUE(Has(r, ":a", ":r", ":c"));
  EXPECT_TRUE(Has(r, ":a", ":r3", ":e"));
  EXPECT_TRUE(Lacks(r, ":b", ":r", ":d"));
  EXPECT_TRUE(Lacks(r, ":a", ":r", ":b"));
}

// prp-eqp1: T(?p1, owl:equivalentProperty, ?p2) T(?x, ?p1, ?y) => T(?x, ?p2, ?y)
TEST(OwlRl, PrpEqp1) {
  auto r = reasonOver(":p owl:equivalentProperty :q . :x :p :y .");
  EXPECT_TRUE(Has(r, ":x", ":q", ":y"));
  EXPECT_TRUE(Lacks(r, ":y", ":q", ":x"));
}

// prp-eqp2: T(?p1, owl:equivalentProperty, ?p2) T(?x, ?p2, ?y) => T(?x, ?p1, ?y)
TEST(OwlRl, PrpEqp2) {
  auto r = reasonOver(":p owl:equivalentProperty :q . :x :q :y .");
  EXPECT_TRUE(Has(r, ":x", ":p", ":y"));
  EXPECT_TRUE(Lacks(r, ":y", ":p", ":x"));
}

// prp-pdw: T(?p1, owl:propertyDisjointWith, ?p2) T(?x, ?p1, ?y) T(?x, ?p2, ?y) => false
TEST(OwlRl, PrpPdw) {
  auto r = reasonOver(":p owl:propertyDisjointWith :q . :x :p :y ; :q :y . :a :p :b ; :q :c .");
  EXPECT_TRUE(Inconsistent(r, "prp-pdw", {":x", ":y"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// prp-adp: T(?x, rdf:type, owl:AllDisjointProperties) T(?x, owl:members, ?y)
// LIST[?y, ?p1, ..., ?pn] T(?u, ?pi, ?v) T(?u, ?pj, ?v) => false  for each 1 <= i < j <= n
TEST(OwlRl, PrpAdp) {
  auto r =
      reasonOver(":x a owl:AllDisjointProperties ; owl:members ( :p :q :r ) . :u :p :v ; :r :v .");
  EXPECT_TRUE(Inconsistent(r, "prp-adp", {":u", ":v"}));
  auto ok =
      reasonOver(":x a owl:AllDisjointProperties ; owl:members ( :p :q :r ) . :u :p :v ; :r :w .");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// prp-inv1: T(?p1, owl:inverseOf, ?p2) T(?x, ?p1, ?y) => T(?y, ?p2, ?x)
TEST(OwlRl, PrpInv1) {
  auto r = reasonOver(":p owl:inverseOf :q . :x :p :y .");
  EXPECT_TRUE(Has(r, ":y", ":q", ":x"));
  EXPECT_TRUE(Lacks(r, ":x", ":q", ":y"));
}

// prp-inv2: T(?p1, owl:inverseOf, ?p2) T(?x, ?p2, ?y) => T(?y, ?p1, ?x)
TEST(OwlRl, PrpInv2) {
  auto r = reasonOver(":p owl:inverseOf :q . :x :q :y .");
  EXPECT_TRUE(Has(r, ":y", ":p", ":x"));
  EXPECT_TRUE(Lacks(r, ":x", ":p", ":y"));
}

// prp-key: T(?c, owl:hasKey, ?u) LIST[?u, ?p1, ..., ?pn] T(?x, rdf:type, ?c)
// T(?x, ?p1, ?z1) ... T(?x, ?pn, ?zn) T(?y, rdf:type, ?c) T(?y, ?p1, ?z1) ... T(?y, ?pn, ?zn)
// => T(?x, owl:sameAs, ?y)
TEST(OwlRl, PrpKey) {
  auto r = reasonOver(
      ":C owl:hasKey ( :k :l ) .\n"
      ":b a :C ; :k 1 ; :l \"x\" . :a a :C ; :k 1 ; :l \"x\" .\n"
      ":c a :C ; :k 1 ; :l \"y\" . :d :k 1 ; :l \"x\" .");
  EXPECT_TRUE(Has(r, ":b", "owl:sameAs", ":a"));
  EXPECT_TRUE(Has(r, ":a", "owl:sameAs", ":b"));
  EXPECT_TRUE(Lacks(r, ":a", "owl:sameAs", ":c"));
  EXPECT_TRUE(Lacks(r, ":a", "owl:sameAs", ":d"));
}

// prp-npa1: T(?x, owl:sourceIndividual, ?i1) T(?x, owl:assertionProperty, ?p)
// T(?x, owl:targetIndividual, ?i2) T(?i1, ?p, ?i2) => false
TEST(OwlRl, PrpNpa1) {
  auto r = reasonOver(
      ":n owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetIndividual :b .\n"
      ":q rdfs:subPropertyOf :p . :a :q :b .");
  EXPECT_TRUE(Inconsistent(r, "prp-npa1"));
  auto ok = reasonOver(
      ":n owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetIndividual :b . :a :p :c "
      ".");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// prp-npa2: T(?x, owl:sourceIndividual, ?i) T(?x, owl:assertionProperty, ?p)
// T(?x, owl:targetValue, ?lt) T(?i, ?p, ?lt) => false
TEST(OwlRl, PrpNpa2) {
  auto r = reasonOver(
      ":n owl:sourceIndividual :a ; owl:assertionProperty :age ; owl:targetValue 5 . :a :age 5 .");
  EXPECT_TRUE(Inconsistent(r, "prp-npa2"));
  auto ok = reasonOver(
      ":n owl:sourceIndividual :a ; owl:assertionProperty :age ; owl:targetValue 5 . :a :age 6 .");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// ---------------------------------------------------------------- Table 6

// cls-thing: T(owl:Thing, rdf:type, owl:Class)
TEST(OwlRl, ClsThing) {
  auto r = reasonOver(":x :p :y .");
  EXPECT_TRUE(Has(r, "owl:Thing", "a", "owl:Class"));
  // and through scm-cls:
  EXPECT_TRUE(Has(r, "owl:Thing", "rdfs:subClassOf", "owl:Thing"));
}

// cls-nothing1: T(owl:Nothing, rdf:type, owl:Class)
TEST(OwlRl, ClsNothing1) {
  auto r = reasonOver(":x :p :y .");
  EXPECT_TRUE(Has(r, "owl:Nothing", "a", "owl:Class"));
  EXPECT_TRUE(Has(r, "owl:Nothing", "rdfs:subClassOf", "owl:Thing"));
  EXPECT_TRUE(r.report.inconsistencies.empty());
}

// cls-nothing2: T(?x, rdf:type, owl:Nothing) => false
TEST(OwlRl, ClsNothing2) {
  auto r = reasonOver(":A rdfs:subClassOf owl:Nothing . :x a :A .");
  EXPECT_TRUE(Inconsistent(r, "cls-nothing2", {":x"}));
  EXPECT_EQ(rulesOf(r), (std::set<std::string>{"cls-nothing2"}));
}

// cls-int1: T(?c, owl:intersectionOf, ?x) LIST[?x, ?c1, ..., ?cn] T(?y, rdf:type, ?c1) ...
// T(?y, rdf:type, ?cn) => T(?y, rdf:type, ?c)
TEST(OwlRl, ClsInt1) {
  auto r = reasonOver(":I owl:intersectionOf ( :A :B :C ) . :x a :A , :B , :C . :y a :A , :B .");
  EXPECT_TRUE(Has(r, ":x", "a", ":I"));
  EXPECT_TRUE(Lacks(r, ":y", "a", ":I"));
}

// cls-int2: T(?c, owl:intersectionOf, ?x) LIST[?x, ?c1, ..., ?cn] T(?y, rdf:type, ?c)
// => T(?y, rdf:type, ?c1) ... T(?y, rdf:type, ?cn)
TEST(OwlRl, ClsInt2) {
  auto r = reasonOver(":I owl:intersectionOf ( :A :B ) . :x a :I . :y a :A .");
  EXPECT_TRUE(Has(r, ":x", "a", ":A"));
  EXPECT_TRUE(Has(r, ":x", "a", ":B"));
  EXPECT_TRUE(Lacks(r, ":y", "a", ":B"));
}

// cls-uni: T(?c, owl:unionOf, ?x) LIST[?x, ?c1, ..., ?cn] T(?y, rdf:type, ?ci) => T(?y, rdf:type,
// ?c)
TEST(OwlRl, ClsUni) {
  auto r = reasonOver(":U owl:unionOf ( :A :B ) . :x a :A . :y a :B . :z a :U .");
  EXPECT_TRUE(Has(r, ":x", "a", ":U"));
  EXPECT_TRUE(Has(r, ":y", "a", ":U"));
  EXPECT_TRUE(Lacks(r, ":x", "a", ":B"));
  EXPECT_TRUE(Lacks(r, ":z", "a", ":A"));
}

// cls-com: T(?c1, owl:complementOf, ?c2) T(?x, rdf:type, ?c1) T(?x, rdf:type, ?c2) => false
TEST(OwlRl, ClsCom) {
  auto r = reasonOver(":A owl:complementOf :B . :x a :A , :B . :y a :A .");
  EXPECT_TRUE(Inconsistent(r, "cls-com", {":x"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// cls-svf1: T(?x, owl:someValuesFrom, ?y) T(?x, owl:onProperty, ?p) T(?u, ?p, ?v)
// T(?v, rdf:type, ?y) => T(?u, rdf:type, ?x)
TEST(OwlRl, ClsSvf1) {
  auto r =
      reasonOver(":R owl:someValuesFrom :C ; owl:onProperty :p . :u :p :v . :v a :C . :w :p :z .");
  EXPECT_TRUE(Has(r, ":u", "a", ":R"));
  EXPECT_TRUE(Lacks(r, ":w", "a", ":R"));
}

// cls-svf2: T(?x, owl:someValuesFrom, owl:Thing) T(?x, owl:onProperty, ?p) T(?u, ?p, ?v)
// => T(?u, rdf:type, ?x)
TEST(OwlRl, ClsSvf2) {
  auto r = reasonOver(":R owl:someValuesFrom owl:Thing ; owl:onProperty :p . :u :p :v .");
  EXPECT_TRUE(Has(r, ":u", "a", ":R"));
  EXPECT_TRUE(Lacks(r, ":v", "a", ":R"));
}

// cls-avf: T(?x, owl:allValuesFrom, ?y) T(?x, owl:onProperty, ?p) T(?u, rdf:type, ?x)
// T(?u, ?p, ?v) => T(?v, rdf:type, ?y)
TEST(OwlRl, ClsAvf) {
  auto r = reasonOver(":R owl:allValuesFrom :C ; owl:onProperty :p . :u a :R ; :p :v . :w :p :z .");
  EXPECT_TRUE(Has(r, ":v", "a", ":C"));
  EXPECT_TRUE(Lacks(r, ":z", "a", ":C"));
}

// cls-hv1: T(?x, owl:hasValue, ?y) T(?x, owl:onProperty, ?p) T(?u, rdf:type, ?x) => T(?u, ?p, ?y)
TEST(OwlRl, ClsHv1) {
  auto r = reasonOver(":R owl:hasValue :v ; owl:onProperty :p . :u a :R . :w a :C .");
  EXPECT_TRUE(Has(r, ":u", ":p", ":v"));
  EXPECT_TRUE(Lacks(r, ":w", ":p", ":v"));
}

// cls-hv2: T(?x, owl:hasValue, ?y) T(?x, owl:onProperty, ?p) T(?u, ?p, ?y) => T(?u, rdf:type, ?x)
TEST(OwlRl, ClsHv2) {
  auto r = reasonOver(":R owl:hasValue :v ; owl:onProperty :p . :u :p :v . :w :p :z .");
  EXPECT_TRUE(Has(r, ":u", "a", ":R"));
  EXPECT_TRUE(Lacks(r, ":w", "a", ":R"));
}

// cls-maxc1: T(?x, owl:maxCardinality, "0"^^xsd:nonNegativeInteger) T(?x, owl:onProperty, ?p)
// T(?u, rdf:type, ?x) T(?u, ?p, ?y) => false
TEST(OwlRl, ClsMaxc1) {
  auto r = reasonOver(
      ":R owl:maxCardinality \"0\"^^xsd:nonNegativeInteger ; owl:onProperty :p .\n"
      ":u a :R ; :p :v . :w a :R ; :q :v .");
  EXPECT_TRUE(Inconsistent(r, "cls-maxc1", {":u"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// cls-maxc2: T(?x, owl:maxCardinality, "1"^^xsd:nonNegativeInteger) T(?x, owl:onProperty, ?p)
// T(?u, rdf:type, ?x) T(?u, ?p, ?y1) T(?u, ?p, ?y2) => T(?y1, owl:sameAs, ?y2)
TEST(OwlRl, ClsMaxc2) {
  auto r = reasonOver(
      ":R owl:maxCardinality \"1\"^^xsd:nonNegativeInteger ; owl:onProperty :p .\n"
      ":u a :R ; :p :w , :v . :z :p :v , :y .");
  EXPECT_TRUE(Has(r, ":w", "owl:sameAs", ":v"));
  EXPECT_TRUE(Has(r, ":v", "owl:sameAs", ":w"));
  EXPECT_TRUE(Lacks(r, ":y", "owl:sameAs", ":v"));
}

// cls-maxqc1: T(?x, owl:maxQualifiedCardinality, "0"^^xsd:nonNegativeInteger)
// T(?x, owl:onProperty, ?p) T(?x, owl:onClass, ?c) T(?u, rdf:type, ?x) T(?u, ?p, ?y)
// T(?y, rdf:type, ?c) => false
TEST(OwlRl, ClsMaxqc1) {
  auto r = reasonOver(
      ":R owl:maxQualifiedCardinality \"0\"^^xsd:nonNegativeInteger ; owl:onProperty :p ;"
      " owl:onClass :C .\n"
      ":u a :R ; :p :v . :v a :C . :w a :R ; :p :z .");
  EXPECT_TRUE(Inconsistent(r, "cls-maxqc1", {":u", ":v"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// cls-maxqc2: T(?x, owl:maxQualifiedCardinality, "0"^^xsd:nonNegativeInteger)
// T(?x, owl:onProperty, ?p) T(?x, owl:onClass, owl:Thing) T(?u, rdf:type, ?x) T(?u, ?p, ?y) =>
// false
TEST(OwlRl, ClsMaxqc2) {
  auto r = reasonOver(
      ":R owl:maxQualifiedCardinality \"0\"^^xsd:nonNegativeInteger ; owl:onProperty :p ;"
      " owl:onClass owl:Thing .\n"
      ":u a :R ; :p :v . :w :p :z .");
  EXPECT_TRUE(Inconsistent(r, "cls-maxqc2", {":u"}));
}

// cls-maxqc3: T(?x, owl:maxQualifiedCardinality, "1"^^xsd:nonNegativeInteger)
// T(?x, owl:onProperty, ?p) T(?x, owl:onClass, ?c) T(?u, rdf:type, ?x) T(?u, ?p, ?y1)
// T(?y1, rdf:type, ?c) T(?u, ?p, ?y2) T(?y2, rdf:type, ?c) => T(?y1, owl:sameAs, ?y2)
TEST(OwlRl, ClsMaxqc3) {
  auto r = reasonOver(
      ":R owl:maxQualifiedCardinality \"1\"^^xsd:nonNegativeInteger ; owl:onProperty :p ;"
      " owl:onClass :C .\n"
      ":u a :R ; :p :w , :v , :z . :v a :C . :w a :C .");
  EXPECT_TRUE(Has(r, ":w", "owl:sameAs", ":v"));
  EXPECT_TRUE(Lacks(r, ":z", "owl:sameAs", ":v"));
}

// cls-maxqc4: T(?x, owl:maxQualifiedCardinality, "1"^^xsd:nonNegativeInteger)
// T(?x, owl:onProperty, ?p) T(?x, owl:onClass, owl:Thing) T(?u, rdf:type, ?x)
// T(?u, ?p, ?y1) T(?u, ?p, ?y2) => T(?y1, owl:sameAs, ?y2)
TEST(OwlRl, ClsMaxqc4) {
  auto r = reasonOver(
      ":R owl:maxQualifiedCardinality \"1\"^^xsd:nonNegativeInteger ; owl:onProperty :p ;"
      " owl:onClass owl:Thing .\n"
      ":u a :R ; :p :w , :v . :x :p :y , :z .");
  EXPECT_TRUE(Has(r, ":w", "owl:sameAs", ":v"));
  EXPECT_TRUE(Lacks(r, ":z", "owl:sameAs", ":y"));
}

// cls-oo: T(?c, owl:oneOf, ?x) LIST[?x, ?y1, ..., ?yn] => T(?y1, rdf:type, ?c) ... T(?yn, rdf:type,
// ?c)
TEST(OwlRl, ClsOo) {
  auto r = reasonOver(":C owl:oneOf ( :a :b ) . :d a :D .");
  EXPECT_TRUE(Has(r, ":a", "a", ":C"));
  EXPECT_TRUE(Has(r, ":b", "a", ":C"));
  EXPECT_TRUE(Lacks(r, ":d", "a", ":C"));
}

// ---------------------------------------------------------------- Table 7

// cax-sco: T(?c1, rdfs:subClassOf, ?c2) T(?x, rdf:type, ?c1) => T(?x, rdf:type, ?c2)
TEST(OwlRl, CaxSco) {
  auto r = reasonOver(":A rdfs:subClassOf :B . :x a :A . :y a :B .");
  EXPECT_TRUE(Has(r, ":x", "a", ":B"));
  EXPECT_TRUE(Lacks(r, ":y", "a", ":A"));
}

// cax-eqc1: T(?c1, owl:equivalentClass, ?c2) T(?x, rdf:type, ?c1) => T(?x, rdf:type, ?c2)
TEST(OwlRl, CaxEqc1) {
  auto r = reasonOver(":A owl:equivalentClass :B . :x a :A .");
  EXPECT_TRUE(Has(r, ":x", "a", ":B"));
  EXPECT_TRUE(Lacks(r, ":x", "a", ":C"));
}

// cax-eqc2: T(?c1, owl:equivalentClass, ?c2) T(?x, rdf:type, ?c2) => T(?x, rdf:type, ?c1)
TEST(OwlRl, CaxEqc2) {
  auto r = reasonOver(":A owl:equivalentClass :B . :x a :B .");
  EXPECT_TRUE(Has(r, ":x", "a", ":A"));
}

// cax-dw: T(?c1, owl:disjointWith, ?c2) T(?x, rdf:type, ?c1) T(?x, rdf:type, ?c2) => false
TEST(OwlRl, CaxDw) {
  auto r = reasonOver(":A owl:disjointWith :B . :C rdfs:subClassOf :B . :x a :A , :C . :y a :A .");
  EXPECT_TRUE(Inconsistent(r, "cax-dw", {":x"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// cax-adc: T(?x, rdf:type, owl:AllDisjointClasses) T(?x, owl:members, ?y)
// LIST[?y, ?c1, ..., ?cn] T(?z, rdf:type, ?ci) T(?z, rdf:type, ?cj) => false  for 1 <= i < j <= n
TEST(OwlRl, CaxAdc) {
  auto r = reasonOver(
      ":d a owl:AllDisjointClasses ; owl:members ( :A :B :C ) . :z a :A , :C . :y a :B .");
  EXPECT_TRUE(Inconsistent(r, "cax-adc", {":z"}));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
}

// ---------------------------------------------------------------- Table 8

// dt-type1: T(dt, rdf:type, rdfs:Datatype) for each datatype dt supported in OWL 2 RL.
// The supported datatypes are listed in section 4.2 ("Entities"): rdf:PlainLiteral,
// rdf:XMLLiteral, rdfs:Literal and 29 XML Schema datatypes (naive::vocab::rlDatatypes);
// owl:real and owl:rational, datatypes of OWL 2 DL, are not among them.
TEST(OwlRl, DtType1) {
  auto r = reasonOver(":x :p 1 .");
  for (const auto& dt : naive::vocab::rlDatatypes()) EXPECT_TRUE(Has(r, dt, "a", "rdfs:Datatype"));
  EXPECT_TRUE(Lacks(r, "owl:real", "a", "rdfs:Datatype"));
  EXPECT_TRUE(Lacks(r, "owl:rational", "a", "rdfs:Datatype"));
}

// dt-type2: T(lt, rdf:type, dt) for each literal lt of a datatype dt: not materialised.
TEST(OwlRl, DtType2) {
  auto r = reasonOver(":x :p 1 , \"s\" .");
  EXPECT_TRUE(Lacks(r, "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>", "a", "xsd:integer"));
  EXPECT_TRUE(Lacks(r, "\"s\"", "a", "xsd:string"));
}

// dt-eq: T(lt1, owl:sameAs, lt2) for literals with the same data value: not materialised;
// dt-diff: T(lt1, owl:differentFrom, lt2) for different values: not materialised.
TEST(OwlRl, DtEq) {
  auto r = reasonOver(":x :p 1 , 1.0 , 2 .");
  for (const auto& t : r.all) EXPECT_FALSE(t[0][0] == '"' && t[1] == nt("owl:sameAs")) << show(t);
}
TEST(OwlRl, DtDiff) {
  auto r = reasonOver(":x :p 1 , 2 .");
  for (const auto& t : r.all)
    EXPECT_FALSE(t[0][0] == '"' && t[1] == nt("owl:differentFrom")) << show(t);
}

// dt-not-type: T(lt, rdf:type, dt) where the value of lt is not in the value space of dt => false
TEST(OwlRl, DtNotType) {
  auto r = reasonOver(":age rdfs:range xsd:integer . :x :age \"ten\" . :y :age 10 .");
  EXPECT_TRUE(Inconsistent(r, "dt-not-type"));
  EXPECT_EQ(r.report.inconsistencies.size(), 1u);
  auto ok = reasonOver(":age rdfs:range xsd:integer . :y :age 10 .");
  EXPECT_TRUE(ok.report.inconsistencies.empty());
}

// ---------------------------------------------------------------- Table 9

// scm-cls: T(?c, rdf:type, owl:Class) => T(?c, rdfs:subClassOf, ?c) T(?c, owl:equivalentClass, ?c)
// T(?c, rdfs:subClassOf, owl:Thing) T(owl:Nothing, rdfs:subClassOf, ?c)
TEST(OwlRl, ScmCls) {
  auto r = reasonOver(":C a owl:Class . :D rdfs:subClassOf :E .");
  EXPECT_TRUE(Has(r, ":C", "rdfs:subClassOf", ":C"));
  EXPECT_TRUE(Has(r, ":C", "owl:equivalentClass", ":C"));
  EXPECT_TRUE(Has(r, ":C", "rdfs:subClassOf", "owl:Thing"));
  EXPECT_TRUE(Has(r, "owl:Nothing", "rdfs:subClassOf", ":C"));
  EXPECT_TRUE(Lacks(r, ":E", "rdfs:subClassOf", "owl:Thing"));
}

// scm-sco: T(?c1, rdfs:subClassOf, ?c2) T(?c2, rdfs:subClassOf, ?c3) => T(?c1, rdfs:subClassOf,
// ?c3)
TEST(OwlRl, ScmSco) {
  auto r = reasonOver(":A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :C rdfs:subClassOf :D .");
  EXPECT_TRUE(Has(r, ":A", "rdfs:subClassOf", ":C"));
  EXPECT_TRUE(Has(r, ":A", "rdfs:subClassOf", ":D"));
  EXPECT_TRUE(Lacks(r, ":D", "rdfs:subClassOf", ":A"));
}

// scm-eqc1: T(?c1, owl:equivalentClass, ?c2) => T(?c1, rdfs:subClassOf, ?c2) T(?c2,
// rdfs:subClassOf, ?c1)
TEST(OwlRl, ScmEqc1) {
  auto r = reasonOver(":A owl:equivalentClass :B .");
  EXPECT_TRUE(Has(r, ":A", "rdfs:subClassOf", ":B"));
  EXPECT_TRUE(Has(r, ":B", "rdfs:subClassOf", ":A"));
}

// scm-eqc2: T(?c1, rdfs:subClassOf, ?c2) T(?c2, rdfs:subClassOf, ?c1) => T(?c1,
// owl:equivalentClass, ?c2)
TEST(OwlRl, ScmEqc2) {
  auto r = reasonOver(":A rdfs:subClassOf :B . :B rdfs:subClassOf :A . :C rdfs:subClassOf :A .");
  EXPECT_TRUE(Has(r, ":A", "owl:equivalentClass", ":B"));
  EXPECT_TRUE(Has(r, ":B", "owl:equivalentClass", ":A"));
  EXPECT_TRUE(Lacks(r, ":C", "owl:equivalentClass", ":A"));
}

// scm-op: T(?p, rdf:type, owl:ObjectProperty) => T(?p, rdfs:subPropertyOf, ?p) T(?p,
// owl:equivalentProperty, ?p)
TEST(OwlRl, ScmOp) {
  auto r = reasonOver(":p a owl:ObjectProperty . :q rdfs:domain :C .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:subPropertyOf", ":p"));
  EXPECT_TRUE(Has(r, ":p", "owl:equivalentProperty", ":p"));
  EXPECT_TRUE(Lacks(r, ":q", "rdfs:subPropertyOf", ":q"));
}

// scm-dp: T(?p, rdf:type, owl:DatatypeProperty) => T(?p, rdfs:subPropertyOf, ?p) T(?p,
// owl:equivalentProperty, ?p)
TEST(OwlRl, ScmDp) {
  auto r = reasonOver(":d a owl:DatatypeProperty .");
  EXPECT_TRUE(Has(r, ":d", "rdfs:subPropertyOf", ":d"));
  EXPECT_TRUE(Has(r, ":d", "owl:equivalentProperty", ":d"));
}

// scm-spo: T(?p1, rdfs:subPropertyOf, ?p2) T(?p2, rdfs:subPropertyOf, ?p3) => T(?p1,
// rdfs:subPropertyOf, ?p3)
TEST(OwlRl, ScmSpo) {
  auto r = reasonOver(":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:subPropertyOf", ":r"));
  EXPECT_TRUE(Lacks(r, ":r", "rdfs:subPropertyOf", ":p"));
}

// scm-eqp1: T(?p1, owl:equivalentProperty, ?p2) => T(?p1, rdfs:subPropertyOf, ?p2) T(?p2,
// rdfs:subPropertyOf, ?p1)
TEST(OwlRl, ScmEqp1) {
  auto r = reasonOver(":p owl:equivalentProperty :q .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:subPropertyOf", ":q"));
  EXPECT_TRUE(Has(r, ":q", "rdfs:subPropertyOf", ":p"));
}

// scm-eqp2: T(?p1, rdfs:subPropertyOf, ?p2) T(?p2, rdfs:subPropertyOf, ?p1) => T(?p1,
// owl:equivalentProperty, ?p2)
TEST(OwlRl, ScmEqp2) {
  auto r = reasonOver(
      ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :p . :r rdfs:subPropertyOf :p .");
  EXPECT_TRUE(Has(r, ":p", "owl:equivalentProperty", ":q"));
  EXPECT_TRUE(Lacks(r, ":r", "owl:equivalentProperty", ":p"));
}

// scm-dom1: T(?p, rdfs:domain, ?c1) T(?c1, rdfs:subClassOf, ?c2) => T(?p, rdfs:domain, ?c2)
TEST(OwlRl, ScmDom1) {
  auto r = reasonOver(":p rdfs:domain :A . :A rdfs:subClassOf :B .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:domain", ":B"));
  EXPECT_TRUE(Lacks(r, ":p", "rdfs:range", ":B"));
}

// scm-dom2: T(?p2, rdfs:domain, ?c) T(?p1, rdfs:subPropertyOf, ?p2) => T(?p1, rdfs:domain, ?c)
TEST(OwlRl, ScmDom2) {
  auto r = reasonOver(":q rdfs:domain :C . :p rdfs:subPropertyOf :q .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:domain", ":C"));
}

// scm-rng1: T(?p, rdfs:range, ?c1) T(?c1, rdfs:subClassOf, ?c2) => T(?p, rdfs:range, ?c2)
TEST(OwlRl, ScmRng1) {
  auto r = reasonOver(":p rdfs:range :A . :A rdfs:subClassOf :B .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:range", ":B"));
  EXPECT_TRUE(Lacks(r, ":p", "rdfs:domain", ":B"));
}

// scm-rng2: T(?p2, rdfs:range, ?c) T(?p1, rdfs:subPropertyOf, ?p2) => T(?p1, rdfs:range, ?c)
TEST(OwlRl, ScmRng2) {
  auto r = reasonOver(":q rdfs:range :C . :p rdfs:subPropertyOf :q .");
  EXPECT_TRUE(Has(r, ":p", "rdfs:range", ":C"));
}

// scm-hv: T(?c1, owl:hasValue, ?i) T(?c1, owl:onProperty, ?p1) T(?c2, owl:hasValue, ?i)
// T(?c2, owl:onProperty, ?p2) T(?p1, rdfs:subPropertyOf, ?p2) => T(?c1, rdfs:subClassOf, ?c2)
TEST(OwlRl, ScmHv) {
  auto r = reasonOver(
      ":R1 owl:hasValue :i ; owl:onProperty :p . :R2 owl:hasValue :i ; owl:onProperty :q .\n"
      ":p rdfs:subPropertyOf :q .");
  EXPECT_TRUE(Has(r, ":R1", "rdfs:subClassOf", ":R2"));
  EXPECT_TRUE(Lacks(r, ":R2", "rdfs:subClassOf", ":R1"));
}

// scm-svf1: T(?c1, owl:someValuesFrom, ?y1) T(?c1, owl:onProperty, ?p) T(?c2, owl:someValuesFrom,
// ?y2) T(?c2, owl:onProperty, ?p) T(?y1, rdfs:subClassOf, ?y2) => T(?c1, rdfs:subClassOf, ?c2)
TEST(OwlRl, ScmSvf1) {
  auto r = reasonOver(
      ":R1 owl:someValuesFrom :A ; owl:onProperty :p . :R2 owl:someValuesFrom :B ; owl:onProperty "
      ":p .\n"
      ":A rdfs:subClassOf :B .");
  EXPECT_TRUE(Has(r, ":R1", "rdfs:subClassOf", ":R2"));
  EXPECT_TRUE(Lacks(r, ":R2", "rdfs:subClassOf", ":R1"));
}

// scm-svf2: T(?c1, owl:someValuesFrom, ?y) T(?c1, owl:onProperty, ?p1) T(?c2, owl:someValuesFrom,
// ?y) T(?c2, owl:onProperty, ?p2) T(?p1, rdfs:subPropertyOf, ?p2) => T(?c1, rdfs:subClassOf, ?c2)
TEST(OwlRl, ScmSvf2) {
  auto r = reasonOver(
      ":R1 owl:someValuesFrom :A ; owl:onProperty :p . :R2 owl:someValuesFrom :A ; owl:onProperty "
      ":q .\n"
      ":p rdfs:subPropertyOf :q .");
  EXPECT_TRUE(Has(r, ":R1", "rdfs:subClassOf", ":R2"));
  EXPECT_TRUE(Lacks(r, ":R2", "rdfs:subClassOf", ":R1"));
}

// scm-avf1: T(?c1, owl:allValuesFrom, ?y1) T(?c1, owl:onProperty, ?p) T(?c2, owl:allValuesFrom,
// ?y2) T(?c2, owl:onProperty, ?p) T(?y1, rdfs:subClassOf, ?y2) => T(?c1, rdfs:subClassOf, ?c2)
TEST(OwlRl, ScmAvf1) {
  auto r = reasonOver(
      ":R1 owl:allValuesFrom :A ; owl:onProperty :p . :R2 owl:allValuesFrom :B ; owl:onProperty :p "
      ".\n"
      ":A rdfs:subClassOf :B .");
  EXPECT_TRUE(Has(r, ":R1", "rdfs:subClassOf", ":R2"));
  EXPECT_TRUE(Lacks(r, ":R2", "rdfs:subClassOf", ":R1"));
}

// scm-avf2: T(?c1, owl:allValuesFrom, ?y) T(?c1, owl:onProperty, ?p1) T(?c2, owl:allValuesFrom, ?y)
// T(?c2, owl:onProperty, ?p2) T(?p1, rdfs:subPropertyOf, ?p2) => T(?c2, rdfs:subClassOf, ?c1)
TEST(OwlRl, ScmAvf2) {
  auto r = reasonOver(
      ":R1 owl:allValuesFrom :A ; owl:onProperty :p . :R2 owl:allValuesFrom :A ; owl:onProperty :q "
      ".\n"
      ":p rdfs:subPropertyOf :q .");
  EXPECT_TRUE(Has(r, ":R2", "rdfs:subClassOf", ":R1"));
  EXPECT_TRUE(Lacks(r, ":R1", "rdfs:subClassOf", ":R2"));
}

// scm-int: T(?c, owl:intersectionOf, ?x) LIST[?x, ?c1, ..., ?cn]
// => T(?c, rdfs:subClassOf, ?c1) ... T(?c, rdfs:subClassOf, ?cn)
TEST(OwlRl, ScmInt) {
  auto r = reasonOver(":I owl:intersectionOf ( :A :B ) .");
  EXPECT_TRUE(Has(r, ":I", "rdfs:subClassOf", ":A"));
  EXPECT_TRUE(Has(r, ":I", "rdfs:subClassOf", ":B"));
  EXPECT_TRUE(Lacks(r, ":A", "rdfs:subClassOf", ":I"));
}

// scm-uni: T(?c, owl:unionOf, ?x) LIST[?x, ?c1, ..., ?cn]
// => T(?c1, rdfs:subClassOf, ?c) ... T(?cn, rdfs:subClassOf, ?c)
TEST(OwlRl, ScmUni) {
  auto r = reasonOver(":U owl:unionOf ( :A :B ) .");
  EXPECT_TRUE(Has(r, ":A", "rdfs:subClassOf", ":U"));
  EXPECT_TRUE(Has(r, ":B", "rdfs:subClassOf", ":U"));
  EXPECT_TRUE(Lacks(r, ":U", "rdfs:subClassOf", ":A"));
}

}  // namespace
