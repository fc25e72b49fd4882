// SPDX-License-Identifier: Apache-2.0
// engine/watch/failure.h: the conditional probability against closed forms, memorylessness of
// the exponential, a rolling-origin backtest on a synthetic Weibull history against a
// constant-rate baseline, a condition trend that raises recall, and no look-ahead.
#include "engine/watch/failure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

namespace weft::watch {
namespace {

class Rng {  // mt19937_64 with explicit transforms (portable across standard libraries)
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  double uniform() { return (static_cast<double>(g_() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double weibull(double k, double lambda) { return lambda * std::pow(-std::log(uniform()), 1 / k); }

 private:
  std::mt19937_64 g_;
};

// A machine with Weibull lives, an 8 h repair after each failure, observed for `end` hours;
// with `rampSigma` > 0 a tag sampled hourly (standard normal noise) that rises linearly by that
// many sigma over the 48 h before each failure.
MachineHistory synthetic(const std::string& name, double k, double lambda, double end,
                         uint64_t seed, double rampSigma) {
  Rng rng(seed);
  MachineHistory m;
  m.machine = name;
  m.start = 0;
  m.end = end;
  double t = 0;
  while (true) {
    double f = t + rng.weibull(k, lambda);
    if (f > end) break;
    m.outages.push_back({f, f + 8});
    t = f + 8;
  }
  if (rampSigma > 0) {
    TagSeries tag;
    tag.tag = name + ".VIB";
    size_t next = 0;
    for (double s = 0; s < end; s += 1) {
      while (next < m.outages.size() && m.outages[next].failure < s) ++next;
      double v = rng.normal();
      if (next < m.outages.size()) {
        double lead = m.outages[next].failure - s;
        if (lead < 48) v += rampSigma * (1 - lead / 48);
      }
      tag.time.push_back(s);
      tag.value.push_back(v);
    }
    m.tags.push_back(std::move(tag));
  }
  return m;
}

std::string fmt(const std::optional<double>& x) {
  return x ? std::to_string(*x).substr(0, 5) : std::string("n/a");
}

void report(const char* label, const FailureBacktest& r) {
  std::printf("[ FAILPRED ] %-34s n=%zu TP=%zu FP=%zu FN=%zu TN=%zu precision=%s recall=%s "
              "accuracy=%.3f failures warned %zu/%zu (skipped: no model %zu, unknown %zu, "
              "repair %zu) beta fitted at %zu points, last beta %.3f\n",
              label, r.evaluated, r.truePositives, r.falsePositives, r.falseNegatives,
              r.trueNegatives, fmt(r.precision).c_str(), fmt(r.recall).c_str(), r.accuracy,
              r.failuresWarned, r.failuresEvaluated, r.skippedNoModel, r.skippedUnknown,
              r.skippedInRepair, r.betaFittedPoints, r.lastBeta);
}

TEST(ConditionalProbability, ClosedForms) {
  // k = 2, lambda = 100, age 50, horizon 50: 1 - exp(0.25 - 1).
  EXPECT_NEAR(conditionalFailureProbability(2, 100, 50, 50), 1 - std::exp(-0.75), 1e-12);
  // Age 0: the Weibull CDF at the horizon.
  EXPECT_NEAR(conditionalFailureProbability(3, 500, 0, 72),
              1 - std::exp(-std::pow(72.0 / 500, 3)), 1e-12);
  // A hazard multiplier m: 1 - (1 - p)^m.
  double p = conditionalFailureProbability(2, 100, 50, 50);
  EXPECT_NEAR(conditionalFailureProbability(2, 100, 50, 50, 3), 1 - std::pow(1 - p, 3), 1e-12);
  // Increasing hazard (k > 1): older machines are more likely to fail; k < 1: less.
  EXPECT_LT(conditionalFailureProbability(2, 100, 10, 72),
            conditionalFailureProbability(2, 100, 200, 72));
  EXPECT_GT(conditionalFailureProbability(0.5, 100, 10, 72),
            conditionalFailureProbability(0.5, 100, 200, 72));
  EXPECT_DOUBLE_EQ(conditionalFailureProbability(2, 100, 50, 0), 0.0);
}

TEST(ConditionalProbability, ExponentialIsMemoryless) {
  double expected = 1 - std::exp(-72.0 / 400);
  for (double age : {0.0, 10.0, 400.0, 5000.0, 1e5}) {
    EXPECT_NEAR(conditionalFailureProbability(1, 400, age, 72), expected, 1e-9) << age;
  }
}

TEST(TrendScore, FlatNoiseIsSmallARampIsLarge) {
  Rng rng(7);
  TagSeries flat, ramp;
  for (int i = 0; i < 400; ++i) {
    double v = rng.normal();
    flat.time.push_back(i);
    flat.value.push_back(v);
    ramp.time.push_back(i);
    ramp.value.push_back(v + (i > 351 ? 4.0 * (i - 351) / 48 : 0.0));
  }
  TrendOptions o;
  auto zf = trendScore(flat, 399, o), zr = trendScore(ramp, 399, o);
  ASSERT_TRUE(zf && zr);
  EXPECT_LT(std::fabs(*zf), 1.5);   // about sqrt(12/48) = 0.5 sigma of noise
  EXPECT_NEAR(*zr, 4.0, 1.5);       // the planted rise of 4 sigma, plus noise
  ramp.direction = -1;
  EXPECT_NEAR(*trendScore(ramp, 399, o), -*zr, 1e-12);
  EXPECT_FALSE(trendScore(flat, 10, o));  // no baseline yet
}

TEST(Backtest, WeibullBeatsConstantRate) {
  // k = 3: wear-out, so the age says a lot; a constant rate cannot use it.
  std::vector<MachineHistory> fleet = {synthetic("M1", 3, 500, 20000, 11, 0)};
  ASSERT_GT(fleet[0].outages.size(), 30u);
  FailureOptions weib;
  weib.useCondition = false;
  FailureOptions expo = weib;
  expo.model = LifeModel::kExponential;
  BacktestOptions bt;
  bt.warmup = 24 * 60;  // a few failures before the first evaluation

  auto w = backtestFailures(fleet, weib, bt);
  auto e = backtestFailures(fleet, expo, bt);
  ASSERT_TRUE(w.isOk()) << w.status().message();
  ASSERT_TRUE(e.isOk()) << e.status().message();
  report("weibull, threshold 0.5", *w);
  report("exponential, threshold 0.5", *e);
  ASSERT_GT(w->evaluated, 1000u);
  // The constant rate (72/446 h of a mean life: P about 0.15) never reaches 0.5: no warning,
  // recall 0. The Weibull warns at high ages and catches some failures with good precision.
  ASSERT_TRUE(w->recall && w->precision);
  EXPECT_GT(*w->recall, e->recall.value_or(0.0));
  double prevalence = static_cast<double>(w->truePositives + w->falseNegatives) / w->evaluated;
  EXPECT_GT(*w->precision, 1.5 * prevalence);

  // At a threshold the constant rate crosses, it warns everywhere: precision = prevalence.
  weib.threshold = expo.threshold = 0.1;
  auto w1 = backtestFailures(fleet, weib, bt);
  auto e1 = backtestFailures(fleet, expo, bt);
  ASSERT_TRUE(w1.isOk() && e1.isOk());
  report("weibull, threshold 0.1", *w1);
  report("exponential, threshold 0.1", *e1);
  ASSERT_TRUE(w1->precision && e1->precision);
  EXPECT_GT(*w1->precision, *e1->precision + 0.05);
  EXPECT_GT(w1->accuracy, e1->accuracy);
}

TEST(Backtest, ConditionTrendRaisesRecall) {
  std::vector<MachineHistory> fleet = {synthetic("M1", 3, 500, 20000, 23, 3.0)};
  FailureOptions age;
  age.useCondition = false;
  FailureOptions cond;  // condition on, beta fitted once 5 failures have a score
  BacktestOptions bt;
  bt.warmup = 24 * 60;
  auto a = backtestFailures(fleet, age, bt);
  auto c = backtestFailures(fleet, cond, bt);
  ASSERT_TRUE(a.isOk() && c.isOk());
  report("age only", *a);
  report("age + vibration trend", *c);
  ASSERT_TRUE(a->recall && c->recall && a->precision && c->precision);
  EXPECT_GT(c->betaFittedPoints, c->evaluated / 2);
  EXPECT_GT(c->lastBeta, 0.0);
  EXPECT_GT(*c->recall, *a->recall + 0.1);
  EXPECT_GE(*c->precision, *a->precision - 0.05);  // "at equal precision", within 5 points
  EXPECT_GT(c->failuresWarned, a->failuresWarned);
}

// Predictions at t from the full record must equal those from the record cut at t: any use of
// a later failure, repair or sample (in the life model, in beta or in the score) breaks this.
TEST(Backtest, NoLookAhead) {
  std::vector<MachineHistory> full = {synthetic("A", 2.5, 400, 8000, 31, 2.5),
                                      synthetic("B", 2.5, 400, 8000, 32, 2.5)};
  FailureOptions o;
  o.minFailuresForBeta = 3;
  int compared = 0;
  for (double t = 1500; t < 7800; t += 37 * 12) {
    std::vector<MachineHistory> cut = full;
    for (auto& m : cut) {
      m.end = t + 1e-6;
      std::vector<Outage> kept;
      for (const auto& out : m.outages) {
        if (out.failure <= t) kept.push_back(out);
      }
      m.outages = kept;
      for (auto& tag : m.tags) {
        while (!tag.time.empty() && tag.time.back() > t) {
          tag.time.pop_back();
          tag.value.pop_back();
        }
      }
    }
    for (size_t j = 0; j < full.size(); ++j) {
      auto pf = predictFailure(full, j, t, o);
      auto pc = predictFailure(cut, j, t, o);
      ASSERT_EQ(pf.isOk(), pc.isOk()) << t;
      if (!pf.isOk()) continue;
      ++compared;
      EXPECT_DOUBLE_EQ(pf->probability, pc->probability) << t;
      EXPECT_DOUBLE_EQ(pf->shape, pc->shape) << t;
      EXPECT_DOUBLE_EQ(pf->beta, pc->beta) << t;
      EXPECT_EQ(pf->failures, pc->failures) << t;
    }
  }
  EXPECT_GT(compared, 15);
  // And the full record does change a prediction made at its end: the check has teeth.
  auto early = predictFailure(full, 0, 1500, o);
  auto late = predictFailure(full, 0, 7990, o);
  ASSERT_TRUE(early.isOk() && late.isOk());
  EXPECT_NE(early->failures, late->failures);
}

TEST(Predict, ErrorsAndEvidence) {
  std::vector<MachineHistory> fleet = {synthetic("M", 3, 500, 5000, 5, 2.0)};
  EXPECT_EQ(predictFailure(fleet, 0, 10).status().code(), StatusCode::kAborted);
  const Outage& o = fleet[0].outages[2];
  EXPECT_EQ(predictFailure(fleet, 0, o.failure + 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(predictFailure(fleet, 3, 100).status().code(), StatusCode::kInvalidArgument);
  FailureOptions opt;
  opt.minFailuresForBeta = 1000;  // never enough: the default beta, and the evidence says so
  auto p = predictFailure(fleet, 0, o.repaired + 100, opt);
  ASSERT_TRUE(p.isOk()) << p.status().message();
  EXPECT_NEAR(p->age, 100, 1e-9);
  EXPECT_FALSE(p->betaFitted);
  EXPECT_DOUBLE_EQ(p->beta, opt.defaultBeta);
  EXPECT_NE(p->evidence.find("default"), std::string::npos) << p->evidence;
  std::printf("[ FAILPRED ] evidence: %s\n", p->evidence.c_str());
}

}  // namespace
}  // namespace weft::watch
