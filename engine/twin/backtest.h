// SPDX-License-Identifier: Apache-2.0
// Backtest and what-if runs of the calibrated twin (issue 8, item 3).
//
// runBacktest: calibrates the model on the records before a split date only
// (calibrate_from_graph.h), starts the simulation at the split from the state the records give
// (stock levels where they allow it), simulates the held-out period month by month and
// compares, per KPI and month, what the records say happened with the mean of the twin's
// replications: MAPE, bias and WAPE (sim::calib::backtest).
//
// runWhatIf: the calibrated model against a changed copy (a demand factor from a date, a
// supplier interruption, without the backup), paired replications with common random numbers
// (sim::comparePaired), over a KPI window.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/calibrate.h"
#include "engine/sim/experiment.h"
#include "engine/sim/plant.h"
#include "engine/sparql/dataset.h"
#include "engine/twin/calibrate_from_graph.h"

namespace weft::twin {

// computeKpis plus the counts the backtest compares with records, per inventory:
// inventory:<P@S>:units_demanded | units_from_stock | customer_orders | backup_orders, and per
// machine machine:<line>/<m>:produced | scrapped | busy_h | down_h.
sim::Kpis twinKpis(const sim::PlantResult& r);

struct BacktestOptions {
  std::string split;  // ISO date: calibrate before it, simulate from it (required)
  std::string end;    // ISO date, last day held out (empty: the last day with records)
  uint32_t replications = 20;
  uint64_t seed = 1;
  unsigned threads = 0;
  // Apply the demand the records show in each held-out month (factor = recorded units /
  // calibrated mean), so that the errors measure the supply side alone.
  bool scenarioFromRecords = false;
  CalibrationOptions calibration;                    // `before` and `start` are set to `split`
  std::function<void(const std::string&)> progress;  // a line of progress (may be empty)
};

struct BacktestResult {
  CalibrationReport calibration;
  std::vector<std::string> periods;           // "2025-09", ... (first/last may be partial)
  std::vector<sim::calib::KpiSeries> series;  // per KPI: recorded and simulated per period
  std::vector<sim::calib::KpiError> errors;   // MAPE, bias, WAPE per KPI
  std::vector<std::string> notes;             // what was compared, and how
};

Result<BacktestResult> runBacktest(const sparql::Dataset& data, const BacktestOptions& options);

// Changes of a what-if run, applied to a copy of the calibrated model.
struct WhatIfChanges {
  // Demands whose product name contains `demandProduct` get `demandFactor` from `demandFrom`
  // (ISO date) to the end of the run.
  std::string demandProduct;
  double demandFactor = 1;
  std::string demandFrom;
  // Suppliers whose name contains `interruptSupplier` accept no orders in
  // [interruptFrom, interruptTo) (ISO dates).
  std::string interruptSupplier;
  std::string interruptFrom, interruptTo;
  // Inventories supplied by an interrupted supplier lose their backup.
  bool dropBackup = false;
};

struct WhatIfOptions {
  std::string start;       // ISO date of time 0 (records before it calibrate the model)
  std::string end;         // ISO date, end of the run (exclusive)
  std::string windowFrom;  // KPIs cover [windowFrom, end) (empty: start)
  WhatIfChanges changes;
  uint32_t replications = 20;
  uint64_t seed = 1;
  unsigned threads = 0;
  CalibrationOptions calibration;
  std::function<void(const std::string&)> progress;
};

struct WhatIfResult {
  CalibrationReport calibration;
  std::vector<std::string> applied;  // each change, by the names it touched
  sim::Comparison comparison;        // scenario - baseline per KPI (twinKpis names)
};

// Errors: bad dates, a change that matches nothing, an invalid model.
Result<WhatIfResult> runWhatIf(const sparql::Dataset& data, const WhatIfOptions& options);

// Applies `changes` to `model` (time 0 at `startSeconds`); the names it touched go to
// `applied`. Error when a change matches nothing.
Status applyChanges(sim::Model& model, double startSeconds, double endSeconds,
                    const WhatIfChanges& changes, std::vector<std::string>* applied);

}  // namespace weft::twin
