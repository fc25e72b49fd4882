// SPDX-License-Identifier: Apache-2.0
// Shewhart / Western Electric, EWMA and CUSUM charts (spc.h; formulas in docs/watch.md).
#include "engine/watch/spc.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace weft::watch {
namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The points a chart plots: single observations, or the means of consecutive subgroups of n
// observations (a short last subgroup is left out: its mean has another sigma).
struct Plotted {
  std::vector<double> v;
  std::vector<size_t> first, last;  // observations behind each point
  double sigma = 0;                 // of one plotted point
};

Plotted plot(const Series& s, const Baseline& b, size_t n) {
  Plotted p;
  if (n < 1) n = 1;
  p.sigma = b.sigma / std::sqrt(static_cast<double>(n));
  for (size_t i = 0; i + n <= s.size(); i += n) {
    double sum = 0;
    for (size_t j = i; j < i + n; ++j) sum += s.value[j];
    p.v.push_back(sum / static_cast<double>(n));
    p.first.push_back(i);
    p.last.push_back(i + n - 1);
  }
  return p;
}

Alarm makeAlarm(const Series& s, const Baseline& b, const Plotted& p, size_t firstPoint,
                size_t lastPoint) {
  Alarm a;
  a.series = s.name;
  a.windowFirst = p.first[firstPoint];
  a.windowLast = p.last[lastPoint];
  a.detectionIndex = a.windowLast;
  a.windowStart = s.time[a.windowFirst];
  a.windowEnd = s.time[a.windowLast];
  a.detectionTime = a.windowEnd;
  a.pointsInWindow = lastPoint - firstPoint + 1;
  a.centre = b.mean;
  a.baselineMean = b.mean;
  a.baselineSigma = b.sigma;
  a.baselineCount = b.count;
  a.baselineMethod = b.method;
  if (a.detectionIndex < s.id.size()) a.detectionId = s.id[a.detectionIndex];
  return a;
}

const char* kRuleText[4] = {
    "one point beyond the control limit",
    "two of three consecutive points beyond 2 sigma on the same side",
    "four of five consecutive points beyond 1 sigma on the same side",
    "eight consecutive points on the same side of the centre line",
};

}  // namespace

double c4(size_t n) {
  if (n < 2) return 1;
  const double m = static_cast<double>(n);
  return std::sqrt(2.0 / (m - 1)) * std::exp(std::lgamma(m / 2) - std::lgamma((m - 1) / 2));
}

Result<Baseline> estimateBaseline(const std::vector<double>& x, size_t first, size_t last,
                                  SigmaMethod method, size_t subgroupSize) {
  if (last > x.size()) last = x.size();
  if (first >= last || last - first < 2)
    return Status::invalidArgument("the baseline window holds fewer than two observations");
  Baseline b;
  if (subgroupSize > 1) {
    // Within-subgroup sigma: s-bar / c4(n), grand mean of the subgroup means.
    const size_t n = subgroupSize;
    double sumMean = 0, sumS = 0;
    size_t groups = 0;
    for (size_t i = first; i + n <= last; i += n) {
      double m = 0;
      for (size_t j = i; j < i + n; ++j) m += x[j];
      m /= static_cast<double>(n);
      double ss = 0;
      for (size_t j = i; j < i + n; ++j) ss += (x[j] - m) * (x[j] - m);
      sumMean += m;
      sumS += std::sqrt(ss / static_cast<double>(n - 1));
      ++groups;
    }
    if (groups < 2)
      return Status::invalidArgument("the baseline window holds fewer than two subgroups of " +
                                     std::to_string(n));
    b.mean = sumMean / static_cast<double>(groups);
    b.sigma = sumS / static_cast<double>(groups) / c4(n);
    b.count = groups * n;
    b.method = "s-bar/c4";
  } else {
    double sum = 0;
    for (size_t i = first; i < last; ++i) sum += x[i];
    const double n = static_cast<double>(last - first);
    b.mean = sum / n;
    b.count = last - first;
    if (method == SigmaMethod::kMovingRange) {
      // MR-bar / d2(2); d2(2) = 2 / sqrt(pi) = 1.128.
      double mr = 0;
      for (size_t i = first + 1; i < last; ++i) mr += std::fabs(x[i] - x[i - 1]);
      b.sigma = mr / (n - 1) / (2.0 / std::sqrt(M_PI));
      b.method = "moving-range";
    } else {
      double ss = 0;
      for (size_t i = first; i < last; ++i) ss += (x[i] - b.mean) * (x[i] - b.mean);
      b.sigma = std::sqrt(ss / (n - 1));
      b.method = "std-dev";
    }
  }
  if (!(b.sigma > 0) || !std::isfinite(b.sigma) || !std::isfinite(b.mean))
    return Status::invalidArgument("the baseline window has no variation (sigma 0): give sigma");
  return b;
}

RunRules::RunRules(double sigmaLimits, const bool rules[4]) : L_(sigmaLimits) {
  for (int i = 0; i < 4; ++i) rules_[i] = rules[i];
}

int RunRules::step(double z) {
  last_[n_ % 8] = z;
  ++n_;
  auto back = [&](size_t k) { return last_[(n_ - 1 - k) % 8]; };  // k = 0: this point
  // Rule 1.
  if (rules_[0] && std::fabs(z) > L_) {
    side_ = z > 0 ? 1 : -1;
    window_ = beyond_ = 1;
    zone_ = L_;
    return 1;
  }
  // Rules 2 and 3: m of the last w points beyond `zone` on one side. Fewer than w points since
  // the (re)start count as a window too: m of them beyond makes m of any w containing them.
  auto mOfW = [&](size_t m, size_t w, double zone) {
    if (n_ < m) return false;
    w = std::min(w, n_);
    size_t up = 0, down = 0;
    for (size_t k = 0; k < w; ++k) {
      if (back(k) > zone) ++up;
      if (back(k) < -zone) ++down;
    }
    if (up < m && down < m) return false;
    side_ = up >= m ? 1 : -1;
    window_ = w;
    beyond_ = up >= m ? up : down;
    zone_ = zone;
    return true;
  };
  if (rules_[1] && mOfW(2, 3, 2)) return 2;
  if (rules_[2] && mOfW(4, 5, 1)) return 3;
  // Rule 4: eight in a row strictly on one side (a point on the centre line breaks the run).
  if (rules_[3] && n_ >= 8) {
    size_t up = 0, down = 0;
    for (size_t k = 0; k < 8; ++k) {
      if (back(k) > 0) ++up;
      if (back(k) < 0) ++down;
    }
    if (up == 8 || down == 8) {
      side_ = up == 8 ? 1 : -1;
      window_ = beyond_ = 8;
      zone_ = 0;
      return 4;
    }
  }
  return 0;
}

EwmaStatistic::EwmaStatistic(double lambda, double L, bool exactLimits)
    : lambda_(lambda), L_(L), exact_(exactLimits) {}

bool EwmaStatistic::step(double z) {
  z_ = lambda_ * z + (1 - lambda_) * z_;
  ++i_;
  double var = lambda_ / (2 - lambda_);
  if (exact_) var *= 1 - std::pow(1 - lambda_, 2.0 * static_cast<double>(i_));
  lim_ = L_ * std::sqrt(var);
  return std::fabs(z_) > lim_;
}

int CusumStatistic::step(double z) {
  hi_ = std::max(0.0, hi_ + z - k_);
  lo_ = std::max(0.0, lo_ - z - k_);
  nHi_ = hi_ > 0 ? nHi_ + 1 : 0;
  nLo_ = lo_ > 0 ? nLo_ + 1 : 0;
  if (hi_ > h_) return 1;
  if (lo_ > h_) return -1;
  return 0;
}

std::vector<Alarm> shewhart(const Series& s, const Baseline& b, const ShewhartOptions& o) {
  std::vector<Alarm> out;
  const Plotted p = plot(s, b, o.subgroupSize);
  RunRules rr(o.sigmaLimits, o.rules);
  const std::string chart = o.subgroupSize > 1 ? "shewhart-xbar" : "shewhart-individuals";
  std::string params = "L=" + num(o.sigmaLimits);
  if (o.subgroupSize > 1) params += " n=" + std::to_string(o.subgroupSize);
  for (size_t i = 0; i < p.v.size(); ++i) {
    const int rule = rr.step((p.v[i] - b.mean) / p.sigma);
    if (rule == 0) continue;
    Alarm a = makeAlarm(s, b, p, i + 1 - rr.window(), i);
    a.chart = chart;
    a.rule = "WE" + std::to_string(rule);
    a.ruleText = kRuleText[rule - 1];
    a.side = rr.side();
    a.pointsBeyond = rr.beyond();
    a.statistic = p.v[i];
    a.limit = b.mean + a.side * rr.zone() * p.sigma;
    a.parameters = params;
    out.push_back(std::move(a));
    rr.reset();
  }
  return out;
}

std::vector<Alarm> ewma(const Series& s, const Baseline& b, const EwmaOptions& o) {
  std::vector<Alarm> out;
  const Plotted p = plot(s, b, 1);
  EwmaStatistic e(o.lambda, o.L, o.exactLimits);
  const std::string params = "lambda=" + num(o.lambda) + " L=" + num(o.L) +
                             (o.exactLimits ? " exact limits" : " asymptotic limits");
  size_t excursion = 0;  // first point of the EWMA's current stay on one side
  int lastSide = 0;
  for (size_t i = 0; i < p.v.size(); ++i) {
    const bool fired = e.step((p.v[i] - b.mean) / p.sigma);
    const int side = e.value() > 0 ? 1 : e.value() < 0 ? -1 : 0;
    if (side != lastSide) excursion = i;
    lastSide = side;
    if (!fired) continue;
    Alarm a = makeAlarm(s, b, p, excursion, i);
    a.chart = "ewma";
    a.rule = "EWMA";
    a.ruleText = "the exponentially weighted moving average beyond its control limit";
    a.side = side;
    a.pointsBeyond = 1;
    a.statistic = b.mean + e.value() * p.sigma;
    a.limit = b.mean + side * e.limit() * p.sigma;
    a.parameters = params;
    out.push_back(std::move(a));
    e.reset();
    lastSide = 0;
    excursion = i + 1;
  }
  return out;
}

std::vector<Alarm> cusum(const Series& s, const Baseline& b, const CusumOptions& o) {
  std::vector<Alarm> out;
  const Plotted p = plot(s, b, 1);
  CusumStatistic c(o.k, o.h);
  const std::string params = "k=" + num(o.k) + " h=" + num(o.h);
  for (size_t i = 0; i < p.v.size(); ++i) {
    const int side = c.step((p.v[i] - b.mean) / p.sigma);
    if (side == 0) continue;
    const size_t run = side > 0 ? c.upperRun() : c.lowerRun();
    Alarm a = makeAlarm(s, b, p, i + 1 - run, i);
    a.chart = "cusum";
    a.rule = side > 0 ? "CUSUM+" : "CUSUM-";
    a.ruleText = side > 0 ? "the upper cumulative sum beyond the decision interval h"
                          : "the lower cumulative sum beyond the decision interval h";
    a.side = side;
    a.pointsBeyond = run;
    // Montgomery's tabular form in the data's units: C = sum of (x - mu -+ K), H = h sigma.
    a.statistic = (side > 0 ? c.upper() : c.lower()) * p.sigma;
    a.limit = o.h * p.sigma;
    a.parameters = params;
    out.push_back(std::move(a));
    c.reset();
  }
  return out;
}

}  // namespace weft::watch
