// SPDX-License-Identifier: Apache-2.0
// Access control where the query reads the data: a GraphGrant is the set of
// graphs a caller may read (or write), and FilteredDataset shows a query only
// the quads of granted graphs. Every query form (GRAPH ?g, FROM, FROM NAMED,
// property paths, DESCRIBE, EXISTS, sub-queries) reads through the dataset's
// scan / count / namedGraphs, so none can reach an ungranted graph.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/sparql/dataset.h"
#include "engine/sparql/execute.h"

namespace weft::db {

class GraphGrant {
 public:
  // Patterns: an IRI (that graph), an IRI prefix ending in '*' (every graph
  // whose IRI starts with it), "*" (every named graph) and the word
  // "default" (the store's default graph).
  static GraphGrant everything();
  void add(std::string_view pattern);
  bool allows(std::string_view graph_iri) const;
  bool allowsDefaultGraph() const { return default_graph_ || all_; }
  bool allowsEverything() const { return all_ && default_graph_; }
  const std::vector<std::string>& patterns() const { return written_; }

 private:
  bool all_ = false, default_graph_ = false;
  std::vector<std::string> exact_, prefixes_, written_;
};

// A read view of `base` restricted to the graphs `grant` allows. With the
// union default graph a query sees the union of the granted graphs.
// Thread-compatible like the base dataset; the per-graph verdicts are cached.
class FilteredDataset : public sparql::Dataset {
 public:
  FilteredDataset(const sparql::Dataset& base, GraphGrant grant);
  sparql::Id lookup(const rdf::TermView& t) const override { return base_.lookup(t); }
  bool decode(sparql::Id id, rdf::Term* out) const override { return base_.decode(id, out); }
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pattern, char order[4] = nullptr) const override;
  bool rescan(sparql::QuadCursor* cursor, const sparql::IdQuad& pattern) const override {
    // Only a grant of everything hands out the base's own cursors for any pattern.
    return grant_.allowsEverything() && base_.rescan(cursor, pattern);
  }
  uint64_t count(const sparql::IdQuad& pattern) const override;
  double averageMatches(const sparql::IdQuad& pattern, int pos) const override;
  bool objectsInValueRange(sparql::Id p, sparql::Id g, bool datetime, double lo, double hi,
                           std::vector<sparql::Id>* out) const override;
  bool numericObjectsInOrder(sparql::Id p, sparql::Id g,
                             std::vector<std::pair<double, sparql::Id>>* out) const override;
  std::shared_ptr<const PairList> predicatePairs(sparql::Id p, sparql::Id g,
                                                 bool by_object) const override;
  std::vector<sparql::Id> namedGraphs() const override;
  // Whether the graph with this id (kDefaultGraphId: the default graph) is granted.
  bool granted(sparql::Id g) const;

 private:
  const sparql::Dataset& base_;
  GraphGrant grant_;
  mutable std::mutex mu_;
  mutable std::unordered_map<sparql::Id, bool> verdicts_;
};

// An update's view under a grant: its WHERE clauses read only granted graphs
// (through FilteredDataset), and every quad it inserts or deletes must lie in
// a graph of the write grant, else the update fails with permission denied
// and (being one transaction) changes nothing. LOAD reads files or URLs on the
// server's side: allowed only with a grant of everything (admins).
class GuardedDataset : public sparql::MutableDataset {
 public:
  GuardedDataset(sparql::MutableDataset& base, GraphGrant read, GraphGrant write);
  sparql::Id lookup(const rdf::TermView& t) const override { return view_.lookup(t); }
  bool decode(sparql::Id id, rdf::Term* out) const override { return view_.decode(id, out); }
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pattern, char order[4] = nullptr) const override {
    return view_.scan(pattern, order);
  }
  uint64_t count(const sparql::IdQuad& pattern) const override { return view_.count(pattern); }
  std::vector<sparql::Id> namedGraphs() const override { return view_.namedGraphs(); }
  Status insert(const rdf::QuadView& q) override;
  Status erase(const rdf::QuadView& q) override;
  Status load(const rdf::Term& source, const rdf::Term& graph) override;
  bool graphExists(sparql::Id graph) const override { return view_.granted(graph) && base_.graphExists(graph); }
  void noteCreated(const rdf::Term& graph) override;

 private:
  Status mayWrite(const rdf::TermView& g) const;
  sparql::MutableDataset& base_;
  FilteredDataset view_;
  GraphGrant write_;
};

}  // namespace weft::db
