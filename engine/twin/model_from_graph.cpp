// SPDX-License-Identifier: Apache-2.0
#include "engine/twin/model_from_graph.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "engine/core/civil_date.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"

namespace weft::twin {
namespace {

#define WEFT_TWIN_PREFIXES                                                   \
  "PREFIX dt:   <https://w3id.org/weft/dt#>\n"                               \
  "PREFIX iof:  <https://spec.industrialontologies.org/ontology/construct/>\n" \
  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"                   \
  "PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>\n"

// Production units: every piece of equipment with an id and a weekly capacity (ERP work
// centres carry the capacity too, but no dt:equipmentId, so a unit counts once). The site
// comes from the equipment, its work centre, or the batches run on it; ERP and MES may give
// different capacities, hence MIN and MAX (reported when they differ).
constexpr const char* kLinesQuery = WEFT_TWIN_PREFIXES R"(
SELECT ?line (MIN(xsd:double(?c)) AS ?minCap) (MAX(xsd:double(?c)) AS ?maxCap)
       (SAMPLE(?u) AS ?unit) (SAMPLE(?s) AS ?site) (COUNT(DISTINCT ?s) AS ?sites)
WHERE {
  ?eq dt:equipmentId ?line ; dt:capacityPerWeek ?c .
  OPTIONAL { ?eq dt:capacityUnit ?u }
  OPTIONAL { { ?eq dt:site ?s } UNION { ?eq dt:workCenter/dt:site ?s }
             UNION { ?b dt:executedOn ?eq ; dt:site ?s } }
}
GROUP BY ?line ORDER BY ?line
)";

// What each unit made: the products of the output lots of the batches executed on it.
constexpr const char* kProductsQuery = WEFT_TWIN_PREFIXES R"(
SELECT ?line ?product (COUNT(DISTINCT ?b) AS ?batches)
WHERE {
  ?b dt:executedOn ?eq ; iof:hasSpecifiedOutput ?lot .
  ?lot dt:ofProduct ?p .
  ?eq dt:equipmentId ?line ; dt:capacityPerWeek ?c .
  OPTIONAL { ?p rdfs:label ?l }
  BIND(COALESCE(?l, STR(?p)) AS ?product)
}
GROUP BY ?line ?product ORDER BY ?line ?product
)";

// Sourcing: ERP source lists / approved suppliers (primary or backup, planned lead time).
constexpr const char* kSupplyQuery = WEFT_TWIN_PREFIXES R"(
SELECT ?site ?product ?supplier ?role ?days
WHERE {
  ?rel a iof:SupplyRelationship ; dt:forProduct ?p ; dt:supplier ?v ; dt:supplierStatus ?role ;
       dt:leadTimeDays ?days .
  OPTIONAL { ?rel dt:site ?site }
  OPTIONAL { ?p rdfs:label ?pl }
  OPTIONAL { ?v rdfs:label ?vl }
  BIND(COALESCE(?pl, STR(?p)) AS ?product)
  BIND(COALESCE(?vl, STR(?v)) AS ?supplier)
}
ORDER BY ?site ?product ?role ?supplier
)";

// Demand: goods movements out of a site's stock. Shipments (SAP movement 601 and the like) are
// customer demand; issues to production are the consumption of purchased materials.
constexpr const char* kDemandQuery = WEFT_TWIN_PREFIXES R"(
SELECT ?kind ?site ?product (COUNT(?m) AS ?orders) (SUM(xsd:double(?q)) AS ?quantity)
       (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last)
WHERE {
  ?m dt:movementKind ?kind ; dt:site ?site ; dt:ofProduct ?p ; dt:quantity ?q ;
     dt:postingDate ?d .
  FILTER(?kind = "shipment" || ?kind = "issue")
  OPTIONAL { ?p rdfs:label ?l }
  BIND(COALESCE(?l, STR(?p)) AS ?product)
}
GROUP BY ?kind ?site ?product ORDER BY ?kind ?site ?product
)";

Result<std::vector<Row>> select(const sparql::Dataset& data, const char* name, const char* text,
                                const BuildOptions& o) {
  return selectRows(data, name, text, o.unionDefaultGraph);
}

// Days since 1970-01-01 of "YYYY-MM-DD..." (H. Hinnant's days_from_civil), or false.
bool dayNumber(const std::string& s, long* out) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
    return false;
  *out = static_cast<long>(daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return true;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

bool countsBatches(const std::string& unit) {
  std::string u = unit;
  std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::tolower(c); });
  return u.find("batch") != std::string::npos;
}

struct LineFacts {
  std::string site, unit;
  double capacity = 0;  // per week
  std::vector<std::string> products;
};

struct SupplyFacts {
  std::string supplier, role;
  double days = 0;
};

}  // namespace

Result<std::vector<Row>> selectRows(const sparql::Dataset& data, const char* name,
                                    const char* text, bool unionDefaultGraph) {
  auto q = sparql::parseQuery(text);
  if (!q) return Status::internal(std::string("twin query ") + name + ": " + q.status().message());
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  sparql::ExecOptions exec;
  exec.union_default_graph = unionDefaultGraph;
  Status st = sparql::executeQuery(q.value(), data, exec, out);
  if (!st) return Status(st.code(), std::string("twin query ") + name + ": " + st.message());
  std::vector<Row> rows;
  for (const auto& r : rs.rows) {
    Row row;
    for (size_t i = 0; i < rs.vars.size(); ++i)
      if (!r[i].isNone()) row[rs.vars[i]] = r[i].value;
    rows.push_back(std::move(row));
  }
  return rows;
}

// The plant code people use, and unique enough within one network.
std::string siteName(const std::string& iri) {
  size_t slash = iri.find_last_of("/#");
  return slash == std::string::npos || slash + 1 == iri.size() ? iri : iri.substr(slash + 1);
}

bool parseTimestamp(const std::string& text, double* seconds) {
  long day = 0;
  if (!dayNumber(text, &day)) return false;
  int hh = 0, mm = 0;
  double ss = 0;
  if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) {
    int n = std::sscanf(text.c_str() + 11, "%d:%d:%lf", &hh, &mm, &ss);
    if (n < 2 || hh < 0 || hh > 24 || mm < 0 || mm > 59 || !(ss >= 0 && ss < 61)) return false;
  }
  *seconds = static_cast<double>(day) * 86400.0 + hh * 3600.0 + mm * 60.0 + ss;
  return true;
}

std::string formatDate(double seconds) {
  const CivilDate c = civilFromDays(static_cast<int64_t>(std::floor(seconds / 86400.0)));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return buf;
}

std::string rowValue(const Row& r, const char* key) {
  auto it = r.find(key);
  return it == r.end() ? std::string() : it->second;
}

bool rowNumber(const Row& r, const char* key, double* out) {
  auto it = r.find(key);
  if (it == r.end() || it->second.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

const std::vector<NamedQuery>& queries() {
  static const std::vector<NamedQuery> kQueries = {
      {"lines", kLinesQuery},
      {"products-on-lines", kProductsQuery},
      {"supply", kSupplyQuery},
      {"demand", kDemandQuery},
  };
  return kQueries;
}

std::string ModelReport::text() const {
  std::string out;
  for (const Note& n : notes) {
    const char* k = n.kind == Note::Kind::kAssumed ? "assumed" :
                    n.kind == Note::Kind::kMissing ? "missing" : "read";
    out += k;
    out.append(8 - std::string(k).size(), ' ');
    out += n.subject + ": " + n.text + "\n";
  }
  return out;
}

Result<ModelReport> buildModel(const sparql::Dataset& data, const BuildOptions& o) {
  ModelReport rep;
  auto note = [&](Note::Kind k, std::string subject, std::string text) {
    rep.notes.push_back({k, std::move(subject), std::move(text)});
  };
  using K = Note::Kind;
  sim::Model& m = rep.model;
  m.name = "from the graph";

  auto lineRows = select(data, "lines", kLinesQuery, o);
  if (!lineRows) return lineRows.status();
  auto productRows = select(data, "products-on-lines", kProductsQuery, o);
  if (!productRows) return productRows.status();
  auto supplyRows = select(data, "supply", kSupplyQuery, o);
  if (!supplyRows) return supplyRows.status();
  std::string demandText = kDemandQuery;
  if (!o.before.empty()) {
    // Only movements posted before the cut (ISO dates compare as strings).
    const std::string anchor = "FILTER(?kind = \"shipment\" || ?kind = \"issue\")";
    size_t at = demandText.find(anchor);
    if (at != std::string::npos && o.before.find('"') == std::string::npos)
      demandText.insert(at + anchor.size(), "\n  FILTER(STR(?d) < \"" + o.before + "\")");
  }
  auto demandRows = select(data, "demand", demandText.c_str(), o);
  if (!demandRows) return demandRows.status();
  rep.capacityRows = static_cast<int>(lineRows->size());
  rep.productRows = static_cast<int>(productRows->size());
  rep.supplyRows = static_cast<int>(supplyRows->size());
  rep.demandRows = static_cast<int>(demandRows->size());

  // Production units.
  std::map<std::string, LineFacts> lines;
  for (const Row& r : *lineRows) {
    const std::string id = rowValue(r, "line");
    const std::string subject = "line " + id;
    double lo = 0, hi = 0, nsites = 0;
    rowNumber(r, "minCap", &lo);
    rowNumber(r, "maxCap", &hi);
    rowNumber(r, "sites", &nsites);
    if (!(lo > 0)) {
      note(K::kMissing, subject, "a positive dt:capacityPerWeek (found " + fmt(lo) + "); left out");
      continue;
    }
    if (rowValue(r, "site").empty()) {
      note(K::kMissing, subject,
           "its site (dt:site of the equipment, of its dt:workCenter, or of batches run on it); "
           "left out");
      continue;
    }
    LineFacts f;
    f.site = siteName(rowValue(r, "site"));
    f.unit = rowValue(r, "unit");
    f.capacity = lo;
    if (hi != lo)
      note(K::kAssumed, subject,
           "capacity per week differs between records (" + fmt(lo) + " and " + fmt(hi) +
               "); the smaller is used");
    if (nsites > 1)
      note(K::kAssumed, subject, "recorded at " + fmt(nsites) + " sites; " + f.site + " is used");
    lines[id] = std::move(f);
  }
  for (const Row& r : *productRows) {
    auto it = lines.find(rowValue(r, "line"));
    if (it != lines.end()) it->second.products.push_back(rowValue(r, "product"));
  }

  // Sourcing per (site, product).
  std::map<std::pair<std::string, std::string>, std::vector<SupplyFacts>> supply;
  for (const Row& r : *supplyRows) {
    const std::string product = rowValue(r, "product");
    if (rowValue(r, "site").empty()) {
      note(K::kMissing, "supply of " + product + " by " + rowValue(r, "supplier"),
           "the buying site (dt:site of the supply relationship); left out");
      continue;
    }
    SupplyFacts f{rowValue(r, "supplier"), rowValue(r, "role"), 0};
    if (!rowNumber(r, "days", &f.days) || f.days < 0) {
      note(K::kMissing, "supply of " + product + " by " + f.supplier,
           "a lead time in days (dt:leadTimeDays); left out");
      continue;
    }
    supply[{siteName(rowValue(r, "site")), product}].push_back(std::move(f));
  }

  std::set<std::string> sites, products, usedLines;
  std::set<std::pair<std::string, std::string>> demanded;
  for (const Row& r : *demandRows) {
    const std::string kind = rowValue(r, "kind");
    const std::string site = siteName(rowValue(r, "site"));
    const std::string product = rowValue(r, "product");
    const std::string subject = "demand for " + product + " at " + site;
    auto sup = supply.find({site, product});
    if (kind == "issue" && sup == supply.end()) {
      // Issues of what a site makes itself (intermediates) are internal flow between lines:
      // not modelled in this version.
      note(K::kMissing, subject,
           "issues to production of a product without a supply relationship at the site "
           "(an intermediate): not modelled");
      continue;
    }
    if (!demanded.insert({site, product}).second) {
      note(K::kAssumed, subject, "both shipped and issued; the " + kind + "s are ignored");
      continue;
    }
    double orders = 0, quantity = 0;
    long first = 0, last = 0;
    if (!rowNumber(r, "orders", &orders) || !rowNumber(r, "quantity", &quantity) || orders <= 0 ||
        !dayNumber(rowValue(r, "first"), &first) || !dayNumber(rowValue(r, "last"), &last)) {
      note(K::kMissing, subject, "movement counts, quantities or posting dates; left out");
      continue;
    }
    const double days = static_cast<double>(last - first + 1);
    const double perDay = orders / days;
    const double meanQty = std::max(1.0, std::round(quantity / orders));

    sim::Inventory inv;
    inv.site = site;
    inv.product = product;
    double leadDays = 0;
    // A product made at the site comes from a line; among the units that record it, those
    // counting batches are left out (demand counts units), and the smallest capacity wins:
    // the units of one product are stations in series, and the slowest sets the pace.
    std::string best;
    std::vector<std::string> others;
    for (const auto& [id, f] : lines) {
      if (f.site != site ||
          std::find(f.products.begin(), f.products.end(), product) == f.products.end())
        continue;
      if (countsBatches(f.unit)) {
        others.push_back(id + " (counts batches)");
        continue;
      }
      if (best.empty() || f.capacity < lines[best].capacity) {
        if (!best.empty()) others.push_back(best);
        best = id;
      } else {
        others.push_back(id);
      }
    }
    if (!best.empty()) {
      inv.line = best;
      usedLines.insert(best);
      std::string t = "made on line " + best + " (the smallest capacity among the units that "
                      "record it)";
      if (!others.empty()) {
        t += "; not modelled in series with it:";
        for (const auto& x : others) t += " " + x;
      }
      note(K::kAssumed, "inventory " + product + "@" + site, t);
    } else if (sup != supply.end()) {
      const SupplyFacts* primary = nullptr;
      const SupplyFacts* backup = nullptr;
      for (const auto& f : sup->second) {
        if (f.role == "primary" && !primary) primary = &f;
        else if (f.role == "backup" && !backup) backup = &f;
      }
      if (!primary) {
        primary = &sup->second.front();
        note(K::kAssumed, "inventory " + product + "@" + site,
             "no supplier with dt:supplierStatus \"primary\"; " + primary->supplier +
                 " (status \"" + primary->role + "\") is taken as primary");
        if (backup == primary) backup = nullptr;
      }
      if (sup->second.size() > 2 || (sup->second.size() == 2 && !backup))
        note(K::kAssumed, "inventory " + product + "@" + site,
             fmt(static_cast<double>(sup->second.size())) +
                 " supply relationships; only one primary and one backup are used");
      auto addSupplier = [&](const SupplyFacts& f) {
        sim::Supplier s;
        // One supplier entity per (supplier, product, site): lead times are per relationship.
        s.name = f.supplier + " / " + product + "@" + site;
        s.leadTime = sim::Dist::deterministic(f.days * sim::kDay);
        m.suppliers.push_back(s);
        note(K::kAssumed, "supplier " + s.name,
             "lead time deterministic at the planned " + fmt(f.days) +
                 " days (dt:leadTimeDays); observed order-to-receipt times are not read");
        return s.name;
      };
      inv.primarySupplier = addSupplier(*primary);
      leadDays = primary->days;
      if (backup) inv.backupSupplier = addSupplier(*backup);
    } else {
      note(K::kMissing, subject,
           "where it comes from: no unit at the site records making it (in units, not batches) "
           "and no supply relationship names it; left out");
      continue;
    }

    const double daily = perDay * meanQty;
    inv.policy = sim::Policy::kMinMax;
    inv.s = static_cast<int64_t>(std::ceil(daily * (o.reorderDays + leadDays)));
    inv.S = inv.s + std::max<int64_t>(1, static_cast<int64_t>(std::ceil(daily * o.orderUpToDays)));
    inv.initial = inv.S;
    note(K::kAssumed, "inventory " + product + "@" + site,
         "policy (s,S) = (" + std::to_string(inv.s) + "," + std::to_string(inv.S) + "): s = " +
             fmt(o.reorderDays) + " days of demand" +
             (leadDays > 0 ? " + lead-time demand" : std::string()) + ", S = s + " +
             fmt(o.orderUpToDays) + " days of demand; initial stock = S (no policy or stock "
             "level is read from the graph)");
    m.inventories.push_back(inv);

    sim::Demand d;
    d.name = (kind == "shipment" ? "customers of " : "consumption of ") + product + "@" + site;
    d.site = site;
    d.product = product;
    d.ordersPerDay = perDay;
    d.quantity = sim::Dist::deterministic(meanQty);
    d.dueAfter = o.dueDays * sim::kDay;
    d.backorders = true;
    m.demands.push_back(d);
    note(K::kRead, "demand " + d.name,
         fmt(orders) + " " + kind + "s, " + fmt(quantity) + " units, " + rowValue(r, "first") +
             " to " + rowValue(r, "last") + ": " + fmt(perDay) + " orders/day");
    note(K::kAssumed, "demand " + d.name,
         "Poisson order arrivals at the recorded mean rate; quantity deterministic at the mean " +
             fmt(meanQty) + " (rounded); due " + fmt(o.dueDays) +
             " days after the order; unfilled quantity backordered; no trend or season");
    sites.insert(site);
    products.insert(product);
  }

  for (auto& [id, f] : lines) {
    if (!usedLines.count(id)) {
      note(K::kMissing, "line " + id,
           "demand for what it makes (nothing modelled is sourced from it); left out");
      continue;
    }
    sim::Line line;
    line.name = id;
    line.site = f.site;
    line.input = sim::LineInput::kOrders;
    sim::Machine mach;
    mach.name = id;
    const double cycle = sim::kWeek / f.capacity;
    mach.cycleTime["*"] = sim::Dist::deterministic(cycle);
    line.machines.push_back(mach);
    m.lines.push_back(line);
    sites.insert(f.site);
    note(K::kAssumed, "line " + id,
         "one machine; cycle time = one week / dt:capacityPerWeek " + fmt(f.capacity) +
             (f.unit.empty() ? std::string() : " " + f.unit) + " = " + fmt(cycle) +
             " s, deterministic, for every product; running around the clock");
  }
  m.sites.assign(sites.begin(), sites.end());
  m.products.assign(products.begin(), products.end());

  note(K::kMissing, "model",
       "not read from the graph in this version, so absent from the model: failures and "
       "repairs, shifts, planned maintenance, changeovers, scrap, bills of materials, "
       "distribution lanes, supplier interruptions, power");
  if (m.lines.empty() && m.inventories.empty())
    note(K::kMissing, "model", "nothing to simulate: no demand could be tied to a source");
  return rep;
}

}  // namespace weft::twin
