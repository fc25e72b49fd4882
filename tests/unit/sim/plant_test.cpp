// SPDX-License-Identifier: Apache-2.0
// The building blocks with deterministic inputs, where the answer is exact: blocking,
// changeovers, shifts, maintenance, material, suppliers, lanes, demand, warm-up; and model
// validation.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/sim/plant.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;
using namespace weft::sim::testing;

namespace {

PlantResult runModel(const Model& m, double horizon, double warmup = 0, uint64_t seed = 1) {
  weft::Result<Plant> p = Plant::compile(m);
  EXPECT_TRUE(p.isOk()) << p.status().message();
  RunOptions o;
  o.seed = seed;
  o.horizon = horizon;
  o.warmup = warmup;
  return p->run(o);
}

double stateTime(const MachineResult& m, MachineState s) { return m.time[static_cast<int>(s)]; }

}  // namespace

TEST(Plant, BlockingWithoutBufferPacesTheLine) {
  // M1 takes 1 s, M2 takes 2 s, no buffer: M1 works 1 s and is blocked 1 s of every 2.
  Model m = pushLine({machine("M1", Dist::deterministic(1)), machine("M2", Dist::deterministic(2))}, {0});
  const PlantResult r = runModel(m, 1000);
  EXPECT_EQ(r.lines[0].good, 499);  // first unit leaves at t = 3, then every 2 s
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kBusy), 501, 1e-9);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kBlocked), 499, 1e-9);
  EXPECT_NEAR(stateTime(r.machines[1], MachineState::kBusy), 999, 1e-9);
  EXPECT_NEAR(stateTime(r.machines[1], MachineState::kStarved), 1, 1e-9);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("line:L:throughput_per_h"), 499 / (1000 / 3600.0), 1e-9);
  EXPECT_NEAR(k.get("machine:L/M2:availability"), 0.999, 1e-9);
  EXPECT_NEAR(k.get("machine:L/M2:performance"), 998.0 / 999, 1e-12);  // unit in progress at the end
  EXPECT_EQ(k.get("line:L:oee"), k.get("machine:L/M2:oee"));  // M2 is the constraint
}

TEST(Plant, BufferAbsorbsVariationUpstream) {
  // Fast M1 fills the buffer of 3, then waits for M2: WIP = 1 (M1) + 3 + 1 (M2).
  Model m = pushLine({machine("M1", Dist::deterministic(1)), machine("M2", Dist::deterministic(2))}, {3});
  const PlantResult r = runModel(m, 10000);
  EXPECT_NEAR(r.lines[0].wipAverage, 5, 0.01);
  EXPECT_EQ(r.lines[0].good, 4999);
  // Little's law holds exactly here up to the end effects.
  EXPECT_NEAR(r.lines[0].wipAverage, r.lines[0].flowTimeSum / 10000.0, 0.01);
}

TEST(Plant, SequenceDependentChangeovers) {
  Model m = pushLine({machine("M", Dist::deterministic(1))}, {}, {{"A", 2}, {"B", 2}});
  SetupMatrix sm;
  sm.name = "X";
  sm.entries = {{"A", "B", Dist::deterministic(5)}, {"B", "A", Dist::deterministic(3)}};
  m.setupMatrices.push_back(sm);
  m.lines[0].machines[0].setupMatrix = "X";
  // Cycle: A A (setup 5) B B (setup 3) = 4 + 8 = 12 s; the first A needs no setup.
  const PlantResult r = runModel(m, 12 * 100);
  const MachineResult& x = r.machines[0];
  EXPECT_EQ(x.produced, 400);
  EXPECT_NEAR(stateTime(x, MachineState::kSetup), 800, 1e-9);
  EXPECT_NEAR(stateTime(x, MachineState::kBusy), 400, 1e-9);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("machine:L/M:setup"), 800.0 / 1200, 1e-12);
}

TEST(Plant, ShiftsStopAndResumeWork) {
  // Works 6 s of every 10; a 4 s operation started at 4 pauses at 6 and ends at 12.
  Model m = pushLine({machine("M", Dist::deterministic(4))}, {});
  m.lines[0].shifts.period = 10;
  m.lines[0].shifts.on = {{0, 6}};
  const PlantResult r = runModel(m, 1000);
  const MachineResult& x = r.machines[0];
  EXPECT_NEAR(stateTime(x, MachineState::kOff), 400, 1e-9);
  EXPECT_NEAR(stateTime(x, MachineState::kBusy), 600, 1e-9);
  EXPECT_EQ(x.produced, 150);  // 600 s of work / 4 s
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("machine:L/M:availability"), 1.0, 1e-12);  // off shift is not PBT
}

TEST(Plant, ShiftWindowsWrappingThePeriod) {
  // On [0, 2) and [8, 10): one 4 s window across the period boundary, off [2, 8).
  Model m = pushLine({machine("M", Dist::deterministic(1))}, {});
  m.lines[0].shifts.period = 10;
  m.lines[0].shifts.on = {{0, 2}, {8, 10}};
  const PlantResult r = runModel(m, 100);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kOff), 60, 1e-9);
  EXPECT_EQ(r.machines[0].produced, 40);
}

TEST(Plant, PlannedMaintenance) {
  Model m = pushLine({machine("M", Dist::deterministic(1))}, {});
  m.lines[0].machines[0].periodicMaintenance = {50, 100, 10};  // [50,60), [150,160), ...
  m.lines[0].machines[0].maintenance = {{995, 1000}};
  const PlantResult r = runModel(m, 1000);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kPlannedDown), 105, 1e-9);
  EXPECT_EQ(r.machines[0].produced, 895);
}

TEST(Plant, ScrapLeavesTheLine) {
  Model m = pushLine({machine("M1", Dist::deterministic(1)), machine("M2", Dist::deterministic(1))}, {2});
  m.lines[0].machines[0].scrap["A"] = 0.2;
  const PlantResult r = runModel(m, 100000);
  const LineResult& l = r.lines[0];
  EXPECT_EQ(l.departures, l.good + l.scrapped);
  EXPECT_NEAR(static_cast<double>(l.scrapped) / l.departures, 0.2, 0.01);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("line:L:fpy"), 0.8, 0.01);
  EXPECT_NEAR(k.get("machine:L/M1:quality"), 0.8, 0.01);
  EXPECT_EQ(k.get("machine:L/M2:quality"), 1.0);
}

TEST(Plant, MaterialShortageStarvesTheLine) {
  Model m = pushLine({machine("M", Dist::deterministic(1))}, {});
  m.products.push_back("C");
  m.boms.push_back({"A", {{"C", 2}}});
  Inventory c;
  c.site = "S";
  c.product = "C";
  c.initial = 21;
  m.inventories.push_back(c);
  const PlantResult r = runModel(m, 100);
  EXPECT_EQ(r.lines[0].good, 10);  // 21 units of C make 10 of A
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kStarved), 90, 1e-9);
  EXPECT_NEAR(r.inventories[0].avgOnHand, (19 + 17 + 15 + 13 + 11 + 9 + 7 + 5 + 3 + 1 * 91) / 100.0, 1e-9);
}

namespace {

// One product stocked at S, bought from P (lead time 1 day, interrupted days 10..40), with an
// optional backup B (lead time 2 days); unit demand of 10 orders per day.
Model supplyModel(bool backup) {
  Model m;
  m.sites = {"S"};
  m.products = {"A"};
  m.suppliers.push_back({"P", Dist::deterministic(1 * kDay), {{10 * kDay, 40 * kDay}}});
  if (backup) m.suppliers.push_back({"B", Dist::deterministic(2 * kDay), {}});
  Inventory i;
  i.site = "S";
  i.product = "A";
  i.initial = 50;
  i.policy = Policy::kMinMax;
  i.s = 20;
  i.S = 60;
  i.primarySupplier = "P";
  if (backup) i.backupSupplier = "B";
  m.inventories.push_back(i);
  Demand d;
  d.name = "D";
  d.site = "S";
  d.product = "A";
  d.ordersPerDay = 10;
  d.dueAfter = 1 * kDay;
  m.demands.push_back(d);
  return m;
}

}  // namespace

TEST(Plant, BackupSupplierCoversAnInterruption) {
  const PlantResult with = runModel(supplyModel(true), 60 * kDay);
  const PlantResult without = runModel(supplyModel(false), 60 * kDay);
  EXPECT_GT(with.inventories[0].backupOrders, 0);
  EXPECT_EQ(without.inventories[0].backupOrders, 0);
  // Without the backup the orders wait for day 40: a long stock-out.
  EXPECT_GT(without.inventories[0].zeroStockTime, 20 * kDay);
  EXPECT_LT(with.inventories[0].zeroStockTime, 5 * kDay);
  const Kpis kw = computeKpis(with), kwo = computeKpis(without);
  EXPECT_GT(kw.get("inventory:A@S:fill_rate"), kwo.get("inventory:A@S:fill_rate") + 0.2);
  EXPECT_GT(kw.get("inventory:A@S:on_time"), kwo.get("inventory:A@S:on_time"));
  // Same seed: the demand draws are the same in both (CRN), only the supply differs.
  EXPECT_EQ(with.inventories[0].unitsDemanded, without.inventories[0].unitsDemanded);
}

TEST(Plant, LostSalesVersusBackorders) {
  Model m = supplyModel(false);
  m.demands[0].backorders = false;
  const PlantResult r = runModel(m, 60 * kDay);
  const InventoryResult& i = r.inventories[0];
  EXPECT_GT(i.lostUnits, 0);
  EXPECT_EQ(i.avgBacklog, 0);
  EXPECT_EQ(i.unitsFromStock + i.lostUnits, i.unitsDemanded);
}

TEST(Plant, DemandChangeScalesTheOrderRate) {
  Model m = supplyModel(true);
  m.inventories[0].S = 100000;  // plenty of stock: count orders only
  m.inventories[0].initial = 100000;
  const PlantResult base = runModel(m, 200 * kDay);
  m.demands[0].changes = {{{0, 100 * kDay}, 2.0}};
  const PlantResult more = runModel(m, 200 * kDay);
  const double b = static_cast<double>(base.inventories[0].customerOrders);
  const double x = static_cast<double>(more.inventories[0].customerOrders);
  EXPECT_NEAR(b, 2000, 4 * std::sqrt(2000));
  EXPECT_NEAR(x / b, 1.5, 0.06);
}

TEST(Plant, MakeToStockThroughALaneToADistributionCentre) {
  Model m;
  m.sites = {"Plant", "DC"};
  m.products = {"A"};
  Line l;
  l.name = "L";
  l.site = "Plant";
  l.machines = {machine("M", Dist::exponential(10 * kMinute))};
  l.input = LineInput::kOrders;
  m.lines.push_back(l);
  Inventory fg;
  fg.site = "Plant";
  fg.product = "A";
  fg.initial = 20;
  fg.policy = Policy::kMinMax;
  fg.s = 60;
  fg.S = 120;
  fg.line = "L";
  m.inventories.push_back(fg);
  m.lanes.push_back({"Plant-DC", "Plant", "DC", Dist::deterministic(1 * kDay), {}});
  Inventory dc = fg;
  dc.site = "DC";
  dc.line.clear();
  dc.lane = "Plant-DC";
  dc.s = 150;  // covers the day on the lane at 100 orders a day
  dc.S = 250;
  m.inventories.push_back(dc);
  Demand d;
  d.name = "D";
  d.site = "DC";
  d.product = "A";
  d.ordersPerDay = 100;  // line capacity is 144 per day
  m.demands.push_back(d);
  const PlantResult r = runModel(m, 200 * kDay, 20 * kDay);
  const Kpis k = computeKpis(r);
  // Everything that is demanded is eventually made (up to what is in the pipeline).
  EXPECT_NEAR(static_cast<double>(r.lines[0].good), 100 * 180, 0.05 * 100 * 180);
  std::printf("DC fill rate %.3f, on time %.3f, plant stock %.1f\n", k.get("inventory:A@DC:fill_rate"),
              k.get("inventory:A@DC:on_time"), k.get("inventory:A@Plant:avg_on_hand"));
  EXPECT_GT(k.get("inventory:A@DC:fill_rate"), 0.8);
  EXPECT_GT(r.inventories[0].replenishments, 100);
  EXPECT_NEAR(k.get("machine:L/M:busy"), 100.0 / 144, 0.03);
}

TEST(Plant, WarmupIsExcluded) {
  Model m = pushLine({machine("M", Dist::deterministic(2))}, {});
  // Units finish at 2, 4, ...; the window (401, 1000] sees those of 402 ... 1000.
  const PlantResult r = runModel(m, 1000, 401);
  EXPECT_EQ(r.start, 401);
  EXPECT_EQ(r.lines[0].good, 300);
  double total = 0;
  for (double t : r.machines[0].time) total += t;
  EXPECT_NEAR(total, 599, 1e-9);
}

TEST(Plant, SameSeedSameRunOtherSeedOtherRun) {
  const Model m = benchmarkPlant(2);
  const PlantResult a = runModel(m, 30 * kDay, 0, 5);
  const PlantResult b = runModel(m, 30 * kDay, 0, 5);
  const PlantResult c = runModel(m, 30 * kDay, 0, 6);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.events, b.events);
  EXPECT_NE(a.fingerprint, c.fingerprint);
  const Kpis ka = computeKpis(a), kb = computeKpis(b);
  ASSERT_EQ(ka.values.size(), kb.values.size());
  for (size_t i = 0; i < ka.values.size(); ++i) {
    if (std::isnan(ka.values[i])) {
      EXPECT_TRUE(std::isnan(kb.values[i]));
    } else {
      EXPECT_EQ(ka.values[i], kb.values[i]) << ka.names[i];
    }
  }
}

TEST(Model, ValidationNamesEveryProblem) {
  Model m = pushLine({machine("M1", Dist::deterministic(1)), machine("M1", Dist::exponential(-1))}, {});
  m.lines[0].machines[0].cycleTime.clear();
  m.lines[0].machines[0].setupMatrix = "nope";
  m.lines[0].machines[0].scrap["A"] = 1.5;
  m.lines[0].site = "Mars";
  Inventory i;
  i.site = "S";
  i.product = "Z";
  i.policy = Policy::kMinMax;
  i.s = 10;
  i.S = 5;
  m.inventories.push_back(i);
  Demand d;
  d.name = "D";
  d.site = "S";
  d.product = "A";
  d.changes = {{{0, 10}, 2}, {{5, 20}, 3}};
  m.demands.push_back(d);
  Lane lane{"X", "S", "S", Dist(), {}};
  m.lanes.push_back(lane);
  const weft::Status s = validate(m);
  ASSERT_FALSE(s.isOk());
  const std::string& msg = s.message();
  for (const char* expected : {
           "line 'L': unknown site 'Mars'",
           "line 'L': 2 machines need 1 buffer capacities, got 0",
           "machine 'L/M1' is defined twice",
           "machine 'L/M1': no cycle time for product 'A' that the line makes",
           "exponential(mean=-1): mean must be > 0",
           "machine 'L/M1': scrap probability must be in [0, 1)",
           "machine 'L/M1': unknown setup matrix 'nope'",
           "inventory 'Z@S': unknown product 'Z'",
           "inventory 'Z@S': (s,S) needs S > s (s=10, S=5)",
           "inventory 'Z@S': has a reorder policy but no source",
           "demand 'D': site 'S' has no inventory of 'A'",
           "demand 'D': change windows overlap",
           "lane 'X': origin and destination are the same site",
           "lane 'X' lead time: none: no distribution given",
       }) {
    EXPECT_NE(msg.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << msg;
  }
  EXPECT_FALSE(Plant::compile(m).isOk());
  EXPECT_TRUE(validate(benchmarkPlant(3)).isOk()) << validate(benchmarkPlant(3)).message();
}

TEST(Model, ContradictorySources) {
  Model m = supplyModel(true);
  m.inventories[0].lane = "somewhere";
  const weft::Status s = validate(m);
  EXPECT_NE(s.message().find("more than one source"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("unknown lane 'somewhere'"), std::string::npos) << s.message();
}

TEST(Plant, PeriodicReviewOrdersUpToS) {
  // (R,S) with R = 1 day, S = 50, zero lead time, Poisson unit demand of 10 a day: stock
  // starts every day at 50 and falls by the day's demand, so the average on hand is
  // S - lambda R / 2 = 45 (a day's demand above 50 has probability < 1e-15).
  Model m = supplyModel(false);
  m.suppliers[0].leadTime = Dist::deterministic(0);
  m.suppliers[0].interruptions.clear();
  Inventory& i = m.inventories[0];
  i.policy = Policy::kPeriodic;
  i.reviewPeriod = kDay;
  i.S = 50;
  i.initial = 50;
  const PlantResult r = runModel(m, 2001 * kDay, 1 * kDay);
  EXPECT_NEAR(r.inventories[0].avgOnHand, 45, 0.2);
  EXPECT_NEAR(static_cast<double>(r.inventories[0].replenishments), 2000, 5);  // one a day
  EXPECT_EQ(r.inventories[0].unitsFromStock, r.inventories[0].unitsDemanded);
}

TEST(Plant, LaneDisruptionHoldsShipments) {
  // A DC replenished over a lane with a 1-day lead time; the lane is closed days 50..80.
  auto model = [](bool disrupted) {
    Model m;
    m.sites = {"W", "DC"};
    m.products = {"A"};
    m.suppliers.push_back({"V", Dist::deterministic(0), {}});
    Inventory w;
    w.site = "W";
    w.product = "A";
    w.initial = 1000;
    w.policy = Policy::kMinMax;
    w.s = 500;
    w.S = 1000;
    w.primarySupplier = "V";
    m.inventories.push_back(w);
    Lane lane{"W-DC", "W", "DC", Dist::deterministic(1 * kDay), {}};
    if (disrupted) lane.disruptions = {{50 * kDay, 80 * kDay}};
    m.lanes.push_back(lane);
    Inventory dc = w;
    dc.site = "DC";
    dc.primarySupplier.clear();
    dc.lane = "W-DC";
    dc.initial = 60;
    dc.s = 20;
    dc.S = 60;
    m.inventories.push_back(dc);
    m.demands.push_back({"D", "DC", "A", 10, Dist::deterministic(1), 0, true, {}});
    return m;
  };
  const PlantResult ok = runModel(model(false), 120 * kDay);
  const PlantResult cut = runModel(model(true), 120 * kDay);
  EXPECT_LT(ok.inventories[1].zeroStockTime, 5 * kDay);
  EXPECT_GT(cut.inventories[1].zeroStockTime, 25 * kDay);
  EXPECT_GT(cut.inventories[1].avgBacklog, ok.inventories[1].avgBacklog);
}
