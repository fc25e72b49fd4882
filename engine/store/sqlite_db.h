// SPDX-License-Identifier: Apache-2.0
// A small RAII adapter over SQLite 3: every sqlite3_* call of weft is in
// sqlite_db.cpp. Errors become Status values carrying SQLite's message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace weft::store {

class SqliteStmt {
 public:
  SqliteStmt() = default;
  SqliteStmt(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
  SqliteStmt(SqliteStmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  SqliteStmt& operator=(SqliteStmt&& o) noexcept;
  ~SqliteStmt();

  void bindInt(int idx, int64_t v);
  void bindBlob(int idx, std::string_view v);
  void bindText(int idx, std::string_view v);
  // Returns true if a row is available, false when done; errors in *st.
  bool step(Status* st);
  Status exec();  // step to completion, then reset
  void reset();
  int64_t columnInt(int col) const;
  std::string_view columnBlob(int col) const;
  bool columnIsNull(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  ~SqliteDb();
  // Opens (or creates) the database at path with WAL journaling.
  static Result<std::unique_ptr<SqliteDb>> open(const std::string& path, bool create, bool readonly);
  Status exec(std::string_view sql);
  Result<SqliteStmt> prepare(std::string_view sql);
  Status begin();   // BEGIN IMMEDIATE
  Status commit();
  Status rollback();
  std::string errorMessage() const;
  sqlite3* raw() { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace weft::store
