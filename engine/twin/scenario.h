// SPDX-License-Identifier: Apache-2.0
// Scenario files for the twin (issue 8, item 4): what-if changes applied to a sim::Model
// before it is compiled. A scenario is JSON or Turtle (docs/twin-scenarios.md defines both and
// the vocabulary); the two formats are read into the same Change values, so one scenario in
// either format changes the model in exactly the same way.
//
//   auto sc = twin::parseScenarioFile("q4-spike.json");       // syntax, keys, values, times
//   std::vector<std::string> applied;
//   Status st = twin::applyScenario(*sc, model, &applied);    // targets resolved by name
//
// Change kinds: demand (rate factor in a window), supplier interruption, lane disruption,
// machine failure (an outage window), added parallel units, capacity (cycle times divided by
// a factor), production moved to another line, inventory policy.
//
// Nothing is guessed: an unknown key, a target that matches nothing (the message lists the
// closest names in the model), a date without Model::start, a window that ends before it
// starts, are errors naming the change by file:line:column (JSON) or its position (Turtle).
// All problems are collected, one per line, and the model is left unchanged on error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/model.h"

namespace weft::twin {

// Scenario files larger than this are refused (a scenario is a few changes, not data).
constexpr size_t kMaxScenarioBytes = 1 << 20;

enum class ScenarioFormat { kJson, kTurtle };

enum class ChangeKind {
  kDemand,                // product (+ site) or demand name; factor; window
  kSupplierInterruption,  // supplier (full name or vendor); optional product, site; window
  kLaneDisruption,        // lane; window
  kMachineFailure,        // line and/or machine; window -> Machine::outages
  kAddMachine,            // line and/or machine; count -> Machine::parallel += count
  kCapacity,              // line and/or machine; optional product; factor (cycle time / factor)
  kMoveProduction,        // product; fromLine; toLine
  kPolicy,                // inventory "product@site" (or product + site); policy fields
};

// The JSON name of a kind ("supplierInterruption") and the Turtle class's local name
// ("SupplierInterruption", in the dt: namespace).
const char* changeKindName(ChangeKind kind);
const char* changeKindClass(ChangeKind kind);

// A time as written in the file.
struct TimeSpec {
  enum class Kind {
    kNone,
    kOffset,   // "30d", "12h", "P3D": seconds after simulated time 0
    kDate,     // "2025-07-14": 00:00 UTC of that day
    kInstant,  // "2025-07-14T06:00:00Z" (no zone: UTC)
  };
  Kind kind = Kind::kNone;
  double value = 0;  // kOffset: seconds; kDate/kInstant: seconds since 1970-01-01T00:00Z
  std::string text;  // as written, for messages
};

// A window [from, end). Exactly one end is given: `to` (an instant, excluded), `through` (a
// date, included: the window ends at the end of that day) or a duration.
struct TimeWindow {
  enum class End { kNone, kTo, kThrough, kDuration };
  TimeSpec from;
  End end = End::kNone;
  TimeSpec to;            // kTo, kThrough
  double duration = 0;    // kDuration, seconds
  std::string durationText;
};

struct Change {
  ChangeKind kind = ChangeKind::kDemand;
  std::string label;  // optional name of the change (JSON "label", Turtle rdfs:label)
  // Targets, by name as in the model; which ones apply depends on the kind.
  std::string product, site, demand, supplier, lane, line, machine, inventory;
  std::string fromLine, toLine;
  TimeWindow window;  // demand, supplierInterruption, laneDisruption, machineFailure
  double factor = 1;  // demand (>= 0), capacity (> 0)
  int count = 1;      // addMachine (>= 1)
  // policy: only the fields given change.
  std::optional<sim::Policy> policy;
  std::optional<int64_t> reorderPoint, orderUpTo, initialStock;  // s, S, initial stock
  std::optional<double> reviewPeriod;                              // R, seconds
  std::string reviewPeriodText;
  // Where the change is written: "file.json:12:5" or "file.ttl: change 3" (for messages).
  std::string source;
};

struct Scenario {
  std::string name, description;
  std::vector<Change> changes;  // in file order (Turtle: document order of dt:change)
  std::string sha256;           // lower-case hex SHA-256 of the file's bytes
  std::string sourceName;       // the path or name given when parsing
  ScenarioFormat format = ScenarioFormat::kJson;
};

// Parses a scenario. `sourceName` names the input in messages. Errors (kSyntaxError for
// JSON/Turtle syntax with file:line:column; kInvalidArgument for keys and values, all of them,
// one per line).
Result<Scenario> parseScenario(std::string_view text, ScenarioFormat format,
                               const std::string& sourceName);
// Reads a file: ".json" is JSON, ".ttl" / ".turtle" is Turtle; at most kMaxScenarioBytes.
Result<Scenario> parseScenarioFile(const std::string& path);

// Applies every change to `model`, in order. On success `applied` (if given) gets one line per
// model item changed, saying what changed ("supplier 'V / P@S': interrupted
// 2025-07-14..2025-08-25 (day 194..236)"). On error (kInvalidArgument, every problem on its
// own line) the model is unchanged. The result is not validated here: call
// sim::Plant::compile (or sim::validate) on the model afterwards.
Status applyScenario(const Scenario& scenario, sim::Model& model,
                     std::vector<std::string>* applied = nullptr);

// A short description of a change as written ("supplierInterruption Cellvanta Media GmbH
// 2025-07-14..2025-08-25"), for listings.
std::string describeChange(const Change& change);

}  // namespace weft::twin
