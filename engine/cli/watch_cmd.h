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
#include <string>

namespace weft::cli {

struct WatchFlags {
  CLI::App* drift = nullptr;
  CLI::App* failures = nullptr;
  std::string store_dir, config;
  bool dry_run = false, quiet = false;
  size_t list_alarms = 5;  // alarms listed per chart
};

void addWatchCommands(CLI::App& app, WatchFlags& f);
// The exit code if one of these commands was given, else -1.
int runWatch(const WatchFlags& f);

}  // namespace weft::cli
