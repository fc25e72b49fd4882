// SPDX-License-Identifier: Apache-2.0
// `weft simulate`: builds the twin's model from a store's union graph (engine/twin), validates
// it, runs replications of the discrete-event simulation (engine/sim) and prints each KPI's
// mean with its 95% confidence interval. With --scenario, the scenario runs beside the
// baseline with common random numbers and the paired differences are printed. The runs are
// written back into the store as named graphs (engine/twin/results_rdf.h; --no-save skips
// it), and --report writes the HTML report (engine/twin/report.h). Exit codes: 0 ok, 1 the
// model or the scenario is invalid (every problem named on standard error), 2 bad usage or
// an unreadable store.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace weft::cli {

struct SimulateFlags {
  std::string store_dir;
  uint32_t replications = 30;
  std::string horizon = "365d";
  std::string warmup = "30d";
  uint64_t seed = 1;
  unsigned threads = 0;
  bool print_model = false;
  std::string format = "table";
  bool quiet = false;
  std::string start;         // calendar date of time 0 (empty: the day after the records)
  std::string before;        // calibrate on records dated before this only (empty: all)
  bool batch_trains = false; // model the drug-substance batch trains (twin calibrate)
  std::string scenario;      // scenario file (JSON or Turtle), empty: baseline only
  std::string report;        // HTML report path, empty: none
  bool no_save = false;      // do not write the runs into the store
  std::string sample_every = "1d";  // time-series sampling for the report
  size_t trace = 2000;       // events of replication 0 kept per run (written to the graph)
};

CLI::App* addSimulateCommand(CLI::App& app, SimulateFlags& f);
int cmdSimulate(const SimulateFlags& f);

}  // namespace weft::cli
