// SPDX-License-Identifier: Apache-2.0
// Internal: per-request state of the executor. Rows are arrays of Ids, one
// slot per query variable (0 = unbound). Terms made during the query get
// query-local ids (kQueryIdBits); the dataset's terms keep theirs, so equal terms
// always have equal ids and joins compare ids only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"
#include "engine/sparql/dataset.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/functions.h"

namespace weft::sparql::internal {

// Thrown to abort a request (timeout, cancel, row cap); caught at the API.
struct Aborted {
  Status status;
};

// The graphs a pattern reads. A scan's graph slot holds one of: a graph id,
// kDefaultGraphId (the dataset's default graph or, with FROM, the merge of
// the FROM graphs), or a named graph id chosen by GRAPH.
class ExecContext {
 public:
  ExecContext(const Dataset& data, const ExecOptions& opts, size_t nvars);

  const Dataset& data;
  const ExecOptions& opts;
  const size_t nvars;
  FunctionContext fn;

  // Dataset clauses. `from` set: the default graph is the merge of these ids
  // (absent graphs are simply empty); {kAnyId} is the union of all graphs
  // (ExecOptions::union_default_graph): one scan with the graph unbound,
  // whose duplicates come next to each other since every permutation that
  // leaves g unbound sorts it last. `named` set: GRAPH iterates only these.
  bool has_from = false;
  std::vector<Id> from;
  bool has_named = false;
  std::vector<Id> named;
  std::vector<Id> namedGraphs();  // the graphs GRAPH ?g iterates
  // Whether `g` is one of them (GRAPH <g> matches only a named graph of the dataset).
  bool isNamedGraph(Id g);

  // Term <-> id.
  Id intern(const rdf::Term& t);          // dataset id or a local one
  Id lookupOrZero(const rdf::Term& t);    // dataset id, local id if known, else 0
  // The term of an id. The reference is valid until the next term() call
  // (decoded terms live in a small direct-mapped cache): copy what you keep.
  const rdf::Term& term(Id id);
  bool isQueryLocal(Id id) const { return (id & kQueryIdBits) == kQueryIdBits; }

  // Called by scans every row: checks deadline/cancel every few thousand calls.
  void tick() {
    if ((++ticks_ & 0x3FF) == 0) checkLimits();
  }
  void checkLimits();
  uint64_t rows_out = 0;  // result rows produced (cap)
  void countOutputRow() {
    if (opts.max_rows != 0 && ++rows_out > opts.max_rows)
      throw Aborted{Status::aborted("result has more than " + std::to_string(opts.max_rows) +
                                    " rows (the result-size cap)")};
  }
  std::string freshBlankLabel();

 private:
  std::vector<rdf::Term> local_;
  std::unordered_map<std::string, Id> local_index_;
  struct CacheSlot {
    Id id = kAnyId;
    rdf::Term term;
  };
  static constexpr int kCacheBits = 11;
  static constexpr size_t kCacheSlots = size_t{1} << kCacheBits;
  std::vector<CacheSlot> cache_;
  std::string key_;
  uint64_t ticks_ = 0;
  uint64_t bnodes_ = 0;
  std::string bnode_prefix_;
  bool named_cached_ = false;
  std::vector<Id> named_cache_;
};

}  // namespace weft::sparql::internal
