// SPDX-License-Identifier: Apache-2.0
// The SPARQL 1.1 algebra (https://www.w3.org/TR/sparql11-query/#sparqlAlgebra):
// what the parser produces (parser.h) and the planner consumes (planner.h).
//
// The parser has already done the translation of section 18.2: group graph
// patterns are Join / LeftJoin / Filter / Extend trees, FILTERs are applied
// at the end of their group, simple property paths are expanded into triple
// patterns, aggregates are replaced by variables bound by a Group node, and
// solution modifiers are nodes (OrderBy, Project, Distinct, Reduced, Slice)
// on top of the WHERE pattern.
//
// Variables are numbered per query (Query::vars). Blank nodes in patterns
// become variables whose names start with kHiddenVarPrefix; so do variables
// the translation introduces (path intermediates, aggregate results) and the
// non-projected variables of a sub-query (renamed apart so they cannot join
// with outer ones). SELECT * never projects hidden variables.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/rdf/term.h"

namespace weft::sparql {

using VarId = int32_t;
inline constexpr VarId kNoVar = -1;
// Names of variables the user cannot write or see start with this, followed
// by '#' or ':', which no SPARQL variable name (VARNAME) contains: `?_x` is a
// user's variable and SELECT * projects it.
inline constexpr char kHiddenVarPrefix = '_';
inline bool isHiddenVarName(const std::string& name) {
  return name.size() > 1 && name[0] == kHiddenVarPrefix && (name[1] == '#' || name[1] == ':');
}

// A position in a triple or quad pattern: a variable or a constant term.
// In patterns, `term` is never a blank node (those became hidden variables);
// in CONSTRUCT and INSERT templates it may be (a fresh node per solution).
struct TermOrVar {
  VarId var = kNoVar;  // >= 0: a variable
  rdf::Term term;      // otherwise; kind kNone = "default graph" in a quad graph slot
  bool isVar() const { return var >= 0; }
  static TermOrVar variable(VarId v) { TermOrVar t; t.var = v; return t; }
  static TermOrVar constant(rdf::Term term) { TermOrVar t; t.term = std::move(term); return t; }
};

struct TriplePattern {
  TermOrVar s, p, o;
};

// A quad in an update template or a CONSTRUCT template (g.term kNone and not a
// variable: the default graph / the constructed graph).
struct QuadPattern {
  TermOrVar s, p, o, g;
};

// ---- property paths (section 9, 18.2.2.4) ----
enum class PathKind : uint8_t {
  kLink,        // iri
  kInverse,     // ^sub[0]
  kSequence,    // sub[0] / sub[1] / ...
  kAlternative, // sub[0] | sub[1] | ...
  kZeroOrMore,  // sub[0]*
  kOneOrMore,   // sub[0]+
  kZeroOrOne,   // sub[0]?
  kNegated,     // !(iri | ^iri ...): `iris` forward, `inverse_iris` backward
};

struct Path {
  PathKind kind = PathKind::kLink;
  rdf::Term iri;                       // kLink
  std::vector<Path> sub;               // kInverse, kSequence, kAlternative, k*More, kZeroOrOne
  std::vector<rdf::Term> iris;         // kNegated: forward negated IRIs
  std::vector<rdf::Term> inverse_iris; // kNegated: ^iri members
};

// ---- expressions (section 17) ----
enum class ExprKind : uint8_t {
  kConstant,   // `constant`
  kVariable,   // `var`
  kOr, kAnd, kNot,
  kEqual, kNotEqual, kLess, kGreater, kLessEqual, kGreaterEqual,
  kAdd, kSubtract, kMultiply, kDivide,
  kUnaryMinus, kUnaryPlus,
  kIn, kNotIn,       // args[0] IN (args[1..])
  kBuiltin,          // `builtin`(args)
  kFunctionCall,     // `iri`(args): XSD constructor casts, or unknown (error)
  kExists, kNotExists,  // `pattern`
  kAggregate,        // only inside Group::aggregates
};

// Built-in calls of section 17.4 (and the grammar's BuiltInCall).
enum class Builtin : uint8_t {
  kStr, kLang, kLangMatches, kDatatype, kBound, kIri, kBnode, kRand, kAbs, kCeil, kFloor,
  kRound, kConcat, kSubstr, kStrlen, kReplace, kUcase, kLcase, kEncodeForUri, kContains,
  kStrStarts, kStrEnds, kStrBefore, kStrAfter, kYear, kMonth, kDay, kHours, kMinutes,
  kSeconds, kTimezone, kTz, kNow, kUuid, kStrUuid, kMd5, kSha1, kSha256, kSha384, kSha512,
  kCoalesce, kIf, kStrLang, kStrDt, kSameTerm, kIsIri, kIsBlank, kIsLiteral, kIsNumeric,
  kRegex,
};
const char* builtinName(Builtin b);

enum class AggregateKind : uint8_t { kCount, kSum, kMin, kMax, kAvg, kSample, kGroupConcat };

struct Pattern;

struct Expr {
  ExprKind kind = ExprKind::kConstant;
  rdf::Term constant;                 // kConstant
  VarId var = kNoVar;                 // kVariable
  Builtin builtin = Builtin::kStr;    // kBuiltin
  std::string iri;                    // kFunctionCall
  std::vector<Expr> args;             // operands / arguments (kAggregate: 0 or 1)
  std::shared_ptr<Pattern> pattern;   // kExists, kNotExists
  // kAggregate
  AggregateKind aggregate = AggregateKind::kCount;
  bool distinct = false;
  bool star = false;                  // COUNT(*)
  std::string separator = " ";        // GROUP_CONCAT
};

// ---- graph patterns and solution modifiers (section 18.2) ----
enum class PatternKind : uint8_t {
  kBgp,        // triples (possibly empty = the one empty solution)
  kPath,       // path_subject path path_object (a non-trivial path)
  kJoin,       // children[0] ⋈ children[1]
  kLeftJoin,   // OPTIONAL: children[0] ⟕ children[1], with `exprs` (0 or 1) as the filter
  kUnion,      // children[0] ∪ children[1]
  kMinus,      // children[0] − children[1]
  kFilter,     // children[0] filtered by every expression of `exprs` (conjunction)
  kExtend,     // BIND: children[0] extended with `var` := exprs[0]
  kGraph,      // GRAPH graph { children[0] }
  kValues,     // inline data: `values_vars` × `values_rows`
  kService,    // SERVICE [SILENT] graph { children[0] }; `service_text` is the group's source
  kGroup,      // GROUP BY: children[0], keys `group_exprs`/`group_vars`, then `aggregates`
  kOrderBy,    // children[0] ordered by `order`
  kProject,    // children[0] restricted to `project_vars`
  kDistinct,
  kReduced,
  kSlice,      // OFFSET `offset` LIMIT `limit` (-1 = none)
};

struct OrderKey {
  Expr expr;
  bool descending = false;
};

struct Pattern {
  PatternKind kind = PatternKind::kBgp;
  std::vector<std::shared_ptr<Pattern>> children;
  std::vector<TriplePattern> triples;  // kBgp
  TermOrVar path_subject, path_object; // kPath
  Path path;                           // kPath
  std::vector<Expr> exprs;             // kFilter, kLeftJoin, kExtend
  VarId var = kNoVar;                  // kExtend
  TermOrVar graph;                     // kGraph, kService (IRI or variable)
  bool silent = false;                 // kService
  std::string service_text;            // kService: the inner group as written, with PREFIX/BASE prologue
  std::vector<VarId> values_vars;      // kValues
  std::vector<std::vector<rdf::Term>> values_rows;  // kValues: kNone = UNDEF
  // kGroup: one key per GROUP BY condition; group_vars[i] is the variable the
  // key is bound to in the output (the variable itself for GROUP BY ?x, the AS
  // variable, or a hidden one), aggregates bind aggregate_vars[i].
  std::vector<Expr> group_exprs;
  std::vector<VarId> group_vars;
  std::vector<Expr> aggregates;        // each kind kAggregate
  std::vector<VarId> aggregate_vars;
  std::vector<OrderKey> order;         // kOrderBy
  std::vector<VarId> project_vars;     // kProject
  int64_t offset = 0, limit = -1;      // kSlice
};
using PatternPtr = std::shared_ptr<Pattern>;

enum class QueryForm : uint8_t { kSelect, kConstruct, kAsk, kDescribe };

struct Query {
  QueryForm form = QueryForm::kSelect;
  std::vector<std::string> vars;       // VarId -> name (without '?')
  // The whole algebra: for SELECT it ends in Project (and Distinct/Slice...);
  // for the other forms, the WHERE pattern with its modifiers.
  PatternPtr pattern;
  std::vector<VarId> select_vars;      // SELECT: the projected variables in order
  // SELECT ?x ?x: legal SPARQL (projected once); consumers that name result
  // columns by variable (RML SPARQL sources) reject it.
  bool select_repeats_var = false;
  std::vector<QuadPattern> construct_template;  // CONSTRUCT (g unused)
  std::vector<TermOrVar> describe;     // DESCRIBE targets (DESCRIBE * = all visible vars)
  // Dataset clauses: FROM (default graph = merge) and FROM NAMED.
  std::vector<rdf::Term> from, from_named;
  bool has_dataset_clause = false;
  std::string base;
  std::vector<std::pair<std::string, std::string>> prefixes;  // as declared, for output
};

// ---- SPARQL 1.1 Update (https://www.w3.org/TR/sparql11-update/) ----
enum class UpdateKind : uint8_t {
  kInsertData, kDeleteData, kDeleteWhere, kModify,  // Modify = [WITH] DELETE/INSERT ... WHERE
  kLoad, kClear, kCreate, kDrop, kAdd, kMove, kCopy,
};

// Graph targets of CLEAR / DROP / ADD / MOVE / COPY / LOAD INTO.
enum class GraphTarget : uint8_t { kDefault, kNamed, kAll, kGraph };

struct UpdateOp {
  UpdateKind kind = UpdateKind::kInsertData;
  bool silent = false;
  // kInsertData / kDeleteData: ground quads (INSERT DATA may have blank nodes).
  // kDeleteWhere: delete_template is also the pattern. kModify: both.
  std::vector<QuadPattern> delete_template, insert_template;
  PatternPtr where;                    // kModify (kDeleteWhere: built by the parser too)
  rdf::Term with;                      // kModify: WITH iri (kNone if absent)
  std::vector<rdf::Term> using_graphs, using_named;  // kModify: USING / USING NAMED
  bool has_using = false;
  // kLoad: source IRI in `source`, optional destination graph in `target_iri`.
  // kClear / kDrop / kCreate: `target` (+ `target_iri` when kGraph).
  // kAdd / kMove / kCopy: from `source_target`/`source`, to `target`/`target_iri`
  // (kDefault or kGraph each).
  rdf::Term source;
  GraphTarget source_target = GraphTarget::kDefault;
  GraphTarget target = GraphTarget::kDefault;
  rdf::Term target_iri;
};

struct Update {
  std::vector<std::string> vars;       // shared by all operations
  std::vector<UpdateOp> ops;
  std::string base;
};

// A readable S-expression of the algebra, as in the spec's examples
// ("(project (?x) (bgp (triple ?x <p> ?y)))"); for tests and --explain.
std::string toSse(const Query& q);
std::string toSse(const Pattern& p, const std::vector<std::string>& vars);
std::string toSse(const Expr& e, const std::vector<std::string>& vars);

}  // namespace weft::sparql
