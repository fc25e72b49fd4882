// SPDX-License-Identifier: Apache-2.0
// Output statistics: Student t quantiles and confidence intervals.
#include "engine/sim/stats.h"

#include <cmath>
#include <limits>

namespace weft::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Continued fraction of the incomplete beta function (modified Lentz), as in Numerical
// Recipes 6.4 / Abramowitz-Stegun 26.5.8.
double betaContinuedFraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < 1e-15) break;
  }
  return h;
}

// Regularised incomplete beta I_x(a, b).
double incompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double lbt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                     b * std::log1p(-x);
  const double bt = std::exp(lbt);
  if (x < (a + 1.0) / (a + b + 2.0)) return bt * betaContinuedFraction(a, b, x) / a;
  return 1.0 - bt * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double studentTCdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * incompleteBeta(df / 2.0, 0.5, x);
  return t >= 0 ? 1.0 - tail : tail;
}

}  // namespace

double Tally::mean() const { return n_ ? mean_ : kNaN; }

double Tally::variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : kNaN; }

double studentTQuantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) return kNaN;
  if (p == 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1.0 - p, df);
  double lo = 0, hi = 1;
  while (studentTCdf(hi, df) < p) {
    hi *= 2;
    if (hi > 1e12) return std::numeric_limits<double>::infinity();
  }
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (studentTCdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Interval confidenceInterval(const std::vector<double>& xs, double level) {
  Interval out;
  Tally t;
  for (double x : xs) {
    if (!std::isnan(x)) t.add(x);
  }
  out.n = static_cast<uint32_t>(t.count());
  out.mean = t.mean();
  if (out.n < 2) {
    out.sd = kNaN;
    out.halfWidth = kNaN;
    return out;
  }
  out.sd = std::sqrt(t.variance());
  const double q = studentTQuantile(0.5 + level / 2.0, static_cast<double>(out.n - 1));
  out.halfWidth = q * out.sd / std::sqrt(static_cast<double>(out.n));
  return out;
}

}  // namespace weft::sim
