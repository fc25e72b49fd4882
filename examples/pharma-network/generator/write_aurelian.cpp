// SPDX-License-Identifier: Apache-2.0
// Writers for M1 "Aurelian Biologics": SAP-style ERP CSV extracts, QMS CSV + supplier
// CoA JSON, MES B2MML V0700 XML (equipment, materials, lots, per-batch performance),
// and historian tag dictionary + time series (see FORMATS.md).
#include <algorithm>
#include <cstdio>

#include "gen.h"

namespace pgen {

namespace {

std::string num(double v) {
  // shortest tidy decimal for quantities: integers without decimals, else up to 3 decimals
  if (v == static_cast<double>(static_cast<i64>(v))) return std::to_string(static_cast<i64>(v));
  std::string s = fmt(v, 3);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string zustd(const Lot& l) {
  if (l.status == "Rejected") return "BLOCKED";
  if (l.status == "Recalled") return "RECALLED";
  if (l.release >= ts(2026, 1, 1)) return "QUALITY";
  return "UNRESTRICTED";
}

void erp(World& w, Out& out) {
  const std::string werks = "S100";
  {
    Csv c({"MATNR", "MAKTX", "MTART", "MEINS", "XCHPF", "MHDHB_DAYS", "GTIN", "NDC", "STORAGE_COND", "WERKS"});
    for (const auto& id : w.m1_mats) {
      const Material& m = w.M(id);
      c.row({m.id, m.desc, m.type, m.uom, "X", std::to_string(m.shelf_days), m.gtin, m.ndc, m.storage, werks});
    }
    out.write("aurelian/erp/materials.csv", c.str(), c.rows());
  }
  {
    Csv c({"MATNR", "WERKS", "STLAL", "BMENG", "BMEIN", "POSNR", "IDNRK", "MENGE", "MEINS", "VALID_FROM"});
    struct L { const char* parent; double base; const char* uom; std::vector<std::pair<const char*, double>> comps; };
    const L boms[] = {
        {"100101", 5, "KG", {{"500001", 46}, {"500022", 1}, {"500021", 0.6}, {"500042", 3}, {"500041", 0.2}}},
        {"200101", 10000, "EA",
         {{"100101", 1.1}, {"500042", 0.5}, {"500041", 0.05}, {"500031", 10300}, {"500033", 10300}, {"500034", 10300},
          {"500051", 10000}}},
        {"200201", 5000, "EA",
         {{"100101", 2.2}, {"500042", 0.4}, {"500041", 0.05}, {"500032", 5150}, {"500033", 5150}, {"500034", 5150},
          {"500052", 5000}}},
    };
    for (const auto& b : boms) {
      int pos = 10;
      for (const auto& [comp, q] : b.comps) {
        const Material& m = w.M(pad_str(comp, 18));
        c.row({pad_str(b.parent, 18), werks, "01", num(b.base), b.uom, pad(pos, 4), m.id, num(q), m.uom, "2024-10-01"});
        pos += 10;
      }
    }
    out.write("aurelian/erp/bom.csv", c.str(), c.rows());
  }
  {
    Csv po({"AUFNR", "AUART", "MATNR", "WERKS", "GAMNG", "GMEIN", "GSTRP", "GLTRP", "ACT_START", "ACT_END", "STATUS", "CHARG"});
    Csv oc({"AUFNR", "POSNR", "MATNR", "CHARG", "BDMNG", "ENMNG", "MEINS"});
    for (const auto& b : w.batches) {
      if (b.org != "aurelian") continue;
      po.row({b.order, "PI01", b.mat, werks, num(b.planned), b.uom, iso_date(b.pstart), iso_date(b.pend), iso_dt(b.start),
              iso_dt(b.end), b.status, b.aborted ? "" : b.id});
      int pos = 10;
      for (const auto& ph : b.phases)
        for (const auto& u : ph.consumed) {
          oc.row({b.order, pad(pos, 4), u.mat, u.lot, num(u.qty), num(u.qty), u.uom});
          pos += 10;
        }
    }
    out.write("aurelian/erp/process_orders.csv", po.str(), po.rows());
    out.write("aurelian/erp/order_components.csv", oc.str(), oc.rows());
  }
  {
    Csv c({"MATNR", "CHARG", "WERKS", "HSDAT", "VFDAT", "LICHA", "LIFNR", "ZUSTD"});
    for (const auto& ln : w.lot_order) {
      const Lot& l = w.lots.at(ln);
      if (l.org != "aurelian") continue;
      c.row({l.mat, l.lot, werks, iso_date(l.made), iso_date(l.expiry), l.vendor_lot, l.vendor, zustd(l)});
    }
    out.write("aurelian/erp/batches.csv", c.str(), c.rows());
  }
  {
    Csv c({"MBLNR", "ZEILE", "BWART", "MATNR", "CHARG", "WERKS", "LGORT", "MENGE", "MEINS", "BUDAT", "AUFNR", "EBELN", "VBELN"});
    for (const auto& m : w.moves) {
      if (m.org != "aurelian") continue;
      c.row({m.id, pad(m.line, 4), m.type, m.mat, m.lot, werks, m.lgort, num(m.qty), m.uom, iso_date(m.posted), m.order, m.po,
             m.deliv});
    }
    out.write("aurelian/erp/goods_movements.csv", c.str(), c.rows());
  }
  {
    Csv c({"EBELN", "EBELP", "LIFNR", "BEDAT", "MATNR", "MENGE", "MEINS", "NETPR", "EINDT", "WERKS"});
    std::vector<const PurchaseOrder*> v;
    for (const auto& p : w.pos)
      if (p.org == "aurelian") v.push_back(&p);
    std::stable_sort(v.begin(), v.end(), [](const PurchaseOrder* a, const PurchaseOrder* b) { return a->no < b->no; });
    for (const auto* p : v)
      c.row({p->no, pad(p->line, 5), p->vendor, iso_date(p->ordered), p->mat, num(p->qty), p->uom, fmt(p->price, 2),
             iso_date(p->due), werks});
    out.write("aurelian/erp/purchase_orders.csv", c.str(), c.rows());
  }
  {
    Csv c({"LIFNR", "NAME1", "STRAS", "ORT01", "REGIO", "LAND1", "GLN", "LICENCE_NO"});
    for (const auto& k : w.vendor_keys_m1) {
      const Party& p = w.P(k);
      c.row({p.key, p.name, p.street, p.city, p.region, p.country, p.gln, p.licence});
    }
    out.write("aurelian/erp/vendors.csv", c.str(), c.rows());
  }
  {
    Csv c({"KUNNR", "NAME1", "STRAS", "ORT01", "REGIO", "LAND1", "GLN", "LICENCE_NO"});
    for (const auto& k : w.dispensers) {
      const Party& p = w.P(k);
      c.row({p.key, p.name, p.street, p.city, p.region, p.country, p.gln, p.licence});
    }
    out.write("aurelian/erp/customers.csv", c.str(), c.rows());
  }
  {
    Csv c({"PRUEFLOS", "MATNR", "CHARG", "MERKNR", "CHARACTERISTIC", "LOWER", "UPPER", "UNIT", "RESULT", "VALUATION", "UD_CODE",
           "DATE"});
    for (const auto& q : w.qc) {
      if (q.org != "aurelian") continue;
      c.row({q.sample, q.mat, q.lot, q.merknr, q.test, q.has_lower ? num(q.lower) : "", q.has_upper ? num(q.upper) : "", q.unit,
             num(q.result), q.valuation, q.ud, iso_date(q.date)});
    }
    out.write("aurelian/erp/inspection_results.csv", c.str(), c.rows());
  }
  {
    Csv c({"MATNR", "WERKS", "LIFNR", "VDATU", "BDATU", "FLIFN", "PLIFZ_DAYS"});
    for (const auto& id : w.m1_mats) {
      const Material& m = w.M(id);
      if (m.vendor_primary.empty()) continue;
      c.row({m.id, werks, m.vendor_primary, "2024-01-01", "9999-12-31", "X", std::to_string(m.lead_primary)});
      if (!m.vendor_backup.empty())
        c.row({m.id, werks, m.vendor_backup, "2024-06-01", "9999-12-31", "", std::to_string(m.lead_backup)});
    }
    out.write("aurelian/erp/source_list.csv", c.str(), c.rows());
  }
  {
    // company, plant and storage locations with their GLNs (SAP T001 / T001W / T001L)
    Csv c({"ROLE", "BUKRS", "WERKS", "LGORT", "NAME1", "STRAS", "ORT01", "REGIO", "LAND1", "GLN"});
    const Party& m1 = w.P(w.m1);
    const Party& s1 = w.P(w.m1_site);
    const Party& wh = w.P(w.m1_wh);
    const Party& dc = w.P(w.d1_dc);
    c.row({"company", "1000", "", "", m1.name, m1.street, m1.city, m1.region, m1.country, m1.gln});
    c.row({"plant", "1000", werks, "", s1.name, s1.street, s1.city, s1.region, s1.country, s1.gln});
    c.row({"storage_location", "1000", werks, "1000", "Raw material store", s1.street, s1.city, s1.region, s1.country, ""});
    c.row({"storage_location", "1000", werks, "2000", "Cold store / DS freezer", s1.street, s1.city, s1.region, s1.country, ""});
    c.row({"storage_location", "1000", werks, "3000", wh.name, wh.street, wh.city, wh.region, wh.country, wh.gln});
    c.row({"storage_location", "1000", werks, "3PL1", "Consignment stock at " + dc.name, dc.street, dc.city, dc.region, dc.country, dc.gln});
    out.write("aurelian/erp/plants.csv", c.str(), c.rows());
  }
  {
    // handling units (SAP VEKP/VEPO): SSCCs of the M1 -> D1 deliveries
    Csv c({"EXIDV", "VBELN", "MATNR", "CHARG", "VEMNG", "VEMEH"});
    for (const auto& s : w.ships) {
      if (s.kind != "m1_d1") continue;
      const ShipLine& sl = s.lines[0];
      const Material& m = w.M(sl.mat);
      double per = static_cast<double>(m.case_qty * m.pallet_cases), left = sl.qty;
      for (const auto& sscc : s.ssccs) {
        double q = left < per ? left : per;
        left -= q;
        c.row({sscc, s.id, sl.mat, sl.lot, num(q), "EA"});
      }
    }
    out.write("aurelian/erp/handling_units.csv", c.str(), c.rows());
  }
  {
    Csv c({"ARBPL", "WERKS", "KTEXT", "EQUIPMENT_ID", "CAPACITY_PER_WEEK", "CAP_UNIT", "HOURS_PER_WEEK"});
    c.row({"USP-N1", werks, "N-1 seed bioreactor 500 L", "N1-101", "1", "BATCH", "168"});
    c.row({"USP-BR1", werks, "Production bioreactor 2000 L", "BR-201", "0.5", "BATCH", "168"});
    c.row({"USP-BR2", werks, "Production bioreactor 2000 L", "BR-202", "0.5", "BATCH", "168"});
    c.row({"DSP-PUR", werks, "Downstream purification train", "CHR-1", "2", "BATCH", "120"});
    c.row({"FF-FILL", werks, "Aseptic vial fill line", "FF-1", "24000", "EA", "120"});
    c.row({"FF-VI", werks, "Automated visual inspection", "VI-1", "30000", "EA", "120"});
    c.row({"FF-PACK", werks, "Serialised packaging line", "PK-S1", "30000", "EA", "80"});
    out.write("aurelian/erp/work_centers.csv", c.str(), c.rows());
  }
}

void qms(World& w, Out& out) {
  {
    Csv c({"id", "opened", "category", "batch_ids", "equipment_id", "description", "root_cause", "impact", "status", "closed"});
    for (const auto& d : w.devs)
      c.row({d.id, iso_date(d.opened), d.category, d.batch_ids, d.equipment, d.description, d.root_cause, d.impact, d.status,
             d.closed ? iso_date(d.closed) : ""});
    out.write("aurelian/qms/deviations.csv", c.str(), c.rows());
  }
  {
    Csv c({"id", "source_ids", "action", "owner", "due", "closed", "effective"});
    for (const auto& x : w.capas)
      c.row({x.id, x.sources, x.action, x.owner, iso_date(x.due), x.closed ? iso_date(x.closed) : "", x.effective});
    out.write("aurelian/qms/capa.csv", c.str(), c.rows());
  }
  {
    Csv c({"id", "received", "product_gtin", "lot", "customer_gln", "category", "description", "severity", "linked_deviation",
           "status"});
    for (const auto& x : w.complaints)
      c.row({x.id, iso_date(x.received), x.gtin, x.lot, x.customer_gln, x.category, x.description, x.severity, x.deviation,
             x.status});
    out.write("aurelian/qms/complaints.csv", c.str(), c.rows());
  }
  {
    Csv c({"id", "product", "lots", "class", "depth", "initiated", "reason"});
    for (const auto& x : w.recalls) c.row({x.id, x.product, x.lots, x.klass, x.depth, iso_date(x.initiated), x.reason});
    out.write("aurelian/qms/recalls.csv", c.str(), c.rows());
  }
  for (const auto& co : w.coas) {
    const Party& v = w.P(co.vendor);
    const Material& m = w.M(co.mat);
    std::string j = "{\n";
    j += "  \"supplier_gln\": " + json_str(v.gln) + ",\n";
    j += "  \"supplier_name\": " + json_str(v.name) + ",\n";
    j += "  \"material_gtin\": " + json_str(m.gtin) + ",\n";
    j += "  \"material\": " + json_str(m.desc) + ",\n";
    j += "  \"matnr\": " + json_str(m.id) + ",\n";
    j += "  \"supplier_lot\": " + json_str(co.supplier_lot) + ",\n";
    j += "  \"our_lot\": " + (co.our_lot.empty() ? std::string("null") : json_str(co.our_lot)) + ",\n";
    j += "  \"issued\": " + json_str(iso_date(co.issued)) + ",\n";
    j += "  \"signed_by\": " + json_str(co.signed_by) + ",\n";
    j += "  \"tests\": [\n";
    for (size_t i = 0; i < co.tests.size(); ++i) {
      const auto& t = co.tests[i];
      j += "    {\"test\": " + json_str(t.test) + ", \"method\": " + json_str(t.method) + ", \"result\": " + num(t.result) +
           ", \"unit\": " + json_str(t.unit) + ", \"lower\": " + num(t.lower) + ", \"upper\": " + num(t.upper) + "}" +
           (i + 1 < co.tests.size() ? ",\n" : "\n");
    }
    j += "  ]\n}\n";
    out.write("aurelian/qms/coa/" + co.file, j, 1);
  }
}

// ---------- B2MML V0700 ----------
std::string app_area(const std::string& sender, i64 t) {
  return "  <ApplicationArea>\n    <Sender>\n      <LogicalID>" + sender + "</LogicalID>\n    </Sender>\n    <CreationDateTime>" +
         iso_dt_frac(t) + "</CreationDateTime>\n  </ApplicationArea>\n";
}
std::string value(const std::string& ind, const std::string& tag, const std::string& v, const std::string& dt,
                  const std::string& uom) {
  return ind + "<" + tag + ">\n" + ind + "  <ValueString>" + xml_esc(v) + "</ValueString>\n" + ind + "  <DataType>" + dt +
         "</DataType>\n" + ind + "  <UnitOfMeasure>" + xml_esc(uom) + "</UnitOfMeasure>\n" + ind + "</" + tag + ">\n";
}
std::string prop(const std::string& ind, const std::string& el, const std::string& id, const std::string& v,
                 const std::string& dt, const std::string& uom) {
  return ind + "<" + el + ">\n" + ind + "  <ID>" + xml_esc(id) + "</ID>\n" + value(ind + "  ", "Value", v, dt, uom) + ind +
         "</" + el + ">\n";
}
std::string qty(const std::string& ind, double q, const std::string& uom) {
  return ind + "<Quantity>\n" + ind + "  <QuantityString>" + num(q) + "</QuantityString>\n" + ind +
         "  <DataType>decimal</DataType>\n" + ind + "  <UnitOfMeasure>" + uom + "</UnitOfMeasure>\n" + ind + "</Quantity>\n";
}

// The Enterprise-level HierarchyScope that names the organisation (the MES connector builds its
// https://data.{org}.example/ IRIs from it); `inner` is an optional nested scope (e.g. the site).
std::string enterprise_scope(const std::string& ind, const std::string& inner = "") {
  return ind + "<HierarchyScope>\n" + ind + "  <EquipmentID>AURELIAN</EquipmentID>\n" + ind +
         "  <EquipmentLevel>Enterprise</EquipmentLevel>\n" + inner + ind + "</HierarchyScope>\n";
}

struct Eq {
  std::string id, desc, level;
  std::vector<std::vector<std::string>> props;  // id, value, type, uom
  std::vector<Eq> kids;
};
void eq_xml(std::string& s, const Eq& e, const std::string& ind) {
  s += ind + "<Equipment>\n" + ind + "  <ID>" + e.id + "</ID>\n" + ind + "  <Description>" + xml_esc(e.desc) + "</Description>\n";
  // the enterprise names the organisation for the MES connector (its IRIs), as on materials and lots
  if (e.level == "Enterprise") s += enterprise_scope(ind + "  ");
  s += ind + "  <EquipmentLevel>\n" + ind + "    <EquipmentID>" + e.id + "</EquipmentID>\n" + ind +
       "    <EquipmentLevel>" + e.level + "</EquipmentLevel>\n" + ind + "  </EquipmentLevel>\n";
  for (const auto& p : e.props) s += prop(ind + "  ", "EquipmentProperty", p[0], p[1], p[2], p[3]);
  for (const auto& k : e.kids) eq_xml(s, k, ind + "  ");
  s += ind + "</Equipment>\n";
}
int eq_count(const Eq& e) {
  int n = 1;
  for (const auto& k : e.kids) n += eq_count(k);
  return n;
}

void mes(World& w, Out& out) {
  const std::string ns = "http://www.mesa.org/xml/B2MML";
  const std::string hdr = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const i64 master_t = ts(2025, 1, 2, 6);
  {
    auto U = [](const char* id, const char* d, std::vector<std::vector<std::string>> p = {}) {
      return Eq{id, d, "Unit", std::move(p), {}};
    };
    Eq ent{"AURELIAN", "Aurelian Biologics Inc.", "Enterprise", {}, {}};
    Eq site{"S1", "Holly Springs biologics plant", "Site", {{"GLN", w.P(w.m1_site).gln, "string", ""}, {"ERPPlant", "S100", "string", ""}}, {}};
    Eq usp{"USP", "Upstream processing", "Area", {}, {}};
    usp.kids.push_back({"USP-SEED", "Seed train", "ProcessCell", {}, {U("SEED-1", "Seed expansion rocking bioreactor 50 L"),
                                                                    U("N1-101", "N-1 seed bioreactor 500 L", {{"WorkingVolume", "500", "decimal", "L"}})}});
    usp.kids.push_back({"USP-PROD", "Production culture", "ProcessCell", {},
                        {U("BR-201", "Single-use production bioreactor 2000 L",
                           {{"WorkingVolume", "2000", "decimal", "L"}, {"CapacityPerWeek", "0.5", "decimal", "batch"}}),
                         U("BR-202", "Single-use production bioreactor 2000 L",
                           {{"WorkingVolume", "2000", "decimal", "L"}, {"CapacityPerWeek", "0.5", "decimal", "batch"}})}});
    Eq dsp{"DSP", "Downstream processing", "Area", {}, {}};
    dsp.kids.push_back({"DSP-PUR", "Purification", "ProcessCell", {},
                        {U("CF-1", "Disc-stack centrifuge and depth filtration"), U("CHR-1", "Protein A capture chromatography skid"),
                         U("VIN-1", "Low-pH viral inactivation vessel"), U("CHR-2", "Polishing chromatography skid (AEX/CEX)"),
                         U("UF-1", "Ultrafiltration / diafiltration skid"), U("FRZ-1", "Drug substance bag fill and controlled-rate freezer")}});
    Eq ff{"FF", "Fill-finish", "Area", {}, {}};
    ff.kids.push_back({"FF-FILL", "Aseptic filling", "ProcessCell", {},
                       {{"FF-1", "Aseptic vial fill line (isolator)", "ProductionLine", {{"CapacityPerWeek", "24000", "decimal", "vial"}}, {}},
                        U("VI-1", "Automated visual inspection machine", {{"CapacityPerWeek", "30000", "decimal", "vial"}})}});
    ff.kids.push_back({"FF-PACK", "Packaging", "ProcessCell", {},
                       {{"PK-S1", "Serialised carton packaging line", "ProductionLine", {{"CapacityPerWeek", "30000", "decimal", "carton"}}, {}}}});
    Eq wh{"WH", "Warehouse", "Area", {}, {}};
    wh.kids.push_back({"WH-COLD", "Cold storage", "ProcessCell", {},
                       {{"CR-101", "Cold room 2-8 C", "StorageZone", {{"TemperatureRange", "2-8", "string", "Cel"}}, {}},
                        {"FRZ-101", "Drug substance freezer -70 C", "StorageZone", {{"TemperatureRange", "-80--60", "string", "Cel"}}, {}}}});
    site.kids = {usp, dsp, ff, wh};
    ent.kids = {site};
    std::string s = hdr + "<SyncEquipment xmlns=\"" + ns + "\" releaseID=\"7.0\">\n" + app_area("AUR-MES", master_t) +
                    "  <DataArea>\n    <Sync/>\n";
    eq_xml(s, ent, "    ");
    s += "  </DataArea>\n</SyncEquipment>\n";
    out.write("aurelian/mes/equipment.xml", s, eq_count(ent));
  }
  {
    std::string s = hdr + "<SyncMaterialDefinition xmlns=\"" + ns + "\" releaseID=\"7.0\">\n" + app_area("AUR-MES", master_t) +
                    "  <DataArea>\n    <Sync/>\n";
    int n = 0;
    for (const auto& id : w.m1_mats) {
      const Material& m = w.M(id);
      s += "    <MaterialDefinition>\n      <ID>" + m.id + "</ID>\n      <Description>" + xml_esc(m.desc) + "</Description>\n";
      s += enterprise_scope("      ");
      s += prop("      ", "MaterialDefinitionProperty", "GTIN", m.gtin, "string", "");
      if (!m.ndc.empty()) s += prop("      ", "MaterialDefinitionProperty", "NDC", m.ndc, "string", "");
      s += prop("      ", "MaterialDefinitionProperty", "MaterialType", m.type, "string", "");
      s += prop("      ", "MaterialDefinitionProperty", "StorageCondition", m.storage, "string", "");
      s += prop("      ", "MaterialDefinitionProperty", "BaseUnitOfMeasure", m.uom, "string", "");
      s += "    </MaterialDefinition>\n";
      ++n;
    }
    s += "  </DataArea>\n</SyncMaterialDefinition>\n";
    out.write("aurelian/mes/materials.xml", s, n);
  }
  {
    std::string s = hdr + "<SyncMaterialLot xmlns=\"" + ns + "\" releaseID=\"7.0\">\n" + app_area("AUR-MES", ts(2025, 12, 31, 23)) +
                    "  <DataArea>\n    <Sync/>\n";
    int n = 0;
    for (const auto& ln : w.lot_order) {
      const Lot& l = w.lots.at(ln);
      if (l.org != "aurelian") continue;
      const Material& m = w.M(l.mat);
      std::string st = l.status == "Released" && l.release >= ts(2026, 1, 1) ? "Quarantine" : l.status;
      s += "    <MaterialLot>\n      <ID>" + xml_esc(l.lot) + "</ID>\n" + enterprise_scope("      ") +
           "      <MaterialDefinitionID>" + l.mat + "</MaterialDefinitionID>\n      <Status>" + st + "</Status>\n";
      s += prop("      ", "MaterialLotProperty", "GTIN", m.gtin, "string", "");
      s += prop("      ", "MaterialLotProperty", "ExpiryDate", iso_date(l.expiry), "date", "");
      s += prop("      ", "MaterialLotProperty", "ManufactureDate", iso_date(l.made), "date", "");
      s += prop("      ", "MaterialLotProperty", "Status", st, "string", "");
      if (l.purchased) {
        s += prop("      ", "MaterialLotProperty", "SupplierLot", l.vendor_lot, "string", "");
        s += prop("      ", "MaterialLotProperty", "SupplierGLN", w.P(l.vendor).gln, "string", "");
      }
      s += qty("      ", l.qty, l.uom);
      s += "    </MaterialLot>\n";
      ++n;
    }
    s += "  </DataArea>\n</SyncMaterialLot>\n";
    out.write("aurelian/mes/lots-2025.xml", s, n);
  }
  for (const auto& b : w.batches) {
    if (b.org != "aurelian") continue;
    std::string s = hdr + "<SyncOperationsPerformance xmlns=\"" + ns + "\" releaseID=\"7.0\">\n" + app_area("AUR-MES", b.end + kHour) +
                    "  <DataArea>\n    <Sync/>\n    <OperationsPerformance>\n      <ID>OP-" + b.id + "</ID>\n" +
                    "      <OperationsType>Production</OperationsType>\n      <StartTime>" + iso_dt(b.start) +
                    "</StartTime>\n      <EndTime>" + iso_dt(b.end) + "</EndTime>\n";
    s += "      <OperationsResponse>\n        <ID>" + b.id + "</ID>\n        <Description>" + xml_esc(w.M(b.mat).desc) +
         " batch " + b.id + "</Description>\n" +
         enterprise_scope("        ", "          <HierarchyScope>\n            <EquipmentID>S1</EquipmentID>\n"
                                    "            <EquipmentLevel>Site</EquipmentLevel>\n          </HierarchyScope>\n") +
         "        <OperationsType>Production</OperationsType>\n        <OperationsRequestID>" + b.order +
         "</OperationsRequestID>\n        <StartTime>" + iso_dt(b.start) + "</StartTime>\n        <EndTime>" + iso_dt(b.end) +
         "</EndTime>\n        <ResponseState>" + (b.aborted ? "Aborted" : "Completed") + "</ResponseState>\n";
    int recs = 1;
    for (size_t i = 0; i < b.phases.size(); ++i) {
      const Phase& ph = b.phases[i];
      const std::string ind = "          ";
      s += "        <SegmentResponse>\n" + ind + "<ID>" + b.id + "-" + pad(static_cast<i64>(i + 1), 2) + "</ID>\n" + ind +
           "<Description>" + ph.name + "</Description>\n" + ind + "<OperationsType>Production</OperationsType>\n" + ind +
           "<ProcessSegmentID>" + ph.name + "</ProcessSegmentID>\n" + ind + "<ActualStartTime>" + iso_dt(ph.start) +
           "</ActualStartTime>\n" + ind + "<ActualEndTime>" + iso_dt(ph.end) + "</ActualEndTime>\n" + ind + "<SegmentState>" +
           ((b.aborted && i + 1 == b.phases.size()) ? "Aborted" : "Completed") + "</SegmentState>\n";
      for (const auto& d : ph.data) {
        s += ind + "<SegmentData>\n" + ind + "  <ID>" + d[0] + "</ID>\n" + value(ind + "  ", "Value", d[1], d[2], d[3]) + ind +
             "</SegmentData>\n";
      }
      s += ind + "<EquipmentActual>\n" + ind + "  <EquipmentID>" + ph.equip + "</EquipmentID>\n" + ind +
           "  <EquipmentUse>Used</EquipmentUse>\n" + ind + "</EquipmentActual>\n";
      auto ma = [&](const Use& u, const char* use) {
        s += ind + "<MaterialActual>\n" + ind + "  <MaterialDefinitionID>" + u.mat + "</MaterialDefinitionID>\n" + ind +
             "  <MaterialLotID>" + xml_esc(u.lot) + "</MaterialLotID>\n" + ind + "  <MaterialUse>" + use + "</MaterialUse>\n" +
             qty(ind + "  ", u.qty, u.uom) + prop(ind + "  ", "MaterialActualProperty", "GTIN", w.M(u.mat).gtin, "string", "") +
             ind + "</MaterialActual>\n";
      };
      for (const auto& u : ph.consumed) ma(u, "Consumed");
      for (const auto& u : ph.produced) ma(u, "Produced");
      s += "        </SegmentResponse>\n";
      ++recs;
    }
    s += "      </OperationsResponse>\n    </OperationsPerformance>\n  </DataArea>\n</SyncOperationsPerformance>\n";
    out.write("aurelian/mes/performance/" + b.id + ".xml", s, recs);
  }
}

}  // namespace

// ---------- historian (shared with the other writers through this helper) ----------
void write_series(Out& out, const std::string& dir, std::vector<Sample>& samples) {
  std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
    if (a.t != b.t) return a.t < b.t;
    return a.tag < b.tag;
  });
  std::map<std::string, std::pair<std::string, i64>> files;
  for (const auto& s : samples) {
    std::string d = iso_date(s.t);
    std::string name = dir + "/timeseries_" + d.substr(0, 4) + d.substr(5, 2) + ".csv";
    auto& f = files[name];
    if (f.first.empty()) f.first = "tag,timestamp,value,quality\n";
    f.first += s.tag + "," + iso_dt_ms(s.t) + "," + fmt(s.v, s.decimals) + "," + s.quality + "\n";
    f.second++;
  }
  for (auto& [name, f] : files) out.write(name, f.first, f.second);
}

void write_tags(Out& out, const std::string& path, const std::vector<Tag>& tags) {
  Csv c({"tag", "description", "equipment_id", "property", "unit_ucum", "unit_unece", "sample_interval_s", "low", "high", "cpp_id"});
  for (const auto& t : tags)
    c.row({t.tag, t.description, t.equipment, t.property, t.ucum, t.unece, std::to_string(t.interval), t.low, t.high, t.cpp});
  out.write(path, c.str(), c.rows());
}

namespace {
void historian(World& w, Out& out) {
  Rng r(w.cfg.seed ^ 0xA11CE5ULL);
  std::vector<Tag> tags;
  for (const char* br : {"BR-201", "BR-202"}) {
    std::string b = br;
    tags.push_back({b + ".TT-001.PV", "Culture temperature", b, "temperature", "Cel", "CEL", 60, "35.5", "37.5", "CPP-TEMP-PROD"});
    tags.push_back({b + ".AT-002.PV", "Culture pH", b, "pH", "[pH]", "", 60, "6.80", "7.20", "CPP-PH-PROD"});
    tags.push_back({b + ".AT-003.PV", "Dissolved oxygen", b, "dissolved oxygen", "%", "P1", 60, "20", "60", "CPP-DO-PROD"});
    tags.push_back({b + ".SC-004.PV", "Agitator speed", b, "rotational speed", "/min", "RPM", 60, "80", "200", ""});
    tags.push_back({b + ".PT-005.PV", "Headspace pressure", b, "pressure", "bar", "BAR", 60, "0.10", "0.60", ""});
  }
  tags.push_back({"CR-101.TT-01.PV", "Cold room 2-8 C temperature", "CR-101", "temperature", "Cel", "CEL", 300, "2", "8", ""});
  tags.push_back({"FRZ-101.TT-01.PV", "Drug substance freezer temperature", "FRZ-101", "temperature", "Cel", "CEL", 300, "-80", "-60", ""});
  write_tags(out, "aurelian/historian/tags.csv", tags);

  std::vector<Sample> samples;
  Compressor cp{{}, &samples};
  const i64 hb = 10 * 60;
  for (const auto& bid : w.historian_batches) {
    const Batch* b = nullptr;
    for (const auto& x : w.batches)
      if (x.id == bid) b = &x;
    if (!b || b->phases.size() < 2) continue;
    const Phase& pc = b->phases[1];
    const std::string e = pc.equip;
    const i64 dur = pc.end - pc.start;
    bool exc = bid == w.excursion_batch;
    i64 exc_t = pc.start + 4 * kDay + 9 * kHour + 12 * 60;  // matches the deviation (world.cpp)
    Drift dt, dph, ddo, dag, dpr;
    for (i64 t = pc.start - (pc.start % 60) + 60; t <= pc.end; t += 60) {
      double f = static_cast<double>(t - pc.start) / static_cast<double>(dur > 0 ? dur : 1);
      double temp = dt.next(r, 36.5, 0.006, 0.01);
      if (exc && t >= exc_t - 10 * 60 && t < exc_t + 40 * 60) {
        // ramp above PAR 37.5 for 25 min, peak 38.3
        i64 k = (t - (exc_t - 10 * 60)) / 60;  // 0..49
        double peak = 38.3;
        if (k < 10) temp = 36.5 + (37.5 - 36.5) * k / 10.0;
        else if (k < 35) temp = 37.5 + (peak - 37.5) * (1.0 - ((k - 22) * (k - 22)) / 169.0) + 0.02;
        else temp = 37.5 - (37.5 - 36.5) * (k - 35) / 15.0;
      }
      double ph = dph.next(r, 7.02 - 0.12 * f, 0.001, 0.002);
      double dox = ddo.next(r, 40, 0.2, 0.3);
      double agit = dag.next(r, 110 + 60 * f, 0.05, 0.2);
      double pres = dpr.next(r, 0.35, 0.001, 0.001);
      if (bid == w.br_fail_batch && t >= w.br_fail_start) {
        double m = static_cast<double>(t - w.br_fail_start) / 60.0;
        agit = 0;
        dox = std::max(2.0, 40 - m * 0.6) + r.gauss() * 0.3;
        if (dox < 1) dox = 1;
      }
      const char* q = "Good";
      cp.add(e + ".TT-001.PV", t, temp, 2, 0.06, hb, q);
      cp.add(e + ".AT-002.PV", t, ph, 3, 0.01, hb, q);
      cp.add(e + ".AT-003.PV", t, dox, 1, 1.5, hb, q);
      cp.add(e + ".SC-004.PV", t, agit, 0, 2.0, hb, q);
      cp.add(e + ".PT-005.PV", t, pres, 3, 0.012, hb, q);
    }
    if (exc) {
      // the planted BR-201 excursion as written (planted.md): first recorded reading above the PAR,
      // first recorded reading back in range, highest reading (rounded as in the CSV)
      const std::string tag = e + ".TT-001.PV";
      for (const auto& smp : samples) {
        if (smp.tag != tag || smp.t < pc.start || smp.t > pc.end) continue;
        double v = std::stod(fmt(smp.v, smp.decimals));
        if (v > 37.5) {
          if (!w.br_exc_start) w.br_exc_start = smp.t;
          w.br_exc_max = std::max(w.br_exc_max, v);
        } else if (w.br_exc_start && !w.br_exc_end) {
          w.br_exc_end = smp.t;
        }
      }
    }
  }
  // cold room and freezer, 5 min nominal, 30 min heartbeat
  Drift cr, fz;
  for (i64 t = cold_from(w.cfg); t < cold_to(w.cfg); t += 300) {
    cp.add("CR-101.TT-01.PV", t, cr.next(r, 4.8, 0.04, 0.02), 1, 0.3, 30 * 60);
    cp.add("FRZ-101.TT-01.PV", t, fz.next(r, -70.5, 0.1, 0.05), 1, 1.0, 30 * 60);
  }
  write_series(out, "aurelian/historian", samples);
}
}  // namespace

void write_aurelian(World& w, Out& out) {
  int f0 = out.stats()->files;
  i64 r0 = out.stats()->records;
  erp(w, out);
  qms(w, out);
  mes(w, out);
  historian(w, out);
  std::printf("aurelian (M1 Aurelian Biologics): %d files, %lld records\n", out.stats()->files - f0,
              static_cast<long long>(out.stats()->records - r0));
}

}  // namespace pgen
