// SPDX-License-Identifier: Apache-2.0
// A small open-addressing hash map for the reasoner's hot paths.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"

namespace weft::reason::internal {

// Open-addressing map from 64-bit keys (never ~0) to 32-bit values.
class FlatMap {
 public:
  static constexpr uint32_t kMissing = UINT32_MAX;
  FlatMap() { resize(64); }
  uint32_t get(uint64_t k) const {
    size_t m = keys_.size() - 1;
    for (size_t i = mix64(k) & m;; i = (i + 1) & m) {
      if (keys_[i] == k) return vals_[i];
      if (keys_[i] == kEmpty) return kMissing;
    }
  }
  uint32_t& at(uint64_t k) {  // inserts kMissing if absent
    if ((used_ + 1) * 10 > keys_.size() * 7) resize(keys_.size() * 2);
    size_t m = keys_.size() - 1;
    for (size_t i = mix64(k) & m;; i = (i + 1) & m) {
      if (keys_[i] == k) return vals_[i];
      if (keys_[i] == kEmpty) {
        keys_[i] = k;
        vals_[i] = kMissing;
        ++used_;
        return vals_[i];
      }
    }
  }
  void clear() {
    used_ = 0;
    std::fill(keys_.begin(), keys_.end(), kEmpty);
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  void resize(size_t n) {
    std::vector<uint64_t> ok = std::move(keys_);
    std::vector<uint32_t> ov = std::move(vals_);
    keys_.assign(n, kEmpty);
    vals_.assign(n, kMissing);
    used_ = 0;
    for (size_t i = 0; i < ok.size(); ++i)
      if (ok[i] != kEmpty) at(ok[i]) = ov[i];
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> vals_;
  size_t used_ = 0;
};

}  // namespace weft::reason::internal
