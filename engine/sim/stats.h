// SPDX-License-Identifier: Apache-2.0
// Output statistics: time-weighted averages, tallies, Student t intervals.
#pragma once

#include <cstdint>
#include <vector>

namespace weft::sim {

// Time-weighted average of a piecewise-constant level (WIP, stock on hand, backlog).
// set() at every change; reset() at the end of the warm-up keeps the level, drops the area.
class TimeAverage {
 public:
  void reset(double t) {
    start_ = last_ = t;
    area_ = 0;
  }
  void set(double t, double level) {
    area_ += level_ * (t - last_);
    last_ = t;
    level_ = level;
  }
  void add(double t, double delta) { set(t, level_ + delta); }
  // Area of changes applied late (flow lines' queued arrivals and consumption): what level
  // changes d_i at times t_i <= last would have added, sum d_i (last - t_i), given by the
  // caller, who then set()s the new level at `last`.
  void addArea(double area) { area_ += area; }
  double level() const { return level_; }
  // Mean over [start, t].
  double mean(double t) const {
    const double span = t - start_;
    return span > 0 ? (area_ + level_ * (t - last_)) / span : level_;
  }

 private:
  double start_ = 0, last_ = 0, area_ = 0, level_ = 0;
};

// Count, mean and variance of observations (Welford's update: stable for long runs).
class Tally {
 public:
  void add(double x) {
    ++n_;
    const double d = x - mean_;
    mean_ += d / static_cast<double>(n_);
    m2_ += d * (x - mean_);
  }
  void reset() { *this = Tally(); }
  uint64_t count() const { return n_; }
  double mean() const;      // NaN when empty
  double variance() const;  // sample variance (n - 1); NaN below 2 observations
  double sum() const { return mean_ * static_cast<double>(n_); }

 private:
  uint64_t n_ = 0;
  double mean_ = 0, m2_ = 0;
};

// Quantile of Student's t with df degrees of freedom (df > 0), p in (0, 1): bisection on the
// CDF written with the regularised incomplete beta function (continued fraction, Lentz).
double studentTQuantile(double p, double df);

// Mean and the half-width of a two-sided `level` confidence interval, mean +- t * s / sqrt(n).
// NaN observations are left out (a KPI undefined in one replication, e.g. MTTR without a
// failure); n is the number used. halfWidth is NaN below two observations.
struct Interval {
  double mean = 0;
  double halfWidth = 0;
  double sd = 0;
  uint32_t n = 0;
  double lo() const { return mean - halfWidth; }
  double hi() const { return mean + halfWidth; }
};
Interval confidenceInterval(const std::vector<double>& xs, double level = 0.95);

}  // namespace weft::sim
