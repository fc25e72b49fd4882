// SPDX-License-Identifier: Apache-2.0
// Replacing one named graph's content in one transaction: what a re-run of a simulation, a
// drift detection or a failure prediction does with its results graph (and what the Graph
// Store Protocol's PUT means). A failure anywhere leaves the store as it was.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/store/store.h"

namespace weft::db {

struct GraphReplaceStats {
  uint64_t removed = 0;  // quads the graph held before
  uint64_t added = 0;    // quads given (duplicates count once in the store)
};

// Removes every quad of `graph`, then adds `quads`, in one transaction. Every quad must be in
// `graph` (kInvalidArgument before anything is written otherwise). `what` names the content
// in error messages ("writing drift alarms: ...").
Result<GraphReplaceStats> replaceGraph(store::Store& st, std::string_view graph,
                                       const std::vector<rdf::Quad>& quads, std::string_view what);

}  // namespace weft::db
