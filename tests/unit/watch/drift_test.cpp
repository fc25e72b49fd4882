// SPDX-License-Identifier: Apache-2.0
// engine/watch/drift.h: the configuration, series from the time-series table and the graph,
// residuals, planted drifts detected with their delay, and the alarm graph's store round trip.
#include "engine/watch/drift.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "engine/db/database.h"
#include "engine/sparql/results.h"

namespace weft::watch {
namespace {

namespace fs = std::filesystem;

class Normal {  // as in spc_test.cpp: Box-Muller over mt19937_64
 public:
  explicit Normal(uint64_t seed) : g_(seed) {}
  double operator()() {
    double u1;
    do u1 = static_cast<double>(g_() >> 11) * 0x1.0p-53;
    while (u1 <= 0);
    const double u2 = static_cast<double>(g_() >> 11) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

 private:
  std::mt19937_64 g_;
};

constexpr int64_t kHour = 3600000;
constexpr int64_t kT0 = 1740787200000;  // 2025-03-01T00:00:00Z

Result<DriftConfig> parse(const std::string& text) { return parseDriftConfig(text, "test.json"); }

TEST(DriftConfig, ParsesSeriesChartsAndDefaults) {
  auto cfg = parse(R"({"series": [
    {"name": "T", "source": {"tag": "TT-1"}, "resample_s": 3600,
     "baseline": {"from": "2025-03-01", "to": "2025-03-02T00:00:00Z", "sigma_method": "std-dev"},
     "charts": [{"type": "shewhart", "sigma_limits": 2.5, "rules": [1, 4], "subgroup_size": 5},
                {"type": "ewma", "lambda": 0.1, "L": 2.814, "limits": "asymptotic"},
                {"type": "cusum", "k": 0.25, "h": 8}],
     "planted": {"start": "2025-03-05T00:00:00Z", "end": "2025-03-09T00:00:00Z"}},
    {"name": "A", "source": {"test": "Assay"}, "expected": {"constant": 100}}]})");
  ASSERT_TRUE(cfg.isOk()) << cfg.status().message();
  ASSERT_EQ(cfg->series.size(), 2u);
  const SeriesSpec& t = cfg->series[0];
  EXPECT_EQ(t.source.kind, SourceSpec::Kind::kTag);
  EXPECT_EQ(t.resampleMs, kHour);
  EXPECT_EQ(*t.baseline.from, kT0);
  EXPECT_EQ(*t.baseline.to, kT0 + 24 * kHour);
  EXPECT_EQ(t.baseline.method, SigmaMethod::kStdDev);
  ASSERT_EQ(t.charts.size(), 3u);
  EXPECT_EQ(t.charts[0].shewhart.sigmaLimits, 2.5);
  EXPECT_TRUE(t.charts[0].shewhart.rules[0]);
  EXPECT_FALSE(t.charts[0].shewhart.rules[1]);
  EXPECT_TRUE(t.charts[0].shewhart.rules[3]);
  EXPECT_EQ(t.charts[0].shewhart.subgroupSize, 5u);
  EXPECT_FALSE(t.charts[1].ewma.exactLimits);
  EXPECT_EQ(t.charts[2].cusum.h, 8);
  EXPECT_EQ(*t.plantedStart, kT0 + 4 * 24 * kHour);
  // Defaults: the three charts.
  ASSERT_EQ(cfg->series[1].charts.size(), 3u);
  EXPECT_EQ(cfg->series[1].charts[1].type, ChartSpec::Type::kEwma);
  EXPECT_EQ(*cfg->series[1].expected.constant, 100);
}

TEST(DriftConfig, RefusesWhatItCannotMean) {
  const char* bad[] = {
      R"({"series": []})",
      R"({"series": [{"name": "x", "source": {"tag": "a", "test": "b"}}]})",
      R"({"series": [{"name": "x", "source": {"tag": "a"}, "colour": 1}]})",
      R"({"series": [{"name": "x", "source": {"tag": "a"}, "charts": [{"type": "ewma", "lambda": 1.5}]}]})",
      R"({"series": [{"name": "x", "source": {"tag": "a"}, "charts": [{"type": "shewhart", "rules": [5]}]}]})",
      R"({"series": [{"name": "x", "source": {"tag": "a"}, "baseline": {"mean": 1}}]})",
      R"({"series": [{"name": "x", "source": {"tag": "a"}}, {"name": "x", "source": {"tag": "b"}}]})",
      R"({"series": [{"name": "x", "source": {"tag": "a"}, "planted": {"start": "yesterday"}}]})",
      R"({"series": [{"name": "x", "source": {"values": [1, 2], "times": [1]}}]})",
      R"({"series": )",
  };
  for (const char* b : bad) EXPECT_FALSE(parse(b).isOk()) << b;
}

TEST(DriftTime, ParsesAndFormatsIso8601) {
  EXPECT_EQ(*parseTimeMs("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parseTimeMs("2025-03-01"), kT0);
  EXPECT_EQ(*parseTimeMs("2025-03-01T01:00:00.250+01:00"), kT0 + 250);
  EXPECT_EQ(*parseTimeMs("2025-03-01T08:15"), kT0 + 8 * kHour + 15 * 60000);
  EXPECT_FALSE(parseTimeMs("2025-13-01").has_value());
  EXPECT_FALSE(parseTimeMs("2025-03-01T08:00:00Zx").has_value());
  EXPECT_EQ(formatTimeMs(kT0 + 8 * kHour + 250), "2025-03-01T08:00:00.250Z");
  EXPECT_EQ(formatTimeMs(-1), "1969-12-31T23:59:59.999Z");
}

// A series spec over inline values at hourly times.
SeriesSpec inlineSeries(const std::string& name, const std::vector<double>& v, size_t baseline,
                        size_t plantedAt) {
  SeriesSpec s;
  s.name = name;
  s.source.kind = SourceSpec::Kind::kValues;
  s.source.values = v;
  for (size_t i = 0; i < v.size(); ++i) {
    s.source.times.push_back(kT0 + static_cast<int64_t>(i) * kHour);
    s.source.ids.push_back("https://data.example/lot/" + std::to_string(i));
  }
  s.baseline.count = baseline;
  s.plantedStart = kT0 + static_cast<int64_t>(plantedAt) * kHour;
  s.charts.resize(3);
  s.charts[1].type = ChartSpec::Type::kEwma;
  s.charts[2].type = ChartSpec::Type::kCusum;
  return s;
}

void reportDelays(const SeriesOutcome& o) {
  for (const auto& c : o.charts)
    std::printf("[ DRIFT ] %-28s %-21s alarms %3zu  delay %s  false alarms %zu in %zu points\n",
                o.name.c_str(), c.chart.c_str(), c.alarms.size(),
                c.detectedAlarm ? (std::to_string(c.delayPoints) + " points (" +
                                   std::to_string(c.delayMs / kHour) + " h)")
                                      .c_str()
                                : "not detected",
                c.falseAlarms, c.pointsOutside);
}

const ChartOutcome& chart(const SeriesOutcome& o, const std::string& name) {
  for (const auto& c : o.charts)
    if (c.chart == name) return c;
  ADD_FAILURE() << "no chart " << name;
  return o.charts.front();
}

// A temperature sensor reads 37.0 +- 0.1; from hour 400 its calibration drifts 0.002 C per hour
// (0.02 sigma per reading: after 100 hours the offset is 2 sigma).
TEST(PlantedDrift, SlowLinearSensorDrift) {
  Normal z(101);
  std::vector<double> v;
  for (int i = 0; i < 700; ++i)
    v.push_back(37.0 + 0.1 * z() + (i >= 400 ? 0.002 * (i - 400) : 0.0));
  SeriesSpec spec = inlineSeries("sensor drift TT-101", v, 200, 400);
  DriftConfig cfg;
  cfg.series.push_back(spec);
  auto out = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out.isOk()) << out.status().message();
  const SeriesOutcome& o = out->front();
  reportDelays(o);
  EXPECT_NEAR(o.baseline.sigma, 0.1, 0.015);
  for (const char* c : {"shewhart-individuals", "ewma", "cusum"}) {
    const ChartOutcome& co = chart(o, c);
    ASSERT_TRUE(co.detectedAlarm.has_value()) << c;
    EXPECT_LT(co.delayPoints, 200u) << c;  // before the offset reaches 4 sigma
    EXPECT_EQ(co.delayMs, static_cast<int64_t>(co.delayPoints - 1) * kHour) << c;
  }
  // EWMA and CUSUM are the charts for small sustained shifts: faster than rule 1 alone would be.
  EXPECT_LT(chart(o, "ewma").delayPoints, 120u);
  EXPECT_LT(chart(o, "cusum").delayPoints, 120u);
  EXPECT_LE(chart(o, "ewma").falseAlarms + chart(o, "cusum").falseAlarms, 3u);
}

// A raw-material change moves an assay by one sigma from lot 80 (a step).
TEST(PlantedDrift, StepShiftInAQualityAttribute) {
  Normal z(202);
  std::vector<double> v;
  for (int i = 0; i < 160; ++i) v.push_back(100.0 + 0.8 * z() + (i >= 80 ? 0.8 : 0.0));
  DriftConfig cfg;
  cfg.series.push_back(inlineSeries("assay step", v, 40, 80));
  auto out = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out.isOk()) << out.status().message();
  reportDelays(out->front());
  const ChartOutcome& cu = chart(out->front(), "cusum");
  ASSERT_TRUE(cu.detectedAlarm.has_value());
  EXPECT_LT(cu.delayPoints, 40u);  // ARL1 for 1 sigma is 10.4
  const Alarm& a = cu.alarms[*cu.detectedAlarm];
  EXPECT_EQ(a.side, 1);
  EXPECT_EQ(a.detectionId, "https://data.example/lot/" + std::to_string(a.detectionIndex));
  ASSERT_TRUE(chart(out->front(), "ewma").detectedAlarm.has_value());
}

// scoreRun over a run with a planted step and a series without a change: detected per chart,
// and false alarms = the unplanted series' alarms plus those before the planted start.
TEST(PlantedDrift, ScoreRunCountsDetectionsAndFalseAlarms) {
  Normal z(404);
  std::vector<double> step, flat;
  for (int i = 0; i < 160; ++i) step.push_back(100.0 + 0.8 * z() + (i >= 80 ? 1.6 : 0.0));
  for (int i = 0; i < 300; ++i) flat.push_back(5.0 + 0.1 * z() + (i == 150 ? 1.0 : 0.0));  // one outlier
  DriftConfig cfg;
  cfg.series.push_back(inlineSeries("assay step", step, 40, 80));
  cfg.series.push_back(inlineSeries("in control", flat, 50, 0));
  cfg.series.back().plantedStart.reset();
  auto out = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out.isOk()) << out.status().message();
  auto scores = scoreRun(cfg, out.value());
  ASSERT_EQ(scores.size(), 3u);
  for (const ChartScore& sc : scores) {
    const ChartOutcome& planted = chart((*out)[0], sc.chart);
    const ChartOutcome& other = chart((*out)[1], sc.chart);
    EXPECT_EQ(sc.planted, 1u) << sc.chart;
    EXPECT_EQ(sc.detected, planted.detectedAlarm ? 1u : 0u) << sc.chart;
    EXPECT_EQ(sc.falseAlarms, planted.falseAlarms + other.alarms.size()) << sc.chart;
    EXPECT_EQ(sc.points, planted.pointsOutside + 300) << sc.chart;
    if (sc.detected) {
      EXPECT_DOUBLE_EQ(sc.meanDelayPoints, static_cast<double>(planted.delayPoints)) << sc.chart;
    }
  }
  // The outlier at 10 sigma is a false alarm for the Shewhart chart at least.
  EXPECT_GE(scores[0].falseAlarms, 1u);
  EXPECT_EQ(scores[0].detected, 1u);
}

// Tool wear: cycle times run 300 +- 6 minutes against an expected 300 per batch, then grow by
// 0.4 minutes a batch from batch 60. The chart runs on the residuals.
TEST(PlantedDrift, GrowingCycleTimeAsResiduals) {
  Normal z(303);
  std::vector<double> v;
  SeriesSpec spec;
  for (int i = 0; i < 150; ++i) v.push_back(300 + 6 * z() + (i >= 60 ? 0.4 * (i - 60) : 0.0));
  spec = inlineSeries("cycle time FF-1", v, 40, 60);
  spec.expected.present = true;
  // Expected per batch (by record id), as the calibrated twin would give it; one batch left out.
  for (int i = 0; i < 150; ++i)
    if (i != 7) spec.expected.byKey["https://data.example/lot/" + std::to_string(i)] = 300;
  DriftConfig cfg;
  cfg.series.push_back(spec);
  auto out = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out.isOk()) << out.status().message();
  const SeriesOutcome& o = out->front();
  reportDelays(o);
  EXPECT_EQ(o.series.size(), 149u);  // the batch without an expectation has no residual
  EXPECT_NEAR(o.baseline.mean, 0, 3);
  for (const char* c : {"ewma", "cusum"}) {
    ASSERT_TRUE(chart(o, c).detectedAlarm.has_value()) << c;
    EXPECT_LT(chart(o, c).delayPoints, 40u) << c;
  }
  spec.expected.requireAll = true;
  cfg.series[0] = spec;
  EXPECT_FALSE(runDrift(cfg, nullptr, "").isOk());
}

// The same step on an X-bar chart of subgroups of 5: sigma from s-bar / c4 over subgroups
// aligned with the chart's (the baseline window starts at observation 3, inside a subgroup).
TEST(PlantedDrift, StepOnAnXbarChart) {
  Normal z(606);
  std::vector<double> v;
  for (int i = 0; i < 200; ++i) v.push_back(50 + 2 * z() + (i >= 100 ? 2.0 : 0.0));
  SeriesSpec spec = inlineSeries("xbar step", v, 0, 100);
  spec.baseline.first = 3;
  spec.baseline.count = 60;
  spec.charts.resize(1);
  spec.charts[0].shewhart.subgroupSize = 5;
  DriftConfig cfg;
  cfg.series.push_back(spec);
  auto out = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out.isOk()) << out.status().message();
  reportDelays(out->front());
  const ChartOutcome& c = out->front().charts[0];
  EXPECT_EQ(c.chart, "shewhart-xbar");
  ASSERT_TRUE(c.detectedAlarm.has_value());
  const Alarm& a = c.alarms[*c.detectedAlarm];
  EXPECT_EQ(a.baselineMethod, "s-bar/c4");
  EXPECT_EQ(a.baselineCount, 55u);  // subgroups 5..59 of the window 3..62, 11 of them
  EXPECT_NEAR(a.baselineSigma, 2, 0.5);
  EXPECT_EQ((a.windowFirst) % 5, 0u);
  EXPECT_EQ(a.windowLast % 5, 4u);
  EXPECT_LT(c.delayPoints, 30u);
}

// The delays above are one realisation each. Averaged over replications (fresh noise, the same
// planted change, the baseline estimated each time from its window) they become the charts'
// conditional expected delays: printed for docs/watch.md, and ordered as theory says (EWMA and
// CUSUM before Shewhart rule 1 on slow drifts and on 1-sigma steps).
TEST(PlantedDrift, MeanDelaysOverReplications) {
  struct Case {
    const char* name;
    size_t n, baseline, start;
    double (*shift)(size_t i, size_t start);  // in sigma
  };
  const Case cases[] = {
      {"linear drift 0.02 sigma/pt", 700, 200, 400,
       [](size_t i, size_t s) { return i >= s ? 0.02 * static_cast<double>(i - s) : 0.0; }},
      {"step 1 sigma", 300, 100, 200, [](size_t i, size_t s) { return i >= s ? 1.0 : 0.0; }},
      {"growth 0.067 sigma/pt", 300, 100, 200,
       [](size_t i, size_t s) { return i >= s ? 0.4 / 6 * static_cast<double>(i - s) : 0.0; }},
  };
  const int reps = 300;
  for (const Case& c : cases) {
    std::map<std::string, double> delay, falseRate;
    std::map<std::string, int> missed;
    Normal z(500);
    for (int r = 0; r < reps; ++r) {
      std::vector<double> v;
      for (size_t i = 0; i < c.n; ++i) v.push_back(z() + c.shift(i, c.start));
      SeriesSpec spec = inlineSeries(c.name, v, c.baseline, c.start);
      spec.charts.insert(spec.charts.begin(), ChartSpec());
      spec.charts[0].shewhart.rules[1] = spec.charts[0].shewhart.rules[2] =
          spec.charts[0].shewhart.rules[3] = false;
      Series s;
      s.name = c.name;
      s.value = v;
      s.time = spec.source.times;
      s.id = spec.source.ids;
      auto o = analyse(spec, s);
      ASSERT_TRUE(o.isOk());
      for (size_t k = 0; k < o->charts.size(); ++k) {
        const ChartOutcome& co = o->charts[k];
        const std::string key = k == 0 ? "shewhart rule 1" : k == 1 ? "shewhart rules 1-4" : co.chart;
        if (co.detectedAlarm)
          delay[key] += static_cast<double>(co.delayPoints);
        else
          ++missed[key];
        falseRate[key] += 1000.0 * static_cast<double>(co.falseAlarms) / co.pointsOutside;
      }
    }
    for (const auto& [key, sum] : delay) {
      const int hit = reps - missed[key];
      std::printf("[ DELAY ] %-28s %-20s mean delay %6.1f points (%d/%d detected), %5.2f false "
                  "alarms per 1000 in-control points\n",
                  c.name, key.c_str(), sum / hit, hit, reps, falseRate[key] / reps);
    }
    const double w1 = delay["shewhart rule 1"] / (reps - missed["shewhart rule 1"]);
    EXPECT_LT(delay["ewma"] / (reps - missed["ewma"]), w1) << c.name;
    EXPECT_LT(delay["cusum"] / (reps - missed["cusum"]), w1) << c.name;
    EXPECT_EQ(missed["ewma"], 0) << c.name;
    EXPECT_EQ(missed["cusum"], 0) << c.name;
  }
}

// ---- the store

class DriftStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("weft-watch-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto s = store::Store::open(dir_.string(), store::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.isOk()) << s.status().message();
    store_ = std::move(s.value());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void addQuads(const std::vector<std::array<std::string, 4>>& rows) {
    auto t = store_->begin();
    ASSERT_TRUE(t.isOk());
    for (const auto& r : rows) {
      rdf::Quad q;
      q.s = rdf::Term::iri(r[0]);
      q.p = rdf::Term::iri(r[1]);
      const size_t hat = r[2].find("^^");
      q.o = hat == std::string::npos
                ? rdf::Term::iri(r[2])
                : rdf::Term::literal(r[2].substr(0, hat), r[2].substr(hat + 2));
      q.g = rdf::Term::iri(r[3]);
      ASSERT_TRUE(t.value()->add(q.view()).isOk());
    }
    ASSERT_TRUE(t.value()->commit().isOk());
  }
  sparql::ResultSet query(const std::string& text) {
    db::QueryRequest req;
    req.text = text;
    req.exec.union_default_graph = true;
    sparql::ResultSet rs;
    auto w = sparql::makeResultSetWriter(&rs);
    sparql::QueryOutput out;
    out.results = w.get();
    Status st = db::runQuery(*store_, req, out);
    EXPECT_TRUE(st.isOk()) << st.message();
    return rs;
  }
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(DriftStore, TagSamplesFromTheTimeSeriesTable) {
  // The historian connector's schema (connectors/historian/historian.h).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "timeseries.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(
          db,
          "CREATE TABLE samples(doc TEXT NOT NULL, tag TEXT NOT NULL, ts INTEGER NOT NULL,"
          " value REAL, quality TEXT NOT NULL);"
          "INSERT INTO samples VALUES ('d1','TT-1',3000,3.0,'Good'),('d1','TT-1',1000,1.0,'Good'),"
          "('d1','TT-1',2000,99.0,'Bad'),('d1','TT-1',4000,NULL,'Uncertain'),"
          "('d1','TT-1',5000,5.0,'Uncertain'),('mqtt:x','TT-1',3000,3.0,'Good'),"
          "('d1','TT-2',1000,7.0,'Good')",
          nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  SeriesSpec s;
  s.name = "tt1";
  s.source.kind = SourceSpec::Kind::kTag;
  s.source.tag = "TT-1";
  auto r = readSeries(s, store_.get(), dir_.string());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->time, (std::vector<int64_t>{1000, 3000}));  // Good only, sorted, no duplicate
  EXPECT_EQ(r->value, (std::vector<double>{1.0, 3.0}));
  s.source.includeUncertain = true;
  r = readSeries(s, store_.get(), dir_.string());
  EXPECT_EQ(r->time, (std::vector<int64_t>{1000, 3000, 5000}));
  s.source.tag = "TT-9";
  EXPECT_EQ(readSeries(s, store_.get(), dir_.string())->size(), 0u);
}

TEST_F(DriftStore, TestResultsFromTheGraph) {
  const std::string dt = "https://w3id.org/weft/dt#";
  const std::string type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const std::string g = "https://w3id.org/weft/doc/abc";
  const std::string xsdDate = "^^http://www.w3.org/2001/XMLSchema#date";
  const std::string dec = "^^http://www.w3.org/2001/XMLSchema#decimal";
  std::vector<std::array<std::string, 4>> q;
  auto test = [&](const std::string& id, const std::string& date, const std::string& v,
                  bool valid) {
    const std::string r = "https://data.example/test/" + id;
    q.push_back({r, type, dt + "TestResult", g});
    q.push_back({r, dt + "characteristic",
                 "Assay" + std::string("^^http://www.w3.org/2001/XMLSchema#string"), g});
    q.push_back({r, dt + "resultValue", v + dec, g});
    q.push_back({r, dt + "testDate", date + xsdDate, g});
    q.push_back({r, dt + "testedLot", "https://data.example/lot/" + id, g});
    q.push_back({r, dt + "resultStatus", dt + (valid ? "Valid" : "Invalid"), g});
  };
  test("L2", "2025-03-02", "101.5", true);
  test("L1", "2025-03-01", "99.5", true);
  test("L3", "2025-03-03", "150", false);  // invalidated: not an observation
  addQuads(q);
  SeriesSpec s;
  s.name = "assay";
  s.source.kind = SourceSpec::Kind::kTest;
  s.source.name = "Assay";
  auto r = readSeries(s, store_.get(), dir_.string());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(r->value, (std::vector<double>{99.5, 101.5}));
  EXPECT_EQ(r->id[0], "https://data.example/lot/L1");
  EXPECT_EQ(r->time[0], kT0);
  EXPECT_TRUE(r->calendar);
}

int64_t countAlarms(const sparql::ResultSet& rs) {
  return rs.rows.empty() ? -1 : std::stoll(rs.rows[0][0].value);
}

TEST_F(DriftStore, AlarmsWrittenQueriedAndReplaced) {
  Normal z(404);
  std::vector<double> v;
  for (int i = 0; i < 120; ++i) v.push_back(10 + z() + (i >= 60 ? 2.0 : 0.0));
  DriftConfig cfg;
  cfg.series.push_back(inlineSeries("step", v, 30, 60));
  auto out = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out.isOk());
  size_t total = 0;
  for (const auto& c : out->front().charts) total += c.alarms.size();
  ASSERT_GT(total, 0u);
  auto w = replaceDriftGraph(*store_, alarmQuads(out.value(), "2026-01-01T00:00:00Z"));
  ASSERT_TRUE(w.isOk()) << w.status().message();
  EXPECT_EQ(w->removed, 0u);
  const std::string count =
      "PREFIX dt: <https://w3id.org/weft/dt#> SELECT (COUNT(?a) AS ?n) WHERE { GRAPH "
      "<https://w3id.org/weft/graph/watch/drift> { ?a a dt:DriftAlarm } }";
  EXPECT_EQ(countAlarms(query(count)), static_cast<int64_t>(total));
  // The evidence is on the node: the first CUSUM alarm after the step, with its window.
  auto rs = query(R"(PREFIX dt: <https://w3id.org/weft/dt#>
SELECT ?rule ?stat ?limit ?mean ?sigma ?ws ?det ?rec ?run WHERE {
  ?a a dt:DriftAlarm ; dt:seriesName "step" ; dt:chartType "cusum" ; dt:alarmRule ?rule ;
     dt:statistic ?stat ; dt:controlLimit ?limit ; dt:baselineMean ?mean ; dt:baselineSigma ?sigma ;
     dt:windowStart ?ws ; dt:detectionTime ?det ; dt:concernsRecord ?rec ; dt:driftRun ?run .
  FILTER (?det >= "2025-03-03T12:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>)
} ORDER BY ?det LIMIT 1)");
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][0].value, "CUSUM+");
  EXPECT_GT(std::stod(rs.rows[0][1].value), std::stod(rs.rows[0][2].value));
  EXPECT_NEAR(std::stod(rs.rows[0][3].value), 10, 0.6);
  EXPECT_EQ(rs.rows[0][8].value, std::string(kDriftGraph));
  EXPECT_EQ(rs.rows[0][7].value.rfind("https://data.example/lot/", 0), 0u);
  // Run again with only the Shewhart chart: the graph holds that run's alarms only.
  cfg.series[0].charts.resize(1);
  auto out2 = runDrift(cfg, nullptr, "");
  ASSERT_TRUE(out2.isOk());
  const size_t total2 = out2->front().charts[0].alarms.size();
  auto w2 = replaceDriftGraph(*store_, alarmQuads(out2.value(), "2026-01-02T00:00:00Z"));
  ASSERT_TRUE(w2.isOk());
  EXPECT_EQ(w2->removed, w->added);
  EXPECT_EQ(countAlarms(query(count)), static_cast<int64_t>(total2));
  auto runs = query(
      "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?at WHERE { ?r a dt:DriftRun ; dt:generatedAt "
      "?at }");
  ASSERT_EQ(runs.rows.size(), 1u);
  EXPECT_EQ(runs.rows[0][0].value, "2026-01-02T00:00:00Z");
  EXPECT_EQ(countAlarms(
                query("PREFIX dt: <https://w3id.org/weft/dt#> SELECT (COUNT(?a) AS ?n) WHERE { ?a "
                      "dt:chartType \"cusum\" }")),
            0);
}

}  // namespace
}  // namespace weft::watch
