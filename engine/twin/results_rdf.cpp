// SPDX-License-Identifier: Apache-2.0
// A simulation run as a named graph (results_rdf.h; layout in docs/twin.md, "Results in the
// graph"; terms in ontologies/dt-twin.ttl).
#include "engine/twin/results_rdf.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/core/civil_date.h"
#include "engine/core/utf8.h"
#include "engine/db/database.h"
#include "engine/db/graph_write.h"
#include "engine/rdf/xsd.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"

namespace weft::twin {
namespace {

constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kProv = "http://www.w3.org/ns/prov#";
constexpr std::string_view kType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

std::string xsd(std::string_view local) { return std::string(rdf::kXsd) + std::string(local); }

std::string sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

bool validRunId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return id != "." && id != "..";
}

// Names come from the graph and from scenario files; a stray invalid byte must not make the
// run graph unexportable, so invalid UTF-8 sequences become U+FFFD.
std::string cleanUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (size_t k = 1; ok && k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d >> 6) != 2) ok = false;
      cp = (cp << 6) | (d & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
               (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff))
      ok = false;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      appendUtf8(out, 0xfffd);
      ++i;
    }
  }
  return out;
}

// A path segment for a KPI node: its name percent-encoded (RFC 3986 unreserved characters kept),
// so the node of "machine:FF-1/FF-1:oee" is the same in every run and diffs line up.
std::string pathSegment(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The canonical xsd:double form ("2.5E-1"): one spelling per value, so output is diffable.
std::string doubleLexical(double x) {
  rdf::Value v;
  v.type = rdf::ValueType::kDouble;
  v.datatype = rdf::Datatype::kDouble;
  v.number = x;
  return rdf::canonicalLexical(v);
}

// Milliseconds since 1970 of the start date ("2026-01-01" or an xsd:dateTime).
Result<int64_t> startMillis(const std::string& start) {
  rdf::Value v = rdf::parseValue(start, xsd("dateTime"));
  if (v.type == rdf::ValueType::kDateTime)
    return static_cast<int64_t>(std::llround(rdf::toEpochSeconds(v.datetime) * 1000.0));
  v = rdf::parseValue(start, xsd("date"));
  if (v.type == rdf::ValueType::kDate && !v.datetime.has_timezone) {
    const auto& d = v.datetime;
    return daysFromCivil(d.year, d.month, d.day) * 86400000;
  }
  return Status::invalidArgument("start date '" + start +
                                 "' is not an xsd:date (2026-01-01, no timezone) or xsd:dateTime");
}

// "2026-01-01T06:00:00Z", with milliseconds when there are any (canonical: no trailing zeros).
std::string formatMillis(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rest = ms - days * 86400000;
  int64_t y;
  unsigned m, d;
  {
    const CivilDate c = civilFromDays(days);
    y = c.year, m = c.month, d = c.day;
  }
  char buf[64];
  const int64_t sec = rest / 1000, milli = rest % 1000;
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(sec / 3600),
                        static_cast<long long>(sec / 60 % 60), static_cast<long long>(sec % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (milli != 0) {
    std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(milli));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

Status checkDateTime(const std::string& text, const char* what) {
  if (rdf::parseValue(text, xsd("dateTime")).type != rdf::ValueType::kDateTime)
    return Status::invalidArgument(std::string(what) + " '" + text + "' is not an xsd:dateTime");
  return Status::ok();
}

// Appends quads of one graph; keeps IRIs and datatypes as owned strings (rdf::Quad).
class Builder {
 public:
  explicit Builder(std::string graph) : graph_(std::move(graph)) {}
  void iri(const std::string& s, std::string_view p, const std::string& o) {
    push(s, p, rdf::Term::iri(o));
  }
  void text(const std::string& s, std::string_view p, std::string_view v) {
    push(s, p, rdf::Term::literal(cleanUtf8(v)));
  }
  // Optional text: nothing for "".
  void textIf(const std::string& s, std::string_view p, std::string_view v) {
    if (!v.empty()) text(s, p, v);
  }
  void integer(const std::string& s, std::string_view p, int64_t v) {
    push(s, p, rdf::Term::literal(std::to_string(v), xsd("integer")));
  }
  void unsignedInteger(const std::string& s, std::string_view p, uint64_t v) {
    push(s, p, rdf::Term::literal(std::to_string(v), xsd("integer")));
  }
  void boolean(const std::string& s, std::string_view p, bool v) {
    push(s, p, rdf::Term::literal(v ? "true" : "false", xsd("boolean")));
  }
  // Only finite numbers are written (see dt:undefinedReason).
  bool number(const std::string& s, std::string_view p, double v) {
    if (!std::isfinite(v)) return false;
    push(s, p, rdf::Term::literal(doubleLexical(v), xsd("double")));
    return true;
  }
  void dateTime(const std::string& s, std::string_view p, const std::string& v) {
    push(s, p, rdf::Term::literal(v, xsd("dateTime")));
  }
  void type(const std::string& s, std::string_view cls) { iri(s, kType, std::string(cls)); }
  std::vector<rdf::Quad> take() { return std::move(quads_); }

 private:
  void push(const std::string& s, std::string_view p, rdf::Term o) {
    rdf::Quad q;
    q.s = rdf::Term::iri(s);
    q.p = rdf::Term::iri(p);
    q.o = std::move(o);
    q.g = rdf::Term::iri(graph_);
    quads_.push_back(std::move(q));
  }
  std::string graph_;
  std::vector<rdf::Quad> quads_;
};

std::string dt(std::string_view local) { return std::string(kDt) + std::string(local); }
std::string prov(std::string_view local) { return std::string(kProv) + std::string(local); }

// "machine:FF-1/FF-1:availability" -> ("machine", "FF-1/FF-1", "availability"). The kind and the
// measure never hold ':', the subject may ("inventory:Vial: 10 mL@S1:fill_rate").
void splitKpiName(const std::string& name, std::string* kind, std::string* subject,
                  std::string* measure) {
  const size_t first = name.find(':'), last = name.rfind(':');
  if (first == std::string::npos) {
    *measure = name;
    return;
  }
  *kind = name.substr(0, first);
  *measure = name.substr(last + 1);
  if (last > first) *subject = name.substr(first + 1, last - first - 1);
}

using Row = std::map<std::string, std::string>;

Result<std::vector<Row>> select(const store::Store& st, const char* text) {
  auto q = sparql::parseQuery(text);
  if (!q) return Status::internal(std::string("run query: ") + q.status().message());
  db::StoreDataset data(st.snapshot());
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  sparql::ExecOptions exec;
  WEFT_TRY(sparql::executeQuery(q.value(), data, exec, out));
  std::vector<Row> rows;
  for (const auto& r : rs.rows) {
    Row row;
    for (size_t i = 0; i < rs.vars.size(); ++i)
      if (!r[i].isNone()) row[rs.vars[i]] = r[i].value;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::string deriveRunId(const SimRunRecord& run) {
  // One field per line, each named: a change in one field can never look like another's.
  std::string key = "weft-sim-run/1\n";
  if (!run.scenarioSha256.empty()) {
    key += "scenario-sha256=" + run.scenarioSha256 + "\n";
  } else {
    key += "scenario-name=" + run.scenarioName + "\n";
    for (const auto& c : run.scenarioChanges) key += "change=" + c + "\n";
  }
  key += std::string("baseline=") + (run.isBaseline ? "1" : "0") + "\n";
  key += "seed=" + std::to_string(run.seed) + "\n";
  key += "replications=" + std::to_string(run.replications) + "\n";
  key += "horizon=" + doubleLexical(run.horizonSeconds) + "\n";
  key += "warmup=" + doubleLexical(run.warmupSeconds) + "\n";
  key += "start=" + run.startDate + "\n";
  key += "model=" + run.modelFingerprint + "\n";
  return sha256Hex(key).substr(0, 16);
}

std::string runIdOf(const SimRunRecord& run) {
  return run.runId.empty() ? deriveRunId(run) : run.runId;
}

std::string runIri(std::string_view runId) {
  return std::string(kSimGraphBase) + std::string(runId);
}

Result<std::vector<rdf::Quad>> runToQuads(const SimRunRecord& run, const std::vector<SimKpi>& kpis,
                                          const std::vector<SimEvent>& events) {
  const std::string id = runIdOf(run);
  if (!validRunId(id))
    return Status::invalidArgument("run id '" + id +
                                   "' is not 1..64 characters of letters, digits, '.', '_', '-'");
  if (run.generatedAt.empty()) return Status::invalidArgument("the run has no generatedAt time");
  WEFT_TRY(checkDateTime(run.generatedAt, "generatedAt"));
  if (!run.startedAt.empty()) WEFT_TRY(checkDateTime(run.startedAt, "startedAt"));
  int64_t start_ms = 0;
  if (!run.startDate.empty()) {
    auto s = startMillis(run.startDate);
    if (!s) return s.status();
    start_ms = s.value();
  }
  if (!run.baselineRunId.empty() && !validRunId(run.baselineRunId))
    return Status::invalidArgument("baseline run id '" + run.baselineRunId + "' is not valid");
  {
    std::set<std::string> names;
    for (const auto& k : kpis)
      if (!names.insert(k.name).second)
        return Status::invalidArgument("KPI '" + k.name + "' given twice");
  }

  const std::string r = runIri(id);
  Builder b(r);

  // The run.
  b.type(r, dt("SimulationRun"));
  b.type(r, prov("Activity"));
  b.boolean(r, dt("simulated"), true);
  b.text(r, dt("runId"), id);
  const std::string scenario = r + "/scenario";
  b.iri(r, prov("used"), scenario);
  b.unsignedInteger(r, dt("seed"), run.seed);
  b.integer(r, dt("replications"), run.replications);
  b.number(r, dt("horizonSeconds"), run.horizonSeconds);
  b.number(r, dt("warmupSeconds"), run.warmupSeconds);
  b.number(r, dt("confidenceLevel"), run.confidenceLevel);
  if (!run.startDate.empty())
    b.dateTime(r, dt("simulationStart"), formatMillis(start_ms));
  if (!run.baselineRunId.empty()) b.iri(r, dt("baselineRun"), runIri(run.baselineRunId));
  b.textIf(r, dt("modelFingerprint"), run.modelFingerprint);
  b.textIf(r, dt("modelSummary"), run.modelSummary);
  const SimModelCounts& c = run.modelCounts;
  b.integer(r, dt("modelLines"), c.lines);
  b.integer(r, dt("modelMachines"), c.machines);
  b.integer(r, dt("modelSuppliers"), c.suppliers);
  b.integer(r, dt("modelInventories"), c.inventories);
  b.integer(r, dt("modelLanes"), c.lanes);
  b.integer(r, dt("modelDemands"), c.demands);
  b.textIf(r, dt("weftVersion"), run.weftVersion);
  if (!run.startedAt.empty()) b.dateTime(r, prov("startedAtTime"), run.startedAt);
  b.dateTime(r, prov("endedAtTime"), run.generatedAt);
  b.integer(r, dt("kpiCount"), static_cast<int64_t>(kpis.size()));
  b.integer(r, dt("eventCount"), static_cast<int64_t>(events.size()));

  // The scenario: a plan the run used, kept inside the run's graph so that deleting or
  // replacing the run takes its description along.
  b.type(scenario, dt("Scenario"));
  b.type(scenario, prov("Entity"));
  b.boolean(scenario, dt("simulated"), true);
  b.textIf(scenario, dt("scenarioName"), run.scenarioName);
  b.textIf(scenario, dt("scenarioDescription"), run.scenarioDescription);
  b.textIf(scenario, dt("scenarioFile"), run.scenarioFile);
  b.textIf(scenario, dt("scenarioSha256"), run.scenarioSha256);
  b.boolean(scenario, dt("isBaseline"), run.isBaseline);
  if (!run.scenarioChanges.empty()) {
    // One literal keeps the order of the changes (repeated values would not).
    std::string all;
    for (const auto& ch : run.scenarioChanges) all += (all.empty() ? "" : "\n") + ch;
    b.text(scenario, dt("scenarioChanges"), all);
  }

  for (size_t i = 0; i < run.calibration.size(); ++i) {
    const SimCalibration& cal = run.calibration[i];
    const std::string n = r + "/calibration/" + std::to_string(i + 1);
    b.iri(r, prov("used"), n);
    b.type(n, dt("CalibratedParameter"));
    b.type(n, prov("Entity"));
    b.boolean(n, dt("simulated"), true);
    b.text(n, dt("calibratedParameter"), cal.parameter);
    b.textIf(n, dt("distributionFamily"), cal.family);
    b.textIf(n, dt("distributionParameters"), cal.parameters);
    b.unsignedInteger(n, dt("recordsUsed"), cal.recordsUsed);
    b.textIf(n, dt("calibrationSource"), cal.source);
  }

  for (size_t i = 0; i < run.modelNotes.size(); ++i) {
    const SimModelNote& note = run.modelNotes[i];
    const std::string n = r + "/note/" + std::to_string(i + 1);
    b.iri(r, dt("modelNote"), n);
    b.type(n, dt("SimulationModelNote"));
    b.boolean(n, dt("simulated"), true);
    b.textIf(n, dt("noteKind"), note.kind);
    b.textIf(n, dt("noteSubject"), note.subject);
    b.text(n, dt("noteText"), note.text);
  }

  for (const SimKpi& k : kpis) {
    const std::string n = r + "/kpi/" + pathSegment(k.name);
    b.type(n, dt("SimulatedKpiEstimate"));
    b.boolean(n, dt("simulated"), true);
    b.iri(n, dt("simulationRun"), r);
    b.text(n, dt("kpiName"), k.name);
    std::string kind, subject, measure;
    splitKpiName(k.name, &kind, &subject, &measure);
    b.textIf(n, dt("kpiSubjectKind"), kind);
    b.textIf(n, dt("kpiSubject"), subject);
    b.textIf(n, dt("kpiMeasure"), measure);
    b.integer(n, dt("replicationCount"), k.n);
    if (b.number(n, dt("mean"), k.mean)) {
      b.number(n, dt("halfWidth"), k.halfWidth);
      b.number(n, dt("ciLow"), k.lo);
      b.number(n, dt("ciHigh"), k.hi);
    } else {
      std::string why = k.undefinedReason;
      if (why.empty())
        why = std::isnan(k.mean) ? "undefined in every replication (e.g. a mean time to repair "
                                   "without any repair)"
                                 : "the mean is infinite";
      b.text(n, dt("undefinedReason"), why);
    }
    if (k.hasBaseline && b.number(n, dt("differenceFromBaseline"), k.differenceMean))
      b.number(n, dt("differenceHalfWidth"), k.differenceHalfWidth);
  }

  for (size_t i = 0; i < events.size(); ++i) {
    const SimEvent& e = events[i];
    const std::string n = r + "/event/" + std::to_string(i + 1);
    b.type(n, dt("SimulatedOccurrence"));
    b.boolean(n, dt("simulated"), true);
    b.iri(n, dt("simulationRun"), r);
    b.iri(n, dt("scenarioOf"), scenario);
    b.text(n, dt("occurrenceKind"), e.kind);
    b.textIf(n, dt("occurrenceSubject"), e.subject);
    b.textIf(n, dt("occurrenceDetail"), e.detail);
    b.number(n, dt("occurrenceValue"), e.value);
    b.integer(n, dt("replication"), e.replication);
    b.number(n, dt("simulatedSeconds"), e.time);
    if (!run.startDate.empty() && std::isfinite(e.time))
      b.dateTime(n, dt("simulatedTime"),
                 formatMillis(start_ms + static_cast<int64_t>(std::llround(e.time * 1000.0))));
  }
  return b.take();
}

Result<WriteRunStats> writeRunQuads(store::Store& st, const std::string& runId,
                                    const std::vector<rdf::Quad>& quads) {
  if (!validRunId(runId)) return Status::invalidArgument("run id '" + runId + "' is not valid");
  WriteRunStats stats;
  stats.runId = runId;
  stats.graph = runIri(runId);
  auto r = db::replaceGraph(st, stats.graph, quads, "writing run " + runId);
  if (!r) return r.status();
  stats.removed = r.value().removed;
  stats.replaced = stats.removed > 0;
  auto after = st.snapshot();
  const store::TermId g2 = after->lookup(rdf::TermView::iri(stats.graph));
  stats.quads = g2 == store::kAny ? 0 : after->count(store::QuadIds{0, 0, 0, g2});
  return stats;
}

Result<WriteRunStats> writeRun(store::Store& st, const SimRunRecord& run,
                               const std::vector<SimKpi>& kpis,
                               const std::vector<SimEvent>& events) {
  auto quads = runToQuads(run, kpis, events);
  if (!quads) return quads.status();
  return writeRunQuads(st, runIdOf(run), quads.value());
}

Result<std::vector<RunInfo>> listRuns(const store::Store& st) {
  // Counts come from separate grouped queries: one OPTIONAL per kind would multiply KPIs by
  // events.
  auto runs = select(st, R"(
PREFIX dt:   <https://w3id.org/weft/dt#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?run ?id ?name ?baseline ?seed ?reps ?at WHERE {
  GRAPH ?run {
    ?run a dt:SimulationRun ; dt:simulated true ; dt:runId ?id .
    OPTIONAL { ?run dt:seed ?seed } OPTIONAL { ?run dt:replications ?reps }
    OPTIONAL { ?run prov:endedAtTime ?at }
    OPTIONAL { ?run prov:used ?sc . ?sc a dt:Scenario .
               OPTIONAL { ?sc dt:scenarioName ?name } OPTIONAL { ?sc dt:isBaseline ?baseline } }
  }
} ORDER BY ?at ?id)");
  if (!runs) return runs.status();
  auto kpis = select(st, R"(
PREFIX dt: <https://w3id.org/weft/dt#>
SELECT ?run (COUNT(?k) AS ?n) WHERE { GRAPH ?run { ?k a dt:SimulatedKpiEstimate } }
GROUP BY ?run)");
  if (!kpis) return kpis.status();
  auto events = select(st, R"(
PREFIX dt: <https://w3id.org/weft/dt#>
SELECT ?run (COUNT(?e) AS ?n) WHERE {
  GRAPH ?run { ?e a dt:SimulatedOccurrence ; dt:simulationRun ?run }
}
GROUP BY ?run)");
  if (!events) return events.status();
  auto counts = [](const std::vector<Row>& rows) {
    std::map<std::string, int64_t> m;
    for (const auto& row : rows) {
      auto it = row.find("n");
      if (it != row.end()) m[row.at("run")] = std::strtoll(it->second.c_str(), nullptr, 10);
    }
    return m;
  };
  const auto nk = counts(kpis.value()), ne = counts(events.value());
  std::vector<RunInfo> out;
  for (const auto& row : runs.value()) {
    RunInfo info;
    auto get = [&](const char* k) {
      auto it = row.find(k);
      return it == row.end() ? std::string() : it->second;
    };
    info.graph = get("run");
    info.runId = get("id");
    info.scenarioName = get("name");
    const std::string base = get("baseline");
    info.isBaseline = base == "true" || base == "1";
    info.seed = std::strtoull(get("seed").c_str(), nullptr, 10);
    info.replications = std::strtoll(get("reps").c_str(), nullptr, 10);
    info.generatedAt = get("at");
    if (auto it = nk.find(info.graph); it != nk.end()) info.kpis = it->second;
    if (auto it = ne.find(info.graph); it != ne.end()) info.events = it->second;
    out.push_back(std::move(info));
  }
  return out;
}

Status deleteRun(store::Store& st, const std::string& runId) {
  if (!validRunId(runId)) return Status::invalidArgument("run id '" + runId + "' is not valid");
  const std::string graph = runIri(runId);
  auto begun = st.begin();
  if (!begun) return begun.status();
  store::Transaction& txn = *begun.value();
  auto snap = st.snapshot();
  const store::TermId g = snap->lookup(rdf::TermView::iri(graph));
  if (g == store::kAny || snap->count(store::QuadIds{0, 0, 0, g}) == 0)
    return Status::notFound("no simulation run " + runId + " (graph <" + graph +
                            ">) in this store");
  auto cur = snap->scan(store::QuadIds{0, 0, 0, g});
  store::QuadIds qs[256];
  for (size_t n; (n = cur.nextBatch(qs, 256)) > 0;)
    for (size_t i = 0; i < n; ++i) txn.removeIds(qs[i]);
  return txn.commit();
}

}  // namespace weft::twin
