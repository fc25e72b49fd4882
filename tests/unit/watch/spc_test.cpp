// SPDX-License-Identifier: Apache-2.0
// engine/watch/spc.h: run lengths against the published ARLs, each Western Electric rule by a
// constructed sequence and its near miss, baselines, and the evidence the alarms carry.
#include "engine/watch/spc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

namespace weft::watch {
namespace {

// Standard normal draws from a fixed seed (Box-Muller over mt19937_64, so the same numbers on
// every standard library).
class Normal {
 public:
  explicit Normal(uint64_t seed) : g_(seed) {}
  double operator()() {
    if (have_) {
      have_ = false;
      return spare_;
    }
    double u1;
    do u1 = uniform();
    while (u1 <= 0);
    const double u2 = uniform();
    const double r = std::sqrt(-2 * std::log(u1));
    spare_ = r * std::sin(2 * M_PI * u2);
    have_ = true;
    return r * std::cos(2 * M_PI * u2);
  }

 private:
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  std::mt19937_64 g_;
  double spare_ = 0;
  bool have_ = false;
};

// The mean run length over `runs` runs, each on points N(shift, 1) from the start, capped at
// `cap` points (a run reaching the cap counts as the cap).
template <typename Step>
double meanRunLength(int runs, double shift, uint64_t seed, Step step, size_t cap = 200000) {
  Normal z(seed);
  double sum = 0;
  for (int r = 0; r < runs; ++r) {
    auto s = step();  // a fresh chart
    size_t n = 0;
    while (n < cap) {
      ++n;
      if (s(z() + shift)) break;
    }
    sum += static_cast<double>(n);
  }
  return sum / runs;
}

auto shewhartChart(double L, bool r1, bool r2, bool r3, bool r4) {
  return [=] {
    const bool rules[4] = {r1, r2, r3, r4};
    return [rr = RunRules(L, rules)](double z) mutable { return rr.step(z) != 0; };
  };
}
auto ewmaChart(double lambda, double L, bool exact) {
  return
      [=] { return [e = EwmaStatistic(lambda, L, exact)](double z) mutable { return e.step(z); }; };
}
auto cusumChart(double k, double h) {
  return [=] { return [c = CusumStatistic(k, h)](double z) mutable { return c.step(z) != 0; }; };
}

void report(const char* what, double measured, double published) {
  std::printf("[ ARL ] %-52s measured %8.2f  published %8.2f  (%+.1f%%)\n", what, measured,
              published, 100 * (measured / published - 1));
}

// Montgomery, Introduction to Statistical Quality Control, section 6.2: ARL0 = 1 / 0.0027 =
// 370.4 for 3-sigma limits; a 1-sigma shift: 1 / (Phi(-2) + Phi(-4)) = 43.9.
TEST(SpcArl, ShewhartThreeSigma) {
  const double arl0 = meanRunLength(6000, 0, 1, shewhartChart(3, true, false, false, false));
  report("Shewhart 3 sigma, rule 1, in control", arl0, 370.4);
  EXPECT_NEAR(arl0, 370.4, 0.05 * 370.4);
  const double arl1 = meanRunLength(6000, 1, 2, shewhartChart(3, true, false, false, false));
  report("Shewhart 3 sigma, rule 1, 1 sigma shift", arl1, 43.9);
  EXPECT_NEAR(arl1, 43.9, 0.05 * 43.9);
}

// Champ & Woodall (1987), Technometrics 29: the four Western Electric rules together have an
// in-control ARL of 91.75.
TEST(SpcArl, WesternElectricAllRules) {
  const double arl0 = meanRunLength(6000, 0, 3, shewhartChart(3, true, true, true, true));
  report("Shewhart 3 sigma, rules 1-4, in control", arl0, 91.75);
  EXPECT_NEAR(arl0, 91.75, 0.05 * 91.75);
}

// Lucas & Saccucci (1990), Technometrics 32, table 3 / Montgomery table 9.11: lambda = 0.2,
// L = 2.962 gives ARL0 = 500 with the asymptotic limits.
TEST(SpcArl, EwmaLambdaPointTwo) {
  const double asym = meanRunLength(5000, 0, 4, ewmaChart(0.2, 2.962, false));
  report("EWMA lambda 0.2 L 2.962 asymptotic, in control", asym, 500);
  EXPECT_NEAR(asym, 500, 0.06 * 500);
  // Exact (time-varying) limits are narrower at the start, so the in-control ARL is a little
  // lower; the published value is for asymptotic limits, hence the wider band.
  const double exact = meanRunLength(5000, 0, 4, ewmaChart(0.2, 2.962, true));
  report("EWMA lambda 0.2 L 2.962 exact limits, in control", exact, 500);
  EXPECT_GT(exact, 0.85 * 500);
  EXPECT_LT(exact, 1.04 * 500);
  const double arl1 = meanRunLength(5000, 1, 5, ewmaChart(0.2, 2.962, false));
  report("EWMA lambda 0.2 L 2.962 asymptotic, 1 sigma shift", arl1, 10.2);
  EXPECT_NEAR(arl1, 10.2, 0.06 * 10.2);
}

// Montgomery table 9.3 (after Hawkins 1993): two-sided tabular CUSUM, k = 0.5, h = 5: ARL0 =
// 465, a 1-sigma shift 10.4.
TEST(SpcArl, CusumHalfFive) {
  const double arl0 = meanRunLength(5000, 0, 6, cusumChart(0.5, 5));
  report("CUSUM k 0.5 h 5, in control", arl0, 465);
  EXPECT_NEAR(arl0, 465, 0.06 * 465);
  const double arl1 = meanRunLength(20000, 1, 7, cusumChart(0.5, 5));
  report("CUSUM k 0.5 h 5, 1 sigma shift", arl1, 10.4);
  EXPECT_NEAR(arl1, 10.4, 0.03 * 10.4);
}

// ---- Western Electric rules, each by a sequence and its near miss (mean 0, sigma 1 given).

Series seq(std::vector<double> v) {
  Series s;
  s.name.assign(1, 's');  // not = "s": GCC 12 warns there (-Wrestrict, a false positive)
  s.calendar = false;
  for (size_t i = 0; i < v.size(); ++i) {
    s.time.push_back(static_cast<int64_t>(i));
    char id[24];  // not "r" + to_string(i): the same false positive
    std::snprintf(id, sizeof id, "r%zu", i);
    s.id.emplace_back(id);
  }
  s.value = std::move(v);
  return s;
}

Baseline unit() {
  Baseline b;
  b.mean = 0;
  b.sigma = 1;
  b.method = "given";
  return b;
}

std::vector<Alarm> we(std::vector<double> v) { return shewhart(seq(std::move(v)), unit(), {}); }

TEST(WesternElectric, Rule1OnePointBeyondThreeSigma) {
  auto a = we({0.1, -0.4, 3.2, 0.2});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].rule, "WE1");
  EXPECT_EQ(a[0].side, 1);
  EXPECT_EQ(a[0].detectionIndex, 2u);
  EXPECT_EQ(a[0].windowFirst, 2u);
  EXPECT_DOUBLE_EQ(a[0].statistic, 3.2);
  EXPECT_DOUBLE_EQ(a[0].limit, 3);
  EXPECT_EQ(a[0].detectionId, "r2");
  auto low = we({0.1, -3.01});
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].side, -1);
  EXPECT_DOUBLE_EQ(low[0].limit, -3);
  // Near miss: on the limit and just inside it, on both sides.
  EXPECT_TRUE(we({0.1, 2.99, 0.0, 0.0, -2.99, 0.0, 0.0, 3.0, 0.0, 0.0, -3.0}).empty());
  // Configurable limits: 2.5 sigma.
  ShewhartOptions o;
  o.sigmaLimits = 2.5;
  o.rules[1] = o.rules[2] = o.rules[3] = false;
  EXPECT_EQ(shewhart(seq({0.0, 2.6}), unit(), o).size(), 1u);
  EXPECT_TRUE(shewhart(seq({0.0, 2.4}), unit(), o).empty());
}

TEST(WesternElectric, Rule2TwoOfThreeBeyondTwoSigmaSameSide) {
  auto a = we({0.1, 2.5, 0.3, 2.4});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].rule, "WE2");
  EXPECT_EQ(a[0].side, 1);
  EXPECT_EQ(a[0].detectionIndex, 3u);
  EXPECT_EQ(a[0].windowFirst, 1u);
  EXPECT_EQ(a[0].pointsInWindow, 3u);
  EXPECT_EQ(a[0].pointsBeyond, 2u);
  EXPECT_DOUBLE_EQ(a[0].limit, 2);
  auto low = we({-2.1, -2.2});
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].rule, "WE2");
  EXPECT_EQ(low[0].side, -1);
  // Near misses: two beyond 2 sigma but four points apart; on opposite sides; one at 1.99.
  EXPECT_TRUE(we({2.5, 0.3, 0.2, 2.4}).empty());
  EXPECT_TRUE(we({2.5, -2.5, 0.1}).empty());
  EXPECT_TRUE(we({2.5, 0.3, 1.99}).empty());
}

TEST(WesternElectric, Rule3FourOfFiveBeyondOneSigmaSameSide) {
  auto a = we({0.2, -1.5, -1.2, 0.5, -1.1, -1.3});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].rule, "WE3");
  EXPECT_EQ(a[0].side, -1);
  EXPECT_EQ(a[0].detectionIndex, 5u);
  EXPECT_EQ(a[0].windowFirst, 1u);
  EXPECT_EQ(a[0].pointsBeyond, 4u);
  EXPECT_DOUBLE_EQ(a[0].limit, -1);
  // Near misses: three of five; four of six but not within five; four beyond on mixed sides.
  EXPECT_TRUE(we({-1.5, -1.2, 0.5, -1.1, -0.9}).empty());
  EXPECT_TRUE(we({-1.5, -1.2, 0.5, 0.4, -1.1, -1.3}).empty());
  EXPECT_TRUE(we({-1.5, 1.2, -1.1, 1.3, -0.5}).empty());
}

TEST(WesternElectric, Rule4EightInARowOnOneSide) {
  auto a = we({-0.3, 0.1, 0.2, 0.3, 0.1, 0.5, 0.2, 0.4, 0.1});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].rule, "WE4");
  EXPECT_EQ(a[0].side, 1);
  EXPECT_EQ(a[0].detectionIndex, 8u);
  EXPECT_EQ(a[0].windowFirst, 1u);
  EXPECT_DOUBLE_EQ(a[0].limit, 0);
  // Near misses: seven in a row; eight broken by one point on the other side or on the line.
  EXPECT_TRUE(we({0.1, 0.2, 0.3, 0.1, 0.5, 0.2, 0.4}).empty());
  EXPECT_TRUE(we({0.1, 0.2, 0.3, 0.1, -0.1, 0.5, 0.2, 0.4, 0.1}).empty());
  EXPECT_TRUE(we({0.1, 0.2, 0.3, 0.1, 0.0, 0.5, 0.2, 0.4, 0.1}).empty());
}

TEST(WesternElectric, DisabledRulesAndRestartAfterAnAlarm) {
  ShewhartOptions only1;
  only1.rules[1] = only1.rules[2] = only1.rules[3] = false;
  EXPECT_TRUE(shewhart(seq({0.1, 2.5, 0.3, 2.4}), unit(), only1).empty());
  // After the WE2 alarm at point 3 the rules restart: point 4 alone (2.3) does not make a new
  // two-of-three with point 3; point 5 does.
  auto a = we({0.1, 2.5, 0.3, 2.4, 2.3, 2.2});
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].detectionIndex, 3u);
  EXPECT_EQ(a[1].detectionIndex, 5u);
  EXPECT_EQ(a[1].windowFirst, 4u);
}

TEST(Shewhart, XbarChartOfSubgroups) {
  // Subgroups of 4: sigma of a mean = 1 / 2; a subgroup mean of 1.6 is beyond 3 * 0.5.
  ShewhartOptions o;
  o.subgroupSize = 4;
  auto a = shewhart(seq({0, 0.2, -0.2, 0, 1.5, 1.7, 1.6, 1.6, 9}), unit(), o);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].chart, "shewhart-xbar");
  EXPECT_EQ(a[0].rule, "WE1");
  EXPECT_EQ(a[0].windowFirst, 4u);
  EXPECT_EQ(a[0].windowLast, 7u);
  EXPECT_DOUBLE_EQ(a[0].statistic, 1.6);
  EXPECT_DOUBLE_EQ(a[0].limit, 1.5);
}

TEST(Ewma, ExactLimitsCatchAnEarlyShiftAsymptoticOnesDoNot) {
  // First point x = 3: z1 = 0.6. Exact limit at i = 1 is L lambda = 0.5924; asymptotic
  // L sqrt(lambda / (2 - lambda)) = 0.987.
  EwmaOptions exact;
  auto a = ewma(seq({3.0}), unit(), exact);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_NEAR(a[0].statistic, 0.6, 1e-12);
  EXPECT_NEAR(a[0].limit, 2.962 * 0.2, 1e-12);
  EwmaOptions asym;
  asym.exactLimits = false;
  EXPECT_TRUE(ewma(seq({3.0}), unit(), asym).empty());
}

TEST(Ewma, WindowStartsWhereTheExcursionBegan) {
  std::vector<double> v = {0.3, -0.2, -0.5, -0.4};  // the EWMA is below the centre at 2 and 3
  for (int i = 0; i < 10; ++i) v.push_back(1.5);
  auto a = ewma(seq(v), unit(), {});
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].side, 1);
  EXPECT_EQ(a[0].windowFirst, 4u);  // the EWMA turned positive at the first shifted point
  EXPECT_GT(a[0].statistic, a[0].limit);
}

TEST(Cusum, EstimatesTheChangePoint) {
  // 20 points on target, then +2 sigma: C+ grows 1.5 a point and passes h = 5 at the 4th.
  std::vector<double> v(20, 0.0);
  for (int i = 0; i < 6; ++i) v.push_back(2.0);
  auto a = cusum(seq(v), unit(), {});
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].rule, "CUSUM+");
  EXPECT_EQ(a[0].detectionIndex, 23u);
  EXPECT_EQ(a[0].windowFirst, 20u);
  EXPECT_EQ(a[0].pointsBeyond, 4u);
  EXPECT_DOUBLE_EQ(a[0].statistic, 6.0);
  EXPECT_DOUBLE_EQ(a[0].limit, 5.0);
  // Near miss: the same shift for three points only (C+ = 4.5).
  std::vector<double> w(20, 0.0);
  for (int i = 0; i < 3; ++i) w.push_back(2.0);
  for (int i = 0; i < 5; ++i) w.push_back(0.0);
  EXPECT_TRUE(cusum(seq(w), unit(), {}).empty());
  // The lower side.
  std::vector<double> d(5, 0.0);
  for (int i = 0; i < 4; ++i) d.push_back(-2.0);
  auto lo = cusum(seq(d), unit(), {});
  ASSERT_EQ(lo.size(), 1u);
  EXPECT_EQ(lo[0].rule, "CUSUM-");
  EXPECT_EQ(lo[0].side, -1);
}

// ---- baselines

TEST(Baseline, MovingRangeAndStdDevEstimateSigma) {
  Normal z(11);
  std::vector<double> x;
  for (int i = 0; i < 20000; ++i) x.push_back(5 + 2 * z());
  auto mr = estimateBaseline(x, 0, x.size(), SigmaMethod::kMovingRange);
  ASSERT_TRUE(mr.isOk());
  EXPECT_NEAR(mr->mean, 5, 0.05);
  EXPECT_NEAR(mr->sigma, 2, 0.04);
  EXPECT_EQ(mr->method, "moving-range");
  auto sd = estimateBaseline(x, 0, x.size(), SigmaMethod::kStdDev);
  ASSERT_TRUE(sd.isOk());
  EXPECT_NEAR(sd->sigma, 2, 0.04);
  // A drift inside the window inflates the standard deviation, hardly the moving range.
  std::vector<double> d = x;
  for (size_t i = 0; i < d.size(); ++i) d[i] += 8.0 * static_cast<double>(i) / d.size();
  auto mrd = estimateBaseline(d, 0, d.size(), SigmaMethod::kMovingRange);
  auto sdd = estimateBaseline(d, 0, d.size(), SigmaMethod::kStdDev);
  EXPECT_NEAR(mrd->sigma, 2, 0.05);
  EXPECT_GT(sdd->sigma, 2.8);
  // Subgroups: s-bar / c4.
  auto sg = estimateBaseline(x, 0, x.size(), SigmaMethod::kMovingRange, 5);
  ASSERT_TRUE(sg.isOk());
  EXPECT_NEAR(sg->sigma, 2, 0.04);
  EXPECT_EQ(sg->method, "s-bar/c4");
}

TEST(Baseline, C4AndRefusals) {
  EXPECT_NEAR(c4(2), 0.7979, 1e-4);
  EXPECT_NEAR(c4(5), 0.9400, 1e-4);
  EXPECT_NEAR(c4(25), 0.9896, 1e-4);
  EXPECT_FALSE(estimateBaseline({1.0}, 0, 1, SigmaMethod::kMovingRange).isOk());
  EXPECT_FALSE(estimateBaseline({2.0, 2.0, 2.0}, 0, 3, SigmaMethod::kMovingRange).isOk());
  EXPECT_FALSE(
      estimateBaseline({1, 2, 3, 4, 5}, 0, 5, SigmaMethod::kStdDev, 3).isOk());  // one subgroup
}

}  // namespace
}  // namespace weft::watch
