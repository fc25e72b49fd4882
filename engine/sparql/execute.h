// SPDX-License-Identifier: Apache-2.0
// Running queries and updates: algebra (algebra.h) + data (dataset.h) ->
// results (results.h) or RDF (rdf::QuadSink). The planner (planner.cpp)
// orders joins by the dataset's counts, pushes filters down and picks merge,
// hash or index-nested-loop joins; the executor streams, so LIMIT stops the
// scans early. Rows hold ids; terms are decoded only for expressions and output.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/sparql/algebra.h"
#include "engine/sparql/dataset.h"
#include "engine/sparql/results.h"

namespace weft::sparql {

class ServiceClient;  // service.h

struct ExecOptions {
  // Give up with Status::aborted after this point in time / when *cancel is set.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* cancel = nullptr;
  // Most result rows (or constructed triples) to produce; more is Status::aborted. 0 = no cap.
  uint64_t max_rows = 0;
  // Evaluate the algebra as written, in the order of section 18 (no join
  // reordering, no filter push-down, nested-loop joins): the reference the
  // differential tests compare the planner with.
  bool naive = false;
  // Without FROM, the default graph is the union (RDF merge of the triples)
  // of the store's default graph and every named graph, as in Jena's
  // unionDefaultGraph: a store of one graph per source document is queried
  // as one graph. GRAPH still names the documents' graphs.
  bool union_default_graph = false;
  // SERVICE calls go through this client (service.h); null: SERVICE is an
  // error and SERVICE SILENT gives one empty solution.
  ServiceClient* service = nullptr;
  // Rows of bindings sent per remote call (the VALUES block of service.h).
  uint32_t service_batch = 200;
};

struct QueryOutput {
  ResultWriter* results = nullptr;  // SELECT and ASK
  rdf::QuadSink* graph = nullptr;   // CONSTRUCT and DESCRIBE (triples, default graph)
  // If set, receives the plan after execution: one operator per line,
  // indented, with estimated and actual row counts.
  std::string* explain = nullptr;
};

Status executeQuery(const Query& q, const Dataset& data, const ExecOptions& opts, QueryOutput& out);

// A dataset that an update can change. Reads see the changes made so far in
// the same request (operations apply in order); the implementation makes the
// whole request one transaction.
class MutableDataset : public Dataset {
 public:
  virtual Status insert(const rdf::QuadView& q) = 0;  // g kind kNone: default graph
  virtual Status erase(const rdf::QuadView& q) = 0;
  // LOAD <source> [INTO GRAPH <graph>] (graph kind kNone: default graph).
  virtual Status load(const rdf::Term& source, const rdf::Term& graph) = 0;
  // weft keeps no empty graphs: CREATE records the graph as existing for the
  // rest of the request only. True if the graph holds quads or was created.
  virtual bool graphExists(Id graph) const = 0;
  virtual void noteCreated(const rdf::Term& graph) = 0;
};

struct UpdateStats {
  uint64_t inserted = 0, deleted = 0;  // quad operations requested (before dedup)
};

Status executeUpdate(const Update& u, MutableDataset& data, const ExecOptions& opts,
                     UpdateStats* stats = nullptr);

}  // namespace weft::sparql
