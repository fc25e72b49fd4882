// SPDX-License-Identifier: Apache-2.0
// `weft watch drift --store DIR --config FILE.json [--dry-run] [--alarms N] [-q]`: statistical
// process control on the series the configuration names (docs/watch.md); prints each series'
// baseline and, per chart, its alarms, the detection delay of a planted change and the false
// alarms on the remainder; writes the alarms as dt:DriftAlarm nodes into the graph
// <https://w3id.org/weft/graph/watch/drift>, replacing it (not with --dry-run).
// `weft watch failures --store DIR --config FILE.json [--dry-run] [-q]`: per machine, the
// probability of a failure within the horizon (docs/watch.md, "Failure prediction"), written
// as dt:FailurePrediction nodes into <https://w3id.org/weft/graph/watch/failures>.
// Exit codes: 0 ok (with or without alarms), 1 a series could not be read or charted, 2 bad
// usage, an unreadable configuration or store.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "engine/store/store.h"

namespace weft::twin {
struct ShadowConfig;
}  // namespace weft::twin
namespace weft::watch {
struct DriftConfig;    // engine/watch/drift.h
struct FailureConfig;  // engine/watch/failure_graph.h
}  // namespace weft::watch

namespace weft::cli {

struct WatchFlags {
  CLI::App* drift = nullptr;
  CLI::App* failures = nullptr;
  std::string store_dir, config;
  bool dry_run = false, quiet = false;
  size_t list_alarms = 5;  // alarms listed per chart
};

void addWatchCommands(CLI::App& app, WatchFlags& f);

// `weft stream --watch-drift FILE --watch-failures FILE --watch-shadow FILE --watch-every S`:
// the same runs as `weft watch drift|failures` and `weft twin shadow` (graphs replaced,
// nothing printed but one line per run), at most every `every_s` seconds after a commit, and
// once more at the end of the stream.
class LiveWatch {
 public:
  // Reads and checks the configurations (either may be empty: not watched). Empty error
  // message on success, else what is wrong with which file.
  std::string load(const std::string& drift_config, const std::string& failures_config,
                   const std::string& shadow_config, double every_s);
  bool active() const { return drift_ || failures_ || shadow_; }
  // After a commit: runs when `every_s` has passed since the last run.
  void afterCommit(store::Store& store, const std::string& store_dir, bool quiet);
  // At the end of the stream: runs if anything was committed since the last run.
  void finish(store::Store& store, const std::string& store_dir, bool quiet);

 private:
  void run(store::Store& store, const std::string& store_dir, bool quiet);
  void runShadow(store::Store& store, bool quiet);
  std::shared_ptr<const watch::DriftConfig> drift_;
  std::shared_ptr<const watch::FailureConfig> failures_;
  std::shared_ptr<const twin::ShadowConfig> shadow_;
  double every_s_ = 60;
  double last_run_ = -1;  // steady-clock seconds of the last run
  bool pending_ = false;  // commits since the last run
};
// The exit code if one of these commands was given, else -1.
int runWatch(const WatchFlags& f);

}  // namespace weft::cli
