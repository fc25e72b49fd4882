// SPDX-License-Identifier: Apache-2.0
// Failure prediction (issue 9, item 4; methods in docs/watch.md, "Failure prediction"): per
// machine, the probability of a failure within the next h hours (default 72) from a
// time-to-failure model fitted on the machine's (or its class's) history before the
// prediction time, conditioned on the time since the last repair, and scaled by a
// proportional-hazards factor exp(beta z) from condition signals (the rise of vibration,
// temperature or current tags over a trailing window, in sigma units of a trailing baseline).
// A rolling-origin backtest replays the history and scores the warnings.
//
// Pure computation on plain numbers (times in hours on one clock): no store, no I/O,
// deterministic. Nothing at time t reads a failure, repair or tag sample after t.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace weft::watch {

// P(T <= age + horizon | T > age) for a Weibull (shape k, scale lambda) whose cumulative
// hazard H(t) = (t/lambda)^k is multiplied by `hazardMultiplier` (proportional hazards):
// 1 - exp(-m (H(age + horizon) - H(age))). The exponential is k = 1 (then independent of age).
double conditionalFailureProbability(double shape, double scale, double age, double horizon,
                                     double hazardMultiplier = 1.0);

// A tag's samples (hours, ascending) and the direction in which it signals trouble (+1: a
// rise, as for vibration, temperature and current; -1: a fall).
struct TagSeries {
  std::string tag;
  std::vector<double> time;
  std::vector<double> value;
  double direction = 1.0;
};

struct TrendOptions {
  double window = 48;           // hours: the trailing window of the slope, (t - window, t]
  double baselineWindow = 168;  // hours before the window: its sigma is the unit
  std::size_t minPoints = 5;    // in each window, else no score
};

// The trend score of `tag` at `at`: the least-squares slope over the trailing window times the
// window length (the fitted rise across the window) divided by the moving-range sigma
// (MR-bar / 1.128) of the baseline window just before it, times `direction`. nullopt when a
// window holds too few points or the baseline has no variation. Reads samples with time <= at.
std::optional<double> trendScore(const TagSeries& tag, double at, const TrendOptions& options);

// One failure of a machine: it stopped at `failure` and was back in service at `repaired`.
struct Outage {
  double failure = 0;
  double repaired = 0;  // >= failure
};

// A machine's record: in service as new from `start` (a renewal: the first life starts there),
// observed until `end` (a life still running then is right-censored), its failures in time
// order, and optional condition tags.
struct MachineHistory {
  std::string machine;
  double start = 0;
  double end = 0;
  std::vector<Outage> outages;
  std::vector<TagSeries> tags;
};

enum class LifeModel {
  kWeibull,      // Weibull MLE (censored); exponential when the Weibull cannot be fitted
  kExponential,  // constant hazard: the baseline a Weibull must beat
};

struct FailureOptions {
  double horizon = 72;        // hours
  double threshold = 0.5;     // warn when the probability is >= this
  LifeModel model = LifeModel::kWeibull;
  // Pool the lifetimes of every machine passed (one machine class) or use only the machine's.
  bool pool = true;
  // Condition signals: used when the machine has tags and `useCondition`.
  bool useCondition = true;
  TrendOptions trend;
  // Beta: fitted by maximum likelihood on the history before the prediction time (the
  // intervals of the evaluation grid, see docs) when at least `minFailuresForBeta` failures
  // fall in intervals with a score; otherwise `defaultBeta` (ln 2: a rise of one baseline
  // sigma across the window doubles the hazard; a guess, not a calibration).
  double defaultBeta = 0.6931471805599453;
  int minFailuresForBeta = 5;
  double betaBound = 5;       // the fit is confined to [-betaBound, betaBound]
  double scoreClip = 10;      // |z| is clipped to this before exp(beta z)
  // The grid of the beta fit and of the backtest: times start + i * step of the earliest start.
  double step = 12;
};

struct FailurePrediction {
  std::string machine;
  double at = 0;
  double age = 0;             // hours since the last repair (or the start)
  double horizon = 72;
  double probability = 0;     // with the condition factor
  double baseProbability = 0; // age only
  bool warning = false;
  std::string model;          // "weibull" or "exponential"
  double shape = 1;
  double scale = 0;
  int failures = 0;           // failures the model was fitted on
  int censored = 0;
  bool conditionUsed = false;
  double conditionScore = 0;  // z (max over tags of the trend scores), clipped
  std::string conditionTag;   // the tag that gave z
  double beta = 0;
  bool betaFitted = false;    // false: defaultBeta
  int betaFailures = 0;       // failures in scored intervals before `at`
  double hazardMultiplier = 1;
  std::string evidence;       // one line a reader can check
};

// The prediction for fleet[machine] at time `at`, from data before `at` only. Errors:
// kInvalidArgument (index, non-finite time), kNotFound (the machine is in repair at `at`, or
// not yet started / already past its end), kAborted (no failure before `at`: no model).
Result<FailurePrediction> predictFailure(const std::vector<MachineHistory>& fleet,
                                         std::size_t machine, double at,
                                         const FailureOptions& options = {});

struct BacktestOptions {
  double warmup = 0;  // first evaluation at earliest start + warmup (rounded up to the grid)
};

struct FailureBacktest {
  std::size_t evaluated = 0;       // points with a prediction and a known outcome
  std::size_t truePositives = 0;   // warned, failure within the horizon
  std::size_t falsePositives = 0;
  std::size_t falseNegatives = 0;
  std::size_t trueNegatives = 0;
  std::size_t skippedNoModel = 0;  // no failure before the point yet
  std::size_t skippedUnknown = 0;  // the horizon runs past the end of the record
  std::size_t skippedInRepair = 0;
  std::optional<double> precision;  // nullopt without any warning
  std::optional<double> recall;     // nullopt without any positive
  double accuracy = 0;
  // Failures with at least one warning in the horizon before them, of those evaluated.
  std::size_t failuresEvaluated = 0;
  std::size_t failuresWarned = 0;
  std::size_t betaFittedPoints = 0;  // points whose beta was fitted (not the default)
  double lastBeta = 0;
};

// Rolling origin: at every grid time each machine in service is predicted from data before
// that time (the model is refitted each time) and the warning is scored against whether a
// failure followed within the horizon.
Result<FailureBacktest> backtestFailures(const std::vector<MachineHistory>& fleet,
                                         const FailureOptions& options = {},
                                         const BacktestOptions& backtest = {});

}  // namespace weft::watch
