// SPDX-License-Identifier: Apache-2.0
// Runs the RML / R2RML conformance suites in ../shared/conformance/rml
// (see the README there) through weft's mapping engine:
//   rml_conformance SUITE [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING]
//                   [--min-pass PERCENT]   (exit 1 below it; without it, exit 1 on any failure)
// SUITE: rml-core, rml-io (source cases RMLSTC*), rml-fnml, rml-lv,
// rml-legacy, r2rml. A case passes when the mapping's output is isomorphic to
// the expected N-Quads, or, for an error-expected case, when loading or
// running the mapping fails. SQL cases load the case's SQL script into a
// temporary SQLite database (MySQL / PostgreSQL / SQL Server statements that
// SQLite cannot run are dropped or rewritten, see loadSqlScript). Skips come
// from tests/conformance/rml-skip.txt ("<suite>/<case id> reason" per line).
// Prints "suite NAME: N passed, F failed, S skipped (of T)".
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/map/executor.h"
#include "engine/map/loader.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"
#include "engine/sources/source.h"

namespace fs = std::filesystem;
using namespace weft;

namespace {

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// metadata.csv rows as maps from column name to value (through weft's own
// CSV source).
std::vector<std::map<std::string, std::string>> readMetadata(const fs::path& p) {
  std::vector<std::map<std::string, std::string>> rows;
  std::ifstream in(p);
  std::string header_line;
  if (!std::getline(in, header_line)) return rows;
  // Column names from the first line (no quoted commas in the headers).
  std::vector<std::string> cols;
  std::stringstream hs(header_line);
  for (std::string c; std::getline(hs, c, ',');) {
    if (!c.empty() && c.back() == '\r') c.pop_back();
    cols.push_back(c);
  }
  sources::SourceSpec spec;
  spec.kind = sources::SourceSpec::Kind::kCsv;
  spec.path = p.string();
  auto src = sources::openCsv(spec);
  if (!src.isOk()) {
    std::fprintf(stderr, "cannot read %s: %s\n", p.c_str(), src.status().message().c_str());
    return rows;
  }
  std::vector<sources::RefId> ids(cols.size());
  for (size_t i = 0; i < cols.size(); ++i)
    if (!src.value()->compile(cols[i], &ids[i])) return rows;
  for (;;) {
    bool has = false;
    if (!src.value()->next(&has) || !has) break;
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < cols.size(); ++i) {
      std::vector<sources::Value> v;
      if (src.value()->values(ids[i], &v) && !v.empty()) row[cols[i]] = v[0].text;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Runs an SQL script written for MySQL, PostgreSQL or SQL Server in SQLite:
// statement by statement, dropping what SQLite has no use for (USE, EXEC,
// SET, CASCADE) and unqualifying "test.t".
std::string loadSqlScript(const std::string& script, const fs::path& db) {
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) return "cannot open " + db.string();
  std::string text = script;
  text = std::regex_replace(text, std::regex(R"(\b(CASCADE|cascade)\b)"), "");
  text = std::regex_replace(text, std::regex(R"(\btest\.)"), "");
  // Dialects: SQL Server BIT is a boolean; binary literals of PostgreSQL
  // ('\\x89...') and SQL Server (CAST('89...' as VARBINARY)) are X'89...'.
  text = std::regex_replace(text, std::regex(R"(\bBIT\b)"), "BOOLEAN");
  text = std::regex_replace(text, std::regex(R"('\\*x([0-9A-Fa-f]+)')"), "X'$1'");
  text = std::regex_replace(text, std::regex(R"(CAST\('([0-9A-Fa-f]+)' as VARBINARY[^)]*\))", std::regex::icase),
                            "X'$1'");
  std::string err;
  std::string stmt;
  bool in_str = false;
  auto run = [&](std::string s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return;
    s = s.substr(a);
    std::string head = s.substr(0, 5);
    for (auto& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (head.rfind("USE ", 0) == 0 || head.rfind("EXEC", 0) == 0 || head.rfind("SET ", 0) == 0 ||
        head.rfind("GO", 0) == 0)
      return;
    char* msg = nullptr;
    if (sqlite3_exec(h, s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      bool is_drop = head.rfind("DROP", 0) == 0;
      if (!is_drop && err.empty()) err = std::string(msg ? msg : "?") + " in: " + s.substr(0, 120);
    }
    sqlite3_free(msg);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') in_str = !in_str;
    if (!in_str && c == '-' && i + 1 < text.size() && text[i + 1] == '-') {  // comment
      while (i < text.size() && text[i] != '\n') ++i;
      stmt += '\n';
      continue;
    }
    if (!in_str && c == ';') {
      run(stmt);
      stmt.clear();
      continue;
    }
    if (!in_str && c == '\n') {
      // SQL Server scripts end statements at line ends without ';'.
      std::string line = stmt.substr(stmt.rfind('\n') == std::string::npos ? 0 : stmt.rfind('\n') + 1);
      size_t a = line.find_first_not_of(" \t\r");
      if (a != std::string::npos && (line.compare(a, 4, "EXEC") == 0 || line.compare(a, 3, "USE") == 0)) {
        stmt.resize(stmt.size() - line.size());
        continue;
      }
    }
    stmt += c;
  }
  run(stmt);
  sqlite3_close(h);
  return err;
}

struct Case {
  std::string id;
  fs::path mapping;
  fs::path expected;  // empty: none
  bool error = false;
  std::string base;
  std::string sql_script;  // to load into a temporary SQLite database
  fs::path sparql_data;
  std::map<std::string, fs::path> csv_tables;  // table -> CSV file to load (RMLSTC0006a)
};

enum class Verdict { kPass, kFail, kSkip };

std::string tempDb(const std::string& id) {
  return (fs::temp_directory_path() / ("weft-rml-" + id + "-" + std::to_string(::getpid()) + ".sqlite")).string();
}

std::string loadCsvTable(const std::string& table, const fs::path& csv, const std::string& db) {
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) return "cannot open db";
  sources::SourceSpec spec;
  spec.kind = sources::SourceSpec::Kind::kCsv;
  spec.path = csv.string();
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  std::vector<std::string> cols;
  std::stringstream hs(header);
  for (std::string c; std::getline(hs, c, ',');) cols.push_back(c);
  std::string ddl = "CREATE TABLE \"" + table + "\" (";
  for (size_t i = 0; i < cols.size(); ++i) ddl += (i ? ", \"" : "\"") + cols[i] + "\"";  // typed by value
  ddl += ")";
  sqlite3_exec(h, ddl.c_str(), nullptr, nullptr, nullptr);
  auto src = sources::openCsv(spec);
  if (!src.isOk()) return src.status().message();
  std::vector<sources::RefId> ids(cols.size());
  for (size_t i = 0; i < cols.size(); ++i)
    if (!src.value()->compile(cols[i], &ids[i])) return "bad column";
  for (;;) {
    bool has = false;
    if (!src.value()->next(&has) || !has) break;
    std::string ins = "INSERT INTO \"" + table + "\" VALUES (";
    for (size_t i = 0; i < cols.size(); ++i) {
      std::vector<sources::Value> v;
      (void)src.value()->values(ids[i], &v);
      bool integer = !v.empty() && !v[0].text.empty() &&
                     v[0].text.find_first_not_of("0123456789") == std::string::npos && v[0].text.size() < 18;
      std::string val = v.empty() ? "NULL"
                        : integer ? v[0].text
                                  : "'" + std::regex_replace(v[0].text, std::regex("'"), "''") + "'";
      ins += (i ? ", " : "") + val;
    }
    ins += ")";
    sqlite3_exec(h, ins.c_str(), nullptr, nullptr, nullptr);
  }
  sqlite3_close(h);
  return "";
}

// Cases may name files relative to the working directory
// (rml:CurrentWorkingDirectory): run each in its own folder.
struct CwdGuard {
  fs::path old;
  explicit CwdGuard(const fs::path& dir) : old(fs::current_path()) { fs::current_path(dir); }
  ~CwdGuard() { fs::current_path(old); }
};

Verdict runCase(const Case& c, bool verbose, std::string* why) {
  CwdGuard cwd(c.mapping.parent_path());
  std::string db;
  map::LoadOptions lo;
  lo.base = c.base;
  if (!c.sql_script.empty() || !c.csv_tables.empty()) {
    db = tempDb(c.id);
    fs::remove(db);
    if (!c.sql_script.empty()) {
      std::string err = loadSqlScript(c.sql_script, db);
      if (!err.empty() && verbose) std::fprintf(stderr, "  %s: SQL set-up: %s\n", c.id.c_str(), err.c_str());
    }
    for (auto& [t, f] : c.csv_tables) loadCsvTable(t, f, db);
    lo.sql_db = db;
  }
  lo.sparql_data = c.sparql_data.string();
  // Mappings with several endpoints: .../dsN/sparql reads resourceN.ttl.
  for (int n = 1; n <= 9; ++n) {
    fs::path f = c.mapping.parent_path() / ("resource" + std::to_string(n) + ".ttl");
    if (fs::exists(f)) lo.sparql_endpoints["http://localhost:PORT/ds" + std::to_string(n) + "/sparql"] = f.string();
  }
  Status st;
  rdf::VectorSink sink;
  auto m = map::loadMapping(c.mapping.string(), lo);
  if (!m.isOk()) {
    st = m.status();
  } else {
    map::RunOptions ro;
    st = map::runMapping(m.value(), ro, sink, nullptr);
  }
  if (!db.empty()) fs::remove(db);
  if (c.error) {
    if (!st) return Verdict::kPass;
    *why = "expected an error, got " + std::to_string(sink.quads.size()) + " quads";
    return Verdict::kFail;
  }
  if (!st) {
    *why = st.message();
    return Verdict::kFail;
  }
  std::vector<rdf::Quad> expected;
  if (!c.expected.empty()) {
    rdf::ReadOptions ro;
    ro.format = rdf::Format::kNQuads;
    rdf::VectorSink es;
    if (Status s = rdf::readFile(c.expected.string(), ro, es); !s) {
      // An expected file that is not valid N-Quads (rml:UnsafeIRI output
      // holds IRIs with spaces): compare the lines as text.
      std::set<std::string> want, got;
      std::stringstream ss(readText(c.expected));
      for (std::string line; std::getline(ss, line);) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
        if (!line.empty()) want.insert(line);
      }
      // Our writer escapes what IRIREF forbids (a space as \u0020).
      std::string text = std::regex_replace(rdf::toNQuadsText(sink.quads), std::regex(R"(\\u0020)"), " ");
      std::stringstream gs(text);
      for (std::string line; std::getline(gs, line);)
        if (!line.empty()) got.insert(line);
      if (want == got) return Verdict::kPass;
      *why = "cannot read the expected output (" + s.message() + ") and the lines differ";
      return Verdict::kFail;
    }
    expected = std::move(es.quads);
  }
  std::string diff;
  if (!rdf::isomorphic(expected, sink.quads, &diff)) {
    *why = "output differs: " + diff;
    return Verdict::kFail;
  }
  return Verdict::kPass;
}

bool truthy(const std::string& s) { return s == "true" || s == "TRUE" || s == "True" || s == "yes"; }

std::vector<Case> modularCases(const fs::path& root, const std::string& suite) {
  std::vector<Case> out;
  fs::path dir = root / suite / "test-cases";
  auto meta = readMetadata(dir / "metadata.csv");
  for (auto& row : meta) {
    Case c;
    c.id = row["ID"];
    if (c.id.empty()) continue;
    if (suite == "rml-io" && c.id.rfind("RMLSTC", 0) != 0) continue;  // targets: not run
    fs::path d = dir / c.id;
    if (!fs::exists(d / "mapping.ttl")) continue;
    c.mapping = d / "mapping.ttl";
    for (const char* name : {"output.nq", "default.nq"})
      if (fs::exists(d / name)) {
        c.expected = d / name;
        break;
      }
    // The metadata and the folders disagree for a few cases (README): an
    // error case ships no expected output.
    c.error = c.expected.empty() || (truthy(row["error"]) && c.expected.empty());
    c.base = row["base_iri"].empty() ? "http://example.com/" : row["base_iri"];
    if (c.id == "RMLSTC0006a") c.csv_tables["Friends"] = d / "Friends.csv";
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Case> legacyCases(const fs::path& root) {
  std::vector<Case> out;
  fs::path dir = root / "rml-legacy" / "test-cases";
  std::map<std::string, bool> error;
  // The metadata's "error expected?" column, or its description saying the
  // case "is an error" (RMLTC0007h: false in the column, an error in the text).
  for (auto& row : readMetadata(root / "rml-legacy" / "metadata.csv"))
    error[row["RML id"]] = truthy(row["error expected?"]) || row["purpose"].find("which is an error") != std::string::npos;
  std::vector<fs::path> dirs;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (auto& d : dirs) {
    Case c;
    c.id = d.filename().string();
    c.mapping = d / "mapping.ttl";
    if (!fs::exists(c.mapping)) continue;
    c.error = error.count(c.id) ? error[c.id] : !fs::exists(d / "output.nq");
    if (fs::exists(d / "output.nq")) c.expected = d / "output.nq";
    c.base = "http://example.com/base/";
    if (fs::exists(d / "resource.sql")) c.sql_script = readText(d / "resource.sql");
    if (fs::exists(d / "resource.ttl")) c.sparql_data = d / "resource.ttl";
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Case> r2rmlCases(const fs::path& root) {
  std::vector<Case> out;
  fs::path dir = root / "r2rml";
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTurtle;
  rdf::VectorSink sink;
  if (!rdf::readFile((dir / "manifest.ttl").string(), ro, sink)) return out;
  const std::string t = "http://purl.org/NET/rdb2rdf-test#";
  std::map<std::string, std::map<std::string, std::string>> props;
  for (auto& q : sink.quads) props[q.s.value][q.p.value] = q.o.value;
  for (auto& [node, p] : props) {
    if (!p.count(t + "mappingDocument")) continue;
    Case c;
    c.id = p["http://purl.org/dc/terms/identifier"];
    fs::path d = dir / c.id;
    c.mapping = d / p[t + "mappingDocument"];
    c.error = p[t + "hasExpectedOutput"] == "false";
    if (!c.error && p.count(t + "output")) c.expected = d / p[t + "output"];
    const auto& dbnode = props[p[t + "database"]];
    auto it = dbnode.find(t + "sqlScriptFile");
    if (it != dbnode.end()) c.sql_script = readText(dir / "databases" / it->second);
    c.base = "http://example.com/base/";
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: rml_conformance SUITE [--shared DIR] [--skip FILE] [--verbose] [--only S]\n");
    return 2;
  }
  std::string suite = argv[1];
  fs::path shared, skip_file;
#ifdef WEFT_SOURCE_DIR
  shared = fs::path(WEFT_SOURCE_DIR) / ".." / "shared";
  skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "rml-skip.txt";
#endif
  if (const char* env = std::getenv("WEFT_SHARED_DIR")) shared = env;
  bool verbose = false;
  std::string only;
  double min_pass = -1;  // percent of all cases (skips count against it); -1: report only
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) shared = argv[++i];
    else if (a == "--skip" && i + 1 < argc) skip_file = argv[++i];
    else if (a == "--verbose") verbose = true;
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--min-pass" && i + 1 < argc) min_pass = std::atof(argv[++i]);
  }
  fs::path root = shared / "conformance" / "rml";
  if (!fs::exists(root)) {
    std::printf("skipped: %s not found\n", root.c_str());
    return 77;
  }
  std::map<std::string, std::string> skips;
  {
    std::ifstream in(skip_file);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      size_t sp = line.find(' ');
      std::string id = line.substr(0, sp);
      skips[id] = sp == std::string::npos ? "in the skip list" : line.substr(sp + 1);
    }
  }
  std::vector<Case> cases;
  if (suite == "rml-legacy") cases = legacyCases(root);
  else if (suite == "r2rml") cases = r2rmlCases(root);
  else if (suite == "rml-core" || suite == "rml-io" || suite == "rml-fnml" || suite == "rml-lv")
    cases = modularCases(root, suite);
  else {
    std::fprintf(stderr, "unknown suite %s\n", suite.c_str());
    return 2;
  }
  int pass = 0, fail = 0, skipped = 0;
  for (auto& c : cases) {
    if (!only.empty() && c.id.find(only) == std::string::npos) continue;
    auto sk = skips.find(suite + "/" + c.id);
    if (sk != skips.end()) {
      ++skipped;
      if (verbose) std::printf("SKIP %s: %s\n", c.id.c_str(), sk->second.c_str());
      continue;
    }
    std::string why;
    Verdict v = runCase(c, verbose, &why);
    if (v == Verdict::kPass) {
      ++pass;
    } else {
      ++fail;
      std::printf("FAIL %s: %s\n", c.id.c_str(), why.substr(0, verbose ? std::string::npos : 300).c_str());
    }
  }
  int total = pass + fail + skipped;
  std::printf("suite %s: %d passed, %d failed, %d skipped (of %d)\n", suite.c_str(), pass, fail, skipped, total);
  double rate = total == 0 ? 100 : 100.0 * pass / total;
  if (min_pass >= 0 && rate + 1e-9 < min_pass) {
    std::printf("suite %s: %.1f%% passed, below the required %.1f%%\n", suite.c_str(), rate, min_pass);
    return 1;
  }
  if (min_pass < 0 && fail > 0) return 1;
  return 0;
}
