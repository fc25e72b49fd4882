// SPDX-License-Identifier: Apache-2.0
// Drift detection over a store (drift.h; configuration and vocabulary in docs/watch.md).
#include "engine/watch/drift.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

#include "engine/core/civil_date.h"
#include "engine/db/database.h"
#include "engine/db/graph_write.h"
#include "engine/watch/internal/text.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"

namespace weft::watch {
namespace {

constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfsComment = "http://www.w3.org/2000/01/rdf-schema#comment";
constexpr size_t kDefaultBaselinePoints = 25;

std::string xsd(std::string_view local) { return std::string(rdf::kXsd) + std::string(local); }

// ---- time

// ---- JSON helpers

Status bad(const std::string& where, const std::string& what) {
  return Status::invalidArgument(where + ": " + what);
}

Result<double> number(const rapidjson::Value& v, const std::string& where, const char* key) {
  if (!v.IsNumber()) return bad(where, std::string("\"") + key + "\" must be a number");
  const double d = v.GetDouble();
  if (!std::isfinite(d)) return bad(where, std::string("\"") + key + "\" must be finite");
  return d;
}

Result<double> positive(const rapidjson::Value& v, const std::string& where, const char* key) {
  auto d = number(v, where, key);
  if (!d) return d.status();
  if (!(d.value() > 0)) return bad(where, std::string("\"") + key + "\" must be above 0");
  return d;
}

Result<std::string> text(const rapidjson::Value& v, const std::string& where, const char* key) {
  if (!v.IsString() || v.GetStringLength() == 0)
    return bad(where, std::string("\"") + key + "\" must be a non-empty string");
  return std::string(v.GetString(), v.GetStringLength());
}

// A time: an ISO 8601 string, or a number (epoch ms for calendar series, a position otherwise).
Result<int64_t> timeValue(const rapidjson::Value& v, const std::string& where, const char* key) {
  if (v.IsString()) {
    auto t = parseTimeMs(std::string_view(v.GetString(), v.GetStringLength()));
    if (!t) return bad(where, std::string("\"") + key + "\" is not an ISO 8601 date or date-time");
    return *t;
  }
  if (v.IsInt64()) return v.GetInt64();
  return bad(where, std::string("\"") + key + "\" must be an ISO 8601 string or a whole number");
}

Status checkKeys(const rapidjson::Value& obj, const std::set<std::string>& allowed,
                 const std::string& where) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    const std::string k(it->name.GetString(), it->name.GetStringLength());
    if (!allowed.count(k)) return bad(where, "unknown key \"" + k + "\"");
  }
  return Status::ok();
}

Status parseSource(const rapidjson::Value& v, const std::string& where, SourceSpec* out) {
  if (!v.IsObject()) return bad(where, "\"source\" must be an object");
  WEFT_TRY(checkKeys(v,
                     {"tag", "include_uncertain", "test", "parameter", "phase_summary", "statistic",
                      "cycle_time", "equipment", "phase", "query", "values", "times", "ids"},
                     where + " source"));
  int kinds = 0;
  for (const char* k :
       {"tag", "test", "parameter", "phase_summary", "cycle_time", "query", "values"})
    kinds += v.HasMember(k) ? 1 : 0;
  if (kinds != 1)
    return bad(where,
               "\"source\" needs exactly one of tag, test, parameter, phase_summary, "
               "cycle_time, query, values");
  using K = SourceSpec::Kind;
  if (v.HasMember("tag")) {
    out->kind = K::kTag;
    auto t = text(v["tag"], where, "tag");
    if (!t) return t.status();
    out->tag = t.value();
    if (v.HasMember("include_uncertain")) {
      if (!v["include_uncertain"].IsBool())
        return bad(where, "\"include_uncertain\" must be true or false");
      out->includeUncertain = v["include_uncertain"].GetBool();
    }
  } else if (v.HasMember("test")) {
    out->kind = K::kTest;
    auto t = text(v["test"], where, "test");
    if (!t) return t.status();
    out->name = t.value();
  } else if (v.HasMember("parameter")) {
    out->kind = K::kParameter;
    auto t = text(v["parameter"], where, "parameter");
    if (!t) return t.status();
    out->name = t.value();
  } else if (v.HasMember("phase_summary")) {
    out->kind = K::kPhaseSummary;
    auto t = text(v["phase_summary"], where, "phase_summary");
    if (!t) return t.status();
    out->tag = t.value();
    if (v.HasMember("statistic")) {
      auto s = text(v["statistic"], where, "statistic");
      if (!s) return s.status();
      if (s.value() != "mean" && s.value() != "min" && s.value() != "max" &&
          s.value() != "minutesOutOfRange")
        return bad(where, "\"statistic\" must be mean, min, max or minutesOutOfRange");
      out->statistic = s.value();
    }
  } else if (v.HasMember("cycle_time")) {
    out->kind = K::kCycleTime;
    if (!v["cycle_time"].IsBool() || !v["cycle_time"].GetBool())
      return bad(where, "\"cycle_time\" must be true (narrow it with \"equipment\" and \"phase\")");
  } else if (v.HasMember("query")) {
    out->kind = K::kQuery;
    auto t = text(v["query"], where, "query");
    if (!t) return t.status();
    out->query = t.value();
  } else {
    out->kind = K::kValues;
    const auto& a = v["values"];
    if (!a.IsArray() || a.Empty())
      return bad(where, "\"values\" must be a non-empty array of numbers");
    for (const auto& x : a.GetArray()) {
      auto d = number(x, where, "values");
      if (!d) return d.status();
      out->values.push_back(d.value());
    }
    if (v.HasMember("times")) {
      const auto& t = v["times"];
      if (!t.IsArray() || t.Size() != a.Size())
        return bad(where, "\"times\" must be an array as long as \"values\"");
      for (const auto& x : t.GetArray()) {
        auto ms = timeValue(x, where, "times");
        if (!ms) return ms.status();
        out->times.push_back(ms.value());
      }
    }
    if (v.HasMember("ids")) {
      const auto& t = v["ids"];
      if (!t.IsArray() || t.Size() != a.Size())
        return bad(where, "\"ids\" must be an array of strings as long as \"values\"");
      for (const auto& x : t.GetArray()) {
        if (!x.IsString()) return bad(where, "\"ids\" must hold strings");
        out->ids.emplace_back(x.GetString(), x.GetStringLength());
      }
    }
  }
  if (out->kind != K::kCycleTime && (v.HasMember("equipment") || v.HasMember("phase")))
    return bad(where, "\"equipment\" and \"phase\" belong to a cycle_time source");
  if (out->kind == K::kCycleTime) {
    for (const char* k : {"equipment", "phase"}) {
      if (!v.HasMember(k)) continue;
      auto t = text(v[k], where, k);
      if (!t) return t.status();
      (k[0] == 'e' ? out->equipment : out->phase) = t.value();
    }
  }
  if (out->kind != K::kPhaseSummary && v.HasMember("statistic"))
    return bad(where, "\"statistic\" belongs to a phase_summary source");
  if (out->kind != K::kTag && v.HasMember("include_uncertain"))
    return bad(where, "\"include_uncertain\" belongs to a tag source");
  if (out->kind != K::kValues && (v.HasMember("times") || v.HasMember("ids")))
    return bad(where, "\"times\" and \"ids\" belong to a values source");
  return Status::ok();
}

Status parseChart(const rapidjson::Value& v, const std::string& where, ChartSpec* out) {
  if (!v.IsObject() || !v.HasMember("type") || !v["type"].IsString())
    return bad(where, "a chart must be an object with \"type\" (shewhart, ewma, cusum)");
  const std::string type = v["type"].GetString();
  if (type == "shewhart") {
    out->type = ChartSpec::Type::kShewhart;
    WEFT_TRY(checkKeys(v, {"type", "sigma_limits", "rules", "subgroup_size"}, where));
    if (v.HasMember("sigma_limits")) {
      auto d = positive(v["sigma_limits"], where, "sigma_limits");
      if (!d) return d.status();
      out->shewhart.sigmaLimits = d.value();
    }
    if (v.HasMember("rules")) {
      const auto& r = v["rules"];
      if (!r.IsArray()) return bad(where, "\"rules\" must be an array of 1..4");
      for (bool& b : out->shewhart.rules) b = false;
      for (const auto& x : r.GetArray()) {
        if (!x.IsInt() || x.GetInt() < 1 || x.GetInt() > 4)
          return bad(where, "\"rules\" must hold Western Electric rule numbers 1..4");
        out->shewhart.rules[x.GetInt() - 1] = true;
      }
    }
    if (v.HasMember("subgroup_size")) {
      const auto& n = v["subgroup_size"];
      if (!n.IsUint() || n.GetUint() < 1 || n.GetUint() > 1000)
        return bad(where, "\"subgroup_size\" must be a whole number from 1 to 1000");
      out->shewhart.subgroupSize = n.GetUint();
    }
  } else if (type == "ewma") {
    out->type = ChartSpec::Type::kEwma;
    WEFT_TRY(checkKeys(v, {"type", "lambda", "L", "limits"}, where));
    if (v.HasMember("lambda")) {
      auto d = positive(v["lambda"], where, "lambda");
      if (!d) return d.status();
      if (d.value() > 1) return bad(where, "\"lambda\" must be in (0, 1]");
      out->ewma.lambda = d.value();
    }
    if (v.HasMember("L")) {
      auto d = positive(v["L"], where, "L");
      if (!d) return d.status();
      out->ewma.L = d.value();
    }
    if (v.HasMember("limits")) {
      const std::string l = v["limits"].IsString() ? v["limits"].GetString() : "";
      if (l != "exact" && l != "asymptotic")
        return bad(where, "\"limits\" must be exact or asymptotic");
      out->ewma.exactLimits = l == "exact";
    }
  } else if (type == "cusum") {
    out->type = ChartSpec::Type::kCusum;
    WEFT_TRY(checkKeys(v, {"type", "k", "h"}, where));
    if (v.HasMember("k")) {
      auto d = number(v["k"], where, "k");
      if (!d) return d.status();
      if (d.value() < 0) return bad(where, "\"k\" must be 0 or more");
      out->cusum.k = d.value();
    }
    if (v.HasMember("h")) {
      auto d = positive(v["h"], where, "h");
      if (!d) return d.status();
      out->cusum.h = d.value();
    }
  } else {
    return bad(where, "chart type \"" + type + "\" is not shewhart, ewma or cusum");
  }
  return Status::ok();
}

Status parseSeries(const rapidjson::Value& v, const std::string& where, SeriesSpec* out) {
  if (!v.IsObject()) return bad(where, "a series must be an object");
  WEFT_TRY(checkKeys(
      v,
      {"name", "source", "from", "to", "resample_s", "expected", "baseline", "charts", "planted"},
      where));
  if (!v.HasMember("name")) return bad(where, "\"name\" is missing");
  auto name = text(v["name"], where, "name");
  if (!name) return name.status();
  out->name = name.value();
  const std::string at = where + " (" + out->name + ")";
  if (!v.HasMember("source")) return bad(at, "\"source\" is missing");
  WEFT_TRY(parseSource(v["source"], at, &out->source));
  for (const char* k : {"from", "to"}) {
    if (!v.HasMember(k)) continue;
    auto t = timeValue(v[k], at, k);
    if (!t) return t.status();
    (k[0] == 'f' ? out->from : out->to) = t.value();
  }
  if (v.HasMember("resample_s")) {
    auto d = positive(v["resample_s"], at, "resample_s");
    if (!d) return d.status();
    out->resampleMs = static_cast<int64_t>(std::llround(d.value() * 1000));
  }
  if (v.HasMember("expected")) {
    const auto& e = v["expected"];
    if (!e.IsObject()) return bad(at, "\"expected\" must be an object");
    WEFT_TRY(checkKeys(e, {"constant", "values", "query", "require_all"}, at + " expected"));
    out->expected.present = true;
    const int kinds = e.HasMember("constant") + e.HasMember("values") + e.HasMember("query");
    if (kinds != 1) return bad(at, "\"expected\" needs exactly one of constant, values, query");
    if (e.HasMember("constant")) {
      auto d = number(e["constant"], at, "constant");
      if (!d) return d.status();
      out->expected.constant = d.value();
    } else if (e.HasMember("values")) {
      if (!e["values"].IsObject())
        return bad(at, "expected \"values\" must map record ids to numbers");
      for (auto it = e["values"].MemberBegin(); it != e["values"].MemberEnd(); ++it) {
        auto d = number(it->value, at, "values");
        if (!d) return d.status();
        out->expected.byKey[std::string(it->name.GetString(), it->name.GetStringLength())] =
            d.value();
      }
    } else {
      auto q = text(e["query"], at, "query");
      if (!q) return q.status();
      out->expected.query = q.value();
    }
    if (e.HasMember("require_all")) {
      if (!e["require_all"].IsBool()) return bad(at, "\"require_all\" must be true or false");
      out->expected.requireAll = e["require_all"].GetBool();
    }
  }
  if (v.HasMember("baseline")) {
    const auto& b = v["baseline"];
    if (!b.IsObject()) return bad(at, "\"baseline\" must be an object");
    WEFT_TRY(checkKeys(b, {"first", "count", "from", "to", "mean", "sigma", "sigma_method"},
                       at + " baseline"));
    if (b.HasMember("first")) {
      if (!b["first"].IsUint64()) return bad(at, "baseline \"first\" must be a whole number");
      out->baseline.first = b["first"].GetUint64();
    }
    if (b.HasMember("count")) {
      if (!b["count"].IsUint64() || b["count"].GetUint64() < 2)
        return bad(at, "baseline \"count\" must be a whole number of at least 2");
      out->baseline.count = b["count"].GetUint64();
    }
    for (const char* k : {"from", "to"}) {
      if (!b.HasMember(k)) continue;
      auto t = timeValue(b[k], at, k);
      if (!t) return t.status();
      (k[0] == 'f' ? out->baseline.from : out->baseline.to) = t.value();
    }
    if (b.HasMember("mean") != b.HasMember("sigma"))
      return bad(at, "a given baseline needs both \"mean\" and \"sigma\"");
    if (b.HasMember("mean")) {
      auto m = number(b["mean"], at, "mean");
      if (!m) return m.status();
      auto s = positive(b["sigma"], at, "sigma");
      if (!s) return s.status();
      out->baseline.mean = m.value();
      out->baseline.sigma = s.value();
    }
    if (b.HasMember("sigma_method")) {
      const std::string m = b["sigma_method"].IsString() ? b["sigma_method"].GetString() : "";
      if (m == "moving-range")
        out->baseline.method = SigmaMethod::kMovingRange;
      else if (m == "std-dev")
        out->baseline.method = SigmaMethod::kStdDev;
      else
        return bad(at, "baseline \"sigma_method\" must be moving-range or std-dev");
    }
    if (out->baseline.count > 0 && (out->baseline.from || out->baseline.to))
      return bad(at, "give the baseline by first/count or by from/to, not both");
  }
  if (v.HasMember("charts")) {
    const auto& c = v["charts"];
    if (!c.IsArray() || c.Empty()) return bad(at, "\"charts\" must be a non-empty array");
    for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
      ChartSpec ch;
      WEFT_TRY(parseChart(c[i], at + " chart " + std::to_string(i + 1), &ch));
      out->charts.push_back(ch);
    }
  } else {
    // The textbook trio: Shewhart 3 sigma with all four rules, EWMA 0.2 / 2.962, CUSUM 0.5 / 5.
    out->charts.resize(3);
    out->charts[1].type = ChartSpec::Type::kEwma;
    out->charts[2].type = ChartSpec::Type::kCusum;
  }
  if (v.HasMember("planted")) {
    const auto& p = v["planted"];
    if (!p.IsObject() || !p.HasMember("start")) return bad(at, "\"planted\" needs \"start\"");
    WEFT_TRY(checkKeys(p, {"start", "end", "note"}, at + " planted"));
    auto s = timeValue(p["start"], at, "start");
    if (!s) return s.status();
    out->plantedStart = s.value();
    if (p.HasMember("end")) {
      auto e = timeValue(p["end"], at, "end");
      if (!e) return e.status();
      out->plantedEnd = e.value();
    }
  }
  return Status::ok();
}

// ---- reading

using Row = std::vector<rdf::Term>;

Result<sparql::ResultSet> select(const store::Store& st, const std::string& text) {
  auto q = sparql::parseQuery(text);
  if (!q) return Status(q.status().code(), "series query: " + q.status().message());
  db::StoreDataset data(st.snapshot());
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  sparql::ExecOptions exec;
  exec.union_default_graph = true;  // one graph per source document: query them as one
  WEFT_TRY(sparql::executeQuery(q.value(), data, exec, out));
  return rs;
}

int column(const sparql::ResultSet& rs, const char* name) {
  for (size_t i = 0; i < rs.vars.size(); ++i)
    if (rs.vars[i] == name) return static_cast<int>(i);
  return -1;
}

std::string sparqlString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::optional<double> numericTerm(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral || t.value.empty()) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(t.value.c_str(), &end);
  if (end != t.value.c_str() + t.value.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// A time term: an xsd:date / xsd:dateTime literal (epoch ms) or a number (as is).
std::optional<int64_t> timeTerm(const rdf::Term& t, bool* calendar) {
  if (t.kind != rdf::TermKind::kLiteral) return std::nullopt;
  if (t.datatype == xsd("date") || t.datatype == xsd("dateTime") ||
      t.datatype == xsd("dateTimeStamp")) {
    *calendar = true;
    return parseTimeMs(t.value);
  }
  auto d = numericTerm(t);
  if (!d) return std::nullopt;
  return static_cast<int64_t>(std::llround(*d));
}

struct Obs {
  int64_t t;
  double v;
  std::string id;
};

Result<std::vector<Obs>> readTag(const SourceSpec& src, const std::string& storeDir) {
  const std::string path = storeDir + "/timeseries.sqlite";
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    if (raw) sqlite3_close(raw);
    return Status::notFound("no time-series table " + path + " (the historian writes it)");
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, &sqlite3_close);
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw, "SELECT ts, value, quality FROM samples WHERE tag = ?1 ORDER BY ts",
                         -1, &st, nullptr) != SQLITE_OK)
    return Status::ioError(path + ": " + sqlite3_errmsg(raw));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(st, &sqlite3_finalize);
  sqlite3_bind_text(st, 1, src.tag.data(), static_cast<int>(src.tag.size()), SQLITE_TRANSIENT);
  std::vector<Obs> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (sqlite3_column_type(st, 1) == SQLITE_NULL) continue;
    const auto* q = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    const std::string quality = q ? q : "";
    // The table holds the class names the historian connector writes (Good, Uncertain, Bad).
    if (quality != "Good" && !(src.includeUncertain && quality == "Uncertain")) continue;
    const int64_t ts = sqlite3_column_int64(st, 0);
    const double v = sqlite3_column_double(st, 1);
    // The same reading from two documents (an export and the stream) counts once.
    if (!out.empty() && out.back().t == ts) {
      out.back().v = v;
      continue;
    }
    out.push_back({ts, v, ""});
  }
  if (rc != SQLITE_DONE) return Status::ioError(path + ": " + sqlite3_errmsg(raw));
  return out;
}

std::string lastSegment(const std::string& iri) {
  const size_t k = iri.find_last_of("/#");
  return k == std::string::npos ? iri : iri.substr(k + 1);
}

Result<std::vector<Obs>> readGraph(const SourceSpec& src, const store::Store& st, bool* calendar) {
  using K = SourceSpec::Kind;
  const std::string prefix =
      "PREFIX dt: <https://w3id.org/weft/dt#>\n"
      "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n";
  std::string q;
  switch (src.kind) {
    case K::kTest:
      // Valid results only: an invalidated result is not an observation of the process.
      q = prefix + "SELECT ?time ?value ?id WHERE { ?r a dt:TestResult ; dt:characteristic " +
          sparqlString(src.name) +
          " ; dt:resultValue ?value ; dt:testDate ?time .\n"
          "  OPTIONAL { ?r dt:testedLot ?lot } OPTIONAL { ?r dt:resultStatus ?status }\n"
          "  FILTER (!BOUND(?status) || ?status = dt:Valid) BIND (COALESCE(?lot, ?r) AS ?id) }";
      break;
    case K::kParameter:
      q = prefix + "SELECT ?time ?value ?id WHERE { ?d a dt:ProcessDataValue ; dt:parameterName " +
          sparqlString(src.name) +
          " ; dt:value ?value . ?id dt:hasProcessData ?d ; dt:startTime ?time }";
      break;
    case K::kPhaseSummary: {
      // dt:meanValue, dt:minValue, dt:maxValue, dt:minutesOutOfRange (docs/connectors.md).
      const std::string p =
          src.statistic == "minutesOutOfRange" ? src.statistic : src.statistic + "Value";
      q = prefix +
          "SELECT ?time ?value ?id WHERE { ?s a dt:PhaseSummary ; dt:ofTag ?tag ; dt:ofPhase ?id ;"
          " dt:" +
          p + " ?value . ?tag dt:tagName " + sparqlString(src.tag) + " . ?id dt:startTime ?time }";
      break;
    }
    case K::kCycleTime:
      q = prefix +
          "SELECT ?id ?start ?end ?label ?eq WHERE { ?id a dt:PhaseRun ; dt:startTime ?start ; "
          "dt:endTime ?end . OPTIONAL { ?id rdfs:label ?label } OPTIONAL { ?id dt:executedOn ?eq } "
          "}";
      break;
    case K::kQuery:
      q = src.query;
      break;
    default:
      return Status::internal("readGraph: not a graph source");
  }
  auto rs = select(st, q);
  if (!rs) return rs.status();
  std::vector<Obs> out;
  std::set<std::string> seen;  // a record stated in two documents counts once
  if (src.kind == K::kCycleTime) {
    const int ci = column(*rs, "id"), cs = column(*rs, "start"), ce = column(*rs, "end"),
              cl = column(*rs, "label"), cq = column(*rs, "eq");
    for (const Row& r : rs->rows) {
      if (!src.phase.empty() && r[cl].value != src.phase) continue;
      if (!src.equipment.empty() && lastSegment(r[cq].value) != src.equipment &&
          r[cq].value != src.equipment)
        continue;
      bool cal = false;
      auto s = timeTerm(r[cs], &cal), e = timeTerm(r[ce], &cal);
      if (!s || !e || !seen.insert(r[ci].value).second) continue;
      *calendar = true;
      out.push_back({*s, static_cast<double>(*e - *s) / 60000.0, r[ci].value});  // minutes
    }
  } else {
    const int ct = column(*rs, "time"), cv = column(*rs, "value"), ci = column(*rs, "id");
    if (ct < 0 || cv < 0)
      return Status::invalidArgument("a series query must select ?time and ?value");
    for (const Row& r : rs->rows) {
      auto t = timeTerm(r[ct], calendar);
      auto v = numericTerm(r[cv]);
      if (!t || !v) continue;  // unbound or not a number: not an observation
      std::string id = ci >= 0 ? r[ci].value : std::string();
      if (!id.empty() &&
          !seen.insert(id + "\x1f" + std::to_string(*t) + "\x1f" + r[cv].value).second)
        continue;
      out.push_back({*t, *v, std::move(id)});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Obs& a, const Obs& b) { return a.t != b.t ? a.t < b.t : a.id < b.id; });
  return out;
}

using internal::formatNumber;
using internal::iriSegment;

std::string describeSource(const SourceSpec& s) {
  using K = SourceSpec::Kind;
  switch (s.kind) {
    case K::kTag:
      return "tag " + s.tag + " (timeseries.sqlite)";
    case K::kTest:
      return "test results '" + s.name + "'";
    case K::kParameter:
      return "process parameter '" + s.name + "'";
    case K::kPhaseSummary:
      return "phase summaries of " + s.tag + " (" + s.statistic + ")";
    case K::kCycleTime:
      return "phase cycle times" + (s.equipment.empty() ? "" : " on " + s.equipment) +
             (s.phase.empty() ? "" : " of " + s.phase);
    case K::kQuery:
      return "SPARQL query";
    case K::kValues:
      return "inline values";
  }
  return "?";
}

}  // namespace

// ---- public

std::optional<int64_t> parseTimeMs(std::string_view s) {
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(0, 4, &y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, &mo) || s[7] != '-' ||
      !digits(8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return std::nullopt;
  size_t p = 10;
  int64_t ms = 0;
  if (p < s.size() && s[p] == 'T') {
    if (!digits(p + 1, 2, &h) || p + 3 >= s.size() || s[p + 3] != ':' || !digits(p + 4, 2, &mi))
      return std::nullopt;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(p + 1, 2, &sec)) return std::nullopt;
      p += 3;
      if (p < s.size() && s[p] == '.') {
        ++p;
        int64_t frac = 0, scale = 1000;
        size_t start = p;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          if (scale > 1) {
            scale /= 10;
            frac += (s[p] - '0') * scale;
          }
          ++p;
        }
        if (p == start) return std::nullopt;
        ms = frac;
      }
    }
    if (h > 24 || mi > 59 || sec > 60) return std::nullopt;
  }
  int64_t offsetMin = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' && p + 1 == s.size()) {
      ++p;
    } else if ((s[p] == '+' || s[p] == '-') && p + 6 == s.size() && s[p + 3] == ':') {
      int oh, om;
      if (!digits(p + 1, 2, &oh) || !digits(p + 4, 2, &om)) return std::nullopt;
      offsetMin = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      return std::nullopt;
    }
  }
  const int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi - offsetMin) * 60000 + sec * 1000 + ms;
}

std::string formatTimeMs(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t rest = ms - days * 86400000;
  int64_t y;
  unsigned m, d;
  {
    const CivilDate c = civilFromDays(days);
    y = c.year, m = c.month, d = c.day;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rest / 3600000),
                static_cast<long long>(rest / 60000 % 60), static_cast<long long>(rest / 1000 % 60),
                static_cast<long long>(rest % 1000));
  return buf;
}

Result<DriftConfig> parseDriftConfig(std::string_view json, const std::string& where) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    return Status::syntaxError(where + ": offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                               rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return bad(where, "the configuration must be a JSON object");
  WEFT_TRY(checkKeys(doc, {"series"}, where));
  if (!doc.HasMember("series") || !doc["series"].IsArray() || doc["series"].Empty())
    return bad(where, "\"series\" must be a non-empty array");
  DriftConfig cfg;
  std::set<std::string> names;
  const auto& arr = doc["series"];
  for (rapidjson::SizeType i = 0; i < arr.Size(); ++i) {
    SeriesSpec s;
    WEFT_TRY(parseSeries(arr[i], where + ": series " + std::to_string(i + 1), &s));
    if (!names.insert(s.name).second) return bad(where, "two series are named '" + s.name + "'");
    cfg.series.push_back(std::move(s));
  }
  return cfg;
}

Result<Series> readSeries(const SeriesSpec& spec, const store::Store* st,
                          const std::string& storeDir) {
  using K = SourceSpec::Kind;
  std::vector<Obs> obs;
  bool calendar = false;
  if (spec.source.kind == K::kValues) {
    calendar = !spec.source.times.empty();
    for (size_t i = 0; i < spec.source.values.size(); ++i)
      obs.push_back({calendar ? spec.source.times[i] : static_cast<int64_t>(i),
                     spec.source.values[i],
                     spec.source.ids.empty() ? std::string() : spec.source.ids[i]});
  } else if (spec.source.kind == K::kTag) {
    auto r = readTag(spec.source, storeDir);
    if (!r) return r.status();
    obs = std::move(r.value());
    calendar = true;
  } else {
    if (!st) return Status::invalidArgument("series '" + spec.name + "' needs a store");
    auto r = readGraph(spec.source, *st, &calendar);
    if (!r) return Status(r.status().code(), "series '" + spec.name + "': " + r.status().message());
    obs = std::move(r.value());
  }
  Series s;
  s.name = spec.name;
  s.calendar = calendar;
  std::vector<Obs> kept;
  for (auto& o : obs)
    if ((!spec.from || o.t >= *spec.from) && (!spec.to || o.t < *spec.to))
      kept.push_back(std::move(o));
  if (spec.resampleMs > 0) {
    // The mean of each interval [k w, (k + 1) w) that holds a sample, at the interval's start.
    std::vector<Obs> res;
    size_t n = 0;
    for (const Obs& o : kept) {
      const int64_t k =
          (o.t >= 0 ? o.t / spec.resampleMs : -((-o.t + spec.resampleMs - 1) / spec.resampleMs)) *
          spec.resampleMs;
      if (res.empty() || res.back().t != k) {
        if (!res.empty()) res.back().v /= static_cast<double>(n);
        res.push_back({k, 0, ""});
        n = 0;
      }
      res.back().v += o.v;
      ++n;
    }
    if (!res.empty()) res.back().v /= static_cast<double>(n);
    kept = std::move(res);
  }
  for (auto& o : kept) {
    s.time.push_back(o.t);
    s.value.push_back(o.v);
    s.id.push_back(std::move(o.id));
  }
  return s;
}

Result<Series> residuals(const SeriesSpec& spec, const Series& rec) {
  if (!spec.expected.present) return rec;
  Series out;
  out.name = rec.name;
  out.calendar = rec.calendar;
  size_t missing = 0;
  std::string firstMissing;
  for (size_t i = 0; i < rec.size(); ++i) {
    double e;
    if (spec.expected.constant) {
      e = *spec.expected.constant;
    } else {
      const std::string key = !rec.id[i].empty() ? rec.id[i] : std::to_string(rec.time[i]);
      auto it = spec.expected.byKey.find(key);
      if (it == spec.expected.byKey.end()) {
        if (missing++ == 0) firstMissing = key;
        continue;  // no expectation: no residual
      }
      e = it->second;
    }
    out.time.push_back(rec.time[i]);
    out.value.push_back(rec.value[i] - e);
    out.id.push_back(rec.id[i]);
  }
  if (missing > 0 && spec.expected.requireAll)
    return Status::invalidArgument("series '" + spec.name + "': " + std::to_string(missing) +
                                   " records have no expected value (the first: " + firstMissing +
                                   ")");
  return out;
}

Result<SeriesOutcome> analyse(const SeriesSpec& spec, Series s) {
  SeriesOutcome out;
  out.name = spec.name;
  const BaselineSpec& bs = spec.baseline;
  // The baseline window, in observations.
  size_t first = 0, last = 0;
  if (bs.count > 0) {
    first = bs.first;
    last = bs.first + bs.count;
  } else if (bs.from || bs.to) {
    first = s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      if ((bs.from && s.time[i] < *bs.from) || (bs.to && s.time[i] >= *bs.to)) continue;
      first = std::min(first, i);
      last = i + 1;
    }
  } else {
    first = bs.first;
    last = bs.first + kDefaultBaselinePoints;
  }
  last = std::min(last, s.size());
  if (first > last) first = last;
  out.baselineFirst = first;
  out.baselineLast = last;
  auto baselineFor = [&](size_t subgroup) -> Result<Baseline> {
    if (bs.mean) {
      Baseline b;
      b.mean = *bs.mean;
      b.sigma = *bs.sigma;
      b.method = "given";
      return b;
    }
    // The chart cuts subgroups from observation 0: the baseline's must be the same ones.
    const size_t aligned = subgroup > 1 ? (first + subgroup - 1) / subgroup * subgroup : first;
    auto b = estimateBaseline(s.value, aligned, last, bs.method, subgroup);
    if (!b)
      return Status::invalidArgument("series '" + spec.name + "' (" + std::to_string(s.size()) +
                                     " observations, baseline " + std::to_string(first) + ".." +
                                     std::to_string(last) + "): " + b.status().message());
    return b;
  };
  auto b1 = baselineFor(1);
  if (!b1) return b1.status();
  out.baseline = b1.value();

  // Evaluation frame.
  size_t firstAfterStart = s.size(), outside = 0;
  if (spec.plantedStart) {
    for (size_t i = 0; i < s.size(); ++i) {
      const bool in =
          s.time[i] >= *spec.plantedStart && (!spec.plantedEnd || s.time[i] <= *spec.plantedEnd);
      if (s.time[i] >= *spec.plantedStart && firstAfterStart == s.size()) firstAfterStart = i;
      if (!in) ++outside;
    }
  }
  for (const ChartSpec& c : spec.charts) {
    ChartOutcome co;
    switch (c.type) {
      case ChartSpec::Type::kShewhart: {
        auto b = baselineFor(c.shewhart.subgroupSize);
        if (!b) return b.status();
        co.alarms = shewhart(s, b.value(), c.shewhart);
        co.chart = c.shewhart.subgroupSize > 1 ? "shewhart-xbar" : "shewhart-individuals";
        co.parameters = "L=" + formatNumber(c.shewhart.sigmaLimits);
        if (c.shewhart.subgroupSize > 1)
          co.parameters += " n=" + std::to_string(c.shewhart.subgroupSize);
        std::string rules;
        for (int r = 0; r < 4; ++r)
          if (c.shewhart.rules[r]) rules += (rules.empty() ? "" : ",") + std::to_string(r + 1);
        co.parameters += " rules=" + rules;
        break;
      }
      case ChartSpec::Type::kEwma:
        co.alarms = ewma(s, out.baseline, c.ewma);
        co.chart = "ewma";
        co.parameters = "lambda=" + formatNumber(c.ewma.lambda) + " L=" + formatNumber(c.ewma.L);
        break;
      case ChartSpec::Type::kCusum:
        co.alarms = cusum(s, out.baseline, c.cusum);
        co.chart = "cusum";
        co.parameters = "k=" + formatNumber(c.cusum.k) + " h=" + formatNumber(c.cusum.h);
        break;
    }
    for (Alarm& a : co.alarms) a.series = spec.name;
    if (spec.plantedStart) {
      co.evaluated = true;
      co.pointsOutside = outside;
      for (size_t i = 0; i < co.alarms.size(); ++i) {
        const Alarm& a = co.alarms[i];
        const bool in = a.detectionTime >= *spec.plantedStart &&
                        (!spec.plantedEnd || a.detectionTime <= *spec.plantedEnd);
        if (!in) {
          ++co.falseAlarms;
        } else if (!co.detectedAlarm) {
          co.detectedAlarm = i;
          co.delayMs = a.detectionTime - *spec.plantedStart;
          co.delayPoints = a.detectionIndex + 1 - firstAfterStart;
        }
      }
    }
    out.charts.push_back(std::move(co));
  }
  out.series = std::move(s);
  return out;
}

Result<std::vector<SeriesOutcome>> runDrift(const DriftConfig& cfg, const store::Store* st,
                                            const std::string& storeDir) {
  std::vector<SeriesOutcome> out;
  for (const SeriesSpec& spec0 : cfg.series) {
    SeriesSpec spec = spec0;
    if (!spec.expected.query.empty()) {
      if (!st)
        return Status::invalidArgument("series '" + spec.name +
                                       "': an expected query needs a store");
      auto rs = select(*st, spec.expected.query);
      if (!rs)
        return Status(rs.status().code(),
                      "series '" + spec.name + "' expected: " + rs.status().message());
      const int ci = column(*rs, "id"), cv = column(*rs, "value");
      if (ci < 0 || cv < 0)
        return Status::invalidArgument("series '" + spec.name +
                                       "': the expected query must select ?id and ?value");
      for (const Row& r : rs->rows)
        if (auto v = numericTerm(r[cv]); v && !r[ci].isNone())
          spec.expected.byKey[r[ci].value] = *v;
    }
    auto rec = readSeries(spec, st, storeDir);
    if (!rec) return rec.status();
    auto res = residuals(spec, rec.value());
    if (!res) return res.status();
    auto o = analyse(spec, std::move(res.value()));
    if (!o) return o.status();
    o->source = describeSource(spec.source);
    if (st && (spec.source.kind == SourceSpec::Kind::kTag ||
               spec.source.kind == SourceSpec::Kind::kPhaseSummary)) {
      // Link the alarms to the tag's node (historian-tags), so a query can go on to its
      // equipment and the parameter it monitors.
      auto rs = select(*st, "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?t WHERE { ?t dt:tagName " +
                                sparqlString(spec.source.tag) + " } ORDER BY ?t LIMIT 1");
      if (rs && !rs->rows.empty() && rs->rows[0][0].kind == rdf::TermKind::kIri)
        o->tag = rs->rows[0][0].value;
    }
    out.push_back(std::move(o.value()));
  }
  return out;
}

std::vector<ChartScore> scoreRun(const DriftConfig& cfg, const std::vector<SeriesOutcome>& outcomes) {
  std::vector<ChartScore> scores;
  auto scoreOf = [&](const std::string& chart) -> ChartScore& {
    for (ChartScore& c : scores)
      if (c.chart == chart) return c;
    scores.push_back(ChartScore{chart});
    return scores.back();
  };
  for (size_t i = 0; i < outcomes.size() && i < cfg.series.size(); ++i) {
    const bool planted = cfg.series[i].plantedStart.has_value();
    for (const ChartOutcome& c : outcomes[i].charts) {
      ChartScore& sc = scoreOf(c.chart);
      if (planted && c.evaluated) {
        ++sc.planted;
        if (c.detectedAlarm) {
          sc.meanDelayPoints += static_cast<double>(c.delayPoints);
          ++sc.detected;
        }
        sc.falseAlarms += c.falseAlarms;
        sc.points += c.pointsOutside;
      } else if (!planted) {
        sc.falseAlarms += c.alarms.size();
        sc.points += outcomes[i].series.size();
      }
    }
  }
  for (ChartScore& sc : scores)
    if (sc.detected > 0) sc.meanDelayPoints /= static_cast<double>(sc.detected);
  return scores;
}

std::vector<rdf::Quad> alarmQuads(const std::vector<SeriesOutcome>& outcomes,
                                  const std::string& generatedAt, std::string_view graph) {
  std::vector<rdf::Quad> q;
  const rdf::Term g = rdf::Term::iri(graph);
  auto dt = [](std::string_view local) { return std::string(kDt) + std::string(local); };
  auto add = [&](const std::string& s, const std::string& p, rdf::Term o) {
    rdf::Quad quad;
    quad.s = rdf::Term::iri(s);
    quad.p = rdf::Term::iri(p);
    quad.o = std::move(o);
    quad.g = g;
    q.push_back(std::move(quad));
  };
  auto lit = [](const std::string& v, std::string_view type) {
    return rdf::Term::literal(v, type);
  };
  auto dbl = [&](const std::string& s, const std::string& p, double v) {
    if (std::isfinite(v)) add(s, p, lit(formatNumber(v), xsd("double")));
  };
  auto integer = [&](const std::string& s, const std::string& p, uint64_t v) {
    add(s, p, lit(std::to_string(v), xsd("integer")));
  };
  const std::string run(graph);
  size_t total = 0;
  for (const auto& o : outcomes)
    for (const auto& c : o.charts) total += c.alarms.size();
  add(run, std::string(kRdfType), rdf::Term::iri(dt("DriftRun")));
  add(run, dt("generatedAt"), lit(generatedAt, xsd("dateTime")));
  integer(run, dt("seriesCount"), outcomes.size());
  integer(run, dt("alarmCount"), total);
  for (const auto& o : outcomes) {
    for (const auto& c : o.charts) {
      for (const Alarm& a : c.alarms) {
        const std::string n = run + "/alarm/" + iriSegment(o.name) + "/" + c.chart + "/" +
                              iriSegment(a.rule) + "/" + std::to_string(a.detectionIndex);
        add(n, std::string(kRdfType), rdf::Term::iri(dt("DriftAlarm")));
        add(n, dt("driftRun"), rdf::Term::iri(run));
        add(n, dt("seriesName"), lit(o.name, rdf::kXsdString));
        if (!o.source.empty()) add(n, dt("seriesSource"), lit(o.source, rdf::kXsdString));
        if (!o.tag.empty()) add(n, dt("watchedTag"), rdf::Term::iri(o.tag));
        add(n, dt("chartType"), lit(c.chart, rdf::kXsdString));
        add(n, dt("chartParameters"), lit(c.parameters, rdf::kXsdString));
        add(n, dt("alarmRule"), lit(a.rule, rdf::kXsdString));
        add(n, dt("ruleDescription"), lit(a.ruleText, rdf::kXsdString));
        add(n, dt("alarmSide"), lit(a.side > 0 ? "upper" : "lower", rdf::kXsdString));
        dbl(n, dt("statistic"), a.statistic);
        dbl(n, dt("controlLimit"), a.limit);
        dbl(n, dt("baselineMean"), a.baselineMean);
        dbl(n, dt("baselineSigma"), a.baselineSigma);
        integer(n, dt("baselineCount"), a.baselineCount);
        add(n, dt("baselineMethod"), lit(a.baselineMethod, rdf::kXsdString));
        integer(n, dt("windowFirstIndex"), a.windowFirst);
        integer(n, dt("windowLastIndex"), a.windowLast);
        integer(n, dt("detectionIndex"), a.detectionIndex);
        integer(n, dt("pointsInWindow"), a.pointsInWindow);
        integer(n, dt("pointsBeyond"), a.pointsBeyond);
        if (o.series.calendar) {
          add(n, dt("windowStart"), lit(formatTimeMs(a.windowStart), xsd("dateTime")));
          add(n, dt("windowEnd"), lit(formatTimeMs(a.windowEnd), xsd("dateTime")));
          add(n, dt("detectionTime"), lit(formatTimeMs(a.detectionTime), xsd("dateTime")));
        }
        if (a.detectionId.rfind("http", 0) == 0 || a.detectionId.rfind("urn:", 0) == 0)
          add(n, dt("concernsRecord"), rdf::Term::iri(a.detectionId));
        else if (!a.detectionId.empty())
          add(n, dt("recordKey"), lit(a.detectionId, rdf::kXsdString));
        const auto when = [&](int64_t t) {
          return o.series.calendar ? formatTimeMs(t) : "point " + std::to_string(t);
        };
        std::string why =
            o.name + ": " + c.chart + " " + a.rule + " (" + a.ruleText + "), " +
            (a.side > 0 ? "upper" : "lower") + " side: statistic " + formatNumber(a.statistic) +
            " against " + formatNumber(a.limit) + " at " + when(a.detectionTime) + "; evidence " +
            std::to_string(a.windowLast - a.windowFirst + 1) + " observations from " +
            when(a.windowStart) + "; baseline mean " + formatNumber(a.baselineMean) + ", sigma " +
            formatNumber(a.baselineSigma) + " (" + a.baselineMethod + ", " +
            std::to_string(a.baselineCount) + " observations); " + c.parameters;
        add(n, std::string(kRdfsComment), lit(why, rdf::kXsdString));
      }
    }
  }
  return q;
}

Result<WriteStats> replaceDriftGraph(store::Store& st, const std::vector<rdf::Quad>& quads) {
  auto r = db::replaceGraph(st, kDriftGraph, quads, "writing drift alarms");
  if (!r) return r.status();
  return WriteStats{r.value().removed, r.value().added};
}

std::string sourceDescription(const SourceSpec& s) { return describeSource(s); }

}  // namespace weft::watch
