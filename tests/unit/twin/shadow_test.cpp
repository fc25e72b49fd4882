// SPDX-License-Identifier: Apache-2.0
// Shadow mode's arithmetic (engine/twin/shadow.h): shift windows, a phase's output spread over
// the shifts it runs in, and the running MAPE. runShadow itself runs on the example in
// tests/e2e/twin_backtest_test.sh.
#include "engine/twin/shadow.h"

#include <gtest/gtest.h>

#include "engine/sim/model.h"
#include "engine/twin/model_from_graph.h"

namespace weft::twin {
namespace {

using sim::kDay;
using sim::kHour;

double at(const char* iso) {
  double t = 0;
  EXPECT_TRUE(parseTimestamp(iso, &t)) << iso;
  return t;
}

TEST(Shadow, ShiftsStartAtTheDaysFirstShiftAndAreCutAtTheEnds) {
  auto s = shiftWindows(at("2025-09-01"), at("2025-09-03"), 8, 6);
  ASSERT_TRUE(s.isOk()) << s.status().toString();
  // 00:00-06:00 (cut), then 06, 14, 22 on both days; the last (22:00) cut at midnight.
  ASSERT_EQ(s->size(), 7u);
  EXPECT_EQ((*s)[0].label, "2025-09-01T00:00");
  EXPECT_DOUBLE_EQ((*s)[0].to - (*s)[0].from, 6 * kHour);
  EXPECT_EQ((*s)[1].label, "2025-09-01T06:00");
  EXPECT_EQ((*s)[3].label, "2025-09-01T22:00");
  EXPECT_DOUBLE_EQ((*s)[3].to - (*s)[3].from, 8 * kHour);  // into the next day
  EXPECT_EQ((*s)[6].label, "2025-09-02T22:00");
  EXPECT_DOUBLE_EQ((*s)[6].to, at("2025-09-03"));
  for (size_t i = 1; i < s->size(); ++i) EXPECT_DOUBLE_EQ((*s)[i].from, (*s)[i - 1].to);
  // A start on a boundary: no cut shift first.
  auto d = shiftWindows(at("2025-09-01T06:00"), at("2025-09-02T06:00"), 12, 6);
  ASSERT_TRUE(d.isOk());
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[1].label, "2025-09-01T18:00");
  EXPECT_FALSE(shiftWindows(0, kDay, 0, 6).isOk());
  EXPECT_FALSE(shiftWindows(0, kDay, 8, 24).isOk());
  EXPECT_FALSE(shiftWindows(kDay, kDay, 8, 6).isOk());
}

TEST(Shadow, APhaseIsSpreadOverTheShiftsItRunsIn) {
  auto s = shiftWindows(at("2025-09-01T06:00"), at("2025-09-02T06:00"), 8, 6);
  ASSERT_TRUE(s.isOk());
  std::vector<double> sums(s->size(), 0);
  // 1,200 units over 12 h from 10:00: 4 h in the first shift, 8 h in the second.
  spreadOverShifts(*s, at("2025-09-01T10:00"), 12 * kHour, 1200, &sums);
  EXPECT_DOUBLE_EQ(sums[0], 400);
  EXPECT_DOUBLE_EQ(sums[1], 800);
  EXPECT_DOUBLE_EQ(sums[2], 0);
  // Past the last shift: that part is dropped.
  spreadOverShifts(*s, at("2025-09-02T02:00"), 8 * kHour, 100, &sums);
  EXPECT_DOUBLE_EQ(sums[2], 50);
  // No duration: all of it where it starts.
  spreadOverShifts(*s, at("2025-09-01T14:00"), 0, 7, &sums);
  EXPECT_DOUBLE_EQ(sums[1], 807);
}

TEST(Shadow, RunningMapeSkipsShiftsWithoutRecordedOutput) {
  sim::calib::KpiSeries k{"good units: X", {0, 100, 0, 200}, {5, 110, 0, 150}};
  auto r = runningMape(k);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_FALSE(r[0].has_value());
  EXPECT_DOUBLE_EQ(*r[1], 10);
  EXPECT_DOUBLE_EQ(*r[2], 10);
  EXPECT_DOUBLE_EQ(*r[3], 17.5);  // (10 + 25) / 2
  auto e = sim::calib::backtestKpi(k);
  ASSERT_TRUE(e.isOk());
  EXPECT_DOUBLE_EQ(*e->mape, *r.back());  // the last running value is the whole MAPE
}

TEST(Shadow, ConfigurationForTheStream) {
  auto c = parseShadowConfig(
      R"({"from": "2025-09-01", "to": "2025-09-21", "shift_hours": 12, "residuals": true, "baseline": 5})", "s.json");
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->options.from, "2025-09-01");
  EXPECT_EQ(c->options.to, "2025-09-21");
  EXPECT_DOUBLE_EQ(c->options.shiftHours, 12);
  EXPECT_DOUBLE_EQ(c->options.shiftStartHour, 6);
  EXPECT_TRUE(c->residuals);
  EXPECT_EQ(c->baseline, 5u);
  for (const char* bad : {R"({"from": "2025-09-01"})", R"({"from": "2025-13-01", "to": "2025-09-21"})",
                          R"({"from": "2025-09-01", "to": "2025-09-21", "shifts": 8})",
                          R"({"from": "2025-09-01", "to": "2025-09-21", "shift_hours": 0})",
                          R"({"from": "2025-09-01", "to": "2025-09-21", "baseline": 1})", "[]", "{"}) {
    auto r = parseShadowConfig(bad, "s.json");
    EXPECT_FALSE(r.isOk()) << bad;
    if (!r.isOk()) {
      EXPECT_NE(r.status().message().find("s.json"), std::string::npos) << r.status().message();
    }
  }
}

}  // namespace
}  // namespace weft::twin
