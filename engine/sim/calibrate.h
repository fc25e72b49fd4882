// SPDX-License-Identifier: Apache-2.0
// Calibration of the twin from records (issue 8, part 3): maximum-likelihood fits of
// time-to-failure (Weibull, exponential; right-censored), repair and cycle times
// (lognormal, normal; censoring optional), lead times (gamma), an empirical fallback,
// model selection by AIC with a Kolmogorov-Smirnov check, yields (Wilson interval),
// demand per period (Poisson, over-dispersion, negative binomial), lead times from paired
// timestamps, a Laplace trend test, and the backtest errors (MAPE, bias, WAPE).
//
// Pure numerics: callers extract durations and counts from the graph (on the clock the
// simulator will use, e.g. operating hours for failures) and pass plain numbers; nothing
// here reads the store. Every function is thread-safe (no shared state). Formulas and
// limits: docs/twin.md, "Calibration".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace weft::sim::calib {

// ---------------------------------------------------------------------------------------
// Inputs and common result types

// One recorded duration: the time until the event (failure, end of repair, arrival), or,
// when `failed` is false, until observation stopped without the event (right-censored: a
// machine still running at the end of the record, or stopped for planned maintenance).
struct Observation {
  double time = 0;
  bool failed = true;
};

// Wraps plain (all uncensored) durations.
std::vector<Observation> uncensored(const std::vector<double>& times);

struct FitOptions {
  double confidence = 0.95;  // two-sided level of every interval, in (0, 1)
  int maxIterations = 200;   // per Newton solve
};

struct Interval {
  double lower = 0;
  double upper = 0;
  bool contains(double x) const { return lower <= x && x <= upper; }
};

// A parameter estimate. `stdError` comes from the observed Fisher information (the delta
// method for derived quantities); intervals of positive parameters are Wald intervals on
// the log scale (so they stay positive), those of location parameters plain Wald.
struct Estimate {
  double value = 0;
  double stdError = 0;
  Interval ci;
};

enum class Family { kExponential, kWeibull, kNormal, kLognormal, kGamma, kEmpirical };
const char* familyName(Family family);  // "exponential", "weibull", ...

// A fitted distribution as the simulator needs it. Parameters by family:
//   exponential  a = rate
//   weibull      a = shape k, b = scale lambda
//   normal       a = mean mu, b = standard deviation sigma
//   lognormal    a = mu, b = sigma (of ln X)
//   gamma        a = shape alpha, b = scale theta
//   empirical    points (ascending) with probabilities `weights` (sum 1); a discrete law
struct Distribution {
  Family family = Family::kEmpirical;
  double a = 0;
  double b = 0;
  std::vector<double> points;
  std::vector<double> weights;

  double cdf(double x) const;
  double quantile(double p) const;  // inverse CDF, 0 <= p <= 1 (empirical: smallest point
                                    // with cumulative probability >= p)
  double mean() const;
  double variance() const;
  // ln f(x) and ln(1 - F(x)); parametric families only (NaN for empirical).
  double logDensity(double x) const;
  double logSurvival(double x) const;
};

// ---------------------------------------------------------------------------------------
// Time to failure

// Two-parameter Weibull by maximum likelihood with right censoring. The shape solves the
// profile-likelihood equation (safeguarded Newton on a bracket), the scale follows in
// closed form; the covariance is the inverse of the observed information at the optimum.
struct WeibullFit {
  Estimate shape;                // k
  Estimate scale;                // lambda, in the unit of the input times
  double covShapeScale = 0;      // Cov(k, lambda)
  Estimate mean;                 // MTTF = lambda Gamma(1 + 1/k)
  double logLikelihood = 0;
  int failures = 0;
  int censored = 0;
  int iterations = 0;            // Newton/bisection steps on the profile equation
  Distribution distribution() const;
};
// Errors (kInvalidArgument): no observations; a time that is not finite or not > 0 (the
// message names its index); no failures (all censored); fewer than 2 distinct failure
// times (the shape is not identifiable); a shape outside [1e-3, 1e3].
Result<WeibullFit> fitWeibull(const std::vector<Observation>& data,
                              const FitOptions& options = {});

// Weibull with the shape fixed (Weibayes: a shape known from the machine class, few
// failures here). t^k is then exponential, so the interval of lambda is exact (chi-square
// with 2r and 2r + 2 degrees of freedom). Needs at least 1 failure.
Result<WeibullFit> fitWeibullKnownShape(const std::vector<Observation>& data, double shape,
                                        const FitOptions& options = {});

// Exponential (constant hazard, the Weibull with k = 1). Rate = failures / total time;
// interval exact (chi-square, time-truncated: 2r and 2r + 2 degrees of freedom).
struct ExponentialFit {
  Estimate rate;
  Estimate mean;                 // 1 / rate (MTBF); interval from the rate's bounds
  double totalTime = 0;
  double logLikelihood = 0;
  int failures = 0;
  int censored = 0;
  Distribution distribution() const;
};
Result<ExponentialFit> fitExponential(const std::vector<Observation>& data,
                                      const FitOptions& options = {});

struct LikelihoodRatioTest {
  double statistic = 0;          // 2 (l_full - l_restricted)
  int degreesOfFreedom = 1;
  double pValue = 1;             // chi-square survival
};
// Is the hazard constant? Fits both and tests k = 1 against a free k.
struct ExponentialTest {
  WeibullFit weibull;
  ExponentialFit exponential;
  LikelihoodRatioTest test;
};
Result<ExponentialTest> testExponential(const std::vector<Observation>& data,
                                        const FitOptions& options = {});

// Laplace trend test on event times of one repairable unit, observed on (0, end]
// (time-truncated). statistic > 0: events come later and closer (deterioration); < 0:
// improvement. Under a homogeneous Poisson process the statistic is standard normal.
// A significant trend means the failures are not a renewal process: do not fit iid
// lifetimes (docs/twin.md, "Calibration").
struct TrendTest {
  double statistic = 0;
  double pValue = 1;             // two-sided
  int events = 0;
};
Result<TrendTest> laplaceTrend(const std::vector<double>& eventTimes, double end);

// ---------------------------------------------------------------------------------------
// Repair, cycle and lead times

// Normal and lognormal by maximum likelihood. Uncensored data give the closed form
// (mean and the 1/n variance); with censored observations the log-likelihood (Tobit form)
// is maximised by damped Newton. For the lognormal, mu and sigma describe ln X.
struct LocationScaleFit {
  Family family = Family::kNormal;
  Estimate mu;
  Estimate sigma;
  double covMuSigma = 0;
  Estimate mean;                 // of X: mu, or exp(mu + sigma^2/2) (MTTR for repairs)
  double logLikelihood = 0;      // of X (the lognormal includes the Jacobian -sum ln t)
  int failures = 0;
  int censored = 0;
  int iterations = 0;
  Distribution distribution() const;
};
// Errors: no data, non-finite times (lognormal: not > 0), fewer than 2 distinct
// uncensored values.
Result<LocationScaleFit> fitNormal(const std::vector<Observation>& data,
                                   const FitOptions& options = {});
Result<LocationScaleFit> fitLognormal(const std::vector<Observation>& data,
                                      const FitOptions& options = {});

// Gamma by maximum likelihood: Newton on ln(alpha) - psi(alpha) = ln(mean) - mean(ln x),
// then theta = mean / alpha. Uncensored only: censored observations give kUnsupported.
struct GammaFit {
  Estimate shape;                // alpha
  Estimate scale;                // theta
  double covShapeScale = 0;
  Estimate mean;                 // alpha theta
  double logLikelihood = 0;
  int count = 0;
  int iterations = 0;
  Distribution distribution() const;
};
Result<GammaFit> fitGamma(const std::vector<Observation>& data, const FitOptions& options = {});

// Empirical law: the Kaplan-Meier estimate (with no censoring, the sorted sample with
// equal weights, ties merged). Mass the estimate leaves above the last failure (when the
// longest observations are censored) is put on the longest observed time, so draws never
// exceed the record: a known underestimate of the tail.
Result<Distribution> fitEmpirical(const std::vector<Observation>& data);

// Kolmogorov-Smirnov distance between `model` and the Kaplan-Meier estimate of `data`
// (the ordinary empirical CDF when nothing is censored), up to the longest observation.
double ksDistance(const std::vector<Observation>& data, const Distribution& model);

// ---------------------------------------------------------------------------------------
// Model selection

struct SelectOptions {
  FitOptions fit;
  std::vector<Family> families = {Family::kExponential, Family::kWeibull, Family::kLognormal,
                                  Family::kGamma, Family::kNormal};
  // Fall back to the empirical law when every parametric fit fails the KS check at this
  // level, provided there are at least `minEmpiricalSamples` observations.
  double ksAlpha = 0.01;
  bool allowEmpirical = true;
  std::size_t minEmpiricalSamples = 30;
};

struct Candidate {
  Family family = Family::kEmpirical;
  Status status;                 // not ok: this family could not be fitted, and why
  Distribution distribution;
  int parameters = 0;
  double logLikelihood = 0;
  double aic = 0;                // 2 parameters - 2 logLikelihood (NaN for empirical)
  double ks = 0;                 // ksDistance to the data
  // Nominal KS p-value (Stephens' approximation). Optimistic: it ignores that the
  // parameters were fitted to the same data; with censoring it uses the number of
  // failures as the sample size, a rough guide only.
  double ksPValue = 1;
};

struct ModelSelection {
  std::vector<Candidate> candidates;  // families in the order asked (+ empirical if used)
  std::size_t best = 0;               // index of the chosen candidate
  bool empiricalFallback = false;
  // AIC of the runner-up minus that of the chosen (inf if alone; negative when a family
  // with a lower AIC failed the KS check; NaN for the empirical fallback).
  double aicMargin = 0;
  const Candidate& chosen() const { return candidates[best]; }
};
// Fits every family, picks the lowest AIC among those whose KS p-value is at least
// `ksAlpha` (the lowest AIC overall if none passes and the empirical fallback is not
// allowed or the sample is too small). Error only when no family at all can be fitted.
Result<ModelSelection> selectModel(const std::vector<Observation>& data,
                                   const SelectOptions& options = {});

// ---------------------------------------------------------------------------------------
// Yields, demand, lead times

// Binomial proportion good / total with the Wilson score interval (exactly 0 below when
// good = 0 and exactly 1 above when good = total). Errors: total = 0, good > total.
struct ProportionFit {
  Estimate proportion;           // stdError = sqrt(p (1 - p) / n)
  std::uint64_t successes = 0;
  std::uint64_t trials = 0;
};
Result<ProportionFit> fitYield(std::uint64_t good, std::uint64_t total,
                               const FitOptions& options = {});

// Negative binomial (number of failures before `size` successes, success probability
// `probability`): mean = size (1 - p) / p, variance = mean / p.
struct NegativeBinomial {
  double size = 0;
  double probability = 0;
};
struct DemandFit {
  std::size_t periods = 0;
  double total = 0;
  double mean = 0;               // per period
  double variance = 0;           // sample variance (n - 1); 0 with one period
  double dispersionIndex = 0;    // variance / mean (1 for Poisson; NaN if undefined)
  Estimate rate;                 // Poisson rate per period, exact (Garwood) interval
  // Chi-square dispersion test: (n - 1) variance / mean ~ chi2(n - 1) under Poisson.
  double dispersionPValue = 1;   // P(more dispersion than seen | Poisson)
  bool overdispersed = false;    // p < 1 - confidence and variance > mean
  std::optional<NegativeBinomial> negativeBinomial;  // method of moments, if overdispersed
  std::string note;              // plain-language reading of the above
};
// `perPeriod`: demand in each period (units; >= 0, finite). Error: no periods.
Result<DemandFit> fitDemand(const std::vector<double>& perPeriod,
                            const FitOptions& options = {});

// Lead times from paired timestamps (EPCIS shipping and receiving events).
struct TimestampPair {
  double shipped = 0;
  double received = 0;
};
struct KeyedTime {
  std::string key;               // e.g. the SSCC or the despatch advice id
  double time = 0;
};
struct Pairing {
  std::vector<TimestampPair> pairs;         // in the order of `shipped`
  std::vector<std::string> pairKeys;        // key of each pair
  std::vector<std::string> unmatchedShipped;   // in transit, or the receipt is missing
  std::vector<std::string> unmatchedReceived;  // receipt without a shipment record
  std::vector<std::string> duplicateKeys;      // key seen twice on one side (not paired)
};
Pairing pairByKey(const std::vector<KeyedTime>& shipped, const std::vector<KeyedTime>& received);

struct LeadTimeFit {
  std::vector<double> sample;    // received - shipped, in input order
  ModelSelection model;
};
// Default families for lead times: gamma, lognormal, Weibull, normal. Errors: no pairs;
// a pair with a non-finite time or received <= shipped (the message names the first such
// index and counts them): contradictory records are reported, not dropped.
SelectOptions leadTimeSelectOptions();
Result<LeadTimeFit> fitLeadTimes(const std::vector<TimestampPair>& pairs,
                                 const SelectOptions& options = leadTimeSelectOptions());

// ---------------------------------------------------------------------------------------
// Backtest

// One KPI over the hold-out periods: what the records say and what the twin simulated.
struct KpiSeries {
  std::string kpi;
  std::vector<double> actual;
  std::vector<double> simulated;
};
// Errors in percent. Periods whose actual is 0 have no percentage error: they are left
// out of MAPE and bias and counted in `zeroActuals`; if every actual is 0, MAPE and bias
// are undefined (nullopt). WAPE (sum |sim - act| / sum |act|) uses every period and is
// undefined only when all actuals are 0. bias > 0: the twin over-predicts.
struct KpiError {
  std::string kpi;
  std::size_t periods = 0;
  std::size_t zeroActuals = 0;
  std::optional<double> mape;    // 100/m sum |sim - act| / |act| over m non-zero actuals
  std::optional<double> bias;    // mean percentage error 100/m sum (sim - act) / |act|
  std::optional<double> wape;    // 100 sum |sim - act| / sum |act|
};
// Errors: empty series, lengths differ, non-finite values (the message names the KPI).
Result<KpiError> backtestKpi(const KpiSeries& series);
Result<std::vector<KpiError>> backtest(const std::vector<KpiSeries>& series);

}  // namespace weft::sim::calib
