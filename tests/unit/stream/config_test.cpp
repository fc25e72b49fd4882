// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/config.h"

#include <gtest/gtest.h>

namespace weft::stream {
namespace {

TEST(StreamConfig, ParsesRoutesAndLimits) {
  auto c = parseConfig(R"({"client_id": "plant-a", "batch_max_messages": 50, "batch_max_ms": 20,
      "queue_max_messages": 300, "routes": [
        {"topic": "plant/+/samples/#", "kind": "historian-samples", "id_field": "id"},
        {"topic": "plant/mes/#", "kind": "mes"},
        {"topic": "plant/epcis/#", "kind": "epcis", "connector": "epcis-json"}]})",
                       "c.json");
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->client_id, "plant-a");
  EXPECT_EQ(c->batch_max_messages, 50u);
  EXPECT_EQ(c->batch_max_ms, 20u);
  EXPECT_EQ(c->queue_max_messages, 300u);
  ASSERT_EQ(c->routes.size(), 3u);
  EXPECT_EQ(c->routes[0].kind, Kind::kHistorianSamples);
  EXPECT_EQ(c->routes[0].id_field, "id");
  EXPECT_EQ(c->routes[2].connector, "epcis-json");
  EXPECT_EQ(routeFor(*c, "plant/a/samples/TT-1"), &c->routes[0]);
  EXPECT_EQ(routeFor(*c, "plant/mes"), &c->routes[1]);
  EXPECT_EQ(routeFor(*c, "other/x"), nullptr);
}

TEST(StreamConfig, RefusesMistakes) {
  auto msg = [](const char* json) {
    auto c = parseConfig(json, "c.json");
    return c.isOk() ? std::string("accepted") : c.status().message();
  };
  EXPECT_NE(msg(R"({"routes": [{"topic": "a/#", "kind": "mes"}], "batch_max_msgs": 3})").find("unknown key"),
            std::string::npos);
  EXPECT_NE(msg(R"({"routes": []})").find("non-empty array"), std::string::npos);
  EXPECT_NE(msg(R"({"client_id": "x"})").find("\"routes\" is missing"), std::string::npos);
  EXPECT_NE(msg(R"({"routes": [{"topic": "a/b#", "kind": "mes"}]})").find("not an MQTT topic filter"),
            std::string::npos);
  EXPECT_NE(msg(R"({"routes": [{"topic": "a", "kind": "bogus"}]})").find("kind 'bogus'"), std::string::npos);
  EXPECT_NE(msg(R"({"routes": [{"topic": "a"}]})").find("\"kind\" is missing"), std::string::npos);
  EXPECT_NE(msg(R"({"routes": [{"topic": "a", "kind": "mes"}, {"topic": "a", "kind": "epcis"}]})").find("twice"),
            std::string::npos);
  EXPECT_NE(msg(R"({"routes": [{"topic": "a", "kind": "mes"}], "batch_max_messages": 0})").find("from 1"),
            std::string::npos);
  EXPECT_NE(msg("{not json").find("offset"), std::string::npos);
}

TEST(StreamConfig, TopicFilters) {
  EXPECT_TRUE(validFilter("a/+/c"));
  EXPECT_TRUE(validFilter("#"));
  EXPECT_TRUE(validFilter("a/#"));
  EXPECT_FALSE(validFilter("a/#/c"));
  EXPECT_FALSE(validFilter("a+/c"));
  EXPECT_FALSE(validFilter(""));
  EXPECT_TRUE(topicMatches("a/+/c", "a/b/c"));
  EXPECT_FALSE(topicMatches("a/+/c", "a/b/d"));
  EXPECT_FALSE(topicMatches("a/+", "a/b/c"));
  EXPECT_TRUE(topicMatches("a/#", "a"));
  EXPECT_TRUE(topicMatches("a/#", "a/b/c"));
  EXPECT_TRUE(topicMatches("+/+", "a/"));
  EXPECT_FALSE(topicMatches("#", "$SYS/x"));
  EXPECT_TRUE(topicMatches("$SYS/#", "$SYS/x"));
  EXPECT_FALSE(topicMatches("a/b", "a/b/c"));
}

}  // namespace
}  // namespace weft::stream
