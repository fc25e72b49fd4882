// SPDX-License-Identifier: Apache-2.0
// StoreDataset: sparql::Dataset over a store::Snapshot. The store's ids are
// the dataset's ids (store::kAny == sparql::kAnyId, store::kDefaultGraph ==
// sparql::kDefaultGraphId); a scan is one range scan of the permutation whose
// prefix is the bound components, and we report that permutation as the order.
#include <algorithm>
#include <memory>
#include <type_traits>

#include "engine/db/database.h"
#include "engine/db/scan_order.h"

namespace weft::db {

static_assert(store::kAny == sparql::kAnyId);
static_assert(store::kDefaultGraph == sparql::kDefaultGraphId);

namespace {

// Serves quads from a buffer refilled in batches: one store call per 64 quads
// instead of one per quad (scans are the hottest loop of most queries).
class SnapshotCursor : public sparql::QuadCursor {
 public:
  explicit SnapshotCursor(store::Snapshot::Cursor c) : c_(std::move(c)) {}
  store::Snapshot::Cursor& cursor() {
    pos_ = len_ = 0;  // rescan: drop what was buffered
    return c_;
  }
  bool next(sparql::IdQuad* out) override {
    if (pos_ == len_) {
      pos_ = 0;
      len_ = c_.nextBatch(buf_, kBatch);
      if (len_ == 0) return false;
    }
    const store::QuadIds& q = buf_[pos_++];
    *out = sparql::IdQuad{q.s, q.p, q.o, q.g};
    return true;
  }

 private:
  static constexpr size_t kBatch = 64;
  store::Snapshot::Cursor c_;
  store::QuadIds buf_[kBatch];
  size_t pos_ = 0, len_ = 0;
};

class EmptyCursor : public sparql::QuadCursor {
 public:
  bool next(sparql::IdQuad*) override { return false; }
};

// Ids with the local bit are never in the store.
bool hasLocal(const sparql::IdQuad& p) {
  return ((p.s | p.p | p.o | p.g) & sparql::kLocalIdBit) != 0;
}

}  // namespace

sparql::Id StoreDataset::lookup(const rdf::TermView& t) const { return snap_->lookup(t); }

bool StoreDataset::decode(sparql::Id id, rdf::Term* out) const {
  if (id & sparql::kLocalIdBit) return false;
  return snap_->decode(id, out);
}

std::unique_ptr<sparql::QuadCursor> StoreDataset::scan(const sparql::IdQuad& pattern, char order[4]) const {
  internal::writeOrder(internal::scanPerm(pattern), order);
  if (hasLocal(pattern)) return std::make_unique<EmptyCursor>();
  return std::make_unique<SnapshotCursor>(
      snap_->scan(store::QuadIds{pattern.s, pattern.p, pattern.o, pattern.g}));
}

bool StoreDataset::rescan(sparql::QuadCursor* cursor, const sparql::IdQuad& pattern) const {
  auto* sc = dynamic_cast<SnapshotCursor*>(cursor);
  if (!sc || hasLocal(pattern)) return false;
  snap_->rescan(&sc->cursor(), store::QuadIds{pattern.s, pattern.p, pattern.o, pattern.g});
  return true;
}

uint64_t StoreDataset::count(const sparql::IdQuad& pattern) const {
  if (hasLocal(pattern)) return 0;
  return snap_->count(store::QuadIds{pattern.s, pattern.p, pattern.o, pattern.g});
}

double StoreDataset::averageMatches(const sparql::IdQuad& pattern, int pos) const {
  if (hasLocal(pattern)) return 0;
  return snap_->averageMatches(store::QuadIds{pattern.s, pattern.p, pattern.o, pattern.g}, pos);
}

bool StoreDataset::objectsInValueRange(sparql::Id p, sparql::Id g, bool datetime, double lo,
                                       double hi, std::vector<sparql::Id>* out) const {
  if (((p | g) & sparql::kLocalIdBit) != 0) return false;
  using Family = store::Snapshot::ValueFamily;
  auto collect = [&](Family f, double a, double b) {
    auto index = snap_->valueIndex(p, g, f);
    const auto& e = index->entries;
    auto first = std::lower_bound(e.begin(), e.end(), std::make_pair(a, sparql::Id{0}));
    for (auto it = first; it != e.end() && it->first <= b; ++it) out->push_back(it->second);
  };
  if (!datetime) {
    collect(Family::kNumeric, lo, hi);
  } else {
    // Values without a timezone may lie up to 14 hours either way (XSD 1.1 3.3.7).
    constexpr double k14h = 14 * 3600.0;
    collect(Family::kDateTime, lo, hi);
    collect(Family::kLocalDateTime, lo - k14h, hi + k14h);
  }
  return true;
}

bool StoreDataset::numericObjectsInOrder(sparql::Id p, sparql::Id g,
                                         std::vector<std::pair<double, sparql::Id>>* out) const {
  if (((p | g) & sparql::kLocalIdBit) != 0) return false;
  auto index = snap_->valueIndex(p, g, store::Snapshot::ValueFamily::kNumeric);
  if (index->others != 0) return false;
  *out = index->entries;
  return true;
}

std::shared_ptr<const sparql::Dataset::PairList> StoreDataset::predicatePairs(sparql::Id p,
                                                                              sparql::Id g,
                                                                              bool by_object) const {
  static_assert(std::is_same_v<store::Snapshot::PairList, sparql::Dataset::PairList>);
  if (((p | g) & sparql::kLocalIdBit) != 0 || g == sparql::kAnyId) return nullptr;
  return snap_->predicatePairs(p, g, by_object);
}

std::vector<sparql::Id> StoreDataset::namedGraphs() const { return snap_->graphs(); }

}  // namespace weft::db
