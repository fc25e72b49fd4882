// SPDX-License-Identifier: Apache-2.0
#include "engine/store/term_table.h"

#include <cstring>

#include "engine/core/bytes.h"

namespace weft::store {

std::string_view TermTable::bytesAt(uint64_t loc) const {
  const char* base = chunks_[loc >> 32].get() + (loc & 0xffffffffu);
  const auto* p = reinterpret_cast<const uint8_t*>(base);
  uint64_t n = 0;
  const uint8_t* q = getVarint(p, p + 10, &n);
  return std::string_view(reinterpret_cast<const char*>(q), n);
}

std::string_view TermTable::get(uint64_t id) const {
  return bytesAt(locs_[id - first_id_]);
}

uint64_t TermTable::find(std::string_view enc) const { return find(enc, hashBytes(enc)); }

uint64_t TermTable::find(std::string_view enc, uint64_t h) const {
  if (slots_.empty()) return 0;
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t s = slots_[i];
    if (s == 0) return 0;
    if (static_cast<uint32_t>(s >> 32) == tag) {
      uint64_t idx = (s & 0xffffffffu) - 1;
      if (bytesAt(locs_[idx]) == enc) return first_id_ + idx;
    }
  }
}

void TermTable::grow() {
  size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<uint64_t> fresh(n, 0);
  size_t mask = n - 1;
  for (uint64_t s : slots_) {
    if (s == 0) continue;
    uint64_t idx = (s & 0xffffffffu) - 1;
    uint64_t h = hashBytes(bytesAt(locs_[idx]));
    size_t i = h & mask;
    while (fresh[i] != 0) i = (i + 1) & mask;
    fresh[i] = s;
  }
  slots_.swap(fresh);
}

uint64_t TermTable::insert(std::string_view enc, bool* inserted) {
  return insert(enc, hashBytes(enc), inserted);
}

uint64_t TermTable::insert(std::string_view enc, uint64_t h, bool* inserted) {
  if (inserted) *inserted = false;
  // Keep the load factor under 0.7.
  if ((locs_.size() + 1) * 10 >= slots_.size() * 7) grow();
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (;; i = (i + 1) & mask) {
    uint64_t s = slots_[i];
    if (s == 0) break;
    if (static_cast<uint32_t>(s >> 32) == tag) {
      uint64_t idx = (s & 0xffffffffu) - 1;
      if (bytesAt(locs_[idx]) == enc) return first_id_ + idx;
    }
  }
  // Append to the arena.
  size_t need = enc.size() + 10;
  if (chunks_.empty() || used_ + need > chunk_sizes_.back()) {
    size_t sz = need > kChunk ? need : kChunk;
    chunks_.emplace_back(new char[sz]);
    chunk_sizes_.push_back(sz);
    used_ = 0;
  }
  char* dst = chunks_.back().get() + used_;
  size_t hdr = putVarint(reinterpret_cast<uint8_t*>(dst), enc.size());
  std::memcpy(dst + hdr, enc.data(), enc.size());
  uint64_t loc = (static_cast<uint64_t>(chunks_.size() - 1) << 32) | used_;
  used_ += hdr + enc.size();
  locs_.push_back(loc);
  slots_[i] = (static_cast<uint64_t>(tag) << 32) | locs_.size();
  if (inserted) *inserted = true;
  return first_id_ + locs_.size() - 1;
}

size_t TermTable::memoryBytes() const {
  size_t n = locs_.capacity() * 8 + slots_.capacity() * 8;
  for (size_t s : chunk_sizes_) n += s;
  return n;
}

void TermTable::reset(uint64_t first_id) {
  first_id_ = first_id;
  chunks_.clear();
  chunk_sizes_.clear();
  used_ = 0;
  locs_.clear();
  locs_.shrink_to_fit();
  slots_.clear();
  slots_.shrink_to_fit();
}

}  // namespace weft::store
