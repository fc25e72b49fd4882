// SPDX-License-Identifier: Apache-2.0
// The historian's samples step (historian.h, ingestSamples): raw samples into
// DIR/timeseries.sqlite beside the store, and into the graph only what is
// derived from them: a dt:PhaseSummary per (tag, phase run) and a
// dt:TemperatureExcursion / dt:ProcessExcursion per long out-of-range run.
// Tags and phase runs are read from the committed store with SPARQL.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "connectors/historian/historian.h"
#include "engine/db/database.h"
#include "engine/sparql/results.h"
#include "engine/store/store.h"

namespace weft::connectors::historian {

namespace {

constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kXsdDecimal = "http://www.w3.org/2001/XMLSchema#decimal";
constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDateTime = "http://www.w3.org/2001/XMLSchema#dateTime";

std::string dt(std::string_view local) { return std::string(kDt) + std::string(local); }

// A decimal lexical form: fixed notation, 1 to 6 fraction digits ("36.62",
// "100.0", "-0.5"), so that Turtle and result tables show it as a decimal.
std::string decimal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s += '0';
  if (s == "-0.0") s = "0.0";
  return s;
}

// "https://data.aurelian.example/tag/X" -> "https://data.aurelian.example/".
std::string orgBase(const std::string& iri) {
  size_t p = iri.find("://");
  if (p == std::string::npos) return "";
  size_t slash = iri.find('/', p + 3);
  return slash == std::string::npos ? "" : iri.substr(0, slash + 1);
}

struct TagInfo {
  std::string iri, name, equipment;
  std::optional<double> low, high;
  double interval_s = kDefaultIntervalSeconds;
  bool temperature = false;
};

struct Phase {
  std::string iri, equipment;
  int64_t start = 0, end = 0;
};

Result<sparql::ResultSet> select(const store::Store& s, const std::string& text) {
  db::QueryRequest req;
  req.text = text;
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  WEFT_TRY(db::runQuery(s, req, out));
  return rs;
}

std::optional<double> number(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(t.value.c_str(), &end);
  if (end == t.value.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

// An xsd:dateTime from the store; one without a time zone is read as UTC.
std::optional<int64_t> dateTime(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral) return std::nullopt;
  if (auto ms = parseTimestamp(t.value)) return ms;
  return parseTimestamp(t.value + "Z");
}

bool lowerContains(std::string s, std::string_view what) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s.find(what) != std::string::npos;
}

// Every dt:Tag with its metadata, by tag name (several if organisations
// share a name). Each triple may sit in any graph.
Status loadTags(const store::Store& s, std::map<std::string, std::vector<TagInfo>>* out) {
  auto rs = select(s,
                   "PREFIX dt: <https://w3id.org/weft/dt#>\n"
                   "PREFIX sosa: <http://www.w3.org/ns/sosa/>\n"
                   "SELECT ?t ?name ?eq ?low ?high ?interval ?unit ?prop WHERE {\n"
                   "  GRAPH ?g0 { ?t a dt:Tag } GRAPH ?g1 { ?t dt:tagName ?name }\n"
                   "  OPTIONAL { GRAPH ?g2 { ?t dt:onEquipment ?eq } }\n"
                   "  OPTIONAL { GRAPH ?g3 { ?t dt:lowLimit ?low } }\n"
                   "  OPTIONAL { GRAPH ?g4 { ?t dt:highLimit ?high } }\n"
                   "  OPTIONAL { GRAPH ?g5 { ?t dt:sampleIntervalSeconds ?interval } }\n"
                   "  OPTIONAL { GRAPH ?g6 { ?t <http://qudt.org/schema/qudt/unit> ?unit } }\n"
                   "  OPTIONAL { GRAPH ?g7 { ?t sosa:observes ?prop } }\n"
                   "}");
  if (!rs) return rs.status();
  std::map<std::string, TagInfo> by_iri;
  for (const auto& row : rs->rows) {
    TagInfo& t = by_iri[row[0].value];
    t.iri = row[0].value;
    t.name = row[1].value;
    if (row[2].kind == rdf::TermKind::kIri) t.equipment = row[2].value;
    if (auto v = number(row[3])) t.low = v;
    if (auto v = number(row[4])) t.high = v;
    if (auto v = number(row[5]); v && *v > 0 && *v <= kMaxIntervalSeconds) t.interval_s = *v;
    const std::string& unit = row[6].value;
    if (unit.ends_with("/DEG_C") || unit.ends_with("/DEG_F") || unit.ends_with("/K") ||
        lowerContains(row[7].value, "temperature")) {
      t.temperature = true;
    }
  }
  for (auto& [iri, t] : by_iri) (*out)[t.name].push_back(std::move(t));
  return Status::ok();
}

// Phase runs executed on any of `equipment`, with their time window.
Status loadPhases(const store::Store& s, const std::set<std::string>& equipment, std::vector<Phase>* out) {
  if (equipment.empty()) return Status::ok();
  std::string values;
  for (const std::string& e : equipment) values += " <" + e + ">";
  auto rs = select(s,
                   "PREFIX dt: <https://w3id.org/weft/dt#>\n"
                   "SELECT ?ph ?eq ?start ?end WHERE {\n"
                   "  VALUES ?eq {" + values + " }\n"
                   "  GRAPH ?g1 { ?ph dt:executedOn ?eq } GRAPH ?g0 { ?ph a dt:PhaseRun }\n"
                   "  GRAPH ?g2 { ?ph dt:startTime ?start } GRAPH ?g3 { ?ph dt:endTime ?end }\n"
                   "}");
  if (!rs) return rs.status();
  for (const auto& row : rs->rows) {
    auto a = dateTime(row[2]), b = dateTime(row[3]);
    if (!a || !b || *b <= *a) continue;  // a phase without a usable window has nothing to summarise
    out->push_back(Phase{row[0].value, row[1].value, *a, *b});
  }
  return Status::ok();
}

// The phase summaries already in the store for these tags.
Status loadSummaries(const store::Store& s, const std::map<std::string, TagInfo>& tags, std::set<std::string>* out) {
  if (tags.empty()) return Status::ok();
  std::string values;
  for (const auto& [name, t] : tags) values += " <" + t.iri + ">";
  auto rs = select(s,
                   "PREFIX dt: <https://w3id.org/weft/dt#>\n"
                   "SELECT ?s WHERE { VALUES ?t {" + values + " }\n"
                   "  GRAPH ?g1 { ?s dt:ofTag ?t } GRAPH ?g0 { ?s a dt:PhaseSummary } }");
  if (!rs) return rs.status();
  for (const auto& row : rs->rows) out->insert(row[0].value);
  return Status::ok();
}

// SQLite, with the few calls this step needs.
class Table {
 public:
  ~Table() {
    stmts_.clear();  // finalized before the close: sqlite3_close refuses a handle with live statements
    if (db_) {
      if (open_txn_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(db_);
    }
  }
  Status open(const std::string& path, bool create) {
    int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) return error("cannot open " + path);
    sqlite3_busy_timeout(db_, 10000);
    if (create) {
      WEFT_TRY(exec("PRAGMA journal_mode=WAL"));
      WEFT_TRY(exec("CREATE TABLE IF NOT EXISTS samples(doc TEXT NOT NULL, tag TEXT NOT NULL, ts INTEGER NOT NULL,"
                    " value REAL, quality TEXT NOT NULL)"));
      WEFT_TRY(exec("CREATE INDEX IF NOT EXISTS samples_tag_ts ON samples(tag, ts)"));
      WEFT_TRY(exec("CREATE INDEX IF NOT EXISTS samples_doc ON samples(doc)"));
    }
    return Status::ok();
  }
  Status exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return error(sql);
    return Status::ok();
  }
  Status begin() {
    WEFT_TRY(exec("BEGIN IMMEDIATE"));
    open_txn_ = true;
    return Status::ok();
  }
  Status commit() {
    WEFT_TRY(exec("COMMIT"));
    open_txn_ = false;
    return Status::ok();
  }
  Result<sqlite3_stmt*> prepare(const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) return error(sql);
    stmts_.emplace_back(st, &sqlite3_finalize);
    return st;
  }
  Status error(const std::string& what) const {
    return Status::ioError("timeseries table: " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  }

 private:
  sqlite3* db_ = nullptr;
  bool open_txn_ = false;
  std::vector<std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>> stmts_;
};

// All samples of `tag` in [from, to) from the table (this document's rows
// included: they are in the open transaction), sorted by time.
Status readTable(Table& t, sqlite3_stmt* st, const std::string& tag, int64_t from, int64_t to,
                 std::vector<Sample>* out) {
  out->clear();
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, tag.data(), static_cast<int>(tag.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, from);
  sqlite3_bind_int64(st, 3, to);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    Sample s;
    s.ts = sqlite3_column_int64(st, 0);
    s.has_value = sqlite3_column_type(st, 1) != SQLITE_NULL;
    s.value = s.has_value ? sqlite3_column_double(st, 1) : 0;
    const unsigned char* quality = sqlite3_column_text(st, 2);  // NULL only in a table not made here
    auto q = quality ? parseQuality(reinterpret_cast<const char*>(quality)) : std::nullopt;
    s.quality = q ? *q : Quality::kBad;
    out->push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return t.error("reading samples");
  return Status::ok();
}

class Writer {
 public:
  explicit Writer(rdf::QuadSink& out) : out_(out) {}
  Status iri(const std::string& s, std::string_view p, const std::string& o) {
    return out_.quad({rdf::TermView::iri(s), rdf::TermView::iri(p), rdf::TermView::iri(o), {}});
  }
  Status lit(const std::string& s, std::string_view p, const std::string& v, std::string_view type) {
    return out_.quad({rdf::TermView::iri(s), rdf::TermView::iri(p), rdf::TermView::literal(v, type), {}});
  }

 private:
  rdf::QuadSink& out_;
};

}  // namespace

Result<uint64_t> countRows(const std::string& sqlite_path, const std::string& doc) {
  Table t;
  WEFT_TRY(t.open(sqlite_path, false));
  auto st = t.prepare(doc.empty() ? "SELECT count(*) FROM samples" : "SELECT count(*) FROM samples WHERE doc = ?1");
  if (!st) return st.status();
  if (!doc.empty()) sqlite3_bind_text(*st, 1, doc.data(), static_cast<int>(doc.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(*st) != SQLITE_ROW) return t.error("count");
  return static_cast<uint64_t>(sqlite3_column_int64(*st, 0));
}

Status ingestSamples(const Document& doc, std::string_view text, const store::Store& graph,
                     const std::string& sqlite_path, rdf::QuadSink& out, uint64_t* records) {
  auto parsed = parseSamples(text, doc.name);
  if (!parsed) return parsed.status();
  const std::vector<std::string>& names = parsed->tags;
  if (records) *records = parsed->samples.size();

  // Each tag of the document must be a dt:Tag in the store (the tag
  // dictionary, ingested before): its IRI, equipment and limits.
  std::map<std::string, std::vector<TagInfo>> known;
  WEFT_TRY(loadTags(graph, &known));
  const std::string org = orgOfPath(doc.path);
  std::map<std::string, TagInfo> tags;
  std::vector<bool> seen(names.size());
  for (const Sample& s : parsed->samples) {
    if (seen[s.tag]) continue;
    seen[s.tag] = true;
    const std::string& name = names[s.tag];
    auto it = known.find(name);
    const TagInfo* pick = nullptr;
    if (it != known.end()) {
      if (it->second.size() == 1) {
        pick = &it->second[0];
      } else {
        for (const TagInfo& t : it->second)
          if (!org.empty() && t.iri.find("://data." + org + ".example/") != std::string::npos) pick = &t;
        if (!pick) {
          return Status::invalidArgument(doc.name + ":" + std::to_string(s.line) + ": tag '" + name +
                                         "' is defined by several organisations' tag dictionaries, and the path "
                                         "does not say which (put the file under aurelian/, brightwater/ or meridian/)");
        }
      }
    }
    if (!pick) {
      return Status::invalidArgument(doc.name + ":" + std::to_string(s.line) + ": tag '" + name +
                                     "' is not in the store (ingest its tag dictionary, tags.csv, first)");
    }
    tags.emplace(name, *pick);
  }

  // Samples per tag, in time order (the export need not be sorted).
  std::map<std::string, std::vector<Sample>> by_tag;
  for (const Sample& s : parsed->samples) by_tag[names[s.tag]].push_back(s);
  parsed->samples = std::vector<Sample>();
  for (auto& [name, v] : by_tag)
    std::stable_sort(v.begin(), v.end(), [](const Sample& a, const Sample& b) { return a.ts < b.ts; });

  std::set<std::string> equipment;
  for (const auto& [name, t] : tags)
    if (!t.equipment.empty()) equipment.insert(t.equipment);
  std::vector<Phase> phases;
  WEFT_TRY(loadPhases(graph, equipment, &phases));
  std::set<std::string> summarised;  // by an earlier document
  WEFT_TRY(loadSummaries(graph, tags, &summarised));

  // The table: this document's rows replace any earlier ones, all in one
  // SQLite transaction that commits at the very end.
  Table table;
  WEFT_TRY(table.open(sqlite_path, true));
  WEFT_TRY(table.begin());
  {
    auto del = table.prepare("DELETE FROM samples WHERE doc = ?1");
    if (!del) return del.status();
    sqlite3_bind_text(*del, 1, doc.sha256.data(), static_cast<int>(doc.sha256.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(*del) != SQLITE_DONE) return table.error("deleting the document's earlier rows");
    auto ins = table.prepare("INSERT INTO samples(doc, tag, ts, value, quality) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!ins) return ins.status();
    for (const auto& [name, v] : by_tag) {
      for (const Sample& s : v) {
        sqlite3_reset(*ins);
        sqlite3_bind_text(*ins, 1, doc.sha256.data(), static_cast<int>(doc.sha256.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(*ins, 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        sqlite3_bind_int64(*ins, 3, s.ts);
        if (s.has_value) sqlite3_bind_double(*ins, 4, s.value);
        else sqlite3_bind_null(*ins, 4);
        sqlite3_bind_text(*ins, 5, qualityName(s.quality), -1, SQLITE_STATIC);
        if (sqlite3_step(*ins) != SQLITE_DONE) return table.error("inserting a sample");
      }
    }
  }

  Writer w(out);
  auto read = table.prepare("SELECT ts, value, quality FROM samples WHERE tag = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts");
  if (!read) return read.status();
  std::vector<Sample> window;
  for (const auto& [name, v] : by_tag) {
    const TagInfo& tag = tags.at(name);
    const std::string base = orgBase(tag.iri);
    const int64_t hold = static_cast<int64_t>(std::llround(std::max(tag.interval_s, kMaxHoldSeconds) * 1000));
    const int64_t near = static_cast<int64_t>(std::llround(std::max(2 * tag.interval_s, kCoverageSeconds) * 1000));
    const int64_t first = v.front().ts, last = v.back().ts;

    // Summaries. A phase is summarised once, from all the table's samples
    // of the tag in its window (a phase may span two monthly files), by the
    // document that completes it: the first whose samples overlap the phase
    // when the table holds samples near both its start and its end.
    for (const Phase& ph : phases) {
      if (ph.equipment != tag.equipment || last < ph.start || first >= ph.end) continue;
      std::string phase_key = ph.iri;
      if (size_t p = ph.iri.find("/phase/"); p != std::string::npos) phase_key = ph.iri.substr(p + 7);
      else phase_key = iriSegment(ph.iri);
      const std::string s = base + "phase-summary/" + iriSegment(name) + "/" + phase_key;
      if (summarised.count(s)) continue;
      WEFT_TRY(readTable(table, *read, name, ph.start - hold, ph.end + hold, &window));
      bool start_covered = false, end_covered = false;
      for (const Sample& x : window) {
        if (x.ts >= ph.start - near && x.ts <= ph.start + near) start_covered = true;
        if (x.ts >= ph.end - near) end_covered = true;
      }
      if (!start_covered || !end_covered) continue;
      PhaseStats st = summarise(window, ph.start, ph.end, tag.low, tag.high, tag.interval_s, hold / 1000.0);
      WEFT_TRY(w.iri(s, kRdfType, dt("PhaseSummary")));
      WEFT_TRY(w.iri(s, dt("ofTag"), tag.iri));
      WEFT_TRY(w.iri(s, dt("ofPhase"), ph.iri));
      WEFT_TRY(w.lit(s, dt("sampleCount"), std::to_string(st.count), kXsdInteger));
      if (st.count) {
        WEFT_TRY(w.lit(s, dt("minValue"), decimal(st.min), kXsdDecimal));
        WEFT_TRY(w.lit(s, dt("maxValue"), decimal(st.max), kXsdDecimal));
        WEFT_TRY(w.lit(s, dt("meanValue"), decimal(st.mean), kXsdDecimal));
      }
      if (tag.low || tag.high) WEFT_TRY(w.lit(s, dt("minutesOutOfRange"), decimal(st.minutes_out), kXsdDecimal));
    }

    // Excursions, from this document's samples.
    for (const Excursion& e : findExcursions(v, tag.low, tag.high, tag.interval_s, kMinExcursionMinutes,
                                             hold / 1000.0)) {
      const std::string start = formatTimestamp(e.start);
      const std::string s = base + "excursion/" + iriSegment(name) + "/" + start;
      WEFT_TRY(w.iri(s, kRdfType, dt(tag.temperature ? "TemperatureExcursion" : "ProcessExcursion")));
      WEFT_TRY(w.iri(s, dt("ofTag"), tag.iri));
      if (!tag.equipment.empty()) WEFT_TRY(w.iri(s, dt("onEquipment"), tag.equipment));
      WEFT_TRY(w.lit(s, dt("startTime"), start, kXsdDateTime));
      WEFT_TRY(w.lit(s, dt("endTime"), formatTimestamp(e.end), kXsdDateTime));
      WEFT_TRY(w.lit(s, dt("durationMinutes"), decimal(e.minutes()), kXsdDecimal));
      WEFT_TRY(w.lit(s, dt("extremeValue"), decimal(e.extreme), kXsdDecimal));
      const std::optional<double>& limit = e.above ? tag.high : tag.low;
      if (limit) WEFT_TRY(w.lit(s, dt(e.above ? "highLimit" : "lowLimit"), decimal(*limit), kXsdDecimal));
      // The phases running on the tag's equipment during the excursion. A
      // tag on a cold room or freezer has none: which lots were stored there
      // is for a rule over the logistics events.
      for (const Phase& ph : phases)
        if (ph.equipment == tag.equipment && ph.start < e.end && e.start < ph.end)
          WEFT_TRY(w.iri(s, dt("affects"), ph.iri));
    }
  }

  // Everything for the graph went to `out` without error: commit the rows.
  // The store transaction commits after the connector returns, so a failure
  // there (disk full, a crash in between) leaves this document's rows in the
  // table without its graph. They are keyed by the document's sha256:
  // ingesting the document again replaces them, and readers can ignore rows
  // whose document is not in the documents graph.
  return table.commit();
}

}  // namespace weft::connectors::historian
