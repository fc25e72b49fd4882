// SPDX-License-Identifier: Apache-2.0
// Printing the SPARQL algebra (algebra.h) as S-expressions in the style of the
// spec's examples (https://www.w3.org/TR/sparql11-query/#sparqlAlgebra) and
// Jena's SSE: (project (?x) (filter (= ?x 1) (bgp (triple ?x <p> ?y)))).
#include "engine/sparql/algebra.h"

#include <cctype>

namespace weft::sparql {
namespace {

bool allDigits(std::string_view s, size_t from) {
  if (from >= s.size()) return false;
  for (size_t i = from; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Numbers and booleans print bare when their lexical form is the plain one.
bool bareLiteral(const rdf::Term& t) {
  const std::string& dt = t.datatype;
  const std::string& v = t.value;
  if (dt.size() <= rdf::kXsd.size() || dt.compare(0, rdf::kXsd.size(), rdf::kXsd) != 0) return false;
  std::string_view local = std::string_view(dt).substr(rdf::kXsd.size());
  size_t start = (!v.empty() && (v[0] == '+' || v[0] == '-')) ? 1 : 0;
  if (local == "integer") return allDigits(v, start);
  if (local == "decimal") {
    size_t dot = v.find('.');
    if (dot == std::string::npos) return false;
    return (dot == start || allDigits(v.substr(0, dot), start)) && allDigits(v, dot + 1);
  }
  if (local == "boolean") return v == "true" || v == "false";
  return false;
}

void appendTerm(std::string& out, const rdf::Term& t) {
  if (t.kind == rdf::TermKind::kLiteral && bareLiteral(t)) {
    out += t.value;
  } else if (t.kind == rdf::TermKind::kNone) {
    out += "default";
  } else {
    rdf::appendNTriples(out, t.view());
  }
}

void appendVar(std::string& out, VarId v, const std::vector<std::string>& vars) {
  out += '?';
  if (v >= 0 && static_cast<size_t>(v) < vars.size()) out += vars[v];
  else out += "?" + std::to_string(v);
}

void appendTv(std::string& out, const TermOrVar& t, const std::vector<std::string>& vars) {
  if (t.isVar()) appendVar(out, t.var, vars);
  else appendTerm(out, t.term);
}

void appendPath(std::string& out, const Path& p) {
  auto list = [&](const char* name) {
    out += '(';
    out += name;
    for (const auto& s : p.sub) {
      out += ' ';
      appendPath(out, s);
    }
    out += ')';
  };
  switch (p.kind) {
    case PathKind::kLink: appendTerm(out, p.iri); break;
    case PathKind::kInverse: list("reverse"); break;
    case PathKind::kSequence: list("seq"); break;
    case PathKind::kAlternative: list("alt"); break;
    case PathKind::kZeroOrMore: list("path*"); break;
    case PathKind::kOneOrMore: list("path+"); break;
    case PathKind::kZeroOrOne: list("path?"); break;
    case PathKind::kNegated:
      out += "(notoneof";
      for (const auto& i : p.iris) {
        out += ' ';
        appendTerm(out, i);
      }
      for (const auto& i : p.inverse_iris) {
        out += " (reverse ";
        appendTerm(out, i);
        out += ')';
      }
      out += ')';
      break;
  }
}

void appendPattern(std::string& out, const Pattern& p, const std::vector<std::string>& vars);

const char* aggregateName(AggregateKind k) {
  switch (k) {
    case AggregateKind::kCount: return "count";
    case AggregateKind::kSum: return "sum";
    case AggregateKind::kMin: return "min";
    case AggregateKind::kMax: return "max";
    case AggregateKind::kAvg: return "avg";
    case AggregateKind::kSample: return "sample";
    case AggregateKind::kGroupConcat: return "group_concat";
  }
  return "?";
}

const char* opSymbol(ExprKind k) {
  switch (k) {
    case ExprKind::kOr: return "||";
    case ExprKind::kAnd: return "&&";
    case ExprKind::kNot: return "!";
    case ExprKind::kEqual: return "=";
    case ExprKind::kNotEqual: return "!=";
    case ExprKind::kLess: return "<";
    case ExprKind::kGreater: return ">";
    case ExprKind::kLessEqual: return "<=";
    case ExprKind::kGreaterEqual: return ">=";
    case ExprKind::kAdd: case ExprKind::kUnaryPlus: return "+";
    case ExprKind::kSubtract: case ExprKind::kUnaryMinus: return "-";
    case ExprKind::kMultiply: return "*";
    case ExprKind::kDivide: return "/";
    case ExprKind::kIn: return "in";
    case ExprKind::kNotIn: return "notin";
    default: return "?";
  }
}

void appendExpr(std::string& out, const Expr& e, const std::vector<std::string>& vars) {
  auto args = [&]() {
    for (const auto& a : e.args) {
      out += ' ';
      appendExpr(out, a, vars);
    }
    out += ')';
  };
  switch (e.kind) {
    case ExprKind::kConstant: appendTerm(out, e.constant); return;
    case ExprKind::kVariable: appendVar(out, e.var, vars); return;
    case ExprKind::kBuiltin: {
      out += '(';
      for (const char* c = builtinName(e.builtin); *c; ++c)
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
      args();
      return;
    }
    case ExprKind::kFunctionCall:
      out += "(<" + e.iri + ">";
      if (e.distinct) out += " distinct";
      args();
      return;
    case ExprKind::kExists:
    case ExprKind::kNotExists:
      out += e.kind == ExprKind::kExists ? "(exists " : "(notexists ";
      if (e.pattern) appendPattern(out, *e.pattern, vars);
      out += ')';
      return;
    case ExprKind::kAggregate:
      out += '(';
      out += aggregateName(e.aggregate);
      if (e.distinct) out += " distinct";
      if (e.aggregate == AggregateKind::kGroupConcat && e.separator != " ") {
        out += " (separator ";
        rdf::appendNTriples(out, rdf::TermView::literal(e.separator));
        out += ')';
      }
      args();
      return;
    default:
      out += '(';
      out += opSymbol(e.kind);
      args();
      return;
  }
}

void appendChildren(std::string& out, const Pattern& p, const std::vector<std::string>& vars) {
  for (const auto& c : p.children) {
    out += ' ';
    appendPattern(out, *c, vars);
  }
  out += ')';
}

void appendPattern(std::string& out, const Pattern& p, const std::vector<std::string>& vars) {
  switch (p.kind) {
    case PatternKind::kBgp:
      out += "(bgp";
      for (const auto& t : p.triples) {
        out += " (triple ";
        appendTv(out, t.s, vars);
        out += ' ';
        appendTv(out, t.p, vars);
        out += ' ';
        appendTv(out, t.o, vars);
        out += ')';
      }
      out += ')';
      return;
    case PatternKind::kPath:
      out += "(path ";
      appendTv(out, p.path_subject, vars);
      out += ' ';
      appendPath(out, p.path);
      out += ' ';
      appendTv(out, p.path_object, vars);
      out += ')';
      return;
    case PatternKind::kJoin: out += "(join"; appendChildren(out, p, vars); return;
    case PatternKind::kUnion: out += "(union"; appendChildren(out, p, vars); return;
    case PatternKind::kMinus: out += "(minus"; appendChildren(out, p, vars); return;
    case PatternKind::kLeftJoin:
      out += "(leftjoin";
      for (const auto& c : p.children) {
        out += ' ';
        appendPattern(out, *c, vars);
      }
      for (const auto& e : p.exprs) {
        out += ' ';
        appendExpr(out, e, vars);
      }
      out += ')';
      return;
    case PatternKind::kFilter:
      out += "(filter ";
      if (p.exprs.size() == 1) {
        appendExpr(out, p.exprs[0], vars);
      } else {
        out += "(exprlist";
        for (const auto& e : p.exprs) {
          out += ' ';
          appendExpr(out, e, vars);
        }
        out += ')';
      }
      appendChildren(out, p, vars);
      return;
    case PatternKind::kExtend:
      out += "(extend ((";
      appendVar(out, p.var, vars);
      out += ' ';
      if (!p.exprs.empty()) appendExpr(out, p.exprs[0], vars);
      out += "))";
      appendChildren(out, p, vars);
      return;
    case PatternKind::kGraph:
      out += "(graph ";
      appendTv(out, p.graph, vars);
      appendChildren(out, p, vars);
      return;
    case PatternKind::kService:
      out += p.silent ? "(service silent " : "(service ";
      appendTv(out, p.graph, vars);
      appendChildren(out, p, vars);
      return;
    case PatternKind::kValues:
      out += "(table (vars";
      for (VarId v : p.values_vars) {
        out += ' ';
        appendVar(out, v, vars);
      }
      out += ')';
      for (const auto& row : p.values_rows) {
        out += " (row";
        for (size_t i = 0; i < row.size() && i < p.values_vars.size(); ++i) {
          if (row[i].isNone()) continue;
          out += " [";
          appendVar(out, p.values_vars[i], vars);
          out += ' ';
          appendTerm(out, row[i]);
          out += ']';
        }
        out += ')';
      }
      out += ')';
      return;
    case PatternKind::kGroup:
      out += "(group (";
      for (size_t i = 0; i < p.group_exprs.size(); ++i) {
        if (i) out += ' ';
        const Expr& e = p.group_exprs[i];
        VarId v = i < p.group_vars.size() ? p.group_vars[i] : kNoVar;
        if (e.kind == ExprKind::kVariable && e.var == v) {
          appendVar(out, v, vars);
        } else {
          out += '(';
          appendVar(out, v, vars);
          out += ' ';
          appendExpr(out, e, vars);
          out += ')';
        }
      }
      out += ") (";
      for (size_t i = 0; i < p.aggregates.size(); ++i) {
        if (i) out += ' ';
        out += '(';
        appendVar(out, i < p.aggregate_vars.size() ? p.aggregate_vars[i] : kNoVar, vars);
        out += ' ';
        appendExpr(out, p.aggregates[i], vars);
        out += ')';
      }
      out += ')';
      appendChildren(out, p, vars);
      return;
    case PatternKind::kOrderBy:
      out += "(order (";
      for (size_t i = 0; i < p.order.size(); ++i) {
        if (i) out += ' ';
        if (p.order[i].descending) out += "(desc ";
        appendExpr(out, p.order[i].expr, vars);
        if (p.order[i].descending) out += ')';
      }
      out += ')';
      appendChildren(out, p, vars);
      return;
    case PatternKind::kProject:
      out += "(project (";
      for (size_t i = 0; i < p.project_vars.size(); ++i) {
        if (i) out += ' ';
        appendVar(out, p.project_vars[i], vars);
      }
      out += ')';
      appendChildren(out, p, vars);
      return;
    case PatternKind::kDistinct: out += "(distinct"; appendChildren(out, p, vars); return;
    case PatternKind::kReduced: out += "(reduced"; appendChildren(out, p, vars); return;
    case PatternKind::kSlice:
      out += "(slice ";
      out += p.offset > 0 ? std::to_string(p.offset) : "_";
      out += ' ';
      out += p.limit >= 0 ? std::to_string(p.limit) : "_";
      appendChildren(out, p, vars);
      return;
  }
}

}  // namespace

const char* builtinName(Builtin b) {
  switch (b) {
    case Builtin::kStr: return "STR";
    case Builtin::kLang: return "LANG";
    case Builtin::kLangMatches: return "langMatches";
    case Builtin::kDatatype: return "DATATYPE";
    case Builtin::kBound: return "BOUND";
    case Builtin::kIri: return "IRI";
    case Builtin::kBnode: return "BNODE";
    case Builtin::kRand: return "RAND";
    case Builtin::kAbs: return "ABS";
    case Builtin::kCeil: return "CEIL";
    case Builtin::kFloor: return "FLOOR";
    case Builtin::kRound: return "ROUND";
    case Builtin::kConcat: return "CONCAT";
    case Builtin::kSubstr: return "SUBSTR";
    case Builtin::kStrlen: return "STRLEN";
    case Builtin::kReplace: return "REPLACE";
    case Builtin::kUcase: return "UCASE";
    case Builtin::kLcase: return "LCASE";
    case Builtin::kEncodeForUri: return "ENCODE_FOR_URI";
    case Builtin::kContains: return "CONTAINS";
    case Builtin::kStrStarts: return "STRSTARTS";
    case Builtin::kStrEnds: return "STRENDS";
    case Builtin::kStrBefore: return "STRBEFORE";
    case Builtin::kStrAfter: return "STRAFTER";
    case Builtin::kYear: return "YEAR";
    case Builtin::kMonth: return "MONTH";
    case Builtin::kDay: return "DAY";
    case Builtin::kHours: return "HOURS";
    case Builtin::kMinutes: return "MINUTES";
    case Builtin::kSeconds: return "SECONDS";
    case Builtin::kTimezone: return "TIMEZONE";
    case Builtin::kTz: return "TZ";
    case Builtin::kNow: return "NOW";
    case Builtin::kUuid: return "UUID";
    case Builtin::kStrUuid: return "STRUUID";
    case Builtin::kMd5: return "MD5";
    case Builtin::kSha1: return "SHA1";
    case Builtin::kSha256: return "SHA256";
    case Builtin::kSha384: return "SHA384";
    case Builtin::kSha512: return "SHA512";
    case Builtin::kCoalesce: return "COALESCE";
    case Builtin::kIf: return "IF";
    case Builtin::kStrLang: return "STRLANG";
    case Builtin::kStrDt: return "STRDT";
    case Builtin::kSameTerm: return "sameTerm";
    case Builtin::kIsIri: return "isIRI";
    case Builtin::kIsBlank: return "isBLANK";
    case Builtin::kIsLiteral: return "isLITERAL";
    case Builtin::kIsNumeric: return "isNUMERIC";
    case Builtin::kRegex: return "REGEX";
  }
  return "?";
}

std::string toSse(const Query& q) {
  if (!q.pattern) return "(bgp)";
  return toSse(*q.pattern, q.vars);
}

std::string toSse(const Pattern& p, const std::vector<std::string>& vars) {
  std::string out;
  appendPattern(out, p, vars);
  return out;
}

std::string toSse(const Expr& e, const std::vector<std::string>& vars) {
  std::string out;
  appendExpr(out, e, vars);
  return out;
}

}  // namespace weft::sparql
