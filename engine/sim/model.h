// SPDX-License-Identifier: Apache-2.0
// The twin's model as plain data: sites, products, production lines of machines in series,
// setup matrices, bills of materials, suppliers, inventories with their policies, lanes
// between sites and customer demand.
//
// Items refer to each other by name (a site's name, a product's name, ...), because the model
// is filled from SPARQL results over the graph, where names are what a query returns;
// validate() resolves every reference and reports each missing or contradictory fact by name
// instead of guessing. compilePlant() (plant.h) turns a valid model into index-based arrays.
//
// Units: time in seconds (constants below), quantities in whole units, power in kW.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/random.h"

namespace weft::sim {

constexpr double kSecond = 1;
constexpr double kMinute = 60;
constexpr double kHour = 3600;
constexpr double kDay = 86400;
constexpr double kWeek = 7 * kDay;
constexpr double kYear = 365 * kDay;

// A half-open interval of simulated time [start, end).
struct Window {
  double start = 0;
  double end = 0;
};

// Working time of a line: `on` windows inside a repeating period (e.g. a week with two
// shifts a day). period == 0 means always on. Off-shift time is not planned operation time
// (ISO 22400 POT) and machines do not work in it; an operation in progress pauses and resumes
// at the next shift.
struct Shifts {
  double period = 0;
  std::vector<Window> on;  // sorted, non-overlapping, inside [0, period]
};

// Planned maintenance repeating every `interval` from `first`, lasting `duration`.
struct PeriodicWindow {
  double first = 0;
  double interval = 0;  // 0: none
  double duration = 0;
};

// Which clock drives a failure mode's time to failure (Simio and Plant Simulation offer the
// same choice): calendar time (runs always, also when idle or off shift), or operating time
// (only while the machine processes a part: wear).
enum class FailureClock { kCalendar, kOperating };

struct FailureMode {
  std::string name;
  Dist timeToFailure;  // on `clock`, counted from the end of the previous repair
  Dist timeToRepair;   // calendar time
  FailureClock clock = FailureClock::kCalendar;
};

// Electric power drawn in each machine state (kW); energy = sum of power x time.
struct Power {
  double off = 0;          // off shift
  double plannedDown = 0;  // planned maintenance
  double down = 0;         // failed / in repair
  double setup = 0;
  double busy = 0;
  double blocked = 0;
  double starved = 0;
  double idle = 0;
};

struct Machine {
  std::string name;  // unique within its line
  // Cycle time per product name; the key "*" applies to products not listed.
  std::map<std::string, Dist> cycleTime;
  // Probability that a processed unit is scrap, per product name ("*" for the others).
  std::map<std::string, double> scrap;
  std::string setupMatrix;  // name of a SetupMatrix, empty: no changeovers
  std::vector<FailureMode> failures;
  std::vector<Window> maintenance;  // planned down windows (absolute times)
  PeriodicWindow periodicMaintenance;
  // Unplanned down windows at fixed times (a scenario's "the bioreactor fails on day 120 for
  // 3 days"): counted as down time and as a failure (ADET, FE), unlike `maintenance`.
  std::vector<Window> outages;
  // Identical units working in parallel at this step (c servers sharing the step's input
  // buffer and output buffer; each unit fails, is repaired and draws cycle times on its own
  // streams "<line>/<machine>~<k>" for k >= 1, unit 0 keeps the machine's name). >= 1.
  int parallel = 1;
  Power power;
};

// Sequence-dependent changeover times. The time from product `from` to product `to` is the
// first entry matching (from, to), where "*" matches any product; otherwise `otherwise`
// (none: no changeover). A machine's first part needs no setup.
struct SetupMatrix {
  struct Entry {
    std::string from, to;
    Dist time;
  };
  std::string name;
  std::vector<Entry> entries;
  Dist otherwise;
};

// How units enter a line.
enum class LineInput {
  kOrders,    // production orders placed by inventories whose source is this line (make to stock)
  kPush,      // `pushCycle` lots repeated forever (material permitting)
  kArrivals,  // units of `arrivalProduct` arrive with `interarrival` times into an input queue
};

struct Lot {
  std::string product;
  int64_t quantity = 1;
};

// Machines in series; buffers[i] is the capacity of the buffer between machines i and i+1
// (0: none). A machine that finishes a unit and finds no room downstream holds it and is
// blocked (blocking after service).
struct Line {
  std::string name;  // unique in the model
  std::string site;
  std::vector<Machine> machines;
  std::vector<int> buffers;  // machines.size() - 1 capacities
  Shifts shifts;
  LineInput input = LineInput::kOrders;
  std::vector<Lot> pushCycle;  // kPush
  Dist interarrival;           // kArrivals
  std::string arrivalProduct;  // kArrivals
  int inputCapacity = -1;      // kArrivals: queue size before the first machine, -1 unbounded
};

// Components consumed when one unit of `product` starts on the first machine of a line; they
// come from the inventories of the components at the line's site.
struct Bom {
  struct Component {
    std::string product;
    int64_t quantity = 1;
  };
  std::string product;
  std::vector<Component> components;
};

struct Supplier {
  std::string name;
  Dist leadTime;
  std::vector<Window> interruptions;  // no new orders are accepted inside these windows
};

enum class Policy {
  kNone,      // never reorders
  kMinMax,    // (s,S), continuous review: when the inventory position <= s, order up to S
  kPeriodic,  // (R,S): every R, order up to S (if the position is below S)
};

// Stock of one product at one site, and where its replenishment comes from: exactly one of
// `line` (produce), `primarySupplier` (buy; with an optional backup used when the primary is
// interrupted) or `lane` (ship from the same product's inventory at the lane's origin).
struct Inventory {
  std::string site, product;
  int64_t initial = 0;
  Policy policy = Policy::kNone;
  int64_t s = 0;             // reorder point (kMinMax)
  int64_t S = 0;             // order-up-to level
  double reviewPeriod = 0;   // R (kPeriodic)
  std::string line;
  std::string primarySupplier, backupSupplier;
  std::string lane;
};

// A distribution lane between two sites (e.g. plant to distribution centre).
struct Lane {
  std::string name;
  std::string from, to;  // site names
  Dist leadTime;
  std::vector<Window> disruptions;  // shipments wait until the window ends
};

// A change of the order rate by `factor` inside `when` (e.g. +40% next quarter: 1.4).
struct DemandChange {
  Window when;
  double factor = 1;
};

// Customer orders for a product at a site: Poisson arrivals (rate per day, changed by
// `changes`), order quantity rounded to a whole number >= 1, due `dueAfter` seconds after the
// order. Unfilled quantity is backordered, or lost when `backorders` is false.
struct Demand {
  std::string name;  // unique in the model
  std::string site, product;
  double ordersPerDay = 0;
  Dist quantity = Dist::deterministic(1);
  double dueAfter = 0;
  bool backorders = true;
  std::vector<DemandChange> changes;  // non-overlapping
};

struct Model {
  std::string name;
  // Calendar date of simulated time 0 (ISO 8601 "2025-09-01"), empty if the model has no
  // calendar; scenarios given in dates need it.
  std::string start;
  std::vector<std::string> sites;
  std::vector<std::string> products;
  std::vector<SetupMatrix> setupMatrices;
  std::vector<Line> lines;
  std::vector<Bom> boms;
  std::vector<Supplier> suppliers;
  std::vector<Inventory> inventories;
  std::vector<Lane> lanes;
  std::vector<Demand> demands;
};

// Every problem in the model, one per line of the message (kInvalidArgument), or ok.
Status validate(const Model& model);

}  // namespace weft::sim
