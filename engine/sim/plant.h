// SPDX-License-Identifier: Apache-2.0
// The building blocks of the supply/production twin, run over the kernel: lines of machines in
// series with finite buffers (blocking after service), changeovers, failures, shifts, planned
// maintenance, scrap, bills of materials, inventories with (s,S) and (R,S) policies, suppliers
// with a backup, lanes, and customer demand with backlog or lost sales.
//
// Usage:
//   Result<Plant> plant = Plant::compile(model);        // validate + resolve names once
//   PlantResult r = plant->run({.seed = 7, .replication = 0, .horizon = kYear, .warmup = 30 * kDay});
//   Kpis k = computeKpis(r);                             // ISO 22400-2 and supply KPIs
//
// One run is single-threaded and allocation-light (state in flat arrays, events are plain
// data dispatched by one switch). A Plant is immutable after compile(): many threads may call
// run() on the same Plant at once (experiment.h does).
//
// Statistics cover [warmup, horizon]: every counter and time-weighted average is reset by an
// event at the end of the warm-up.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/model.h"

namespace weft::sim {

struct RunOptions {
  uint64_t seed = 1;
  uint32_t replication = 0;
  double horizon = kYear;
  double warmup = 0;
};

// Machine states for time accounting, in priority order: a machine that is off shift and
// failed counts as off; failed and holding a part counts as down. ISO 22400-2 time elements:
// PBT = observed - off - plannedDown; APT = busy; AUST = setup; ADET = down.
enum class MachineState : uint8_t {
  kOff,          // outside the line's shifts (not planned operation time)
  kPlannedDown,  // planned maintenance
  kDown,         // failed, in repair
  kSetup,        // changeover between products
  kBusy,         // processing a unit
  kBlocked,      // holds a finished unit, no room downstream
  kStarved,      // waits for a unit from upstream or for material
  kIdle,         // first machine with no work released (no order, no arrival)
};
constexpr int kMachineStateCount = 8;
const char* machineStateName(MachineState s);

struct MachineResult {
  std::string line, name;
  std::array<double, kMachineStateCount> time{};  // seconds per state in the window
  int64_t produced = 0;  // units processed (PQ), scrap included
  int64_t scrapped = 0;  // SQ
  int64_t failures = 0;  // failure events (FE) in the window
  int64_t repairs = 0;   // repairs completed in the window
  double repairTime = 0; // sum of their durations (s)
  double idealTime = 0;  // sum of planned run time per unit (mean cycle time) of produced units
  double energyKwh = 0;
};

struct LineResult {
  std::string name;
  int64_t entered = 0;      // units that entered (arrived, or released to the first machine)
  int64_t good = 0;         // good units out of the last machine
  int64_t scrapped = 0;
  int64_t departures = 0;   // good + scrapped
  int64_t lostArrivals = 0; // kArrivals: arrivals that found the input queue full
  double flowTimeSum = 0;   // sum over departures of (departure - entry), seconds
  double wipAverage = 0;    // time-average units in the line (queue, buffers, machines)
  int bottleneck = 0;       // machine index (in the line) with the largest planned run time
};

struct InventoryResult {
  std::string site, product;
  double avgOnHand = 0, avgBacklog = 0;
  double zeroStockTime = 0;      // seconds with nothing on hand
  int64_t replenishments = 0;    // orders placed by the policy
  int64_t backupOrders = 0;      // of which to the backup supplier
  int64_t customerOrders = 0;
  int64_t unitsDemanded = 0;
  int64_t unitsFromStock = 0;    // shipped at order arrival (fill rate numerator)
  int64_t stockouts = 0;         // customer orders not filled completely from stock at arrival
  int64_t lostUnits = 0;
  int64_t ordersOnTime = 0;      // completed by their due time
  int64_t ordersLate = 0;        // completed late, partly lost, or open and past due at the end
};

struct PlantResult {
  double start = 0, end = 0;  // the observation window [warmup, horizon]
  uint64_t events = 0;
  uint64_t fingerprint = 0;
  std::vector<MachineResult> machines;  // lines' machines in order
  std::vector<int> machineLine;         // line index of each machine
  std::vector<LineResult> lines;
  std::vector<InventoryResult> inventories;
};

// Named KPI values in a fixed order for a given model (so replications line up).
struct Kpis {
  std::vector<std::string> names;
  std::vector<double> values;
  // NaN if absent.
  double get(const std::string& name) const;
};

// ISO 22400-2 and supply-side KPIs (docs/twin.md lists them with formulas). Names:
//   machine:<line>/<machine>:availability|performance|quality|oee|mtbf_h|mttr_h|failures|
//                            energy_kwh|busy|setup|down|blocked|starved|idle
//   line:<line>:throughput_per_h|good|wip|flow_time_h|fpy|availability|performance|quality|
//               oee|energy_per_good_kwh
//   inventory:<product>@<site>:fill_rate|on_time|stockouts|avg_on_hand|avg_backlog|
//                              zero_stock|replenishments|lost_units
//   plant:good|energy_kwh|fill_rate|on_time|backlog
// A KPI with no defined value in a run (e.g. MTTR without a repair) is NaN.
Kpis computeKpis(const PlantResult& r);

class Plant {
 public:
  // Validates the model (validate()) and resolves it into flat arrays.
  static Result<Plant> compile(const Model& model);
  PlantResult run(const RunOptions& options) const;

  struct Compiled;  // engine/sim/plant.cpp

 private:
  std::shared_ptr<const Compiled> c_;
};

}  // namespace weft::sim
