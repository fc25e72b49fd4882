// SPDX-License-Identifier: Apache-2.0
// Fuzz targets for the JSON and SQL logical sources (the CSV and XML
// readers have theirs in targets_csv.cpp / targets_xml.cpp).
//  - fuzzOneJsonSource: the first line is an iterator (names and [*], so
//    both readers apply), the rest a document read from memory; the
//    streaming reader and the whole-document reader must agree
//    on every record's values (or both fail).
//  - fuzzOneSqlSource: the bytes are an SQL query run read-only over a fixed
//    SQLite database with every column type; a query must never write, and
//    every value read must come back without a crash.
#include <sqlite3.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/sources/internal/input_stream.h"
#include "engine/sources/internal/json_source.h"
#include "engine/sources/source.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz source: %s\n", what.c_str());
  std::abort();
}

// All values of references "a", "b", "$.c[*]" per record, as text; false
// when opening or reading fails.
bool readAllJson(const std::string& iterator, std::string_view doc, sources::internal::JsonMode mode,
                 std::vector<std::string>* out) {
  sources::SourceSpec spec;
  spec.kind = sources::SourceSpec::Kind::kJson;
  spec.iterator = iterator;
  spec.max_record_bytes = 1 << 20;
  auto in = sources::internal::decodeInput(sources::internal::memoryByteReader(doc), "", "fuzz.json");
  if (!in.isOk()) return false;
  auto src = sources::internal::openJsonStream(spec, std::move(in.value()), "fuzz.json", mode);
  if (!src.isOk()) return false;
  std::vector<sources::RefId> ids(3);
  const char* refs[3] = {"a", "b", "$.c[*]"};
  for (int i = 0; i < 3; ++i)
    if (!src.value()->compile(refs[i], &ids[i])) return false;
  for (int n = 0; n < 10000; ++n) {
    bool has = false;
    if (!src.value()->next(&has)) return false;
    if (!has) return true;
    std::string rec;
    for (auto id : ids) {
      std::vector<sources::Value> v;
      if (!src.value()->values(id, &v)) return false;
      for (auto& x : v) rec += std::to_string(static_cast<int>(x.kind)) + ":" + x.text + "|";
      rec += ";";
    }
    out->push_back(std::move(rec));
  }
  return true;
}

}  // namespace

int fuzzOneJsonSource(const uint8_t* data, size_t size) {
  if (size < 2 || size > (1 << 16)) return 0;
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t nl = all.find('\n');
  if (nl == std::string_view::npos) return 0;
  std::string iterator(all.substr(0, nl));
  for (char c : iterator)  // only iterators both readers accept
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '$' || c == '.' || c == '[' || c == ']' || c == '*'))
      return 0;
  std::string_view doc = all.substr(nl + 1);
  std::vector<std::string> stream, dom;
  bool s_ok = readAllJson(iterator, doc, sources::internal::JsonMode::kStreaming, &stream);
  bool d_ok = readAllJson(iterator, doc, sources::internal::JsonMode::kDom, &dom);
  if (s_ok && d_ok && stream != dom) fail("streaming and DOM readers disagree on iterator '" + iterator + "'");
  return 0;
}

int fuzzOneSqlSource(const uint8_t* data, size_t size) {
  if (size > (1 << 12)) return 0;
  static const std::string db = [] {
    auto p = std::filesystem::temp_directory_path() / ("weft-fuzz-sql-" + std::to_string(::getpid()) + ".sqlite");
    std::filesystem::remove(p);
    sqlite3* h = nullptr;
    if (sqlite3_open(p.c_str(), &h) != SQLITE_OK) fail("cannot create the fuzz database");
    const char* ddl =
        "CREATE TABLE t (i INTEGER, r REAL, d DECIMAL(10,2), b BOOLEAN, s TEXT, c CHAR(6), dt DATE, ts TIMESTAMP, "
        "x BLOB);"
        "INSERT INTO t VALUES (1, 1.5, 12.25, 1, 'a''b', 'ab', '2026-01-02', '2026-01-02 03:04:05', X'00FF');"
        "INSERT INTO t VALUES (NULL, -0.0, 0, 0, '', NULL, NULL, NULL, NULL);"
        "INSERT INTO t VALUES (9223372036854775807, 1e308, -1, 'true', 'é', 'x', 'bad', 'bad', X'');";
    if (sqlite3_exec(h, ddl, nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot fill the fuzz database");
    sqlite3_close(h);
    return p.string();
  }();
  sources::SourceSpec spec;
  spec.kind = sources::SourceSpec::Kind::kSql;
  spec.path = db;
  spec.query.assign(reinterpret_cast<const char*>(data), size);
  auto src = sources::openSql(spec);
  if (!src.isOk()) return 0;
  std::vector<sources::RefId> ids;
  for (const char* col : {"i", "r", "d", "b", "s", "c", "dt", "ts", "x"}) {
    sources::RefId id;
    if (src.value()->compile(col, &id)) ids.push_back(id);
  }
  for (int n = 0; n < 1000; ++n) {
    bool has = false;
    if (!src.value()->next(&has) || !has) break;
    for (auto id : ids) {
      std::vector<sources::Value> v;
      (void)src.value()->values(id, &v);
    }
  }
  // Read-only: the table still has its three rows.
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM t", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_int(st, 0) != 3)
      fail("a fuzzed query changed the database");
    sqlite3_finalize(st);
    sqlite3_close(h);
  }
  return 0;
}

}  // namespace weft::fuzz
