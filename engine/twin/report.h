// SPDX-License-Identifier: Apache-2.0
// The twin's HTML report (issue 8, item 6): one self-contained HTML file with inline CSS and
// hand-written inline SVG (no JavaScript, no external URL), showing the run settings and the
// scenario's changes, the KPIs with confidence intervals (tables and dot-and-whisker charts,
// baseline and scenario side by side), inventory over time (mean line and CI band), machine
// state shares (stacked bars) and the facts the model had to assume or could not find.
//
// The input is plain data so that the report does not depend on how a run is organised; the
// helpers at the end fill the KPI parts from sim::ExperimentResult / sim::Comparison. The
// output depends on the input only (the time of generation is passed in as a provenance
// line, never read from the clock), so the same input gives the same bytes.
// docs/twin-report.md describes what the report shows and how to read it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sim/experiment.h"
#include "engine/sim/stats.h"

namespace weft::twin {

// A quantity over simulated time, summarised across replications: at each t (seconds from
// the start of the run) the mean and the bounds of its confidence interval. lo and hi may be
// empty (no band is drawn); NaN points leave a gap. A scenario series is drawn over the
// baseline series of the same name.
struct ReportSeries {
  std::string name;  // "inventory:VIAL-10@S100:on_hand" or any label
  std::string unit;  // "units"
  std::vector<double> t;
  std::vector<double> mean, lo, hi;
};

// One KPI (names as sim::computeKpis writes them: "kind:entity:measure", "plant:measure").
// With a scenario: its interval and the paired difference scenario - baseline.
struct ReportKpi {
  std::string name;
  sim::Interval baseline;
  std::optional<sim::Interval> scenario, difference;
};

// Machine states in the order of sim::MachineState.
inline constexpr size_t kReportStates = 8;
// "off", "planned_down", "down", "setup", "busy", "blocked", "starved", "idle".
const std::array<const char*, kReportStates>& reportStateNames();

// Share of the observed window a machine spent in each state. A share with a NaN mean was not
// recorded (drawn as part of a grey "not recorded" remainder); a NaN or zero half-width means
// no interval.
struct ReportMachine {
  std::string name;  // "FF-1/M1"
  std::array<sim::Interval, kReportStates> baseline;
  std::optional<std::array<sim::Interval, kReportStates>> scenario;
};

struct ReportSettings {
  uint64_t seed = 1;
  uint32_t replications = 0;
  double horizon = 0;  // seconds
  double warmup = 0;   // seconds
  unsigned threads = 0;  // 0: hardware concurrency
  double level = 0.95;   // confidence level of every interval
  // ISO date ("2026-01-01", a time after it is ignored) of simulated time 0; empty: the time
  // axes show days from the start.
  std::string startDate;
};

struct ReportScenario {
  std::string name;
  std::vector<std::string> changes;  // one applied change a line
};

// Caps that keep the file readable and small; what is left out is named in a note.
struct ReportLimits {
  size_t maxPoints = 400;       // points per drawn series (min/max per bucket beyond)
  size_t maxSeriesCharts = 30;  // inventory-over-time charts
  size_t maxMachines = 60;      // bars in the utilisation chart
  size_t maxRowsPerChart = 25;  // entities in one KPI chart
};

struct ReportInput {
  std::string title = "Digital twin report";
  std::vector<std::string> modelSummary;  // one line each ("1 line, 12 suppliers, ...")
  std::vector<std::string> notes;         // assumed or missing facts, one a line
  ReportSettings settings;
  std::optional<ReportScenario> scenario;
  std::vector<ReportKpi> kpis;
  std::vector<ReportSeries> baselineSeries, scenarioSeries;
  std::vector<ReportMachine> machines;
  // (label, value): ("store", "data/store"), ("run graph", "urn:..."), ("generated at", ...).
  std::vector<std::pair<std::string, std::string>> provenance;
  ReportLimits limits;
};

// The report as one HTML document (well-formed XML as well: XHTML namespace, inline SVG).
std::string renderReport(const ReportInput& input);

// --- Filling the input from experiment results ---------------------------------------------

// The KPIs of a run without a scenario, in the result's order.
std::vector<ReportKpi> reportKpis(const sim::ExperimentResult& baseline);
// The KPIs of a paired comparison (baseline, scenario and difference), in its order.
std::vector<ReportKpi> reportKpis(const sim::Comparison& comparison);
// Per machine, the state shares found among the KPIs ("machine:<name>:<state>", states as in
// reportStateNames()); states without a KPI stay NaN. Machines in order of first appearance.
std::vector<ReportMachine> reportMachines(const std::vector<ReportKpi>& kpis);

// --- Helpers (exposed for tests) -----------------------------------------------------------

// "Nice" axis ticks (after Heckbert, Graphics Gems 1990): the step is (hi - lo) / target
// rounded to 1, 2 or 5 times a power of ten, and the ticks from floor(lo/step) to ceil(hi/step). An
// empty or degenerate range is widened; non-finite bounds give [0, 1].
struct Ticks {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> values;
  int decimals = 0;  // digits after the point that tell the ticks apart
};
Ticks niceTicks(double lo, double hi, int target = 5);

// Text for HTML and XML content and attribute values: & < > " ' escaped, control characters
// other than tab and newline (invalid in XML 1.0) replaced by U+FFFD.
std::string escapeXml(std::string_view text);

// A number with about four significant digits, locale-independent; NaN and infinities as
// "n/a", "inf", "-inf".
std::string formatNumber(double x);

// At most maxPoints points: consecutive points are grouped in maxPoints / 2 buckets and each
// bucket keeps the points of its smallest and largest mean (in time order), with the band's
// lowest lo and highest hi over the bucket, so peaks and the envelope survive.
ReportSeries downsample(const ReportSeries& series, size_t maxPoints);

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (anything after the date is ignored), or
// nullopt if it is not a valid date.
std::optional<int64_t> parseIsoDate(std::string_view text);

}  // namespace weft::twin
