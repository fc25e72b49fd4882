// SPDX-License-Identifier: Apache-2.0
#include "engine/shacl/internal/prebind.h"

#include <algorithm>

namespace weft::shacl::internal {

namespace {

using sparql::Expr;
using sparql::ExprKind;
using sparql::Pattern;
using sparql::PatternPtr;
using sparql::TermOrVar;
using sparql::VarId;

class Binder {
 public:
  explicit Binder(const std::vector<Binding>& b) : b_(b) {}

  PatternPtr pattern(const PatternPtr& p) {
    if (!p || !mentions(*p)) return p;
    auto out = std::make_shared<Pattern>(*p);
    for (auto& c : out->children) c = pattern(c);
    for (auto& t : out->triples) {
      slot(&t.s);
      slot(&t.p);
      slot(&t.o);
    }
    slot(&out->path_subject);
    slot(&out->path_object);
    slot(&out->graph);
    for (auto& e : out->exprs) expr(&e);
    for (auto& e : out->group_exprs) expr(&e);
    for (auto& e : out->aggregates) expr(&e);
    for (auto& k : out->order) expr(&k.expr);
    return out;
  }

 private:
  const rdf::Term* value(VarId v) const {
    for (const auto& [var, t] : b_)
      if (var == v) return &t;
    return nullptr;
  }
  void slot(TermOrVar* t) {
    if (!t->isVar()) return;
    if (const rdf::Term* v = value(t->var)) *t = TermOrVar::constant(*v);
  }
  void expr(Expr* e) {
    if (e->kind == ExprKind::kVariable) {
      if (const rdf::Term* v = value(e->var)) {
        e->kind = ExprKind::kConstant;
        e->constant = *v;
        e->var = sparql::kNoVar;
      }
      return;
    }
    for (auto& a : e->args) expr(&a);
    if (e->pattern) e->pattern = pattern(e->pattern);
  }

  // Whether the sub-tree uses a bound variable (so it must be copied).
  bool mentions(const Pattern& p) const {
    auto tv = [&](const TermOrVar& t) { return t.isVar() && value(t.var); };
    for (const auto& t : p.triples)
      if (tv(t.s) || tv(t.p) || tv(t.o)) return true;
    if (tv(p.path_subject) || tv(p.path_object) || tv(p.graph)) return true;
    for (const auto& e : p.exprs)
      if (mentions(e)) return true;
    for (const auto& e : p.group_exprs)
      if (mentions(e)) return true;
    for (const auto& e : p.aggregates)
      if (mentions(e)) return true;
    for (const auto& k : p.order)
      if (mentions(k.expr)) return true;
    for (const auto& c : p.children)
      if (c && mentions(*c)) return true;
    return false;
  }
  bool mentions(const Expr& e) const {
    if (e.kind == ExprKind::kVariable) return value(e.var) != nullptr;
    for (const auto& a : e.args)
      if (mentions(a)) return true;
    return e.pattern && mentions(*e.pattern);
  }

  const std::vector<Binding>& b_;
};

using sparql::PatternKind;

// Kinds under which "substitute" and "join" differ, or that we do not analyse.
bool forbidden(const Pattern& p);
bool forbidden(const Expr& e) {
  if (e.pattern && forbidden(*e.pattern)) return true;
  for (const auto& a : e.args)
    if (forbidden(a)) return true;
  return false;
}
bool forbidden(const Pattern& p) {
  switch (p.kind) {
    case PatternKind::kGroup:
    case PatternKind::kProject:
    case PatternKind::kSlice:
    case PatternKind::kMinus:
    case PatternKind::kService:
    case PatternKind::kValues:
      return true;
    default:
      break;
  }
  for (const auto& e : p.exprs)
    if (forbidden(e)) return true;
  for (const auto& k : p.order)
    if (forbidden(k.expr)) return true;
  for (const auto& c : p.children)
    if (c && forbidden(*c)) return true;
  return false;
}

// Variables bound in every solution of p (a subset is fine).
std::vector<VarId> certainlyBound(const Pattern& p) {
  std::vector<VarId> out;
  auto add = [&](const TermOrVar& t) {
    if (t.isVar()) out.push_back(t.var);
  };
  switch (p.kind) {
    case PatternKind::kBgp:
      for (const auto& t : p.triples) {
        add(t.s);
        add(t.p);
        add(t.o);
      }
      break;
    case PatternKind::kPath:
      add(p.path_subject);
      add(p.path_object);
      break;
    case PatternKind::kJoin:
      for (const auto& c : p.children) {
        auto v = certainlyBound(*c);
        out.insert(out.end(), v.begin(), v.end());
      }
      break;
    case PatternKind::kUnion: {
      auto a = certainlyBound(*p.children[0]), b = certainlyBound(*p.children[1]);
      for (VarId v : a)
        if (std::find(b.begin(), b.end(), v) != b.end()) out.push_back(v);
      break;
    }
    case PatternKind::kGraph:
      out = certainlyBound(*p.children[0]);
      add(p.graph);
      break;
    case PatternKind::kLeftJoin:
    case PatternKind::kFilter:
    case PatternKind::kExtend:
    case PatternKind::kDistinct:
    case PatternKind::kReduced:
    case PatternKind::kOrderBy:
      out = certainlyBound(*p.children[0]);
      break;
    default:
      break;
  }
  return out;
}

// Whether a pattern or expression uses variable v anywhere.
bool usesVar(const Pattern& p, VarId v);
bool usesVar(const Expr& e, VarId v) {
  if (e.kind == ExprKind::kVariable && e.var == v) return true;
  for (const auto& a : e.args)
    if (usesVar(a, v)) return true;
  return e.pattern && usesVar(*e.pattern, v);
}
bool usesVar(const Pattern& p, VarId v) {
  auto tv = [&](const TermOrVar& t) { return t.isVar() && t.var == v; };
  for (const auto& t : p.triples)
    if (tv(t.s) || tv(t.p) || tv(t.o)) return true;
  if (tv(p.path_subject) || tv(p.path_object) || tv(p.graph) || p.var == v) return true;
  for (const auto& e : p.exprs)
    if (usesVar(e, v)) return true;
  for (const auto& c : p.children)
    if (c && usesVar(*c, v)) return true;
  return false;
}
bool bindsCertainly(const Pattern& p, VarId v) {
  auto b = certainlyBound(p);
  return std::find(b.begin(), b.end(), v) != b.end();
}

// Pre-binding ?this (substitution) and joining the whole query's solutions
// on ?this agree only where every use of ?this is evaluated with ?this
// bound by the pattern it sits in: a FILTER, BIND or OPTIONAL condition (or
// an OPTIONAL's right side) in a group that does not bind ?this itself sees
// it unbound under join semantics, e.g. `{ $this a C . { FILTER NOT EXISTS
// { $this p ?v } } }` (found with 100 focus nodes on the pharma shapes).
bool scopeSafe(const Pattern& p, VarId v) {
  switch (p.kind) {
    case PatternKind::kFilter:
    case PatternKind::kExtend:
      for (const auto& e : p.exprs)
        if (usesVar(e, v) && !bindsCertainly(*p.children[0], v)) return false;
      break;
    case PatternKind::kLeftJoin: {
      bool left = bindsCertainly(*p.children[0], v);
      if (!left && usesVar(*p.children[1], v)) return false;
      for (const auto& e : p.exprs)
        if (usesVar(e, v) && !left) return false;
      break;
    }
    default:
      break;
  }
  for (const auto& c : p.children)
    if (c && !scopeSafe(*c, v)) return false;
  return true;
}

}  // namespace

bool batchQuery(const sparql::Query& q, sparql::VarId this_var, sparql::Query* batch) {
  if (q.form != sparql::QueryForm::kSelect || this_var == sparql::kNoVar || !q.pattern)
    return false;
  // Down to the top-level projection through DISTINCT / REDUCED (a top-level
  // LIMIT / OFFSET is not per focus node: no batch).
  std::vector<const Pattern*> above;
  const Pattern* p = q.pattern.get();
  while (p->kind == PatternKind::kDistinct || p->kind == PatternKind::kReduced) {
    above.push_back(p);
    p = p->children[0].get();
  }
  if (p->kind != PatternKind::kProject) return false;
  const Pattern* project = p;
  const Pattern* where = project->children[0].get();
  if (forbidden(*where) || !scopeSafe(*where, this_var)) return false;
  auto bound = certainlyBound(*where);
  if (std::find(bound.begin(), bound.end(), this_var) == bound.end()) return false;
  *batch = q;
  if (std::find(project->project_vars.begin(), project->project_vars.end(), this_var) ==
      project->project_vars.end()) {
    // Project ?this too, rebuilding the nodes above the projection.
    auto np = std::make_shared<Pattern>(*project);
    np->project_vars.push_back(this_var);
    PatternPtr top = np;
    for (size_t i = above.size(); i-- > 0;) {
      auto n = std::make_shared<Pattern>(*above[i]);
      n->children[0] = top;
      top = n;
    }
    batch->pattern = top;
    batch->select_vars.push_back(this_var);
  }
  return true;
}

sparql::PatternPtr prebind(const sparql::PatternPtr& p, const std::vector<Binding>& bindings) {
  Binder b(bindings);
  return b.pattern(p);
}

}  // namespace weft::shacl::internal
