// SPDX-License-Identifier: Apache-2.0
// The planner: algebra (algebra.h) -> operators (ops_impl.h).
//
// Joins: the children of nested Join nodes and the triples of their BGPs are
// flattened into one join group of "atoms" (triple patterns, paths, and
// other sub-patterns). Atoms are ordered greedily: next is the cheapest atom
// given the variables bound so far (estimates from the dataset's counts for
// the constant part of a pattern, reduced for each bound variable), preferring
// atoms connected to what is bound, to avoid cross products. Scans and paths
// join by index nested loops (the right side is opened with each left row and
// substitutes its values); sub-patterns that cannot take outer values (a
// sub-query, a group) are evaluated once and hash-joined on the variables
// they always bind.
//
// Filters of a join group are placed right after the first atom at which all
// their variables are bound and no later atom can bind them.
//
// Naive mode (ExecOptions::naive) keeps the written order and places filters
// at the end of their group: the reference for the differential tests.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <sstream>

#include "engine/rdf/xsd.h"
#include "engine/sparql/internal/ops_impl.h"
#include "engine/sparql/internal/ops_service.h"

namespace weft::sparql::internal {

namespace {

using VarSet = std::vector<char>;

void addVar(VarSet& s, VarId v) {
  if (v >= 0) s[v] = 1;
}
void addTov(VarSet& s, const TermOrVar& t) { addVar(s, t.var); }

// Variables an expression mentions (including inside EXISTS patterns).
void exprVars(const Expr& e, VarSet& out);
void patternVars(const Pattern& p, VarSet& out);

void exprVars(const Expr& e, VarSet& out) {
  if (e.kind == ExprKind::kVariable) addVar(out, e.var);
  for (const auto& a : e.args) exprVars(a, out);
  if (e.pattern) patternVars(*e.pattern, out);
}

void patternVars(const Pattern& p, VarSet& out) {
  for (const auto& t : p.triples) {
    addTov(out, t.s);
    addTov(out, t.p);
    addTov(out, t.o);
  }
  addTov(out, p.path_subject);
  addTov(out, p.path_object);
  addTov(out, p.graph);
  addVar(out, p.var);
  for (VarId v : p.values_vars) addVar(out, v);
  for (VarId v : p.group_vars) addVar(out, v);
  for (VarId v : p.aggregate_vars) addVar(out, v);
  for (const auto& c : p.children) patternVars(*c, out);
  for (const auto& e : p.exprs) exprVars(e, out);
}

// Variables bound in every solution of p.
void certainVars(const Pattern& p, VarSet& out) {
  switch (p.kind) {
    case PatternKind::kBgp:
      for (const auto& t : p.triples) {
        addTov(out, t.s);
        addTov(out, t.p);
        addTov(out, t.o);
      }
      break;
    case PatternKind::kPath:
      addTov(out, p.path_subject);
      addTov(out, p.path_object);
      break;
    case PatternKind::kJoin:
      for (const auto& c : p.children) certainVars(*c, out);
      break;
    case PatternKind::kLeftJoin:
    case PatternKind::kMinus:
    case PatternKind::kFilter:
    case PatternKind::kExtend:
    case PatternKind::kOrderBy:
    case PatternKind::kDistinct:
    case PatternKind::kReduced:
    case PatternKind::kSlice:
      certainVars(*p.children[0], out);
      break;
    case PatternKind::kGraph:
      certainVars(*p.children[0], out);
      addTov(out, p.graph);
      break;
    case PatternKind::kUnion: {
      VarSet acc(out.size(), 1);
      for (const auto& c : p.children) {
        VarSet s(out.size(), 0);
        certainVars(*c, s);
        for (size_t i = 0; i < s.size(); ++i) acc[i] &= s[i];
      }
      for (size_t i = 0; i < acc.size(); ++i) out[i] |= acc[i];
      break;
    }
    case PatternKind::kValues:
      for (size_t i = 0; i < p.values_vars.size(); ++i) {
        bool all = !p.values_rows.empty();
        for (const auto& r : p.values_rows) all &= r[i].kind != rdf::TermKind::kNone;
        if (all) addVar(out, p.values_vars[i]);
      }
      break;
    case PatternKind::kProject: {
      VarSet s(out.size(), 0);
      certainVars(*p.children[0], s);
      for (VarId v : p.project_vars)
        if (s[v]) out[v] = 1;
      break;
    }
    case PatternKind::kGroup:
    case PatternKind::kService:
      break;
  }
}

// In-scope variables (https://www.w3.org/TR/sparql11-query/#variableScope):
// those a SERVICE group can return (FILTER-only variables are not).
void inScopeVars(const Pattern& p, VarSet& out) {
  switch (p.kind) {
    case PatternKind::kBgp:
    case PatternKind::kPath:
      patternVars(p, out);
      break;
    case PatternKind::kFilter:
    case PatternKind::kMinus:
    case PatternKind::kOrderBy:
    case PatternKind::kDistinct:
    case PatternKind::kReduced:
    case PatternKind::kSlice:
      inScopeVars(*p.children[0], out);
      break;
    case PatternKind::kExtend:
      inScopeVars(*p.children[0], out);
      addVar(out, p.var);
      break;
    case PatternKind::kGraph:
    case PatternKind::kService:
      addTov(out, p.graph);
      inScopeVars(*p.children[0], out);
      break;
    case PatternKind::kValues:
      for (VarId v : p.values_vars) addVar(out, v);
      break;
    case PatternKind::kGroup:
      for (VarId v : p.group_vars) addVar(out, v);
      for (VarId v : p.aggregate_vars) addVar(out, v);
      break;
    case PatternKind::kProject:
      for (VarId v : p.project_vars) addVar(out, v);
      break;
    case PatternKind::kJoin:
    case PatternKind::kLeftJoin:
    case PatternKind::kUnion:
      for (const auto& c : p.children) inScopeVars(*c, out);
      break;
  }
}

std::vector<VarId> toList(const VarSet& s) {
  std::vector<VarId> v;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i]) v.push_back(static_cast<VarId>(i));
  return v;
}

struct Atom {
  const TriplePattern* triple = nullptr;
  const Pattern* pattern = nullptr;  // a path or another sub-pattern
  VarSet vars, certain;
  // A triple whose object a FILTER confines to a value range: the objects a
  // value index lists, and the estimated rows when scanned through them.
  bool ranged = false;
  std::vector<Id> range_objects;
  double range_estimate = 0;
};

// A FILTER bound on a variable: lo <= ?v <= hi, numerics (as doubles) or
// xsd:dateTime (seconds since 1970 UTC).
struct ValueBound {
  bool datetime = false;
  bool conflict = false;
  double lo = -HUGE_VAL, hi = HUGE_VAL;
};

// The constant's key for a value index, or false.
bool constantKey(const rdf::Term& t, bool* datetime, double* key) {
  if (t.kind != rdf::TermKind::kLiteral) return false;
  rdf::Value v = rdf::parseValue(t.view());
  if (!v.isValid()) return false;
  if (rdf::isNumeric(v)) {
    *datetime = false;
    *key = rdf::toDouble(v);
    return !std::isnan(*key);
  }
  if (v.type == rdf::ValueType::kDateTime) {
    *datetime = true;
    *key = rdf::toEpochSeconds(v.datetime);
    return true;
  }
  return false;
}

// Collects `?v op constant` conjuncts of a filter into bounds per variable.
void collectBounds(const Expr& e, std::map<VarId, ValueBound>& out) {
  if (e.kind == ExprKind::kAnd) {
    for (const auto& a : e.args) collectBounds(a, out);
    return;
  }
  if (e.args.size() != 2) return;
  ExprKind k = e.kind;
  if (k != ExprKind::kLess && k != ExprKind::kLessEqual && k != ExprKind::kGreater &&
      k != ExprKind::kGreaterEqual && k != ExprKind::kEqual)
    return;
  const Expr* var = &e.args[0];
  const Expr* con = &e.args[1];
  bool flipped = false;
  if (var->kind != ExprKind::kVariable) {
    std::swap(var, con);
    flipped = true;
  }
  if (var->kind != ExprKind::kVariable || con->kind != ExprKind::kConstant) return;
  bool dt;
  double key;
  if (!constantKey(con->constant, &dt, &key)) return;
  if (flipped) {  // c < ?v  is  ?v > c
    if (k == ExprKind::kLess) k = ExprKind::kGreater;
    else if (k == ExprKind::kLessEqual) k = ExprKind::kGreaterEqual;
    else if (k == ExprKind::kGreater) k = ExprKind::kLess;
    else if (k == ExprKind::kGreaterEqual) k = ExprKind::kLessEqual;
  }
  // Widen: doubles lose precision for decimals, big integers and fractional
  // seconds. (A constant without a timezone may lie 14 hours either way.)
  double slack = std::fabs(key) * 1e-9 + 1e-300;
  if (dt && con->constant.value.find_first_of("Z+") == std::string::npos &&
      con->constant.value.rfind('-') < 10)
    slack += 14 * 3600.0;
  auto it = out.find(var->var);
  ValueBound& b = out[var->var];
  if (it == out.end()) b.datetime = dt;
  if (b.datetime != dt) b.conflict = true;
  if (k == ExprKind::kLess || k == ExprKind::kLessEqual || k == ExprKind::kEqual)
    b.hi = std::min(b.hi, key + slack);
  if (k == ExprKind::kGreater || k == ExprKind::kGreaterEqual || k == ExprKind::kEqual)
    b.lo = std::max(b.lo, key - slack);
}

class Planner {
 public:
  Planner(ExecContext& ctx, ExprEval& ev, PlanOptions o) : ctx_(ctx), ev_(ev), o_(o) {}

  OpPtr plan(const Pattern& p, const Id* graph, const VarSet& bound);
  // `bound`: the variables bound in every row the expression will see;
  // `maybe`: those any row may bind (for EXISTS decorrelation); null if unknown.
  CExpr compile(const Expr& e, const Id* graph, const VarSet* bound = nullptr,
                const VarSet* maybe = nullptr);

 private:
  VarSet empty() const { return VarSet(ctx_.nvars, 0); }
  OpPtr restrict(OpPtr op, const Pattern& child) {
    if (o_.substitute) return op;
    VarSet c = empty();
    certainVars(child, c);
    auto r = std::make_unique<RestrictOp>(ctx_, std::move(op), toList(c));
    r->label = "Restrict";
    r->estimate = r->children[0]->estimate;
    return r;
  }
  OpPtr planGroup(std::vector<Atom> atoms, std::vector<const Expr*> filters, const Id* graph,
                  const VarSet& bound);
  double estimateTriple(const TriplePattern& t, const Id* graph, const VarSet& bound);
  // estimateTriple for a triple atom, capped by its value-range estimate while
  // neither end is bound (a RangeScan then reads it).
  double estimateTripleAtom(const Atom& a, const Id* graph, const VarSet& bound);
  OpPtr planAtom(const Atom& a, const Id* graph, const VarSet& bound, double* est);
  // The dataset's pair list for a lookup join on `a` keyed on its subject
  // (or object), or nullptr when the atom does not qualify: a triple
  // `?a <p> ?b` of two distinct variables in the default graph, no FROM.
  std::shared_ptr<const Dataset::PairList> pairsFor(const Atom& a, const Id* graph,
                                                    bool by_object);
  bool pairShaped(const Atom& a, const Id* graph) const;
  // The atom to start a group of triples with: the greedy order's estimated
  // intermediate rows summed, for each possible first atom; atoms.size()
  // when the usual choice (the smallest atom) stands.
  size_t bestStart(const std::vector<Atom>& atoms, const Id* graph, const VarSet& bound);
  void collect(const Pattern& p, std::vector<Atom>& atoms);
  // SERVICE joined with `left` (null: the row the group is opened with).
  OpPtr planService(const Pattern& p, OpPtr left, bool optional, std::vector<CExpr> filters);
  std::string termLabel(const TermOrVar& t) const;

  // The ordered top-k scan (kOrderBy): the triple to scan first and its
  // objects in the sort order; planGroup applies it when it meets the triple.
  bool prepareOrderedScan(const Pattern& where, VarId key, bool descending);
  const TriplePattern* forced_ = nullptr;
  std::vector<Id> forced_objects_;
  bool forced_applied_ = false;

  ExecContext& ctx_;
  ExprEval& ev_;
  PlanOptions o_;
  int64_t top_k_ = -1;
 public:
  const std::vector<std::string>* names = nullptr;
  // The graph slot of the default graph; inside GRAPH ?g the slot differs
  // and changes while the query runs.
  const Id* default_graph = nullptr;
};

std::string Planner::termLabel(const TermOrVar& t) const {
  if (t.isVar()) return "?" + (names ? (*names)[t.var] : std::to_string(t.var));
  return rdf::toNTriples(t.term.view());
}

CExpr Planner::compile(const Expr& e, const Id* graph, const VarSet* bound, const VarSet* maybe) {
  CExpr c;
  c.e = &e;
  if (e.kind == ExprKind::kConstant) c.const_id = ctx_.intern(e.constant);
  for (const auto& a : e.args) c.args.push_back(compile(a, graph, bound, maybe));
  if ((e.kind == ExprKind::kExists || e.kind == ExprKind::kNotExists) && e.pattern) {
    // (NOT) EXISTS { triples } whose variables are either bound in every
    // outer row or local to it: evaluate the pattern once and test each row's
    // values against the set of its solutions (a hash semi-join), instead of
    // one correlated evaluation per row.
    if (bound && maybe && !o_.naive && !o_.substitute && graph == default_graph &&
        e.pattern->kind == PatternKind::kBgp && !e.pattern->triples.empty()) {
      VarSet pv = empty();
      patternVars(*e.pattern, pv);
      std::vector<VarId> shared;
      bool ok = true;
      for (size_t v = 0; v < pv.size(); ++v) {
        if (!pv[v]) continue;
        if ((*bound)[v])
          shared.push_back(static_cast<VarId>(v));
        else if (maybe && (*maybe)[v])
          ok = false;  // the outer row may bind it or not: correlated only
      }
      if (ok && !shared.empty()) {
        Planner p(ctx_, ev_, o_);
        p.names = names;
        p.default_graph = default_graph;
        c.semi = std::make_unique<SemiJoinSet>();
        c.semi->shared = shared;
        c.semi->op = p.plan(*e.pattern, graph, empty());
        return c;
      }
    }
    PlanOptions sub = o_;
    sub.substitute = true;
    Planner p(ctx_, ev_, sub);
    p.names = names;
    p.default_graph = default_graph;
    c.exists = p.plan(*e.pattern, graph, empty());
  }
  return c;
}

void Planner::collect(const Pattern& p, std::vector<Atom>& atoms) {
  if (p.kind == PatternKind::kJoin) {
    for (const auto& c : p.children) collect(*c, atoms);
    return;
  }
  if (p.kind == PatternKind::kBgp) {
    for (const auto& t : p.triples) {
      Atom a;
      a.triple = &t;
      a.vars = empty();
      addTov(a.vars, t.s);
      addTov(a.vars, t.p);
      addTov(a.vars, t.o);
      a.certain = a.vars;
      atoms.push_back(std::move(a));
    }
    return;
  }
  Atom a;
  a.pattern = &p;
  a.vars = empty();
  patternVars(p, a.vars);
  a.certain = empty();
  certainVars(p, a.certain);
  atoms.push_back(std::move(a));
}

bool Planner::prepareOrderedScan(const Pattern& where, VarId key, bool descending) {
  const Pattern* group = &where;
  if (group->kind == PatternKind::kFilter) group = group->children[0].get();
  if (group->kind != PatternKind::kBgp && group->kind != PatternKind::kJoin) return false;
  std::vector<Atom> atoms;
  collect(*group, atoms);
  const TriplePattern* pick = nullptr;
  for (const Atom& a : atoms) {
    if (!a.triple) return false;  // only plain joins of triples keep the order simple
    const TriplePattern& t = *a.triple;
    if (!pick && !t.p.isVar() && t.o.isVar() && t.o.var == key && !(t.s.isVar() && t.s.var == key))
      pick = &t;
  }
  if (!pick) return false;
  Id p = ctx_.lookupOrZero(pick->p.term);
  if (p == kAnyId || (p & kQueryIdBits) == kQueryIdBits) return false;
  std::vector<std::pair<double, Id>> ordered;
  if (!ctx_.data.numericObjectsInOrder(p, kDefaultGraphId, &ordered)) return false;
  forced_objects_.clear();
  for (const auto& e : ordered) forced_objects_.push_back(e.second);
  if (descending) std::reverse(forced_objects_.begin(), forced_objects_.end());
  forced_ = pick;
  forced_applied_ = false;
  return true;
}

double Planner::estimateTriple(const TriplePattern& t, const Id* graph, const VarSet& bound) {
  IdQuad q;
  Id* slot[3] = {&q.s, &q.p, &q.o};
  const TermOrVar* pos[3] = {&t.s, &t.p, &t.o};
  int bound_vars = 0;
  bool s_bound = false, o_bound = false;
  for (int i = 0; i < 3; ++i) {
    if (pos[i]->isVar()) {
      *slot[i] = kAnyId;
      if (bound[pos[i]->var]) {
        ++bound_vars;
        if (i == 0) s_bound = true;
        if (i == 2) o_bound = true;
      }
    } else {
      Id id = ctx_.lookupOrZero(pos[i]->term);
      if (id == kAnyId || (id & kQueryIdBits) == kQueryIdBits) return 0;
      *slot[i] = id;
    }
  }
  Id g = *graph;
  q.g = (g == kDefaultGraphId && ctx_.has_from) ? kAnyId : g;
  double c = static_cast<double>(ctx_.data.count(q));
  if (bound_vars == 0) return c;
  if (s_bound && o_bound) return std::min(c, 1.0);
  // One end bound by an earlier atom: the average number of matches per
  // value of that end, sampled by the dataset.
  if (s_bound != o_bound && bound_vars == 1) {
    double f = ctx_.data.averageMatches(q, s_bound ? 0 : 2);
    if (f >= 0) return std::min(c, std::max(f, 0.5));
  }
  // No statistics: a bound subject leaves a few values, a bound object
  // somewhat more (objects are shared more often).
  if (s_bound) return std::min(c, 3.0);
  if (o_bound) return std::min(c, std::max(1.0, std::sqrt(c)));
  return std::min(c, std::max(1.0, c / 100));
}

OpPtr Planner::planAtom(const Atom& a, const Id* graph, const VarSet& bound, double* est) {
  bool free_ends = a.ranged && (!a.triple->s.isVar() || !bound[a.triple->s.var]) &&
                   !bound[a.triple->o.var];
  if (free_ends) {
    auto op = std::make_unique<RangeScanOp>(ctx_, *a.triple, graph, a.range_objects);
    op->estimate = a.range_estimate;
    op->label = "RangeScan " + termLabel(a.triple->s) + " " + termLabel(a.triple->p) + " " +
                termLabel(a.triple->o) + " (" + std::to_string(a.range_objects.size()) +
                " objects in range)";
    *est = op->estimate;
    return op;
  }
  if (a.triple) {
    auto op = std::make_unique<ScanOp>(ctx_, *a.triple, graph);
    op->estimate = estimateTriple(*a.triple, graph, bound);
    op->label = "Scan " + termLabel(a.triple->s) + " " + termLabel(a.triple->p) + " " +
                termLabel(a.triple->o);
    *est = op->estimate;
    return op;
  }
  auto op = plan(*a.pattern, graph, bound);
  *est = op->estimate;
  return op;
}

double Planner::estimateTripleAtom(const Atom& a, const Id* graph, const VarSet& bound) {
  const TriplePattern& t = *a.triple;
  double e = estimateTriple(t, graph, bound);
  bool ends_bound = (t.s.isVar() && bound[t.s.var]) || (t.o.isVar() && bound[t.o.var]);
  if (a.ranged && !ends_bound) e = std::min(e, a.range_estimate);
  return e;
}

bool Planner::pairShaped(const Atom& a, const Id* graph) const {
  if (o_.naive || o_.substitute || !a.triple || a.ranged) return false;
  if (graph != default_graph || ctx_.has_from) return false;
  const TriplePattern& t = *a.triple;
  return !t.p.isVar() && t.s.isVar() && t.o.isVar() && t.s.var != t.o.var;
}

std::shared_ptr<const Dataset::PairList> Planner::pairsFor(const Atom& a, const Id* graph,
                                                           bool by_object) {
  if (!pairShaped(a, graph)) return nullptr;
  Id p = ctx_.lookupOrZero(a.triple->p.term);
  if (p == kAnyId || (p & kQueryIdBits) == kQueryIdBits) return nullptr;
  return ctx_.data.predicatePairs(p, kDefaultGraphId, by_object);
}

size_t Planner::bestStart(const std::vector<Atom>& atoms, const Id* graph,
                          const VarSet& bound_in) {
  if (o_.naive || o_.substitute || atoms.size() < 3 || atoms.size() > 12) return atoms.size();
  for (const Atom& a : atoms)
    if (!a.triple) return atoms.size();
  // The estimate of atom k given what is bound, as planGroup's loop makes it;
  // memoised by which of the triple's three places are bound.
  std::vector<std::array<double, 8>> memo(atoms.size());
  for (auto& m : memo) m.fill(-1);
  auto estimate = [&](size_t k, const VarSet& bound) {
    const TriplePattern& t = *atoms[k].triple;
    const TermOrVar* pos[3] = {&t.s, &t.p, &t.o};
    int mask = 0;
    for (int i = 0; i < 3; ++i)
      if (pos[i]->isVar() && bound[pos[i]->var]) mask |= 1 << i;
    double& e = memo[k][static_cast<size_t>(mask)];
    if (e < 0) e = estimateTripleAtom(atoms[k], graph, bound);
    return e;
  };
  size_t usual = atoms.size(), best = atoms.size();
  double usual_e = 0, best_cost = 0, usual_cost = 0;
  for (size_t k = 0; k < atoms.size(); ++k) {
    double e = estimate(k, bound_in);
    if (usual == atoms.size() || e < usual_e) {
      usual = k;
      usual_e = e;
    }
  }
  // A small first atom keeps every later step small: nothing to gain.
  if (usual_e < 256) return atoms.size();
  for (size_t start = 0; start < atoms.size(); ++start) {
    VarSet bound = bound_in;
    std::vector<char> used(atoms.size(), 0);
    double rows = estimate(start, bound), cost = rows;
    used[start] = 1;
    for (size_t v = 0; v < bound.size(); ++v)
      if (atoms[start].certain[v]) bound[v] = 1;
    for (size_t step = 1; step < atoms.size(); ++step) {
      size_t next = atoms.size();
      double next_e = 0;
      bool next_connected = false;
      for (size_t k = 0; k < atoms.size(); ++k) {
        if (used[k]) continue;
        bool connected = false;
        for (size_t v = 0; v < bound.size() && !connected; ++v)
          if (bound[v] && atoms[k].vars[v]) connected = true;
        double e = estimate(k, bound);
        if (!connected) e *= 2;
        if (next == atoms.size() || e < next_e || (e == next_e && connected && !next_connected)) {
          next = k;
          next_e = e;
          next_connected = connected;
        }
      }
      used[next] = 1;
      rows *= std::max(next_connected ? next_e : next_e / 2, 0.5);
      cost += rows;
      for (size_t v = 0; v < bound.size(); ++v)
        if (atoms[next].certain[v]) bound[v] = 1;
    }
    if (start == usual) usual_cost = cost;
    if (best == atoms.size() || cost < best_cost) {
      best = start;
      best_cost = cost;
    }
  }
  // Only a clear gain moves the start: estimates are rough.
  if (best == usual || best_cost * 1.5 > usual_cost) return atoms.size();
  return best;
}

OpPtr Planner::planService(const Pattern& p, OpPtr left, bool optional,
                            std::vector<CExpr> filters) {
  if (!left) {
    left = std::make_unique<SingleOp>(ctx_);
    left->label = "Single";
    left->estimate = 1;
  }
  ServiceSpec spec;
  spec.text = p.service_text;
  spec.endpoint = p.graph;
  spec.display = termLabel(p.graph);
  spec.silent = p.silent;
  VarSet scope = empty();
  inScopeVars(*p.children[0], scope);
  std::vector<std::string> taken;
  for (VarId v : toList(scope)) {
    std::string name = names ? (*names)[v] : "v" + std::to_string(v);
    // Hidden variables (blank nodes, renamed sub-query variables) have
    // names no SPARQL variable can have: the remote never returns them.
    if (name.empty() || name.find_first_of("#:") != std::string::npos) continue;
    spec.columns.emplace_back(name, v);
  }
  // Not starting with '_': engines (weft among them) may leave such
  // variables out of SELECT *.
  spec.row_var = "weft_binding_row";
  auto taken_name = [&](const std::string& n) {
    if (names)
      for (const auto& q : *names)
        if (q == n) return true;
    return false;
  };
  while (taken_name(spec.row_var)) spec.row_var += "_";
  double e = left->estimate * 10;
  auto op = std::make_unique<ServiceJoinOp>(ctx_, std::move(left), std::move(spec), optional,
                                            std::move(filters), ev_);
  op->base_label = std::string(optional ? "OptionalService " : "Service ") +
                   (p.silent ? "SILENT " : "") + termLabel(p.graph) + " (bind join, batches of " +
                   std::to_string(std::max<uint32_t>(ctx_.opts.service_batch, 1)) + ")";
  op->label = op->base_label + ": 0 calls";
  op->estimate = e;
  return op;
}

OpPtr Planner::planGroup(std::vector<Atom> atoms, std::vector<const Expr*> filters,
                         const Id* graph, const VarSet& bound_in) {
  VarSet bound = bound_in;
  std::vector<char> used(atoms.size(), 0);
  std::vector<char> placed(filters.size(), 0);
  std::vector<VarSet> fvars;
  std::vector<char> has_exists;
  for (const Expr* f : filters) {
    VarSet s = empty();
    exprVars(*f, s);
    fvars.push_back(s);
    bool ex = false;
    std::function<void(const Expr&)> scan = [&](const Expr& e) {
      if (e.kind == ExprKind::kExists || e.kind == ExprKind::kNotExists) ex = true;
      for (const auto& a : e.args) scan(a);
    };
    scan(*f);
    has_exists.push_back(ex);
  }
  // Range filters on the object of a triple with a constant predicate.
  if (!o_.naive && !o_.substitute && graph == default_graph && !ctx_.has_from) {
    std::map<VarId, ValueBound> bounds;
    for (const Expr* f : filters) collectBounds(*f, bounds);
    for (Atom& a : atoms) {
      if (!a.triple || a.triple->p.isVar() || !a.triple->o.isVar()) continue;
      auto b = bounds.find(a.triple->o.var);
      if (b == bounds.end() || b->second.conflict) continue;
      if (a.triple->s.isVar() && a.triple->s.var == a.triple->o.var) continue;
      Id p = ctx_.lookupOrZero(a.triple->p.term);
      if (p == kAnyId || (p & kQueryIdBits) == kQueryIdBits) continue;
      IdQuad pat{kAnyId, p, kAnyId, kDefaultGraphId};
      if (!a.triple->s.isVar()) {
        pat.s = ctx_.lookupOrZero(a.triple->s.term);
        if (pat.s == kAnyId) continue;
      }
      double total = static_cast<double>(ctx_.data.count(pat));
      if (total < 1000) continue;  // small: a scan is as cheap
      std::vector<Id> objects;
      if (!ctx_.data.objectsInValueRange(p, kDefaultGraphId, b->second.datetime, b->second.lo,
                                         b->second.hi, &objects))
        continue;
      double per = ctx_.data.averageMatches(pat, 2);
      double est = static_cast<double>(objects.size()) * (per > 0 ? per : 1.0);
      if (est * 4 > total) continue;  // not selective enough
      a.ranged = true;
      a.range_objects = std::move(objects);
      a.range_estimate = est;
    }
  }
  VarSet maybe = bound_in;  // every variable a row of this group may bind
  for (const Atom& a : atoms)
    for (size_t v = 0; v < maybe.size(); ++v) maybe[v] |= a.vars[v];
  size_t forced_index = atoms.size();
  if (forced_) {
    for (size_t k = 0; k < atoms.size(); ++k)
      if (atoms[k].triple == forced_) forced_index = k;
    if (forced_index < atoms.size()) {
      Atom& a = atoms[forced_index];
      a.ranged = true;
      a.range_objects = forced_objects_;
      a.range_estimate = 1;
      forced_applied_ = true;
      forced_ = nullptr;
    }
  }
  size_t start_index = forced_index < atoms.size() ? atoms.size() : bestStart(atoms, graph, bound);
  OpPtr cur;
  double cur_est = 1;
  std::vector<CExpr> pending;
  auto flushFilters = [&](bool final_pass) {
    std::vector<CExpr> now;
    for (size_t i = 0; i < filters.size(); ++i) {
      if (placed[i]) continue;
      bool ready = final_pass;
      if (!ready && !o_.naive && !has_exists[i]) {
        ready = true;
        for (size_t v = 0; v < fvars[i].size() && ready; ++v) {
          if (!fvars[i][v] || bound[v]) continue;
          // Unbound now: wait if a remaining atom may bind it.
          for (size_t k = 0; k < atoms.size(); ++k)
            if (!used[k] && atoms[k].vars[v]) ready = false;
        }
      }
      if (!ready) continue;
      placed[i] = 1;
      now.push_back(compile(*filters[i], graph, &bound, &maybe));
    }
    if (now.empty()) return;
    if (!cur) {
      cur = std::make_unique<SingleOp>(ctx_);
      cur->label = "Single";
      cur->estimate = 1;
    }
    double e = cur->estimate;
    auto f = std::make_unique<FilterOp>(std::move(cur), std::move(now), ev_);
    f->label = "Filter";
    f->estimate = e / 3;
    cur = std::move(f);
    cur_est = cur->estimate;
  };
  if (!o_.naive) flushFilters(false);
  size_t first_atom = atoms.size();
  for (size_t step = 0; step < atoms.size(); ++step) {
    // Choose the next atom.
    size_t best = atoms.size();
    double best_est = 0;
    bool best_connected = false;
    if (o_.naive) {
      best = step;
    } else if (step == 0 && forced_index < atoms.size()) {
      best = forced_index;
    } else if (step == 0 && start_index < atoms.size()) {
      best = start_index;
    } else {
      for (size_t k = 0; k < atoms.size(); ++k) {
        if (used[k]) continue;
        bool connected = !cur;
        for (size_t v = 0; v < bound.size() && !connected; ++v)
          if (bound[v] && atoms[k].vars[v]) connected = true;
        double e = 1e9;  // sub-patterns go after the scans that can feed them
        if (atoms[k].triple) e = estimateTripleAtom(atoms[k], graph, bound);
        if (atoms[k].pattern && atoms[k].pattern->kind == PatternKind::kPath) {
          bool s_b = atoms[k].pattern->path_subject.isVar()
                         ? bound[atoms[k].pattern->path_subject.var] != 0
                         : true;
          bool o_b = atoms[k].pattern->path_object.isVar()
                         ? bound[atoms[k].pattern->path_object.var] != 0
                         : true;
          e = (s_b || o_b) ? 50 : 1e8;
        }
        if (atoms[k].pattern && atoms[k].pattern->kind == PatternKind::kValues)
          e = static_cast<double>(atoms[k].pattern->values_rows.size());
        // A remote call costs more than any local atom: SERVICE goes after
        // the local patterns (whose bindings it then sends along), and a
        // variable endpoint only once something has bound it.
        if (atoms[k].pattern && atoms[k].pattern->kind == PatternKind::kService) {
          const TermOrVar& ep = atoms[k].pattern->graph;
          e = ep.isVar() && !bound[ep.var] ? 1e15 : 1e12;
        }
        // The next atom is the one that yields the fewest rows. An atom that
        // shares no variable with what is bound makes a cross product: it
        // multiplies the rows as well, so it competes on the same footing,
        // with a small penalty so that ties go to connected atoms.
        if (!connected) e *= 2;
        bool better = best == atoms.size() || e < best_est ||
                      (e == best_est && connected && !best_connected);
        if (better) {
          best = k;
          best_est = e;
          best_connected = connected;
        }
      }
    }
    used[best] = 1;
    // Two large scans sorted on their shared variable: a merge join reads
    // each once, in order, with no hash table.
    if (!o_.naive && step == 1 && first_atom < atoms.size() && atoms[first_atom].triple &&
        atoms[best].triple && !atoms[first_atom].ranged && !atoms[best].ranged) {
      const TriplePattern& a = *atoms[first_atom].triple;
      const TriplePattern& b = *atoms[best].triple;
      VarId shared = kNoVar;
      int nshared = 0;
      for (size_t v = 0; v < bound.size(); ++v)
        if (atoms[first_atom].vars[v] && atoms[best].vars[v]) {
          shared = static_cast<VarId>(v);
          ++nshared;
        }
      auto varCount = [](const TriplePattern& t) { return t.s.isVar() + t.p.isVar() + t.o.isVar(); };
      bool pred_var = (a.p.isVar() && a.p.var == shared) || (b.p.isVar() && b.p.var == shared);
      double ea = estimateTriple(a, graph, empty()), eb = estimateTriple(b, graph, empty());
      if (nshared == 1 && !pred_var && varCount(a) == 1 && varCount(b) == 1 && ea >= 256 &&
          eb >= 256 && graph == default_graph && !ctx_.has_from) {
        double e = std::min(ea, eb);
        auto m = std::make_unique<MergeJoinOp>(ctx_, a, b, shared, graph);
        m->label = "MergeJoin on ?" + (names ? (*names)[shared] : std::to_string(shared)) + " (" +
                   termLabel(a.s) + " " + termLabel(a.p) + " " + termLabel(a.o) + ") (" +
                   termLabel(b.s) + " " + termLabel(b.p) + " " + termLabel(b.o) + ")";
        m->estimate = e;
        cur = std::move(m);
        cur_est = e;
        for (size_t v = 0; v < bound.size(); ++v)
          if (atoms[best].certain[v]) bound[v] = 1;
        if (!o_.naive) flushFilters(false);
        continue;
      }
    }
    if (step == 0) first_atom = best;
    if (atoms[best].pattern && atoms[best].pattern->kind == PatternKind::kService &&
        ctx_.opts.service) {
      // A bind join: it reads the rows so far in batches (it binds nothing
      // for certain: a remote answer may leave any variable unbound).
      cur = planService(*atoms[best].pattern, std::move(cur), false, {});
      cur_est = cur->estimate;
      if (!o_.naive) flushFilters(false);
      continue;
    }
    double est = 0;
    OpPtr op = planAtom(atoms[best], graph, bound, &est);
    // A large first triple whose subject later atoms join on: read in
    // subject order, so that their lookups run forward through their lists.
    if (!cur && est >= 256 && pairShaped(atoms[best], graph)) {
      VarId sv = atoms[best].triple->s.var;
      bool joined = false;
      for (size_t k = 0; k < atoms.size(); ++k)
        if (!used[k] && atoms[k].vars[sv]) joined = true;
      std::shared_ptr<const Dataset::PairList> pairs;
      if (joined && !bound[sv] && (pairs = pairsFor(atoms[best], graph, false))) {
        auto s = std::make_unique<PairJoinOp>(ctx_, nullptr, *atoms[best].triple, false, pairs);
        s->label = "PairScan " + termLabel(atoms[best].triple->s) + " " +
                   termLabel(atoms[best].triple->p) + " " + termLabel(atoms[best].triple->o) +
                   " (by subject)";
        s->estimate = est;
        op = std::move(s);
      }
    }
    if (!cur) {
      cur = std::move(op);
      cur_est = est;
    } else {
      bool correlate = atoms[best].triple != nullptr;
      const Pattern* ap = atoms[best].pattern;
      if (ap) {
        switch (ap->kind) {
          case PatternKind::kPath:
          case PatternKind::kValues:
          case PatternKind::kUnion:
          case PatternKind::kGraph:
          case PatternKind::kBgp:
            correlate = true;
            break;
          default: {
            // Correlate when the sub-pattern can use a bound variable.
            for (size_t v = 0; v < bound.size(); ++v)
              if (bound[v] && atoms[best].certain[v]) correlate = true;
            if (ap->kind == PatternKind::kProject || ap->kind == PatternKind::kGroup ||
                ap->kind == PatternKind::kDistinct || ap->kind == PatternKind::kSlice ||
                ap->kind == PatternKind::kOrderBy || ap->kind == PatternKind::kReduced)
              correlate = false;
          }
        }
      }
      // A scan joined with many left rows: one pass over the pattern's whole
      // range into a hash table costs less than a probe per left row (a
      // probe is a directory search plus a partial block decode, roughly ten
      // times the cost of one key in a sequential pass).
      if (atoms[best].triple && cur_est * 8 > estimateTriple(*atoms[best].triple, graph, empty())) {
        bool shares = false;
        for (size_t v = 0; v < bound.size(); ++v)
          if (bound[v] && atoms[best].vars[v]) shares = true;
        if (shares) correlate = false;
      }
      // EXISTS sees outer values everywhere (substitution): every atom must
      // be opened with them.
      if (o_.naive || o_.substitute) correlate = true;
      double e = cur_est * std::max(est, 1.0);
      if (atoms[best].triple) e = cur_est * std::max(est, 0.5);
      if (correlate) {
        auto j = std::make_unique<JoinOp>(ctx_, std::move(cur), std::move(op));
        j->label = "NestedLoopJoin";
        j->estimate = e;
        cur = std::move(j);
      } else {
        std::vector<VarId> keys;
        for (size_t v = 0; v < bound.size(); ++v)
          if (bound[v] && atoms[best].certain[v]) keys.push_back(static_cast<VarId>(v));
        // One end bound: look each row's key up in the predicate's pair list
        // (no table to build; rows in key order read it once).
        std::shared_ptr<const Dataset::PairList> pairs;
        bool by_object = false;
        if (keys.size() == 1 && pairShaped(atoms[best], graph)) {
          by_object = keys[0] == atoms[best].triple->o.var;
          pairs = pairsFor(atoms[best], graph, by_object);
        }
        if (pairs) {
          auto j = std::make_unique<PairJoinOp>(ctx_, std::move(cur), *atoms[best].triple,
                                                by_object, pairs);
          j->label = "LookupJoin on ?" + (names ? (*names)[keys[0]] : std::to_string(keys[0])) +
                     " (" + termLabel(atoms[best].triple->s) + " " +
                     termLabel(atoms[best].triple->p) + " " + termLabel(atoms[best].triple->o) + ")";
          j->estimate = e;
          cur = std::move(j);
        } else {
          auto j = std::make_unique<HashJoinOp>(ctx_, std::move(cur), std::move(op), keys,
                                                toList(atoms[best].vars), graph);
          std::string kl;
          for (VarId v : keys) kl += " ?" + (names ? (*names)[v] : std::to_string(v));
          j->label = "HashJoin on" + (kl.empty() ? std::string(" (none)") : kl);
          j->estimate = e;
          cur = std::move(j);
        }
      }
      cur_est = cur->estimate;
    }
    for (size_t v = 0; v < bound.size(); ++v)
      if (atoms[best].certain[v]) bound[v] = 1;
    if (!o_.naive) flushFilters(false);
  }
  flushFilters(true);
  if (!cur) {
    cur = std::make_unique<SingleOp>(ctx_);
    cur->label = "Single";
    cur->estimate = 1;
  }
  return cur;
}

OpPtr Planner::plan(const Pattern& p, const Id* graph, const VarSet& bound) {
  switch (p.kind) {
    case PatternKind::kBgp:
    case PatternKind::kJoin: {
      std::vector<Atom> atoms;
      collect(p, atoms);
      return planGroup(std::move(atoms), {}, graph, bound);
    }
    case PatternKind::kFilter: {
      const Pattern& child = *p.children[0];
      std::vector<const Expr*> filters;
      for (const auto& e : p.exprs) filters.push_back(&e);
      OpPtr op;
      if (child.kind == PatternKind::kBgp || child.kind == PatternKind::kJoin) {
        std::vector<Atom> atoms;
        collect(child, atoms);
        VarSet b = empty();
        VarSet c = empty();
        certainVars(child, c);
        for (size_t v = 0; v < b.size(); ++v) b[v] = bound[v] && c[v];
        op = planGroup(std::move(atoms), filters, graph, o_.substitute ? bound : b);
      } else {
        std::vector<Atom> atoms;
        collect(child, atoms);
        op = planGroup(std::move(atoms), filters, graph, empty());
      }
      return restrict(std::move(op), child);
    }
    case PatternKind::kExtend: {
      OpPtr c = plan(*p.children[0], graph, bound);
      double e = c->estimate;
      auto op = std::make_unique<ExtendOp>(std::move(c), p.var, compile(p.exprs[0], graph), ev_,
                                         p.children[0]->kind != PatternKind::kExtend);
      op->label = "Extend ?" + (names ? (*names)[p.var] : std::to_string(p.var));
      op->estimate = e;
      return restrict(std::move(op), *p.children[0]);
    }
    case PatternKind::kLeftJoin: {
      if (p.children[1]->kind == PatternKind::kService && ctx_.opts.service) {
        // OPTIONAL { SERVICE ... }: the left rows go to the remote in batches.
        OpPtr l = plan(*p.children[0], graph, bound);
        std::vector<CExpr> f;
        for (const auto& e : p.exprs) f.push_back(compile(e, graph));
        return restrict(planService(*p.children[1], std::move(l), true, std::move(f)),
                        *p.children[0]);
      }
      OpPtr l = plan(*p.children[0], graph, bound);
      VarSet lb = empty();
      certainVars(*p.children[0], lb);
      OpPtr r = plan(*p.children[1], graph, lb);
      std::vector<CExpr> f;
      for (const auto& e : p.exprs) f.push_back(compile(e, graph));
      double e = l->estimate;
      auto op = std::make_unique<LeftJoinOp>(ctx_, std::move(l), std::move(r), std::move(f), ev_);
      op->label = "LeftJoin";
      op->estimate = e;
      return restrict(std::move(op), *p.children[0]);
    }
    case PatternKind::kUnion: {
      std::vector<OpPtr> kids;
      double e = 0;
      for (const auto& c : p.children) {
        kids.push_back(plan(*c, graph, bound));
        e += kids.back()->estimate;
      }
      auto op = std::make_unique<UnionOp>(ctx_, std::move(kids));
      op->label = "Union";
      op->estimate = e;
      return op;
    }
    case PatternKind::kMinus: {
      OpPtr l = plan(*p.children[0], graph, bound);
      OpPtr r = plan(*p.children[1], graph, empty());
      double e = l->estimate;
      auto op = std::make_unique<MinusOp>(ctx_, std::move(l), std::move(r), graph);
      op->label = "Minus";
      op->estimate = e;
      return restrict(std::move(op), *p.children[0]);
    }
    case PatternKind::kGraph: {
      Id c = kAnyId;
      if (!p.graph.isVar()) {
        c = ctx_.lookupOrZero(p.graph.term);
        // A graph the store does not hold is empty; it is part of the
        // dataset only when FROM NAMED lists it (GraphOp checks).
        if ((c & kQueryIdBits) == kQueryIdBits && !ctx_.has_named) c = kAnyId;
      }
      auto op = std::make_unique<GraphOp>(ctx_, p.graph.var, c);
      OpPtr child = plan(*p.children[0], op->slot(), bound);
      op->estimate = child->estimate;
      op->label = "Graph " + termLabel(p.graph);
      op->setChild(std::move(child));
      return op;
    }
    case PatternKind::kValues: {
      auto op = std::make_unique<ValuesOp>(ctx_, p);
      op->label = "Values";
      op->estimate = static_cast<double>(p.values_rows.size());
      return op;
    }
    case PatternKind::kPath: {
      auto op = std::make_unique<PathOp>(ctx_, p, graph);
      op->label = "Path " + termLabel(p.path_subject) + " … " + termLabel(p.path_object);
      bool sb = !p.path_subject.isVar() || bound[p.path_subject.var];
      bool ob = !p.path_object.isVar() || bound[p.path_object.var];
      op->estimate = (sb || ob) ? 50 : 1e6;
      return op;
    }
    case PatternKind::kService: {
      if (ctx_.opts.service) return planService(p, nullptr, false, {});
      if (p.silent) {
        auto op = std::make_unique<SingleOp>(ctx_);
        op->label = "Service (silent, not supported: one empty solution)";
        op->estimate = 1;
        return op;
      }
      throw Aborted{Status::unsupported("SERVICE is not supported yet (federation comes with weft serve)")};
    }
    case PatternKind::kGroup: {
      OpPtr c = plan(*p.children[0], graph, empty());
      std::vector<CExpr> keys, aggs;
      for (const auto& e : p.group_exprs) keys.push_back(compile(e, graph));
      for (const auto& e : p.aggregates) {
        CExpr ce;
        ce.e = &e;
        for (const auto& a : e.args) ce.args.push_back(compile(a, graph));
        aggs.push_back(std::move(ce));
      }
      double e = std::max(1.0, c->estimate / 10);
      auto op = std::make_unique<GroupOp>(ctx_, std::move(c), p, std::move(keys), std::move(aggs), ev_);
      op->label = "Group";
      op->estimate = e;
      return restrict(std::move(op), p);
    }
    case PatternKind::kOrderBy: {
      int64_t k = top_k_;
      top_k_ = -1;
      // ORDER BY ?v LIMIT k where ?v is the numeric object of a triple of the
      // WHERE group: scan that triple in value order first (joins keep the
      // left order), so the sort can stop once k rows are in and the value
      // moves on (OrderByOp::setOrderedInput).
      bool ordered = false;
      if (k > 0 && !o_.naive && !o_.substitute && graph == default_graph && !ctx_.has_from &&
          p.order[0].expr.kind == ExprKind::kVariable)
        ordered = prepareOrderedScan(*p.children[0], p.order[0].expr.var, p.order[0].descending);
      OpPtr c = plan(*p.children[0], graph, bound);
      if (ordered && !forced_applied_) ordered = false;
      forced_ = nullptr;
      forced_applied_ = false;
      std::vector<CExpr> keys;
      std::vector<bool> desc;
      for (const auto& o : p.order) {
        keys.push_back(compile(o.expr, graph));
        desc.push_back(o.descending);
      }
      double e = c->estimate;
      auto op = std::make_unique<OrderByOp>(ctx_, std::move(c), std::move(keys), std::move(desc), ev_, k);
      op->label = k > 0 ? "OrderBy (top " + std::to_string(k) + ")" : "OrderBy";
      if (ordered) {
        op->setOrderedInput();
        op->label += ", input in key order";
      }
      op->estimate = e;
      return op;
    }
    case PatternKind::kProject: {
      OpPtr c = plan(*p.children[0], graph, empty());
      double e = c->estimate;
      auto op = std::make_unique<ProjectOp>(ctx_, std::move(c), p.project_vars);
      op->label = "Project";
      for (VarId v : p.project_vars) op->label += " ?" + (names ? (*names)[v] : std::to_string(v));
      op->estimate = e;
      return restrict(std::move(op), p);
    }
    case PatternKind::kDistinct:
    case PatternKind::kReduced: {
      OpPtr c = plan(*p.children[0], graph, bound);
      double e = c->estimate;
      auto op = std::make_unique<DistinctOp>(ctx_, std::move(c));
      op->label = p.kind == PatternKind::kDistinct ? "Distinct" : "Reduced";
      op->estimate = e;
      return op;
    }
    case PatternKind::kSlice: {
      const Pattern* c = p.children[0].get();
      // ORDER BY under LIMIT keeps only the first offset+limit rows (top-k);
      // through a Project / Distinct only when Distinct is absent.
      const Pattern* q = c;
      while (q->kind == PatternKind::kProject) q = q->children[0].get();
      // (offset + limit, saturating: the parser clamps huge numbers to INT64_MAX)
      if (q->kind == PatternKind::kOrderBy && p.limit >= 0 && !o_.naive)
        top_k_ = p.offset > INT64_MAX - p.limit ? INT64_MAX : p.offset + p.limit;
      OpPtr child = plan(*c, graph, bound);
      top_k_ = -1;
      double e = child->estimate;
      auto op = std::make_unique<SliceOp>(std::move(child), p.offset, p.limit);
      op->label = "Slice offset " + std::to_string(p.offset) + " limit " + std::to_string(p.limit);
      op->estimate = p.limit >= 0 ? std::min(e, static_cast<double>(p.limit)) : e;
      return op;
    }
  }
  throw Aborted{Status::internal("unknown pattern kind")};
}

void explainRec(const Op& op, int depth, std::ostringstream& out) {
  out << std::string(depth * 2, ' ') << op.label << "  (est " << static_cast<uint64_t>(op.estimate + 0.5)
      << ", actual " << op.actual << ")\n";
  for (const Op* c : op.children) explainRec(*c, depth + 1, out);
}

}  // namespace

OpPtr planPattern(ExecContext& ctx, ExprEval& ev, const Pattern& p, const PlanOptions& o,
                  const std::vector<std::string>* names) {
  static const Id kDefault = kDefaultGraphId;
  Planner planner(ctx, ev, o);
  planner.names = names;
  planner.default_graph = &kDefault;
  return planner.plan(p, &kDefault, VarSet(ctx.nvars, 0));
}

std::string explainTree(const Op& root) {
  std::ostringstream out;
  explainRec(root, 0, out);
  return out.str();
}

}  // namespace weft::sparql::internal
