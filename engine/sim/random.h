// SPDX-License-Identifier: Apache-2.0
// Random streams and distributions of the twin, written out here so that a seed gives the same
// draws with any standard library (std::*_distribution differ between libstdc++ and libc++).
//
// Streams: xoshiro256** (Blackman and Vigna, https://prng.di.unimi.it/xoshiro256starstar.c)
// seeded by SplitMix64 from (run seed, replication, stream id). Each entity of a model draws
// from its own streams, keyed by a hash of its name and a purpose (cycle times, failures, ...),
// so entity k sees the same draws in two scenarios of one replication: common random numbers.
//
// Bit-identical results need the same IEEE double arithmetic and the same libm for log, exp,
// pow and sqrt (sqrt is exact everywhere; glibc's log/exp/pow give the same bits on every
// x86-64 and AArch64 machine). Do not build the simulator with -ffast-math.
//
// Thread safety: an Rng is a plain value; give each thread (replication) its own.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace weft::sim {

// SplitMix64 step (Steele, Lea, Flood 2014): the seeding generator recommended for xoshiro.
inline uint64_t splitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A stable 64-bit id for a named stream: FNV-1a of the name mixed with a purpose number.
// Names (not vector positions) key the streams, so adding an entity to a scenario does not
// shift the draws of the others.
uint64_t streamId(std::string_view name, uint32_t purpose);

// xoshiro256**: 256 bits of state, period 2^256 - 1, ~1 ns per draw.
class Rng {
 public:
  Rng() : Rng(0, 0, 0) {}
  // The stream for (seed, replication, stream): the three are folded through SplitMix64, whose
  // outputs fill the state (never all zero).
  Rng(uint64_t seed, uint64_t replication, uint64_t stream);
  // Raw state, for the reference-vector test.
  static Rng fromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1): never 0 or 1, safe for log and pow.
  double uniformOpen() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < n / 2^64).
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  bool bernoulli(double p) { return uniform() < p; }
  // Exp(1) by inversion: one uniform per draw, which keeps streams synchronised under CRN.
  double exp1() { return -std::log(uniformOpen()); }
  // Standard normal by Marsaglia's polar method (log and sqrt only). Each accepted pair gives
  // two normals; the second is kept in the stream for its next normal01() call.
  double normal01() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    return normalPair();
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  double normalPair();
  uint64_t s_[4];
  double spare_ = 0;
  bool hasSpare_ = false;
};

enum class DistKind : uint8_t {
  kNone,           // not given (a validation error where a value is needed)
  kDeterministic,  // a: the value
  kUniform,        // a, b: [a, b)
  kExponential,    // a: the mean (1 / rate)
  kNormal,         // a: mean, b: standard deviation
  kLognormal,      // a: mu, b: sigma OF THE LOG (see lognormalMeanSd for the value's moments)
  kWeibull,        // a: shape k (beta), b: scale lambda (eta); mean = b * Gamma(1 + 1/a)
  kGamma,          // a: shape, b: scale; mean = a * b (Marsaglia-Tsang 2000)
  kTriangular,     // a: min, b: mode, c: max
  kEmpirical,      // table: sorted samples; inverse of the piecewise-linear ECDF
};

// A distribution as a small value: a kind and up to three parameters (plus a shared sorted
// table for empirical ones). Copying is cheap; sample() is a switch, no virtual call.
// Durations drawn from it are clamped at 0 by the model (a normal can go negative).
struct Dist {
  DistKind kind = DistKind::kNone;
  double a = 0, b = 0, c = 0;
  std::shared_ptr<const std::vector<double>> table;

  static Dist none() { return {}; }
  static Dist deterministic(double value) { return make(DistKind::kDeterministic, value); }
  static Dist uniform(double lo, double hi) { return make(DistKind::kUniform, lo, hi); }
  static Dist exponential(double mean) { return make(DistKind::kExponential, mean); }
  static Dist normal(double mean, double sd) { return make(DistKind::kNormal, mean, sd); }
  // mu and sigma of ln(X).
  static Dist lognormal(double mu, double sigma) { return make(DistKind::kLognormal, mu, sigma); }
  // Mean and standard deviation of X itself: sigma^2 = ln(1 + sd^2/mean^2),
  // mu = ln(mean) - sigma^2 / 2.
  static Dist lognormalMeanSd(double mean, double sd);
  static Dist weibull(double shape, double scale) { return make(DistKind::kWeibull, shape, scale); }
  static Dist gamma(double shape, double scale) { return make(DistKind::kGamma, shape, scale); }
  static Dist triangular(double lo, double mode, double hi) {
    return make(DistKind::kTriangular, lo, mode, hi);
  }
  // From observed values (any order; copied and sorted). Draws interpolate linearly between
  // consecutive order statistics: X = x(i) + f (x(i+1) - x(i)) at u (n - 1) = i + f.
  static Dist empirical(std::vector<double> samples);

  bool defined() const { return kind != DistKind::kNone; }
  double sample(Rng& rng) const {
    switch (kind) {
      case DistKind::kDeterministic: return a;
      case DistKind::kExponential: return a * rng.exp1();
      case DistKind::kUniform: return a + (b - a) * rng.uniform();
      default: return sampleSlow(rng);
    }
  }
  // Exact moments of the distribution as parameterised (NaN for kNone).
  double mean() const;
  double variance() const;
  // Parameters make sense (sd >= 0, shape > 0, lo <= mode <= hi, non-empty table, ...).
  // `what` names the owner in the message.
  Status check(std::string_view what) const;
  // "exponential(mean=3600)" and so on, for reports and error messages.
  std::string describe() const;

 private:
  static Dist make(DistKind k, double a, double b = 0, double c = 0) {
    Dist d;
    d.kind = k;
    d.a = a;
    d.b = b;
    d.c = c;
    return d;
  }
  double sampleSlow(Rng& rng) const;
};

// Gamma(shape, 1) by Marsaglia and Tsang, "A simple method for generating gamma variables"
// (ACM TOMS 26(3), 2000); shape < 1 via Gamma(shape + 1) * U^(1/shape).
double sampleGamma(Rng& rng, double shape);

}  // namespace weft::sim
