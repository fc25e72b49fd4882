// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/message.h"

#include <gtest/gtest.h>

#include "engine/stream/mqtt_client.h"

namespace weft::stream {
namespace {

TEST(StreamMessage, DecodesOneSampleOrAnArray) {
  auto one = decodeSamples(R"({"tag": "TT-101", "ts": "2026-03-03T08:15:00Z", "value": 37.25, "quality": "Good"})");
  ASSERT_TRUE(one.isOk()) << one.status().toString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].tag, "TT-101");
  EXPECT_EQ((*one)[0].ts, 1772525700000);
  ASSERT_TRUE((*one)[0].value);
  EXPECT_DOUBLE_EQ(*(*one)[0].value, 37.25);
  EXPECT_EQ((*one)[0].quality, "Good");

  auto many = decodeSamples(R"([{"tag": "A", "ts": 1000, "value": 1},
                                {"tag": "B", "ts": "2026-03-03T09:15:00+01:00", "value": null, "quality": 0},
                                {"tag": "C", "ts": 5, "value": -2.5e3, "quality": "0x40000000"}])");
  ASSERT_TRUE(many.isOk()) << many.status().toString();
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[0].quality, "Good");  // quality left out: Good
  EXPECT_EQ((*many)[0].ts, 1000);
  EXPECT_EQ((*many)[1].ts, 1772525700000);  // the offset is applied
  EXPECT_EQ((*many)[1].quality, "Bad");     // OPC DA 0
  EXPECT_FALSE((*many)[1].value);
  EXPECT_EQ((*many)[2].quality, "Uncertain");  // OPC UA 0x40000000
}

TEST(StreamMessage, RefusesMalformedSamplesWithTheReason) {
  auto why = [](const char* payload) {
    auto r = decodeSamples(payload);
    return r.isOk() ? std::string("accepted") : r.status().message();
  };
  EXPECT_NE(why("{\"tag\": \"A\", \"ts\": 1").find("not JSON"), std::string::npos);
  EXPECT_NE(why(R"({"tag": "A", "ts": 1, "value": 1} trailing)").find("not JSON"), std::string::npos);
  EXPECT_NE(why(R"({"ts": 1, "value": 1})").find("'tag'"), std::string::npos);
  EXPECT_NE(why(R"({"tag": "A", "ts": "2026-03-03T08:15:00", "value": 1})").find("time zone"), std::string::npos);
  EXPECT_NE(why(R"({"tag": "A", "ts": 1, "value": "hot"})").find("'value' must be a number"), std::string::npos);
  EXPECT_NE(why(R"({"tag": "A", "ts": 1})").find("'value' is missing"), std::string::npos);  // Good needs a value
  EXPECT_NE(why(R"({"tag": "A", "ts": 1, "value": 1, "quality": "Excellent"})").find("OPC quality"), std::string::npos);
  EXPECT_NE(why(R"([{"tag": "A", "ts": 1, "value": 1}, {"tag": "B", "value": 1}])").find("sample 2: 'ts'"),
            std::string::npos);
  EXPECT_NE(why("[]").find("empty"), std::string::npos);
  EXPECT_NE(why("42").find("not a JSON object"), std::string::npos);
}

TEST(StreamMessage, IdempotencyKeys) {
  const std::string p1 = R"({"id": "evt-1", "tag": "A", "ts": 1, "value": 1})";
  const std::string p2 = R"({"id": "evt-1", "tag": "A", "ts": 1, "value": 2})";  // same id, other bytes
  EXPECT_EQ(messageKey("t", p1, "").size(), 32u);
  EXPECT_EQ(messageKey("t", p1, ""), messageKey("t", p1, ""));      // a redelivery
  EXPECT_NE(messageKey("t", p1, ""), messageKey("t", p2, ""));      // other bytes
  EXPECT_NE(messageKey("t", p1, ""), messageKey("u", p1, ""));      // other topic
  EXPECT_EQ(messageKey("t", p1, "id"), messageKey("t", p2, "id"));  // the id decides
  EXPECT_NE(messageKey("t", p1, "id"), messageKey("t", p1, ""));
  EXPECT_EQ(messageKey("t", "not json", "id"), messageKey("t", "not json", ""));  // no id: the bytes
  EXPECT_EQ(messageIri("ab"), "urn:weft:stream:message:ab");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(StreamMessage, PayloadPrefixIsValidUtf8) {
  EXPECT_EQ(payloadPrefix("hello", 3), "hel");
  EXPECT_EQ(payloadPrefix("a\x01"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(payloadPrefix("\xFF\xFE"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(payloadPrefix("\xC3\xA9t\xC3\xA9", 4), "\xC3\xA9t");                     // not cut inside a character
  EXPECT_EQ(payloadPrefix("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST(StreamMqtt, WireFormat) {
  std::string s;
  mqtt::putLength(&s, 321);
  EXPECT_EQ(s, std::string("\xC1\x02", 2));
  uint32_t n = 0;
  EXPECT_EQ(mqtt::getLength(s, &n), 2);
  EXPECT_EQ(n, 321u);
  EXPECT_EQ(mqtt::getLength(std::string("\xC1", 1), &n), 0);  // incomplete
  EXPECT_EQ(mqtt::getLength(std::string("\xFF\xFF\xFF\xFF\x01", 5), &n), -1);
  s.clear();
  mqtt::putLength(&s, 268435455);
  EXPECT_EQ(mqtt::getLength(s, &n), 4);
  EXPECT_EQ(n, 268435455u);

  // CONNECT, clean session off, keep-alive 30, client id "w".
  EXPECT_EQ(mqtt::connectPacket("w", 30, false), std::string("\x10\x0D\x00\x04MQTT\x04\x00\x00\x1E\x00\x01w", 15));
  EXPECT_EQ(mqtt::pubackPacket(0x1234), std::string("\x40\x02\x12\x34", 4));
  EXPECT_EQ(mqtt::subscribePacket(1, {"a/#"}, 1), std::string("\x82\x08\x00\x01\x00\x03"
                                                              "a/#\x01",
                                                              10));

  Message m;
  ASSERT_TRUE(mqtt::parsePublish(0x0A, std::string("\x00\x03t/a\x00\x07hi", 9), &m).isOk());  // QoS 1, DUP
  EXPECT_EQ(m.topic, "t/a");
  EXPECT_EQ(m.packet_id, 7);
  EXPECT_TRUE(m.duplicate_flag);
  EXPECT_EQ(m.payload, "hi");
  ASSERT_TRUE(mqtt::parsePublish(0x00, std::string("\x00\x01tX", 4), &m).isOk());  // QoS 0: no packet id
  EXPECT_EQ(m.packet_id, 0);
  EXPECT_EQ(m.payload, "X");
  EXPECT_FALSE(mqtt::parsePublish(0x02, std::string("\x00\x05t", 3), &m).isOk());
  EXPECT_FALSE(mqtt::parsePublish(0x06, std::string("\x00\x01t\x00\x01", 5), &m).isOk());  // QoS 3
}

TEST(StreamMqtt, BrokerUrls) {
  auto a = parseBrokerUrl("mqtt://127.0.0.1:18830");
  ASSERT_TRUE(a.isOk());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 18830);
  auto b = parseBrokerUrl("mqtt://broker.local");
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(b->port, 1883);
  auto c = parseBrokerUrl("mqtt://[::1]:1884");
  ASSERT_TRUE(c.isOk());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 1884);
  EXPECT_FALSE(parseBrokerUrl("http://x:1").isOk());
  EXPECT_FALSE(parseBrokerUrl("mqtts://x:8883").isOk());
  EXPECT_FALSE(parseBrokerUrl("mqtt://x:99999").isOk());
  EXPECT_FALSE(parseBrokerUrl("mqtt://x:").isOk());
  EXPECT_FALSE(parseBrokerUrl("mqtt://user@x").isOk());
}

}  // namespace
}  // namespace weft::stream
