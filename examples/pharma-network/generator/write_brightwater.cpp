// SPDX-License-Identifier: Apache-2.0
// Writers for M2 "Brightwater Pharma": the ERP as an SQLite database in the schema of
// m2_schema.sql (the ERP connector's contract), MES B2MML V0401 XML like the Courbon
// samples (equipment, material lots, one ProductionPerformance per batch), and the
// tablet-press historian (TP-02 micro-stops).
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gen.h"

namespace pgen {

namespace {

// m2_schema.sql, embedded (kept identical to the file next to this source)
const char* kSchema =
#include "m2_schema.inc"
    ;

std::string num(double v) {
  if (v == static_cast<double>(static_cast<i64>(v))) return std::to_string(static_cast<i64>(v));
  std::string s = fmt(v, 3);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

class Db {
 public:
  explicit Db(const std::string& path) {
    std::filesystem::remove(path);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      std::fprintf(stderr, "weft_pharma_gen: cannot open %s\n", path.c_str());
      db_ = nullptr;
    }
  }
  ~Db() {
    if (db_) sqlite3_close(db_);
  }
  bool exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::fprintf(stderr, "weft_pharma_gen: sqlite: %s\n", err ? err : "?");
      sqlite3_free(err);
      return false;
    }
    return true;
  }
  // values: "" = NULL; prefix '#' = numeric literal
  i64 insert(const std::string& table, const std::vector<std::string>& vals) {
    std::string sql = "INSERT INTO " + table + " VALUES (";
    for (size_t i = 0; i < vals.size(); ++i) sql += (i ? ",?" : "?");
    sql += ")";
    sqlite3_stmt* st = nullptr;
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) {
      sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
      stmts_[sql] = st;
    } else {
      st = it->second;
    }
    for (size_t i = 0; i < vals.size(); ++i) {
      const std::string& v = vals[i];
      int k = static_cast<int>(i + 1);
      if (v.empty()) sqlite3_bind_null(st, k);
      else if (v[0] == '#') {
        std::string n = v.substr(1);
        if (n.find('.') != std::string::npos) sqlite3_bind_double(st, k, std::stod(n));
        else sqlite3_bind_int64(st, k, std::stoll(n));
      } else sqlite3_bind_text(st, k, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    if (sqlite3_step(st) != SQLITE_DONE) std::fprintf(stderr, "weft_pharma_gen: sqlite insert into %s failed: %s\n", table.c_str(), sqlite3_errmsg(db_));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return 1;
  }
  void finish() {
    for (auto& [k, st] : stmts_) sqlite3_finalize(st);
    stmts_.clear();
  }
  bool ok() const { return db_ != nullptr; }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> stmts_;
};

// bind markers: '#' + number (string::append avoids a GCC 12 -Wrestrict false positive)
std::string N(double v) {
  std::string s(1, '#');
  s.append(num(v));
  if (v == static_cast<double>(static_cast<i64>(v))) s.append(".0");
  return s;
}
std::string I(i64 v) {
  std::string s(1, '#');
  s.append(std::to_string(v));
  return s;
}

void erp(World& w, Out& out) {
  const std::string rel = "brightwater/erp/brightwater-erp.sqlite";
  std::filesystem::path p = std::filesystem::path(out.root()) / rel;
  std::filesystem::create_directories(p.parent_path());
  i64 rows = 0;
  {
    Db db(p.string());
    if (!db.ok()) return;
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;");
    db.exec(kSchema);
    db.exec("BEGIN");
    const Party& s2 = w.P(w.m2_site);
    rows += db.insert("site", {"IE01", s2.name, s2.country, s2.gln});
    for (const auto& id : w.m2_mats) {
      const Material& m = w.M(id);
      rows += db.insert("item", {m.id, m.desc, m.type, m.uom, m.gtin, m.ndc, I(m.shelf_days), N(m.tmin), N(m.tmax)});
    }
    struct B { const char* parent; std::vector<std::tuple<const char*, double, const char*>> c; };
    const B boms[] = {
        {"BW-41001", {{"BW-10001", 15.2, "KG"}, {"BW-10002", 38.0, "KG"}, {"BW-10003", 22.0, "KG"}}},
        {"BW-42001", {{"BW-41001", 76.0, "KG"}, {"BW-10004", 0.9, "KG"}}},
        {"BW-40001", {{"BW-42001", 300000, "EA"}, {"BW-10005", 3.2, "KG"}, {"BW-20001", 10100, "EA"}, {"BW-20003", 10150, "EA"}}},
        {"BW-50001", {{"BW-10001", 2.55, "KG"}, {"BW-10006", 140.0, "KG"}, {"BW-20002", 5080, "EA"}, {"BW-20003", 5100, "EA"}}},
    };
    for (const auto& b : boms) {
      int ln = 1;
      for (const auto& [c, q, u] : b.c) rows += db.insert("bom_line", {b.parent, I(ln++), c, N(q), u});
    }
    for (const auto& k : w.vendor_keys_m2) {
      const Party& v = w.P(k);
      rows += db.insert("supplier", {v.key, v.name, v.country, v.gln});
    }
    const Party& d1 = w.P(w.d1);
    rows += db.insert("customer", {"CUST-US-01", d1.name, d1.country, d1.gln});
    for (const auto& k : w.eu_customers) {
      const Party& c = w.P(k);
      rows += db.insert("customer", {c.key, c.name, c.country, c.gln});
    }
    for (const auto& id : w.m2_mats) {
      const Material& m = w.M(id);
      if (m.vendor_primary.empty()) continue;
      rows += db.insert("approved_supplier", {m.id, m.vendor_primary, "primary", I(m.lead_primary)});
      if (!m.vendor_backup.empty()) rows += db.insert("approved_supplier", {m.id, m.vendor_backup, "backup", I(m.lead_backup)});
    }
    for (const auto& b : w.batches) {
      if (b.org != "brightwater") continue;
      rows += db.insert("prod_order", {b.order, b.mat, "IE01", N(b.planned), b.uom, iso_date(b.pstart), iso_date(b.pend),
                                       iso_dt(b.start), iso_dt(b.end), b.status, b.id});
      int ln = 1;
      for (const auto& ph : b.phases)
        for (const auto& u : ph.consumed) {
          if (w.M(u.mat).type == "intermediate") continue;
          rows += db.insert("order_consumption", {b.order, I(ln++), u.mat, u.lot, N(u.qty), u.uom});
        }
    }
    for (const auto& ln : w.lot_order) {
      const Lot& l = w.lots.at(ln);
      if (l.org != "brightwater") continue;
      std::string st = l.status == "Rejected" ? "rejected" : (l.release >= ts(2026, 1, 1) ? "quarantine" : "released");
      rows += db.insert("lot", {l.mat, l.lot, "IE01", iso_date(l.made), iso_date(l.expiry), l.vendor_lot, l.vendor, st});
    }
    for (const auto& m : w.moves) {
      if (m.org != "brightwater") continue;
      bool ship = m.type == "shipment";
      rows += db.insert("stock_move", {m.id, m.type, m.mat, m.lot, N(m.qty), m.uom, iso_dt(m.posted), m.order,
                                       ship ? "" : m.po, ship ? m.deliv : ""});
    }
    std::vector<const PurchaseOrder*> v;
    for (const auto& po : w.pos)
      if (po.org == "brightwater") v.push_back(&po);
    std::stable_sort(v.begin(), v.end(), [](const PurchaseOrder* a, const PurchaseOrder* b) { return a->no < b->no; });
    for (const auto* po : v)
      rows += db.insert("purchase_order", {po->no, I(1), po->vendor, iso_date(po->ordered), po->mat, N(po->qty), po->uom,
                                           N(po->price), iso_date(po->due)});
    for (const auto& q : w.qc) {
      if (q.org != "brightwater") continue;
      rows += db.insert("qc_result", {q.sample, q.mat, q.lot, q.test, q.has_lower ? N(q.lower) : "", q.has_upper ? N(q.upper) : "",
                                      q.unit, N(q.result), q.valuation == "A" ? "pass" : "fail", q.status, iso_date(q.date)});
    }
    db.exec("COMMIT");
    db.finish();
  }
  // count the file in the stats (written directly by SQLite)
  std::error_code ec;
  auto sz = std::filesystem::file_size(p, ec);
  out.stats()->files++;
  out.stats()->records += rows;
  out.stats()->bytes += static_cast<i64>(sz);
  auto& pd = out.stats()->per_dir["brightwater/erp"];
  pd.first++;
  pd.second += rows;
}

// ---------- B2MML V0401 ----------
const char* kNs = "http://www.wbf.org/xml/B2MML-V0401";

std::string app(i64 t) {
  return "  <ApplicationArea>\n    <Sender>\n      <LogicalID>BW-MES-CORK</LogicalID>\n    </Sender>\n    <CreationDateTime>" +
         iso_dt_frac(t) + "</CreationDateTime>\n  </ApplicationArea>\n";
}
std::string val(const std::string& ind, const std::string& v, const std::string& dt, const std::string& uom) {
  return ind + "<Value>\n" + ind + "  <ValueString>" + xml_esc(v) + "</ValueString>\n" + ind + "  <DataType>" + dt +
         "</DataType>\n" + ind + "  <UnitOfMeasure>" + uom + "</UnitOfMeasure>\n" + ind + "</Value>\n";
}
std::string qtyx(const std::string& ind, double q, const std::string& uom) {
  return ind + "<Quantity>\n" + ind + "  <QuantityString>" + num(q) + "</QuantityString>\n" + ind +
         "  <DataType>decimal</DataType>\n" + ind + "  <UnitOfMeasure>" + uom + "</UnitOfMeasure>\n" + ind + "</Quantity>\n";
}

// The Enterprise-level Location (V0401's HierarchyScope) that names the organisation; the MES
// connector builds its https://data.{org}.example/ IRIs from it.
std::string enterprise_location(const std::string& ind) {
  return ind + "<Location>\n" + ind + "  <EquipmentID>BRIGHTWATER</EquipmentID>\n" + ind +
         "  <EquipmentElementLevel>Enterprise</EquipmentElementLevel>\n" + ind + "</Location>\n";
}

void mes(World& w, Out& out) {
  const std::string hdr = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  {
    std::string s = hdr + "<SyncEquipmentInformation xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"" + kNs +
                    "\">\n" + app(ts(2025, 1, 2, 7)) + "  <DataArea>\n    <Sync />\n    <EquipmentInformation>\n";
    struct E { const char* id; const char* desc; const char* level; const char* cap; const char* capu; };
    const E units[] = {{"DSP-1", "Dispensing booth", "WorkCell", "", ""},
                       {"GR-1", "High-shear granulator and fluid-bed dryer", "Unit", "15", "batch"},
                       {"TP-01", "Rotary tablet press 1", "Unit", "1800000", "tablet"},
                       {"TP-02", "Rotary tablet press 2", "Unit", "1800000", "tablet"},
                       {"CT-1", "Pan coater", "Unit", "12", "batch"},
                       {"PK-1", "Bottling line (count, cap, label, serialise)", "ProductionLine", "60000", "bottle"},
                       {"LQ-1", "Oral liquid compounding and filling line", "ProductionLine", "10000", "bottle"}};
    s += "      <Equipment>\n        <ID>BRIGHTWATER</ID>\n        <Description>Brightwater Pharma Ltd.</Description>\n"
         "        <EquipmentLevel>Enterprise</EquipmentLevel>\n"
         "        <Equipment>\n          <ID>S2</ID>\n          <Description>Cork site</Description>\n"
         "          <EquipmentLevel>Site</EquipmentLevel>\n"
         "          <EquipmentProperty>\n            <ID>GLN</ID>\n" +
         val("            ", w.P(w.m2_site).gln, "string", "") + "          </EquipmentProperty>\n";
    for (const char* area : {"OSD", "LIQ"}) {
      s += std::string("          <Equipment>\n            <ID>") + area + "</ID>\n            <Description>" +
           (area[0] == 'O' ? "Oral solid dose" : "Oral liquids") + "</Description>\n            <EquipmentLevel>Area</EquipmentLevel>\n";
      for (const auto& u : units) {
        bool liq = std::string(u.id) == "LQ-1";
        if (liq != (area[0] == 'L')) continue;
        s += std::string("            <Equipment>\n              <ID>") + u.id + "</ID>\n              <Description>" + u.desc +
             "</Description>\n              <EquipmentLevel>" + u.level + "</EquipmentLevel>\n";
        if (u.cap[0])
          s += "              <EquipmentProperty>\n                <ID>CapacityPerWeek</ID>\n" +
               val("                ", u.cap, "decimal", u.capu) + "              </EquipmentProperty>\n";
        s += "            </Equipment>\n";
      }
      s += "          </Equipment>\n";
    }
    s += "        </Equipment>\n      </Equipment>\n    </EquipmentInformation>\n  </DataArea>\n</SyncEquipmentInformation>\n";
    out.write("brightwater/mes/equipment.xml", s, 10);
  }
  {
    std::string s = hdr + "<SyncMaterialInformation releaseID=\"\" xmlns=\"" + kNs +
                    "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n" + app(ts(2025, 12, 31, 22)) +
                    "  <DataArea>\n    <Sync />\n";
    i64 n = 0;
    for (const auto& id : w.m2_mats) {
      const Material& m = w.M(id);
      s += "    <MaterialInformation>\n      <ID>" + m.id + "</ID>\n" + enterprise_location("      ");
      s += "      <MaterialDefinition>\n        <ID>" + m.id + "</ID>\n        <Description>" + xml_esc(m.desc) +
           "</Description>\n        <MaterialDefinitionProperty>\n          <ID>GTIN</ID>\n" + val("          ", m.gtin, "string", "") +
           "        </MaterialDefinitionProperty>\n      </MaterialDefinition>\n";
      for (const auto& ln : w.lot_order) {
        const Lot& l = w.lots.at(ln);
        if (l.mat != id) continue;
        std::string st = l.status == "Rejected" ? "Rejected" : (l.release >= ts(2026, 1, 1) ? "Quarantine" : "Valid");
        s += "      <MaterialLot>\n        <ID>" + xml_esc(l.lot) + "</ID>\n        <Status>" + st + "</Status>\n";
        s += "        <MaterialLotProperty>\n          <ID>ExpiryDate</ID>\n" +
             val("          ", iso_date(l.expiry) + "T00:00:00.0Z", "DateTime", "") + "        </MaterialLotProperty>\n";
        s += "        <MaterialLotProperty>\n          <ID>GTIN</ID>\n" + val("          ", m.gtin, "string", "") +
             "        </MaterialLotProperty>\n";
        if (l.purchased)
          s += "        <MaterialLotProperty>\n          <ID>SupplierLot</ID>\n" + val("          ", l.vendor_lot, "string", "") +
               "        </MaterialLotProperty>\n";
        s += qtyx("        ", l.qty, l.uom);
        s += "      </MaterialLot>\n";
        ++n;
      }
      s += "    </MaterialInformation>\n";
    }
    s += "  </DataArea>\n</SyncMaterialInformation>\n";
    out.write("brightwater/mes/lots-2025.xml", s, n);
  }
  for (const auto& b : w.batches) {
    if (b.org != "brightwater") continue;
    std::string s = hdr + "<SyncProductionPerformance xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                          "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"" + kNs + "\">\n" + app(b.end + 1800) +
                    "  <DataArea>\n    <Sync />\n    <ProductionPerformance>\n      <ID>PP-" + b.id + "</ID>\n" +
                    "      <ProductionResponse>\n        <ID>" + b.id + "</ID>\n" + enterprise_location("        ") +
                    "        <ProductionRequestID>" + b.order +
                    "</ProductionRequestID>\n        <StartTime>" + iso_dt(b.start) + "</StartTime>\n        <EndTime>" +
                    iso_dt(b.end) + "</EndTime>\n        <ProductionResponseState>Completed</ProductionResponseState>\n";
    i64 n = 1;
    for (size_t i = 0; i < b.phases.size(); ++i) {
      const Phase& ph = b.phases[i];
      const std::string ind = "          ";
      s += "        <SegmentResponse>\n" + ind + "<ID>" + ph.name + "</ID>\n" + ind + "<Description>" + b.id + " " + ph.name +
           "</Description>\n" + ind + "<ProductSegmentID>" + ph.name + "</ProductSegmentID>\n" + ind + "<ActualStartTime>" +
           iso_dt(ph.start) + "</ActualStartTime>\n" + ind + "<ActualEndTime>" + iso_dt(ph.end) + "</ActualEndTime>\n";
      s += ind + "<EquipmentActual>\n" + ind + "  <EquipmentID>" + ph.equip + "</EquipmentID>\n" + ind + "</EquipmentActual>\n";
      auto ma = [&](const Use& u, const char* use) {
        s += ind + "<MaterialActual>\n" + ind + "  <MaterialDefinitionID>" + u.mat + "</MaterialDefinitionID>\n" + ind +
             "  <MaterialLotID>" + xml_esc(u.lot) + "</MaterialLotID>\n" + ind + "  <MaterialUse>" + use + "</MaterialUse>\n" +
             qtyx(ind + "  ", u.qty, u.uom) + ind + "  <MaterialActualProperty>\n" + ind + "    <ID>GTIN</ID>\n" +
             val(ind + "    ", w.M(u.mat).gtin, "string", "") + ind + "  </MaterialActualProperty>\n" + ind + "</MaterialActual>\n";
      };
      for (const auto& u : ph.consumed) ma(u, "Consumed");
      for (const auto& u : ph.produced) ma(u, "Produced");
      for (const auto& d : ph.data)
        s += ind + "<SegmentData>\n" + ind + "  <ID>" + d[0] + "</ID>\n" + val(ind + "  ", d[1], d[2], d[3]) + ind + "</SegmentData>\n";
      s += "        </SegmentResponse>\n";
      ++n;
    }
    s += "      </ProductionResponse>\n    </ProductionPerformance>\n  </DataArea>\n</SyncProductionPerformance>\n";
    out.write("brightwater/mes/performance/" + b.id + ".xml", s, n);
  }
}

void historian(World& w, Out& out) {
  Rng r(w.cfg.seed ^ 0xB1C0FFEEULL);
  std::vector<Tag> tags;
  for (const char* tp : {"TP-01", "TP-02"}) {
    std::string t = tp;
    tags.push_back({t + ".STATE", "Machine state (1 running, 2 idle, 3 stopped/fault)", t, "machine state", "1", "", 0, "", "", ""});
    tags.push_back({t + ".SPEED.PV", "Turret output rate", t, "production rate", "/min", "", 60, "0", "6000", ""});
    tags.push_back({t + ".REJECTS.CNT", "Cumulative rejected tablets", t, "reject count", "1", "", 300, "", "", ""});
    tags.push_back({t + ".EM-01.kWh", "Energy meter, cumulative", t, "energy", "kW.h", "KWH", 900, "", "", ""});
  }
  write_tags(out, "brightwater/historian/tags.csv", tags);
  std::vector<Sample> samples;
  Compressor cp{{}, &samples};
  for (int press = 1; press <= 2; ++press) {
    std::string e = press == 1 ? "TP-01" : "TP-02";
    // running intervals = COMPRESSION phases on this press
    std::vector<std::pair<i64, i64>> runs;
    for (const auto& b : w.batches)
      if (b.org == "brightwater" && b.equip == e)
        for (const auto& ph : b.phases)
          if (ph.name == "COMPRESSION") runs.push_back({ph.start, ph.end});
    double rejects = 0, kwh = 120000 + press * 5000;
    int state = 2;
    for (i64 t = w.tp_from; t < w.tp_to; t += 60) {
      bool running = false;
      for (const auto& [a, b] : runs)
        if (t >= a && t < b) running = true;
      bool stopped = false;
      if (running && press == 2)
        for (const auto& s : w.tp02_stops)
          if (t >= s.start && t < s.start + s.minutes * 60) stopped = true;
      int ns = running ? (stopped ? 3 : 1) : 2;
      if (ns != state || t == w.tp_from) {
        state = ns;
        samples.push_back({e + ".STATE", t, static_cast<double>(ns), 0, "Good"});
      }
      double speed = ns == 1 ? 5000 + r.gauss() * 40 : 0;
      cp.add(e + ".SPEED.PV", t, speed, 0, 150, 15 * 60);
      if (ns == 1) rejects += 1.2 + r.unit() * (press == 2 ? 3.0 : 1.5);
      if (ns == 1) kwh += 0.75;
      else kwh += 0.05;
      if (t % 300 == 0) cp.add(e + ".REJECTS.CNT", t, rejects, 0, 1, 5 * 60);
      if (t % 900 == 0) cp.add(e + ".EM-01.kWh", t, kwh, 1, 0.01, 900);
    }
  }
  write_series(out, "brightwater/historian", samples);
}

}  // namespace

void write_brightwater(World& w, Out& out) {
  int f0 = out.stats()->files;
  i64 r0 = out.stats()->records;
  erp(w, out);
  mes(w, out);
  historian(w, out);
  std::printf("brightwater (M2 Brightwater Pharma): %d files, %lld records\n", out.stats()->files - f0,
              static_cast<long long>(out.stats()->records - r0));
}

}  // namespace pgen
