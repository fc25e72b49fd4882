// SPDX-License-Identifier: Apache-2.0
// Scenario files: both formats parse to the same changes, every change kind lands in the
// model fields it should, dates are placed with Model::start, and every error names the
// change, lists the closest names and leaves the model unchanged.
#include "engine/twin/scenario.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/sim/model.h"
#include "engine/sim/plant.h"

namespace weft::twin {
namespace {

using sim::kDay;
using sim::kHour;

// Two sites. S1 makes P on L1 (machines A, B) and could make it on L2 (C, "*" cycle time);
// L3 at S2 makes Q only (no cycle time for P). M is bought from Acme (primary) or Bolt
// (backup). S2 gets P over a lane; a second lane goes back.
sim::Model smallModel() {
  sim::Model m;
  m.name = "small";
  m.start = "2025-01-01";
  m.sites = {"S1", "S2"};
  m.products = {"P", "M", "Q"};
  sim::Line l1;
  l1.name = "L1";
  l1.site = "S1";
  sim::Machine a;
  a.name = "A";
  a.cycleTime["P"] = sim::Dist::lognormalMeanSd(60, 10);
  a.cycleTime["*"] = sim::Dist::deterministic(80);
  sim::Machine b;
  b.name = "B";
  b.cycleTime["*"] = sim::Dist::exponential(30);
  l1.machines = {a, b};
  l1.buffers = {2};
  sim::Line l2;
  l2.name = "L2";
  l2.site = "S1";
  sim::Machine c;
  c.name = "C";
  c.cycleTime["*"] = sim::Dist::triangular(50, 60, 90);
  l2.machines = {c};
  sim::Line l3;
  l3.name = "L3";
  l3.site = "S2";
  sim::Machine d;
  d.name = "D";
  d.cycleTime["Q"] = sim::Dist::deterministic(50);
  l3.machines = {d};
  m.lines = {l1, l2, l3};
  sim::Supplier acme{"Acme GmbH / M@S1", sim::Dist::deterministic(2 * kDay), {}};
  sim::Supplier bolt{"Bolt Inc / M@S1", sim::Dist::deterministic(5 * kDay), {}};
  m.suppliers = {acme, bolt};
  m.lanes = {{"S1-S2", "S1", "S2", sim::Dist::deterministic(kDay), {}},
             {"S2-S1", "S2", "S1", sim::Dist::deterministic(kDay), {}}};
  auto inv = [](std::string site, std::string product, int64_t s, int64_t S) {
    sim::Inventory i;
    i.site = std::move(site);
    i.product = std::move(product);
    i.policy = sim::Policy::kMinMax;
    i.s = s;
    i.S = S;
    i.initial = S;
    return i;
  };
  sim::Inventory pS1 = inv("S1", "P", 10, 50);
  pS1.line = "L1";
  sim::Inventory mS1 = inv("S1", "M", 20, 100);
  mS1.primarySupplier = "Acme GmbH / M@S1";
  mS1.backupSupplier = "Bolt Inc / M@S1";
  sim::Inventory pS2 = inv("S2", "P", 5, 20);
  pS2.lane = "S1-S2";
  sim::Inventory qS2 = inv("S2", "Q", 5, 20);
  qS2.line = "L3";
  m.inventories = {pS1, mS1, pS2, qS2};
  auto dem = [](std::string name, std::string site, std::string product, double perDay) {
    sim::Demand d;
    d.name = std::move(name);
    d.site = std::move(site);
    d.product = std::move(product);
    d.ordersPerDay = perDay;
    d.dueAfter = 2 * kDay;
    return d;
  };
  m.demands = {dem("customers of P@S1", "S1", "P", 100), dem("customers of P@S2", "S2", "P", 50),
               dem("consumption of M@S1", "S1", "M", 20), dem("customers of Q@S2", "S2", "Q", 30)};
  m.demands[0].changes = {{{200 * kDay, 250 * kDay}, 0.5}};
  return m;
}

// Everything a scenario can touch, as text, to compare models.
std::string dump(const sim::Model& m) {
  std::ostringstream o;
  for (const auto& d : m.demands) {
    o << "demand " << d.name << ":";
    for (const auto& c : d.changes) {
      o << " [" << c.when.start << "," << c.when.end << ")x" << c.factor;
    }
    o << "\n";
  }
  for (const auto& s : m.suppliers) {
    o << "supplier " << s.name << ":";
    for (const auto& w : s.interruptions) o << " [" << w.start << "," << w.end << ")";
    o << "\n";
  }
  for (const auto& l : m.lanes) {
    o << "lane " << l.name << ":";
    for (const auto& w : l.disruptions) o << " [" << w.start << "," << w.end << ")";
    o << "\n";
  }
  for (const auto& l : m.lines) {
    for (const auto& mc : l.machines) {
      o << "machine " << l.name << "/" << mc.name << " x" << mc.parallel << ":";
      for (const auto& [p, d] : mc.cycleTime) o << " " << p << "=" << d.describe();
      for (const auto& w : mc.outages) o << " [" << w.start << "," << w.end << ")";
      o << "\n";
    }
  }
  for (const auto& i : m.inventories) {
    o << "inventory " << i.product << "@" << i.site << ": " << static_cast<int>(i.policy) << " "
      << i.s << " " << i.S << " " << i.reviewPeriod << " " << i.initial << " line=" << i.line
      << " lane=" << i.lane << " sup=" << i.primarySupplier << "\n";
  }
  return o.str();
}

Scenario parseOk(std::string_view text, ScenarioFormat f, const std::string& name = "t") {
  auto r = parseScenario(text, f, name);
  EXPECT_TRUE(r.isOk()) << r.status().message();
  return r.isOk() ? std::move(r).value() : Scenario{};
}

// The error message of applying `json` to the small model, which must stay unchanged.
std::string applyError(const std::string& json, sim::Model m = smallModel()) {
  auto sc = parseScenario(json, ScenarioFormat::kJson, "s.json");
  if (!sc) return "PARSE: " + sc.status().message();
  const std::string before = dump(m);
  Status st = applyScenario(*sc, m);
  EXPECT_EQ(dump(m), before) << "the model changed although applying failed";
  return st.isOk() ? std::string("OK") : st.message();
}

constexpr const char* kJsonAll = R"({
  "name": "everything",
  "description": "one change of each kind",
  "comment": "comments are allowed and ignored",
  "changes": [
    {"kind": "supplierInterruption", "supplier": "Acme GmbH",
     "from": "2025-07-14", "to": "2025-08-25"},
    {"kind": "demand", "product": "P", "site": "S1", "factor": 1.4,
     "from": "2025-07-01", "through": "2025-12-31"},
    {"kind": "machineFailure", "line": "L1", "machine": "B",
     "from": "2025-03-10T06:00:00Z", "duration": "3d"},
    {"kind": "laneDisruption", "lane": "S1-S2", "from": "30d", "duration": "P2W"},
    {"kind": "addMachine", "line": "L2", "count": 2},
    {"kind": "capacity", "line": "L1", "factor": 1.25, "label": "faster L1"},
    {"kind": "moveProduction", "product": "P", "fromLine": "L1", "toLine": "L3"},
    {"kind": "policy", "inventory": "M@S1", "policy": "periodic", "reviewPeriod": "7d",
     "orderUpTo": 150, "initialStock": 80}
  ]
})";

constexpr const char* kTurtleAll = R"(
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

<#s> a dt:Scenario ;
  rdfs:label "everything" ;
  dt:description "one change of each kind" ;
  rdfs:comment "comments are allowed and ignored" ;
  dt:change
    [ a dt:SupplierInterruption ; dt:supplierName "Acme GmbH" ;
      dt:from "2025-07-14"^^xsd:date ; dt:to "2025-08-25"^^xsd:date ] ,
    [ a dt:DemandChange ; dt:productName "P" ; dt:siteName "S1" ; dt:factor 1.4 ;
      dt:from "2025-07-01"^^xsd:date ; dt:through "2025-12-31"^^xsd:date ] ,
    [ a dt:MachineFailure ; dt:lineName "L1" ; dt:machineName "B" ;
      dt:from "2025-03-10T06:00:00Z"^^xsd:dateTime ; dt:duration "3d" ] ,
    [ a dt:LaneDisruption ; dt:laneName "S1-S2" ; dt:from "30d" ;
      dt:duration "P2W"^^xsd:duration ] ,
    [ a dt:AddMachine ; dt:lineName "L2" ; dt:count 2 ] ,
    [ a dt:CapacityChange ; dt:lineName "L1" ; dt:factor 1.25 ; rdfs:label "faster L1" ] ,
    [ a dt:MoveProduction ; dt:productName "P" ; dt:fromLineName "L1" ; dt:toLineName "L3" ] ,
    [ a dt:PolicyChange ; dt:inventoryName "M@S1" ; dt:policy "periodic" ; dt:reviewPeriod "7d" ;
      dt:orderUpTo 150 ; dt:initialStock 80 ] .
)";

TEST(Scenario, JsonAndTurtleGiveTheSameModel) {
  Scenario js = parseOk(kJsonAll, ScenarioFormat::kJson, "all.json");
  Scenario tt = parseOk(kTurtleAll, ScenarioFormat::kTurtle, "all.ttl");
  ASSERT_EQ(js.changes.size(), 8u);
  ASSERT_EQ(tt.changes.size(), 8u);
  EXPECT_EQ(js.name, "everything");
  EXPECT_EQ(tt.name, "everything");
  EXPECT_EQ(tt.description, js.description);
  for (size_t i = 0; i < js.changes.size(); ++i) {
    EXPECT_EQ(describeChange(js.changes[i]), describeChange(tt.changes[i])) << i;
  }
  EXPECT_EQ(js.changes[5].label, "faster L1");
  EXPECT_EQ(tt.changes[5].label, "faster L1");
  sim::Model a = smallModel(), b = smallModel();
  std::vector<std::string> appliedA, appliedB;
  ASSERT_TRUE(applyScenario(js, a, &appliedA).isOk());
  ASSERT_TRUE(applyScenario(tt, b, &appliedB).isOk());
  EXPECT_EQ(dump(a), dump(b));
  EXPECT_NE(dump(a), dump(smallModel()));
  EXPECT_EQ(appliedA, appliedB);
  EXPECT_EQ(js.sha256.size(), 64u);
  EXPECT_NE(js.sha256, tt.sha256);
}

TEST(Scenario, Sha256OfTheBytes) {
  // SHA-256 of "" is e3b0...; a scenario needs changes, so hash a real one twice instead.
  Scenario a = parseOk(kJsonAll, ScenarioFormat::kJson);
  Scenario b = parseOk(kJsonAll, ScenarioFormat::kJson);
  EXPECT_EQ(a.sha256, b.sha256);
  std::string other = kJsonAll;
  other += "\n";
  EXPECT_NE(parseOk(other, ScenarioFormat::kJson).sha256, a.sha256);
}

TEST(Scenario, SupplierInterruptionByVendorWithDates) {
  Scenario sc = parseOk(R"({"changes": [{"kind": "supplierInterruption", "supplier": "Acme GmbH",
      "from": "2025-07-14", "to": "2025-08-25"}]})", ScenarioFormat::kJson);
  sim::Model m = smallModel();
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  ASSERT_EQ(m.suppliers[0].interruptions.size(), 1u);
  EXPECT_EQ(m.suppliers[0].interruptions[0].start, 194 * kDay);  // 2025-07-14 - 2025-01-01
  EXPECT_EQ(m.suppliers[0].interruptions[0].end, 236 * kDay);    // 6 weeks later
  EXPECT_TRUE(m.suppliers[1].interruptions.empty());
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0],
            "supplier 'Acme GmbH / M@S1': interrupted 2025-07-14..2025-08-25 (day 194..236)");

  // The full name, and the product filter.
  Scenario full = parseOk(R"({"changes": [{"kind": "supplierInterruption",
      "supplier": "Bolt Inc / M@S1", "from": "10d", "duration": "12h"}]})", ScenarioFormat::kJson);
  ASSERT_TRUE(applyScenario(full, m).isOk());
  ASSERT_EQ(m.suppliers[1].interruptions.size(), 1u);
  EXPECT_EQ(m.suppliers[1].interruptions[0].start, 10 * kDay);
  EXPECT_EQ(m.suppliers[1].interruptions[0].end, 10 * kDay + 12 * kHour);
  EXPECT_NE(applyError(R"({"changes": [{"kind": "supplierInterruption", "supplier": "Acme GmbH",
      "product": "Q", "from": "1d", "to": "2d"}]})").find("supplies nothing matching product 'Q'; "
                                                          "its supplies: 'Acme GmbH / M@S1'"),
            std::string::npos);
}

TEST(Scenario, TimesAndDates) {
  auto first = [](const std::string& from, const std::string& end) {
    Scenario sc = parseOk("{\"changes\": [{\"kind\": \"laneDisruption\", \"lane\": \"S1-S2\", "
                          "\"from\": \"" + from + "\", " + end + "}]}",
                          ScenarioFormat::kJson);
    sim::Model m = smallModel();
    Status st = applyScenario(sc, m);
    EXPECT_TRUE(st.isOk()) << st.message();
    return m.lanes[0].disruptions.empty() ? sim::Window{-1, -1} : m.lanes[0].disruptions[0];
  };
  sim::Window w = first("2025-07-14T06:00:00+02:00", "\"to\": \"2025-07-15\"");
  EXPECT_EQ(w.start, 194 * kDay + 4 * kHour);
  EXPECT_EQ(w.end, 195 * kDay);
  w = first("2025-10-01", "\"through\": \"2025-12-31\"");  // Q4, the last day included
  EXPECT_EQ(w.start, 273 * kDay);
  EXPECT_EQ(w.end, 365 * kDay);
  w = first("2w", "\"duration\": \"PT36H\"");
  EXPECT_EQ(w.start, 14 * kDay);
  EXPECT_EQ(w.end, 14 * kDay + 36 * kHour);
  w = first("2024-12-30", "\"duration\": \"3d\"");  // starts before time 0: clipped
  EXPECT_EQ(w.start, 0);
  EXPECT_EQ(w.end, kDay);
  w = first("2025-03-01T12:30:00", "\"duration\": \"1h\"");  // no zone: UTC
  EXPECT_EQ(w.start, 59 * kDay + 12.5 * kHour);

  // A start with a time of day.
  sim::Model m = smallModel();
  m.start = "2025-01-01T06:00:00Z";
  Scenario sc = parseOk(R"({"changes": [{"kind": "laneDisruption", "lane": "S1-S2",
      "from": "2025-01-02", "to": "2025-01-03"}]})", ScenarioFormat::kJson);
  ASSERT_TRUE(applyScenario(sc, m).isOk());
  EXPECT_EQ(m.lanes[0].disruptions[0].start, 18 * kHour);
}

TEST(Scenario, DemandChangesMultiplyExistingOnes) {
  // Existing: x0.5 on day 200..250. New: x1.4 on day 181..365 (2025-07-01 through 12-31).
  Scenario sc = parseOk(R"({"changes": [{"kind": "demand", "product": "P", "factor": 1.4,
      "from": "2025-07-01", "through": "2025-12-31"}]})", ScenarioFormat::kJson);
  sim::Model m = smallModel();
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  const auto& ch = m.demands[0].changes;
  ASSERT_EQ(ch.size(), 3u);
  EXPECT_EQ(ch[0].when.start, 181 * kDay);
  EXPECT_EQ(ch[0].when.end, 200 * kDay);
  EXPECT_DOUBLE_EQ(ch[0].factor, 1.4);
  EXPECT_EQ(ch[1].when.start, 200 * kDay);
  EXPECT_EQ(ch[1].when.end, 250 * kDay);
  EXPECT_DOUBLE_EQ(ch[1].factor, 0.7);
  EXPECT_EQ(ch[2].when.start, 250 * kDay);
  EXPECT_EQ(ch[2].when.end, 365 * kDay);
  EXPECT_DOUBLE_EQ(ch[2].factor, 1.4);
  // Both demands of P (S1 and S2) change; M's does not.
  ASSERT_EQ(m.demands[1].changes.size(), 1u);
  EXPECT_TRUE(m.demands[2].changes.empty());
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_NE(applied[0].find("demand 'customers of P@S1': order rate x1.4 2025-07-01..2026-01-01 "
                            "(day 181..365); combined with existing changes: x0.5"),
            std::string::npos)
      << applied[0];
  EXPECT_TRUE(sim::validate(m).isOk()) << sim::validate(m).message();

  // A window that cuts an existing change in the middle splits it in three.
  sim::Model m2 = smallModel();
  Scenario inner = parseOk(R"({"changes": [{"kind": "demand", "demand": "customers of P@S1",
      "factor": 2, "from": "210d", "to": "220d"}]})", ScenarioFormat::kJson);
  ASSERT_TRUE(applyScenario(inner, m2).isOk());
  const auto& c2 = m2.demands[0].changes;
  ASSERT_EQ(c2.size(), 3u);
  EXPECT_DOUBLE_EQ(c2[0].factor, 0.5);
  EXPECT_EQ(c2[0].when.end, 210 * kDay);
  EXPECT_DOUBLE_EQ(c2[1].factor, 1.0);
  EXPECT_DOUBLE_EQ(c2[2].factor, 0.5);
  EXPECT_EQ(c2[2].when.start, 220 * kDay);
  EXPECT_TRUE(sim::validate(m2).isOk());
}

TEST(Scenario, MachinesCapacityAndParallelUnits) {
  Scenario sc = parseOk(R"({"changes": [
      {"kind": "machineFailure", "machine": "C", "from": "100d", "duration": "3d"},
      {"kind": "machineFailure", "line": "L1", "from": "50d", "duration": "1d"},
      {"kind": "addMachine", "machine": "L1/A"},
      {"kind": "capacity", "machine": "A", "factor": 2},
      {"kind": "capacity", "line": "L2", "product": "P", "factor": 0.5}]})",
                        ScenarioFormat::kJson);
  sim::Model m = smallModel();
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  const sim::Machine& A = m.lines[0].machines[0];
  const sim::Machine& B = m.lines[0].machines[1];
  const sim::Machine& C = m.lines[1].machines[0];
  ASSERT_EQ(C.outages.size(), 1u);
  EXPECT_EQ(C.outages[0].start, 100 * kDay);
  EXPECT_EQ(C.outages[0].end, 103 * kDay);
  EXPECT_EQ(A.outages.size(), 1u);  // a line without "machine": all its machines
  EXPECT_EQ(B.outages.size(), 1u);
  EXPECT_EQ(A.parallel, 2);
  EXPECT_EQ(B.parallel, 1);
  EXPECT_NEAR(A.cycleTime.at("P").mean(), 30, 1e-9);  // lognormal: mu - ln 2
  EXPECT_NEAR(std::sqrt(A.cycleTime.at("P").variance()), 5, 1e-9);
  EXPECT_EQ(A.cycleTime.at("*").a, 40);
  EXPECT_EQ(B.cycleTime.at("*").a, 30);  // not named
  // A product-specific entry copied from "*", doubled.
  EXPECT_NEAR(C.cycleTime.at("P").mean(), 2 * C.cycleTime.at("*").mean(), 1e-9);
  EXPECT_EQ(C.cycleTime.at("P").kind, sim::DistKind::kTriangular);
  EXPECT_EQ(applied.size(), 6u);
  EXPECT_EQ(applied[3], "machine 'L1/A': parallel units 1 -> 2");
}

// Capacity x f divides every kind of cycle-time distribution by f: mean / f, sd / f.
TEST(Scenario, CapacityScalesEveryDistributionKind) {
  sim::Model m = smallModel();
  auto& ct = m.lines[1].machines[0].cycleTime;
  ct.clear();
  ct["d"] = sim::Dist::deterministic(60);
  ct["u"] = sim::Dist::uniform(40, 80);
  ct["e"] = sim::Dist::exponential(60);
  ct["n"] = sim::Dist::normal(60, 5);
  ct["l"] = sim::Dist::lognormalMeanSd(60, 12);
  ct["w"] = sim::Dist::weibull(2.5, 70);
  ct["g"] = sim::Dist::gamma(3, 20);
  ct["t"] = sim::Dist::triangular(40, 55, 90);
  ct["x"] = sim::Dist::empirical({50, 55, 61, 70, 80});
  ct["*"] = sim::Dist::deterministic(60);
  const sim::Model before = m;
  const double empiricalMean = ct["x"].mean();
  Scenario sc = parseOk(R"({"changes": [{"kind": "capacity", "machine": "C", "factor": 1.6}]})",
                        ScenarioFormat::kJson);
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  ASSERT_EQ(applied.size(), 1u);
  for (const auto& [product, d] : before.lines[1].machines[0].cycleTime) {
    const sim::Dist& n = m.lines[1].machines[0].cycleTime.at(product);
    EXPECT_EQ(n.kind, d.kind) << product;
    EXPECT_NEAR(n.mean(), d.mean() / 1.6, 1e-9 * d.mean()) << product;
    EXPECT_NEAR(n.variance(), d.variance() / (1.6 * 1.6), 1e-9 * (1 + d.variance())) << product;
    EXPECT_TRUE(n.check(product).isOk()) << product;
  }
  // The empirical table of the baseline is shared, not scaled in place.
  EXPECT_EQ(before.lines[1].machines[0].cycleTime.at("x").mean(), empiricalMean);
}

TEST(Scenario, NothingChangesWhenOneChangeFails) {
  Scenario sc = parseOk(R"({"changes": [
      {"kind": "addMachine", "machine": "C"},
      {"kind": "demand", "product": "P", "factor": 2, "from": "1d", "to": "2d"},
      {"kind": "laneDisruption", "lane": "nowhere", "from": "1d", "to": "2d"}]})",
                        ScenarioFormat::kJson, "s.json");
  sim::Model m = smallModel();
  const std::string before = dump(m);
  std::vector<std::string> applied = {"earlier line"};
  Status st = applyScenario(sc, m, &applied);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().find('\n'), std::string::npos) << st.message();  // one problem
  EXPECT_EQ(dump(m), before);
  EXPECT_EQ(m.lines[1].machines[0].parallel, 1);
  EXPECT_EQ(applied, std::vector<std::string>{"earlier line"});

  m.start = "2025-13-01";
  Scenario ok = parseOk(R"({"changes": [{"kind": "addMachine", "machine": "C"}]})",
                        ScenarioFormat::kJson);
  st = applyScenario(ok, m);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("the model's start date \"2025-13-01\""), std::string::npos);
}

TEST(Scenario, MoveProductionAcrossSitesUsesALane) {
  Scenario sc = parseOk(R"({"changes": [{"kind": "moveProduction", "product": "P",
      "fromLine": "L1", "toLine": "L3"}]})", ScenarioFormat::kJson);
  sim::Model m = smallModel();
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  // L3 had no cycle time for P: copied from L1/A.
  EXPECT_EQ(m.lines[2].machines[0].cycleTime.at("P").describe(),
            m.lines[0].machines[0].cycleTime.at("P").describe());
  EXPECT_EQ(m.inventories[0].line, "");    // P@S1
  EXPECT_EQ(m.inventories[0].lane, "S2-S1");
  EXPECT_EQ(m.inventories[2].line, "L3");  // P@S2, was shipped over S1-S2
  EXPECT_EQ(m.inventories[2].lane, "");
  EXPECT_TRUE(sim::validate(m).isOk()) << sim::validate(m).message();
  ASSERT_EQ(applied.size(), 3u);
  EXPECT_NE(applied[0].find("copied from 'L1/A'"), std::string::npos);

  // Within a site, just the source changes; L2's "*" covers P, nothing copied.
  sim::Model m2 = smallModel();
  Scenario same = parseOk(R"({"changes": [{"kind": "moveProduction", "product": "P",
      "fromLine": "L1", "toLine": "L2"}]})", ScenarioFormat::kJson);
  applied.clear();
  ASSERT_TRUE(applyScenario(same, m2, &applied).isOk());
  EXPECT_EQ(m2.inventories[0].line, "L2");
  EXPECT_EQ(m2.lines[1].machines[0].cycleTime.count("P"), 0u);
  EXPECT_EQ(applied,
            std::vector<std::string>{"inventory 'P@S1': made on line 'L2' instead of 'L1'"});

  // No lane back: refused.
  sim::Model m3 = smallModel();
  m3.lanes.pop_back();
  EXPECT_NE(applyError(R"({"changes": [{"kind": "moveProduction", "product": "P",
      "fromLine": "L1", "toLine": "L3"}]})", m3).find("with a lane from 'S2' to 'S1'"),
            std::string::npos);
}

TEST(Scenario, PolicyChanges) {
  Scenario sc = parseOk(R"({"changes": [
      {"kind": "policy", "product": "P", "site": "S2", "reorderPoint": 8, "orderUpTo": 40},
      {"kind": "policy", "inventory": "Q@S2", "policy": "none"}]})", ScenarioFormat::kJson);
  sim::Model m = smallModel();
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  EXPECT_EQ(m.inventories[2].s, 8);
  EXPECT_EQ(m.inventories[2].S, 40);
  EXPECT_EQ(m.inventories[2].policy, sim::Policy::kMinMax);
  EXPECT_EQ(m.inventories[3].policy, sim::Policy::kNone);
  EXPECT_EQ(m.inventories[0].s, 10);  // P@S1 untouched
  EXPECT_EQ(applied[0], "inventory 'P@S2': policy (s,S) = (5,20) -> (s,S) = (8,40)");
  EXPECT_NE(applyError(R"({"changes": [{"kind": "policy", "inventory": "P@S1", "orderUpTo": 5}]})")
                .find("needs S > s"),
            std::string::npos);
  EXPECT_NE(applyError(R"({"changes": [{"kind": "policy", "inventory": "P@S1",
      "policy": "periodic"}]})").find("(R,S) needs reviewPeriod > 0"),
            std::string::npos);
}

TEST(Scenario, UnknownTargetsListTheClosestNames) {
  std::string e = applyError(R"({"changes": [
      {"kind": "supplierInterruption", "supplier": "Acme GmbG", "from": "1d", "to": "2d"},
      {"kind": "demand", "product": "PP", "factor": 2, "from": "1d", "to": "2d"},
      {"kind": "machineFailure", "line": "L9", "from": "1d", "to": "2d"},
      {"kind": "laneDisruption", "lane": "S1_S2", "from": "1d", "to": "2d"},
      {"kind": "policy", "inventory": "M@S9", "policy": "none"},
      {"kind": "addMachine", "line": "L1"}]})");
  EXPECT_NE(e.find("s.json:2:7: supplierInterruption change: no supplier named 'Acme GmbG'"),
            std::string::npos) << e;
  EXPECT_NE(e.find("(closest: 'Acme GmbH'"), std::string::npos) << e;
  EXPECT_NE(e.find("s.json:3:7: demand change: no demand for product 'PP' (closest: 'P'"),
            std::string::npos) << e;
  EXPECT_NE(e.find("no line named 'L9' (closest: 'L1'"), std::string::npos) << e;
  EXPECT_NE(e.find("no lane named 'S1_S2' (closest: 'S1-S2'"), std::string::npos) << e;
  EXPECT_NE(e.find("no inventory 'M@S9' (closest: 'M@S1'"), std::string::npos) << e;
  EXPECT_NE(e.find("line 'L1' has 2 machines; name one with \"machine\": 'A', 'B'"),
            std::string::npos) << e;
  // One problem per line, all of them.
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 5) << e;
}

TEST(Scenario, UnknownKeysAndBadValuesAreErrorsWithLineAndColumn) {
  auto r = parseScenario("{\"changes\": [\n  {\"kind\": \"demand\", \"product\": \"P\",\n"
                         "   \"fator\": 1.4, \"from\": \"2025-02-30\", \"to\": \"5x\"}\n]}",
                         ScenarioFormat::kJson, "s.json");
  ASSERT_FALSE(r.isOk());
  const std::string& e = r.status().message();
  EXPECT_NE(e.find("s.json:3:4: demand change: unknown key 'fator' (closest: 'factor'"),
            std::string::npos) << e;
  EXPECT_NE(e.find("s.json:3:18: demand change: from \"2025-02-30\": no such date"),
            std::string::npos) << e;
  EXPECT_NE(e.find("s.json:3:40: demand change: to \"5x\": neither a date"), std::string::npos)
      << e;
  EXPECT_NE(e.find("s.json:2:3: demand change: no \"factor\""), std::string::npos) << e;

  auto k = parseScenario(R"({"chnages": []})", ScenarioFormat::kJson, "s.json");
  ASSERT_FALSE(k.isOk());
  EXPECT_NE(k.status().message().find("s.json:1:2: unknown key 'chnages' (closest: 'changes'"),
            std::string::npos) << k.status().message();

  auto kind = parseScenario(R"({"changes": [{"kind": "supplierInterupption"}]})",
                            ScenarioFormat::kJson, "s.json");
  ASSERT_FALSE(kind.isOk());
  EXPECT_NE(kind.status().message().find("unknown kind 'supplierInterupption' (closest: "
                                         "'supplierInterruption'"),
            std::string::npos) << kind.status().message();

  auto apply = parseScenario(R"({"changes": [{"kind": "capacity", "line": "L1", "factor": 2,
      "from": "1d"}]})", ScenarioFormat::kJson, "s.json");
  ASSERT_FALSE(apply.isOk());
  EXPECT_NE(apply.status().message().find("key 'from' does not apply to this kind (it changes "
                                          "the model for the whole run)"),
            std::string::npos) << apply.status().message();

  auto types = parseScenario(R"({"changes": [{"kind": "demand", "product": 3, "factor": "1.4",
      "from": "1d", "through": "20d"}]})", ScenarioFormat::kJson, "s.json");
  ASSERT_FALSE(types.isOk());
  EXPECT_NE(types.status().message().find("product must be a string, not a number"),
            std::string::npos);
  EXPECT_NE(types.status().message().find("factor must be a number (not the string \"1.4\")"),
            std::string::npos);
  EXPECT_NE(types.status().message().find("through takes a date"), std::string::npos);

  auto twoEnds = parseScenario(R"({"changes": [{"kind": "laneDisruption", "lane": "x",
      "from": "1d", "to": "2d", "duration": "1d"}]})", ScenarioFormat::kJson, "s.json");
  ASSERT_FALSE(twoEnds.isOk());
  EXPECT_NE(twoEnds.status().message().find("give only one of"), std::string::npos);
}

TEST(Scenario, JsonSyntaxErrorsCarryLineAndColumn) {
  auto r = parseScenario("{\"changes\": [\n  {\"kind\": \"demand\",, }\n]}", ScenarioFormat::kJson,
                         "bad.json");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kSyntaxError);
  EXPECT_EQ(r.status().message().rfind("bad.json:2:21: ", 0), 0u) << r.status().message();
  auto dup = parseScenario("{\"changes\": [],\n \"changes\": []}", ScenarioFormat::kJson, "d.json");
  ASSERT_FALSE(dup.isOk());
  EXPECT_EQ(dup.status().message(), "d.json:2:2: key \"changes\" is given twice in one object");
}

TEST(Scenario, DatesNeedAStartAndWindowsMustBeValid) {
  sim::Model m = smallModel();
  m.start.clear();
  std::string e = applyError(R"({"changes": [{"kind": "laneDisruption", "lane": "S1-S2",
      "from": "2025-07-14", "duration": "3d"}]})", m);
  EXPECT_NE(e.find("s.json:1:14: laneDisruption change: \"2025-07-14\" is a date, but the model "
                   "has no start date"),
            std::string::npos) << e;
  // Offsets work without a start; the message then gives days.
  Scenario sc = parseOk(R"({"changes": [{"kind": "laneDisruption", "lane": "S1-S2",
      "from": "7d", "duration": "3d"}]})", ScenarioFormat::kJson);
  std::vector<std::string> applied;
  ASSERT_TRUE(applyScenario(sc, m, &applied).isOk());
  EXPECT_EQ(applied[0], "lane 'S1-S2' (S1 -> S2): disrupted day 7..10");

  EXPECT_NE(applyError(R"({"changes": [{"kind": "laneDisruption", "lane": "S1-S2",
      "from": "2025-07-14", "to": "2025-07-01"}]})").find("is empty or ends before it starts"),
            std::string::npos);
  EXPECT_NE(applyError(R"({"changes": [{"kind": "laneDisruption", "lane": "S1-S2",
      "from": "2024-07-14", "to": "2024-08-01"}]})").find("ends before the simulation starts"),
            std::string::npos);
}

TEST(Scenario, OverlappingFailuresOfOneMachineAreRefused) {
  std::string e = applyError(R"({"changes": [
      {"kind": "machineFailure", "machine": "C", "from": "100d", "duration": "3d"},
      {"kind": "machineFailure", "machine": "C", "from": "102d", "duration": "3d"}]})");
  EXPECT_NE(e.find("s.json:3:7: machineFailure change: machine 'L2/C' already has an outage at "
                   "day 100..103, which overlaps"),
            std::string::npos) << e;
}

TEST(Scenario, TurtleErrors) {
  auto r = parseScenario(R"(
@prefix dt: <https://w3id.org/weft/dt#> .
<#s> a dt:Scenario ; dt:chnage [ a dt:DemandChange ] ;
  dt:change [ a dt:DemandChang ; dt:productName "P" ] ,
            [ a dt:LaneDisruption ; dt:laneName "x" ; dt:from "1d" ; dt:duraton "1d" ] .
)", ScenarioFormat::kTurtle, "t.ttl");
  ASSERT_FALSE(r.isOk());
  const std::string& e = r.status().message();
  EXPECT_NE(e.find("t.ttl: the scenario: unknown property dt:chnage"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown change type dt:DemandChang (closest: 'dt:DemandChange'"),
            std::string::npos) << e;
  EXPECT_NE(e.find("t.ttl: change 2 dt:duraton: unknown property dt:duraton (closest: "
                   "'dt:duration'"),
            std::string::npos) << e;
  EXPECT_NE(e.find("neither the dt:Scenario nor one of its dt:change nodes"), std::string::npos)
      << e;

  auto syntax = parseScenario("@prefix dt: <https://w3id.org/weft/dt#> .\n<#s> a dt:Scenario ;;",
                              ScenarioFormat::kTurtle, "t.ttl");
  ASSERT_FALSE(syntax.isOk());
  EXPECT_EQ(syntax.status().code(), StatusCode::kSyntaxError);
  EXPECT_NE(syntax.status().message().find("t.ttl:2"), std::string::npos)
      << syntax.status().message();

  auto none = parseScenario("<#a> <#b> <#c> .", ScenarioFormat::kTurtle, "t.ttl");
  ASSERT_FALSE(none.isOk());
  EXPECT_NE(none.status().message().find("no dt:Scenario"), std::string::npos);
}

TEST(Scenario, SizeLimitAndFiles) {
  std::string big(kMaxScenarioBytes + 1, ' ');
  auto r = parseScenario(big, ScenarioFormat::kJson, "big.json");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("at most 1048576 bytes"), std::string::npos);

  const auto dir = std::filesystem::temp_directory_path() / "weft_scenario_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "s.json").string();
  {
    std::ofstream(path) << kJsonAll;
  }
  auto f = parseScenarioFile(path);
  ASSERT_TRUE(f.isOk()) << f.status().message();
  EXPECT_EQ(f->changes.size(), 8u);
  EXPECT_EQ(f->changes[0].source, path + ":6:5");
  auto ext = parseScenarioFile((dir / "s.yaml").string());
  ASSERT_FALSE(ext.isOk());
  EXPECT_NE(ext.status().message().find(".json or .ttl"), std::string::npos);
  auto missing = parseScenarioFile((dir / "missing.json").string());
  ASSERT_FALSE(missing.isOk());
  std::filesystem::remove_all(dir);
}

// The example scenarios in examples/pharma-network/scenarios parse, and the Turtle one matches
// its JSON twin.
TEST(Scenario, ExampleFilesParse) {
  const std::filesystem::path dir =
      std::filesystem::path(WEFT_SOURCE_DIR) / "examples/pharma-network/scenarios";
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".json" && ext != ".ttl") continue;
    auto sc = parseScenarioFile(entry.path().string());
    EXPECT_TRUE(sc.isOk()) << entry.path() << ": " << sc.status().message();
    ++n;
  }
  EXPECT_GE(n, 5);
  auto ttl = parseScenarioFile((dir / "supplier-interruption.ttl").string());
  auto json = parseScenarioFile((dir / "supplier-interruption.json").string());
  ASSERT_TRUE(ttl.isOk() && json.isOk());
  ASSERT_EQ(ttl->changes.size(), json->changes.size());
  for (size_t i = 0; i < ttl->changes.size(); ++i) {
    EXPECT_EQ(describeChange(ttl->changes[i]), describeChange(json->changes[i]));
  }
}

TEST(Scenario, AppliedModelCompilesAndRuns) {
  Scenario sc = parseOk(kJsonAll, ScenarioFormat::kJson);
  sim::Model m = smallModel();
  ASSERT_TRUE(applyScenario(sc, m).isOk());
  auto plant = sim::Plant::compile(m);
  ASSERT_TRUE(plant.isOk()) << plant.status().message();
  sim::RunOptions o;
  o.horizon = 120 * kDay;
  o.traceLimit = 100000;
  sim::PlantResult r = plant->run(o);
  EXPECT_GT(r.events, 0u);
  // The L1/B failure of 2025-03-10 06:00 (day 68.25) shows in the trace.
  bool outage = false;
  for (const sim::TraceEvent& t : r.trace) {
    if (t.kind == sim::TraceKind::kOutageStart && t.subject == "L1/B") {
      outage = true;
      EXPECT_NEAR(t.time, 68.25 * kDay, 1e-6);
      EXPECT_NEAR(t.value, 3 * kDay, 1e-6);
    }
  }
  EXPECT_TRUE(outage);
}

}  // namespace
}  // namespace weft::twin
