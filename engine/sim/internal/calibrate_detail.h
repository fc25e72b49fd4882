// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the calibration sources (calibrate.cpp, internal/calibrate_records.cpp).
#pragma once

#include <limits>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/calibrate.h"

namespace weft::sim::calib::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// z quantile of a two-sided interval at options.confidence; error if not in (0, 1).
Result<double> zForConfidence(const FitOptions& options);
// Wald interval on the log scale (positive parameters) and plain Wald (locations).
Estimate positiveEstimate(double value, double stdError, double z);
Estimate locationEstimate(double value, double stdError, double z);
// Non-empty, finite, and (if `positive`) > 0; the message names the model and the index.
Status checkData(const std::vector<Observation>& data, bool positive, const char* model);
int countFailures(const std::vector<Observation>& data);

}  // namespace weft::sim::calib::detail
