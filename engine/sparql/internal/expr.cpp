// SPDX-License-Identifier: Apache-2.0
// Expression evaluation over a row (SPARQL 1.1 section 17). The functional
// forms that must see errors are here (17.4.1: BOUND, IF, COALESCE, ||, &&,
// IN, NOT IN, EXISTS); everything else evaluates its arguments and calls the
// operator and function library (functions.h).
#include <optional>

#include "engine/sparql/functions.h"
#include "engine/sparql/internal/ops.h"

namespace weft::sparql::internal {

namespace {
const rdf::Term& trueTerm() {
  static const rdf::Term t = rdf::Term::literal("true", "http://www.w3.org/2001/XMLSchema#boolean");
  return t;
}
const rdf::Term& falseTerm() {
  static const rdf::Term t = rdf::Term::literal("false", "http://www.w3.org/2001/XMLSchema#boolean");
  return t;
}
std::optional<rdf::Term> boolTerm(std::optional<bool> b) {
  if (!b) return std::nullopt;
  return *b ? trueTerm() : falseTerm();
}
}  // namespace

bool ExprEval::test(const CExpr& c, const Id* row) {
  auto b = evalBool(c, row);
  return b && *b;
}

const ExprEval::ValueSlot& ExprEval::numericValue(Id id) {
  constexpr int kBits = 12;
  if (values_.empty()) values_.resize(size_t{1} << kBits);
  ValueSlot& slot = values_[(id * 0x9E3779B97F4A7C15ull) >> (64 - kBits)];
  if (slot.id == id) return slot;
  slot.id = id;
  slot.numeric = false;
  const rdf::Term& t = ctx_.term(id);
  if (t.kind != rdf::TermKind::kLiteral || !t.lang.empty()) return slot;
  slot.value = rdf::parseValue(t.view());
  slot.numeric = slot.value.isValid() && rdf::isNumeric(slot.value);
  return slot;
}

bool ExprEval::fastCompare(const CExpr& c, const Id* row, bool* result) {
  auto idOf = [&](const CExpr& a) -> Id {
    if (a.e->kind == ExprKind::kVariable) return row[a.e->var];
    if (a.e->kind == ExprKind::kConstant) return a.const_id;
    return kAnyId;
  };
  Id ia = idOf(c.args[0]), ib = idOf(c.args[1]);
  if (ia == kAnyId || ib == kAnyId) return false;
  const ValueSlot& sa = numericValue(ia);
  if (!sa.numeric) return false;
  const ValueSlot& sb = numericValue(ib);
  // Two ids in one cache slot: the second lookup replaced the first.
  if (!sb.numeric || sa.id != ia) return false;
  std::partial_ordering ord = rdf::compareValues(sa.value, sb.value);
  switch (c.e->kind) {
    case ExprKind::kEqual: *result = ord == std::partial_ordering::equivalent; break;
    case ExprKind::kNotEqual: *result = ord != std::partial_ordering::equivalent; break;
    case ExprKind::kLess: *result = ord == std::partial_ordering::less; break;
    case ExprKind::kGreater: *result = ord == std::partial_ordering::greater; break;
    case ExprKind::kLessEqual:
      *result = ord == std::partial_ordering::less || ord == std::partial_ordering::equivalent;
      break;
    case ExprKind::kGreaterEqual:
      *result = ord == std::partial_ordering::greater || ord == std::partial_ordering::equivalent;
      break;
    default: return false;
  }
  return true;
}

std::optional<bool> ExprEval::evalBool(const CExpr& c, const Id* row) {
  switch (c.e->kind) {
    case ExprKind::kOr: {
      bool error = false;
      for (const auto& a : c.args) {
        auto b = evalBool(a, row);
        if (b && *b) return true;
        if (!b) error = true;
      }
      if (error) return std::nullopt;
      return false;
    }
    case ExprKind::kAnd: {
      bool error = false;
      for (const auto& a : c.args) {
        auto b = evalBool(a, row);
        if (b && !*b) return false;
        if (!b) error = true;
      }
      if (error) return std::nullopt;
      return true;
    }
    case ExprKind::kNot: {
      auto b = evalBool(c.args[0], row);
      if (!b) return std::nullopt;
      return !*b;
    }
    case ExprKind::kEqual:
    case ExprKind::kNotEqual:
    case ExprKind::kLess:
    case ExprKind::kGreater:
    case ExprKind::kLessEqual:
    case ExprKind::kGreaterEqual: {
      bool r;
      if (fastCompare(c, row, &r)) return r;
      break;
    }
    default:
      break;
  }
  auto v = eval(c, row);
  if (!v) return std::nullopt;
  return effectiveBooleanValue(*v);
}

std::optional<rdf::Term> ExprEval::eval(const CExpr& c, const Id* row) {
  const Expr& e = *c.e;
  switch (e.kind) {
    case ExprKind::kConstant:
      return e.constant;
    case ExprKind::kVariable: {
      Id id = row[e.var];
      if (id == kAnyId) return std::nullopt;
      const rdf::Term& t = ctx_.term(id);
      if (t.kind == rdf::TermKind::kNone) return std::nullopt;
      return t;
    }
    case ExprKind::kOr:
    case ExprKind::kAnd:
    case ExprKind::kNot:
      // 17.2 three-valued logic, in one place (evalBool).
      return boolTerm(evalBool(c, row));
    case ExprKind::kEqual:
    case ExprKind::kNotEqual:
    case ExprKind::kLess:
    case ExprKind::kGreater:
    case ExprKind::kLessEqual:
    case ExprKind::kGreaterEqual: {
      auto a = eval(c.args[0], row);
      if (!a) return std::nullopt;
      auto b = eval(c.args[1], row);
      if (!b) return std::nullopt;
      return boolTerm(compareTerms(e.kind, *a, *b));
    }
    case ExprKind::kAdd:
    case ExprKind::kSubtract:
    case ExprKind::kMultiply:
    case ExprKind::kDivide: {
      auto a = eval(c.args[0], row);
      if (!a) return std::nullopt;
      auto b = eval(c.args[1], row);
      if (!b) return std::nullopt;
      return arithmetic(e.kind, *a, *b);
    }
    case ExprKind::kUnaryMinus:
    case ExprKind::kUnaryPlus: {
      auto a = eval(c.args[0], row);
      if (!a) return std::nullopt;
      return unaryArithmetic(e.kind, *a);
    }
    case ExprKind::kIn:
    case ExprKind::kNotIn: {
      // 17.4.1.9: IN is a disjunction of = tests (errors count only if no match).
      bool in = e.kind == ExprKind::kIn;
      auto a = eval(c.args[0], row);
      if (!a) return std::nullopt;
      bool error = false;
      for (size_t i = 1; i < c.args.size(); ++i) {
        auto b = eval(c.args[i], row);
        if (!b) {
          error = true;
          continue;
        }
        auto eq = compareTerms(ExprKind::kEqual, *a, *b);
        if (!eq) {
          error = true;
          continue;
        }
        if (*eq) return boolTerm(in);
      }
      if (error) return std::nullopt;
      return boolTerm(!in);
    }
    case ExprKind::kExists:
    case ExprKind::kNotExists: {
      if (c.semi) {
        SemiJoinSet& sj = *c.semi;
        auto keyOf = [&](const Id* r) {
          std::string k;
          for (VarId v : sj.shared) k.append(reinterpret_cast<const char*>(&r[v]), sizeof(Id));
          return k;
        };
        if (!sj.built) {
          std::vector<Id> zero(ctx_.nvars, kAnyId), r(ctx_.nvars);
          sj.op->open(zero.data());
          while (sj.op->next(r.data())) sj.keys.insert(keyOf(r.data()));
          sj.built = true;
        }
        bool found = sj.keys.count(keyOf(row)) != 0;
        return boolTerm(e.kind == ExprKind::kExists ? found : !found);
      }
      std::vector<Id> tmp(ctx_.nvars);
      c.exists->open(row);
      bool found = c.exists->next(tmp.data());
      return boolTerm(e.kind == ExprKind::kExists ? found : !found);
    }
    case ExprKind::kFunctionCall: {
      std::vector<rdf::Term> args;
      args.reserve(c.args.size());
      for (const auto& a : c.args) {
        auto v = eval(a, row);
        if (!v) return std::nullopt;
        args.push_back(std::move(*v));
      }
      return callFunction(e.iri, args, ctx_.fn);
    }
    case ExprKind::kAggregate:
      return std::nullopt;  // aggregates are evaluated by the Group operator
    case ExprKind::kBuiltin:
      break;
  }
  // Built-ins.
  switch (e.builtin) {
    case Builtin::kBound:
      return boolTerm(c.args[0].e->kind == ExprKind::kVariable && row[c.args[0].e->var] != kAnyId);
    case Builtin::kIf: {
      auto cond = eval(c.args[0], row);
      if (!cond) return std::nullopt;
      auto b = effectiveBooleanValue(*cond);
      if (!b) return std::nullopt;
      return eval(c.args[*b ? 1 : 2], row);
    }
    case Builtin::kCoalesce:
      for (const auto& a : c.args) {
        auto v = eval(a, row);
        if (v) return v;
      }
      return std::nullopt;
    case Builtin::kBnode:
      if (!c.args.empty()) {
        auto v = eval(c.args[0], row);
        if (!v) return std::nullopt;
        // A simple literal or xsd:string (a language tag makes rdf:langString).
        if (v->kind != rdf::TermKind::kLiteral || v->datatype != rdf::kXsdString)
          return std::nullopt;
        for (const auto& [k, t] : bnode_map_)
          if (k == v->value) return t;
        rdf::Term t = rdf::Term::blank(ctx_.freshBlankLabel());
        bnode_map_.emplace_back(v->value, t);
        return t;
      }
      return rdf::Term::blank(ctx_.freshBlankLabel());
    default:
      break;
  }
  std::vector<rdf::Term> args;
  args.reserve(c.args.size());
  for (const auto& a : c.args) {
    auto v = eval(a, row);
    if (!v) return std::nullopt;
    args.push_back(std::move(*v));
  }
  return callBuiltin(e.builtin, args, ctx_.fn);
}

}  // namespace weft::sparql::internal
