// SPDX-License-Identifier: Apache-2.0
// Shared pieces of weft_pharma_gen: a portable PRNG, integer/IEEE-only helpers
// (no std:: distributions, no libm transcendental functions, no clock), GS1 check
// digits, time formatting, CSV/XML/JSON output helpers, and the simulated "world"
// (parties, materials, lots, batches, shipments) that the writers serialise.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pgen {

using i64 = int64_t;
using u64 = uint64_t;

// ---------- PRNG: splitmix64-seeded xoshiro256** ----------
class Rng {
 public:
  explicit Rng(u64 seed);
  u64 next();
  // uniform integer in [0, n)
  u64 below(u64 n);
  // uniform integer in [lo, hi]
  i64 range(i64 lo, i64 hi) { return lo + static_cast<i64>(below(static_cast<u64>(hi - lo + 1))); }
  // uniform double in [0,1) from 53 bits
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  // approximately normal (Irwin-Hall, 6 uniforms), mean 0 sd 1
  double gauss();
  bool chance(double p) { return unit() < p; }

 private:
  u64 s_[4];
};

// ---------- time (UTC seconds since 1970) ----------
constexpr i64 kDay = 86400;
constexpr i64 kHour = 3600;
i64 days_from_civil(int y, int m, int d);
i64 ts(int y, int m, int d, int hh = 0, int mi = 0, int ss = 0);
std::string iso_date(i64 t);                  // 2025-03-03
std::string iso_dt(i64 t);                    // 2025-03-03T08:15:00Z
std::string iso_dt_ms(i64 t);                 // 2025-03-03T08:15:00.000Z
std::string iso_dt_frac(i64 t);               // 2025-03-03T08:15:00.0Z (B2MML style)
int month_of(i64 t);
int weekday(i64 t);                           // 0 = Monday
std::string yymmdd(i64 t);
std::string tz_us_east(i64 t);                // -05:00 / -04:00 (2025 DST rules)
std::string tz_ireland(i64 t);                // +00:00 / +01:00

// ---------- formatting ----------
std::string fmt(double v, int decimals);
std::string pad(i64 v, int width);            // zero-padded
std::string pad_str(const std::string& s, int width);  // left zero-pad string

// ---------- GS1 ----------
char gs1_check(std::string_view digits_without_check);
std::string gtin14(const std::string& indicator, const std::string& prefix, const std::string& itemref);
std::string gln13(const std::string& prefix, const std::string& locref);
std::string sscc18(const std::string& ext, const std::string& prefix, const std::string& serialref);
bool gs1_valid(std::string_view full);

// ---------- output ----------
struct OutStats {
  int files = 0;
  i64 records = 0;
  i64 bytes = 0;
  std::map<std::string, std::pair<int, i64>> per_dir;  // dir -> (files, records)
};

class Out {
 public:
  Out(std::string root, OutStats* stats) : root_(std::move(root)), stats_(stats) {}
  // writes a whole file; rel is relative to the output root
  bool write(const std::string& rel, const std::string& content, i64 records);
  const std::string& root() const { return root_; }
  OutStats* stats() { return stats_; }

 private:
  std::string root_;
  OutStats* stats_;
};

// CSV accumulation into a string
class Csv {
 public:
  explicit Csv(std::initializer_list<std::string> header);
  void row(const std::vector<std::string>& cells);
  const std::string& str() const { return buf_; }
  i64 rows() const { return rows_; }

 private:
  std::string buf_;
  i64 rows_ = 0;
};
std::string csv_cell(const std::string& s);
std::string xml_esc(const std::string& s);
std::string json_str(const std::string& s);  // quoted JSON string

// ---------- world ----------
struct Party {
  std::string key;       // LIFNR / KUNNR / supplier_no / customer_no / internal key
  std::string name, street, city, region, country, postal;
  std::string prefix, locref, gln, licence;
  std::string role;      // vendor, dispenser, manufacturer, distributor, wholesaler
};

struct Material {
  std::string org;       // aurelian | brightwater
  std::string id;        // MATNR (18) or item_no
  std::string desc, type;  // FERT/HALB/ROH/VERP (M1), finished/intermediate/raw/packaging (M2)
  std::string uom;       // EA, KG, L
  std::string prefix, itemref, gtin, ndc, case_gtin;
  std::string storage;   // 2-8C ...
  double tmin = 0, tmax = 0;
  int shelf_days = 0;
  int case_qty = 0, pallet_cases = 0;
  std::string vendor_primary, vendor_backup;  // party keys
  int lead_primary = 0, lead_backup = 0;
  double price = 0;
  std::string short_name;  // P1..P5 or code
  double strength_mg = 0;
};

struct Lot {
  std::string org, mat, lot;
  i64 made = 0, expiry = 0, release = 0;
  double qty = 0, remaining = 0;
  std::string uom;
  std::string vendor, vendor_lot, po;   // purchased lots
  int po_line = 0;
  std::string status = "Released";      // Released Quarantine Rejected Recalled Blocked
  bool purchased = false;
  bool serial = false;
  u64 serial_offset = 0;                // unit serial index base (per GTIN)
  u64 case_offset = 0;
  std::string batch;                    // producing batch id
  std::string zone;                     // D1 storage zone
  i64 d1_received = 0, d1_last_out = 0;
  double d1_remaining = 0;
  int ship_index = -1;                  // M1/M2 -> D1 shipment
  std::string coa_file;                 // M1 purchased: coa json name
  bool us_share_only = true;
};

struct Use {
  std::string mat, lot;
  double qty = 0;
  std::string uom;
};

struct Phase {
  std::string name, equip;
  i64 start = 0, end = 0;
  std::vector<Use> consumed, produced;
  std::vector<std::vector<std::string>> data;  // id, value, datatype, unit
};

struct Batch {
  std::string org, id, order, mat;
  i64 pstart = 0, pend = 0, start = 0, end = 0;
  double planned = 0, qty = 0;
  std::string uom, status, equip;
  bool aborted = false;
  std::vector<Phase> phases;
  int index = 0;
};

struct PurchaseOrder {
  std::string org, no;
  int line = 10;
  std::string vendor, mat;
  i64 ordered = 0, due = 0, received = 0;
  double qty = 0, price = 0;
  std::string uom, lot;
};

struct Move {
  std::string org, id;
  int line = 1;
  std::string type;  // M1: BWART; M2: receipt|issue|production|shipment|transfer|release
  std::string mat, lot, lgort;
  double qty = 0;
  std::string uom;
  i64 posted = 0;
  std::string order, po, deliv;
};

struct ShipLine {
  std::string mat, lot;
  double qty = 0;
  bool serial = false;
  u64 first = 0;  // unit index range in the lot (serial lots)
  int pal_first = 0, pal_count = 0;  // pallets (Shipment::ssccs) carrying this line
};

struct Shipment {
  std::string id;           // delivery number (desadv)
  std::string kind;         // m1_d1 | m2_d1 | d1_disp | m2_eu
  std::string owner_from;   // owning party GLN at source
  std::string owner_to;
  std::string from_loc, to_loc;  // GLNs
  std::string po;           // order number
  std::string po_gln;       // GLN of the PO issuer
  std::string desadv_gln;
  i64 shipped = 0, received = 0;
  std::vector<ShipLine> lines;
  std::vector<std::string> ssccs;
  int dispenser = -1;
  std::string org_goods;    // aurelian | brightwater
  int excursion = 0;        // 0 none, else excursion id
  double exc_max = 0;
  i64 exc_start = 0, exc_end = 0;
  double trip_min = 0, trip_max = 0, trip_mean = 0;
  bool misscan = false;     // the shipment corrected by an errorDeclaration
};

struct QcResult {
  std::string org, sample, mat, lot, merknr, test, unit, method;
  double lower = 0, upper = 0, result = 0;
  bool has_lower = true, has_upper = true;
  std::string valuation = "A", ud = "A", status = "valid";
  i64 date = 0;
  std::string source = "inhouse";
};

struct Deviation {
  std::string id;
  i64 opened = 0, closed = 0;
  std::string category, batch_ids, equipment, description, root_cause, impact, status;
};
struct Capa {
  std::string id, sources, action, owner, effective;
  i64 due = 0, closed = 0;
};
struct Complaint {
  std::string id, gtin, lot, customer_gln, category, description, severity, deviation, status;
  i64 received = 0;
};
struct Recall {
  std::string id, product, lots, klass, depth, reason;
  i64 initiated = 0;
};

struct CoaTest {
  std::string test, method, unit;
  double result = 0, lower = 0, upper = 0;
};
struct Coa {
  std::string file, vendor, supplier_lot, our_lot, mat, signed_by;
  i64 issued = 0;
  std::vector<CoaTest> tests;
};

struct Sample {  // historian
  std::string tag;
  i64 t = 0;
  double v = 0;
  int decimals = 2;
  const char* quality = "Good";
};
struct Tag {
  std::string tag, description, equipment, property, ucum, unece;
  int interval = 60;
  std::string low, high, cpp;
};

struct Compressor {
  std::map<std::string, std::pair<i64, double>> last;
  std::vector<Sample>* out;
  void add(const std::string& tag, i64 t, double v, int dec, double deadband, i64 heartbeat, const char* q = "Good") {
    auto it = last.find(tag);
    if (it != last.end()) {
      double dv = v - it->second.second;
      if (dv < 0) dv = -dv;
      if (dv < deadband && t - it->second.first < heartbeat) return;
    }
    last[tag] = {t, v};
    out->push_back({tag, t, v, dec, q});
  }
};

// slowly drifting signal (AR(1) drift + small noise), for cold rooms and freezers
struct Drift {
  double d = 0;
  double next(Rng& r, double mean, double drift_sd, double noise_sd) {
    d = d * 0.98 + r.gauss() * drift_sd;
    return mean + d + r.gauss() * noise_sd;
  }
};
void write_series(Out& out, const std::string& dir, std::vector<Sample>& samples);
void write_tags(Out& out, const std::string& path, const std::vector<Tag>& tags);

struct Excursion {  // cold-chain ground truth
  int id = 0;
  std::string where, custodian, owner, ref;
  i64 start = 0, end = 0;
  double max_c = 0;
  std::vector<std::string> lots;
};

struct Config {
  std::string profile = "small";
  u64 seed = 2025;
  std::string out;
  int serial_lots_per_product = 1;   // -1 = all
  int historian_batches = 2;         // -1 = all P1 batches
  bool historian_full_year = false;  // TP-02 / cold rooms
  int dispenser_cycle_days = 28;
};

// the cold-room window of the historians: May-July in the small profile, the year in full
inline i64 cold_from(const Config& c) { return c.historian_full_year ? ts(2025, 1, 1) : ts(2025, 5, 1); }
inline i64 cold_to(const Config& c) { return c.historian_full_year ? ts(2026, 1, 1) : ts(2025, 8, 1); }

struct World {
  Config cfg;
  std::map<std::string, Party> parties;    // by key
  std::vector<std::string> vendor_keys_m1, vendor_keys_m2, dispensers, eu_customers;
  std::string m1, m1_site, m1_wh, m2, m2_site, d1, d1_dc;  // party keys
  std::map<std::string, Material> mats;    // by id
  std::vector<std::string> m1_mats, m2_mats;
  std::map<std::string, Lot> lots;         // by lot number
  std::vector<std::string> lot_order;      // creation order
  std::vector<Batch> batches;
  std::vector<PurchaseOrder> pos;
  std::vector<Move> moves;
  std::vector<Shipment> ships;
  std::vector<QcResult> qc;
  std::vector<Deviation> devs;
  std::vector<Capa> capas;
  std::vector<Complaint> complaints;
  std::vector<Recall> recalls;
  std::vector<Coa> coas;
  std::vector<Excursion> excursions;
  std::vector<std::string> planted;        // markdown lines for planted.md
  // planted facts used by several writers
  std::string recall_lot, p3_serial_lot, p4_serial_lot, p5_serial_lot;
  i64 recall_time = 0;
  i64 outage_start = 0, outage_end = 0;
  std::vector<std::string> outage_lots;
  std::string br_fail_batch, excursion_batch;
  // the BR-201 excursion as written to the M1 historian (write_aurelian.cpp): first sample above
  // 37.5 C, first sample back in range, highest value; 0 when the batch is not in the historian
  i64 br_exc_start = 0, br_exc_end = 0;
  double br_exc_max = 0;
  i64 br_fail_start = 0, br_fail_end = 0;
  i64 v1_int_start = 0, v1_int_end = 0;
  std::string coa_lot;                     // the disagreeing medium lot
  std::string misscan_ship;
  std::vector<std::string> historian_batches;
  i64 tp_from = 0, tp_to = 0;
  std::map<std::string, u64> serial_counter;  // per GTIN
  std::map<std::string, u64> case_counter;
  u64 sscc_counter_m1 = 0, sscc_counter_m2 = 0;
  // dispensing of the recall lot: dispenser index -> (received range first, count, dispensed count)
  struct RecallDist { int disp; u64 first; u64 count; u64 dispensed; i64 received; std::string ship; };
  std::vector<RecallDist> recall_dist;
  u64 recall_left_at_d1_first = 0, recall_left_at_d1 = 0;
  // TP-02 micro-stops ground truth
  struct Stop { i64 start; int minutes; };
  std::vector<Stop> tp02_stops;
  // ISO 22400-2 counters of every production phase on a line machine (M2 COMPRESSION on
  // TP-01/TP-02, M2 FILLING on LQ-1, M1 FILLING on FF-1), as written to the MES SegmentData:
  // planned busy time and actual production time (min), ideal cycle time (ms per unit),
  // produced and good quantity (units). month = the phase start, "2025-03".
  struct OeeRec { std::string line, month; i64 pbt = 0, apt = 0, pri_ms = 0, pq = 0, gq = 0; };
  std::vector<OeeRec> oee;

  const Party& P(const std::string& k) const { return parties.at(k); }
  const Material& M(const std::string& k) const { return mats.at(k); }
};

void build_world(World& w);
// The D1 cold room CR2 probe during the outage, from w.outage_start until w.outage_end + 30 min
// (recovery), as written to the historian (rounded to 0.1 C). The single source of the planted
// excursion #3 (world.cpp) and of the D1-CR2.TT-01.PV series (write_meridian.cpp).
constexpr i64 kOutageRecovery = 30 * 60;
double cr2_outage_temp(const World& w, i64 t);
std::string unit_serial(const World& w, const Lot& lot, u64 idx);
std::string case_serial(const World& w, const Lot& lot, u64 idx);
std::string sgtin_urn(const Material& m, const std::string& serial, bool case_level = false);
std::string lgtin_urn(const Material& m, const std::string& lot);
std::string sscc_urn(const std::string& sscc, size_t prefix_len);
std::string sgln_urn(const Party& p, const std::string& ext = "0");

void write_aurelian(World& w, Out& out);
void write_brightwater(World& w, Out& out);
void write_meridian(World& w, Out& out);
void write_planted(World& w, Out& out);
// streams/: replayable historian streams with planted drifts (--streams; write_streams.cpp)
void write_streams(World& w, Out& out);

}  // namespace pgen
