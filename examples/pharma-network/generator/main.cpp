// SPDX-License-Identifier: Apache-2.0
// weft_pharma_gen entry point and the portable helpers declared in gen.h.
// Usage: weft_pharma_gen --profile small|full --seed N --out DIR
// Same profile + seed = byte-identical output (own PRNG, IEEE arithmetic only).
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "gen.h"

namespace pgen {

// ---------- PRNG ----------
static u64 splitmix(u64& x) {
  u64 z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
Rng::Rng(u64 seed) {
  u64 x = seed;
  for (auto& s : s_) s = splitmix(x);
}
static inline u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }
u64 Rng::next() {
  const u64 result = rotl(s_[1] * 5, 7) * 9;
  const u64 t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}
u64 Rng::below(u64 n) {
  if (n <= 1) return 0;
  // rejection sampling for an unbiased, portable result
  const u64 limit = UINT64_MAX - UINT64_MAX % n;
  u64 v;
  do { v = next(); } while (v >= limit);
  return v % n;
}
double Rng::gauss() {
  double s = 0;
  for (int i = 0; i < 6; ++i) s += unit();
  return (s - 3.0) * 1.4142135623730951;  // var of sum = 0.5 -> sd 1
}

// ---------- time ----------
i64 days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const i64 era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<i64>(doe) - 719468;
}
static void civil_from_days(i64 z, int& y, int& m, int& d) {
  z += 719468;
  const i64 era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const i64 yy = static_cast<i64>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}
static i64 floordiv(i64 a, i64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
i64 ts(int y, int m, int d, int hh, int mi, int ss) {
  return days_from_civil(y, m, d) * kDay + hh * 3600 + mi * 60 + ss;
}
static void split(i64 t, int& y, int& mo, int& d, int& h, int& mi, int& s) {
  const i64 days = floordiv(t, kDay);
  i64 rem = t - days * kDay;
  civil_from_days(days, y, mo, d);
  h = static_cast<int>(rem / 3600);
  mi = static_cast<int>(rem % 3600 / 60);
  s = static_cast<int>(rem % 60);
}
std::string iso_date(i64 t) {
  int y, mo, d, h, mi, s;
  split(t, y, mo, d, h, mi, s);
  char b[32];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, mo, d);
  return b;
}
std::string iso_dt(i64 t) {
  int y, mo, d, h, mi, s;
  split(t, y, mo, d, h, mi, s);
  char b[40];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
  return b;
}
std::string iso_dt_ms(i64 t) {
  std::string s = iso_dt(t);
  s.insert(s.size() - 1, ".000");
  return s;
}
std::string iso_dt_frac(i64 t) {
  std::string s = iso_dt(t);
  s.insert(s.size() - 1, ".0");
  return s;
}
int month_of(i64 t) {
  int y, mo, d, h, mi, s;
  split(t, y, mo, d, h, mi, s);
  return mo;
}
int weekday(i64 t) {
  const i64 days = floordiv(t, kDay);
  // 1970-01-01 was a Thursday (3 when Monday = 0)
  i64 w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}
std::string yymmdd(i64 t) {
  std::string d = iso_date(t);
  return d.substr(2, 2) + d.substr(5, 2) + d.substr(8, 2);
}
std::string tz_us_east(i64 t) {
  // 2025: DST from 2025-03-09 07:00Z to 2025-11-02 06:00Z
  return (t >= ts(2025, 3, 9, 7) && t < ts(2025, 11, 2, 6)) ? "-04:00" : "-05:00";
}
std::string tz_ireland(i64 t) {
  return (t >= ts(2025, 3, 30, 1) && t < ts(2025, 10, 26, 1)) ? "+01:00" : "+00:00";
}

// ---------- formatting ----------
std::string fmt(double v, int decimals) {
  char b[64];
  double eps = 0.5;
  for (int i = 0; i < decimals; ++i) eps /= 10.0;
  if (v > -eps && v < eps) v = 0.0;  // no "-0.00"
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}
std::string pad(i64 v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}
std::string pad_str(const std::string& s, int width) {
  if (static_cast<int>(s.size()) >= width) return s;
  return std::string(width - s.size(), '0') + s;
}

// ---------- GS1 ----------
char gs1_check(std::string_view d) {
  int sum = 0;
  int w = 3;
  for (size_t i = d.size(); i-- > 0;) {
    sum += (d[i] - '0') * w;
    w = (w == 3) ? 1 : 3;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}
std::string gtin14(const std::string& ind, const std::string& prefix, const std::string& itemref) {
  std::string b = ind + prefix + itemref;
  return b + gs1_check(b);
}
std::string gln13(const std::string& prefix, const std::string& locref) {
  std::string b = prefix + locref;
  return b + gs1_check(b);
}
std::string sscc18(const std::string& ext, const std::string& prefix, const std::string& serialref) {
  std::string b = ext + prefix + serialref;
  return b + gs1_check(b);
}
bool gs1_valid(std::string_view full) {
  if (full.empty()) return false;
  for (char c : full)
    if (c < '0' || c > '9') return false;
  return gs1_check(full.substr(0, full.size() - 1)) == full.back();
}

// ---------- output ----------
bool Out::write(const std::string& rel, const std::string& content, i64 records) {
  std::filesystem::path p = std::filesystem::path(root_) / rel;
  std::error_code ec;
  std::filesystem::create_directories(p.parent_path(), ec);
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  if (!f) {
    std::fprintf(stderr, "weft_pharma_gen: cannot write %s\n", p.string().c_str());
    return false;
  }
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  stats_->files++;
  stats_->records += records;
  stats_->bytes += static_cast<i64>(content.size());
  std::string dir = rel.substr(0, rel.find('/', rel.find('/') + 1));
  auto& pd = stats_->per_dir[dir];
  pd.first++;
  pd.second += records;
  return static_cast<bool>(f);
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string r = "\"";
  for (char c : s) {
    if (c == '"') r += '"';
    r += c;
  }
  return r + "\"";
}
Csv::Csv(std::initializer_list<std::string> header) {
  bool first = true;
  for (const auto& h : header) {
    if (!first) buf_ += ',';
    buf_ += h;
    first = false;
  }
  buf_ += '\n';
}
void Csv::row(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) buf_ += ',';
    buf_ += csv_cell(cells[i]);
  }
  buf_ += '\n';
  ++rows_;
}
std::string xml_esc(const std::string& s) {
  std::string r;
  r.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': r += "&amp;"; break;
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '"': r += "&quot;"; break;
      default: r += c;
    }
  }
  return r;
}
std::string json_str(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    switch (c) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      default: r += c;
    }
  }
  return r + "\"";
}

}  // namespace pgen

static void usage() {
  std::puts(
      "weft_pharma_gen: writes the synthetic pharma-network example records (year 2025)\n"
      "usage: weft_pharma_gen --profile small|full [--seed N] [--streams] --out DIR\n"
      "  --profile small   CI size: full ERP/MES/QMS year, EPCIS serial level for one lot per\n"
      "                    serialised product, historian for 2 bioreactor batches, 3 weeks of TP-02\n"
      "  --profile full    benchmark size: serial level for all lots, historian for all batches\n"
      "                    and the whole year, weekly dispenser deliveries\n"
      "  --seed N          PRNG seed (default 2025); same profile + seed = identical bytes\n"
      "  --serial-lots N   override: lots per serialised product at serial level (-1 = all)\n"
      "  --historian-batches N  override: P1 batches with bioreactor time series (-1 = all)\n"
      "  --streams         also write streams/: three weeks of historian samples to replay with\n"
      "                    planted drifts, their stream and drift configurations (FORMATS.md)\n"
      "  --out DIR         output folder (created; existing files are overwritten)\n"
      "layout and columns: examples/pharma-network/FORMATS.md");
}

int main(int argc, char** argv) {
  pgen::Config cfg;
  int serial_override = -2, hist_override = -2;
  bool streams = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto need = [&](const char* what) -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "weft_pharma_gen: %s needs a value\n", what);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "--profile") {
      cfg.profile = need("--profile");
    } else if (a == "--seed") {
      std::string v = need("--seed");
      char* end = nullptr;
      cfg.seed = std::strtoull(v.c_str(), &end, 10);
      if (!end || *end) {
        std::fprintf(stderr, "weft_pharma_gen: bad --seed '%s'\n", v.c_str());
        return 2;
      }
    } else if (a == "--out") {
      cfg.out = need("--out");
    } else if (a == "--streams") {
      streams = true;
    } else if (a == "--serial-lots") {
      serial_override = std::atoi(need("--serial-lots").c_str());
    } else if (a == "--historian-batches") {
      hist_override = std::atoi(need("--historian-batches").c_str());
    } else {
      std::fprintf(stderr, "weft_pharma_gen: unknown argument '%s' (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (cfg.out.empty() || (cfg.profile != "small" && cfg.profile != "full")) {
    usage();
    return 2;
  }
  if (cfg.profile == "full") {
    cfg.serial_lots_per_product = -1;
    cfg.historian_batches = -1;
    cfg.historian_full_year = true;
    cfg.dispenser_cycle_days = 7;
  }
  if (serial_override != -2) cfg.serial_lots_per_product = serial_override;
  if (hist_override != -2) cfg.historian_batches = hist_override;

  pgen::World w;
  w.cfg = cfg;
  pgen::build_world(w);
  pgen::OutStats stats;
  pgen::Out out(cfg.out, &stats);
  pgen::write_aurelian(w, out);
  pgen::write_brightwater(w, out);
  pgen::write_meridian(w, out);
  pgen::write_planted(w, out);
  if (streams) pgen::write_streams(w, out);
  std::printf("summary: profile %s seed %llu: %d files, %lld records, %.1f MB in %s\n", cfg.profile.c_str(),
              static_cast<unsigned long long>(cfg.seed), stats.files, static_cast<long long>(stats.records),
              static_cast<double>(stats.bytes) / 1e6, cfg.out.c_str());
  return 0;
}
