// SPDX-License-Identifier: Apache-2.0
#include "engine/db/merged_view.h"

#include <algorithm>
#include <string>

namespace weft::db {
namespace {
constexpr const char* kInferred = "https://w3id.org/weft/graph/inferred";
constexpr const char* kRepresentative = "https://w3id.org/weft/dt#representative";
constexpr const char* kSameAs = "http://www.w3.org/2002/07/owl#sameAs";
}  // namespace

class MergedCursor : public sparql::QuadCursor {
 public:
  MergedCursor(const MergedDataset& d, sparql::IdQuad pattern, std::unique_ptr<sparql::QuadCursor> in)
      : d_(d), pattern_(pattern), in_(std::move(in)) {}
  bool next(sparql::IdQuad* out) override {
    while (in_->next(out))
      if (!d_.hidden(pattern_, *out)) return true;
    return false;
  }

 private:
  const MergedDataset& d_;
  sparql::IdQuad pattern_;
  std::unique_ptr<sparql::QuadCursor> in_;
};

std::unique_ptr<MergedDataset> MergedDataset::over(const StoreDataset& base) {
  const store::Snapshot& snap = base.snapshot();
  uint64_t g = snap.lookup(rdf::TermView::iri(kInferred));
  uint64_t repr = snap.lookup(rdf::TermView::iri(kRepresentative));
  if (g == 0 || repr == 0) return nullptr;
  std::unordered_map<sparql::Id, sparql::Id> rep;
  auto c = snap.scan({0, repr, 0, g});
  store::QuadIds q;
  while (c.next(&q)) rep[q.s] = q.o;
  if (rep.empty()) return nullptr;
  uint64_t same = snap.lookup(rdf::TermView::iri(kSameAs));
  return std::unique_ptr<MergedDataset>(new MergedDataset(base, std::move(rep), same, repr));
}

sparql::Id MergedDataset::lookup(const rdf::TermView& t) const { return rep(base_.lookup(t)); }

sparql::IdQuad MergedDataset::mapped(const sparql::IdQuad& q) const {
  // A pattern's alias (from a row of another scan: none, they are hidden;
  // from a constant: lookup already mapped it) becomes the representative,
  // except where it names the alias itself (sameAs / representative links).
  if (q.p == same_ || q.p == repr_) return q;
  return {rep(q.s), rep(q.p), rep(q.o), q.g};
}

bool MergedDataset::hidden(const sparql::IdQuad& pattern, const sparql::IdQuad& q) const {
  // One named graph as written; all graphs (or the default graph) merged.
  if (pattern.g != sparql::kAnyId && pattern.g != sparql::kDefaultGraphId) return false;
  if (q.p == same_ || q.p == repr_) return false;
  return isAlias(q.s) || isAlias(q.p) || isAlias(q.o);
}

std::unique_ptr<sparql::QuadCursor> MergedDataset::scan(const sparql::IdQuad& pattern, char order[4]) const {
  sparql::IdQuad p = mapped(pattern);
  return std::make_unique<MergedCursor>(*this, p, base_.scan(p, order));
}

uint64_t MergedDataset::count(const sparql::IdQuad& pattern) const { return base_.count(mapped(pattern)); }

double MergedDataset::averageMatches(const sparql::IdQuad& pattern, int pos) const {
  return base_.averageMatches(mapped(pattern), pos);
}

bool MergedDataset::objectsInValueRange(sparql::Id p, sparql::Id g, bool datetime, double lo, double hi,
                                        std::vector<sparql::Id>* out) const {
  size_t n = out->size();
  if (!base_.objectsInValueRange(p, g, datetime, lo, hi, out)) return false;
  out->erase(std::remove_if(out->begin() + static_cast<std::ptrdiff_t>(n), out->end(),
                            [&](sparql::Id id) { return isAlias(id); }),
             out->end());
  return true;
}

bool MergedDataset::numericObjectsInOrder(sparql::Id p, sparql::Id g,
                                          std::vector<std::pair<double, sparql::Id>>* out) const {
  if (!base_.numericObjectsInOrder(p, g, out)) return false;
  out->erase(std::remove_if(out->begin(), out->end(), [&](const auto& e) { return isAlias(e.second); }),
             out->end());
  return true;
}

}  // namespace weft::db
