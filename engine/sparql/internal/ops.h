// SPDX-License-Identifier: Apache-2.0
// Internal: the physical operators. Pull-based (open / next) over rows of
// Ids, one slot per query variable.
//
// The contract of every operator, for any input row μ: open(μ) followed by
// next() yields exactly { s ∪ μ : s ∈ eval(P), s compatible with μ } where P
// is the algebra the operator implements. Scans honour it by substituting
// μ's values (index nested-loop joins: a join opens its right side with
// each left row). Operators whose sub-pattern must not see outer values
// (FILTER, BIND, OPTIONAL, MINUS, sub-queries; SPARQL evaluates them bottom
// up) sit under a Restrict operator that passes on only the variables the
// sub-pattern binds in every solution and merges the rest back afterwards.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/rdf/xsd.h"
#include "engine/sparql/algebra.h"
#include "engine/sparql/internal/exec_context.h"

namespace weft::sparql::internal {

class Op {
 public:
  virtual ~Op() = default;
  virtual void open(const Id* input) = 0;
  virtual bool next(Id* out) = 0;

  // For --explain.
  std::string label;
  double estimate = 0;
  uint64_t actual = 0;
  std::vector<Op*> children;
};
using OpPtr = std::unique_ptr<Op>;

// (NOT) EXISTS decorrelated: the pattern's solutions projected on the
// variables it shares with the outer row, computed once (ExprEval).
struct SemiJoinSet {
  std::vector<VarId> shared;
  OpPtr op;
  bool built = false;
  std::unordered_set<std::string> keys;
};

// A compiled expression: the algebra node plus the operators of its EXISTS.
struct CExpr {
  const Expr* e = nullptr;
  std::vector<CExpr> args;
  OpPtr exists;      // kExists / kNotExists: opened with the current row
  std::unique_ptr<SemiJoinSet> semi;  // or this, when the pattern allows
  Id const_id = 0;   // kConstant: its id (interned at compile time)
};

// Evaluates expressions on a row (expr.cpp).
class ExprEval {
 public:
  explicit ExprEval(ExecContext& ctx) : ctx_(ctx) {}
  // nullopt: an expression error.
  std::optional<rdf::Term> eval(const CExpr& c, const Id* row);
  // The value as an id (0 = error/unbound): variables and constants without
  // decoding; anything else is evaluated and interned.
  Id evalId(const CExpr& c, const Id* row) {
    if (c.e->kind == ExprKind::kVariable) return row[c.e->var];
    if (c.e->kind == ExprKind::kConstant) return c.const_id;
    auto v = eval(c, row);
    return v ? ctx_.intern(*v) : kAnyId;
  }
  // Effective boolean value; errors are false (FILTER semantics).
  bool test(const CExpr& c, const Id* row);
  // BNODE(str) gives one node per string within a solution: call per row.
  void newSolution() { bnode_map_.clear(); }

 private:
  // FILTER fast path: && || ! and comparisons evaluated to a truth value
  // without building boolean terms; nullopt is an error.
  std::optional<bool> evalBool(const CExpr& c, const Id* row);
  // Comparison of two numeric variables / constants by their parsed values
  // (cached per id); false in `applies` when not both numeric literals.
  bool fastCompare(const CExpr& c, const Id* row, bool* result);
  struct ValueSlot {
    Id id = kAnyId;
    bool numeric = false;
    rdf::Value value;
  };
  const ValueSlot& numericValue(Id id);
  std::vector<ValueSlot> values_;
  ExecContext& ctx_;
  std::vector<std::pair<std::string, rdf::Term>> bnode_map_;
  friend struct ExprEvalAccess;
};

// The planner (planner.cpp): algebra -> operators.
struct PlanOptions {
  bool naive = false;       // no reordering, no push-down, no hash joins
  bool substitute = false;  // EXISTS: the pattern sees the outer values everywhere
};
OpPtr planPattern(ExecContext& ctx, ExprEval& ev, const Pattern& p, const PlanOptions& o,
                  const std::vector<std::string>* var_names = nullptr);

// Graph selection: the value a scan's graph slot points to.
//   kDefaultGraphId: the default graph (the FROM merge when ctx.has_from)
//   other id: that named graph
// Property paths (paths.cpp): evaluate `path` between s and o (kAnyId =
// free) in graph `g`, calling emit(s, o) per solution (with multiplicity per
// section 18.4; ALP distinct-per-start for * and +). emit returns false to stop.
class PathEval {
 public:
  PathEval(ExecContext& ctx) : ctx_(ctx) {}
  using Emit = const std::function<bool(Id, Id)>&;
  bool eval(const Path& path, Id s, Id o, Id g, Emit emit);
  // Scan helper honouring FROM merges: every (s,p,o) in graph g matching.
  bool scanGraph(Id s, Id p, Id o, Id g, const std::function<bool(Id, Id, Id)>& emit);

 private:
  bool zeroOrMore(const Path& sub, Id s, Id o, Id g, bool include_zero, Emit emit);
  bool allNodes(Id g, const std::function<bool(Id)>& emit);
  bool isNode(Id x, Id g);
 public:
  // The path's ends when written as constants in the query.
  void setConstants(Id s, Id o) { constants_[0] = s; constants_[1] = o; }
 private:
  Id constants_[2] = {kAnyId, kAnyId};
  Id constId(const rdf::Term& t);
  ExecContext& ctx_;
};

std::string explainTree(const Op& root);

}  // namespace weft::sparql::internal
