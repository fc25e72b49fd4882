// SPDX-License-Identifier: Apache-2.0
#include "engine/twin/calibrate_from_graph.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <utility>

#include "engine/sim/calibrate.h"

namespace weft::twin {
namespace {

namespace calib = sim::calib;

#define WEFT_CALIB_PREFIXES                                                    \
  "PREFIX dt:   <https://w3id.org/weft/dt#>\n"                                 \
  "PREFIX iof:  <https://spec.industrialontologies.org/ontology/construct/>\n" \
  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"                     \
  "PREFIX cbv:  <https://ref.gs1.org/cbv/>\n"                                  \
  "PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>\n"

// Every MES phase with its unit, batch (and the batch's end state: an aborted batch is a
// failure of the unit it stopped on), the batch's product, start and end, and the ISO 22400-2
// counters where the phase carries them (query 11 of the example reads the same).
constexpr const char* kPhasesQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?unit ?phase ?batch ?state ?product ?start ?end ?pq ?gq ?pri ?apt ?pbt WHERE {
  ?r a dt:PhaseRun ; rdfs:label ?phase ; dt:partOfBatch ?b ; dt:executedOn/dt:equipmentId ?unit ;
     dt:startTime ?start ; dt:endTime ?end .
  ?b dt:batchId ?batch .
  OPTIONAL { ?b dt:responseState ?state }
  OPTIONAL { SELECT ?b (SAMPLE(?pl) AS ?product)
             WHERE { ?b iof:hasSpecifiedOutput/dt:ofProduct/rdfs:label ?pl } GROUP BY ?b }
  OPTIONAL { ?r dt:hasProcessData ?d1 . ?d1 dt:parameterName "ProducedQuantity" ; dt:value ?pq }
  OPTIONAL { ?r dt:hasProcessData ?d2 . ?d2 dt:parameterName "GoodQuantity" ; dt:value ?gq }
  OPTIONAL { ?r dt:hasProcessData ?d3 . ?d3 dt:parameterName "PlannedRunTimePerItem" ;
                dt:value ?pri }
  OPTIONAL { ?r dt:hasProcessData ?d4 . ?d4 dt:parameterName "ActualProductionTime" ;
                dt:value ?apt }
  OPTIONAL { ?r dt:hasProcessData ?d5 . ?d5 dt:parameterName "PlannedBusyTime" ; dt:value ?pbt }
}
ORDER BY ?start
)";

// Equipment failures recorded as deviations (QMS): the unit, the day, and the text, which may
// say how long the unit was out of service.
constexpr const char* kFailuresQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?unit ?opened ?text ?batch WHERE {
  ?d a dt:Deviation ; dt:category ?cat ; dt:equipment/dt:equipmentId ?unit ; dt:openedOn ?opened .
  FILTER(CONTAINS(LCASE(STR(?cat)), "failure"))
  OPTIONAL { ?d rdfs:comment ?text }
  OPTIONAL { ?d dt:affectedBatchId ?batch }
}
ORDER BY ?opened
)";

// Purchase orders and their goods receipts: the observed lead time is receipt posting date
// minus order date (query 12 of the example averages the same).
constexpr const char* kReceiptsQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?supplier ?product ?site ?ordered ?received WHERE {
  ?order dt:orderedFrom ?v ; dt:orderDate ?ordered .
  ?gr dt:purchaseOrder ?order ; dt:movementKind "receipt" ; dt:ofProduct ?p ;
      dt:postingDate ?received .
  OPTIONAL { ?gr dt:site ?site }
  OPTIONAL { ?v rdfs:label ?vl }
  OPTIONAL { ?p rdfs:label ?pl }
  BIND(COALESCE(?vl, STR(?v)) AS ?supplier)
  BIND(COALESCE(?pl, STR(?p)) AS ?product)
}
ORDER BY ?supplier ?product ?ordered
)";

// EPCIS shipping and receiving events between locations, units per product (serial level:
// one per instance; lot level: the quantity), and whether the receiver is a licensed
// dispenser (a customer: demand) or not (a lane between sites). Names come from kNamesQuery
// (joining labels here would multiply the units of things with two labels).
constexpr const char* kEpcisQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?ev ?step ?t ?fromLoc ?toLoc ?p (SUM(?n) AS ?units) (MAX(?d) AS ?dispenser) WHERE {
  ?ev dt:bizStep ?step ; dt:eventTime ?t ; dt:sourceLocation ?fromLoc ;
      dt:destinationLocation ?toLoc .
  FILTER(?step IN (cbv:BizStep-shipping, cbv:BizStep-receiving))
  BIND(IF(EXISTS { ?ev dt:destinationOwner ?o . ?o dt:licenceNumber ?l }, 1, 0) AS ?d)
  { ?ev dt:hasObject ?unit . ?unit dt:memberOfLot ?lot . BIND(1 AS ?n) }
  UNION { ?ev dt:quantityElement ?q . ?q dt:epcClass ?lot ; dt:quantity ?n }
  ?lot dt:ofProduct ?p .
}
GROUP BY ?ev ?step ?t ?fromLoc ?toLoc ?p
)";

// Names of the EPCIS locations (plant code, else label) and of the products of lots.
constexpr const char* kNamesQuery = WEFT_CALIB_PREFIXES R"(
SELECT DISTINCT ?x ?label ?code WHERE {
  { ?ev dt:bizStep ?s . { ?ev dt:sourceLocation ?x } UNION { ?ev dt:destinationLocation ?x } }
  UNION { ?lot dt:ofProduct ?x }
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x dt:plantCode ?code }
}
)";

// The key that pairs a shipping event with its receiving event: the smallest business
// transaction id (the despatch advice / delivery number both sides record).
constexpr const char* kEpcisKeysQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?ev (MIN(STR(?bt)) AS ?key) WHERE {
  ?ev dt:bizStep ?s ; dt:bizTransaction ?bt .
  FILTER(?s IN (cbv:BizStep-shipping, cbv:BizStep-receiving))
}
GROUP BY ?ev
)";

// Goods produced at a site (ERP production receipts), for the stock at time 0.
constexpr const char* kProductionQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?site ?product ?date ?q WHERE {
  ?m dt:movementKind "production" ; dt:site ?site ; dt:ofProduct ?p ; dt:quantity ?q ;
     dt:postingDate ?date .
  OPTIONAL { ?p rdfs:label ?pl }
  BIND(COALESCE(?pl, STR(?p)) AS ?product)
}
)";

// Issues to production (for intermediates made in batch trains and the materials they use).
constexpr const char* kIssuesQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?site ?product ?date ?q WHERE {
  ?m dt:movementKind "issue" ; dt:site ?site ; dt:ofProduct ?p ; dt:quantity ?q ;
     dt:postingDate ?date .
  OPTIONAL { ?p rdfs:label ?pl }
  BIND(COALESCE(?pl, STR(?p)) AS ?product)
}
)";

// What batches of each product consumed (MES material consumption), by material.
constexpr const char* kConsumptionQuery = WEFT_CALIB_PREFIXES R"(
SELECT ?product ?material (SUM(xsd:double(?q)) AS ?qty) WHERE {
  ?b dt:hasConsumption ?c ; iof:hasSpecifiedOutput/dt:ofProduct/rdfs:label ?product .
  ?c dt:consumedLot/dt:ofProduct/rdfs:label ?material ; dt:consumedQuantity ?q .
}
GROUP BY ?product ?material
)";

std::string fmt(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

struct Phase {
  std::string unit, phase, batch, state, product;
  double start = 0, end = 0;
  bool counters = false;
  double pq = 0, gq = 0, pri = 0, apt = 0, pbt = 0;
};

// A fitted law in the simulator's terms, with its description.
struct Fitted {
  sim::Dist dist;
  std::string family, parameters;
};

// Fits a positive sample (already in the model's unit, `unit` names it for the text): the
// family with the lowest AIC that passes the KS screen; fewer than `minFit` values or a
// failed fit: deterministic at the mean.
Fitted fitPositive(const std::vector<double>& xs, const std::vector<calib::Family>& families,
                   int minFit, double scale, const char* unit) {
  Fitted f;
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= static_cast<double>(xs.size());
  auto deterministic = [&]() {
    f.dist = sim::Dist::deterministic(mean);
    f.family = "deterministic";
    f.parameters = "value " + fmt(mean / scale) + " " + unit;
    return f;
  };
  if (static_cast<int>(xs.size()) < minFit) return deterministic();
  calib::SelectOptions so;
  so.families = families;
  auto sel = calib::selectModel(calib::uncensored(xs), so);
  if (!sel) return deterministic();
  const calib::Candidate& c = sel->chosen();
  const calib::Distribution& d = c.distribution;
  std::string ks = ", KS D " + fmt(c.ks, 3) + " p " + fmt(c.ksPValue, 2);
  switch (d.family) {
    case calib::Family::kExponential:
      f.dist = sim::Dist::exponential(1 / d.a);
      f.parameters = "mean " + fmt(1 / d.a / scale) + " " + unit;
      break;
    case calib::Family::kWeibull:
      f.dist = sim::Dist::weibull(d.a, d.b);
      f.parameters = "k " + fmt(d.a) + " lambda " + fmt(d.b / scale) + " " + unit;
      break;
    case calib::Family::kNormal:
      f.dist = sim::Dist::normal(d.a, d.b);
      f.parameters = "mean " + fmt(d.a / scale) + " sd " + fmt(d.b / scale) + " " + unit;
      break;
    case calib::Family::kLognormal:
      f.dist = sim::Dist::lognormal(d.a, d.b);
      f.parameters = "mu " + fmt(d.a) + " sigma " + fmt(d.b) + " (of ln s)";
      break;
    case calib::Family::kGamma:
      f.dist = sim::Dist::gamma(d.a, d.b);
      f.parameters = "shape " + fmt(d.a) + " scale " + fmt(d.b / scale) + " " + unit;
      break;
    case calib::Family::kEmpirical:
      f.dist = sim::Dist::empirical(xs);
      f.parameters = "the " + std::to_string(xs.size()) + " observations";
      break;
  }
  f.family = calib::familyName(d.family);
  f.parameters += ", mean " + fmt(f.dist.mean() / scale) + " " + unit + ks;
  return f;
}

const std::vector<calib::Family> kTimeFamilies = {calib::Family::kLognormal, calib::Family::kGamma,
                                                  calib::Family::kNormal, calib::Family::kWeibull};

}  // namespace

const std::vector<NamedQuery>& calibrationQueries() {
  static const std::vector<NamedQuery> kQueries = {
      {"phases", kPhasesQuery},           {"failures", kFailuresQuery},
      {"receipts", kReceiptsQuery},       {"epcis-moves", kEpcisQuery},
      {"epcis-keys", kEpcisKeysQuery},    {"names", kNamesQuery},
      {"production", kProductionQuery},   {"issues", kIssuesQuery},
      {"consumption", kConsumptionQuery},
  };
  return kQueries;
}

std::string CalibrationReport::parameterTable() const {
  std::string out = "parameter\tfamily\tparameters\tn\tsource\tnote\n";
  for (const auto& p : parameters)
    out += p.parameter + "\t" + p.family + "\t" + p.parameters + "\t" + std::to_string(p.n) + "\t" +
           p.source + "\t" + p.note + "\n";
  return out;
}

Result<CalibrationReport> calibrateAt(const sparql::Dataset& data, CalibrationOptions options,
                                      const std::string& date,
                                      const std::function<void(const std::string&)>& progress) {
  if (progress) progress("calibrating on the records before " + date);
  options.before = date;
  options.start = date;
  return calibrateModel(data, options);
}

Result<CalibrationReport> calibrateModel(const sparql::Dataset& data, const CalibrationOptions& o) {
  const double inf = std::numeric_limits<double>::infinity();
  double before = inf;
  if (!o.before.empty() && !parseTimestamp(o.before, &before))
    return Status::invalidArgument("calibration: 'before' is not a date: " + o.before);

  CalibrationReport rep;
  BuildOptions bo = o.build;
  if (!o.before.empty()) bo.before = o.before.substr(0, 10);
  auto built = buildModel(data, bo);
  if (!built) return built.status();
  rep.built = std::move(built.value());
  sim::Model& m = rep.built.model;
  auto note = [&](Note::Kind k, std::string subject, std::string text) {
    rep.built.notes.push_back({k, std::move(subject), std::move(text)});
  };
  auto dropNotes = [&](Note::Kind k, const std::string& subject, const std::string& part) {
    auto& ns = rep.built.notes;
    ns.erase(std::remove_if(ns.begin(), ns.end(),
                            [&](const Note& n) {
                              return n.kind == k && n.subject == subject &&
                                     n.text.find(part) != std::string::npos;
                            }),
             ns.end());
  };
  auto param = [&](std::string p, std::string fam, std::string pars, int n, std::string src,
                   std::string nt) {
    rep.parameters.push_back(
        {std::move(p), std::move(fam), std::move(pars), n, std::move(src), std::move(nt)});
  };
  using K = Note::Kind;

  auto phaseRows = selectRows(data, "phases", kPhasesQuery, bo.unionDefaultGraph);
  if (!phaseRows) return phaseRows.status();
  auto failureRows = selectRows(data, "failures", kFailuresQuery, bo.unionDefaultGraph);
  if (!failureRows) return failureRows.status();
  auto receiptRows = selectRows(data, "receipts", kReceiptsQuery, bo.unionDefaultGraph);
  if (!receiptRows) return receiptRows.status();
  auto epcisRows = selectRows(data, "epcis-moves", kEpcisQuery, bo.unionDefaultGraph);
  if (!epcisRows) return epcisRows.status();
  auto keyRows = selectRows(data, "epcis-keys", kEpcisKeysQuery, bo.unionDefaultGraph);
  if (!keyRows) return keyRows.status();
  auto nameRows = selectRows(data, "names", kNamesQuery, bo.unionDefaultGraph);
  if (!nameRows) return nameRows.status();
  auto productionRows = selectRows(data, "production", kProductionQuery, bo.unionDefaultGraph);
  if (!productionRows) return productionRows.status();
  auto issueRows = selectRows(data, "issues", kIssuesQuery, bo.unionDefaultGraph);
  if (!issueRows) return issueRows.status();

  // ---- Phases and counters.
  std::vector<Phase> phases;
  double lastRecord = -inf;
  for (const Row& r : *phaseRows) {
    Phase p;
    p.unit = rowValue(r, "unit");
    p.phase = rowValue(r, "phase");
    p.batch = rowValue(r, "batch");
    p.state = rowValue(r, "state");
    p.product = rowValue(r, "product");
    if (!parseTimestamp(rowValue(r, "start"), &p.start) || !parseTimestamp(rowValue(r, "end"), &p.end) ||
        p.end < p.start)
      continue;
    p.counters = rowNumber(r, "pq", &p.pq) && rowNumber(r, "gq", &p.gq) && p.pq > 0;
    rowNumber(r, "pri", &p.pri);
    rowNumber(r, "apt", &p.apt);
    rowNumber(r, "pbt", &p.pbt);
    lastRecord = std::max(lastRecord, p.end);
    if (p.counters)
      rep.records.counters.push_back({p.start, p.unit, p.product, p.pq, p.gq, p.pri, p.apt, p.pbt});
    phases.push_back(std::move(p));
  }

  // Time 0.
  double start = before;
  if (!o.start.empty() && !parseTimestamp(o.start, &start))
    return Status::invalidArgument("calibration: 'start' is not a date: " + o.start);
  if (!std::isfinite(start))
    start = std::isfinite(lastRecord) ? (std::floor(lastRecord / 86400) + 1) * 86400 : 0;
  rep.startSeconds = start;
  m.start = formatDate(start);
  note(K::kRead, "model",
       "time 0 is " + m.start +
           (o.before.empty() ? std::string() : "; only records before " + o.before + " are used"));

  std::map<std::string, std::vector<const Phase*>> byBatch;
  for (const Phase& p : phases)
    if (p.end < before) byBatch[p.batch].push_back(&p);

  // ---- Lines in series, cycle times and yields.
  std::map<std::string, std::pair<int, int>> machineAt;  // unit -> (line index, machine index)
  for (size_t li = 0; li < m.lines.size(); ++li) {
    sim::Line& line = m.lines[li];
    if (line.machines.size() != 1) continue;
    const std::string L = line.name;
    // Batches with a counted phase on L: L's first counted phase is t0; phases of the same
    // batch on other units that start at or after t0 are downstream steps.
    struct UnitSeen {
      int batches = 0;
      double offsetSum = 0;
      std::set<std::string> labels;
    };
    std::map<std::string, UnitSeen> downstream, upstream;
    std::map<std::string, std::vector<double>> cycle;          // "unit\x1fproduct" -> s/unit
    std::map<std::string, std::pair<double, double>> yieldPQ;  // product -> (good, produced)
    int countedBatches = 0;
    for (const auto& [batch, ps] : byBatch) {
      const Phase* counted = nullptr;
      for (const Phase* p : ps)
        if (p->unit == L && p->counters && (!counted || p->start < counted->start)) counted = p;
      if (!counted || counted->product.empty()) continue;
      ++countedBatches;
      const double t0 = counted->start;
      const double aptSec = counted->apt > 0 ? counted->apt * 60 : counted->end - counted->start;
      cycle[L + "\x1f" + counted->product].push_back(aptSec / counted->pq);
      auto& y = yieldPQ[counted->product];
      y.first += counted->gq;
      y.second += counted->pq;
      std::map<std::string, double> unitTime;  // downstream unit -> total phase time in batch
      std::map<std::string, double> unitStart;
      for (const Phase* p : ps) {
        if (p == counted) continue;
        if (p->unit == L || p->start < t0) {
          upstream[p->unit].labels.insert(p->phase);
          continue;
        }
        unitTime[p->unit] += p->end - p->start;
        auto it = unitStart.find(p->unit);
        if (it == unitStart.end() || p->start < it->second) unitStart[p->unit] = p->start;
        downstream[p->unit].labels.insert(p->phase);
      }
      for (const auto& [u, t] : unitTime) {
        downstream[u].batches++;
        downstream[u].offsetSum += unitStart[u] - t0;
        if (counted->gq > 0) cycle[u + "\x1f" + counted->product].push_back(t / counted->gq);
      }
    }
    if (countedBatches == 0) continue;
    std::vector<std::pair<double, std::string>> order;
    std::string skipped;
    for (const auto& [u, s] : downstream) {
      if (2 * s.batches >= countedBatches)
        order.push_back({s.offsetSum / s.batches, u});
      else
        skipped += " " + u;
    }
    std::sort(order.begin(), order.end());
    std::vector<std::string> units = {L};
    for (const auto& [off, u] : order) units.push_back(u);

    std::vector<sim::Machine> machines;
    std::string seriesText;
    for (const std::string& u : units) {
      sim::Machine mc;
      mc.name = u;
      seriesText += (seriesText.empty() ? "" : " -> ") + u;
      for (const std::string& product : m.products) {
        auto it = cycle.find(u + "\x1f" + product);
        if (it == cycle.end() || it->second.empty()) continue;
        Fitted f = fitPositive(it->second, kTimeFamilies, o.minFitSamples, 1, "s");
        mc.cycleTime[product] = f.dist;
        param("cycle time " + u + " / " + product, f.family, f.parameters,
              static_cast<int>(it->second.size()), "phases",
              u == L ? "ActualProductionTime / ProducedQuantity per batch"
                     : "phase duration / good units of the batch's counted phase on " + L +
                           "; per-batch means (the spread between units of a batch is not "
                           "recorded)");
      }
      if (mc.cycleTime.empty()) continue;
      if (u == L) {
        for (const auto& [product, gp] : yieldPQ) {
          auto y =
              calib::fitYield(static_cast<uint64_t>(gp.first), static_cast<uint64_t>(gp.second));
          if (!y) continue;
          mc.scrap[product] = 1 - y->proportion.value;
          param("yield " + u + " / " + product, "proportion",
                "good/produced " + fmt(y->proportion.value, 5) + " (95% " +
                    fmt(y->proportion.ci.lower, 5) + "-" + fmt(y->proportion.ci.upper, 5) +
                    "), scrap " + fmt(1 - y->proportion.value, 3),
                static_cast<int>(gp.second), "phases", "GoodQuantity / ProducedQuantity summed");
        }
      }
      machines.push_back(std::move(mc));
    }
    // Every product of the line needs a cycle time on every machine: products without
    // records on a unit take the unit's mean over the others (reported).
    for (auto& mc : machines)
      for (const std::string& product : m.products) {
        bool madeHere = false;
        for (const auto& inv : m.inventories)
          if (inv.line == L && inv.product == product) madeHere = true;
        if (!madeHere || mc.cycleTime.count(product)) continue;
        double sum = 0;
        for (const auto& [p, d] : mc.cycleTime) sum += d.mean();
        mc.cycleTime[product] = sim::Dist::deterministic(sum / mc.cycleTime.size());
        note(K::kAssumed, "line " + L,
             "no phase records of " + product + " on " + mc.name +
                 "; its cycle time is the unit's mean over the other products");
      }
    if (machines.empty()) continue;
    line.machines = std::move(machines);
    line.buffers.assign(line.machines.size() - 1, o.bufferCapacity);
    for (size_t k = 0; k < line.machines.size(); ++k)
      machineAt[line.machines[k].name] = {static_cast<int>(li), static_cast<int>(k)};
    dropNotes(K::kAssumed, "line " + L, "one machine; cycle time");
    for (auto& n : rep.built.notes)
      if (n.text.find("not modelled in series") != std::string::npos &&
          n.text.find(L) != std::string::npos)
        n.text = "made on line " + L + " (units in series from the MES: " + seriesText + ")";
    note(K::kRead, "line " + L,
         "units in series from " + std::to_string(countedBatches) +
             " batches' MES phases: " + seriesText +
             "; cycle times and yields fitted (see the "
             "parameter table)");
    note(K::kAssumed, "line " + L,
         "buffers of " + std::to_string(o.bufferCapacity) +
             " units between the steps; units move one by one (the records move whole lots); "
             "running around the clock");
    std::string up;
    for (const auto& [u, s] : upstream) {
      up += " " + u + " (";
      bool first = true;
      for (const auto& l : s.labels) {
        up += (first ? "" : ", ") + l;
        first = false;
      }
      up += ")";
    }
    if (!up.empty())
      note(K::kMissing, "line " + L,
           "batch steps before the counted phase are not modelled (no counters to turn them "
           "into time per unit):" +
               up);
    if (!skipped.empty())
      note(K::kMissing, "line " + L,
           "units seen in fewer than half the batches, left out:" + skipped);
  }

  // ---- Batch trains: an intermediate made in batches at a site and issued to production
  // there (the drug substance) becomes a line whose steps are the batches' phase labels in
  // order, each step with as many parallel units as the records show running it; a unit of
  // the line is the amount of the product made with one unit of its main material (so the
  // bill of materials is 1:1 and demand quantities stay whole numbers).
  Result<std::vector<Row>> consumption = std::vector<Row>{};
  if (o.batchTrains)
    consumption = selectRows(data, "consumption", kConsumptionQuery, bo.unionDefaultGraph);
  if (!consumption) return consumption.status();
  if (o.batchTrains) {
    struct Flow {
      double issued = 0, produced = 0;
      int issues = 0, lots = 0;
      double firstIssue = std::numeric_limits<double>::infinity();
      std::vector<double> issueQty;
    };
    std::map<std::pair<std::string, std::string>, Flow> flows;  // (site, product)
    for (const Row& r : *issueRows) {
      double t = 0, q = 0;
      if (!parseTimestamp(rowValue(r, "date"), &t) || !rowNumber(r, "q", &q) || t >= before || q <= 0)
        continue;
      Flow& f = flows[{siteName(rowValue(r, "site")), rowValue(r, "product")}];
      f.issued += q;
      f.issues++;
      f.firstIssue = std::min(f.firstIssue, t);
      f.issueQty.push_back(q);
    }
    for (const Row& r : *productionRows) {
      double t = 0, q = 0;
      if (!parseTimestamp(rowValue(r, "date"), &t) || !rowNumber(r, "q", &q) || t >= before || q <= 0)
        continue;
      Flow& f = flows[{siteName(rowValue(r, "site")), rowValue(r, "product")}];
      f.produced += q;
      f.lots++;
    }
    std::set<std::string> stockedHere;
    for (const auto& inv : m.inventories) stockedHere.insert(inv.site + "\x1f" + inv.product);
    for (const auto& [key, flow] : flows) {
      const auto& [site, product] = key;
      if (flow.lots == 0 || flow.issues < 2 || stockedHere.count(site + "\x1f" + product)) continue;
      // Completed batches of the product: phases by label.
      struct Step {
        std::set<std::string> units;
        std::vector<double> durations;
        double offsetSum = 0;
        int n = 0;
      };
      std::map<std::string, Step> steps;
      int batches = 0;
      for (const auto& [batch, ps] : byBatch) {
        if (ps.empty() || ps.front()->product != product || ps.front()->state == "Aborted")
          continue;
        double t0 = inf;
        for (const Phase* p : ps) t0 = std::min(t0, p->start);
        ++batches;
        for (const Phase* p : ps) {
          Step& st = steps[p->phase];
          st.units.insert(p->unit);
          st.durations.push_back(p->end - p->start);
          st.offsetSum += p->start - t0;
          st.n++;
        }
      }
      if (batches < 2 || steps.empty()) continue;
      // The main material: the purchased material stocked at the site that the product's
      // batches consumed most of (MES consumption); its ratio to the product is issued /
      // produced before the cut.
      std::string material;
      double ratio = 0, most = 0;
      for (const Row& r : *consumption) {
        double q = 0;
        if (rowValue(r, "product") != product || !rowNumber(r, "qty", &q) || q <= most) continue;
        const std::string mat = rowValue(r, "material");
        bool bought = false;
        for (const auto& inv : m.inventories)
          if (inv.site == site && inv.product == mat && !inv.primarySupplier.empty()) bought = true;
        auto it = flows.find({site, mat});
        if (!bought || it == flows.end()) continue;
        material = mat;
        most = q;
        ratio = it->second.issued / flow.produced;
      }
      if (material.empty() || !(ratio > 0)) continue;
      const double unitQty = 1 / ratio;  // product per unit = per unit of material
      const double lot = flow.produced / flow.lots / unitQty;
      std::vector<std::pair<double, std::string>> order;
      for (const auto& [label, st] : steps)
        if (2 * st.n >= batches) order.push_back({st.offsetSum / st.n, label});
      std::sort(order.begin(), order.end());
      sim::Line line;
      line.name = product + " train";
      line.site = site;
      std::string text;
      for (const auto& [off, label] : order) {
        const Step& st = steps[label];
        sim::Machine mc;
        std::string name;
        for (const auto& u : st.units) name += (name.empty() ? "" : "+") + u;
        mc.name = name;
        mc.parallel = static_cast<int>(st.units.size());
        std::vector<double> perUnit;
        for (double d : st.durations) perUnit.push_back(std::max(1.0, d) / lot);
        Fitted f = fitPositive(perUnit, kTimeFamilies, o.minFitSamples, sim::kHour, "h");
        mc.cycleTime[product] = f.dist;
        param("cycle time " + name + " (" + label + ") / " + product, f.family, f.parameters,
              static_cast<int>(perUnit.size()), "phases",
              "phase duration / " + fmt(lot) + " units a batch; " + std::to_string(mc.parallel) +
                  " unit(s) in parallel");
        text += (text.empty() ? "" : " -> ") + name +
                (mc.parallel > 1 ? " (x" + std::to_string(mc.parallel) + ")" : std::string());
        for (const auto& u : st.units)
          machineAt[u] = {static_cast<int>(m.lines.size()), static_cast<int>(line.machines.size())};
        line.machines.push_back(std::move(mc));
      }
      line.buffers.assign(line.machines.size() - 1, o.bufferCapacity);
      // The records show batches started on a schedule, whatever the stock (more is produced
      // than issued): the train runs at capacity, material permitting, into the site's stock.
      line.input = sim::LineInput::kPush;
      line.pushCycle = {{product, std::max<int64_t>(1, std::llround(lot))}};
      m.lines.push_back(line);
      sim::Bom bom;
      bom.product = product;
      bom.components.push_back({material, 1});
      m.boms.push_back(bom);
      param("unit of " + product, "count",
            "1 unit = " + fmt(unitQty) + " of " + product + " = made from 1 of " + material +
                "; a batch is " + fmt(lot) + " units",
            flow.lots, "production, issues",
            "issued " + material + " / produced " + product + " before the cut");
      // The material is consumed by the line now, not by its own recorded issues.
      auto& ds = m.demands;
      for (auto it = ds.begin(); it != ds.end();)
        if (it->site == site && it->product == material) {
          note(K::kRead, "demand " + it->name,
               "replaced by the bill of materials of " + product + " (1 unit per unit)");
          it = ds.erase(it);
        } else {
          ++it;
        }
      // Demand for the product: its issues to production, in units.
      std::vector<double> qty;
      for (double q : flow.issueQty) qty.push_back(std::max(1.0, std::round(q / unitQty)));
      const double days = std::max(1.0, (std::isfinite(before) ? before : start) / sim::kDay -
                                            std::floor(flow.firstIssue / sim::kDay));
      sim::Demand d;
      d.name = "issues of " + product + "@" + site;
      d.site = site;
      d.product = product;
      d.ordersPerDay = flow.issues / days;
      d.quantity = sim::Dist::empirical(qty);
      d.dueAfter = o.build.dueDays * sim::kDay;
      m.demands.push_back(d);
      double meanQ = 0;
      for (double q : qty) meanQ += q;
      meanQ /= static_cast<double>(qty.size());
      const double daily = d.ordersPerDay * meanQ;
      sim::Inventory inv;
      inv.site = site;
      inv.product = product;
      inv.policy = sim::Policy::kNone;  // filled by the pushed train, no reorders
      inv.initial = static_cast<int64_t>(std::ceil(daily * o.build.orderUpToDays));
      (void)daily;
      // Stock at time 0: produced minus issued before it.
      {
        double in = 0, out = 0;
        for (const Row& r : *productionRows) {
          double t = 0, q = 0;
          if (parseTimestamp(rowValue(r, "date"), &t) && rowNumber(r, "q", &q) && t < start &&
              siteName(rowValue(r, "site")) == site && rowValue(r, "product") == product)
            in += q;
        }
        for (const Row& r : *issueRows) {
          double t = 0, q = 0;
          if (parseTimestamp(rowValue(r, "date"), &t) && rowNumber(r, "q", &q) && t < start &&
              siteName(rowValue(r, "site")) == site && rowValue(r, "product") == product)
            out += q;
        }
        if (o.stockFromRecords && in - out >= 0) {
          inv.initial = std::llround((in - out) / unitQty);
          param("initial stock " + product + "@" + site, "count",
                std::to_string(inv.initial) + " units at " + m.start, 0, "production, issues",
                "ERP production receipts minus issues before " + m.start);
        }
      }
      m.inventories.push_back(inv);
      if (std::find(m.products.begin(), m.products.end(), product) == m.products.end())
        m.products.push_back(product);
      param("demand issues of " + product + "@" + site, "Poisson orders, empirical quantity",
            fmt(d.ordersPerDay) + " issues/day, mean " + fmt(meanQ) + " units", flow.issues,
            "issues", "issues to production before the cut");
      note(K::kRead, "line " + line.name,
           "batch train from " + std::to_string(batches) + " completed batches' phases: " + text +
               "; runs at capacity (push, lots of " + fmt(lot) +
               " units) material permitting; "
               "initial stock " +
               std::to_string(inv.initial) +
               (o.stockFromRecords ? " (from the records)" : " (assumed: 21 days of issues)"));
      dropNotes(K::kMissing, "demand for " + product + " at " + site, "an intermediate");
    }
  }

  // ---- Failures and repairs: an aborted batch is a failure of the unit of its last phase.
  {
    std::map<std::string, double> outOfService;  // unit -> days from a deviation's text
    std::regex days(R"(out of service (\d+(?:\.\d+)?) (day|hour))");
    for (const Row& r : *failureRows) {
      double opened = 0;
      if (!parseTimestamp(rowValue(r, "opened"), &opened) || opened >= before) continue;
      std::smatch mt;
      const std::string text = rowValue(r, "text");
      if (std::regex_search(text, mt, days))
        outOfService[rowValue(r, "unit")] =
            std::stod(mt[1].str()) * (mt[2].str() == "day" ? sim::kDay : sim::kHour);
    }
    std::map<std::string, std::vector<calib::Observation>> life;  // unit -> phase runs
    std::map<std::string, std::vector<double>> failTimes, nextStart;
    std::map<std::string, std::vector<const Phase*>> onUnit;
    for (const Phase& p : phases)
      if (p.end < before) onUnit[p.unit].push_back(&p);
    std::set<std::string> failedUnits;
    for (const auto& [batch, ps] : byBatch) {
      if (ps.empty() || ps.front()->state != "Aborted") continue;
      const Phase* last = ps.front();
      for (const Phase* p : ps)
        if (p->start > last->start) last = p;
      failedUnits.insert(last->unit);
      failTimes[last->unit].push_back(last->end);
    }
    for (const std::string& u : failedUnits) {
      std::vector<calib::Observation> obs;
      double exposure = 0;
      for (const Phase* p : onUnit[u]) {
        const bool failed =
            p->state == "Aborted" &&
            std::find(failTimes[u].begin(), failTimes[u].end(), p->end) != failTimes[u].end();
        obs.push_back({std::max(1.0, p->end - p->start), failed});
        exposure += p->end - p->start;
      }
      auto fit = calib::fitExponential(obs);
      if (!fit) continue;
      const double mttf = fit->mean.value;
      param("time to failure " + u, "exponential",
            "MTTF " + fmt(mttf / sim::kDay) + " d of operation (95% " +
                fmt(fit->mean.ci.lower / sim::kDay) + "-" + fmt(fit->mean.ci.upper / sim::kDay) +
                " d)",
            static_cast<int>(obs.size()), "phases",
            std::to_string(fit->failures) + " failure(s) (aborted batches) over " +
                fmt(exposure / sim::kDay) +
                " d of phase time, the other runs right-censored; "
                "censored exponential MLE (Weibull with known shape 1): with so few failures the "
                "shape cannot be fitted");
      double repair = 0;
      std::string how;
      if (outOfService.count(u)) {
        repair = outOfService[u];
        how = "the failure deviation's text (\"out of service ...\")";
      } else {
        // Upper bound: the time until the unit's next phase started.
        double fail = failTimes[u].front(), next = inf;
        for (const Phase* p : onUnit[u])
          if (p->start >= fail) next = std::min(next, p->start);
        if (std::isfinite(next)) {
          repair = next - fail;
          how = "the time to the unit's next phase (an upper bound: it includes waiting)";
        }
      }
      if (repair > 0)
        param("time to repair " + u, "deterministic", "value " + fmt(repair / sim::kDay) + " d",
              static_cast<int>(failTimes[u].size()), "failures",
              "from " + how + "; one repair: no spread can be fitted");
      auto at = machineAt.find(u);
      if (at != machineAt.end() && repair > 0) {
        sim::FailureMode fm;
        fm.name = "recorded failures";
        fm.timeToFailure = sim::Dist::exponential(mttf);
        fm.timeToRepair = sim::Dist::deterministic(repair);
        fm.clock = sim::FailureClock::kOperating;
        m.lines[at->second.first].machines[at->second.second].failures.push_back(fm);
        note(K::kRead, "machine " + u, "failure mode from the records (operating clock)");
      } else {
        note(K::kMissing, "machine " + u,
             "the failure fit is reported but not attached: the unit is in no modelled line");
      }
    }
  }

  // ---- Supplier lead times observed from order to receipt.
  {
    std::map<std::string, std::vector<double>> seen;  // model supplier name -> seconds
    std::map<std::string, int> open;
    for (const Row& r : *receiptRows) {
      double ordered = 0, received = 0;
      if (!parseTimestamp(rowValue(r, "ordered"), &ordered) ||
          !parseTimestamp(rowValue(r, "received"), &received) || ordered >= before)
        continue;
      const std::string name =
          rowValue(r, "supplier") + " / " + rowValue(r, "product") + "@" + siteName(rowValue(r, "site"));
      if (received >= before) {
        ++open[name];  // still open at the cut: right-censored, not in the sample
        continue;
      }
      if (received > ordered) seen[name].push_back(received - ordered);
    }
    for (sim::Supplier& s : m.suppliers) {
      auto it = seen.find(s.name);
      if (it == seen.end()) continue;
      Fitted f = fitPositive(it->second, kTimeFamilies, o.minFitSamples, sim::kDay, "d");
      s.leadTime = f.dist;
      dropNotes(K::kAssumed, "supplier " + s.name, "lead time deterministic");
      std::string nt = "receipt posting date - order date";
      if (open.count(s.name))
        nt += "; " + std::to_string(open[s.name]) + " order(s) open at the cut left out";
      param("lead time " + s.name, f.family, f.parameters, static_cast<int>(it->second.size()),
            "receipts", nt);
    }
    for (const sim::Supplier& s : m.suppliers)
      if (!seen.count(s.name))
        note(K::kAssumed, "supplier " + s.name,
             "no receipt before the cut: planned lead time kept");
    // The reorder point covers the lead time the records show, not the planned one.
    for (sim::Inventory& inv : m.inventories) {
      if (inv.primarySupplier.empty() || !seen.count(inv.primarySupplier)) continue;
      double daily = 0;
      for (const sim::Demand& d : m.demands)
        if (d.site == inv.site && d.product == inv.product)
          daily += d.ordersPerDay * d.quantity.mean();
      if (daily <= 0) continue;  // consumed through a bill of materials: s stays
      double lead = 0;
      for (const sim::Supplier& s : m.suppliers)
        if (s.name == inv.primarySupplier) lead = s.leadTime.mean() / sim::kDay;
      const int64_t range = inv.S - inv.s;
      const bool atS = inv.initial == inv.S;
      inv.s = static_cast<int64_t>(std::ceil(daily * (o.build.reorderDays + lead)));
      inv.S = inv.s + range;
      if (atS) inv.initial = inv.S;
      for (auto& n : rep.built.notes)
        if (n.subject == "inventory " + inv.product + "@" + inv.site &&
            n.text.rfind("policy (s,S)", 0) == 0)
          n.text = "policy (s,S) = (" + std::to_string(inv.s) + "," + std::to_string(inv.S) +
                   "): s = " + fmt(o.build.reorderDays) +
                   " days of demand + demand over the "
                   "observed mean lead time (" +
                   fmt(lead) + " d), S = s + " + fmt(o.build.orderUpToDays) + " days of demand; " +
                   n.text.substr(n.text.find("initial stock"));
    }
  }

  // ---- Distribution: lanes from EPCIS pairs, demand from shipping to dispensers.
  {
    std::map<std::string, std::string> keyOf;
    for (const Row& r : *keyRows) keyOf[rowValue(r, "ev")] = rowValue(r, "key");
    struct Move {
      std::string ev, from, to, product;
      double t = 0, units = 0;
      bool ship = false, dispenser = false;
    };
    // A location by its plant code, else the last segment of its IRI (the GLN of a GS1
    // Digital Link location): stable whichever documents carry a label (the label goes into
    // the notes); a product by its smallest label.
    std::map<std::string, std::string> code, label;
    for (const Row& r : *nameRows) {
      const std::string x = rowValue(r, "x"), l = rowValue(r, "label"), c = rowValue(r, "code");
      if (!l.empty() && (!label.count(x) || l < label[x])) label[x] = l;
      if (!c.empty() && (!code.count(x) || c < code[x])) code[x] = c;
    }
    std::map<std::string, std::string> locationLabel;  // site name -> label
    auto nameOf = [&](const std::string& iri, bool location) {
      if (location) {
        const std::string n = code.count(iri) ? code[iri] : siteName(iri);
        if (label.count(iri)) locationLabel[n] = label[iri];
        return n;
      }
      auto it = label.find(iri);
      return it != label.end() ? it->second : iri;
    };
    std::vector<Move> moves;
    for (const Row& r : *epcisRows) {
      Move mv;
      mv.ev = rowValue(r, "ev");
      mv.from = nameOf(rowValue(r, "fromLoc"), true);
      mv.to = nameOf(rowValue(r, "toLoc"), true);
      mv.product = nameOf(rowValue(r, "p"), false);
      mv.ship = rowValue(r, "step").find("shipping") != std::string::npos;
      double d = 0;
      rowNumber(r, "dispenser", &d);
      mv.dispenser = d > 0;
      if (!parseTimestamp(rowValue(r, "t"), &mv.t) || !rowNumber(r, "units", &mv.units)) continue;
      moves.push_back(std::move(mv));
    }
    // Products stocked at a site of the model.
    std::set<std::pair<std::string, std::string>> stocked;
    for (const auto& inv : m.inventories) stocked.insert({inv.site, inv.product});
    // Lanes: (from, to) of non-dispenser shipments of a stocked product of `from`.
    std::map<std::pair<std::string, std::string>, std::set<std::string>> laneProducts;
    for (const Move& mv : moves)
      if (mv.ship && !mv.dispenser && mv.from != mv.to && stocked.count({mv.from, mv.product}))
        laneProducts[{mv.from, mv.to}].insert(mv.product);
    for (const Move& mv : moves)
      if (mv.ship && mv.dispenser)
        rep.records.dispenserShipments.push_back({mv.t, mv.from, mv.product, mv.units});

    for (const auto& [ends, products] : laneProducts) {
      const auto& [from, to] = ends;
      std::vector<calib::KeyedTime> shipped, received;
      std::set<std::string> seenEv;
      for (const Move& mv : moves) {
        if (mv.from != from || mv.to != to || mv.dispenser || mv.t >= before) continue;
        if (!seenEv.insert(mv.ev).second) continue;
        auto k = keyOf.find(mv.ev);
        if (k == keyOf.end()) continue;
        (mv.ship ? shipped : received).push_back({k->second, mv.t});
      }
      calib::Pairing pr = calib::pairByKey(shipped, received);
      const std::string laneName = from + " -> " + to;
      sim::Lane lane;
      lane.name = laneName;
      lane.from = from;
      lane.to = to;
      if (pr.pairs.empty()) {
        note(K::kMissing, "lane " + laneName,
             "no shipping/receiving pair before the cut; left out");
        continue;
      }
      auto lt = calib::fitLeadTimes(pr.pairs);
      if (lt) {
        Fitted f = fitPositive(lt->sample, kTimeFamilies, o.minFitSamples, sim::kHour, "h");
        lane.leadTime = f.dist;
        param("lead time lane " + laneName, f.family, f.parameters,
              static_cast<int>(pr.pairs.size()), "epcis-moves, epcis-keys",
              "EPCIS receiving - shipping, paired by business transaction; " +
                  std::to_string(pr.unmatchedShipped.size()) + " unmatched shipments, " +
                  std::to_string(pr.unmatchedReceived.size()) + " unmatched receipts, " +
                  std::to_string(pr.duplicateKeys.size()) + " duplicate keys");
      } else {
        note(K::kMissing, "lane " + laneName, "lead time not fitted: " + lt.status().message());
        continue;
      }
      m.lanes.push_back(lane);
      if (std::find(m.sites.begin(), m.sites.end(), to) == m.sites.end()) m.sites.push_back(to);
      note(K::kRead, "lane " + laneName,
           "from EPCIS shipping and receiving between " + from +
               (locationLabel.count(from) ? " (" + locationLabel[from] + ")" : std::string()) +
               " and " + to +
               (locationLabel.count(to) ? " (" + locationLabel[to] + ")" : std::string()));

      for (const std::string& product : products) {
        std::vector<double> qty;
        double first = inf, last = -inf;
        double firstAll = inf, lastAll = -inf;
        for (const Move& mv : moves)
          if (mv.ship && mv.dispenser && mv.from == to && mv.product == product && mv.t < before) {
            firstAll = std::min(firstAll, mv.t);
            lastAll = std::max(lastAll, mv.t);
          }
        // The window: the last demandWindowDays before the cut (or before the last record).
        const double windowEnd =
            std::isfinite(before) ? before : (std::floor(lastAll / sim::kDay) + 1) * sim::kDay;
        // Records that start inside the window: it starts with them.
        const double windowStart =
            std::max(o.demandWindowDays > 0 ? windowEnd - o.demandWindowDays * sim::kDay : -inf,
                     std::floor(firstAll / sim::kDay) * sim::kDay);
        for (const Move& mv : moves)
          if (mv.ship && mv.dispenser && mv.from == to && mv.product == product &&
              mv.t < windowEnd && mv.t >= windowStart) {
            qty.push_back(mv.units);
            first = std::min(first, mv.t);
            last = std::max(last, mv.t);
          }
        const std::string subject = "demand for " + product + " at " + to;
        if (qty.size() < 2) {
          note(K::kMissing, subject, "fewer than 2 EPCIS shipments to dispensers before the cut");
          continue;
        }
        // Orders per day over the window (from its start, or the first record if later, to its
        // end): the time after the last order counts, or a periodic pattern would look faster.
        const double days = std::max(1.0, (windowEnd - windowStart) / sim::kDay);
        const double perDay = static_cast<double>(qty.size()) / days;
        double total = 0;
        for (double q : qty) total += q;
        const double meanQty = total / static_cast<double>(qty.size());
        sim::Demand d;
        d.name = "dispensers of " + product + "@" + to;
        d.site = to;
        d.product = product;
        d.ordersPerDay = perDay;
        d.quantity = sim::Dist::empirical(qty);
        d.dueAfter = o.build.dueDays * sim::kDay;
        d.backorders = true;
        m.demands.push_back(d);
        param("demand " + d.name, "Poisson orders, empirical quantity",
              fmt(perDay) + " orders/day, mean " + fmt(meanQty) + " units/order (" +
                  fmt(perDay * meanQty * 30.4375, 6) + " units/month)",
              static_cast<int>(qty.size()), "epcis-moves",
              "EPCIS shipping to licensed dispensers from " + formatDate(first) + " to " +
                  formatDate(last) + " (a window of " + fmt(days) + " days to " +
                  formatDate(windowEnd) + ")");
        // Orders per week over the window against Poisson (calib::fitDemand): the model draws
        // Poisson orders, and the table says whether the records agree.
        {
          const int weeks = std::max(1, static_cast<int>(std::floor(days / 7)));
          std::vector<double> perWeek(weeks, 0.0);
          for (const Move& mv : moves)
            if (mv.ship && mv.dispenser && mv.from == to && mv.product == product &&
                mv.t < windowEnd && mv.t >= windowEnd - weeks * sim::kWeek) {
              int w = static_cast<int>((mv.t - (windowEnd - weeks * sim::kWeek)) / sim::kWeek);
              perWeek[std::clamp(w, 0, weeks - 1)] += 1;
            }
          auto fd = calib::fitDemand(perWeek);
          if (fd)
            param("orders per week " + product + "@" + to,
                  fd->overdispersed ? "negative binomial" : "Poisson",
                  "mean " + fmt(fd->mean) + " orders/week, variance/mean " +
                      fmt(fd->dispersionIndex) + " (dispersion p " + fmt(fd->dispersionPValue, 2) +
                      ")",
                  static_cast<int>(fd->periods), "epcis-moves", fd->note);
        }
        // The manufacturer's own sales of the product (SAP 601 when a dispenser buys from the
        // 3PL) are the same units: the lane carries them now.
        auto& ds = m.demands;
        for (auto it = ds.begin(); it != ds.end();)
          if (it->product == product && it->site == from &&
              it->name.rfind("customers of ", 0) == 0) {
            note(K::kRead, "demand " + it->name,
                 "replaced by the dispensers' demand at " + to + " served over lane " + laneName);
            it = ds.erase(it);
          } else {
            ++it;
          }
        const double daily = perDay * meanQty;
        sim::Inventory inv;
        inv.site = to;
        inv.product = product;
        inv.lane = laneName;
        inv.policy = sim::Policy::kMinMax;
        inv.s = static_cast<int64_t>(
            std::ceil(daily * (o.build.reorderDays + lane.leadTime.mean() / sim::kDay)));
        inv.S = inv.s + std::max<int64_t>(
                            1, static_cast<int64_t>(std::ceil(daily * o.build.orderUpToDays)));
        inv.initial = inv.S;
        note(K::kAssumed, "inventory " + product + "@" + to,
             "policy (s,S) = (" + std::to_string(inv.s) + "," + std::to_string(inv.S) +
                 ") from the demand as for the other inventories; replenished over lane " +
                 laneName);
        m.inventories.push_back(inv);
      }
    }

    // ---- Initial stock at time 0 from the records.
    if (o.stockFromRecords) {
      std::map<std::pair<std::string, std::string>, double> produced;
      std::map<std::pair<std::string, std::string>, int> producedRows;
      for (const Row& r : *productionRows) {
        double t = 0, q = 0;
        if (!parseTimestamp(rowValue(r, "date"), &t) || !rowNumber(r, "q", &q) || t >= start) continue;
        produced[{siteName(rowValue(r, "site")), rowValue(r, "product")}] += q;
        producedRows[{siteName(rowValue(r, "site")), rowValue(r, "product")}]++;
      }
      for (sim::Inventory& inv : m.inventories) {
        const std::string subject = "inventory " + inv.product + "@" + inv.site;
        double in = 0, out = 0;
        std::string how;
        if (!inv.lane.empty()) {
          for (const Move& mv : moves) {
            if (mv.product != inv.product || mv.t >= start) continue;
            if (!mv.ship && mv.to == inv.site && !mv.dispenser) in += mv.units;
            if (mv.ship && mv.from == inv.site && mv.dispenser) out += mv.units;
          }
          how = "EPCIS units received minus units shipped to dispensers before " + m.start;
        } else if (!inv.line.empty() && producedRows.count({inv.site, inv.product})) {
          in = produced[{inv.site, inv.product}];
          bool viaLane = false;
          for (const Move& mv : moves)
            if (mv.ship && mv.from == inv.site && mv.product == inv.product && !mv.dispenser &&
                mv.t < start) {
              out += mv.units;
              viaLane = true;
            }
          if (!viaLane) continue;
          how = "ERP production receipts minus EPCIS shipments to the distribution centre before " +
                m.start;
        } else {
          continue;
        }
        const double stock = in - out;
        if (stock < 0) {
          note(K::kMissing, subject,
               "stock at time 0 from the records is negative (" + fmt(stock) +
                   "): the records are incomplete; S is kept");
          continue;
        }
        inv.initial = static_cast<int64_t>(std::llround(stock));
        for (auto& n : rep.built.notes)
          if (n.subject == subject) {
            size_t at = n.text.find(
                "initial stock = S (no policy or stock level is read from "
                "the graph)");
            if (at != std::string::npos)
              n.text = n.text.substr(0, at) +
                       "initial stock read from the records (policy not "
                       "read from the graph)";
          }
        param("initial stock " + inv.product + "@" + inv.site, "count",
              std::to_string(inv.initial) + " units at " + m.start, 0, "epcis-moves, production",
              how + "; orders in transit or in production at time 0 are not carried over");
      }
    }
  }

  dropNotes(K::kMissing, "model", "not read from the graph in this version");
  note(K::kMissing, "model",
       "not read from the records in this version: shifts, planned maintenance, changeovers, "
       "bills of materials (materials are consumed by their own recorded issues, not by "
       "production), batch steps without counters, supplier interruptions (scenarios), power");
  return rep;
}

}  // namespace weft::twin
