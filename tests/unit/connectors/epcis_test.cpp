// SPDX-License-Identifier: Apache-2.0
// Unit tests of the EPCIS validation (connectors/epcis/epcis_validate.cpp):
// each rule with a small inline document that passes and one that fails,
// the message naming the event (1-based index and type) and the reason.
#include <gtest/gtest.h>

#include <string>

#include "connectors/api/connector.h"
#include "connectors/epcis/epcis_validate.h"

namespace weft::connectors::epcis {
namespace {

// An EPCISDocument holding `events` (JSON objects, comma-separated).
std::string doc(const std::string& events, bool context = true) {
  return std::string("{") + (context ? "\"@context\": [\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"], " : "") +
         "\"type\": \"EPCISDocument\", \"schemaVersion\": \"2.0\", \"creationDate\": \"2026-01-01T00:00:00Z\", "
         "\"epcisBody\": {\"eventList\": [" + events + "]}}";
}

// An ObjectEvent with a valid eventTime and offset, plus `fields`.
std::string objectEvent(const std::string& fields) {
  return "{\"type\": \"ObjectEvent\", \"eventTime\": \"2026-07-22T06:45:00+02:00\", \"eventTimeZoneOffset\": \"+02:00\", " +
         fields + "}";
}

const std::string kEpcs = "\"epcList\": [\"urn:epc:id:sgtin:0614141.107346.2017\"]";

// The error of validating `json`, "" when it is valid.
std::string err(const std::string& json, uint64_t* n = nullptr) {
  Status st = validateJson(json, n);
  return st ? "" : st.message();
}

TEST(EpcisJson, ValidObjectEventCountsEvents) {
  uint64_t n = 0;
  std::string e = objectEvent("\"action\": \"ADD\", " + kEpcs);
  EXPECT_EQ(err(doc(e + ", " + e), &n), "");
  EXPECT_EQ(n, 2u);
}

TEST(EpcisJson, MissingContext) {
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs), false)).find("@context is missing"), std::string::npos);
}

TEST(EpcisJson, Action) {
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"OBSERVE\", " + kEpcs))), "");
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"DELETE\", " + kEpcs))), "");
  std::string ok = objectEvent("\"action\": \"ADD\", " + kEpcs);
  EXPECT_EQ(err(doc(ok + ", " + ok + ", " + objectEvent("\"action\": \"ADDD\", " + kEpcs))),
            "event 3 (ObjectEvent): action \"ADDD\" is not ADD, OBSERVE or DELETE");
  EXPECT_EQ(err(doc(objectEvent(kEpcs))), "event 1 (ObjectEvent): action is missing");
}

TEST(EpcisJson, EventTime) {
  for (const char* good : {"2026-07-22T06:45:00Z", "2026-07-22T06:45:00.116-06:00", "2005-04-03T20:33:31.116000-06:00"})
    EXPECT_TRUE(isDateTimeWithOffset(good)) << good;
  for (const char* bad : {"22-07-2026", "2026-07-22T06:45:00", "2026-13-22T06:45:00Z", "2026-07-22 06:45:00Z",
                          "2026-07-22T06:45:00+2:00"})
    EXPECT_FALSE(isDateTimeWithOffset(bad)) << bad;
  std::string e = "{\"type\": \"ObjectEvent\", \"eventTime\": \"22-07-2026\", \"eventTimeZoneOffset\": \"+02:00\", "
                  "\"action\": \"ADD\", " + kEpcs + "}";
  EXPECT_NE(err(doc(e)).find("event 1 (ObjectEvent): eventTime \"22-07-2026\" is not an xsd:dateTime"), std::string::npos);
  std::string no_time = "{\"type\": \"ObjectEvent\", \"action\": \"ADD\", " + kEpcs + "}";
  EXPECT_EQ(err(doc(no_time)), "event 1 (ObjectEvent): eventTime is missing");
  std::string no_tz = "{\"type\": \"ObjectEvent\", \"eventTime\": \"2026-07-22T06:45:00Z\", \"action\": \"ADD\", " + kEpcs + "}";
  EXPECT_EQ(err(doc(no_tz)), "event 1 (ObjectEvent): eventTimeZoneOffset is missing");
}

TEST(EpcisJson, BizStepAndDispositionAgainstCbv) {
  EXPECT_TRUE(isCbvBizStep("shipping"));
  EXPECT_TRUE(isCbvBizStep("void_shipping"));
  EXPECT_FALSE(isCbvBizStep("transforming"));
  EXPECT_TRUE(isCbvDisposition("in_transit"));
  EXPECT_FALSE(isCbvDisposition("in_transport"));
  for (const char* v : {"shipping", "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping",
                        "cbv:BizStep-shipping", "https://example.com/my-steps/blending"})
    EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"bizStep\": \"" + v + "\""))), "") << v;
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"bizStep\": \"transforming\"")))
                .find("event 1 (ObjectEvent): bizStep \"transforming\" is not a CBV 2.0 business step"),
            std::string::npos);
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"bizStep\": \"urn:epcglobal:cbv:bizstep:shiping\"")))
                .find("is not a CBV 2.0 business step"),
            std::string::npos);
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"disposition\": \"in_transit\""))), "");
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"disposition\": \"in_transport\"")))
                .find("disposition \"in_transport\" is not a CBV 2.0 disposition"),
            std::string::npos);
}

TEST(EpcisJson, QuantityElements) {
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", \"quantityList\": [{\"epcClass\": "
                                "\"urn:epc:class:lgtin:4012345.012345.998877\", \"quantity\": 200, \"uom\": \"KGM\"}]"))),
            "");
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", \"quantityList\": [{\"epcClass\": "
                                "\"https://id.gs1.org/01/09521141012345\", \"quantity\": \"twenty\"}]"))),
            "event 1 (ObjectEvent): quantityList[1]: quantity \"twenty\" is not a number");
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", \"quantityList\": [{\"epcClass\": "
                                "\"https://id.gs1.org/01/09521141012345\", \"weight\": 5}]"))),
            "event 1 (ObjectEvent): quantityList[1]: unknown field \"weight\" (a quantity element has epcClass, quantity "
            "and uom)");
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", \"quantityList\": [{\"epcClass\": \"urn:x:y\", \"quantity\": 2, "
                                "\"uom\": \"kilo\"}]")))
                .find("is not a UN/ECE Rec 20 code"),
            std::string::npos);
}

TEST(EpcisJson, IdentifiersRequiredPerType) {
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\""))),
            "event 1 (ObjectEvent): an ObjectEvent needs an epcList or a quantityList");
  std::string tx = "{\"type\": \"TransactionEvent\", \"eventTime\": \"2026-07-22T06:45:00Z\", \"eventTimeZoneOffset\": "
                   "\"+00:00\", \"action\": \"ADD\", " + kEpcs + "}";
  EXPECT_EQ(err(doc(tx)), "event 1 (TransactionEvent): a TransactionEvent needs a bizTransactionList");
  std::string tf = "{\"type\": \"TransformationEvent\", \"eventTime\": \"2026-07-22T06:45:00Z\", \"eventTimeZoneOffset\": "
                   "\"+00:00\", \"outputEPCList\": [\"urn:epc:id:sgtin:0614141.107346.2017\"]}";
  EXPECT_EQ(err(doc(tf)), "");  // no action on a TransformationEvent
  std::string bad_type = "{\"type\": \"QuantityEvent\", \"eventTime\": \"2026-07-22T06:45:00Z\"}";
  EXPECT_NE(err(doc(bad_type)).find("event 1: type \"QuantityEvent\" is not an EPCIS event type"), std::string::npos);
}

TEST(EpcisJson, ExtensionsMustBeNamespaced) {
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"example:myField\": \"x\""))), "");
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"myField\": \"x\"")))
                .find("field \"myField\" is not a field of an ObjectEvent and has no namespace prefix"),
            std::string::npos);
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs +
                                ", \"ilmd\": {\"cbvmda:lotNumber\": \"A1\", \"example:x\": {\"part1\": 1}}"))),
            "");
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"ilmd\": {\"materialType\": \"soil\"}")))
                .find("ilmd field \"materialType\" has no namespace prefix"),
            std::string::npos);
}

TEST(EpcisJson, CertificationInfo) {
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs +
                                ", \"certificationInfo\": \"https://cert.example.org/ABC12345\""))),
            "");
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs +
                                ", \"certificationInfo\": [{\"gs1:CertificationDetails\": {}}]")))
                .find("certificationInfo[1] is an object, not a URI of a certificate"),
            std::string::npos);
}

TEST(EpcisJson, SourceDestinationAndBizTransactions) {
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs +
                                ", \"sourceList\": [{\"type\": \"owning_party\", \"source\": \"urn:epc:id:pgln:4012345.00225\"}]"
                                ", \"bizTransactionList\": [{\"type\": \"po\", \"bizTransaction\": \"urn:epcglobal:cbv:bt:1:2\"}]"))),
            "");
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs +
                                ", \"sourceList\": [{\"type\": \"place\", \"source\": \"urn:epc:id:sgln:952012.345678.0\"}]")))
                .find("sourceList[1]: type \"place\" is not a CBV source/destination type"),
            std::string::npos);
  EXPECT_NE(err(doc(objectEvent("\"action\": \"ADD\", " + kEpcs +
                                ", \"bizTransactionList\": [{\"type\": \"purchase\", \"bizTransaction\": \"urn:x:1\"}]")))
                .find("is not a CBV business transaction type"),
            std::string::npos);
}

TEST(EpcisJson, SensorReportsAndErrorDeclaration) {
  std::string sensors = ", \"sensorElementList\": [{\"sensorMetadata\": {\"time\": \"2019-04-02T13:05:00Z\"}, "
                        "\"sensorReport\": [{\"type\": \"Temperature\", \"value\": 26.0, \"uom\": \"CEL\"}]}]";
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"OBSERVE\", " + kEpcs + sensors))), "");
  std::string bad_value = ", \"sensorElementList\": [{\"sensorReport\": [{\"type\": \"Temperature\", \"maxValue\": \"hot\"}]}]";
  EXPECT_NE(err(doc(objectEvent("\"action\": \"OBSERVE\", " + kEpcs + bad_value)))
                .find("sensorReport[1]: maxValue \"hot\" is not a number"),
            std::string::npos);
  std::string decl = ", \"errorDeclaration\": {\"declarationTime\": \"2021-02-01T22:46:31Z\", \"reason\": \"incorrect_data\", "
                     "\"correctiveEventIDs\": [\"urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"]}";
  EXPECT_EQ(err(doc(objectEvent("\"action\": \"OBSERVE\", " + kEpcs + decl))), "");
  std::string bad_decl = ", \"errorDeclaration\": {\"reason\": \"incorrect_data\"}";
  EXPECT_NE(err(doc(objectEvent("\"action\": \"OBSERVE\", " + kEpcs + bad_decl)))
                .find("errorDeclaration declarationTime is missing"),
            std::string::npos);
}

TEST(EpcisJson, NotEventDocuments) {
  EXPECT_NE(err("{\"@context\": \"https://ref.gs1.org/standards/epcis/2.0.0/query-schema.json\", \"eventType\": "
                "[\"ObjectEvent\"], \"EQ_action\": [\"ADD\"]}")
                .find("an EPCIS query, not an event document"),
            std::string::npos);
  EXPECT_NE(err("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"definitions\": {}}").find("JSON Schema"),
            std::string::npos);
  EXPECT_NE(err("{\"@context\": {\"epcis\": \"https://ref.gs1.org/epcis/\"}}").find("JSON-LD context"), std::string::npos);
  EXPECT_NE(err("{\"type\": ").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(classifyJson(doc(objectEvent("\"action\": \"ADD\", " + kEpcs))), JsonKind::kEventDocument);
}

TEST(EpcisJson, QueryDocumentEventsAreRead) {
  uint64_t n = 0;
  std::string q = "{\"@context\": [\"https://ref.gs1.org/standards/epcis/epcis-context.jsonld\"], \"type\": "
                  "\"EPCISQueryDocument\", \"schemaVersion\": \"2.0\", \"creationDate\": \"2005-07-11T11:30:47.0Z\", "
                  "\"epcisBody\": {\"queryResults\": {\"queryName\": \"SimpleEventQuery\", \"resultsBody\": {\"eventList\": [" +
                  objectEvent("\"action\": \"ADDD\", " + kEpcs) + "]}}}}";
  EXPECT_EQ(err(q), "event 1 (ObjectEvent): action \"ADDD\" is not ADD, OBSERVE or DELETE");
  std::string fixed = q.replace(q.find("ADDD"), 4, "ADD");
  EXPECT_EQ(err(fixed, &n), "");
  EXPECT_EQ(n, 1u);
}

const char* kXmlHead =
    "<?xml version=\"1.0\"?><epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:1\" schemaVersion=\"1.2\" "
    "creationDate=\"2023-04-01T08:45:16Z\"><EPCISBody><EventList>";
const char* kXmlTail = "</EventList></EPCISBody></epcis:EPCISDocument>";

std::string xmlErr(const std::string& events, uint64_t* n = nullptr) {
  Status st = validateXml(std::string(kXmlHead) + events + kXmlTail, n);
  return st ? "" : st.message();
}

TEST(EpcisXml, EventsChecked) {
  std::string ok = "<ObjectEvent><eventTime>2023-03-27T06:45:16Z</eventTime><eventTimeZoneOffset>-05:00</eventTimeZoneOffset>"
                   "<epcList><epc>urn:epc:id:sgtin:030001.0012345.10</epc></epcList><action>ADD</action>"
                   "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep></ObjectEvent>";
  uint64_t n = 0;
  std::string tf = "<extension><TransformationEvent><eventTime>2023-03-27T06:45:16Z</eventTime><eventTimeZoneOffset>"
                   "-05:00</eventTimeZoneOffset><outputEPCList><epc>urn:x:1</epc></outputEPCList></TransformationEvent></extension>";
  EXPECT_EQ(xmlErr(ok + tf, &n), "");
  EXPECT_EQ(n, 2u);
  std::string bad_action = ok;
  bad_action.replace(bad_action.find("<action>ADD"), 11, "<action>ADDD");
  EXPECT_EQ(xmlErr(ok + bad_action), "event 2 (ObjectEvent): action \"ADDD\" is not ADD, OBSERVE or DELETE");
  std::string bad_step = ok;
  bad_step.replace(bad_step.find("commissioning"), 13, "transforming");
  EXPECT_NE(xmlErr(bad_step).find("event 1 (ObjectEvent): bizStep \"urn:epcglobal:cbv:bizstep:transforming\" is not a CBV"),
            std::string::npos);
  EXPECT_EQ(xmlErr("<AggregationEvent><action>ADD</action></AggregationEvent>"),
            "event 1 (AggregationEvent): eventTime is missing");
}

TEST(EpcisXml, DocumentLevel) {
  EXPECT_NE(validateXml("<EPCISDocument><EPCISBody>", nullptr).message().find("not well-formed XML"), std::string::npos);
  EXPECT_NE(validateXml("<batch/>", nullptr).message().find("not an EPCISDocument"), std::string::npos);
}

TEST(EpcisConnectors, DetectByContent) {
  Connector j = epcisJsonConnector(), x = epcisXmlConnector();
  EXPECT_EQ(j.name, "epcis-json");
  EXPECT_EQ(x.name, "epcis-xml");
  EXPECT_EQ(j.detect("a.json", "{\n  \"@context\": [], \"type\": \"EPCISDocument\""), Match::kByContent);
  EXPECT_EQ(j.detect("a.json", "{\"$schema\": \"x\", \"EPCISDocument\": {}}"), Match::kNo);
  EXPECT_EQ(j.detect("a.json", "{\"batches\": []}"), Match::kNo);
  EXPECT_EQ(x.detect("a.xml", "<?xml version=\"1.0\"?>\n<epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:2\">"),
            Match::kByContent);
  EXPECT_EQ(x.detect("a.xml", "<?xml version=\"1.0\"?><BatchInformation/>"), Match::kNo);
  Document d;
  EXPECT_EQ(j.mappings(d), std::vector<std::string>{"epcis/epcis-json.ttl"});
  EXPECT_EQ(x.mappings(d), std::vector<std::string>{"epcis/epcis-xml.ttl"});
}

// Detection scans the head without std::regex (64 KiB of white space after
// "type" overflowed its stack), with the same answers.
TEST(EpcisDetect, JsonAndXmlRootsWithoutRegex) {
  const Connector* json = find("epcis-json");
  const Connector* xml = find("epcis-xml");
  ASSERT_NE(json, nullptr);
  ASSERT_NE(xml, nullptr);
  EXPECT_EQ(json->detect("a.json", "{\"type\" :\n \"EPCISDocument\"}"), Match::kByContent);
  EXPECT_EQ(json->detect("a.json", "{\"type\":\"EPCISQueryDocument\"}"), Match::kByContent);
  EXPECT_EQ(json->detect("a.json", "{\"type\":\"EPCISDocuments\"}"), Match::kNo);
  EXPECT_EQ(json->detect("a.json", "{\"kind\":\"EPCISDocument\"}"), Match::kNo);
  std::string spaces = "{\"type\"" + std::string(65000, ' ');
  EXPECT_EQ(json->detect("a.json", spaces), Match::kNo);
  EXPECT_EQ(json->detect("a.json", spaces + ":\"EPCISDocument\""), Match::kByContent);

  EXPECT_EQ(xml->detect("a.xml", "<?xml version=\"1.0\"?>\n<epcis:EPCISDocument xmlns:epcis=\"x\">"),
            Match::kByContent);
  EXPECT_EQ(xml->detect("a.xml", "<EPCISQueryDocument>"), Match::kByContent);
  EXPECT_EQ(xml->detect("a.xml", "<q_1.a-b:EPCISDocument/>"), Match::kByContent);
  EXPECT_EQ(xml->detect("a.xml", "<1q:EPCISDocument>"), Match::kNo);
  EXPECT_EQ(xml->detect("a.xml", "<EPCISDocumentList>"), Match::kNo);
  EXPECT_EQ(xml->detect("a.xml", "<x EPCISDocument>"), Match::kNo);
  EXPECT_EQ(xml->detect("a.xml", "<" + std::string(65000, 'a') + ":EPCISDocument>"), Match::kByContent);
}

TEST(EpcisJson, RefusesDeepNesting) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string e = objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"ex:x\": " + deep);
  std::string message = err(doc(e));
  EXPECT_NE(message.find("JSON nested 513 levels deep (at most 512)"), std::string::npos) << message.substr(0, 200);
  std::string shallow = objectEvent("\"action\": \"ADD\", " + kEpcs + ", \"ex:x\": [[1]]");
  EXPECT_EQ(err(doc(shallow)), "");
}

}  // namespace
}  // namespace weft::connectors::epcis
