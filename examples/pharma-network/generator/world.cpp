// SPDX-License-Identifier: Apache-2.0
// The simulation behind weft_pharma_gen: builds the parties, materials, batches,
// purchase orders, lots, goods movements, quality records, shipments and the planted
// storyline events of the 2025 pharma network (DOMAIN.md 5.3). Writers only serialise.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "gen.h"

namespace pgen {

namespace {

constexpr const char* kM1Prefix = "030001";
constexpr const char* kM2Prefix = "030002";
constexpr const char* kD1Prefix = "039999";
constexpr const char* kDispPrefix = "0614141";

i64 Y0() { return ts(2025, 1, 1); }
i64 Y1() { return ts(2026, 1, 1); }
i64 day0(i64 t) { return t - ((t % kDay) + kDay) % kDay; }

Party& add_party(World& w, const std::string& key, const std::string& name, const std::string& street,
                 const std::string& city, const std::string& region, const std::string& country,
                 const std::string& postal, const std::string& prefix, const std::string& locref,
                 const std::string& role, const std::string& licence = "") {
  Party p;
  p.key = key;
  p.name = name;
  p.street = street;
  p.city = city;
  p.region = region;
  p.country = country;
  p.postal = postal;
  p.prefix = prefix;
  p.locref = locref;
  p.gln = gln13(prefix, locref);
  p.role = role;
  p.licence = licence;
  return w.parties[key] = p;
}

void build_parties(World& w, Rng& r) {
  w.m1 = "M1";
  add_party(w, "M1", "Aurelian Biologics Inc.", "400 Biotech Parkway", "Holly Springs", "NC", "US", "27540",
            kM1Prefix, "000001", "manufacturer");
  w.m1_site = "S1";
  add_party(w, "S1", "Aurelian Biologics Holly Springs Plant", "400 Biotech Parkway", "Holly Springs", "NC", "US",
            "27540", kM1Prefix, "000010", "site");
  w.m1_wh = "S1WH";
  add_party(w, "S1WH", "Aurelian Biologics Holly Springs Finished Goods Warehouse", "410 Biotech Parkway",
            "Holly Springs", "NC", "US", "27540", kM1Prefix, "000011", "site");
  w.m2 = "M2";
  add_party(w, "M2", "Brightwater Pharma Ltd.", "Ringaskiddy Road", "Cork", "CO", "IE", "P43 X234", kM2Prefix,
            "000001", "manufacturer");
  w.m2_site = "S2";
  add_party(w, "S2", "Brightwater Pharma Cork Site", "Ringaskiddy Road", "Cork", "CO", "IE", "P43 X234",
            kM2Prefix, "000010", "site");
  w.d1 = "D1";
  add_party(w, "D1", "Meridian Health Logistics LLC", "1200 Commerce Crossings Dr", "Louisville", "KY", "US",
            "40229", kD1Prefix, "000001", "distributor", "KY-WDD-004417");
  w.d1_dc = "D1DC";
  add_party(w, "D1DC", "Meridian Health Logistics Louisville DC", "1250 Commerce Crossings Dr", "Louisville",
            "KY", "US", "40229", kD1Prefix, "000010", "site", "KY-WDD-004417");

  // vendors: key = LIFNR (M1) or supplier_no (M2)
  struct V { const char* key; const char* name; const char* street; const char* city; const char* region;
             const char* country; const char* postal; const char* prefix; };
  const V m1v[] = {
      {"0000100001", "Cellvanta Media GmbH", "Industriestrasse 12", "Darmstadt", "HE", "DE", "64293", "4012345"},
      {"0000100002", "NorthBay Bioprocess Inc.", "88 Harbor Way", "Oceanside", "CA", "US", "92054", "0851234"},
      {"0000100003", "Resintek AB", "Kungsgatan 5", "Uppsala", "C", "SE", "75321", "7312345"},
      {"0000100004", "Glasswell Pharma Packaging Inc.", "7 Furnace Rd", "Vineland", "NJ", "US", "08360",
       "0761234"},
      {"0000100007", "Excipia B.V.", "Havenweg 20", "Zwolle", "OV", "NL", "8011", "8712345"},
      {"0000100008", "Carolina Carton Co.", "55 Mill St", "Greensboro", "NC", "US", "27401", "0712345"},
  };
  for (const auto& v : m1v) {
    add_party(w, v.key, v.name, v.street, v.city, v.region, v.country, v.postal, v.prefix, "00001", "vendor",
              std::string("SUPQ-") + v.key + "");
    w.vendor_keys_m1.push_back(v.key);
  }
  const V m2v[] = {
      {"SUP-005", "Sundara Fine Chemicals Pvt. Ltd.", "Plot 14, MIDC", "Hyderabad", "TS", "IN", "500078", "8901234"},
      {"SUP-006", "Lombardi Chimica S.p.A.", "Via Milano 40", "Bergamo", "BG", "IT", "24121", "8012345"},
      {"SUP-007", "Excipia B.V.", "Havenweg 20", "Zwolle", "OV", "NL", "8011", "8712345"},
      {"SUP-009", "Corkpak Packaging Ltd.", "Little Island Ind. Est.", "Cork", "CO", "IE", "T45 KX20", "5391234"},
  };
  for (const auto& v : m2v) {
    // Excipia appears in both ERPs: same GLN (the graph joins the two vendor records)
    add_party(w, v.key, v.name, v.street, v.city, v.region, v.country, v.postal, v.prefix, "00001", "vendor");
    w.vendor_keys_m2.push_back(v.key);
  }
  add_party(w, "CUST-EU-01", "Eurofarm Distribution GmbH", "Lagerstrasse 3", "Hamburg", "HH", "DE", "20457",
            "4098765", "00001", "wholesaler");
  add_party(w, "CUST-EU-02", "PharmaNord B.V.", "Distributieweg 9", "Tilburg", "NB", "NL", "5015", "8798765",
            "00001", "wholesaler");
  w.eu_customers = {"CUST-EU-01", "CUST-EU-02"};

  // 40 dispensers
  const char* names[] = {"St. Ansel", "Riverside", "Mercy Valley", "Oakridge", "Lakeshore", "Summit", "Harbor View",
                         "Pine Hill", "Fairmont", "Cedar Point", "Bluegrass", "Westbrook", "Northgate", "Elm Street",
                         "Granite", "Maple Grove", "Sunrise", "Kingsway", "Brookside", "Highland"};
  const char* cities[][3] = {{"Louisville", "KY", "40202"}, {"Lexington", "KY", "40507"},
                             {"Nashville", "TN", "37203"},  {"Cincinnati", "OH", "45202"},
                             {"Columbus", "OH", "43215"},   {"Indianapolis", "IN", "46204"},
                             {"Charlotte", "NC", "28202"},  {"Raleigh", "NC", "27601"},
                             {"Atlanta", "GA", "30303"},    {"Richmond", "VA", "23219"},
                             {"Pittsburgh", "PA", "15222"}, {"Chicago", "IL", "60602"},
                             {"St. Louis", "MO", "63101"},  {"Memphis", "TN", "38103"}};
  for (int i = 0; i < 40; ++i) {
    bool hospital = i % 3 != 2;
    std::string name = std::string(names[i % 20]) + (hospital ? (i < 20 ? " Hospital Pharmacy" : " Medical Center Pharmacy")
                                                              : (i < 20 ? " Community Pharmacy" : " Specialty Pharmacy"));
    const auto& c = cities[(i * 5 + 3) % 14];
    std::string key = "00002" + pad(10001 + i, 5);
    std::string street = std::to_string(100 + r.range(1, 89) * 10) + (i % 2 ? " Main St" : " Medical Plaza");
    add_party(w, key, name, street, c[0], c[1], "US", c[2], kDispPrefix, pad(10001 + i, 5), "dispenser",
              std::string(c[1]) + "-PH-" + pad(20000 + r.range(0, 9999), 5));
    w.dispensers.push_back(key);
  }
}

Material& add_mat(World& w, const std::string& org, const std::string& id, const std::string& desc,
                  const std::string& type, const std::string& uom, const std::string& prefix,
                  const std::string& itemref, const std::string& storage, double tmin, double tmax, int shelf) {
  Material m;
  m.org = org;
  m.id = id;
  m.desc = desc;
  m.type = type;
  m.uom = uom;
  m.prefix = prefix;
  m.itemref = itemref;
  m.gtin = gtin14("0", prefix, itemref);
  m.storage = storage;
  m.tmin = tmin;
  m.tmax = tmax;
  m.shelf_days = shelf;
  if (org == "aurelian") w.m1_mats.push_back(id); else w.m2_mats.push_back(id);
  return w.mats[id] = m;
}

std::string matnr(const std::string& six) { return pad_str(six, 18); }

void build_materials(World& w) {
  // ---- M1 (MATNR 18 digits) ----
  auto& p1 = add_mat(w, "aurelian", matnr("100101"), "AUR-101 mAb drug substance (frozen bag)", "HALB", "KG",
                     kM1Prefix, "100101", "-40C", -80, -40, 1095);
  p1.short_name = "P1";
  auto& p2 = add_mat(w, "aurelian", matnr("200101"), "Aurelimab 100mg/10mL vial", "FERT", "EA", kM1Prefix,
                     "200101", "2-8C", 2, 8, 730);
  p2.short_name = "P2";
  p2.ndc = "0001-2001-01";
  p2.case_gtin = gtin14("1", kM1Prefix, "200101");
  p2.case_qty = 50;
  p2.pallet_cases = 40;
  p2.strength_mg = 100;
  auto& p3 = add_mat(w, "aurelian", matnr("200201"), "Aurelimab 400mg/20mL vial", "FERT", "EA", kM1Prefix,
                     "200201", "2-8C", 2, 8, 730);
  p3.short_name = "P3";
  p3.ndc = "0001-2002-01";
  p3.case_gtin = gtin14("1", kM1Prefix, "200201");
  p3.case_qty = 25;
  p3.pallet_cases = 40;
  p3.strength_mg = 400;
  struct R { const char* six; const char* desc; const char* type; const char* uom; const char* vendor;
             const char* backup; const char* item; const char* storage; double tmin, tmax; int shelf;
             int lead, lead_b; double price; };
  const R raws[] = {
      {"500001", "CDM-4 chemically defined cell culture medium, powder", "ROH", "KG", "0000100001", "0000100002",
       "50001", "2-8C", 2, 8, 540, 28, 10, 310.0},
      {"500021", "MabCapture Protein A resin", "ROH", "L", "0000100003", "", "50021", "2-8C", 2, 8, 1095, 56, 0,
       9800.0},
      {"500022", "2000 L single-use bioreactor bag assembly", "ROH", "EA", "0000100003", "", "50022", "15-30C", 15,
       30, 1095, 42, 0, 14500.0},
      {"500031", "10R Type I glass vial, RTU", "VERP", "EA", "0000100004", "", "50031", "15-30C", 15, 30, 1825,
       35, 0, 0.42},
      {"500032", "20R Type I glass vial, RTU", "VERP", "EA", "0000100004", "", "50032", "15-30C", 15, 30, 1825,
       35, 0, 0.55},
      {"500033", "20 mm fluoropolymer-coated stopper, RTU", "VERP", "EA", "0000100004", "", "50033", "15-30C", 15,
       30, 1095, 35, 0, 0.18},
      {"500034", "20 mm flip-off aluminium seal", "VERP", "EA", "0000100004", "", "50034", "15-30C", 15, 30, 1825,
       35, 0, 0.05},
      {"500041", "Polysorbate 80, multicompendial", "ROH", "KG", "0000100007", "", "50041", "15-25C", 15, 25, 730,
       21, 0, 96.0},
      {"500042", "L-Histidine / histidine HCl buffer salts", "ROH", "KG", "0000100007", "", "50042", "15-25C", 15,
       25, 1095, 21, 0, 140.0},
      {"500051", "Folding carton Aurelimab 100 mg", "VERP", "EA", "0000100008", "", "50051", "15-30C", 15, 30,
       1825, 14, 0, 0.08},
      {"500052", "Folding carton Aurelimab 400 mg", "VERP", "EA", "0000100008", "", "50052", "15-30C", 15, 30,
       1825, 14, 0, 0.09},
  };
  for (const auto& x : raws) {
    auto& m = add_mat(w, "aurelian", matnr(x.six), x.desc, x.type, x.uom, w.P(x.vendor).prefix, x.item, x.storage,
                      x.tmin, x.tmax, x.shelf);
    m.vendor_primary = x.vendor;
    m.vendor_backup = x.backup;
    m.lead_primary = x.lead;
    m.lead_backup = x.lead_b;
    m.price = x.price;
  }
  w.mats[matnr("100101")].price = 0;

  // ---- M2 (item_no) ----
  auto& p4 = add_mat(w, "brightwater", "BW-40001", "Brimetrol 50 mg film-coated tablets, bottle of 30", "finished",
                     "EA", kM2Prefix, "300101", "20-25C", 20, 25, 1095);
  p4.short_name = "P4";
  p4.ndc = "0002-3001-01";
  p4.case_gtin = gtin14("1", kM2Prefix, "300101");
  p4.case_qty = 48;
  p4.pallet_cases = 60;
  p4.strength_mg = 50;
  auto& p5 = add_mat(w, "brightwater", "BW-50001", "Brimetrol oral solution 5 mg/mL, 100 mL bottle", "finished",
                     "EA", kM2Prefix, "300201", "15-25C", 15, 25, 730);
  p5.short_name = "P5";
  p5.ndc = "0002-3002-01";
  p5.case_gtin = gtin14("1", kM2Prefix, "300201");
  p5.case_qty = 24;
  p5.pallet_cases = 50;
  p5.strength_mg = 500;
  add_mat(w, "brightwater", "BW-41001", "Brimetrol 50 mg granulate", "intermediate", "KG", kM2Prefix, "900101",
          "15-25C", 15, 25, 90);
  add_mat(w, "brightwater", "BW-42001", "Brimetrol 50 mg core tablets (uncoated)", "intermediate", "EA", kM2Prefix,
          "900201", "15-25C", 15, 25, 180);
  const R m2raws[] = {
      {"BW-10001", "Brimetrol hydrochloride API", "raw", "KG", "SUP-005", "SUP-006", "10001", "15-25C", 15, 25, 1095,
       56, 35, 1850.0},
      {"BW-10002", "Lactose monohydrate", "raw", "KG", "SUP-007", "", "10002", "15-25C", 15, 25, 1095, 21, 0, 4.1},
      {"BW-10003", "Microcrystalline cellulose PH-102", "raw", "KG", "SUP-007", "", "10003", "15-25C", 15, 25, 1095,
       21, 0, 6.3},
      {"BW-10004", "Magnesium stearate", "raw", "KG", "SUP-007", "", "10004", "15-25C", 15, 25, 1095, 21, 0, 12.5},
      {"BW-10005", "Film coating system, white", "raw", "KG", "SUP-007", "", "10005", "15-25C", 15, 25, 730, 21, 0,
       38.0},
      {"BW-10006", "Sorbitol solution 70%", "raw", "KG", "SUP-007", "", "10006", "15-25C", 15, 25, 730, 21, 0, 1.9},
      {"BW-20001", "HDPE bottle 60 cc with CRC cap", "packaging", "EA", "SUP-009", "", "20001", "15-30C", 15, 30,
       1825, 14, 0, 0.11},
      {"BW-20002", "Amber PET bottle 100 mL with cap", "packaging", "EA", "SUP-009", "", "20002", "15-30C", 15, 30,
       1825, 14, 0, 0.16},
      {"BW-20003", "Bottle label, serialised", "packaging", "EA", "SUP-009", "", "20003", "15-30C", 15, 30, 1825,
       14, 0, 0.02},
  };
  for (const auto& x : m2raws) {
    auto& m = add_mat(w, "brightwater", x.six, x.desc, x.type, x.uom, w.P(x.vendor).prefix, x.item, x.storage,
                      x.tmin, x.tmax, x.shelf);
    m.vendor_primary = x.vendor;
    m.vendor_backup = x.backup;
    m.lead_primary = x.lead;
    m.lead_backup = x.lead_b;
    m.price = x.price;
  }
}

// ---------- lots and material allocation ----------
struct Need {
  i64 t;
  std::string mat;
  double qty;
  int batch;
  int phase;
};

Lot& new_lot(World& w, const std::string& org, const std::string& mat, const std::string& lotno, i64 made,
             double qty) {
  Lot l;
  l.org = org;
  l.mat = mat;
  l.lot = lotno;
  l.made = made;
  const Material& m = w.M(mat);
  l.expiry = day0(made) + static_cast<i64>(m.shelf_days) * kDay;
  l.qty = qty;
  l.remaining = qty;
  l.uom = m.uom;
  w.lot_order.push_back(lotno);
  return w.lots[lotno] = l;
}

double pack_round(const Material& m, double q) {
  double pack = m.uom == "EA" ? 1000 : (m.uom == "L" ? 10 : 25);
  if (m.id == matnr("500022")) pack = 1;
  if (m.id == "BW-10001") pack = 50;
  double n = static_cast<double>(static_cast<i64>(q / pack));
  if (n * pack < q) n += 1;
  if (n < 1) n = 1;
  return n * pack;
}

struct Counters {
  int m1_po = 0, m2_po = 0, m1_rlot = 0, m2_rlot = 0, m1_mblnr = 0, m2_move = 0, coa = 0, qc_m1 = 0, qc_m2 = 0;
};

std::string vendor_lot(Rng& r, const World& w, const std::string& vendor, i64 t, bool alt_site) {
  const std::string& name = w.P(vendor).name;
  std::string code;
  for (char c : name)
    if (c >= 'A' && c <= 'Z' && code.size() < 2) code += c;
  if (alt_site) return code + "B" + yymmdd(t) + "-" + pad(r.range(1, 99), 2);
  return code + yymmdd(t) + "-" + pad(r.range(1, 99), 2);
}

// Plans purchase orders for one purchased material so that requirements are covered
// (projected stock >= safety), creating PO lines, received lots and goods receipts.
void plan_purchases(World& w, Rng& r, Counters& c, const std::string& mat, const std::vector<Need>& needs) {
  const Material& m = w.M(mat);
  const bool m1 = m.org == "aurelian";
  const i64 period = 28 * kDay;
  double total = 0;
  for (const auto& n : needs) total += n.qty;
  if (total <= 0) return;
  const double per_day = total / 365.0;
  const double safety = per_day * 25;
  auto req_between = [&](i64 a, i64 b) {
    double s = 0;
    for (const auto& n : needs)
      if (n.t >= a && n.t < b) s += n.qty;
    return s;
  };
  double projected = 0;  // stock at period start from earlier deliveries minus earlier needs
  double delivered = 0;
  const bool is_medium = mat == matnr("500001");
  for (i64 ps = ts(2024, 12, 16); ps < Y1(); ps += period) {
    i64 due = ps - 5 * kDay;
    double need = req_between(ps, ps + period);
    double consumed_before = req_between(ts(2024, 1, 1), ps);
    projected = delivered - consumed_before;
    double q = need + safety - projected;
    if (q <= 0) continue;
    q = pack_round(m, q);
    std::string vendor = m.vendor_primary;
    int lead = m.lead_primary;
    i64 received = due - r.range(0, 2) * kDay + r.range(8, 15) * kHour;
    bool delayed = false;
    if (is_medium && due >= w.v1_int_start - 3 * kDay && due < w.v1_int_end) {
      // ordered from V1 before the interruption was known: delivered only after it ends;
      // the backup vendor V2 covers the gap with an emergency order
      if (due - lead * kDay < w.v1_int_start) {
        delayed = true;
        received = w.v1_int_end + 2 * kDay + 10 * kHour;
      } else {
        vendor = m.vendor_backup;
        lead = m.lead_backup;
      }
    }
    if (ps == ts(2024, 12, 16)) received = ts(2024, 12, 12, 10);
    PurchaseOrder po;
    po.org = m.org;
    po.no = m1 ? std::to_string(4500000001LL + c.m1_po++) : "BWPO-25-" + pad(++c.m2_po, 4);
    po.vendor = vendor;
    po.mat = mat;
    po.ordered = day0(due) - static_cast<i64>(lead) * kDay;
    po.due = day0(due);
    po.qty = q;
    po.uom = m.uom;
    po.price = m.price;
    // split very large deliveries? one lot per PO keeps the trace simple
    std::string lotno = m1 ? "R25-" + pad(++c.m1_rlot, 5) : "RM25-" + pad(++c.m2_rlot, 4);
    bool alt_site = mat == matnr("500033") && received >= ts(2025, 5, 1);
    Lot& lot = new_lot(w, m.org, mat, lotno, received - r.range(20, 60) * kDay, q);
    lot.purchased = true;
    lot.vendor = vendor;
    lot.vendor_lot = vendor_lot(r, w, vendor, lot.made, alt_site);
    lot.po = po.no;
    lot.po_line = po.line;
    lot.release = day0(received) + r.range(2, 5) * kDay + 14 * kHour;
    lot.d1_received = received;  // reuse: receipt time at the plant
    po.received = received;
    po.lot = lotno;
    w.pos.push_back(po);
    delivered += q;
    if (is_medium && w.coa_lot.empty() && received >= ts(2025, 3, 25)) {
      // the CoA disagreement: an additional (safety-stock) delivery from V1 in April whose
      // in-house osmolality is out of spec; the lot is rejected and not counted as stock
      PurchaseOrder x = po;
      x.no = std::to_string(4500000001LL + c.m1_po++);
      x.ordered = po.ordered + 3 * kDay;
      x.due = po.due + 7 * kDay;
      x.vendor = m.vendor_primary;
      x.qty = pack_round(m, per_day * 14);
      x.received = x.due + 10 * kHour;
      x.lot = "R25-" + pad(++c.m1_rlot, 5);
      Lot& bad = new_lot(w, m.org, mat, x.lot, x.received - 25 * kDay, x.qty);
      bad.purchased = true;
      bad.vendor = x.vendor;
      bad.vendor_lot = vendor_lot(r, w, x.vendor, bad.made, false);
      bad.po = x.no;
      bad.po_line = 10;
      bad.d1_received = x.received;
      bad.release = day0(x.received) + 4 * kDay + 14 * kHour;  // date of the usage decision
      bad.status = "Rejected";
      w.coa_lot = x.lot;
      w.pos.push_back(x);
    }
    if (delayed) {
      // emergency order to the backup supplier on the day the interruption is announced
      const i64 eo = w.v1_int_start + kDay;
      PurchaseOrder e;
      e.org = m.org;
      e.no = std::to_string(4500000001LL + c.m1_po++);
      e.vendor = m.vendor_backup;
      e.mat = mat;
      e.ordered = day0(eo);
      e.due = day0(eo) + static_cast<i64>(m.lead_backup) * kDay;
      e.qty = pack_round(m, per_day * 42);
      e.uom = m.uom;
      e.price = m.price * 1.18;
      std::string l2 = "R25-" + pad(++c.m1_rlot, 5);
      Lot& bl = new_lot(w, m.org, mat, l2, e.due - 30 * kDay, e.qty);
      bl.purchased = true;
      bl.vendor = e.vendor;
      bl.vendor_lot = vendor_lot(r, w, e.vendor, bl.made, false);
      bl.po = e.no;
      bl.po_line = 10;
      e.received = e.due + 11 * kHour;
      bl.d1_received = e.received;
      bl.release = day0(e.received) + 2 * kDay + 14 * kHour;
      e.lot = l2;
      w.pos.push_back(e);
      delivered += e.qty;
    }
  }
}

// FIFO allocation of a requirement at time t from released lots of a material.
std::vector<Use> allocate(World& w, const std::string& mat, double qty, i64 t, int& shortfalls) {
  std::vector<Use> out;
  std::vector<Lot*> cands;
  for (const auto& ln : w.lot_order) {
    Lot& l = w.lots[ln];
    if (l.mat != mat || l.remaining <= 1e-9) continue;
    if (l.status == "Rejected" || l.status == "Blocked") continue;
    if (l.release > t) continue;
    cands.push_back(&l);
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Lot* a, const Lot* b) { return a->release < b->release; });
  double left = qty;
  for (Lot* l : cands) {
    if (left <= 1e-9) break;
    double take = std::min(left, l->remaining);
    // keep quantities tidy
    take = static_cast<double>(static_cast<i64>(take * 1000 + 0.5)) / 1000.0;
    if (take <= 0) continue;
    l->remaining -= take;
    left -= take;
    out.push_back({mat, l->lot, take, l->uom});
  }
  if (left > 1e-6) {
    ++shortfalls;
    if (std::getenv("PGEN_DEBUG")) std::fprintf(stderr, "short %s %.3f at %s\n", mat.c_str(), left, iso_dt(t).c_str());
    // not enough released stock: take from the earliest lot that will arrive (documented as a shortfall)
    for (const auto& ln : w.lot_order) {
      Lot& l = w.lots[ln];
      if (l.mat != mat || l.status == "Rejected" || l.remaining < left) continue;
      l.remaining -= left;
      out.push_back({mat, l.lot, static_cast<double>(static_cast<i64>(left * 1000 + 0.5)) / 1000.0, l.uom});
      left = 0;
      break;
    }
  }
  return out;
}

void add_move(World& w, Counters& c, const std::string& org, const std::string& type, const std::string& mat,
              const std::string& lot, double qty, i64 posted, const std::string& lgort, const std::string& order,
              const std::string& po, const std::string& deliv) {
  Move m;
  m.org = org;
  if (org == "aurelian") {
    m.id = std::to_string(4900000001LL + c.m1_mblnr++);
  } else {
    m.id = "MV25-" + pad(++c.m2_move, 6);
  }
  m.type = type;
  m.mat = mat;
  m.lot = lot;
  m.qty = qty;
  m.uom = w.M(mat).uom;
  m.posted = posted;
  m.lgort = lgort;
  m.order = order;
  m.po = po;
  m.deliv = deliv;
  w.moves.push_back(m);
}

double round_to(double v, double step) { return static_cast<double>(static_cast<i64>(v / step + 0.5)) * step; }

void qc(World& w, Counters& c, Rng& r, const std::string& org, const std::string& mat, const std::string& lot,
        i64 date, const std::string& test, const std::string& unit, double lo, double hi, double value, int dec,
        bool has_lo = true, bool has_hi = true, const std::string& sample = "") {
  QcResult q;
  q.org = org;
  q.mat = mat;
  q.lot = lot;
  q.test = test;
  q.unit = unit;
  q.lower = lo;
  q.upper = hi;
  q.has_lower = has_lo;
  q.has_upper = has_hi;
  q.result = round_to(value, dec == 0 ? 1.0 : (dec == 1 ? 0.1 : (dec == 2 ? 0.01 : 0.001)));
  q.date = date;
  bool ok = (!has_lo || q.result >= lo) && (!has_hi || q.result <= hi);
  q.valuation = ok ? "A" : "R";
  q.ud = ok ? "A" : "R";
  if (sample.empty()) {
    q.sample = org == "aurelian" ? std::to_string(890000000001LL + c.qc_m1) : "QC25-" + pad(c.qc_m2 + 1, 5);
  } else {
    q.sample = sample;
  }
  (void)r;
  w.qc.push_back(q);
}

// ---------- M1 production ----------
struct PhaseDef {
  const char* name;
  const char* equip;  // nullptr: the batch's own line
  double hours;
};

// Runs the phases one after another from t: each lasts its nominal hours plus
// a jitter of [jit_lo, jit_hi] minutes and is followed by a gap of
// [gap_lo, gap_hi] minutes; the batch starts and ends with them.
template <size_t N>
void schedulePhases(Batch& b, Rng& r, i64 t, const PhaseDef (&defs)[N], i64 jit_lo, i64 jit_hi, i64 gap_lo,
                    i64 gap_hi) {
  for (const auto& pd : defs) {
    Phase ph;
    ph.name = pd.name;
    ph.equip = pd.equip ? pd.equip : b.equip;
    ph.start = t;
    ph.end = t + static_cast<i64>(pd.hours * 3600) + r.range(jit_lo, jit_hi) * 60;
    t = ph.end + r.range(gap_lo, gap_hi) * 60;
    b.phases.push_back(ph);
  }
  b.start = b.phases.front().start;
  b.end = b.phases.back().end;
}

void build_m1(World& w, Rng& r, Counters& c) {
  const std::string P1 = matnr("100101"), P2 = matnr("200101"), P3 = matnr("200201");
  const std::string MED = matnr("500001"), RES = matnr("500021"), BAG = matnr("500022"), V10 = matnr("500031"),
                    V20 = matnr("500032"), STP = matnr("500033"), SEAL = matnr("500034"), PS80 = matnr("500041"),
                    HIS = matnr("500042"), C100 = matnr("500051"), C400 = matnr("500052");
  int aufnr = 0;
  // ---- P1 schedule: 48 weekly production cultures alternating BR-201 / BR-202 ----
  std::vector<Batch> p1;
  for (int k = 0; k < 48; ++k) {
    Batch b;
    b.org = "aurelian";
    b.index = k;
    b.id = "DS-2025-" + pad(k + 1, 3);
    b.order = pad(70000001 + aufnr++, 12);
    b.mat = P1;
    b.equip = (k % 2 == 0) ? "BR-201" : "BR-202";
    i64 prod_start = ts(2025, 1, 9, 8) + static_cast<i64>(k) * 7 * kDay + r.range(0, 240) * 60;
    b.pstart = day0(prod_start) - 7 * kDay;
    b.pend = day0(prod_start) + 17 * kDay;
    b.planned = 5.0;
    b.uom = "KG";
    i64 t = prod_start - 7 * kDay + r.range(0, 120) * 60;
    const PhaseDef defs[] = {{"SEED_TRAIN", "N1-101", 7 * 24 - 2},
                             {"PRODUCTION_CULTURE", nullptr, 13 * 24},
                             {"HARVEST", "CF-1", 10},
                             {"CAPTURE", "CHR-1", 14},
                             {"VIRAL_INACTIVATION", "VIN-1", 5},
                             {"POLISHING", "CHR-2", 16},
                             {"UFDF", "UF-1", 12},
                             {"DS_FILL_FREEZE", "FRZ-1", 8}};
    for (const auto& d : defs) {
      Phase ph;
      ph.name = d.name;
      ph.equip = d.equip ? d.equip : b.equip;
      if (ph.name == "PRODUCTION_CULTURE") t = prod_start;
      ph.start = t;
      i64 dur = static_cast<i64>(d.hours * 3600) + r.range(-30, 90) * 60;
      ph.end = t + dur;
      t = ph.end + r.range(30, 180) * 60;
      b.phases.push_back(ph);
    }
    b.start = b.phases.front().start;
    b.end = b.phases.back().end;
    p1.push_back(b);
  }
  // planted: DS-2025-017 (BR-201) temperature excursion; DS-2025-024 (BR-202) agitator drive failure, aborted
  w.excursion_batch = "DS-2025-017";
  w.br_fail_batch = "DS-2025-024";
  {
    Batch& fb = p1[23];
    Phase& pc = fb.phases[1];
    w.br_fail_start = pc.start + 6 * kDay + 5 * kHour + 17 * 60;
    w.br_fail_end = w.br_fail_start + 3 * kDay + 2 * kHour;
    pc.end = w.br_fail_start + 4 * kHour;  // culture terminated after the failure
    fb.phases.resize(2);
    fb.aborted = true;
    fb.end = pc.end;
  }
  // ---- P2/P3 vial lots: 60 + 30, density follows demand (Q4 +40 % for P2) ----
  std::vector<std::pair<i64, std::string>> vial_slots;
  {
    auto place = [&](int n, const std::string& mat, double spike) {
      // weight 1 until 2025-09-15, spike after; span 2025-02-17 .. 2025-12-12
      const i64 a = ts(2025, 2, 17), b = ts(2025, 12, 12), s = ts(2025, 9, 15);
      double wa = static_cast<double>(s - a), wb = static_cast<double>(b - s) * spike, tot = wa + wb;
      for (int i = 0; i < n; ++i) {
        double x = (i + 0.5) / n * tot;
        i64 t = x < wa ? a + static_cast<i64>(x) : s + static_cast<i64>((x - wa) / spike);
        vial_slots.push_back({day0(t), mat});
      }
    };
    place(60, P2, 1.4);
    place(30, P3, 1.0);
    std::stable_sort(vial_slots.begin(), vial_slots.end());
  }
  // FF-1 can fill one lot at a time: push overlapping slots back
  std::vector<Batch> vials;
  i64 ff_free = 0;
  int n2 = 0, n3 = 0;
  for (auto& [d, mat] : vial_slots) {
    Batch b;
    b.org = "aurelian";
    bool is2 = mat == P2;
    b.index = is2 ? n2 : n3;
    b.id = is2 ? "A100-25-" + pad(++n2, 3) : "A400-25-" + pad(++n3, 3);
    b.order = "";
    b.mat = mat;
    b.equip = "FF-1";
    b.planned = is2 ? 10000 : 5000;
    b.uom = "EA";
    i64 t = std::max(d + 6 * kHour + r.range(0, 120) * 60, ff_free);
    b.pstart = day0(t);
    b.pend = day0(t) + 4 * kDay;
    const PhaseDef defs[] = {{"THAW_POOL", "FRZ-1", 14},      {"FORMULATION", "FF-1", 5},
                             {"STERILE_FILTRATION", "FF-1", 3}, {"FILLING", "FF-1", is2 ? 14.0 : 10.0},
                             {"INSPECTION", "VI-1", 20},       {"PACKAGING", "PK-S1", 16}};
    schedulePhases(b, r, t, defs, -20, 60, 20, 90);
    ff_free = b.phases[3].end + 10 * kHour;  // FF-1 free after filling + changeover
    vials.push_back(b);
  }
  // orders numbered by start time across P1 and vials
  std::vector<Batch> all = p1;
  all.insert(all.end(), vials.begin(), vials.end());
  std::stable_sort(all.begin(), all.end(), [](const Batch& a, const Batch& b) { return a.pstart < b.pstart; });
  for (size_t i = 0; i < all.size(); ++i) all[i].order = pad(70000001 + static_cast<i64>(i), 12);

  // ---- requirements for purchased materials ----
  std::map<std::string, std::vector<Need>> needs;
  for (size_t bi = 0; bi < all.size(); ++bi) {
    Batch& b = all[bi];
    auto need = [&](int ph, const std::string& mat, double q) {
      needs[mat].push_back({b.phases[ph].start, mat, q, static_cast<int>(bi), ph});
    };
    if (b.mat == P1) {
      need(0, MED, 6 + r.range(0, 10) * 0.1);
      need(1, BAG, 1);
      need(1, MED, 40 + r.range(0, 20) * 0.1);
      if (b.phases.size() > 3) {
        need(3, RES, 0.6);
        need(6, HIS, 3.0);
        need(6, PS80, 0.2);
      }
    } else {
      bool is2 = b.mat == P2;
      double n = b.planned;
      need(1, HIS, is2 ? 0.5 : 0.4);
      need(1, PS80, 0.05);
      need(3, is2 ? V10 : V20, n * 1.03);
      need(3, STP, n * 1.03);
      need(3, SEAL, n * 1.03);
      need(5, is2 ? C100 : C400, n);
    }
  }
  // supplier interruption window (V1, Q3)
  w.v1_int_start = ts(2025, 7, 14);
  w.v1_int_end = ts(2025, 8, 25);
  for (const auto& id : w.m1_mats) {
    const Material& m = w.M(id);
    if (!m.vendor_primary.empty()) plan_purchases(w, r, c, id, needs[id]);
  }

  // ---- execute batches in time order: consume, produce ----
  int shortfalls = 0;
  std::vector<std::string> ds_lots;
  for (auto& b : all) {
    if (b.mat == P1) {
      for (size_t pi = 0; pi < b.phases.size(); ++pi) {
        Phase& ph = b.phases[pi];
        auto use = [&](const std::string& mat, double q) {
          auto u = allocate(w, mat, q, ph.start, shortfalls);
          ph.consumed.insert(ph.consumed.end(), u.begin(), u.end());
        };
        for (const auto& n : needs[MED])
          if (&all[n.batch] == &b && n.phase == static_cast<int>(pi)) use(MED, n.qty);
        if (pi == 1) use(BAG, 1);
        if (pi == 3) use(RES, 0.6);
        if (pi == 6) {
          use(HIS, 3.0);
          use(PS80, 0.2);
        }
        // key process parameters
        if (ph.name == "PRODUCTION_CULTURE") {
          ph.data.push_back({"TemperatureSetpoint", "36.5", "decimal", "Cel"});
          ph.data.push_back({"pHSetpoint", "7.00", "decimal", "[pH]"});
          ph.data.push_back({"DOSetpoint", "40", "decimal", "%"});
          ph.data.push_back({"WorkingVolume", "2000", "decimal", "L"});
        }
      }
      if (b.aborted) {
        b.qty = 0;
        b.status = "TECO";
        continue;
      }
      double titer = 3.0 + r.range(0, 100) * 0.01;  // g/L
      double yield = 0.66 + r.range(0, 80) * 0.001;
      double kg = round_to(2000 * titer * yield / 1000.0, 0.01);
      b.qty = kg;
      b.status = "TECO";
      b.phases[1].data.push_back({"FinalTiter", fmt(titer, 2), "decimal", "g/L"});
      b.phases[1].data.push_back({"PeakViableCellDensity", fmt(18 + r.range(0, 80) * 0.1, 1), "decimal", "10*6/mL"});
      b.phases[3].data.push_back({"StepYield", fmt(88 + r.range(0, 80) * 0.1, 1), "decimal", "%"});
      b.phases[4].data.push_back({"HoldTimeLowpH", fmt(60 + r.range(0, 30), 0), "decimal", "min"});
      b.phases[4].data.push_back({"pHLowpHHold", fmt(3.55 + r.range(0, 10) * 0.01, 2), "decimal", "[pH]"});
      Lot& l = new_lot(w, "aurelian", P1, b.id, b.end, kg);
      l.batch = b.id;
      l.release = day0(b.end) + static_cast<i64>(r.range(12, 18)) * kDay + 15 * kHour;
      l.status = "Released";
      b.phases.back().produced.push_back({P1, b.id, kg, "KG"});
      ds_lots.push_back(b.id);
    } else {
      bool is2 = b.mat == P2;
      double n = b.planned;
      for (size_t pi = 0; pi < b.phases.size(); ++pi) {
        Phase& ph = b.phases[pi];
        auto use = [&](const std::string& mat, double q) {
          auto u = allocate(w, mat, q, ph.start, shortfalls);
          ph.consumed.insert(ph.consumed.end(), u.begin(), u.end());
        };
        if (pi == 0) use(P1, is2 ? 1.1 : 2.2);
        if (pi == 1) {
          use(HIS, is2 ? 0.5 : 0.4);
          use(PS80, 0.05);
          ph.data.push_back({"TargetConcentration", is2 ? "10.0" : "20.0", "decimal", "mg/mL"});
        }
        if (pi == 2) ph.data.push_back({"FilterIntegrityBubblePoint", fmt(3.6 + r.range(0, 5) * 0.1, 1), "decimal", "bar"});
        if (pi == 3) {
          use(is2 ? V10 : V20, n * 1.03);
          use(STP, n * 1.03);
          use(SEAL, n * 1.03);
          ph.data.push_back({"FillVolumeMean", is2 ? fmt(10.32 + r.range(0, 8) * 0.01, 2) : fmt(20.45 + r.range(0, 8) * 0.01, 2), "decimal", "mL"});
        }
        if (pi == 4) ph.data.push_back({"VisualInspectionRejectRate", fmt(0.4 + r.range(0, 60) * 0.01, 2), "decimal", "%"});
        if (pi == 5) use(is2 ? C100 : C400, n);
      }
      double made = n - r.range(0, static_cast<i64>(n * 0.012));
      b.qty = made;
      b.status = "TECO";
      Lot& l = new_lot(w, "aurelian", b.mat, b.id, b.end, made);
      l.batch = b.id;
      l.release = day0(b.end) + static_cast<i64>(r.range(9, 14)) * kDay + 16 * kHour;
      b.phases.back().produced.push_back({b.mat, b.id, made, "EA"});
    }
  }
  if (shortfalls) std::fprintf(stderr, "weft_pharma_gen: note: %d M1 allocations short of released stock\n", shortfalls);
  for (auto& b : all) w.batches.push_back(b);
}

// ---------- M2 production ----------
void build_m2(World& w, Rng& r, Counters& c) {
  std::vector<Batch> bs;
  // P4: 150 batches, Mon/Wed/Fri; P5: 50 batches, Tuesdays
  i64 d = ts(2025, 1, 6);
  int n4 = 0;
  while (n4 < 150 && d < ts(2025, 12, 31)) {
    int wd = weekday(d);
    bool skip_week = (d >= ts(2025, 7, 28) && d < ts(2025, 8, 11));  // summer shutdown
    if ((wd == 0 || wd == 2 || wd == 4) && !skip_week) {
      Batch b;
      b.org = "brightwater";
      b.index = n4;
      b.id = "BT25-" + pad(++n4, 4);
      b.mat = "BW-40001";
      b.planned = 10000;
      b.uom = "EA";
      b.equip = (n4 % 2) ? "TP-01" : "TP-02";
      i64 t = d + 6 * kHour + r.range(0, 60) * 60;
      b.pstart = day0(t);
      b.pend = day0(t) + 3 * kDay;
      const PhaseDef defs[] = {{"DISPENSING", "DSP-1", 3}, {"GRANULATION", "GR-1", 7}, {"COMPRESSION", nullptr, 10},
                               {"COATING", "CT-1", 8},     {"BOTTLING", "PK-1", 9}};
      schedulePhases(b, r, t, defs, -15, 45, 30, 240);
      bs.push_back(b);
    }
    d += kDay;
  }
  int n5 = 0;
  for (i64 t0 = ts(2025, 1, 7); n5 < 50 && t0 < ts(2025, 12, 31); t0 += 7 * kDay) {
    Batch b;
    b.org = "brightwater";
    b.index = n5;
    b.id = "BS25-" + pad(++n5, 4);
    b.mat = "BW-50001";
    b.planned = 5000;
    b.uom = "EA";
    b.equip = "LQ-1";
    i64 t = t0 + 7 * kHour + r.range(0, 60) * 60;
    b.pstart = day0(t);
    b.pend = day0(t) + 2 * kDay;
    const PhaseDef defs[] = {{"DISPENSING", "DSP-1", 2}, {"COMPOUNDING", "LQ-1", 6}, {"FILLING", "LQ-1", 9}};
    schedulePhases(b, r, t, defs, -15, 45, 30, 120);
    bs.push_back(b);
  }
  std::stable_sort(bs.begin(), bs.end(), [](const Batch& a, const Batch& b) { return a.pstart < b.pstart; });
  for (size_t i = 0; i < bs.size(); ++i) bs[i].order = "PO-BW-25-" + pad(static_cast<i64>(i) + 1, 4);
  // requirements per batch (kg / EA)
  std::map<std::string, std::vector<Need>> needs;
  auto reqs4 = std::vector<std::pair<std::string, std::pair<int, double>>>{
      {"BW-10001", {0, 15.2}}, {"BW-10002", {0, 38.0}}, {"BW-10003", {0, 22.0}}, {"BW-10004", {2, 0.9}},
      {"BW-10005", {3, 3.2}},  {"BW-20001", {4, 10100}}, {"BW-20003", {4, 10150}}};
  auto reqs5 = std::vector<std::pair<std::string, std::pair<int, double>>>{
      {"BW-10001", {0, 2.55}}, {"BW-10006", {0, 140.0}}, {"BW-20002", {2, 5080}}, {"BW-20003", {2, 5100}}};
  for (size_t bi = 0; bi < bs.size(); ++bi) {
    const auto& rq = bs[bi].mat == "BW-40001" ? reqs4 : reqs5;
    for (const auto& [mat, pq] : rq)
      needs[mat].push_back({bs[bi].phases[pq.first].start, mat, pq.second, static_cast<int>(bi), pq.first});
  }
  for (const auto& id : w.m2_mats) {
    const Material& m = w.M(id);
    if (!m.vendor_primary.empty()) plan_purchases(w, r, c, id, needs[id]);
  }
  // one API delivery from the backup supplier (primary capacity allocation in May)
  for (auto& po : w.pos) {
    if (po.mat == "BW-10001" && po.due >= ts(2025, 5, 1)) {
      po.vendor = "SUP-006";
      po.ordered = po.due - static_cast<i64>(w.M("BW-10001").lead_backup) * kDay;
      Lot& l = w.lots[po.lot];
      l.vendor = "SUP-006";
      l.vendor_lot = vendor_lot(r, w, "SUP-006", l.made, false);
      break;
    }
  }
  int shortfalls = 0;
  for (auto& b : bs) {
    const auto& rq = b.mat == "BW-40001" ? reqs4 : reqs5;
    for (const auto& [mat, pq] : rq) {
      auto u = allocate(w, mat, pq.second, b.phases[pq.first].start, shortfalls);
      auto& v = b.phases[pq.first].consumed;
      v.insert(v.end(), u.begin(), u.end());
    }
    double made = b.planned - r.range(0, static_cast<i64>(b.planned * 0.01));
    b.qty = made;
    b.status = "closed";
    if (b.mat == "BW-40001") {
      // intermediates: granulate and core tablets as sub-lots of the batch
      std::string g = b.id + "-G", k = b.id + "-C";
      double gkg = round_to(76.0 + r.range(0, 20) * 0.1, 0.1);
      Lot& gl = new_lot(w, "brightwater", "BW-41001", g, b.phases[1].end, gkg);
      gl.batch = b.id;
      gl.release = b.phases[1].end;
      gl.remaining = 0;
      b.phases[1].produced.push_back({"BW-41001", g, gkg, "KG"});
      b.phases[2].consumed.push_back({"BW-41001", g, gkg, "KG"});
      double cores = 300000 + r.range(0, 3000);
      Lot& cl = new_lot(w, "brightwater", "BW-42001", k, b.phases[2].end, cores);
      cl.batch = b.id;
      cl.release = b.phases[2].end;
      cl.remaining = 0;
      b.phases[2].produced.push_back({"BW-42001", k, cores, "EA"});
      b.phases[3].consumed.push_back({"BW-42001", k, cores, "EA"});
      b.phases[4].consumed.push_back({"BW-42001", k, cores, "EA"});
      b.phases[2].data.push_back({"MainCompressionForce", fmt(11.5 + r.range(0, 20) * 0.1, 1), "decimal", "kN"});
      b.phases[2].data.push_back({"TabletHardnessMean", fmt(95 + r.range(0, 20), 0), "decimal", "N"});
      b.phases[4].produced.push_back({b.mat, b.id, made, "EA"});
    } else {
      b.phases[1].data.push_back({"pH", fmt(4.9 + r.range(0, 20) * 0.01, 2), "decimal", "[pH]"});
      b.phases[2].produced.push_back({b.mat, b.id, made, "EA"});
    }
    Lot& l = new_lot(w, "brightwater", b.mat, b.id, b.end, made);
    l.batch = b.id;
    l.release = day0(b.end) + static_cast<i64>(r.range(7, 10)) * kDay + 11 * kHour;
  }
  if (shortfalls) std::fprintf(stderr, "weft_pharma_gen: note: %d M2 allocations short of released stock\n", shortfalls);
  for (auto& b : bs) w.batches.push_back(b);
}

// ---------- quality ----------
void build_quality(World& w, Rng& r, Counters& c) {
  const std::string P1 = matnr("100101"), MED = matnr("500001");
  for (const auto& ln : w.lot_order) {
    Lot& l = w.lots[ln];
    const Material& m = w.M(l.mat);
    i64 td = l.release - kDay;
    if (l.org == "aurelian") {
      auto q = [&](const std::string& test, const std::string& unit, double lo, double hi, double v, int dec,
                   bool hl = true, bool hh = true) {
        // Noise stays inside the limits: the only out-of-specification results
        // are the planted ones (the CoA lot here, M2's below).
        if (l.lot != w.coa_lot) v = std::clamp(v, hl ? lo : v, hh ? hi : v);
        qc(w, c, r, "aurelian", l.mat, l.lot, td, test, unit, lo, hi, v, dec, hl, hh);
        w.qc.back().merknr = pad(static_cast<i64>(w.qc.size()) % 10 + 1, 4);
      };
      size_t first = w.qc.size();
      if (l.mat == P1) {
        q("Protein concentration", "g/L", 24, 28, 25.5 + r.gauss() * 0.6, 1);
        q("SEC monomer", "%", 97, 100, 99.1 + r.gauss() * 0.25, 1, true, false);
        q("Host cell protein", "ng/mg", 0, 100, 22 + r.range(0, 30), 0, false, true);
        q("Endotoxin", "EU/mg", 0, 0.5, 0.05 + r.range(0, 10) * 0.01, 2, false, true);
      } else if (l.purchased) {
        if (l.mat == MED) {
          bool bad = l.lot == w.coa_lot;
          q("Osmolality", "mosm/kg", 280, 320, bad ? 327 : 300 + r.gauss() * 5, 0);
          q("pH (reconstituted)", "[pH]", 7.0, 7.4, 7.2 + r.gauss() * 0.04, 2);
        } else if (m.type == "ROH") {
          q("Identity (FTIR)", "1", 1, 1, 1, 0);
          q("Assay", "%", 98, 102, 100 + r.gauss() * 0.5, 1);
        } else {
          q("Dimensional check (AQL 0.65)", "1", 0, 0, 0, 0);
        }
      } else if (!l.batch.empty()) {
        bool is2 = l.mat == matnr("200101");
        q("Potency (cell-based)", "%", 80, 125, 100 + r.gauss() * 6, 0);
        q("SEC monomer", "%", 95, 100, 98.8 + r.gauss() * 0.3, 1, true, false);
        q("pH", "[pH]", 5.7, 6.3, 6.0 + r.gauss() * 0.05, 2);
        q("Extractable volume", "mL", is2 ? 10 : 20, is2 ? 10.8 : 21.2, is2 ? 10.35 : 20.5, 2);
        q("Subvisible particles >=10 um", "1/container", 0, 6000, 400 + r.range(0, 900), 0, false, true);
        q("Sterility", "1", 0, 0, 0, 0);
      }
      // one inspection lot per material lot
      std::string prueflos = std::to_string(890000000001LL + c.qc_m1++);
      for (size_t i = first; i < w.qc.size(); ++i) {
        w.qc[i].sample = prueflos;
        w.qc[i].merknr = pad(static_cast<i64>((i - first + 1) * 10), 4);
      }
      bool any_r = false;
      for (size_t i = first; i < w.qc.size(); ++i) any_r |= w.qc[i].valuation == "R";
      for (size_t i = first; i < w.qc.size(); ++i) w.qc[i].ud = any_r ? "R" : "A";
    } else {
      if (l.purchased || l.lot.find("-G") != std::string::npos || l.lot.find("-C") != std::string::npos) {
        if (l.purchased && l.mat == "BW-10001") {
          std::string s = "QC25-" + pad(++c.qc_m2, 5);
          qc(w, c, r, "brightwater", l.mat, l.lot, td, "Assay (HPLC)", "%", 98, 102, 99.8 + r.gauss() * 0.4, 1, true,
             true, s);
          qc(w, c, r, "brightwater", l.mat, l.lot, td, "Water (KF)", "%", 0, 0.5, 0.18 + r.range(0, 10) * 0.01, 2,
             false, true, s);
        }
        continue;
      }
      bool p4 = l.mat == "BW-40001";
      std::string s = "QC25-" + pad(++c.qc_m2, 5);
      auto q = [&](const std::string& test, const std::string& unit, double lo, double hi, double v, int dec,
                   bool hl = true, bool hh = true) {
        v = std::clamp(v, hl ? lo : v, hh ? hi : v);  // noise inside the limits; the planted OOS come below
        qc(w, c, r, "brightwater", l.mat, l.lot, td, test, unit, lo, hi, v, dec, hl, hh, s);
      };
      q("Assay (HPLC)", "%", 95, 105, 100 + r.gauss() * 1.0, 1);
      if (p4) {
        q("Dissolution Q30min", "%", 80, 100, 91 + r.gauss() * 2.5, 0, true, false);
        q("Uniformity of dosage units (AV)", "1", 0, 15, 4.5 + r.range(0, 40) * 0.1, 1, false, true);
      } else {
        q("pH", "[pH]", 4.5, 5.5, 5.0 + r.gauss() * 0.06, 2);
      }
      q("Total impurities", "%", 0, 1.0, 0.25 + r.range(0, 20) * 0.01, 2, false, true);
    }
  }
  // ---- planted OOS results (M2) ----
  auto find_qc = [&](const std::string& lot, const std::string& test) -> QcResult* {
    for (auto& q : w.qc)
      if (q.lot == lot && q.test == test) return &q;
    return nullptr;
  };
  // 1 confirmed OOS -> P4 batch rejected
  if (QcResult* q = find_qc("BT25-0047", "Dissolution Q30min")) {
    q->result = 71;
    q->valuation = "R";
    q->status = "valid";
    std::string s2 = "QC25-" + pad(++c.qc_m2, 5);
    qc(w, c, r, "brightwater", q->mat, q->lot, q->date + 3 * kDay, "Dissolution Q30min", "%", 80, 100, 73, 0, true,
       false, s2);
    w.lots["BT25-0047"].status = "Rejected";
  }
  // 2 invalidated OOS (lab error) followed by a passing retest
  for (auto [lot, test, bad, good] : {std::tuple<const char*, const char*, double, double>{"BT25-0090", "Assay (HPLC)", 93.1, 99.6},
                                      {"BS25-0021", "pH", 5.83, 5.04}}) {
    if (QcResult* q = find_qc(lot, test)) {
      q->result = bad;
      q->valuation = "R";
      q->status = "invalidated";
      std::string s2 = "QC25-" + pad(++c.qc_m2, 5);
      QcResult copy = *q;
      qc(w, c, r, "brightwater", copy.mat, copy.lot, copy.date + 2 * kDay, copy.test, copy.unit, copy.lower,
         copy.upper, good, 2, true, true, s2);
    }
  }
  // ---- supplier CoAs for M1 purchased lots ----
  const char* signers[] = {"Dr. H. Brandt", "M. Okafor", "L. Svensson", "J. Alvarez", "E. de Vries", "R. Patel"};
  for (const auto& ln : w.lot_order) {
    Lot& l = w.lots[ln];
    if (l.org != "aurelian" || !l.purchased) continue;
    const Material& m = w.M(l.mat);
    Coa co;
    co.vendor = l.vendor;
    co.supplier_lot = l.vendor_lot;
    co.our_lot = l.lot;
    co.mat = l.mat;
    co.issued = day0(l.made) + 3 * kDay;
    co.signed_by = signers[r.below(6)];
    co.file = l.vendor + "-" + l.vendor_lot + ".json";
    if (l.mat == MED) {
      double osmo = l.lot == w.coa_lot ? 309 : 300 + r.gauss() * 4;
      co.tests.push_back({"Osmolality", "USP <785> freezing point", "mosm/kg", round_to(osmo, 1), 280, 320});
      co.tests.push_back({"pH (reconstituted)", "USP <791>", "[pH]", round_to(7.2 + r.gauss() * 0.04, 0.01), 7.0, 7.4});
      co.tests.push_back({"Endotoxin", "USP <85> kinetic chromogenic", "EU/mL", round_to(0.1 + r.range(0, 10) * 0.02, 0.01), 0, 1.0});
      co.tests.push_back({"Bioburden", "USP <61>", "CFU/g", static_cast<double>(r.range(0, 8)), 0, 100});
    } else if (m.type == "ROH") {
      co.tests.push_back({"Assay", "Ph. Eur./USP monograph", "%", round_to(100 + r.gauss() * 0.4, 0.1), 98, 102});
      co.tests.push_back({"Identity (FTIR)", "USP <197K>", "1", 1, 1, 1});
    } else {
      co.tests.push_back({"Dimensions", "supplier drawing", "1", 0, 0, 0});
      co.tests.push_back({"Cosmetic defects (AQL 0.65)", "ISO 2859-1", "1", 0, 0, 0});
      if (l.mat == matnr("500033"))
        co.tests.push_back({"Visible particles per 100 stoppers", "USP <790> adapted", "1",
                            static_cast<double>(l.vendor_lot.find('B') == 2 ? r.range(2, 4) : r.range(0, 1)), 0, 5});
    }
    l.coa_file = co.file;
    w.coas.push_back(co);
  }
}

// ---------- distribution ----------
struct Stock {
  std::string lot;
  double qty;
  u64 first;  // next unit index (serial lots)
};

void build_distribution(World& w, Rng& r, Counters& c) {
  const std::string P2 = matnr("200101"), P3 = matnr("200201");
  // serial-level lots
  auto pick_serial = [&](const std::string& mat, const std::string& preferred) {
    std::vector<std::string> ls;
    for (const auto& ln : w.lot_order)
      if (w.lots[ln].mat == mat && !w.lots[ln].batch.empty()) ls.push_back(ln);
    int n = w.cfg.serial_lots_per_product;
    if (n < 0 || n >= static_cast<int>(ls.size())) {
      for (auto& l : ls) w.lots[l].serial = true;
      return;
    }
    int k = 0;
    if (!preferred.empty() && w.lots.count(preferred)) {
      w.lots[preferred].serial = true;
      ++k;
    }
    for (size_t i = ls.size() / 3; k < n && i < ls.size(); ++i)
      if (!w.lots[ls[i]].serial) {
        w.lots[ls[i]].serial = true;
        ++k;
      }
  };
  // the recall lot: first P2 lot filled after 2025-06-09 (made with stoppers from the vendor's new site)
  for (const auto& b : w.batches) {
    if (b.mat != P2 || b.start < ts(2025, 6, 1) || !w.recall_lot.empty()) continue;
    for (const auto& ph : b.phases)
      for (const auto& u : ph.consumed)
        if (u.mat == matnr("500033") && w.lots[u.lot].vendor_lot.size() > 2 && w.lots[u.lot].vendor_lot[2] == 'B')
          w.recall_lot = b.id;
  }
  pick_serial(P2, w.recall_lot);
  pick_serial(P3, "");
  pick_serial("BW-40001", "");
  pick_serial("BW-50001", "");
  for (const auto& ln : w.lot_order) {
    Lot& l = w.lots[ln];
    if (!l.serial) continue;
    const Material& m = w.M(l.mat);
    l.serial_offset = w.serial_counter[m.gtin];
    w.serial_counter[m.gtin] += static_cast<u64>(l.qty);
    l.case_offset = w.case_counter[m.case_gtin];
    w.case_counter[m.case_gtin] += static_cast<u64>(l.qty) / m.case_qty + 1;
    if (l.mat == P3 && w.p3_serial_lot.empty()) w.p3_serial_lot = ln;
    if (l.mat == "BW-40001" && w.p4_serial_lot.empty()) w.p4_serial_lot = ln;
    if (l.mat == "BW-50001" && w.p5_serial_lot.empty()) w.p5_serial_lot = ln;
  }
  int m1_deliv = 0, m2_ship = 0, d1_dn = 0, d1_po = 0, m1_sto = 0;
  auto new_sscc = [&](bool m1) {
    u64 n = m1 ? ++w.sscc_counter_m1 : ++w.sscc_counter_m2;
    return sscc18("0", m1 ? kM1Prefix : kM2Prefix, pad(static_cast<i64>(1000000 + n * 7 + (m1 ? 0 : 3)), 10));
  };
  // ---- M1 -> D1: one shipment per released vial lot (3PL transfer, M1 keeps ownership) ----
  std::vector<std::string> m1_ship_lots;
  for (const auto& ln : w.lot_order) {
    const Lot& l = w.lots[ln];
    if ((l.mat == P2 || l.mat == P3) && l.status != "Rejected") m1_ship_lots.push_back(ln);
  }
  std::stable_sort(m1_ship_lots.begin(), m1_ship_lots.end(),
                   [&](const std::string& a, const std::string& b) { return w.lots[a].release < w.lots[b].release; });
  int exc_count = 0;
  for (const auto& ln : m1_ship_lots) {
    Lot& l = w.lots[ln];
    const Material& m = w.M(l.mat);
    Shipment s;
    s.id = pad(80000001 + m1_deliv++, 10);
    s.kind = "m1_d1";
    s.org_goods = "aurelian";
    s.owner_from = w.P(w.m1).gln;
    s.owner_to = w.P(w.m1).gln;
    s.from_loc = w.P(w.m1_wh).gln;
    s.to_loc = w.P(w.d1_dc).gln;
    s.po = std::to_string(4900100001LL + m1_sto++);  // stock transport order
    s.po_gln = w.P(w.m1).gln;
    s.desadv_gln = w.P(w.m1).gln;
    s.shipped = day0(l.release) + kDay + 7 * kHour + r.range(0, 120) * 60;
    if (s.shipped >= Y1() - 2 * kDay) continue;  // released too late to ship in 2025
    s.received = s.shipped + 11 * kHour + r.range(0, 180) * 60;
    ShipLine sl{l.mat, l.lot, l.qty, l.serial, 0};
    double cases = static_cast<double>(static_cast<i64>(l.qty) / m.case_qty + ((static_cast<i64>(l.qty) % m.case_qty) ? 1 : 0));
    int pallets = static_cast<int>((cases + m.pallet_cases - 1) / m.pallet_cases);
    for (int p = 0; p < pallets; ++p) s.ssccs.push_back(new_sscc(true));
    sl.pal_first = 0;
    sl.pal_count = pallets;
    s.lines.push_back(sl);
    s.trip_min = round_to(2.9 + r.range(0, 10) * 0.1, 0.1);
    s.trip_max = round_to(6.0 + r.range(0, 12) * 0.1, 0.1);
    s.trip_mean = round_to(4.6 + r.range(0, 8) * 0.1, 0.1);
    // planted: two in-transit excursions S1 -> D1 in July and August
    if ((exc_count == 0 && s.shipped >= ts(2025, 7, 8)) || (exc_count == 1 && s.shipped >= ts(2025, 8, 19))) {
      ++exc_count;
      s.excursion = exc_count;
      s.exc_start = s.shipped + 4 * kHour + 25 * 60;
      s.exc_end = s.exc_start + (exc_count == 1 ? 75 : 40) * 60;
      s.exc_max = exc_count == 1 ? 11.8 : 9.4;
      s.trip_max = s.exc_max;
      Excursion e;
      e.id = exc_count;
      e.where = "in transit S1 -> D1 (reefer truck, shipment " + s.id + ")";
      e.custodian = w.P(w.d1).name + " (possessing party, reefer collection)";
      e.owner = w.P(w.m1).name;
      e.ref = s.id;
      e.start = s.exc_start;
      e.end = s.exc_end;
      e.max_c = s.exc_max;
      e.lots.push_back(l.lot);
      w.excursions.push_back(e);
    }
    l.d1_received = s.received;
    l.d1_remaining = l.qty;
    l.ship_index = static_cast<int>(w.ships.size());
    w.ships.push_back(s);
  }
  // ---- M2: US share to D1 (ownership transfers) in one consolidated shipment per week
  //      (Thursday after release), EU share to EU wholesalers per lot ----
  std::map<i64, size_t> m2_week;  // ship day -> index in w.ships
  for (const auto& ln : w.lot_order) {
    Lot& l = w.lots[ln];
    if ((l.mat != "BW-40001" && l.mat != "BW-50001") || l.status == "Rejected") continue;
    const Material& m = w.M(l.mat);
    bool p4 = l.mat == "BW-40001";
    i64 cases = static_cast<i64>(l.qty) / m.case_qty;
    i64 us_cases = p4 ? cases * 70 / 100 : cases;
    i64 ship_day = day0(l.release) + kDay;
    while (weekday(ship_day) != 3) ship_day += kDay;
    if (ship_day >= Y1() - 14 * kDay) continue;
    auto it = m2_week.find(ship_day);
    if (it == m2_week.end()) {
      Shipment s;
      s.id = "BWS-25-" + pad(++m2_ship, 4);
      s.kind = "m2_d1";
      s.org_goods = "brightwater";
      s.owner_from = w.P(w.m2).gln;
      s.owner_to = w.P(w.d1).gln;
      s.from_loc = w.P(w.m2_site).gln;
      s.to_loc = w.P(w.d1_dc).gln;
      s.po = "MHL-PO-25-" + pad(++d1_po, 5);
      s.po_gln = w.P(w.d1).gln;
      s.desadv_gln = w.P(w.m2).gln;
      s.shipped = ship_day + 9 * kHour + r.range(0, 120) * 60;
      s.received = s.shipped + 11 * kDay + r.range(0, 48) * kHour / 2;
      it = m2_week.emplace(ship_day, w.ships.size()).first;
      w.ships.push_back(s);
    }
    Shipment& s = w.ships[it->second];
    double us = static_cast<double>(us_cases * m.case_qty);
    ShipLine sl{l.mat, l.lot, us, l.serial, 0};
    sl.pal_first = static_cast<int>(s.ssccs.size());
    int pallets = static_cast<int>((us_cases + m.pallet_cases - 1) / m.pallet_cases);
    for (int p = 0; p < pallets; ++p) s.ssccs.push_back(new_sscc(false));
    sl.pal_count = pallets;
    s.lines.push_back(sl);
    l.d1_received = s.received;
    l.d1_remaining = us;
    l.ship_index = static_cast<int>(it->second);
    if (p4) {
      Shipment e;
      e.id = "BWE-25-" + pad(static_cast<i64>(w.ships.size()), 4);
      e.kind = "m2_eu";
      e.org_goods = "brightwater";
      const std::string& cust = w.eu_customers[static_cast<size_t>(l.qty) % 2];
      e.owner_from = w.P(w.m2).gln;
      e.owner_to = w.P(cust).gln;
      e.from_loc = w.P(w.m2_site).gln;
      e.to_loc = w.P(cust).gln;
      e.po = cust;
      e.shipped = day0(l.release) + 2 * kDay + 10 * kHour;
      e.received = e.shipped + 3 * kDay;
      e.lines.push_back({l.mat, l.lot, static_cast<double>((cases - us_cases) * m.case_qty), false, 0});
      w.ships.push_back(e);
    }
  }
  {
    int k = 0;
    for (auto& sh : w.ships)
      if (sh.kind == "m2_eu") sh.id = "BWE-25-" + pad(++k, 4);
  }
  // ---- D1 -> dispensers ----
  // dispenser size factors and the 25 dispensers that receive the recall lot
  std::vector<double> size(w.dispensers.size());
  for (size_t i = 0; i < size.size(); ++i) size[i] = (i % 3 != 2 ? 1.3 : 0.6) * (0.8 + r.range(0, 40) * 0.01);
  std::vector<int> order(w.dispensers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[r.below(i)]);
  std::set<int> recall_set(order.begin(), order.begin() + 25);
  double sum_size = 0;
  for (double s : size) sum_size += s;
  // expected yearly units per product shipped to dispensers (base rate per unit size per day)
  auto base = [&](const std::string& mat) {
    double total = 0;
    for (const auto& ln : w.lot_order)
      if (w.lots[ln].mat == mat && !w.lots[ln].batch.empty()) total += w.lots[ln].qty;
    if (mat == "BW-40001") total *= 0.7;
    double eff_days = mat == P2 ? (212 + 92 * 1.4) : 304;  // demand from March
    return total * 0.88 / eff_days / sum_size;
  };
  const std::string prods[] = {P2, P3, "BW-40001", "BW-50001"};
  std::map<std::string, double> rate;
  for (const auto& p : prods) rate[p] = base(p);
  // stock list per product at D1 in FIFO order of receipt
  std::map<std::string, std::vector<std::string>> fifo;
  std::vector<std::string> d1_lots;
  for (const auto& ln : w.lot_order)
    if (w.lots[ln].d1_received > 0 && w.lots[ln].ship_index >= 0) d1_lots.push_back(ln);
  std::stable_sort(d1_lots.begin(), d1_lots.end(),
                   [&](const std::string& a, const std::string& b) { return w.lots[a].d1_received < w.lots[b].d1_received; });
  for (const auto& ln : d1_lots) fifo[w.lots[ln].mat].push_back(ln);
  std::map<std::string, u64> next_unit;
  const Lot& rl = w.lots[w.recall_lot];
  w.recall_time = ts(2025, 9, 16, 14);
  const double recall_cap = rl.qty * 0.94;
  double recall_out = 0;
  std::map<int, double> recall_got;
  // cold-room outage: 2025-06-18 02:10Z, 90 min, cold room CR2
  w.outage_start = ts(2025, 6, 18, 2, 10);
  w.outage_end = w.outage_start + 90 * 60;
  const int cycle = w.cfg.dispenser_cycle_days;
  i64 first_cycle = ts(2025, 1, 6);
  for (i64 cyc = first_cycle; cyc < ts(2025, 12, 27); cyc += cycle * kDay) {
    for (size_t di = 0; di < w.dispensers.size(); ++di) {
      i64 t = cyc + static_cast<i64>(di % 5) * kDay + 13 * kHour + r.range(0, 240) * 60;
      if (t >= ts(2025, 12, 31)) continue;
      for (int owner = 0; owner < 2; ++owner) {
        Shipment s;
        s.kind = "d1_disp";
        s.dispenser = static_cast<int>(di);
        s.shipped = t + owner * 20 * 60;
        s.received = s.shipped + 20 * kHour;
        const Party& dp = w.P(w.dispensers[di]);
        s.org_goods = owner == 0 ? "aurelian" : "brightwater";
        s.owner_from = owner == 0 ? w.P(w.m1).gln : w.P(w.d1).gln;
        s.owner_to = dp.gln;
        s.from_loc = w.P(w.d1_dc).gln;
        s.to_loc = dp.gln;
        s.po = "RX" + dp.locref + "-" + pad(static_cast<i64>((cyc - first_cycle) / kDay / cycle + 1), 3);
        s.po_gln = dp.gln;
        for (int pi = owner * 2; pi < owner * 2 + 2; ++pi) {
          const std::string& mat = prods[pi];
          double factor = (mat == P2 && t >= ts(2025, 10, 1)) ? 1.4 : 1.0;
          double want = rate[mat] * size[di] * cycle * factor * (0.8 + r.range(0, 40) * 0.01);
          want = static_cast<double>(static_cast<i64>(want));
          std::vector<std::string> seq = fifo[mat];
          if (recall_set.count(static_cast<int>(di))) {
            // the recall lot's 25 dispensers get it first while it is in stock
            auto it = std::find(seq.begin(), seq.end(), w.recall_lot);
            if (it != seq.end()) std::rotate(seq.begin(), it, it + 1);
          }
          for (const auto& ln : seq) {
            if (want <= 0) break;
            Lot& l = w.lots[ln];
            if (l.d1_received > t - 8 * kHour || l.d1_remaining <= 0) continue;
            bool is_recall = ln == w.recall_lot;
            if (is_recall) {
              if (!recall_set.count(static_cast<int>(di)) || t >= w.recall_time) continue;
              if (recall_out >= recall_cap) continue;
            }
            double take = std::min(want, l.d1_remaining);
            // spread the recall lot over its 25 dispensers
            if (is_recall) {
              double share = static_cast<double>(static_cast<i64>(recall_cap / 25));
              take = std::min({take, recall_cap - recall_out, share - recall_got[static_cast<int>(di)]});
              if (take <= 0) continue;
              recall_got[static_cast<int>(di)] += take;
            }
            if (take <= 0) continue;
            ShipLine sl{mat, ln, take, l.serial, 0};
            if (l.serial) {
              sl.first = next_unit[ln];
              next_unit[ln] += static_cast<u64>(take);
            }
            if (is_recall) {
              recall_out += take;
              w.recall_dist.push_back({static_cast<int>(di), sl.first, static_cast<u64>(take), 0, s.received, ""});
            }
            l.d1_remaining -= take;
            l.d1_last_out = s.shipped;
            want -= take;
            s.lines.push_back(sl);
          }
        }
        if (s.lines.empty()) continue;
        if (owner == 0) {
          s.id = pad(80000001 + m1_deliv++, 10);  // M1's sales delivery executed by the 3PL
          s.desadv_gln = w.P(w.m1).gln;
        } else {
          s.id = "MHL-DN-25-" + pad(++d1_dn, 6);
          s.desadv_gln = w.P(w.d1).gln;
        }
        for (auto& rd : w.recall_dist)
          if (rd.ship.empty()) rd.ship = s.id;
        w.ships.push_back(s);
      }
    }
  }
  // recall lot units left at D1
  w.recall_left_at_d1_first = next_unit[w.recall_lot];
  w.recall_left_at_d1 = static_cast<u64>(rl.qty) - w.recall_left_at_d1_first;
  // dispensed before the recall: 35-70 % of what each dispenser received
  for (auto& rd : w.recall_dist) {
    i64 days = (w.recall_time - rd.received) / kDay;
    double frac = std::min(0.7, 0.35 + days * 0.004);
    rd.dispensed = static_cast<u64>(rd.count * frac);
  }
  // the D1 -> dispenser excursion (cold goods, August) and the mis-scanned shipment (M2 goods, May)
  for (auto& s : w.ships) {
    if (s.kind == "d1_disp" && s.org_goods == "aurelian" && s.shipped >= ts(2025, 8, 12) && !s.excursion) {
      s.excursion = 4;
      s.exc_start = s.shipped + 3 * kHour + 5 * 60;
      s.exc_end = s.exc_start + 50 * 60;
      s.exc_max = 12.6;
      s.trip_min = 3.4;
      s.trip_max = 12.6;
      s.trip_mean = 5.9;
      Excursion e;
      e.id = 4;
      e.where = "in transit D1 -> dispenser " + w.P(w.dispensers[s.dispenser]).name + " (delivery " + s.id + ")";
      e.custodian = w.P(w.d1).name + " (delivery van; ownership passes to the dispenser on receipt)";
      e.owner = w.P(w.m1).name;
      e.ref = s.id;
      e.start = s.exc_start;
      e.end = s.exc_end;
      e.max_c = 12.6;
      for (auto& sl : s.lines) e.lots.push_back(sl.lot);
      w.excursions.push_back(e);
      break;
    }
  }
  for (auto& s : w.ships) {
    if (s.kind == "d1_disp" && s.org_goods == "brightwater" && s.shipped >= ts(2025, 5, 20) && s.lines.size() >= 1 &&
        !s.lines[0].serial) {
      s.misscan = true;
      w.misscan_ship = s.id;
      break;
    }
  }
  // cold-room outage: choose 3 M1 lots in D1 stock at the outage and store them in CR2
  std::vector<std::string> in_stock;
  for (const auto& ln : d1_lots) {
    Lot& l = w.lots[ln];
    if (l.org != "aurelian") {
      l.zone = "AMB1";
      continue;
    }
    bool present = l.d1_received < w.outage_start && (l.d1_last_out > w.outage_end || l.d1_remaining > 0);
    if (present) in_stock.push_back(ln);
    l.zone = "CR1";
  }
  for (size_t i = 0; i < in_stock.size() && i < 3; ++i) {
    w.lots[in_stock[in_stock.size() - 1 - i]].zone = "CR2";
    w.outage_lots.push_back(in_stock[in_stock.size() - 1 - i]);
  }
  {
    Excursion e;
    e.id = 3;
    e.where = "in storage: D1 cold room CR2 (power outage, compressor off)";
    e.custodian = w.P(w.d1).name + " (3PL, possessing party)";
    e.owner = w.P(w.m1).name;
    e.ref = "D1-CR2";
    // from the probe values the historian writes (5-min samples): the first sample above 8 C
    // starts the excursion, the first sample back in range ends it (the historian connector's
    // reading); the room is back near 4.9 C after the recovery window
    for (i64 t = w.outage_start; t < w.outage_end + kOutageRecovery; t += 300) {
      double v = cr2_outage_temp(w, t);
      if (v > 8.0) {
        if (!e.start) e.start = t;
        e.max_c = std::max(e.max_c, v);
      } else if (e.start && !e.end) {
        e.end = t;
      }
    }
    if (e.start && !e.end) e.end = w.outage_end + kOutageRecovery;
    e.lots = w.outage_lots;
    w.excursions.push_back(e);
  }
  std::stable_sort(w.excursions.begin(), w.excursions.end(), [](const Excursion& a, const Excursion& b) { return a.id < b.id; });
  // recall status
  w.lots[w.recall_lot].status = "Recalled";
  (void)c;
}

// ---------- goods movements ----------
void build_moves(World& w, Counters& c) {
  // purchased receipts + releases
  for (const auto& ln : w.lot_order) {
    const Lot& l = w.lots[ln];
    bool m1 = l.org == "aurelian";
    if (l.purchased) {
      add_move(w, c, l.org, m1 ? "101" : "receipt", l.mat, l.lot, l.qty, l.d1_received, m1 ? "1000" : "", "", l.po, "");
      if (l.status != "Rejected")
        add_move(w, c, l.org, m1 ? "321" : "release", l.mat, l.lot, l.qty, l.release, m1 ? "1000" : "", "", "", "");
    }
  }
  for (const auto& b : w.batches) {
    bool m1 = b.org == "aurelian";
    for (const auto& ph : b.phases) {
      for (const auto& u : ph.consumed) {
        if (w.M(u.mat).type == "intermediate") continue;
        add_move(w, c, b.org, m1 ? "261" : "issue", u.mat, u.lot, u.qty, ph.start, m1 ? "1000" : "", b.order, "", "");
      }
    }
    if (b.aborted) continue;
    const Lot& l = w.lots[b.id];
    add_move(w, c, b.org, m1 ? "101" : "production", b.mat, b.id, b.qty, b.end, m1 ? "2000" : "", b.order, "", "");
    if (l.status != "Rejected")
      add_move(w, c, b.org, m1 ? "321" : "release", b.mat, b.id, b.qty, l.release, m1 ? "2000" : "", "", "", "");
  }
  for (const auto& s : w.ships) {
    for (const auto& sl : s.lines) {
      if (s.kind == "m1_d1") add_move(w, c, "aurelian", "311", sl.mat, sl.lot, sl.qty, s.shipped, "3PL1", "", "", s.id);
      if (s.kind == "d1_disp" && s.org_goods == "aurelian")
        add_move(w, c, "aurelian", "601", sl.mat, sl.lot, sl.qty, s.shipped, "3PL1", "", "", s.id);
      if (s.kind == "m2_d1" || s.kind == "m2_eu")
        add_move(w, c, "brightwater", "shipment", sl.mat, sl.lot, sl.qty, s.shipped, "", "", s.po, s.id);
    }
  }
  // recall: remaining stock at the 3PL blocked then scrapped
  const Lot& rl = w.lots[w.recall_lot];
  if (w.recall_left_at_d1 > 0) {
    add_move(w, c, "aurelian", "350", rl.mat, rl.lot, static_cast<double>(w.recall_left_at_d1), w.recall_time + kHour, "3PL1", "", "", "");
    add_move(w, c, "aurelian", "551", rl.mat, rl.lot, static_cast<double>(w.recall_left_at_d1), w.recall_time + 9 * kDay, "3PL1", "", "", "");
  }
  std::stable_sort(w.moves.begin(), w.moves.end(), [](const Move& a, const Move& b) {
    if (a.org != b.org) return a.org < b.org;
    return a.posted < b.posted;
  });
  int n1 = 0, n2 = 0;
  for (auto& m : w.moves) {
    if (m.org == "aurelian") m.id = std::to_string(4900000001LL + n1++);
    else m.id = "MV25-" + pad(++n2, 6);
  }
}

// ---------- QMS storyline ----------
void build_qms(World& w, Rng& r) {
  const std::string P2 = matnr("200101");
  struct D { std::string tag; i64 opened, closed; std::string cat, batches, equip, desc, root, impact; };
  std::vector<D> ds;
  const Batch* b17 = nullptr;
  for (const auto& b : w.batches)
    if (b.id == w.excursion_batch) b17 = &b;
  i64 exc_t = b17 ? b17->phases[1].start + 4 * kDay + 9 * kHour + 12 * 60 : ts(2025, 4, 1);
  ds.push_back({"temp", exc_t + 2 * kHour, exc_t + 33 * kDay, "process excursion", w.excursion_batch, "BR-201",
                "BR-201 culture temperature above PAR (37.5 C) for 25 min, max 38.3 C, during production culture",
                "jacket temperature control valve TCV-201 sticking", "no impact on CQAs; batch released", });
  ds.push_back({"brfail", w.br_fail_start + kHour, w.br_fail_start + 41 * kDay, "equipment failure", w.br_fail_batch,
                "BR-202", "BR-202 agitator drive (VFD) failure on culture day 6; agitation lost, DO fell below 10 %; culture terminated; BR-202 out of service 3 days",
                "VFD power module failure (end of life)", "batch " + w.br_fail_batch + " lost; no product impact"});
  ds.push_back({"stopper", ts(2025, 5, 6, 14), ts(2025, 6, 20, 10), "supplier change", "", "FF-1",
                "Stopper supplier Glasswell moved 20 mm stopper production to a new site (lots with 'B' site code) under notification; change assessed",
                "supplier site transfer", "accepted with enhanced incoming inspection"});
  ds.push_back({"coa", w.lots[w.coa_lot].release - kDay, w.lots[w.coa_lot].release + 30 * kDay, "incoming material OOS",
                w.coa_lot, "", "Medium lot " + w.coa_lot + " (vendor lot " + w.lots[w.coa_lot].vendor_lot +
                ") osmolality 327 mOsm/kg in-house vs 309 on the supplier CoA (spec 280-320)",
                "supplier test method bias (calibration of freezing point osmometer)", "lot rejected, not used"});
  ds.push_back({"supply", w.v1_int_start, w.v1_int_end + 10 * kDay, "supply interruption", "", "",
                "Cellvanta (V1) force majeure: CDM-4 medium deliveries suspended 6 weeks; backup supplier NorthBay (V2) activated",
                "fire at supplier's blending facility", "no batch delayed; V2 medium used in production cultures"});
  ds.push_back({"recall", ts(2025, 8, 28, 15), 0, "complaint investigation", w.recall_lot, "FF-1",
                "Particulate matter (visible particles) complaints for lot " + w.recall_lot + " from dispensers",
                "stopper fragments (coring) linked to new-site stopper lots", "lot recalled (class II)"});
  for (const auto& e : w.excursions) {
    std::string lots;
    for (const auto& l : e.lots) lots += (lots.empty() ? "" : ";") + l;
    bool open = e.id == 3;
    ds.push_back({"exc" + std::to_string(e.id), e.end + 6 * kHour, open ? 0 : e.end + 25 * kDay, "cold-chain excursion", lots,
                  e.id == 3 ? "D1-CR2" : "", "Temperature excursion " + e.where + ", max " + fmt(e.max_c, 1) + " C",
                  e.id == 3 ? "utility power loss, backup generator transfer switch failed" : "reefer door / loading delay",
                  "stability data support release; product released"});
  }
  const char* cats[] = {"documentation", "environmental monitoring", "equipment alarm", "material handling", "filter integrity"};
  const char* descs[] = {"Batch record entry missing second-person verification",
                         "Grade B viable air sample above alert level in filling room",
                         "Chromatography skid pressure alarm during column packing check",
                         "Pallet of raw material stored outside labelled zone for 4 h",
                         "Post-use filter integrity test first result below limit; retest passed"};
  const char* eqs[] = {"", "FF-1", "CHR-1", "", "FF-1"};
  int extra = 0;
  std::vector<const Batch*> m1b;
  for (const auto& b : w.batches)
    if (b.org == "aurelian" && !b.aborted) m1b.push_back(&b);
  while (ds.size() < 20) {
    const Batch* b = m1b[r.below(m1b.size())];
    int k = extra % 5;
    i64 op = b->start + r.range(1, 4) * kDay;
    bool open = op > ts(2025, 11, 25);
    ds.push_back({"x" + std::to_string(extra), op, open ? 0 : op + r.range(10, 40) * kDay, cats[k], b->id, eqs[k], descs[k],
                  "human error / procedure unclear", "no impact"});
    ++extra;
  }
  // ensure a few open at year end: the latest two random ones stay open
  std::stable_sort(ds.begin(), ds.end(), [](const D& a, const D& b) { return a.opened < b.opened; });
  int opened_late = 0;
  for (auto it = ds.rbegin(); it != ds.rend() && opened_late < 2; ++it)
    if (it->tag[0] == 'x') {
      it->closed = 0;
      ++opened_late;
    }
  std::map<std::string, std::string> id_of;
  for (size_t i = 0; i < ds.size(); ++i) {
    Deviation d;
    d.id = "DEV-25-" + pad(static_cast<i64>(i) + 1, 3);
    id_of[ds[i].tag] = d.id;
    d.opened = ds[i].opened;
    d.closed = ds[i].closed;
    if (d.closed >= Y1()) d.closed = 0;
    d.category = ds[i].cat;
    d.batch_ids = ds[i].batches;
    d.equipment = ds[i].equip;
    d.description = ds[i].desc;
    d.root_cause = d.closed ? ds[i].root : (ds[i].tag == "recall" ? ds[i].root : "");
    d.impact = ds[i].impact;
    d.status = d.closed ? "closed" : "open";
    w.devs.push_back(d);
  }
  // complaints: particulates for the recall lot from dispensers that received it, plus a few others
  int cn = 0;
  std::set<int> seen;
  for (const auto& rd : w.recall_dist) {
    if (seen.count(rd.disp) || seen.size() >= 4) continue;
    seen.insert(rd.disp);
    Complaint c;
    c.id = "CMP-25-" + pad(++cn, 3);
    c.received = ts(2025, 8, 20, 15) + static_cast<i64>(seen.size() - 1) * 6 * kDay;
    c.gtin = w.M(P2).gtin;
    c.lot = w.recall_lot;
    c.customer_gln = w.P(w.dispensers[rd.disp]).gln;
    c.category = "particulate matter";
    c.description = "Visible particles observed in vial before administration";
    c.severity = "major";
    c.deviation = id_of["recall"];
    c.status = "closed";
    w.complaints.push_back(c);
  }
  for (int i = 0; i < 3; ++i) {
    Complaint c;
    c.id = "CMP-25-" + pad(++cn, 3);
    const Lot* l = nullptr;
    int skip = static_cast<int>(r.below(20)) + 5;
    for (const auto& ln : w.lot_order)
      if ((w.lots[ln].mat == P2 || w.lots[ln].mat == matnr("200201")) && ln != w.recall_lot && --skip <= 0) {
        l = &w.lots[ln];
        break;
      }
    c.received = l->release + r.range(20, 60) * kDay;
    c.gtin = w.M(l->mat).gtin;
    c.lot = l->lot;
    c.customer_gln = w.P(w.dispensers[r.below(w.dispensers.size())]).gln;
    c.category = i == 0 ? "packaging" : (i == 1 ? "labelling" : "cold chain");
    c.description = i == 0 ? "Carton crushed on receipt" : (i == 1 ? "Label partly illegible" : "Temperature indicator triggered on receipt");
    c.severity = "minor";
    c.status = "closed";
    w.complaints.push_back(c);
  }
  std::stable_sort(w.complaints.begin(), w.complaints.end(), [](const Complaint& a, const Complaint& b) { return a.received < b.received; });
  for (size_t i = 0; i < w.complaints.size(); ++i) w.complaints[i].id = "CMP-25-" + pad(static_cast<i64>(i) + 1, 3);
  Recall rc;
  rc.id = "RCL-25-001";
  rc.product = w.M(P2).gtin;
  rc.lots = w.recall_lot;
  rc.klass = "II";
  rc.depth = "retail";
  rc.initiated = w.recall_time;
  rc.reason = "Visible particulate matter (stopper fragments) confirmed in retained samples";
  w.recalls.push_back(rc);
  // CAPAs: 5, two overdue (due before 2025-12-31, not closed)
  auto capa = [&](const std::string& id, const std::string& src, const std::string& action, const std::string& owner,
                  i64 due, i64 closed, const std::string& eff) {
    Capa c;
    c.id = id;
    c.sources = src;
    c.action = action;
    c.owner = owner;
    c.due = due;
    c.closed = closed;
    c.effective = eff;
    w.capas.push_back(c);
  };
  capa("CAPA-25-001", id_of["temp"], "Replace TCV-201 and add valve travel diagnostics to the BR-201/BR-202 PM plan",
       "Engineering (K. Moore)", exc_t + 45 * kDay, exc_t + 40 * kDay, "yes");
  capa("CAPA-25-002", id_of["brfail"], "Replace VFDs of BR-201 and BR-202; hold critical spare drive on site",
       "Maintenance (T. Nguyen)", w.br_fail_start + 60 * kDay, w.br_fail_start + 52 * kDay, "yes");
  capa("CAPA-25-003", id_of["coa"], "Supplier corrective action request to Cellvanta; full in-house osmolality testing for 6 months",
       "Supplier Quality (A. Fischer)", ts(2025, 9, 30), ts(2025, 9, 22), "yes");
  std::string first_particulate;
  for (const auto& cm : w.complaints)
    if (first_particulate.empty() && cm.lot == w.recall_lot) first_particulate = cm.id;
  capa("CAPA-25-004", id_of["recall"] + ";" + first_particulate,
       "Requalify 20 mm stopper from the new supplier site; add 100 % particle inspection of incoming stopper lots",
       "Quality Assurance (S. Ramirez)", ts(2025, 12, 15), 0, "");
  capa("CAPA-25-005", id_of["exc3"], "Require D1 to test generator transfer switch monthly and add CR2 remote alarm escalation",
       "Supply Chain Quality (P. Chen)", ts(2025, 11, 28), 0, "");
  (void)r;
}

// ---------- TP-02 micro-stops ----------
void build_tp02(World& w, Rng& r) {
  // weekly cluster of short stops (feeder jam) in the first TP-02 compression run of each week
  std::map<i64, const Phase*> first_run;
  for (const auto& b : w.batches)
    if (b.org == "brightwater" && b.equip == "TP-02")
      for (const auto& ph : b.phases)
        if (ph.name == "COMPRESSION") {
          i64 wk = (ph.start / kDay - 4) / 7;  // weeks starting Monday
          if (!first_run.count(wk)) first_run[wk] = &ph;
        }
  for (const auto& [wk, ph] : first_run) {
    int n = static_cast<int>(r.range(4, 9));
    i64 t = ph->start + kHour + r.range(0, 60) * 60;
    t -= t % 60;
    for (int i = 0; i < n; ++i) {
      int mins = static_cast<int>(r.range(2, 8));
      if (t + mins * 60 >= ph->end) break;
      w.tp02_stops.push_back({t, mins});
      t += mins * 60 + r.range(15, 50) * 60;
    }
  }
  w.tp_from = ts(2025, 3, 3);
  w.tp_to = ts(2025, 3, 24);
  if (w.cfg.historian_full_year) {
    w.tp_from = Y0();
    w.tp_to = Y1();
  }
}

// ---------- ISO 22400-2 counters of the line phases ----------
// Appended as SegmentData to the phases (after their process data) and kept in w.oee for
// planted.md. Own PRNG stream, so the rest of the output does not change.
//   PBT = the phase's duration (ActualStart..ActualEnd, whole minutes);
//   APT = PBT minus the TP-02 micro-stops inside the phase (no other downtime is simulated);
//   PRI = the line's ideal cycle time: TP-01/TP-02 0.1 s per tablet (CapacityPerWeek 1.8 M
//         tablets = 600 /min over a 50 h week), LQ-1 5 s per bottle, FF-1 4 s per 10 mL vial (P2)
//         and 6 s per 20 mL vial (P3);
//   GQ  = the good output: the core-tablet lot (COMPRESSION), the P5 lot (LQ-1 FILLING), the
//         P2/P3 lot plus the vials visual inspection rejected afterwards (FF-1 FILLING);
//   PQ  = GQ plus the rejects: per running minute 1.2 + U(0, 1.5) tablets on TP-01 and
//         1.2 + U(0, 3.0) on TP-02 (the historian's REJECTS.CNT model), 0.2-0.8 % of the
//         bottles on LQ-1, 0.1-0.4 % of the vials on FF-1 (fill-weight check).
void build_oee(World& w) {
  Rng r(w.cfg.seed ^ 0x22400EE0ULL);
  for (auto& b : w.batches) {
    for (size_t pi = 0; pi < b.phases.size(); ++pi) {
      Phase& ph = b.phases[pi];
      const bool tp = ph.name == "COMPRESSION" && (ph.equip == "TP-01" || ph.equip == "TP-02");
      const bool lq = ph.name == "FILLING" && ph.equip == "LQ-1";
      const bool ff = ph.name == "FILLING" && ph.equip == "FF-1";
      if (!tp && !lq && !ff) continue;
      World::OeeRec o;
      o.line = ph.equip;
      o.month = iso_date(ph.start).substr(0, 7);
      o.pbt = (ph.end - ph.start) / 60;
      i64 down = 0;
      if (ph.equip == "TP-02")
        for (const auto& st : w.tp02_stops)
          if (st.start >= ph.start && st.start < ph.end) down += st.minutes;
      o.apt = o.pbt - down;
      if (tp) {
        o.pri_ms = 100;
        o.gq = static_cast<i64>(ph.produced.at(0).qty);
        double rej = 0;
        for (i64 m = 0; m < o.apt; ++m) rej += 1.2 + r.unit() * (ph.equip == "TP-02" ? 3.0 : 1.5);
        o.pq = o.gq + static_cast<i64>(rej);
      } else if (lq) {
        o.pri_ms = 5000;
        o.gq = static_cast<i64>(ph.produced.at(0).qty);
        o.pq = o.gq + (o.gq * r.range(20, 80) + 5000) / 10000;
      } else {
        const bool p2 = b.planned > 7500;  // P2 10 mL (10 000 vials), P3 20 mL (5 000)
        o.pri_ms = p2 ? 4000 : 6000;
        const i64 made = static_cast<i64>(b.qty);
        // VisualInspectionRejectRate (%, two decimals) of the INSPECTION phase that follows
        i64 vi = 0;
        for (const auto& d : b.phases.at(pi + 1).data)
          if (d[0] == "VisualInspectionRejectRate") vi = std::llround(std::stod(d[1]) * 100);
        o.gq = made + (made * vi + 5000) / 10000;
        o.pq = o.gq + (o.gq * r.range(10, 40) + 5000) / 10000;
      }
      ph.data.push_back({"PlannedBusyTime", std::to_string(o.pbt), "decimal", "min"});
      ph.data.push_back({"ActualProductionTime", std::to_string(o.apt), "decimal", "min"});
      ph.data.push_back({"PlannedRunTimePerItem", fmt(static_cast<double>(o.pri_ms) / 1000.0, 3), "decimal", "s"});
      ph.data.push_back({"ProducedQuantity", std::to_string(o.pq), "integer", "EA"});
      ph.data.push_back({"GoodQuantity", std::to_string(o.gq), "integer", "EA"});
      w.oee.push_back(o);
    }
  }
}

}  // namespace

double cr2_outage_temp(const World& w, i64 t) {
  // compressor off at outage_start: linear rise 4.9 -> 10.9 C over the outage, then the
  // compressor pulls the room down to 5.2 C within the recovery window
  const double m = static_cast<double>(t - w.outage_start) / 60.0;  // minutes into the outage
  const double outage_min = static_cast<double>(w.outage_end - w.outage_start) / 60.0;
  const double rec_min = static_cast<double>(kOutageRecovery) / 60.0;
  double v = t < w.outage_end ? 4.9 + (10.9 - 4.9) * (m / outage_min) : 10.9 - (10.9 - 5.2) * ((m - outage_min) / rec_min);
  return std::stod(fmt(v, 1));  // the value as the historian writes it
}

std::string unit_serial(const World& w, const Lot& lot, u64 idx) {
  (void)w;
  // bijection on [0, 10^10): (a*x + b) mod 10^10 with a coprime to 10
  const u64 mod = 10000000000ULL;
  u64 x = (lot.serial_offset + idx) % mod;
  unsigned __int128 v = static_cast<unsigned __int128>(x) * 7368787ULL + 1234567891ULL;
  return pad_str(std::to_string(static_cast<u64>(v % mod)), 10);
}
std::string case_serial(const World& w, const Lot& lot, u64 idx) {
  (void)w;
  return pad_str(std::to_string(5000000000ULL + lot.case_offset + idx), 10);
}
std::string sgtin_urn(const Material& m, const std::string& serial, bool case_level) {
  return "urn:epc:id:sgtin:" + m.prefix + "." + (case_level ? "1" : "0") + m.itemref + "." + serial;
}
std::string lgtin_urn(const Material& m, const std::string& lot) {
  return "urn:epc:class:lgtin:" + m.prefix + ".0" + m.itemref + "." + lot;
}
std::string sscc_urn(const std::string& sscc, size_t prefix_len) {
  // SSCC18 = ext(1) prefix serialref check
  return "urn:epc:id:sscc:" + sscc.substr(1, prefix_len) + "." + sscc.substr(0, 1) +
         sscc.substr(1 + prefix_len, 16 - prefix_len);
}
std::string sgln_urn(const Party& p, const std::string& ext) {
  return "urn:epc:id:sgln:" + p.prefix + "." + p.locref + "." + ext;
}

void build_world(World& w) {
  Rng r(w.cfg.seed);
  Counters c;
  build_parties(w, r);
  build_materials(w);
  build_m1(w, r, c);
  build_m2(w, r, c);
  build_quality(w, r, c);
  build_distribution(w, r, c);
  build_moves(w, c);
  build_qms(w, r);
  build_tp02(w, r);
  build_oee(w);
  // historian batches
  std::vector<std::string> hb;
  if (w.cfg.historian_batches < 0) {
    for (const auto& b : w.batches)
      if (b.org == "aurelian" && b.id.rfind("DS-", 0) == 0) hb.push_back(b.id);
  } else {
    hb = {w.excursion_batch, w.br_fail_batch};
    for (const auto& b : w.batches)
      if (static_cast<int>(hb.size()) < w.cfg.historian_batches && b.id.rfind("DS-", 0) == 0 &&
          std::find(hb.begin(), hb.end(), b.id) == hb.end())
        hb.push_back(b.id);
    if (static_cast<int>(hb.size()) > w.cfg.historian_batches) hb.resize(std::max(0, w.cfg.historian_batches));
  }
  w.historian_batches = hb;
}

}  // namespace pgen
