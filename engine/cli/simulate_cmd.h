// SPDX-License-Identifier: Apache-2.0
// `weft simulate`: builds the twin's model from a store's union graph (engine/twin), validates
// it, runs replications of the discrete-event simulation (engine/sim) and prints each KPI's
// mean with its 95% confidence interval. Exit codes: 0 ok, 1 the model is invalid (every
// problem named on standard error), 2 bad usage or an unreadable store.
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
};

CLI::App* addSimulateCommand(CLI::App& app, SimulateFlags& f);
int cmdSimulate(const SimulateFlags& f);

}  // namespace weft::cli
