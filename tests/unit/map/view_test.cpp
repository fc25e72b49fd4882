// SPDX-License-Identifier: Apache-2.0
// RML-LV logical views (engine/map/internal/view.cpp): iterable fields and
// index keys, a change of reference formulation, left and inner joins, and the
// load-time errors (cycles, name collisions, references to missing fields).
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

class ViewTest : public weft::testutil::ScratchDirTest {
 protected:
  Result<map::Mapping> load(const std::string& ttl) {
    write("mapping.ttl", kPrefixes + ttl);
    return map::loadMapping((dir_ / "mapping.ttl").string(), {});
  }
  // Loads and runs; the output as sorted N-Quads text, or the first error.
  std::string run(const std::string& ttl, Status* status = nullptr) {
    auto m = load(ttl);
    if (!m.isOk()) {
      if (status) *status = m.status();
      else ADD_FAILURE() << m.status().message();
      return "";
    }
    rdf::VectorSink sink;
    Status st = map::runMapping(m.value(), {}, sink, nullptr);
    if (status) *status = st;
    else EXPECT_TRUE(st.isOk()) << st.message();
    return rdf::toNQuadsText(sink.quads);
  }

  static constexpr const char* kPrefixes = R"(@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.com/> .
@base <http://example.com/base/> .
<orders> a rml:LogicalSource ;
  rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "orders.json" ] ;
  rml:referenceFormulation rml:JSONPath ; rml:iterator "$.orders[*]" .
<sites> a rml:LogicalSource ;
  rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "sites.csv" ] ;
  rml:referenceFormulation rml:CSV .
)";
};

constexpr const char* kOrders = R"({"orders": [
  {"id": "o1", "site": "S1", "lines": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 5}]},
  {"id": "o2", "site": "S9", "lines": [{"sku": "C", "qty": 1}]},
  {"id": "o3", "site": "S2", "lines": []}
]})";

constexpr const char* kSites = "code,city,lots\nS1,Ghent,\"[\"\"L1\"\",\"\"L2\"\"]\"\nS2,Leuven,[]\n";

}  // namespace

TEST_F(ViewTest, IterableFieldWithIndexKeys) {
  write("orders.json", kOrders);
  std::string out = run(R"(
<lines> a rml:LogicalView ; rml:viewOn <orders> ;
  rml:field [ a rml:ExpressionField ; rml:fieldName "id" ; rml:reference "$.id" ] ;
  rml:field [ a rml:IterableField ; rml:fieldName "line" ; rml:iterator "$.lines[*]" ;
    rml:field [ a rml:ExpressionField ; rml:fieldName "sku" ; rml:reference "$.sku" ] ;
    rml:field [ a rml:ExpressionField ; rml:fieldName "qty" ; rml:reference "$.qty" ] ] .
<TM> a rml:TriplesMap ; rml:logicalSource <lines> ;
  rml:subjectMap [ rml:template "http://ex.org/{id}/{line.#}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:sku ; rml:objectMap [ rml:reference "line.sku" ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:qty ; rml:objectMap [ rml:reference "line.qty" ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:seq ; rml:objectMap [ rml:reference "#" ] ] .
)");
  const std::string xint = "^^<http://www.w3.org/2001/XMLSchema#integer>";
  EXPECT_EQ(out,
            "<http://ex.org/o1/0> <http://example.com/qty> \"2\"" + xint + " .\n"
            "<http://ex.org/o1/0> <http://example.com/seq> \"0\"" + xint + " .\n"
            "<http://ex.org/o1/0> <http://example.com/sku> \"A\" .\n"
            "<http://ex.org/o1/1> <http://example.com/qty> \"5\"" + xint + " .\n"
            "<http://ex.org/o1/1> <http://example.com/seq> \"0\"" + xint + " .\n"
            "<http://ex.org/o1/1> <http://example.com/sku> \"B\" .\n"
            "<http://ex.org/o2/0> <http://example.com/qty> \"1\"" + xint + " .\n"
            "<http://ex.org/o2/0> <http://example.com/seq> \"1\"" + xint + " .\n"
            "<http://ex.org/o2/0> <http://example.com/sku> \"C\" .\n");
}

TEST_F(ViewTest, CsvColumnHoldingJson) {
  write("sites.csv", kSites);
  std::string out = run(R"(
<lots> a rml:LogicalView ; rml:viewOn <sites> ;
  rml:field [ rml:fieldName "code" ; rml:reference "code" ] ;
  rml:field [ rml:fieldName "lots" ; rml:reference "lots" ;
    rml:field [ a rml:IterableField ; rml:fieldName "lot" ; rml:referenceFormulation rml:JSONPath ;
      rml:iterator "$[*]" ; rml:field [ rml:fieldName "v" ; rml:reference "$" ] ] ] .
<TM> a rml:TriplesMap ; rml:logicalSource <lots> ;
  rml:subjectMap [ rml:template "http://ex.org/{code}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:lot ; rml:objectMap [ rml:template "{lots.lot.#}-{lots.lot.v}" ; rml:termType rml:Literal ] ] .
)");
  EXPECT_EQ(out,
            "<http://ex.org/S1> <http://example.com/lot> \"0-L1\" .\n"
            "<http://ex.org/S1> <http://example.com/lot> \"1-L2\" .\n");
}

TEST_F(ViewTest, LeftAndInnerJoin) {
  write("orders.json", kOrders);
  write("sites.csv", kSites);
  const std::string views = R"(
<siteView> a rml:LogicalView ; rml:viewOn <sites> ;
  rml:field [ rml:fieldName "code" ; rml:reference "code" ] ;
  rml:field [ rml:fieldName "city" ; rml:reference "city" ] .
<orderView> a rml:LogicalView ; rml:viewOn <orders> ;
  rml:field [ rml:fieldName "id" ; rml:reference "$.id" ] ;
  rml:field [ rml:fieldName "site" ; rml:reference "$.site" ] ;
  rml:JOIN [ rml:parentLogicalView <siteView> ;
    rml:joinCondition [ rml:child "site" ; rml:parent "code" ] ;
    rml:field [ rml:fieldName "city" ; rml:reference "city" ] ;
    rml:field [ rml:fieldName "label" ; rml:template "{code} in {city}" ] ] .
<TM> a rml:TriplesMap ; rml:logicalSource <orderView> ;
  rml:subjectMap [ rml:template "http://ex.org/{id}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:site ; rml:objectMap [ rml:reference "site" ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:city ; rml:objectMap [ rml:reference "label" ] ] .
)";
  auto with = [&](const std::string& join) {
    std::string t = views;
    t.replace(t.find("JOIN"), 4, join);
    return t;
  };
  EXPECT_EQ(run(with("leftJoin")),
            "<http://ex.org/o1> <http://example.com/city> \"S1 in Ghent\" .\n"
            "<http://ex.org/o1> <http://example.com/site> \"S1\" .\n"
            "<http://ex.org/o2> <http://example.com/site> \"S9\" .\n"
            "<http://ex.org/o3> <http://example.com/city> \"S2 in Leuven\" .\n"
            "<http://ex.org/o3> <http://example.com/site> \"S2\" .\n");
  EXPECT_EQ(run(with("innerJoin")),
            "<http://ex.org/o1> <http://example.com/city> \"S1 in Ghent\" .\n"
            "<http://ex.org/o1> <http://example.com/site> \"S1\" .\n"
            "<http://ex.org/o3> <http://example.com/city> \"S2 in Leuven\" .\n"
            "<http://ex.org/o3> <http://example.com/site> \"S2\" .\n");
}

TEST_F(ViewTest, CyclesAreErrorsNamingTheView) {
  write("orders.json", kOrders);
  const std::string tm = R"(
<TM> a rml:TriplesMap ; rml:logicalSource <v1> ;
  rml:subjectMap [ rml:template "http://ex.org/{a}" ] .
)";
  // A view on itself, through another view.
  Status st;
  run(R"(
<v1> a rml:LogicalView ; rml:viewOn <v2> ; rml:field [ rml:fieldName "a" ; rml:reference "b" ] .
<v2> a rml:LogicalView ; rml:viewOn <v1> ; rml:field [ rml:fieldName "b" ; rml:reference "a" ] .
)" + tm, &st);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("cycle"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("<http://example.com/base/v1>"), std::string::npos) << st.message();
  // A self join.
  run(R"(
<v1> a rml:LogicalView ; rml:viewOn <orders> ; rml:field [ rml:fieldName "a" ; rml:reference "$.id" ] ;
  rml:leftJoin [ rml:parentLogicalView <v1> ; rml:joinCondition [ rml:child "a" ; rml:parent "a" ] ;
                 rml:field [ rml:fieldName "b" ; rml:reference "a" ] ] .
)" + tm, &st);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("cycle"), std::string::npos) << st.message();
  // Fields that contain each other.
  run(R"(
<v1> a rml:LogicalView ; rml:viewOn <orders> ; rml:field [ rml:fieldName "a" ; rml:reference "$.id" ] ;
  rml:field <f1> .
<f1> a rml:IterableField ; rml:fieldName "x" ; rml:iterator "$.lines[*]" ; rml:field <f2> .
<f2> a rml:ExpressionField ; rml:fieldName "y" ; rml:reference "$.sku" ; rml:field <f1> .
)" + tm, &st);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("cycle"), std::string::npos) << st.message();
}

TEST_F(ViewTest, NameCollisionsAndMissingFields) {
  write("orders.json", kOrders);
  write("sites.csv", kSites);
  Status st;
  run(R"(
<v1> a rml:LogicalView ; rml:viewOn <orders> ;
  rml:field [ rml:fieldName "a" ; rml:reference "$.id" ] , [ rml:fieldName "a" ; rml:reference "$.site" ] .
<TM> a rml:TriplesMap ; rml:logicalSource <v1> ; rml:subjectMap [ rml:template "http://ex.org/{a}" ] .
)",
      &st);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("name collision"), std::string::npos) << st.message();
  // A reference to no field, to the record key, to an iterable field itself.
  for (const char* ref : {"A", "<it>", "x"}) {
    run(std::string(R"(
<v1> a rml:LogicalView ; rml:viewOn <orders> ; rml:field [ rml:fieldName "a" ; rml:reference "$.id" ] ;
  rml:field [ a rml:IterableField ; rml:fieldName "x" ; rml:iterator "$.lines[*]" ;
              rml:field [ rml:fieldName "y" ; rml:reference "$.sku" ] ] .
<TM> a rml:TriplesMap ; rml:logicalSource <v1> ; rml:subjectMap [ rml:template "http://ex.org/{a}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:p ; rml:objectMap [ rml:reference ")") +
            ref + R"(" ] ] .
)",
        &st);
    ASSERT_FALSE(st.isOk()) << ref;
    EXPECT_NE(st.message().find("has no field"), std::string::npos) << st.message();
  }
}
