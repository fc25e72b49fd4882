// SPDX-License-Identifier: Apache-2.0
// Writers for D1 "Meridian Health Logistics": EPCIS 2.0 JSON-LD documents (one per day;
// M1 events shared with its 3PL and D1's own events), EPCIS 1.2 XML documents per M2
// shipment (SBDH + DSCSA transaction statement, like GS1_US_Pharma_Example_2_2_1_1.xml),
// the D1 cold-room historian, and planted.md (the ground truth of the storyline).
#include <algorithm>
#include <cstdio>

#include "gen.h"

namespace pgen {

namespace {

std::string num(double v) {
  if (v == static_cast<double>(static_cast<i64>(v))) return std::to_string(static_cast<i64>(v));
  std::string s = fmt(v, 3);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// ---------- tiny JSON builder (pretty, deterministic key order = insertion order) ----------
using JObj = std::vector<std::pair<std::string, std::string>>;  // key -> rendered value (with nested indentation marker)

class JB {
 public:
  // renders an object whose values are already-rendered JSON fragments
  static std::string obj(const JObj& o, int ind) {
    std::string pad(ind + 2, ' '), end(ind, ' ');
    std::string s = "{\n";
    for (size_t i = 0; i < o.size(); ++i) {
      s += pad + json_str(o[i].first) + ": " + o[i].second + (i + 1 < o.size() ? ",\n" : "\n");
    }
    return s + end + "}";
  }
  static std::string arr(const std::vector<std::string>& items, int ind) {
    if (items.empty()) return "[]";
    std::string pad(ind + 2, ' '), end(ind, ' ');
    std::string s = "[\n";
    for (size_t i = 0; i < items.size(); ++i) s += pad + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    return s + end + "]";
  }
  // string arrays (EPC lists) four to a line
  static std::string strs(const std::vector<std::string>& items, int ind) {
    if (items.empty()) return "[]";
    if (items.size() <= 2) {
      std::string s = "[";
      for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + json_str(items[i]);
      return s + "]";
    }
    std::string pad(ind + 2, ' '), end(ind, ' ');
    std::string s = "[\n";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i % 4 == 0) s += pad;
      s += json_str(items[i]);
      if (i + 1 < items.size()) s += (i % 4 == 3) ? ",\n" : ", ";
    }
    return s + "\n" + end + "]";
  }
};
std::string S(const std::string& s) { return json_str(s); }

struct Ev {
  i64 t = 0;        // event time (ordering)
  i64 doc_t = 0;    // capture day (document)
  int seq = 0;
  std::string json;  // rendered at indentation 6
};

class Epcis {
 public:
  Epcis(World& w) : w_(w), r_(w.cfg.seed ^ 0xE9C15ULL) {}
  std::string uuid() {
    u64 a = r_.next(), b = r_.next();
    char buf[64];
    std::snprintf(buf, sizeof buf, "urn:uuid:%08llx-%04llx-4%03llx-%04llx-%012llx", static_cast<unsigned long long>(a >> 32),
                  static_cast<unsigned long long>((a >> 16) & 0xffff), static_cast<unsigned long long>(a & 0xfff),
                  static_cast<unsigned long long>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
  }
  void add(i64 t, i64 doc_t, const std::string& json) { evs_.push_back({t, doc_t, seq_++, json}); }
  std::vector<Ev>& events() { return evs_; }
  Rng& rng() { return r_; }

 private:
  World& w_;
  Rng r_;
  std::vector<Ev> evs_;
  int seq_ = 0;
};

struct EvSpec {
  std::string type = "ObjectEvent";
  i64 t = 0;
  std::string tz;
  std::string id;
  std::string action;
  std::string biz_step, disposition;
  std::vector<std::string> epcs;
  std::vector<std::pair<std::string, double>> qty;  // epcClass, quantity
  std::string parent;
  std::vector<std::string> children;
  std::vector<std::pair<std::string, double>> child_qty;
  std::string read_point, biz_location;
  std::vector<std::pair<std::string, std::string>> biz_tx;  // type, id
  std::vector<std::pair<std::string, std::string>> sources, dests;  // type, GLN-sgln
  std::string ilmd_lot, ilmd_expiry;
  std::string sensors;  // rendered sensorElementList value or ""
  std::string error_decl;  // rendered errorDeclaration value or ""
};

std::string render(const EvSpec& e) {
  JObj o;
  o.push_back({"type", S(e.type)});
  o.push_back({"eventID", S(e.id)});
  o.push_back({"eventTime", S(iso_dt_ms(e.t))});
  o.push_back({"eventTimeZoneOffset", S(e.tz)});
  if (!e.error_decl.empty()) o.push_back({"errorDeclaration", e.error_decl});
  if (!e.parent.empty()) o.push_back({"parentID", S(e.parent)});
  if (e.type == "AggregationEvent") {
    o.push_back({"childEPCs", JB::strs(e.children, 8)});
    if (!e.child_qty.empty()) {
      std::vector<std::string> q;
      for (const auto& [c, n] : e.child_qty) q.push_back("{\"epcClass\": " + S(c) + ", \"quantity\": " + num(n) + "}");
      o.push_back({"childQuantityList", JB::arr(q, 8)});
    }
  } else {
    o.push_back({"epcList", JB::strs(e.epcs, 8)});
    if (!e.qty.empty()) {
      std::vector<std::string> q;
      for (const auto& [c, n] : e.qty) q.push_back("{\"epcClass\": " + S(c) + ", \"quantity\": " + num(n) + "}");
      o.push_back({"quantityList", JB::arr(q, 8)});
    }
  }
  o.push_back({"action", S(e.action)});
  if (!e.biz_step.empty()) o.push_back({"bizStep", S(e.biz_step)});
  if (!e.disposition.empty()) o.push_back({"disposition", S(e.disposition)});
  if (!e.read_point.empty()) o.push_back({"readPoint", "{\"id\": " + S(e.read_point) + "}"});
  if (!e.biz_location.empty()) o.push_back({"bizLocation", "{\"id\": " + S(e.biz_location) + "}"});
  if (!e.biz_tx.empty()) {
    std::vector<std::string> b;
    for (const auto& [ty, id] : e.biz_tx) b.push_back("{\"type\": " + S(ty) + ", \"bizTransaction\": " + S(id) + "}");
    o.push_back({"bizTransactionList", JB::arr(b, 8)});
  }
  if (!e.sources.empty()) {
    std::vector<std::string> b;
    for (const auto& [ty, id] : e.sources) b.push_back("{\"type\": " + S(ty) + ", \"source\": " + S(id) + "}");
    o.push_back({"sourceList", JB::arr(b, 8)});
  }
  if (!e.dests.empty()) {
    std::vector<std::string> b;
    for (const auto& [ty, id] : e.dests) b.push_back("{\"type\": " + S(ty) + ", \"destination\": " + S(id) + "}");
    o.push_back({"destinationList", JB::arr(b, 8)});
  }
  if (!e.sensors.empty()) o.push_back({"sensorElementList", e.sensors});
  if (!e.ilmd_lot.empty())
    o.push_back({"ilmd", "{\"cbvmda:lotNumber\": " + S(e.ilmd_lot) + ", \"cbvmda:itemExpirationDate\": " + S(e.ilmd_expiry) + "}"});
  return JB::obj(o, 6);
}

std::string bt(const std::string& gln, const std::string& id) { return "urn:epcglobal:cbv:bt:" + gln + ":" + id; }

std::string sensor_elems(const std::string& device, i64 start, i64 end, double mn, double mx, double mean, i64 exc_start,
                         i64 exc_end, double exc_max, double exc_min = 8.1) {
  std::vector<std::string> els;
  els.push_back("{\"sensorMetadata\": {\"startTime\": " + S(iso_dt_ms(start)) + ", \"endTime\": " + S(iso_dt_ms(end)) +
                ", \"deviceID\": " + S(device) + "}, \"sensorReport\": [{\"type\": \"Temperature\", \"minValue\": " + fmt(mn, 1) +
                ", \"maxValue\": " + fmt(mx, 1) + ", \"meanValue\": " + fmt(mean, 1) + ", \"uom\": \"CEL\"}]}");
  if (exc_end > exc_start)
    els.push_back("{\"sensorMetadata\": {\"startTime\": " + S(iso_dt_ms(exc_start)) + ", \"endTime\": " + S(iso_dt_ms(exc_end)) +
                  ", \"deviceID\": " + S(device) + ", \"bizRules\": \"https://data.aurelian.example/spec/storage-2-8C\"}, "
                  "\"sensorReport\": [{\"type\": \"Temperature\", \"exception\": \"ALARM_CONDITION\", \"minValue\": " +
                  fmt(exc_min, 1) + ", \"maxValue\": " + fmt(exc_max, 1) + ", \"uom\": \"CEL\", \"time\": " + S(iso_dt_ms(exc_start + (exc_end - exc_start) / 2)) + "}]}");
  return JB::arr(els, 8);
}

void json_docs(World& w, Out& out) {
  Epcis ep(w);
  const Party& m1 = w.P(w.m1);
  const Party& s1wh = w.P(w.m1_wh);
  const Party& s1 = w.P(w.m1_site);
  const Party& d1 = w.P(w.d1);
  const Party& dc = w.P(w.d1_dc);
  auto pty = [&](const Party& p) { return sgln_urn(p, "0"); };
  std::map<std::string, i64> commissioned;  // lot -> done
  std::map<std::string, double> sent_before_outage;
  for (const auto& s : w.ships)
    if (s.kind == "d1_disp" && s.shipped < w.outage_start)
      for (const auto& sl : s.lines) sent_before_outage[sl.lot] += sl.qty;

  auto lot_events_at_source = [&](const Shipment& s, const Lot& l, const Material& m) {
    // M1: commissioning + packing (cases, pallets) at S1 before shipping
    const std::string tz = tz_us_east(l.made);
    i64 t = l.made + 2 * kHour;
    if (l.serial) {
      EvSpec e;
      e.t = t;
      e.tz = tz;
      e.id = ep.uuid();
      e.action = "ADD";
      e.biz_step = "commissioning";
      e.disposition = "active";
      for (u64 i = 0; i < static_cast<u64>(l.qty); ++i) e.epcs.push_back(sgtin_urn(m, unit_serial(w, l, i)));
      e.read_point = sgln_urn(s1, "0");
      e.biz_location = sgln_urn(s1, "0");
      e.ilmd_lot = l.lot;
      e.ilmd_expiry = iso_date(l.expiry);
      ep.add(e.t, e.t, render(e));
      u64 ncases = (static_cast<u64>(l.qty) + m.case_qty - 1) / m.case_qty;
      EvSpec c = e;
      c.t = t + 600;
      c.id = ep.uuid();
      c.epcs.clear();
      for (u64 k = 0; k < ncases; ++k) c.epcs.push_back(sgtin_urn(m, case_serial(w, l, k), true));
      ep.add(c.t, c.t, render(c));
      for (u64 k = 0; k < ncases; ++k) {
        EvSpec a;
        a.type = "AggregationEvent";
        a.t = t + 1200 + static_cast<i64>(k) * 20;
        a.tz = tz;
        a.id = ep.uuid();
        a.action = "ADD";
        a.biz_step = "packing";
        a.disposition = "in_progress";
        a.parent = sgtin_urn(m, case_serial(w, l, k), true);
        for (u64 i = k * m.case_qty; i < std::min<u64>((k + 1) * m.case_qty, static_cast<u64>(l.qty)); ++i)
          a.children.push_back(sgtin_urn(m, unit_serial(w, l, i)));
        a.read_point = sgln_urn(s1, "0");
        a.biz_location = sgln_urn(s1, "0");
        ep.add(a.t, a.t, render(a));
      }
      // pallets: cases -> SSCC at the warehouse on the shipping day
      u64 k = 0;
      for (size_t p = 0; p < s.ssccs.size(); ++p) {
        EvSpec a;
        a.type = "AggregationEvent";
        a.t = s.shipped - 2 * kHour + static_cast<i64>(p) * 120;
        a.tz = tz_us_east(a.t);
        a.id = ep.uuid();
        a.action = "ADD";
        a.biz_step = "packing";
        a.disposition = "in_progress";
        a.parent = sscc_urn(s.ssccs[p], 6);
        for (u64 j = 0; j < static_cast<u64>(m.pallet_cases) && k < ncases; ++j, ++k)
          a.children.push_back(sgtin_urn(m, case_serial(w, l, k), true));
        a.read_point = sgln_urn(s1wh, "0");
        a.biz_location = sgln_urn(s1wh, "0");
        ep.add(a.t, a.t, render(a));
      }
    } else {
      EvSpec e;
      e.t = t;
      e.tz = tz;
      e.id = ep.uuid();
      e.action = "ADD";
      e.biz_step = "commissioning";
      e.disposition = "active";
      e.qty.push_back({lgtin_urn(m, l.lot), l.qty});
      e.read_point = sgln_urn(s1, "0");
      e.biz_location = sgln_urn(s1, "0");
      e.ilmd_lot = l.lot;
      e.ilmd_expiry = iso_date(l.expiry);
      ep.add(e.t, e.t, render(e));
      double left = l.qty;
      double per_pallet = static_cast<double>(m.case_qty * m.pallet_cases);
      for (size_t p = 0; p < s.ssccs.size(); ++p) {
        EvSpec a;
        a.type = "AggregationEvent";
        a.t = s.shipped - 2 * kHour + static_cast<i64>(p) * 120;
        a.tz = tz_us_east(a.t);
        a.id = ep.uuid();
        a.action = "ADD";
        a.biz_step = "packing";
        a.disposition = "in_progress";
        a.parent = sscc_urn(s.ssccs[p], 6);
        double q = std::min(left, per_pallet);
        left -= q;
        a.child_qty.push_back({lgtin_urn(m, l.lot), q});
        a.read_point = sgln_urn(s1wh, "0");
        a.biz_location = sgln_urn(s1wh, "0");
        ep.add(a.t, a.t, render(a));
      }
    }
  };

  for (const auto& s : w.ships) {
    if (s.kind == "m1_d1" || s.kind == "m2_d1") {
      bool m1goods = s.kind == "m1_d1";
      std::vector<std::string> ssccs;
      for (const auto& x : s.ssccs) ssccs.push_back(sscc_urn(x, 6));
      std::vector<std::pair<std::string, double>> lotq;  // lot-level contents
      for (const auto& sl : s.lines)
        if (!sl.serial) lotq.push_back({lgtin_urn(w.M(sl.mat), sl.lot), sl.qty});
      std::vector<std::pair<std::string, std::string>> src, dst;
      if (m1goods) {
        const ShipLine& sl = s.lines[0];
        lot_events_at_source(s, w.lots.at(sl.lot), w.M(sl.mat));
        EvSpec e;
        e.t = s.shipped;
        e.tz = tz_us_east(s.shipped);
        e.id = ep.uuid();
        e.action = "OBSERVE";
        e.biz_step = "shipping";
        e.disposition = "in_transit";
        e.epcs = ssccs;
        e.qty = lotq;
        e.read_point = sgln_urn(s1wh, "0");
        e.biz_tx = {{"po", bt(s.po_gln, s.po)}, {"desadv", bt(s.desadv_gln, s.id)}};
        src = {{"owning_party", pty(m1)}, {"possessing_party", pty(m1)}, {"location", sgln_urn(s1wh, "0")}};
        dst = {{"owning_party", pty(m1)}, {"possessing_party", pty(d1)}, {"location", sgln_urn(dc, "0")}};
        e.sources = src;
        e.dests = dst;
        ep.add(e.t, e.t, render(e));
      } else {
        src = {{"owning_party", sgln_urn(w.P(w.m2), "0")}, {"location", sgln_urn(w.P(w.m2_site), "0")}};
        dst = {{"owning_party", pty(d1)}, {"location", sgln_urn(dc, "0")}};
      }
      // D1 receiving (with the reefer logger read-out for cold goods)
      EvSpec rcv;
      rcv.t = s.received;
      rcv.tz = tz_us_east(s.received);
      rcv.id = ep.uuid();
      rcv.action = "OBSERVE";
      rcv.biz_step = "receiving";
      rcv.disposition = "in_progress";
      rcv.epcs = ssccs;
      rcv.qty = lotq;
      rcv.read_point = sgln_urn(dc, "DOCK");
      rcv.biz_location = sgln_urn(dc, "0");
      rcv.biz_tx = {{"po", bt(s.po_gln, s.po)}, {"desadv", bt(s.desadv_gln, s.id)}};
      rcv.sources = src;
      rcv.dests = dst;
      if (m1goods) {
        std::string dev = "urn:epc:id:giai:039999.7" + pad(static_cast<i64>(ep.rng().below(900)) + 100, 3);
        rcv.sensors = sensor_elems(dev, s.shipped - 30 * 60, s.received, s.trip_min, s.trip_max, s.trip_mean, s.exc_start,
                                   s.exc_end, s.exc_max);
      }
      ep.add(rcv.t, rcv.t, render(rcv));
      int li = 0;
      for (const auto& sl : s.lines) {
        const Lot& l = w.lots.at(sl.lot);
        const Material& m = w.M(sl.mat);
        std::string zone = l.zone.empty() ? (m1goods ? "CR1" : "AMB1") : l.zone;
        if (l.serial) {
          // unpack pallets and cases at D1 (units are picked individually)
          u64 ncases = (static_cast<u64>(sl.qty) + m.case_qty - 1) / m.case_qty;
          u64 k = 0;
          for (int p = sl.pal_first; p < sl.pal_first + sl.pal_count; ++p) {
            EvSpec a;
            a.type = "AggregationEvent";
            a.t = s.received + 1800 + static_cast<i64>(p) * 60;
            a.tz = tz_us_east(a.t);
            a.id = ep.uuid();
            a.action = "DELETE";
            a.biz_step = "unpacking";
            a.disposition = "in_progress";
            a.parent = ssccs[p];
            for (u64 j = 0; j < static_cast<u64>(m.pallet_cases) && k < ncases; ++j, ++k)
              a.children.push_back(sgtin_urn(m, case_serial(w, l, k), true));
            a.read_point = sgln_urn(dc, "DOCK");
            a.biz_location = sgln_urn(dc, "0");
            ep.add(a.t, a.t, render(a));
          }
          for (u64 c = 0; c < ncases; ++c) {
            EvSpec a;
            a.type = "AggregationEvent";
            a.t = s.received + 3600 + static_cast<i64>(c) * 15;
            a.tz = tz_us_east(a.t);
            a.id = ep.uuid();
            a.action = "DELETE";
            a.biz_step = "unpacking";
            a.disposition = "in_progress";
            a.parent = sgtin_urn(m, case_serial(w, l, c), true);
            for (u64 i = c * m.case_qty; i < std::min<u64>((c + 1) * m.case_qty, static_cast<u64>(sl.qty)); ++i)
              a.children.push_back(sgtin_urn(m, unit_serial(w, l, i)));
            a.read_point = sgln_urn(dc, zone);
            a.biz_location = sgln_urn(dc, zone);
            ep.add(a.t, a.t, render(a));
          }
        }
        EvSpec st;
        st.t = s.received + 2 * kHour + li * 60;
        st.tz = tz_us_east(st.t);
        st.id = ep.uuid();
        st.action = "OBSERVE";
        st.biz_step = "storing";
        st.disposition = "sellable_accessible";
        st.qty.push_back({lgtin_urn(m, l.lot), sl.qty});
        st.read_point = sgln_urn(dc, zone);
        st.biz_location = sgln_urn(dc, zone);
        ep.add(st.t, st.t, render(st));
        ++li;
      }
    } else if (s.kind == "d1_disp") {
      const Party& dp = w.P(w.dispensers[s.dispenser]);
      bool m1goods = s.org_goods == "aurelian";
      EvSpec e;
      e.t = s.shipped;
      e.tz = tz_us_east(s.shipped);
      e.id = ep.uuid();
      e.action = "OBSERVE";
      e.biz_step = "shipping";
      e.disposition = "in_transit";
      for (const auto& sl : s.lines) {
        const Lot& l = w.lots.at(sl.lot);
        const Material& m = w.M(sl.mat);
        if (sl.serial) {
          for (u64 i = 0; i < static_cast<u64>(sl.qty); ++i) e.epcs.push_back(sgtin_urn(m, unit_serial(w, l, sl.first + i)));
        } else {
          e.qty.push_back({lgtin_urn(m, sl.lot), sl.qty});
        }
      }
      e.read_point = sgln_urn(dc, "DOCK");
      e.biz_tx = {{"po", bt(s.po_gln, s.po)}, {"desadv", bt(s.desadv_gln, s.id)}};
      e.sources = {{"owning_party", m1goods ? pty(m1) : pty(d1)}, {"possessing_party", pty(d1)}, {"location", sgln_urn(dc, "0")}};
      e.dests = {{"owning_party", sgln_urn(dp, "0")}, {"possessing_party", sgln_urn(dp, "0")}, {"location", sgln_urn(dp, "0")}};
      if (s.misscan) {
        // captured with a wrong lot (mis-scanned label), declared erroneous two days later
        EvSpec bad = e;
        std::string wrong;
        for (const auto& ln : w.lot_order) {
          const Lot& x = w.lots.at(ln);
          if (x.mat == s.lines[0].mat && ln != s.lines[0].lot && x.d1_received > 0 && x.d1_received < s.shipped && !x.serial)
            wrong = ln;
        }
        if (!bad.qty.empty() && !wrong.empty()) bad.qty[0].first = lgtin_urn(w.M(s.lines[0].mat), wrong);
        ep.add(bad.t, bad.t, render(bad));
        EvSpec corr = e;
        corr.id = ep.uuid();
        i64 decl = s.shipped + 2 * kDay + 3 * kHour;
        EvSpec err = bad;
        err.error_decl = "{\"declarationTime\": " + S(iso_dt_ms(decl)) + ", \"reason\": \"incorrect_data\", \"correctiveEventIDs\": [" +
                         S(corr.id) + "]}";
        ep.add(decl, decl, render(err));
        ep.add(corr.t, decl, render(corr));
        w.planted.push_back("misscan|" + s.id + "|" + bad.id + "|" + corr.id + "|" + wrong + "|" + s.lines[0].lot + "|" +
                            iso_dt(decl));
      } else {
        ep.add(e.t, e.t, render(e));
      }
      if (s.excursion) {
        EvSpec rc;
        rc.t = s.received;
        rc.tz = tz_us_east(rc.t);
        rc.id = ep.uuid();
        rc.action = "OBSERVE";
        rc.biz_step = "receiving";
        rc.disposition = "in_progress";
        rc.epcs = e.epcs;
        rc.qty = e.qty;
        rc.read_point = sgln_urn(dp, "0");
        rc.biz_location = sgln_urn(dp, "0");
        rc.biz_tx = e.biz_tx;
        rc.sources = e.sources;
        rc.dests = e.dests;
        rc.sensors = sensor_elems("urn:epc:id:giai:039999.8" + pad(static_cast<i64>(ep.rng().below(900)) + 100, 3), s.shipped,
                                  s.received, s.trip_min, s.trip_max, s.trip_mean, s.exc_start, s.exc_end, s.exc_max);
        ep.add(rc.t, rc.t, render(rc));
      }
    }
  }
  // ---- recall lot: dispensing before the recall, decommissioning after, destruction at D1 ----
  {
    const Lot& rl = w.lots.at(w.recall_lot);
    const Material& m = w.M(rl.mat);
    for (const auto& rd : w.recall_dist) {
      const Party& dp = w.P(w.dispensers[rd.disp]);
      // dispensed units in up to 3 events between receipt and the recall
      int parts = 3;
      u64 done = 0;
      for (int p = 0; p < parts && done < rd.dispensed; ++p) {
        u64 n = (p + 1 == parts) ? rd.dispensed - done : rd.dispensed / parts;
        if (n == 0) continue;
        EvSpec e;
        e.t = rd.received + (w.recall_time - rd.received) * (p + 1) / (parts + 1);
        e.tz = tz_us_east(e.t);
        e.id = ep.uuid();
        e.action = "OBSERVE";
        e.biz_step = "dispensing";
        e.disposition = "dispensed";
        for (u64 i = 0; i < n; ++i) e.epcs.push_back(sgtin_urn(m, unit_serial(w, rl, rd.first + done + i)));
        e.read_point = sgln_urn(dp, "0");
        e.biz_location = sgln_urn(dp, "0");
        ep.add(e.t, e.t, render(e));
        done += n;
      }
      if (rd.count > rd.dispensed) {
        EvSpec e;
        e.t = w.recall_time + (1 + rd.disp % 4) * kDay + 2 * kHour;
        e.tz = tz_us_east(e.t);
        e.id = ep.uuid();
        e.action = "DELETE";
        e.biz_step = "decommissioning";
        e.disposition = "recalled";
        for (u64 i = rd.dispensed; i < rd.count; ++i) e.epcs.push_back(sgtin_urn(m, unit_serial(w, rl, rd.first + i)));
        e.read_point = sgln_urn(dp, "0");
        e.biz_location = sgln_urn(dp, "0");
        ep.add(e.t, e.t, render(e));
      }
    }
    if (w.recall_left_at_d1 > 0) {
      EvSpec h;
      h.t = w.recall_time + 2 * kHour;
      h.tz = tz_us_east(h.t);
      h.id = ep.uuid();
      h.action = "OBSERVE";
      h.biz_step = "holding";
      h.disposition = "recalled";
      for (u64 i = 0; i < w.recall_left_at_d1; ++i) h.epcs.push_back(sgtin_urn(m, unit_serial(w, rl, w.recall_left_at_d1_first + i)));
      h.read_point = sgln_urn(dc, rl.zone.empty() ? "CR1" : rl.zone);
      h.biz_location = h.read_point;
      ep.add(h.t, h.t, render(h));
      EvSpec d = h;
      d.t = w.recall_time + 9 * kDay;
      d.tz = tz_us_east(d.t);
      d.id = ep.uuid();
      d.action = "DELETE";
      d.biz_step = "destroying";
      d.disposition = "destroyed";
      ep.add(d.t, d.t, render(d));
    }
  }
  // ---- cold-room outage: lots in CR2 put on hold, released after M1 QA assessment ----
  {
    EvSpec h;
    h.t = w.outage_end + 30 * 60;
    h.tz = tz_us_east(h.t);
    h.id = ep.uuid();
    h.action = "OBSERVE";
    h.biz_step = "holding";
    h.disposition = "sellable_not_accessible";
    for (const auto& ln : w.outage_lots) {
      const Lot& l = w.lots.at(ln);
      double q = l.qty - sent_before_outage[ln];
      h.qty.push_back({lgtin_urn(w.M(l.mat), ln), q});
    }
    h.read_point = sgln_urn(dc, "CR2");
    h.biz_location = sgln_urn(dc, "CR2");
    // the alarm window of planted excursion #3 (derived from the CR2 probe values, world.cpp)
    const Excursion* x3 = nullptr;
    for (const auto& e : w.excursions)
      if (e.id == 3) x3 = &e;
    double x3_min = x3 ? x3->max_c : 0;
    if (x3)
      for (i64 t = x3->start; t < x3->end; t += 300) x3_min = std::min(x3_min, cr2_outage_temp(w, t));
    h.sensors = sensor_elems("urn:epc:id:giai:039999.900002", w.outage_start - kHour, w.outage_end + kOutageRecovery, 4.2, 10.9,
                             6.4, x3 ? x3->start : 0, x3 ? x3->end : 0, x3 ? x3->max_c : 0, x3_min);
    ep.add(h.t, h.t, render(h));
    EvSpec rel = h;
    rel.t = w.outage_end + 2 * kDay;
    rel.tz = tz_us_east(rel.t);
    rel.id = ep.uuid();
    rel.biz_step = "storing";
    rel.disposition = "sellable_accessible";
    rel.sensors.clear();
    ep.add(rel.t, rel.t, render(rel));
  }
  // ---- documents per capture day ----
  auto& evs = ep.events();
  std::stable_sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
    i64 da = a.doc_t / kDay, db = b.doc_t / kDay;
    if (da != db) return da < db;
    if (a.t != b.t) return a.t < b.t;
    return a.seq < b.seq;
  });
  size_t i = 0;
  while (i < evs.size()) {
    i64 day = evs[i].doc_t / kDay;
    size_t j = i;
    std::string body;
    while (j < evs.size() && evs[j].doc_t / kDay == day) {
      body += (j > i ? ",\n      " : "      ") + evs[j].json;
      ++j;
    }
    std::string date = iso_date(day * kDay);
    std::string doc = "{\n  \"@context\": [\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],\n"
                      "  \"id\": \"https://data.meridian.example/epcis/" + date + "\",\n"
                      "  \"type\": \"EPCISDocument\",\n  \"schemaVersion\": \"2.0\",\n  \"creationDate\": " +
                      S(iso_dt_ms(day * kDay + kDay - 60)) + ",\n  \"epcisBody\": {\n    \"eventList\": [\n" + body +
                      "\n    ]\n  }\n}\n";
    out.write("meridian/epcis/" + date + ".jsonld", doc, static_cast<i64>(j - i));
    i = j;
  }
}

// ---------- EPCIS 1.2 XML (M2 -> D1) ----------
void xml_docs(World& w, Out& out) {
  Rng r(w.cfg.seed ^ 0x12C1ULL);
  const Party& m2 = w.P(w.m2);
  const Party& s2 = w.P(w.m2_site);
  const Party& d1 = w.P(w.d1);
  const Party& dc = w.P(w.d1_dc);
  int n = 0;
  for (const auto& s : w.ships) {
    if (s.kind != "m2_d1") continue;
    std::vector<std::string> prods;
    for (const auto& sl : s.lines)
      if (std::find(prods.begin(), prods.end(), sl.mat) == prods.end()) prods.push_back(sl.mat);
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x += "<!-- Brightwater Pharma -> Meridian Health Logistics, shipment " + s.id + " (synthetic) -->\n";
    x += "<epcis:EPCISDocument xmlns:cbvmda=\"urn:epcglobal:cbv:mda\" "
         "xmlns:sbdh=\"http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader\" "
         "xmlns:gs1ushc=\"http://epcis.gs1us.org/hc/ns\" xmlns:epcis=\"urn:epcglobal:epcis:xsd:1\" schemaVersion=\"1.2\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" creationDate=\"" + iso_dt(s.shipped + 600) + "\">\n";
    x += "    <EPCISHeader>\n        <sbdh:StandardBusinessDocumentHeader>\n            <sbdh:HeaderVersion>1.0</sbdh:HeaderVersion>\n";
    x += "            <sbdh:Sender>\n                <sbdh:Identifier Authority=\"GS1\">" + sgln_urn(m2, "0") +
         "</sbdh:Identifier>\n            </sbdh:Sender>\n";
    x += "            <sbdh:Receiver>\n                <sbdh:Identifier Authority=\"GS1\">" + sgln_urn(d1, "0") +
         "</sbdh:Identifier>\n            </sbdh:Receiver>\n";
    x += "            <sbdh:DocumentIdentification>\n                <sbdh:Standard>EPCglobal</sbdh:Standard>\n"
         "                <sbdh:TypeVersion>1.0</sbdh:TypeVersion>\n                <sbdh:InstanceIdentifier>" + s.id +
         "</sbdh:InstanceIdentifier>\n                <sbdh:Type>Events</sbdh:Type>\n                <sbdh:CreationDateAndTime>" +
         iso_dt(s.shipped + 600) + "</sbdh:CreationDateAndTime>\n            </sbdh:DocumentIdentification>\n"
         "        </sbdh:StandardBusinessDocumentHeader>\n";
    x += "        <extension>\n            <EPCISMasterData>\n                <VocabularyList>\n"
         "                    <Vocabulary type=\"urn:epcglobal:epcis:vtype:EPCClass\">\n                        <VocabularyElementList>\n";
    for (const auto& pm : prods) {
    const Material& m = w.M(pm);
    bool p4 = m.id == "BW-40001";
    for (int lvl = 0; lvl < 2; ++lvl) {
      x += "                            <VocabularyElement id=\"urn:epc:idpat:sgtin:" + m.prefix + "." + (lvl ? "1" : "0") + m.itemref + ".*\">\n";
      auto attr = [&](const std::string& id, const std::string& v) {
        x += "                                <attribute id=\"urn:epcglobal:cbv:mda#" + id + "\">" + xml_esc(v) + "</attribute>\n";
      };
      attr("additionalTradeItemIdentification", m.ndc);
      attr("additionalTradeItemIdentificationTypeCode", "US_FDA_NDC");
      attr("regulatedProductName", p4 ? "Brimetrol" : "Brimetrol Oral Solution");
      attr("manufacturerOfTradeItemPartyName", m2.name);
      attr("dosageFormType", p4 ? "TABLET, FILM COATED" : "SOLUTION");
      attr("strengthDescription", p4 ? "50mg" : "5mg/mL");
      attr("netContentDescription", lvl ? (p4 ? "48 bottles of 30 tablets" : "24 bottles of 100 mL") : (p4 ? "30 tablets" : "100 mL"));
      x += "                            </VocabularyElement>\n";
    }
    }
    x += "                        </VocabularyElementList>\n                    </Vocabulary>\n"
         "                    <Vocabulary type=\"urn:epcglobal:epcis:vtype:Location\">\n                        <VocabularyElementList>\n";
    for (const Party* p : {&m2, &s2, &d1, &dc}) {
      x += "                            <VocabularyElement id=\"" + sgln_urn(*p, "0") + "\">\n";
      auto attr = [&](const std::string& id, const std::string& v) {
        x += "                                <attribute id=\"urn:epcglobal:cbv:mda#" + id + "\">" + xml_esc(v) + "</attribute>\n";
      };
      attr("name", p->name);
      attr("streetAddressOne", p->street);
      attr("city", p->city);
      attr("state", p->region);
      attr("postalCode", p->postal);
      attr("countryCode", p->country);
      x += "                            </VocabularyElement>\n";
    }
    x += "                        </VocabularyElementList>\n                    </Vocabulary>\n                </VocabularyList>\n"
         "            </EPCISMasterData>\n        </extension>\n";
    x += "        <gs1ushc:guidelineVersion>GS1 US DSCSA R1.3</gs1ushc:guidelineVersion>\n        <gs1ushc:dscsaTransactionStatement>\n"
         "            <gs1ushc:affirmTransactionStatement>true</gs1ushc:affirmTransactionStatement>\n"
         "            <gs1ushc:legalNotice>Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).</gs1ushc:legalNotice>\n"
         "        </gs1ushc:dscsaTransactionStatement>\n    </EPCISHeader>\n    <EPCISBody>\n        <EventList>\n";
    const std::string I = "                ";
    auto head = [&](i64 t) {
      return I + "<eventTime>" + iso_dt(t) + "</eventTime>\n" + I + "<eventTimeZoneOffset>" + tz_ireland(t) + "</eventTimeZoneOffset>\n";
    };
    auto loc = [&](const std::string& rp, const std::string& bl) {
      std::string s2x = I + "<readPoint>\n" + I + "    <id>" + rp + "</id>\n" + I + "</readPoint>\n";
      if (!bl.empty()) s2x += I + "<bizLocation>\n" + I + "    <id>" + bl + "</id>\n" + I + "</bizLocation>\n";
      return s2x;
    };
    const std::string site = sgln_urn(s2, "0");
    i64 events = 0;
    for (const auto& sl : s.lines) {
    const Lot& l = w.lots.at(sl.lot);
    const Material& m = w.M(sl.mat);
    i64 t = l.made + 2 * kHour;
    u64 nunits = static_cast<u64>(sl.qty);
    u64 ncases = nunits / m.case_qty;
    // E1 commissioning
    x += "            <!-- commissioning of lot " + l.lot + " -->\n            <ObjectEvent>\n" + head(t) + I + "<epcList>\n";
    if (l.serial)
      for (u64 i = 0; i < nunits; ++i) x += I + "    <epc>" + sgtin_urn(m, unit_serial(w, l, i)) + "</epc>\n";
    x += I + "</epcList>\n" + I + "<action>ADD</action>\n" + I + "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\n" + I +
         "<disposition>urn:epcglobal:cbv:disp:active</disposition>\n" + loc(site, site) + I + "<extension>\n";
    if (!l.serial)
      x += I + "    <quantityList>\n" + I + "        <quantityElement>\n" + I + "            <epcClass>" + lgtin_urn(m, l.lot) +
           "</epcClass>\n" + I + "            <quantity>" + num(sl.qty) + "</quantity>\n" + I + "        </quantityElement>\n" + I +
           "    </quantityList>\n";
    x += I + "    <ilmd>\n" + I + "        <cbvmda:lotNumber>" + l.lot + "</cbvmda:lotNumber>\n" + I +
         "        <cbvmda:itemExpirationDate>" + iso_date(l.expiry) + "</cbvmda:itemExpirationDate>\n" + I + "    </ilmd>\n" + I +
         "</extension>\n            </ObjectEvent>\n";
    ++events;
    if (l.serial) {
      x += "            <ObjectEvent>\n" + head(t + 600) + I + "<epcList>\n";
      for (u64 k = 0; k < ncases; ++k) x += I + "    <epc>" + sgtin_urn(m, case_serial(w, l, k), true) + "</epc>\n";
      x += I + "</epcList>\n" + I + "<action>ADD</action>\n" + I + "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\n" + I +
           "<disposition>urn:epcglobal:cbv:disp:active</disposition>\n" + loc(site, site) + I + "<extension>\n" + I + "    <ilmd>\n" + I +
           "        <cbvmda:lotNumber>" + l.lot + "</cbvmda:lotNumber>\n" + I + "        <cbvmda:itemExpirationDate>" +
           iso_date(l.expiry) + "</cbvmda:itemExpirationDate>\n" + I + "    </ilmd>\n" + I + "</extension>\n            </ObjectEvent>\n";
      ++events;
      for (u64 k = 0; k < ncases; ++k) {
        x += "            <AggregationEvent>\n" + head(t + 1200 + static_cast<i64>(k) * 20) + I + "<parentID>" +
             sgtin_urn(m, case_serial(w, l, k), true) + "</parentID>\n" + I + "<childEPCs>\n";
        for (u64 i = k * m.case_qty; i < (k + 1) * m.case_qty; ++i) x += I + "    <epc>" + sgtin_urn(m, unit_serial(w, l, i)) + "</epc>\n";
        x += I + "</childEPCs>\n" + I + "<action>ADD</action>\n" + I + "<bizStep>urn:epcglobal:cbv:bizstep:packing</bizStep>\n" + I +
             "<disposition>urn:epcglobal:cbv:disp:in_progress</disposition>\n" + loc(site, site) + "            </AggregationEvent>\n";
        ++events;
      }
    }
    // pallets
    u64 k = 0;
    double left = sl.qty;
    for (int p = sl.pal_first; p < sl.pal_first + sl.pal_count; ++p) {
      x += "            <AggregationEvent>\n" + head(s.shipped - 2 * kHour + static_cast<i64>(p) * 120) + I + "<parentID>" +
           sscc_urn(s.ssccs[p], 6) + "</parentID>\n" + I + "<childEPCs>\n";
      if (l.serial)
        for (u64 j = 0; j < static_cast<u64>(m.pallet_cases) && k < ncases; ++j, ++k)
          x += I + "    <epc>" + sgtin_urn(m, case_serial(w, l, k), true) + "</epc>\n";
      x += I + "</childEPCs>\n" + I + "<action>ADD</action>\n" + I + "<bizStep>urn:epcglobal:cbv:bizstep:packing</bizStep>\n" + I +
           "<disposition>urn:epcglobal:cbv:disp:in_progress</disposition>\n" + loc(site, site);
      if (!l.serial) {
        double q = std::min(left, static_cast<double>(m.case_qty * m.pallet_cases));
        left -= q;
        x += I + "<extension>\n" + I + "    <childQuantityList>\n" + I + "        <quantityElement>\n" + I + "            <epcClass>" +
             lgtin_urn(m, l.lot) + "</epcClass>\n" + I + "            <quantity>" + num(q) + "</quantity>\n" + I +
             "        </quantityElement>\n" + I + "    </childQuantityList>\n" + I + "</extension>\n";
      }
      x += "            </AggregationEvent>\n";
      ++events;
    }
    }
    // shipping
    x += "            <!-- shipping: ownership passes from Brightwater to Meridian (DSCSA transaction) -->\n            <ObjectEvent>\n" +
         head(s.shipped) + I + "<epcList>\n";
    for (const auto& sc : s.ssccs) x += I + "    <epc>" + sscc_urn(sc, 6) + "</epc>\n";
    x += I + "</epcList>\n" + I + "<action>OBSERVE</action>\n" + I + "<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>\n" + I +
         "<disposition>urn:epcglobal:cbv:disp:in_transit</disposition>\n" + loc(site, "") + I + "<bizTransactionList>\n" + I +
         "    <bizTransaction type=\"urn:epcglobal:cbv:btt:po\">" + bt(s.po_gln, s.po) + "</bizTransaction>\n" + I +
         "    <bizTransaction type=\"urn:epcglobal:cbv:btt:desadv\">" + bt(s.desadv_gln, s.id) + "</bizTransaction>\n" + I +
         "</bizTransactionList>\n" + I + "<extension>\n";
    {
      std::string ql;
      for (const auto& sl : s.lines)
        if (!sl.serial)
          ql += I + "        <quantityElement>\n" + I + "            <epcClass>" + lgtin_urn(w.M(sl.mat), sl.lot) + "</epcClass>\n" + I +
                "            <quantity>" + num(sl.qty) + "</quantity>\n" + I + "        </quantityElement>\n";
      if (!ql.empty()) x += I + "    <quantityList>\n" + ql + I + "    </quantityList>\n";
    }
    x += I + "    <sourceList>\n" + I + "        <source type=\"urn:epcglobal:cbv:sdt:owning_party\">" + sgln_urn(m2, "0") + "</source>\n" +
         I + "        <source type=\"urn:epcglobal:cbv:sdt:location\">" + site + "</source>\n" + I + "    </sourceList>\n" + I +
         "    <destinationList>\n" + I + "        <destination type=\"urn:epcglobal:cbv:sdt:owning_party\">" + sgln_urn(d1, "0") +
         "</destination>\n" + I + "        <destination type=\"urn:epcglobal:cbv:sdt:location\">" + sgln_urn(dc, "0") + "</destination>\n" +
         I + "    </destinationList>\n" + I + "</extension>\n" + I + "<gs1ushc:dropShipment>false</gs1ushc:dropShipment>\n            </ObjectEvent>\n";
    ++events;
    x += "        </EventList>\n    </EPCISBody>\n</epcis:EPCISDocument>\n";
    out.write("meridian/epcis-xml/" + s.id + ".xml", x, events);
    ++n;
  }
  (void)r;
}

void historian(World& w, Out& out) {
  Rng r(w.cfg.seed ^ 0xD1D1ULL);
  std::vector<Tag> tags = {
      {"D1-CR1.TT-01.PV", "Cold room CR1 (2-8 C) probe", "D1-CR1", "temperature", "Cel", "CEL", 300, "2", "8", ""},
      {"D1-CR2.TT-01.PV", "Cold room CR2 (2-8 C) probe", "D1-CR2", "temperature", "Cel", "CEL", 300, "2", "8", ""},
      {"D1-AMB1.TT-01.PV", "Ambient zone AMB1 (15-25 C) probe", "D1-AMB1", "temperature", "Cel", "CEL", 300, "15", "25", ""},
  };
  write_tags(out, "meridian/historian/tags.csv", tags);
  std::vector<Sample> samples;
  Compressor cp{{}, &samples};
  Drift d_cr1, d_cr2, d_amb;
  for (i64 t = cold_from(w.cfg); t < cold_to(w.cfg); t += 300) {
    cp.add("D1-CR1.TT-01.PV", t, d_cr1.next(r, 5.0, 0.04, 0.02), 1, 0.3, 30 * 60);
    double cr2 = d_cr2.next(r, 4.9, 0.04, 0.02);
    const char* q = "Good";
    if (t >= w.outage_start && t < w.outage_end + kOutageRecovery) {
      cr2 = cr2_outage_temp(w, t);  // every sample written (the planted excursion #3 is derived from these)
      cp.add("D1-CR2.TT-01.PV", t, cr2, 1, 0.0, 0, q);
    } else {
      cp.add("D1-CR2.TT-01.PV", t, cr2, 1, 0.3, 30 * 60, q);
    }
    cp.add("D1-AMB1.TT-01.PV", t, d_amb.next(r, 20.5, 0.08, 0.03), 1, 0.5, 30 * 60);
  }
  write_series(out, "meridian/historian", samples);
}

}  // namespace

void write_meridian(World& w, Out& out) {
  int f0 = out.stats()->files;
  i64 r0 = out.stats()->records;
  json_docs(w, out);
  xml_docs(w, out);
  historian(w, out);
  std::printf("meridian (D1 Meridian Health Logistics): %d files, %lld records\n", out.stats()->files - f0,
              static_cast<long long>(out.stats()->records - r0));
}

// ---------- planted.md ----------
void write_planted(World& w, Out& out) {
  const std::string P2 = pad_str("200101", 18);
  std::string s;
  s += "# pharma-network: planted storyline events (ground truth)\n\n";
  s += "Generated by `weft_pharma_gen --profile " + w.cfg.profile + " --seed " + std::to_string(w.cfg.seed) +
       "`. Every identifier below is in the generated files; other seeds give other values.\n\n";
  s += "## Parties\n\n| role | name | GLN |\n|---|---|---|\n";
  for (const char* k : {"M1", "S1", "S1WH", "M2", "S2", "D1", "D1DC"}) {
    const Party& p = w.P(k);
    s += std::string("| ") + k + " | " + p.name + " | " + p.gln + " |\n";
  }
  s += "\nProducts:\n\n| id | MATNR / item | GTIN | case GTIN | NDC |\n|---|---|---|---|---|\n";
  for (const auto& [id, m] : w.mats)
    if (!m.short_name.empty()) s += "| " + m.short_name + " | " + m.id + " | " + m.gtin + " | " + m.case_gtin + " | " + m.ndc + " |\n";

  // 1 recall
  const Lot& rl = w.lots.at(w.recall_lot);
  std::set<int> disp;
  u64 dispensed = 0, decom = 0, shipped = 0;
  for (const auto& rd : w.recall_dist) {
    disp.insert(rd.disp);
    dispensed += rd.dispensed;
    decom += rd.count - rd.dispensed;
    shipped += rd.count;
  }
  s += "\n## 1. Recall\n\n";
  s += "Recall `RCL-25-001` (class II, depth retail) initiated " + iso_dt(w.recall_time) + " for P2 lot **" + rl.lot + "** (GTIN " +
       w.M(rl.mat).gtin + ", made " + iso_date(rl.made) + ", " + num(rl.qty) + " vials, serialised in EPCIS). Cause: particulate "
       "matter (stopper fragments); the lot consumed 20 mm stopper lots from the vendor's new site (vendor lot code with `B`).\n\n";
  s += "- D1 shipped " + std::to_string(shipped) + " units of the lot to **" + std::to_string(disp.size()) + " dispensers** before the recall; " +
       std::to_string(dispensed) + " units were dispensed to patients before the recall, " + std::to_string(decom) +
       " were decommissioned (disposition recalled) at the dispensers, " + std::to_string(w.recall_left_at_d1) +
       " still at D1 were held (recalled) and destroyed.\n";
  s += "- Stopper lots consumed by the lot: ";
  for (const auto& b : w.batches)
    if (b.id == rl.lot)
      for (const auto& ph : b.phases)
        for (const auto& u : ph.consumed)
          if (u.mat == pad_str("500033", 18)) s += "`" + u.lot + "` (vendor lot " + w.lots.at(u.lot).vendor_lot + ") ";
  s += "\n- Drug-substance lots pooled into it: ";
  for (const auto& b : w.batches)
    if (b.id == rl.lot)
      for (const auto& ph : b.phases)
        for (const auto& u : ph.consumed)
          if (u.mat == pad_str("100101", 18)) s += "`" + u.lot + "` ";
  s += "\n\n| dispenser | GLN | units received | dispensed before recall | decommissioned | delivery |\n|---|---|---|---|---|---|\n";
  for (const auto& rd : w.recall_dist) {
    const Party& p = w.P(w.dispensers[rd.disp]);
    s += "| " + p.name + " | " + p.gln + " | " + std::to_string(rd.count) + " | " + std::to_string(rd.dispensed) + " | " +
         std::to_string(rd.count - rd.dispensed) + " | " + rd.ship + " |\n";
  }
  s += "\nComplaints (`aurelian/qms/complaints.csv`):\n\n| id | received | lot | customer GLN | category |\n|---|---|---|---|---|\n";
  for (const auto& c : w.complaints) s += "| " + c.id + " | " + iso_date(c.received) + " | " + c.lot + " | " + c.customer_gln + " | " + c.category + " |\n";

  // 2 OOS
  s += "\n## 2. OOS results (M2, `brightwater-erp.sqlite` table qc_result)\n\n| sample | lot | test | result | limits | pass_fail | status |\n|---|---|---|---|---|---|---|\n";
  for (const auto& q : w.qc)
    if (q.org == "brightwater" && ((q.lot == "BT25-0047" && q.test == "Dissolution Q30min") ||
                                   (q.lot == "BT25-0090" && q.test == "Assay (HPLC)") || (q.lot == "BS25-0021" && q.test == "pH")))
      s += "| " + q.sample + " | " + q.lot + " | " + q.test + " | " + num(q.result) + " | " + (q.has_lower ? num(q.lower) : "") + "–" +
           (q.has_upper ? num(q.upper) : "") + " | " + (q.valuation == "A" ? "pass" : "fail") + " | " + q.status + " |\n";
  s += "\n- Confirmed OOS: P4 batch **BT25-0047** dissolution (original and confirmation test fail) → lot status `rejected`, never shipped.\n"
       "- Invalidated OOS (lab error) with passing retest: **BT25-0090** assay, **BS25-0021** pH; both lots released.\n";

  // 3 CoA disagreement
  const Lot& cl = w.lots.at(w.coa_lot);
  s += "\n## 3. CoA disagreement\n\nMedium (MATNR 000000000000500001) lot **" + cl.lot + "**, vendor " + w.P(cl.vendor).name + " (GLN " +
       w.P(cl.vendor).gln + "), vendor lot **" + cl.vendor_lot + "**: supplier CoA `aurelian/qms/coa/" + cl.coa_file +
       "` osmolality 309 mOsm/kg (in spec 280–320); in-house test in `inspection_results.csv` 327 mOsm/kg, valuation R, usage "
       "decision R; lot ZUSTD BLOCKED, never consumed.\n";

  // 4 cold chain
  s += "\n## 4. Cold-chain excursions (limit 2–8 °C)\n\n| # | where | custodian | owner | start | end | minutes | max °C | lots | reference |\n|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& e : w.excursions) {
    std::string lots;
    for (const auto& l : e.lots) lots += (lots.empty() ? "" : ", ") + l;
    s += "| " + std::to_string(e.id) + " | " + e.where + " | " + e.custodian + " | " + e.owner + " | " + iso_dt(e.start) + " | " +
         iso_dt(e.end) + " | " + std::to_string((e.end - e.start) / 60) + " | " + fmt(e.max_c, 1) + " | " + lots + " | " + e.ref + " |\n";
  }
  s += "\nIn EPCIS: #1/#2 on D1's `receiving` events of the M1 shipments (sensorElementList, `ALARM_CONDITION`), #4 on the "
       "dispenser's `receiving` event, #3 on a `holding` event at `urn:epc:id:sgln:039999.000010.CR2` (lots released again two days "
       "later with a `storing` event) and in `meridian/historian` tag `D1-CR2.TT-01.PV` (power outage " + iso_dt(w.outage_start) +
       " – " + iso_dt(w.outage_end) + ", " + std::to_string((w.outage_end - w.outage_start) / 60) +
       " min; #3's start is the first 5-min reading above 8 °C, its end the first reading back in range, its max the highest "
       "reading).\n";

  // 5 supplier interruption
  s += "\n## 5. Supplier interruption and switch to backup\n\nCellvanta Media GmbH (V1, LIFNR 0000100001, primary in `source_list.csv`) "
       "could not deliver CDM-4 medium from " + iso_date(w.v1_int_start) + " to " + iso_date(w.v1_int_end) +
       " (6 weeks). NorthBay Bioprocess (V2, LIFNR 0000100002, backup) covered.\n\n| PO | vendor | ordered | due (EINDT) | received | lot |\n|---|---|---|---|---|---|\n";
  for (const auto& po : w.pos)
    if (po.mat == pad_str("500001", 18) && po.due >= w.v1_int_start - 28 * kDay && po.due <= w.v1_int_end + 35 * kDay)
      s += "| " + po.no + " | " + w.P(po.vendor).name + " | " + iso_date(po.ordered) + " | " + iso_date(po.due) + " | " + iso_date(po.received) +
           " | " + po.lot + " |\n";
  s += "\nP1 batches that consumed V2 medium:\n\n";
  for (const auto& b : w.batches) {
    bool v2 = false;
    for (const auto& ph : b.phases)
      for (const auto& u : ph.consumed)
        if (u.mat == pad_str("500001", 18) && w.lots.at(u.lot).vendor == "0000100002") v2 = true;
    if (v2) s += "- " + b.id + " (order " + b.order + ")\n";
  }

  // 6 demand spike
  s += "\n## 6. Demand spike (P2, Q4 +40 %)\n\nDemand of every dispenser for P2 is 1.4× from 2025-10-01; M1 scheduled more P2 lots from "
       "mid-September. Units of P2 shipped D1 → dispensers (EPCIS shipping events / M1 goods movements 601):\n\n| month | P2 units | P3 units |\n|---|---|---|\n";
  std::map<int, std::pair<double, double>> per_month;
  for (const auto& sh : w.ships)
    if (sh.kind == "d1_disp")
      for (const auto& sl : sh.lines) {
        if (sl.mat == P2) per_month[month_of(sh.shipped)].first += sl.qty;
        if (sl.mat == pad_str("200201", 18)) per_month[month_of(sh.shipped)].second += sl.qty;
      }
  for (const auto& [mo, v] : per_month) s += "| 2025-" + pad(mo, 2) + " | " + num(v.first) + " | " + num(v.second) + " |\n";
  double q3 = 0, q4 = 0;
  for (const auto& [mo, v] : per_month) {
    if (mo >= 7 && mo <= 9) q3 += v.first;
    if (mo >= 10) q4 += v.first;
  }
  s += "\nQ3 P2 units: " + num(q3) + "; Q4 P2 units: " + num(q4) + ".\n";

  // 7 equipment
  s += "\n## 7. Bioreactor failure and TP-02 micro-stops\n\n";
  s += "- **BR-202** agitator drive failure at " + iso_dt(w.br_fail_start) + " during production culture of batch **" + w.br_fail_batch +
       "**; culture terminated (MES ResponseState Aborted, process order TECO without a lot), BR-202 out of service until " +
       iso_dt(w.br_fail_end) + " (3 days). Historian: `BR-202.SC-004.PV` drops to 0, `BR-202.AT-003.PV` falls.\n";
  if (w.br_exc_end > w.br_exc_start)
    s += "- **BR-201** temperature above PAR (37.5 °C) for " + std::to_string((w.br_exc_end - w.br_exc_start) / 60) + " min (" +
         iso_dt(w.br_exc_start) + " – " + iso_dt(w.br_exc_end) + ": first reading above 37.5 °C to first reading back in range), "
         "max " + fmt(w.br_exc_max, 2) + " °C, in batch **" + w.excursion_batch + "** (tag `BR-201.TT-001.PV`; the deviation "
         "below reports it rounded). Historian batches in this profile: ";
  else
    s += "- **BR-201** temperature above PAR (37.5 °C) in batch **" + w.excursion_batch +
         "** (deviation below; the batch is not in this profile's historian). Historian batches in this profile: ";
  for (const auto& b : w.historian_batches) s += "`" + b + "` ";
  s += "\n- **TP-02** micro-stops (`TP-02.STATE` = 3 for 2–8 min, speed 0, while a compression phase runs) every week; " + std::to_string(w.tp02_stops.size()) +
       " stops in 2025, all inside TP-02 compression runs (first run of each week). Historian window in this profile: " +
       iso_date(w.tp_from) + " – " + iso_date(w.tp_to - kDay) + ".\n\n| week start | stops | minutes |\n|---|---|---|\n";
  std::map<i64, std::pair<int, int>> wk;
  for (const auto& st : w.tp02_stops)
    if (st.start >= w.tp_from && st.start < w.tp_to) {
      auto& v = wk[(st.start / kDay - 4) / 7];
      v.first++;
      v.second += st.minutes;
    }
  for (const auto& [k, v] : wk) s += "| " + iso_date((k * 7 + 4) * kDay) + " | " + std::to_string(v.first) + " | " + std::to_string(v.second) + " |\n";

  // 8 QMS state at year end
  s += "\n## 8. Deviations and CAPAs at year end (2025-12-31)\n\n| deviation | opened | category | batches | status |\n|---|---|---|---|---|\n";
  for (const auto& d : w.devs)
    s += "| " + d.id + " | " + iso_date(d.opened) + " | " + d.category + " | " + d.batch_ids + " | " + d.status + " |\n";
  int open = 0;
  for (const auto& d : w.devs) open += d.status == "open";
  s += "\nOpen deviations at year end: " + std::to_string(open) + ".\n\n| CAPA | sources | due | closed | overdue at 2025-12-31 |\n|---|---|---|---|---|\n";
  for (const auto& c : w.capas) {
    bool overdue = !c.closed && c.due < ts(2025, 12, 31);
    s += "| " + c.id + " | " + c.sources + " | " + iso_date(c.due) + " | " + (c.closed ? iso_date(c.closed) : "") + " | " +
         (overdue ? "**yes**" : "no") + " |\n";
  }

  // 9 error declaration
  for (const auto& p : w.planted)
    if (p.rfind("misscan|", 0) == 0) {
      std::vector<std::string> f;
      size_t a = 0, b;
      while ((b = p.find('|', a)) != std::string::npos) {
        f.push_back(p.substr(a, b - a));
        a = b + 1;
      }
      f.push_back(p.substr(a));
      s += "\n## 9. Error declaration\n\nD1 delivery **" + f[1] + "** was captured with lot `" + f[4] + "` instead of `" + f[5] +
           "` (event `" + f[2] + "`); on " + f[6] + " D1 re-sent the event with `errorDeclaration` (reason `incorrect_data`) and "
           "the corrective event `" + f[3] + "`.\n";
    }

  // 10 capacities and lead times
  s += "\n## 10. Capacities, lead times, suppliers\n\n- Capacities: `aurelian/erp/work_centers.csv` (CAPACITY_PER_WEEK), "
       "B2MML `CapacityPerWeek` equipment properties (both MES).\n- Lead times: M1 `purchase_orders.csv` EINDT − BEDAT and "
       "`source_list.csv` PLIFZ_DAYS; M2 `approved_supplier.lead_time_days`.\n- Primary/backup: M1 `source_list.csv` FLIFN; M2 "
       "`approved_supplier.rank` (API BW-10001: SUP-005 primary, SUP-006 backup; one 2025 API delivery came from the backup).\n";

  // 11 OEE per line and month, from the counters build_oee wrote to the MES SegmentData
  s += "\n## 11. OEE per line and month (ISO 22400-2)\n\nEvery production phase on a line machine (M2 COMPRESSION on "
       "TP-01/TP-02, M2 FILLING on LQ-1, M1 FILLING on FF-1) carries SegmentData `PlannedBusyTime` (PBT, min), "
       "`ActualProductionTime` (APT, min), `PlannedRunTimePerItem` (PRI, s), `ProducedQuantity` (PQ) and `GoodQuantity` (GQ); "
       "month = the phase's ActualStartTime. Per line and month: availability = ΣAPT / ΣPBT, performance = Σ(PRI × PQ) / ΣAPT, "
       "quality = ΣGQ / ΣPQ, OEE = availability × performance × quality (from the unrounded ratios); hours and ratios "
       "rounded half up to 2 and 3 decimals (query `11-oee-per-line-month.rq`). Only TP-02 loses time (the micro-stops of "
       "section 7); the other lines run for their whole phase (availability 1).\n\n"
       "| line | month | PBT h | APT h | PQ | GQ | availability | performance | quality | OEE |\n"
       "|---|---|---|---|---|---|---|---|---|---|\n";
  {
    struct Agg { i64 pbt = 0, apt = 0, pq = 0, gq = 0; __int128 ipq = 0; };  // ipq = Σ PRI(ms) × PQ
    std::map<std::pair<std::string, std::string>, Agg> agg;
    for (const auto& o : w.oee) {
      Agg& a = agg[{o.line, o.month}];
      a.pbt += o.pbt;
      a.apt += o.apt;
      a.pq += o.pq;
      a.gq += o.gq;
      a.ipq += static_cast<__int128>(o.pri_ms) * o.pq;
    }
    // num / den rounded half up to `dec` decimals, exact (integers only)
    auto ratio = [](__int128 num, __int128 den, int dec) {
      __int128 scale = 1;
      for (int i = 0; i < dec; ++i) scale *= 10;
      const __int128 v = (2 * num * scale + den) / (2 * den);
      std::string frac = std::to_string(static_cast<i64>(v % scale));
      frac.insert(0, static_cast<size_t>(dec) - frac.size(), '0');
      return std::to_string(static_cast<i64>(v / scale)) + "." + frac;
    };
    for (const auto& [k, a] : agg)
      s += "| " + k.first + " | " + k.second + " | " + ratio(a.pbt, 60, 2) + " | " + ratio(a.apt, 60, 2) + " | " +
           std::to_string(a.pq) + " | " + std::to_string(a.gq) + " | " + ratio(a.apt, a.pbt, 3) + " | " +
           ratio(a.ipq, static_cast<__int128>(a.apt) * 60000, 3) + " | " + ratio(a.gq, a.pq, 3) + " | " +
           ratio(a.ipq * a.gq, static_cast<__int128>(a.pbt) * 60000 * a.pq, 3) + " |\n";
  }
  out.write("planted.md", s, 1);
}

}  // namespace pgen
