// SPDX-License-Identifier: Apache-2.0
// Calibration fits (engine/sim/calibrate.h): parameter recovery from generated records
// (with right censoring), interval coverage, model selection, degenerate inputs, yields,
// demand, lead times, the trend test and the backtest rules. The data come from a
// SplitMix64 generator local to this file (fixed seeds), so the tests do not depend on the
// simulation kernel's random streams and every run is identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "engine/sim/calibrate.h"
#include "engine/sim/internal/calibrate_math.h"

using namespace weft;
using namespace weft::sim::calib;

namespace {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, full-period, good enough for test data.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform on the open interval (0, 1).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  double exponential(double rate) { return -std::log(uniform()) / rate; }
  double weibull(double k, double lambda) { return lambda * std::pow(-std::log(uniform()), 1 / k); }
  double normal() {  // Box-Muller, one of the pair (draws sequenced for portability)
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * math::kPi * u2);
  }
  double gamma(double alpha, double theta) {  // Marsaglia-Tsang
    if (alpha < 1) return gamma(alpha + 1, theta) * std::pow(uniform(), 1 / alpha);
    const double d = alpha - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * theta;
    }
  }
  int poisson(double mean) {  // inversion by sequential search (fine for small means)
    const double u = uniform();
    double p = std::exp(-mean), f = p;
    int k = 0;
    while (u > f && k < 10000) {
      ++k;
      p *= mean / k;
      f += p;
    }
    return k;
  }

 private:
  std::uint64_t s_;
};

// Random right censoring: each unit is observed for a Uniform(0, window) time (installed at
// a random point of the record); the observation is min(T, C).
template <typename Draw>
std::vector<Observation> censoredSample(Rng& rng, int n, double window, Draw draw) {
  std::vector<Observation> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) {
    const double t = draw(rng);
    const double c = window > 0 ? window * rng.uniform() : INFINITY;
    v.push_back(t <= c ? Observation{t, true} : Observation{c, false});
  }
  return v;
}

double censoredFraction(const std::vector<Observation>& v) {
  int c = 0;
  for (const auto& o : v) c += o.failed ? 0 : 1;
  return static_cast<double>(c) / v.size();
}

double logLikelihoodOf(const std::vector<Observation>& data, const Distribution& d) {
  double l = 0;
  for (const auto& o : data) l += o.failed ? d.logDensity(o.time) : d.logSurvival(o.time);
  return l;
}

// Window of the uniform censoring that censors 30 % of Weibull(1.8, 500) lifetimes:
// (1/W) int_0^W exp(-(c/500)^1.8) dc = 0.3 (solved numerically).
constexpr double kWindow30 = 1481.8;

// The reference failure process of these tests: Weibull(k = 1.8, lambda = 500 h), 30 %
// randomly censored.
std::vector<Observation> wearOutSample(Rng& rng, int n) {
  return censoredSample(rng, n, kWindow30, [](Rng& g) { return g.weibull(1.8, 500); });
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Special functions

TEST(CalibrateMath, GammaFamilyFunctions) {
  EXPECT_NEAR(math::lnGamma(0.5), 0.5723649429247001, 1e-13);
  EXPECT_NEAR(math::lnGamma(1), 0, 1e-14);
  EXPECT_NEAR(math::lnGamma(2), 0, 1e-14);
  EXPECT_NEAR(math::lnGamma(10), 12.801827480081469, 1e-12);
  EXPECT_NEAR(math::lnGamma(1e-3), 6.907178885383854, 1e-11);
  EXPECT_NEAR(math::lnGamma(171.5), std::lgamma(171.5), 1e-9);
  EXPECT_NEAR(math::digamma(1), -0.5772156649015329, 1e-13);
  EXPECT_NEAR(math::digamma(0.5), -1.9635100260214235, 1e-13);
  EXPECT_NEAR(math::trigamma(1), math::kPi * math::kPi / 6, 1e-13);
  EXPECT_NEAR(math::trigamma(0.5), math::kPi * math::kPi / 2, 1e-12);
  // P(1, x) = 1 - e^-x and P(1/2, x) = erf(sqrt x).
  for (double x : {0.01, 0.5, 1.0, 3.0, 20.0}) {
    EXPECT_NEAR(math::gammaP(1, x), -std::expm1(-x), 1e-14) << x;
    EXPECT_NEAR(math::gammaP(0.5, x), std::erf(std::sqrt(x)), 1e-14) << x;
    EXPECT_NEAR(math::gammaP(2.5, x) + math::gammaQ(2.5, x), 1, 1e-14) << x;
  }
  for (double a : {0.05, 0.5, 3.0, 40.0}) {
    for (double p : {1e-6, 0.025, 0.5, 0.975, 1 - 1e-9}) {
      EXPECT_NEAR(math::gammaP(a, math::gammaPInverse(a, p)), p, 1e-12 + 1e-10 * p)
          << a << " " << p;
    }
  }
  EXPECT_NEAR(math::chiSquareQuantile(0.95, 1), 3.841458820694124, 1e-10);
  EXPECT_NEAR(math::chiSquareQuantile(0.975, 2), -2 * std::log(0.025), 1e-12);
  EXPECT_NEAR(math::chiSquareSurvival(3.841458820694124, 1), 0.05, 1e-12);
}

TEST(CalibrateMath, NormalFunctions) {
  EXPECT_NEAR(math::normalQuantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(math::normalQuantile(1e-10), -6.361340902404056, 1e-11);
  for (double z : {-8.0, -2.0, -0.3, 0.0, 1.0, 4.0, 9.0}) {
    const double p = math::normalCdf(z);
    if (p > 0 && p < 1) {
      EXPECT_NEAR(math::normalQuantile(p), z, 1e-9) << z;
    }
  }
  // The hazard is continuous where its two branches meet, and ln S stays finite far out.
  EXPECT_NEAR(math::normalHazard(24.999999) / math::normalHazard(25.0), 1, 1e-6);
  const double far = math::logNormalSurvival(60);
  EXPECT_TRUE(std::isfinite(far));
  EXPECT_NEAR(far, -1800 - math::kLnSqrt2Pi - std::log(60.0166), 1e-3);
  // Kolmogorov: the classic 5 % and 1 % critical values 1.358 and 1.628.
  EXPECT_NEAR(math::kolmogorovSurvival(1.358), 0.05, 1e-3);
  EXPECT_NEAR(math::kolmogorovSurvival(1.628), 0.01, 1e-3);
  EXPECT_NEAR(math::kolmogorovSurvival(1.0), 0.26999967, 1e-6);
}

// ---------------------------------------------------------------------------------------
// Weibull

TEST(CalibrateWeibull, RecoversShapeAndScaleWith30PercentCensoring) {
  Rng rng(20240801);
  const auto data = wearOutSample(rng, 2000);
  const double cf = censoredFraction(data);
  EXPECT_GT(cf, 0.27);
  EXPECT_LT(cf, 0.33);
  auto fit = fitWeibull(data);
  ASSERT_TRUE(fit.isOk()) << fit.status().toString();
  std::printf("weibull n=2000 censored=%.3f: k=%.4f se=%.4f [%.4f, %.4f]; "
              "lambda=%.2f se=%.2f [%.2f, %.2f]; iterations=%d\n",
              cf, fit->shape.value, fit->shape.stdError, fit->shape.ci.lower,
              fit->shape.ci.upper, fit->scale.value, fit->scale.stdError, fit->scale.ci.lower,
              fit->scale.ci.upper, fit->iterations);
  // Tolerance from the fit's own precision: 3 standard errors (~99.7 %).
  EXPECT_NEAR(fit->shape.value, 1.8, 3 * fit->shape.stdError);
  EXPECT_NEAR(fit->scale.value, 500, 3 * fit->scale.stdError);
  EXPECT_TRUE(fit->shape.ci.contains(1.8));
  EXPECT_TRUE(fit->scale.ci.contains(500));
  // The precision itself is what n = 2000 should give (about 2 % on k, 1.5 % on lambda).
  EXPECT_LT(fit->shape.stdError / fit->shape.value, 0.03);
  EXPECT_LT(fit->scale.stdError / fit->scale.value, 0.02);
  EXPECT_EQ(fit->failures + fit->censored, 2000);
  // MTTF = lambda Gamma(1 + 1/k) = 444.6 for the truth.
  EXPECT_TRUE(fit->mean.ci.contains(500 * std::exp(math::lnGamma(1 + 1 / 1.8))));
  EXPECT_LT(fit->iterations, 15);
}

TEST(CalibrateWeibull, SmallSampleStillCoversTruth) {
  Rng rng(77);
  const auto data = wearOutSample(rng, 20);
  auto fit = fitWeibull(data);
  ASSERT_TRUE(fit.isOk()) << fit.status().toString();
  std::printf("weibull n=20 failures=%d: k=%.3f [%.3f, %.3f]; lambda=%.1f [%.1f, %.1f]\n",
              fit->failures, fit->shape.value, fit->shape.ci.lower, fit->shape.ci.upper,
              fit->scale.value, fit->scale.ci.lower, fit->scale.ci.upper);
  EXPECT_TRUE(fit->shape.ci.contains(1.8));
  EXPECT_TRUE(fit->scale.ci.contains(500));
  // With ~14 failures the interval on k spans roughly a factor of 2.
  EXPECT_GT(fit->shape.ci.upper / fit->shape.ci.lower, 1.6);
  EXPECT_LT(fit->shape.ci.upper / fit->shape.ci.lower, 4);
}

// Coverage of the 95 % intervals over repeated samples (n = 100, 30 % censoring). The
// log-scale Wald interval is slightly liberal for k at this size; outside [0.90, 0.985]
// something is wrong (a sign error in the information, a wrong z).
TEST(CalibrateWeibull, IntervalsCoverAtTheirLevel) {
  Rng rng(4242);
  const int reps = 400;
  int coverK = 0, coverL = 0;
  double sumK = 0;
  for (int i = 0; i < reps; ++i) {
    const auto data = wearOutSample(rng, 100);
    auto fit = fitWeibull(data);
    ASSERT_TRUE(fit.isOk()) << fit.status().toString();
    coverK += fit->shape.ci.contains(1.8);
    coverL += fit->scale.ci.contains(500);
    sumK += fit->shape.value;
  }
  std::printf("weibull coverage n=100 x %d: k %.3f, lambda %.3f; mean k-hat %.4f\n", reps,
              double(coverK) / reps, double(coverL) / reps, sumK / reps);
  EXPECT_GE(coverK, 0.90 * reps);
  EXPECT_LE(coverK, 0.985 * reps);
  EXPECT_GE(coverL, 0.90 * reps);
  EXPECT_LE(coverL, 0.985 * reps);
  // The MLE of k is biased upwards in small samples, by a few percent at n = 100.
  EXPECT_GT(sumK / reps, 1.8);
  EXPECT_LT(sumK / reps, 1.8 * 1.06);
}

TEST(CalibrateWeibull, RobustAcrossShapes) {
  for (double k : {0.2, 0.5, 1.0, 3.5, 8.0, 20.0}) {
    Rng rng(1000 + static_cast<std::uint64_t>(k * 10));
    // Censor at a fixed end of record where 30 % of units still run (type I).
    const double end = 500 * std::pow(-std::log(0.3), 1 / k);
    std::vector<Observation> data;
    for (int i = 0; i < 500; ++i) {
      const double t = rng.weibull(k, 500);
      data.push_back(t <= end ? Observation{t, true} : Observation{end, false});
    }
    auto fit = fitWeibull(data);
    ASSERT_TRUE(fit.isOk()) << k << ": " << fit.status().toString();
    EXPECT_NEAR(fit->shape.value, k, 4 * fit->shape.stdError) << k;
    EXPECT_NEAR(fit->scale.value, 500, 4 * fit->scale.stdError) << k;
    EXPECT_LT(fit->iterations, 30) << k;
  }
}

// The fit is the maximum (zero gradient) and its covariance is the inverse of the
// finite-difference Hessian of the log-likelihood built from the distribution's density
// and survival functions.
TEST(CalibrateWeibull, MaximumAndInformationMatchFiniteDifferences) {
  Rng rng(9);
  const auto data = wearOutSample(rng, 300);
  auto fit = fitWeibull(data);
  ASSERT_TRUE(fit.isOk());
  const double k = fit->shape.value, l = fit->scale.value;
  auto ll = [&](double kk, double ll_) {
    Distribution d;
    d.family = Family::kWeibull;
    d.a = kk;
    d.b = ll_;
    return logLikelihoodOf(data, d);
  };
  EXPECT_NEAR(ll(k, l), fit->logLikelihood, 1e-8 * std::fabs(fit->logLikelihood));
  const double hk = 1e-4 * k, hl = 1e-4 * l;
  EXPECT_NEAR((ll(k + hk, l) - ll(k - hk, l)) / (2 * hk), 0, 1e-4);
  EXPECT_NEAR((ll(k, l + hl) - ll(k, l - hl)) / (2 * hl), 0, 1e-6);
  const double f0 = ll(k, l);
  const double hkk = (ll(k + hk, l) - 2 * f0 + ll(k - hk, l)) / (hk * hk);
  const double hll = (ll(k, l + hl) - 2 * f0 + ll(k, l - hl)) / (hl * hl);
  const double hkl = (ll(k + hk, l + hl) - ll(k + hk, l - hl) - ll(k - hk, l + hl) +
                      ll(k - hk, l - hl)) / (4 * hk * hl);
  // Covariance = (-H)^{-1}.
  const double det = hkk * hll - hkl * hkl;
  EXPECT_NEAR(fit->shape.stdError * fit->shape.stdError, -hll / det,
              1e-3 * fit->shape.stdError * fit->shape.stdError);
  EXPECT_NEAR(fit->scale.stdError * fit->scale.stdError, -hkk / det,
              1e-3 * fit->scale.stdError * fit->scale.stdError);
  EXPECT_NEAR(fit->covShapeScale, hkl / det, 1e-3 * std::fabs(fit->covShapeScale));
}

TEST(CalibrateWeibull, ExponentialIsTheShapeOneCase) {
  Rng rng(31337);
  const auto data = censoredSample(rng, 1000, 600, [](Rng& g) { return g.exponential(1 / 200.0); });
  auto t = testExponential(data);
  ASSERT_TRUE(t.isOk()) << t.status().toString();
  std::printf("exponential n=1000 censored=%.3f: rate=%.6f [%.6f, %.6f], weibull k=%.4f, "
              "LRT=%.3f p=%.3f\n",
              censoredFraction(data), t->exponential.rate.value, t->exponential.rate.ci.lower,
              t->exponential.rate.ci.upper, t->weibull.shape.value, t->test.statistic,
              t->test.pValue);
  EXPECT_TRUE(t->weibull.shape.ci.contains(1.0));
  EXPECT_TRUE(t->exponential.rate.ci.contains(1 / 200.0));
  EXPECT_TRUE(t->exponential.mean.ci.contains(200.0));
  EXPECT_GE(t->weibull.logLikelihood, t->exponential.logLikelihood);
  EXPECT_GT(t->test.pValue, 0.05);
  // The exponential log-likelihood is the Weibull one at k = 1, lambda = 1/rate.
  Distribution w;
  w.family = Family::kWeibull;
  w.a = 1;
  w.b = 1 / t->exponential.rate.value;
  EXPECT_NEAR(logLikelihoodOf(data, w), t->exponential.logLikelihood, 1e-8);

  // Wear-out data reject k = 1 overwhelmingly.
  Rng rng2(5);
  const auto wear = wearOutSample(rng2, 1000);
  auto t2 = testExponential(wear);
  ASSERT_TRUE(t2.isOk());
  EXPECT_LT(t2->test.pValue, 1e-10);
}

TEST(CalibrateWeibull, ExponentialExactInterval) {
  // 10 failures in 1000 h: rate 0.01, chi-square bounds chi2(0.025; 20)/2000 and
  // chi2(0.975; 22)/2000.
  std::vector<Observation> data;
  for (int i = 0; i < 10; ++i) data.push_back({50, true});
  data.push_back({500, false});
  auto fit = fitExponential(data);
  ASSERT_TRUE(fit.isOk());
  EXPECT_DOUBLE_EQ(fit->rate.value, 0.01);
  EXPECT_NEAR(fit->rate.ci.lower, 9.590777 / 2000, 1e-8);
  EXPECT_NEAR(fit->rate.ci.upper, 36.78071 / 2000, 1e-7);
  EXPECT_NEAR(fit->mean.value, 100, 1e-12);
  EXPECT_NEAR(fit->mean.ci.upper, 2000 / 9.590777, 1e-3);
}

TEST(CalibrateWeibull, KnownShapeWeibayes) {
  Rng rng(12);
  const auto data = wearOutSample(rng, 15);
  auto fit = fitWeibullKnownShape(data, 1.8);
  ASSERT_TRUE(fit.isOk()) << fit.status().toString();
  EXPECT_EQ(fit->shape.value, 1.8);
  EXPECT_TRUE(fit->scale.ci.contains(500));
  // Same scale as the profile formula of the free fit would give at k = 1.8.
  double sum = 0;
  for (const auto& o : data) sum += std::pow(o.time, 1.8);
  EXPECT_NEAR(fit->scale.value, std::pow(sum / fit->failures, 1 / 1.8), 1e-9 * 500);
  const std::vector<Observation> none = {{100, false}, {200, false}};
  EXPECT_FALSE(fitWeibullKnownShape(none, 1.8).isOk());
  EXPECT_FALSE(fitWeibullKnownShape(data, 0).isOk());
}

TEST(CalibrateWeibull, DegenerateInputsAreErrors) {
  auto expectError = [](const std::vector<Observation>& d, const char* needle) {
    auto fit = fitWeibull(d);
    ASSERT_FALSE(fit.isOk()) << needle;
    EXPECT_EQ(fit.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(fit.status().message().find(needle), std::string::npos)
        << fit.status().message();
  };
  expectError({}, "no observations");
  expectError({{10, true}, {0, true}, {20, true}}, "observation 1");
  expectError({{10, true}, {-5, true}}, "observation 1");
  expectError({{NAN, true}, {5, true}}, "observation 0");
  expectError({{10, true}, {INFINITY, false}}, "observation 1");
  expectError({{10, false}, {20, false}, {30, false}}, "no failures");
  expectError({{10, true}, {20, false}, {30, false}}, "fewer than 2 distinct");
  expectError({{10, true}, {10, true}, {30, false}}, "fewer than 2 distinct");
  EXPECT_FALSE(fitExponential({{10, false}}).isOk());
  FitOptions bad;
  bad.confidence = 1.5;
  EXPECT_FALSE(fitWeibull({{10, true}, {20, true}}, bad).isOk());
  // Two distinct failures are enough (wide intervals, but a defined estimate).
  EXPECT_TRUE(fitWeibull({{10, true}, {20, true}}).isOk());
}

// ---------------------------------------------------------------------------------------
// Lognormal, normal, gamma

TEST(CalibrateRepair, LognormalRecovery) {
  Rng rng(2718);
  std::vector<double> t;
  for (int i = 0; i < 1000; ++i) t.push_back(std::exp(1.5 + 0.6 * rng.normal()));
  auto fit = fitLognormal(uncensored(t));
  ASSERT_TRUE(fit.isOk()) << fit.status().toString();
  std::printf("lognormal n=1000: mu=%.4f [%.4f, %.4f] sigma=%.4f [%.4f, %.4f] MTTR=%.3f\n",
              fit->mu.value, fit->mu.ci.lower, fit->mu.ci.upper, fit->sigma.value,
              fit->sigma.ci.lower, fit->sigma.ci.upper, fit->mean.value);
  EXPECT_NEAR(fit->mu.value, 1.5, 3 * fit->mu.stdError);
  EXPECT_NEAR(fit->sigma.value, 0.6, 3 * fit->sigma.stdError);
  EXPECT_TRUE(fit->mu.ci.contains(1.5));
  EXPECT_TRUE(fit->sigma.ci.contains(0.6));
  EXPECT_TRUE(fit->mean.ci.contains(std::exp(1.5 + 0.18)));
  EXPECT_EQ(fit->iterations, 0);  // closed form without censoring
  // Closed form: mean and 1/n standard deviation of ln t.
  double m = 0;
  for (double x : t) m += std::log(x);
  m /= t.size();
  EXPECT_NEAR(fit->mu.value, m, 1e-12);
  EXPECT_NEAR(fit->logLikelihood, logLikelihoodOf(uncensored(t), fit->distribution()), 1e-8);
}

TEST(CalibrateRepair, LognormalWithCensoringAndTheBiasOfDroppingIt) {
  Rng rng(99);
  // Repairs still open at the end of the record are censored.
  const auto data =
      censoredSample(rng, 2000, 40, [](Rng& g) { return std::exp(2.0 + 0.7 * g.normal()); });
  const double cf = censoredFraction(data);
  EXPECT_GT(cf, 0.15);
  auto fit = fitLognormal(data);
  ASSERT_TRUE(fit.isOk()) << fit.status().toString();
  std::printf("lognormal censored=%.3f: mu=%.4f se=%.4f sigma=%.4f se=%.4f iterations=%d\n", cf,
              fit->mu.value, fit->mu.stdError, fit->sigma.value, fit->sigma.stdError,
              fit->iterations);
  EXPECT_NEAR(fit->mu.value, 2.0, 3 * fit->mu.stdError);
  EXPECT_NEAR(fit->sigma.value, 0.7, 3 * fit->sigma.stdError);
  EXPECT_GT(fit->iterations, 0);
  EXPECT_NEAR(fit->logLikelihood, logLikelihoodOf(data, fit->distribution()),
              1e-8 * std::fabs(fit->logLikelihood));
  // Dropping the open repairs biases MTTR low, far outside the interval.
  std::vector<double> closed;
  for (const auto& o : data) {
    if (o.failed) closed.push_back(o.time);
  }
  auto naive = fitLognormal(uncensored(closed));
  ASSERT_TRUE(naive.isOk());
  EXPECT_LT(naive->mu.value, fit->mu.ci.lower);
}

TEST(CalibrateRepair, NormalCycleTimes) {
  Rng rng(123);
  std::vector<double> t;
  for (int i = 0; i < 500; ++i) t.push_back(45 + 3 * rng.normal());
  auto fit = fitNormal(uncensored(t));
  ASSERT_TRUE(fit.isOk());
  EXPECT_TRUE(fit->mu.ci.contains(45));
  EXPECT_TRUE(fit->sigma.ci.contains(3));
  EXPECT_NEAR(fit->mu.stdError, fit->sigma.value / std::sqrt(500.0), 1e-12);
  EXPECT_NEAR(fit->sigma.stdError, fit->sigma.value / std::sqrt(1000.0), 1e-9);
  // Censored normal (Tobit): recover the truth from min(T, 46).
  std::vector<Observation> cens;
  for (double x : t) cens.push_back(x <= 46 ? Observation{x, true} : Observation{46, false});
  auto cf = fitNormal(cens);
  ASSERT_TRUE(cf.isOk()) << cf.status().toString();
  EXPECT_NEAR(cf->mu.value, fit->mu.value, 3 * cf->mu.stdError);
  EXPECT_TRUE(cf->sigma.ci.contains(3));
}

TEST(CalibrateRepair, GammaRecovery) {
  for (auto [alpha, theta] : {std::pair{2.5, 4.0}, std::pair{0.5, 10.0}, std::pair{30.0, 0.2}}) {
    Rng rng(static_cast<std::uint64_t>(alpha * 1000));
    std::vector<double> x;
    for (int i = 0; i < 2000; ++i) x.push_back(rng.gamma(alpha, theta));
    auto fit = fitGamma(uncensored(x));
    ASSERT_TRUE(fit.isOk()) << fit.status().toString();
    std::printf("gamma n=2000 alpha=%.4f [%.4f, %.4f] theta=%.4f [%.4f, %.4f] it=%d\n",
                fit->shape.value, fit->shape.ci.lower, fit->shape.ci.upper, fit->scale.value,
                fit->scale.ci.lower, fit->scale.ci.upper, fit->iterations);
    EXPECT_NEAR(fit->shape.value, alpha, 3 * fit->shape.stdError) << alpha;
    EXPECT_NEAR(fit->scale.value, theta, 3 * fit->scale.stdError) << alpha;
    // The MLE solves ln(alpha) - psi(alpha) = ln(mean) - mean(ln x).
    double s = 0, sl = 0;
    for (double v : x) {
      s += v;
      sl += std::log(v);
    }
    const double rhs = std::log(s / x.size()) - sl / x.size();
    EXPECT_NEAR(std::log(fit->shape.value) - math::digamma(fit->shape.value), rhs, 1e-12);
    EXPECT_NEAR(fit->mean.value, s / x.size(), 1e-9 * s / x.size());
    EXPECT_NEAR(fit->logLikelihood, logLikelihoodOf(uncensored(x), fit->distribution()),
                1e-7 * std::fabs(fit->logLikelihood));
    EXPECT_LT(fit->iterations, 10);
  }
  auto cens = fitGamma({{1, true}, {2, true}, {3, false}});
  ASSERT_FALSE(cens.isOk());
  EXPECT_EQ(cens.status().code(), StatusCode::kUnsupported);
  EXPECT_FALSE(fitGamma(uncensored({4, 4, 4})).isOk());
}

TEST(CalibrateRepair, LocationScaleDegenerateInputs) {
  EXPECT_FALSE(fitLognormal(uncensored({})).isOk());
  EXPECT_FALSE(fitLognormal(uncensored({1, 0, 2})).isOk());    // ln 0
  EXPECT_TRUE(fitNormal(uncensored({-1, 0, 2})).isOk());       // the normal takes any value
  EXPECT_FALSE(fitNormal(uncensored({5, 5, 5})).isOk());       // no spread
  EXPECT_FALSE(fitNormal({{5, true}, {6, false}}).isOk());     // one uncensored value
}

// ---------------------------------------------------------------------------------------
// Empirical, KS, model selection

TEST(CalibrateSelect, KaplanMeierByHand) {
  // 1, 2+, 3, 4+, 5: S = 4/5 after 1, x 2/3 after 3, x 0 after 5.
  const std::vector<Observation> d = {{1, true}, {2, false}, {3, true}, {4, false}, {5, true}};
  auto e = fitEmpirical(d);
  ASSERT_TRUE(e.isOk());
  ASSERT_EQ(e->points, (std::vector<double>{1, 3, 5}));
  EXPECT_NEAR(e->weights[0], 0.2, 1e-15);
  EXPECT_NEAR(e->weights[1], 0.8 / 3, 1e-15);
  EXPECT_NEAR(e->weights[2], 1.6 / 3, 1e-15);
  EXPECT_NEAR(e->cdf(3.5), 0.2 + 0.8 / 3, 1e-15);
  EXPECT_EQ(e->quantile(0.5), 5);
  EXPECT_EQ(e->quantile(0.2), 1);
  EXPECT_EQ(e->quantile(0.0), 1);
  EXPECT_EQ(e->quantile(1.0), 5);
  EXPECT_NEAR(ksDistance(d, *e), 0, 1e-15);
  // Censored tail: the mass left above the last failure sits on the longest observation.
  auto tail = fitEmpirical({{1, true}, {2, true}, {9, false}});
  ASSERT_TRUE(tail.isOk());
  EXPECT_EQ(tail->points.back(), 9);
  EXPECT_NEAR(tail->weights.back(), 1.0 / 3, 1e-15);
  EXPECT_NEAR(tail->mean(), (1 + 2 + 9) / 3.0, 1e-12);
}

TEST(CalibrateSelect, KsDistanceUncensoredIsTheClassicStatistic) {
  Rng rng(8);
  std::vector<double> x;
  for (int i = 0; i < 200; ++i) x.push_back(rng.exponential(1.0));
  Distribution d;
  d.family = Family::kExponential;
  d.a = 1.2;
  std::vector<double> s = x;
  std::sort(s.begin(), s.end());
  double classic = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double f = d.cdf(s[i]);
    classic = std::max({classic, (i + 1.0) / s.size() - f, f - double(i) / s.size()});
  }
  EXPECT_NEAR(ksDistance(uncensored(x), d), classic, 1e-15);
}

TEST(CalibrateSelect, AicPicksTheTrueFamily) {
  struct Case {
    Family truth;
    int n;
    double (*draw)(Rng&);
  };
  const Case cases[] = {
      {Family::kWeibull, 1000, [](Rng& g) { return g.weibull(2.5, 100); }},
      {Family::kLognormal, 1000, [](Rng& g) { return std::exp(3 + 0.8 * g.normal()); }},
      {Family::kGamma, 2000, [](Rng& g) { return g.gamma(3, 5); }},
      // A Weibull with k ~ 3.6 is almost symmetric, so normal vs Weibull is the hardest
      // pair: at n = 1000 the AIC margin can be as small as 0.1; n = 3000 keeps it > 4.
      {Family::kNormal, 3000, [](Rng& g) { return 100 + 25 * g.normal(); }},
      {Family::kExponential, 1000, [](Rng& g) { return g.exponential(0.01); }},
  };
  for (const auto& c : cases) {
    int right = 0;
    const int seeds = 5;
    for (int s = 0; s < seeds; ++s) {
      Rng rng(500 + s);
      std::vector<double> x;
      for (int i = 0; i < c.n; ++i) x.push_back(c.draw(rng));
      auto sel = selectModel(uncensored(x));
      ASSERT_TRUE(sel.isOk()) << sel.status().toString();
      EXPECT_FALSE(sel->empiricalFallback) << familyName(c.truth);
      right += sel->chosen().family == c.truth;
      if (s == 0) {
        std::printf("select %-11s:", familyName(c.truth));
        for (const auto& cand : sel->candidates) {
          std::printf(" %s aic=%.1f ks=%.3f p=%.2f;", familyName(cand.family), cand.aic,
                      cand.ks, cand.ksPValue);
        }
        std::printf(" -> %s (margin %.1f)\n", familyName(sel->chosen().family), sel->aicMargin);
      }
    }
    // The exponential is nested in the Weibull and the gamma: a free shape beats it on
    // AIC whenever the LR statistic exceeds 2 (probability ~16 %), so allow one miss.
    EXPECT_GE(right, c.truth == Family::kExponential ? seeds - 1 : seeds) << familyName(c.truth);
  }
}

TEST(CalibrateSelect, CensoredFailuresSelectWeibullAndSkipGamma) {
  Rng rng(2024);
  const auto data = wearOutSample(rng, 1500);
  auto sel = selectModel(data);
  ASSERT_TRUE(sel.isOk()) << sel.status().toString();
  EXPECT_EQ(sel->chosen().family, Family::kWeibull);
  bool sawGamma = false;
  for (const auto& c : sel->candidates) {
    if (c.family == Family::kGamma) {
      sawGamma = true;
      EXPECT_EQ(c.status.code(), StatusCode::kUnsupported);
    }
  }
  EXPECT_TRUE(sawGamma);
}

TEST(CalibrateSelect, EmpiricalFallbackForBimodalData) {
  Rng rng(6);
  std::vector<double> x;
  for (int i = 0; i < 600; ++i) {
    x.push_back(rng.uniform() < 0.5 ? 10 + rng.normal() : 60 + 2 * rng.normal());
  }
  auto sel = selectModel(uncensored(x));
  ASSERT_TRUE(sel.isOk());
  EXPECT_TRUE(sel->empiricalFallback);
  EXPECT_EQ(sel->chosen().family, Family::kEmpirical);
  std::vector<double> s = x;
  std::sort(s.begin(), s.end());
  EXPECT_EQ(sel->chosen().distribution.quantile(0.5), s[299]);
  double mean = 0;
  for (double v : x) mean += v;
  EXPECT_NEAR(sel->chosen().distribution.mean(), mean / x.size(), 1e-9);
  // A small sample keeps the best parametric fit (an empirical law of 20 points is worse).
  std::vector<double> small(x.begin(), x.begin() + 20);
  auto sel2 = selectModel(uncensored(small));
  ASSERT_TRUE(sel2.isOk());
  EXPECT_FALSE(sel2->empiricalFallback);
  EXPECT_NE(sel2->chosen().family, Family::kEmpirical);
}

// ---------------------------------------------------------------------------------------
// Yield, demand, lead times, trend, backtest

TEST(CalibrateRecords, WilsonInterval) {
  const double z2 = 1.959963984540054 * 1.959963984540054;
  auto none = fitYield(0, 10);
  ASSERT_TRUE(none.isOk());
  EXPECT_EQ(none->proportion.value, 0);
  EXPECT_EQ(none->proportion.ci.lower, 0);
  EXPECT_NEAR(none->proportion.ci.upper, z2 / (10 + z2), 1e-12);  // 0.2775
  auto all = fitYield(10, 10);
  ASSERT_TRUE(all.isOk());
  EXPECT_EQ(all->proportion.ci.upper, 1);
  EXPECT_NEAR(all->proportion.ci.lower, 10 / (10 + z2), 1e-12);
  auto half = fitYield(5, 10);
  ASSERT_TRUE(half.isOk());
  EXPECT_NEAR(half->proportion.ci.lower, 0.2366, 1e-4);
  EXPECT_NEAR(half->proportion.ci.upper, 0.7634, 1e-4);
  auto big = fitYield(98'765, 100'000);
  ASSERT_TRUE(big.isOk());
  EXPECT_TRUE(big->proportion.ci.contains(0.98765));
  EXPECT_LT(big->proportion.ci.upper - big->proportion.ci.lower, 0.0015);
  EXPECT_FALSE(fitYield(0, 0).isOk());
  EXPECT_FALSE(fitYield(11, 10).isOk());
}

TEST(CalibrateRecords, DemandPoissonAndOverdispersion) {
  Rng rng(17);
  std::vector<double> weekly;
  for (int i = 0; i < 104; ++i) weekly.push_back(rng.poisson(20));
  auto p = fitDemand(weekly);
  ASSERT_TRUE(p.isOk());
  std::printf("demand poisson: mean=%.3f [%.3f, %.3f] index=%.3f p=%.3f: %s\n", p->mean,
              p->rate.ci.lower, p->rate.ci.upper, p->dispersionIndex, p->dispersionPValue,
              p->note.c_str());
  EXPECT_TRUE(p->rate.ci.contains(20));
  EXPECT_NEAR(p->dispersionIndex, 1, 0.4);
  // The over-dispersion flag is a 5 % test: on Poisson data it fires about 5 % of the time
  // (this seed's sample happens to be one of them, p = 0.037), so check its rate.
  int flagged = 0;
  const int reps = 400;
  for (int r = 0; r < reps; ++r) {
    std::vector<double> w;
    for (int i = 0; i < 52; ++i) w.push_back(rng.poisson(20));
    auto f = fitDemand(w);
    ASSERT_TRUE(f.isOk());
    flagged += f->overdispersed;
    EXPECT_EQ(f->overdispersed, f->negativeBinomial.has_value());
  }
  std::printf("demand poisson: over-dispersion flagged in %d of %d Poisson samples\n", flagged,
              reps);
  EXPECT_GE(flagged, 0.01 * reps);
  EXPECT_LE(flagged, 0.09 * reps);

  // Gamma-Poisson mixture = negative binomial with size 4 and mean 20 (variance 120).
  std::vector<double> lumpy;
  for (int i = 0; i < 400; ++i) lumpy.push_back(rng.poisson(rng.gamma(4, 5)));
  auto nb = fitDemand(lumpy);
  ASSERT_TRUE(nb.isOk());
  std::printf("demand negbin: mean=%.3f var=%.2f size=%.3f p=%.4f: %s\n", nb->mean,
              nb->variance, nb->negativeBinomial ? nb->negativeBinomial->size : 0.0,
              nb->negativeBinomial ? nb->negativeBinomial->probability : 0.0, nb->note.c_str());
  EXPECT_TRUE(nb->overdispersed);
  ASSERT_TRUE(nb->negativeBinomial.has_value());
  EXPECT_NEAR(nb->negativeBinomial->size, 4, 1.2);
  EXPECT_NEAR(nb->negativeBinomial->probability, 1.0 / 6, 0.05);

  // No demand: point 0, upper bound chi2(0.975; 2)/2 = -ln 0.025 for one period.
  auto zero = fitDemand({0});
  ASSERT_TRUE(zero.isOk());
  EXPECT_EQ(zero->rate.ci.lower, 0);
  EXPECT_NEAR(zero->rate.ci.upper, -std::log(0.025), 1e-10);
  auto zeros = fitDemand({0, 0, 0});
  ASSERT_TRUE(zeros.isOk());
  EXPECT_TRUE(std::isnan(zeros->dispersionIndex));
  EXPECT_FALSE(fitDemand({}).isOk());
  EXPECT_FALSE(fitDemand({3, -1}).isOk());
  // Perfectly regular demand is flagged as under-dispersed.
  auto regular = fitDemand(std::vector<double>(30, 50));
  ASSERT_TRUE(regular.isOk());
  EXPECT_NE(regular->note.find("under-dispersed"), std::string::npos) << regular->note;
}

TEST(CalibrateRecords, LeadTimesFromPairedEvents) {
  Rng rng(404);
  std::vector<KeyedTime> shipped, received;
  std::vector<double> truth;
  for (int i = 0; i < 400; ++i) {
    const double ship = 1000 * rng.uniform();
    const double lead = rng.gamma(6, 8);  // hours, mean 48
    shipped.push_back({"sscc-" + std::to_string(i), ship});
    if (i % 50 != 7) received.push_back({"sscc-" + std::to_string(i), ship + lead});
    truth.push_back(lead);
  }
  received.push_back({"sscc-orphan", 5});
  shipped.push_back({"sscc-dup", 1});
  shipped.push_back({"sscc-dup", 2});
  received.push_back({"sscc-dup", 30});
  std::reverse(received.begin(), received.end());  // order of receipts must not matter

  const Pairing pairing = pairByKey(shipped, received);
  EXPECT_EQ(pairing.pairs.size(), 392u);
  EXPECT_EQ(pairing.unmatchedShipped.size(), 8u);
  EXPECT_EQ(pairing.unmatchedShipped[0], "sscc-7");
  EXPECT_EQ(pairing.unmatchedReceived, std::vector<std::string>{"sscc-orphan"});
  EXPECT_EQ(pairing.duplicateKeys, std::vector<std::string>{"sscc-dup"});

  auto fit = fitLeadTimes(pairing.pairs);
  ASSERT_TRUE(fit.isOk()) << fit.status().toString();
  ASSERT_EQ(fit->sample.size(), 392u);
  EXPECT_NEAR(fit->sample[0], truth[0], 1e-9);
  EXPECT_EQ(fit->model.chosen().family, Family::kGamma);
  EXPECT_NEAR(fit->model.chosen().distribution.mean(), 48, 3);

  std::vector<TimestampPair> bad = pairing.pairs;
  bad[3].received = bad[3].shipped - 1;
  bad[9].received = bad[9].shipped;
  auto err = fitLeadTimes(bad);
  ASSERT_FALSE(err.isOk());
  EXPECT_NE(err.status().message().find("2 of 392"), std::string::npos) << err.status().message();
  EXPECT_NE(err.status().message().find("pair 3"), std::string::npos);
  EXPECT_FALSE(fitLeadTimes({}).isOk());
}

TEST(CalibrateRecords, LaplaceTrend) {
  Rng rng(55);
  std::vector<double> hpp, wear;
  for (int i = 0; i < 60; ++i) {
    hpp.push_back(1000 * rng.uniform());
    // Power-law NHPP with beta = 3: event times T U^{1/3} (failures accelerate).
    wear.push_back(1000 * std::pow(rng.uniform(), 1.0 / 3));
  }
  auto a = laplaceTrend(hpp, 1000);
  ASSERT_TRUE(a.isOk());
  EXPECT_LT(std::fabs(a->statistic), 2.5);
  auto b = laplaceTrend(wear, 1000);
  ASSERT_TRUE(b.isOk());
  EXPECT_GT(b->statistic, 4);
  EXPECT_LT(b->pValue, 1e-4);
  EXPECT_FALSE(laplaceTrend({}, 10).isOk());
  EXPECT_FALSE(laplaceTrend({5, 12}, 10).isOk());
  EXPECT_FALSE(laplaceTrend({5}, 0).isOk());
}

TEST(CalibrateRecords, BacktestMapeRules) {
  auto e = backtestKpi({"throughput", {100, 200, 0, 50}, {110, 180, 5, 50}});
  ASSERT_TRUE(e.isOk());
  EXPECT_EQ(e->periods, 4u);
  EXPECT_EQ(e->zeroActuals, 1u);
  ASSERT_TRUE(e->mape.has_value());
  // |10|/100 + |-20|/200 + 0/50 over 3 periods = 20/3 %.
  EXPECT_NEAR(*e->mape, 20.0 / 3, 1e-12);
  EXPECT_NEAR(*e->bias, 0.0, 1e-12);  // +10 % and -10 % cancel
  // WAPE keeps the zero period: (10 + 20 + 5 + 0) / 350.
  EXPECT_NEAR(*e->wape, 100.0 * 35 / 350, 1e-12);

  auto over = backtestKpi({"wip", {10, 20}, {12, 24}});
  ASSERT_TRUE(over.isOk());
  EXPECT_NEAR(*over->bias, 20, 1e-12);  // over-prediction is positive
  EXPECT_NEAR(*over->mape, 20, 1e-12);

  auto allZero = backtestKpi({"stockouts", {0, 0, 0}, {1, 0, 2}});
  ASSERT_TRUE(allZero.isOk());
  EXPECT_FALSE(allZero->mape.has_value());
  EXPECT_FALSE(allZero->bias.has_value());
  EXPECT_FALSE(allZero->wape.has_value());
  EXPECT_EQ(allZero->zeroActuals, 3u);

  EXPECT_FALSE(backtestKpi({"x", {}, {}}).isOk());
  auto mismatch = backtestKpi({"oee", {1, 2}, {1}});
  ASSERT_FALSE(mismatch.isOk());
  EXPECT_NE(mismatch.status().message().find("oee"), std::string::npos);
  EXPECT_FALSE(backtestKpi({"x", {1, NAN}, {1, 1}}).isOk());
  auto many = backtest({{"a", {1}, {1}}, {"b", {2}, {3}}});
  ASSERT_TRUE(many.isOk());
  ASSERT_EQ(many->size(), 2u);
  EXPECT_NEAR(*(*many)[1].mape, 50, 1e-12);
  EXPECT_FALSE(backtest({{"a", {1}, {1}}, {"b", {2}, {}}}).isOk());
}
