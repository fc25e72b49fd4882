// SPDX-License-Identifier: Apache-2.0
// `weft reason` (materialise OWL 2 RL / RDFS and domain rules into the
// inferred graph) and `weft explain` (the derivation tree of one triple).
// See docs/reasoning.md.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
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
// The same for a process that commits again and again (weft stream, weft
// serve): the closure stays in memory between commits (reason::Resident).
// One per store; not thread-safe.
class ClosureKeeper {
 public:
  explicit ClosureKeeper(store::Store& store);
  ~ClosureKeeper();
  // After a commit whose changes are known / after any other write.
  bool afterCommit(const store::CommitDelta& delta, bool quiet);
  bool afterWrite(bool quiet);
  // Before the process ends: the incremental state for the next one.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};
int cmdReason(const ReasonFlags& f);
CLI::App* addExplainCommand(CLI::App& app, ReasonFlags& f);
int cmdExplain(const ReasonFlags& f);

}  // namespace weft::cli
