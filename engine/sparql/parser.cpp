// SPDX-License-Identifier: Apache-2.0
// SPARQL 1.1 Query and Update parser: a recursive-descent parser for the
// grammar of https://www.w3.org/TR/sparql11-query/#sparqlGrammar (section 19)
// and https://www.w3.org/TR/sparql11-update/#grammar, translating directly
// into the algebra of algebra.h as section 18.2 describes: group graph
// patterns (18.2.2.6), property paths (18.2.2.4), aggregates (18.2.4.1),
// projection and the solution modifiers (18.2.5). Semantic restrictions of
// 19.8 (grammar notes) and 18.2.1 (variable scope) are checked here too.
#include "engine/sparql/parser.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/core/ascii.h"
#include "engine/rdf/iri.h"
#include "engine/sparql/internal/lexer.h"

namespace weft::sparql {
namespace {

using internal::Token;
using internal::TokKind;

constexpr const char* kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr const char* kXsdDecimal = "http://www.w3.org/2001/XMLSchema#decimal";
constexpr const char* kXsdDouble = "http://www.w3.org/2001/XMLSchema#double";
constexpr const char* kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr const char* kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr const char* kRdfFirst = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
constexpr const char* kRdfRest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
constexpr const char* kRdfNil = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";

PatternPtr mk(PatternKind k) {
  auto p = std::make_shared<Pattern>();
  p->kind = k;
  return p;
}

bool isEmptyBgp(const PatternPtr& p) {
  return p && p->kind == PatternKind::kBgp && p->triples.empty();
}

// Join with the simplification of 18.2.2.8 (the empty BGP is the identity).
PatternPtr join(PatternPtr a, PatternPtr b) {
  if (!a || isEmptyBgp(a)) return b ? b : mk(PatternKind::kBgp);
  if (!b || isEmptyBgp(b)) return a;
  auto j = mk(PatternKind::kJoin);
  j->children = {std::move(a), std::move(b)};
  return j;
}

void addVar(const TermOrVar& t, std::set<VarId>& out) {
  if (t.isVar()) out.insert(t.var);
}

// In-scope variables of section 18.2.1.
void inScope(const Pattern& p, std::set<VarId>& out) {
  switch (p.kind) {
    case PatternKind::kBgp:
      for (const auto& t : p.triples) {
        addVar(t.s, out);
        addVar(t.p, out);
        addVar(t.o, out);
      }
      break;
    case PatternKind::kPath:
      addVar(p.path_subject, out);
      addVar(p.path_object, out);
      break;
    case PatternKind::kMinus:
      inScope(*p.children[0], out);
      break;
    case PatternKind::kExtend:
      inScope(*p.children[0], out);
      out.insert(p.var);
      break;
    case PatternKind::kGraph:
    case PatternKind::kService:
      addVar(p.graph, out);
      inScope(*p.children[0], out);
      break;
    case PatternKind::kValues:
      out.insert(p.values_vars.begin(), p.values_vars.end());
      break;
    case PatternKind::kGroup:
      out.insert(p.group_vars.begin(), p.group_vars.end());
      out.insert(p.aggregate_vars.begin(), p.aggregate_vars.end());
      break;
    case PatternKind::kProject:
      out.insert(p.project_vars.begin(), p.project_vars.end());
      break;
    default:
      for (const auto& c : p.children) inScope(*c, out);
      break;
  }
}

// Rewrites every variable of a pattern / expression through `f`.
void mapVars(Pattern& p, const std::function<VarId(VarId)>& f);
void mapVars(TermOrVar& t, const std::function<VarId(VarId)>& f) {
  if (t.isVar()) t.var = f(t.var);
}
void mapVars(Expr& e, const std::function<VarId(VarId)>& f) {
  if (e.kind == ExprKind::kVariable) e.var = f(e.var);
  for (auto& a : e.args) mapVars(a, f);
  if (e.pattern) mapVars(*e.pattern, f);
}
void mapVars(Pattern& p, const std::function<VarId(VarId)>& f) {
  for (auto& t : p.triples) {
    mapVars(t.s, f);
    mapVars(t.p, f);
    mapVars(t.o, f);
  }
  mapVars(p.path_subject, f);
  mapVars(p.path_object, f);
  for (auto& e : p.exprs) mapVars(e, f);
  if (p.var >= 0) p.var = f(p.var);
  mapVars(p.graph, f);
  for (auto& v : p.values_vars) v = f(v);
  for (auto& e : p.group_exprs) mapVars(e, f);
  for (auto& v : p.group_vars) v = f(v);
  for (auto& e : p.aggregates) mapVars(e, f);
  for (auto& v : p.aggregate_vars) v = f(v);
  for (auto& k : p.order) mapVars(k.expr, f);
  for (auto& v : p.project_vars) v = f(v);
  for (auto& c : p.children) mapVars(*c, f);
}

// Variables of an expression outside EXISTS patterns.
void exprVars(const Expr& e, std::vector<VarId>& out) {
  if (e.kind == ExprKind::kVariable) out.push_back(e.var);
  if (e.kind == ExprKind::kExists || e.kind == ExprKind::kNotExists) return;
  for (const auto& a : e.args) exprVars(a, out);
}

struct BuiltinSpec {
  const char* name;  // upper case keyword
  Builtin b;
  int min_args, max_args;  // max -1 = any number
};
const BuiltinSpec kBuiltins[] = {
    {"STR", Builtin::kStr, 1, 1},           {"LANG", Builtin::kLang, 1, 1},
    {"LANGMATCHES", Builtin::kLangMatches, 2, 2},
    {"DATATYPE", Builtin::kDatatype, 1, 1}, {"BOUND", Builtin::kBound, 1, 1},
    {"IRI", Builtin::kIri, 1, 1},           {"URI", Builtin::kIri, 1, 1},
    {"BNODE", Builtin::kBnode, 0, 1},       {"RAND", Builtin::kRand, 0, 0},
    {"ABS", Builtin::kAbs, 1, 1},           {"CEIL", Builtin::kCeil, 1, 1},
    {"FLOOR", Builtin::kFloor, 1, 1},       {"ROUND", Builtin::kRound, 1, 1},
    {"CONCAT", Builtin::kConcat, 0, -1},    {"SUBSTR", Builtin::kSubstr, 2, 3},
    {"STRLEN", Builtin::kStrlen, 1, 1},     {"REPLACE", Builtin::kReplace, 3, 4},
    {"UCASE", Builtin::kUcase, 1, 1},       {"LCASE", Builtin::kLcase, 1, 1},
    {"ENCODE_FOR_URI", Builtin::kEncodeForUri, 1, 1},
    {"CONTAINS", Builtin::kContains, 2, 2}, {"STRSTARTS", Builtin::kStrStarts, 2, 2},
    {"STRENDS", Builtin::kStrEnds, 2, 2},   {"STRBEFORE", Builtin::kStrBefore, 2, 2},
    {"STRAFTER", Builtin::kStrAfter, 2, 2}, {"YEAR", Builtin::kYear, 1, 1},
    {"MONTH", Builtin::kMonth, 1, 1},       {"DAY", Builtin::kDay, 1, 1},
    {"HOURS", Builtin::kHours, 1, 1},       {"MINUTES", Builtin::kMinutes, 1, 1},
    {"SECONDS", Builtin::kSeconds, 1, 1},   {"TIMEZONE", Builtin::kTimezone, 1, 1},
    {"TZ", Builtin::kTz, 1, 1},             {"NOW", Builtin::kNow, 0, 0},
    {"UUID", Builtin::kUuid, 0, 0},         {"STRUUID", Builtin::kStrUuid, 0, 0},
    {"MD5", Builtin::kMd5, 1, 1},           {"SHA1", Builtin::kSha1, 1, 1},
    {"SHA256", Builtin::kSha256, 1, 1},     {"SHA384", Builtin::kSha384, 1, 1},
    {"SHA512", Builtin::kSha512, 1, 1},     {"COALESCE", Builtin::kCoalesce, 0, -1},
    {"IF", Builtin::kIf, 3, 3},             {"STRLANG", Builtin::kStrLang, 2, 2},
    {"STRDT", Builtin::kStrDt, 2, 2},       {"SAMETERM", Builtin::kSameTerm, 2, 2},
    {"ISIRI", Builtin::kIsIri, 1, 1},       {"ISURI", Builtin::kIsIri, 1, 1},
    {"ISBLANK", Builtin::kIsBlank, 1, 1},   {"ISLITERAL", Builtin::kIsLiteral, 1, 1},
    {"ISNUMERIC", Builtin::kIsNumeric, 1, 1}, {"REGEX", Builtin::kRegex, 2, 3},
};

const BuiltinSpec* findBuiltin(const std::string& up) {
  for (const auto& b : kBuiltins)
    if (up == b.name) return &b;
  return nullptr;
}

bool aggregateKind(const std::string& up, AggregateKind* k) {
  static const std::pair<const char*, AggregateKind> kAggs[] = {
      {"COUNT", AggregateKind::kCount}, {"SUM", AggregateKind::kSum},
      {"MIN", AggregateKind::kMin},     {"MAX", AggregateKind::kMax},
      {"AVG", AggregateKind::kAvg},     {"SAMPLE", AggregateKind::kSample},
      {"GROUP_CONCAT", AggregateKind::kGroupConcat}};
  for (const auto& a : kAggs)
    if (up == a.first) {
      *k = a.second;
      return true;
    }
  return false;
}

// One triple pattern or one (non-trivial) path pattern of a triples block.
struct Elem {
  TermOrVar s, p, o;
  bool is_path = false;
  Path path;
};

// Aggregates of one SELECT (or ASK / CONSTRUCT / DESCRIBE) level.
struct AggCtx {
  std::vector<Expr> aggs;
  std::vector<VarId> vars;
};

struct SelectClause {
  bool distinct = false, reduced = false, star = false;
  struct Item {
    VarId var = kNoVar;
    bool has_expr = false;
    Expr expr;
    size_t tok = 0;  // byte offset of the item, for messages
  };
  std::vector<Item> items;
};

struct Modifiers {
  bool has_group = false;
  std::vector<Expr> group_exprs;
  std::vector<VarId> group_vars;
  std::vector<Expr> having;
  std::vector<OrderKey> order;
  int64_t limit = -1, offset = 0;
  PatternPtr values;  // trailing VALUES
};

// How the triples parser treats blank nodes and variables.
struct TriplesMode {
  bool paths = true;          // property paths allowed (WHERE patterns)
  bool template_mode = false; // blank nodes stay terms (CONSTRUCT / INSERT / DATA)
  bool allow_vars = true;
  bool allow_bnodes = true;
  const char* what = "";      // for messages: "INSERT DATA", ...
  bool request_scoped_labels = false;  // INSERT DATA: labels unique per operation
};

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& opts)
      : max_depth_(opts.max_depth > 0 ? opts.max_depth : 256), base_(opts.base_iri) {
    text_ = internal::decodeCodepointEscapes(text);
    cur_ = internal::nextToken(text_, &lex_pos_);
  }

  const Status& status() const { return err_; }

  bool parseQuery(Query& q) {
    if (!parsePrologue()) return false;
    PatternPtr pat;
    if (isWord("SELECT")) {
      q.form = QueryForm::kSelect;
      if (!parseSelect(false, &q, pat, q.select_vars)) return false;
      q.select_repeats_var = repeated_select_var_;
    } else if (isWord("CONSTRUCT")) {
      q.form = QueryForm::kConstruct;
      if (!parseConstruct(q, pat)) return false;
    } else if (isWord("DESCRIBE")) {
      q.form = QueryForm::kDescribe;
      if (!parseDescribe(q, pat)) return false;
    } else if (isWord("ASK")) {
      q.form = QueryForm::kAsk;
      advance();
      if (!parseDatasetClauses(q)) return false;
      AggCtx ctx;
      if (!parseWhereAndModifiers(pat, nullptr, ctx, nullptr)) return false;
    } else {
      return fail("SELECT, CONSTRUCT, DESCRIBE or ASK");
    }
    if (tok().kind != TokKind::kEof) return fail("end of query");
    q.pattern = pat;
    q.vars = vars_;
    q.base = base_;
    q.prefixes = prefix_list_;
    return true;
  }

  bool parseUpdate(Update& u) {
    for (;;) {
      if (!parsePrologue()) return false;
      if (tok().kind == TokKind::kEof) break;
      UpdateOp op;
      ++op_index_;
      if (!parseUpdateOp(op)) return false;
      u.ops.push_back(std::move(op));
      if (!acceptPunct(";")) break;
    }
    if (tok().kind != TokKind::kEof) return fail("';' or end of update");
    u.vars = vars_;
    u.base = base_;
    return true;
  }

 private:
  // ---------------------------------------------------------------- tokens
  // Tokens are read lazily with one token of lookahead.
  const Token& tok() const { return cur_; }
  const Token& peek() const {
    if (!has_la_) {
      la_ = cur_.kind == TokKind::kEof || cur_.kind == TokKind::kError
                ? cur_
                : internal::nextToken(text_, &lex_pos_);
      has_la_ = true;
    }
    return la_;
  }
  void advance() {
    if (cur_.kind == TokKind::kEof || cur_.kind == TokKind::kError) return;
    prev_end_ = cur_.end;
    if (has_la_) {
      cur_ = std::move(la_);
      has_la_ = false;
    } else {
      cur_ = internal::nextToken(text_, &lex_pos_);
    }
  }
  static bool wordIs(const Token& t, const char* kw) {
    if (t.kind != TokKind::kWord || t.value.size() != std::char_traits<char>::length(kw)) return false;
    for (size_t i = 0; i < t.value.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(t.value[i])) != kw[i]) return false;
    return true;
  }
  bool isWord(const char* kw) const { return wordIs(tok(), kw); }
  bool isPunct(const char* p) const { return tok().kind == TokKind::kPunct && tok().value == p; }
  static bool punctIs(const Token& t, const char* p) { return t.kind == TokKind::kPunct && t.value == p; }
  bool acceptWord(const char* kw) {
    if (!isWord(kw)) return false;
    advance();
    return true;
  }
  bool acceptPunct(const char* p) {
    if (!isPunct(p)) return false;
    advance();
    return true;
  }
  bool expectWord(const char* kw) { return acceptWord(kw) || fail(std::string("'") + kw + "'"); }
  bool expectPunct(const char* p) { return acceptPunct(p) || fail(std::string("'") + p + "'"); }

  std::string where(size_t offset) const {
    int line, col;
    internal::lineColumn(text_, offset, &line, &col);
    return std::to_string(line) + ":" + std::to_string(col) + ": ";
  }
  std::string describe(const Token& t) const {
    if (t.kind == TokKind::kEof) return "end of input";
    std::string s = text_.substr(t.begin, t.end - t.begin);
    if (s.size() > 40) s = s.substr(0, 40) + "...";
    return "'" + s + "'";
  }
  // "line:col: unexpected <token>, expected <what>"
  bool fail(const std::string& expected) {
    if (!err_.isOk()) return false;
    const Token& t = tok();
    if (t.kind == TokKind::kError) {
      err_ = Status::syntaxError(where(t.begin) + t.value);
    } else {
      err_ = Status::syntaxError(where(t.begin) + "unexpected " + describe(t) + ", expected " +
                                 expected);
    }
    return false;
  }
  bool failAt(size_t offset, const std::string& msg) {
    if (err_.isOk()) err_ = Status::syntaxError(where(offset) + msg);
    return false;
  }

  bool enter() {
    if (++depth_ > max_depth_) {
      return failAt(tok().begin, "nesting deeper than " + std::to_string(max_depth_) + " levels");
    }
    return true;
  }
  void leave() { --depth_; }
  struct DepthGuard {
    Parser* p;
    bool ok;
    explicit DepthGuard(Parser* pp) : p(pp), ok(pp->enter()) {}
    ~DepthGuard() { p->leave(); }
  };
  // Long left-deep chains (a || b || ..., UNION, group elements) deepen the
  // algebra tree too: their lengths along the current nesting path, plus the
  // nesting depth, stay under 16 * max_depth, so walking the tree recursively
  // is always safe.
  struct Chain {
    Parser* p;
    size_t n = 0;
    explicit Chain(Parser* pp) : p(pp) {}
    ~Chain() { p->chain_total_ -= n; }
    bool bump() {
      ++n;
      ++p->chain_total_;
      size_t limit = static_cast<size_t>(p->max_depth_) * 16;
      if (p->chain_total_ + static_cast<size_t>(p->depth_) > limit)
        return p->failAt(p->tok().begin, "query too deeply nested or too long (more than " +
                                             std::to_string(limit) + " chained elements)");
      return true;
    }
  };

  // ---------------------------------------------------------------- variables
  VarId userVar(const std::string& name) {
    auto it = var_ids_.find(name);
    if (it != var_ids_.end()) return it->second;
    VarId id = static_cast<VarId>(vars_.size());
    vars_.push_back(name);
    var_ids_.emplace(name, id);
    return id;
  }
  VarId hiddenVar(const std::string& stem) {
    VarId id = static_cast<VarId>(vars_.size());
    vars_.push_back(std::string(1, kHiddenVarPrefix) + "#" + stem + std::to_string(++hidden_counter_));
    return id;
  }
  bool isHidden(VarId v) const { return isHiddenVarName(vars_[v]); }

  // ---------------------------------------------------------------- prologue and IRIs
  bool parsePrologue() {
    for (;;) {
      if (acceptWord("BASE")) {
        if (tok().kind != TokKind::kIri) return fail("an IRI after BASE");
        base_ = resolve(tok().value);
        advance();
      } else if (acceptWord("PREFIX")) {
        if (tok().kind != TokKind::kPName || !tok().value.empty()) return fail("a prefix name ending in ':'");
        std::string name = tok().prefix;
        advance();
        if (tok().kind != TokKind::kIri) return fail("an IRI");
        std::string iri = resolve(tok().value);
        advance();
        prefixes_[name] = iri;
        prefix_list_.emplace_back(name, iri);
      } else {
        return true;
      }
    }
  }
  std::string resolve(const std::string& iri) const {
    if (base_.empty() || rdf::hasIriScheme(iri)) return iri;
    return rdf::resolveIri(iri, base_);
  }
  bool atIri() const { return tok().kind == TokKind::kIri || tok().kind == TokKind::kPName; }
  // iri ::= IRIREF | PrefixedName
  bool parseIri(std::string& out) {
    const Token& t = tok();
    if (t.kind == TokKind::kIri) {
      out = resolve(t.value);
      advance();
      return true;
    }
    if (t.kind == TokKind::kPName) {
      auto it = prefixes_.find(t.prefix);
      if (it == prefixes_.end()) return failAt(t.begin, "unknown prefix '" + t.prefix + ":'");
      out = it->second + t.value;
      advance();
      return true;
    }
    return fail("an IRI");
  }

  // ---------------------------------------------------------------- literals
  bool atNumber() const {
    TokKind k = tok().kind;
    if (k == TokKind::kInteger || k == TokKind::kDecimal || k == TokKind::kDouble) return true;
    return (isPunct("+") || isPunct("-")) && tok().sign_of_number;
  }
  bool parseNumber(rdf::Term& out) {
    std::string sign;
    if (tok().kind == TokKind::kPunct) {
      sign = tok().value;
      advance();
    }
    const Token& t = tok();
    const char* dt = t.kind == TokKind::kInteger ? kXsdInteger
                     : t.kind == TokKind::kDecimal ? kXsdDecimal
                     : t.kind == TokKind::kDouble  ? kXsdDouble
                                                   : nullptr;
    if (!dt) return fail("a number");
    out = rdf::Term::literal(sign + t.value, dt);
    advance();
    return true;
  }
  // RDFLiteral ::= String ( LANGTAG | ( '^^' iri ) )?
  bool parseRdfLiteral(rdf::Term& out) {
    std::string lex = tok().value;
    advance();
    if (tok().kind == TokKind::kLangTag) {
      out = rdf::Term::literal(lex, rdf::kRdfLangString, tok().value);
      advance();
      return true;
    }
    if (acceptPunct("^^")) {
      std::string dt;
      if (!parseIri(dt)) return false;
      out = rdf::Term::literal(lex, dt);
      return true;
    }
    out = rdf::Term::literal(lex);
    return true;
  }
  bool atBoolean() const { return isWord("TRUE") || isWord("FALSE"); }
  void parseBoolean(rdf::Term& out) {
    out = rdf::Term::literal(isWord("TRUE") ? "true" : "false", kXsdBoolean);
    advance();
  }
  // A constant that can appear in VALUES: iri | RDFLiteral | NumericLiteral | BooleanLiteral
  bool atDataValue() const {
    return atIri() || tok().kind == TokKind::kString || atNumber() || atBoolean();
  }
  bool parseDataValue(rdf::Term& out) {
    if (atIri()) {
      std::string iri;
      if (!parseIri(iri)) return false;
      out = rdf::Term::iri(iri);
      return true;
    }
    if (tok().kind == TokKind::kString) return parseRdfLiteral(out);
    if (atNumber()) return parseNumber(out);
    if (atBoolean()) {
      parseBoolean(out);
      return true;
    }
    return fail("an IRI, a literal or UNDEF");
  }

  // ---------------------------------------------------------------- graph terms
  bool atVar() const { return tok().kind == TokKind::kVar; }
  VarId takeVar() {
    VarId v = userVar(tok().value);
    advance();
    return v;
  }
  bool parseVar(VarId& v) {
    if (!atVar()) return fail("a variable");
    v = takeVar();
    return true;
  }

  bool blankNode(const Token* label, size_t at, TermOrVar& out) {
    if (mode_.template_mode) {
      if (!mode_.allow_bnodes) return failAt(at, std::string("blank nodes are not allowed in ") + mode_.what);
      if (!label) {
        out = TermOrVar::constant(rdf::Term::blank("_anon" + std::to_string(++anon_counter_)));
        return true;
      }
      // Only data blocks share one label space per request (update grammar
      // note: a label cannot be reused across INSERT DATA operations);
      // template labels are fresh per solution and operation.
      if (!mode_.request_scoped_labels) {
        out = TermOrVar::constant(rdf::Term::blank(label->value));
        return true;
      }
      auto it = template_labels_.find(label->value);
      if (it == template_labels_.end()) {
        template_labels_.emplace(label->value, template_scope_);
      } else if (it->second != template_scope_) {
        return failAt(at, "blank node label _:" + label->value +
                              " is used in two different operations or templates");
      }
      out = TermOrVar::constant(rdf::Term::blank(label->value));
      return true;
    }
    if (!mode_.allow_bnodes) return failAt(at, std::string("blank nodes are not allowed in ") + mode_.what);
    if (!label) {
      out = TermOrVar::variable(hiddenVar("b"));
      return true;
    }
    auto it = bnode_vars_.find(label->value);
    if (it == bnode_vars_.end()) {
      VarId v = static_cast<VarId>(vars_.size());
      vars_.push_back(std::string(1, kHiddenVarPrefix) + ":" + label->value);
      bnode_vars_.emplace(label->value, std::make_pair(v, bgp_scope_));
      out = TermOrVar::variable(v);
      return true;
    }
    if (it->second.second != bgp_scope_)
      return failAt(at, "blank node label _:" + label->value +
                            " is used in two different basic graph patterns");
    out = TermOrVar::variable(it->second.first);
    return true;
  }

  bool atNil() const { return isPunct("(") && punctIs(peek(), ")"); }
  bool atAnon() const { return isPunct("[") && punctIs(peek(), "]"); }

  // VarOrTerm ::= Var | GraphTerm
  bool parseVarOrTerm(TermOrVar& out) {
    const Token& t = tok();
    if (t.kind == TokKind::kVar) {
      if (!mode_.allow_vars) return failAt(t.begin, std::string("variables are not allowed in ") + mode_.what);
      out = TermOrVar::variable(takeVar());
      return true;
    }
    if (atIri()) {
      std::string iri;
      if (!parseIri(iri)) return false;
      out = TermOrVar::constant(rdf::Term::iri(iri));
      return true;
    }
    if (t.kind == TokKind::kString) {
      rdf::Term lit;
      if (!parseRdfLiteral(lit)) return false;
      out = TermOrVar::constant(std::move(lit));
      return true;
    }
    if (atNumber()) {
      rdf::Term lit;
      if (!parseNumber(lit)) return false;
      out = TermOrVar::constant(std::move(lit));
      return true;
    }
    if (atBoolean()) {
      rdf::Term lit;
      parseBoolean(lit);
      out = TermOrVar::constant(std::move(lit));
      return true;
    }
    if (t.kind == TokKind::kBlank) {
      Token label = t;
      advance();
      return blankNode(&label, label.begin, out);
    }
    if (atAnon()) {
      size_t at = t.begin;
      advance();
      advance();
      return blankNode(nullptr, at, out);
    }
    if (atNil()) {
      advance();
      advance();
      out = TermOrVar::constant(rdf::Term::iri(kRdfNil));
      return true;
    }
    return fail("a variable or an RDF term");
  }

  bool atTriplesStart() const {
    TokKind k = tok().kind;
    return k == TokKind::kVar || k == TokKind::kIri || k == TokKind::kPName || k == TokKind::kBlank ||
           k == TokKind::kString || atNumber() || atBoolean() || isPunct("[") || isPunct("(");
  }

  // GraphNode ::= VarOrTerm | TriplesNode
  bool parseGraphNode(TermOrVar& out, std::vector<Elem>& elems) {
    if ((isPunct("(") && !atNil()) || (isPunct("[") && !atAnon())) return parseTriplesNode(out, elems);
    return parseVarOrTerm(out);
  }

  // TriplesNode ::= Collection | BlankNodePropertyList
  bool parseTriplesNode(TermOrVar& out, std::vector<Elem>& elems) {
    DepthGuard g(this);
    if (!g.ok) return false;
    size_t at = tok().begin;
    if (acceptPunct("[")) {
      if (!blankNode(nullptr, at, out)) return false;
      if (!parsePropertyList(out, elems, true)) return false;
      return expectPunct("]");
    }
    if (!expectPunct("(")) return false;
    // Collection ::= '(' GraphNode+ ')': rdf:first / rdf:rest chain.
    std::vector<TermOrVar> items;
    while (!isPunct(")")) {
      if (!err_.isOk()) return false;
      TermOrVar item;
      if (!parseGraphNode(item, elems)) return false;
      items.push_back(std::move(item));
    }
    advance();
    TermOrVar first, prev;
    for (size_t i = 0; i < items.size(); ++i) {
      TermOrVar node;
      if (!blankNode(nullptr, at, node)) return false;
      if (i == 0) first = node;
      else elems.push_back(Elem{prev, TermOrVar::constant(rdf::Term::iri(kRdfRest)), node, false, {}});
      elems.push_back(Elem{node, TermOrVar::constant(rdf::Term::iri(kRdfFirst)), items[i], false, {}});
      prev = node;
    }
    elems.push_back(Elem{prev, TermOrVar::constant(rdf::Term::iri(kRdfRest)),
                         TermOrVar::constant(rdf::Term::iri(kRdfNil)), false, {}});
    out = first;
    return true;
  }

  // TriplesSameSubject(Path)
  bool parseTriplesSameSubject(std::vector<Elem>& elems) {
    TermOrVar subject;
    if ((isPunct("(") && !atNil()) || (isPunct("[") && !atAnon())) {
      if (!parseTriplesNode(subject, elems)) return false;
      return parsePropertyList(subject, elems, false);
    }
    if (!parseVarOrTerm(subject)) return false;
    return parsePropertyList(subject, elems, true);
  }

  // 'a' is the one case-sensitive keyword (19.8 note).
  bool isA() const { return tok().kind == TokKind::kWord && tok().value == "a"; }
  bool atVerb() const {
    if (atVar() || atIri() || isA()) return true;
    return mode_.paths && (isPunct("^") || isPunct("(") || isPunct("!"));
  }

  // PropertyList(Path)NotEmpty; `required` false for PropertyList(Path).
  bool parsePropertyList(const TermOrVar& subject, std::vector<Elem>& elems, bool required) {
    if (!atVerb()) return required ? fail("a predicate") : true;
    for (;;) {
      // Verb: Var, or a path (iri and 'a' are the simple cases).
      bool isVarVerb = atVar();
      TermOrVar pred;
      Path path;
      if (isVarVerb) {
        if (!mode_.allow_vars) return failAt(tok().begin, std::string("variables are not allowed in ") + mode_.what);
        pred = TermOrVar::variable(takeVar());
      } else if (!mode_.paths) {
        if (isA()) {
          advance();
          pred = TermOrVar::constant(rdf::Term::iri(kRdfType));
        } else {
          std::string iri;
          if (!parseIri(iri)) return false;
          pred = TermOrVar::constant(rdf::Term::iri(iri));
        }
      } else {
        if (!parsePath(path)) return false;
      }
      // ObjectList(Path)
      for (;;) {
        TermOrVar obj;
        std::vector<Elem> inner;
        if (!parseGraphNode(obj, inner)) return false;
        if (isVarVerb || !mode_.paths) {
          elems.push_back(Elem{subject, pred, obj, false, {}});
        } else {
          translatePath(subject, path, obj, elems);
        }
        for (auto& e : inner) elems.push_back(std::move(e));
        if (!acceptPunct(",")) break;
      }
      if (!acceptPunct(";")) return true;
      while (acceptPunct(";")) {}
      if (!atVerb()) return true;
    }
  }

  // ---------------------------------------------------------------- property paths (9, 18.2.2.4)
  bool parsePath(Path& out) {
    DepthGuard g(this);
    if (!g.ok) return false;
    // PathAlternative ::= PathSequence ( '|' PathSequence )*
    Path seq;
    if (!parsePathSequence(seq)) return false;
    if (!isPunct("|")) {
      out = std::move(seq);
      return true;
    }
    out = Path{};
    out.kind = PathKind::kAlternative;
    out.sub.push_back(std::move(seq));
    while (acceptPunct("|")) {
      Path s;
      if (!parsePathSequence(s)) return false;
      out.sub.push_back(std::move(s));
    }
    return true;
  }
  bool parsePathSequence(Path& out) {
    Path elt;
    if (!parsePathEltOrInverse(elt)) return false;
    if (!isPunct("/")) {
      out = std::move(elt);
      return true;
    }
    out = Path{};
    out.kind = PathKind::kSequence;
    out.sub.push_back(std::move(elt));
    while (acceptPunct("/")) {
      Path e;
      if (!parsePathEltOrInverse(e)) return false;
      out.sub.push_back(std::move(e));
    }
    return true;
  }
  bool parsePathEltOrInverse(Path& out) {
    if (acceptPunct("^")) {
      Path e;
      if (!parsePathElt(e)) return false;
      out = Path{};
      out.kind = PathKind::kInverse;
      out.sub.push_back(std::move(e));
      return true;
    }
    return parsePathElt(out);
  }
  bool parsePathElt(Path& out) {
    Path prim;
    if (!parsePathPrimary(prim)) return false;
    PathKind mod;
    if (isPunct("?")) mod = PathKind::kZeroOrOne;
    else if (isPunct("*")) mod = PathKind::kZeroOrMore;
    else if (isPunct("+") && !tok().sign_of_number) mod = PathKind::kOneOrMore;
    else {
      out = std::move(prim);
      return true;
    }
    advance();
    out = Path{};
    out.kind = mod;
    out.sub.push_back(std::move(prim));
    return true;
  }
  bool parsePathIri(rdf::Term& out) {
    if (isA()) {
      advance();
      out = rdf::Term::iri(kRdfType);
      return true;
    }
    std::string iri;
    if (!parseIri(iri)) return false;
    out = rdf::Term::iri(iri);
    return true;
  }
  bool parsePathPrimary(Path& out) {
    if (acceptPunct("(")) {
      if (!parsePath(out)) return false;
      return expectPunct(")");
    }
    if (acceptPunct("!")) {
      out = Path{};
      out.kind = PathKind::kNegated;
      auto one = [&]() -> bool {
        bool inv = acceptPunct("^");
        rdf::Term iri;
        if (!parsePathIri(iri)) return false;
        (inv ? out.inverse_iris : out.iris).push_back(std::move(iri));
        return true;
      };
      if (acceptPunct("(")) {
        if (acceptPunct(")")) return true;
        do {
          if (!one()) return false;
        } while (acceptPunct("|"));
        return expectPunct(")");
      }
      return one();
    }
    if (!atIri() && !isA()) return fail("a property path");
    out = Path{};
    out.kind = PathKind::kLink;
    return parsePathIri(out.iri);
  }

  // 18.2.2.4: links become triples, inverses swap, sequences chain through
  // fresh hidden variables; any other path stays a path pattern.
  void translatePath(const TermOrVar& s, const Path& p, const TermOrVar& o, std::vector<Elem>& out) {
    switch (p.kind) {
      case PathKind::kLink:
        out.push_back(Elem{s, TermOrVar::constant(p.iri), o, false, {}});
        return;
      case PathKind::kInverse:
        translatePath(o, p.sub[0], s, out);
        return;
      case PathKind::kSequence: {
        TermOrVar cur = s;
        for (size_t i = 0; i < p.sub.size(); ++i) {
          TermOrVar next = i + 1 == p.sub.size() ? o : TermOrVar::variable(hiddenVar("p"));
          translatePath(cur, p.sub[i], next, out);
          cur = next;
        }
        return;
      }
      default: {
        Elem e;
        e.s = s;
        e.o = o;
        e.is_path = true;
        e.path = p;
        out.push_back(std::move(e));
      }
    }
  }

  // Adjacent triples become one BGP; path patterns stand alone; all joined.
  static PatternPtr blockPattern(std::vector<Elem>& elems) {
    PatternPtr result, bgp;
    for (auto& e : elems) {
      if (!e.is_path) {
        if (!bgp) bgp = mk(PatternKind::kBgp);
        bgp->triples.push_back(TriplePattern{e.s, e.p, e.o});
        continue;
      }
      if (bgp) result = join(result, std::move(bgp));
      bgp = nullptr;
      auto p = mk(PatternKind::kPath);
      p->path_subject = e.s;
      p->path_object = e.o;
      p->path = std::move(e.path);
      result = join(result, std::move(p));
    }
    if (bgp) result = join(result, std::move(bgp));
    elems.clear();
    return result;
  }

  // ---------------------------------------------------------------- group graph patterns (18.2.2.6)
  bool parseGroup(PatternPtr& out) {
    DepthGuard g(this);
    if (!g.ok) return false;
    if (!expectPunct("{")) return false;
    bool savedAgg = agg_allowed_, savedIn = in_aggregate_;
    agg_allowed_ = false;
    in_aggregate_ = false;
    TriplesMode savedMode = mode_;
    mode_ = TriplesMode{};
    bool ok = isWord("SELECT") ? parseSubSelect(out) : parseGroupBody(out);
    mode_ = savedMode;
    agg_allowed_ = savedAgg;
    in_aggregate_ = savedIn;
    if (!ok) return false;
    return expectPunct("}");
  }

  bool parseSubSelect(PatternPtr& out) {
    std::vector<VarId> projected;
    if (!parseSelect(true, nullptr, out, projected)) return false;
    // Rename the variables the sub-query does not project apart from the outer query.
    std::set<VarId> keep(projected.begin(), projected.end());
    std::unordered_map<VarId, VarId> renamed;
    ++subquery_counter_;
    mapVars(*out, [&](VarId v) {
      if (keep.count(v) || isHidden(v)) return v;
      auto it = renamed.find(v);
      if (it != renamed.end()) return it->second;
      VarId nv = static_cast<VarId>(vars_.size());
      vars_.push_back(std::string(1, kHiddenVarPrefix) + "#s" + std::to_string(subquery_counter_) +
                      "_" + vars_[v]);
      renamed.emplace(v, nv);
      return nv;
    });
    return true;
  }

  bool parseGroupBody(PatternPtr& out) {
    int savedScope = bgp_scope_;
    bgp_scope_ = ++scope_counter_;
    PatternPtr g;
    std::vector<Expr> filters;
    std::vector<Elem> block;
    Chain chain(this);
    bool needDot = false;  // a triples block ended without '.'
    auto flush = [&]() {
      if (!block.empty()) g = join(g, blockPattern(block));
      bgp_scope_ = ++scope_counter_;
    };
    for (;;) {
      if (!err_.isOk()) return false;
      if (isPunct("}")) break;
      if (atTriplesStart()) {
        if (needDot) return fail("'.' or '}'");
        if (!parseTriplesSameSubject(block)) return false;
        needDot = !acceptPunct(".");
        continue;
      }
      needDot = false;
      if (!isWord("FILTER") && !chain.bump()) return false;
      if (acceptWord("FILTER")) {
        Expr e;
        if (!parseConstraint(e)) return false;
        filters.push_back(std::move(e));
      } else if (isWord("OPTIONAL")) {
        advance();
        flush();
        PatternPtr a;
        if (!parseGroup(a)) return false;
        auto lj = mk(PatternKind::kLeftJoin);
        // Only the OPTIONAL group's own FILTERs become the LeftJoin's
        // expression; a filter of a nested group stays inside (18.2.2.6,
        // W3C dawg-optional-filter-005-not-simplified).
        if (a->kind == PatternKind::kFilter && a.get() == own_filter_) {
          lj->exprs.push_back(conjunction(a->exprs));
          a = a->children[0];
        }
        lj->children = {g ? g : mk(PatternKind::kBgp), a};
        g = lj;
      } else if (isWord("MINUS")) {
        advance();
        flush();
        PatternPtr a;
        if (!parseGroup(a)) return false;
        auto m = mk(PatternKind::kMinus);
        m->children = {g ? g : mk(PatternKind::kBgp), a};
        g = m;
      } else if (isWord("GRAPH")) {
        advance();
        flush();
        auto gp = mk(PatternKind::kGraph);
        if (!parseVarOrIri(gp->graph)) return false;
        PatternPtr a;
        if (!parseGroup(a)) return false;
        gp->children.push_back(a);
        g = join(g, gp);
      } else if (isWord("SERVICE")) {
        advance();
        flush();
        auto sp = mk(PatternKind::kService);
        sp->silent = acceptWord("SILENT");
        if (!parseVarOrIri(sp->graph)) return false;
        size_t begin = tok().begin;
        std::string prologue = serviceProlog();
        PatternPtr a;
        if (!parseGroup(a)) return false;
        size_t end = prev_end_;
        sp->service_text = prologue + "SELECT * WHERE " + text_.substr(begin, end - begin);
        sp->children.push_back(a);
        g = join(g, sp);
      } else if (isWord("BIND")) {
        size_t at = tok().begin;
        advance();
        flush();
        if (!expectPunct("(")) return false;
        Expr e;
        if (!parseExpression(e)) return false;
        if (!expectWord("AS")) return false;
        size_t varAt = tok().begin;
        VarId v;
        if (!parseVar(v)) return false;
        if (!expectPunct(")")) return false;
        std::set<VarId> scope;
        if (g) inScope(*g, scope);
        if (scope.count(v))
          return failAt(varAt, "BIND variable ?" + vars_[v] + " is already in scope");
        (void)at;
        auto ext = mk(PatternKind::kExtend);
        ext->children.push_back(g ? g : mk(PatternKind::kBgp));
        ext->var = v;
        ext->exprs.push_back(std::move(e));
        g = ext;
      } else if (isWord("VALUES")) {
        advance();
        flush();
        PatternPtr vp;
        if (!parseDataBlock(vp)) return false;
        g = join(g, vp);
      } else if (isPunct("{")) {
        flush();
        PatternPtr a;
        if (!parseGroup(a)) return false;
        // GroupOrUnionGraphPattern
        Chain n(this);
        while (acceptWord("UNION")) {
          if (!n.bump()) return false;
          PatternPtr b;
          if (!parseGroup(b)) return false;
          auto u = mk(PatternKind::kUnion);
          u->children = {a, b};
          a = u;
        }
        g = join(g, a);
      } else {
        return fail("a triple pattern, '{', OPTIONAL, MINUS, GRAPH, SERVICE, FILTER, BIND, VALUES or '}'");
      }
      acceptPunct(".");
    }
    if (!block.empty()) g = join(g, blockPattern(block));
    if (!g) g = mk(PatternKind::kBgp);
    own_filter_ = nullptr;
    if (!filters.empty()) {
      auto f = mk(PatternKind::kFilter);
      f->exprs = std::move(filters);
      f->children.push_back(g);
      g = f;
      own_filter_ = f.get();
    }
    bgp_scope_ = savedScope;
    out = g;
    return true;
  }

  // The Filter node the last finished group made of its own FILTERs.
  const Pattern* own_filter_ = nullptr;

  std::string serviceProlog() const {
    std::string s;
    if (!base_.empty()) s += "BASE <" + base_ + ">\n";
    for (const auto& [name, iri] : prefix_list_) s += "PREFIX " + name + ": <" + iri + ">\n";
    return s;
  }

  static Expr conjunction(std::vector<Expr> es) {
    Expr r = std::move(es[0]);
    for (size_t i = 1; i < es.size(); ++i) {
      Expr a;
      a.kind = ExprKind::kAnd;
      a.args.push_back(std::move(r));
      a.args.push_back(std::move(es[i]));
      r = std::move(a);
    }
    return r;
  }

  bool parseVarOrIri(TermOrVar& out) {
    if (atVar()) {
      out = TermOrVar::variable(takeVar());
      return true;
    }
    if (!atIri()) return fail("a variable or an IRI");
    std::string iri;
    if (!parseIri(iri)) return false;
    out = TermOrVar::constant(rdf::Term::iri(iri));
    return true;
  }

  // DataBlock ::= InlineDataOneVar | InlineDataFull (after VALUES)
  bool parseDataBlock(PatternPtr& out) {
    auto vp = mk(PatternKind::kValues);
    bool oneVar = atVar();
    if (oneVar) {
      vp->values_vars.push_back(takeVar());
    } else if (acceptPunct("(")) {
      while (atVar()) vp->values_vars.push_back(takeVar());
      if (!expectPunct(")")) return false;
    } else {
      return fail("a variable or '(' after VALUES");
    }
    if (!expectPunct("{")) return false;
    while (!isPunct("}")) {
      if (!err_.isOk()) return false;
      std::vector<rdf::Term> row;
      if (oneVar) {
        rdf::Term t;
        if (acceptWord("UNDEF")) {
        } else if (!atDataValue()) {
          return fail("an IRI, a literal, UNDEF or '}'");
        } else if (!parseDataValue(t)) {
          return false;
        }
        row.push_back(std::move(t));
      } else {
        size_t at = tok().begin;
        if (!expectPunct("(")) return false;
        while (!isPunct(")")) {
          if (!err_.isOk()) return false;
          rdf::Term t;
          if (acceptWord("UNDEF")) {
          } else if (!atDataValue()) {
            return fail("an IRI, a literal, UNDEF or ')'");
          } else if (!parseDataValue(t)) {
            return false;
          }
          row.push_back(std::move(t));
        }
        advance();
        if (row.size() != vp->values_vars.size())
          return failAt(at, "VALUES row has " + std::to_string(row.size()) + " values, expected " +
                                std::to_string(vp->values_vars.size()));
      }
      vp->values_rows.push_back(std::move(row));
    }
    advance();
    out = vp;
    return true;
  }

  // ---------------------------------------------------------------- expressions (17, 19.8 rules 110-139)
  bool parseConstraint(Expr& out) {
    if (isPunct("(")) return parseBrackettedExpression(out);
    if (tok().kind == TokKind::kWord) return parseBuiltinCall(out);
    if (atIri()) {
      std::string iri;
      if (!parseIri(iri)) return false;
      if (!isPunct("(")) return fail("'(' (a function call)");
      return parseFunctionArgs(iri, out);
    }
    return fail("'(', a built-in call or a function call");
  }
  bool parseBrackettedExpression(Expr& out) {
    if (!expectPunct("(")) return false;
    if (!parseExpression(out)) return false;
    return expectPunct(")");
  }
  bool parseExpression(Expr& out) {
    DepthGuard g(this);
    if (!g.ok) return false;
    return parseOr(out);
  }
  static Expr binary(ExprKind k, Expr a, Expr b) {
    Expr e;
    e.kind = k;
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return e;
  }
  bool parseOr(Expr& out) {
    if (!parseAnd(out)) return false;
    Chain n(this);
    while (acceptPunct("||")) {
      if (!n.bump()) return false;
      Expr r;
      if (!parseAnd(r)) return false;
      out = binary(ExprKind::kOr, std::move(out), std::move(r));
    }
    return true;
  }
  bool parseAnd(Expr& out) {
    if (!parseRelational(out)) return false;
    Chain n(this);
    while (acceptPunct("&&")) {
      if (!n.bump()) return false;
      Expr r;
      if (!parseRelational(r)) return false;
      out = binary(ExprKind::kAnd, std::move(out), std::move(r));
    }
    return true;
  }
  bool parseRelational(Expr& out) {
    if (!parseAdditive(out)) return false;
    static const std::pair<const char*, ExprKind> kOps[] = {
        {"=", ExprKind::kEqual},     {"!=", ExprKind::kNotEqual},     {"<", ExprKind::kLess},
        {">", ExprKind::kGreater},   {"<=", ExprKind::kLessEqual},    {">=", ExprKind::kGreaterEqual}};
    for (const auto& [sym, kind] : kOps) {
      if (acceptPunct(sym)) {
        Expr r;
        if (!parseAdditive(r)) return false;
        out = binary(kind, std::move(out), std::move(r));
        return true;
      }
    }
    bool notIn = false;
    if (isWord("NOT") && wordIs(peek(), "IN")) {
      advance();
      notIn = true;
    }
    if (acceptWord("IN")) {
      Expr e;
      e.kind = notIn ? ExprKind::kNotIn : ExprKind::kIn;
      e.args.push_back(std::move(out));
      if (!parseExpressionList(e.args)) return false;
      out = std::move(e);
      return true;
    }
    if (notIn) return fail("IN");
    return true;
  }
  bool parseAdditive(Expr& out) {
    if (!parseMultiplicative(out)) return false;
    Chain n(this);
    for (;;) {
      ExprKind k;
      if (isPunct("+")) k = ExprKind::kAdd;
      else if (isPunct("-")) k = ExprKind::kSubtract;
      else return true;
      if (!n.bump()) return false;
      advance();
      Expr r;
      if (!parseMultiplicative(r)) return false;
      out = binary(k, std::move(out), std::move(r));
    }
  }
  bool parseMultiplicative(Expr& out) {
    if (!parseUnary(out)) return false;
    Chain n(this);
    for (;;) {
      ExprKind k;
      if (isPunct("*")) k = ExprKind::kMultiply;
      else if (isPunct("/")) k = ExprKind::kDivide;
      else return true;
      if (!n.bump()) return false;
      advance();
      Expr r;
      if (!parseUnary(r)) return false;
      out = binary(k, std::move(out), std::move(r));
    }
  }
  bool parseUnary(Expr& out) {
    DepthGuard g(this);
    if (!g.ok) return false;
    ExprKind k;
    if (isPunct("!")) k = ExprKind::kNot;
    else if (isPunct("+") && !tok().sign_of_number) k = ExprKind::kUnaryPlus;
    else if (isPunct("-") && !tok().sign_of_number) k = ExprKind::kUnaryMinus;
    else return parsePrimary(out);
    advance();
    Expr a;
    if (!parseUnary(a)) return false;
    out = Expr{};
    out.kind = k;
    out.args.push_back(std::move(a));
    return true;
  }
  static Expr constant(rdf::Term t) {
    Expr e;
    e.kind = ExprKind::kConstant;
    e.constant = std::move(t);
    return e;
  }
  bool parsePrimary(Expr& out) {
    const Token& t = tok();
    if (t.kind == TokKind::kPunct && t.value == "(") return parseBrackettedExpression(out);
    if (t.kind == TokKind::kVar) {
      out = Expr{};
      out.kind = ExprKind::kVariable;
      out.var = takeVar();
      return true;
    }
    if (atNumber()) {
      rdf::Term lit;
      if (!parseNumber(lit)) return false;
      out = constant(std::move(lit));
      return true;
    }
    if (t.kind == TokKind::kString) {
      rdf::Term lit;
      if (!parseRdfLiteral(lit)) return false;
      out = constant(std::move(lit));
      return true;
    }
    if (atBoolean()) {
      rdf::Term lit;
      parseBoolean(lit);
      out = constant(std::move(lit));
      return true;
    }
    if (atIri()) {
      std::string iri;
      if (!parseIri(iri)) return false;
      if (isPunct("(")) return parseFunctionArgs(iri, out);
      out = constant(rdf::Term::iri(iri));
      return true;
    }
    if (t.kind == TokKind::kWord) return parseBuiltinCall(out);
    return fail("an expression");
  }
  // ArgList ::= NIL | '(' 'DISTINCT'? Expression ( ',' Expression )* ')'
  bool parseFunctionArgs(const std::string& iri, Expr& out) {
    out = Expr{};
    out.kind = ExprKind::kFunctionCall;
    out.iri = iri;
    if (!expectPunct("(")) return false;
    if (acceptPunct(")")) return true;
    out.distinct = acceptWord("DISTINCT");
    do {
      Expr a;
      if (!parseExpression(a)) return false;
      out.args.push_back(std::move(a));
    } while (acceptPunct(","));
    return expectPunct(")");
  }
  // ExpressionList ::= NIL | '(' Expression ( ',' Expression )* ')'
  bool parseExpressionList(std::vector<Expr>& out) {
    if (!expectPunct("(")) return false;
    if (acceptPunct(")")) return true;
    do {
      Expr a;
      if (!parseExpression(a)) return false;
      out.push_back(std::move(a));
    } while (acceptPunct(","));
    return expectPunct(")");
  }

  bool parseBuiltinCall(Expr& out) {
    size_t at = tok().begin;
    std::string up = core::asciiUpper(tok().value);
    AggregateKind ak;
    if (aggregateKind(up, &ak)) return parseAggregate(ak, out);
    if (up == "EXISTS" || up == "NOT") {
      bool neg = up == "NOT";
      advance();
      if (neg && !expectWord("EXISTS")) return false;
      out = Expr{};
      out.kind = neg ? ExprKind::kNotExists : ExprKind::kExists;
      PatternPtr p;
      if (!parseGroup(p)) return false;
      out.pattern = p;
      return true;
    }
    const BuiltinSpec* spec = findBuiltin(up);
    if (!spec) return fail("an expression");
    advance();
    out = Expr{};
    out.kind = ExprKind::kBuiltin;
    out.builtin = spec->b;
    if (spec->b == Builtin::kBound) {
      if (!expectPunct("(")) return false;
      Expr v;
      if (!atVar()) return fail("a variable");
      v.kind = ExprKind::kVariable;
      v.var = takeVar();
      out.args.push_back(std::move(v));
      return expectPunct(")");
    }
    if (!parseExpressionList(out.args)) return false;
    int n = static_cast<int>(out.args.size());
    if (n < spec->min_args || (spec->max_args >= 0 && n > spec->max_args))
      return failAt(at, std::string(spec->name) + " takes " + std::to_string(spec->min_args) +
                            (spec->max_args == spec->min_args ? "" : " to " + std::to_string(spec->max_args)) +
                            " arguments, not " + std::to_string(n));
    return true;
  }

  // Aggregate (rule 127): replaced by a hidden variable bound by the Group node.
  bool parseAggregate(AggregateKind k, Expr& out) {
    size_t at = tok().begin;
    if (in_aggregate_) return failAt(at, "aggregates cannot be nested");
    if (!agg_allowed_ || !agg_ctx_)
      return failAt(at, "aggregate " + core::asciiUpper(tok().value) +
                            " is only allowed in SELECT, HAVING and ORDER BY");
    advance();
    Expr agg;
    agg.kind = ExprKind::kAggregate;
    agg.aggregate = k;
    if (!expectPunct("(")) return false;
    agg.distinct = acceptWord("DISTINCT");
    in_aggregate_ = true;
    bool ok = true;
    if (k == AggregateKind::kCount && acceptPunct("*")) {
      agg.star = true;
    } else {
      Expr a;
      ok = parseExpression(a);
      agg.args.push_back(std::move(a));
    }
    in_aggregate_ = false;
    if (!ok) return false;
    if (k == AggregateKind::kGroupConcat && acceptPunct(";")) {
      if (!expectWord("SEPARATOR") || !expectPunct("=")) return false;
      if (tok().kind != TokKind::kString) return fail("a string");
      agg.separator = tok().value;
      advance();
    }
    if (!expectPunct(")")) return false;
    VarId v = hiddenVar("agg");
    agg_ctx_->aggs.push_back(std::move(agg));
    agg_ctx_->vars.push_back(v);
    out = Expr{};
    out.kind = ExprKind::kVariable;
    out.var = v;
    return true;
  }

  // ---------------------------------------------------------------- queries
  bool parseDatasetClauses(Query& q) {
    while (acceptWord("FROM")) {
      bool named = acceptWord("NAMED");
      std::string iri;
      if (!parseIri(iri)) return false;
      (named ? q.from_named : q.from).push_back(rdf::Term::iri(iri));
      q.has_dataset_clause = true;
    }
    return true;
  }

  // SelectQuery / SubSelect
  bool parseSelect(bool sub, Query* q, PatternPtr& out, std::vector<VarId>& selectVars) {
    advance();  // SELECT
    SelectClause sel;
    AggCtx ctx;
    AggCtx* savedCtx = agg_ctx_;
    bool savedAllowed = agg_allowed_;
    agg_ctx_ = &ctx;
    if (acceptWord("DISTINCT")) sel.distinct = true;
    else if (acceptWord("REDUCED")) sel.reduced = true;
    if (acceptPunct("*")) {
      sel.star = true;
    } else {
      while (atVar() || isPunct("(")) {
        SelectClause::Item item;
        item.tok = tok().begin;
        if (atVar()) {
          item.var = takeVar();
        } else {
          advance();
          agg_allowed_ = true;
          bool ok = parseExpression(item.expr);
          agg_allowed_ = savedAllowed;
          if (!ok) return false;
          if (!expectWord("AS")) return false;
          item.tok = tok().begin;
          if (!parseVar(item.var)) return false;
          if (!expectPunct(")")) return false;
          item.has_expr = true;
        }
        sel.items.push_back(std::move(item));
      }
      if (sel.items.empty()) return fail("a variable, '(' or '*'");
    }
    if (!sub && !parseDatasetClauses(*q)) return false;
    bool savedRepeated = repeated_select_var_;
    bool ok = parseWhereAndModifiers(out, &sel, ctx, &selectVars);
    if (sub) repeated_select_var_ = savedRepeated;  // only the outer SELECT counts
    agg_ctx_ = savedCtx;
    agg_allowed_ = savedAllowed;
    return ok;
  }

  bool parseConstruct(Query& q, PatternPtr& out) {
    advance();  // CONSTRUCT
    AggCtx ctx;
    if (isPunct("{")) {
      // ConstructTemplate ::= '{' ConstructTriples? '}'
      advance();
      TriplesMode saved = mode_;
      mode_ = TriplesMode{false, true, true, true, "CONSTRUCT templates"};
      ++template_scope_;
      std::vector<Elem> elems;
      bool ok = parseTriplesTemplate(elems);
      mode_ = saved;
      if (!ok || !expectPunct("}")) return false;
      for (auto& e : elems) q.construct_template.push_back(QuadPattern{e.s, e.p, e.o, {}});
      if (!parseDatasetClauses(q)) return false;
      return parseWhereAndModifiers(out, nullptr, ctx, nullptr);
    }
    // CONSTRUCT DatasetClause* WHERE '{' TriplesTemplate? '}' SolutionModifier
    if (!parseDatasetClauses(q)) return false;
    if (!expectWord("WHERE") || !expectPunct("{")) return false;
    TriplesMode saved = mode_;
    mode_ = TriplesMode{false, false, true, true, "CONSTRUCT WHERE"};
    bgp_scope_ = ++scope_counter_;
    std::vector<Elem> elems;
    bool ok = parseTriplesTemplate(elems);
    mode_ = saved;
    if (!ok || !expectPunct("}")) return false;
    for (auto& e : elems) q.construct_template.push_back(QuadPattern{e.s, e.p, e.o, {}});
    PatternPtr where = blockPattern(elems);
    if (!where) where = mk(PatternKind::kBgp);
    return parseModifiersAndFinish(where, nullptr, ctx, nullptr, out);
  }

  bool parseDescribe(Query& q, PatternPtr& out) {
    advance();  // DESCRIBE
    bool star = false;
    if (acceptPunct("*")) {
      star = true;
    } else {
      while (atVar() || atIri()) {
        TermOrVar t;
        if (!parseVarOrIri(t)) return false;
        q.describe.push_back(std::move(t));
      }
      if (q.describe.empty()) return fail("a variable, an IRI or '*'");
    }
    if (!parseDatasetClauses(q)) return false;
    AggCtx ctx;
    PatternPtr where;
    if (isWord("WHERE") || isPunct("{")) {
      acceptWord("WHERE");
      if (!parseGroup(where)) return false;
    } else {
      where = mk(PatternKind::kBgp);
    }
    if (star) {
      std::set<VarId> scope;
      inScope(*where, scope);
      for (VarId v : scope)
        if (!isHidden(v)) q.describe.push_back(TermOrVar::variable(v));
    }
    return parseModifiersAndFinish(where, nullptr, ctx, nullptr, out);
  }

  // TriplesTemplate ::= TriplesSameSubject ( '.' TriplesTemplate? )?
  // Stops at the first token that cannot start a triple; the caller checks it.
  bool parseTriplesTemplate(std::vector<Elem>& elems) {
    while (atTriplesStart()) {
      if (!err_.isOk()) return false;
      if (!parseTriplesSameSubject(elems)) return false;
      if (!acceptPunct(".")) break;
    }
    return err_.isOk();
  }

  bool parseWhereAndModifiers(PatternPtr& out, SelectClause* sel, AggCtx& ctx,
                              std::vector<VarId>* selectVars) {
    acceptWord("WHERE");
    if (!isPunct("{")) return fail("'{' or WHERE");
    PatternPtr where;
    if (!parseGroup(where)) return false;
    return parseModifiersAndFinish(where, sel, ctx, selectVars, out);
  }

  bool parseModifiersAndFinish(PatternPtr where, SelectClause* sel, AggCtx& ctx,
                               std::vector<VarId>* selectVars, PatternPtr& out) {
    AggCtx* savedCtx = agg_ctx_;
    bool savedAllowed = agg_allowed_;
    agg_ctx_ = &ctx;
    Modifiers m;
    size_t groupTok = tok().begin;
    bool ok = parseModifiers(m);
    agg_ctx_ = savedCtx;
    agg_allowed_ = savedAllowed;
    if (!ok) return false;
    return finish(where, sel, ctx, m, groupTok, selectVars, out);
  }

  bool parseModifiers(Modifiers& m) {
    // GroupClause ::= 'GROUP' 'BY' GroupCondition+
    if (isWord("GROUP")) {
      advance();
      if (!expectWord("BY")) return false;
      m.has_group = true;
      agg_allowed_ = false;
      for (;;) {
        Expr e;
        VarId v = kNoVar;
        if (atVar()) {
          v = takeVar();
          e.kind = ExprKind::kVariable;
          e.var = v;
        } else if (acceptPunct("(")) {
          if (!parseExpression(e)) return false;
          if (acceptWord("AS")) {
            if (!parseVar(v)) return false;
          } else if (e.kind == ExprKind::kVariable) {
            v = e.var;
          }
          if (!expectPunct(")")) return false;
        } else if (tok().kind == TokKind::kWord && !isWord("HAVING") && !isWord("ORDER") &&
                   !isWord("LIMIT") && !isWord("OFFSET") && !isWord("VALUES")) {
          if (!parseBuiltinCall(e)) return false;
        } else if (atIri()) {
          std::string iri;
          if (!parseIri(iri)) return false;
          if (!isPunct("(")) return fail("'(' (a function call)");
          if (!parseFunctionArgs(iri, e)) return false;
        } else {
          if (m.group_exprs.empty()) return fail("a GROUP BY condition");
          break;
        }
        if (v == kNoVar) v = hiddenVar("g");
        m.group_exprs.push_back(std::move(e));
        m.group_vars.push_back(v);
      }
    }
    if (acceptWord("HAVING")) {
      agg_allowed_ = true;
      do {
        Expr e;
        if (!parseConstraint(e)) return false;
        m.having.push_back(std::move(e));
      } while (isPunct("(") || atIri() ||
               (tok().kind == TokKind::kWord && !isWord("ORDER") && !isWord("LIMIT") &&
                !isWord("OFFSET") && !isWord("VALUES")));
    }
    if (isWord("ORDER")) {
      advance();
      if (!expectWord("BY")) return false;
      agg_allowed_ = true;
      for (;;) {
        OrderKey k;
        if (isWord("ASC") || isWord("DESC")) {
          k.descending = isWord("DESC");
          advance();
          if (!parseBrackettedExpression(k.expr)) return false;
        } else if (atVar()) {
          k.expr.kind = ExprKind::kVariable;
          k.expr.var = takeVar();
        } else if (isPunct("(") || atIri() ||
                   (tok().kind == TokKind::kWord && !isWord("LIMIT") && !isWord("OFFSET") &&
                    !isWord("VALUES"))) {
          if (!parseConstraint(k.expr)) return false;
        } else {
          if (m.order.empty()) return fail("an ORDER BY condition");
          break;
        }
        m.order.push_back(std::move(k));
      }
    }
    agg_allowed_ = false;
    // LimitOffsetClauses
    bool haveLimit = false, haveOffset = false;
    for (int i = 0; i < 2; ++i) {
      if (!haveLimit && isWord("LIMIT")) {
        advance();
        if (!parseCount(m.limit)) return false;
        haveLimit = true;
      } else if (!haveOffset && isWord("OFFSET")) {
        advance();
        if (!parseCount(m.offset)) return false;
        haveOffset = true;
      }
    }
    // ValuesClause ::= ( 'VALUES' DataBlock )?
    if (acceptWord("VALUES")) {
      if (!parseDataBlock(m.values)) return false;
    }
    return true;
  }

  bool parseCount(int64_t& out) {
    if (tok().kind != TokKind::kInteger) return fail("an integer");
    const std::string& s = tok().value;
    int64_t v = 0;
    for (char c : s) {
      if (v > (INT64_MAX - 9) / 10) {
        v = INT64_MAX;
        break;
      }
      v = v * 10 + (c - '0');
    }
    out = v;
    advance();
    return true;
  }

  // 18.2.4 and 18.2.5: Group, aggregates, select expressions, HAVING, VALUES,
  // ORDER BY, projection, DISTINCT / REDUCED, slice.
  bool finish(PatternPtr p, SelectClause* sel, AggCtx& ctx, Modifiers& m, size_t groupTok,
              std::vector<VarId>* selectVars, PatternPtr& out) {
    bool grouping = m.has_group || !ctx.aggs.empty();
    if (grouping) {
      if (sel && sel->star)
        return failAt(groupTok, "SELECT * is not allowed with GROUP BY or aggregates");
      auto g = mk(PatternKind::kGroup);
      g->children.push_back(p);
      g->group_exprs = std::move(m.group_exprs);
      g->group_vars = std::move(m.group_vars);
      g->aggregates = std::move(ctx.aggs);
      g->aggregate_vars = std::move(ctx.vars);
      p = g;
      if (sel) {
        std::set<VarId> grouped(p->group_vars.begin(), p->group_vars.end());
        grouped.insert(p->aggregate_vars.begin(), p->aggregate_vars.end());
        for (const auto& item : sel->items) {
          std::vector<VarId> used;
          if (item.has_expr) exprVars(item.expr, used);
          else used.push_back(item.var);
          for (VarId v : used)
            if (!grouped.count(v))
              return failAt(item.tok, "variable ?" + vars_[v] +
                                           " is neither grouped nor inside an aggregate");
          grouped.insert(item.var);
        }
      }
    }
    std::vector<VarId> project;
    if (sel) {
      std::set<VarId> scope;
      inScope(*p, scope);
      std::set<VarId> projected;
      for (auto& item : sel->items) {
        if (item.has_expr) {
          if (scope.count(item.var) || projected.count(item.var))
            return failAt(item.tok, "variable ?" + vars_[item.var] +
                                         " in SELECT (... AS ?" + vars_[item.var] +
                                         ") is already in scope or projected");
          auto ext = mk(PatternKind::kExtend);
          ext->children.push_back(p);
          ext->var = item.var;
          ext->exprs.push_back(std::move(item.expr));
          p = ext;
          scope.insert(item.var);
        }
        if (projected.insert(item.var).second) project.push_back(item.var);
        else repeated_select_var_ = true;
      }
    }
    if (!m.having.empty()) {
      auto f = mk(PatternKind::kFilter);
      f->children.push_back(p);
      f->exprs = std::move(m.having);
      p = f;
    }
    if (m.values) p = join(p, m.values);
    if (sel && sel->star) {
      std::set<VarId> scope;
      inScope(*p, scope);
      for (VarId v : scope)
        if (!isHidden(v)) project.push_back(v);
    }
    if (!m.order.empty()) {
      auto o = mk(PatternKind::kOrderBy);
      o->children.push_back(p);
      o->order = std::move(m.order);
      p = o;
    }
    if (sel) {
      auto pr = mk(PatternKind::kProject);
      pr->children.push_back(p);
      pr->project_vars = project;
      p = pr;
      if (sel->distinct || sel->reduced) {
        auto d = mk(sel->distinct ? PatternKind::kDistinct : PatternKind::kReduced);
        d->children.push_back(p);
        p = d;
      }
      if (selectVars) *selectVars = project;
    }
    if (m.limit >= 0 || m.offset > 0) {
      auto s = mk(PatternKind::kSlice);
      s->children.push_back(p);
      s->limit = m.limit;
      s->offset = m.offset;
      p = s;
    }
    out = p;
    return true;
  }

  // ---------------------------------------------------------------- update
  bool parseGraphRef(rdf::Term& out) {
    if (!expectWord("GRAPH")) return false;
    std::string iri;
    if (!parseIri(iri)) return false;
    out = rdf::Term::iri(iri);
    return true;
  }
  bool parseGraphRefAll(UpdateOp& op) {
    if (acceptWord("DEFAULT")) op.target = GraphTarget::kDefault;
    else if (acceptWord("NAMED")) op.target = GraphTarget::kNamed;
    else if (acceptWord("ALL")) op.target = GraphTarget::kAll;
    else if (isWord("GRAPH")) {
      op.target = GraphTarget::kGraph;
      return parseGraphRef(op.target_iri);
    } else {
      return fail("GRAPH, DEFAULT, NAMED or ALL");
    }
    return true;
  }
  bool parseGraphOrDefault(GraphTarget& t, rdf::Term& iri) {
    if (acceptWord("DEFAULT")) {
      t = GraphTarget::kDefault;
      return true;
    }
    acceptWord("GRAPH");
    t = GraphTarget::kGraph;
    std::string s;
    if (!atIri()) return fail("DEFAULT, GRAPH or an IRI");
    if (!parseIri(s)) return false;
    iri = rdf::Term::iri(s);
    return true;
  }

  bool parseUpdateOp(UpdateOp& op) {
    ++template_scope_;
    if (acceptWord("LOAD")) {
      op.kind = UpdateKind::kLoad;
      op.silent = acceptWord("SILENT");
      std::string iri;
      if (!parseIri(iri)) return false;
      op.source = rdf::Term::iri(iri);
      if (acceptWord("INTO")) {
        op.target = GraphTarget::kGraph;
        return parseGraphRef(op.target_iri);
      }
      return true;
    }
    if (isWord("CLEAR") || isWord("DROP")) {
      op.kind = isWord("CLEAR") ? UpdateKind::kClear : UpdateKind::kDrop;
      advance();
      op.silent = acceptWord("SILENT");
      return parseGraphRefAll(op);
    }
    if (acceptWord("CREATE")) {
      op.kind = UpdateKind::kCreate;
      op.silent = acceptWord("SILENT");
      op.target = GraphTarget::kGraph;
      return parseGraphRef(op.target_iri);
    }
    if (isWord("ADD") || isWord("MOVE") || isWord("COPY")) {
      op.kind = isWord("ADD") ? UpdateKind::kAdd : isWord("MOVE") ? UpdateKind::kMove : UpdateKind::kCopy;
      advance();
      op.silent = acceptWord("SILENT");
      if (!parseGraphOrDefault(op.source_target, op.source)) return false;
      if (!expectWord("TO")) return false;
      return parseGraphOrDefault(op.target, op.target_iri);
    }
    if (isWord("INSERT") && wordIs(peek(), "DATA")) {
      advance();
      advance();
      op.kind = UpdateKind::kInsertData;
      return parseQuadBlock(op.insert_template, TriplesMode{false, true, false, true, "INSERT DATA", true});
    }
    if (isWord("DELETE") && wordIs(peek(), "DATA")) {
      advance();
      advance();
      op.kind = UpdateKind::kDeleteData;
      return parseQuadBlock(op.delete_template, TriplesMode{false, true, false, false, "DELETE DATA"});
    }
    if (isWord("DELETE") && wordIs(peek(), "WHERE")) {
      advance();
      advance();
      op.kind = UpdateKind::kDeleteWhere;
      if (!parseQuadBlock(op.delete_template, TriplesMode{false, true, true, false, "DELETE WHERE"}))
        return false;
      op.where = quadsPattern(op.delete_template);
      return true;
    }
    if (isWord("WITH") || isWord("DELETE") || isWord("INSERT")) {
      op.kind = UpdateKind::kModify;
      if (acceptWord("WITH")) {
        std::string iri;
        if (!parseIri(iri)) return false;
        op.with = rdf::Term::iri(iri);
      }
      bool any = false;
      if (acceptWord("DELETE")) {
        any = true;
        if (!parseQuadBlock(op.delete_template, TriplesMode{false, true, true, false, "DELETE templates"}))
          return false;
      }
      if (acceptWord("INSERT")) {
        any = true;
        if (!parseQuadBlock(op.insert_template, TriplesMode{false, true, true, true, "INSERT templates"}))
          return false;
      }
      if (!any) return fail("DELETE or INSERT");
      while (acceptWord("USING")) {
        bool named = acceptWord("NAMED");
        std::string iri;
        if (!parseIri(iri)) return false;
        (named ? op.using_named : op.using_graphs).push_back(rdf::Term::iri(iri));
        op.has_using = true;
      }
      if (!expectWord("WHERE")) return false;
      return parseGroup(op.where);
    }
    return fail("an update operation (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH)");
  }

  // QuadPattern / QuadData ::= '{' Quads '}'
  bool parseQuadBlock(std::vector<QuadPattern>& out, TriplesMode mode) {
    if (!expectPunct("{")) return false;
    TriplesMode saved = mode_;
    mode_ = mode;
    bool ok = parseQuads(out);
    mode_ = saved;
    return ok && expectPunct("}");
  }
  bool parseQuads(std::vector<QuadPattern>& out) {
    for (;;) {
      if (!err_.isOk()) return false;
      std::vector<Elem> elems;
      if (!parseTriplesTemplate(elems)) return false;
      for (auto& e : elems) out.push_back(QuadPattern{e.s, e.p, e.o, {}});
      if (!isWord("GRAPH")) return true;
      advance();
      TermOrVar g;
      if (atVar() && !mode_.allow_vars)
        return failAt(tok().begin, std::string("variables are not allowed in ") + mode_.what);
      if (!parseVarOrIri(g)) return false;
      if (!expectPunct("{")) return false;
      elems.clear();
      if (!parseTriplesTemplate(elems)) return false;
      if (!expectPunct("}")) return false;
      for (auto& e : elems) out.push_back(QuadPattern{e.s, e.p, e.o, g});
      acceptPunct(".");
    }
  }

  // DELETE WHERE: the quads as a pattern (default-graph triples as BGPs,
  // GRAPH blocks as Graph nodes).
  static PatternPtr quadsPattern(const std::vector<QuadPattern>& quads) {
    PatternPtr result;
    size_t i = 0;
    while (i < quads.size()) {
      auto bgp = mk(PatternKind::kBgp);
      const TermOrVar& g = quads[i].g;
      auto same = [&](const TermOrVar& h) {
        return h.var == g.var && h.term == g.term;
      };
      while (i < quads.size() && same(quads[i].g)) {
        bgp->triples.push_back(TriplePattern{quads[i].s, quads[i].p, quads[i].o});
        ++i;
      }
      if (!g.isVar() && g.term.isNone()) {
        result = join(result, bgp);
      } else {
        auto gp = mk(PatternKind::kGraph);
        gp->graph = g;
        gp->children.push_back(bgp);
        result = join(result, gp);
      }
    }
    return result ? result : mk(PatternKind::kBgp);
  }

  // ---------------------------------------------------------------- state
  std::string text_;
  Token cur_;
  mutable Token la_;
  mutable bool has_la_ = false;
  mutable size_t lex_pos_ = 0;
  size_t prev_end_ = 0;
  Status err_;
  int depth_ = 0;
  int max_depth_;
  size_t chain_total_ = 0;
  std::string base_;
  std::unordered_map<std::string, std::string> prefixes_;
  std::vector<std::pair<std::string, std::string>> prefix_list_;
  std::vector<std::string> vars_;
  std::unordered_map<std::string, VarId> var_ids_;
  int hidden_counter_ = 0;
  int anon_counter_ = 0;
  int subquery_counter_ = 0;
  // Blank node labels in patterns: label -> (hidden variable, BGP scope).
  std::unordered_map<std::string, std::pair<VarId, int>> bnode_vars_;
  int bgp_scope_ = 0;
  int scope_counter_ = 0;
  // Blank node labels in templates and data: label -> template scope.
  std::unordered_map<std::string, int> template_labels_;
  int template_scope_ = 0;
  int op_index_ = 0;
  TriplesMode mode_;
  AggCtx* agg_ctx_ = nullptr;
  bool agg_allowed_ = false;
  bool repeated_select_var_ = false;  // the SELECT being finished listed a variable twice
  bool in_aggregate_ = false;
};

Status checkInput(std::string_view text, const ParseOptions& opts) {
  size_t max = opts.max_bytes > 0 ? opts.max_bytes : size_t{16} << 20;
  if (text.size() > max)
    return Status::syntaxError("1:1: query text of " + std::to_string(text.size()) +
                               " bytes exceeds the limit of " + std::to_string(max) + " bytes");
  std::string why;
  if (!rdf::checkUtf8(text, &why)) return Status::syntaxError("1:1: invalid UTF-8: " + why);
  return Status::ok();
}

}  // namespace

Result<Query> parseQuery(std::string_view text, const ParseOptions& opts) {
  Status s = checkInput(text, opts);
  if (!s.isOk()) return s;
  Parser p(text, opts);
  Query q;
  if (!p.parseQuery(q)) return p.status();
  return q;
}

Result<Update> parseUpdate(std::string_view text, const ParseOptions& opts) {
  Status s = checkInput(text, opts);
  if (!s.isOk()) return s;
  Parser p(text, opts);
  Update u;
  if (!p.parseUpdate(u)) return p.status();
  return u;
}

}  // namespace weft::sparql
