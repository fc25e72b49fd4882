// SPDX-License-Identifier: Apache-2.0
// `weft map`: run an RML / R2RML mapping into a store (one transaction) or
// to an RDF file. Exit codes: 0 success, 1 failure (a bad record, I/O),
// 2 bad usage or an invalid mapping document.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace weft::cli {

struct MapFlags {
  std::string mapping;
  std::string base;
  std::string store_dir;
  std::string out;
  std::string format;
  std::string on_error = "fail";
  std::string rejects;
  std::string memory_limit = "256M";
  std::string sql_db;
  std::string input;
  bool dry_run = false;
  bool quiet = false;
};

// "256M", "1G", "500000K", "1048576" -> bytes; false if it is not a size.
bool parseSize(const std::string& s, size_t* out);

CLI::App* addMapCommand(CLI::App& app, MapFlags& f);
int cmdMap(const MapFlags& f);

}  // namespace weft::cli
