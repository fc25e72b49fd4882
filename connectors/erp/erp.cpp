// SPDX-License-Identifier: Apache-2.0
// The ERP and quality connectors (connectors/api/connector.h):
//   sap-csv       SAP-style flat extracts, one CSV per entity (materials.csv,
//                 bom.csv, process_orders.csv, order_components.csv,
//                 batches.csv, goods_movements.csv, purchase_orders.csv,
//                 vendors.csv, customers.csv, inspection_results.csv, and the
//                 extras source_list.csv, work_centers.csv, plants.csv and
//                 handling_units.csv)
//   erp-sqlite    another ERP's relational database (SQLite, its own schema:
//                 prod_order, lot, item, ...), mapped with R2RML
//   supplier-coa  a supplier's certificate of analysis (JSON, one per file)
//   qms-csv       quality records: deviations.csv, capa.csv, complaints.csv,
//                 recalls.csv
//   cmms-csv      maintenance work orders of a CMMS: work_orders.csv
// All the mapping is declarative (mappings/sap-csv/, erp-sqlite/,
// supplier-coa/, qms-csv/, cmms-csv/); the code here recognises a file, picks the
// mapping for the entity a CSV holds, and checks the document before anything
// is written: the header has every column its mapping reads, the key columns
// have values, and the materials and vendors a SAP row names are in the
// extract's materials.csv / vendors.csv (a lot's GS1 Digital Link IRI needs
// its material's GTIN, so an unknown material would silently lose the row).
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "connectors/api/connector.h"
#include "connectors/internal/files.h"
#include "engine/rdf/internal/jsonld_json.h"

namespace weft::connectors {

namespace {

namespace fs = std::filesystem;

using internal::fileName;

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180: comma separated, "..." quoting with "" inside, a quoted
// field may span lines; internal::splitCsvRecord). `line` is the physical
// line a record starts on.

// Calls `fn(line, fields)` for every record, the header first (line 1).
Status readCsv(const std::string& path, const std::function<Status(uint64_t, const std::vector<std::string>&)>& fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError(fileName(path) + ": cannot be read");
  std::string line, rec;
  uint64_t line_no = 0, start = 0;
  size_t quotes = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (rec.empty() && quotes == 0) {
      start = line_no;
      rec = line;
    } else {
      rec += '\n';
      rec += line;
    }
    quotes += static_cast<size_t>(std::count(line.begin(), line.end(), '"'));
    if (quotes % 2 != 0) continue;  // a quoted field goes on on the next line
    quotes = 0;
    if (rec.empty()) continue;       // blank line
    if (Status st = fn(start, internal::splitCsvRecord(rec)); !st) return st;
    rec.clear();
  }
  if (quotes % 2 != 0) return Status::syntaxError(fileName(path) + " line " + std::to_string(start) +
                                                  ": a quoted field is not closed before the end of the file");
  return Status::ok();
}

bool hasAll(const std::vector<std::string>& header, const std::vector<std::string>& cols) {
  for (const std::string& c : cols)
    if (std::find(header.begin(), header.end(), c) == header.end()) return false;
  return true;
}

// A reference from a column to the key column of a sibling file.
struct Lookup {
  std::vector<std::string> columns;  // the columns whose (non-empty) values must be known
  std::string file;                  // sibling file
  std::string key;                   // its key column
  std::string what;                  // "material", "vendor"
  std::string why;                   // why it matters
};

// One CSV entity: its file name, mapping, the columns its mapping reads, the
// key columns that must have values and the sibling files it reads.
struct CsvEntity {
  std::string file;
  std::string mapping;
  std::vector<std::string> columns;
  std::vector<std::string> required_values;
  std::vector<Lookup> lookups;
};

const Lookup kMaterial{{"MATNR"}, "materials.csv", "MATNR", "material", "its GTIN names the lot and product"};
const Lookup kVendor{{"LIFNR"}, "vendors.csv", "LIFNR", "vendor", "its GLN names the supplier"};

const std::vector<CsvEntity>& sapEntities() {
  static const std::vector<CsvEntity> list = {
      {"materials.csv", "sap-csv/materials.ttl",
       {"MATNR", "MAKTX", "MTART", "MEINS", "XCHPF", "MHDHB_DAYS", "GTIN", "NDC", "STORAGE_COND", "WERKS"},
       {"MATNR", "GTIN"}, {}},
      {"bom.csv", "sap-csv/bom.ttl",
       {"MATNR", "WERKS", "STLAL", "BMENG", "BMEIN", "POSNR", "IDNRK", "MENGE", "MEINS", "VALID_FROM"},
       {"MATNR", "WERKS", "STLAL", "POSNR", "IDNRK"},
       {Lookup{{"MATNR", "IDNRK"}, "materials.csv", "MATNR", "material", "its GTIN names the product"}}},
      {"process_orders.csv", "sap-csv/process_orders.ttl",
       {"AUFNR", "AUART", "MATNR", "WERKS", "GAMNG", "GMEIN", "GSTRP", "GLTRP", "ACT_START", "ACT_END", "STATUS",
        "CHARG"},
       {"AUFNR", "MATNR"}, {kMaterial}},
      {"order_components.csv", "sap-csv/order_components.ttl",
       {"AUFNR", "POSNR", "MATNR", "CHARG", "BDMNG", "ENMNG", "MEINS"},
       {"AUFNR", "POSNR", "MATNR", "CHARG"},
       {kMaterial, Lookup{{"AUFNR"}, "process_orders.csv", "AUFNR", "process order",
                          "its batch (CHARG) is the batch run that consumed the component"}}},
      {"batches.csv", "sap-csv/batches.ttl", {"MATNR", "CHARG", "WERKS", "HSDAT", "VFDAT", "LICHA", "LIFNR", "ZUSTD"},
       {"MATNR", "CHARG"}, {kMaterial, kVendor}},
      {"goods_movements.csv", "sap-csv/goods_movements.ttl",
       {"MBLNR", "ZEILE", "BWART", "MATNR", "CHARG", "WERKS", "LGORT", "MENGE", "MEINS", "BUDAT", "AUFNR", "EBELN",
        "VBELN"},
       {"MBLNR", "ZEILE", "BWART", "MATNR"}, {kMaterial}},
      {"purchase_orders.csv", "sap-csv/purchase_orders.ttl",
       {"EBELN", "EBELP", "LIFNR", "BEDAT", "MATNR", "MENGE", "MEINS", "NETPR", "EINDT", "WERKS"},
       {"EBELN", "EBELP", "LIFNR", "MATNR"}, {kMaterial, kVendor}},
      {"vendors.csv", "sap-csv/vendors.ttl", {"LIFNR", "NAME1", "STRAS", "ORT01", "REGIO", "LAND1", "GLN", "LICENCE_NO"},
       {"LIFNR", "GLN"}, {}},
      {"customers.csv", "sap-csv/customers.ttl",
       {"KUNNR", "NAME1", "STRAS", "ORT01", "REGIO", "LAND1", "GLN", "LICENCE_NO"}, {"KUNNR", "GLN"}, {}},
      {"inspection_results.csv", "sap-csv/inspection_results.ttl",
       {"PRUEFLOS", "MATNR", "CHARG", "MERKNR", "CHARACTERISTIC", "LOWER", "UPPER", "UNIT", "RESULT", "VALUATION",
        "UD_CODE", "DATE"},
       {"PRUEFLOS", "MATNR", "CHARG", "CHARACTERISTIC"}, {kMaterial}},
      {"source_list.csv", "sap-csv/source_list.ttl", {"MATNR", "WERKS", "LIFNR", "VDATU", "BDATU", "FLIFN", "PLIFZ_DAYS"},
       {"MATNR", "WERKS", "LIFNR"}, {kMaterial, kVendor}},
      {"work_centers.csv", "sap-csv/work_centers.ttl",
       {"ARBPL", "WERKS", "KTEXT", "EQUIPMENT_ID", "CAPACITY_PER_WEEK", "CAP_UNIT", "HOURS_PER_WEEK"},
       {"ARBPL", "WERKS"}, {}},
      {"plants.csv", "sap-csv/plants.ttl",
       {"ROLE", "BUKRS", "WERKS", "LGORT", "NAME1", "STRAS", "ORT01", "REGIO", "LAND1", "GLN"}, {"ROLE", "BUKRS"}, {}},
      {"handling_units.csv", "sap-csv/handling_units.ttl", {"EXIDV", "VBELN", "MATNR", "CHARG", "VEMNG", "VEMEH"},
       {"EXIDV", "VBELN", "MATNR", "CHARG"},
       {kMaterial, Lookup{{}, "plants.csv", "ROLE", "organisation",
                          "its company GLN names the despatch advice (EPCIS bizTransaction) of the delivery"}}},
  };
  return list;
}

const std::vector<CsvEntity>& qmsEntities() {
  static const std::vector<CsvEntity> list = {
      {"deviations.csv", "qms-csv/deviations.ttl",
       {"id", "opened", "category", "batch_ids", "equipment_id", "description", "root_cause", "impact", "status",
        "closed"},
       {"id"}, {}},
      {"capa.csv", "qms-csv/capa.ttl", {"id", "source_ids", "action", "owner", "due", "closed", "effective"}, {"id"}, {}},
      {"complaints.csv", "qms-csv/complaints.ttl",
       {"id", "received", "product_gtin", "lot", "customer_gln", "category", "description", "severity",
        "linked_deviation", "status"},
       {"id"}, {}},
      {"recalls.csv", "qms-csv/recalls.ttl", {"id", "product", "lots", "class", "depth", "initiated", "reason"},
       {"id", "product", "lots"}, {}},
  };
  return list;
}

const std::vector<CsvEntity>& cmmsEntities() {
  static const std::vector<CsvEntity> list = {
      {"work_orders.csv", "cmms-csv/work_orders.ttl",
       {"id", "equipment_id", "type", "failure_mode", "failed", "completed", "description"}, {"id"}, {}},
  };
  return list;
}

// The entity a CSV holds: by its file name, else by a header that has every
// column of exactly one entity.
const CsvEntity* entityFor(const std::vector<CsvEntity>& list, const std::string& path,
                           const std::vector<std::string>* header) {
  const std::string name = fileName(path);
  for (const CsvEntity& e : list)
    if (e.file == name) return &e;
  if (!header) return nullptr;
  const CsvEntity* found = nullptr;
  for (const CsvEntity& e : list) {
    if (!hasAll(*header, e.columns)) continue;
    if (found) return nullptr;  // ambiguous
    found = &e;
  }
  return found;
}

Match detectCsv(const std::vector<CsvEntity>& list, const std::string& path, std::string_view head) {
  if (head.empty()) return Match::kNo;
  std::vector<std::string> header = internal::csvHeaderFields(head);
  const CsvEntity* by_name = entityFor(list, path, nullptr);
  if (by_name) {
    // The file's name says what it is; its header confirms it (or, missing a
    // column, validation says which).
    if (!header.empty() && header[0] == by_name->columns[0]) return Match::kByContent;
    return Match::kByName;
  }
  if (fs::path(path).extension() != ".csv") return Match::kNo;
  return entityFor(list, path, &header) ? Match::kByContent : Match::kNo;
}

// The values of column `key` in a sibling CSV file.
Result<std::set<std::string>> keysOf(const std::string& path, const std::string& key) {
  std::set<std::string> keys;
  int col = -1;
  Status st = readCsv(path, [&](uint64_t line, const std::vector<std::string>& f) -> Status {
    if (line == 1) {
      auto it = std::find(f.begin(), f.end(), key);
      if (it == f.end())
        return Status::invalidArgument(fileName(path) + " line 1: the header has no column " + key);
      col = static_cast<int>(it - f.begin());
      return Status::ok();
    }
    if (col < static_cast<int>(f.size())) keys.insert(f[col]);
    return Status::ok();
  });
  if (!st) return st;
  return keys;
}

Status validateCsv(const std::vector<CsvEntity>& list, const char* kind, const Document& doc, uint64_t* records) {
  std::vector<std::string> header;
  {
    std::ifstream in(doc.path, std::ios::binary);
    if (!in) return Status::ioError(doc.name + ": cannot be read");
    std::string first;
    std::getline(in, first);
    header = internal::csvHeaderFields(first);
  }
  const CsvEntity* e = entityFor(list, doc.path, &header);
  if (!e) {
    std::string names;
    for (const CsvEntity& x : list) names += (names.empty() ? "" : ", ") + x.file;
    return Status::invalidArgument(doc.name + ": not a " + kind + " file this connector knows (" + names + ")");
  }
  std::vector<std::string> missing;
  for (const std::string& c : e->columns)
    if (std::find(header.begin(), header.end(), c) == header.end()) missing.push_back(c);
  if (!missing.empty())
    return Status::invalidArgument(doc.name + " line 1: the header has no column " + joinNames(missing) + " (" +
                                   e->file + " needs " + joinNames(e->columns) + ")");

  // Sibling files and the keys they hold.
  const fs::path dir = fs::path(doc.path).parent_path();
  std::vector<std::set<std::string>> known(e->lookups.size());
  for (size_t i = 0; i < e->lookups.size(); ++i) {
    const Lookup& l = e->lookups[i];
    const fs::path sib = dir / l.file;
    std::error_code ec;
    if (!fs::is_regular_file(sib, ec))
      return Status::invalidArgument(doc.name + ": needs " + l.file + " in the same folder (" + l.what + ": " +
                                     l.why + ")");
    auto keys = keysOf(sib.string(), l.key);
    if (!keys.isOk()) return keys.status();
    known[i] = std::move(keys.value());
  }

  auto index = [&](const std::string& c) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), c) - header.begin());
  };
  uint64_t rows = 0;
  Status st = readCsv(doc.path, [&](uint64_t line, const std::vector<std::string>& f) -> Status {
    if (line == 1) return Status::ok();
    ++rows;
    const std::string where = doc.name + " line " + std::to_string(line) + ": ";
    if (f.size() != header.size())
      return Status::invalidArgument(where + std::to_string(f.size()) + " fields where the header has " +
                                     std::to_string(header.size()));
    for (const std::string& c : e->required_values)
      if (f[index(c)].empty()) return Status::invalidArgument(where + "no value in column " + c);
    for (size_t i = 0; i < e->lookups.size(); ++i) {
      const Lookup& l = e->lookups[i];
      for (const std::string& c : l.columns) {
        const std::string& v = f[index(c)];
        if (!v.empty() && !known[i].count(v))
          return Status::invalidArgument(where + l.what + " " + v + " (" + c + ") is not in " + l.file + " (" +
                                         l.why + ")");
      }
    }
    return Status::ok();
  });
  if (!st) return st;
  if (records) *records = rows;
  return Status::ok();
}

std::vector<std::string> csvMappings(const std::vector<CsvEntity>& list, const Document& doc) {
  std::vector<std::string> header;
  std::ifstream in(doc.path, std::ios::binary);
  std::string first;
  if (in && std::getline(in, first)) header = internal::csvHeaderFields(first);
  const CsvEntity* e = entityFor(list, doc.path, &header);
  if (!e) return {};
  return {e->mapping};
}

// ---------------------------------------------------------------------------
// SQLite (M2's ERP).

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

// The tables and columns mappings/erp-sqlite/erp.ttl reads.
const std::vector<std::pair<std::string, std::vector<std::string>>>& m2Tables() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> t = {
      {"site", {"site_code", "name", "country", "gln"}},
      {"item",
       {"item_no", "description", "item_type", "uom", "gtin", "ndc", "shelf_life_days", "storage_min_c",
        "storage_max_c"}},
      {"bom_line", {"parent_item", "line_no", "component_item", "qty_per", "uom"}},
      {"supplier", {"supplier_no", "name", "country", "gln"}},
      {"customer", {"customer_no", "name", "country", "gln"}},
      {"approved_supplier", {"item_no", "supplier_no", "rank", "lead_time_days"}},
      {"prod_order",
       {"order_no", "item_no", "site_code", "planned_qty", "uom", "planned_start", "planned_end", "actual_start",
        "actual_end", "status", "lot_no"}},
      {"order_consumption", {"order_no", "line_no", "item_no", "lot_no", "qty", "uom"}},
      {"lot", {"item_no", "lot_no", "site_code", "manufactured", "expiry", "supplier_lot", "supplier_no", "status"}},
      {"stock_move",
       {"move_id", "move_type", "item_no", "lot_no", "qty", "uom", "posted", "order_no", "po_no", "shipment_no"}},
      {"purchase_order", {"po_no", "line_no", "supplier_no", "ordered", "item_no", "qty", "uom", "unit_price", "due"}},
      {"qc_result",
       {"sample_id", "item_no", "lot_no", "test", "lower_limit", "upper_limit", "unit", "result", "pass_fail",
        "status", "tested"}},
  };
  return t;
}

// A read-only connection, closed when it goes out of scope.
class SqliteDb {
 public:
  explicit SqliteDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      error_ = db_ ? sqlite3_errmsg(db_) : "cannot open";
      sqlite3_close(db_);
      db_ = nullptr;
    }
  }
  ~SqliteDb() { sqlite3_close(db_); }
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  bool ok() const { return db_ != nullptr; }
  const std::string& error() const { return error_; }

  // Runs `sql`, calling fn with each row's first column as text.
  Status each(const std::string& sql, const std::function<void(const char*)>& fn) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      return Status::invalidArgument(sqlite3_errmsg(db_));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* v = sqlite3_column_text(stmt, 0);
      fn(v ? reinterpret_cast<const char*>(v) : "");
    }
    Status st = rc == SQLITE_DONE ? Status::ok() : Status::invalidArgument(sqlite3_errmsg(db_));
    sqlite3_finalize(stmt);
    return st;
  }

 private:
  sqlite3* db_ = nullptr;
  std::string error_;
};

Match detectSqlite(const std::string& path, std::string_view head) {
  if (head.substr(0, kSqliteMagic.size()) != kSqliteMagic) return Match::kNo;
  SqliteDb db(path);
  if (!db.ok()) return Match::kNo;
  bool has = false;
  Status st = db.each("SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name = 'prod_order'",
                      [&](const char*) { has = true; });
  return st && has ? Match::kByContent : Match::kNo;
}

Status validateSqlite(const Document& doc, uint64_t* records) {
  SqliteDb db(doc.path);
  if (!db.ok()) return Status::invalidArgument(doc.name + ": not a readable SQLite database: " + db.error());
  uint64_t rows = 0;
  for (const auto& [table, columns] : m2Tables()) {
    std::set<std::string> have;
    if (Status st = db.each("SELECT name FROM pragma_table_info('" + table + "')",
                            [&](const char* c) { have.insert(c); });
        !st)
      return Status::invalidArgument(doc.name + ": table " + table + ": " + st.message());
    if (have.empty()) return Status::invalidArgument(doc.name + ": the database has no table " + table);
    std::vector<std::string> missing;
    for (const std::string& c : columns)
      if (!have.count(c)) missing.push_back(c);
    if (!missing.empty())
      return Status::invalidArgument(doc.name + ": table " + table + " has no column " + joinNames(missing));
    if (Status st = db.each("SELECT count(*) FROM \"" + table + "\"",
                            [&](const char* n) { rows += std::strtoull(n, nullptr, 10); });
        !st)
      return Status::invalidArgument(doc.name + ": table " + table + ": " + st.message());
  }
  // Rows the mapping would drop or misname: every lot, order and result names an item with a GTIN.
  std::string orphan;
  if (Status st = db.each(
          "SELECT 'lot ' || l.lot_no || ' (item ' || l.item_no || ')' FROM lot l LEFT JOIN item i ON "
          "i.item_no = l.item_no WHERE i.gtin IS NULL OR i.gtin = '' LIMIT 1",
          [&](const char* v) { orphan = v; });
      !st)
    return Status::invalidArgument(doc.name + ": " + st.message());
  if (!orphan.empty())
    return Status::invalidArgument(doc.name + ": table lot: " + orphan +
                                   " has no item with a GTIN (the lot's GS1 Digital Link IRI needs it)");
  if (records) *records = rows;
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Supplier certificates of analysis (JSON).

Match detectCoa(const std::string& path, std::string_view head) {
  if (fs::path(path).extension() != ".json") return Match::kNo;
  auto has = [&](std::string_view k) { return head.find(k) != std::string_view::npos; };
  if (has("\"supplier_gln\"") && has("\"supplier_lot\"") && has("\"tests\"")) return Match::kByContent;
  return Match::kNo;
}

Status validateCoa(const Document& doc, uint64_t* records) {
  auto text = internal::readAll(doc.path, doc.name);
  if (!text.isOk()) return text.status();
  auto parsed = rdf::internal::parseJson(text.value(), doc.name);
  if (!parsed.isOk()) return parsed.status();
  const rdf::internal::Json& j = parsed.value();
  if (!j.isObject()) return Status::invalidArgument(doc.name + ": a certificate is a JSON object");
  for (const char* key : {"supplier_gln", "material_gtin", "supplier_lot", "issued"}) {
    const rdf::internal::Json* v = j.find(key);
    if (!v || !v->isString() || v->str().empty())
      return Status::invalidArgument(doc.name + ": the certificate has no \"" + key + "\" (a non-empty string)");
  }
  const rdf::internal::Json* our = j.find("our_lot");
  if (our && !our->isNull() && !our->isString())
    return Status::invalidArgument(doc.name + ": \"our_lot\" is a string or null");
  const rdf::internal::Json* tests = j.find("tests");
  if (!tests || !tests->isArray())
    return Status::invalidArgument(doc.name + ": the certificate has no \"tests\" array");
  std::set<std::string> names;
  for (size_t i = 0; i < tests->arr().size(); ++i) {
    const rdf::internal::Json& t = tests->arr()[i];
    const std::string where = doc.name + ": tests[" + std::to_string(i) + "]: ";
    if (!t.isObject()) return Status::invalidArgument(where + "a test is a JSON object");
    const rdf::internal::Json* name = t.find("test");
    if (!name || !name->isString() || name->str().empty())
      return Status::invalidArgument(where + "no \"test\" name");
    if (!names.insert(name->str()).second)
      return Status::invalidArgument(where + "test \"" + name->str() + "\" appears twice");
    for (const char* key : {"result", "lower", "upper"}) {
      const rdf::internal::Json* v = t.find(key);
      if (v && !v->isNull() && !v->isNumber())
        return Status::invalidArgument(where + "\"" + key + "\" of test \"" + name->str() + "\" is not a number");
    }
  }
  if (records) *records = tests->arr().size();
  return Status::ok();
}

// A connector for a family of CSV entities: each file's entity (and so its
// mapping) by its name or header; `what` names the family in messages.
Connector csvFamilyConnector(const char* name, const char* summary, const std::vector<CsvEntity>& entities,
                             const char* what) {
  Connector c;
  c.name = name;
  c.summary = summary;
  const std::vector<CsvEntity>* list = &entities;  // function-local statics: live for the program
  c.detect = [list](const std::string& path, std::string_view head) { return detectCsv(*list, path, head); };
  c.validate = [list, what](const Document& doc, uint64_t* records) { return validateCsv(*list, what, doc, records); };
  c.mappings = [list](const Document& doc) { return csvMappings(*list, doc); };
  return c;
}

}  // namespace

Connector sapCsvConnector() {
  return csvFamilyConnector(
      "sap-csv", "SAP-style ERP extracts, one CSV per entity (materials.csv, batches.csv, process_orders.csv, ...)",
      sapEntities(), "SAP extract");
}

Connector erpSqliteConnector() {
  Connector c;
  c.name = "erp-sqlite";
  c.summary = "An ERP database in SQLite (item, lot, prod_order, ... tables), mapped with R2RML";
  c.detect = detectSqlite;
  c.validate = validateSqlite;
  c.mappings = [](const Document&) { return std::vector<std::string>{"erp-sqlite/erp.ttl"}; };
  return c;
}

Connector supplierCoaConnector() {
  Connector c;
  c.name = "supplier-coa";
  c.summary = "A supplier's certificate of analysis (JSON: supplier_gln, supplier_lot, tests[...])";
  c.detect = detectCoa;
  c.validate = validateCoa;
  c.mappings = [](const Document&) { return std::vector<std::string>{"supplier-coa/coa.ttl"}; };
  return c;
}

Connector qmsCsvConnector() {
  return csvFamilyConnector("qms-csv", "Quality records: deviations.csv, capa.csv, complaints.csv, recalls.csv",
                            qmsEntities(), "quality records");
}

Connector cmmsCsvConnector() {
  return csvFamilyConnector(
      "cmms-csv", "Maintenance work orders of a CMMS: work_orders.csv (corrective with failure and repair times, preventive)",
      cmmsEntities(), "maintenance work orders");
}

}  // namespace weft::connectors
