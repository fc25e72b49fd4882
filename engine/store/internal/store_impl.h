// SPDX-License-Identifier: Apache-2.0
// Internal: the store's implementation class (shared by store.cpp and check.cpp).
#pragma once

#include <array>
#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "engine/store/internal/index_version.h"
#include "engine/store/sqlite_db.h"
#include "engine/store/store.h"
#include "engine/store/term_table.h"

namespace weft::store {

// Term hash index file (durable stores): open addressing over u64 slots,
// slot = (32-bit hash tag << 32) | id, 0 = empty. Header: magic, slot count,
// covered (ids below it are indexed), term count.
struct HashFile {
  ~HashFile();
  void* map = nullptr;
  size_t len = 0;
  const uint64_t* slots = nullptr;
  uint64_t slot_count = 0;
  uint64_t covered = kFirstTermId;
  uint64_t terms = 0;
};

class StoreImpl {
 public:
  ~StoreImpl();
  Status openDurable(const std::string& dir, OpenMode mode);
  void initMemory();

  // Dictionary.
  TermId lookupEncoded(std::string_view enc, uint64_t limit) const;
  bool decodeBytes(TermId id, std::string* out) const;
  Result<TermId> internEncoded(std::string_view enc);

  // Writes.
  Status commit(Transaction& txn);
  void rollbackTerms();
  std::shared_ptr<const IndexVersion> current() const {
    std::lock_guard<std::mutex> g(ver_mu_);
    return current_;
  }
  bool exists(const IndexVersion& v, const Key& spog) const;

  Status check(std::string* report) const;
  StoreStats stats() const;

  bool durable_ = false;
  bool readonly_ = false;
  std::string dir_;
  std::mutex writer_mu_;      // one Transaction at a time
  uint64_t next_doc_ = 1;

 private:
  friend class Snapshot;
  friend class Store;
  // The version after a commit's effective changes. If they compact the
  // delta into new runs and run_prefix is not empty, the runs are written to
  // run_prefix + permutation name and mapped (durable stores).
  Result<std::shared_ptr<IndexVersion>> applyEffective(const IndexVersion& cur,
                                                       const std::vector<Key>& eadd,
                                                       const std::vector<Key>& erem,
                                                       const std::string& run_prefix,
                                                       bool* compacted, bool may_defer = false);
  // Names the index files of `gen` in the manifest: the runs (already
  // written by applyEffective) if runs_changed, and a new hash file if due.
  // The runs hold everything up to runs_txn (v.txn if 0).
  Status writeCheckpoint(IndexVersion& v, bool runs_changed, uint64_t gen, bool hash = true,
                         uint64_t runs_txn = 0, uint64_t runs_quads = 0);
  // The background merge (docs/STORAGE.md, "Commits"): a delta past the
  // threshold is folded into new runs by a thread while commits go on into
  // the delta; a later commit installs the runs with the delta rebased.
  struct Merge {
    std::shared_ptr<const IndexVersion> base;  // its delta goes into the runs
    uint64_t gen = 0;                          // of the run files (durable)
    std::array<std::shared_ptr<const QuadRun>, kPermCount> runs;
    Status status;
    std::atomic<bool> done{false};
    std::atomic<bool> cancel{false};  // checked between permutations
    std::thread thread;
  };
  void startMerge(std::shared_ptr<const IndexVersion> base);
  // cur with the finished merge's runs and its delta rebased onto them
  // (published), or cur if the merge is not finished or no longer applies.
  std::shared_ptr<const IndexVersion> installMerge(std::shared_ptr<const IndexVersion> cur);
  void abandonMerge();  // waits for the thread; removes its files
  uint64_t nextGen() const;
  std::string runPrefix(uint64_t gen) const;  // "DIR/run-<gen>-"
  std::unique_ptr<Merge> merge_;
  Status replayBatches(uint64_t after_txn, IndexVersion* v);
  Status loadTermsFrom(uint64_t first);
  Status rebuildHashFile(uint64_t covered, uint64_t gen, std::string* name);
  void removeStaleFiles() const;
  Status openHashFile(const std::string& name, uint64_t covered);
  bool termBytesFromDb(TermId id, std::string* out) const;
  TermId probeHashFile(std::string_view enc, uint64_t hash) const;
  Status writeTermBlocks(uint64_t from, uint64_t to);
  uint64_t compactThreshold(const IndexVersion& v) const;

  // Dictionary state. mem_ holds ids >= hash_.covered (all ids in memory mode).
  mutable std::shared_mutex dict_mu_;
  TermTable mem_;
  HashFile hash_;
  uint64_t committed_next_ = kFirstTermId;

  // SQLite and its block cache (guarded by db_mu_).
  mutable std::mutex db_mu_;
  std::unique_ptr<SqliteDb> db_;
  struct Block {
    uint64_t first = 0;
    std::string data;
    std::vector<uint32_t> offs;  // start of each term's varint length
  };
  // Dictionary blocks read from SQLite, sorted by first id (a flat vector
  // searched by binary search: decoding is on every query's hot path).
  // Dropped all at once past kBlockCacheBytes.
  static constexpr size_t kBlockCacheBytes = size_t{512} << 20;
  mutable std::vector<uint64_t> block_firsts_;
  mutable std::vector<std::unique_ptr<Block>> blocks_;
  mutable size_t block_bytes_ = 0;
  mutable const Block* last_block_ = nullptr;
  int lock_fd_ = -1;

  // Index state.
  mutable std::mutex ver_mu_;
  // Snapshot::averageMatches results, keyed by version and pattern.
  mutable std::mutex fanout_mu_;
  mutable std::map<std::array<uint64_t, 6>, double> fanout_;
  // Snapshot::valueIndex results, keyed by (version, p, g, family).
  mutable std::mutex value_index_mu_;
  mutable std::map<std::array<uint64_t, 4>, std::shared_ptr<const Snapshot::ValueIndex>> value_index_;
  // Snapshot::predicatePairs results, keyed by (version, p, g, by_object),
  // dropped all at once past kPairCacheBytes.
  static constexpr size_t kPairCacheBytes = size_t{1} << 30;
  mutable std::mutex pairs_mu_;
  mutable std::map<std::array<uint64_t, 4>, std::shared_ptr<const Snapshot::PairList>> pairs_;
  mutable size_t pairs_bytes_ = 0;
  std::shared_ptr<const IndexVersion> current_;
  uint64_t last_txn_ = 0;
  uint64_t runs_gen_ = 0, hash_gen_ = 0, ckpt_txn_ = 0, ckpt_quads_ = 0;
  std::string hash_name_;
};

}  // namespace weft::store
