// SPDX-License-Identifier: Apache-2.0
// QuadRun: an immutable, sorted, block-compressed sequence of 4-component
// keys (a quad's ids in one permutation order). The store keeps one run per
// permutation (SPOG, POSG, OSPG, GSPO, GPOS, GOSP): every one of the 16
// bound/unbound patterns of (s, p, o, g) is a prefix of one of them, so it is
// answered by one range scan. Format (docs/STORAGE.md, "Index files"):
//   blocks of kBlockKeys keys (the last may hold fewer); the first key as 4 varints, each next
//   key as varint(delta << 2 | k) where k is the first component that differs
//   from the previous key and delta the (positive) difference there, followed
//   by the components after k as plain varints;
//   then a directory: for each block its first key (4 x u64) and offset;
//   then a footer: magic, key count, block count, directory offset, checksum.
// A run is backed by its own buffer (in-memory store) or by an mmap'd file.
#pragma once

#include <array>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace weft::store {

using Key = std::array<uint64_t, 4>;

// The keys that share lower's first prefix_len components are [*lo, *hi)
// (components after the prefix zeroed); false: the range runs to the end
// (the prefix is all UINT64_MAX), *hi unset.
inline bool prefixBounds(const Key& lower, int prefix_len, Key* lo, Key* hi) {
  *lo = *hi = lower;
  for (int i = prefix_len; i < 4; ++i) (*lo)[i] = (*hi)[i] = 0;
  // The first key after the prefix: increment the last prefix component,
  // carrying into earlier ones on overflow.
  int last = prefix_len - 1;
  while (last >= 0 && (*hi)[last] == UINT64_MAX) (*hi)[last--] = 0;
  if (last < 0) return false;
  ++(*hi)[last];
  return true;
}

class QuadRun {
 public:
  // Keys per block in runs this version writes. Probes decode on average
  // half a block, so smaller blocks make index nested-loop joins cheaper at
  // the cost of a larger directory (40 bytes per block). Version-1 files
  // (magic WEFTRUN1) have 128-key blocks and are still read.
  static constexpr size_t kBlockKeys = 32;
  ~QuadRun();
  QuadRun(const QuadRun&) = delete;
  QuadRun& operator=(const QuadRun&) = delete;

  // Builds an in-memory run from strictly increasing keys.
  static std::shared_ptr<QuadRun> build(const std::vector<Key>& sorted);
  // Builds a run key by key (strictly increasing), without a key vector.
  class Builder {
   public:
    explicit Builder(size_t expected_keys = 0);
    void add(const Key& k);
    std::shared_ptr<QuadRun> finish();

   private:
    std::shared_ptr<QuadRun> run_;
    Key prev_{};
  };
  // Writes a run file key by key (strictly increasing keys) while holding
  // only the block directory (40 bytes per block) and a write buffer: a
  // compaction streams its merge into the new file instead of building the
  // run in memory first. The file is byte for byte what build() and
  // writeFile() give. It is written under path + ".tmp" and renamed by
  // finish(); an error (full disk), or a writer dropped before finish(),
  // leaves no file.
  class FileWriter {
   public:
    // expected_keys sizes the directory (0: grown as needed).
    explicit FileWriter(std::string path, size_t expected_keys = 0);
    ~FileWriter();
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;
    void add(const Key& k);
    Status finish();
    uint64_t size() const { return count_; }

   private:
    void flush();
    std::string path_, tmp_;
    int fd_ = -1;
    int errno_ = 0;  // first write error
    std::vector<uint8_t> buf_;  // encoded blocks not yet written
    std::vector<uint8_t> dir_;  // the directory, as it goes in the file
    uint64_t written_ = 0;      // bytes of blocks in the file so far
    uint64_t count_ = 0;
    Key prev_{};
  };
  static std::shared_ptr<QuadRun> empty();
  // Writes the run to `path` (fsync'd). Errors (full disk) leave no file.
  Status writeFile(const std::string& path) const;
  // Maps a file written by writeFile; checks the footer and checksum.
  static Result<std::shared_ptr<QuadRun>> openFile(const std::string& path, bool verify);

  uint64_t size() const { return count_; }
  size_t byteSize() const { return bytes_; }

  // Forward cursor over keys >= lower whose first `prefix_len` components
  // equal lower's.
  class Cursor {
   public:
    Cursor() = default;
    Cursor(const QuadRun* run, const Key& lower, int prefix_len);
    bool next(Key* out);
    // Up to `max` keys into out; fewer only at the end of the range.
    size_t nextBatch(Key* out, size_t max);

   private:
    friend class QuadRun;
    bool decodeNext(Key* out);
    const QuadRun* run_ = nullptr;
    Key lower_{};
    int prefix_len_ = 0;
    size_t block_ = 0;
    const uint8_t* p_ = nullptr;
    const uint8_t* block_end_ = nullptr;
    Key prev_{};
    bool first_in_block_ = true;
    bool done_ = true;
    bool past_lower_ = false;  // a key >= lower_ was returned: no more checks
  };
  Cursor scan(const Key& lower, int prefix_len) const { return Cursor(this, lower, prefix_len); }
  // Number of keys whose first `prefix_len` components equal lower's: two
  // block-directory searches and at most two block decodes (every block but
  // the last holds exactly the run's block size).
  uint64_t countPrefix(const Key& lower, int prefix_len) const;
  // Number of keys < key.
  uint64_t rank(const Key& key) const;
  // The key at position `r` (< size()).
  Key keyAt(uint64_t r) const;
  // Decodes everything (tests, merges).
  void forEach(const std::function<void(const Key&)>& fn) const;
  // forEach for a run read once (merged into its successor): the pages of a
  // mapped run are handed back to the kernel behind the cursor, so the old
  // run does not stay resident next to the new one. They stay in the page
  // cache; a later reader faults them in again.
  void forEachReleasing(const std::function<void(const Key&)>& fn) const;
  // Drops a mapped run's pages from this process's resident memory (no-op
  // for in-memory runs); the data stays readable.
  void releasePages() const;
  // Full structural check: decodes all blocks, checks order and counts.
  Status verify() const;

 private:
  QuadRun() = default;
  friend class Cursor;
  // Index of the last block whose first key is <= key (0 if none): a search
  // in `sample_` (every kSampleStride-th block's first key, small enough to
  // stay in cache) and then in one stride of the directory.
  size_t findBlock(const Key& key) const;
  void buildSample();
  static constexpr size_t kSampleStride = 64;
  std::vector<Key> sample_;
  size_t blockEnd(size_t b) const {
    return b + 1 < offsets_.size() ? offsets_[b + 1] : data_size_;
  }

  std::vector<uint8_t> buf_;       // owned bytes (in-memory runs)
  void* map_ = nullptr;            // mmap'd file
  size_t map_len_ = 0;
  const uint8_t* data_ = nullptr;  // start of blocks
  size_t data_size_ = 0;
  std::vector<Key> firsts_;
  std::vector<uint64_t> offsets_;
  uint64_t count_ = 0;
  size_t bytes_ = 0;
  uint64_t block_keys_ = kBlockKeys;  // of this run (128 in version-1 files)
};

}  // namespace weft::store
