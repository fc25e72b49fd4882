// SPDX-License-Identifier: Apache-2.0
// Statistical process control on one series (issue 9, item 3; methods and references in
// docs/watch.md): a phase-I baseline (mean and sigma from a baseline window), Shewhart
// individuals and X-bar charts with the Western Electric run rules, EWMA with exact
// time-varying limits, and the two-sided tabular CUSUM. Each chart returns its alarms with the
// evidence a reader needs to check them: the window of points that triggered the rule, the
// statistic against its limit, and the baseline it was measured from.
//
// Pure computation: no store, no I/O, deterministic. Not thread-safe per call only in the sense
// that the inputs must not change while a chart runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace weft::watch {

// A series of observations in time order. `time` is epoch milliseconds when the series has a
// calendar (tags, records), otherwise the observation's position; `id` names the record an
// observation comes from (a lot, a phase run; "" for tag samples).
struct Series {
  std::string name;
  std::vector<int64_t> time;
  std::vector<double> value;
  std::vector<std::string> id;
  bool calendar = true;  // false: `time` is an index, not epoch ms
  size_t size() const { return value.size(); }
};

// How sigma is estimated from the baseline window.
enum class SigmaMethod {
  // Individuals: the average moving range of consecutive points divided by d2(2) = 1.128
  // (Montgomery, section 6.4). Robust to a slow drift inside the window, unlike the standard
  // deviation, which the drift inflates.
  kMovingRange,
  // The sample standard deviation (n - 1); for X-bar charts, the average subgroup standard
  // deviation divided by c4(n).
  kStdDev,
};

struct Baseline {
  double mean = 0;
  double sigma = 0;    // of one observation (not of a subgroup mean)
  size_t count = 0;    // observations used
  std::string method;  // "moving-range", "std-dev", "s-bar/c4", "given"
};

// Phase I: mean and sigma from observations [first, last) of `x`. For subgroupSize > 1 the
// window is cut into consecutive subgroups of that size (a short last one is dropped) and
// sigma is the within-subgroup sigma (s-bar / c4(n)); otherwise `method` decides. Fails on
// fewer than two observations (two subgroups) or a zero sigma.
Result<Baseline> estimateBaseline(const std::vector<double>& x, size_t first, size_t last,
                                  SigmaMethod method, size_t subgroupSize = 1);
// c4(n) = sqrt(2/(n-1)) * Gamma(n/2) / Gamma((n-1)/2): E[s] = c4 * sigma for normal data.
double c4(size_t n);

// One alarm with its evidence. Indexes are positions in the series given to the chart
// (observations, not subgroups); times come from Series::time.
struct Alarm {
  std::string series;
  std::string chart;  // "shewhart-individuals", "shewhart-xbar", "ewma", "cusum"
  std::string rule;   // "WE1".."WE4", "EWMA", "CUSUM+", "CUSUM-"
  std::string ruleText;
  int side = 0;                            // +1 above the centre line, -1 below
  size_t windowFirst = 0, windowLast = 0;  // observations of the evidence, inclusive
  size_t detectionIndex = 0;               // = windowLast
  int64_t windowStart = 0, windowEnd = 0, detectionTime = 0;
  size_t pointsInWindow = 0;  // plotted points (subgroups for X-bar) in the window
  size_t pointsBeyond = 0;    // of those, how many were beyond the rule's zone
  double statistic = 0;       // plotted value at detection (x, x-bar, EWMA z, CUSUM C)
  double limit = 0;           // the limit or zone boundary it crossed (same units)
  double centre = 0;          // baseline mean
  double baselineMean = 0, baselineSigma = 0;
  size_t baselineCount = 0;
  std::string baselineMethod;
  std::string parameters;   // "L=3", "lambda=0.2 L=2.962 exact limits", "k=0.5 h=5"
  std::string detectionId;  // Series::id at detection, if any
};

// After an alarm every chart restarts from the next point (run rules forget earlier points,
// EWMA returns to the centre with its limits starting again, CUSUM sums return to zero), so
// a lasting shift raises an alarm about every ARL1 points instead of at every point, and run
// lengths are those of the textbook tables.
struct ShewhartOptions {
  double sigmaLimits = 3;                    // L of rule 1 (the control limits)
  bool rules[4] = {true, true, true, true};  // WE1..WE4
  size_t subgroupSize = 1;                   // > 1: X-bar chart of consecutive subgroups
};
std::vector<Alarm> shewhart(const Series& s, const Baseline& b, const ShewhartOptions& o);

struct EwmaOptions {
  double lambda = 0.2;
  double L = 2.962;
  // Exact limits mu +- L sigma sqrt(lambda/(2-lambda) (1-(1-lambda)^(2i))); false: asymptotic.
  bool exactLimits = true;
};
std::vector<Alarm> ewma(const Series& s, const Baseline& b, const EwmaOptions& o);

struct CusumOptions {
  double k = 0.5;  // reference value, in sigma
  double h = 5;    // decision interval, in sigma
};
std::vector<Alarm> cusum(const Series& s, const Baseline& b, const CusumOptions& o);

// The charts' arithmetic on standardised points z = (x - mean) / sigma_plotted, one point at a
// time: the charts above run these, and the ARL studies (tests, docs/watch.md) feed them
// simulated points directly.
class RunRules {
 public:
  RunRules(double sigmaLimits, const bool rules[4]);
  // The rule (1..4, the lowest that fires) signalled at this point, or 0. After a signal the
  // caller calls reset() to restart.
  int step(double z);
  void reset() { n_ = 0; }
  int side() const { return side_; }         // of the last signal
  size_t window() const { return window_; }  // points of the last signal's window
  size_t beyond() const { return beyond_; }  // of those, beyond the rule's zone
  double zone() const { return zone_; }      // the zone boundary of the last signal, in sigma

 private:
  double L_;
  bool rules_[4];
  double last_[8] = {};  // the last points, newest at (n_ - 1) % 8
  size_t n_ = 0;         // points since the (re)start
  int side_ = 0;
  size_t window_ = 0, beyond_ = 0;
  double zone_ = 0;
};

class EwmaStatistic {
 public:
  EwmaStatistic(double lambda, double L, bool exactLimits);
  // True when the EWMA of the points so far is beyond its limit at this point.
  bool step(double z);
  void reset() {
    z_ = 0;
    i_ = 0;
  }
  double value() const { return z_; }    // in sigma units
  double limit() const { return lim_; }  // half-width at the last point, in sigma units

 private:
  double lambda_, L_;
  bool exact_;
  double z_ = 0, lim_ = 0;
  size_t i_ = 0;
};

class CusumStatistic {
 public:
  CusumStatistic(double k, double h) : k_(k), h_(h) {}
  // +1 when the upper sum exceeds h at this point, -1 the lower, 0 neither.
  int step(double z);
  void reset() {
    hi_ = lo_ = 0;
    nHi_ = nLo_ = 0;
  }
  double upper() const { return hi_; }
  double lower() const { return lo_; }
  // Consecutive points with a non-zero sum: the change point estimate is that many back.
  size_t upperRun() const { return nHi_; }
  size_t lowerRun() const { return nLo_; }

 private:
  double k_, h_;
  double hi_ = 0, lo_ = 0;
  size_t nHi_ = 0, nLo_ = 0;
};

}  // namespace weft::watch
