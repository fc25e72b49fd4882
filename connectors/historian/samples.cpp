// SPDX-License-Identifier: Apache-2.0
// The historian's strict readers and arithmetic (historian.h): CSV records
// with line numbers, timestamps, OPC quality codes, the tag dictionary with
// its unit table, per-phase statistics and excursion detection. No I/O here.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "connectors/historian/historian.h"
#include "connectors/internal/files.h"
#include "engine/core/civil_date.h"

namespace weft::connectors::historian {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// RFC 4180 records with the line each starts on. Quoted fields may hold
// commas, doubled quotes and line breaks; CRLF and LF both end a record.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string name) : t_(text), name_(std::move(name)) {
    t_ = internal::stripBom(t_);
  }
  // The header record, whose field count every record must have; an empty
  // file is an error naming what was `expected`.
  Status header(std::vector<std::string>* fields, uint64_t* line, std::string_view expected) {
    Status err;
    if (next(fields, line, &err)) {
      ncols_ = fields->size();
      return Status::ok();
    }
    if (!err.isOk()) return err;
    return Status::syntaxError(name_ + ": empty file (expected " + std::string(expected) + ")");
  }
  // A record with as many fields as the header; `where` is "name:line: ".
  Status checkFieldCount(const std::vector<std::string>& fields, const std::string& where) const {
    if (fields.size() == ncols_) return Status::ok();
    return Status::syntaxError(where + std::to_string(fields.size()) + " fields where the header has " +
                               std::to_string(ncols_));
  }
  // False at the end; a malformed quote sets *err.
  bool next(std::vector<std::string>* fields, uint64_t* line, Status* err) {
    fields->clear();
    // Skip blank lines.
    while (pos_ < t_.size() && (t_[pos_] == '\n' || t_[pos_] == '\r')) {
      if (t_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= t_.size()) return false;
    *line = line_;
    std::string f;
    bool quoted = false, was_quoted = false;
    while (pos_ < t_.size()) {
      char c = t_[pos_];
      if (quoted) {
        if (c == '"') {
          if (pos_ + 1 < t_.size() && t_[pos_ + 1] == '"') {
            f += '"';
            pos_ += 2;
            continue;
          }
          quoted = false;
          ++pos_;
          continue;
        }
        if (c == '\n') ++line_;
        f += c;
        ++pos_;
        continue;
      }
      if (c == '"' && trim(f).empty() && !was_quoted) {
        f.clear();
        quoted = was_quoted = true;
        ++pos_;
        continue;
      }
      if (c == ',') {
        fields->push_back(was_quoted ? f : std::string(trim(f)));
        f.clear();
        was_quoted = false;
        ++pos_;
        continue;
      }
      if (c == '\r' || c == '\n') break;
      if (was_quoted && c != ' ' && c != '\t') {
        *err = Status::syntaxError(name_ + ":" + std::to_string(*line) + ": text after a closing quote");
        return false;
      }
      f += c;
      ++pos_;
    }
    if (quoted) {
      *err = Status::syntaxError(name_ + ":" + std::to_string(*line) + ": a quoted field is not closed");
      return false;
    }
    fields->push_back(was_quoted ? f : std::string(trim(f)));
    if (pos_ < t_.size() && t_[pos_] == '\r') ++pos_;
    if (pos_ < t_.size() && t_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
  }

 private:
  std::string_view t_;
  std::string name_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  size_t ncols_ = 0;
};

std::optional<double> parseNumber(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Column positions of a header, by name (case-insensitive).
struct Header {
  std::map<std::string, size_t> pos;
  std::optional<size_t> find(const std::string& name) const {
    auto it = pos.find(name);
    if (it == pos.end()) return std::nullopt;
    return it->second;
  }
};

Header readHeader(const std::vector<std::string>& fields) {
  Header h;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string n(trim(fields[i]));
    for (char& c : n)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    h.pos.emplace(n, i);
  }
  return h;
}

std::string at(const std::vector<std::string>& f, size_t i) { return i < f.size() ? f[i] : std::string(); }

}  // namespace

// Percent-encodes what an IRI path segment may not hold, as an RML template
// does with a reference value (unreserved characters are kept).
std::string iriSegment(std::string_view v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c >= 0x80) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string orgOfPath(const std::string& path) {
  std::string p = "/" + path;
  for (char& c : p)
    if (c == '\\') c = '/';
  std::string best;
  size_t best_pos = 0;
  for (const char* org : {"aurelian", "brightwater", "meridian"}) {
    size_t at = p.rfind(std::string("/") + org + "/");
    if (at != std::string::npos && (best.empty() || at > best_pos)) {
      best = org;
      best_pos = at;
    }
  }
  return best;
}

const char* qualityName(Quality q) {
  switch (q) {
    case Quality::kGood: return "Good";
    case Quality::kUncertain: return "Uncertain";
    case Quality::kBad: return "Bad";
  }
  return "Bad";
}

std::optional<Quality> parseQuality(std::string_view text) {
  std::string_view s = trim(text);
  if (iequals(s, "good")) return Quality::kGood;
  if (iequals(s, "uncertain")) return Quality::kUncertain;
  if (iequals(s, "bad")) return Quality::kBad;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    // OPC UA StatusCode: 32 bits, severity in the top two.
    if (s.size() > 10) return std::nullopt;
    uint32_t v = 0;
    auto [end, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    switch (v >> 30) {
      case 0: return Quality::kGood;
      case 1: return Quality::kUncertain;
      case 2: return Quality::kBad;
      default: return std::nullopt;  // 11 is reserved
    }
  }
  // OPC DA quality byte: bits 7-6 are the quality.
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v > 255) return std::nullopt;
  switch (v >> 6) {
    case 3: return Quality::kGood;
    case 1: return Quality::kUncertain;
    case 0: return Quality::kBad;
    default: return std::nullopt;  // 10 is not used by OPC DA
  }
}

std::optional<int64_t> parseTimestamp(std::string_view text) {
  std::string_view s = trim(text);
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, &mo) || s[7] != '-' ||
      !digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, &h) || s[13] != ':' ||
      !digits(s, 14, 2, &mi) || s[16] != ':' || !digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap(y) ? 1 : 0) || h > 23 || mi > 59 ||
      sec > 59) {
    return std::nullopt;
  }
  size_t p = 19;
  int64_t ms = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    size_t start = p;
    int scale = 100;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      ms += (s[p] - '0') * scale;
      scale /= 10;
      ++p;
    }
    if (p == start) return std::nullopt;
  }
  int64_t offset_min = 0;
  if (p < s.size() && s[p] == 'Z' && p + 1 == s.size()) {
    offset_min = 0;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-') && p + 6 == s.size() && s[p + 3] == ':') {
    int oh, om;
    if (!digits(s, p + 1, 2, &oh) || !digits(s, p + 4, 2, &om) || oh > 14 || om > 59) return std::nullopt;
    offset_min = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
  } else {
    return std::nullopt;  // no time zone, or trailing text
  }
  int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
  return secs * 1000 + ms;
}

std::string formatTimestamp(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int64_t frac = ms - secs * 1000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  const CivilDate c = civilFromDays(days);
  const int64_t y = c.year;
  const unsigned m = c.month, d = c.day;
  char buf[96];
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60), static_cast<long long>(frac));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60));
  }
  return buf;
}

Result<SampleFile> parseSamples(std::string_view text, const std::string& name) {
  CsvReader r(text, name);
  std::vector<std::string> f;
  uint64_t line = 0;
  WEFT_TRY(r.header(&f, &line, "the header tag,timestamp,value,quality"));
  Header h = readHeader(f);
  auto ct = h.find("tag"), cts = h.find("timestamp"), cv = h.find("value"), cq = h.find("quality");
  if (!ct || !cts || !cv || !cq) {
    return Status::syntaxError(name + ":" + std::to_string(line) +
                               ": the header must name the columns tag, timestamp, value and quality");
  }
  SampleFile out;
  Status err;
  std::unordered_map<std::string, uint32_t> index;
  while (r.next(&f, &line, &err)) {
    std::string where = name + ":" + std::to_string(line) + ": ";
    WEFT_TRY(r.checkFieldCount(f, where));
    Sample s;
    s.line = line;
    if (f[*ct].empty()) return Status::syntaxError(where + "empty tag");
    auto [it, added] = index.try_emplace(f[*ct], static_cast<uint32_t>(out.tags.size()));
    if (added) out.tags.push_back(f[*ct]);
    s.tag = it->second;
    auto ts = parseTimestamp(f[*cts]);
    if (!ts) return Status::syntaxError(where + "bad timestamp '" + f[*cts] + "' (expected e.g. 2025-03-03T08:15:00.000Z)");
    s.ts = *ts;
    auto q = parseQuality(f[*cq]);
    if (!q) {
      return Status::syntaxError(where + "unknown quality '" + f[*cq] +
                                 "' (expected Good, Uncertain, Bad, an OPC DA quality 0-255 or an OPC UA status 0x...)");
    }
    s.quality = *q;
    if (trim(f[*cv]).empty()) {
      if (s.quality == Quality::kGood) return Status::syntaxError(where + "a Good sample without a value");
      s.has_value = false;
    } else {
      auto v = parseNumber(f[*cv]);
      if (!v) return Status::syntaxError(where + "non-numeric value '" + f[*cv] + "'");
      s.value = *v;
    }
    out.samples.push_back(s);
  }
  if (!err.isOk()) return err;
  return out;
}

std::string qudtUnit(std::string_view ucum, std::string_view unece) {
  struct Row {
    const char* code;
    const char* qudt;  // local name under http://qudt.org/vocab/unit/
  };
  // UN/CEFACT Recommendation 20 common codes: the more specific of the two
  // (RPM says revolutions where UCUM writes "/min"), so they are tried first.
  static const Row kUnece[] = {
      {"CEL", "DEG_C"},       {"KEL", "K"},        {"FAH", "DEG_F"},         {"P1", "PERCENT"},
      {"BAR", "BAR"},         {"MBR", "MilliBAR"}, {"PAL", "PA"},            {"KPA", "KiloPA"},
      {"PS", "PSI"},          {"RPM", "REV-PER-MIN"}, {"KWH", "KiloW-HR"},   {"WTT", "W"},
      {"KWT", "KiloW"},       {"LTR", "L"},        {"MLT", "MilliL"},        {"L2", "L-PER-MIN"},
      {"KGM", "KiloGM"},      {"GRM", "GM"},       {"M1", "MilliGM-PER-L"},  {"GL", "GM-PER-L"},
      {"B47", "KiloN"},       {"NEW", "N"},        {"MMT", "MilliM"},        {"SEC", "SEC"},
      {"MIN", "MIN"},         {"HUR", "HR"},       {"C62", "UNITLESS"},      {"MTS", "M-PER-SEC"},
      {"H61", "MilliS-PER-CentiM"}, {"G42", "MicroS-PER-CentiM"},            {"2Z", "MilliV"}, {"C16", "MilliM-PER-SEC"},
  };
  // UCUM case-sensitive codes.
  static const Row kUcum[] = {
      {"Cel", "DEG_C"},       {"K", "K"},          {"[degF]", "DEG_F"},      {"[pH]", "PH"},
      {"%", "PERCENT"},       {"bar", "BAR"},      {"mbar", "MilliBAR"},     {"Pa", "PA"},
      {"kPa", "KiloPA"},      {"[psi]", "PSI"},    {"/min", "PER-MIN"},      {"/h", "PER-HR"},
      {"/s", "PER-SEC"},      {"kW.h", "KiloW-HR"}, {"W", "W"},              {"kW", "KiloW"},
      {"L", "L"},             {"mL", "MilliL"},    {"L/min", "L-PER-MIN"},   {"kg", "KiloGM"},
      {"g", "GM"},            {"mg/L", "MilliGM-PER-L"}, {"g/L", "GM-PER-L"}, {"kN", "KiloN"},
      {"N", "N"},             {"mm", "MilliM"},    {"s", "SEC"},             {"min", "MIN"},
      {"h", "HR"},            {"1", "UNITLESS"},   {"{count}", "NUM"},       {"m/s", "M-PER-SEC"},
      {"mS/cm", "MilliS-PER-CentiM"}, {"uS/cm", "MicroS-PER-CentiM"},      {"mV", "MilliV"}, {"mm/s", "MilliM-PER-SEC"},
  };
  static const std::string kBase = "http://qudt.org/vocab/unit/";
  ucum = trim(ucum);
  unece = trim(unece);
  if (!unece.empty())
    for (const Row& r : kUnece)
      if (iequals(unece, r.code)) return kBase + r.qudt;
  if (!ucum.empty())
    for (const Row& r : kUcum)
      if (ucum == r.code) return kBase + r.qudt;
  return "";
}

Result<std::vector<TagRow>> parseTags(std::string_view text, const std::string& name) {
  CsvReader r(text, name);
  std::vector<std::string> f;
  uint64_t line = 0;
  WEFT_TRY(r.header(&f, &line, "a tag dictionary header"));
  Header h = readHeader(f);
  static const char* kCols[] = {"tag", "description", "equipment_id", "property", "unit_ucum",
                                "unit_unece", "sample_interval_s", "low", "high", "cpp_id"};
  std::map<std::string, size_t> c;
  for (const char* col : kCols) {
    auto p = h.find(col);
    if (!p) return Status::syntaxError(name + ":" + std::to_string(line) + ": the header has no column " + col);
    c[col] = *p;
  }
  std::vector<TagRow> out;
  std::set<std::string> seen;
  Status err;
  while (r.next(&f, &line, &err)) {
    std::string where = name + ":" + std::to_string(line) + ": ";
    WEFT_TRY(r.checkFieldCount(f, where));
    TagRow t;
    t.line = line;
    t.tag = at(f, c["tag"]);
    t.equipment_id = at(f, c["equipment_id"]);
    t.property = at(f, c["property"]);
    t.unit_ucum = at(f, c["unit_ucum"]);
    t.unit_unece = at(f, c["unit_unece"]);
    t.cpp_id = at(f, c["cpp_id"]);
    if (t.tag.empty()) return Status::syntaxError(where + "empty tag");
    if (!seen.insert(t.tag).second) return Status::syntaxError(where + "tag '" + t.tag + "' is listed twice");
    auto number = [&](const char* col, std::optional<double>* out) -> Status {
      std::string v = at(f, c[col]);
      if (v.empty()) return Status::ok();
      *out = parseNumber(v);
      if (!*out) return Status::syntaxError(where + col + " '" + v + "' is not a number");
      return Status::ok();
    };
    WEFT_TRY(number("sample_interval_s", &t.interval_s));
    WEFT_TRY(number("low", &t.low));
    WEFT_TRY(number("high", &t.high));
    // 0: no fixed interval (written on change).
    if (t.interval_s && *t.interval_s < 0) return Status::syntaxError(where + "sample_interval_s is negative");
    if (t.interval_s && *t.interval_s > kMaxIntervalSeconds)
      return Status::syntaxError(where + "sample_interval_s is more than a year");
    if (t.interval_s && *t.interval_s == 0) t.interval_s.reset();
    if (t.low && t.high && *t.low > *t.high) return Status::syntaxError(where + "low is above high");
    if ((!t.unit_ucum.empty() || !t.unit_unece.empty()) && qudtUnit(t.unit_ucum, t.unit_unece).empty()) {
      return Status::syntaxError(where + "unit '" + t.unit_ucum + "' / '" + t.unit_unece +
                                 "' has no QUDT unit in weft's table (connectors/historian/samples.cpp)");
    }
    out.push_back(std::move(t));
  }
  if (!err.isOk()) return err;
  return out;
}

namespace {
bool outside(double v, std::optional<double> low, std::optional<double> high) {
  return (low && v < *low) || (high && v > *high);
}
int64_t millis(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1000)); }
}  // namespace

PhaseStats summarise(const std::vector<Sample>& samples, int64_t start, int64_t end, std::optional<double> low,
                     std::optional<double> high, double interval_s, double max_hold_s) {
  PhaseStats st;
  const int64_t step = millis(interval_s), hold = millis(std::max(interval_s, max_hold_s));
  double sum = 0, weight = 0;
  int64_t out_ms = 0;
  auto it = std::lower_bound(samples.begin(), samples.end(), start,
                             [](const Sample& s, int64_t t) { return s.ts < t; });
  for (; it != samples.end() && it->ts < end; ++it) {
    if (it->quality != Quality::kGood || !it->has_value) continue;
    // How long the value stands: until the next sample, at most `hold`
    // (the last sample known: one interval), never past the window.
    auto next = std::next(it);
    int64_t until = next != samples.end() ? std::min(next->ts, it->ts + hold) : it->ts + step;
    until = std::min(until, end);
    double v = it->value;
    if (st.count == 0) {
      st.min = st.max = v;
    } else {
      st.min = std::min(st.min, v);
      st.max = std::max(st.max, v);
    }
    ++st.count;
    double w = static_cast<double>(until - it->ts);
    sum += v * w;
    weight += w;
    if (outside(v, low, high)) out_ms += until - it->ts;
  }
  if (weight > 0) st.mean = sum / weight;
  st.minutes_out = static_cast<double>(out_ms) / 60000.0;
  return st;
}

std::vector<Excursion> findExcursions(const std::vector<Sample>& samples, std::optional<double> low,
                                      std::optional<double> high, double interval_s, double min_minutes,
                                      double max_hold_s) {
  std::vector<Excursion> out;
  const int64_t step = millis(interval_s), hold = millis(std::max(interval_s, max_hold_s));
  std::optional<Excursion> cur;
  int64_t last_ts = 0;
  // Ends the current run at the next sample's time (at most `hold` after
  // its last outside sample; one interval when no sample follows).
  auto close = [&](std::optional<int64_t> next_ts) {
    if (!cur) return;
    cur->end = next_ts ? std::min(*next_ts, last_ts + hold) : last_ts + step;
    if (cur->minutes() + 1e-9 >= min_minutes) out.push_back(*cur);
    cur.reset();
  };
  for (const Sample& s : samples) {
    bool good = s.quality == Quality::kGood && s.has_value;
    bool above = good && high && s.value > *high;
    bool below = good && low && s.value < *low;
    if (cur && (!(above || below) || cur->above != above || s.ts - last_ts > hold)) close(s.ts);
    if (above || below) {
      if (!cur) {
        cur = Excursion{s.ts, s.ts, s.value, above};
      } else {
        cur->extreme = above ? std::max(cur->extreme, s.value) : std::min(cur->extreme, s.value);
      }
      last_ts = s.ts;
    }
  }
  close(std::nullopt);
  return out;
}

}  // namespace weft::connectors::historian
