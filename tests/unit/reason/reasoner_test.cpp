// SPDX-License-Identifier: Apache-2.0
// reason::materialize beyond single rules (engine/reason/reasoner.h): what
// the store holds afterwards (the inferred graph apart, asserted graphs
// untouched, owl:sameAs classes as one representative with links both
// ways), the RDFS profile, domain rules in the same fixpoint as the OWL
// rules, explanations, dropInferred and loadRules.
#include "engine/reason/reasoner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <span>

#include "engine/db/database.h"
#include "tests/unit/reason/reason_test_util.h"
#include "tests/unit/scratch.h"

using namespace weft;
using namespace weft::reason;
using namespace weft::reason::testing;

namespace {

// SELECT over the union of graphs (`weft query --union`), rows as strings.
std::multiset<std::string> selectUnion(const store::Store& st, const std::string& q) {
  class Rows : public sparql::ResultWriter {
   public:
    Status begin(const std::vector<std::string>&) override { return Status::ok(); }
    Status row(std::span<const rdf::Term> values) override {
      std::string r;
      for (const auto& t : values)
        r += (t.isNone() ? std::string("UNDEF") : rdf::toNTriples(t.view())) + " ";
      rows.insert(r);
      return Status::ok();
    }
    Status end() override { return Status::ok(); }
    Status boolean(bool) override { return Status::ok(); }
    std::multiset<std::string> rows;
  } rows;
  sparql::QueryOutput out;
  out.results = &rows;
  db::QueryRequest req;
  req.text = "PREFIX : <http://e/>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n" + q;
  req.exec.union_default_graph = true;
  Status s = db::runQuery(st, req, out);
  EXPECT_TRUE(s.isOk()) << s.toString() << " for " << q;
  return rows.rows;
}

std::unique_ptr<store::Store> storeWith(std::string_view trig) {
  auto st = store::Store::openMemory();
  load(*st, parse(trig));
  return st;
}

// ------------------------------------------------------------ the store

TEST(Materialize, InferredGraphHoldsOnlyWhatIsNotAsserted) {
  auto st = storeWith(
      "  :g1 { :A rdfs:subClassOf :B . :x a :A . :y a :B . }\n"
      "  :g2 { :x a :B . }");
  auto before = assertedOf(*st);
  auto rep = materialize(*st, {});
  ASSERT_TRUE(rep.isOk()) << rep.status().toString();
  Graph inferred = graphOf(*st, kInferredGraph);
  // :x a :B follows, but is asserted (in :g2): not copied into the inferred graph.
  EXPECT_FALSE(inferred.count(tri(":x", "a", ":B")));
  EXPECT_FALSE(inferred.count(tri(":A", "rdfs:subClassOf", ":B")));
  EXPECT_TRUE(inferred.count(tri("owl:Thing", "a", "owl:Class")));
  // Asserted graphs are untouched.
  auto after = assertedOf(*st);
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  EXPECT_EQ(before, after);
  EXPECT_EQ(rep->inferred, inferred.size());
  EXPECT_FALSE(rep->incremental);  // in-memory stores always recompute
  // A second run changes nothing.
  auto again = materialize(*st, {});
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->added, 0u);
  EXPECT_EQ(again->removed, 0u);
  EXPECT_EQ(graphOf(*st, kInferredGraph), inferred);
}

TEST(Materialize, SubClassInferenceInTheInferredGraph) {
  auto st = storeWith(
      "  :schema { :A rdfs:subClassOf :B . :B rdfs:subClassOf :C . }\n"
      "  :doc { :x a :A . }");
  ASSERT_TRUE(materialize(*st, {}).isOk());
  Graph inferred = graphOf(*st, kInferredGraph);
  EXPECT_TRUE(inferred.count(tri(":x", "a", ":B")));
  EXPECT_TRUE(inferred.count(tri(":x", "a", ":C")));
  EXPECT_TRUE(inferred.count(tri(":A", "rdfs:subClassOf", ":C")));
  EXPECT_EQ(selectUnion(*st, "SELECT ?c WHERE { :x a ?c }"),
            (std::multiset<std::string>{"<http://e/A> ", "<http://e/B> ", "<http://e/C> "}));
}

TEST(Materialize, DropInferred) {
  auto st = storeWith(":A rdfs:subClassOf :B . :x a :A .");
  ASSERT_TRUE(materialize(*st, {}).isOk());
  EXPECT_FALSE(graphOf(*st, kInferredGraph).empty());
  ASSERT_TRUE(dropInferred(*st).isOk());
  EXPECT_TRUE(graphOf(*st, kInferredGraph).empty());
  EXPECT_EQ(unionOf(*st), triplesOf(parse(":A rdfs:subClassOf :B . :x a :A .")));
}

TEST(Materialize, InconsistenciesDoNotStopIt) {
  auto r = reasonOver(":A owl:disjointWith :B . :x a :A , :B . :A rdfs:subClassOf :C .");
  EXPECT_TRUE(Inconsistent(r, "cax-dw", {":x"}));
  EXPECT_TRUE(Has(r, ":x", "a", ":C"));
  EXPECT_FALSE(r.report.inconsistencies.front().message.empty());
}

TEST(Materialize, ReportCountsTheInferredGraph) {
  // Report::inferred: "triples now in the inferred graph", the
  // dt:Inconsistency nodes included.
  for (const char* ttl :
       {":A rdfs:subClassOf :B . :x a :A .", ":A owl:disjointWith :B . :x a :A , :B ."}) {
    auto st = storeWith(ttl);
    auto rep = materialize(*st, {});
    ASSERT_TRUE(rep.isOk()) << rep.status().toString();
    EXPECT_EQ(rep->inferred, graphOf(*st, kInferredGraph).size()) << ttl;
  }
}

TEST(Materialize, InconsistencyTermsAreTheRuleBindings) {
  // Inconsistency::terms: "the bindings that violate it, in rule order":
  // cax-dw binds ?c1 ?c2 ?x; prp-pdw ?p1 ?p2 ?x ?y.
  auto r = reasonOver(":A owl:disjointWith :B . :x a :A , :B .");
  ASSERT_EQ(r.report.inconsistencies.size(), 1u);
  std::vector<std::string> terms;
  for (const auto& t : r.report.inconsistencies[0].terms)
    terms.push_back(rdf::toNTriples(t.view()));
  EXPECT_EQ(terms, (std::vector<std::string>{nt(":A"), nt(":B"), nt(":x")}));
  auto p = reasonOver(":p owl:propertyDisjointWith :q . :x :p :y ; :q :y .");
  ASSERT_EQ(p.report.inconsistencies.size(), 1u);
  terms.clear();
  for (const auto& t : p.report.inconsistencies[0].terms)
    terms.push_back(rdf::toNTriples(t.view()));
  EXPECT_EQ(terms, (std::vector<std::string>{nt(":p"), nt(":q"), nt(":x"), nt(":y")}));
  // prp-npa1 binds ?x ?i1 ?p ?i2.
  auto n = reasonOver(
      ":n owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetIndividual :b . :a :p :b "
      ".");
  ASSERT_EQ(n.report.inconsistencies.size(), 1u);
  terms.clear();
  for (const auto& t : n.report.inconsistencies[0].terms)
    terms.push_back(rdf::toNTriples(t.view()));
  EXPECT_EQ(terms, (std::vector<std::string>{nt(":n"), nt(":a"), nt(":p"), nt(":b")}));
}

// ------------------------------------------------------------ profiles

TEST(RdfsProfile, SixRulesOnly) {
  Options o;
  o.profile = Profile::kRdfs;
  auto r = reasonOver(
      ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r . :q rdfs:domain :D ; rdfs:range :E .\n"
      ":A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :x :p :y ; a :A .\n"
      ":s a owl:SymmetricProperty . :x :s :y . :K a owl:Class . :a owl:sameAs :b . :a :p :z .",
      o);
  EXPECT_TRUE(Has(r, ":x", "a", ":D"));                   // rdfs2
  EXPECT_TRUE(Has(r, ":y", "a", ":E"));                   // rdfs3
  EXPECT_TRUE(Has(r, ":p", "rdfs:subPropertyOf", ":r"));  // rdfs5
  EXPECT_TRUE(Has(r, ":x", ":r", ":y"));                  // rdfs7
  EXPECT_TRUE(Has(r, ":x", "a", ":C"));                   // rdfs9
  EXPECT_TRUE(Has(r, ":A", "rdfs:subClassOf", ":C"));     // rdfs11
  EXPECT_TRUE(Lacks(r, ":y", ":s", ":x"));                // no prp-symp
  EXPECT_TRUE(Lacks(r, "owl:Thing", "a", "owl:Class"));   // no cls-thing
  EXPECT_TRUE(Lacks(r, ":K", "rdfs:subClassOf", ":K"));   // no scm-cls
  EXPECT_TRUE(Lacks(r, ":b", ":p", ":z"));                // no eq-rep-s
  EXPECT_TRUE(Lacks(r, ":b", "owl:sameAs", ":a"));        // no eq-sym
}

// ------------------------------------------------------------ owl:sameAs

TEST(SameAs, RepresentativeAndLinksBothWays) {
  // :c is merged with :a (asserted) and :b (functional property); the
  // representative is the smallest member in N-Triples order, :a.
  auto r = reasonOver(
      ":f a owl:FunctionalProperty . :s :f :b , :c . :c owl:sameAs :a .\n"
      ":b :name \"B\" . :c a :Lot . :Lot rdfs:subClassOf :Batch . :z :uses :c .");
  for (const char* alias : {":b", ":c"}) {
    EXPECT_TRUE(Has(r, alias, "owl:sameAs", ":a"));
    EXPECT_TRUE(Has(r, ":a", "owl:sameAs", alias));
  }
  // Inferred triples are written on the representative only.
  EXPECT_TRUE(Has(r, ":a", ":name", "\"B\""));
  EXPECT_TRUE(Has(r, ":a", "a", ":Batch"));
  EXPECT_TRUE(Has(r, ":z", ":uses", ":a"));
  EXPECT_TRUE(r.inferred.count(tri(":a", "a", ":Lot")));
  EXPECT_FALSE(r.inferred.count(tri(":b", "a", ":Batch")));
  EXPECT_FALSE(r.inferred.count(tri(":c", "a", ":Batch")));
  EXPECT_FALSE(r.inferred.count(tri(":b", "owl:sameAs", ":c")));  // links go to the representative
  EXPECT_EQ(r.report.same_as_classes, 1u);
  EXPECT_EQ(r.report.same_as_members, 3u);
}

TEST(SameAs, QueriesSeeTheMergedNodeAndItsIdentifiers) {
  auto st = storeWith(
      ":Lot owl:hasKey ( :gtin :lotNo ) .\n"
      "  :erp { :erp-17 a :Lot ; :gtin \"0614141000012\" ; :lotNo \"L1\" ; :qty 10 . }\n"
      "  :epcis { :epc-9 a :Lot ; :gtin \"0614141000012\" ; :lotNo \"L1\" ; :shippedTo :dc1 . }\n"
      "  :mes { :mes-3 a :Lot ; :gtin \"0614141000012\" ; :lotNo \"L2\" . }");
  auto rep = materialize(*st, {});
  ASSERT_TRUE(rep.isOk()) << rep.status().toString();
  // The representative of {epc-9, erp-17} is <http://e/epc-9>.
  EXPECT_EQ(selectUnion(*st, "SELECT ?q ?d WHERE { :epc-9 :qty ?q ; :shippedTo ?d }"),
            (std::multiset<std::string>{
                "\"10\"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e/dc1> "}));
  EXPECT_EQ(selectUnion(*st, "SELECT ?id WHERE { :epc-9 owl:sameAs ?id }"),
            (std::multiset<std::string>{"<http://e/erp-17> "}));
  EXPECT_EQ(selectUnion(*st, "SELECT ?id WHERE { :erp-17 owl:sameAs ?id }"),
            (std::multiset<std::string>{"<http://e/epc-9> "}));
  EXPECT_TRUE(selectUnion(*st, "SELECT ?id WHERE { :mes-3 owl:sameAs ?id }").empty());
  EXPECT_EQ(rep->same_as_classes, 1u);
}

TEST(SameAs, InverseFunctionalAndMaxCardinalityMerges) {
  auto r = reasonOver(
      ":email a owl:InverseFunctionalProperty . :p2 :email \"x@e\" . :p1 :email \"x@e\" .\n"
      ":R owl:maxCardinality \"1\"^^xsd:nonNegativeInteger ; owl:onProperty :mother .\n"
      ":p2 a :R ; :mother :m2 , :m1 . :m2 :age 40 .");
  EXPECT_TRUE(Has(r, ":p2", "owl:sameAs", ":p1"));
  EXPECT_TRUE(Has(r, ":m2", "owl:sameAs", ":m1"));
  EXPECT_TRUE(Has(r, ":m1", ":age", "40"));
  EXPECT_EQ(r.report.same_as_classes, 2u);
}

TEST(SameAs, MergesThatChainAcrossRules) {
  // hasKey merges :k2 into :k1; that makes :f's two values of :k1 one
  // subject's, so prp-fp merges :v2 into :v1; :v1's class then reaches :v2's facts.
  auto r = reasonOver(
      ":K owl:hasKey ( :id ) . :k1 a :K ; :id 7 ; :f :v1 . :k2 a :K ; :id 7 ; :f :v2 .\n"
      ":f a owl:FunctionalProperty . :v2 :colour :red . :v1 a :Thing1 .");
  EXPECT_TRUE(Has(r, ":k2", "owl:sameAs", ":k1"));
  EXPECT_TRUE(Has(r, ":v2", "owl:sameAs", ":v1"));
  EXPECT_TRUE(Has(r, ":v1", ":colour", ":red"));
}

// ------------------------------------------------------------ domain rules

TEST(DomainRules, ConstructOutputFeedsOwlRules) {
  Options o;
  o.rules.push_back({"hot.rq",
                     "PREFIX : <http://e/>\n"
                     "CONSTRUCT { ?x a :Hot } WHERE { ?x :temp ?t FILTER(?t > 30) }"});
  auto r = reasonOver(":Hot rdfs:subClassOf :Alert . :s1 :temp 35 . :s2 :temp 20 .", o, false);
  EXPECT_TRUE(Has(r, ":s1", "a", ":Hot"));
  EXPECT_TRUE(Has(r, ":s1", "a", ":Alert"));
  EXPECT_TRUE(Lacks(r, ":s2", "a", ":Hot"));
}

TEST(DomainRules, OwlOutputFeedsConstructRules) {
  Options o;
  o.rules.push_back({"check.rq",
                     "PREFIX : <http://e/>\n"
                     "CONSTRUCT { ?x :status :checked } WHERE { ?x a :Sensor }"});
  auto r = reasonOver(
      ":reads rdfs:domain :Device . :Device rdfs:subClassOf :Sensor . :d1 :reads :v .", o, false);
  EXPECT_TRUE(Has(r, ":d1", "a", ":Sensor"));
  EXPECT_TRUE(Has(r, ":d1", ":status", ":checked"));
  EXPECT_TRUE(Lacks(r, ":v", ":status", ":checked"));
}

TEST(DomainRules, RoundTripsThroughBothUntilTheFixpoint) {
  // a.rq -> cax-sco -> b.rq (over prp-inv2's output) -> a.rq -> cax-sco.
  Options o;
  o.rules.push_back({"a.rq",
                     "PREFIX : <http://e/>\n"
                     "CONSTRUCT { ?x a :Flagged } WHERE { ?x :score ?s FILTER(?s >= 5) }"});
  o.rules.push_back(
      {"b.rq",
       "PREFIX : <http://e/>\n"
       "CONSTRUCT { ?y :flaggedBy :audit ; :score 9 } WHERE { ?x a :Alert ; :partOf ?y }"});
  auto r = reasonOver(
      ":Flagged rdfs:subClassOf :Alert . :hasPart owl:inverseOf :partOf .\n"
      ":a :score 7 . :b :hasPart :a . :d :score 1 .",
      o, false);
  EXPECT_TRUE(Has(r, ":a", "a", ":Alert"));
  EXPECT_TRUE(Has(r, ":a", ":partOf", ":b"));
  EXPECT_TRUE(Has(r, ":b", ":flaggedBy", ":audit"));
  EXPECT_TRUE(Has(r, ":b", ":score", "9"));
  EXPECT_TRUE(Has(r, ":b", "a", ":Flagged"));
  EXPECT_TRUE(Has(r, ":b", "a", ":Alert"));
  EXPECT_TRUE(Lacks(r, ":d", "a", ":Flagged"));
  EXPECT_TRUE(Lacks(r, ":a", ":flaggedBy", ":audit"));
}

TEST(DomainRules, LoadRulesFromAFolderSortedByName) {
  auto dir = std::filesystem::path(testutil::tempPath("rules"));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b_second.rq") << "CONSTRUCT { ?s <http://e/b> 1 } WHERE { ?s ?p ?o }";
  std::ofstream(dir / "a_first.rq") << "CONSTRUCT { ?s <http://e/a> 1 } WHERE { ?s ?p ?o }";
  std::ofstream(dir / "notes.txt") << "not a rule";
  auto rules = loadRules(dir.string());
  ASSERT_TRUE(rules.isOk()) << rules.status().toString();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_NE((*rules)[0].name.find("a_first"), std::string::npos);
  EXPECT_NE((*rules)[1].name.find("b_second"), std::string::npos);
  EXPECT_NE((*rules)[0].text.find("<http://e/a>"), std::string::npos);
  auto one = loadRules((dir / "b_second.rq").string());
  ASSERT_TRUE(one.isOk());
  EXPECT_EQ(one->size(), 1u);
  EXPECT_FALSE(loadRules((dir / "missing").string()).isOk());
}

// ------------------------------------------------------------ explain

TEST(Explain, NamesTheRulesAndTheSourceGraphs) {
  auto st = storeWith(
      "<http://e/g/schema> { :Vial rdfs:subClassOf :Container . :Container rdfs:subClassOf :Item "
      ".\n"
      "                  :filledFrom rdfs:range :Batch . }\n"
      "<http://e/g/doc1> { :v1 a :Vial ; :filledFrom :b7 . }");
  Options o;
  ASSERT_TRUE(materialize(*st, o).isOk());
  auto e = explain(*st, o, rdf::Term::iri("http://e/v1"),
                   rdf::Term::iri(naive::vocab::kRdf + "type"), rdf::Term::iri("http://e/Item"));
  ASSERT_TRUE(e.isOk()) << e.status().toString();
  EXPECT_NE(e->find("cax-sco"), std::string::npos) << *e;
  EXPECT_NE(e->find("http://e/g/doc1"), std::string::npos) << *e;
  EXPECT_NE(e->find("http://e/g/schema"), std::string::npos) << *e;
  EXPECT_NE(e->find("http://e/Vial"), std::string::npos) << *e;

  auto rng = explain(*st, o, rdf::Term::iri("http://e/b7"),
                     rdf::Term::iri(naive::vocab::kRdf + "type"), rdf::Term::iri("http://e/Batch"));
  ASSERT_TRUE(rng.isOk()) << rng.status().toString();
  EXPECT_NE(rng->find("prp-rng"), std::string::npos) << *rng;

  auto missing =
      explain(*st, o, rdf::Term::iri("http://e/b7"), rdf::Term::iri(naive::vocab::kRdf + "type"),
              rdf::Term::iri("http://e/Vial"));
  EXPECT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(Explain, SameAsDerivations) {
  auto st = storeWith(
      "<http://e/g/schema> { :f a owl:FunctionalProperty . }\n"
      "<http://e/g/erp> { :s :f :b . :b :qty 3 . }\n"
      "<http://e/g/mes> { :s :f :a . }");
  Options o;
  ASSERT_TRUE(materialize(*st, o).isOk());
  auto e = explain(*st, o, rdf::Term::iri("http://e/a"), rdf::Term::iri("http://e/qty"),
                   rdf::Term::literal("3", naive::vocab::kXsd + "integer"));
  ASSERT_TRUE(e.isOk()) << e.status().toString();
  EXPECT_NE(e->find("prp-fp"), std::string::npos) << *e;
  EXPECT_NE(e->find("http://e/g/erp"), std::string::npos) << *e;
  EXPECT_NE(e->find("http://e/g/mes"), std::string::npos) << *e;
}

TEST(Explain, DomainRuleByName) {
  auto st = storeWith("<http://e/g/hist> { :s1 :temp 35 . }");
  Options o;
  o.rules.push_back({"excursion.rq",
                     "PREFIX : <http://e/>\nCONSTRUCT { ?x a :Excursion } WHERE { ?x :temp ?t "
                     "FILTER(?t > 30) }"});
  ASSERT_TRUE(materialize(*st, o).isOk());
  auto e =
      explain(*st, o, rdf::Term::iri("http://e/s1"), rdf::Term::iri(naive::vocab::kRdf + "type"),
              rdf::Term::iri("http://e/Excursion"));
  ASSERT_TRUE(e.isOk()) << e.status().toString();
  EXPECT_NE(e->find("excursion.rq"), std::string::npos) << *e;
  EXPECT_NE(e->find("http://e/g/hist"), std::string::npos) << *e;
}

}  // namespace
