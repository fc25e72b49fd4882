// SPDX-License-Identifier: Apache-2.0
// Shadow mode (issue 9, item 5): the calibrated twin beside what the plant reports, per shift.
//
// The twin is calibrated on the records before `from` (calibrate_from_graph.h). Every
// production phase the MES reports from `from` on (its unit, product, start and planned
// quantity PQ) is handed to the twin's model of that unit, which predicts how long the phase
// runs (PQ x the fitted mean cycle time, stretched by the unit's availability before `from`)
// and how many good units it makes (PQ x (1 - the fitted scrap)). Output is spread evenly over
// a phase's run, predicted and recorded alike, and summed per shift: good units (throughput)
// and OEE as query 11 computes it (sum PRI x GQ / sum PBT), twin against records, with the
// running calibration error (MAPE over the shifts so far that recorded output).
//
// The twin does not invent the plant's schedule: a batch plant starts phases when batches are
// released, which no model of the line knows in advance (a free-running simulation made no
// output in the first 21 shifts of the example where the records had a 9,993-unit phase). It
// predicts what each released phase will do.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/calibrate.h"
#include "engine/sparql/dataset.h"
#include "engine/twin/calibrate_from_graph.h"

namespace weft::twin {

struct ShadowOptions {
  std::string from;          // ISO date: calibrate before it, shadow from it (required)
  std::string to;            // ISO date, last day shadowed (required)
  double shiftHours = 8;     // shift length, (0, 744]
  double shiftStartHour = 6;  // the day's first shift starts this many hours after 00:00 UTC
  CalibrationOptions calibration;  // `before` and `start` are set to `from`
  std::function<void(const std::string&)> progress;
};

struct ShadowResult {
  CalibrationReport calibration;
  std::vector<std::string> shifts;           // "2025-09-01T06:00" (UTC), the first cut at `from`
  std::vector<double> shiftStarts;           // seconds since 1970
  // Per unit: "good units: U" and "OEE (query 11): U"; actual = records, simulated = twin.
  std::vector<sim::calib::KpiSeries> series;
  std::vector<sim::calib::KpiError> errors;  // over all shifts (MAPE, bias, WAPE)
  int phases = 0;                            // phases shadowed
  // What the records show minus what the twin expected, in time order, for drift charts
  // (watch::analyse): per unit, per phase "residual cycle time (s): U" (APT / PQ against the
  // fitted mean) and "residual yield: U" (GQ / PQ against 1 - scrap), and per shift with output
  // in either "residual good units per shift: U".
  struct Residuals {
    std::string name;
    std::vector<int64_t> timeMs;  // the phase's start, or the shift's
    std::vector<double> value;
    std::vector<std::string> id;  // "FF-1@2025-09-03T07:04" or the shift's label
  };
  std::vector<Residuals> residuals;
  std::vector<std::string> notes;            // per unit: availability and what was skipped
};

// Shifts of `hours` covering [from, end): the first cut at `from`, the day's first shift
// starting `startHour` after 00:00 UTC (times in seconds since 1970).
struct ShiftWindow {
  std::string label;  // "2025-09-01T06:00"
  double from = 0, to = 0;
};
Result<std::vector<ShiftWindow>> shiftWindows(double from, double end, double hours, double startHour);

// Adds `amount` spread evenly over [start, start + duration) to the shifts' sums (all of it to
// the shift holding `start` when duration <= 0); the part outside the shifts is dropped.
void spreadOverShifts(const std::vector<ShiftWindow>& shifts, double start, double duration,
                      double amount, std::vector<double>* sums);

// The running MAPE of `s` after each shift (nullopt while no shift has recorded output).
std::vector<std::optional<double>> runningMape(const sim::calib::KpiSeries& s);

// Errors: bad dates or shift options, no unit with phases after `from`.
Result<ShadowResult> runShadow(const sparql::Dataset& data, const ShadowOptions& options);

// Shadow mode as `weft stream --watch-shadow FILE` runs it (JSON):
//   {"from": "2025-09-01", "to": "2025-09-21", "shift_hours": 8, "shift_start": 6,
//    "residuals": true, "baseline": 10}
// from and to required; the rest optional (these defaults, residuals false). Unknown keys,
// bad dates and out-of-range numbers are errors naming `where`.
struct ShadowConfig {
  ShadowOptions options;
  bool residuals = false;
  size_t baseline = 10;
};
Result<ShadowConfig> parseShadowConfig(std::string_view json, const std::string& where);

}  // namespace weft::twin
