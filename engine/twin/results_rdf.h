// SPDX-License-Identifier: Apache-2.0
// Results of the twin back in the graph (issue 8, item 6): one simulation run becomes one named
// graph <https://w3id.org/weft/graph/sim/RUNID> holding the run (dt:SimulationRun, a
// prov:Activity), its scenario, calibration and model notes as provenance, one node per KPI
// estimate and one per simulated event. Vocabulary: ontologies/dt-twin.ttl; the layout and the
// queries: docs/twin.md, "Results in the graph".
//
// Simulated values must never be mistaken for records, so the graph uses none of the predicates
// or classes that ingested records use (no dt:quantity, dt:site, dt:ofProduct, dt:postingDate,
// dt:KPIValue, iof: processes): a query over the records cannot match a run, whatever graphs it
// ranges over. Every subject in a run graph also carries `dt:simulated true`.
//
// The inputs are plain structs, independent of engine/sim's result types, so the simulator can
// change without touching this file; the caller (weft simulate) fills them.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/store/store.h"

namespace weft::twin {

// Run graphs (and the run node, which has the graph's IRI) are named kSimGraphBase + run id.
inline constexpr std::string_view kSimGraphBase = "https://w3id.org/weft/graph/sim/";

// One calibrated model parameter: what was fitted, to what, from which records.
struct SimCalibration {
  std::string parameter;   // "machine FF-1 cycle time"
  std::string family;      // "lognormal"
  std::string parameters;  // "mu=3.2 sigma=0.1" (as the calibration prints them)
  uint64_t recordsUsed = 0;
  std::string source;      // "MES phase runs of FF-1, 2025"
};

// One fact the model builder assumed or could not find (twin::Note, as text).
struct SimModelNote {
  std::string kind;     // "assumed", "missing", "read"
  std::string subject;  // "line FF-1"
  std::string text;
};

// How big the simulated model was.
struct SimModelCounts {
  int64_t lines = 0, machines = 0, suppliers = 0, inventories = 0, lanes = 0, demands = 0;
};

// What identifies and documents one run.
struct SimRunRecord {
  // Empty: deriveRunId(*this). Otherwise 1..64 characters of [A-Za-z0-9._-] (it becomes part
  // of IRIs).
  std::string runId;
  // The scenario; a baseline run has isBaseline and usually no changes.
  std::string scenarioName;
  std::string scenarioDescription;
  std::string scenarioFile;    // file name as given (informational; not part of the id)
  std::string scenarioSha256;  // of the scenario file's bytes, lower-case hex; "" if none
  std::vector<std::string> scenarioChanges;  // applied changes, one line each, in order
  bool isBaseline = false;
  // The run of the baseline this scenario's differences refer to ("" if none).
  std::string baselineRunId;
  // The experiment.
  uint64_t seed = 1;
  int64_t replications = 0;
  double horizonSeconds = 0;
  double warmupSeconds = 0;
  double confidenceLevel = 0.95;  // of the intervals in SimKpi
  // Calendar time of simulation time 0: xsd:date ("2026-01-01", midnight UTC) or xsd:dateTime
  // (a time without a timezone is read as UTC). Empty: event times are only seconds.
  std::string startDate;
  // The model: a fingerprint of what was simulated (part of the id), counts, summary, notes.
  std::string modelFingerprint;
  SimModelCounts modelCounts;
  std::string modelSummary;  // the one-line summary weft simulate prints
  std::vector<SimModelNote> modelNotes;
  std::vector<SimCalibration> calibration;
  // Who and when (not part of the id: a re-run replaces the graph and updates them).
  std::string weftVersion;
  std::string startedAt;    // xsd:dateTime, optional
  std::string generatedAt;  // xsd:dateTime, when the results were produced (required)
};

// One KPI across the replications. A non-finite mean (no observation in any replication,
// e.g. MTTR without a repair) writes no numbers but dt:undefinedReason.
struct SimKpi {
  std::string name;  // "machine:FF-1/FF-1:availability", "inventory:P2@S100:fill_rate"
  double mean = std::numeric_limits<double>::quiet_NaN();
  double halfWidth = std::numeric_limits<double>::quiet_NaN();
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
  int64_t n = 0;  // replications with a value
  // Paired comparison with the baseline run (scenario - baseline), if made.
  bool hasBaseline = false;
  double differenceMean = std::numeric_limits<double>::quiet_NaN();
  double differenceHalfWidth = std::numeric_limits<double>::quiet_NaN();
  // Why the value is undefined, used only when the mean is not finite ("" gives a default).
  std::string undefinedReason;
};

// One simulated event (a failure, repair, outage, stockout, replenishment, backup order...).
struct SimEvent {
  double time = 0;  // seconds since simulation time 0
  std::string kind;
  std::string subject;  // the model's name: "FF-1/FF-1", "P2@S100", "Acme / Medium M@S1"
  double value = std::numeric_limits<double>::quiet_NaN();  // NaN: none written
  uint32_t replication = 0;
  // What else identifies it: the failure mode, the order's source
  // ("backup:NorthBay / CDM-4@S100"); "" writes nothing.
  std::string detail;
};

// The stable id of a run: the first 16 hex digits of SHA-256 over the scenario hash (or, without
// a file, its name and changes), whether it is a baseline, seed, replications, horizon, warm-up,
// start date and model fingerprint. The same experiment on the same model gets the same id, so
// writing it again replaces its graph.
std::string deriveRunId(const SimRunRecord& run);
// The run id used (run.runId or the derived one) and the run's graph / node IRI.
std::string runIdOf(const SimRunRecord& run);
std::string runIri(std::string_view runId);

// The run as quads, all in the run's graph, in a deterministic order (the same input gives the
// same quads). Fails on an invalid run id, start date or timestamp, an empty generatedAt, or
// two KPIs with one name.
Result<std::vector<rdf::Quad>> runToQuads(const SimRunRecord& run, const std::vector<SimKpi>& kpis,
                                          const std::vector<SimEvent>& events);

struct WriteRunStats {
  std::string runId;
  std::string graph;
  uint64_t quads = 0;    // quads of the run now in the store
  uint64_t removed = 0;  // quads of an earlier graph with the same id that were replaced
  bool replaced = false;
};

// runToQuads, then writeRunQuads.
Result<WriteRunStats> writeRun(store::Store& store, const SimRunRecord& run,
                               const std::vector<SimKpi>& kpis,
                               const std::vector<SimEvent>& events);
// Replaces the graph of `runId` by `quads` in one transaction: a failure anywhere leaves the
// store as it was. Every quad must be in the run's graph.
Result<WriteRunStats> writeRunQuads(store::Store& store, const std::string& runId,
                                    const std::vector<rdf::Quad>& quads);

// The runs in a store, by SPARQL over their graphs, ordered by generatedAt then id.
struct RunInfo {
  std::string runId;
  std::string graph;
  std::string scenarioName;
  bool isBaseline = false;
  uint64_t seed = 0;
  int64_t replications = 0;
  std::string generatedAt;
  int64_t kpis = 0;
  int64_t events = 0;
};
Result<std::vector<RunInfo>> listRuns(const store::Store& store);

// Removes the graph of a run in one transaction; notFound if the store has none.
Status deleteRun(store::Store& store, const std::string& runId);

}  // namespace weft::twin
