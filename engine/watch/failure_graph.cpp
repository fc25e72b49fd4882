// SPDX-License-Identifier: Apache-2.0
// Failure prediction over a store: configuration, histories (SPARQL), tags (the historian's
// table, through drift.h's readSeries), predictions and the graph write.
#include "engine/watch/failure_graph.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "engine/db/database.h"
#include "engine/db/graph_write.h"
#include "engine/watch/internal/text.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"
#include "engine/watch/drift.h"

namespace weft::watch {
namespace {

constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfsComment = "http://www.w3.org/2000/01/rdf-schema#comment";
constexpr double kMsPerHour = 3.6e6;

std::string xsd(std::string_view local) { return std::string(rdf::kXsd) + std::string(local); }

Status bad(const std::string& where, const std::string& what) {
  return Status::invalidArgument(where + ": " + what);
}

Result<double> num(const rapidjson::Value& obj, const char* key, const std::string& where,
                   double def, bool positive) {
  if (!obj.HasMember(key)) return def;
  const auto& v = obj[key];
  if (!v.IsNumber() || !std::isfinite(v.GetDouble()))
    return bad(where, std::string("\"") + key + "\" must be a number");
  double d = v.GetDouble();
  if (positive && !(d > 0)) return bad(where, std::string("\"") + key + "\" must be above 0");
  return d;
}

Result<int64_t> timeOf(const rapidjson::Value& v, const std::string& where, const char* key) {
  if (v.IsString()) {
    auto t = parseTimeMs(std::string_view(v.GetString(), v.GetStringLength()));
    if (t) return *t;
  } else if (v.IsNumber()) {
    return static_cast<int64_t>(std::llround(v.GetDouble()));
  }
  return bad(where, std::string("\"") + key + "\" must be an ISO 8601 time or epoch ms");
}

std::optional<int64_t> termTime(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral) return std::nullopt;
  return parseTimeMs(t.value);
}

using internal::formatNumber;
using internal::iriSegment;

bool looksLikeIri(const std::string& s) { return s.find("://") != std::string::npos; }

}  // namespace

Result<FailureConfig> parseFailureConfig(std::string_view json, const std::string& where) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    return Status::syntaxError(where + ": offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                               rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return bad(where, "the configuration must be a JSON object");
  static const std::set<std::string> allowed = {
      "history", "start", "at", "machines", "horizon_h", "threshold", "model", "pool",
      "condition", "trend_window_h", "baseline_window_h", "step_h", "default_beta",
      "min_failures_for_beta", "backtest", "warmup_h"};
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    if (!allowed.count(it->name.GetString()))
      return bad(where, std::string("unknown key \"") + it->name.GetString() + "\"");
  }
  FailureConfig cfg;
  if (!doc.HasMember("history") || !doc["history"].IsString())
    return bad(where, "\"history\" must be a SPARQL SELECT binding ?machine ?failure [?repaired]");
  cfg.historyQuery = doc["history"].GetString();
  if (!doc.HasMember("start")) return bad(where, "\"start\" (when the record begins) is required");
  auto start = timeOf(doc["start"], where, "start");
  if (!start) return start.status();
  cfg.start = *start;
  if (doc.HasMember("at")) {
    auto at = timeOf(doc["at"], where, "at");
    if (!at) return at.status();
    cfg.at = *at;
  }
  FailureOptions& o = cfg.options;
  auto horizon = num(doc, "horizon_h", where, o.horizon, true);
  auto threshold = num(doc, "threshold", where, o.threshold, true);
  auto window = num(doc, "trend_window_h", where, o.trend.window, true);
  auto baseline = num(doc, "baseline_window_h", where, o.trend.baselineWindow, true);
  auto step = num(doc, "step_h", where, o.step, true);
  auto beta = num(doc, "default_beta", where, o.defaultBeta, false);
  auto minf = num(doc, "min_failures_for_beta", where, o.minFailuresForBeta, false);
  auto warmup = num(doc, "warmup_h", where, 0, false);
  for (const auto* r : {&horizon, &threshold, &window, &baseline, &step, &beta, &minf, &warmup})
    if (!r->isOk()) return r->status();
  o.horizon = *horizon;
  o.threshold = *threshold;
  o.trend.window = *window;
  o.trend.baselineWindow = *baseline;
  o.step = *step;
  o.defaultBeta = *beta;
  o.minFailuresForBeta = static_cast<int>(*minf);
  cfg.backtestOptions.warmup = *warmup;
  if (doc.HasMember("model")) {
    std::string m = doc["model"].IsString() ? doc["model"].GetString() : "";
    if (m == "weibull") o.model = LifeModel::kWeibull;
    else if (m == "exponential") o.model = LifeModel::kExponential;
    else return bad(where, "\"model\" must be \"weibull\" or \"exponential\"");
  }
  for (const char* key : {"pool", "condition", "backtest"}) {
    if (!doc.HasMember(key)) continue;
    if (!doc[key].IsBool()) return bad(where, std::string("\"") + key + "\" must be true or false");
    bool b = doc[key].GetBool();
    if (std::string(key) == "pool") o.pool = b;
    else if (std::string(key) == "condition") o.useCondition = b;
    else cfg.backtest = b;
  }
  if (doc.HasMember("machines")) {
    if (!doc["machines"].IsObject()) return bad(where, "\"machines\" must be an object");
    for (auto it = doc["machines"].MemberBegin(); it != doc["machines"].MemberEnd(); ++it) {
      const std::string name = it->name.GetString();
      const std::string w = where + ": machine '" + name + "'";
      const auto& v = it->value;
      if (!v.IsObject()) return bad(w, "must be an object with \"tags\" and/or \"start\"");
      FailureMachineSpec spec;
      if (v.HasMember("start")) {
        auto s = timeOf(v["start"], w, "start");
        if (!s) return s.status();
        spec.start = *s;
      }
      if (v.HasMember("tags")) {
        if (!v["tags"].IsArray()) return bad(w, "\"tags\" must be an array");
        for (const auto& t : v["tags"].GetArray()) {
          FailureTagSpec tag;
          if (t.IsString()) {
            tag.tag = t.GetString();
          } else if (t.IsObject() && t.HasMember("tag") && t["tag"].IsString()) {
            tag.tag = t["tag"].GetString();
            if (t.HasMember("direction")) {
              if (!t["direction"].IsNumber() || std::fabs(t["direction"].GetDouble()) != 1)
                return bad(w, "a tag's \"direction\" must be 1 or -1");
              tag.direction = t["direction"].GetDouble();
            }
          } else {
            return bad(w, "a tag must be a name or {\"tag\": name, \"direction\": 1 or -1}");
          }
          spec.tags.push_back(tag);
        }
      }
      cfg.machines[name] = spec;
    }
  }
  return cfg;
}

Result<FailureRun> runFailures(const FailureConfig& cfg, const store::Store& st,
                               const std::string& storeDir, int64_t nowMs) {
  FailureRun run;
  run.at = cfg.at.value_or(nowMs);
  auto q = sparql::parseQuery(cfg.historyQuery);
  if (!q) return Status(q.status().code(), "history query: " + q.status().message());
  db::StoreDataset data(st.snapshot());
  sparql::ResultSet rs;
  auto writer = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = writer.get();
  sparql::ExecOptions exec;
  exec.union_default_graph = true;
  WEFT_TRY(sparql::executeQuery(q.value(), data, exec, out));
  int cm = -1, cf = -1, cr = -1;
  for (size_t i = 0; i < rs.vars.size(); ++i) {
    if (rs.vars[i] == "machine") cm = static_cast<int>(i);
    if (rs.vars[i] == "failure") cf = static_cast<int>(i);
    if (rs.vars[i] == "repaired") cr = static_cast<int>(i);
  }
  if (cm < 0 || cf < 0) return Status::invalidArgument("history query must bind ?machine ?failure");
  std::map<std::string, std::vector<Outage>> outages;
  for (const auto& row : rs.rows) {
    if (row[cm].kind == rdf::TermKind::kNone || row[cf].kind == rdf::TermKind::kNone) continue;
    auto f = termTime(row[cf]);
    if (!f) {
      return Status::invalidArgument("history query: ?failure '" + row[cf].value +
                                     "' is not a date-time");
    }
    int64_t r = *f;
    if (cr >= 0 && row[cr].kind != rdf::TermKind::kNone) {
      auto rt = termTime(row[cr]);
      if (!rt || *rt < *f) {
        return Status::invalidArgument("history query: ?repaired '" + row[cr].value +
                                       "' is not a date-time at or after the failure");
      }
      r = *rt;
    }
    outages[row[cm].value].push_back({*f / kMsPerHour, r / kMsPerHour});
  }
  for (const auto& [name, spec] : cfg.machines) outages[name];  // machines without failures
  for (auto& [name, list] : outages) {
    std::sort(list.begin(), list.end(),
              [](const Outage& a, const Outage& b) { return a.failure < b.failure; });
    MachineHistory m;
    m.machine = name;
    auto spec = cfg.machines.find(name);
    int64_t start = cfg.start;
    if (spec != cfg.machines.end() && spec->second.start) start = *spec->second.start;
    m.start = start / kMsPerHour;
    m.end = run.at / kMsPerHour + 1e-6;  // the prediction time itself is inside the record
    for (const Outage& o : list) {
      if (o.failure >= m.start && o.failure <= run.at / kMsPerHour) m.outages.push_back(o);
    }
    if (spec != cfg.machines.end()) {
      for (const auto& t : spec->second.tags) {
        SeriesSpec s;
        s.name = t.tag;
        s.source.kind = SourceSpec::Kind::kTag;
        s.source.tag = t.tag;
        s.to = run.at + 1;
        auto series = readSeries(s, &st, storeDir);
        if (!series) return Status(series.status().code(), name + ": " + series.status().message());
        TagSeries ts;
        ts.tag = t.tag;
        ts.direction = t.direction;
        for (size_t i = 0; i < series->size(); ++i) {
          ts.time.push_back(static_cast<double>(series->time[i]) / kMsPerHour);
          ts.value.push_back(series->value[i]);
        }
        m.tags.push_back(std::move(ts));
      }
    }
    run.fleet.push_back(std::move(m));
  }
  for (size_t i = 0; i < run.fleet.size(); ++i) {
    auto p = predictFailure(run.fleet, i, run.at / kMsPerHour, cfg.options);
    if (p) {
      run.predictions.push_back(std::move(p.value()));
    } else {
      run.skipped.push_back(run.fleet[i].machine + ": " + p.status().message());
    }
  }
  if (cfg.backtest && !run.fleet.empty()) {
    auto b = backtestFailures(run.fleet, cfg.options, cfg.backtestOptions);
    if (b) run.backtest = b.value();
    else run.backtestError = b.status().message();
  }
  return run;
}

std::vector<rdf::Quad> failureQuads(const FailureRun& run, const FailureConfig& cfg,
                                    const std::string& generatedAt) {
  std::vector<rdf::Quad> q;
  const rdf::Term g = rdf::Term::iri(kFailureGraph);
  auto dt = [](std::string_view local) { return std::string(kDt) + std::string(local); };
  auto add = [&](const std::string& s, const std::string& p, rdf::Term o) {
    rdf::Quad quad;
    quad.s = rdf::Term::iri(s);
    quad.p = rdf::Term::iri(p);
    quad.o = std::move(o);
    quad.g = g;
    q.push_back(std::move(quad));
  };
  auto str = [](const std::string& v) { return rdf::Term::literal(v, rdf::kXsdString); };
  auto dbl = [&](const std::string& s, const std::string& p, double v) {
    if (std::isfinite(v)) add(s, p, rdf::Term::literal(formatNumber(v), xsd("double")));
  };
  auto integer = [&](const std::string& s, const std::string& p, uint64_t v) {
    add(s, p, rdf::Term::literal(std::to_string(v), xsd("integer")));
  };
  auto boolean = [&](const std::string& s, const std::string& p, bool v) {
    add(s, p, rdf::Term::literal(v ? "true" : "false", xsd("boolean")));
  };
  const std::string runIri(kFailureGraph);
  const std::string at = formatTimeMs(run.at);
  size_t warnings = 0;
  for (const auto& p : run.predictions) warnings += p.warning ? 1 : 0;
  add(runIri, std::string(kRdfType), rdf::Term::iri(dt("FailurePredictionRun")));
  add(runIri, dt("computedAt"), rdf::Term::literal(generatedAt, xsd("dateTime")));
  integer(runIri, dt("machineCount"), run.fleet.size());
  integer(runIri, dt("warningCount"), warnings);
  dbl(runIri, dt("warningThreshold"), cfg.options.threshold);
  if (run.backtest) {
    const FailureBacktest& b = *run.backtest;
    integer(runIri, dt("backtestPoints"), b.evaluated);
    if (b.precision) dbl(runIri, dt("backtestPrecision"), *b.precision);
    if (b.recall) dbl(runIri, dt("backtestRecall"), *b.recall);
    dbl(runIri, dt("backtestAccuracy"), b.accuracy);
  }
  for (const auto& p : run.predictions) {
    const std::string n = runIri + "/prediction/" + iriSegment(p.machine);
    add(n, std::string(kRdfType), rdf::Term::iri(dt("FailurePrediction")));
    add(n, dt("predictionRun"), rdf::Term::iri(runIri));
    if (looksLikeIri(p.machine)) add(n, dt("predictedMachine"), rdf::Term::iri(p.machine));
    else add(n, dt("machineKey"), str(p.machine));
    add(n, dt("predictionTime"), rdf::Term::literal(at, xsd("dateTime")));
    dbl(n, dt("failureProbability"), p.probability);
    dbl(n, dt("baseFailureProbability"), p.baseProbability);
    dbl(n, dt("horizonHours"), p.horizon);
    dbl(n, dt("ageHours"), p.age);
    boolean(n, dt("failureWarning"), p.warning);
    add(n, dt("lifeModel"), str(p.model));
    dbl(n, dt("weibullShape"), p.shape);
    dbl(n, dt("weibullScaleHours"), p.scale);
    integer(n, dt("modelFailures"), static_cast<uint64_t>(p.failures));
    integer(n, dt("modelCensored"), static_cast<uint64_t>(p.censored));
    if (p.conditionUsed) {
      dbl(n, dt("conditionScore"), p.conditionScore);
      add(n, dt("conditionTag"), str(p.conditionTag));
      dbl(n, dt("conditionBeta"), p.beta);
      add(n, dt("betaSource"), str(p.betaFitted ? "fitted" : "default"));
      dbl(n, dt("hazardMultiplier"), p.hazardMultiplier);
    }
    add(n, std::string(kRdfsComment), str(p.machine + ": " + p.evidence));
  }
  return q;
}

Result<GraphWriteStats> replaceGraph(store::Store& st, std::string_view graph,
                                     const std::vector<rdf::Quad>& quads) {
  auto r = db::replaceGraph(st, graph, quads, "writing <" + std::string(graph) + ">");
  if (!r) return r.status();
  return GraphWriteStats{r.value().removed, r.value().added};
}

}  // namespace weft::watch
