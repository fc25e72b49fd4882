// SPDX-License-Identifier: Apache-2.0
#include "engine/db/graph_filter.h"

#include <algorithm>

namespace weft::db {

GraphGrant GraphGrant::everything() {
  GraphGrant g;
  g.add("*");
  g.add("default");
  return g;
}

void GraphGrant::add(std::string_view pattern) {
  written_.emplace_back(pattern);
  if (pattern == "*") {
    all_ = true;
  } else if (pattern == "default") {
    default_graph_ = true;
  } else if (!pattern.empty() && pattern.back() == '*') {
    prefixes_.emplace_back(pattern.substr(0, pattern.size() - 1));
  } else {
    exact_.emplace_back(pattern);
  }
}

bool GraphGrant::allows(std::string_view iri) const {
  if (all_) return true;
  for (const auto& e : exact_)
    if (e == iri) return true;
  for (const auto& p : prefixes_)
    if (iri.substr(0, p.size()) == p) return true;
  return false;
}

namespace {

// Passes on the quads of granted graphs; the base cursor's order is kept.
class FilterCursor : public sparql::QuadCursor {
 public:
  FilterCursor(const FilteredDataset& d, std::unique_ptr<sparql::QuadCursor> inner, bool empty)
      : d_(d), inner_(std::move(inner)), empty_(empty) {}
  bool next(sparql::IdQuad* out) override {
    if (empty_) return false;
    while (inner_->next(out))
      if (d_.granted(out->g)) return true;
    return false;
  }
  sparql::QuadCursor* inner() { return inner_.get(); }
  void setEmpty(bool e) { empty_ = e; }

 private:
  const FilteredDataset& d_;
  std::unique_ptr<sparql::QuadCursor> inner_;
  bool empty_;
};

class EmptyCursor : public sparql::QuadCursor {
 public:
  bool next(sparql::IdQuad*) override { return false; }
};

}  // namespace

FilteredDataset::FilteredDataset(const sparql::Dataset& base, GraphGrant grant)
    : base_(base), grant_(std::move(grant)) {}

bool FilteredDataset::granted(sparql::Id g) const {
  if (g == sparql::kDefaultGraphId) return grant_.allowsDefaultGraph();
  if (grant_.allowsEverything()) return true;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = verdicts_.find(g);
  if (it != verdicts_.end()) return it->second;
  rdf::Term t;
  bool ok = base_.decode(g, &t) && t.kind == rdf::TermKind::kIri && grant_.allows(t.value);
  verdicts_.emplace(g, ok);
  return ok;
}

std::unique_ptr<sparql::QuadCursor> FilteredDataset::scan(const sparql::IdQuad& pattern, char order[4]) const {
  if (pattern.g != sparql::kAnyId) {
    if (!granted(pattern.g)) {
      if (order != nullptr) std::copy_n("spog", 4, order);
      return std::make_unique<EmptyCursor>();
    }
    // One granted graph: the base's cursor as it is (keeps rescan).
    return base_.scan(pattern, order);
  }
  if (grant_.allowsEverything()) return base_.scan(pattern, order);
  return std::make_unique<FilterCursor>(*this, base_.scan(pattern, order), false);
}

// count() only steers the planner (estimates); an upper bound is fine and
// reveals nothing to the query's results.
uint64_t FilteredDataset::count(const sparql::IdQuad& pattern) const {
  if (pattern.g != sparql::kAnyId && !granted(pattern.g)) return 0;
  return base_.count(pattern);
}

double FilteredDataset::averageMatches(const sparql::IdQuad& pattern, int pos) const {
  if (pattern.g != sparql::kAnyId && !granted(pattern.g)) return 0;
  return base_.averageMatches(pattern, pos);
}

// The value indexes answer per graph; over several graphs with some hidden
// they could hand out objects of an ungranted graph, so the planner scans.
bool FilteredDataset::objectsInValueRange(sparql::Id p, sparql::Id g, bool datetime, double lo, double hi,
                                          std::vector<sparql::Id>* out) const {
  if (g == sparql::kAnyId && !grant_.allowsEverything()) return false;
  if (g != sparql::kAnyId && !granted(g)) return true;  // nothing there
  return base_.objectsInValueRange(p, g, datetime, lo, hi, out);
}

bool FilteredDataset::numericObjectsInOrder(sparql::Id p, sparql::Id g,
                                            std::vector<std::pair<double, sparql::Id>>* out) const {
  if (g == sparql::kAnyId && !grant_.allowsEverything()) return false;
  if (g != sparql::kAnyId && !granted(g)) return true;
  return base_.numericObjectsInOrder(p, g, out);
}

// Per graph: a granted graph's pairs are all readable, an ungranted one holds none.
std::shared_ptr<const sparql::Dataset::PairList> FilteredDataset::predicatePairs(
    sparql::Id p, sparql::Id g, bool by_object) const {
  if (g == sparql::kAnyId) return nullptr;
  if (!granted(g)) return std::make_shared<const PairList>();  // empty
  return base_.predicatePairs(p, g, by_object);
}

std::vector<sparql::Id> FilteredDataset::namedGraphs() const {
  std::vector<sparql::Id> all = base_.namedGraphs();
  if (grant_.allowsEverything()) return all;
  std::vector<sparql::Id> out;
  for (sparql::Id g : all)
    if (granted(g)) out.push_back(g);
  return out;
}

GuardedDataset::GuardedDataset(sparql::MutableDataset& base, GraphGrant read, GraphGrant write)
    : base_(base), view_(base, std::move(read)), write_(std::move(write)) {}

Status GuardedDataset::mayWrite(const rdf::TermView& g) const {
  if (g.isNone()) {
    if (write_.allowsDefaultGraph()) return Status::ok();
    return Status::permissionDenied("this key may not change the default graph");
  }
  if (g.isIri() && write_.allows(g.value)) return Status::ok();
  return Status::permissionDenied("this key may not change graph <" + std::string(g.value) + ">");
}

Status GuardedDataset::insert(const rdf::QuadView& q) {
  WEFT_TRY(mayWrite(q.g));
  return base_.insert(q);
}

Status GuardedDataset::erase(const rdf::QuadView& q) {
  WEFT_TRY(mayWrite(q.g));
  return base_.erase(q);
}

Status GuardedDataset::load(const rdf::Term& source, const rdf::Term& graph) {
  if (!write_.allowsEverything())
    return Status::permissionDenied("LOAD reads files or URLs on the server: only an admin key may use it");
  return base_.load(source, graph);
}

void GuardedDataset::noteCreated(const rdf::Term& graph) {
  // CREATE changes nothing weft keeps (no empty graphs); an ungranted graph is
  // simply never reported as existing.
  base_.noteCreated(graph);
}

}  // namespace weft::db
