// SPDX-License-Identifier: Apache-2.0
// Random streams and distributions: seeding, the slower samplers, moments, parameter checks.
#include "engine/sim/random.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace weft::sim {

uint64_t streamId(std::string_view name, uint32_t purpose) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char ch : name) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  uint64_t mix = h ^ (static_cast<uint64_t>(purpose) * 0x9e3779b97f4a7c15ULL);
  return splitMix64(mix);
}

Rng::Rng(uint64_t seed, uint64_t replication, uint64_t stream) {
  // Fold the three keys one after another so that (seed, rep, stream) and any permutation of
  // them give unrelated states.
  uint64_t x = seed;
  uint64_t k = splitMix64(x);
  x = k ^ (replication * 0xd1b54a32d192ed03ULL);
  k = splitMix64(x);
  x = k ^ (stream * 0xaef17502108ef2d9ULL);
  for (uint64_t& w : s_) w = splitMix64(x);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // unreachable in practice
}

Rng Rng::fromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  Rng r;
  r.s_[0] = s0;
  r.s_[1] = s1;
  r.s_[2] = s2;
  r.s_[3] = s3;
  return r;
}

double Rng::normalPair() {
  for (;;) {
    const double u = 2.0 * uniform() - 1.0;
    const double v = 2.0 * uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) {
      const double f = std::sqrt(-2.0 * std::log(s) / s);
      spare_ = v * f;
      hasSpare_ = true;
      return u * f;
    }
  }
}

double sampleGamma(Rng& rng, double shape) {
  if (shape < 1.0) {
    // Marsaglia-Tsang section 6: X = Gamma(shape + 1) * U^(1/shape).
    const double g = sampleGamma(rng, shape + 1.0);
    return g * std::pow(rng.uniformOpen(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = rng.normal01();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniformOpen();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

Dist Dist::lognormalMeanSd(double mean, double sd) {
  if (!(mean > 0.0)) return make(DistKind::kLognormal, std::numeric_limits<double>::quiet_NaN(), sd);
  const double s2 = std::log1p((sd * sd) / (mean * mean));
  return make(DistKind::kLognormal, std::log(mean) - 0.5 * s2, std::sqrt(s2));
}

Dist Dist::empirical(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Dist d = make(DistKind::kEmpirical, 0);
  d.table = std::make_shared<const std::vector<double>>(std::move(samples));
  return d;
}

double Dist::sampleSlow(Rng& rng) const {
  switch (kind) {
    case DistKind::kNormal: return a + b * rng.normal01();
    case DistKind::kLognormal: return std::exp(a + b * rng.normal01());
    case DistKind::kWeibull: return b * std::pow(rng.exp1(), 1.0 / a);
    case DistKind::kGamma: return b * sampleGamma(rng, a);
    case DistKind::kTriangular: {
      // Inverse CDF; one uniform per draw.
      const double u = rng.uniform();
      const double fc = (c > a) ? (b - a) / (c - a) : 0.0;
      if (u < fc) return a + std::sqrt(u * (c - a) * (b - a));
      return c - std::sqrt((1.0 - u) * (c - a) * (c - b));
    }
    case DistKind::kEmpirical: {
      const std::vector<double>& x = *table;
      const double u = rng.uniform();
      if (x.size() == 1) return x[0];
      const double pos = u * static_cast<double>(x.size() - 1);
      const size_t i = static_cast<size_t>(pos);
      const double f = pos - static_cast<double>(i);
      return x[i] + f * (x[i + 1] - x[i]);
    }
    case DistKind::kDeterministic: return a;
    case DistKind::kExponential: return a * rng.exp1();
    case DistKind::kUniform: return a + (b - a) * rng.uniform();
    case DistKind::kNone: break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

namespace {

// Moments of the piecewise-linear quantile function through the sorted table: the integral
// of Q(u) and Q(u)^2 over [0, 1], segment by segment.
void empiricalMoments(const std::vector<double>& x, double& m1, double& m2) {
  if (x.size() == 1) {
    m1 = x[0];
    m2 = x[0] * x[0];
    return;
  }
  const double w = 1.0 / static_cast<double>(x.size() - 1);
  m1 = m2 = 0.0;
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    const double p = x[i], q = x[i + 1];
    m1 += w * (p + q) / 2.0;
    m2 += w * (p * p + p * q + q * q) / 3.0;
  }
}

}  // namespace

double Dist::mean() const {
  switch (kind) {
    case DistKind::kDeterministic: return a;
    case DistKind::kUniform: return (a + b) / 2.0;
    case DistKind::kExponential: return a;
    case DistKind::kNormal: return a;
    case DistKind::kLognormal: return std::exp(a + b * b / 2.0);
    case DistKind::kWeibull: return b * std::tgamma(1.0 + 1.0 / a);
    case DistKind::kGamma: return a * b;
    case DistKind::kTriangular: return (a + b + c) / 3.0;
    case DistKind::kEmpirical: {
      double m1, m2;
      empiricalMoments(*table, m1, m2);
      return m1;
    }
    case DistKind::kNone: break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double Dist::variance() const {
  switch (kind) {
    case DistKind::kDeterministic: return 0.0;
    case DistKind::kUniform: return (b - a) * (b - a) / 12.0;
    case DistKind::kExponential: return a * a;
    case DistKind::kNormal: return b * b;
    case DistKind::kLognormal: return std::expm1(b * b) * std::exp(2.0 * a + b * b);
    case DistKind::kWeibull: {
      const double g1 = std::tgamma(1.0 + 1.0 / a), g2 = std::tgamma(1.0 + 2.0 / a);
      return b * b * (g2 - g1 * g1);
    }
    case DistKind::kGamma: return a * b * b;
    case DistKind::kTriangular:
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    case DistKind::kEmpirical: {
      double m1, m2;
      empiricalMoments(*table, m1, m2);
      return m2 - m1 * m1;
    }
    case DistKind::kNone: break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

Status Dist::check(std::string_view what) const {
  auto bad = [&](const char* why) {
    return Status::invalidArgument(std::string(what) + ": " + describe() + ": " + why);
  };
  auto finite = [](double v) { return std::isfinite(v); };
  switch (kind) {
    case DistKind::kNone: return bad("no distribution given");
    case DistKind::kDeterministic:
      if (!finite(a)) return bad("value is not finite");
      break;
    case DistKind::kUniform:
      if (!finite(a) || !finite(b) || b < a) return bad("needs finite lo <= hi");
      break;
    case DistKind::kExponential:
      if (!finite(a) || a <= 0) return bad("mean must be > 0");
      break;
    case DistKind::kNormal:
    case DistKind::kLognormal:
      if (!finite(a) || !finite(b) || b < 0) return bad("needs a finite location and sd >= 0");
      break;
    case DistKind::kWeibull:
    case DistKind::kGamma:
      if (!finite(a) || !finite(b) || a <= 0 || b <= 0) return bad("shape and scale must be > 0");
      break;
    case DistKind::kTriangular:
      if (!finite(a) || !finite(c) || !(a <= b && b <= c)) return bad("needs min <= mode <= max");
      break;
    case DistKind::kEmpirical:
      if (!table || table->empty()) return bad("no samples");
      for (double v : *table) {
        if (!finite(v)) return bad("a sample is not finite");
      }
      break;
  }
  return Status::ok();
}

std::string Dist::describe() const {
  char buf[160];
  switch (kind) {
    case DistKind::kNone: return "none";
    case DistKind::kDeterministic: std::snprintf(buf, sizeof buf, "deterministic(%g)", a); break;
    case DistKind::kUniform: std::snprintf(buf, sizeof buf, "uniform(%g, %g)", a, b); break;
    case DistKind::kExponential: std::snprintf(buf, sizeof buf, "exponential(mean=%g)", a); break;
    case DistKind::kNormal: std::snprintf(buf, sizeof buf, "normal(mean=%g, sd=%g)", a, b); break;
    case DistKind::kLognormal:
      std::snprintf(buf, sizeof buf, "lognormal(mu=%g, sigma=%g)", a, b);
      break;
    case DistKind::kWeibull:
      std::snprintf(buf, sizeof buf, "weibull(shape=%g, scale=%g)", a, b);
      break;
    case DistKind::kGamma: std::snprintf(buf, sizeof buf, "gamma(shape=%g, scale=%g)", a, b); break;
    case DistKind::kTriangular:
      std::snprintf(buf, sizeof buf, "triangular(%g, %g, %g)", a, b, c);
      break;
    case DistKind::kEmpirical:
      std::snprintf(buf, sizeof buf, "empirical(%zu samples)", table ? table->size() : 0);
      break;
  }
  return buf;
}

}  // namespace weft::sim
