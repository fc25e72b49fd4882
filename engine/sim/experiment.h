// SPDX-License-Identifier: Apache-2.0
// Experiments over the twin: N replications on worker threads, Student t confidence intervals
// per KPI, paired comparison of a scenario against the baseline with common random numbers,
// and a one-parameter sweep.
//
// Determinism: replication r always runs with the streams of (seed, r), and its KPIs land in
// slot r; summaries are computed in replication order after all have finished. The result is
// therefore bit-identical whatever the number of threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/model.h"
#include "engine/sim/plant.h"
#include "engine/sim/stats.h"

namespace weft::sim {

struct ExperimentResult {
  std::vector<std::string> names;                // KPI names
  std::vector<std::vector<double>> replications; // [replication][kpi]
  std::vector<Interval> summary;                 // [kpi]: mean and CI half-width
  uint64_t events = 0;                           // events over all replications (plants only)
  // The summary of a KPI by name, or nullptr.
  const Interval* find(const std::string& name) const;
  // The values of one KPI across replications.
  std::vector<double> column(const std::string& name) const;
};

// Runs fn(r) for r in [0, n) on `threads` threads (0: hardware concurrency), each call
// returning the KPIs of replication r; names come from replication 0 and every replication
// must return the same names. `cancel`, when set, stops handing out new replications (the
// result then holds the ones finished, in order, and the status is kAborted).
using ReplicationFn = std::function<Kpis(uint32_t replication)>;
Result<ExperimentResult> runReplications(uint32_t n, unsigned threads, const ReplicationFn& fn,
                                         double level = 0.95,
                                         const std::atomic<bool>* cancel = nullptr);

struct ExperimentOptions {
  RunOptions run;              // seed, horizon, warm-up (replication is set per run)
  uint32_t replications = 10;
  uint32_t firstReplication = 0;
  unsigned threads = 0;        // 0: hardware concurrency
  double level = 0.95;
  const std::atomic<bool>* cancel = nullptr;
};

// Replications of a plant: replication r uses RunOptions{seed, firstReplication + r, ...}.
Result<ExperimentResult> runExperiment(const Plant& plant, const ExperimentOptions& options);

// Time series across replications: per series and sample time the mean and Student t
// interval over the replications (NaN values, e.g. machine shares at the first sample, are
// left out). Times are those of replication 0 (every replication samples at the same times).
struct SeriesSummary {
  std::string name;
  std::vector<Interval> at;  // [sample]
};
struct ExperimentSeries {
  std::vector<double> times;
  std::vector<SeriesSummary> series;
  const SeriesSummary* find(const std::string& name) const;  // nullptr if absent
};
struct ExperimentWithSeries {
  ExperimentResult kpis;
  ExperimentSeries series;
};
// runExperiment plus the time series: options.run.sampleEvery must be > 0. The KPIs are the
// same, bit for bit, as runExperiment's with the same options; both parts are identical
// whatever the number of threads. Memory: replications x series x samples doubles.
Result<ExperimentWithSeries> runExperimentWithSeries(const Plant& plant,
                                                     const ExperimentOptions& options);
// The summary of replications' series (reps[r] from replication r; all must have sampled the
// same times and series, else kInternal).
Result<ExperimentSeries> summariseSeries(const std::vector<TimeSeries>& reps, double level = 0.95);

// Paired comparison over the KPIs both results have (by name): per replication the difference
// scenario - baseline, then its mean and CI. With common random numbers the variance of the
// difference is far below that of either side; an unchanged scenario differs by exactly 0.
struct Comparison {
  std::vector<std::string> names;
  std::vector<Interval> baseline, scenario, difference;
  const Interval* difference_of(const std::string& name) const;
};
Comparison comparePaired(const ExperimentResult& baseline, const ExperimentResult& scenario,
                         double level = 0.95);
// Runs both with the same options (same seed and replications: CRN) and compares them.
Result<Comparison> compareScenario(const Plant& baseline, const Plant& scenario,
                                   const ExperimentOptions& options);

// One-parameter sweep: for each value, apply(model copy, value), compile, and run the
// experiment with the same seeds (so neighbouring points share random numbers).
struct SweepPoint {
  double value = 0;
  ExperimentResult result;
};
Result<std::vector<SweepPoint>> sweep(const Model& base, const std::vector<double>& values,
                                      const std::function<void(Model&, double)>& apply,
                                      const ExperimentOptions& options);

}  // namespace weft::sim
