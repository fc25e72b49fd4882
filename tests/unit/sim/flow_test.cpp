// SPDX-License-Identifier: Apache-2.0
// Flow lines (the tandem-queue recursion, RunOptions::eventModel false) against the event model.
// Both draw every stream in the same order, so on the same seed they must tell the same story:
// every count equal and every time and KPI equal up to the rounding of a different sum order.
// Any difference in the recursion (blocking, setups, failures stretching work, shifts, scrap,
// material waits, orders) shows up as a different count or a time off by far more than that.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/sim/plant.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;
using namespace weft::sim::testing;

namespace {

// Two lines at one site sharing a raw material that runs short: a pushed line with shifts,
// changeovers, both failure clocks, listed and periodic maintenance, an outage, scrap in the
// middle and at the end and a zero buffer; a make-to-stock line working off the orders of an
// (s,S) inventory, with scrap of ordered units. Customer demand with backorders for A (none
// after day 25) and lost sales for B.
Model mixedPlant() {
  Model m;
  m.sites = {"S"};
  m.products = {"A", "B", "RM"};
  SetupMatrix sm;
  sm.name = "co";
  sm.otherwise = Dist::triangular(2 * kMinute, 5 * kMinute, 15 * kMinute);
  m.setupMatrices.push_back(sm);

  Line push;
  push.name = "P";
  push.site = "S";
  push.input = LineInput::kPush;
  push.pushCycle = {{"A", 20}, {"B", 15}};
  push.shifts.period = kDay;
  push.shifts.on = {{6 * kHour, 22 * kHour}};
  Machine p1 = machine("P1", Dist::lognormalMeanSd(3 * kMinute, 1 * kMinute));
  p1.failures.push_back({"jam", Dist::weibull(1.5, 6 * kHour), Dist::exponential(20 * kMinute)});
  p1.maintenance = {{10 * kDay, 10 * kDay + 8 * kHour}};
  p1.outages = {{20 * kDay + 3 * kHour, 21 * kDay}};
  p1.setupMatrix = "co";
  Machine p2 = machine("P2", Dist::gamma(3, 1 * kMinute));
  p2.cycleTime["B"] = Dist::uniform(2 * kMinute, 5 * kMinute);
  p2.failures.push_back({"wear", Dist::exponential(10 * kHour), Dist::gamma(2, 30 * kMinute),
                         FailureClock::kOperating});
  p2.scrap["B"] = 0.05;
  p2.setupMatrix = "co";
  Machine p3 = machine("P3", Dist::exponential(2.5 * kMinute));
  p3.scrap["*"] = 0.02;
  p3.periodicMaintenance = {2 * kDay, 7 * kDay, 3 * kHour};
  p3.failures.push_back({"trip", Dist::exponential(9 * kHour), Dist::lognormalMeanSd(15 * kMinute, 5 * kMinute)});
  p3.power = {0.2, 1, 1, 3, 9, 2, 2, 1};
  push.machines = {p1, p2, p3};
  push.buffers = {0, 3};
  m.lines.push_back(push);

  Line mto;
  mto.name = "O";
  mto.site = "S";
  mto.input = LineInput::kOrders;
  Machine o1 = machine("O1", Dist::exponential(4 * kMinute));
  o1.scrap["*"] = 0.03;
  o1.failures.push_back({"jam", Dist::exponential(12 * kHour), Dist::exponential(40 * kMinute)});
  Machine o2 = machine("O2", Dist::deterministic(3 * kMinute));
  mto.machines = {o1, o2};
  mto.buffers = {1};
  m.lines.push_back(mto);

  m.boms.push_back({"A", {{"RM", 2}}});
  m.boms.push_back({"B", {{"RM", 1}}});
  m.suppliers.push_back({"main", Dist::gamma(4, 0.5 * kDay), {{15 * kDay, 25 * kDay}}});
  m.suppliers.push_back({"spare", Dist::gamma(4, 1.5 * kDay), {}});
  Inventory rm;
  rm.site = "S";
  rm.product = "RM";
  rm.initial = 800;
  rm.policy = Policy::kMinMax;
  rm.s = 500;
  rm.S = 2500;
  rm.primarySupplier = "main";
  rm.backupSupplier = "spare";
  m.inventories.push_back(rm);
  Inventory a;
  a.site = "S";
  a.product = "A";
  a.initial = 50;
  a.policy = Policy::kMinMax;
  a.s = 40;
  a.S = 120;
  a.line = "O";
  m.inventories.push_back(a);
  Inventory b;
  b.site = "S";
  b.product = "B";
  b.initial = 30;
  m.inventories.push_back(b);
  // No demand for A after day 25: the order-driven line ends the run idle.
  m.demands.push_back({"DA", "S", "A", 30, Dist::triangular(1, 6, 12), kDay, true, {{{25 * kDay, 50 * kDay}, 0}}});
  m.demands.push_back({"DB", "S", "B", 12, Dist::triangular(1, 8, 15), 2 * kDay, false, {}});
  return m;
}

bool close(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x));
}

// The same seed through both models: results compared field by field.
void expectSameRun(const Plant& plant, RunOptions o) {
  o.eventModel = true;
  const PlantResult ev = plant.run(o);
  o.eventModel = false;
  const PlantResult fl = plant.run(o);
  EXPECT_LT(fl.events, ev.events) << "the flow run should have been the flow model";
  ASSERT_EQ(ev.machines.size(), fl.machines.size());
  for (size_t i = 0; i < ev.machines.size(); ++i) {
    const MachineResult &x = ev.machines[i], &y = fl.machines[i];
    const std::string who = x.line + "/" + x.name;
    EXPECT_EQ(x.produced, y.produced) << who;
    EXPECT_EQ(x.scrapped, y.scrapped) << who;
    EXPECT_EQ(x.failures, y.failures) << who;
    EXPECT_EQ(x.repairs, y.repairs) << who;
    EXPECT_TRUE(close(x.repairTime, y.repairTime)) << who;
    EXPECT_TRUE(close(x.idealTime, y.idealTime)) << who;
    EXPECT_TRUE(close(x.energyKwh, y.energyKwh)) << who;
    for (int s = 0; s < kMachineStateCount; ++s) {
      EXPECT_TRUE(close(x.time[s], y.time[s]))
          << who << " " << machineStateName(static_cast<MachineState>(s)) << ": " << x.time[s]
          << " vs " << y.time[s];
    }
  }
  for (size_t i = 0; i < ev.lines.size(); ++i) {
    const LineResult &x = ev.lines[i], &y = fl.lines[i];
    EXPECT_EQ(x.entered, y.entered) << x.name;
    EXPECT_EQ(x.good, y.good) << x.name;
    EXPECT_EQ(x.scrapped, y.scrapped) << x.name;
    EXPECT_TRUE(close(x.flowTimeSum, y.flowTimeSum)) << x.name;
    EXPECT_TRUE(close(x.wipAverage, y.wipAverage)) << x.name;
  }
  for (size_t i = 0; i < ev.inventories.size(); ++i) {
    const InventoryResult &x = ev.inventories[i], &y = fl.inventories[i];
    const std::string who = x.product + "@" + x.site;
    EXPECT_EQ(x.replenishments, y.replenishments) << who;
    EXPECT_EQ(x.backupOrders, y.backupOrders) << who;
    EXPECT_EQ(x.unitsFromStock, y.unitsFromStock) << who;
    EXPECT_EQ(x.stockouts, y.stockouts) << who;
    EXPECT_EQ(x.lostUnits, y.lostUnits) << who;
    EXPECT_EQ(x.ordersOnTime, y.ordersOnTime) << who;
    EXPECT_EQ(x.ordersLate, y.ordersLate) << who;
    EXPECT_TRUE(close(x.avgOnHand, y.avgOnHand)) << who;
    EXPECT_TRUE(close(x.avgBacklog, y.avgBacklog)) << who;
    EXPECT_TRUE(close(x.zeroStockTime, y.zeroStockTime)) << who;
  }
  const Kpis a = computeKpis(ev), b = computeKpis(fl);
  ASSERT_EQ(a.names, b.names);
  for (size_t i = 0; i < a.values.size(); ++i) {
    EXPECT_TRUE(close(a.values[i], b.values[i])) << a.names[i] << ": " << a.values[i] << " vs " << b.values[i];
  }
}

}  // namespace

TEST(FlowLine, MixedPlantMatchesTheEventModel) {
  weft::Result<Plant> plant = Plant::compile(mixedPlant());
  ASSERT_TRUE(plant.isOk()) << plant.status().message();
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RunOptions o;
    o.seed = seed;
    o.horizon = 45 * kDay;
    o.warmup = 3 * kDay + 5 * kHour;  // mid-shift, mid-operation
    expectSameRun(*plant, o);
  }
  // The model exercises what it claims to: material waits, idle order-driven machine time,
  // blocking at the zero buffer, operating failures and changeovers.
  RunOptions o;
  o.horizon = 45 * kDay;
  const PlantResult r = plant->run(o);
  auto t = [&](int m, MachineState s) { return r.machines[m].time[static_cast<int>(s)]; };
  EXPECT_GT(t(0, MachineState::kBlocked), 0);
  EXPECT_GT(t(0, MachineState::kSetup), 0);
  EXPECT_GT(t(0, MachineState::kOff), 0);
  EXPECT_GT(t(0, MachineState::kPlannedDown), 0);
  EXPECT_GT(t(3, MachineState::kIdle), 0);
  EXPECT_GT(r.machines[1].failures, 0);
  EXPECT_GT(r.machines[1].scrapped, 0);
  EXPECT_GT(r.machines[3].scrapped, 0);
  EXPECT_GT(r.inventories[0].zeroStockTime, 0) << "the raw material never ran out";
}

// Only the pushed line draws the raw material: its releases run in epochs (Sim::tryEpoch),
// some undone when the material runs short or reaches its reorder point inside one.
TEST(FlowLine, EpochsOfPushedReleasesMatchTheEventModel) {
  Model m = mixedPlant();
  m.lines.erase(m.lines.begin() + 1);  // the order-driven line
  m.inventories[1].policy = Policy::kNone;
  m.inventories[1].line.clear();
  weft::Result<Plant> plant = Plant::compile(m);
  ASSERT_TRUE(plant.isOk()) << plant.status().message();
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RunOptions o;
    o.seed = seed;
    o.horizon = 60 * kDay;
    o.warmup = 2 * kDay;
    expectSameRun(*plant, o);
  }
  RunOptions o;
  o.horizon = 60 * kDay;
  const PlantResult r = plant->run(o);
  EXPECT_GT(r.inventories[0].zeroStockTime, 0) << "the raw material never ran out";
  EXPECT_GT(r.inventories[0].replenishments, 3);
}

TEST(FlowLine, BenchmarkPlantMatchesTheEventModel) {
  weft::Result<Plant> plant = Plant::compile(benchmarkPlant(3));
  ASSERT_TRUE(plant.isOk()) << plant.status().message();
  RunOptions o;
  o.seed = 11;
  o.horizon = 120 * kDay;
  o.warmup = 10 * kDay;
  expectSameRun(*plant, o);
}

TEST(FlowLine, DeterministicAndFallsBackWhereItCannotRun) {
  weft::Result<Plant> plant = Plant::compile(mixedPlant());
  ASSERT_TRUE(plant.isOk());
  RunOptions o;
  o.seed = 5;
  o.horizon = 20 * kDay;
  const PlantResult a = plant->run(o), b = plant->run(o);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.events, b.events);
  // Series and traces are written by the event model: the run is the event model's.
  RunOptions ev = o;
  ev.eventModel = true;
  const PlantResult e = plant->run(ev);
  RunOptions sampled = o;
  sampled.sampleEvery = kDay;
  EXPECT_EQ(plant->run(sampled).events, e.events + 21);  // the event model's, plus 21 samples
  EXPECT_NE(a.fingerprint, e.fingerprint);
  // Parallel units are not a flow line: the whole plant runs as events.
  Model par = mixedPlant();
  par.lines[1].machines[1].parallel = 2;
  weft::Result<Plant> pp = Plant::compile(par);
  ASSERT_TRUE(pp.isOk());
  EXPECT_EQ(pp->run(o).fingerprint, pp->run(ev).fingerprint);
}
