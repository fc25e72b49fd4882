// SPDX-License-Identifier: Apache-2.0
#include "engine/twin/bootstrap.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <set>
#include <utility>


namespace weft::twin {
namespace {

std::string lastSegment(const std::string& iri) { return siteName(iri); }

#define WEFT_BOOT_PREFIXES                                                   \
  "PREFIX dt:   <https://w3id.org/weft/dt#>\n"                               \
  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"                   \
  "PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>\n"

// Equipment with an id and the site it stands at (directly, through its ERP work centre, or
// through the batches run on it), with what describes its kind. One row per combination of
// optional values; they are gathered per equipment in C++.
constexpr const char* kEquipmentQuery = WEFT_BOOT_PREFIXES R"(
SELECT ?eq ?id ?site ?code ?siteLabel ?label ?level ?cls ?type ?cap ?unit
WHERE {
  ?eq dt:equipmentId ?id .
  { ?eq dt:site ?site } UNION { ?eq dt:workCenter/dt:site ?site }
  UNION { ?b dt:executedOn ?eq ; dt:site ?site }
  OPTIONAL { ?site dt:plantCode ?code }
  OPTIONAL { ?site rdfs:label ?siteLabel }
  OPTIONAL { ?eq rdfs:label ?label }
  OPTIONAL { ?eq dt:equipmentLevel ?level }
  OPTIONAL { ?eq dt:equipmentClass ?cls }
  OPTIONAL { ?eq a ?type }
  OPTIONAL { ?eq dt:capacityPerWeek ?cap }
  OPTIONAL { ?eq dt:capacityUnit ?unit }
}
)";

// Batches recorded per piece of equipment: the history a new site does not have.
constexpr const char* kHistoryQuery = WEFT_BOOT_PREFIXES R"(
SELECT ?eq (COUNT(DISTINCT ?b) AS ?batches)
WHERE { ?b dt:executedOn ?eq }
GROUP BY ?eq
)";

// Products planned for a site or a piece of equipment.
constexpr const char* kPlannedQuery = WEFT_BOOT_PREFIXES R"(
SELECT ?x ?product
WHERE {
  ?x dt:plannedProduct ?p .
  OPTIONAL { ?p rdfs:label ?l }
  BIND(COALESCE(?l, STR(?p)) AS ?product)
}
)";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct Equipment {
  std::string iri, id, site;
  std::set<std::string> siteNames;  // IRI, plant code, label, last segment (lower case)
  std::set<std::string> labels, levels, classes, types, units;  // units lower case
  double capacity = 0;  // smallest weekly capacity recorded (0: none)
  long batches = 0;
};

std::set<std::string> words(const std::set<std::string>& labels) {
  std::set<std::string> out;
  for (const auto& l : labels) {
    std::string w;
    for (char ch : l + " ") {
      if (std::isalnum(static_cast<unsigned char>(ch))) {
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      } else {
        if (w.size() >= 2 && !std::all_of(w.begin(), w.end(), ::isdigit)) out.insert(w);
        w.clear();
      }
    }
  }
  return out;
}

bool intersects(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a)
    if (b.count(x)) return true;
  return false;
}

std::string firstOf(const std::set<std::string>& s) { return s.empty() ? "" : *s.begin(); }

// rdf:type values that say nothing about the kind of equipment.
bool informativeType(const std::string& t) {
  return t.find("owl#Thing") == std::string::npos &&
         t.find("owl#NamedIndividual") == std::string::npos &&
         t.find("MaterialArtifact") == std::string::npos;
}

struct Match {
  double score = 0;
  std::string basis;
};

Match compare(const Equipment& n, const Equipment& l) {
  Match m;
  auto add = [&](double s, const std::string& why) {
    m.score += s;
    if (!m.basis.empty()) m.basis += ", ";
    m.basis += why;
  };
  if (intersects(n.classes, l.classes)) add(8, "same equipment class " + firstOf(n.classes));
  std::set<std::string> nt, lt;
  for (const auto& t : n.types)
    if (informativeType(t)) nt.insert(t);
  for (const auto& t : l.types)
    if (informativeType(t)) lt.insert(t);
  for (const auto& t : nt)
    if (lt.count(t)) {
      add(4, "same rdf:type " + lastSegment(t));
      break;
    }
  if (intersects(n.units, l.units)) add(2, "same capacity unit " + firstOf(n.units));
  if (intersects(n.levels, l.levels)) add(1, "same level " + firstOf(n.levels));
  std::set<std::string> nw = words(n.labels), lw = words(l.labels);
  size_t common = 0;
  for (const auto& w : nw) common += lw.count(w);
  size_t all = nw.size() + lw.size() - common;
  if (all > 0 && common > 0) {
    double j = static_cast<double>(common) / static_cast<double>(all);
    char buf[64];
    std::snprintf(buf, sizeof buf, "label overlap %.2f", j);
    add(2 * j, buf);
  }
  return m;
}

// The distribution of a duration made `factor` times longer (every kind scales linearly).
sim::Dist scaled(const sim::Dist& d, double factor) {
  if (factor == 1) return d;
  sim::Dist out = d;
  switch (d.kind) {
    case sim::DistKind::kNone: break;
    case sim::DistKind::kDeterministic:
    case sim::DistKind::kExponential: out.a = d.a * factor; break;
    case sim::DistKind::kUniform:
    case sim::DistKind::kNormal: out.a = d.a * factor; out.b = d.b * factor; break;
    case sim::DistKind::kLognormal: out.a = d.a + std::log(factor); break;
    case sim::DistKind::kWeibull:
    case sim::DistKind::kGamma: out.b = d.b * factor; break;
    case sim::DistKind::kTriangular:
      out.a = d.a * factor; out.b = d.b * factor; out.c = d.c * factor;
      break;
    case sim::DistKind::kEmpirical: {
      std::vector<double> v = *d.table;
      for (double& x : v) x *= factor;
      out = sim::Dist::empirical(std::move(v));
      break;
    }
  }
  return out;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

const Equipment* findSite(const std::map<std::string, Equipment>& eqs, const std::string& want,
                          std::string* iri) {
  const std::string w = lower(want);
  for (const auto& [key, e] : eqs)
    if (e.siteNames.count(w)) {
      *iri = e.site;
      return &e;
    }
  return nullptr;
}

}  // namespace

const char* bootstrapEquipmentQuery() { return kEquipmentQuery; }

std::string BootstrapResult::text() const {
  std::string out;
  for (const Borrowed& b : borrowed)
    out += "borrowed " + b.item + ": " + b.parameter + " = " + b.value + " from " + b.from +
           " (" + b.basis + ")" + (b.calibration.empty() ? "" : "; " + b.calibration) + "\n";
  for (const Note& n : notes) {
    const char* k = n.kind == Note::Kind::kAssumed ? "assumed" :
                    n.kind == Note::Kind::kMissing ? "missing" : "read";
    out += std::string(k) + std::string(9 - std::string(k).size(), ' ') + n.subject + ": " +
           n.text + "\n";
  }
  return out;
}

Result<BootstrapResult> bootstrapSite(const sparql::Dataset& data, const ModelReport& like,
                                      const BootstrapOptions& o) {
  auto rows = selectRows(data, "bootstrap-equipment", kEquipmentQuery,
                                   o.unionDefaultGraph);
  if (!rows) return rows.status();
  // Equipment keyed by (site IRI, equipment IRI): the same unit seen at two sites (a
  // contradiction) stays two entries, each found under its own site.
  std::map<std::string, Equipment> eqs;
  for (const Row& r : rows.value()) {
    const std::string site = rowValue(r, "site"), iri = rowValue(r, "eq");
    Equipment& e = eqs[site + "\n" + iri];
    e.iri = iri;
    e.id = rowValue(r, "id");
    e.site = site;
    e.siteNames.insert(lower(site));
    e.siteNames.insert(lower(lastSegment(site)));
    if (auto v = rowValue(r, "code"); !v.empty()) e.siteNames.insert(lower(v));
    if (auto v = rowValue(r, "siteLabel"); !v.empty()) e.siteNames.insert(lower(v));
    if (auto v = rowValue(r, "label"); !v.empty()) e.labels.insert(v);
    if (auto v = rowValue(r, "level"); !v.empty()) e.levels.insert(lower(v));
    if (auto v = rowValue(r, "cls"); !v.empty()) e.classes.insert(lower(v));
    if (auto v = rowValue(r, "type"); !v.empty()) e.types.insert(v);
    if (auto v = rowValue(r, "unit"); !v.empty()) e.units.insert(lower(v));
    double cap = 0;
    if (rowNumber(r, "cap", &cap) && cap > 0 && (e.capacity == 0 || cap < e.capacity))
      e.capacity = cap;
  }
  auto hist = selectRows(data, "bootstrap-history", kHistoryQuery, o.unionDefaultGraph);
  if (!hist) return hist.status();
  std::map<std::string, long> batches;
  for (const Row& r : hist.value()) {
    double n = 0;
    if (rowNumber(r, "batches", &n)) batches[rowValue(r, "eq")] = static_cast<long>(n);
  }
  for (auto& [k, e] : eqs) e.batches = batches.count(e.iri) ? batches[e.iri] : 0;

  std::string siteIri, likeIri;
  if (!findSite(eqs, o.site, &siteIri))
    return Status::notFound("site " + o.site + ": no equipment stands there (looked for " +
                            "dt:site, dt:workCenter/dt:site or batches run there, by IRI, plant "
                            "code or label)");
  if (!findSite(eqs, o.like, &likeIri))
    return Status::notFound("site " + o.like + " (--like): no equipment stands there");
  if (siteIri == likeIri) return Status::invalidArgument("--site and --like are the same site");
  const std::string siteName = lastSegment(siteIri), likeName = lastSegment(likeIri);

  BootstrapResult res;
  auto note = [&](Note::Kind k, std::string subject, std::string text) {
    res.notes.push_back({k, std::move(subject), std::move(text)});
  };
  using K = Note::Kind;

  std::vector<const Equipment*> fresh;                 // the new site's equipment
  std::map<std::string, const Equipment*> likeById;    // the like site's, by equipment id
  for (const auto& [k, e] : eqs) {
    if (e.site == siteIri) fresh.push_back(&e);
    if (e.site == likeIri) likeById[e.id] = &e;
  }
  for (const Equipment* e : fresh)
    if (e->batches > 0)
      note(K::kRead, "equipment " + e->id,
           std::to_string(e->batches) + " batches recorded at the new site: it has history; "
           "parameters are still borrowed (calibrate it from its own records instead)");

  auto planned = selectRows(data, "bootstrap-planned", kPlannedQuery,
                                      o.unionDefaultGraph);
  if (!planned) return planned.status();
  std::set<std::string> sitePlanned;
  std::map<std::string, std::set<std::string>> eqPlanned;  // equipment IRI -> products
  for (const Row& r : planned.value()) {
    const std::string x = rowValue(r, "x"), p = rowValue(r, "product");
    if (x == siteIri) sitePlanned.insert(p);
    eqPlanned[x].insert(p);
  }

  sim::Model& m = res.model;
  m.name = "bootstrap of " + siteName + " like " + likeName;
  m.start = like.model.start;
  m.sites = {siteName};
  std::set<std::string> products;
  std::set<const Equipment*> used;
  std::set<std::string> matrices;

  for (const sim::Line& ll : like.model.lines) {
    if (ll.site != likeName) continue;
    // Match every machine of the like line to unused new equipment.
    std::vector<std::pair<const Equipment*, Match>> chosen;
    std::string why;
    std::vector<std::vector<const Equipment*>> extra;  // further parallel units per machine
    for (const sim::Machine& lm : ll.machines) {
      // A step of parallel units is named "BR-201+BR-202": its equipment is the first id's.
      auto it = likeById.find(lm.name.substr(0, lm.name.find('+')));
      if (it == likeById.end()) {
        why = "machine " + lm.name + " has no equipment record at " + likeName;
        break;
      }
      const Equipment& le = *it->second;
      const Equipment* best = nullptr;
      Match bestM;
      double bestGap = 0;
      for (const Equipment* e : fresh) {
        if (used.count(e)) continue;
        Match mt = compare(*e, le);
        if (mt.score < 3) continue;  // a unit in common and nothing else is not comparable
        double gap = e->capacity > 0 && le.capacity > 0 ? std::fabs(std::log(e->capacity / le.capacity))
                                                        : 1e9;
        if (!best || mt.score > bestM.score + 1e-9 ||
            (std::fabs(mt.score - bestM.score) <= 1e-9 && gap < bestGap)) {
          best = e;
          bestM = mt;
          bestGap = gap;
        }
      }
      if (!best) {
        why = "no equipment at " + siteName + " is comparable with " + lm.name;
        break;
      }
      used.insert(best);
      chosen.push_back({best, bestM});
      // As many new units as the like step has, when equally comparable (the second bioreactor).
      extra.emplace_back();
      for (const Equipment* e : fresh) {
        if (static_cast<int>(extra.back().size()) + 1 >= lm.parallel) break;
        if (used.count(e)) continue;
        if (std::fabs(compare(*e, le).score - bestM.score) > 1e-9) continue;
        used.insert(e);
        extra.back().push_back(e);
      }
    }
    if (chosen.size() != ll.machines.size()) {
      note(K::kMissing, "line " + ll.name + " of " + likeName, why + "; not reproduced");
      for (size_t i = 0; i < chosen.size(); ++i) used.erase(chosen[i].first);
      for (const auto& ex : extra)
        for (const Equipment* e : ex) used.erase(e);
      continue;
    }

    // The products the like line makes (the inventories it replenishes) and those planned.
    std::vector<std::string> made;
    std::map<std::string, double> weight;  // product -> demanded units per day at the like site
    for (const sim::Inventory& inv : like.model.inventories)
      if (inv.line == ll.name) made.push_back(inv.product);
    for (const sim::Demand& d : like.model.demands)
      if (d.site == likeName) weight[d.product] += d.ordersPerDay * d.quantity.mean();
    std::set<std::string> wanted = sitePlanned;
    for (const auto& c : chosen)
      if (eqPlanned.count(c.first->iri)) wanted.insert(eqPlanned[c.first->iri].begin(),
                                                       eqPlanned[c.first->iri].end());

    sim::Line nl = ll;
    nl.name = chosen.front().first->id;
    nl.site = siteName;
    nl.input = sim::LineInput::kPush;
    nl.pushCycle.clear();
    const std::string lineItem = "line " + nl.name;
    for (size_t i = 0; i < ll.machines.size(); ++i) {
      const sim::Machine& lm = ll.machines[i];
      const Equipment& ne = *chosen[i].first;
      const Equipment& le = *likeById[lm.name.substr(0, lm.name.find('+'))];
      sim::Machine& nm = nl.machines[i];
      nm.name = ne.id;
      for (const Equipment* e : extra[i]) nm.name += "+" + e->id;
      nm.parallel = 1 + static_cast<int>(extra[i].size());
      nm.outages.clear();
      nm.maintenance.clear();
      const std::string item = "machine " + nm.name + " (" + lineItem + ")";
      const std::string from = lm.name + " at " + likeName;
      const std::string& basis = chosen[i].second.basis;
      double factor = 1;
      std::string scaleNote;
      if (ne.capacity > 0 && le.capacity > 0 && intersects(ne.units, le.units)) {
        factor = le.capacity / ne.capacity;
        scaleNote = " x " + fmt(factor) + " (capacity " + fmt(le.capacity) + " -> " +
                    fmt(ne.capacity) + " per week)";
      } else {
        note(K::kAssumed, item,
             "cycle time not scaled: weekly capacity in a common unit is not known for both " +
                 ne.id + " and " + lm.name);
      }
      for (auto& [prod, dist] : nm.cycleTime) {
        dist = scaled(dist, factor);
        res.borrowed.push_back({item, "cycle time" + (prod == "*" ? std::string() : " of " + prod),
                                lm.cycleTime.at(prod).describe() + scaleNote, from, basis, ""});
      }
      for (const auto& [prod, p] : nm.scrap)
        res.borrowed.push_back({item, "scrap" + (prod == "*" ? std::string() : " of " + prod),
                                fmt(p), from, basis, ""});
      for (const sim::FailureMode& f : nm.failures) {
        res.borrowed.push_back({item, "time to failure (" + f.name + ")",
                                f.timeToFailure.describe(), from, basis, ""});
        res.borrowed.push_back({item, "time to repair (" + f.name + ")",
                                f.timeToRepair.describe(), from, basis, ""});
      }
      if (!nm.setupMatrix.empty()) {
        matrices.insert(nm.setupMatrix);
        res.borrowed.push_back({item, "changeovers", "setup matrix " + nm.setupMatrix, from, basis, ""});
      }
      if (nm.periodicMaintenance.interval > 0)
        res.borrowed.push_back({item, "planned maintenance",
                                "every " + fmt(nm.periodicMaintenance.interval / sim::kDay) +
                                    " d for " + fmt(nm.periodicMaintenance.duration / sim::kHour) + " h",
                                from, basis, ""});
      if (!ll.machines[i].maintenance.empty())
        note(K::kAssumed, item, "the like machine's dated maintenance windows are not copied");
      if (nm.failures.empty())
        note(K::kAssumed, item, "no failure law: " + lm.name + " has none in the model either");
      if (lm.parallel > 1 || nm.parallel > 1)
        res.borrowed.push_back({item, "parallel units", std::to_string(nm.parallel) + " (" +
                                std::to_string(lm.parallel) + " on " + lm.name + ")", from,
                                nm.parallel < lm.parallel ? basis + "; fewer comparable units at " +
                                siteName : basis, ""});
    }
    if (!ll.buffers.empty())
      res.borrowed.push_back({lineItem, "buffers", std::to_string(ll.buffers.size()) +
                              " buffers as on " + ll.name, ll.name + " at " + likeName, "line shape", ""});
    if (ll.shifts.period > 0)
      res.borrowed.push_back({lineItem, "shifts", std::to_string(ll.shifts.on.size()) +
                              " windows per " + fmt(ll.shifts.period / sim::kDay) + " d",
                              ll.name + " at " + likeName, "line shape", ""});

    // Product mix: planned products if any, else the like line's; lots in proportion to the
    // like site's demand, 100 units for the largest.
    std::vector<std::string> mix;
    if (!wanted.empty()) {
      for (const auto& p : wanted) {
        bool can = true;
        for (const auto& mc : nl.machines)
          can = can && (mc.cycleTime.count(p) || mc.cycleTime.count("*"));
        if (can) mix.push_back(p);
        else note(K::kMissing, lineItem, "planned product " + p + " has no cycle time on " + ll.name);
      }
    } else {
      mix = made;
      if (!mix.empty())
        note(K::kAssumed, lineItem, "no dt:plannedProduct for " + siteName +
                                        ": makes what " + ll.name + " makes");
    }
    if (mix.empty()) {
      note(K::kMissing, lineItem, "no product to make; not reproduced");
      for (const auto& c : chosen) used.erase(c.first);
      for (const auto& ex : extra)
        for (const Equipment* e : ex) used.erase(e);
      continue;
    }
    double top = 0;
    for (const auto& p : mix) top = std::max(top, weight[p]);
    std::string mixText;
    for (const auto& p : mix) {
      int64_t q = top > 0 && weight[p] > 0
                      ? std::max<int64_t>(1, std::llround(100 * weight[p] / top)) : 100;
      nl.pushCycle.push_back({p, q});
      products.insert(p);
      mixText += (mixText.empty() ? "" : ", ") + std::to_string(q) + " " + p;
    }
    res.borrowed.push_back({lineItem, "product mix (push, per cycle)", mixText,
                            "demand at " + likeName,
                            top > 0 ? "units demanded per day" : "no demand recorded: equal lots", ""});
    m.lines.push_back(std::move(nl));
  }
  for (const Equipment* e : fresh)
    if (!used.count(e))
      note(K::kMissing, "equipment " + e->id,
           "not part of a reproduced line (nothing comparable in a modelled line of " + likeName +
               ")");
  // Where a borrowed number was itself fitted to records, say so (the calibration's table).
  if (o.calibrated)
    for (Borrowed& b : res.borrowed)
      for (const CalibratedParameter& p : *o.calibrated) {
        const std::string src = b.from.substr(0, b.from.find(" at "));
        const bool same = p.parameter.find(src) != std::string::npos &&
                          ((b.parameter.rfind("cycle time", 0) == 0 &&
                            p.parameter.rfind("cycle time", 0) == 0 &&
                            (b.parameter == "cycle time" ||
                             p.parameter.find(b.parameter.substr(14)) != std::string::npos)) ||
                           (b.parameter.rfind("scrap", 0) == 0 && p.parameter.rfind("yield", 0) == 0 &&
                            (b.parameter == "scrap" ||
                             p.parameter.find(b.parameter.substr(9)) != std::string::npos)) ||
                           (b.parameter.rfind("time to failure", 0) == 0 &&
                            p.parameter.rfind("time to failure", 0) == 0) ||
                           (b.parameter.rfind("time to repair", 0) == 0 &&
                            p.parameter.rfind("time to repair", 0) == 0));
        if (!same) continue;
        b.calibration = p.family + " fitted on " + std::to_string(p.n) + " records (" + p.source + ")";
        break;
      }
  if (m.lines.empty())
    return Status::notFound("no line of " + likeName + " could be reproduced at " + siteName +
                            ":\n" + res.text());
  for (const sim::SetupMatrix& sm : like.model.setupMatrices)
    if (matrices.count(sm.name)) m.setupMatrices.push_back(sm);
  // Products named in the copied cycle-time tables and setup matrices must exist too.
  for (const sim::Line& l : m.lines)
    for (const sim::Machine& mc : l.machines)
      for (const auto& [p, d] : mc.cycleTime)
        if (p != "*") products.insert(p);
  m.products.assign(products.begin(), products.end());
  note(K::kAssumed, "site " + siteName,
       "lines run at capacity (push) with the product mix above; no materials, inventories or "
       "demand are modelled for a site without history");
  return res;
}

}  // namespace weft::twin
