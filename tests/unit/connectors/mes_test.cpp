// SPDX-License-Identifier: Apache-2.0
// The MES connectors (connectors/mes): recognising B2MML / BatchML documents
// by root and namespace, choosing their mappings, and refusing documents the
// mappings cannot map whole, with the file, element path and reason.
#include <gtest/gtest.h>

#include <string>

#include "connectors/mes/mes.h"
#include "tests/unit/scratch.h"

namespace weft::connectors::mes {
namespace {

constexpr const char* kV0401 = "http://www.wbf.org/xml/B2MML-V0401";
constexpr const char* kV0700 = "http://www.mesa.org/xml/B2MML";

std::string message(const std::string& root, const std::string& ns, const std::string& body) {
  return "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- test -->\n<" + root + " releaseID=\"1\" xmlns=\"" +
         ns + "\">\n<DataArea><Sync/>" + body + "</DataArea></" + root + ">\n";
}

Document docOf(const std::string& name, const std::string& bytes) {
  Document d;
  d.path = testutil::writeFile(name, bytes);
  d.name = name;
  return d;
}

TEST(MesRoot, ReadsLocalNameAndNamespaceThroughPrologAndPrefixes) {
  Root r = rootOf(message("SyncMaterialInformation", kV0401, ""));
  EXPECT_EQ(r.local, "SyncMaterialInformation");
  EXPECT_EQ(r.ns, kV0401);
  Root b = rootOf("<?xml version=\"1.0\"?>\n\n<batchML:BatchInformation xmlns:batchML=\"http://www.wbf.org/xml/BatchML-V02\">");
  EXPECT_EQ(b.local, "BatchInformation");
  EXPECT_EQ(b.ns, "http://www.wbf.org/xml/BatchML-V02");
  EXPECT_EQ(rootOf("not xml").local, "");
}

TEST(MesDetect, ClaimsMessagesOfKnownVersionsAndNouns) {
  std::string perf = message("SyncOperationsPerformance", kV0700, "");
  EXPECT_EQ(detect("p.xml", perf, false), Match::kByContent);
  EXPECT_EQ(detect("p.xml", perf, true), Match::kNo);
  std::string bpr = "<BatchProductionRecord xmlns=\"http://www.wbf.org/xml/B2MML-V0401\"><ID>x</ID>";
  EXPECT_EQ(detect("r.xml", bpr, true), Match::kByContent);
  EXPECT_EQ(detect("r.xml", bpr, false), Match::kNo);
  // Requests, unknown namespaces and nouns, and schema files are not claimed.
  EXPECT_EQ(detect("g.xml", message("GetMaterialLot", kV0700, ""), false), Match::kNo);
  EXPECT_EQ(detect("x.xml", message("SyncMaterialLot", "http://example.org/other", ""), false), Match::kNo);
  EXPECT_EQ(detect("x.xml", message("SyncPersonnel", kV0700, ""), false), Match::kNo);
  EXPECT_EQ(detect("B2MML-Material.xsd",
                   "<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"http://www.mesa.org/xml/B2MML\">",
                   false),
            Match::kNo);
  EXPECT_EQ(detect("m.xsd", message("SyncMaterialLot", kV0700, ""), false), Match::kNo);
}

TEST(MesMappings, ChosenByVersionAndRoot) {
  EXPECT_EQ(mappingsFor({"SyncProductionPerformance", kV0401}),
            std::vector<std::string>{"b2mml/v0401-production-performance.ttl"});
  EXPECT_EQ(mappingsFor({"OperationsSchedule", kV0700}),
            std::vector<std::string>{"b2mml/v0700-operations-schedule.ttl"});
  EXPECT_EQ(mappingsFor({"SyncMaterialLot", "http://www.mesa.org/xml/B2MML-V0600"}),
            std::vector<std::string>{"b2mml/v0600-material.ttl"});
  std::vector<std::string> bpr{"batchml/v0700-batch-production-record.ttl", "b2mml/v0700-operations-performance.ttl"};
  EXPECT_EQ(mappingsFor({"BatchProductionRecord", kV0700}), bpr);
  EXPECT_EQ(mappingsFor({"BatchInformation", "http://www.wbf.org/xml/BatchML-V02"}),
            std::vector<std::string>{"batchml/v02-master-recipe.ttl"});
  EXPECT_TRUE(mappingsFor({"BatchInformation", kV0700}).empty());
}

TEST(MesValidate, AcceptsAndCountsRecords) {
  Document d = docOf("lots.xml", message("SyncMaterialInformation", kV0401,
                                         "<MaterialInformation><ID>M1</ID><MaterialLot><ID>L1</ID>"
                                         "<MaterialSubLot><ID>S1</ID><Quantity><QuantityString>2.5</QuantityString>"
                                         "</Quantity></MaterialSubLot></MaterialLot></MaterialInformation>"));
  uint64_t records = 0;
  Status st = validate(d, &records);
  ASSERT_TRUE(st) << st.message();
  EXPECT_EQ(records, 2u);  // the lot and its sub-lot
}

TEST(MesValidate, RefusesMalformedXmlWithFileAndLine) {
  Document d = docOf("broken.xml", "<?xml version=\"1.0\"?>\n<SyncMaterialLot xmlns=\"http://www.mesa.org/xml/B2MML\">\n"
                                   "<DataArea><MaterialLot><ID>L1</ID></MaterialLt></DataArea>\n");
  Status st = validate(d, nullptr);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("broken.xml: line 3: not well-formed XML"), std::string::npos) << st.message();
}

TEST(MesValidate, RefusesALotWithoutMaterialNamingItsPath) {
  Document d = docOf("lot.xml", message("SyncMaterialLot", kV0700,
                                        "<MaterialLot><ID>L1</ID><MaterialDefinitionID>M</MaterialDefinitionID></MaterialLot>"
                                        "<MaterialLot><ID>L2</ID></MaterialLot>"));
  Status st = validate(d, nullptr);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("lot.xml: /SyncMaterialLot/DataArea/MaterialLot[2] (ID 'L2')"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("names no material"), std::string::npos) << st.message();
}

TEST(MesValidate, RefusesBadValuesTheMappingsType) {
  auto perf = [](const std::string& actual, const std::string& start) {
    return message("SyncOperationsPerformance", kV0700,
                   "<OperationsPerformance><OperationsResponse><ID>B1</ID><StartTime>" + start +
                       "</StartTime><SegmentResponse><ID>S</ID>" + actual +
                       "</SegmentResponse></OperationsResponse></OperationsPerformance>");
  };
  std::string good = "<MaterialActual><MaterialDefinitionID>M</MaterialDefinitionID><MaterialLotID>L</MaterialLotID>"
                     "<MaterialUse>Consumed</MaterialUse><Quantity><QuantityString>1.5</QuantityString></Quantity>"
                     "</MaterialActual>";
  uint64_t records = 0;
  Status ok = validate(docOf("ok.xml", perf(good, "2025-01-01T00:00:00Z")), &records);
  ASSERT_TRUE(ok) << ok.message();
  EXPECT_EQ(records, 3u);  // response, segment, material actual

  Status time = validate(docOf("t.xml", perf(good, "yesterday")), nullptr);
  ASSERT_FALSE(time);
  EXPECT_NE(time.message().find("StartTime"), std::string::npos) << time.message();
  EXPECT_NE(time.message().find("'yesterday' is not an xsd:dateTime"), std::string::npos) << time.message();

  std::string comma = good;
  comma.replace(comma.find("1.5"), 3, "1,5");
  Status qty = validate(docOf("q.xml", perf(comma, "2025-01-01T00:00:00Z")), nullptr);
  ASSERT_FALSE(qty);
  EXPECT_NE(qty.message().find("quantity '1,5' is not a decimal number"), std::string::npos) << qty.message();

  std::string gtin = "<MaterialActual><MaterialLotID>L</MaterialLotID><MaterialActualProperty><ID>GTIN</ID>"
                     "<Value><ValueString>00300011001012</ValueString></Value></MaterialActualProperty></MaterialActual>";
  Status bad = validate(docOf("g.xml", perf(gtin, "2025-01-01T00:00:00Z")), nullptr);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.message().find("GTIN '00300011001012'"), std::string::npos) << bad.message();
  std::string fixed = gtin;
  fixed.replace(fixed.find("01012"), 5, "01011");
  Status fine = validate(docOf("g2.xml", perf(fixed, "2025-01-01T00:00:00Z")), nullptr);
  EXPECT_TRUE(fine) << fine.message();
}

// Long values are checked without recursion per character (std::regex
// overflowed the stack on a 300,000-digit quantity), and many records with
// the same name are numbered in one pass.
TEST(MesValidate, LongValuesAndManyRecords) {
  auto lot = [](const std::string& id, const std::string& qty) {
    return "<MaterialLot><ID>" + id + "</ID><MaterialDefinitionID>M</MaterialDefinitionID><Quantity><QuantityString>" +
           qty + "</QuantityString></Quantity></MaterialLot>";
  };
  std::string digits(300000, '7');
  Status long_ok = validate(docOf("long.xml", message("SyncMaterialLot", kV0700, lot("L1", digits + ".5"))), nullptr);
  EXPECT_TRUE(long_ok) << long_ok.message().substr(0, 200);
  Status long_bad = validate(docOf("long2.xml", message("SyncMaterialLot", kV0700, lot("L1", digits + "x"))), nullptr);
  ASSERT_FALSE(long_bad);
  EXPECT_NE(long_bad.message().find("is not a decimal number"), std::string::npos);

  std::string many;
  for (int i = 1; i <= 20000; ++i) many += lot(std::to_string(i), "1");
  many += lot("BAD", "1,5");
  uint64_t records = 0;
  Status st = validate(docOf("many.xml", message("SyncMaterialLot", kV0700, many)), &records);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("many.xml: /SyncMaterialLot/DataArea/MaterialLot[20001]/Quantity/QuantityString (line 4): "
                              "quantity '1,5' is not a decimal number"),
            std::string::npos)
      << st.message();
  for (const char* q : {"1", "-2.", "+.5", "0.25"})
    EXPECT_TRUE(validate(docOf("q.xml", message("SyncMaterialLot", kV0700, lot("L", q))), nullptr)) << q;
  for (const char* q : {".", "+", "1.2.3", "1e5", " 1"})
    EXPECT_FALSE(validate(docOf("q.xml", message("SyncMaterialLot", kV0700, lot("L", q))), nullptr)) << q;
}

TEST(MesValidate, RefusesABatchRecordWithoutBatch) {
  Status st = validate(docOf("bpr.xml", "<BatchProductionRecord xmlns=\"http://www.mesa.org/xml/B2MML\"><ID>R1</ID>"
                                        "</BatchProductionRecord>"),
                       nullptr);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("bpr.xml: /BatchProductionRecord (ID 'R1')"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("no BatchID"), std::string::npos) << st.message();
}

TEST(MesConnectors, NamesAndRegistry) {
  EXPECT_EQ(b2mmlConnector().name, "b2mml");
  EXPECT_EQ(batchmlConnector().name, "batchml");
  ASSERT_NE(find("b2mml"), nullptr);
  EXPECT_TRUE(static_cast<bool>(find("batchml")->validate));
}

}  // namespace
}  // namespace weft::connectors::mes
