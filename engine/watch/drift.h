// SPDX-License-Identifier: Apache-2.0
// Drift detection over a store (issue 9, item 3; docs/watch.md): the series a configuration
// names are read from the historian's time-series table (DIR/timeseries.sqlite, tag samples)
// or from the graph (test results, process parameters, phase summaries, phase cycle times, any
// SPARQL SELECT), optionally turned into residuals against expected values, charted (spc.h),
// and the alarms written as dt:DriftAlarm nodes into one named graph, replaced as a whole on
// each run. Vocabulary: ontologies/dt-watch.ttl.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/store/store.h"
#include "engine/watch/spc.h"

namespace weft::watch {

inline constexpr std::string_view kDriftGraph = "https://w3id.org/weft/graph/watch/drift";

// Where a series comes from. Exactly one kind per series.
struct SourceSpec {
  enum class Kind { kTag, kTest, kParameter, kPhaseSummary, kCycleTime, kQuery, kValues };
  Kind kind = Kind::kValues;
  std::string tag;                 // kTag, kPhaseSummary: the historian tag name
  bool includeUncertain = false;   // kTag: Good samples only unless set
  std::string name;                // kTest: dt:characteristic; kParameter: dt:parameterName
  std::string statistic = "mean";  // kPhaseSummary: mean, min, max, minutesOutOfRange
  std::string equipment;           // kCycleTime: the equipment IRI's last segment ("" any)
  std::string phase;               // kCycleTime: the phase run's rdfs:label ("" any)
  std::string query;               // kQuery: SELECT binding ?time ?value [?id]
  std::vector<double> values;      // kValues: inline values (tests, expected series)
  std::vector<int64_t> times;      // kValues: optional epoch ms, else positions
  std::vector<std::string> ids;    // kValues: optional record ids
};

// Expected values: a residual series is recorded minus expected, matched by record id (or by
// time when the series has no ids), or minus a constant.
struct ExpectedSpec {
  bool present = false;
  std::optional<double> constant;
  std::map<std::string, double> byKey;  // id (or the decimal epoch ms) -> expected
  std::string query;                    // SELECT ?id ?value: filled into byKey when read
  bool requireAll = false;              // a record without an expectation is an error
};

// Which points form the phase-I baseline.
struct BaselineSpec {
  size_t first = 0;                   // observations [first, first + count) ...
  size_t count = 0;                   // ... 0: see from/to
  std::optional<int64_t> from, to;    // epoch ms [from, to)
  std::optional<double> mean, sigma;  // given: no estimation (both or neither)
  SigmaMethod method = SigmaMethod::kMovingRange;
};

struct ChartSpec {
  enum class Type { kShewhart, kEwma, kCusum };
  Type type = Type::kShewhart;
  ShewhartOptions shewhart;
  EwmaOptions ewma;
  CusumOptions cusum;
};

struct SeriesSpec {
  std::string name;
  SourceSpec source;
  std::optional<int64_t> from, to;  // only observations in [from, to)
  int64_t resampleMs = 0;           // > 0: the mean of each interval of this length
  ExpectedSpec expected;
  BaselineSpec baseline;
  std::vector<ChartSpec> charts;
  // Evaluation: where a planted (known) change starts and, optionally, ends.
  std::optional<int64_t> plantedStart, plantedEnd;
};

struct DriftConfig {
  std::vector<SeriesSpec> series;
};

// Parses the JSON configuration (docs/watch.md). `where` names it in messages.
Result<DriftConfig> parseDriftConfig(std::string_view json, const std::string& where);

// ISO 8601 date ("2025-03-01", midnight UTC) or date-time with Z or an offset ("...T08:00:00Z",
// no zone read as UTC) to epoch ms.
std::optional<int64_t> parseTimeMs(std::string_view text);
std::string formatTimeMs(int64_t ms);  // "2025-03-01T08:00:00.000Z"

// "tag BR-201.TT-001.PV (timeseries.sqlite)", "test results 'Assay'": for tables and messages.
std::string sourceDescription(const SourceSpec& s);

// Reads one series. `storeDir` locates DIR/timeseries.sqlite; `store` may be null for kValues.
Result<Series> readSeries(const SeriesSpec& spec, const store::Store* store,
                          const std::string& storeDir);

// What the charts of one series found, and how it scores against a planted change.
struct ChartOutcome {
  std::string chart;  // "shewhart-individuals", "ewma", ...
  std::string parameters;
  std::vector<Alarm> alarms;
  // Evaluation (when the series has a planted start):
  bool evaluated = false;
  std::optional<size_t> detectedAlarm;  // index into alarms of the first at/after the start
  int64_t delayMs = 0;                  // detection time - planted start (calendar series)
  size_t delayPoints = 0;  // observations from the first at/after the start to detection, inclusive
  size_t falseAlarms = 0;  // alarms outside [start, end]
  size_t pointsOutside = 0;  // observations outside [start, end] (the false-alarm rate's base)
};

struct SeriesOutcome {
  std::string name;
  std::string source;  // sourceDescription() of the series' source
  std::string tag;     // the dt:Tag a tag or phase-summary series watches, if the graph has it
  Series series;
  Baseline baseline;
  size_t baselineFirst = 0, baselineLast = 0;  // observations used [first, last)
  std::vector<ChartOutcome> charts;
};

// Baseline, charts, evaluation for one series already read (and residualised).
Result<SeriesOutcome> analyse(const SeriesSpec& spec, Series series);

// Recorded minus expected (spec.expected); the series keeps its times and ids.
Result<Series> residuals(const SeriesSpec& spec, const Series& recorded);

// Every series of the configuration: read, residualise, analyse.
Result<std::vector<SeriesOutcome>> runDrift(const DriftConfig& cfg, const store::Store* store,
                                            const std::string& storeDir);

// Scores per chart type over a whole run (acceptance of issue 9: the planted drifts detected,
// and the false-alarm rate on everything not planted): a planted series counts as detected
// when the chart alarmed at or after its start (and not after its end); false alarms are the
// alarms of series without a planted change plus those outside the planted windows, over the
// observations of both.
struct ChartScore {
  std::string chart;
  size_t planted = 0, detected = 0;
  double meanDelayPoints = 0;  // over the detected ones
  size_t falseAlarms = 0, points = 0;
};
std::vector<ChartScore> scoreRun(const DriftConfig& cfg, const std::vector<SeriesOutcome>& outcomes);

// The alarms as quads in `graph` (deterministic order and IRIs): one dt:DriftRun node (the
// graph's IRI) and one dt:DriftAlarm per alarm. `generatedAt` is an xsd:dateTime.
std::vector<rdf::Quad> alarmQuads(const std::vector<SeriesOutcome>& outcomes,
                                  const std::string& generatedAt,
                                  std::string_view graph = kDriftGraph);

struct WriteStats {
  uint64_t removed = 0, added = 0;
};
// Replaces the whole drift graph by `quads` in one transaction (all or nothing).
Result<WriteStats> replaceDriftGraph(store::Store& store, const std::vector<rdf::Quad>& quads);

}  // namespace weft::watch
