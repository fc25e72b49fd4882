// SPDX-License-Identifier: Apache-2.0
// Hash join with spilling for referencing object maps (see join.h).
#include "engine/map/internal/join.h"

#include <cstring>

#include "engine/core/bytes.h"
#include "engine/map/internal/spill.h"

namespace weft::map::internal {

namespace {

// Entry layout accessors.
const char* entryNext(const char* e) {
  const char* n;
  std::memcpy(&n, e, sizeof n);
  return n;
}
void setEntryNext(const char* e, const char* next) { std::memcpy(const_cast<char*>(e), &next, sizeof next); }
std::string_view entryKey(const char* e) {
  uint32_t n;
  std::memcpy(&n, e + sizeof(char*), 4);
  return {e + sizeof(char*) + 4, n};
}
rdf::TermView entrySubject(const char* e) {
  std::string_view k = entryKey(e);
  const char* p = k.data() + k.size();
  auto kind = static_cast<rdf::TermKind>(*p);
  uint32_t n;
  std::memcpy(&n, p + 1, 4);
  return rdf::TermView{kind, std::string_view(p + 5, n), {}, {}};
}

}  // namespace

JoinTable::JoinTable(size_t memory_bytes) : budget_(memory_bytes) { slots_.resize(1024); }

JoinTable::~JoinTable() {
  for (int i = 0; i < kPartitions; ++i) {
    if (parents_[i]) std::fclose(parents_[i]);
    if (probes_[i]) std::fclose(probes_[i]);
  }
}

const char* JoinTable::newEntry(std::string_view key, const rdf::TermView& subject) {
  size_t need = sizeof(char*) + 4 + key.size() + 1 + 4 + subject.value.size();
  if (chunks_.empty() || chunk_used_ + need > chunk_size_) {
    chunk_size_ = std::max<size_t>(need, size_t{1} << 20);
    chunks_.emplace_back(new char[chunk_size_]);
    chunk_used_ = 0;
    arena_bytes_ += chunk_size_;
  }
  char* e = chunks_.back().get() + chunk_used_;
  chunk_used_ += need;
  const char* none = nullptr;
  std::memcpy(e, &none, sizeof none);
  uint32_t kn = static_cast<uint32_t>(key.size()), vn = static_cast<uint32_t>(subject.value.size());
  char* p = e + sizeof(char*);
  std::memcpy(p, &kn, 4);
  std::memcpy(p + 4, key.data(), key.size());
  p += 4 + key.size();
  *p = static_cast<char>(subject.kind);
  std::memcpy(p + 1, &vn, 4);
  std::memcpy(p + 5, subject.value.data(), subject.value.size());
  return e;
}

void JoinTable::insertEntry(uint64_t h, const char* e) {
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.entry == nullptr) {
      s.hash = h;
      s.entry = e;
      ++used_slots_;
      return;
    }
    if (s.hash == h && entryKey(s.entry) == entryKey(e)) {
      // Append at the chain's end: entries keep the parents' order.
      const char* last = s.entry;
      while (entryNext(last)) last = entryNext(last);
      setEntryNext(last, e);
      return;
    }
  }
}

void JoinTable::growIndex() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  used_slots_ = 0;
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (!s.entry) continue;
    size_t i = s.hash & mask;
    while (slots_[i].entry) i = (i + 1) & mask;
    slots_[i] = s;
    ++used_slots_;
  }
}

Status JoinTable::add(std::string_view key, const rdf::TermView& subject) {
  ++entries_;
  if (spilled_) return spillEntry(key, subject);
  if ((used_slots_ + 1) * 2 > slots_.size()) growIndex();
  const char* e = newEntry(key, subject);
  insertEntry(hashBytes(key), e);
  if (bytes() > budget_) return spillAll();
  return Status::ok();
}

void JoinTable::lookup(std::string_view key, std::vector<rdf::TermView>* out) const {
  uint64_t h = hashBytes(key);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.entry) return;
    if (s.hash == h && entryKey(s.entry) == key) {
      for (const char* e = s.entry; e; e = entryNext(e)) out->push_back(entrySubject(e));
      return;
    }
  }
}

Status JoinTable::spillEntry(std::string_view key, const rdf::TermView& subject) {
  int p = static_cast<int>(hashBytes(key) >> 59);
  if (!parents_[p]) {
    auto f = openSpillFile();
    if (!f.isOk()) return f.status();
    parents_[p] = f.value();
  }
  buf_.clear();
  putString(buf_, key);
  putTerm(buf_, subject);
  return writeSpill(parents_[p], buf_);
}

void JoinTable::clearMemory() {
  chunks_.clear();
  chunk_used_ = chunk_size_ = arena_bytes_ = 0;
  std::vector<Slot>(1024).swap(slots_);
  used_slots_ = 0;
}

// The build side outgrew the budget: everything so far goes to partitions.
Status JoinTable::spillAll() {
  spilled_ = true;
  for (const Slot& s : slots_)
    for (const char* e = s.entry; e; e = entryNext(e))
      if (Status st = spillEntry(entryKey(e), entrySubject(e)); !st) return st;
  clearMemory();
  return Status::ok();
}

Status JoinTable::deferProbe(std::string_view key, const std::vector<rdf::TermView>& subjects,
                             const std::vector<rdf::TermView>& predicates, const std::vector<rdf::TermView>& graphs) {
  int p = static_cast<int>(hashBytes(key) >> 59);
  if (!probes_[p]) {
    auto f = openSpillFile();
    if (!f.isOk()) return f.status();
    probes_[p] = f.value();
  }
  buf_.clear();
  putString(buf_, key);
  for (const auto* list : {&subjects, &predicates, &graphs}) {
    uint32_t n = static_cast<uint32_t>(list->size());
    buf_.append(reinterpret_cast<const char*>(&n), 4);
    for (const auto& t : *list) putTerm(buf_, t);
  }
  return writeSpill(probes_[p], buf_);
}

Status JoinTable::finish(const EmitFn& emit) {
  if (!spilled_) return Status::ok();
  std::string key;
  rdf::Term subject;
  std::vector<rdf::Term> lists[3];
  std::vector<rdf::TermView> matches;
  for (int p = 0; p < kPartitions; ++p) {
    if (!probes_[p] || !parents_[p]) continue;
    // This partition's parents, in memory.
    clearMemory();
    ChunkReader pin(parents_[p]);
    if (Status st = pin.rewind(); !st) return st;
    while (pin.string(&key)) {
      if (!pin.term(&subject)) return Status::ioError("truncated temporary file");
      if ((used_slots_ + 1) * 2 > slots_.size()) growIndex();
      insertEntry(hashBytes(key), newEntry(key, subject.view()));
    }
    ChunkReader in(probes_[p]);
    if (Status st = in.rewind(); !st) return st;
    while (in.string(&key)) {
      for (auto& l : lists) {
        uint32_t n;
        if (!in.u32(&n)) return Status::ioError("truncated temporary file");
        l.resize(n);
        for (auto& t : l)
          if (!in.term(&t)) return Status::ioError("truncated temporary file");
      }
      matches.clear();
      lookup(key, &matches);
      for (const rdf::TermView& m : matches) {
        rdf::Term o(m);
        for (const auto& s : lists[0])
          for (const auto& pr : lists[1]) {
            if (lists[2].empty()) {
              if (Status st = emit(s, pr, o, nullptr); !st) return st;
            }
            for (const auto& g : lists[2])
              if (Status st = emit(s, pr, o, &g); !st) return st;
          }
      }
    }
  }
  clearMemory();
  return Status::ok();
}

}  // namespace weft::map::internal
