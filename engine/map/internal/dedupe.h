// SPDX-License-Identifier: Apache-2.0
// Exact duplicate elimination for mapping output, in bounded memory.
//
// Each quad gets a 128-bit fingerprint (two independent 64-bit hashes of its
// terms); the table keeps 96 bits of it (12-byte slots: a false duplicate
// among 100 million quads has odds of about 1 in 10^13). The open-addressing
// table grows by doubling up to the memory budget (its last step may be to
// any size); when old and new tables would not fit the budget together, the
// old one is written to a temporary file, freed, and read back into the new
// one. Quads whose fingerprint is new are written
// at once (the output streams); once the table is as large as the budget
// allows, quads not found in it are set aside in 64 temporary files chosen by
// fingerprint (binary records, tmpfile(): removed by the OS even after a
// crash), and finish() delivers each file's distinct quads, one file's
// fingerprints in memory at a time. A duplicate of a quad already written is
// caught by the table; two set-aside copies meet in the same file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/core/huge_pages.h"
#include "engine/core/status.h"
#include "engine/rdf/sink.h"

namespace weft::map::internal {

class Deduper {
 public:
  explicit Deduper(size_t memory_bytes);
  ~Deduper();
  Deduper(const Deduper&) = delete;
  Deduper& operator=(const Deduper&) = delete;

  enum class Verdict { kNew, kDuplicate, kDeferred };
  struct Fp {
    uint64_t a = 0, b = 0;
  };
  static Fp fingerprint(const rdf::QuadView& q);
  // Starts loading the table slot `fp` will probe (callers insert in
  // batches: fingerprint and prefetch all, then insert all).
  void prefetch(const Fp& fp) const;
  // kNew: write the quad now. kDuplicate: drop it. kDeferred: it was set
  // aside; finish() delivers it if it has no duplicate.
  Result<Verdict> insert(const Fp& fp, const rdf::QuadView& q);
  Result<Verdict> insert(const rdf::QuadView& q) { return insert(fingerprint(q), q); }
  // Sends the set-aside quads that are distinct to `out`; adds the
  // duplicates found among them to *duplicates and the quads sent to *sent.
  Status finish(rdf::QuadSink& out, uint64_t* duplicates, uint64_t* sent);

  uint64_t deferred() const { return deferred_; }
  size_t tableBytes() const { return slots_.size() * sizeof(Slot); }

 private:
  struct Slot {  // a, and the high half of b; all zero = empty
    uint32_t w[3] = {0, 0, 0};
    bool empty() const { return (w[0] | w[1] | w[2]) == 0; }
    bool is(uint64_t a, uint64_t b) const {
      return w[0] == static_cast<uint32_t>(a) && w[1] == static_cast<uint32_t>(a >> 32) &&
             w[2] == static_cast<uint32_t>(b >> 32);
    }
    void set(uint64_t a, uint64_t b) {
      w[0] = static_cast<uint32_t>(a);
      w[1] = static_cast<uint32_t>(a >> 32);
      w[2] = static_cast<uint32_t>(b >> 32);
    }
  };
  static_assert(sizeof(Slot) == 12);
  size_t home(uint64_t a) const {  // a's slot for any table size (Lemire's range reduction)
    return static_cast<size_t>((static_cast<unsigned __int128>(a) * slots_.size()) >> 64);
  }
  static constexpr int kPartitions = 64;
  bool tableInsert(uint64_t a, uint64_t b, bool* found);
  bool tableContains(uint64_t a, uint64_t b) const;
  Status grow(size_t slots);
  Status spill(const rdf::QuadView& q, uint64_t a, uint64_t b);

  size_t budget_;
  std::vector<Slot, core::HugePageAllocator<Slot>> slots_;
  size_t count_ = 0;
  bool full_ = false;  // the table may not grow: spill mode
  std::FILE* parts_[kPartitions] = {};
  uint64_t deferred_ = 0;
  std::string buf_;
};

}  // namespace weft::map::internal
