// SPDX-License-Identifier: Apache-2.0
// Internal: declarations of the operators (ops.cpp, group.cpp); see ops.h.
#pragma once

#include "engine/core/huge_pages.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/sparql/internal/ops.h"

namespace weft::sparql::internal {

// Binds `v` in `slot`: true if the slot was unbound or already holds `v`
// (solution compatibility, SPARQL 1.1 section 18.3).
inline bool bindSlot(Id& slot, Id v) {
  if (slot == kAnyId) {
    slot = v;
    return true;
  }
  return slot == v;
}
// Merge `input` into `row`; false if they disagree on a variable.
bool mergeCompatible(const Id* input, Id* row, size_t n);
// Copies the next of the rows materialised in `rows` (n ids each) to `out`.
inline bool replayRow(const std::vector<Id>& rows, size_t* pos, size_t n, Id* out) {
  if (*pos >= rows.size()) return false;
  std::copy(rows.begin() + static_cast<ptrdiff_t>(*pos),
            rows.begin() + static_cast<ptrdiff_t>(*pos + n), out);
  *pos += n;
  return true;
}

struct TripleKeyHash {
  size_t operator()(const IdQuad& q) const {
    return std::hash<uint64_t>()(q.s * 0x9E3779B97F4A7C15ull ^ q.p * 0xC2B2AE3D27D4EB4Full ^ q.o);
  }
};
struct TripleKeyEq {
  bool operator()(const IdQuad& a, const IdQuad& b) const {
    return a.s == b.s && a.p == b.p && a.o == b.o;
  }
};

class ScanOp : public Op {
 public:
  ScanOp(ExecContext& ctx, const TriplePattern& t, const Id* graph);
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  const Id* graph_;
  VarId var_[3];
  Id const_[3];
  std::vector<Id> input_;
  IdQuad pat_;
  bool dead_ = false, dedupe_ = false;
  bool adjacent_ = false, have_last_ = false;  // union of all graphs (ExecContext::from)
  IdQuad last_{};
  std::vector<Id> graphs_;
  size_t gi_ = 0;
  std::unique_ptr<QuadCursor> cur_;
  bool open_cursor_ = false;
  std::unordered_set<IdQuad, TripleKeyHash, TripleKeyEq> seen_;
};

// A triple pattern whose object a FILTER confines to a value range: scans
// only the objects a value index lists (a superset of the range; the FILTER
// still runs). With the subject or object already bound it scans normally.
class RangeScanOp : public Op {
 public:
  RangeScanOp(ExecContext& ctx, const TriplePattern& t, const Id* graph, std::vector<Id> objects)
      : ctx_(ctx), scan_(ctx, t, graph), objects_(std::move(objects)), s_var_(t.s.var),
        o_var_(t.o.var), row_(ctx.nvars) {}
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  ScanOp scan_;
  std::vector<Id> objects_;
  VarId s_var_, o_var_;
  std::vector<Id> row_, input_;
  size_t idx_ = 0;
  bool fallback_ = false, active_ = false;
};

// Merge join of two triple patterns on a variable that both scans return in
// sorted order (the first component after the bound ones in each scan's
// permutation, e.g. `?x :p :a . ?x :q :b`, both sorted by ?x). If at run
// time either scan is not sorted on the variable (other variables bound by
// the input), it falls back to a nested-loop join.
class MergeJoinOp : public Op {
 public:
  MergeJoinOp(ExecContext& ctx, const TriplePattern& l, const TriplePattern& r, VarId var,
              const Id* graph);
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  bool bindTriple(const TriplePattern& t, const IdQuad& q, Id* row) const;
  IdQuad patternOf(const TriplePattern& t, const Id* input, bool* dead) const;
  bool advanceLeft();
  bool fillRightGroup();
  ExecContext& ctx_;
  TriplePattern lt_, rt_;
  VarId var_;
  const Id* graph_;
  int lpos_ = 0, rpos_ = 0;  // position (0 s, 1 p, 2 o) of var_ in each triple
  ScanOp lscan_, rscan_;     // the fallback
  std::vector<Id> input_, lrow_;
  bool fallback_ = false, have_left_ = false, done_ = false;
  std::unique_ptr<QuadCursor> lc_, rc_;
  IdQuad lq_{}, rq_{};
  bool r_valid_ = false;
  std::vector<IdQuad> group_;  // right quads with the current key
  Id group_key_ = kAnyId;
  size_t gi_ = 0;
};

// A triple pattern `?a <p> ?b` (two distinct variables) read through the
// dataset's pair list of <p> (Dataset::predicatePairs), sorted on one end,
// the key. With a left side: a lookup join, the key bound by each left row
// and found through the list's bucket directory (no table to build per
// query; left rows in key order, or nearly, as ids given out in load order
// often are, read the list forward like a merge join). Without one: the
// pattern's matches in key order (what lookups keyed on the same variable
// then read in order), restricted by the row it is opened with.
class PairJoinOp : public Op {
 public:
  PairJoinOp(ExecContext& ctx, OpPtr left, const TriplePattern& t, bool by_object,
             std::shared_ptr<const Dataset::PairList> pairs);
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  bool nextRow();
  ExecContext& ctx_;
  OpPtr left_;
  std::shared_ptr<const Dataset::PairList> pairs_;
  VarId key_var_, val_var_;
  std::vector<Id> row_;
  bool have_input_ = false;  // no left side: the input row, not yet used
  size_t pos_ = 0, end_ = 0;
};

class PathOp : public Op {
 public:
  PathOp(ExecContext& ctx, const Pattern& p, const Id* graph);
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  PathEval paths_;
  const Path& path_;
  const Id* graph_;
  VarId var_[2];
  Id const_[2];
  std::vector<Id> input_;
  std::vector<std::pair<Id, Id>> rows_, pairs_;
  size_t pos_ = 0;
};

class ValuesOp : public Op {
 public:
  ValuesOp(ExecContext& ctx, const Pattern& p);
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  std::vector<std::vector<Id>> rows_;
  std::vector<Id> input_;
  size_t pos_ = 0;
};

class JoinOp : public Op {
 public:
  JoinOp(ExecContext& ctx, OpPtr l, OpPtr r)
      : left_(std::move(l)), right_(std::move(r)), lrow_(ctx.nvars) {
    children = {left_.get(), right_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  OpPtr left_, right_;
  std::vector<Id> lrow_;
  bool have_left_ = false;
};

// Builds a hash table of the right side (evaluated once, on its own) keyed on
// `keys` (variables bound in every right row), probes it with left rows.
// Right rows keep only the columns of `right_vars`; the table is a flat
// array of chain heads with a next-index per row (no allocation per key).
class HashJoinOp : public Op {
 public:
  // `graph`: the graph slot the right side reads; the table is rebuilt when
  // it changes (inside GRAPH ?g).
  HashJoinOp(ExecContext& ctx, OpPtr l, OpPtr r, std::vector<VarId> keys,
             std::vector<VarId> right_vars, const Id* graph)
      : ctx_(ctx), left_(std::move(l)), right_(std::move(r)), keys_(std::move(keys)),
        right_vars_(std::move(right_vars)), graph_(graph) {
    children = {left_.get(), right_.get()};
    for (VarId k : keys_)
      for (size_t i = 0; i < right_vars_.size(); ++i)
        if (right_vars_[i] == k) key_cols_.push_back(i);
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  void build();
  bool nextLeft();
  static constexpr size_t kLeftBatch = 32;
  std::vector<Id> lbuf_;
  size_t lpos_ = 0, lcount_ = 0;
  uint64_t hashLeft(const Id* row) const;
  uint64_t hashRight(const Id* vals) const;
  bool emit(uint32_t r, Id* out);
  ExecContext& ctx_;
  OpPtr left_, right_;
  std::vector<VarId> keys_, right_vars_;
  std::vector<size_t> key_cols_;
  const Id* lrow_ = nullptr;  // the current left row, in lbuf_
  bool built_ = false;
  const Id* graph_;
  Id built_graph_ = kAnyId;
  std::vector<Id> vals_;          // right rows, right_vars_.size() ids each
  std::vector<uint32_t> heads_, next_;
  // Rows of at most four columns with a key: an open-addressing table that
  // holds the rows themselves, `w` ids per slot (linear probing keeps equal
  // keys together), so a probe touches one cache line instead of three.
  static constexpr size_t kMaxInlineWidth = 4;
  bool inline_ = false;
  std::vector<Id, core::HugePageAllocator<Id>> slots_;  // nslots_ * width ids
  size_t nslots_ = 0;
  const Id* slot(size_t b) const { return slots_.data() + b * right_vars_.size(); }
  size_t occupied_col_ = 0;       // a key column: never 0 in a used slot
  uint64_t mask_ = 0;
  bool left_active_ = false;
  bool scan_all_ = false;         // a key is unbound in this left row
  uint32_t cur_ = 0;              // next candidate (chain or row index)
};

class UnionOp : public Op {
 public:
  UnionOp(ExecContext& ctx, std::vector<OpPtr> kids) : ctx_(ctx), kids_(std::move(kids)) {
    for (auto& k : kids_) children.push_back(k.get());
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  std::vector<OpPtr> kids_;
  std::vector<Id> input_;
  size_t idx_ = 0;
};

// Opens the child with only the `pass` variables of the input, then merges
// the input back into each row (dropping rows that disagree).
class RestrictOp : public Op {
 public:
  RestrictOp(ExecContext& ctx, OpPtr child, std::vector<VarId> pass)
      : ctx_(ctx), child_(std::move(child)), pass_(std::move(pass)), pass_row_(ctx.nvars) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  OpPtr child_;
  std::vector<VarId> pass_;
  std::vector<Id> input_, pass_row_;
};

class FilterOp : public Op {
 public:
  FilterOp(OpPtr child, std::vector<CExpr> filters, ExprEval& ev)
      : child_(std::move(child)), filters_(std::move(filters)), ev_(ev) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;
  std::vector<CExpr>& filters() { return filters_; }

 private:
  OpPtr child_;
  std::vector<CExpr> filters_;
  ExprEval& ev_;
};

class ExtendOp : public Op {
 public:
  // `new_solution`: false when the child is another Extend of the same
  // solution (SELECT expressions), so BNODE(str) agrees across them.
  ExtendOp(OpPtr child, VarId var, CExpr e, ExprEval& ev, bool new_solution)
      : child_(std::move(child)), var_(var), expr_(std::move(e)), ev_(ev),
        new_solution_(new_solution) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  OpPtr child_;
  VarId var_;
  CExpr expr_;
  ExprEval& ev_;
  bool new_solution_;
};

class LeftJoinOp : public Op {
 public:
  LeftJoinOp(ExecContext& ctx, OpPtr l, OpPtr r, std::vector<CExpr> filters, ExprEval& ev)
      : left_(std::move(l)), right_(std::move(r)), filters_(std::move(filters)), ev_(ev),
        lrow_(ctx.nvars) {
    children = {left_.get(), right_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  OpPtr left_, right_;
  std::vector<CExpr> filters_;
  ExprEval& ev_;
  std::vector<Id> lrow_;
  int state_ = 0;
  bool matched_ = false;
};

class MinusOp : public Op {
 public:
  MinusOp(ExecContext& ctx, OpPtr l, OpPtr r, const Id* graph)
      : ctx_(ctx), left_(std::move(l)), right_(std::move(r)), graph_(graph) {
    children = {left_.get(), right_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  void build();
  ExecContext& ctx_;
  OpPtr left_, right_;
  const Id* graph_;
  Id built_graph_ = kAnyId;
  bool built_ = false;
  std::vector<Id> rows_;
};

// GRAPH: runs the child once per graph, with the graph slot the child's
// scans read set to that graph.
class GraphOp : public Op {
 public:
  GraphOp(ExecContext& ctx, VarId var, Id constant)
      : ctx_(ctx), var_(var), const_(constant), row_(ctx.nvars) {}
  void setChild(OpPtr c) {
    child_ = std::move(c);
    children = {child_.get()};
  }
  const Id* slot() const { return &current_; }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  VarId var_;
  Id const_;
  OpPtr child_;
  Id current_ = kDefaultGraphId;
  std::vector<Id> input_, row_, graphs_;
  size_t gi_ = 0;
  bool active_ = false;
};

// Evaluates its child once, on its own, and replays the rows compatible
// with each input.
class MaterializeOp : public Op {
 public:
  MaterializeOp(ExecContext& ctx, OpPtr child) : ctx_(ctx), child_(std::move(child)) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  OpPtr child_;
  bool built_ = false;
  std::vector<Id> rows_, input_;
  size_t pos_ = 0;
};

class ProjectOp : public Op {
 public:
  ProjectOp(ExecContext& ctx, OpPtr child, const std::vector<VarId>& vars)
      : ctx_(ctx), child_(std::move(child)), keep_(ctx.nvars, false) {
    for (VarId v : vars) keep_[v] = true;
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  OpPtr child_;
  std::vector<bool> keep_;
};

class DistinctOp : public Op {
 public:
  DistinctOp(ExecContext& ctx, OpPtr child) : ctx_(ctx), child_(std::move(child)) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  OpPtr child_;
  std::unordered_set<std::string> seen_;
};

class SliceOp : public Op {
 public:
  SliceOp(OpPtr child, int64_t offset, int64_t limit)
      : child_(std::move(child)), offset_(offset), limit_(limit) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  OpPtr child_;
  int64_t offset_, limit_;
  int64_t skipped_ = 0, emitted_ = 0;
};

class OrderByOp : public Op {
 public:
  OrderByOp(ExecContext& ctx, OpPtr child, std::vector<CExpr> keys, std::vector<bool> desc,
            ExprEval& ev, int64_t top_k)
      : ctx_(ctx), child_(std::move(child)), keys_(std::move(keys)), descending_(std::move(desc)),
        ev_(ev), top_k_(top_k) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;
  // The child returns rows sorted on the first key as numbers (doubles):
  // stop reading once top_k rows are in and the key's double changes.
  void setOrderedInput() { ordered_input_ = true; }

 private:
  ExecContext& ctx_;
  OpPtr child_;
  std::vector<CExpr> keys_;
  std::vector<bool> descending_;
  ExprEval& ev_;
  int64_t top_k_;
  bool ordered_input_ = false;
  std::vector<Id> rows_;
  size_t pos_ = 0;
};

class GroupOp : public Op {
 public:
  GroupOp(ExecContext& ctx, OpPtr child, const Pattern& p, std::vector<CExpr> keys,
          std::vector<CExpr> aggs, ExprEval& ev)
      : ctx_(ctx), child_(std::move(child)), p_(p), keys_(std::move(keys)), aggs_(std::move(aggs)),
        ev_(ev) {
    children = {child_.get()};
  }
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  OpPtr child_;
  const Pattern& p_;
  std::vector<CExpr> keys_, aggs_;
  ExprEval& ev_;
  std::vector<Id> rows_;
  size_t pos_ = 0;
};

// One row: the input itself (the empty group pattern {}).
class SingleOp : public Op {
 public:
  explicit SingleOp(ExecContext& ctx) : ctx_(ctx) {}
  void open(const Id* input) override;
  bool next(Id* out) override;

 private:
  ExecContext& ctx_;
  std::vector<Id> input_;
  bool done_ = false;
};

}  // namespace weft::sparql::internal
