// SPDX-License-Identifier: Apache-2.0
// Maximum-likelihood fits of duration distributions with right censoring, the empirical
// (Kaplan-Meier) fallback, the KS distance and model selection by AIC. Yields, demand,
// lead-time pairing, the trend test and the backtest are in internal/calibrate_records.cpp.
#include "engine/sim/calibrate.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "engine/sim/internal/calibrate_detail.h"
#include "engine/sim/internal/calibrate_math.h"

namespace weft::sim::calib {

using detail::kInf;
using detail::kNaN;

// ---------------------------------------------------------------------------------------
// Shared helpers (declared in internal/calibrate_detail.h)

namespace detail {

Result<double> zForConfidence(const FitOptions& options) {
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return Status::invalidArgument("confidence must be in (0, 1), got " +
                                   std::to_string(options.confidence));
  }
  return math::normalQuantile(0.5 + 0.5 * options.confidence);
}

Estimate positiveEstimate(double value, double stdError, double z) {
  // Wald on the log scale: se(ln v) = se(v) / v by the delta method.
  Estimate e{value, stdError, {}};
  const double w = z * stdError / value;
  e.ci = {value * std::exp(-w), value * std::exp(w)};
  return e;
}

Estimate locationEstimate(double value, double stdError, double z) {
  return {value, stdError, {value - z * stdError, value + z * stdError}};
}

Status checkData(const std::vector<Observation>& data, bool positive, const char* model) {
  if (data.empty()) return Status::invalidArgument(std::string(model) + ": no observations");
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double t = data[i].time;
    if (!std::isfinite(t) || (positive && !(t > 0))) {
      return Status::invalidArgument(std::string(model) + ": observation " + std::to_string(i) +
                                     " has time " + std::to_string(t) +
                                     (positive ? " (times must be finite and > 0)"
                                               : " (times must be finite)"));
    }
  }
  return Status::ok();
}

int countFailures(const std::vector<Observation>& data) {
  int r = 0;
  for (const auto& o : data) r += o.failed ? 1 : 0;
  return r;
}

}  // namespace detail

namespace {

// Number of distinct failure times (after sorting a copy).
int distinctFailureValues(const std::vector<Observation>& data, bool logScale) {
  std::vector<double> v;
  for (const auto& o : data) {
    if (o.failed) v.push_back(logScale ? std::log(o.time) : o.time);
  }
  std::sort(v.begin(), v.end());
  return static_cast<int>(std::unique(v.begin(), v.end()) - v.begin());
}

// Covariance = inverse of a 2x2 observed information; fails if it is not positive definite
// (the optimum is not a proper maximum, e.g. a flat likelihood).
Result<Eigen::Matrix2d> invertInformation(const Eigen::Matrix2d& info, const char* model) {
  Eigen::LLT<Eigen::Matrix2d> llt(info);
  if (llt.info() != Eigen::Success || !info.allFinite()) {
    return Status::invalidArgument(std::string(model) +
                                   ": observed information is not positive definite "
                                   "(the likelihood has no proper maximum for these data)");
  }
  return Eigen::Matrix2d(info.inverse());
}

}  // namespace

const char* familyName(Family family) {
  switch (family) {
    case Family::kExponential: return "exponential";
    case Family::kWeibull: return "weibull";
    case Family::kNormal: return "normal";
    case Family::kLognormal: return "lognormal";
    case Family::kGamma: return "gamma";
    case Family::kEmpirical: return "empirical";
  }
  return "unknown";
}

std::vector<Observation> uncensored(const std::vector<double>& times) {
  std::vector<Observation> out;
  out.reserve(times.size());
  for (double t : times) out.push_back({t, true});
  return out;
}

// ---------------------------------------------------------------------------------------
// Distribution

double Distribution::cdf(double x) const {
  if (std::isnan(x)) return kNaN;
  switch (family) {
    case Family::kExponential: return x <= 0 ? 0 : -std::expm1(-a * x);
    case Family::kWeibull: return x <= 0 ? 0 : -std::expm1(-std::pow(x / b, a));
    case Family::kNormal: return math::normalCdf((x - a) / b);
    case Family::kLognormal: return x <= 0 ? 0 : math::normalCdf((std::log(x) - a) / b);
    case Family::kGamma: return x <= 0 ? 0 : math::gammaP(a, x / b);
    case Family::kEmpirical: {
      double f = 0;
      for (std::size_t i = 0; i < points.size() && points[i] <= x; ++i) f += weights[i];
      return std::min(f, 1.0);
    }
  }
  return kNaN;
}

double Distribution::quantile(double p) const {
  if (!(p >= 0 && p <= 1)) return kNaN;
  switch (family) {
    case Family::kExponential: return -std::log1p(-p) / a;
    case Family::kWeibull: return b * std::pow(-std::log1p(-p), 1 / a);
    case Family::kNormal: return a + b * math::normalQuantile(p);
    case Family::kLognormal: return std::exp(a + b * math::normalQuantile(p));
    case Family::kGamma: return b * math::gammaPInverse(a, p);
    case Family::kEmpirical: {
      if (points.empty()) return kNaN;
      double f = 0;
      for (std::size_t i = 0; i < points.size(); ++i) {
        f += weights[i];
        // A small slack so p = 1 and p equal to a cumulative sum hit the intended point
        // despite rounding in the running sum.
        if (f >= p - 1e-12) return points[i];
      }
      return points.back();
    }
  }
  return kNaN;
}

double Distribution::mean() const {
  switch (family) {
    case Family::kExponential: return 1 / a;
    case Family::kWeibull: return b * std::exp(math::lnGamma(1 + 1 / a));
    case Family::kNormal: return a;
    case Family::kLognormal: return std::exp(a + 0.5 * b * b);
    case Family::kGamma: return a * b;
    case Family::kEmpirical: {
      double m = 0;
      for (std::size_t i = 0; i < points.size(); ++i) m += weights[i] * points[i];
      return m;
    }
  }
  return kNaN;
}

double Distribution::variance() const {
  switch (family) {
    case Family::kExponential: return 1 / (a * a);
    case Family::kWeibull: {
      const double g1 = std::exp(math::lnGamma(1 + 1 / a));
      const double g2 = std::exp(math::lnGamma(1 + 2 / a));
      return b * b * (g2 - g1 * g1);
    }
    case Family::kNormal: return b * b;
    case Family::kLognormal: return std::expm1(b * b) * std::exp(2 * a + b * b);
    case Family::kGamma: return a * b * b;
    case Family::kEmpirical: {
      const double m = mean();
      double v = 0;
      for (std::size_t i = 0; i < points.size(); ++i) {
        v += weights[i] * (points[i] - m) * (points[i] - m);
      }
      return v;
    }
  }
  return kNaN;
}

double Distribution::logDensity(double x) const {
  const bool positive = family != Family::kNormal;
  if (positive && !(x > 0)) return -kInf;
  switch (family) {
    case Family::kExponential: return std::log(a) - a * x;
    case Family::kWeibull:
      return std::log(a / b) + (a - 1) * std::log(x / b) - std::pow(x / b, a);
    case Family::kNormal: {
      const double z = (x - a) / b;
      return -std::log(b) - 0.5 * z * z - math::kLnSqrt2Pi;
    }
    case Family::kLognormal: {
      const double z = (std::log(x) - a) / b;
      return -std::log(b) - 0.5 * z * z - math::kLnSqrt2Pi - std::log(x);
    }
    case Family::kGamma:
      return (a - 1) * std::log(x) - x / b - a * std::log(b) - math::lnGamma(a);
    case Family::kEmpirical: return kNaN;
  }
  return kNaN;
}

double Distribution::logSurvival(double x) const {
  const bool positive = family != Family::kNormal;
  if (positive && !(x > 0)) return 0;
  switch (family) {
    case Family::kExponential: return -a * x;
    case Family::kWeibull: return -std::pow(x / b, a);
    case Family::kNormal: return math::logNormalSurvival((x - a) / b);
    case Family::kLognormal: return math::logNormalSurvival((std::log(x) - a) / b);
    case Family::kGamma: return std::log(math::gammaQ(a, x / b));
    case Family::kEmpirical: return kNaN;
  }
  return kNaN;
}

// ---------------------------------------------------------------------------------------
// Weibull

namespace {

// The profile equation for the shape, on log-times centred at the mean log failure time
// (so the centring term drops out and t^k cannot overflow: weights are exp(k l - max)).
//   g(k) = sum_all t^k ln t / sum_all t^k - 1/k - mean_fail ln t
//   g'(k) = weighted variance of ln t + 1/k^2 > 0, so the root is unique.
struct WeibullProfile {
  std::vector<double> l;  // ln t_i - ref
  double ref = 0;         // mean ln t over failures
  int r = 0;

  struct Value {
    double g, dg, logSum;  // logSum = ln sum exp(k l_i)
  };
  Value at(double k) const {
    double m = -kInf;
    for (double li : l) m = std::max(m, k * li);
    double b = 0, a = 0, c = 0;
    for (double li : l) {
      const double w = std::exp(k * li - m);
      b += w;
      a += w * li;
      c += w * li * li;
    }
    const double mean = a / b;
    const double var = std::max(c / b - mean * mean, 0.0);
    return {mean - 1 / k, var + 1 / (k * k), m + std::log(b)};
  }
};

struct WeibullPoint {
  double k, lambda, logLik;
  Eigen::Matrix2d info;
};

// Log-likelihood and observed information at (k, lambda), with s_i = (t_i/lambda)^k and
// L_i = ln(t_i/lambda):
//   l      = r ln k - r k ln lambda + (k - 1) sum_fail ln t_i - sum_all s_i
//   I_kk   = r/k^2 + sum s L^2
//   I_kl   = (r - sum s)/lambda - (k/lambda) sum s L
//   I_ll   = (k/lambda^2)(sum s - r) + (k^2/lambda^2) sum s
WeibullPoint weibullPoint(const std::vector<Observation>& data, double k, double lambda) {
  const double lnLambda = std::log(lambda);
  double sumS = 0, sumSL = 0, sumSL2 = 0, sumLogFail = 0;
  int r = 0;
  for (const auto& o : data) {
    const double lt = std::log(o.time);
    const double L = lt - lnLambda;
    const double s = std::exp(k * L);
    sumS += s;
    sumSL += s * L;
    sumSL2 += s * L * L;
    if (o.failed) {
      ++r;
      sumLogFail += lt;
    }
  }
  WeibullPoint p{k, lambda, 0, {}};
  p.logLik = r * std::log(k) - r * k * lnLambda + (k - 1) * sumLogFail - sumS;
  p.info(0, 0) = r / (k * k) + sumSL2;
  p.info(0, 1) = (r - sumS) / lambda - (k / lambda) * sumSL;
  p.info(1, 0) = p.info(0, 1);
  p.info(1, 1) = (k / (lambda * lambda)) * (sumS - r) + (k * k / (lambda * lambda)) * sumS;
  return p;
}

// MTTF = lambda Gamma(1 + 1/k) with its delta-method standard error.
Estimate weibullMean(double k, double lambda, const Eigen::Matrix2d& cov, double z) {
  const double g = std::exp(math::lnGamma(1 + 1 / k));
  const double m = lambda * g;
  Eigen::Vector2d grad(-m * math::digamma(1 + 1 / k) / (k * k), g);
  const double var = grad.dot(cov * grad);
  return detail::positiveEstimate(m, std::sqrt(std::max(var, 0.0)), z);
}

}  // namespace

Distribution WeibullFit::distribution() const {
  Distribution d;
  d.family = Family::kWeibull;
  d.a = shape.value;
  d.b = scale.value;
  return d;
}

Result<WeibullFit> fitWeibull(const std::vector<Observation>& data, const FitOptions& options) {
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  WEFT_TRY(detail::checkData(data, true, "weibull"));
  const int r = detail::countFailures(data);
  const int n = static_cast<int>(data.size());
  if (r == 0) {
    return Status::invalidArgument("weibull: no failures (all " + std::to_string(n) +
                                   " observations are censored); the scale has no finite "
                                   "estimate. Use fitWeibullKnownShape with r >= 1, or report "
                                   "a lower bound");
  }
  if (distinctFailureValues(data, false) < 2) {
    return Status::invalidArgument("weibull: " + std::to_string(r) +
                                   " failure(s) but fewer than 2 distinct failure times; "
                                   "the shape is not identifiable");
  }

  WeibullProfile prof;
  prof.r = r;
  double sumLog = 0;
  for (const auto& o : data) {
    if (o.failed) sumLog += std::log(o.time);
  }
  prof.ref = sumLog / r;
  prof.l.reserve(data.size());
  for (const auto& o : data) prof.l.push_back(std::log(o.time) - prof.ref);

  // Bracket the root: g is increasing, negative near 0 and positive for large k.
  constexpr double kMinShape = 1e-3, kMaxShape = 1e3;
  double lo = 1, hi = 1;
  while (prof.at(lo).g > 0) {
    lo /= 2;
    if (lo < kMinShape) {
      return Status::invalidArgument("weibull: shape estimate below 1e-3 (times spread over "
                                     "too many orders of magnitude for a Weibull)");
    }
  }
  while (prof.at(hi).g < 0) {
    hi *= 2;
    if (hi > kMaxShape) {
      return Status::invalidArgument("weibull: shape estimate above 1e3 (failure times "
                                     "almost equal; not a useful Weibull)");
    }
  }

  // Safeguarded Newton: a Newton step when it stays inside the bracket, else bisection
  // (geometric, since k is a scale-like parameter).
  double k = (lo == hi) ? lo : std::sqrt(lo * hi);
  int it = 0;
  for (; it < options.maxIterations; ++it) {
    const auto v = prof.at(k);
    if (v.g == 0) break;
    if (v.g < 0) {
      lo = k;
    } else {
      hi = k;
    }
    double next = k - v.g / v.dg;
    if (!(next > lo && next < hi)) next = (lo < hi) ? std::sqrt(lo * hi) : next;
    const bool done = std::fabs(next - k) <= 1e-13 * k;
    k = next;
    if (done) break;
  }
  if (it == options.maxIterations) {
    return Status::internal("weibull: shape equation did not converge in " +
                            std::to_string(options.maxIterations) + " iterations");
  }
  const auto v = prof.at(k);
  // lambda^k = sum_all t^k / r, evaluated in logs.
  const double lambda = std::exp(prof.ref + (v.logSum - std::log(static_cast<double>(r))) / k);

  const WeibullPoint p = weibullPoint(data, k, lambda);
  auto cov = invertInformation(p.info, "weibull");
  if (!cov) return cov.status();

  WeibullFit fit;
  fit.shape = detail::positiveEstimate(k, std::sqrt((*cov)(0, 0)), *z);
  fit.scale = detail::positiveEstimate(lambda, std::sqrt((*cov)(1, 1)), *z);
  fit.covShapeScale = (*cov)(0, 1);
  fit.mean = weibullMean(k, lambda, *cov, *z);
  fit.logLikelihood = p.logLik;
  fit.failures = r;
  fit.censored = n - r;
  fit.iterations = it + 1;
  return fit;
}

Result<WeibullFit> fitWeibullKnownShape(const std::vector<Observation>& data, double shape,
                                        const FitOptions& options) {
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  if (!(shape > 0) || !std::isfinite(shape)) {
    return Status::invalidArgument("weibull (known shape): shape must be finite and > 0");
  }
  WEFT_TRY(detail::checkData(data, true, "weibull (known shape)"));
  const int r = detail::countFailures(data);
  const int n = static_cast<int>(data.size());
  if (r == 0) {
    return Status::invalidArgument("weibull (known shape): no failures in " +
                                   std::to_string(n) + " observations; only a lower bound "
                                   "on the scale exists");
  }
  // With k known, u = t^k is exponential with mean theta = lambda^k: theta_hat = sum u / r,
  // and 2 sum u / theta ~ chi2(2r) (2r + 2 for the conservative time-truncated bound).
  double m = -kInf;
  for (const auto& o : data) m = std::max(m, shape * std::log(o.time));
  double sum = 0;
  for (const auto& o : data) sum += std::exp(shape * std::log(o.time) - m);
  const double lnT = m + std::log(sum);  // ln sum t^k
  const double lnTheta = lnT - std::log(static_cast<double>(r));
  const double lambda = std::exp(lnTheta / shape);
  const double alpha = 1 - options.confidence;
  const double chiHi = math::chiSquareQuantile(1 - alpha / 2, 2.0 * r + 2);
  const double chiLo = math::chiSquareQuantile(alpha / 2, 2.0 * r);
  WeibullFit fit;
  fit.shape = {shape, 0, {shape, shape}};
  fit.scale.value = lambda;
  fit.scale.stdError = lambda / (shape * std::sqrt(static_cast<double>(r)));
  fit.scale.ci = {std::exp((std::log(2.0) + lnT - std::log(chiHi)) / shape),
                  std::exp((std::log(2.0) + lnT - std::log(chiLo)) / shape)};
  Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  cov(1, 1) = fit.scale.stdError * fit.scale.stdError;
  fit.mean = weibullMean(shape, lambda, cov, *z);
  fit.logLikelihood = weibullPoint(data, shape, lambda).logLik;
  fit.failures = r;
  fit.censored = n - r;
  return fit;
}

// ---------------------------------------------------------------------------------------
// Exponential

Distribution ExponentialFit::distribution() const {
  Distribution d;
  d.family = Family::kExponential;
  d.a = rate.value;
  return d;
}

Result<ExponentialFit> fitExponential(const std::vector<Observation>& data,
                                      const FitOptions& options) {
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  WEFT_TRY(detail::checkData(data, true, "exponential"));
  const int r = detail::countFailures(data);
  const int n = static_cast<int>(data.size());
  if (r == 0) {
    return Status::invalidArgument("exponential: no failures (all " + std::to_string(n) +
                                   " observations are censored); the rate estimate would "
                                   "be 0");
  }
  double total = 0;
  for (const auto& o : data) total += o.time;
  const double rate = r / total;
  const double alpha = 1 - options.confidence;
  ExponentialFit fit;
  fit.totalTime = total;
  fit.failures = r;
  fit.censored = n - r;
  fit.rate.value = rate;
  fit.rate.stdError = rate / std::sqrt(static_cast<double>(r));
  fit.rate.ci = {math::chiSquareQuantile(alpha / 2, 2.0 * r) / (2 * total),
                 math::chiSquareQuantile(1 - alpha / 2, 2.0 * r + 2) / (2 * total)};
  fit.mean.value = 1 / rate;
  fit.mean.stdError = fit.mean.value / std::sqrt(static_cast<double>(r));
  fit.mean.ci = {1 / fit.rate.ci.upper, 1 / fit.rate.ci.lower};
  fit.logLikelihood = r * std::log(rate) - rate * total;
  return fit;
}

Result<ExponentialTest> testExponential(const std::vector<Observation>& data,
                                        const FitOptions& options) {
  auto w = fitWeibull(data, options);
  if (!w) return w.status();
  auto e = fitExponential(data, options);
  if (!e) return e.status();
  ExponentialTest t{std::move(w.value()), std::move(e.value()), {}};
  // The exponential is nested (k = 1), so the statistic is >= 0 up to rounding.
  t.test.statistic = std::max(0.0, 2 * (t.weibull.logLikelihood - t.exponential.logLikelihood));
  t.test.degreesOfFreedom = 1;
  t.test.pValue = math::chiSquareSurvival(t.test.statistic, 1);
  return t;
}

// ---------------------------------------------------------------------------------------
// Normal and lognormal (censored: Tobit-form likelihood)

namespace {

struct NormalCore {
  double mu = 0, sigma = 0, logLik = 0;
  Eigen::Matrix2d cov;
  int iterations = 0;
};

// Log-likelihood, gradient and Hessian in (mu, sigma) of values y with right censoring.
// Failure: -ln s - z^2/2 - ln sqrt(2 pi); censored: ln(1 - Phi(z)); z = (y - mu)/s.
// With h = phi(z)/(1 - Phi(z)) and h' = h (h - z), a censored term contributes
//   d/dmu = h/s, d/ds = h z/s, d2/dmu2 = -h'/s^2, d2/dmu ds = -(h' z + h)/s^2,
//   d2/ds2 = -(h' z^2 + 2 h z)/s^2.
struct NormalEval {
  double logLik;
  Eigen::Vector2d grad;
  Eigen::Matrix2d hess;
};

NormalEval evalNormal(const std::vector<double>& y, const std::vector<char>& failed, double mu,
                      double s) {
  NormalEval e{0, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Zero()};
  const double s2 = s * s;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double z = (y[i] - mu) / s;
    if (failed[i]) {
      e.logLik += -std::log(s) - 0.5 * z * z - math::kLnSqrt2Pi;
      e.grad(0) += z / s;
      e.grad(1) += (z * z - 1) / s;
      e.hess(0, 0) += -1 / s2;
      e.hess(0, 1) += -2 * z / s2;
      e.hess(1, 1) += (1 - 3 * z * z) / s2;
    } else {
      const double h = math::normalHazard(z);
      const double dh = h * (h - z);
      e.logLik += math::logNormalSurvival(z);
      e.grad(0) += h / s;
      e.grad(1) += h * z / s;
      e.hess(0, 0) += -dh / s2;
      e.hess(0, 1) += -(dh * z + h) / s2;
      e.hess(1, 1) += -(dh * z * z + 2 * h * z) / s2;
    }
  }
  e.hess(1, 0) = e.hess(0, 1);
  return e;
}

Result<NormalCore> fitNormalCore(const std::vector<double>& y, const std::vector<char>& failed,
                                 int maxIterations, const char* model) {
  const std::size_t n = y.size();
  // Start (and, without censoring, finish) at the closed form on the failures.
  double mu = 0;
  int r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (failed[i]) {
      mu += y[i];
      ++r;
    }
  }
  mu /= r;
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (failed[i]) ss += (y[i] - mu) * (y[i] - mu);
  }
  double s = std::sqrt(ss / r);
  if (!(s > 0)) {
    return Status::invalidArgument(std::string(model) + ": no spread in the uncensored values");
  }
  NormalCore core;
  NormalEval e = evalNormal(y, failed, mu, s);
  const bool censoring = r < static_cast<int>(n);
  int it = 0;
  if (censoring) {
    for (; it < maxIterations; ++it) {
      // Newton step when the Hessian is negative definite, else a scaled gradient step;
      // then halve until the likelihood does not drop and sigma stays positive.
      Eigen::Vector2d step;
      Eigen::LLT<Eigen::Matrix2d> llt(-e.hess);
      if (llt.info() == Eigen::Success) {
        step = llt.solve(e.grad);
      } else {
        step = e.grad * (s * s / static_cast<double>(n));
      }
      double t = 1;
      NormalEval next = e;
      bool moved = false;
      for (int h = 0; h < 60; ++h, t *= 0.5) {
        const double nm = mu + t * step(0), ns = s + t * step(1);
        if (!(ns > 0)) continue;
        next = evalNormal(y, failed, nm, ns);
        if (std::isfinite(next.logLik) && next.logLik >= e.logLik - 1e-12 * std::fabs(e.logLik)) {
          mu = nm;
          s = ns;
          moved = true;
          break;
        }
      }
      if (!moved) break;  // no ascent possible: at the optimum to machine precision
      e = next;
      if (std::fabs(t * step(0)) <= 1e-12 * s && std::fabs(t * step(1)) <= 1e-12 * s) break;
    }
    if (it == maxIterations) {
      return Status::internal(std::string(model) + ": censored likelihood did not converge");
    }
  }
  auto cov = invertInformation(-e.hess, model);
  if (!cov) return cov.status();
  core.mu = mu;
  core.sigma = s;
  core.logLik = e.logLik;
  core.cov = *cov;
  core.iterations = it;
  return core;
}

Result<LocationScaleFit> fitLocationScale(const std::vector<Observation>& data,
                                          const FitOptions& options, bool logScale) {
  const char* model = logScale ? "lognormal" : "normal";
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  WEFT_TRY(detail::checkData(data, logScale, model));
  const int r = detail::countFailures(data);
  const int n = static_cast<int>(data.size());
  if (distinctFailureValues(data, false) < 2) {
    return Status::invalidArgument(std::string(model) + ": " + std::to_string(r) +
                                   " uncensored value(s) but fewer than 2 distinct ones; "
                                   "sigma is not identifiable");
  }
  std::vector<double> y;
  std::vector<char> failed;
  y.reserve(data.size());
  failed.reserve(data.size());
  double jacobian = 0;  // -sum_fail ln t: the density of X from that of ln X
  for (const auto& o : data) {
    y.push_back(logScale ? std::log(o.time) : o.time);
    failed.push_back(o.failed ? 1 : 0);
    if (logScale && o.failed) jacobian -= std::log(o.time);
  }
  auto core = fitNormalCore(y, failed, options.maxIterations, model);
  if (!core) return core.status();
  LocationScaleFit fit;
  fit.family = logScale ? Family::kLognormal : Family::kNormal;
  fit.mu = detail::locationEstimate(core->mu, std::sqrt(core->cov(0, 0)), *z);
  fit.sigma = detail::positiveEstimate(core->sigma, std::sqrt(core->cov(1, 1)), *z);
  fit.covMuSigma = core->cov(0, 1);
  if (logScale) {
    const double m = std::exp(core->mu + 0.5 * core->sigma * core->sigma);
    const Eigen::Vector2d grad(m, m * core->sigma);
    fit.mean = detail::positiveEstimate(m, std::sqrt(std::max(grad.dot(core->cov * grad), 0.0)),
                                        *z);
  } else {
    fit.mean = fit.mu;
  }
  fit.logLikelihood = core->logLik + jacobian;
  fit.failures = r;
  fit.censored = n - r;
  fit.iterations = core->iterations;
  return fit;
}

}  // namespace

Distribution LocationScaleFit::distribution() const {
  Distribution d;
  d.family = family;
  d.a = mu.value;
  d.b = sigma.value;
  return d;
}

Result<LocationScaleFit> fitNormal(const std::vector<Observation>& data,
                                   const FitOptions& options) {
  return fitLocationScale(data, options, false);
}

Result<LocationScaleFit> fitLognormal(const std::vector<Observation>& data,
                                      const FitOptions& options) {
  return fitLocationScale(data, options, true);
}

// ---------------------------------------------------------------------------------------
// Gamma

Distribution GammaFit::distribution() const {
  Distribution d;
  d.family = Family::kGamma;
  d.a = shape.value;
  d.b = scale.value;
  return d;
}

Result<GammaFit> fitGamma(const std::vector<Observation>& data, const FitOptions& options) {
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  WEFT_TRY(detail::checkData(data, true, "gamma"));
  const int n = static_cast<int>(data.size());
  if (detail::countFailures(data) != n) {
    return Status::unsupported("gamma: censored observations are not supported (fit the "
                               "uncensored records, or use weibull/lognormal)");
  }
  if (distinctFailureValues(data, false) < 2) {
    return Status::invalidArgument("gamma: fewer than 2 distinct values; the shape is not "
                                   "identifiable");
  }
  double sum = 0, sumLog = 0;
  for (const auto& o : data) {
    sum += o.time;
    sumLog += std::log(o.time);
  }
  const double mean = sum / n;
  // s = ln(mean) - mean(ln x) > 0 by Jensen (strictly, since the values differ).
  const double s = std::log(mean) - sumLog / n;
  if (!(s > 0)) {
    return Status::invalidArgument("gamma: values too close together to estimate a shape");
  }
  // f(alpha) = ln alpha - psi(alpha) - s is decreasing; start from Minka's approximation.
  auto f = [s](double a) { return std::log(a) - math::digamma(a) - s; };
  double alpha = (3 - s + std::sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
  double lo = alpha, hi = alpha;
  while (f(lo) < 0) lo /= 2;
  while (f(hi) > 0) hi *= 2;
  int it = 0;
  for (; it < options.maxIterations; ++it) {
    const double fv = f(alpha);
    if (fv == 0) break;
    if (fv > 0) {
      lo = alpha;
    } else {
      hi = alpha;
    }
    double next = alpha - fv / (1 / alpha - math::trigamma(alpha));
    if (!(next > lo && next < hi)) next = (lo < hi) ? std::sqrt(lo * hi) : next;
    const bool done = std::fabs(next - alpha) <= 1e-13 * alpha;
    alpha = next;
    if (done) break;
  }
  if (it == options.maxIterations) {
    return Status::internal("gamma: shape equation did not converge");
  }
  const double theta = mean / alpha;
  // Observed information in (alpha, theta):
  //   I_aa = n psi'(alpha), I_at = n/theta, I_tt = 2 sum x / theta^3 - n alpha / theta^2.
  Eigen::Matrix2d info;
  info(0, 0) = n * math::trigamma(alpha);
  info(0, 1) = info(1, 0) = n / theta;
  info(1, 1) = 2 * sum / (theta * theta * theta) - n * alpha / (theta * theta);
  auto cov = invertInformation(info, "gamma");
  if (!cov) return cov.status();
  GammaFit fit;
  fit.shape = detail::positiveEstimate(alpha, std::sqrt((*cov)(0, 0)), *z);
  fit.scale = detail::positiveEstimate(theta, std::sqrt((*cov)(1, 1)), *z);
  fit.covShapeScale = (*cov)(0, 1);
  const Eigen::Vector2d grad(theta, alpha);
  fit.mean = detail::positiveEstimate(alpha * theta,
                                      std::sqrt(std::max(grad.dot(*cov * grad), 0.0)), *z);
  fit.logLikelihood =
      (alpha - 1) * sumLog - sum / theta - n * alpha * std::log(theta) - n * math::lnGamma(alpha);
  fit.count = n;
  fit.iterations = it + 1;
  return fit;
}

// ---------------------------------------------------------------------------------------
// Empirical (Kaplan-Meier) and the KS distance

namespace {

// Observations sorted by time, failures before censorings at equal times (the usual
// convention: a unit censored at t was at risk at t).
std::vector<Observation> sortedForKaplanMeier(const std::vector<Observation>& data) {
  std::vector<Observation> v = data;
  std::sort(v.begin(), v.end(), [](const Observation& x, const Observation& y) {
    if (x.time != y.time) return x.time < y.time;
    return x.failed && !y.failed;
  });
  return v;
}

// Calls step(t, F_before, F_after) at each distinct failure time; returns the final F.
template <typename Step>
double kaplanMeier(const std::vector<Observation>& sorted, Step&& step) {
  double survival = 1;
  std::size_t atRisk = sorted.size();
  std::size_t i = 0;
  while (i < sorted.size()) {
    const double t = sorted[i].time;
    std::size_t d = 0, c = 0;
    while (i < sorted.size() && sorted[i].time == t) {
      (sorted[i].failed ? d : c) += 1;
      ++i;
    }
    if (d > 0) {
      const double before = survival;
      survival *= 1 - static_cast<double>(d) / static_cast<double>(atRisk);
      step(t, 1 - before, 1 - survival);
    }
    atRisk -= d + c;
  }
  return 1 - survival;
}

}  // namespace

Result<Distribution> fitEmpirical(const std::vector<Observation>& data) {
  WEFT_TRY(detail::checkData(data, false, "empirical"));
  if (detail::countFailures(data) == 0) {
    return Status::invalidArgument("empirical: no uncensored observations");
  }
  const auto sorted = sortedForKaplanMeier(data);
  Distribution d;
  d.family = Family::kEmpirical;
  const double last = kaplanMeier(sorted, [&](double t, double before, double after) {
    d.points.push_back(t);
    d.weights.push_back(after - before);
  });
  const double rest = 1 - last;
  if (rest > 1e-12) {
    // Censored tail: put the remaining mass on the longest observation (see header).
    const double tmax = sorted.back().time;
    if (d.points.back() == tmax) {
      d.weights.back() += rest;
    } else {
      d.points.push_back(tmax);
      d.weights.push_back(rest);
    }
  }
  return d;
}

double ksDistance(const std::vector<Observation>& data, const Distribution& model) {
  if (data.empty()) return kNaN;
  const auto sorted = sortedForKaplanMeier(data);
  double dist = 0;
  // The KM estimate is a step function and the model CDF is monotone, so the supremum is
  // reached just before or at a jump, or at the end of the last flat stretch.
  const double last = kaplanMeier(sorted, [&](double t, double before, double after) {
    const double f = model.cdf(t);
    // For a discrete model just below t is F(t) minus its jump at t; for continuous
    // models the two coincide.
    double fBelow = f;
    if (model.family == Family::kEmpirical) {
      fBelow = 0;
      for (std::size_t j = 0; j < model.points.size() && model.points[j] < t; ++j) {
        fBelow += model.weights[j];
      }
    }
    dist = std::max({dist, std::fabs(fBelow - before), std::fabs(f - after)});
  });
  dist = std::max(dist, std::fabs(model.cdf(sorted.back().time) - last));
  return dist;
}

// ---------------------------------------------------------------------------------------
// Model selection

namespace {

Candidate fitCandidate(Family family, const std::vector<Observation>& data,
                       const FitOptions& options) {
  Candidate c;
  c.family = family;
  auto take = [&c](auto&& result, int parameters) {
    if (!result) {
      c.status = result.status();
      return;
    }
    c.distribution = result->distribution();
    c.logLikelihood = result->logLikelihood;
    c.parameters = parameters;
  };
  switch (family) {
    case Family::kExponential: take(fitExponential(data, options), 1); break;
    case Family::kWeibull: take(fitWeibull(data, options), 2); break;
    case Family::kNormal: take(fitNormal(data, options), 2); break;
    case Family::kLognormal: take(fitLognormal(data, options), 2); break;
    case Family::kGamma: take(fitGamma(data, options), 2); break;
    case Family::kEmpirical: {
      auto e = fitEmpirical(data);
      if (!e) {
        c.status = e.status();
      } else {
        c.distribution = std::move(e.value());
      }
      c.logLikelihood = kNaN;
      break;
    }
  }
  c.aic = (c.status.isOk() && family != Family::kEmpirical)
              ? 2.0 * c.parameters - 2.0 * c.logLikelihood
              : kNaN;
  return c;
}

}  // namespace

Result<ModelSelection> selectModel(const std::vector<Observation>& data,
                                   const SelectOptions& options) {
  WEFT_TRY(detail::checkData(data, false, "model selection"));
  const int r = detail::countFailures(data);
  const bool censored = r < static_cast<int>(data.size());
  // Sample size for the nominal KS p-value: the failures when censored (see header).
  const double nKs = censored ? r : static_cast<double>(data.size());

  ModelSelection sel;
  std::string why;
  for (Family f : options.families) {
    if (f == Family::kEmpirical) continue;  // only ever a fallback
    Candidate c = fitCandidate(f, data, options.fit);
    if (c.status.isOk()) {
      c.ks = ksDistance(data, c.distribution);
      const double sq = std::sqrt(std::max(nKs, 1.0));
      c.ksPValue = math::kolmogorovSurvival((sq + 0.12 + 0.11 / sq) * c.ks);
    } else {
      c.ks = kNaN;
      c.ksPValue = kNaN;
      why += std::string(why.empty() ? "" : "; ") + c.status.message();
    }
    sel.candidates.push_back(std::move(c));
  }

  auto bestBy = [&](bool requireKs) {
    std::size_t best = sel.candidates.size();
    for (std::size_t i = 0; i < sel.candidates.size(); ++i) {
      const auto& c = sel.candidates[i];
      if (!c.status.isOk() || !std::isfinite(c.aic)) continue;
      if (requireKs && !(c.ksPValue >= options.ksAlpha)) continue;
      if (best == sel.candidates.size() || c.aic < sel.candidates[best].aic) best = i;
    }
    return best;
  };
  const std::size_t none = sel.candidates.size();
  std::size_t best = bestBy(true);
  const bool canFallBack = options.allowEmpirical && r > 0 &&
                           data.size() >= options.minEmpiricalSamples;
  if (best == none && canFallBack) {
    Candidate e = fitCandidate(Family::kEmpirical, data, options.fit);
    if (e.status.isOk()) {
      e.ks = ksDistance(data, e.distribution);
      e.ksPValue = 1;
      sel.candidates.push_back(std::move(e));
      sel.best = sel.candidates.size() - 1;
      sel.empiricalFallback = true;
      sel.aicMargin = kNaN;
      return sel;
    }
  }
  if (best == none) best = bestBy(false);
  if (best == none) {
    return Status::invalidArgument("model selection: no family could be fitted: " + why);
  }
  sel.best = best;
  sel.aicMargin = kInf;
  for (std::size_t i = 0; i < sel.candidates.size(); ++i) {
    const auto& c = sel.candidates[i];
    if (i == best || !c.status.isOk() || !std::isfinite(c.aic)) continue;
    sel.aicMargin = std::min(sel.aicMargin, c.aic - sel.candidates[best].aic);
  }
  return sel;
}

}  // namespace weft::sim::calib
