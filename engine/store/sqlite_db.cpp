// SPDX-License-Identifier: Apache-2.0
#include "engine/store/sqlite_db.h"

#include <sqlite3.h>

namespace weft::store {

namespace {
// Page cache sizes (negative: KiB). A write transaction keeps its dirty
// pages until COMMIT, so it gets a large cache; between transactions the
// reads are of term blocks, which the store copies into its own block
// cache, so a small one serves them without holding a second copy of the
// dictionary.
constexpr const char* kWriteCache = "PRAGMA cache_size=-65536";
constexpr const char* kReadCache = "PRAGMA cache_size=-2048";
}  // namespace

SqliteStmt& SqliteStmt::operator=(SqliteStmt&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

SqliteStmt::~SqliteStmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

void SqliteStmt::bindInt(int idx, int64_t v) { sqlite3_bind_int64(stmt_, idx, v); }
void SqliteStmt::bindBlob(int idx, std::string_view v) {
  sqlite3_bind_blob64(stmt_, idx, v.data(), v.size(), SQLITE_TRANSIENT);
}
void SqliteStmt::bindText(int idx, std::string_view v) {
  sqlite3_bind_text64(stmt_, idx, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

bool SqliteStmt::step(Status* st) {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && st) {
    *st = Status::ioError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  return false;
}

Status SqliteStmt::exec() {
  Status st;
  while (step(&st)) {
  }
  reset();
  return st;
}

void SqliteStmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStmt::columnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string_view SqliteStmt::columnBlob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
bool SqliteStmt::columnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

SqliteDb::~SqliteDb() {
  if (db_) sqlite3_close_v2(db_);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::string& path, bool create,
                                                 bool readonly) {
  sqlite3* db = nullptr;
  int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !readonly) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    if (db) sqlite3_close_v2(db);
    return Status::ioError("cannot open '" + path + "': " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10000);
  std::unique_ptr<SqliteDb> out(new SqliteDb(db));
  if (!readonly) {
    WEFT_TRY(out->exec("PRAGMA journal_mode=WAL"));
  }
  // FULL: a committed load survives power loss, not only a process crash.
  WEFT_TRY(out->exec("PRAGMA synchronous=FULL"));
  WEFT_TRY(out->exec(kReadCache));
  return out;
}

Status SqliteDb::exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc == SQLITE_FULL || (rc & 0xff) == SQLITE_FULL) return Status::ioError("disk full: " + msg);
    if ((rc & 0xff) == SQLITE_NOTADB) return Status::corruption("not a weft store: " + msg);
    return Status::ioError("sqlite: " + msg);
  }
  return Status::ok();
}

Result<SqliteStmt> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_NOTADB) return Status::corruption(std::string("not a weft store: ") + sqlite3_errmsg(db_));
    return Status::ioError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  return SqliteStmt(db_, s);
}

Status SqliteDb::begin() {
  WEFT_TRY(exec(kWriteCache));
  return exec("BEGIN IMMEDIATE");
}
Status SqliteDb::commit() {
  Status s = exec("COMMIT");
  (void)exec(kReadCache);  // also frees the pages above it
  return s;
}
Status SqliteDb::rollback() {
  Status s = exec("ROLLBACK");
  (void)exec(kReadCache);
  return s;
}
std::string SqliteDb::errorMessage() const { return sqlite3_errmsg(db_); }

}  // namespace weft::store
