// SPDX-License-Identifier: Apache-2.0
// The physical operators (see ops.h for the contract they share).
#include "engine/sparql/internal/ops.h"

#include "engine/rdf/xsd.h"
#include "engine/sparql/functions.h"
#include "engine/sparql/internal/ops_impl.h"

namespace weft::sparql::internal {

// ---------------------------------------------------------------- helpers

bool mergeCompatible(const Id* input, Id* row, size_t n) {
  for (size_t v = 0; v < n; ++v) {
    if (input[v] != kAnyId && !bindSlot(row[v], input[v])) return false;
  }
  return true;
}

// ---------------------------------------------------------------- Scan

PairJoinOp::PairJoinOp(ExecContext& ctx, OpPtr left, const TriplePattern& t, bool by_object,
                       std::shared_ptr<const Dataset::PairList> pairs)
    : ctx_(ctx), left_(std::move(left)), pairs_(std::move(pairs)),
      key_var_(by_object ? t.o.var : t.s.var), val_var_(by_object ? t.s.var : t.o.var),
      row_(ctx.nvars) {
  if (left_) children = {left_.get()};
}

void PairJoinOp::open(const Id* input) {
  pos_ = end_ = 0;
  if (left_) {
    left_->open(input);
  } else {
    std::copy(input, input + ctx_.nvars, row_.begin());
    have_input_ = true;
  }
}

// The next row to look up, with [pos_, end_) its range of pairs.
bool PairJoinOp::nextRow() {
  for (;;) {
    if (left_) {
      if (!left_->next(row_.data())) return false;
    } else {
      if (!have_input_) return false;
      have_input_ = false;
    }
    const auto& p = pairs_->pairs();
    Id key = row_[key_var_];
    if (key == kAnyId) {  // not bound by this row: every pair
      pos_ = 0;
      end_ = p.size();
      return true;
    }
    std::tie(pos_, end_) = pairs_->range(key);
    Id val = row_[val_var_];
    if (val != kAnyId && pos_ < end_) {  // both bound: at most one pair
      auto it = std::lower_bound(p.begin() + static_cast<ptrdiff_t>(pos_),
                                 p.begin() + static_cast<ptrdiff_t>(end_), std::make_pair(key, val));
      pos_ = static_cast<size_t>(it - p.begin());
      end_ = (pos_ < end_ && it->second == val) ? pos_ + 1 : pos_;
    }
    if (pos_ < end_) return true;
  }
}

bool PairJoinOp::next(Id* out) {
  const auto& p = pairs_->pairs();
  for (;;) {
    while (pos_ < end_) {
      const auto& e = p[pos_++];
      ctx_.tick();
      std::copy(row_.begin(), row_.end(), out);
      if (!bindSlot(out[key_var_], e.first) || !bindSlot(out[val_var_], e.second)) continue;
      ++actual;
      return true;
    }
    if (!nextRow()) return false;
  }
}

ScanOp::ScanOp(ExecContext& ctx, const TriplePattern& t, const Id* graph)
    : ctx_(ctx), graph_(graph) {
  const TermOrVar* pos[3] = {&t.s, &t.p, &t.o};
  for (int i = 0; i < 3; ++i) {
    if (pos[i]->isVar()) {
      var_[i] = pos[i]->var;
      const_[i] = kAnyId;
    } else {
      var_[i] = kNoVar;
      const_[i] = ctx.intern(pos[i]->term);
    }
  }
  input_.resize(ctx.nvars);
}

void ScanOp::open(const Id* input) {
  std::copy(input, input + ctx_.nvars, input_.begin());
  IdQuad pat;
  Id* slot[3] = {&pat.s, &pat.p, &pat.o};
  dead_ = false;
  for (int i = 0; i < 3; ++i) {
    Id v = var_[i] >= 0 ? input[var_[i]] : const_[i];
    if ((v & kQueryIdBits) == kQueryIdBits) dead_ = true;  // a term the data does not hold
    *slot[i] = v;
  }
  Id g = *graph_;
  graphs_.clear();
  gi_ = 0;
  seen_.clear();
  if (g == kDefaultGraphId && ctx_.has_from) {
    graphs_ = ctx_.from;
    dedupe_ = graphs_.size() > 1;
    adjacent_ = graphs_.size() == 1 && graphs_[0] == kAnyId;
    have_last_ = false;
  } else {
    graphs_.push_back(g);
    dedupe_ = false;
    adjacent_ = false;
  }
  pat_ = pat;
  open_cursor_ = false;
}

bool ScanOp::next(Id* out) {
  if (dead_) return false;
  IdQuad q;
  for (;;) {
    if (!open_cursor_) {
      if (gi_ >= graphs_.size()) return false;
      IdQuad p = pat_;
      p.g = graphs_[gi_++];
      // Reuse the cursor's memory when the dataset allows (one scan per
      // left row in an index nested-loop join).
      if (!cur_ || !ctx_.data.rescan(cur_.get(), p)) cur_ = ctx_.data.scan(p);
      open_cursor_ = true;
    }
    if (!cur_->next(&q)) {
      open_cursor_ = false;
      continue;
    }
    ctx_.tick();
    if (dedupe_ && !seen_.insert(IdQuad{q.s, q.p, q.o, 0}).second) continue;
    if (adjacent_) {  // the union of all graphs: the same triple in several graphs comes in a row
      if (have_last_ && q.s == last_.s && q.p == last_.p && q.o == last_.o) continue;
      last_ = q;
      have_last_ = true;
    }
    std::copy(input_.begin(), input_.end(), out);
    Id vals[3] = {q.s, q.p, q.o};
    bool ok = true;
    for (int i = 0; i < 3 && ok; ++i)
      if (var_[i] >= 0) ok = bindSlot(out[var_[i]], vals[i]);  // a variable may repeat
    if (!ok) continue;
    ++actual;
    return true;
  }
}

// ---------------------------------------------------------------- RangeScan

void RangeScanOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  fallback_ = (s_var_ >= 0 && input[s_var_] != kAnyId) || input[o_var_] != kAnyId;
  if (fallback_) scan_.open(input);
  idx_ = 0;
  active_ = false;
}

bool RangeScanOp::next(Id* out) {
  if (fallback_) {
    if (!scan_.next(out)) return false;
    ++actual;
    return true;
  }
  for (;;) {
    if (!active_) {
      if (idx_ >= objects_.size()) return false;
      row_ = input_;
      row_[o_var_] = objects_[idx_++];
      scan_.open(row_.data());
      active_ = true;
    }
    if (scan_.next(out)) {
      ++actual;
      return true;
    }
    active_ = false;
  }
}

// ---------------------------------------------------------------- MergeJoin

namespace {
int positionOf(const TriplePattern& t, VarId v) {
  if (t.s.isVar() && t.s.var == v) return 0;
  if (t.p.isVar() && t.p.var == v) return 1;
  if (t.o.isVar() && t.o.var == v) return 2;
  return -1;
}
Id component(const IdQuad& q, int pos) { return pos == 0 ? q.s : pos == 1 ? q.p : q.o; }
}  // namespace

MergeJoinOp::MergeJoinOp(ExecContext& ctx, const TriplePattern& l, const TriplePattern& r, VarId var,
                         const Id* graph)
    : ctx_(ctx), lt_(l), rt_(r), var_(var), graph_(graph), lscan_(ctx, l, graph),
      rscan_(ctx, r, graph), lrow_(ctx.nvars) {
  lpos_ = positionOf(l, var);
  rpos_ = positionOf(r, var);
}

IdQuad MergeJoinOp::patternOf(const TriplePattern& t, const Id* input, bool* dead) const {
  IdQuad q;
  Id* slot[3] = {&q.s, &q.p, &q.o};
  const TermOrVar* pos[3] = {&t.s, &t.p, &t.o};
  for (int i = 0; i < 3; ++i) {
    Id v = pos[i]->isVar() ? input[pos[i]->var] : ctx_.lookupOrZero(pos[i]->term);
    if (!pos[i]->isVar() && v == kAnyId) *dead = true;
    if ((v & kQueryIdBits) == kQueryIdBits) *dead = true;
    *slot[i] = v;
  }
  q.g = *graph_;
  return q;
}

bool MergeJoinOp::bindTriple(const TriplePattern& t, const IdQuad& q, Id* row) const {
  const TermOrVar* pos[3] = {&t.s, &t.p, &t.o};
  Id vals[3] = {q.s, q.p, q.o};
  for (int i = 0; i < 3; ++i)
    if (pos[i]->isVar() && !bindSlot(row[pos[i]->var], vals[i])) return false;
  return true;
}

void MergeJoinOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  have_left_ = false;
  done_ = false;
  group_.clear();
  group_key_ = kAnyId;
  gi_ = 0;
  fallback_ = true;
  if (*graph_ != kDefaultGraphId || ctx_.has_from || input[var_] != kAnyId) {
    lscan_.open(input);
    return;
  }
  bool dead = false;
  IdQuad lp = patternOf(lt_, input, &dead), rp = patternOf(rt_, input, &dead);
  if (dead) {
    done_ = true;
    fallback_ = false;
    return;
  }
  // The scan sorts by its bound components, then by `order`'s next one.
  auto sortedOn = [](const IdQuad& p, const char order[4], int pos) {
    int bound = (p.s != kAnyId) + (p.p != kAnyId) + (p.o != kAnyId) + (p.g != kAnyId);
    return bound < 4 && order[bound] == "spo"[pos];
  };
  char lo[4] = {0, 0, 0, 0}, ro[4] = {0, 0, 0, 0};
  lc_ = ctx_.data.scan(lp, lo);
  rc_ = ctx_.data.scan(rp, ro);
  if (!sortedOn(lp, lo, lpos_) || !sortedOn(rp, ro, rpos_)) {
    lc_.reset();
    rc_.reset();
    lscan_.open(input);
    return;
  }
  fallback_ = false;
  r_valid_ = rc_->next(&rq_);
}

bool MergeJoinOp::fillRightGroup() {
  // Right quads whose key equals the current left key, read once per key.
  Id key = component(lq_, lpos_);
  if (key == group_key_ && !group_.empty()) return true;
  group_.clear();
  group_key_ = key;
  while (r_valid_ && component(rq_, rpos_) < key) {
    ctx_.tick();
    r_valid_ = rc_->next(&rq_);
  }
  while (r_valid_ && component(rq_, rpos_) == key) {
    group_.push_back(rq_);
    r_valid_ = rc_->next(&rq_);
  }
  return !group_.empty();
}

bool MergeJoinOp::next(Id* out) {
  if (done_) return false;
  if (fallback_) {
    for (;;) {
      if (!have_left_) {
        if (!lscan_.next(lrow_.data())) return false;
        rscan_.open(lrow_.data());
        have_left_ = true;
      }
      if (rscan_.next(out)) {
        ++actual;
        return true;
      }
      have_left_ = false;
    }
  }
  for (;;) {
    if (!have_left_) {
      if (!lc_->next(&lq_)) return false;
      ctx_.tick();
      if (!fillRightGroup()) continue;
      std::copy(input_.begin(), input_.end(), lrow_.begin());
      if (!bindTriple(lt_, lq_, lrow_.data())) continue;
      have_left_ = true;
      gi_ = 0;
    }
    while (gi_ < group_.size()) {
      const IdQuad& r = group_[gi_++];
      std::copy(lrow_.begin(), lrow_.end(), out);
      if (!bindTriple(rt_, r, out)) continue;
      ++actual;
      return true;
    }
    have_left_ = false;
  }
}

// ---------------------------------------------------------------- Path

PathOp::PathOp(ExecContext& ctx, const Pattern& p, const Id* graph)
    : ctx_(ctx), paths_(ctx), path_(p.path), graph_(graph) {
  const TermOrVar* pos[2] = {&p.path_subject, &p.path_object};
  for (int i = 0; i < 2; ++i) {
    if (pos[i]->isVar()) {
      var_[i] = pos[i]->var;
      const_[i] = kAnyId;
    } else {
      var_[i] = kNoVar;
      const_[i] = ctx.intern(pos[i]->term);
    }
  }
  paths_.setConstants(const_[0], const_[1]);
}

void PathOp::open(const Id* input) {
  // Paths are evaluated eagerly per opening (ALP needs its visited sets);
  // results are pairs, usually few per bound start.
  rows_.clear();
  pos_ = 0;
  input_.assign(input, input + ctx_.nvars);
  Id s = var_[0] >= 0 ? input[var_[0]] : const_[0];
  Id o = var_[1] >= 0 ? input[var_[1]] : const_[1];
  bool same_var = var_[0] >= 0 && var_[0] == var_[1];
  paths_.eval(path_, s, o, *graph_, [&](Id a, Id b) {
    if (same_var && a != b) return true;
    pairs_.push_back({a, b});
    return true;
  });
  rows_.swap(pairs_);
  pairs_.clear();
}

bool PathOp::next(Id* out) {
  while (pos_ < rows_.size()) {
    auto [a, b] = rows_[pos_++];
    std::copy(input_.begin(), input_.end(), out);
    if (var_[0] >= 0) out[var_[0]] = a;
    if (var_[1] >= 0 && !bindSlot(out[var_[1]], b)) continue;
    ++actual;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Values

ValuesOp::ValuesOp(ExecContext& ctx, const Pattern& p) : ctx_(ctx) {
  for (const auto& r : p.values_rows) {
    std::vector<Id> row(ctx.nvars, kAnyId);
    for (size_t i = 0; i < p.values_vars.size(); ++i) row[p.values_vars[i]] = ctx.intern(r[i]);
    rows_.push_back(std::move(row));
  }
}
void ValuesOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  pos_ = 0;
}
bool ValuesOp::next(Id* out) {
  while (pos_ < rows_.size()) {
    const auto& r = rows_[pos_++];
    std::copy(r.begin(), r.end(), out);
    if (!mergeCompatible(input_.data(), out, ctx_.nvars)) continue;
    ++actual;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Join (nested loop)

void JoinOp::open(const Id* input) {
  left_->open(input);
  have_left_ = false;
}
bool JoinOp::next(Id* out) {
  for (;;) {
    if (!have_left_) {
      if (!left_->next(lrow_.data())) return false;
      right_->open(lrow_.data());
      have_left_ = true;
    }
    if (right_->next(out)) {
      ++actual;
      return true;
    }
    have_left_ = false;
  }
}

// ---------------------------------------------------------------- Hash join

namespace {
constexpr uint32_t kEndOfChain = UINT32_MAX;
inline uint64_t mixId(uint64_t h, Id v) { return (h ^ v) * 0x9E3779B97F4A7C15ull; }
}  // namespace

uint64_t HashJoinOp::hashLeft(const Id* row) const {
  if (keys_.empty()) return 0;  // a cross product: one bucket
  uint64_t h = 0x12345;
  for (VarId v : keys_) h = mixId(h, row[v]);
  return h ^ (h >> 29);
}
uint64_t HashJoinOp::hashRight(const Id* vals) const {
  if (key_cols_.empty()) return 0;
  uint64_t h = 0x12345;
  for (size_t c : key_cols_) h = mixId(h, vals[c]);
  return h ^ (h >> 29);
}

void HashJoinOp::build() {
  std::vector<Id> zero(ctx_.nvars, kAnyId), row(ctx_.nvars);
  size_t w = right_vars_.size();
  vals_.clear();
  slots_.clear();
  inline_ = false;
  size_t n = 0;
  right_->open(zero.data());
  while (right_->next(row.data())) {
    for (VarId v : right_vars_) vals_.push_back(row[v]);
    if (++n >= kEndOfChain)
      throw Aborted{Status::aborted("hash join build side over 4 billion rows")};
  }
  size_t buckets = 16;
  while (buckets < n + n / 2) buckets <<= 1;  // load factor at most 2/3
  mask_ = buckets - 1;
  if (w <= kMaxInlineWidth && !key_cols_.empty()) {
    inline_ = true;
    occupied_col_ = key_cols_[0];
    nslots_ = buckets;
    slots_.assign(buckets * w, kAnyId);
    // Inserts go in batches whose home slots are prefetched first.
    constexpr size_t kBatch = 16;
    size_t home[kBatch];
    for (size_t r0 = 0; r0 < n; r0 += kBatch) {
      size_t m = std::min(kBatch, n - r0);
      for (size_t i = 0; i < m; ++i) {
        home[i] = hashRight(vals_.data() + (r0 + i) * w) & mask_;
        __builtin_prefetch(slots_.data() + home[i] * w, 1);
      }
      for (size_t i = 0; i < m; ++i) {
        const Id* v = vals_.data() + (r0 + i) * w;
        size_t b = home[i];
        while (slots_[b * w + occupied_col_] != kAnyId) b = (b + 1) & mask_;
        std::copy(v, v + w, slots_.begin() + static_cast<ptrdiff_t>(b * w));
      }
    }
    std::vector<Id>().swap(vals_);
    built_ = true;
    return;
  }
  heads_.assign(buckets, kEndOfChain);
  next_.assign(n, kEndOfChain);
  for (size_t r = n; r-- > 0;) {  // reverse, so chains list rows in build order
    uint64_t b = w == 0 ? 0 : hashRight(vals_.data() + r * w) & mask_;
    next_[r] = heads_[b];
    heads_[b] = static_cast<uint32_t>(r);
  }
  built_ = true;
}

void HashJoinOp::open(const Id* input) {
  if (!built_ || *graph_ != built_graph_) {
    build();
    built_graph_ = *graph_;
  }
  left_->open(input);
  left_active_ = false;
  lpos_ = lcount_ = 0;
}

bool HashJoinOp::emit(uint32_t r, Id* out) {
  size_t w = right_vars_.size();
  const Id* vals = inline_ ? slot(r) : vals_.data() + static_cast<size_t>(r) * w;
  std::copy(lrow_, lrow_ + ctx_.nvars, out);
  for (size_t i = 0; i < w; ++i)
    if (vals[i] != kAnyId && !bindSlot(out[right_vars_[i]], vals[i])) return false;
  return true;
}

// Left rows come through a small buffer: its rows' home slots are
// prefetched together, so the cache misses of a batch overlap instead of
// costing one memory latency per probe.
bool HashJoinOp::nextLeft() {
  size_t n = ctx_.nvars;
  if (lpos_ >= lcount_) {
    lcount_ = 0;
    lpos_ = 0;
    if (lbuf_.empty()) lbuf_.resize(kLeftBatch * n);
    while (lcount_ < kLeftBatch && left_->next(lbuf_.data() + lcount_ * n)) {
      if (inline_) {
        const Id* row = lbuf_.data() + lcount_ * n;
        __builtin_prefetch(slot(hashLeft(row) & mask_));
      }
      ++lcount_;
    }
    if (lcount_ == 0) return false;
  }
  lrow_ = lbuf_.data() + lpos_ * n;  // valid until the next refill
  ++lpos_;
  return true;
}

bool HashJoinOp::next(Id* out) {
  size_t n = next_.size();
  for (;;) {
    if (!left_active_) {
      if (!nextLeft()) return false;
      scan_all_ = false;
      for (VarId v : keys_) scan_all_ |= lrow_[v] == kAnyId;
      if (inline_)
        cur_ = scan_all_ ? 0 : static_cast<uint32_t>(hashLeft(lrow_) & mask_);
      else
        cur_ = scan_all_ ? 0 : heads_[hashLeft(lrow_) & mask_];
      left_active_ = true;
    }
    if (inline_) {
      // Scan the cluster from the key's home slot to the next empty slot
      // (or, with a key unbound on the left, every slot).
      // The table is at most half full, so every cluster ends.
      for (;;) {
        if (scan_all_ && cur_ >= nslots_) break;
        const Id* sl = slot(cur_);
        uint32_t r = cur_;
        if (sl[occupied_col_] == kAnyId) {
          if (scan_all_) {
            ++cur_;
            continue;
          }
          break;
        }
        cur_ = scan_all_ ? cur_ + 1 : static_cast<uint32_t>((cur_ + 1) & mask_);
        bool keys_match = true;
        for (size_t k = 0; k < key_cols_.size() && !scan_all_; ++k)
          keys_match &= sl[key_cols_[k]] == lrow_[keys_[k]];
        if (keys_match && emit(r, out)) {
          ++actual;
          return true;
        }
      }
    } else if (scan_all_) {
      while (cur_ < n) {
        if (emit(cur_++, out)) {
          ++actual;
          return true;
        }
      }
    } else {
      while (cur_ != kEndOfChain) {
        uint32_t r = cur_;
        cur_ = next_[r];
        if (emit(r, out)) {
          ++actual;
          return true;
        }
      }
    }
    left_active_ = false;
  }
}

// ---------------------------------------------------------------- Union

void UnionOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  idx_ = 0;
  if (!kids_.empty()) kids_[0]->open(input);
}
bool UnionOp::next(Id* out) {
  while (idx_ < kids_.size()) {
    if (kids_[idx_]->next(out)) {
      ++actual;
      return true;
    }
    if (++idx_ < kids_.size()) kids_[idx_]->open(input_.data());
  }
  return false;
}

// ---------------------------------------------------------------- Restrict

void RestrictOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  std::fill(pass_row_.begin(), pass_row_.end(), kAnyId);
  for (VarId v : pass_) pass_row_[v] = input[v];
  child_->open(pass_row_.data());
}
bool RestrictOp::next(Id* out) {
  while (child_->next(out)) {
    if (!mergeCompatible(input_.data(), out, ctx_.nvars)) continue;
    ++actual;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Filter, Extend

void FilterOp::open(const Id* input) { child_->open(input); }
bool FilterOp::next(Id* out) {
  while (child_->next(out)) {
    ev_.newSolution();
    bool ok = true;
    for (const auto& f : filters_)
      if (!ev_.test(f, out)) {
        ok = false;
        break;
      }
    if (!ok) continue;
    ++actual;
    return true;
  }
  return false;
}

void ExtendOp::open(const Id* input) { child_->open(input); }
bool ExtendOp::next(Id* out) {
  if (!child_->next(out)) return false;
  if (new_solution_) ev_.newSolution();
  out[var_] = ev_.evalId(expr_, out);
  ++actual;
  return true;
}

// ---------------------------------------------------------------- LeftJoin

void LeftJoinOp::open(const Id* input) {
  left_->open(input);
  state_ = 0;
}
bool LeftJoinOp::next(Id* out) {
  for (;;) {
    if (state_ == 0) {
      if (!left_->next(lrow_.data())) return false;
      right_->open(lrow_.data());
      matched_ = false;
      state_ = 1;
    }
    while (right_->next(out)) {
      ev_.newSolution();
      bool ok = true;
      for (const auto& f : filters_)
        if (!ev_.test(f, out)) {
          ok = false;
          break;
        }
      if (!ok) continue;
      matched_ = true;
      ++actual;
      return true;
    }
    state_ = 0;
    if (!matched_) {
      std::copy(lrow_.begin(), lrow_.end(), out);
      ++actual;
      return true;
    }
  }
}

// ---------------------------------------------------------------- Minus

void MinusOp::build() {
  std::vector<Id> zero(ctx_.nvars, kAnyId), row(ctx_.nvars);
  rows_.clear();
  right_->open(zero.data());
  while (right_->next(row.data())) rows_.insert(rows_.end(), row.begin(), row.end());
  built_ = true;
}
void MinusOp::open(const Id* input) {
  if (!built_ || *graph_ != built_graph_) {
    build();
    built_graph_ = *graph_;
  }
  left_->open(input);
}
bool MinusOp::next(Id* out) {
  size_t n = ctx_.nvars;
  while (left_->next(out)) {
    bool removed = false;
    for (size_t i = 0; i < rows_.size() && !removed; i += n) {
      const Id* r = rows_.data() + i;
      bool shared = false, compatible = true;
      for (size_t v = 0; v < n && compatible; ++v) {
        if (out[v] == kAnyId || r[v] == kAnyId) continue;
        shared = true;
        if (out[v] != r[v]) compatible = false;
      }
      removed = shared && compatible;
    }
    if (removed) continue;
    ++actual;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Graph

void GraphOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  graphs_.clear();
  gi_ = 0;
  active_ = false;
  if (var_ >= 0 && input[var_] != kAnyId) {
    Id g = input[var_];
    for (Id ng : ctx_.namedGraphs())
      if (ng == g) graphs_.push_back(g);
  } else if (var_ >= 0) {
    graphs_ = ctx_.namedGraphs();
  } else {
    if (const_ == kAnyId) return;  // an IRI the dataset does not hold: no graph
    // Only a named graph of the dataset (FROM NAMED, else the store's graphs
    // the caller may read): GRAPH <g> {} must not tell that g exists.
    if (ctx_.isNamedGraph(const_)) graphs_.push_back(const_);
  }
}
bool GraphOp::next(Id* out) {
  for (;;) {
    if (!active_) {
      if (gi_ >= graphs_.size()) return false;
      current_ = graphs_[gi_++];
      std::copy(input_.begin(), input_.end(), row_.begin());
      if (var_ >= 0) row_[var_] = current_;
      child_->open(row_.data());
      active_ = true;
    }
    if (child_->next(out)) {
      if (var_ >= 0) {
        if (out[var_] != kAnyId && out[var_] != current_) continue;
        out[var_] = current_;
      }
      ++actual;
      return true;
    }
    active_ = false;
  }
}

// ---------------------------------------------------------------- Materialize

void MaterializeOp::open(const Id* input) {
  if (!built_) {
    std::vector<Id> zero(ctx_.nvars, kAnyId), row(ctx_.nvars);
    child_->open(zero.data());
    while (child_->next(row.data())) rows_.insert(rows_.end(), row.begin(), row.end());
    built_ = true;
  }
  input_.assign(input, input + ctx_.nvars);
  pos_ = 0;
}
bool MaterializeOp::next(Id* out) {
  size_t n = ctx_.nvars;
  while (pos_ < rows_.size()) {
    const Id* r = rows_.data() + pos_;
    pos_ += n;
    std::copy(r, r + n, out);
    if (!mergeCompatible(input_.data(), out, n)) continue;
    ++actual;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- Project, Distinct, Slice

void ProjectOp::open(const Id* input) { child_->open(input); }
bool ProjectOp::next(Id* out) {
  if (!child_->next(out)) return false;
  for (size_t v = 0; v < ctx_.nvars; ++v)
    if (!keep_[v]) out[v] = kAnyId;
  ++actual;
  return true;
}

void DistinctOp::open(const Id* input) {
  seen_.clear();
  child_->open(input);
}
bool DistinctOp::next(Id* out) {
  while (child_->next(out)) {
    std::string key(reinterpret_cast<const char*>(out), ctx_.nvars * sizeof(Id));
    if (!seen_.insert(std::move(key)).second) continue;
    ++actual;
    return true;
  }
  return false;
}

void SliceOp::open(const Id* input) {
  child_->open(input);
  skipped_ = 0;
  emitted_ = 0;
}
bool SliceOp::next(Id* out) {
  if (limit_ >= 0 && emitted_ >= limit_) return false;
  while (skipped_ < offset_) {
    if (!child_->next(out)) return false;
    ++skipped_;
  }
  if (!child_->next(out)) return false;
  ++emitted_;
  ++actual;
  return true;
}

// ---------------------------------------------------------------- OrderBy

void OrderByOp::open(const Id* input) {
  rows_.clear();
  pos_ = 0;
  size_t n = ctx_.nvars;
  size_t nk = keys_.size();
  std::vector<Id> row(n);
  child_->open(input);
  // Keys are evaluated once per row, then decoded and parsed once per row,
  // so the sort compares prepared values.
  std::vector<Id> buf, kid;
  size_t rows = 0;
  bool have_cut = false;
  double cut = 0;
  auto asDouble = [&](Id id) { return rdf::toDouble(rdf::parseValue(ctx_.term(id).view())); };
  while (child_->next(row.data())) {
    ev_.newSolution();
    Id first = nk > 0 ? ev_.evalId(keys_[0], row.data()) : kAnyId;
    if (ordered_input_ && have_cut && asDouble(first) != cut) break;  // past the k-th key
    buf.insert(buf.end(), row.begin(), row.end());
    kid.push_back(first);
    for (size_t k = 1; k < nk; ++k) kid.push_back(ev_.evalId(keys_[k], row.data()));
    if (ordered_input_ && !have_cut && static_cast<int64_t>(++rows) == top_k_) {
      have_cut = true;
      cut = asDouble(first);
    }
  }
  size_t count = buf.size() / n;
  std::vector<rdf::Term> kterm(count * nk);
  std::vector<rdf::Value> kval(count * nk);
  for (size_t i = 0; i < count * nk; ++i) {
    kterm[i] = ctx_.term(kid[i]);
    if (kterm[i].kind == rdf::TermKind::kLiteral) kval[i] = rdf::parseValue(kterm[i].view());
  }
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  auto less = [&](size_t a, size_t b) {
    for (size_t k = 0; k < nk; ++k) {
      size_t ia = a * nk + k, ib = b * nk + k;
      if (kid[ia] == kid[ib]) continue;
      int c = orderCompare(kterm[ia], kval[ia], kterm[ib], kval[ib]);
      if (c == 0) continue;
      return descending_[k] ? c > 0 : c < 0;
    }
    return a < b;  // stable, also for the partial sort
  };
  if (top_k_ > 0 && static_cast<size_t>(top_k_) < count) {
    std::partial_sort(order.begin(), order.begin() + top_k_, order.end(), less);
    order.resize(top_k_);
  } else {
    std::sort(order.begin(), order.end(), less);
  }
  rows_.reserve(order.size() * n);
  for (size_t i : order) {
    const Id* r = buf.data() + i * n;
    rows_.insert(rows_.end(), r, r + n);
  }
}

bool OrderByOp::next(Id* out) {
  if (!replayRow(rows_, &pos_, ctx_.nvars, out)) return false;
  ++actual;
  return true;
}

// ---------------------------------------------------------------- Empty / single

void SingleOp::open(const Id* input) {
  input_.assign(input, input + ctx_.nvars);
  done_ = false;
}
bool SingleOp::next(Id* out) {
  if (done_) return false;
  done_ = true;
  std::copy(input_.begin(), input_.end(), out);
  ++actual;
  return true;
}

}  // namespace weft::sparql::internal
