// SPDX-License-Identifier: Apache-2.0
// OverlayDataset: the sparql::MutableDataset of one update request
// (https://www.w3.org/TR/sparql11-update/ section 3: the operations of a
// request apply in order, each seeing the effects of the ones before). Reads
// are the snapshot taken at the start of the request, minus the quads the
// request deleted, plus those it inserted. Nothing reaches the store until
// commitTo() writes the net changes into one store::Transaction.
//
// Ids: terms the store knows keep the store's ids; terms new to the store get
// ids kLocalIdBit | n (bit 62 clear) from a table of the overlay (lookup
// returns them, decode decodes them), apart from the executor's own ids for
// computed terms (sparql::kQueryIdBits, both top bits set; dataset.h).
//
// Blank nodes new to the store are given a fresh document scope at commit
// ("_:d<scope>_<label>", as store::Loader does), so an update's blank nodes
// never merge with existing ones; LOAD scopes each document's labels first.
#pragma once

#include <array>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"
#include "engine/db/database.h"
#include "engine/db/scan_order.h"
#include "engine/sparql/execute.h"
#include "engine/store/store.h"

namespace weft::db {

inline constexpr sparql::Id kOverlayIdBase = sparql::kLocalIdBit;

class OverlayDataset : public sparql::MutableDataset {
 public:
  explicit OverlayDataset(std::shared_ptr<const store::Snapshot> snap);

  // sparql::Dataset
  sparql::Id lookup(const rdf::TermView& t) const override;
  bool decode(sparql::Id id, rdf::Term* out) const override;
  // Output sorted in the order of the permutation the store uses for the
  // pattern (snapshot cursor merged with the matching insertions), reported in
  // `order` as for StoreDataset.
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pattern,
                                           char order[4] = nullptr) const override;
  uint64_t count(const sparql::IdQuad& pattern) const override;
  std::vector<sparql::Id> namedGraphs() const override;

  // sparql::MutableDataset
  Status insert(const rdf::QuadView& q) override;
  Status erase(const rdf::QuadView& q) override;
  Status load(const rdf::Term& source, const rdf::Term& graph) override;
  bool graphExists(sparql::Id graph) const override;
  void noteCreated(const rdf::Term& graph) override;

  // Net changes so far: quads not in the snapshot that are now present, and
  // snapshot quads now absent.
  size_t netInserted() const { return ins_[0].size(); }
  size_t netDeleted() const { return del_[0].size(); }
  // Writes the net changes into `txn` (of the store the snapshot came from,
  // begun before the snapshot was taken). Does not commit.
  Status commitTo(store::Transaction& txn) const;

 private:
  using Key = internal::IdKey;
  sparql::Id intern(const rdf::TermView& t);
  bool inSnapshot(const Key& k) const;
  bool anyInGraph(sparql::Id g) const;

  std::shared_ptr<const store::Snapshot> snap_;
  std::vector<rdf::Term> local_;                      // id - kOverlayIdBase -> term
  std::unordered_map<std::string, sparql::Id> local_ids_;  // termKey -> id
  // Net changes, each in all six permutation orders (internal::ScanPerm):
  // ins_ is disjoint from the snapshot, del_ a subset of it.
  std::array<std::set<Key>, 6> ins_, del_;
  std::set<sparql::Id> created_;
  uint64_t loads_ = 0;
  std::string key_buf_;
};

// runUpdate with both counts: `requested` as the executor counts them
// (sparql::UpdateStats), `effective` the quads the commit really added and
// removed. Either may be null.
Status runUpdateCounted(store::Store& s, const QueryRequest& req, sparql::UpdateStats* requested,
                        sparql::UpdateStats* effective);

}  // namespace weft::db
