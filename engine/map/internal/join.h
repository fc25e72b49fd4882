// SPDX-License-Identifier: Apache-2.0
// The join of a referencing object map (RML-Core section 8): the parent
// triples map's subjects keyed by its join values (the build side), probed
// with each child record's values. A hash join, not nested loops; when the
// build side outgrows its memory budget it becomes a Grace hash join: the
// parent entries go to 32 temporary partitions by key hash, the child's
// probes are written to the matching partitions instead of being answered,
// and finish() joins partition by partition, one parent partition in memory
// at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"

namespace weft::map::internal {

class JoinTable {
 public:
  explicit JoinTable(size_t memory_bytes);
  ~JoinTable();
  JoinTable(const JoinTable&) = delete;
  JoinTable& operator=(const JoinTable&) = delete;

  // Build side: one parent subject under one key.
  Status add(std::string_view key, const rdf::TermView& subject);
  bool spilled() const { return spilled_; }
  size_t bytes() const { return arena_bytes_ + slots_.size() * sizeof(Slot); }
  uint64_t entries() const { return entries_; }

  // In memory: the parent subjects under `key` (valid until the next add).
  void lookup(std::string_view key, std::vector<rdf::TermView>* out) const;

  // Spilled: sets a child probe aside; on a match, finish() makes the quads
  // (each subject, each predicate, the object = each matching parent
  // subject, in each graph; no graphs = the default graph).
  Status deferProbe(std::string_view key, const std::vector<rdf::TermView>& subjects,
                    const std::vector<rdf::TermView>& predicates, const std::vector<rdf::TermView>& graphs);
  using EmitFn = std::function<Status(const rdf::Term& s, const rdf::Term& p, const rdf::Term& o,
                                      const rdf::Term* g)>;
  // Answers the probes set aside, partition by partition.
  Status finish(const EmitFn& emit);

 private:
  static constexpr int kPartitions = 32;
  struct Slot {
    uint64_t hash = 0;
    const char* entry = nullptr;  // first entry of the chain with this hash
  };
  // An entry in the arena: [next entry ptr][u32 key len][key][u8 kind][u32 len][value].
  const char* newEntry(std::string_view key, const rdf::TermView& subject);
  void insertEntry(uint64_t h, const char* e);
  void growIndex();
  Status spillAll();
  Status spillEntry(std::string_view key, const rdf::TermView& subject);
  void clearMemory();

  size_t budget_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0, chunk_size_ = 0, arena_bytes_ = 0;
  std::vector<Slot> slots_;
  uint64_t entries_ = 0;
  size_t used_slots_ = 0;
  bool spilled_ = false;
  std::FILE* parents_[kPartitions] = {};
  std::FILE* probes_[kPartitions] = {};
  std::string buf_;
};

}  // namespace weft::map::internal
