// SPDX-License-Identifier: Apache-2.0
// The quad store. Terms are dictionary-encoded to integer ids; quads are kept
// in six sorted, compressed permutations (quad_run.h) plus a small in-memory
// delta, so each of the 16 bound/unbound (s, p, o, g) patterns is one range
// scan. A store is either in memory (one-shot commands, tests) or durable in a
// directory: SQLite (WAL) holds the dictionary and the committed changes, and
// derived index files beside it make reopening cheap (docs/STORAGE.md).
//
// Concurrency model: one writer at a time (a Transaction; begin() blocks other
// writers in this process and, for a durable store, takes an exclusive lock
// on DIR/LOCK against other processes). Any number of readers take a Snapshot:
// an immutable view of the store as of the last commit, unaffected by later
// commits. Snapshots are thread-safe; a Transaction is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/pair_index.h"
#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/term.h"
#include "engine/store/quad_run.h"

namespace weft::store {

using TermId = uint64_t;
inline constexpr TermId kAny = 0;           // wildcard in a pattern
inline constexpr TermId kDefaultGraph = 1;  // id of the default graph (not a term)
inline constexpr TermId kFirstTermId = 2;

struct QuadIds {
  TermId s = kAny, p = kAny, o = kAny, g = kAny;
  friend bool operator==(const QuadIds&, const QuadIds&) = default;
};

class StoreImpl;
struct IndexVersion;

// What one commit changed, for a caller that keeps something derived from the
// store up to date without reading it again (reason::Resident): the
// effective additions (quads the store did not hold before), in SPOG order,
// and how many quads the commit really removed.
struct CommitDelta {
  uint64_t txn = 0;  // the commit's transaction number (Snapshot::txn() after it)
  std::vector<QuadIds> added;
  uint64_t removed = 0;
};

// A consistent read view. Cheap to take; holds the data it sees alive.
class Snapshot {
 public:
  Snapshot(std::shared_ptr<const IndexVersion> v, const StoreImpl* store);
  ~Snapshot();

  // Id of a term, or 0 if the store has never seen it. The default graph
  // (kind kNone) is kDefaultGraph.
  TermId lookup(const rdf::TermView& t) const;
  // The term of an id; false for an unknown id.
  bool decode(TermId id, rdf::Term* out) const;

  // Quads matching the pattern (kAny = wildcard; g == kDefaultGraph selects
  // the default graph only). Order: that of the permutation chosen.
  class Cursor {
   public:
    Cursor();
    Cursor(Cursor&&) noexcept;
    Cursor& operator=(Cursor&&) noexcept;
    ~Cursor();
    bool next(QuadIds* out);
    // Up to `max` quads into out; fewer only at the end (then 0 after).
    size_t nextBatch(QuadIds* out, size_t max);

   private:
    friend class Snapshot;
    struct State;
    std::unique_ptr<State> st_;
  };
  Cursor scan(const QuadIds& pattern) const;
  // The order scan() returns quads in: the permutation whose prefix is the
  // bound components ("gpos" for p and g bound), as four letters.
  static const char* scanOrder(const QuadIds& pattern);
  // The same, reusing a cursor's allocation (index nested-loop joins open
  // one scan per left row).
  void rescan(Cursor* cursor, const QuadIds& pattern) const;
  uint64_t count(const QuadIds& pattern) const;
  // For join planning: the average number of quads matching `pattern` with
  // component `pos` (0 s, 1 p, 2 o, 3 g) also bound, over values of that
  // component sampled evenly from the quads matching `pattern` (up to 32
  // samples, each counted exactly). Cached per index version. -1 if the
  // sorted runs hold no match (data still in the in-memory delta).
  double averageMatches(const QuadIds& pattern, int pos) const;

  // A value index for range filters: the objects of predicate `p` in graph
  // `g` that are literals of one family, as (key, id) sorted by key. Keys:
  // numerics as doubles; xsd:dateTime as seconds since 1970-01-01T00:00:00Z,
  // values with a timezone in kDateTime, those without (read as UTC; they
  // may lie 14 hours either way) in kLocalDateTime. Built on first use (one pass over the predicate's objects,
  // decoding each distinct one) and kept per index version; the sparql layer
  // uses it as a superset pre-filter before the exact FILTER.
  enum class ValueFamily : uint8_t { kNumeric, kDateTime, kLocalDateTime };
  struct ValueIndex {
    std::vector<std::pair<double, TermId>> entries;  // sorted by key
    uint64_t others = 0;  // distinct objects of the predicate not in the family (NaN included)
  };
  std::shared_ptr<const ValueIndex> valueIndex(TermId p, TermId g, ValueFamily family) const;
  // A pair index for lookup joins: the (subject, object) pairs of predicate
  // `p` in graph `g` (not kAny), sorted by subject then object, or, with
  // `by_object`, as (object, subject) sorted by object then subject: the
  // order the six permutations do not give a pattern with only its predicate
  // bound (GPOS sorts it by object). Built on first use (one scan, a sort)
  // and kept per index version within a memory budget; nullptr for a
  // predicate with more than kMaxPairs quads.
  using PairList = core::PairIndex;
  static constexpr uint64_t kMaxPairs = uint64_t{1} << 26;
  std::shared_ptr<const PairList> predicatePairs(TermId p, TermId g, bool by_object) const;
  uint64_t size() const;                 // number of quads
  std::vector<TermId> graphs() const;    // named graphs with at least one quad
  uint64_t termCount() const;            // distinct terms known
  uint64_t txn() const;                  // the last transaction this view includes (0: none yet)

 private:
  std::shared_ptr<const IndexVersion> v_;
  const StoreImpl* store_;
};

// A write transaction: all of it or none. Within one transaction removals
// are applied before insertions. Destroying it without commit() rolls back.
class Transaction {
 public:
  explicit Transaction(StoreImpl* store);
  ~Transaction();
  Status add(const rdf::QuadView& q);
  Status remove(const rdf::QuadView& q);
  // Quads already encoded (ids from a snapshot of this store).
  void addIds(const QuadIds& q);
  void removeIds(const QuadIds& q);
  // Room for n more additions: a caller that knows how many it will make
  // spares the buffer's growth by doubling (up to twice the memory, and
  // both copies at once while it grows).
  void reserveAdds(size_t n) { ins_.reserve(ins_.size() + n); }
  Status commit();
  void rollback();
  // After commit: how many quads were really added / removed.
  uint64_t added() const { return added_; }
  uint64_t removed() const { return removed_; }
  uint64_t pending() const { return ins_.size() + rem_.size(); }
  // A fresh scope for blank node labels of one document (see Loader).
  uint64_t newDocumentScope();
  // Before commit(): have it fill `out` with what it really changed.
  void recordChanges(CommitDelta* out) { delta_ = out; }

 private:
  friend class StoreImpl;
  Result<TermId> intern(const rdf::TermView& t);
  StoreImpl* store_;
  std::vector<Key> ins_, rem_;  // SPOG order
  bool open_ = true;
  uint64_t added_ = 0, removed_ = 0;
  CommitDelta* delta_ = nullptr;
  std::string scratch_;
};

struct StoreStats {
  uint64_t quads = 0;
  uint64_t named_graphs = 0;
  uint64_t default_graph_quads = 0;
  uint64_t terms = 0;
  uint64_t bytes_on_disk = 0;   // durable stores: all files in DIR
  uint64_t index_bytes = 0;     // compressed permutations (memory or files)
  uint64_t dictionary_bytes = 0;
  uint64_t delta_quads = 0;     // changes not yet merged into the runs
};

enum class OpenMode { kCreateIfMissing, kMustExist, kReadOnly };

class Store {
 public:
  static std::unique_ptr<Store> openMemory();
  static Result<std::unique_ptr<Store>> open(const std::string& dir, OpenMode mode);
  ~Store();

  std::shared_ptr<const Snapshot> snapshot() const;
  // Blocks while another transaction of this store is open.
  Result<std::unique_ptr<Transaction>> begin();
  StoreStats stats() const;
  // Full integrity check of dictionary and indexes (slow: reads everything).
  Status check(std::string* report) const;
  bool durable() const;
  const std::string& dir() const;
  // Changes are merged into the sorted runs once the delta exceeds
  // max(this, runs/8) quads (default 200000). For tests only.
  static void setMinCompactionForTesting(uint64_t quads);
  // Waits until a background merge (if one runs) has built its runs; the
  // next commit installs them. For tests only.
  void waitForMergeForTesting() const;

 private:
  explicit Store(std::unique_ptr<StoreImpl> impl);
  std::unique_ptr<StoreImpl> impl_;
};

// A sink that adds parsed quads to a transaction, giving each document's
// blank nodes their own scope ("_:b1" in two files are two nodes).
class Loader : public rdf::QuadSink {
 public:
  explicit Loader(Transaction* txn) : txn_(txn) {}
  // Call before each document.
  void startDocument() { scope_ = txn_->newDocumentScope(); }
  Status quad(const rdf::QuadView& q) override;
  uint64_t count() const { return count_; }

 private:
  rdf::TermView scoped(const rdf::TermView& t, std::string& buf);
  Transaction* txn_;
  uint64_t scope_ = 0;
  uint64_t count_ = 0;
  std::string bs_, bo_, bg_;
};

}  // namespace weft::store
