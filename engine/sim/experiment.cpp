// SPDX-License-Identifier: Apache-2.0
// Experiments: parallel replications, confidence intervals, paired comparisons, sweeps.
#include "engine/sim/experiment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <thread>

namespace weft::sim {

const Interval* ExperimentResult::find(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return &summary[i];
  }
  return nullptr;
}

std::vector<double> ExperimentResult::column(const std::string& name) const {
  std::vector<double> out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] != name) continue;
    for (const std::vector<double>& r : replications) out.push_back(r[i]);
  }
  return out;
}

const Interval* Comparison::difference_of(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return &difference[i];
  }
  return nullptr;
}

namespace {

void summarise(ExperimentResult& r, double level) {
  r.summary.clear();
  std::vector<double> col(r.replications.size());
  for (size_t k = 0; k < r.names.size(); ++k) {
    for (size_t i = 0; i < r.replications.size(); ++i) col[i] = r.replications[i][k];
    r.summary.push_back(confidenceInterval(col, level));
  }
}

}  // namespace

Result<ExperimentResult> runReplications(uint32_t n, unsigned threads, const ReplicationFn& fn,
                                         double level, const std::atomic<bool>* cancel) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads > n) threads = n;
  std::vector<Kpis> slots(n);
  std::vector<char> done(n, 0);
  std::atomic<uint32_t> next{0};
  auto worker = [&]() {
    for (;;) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return;
      const uint32_t r = next.fetch_add(1, std::memory_order_relaxed);
      if (r >= n) return;
      slots[r] = fn(r);
      done[r] = 1;
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  ExperimentResult out;
  bool aborted = false;
  for (uint32_t r = 0; r < n; ++r) {
    if (!done[r]) {
      aborted = true;
      break;  // keep a prefix, so the result does not depend on timing beyond its length
    }
    if (r == 0) out.names = slots[0].names;
    if (slots[r].names.size() != out.names.size()) {
      return Status::internal("replication " + std::to_string(r) + " returned " +
                              std::to_string(slots[r].names.size()) + " KPIs, expected " +
                              std::to_string(out.names.size()));
    }
    out.replications.push_back(std::move(slots[r].values));
  }
  summarise(out, level);
  if (aborted) return Status::aborted("experiment cancelled after " +
                                      std::to_string(out.replications.size()) + " replications");
  return out;
}

Result<ExperimentResult> runExperiment(const Plant& plant, const ExperimentOptions& options) {
  std::vector<uint64_t> events(options.replications, 0);
  auto fn = [&](uint32_t r) {
    RunOptions o = options.run;
    o.replication = options.firstReplication + r;
    const PlantResult pr = plant.run(o);
    events[r] = pr.events;
    return computeKpis(pr);
  };
  Result<ExperimentResult> res =
      runReplications(options.replications, options.threads, fn, options.level, options.cancel);
  if (!res.isOk()) return res;
  for (uint64_t e : events) res->events += e;
  return res;
}

const SeriesSummary* ExperimentSeries::find(const std::string& name) const {
  for (const SeriesSummary& s : series) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<ExperimentWithSeries> runExperimentWithSeries(const Plant& plant,
                                                     const ExperimentOptions& options) {
  if (!(options.run.sampleEvery > 0)) {
    return Status::invalidArgument("runExperimentWithSeries: run.sampleEvery must be > 0");
  }
  std::vector<uint64_t> events(options.replications, 0);
  std::vector<TimeSeries> slots(options.replications);
  auto fn = [&](uint32_t r) {
    RunOptions o = options.run;
    o.replication = options.firstReplication + r;
    PlantResult pr = plant.run(o);
    events[r] = pr.events;
    Kpis k = computeKpis(pr);
    slots[r] = std::move(pr.series);
    return k;
  };
  Result<ExperimentResult> res =
      runReplications(options.replications, options.threads, fn, options.level, options.cancel);
  if (!res.isOk()) return res.status();
  for (uint64_t e : events) res->events += e;
  ExperimentWithSeries out;
  out.kpis = std::move(*res);
  slots.resize(out.kpis.replications.size());
  auto series = summariseSeries(slots, options.level);
  if (!series) return series.status();
  out.series = std::move(series.value());
  return out;
}

Result<ExperimentSeries> summariseSeries(const std::vector<TimeSeries>& reps, double level) {
  // Summaries in replication order after all have finished: independent of thread timing.
  ExperimentSeries out;
  const size_t n = reps.size();
  if (n == 0) return out;
  const TimeSeries& first = reps[0];
  for (size_t r = 1; r < n; ++r) {
    if (reps[r].times.size() != first.times.size() ||
        reps[r].series.size() != first.series.size()) {
      return Status::internal("replication " + std::to_string(r) +
                              " sampled other times or series than replication 0");
    }
  }
  out.times = first.times;
  std::vector<double> col(n);
  for (size_t j = 0; j < first.series.size(); ++j) {
    SeriesSummary s;
    s.name = first.series[j].name;
    s.at.reserve(first.times.size());
    for (size_t k = 0; k < first.times.size(); ++k) {
      for (size_t r = 0; r < n; ++r) col[r] = reps[r].series[j].values[k];
      s.at.push_back(confidenceInterval(col, level));
    }
    out.series.push_back(std::move(s));
  }
  return out;
}

Comparison comparePaired(const ExperimentResult& baseline, const ExperimentResult& scenario,
                         double level) {
  Comparison c;
  std::map<std::string, size_t> pos;
  for (size_t i = 0; i < scenario.names.size(); ++i) pos.emplace(scenario.names[i], i);
  const size_t n = std::min(baseline.replications.size(), scenario.replications.size());
  std::vector<double> diff(n);
  for (size_t k = 0; k < baseline.names.size(); ++k) {
    auto it = pos.find(baseline.names[k]);
    if (it == pos.end()) continue;
    const size_t j = it->second;
    for (size_t r = 0; r < n; ++r) {
      const double a = baseline.replications[r][k], b = scenario.replications[r][j];
      diff[r] = (std::isnan(a) || std::isnan(b)) ? std::numeric_limits<double>::quiet_NaN() : b - a;
    }
    c.names.push_back(baseline.names[k]);
    c.baseline.push_back(baseline.summary[k]);
    c.scenario.push_back(scenario.summary[j]);
    c.difference.push_back(confidenceInterval(diff, level));
  }
  return c;
}

Result<Comparison> compareScenario(const Plant& baseline, const Plant& scenario,
                                   const ExperimentOptions& options) {
  Result<ExperimentResult> a = runExperiment(baseline, options);
  if (!a.isOk()) return a.status();
  Result<ExperimentResult> b = runExperiment(scenario, options);
  if (!b.isOk()) return b.status();
  return comparePaired(*a, *b, options.level);
}

Result<std::vector<SweepPoint>> sweep(const Model& base, const std::vector<double>& values,
                                      const std::function<void(Model&, double)>& apply,
                                      const ExperimentOptions& options) {
  std::vector<SweepPoint> out;
  for (double v : values) {
    Model m = base;
    apply(m, v);
    Result<Plant> plant = Plant::compile(m);
    if (!plant.isOk()) {
      return Status::invalidArgument("sweep value " + std::to_string(v) + ": " +
                                     plant.status().message());
    }
    Result<ExperimentResult> r = runExperiment(*plant, options);
    if (!r.isOk()) return r.status();
    out.push_back({v, std::move(*r)});
  }
  return out;
}

}  // namespace weft::sim
