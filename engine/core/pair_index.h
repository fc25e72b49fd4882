// SPDX-License-Identifier: Apache-2.0
// PairIndex: (key, value) pairs of 64-bit ids sorted by key then value, with
// a bucket directory over the key range so that finding a key costs one
// directory read and a short search, whatever order keys are asked in.
// Built by the store for lookup joins (store::Snapshot::predicatePairs) and
// read by the query engine; it lives here because both layers use it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace weft::core {

class PairIndex {
 public:
  using Pair = std::pair<uint64_t, uint64_t>;

  PairIndex() = default;
  // `pairs` must be sorted (by key, then value).
  explicit PairIndex(std::vector<Pair> pairs) : pairs_(std::move(pairs)) {
    if (pairs_.empty()) return;
    base_ = pairs_.front().first;
    uint64_t span = pairs_.back().first - base_;
    // About two pairs per bucket where keys are spread evenly.
    uint64_t buckets = std::max<uint64_t>(1, pairs_.size() / 2);
    while ((span >> shift_) >= buckets) ++shift_;
    size_t nb = static_cast<size_t>(span >> shift_) + 1;
    dir_.resize(nb + 1);
    size_t i = 0;
    for (size_t b = 0; b <= nb; ++b) {
      while (i < pairs_.size() && ((pairs_[i].first - base_) >> shift_) < b) ++i;
      dir_[b] = static_cast<uint32_t>(i);
    }
  }

  const std::vector<Pair>& pairs() const { return pairs_; }
  size_t size() const { return pairs_.size(); }
  size_t bytes() const { return pairs_.capacity() * sizeof(Pair) + dir_.capacity() * sizeof(uint32_t); }

  // [first, last) of the pairs with this key.
  std::pair<size_t, size_t> range(uint64_t key) const {
    if (pairs_.empty() || key < base_ || key > pairs_.back().first) return {0, 0};
    size_t b = static_cast<size_t>((key - base_) >> shift_);
    size_t lo = dir_[b], hi = dir_[b + 1];
    if (hi - lo > 16) {  // a crowded bucket (keys bunched in a part of the range)
      lo = static_cast<size_t>(
          std::lower_bound(pairs_.begin() + static_cast<std::ptrdiff_t>(lo),
                           pairs_.begin() + static_cast<std::ptrdiff_t>(hi), key,
                           [](const Pair& e, uint64_t k) { return e.first < k; }) -
          pairs_.begin());
    } else {
      while (lo < hi && pairs_[lo].first < key) ++lo;
    }
    size_t end = lo;
    while (end < pairs_.size() && pairs_[end].first == key) ++end;
    return {lo, end};
  }

 private:
  std::vector<Pair> pairs_;
  std::vector<uint32_t> dir_;
  uint64_t base_ = 0;
  int shift_ = 0;
};

}  // namespace weft::core
