// SPDX-License-Identifier: Apache-2.0
// `weft twin bootstrap --store DIR --site IRI --like IRI`: a twin for a site with equipment
// but no history, its parameters borrowed from comparable equipment of an existing site
// (engine/twin/bootstrap.h); prints what was borrowed from where, then simulates the new
// site's lines at capacity. Exit codes: 0 ok, 1 nothing could be bootstrapped or the model is
// invalid, 2 bad usage or an unreadable store.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace weft::cli {

struct TwinBootstrapFlags {
  std::string store_dir, site, like;
  uint32_t replications = 10;
  std::string horizon = "365d";
  std::string warmup = "30d";
  uint64_t seed = 1;
  unsigned threads = 0;
  bool no_simulate = false;
  bool batch_trains = false;
  std::string format = "table";
  bool quiet = false;
};

// Adds `bootstrap` under `twin` (the `weft twin` command group).
CLI::App* addTwinBootstrapCommand(CLI::App& twin, TwinBootstrapFlags& f);
int cmdTwinBootstrap(const TwinBootstrapFlags& f);

}  // namespace weft::cli
