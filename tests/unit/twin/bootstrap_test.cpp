// SPDX-License-Identifier: Apache-2.0
// Twin bootstrapping for a site without history: equipment of the new site is matched to the
// comparable equipment of an existing site, the like line is reproduced with cycle times
// scaled by capacity, and every borrowed parameter names its source.
#include "engine/twin/bootstrap.h"

#include <gtest/gtest.h>

#include "engine/db/database.h"
#include "engine/rdf/syntax.h"
#include "engine/sim/experiment.h"
#include "engine/sim/plant.h"
#include "engine/store/store.h"

namespace weft::twin {
namespace {

// S1 has a fill line (FL-1, 1000 vials a week) and an inspector (IN-1, 2000) with batches;
// S2 (planned) has a faster fill line FL-2 (2000 vials), an inspector IN-2 and a tablet press
// that nothing at S1 resembles, and plans the 10 mL vial only.
constexpr const char* kData = R"(
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix iof:  <https://spec.industrialontologies.org/ontology/construct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:   <http://example.org/> .

<http://example.org/g/s1> {
  ex:S1 rdfs:label "Old Plant" ; dt:plantCode "S1" .
  ex:FL1 a iof:ProductionLine ; rdfs:label "Aseptic vial fill line" ; dt:equipmentId "FL-1" ;
         dt:site ex:S1 ; dt:capacityPerWeek 1000 ; dt:capacityUnit "vial" .
  ex:IN1 a iof:PhysicalUnit ; rdfs:label "Visual inspection machine" ; dt:equipmentId "IN-1" ;
         dt:site ex:S1 ; dt:capacityPerWeek 2000 ; dt:capacityUnit "vial" .
  ex:b1 dt:executedOn ex:FL1 , ex:IN1 .
}
<http://example.org/g/s2> {
  ex:S2 rdfs:label "New Plant" ; dt:plantCode "S2" ; dt:plannedProduct ex:v10 .
  ex:v10 rdfs:label "Vial 10 mL" .
  ex:FL2 a iof:ProductionLine ; rdfs:label "Aseptic vial fill line, high speed" ;
         dt:equipmentId "FL-2" ; dt:site ex:S2 ; dt:capacityPerWeek 2000 ; dt:capacityUnit "vial" .
  ex:IN2 a iof:PhysicalUnit ; rdfs:label "Visual inspection machine" ; dt:equipmentId "IN-2" ;
         dt:site ex:S2 ; dt:capacityPerWeek 2000 ; dt:capacityUnit "vial" .
  ex:TP2 a iof:PhysicalUnit ; rdfs:label "Rotary tablet press" ; dt:equipmentId "TP-2" ;
         dt:site ex:S2 ; dt:capacityPerWeek 900000 ; dt:capacityUnit "tablet" .
}
)";

std::unique_ptr<store::Store> load(const char* text) {
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  EXPECT_TRUE(txn.isOk());
  store::Loader loader(txn.value().get());
  loader.startDocument();
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTriG;
  ro.base_iri = "http://example.org/";
  EXPECT_TRUE(rdf::readString(text, ro, loader).isOk());
  EXPECT_TRUE(txn.value()->commit().isOk());
  return st;
}

// The calibrated network model as buildModel would give it: line FL-1 = FL-1 -> IN-1 at S1
// making two vials, with failures on FL-1 and scrap on IN-1.
ModelReport likeModel() {
  ModelReport rep;
  sim::Model& m = rep.model;
  m.start = "2025-01-01";
  m.sites = {"S1"};
  m.products = {"Vial 10 mL", "Vial 20 mL"};
  sim::Line l;
  l.name = "FL-1";
  l.site = "S1";
  sim::Machine fl;
  fl.name = "FL-1";
  fl.cycleTime["*"] = sim::Dist::lognormalMeanSd(604.8, 60);
  fl.failures.push_back({"stop", sim::Dist::weibull(1.5, 200 * sim::kHour),
                         sim::Dist::exponential(4 * sim::kHour), sim::FailureClock::kCalendar});
  sim::Machine in;
  in.name = "IN-1";
  in.cycleTime["*"] = sim::Dist::deterministic(302.4);
  in.scrap["*"] = 0.02;
  l.machines = {fl, in};
  l.buffers = {10};
  m.lines.push_back(l);
  for (const char* p : {"Vial 10 mL", "Vial 20 mL"}) {
    sim::Inventory inv;
    inv.site = "S1";
    inv.product = p;
    inv.line = "FL-1";
    inv.policy = sim::Policy::kMinMax;
    inv.s = 100;
    inv.S = 400;
    m.inventories.push_back(inv);
    sim::Demand d;
    d.name = std::string("customers of ") + p;
    d.site = "S1";
    d.product = p;
    d.ordersPerDay = 1;
    d.quantity = sim::Dist::deterministic(std::string(p) == "Vial 10 mL" ? 90 : 30);
    m.demands.push_back(d);
  }
  return rep;
}

bool borrowed(const BootstrapResult& r, const std::string& item, const std::string& param,
              const std::string& from) {
  for (const auto& b : r.borrowed)
    if (b.item.find(item) != std::string::npos && b.parameter.find(param) != std::string::npos &&
        b.from.find(from) != std::string::npos)
      return true;
  return false;
}

TEST(Bootstrap, ReproducesTheLikeLineWithScaledCycleTimes) {
  auto st = load(kData);
  db::StoreDataset data(st->snapshot());
  BootstrapOptions o;
  o.site = "S2";
  o.like = "Old Plant";  // by label
  auto r = bootstrapSite(data, likeModel(), o);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const sim::Model& m = r.value().model;
  ASSERT_EQ(m.lines.size(), 1u);
  const sim::Line& l = m.lines[0];
  EXPECT_EQ(l.name, "FL-2");
  EXPECT_EQ(l.site, "S2");
  ASSERT_EQ(l.machines.size(), 2u);
  EXPECT_EQ(l.machines[0].name, "FL-2");
  EXPECT_EQ(l.machines[1].name, "IN-2");
  // FL-2 is twice as fast as FL-1: half the mean cycle time; IN-2 has IN-1's capacity.
  EXPECT_NEAR(l.machines[0].cycleTime.at("*").mean(), 302.4, 1e-6);
  EXPECT_NEAR(l.machines[1].cycleTime.at("*").mean(), 302.4, 1e-9);
  EXPECT_EQ(l.machines[0].failures.size(), 1u);
  EXPECT_DOUBLE_EQ(l.machines[1].scrap.at("*"), 0.02);
  EXPECT_EQ(l.buffers, std::vector<int>{10});
  // Only the planned product is made.
  EXPECT_EQ(l.input, sim::LineInput::kPush);
  ASSERT_EQ(l.pushCycle.size(), 1u);
  EXPECT_EQ(l.pushCycle[0].product, "Vial 10 mL");

  const BootstrapResult& b = r.value();
  EXPECT_TRUE(borrowed(b, "FL-2", "cycle time", "FL-1 at S1"));
  EXPECT_TRUE(borrowed(b, "FL-2", "time to failure", "FL-1 at S1"));
  EXPECT_TRUE(borrowed(b, "FL-2", "time to repair", "FL-1 at S1"));
  EXPECT_TRUE(borrowed(b, "IN-2", "scrap", "IN-1 at S1"));
  bool scaledNoted = false;
  for (const auto& x : b.borrowed)
    if (x.item.find("FL-2") != std::string::npos && x.value.find("x 0.5") != std::string::npos)
      scaledNoted = true;
  EXPECT_TRUE(scaledNoted) << b.text();
  // The tablet press matches nothing and is named.
  bool press = false;
  for (const auto& n : b.notes)
    if (n.kind == Note::Kind::kMissing && n.subject == "equipment TP-2") press = true;
  EXPECT_TRUE(press) << b.text();

  // The bootstrapped twin runs: throughput near the slower of the two steps (302.4 s a vial).
  auto plant = sim::Plant::compile(m);
  ASSERT_TRUE(plant.isOk()) << plant.status().message();
  sim::RunOptions ro;
  ro.horizon = 60 * sim::kDay;
  ro.warmup = 5 * sim::kDay;
  sim::Kpis k = sim::computeKpis(plant.value().run(ro));
  double tp = k.get("line:FL-2:throughput_per_h");
  EXPECT_GT(tp, 0.8 * 3600 / 302.4 * 0.98 * 0.8);
  EXPECT_LT(tp, 3600 / 302.4);
}

TEST(Bootstrap, NamesSitesThatAreNotFound) {
  auto st = load(kData);
  db::StoreDataset data(st->snapshot());
  BootstrapOptions o;
  o.site = "S9";
  o.like = "S1";
  auto r = bootstrapSite(data, likeModel(), o);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("S9"), std::string::npos);
  o.site = "S1";
  EXPECT_FALSE(bootstrapSite(data, likeModel(), o).isOk());  // same site
}

TEST(Bootstrap, ALineWithoutComparableEquipmentIsNotReproduced) {
  // Only the press stands at S3: nothing can be reproduced, and the error says why.
  auto st = load(R"(
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix iof:  <https://spec.industrialontologies.org/ontology/construct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:   <http://example.org/> .
<http://example.org/g> {
  ex:FL1 a iof:ProductionLine ; rdfs:label "Aseptic vial fill line" ; dt:equipmentId "FL-1" ;
         dt:site ex:S1 ; dt:capacityPerWeek 1000 ; dt:capacityUnit "vial" .
  ex:IN1 a iof:PhysicalUnit ; rdfs:label "Visual inspection machine" ; dt:equipmentId "IN-1" ;
         dt:site ex:S1 ; dt:capacityPerWeek 2000 ; dt:capacityUnit "vial" .
  ex:TP3 a iof:PhysicalUnit ; rdfs:label "Rotary tablet press" ; dt:equipmentId "TP-3" ;
         dt:site ex:S3 ; dt:capacityPerWeek 900000 ; dt:capacityUnit "tablet" .
})");
  db::StoreDataset data(st->snapshot());
  BootstrapOptions o;
  o.site = "S3";
  o.like = "S1";
  auto r = bootstrapSite(data, likeModel(), o);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("not reproduced"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace weft::twin
