// SPDX-License-Identifier: Apache-2.0
// The twin's HTML report: well-formed (a small XML checker below: unit_twin does not link
// libxml2), text escaped, nice ticks, NaN and empty input, significance marks, same input same
// bytes, no external URL. Set WEFT_REPORT_SAMPLE=path to also write the sample report there.
#include "engine/twin/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace weft::twin {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Checks XML well-formedness of the parts the report uses: elements properly nested (names
// matched), attributes quoted, '<' never in text, '&' only in the five predefined entities
// or numeric references, a <!DOCTYPE ...> and comments. Returns "" or the first problem.
std::string checkXml(const std::string& s) {
  std::vector<std::string> stack;
  size_t i = 0;
  auto where = [&](size_t at) { return " at offset " + std::to_string(at); };
  auto checkText = [&](size_t a, size_t b) -> std::string {
    for (size_t k = a; k < b; ++k) {
      if (s[k] == '>') continue;  // legal in text
      if (s[k] != '&') continue;
      const size_t semi = s.find(';', k);
      if (semi == std::string::npos || semi - k > 8) return "bare &" + where(k);
      const std::string ent = s.substr(k + 1, semi - k - 1);
      const bool numeric = ent.size() > 1 && ent[0] == '#' &&
                           ent.find_first_not_of("0123456789", 1) == std::string::npos;
      if (!numeric && ent != "amp" && ent != "lt" && ent != "gt" && ent != "quot" &&
          ent != "apos") {
        return "unknown entity &" + ent + ";" + where(k);
      }
    }
    return "";
  };
  bool seenRoot = false;
  while (i < s.size()) {
    const size_t lt = s.find('<', i);
    const size_t textEnd = lt == std::string::npos ? s.size() : lt;
    if (std::string e = checkText(i, textEnd); !e.empty()) return e;
    if (lt == std::string::npos) break;
    if (s.compare(lt, 4, "<!--") == 0) {
      const size_t end = s.find("-->", lt);
      if (end == std::string::npos) return "open comment" + where(lt);
      i = end + 3;
      continue;
    }
    if (s.compare(lt, 9, "<!DOCTYPE") == 0) {
      if (seenRoot) return "DOCTYPE after the root" + where(lt);
      i = s.find('>', lt) + 1;
      continue;
    }
    size_t k = lt + 1;
    const bool closing = k < s.size() && s[k] == '/';
    if (closing) ++k;
    const size_t nameStart = k;
    while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '-' ||
                            s[k] == ':' || s[k] == '_')) {
      ++k;
    }
    const std::string name = s.substr(nameStart, k - nameStart);
    if (name.empty()) return "bad tag" + where(lt);
    if (closing) {
      if (k >= s.size() || s[k] != '>') return "bad end tag" + where(lt);
      if (stack.empty() || stack.back() != name) {
        return "</" + name + "> does not close <" + (stack.empty() ? "" : stack.back()) + ">" +
               where(lt);
      }
      stack.pop_back();
      i = k + 1;
      continue;
    }
    // Attributes: name="value" with no '<' in the value; then '>' or '/>'.
    std::vector<std::string> attrs;
    for (;;) {
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
      if (k >= s.size()) return "unterminated tag" + where(lt);
      if (s[k] == '>' || (s[k] == '/' && k + 1 < s.size() && s[k + 1] == '>')) break;
      const size_t an = k;
      while (k < s.size() && s[k] != '=' && !std::isspace(static_cast<unsigned char>(s[k])) &&
             s[k] != '>') {
        ++k;
      }
      const std::string attr = s.substr(an, k - an);
      if (k >= s.size() || s[k] != '=' || k + 1 >= s.size() || s[k + 1] != '"') {
        return "attribute without a quoted value in <" + name + ">" + where(an);
      }
      for (const std::string& a : attrs) {
        if (a == attr) return "duplicate attribute " + attr + where(an);
      }
      attrs.push_back(attr);
      const size_t vs = k + 2, ve = s.find('"', vs);
      if (ve == std::string::npos) return "unterminated attribute" + where(an);
      if (s.find('<', vs) < ve) return "'<' in an attribute value" + where(vs);
      if (std::string e = checkText(vs, ve); !e.empty()) return e;
      k = ve + 1;
    }
    if (stack.empty() && seenRoot) return "second root element" + where(lt);
    seenRoot = true;
    if (s[k] == '/') {
      i = k + 2;
    } else {
      stack.push_back(name);
      i = k + 1;
    }
  }
  if (!stack.empty()) return "<" + stack.back() + "> not closed";
  if (!seenRoot) return "no root element";
  return "";
}

// "nan" or "NaN" as a word (not inside "Provenance").
bool hasNaNText(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t at = s.find("nan"); at != std::string::npos; at = s.find("nan", at + 1)) {
    const bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(s[at - 1]));
    const bool right = at + 3 >= s.size() || !std::isalpha(static_cast<unsigned char>(s[at + 3]));
    if (left && right) return true;
  }
  return false;
}

sim::Interval iv(double mean, double half, uint32_t n = 30) {
  sim::Interval i;
  i.mean = mean;
  i.halfWidth = half;
  i.sd = half;
  i.n = n;
  return i;
}

ReportSeries sawtooth(const std::string& name, size_t points, double days, double level,
                      double shift) {
  ReportSeries s;
  s.name = name;
  s.unit = "units";
  for (size_t k = 0; k < points; ++k) {
    const double t = days * 86400.0 * static_cast<double>(k) / static_cast<double>(points - 1);
    const double phase = std::fmod(t / 86400.0 + shift, 14.0) / 14.0;
    const double m = level * (1.0 - 0.8 * phase) + 20;
    s.t.push_back(t);
    s.mean.push_back(m);
    s.lo.push_back(m - 8 - 0.05 * m);
    s.hi.push_back(m + 8 + 0.05 * m);
  }
  return s;
}

// A plant with two lines, five machines, three inventories, a scenario.
ReportInput sampleInput(bool scenario) {
  ReportInput in;
  in.title = "Aurelian S100: capacity +10% on FF-1";
  in.modelSummary = {"1 site, 2 lines (5 machines), 3 inventories, 2 suppliers, 3 demands",
                     "built from the union graph: 190,214 quads"};
  in.notes = {"assumed  inventory VIAL-10@S100: policy (s, S) = (7, 28) days of mean demand",
              "assumed  demand VIAL-10@S100: orders due 7 days after arrival",
              "missing  line VI-1: no cycle time recorded (not modelled)",
              "missing  supplier Brightwater: no dt:site"};
  in.settings.seed = 42;
  in.settings.replications = 30;
  in.settings.horizon = 365 * 86400.0;
  in.settings.warmup = 30 * 86400.0;
  in.settings.threads = 2;
  in.settings.startDate = "2026-01-01";
  if (scenario) in.scenario = ReportScenario{"ff1-plus-10", {"line FF-1: cycle time x 0.909"}};
  auto kpi = [&](std::string name, sim::Interval b, sim::Interval s, sim::Interval d) {
    ReportKpi k{std::move(name), b, std::nullopt, std::nullopt};
    if (scenario) {
      k.scenario = s;
      k.difference = d;
    }
    in.kpis.push_back(k);
  };
  kpi("plant:good", iv(1.21e6, 4200), iv(1.29e6, 4500), iv(8.1e4, 1900));
  kpi("plant:fill_rate", iv(0.912, 0.011), iv(0.951, 0.008), iv(0.039, 0.006));
  kpi("plant:on_time", iv(0.874, 0.014), iv(0.903, 0.012), iv(0.029, 0.009));
  kpi("plant:backlog", iv(412, 35), iv(398, 33), iv(-14, 21));
  kpi("plant:energy_kwh", iv(2.3e5, 800), iv(2.4e5, 820), iv(9000, 300));
  for (const char* line : {"FF-1", "PK-2"}) {
    const bool ff = std::string(line) == "FF-1";
    kpi(std::string("line:") + line + ":throughput_per_h", iv(ff ? 142.8 : 95.1, 1.9),
        iv(ff ? 155.0 : 95.1, 2.0), iv(ff ? 12.2 : 0, ff ? 0.8 : 0));
    kpi(std::string("line:") + line + ":oee", iv(ff ? 0.71 : 0.64, 0.012),
        iv(ff ? 0.74 : 0.64, 0.011), iv(ff ? 0.03 : 0, ff ? 0.004 : 0));
    kpi(std::string("line:") + line + ":wip", iv(ff ? 18.2 : 9.5, 0.9), iv(ff ? 17.1 : 9.5, 0.9),
        iv(ff ? -1.1 : 0, ff ? 1.3 : 0));
    kpi(std::string("line:") + line + ":flow_time_h", iv(ff ? 0.13 : 0.1, 0.004),
        iv(ff ? 0.11 : 0.1, 0.004), iv(ff ? -0.02 : 0, ff ? 0.002 : 0));
  }
  const char* machines[] = {"FF-1/M1", "FF-1/M2", "FF-1/M3", "PK-2/M1", "PK-2/M2"};
  const double busy[] = {0.62, 0.71, 0.55, 0.48, 0.66};
  for (int m = 0; m < 5; ++m) {
    const std::string p = std::string("machine:") + machines[m] + ":";
    const double b = busy[m], bs = m < 3 ? b * 1.05 : b;
    kpi(p + "oee", iv(b * 0.95, 0.01), iv(bs * 0.95, 0.01), iv((bs - b) * 0.95, 0.004));
    kpi(p + "availability", iv(b + 0.05, 0.01), iv(bs + 0.05, 0.01), iv(bs - b, 0.004));
    kpi(p + "off", iv(0.1, 0), iv(0.1, 0), iv(0, 0));
    kpi(p + "planned_down", iv(0.02, 0.001), iv(0.02, 0.001), iv(0, 0));
    kpi(p + "down", iv(0.04, 0.006), iv(0.04, 0.006), iv(0, 0.001));
    kpi(p + "setup", iv(0.03, 0.002), iv(0.03, 0.002), iv(0, 0));
    kpi(p + "busy", iv(b, 0.01), iv(bs, 0.01), iv(bs - b, 0.004));
    kpi(p + "blocked", iv(0.05, 0.004), iv(0.04, 0.004), iv(-0.01, 0.002));
    kpi(p + "starved", iv(0.81 - b - 0.05 - 0.03, 0.01), iv(0.81 - bs - 0.04 - 0.03, 0.01),
        iv(0, 0.003));
    kpi(p + "idle", iv(0, 0), iv(0, 0), iv(0, 0));
  }
  const char* invs[] = {"VIAL-10@S100", "VIAL-20@S100", "CDM-4@S100"};
  for (int k = 0; k < 3; ++k) {
    const std::string p = std::string("inventory:") + invs[k] + ":";
    kpi(p + "fill_rate", iv(0.9 + 0.02 * k, 0.01), iv(0.94 + 0.01 * k, 0.01), iv(0.03, 0.007));
    kpi(p + "avg_on_hand", iv(800 - 200 * k, 40), iv(900 - 200 * k, 40), iv(100, 15));
    in.baselineSeries.push_back(sawtooth(std::string("on hand ") + invs[k], 2000, 365,
                                         900 - 250 * k, 3.0 * k));
    if (scenario) {
      in.scenarioSeries.push_back(sawtooth(std::string("on hand ") + invs[k], 2000, 365,
                                           1000 - 250 * k, 3.0 * k + 5));
    }
  }
  in.machines = reportMachines(in.kpis);
  in.provenance = {{"store", "data/store"},
                   {"run graph", "urn:weft:run:2026-12-06T09:00:00Z"},
                   {"generated at", "2026-12-06T09:00:00Z"}};
  return in;
}

TEST(Report, NiceTicks) {
  Ticks t = niceTicks(0, 1, 5);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 1);
  ASSERT_EQ(t.values.size(), 6u);
  EXPECT_DOUBLE_EQ(t.values[3], 0.6000000000000001);  // 3 * 0.2, as computed
  EXPECT_EQ(t.decimals, 1);

  t = niceTicks(3.7, 97.2, 5);
  EXPECT_DOUBLE_EQ(t.step, 20);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 100);
  EXPECT_EQ(t.decimals, 0);

  t = niceTicks(-0.013, 0.041, 5);  // spans zero: zero is a tick, exactly
  EXPECT_DOUBLE_EQ(t.step, 0.01);  // 0.054 / 5 rounds to 0.01
  EXPECT_DOUBLE_EQ(t.lo, -0.02);
  EXPECT_DOUBLE_EQ(t.hi, 0.05);
  EXPECT_NE(std::find(t.values.begin(), t.values.end(), 0.0), t.values.end());
  EXPECT_EQ(t.decimals, 2);

  t = niceTicks(1210000, 1290000, 5);
  EXPECT_DOUBLE_EQ(t.step, 20000);
  EXPECT_LE(t.lo, 1210000);
  EXPECT_GE(t.hi, 1290000);

  t = niceTicks(5, 5, 5);  // one value: widened around it
  EXPECT_LT(t.lo, 5);
  EXPECT_GT(t.hi, 5);
  t = niceTicks(0, 0, 5);
  EXPECT_EQ(t.lo, 0);
  EXPECT_GT(t.hi, 0);
  t = niceTicks(kNaN, 3, 5);  // non-finite: [0, 1]
  EXPECT_EQ(t.lo, 0);
  EXPECT_EQ(t.hi, 1);
  t = niceTicks(10, 2, 4);  // reversed bounds
  EXPECT_LE(t.lo, 2);
  EXPECT_GE(t.hi, 10);
  // Every tick is a multiple of the step and the count stays small.
  for (double lo : {-7.3, 0.0, 0.001, 12.5, 1e5}) {
    for (double span : {0.004, 1.0, 37.0, 2e6}) {
      const Ticks u = niceTicks(lo, lo + span, 5);
      EXPECT_LE(u.lo, lo);
      EXPECT_GE(u.hi, lo + span);
      EXPECT_GE(u.values.size(), 3u) << lo << " " << span;
      EXPECT_LE(u.values.size(), 12u) << lo << " " << span;
      for (double v : u.values) {
        EXPECT_NEAR(v / u.step, std::round(v / u.step), 1e-6);
      }
    }
  }
}

TEST(Report, FormatsNumbersAndDates) {
  EXPECT_EQ(formatNumber(0), "0");
  EXPECT_EQ(formatNumber(0.91234), "0.9123");
  EXPECT_EQ(formatNumber(142.86), "142.9");
  EXPECT_EQ(formatNumber(1234567), "1234567");
  EXPECT_EQ(formatNumber(-12.345), "-12.35");
  EXPECT_EQ(formatNumber(kNaN), "n/a");
  EXPECT_EQ(formatNumber(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(formatNumber(2.5e-6), "2.500e-06");
  EXPECT_EQ(formatNumber(0.1), "0.1");  // no trailing zeros
  EXPECT_EQ(formatNumber(9.5), "9.5");
  // In the tables a mean and its CI bounds get two significant digits of the half-width.
  ReportInput in;
  in.settings.replications = 30;
  in.kpis = {{"plant:fill_rate", iv(0.91234, 0.011), std::nullopt, std::nullopt},
             {"plant:good", iv(1213456.7, 4321), std::nullopt, std::nullopt}};
  const std::string html = renderReport(in);
  EXPECT_NE(html.find(">0.912</td><td class=\"num\">[0.901, 0.923]<"), std::string::npos);
  EXPECT_NE(html.find(">1213457</td><td class=\"num\">[1209136, 1217778]<"), std::string::npos);
  EXPECT_EQ(parseIsoDate("1970-01-01"), 0);
  EXPECT_EQ(parseIsoDate("2026-03-01"), 20513);
  EXPECT_EQ(parseIsoDate("2024-02-29T08:00:00Z"), 19782);
  EXPECT_EQ(parseIsoDate("2023-02-29"), std::nullopt);
  EXPECT_EQ(parseIsoDate("01/03/2026"), std::nullopt);
  EXPECT_EQ(parseIsoDate(""), std::nullopt);
}

TEST(Report, EscapesText) {
  EXPECT_EQ(escapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escapeXml(std::string("x\x01y", 3)), "x\xEF\xBF\xBDy");
  EXPECT_EQ(escapeXml("caf\xC3\xA9"), "caf\xC3\xA9");  // UTF-8 passes through

  const std::string evil = "<script>alert(\"x\" & 'y')</script>";
  ReportInput in = sampleInput(true);
  in.title = evil;
  in.modelSummary.push_back(evil);
  in.notes.push_back("missing " + evil);
  in.scenario->name = evil;
  in.scenario->changes.push_back(evil);
  in.kpis.push_back({"line:" + evil + ":oee", iv(0.5, 0.1), iv(0.6, 0.1), iv(0.1, 0.01)});
  in.kpis.push_back({"machine:" + evil + ":busy", iv(0.5, 0.1), iv(0.6, 0.1), iv(0.1, 0.01)});
  in.machines = reportMachines(in.kpis);
  in.baselineSeries.push_back(sawtooth(evil, 50, 10, 100, 0));
  in.baselineSeries.back().unit = evil;
  in.provenance.push_back({evil, evil});
  const std::string html = renderReport(in);
  EXPECT_EQ(checkXml(html), "");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("'y'"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"),
            std::string::npos);
}

TEST(Report, WellFormedWithAndWithoutScenario) {
  for (bool scenario : {false, true}) {
    const std::string html = renderReport(sampleInput(scenario));
    EXPECT_EQ(checkXml(html), "") << (scenario ? "scenario" : "baseline");
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    // One chart per main KPI present (5 plant, 4 line, 2 inventory, 2 machine), three
    // inventory charts, one utilisation chart.
    size_t svgs = 0;
    for (size_t at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1)) {
      ++svgs;
    }
    EXPECT_EQ(svgs, 13u + 3u + 1u);
    EXPECT_NE(html.find("Inventory over time"), std::string::npos);
    EXPECT_NE(html.find("FF-1/M2"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("Jan 2026"), std::string::npos);  // dates on the time axis
    if (scenario) {
      EXPECT_NE(html.find("line FF-1: cycle time x 0.909"), std::string::npos);
    }
  }
}

// The table row of a KPI (from its name in the title attribute to the end of the row).
std::string rowOf(const std::string& html, const std::string& kpi) {
  const size_t at = html.find("title=\"" + kpi + "\"");
  if (at == std::string::npos) return "";
  const size_t start = html.rfind("<tr", at), end = html.find("</tr>", at);
  return html.substr(start, end - start);
}

TEST(Report, MarksSignificantDifferences) {
  ReportInput in = sampleInput(true);
  in.kpis = {{"plant:fill_rate", iv(0.9, 0.01), iv(0.95, 0.01), iv(0.05, 0.01)},     // > 0
             {"plant:backlog", iv(400, 30), iv(390, 30), iv(-10, 20)},                // spans 0
             {"plant:on_time", iv(0.9, 0.01), iv(0.85, 0.01), iv(-0.05, 0.004)},      // < 0
             {"plant:good", iv(100, 0), iv(100, 0), iv(0, 0)},                        // exactly 0
             {"plant:energy_kwh", iv(5, kNaN, 1), iv(6, kNaN, 1), iv(1, kNaN, 1)}};  // one run
  const std::string html = renderReport(in);
  EXPECT_EQ(checkXml(html), "");
  const std::string up = rowOf(html, "plant:fill_rate");
  ASSERT_FALSE(up.empty());
  EXPECT_EQ(up.rfind("<tr class=\"sig\">", 0), 0u) << up;
  EXPECT_NE(up.find("higher (significant)"), std::string::npos);
  const std::string down = rowOf(html, "plant:on_time");
  EXPECT_EQ(down.rfind("<tr class=\"sig\">", 0), 0u) << down;
  EXPECT_NE(down.find("lower (significant)"), std::string::npos);
  for (const char* name : {"plant:backlog", "plant:good", "plant:energy_kwh"}) {
    const std::string row = rowOf(html, name);
    ASSERT_FALSE(row.empty()) << name;
    EXPECT_EQ(row.find("significant"), std::string::npos) << row;
  }
  // The charts mark the entity too (a '*' after the label, bold).
  EXPECT_NE(html.find("(significant)</title>"), std::string::npos);
}

TEST(Report, NaNAndEmptyInput) {
  ReportInput empty;
  std::string html = renderReport(empty);
  EXPECT_EQ(checkXml(html), "");
  EXPECT_NE(html.find("No KPIs."), std::string::npos);
  EXPECT_NE(html.find("No series were recorded"), std::string::npos);
  EXPECT_FALSE(hasNaNText(html));

  ReportInput in = sampleInput(true);
  in.kpis.push_back({"machine:FF-1/M1:mttr_h", iv(kNaN, kNaN, 0), iv(kNaN, kNaN, 0),
                     iv(kNaN, kNaN, 0)});
  in.kpis.push_back({"line:FF-1:oee", iv(kNaN, kNaN, 0), std::nullopt, std::nullopt});
  ReportSeries gaps = sawtooth("with gaps", 100, 30, 50, 0);
  for (size_t k = 40; k < 50; ++k) gaps.mean[k] = gaps.lo[k] = gaps.hi[k] = kNaN;
  gaps.t[60] = kNaN;
  in.baselineSeries.push_back(gaps);
  ReportSeries allNaN = sawtooth("all missing", 10, 30, 50, 0);
  for (double& v : allNaN.mean) v = kNaN;
  for (double& v : allNaN.lo) v = kNaN;
  for (double& v : allNaN.hi) v = kNaN;
  in.baselineSeries.push_back(allNaN);
  in.baselineSeries.push_back({"empty", "units", {}, {}, {}, {}});
  ReportSeries ragged = sawtooth("ragged", 20, 30, 50, 0);
  ragged.lo.resize(5);  // band of the wrong length: no band, the line still drawn
  ragged.mean.resize(15);
  in.baselineSeries.push_back(ragged);
  in.baselineSeries.push_back({"one point", "units", {86400}, {7}, {6}, {8}});
  in.settings.startDate = "not a date";
  html = renderReport(in);
  EXPECT_EQ(checkXml(html), "");
  EXPECT_FALSE(hasNaNText(html));
  EXPECT_NE(html.find("no data"), std::string::npos);
  EXPECT_NE(html.find("is not an ISO date"), std::string::npos);
  // A gap: the mean line of "with gaps" has two sub-paths.
  const size_t at = html.find("<b>with gaps</b>");
  ASSERT_NE(at, std::string::npos);
  const size_t end = html.find("</figure>", at);
  const std::string fig = html.substr(at, end - at);
  const size_t line = fig.find("fill=\"none\" stroke=\"#1f77b4\"");
  ASSERT_NE(line, std::string::npos);
  const std::string d = fig.substr(fig.rfind("d=\"", line));
  EXPECT_EQ(std::count(d.begin(), d.begin() + static_cast<long>(d.find('"', 3)), 'M'), 3)
      << "gap at 40..49 and a NaN time at 60";
}

TEST(Report, DownsamplesLongSeries) {
  ReportSeries s = sawtooth("long", 10000, 365, 500, 0);
  s.mean[5000] = 5000;  // a spike survives
  const ReportSeries d = downsample(s, 400);
  EXPECT_LE(d.t.size(), 400u);
  EXPECT_GE(d.t.size(), 300u);
  EXPECT_EQ(d.t.size(), d.mean.size());
  EXPECT_EQ(d.t.size(), d.lo.size());
  EXPECT_NE(std::find(d.mean.begin(), d.mean.end(), 5000.0), d.mean.end());
  for (size_t k = 1; k < d.t.size(); ++k) EXPECT_LT(d.t[k - 1], d.t[k]);
  const double lo = *std::min_element(s.lo.begin(), s.lo.end());
  EXPECT_EQ(*std::min_element(d.lo.begin(), d.lo.end()), lo);  // envelope kept
  EXPECT_EQ(downsample(s, 20000).t.size(), 10000u);

  ReportInput in = sampleInput(false);
  in.baselineSeries = {s};
  const std::string html = renderReport(in);
  EXPECT_NE(html.find("of 10000 points"), std::string::npos);
  EXPECT_LT(html.size(), 200u * 1024);
}

TEST(Report, CapsWhatWouldBeUnreadable) {
  ReportInput in = sampleInput(false);
  in.limits.maxSeriesCharts = 2;
  in.limits.maxMachines = 3;
  in.limits.maxRowsPerChart = 2;
  const std::string html = renderReport(in);
  EXPECT_EQ(checkXml(html), "");
  EXPECT_NE(html.find("1 more series not drawn"), std::string::npos);
  EXPECT_NE(html.find("2 more machines not drawn"), std::string::npos);
  EXPECT_NE(html.find("(first 2 of 5; all in the table)"), std::string::npos);
}

TEST(Report, TimeAxisInDaysWithoutAStartDate) {
  ReportInput in = sampleInput(false);
  in.settings.startDate.clear();
  const std::string html = renderReport(in);
  EXPECT_EQ(checkXml(html), "");
  EXPECT_NE(html.find(">days from the start</text>"), std::string::npos);
  EXPECT_EQ(html.find("Jan 2026"), std::string::npos);
  EXPECT_NE(html.find(">350</text>"), std::string::npos);  // a nice tick over 0..365 days
}

TEST(Report, DeterministicAndSelfContained) {
  const ReportInput in = sampleInput(true);
  const std::string a = renderReport(in), b = renderReport(in);
  EXPECT_EQ(a, b);
  // The only "http" are the XHTML and SVG namespaces; no scripts, no external resources.
  size_t http = 0;
  for (size_t at = a.find("http"); at != std::string::npos; at = a.find("http", at + 1)) {
    const bool ns = a.compare(at, 28, "http://www.w3.org/1999/xhtml") == 0 ||
                    a.compare(at, 26, "http://www.w3.org/2000/svg") == 0;
    EXPECT_TRUE(ns) << a.substr(at, 60);
    ++http;
  }
  EXPECT_GE(http, 2u);
  EXPECT_EQ(a.find("<script"), std::string::npos);
  EXPECT_EQ(a.find("src="), std::string::npos);
  EXPECT_EQ(a.find("url("), std::string::npos);
  EXPECT_EQ(a.find("@import"), std::string::npos);
  for (size_t at = a.find("href=\""); at != std::string::npos; at = a.find("href=\"", at + 1)) {
    EXPECT_EQ(a[at + 6], '#') << a.substr(at, 40);  // in-page links only
  }
  if (const char* path = std::getenv("WEFT_REPORT_SAMPLE")) {
    std::ofstream(path, std::ios::binary) << a;
  }
}

}  // namespace
}  // namespace weft::twin
