// SPDX-License-Identifier: Apache-2.0
// What `weft simulate` and `weft twin ...` share: duration flags, running replications with a
// progress line, and printing KPI summaries as an aligned table or TSV.
#pragma once

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/experiment.h"
#include "engine/sim/plant.h"

namespace weft::cli {

// "90d", "12h", "2w", "1y", "3600s", "30m"; a bare number is days. False if malformed.
bool parseSimDuration(const std::string& s, double* out);

// "%.6g", "nan" for NaN.
std::string simNum(double v);

// Runs `options.replications` replications of `plant`, printing "\r<label>: replication k/n"
// on standard error unless quiet (the line is finished with a newline at the end).
Result<sim::ExperimentResult> runWithProgress(const sim::Plant& plant,
                                              const sim::ExperimentOptions& options,
                                              const std::string& label, bool quiet);

// Replications as runWithProgress, also keeping each replication's time series (sampled every
// `sampleEvery` seconds; 0: none) and the event trace of replication `firstReplication`
// (up to `traceLimit` events; 0: none).
struct CapturedRun {
  sim::ExperimentResult result;
  std::vector<sim::TimeSeries> series;  // [replication]
  std::vector<sim::TraceEvent> trace;   // the first replication's
  uint64_t traceDropped = 0;
  uint64_t events = 0;                  // simulated events over all replications
};
Result<CapturedRun> runCaptured(const sim::Plant& plant, const sim::ExperimentOptions& options,
                                const std::string& label, bool quiet, double sampleEvery,
                                size_t traceLimit);

// Rows of text cells printed as TSV (`tsv`) or as a table aligned on the first row's widths
// (first column left-aligned, the others right-aligned).
void printRows(const std::vector<std::vector<std::string>>& rows, bool tsv);

// kpi, mean, ci95_half_width, ci_low, ci_high for every KPI whose name passes `keep`
// (all when keep is empty).
std::vector<std::vector<std::string>> kpiRows(const sim::ExperimentResult& r,
                                              const std::vector<std::string>& prefixes = {});

}  // namespace weft::cli
