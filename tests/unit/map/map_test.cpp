// SPDX-License-Identifier: Apache-2.0
// The mapping engine: template encoding, mapping-document errors, and runs
// over small CSV files (joins, skip mode, transactional store output).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/map/executor.h"
#include "engine/map/loader.h"
#include "engine/rdf/graph_compare.h"
#include "tests/unit/scratch.h"

using namespace weft;
namespace fs = std::filesystem;

namespace {

class MapTest : public weft::testutil::ScratchDirTest {
 protected:
  Result<map::Mapping> load(const std::string& ttl) {
    write("mapping.ttl", ttl);
    return map::loadMapping((dir_ / "mapping.ttl").string(), {});
  }
  // Runs and returns the output as sorted N-Quads text.
  std::string run(const std::string& ttl, map::RunOptions ro = {}, Status* status = nullptr,
                  map::RunStats* stats = nullptr) {
    auto m = load(ttl);
    EXPECT_TRUE(m.isOk()) << m.status().message();
    if (!m.isOk()) return "";
    rdf::VectorSink sink;
    Status st = map::runMapping(m.value(), ro, sink, stats);
    if (status) *status = st;
    else EXPECT_TRUE(st.isOk()) << st.message();
    return rdf::toNQuadsText(sink.quads);
  }
};

constexpr const char* kPrefixes = R"(@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.com/> .
@base <http://example.com/base/> .
)";

}  // namespace

TEST(IriSafe, EncodesWhatIsNotIunreserved) {
  std::string out;
  map::appendIriSafe(out, "a b/c?d=1&e#f");
  EXPECT_EQ(out, "a%20b%2Fc%3Fd%3D1%26e%23f");
  out.clear();
  map::appendIriSafe(out, "Ren\xC3\xA9-1.0_x~");  // é is a ucschar: kept
  EXPECT_EQ(out, "Ren\xC3\xA9-1.0_x~");
  out.clear();
  map::appendIriSafe(out, "\xFF");  // not UTF-8: encoded byte by byte
  EXPECT_EQ(out, "%FF");
}

TEST_F(MapTest, MappingErrorsNameTheTriplesMap) {
  write("p.csv", "ID\n1\n");
  auto m = load(std::string(kPrefixes) + R"(
<TM> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "p.csv" ] ;
                      rml:referenceFormulation rml:CSV ] ;
  rml:predicateObjectMap [ rml:predicate ex:p ; rml:object "x" ] .
)");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.status().message().find("triples map <TM>"), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("no subject map"), std::string::npos) << m.status().message();

  m = load(std::string(kPrefixes) + R"(
<TM> rml:logicalSource [ rml:source "p.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/{ID" ] .
)");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.status().message().find("unterminated"), std::string::npos) << m.status().message();

  m = load(std::string(kPrefixes) + R"(
<TM> rml:logicalSource [ rml:source "p.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:reference "ID" ; rml:termType rml:Literal ] .
)");
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.status().message().find("subject cannot be a literal"), std::string::npos);
}

TEST_F(MapTest, CsvWithJoinClassesAndDatatypes) {
  write("lots.csv", "lot,product,qty\nL1,P1,10\nL2,P2,5\nL3,P9,1\n");
  write("products.csv", "id,name\nP1,Vaccine A\nP2,Vaccine B\n");
  std::string out = run(std::string(kPrefixes) + R"(
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<Lots> rml:logicalSource [ rml:source "lots.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/lot/{lot}" ; rml:class ex:Lot ] ;
  rml:predicateObjectMap [ rml:predicate ex:qty ;
      rml:objectMap [ rml:reference "qty" ; rml:datatype xsd:integer ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:of ;
      rml:objectMap [ rml:parentTriplesMap <Products> ;
                      rml:joinCondition [ rml:child "product" ; rml:parent "id" ] ] ] .
<Products> rml:logicalSource [ rml:source "products.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/product/{name}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:name ; rml:objectMap [ rml:reference "name" ; rml:language "en" ] ] .
)");
  EXPECT_EQ(out,
            "<http://ex.org/lot/L1> <http://example.com/of> <http://ex.org/product/Vaccine%20A> .\n"
            "<http://ex.org/lot/L1> <http://example.com/qty> \"10\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
            "<http://ex.org/lot/L1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.com/Lot> .\n"
            "<http://ex.org/lot/L2> <http://example.com/of> <http://ex.org/product/Vaccine%20B> .\n"
            "<http://ex.org/lot/L2> <http://example.com/qty> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
            "<http://ex.org/lot/L2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.com/Lot> .\n"
            "<http://ex.org/lot/L3> <http://example.com/qty> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
            "<http://ex.org/lot/L3> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.com/Lot> .\n"
            "<http://ex.org/product/Vaccine%20A> <http://example.com/name> \"Vaccine A\"@en .\n"
            "<http://ex.org/product/Vaccine%20B> <http://example.com/name> \"Vaccine B\"@en .\n");
}

TEST_F(MapTest, BadRecordFailsWithPositionOrIsSkipped) {
  write("s.csv", "id,home\n1,http://ok.org/1\n2,not an iri\n3,http://ok.org/3\n");
  std::string mapping = std::string(kPrefixes) + R"(
<Sites> rml:logicalSource [ rml:source "s.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/site/{id}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:home ; rml:objectMap [ rml:reference "home" ; rml:termType rml:IRI ] ] .
)";
  Status st;
  run(mapping, {}, &st);
  ASSERT_FALSE(st.isOk());
  // The message names the file, the record, the term map and the reason.
  EXPECT_NE(st.message().find("s.csv"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("2"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("object map"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("invalid IRI"), std::string::npos) << st.message();

  map::RunOptions ro;
  ro.skip_errors = true;
  ro.rejects_path = (dir_ / "rejects.txt").string();
  map::RunStats stats;
  std::string out = run(mapping, ro, nullptr, &stats);
  EXPECT_EQ(stats.rejects, 1u);
  EXPECT_EQ(stats.records, 3u);
  // Nothing of the rejected record is written, not even its good parts.
  EXPECT_EQ(out.find("site/2"), std::string::npos) << out;
  EXPECT_NE(out.find("<http://ex.org/site/3> <http://example.com/home> <http://ok.org/3>"), std::string::npos);
  std::ifstream in(dir_ / "rejects.txt");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("invalid IRI"), std::string::npos) << line;
}

TEST_F(MapTest, DuplicatesAreDroppedAndCounted) {
  write("d.csv", "a\nx\nx\ny\n");
  map::RunStats stats;
  std::string out = run(std::string(kPrefixes) + R"(
<D> rml:logicalSource [ rml:source "d.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/{a}" ; rml:class ex:Thing ] .
)", {}, nullptr, &stats);
  EXPECT_EQ(stats.quads, 2u);
  EXPECT_EQ(stats.duplicates, 1u);
}

TEST_F(MapTest, LegacyAndR2rmlVocabulariesLoad) {
  write("t.csv", "ID,Name\n10,Venus\n");
  std::string out = run(R"(@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@base <http://example.com/base/> .
<TriplesMap1> a rr:TriplesMap ;
  rml:logicalSource [ rml:source "t.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://example.com/{ID}/{Name}" ; rr:class foaf:Person ] ;
  rr:predicateObjectMap [ rr:predicate foaf:name ; rr:objectMap [ rml:reference "Name" ] ] .
)");
  EXPECT_EQ(out,
            "<http://example.com/10/Venus> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://xmlns.com/foaf/0.1/Person> .\n"
            "<http://example.com/10/Venus> <http://xmlns.com/foaf/0.1/name> \"Venus\" .\n");
}

// With a memory limit far too small for the join table and the duplicate
// table, the join spills (Grace hash join) and duplicate elimination sets
// quads aside in temporary files; the output is the same set of quads.
TEST_F(MapTest, SpillingJoinsAndDuplicatesGiveTheSameOutput) {
  std::string parents = "id,name\n", children = "id,parent\n";
  for (int i = 0; i < 3000; ++i) parents += "p" + std::to_string(i) + ",Parent " + std::to_string(i) + "\n";
  for (int i = 0; i < 20000; ++i)
    children += "c" + std::to_string(i % 15000) + ",p" + std::to_string((i * 7) % 3500) + "\n";  // duplicates, misses
  write("parents.csv", parents);
  write("children.csv", children);
  std::string mapping = std::string(kPrefixes) + R"(
<Children> rml:logicalSource [ rml:source "children.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/c/{id}" ; rml:class ex:Child ; rml:graph ex:g1 ] ;
  rml:predicateObjectMap [ rml:predicate ex:parent ;
      rml:objectMap [ rml:parentTriplesMap <Parents> ; rml:joinCondition [ rml:child "parent" ; rml:parent "id" ] ] ] .
<Parents> rml:logicalSource [ rml:source "parents.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/p/{name}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:name ; rml:objectMap [ rml:reference "name" ] ] .
)";
  map::RunStats big_stats, small_stats;
  std::string big = run(mapping, {}, nullptr, &big_stats);
  map::RunOptions small;
  small.memory_limit = 64 << 10;  // 64 KiB: both tables spill
  std::string spilled = run(mapping, small, nullptr, &small_stats);
  EXPECT_EQ(spilled, big);
  EXPECT_EQ(small_stats.quads, big_stats.quads);
  EXPECT_EQ(small_stats.duplicates, big_stats.duplicates);
  EXPECT_GT(big_stats.duplicates, 0u);
  EXPECT_EQ(big_stats.spilled_quads + big_stats.spilled_joins, 0u);
  EXPECT_GT(small_stats.spilled_quads, 0u);
  EXPECT_EQ(small_stats.spilled_joins, 1u);
  EXPECT_NE(big.find("<http://ex.org/c/c1> <http://example.com/parent> <http://ex.org/p/Parent%207> <http://example.com/g1>"),
            std::string::npos);
}
