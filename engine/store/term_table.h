// SPDX-License-Identifier: Apache-2.0
// TermTable: an in-memory, append-only map between encoded terms (term_codec.h)
// and dense ids [firstId, nextId). Terms live in 4 MiB arena chunks (a term
// never moves, so returned views stay valid until clear()); lookups use an
// open-addressing table of 64-bit slots (32-bit hash tag | local index + 1).
// Not thread-safe for writers; concurrent const reads are safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace weft::store {

class TermTable {
 public:
  explicit TermTable(uint64_t first_id = 2) : first_id_(first_id) {}
  TermTable(const TermTable&) = delete;
  TermTable& operator=(const TermTable&) = delete;

  // 0 if absent. `hash` must be hashBytes(enc) (callers that probe several
  // tables compute it once).
  uint64_t find(std::string_view enc) const;
  uint64_t find(std::string_view enc, uint64_t hash) const;
  // Existing id, or a new one (*inserted = true).
  uint64_t insert(std::string_view enc, bool* inserted = nullptr);
  uint64_t insert(std::string_view enc, uint64_t hash, bool* inserted);
  // Bytes of an id in [firstId(), nextId()).
  std::string_view get(uint64_t id) const;
  bool contains(uint64_t id) const { return id >= first_id_ && id < nextId(); }

  uint64_t firstId() const { return first_id_; }
  uint64_t nextId() const { return first_id_ + locs_.size(); }
  size_t size() const { return locs_.size(); }
  size_t memoryBytes() const;
  // Drops everything and restarts ids at first_id.
  void reset(uint64_t first_id);

 private:
  void grow();
  std::string_view bytesAt(uint64_t loc) const;

  static constexpr size_t kChunk = size_t{1} << 22;
  uint64_t first_id_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<size_t> chunk_sizes_;
  size_t used_ = 0;                 // bytes used in the last chunk
  std::vector<uint64_t> locs_;      // (chunk << 32) | offset of each term
  std::vector<uint64_t> slots_;     // 0 = empty
};

}  // namespace weft::store
