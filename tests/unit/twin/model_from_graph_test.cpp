// SPDX-License-Identifier: Apache-2.0
// The twin's model built from a small hand-written graph: lines with their cycle times,
// suppliers (primary / backup), demand, and the facts the builder reports as assumed or
// missing, by name.
#include "engine/twin/model_from_graph.h"

#include <gtest/gtest.h>

#include "engine/db/database.h"
#include "engine/rdf/syntax.h"
#include "engine/sim/model.h"
#include "engine/sim/plant.h"
#include "engine/store/store.h"

namespace weft::twin {
namespace {

// Site S1: a filling line (FL-1, 7000 vials a week) and an inspection machine (IN-1, 14000)
// both record batches of the vial; a bioreactor counting batches records the vial too. The
// medium M is bought from a primary (28 days) and a backup (10 days) supplier and issued to
// production. A packer (PK-9) has a capacity but no site.
constexpr const char* kData = R"(
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix iof:  <https://spec.industrialontologies.org/ontology/construct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <http://example.org/> .

<http://example.org/g/erp> {
  ex:wc1 dt:site <http://example.org/site/S1> ; dt:capacityPerWeek 7000 .
  ex:FL1 dt:equipmentId "FL-1" ; dt:capacityPerWeek 7000 ; dt:capacityUnit "vial" ;
         dt:workCenter ex:wc1 .
  ex:IN1 dt:equipmentId "IN-1" ; dt:capacityPerWeek 14000 ; dt:capacityUnit "vial" ;
         dt:site <http://example.org/site/S1> .
  ex:BR1 dt:equipmentId "BR-1" ; dt:capacityPerWeek 0.5 ; dt:capacityUnit "BATCH" ;
         dt:site <http://example.org/site/S1> .
  ex:PK9 dt:equipmentId "PK-9" ; dt:capacityPerWeek 100 .
  ex:vial rdfs:label "Vial 10 mL" .
  ex:medium rdfs:label "Medium M" .
  ex:b1 dt:executedOn ex:FL1, ex:IN1, ex:BR1 ; iof:hasSpecifiedOutput ex:lot1 .
  ex:lot1 dt:ofProduct ex:vial .
  ex:acme rdfs:label "Acme" .
  ex:bolt rdfs:label "Bolt" .
  ex:r1 a iof:SupplyRelationship ; dt:forProduct ex:medium ; dt:supplier ex:acme ;
        dt:supplierStatus "primary" ; dt:leadTimeDays 28 ; dt:site <http://example.org/site/S1> .
  ex:r2 a iof:SupplyRelationship ; dt:forProduct ex:medium ; dt:supplier ex:bolt ;
        dt:supplierStatus "backup" ; dt:leadTimeDays 10 ; dt:site <http://example.org/site/S1> .
  ex:s1 dt:movementKind "shipment" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:vial ;
        dt:quantity 500 ; dt:postingDate "2025-01-01"^^xsd:date .
  ex:s2 dt:movementKind "shipment" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:vial ;
        dt:quantity 700 ; dt:postingDate "2025-01-10"^^xsd:date .
  ex:i1 dt:movementKind "issue" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:medium ;
        dt:quantity 20 ; dt:postingDate "2025-01-01"^^xsd:date .
  ex:i2 dt:movementKind "issue" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:medium ;
        dt:quantity 40 ; dt:postingDate "2025-01-20"^^xsd:date .
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

bool hasNote(const ModelReport& r, Note::Kind k, const std::string& subject,
             const std::string& part) {
  for (const auto& n : r.notes)
    if (n.kind == k && n.subject == subject && n.text.find(part) != std::string::npos) return true;
  return false;
}

TEST(ModelFromGraph, ReadsLinesSuppliersAndDemand) {
  auto st = load(kData);
  db::StoreDataset data(st->snapshot());
  auto r = buildModel(data);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const sim::Model& m = r->model;
  ASSERT_TRUE(sim::validate(m).isOk()) << sim::validate(m).message() << "\n" << r->text();

  // The vial comes from FL-1 (smallest capacity in units); IN-1 is only noted, BR-1 counts
  // batches.
  ASSERT_EQ(m.lines.size(), 1u);
  EXPECT_EQ(m.lines[0].name, "FL-1");
  EXPECT_EQ(m.lines[0].site, "S1");
  ASSERT_EQ(m.lines[0].machines.size(), 1u);
  EXPECT_DOUBLE_EQ(m.lines[0].machines[0].cycleTime.at("*").mean(), sim::kWeek / 7000);
  EXPECT_TRUE(hasNote(*r, Note::Kind::kAssumed, "line FL-1", "one week / dt:capacityPerWeek"));
  EXPECT_TRUE(hasNote(*r, Note::Kind::kAssumed, "inventory Vial 10 mL@S1", "IN-1"));
  EXPECT_TRUE(hasNote(*r, Note::Kind::kAssumed, "inventory Vial 10 mL@S1", "BR-1 (counts batches)"));

  ASSERT_EQ(m.suppliers.size(), 2u);
  EXPECT_EQ(m.suppliers[0].name, "Acme / Medium M@S1");
  EXPECT_DOUBLE_EQ(m.suppliers[0].leadTime.mean(), 28 * sim::kDay);
  EXPECT_EQ(m.suppliers[1].name, "Bolt / Medium M@S1");
  EXPECT_DOUBLE_EQ(m.suppliers[1].leadTime.mean(), 10 * sim::kDay);

  ASSERT_EQ(m.inventories.size(), 2u);
  const sim::Inventory* medium = nullptr;
  for (const auto& i : m.inventories)
    if (i.product == "Medium M") medium = &i;
  ASSERT_NE(medium, nullptr);
  EXPECT_EQ(medium->primarySupplier, "Acme / Medium M@S1");
  EXPECT_EQ(medium->backupSupplier, "Bolt / Medium M@S1");
  EXPECT_TRUE(medium->line.empty());
  EXPECT_TRUE(hasNote(*r, Note::Kind::kAssumed, "inventory Medium M@S1", "policy (s,S)"));

  // Demand: 2 shipments over 10 days, mean quantity 600.
  ASSERT_EQ(m.demands.size(), 2u);
  const sim::Demand* vial = nullptr;
  for (const auto& d : m.demands)
    if (d.product == "Vial 10 mL") vial = &d;
  ASSERT_NE(vial, nullptr);
  EXPECT_DOUBLE_EQ(vial->ordersPerDay, 0.2);
  EXPECT_DOUBLE_EQ(vial->quantity.mean(), 600);

  // Missing facts by name: PK-9 has no site; IN-1 and BR-1 serve no modelled demand.
  EXPECT_TRUE(hasNote(*r, Note::Kind::kMissing, "line PK-9", "its site"));
  EXPECT_TRUE(hasNote(*r, Note::Kind::kMissing, "line IN-1", "demand for what it makes"));

  // The model runs.
  auto plant = sim::Plant::compile(m);
  ASSERT_TRUE(plant.isOk()) << plant.status().message();
  sim::Kpis k = sim::computeKpis(plant->run({.seed = 3, .replication = 0,
                                             .horizon = 60 * sim::kDay, .warmup = 0}));
  EXPECT_GT(k.get("line:FL-1:good"), 0);
}

TEST(ModelFromGraph, ReportsADemandWithoutSourceByName) {
  auto st = load(R"(
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/g> {
  <http://example.org/m1> dt:movementKind "shipment" ; dt:site <http://example.org/site/S9> ;
      dt:ofProduct <http://example.org/p> ; dt:quantity 3 ; dt:postingDate "2025-02-01"^^xsd:date .
  <http://example.org/p> rdfs:label "Widget" .
})");
  db::StoreDataset data(st->snapshot());
  auto r = buildModel(data);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_TRUE(r->model.demands.empty());
  EXPECT_TRUE(hasNote(*r, Note::Kind::kMissing, "demand for Widget at S9", "where it comes from"));
  EXPECT_TRUE(hasNote(*r, Note::Kind::kMissing, "model", "nothing to simulate"));
  EXPECT_NE(r->text().find("missing demand for Widget at S9: where it comes from"),
            std::string::npos);
}

// BuildOptions::before reads only the movements posted before the cut (the calibration's
// hold-out): the vial's second shipment (2025-01-10) and the medium's second issue
// (2025-01-20) are left out.
TEST(ModelFromGraph, DemandBeforeACut) {
  auto st = load(kData);
  db::StoreDataset data(st->snapshot());
  BuildOptions o;
  o.before = "2025-01-05";
  auto r = buildModel(data, o);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const sim::Demand* vial = nullptr;
  for (const auto& d : r->model.demands)
    if (d.product == "Vial 10 mL") vial = &d;
  ASSERT_NE(vial, nullptr);
  EXPECT_DOUBLE_EQ(vial->ordersPerDay, 1.0);  // one shipment on one day
  EXPECT_DOUBLE_EQ(vial->quantity.mean(), 500);
  o.before = "2024-12-31";
  auto none = buildModel(data, o);
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->model.demands.empty());
}

// The shared helpers: timestamps (dates and instants, UTC) and back.
TEST(ModelFromGraph, Timestamps) {
  double t = 0;
  ASSERT_TRUE(parseTimestamp("2025-09-01", &t));
  EXPECT_DOUBLE_EQ(t, 1756684800.0);
  ASSERT_TRUE(parseTimestamp("2025-09-01T06:30:15.500Z", &t));
  EXPECT_DOUBLE_EQ(t, 1756684800.0 + 6 * 3600 + 30 * 60 + 15.5);
  EXPECT_EQ(formatDate(t), "2025-09-01");
  EXPECT_EQ(formatDate(1756684800.0 - 1), "2025-08-31");
  EXPECT_FALSE(parseTimestamp("2025-13-01", &t));
  EXPECT_FALSE(parseTimestamp("soon", &t));
  EXPECT_EQ(siteName("https://data.aurelian.example/site/S100"), "S100");
}

}  // namespace
}  // namespace weft::twin
