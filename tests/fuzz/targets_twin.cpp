// SPDX-License-Identifier: Apache-2.0
// Fuzz targets for the twin's and the watch's input files: a scenario (fuzz_scenario: the
// first byte picks JSON or Turtle, the rest is the file; an accepted scenario is applied to a
// small model, which must then either be left unchanged on error or still compile, and a
// model that compiles runs as flow lines and in the event model with equal KPIs) and the
// live twin's configurations (fuzz_drift_config: each input as a drift-detection and as a
// shadow-mode configuration; an accepted shadow configuration has valid shifts). Neither
// needs a store.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sim/plant.h"
#include "engine/twin/model_from_graph.h"
#include "engine/twin/scenario.h"
#include "engine/twin/shadow.h"
#include "engine/watch/drift.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {
namespace {

[[noreturn]] void fail(const char* target, const std::string& msg) {
  std::fprintf(stderr, "fuzz invariant (%s): %s\n", target, msg.c_str());
  std::abort();
}

// A line L1 (machines M1 -> M2) making P at site S from material R bought from two vendors,
// a lane S -> DC and demand for P at DC: every change kind has a target.
sim::Model smallModel() {
  sim::Model m;
  m.start = "2025-01-01";
  m.sites = {"S", "DC"};
  m.products = {"P", "R"};
  sim::Line l;
  l.name = "L1";
  l.site = "S";
  for (const char* n : {"M1", "M2"}) {
    sim::Machine mc;
    mc.name = n;
    mc.cycleTime["*"] = sim::Dist::lognormalMeanSd(60, 5);
    mc.failures.push_back({"f", sim::Dist::weibull(1.5, 100 * sim::kHour),
                           sim::Dist::exponential(sim::kHour), sim::FailureClock::kCalendar});
    l.machines.push_back(mc);
  }
  l.buffers = {5};
  m.lines.push_back(l);
  m.boms.push_back({"P", {{"R", 1}}});
  m.suppliers.push_back({"Acme / R@S", sim::Dist::deterministic(10 * sim::kDay), {}});
  m.suppliers.push_back({"Bolt / R@S", sim::Dist::deterministic(3 * sim::kDay), {}});
  sim::Inventory r;
  r.site = "S";
  r.product = "R";
  r.initial = 500;
  r.policy = sim::Policy::kMinMax;
  r.s = 200;
  r.S = 600;
  r.primarySupplier = "Acme / R@S";
  r.backupSupplier = "Bolt / R@S";
  m.inventories.push_back(r);
  sim::Inventory p = r;
  p.product = "P";
  p.primarySupplier.clear();
  p.backupSupplier.clear();
  p.line = "L1";
  m.inventories.push_back(p);
  sim::Lane lane;
  lane.name = "S -> DC";
  lane.from = "S";
  lane.to = "DC";
  lane.leadTime = sim::Dist::deterministic(sim::kDay);
  m.lanes.push_back(lane);
  sim::Inventory dc = p;
  dc.site = "DC";
  dc.line.clear();
  dc.lane = "S -> DC";
  m.inventories.push_back(dc);
  sim::Demand d;
  d.name = "customers of P@DC";
  d.site = "DC";
  d.product = "P";
  d.ordersPerDay = 10;
  d.quantity = sim::Dist::deterministic(20);
  d.dueAfter = sim::kDay;
  m.demands.push_back(d);
  return m;
}

}  // namespace

int fuzzOneScenario(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto format = data[0] & 1 ? twin::ScenarioFormat::kTurtle : twin::ScenarioFormat::kJson;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto sc = twin::parseScenario(text, format, "fuzz");
  if (!sc.isOk()) {
    if (sc.status().message().empty()) fail("fuzz_scenario", "an error without a message");
    return 0;
  }
  static const sim::Model base = smallModel();
  sim::Model m = base;
  std::vector<std::string> applied;
  Status st = twin::applyScenario(sc.value(), m, &applied);
  if (!st.isOk()) {
    // The model is left as it was on error.
    if (m.lines.size() != base.lines.size() || m.demands[0].changes.size() != 0 ||
        m.suppliers[0].interruptions.size() != 0 || m.lines[0].machines[0].parallel != 1)
      fail("fuzz_scenario", "the model changed although applyScenario failed: " + st.message());
    return 0;
  }
  // Applied changes either compile or are refused with a message; a plant that compiles
  // runs a short horizon without crashing.
  auto plant = sim::Plant::compile(m);
  if (!plant.isOk()) {
    if (plant.status().message().empty()) fail("fuzz_scenario", "compile failed without a message");
    return 0;
  }
  // Only models whose event count stays small are run (a demand factor of 1e9 is legal and
  // would make this a timeout, not a finding).
  for (const sim::Demand& d : m.demands) {
    double rate = d.ordersPerDay;
    for (const sim::DemandChange& c : d.changes) rate = std::max(rate, d.ordersPerDay * c.factor);
    if (!(rate <= 1000) || !(d.quantity.mean() <= 1000)) return 0;
  }
  for (const sim::Line& l : m.lines)
    for (const sim::Machine& mc : l.machines) {
      if (mc.parallel > 16) return 0;
      for (const auto& [prod, dist] : mc.cycleTime)
        if (!(dist.mean() >= 1)) return 0;
    }
  sim::RunOptions ro;
  ro.horizon = 3 * sim::kDay;
  ro.warmup = 0.5 * sim::kDay;
  const sim::PlantResult flow = plant.value().run(ro);
  // Flow lines and the event model are the same simulation (tests/unit/sim/flow_test.cpp):
  // on every model the scenarios make, their KPIs agree (NaN with NaN).
  ro.eventModel = true;
  const sim::PlantResult events = plant.value().run(ro);
  const sim::Kpis a = sim::computeKpis(flow), b = sim::computeKpis(events);
  for (size_t i = 0; i < a.values.size() && i < b.values.size(); ++i) {
    const double x = a.values[i], y = b.values[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (!(std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(y)))) {
      fail("fuzz_scenario", "flow lines and the event model disagree on " + a.names[i] + ": " +
                                std::to_string(x) + " against " + std::to_string(y));
    }
  }
  return 0;
}

int fuzzOneDriftConfig(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto cfg = watch::parseDriftConfig(json, "fuzz");
  if (!cfg.isOk() && cfg.status().message().empty())
    fail("fuzz_drift_config", "an error without a message");
  auto shadow = twin::parseShadowConfig(json, "fuzz");
  if (!shadow.isOk() && shadow.status().message().find("fuzz") == std::string::npos)
    fail("fuzz_drift_config", "a shadow configuration error that does not name its file");
  if (shadow.isOk()) {
    double from = 0, to = 0;
    if (!twin::parseTimestamp(shadow->options.from, &from) || !twin::parseTimestamp(shadow->options.to, &to) ||
        !twin::shiftWindows(from, to + sim::kDay, shadow->options.shiftHours, shadow->options.shiftStartHour).isOk())
      fail("fuzz_drift_config", "an accepted shadow configuration with invalid dates or shifts");
  }
  return 0;
}

}  // namespace weft::fuzz
