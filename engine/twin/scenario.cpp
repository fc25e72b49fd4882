// SPDX-License-Identifier: Apache-2.0
// Scenario files: JSON (RapidJSON's SAX reader into a small tree that keeps the offset of
// every key and value, for file:line:column messages) and Turtle (weft's reader into triples,
// then a small vocabulary). Both are first turned into the same "raw" form (kind, key, value
// as written, where), and one function checks keys and values and builds the Change: the two
// formats cannot drift apart.
#include "engine/twin/scenario.h"

// RapidJSON 1.1's internal::Stack computes `nullptr + n` on its first push, which UBSan's
// pointer-overflow check reports (see engine/rdf/internal/jsonld_json.cpp).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#endif
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "engine/core/civil_date.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/term.h"

namespace weft::twin {
namespace {

constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfsLabel = "http://www.w3.org/2000/01/rdf-schema#label";
constexpr std::string_view kRdfsComment = "http://www.w3.org/2000/01/rdf-schema#comment";

std::string q(const std::string& s) { return "'" + s + "'"; }

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) != 1) return {};
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// ---- Closest names, for "matches nothing" messages

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// " (closest: 'a', 'b', 'c')": names containing the wanted text (or contained in it) first,
// then by edit distance, case-insensitive.
std::string closest(const std::string& wanted, std::vector<std::string> names,
                    const char* noneText = "the model has none") {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.empty()) return std::string(" (") + noneText + ")";
  const std::string w = lower(wanted);
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const std::string& n : names) {
    const std::string l = lower(n);
    size_t score = editDistance(w, l);
    const bool contains = l.find(w) != std::string::npos || w.find(l) != std::string::npos;
    if (contains && std::min(w.size(), l.size()) >= 3) score = 0;
    ranked.push_back({score, n});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = " (closest: ";
  for (size_t i = 0; i < ranked.size() && i < 3; ++i) out += (i ? ", " : "") + q(ranked[i].second);
  return out + ")";
}

// ---- Times

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int daysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// "2025-07-14" or "2025-07-14T06:00[:00[.5]][Z|+02:00]" (no zone: UTC). Returns false with
// `why` set when it looks like a date but is not a valid one.
bool parseDateTime(std::string_view s, TimeSpec* out, std::string* why) {
  int y = 0, mo = 0, d = 0;
  if (s.size() < 10 || !digits(s, 0, 4, &y) || s[4] != '-' || !digits(s, 5, 2, &mo) ||
      s[7] != '-' || !digits(s, 8, 2, &d)) {
    *why = "not a date (YYYY-MM-DD)";
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    *why = "no such date";
    return false;
  }
  double secs = static_cast<double>(daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * sim::kDay;
  if (s.size() == 10) {
    out->kind = TimeSpec::Kind::kDate;
    out->value = secs;
    return true;
  }
  int h = 0, mi = 0, se = 0;
  size_t p = 11;
  if (s[10] != 'T' || !digits(s, 11, 2, &h) || s.size() < 16 || s[13] != ':' ||
      !digits(s, 14, 2, &mi)) {
    *why = "not a date-time (YYYY-MM-DDThh:mm[:ss][Z|+hh:mm])";
    return false;
  }
  p = 16;
  double frac = 0;
  if (p < s.size() && s[p] == ':') {
    if (!digits(s, p + 1, 2, &se)) {
      *why = "bad seconds";
      return false;
    }
    p += 3;
    if (p < s.size() && s[p] == '.') {
      size_t q0 = ++p;
      double scale = 0.1;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        frac += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
      if (p == q0) {
        *why = "bad fraction of a second";
        return false;
      }
    }
  }
  if (h > 24 || mi > 59 || se > 60 || (h == 24 && (mi || se || frac))) {
    *why = "no such time of day";
    return false;
  }
  double zone = 0;
  if (p < s.size()) {
    int zh = 0, zm = 0;
    if (s[p] == 'Z' && p + 1 == s.size()) {
    } else if ((s[p] == '+' || s[p] == '-') && p + 6 == s.size() && digits(s, p + 1, 2, &zh) &&
               s[p + 3] == ':' && digits(s, p + 4, 2, &zm) && zh <= 14 && zm <= 59) {
      zone = (s[p] == '-' ? -1 : 1) * (zh * sim::kHour + zm * sim::kMinute);
    } else {
      *why = "bad time zone (Z or +hh:mm)";
      return false;
    }
  }
  out->kind = TimeSpec::Kind::kInstant;
  out->value = secs + h * sim::kHour + mi * sim::kMinute + se + frac - zone;
  return true;
}

// "30d", "12h", "2w", "90m", "3600s", "1y" (365 days), decimals allowed; or an ISO 8601
// duration without years and months ("P3D", "PT12H", "P2W", "P1DT6H30M").
bool parseDuration(std::string_view s, double* out) {
  if (s.empty()) return false;
  if (s[0] == 'P') {
    double total = 0;
    bool time = false, any = false;
    size_t p = 1;
    while (p < s.size()) {
      if (s[p] == 'T') {
        if (time) return false;
        time = true;
        ++p;
        continue;
      }
      double v = 0;
      auto [end, ec] = std::from_chars(s.data() + p, s.data() + s.size(), v);
      if (ec != std::errc() || end == s.data() + s.size() || v < 0) return false;
      p = static_cast<size_t>(end - s.data());
      const char u = s[p++];
      if (!time && u == 'W') total += v * sim::kWeek;
      else if (!time && u == 'D') total += v * sim::kDay;
      else if (time && u == 'H') total += v * sim::kHour;
      else if (time && u == 'M') total += v * sim::kMinute;
      else if (time && u == 'S') total += v;
      else return false;
      any = true;
    }
    if (!any || !std::isfinite(total)) return false;
    *out = total;
    return true;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || !std::isfinite(v) || v < 0) return false;
  const std::string_view unit(end, static_cast<size_t>(s.data() + s.size() - end));
  double scale = 0;
  if (unit == "s") scale = sim::kSecond;
  else if (unit == "m") scale = sim::kMinute;
  else if (unit == "h") scale = sim::kHour;
  else if (unit == "d") scale = sim::kDay;
  else if (unit == "w") scale = sim::kWeek;
  else if (unit == "y") scale = sim::kYear;
  else return false;
  if (!std::isfinite(v * scale)) return false;
  *out = v * scale;
  return true;
}

// A date ("2025-07-14") or date-time, or an offset from time 0 ("30d").
bool parseTime(std::string_view s, TimeSpec* out, std::string* why) {
  out->text = std::string(s);
  if (s.size() >= 10 && s[4] == '-' && s[0] >= '0' && s[0] <= '9') {
    return parseDateTime(s, out, why);
  }
  double v = 0;
  if (parseDuration(s, &v)) {
    out->kind = TimeSpec::Kind::kOffset;
    out->value = v;
    return true;
  }
  *why = "neither a date (\"2025-07-14\", \"2025-07-14T06:00:00Z\") nor an offset from the "
         "start (\"30d\", \"12h\", \"2w\", \"P3D\")";
  return false;
}

// "2025-07-14", or "2025-07-14T06:00:00Z" when not at midnight. Beyond the years 0-9999 (a
// window ending 10^70 hours on, which a scenario may give) as seconds from 1970.
std::string isoTime(double epochSeconds) {
  if (!(epochSeconds > -62167219200.0 && epochSeconds < 253402300800.0)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g s from 1970-01-01", epochSeconds);
    return buf;
  }
  const double days = std::floor(epochSeconds / sim::kDay);
  const CivilDate c = civilFromDays(static_cast<int64_t>(days));
  const int y = static_cast<int>(c.year), m = static_cast<int>(c.month), d = static_cast<int>(c.day);
  char buf[64];
  const double rest = epochSeconds - days * sim::kDay;
  if (rest < 0.5) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  } else {
    const long secs = std::lround(rest);
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02ld:%02ld:%02ldZ", y, m, d, secs / 3600,
                  secs / 60 % 60, secs % 60);
  }
  return buf;
}

// ---- The raw form shared by both formats

struct RawValue {
  enum class Type { kString, kNumber, kOther };
  Type type = Type::kString;
  std::string text;      // the string, or the number as written
  std::string typeName;  // for kOther: "an object", "an IRI", ...
  std::string where;
};

struct RawChange {
  std::string where;  // the change as a whole
  std::string kind;   // JSON kind name ("" if missing)
  std::string kindWhere;
  std::vector<std::pair<std::string, RawValue>> fields;
};

struct RawScenario {
  std::string name, description;
  std::vector<RawChange> changes;
};

struct KindInfo {
  ChangeKind kind;
  const char* name;   // JSON "kind"
  const char* klass;  // Turtle class (dt:)
  std::vector<const char*> keys;
};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> k = {
      {ChangeKind::kDemand, "demand", "DemandChange",
       {"product", "site", "demand", "factor", "from", "to", "through", "duration"}},
      {ChangeKind::kSupplierInterruption, "supplierInterruption", "SupplierInterruption",
       {"supplier", "product", "site", "from", "to", "through", "duration"}},
      {ChangeKind::kLaneDisruption, "laneDisruption", "LaneDisruption",
       {"lane", "from", "to", "through", "duration"}},
      {ChangeKind::kMachineFailure, "machineFailure", "MachineFailure",
       {"line", "machine", "from", "to", "through", "duration"}},
      {ChangeKind::kAddMachine, "addMachine", "AddMachine", {"line", "machine", "count"}},
      {ChangeKind::kCapacity, "capacity", "CapacityChange",
       {"line", "machine", "product", "factor"}},
      {ChangeKind::kMoveProduction, "moveProduction", "MoveProduction",
       {"product", "fromLine", "toLine"}},
      {ChangeKind::kPolicy, "policy", "PolicyChange",
       {"inventory", "product", "site", "policy", "reorderPoint", "orderUpTo", "reviewPeriod",
        "initialStock"}},
  };
  return k;
}

// JSON key -> Turtle property. Target names carry "Name" in Turtle, because dt:site, dt:line
// and dt:supplier already relate things (not names) in weft's ontology.
const std::vector<std::pair<std::string, std::string>>& turtleKeys() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"label", std::string(kRdfsLabel)},
      {"comment", std::string(kRdfsComment)},
      {"product", std::string(kDt) + "productName"},
      {"site", std::string(kDt) + "siteName"},
      {"demand", std::string(kDt) + "demandName"},
      {"supplier", std::string(kDt) + "supplierName"},
      {"lane", std::string(kDt) + "laneName"},
      {"line", std::string(kDt) + "lineName"},
      {"machine", std::string(kDt) + "machineName"},
      {"inventory", std::string(kDt) + "inventoryName"},
      {"fromLine", std::string(kDt) + "fromLineName"},
      {"toLine", std::string(kDt) + "toLineName"},
      {"from", std::string(kDt) + "from"},
      {"to", std::string(kDt) + "to"},
      {"through", std::string(kDt) + "through"},
      {"duration", std::string(kDt) + "duration"},
      {"factor", std::string(kDt) + "factor"},
      {"count", std::string(kDt) + "count"},
      {"policy", std::string(kDt) + "policy"},
      {"reorderPoint", std::string(kDt) + "reorderPoint"},
      {"orderUpTo", std::string(kDt) + "orderUpTo"},
      {"reviewPeriod", std::string(kDt) + "reviewPeriod"},
      {"initialStock", std::string(kDt) + "initialStock"},
  };
  return k;
}

class Problems {
 public:
  void add(std::string s) { list_.push_back(std::move(s)); }
  bool empty() const { return list_.empty(); }
  Status status(StatusCode code = StatusCode::kInvalidArgument) const {
    if (list_.empty()) return Status::ok();
    std::string m;
    for (const auto& s : list_) m += (m.empty() ? "" : "\n") + s;
    return Status(code, m);
  }

 private:
  std::vector<std::string> list_;
};

std::string keyList(const KindInfo& k) {
  std::string out;
  for (const char* key : k.keys) out += (out.empty() ? "" : ", ") + std::string(key);
  return out + ", label, comment";
}

// Checks the keys and values of one raw change and builds it.
void buildChange(const RawChange& raw, size_t index, Problems& p, std::vector<Change>* out) {
  const KindInfo* info = nullptr;
  for (const KindInfo& k : kinds()) {
    if (raw.kind == k.name) info = &k;
  }
  const std::string what = raw.where + ": change " + std::to_string(index + 1);
  if (!info) {
    std::vector<std::string> names;
    for (const KindInfo& k : kinds()) names.push_back(k.name);
    if (raw.kind.empty()) {
      p.add(what + ": no \"kind\" (one of: demand, supplierInterruption, laneDisruption, "
            "machineFailure, addMachine, capacity, moveProduction, policy)");
    } else {
      p.add(raw.kindWhere + ": unknown kind " + q(raw.kind) + closest(raw.kind, names));
    }
    return;
  }
  Change c;
  c.kind = info->kind;
  c.source = raw.where;
  const std::string cw = std::string(info->name) + " change";
  std::set<std::string> seen;
  auto str = [&](const RawValue& v, const std::string& key, std::string* dst) {
    if (v.type != RawValue::Type::kString) {
      p.add(v.where + ": " + cw + ": " + key + " must be a string, not " +
            (v.type == RawValue::Type::kNumber ? "a number" : v.typeName));
      return false;
    }
    if (v.text.empty()) {
      p.add(v.where + ": " + cw + ": " + key + " is empty");
      return false;
    }
    *dst = v.text;
    return true;
  };
  auto number = [&](const RawValue& v, const std::string& key, double* dst) {
    if (v.type != RawValue::Type::kNumber) {
      p.add(v.where + ": " + cw + ": " + key + " must be a number" +
            (v.type == RawValue::Type::kString ? " (not the string \"" + v.text + "\")"
                                               : ", not " + v.typeName));
      return false;
    }
    double x = 0;
    auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), x);
    if (ec != std::errc() || end != v.text.data() + v.text.size() || !std::isfinite(x)) {
      p.add(v.where + ": " + cw + ": " + key + " " + v.text + " is not a finite number");
      return false;
    }
    *dst = x;
    return true;
  };
  auto integer = [&](const RawValue& v, const std::string& key, int64_t* dst) {
    double x = 0;
    if (!number(v, key, &x)) return false;
    if (x != std::floor(x) || std::fabs(x) > 9e15) {
      p.add(v.where + ": " + cw + ": " + key + " must be a whole number, not " + v.text);
      return false;
    }
    *dst = static_cast<int64_t>(x);
    return true;
  };
  auto time = [&](const RawValue& v, const std::string& key, TimeSpec* dst) {
    std::string s;
    if (!str(v, key, &s)) return false;
    std::string why;
    if (!parseTime(s, dst, &why)) {
      p.add(v.where + ": " + cw + ": " + key + " \"" + s + "\": " + why);
      return false;
    }
    return true;
  };
  auto duration = [&](const RawValue& v, const std::string& key, double* dst, std::string* text) {
    std::string s;
    if (!str(v, key, &s)) return false;
    if (!parseDuration(s, dst)) {
      p.add(v.where + ": " + cw + ": " + key + " \"" + s + "\" is not a duration (\"3d\", "
            "\"12h\", \"2w\", \"90m\", \"3600s\", \"P3D\", \"PT12H\")");
      return false;
    }
    *text = s;
    return true;
  };

  bool ok = true;
  int ends = 0;
  for (const auto& [key, v] : raw.fields) {
    if (!seen.insert(key).second) {
      p.add(v.where + ": " + cw + ": " + key + " is given twice");
      ok = false;
      continue;
    }
    if (key == "label") {
      ok &= str(v, key, &c.label);
      continue;
    }
    if (key == "comment") continue;
    const std::string& name = key;  // clang 14 cannot capture a structured binding
    if (std::find_if(info->keys.begin(), info->keys.end(),
                     [&](const char* k) { return name == k; }) == info->keys.end()) {
      bool known = false;
      std::vector<std::string> all;
      for (const auto& [k, t] : turtleKeys()) {
        known |= key == k;
        all.push_back(k);
      }
      std::string m = v.where + ": " + cw + ": ";
      if (known) {
        m += "key " + q(key) + " does not apply to this kind";
        if (key == "from" || key == "to" || key == "through" || key == "duration") {
          m += " (it changes the model for the whole run)";
        }
      } else {
        std::vector<std::string> own(info->keys.begin(), info->keys.end());
        m += "unknown key " + q(key) + closest(key, own, "no keys");
      }
      p.add(m + "; its keys are: " + keyList(*info));
      ok = false;
      continue;
    }
    if (key == "product") ok &= str(v, key, &c.product);
    else if (key == "site") ok &= str(v, key, &c.site);
    else if (key == "demand") ok &= str(v, key, &c.demand);
    else if (key == "supplier") ok &= str(v, key, &c.supplier);
    else if (key == "lane") ok &= str(v, key, &c.lane);
    else if (key == "line") ok &= str(v, key, &c.line);
    else if (key == "machine") ok &= str(v, key, &c.machine);
    else if (key == "inventory") ok &= str(v, key, &c.inventory);
    else if (key == "fromLine") ok &= str(v, key, &c.fromLine);
    else if (key == "toLine") ok &= str(v, key, &c.toLine);
    else if (key == "from") ok &= time(v, key, &c.window.from);
    else if (key == "to" || key == "through") {
      ++ends;
      c.window.end = key == "to" ? TimeWindow::End::kTo : TimeWindow::End::kThrough;
      if (!time(v, key, &c.window.to)) {
        ok = false;
      } else if (key == "through" && c.window.to.kind != TimeSpec::Kind::kDate) {
        p.add(v.where + ": " + cw + ": through takes a date, the last day included (\"" +
              c.window.to.text + "\" is not one; use \"to\" for an instant or an offset)");
        ok = false;
      }
    } else if (key == "duration") {
      ++ends;
      c.window.end = TimeWindow::End::kDuration;
      ok &= duration(v, key, &c.window.duration, &c.window.durationText);
    } else if (key == "factor") {
      ok &= number(v, key, &c.factor);
    } else if (key == "count") {
      int64_t n = 0;
      if (integer(v, key, &n)) {
        if (n < 1 || n > 1000) {
          p.add(v.where + ": " + cw + ": count must be between 1 and 1000, not " + v.text);
          ok = false;
        }
        c.count = static_cast<int>(n);
      } else {
        ok = false;
      }
    } else if (key == "policy") {
      std::string s;
      if (str(v, key, &s)) {
        if (s == "minmax") c.policy = sim::Policy::kMinMax;
        else if (s == "periodic") c.policy = sim::Policy::kPeriodic;
        else if (s == "none") c.policy = sim::Policy::kNone;
        else {
          p.add(v.where + ": " + cw + ": policy \"" + s +
                "\" is not one of \"minmax\", \"periodic\", \"none\"");
          ok = false;
        }
      } else {
        ok = false;
      }
    } else if (key == "reorderPoint" || key == "orderUpTo" || key == "initialStock") {
      int64_t n = 0;
      if (integer(v, key, &n)) {
        if (n < 0) {
          p.add(v.where + ": " + cw + ": " + key + " must be >= 0");
          ok = false;
        }
        (key == "reorderPoint" ? c.reorderPoint : key == "orderUpTo" ? c.orderUpTo
                                                                      : c.initialStock) = n;
      } else {
        ok = false;
      }
    } else if (key == "reviewPeriod") {
      double d = 0;
      if (duration(v, key, &d, &c.reviewPeriodText)) {
        if (!(d > 0)) {
          p.add(v.where + ": " + cw + ": reviewPeriod must be > 0");
          ok = false;
        }
        c.reviewPeriod = d;
      } else {
        ok = false;
      }
    }
  }

  // Required keys and combinations.
  auto need = [&](bool cond, const std::string& m) {
    if (!cond) {
      p.add(raw.where + ": " + cw + ": " + m);
      ok = false;
    }
  };
  const bool windowed = c.kind == ChangeKind::kDemand ||
                        c.kind == ChangeKind::kSupplierInterruption ||
                        c.kind == ChangeKind::kLaneDisruption ||
                        c.kind == ChangeKind::kMachineFailure;
  if (windowed) {
    need(seen.count("from") > 0, "no \"from\" (a date such as \"2025-07-14\" or an offset "
                                 "such as \"30d\")");
    need(ends == 1, ends == 0 ? "no end of the window: give one of \"to\", \"through\" or "
                                "\"duration\""
                              : "give only one of \"to\", \"through\" and \"duration\"");
  }
  switch (c.kind) {
    case ChangeKind::kDemand:
      need(!c.product.empty() || !c.demand.empty(), "no \"product\" (or \"demand\" name)");
      need(seen.count("factor") > 0, "no \"factor\" (1.4 for +40%)");
      if (seen.count("factor") && !(c.factor >= 0)) need(false, "factor must be >= 0");
      break;
    case ChangeKind::kSupplierInterruption:
      need(!c.supplier.empty(), "no \"supplier\"");
      break;
    case ChangeKind::kLaneDisruption:
      need(!c.lane.empty(), "no \"lane\"");
      break;
    case ChangeKind::kMachineFailure:
    case ChangeKind::kAddMachine:
      need(!c.line.empty() || !c.machine.empty(), "no \"line\" or \"machine\"");
      break;
    case ChangeKind::kCapacity:
      need(!c.line.empty() || !c.machine.empty(), "no \"line\" or \"machine\"");
      need(seen.count("factor") > 0, "no \"factor\" (1.25: 25% more capacity, cycle times / 1.25)");
      if (seen.count("factor") && !(c.factor > 0)) need(false, "factor must be > 0");
      break;
    case ChangeKind::kMoveProduction:
      need(!c.product.empty(), "no \"product\"");
      need(!c.fromLine.empty(), "no \"fromLine\"");
      need(!c.toLine.empty(), "no \"toLine\"");
      if (!c.fromLine.empty() && c.fromLine == c.toLine) {
        need(false, "fromLine and toLine are the same");
      }
      break;
    case ChangeKind::kPolicy:
      need(!c.inventory.empty() || !c.product.empty(),
           "no \"inventory\" (\"product@site\") or \"product\"");
      need(c.inventory.empty() || (c.product.empty() && c.site.empty()),
           "give \"inventory\" or \"product\" (+ \"site\"), not both");
      need(c.policy || c.reorderPoint || c.orderUpTo || c.reviewPeriod || c.initialStock,
           "nothing to change: give policy, reorderPoint, orderUpTo, reviewPeriod or "
           "initialStock");
      break;
  }
  if (ok) out->push_back(std::move(c));
}

// ---- JSON

struct JVal {
  enum class T { kNull, kBool, kNumber, kString, kObject, kArray };
  T t = T::kNull;
  std::string text;
  size_t offset = 0;
  // Object members as parallel vectors: a std::pair<std::string, JVal> inside JVal needs
  // JVal complete, which libstdc++ checks under clang.
  std::vector<std::string> memberNames;
  std::vector<JVal> memberValues;
  std::vector<size_t> keyOffsets;
  std::vector<JVal> items;
};

const char* typeName(JVal::T t) {
  switch (t) {
    case JVal::T::kNull: return "null";
    case JVal::T::kBool: return "a boolean";
    case JVal::T::kNumber: return "a number";
    case JVal::T::kString: return "a string";
    case JVal::T::kObject: return "an object";
    case JVal::T::kArray: return "an array";
  }
  return "?";
}

// Builds a JVal tree from SAX events and records where each key and value starts: tokens are
// separated only by whitespace, ',' and ':', so a token starts at the first other character
// after the end of the previous event.
class TreeBuilder {
 public:
  TreeBuilder(const rapidjson::MemoryStream& is, std::string_view text) : is_(is), text_(text) {}

  bool Null() { return scalar(JVal::T::kNull, "null"); }
  bool Bool(bool b) { return scalar(JVal::T::kBool, b ? "true" : "false"); }
  bool Int(int) { return false; }  // numbers arrive as RawNumber (kParseNumbersAsStringsFlag)
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return scalar(JVal::T::kNumber, std::string(s, n));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return scalar(JVal::T::kString, std::string(s, n));
  }
  bool StartObject() { return open(JVal::T::kObject); }
  bool StartArray() { return open(JVal::T::kArray); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    const size_t start = tokenStart();
    last_ = is_.Tell();
    JVal* top = stack_.back();
    std::string key(s, n);
    for (size_t i = 0; i < top->memberNames.size(); ++i) {
      if (top->memberNames[i] == key) {
        duplicateKey_ = key;
        duplicateAt_ = start;
        return false;
      }
    }
    top->memberNames.push_back(std::move(key));
    top->memberValues.emplace_back();
    top->keyOffsets.push_back(start);
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  JVal root;
  std::string duplicateKey_;
  size_t duplicateAt_ = 0;

 private:
  size_t tokenStart() const {
    size_t i = last_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                text_[i] == '\r' || text_[i] == ',' || text_[i] == ':')) {
      ++i;
    }
    return i;
  }
  JVal* slot() {
    if (stack_.empty()) return &root;
    JVal* top = stack_.back();
    if (top->t == JVal::T::kObject) return &top->memberValues.back();
    top->items.emplace_back();
    return &top->items.back();
  }
  bool scalar(JVal::T t, std::string text) {
    const size_t start = tokenStart();
    last_ = is_.Tell();
    JVal* v = slot();
    v->t = t;
    v->text = std::move(text);
    v->offset = start;
    return true;
  }
  // The iterative parser reports brackets before it consumes them, so their position is
  // found from the previous token rather than from Tell().
  bool open(JVal::T t) {
    const size_t at = tokenStart();
    last_ = at + 1;
    JVal* v = slot();
    v->t = t;
    v->offset = at;
    stack_.push_back(v);
    return true;
  }
  bool close() {
    last_ = tokenStart() + 1;
    stack_.pop_back();
    return true;
  }

  const rapidjson::MemoryStream& is_;
  std::string_view text_;
  std::vector<JVal*> stack_;
  size_t last_ = 0;
};

// "name:line:column" of a byte offset; the column counts characters (UTF-8), from 1.
std::string position(const std::string& name, std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

Result<RawScenario> readJson(std::string_view text, const std::string& name) {
  rapidjson::MemoryStream ms(text.data(), text.size());
  TreeBuilder b(ms, text);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseIterativeFlag;
  rapidjson::ParseResult pr = reader.Parse<kFlags>(ms, b);
  if (!pr) {
    if (!b.duplicateKey_.empty()) {
      return Status::syntaxError(position(name, text, b.duplicateAt_) + ": key \"" +
                                 b.duplicateKey_ + "\" is given twice in one object");
    }
    return Status::syntaxError(position(name, text, pr.Offset()) + ": " +
                               rapidjson::GetParseError_En(pr.Code()));
  }
  const JVal& root = b.root;
  auto at = [&](size_t off) { return position(name, text, off); };
  if (root.t != JVal::T::kObject) {
    return Status::invalidArgument(at(root.offset) + ": a scenario is a JSON object, not " +
                                   typeName(root.t));
  }
  Problems p;
  RawScenario rs;
  const JVal* changes = nullptr;
  for (size_t i = 0; i < root.memberNames.size(); ++i) {
    const std::string& key = root.memberNames[i];
    const JVal& v = root.memberValues[i];
    const std::string where = at(root.keyOffsets[i]);
    if (key == "name" || key == "description") {
      if (v.t != JVal::T::kString) p.add(where + ": " + key + " must be a string");
      else (key == "name" ? rs.name : rs.description) = v.text;
    } else if (key == "comment") {
    } else if (key == "changes") {
      if (v.t != JVal::T::kArray) p.add(where + ": changes must be an array");
      else changes = &v;
    } else {
      p.add(where + ": unknown key " + q(key) +
            closest(key, {"name", "description", "changes", "comment"}) +
            "; a scenario has: name, description, changes, comment");
    }
  }
  if (!changes) {
    if (p.empty()) p.add(at(root.offset) + ": no \"changes\" array");
    return p.status();
  }
  for (const JVal& c : changes->items) {
    RawChange rc;
    rc.where = at(c.offset);
    if (c.t != JVal::T::kObject) {
      p.add(rc.where + ": a change is an object, not " + std::string(typeName(c.t)));
      continue;
    }
    for (size_t i = 0; i < c.memberNames.size(); ++i) {
      const std::string& key = c.memberNames[i];
      const JVal& v = c.memberValues[i];
      if (key == "kind") {
        rc.kindWhere = at(c.keyOffsets[i]);
        if (v.t == JVal::T::kString) rc.kind = v.text;
        else p.add(rc.kindWhere + ": kind must be a string");
        continue;
      }
      RawValue rv;
      rv.where = at(c.keyOffsets[i]);
      rv.text = v.text;
      rv.type = v.t == JVal::T::kString   ? RawValue::Type::kString
                : v.t == JVal::T::kNumber ? RawValue::Type::kNumber
                                          : RawValue::Type::kOther;
      rv.typeName = typeName(v.t);
      rc.fields.push_back({key, std::move(rv)});
    }
    if (rc.kindWhere.empty()) rc.kindWhere = rc.where;
    rs.changes.push_back(std::move(rc));
  }
  if (!p.empty()) return p.status();
  return rs;
}

// ---- Turtle

class Collect : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView& q) override {
    quads.emplace_back(q);
    return Status::ok();
  }
  std::vector<rdf::Quad> quads;
};

std::string termKey(const rdf::Term& t) {
  return (t.kind == rdf::TermKind::kBlank ? "_:" : "") + t.value;
}

std::string shortName(const rdf::Term& t) {
  if (t.kind == rdf::TermKind::kBlank) return "a blank node";
  std::string v = t.value;
  if (v.rfind(kDt, 0) == 0) return "dt:" + v.substr(kDt.size());
  if (v == kRdfsLabel) return "rdfs:label";
  if (v == kRdfsComment) return "rdfs:comment";
  if (v == kRdfType) return "rdf:type";
  return "<" + v + ">";
}

bool numericType(std::string_view dt) {
  static const std::set<std::string_view> k = {
      "integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
      "positiveInteger"};
  return dt.rfind(rdf::kXsd, 0) == 0 && k.count(dt.substr(rdf::kXsd.size()));
}

Result<RawScenario> readTurtle(std::string_view text, const std::string& name) {
  rdf::ReadOptions opts;
  opts.format = rdf::Format::kTurtle;
  opts.display_name = name;
  opts.base_iri = rdf::fileIri(name.empty() ? std::string("scenario.ttl") : name);
  Collect sink;
  Status st = rdf::readString(text, opts, sink);
  if (!st) return Status::syntaxError(st.message());

  // Triples per subject, in document order.
  std::map<std::string, std::vector<const rdf::Quad*>> bySubject;
  std::vector<std::string> scenarios;
  for (const rdf::Quad& t : sink.quads) {
    bySubject[termKey(t.s)].push_back(&t);
    if (t.p.value == kRdfType && t.o.value == std::string(kDt) + "Scenario") {
      scenarios.push_back(termKey(t.s));
    }
  }
  if (scenarios.size() != 1) {
    return Status::invalidArgument(
        name + ": " + (scenarios.empty() ? std::string("no dt:Scenario")
                                         : std::to_string(scenarios.size()) +
                                               " dt:Scenario nodes; give one per file"));
  }
  Problems p;
  RawScenario rs;
  std::set<std::string> used = {scenarios[0]};
  std::vector<rdf::Term> changeNodes;
  for (const rdf::Quad* t : bySubject[scenarios[0]]) {
    const std::string& pred = t->p.value;
    if (pred == kRdfType) {
      if (t->o.value != std::string(kDt) + "Scenario") {
        p.add(name + ": the scenario has another type " + shortName(t->o));
      }
    } else if (pred == kRdfsLabel || pred == std::string(kDt) + "description") {
      if (t->o.kind != rdf::TermKind::kLiteral) {
        p.add(name + ": " + shortName(t->p) + " must be a literal");
      } else {
        (pred == kRdfsLabel ? rs.name : rs.description) = t->o.value;
      }
    } else if (pred == kRdfsComment) {
    } else if (pred == std::string(kDt) + "change") {
      changeNodes.push_back(t->o);
    } else {
      p.add(name + ": the scenario: unknown property " + shortName(t->p) +
            "; a dt:Scenario has: rdfs:label, dt:description, rdfs:comment, dt:change");
    }
  }
  for (size_t i = 0; i < changeNodes.size(); ++i) {
    const rdf::Term& node = changeNodes[i];
    RawChange rc;
    rc.where = name + ": change " + std::to_string(i + 1) +
               (node.kind == rdf::TermKind::kIri ? " <" + node.value + ">" : std::string());
    rc.kindWhere = rc.where;
    if (node.kind == rdf::TermKind::kLiteral) {
      p.add(rc.where + ": dt:change must point to a node, not the literal \"" + node.value + "\"");
      continue;
    }
    const std::string key = termKey(node);
    if (!used.insert(key).second) {
      p.add(rc.where + ": the same node is given twice as a change");
      continue;
    }
    std::vector<std::string> types;
    for (const rdf::Quad* t : bySubject[key]) {
      const std::string& pred = t->p.value;
      if (pred == kRdfType) {
        types.push_back(t->o.value);
        continue;
      }
      std::string jsonKey;
      for (const auto& [k, iri] : turtleKeys()) {
        if (iri == pred) jsonKey = k;
      }
      RawValue rv;
      rv.where = rc.where + " " + shortName(t->p);
      if (jsonKey.empty()) {
        std::vector<std::string> names;
        for (const auto& [k, iri] : turtleKeys()) names.push_back(shortName(rdf::Term::iri(iri)));
        p.add(rv.where + ": unknown property " + shortName(t->p) +
              closest(shortName(t->p), names, "none"));
        continue;
      }
      rv.text = t->o.value;
      if (t->o.kind == rdf::TermKind::kLiteral) {
        rv.type = numericType(t->o.datatype) ? RawValue::Type::kNumber : RawValue::Type::kString;
      } else {
        rv.type = RawValue::Type::kOther;
        rv.typeName = t->o.kind == rdf::TermKind::kIri ? "an IRI" : "a blank node";
      }
      rc.fields.push_back({jsonKey, std::move(rv)});
    }
    if (types.size() != 1) {
      p.add(rc.where + ": " +
            (types.empty() ? std::string("no rdf:type (dt:DemandChange, dt:SupplierInterruption, "
                                         "dt:LaneDisruption, dt:MachineFailure, dt:AddMachine, "
                                         "dt:CapacityChange, dt:MoveProduction, dt:PolicyChange)")
                           : std::string("several rdf:type values; give one")));
      continue;
    }
    bool found = false;
    for (const KindInfo& k : kinds()) {
      if (types[0] == std::string(kDt) + k.klass) {
        rc.kind = k.name;
        found = true;
      }
    }
    if (!found) {
      std::vector<std::string> names;
      for (const KindInfo& k : kinds()) names.push_back(std::string("dt:") + k.klass);
      const std::string given = shortName(rdf::Term::iri(types[0]));
      p.add(rc.where + ": unknown change type " + given + closest(given, names));
      continue;
    }
    rs.changes.push_back(std::move(rc));
  }
  // Triples about anything else: most likely a misspelt dt:change, never silently ignored.
  for (const auto& [subject, triples] : bySubject) {
    if (used.count(subject)) continue;
    const rdf::Quad& t = *triples.front();
    std::string about = shortName(t.s);
    if (t.s.kind != rdf::TermKind::kIri) {
      about += " (" + shortName(t.p) + " " +
               (t.o.kind == rdf::TermKind::kLiteral ? "\"" + t.o.value + "\"" : shortName(t.o)) +
               " ...)";
    }
    p.add(name + ": triples about " + about +
          ", which is neither the dt:Scenario nor one of its dt:change nodes");
  }
  if (!p.empty()) return p.status();
  return rs;
}

// ---- Applying

// Model-time seconds of a time spec: offsets as given, dates relative to Model::start.
struct Clock {
  bool hasStart = false;
  double start = 0;  // epoch seconds
};

struct Resolved {
  sim::Window w;
  std::string text;  // "2025-07-14..2025-08-25 (day 194..236)"
};

std::string dayText(double t) { return fmt(t / sim::kDay); }

class Applier {
 public:
  Applier(sim::Model& m, const Clock& clock, std::vector<std::string>* applied)
      : m_(m), clock_(clock), applied_(applied) {}

  void apply(const Change& c) {
    what_ = c.source + ": " + changeKindName(c.kind) + " change" +
            (c.label.empty() ? std::string() : " " + q(c.label));
    switch (c.kind) {
      case ChangeKind::kDemand: demand(c); break;
      case ChangeKind::kSupplierInterruption: supplier(c); break;
      case ChangeKind::kLaneDisruption: lane(c); break;
      case ChangeKind::kMachineFailure: failure(c); break;
      case ChangeKind::kAddMachine: addMachine(c); break;
      case ChangeKind::kCapacity: capacity(c); break;
      case ChangeKind::kMoveProduction: move(c); break;
      case ChangeKind::kPolicy: policy(c); break;
    }
  }
  Problems problems;

 private:
  void error(const std::string& m) { problems.add(what_ + ": " + m); }
  void done(std::string line) {
    if (applied_) applied_->push_back(std::move(line));
  }

  bool toModel(const TimeSpec& t, double* out) {
    if (t.kind == TimeSpec::Kind::kOffset) {
      *out = t.value;
      return true;
    }
    if (!clock_.hasStart) {
      error("\"" + t.text + "\" is a date, but the model has no start date (Model::start), so it "
            "cannot be placed in simulated time; give an offset from the start such as \"30d\"");
      return false;
    }
    *out = t.value - clock_.start;
    return true;
  }

  std::string timeText(double t) const {
    return clock_.hasStart ? isoTime(clock_.start + t) : "day " + dayText(t);
  }

  bool window(const Change& c, Resolved* r) {
    const TimeWindow& tw = c.window;
    double a = 0, b = 0;
    if (!toModel(tw.from, &a)) return false;
    switch (tw.end) {
      case TimeWindow::End::kTo:
        if (!toModel(tw.to, &b)) return false;
        break;
      case TimeWindow::End::kThrough:
        if (!toModel(tw.to, &b)) return false;
        b += sim::kDay;
        break;
      case TimeWindow::End::kDuration: b = a + tw.duration; break;
      case TimeWindow::End::kNone: error("no end of the window"); return false;
    }
    if (!(b > a)) {
      error("the window " + describeWindow(tw) + " is empty or ends before it starts");
      return false;
    }
    if (b <= 0) {
      error("the window " + describeWindow(tw) + " ends before the simulation starts" +
            (clock_.hasStart ? " (" + isoTime(clock_.start) + ")" : std::string()));
      return false;
    }
    std::string clipped;
    if (a < 0) {
      clipped = ", clipped at the start of the simulation";
      a = 0;
    }
    r->w = {a, b};
    r->text = clock_.hasStart ? isoTime(clock_.start + a) + ".." + isoTime(clock_.start + b) +
                                    " (day " + dayText(a) + ".." + dayText(b) + clipped + ")"
                              : "day " + dayText(a) + ".." + dayText(b) +
                                    (clipped.empty() ? "" : " (" + clipped.substr(2) + ")");
    return true;
  }

  static std::string describeWindow(const TimeWindow& tw) {
    std::string s = tw.from.text;
    switch (tw.end) {
      case TimeWindow::End::kTo: return s + " to " + tw.to.text;
      case TimeWindow::End::kThrough: return s + " through " + tw.to.text;
      case TimeWindow::End::kDuration: return s + " for " + tw.durationText;
      case TimeWindow::End::kNone: return s;
    }
    return s;
  }

  bool hasProduct(const std::string& product) const {
    return std::find(m_.products.begin(), m_.products.end(), product) != m_.products.end();
  }
  bool hasSite(const std::string& site) const {
    return std::find(m_.sites.begin(), m_.sites.end(), site) != m_.sites.end();
  }

  void demand(const Change& c) {
    Resolved r;
    const bool okWindow = window(c, &r);
    std::vector<sim::Demand*> hits;
    std::vector<std::string> names;
    for (sim::Demand& d : m_.demands) {
      names.push_back(d.name);
      if (!c.demand.empty() && d.name != c.demand) continue;
      if (!c.product.empty() && d.product != c.product) continue;
      if (!c.site.empty() && d.site != c.site) continue;
      hits.push_back(&d);
    }
    if (hits.empty()) {
      if (!c.demand.empty()) {
        error("no demand named " + q(c.demand) + closest(c.demand, names));
      } else {
        std::vector<std::string> products;
        for (const sim::Demand& d : m_.demands) products.push_back(d.product);
        if (std::find(products.begin(), products.end(), c.product) == products.end()) {
          error("no demand for product " + q(c.product) + closest(c.product, products));
        } else {
          std::vector<std::string> sites;
          for (const sim::Demand& d : m_.demands) {
            if (d.product == c.product) sites.push_back(d.site);
          }
          error("no demand for " + q(c.product) + " at site " + q(c.site) +
                closest(c.site, sites));
        }
      }
      return;
    }
    if (!okWindow) return;
    for (sim::Demand* d : hits) {
      // Existing changes are non-overlapping; inside the new window their factors are
      // multiplied by the new one (split where they cross its edges), and the uncovered parts
      // of the window get the new factor alone.
      const double a = r.w.start, b = r.w.end, f = c.factor;
      std::vector<sim::DemandChange> old = d->changes;
      std::sort(old.begin(), old.end(), [](const auto& x, const auto& y) {
        return x.when.start < y.when.start;
      });
      for (size_t i = 1; i < old.size(); ++i) {
        if (old[i].when.start < old[i - 1].when.end) {
          error("demand " + q(d->name) + " already has overlapping changes");
          return;
        }
      }
      std::vector<sim::DemandChange> out;
      std::string combined;
      double covered = a;  // the part of [a, b) before `covered` is handled
      for (const sim::DemandChange& x : old) {
        const double s = x.when.start, e = x.when.end;
        if (e <= a || s >= b) {
          out.push_back(x);
          continue;
        }
        if (s < a) out.push_back({{s, a}, x.factor});
        if (std::max(s, a) > covered) out.push_back({{covered, std::max(s, a)}, f});
        out.push_back({{std::max(s, a), std::min(e, b)}, x.factor * f});
        combined += (combined.empty() ? "" : ", ") + std::string("x") + fmt(x.factor) + " on " +
                    timeText(std::max(s, a)) + ".." + timeText(std::min(e, b)) + " becomes x" +
                    fmt(x.factor * f);
        covered = std::min(e, b);
        if (e > b) out.push_back({{b, e}, x.factor});
      }
      if (covered < b) out.push_back({{covered, b}, f});
      std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
        return x.when.start < y.when.start;
      });
      d->changes = std::move(out);
      done("demand " + q(d->name) + ": order rate x" + fmt(f) + " " + r.text +
           (combined.empty() ? std::string() : "; combined with existing changes: " + combined));
    }
  }

  void supplier(const Change& c) {
    Resolved r;
    const bool okWindow = window(c, &r);
    std::vector<sim::Supplier*> hits;
    std::vector<std::string> names, vendors;
    bool nameMatched = false;
    for (sim::Supplier& s : m_.suppliers) {
      names.push_back(s.name);
      // Names from the graph are "<vendor> / <product>@<site>".
      const size_t sep = s.name.find(" / ");
      const size_t at = s.name.rfind('@');
      const std::string vendor = sep == std::string::npos ? s.name : s.name.substr(0, sep);
      const std::string product = sep == std::string::npos || at == std::string::npos || at < sep
                                      ? std::string()
                                      : s.name.substr(sep + 3, at - sep - 3);
      const std::string site = at == std::string::npos ? std::string() : s.name.substr(at + 1);
      vendors.push_back(vendor);
      if (s.name != c.supplier && vendor != c.supplier) continue;
      nameMatched = true;
      if (!c.product.empty() && product != c.product) continue;
      if (!c.site.empty() && site != c.site) continue;
      hits.push_back(&s);
    }
    if (hits.empty()) {
      if (!nameMatched) {
        std::vector<std::string> all = names;
        all.insert(all.end(), vendors.begin(), vendors.end());
        error("no supplier named " + q(c.supplier) + " (neither a supplier's full name nor the "
              "vendor of \"<vendor> / <product>@<site>\")" + closest(c.supplier, all));
      } else {
        std::vector<std::string> theirs;
        for (const std::string& n : names) {
          if (n == c.supplier || n.rfind(c.supplier + " / ", 0) == 0) theirs.push_back(n);
        }
        std::string list;
        for (const std::string& n : theirs) list += (list.empty() ? "" : ", ") + q(n);
        error("supplier " + q(c.supplier) + " supplies nothing matching" +
              (c.product.empty() ? std::string() : " product " + q(c.product)) +
              (c.site.empty() ? std::string() : " at site " + q(c.site)) + "; its supplies: " +
              list);
      }
      return;
    }
    if (!okWindow) return;
    for (sim::Supplier* s : hits) {
      s->interruptions.push_back(r.w);
      done("supplier " + q(s->name) + ": interrupted " + r.text);
    }
  }

  void lane(const Change& c) {
    Resolved r;
    const bool okWindow = window(c, &r);
    sim::Lane* hit = nullptr;
    std::vector<std::string> names;
    for (sim::Lane& l : m_.lanes) {
      names.push_back(l.name);
      if (l.name == c.lane) hit = &l;
    }
    if (!hit) {
      error("no lane named " + q(c.lane) + closest(c.lane, names));
      return;
    }
    if (!okWindow) return;
    hit->disruptions.push_back(r.w);
    done("lane " + q(hit->name) + " (" + hit->from + " -> " + hit->to + "): disrupted " + r.text);
  }

  struct MachineRef {
    sim::Line* line;
    sim::Machine* machine;
  };

  // The machines a change names: a line (all its machines, or `single`: its only one), a
  // machine of a line, or a machine name (or "line/machine") unique in the model.
  std::vector<MachineRef> machines(const Change& c, bool single) {
    std::vector<MachineRef> out;
    std::vector<std::string> lineNames, machineNames;
    for (sim::Line& l : m_.lines) {
      lineNames.push_back(l.name);
      for (sim::Machine& mc : l.machines) machineNames.push_back(l.name + "/" + mc.name);
    }
    if (!c.line.empty()) {
      sim::Line* line = nullptr;
      for (sim::Line& l : m_.lines) {
        if (l.name == c.line) line = &l;
      }
      if (!line) {
        error("no line named " + q(c.line) + closest(c.line, lineNames));
        return out;
      }
      std::vector<std::string> own;
      for (sim::Machine& mc : line->machines) {
        own.push_back(mc.name);
        if (c.machine.empty() || mc.name == c.machine) out.push_back({line, &mc});
      }
      if (out.empty() && !c.machine.empty()) {
        error("line " + q(line->name) + " has no machine " + q(c.machine) +
              closest(c.machine, own, "it has no machines"));
      } else if (out.empty()) {
        error("line " + q(line->name) + " has no machines");
      } else if (single && out.size() > 1) {
        std::string list;
        for (const std::string& n : own) list += (list.empty() ? "" : ", ") + q(n);
        error("line " + q(line->name) + " has " + std::to_string(out.size()) +
              " machines; name one with \"machine\": " + list);
        out.clear();
      }
      return out;
    }
    for (sim::Line& l : m_.lines) {
      for (sim::Machine& mc : l.machines) {
        if (mc.name == c.machine || l.name + "/" + mc.name == c.machine) out.push_back({&l, &mc});
      }
    }
    if (out.empty()) {
      std::vector<std::string> all = machineNames;
      for (sim::Line& l : m_.lines) {
        for (sim::Machine& mc : l.machines) all.push_back(mc.name);
      }
      error("no machine named " + q(c.machine) + closest(c.machine, all));
    } else if (out.size() > 1) {
      std::string list;
      for (const MachineRef& r : out) list += (list.empty() ? "" : ", ") + q(r.line->name);
      error("machine " + q(c.machine) + " is in several lines (" + list +
            "); give \"line\" too");
      out.clear();
    }
    return out;
  }

  static std::string machineName(const MachineRef& r) {
    return "machine " + q(r.line->name + "/" + r.machine->name);
  }

  void failure(const Change& c) {
    Resolved r;
    const bool okWindow = window(c, &r);
    std::vector<MachineRef> ms = machines(c, false);
    if (ms.empty() || !okWindow) return;
    for (const MachineRef& ref : ms) {
      for (const sim::Window& w : ref.machine->outages) {
        if (w.start < r.w.end && r.w.start < w.end) {
          error(machineName(ref) + " already has an outage at day " + dayText(w.start) + ".." +
                dayText(w.end) + ", which overlaps " + r.text +
                " (one failure cannot start while the machine is down)");
          return;
        }
      }
    }
    for (const MachineRef& ref : ms) {
      ref.machine->outages.push_back(r.w);
      done(machineName(ref) + ": down (unplanned outage) " + r.text);
    }
  }

  void addMachine(const Change& c) {
    std::vector<MachineRef> ms = machines(c, true);
    if (ms.empty()) return;
    sim::Machine& mc = *ms[0].machine;
    const int before = mc.parallel;
    mc.parallel += c.count;
    done(machineName(ms[0]) + ": parallel units " + std::to_string(before) + " -> " +
         std::to_string(mc.parallel));
  }

  // X / f for a duration X of any distribution (the shape is kept).
  static sim::Dist divided(const sim::Dist& d, double f) {
    sim::Dist r = d;
    switch (d.kind) {
      case sim::DistKind::kNone: break;
      case sim::DistKind::kDeterministic:
      case sim::DistKind::kExponential: r.a = d.a / f; break;
      case sim::DistKind::kUniform:
      case sim::DistKind::kNormal: r.a = d.a / f; r.b = d.b / f; break;
      case sim::DistKind::kLognormal: r.a = d.a - std::log(f); break;  // mu of ln X
      case sim::DistKind::kWeibull:
      case sim::DistKind::kGamma: r.b = d.b / f; break;  // scale
      case sim::DistKind::kTriangular: r.a = d.a / f; r.b = d.b / f; r.c = d.c / f; break;
      case sim::DistKind::kEmpirical: {
        auto t = std::make_shared<std::vector<double>>(*d.table);
        for (double& x : *t) x /= f;
        r.table = std::move(t);
        break;
      }
    }
    return r;
  }

  void capacity(const Change& c) {
    std::vector<MachineRef> ms = machines(c, false);
    if (ms.empty()) return;
    if (!c.product.empty() && !hasProduct(c.product)) {
      error("no product named " + q(c.product) + closest(c.product, m_.products));
      return;
    }
    for (const MachineRef& ref : ms) {
      auto& ct = ref.machine->cycleTime;
      std::string text;
      if (c.product.empty()) {
        for (auto& [product, dist] : ct) {
          sim::Dist nd = divided(dist, c.factor);
          text += (text.empty() ? "" : "; ") + product + " " + dist.describe() + " -> " +
                  nd.describe();
          dist = nd;
        }
      } else {
        auto it = ct.find(c.product);
        std::string from = c.product;
        if (it == ct.end()) it = ct.find("*"), from = "* (copied for " + c.product + ")";
        if (it == ct.end()) {
          error(machineName(ref) + " has no cycle time for " + q(c.product) + " nor \"*\"");
          continue;
        }
        sim::Dist nd = divided(it->second, c.factor);
        text = from + " " + it->second.describe() + " -> " + nd.describe();
        ct[c.product] = nd;
      }
      if (text.empty()) {
        error(machineName(ref) + " has no cycle times to scale");
        continue;
      }
      done(machineName(ref) + ": capacity x" + fmt(c.factor) + ", cycle times / " +
           fmt(c.factor) + ": " + text);
    }
  }

  void move(const Change& c) {
    sim::Line* from = nullptr;
    sim::Line* to = nullptr;
    std::vector<std::string> lineNames;
    for (sim::Line& l : m_.lines) {
      lineNames.push_back(l.name);
      if (l.name == c.fromLine) from = &l;
      if (l.name == c.toLine) to = &l;
    }
    if (!from) error("no line named " + q(c.fromLine) + closest(c.fromLine, lineNames));
    if (!to) error("no line named " + q(c.toLine) + closest(c.toLine, lineNames));
    if (!hasProduct(c.product)) {
      error("no product named " + q(c.product) + closest(c.product, m_.products));
      return;
    }
    if (!from || !to) return;
    // Indices, not pointers: an inventory may be added below.
    std::vector<size_t> invs;
    for (size_t i = 0; i < m_.inventories.size(); ++i) {
      if (m_.inventories[i].product == c.product && m_.inventories[i].line == from->name) {
        invs.push_back(i);
      }
    }
    if (invs.empty()) {
      std::vector<std::string> made;
      for (const sim::Inventory& inv : m_.inventories) {
        if (inv.line == from->name) made.push_back(inv.product);
      }
      error("no inventory of " + q(c.product) + " is made on line " + q(from->name) +
            closest(c.product, made, "the line makes nothing"));
      return;
    }
    if (to->input != sim::LineInput::kOrders) {
      error("line " + q(to->name) + " does not take production orders (its input is push or "
            "arrivals)");
      return;
    }
    // Cycle times for the product on the new line, where none applies.
    for (size_t i = 0; i < to->machines.size(); ++i) {
      sim::Machine& mc = to->machines[i];
      if (mc.cycleTime.count(c.product) || mc.cycleTime.count("*")) continue;
      const sim::Machine* src =
          from->machines.empty() ? nullptr
                                 : &from->machines[std::min(i, from->machines.size() - 1)];
      const sim::Dist* d = nullptr;
      if (src) {
        auto it = src->cycleTime.find(c.product);
        if (it == src->cycleTime.end()) it = src->cycleTime.find("*");
        if (it != src->cycleTime.end()) d = &it->second;
      }
      if (!d) {
        error("machine " + q(to->name + "/" + mc.name) + " has no cycle time for " +
              q(c.product) + " and none can be copied from line " + q(from->name));
        return;
      }
      mc.cycleTime[c.product] = *d;
      done("machine " + q(to->name + "/" + mc.name) + ": cycle time of " + q(c.product) +
           " copied from " + q(from->name + "/" + src->name) + ": " + d->describe());
    }
    for (size_t idx : invs) {
      sim::Inventory* inv = &m_.inventories[idx];
      const std::string name = "inventory " + q(inv->product + "@" + inv->site);
      if (to->site == inv->site) {
        inv->line = to->name;
        done(name + ": made on line " + q(to->name) + " instead of " + q(from->name));
        continue;
      }
      // Another site: the product is made and stocked there, and shipped over a lane.
      const sim::Lane* lane = nullptr;
      for (const sim::Lane& l : m_.lanes) {
        if (l.from == to->site && l.to == inv->site && !lane) lane = &l;
      }
      if (!lane) {
        error("line " + q(to->name) + " is at site " + q(to->site) + " and " + name +
              " at " + q(inv->site) + ": production can move there only with a lane from " +
              q(to->site) + " to " + q(inv->site) + ", and the model has none");
        return;
      }
      sim::Inventory* there = nullptr;
      for (sim::Inventory& x : m_.inventories) {
        if (x.site == to->site && x.product == inv->product) there = &x;
      }
      const std::string laneName = lane->name;
      const std::string invSite = inv->site;
      if (there) {
        if (!there->line.empty() || !there->primarySupplier.empty() || !there->lane.empty()) {
          const std::string old =
              !there->line.empty()  ? "line " + q(there->line)
              : !there->lane.empty() ? "lane " + q(there->lane)
                                     : "supplier " + q(there->primarySupplier);
          done("inventory " + q(there->product + "@" + there->site) + ": made on line " +
               q(to->name) + " instead of " + old);
        } else {
          done("inventory " + q(there->product + "@" + there->site) + ": made on line " +
               q(to->name));
        }
        there->line = to->name;
        there->primarySupplier.clear();
        there->backupSupplier.clear();
        there->lane.clear();
        inv->line.clear();
        inv->lane = laneName;
      } else {
        sim::Inventory n = *inv;
        n.site = to->site;
        n.initial = 0;
        n.line = to->name;
        inv->line.clear();
        inv->lane = laneName;
        const std::string product = n.product;
        m_.inventories.push_back(std::move(n));  // invalidates `inv`, not the indices
        done("inventory " + q(product + "@" + to->site) + ": added, made on line " +
             q(to->name) + ", same policy as at " + q(invSite) + ", initial stock 0");
      }
      done(name + ": shipped over lane " + q(laneName) + " from " + q(to->site) +
           " instead of made on line " + q(from->name));
    }
  }

  static std::string policyText(const sim::Inventory& inv) {
    switch (inv.policy) {
      case sim::Policy::kNone: return "none";
      case sim::Policy::kMinMax:
        return "(s,S) = (" + std::to_string(inv.s) + "," + std::to_string(inv.S) + ")";
      case sim::Policy::kPeriodic:
        return "(R,S) = (" + fmt(inv.reviewPeriod / sim::kDay) + "d," + std::to_string(inv.S) + ")";
    }
    return "?";
  }

  void policy(const Change& c) {
    std::string product = c.product, site = c.site;
    if (!c.inventory.empty()) {
      const size_t at = c.inventory.rfind('@');
      if (at == std::string::npos) {
        error("inventory " + q(c.inventory) + " is not \"product@site\"");
        return;
      }
      product = c.inventory.substr(0, at);
      site = c.inventory.substr(at + 1);
    }
    std::vector<sim::Inventory*> hits;
    std::vector<std::string> names;
    for (sim::Inventory& inv : m_.inventories) {
      names.push_back(inv.product + "@" + inv.site);
      if (inv.product == product && (site.empty() || inv.site == site)) hits.push_back(&inv);
    }
    if (hits.empty()) {
      const std::string wanted = site.empty() ? product : product + "@" + site;
      error("no inventory " + q(wanted) + closest(wanted, names));
      return;
    }
    for (sim::Inventory* inv : hits) {
      sim::Inventory n = *inv;
      if (c.policy) n.policy = *c.policy;
      if (c.reorderPoint) n.s = *c.reorderPoint;
      if (c.orderUpTo) n.S = *c.orderUpTo;
      if (c.reviewPeriod) n.reviewPeriod = *c.reviewPeriod;
      if (c.initialStock) n.initial = *c.initialStock;
      const std::string name = "inventory " + q(inv->product + "@" + inv->site);
      if (n.policy == sim::Policy::kMinMax && !(n.S > n.s)) {
        error(name + ": (s,S) needs S > s, and the result would be s = " + std::to_string(n.s) +
              ", S = " + std::to_string(n.S));
        continue;
      }
      if (n.policy == sim::Policy::kPeriodic && (!(n.reviewPeriod > 0) || n.S <= 0)) {
        error(name + ": (R,S) needs reviewPeriod > 0 and orderUpTo > 0, and the result would be "
              "R = " + fmt(n.reviewPeriod / sim::kDay) + "d, S = " + std::to_string(n.S));
        continue;
      }
      if (n.policy != sim::Policy::kNone && n.line.empty() && n.primarySupplier.empty() &&
          n.lane.empty()) {
        error(name + ": has no source (line, supplier or lane), so it cannot reorder");
        continue;
      }
      std::string text = name + ": policy " + policyText(*inv) + " -> " + policyText(n);
      if (c.initialStock) {
        text += ", initial stock " + std::to_string(inv->initial) + " -> " +
                std::to_string(n.initial);
      }
      *inv = std::move(n);
      done(text);
    }
  }

  sim::Model& m_;
  Clock clock_;
  std::vector<std::string>* applied_;
  std::string what_;
};

}  // namespace

const char* changeKindName(ChangeKind kind) {
  for (const KindInfo& k : kinds()) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

const char* changeKindClass(ChangeKind kind) {
  for (const KindInfo& k : kinds()) {
    if (k.kind == kind) return k.klass;
  }
  return "?";
}

Result<Scenario> parseScenario(std::string_view text, ScenarioFormat format,
                               const std::string& sourceName) {
  const std::string name = sourceName.empty() ? std::string("<scenario>") : sourceName;
  if (text.size() > kMaxScenarioBytes) {
    return Status::invalidArgument(name + ": " + std::to_string(text.size()) +
                                   " bytes; a scenario file may have at most " +
                                   std::to_string(kMaxScenarioBytes) + " bytes");
  }
  auto raw = format == ScenarioFormat::kJson ? readJson(text, name) : readTurtle(text, name);
  if (!raw) return raw.status();
  Problems p;
  Scenario sc;
  sc.name = raw->name;
  sc.description = raw->description;
  sc.sourceName = sourceName;
  sc.format = format;
  sc.sha256 = sha256Hex(text);
  for (size_t i = 0; i < raw->changes.size(); ++i) buildChange(raw->changes[i], i, p, &sc.changes);
  if (!p.empty()) return p.status();
  if (sc.changes.empty()) return Status::invalidArgument(name + ": the scenario has no changes");
  return sc;
}

Result<Scenario> parseScenarioFile(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  ext = lower(ext);
  ScenarioFormat format;
  if (ext == ".json") format = ScenarioFormat::kJson;
  else if (ext == ".ttl" || ext == ".turtle") format = ScenarioFormat::kTurtle;
  else {
    return Status::invalidArgument(path + ": a scenario file ends in .json or .ttl, not '" + ext +
                                   "'");
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::invalidArgument(path + ": a directory, not a scenario file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::notFound("cannot read scenario '" + path + "': " + ec.message());
  if (size > kMaxScenarioBytes) {
    return Status::invalidArgument(path + ": " + std::to_string(size) +
                                   " bytes; a scenario file may have at most " +
                                   std::to_string(kMaxScenarioBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot open scenario '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::ioError("cannot read scenario '" + path + "'");
  return parseScenario(text, format, path);
}

Status applyScenario(const Scenario& scenario, sim::Model& model,
                     std::vector<std::string>* applied) {
  Clock clock;
  if (!model.start.empty()) {
    TimeSpec t;
    std::string why;
    if (!parseDateTime(model.start, &t, &why)) {
      return Status::invalidArgument("the model's start date \"" + model.start + "\": " + why);
    }
    clock.hasStart = true;
    clock.start = t.value;
  }
  // Work on a copy: the model stays unchanged unless every change applies.
  sim::Model copy = model;
  std::vector<std::string> lines;
  Applier a(copy, clock, &lines);
  for (const Change& c : scenario.changes) a.apply(c);
  WEFT_TRY(a.problems.status());
  model = std::move(copy);
  if (applied) applied->insert(applied->end(), lines.begin(), lines.end());
  return Status::ok();
}

std::string describeChange(const Change& c) {
  std::string s = changeKindName(c.kind);
  auto add = [&](const char* key, const std::string& v) {
    if (!v.empty()) s += std::string(" ") + key + "=" + q(v);
  };
  add("product", c.product);
  add("site", c.site);
  add("demand", c.demand);
  add("supplier", c.supplier);
  add("lane", c.lane);
  add("line", c.line);
  add("machine", c.machine);
  add("inventory", c.inventory);
  add("fromLine", c.fromLine);
  add("toLine", c.toLine);
  if (c.window.end != TimeWindow::End::kNone) {
    s += " " + c.window.from.text;
    switch (c.window.end) {
      case TimeWindow::End::kTo: s += " to " + c.window.to.text; break;
      case TimeWindow::End::kThrough: s += " through " + c.window.to.text; break;
      case TimeWindow::End::kDuration: s += " for " + c.window.durationText; break;
      case TimeWindow::End::kNone: break;
    }
  }
  if (c.kind == ChangeKind::kDemand || c.kind == ChangeKind::kCapacity) s += " x" + fmt(c.factor);
  if (c.kind == ChangeKind::kAddMachine) s += " +" + std::to_string(c.count);
  return s;
}

}  // namespace weft::twin
