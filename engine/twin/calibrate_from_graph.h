// SPDX-License-Identifier: Apache-2.0
// The twin's model calibrated from the records (issue 8, item 3): starts from buildModel()
// (model_from_graph.h) and replaces assumed parameters by fits to what the records say
// happened, using the estimators of engine/sim/calibrate.h:
//   * lines of several units in series where the MES shows a batch passing several units,
//     cycle times per unit and product from the MES phase durations and counters
//     (calib::selectModel), yields from produced / good counters (calib::fitYield),
//   * time to failure and repair of units from aborted batches and equipment-failure
//     deviations (censored exponential MLE over the exposure: calib::fitExponential),
//   * supplier lead times observed from order date to goods receipt (calib::selectModel),
//   * a distribution lane from EPCIS shipping / receiving pairs (calib::pairByKey,
//     calib::fitLeadTimes) and the distribution centre's demand from EPCIS shipping to
//     dispensers (order rate, empirical order quantities),
//   * the initial stock at time 0 from the records (production, shipping and receiving up to
//     time 0) where they allow it,
//   * Model::start, the calendar date of time 0.
// Only records dated before `before` are used, so that a backtest can hold out the rest.
// Every calibrated parameter is listed (parameter, family, parameters, n, source query), and
// every fact still assumed or missing stays in the notes, by name.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/model.h"
#include "engine/sparql/dataset.h"
#include "engine/twin/model_from_graph.h"

namespace weft::twin {

struct CalibrationOptions {
  BuildOptions build;
  // ISO date: only records dated before it are used (empty: every record).
  std::string before;
  // ISO date of simulated time 0 (empty: `before`, or the first day after the records).
  std::string start;
  // Initial stock at time 0 computed from the records (else the assumed policy level S).
  bool stockFromRecords = true;
  // Capacity of the buffers between units in series (whole lots wait between batch steps).
  int bufferCapacity = 100000;
  // Dispenser demand is the level of the last this many days before the cut (demand drifts; a
  // whole year would average levels that no longer hold). 0: every record before the cut.
  double demandWindowDays = 91;
  // Model intermediates made in batches and issued to production at their site (the drug
  // substance) as a line of batch steps with parallel units, consuming their main purchased
  // material through a bill of materials (which then replaces that material's own issues).
  bool batchTrains = false;
  // Fewer observations than this: a deterministic value at the mean instead of a fitted law.
  int minFitSamples = 5;
};

// One calibrated parameter (the provenance of a number in the model).
struct CalibratedParameter {
  std::string parameter;   // "cycle time VI-1 / Aurelimab 100mg/10mL vial"
  std::string family;      // "lognormal", "gamma", "deterministic", "empirical", "proportion"
  std::string parameters;  // "mu=1.96 sigma=0.05 (mean 7.1 s)"
  int n = 0;               // records it was fitted on
  std::string source;      // the query (calibrationQueries()) the records came from
  std::string note;        // how, and its limits
};

// What the records say happened, as plain dated numbers (times in seconds since 1970, UTC),
// for the backtest. All dates, not only those before `before`.
struct RecordFacts {
  struct Shipment {  // from a distribution site to a licensed dispenser (EPCIS)
    double time = 0;
    std::string site, product;
    double units = 0;
  };
  struct Counter {    // ISO 22400-2 counters of one production phase (MES)
    double time = 0;  // phase start
    std::string unit, product;
    double pq = 0, gq = 0, pri = 0, aptMin = 0, pbtMin = 0;
  };
  std::vector<Shipment> dispenserShipments;
  std::vector<Counter> counters;
};

struct CalibrationReport {
  ModelReport built;  // the calibrated model and the notes (assumed / missing / read)
  std::vector<CalibratedParameter> parameters;
  RecordFacts records;
  double startSeconds = 0;  // time 0 in seconds since 1970
  // The parameter table, one per line (tab separated).
  std::string parameterTable() const;
};

// Fails when a query fails or a date option is not a date.
Result<CalibrationReport> calibrateModel(const sparql::Dataset& data,
                                         const CalibrationOptions& options = {});
// calibrateModel on the records before `date`, with simulated time 0 at `date` (where a
// backtest, a what-if run or shadow mode starts); says so through `progress` first.
Result<CalibrationReport> calibrateAt(const sparql::Dataset& data, CalibrationOptions options,
                                      const std::string& date,
                                      const std::function<void(const std::string&)>& progress);

// The calibration queries, by name (docs/twin.md).
const std::vector<NamedQuery>& calibrationQueries();

}  // namespace weft::twin
