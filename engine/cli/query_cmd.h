// SPDX-License-Identifier: Apache-2.0
// The `weft query` and `weft update` subcommands (SPARQL 1.1 Query and
// Update over a store, or over files loaded into memory). Exit codes:
// 0 success, 1 failure (store, files, I/O, evaluation), 2 bad usage or a
// query / update that does not parse, 3 a limit reached (--timeout, --max-rows).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace weft::cli {

struct QueryFlags {
  std::string store_dir;
  std::vector<std::string> data;
  std::string format;
  double timeout = 0;  // seconds; 0 = none
  double service_timeout = 30;  // seconds per SERVICE call
  uint64_t max_rows = 0;
  bool explain = false;
  bool union_graph = false;
  bool no_merge = false;
  int repeat = 1;
  std::string out;
  std::string text;
  std::string file;
  std::string base;
};

struct UpdateFlags {
  std::string store_dir;
  std::string text;
  std::string file;
  double timeout = 0;
  std::string base;
  bool no_reason = false;
};

CLI::App* addQueryCommand(CLI::App& app, QueryFlags& f);
CLI::App* addUpdateCommand(CLI::App& app, UpdateFlags& f);
int cmdQuery(const QueryFlags& f);
int cmdUpdate(const UpdateFlags& f);

}  // namespace weft::cli
