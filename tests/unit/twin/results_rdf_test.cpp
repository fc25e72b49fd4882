// SPDX-License-Identifier: Apache-2.0
// Simulation results as a named graph (engine/twin/results_rdf.h): deterministic quads, typed
// literals, odd names, replace-by-id in one transaction, and above all that record queries give
// the same answers before and after a run is written (no simulated value can pass for a record).
#include "engine/twin/results_rdf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "engine/db/database.h"
#include "engine/rdf/syntax.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"
#include "engine/store/store.h"
#include "engine/twin/model_from_graph.h"
#include "tests/unit/scratch.h"

namespace weft::twin {
namespace {

constexpr const char* kDt = "https://w3id.org/weft/dt#";
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Records of the kinds the twin and the example questions read: equipment with capacity, a
// phase run with ISO 22400 counters, supply relationships, goods movements, a KPI value
// computed from records, and the documents graph.
constexpr const char* kRecords = R"(
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix iof:  <https://spec.industrialontologies.org/ontology/construct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <http://example.org/> .

<http://example.org/g/erp> {
  ex:FL1 dt:equipmentId "FL-1" ; dt:capacityPerWeek 7000 ; dt:capacityUnit "vial" ;
         dt:site <http://example.org/site/S1> .
  ex:vial rdfs:label "Vial 10 mL" .
  ex:medium rdfs:label "Medium M" .
  ex:b1 dt:executedOn ex:FL1 ; iof:hasSpecifiedOutput ex:lot1 .
  ex:lot1 dt:ofProduct ex:vial .
  ex:acme rdfs:label "Acme" .
  ex:r1 a iof:SupplyRelationship ; dt:forProduct ex:medium ; dt:supplier ex:acme ;
        dt:supplierStatus "primary" ; dt:leadTimeDays 28 ; dt:site <http://example.org/site/S1> .
  ex:s1 dt:movementKind "shipment" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:vial ;
        dt:quantity 500 ; dt:postingDate "2025-01-01"^^xsd:date .
  ex:s2 dt:movementKind "shipment" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:vial ;
        dt:quantity 700 ; dt:postingDate "2025-01-10"^^xsd:date .
  ex:i1 dt:movementKind "issue" ; dt:site <http://example.org/site/S1> ; dt:ofProduct ex:medium ;
        dt:quantity 20 ; dt:postingDate "2025-01-01"^^xsd:date .
  ex:k1 a dt:KPIValue ; dt:kpi dt:Availability ; dt:forWorkUnit ex:FL1 ; dt:kpiValue 0.9 .
}
<http://example.org/g/mes> {
  ex:pr1 a dt:PhaseRun ; dt:startTime "2025-03-02T08:00:00Z"^^xsd:dateTime ; dt:executedOn ex:FL1 ;
         dt:hasProcessData ex:d1, ex:d2, ex:d3, ex:d4, ex:d5 .
  ex:d1 dt:parameterName "PlannedBusyTime" ; dt:value 480 .
  ex:d2 dt:parameterName "ActualProductionTime" ; dt:value 400 .
  ex:d3 dt:parameterName "PlannedRunTimePerItem" ; dt:value 25 .
  ex:d4 dt:parameterName "ProducedQuantity" ; dt:value 900 .
  ex:d5 dt:parameterName "GoodQuantity" ; dt:value 880 .
}
<https://w3id.org/weft/graph/documents> {
  <http://example.org/g/erp> dt:connector "erp-sqlite" .
  <http://example.org/g/mes> dt:connector "mes-b2mml" .
}
)";

void loadRecords(store::Store& st) {
  auto txn = st.begin();
  ASSERT_TRUE(txn.isOk());
  store::Loader loader(txn.value().get());
  loader.startDocument();
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTriG;
  ro.base_iri = "http://example.org/";
  ASSERT_TRUE(rdf::readString(kRecords, ro, loader).isOk());
  ASSERT_TRUE(txn.value()->commit().isOk());
}

// Rows of a query over the union of the graphs, each row as N-Triples terms joined by tabs,
// sorted (so two answers compare as multisets).
std::vector<std::string> rows(const store::Store& st, const std::string& text) {
  auto q = sparql::parseQuery(text);
  EXPECT_TRUE(q.isOk()) << q.status().message() << "\n" << text;
  if (!q) return {};
  db::StoreDataset data(st.snapshot());
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  sparql::ExecOptions exec;
  exec.union_default_graph = true;
  Status s = sparql::executeQuery(q.value(), data, exec, out);
  EXPECT_TRUE(s.isOk()) << s.message() << "\n" << text;
  std::vector<std::string> lines;
  for (const auto& r : rs.rows) {
    std::string line;
    for (const auto& t : r)
      line += (t.isNone() ? std::string("-") : rdf::toNTriples(t.view())) + "\t";
    lines.push_back(line);
  }
  if (rs.is_boolean) lines.push_back(rs.boolean ? "true" : "false");
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SimRunRecord sampleRun() {
  SimRunRecord r;
  r.scenarioName = "supplier loss";
  r.scenarioDescription = "Acme stops delivering for 30 days";
  r.scenarioFile = "acme-out.json";
  r.scenarioSha256 = std::string(64, 'a');
  r.scenarioChanges = {"supplier Acme / Medium M@S1 interrupted 2026-02-01..2026-03-03",
                       "demand Vial 10 mL@S1 x1.5 from 2026-02-15"};
  r.baselineRunId = "0123456789abcdef";
  r.seed = 7;
  r.replications = 30;
  r.horizonSeconds = 365 * 86400.0;
  r.warmupSeconds = 30 * 86400.0;
  r.startDate = "2026-01-01";
  r.modelFingerprint = "fp-1";
  r.modelCounts = {1, 1, 1, 2, 0, 2};
  r.modelSummary = "1 line, 1 machine, 1 supplier, 2 inventories, 2 demands";
  r.modelNotes = {{"assumed", "line FL-1", "cycle time deterministic at one week / capacity"},
                  {"missing", "model", "failures and repairs"}};
  r.calibration = {{"machine FL-1 cycle time", "lognormal", "mu=3.2 sigma=0.1", 412,
                    "MES phase runs of FL-1, 2025"}};
  r.weftVersion = "0.9.0-test";
  r.startedAt = "2026-12-06T09:00:00Z";
  r.generatedAt = "2026-12-06T09:00:07Z";
  return r;
}

SimKpi kpi(const std::string& name, double mean, double halfWidth, double lo, double hi,
           int64_t n) {
  SimKpi k;
  k.name = name;
  k.mean = mean;
  k.halfWidth = halfWidth;
  k.lo = lo;
  k.hi = hi;
  k.n = n;
  return k;
}

std::vector<SimKpi> sampleKpis() {
  SimKpi a = kpi("machine:FL-1/FL-1:availability", 0.91, 0.01, 0.90, 0.92, 30);
  a.hasBaseline = true;
  a.differenceMean = -0.02;
  a.differenceHalfWidth = 0.005;
  SimKpi f = kpi("inventory:Vial 10 mL@S1:fill_rate", 0.97, 0.02, 0.95, 0.99, 30);
  SimKpi mttr = kpi("machine:FL-1/FL-1:mttr_h", kNaN, kNaN, kNaN, kNaN, 0);
  SimKpi good = kpi("plant:good", 350000, 1200, 348800, 351200, 30);
  return {a, f, mttr, good};
}

std::vector<SimEvent> sampleEvents() {
  return {{3600.25, "stockout", "Medium M@S1", 12, 0, ""},
          {86400, "replenishment", "Medium M@S1", 500, 0, ""},
          {7200, "backup-order", "Bolt / Medium M@S1", kNaN, 1, ""}};
}

// The objects of `pred` (full IRI) on subject `s`.
std::vector<rdf::Term> objects(const std::vector<rdf::Quad>& qs, const std::string& s,
                               const std::string& pred) {
  std::vector<rdf::Term> out;
  for (const auto& q : qs)
    if (q.s.value == s && q.p.value == pred) out.push_back(q.o);
  return out;
}

TEST(ResultsRdf, SameInputSameQuadsAndAStableId) {
  auto a = runToQuads(sampleRun(), sampleKpis(), sampleEvents());
  auto b = runToQuads(sampleRun(), sampleKpis(), sampleEvents());
  ASSERT_TRUE(a.isOk()) << a.status().message();
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(a.value(), b.value());
  EXPECT_GT(a->size(), 80u);

  const std::string id = deriveRunId(sampleRun());
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id, deriveRunId(sampleRun()));
  // Who, when and the file's name are not the experiment; seed, scenario and model are.
  SimRunRecord r = sampleRun();
  r.generatedAt = "2027-01-01T00:00:00Z";
  r.weftVersion = "other";
  r.scenarioFile = "renamed.json";
  EXPECT_EQ(deriveRunId(r), id);
  for (int k = 0; k < 5; ++k) {
    SimRunRecord c = sampleRun();
    if (k == 0) c.seed = 8;
    if (k == 1) c.scenarioSha256 = std::string(64, 'b');
    if (k == 2) c.modelFingerprint = "fp-2";
    if (k == 3) c.horizonSeconds += 1;
    if (k == 4) c.isBaseline = true;
    EXPECT_NE(deriveRunId(c), id) << k;
  }
  // Every quad is in the run's graph; the run node is the graph.
  for (const auto& q : a.value()) {
    EXPECT_EQ(q.g.value, runIri(id));
    EXPECT_EQ(q.s.kind, rdf::TermKind::kIri) << "no blank nodes: " << rdf::toNQuads(q.view());
    EXPECT_NE(q.o.kind, rdf::TermKind::kBlank);
    EXPECT_EQ(q.s.value.rfind(runIri(id), 0), 0u) << "subjects below the run IRI: " << q.s.value;
  }
  // An explicit id is used as given.
  r.runId = "my-run_1.2";
  auto c = runToQuads(r, {}, {});
  ASSERT_TRUE(c.isOk());
  EXPECT_EQ(c->front().g.value, "https://w3id.org/weft/graph/sim/my-run_1.2");
}

TEST(ResultsRdf, LiteralsAreTypedAndUndefinedValuesAreSaidNotStored) {
  const SimRunRecord run = sampleRun();
  auto qs = runToQuads(run, sampleKpis(), sampleEvents());
  ASSERT_TRUE(qs.isOk()) << qs.status().message();
  const std::string r = runIri(deriveRunId(run)), dt = kDt;
  const std::string xsd = "http://www.w3.org/2001/XMLSchema#";

  auto one = [&](const std::string& s, const char* p) {
    auto o = objects(qs.value(), s, dt + p);
    EXPECT_EQ(o.size(), 1u) << s << " " << p;
    return o.empty() ? rdf::Term() : o[0];
  };
  EXPECT_EQ(one(r, "seed"), rdf::Term::literal("7", xsd + "integer"));
  EXPECT_EQ(one(r, "replications"), rdf::Term::literal("30", xsd + "integer"));
  EXPECT_EQ(one(r, "horizonSeconds"), rdf::Term::literal("3.1536E7", xsd + "double"));
  EXPECT_EQ(one(r, "simulated"), rdf::Term::literal("true", xsd + "boolean"));
  EXPECT_EQ(one(r, "simulationStart"),
            rdf::Term::literal("2026-01-01T00:00:00Z", xsd + "dateTime"));
  EXPECT_EQ(one(r, "baselineRun"),
            rdf::Term::iri("https://w3id.org/weft/graph/sim/0123456789abcdef"));
  // prov:used: the scenario and the calibrated parameter.
  EXPECT_EQ(objects(qs.value(), r, "http://www.w3.org/ns/prov#used").size(), 2u);
  EXPECT_EQ(one(r + "/scenario", "scenarioChanges").value,
            "supplier Acme / Medium M@S1 interrupted 2026-02-01..2026-03-03\n"
            "demand Vial 10 mL@S1 x1.5 from 2026-02-15");

  // The KPI node is named by the KPI (percent-encoded): the same node in every run.
  const std::string avail = r + "/kpi/machine%3AFL-1%2FFL-1%3Aavailability";
  EXPECT_EQ(one(avail, "mean"), rdf::Term::literal("9.1E-1", xsd + "double"));
  EXPECT_EQ(one(avail, "kpiSubjectKind").value, "machine");
  EXPECT_EQ(one(avail, "kpiSubject").value, "FL-1/FL-1");
  EXPECT_EQ(one(avail, "kpiMeasure").value, "availability");
  EXPECT_EQ(one(avail, "differenceFromBaseline"), rdf::Term::literal("-2.0E-2", xsd + "double"));
  EXPECT_TRUE(objects(qs.value(), avail, dt + "undefinedReason").empty());
  // No baseline comparison, no difference.
  EXPECT_TRUE(objects(qs.value(), r + "/kpi/plant%3Agood", dt + "differenceFromBaseline").empty());
  EXPECT_TRUE(objects(qs.value(), r + "/kpi/plant%3Agood", dt + "kpiSubject").empty());
  // NaN: no numbers at all, a reason instead.
  const std::string mttr = r + "/kpi/machine%3AFL-1%2FFL-1%3Amttr_h";
  for (const char* p : {"mean", "halfWidth", "ciLow", "ciHigh"})
    EXPECT_TRUE(objects(qs.value(), mttr, dt + p).empty()) << p;
  EXPECT_NE(one(mttr, "undefinedReason").value.find("undefined"), std::string::npos);
  EXPECT_EQ(one(mttr, "replicationCount"), rdf::Term::literal("0", xsd + "integer"));
  // No NaN or INF anywhere.
  for (const auto& q : qs.value())
    if (q.o.datatype == xsd + "double") {
      EXPECT_TRUE(q.o.value.find("NaN") == std::string::npos &&
                  q.o.value.find("INF") == std::string::npos)
          << rdf::toNQuads(q.view());
    }

  // Events: seconds always, calendar time from the start date (milliseconds kept).
  const std::string e1 = r + "/event/1", e3 = r + "/event/3";
  EXPECT_EQ(one(e1, "simulatedSeconds"), rdf::Term::literal("3.60025E3", xsd + "double"));
  EXPECT_EQ(one(e1, "simulatedTime"),
            rdf::Term::literal("2026-01-01T01:00:00.25Z", xsd + "dateTime"));
  EXPECT_EQ(one(r + "/event/2", "simulatedTime").value, "2026-01-02T00:00:00Z");
  EXPECT_EQ(one(e1, "scenarioOf"), rdf::Term::iri(r + "/scenario"));
  EXPECT_EQ(one(e3, "replication"), rdf::Term::literal("1", xsd + "integer"));
  EXPECT_TRUE(objects(qs.value(), e3, dt + "occurrenceValue").empty());  // NaN: none
  EXPECT_EQ(one(r, "eventCount"), rdf::Term::literal("3", xsd + "integer"));

  // Without a start date: seconds only. A start with a timezone is turned into UTC.
  SimRunRecord nodate = run;
  nodate.startDate.clear();
  auto q2 = runToQuads(nodate, {}, sampleEvents());
  ASSERT_TRUE(q2.isOk());
  const std::string r2 = runIri(deriveRunId(nodate));
  EXPECT_TRUE(objects(q2.value(), r2 + "/event/1", dt + "simulatedTime").empty());
  EXPECT_EQ(objects(q2.value(), r2 + "/event/1", dt + "simulatedSeconds").size(), 1u);
  SimRunRecord tz = run;
  tz.startDate = "2026-03-01T06:00:00+02:00";
  auto q3 = runToQuads(tz, {}, {{-7200 * 3, "x", "y", 1, 0, ""}});
  ASSERT_TRUE(q3.isOk());
  auto when = objects(q3.value(), runIri(deriveRunId(tz)) + "/event/1", dt + "simulatedTime");
  ASSERT_EQ(when.size(), 1u);
  EXPECT_EQ(when[0].value, "2026-02-28T22:00:00Z");
}

TEST(ResultsRdf, RefusesBadInput) {
  SimRunRecord r = sampleRun();
  r.runId = "a/b";
  EXPECT_FALSE(runToQuads(r, {}, {}).isOk());
  r.runId = "..";
  EXPECT_FALSE(runToQuads(r, {}, {}).isOk());
  r.runId = std::string(65, 'x');
  EXPECT_FALSE(runToQuads(r, {}, {}).isOk());
  r = sampleRun();
  r.startDate = "1 Jan 2026";
  EXPECT_FALSE(runToQuads(r, {}, {}).isOk());
  r = sampleRun();
  r.generatedAt = "";
  EXPECT_FALSE(runToQuads(r, {}, {}).isOk());
  r.generatedAt = "yesterday";
  EXPECT_FALSE(runToQuads(r, {}, {}).isOk());
  auto dup = sampleKpis();
  dup.push_back(dup[0]);
  auto d = runToQuads(sampleRun(), dup, {});
  ASSERT_FALSE(d.isOk());
  EXPECT_NE(d.status().message().find("given twice"), std::string::npos);
}

TEST(ResultsRdf, OddNamesSurviveNQuadsAndSparql) {
  const std::string odd =
      "L\"1\" <x> & y\\z\n\ttab #1 %20 \xc3\xa9t\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x8f\xad";
  SimRunRecord run = sampleRun();
  run.scenarioName = odd;
  run.scenarioDescription = std::string("bad byte \xff here");
  SimKpi k = kpi("machine:" + odd + "/M:1:oee", 0.5, 0.1, 0.4, 0.6, 3);
  auto qs = runToQuads(run, {k}, {{1, "failure", odd, 1, 0, ""}});
  ASSERT_TRUE(qs.isOk()) << qs.status().message();
  // Through N-Quads and back: the same quads (no blank nodes, so equal sets are isomorphic).
  std::string text;
  for (const auto& q : qs.value()) text += rdf::toNQuads(q.view());
  struct Collect : rdf::QuadSink {
    std::vector<rdf::Quad> quads;
    Status quad(const rdf::QuadView& q) override {
      quads.emplace_back(q);
      return Status::ok();
    }
  } back;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kNQuads;
  Status st = rdf::readString(text, ro, back);
  ASSERT_TRUE(st.isOk()) << st.message();
  auto want = qs.value();
  std::sort(want.begin(), want.end());
  std::sort(back.quads.begin(), back.quads.end());
  EXPECT_EQ(back.quads, want);
  // Invalid UTF-8 became U+FFFD.
  EXPECT_NE(text.find("bad byte \xef\xbf\xbd here"), std::string::npos);

  // Through the store and SPARQL: the KPI's subject is the odd name, split at the first and
  // last ':' only.
  auto s = store::Store::openMemory();
  ASSERT_TRUE(writeRun(*s, run, {k}, {{1, "failure", odd, 1, 0, ""}}).isOk());
  auto got = rows(*s, R"(PREFIX dt: <https://w3id.org/weft/dt#>
SELECT ?subject ?measure ?name WHERE { ?k a dt:SimulatedKpiEstimate ; dt:kpiSubject ?subject ;
  dt:kpiMeasure ?measure . ?sc dt:scenarioName ?name })");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], rdf::toNTriples(rdf::TermView::literal(odd + "/M:1")) + "\t" +
                        rdf::toNTriples(rdf::TermView::literal("oee")) + "\t" +
                        rdf::toNTriples(rdf::TermView::literal(odd)) + "\t");
}

// The predicates and classes record data is written with: dt: names in the mapping documents,
// in the connectors' C++ (dt("name") and SPARQL text), in the ingest's document description,
// and every dt: term the ontology modules other than dt-twin declare.
std::set<std::string> recordVocabulary() {
  namespace fs = std::filesystem;
  const fs::path root = WEFT_SOURCE_DIR;
  std::set<std::string> names;
  const std::regex prefixed(R"((^|[^A-Za-z0-9_:/#.-])dt:([A-Za-z_][A-Za-z0-9_]*))");
  const std::regex full(R"(w3id\.org/weft/dt#([A-Za-z_][A-Za-z0-9_]*))");
  const std::regex call(R"((?:dt|iri\(kDt,)\s*\(?\s*"([A-Za-z_][A-Za-z0-9_]*)\")");
  auto collect = [&](const std::string& text, const std::regex& re, int group) {
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
      names.insert((*it)[group]);
  };
  auto scan = [&](const fs::path& p, bool cpp) {
    const std::string text = readText(p.string());
    collect(text, prefixed, 2);
    collect(text, full, 1);
    if (cpp) collect(text, call, 1);
  };
  for (const char* dir : {"mappings", "connectors"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      const std::string ext = e.path().extension().string();
      const bool cpp = ext == ".cpp" || ext == ".h";
      if (cpp || ext == ".ttl" || ext == ".rml") scan(e.path(), cpp);
    }
  }
  scan(root / "engine/cli/ingest_cmd.cpp", true);
  // And every term the other ontology modules declare (KPI values, downtime events, ...), even
  // if no connector writes it yet.
  const std::regex declared(R"((^|\n)dt:([A-Za-z_][A-Za-z0-9_]*) a )");
  for (const auto& e : fs::directory_iterator(root / "ontologies")) {
    const std::string file = e.path().filename().string();
    if (e.path().extension() != ".ttl" || file == "dt-twin.ttl") continue;
    const std::string text = readText(e.path().string());
    collect(text, declared, 2);
  }
  return names;
}

TEST(ResultsRdf, UsesNoTermOfTheRecords) {
  const auto records = recordVocabulary();
  // The scan finds the record vocabulary (or this test would pass vacuously).
  for (const char* known : {"quantity", "site", "ofProduct", "postingDate", "capacityPerWeek",
                            "movementKind", "KPIValue", "kpiValue", "fileName", "sha256",
                            "connector"})
    EXPECT_TRUE(records.count(known)) << "record vocabulary scan misses dt:" << known;

  auto qs = runToQuads(sampleRun(), sampleKpis(), sampleEvents());
  ASSERT_TRUE(qs.isOk());
  const std::string dt = kDt, type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  std::set<std::string> used;
  for (const auto& q : qs.value()) {
    used.insert(q.p.value);
    if (q.p.value == type) used.insert(q.o.value);
  }
  for (const auto& iri : used) {
    EXPECT_EQ(iri.find("industrialontologies.org"), std::string::npos) << iri;
    if (iri.rfind(dt, 0) == 0) {
      EXPECT_FALSE(records.count(iri.substr(dt.size())))
          << iri << " is also written by record data";
    } else {
      // Only rdf:type and PROV-O (shared on purpose with ingest activities) besides dt:.
      EXPECT_TRUE(iri == type || iri.rfind("http://www.w3.org/ns/prov#", 0) == 0) << iri;
    }
  }
}

TEST(ResultsRdf, RecordQueriesGiveTheSameAnswersAfterARunIsWritten) {
  auto st = store::Store::openMemory();
  loadRecords(*st);

  std::vector<std::pair<std::string, std::string>> queries;
  for (const auto& q : twin::queries()) queries.emplace_back(std::string("twin ") + q.name, q.text);
  for (const char* f : {"11-oee-per-line-month.rq", "12-twin-capacity-suppliers.rq",
                        "13-demand-by-quarter.rq", "15-supplier-interruption.rq"}) {
    const std::string text =
        readText(std::string(WEFT_SOURCE_DIR) + "/examples/pharma-network/queries/" + f);
    ASSERT_FALSE(text.empty()) << f;
    queries.emplace_back(f, text);
  }
  const char* pfx = "PREFIX dt: <https://w3id.org/weft/dt#>\n";
  for (const char* q : {"SELECT ?s ?q WHERE { ?s dt:quantity ?q }",
                        "SELECT ?s ?site WHERE { ?s dt:site ?site }",
                        "SELECT ?k ?v WHERE { ?k a dt:KPIValue ; dt:kpiValue ?v }",
                        "SELECT ?k ?w WHERE { ?k dt:kpi ?x ; dt:forWorkUnit ?w }",
                        "SELECT ?e ?t WHERE { ?e dt:eventTime ?t }",
                        "SELECT ?x ?p WHERE { ?x dt:ofProduct ?p }"})
    queries.emplace_back(q, std::string(pfx) + q);

  std::vector<std::vector<std::string>> before;
  size_t nonEmpty = 0;
  for (const auto& [name, text] : queries) {
    before.push_back(rows(*st, text));
    nonEmpty += !before.back().empty();
  }
  EXPECT_GE(nonEmpty, 8u) << "the fixture should give most queries something to find";
  auto model0 = buildModel(db::StoreDataset(st->snapshot()));
  ASSERT_TRUE(model0.isOk());
  const auto all0 = rows(*st, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }");

  // A run whose names are those of the records (same line, product and site).
  auto w = writeRun(*st, sampleRun(), sampleKpis(), sampleEvents());
  ASSERT_TRUE(w.isOk()) << w.status().message();
  SimRunRecord base = sampleRun();
  base.isBaseline = true;
  base.scenarioChanges.clear();
  base.baselineRunId.clear();
  ASSERT_TRUE(writeRun(*st, base, sampleKpis(), sampleEvents()).isOk());

  for (size_t i = 0; i < queries.size(); ++i)
    EXPECT_EQ(rows(*st, queries[i].second), before[i]) << queries[i].first;
  auto model1 = buildModel(db::StoreDataset(st->snapshot()));
  ASSERT_TRUE(model1.isOk());
  EXPECT_EQ(model1->text(), model0->text());
  EXPECT_EQ(model1->model.demands.size(), model0->model.demands.size());

  // Leaving out what is marked simulated gives back exactly the records.
  EXPECT_EQ(rows(*st, std::string(pfx) + "SELECT ?s ?p ?o WHERE { ?s ?p ?o "
                                         "FILTER NOT EXISTS { ?s dt:simulated true } }"),
            all0);
  // And the runs are found as such.
  auto runs = rows(*st, std::string(pfx) + "SELECT ?run WHERE { ?run a dt:SimulationRun ; "
                                           "dt:simulated true }");
  EXPECT_EQ(runs.size(), 2u);
}

TEST(ResultsRdf, WritesReplacesListsAndDeletesInADurableStore) {
  namespace fs = std::filesystem;
  const std::string dir = testutil::tempPath("sim-store");
  fs::remove_all(dir);
  const SimRunRecord run = sampleRun();
  const std::string id = deriveRunId(run);
  uint64_t quads = 0;
  {
    auto st = store::Store::open(dir, store::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(st.isOk()) << st.status().message();
    loadRecords(*st.value());
    auto w = writeRun(*st.value(), run, sampleKpis(), sampleEvents());
    ASSERT_TRUE(w.isOk()) << w.status().message();
    EXPECT_EQ(w->runId, id);
    EXPECT_FALSE(w->replaced);
    quads = w->quads;
    auto expected = runToQuads(run, sampleKpis(), sampleEvents());
    EXPECT_EQ(quads, expected->size());
  }
  auto opened = store::Store::open(dir, store::OpenMode::kMustExist);
  ASSERT_TRUE(opened.isOk());
  store::Store& st = *opened.value();
  const uint64_t total = st.snapshot()->size();

  const std::string kpiQuery = R"(PREFIX dt: <https://w3id.org/weft/dt#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?mean ?lo ?hi ?at WHERE { GRAPH ?g {
  ?run a dt:SimulationRun ; dt:seed 7 ; prov:endedAtTime ?at .
  ?k dt:simulationRun ?run ; dt:kpiName "machine:FL-1/FL-1:availability" ; dt:mean ?mean ;
     dt:ciLow ?lo ; dt:ciHigh ?hi } })";
  auto r1 = rows(st, kpiQuery);
  ASSERT_EQ(r1.size(), 1u);
  EXPECT_NE(r1[0].find("\"9.1E-1\"^^<http://www.w3.org/2001/XMLSchema#double>"), std::string::npos);
  EXPECT_NE(r1[0].find("2026-12-06T09:00:07Z"), std::string::npos);

  // The same run again (later, another mean): replaced, not doubled.
  SimRunRecord again = run;
  again.generatedAt = "2026-12-07T10:00:00Z";
  auto kpis = sampleKpis();
  kpis[0].mean = 0.93;
  auto w2 = writeRun(st, again, kpis, sampleEvents());
  ASSERT_TRUE(w2.isOk()) << w2.status().message();
  EXPECT_TRUE(w2->replaced);
  EXPECT_EQ(w2->removed, quads);
  EXPECT_EQ(w2->quads, quads);
  EXPECT_EQ(st.snapshot()->size(), total);
  auto r2 = rows(st, kpiQuery);
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_NE(r2[0].find("\"9.3E-1\""), std::string::npos);
  EXPECT_NE(r2[0].find("2026-12-07T10:00:00Z"), std::string::npos);

  // The query of docs/twin.md: fill rates of one run.
  auto fill = rows(st, "PREFIX dt: <https://w3id.org/weft/dt#>\n"
                       "SELECT ?inventory ?mean ?lo ?hi ?diff WHERE {\n"
                       "GRAPH <" + runIri(id) + "> {\n"
                       "  ?k dt:kpiSubjectKind \"inventory\" ; dt:kpiMeasure \"fill_rate\" ;"
                       "     dt:kpiSubject ?inventory ; dt:mean ?mean ;"
                       "     dt:ciLow ?lo ; dt:ciHigh ?hi ."
                       "  OPTIONAL { ?k dt:differenceFromBaseline ?diff } } }");
  ASSERT_EQ(fill.size(), 1u);
  EXPECT_EQ(fill[0].rfind("\"Vial 10 mL@S1\"\t\"9.7E-1\"", 0), 0u) << fill[0];

  // Another seed is another run.
  SimRunRecord other = run;
  other.seed = 8;
  ASSERT_TRUE(writeRun(st, other, sampleKpis(), {}).isOk());
  auto list = listRuns(st);
  ASSERT_TRUE(list.isOk()) << list.status().message();
  ASSERT_EQ(list->size(), 2u);
  const RunInfo* mine = nullptr;
  for (const auto& i : list.value())
    if (i.runId == id) mine = &i;
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->graph, runIri(id));
  EXPECT_EQ(mine->scenarioName, "supplier loss");
  EXPECT_FALSE(mine->isBaseline);
  EXPECT_EQ(mine->seed, 7u);
  EXPECT_EQ(mine->replications, 30);
  EXPECT_EQ(mine->generatedAt, "2026-12-07T10:00:00Z");
  EXPECT_EQ(mine->kpis, 4);
  EXPECT_EQ(mine->events, 3);

  // Delete: the records and the other run stay.
  ASSERT_TRUE(deleteRun(st, id).isOk());
  EXPECT_EQ(deleteRun(st, id).code(), StatusCode::kNotFound);
  EXPECT_EQ(listRuns(st)->size(), 1u);
  EXPECT_EQ(rows(st, kpiQuery).size(), 0u);
  EXPECT_FALSE(
      rows(st, "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?q WHERE { ?s dt:quantity ?q }")
          .empty());
  opened.value().reset();
  fs::remove_all(dir);
}

TEST(ResultsRdf, AFailureHalfWayLeavesTheStoreAsItWas) {
  auto st = store::Store::openMemory();
  loadRecords(*st);
  const SimRunRecord run = sampleRun();
  const std::string id = deriveRunId(run);
  ASSERT_TRUE(writeRun(*st, run, sampleKpis(), sampleEvents()).isOk());
  const auto everything = rows(*st, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }");
  const uint64_t size = st->snapshot()->size();

  // A replacement whose last quad cannot be stored (no object): the old graph was already
  // removed and the new quads added inside the transaction, then the add fails.
  SimRunRecord again = run;
  again.generatedAt = "2026-12-08T00:00:00Z";
  auto qs = runToQuads(again, {}, {});
  ASSERT_TRUE(qs.isOk());
  rdf::Quad bad = qs->back();
  bad.o = rdf::Term();
  qs->push_back(bad);
  auto w = writeRunQuads(*st, id, qs.value());
  EXPECT_FALSE(w.isOk());
  EXPECT_EQ(st->snapshot()->size(), size);
  EXPECT_EQ(rows(*st, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"), everything);

  // Quads outside the run's graph are refused before anything is written.
  auto other = runToQuads(run, {}, {});
  other->front().g = rdf::Term::iri("http://example.org/g/erp");
  EXPECT_EQ(writeRunQuads(*st, id, other.value()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st->snapshot()->size(), size);
  // And the store still takes writes (the failed transaction released the writer).
  EXPECT_TRUE(writeRun(*st, again, {}, {}).isOk());
}

}  // namespace
}  // namespace weft::twin
