// SPDX-License-Identifier: Apache-2.0
// Special functions used by the calibration fits (see calibrate_math.h).
#include "engine/sim/internal/calibrate_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace weft::sim::calib::math {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kEps = 1e-15;

}  // namespace

double lnGamma(double x) {
  if (!(x > 0)) return kNaN;
  // Shift up to z >= 10 so the Stirling series below is accurate to ~1e-15; the shift is
  // undone with the log of one product (at most 10 factors below 10, so no overflow; one
  // log instead of a sum of logs keeps the rounding error near 1 ulp).
  double product = 1;
  double z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  const double shift = std::log(product);
  const double z2 = 1.0 / (z * z);
  // B_2j / (2j (2j - 1) z^(2j - 1)) for j = 1..6; the next term is below 1e-15 at z = 10.
  const double series =
      (1.0 / 12 -
       z2 * (1.0 / 360 - z2 * (1.0 / 1260 - z2 * (1.0 / 1680 - z2 * (1.0 / 1188 -
                                                                    z2 * 691.0 / 360360))))) /
      z;
  return (z - 0.5) * std::log(z) - z + kLnSqrt2Pi + series - shift;
}

double digamma(double x) {
  if (!(x > 0)) return kNaN;
  double acc = 0;
  while (x < 10) {  // psi(x) = psi(x + 1) - 1/x
    acc -= 1.0 / x;
    x += 1;
  }
  const double x2 = 1.0 / (x * x);
  const double series =
      x2 * (1.0 / 12 - x2 * (1.0 / 120 - x2 * (1.0 / 252 - x2 * (1.0 / 240 - x2 / 132))));
  return acc + std::log(x) - 0.5 / x - series;
}

double trigamma(double x) {
  if (!(x > 0)) return kNaN;
  double acc = 0;
  while (x < 10) {  // psi'(x) = psi'(x + 1) + 1/x^2
    acc += 1.0 / (x * x);
    x += 1;
  }
  const double x2 = 1.0 / (x * x);
  // 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7) - 1/(30x^9) + 5/(66x^11)
  const double series =
      1.0 / x + 0.5 * x2 +
      (x2 / x) * (1.0 / 6 - x2 * (1.0 / 30 - x2 * (1.0 / 42 - x2 * (1.0 / 30 - x2 * 5.0 / 66))));
  return acc + series;
}

namespace {

// ln of the common prefactor x^a e^{-x} / Gamma(a).
double incompleteGammaPrefix(double a, double x) {
  return a * std::log(x) - x - lnGamma(a);
}

// Series for P(a, x), good for x < a + 1.
double gammaPSeries(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < 10000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEps) break;
  }
  return sum * std::exp(incompleteGammaPrefix(a, x));
}

// Continued fraction for Q(a, x) (modified Lentz), good for x >= a + 1.
double gammaQFraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEps) break;
  }
  return std::exp(incompleteGammaPrefix(a, x)) * h;
}

}  // namespace

double gammaP(double a, double x) {
  if (!(a > 0) || std::isnan(x)) return kNaN;
  if (x <= 0) return 0;
  if (std::isinf(x)) return 1;
  if (x < a + 1) return gammaPSeries(a, x);
  return 1 - gammaQFraction(a, x);
}

double gammaQ(double a, double x) {
  if (!(a > 0) || std::isnan(x)) return kNaN;
  if (x <= 0) return 1;
  if (std::isinf(x)) return 0;
  if (x < a + 1) return 1 - gammaPSeries(a, x);
  return gammaQFraction(a, x);
}

double gammaPInverse(double a, double p) {
  if (!(a > 0) || !(p > 0) || !(p < 1)) {
    if (a > 0 && p == 0) return 0;
    if (a > 0 && p == 1) return std::numeric_limits<double>::infinity();
    return kNaN;
  }
  // Starting point: Wilson-Hilferty for moderate a, the small-x power law otherwise.
  double x;
  const double z = normalQuantile(p);
  const double c = 1.0 / (9 * a);
  const double wh = a * std::pow(1 - c + z * std::sqrt(c), 3);
  if (a > 0.5 && wh > 0) {
    x = wh;
  } else {
    // P(a, x) ~ x^a / (a Gamma(a)) as x -> 0.
    x = std::exp((std::log(p) + std::log(a) + lnGamma(a)) / a);
    if (!(x > 0) || std::isinf(x)) x = a;
  }
  // Bracket [lo, hi] with P(lo) < p < P(hi); grown from the start point.
  double lo = 0;
  double hi = std::max(x, 1e-300);
  while (gammaP(a, hi) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return std::numeric_limits<double>::infinity();
  }
  x = std::clamp(x, lo, hi);
  for (int it = 0; it < 200; ++it) {
    const double f = gammaP(a, x) - p;
    if (f == 0) return x;
    if (f < 0) {
      lo = x;
    } else {
      hi = x;
    }
    // Newton step with the density; fall back to bisection outside the bracket.
    const double density = std::exp((a - 1) * std::log(x) - x - lnGamma(a));
    double next = density > 0 ? x - f / density : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 1e-14 * std::max(x, 1e-300)) return next;
    x = next;
  }
  return x;
}

double chiSquareQuantile(double p, double df) {
  return 2 * gammaPInverse(0.5 * df, p);
}

double chiSquareSurvival(double x, double df) {
  return gammaQ(0.5 * df, 0.5 * x);
}

double normalCdf(double z) {
  return 0.5 * std::erfc(-z / kSqrt2);
}

double normalSurvival(double z) {
  return 0.5 * std::erfc(z / kSqrt2);
}

double normalHazard(double z) {
  if (z < 25) {
    // erfc keeps full relative precision here and the density has not underflowed.
    const double phi = std::exp(-0.5 * z * z - kLnSqrt2Pi);
    return phi / normalSurvival(z);
  }
  // Far tail: continued fraction of the Mills ratio, h = z + 1/(z + 2/(z + 3/(z + ...))).
  double t = z;
  for (int k = 12; k >= 1; --k) t = z + k / t;
  return t;
}

double logNormalSurvival(double z) {
  if (z < 0) return std::log1p(-normalSurvival(-z));
  if (z < 25) return std::log(normalSurvival(z));
  // ln S = ln phi(z) - ln h(z): avoids the underflow of erfc past z ~ 38.
  return -0.5 * z * z - kLnSqrt2Pi - std::log(normalHazard(z));
}

double normalQuantile(double p) {
  if (!(p > 0) || !(p < 1)) {
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return kNaN;
  }
  // Acklam's rational approximation (~1e-9), then two Halley steps on erfc to full precision.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00, 2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  for (int i = 0; i < 2; ++i) {
    // Work on the smaller tail so the residual keeps its relative precision.
    const double e = p < 0.5 ? normalCdf(x) - p : (1 - p) - normalSurvival(x);
    const double u = e * std::exp(0.5 * x * x + kLnSqrt2Pi);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}

double kolmogorovSurvival(double lambda) {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    // P(K <= l) = sqrt(2 pi)/l * sum exp(-(2j-1)^2 pi^2 / (8 l^2)): fast for small l.
    const double f = -kPi * kPi / (8 * lambda * lambda);
    double sum = 0;
    for (int j = 1; j <= 6; ++j) sum += std::exp(f * (2 * j - 1) * (2 * j - 1));
    return std::clamp(1 - std::sqrt(2 * kPi) / lambda * sum, 0.0, 1.0);
  }
  // P(K > l) = 2 sum (-1)^{j-1} exp(-2 j^2 l^2): fast for large l.
  double sum = 0;
  for (int j = 1; j <= 20; ++j) {
    const double term = std::exp(-2.0 * j * j * lambda * lambda);
    sum += (j % 2 == 1 ? term : -term);
    if (term < 1e-17) break;
  }
  return std::clamp(2 * sum, 0.0, 1.0);
}

}  // namespace weft::sim::calib::math
