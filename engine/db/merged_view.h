// SPDX-License-Identifier: Apache-2.0
// The merged view of a reasoned store: every owl:sameAs class the reasoner
// formed is seen as its representative (docs/reasoning.md). The reasoner
// writes `alias dt:representative rep` into the inferred graph; this dataset
// maps alias ids to the representative's in lookups and patterns, and hides
// the quads that mention an alias in scans over all graphs (their copies on
// the representative are in the inferred graph), so a merged lot is one row,
// not two. owl:sameAs and dt:representative quads stay visible: a query can
// still ask which source identifiers a node has. A scan of one named graph
// (GRAPH <doc>, FROM) shows that graph as written.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/db/database.h"

namespace weft::db {

class MergedDataset : public sparql::Dataset {
 public:
  // Null if the snapshot has no representatives (never reasoned, or no merges).
  static std::unique_ptr<MergedDataset> over(const StoreDataset& base);

  sparql::Id lookup(const rdf::TermView& t) const override;
  bool decode(sparql::Id id, rdf::Term* out) const override { return base_.decode(id, out); }
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pattern,
                                           char order[4] = nullptr) const override;
  uint64_t count(const sparql::IdQuad& pattern) const override;
  double averageMatches(const sparql::IdQuad& pattern, int pos) const override;
  bool objectsInValueRange(sparql::Id p, sparql::Id g, bool datetime, double lo, double hi,
                           std::vector<sparql::Id>* out) const override;
  bool numericObjectsInOrder(sparql::Id p, sparql::Id g,
                             std::vector<std::pair<double, sparql::Id>>* out) const override;
  std::vector<sparql::Id> namedGraphs() const override { return base_.namedGraphs(); }
  size_t aliases() const { return rep_.size(); }

 private:
  MergedDataset(const StoreDataset& base, std::unordered_map<sparql::Id, sparql::Id> rep,
                sparql::Id same, sparql::Id repr)
      : base_(base), rep_(std::move(rep)), same_(same), repr_(repr) {}
  sparql::Id rep(sparql::Id id) const {
    auto it = rep_.find(id);
    return it == rep_.end() ? id : it->second;
  }
  bool isAlias(sparql::Id id) const { return id != sparql::kAnyId && rep_.count(id) != 0; }
  sparql::IdQuad mapped(const sparql::IdQuad& q) const;
  bool hidden(const sparql::IdQuad& pattern, const sparql::IdQuad& q) const;
  friend class MergedCursor;

  const StoreDataset& base_;
  std::unordered_map<sparql::Id, sparql::Id> rep_;  // alias -> representative
  sparql::Id same_, repr_;
};

}  // namespace weft::db
