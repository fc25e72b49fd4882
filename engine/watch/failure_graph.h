// SPDX-License-Identifier: Apache-2.0
// Failure prediction over a store (issue 9, item 4; docs/watch.md, "Failure prediction"):
// failure histories from a SPARQL SELECT, condition tags from DIR/timeseries.sqlite, the
// predictions of failure.h at one time, an optional rolling-origin backtest, and the
// predictions written as dt:FailurePrediction nodes into one named graph, replaced as a whole.
// Vocabulary: ontologies/dt-watch.ttl.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/store/store.h"
#include "engine/watch/failure.h"

namespace weft::watch {

inline constexpr std::string_view kFailureGraph = "https://w3id.org/weft/graph/watch/failures";

struct FailureTagSpec {
  std::string tag;
  double direction = 1;
};

struct FailureMachineSpec {
  std::optional<int64_t> start;  // epoch ms; default: the configuration's start
  std::vector<FailureTagSpec> tags;
};

struct FailureConfig {
  // SELECT binding ?machine and ?failure (xsd:dateTime), optionally ?repaired (default: the
  // failure time). Queried with the union of all graphs as the default graph.
  std::string historyQuery;
  int64_t start = 0;             // epoch ms: machines in service as new from here
  std::optional<int64_t> at;     // prediction time (epoch ms); default: now
  std::map<std::string, FailureMachineSpec> machines;  // machine (IRI or key) -> tags, start
  FailureOptions options;
  bool backtest = true;
  BacktestOptions backtestOptions;
};

Result<FailureConfig> parseFailureConfig(std::string_view json, const std::string& where);

struct FailureRun {
  int64_t at = 0;                       // epoch ms
  std::vector<FailurePrediction> predictions;  // `at` of each in hours since the epoch
  std::vector<std::string> skipped;     // "machine: reason"
  std::optional<FailureBacktest> backtest;
  std::string backtestError;
  std::vector<MachineHistory> fleet;    // as read (times in hours since the epoch)
};

// Reads the histories and tags and predicts every machine at cfg.at (or `nowMs`).
Result<FailureRun> runFailures(const FailureConfig& cfg, const store::Store& store,
                               const std::string& storeDir, int64_t nowMs);

std::vector<rdf::Quad> failureQuads(const FailureRun& run, const FailureConfig& cfg,
                                    const std::string& generatedAt);

struct GraphWriteStats {
  uint64_t removed = 0, added = 0;
};
// Replaces the whole graph `graph` by `quads` (all of which must be in it) in one transaction.
Result<GraphWriteStats> replaceGraph(store::Store& store, std::string_view graph,
                                     const std::vector<rdf::Quad>& quads);

}  // namespace weft::watch
