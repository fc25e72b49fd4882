// SPDX-License-Identifier: Apache-2.0
// Calibration from counts and timestamps: yields (Wilson), demand per period (Poisson,
// dispersion, negative binomial), lead times from paired shipping/receiving events, the
// Laplace trend test, and the backtest errors. Declared in engine/sim/calibrate.h.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/sim/calibrate.h"
#include "engine/sim/internal/calibrate_detail.h"
#include "engine/sim/internal/calibrate_math.h"

namespace weft::sim::calib {

using detail::kNaN;

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Yield

Result<ProportionFit> fitYield(std::uint64_t good, std::uint64_t total,
                               const FitOptions& options) {
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  if (total == 0) return Status::invalidArgument("yield: no units (total = 0)");
  if (good > total) {
    return Status::invalidArgument("yield: good units (" + std::to_string(good) +
                                   ") exceed total units (" + std::to_string(total) + ")");
  }
  const double n = static_cast<double>(total);
  const double p = static_cast<double>(good) / n;
  const double z2 = *z * *z;
  // Wilson score interval: the p0 with |p - p0| = z sqrt(p0 (1 - p0) / n).
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = (*z / denom) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  ProportionFit fit;
  fit.successes = good;
  fit.trials = total;
  fit.proportion.value = p;
  fit.proportion.stdError = std::sqrt(p * (1 - p) / n);
  // At the edges centre = half exactly in real arithmetic; pin the bound so rounding
  // cannot leave 1e-17 above 0 (or below 1).
  fit.proportion.ci.lower = good == 0 ? 0.0 : std::max(0.0, centre - half);
  fit.proportion.ci.upper = good == total ? 1.0 : std::min(1.0, centre + half);
  return fit;
}

// ---------------------------------------------------------------------------------------
// Demand

Result<DemandFit> fitDemand(const std::vector<double>& perPeriod, const FitOptions& options) {
  auto z = detail::zForConfidence(options);
  if (!z) return z.status();
  if (perPeriod.empty()) return Status::invalidArgument("demand: no periods");
  for (std::size_t i = 0; i < perPeriod.size(); ++i) {
    if (!std::isfinite(perPeriod[i]) || perPeriod[i] < 0) {
      return Status::invalidArgument("demand: period " + std::to_string(i) + " has demand " +
                                     fmt(perPeriod[i]) + " (must be finite and >= 0)");
    }
  }
  DemandFit fit;
  const double n = static_cast<double>(perPeriod.size());
  fit.periods = perPeriod.size();
  for (double v : perPeriod) fit.total += v;
  fit.mean = fit.total / n;
  if (perPeriod.size() > 1) {
    double ss = 0;
    for (double v : perPeriod) ss += (v - fit.mean) * (v - fit.mean);
    fit.variance = ss / (n - 1);
  }
  // Poisson rate per period: exact (Garwood) interval from the total count over n periods.
  const double alpha = 1 - options.confidence;
  fit.rate.value = fit.mean;
  fit.rate.stdError = std::sqrt(fit.mean / n);
  fit.rate.ci.lower =
      fit.total > 0 ? math::chiSquareQuantile(alpha / 2, 2 * fit.total) / (2 * n) : 0.0;
  fit.rate.ci.upper = math::chiSquareQuantile(1 - alpha / 2, 2 * fit.total + 2) / (2 * n);

  if (perPeriod.size() < 2) {
    fit.dispersionIndex = kNaN;
    fit.dispersionPValue = kNaN;
    fit.note = "one period: variance and dispersion undefined; Poisson assumed";
    return fit;
  }
  if (fit.mean == 0) {
    fit.dispersionIndex = kNaN;
    fit.dispersionPValue = kNaN;
    fit.note = "no demand in any of " + std::to_string(fit.periods) +
               " periods; the rate interval gives an upper bound";
    return fit;
  }
  fit.dispersionIndex = fit.variance / fit.mean;
  const double stat = (n - 1) * fit.dispersionIndex;
  fit.dispersionPValue = math::chiSquareSurvival(stat, n - 1);
  fit.overdispersed = fit.variance > fit.mean && fit.dispersionPValue < alpha;
  if (fit.overdispersed) {
    // Method of moments: mean = r (1 - p) / p and variance = mean / p.
    NegativeBinomial nb;
    nb.probability = fit.mean / fit.variance;
    nb.size = fit.mean * fit.mean / (fit.variance - fit.mean);
    fit.negativeBinomial = nb;
    fit.note = "over-dispersed: variance " + fmt(fit.dispersionIndex) +
               " times the mean (p = " + fmt(fit.dispersionPValue) +
               "); negative binomial size " + fmt(nb.size) + ", p " + fmt(nb.probability);
  } else if (1 - fit.dispersionPValue < alpha) {
    fit.note = "under-dispersed: demand more regular than Poisson (variance " +
               fmt(fit.dispersionIndex) + " times the mean; contracted or scheduled orders?)";
  } else {
    fit.note = "consistent with Poisson (variance " + fmt(fit.dispersionIndex) +
               " times the mean, p = " + fmt(fit.dispersionPValue) + ")";
  }
  return fit;
}

// ---------------------------------------------------------------------------------------
// Lead times

Pairing pairByKey(const std::vector<KeyedTime>& shipped, const std::vector<KeyedTime>& received) {
  std::unordered_map<std::string, int> shipCount, recvCount;
  std::unordered_map<std::string, double> recvTime;
  for (const auto& s : shipped) ++shipCount[s.key];
  for (const auto& r : received) {
    ++recvCount[r.key];
    recvTime[r.key] = r.time;
  }
  Pairing out;
  std::unordered_map<std::string, bool> reported;  // duplicates listed once
  auto duplicate = [&](const std::string& key) {
    if (!reported[key]) {
      reported[key] = true;
      out.duplicateKeys.push_back(key);
    }
  };
  for (const auto& s : shipped) {
    const auto rc = recvCount.find(s.key);
    if (shipCount[s.key] > 1 || (rc != recvCount.end() && rc->second > 1)) {
      duplicate(s.key);
    } else if (rc == recvCount.end()) {
      out.unmatchedShipped.push_back(s.key);
    } else {
      out.pairs.push_back({s.time, recvTime[s.key]});
      out.pairKeys.push_back(s.key);
    }
  }
  for (const auto& r : received) {
    if (shipCount.count(r.key) == 0) {
      if (recvCount[r.key] > 1) {
        duplicate(r.key);
      } else {
        out.unmatchedReceived.push_back(r.key);
      }
    }
  }
  return out;
}

SelectOptions leadTimeSelectOptions() {
  SelectOptions o;
  o.families = {Family::kGamma, Family::kLognormal, Family::kWeibull, Family::kNormal};
  return o;
}

Result<LeadTimeFit> fitLeadTimes(const std::vector<TimestampPair>& pairs,
                                 const SelectOptions& options) {
  if (pairs.empty()) return Status::invalidArgument("lead times: no shipping/receiving pairs");
  LeadTimeFit fit;
  fit.sample.reserve(pairs.size());
  std::size_t bad = 0, firstBad = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const double d = pairs[i].received - pairs[i].shipped;
    if (!std::isfinite(pairs[i].shipped) || !std::isfinite(pairs[i].received) || !(d > 0)) {
      if (bad++ == 0) firstBad = i;
    }
    fit.sample.push_back(d);
  }
  if (bad > 0) {
    return Status::invalidArgument(
        "lead times: " + std::to_string(bad) + " of " + std::to_string(pairs.size()) +
        " pairs are received at or before shipping (or not finite); first is pair " +
        std::to_string(firstBad) + " (shipped " + fmt(pairs[firstBad].shipped) +
        ", received " + fmt(pairs[firstBad].received) + ")");
  }
  auto sel = selectModel(uncensored(fit.sample), options);
  if (!sel) return sel.status();
  fit.model = std::move(sel.value());
  return fit;
}

// ---------------------------------------------------------------------------------------
// Trend

Result<TrendTest> laplaceTrend(const std::vector<double>& eventTimes, double end) {
  if (!(end > 0) || !std::isfinite(end)) {
    return Status::invalidArgument("laplace trend: observation end must be finite and > 0");
  }
  if (eventTimes.empty()) return Status::invalidArgument("laplace trend: no events");
  double sum = 0;
  for (std::size_t i = 0; i < eventTimes.size(); ++i) {
    const double t = eventTimes[i];
    if (!(t > 0 && t <= end)) {
      return Status::invalidArgument("laplace trend: event " + std::to_string(i) + " at " +
                                     fmt(t) + " is outside (0, " + fmt(end) + "]");
    }
    sum += t;
  }
  const double n = static_cast<double>(eventTimes.size());
  // Under an HPP the event times are iid uniform on (0, end): mean end/2, var end^2/12.
  TrendTest t;
  t.events = static_cast<int>(eventTimes.size());
  t.statistic = (sum / n - end / 2) / (end * std::sqrt(1 / (12 * n)));
  t.pValue = 2 * math::normalSurvival(std::fabs(t.statistic));
  return t;
}

// ---------------------------------------------------------------------------------------
// Backtest

Result<KpiError> backtestKpi(const KpiSeries& series) {
  if (series.actual.empty()) {
    return Status::invalidArgument("backtest: KPI '" + series.kpi + "' has no periods");
  }
  if (series.actual.size() != series.simulated.size()) {
    return Status::invalidArgument("backtest: KPI '" + series.kpi + "' has " +
                                   std::to_string(series.actual.size()) + " actual and " +
                                   std::to_string(series.simulated.size()) +
                                   " simulated periods");
  }
  KpiError e;
  e.kpi = series.kpi;
  e.periods = series.actual.size();
  double sumAbsPct = 0, sumPct = 0, sumAbsErr = 0, sumAbsAct = 0;
  std::size_t m = 0;
  for (std::size_t i = 0; i < series.actual.size(); ++i) {
    const double act = series.actual[i], sim = series.simulated[i];
    if (!std::isfinite(act) || !std::isfinite(sim)) {
      return Status::invalidArgument("backtest: KPI '" + series.kpi + "' period " +
                                     std::to_string(i) + " is not finite");
    }
    sumAbsErr += std::fabs(sim - act);
    sumAbsAct += std::fabs(act);
    if (act == 0) {
      ++e.zeroActuals;  // no percentage error exists; WAPE still counts the miss
      continue;
    }
    sumAbsPct += std::fabs(sim - act) / std::fabs(act);
    sumPct += (sim - act) / std::fabs(act);
    ++m;
  }
  if (m > 0) {
    e.mape = 100 * sumAbsPct / static_cast<double>(m);
    e.bias = 100 * sumPct / static_cast<double>(m);
  }
  if (sumAbsAct > 0) e.wape = 100 * sumAbsErr / sumAbsAct;
  return e;
}

Result<std::vector<KpiError>> backtest(const std::vector<KpiSeries>& series) {
  std::vector<KpiError> out;
  out.reserve(series.size());
  for (const auto& s : series) {
    auto e = backtestKpi(s);
    if (!e) return e.status();
    out.push_back(std::move(e.value()));
  }
  return out;
}

}  // namespace weft::sim::calib
