// SPDX-License-Identifier: Apache-2.0
// The twin's HTML report: plain string building, SVG written by hand. Every piece of text from
// the input goes through escapeXml(); every number through formatNumber() or coord(), both
// std::to_chars based, so the output does not depend on the locale.
#include "engine/twin/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "engine/core/civil_date.h"

namespace weft::twin {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDay = 86400;

bool finite(double x) { return std::isfinite(x); }

// Fixed-point text without locale ("%.*f" would follow LC_NUMERIC).
std::string fixed(double x, int decimals) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, decimals);
  if (r.ec != std::errc()) return "n/a";
  std::string s(buf, r.ptr);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // "-0.0"
  return s;
}

// SVG coordinates: one decimal (a tenth of a pixel), trailing ".0" dropped.
std::string coord(double x) {
  if (!finite(x)) return "0";
  std::string s = fixed(x, 1);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

size_t codePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// At most maxChars code points, the last one an ellipsis when shortened.
std::string truncate(std::string_view s, size_t maxChars) {
  if (codePoints(s) <= maxChars || maxChars == 0) return std::string(s);
  size_t kept = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (kept == maxChars - 1) break;
      ++kept;
    }
  }
  return std::string(s.substr(0, i)) + "\xE2\x80\xA6";
}

// Approximate width in pixels of text at font-size 11 (mean glyph width of sans fonts).
double textWidth(std::string_view s, double fontSize = 11) {
  return static_cast<double>(codePoints(s)) * fontSize * 0.58;
}

std::string percentText(double level) {
  const double p = level * 100;
  if (!finite(p)) return "?";
  if (std::fabs(p - std::round(p)) < 1e-9) return fixed(std::round(p), 0);
  return formatNumber(p);
}

std::string duration(double seconds) {
  if (!finite(seconds)) return "n/a";
  if (std::fabs(seconds) >= kDay) return formatNumber(seconds / kDay) + " d";
  if (std::fabs(seconds) >= 3600) return formatNumber(seconds / 3600) + " h";
  return formatNumber(seconds) + " s";
}

bool hasInterval(const sim::Interval& i) {
  return finite(i.mean) && finite(i.halfWidth) && i.n >= 2;
}

// The difference's interval excludes 0.
bool significant(const std::optional<sim::Interval>& d) {
  return d && hasInterval(*d) && (d->lo() > 0 || d->hi() < 0);
}

// Digits after the point for a mean and its interval: two significant digits of the
// half-width (more would be noise); nullopt when there is no usable half-width.
std::optional<int> ciDecimals(const sim::Interval& i) {
  if (!hasInterval(i) || !(i.halfWidth > 0) || std::fabs(i.mean) >= 1e9) return std::nullopt;
  const int d = 1 - static_cast<int>(std::floor(std::log10(i.halfWidth)));
  if (d > 6) return std::nullopt;
  return std::max(d, 0);
}

std::string valueText(double v, std::optional<int> decimals) {
  return decimals && finite(v) ? fixed(v, *decimals) : formatNumber(v);
}

std::string meanText(const sim::Interval& i) { return valueText(i.mean, ciDecimals(i)); }

std::string ciText(const sim::Interval& i) {
  if (!hasInterval(i)) return "\xE2\x80\x94";  // em dash
  const std::optional<int> d = ciDecimals(i);
  return "[" + valueText(i.lo(), d) + ", " + valueText(i.hi(), d) + "]";
}

// --- KPI names --------------------------------------------------------------------------------

struct KpiName {
  std::string kind, entity, measure;
};

// "kind:entity:measure" (the entity may contain ':'), "kind:measure", or a bare name.
KpiName splitKpi(const std::string& name) {
  const size_t a = name.find(':');
  if (a == std::string::npos) return {"other", "", name};
  KpiName k{name.substr(0, a), "", ""};
  const std::string rest = name.substr(a + 1);
  const size_t b = rest.rfind(':');
  if (b == std::string::npos) {
    k.measure = rest;
  } else {
    k.entity = rest.substr(0, b);
    k.measure = rest.substr(b + 1);
  }
  return k;
}

std::string measureLabel(const std::string& m) {
  std::string base = m, suffix;
  auto ends = [&](const char* s) {
    const std::string x(s);
    return base.size() > x.size() && base.compare(base.size() - x.size(), x.size(), x) == 0;
  };
  if (ends("_per_good_kwh")) {
    base.resize(base.size() - 13);
    suffix = " (kWh per good unit)";
  } else if (ends("_per_h")) {
    base.resize(base.size() - 6);
    suffix = " (per h)";
  } else if (ends("_kwh")) {
    base.resize(base.size() - 4);
    suffix = " (kWh)";
  } else if (ends("_h")) {
    base.resize(base.size() - 2);
    suffix = " (h)";
  }
  std::replace(base.begin(), base.end(), '_', ' ');
  return base + suffix;
}

std::string kindTitle(const std::string& kind) {
  if (kind == "plant") return "Plant";
  if (kind == "line") return "Lines";
  if (kind == "machine") return "Machines";
  if (kind == "inventory") return "Inventories";
  if (kind == "other") return "Other";
  return kind;
}

// The KPIs charted, in this order; the tables hold them all.
struct MainMeasure {
  const char* kind;
  const char* measure;
};
constexpr MainMeasure kMainMeasures[] = {
    {"plant", "good"},           {"plant", "fill_rate"},        {"plant", "on_time"},
    {"plant", "backlog"},        {"plant", "energy_kwh"},       {"line", "throughput_per_h"},
    {"line", "oee"},             {"line", "wip"},               {"line", "flow_time_h"},
    {"inventory", "fill_rate"},  {"inventory", "on_time"},      {"inventory", "avg_on_hand"},
    {"inventory", "avg_backlog"}, {"machine", "oee"},           {"machine", "availability"},
};

// --- Colours ------------------------------------------------------------------------------------

constexpr const char* kBaseColour = "#1f77b4";
constexpr const char* kScenColour = "#e6550d";
constexpr const char* kGrid = "#e6e6e6";
constexpr const char* kAxis = "#888";
constexpr const char* kText = "#333";

struct StateStyle {
  const char* label;
  const char* fill;
  const char* ink;  // text on the fill
};
constexpr StateStyle kStateStyle[kReportStates] = {
    {"off shift", "#9e9e9e", "#fff"}, {"planned down", "#7b1fa2", "#fff"},
    {"down", "#c62828", "#fff"},      {"setup", "#f9a825", "#222"},
    {"busy", "#2e7d32", "#fff"},      {"blocked", "#1565c0", "#fff"},
    {"starved", "#80deea", "#222"},   {"idle", "#e0e0e0", "#222"},
};

// --- SVG pieces -----------------------------------------------------------------------------

void svgOpen(std::string& o, double w, double h, const std::string& label) {
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + coord(w) + " " + coord(h) +
       "\" width=\"" + coord(w) + "\" height=\"" + coord(h) + "\" role=\"img\" aria-label=\"" +
       escapeXml(label) + "\">\n";
}

void svgText(std::string& o, double x, double y, std::string_view text, const char* anchor,
             double size = 11, const char* fill = kText, const char* extra = "") {
  o += "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" font-size=\"" + coord(size) +
       "\" fill=\"" + fill + "\"";
  if (std::string_view(anchor) != "start") o += std::string(" text-anchor=\"") + anchor + "\"";
  o += extra;
  o += ">" + escapeXml(text) + "</text>\n";
}

void svgLine(std::string& o, double x1, double y1, double x2, double y2, const char* stroke,
             double width = 1, const char* extra = "") {
  o += "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" +
       coord(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + coord(width) + "\"" + extra +
       "/>\n";
}

void svgRect(std::string& o, double x, double y, double w, double h, const char* fill,
             const char* extra = "") {
  o += "<rect x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" width=\"" + coord(std::max(0.0, w)) +
       "\" height=\"" + coord(std::max(0.0, h)) + "\" fill=\"" + fill + "\"" + extra + "/>\n";
}

struct LegendItem {
  const char* colour;
  enum Kind { kLine, kBox, kDot, kNone } kind;
  std::string label;
  const char* opacity = "1";
};

// Items left to right from (x, y) (y: text baseline); returns the width used.
double svgLegend(std::string& o, double x, double y, const std::vector<LegendItem>& items) {
  const double x0 = x;
  for (const LegendItem& it : items) {
    switch (it.kind) {
      case LegendItem::kLine:
        svgLine(o, x, y - 4, x + 18, y - 4, it.colour, 2);
        break;
      case LegendItem::kBox: {
        const std::string extra = std::string(" fill-opacity=\"") + it.opacity +
                                  "\" stroke=\"#999\" stroke-width=\"0.5\"";
        svgRect(o, x + 2, y - 10, 14, 10, it.colour, extra.c_str());
        break;
      }
      case LegendItem::kDot:
        svgLine(o, x + 1, y - 4, x + 17, y - 4, it.colour, 1.5);
        o += "<circle cx=\"" + coord(x + 9) + "\" cy=\"" + coord(y - 4) + "\" r=\"3.5\" fill=\"" +
             it.colour + "\"/>\n";
        break;
      case LegendItem::kNone:
        break;
    }
    const double indent = it.kind == LegendItem::kNone ? 0 : 22;
    svgText(o, x + indent, y, it.label, "start", 11);
    x += indent + textWidth(it.label) + 14;
  }
  return x - x0;
}

// Axis tick labels: a k or M suffix for large values, decimals from the step.
std::string tickLabel(double v, const Ticks& t) {
  const double m = std::max(std::fabs(t.lo), std::fabs(t.hi));
  if (m >= 1e6) {
    const Ticks scaled{t.lo / 1e6, t.hi / 1e6, t.step / 1e6, {}, 0};
    const int d = std::max(0, static_cast<int>(-std::floor(std::log10(scaled.step) + 1e-9)));
    return fixed(v / 1e6, d) + "M";
  }
  if (m >= 1e4) {
    const int d = std::max(0, static_cast<int>(-std::floor(std::log10(t.step / 1e3) + 1e-9)));
    return fixed(v / 1e3, d) + "k";
  }
  return fixed(v, t.decimals);
}

// --- Dates --------------------------------------------------------------------------------------

constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct XTick {
  double x;  // days from the start
  std::string label;
};

// Ticks of a time axis over [x0, x1] days: calendar dates when `epoch` (days since 1970) is
// known, else days from the start.
std::vector<XTick> timeTicks(double x0, double x1, std::optional<int64_t> epoch) {
  std::vector<XTick> out;
  const double span = x1 - x0;
  if (!epoch || span < 3) {
    const Ticks t = niceTicks(x0, x1, 6);
    for (double v : t.values) {
      if (v < x0 - 1e-9 * std::max(1.0, span) || v > x1 + 1e-9 * std::max(1.0, span)) continue;
      std::string label = fixed(v, t.decimals);
      if (epoch) {  // under three days: offsets with the date of day 0 in the axis title
        label = "+" + label + " d";
      }
      out.push_back({v, label});
    }
    return out;
  }
  if (span <= 75) {
    double step = 1;
    for (double s : {1.0, 2.0, 7.0, 14.0}) {
      step = s;
      if (span / s <= 8) break;
    }
    for (double v = std::ceil(x0 / step) * step; v <= x1 + 1e-9; v += step) {
      const CivilDate c = civilFromDays(*epoch + static_cast<int64_t>(std::floor(v)));
      out.push_back({v, std::to_string(c.day) + " " + kMonths[c.month - 1]});
    }
    return out;
  }
  // Months: first day of every `step`-th month.
  int step = 1;
  for (int s : {1, 2, 3, 6, 12, 24, 60, 120, 600}) {
    step = s;
    if (span / (30.44 * s) <= 8) break;
  }
  const CivilDate a = civilFromDays(*epoch + static_cast<int64_t>(std::floor(x0)));
  int64_t month = a.year * 12 + (a.month - 1);
  const int64_t mod = ((month % step) + step) % step;
  if (mod != 0) month += step - mod;
  for (;; month += step) {
    const int64_t y = month >= 0 ? month / 12 : -((-month + 11) / 12);
    const unsigned m = static_cast<unsigned>(month - y * 12) + 1;
    const double x = static_cast<double>(daysFromCivil(y, m, 1) - *epoch);
    if (x > x1 + 1e-9) break;
    if (x < x0 - 1e-9) continue;
    out.push_back({x, step >= 12 ? std::to_string(y)
                                 : std::string(kMonths[m - 1]) + " " + std::to_string(y)});
  }
  return out;
}

std::string isoDate(int64_t days) {
  const CivilDate c = civilFromDays(days);
  auto two = [](unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return std::to_string(c.year) + "-" + two(c.month) + "-" + two(c.day);
}

// --- KPI charts (dot and whisker, one row per entity) ------------------------------------------

struct ForestRow {
  std::string label;
  const ReportKpi* kpi;
};

void forestChart(std::string& o, const std::string& title, const std::vector<ForestRow>& rows,
                 size_t totalRows, bool withScenario, double level) {
  const double fs = 11;
  // Labels up to 26 characters (then shortened; the full name is in the row's tooltip), with
  // room for the " *" of a significant difference.
  std::vector<std::string> labels;
  double labelW = 40;
  for (const ForestRow& r : rows) {
    labels.push_back(truncate(r.label, 26) + (significant(r.kpi->difference) ? " *" : ""));
    labelW = std::max(labelW, textWidth(labels.back(), fs) + 10);
  }
  const double W = 520, L = labelW + 8, R = 16, T = withScenario ? 26 : 8, B = 30;
  const double rh = withScenario ? 26 : 18;
  const double H = T + rh * static_cast<double>(rows.size()) + B;
  const double pw = W - L - R;

  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto extend = [&](const sim::Interval& i) {
    for (double v : {i.mean, hasInterval(i) ? i.lo() : kNaN, hasInterval(i) ? i.hi() : kNaN}) {
      if (finite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  };
  for (const ForestRow& r : rows) {
    extend(r.kpi->baseline);
    if (r.kpi->scenario) extend(*r.kpi->scenario);
  }

  o += "<figure class=\"kpi\"><figcaption><b>" + escapeXml(title) + "</b>";
  if (totalRows > rows.size()) {
    o += " <span class=\"note\">(first " + std::to_string(rows.size()) + " of " +
         std::to_string(totalRows) + "; all in the table)</span>";
  }
  o += "</figcaption>\n";
  svgOpen(o, W, H, title + ": mean and " + percentText(level) + "% confidence interval");
  if (withScenario) {
    svgLegend(o, L, 14,
              {{kBaseColour, LegendItem::kDot, "baseline"},
               {kScenColour, LegendItem::kDot, "scenario"},
               {kText, LegendItem::kNone, "* difference significant"}});
  }
  if (!(lo <= hi)) {
    svgText(o, L + pw / 2, T + (H - T - B) / 2 + 4, "no finite values", "middle", fs, kAxis);
    o += "</svg></figure>\n";
    return;
  }
  const Ticks t = niceTicks(lo, hi, 5);
  auto sx = [&](double v) { return L + (v - t.lo) / (t.hi - t.lo) * pw; };
  const double plotBottom = T + rh * static_cast<double>(rows.size());
  for (double v : t.values) {
    svgLine(o, sx(v), T, sx(v), plotBottom, kGrid);
    const std::string label = tickLabel(v, t);
    const double half = textWidth(label, 10) / 2;
    svgText(o, std::clamp(sx(v), half + 2, W - half - 2), plotBottom + 14, label, "middle", 10,
            kAxis);
  }
  svgLine(o, L, plotBottom, L + pw, plotBottom, kAxis);

  auto whisker = [&](const sim::Interval& i, double y, const char* colour) {
    if (hasInterval(i)) {
      const double a = sx(i.lo()), b = sx(i.hi());
      svgLine(o, a, y, b, y, colour, 1.5);
      svgLine(o, a, y - 4, a, y + 4, colour, 1.5);
      svgLine(o, b, y - 4, b, y + 4, colour, 1.5);
    }
    if (finite(i.mean)) {
      o += "<circle cx=\"" + coord(sx(i.mean)) + "\" cy=\"" + coord(y) + "\" r=\"3.5\" fill=\"" +
           colour + "\"/>\n";
    } else {
      svgText(o, L + 4, y + 4, "n/a", "start", 10, kAxis);
    }
  };
  for (size_t k = 0; k < rows.size(); ++k) {
    const ReportKpi& kpi = *rows[k].kpi;
    const double yc = T + rh * (static_cast<double>(k) + 0.5);
    const bool sig = significant(kpi.difference);
    std::string tip = kpi.name + ": baseline " + meanText(kpi.baseline) + " " +
                      ciText(kpi.baseline);
    if (kpi.scenario) tip += "; scenario " + meanText(*kpi.scenario) + " " + ciText(*kpi.scenario);
    if (kpi.difference) {
      tip += "; difference " + meanText(*kpi.difference) + " " + ciText(*kpi.difference);
      if (sig) tip += " (significant)";
    }
    o += "<g><title>" + escapeXml(tip) + "</title>\n";
    if (k % 2 == 1) svgRect(o, L, yc - rh / 2, pw, rh, "#f7f7f7");
    svgText(o, L - 6, yc + 4, labels[k], "end", fs, kText, sig ? " font-weight=\"bold\"" : "");
    if (withScenario) {
      whisker(kpi.baseline, yc - 5, kBaseColour);
      if (kpi.scenario) whisker(*kpi.scenario, yc + 5, kScenColour);
    } else {
      whisker(kpi.baseline, yc, kBaseColour);
    }
    o += "</g>\n";
  }
  o += "</svg></figure>\n";
}

// --- Series over time ---------------------------------------------------------------------------

struct Prepared {
  ReportSeries s;
  size_t original = 0;  // points before downsampling
  bool band = false;
};

Prepared prepare(const ReportSeries& in, size_t maxPoints) {
  Prepared p;
  p.original = std::min(in.t.size(), in.mean.size());
  p.s = downsample(in, maxPoints);
  p.band = !p.s.lo.empty() && p.s.lo.size() == p.s.t.size() && p.s.hi.size() == p.s.t.size();
  return p;
}

void lineChart(std::string& o, const ReportSeries* base, const ReportSeries* scen,
               const ReportInput& in, std::optional<int64_t> epoch) {
  const std::string& name = base ? base->name : scen->name;
  const std::string& unit = base ? base->unit : scen->unit;
  const size_t maxPoints = std::max<size_t>(in.limits.maxPoints, 2);
  std::optional<Prepared> pb, ps;
  if (base) pb = prepare(*base, maxPoints);
  if (scen) ps = prepare(*scen, maxPoints);

  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const std::optional<Prepared>* p : {&pb, &ps}) {
    if (!*p) continue;
    const ReportSeries& s = (*p)->s;
    for (size_t i = 0; i < s.t.size(); ++i) {
      if (!finite(s.t[i])) continue;
      bool any = false;
      for (double v : {s.mean[i], (*p)->band ? s.lo[i] : kNaN, (*p)->band ? s.hi[i] : kNaN}) {
        if (!finite(v)) continue;
        any = true;
        y0 = std::min(y0, v);
        y1 = std::max(y1, v);
      }
      if (any) {
        x0 = std::min(x0, s.t[i] / kDay);
        x1 = std::max(x1, s.t[i] / kDay);
      }
    }
  }

  o += "<figure class=\"series\"><figcaption><b>" + escapeXml(name) + "</b>";
  if (!unit.empty()) o += " (" + escapeXml(unit) + ")";
  std::string down;
  for (const std::optional<Prepared>* p : {&pb, &ps}) {
    if (*p && (*p)->original > (*p)->s.t.size()) {
      down = " Drawn with " + std::to_string((*p)->s.t.size()) + " of " +
             std::to_string((*p)->original) + " points (lowest and highest mean per bucket).";
    }
  }
  if (!down.empty()) o += " <span class=\"note\">" + escapeXml(down) + "</span>";
  o += "</figcaption>\n";

  const double W = 760, H = 260, L = 64, R = 16, T = 26, B = 40;
  const double pw = W - L - R, ph = H - T - B;
  svgOpen(o, W, H, name + " over time");
  std::vector<LegendItem> legend;
  if (pb) legend.push_back({kBaseColour, LegendItem::kLine, scen ? "baseline mean" : "mean"});
  if (pb && pb->band) {
    legend.push_back({kBaseColour, LegendItem::kBox,
                      (scen ? "baseline " : "") + percentText(in.settings.level) + "% CI", "0.2"});
  }
  if (ps) legend.push_back({kScenColour, LegendItem::kLine, "scenario mean"});
  if (ps && ps->band) {
    legend.push_back({kScenColour, LegendItem::kBox,
                      "scenario " + percentText(in.settings.level) + "% CI", "0.2"});
  }
  svgLegend(o, L, 14, legend);

  if (!(x0 <= x1) || !(y0 <= y1)) {
    svgRect(o, L, T, pw, ph, "none", " stroke=\"#ccc\"");
    svgText(o, L + pw / 2, T + ph / 2 + 4, "no data", "middle", 12, kAxis);
    o += "</svg></figure>\n";
    return;
  }
  if (x1 - x0 < 1e-9) {  // one instant: a day around it
    x0 -= 0.5;
    x1 += 0.5;
  }
  if (y0 >= 0) y0 = 0;  // levels and counts: from zero, so the size of a change reads right
  const Ticks yt = niceTicks(y0, y1, 5);
  auto sx = [&](double days) { return L + (days - x0) / (x1 - x0) * pw; };
  auto sy = [&](double v) { return T + ph - (v - yt.lo) / (yt.hi - yt.lo) * ph; };

  // Warm-up: shaded, its statistics are not in the KPIs.
  const double wu = in.settings.warmup / kDay;
  if (finite(wu) && wu > x0) {
    const double right = sx(std::min(wu, x1));
    svgRect(o, L, T, right - L, ph, "#f2f2f2");
    if (right - L > 50) svgText(o, L + 4, T + 12, "warm-up", "start", 10, kAxis);
  }
  for (double v : yt.values) {
    svgLine(o, L, sy(v), L + pw, sy(v), kGrid);
    svgText(o, L - 6, sy(v) + 4, tickLabel(v, yt), "end", 10, kAxis);
  }
  for (const XTick& xt : timeTicks(x0, x1, epoch)) {
    svgLine(o, sx(xt.x), T + ph, sx(xt.x), T + ph + 4, kAxis);
    const double half = textWidth(xt.label, 10) / 2;  // keep the end labels inside the chart
    svgText(o, std::clamp(sx(xt.x), half + 2, W - half - 2), T + ph + 16, xt.label, "middle", 10,
            kAxis);
  }
  svgLine(o, L, T + ph, L + pw, T + ph, kAxis);
  svgLine(o, L, T, L, T + ph, kAxis);
  std::string xTitle = epoch ? "date" : "days from the start";
  if (epoch && x1 - x0 < 3) xTitle = "days after " + isoDate(*epoch);
  svgText(o, L + pw / 2, H - 6, xTitle, "middle", 11, kText);
  if (!unit.empty()) {
    o += "<text transform=\"translate(14," + coord(T + ph / 2) +
         ") rotate(-90)\" font-size=\"11\" fill=\"" + kText + "\" text-anchor=\"middle\">" +
         escapeXml(unit) + "</text>\n";
  }

  auto draw = [&](const Prepared& p, const char* colour) {
    const ReportSeries& s = p.s;
    if (p.band) {  // one closed path per run of points with a finite band
      std::string d;
      size_t i = 0;
      while (i < s.t.size()) {
        auto ok = [&](size_t k) { return finite(s.t[k]) && finite(s.lo[k]) && finite(s.hi[k]); };
        if (!ok(i)) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < s.t.size() && ok(j)) ++j;
        for (size_t k = i; k < j; ++k) {
          d += (k == i ? "M" : "L") + coord(sx(s.t[k] / kDay)) + "," + coord(sy(s.hi[k]));
        }
        for (size_t k = j; k-- > i;) d += "L" + coord(sx(s.t[k] / kDay)) + "," + coord(sy(s.lo[k]));
        d += "Z";
        i = j;
      }
      if (!d.empty()) {
        o += "<path d=\"" + d + "\" fill=\"" + colour +
             "\" fill-opacity=\"0.2\" stroke=\"none\"/>\n";
      }
    }
    std::string d;
    bool pen = false;
    for (size_t i = 0; i < s.t.size(); ++i) {
      if (!finite(s.t[i]) || !finite(s.mean[i])) {
        pen = false;
        continue;
      }
      d += (pen ? "L" : "M") + coord(sx(s.t[i] / kDay)) + "," + coord(sy(s.mean[i]));
      pen = true;
    }
    if (!d.empty()) {
      o += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + colour +
           "\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\n";
    }
  };
  if (pb) draw(*pb, kBaseColour);
  if (ps) draw(*ps, kScenColour);
  o += "</svg></figure>\n";
}

// --- Utilisation ------------------------------------------------------------------------------

void stateBar(std::string& o, const std::string& machine, const char* which,
              const std::array<sim::Interval, kReportStates>& shares, double x, double y, double w,
              double h, double level) {
  double at = 0;
  for (size_t k = 0; k < kReportStates; ++k) {
    const sim::Interval& s = shares[k];
    if (!finite(s.mean) || s.mean <= 0) continue;
    const double share = std::min(s.mean, 1 - at);
    if (share <= 0) break;
    const double sx = x + at * w, sw = share * w;
    std::string tip = machine + (which[0] ? std::string(" (") + which + ")" : std::string()) +
                      ": " + kStateStyle[k].label + " " + fixed(s.mean * 100, 1) + "%";
    if (hasInterval(s)) {
      tip += " (" + percentText(level) + "% CI " + fixed(s.lo() * 100, 1) + "\xE2\x80\x93" +
             fixed(s.hi() * 100, 1) + "%)";
    }
    o += "<g><title>" + escapeXml(tip) + "</title>";
    svgRect(o, sx, y, sw, h, kStateStyle[k].fill);
    if (sw >= 30 && h >= 10) {
      svgText(o, sx + sw / 2, y + h / 2 + 3.5, fixed(s.mean * 100, 0) + "%", "middle", 9.5,
              kStateStyle[k].ink);
    }
    o += "</g>\n";
    at += share;
  }
  if (at < 0.995) {
    o += "<g><title>" + escapeXml(machine + ": " + fixed((1 - at) * 100, 1) + "% not recorded") +
         "</title>";
    svgRect(o, x + at * w, y, (1 - at) * w, h, "#ffffff",
            " stroke=\"#bbb\" stroke-width=\"0.8\" stroke-dasharray=\"3,2\"");
    o += "</g>\n";
  }
}

void utilisationChart(std::string& o, const std::vector<ReportMachine>& machines, size_t cap,
                      double level) {
  const size_t n = std::min(machines.size(), cap);
  bool withScenario = false;
  double labelW = 60;
  std::vector<std::string> labels;
  for (size_t i = 0; i < n; ++i) {
    withScenario |= machines[i].scenario.has_value();
    labels.push_back(truncate(machines[i].name, 28));
    labelW = std::max(labelW, textWidth(labels.back()) + 12);
  }
  const double W = 760, L = labelW + (withScenario ? 58 : 8), R = 16, T = 44, B = 30;
  const double rh = withScenario ? 34 : 22, bh = withScenario ? 13 : 15;
  const double H = T + rh * static_cast<double>(n) + B, pw = W - L - R;
  svgOpen(o, W, H, "share of time per machine state");
  std::vector<LegendItem> legend;
  for (size_t k = 0; k < kReportStates; ++k) {
    legend.push_back({kStateStyle[k].fill, LegendItem::kBox, kStateStyle[k].label});
  }
  // Two legend rows: eight states do not fit on one line next to long labels.
  std::vector<LegendItem> first(legend.begin(), legend.begin() + 5),
      second(legend.begin() + 5, legend.end());
  second.push_back({"#ffffff", LegendItem::kBox, "not recorded"});
  svgLegend(o, 8, 14, first);
  svgLegend(o, 8, 32, second);
  const double plotBottom = T + rh * static_cast<double>(n);
  for (int p = 0; p <= 100; p += 20) {
    const double x = L + p / 100.0 * pw;
    svgLine(o, x, T - 4, x, plotBottom, kGrid);
    svgText(o, x, plotBottom + 14, std::to_string(p) + "%", "middle", 10, kAxis);
  }
  for (size_t i = 0; i < n; ++i) {
    const ReportMachine& m = machines[i];
    const double top = T + rh * static_cast<double>(i);
    const double fs = 11;
    const std::string& label = labels[i];
    if (withScenario) {
      svgText(o, labelW, top + rh / 2 + 4, label, "end", fs);
      const double yb = top + (rh - 2 * bh - 2) / 2;
      svgText(o, L - 4, yb + bh - 3, "baseline", "end", 9, kAxis);
      stateBar(o, m.name, "baseline", m.baseline, L, yb, pw, bh, level);
      if (m.scenario) {
        svgText(o, L - 4, yb + 2 * bh - 1, "scenario", "end", 9, kAxis);
        stateBar(o, m.name, "scenario", *m.scenario, L, yb + bh + 2, pw, bh, level);
      }
    } else {
      svgText(o, L - 6, top + rh / 2 + 4, label, "end", fs);
      stateBar(o, m.name, "", m.baseline, L, top + (rh - bh) / 2, pw, bh, level);
    }
  }
  svgText(o, L + pw / 2, H - 4, "share of the observed window", "middle", 11);
  o += "</svg>\n";
}

void sharesTable(std::string& o, const std::vector<ReportMachine>& machines, size_t cap) {
  auto cell = [&](const sim::Interval& s) {
    if (!finite(s.mean)) return std::string("<td class=\"num\">\xE2\x80\x94</td>");
    std::string c = fixed(s.mean * 100, 1);
    if (hasInterval(s) && s.halfWidth > 0) c += " \xC2\xB1 " + fixed(s.halfWidth * 100, 1);
    return "<td class=\"num\">" + c + "</td>";
  };
  o += "<details><summary>Shares as a table (percent of the window, mean \xC2\xB1 CI half-width)"
       "</summary>\n<table><thead><tr><th>machine</th>";
  bool withScenario = false;
  for (size_t i = 0; i < std::min(machines.size(), cap); ++i) {
    withScenario |= machines[i].scenario.has_value();
  }
  if (withScenario) o += "<th></th>";
  for (size_t k = 0; k < kReportStates; ++k) {
    o += "<th class=\"num\">" + escapeXml(kStateStyle[k].label) + "</th>";
  }
  o += "</tr></thead><tbody>\n";
  for (size_t i = 0; i < std::min(machines.size(), cap); ++i) {
    const ReportMachine& m = machines[i];
    o += "<tr><td>" + escapeXml(m.name) + "</td>";
    if (withScenario) o += "<td>baseline</td>";
    for (const sim::Interval& s : m.baseline) o += cell(s);
    o += "</tr>\n";
    if (m.scenario) {
      o += "<tr><td></td><td>scenario</td>";
      for (const sim::Interval& s : *m.scenario) o += cell(s);
      o += "</tr>\n";
    }
  }
  o += "</tbody></table></details>\n";
}

constexpr const char* kCss = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 margin:0 auto;max-width:1120px;padding:12px 24px 40px;color:#222;line-height:1.4}
h1{font-size:1.6em;margin:0.3em 0 0.2em}
h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:3px;margin-top:1.8em}
h3{font-size:1.05em;margin:1.1em 0 0.3em}
table{border-collapse:collapse;font-size:13px;margin:4px 0 12px}
th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.sig td{background:#fff4e0}
td.mark{font-weight:600;color:#a04000;white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:4px 28px;align-items:flex-start}
figure{margin:8px 0}
figcaption{font-size:13px;color:#444;margin-bottom:2px}
svg{max-width:100%;height:auto;display:block}
.note{color:#666;font-size:13px}
dl.kv{display:grid;grid-template-columns:max-content auto;gap:1px 16px;font-size:14px;margin:6px 0}
dl.kv dt{color:#555}
dl.kv dd{margin:0}
li.missing{color:#8a1c1c}
nav a{margin-right:14px}
summary{cursor:pointer;font-size:13px;color:#444}
)";

void list(std::string& o, const std::vector<std::string>& items) {
  o += "<ul>\n";
  for (const std::string& s : items) o += "<li>" + escapeXml(s) + "</li>\n";
  o += "</ul>\n";
}

}  // namespace

// --- Public helpers ---------------------------------------------------------------------------

const std::array<const char*, kReportStates>& reportStateNames() {
  static const std::array<const char*, kReportStates> names = {
      "off", "planned_down", "down", "setup", "busy", "blocked", "starved", "idle"};
  return names;
}

std::string escapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::string formatNumber(double x) {
  if (std::isnan(x)) return "n/a";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  const double a = std::fabs(x);
  char buf[64];
  if (a >= 1e9 || a < 1e-4) {
    auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific, 3);
    return std::string(buf, r.ptr);
  }
  const int digits = static_cast<int>(std::floor(std::log10(a)));
  std::string t = fixed(x, std::clamp(3 - digits, 0, 6));
  if (t.find('.') != std::string::npos) {  // "0.1000" reads as 0.1
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
  }
  return t;
}

namespace {
// 1, 2, 5 or 10 times a power of ten, nearest to x (x > 0) on a log scale.
double niceNum(double x) {
  const double e = std::floor(std::log10(x));
  const double p = std::pow(10.0, e);
  const double f = x / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}
}  // namespace

Ticks niceTicks(double lo, double hi, int target) {
  Ticks t;
  if (!finite(lo) || !finite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) std::swap(lo, hi);
  const double mag = std::max(std::fabs(lo), std::fabs(hi));
  if (hi - lo <= mag * 1e-12) {  // one value: a range around it
    const double d = mag > 0 ? mag * 0.1 : 1;
    lo -= d;
    hi += d;
    if (mag == 0) lo = 0;
  }
  if (!finite(hi - lo)) {  // beyond double range
    lo /= 4;
    hi /= 4;
  }
  target = std::max(target, 1);
  const double step = niceNum((hi - lo) / target);
  const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
  t.step = step;
  t.lo = first * step;
  t.hi = last * step;
  for (double k = first; k <= last + 0.5 && t.values.size() < 100; k += 1) {
    double v = k * step;
    if (std::fabs(v) < step * 1e-9) v = 0;
    t.values.push_back(v);
  }
  t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  return t;
}

ReportSeries downsample(const ReportSeries& s, size_t maxPoints) {
  ReportSeries out;
  out.name = s.name;
  out.unit = s.unit;
  const size_t n = std::min(s.t.size(), s.mean.size());
  const bool band = s.lo.size() >= n && s.hi.size() >= n && !s.lo.empty();
  auto push = [&](size_t i, double lo, double hi) {
    out.t.push_back(s.t[i]);
    out.mean.push_back(s.mean[i]);
    if (band) {
      out.lo.push_back(lo);
      out.hi.push_back(hi);
    }
  };
  if (n <= maxPoints || maxPoints < 2) {
    for (size_t i = 0; i < n; ++i) push(i, band ? s.lo[i] : kNaN, band ? s.hi[i] : kNaN);
    return out;
  }
  const size_t buckets = maxPoints / 2;
  for (size_t b = 0; b < buckets; ++b) {
    const size_t i0 = b * n / buckets, i1 = (b + 1) * n / buckets;
    size_t imin = i1, imax = i1;
    double blo = kNaN, bhi = kNaN;
    for (size_t i = i0; i < i1; ++i) {
      if (finite(s.mean[i])) {
        if (imin == i1 || s.mean[i] < s.mean[imin]) imin = i;
        if (imax == i1 || s.mean[i] > s.mean[imax]) imax = i;
      }
      if (band) {
        if (finite(s.lo[i]) && !(blo <= s.lo[i])) blo = s.lo[i];
        if (finite(s.hi[i]) && !(bhi >= s.hi[i])) bhi = s.hi[i];
      }
    }
    if (imin == i1) {  // nothing finite: keep one point so the line breaks here
      push(i0, blo, bhi);
      continue;
    }
    const size_t a = std::min(imin, imax), c = std::max(imin, imax);
    push(a, blo, bhi);
    if (c != a) push(c, blo, bhi);
  }
  return out;
}

std::optional<int64_t> parseIsoDate(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  auto num = [&](size_t at, size_t len, int& v) {
    v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap)) return std::nullopt;
  return daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::vector<ReportKpi> reportKpis(const sim::ExperimentResult& baseline) {
  std::vector<ReportKpi> out;
  for (size_t i = 0; i < baseline.names.size() && i < baseline.summary.size(); ++i) {
    out.push_back({baseline.names[i], baseline.summary[i], std::nullopt, std::nullopt});
  }
  return out;
}

std::vector<ReportKpi> reportKpis(const sim::Comparison& c) {
  std::vector<ReportKpi> out;
  const size_t n = std::min({c.names.size(), c.baseline.size(), c.scenario.size(),
                             c.difference.size()});
  for (size_t i = 0; i < n; ++i) {
    out.push_back({c.names[i], c.baseline[i], c.scenario[i], c.difference[i]});
  }
  return out;
}

std::vector<ReportMachine> reportMachines(const std::vector<ReportKpi>& kpis) {
  std::vector<ReportMachine> out;
  std::map<std::string, size_t> index;
  sim::Interval none;
  none.mean = kNaN;
  none.halfWidth = kNaN;
  const auto& states = reportStateNames();
  for (const ReportKpi& kpi : kpis) {
    const KpiName k = splitKpi(kpi.name);
    if (k.kind != "machine" || k.entity.empty()) continue;
    const auto st = std::find_if(states.begin(), states.end(),
                                 [&](const char* s) { return k.measure == s; });
    if (st == states.end()) continue;
    auto [it, added] = index.emplace(k.entity, out.size());
    if (added) {
      ReportMachine m;
      m.name = k.entity;
      m.baseline.fill(none);
      out.push_back(std::move(m));
    }
    ReportMachine& m = out[it->second];
    const size_t s = static_cast<size_t>(st - states.begin());
    m.baseline[s] = kpi.baseline;
    if (kpi.scenario) {
      if (!m.scenario) {
        m.scenario.emplace();
        m.scenario->fill(none);
      }
      (*m.scenario)[s] = *kpi.scenario;
    }
  }
  return out;
}

// --- The report ---------------------------------------------------------------------------------

std::string renderReport(const ReportInput& in) {
  std::string o;
  o.reserve(64 * 1024);
  const bool withScenario = in.scenario.has_value();
  const std::string pct = percentText(in.settings.level);
  std::optional<int64_t> epoch;
  bool badDate = false;
  if (!in.settings.startDate.empty()) {
    epoch = parseIsoDate(in.settings.startDate);
    badDate = !epoch;
  }

  o += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
       "<meta charset=\"utf-8\"/>\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>";
  o += escapeXml(in.title);
  o += "</title>\n<style>";
  o += kCss;
  o += "</style>\n</head>\n<body>\n<header>\n<h1>" + escapeXml(in.title) + "</h1>\n";
  o += "<nav class=\"note\"><a href=\"#kpis\">KPIs</a><a href=\"#inventory\">Inventory over time"
       "</a><a href=\"#utilisation\">Utilisation</a><a href=\"#notes\">Notes</a>"
       "<a href=\"#provenance\">Provenance</a></nav>\n";

  // Settings and scenario.
  const ReportSettings& st = in.settings;
  o += "<h2 id=\"run\">Run</h2>\n<dl class=\"kv\">\n";
  auto kv = [&](const std::string& k, const std::string& v) {
    o += "<dt>" + escapeXml(k) + "</dt><dd>" + escapeXml(v) + "</dd>\n";
  };
  kv("scenario", withScenario ? in.scenario->name + " (compared with the baseline, paired: "
                                "common random numbers)"
                              : "baseline only");
  kv("replications", std::to_string(st.replications));
  kv("seed", std::to_string(st.seed));
  kv("horizon", duration(st.horizon));
  kv("warm-up", duration(st.warmup) + " (not in the statistics)");
  kv("observed window", duration(st.horizon - st.warmup) + " per replication");
  kv("threads", st.threads == 0 ? std::string("all cores") : std::to_string(st.threads));
  kv("confidence level", pct + "% (Student t over replications)");
  if (epoch) kv("simulated time 0", isoDate(*epoch));
  o += "</dl>\n";
  if (withScenario) {
    o += "<h3>Scenario changes</h3>\n";
    if (in.scenario->changes.empty()) {
      o += "<p class=\"note\">No changes listed.</p>\n";
    } else {
      list(o, in.scenario->changes);
    }
  }
  if (!in.modelSummary.empty()) {
    o += "<h3>Model</h3>\n";
    list(o, in.modelSummary);
  }
  o += "</header>\n";

  // KPIs.
  o += "<section>\n<h2 id=\"kpis\">KPIs</h2>\n<p class=\"note\">Mean over " +
       std::to_string(st.replications) + " replications and its " + pct +
       "% confidence interval (CI).";
  if (withScenario) {
    o += " The difference is scenario \xE2\x88\x92 baseline per replication (same random "
         "numbers), with its own CI; rows where that CI excludes 0 are marked significant.";
  }
  o += "</p>\n";
  std::vector<std::string> kinds;
  for (const char* k : {"plant", "line", "machine", "inventory"}) kinds.push_back(k);
  std::map<std::string, std::vector<const ReportKpi*>> byKind;
  for (const ReportKpi& kpi : in.kpis) {
    const std::string kind = splitKpi(kpi.name).kind;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    byKind[kind].push_back(&kpi);
  }
  if (in.kpis.empty()) o += "<p class=\"note\">No KPIs.</p>\n";

  // Charts of the main KPIs.
  bool anyChart = false;
  for (const MainMeasure& mm : kMainMeasures) {
    auto it = byKind.find(mm.kind);
    if (it == byKind.end()) continue;
    std::vector<ForestRow> rows;
    size_t total = 0;
    for (const ReportKpi* kpi : it->second) {
      const KpiName k = splitKpi(kpi->name);
      if (k.measure != mm.measure) continue;
      ++total;
      if (rows.size() < std::max<size_t>(in.limits.maxRowsPerChart, 1)) {
        rows.push_back({k.entity.empty() ? k.kind : k.entity, kpi});
      }
    }
    if (rows.empty()) continue;
    if (!anyChart) o += "<h3>Main KPIs</h3>\n<div class=\"charts\">\n";
    anyChart = true;
    forestChart(o, kindTitle(mm.kind) + ": " + measureLabel(mm.measure), rows, total,
                withScenario, st.level);
  }
  if (anyChart) {
    o += "</div>\n<p class=\"note\">Dot: mean; whiskers: " + pct + "% CI";
    if (withScenario) {
      o += "; blue baseline, orange scenario; * the paired difference is significant";
    }
    o += ". Hover a row for the numbers.</p>\n";
  }

  // Tables.
  for (const std::string& kind : kinds) {
    auto it = byKind.find(kind);
    if (it == byKind.end()) continue;
    const auto& rows = it->second;
    const bool open = rows.size() <= 60;
    o += "<details" + std::string(open ? " open=\"open\"" : "") + "><summary><b>" +
         escapeXml(kindTitle(kind)) + "</b> (" + std::to_string(rows.size()) +
         " KPIs)</summary>\n<table><thead><tr>";
    if (kind != "plant") o += "<th>entity</th>";
    o += "<th>KPI</th>";
    if (withScenario) {
      o += "<th class=\"num\">baseline</th><th class=\"num\">" + pct +
           "% CI</th><th class=\"num\">scenario</th><th class=\"num\">" + pct +
           "% CI</th><th class=\"num\">difference</th><th class=\"num\">" + pct +
           "% CI</th><th></th>";
    } else {
      o += "<th class=\"num\">mean</th><th class=\"num\">" + pct +
           "% CI</th><th class=\"num\">\xC2\xB1</th><th class=\"num\">n</th>";
    }
    o += "</tr></thead>\n<tbody>\n";
    for (const ReportKpi* kpi : rows) {
      const KpiName k = splitKpi(kpi->name);
      const bool sig = significant(kpi->difference);
      o += sig ? "<tr class=\"sig\">" : "<tr>";
      if (kind != "plant") o += "<td>" + escapeXml(k.entity) + "</td>";
      o += "<td title=\"" + escapeXml(kpi->name) + "\">" + escapeXml(measureLabel(k.measure)) +
           "</td>";
      o += "<td class=\"num\">" + meanText(kpi->baseline) + "</td><td class=\"num\">" +
           ciText(kpi->baseline) + "</td>";
      if (withScenario) {
        const auto dash = std::string("<td class=\"num\">\xE2\x80\x94</td>");
        if (kpi->scenario) {
          o += "<td class=\"num\">" + meanText(*kpi->scenario) +
               "</td><td class=\"num\">" + ciText(*kpi->scenario) + "</td>";
        } else {
          o += dash + dash;
        }
        if (kpi->difference) {
          o += "<td class=\"num\">" + meanText(*kpi->difference) +
               "</td><td class=\"num\">" + ciText(*kpi->difference) + "</td>";
        } else {
          o += dash + dash;
        }
        if (sig) {
          o += std::string("<td class=\"mark\">") +
               (kpi->difference->mean > 0 ? "\xE2\x96\xB2 higher" : "\xE2\x96\xBC lower") +
               " (significant)</td>";
        } else {
          o += "<td></td>";
        }
      } else {
        o += "<td class=\"num\">" +
             (hasInterval(kpi->baseline)
                  ? valueText(kpi->baseline.halfWidth, ciDecimals(kpi->baseline))
                  : std::string("\xE2\x80\x94")) +
             "</td><td class=\"num\">" + std::to_string(kpi->baseline.n) + "</td>";
      }
      o += "</tr>\n";
    }
    o += "</tbody></table></details>\n";
  }
  o += "</section>\n";

  // Inventory over time.
  o += "<section>\n<h2 id=\"inventory\">Inventory over time</h2>\n";
  if (in.baselineSeries.empty() && in.scenarioSeries.empty()) {
    o += "<p class=\"note\">No series were recorded for this run.</p>\n";
  } else {
    o += "<p class=\"note\">Mean over replications at each time (line) and its " + pct +
         "% CI (band)";
    if (withScenario) o += "; blue baseline, orange scenario";
    o += ". The grey area is the warm-up.";
    if (badDate) {
      o += " The start date \xE2\x80\x9C" + escapeXml(st.startDate) +
           "\xE2\x80\x9D is not an ISO date (YYYY-MM-DD): days from the start are shown.";
    }
    o += "</p>\n";
    std::map<std::string, size_t> scenByName;
    for (size_t i = 0; i < in.scenarioSeries.size(); ++i) {
      scenByName.emplace(in.scenarioSeries[i].name, i);
    }
    std::vector<std::pair<const ReportSeries*, const ReportSeries*>> charts;
    std::vector<bool> used(in.scenarioSeries.size(), false);
    for (const ReportSeries& b : in.baselineSeries) {
      auto it = scenByName.find(b.name);
      const ReportSeries* s = nullptr;
      if (it != scenByName.end() && !used[it->second]) {
        s = &in.scenarioSeries[it->second];
        used[it->second] = true;
      }
      charts.push_back({&b, s});
    }
    for (size_t i = 0; i < in.scenarioSeries.size(); ++i) {
      if (!used[i]) charts.push_back({nullptr, &in.scenarioSeries[i]});
    }
    const size_t cap = std::min(charts.size(), in.limits.maxSeriesCharts);
    for (size_t i = 0; i < cap; ++i) {
      lineChart(o, charts[i].first, charts[i].second, in, epoch);
    }
    if (cap < charts.size()) {
      o += "<p class=\"note\">" + std::to_string(charts.size() - cap) +
           " more series not drawn (at most " + std::to_string(in.limits.maxSeriesCharts) +
           " charts): ";
      for (size_t i = cap; i < charts.size(); ++i) {
        const ReportSeries* s = charts[i].first ? charts[i].first : charts[i].second;
        o += (i > cap ? ", " : "") + escapeXml(s->name);
      }
      o += ".</p>\n";
    }
  }
  o += "</section>\n";

  // Utilisation.
  o += "<section>\n<h2 id=\"utilisation\">Utilisation by machine</h2>\n";
  if (in.machines.empty()) {
    o += "<p class=\"note\">No machine state shares.</p>\n";
  } else {
    o += "<p class=\"note\">Share of the observed window each machine spent in each state (mean "
         "over replications; hover a segment for its " + pct +
         "% CI). \xE2\x80\x9CNot recorded\xE2\x80\x9D is the part no state KPI accounts for.</p>\n";
    const size_t cap = std::max<size_t>(in.limits.maxMachines, 1);
    utilisationChart(o, in.machines, cap, st.level);
    if (in.machines.size() > cap) {
      o += "<p class=\"note\">" + std::to_string(in.machines.size() - cap) +
           " more machines not drawn (at most " + std::to_string(cap) + ").</p>\n";
    }
    sharesTable(o, in.machines, cap);
  }
  o += "</section>\n";

  // Notes.
  o += "<section>\n<h2 id=\"notes\">Assumed and missing facts</h2>\n";
  if (in.notes.empty()) {
    o += "<p class=\"note\">None reported.</p>\n";
  } else {
    size_t missing = 0;
    for (const std::string& n : in.notes) missing += n.rfind("missing", 0) == 0;
    o += "<p class=\"note\">" + std::to_string(in.notes.size()) + " notes (" +
         std::to_string(missing) +
         " missing). The model used a stated default for every assumed fact and left out what is "
         "missing; read the results with these in mind.</p>\n";
    const bool fold = in.notes.size() > 30;
    if (fold) o += "<details><summary>Show all notes</summary>\n";
    o += "<ul>\n";
    for (const std::string& n : in.notes) {
      o += n.rfind("missing", 0) == 0 ? "<li class=\"missing\">" : "<li>";
      o += escapeXml(n) + "</li>\n";
    }
    o += "</ul>\n";
    if (fold) o += "</details>\n";
  }
  o += "</section>\n";

  // Provenance.
  o += "<footer>\n<h2 id=\"provenance\">Provenance</h2>\n<dl class=\"kv\">\n";
  for (const auto& [k, v] : in.provenance) kv(k, v);
  o += "</dl>\n<p class=\"note\">Written by weft simulate; a self-contained file (no scripts, "
       "no external resources).</p>\n</footer>\n</body>\n</html>\n";
  return o;
}

}  // namespace weft::twin
