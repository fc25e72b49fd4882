// SPDX-License-Identifier: Apache-2.0
// The query engine bound to the store: sparql::Dataset over a store snapshot,
// and query / update entry points that the CLI, the server and the tests share.
// An update request is one store transaction: it reads its own writes through
// an overlay on the snapshot and commits all of it or nothing.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/sparql/dataset.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "engine/store/store.h"

namespace weft::db {

// A read view of a store snapshot as a sparql::Dataset.
class StoreDataset : public sparql::Dataset {
 public:
  explicit StoreDataset(std::shared_ptr<const store::Snapshot> snap) : snap_(std::move(snap)) {}
  sparql::Id lookup(const rdf::TermView& t) const override;
  bool decode(sparql::Id id, rdf::Term* out) const override;
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pattern,
                                           char order[4] = nullptr) const override;
  bool rescan(sparql::QuadCursor* cursor, const sparql::IdQuad& pattern) const override;
  uint64_t count(const sparql::IdQuad& pattern) const override;
  double averageMatches(const sparql::IdQuad& pattern, int pos) const override;
  bool objectsInValueRange(sparql::Id p, sparql::Id g, bool datetime, double lo, double hi,
                           std::vector<sparql::Id>* out) const override;
  bool numericObjectsInOrder(sparql::Id p, sparql::Id g,
                             std::vector<std::pair<double, sparql::Id>>* out) const override;
  std::shared_ptr<const PairList> predicatePairs(sparql::Id p, sparql::Id g,
                                                 bool by_object) const override;
  std::vector<sparql::Id> namedGraphs() const override;
  const store::Snapshot& snapshot() const { return *snap_; }

 private:
  std::shared_ptr<const store::Snapshot> snap_;
};

struct QueryRequest {
  std::string text;
  sparql::ParseOptions parse;
  sparql::ExecOptions exec;
};

// Parse and run a query on the store's current snapshot.
Status runQuery(const store::Store& s, const QueryRequest& req, sparql::QueryOutput& out);
// RDF files (syntax from each name: .nt, .nq, .ttl, .trig, .rdf, .jsonld)
// loaded into a new in-memory store in one transaction, blank nodes scoped
// per file (`weft query --data`, SPARQL logical sources of mappings).
Result<std::unique_ptr<store::Store>> loadFilesInMemory(const std::vector<std::string>& files);

// Parse and run an update as one transaction.
Status runUpdate(store::Store& s, const QueryRequest& req, sparql::UpdateStats* stats = nullptr);

}  // namespace weft::db
