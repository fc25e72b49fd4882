// SPDX-License-Identifier: Apache-2.0
// Bounded-memory exact duplicate elimination (see dedupe.h).
#include "engine/map/internal/dedupe.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/map/internal/spill.h"

namespace weft::map::internal {

namespace {

inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Two 64-bit lanes over the bytes of a term, 8 at a time; lengths and term
// kinds are mixed in so "ab"+"c" and "a"+"bc" differ.
struct Fingerprint {
  uint64_t a = 0x243F6A8885A308D3ull, b = 0x13198A2E03707344ull;
  void word(uint64_t w) {
    a = rotl((a ^ w) * 0x9E3779B97F4A7C15ull, 29);
    b = rotl(b + w * 0xC2B2AE3D27D4EB4Full, 31) * 0x165667B19E3779F9ull;
  }
  void bytes(std::string_view s) {
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      word(w);
    }
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    word(w ^ (static_cast<uint64_t>(s.size()) << 56));
  }
  void term(const rdf::TermView& t) {
    word(static_cast<uint64_t>(t.kind) + 0x100);
    bytes(t.value);
    if (t.kind == rdf::TermKind::kLiteral) {
      bytes(t.datatype);
      bytes(t.lang);
    }
  }
  void finish() {
    uint64_t x = mix64(a ^ rotl(b, 17)), y = mix64(b + rotl(a, 41));
    a = x;
    b = y;
    if (a == 0 && (b >> 32) == 0) a = 1;  // a slot of zeros is empty
  }
};

}  // namespace

Deduper::Deduper(size_t memory_bytes) : budget_(memory_bytes) {
  size_t n = 1 << 16;
  while (n > 64 && n * sizeof(Slot) * 2 > budget_) n /= 2;  // a first table within a tiny budget
  slots_.resize(n);
}

Deduper::~Deduper() {
  for (std::FILE* f : parts_)
    if (f) std::fclose(f);
}

Status Deduper::grow(size_t n) {
  std::vector<Slot, core::HugePageAllocator<Slot>> old;
  old.swap(slots_);
  count_ = 0;
  std::FILE* tmp = nullptr;
  if ((old.size() + n) * sizeof(Slot) > budget_) {
    // Old and new together would pass the budget: park the old entries.
    auto f = openSpillFile();
    if (!f.isOk()) return f.status();
    tmp = f.value();
    for (const Slot& s : old)
      if (!s.empty() && std::fwrite(&s, sizeof s, 1, tmp) != 1) {
        std::fclose(tmp);
        return Status::ioError(std::string("cannot write a temporary file: ") + std::strerror(errno));
      }
    std::vector<Slot, core::HugePageAllocator<Slot>>().swap(old);
  }
  slots_.resize(n);
  auto put = [&](const Slot& s) {
    size_t i = static_cast<size_t>((static_cast<unsigned __int128>(static_cast<uint64_t>(s.w[1]) << 32 | s.w[0]) *
                                    slots_.size()) >> 64);
    while (!slots_[i].empty()) i = i + 1 == slots_.size() ? 0 : i + 1;
    slots_[i] = s;
    ++count_;
  };
  for (const Slot& s : old)
    if (!s.empty()) put(s);
  if (tmp) {
    ChunkReader in(tmp);
    Status st = in.rewind();
    while (st) {
      const char* p = in.take(sizeof(Slot));
      if (!p) break;
      Slot s;
      std::memcpy(&s, p, sizeof s);
      put(s);
    }
    std::fclose(tmp);
    if (!st) return st;
  }
  return Status::ok();
}

bool Deduper::tableInsert(uint64_t a, uint64_t b, bool* found) {
  size_t n = slots_.size();
  for (size_t i = home(a);; i = i + 1 == n ? 0 : i + 1) {
    Slot& s = slots_[i];
    if (s.empty()) {
      s.set(a, b);
      ++count_;
      *found = false;
      return true;
    }
    if (s.is(a, b)) {
      *found = true;
      return true;
    }
  }
}

bool Deduper::tableContains(uint64_t a, uint64_t b) const {
  size_t n = slots_.size();
  for (size_t i = home(a);; i = i + 1 == n ? 0 : i + 1) {
    const Slot& s = slots_[i];
    if (s.empty()) return false;
    if (s.is(a, b)) return true;
  }
}

Deduper::Fp Deduper::fingerprint(const rdf::QuadView& q) {
  Fingerprint fp;
  fp.term(q.s);
  fp.term(q.p);
  fp.term(q.o);
  fp.term(q.g);
  fp.finish();
  return Fp{fp.a, fp.b};
}

void Deduper::prefetch(const Fp& fp) const { __builtin_prefetch(&slots_[home(fp.a)]); }

Result<Deduper::Verdict> Deduper::insert(const Fp& fp, const rdf::QuadView& q) {
  if (!full_ && (count_ + 1) * 10 > slots_.size() * 7) {
    size_t most = std::max<size_t>(64, budget_ / sizeof(Slot));
    size_t next = std::min(slots_.size() * 2, most);
    if (next > slots_.size()) {
      if (Status st = grow(next); !st) return st;
    } else {
      full_ = true;
    }
  }
  if (!full_) {
    bool found;
    tableInsert(fp.a, fp.b, &found);
    return found ? Verdict::kDuplicate : Verdict::kNew;
  }
  if (tableContains(fp.a, fp.b)) return Verdict::kDuplicate;
  if (Status st = spill(q, fp.a, fp.b); !st) return st;
  return Verdict::kDeferred;
}

Status Deduper::spill(const rdf::QuadView& q, uint64_t a, uint64_t b) {
  int p = static_cast<int>(b >> 58);
  if (!parts_[p]) {
    auto f = openSpillFile();
    if (!f.isOk()) return f.status();
    parts_[p] = f.value();
  }
  buf_.clear();
  buf_.append(reinterpret_cast<const char*>(&a), 8);
  buf_.append(reinterpret_cast<const char*>(&b), 8);
  for (const rdf::TermView* t : {&q.s, &q.p, &q.o, &q.g}) putTerm(buf_, *t);
  if (Status st = writeSpill(parts_[p], buf_); !st) return st;
  ++deferred_;
  return Status::ok();
}

Status Deduper::finish(rdf::QuadSink& out, uint64_t* duplicates, uint64_t* sent) {
  // The table is no longer needed: its memory goes to the partitions.
  std::vector<Slot, core::HugePageAllocator<Slot>>().swap(slots_);
  full_ = false;
  rdf::Term terms[4];
  for (std::FILE*& f : parts_) {
    if (!f) continue;
    ChunkReader in(f);
    if (Status st = in.rewind(); !st) return st;
    std::vector<Slot, core::HugePageAllocator<Slot>>(1 << 16).swap(slots_);  // this partition's
    count_ = 0;
    for (;;) {
      const char* h = in.take(16);
      if (!h) break;
      uint64_t a, b;
      std::memcpy(&a, h, 8);
      std::memcpy(&b, h + 8, 8);
      for (auto& t : terms)
        if (!in.term(&t)) return Status::ioError("truncated temporary file");
      if ((count_ + 1) * 10 > slots_.size() * 7)
        if (Status st = grow(slots_.size() * 2); !st) return st;
      bool found;
      tableInsert(a, b, &found);
      if (found) {
        ++*duplicates;
        continue;
      }
      if (Status st = out.quad(rdf::QuadView{terms[0].view(), terms[1].view(), terms[2].view(), terms[3].view()}); !st)
        return st;
      ++*sent;
    }
    std::fclose(f);
    f = nullptr;
    std::vector<Slot, core::HugePageAllocator<Slot>>().swap(slots_);
  }
  return Status::ok();
}

}  // namespace weft::map::internal
