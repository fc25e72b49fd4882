// SPDX-License-Identifier: Apache-2.0
// The SQL logical source over SQLite (R2RML section 5 "logical tables", RML-IO
// SQL sources): a base table or view (rr:tableName, read as SELECT * FROM it)
// or one SELECT query (rr:sqlQuery), opened read-only. References are column
// names of the result (R2RML section 6.2: a column name may be written as a
// delimited identifier "Name"). Values follow the natural mapping of SQL
// values (R2RML section 10.2): INTEGER -> xsd:integer, REAL/FLOAT/DOUBLE ->
// xsd:double in canonical form (1.65 -> "1.65E0"), NUMERIC/DECIMAL ->
// xsd:decimal, BOOLEAN -> xsd:boolean, BLOB -> xsd:hexBinary (bytes here),
// DATE -> xsd:date, TIMESTAMP/DATETIME -> xsd:dateTime ("2009-10-10 12:12:22"
// -> "2009-10-10T12:12:22"), TIME -> xsd:time, anything else a plain string.
// SQLite types values per row, so the storage class decides, refined by the
// column's declared type where SQLite has no class of its own (BOOLEAN,
// DECIMAL, dates).
#include <sqlite3.h>
#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ascii.h"
#include "engine/sources/internal/input_stream.h"
#include "engine/sources/source.h"

namespace weft::sources {
namespace {

constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

// What the declared type adds to the storage class.
enum class Declared : uint8_t { kOther, kBoolean, kDecimal, kDate, kDateTime, kTime };

Declared classify(const char* decltype_text) {
  if (decltype_text == nullptr) return Declared::kOther;
  std::string t = core::asciiUpper(decltype_text);
  auto starts = [&](std::string_view p) { return t.compare(0, p.size(), p) == 0; };
  if (t.find("BOOL") != std::string::npos) return Declared::kBoolean;
  if (starts("DECIMAL") || starts("NUMERIC") || starts("DEC(") || t == "DEC") {
    return Declared::kDecimal;
  }
  if (starts("TIMESTAMP") || starts("DATETIME")) return Declared::kDateTime;
  if (starts("DATE")) return Declared::kDate;
  if (starts("TIME")) return Declared::kTime;
  return Declared::kOther;
}

// CHAR(n) / CHARACTER(n): SQL pads such values with spaces to n characters
// (R2RML test 0018a expects the padding); SQLite stores them as written.
size_t fixedCharWidth(const char* decltype_text) {
  if (decltype_text == nullptr) return 0;
  std::string t = core::asciiUpper(decltype_text);
  size_t open = t.find('(');
  std::string head = t.substr(0, open);
  while (!head.empty() && head.back() == ' ') head.pop_back();
  if (open == std::string::npos || (head != "CHAR" && head != "CHARACTER")) return 0;
  return static_cast<size_t>(std::strtoul(t.c_str() + open + 1, nullptr, 10));
}

// MySQL's CONCAT(a, b, ...) for mappings written against MySQL: NULL if any
// argument is NULL, else the arguments' text joined.
void sqlConcat(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
      sqlite3_result_null(ctx);
      return;
    }
    const unsigned char* t = sqlite3_value_text(argv[i]);
    if (t != nullptr) out.append(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_value_bytes(argv[i])));
  }
  sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

// CONCAT_WS(separator, a, b, ...) (MySQL, PostgreSQL): NULL arguments are
// skipped; a NULL separator gives NULL.
void sqlConcatWs(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc == 0 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  auto text = [](sqlite3_value* v) {
    const unsigned char* t = sqlite3_value_text(v);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_value_bytes(v)))
             : std::string();
  };
  std::string sep = text(argv[0]), out;
  bool first = true;
  for (int i = 1; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    if (!first) out += sep;
    out += text(argv[i]);
    first = false;
  }
  sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

// Canonical xsd:double (XML Schema 1.1 Part 2, 3.3.5.2): a mantissa with one
// digit before the point and at least one after, "E", an exponent without
// "+" or leading zeros; the shortest digits that read back the same value.
void formatDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    *out = "NaN";
    return;
  }
  if (std::isinf(v)) {
    *out = v < 0 ? "-INF" : "INF";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
  size_t e = s.find('e');
  std::string_view mantissa = s.substr(0, e);
  std::string_view exponent = e == std::string_view::npos ? "0" : s.substr(e + 1);
  out->assign(mantissa);
  if (mantissa.find('.') == std::string_view::npos) out->append(".0");
  out->push_back('E');
  bool negative = false;
  if (!exponent.empty() && (exponent.front() == '+' || exponent.front() == '-')) {
    negative = exponent.front() == '-';
    exponent.remove_prefix(1);
  }
  while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
  if (negative && exponent != "0") out->push_back('-');
  out->append(exponent);
}

// xsd:decimal from a double: plain notation, shortest round-trip digits.
void formatDecimal(double v, std::string* out) {
  if (!std::isfinite(v)) {
    formatDouble(v, out);
    return;
  }
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  out->assign(buf, static_cast<size_t>(res.ptr - buf));
  if (*out == "-0") *out = "0";
}

void formatInteger(int64_t v, std::string* out) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out->assign(buf, static_cast<size_t>(res.ptr - buf));
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A table name as R2RML writes it: already delimited ("Name", `Name`,
// [Name], or schema-qualified plain names) is used as is; anything else is
// quoted so that spaces and odd characters survive.
std::string tableReference(std::string_view name) {
  name = trim(name);
  if (!name.empty() && (name.front() == '"' || name.front() == '`' || name.front() == '[')) {
    return std::string(name);
  }
  bool plain = !name.empty();
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
    plain = plain && ok;
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Strips one level of identifier quoting: "a""b" -> a"b, `x` -> x, [x] -> x.
bool unquote(std::string_view s, std::string* out) {
  if (s.size() < 2) return false;
  char open = s.front(), close = s.back();
  char expect = open == '"' ? '"' : open == '`' ? '`' : open == '[' ? ']' : 0;
  if (expect == 0 || close != expect) return false;
  out->clear();
  std::string_view body = s.substr(1, s.size() - 2);
  for (size_t i = 0; i < body.size(); ++i) {
    out->push_back(body[i]);
    if (open != '[' && body[i] == open && i + 1 < body.size() && body[i + 1] == open) ++i;
  }
  return true;
}

class SqlSource : public Source {
 public:
  explicit SqlSource(const SourceSpec& spec) : spec_(spec), name_(internal::baseName(spec.path)) {}
  ~SqlSource() override {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }

  Status open();
  Status compile(std::string_view reference, RefId* id) override;
  Status next(bool* has) override;
  Status values(RefId id, std::vector<Value>* out) override;
  std::string position() const override {
    return row_ == 0 ? name_ : name_ + " row " + std::to_string(row_);
  }

 private:
  Status sqlError(std::string_view what) const {
    return Status::invalidArgument(std::string(what) + " (" + spec_.path + "): " +
                                   (db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open"));
  }

  SourceSpec spec_;
  std::string name_;
  std::string sql_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::vector<std::string> columns_;
  std::vector<Declared> declared_;
  std::vector<size_t> char_width_;  // CHAR(n) columns: n, else 0
  std::vector<int> refs_;
  uint64_t row_ = 0;
  bool done_ = false;
};

Status SqlSource::open() {
  struct stat st;
  if (::stat(spec_.path.c_str(), &st) != 0) {
    return Status::notFound("SQLite database not found: " + spec_.path);
  }
  int rc = sqlite3_open_v2(spec_.path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return sqlError("cannot open SQLite database");
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_create_function(db_, "CONCAT", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, sqlConcat, nullptr,
                          nullptr);
  sqlite3_create_function(db_, "CONCAT_WS", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, sqlConcatWs, nullptr,
                          nullptr);
  if (spec_.sql_is_table) {
    if (trim(spec_.query).empty()) return Status::invalidArgument("empty SQL table name");
    sql_ = "SELECT * FROM " + tableReference(spec_.query);
  } else {
    sql_ = std::string(trim(spec_.query));
    if (sql_.empty()) return Status::invalidArgument("empty SQL query");
  }
  const char* tail = nullptr;
  rc = sqlite3_prepare_v2(db_, sql_.c_str(), static_cast<int>(sql_.size()), &stmt_, &tail);
  if (rc != SQLITE_OK) return sqlError("SQL error in '" + sql_ + "'");
  if (stmt_ == nullptr) return Status::invalidArgument("empty SQL query");
  if (tail != nullptr) {
    std::string_view rest(tail);
    while (!rest.empty() && (isSpace(rest.front()) || rest.front() == ';')) rest.remove_prefix(1);
    if (!rest.empty()) {
      return Status::invalidArgument("SQL query holds more than one statement: '" + sql_ + "'");
    }
  }
  if (!sqlite3_stmt_readonly(stmt_)) {
    return Status::invalidArgument("SQL query is not read-only: '" + sql_ + "'");
  }
  int n = sqlite3_column_count(stmt_);
  if (n == 0) return Status::invalidArgument("SQL statement returns no columns: '" + sql_ + "'");
  for (int i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(stmt_, i);
    columns_.emplace_back(name != nullptr ? name : "");
    declared_.push_back(classify(sqlite3_column_decltype(stmt_, i)));
    char_width_.push_back(fixedCharWidth(sqlite3_column_decltype(stmt_, i)));
  }
  // R2RML 5.2: a logical table's columns must have unique names.
  for (size_t i = 0; i < columns_.size(); ++i)
    for (size_t j = i + 1; j < columns_.size(); ++j)
      if (columns_[i] == columns_[j])
        return Status::invalidArgument("SQL query returns two columns named '" + columns_[i] + "': '" + sql_ + "'");
  return Status::ok();
}

Status SqlSource::compile(std::string_view reference, RefId* id) {
  std::string_view ref = trim(reference);
  auto find = [&](std::string_view name, bool fold) -> int {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == name) return static_cast<int>(i);
    }
    if (fold) {
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (core::equalsIgnoreAsciiCase(columns_[i], name)) return static_cast<int>(i);
      }
    }
    return -1;
  };
  // Exact first (a column may be named with quotes), then the delimited
  // identifier's body, then a case-insensitive match as SQL folds plain
  // identifiers.
  int col = find(ref, false);
  std::string inner;
  if (col < 0 && unquote(ref, &inner)) col = find(inner, true);
  if (col < 0) col = find(ref, true);
  if (col < 0) {
    std::string list;
    for (const std::string& c : columns_) {
      if (!list.empty()) list += ", ";
      list += c;
    }
    return Status::invalidArgument("unknown SQL column '" + std::string(reference) + "' in '" +
                                   sql_ + "' (columns: " + list + ")");
  }
  refs_.push_back(col);
  *id = static_cast<RefId>(refs_.size() - 1);
  return Status::ok();
}

Status SqlSource::next(bool* has) {
  *has = false;
  if (done_) return Status::ok();
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    ++row_;
    *has = true;
    return Status::ok();
  }
  done_ = true;
  if (rc == SQLITE_DONE) return Status::ok();
  return sqlError("SQL error at row " + std::to_string(row_ + 1) + " of '" + sql_ + "'");
}

Status SqlSource::values(RefId id, std::vector<Value>* out) {
  if (id >= refs_.size()) return Status::invalidArgument("unknown SQL reference id");
  if (row_ == 0 || done_) return Status::invalidArgument("no current SQL row");
  int col = refs_[id];
  int type = sqlite3_column_type(stmt_, col);
  if (type == SQLITE_NULL) return Status::ok();
  Declared decl = declared_[col];
  Value v;
  switch (type) {
    case SQLITE_INTEGER: {
      int64_t i = sqlite3_column_int64(stmt_, col);
      if (decl == Declared::kBoolean) {
        v.kind = ValueKind::kBoolean;
        v.text = i != 0 ? "true" : "false";
      } else {
        v.kind = decl == Declared::kDecimal ? ValueKind::kDecimal : ValueKind::kInteger;
        formatInteger(i, &v.text);
      }
      break;
    }
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(stmt_, col);
      if (decl == Declared::kBoolean) {
        v.kind = ValueKind::kBoolean;
        v.text = d != 0 ? "true" : "false";
      } else if (decl == Declared::kDecimal) {
        v.kind = ValueKind::kDecimal;
        formatDecimal(d, &v.text);
      } else {
        v.kind = ValueKind::kDouble;
        formatDouble(d, &v.text);
      }
      break;
    }
    case SQLITE_BLOB: {
      const void* data = sqlite3_column_blob(stmt_, col);
      int n = sqlite3_column_bytes(stmt_, col);
      v.kind = ValueKind::kBinary;
      if (data != nullptr && n > 0) v.text.assign(static_cast<const char*>(data), n);
      break;
    }
    default: {  // SQLITE_TEXT
      const unsigned char* text = sqlite3_column_text(stmt_, col);
      int n = sqlite3_column_bytes(stmt_, col);
      if (text != nullptr && n > 0) v.text.assign(reinterpret_cast<const char*>(text), n);
      if (char_width_[col] > v.text.size()) v.text.append(char_width_[col] - v.text.size(), ' ');
      switch (decl) {
        case Declared::kBoolean:
          if (core::equalsIgnoreAsciiCase(v.text, "true") || core::equalsIgnoreAsciiCase(v.text, "false")) {
            v.kind = ValueKind::kBoolean;
            v.text = core::equalsIgnoreAsciiCase(v.text, "true") ? "true" : "false";
          }
          break;
        case Declared::kDate:
          v.datatype = std::string(kXsd) + "date";
          break;
        case Declared::kDateTime:
          // SQL writes a space between date and time where xsd:dateTime has "T".
          if (v.text.size() > 10 && v.text[10] == ' ') v.text[10] = 'T';
          v.datatype = std::string(kXsd) + "dateTime";
          break;
        case Declared::kTime:
          v.datatype = std::string(kXsd) + "time";
          break;
        default:
          break;
      }
      break;
    }
  }
  for (const std::string& n : spec_.nulls) {
    if (n == v.text) return Status::ok();
  }
  out->push_back(std::move(v));
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Source>> openSql(const SourceSpec& spec) {
  auto source = std::make_unique<SqlSource>(spec);
  WEFT_TRY(source->open());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace weft::sources
