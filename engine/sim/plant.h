// SPDX-License-Identifier: Apache-2.0
// The building blocks of the supply/production twin, run over the kernel: lines of machines in
// series with finite buffers (blocking after service), parallel identical units at a step,
// changeovers, failures, outages at fixed times, shifts, planned maintenance, scrap, bills of
// materials, inventories with (s,S) and (R,S) policies, suppliers with a backup, lanes, and
// customer demand with backlog or lost sales. Optional outputs: time series sampled at a fixed
// interval and a trace of notable events (RunOptions::sampleEvery, traceLimit).
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
  // Time series: > 0 records a sample at warmup, warmup + sampleEvery, ... <= horizon
  // (PlantResult::series). 0: off, no sampling events at all.
  double sampleEvery = 0;
  // Event trace: > 0 records up to this many notable events of the window [warmup, horizon]
  // in PlantResult::trace (the rest are only counted). 0: off.
  size_t traceLimit = 0;
  // Simulate every machine operation as an event. By default a plant whose lines are all
  // single machines in series fed by pushed lots or orders (and that asks for no series and
  // no trace) runs its lines as flow lines: each part is pushed through the line by the
  // tandem-queue recursion when it is released, and only releases (and departures that
  // something waits for) are ordered with the other events (docs/twin.md, "Flow lines"). Both
  // are the same simulation (same draws, same results); this switch is for tests and
  // benchmarks that compare them.
  bool eventModel = false;
};

// Machine states for time accounting, in priority order: a machine that is off shift and
// failed counts as off; failed and holding a part counts as down. ISO 22400-2 time elements:
// PBT = observed - off - plannedDown; APT = busy; AUST = setup; ADET = down.
enum class MachineState : uint8_t {
  kOff,          // outside the line's shifts (not planned operation time)
  kPlannedDown,  // planned maintenance
  kDown,         // failed, in repair, or in an outage
  kSetup,        // changeover between products
  kBusy,         // processing a unit
  kBlocked,      // holds a finished unit, no room downstream
  kStarved,      // waits for a unit from upstream or for material
  kIdle,         // first machine with no work released (no order, no arrival)
};
constexpr int kMachineStateCount = 8;
const char* machineStateName(MachineState s);

// One machine (a step of its line). With `units` > 1 parallel units, times and counts are
// summed over the units: the times add up to units x window, so shares of that stay in [0, 1].
struct MachineResult {
  std::string line, name;
  int units = 1;
  std::array<double, kMachineStateCount> time{};  // seconds per state in the window
  int64_t produced = 0;  // units processed (PQ), scrap included
  int64_t scrapped = 0;  // SQ
  int64_t failures = 0;  // failure events (FE) in the window, outages included (one per unit)
  int64_t repairs = 0;   // repairs completed in the window, ended outages included
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

// Time series sampled every RunOptions::sampleEvery from the warm-up on. values[k] belongs to
// times[k]. Names (in this order; inventories, then lines, then machines):
//   inventory:<product>@<site>:on_hand|backlog|on_order   levels at the sample time (the
//       inventory position is on_hand + on_order - backlog)
//   line:<line>:wip          units in the line at the sample time
//   line:<line>:good         good units out since the warm-up (cumulative)
//   machine:<line>/<machine>:off|planned_down|down|setup|busy|blocked|starved|idle
//       share of the time since the previous sample in that state (summed over parallel
//       units, divided by units x interval); NaN at the first sample (no interval yet)
struct Series {
  std::string name;
  std::vector<double> values;
};
struct TimeSeries {
  std::vector<double> times;
  std::vector<Series> series;
  const Series* find(const std::string& name) const;  // nullptr if absent
};

// Notable events for the event trace (RunOptions::traceLimit).
enum class TraceKind : uint8_t {
  kFailure,        // subject machine ("L/M", unit k >= 1 "L/M~k"), detail the failure mode,
                   // value the repair time drawn (s)
  kRepair,         // subject machine, detail the failure mode, value the repair duration (s)
  kOutageStart,    // subject machine (all its units), value the outage duration (s)
  kOutageEnd,      // subject machine, value the outage duration (s)
  kStockout,       // subject inventory "P@S", detail the demand, value the quantity short
  kReplenishment,  // subject inventory, detail the source "supplier:N", "backup:N" (the backup
                   // supplier, the primary being interrupted), "line:N" or "lane:N"; value qty
  kSupplierWait,   // subject inventory, detail the supplier, value the wait (s) until its
                   // interruption ends (no usable backup)
  kLaneDelay,      // subject lane, detail the receiving inventory "P@S", value the delay (s)
};
const char* traceKindName(TraceKind k);  // "failure", "repair", "outage_start", ...

struct TraceEvent {
  double time = 0;
  TraceKind kind = TraceKind::kFailure;
  std::string subject;
  std::string detail;
  double value = 0;
};

struct PlantResult {
  double start = 0, end = 0;  // the observation window [warmup, horizon]
  uint64_t events = 0;
  uint64_t fingerprint = 0;
  std::vector<MachineResult> machines;  // lines' machines in order
  std::vector<int> machineLine;         // line index of each machine
  std::vector<LineResult> lines;
  std::vector<InventoryResult> inventories;
  TimeSeries series;                    // empty unless RunOptions::sampleEvery > 0
  std::vector<TraceEvent> trace;        // empty unless RunOptions::traceLimit > 0, time order
  uint64_t traceDropped = 0;            // notable events beyond traceLimit
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
//                            energy_kwh|busy|setup|down|blocked|starved|idle|off|planned_down
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
