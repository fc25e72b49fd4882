// SPDX-License-Identifier: Apache-2.0
// The historian connector (connectors/historian): the strict sample and tag
// dictionary readers, the summary and excursion arithmetic against
// hand-computed values, and the samples step end to end on a store holding
// the fixture's tags and phase runs (tests/data/historian): the summaries,
// the excursions, the SQLite rows, and that a failure leaves the table as it
// was.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "connectors/api/connector.h"
#include "connectors/historian/historian.h"
#include "connectors/registry.h"
#include "engine/db/database.h"
#include "engine/map/executor.h"
#include "engine/map/loader.h"
#include "engine/rdf/syntax.h"
#include "engine/sparql/results.h"
#include "engine/store/store.h"

namespace weft::connectors::historian {
namespace {

namespace fs = std::filesystem;

const std::string kData = std::string(WEFT_SOURCE_DIR) + "/tests/data/historian";
const std::string kDt = "https://w3id.org/weft/dt#";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t at(const char* ts) { return parseTimestamp(ts).value(); }

Sample good(const char* ts, double v) {
  Sample s;
  s.ts = at(ts);
  s.value = v;
  return s;
}
Sample withQuality(const char* ts, double v, Quality q) {
  Sample s = good(ts, v);
  s.quality = q;
  return s;
}

// ---- readers ----

TEST(HistorianParse, Timestamps) {
  EXPECT_EQ(parseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseTimestamp("1970-01-01T00:00:01.250Z"), 1250);
  EXPECT_EQ(parseTimestamp("2025-03-03T08:15:00.000Z"), int64_t{1740989700} * 1000);
  EXPECT_EQ(parseTimestamp("2025-03-03T09:15:00.000+01:00"), parseTimestamp("2025-03-03T08:15:00Z"));
  EXPECT_EQ(parseTimestamp("2025-03-03T03:15:00-05:00"), parseTimestamp("2025-03-03T08:15:00Z"));
  EXPECT_EQ(parseTimestamp("2024-02-29T00:00:00Z"), int64_t{1709164800} * 1000);
  EXPECT_FALSE(parseTimestamp("2025-02-29T00:00:00Z"));   // not a leap year
  EXPECT_FALSE(parseTimestamp("2025-13-01T00:00:00Z"));
  EXPECT_FALSE(parseTimestamp("2025-03-03T24:00:00Z"));
  EXPECT_FALSE(parseTimestamp("2025-03-03T08:15:00"));    // no time zone
  EXPECT_FALSE(parseTimestamp("2025-03-03T08:15:00.Z"));
  EXPECT_FALSE(parseTimestamp("2025-03-03T08:15:00Zx"));
  EXPECT_FALSE(parseTimestamp("03/03/2025 08:15"));
  EXPECT_EQ(formatTimestamp(at("2025-03-03T08:15:00Z")), "2025-03-03T08:15:00Z");
  EXPECT_EQ(formatTimestamp(at("2025-12-31T23:59:59.007Z")), "2025-12-31T23:59:59.007Z");
  EXPECT_EQ(formatTimestamp(at("1969-12-31T23:59:59.500Z")), "1969-12-31T23:59:59.500Z");
}

TEST(HistorianParse, Quality) {
  EXPECT_EQ(parseQuality("Good"), Quality::kGood);
  EXPECT_EQ(parseQuality("GOOD"), Quality::kGood);
  EXPECT_EQ(parseQuality("Uncertain"), Quality::kUncertain);
  EXPECT_EQ(parseQuality("bad"), Quality::kBad);
  EXPECT_EQ(parseQuality("192"), Quality::kGood);      // OPC DA 0xC0
  EXPECT_EQ(parseQuality("216"), Quality::kGood);      // Good, local override
  EXPECT_EQ(parseQuality("64"), Quality::kUncertain);
  EXPECT_EQ(parseQuality("0"), Quality::kBad);
  EXPECT_EQ(parseQuality("0x00000000"), Quality::kGood);
  EXPECT_EQ(parseQuality("0x40000000"), Quality::kUncertain);
  EXPECT_EQ(parseQuality("0x80000000"), Quality::kBad);
  EXPECT_FALSE(parseQuality("0xC0000000"));  // reserved severity
  EXPECT_FALSE(parseQuality("128"));         // not an OPC DA quality
  EXPECT_FALSE(parseQuality("256"));
  EXPECT_FALSE(parseQuality("Fine"));
  EXPECT_FALSE(parseQuality(""));
}

TEST(HistorianParse, Samples) {
  auto r = parseSamples(
      "tag,timestamp,value,quality\r\n"
      "A,2025-03-03T08:00:00.000Z,36.62,Good\r\n"
      "\r\n"
      "\"B,1\",2025-03-03T08:01:00+01:00,-1e2,0x00000000\r\n"
      "A,2025-03-03T08:02:00Z,,Bad\r\n",
      "t.csv");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const std::vector<Sample>& v = r->samples;
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(r->tags, (std::vector<std::string>{"A", "B,1"}));
  EXPECT_EQ(v[0].tag, 0u);
  EXPECT_DOUBLE_EQ(v[0].value, 36.62);
  EXPECT_EQ(v[0].line, 2u);
  EXPECT_EQ(v[1].tag, 1u);
  EXPECT_EQ(v[1].ts, at("2025-03-03T07:01:00Z"));
  EXPECT_DOUBLE_EQ(v[1].value, -100);
  EXPECT_EQ(v[1].line, 4u);
  EXPECT_EQ(v[2].tag, 0u);
  EXPECT_FALSE(v[2].has_value);
  EXPECT_EQ(v[2].quality, Quality::kBad);
}

TEST(HistorianParse, SampleErrorsNameFileLineAndReason) {
  const std::string head = "tag,timestamp,value,quality\nA,2025-03-03T08:00:00Z,1,Good\n";
  auto err = [&](const std::string& bad) {
    auto r = parseSamples(head + bad, "timeseries_202503.csv");
    return r.isOk() ? std::string("accepted") : r.status().message();
  };
  EXPECT_EQ(err("A,2025-03-03 08:01,1,Good\n"),
            "timeseries_202503.csv:3: bad timestamp '2025-03-03 08:01' (expected e.g. 2025-03-03T08:15:00.000Z)");
  EXPECT_EQ(err("A,2025-03-03T08:01:00Z,12,5,Good\n"), "timeseries_202503.csv:3: 5 fields where the header has 4");
  EXPECT_EQ(err("A,2025-03-03T08:01:00Z,abc,Good\n"), "timeseries_202503.csv:3: non-numeric value 'abc'");
  EXPECT_EQ(err("A,2025-03-03T08:01:00Z,nan,Good\n"), "timeseries_202503.csv:3: non-numeric value 'nan'");
  EXPECT_NE(err("A,2025-03-03T08:01:00Z,1,OK\n").find("timeseries_202503.csv:3: unknown quality 'OK'"),
            std::string::npos);
  EXPECT_EQ(err("A,2025-03-03T08:01:00Z,,Good\n"), "timeseries_202503.csv:3: a Good sample without a value");
  EXPECT_EQ(err(",2025-03-03T08:01:00Z,1,Good\n"), "timeseries_202503.csv:3: empty tag");
  EXPECT_EQ(err("A,2025-03-03T08:01:00Z,\"1,Good\n"), "timeseries_202503.csv:3: a quoted field is not closed");
  auto nohead = parseSamples("tag,time,value,quality\n", "x.csv");
  ASSERT_FALSE(nohead.isOk());
  EXPECT_EQ(nohead.status().message(), "x.csv:1: the header must name the columns tag, timestamp, value and quality");
}

TEST(HistorianParse, TagDictionary) {
  auto r = parseTags(slurp(kData + "/aurelian/historian/tags.csv"), "tags.csv");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].tag, "BR-201.TT-001.PV");
  EXPECT_EQ((*r)[0].equipment_id, "BR-201");
  EXPECT_EQ((*r)[0].low, 36.0);
  EXPECT_EQ((*r)[0].high, 37.5);
  EXPECT_EQ((*r)[0].interval_s, 60.0);
  EXPECT_EQ((*r)[2].cpp_id, "");
  EXPECT_EQ(qudtUnit("Cel", "CEL"), "http://qudt.org/vocab/unit/DEG_C");
  EXPECT_EQ(qudtUnit("[pH]", ""), "http://qudt.org/vocab/unit/PH");
  EXPECT_EQ(qudtUnit("", "KWH"), "http://qudt.org/vocab/unit/KiloW-HR");
  EXPECT_EQ(qudtUnit("/min", "RPM"), "http://qudt.org/vocab/unit/REV-PER-MIN");  // UN/CEFACT is more specific
  EXPECT_EQ(qudtUnit("/min", ""), "http://qudt.org/vocab/unit/PER-MIN");
  EXPECT_EQ(qudtUnit("1", ""), "http://qudt.org/vocab/unit/UNITLESS");
  EXPECT_EQ(qudtUnit("furlong", "XYZ"), "");

  const std::string head = "tag,description,equipment_id,property,unit_ucum,unit_unece,sample_interval_s,low,high,cpp_id\n";
  auto err = [&](const std::string& rows) {
    auto t = parseTags(head + rows, "tags.csv");
    return t.isOk() ? std::string("accepted") : t.status().message();
  };
  EXPECT_EQ(err("A,d,E,temperature,Cel,CEL,60,8,2,\n"), "tags.csv:2: low is above high");
  EXPECT_EQ(err("A,d,E,temperature,Cel,CEL,60,x,8,\n"), "tags.csv:2: low 'x' is not a number");
  EXPECT_EQ(err("A,d,E,temperature,Cel,CEL,-60,2,8,\n"), "tags.csv:2: sample_interval_s is negative");
  // An absurd interval would overflow the millisecond arithmetic.
  EXPECT_EQ(err("A,d,E,temperature,Cel,CEL,1e300,2,8,\n"), "tags.csv:2: sample_interval_s is more than a year");
  auto on_change = parseTags(head + "A,state,E,machine state,1,,0,,,\n", "tags.csv");  // written on change
  ASSERT_TRUE(on_change.isOk()) << on_change.status().message();
  EXPECT_FALSE((*on_change)[0].interval_s);
  EXPECT_EQ(err("A,d,E,t,Cel,CEL,60,2,8,\nA,d,E,t,Cel,CEL,60,2,8,\n"), "tags.csv:3: tag 'A' is listed twice");
  EXPECT_NE(err("A,d,E,length,furlong,,60,,,\n").find("tags.csv:2: unit 'furlong' / '' has no QUDT unit"),
            std::string::npos);
  auto missing = parseTags("tag,description,equipment_id\n", "tags.csv");
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().message(), "tags.csv:1: the header has no column property");
}

TEST(HistorianParse, OrganisationFromPath) {
  EXPECT_EQ(orgOfPath("/tmp/pg/aurelian/historian/tags.csv"), "aurelian");
  EXPECT_EQ(orgOfPath("meridian/historian/timeseries_202501.csv"), "meridian");
  EXPECT_EQ(orgOfPath("/data/aurelian/copy/brightwater/historian/tags.csv"), "brightwater");
  EXPECT_EQ(orgOfPath("/tmp/aurelianx/tags.csv"), "");
  EXPECT_EQ(iriSegment("BR-201.TT-001.PV"), "BR-201.TT-001.PV");
  EXPECT_EQ(iriSegment("a b/c"), "a%20b%2Fc");
}

// ---- arithmetic ----

TEST(HistorianSummary, RegularSeries) {
  // 1-minute samples 08:00..08:09: 36, 37, 38, 39 (out), 40 (out), Bad 99,
  // 37, Uncertain 50, 37, 36. Good: 36 37 38 39 40 37 37 36, each standing
  // one minute (the Bad and Uncertain ones end the previous sample too).
  std::vector<Sample> v = {good("2025-03-03T08:00:00Z", 36), good("2025-03-03T08:01:00Z", 37),
                           good("2025-03-03T08:02:00Z", 38), good("2025-03-03T08:03:00Z", 39),
                           good("2025-03-03T08:04:00Z", 40), withQuality("2025-03-03T08:05:00Z", 99, Quality::kBad),
                           good("2025-03-03T08:06:00Z", 37),
                           withQuality("2025-03-03T08:07:00Z", 50, Quality::kUncertain),
                           good("2025-03-03T08:08:00Z", 37), good("2025-03-03T08:09:00Z", 36)};
  PhaseStats st = summarise(v, at("2025-03-03T08:00:00Z"), at("2025-03-03T08:10:00Z"), 35.0, 38.5, 60);
  EXPECT_EQ(st.count, 8u);
  EXPECT_DOUBLE_EQ(st.min, 36);
  EXPECT_DOUBLE_EQ(st.max, 40);
  EXPECT_DOUBLE_EQ(st.mean, (36 + 37 + 38 + 39 + 40 + 37 + 37 + 36) / 8.0);  // 37.5
  EXPECT_DOUBLE_EQ(st.minutes_out, 2);

  // A window of 08:02..08:05 sees 38, 39, 40.
  st = summarise(v, at("2025-03-03T08:02:00Z"), at("2025-03-03T08:05:00Z"), 35.0, 38.5, 60);
  EXPECT_EQ(st.count, 3u);
  EXPECT_DOUBLE_EQ(st.mean, 39);
  EXPECT_DOUBLE_EQ(st.minutes_out, 2);

  // Only a low limit: nothing is below 36.5 but the two 36s.
  st = summarise(v, at("2025-03-03T08:00:00Z"), at("2025-03-03T08:10:00Z"), 36.5, std::nullopt, 60);
  EXPECT_DOUBLE_EQ(st.minutes_out, 2);
}

TEST(HistorianSummary, CompressedSeriesIsTimeWeighted) {
  // Deadband-compressed: 10 at 08:00, 20 at 08:04, 30 at 08:30 (gap of 26
  // min; with a hold time of 10 min, 20 stands for 10 min), window
  // 08:00..08:35, high 15.
  // Weights: 10 for 4 min, 20 for 10 min, 30 for 1 interval (1 min, last).
  std::vector<Sample> v = {good("2025-03-03T08:00:00Z", 10), good("2025-03-03T08:04:00Z", 20),
                           good("2025-03-03T08:30:00Z", 30)};
  PhaseStats st = summarise(v, at("2025-03-03T08:00:00Z"), at("2025-03-03T08:35:00Z"), std::nullopt, 15.0, 60, 600);
  EXPECT_EQ(st.count, 3u);
  EXPECT_DOUBLE_EQ(st.mean, (10 * 4 + 20 * 10 + 30 * 1) / 15.0);  // 18
  EXPECT_DOUBLE_EQ(st.minutes_out, 11);
  // The window ends at 08:06: 20 stands for 2 minutes only.
  st = summarise(v, at("2025-03-03T08:00:00Z"), at("2025-03-03T08:06:00Z"), std::nullopt, 15.0, 60, 600);
  EXPECT_EQ(st.count, 2u);
  EXPECT_DOUBLE_EQ(st.mean, (10 * 4 + 20 * 2) / 6.0);
  EXPECT_DOUBLE_EQ(st.minutes_out, 2);
  // No Good sample in the window.
  st = summarise(v, at("2025-03-03T09:00:00Z"), at("2025-03-03T10:00:00Z"), std::nullopt, 15.0, 60);
  EXPECT_EQ(st.count, 0u);
  EXPECT_DOUBLE_EQ(st.minutes_out, 0);
}

TEST(HistorianExcursion, Runs) {
  // high 8: 08:00..08:20 above (5-min samples), 08:25 back in range.
  std::vector<Sample> v;
  const char* times[] = {"2025-03-03T08:00:00Z", "2025-03-03T08:05:00Z", "2025-03-03T08:10:00Z",
                         "2025-03-03T08:15:00Z", "2025-03-03T08:20:00Z", "2025-03-03T08:25:00Z"};
  double values[] = {9, 10.5, 9.2, 8.1, 9, 5};
  for (int i = 0; i < 6; ++i) v.push_back(good(times[i], values[i]));
  auto ex = findExcursions(v, 2.0, 8.0, 300, 15);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0].start, at("2025-03-03T08:00:00Z"));
  EXPECT_EQ(ex[0].end, at("2025-03-03T08:25:00Z"));
  EXPECT_DOUBLE_EQ(ex[0].minutes(), 25);
  EXPECT_DOUBLE_EQ(ex[0].extreme, 10.5);
  EXPECT_TRUE(ex[0].above);
  // At least 30 minutes: none.
  EXPECT_TRUE(findExcursions(v, 2.0, 8.0, 300, 30).empty());

  // A Bad sample splits the run: 08:00..08:10 (10 min) and 08:15..08:25 (10 min).
  v[2].quality = Quality::kBad;
  v[2].value = 99;
  EXPECT_TRUE(findExcursions(v, 2.0, 8.0, 300, 15).empty());
  ex = findExcursions(v, 2.0, 8.0, 300, 10);
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_EQ(ex[0].end, at("2025-03-03T08:10:00Z"));
  EXPECT_DOUBLE_EQ(ex[0].extreme, 10.5);
  EXPECT_EQ(ex[1].start, at("2025-03-03T08:15:00Z"));
  EXPECT_DOUBLE_EQ(ex[1].extreme, 9);

  // Below the low limit, running to the end of the data: last + one interval.
  std::vector<Sample> low = {good("2025-03-03T08:00:00Z", 5), good("2025-03-03T08:01:00Z", 1.5),
                             good("2025-03-03T08:02:00Z", 0.5)};
  ex = findExcursions(low, 2.0, 8.0, 60, 2);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_FALSE(ex[0].above);
  EXPECT_EQ(ex[0].start, at("2025-03-03T08:01:00Z"));
  EXPECT_EQ(ex[0].end, at("2025-03-03T08:03:00Z"));
  EXPECT_DOUBLE_EQ(ex[0].extreme, 0.5);

  // A gap longer than the hold time ends a run: 08:00 above, then nothing
  // until 09:00 (above again): with a 10-min hold, runs of 10 min and 1 min;
  // with the default (an hour), one run of 61 min.
  std::vector<Sample> gap = {good("2025-03-03T08:00:00Z", 9), good("2025-03-03T09:00:00Z", 9)};
  ex = findExcursions(gap, 2.0, 8.0, 60, 5, 600);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_DOUBLE_EQ(ex[0].minutes(), 10);
  ex = findExcursions(gap, 2.0, 8.0, 60, 5);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_DOUBLE_EQ(ex[0].minutes(), 61);
  // A cold room written every 30 minutes while flat (deadband): 08:00 and
  // 08:30 above, 09:00 back in range: one run of 60 min.
  std::vector<Sample> flat = {good("2025-03-03T08:00:00Z", 9), good("2025-03-03T08:30:00Z", 9.1),
                              good("2025-03-03T09:00:00Z", 5)};
  ex = findExcursions(flat, 2.0, 8.0, 300, 15);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_DOUBLE_EQ(ex[0].minutes(), 60);
  EXPECT_DOUBLE_EQ(ex[0].extreme, 9.1);
}

// ---- the samples step on a store ----

class GraphSink : public rdf::QuadSink {
 public:
  GraphSink(rdf::QuadSink& inner, std::string graph) : inner_(inner), graph_(std::move(graph)) {}
  Status quad(const rdf::QuadView& q) override {
    rdf::QuadView r = q;
    if (r.g.isNone()) r.g = rdf::TermView::iri(graph_);
    return inner_.quad(r);
  }

 private:
  rdf::QuadSink& inner_;
  std::string graph_;
};

class Collect : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView& q) override {
    quads.emplace_back(q);
    return Status::ok();
  }
  // object of (s, p), "" if none; "*" if several.
  std::string get(const std::string& s, const std::string& p) const {
    std::string out;
    for (const auto& q : quads)
      if (q.s.value == s && q.p.value == p) out = out.empty() ? q.o.value : "*";
    return out;
  }
  std::set<std::string> all(const std::string& s, const std::string& p) const {
    std::set<std::string> out;
    for (const auto& q : quads)
      if (q.s.value == s && q.p.value == p) out.insert(q.o.value);
    return out;
  }
  std::vector<rdf::Quad> quads;
};

// A sink that fails after `n` quads (an error in the graph part).
class FailAfter : public rdf::QuadSink {
 public:
  explicit FailAfter(int n) : n_(n) {}
  Status quad(const rdf::QuadView&) override {
    return --n_ < 0 ? Status::ioError("disk full (test)") : Status::ok();
  }

 private:
  int n_;
};

class HistorianStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weft-historian-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto s = store::Store::open((dir_ / "store").string(), store::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.isOk()) << s.status().message();
    store_ = std::move(s.value());
    auto txn = store_->begin();
    ASSERT_TRUE(txn.isOk());
    store::Loader loader(txn->get());
    loader.startDocument();
    // The MES-like phase runs, in a graph of their own.
    rdf::ReadOptions ro;
    ro.graph = "https://example.org/mes";
    ASSERT_TRUE(rdf::readFile(kData + "/phases.ttl", ro, loader).isOk());
    // The tag dictionary through the connector: its mapping and its after step.
    const Connector* tags = find("historian-tags");
    ASSERT_NE(tags, nullptr);
    Document doc;
    doc.path = kData + "/aurelian/historian/tags.csv";
    doc.name = "tags.csv";
    uint64_t records = 0;
    ASSERT_TRUE(tags->validate(doc, &records).isOk());
    EXPECT_EQ(records, 3u);
    GraphSink sink(loader, "https://example.org/tags");
    for (const std::string& rel : tags->mappings(doc)) {
      auto text = mappingText(rel, "");
      ASSERT_TRUE(text.isOk()) << text.status().message();
      map::LoadOptions lo;
      lo.input = doc.path;
      auto m = map::loadMappingText(text.value(), rel, fs::path(doc.path).parent_path().string(), lo);
      ASSERT_TRUE(m.isOk()) << m.status().message();
      map::RunStats stats;
      ASSERT_TRUE(map::runMapping(m.value(), map::RunOptions{}, sink, &stats).isOk());
    }
    ASSERT_TRUE(tags->after(doc, sink, &records).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
    sqlite_ = (dir_ / "store" / "timeseries.sqlite").string();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  Document samplesDoc(const std::string& path, const std::string& sha) {
    Document d;
    d.path = path;
    d.name = fs::path(path).filename().string();
    d.sha256 = sha;
    d.store_dir = (dir_ / "store").string();
    return d;
  }
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::string sqlite_;
};

TEST_F(HistorianStore, TagsInTheStore) {
  db::QueryRequest req;
  req.text =
      "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?eq ?unit ?low ?cpp WHERE { GRAPH ?g { "
      "<https://data.aurelian.example/tag/BR-201.TT-001.PV> a <http://www.w3.org/ns/sosa/Sensor> ; "
      "dt:onEquipment ?eq ; <http://qudt.org/schema/qudt/unit> ?unit ; dt:lowLimit ?low ; dt:monitorsParameter ?cpp } }";
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  ASSERT_TRUE(db::runQuery(*store_, req, out).isOk());
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][0].value, "https://data.aurelian.example/equipment/BR-201");
  EXPECT_EQ(rs.rows[0][1].value, "http://qudt.org/vocab/unit/DEG_C");
  EXPECT_EQ(rs.rows[0][2].value, "36.0");
  EXPECT_EQ(rs.rows[0][3].value, "https://data.aurelian.example/cpp/CPP-TEMP-PROD");
}

TEST_F(HistorianStore, SummariesExcursionsAndRows) {
  const std::string path = kData + "/aurelian/historian/timeseries_202503.csv";
  Collect out;
  uint64_t records = 0;
  Status st = ingestSamples(samplesDoc(path, "aaaa"), slurp(path), *store_, sqlite_, out, &records);
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_EQ(records, 107u);
  EXPECT_EQ(countRows(sqlite_, "aaaa").value(), 107u);

  const std::string base = "https://data.aurelian.example/";
  const std::string culture = base + "phase-summary/BR-201.TT-001.PV/DS-2025-001/PRODUCTION_CULTURE";
  // 08:00..08:59: 58 Good samples (one Bad, one Uncertain left out), 38 at
  // 36.5, 19 at 38.0 and one at 38.4; 20 of them above 37.5, a minute each.
  EXPECT_EQ(out.get(culture, kDt + "ofPhase"), base + "phase/DS-2025-001/PRODUCTION_CULTURE");
  EXPECT_EQ(out.get(culture, kDt + "ofTag"), base + "tag/BR-201.TT-001.PV");
  EXPECT_EQ(out.get(culture, kDt + "sampleCount"), "58");
  EXPECT_EQ(out.get(culture, kDt + "minValue"), "36.5");
  EXPECT_EQ(out.get(culture, kDt + "maxValue"), "38.4");
  EXPECT_EQ(out.get(culture, kDt + "meanValue"), "37.024138");  // 2147.4 / 58
  EXPECT_EQ(out.get(culture, kDt + "minutesOutOfRange"), "20.0");
  const std::string harvest = base + "phase-summary/BR-201.TT-001.PV/DS-2025-001/HARVEST";
  // 09:00..09:29: 25 at 36.5, 5 at 37.8 (above 37.5).
  EXPECT_EQ(out.get(harvest, kDt + "sampleCount"), "30");
  EXPECT_EQ(out.get(harvest, kDt + "meanValue"), "36.716667");  // 1101.5 / 30
  EXPECT_EQ(out.get(harvest, kDt + "minutesOutOfRange"), "5.0");
  // pH, compressed: 7.0 at 08:00 and 7.1 at 08:30, each standing 10 min.
  const std::string ph = base + "phase-summary/BR-201.PH-001.PV/DS-2025-001/PRODUCTION_CULTURE";
  EXPECT_EQ(out.get(ph, kDt + "sampleCount"), "2");
  EXPECT_EQ(out.get(ph, kDt + "meanValue"), "7.05");
  EXPECT_EQ(out.get(ph, kDt + "minutesOutOfRange"), "0.0");
  // BR-202's phase has no tag; the cold room has no phase.
  for (const auto& q : out.quads) {
    EXPECT_EQ(q.s.value.find("DS-2025-002"), std::string::npos) << q.s.value;
    EXPECT_EQ(q.s.value.find("phase-summary/CR-101"), std::string::npos) << q.s.value;
  }

  // One excursion on BR-201 (08:20..08:40, 20 min, peak 38.4); the 5-minute
  // one at 09:10 is too short. One on the cold room (10:00..10:30, 10.2).
  const std::string ex = base + "excursion/BR-201.TT-001.PV/2025-03-03T08:20:00Z";
  EXPECT_EQ(out.get(ex, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), kDt + "TemperatureExcursion");
  EXPECT_EQ(out.get(ex, kDt + "startTime"), "2025-03-03T08:20:00Z");
  EXPECT_EQ(out.get(ex, kDt + "endTime"), "2025-03-03T08:40:00Z");
  EXPECT_EQ(out.get(ex, kDt + "durationMinutes"), "20.0");
  EXPECT_EQ(out.get(ex, kDt + "extremeValue"), "38.4");
  EXPECT_EQ(out.get(ex, kDt + "onEquipment"), base + "equipment/BR-201");
  EXPECT_EQ(out.all(ex, kDt + "affects"), std::set<std::string>{base + "phase/DS-2025-001/PRODUCTION_CULTURE"});
  const std::string cold = base + "excursion/CR-101.TT-001.PV/2025-03-03T10:00:00Z";
  EXPECT_EQ(out.get(cold, kDt + "durationMinutes"), "30.0");
  EXPECT_EQ(out.get(cold, kDt + "extremeValue"), "10.2");
  EXPECT_EQ(out.get(cold, kDt + "affects"), "");
  int excursions = 0;
  for (const auto& q : out.quads)
    if (q.p.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" && q.o.value.ends_with("Excursion")) ++excursions;
  EXPECT_EQ(excursions, 2);

  // Again (same document): its rows are replaced, not added.
  Collect again;
  ASSERT_TRUE(ingestSamples(samplesDoc(path, "aaaa"), slurp(path), *store_, sqlite_, again, nullptr).isOk());
  EXPECT_EQ(countRows(sqlite_, "aaaa").value(), 107u);
  EXPECT_EQ(again.quads.size(), out.quads.size());
}

TEST_F(HistorianStore, NothingIsWrittenOnFailure) {
  const std::string path = kData + "/aurelian/historian/timeseries_202503.csv";
  Collect out;
  ASSERT_TRUE(ingestSamples(samplesDoc(path, "aaaa"), slurp(path), *store_, sqlite_, out, nullptr).isOk());
  ASSERT_EQ(countRows(sqlite_, "").value(), 107u);

  // The graph part fails half-way: the table keeps what it had.
  FailAfter failing(10);
  Status st = ingestSamples(samplesDoc(path, "bbbb"), slurp(path), *store_, sqlite_, failing, nullptr);
  EXPECT_FALSE(st.isOk());
  EXPECT_EQ(countRows(sqlite_, "").value(), 107u);
  EXPECT_EQ(countRows(sqlite_, "bbbb").value(), 0u);

  // A bad line: refused with file and line, nothing written.
  std::string text = slurp(path) + "BR-201.TT-001.PV,2025-03-03T09:31:00.000Z,36.5x,Good\n";
  Collect none;
  st = ingestSamples(samplesDoc(path, "cccc"), text, *store_, sqlite_, none, nullptr);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.message(), "timeseries_202503.csv:109: non-numeric value '36.5x'");
  EXPECT_TRUE(none.quads.empty());
  EXPECT_EQ(countRows(sqlite_, "").value(), 107u);

  // A tag the store does not know.
  text = "tag,timestamp,value,quality\nXX-1.PV,2025-03-03T09:31:00.000Z,1,Good\n";
  st = ingestSamples(samplesDoc(path, "dddd"), text, *store_, sqlite_, none, nullptr);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.message(),
            "timeseries_202503.csv:2: tag 'XX-1.PV' is not in the store (ingest its tag dictionary, tags.csv, first)");
  EXPECT_EQ(countRows(sqlite_, "").value(), 107u);
}

// A phase that spans two monthly files is summarised once, from both, by
// the file that completes it, whichever comes first.
TEST_F(HistorianStore, PhaseAcrossTwoDocuments) {
  std::string all = slurp(kData + "/aurelian/historian/timeseries_202503.csv");
  std::istringstream in(all);
  std::string line, header, first = "", second = "";
  std::getline(in, header);
  // 08:00..08:29 in one file, 08:30..09:29 in the other.
  int n = 0;
  while (std::getline(in, line)) {
    if (line.rfind("BR-201.TT-001.PV,", 0) != 0) continue;
    (n++ < 30 ? first : second) += line + "\n";
  }
  const std::string culture =
      "https://data.aurelian.example/phase-summary/BR-201.TT-001.PV/DS-2025-001/PRODUCTION_CULTURE";
  const std::string path = kData + "/aurelian/historian/timeseries_202503.csv";
  for (bool in_order : {true, false}) {
    fs::remove(sqlite_);
    fs::remove(sqlite_ + "-wal");
    fs::remove(sqlite_ + "-shm");
    Collect a, b;
    const std::string& one = in_order ? first : second;
    const std::string& two = in_order ? second : first;
    ASSERT_TRUE(ingestSamples(samplesDoc(path, "one"), header + "\n" + one, *store_, sqlite_, a, nullptr).isOk());
    ASSERT_TRUE(ingestSamples(samplesDoc(path, "two"), header + "\n" + two, *store_, sqlite_, b, nullptr).isOk());
    EXPECT_EQ(a.get(culture, kDt + "sampleCount"), "") << "in order: " << in_order;
    EXPECT_EQ(b.get(culture, kDt + "sampleCount"), "58") << "in order: " << in_order;
    EXPECT_EQ(b.get(culture, kDt + "meanValue"), "37.024138");
  }
}

// A summary an earlier document wrote is not written again.
TEST_F(HistorianStore, SummaryAlreadyInTheStore) {
  const std::string base = "https://data.aurelian.example/";
  const std::string culture = base + "phase-summary/BR-201.TT-001.PV/DS-2025-001/PRODUCTION_CULTURE";
  {
    auto txn = store_->begin();
    ASSERT_TRUE(txn.isOk());
    const auto g = rdf::TermView::iri("https://example.org/earlier");
    ASSERT_TRUE(txn.value()->add({rdf::TermView::iri(culture),
                                  rdf::TermView::iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                  rdf::TermView::iri(kDt + "PhaseSummary"), g}).isOk());
    ASSERT_TRUE(txn.value()->add({rdf::TermView::iri(culture), rdf::TermView::iri(kDt + "ofTag"),
                                  rdf::TermView::iri(base + "tag/BR-201.TT-001.PV"), g}).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  const std::string path = kData + "/aurelian/historian/timeseries_202503.csv";
  Collect out;
  ASSERT_TRUE(ingestSamples(samplesDoc(path, "aaaa"), slurp(path), *store_, sqlite_, out, nullptr).isOk());
  EXPECT_EQ(out.get(culture, kDt + "sampleCount"), "");
  EXPECT_EQ(out.get(base + "phase-summary/BR-201.TT-001.PV/DS-2025-001/HARVEST", kDt + "sampleCount"), "30");
}

TEST(HistorianConnectors, Detect) {
  const Connector* tags = find("historian-tags");
  const Connector* samples = find("historian-samples");
  ASSERT_TRUE(tags && samples);
  const std::string dict = slurp(kData + "/aurelian/historian/tags.csv");
  const std::string series = slurp(kData + "/aurelian/historian/timeseries_202503.csv");
  EXPECT_EQ(tags->detect("x/aurelian/historian/tags.csv", dict), Match::kByContent);
  EXPECT_EQ(samples->detect("x/aurelian/historian/tags.csv", dict), Match::kNo);
  EXPECT_EQ(samples->detect("x/export.csv", series), Match::kByContent);
  EXPECT_EQ(tags->detect("x/export.csv", series), Match::kNo);
  EXPECT_EQ(samples->detect("x/timeseries_202503.csv", "Tag;Time;Value\n"), Match::kByName);
  EXPECT_EQ(samples->detect("x/materials.csv", "MATNR,MAKTX\n"), Match::kNo);
  // validate names the file and line; the organisation must be in the path.
  Document d;
  d.path = kData + "/phases.ttl";
  d.name = "phases.ttl";
  Status st = tags->validate(d, nullptr);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("cannot tell the organisation from the path"), std::string::npos);
}

// The three organisations' tag mappings are one document but for the names.
TEST(HistorianMappings, SameDocumentForEachOrganisation) {
  auto body = [](const std::string& org) {
    std::string text = slurp(std::string(WEFT_SOURCE_DIR) + "/mappings/historian/tags-" + org + ".ttl");
    EXPECT_FALSE(text.empty()) << org;
    std::string out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("#", 0) == 0) continue;
      for (size_t p; (p = line.find(org)) != std::string::npos;) line.replace(p, org.size(), "ORG");
      out += line + "\n";
    }
    return out;
  };
  std::string a = body("aurelian");
  EXPECT_NE(a.find("https://data.ORG.example/tag/{tag}"), std::string::npos);
  EXPECT_EQ(a, body("brightwater"));
  EXPECT_EQ(a, body("meridian"));
}

}  // namespace
}  // namespace weft::connectors::historian
