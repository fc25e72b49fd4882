// SPDX-License-Identifier: Apache-2.0
// `weft twin`: the digital twin calibrated from the records (docs/twin.md, "Calibration from
// records and backtest").
//   weft twin calibrate --store DIR [--before DATE] [--start DATE]
//       the calibrated parameters (parameter, family, parameters, n, source) and every fact
//       assumed or missing
//   weft twin backtest --store DIR --split DATE [--end DATE] [--replications 20] [--seed S]
//       [--scenario-from-records]
//       calibrate before the split, simulate the held-out months, MAPE / bias / WAPE per KPI
//   weft twin whatif --store DIR --start DATE --end DATE [changes]
//       paired runs (common random numbers) of the calibrated model and a changed copy
//   weft twin shadow --store DIR --from DATE [--to DATE] [--shift-hours 8] [--shift-start 6]
//       shadow mode: per shift, the twin's good units and OEE for the phases the plant ran
//       beside the records', and the running calibration error (MAPE); --residuals charts
//       records minus twin (cycle time, yield, good units per shift), --write keeps the alarms
// Exit codes: 0 ok, 1 the model or the comparison failed (named on standard error), 2 bad
// usage or an unreadable store.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/core/status.h"
#include "engine/store/store.h"
#include "engine/twin/shadow.h"
#include <cstdint>
#include <string>
#include <vector>

namespace weft::cli {

struct TwinFlags {
  std::string store_dir;
  // calibrate
  std::string before, start;
  // backtest
  std::string split, end;
  bool scenario_from_records = false;
  bool print_calibration = false;
  // shadow
  std::string from, to;
  double shift_hours = 8, shift_start = 6;
  bool residuals = false, write = false;
  size_t baseline = 10;
  // whatif
  std::string window_from;
  std::string demand_product, demand_from;
  double demand_factor = 1;
  std::string interrupt_supplier, interrupt_from, interrupt_to;
  bool drop_backup = false;
  std::vector<std::string> kpi_filters;
  // common
  bool batch_trains = false;
  uint32_t replications = 20;
  uint64_t seed = 1;
  unsigned threads = 0;
  std::string format = "table";
  bool quiet = false;
  CLI::App* calibrate = nullptr;
  CLI::App* backtest = nullptr;
  CLI::App* whatif = nullptr;
  CLI::App* shadow = nullptr;
};

// Shadow mode's residual series through the drift charts (Shewhart with the four Western
// Electric rules, EWMA, CUSUM; the first `baseline` points the phase-I baseline): a table
// (header first) and the alarm count; with `write_to`, the alarms replace the graph
// kResidualGraph. Used by `weft twin shadow --residuals` and `weft stream --watch-shadow`.
inline constexpr const char* kResidualGraph = "https://w3id.org/weft/graph/watch/residuals";
struct ResidualCharts {
  std::vector<std::vector<std::string>> rows;
  size_t alarms = 0;
  uint64_t added = 0, removed = 0;  // quads, when written
};
Result<ResidualCharts> chartShadowResiduals(const twin::ShadowResult& res, size_t baseline,
                                            store::Store* write_to);

// Adds `calibrate`, `backtest`, `whatif` and `shadow` under `twin` (the `weft twin` command group).
void addTwinCommands(CLI::App& twin, TwinFlags& f);
// Runs the subcommand that was parsed and returns its exit code, or -1 if none of these was.
int runTwin(const TwinFlags& f);

}  // namespace weft::cli
