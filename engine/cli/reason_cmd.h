// SPDX-License-Identifier: Apache-2.0
// `weft reason` (materialise OWL 2 RL / RDFS and domain rules into the
// inferred graph) and `weft explain` (the derivation tree of one triple).
// See docs/reasoning.md.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "engine/store/store.h"

namespace weft::cli {

struct ReasonFlags {
  std::string store_dir;
  std::string profile = "owl-rl";
  std::vector<std::string> rules;
  bool full = false;
  bool drop = false;
  bool eq_ref = false;
  bool quiet = false;
  bool fail_inconsistent = false;
  std::string triple;  // explain
};

CLI::App* addReasonCommand(CLI::App& app, ReasonFlags& f);
// After a write to a store that was reasoned before: bring the inferred
// graph up to date with the options of the last `weft reason` (one line on
// stderr). Returns false (after printing the error) if that failed; the
// write itself stands either way.
bool keepClosure(store::Store& store, bool quiet);
int cmdReason(const ReasonFlags& f);
CLI::App* addExplainCommand(CLI::App& app, ReasonFlags& f);
int cmdExplain(const ReasonFlags& f);

}  // namespace weft::cli
