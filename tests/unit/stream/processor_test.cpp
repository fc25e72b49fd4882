// SPDX-License-Identifier: Apache-2.0
// The batch commit of weft stream without a broker: samples to the
// historian's table, documents through their connector, dead letters,
// duplicates (engine/stream/processor.h).
#include "engine/stream/processor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "connectors/historian/historian.h"

namespace weft::stream {
namespace {

namespace fs = std::filesystem;

constexpr const char* kConfig = R"({"routes": [
  {"topic": "plant/samples/#", "kind": "historian-samples"},
  {"topic": "plant/mes/#", "kind": "mes"},
  {"topic": "plant/epcis/#", "kind": "epcis"}]})";

const char* kEpcis = R"({
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-09-12T23:59:00.000Z",
  "epcisBody": {"eventList": [{
    "type": "ObjectEvent", "eventID": "urn:uuid:23283488-1285-42e9-860c-11aea3cbbcd4",
    "eventTime": "2025-09-12T12:56:00.000Z", "eventTimeZoneOffset": "-04:00", "epcList": [],
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:030001.0200201.A400-25-021", "quantity": 4958}],
    "action": "ACTION", "bizStep": "commissioning", "disposition": "active",
    "readPoint": {"id": "urn:epc:id:sgln:030001.000010.0"}}]}})";

std::string epcis(const std::string& action) {
  std::string s = kEpcis;
  s.replace(s.find("ACTION"), 6, action);
  return s;
}

class StreamProcessor : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weft-stream-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto s = store::Store::open(dir_.string(), store::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.isOk()) << s.status().toString();
    store_ = std::move(s.value());
    auto c = parseConfig(kConfig, "test");
    ASSERT_TRUE(c.isOk());
    config_ = c.value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  static Message msg(const std::string& topic, const std::string& payload) {
    Message m;
    m.topic = topic;
    m.payload = payload;
    m.received = std::chrono::steady_clock::now();
    m.received_wall = std::chrono::system_clock::now();
    return m;
  }
  uint64_t rows(const std::string& doc = "") {
    auto n = connectors::historian::countRows((dir_ / "timeseries.sqlite").string(), doc);
    return n.isOk() ? n.value() : 999999;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  Config config_;
};

TEST_F(StreamProcessor, SamplesStoredMalformedDeadLetteredRedeliveryOnlyRecognised) {
  Processor p(store_.get(), config_);
  std::vector<Message> batch = {
      msg("plant/samples/TT-1", R"({"tag": "TT-1", "ts": "2026-03-03T08:15:00Z", "value": 5.5})"),
      msg("plant/samples/TT-1",
          R"([{"tag": "TT-1", "ts": 1000, "value": 1}, {"tag": "TT-2", "ts": 1000, "value": 2}])"),
      msg("plant/samples/TT-1", R"({"tag": "TT-1", "ts": "yesterday", "value": 5.5})"),
      msg("plant/samples/TT-1", "\xFF\xFE garbage"),
      msg("elsewhere/x", "{}"),
  };
  auto r = p.process(batch);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->stored, 2u);
  EXPECT_EQ(r->dead_lettered, 3u);
  EXPECT_EQ(r->duplicates, 0u);
  EXPECT_EQ(r->samples, 3u);
  EXPECT_EQ(rows(), 3u);
  EXPECT_EQ(rows("mqtt:" + messageKey(batch[1].topic, batch[1].payload, "")), 2u);
  EXPECT_NE(r->reasons[2].find("'ts'"), std::string::npos) << r->reasons[2];
  EXPECT_NE(r->reasons[3].find("not JSON"), std::string::npos) << r->reasons[3];
  EXPECT_NE(r->reasons[4].find("no route"), std::string::npos) << r->reasons[4];
  LedgerCounts c = countLedger(*store_);
  EXPECT_EQ(c.stored, 2u);
  EXPECT_EQ(c.dead_lettered, 3u);

  // The same messages again (the broker redelivering after a crash before
  // the acknowledgement): recognised, nothing written, nothing doubled.
  Processor again(store_.get(), config_);
  auto r2 = again.process(batch);
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(r2->duplicates, 5u);
  EXPECT_EQ(r2->stored + r2->dead_lettered, 0u);
  EXPECT_EQ(r2->quads, 0u);
  EXPECT_EQ(rows(), 3u);
  c = countLedger(*store_);
  EXPECT_EQ(c.stored, 2u);
  EXPECT_EQ(c.dead_lettered, 3u);
}

TEST_F(StreamProcessor, DuplicateInsideOneBatch) {
  Processor p(store_.get(), config_);
  const std::string s = R"({"tag": "TT-9", "ts": 2000, "value": 3})";
  auto r = p.process({msg("plant/samples/a", s), msg("plant/samples/a", s), msg("plant/samples/b", s)});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->stored, 2u);  // same bytes on another topic is another message
  EXPECT_EQ(r->duplicates, 1u);
  EXPECT_EQ(rows(), 2u);
}

// The crash window between the table's commit and the store's: the rows are
// in the table, the store does not know the messages. Handling them again
// (the broker redelivers them) replaces the rows instead of doubling them.
TEST_F(StreamProcessor, RowsWrittenBeforeACrashAreReplacedNotDoubled) {
  std::vector<Message> batch = {
      msg("plant/samples/a", R"([{"tag": "A", "ts": 1, "value": 1}, {"tag": "A", "ts": 2, "value": 2}])"),
      msg("plant/samples/b", R"({"tag": "B", "ts": 1, "value": 1})")};
  {
    Processor p(store_.get(), config_);
    ASSERT_TRUE(p.process(batch).isOk());
  }
  ASSERT_EQ(rows(), 3u);
  // A second store that never committed the batch, with the first one's table.
  const fs::path other = dir_.string() + "-other";
  fs::remove_all(other);
  {
    auto s = store::Store::open(other.string(), store::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.isOk());
    fs::copy_file(dir_ / "timeseries.sqlite", other / "timeseries.sqlite");
    Processor p(s.value().get(), config_);
    auto r = p.process(batch);
    ASSERT_TRUE(r.isOk()) << r.status().toString();
    EXPECT_EQ(r->stored, 2u);
    EXPECT_EQ(r->duplicates, 0u);
  }
  auto n = connectors::historian::countRows((other / "timeseries.sqlite").string(), "");
  ASSERT_TRUE(n.isOk());
  EXPECT_EQ(n.value(), 3u);
  fs::remove_all(other);
}

TEST_F(StreamProcessor, EpcisDocumentThroughItsConnector) {
  Processor p(store_.get(), config_);
  const std::string good = epcis("ADD");
  auto r = p.process({msg("plant/epcis/dc1", good), msg("plant/epcis/dc1", epcis("ADDD"))});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->stored, 1u);
  EXPECT_EQ(r->documents, 1u);
  ASSERT_EQ(r->dead_lettered, 1u);
  EXPECT_NE(r->reasons[1].find("epcis-json"), std::string::npos) << r->reasons[1];
  EXPECT_NE(r->reasons[1].find("ADDD"), std::string::npos) << r->reasons[1];
  // The document's graph, as weft ingest names it, holds the event.
  auto snap = store_->snapshot();
  const std::string graph = "https://w3id.org/weft/doc/" + sha256Hex(good);
  store::TermId g = snap->lookup(rdf::TermView::iri(graph));
  ASSERT_NE(g, 0u);
  EXPECT_GT(snap->count(store::QuadIds{store::kAny, store::kAny, store::kAny, g}), 3u);
  store::TermId event = snap->lookup(rdf::TermView::iri("urn:uuid:23283488-1285-42e9-860c-11aea3cbbcd4"));
  ASSERT_NE(event, 0u);
  EXPECT_GT(snap->count(store::QuadIds{event, store::kAny, store::kAny, g}), 0u);
  // The same document on another topic: a new message, no second graph.
  auto r2 = p.process({msg("plant/epcis/dc2", good)});
  ASSERT_TRUE(r2.isOk());
  EXPECT_EQ(r2->stored, 1u);
  EXPECT_EQ(r2->documents, 0u);
  EXPECT_EQ(countLedger(*store_).stored, 2u);
}

TEST_F(StreamProcessor, MesMessageThroughTheB2mmlConnector) {
  std::ifstream in(std::string(WEFT_SOURCE_DIR) + "/tests/data/mes/v0700-equipment.xml", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string xml = ss.str();
  ASSERT_FALSE(xml.empty());
  Processor p(store_.get(), config_);
  auto r = p.process({msg("plant/mes/equipment", xml), msg("plant/mes/equipment", xml.substr(0, xml.size() / 2))});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->stored, 1u);
  EXPECT_EQ(r->documents, 1u);
  EXPECT_EQ(r->dead_lettered, 1u);  // cut in the middle: not well-formed
  EXPECT_NE(r->reasons[1].find("b2mml"), std::string::npos) << r->reasons[1];
  auto snap = store_->snapshot();
  store::TermId g = snap->lookup(rdf::TermView::iri("https://w3id.org/weft/doc/" + sha256Hex(xml)));
  ASSERT_NE(g, 0u);
  EXPECT_GT(snap->count(store::QuadIds{store::kAny, store::kAny, store::kAny, g}), 5u);
}

}  // namespace
}  // namespace weft::stream
