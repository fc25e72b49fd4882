// SPDX-License-Identifier: Apache-2.0
// Special functions for calibration (engine/sim/calibrate.h): log-gamma, digamma, trigamma,
// the regularised incomplete gamma function and its inverse, chi-square and normal
// distribution functions, the Mills ratio, and the Kolmogorov distribution. Our own code
// rather than std::lgamma, whose glibc version writes the global `signgam` (a data race
// when replications fit in parallel threads). Pure functions; no state.
#pragma once

namespace weft::sim::calib::math {

inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kLnSqrt2Pi = 0.91893853320467274178;  // ln sqrt(2 pi)

// ln Gamma(x) for x > 0 (Stirling series after upward recurrence; about 1e-14 relative).
double lnGamma(double x);
// psi(x) = d/dx ln Gamma(x), x > 0.
double digamma(double x);
// psi'(x), x > 0.
double trigamma(double x);

// Regularised lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a), a > 0, x >= 0
// (series below a + 1, continued fraction above), and the upper Q = 1 - P computed
// without cancellation.
double gammaP(double a, double x);
double gammaQ(double a, double x);
// x with P(a, x) = p, for 0 < p < 1 (safeguarded Newton on a bracket).
double gammaPInverse(double a, double p);

// Chi-square with `df` (> 0, not necessarily integer) degrees of freedom.
double chiSquareQuantile(double p, double df);
double chiSquareSurvival(double x, double df);  // P(X > x)

// Standard normal.
double normalCdf(double z);
double normalSurvival(double z);     // 1 - Phi(z) without cancellation for large z
double logNormalSurvival(double z);  // ln(1 - Phi(z)), finite for every finite z
double normalQuantile(double p);     // Phi^{-1}(p), 0 < p < 1
// Inverse Mills ratio phi(z) / (1 - Phi(z)): the hazard of the standard normal.
double normalHazard(double z);

// P(K > lambda) for the Kolmogorov distribution (limit of sqrt(n) D_n).
double kolmogorovSurvival(double lambda);

}  // namespace weft::sim::calib::math
