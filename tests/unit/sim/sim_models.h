// SPDX-License-Identifier: Apache-2.0
// Model builders shared by the sim tests.
#pragma once

#include <string>

#include "engine/sim/model.h"

namespace weft::sim::testing {

inline Machine machine(const std::string& name, Dist cycle) {
  Machine m;
  m.name = name;
  m.cycleTime["*"] = std::move(cycle);
  return m;
}

// One site "S", products "A" (and more if asked), one push line "L" of the given machines.
inline Model pushLine(std::vector<Machine> machines, std::vector<int> buffers,
                      std::vector<Lot> lots = {{"A", 1}}) {
  Model m;
  m.sites = {"S"};
  for (const Lot& l : lots) {
    bool known = false;
    for (const std::string& p : m.products) known |= p == l.product;
    if (!known) m.products.push_back(l.product);
  }
  Line line;
  line.name = "L";
  line.site = "S";
  line.machines = std::move(machines);
  line.buffers = std::move(buffers);
  line.input = LineInput::kPush;
  line.pushCycle = std::move(lots);
  m.lines.push_back(std::move(line));
  return m;
}

// A plant shaped like the benchmark: `lines` lines of 4 machines with buffers,
// calendar and operating failures, changeovers between 5 products (push lots of 100), scrap, a
// raw material bought under (s,S) with a backup supplier, finished goods at the plant shipped
// to 3 distribution centres over lanes under (s,S), Poisson customer orders at each centre.
inline Model benchmarkPlant(int lines = 12, double cycleScale = 1.0) {
  Model m;
  m.name = "bench";
  m.sites = {"Plant", "DC1", "DC2", "DC3"};
  const int nProducts = 5;
  for (int p = 0; p < nProducts; ++p) m.products.push_back("P" + std::to_string(p));
  m.products.push_back("RM");
  SetupMatrix sm;
  sm.name = "changeover";
  sm.otherwise = Dist::triangular(5 * kMinute, 10 * kMinute, 20 * kMinute);
  m.setupMatrices.push_back(sm);
  for (int l = 0; l < lines; ++l) {
    Line line;
    line.name = "L" + std::to_string(l);
    line.site = "Plant";
    line.input = LineInput::kPush;
    for (int p = 0; p < nProducts; ++p) line.pushCycle.push_back({"P" + std::to_string(p), 100});
    for (int k = 0; k < 4; ++k) {
      Machine mc;
      mc.name = "M" + std::to_string(k);
      for (int p = 0; p < nProducts; ++p) {
        mc.cycleTime["P" + std::to_string(p)] =
            Dist::lognormalMeanSd(cycleScale * (60 + 4 * p + 3 * k), cycleScale * 10);
      }
      mc.setupMatrix = "changeover";
      FailureMode f;
      f.name = "jam";
      f.timeToFailure = Dist::weibull(1.3, 8 * kHour);
      f.timeToRepair = Dist::lognormalMeanSd(30 * kMinute, 15 * kMinute);
      mc.failures.push_back(f);
      if (k == 2) {
        FailureMode w;
        w.name = "wear";
        w.clock = FailureClock::kOperating;
        w.timeToFailure = Dist::exponential(40 * kHour);
        w.timeToRepair = Dist::gamma(2, 1 * kHour);
        mc.failures.push_back(w);
      }
      if (k == 3) mc.scrap["*"] = 0.01;
      mc.periodicMaintenance = {3 * kDay, 14 * kDay, 4 * kHour};
      mc.power = {0.5, 1, 1, 5, 12, 3, 3, 2};
      line.machines.push_back(mc);
    }
    line.buffers = {5, 5, 5};
    m.lines.push_back(line);
  }
  Bom bom;
  for (int p = 0; p < nProducts; ++p) {
    bom.product = "P" + std::to_string(p);
    bom.components = {{"RM", 1}};
    m.boms.push_back(bom);
  }
  m.suppliers.push_back({"RM-primary", Dist::gamma(4, 0.5 * kDay), {{100 * kDay, 142 * kDay}}});
  m.suppliers.push_back({"RM-backup", Dist::gamma(4, 1.0 * kDay), {}});
  Inventory rm;
  rm.site = "Plant";
  rm.product = "RM";
  rm.initial = 60000;
  rm.policy = Policy::kMinMax;
  rm.s = 40000;
  rm.S = 100000;
  rm.primarySupplier = "RM-primary";
  rm.backupSupplier = "RM-backup";
  m.inventories.push_back(rm);
  for (int p = 0; p < nProducts; ++p) {
    const std::string prod = "P" + std::to_string(p);
    Inventory fg;
    fg.site = "Plant";
    fg.product = prod;
    fg.initial = 500;
    m.inventories.push_back(fg);
    for (int d = 1; d <= 3; ++d) {
      const std::string dc = "DC" + std::to_string(d);
      if (p == 0) m.lanes.push_back({"Plant-" + dc, "Plant", dc, Dist::triangular(1 * kDay, 2 * kDay, 4 * kDay), {}});
      Inventory di;
      di.site = dc;
      di.product = prod;
      di.initial = 1000;
      di.policy = Policy::kMinMax;
      di.s = 800;
      di.S = 2500;
      di.lane = "Plant-" + dc;
      m.inventories.push_back(di);
      Demand dem;
      dem.name = dc + "/" + prod;
      dem.site = dc;
      dem.product = prod;
      // About 55% of the lines' nominal output, spread over 3 centres and 5 products (the
      // rest goes to changeovers, failures, blocking and maintenance).
      dem.ordersPerDay = 0.55 * lines * (kDay / (cycleScale * 75.0)) / (3.0 * nProducts) / 20.0;
      dem.quantity = Dist::triangular(5, 20, 35);
      dem.dueAfter = 3 * kDay;
      m.demands.push_back(dem);
    }
  }
  return m;
}

}  // namespace weft::sim::testing
