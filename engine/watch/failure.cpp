// SPDX-License-Identifier: Apache-2.0
// Failure prediction: conditional Weibull probability, trend scores, proportional-hazards beta
// and the rolling-origin backtest. Methods: docs/watch.md, "Failure prediction".
#include "engine/watch/failure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/sim/calibrate.h"

namespace weft::watch {
namespace {

namespace calib = weft::sim::calib;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double cumulativeHazard(double shape, double scale, double t) {
  return t <= 0 ? 0.0 : std::pow(t / scale, shape);
}

// Where a machine stands at time t, from outages with failure <= t only.
struct MachineState {
  bool active = false;    // start <= t < end
  bool inRepair = false;
  double lastRenewal = 0;
};

MachineState stateAt(const MachineHistory& m, double t) {
  MachineState s;
  s.active = t >= m.start && t < m.end;
  s.lastRenewal = m.start;
  for (const Outage& o : m.outages) {
    if (o.failure > t) break;
    if (t < o.repaired) {
      s.inRepair = true;
    } else {
      s.lastRenewal = o.repaired;
    }
  }
  return s;
}

// Lifetimes known at time t: each completed life (renewal -> failure <= t) and the life
// running at t, censored at its age (or at the end of the record if that comes first).
void lifetimesBefore(const MachineHistory& m, double t, std::vector<calib::Observation>& out) {
  if (t <= m.start) return;
  double lifeStart = m.start;
  bool running = true;
  for (const Outage& o : m.outages) {
    if (o.failure > t) break;
    if (o.failure > lifeStart) out.push_back({o.failure - lifeStart, true});
    if (o.repaired <= t) {
      lifeStart = o.repaired;
    } else {
      running = false;
      break;
    }
  }
  double stop = std::min(t, m.end);
  if (running && stop > lifeStart) out.push_back({stop - lifeStart, false});
}

struct FittedModel {
  std::string name;
  double shape = 1;
  double scale = 0;
  int failures = 0;
  int censored = 0;
};

Result<FittedModel> fitModel(const std::vector<calib::Observation>& data, LifeModel model) {
  int failures = 0;
  for (const auto& o : data) failures += o.failed ? 1 : 0;
  if (failures == 0) return Status::aborted("no failure before this time: no model");
  if (model == LifeModel::kWeibull) {
    auto w = calib::fitWeibull(data);
    if (w.isOk()) {
      return FittedModel{"weibull", w->shape.value, w->scale.value, w->failures, w->censored};
    }
  }
  auto e = calib::fitExponential(data);
  if (!e.isOk()) return e.status();
  return FittedModel{"exponential", 1.0, 1.0 / e->rate.value, e->failures, e->censored};
}

// z of one machine at time t: the largest direction-signed trend score over its tags.
std::optional<std::pair<double, int>> scoreAt(const MachineHistory& m, double t,
                                              const FailureOptions& options) {
  std::optional<std::pair<double, int>> best;
  for (size_t i = 0; i < m.tags.size(); ++i) {
    auto s = trendScore(m.tags[i], t, options.trend);
    if (!s) continue;
    double z = std::clamp(*s, -options.scoreClip, options.scoreClip);
    if (!best || z > best->first) best = std::make_pair(z, static_cast<int>(i));
  }
  return best;
}

// Scores on the grid, computed once per (machine, grid index): a score at s reads samples
// <= s only, so sharing it between prediction times adds no look-ahead.
struct ScoreCache {
  double origin = 0;
  std::vector<std::vector<double>> z;  // NaN: none; absent entries not yet computed
  std::vector<std::vector<char>> done;

  double get(const std::vector<MachineHistory>& fleet, size_t m, size_t i,
             const FailureOptions& options) {
    if (z.size() < fleet.size()) {
      z.resize(fleet.size());
      done.resize(fleet.size());
    }
    if (z[m].size() <= i) {
      z[m].resize(i + 1, kNaN);
      done[m].resize(i + 1, 0);
    }
    if (!done[m][i]) {
      auto s = scoreAt(fleet[m], origin + static_cast<double>(i) * options.step, options);
      z[m][i] = s ? s->first : kNaN;
      done[m][i] = 1;
    }
    return z[m][i];
  }
};

struct Interval {
  double z;
  double c;  // baseline cumulative hazard over the interval
  bool failed;
};

// Maximises sum_i [d_i ln(1 - exp(-u_i)) - (1 - d_i) u_i], u_i = exp(beta z_i) c_i: the
// discrete-time likelihood of failures in grid intervals with a complementary log-log link,
// concave in beta, so a safeguarded Newton on the score finds the maximum in the bracket.
double fitBeta(const std::vector<Interval>& data, double bound) {
  auto scoreInfo = [&](double beta, double& info) {
    double score = 0;
    info = 0;
    for (const Interval& d : data) {
      double u = std::exp(beta * d.z) * d.c;
      if (d.failed) {
        double g, gp;  // g(u) = u / (e^u - 1) and its derivative
        if (u < 1e-8) {
          g = 1;
          gp = -0.5;
        } else if (u > 700) {
          g = 0;
          gp = 0;
        } else {
          double em = std::expm1(u);
          g = u / em;
          gp = (em - u * std::exp(u)) / (em * em);
        }
        score += d.z * g;
        info -= d.z * d.z * u * gp;
      } else {
        score -= u * d.z;
        info += u * d.z * d.z;
      }
    }
    return score;
  };
  double info;
  double lo = -bound, hi = bound;
  if (scoreInfo(lo, info) <= 0) return lo;
  if (scoreInfo(hi, info) >= 0) return hi;
  double beta = 0;
  for (int it = 0; it < 100; ++it) {
    double s = scoreInfo(beta, info);
    if (s > 0) lo = beta; else hi = beta;
    double next = info > 0 ? beta + s / info : kNaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - beta) < 1e-9 || hi - lo < 1e-9) return next;
    beta = next;
  }
  return beta;
}

double gridOrigin(const std::vector<MachineHistory>& fleet) {
  double origin = std::numeric_limits<double>::infinity();
  for (const auto& m : fleet) origin = std::min(origin, m.start);
  return std::isfinite(origin) ? origin : 0.0;
}

Result<FailurePrediction> predictImpl(const std::vector<MachineHistory>& fleet, size_t index,
                                      double at, const FailureOptions& options,
                                      ScoreCache& cache) {
  if (index >= fleet.size()) return Status::invalidArgument("machine index out of range");
  if (!std::isfinite(at)) return Status::invalidArgument("prediction time is not finite");
  if (!(options.horizon > 0) || !(options.step > 0)) {
    return Status::invalidArgument("horizon and step must be > 0");
  }
  const MachineHistory& m = fleet[index];
  MachineState state = stateAt(m, at);
  if (!state.active) return Status::notFound(m.machine + ": not in the record at this time");
  if (state.inRepair) return Status::notFound(m.machine + ": in repair at this time");

  std::vector<calib::Observation> data;
  for (size_t j = 0; j < fleet.size(); ++j) {
    if (options.pool || j == index) lifetimesBefore(fleet[j], at, data);
  }
  auto fitted = fitModel(data, options.model);
  if (!fitted.isOk()) return fitted.status();
  const FittedModel& f = *fitted;

  FailurePrediction p;
  p.machine = m.machine;
  p.at = at;
  p.age = at - state.lastRenewal;
  p.horizon = options.horizon;
  p.model = f.name;
  p.shape = f.shape;
  p.scale = f.scale;
  p.failures = f.failures;
  p.censored = f.censored;
  p.baseProbability = conditionalFailureProbability(f.shape, f.scale, p.age, options.horizon);
  p.probability = p.baseProbability;

  char buf[512];
  std::snprintf(buf, sizeof buf, "age %.1f h; %s k=%.3g lambda=%.4g h (%d failures, %d censored)"
                "; P(fail within %.0f h | age) = %.3f", p.age, f.name.c_str(), f.shape, f.scale,
                f.failures, f.censored, options.horizon, p.baseProbability);
  p.evidence = buf;

  std::optional<std::pair<double, int>> z;
  if (options.useCondition && !m.tags.empty()) z = scoreAt(m, at, options);
  if (z) {
    p.conditionUsed = true;
    p.conditionScore = z->first;
    p.conditionTag = m.tags[static_cast<size_t>(z->second)].tag;
    // Beta from the grid intervals that ended before `at`, on machines in scope with tags.
    std::vector<Interval> intervals;
    int failures = 0;
    for (size_t j = 0; j < fleet.size(); ++j) {
      if (!(options.pool || j == index) || fleet[j].tags.empty()) continue;
      const MachineHistory& mj = fleet[j];
      for (size_t i = 0;; ++i) {
        double s = cache.origin + static_cast<double>(i) * options.step;
        double e = s + options.step;
        if (e > at || e > mj.end) break;
        if (s < mj.start) continue;
        MachineState st = stateAt(mj, s);
        if (st.inRepair) continue;
        double zi = cache.get(fleet, j, i, options);
        if (std::isnan(zi)) continue;
        bool failed = false;
        for (const Outage& o : mj.outages) {
          if (o.failure > s && o.failure <= e) failed = true;
          if (o.failure > e) break;
        }
        double a = s - st.lastRenewal;
        double c = cumulativeHazard(f.shape, f.scale, a + options.step) -
                   cumulativeHazard(f.shape, f.scale, a);
        if (!(c > 0)) continue;
        intervals.push_back({zi, c, failed});
        failures += failed ? 1 : 0;
      }
    }
    p.betaFailures = failures;
    if (failures >= options.minFailuresForBeta) {
      p.beta = fitBeta(intervals, options.betaBound);
      p.betaFitted = true;
    } else {
      p.beta = options.defaultBeta;
    }
    p.hazardMultiplier = std::exp(p.beta * p.conditionScore);
    p.probability = conditionalFailureProbability(f.shape, f.scale, p.age, options.horizon,
                                                  p.hazardMultiplier);
    std::snprintf(buf, sizeof buf, "; condition: %s trend %.2f sigma over %.0f h, beta %.3g "
                  "(%s), hazard x%.3g; P = %.3f", p.conditionTag.c_str(), p.conditionScore,
                  options.trend.window, p.beta,
                  p.betaFitted ? ("fitted on " + std::to_string(failures) + " failures").c_str()
                               : ("default; " + std::to_string(failures) +
                                  " failures with a score, fewer than " +
                                  std::to_string(options.minFailuresForBeta)).c_str(),
                  p.hazardMultiplier, p.probability);
    p.evidence += buf;
  } else if (options.useCondition && !m.tags.empty()) {
    p.evidence += "; condition: no trend score (too few samples)";
  }
  p.warning = p.probability >= options.threshold;
  p.evidence += p.warning ? "; warning" : "; no warning";
  return p;
}

}  // namespace

double conditionalFailureProbability(double shape, double scale, double age, double horizon,
                                     double hazardMultiplier) {
  double dh = cumulativeHazard(shape, scale, age + horizon) - cumulativeHazard(shape, scale, age);
  return -std::expm1(-hazardMultiplier * dh);
}

std::optional<double> trendScore(const TagSeries& tag, double at, const TrendOptions& options) {
  const auto& t = tag.time;
  auto idx = [&](double x) {
    return static_cast<size_t>(std::upper_bound(t.begin(), t.end(), x) - t.begin());
  };
  size_t w1 = idx(at), w0 = idx(at - options.window);
  size_t b0 = idx(at - options.window - options.baselineWindow);
  if (w1 - w0 < options.minPoints || w0 - b0 < options.minPoints) return std::nullopt;
  double mr = 0;
  for (size_t i = b0 + 1; i < w0; ++i) mr += std::fabs(tag.value[i] - tag.value[i - 1]);
  double sigma = mr / static_cast<double>(w0 - b0 - 1) / 1.128;
  if (!(sigma > 0)) return std::nullopt;
  double n = static_cast<double>(w1 - w0), mt = 0, mv = 0;
  for (size_t i = w0; i < w1; ++i) {
    mt += t[i];
    mv += tag.value[i];
  }
  mt /= n;
  mv /= n;
  double sxx = 0, sxy = 0;
  for (size_t i = w0; i < w1; ++i) {
    sxx += (t[i] - mt) * (t[i] - mt);
    sxy += (t[i] - mt) * (tag.value[i] - mv);
  }
  if (!(sxx > 0)) return std::nullopt;
  return tag.direction * (sxy / sxx) * options.window / sigma;
}

Result<FailurePrediction> predictFailure(const std::vector<MachineHistory>& fleet,
                                         std::size_t machine, double at,
                                         const FailureOptions& options) {
  ScoreCache cache;
  cache.origin = gridOrigin(fleet);
  return predictImpl(fleet, machine, at, options, cache);
}

Result<FailureBacktest> backtestFailures(const std::vector<MachineHistory>& fleet,
                                         const FailureOptions& options,
                                         const BacktestOptions& backtest) {
  if (fleet.empty()) return Status::invalidArgument("no machine history");
  if (!(options.step > 0)) return Status::invalidArgument("step must be > 0");
  ScoreCache cache;
  cache.origin = gridOrigin(fleet);
  double lastEnd = fleet.front().end;
  for (const auto& m : fleet) lastEnd = std::max(lastEnd, m.end);
  FailureBacktest r;
  size_t first = static_cast<size_t>(std::ceil(std::max(0.0, backtest.warmup) / options.step));
  // Failures covered by an evaluated point, and those with a warning before them.
  std::vector<std::vector<char>> covered(fleet.size()), warned(fleet.size());
  for (size_t j = 0; j < fleet.size(); ++j) {
    covered[j].assign(fleet[j].outages.size(), 0);
    warned[j].assign(fleet[j].outages.size(), 0);
  }
  for (size_t i = first;; ++i) {
    double s = cache.origin + static_cast<double>(i) * options.step;
    if (s >= lastEnd) break;
    for (size_t j = 0; j < fleet.size(); ++j) {
      const MachineHistory& m = fleet[j];
      MachineState st = stateAt(m, s);
      if (!st.active) continue;
      if (st.inRepair) {
        ++r.skippedInRepair;
        continue;
      }
      int next = -1;  // the failure within the horizon, if any
      for (size_t k = 0; k < m.outages.size(); ++k) {
        if (m.outages[k].failure > s) {
          if (m.outages[k].failure <= s + options.horizon && m.outages[k].failure <= m.end) {
            next = static_cast<int>(k);
          }
          break;
        }
      }
      if (next < 0 && s + options.horizon > m.end) {
        ++r.skippedUnknown;
        continue;
      }
      auto p = predictImpl(fleet, j, s, options, cache);
      if (!p.isOk()) {
        if (p.status().code() == StatusCode::kAborted) {
          ++r.skippedNoModel;
          continue;
        }
        return p.status();
      }
      ++r.evaluated;
      if (p->betaFitted) ++r.betaFittedPoints;
      if (p->conditionUsed) r.lastBeta = p->beta;
      bool positive = next >= 0;
      if (positive) covered[j][static_cast<size_t>(next)] = 1;
      if (p->warning && positive) {
        ++r.truePositives;
        warned[j][static_cast<size_t>(next)] = 1;
      } else if (p->warning) {
        ++r.falsePositives;
      } else if (positive) {
        ++r.falseNegatives;
      } else {
        ++r.trueNegatives;
      }
    }
  }
  for (size_t j = 0; j < fleet.size(); ++j) {
    for (size_t k = 0; k < covered[j].size(); ++k) {
      r.failuresEvaluated += covered[j][k];
      r.failuresWarned += warned[j][k];
    }
  }
  size_t warnings = r.truePositives + r.falsePositives;
  size_t positives = r.truePositives + r.falseNegatives;
  if (warnings > 0) r.precision = static_cast<double>(r.truePositives) / warnings;
  if (positives > 0) r.recall = static_cast<double>(r.truePositives) / positives;
  if (r.evaluated > 0) {
    r.accuracy = static_cast<double>(r.truePositives + r.trueNegatives) / r.evaluated;
  }
  return r;
}

}  // namespace weft::watch
