// SPDX-License-Identifier: Apache-2.0
// `weft stream` (MQTT topics into a store: docs/streaming.md) and `weft
// replay` (recorded messages from a folder to a broker). With --watch-drift /
// --watch-failures, `weft stream` also refreshes the drift alarms and failure
// predictions as data arrives (LiveWatch, watch_cmd.h). Exit codes: 0 a clean
// stop (signal, idle time), 1 an error, 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "engine/core/status.h"
#include "engine/stream/pipeline.h"

namespace weft::cli {

struct StreamFlags {
  CLI::App* stream = nullptr;
  CLI::App* replay = nullptr;
  std::string store_dir, broker = "mqtt://127.0.0.1:1883", config;
  std::string client_id;  // overrides the configuration's
  double idle_exit_s = 0;
  double progress_s = 1;
  bool quiet = false, no_reason = false;
  std::string watch_drift, watch_failures, watch_shadow;  // configurations run as data arrives
  double watch_every_s = 60;
  // replay
  std::string dir, speed = "max", topic_prefix;
};

void addStreamCommands(CLI::App& app, StreamFlags& f);
// The stream's options from a configuration file and a broker URL (`client_id` overrides the
// file's when not empty); the error names the file or the URL. Shared with `weft serve
// --stream`.
Result<stream::RunOptions> loadStreamOptions(const std::string& config_path, const std::string& broker_url,
                                             const std::string& client_id);
// The exit code if one of these commands was given, else -1.
int runStream(const StreamFlags& f);

}  // namespace weft::cli
