// SPDX-License-Identifier: Apache-2.0
// Internal: the in-memory delta of one permutation, a sorted set of keys in
// chunks shared between versions.
//
// Every commit makes a new index version; its delta is the old one with the
// commit's keys taken out and put in. As one vector, that was a copy of the
// whole delta per permutation and commit (a million keys at ten million
// quads: 32 MB, six times, ten times a second). In chunks, a commit copies
// the chunks its keys land in and the directory (a pointer and a key per
// chunk); the others are shared with the versions before it.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/store/quad_run.h"

namespace weft::store::internal {

class DeltaKeys {
 public:
  using KeyVec = std::vector<Key>;
  // Chunks are split when a merge makes them longer than 2 * kChunk.
  static constexpr size_t kChunk = 1024;

  size_t size() const { return ends_.empty() ? 0 : ends_.back(); }
  bool empty() const { return ends_.empty(); }
  size_t chunkCount() const { return chunks_.size(); }
  const std::shared_ptr<const KeyVec>& chunk(size_t i) const { return chunks_[i]; }

  bool contains(const Key& k) const;
  // The number of keys smaller than k.
  size_t rank(const Key& k) const;
  // The number of keys whose first prefix_len components are lower's.
  size_t countPrefix(const Key& lower, int prefix_len) const;

  // Forward iteration in key order.
  class Iter {
   public:
    Iter() = default;
    bool valid() const { return p_ != e_; }
    // At the first key of a chunk: which one (else nullptr).
    const KeyVec* chunkStart() const {
      return valid() && p_ == d_->chunks_[c_]->data() ? d_->chunks_[c_].get() : nullptr;
    }
    void skipChunk() { enterChunk(c_ + 1); }
    const Key& operator*() const { return *p_; }
    const Key* operator->() const { return p_; }
    Iter& operator++() {
      if (++p_ == e_) enterChunk(c_ + 1);
      return *this;
    }

   private:
    friend class DeltaKeys;
    void enterChunk(size_t c);
    const DeltaKeys* d_ = nullptr;
    size_t c_ = 0;
    const Key* p_ = nullptr;
    const Key* e_ = nullptr;
  };
  Iter begin() const;
  // The first key >= k.
  Iter lowerBound(const Key& k) const;

  template <typename F>
  void forEach(F&& f) const {
    for (const auto& c : chunks_)
      for (const Key& k : *c) f(k);
  }

  // (old - minus) + plus; minus and plus sorted and unique (a key in both is
  // in the result). Chunks without a change are shared with old.
  static std::shared_ptr<const DeltaKeys> merged(const DeltaKeys& old, const KeyVec& minus,
                                                 const KeyVec& plus);
  static std::shared_ptr<const DeltaKeys> emptySet();
  // The set of keys, sorted and unique.
  static std::shared_ptr<const DeltaKeys> fromSorted(KeyVec keys);
  // The keys of a that b lacks. Chunks the two share (a version derived
  // from the other by merges) are skipped whole, so the cost follows what
  // changed between them, not their size.
  static KeyVec difference(const DeltaKeys& a, const DeltaKeys& b);

 private:
  void append(std::shared_ptr<const KeyVec> chunk);
  // Appends sorted keys above the last chunk's: one chunk, or pieces of
  // about kChunk if longer than 2 * kChunk.
  void appendSplit(KeyVec&& keys);
  std::vector<std::shared_ptr<const KeyVec>> chunks_;  // none empty
  std::vector<Key> firsts_;                            // firsts_[i] = chunks_[i]->front()
  std::vector<size_t> ends_;                           // keys in chunks 0..i
};

}  // namespace weft::store::internal
