// SPDX-License-Identifier: Apache-2.0
// The JSONPath parser: a recursive descent over the ABNF of RFC 9535
// (collected in its Appendix A), one function per rule, with the
// well-typedness checks of section 2.4.3 done as function calls are built.
// Errors name the column (in characters, from 1) and what was expected.
#include <cmath>
#include <cstdlib>
#include <string>

#include "engine/jsonpath/internal/ast.h"
#include "engine/jsonpath/internal/parse.h"

namespace weft::jsonpath::internal {
namespace {

// I-JSON exact integer range (RFC 9535 section 2.1: [-(2^53)+1, (2^53)-1]).
constexpr int64_t kMaxExact = (int64_t{1} << 53) - 1;
// Nesting bound for parentheses, filters and function calls, so that a
// hostile query cannot exhaust the stack.
constexpr int kMaxNesting = 64;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isLcAlpha(char c) { return c >= 'a' && c <= 'z'; }

// Decodes one UTF-8 code point at s[pos]; false for malformed, overlong or
// surrogate sequences.
bool decodeUtf8(std::string_view s, size_t pos, uint32_t* cp, size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  size_t n;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    *len = 1;
    return true;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    v = c & 0x07;
  } else {
    return false;
  }
  if (pos + n > s.size()) return false;
  for (size_t i = 1; i < n; ++i) {
    unsigned char d = static_cast<unsigned char>(s[pos + i]);
    if ((d & 0xC0) != 0x80) return false;
    v = (v << 6) | (d & 0x3F);
  }
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF))) return false;
  if (v >= 0xD800 && v <= 0xDFFF) return false;
  *cp = v;
  *len = n;
  return true;
}

void appendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

const char* functionName(Function f) {
  switch (f) {
    case Function::kLength: return "length";
    case Function::kCount: return "count";
    case Function::kMatch: return "match";
    case Function::kSearch: return "search";
    case Function::kValue: return "value";
  }
  return "?";
}

Type resultType(Function f) {
  switch (f) {
    case Function::kLength:
    case Function::kCount:
    case Function::kValue: return Type::kValue;
    case Function::kMatch:
    case Function::kSearch: return Type::kLogical;
  }
  return Type::kValue;
}

bool isLogicalExpr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kOr:
    case Expr::Kind::kAnd:
    case Expr::Kind::kNot:
    case Expr::Kind::kCompare:
    case Expr::Kind::kExists:
    case Expr::Kind::kFuncTest: return true;
    default: return false;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  Status query(Path* out) {
    if (peek() != '$') {
      fail("'$' at the start of the query");
    } else {
      ++pos_;
      out->absolute = true;
      segments(out);
      if (ok_ && pos_ != t_.size()) {
        if (isBlank(peek())) {
          fail("no whitespace at the end of the query");
        } else {
          fail("a segment ('.name', '..', '[') or the end of the query");
        }
      }
    }
    return ok_ ? Status::ok() : status_;
  }

 private:
  // ---- helpers ----
  char peek(size_t ahead = 0) const { return pos_ + ahead < t_.size() ? t_[pos_ + ahead] : '\0'; }
  bool atEnd() const { return pos_ >= t_.size(); }
  void skipS() {
    while (!atEnd() && isBlank(t_[pos_])) ++pos_;
  }
  bool startsWith(std::string_view s) const { return t_.substr(pos_, s.size()) == s; }

  size_t column(size_t pos) const {
    size_t col = 1;
    for (size_t i = 0; i < pos && i < t_.size(); ++i) {
      if ((static_cast<unsigned char>(t_[i]) & 0xC0) != 0x80) ++col;
    }
    return col;
  }

  void failAt(size_t pos, const std::string& what) {
    if (!ok_) return;
    ok_ = false;
    std::string shown(t_.substr(0, 200));
    status_ = Status::syntaxError("jsonpath: column " + std::to_string(column(pos)) + ": expected " + what +
                                  " in '" + shown + (t_.size() > 200 ? "...'" : "'"));
  }
  void fail(const std::string& what) { failAt(pos_, what); }
  void typeError(size_t pos, const std::string& what) {
    if (!ok_) return;
    ok_ = false;
    status_ = Status::syntaxError("jsonpath: column " + std::to_string(column(pos)) + ": " + what + " in '" +
                                  std::string(t_.substr(0, 200)) + "'");
  }

  // ---- segments (section 2.5) ----

  // segments = *(S segment)
  void segments(Path* path) {
    while (ok_) {
      size_t save = pos_;
      skipS();
      char c = peek();
      if (c != '.' && c != '[') {
        pos_ = save;
        return;
      }
      Segment seg;
      bool inner_blank = false;
      if (c == '[') {
        bracketed(&seg, &inner_blank);
      } else if (peek(1) == '.') {
        pos_ += 2;
        seg.descendant = true;
        if (peek() == '[') {
          bracketed(&seg, &inner_blank);
        } else if (peek() == '*') {
          ++pos_;
          seg.selectors.emplace_back().kind = Selector::Kind::kWildcard;
        } else if (isNameFirst()) {
          seg.selectors.emplace_back().name = memberName();
        } else {
          fail("'[', '*' or a member name after '..'");
        }
      } else {
        ++pos_;
        if (peek() == '*') {
          ++pos_;
          seg.selectors.emplace_back().kind = Selector::Kind::kWildcard;
        } else if (isNameFirst()) {
          seg.selectors.emplace_back().name = memberName();
        } else {
          fail("a member name or '*' after '.'");
        }
      }
      if (!ok_) return;
      // Singular queries (section 2.3.5.1) use only name-segment and
      // index-segment: one name or index selector, no blanks inside brackets.
      bool singular_seg = !seg.descendant && seg.selectors.size() == 1 && !inner_blank &&
                          (seg.selectors[0].kind == Selector::Kind::kName ||
                           seg.selectors[0].kind == Selector::Kind::kIndex);
      if (!singular_seg) path->singular = false;
      path->segments.push_back(std::move(seg));
    }
  }

  // name-first = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF
  bool isNameFirst() const {
    char c = peek();
    if (isAlpha(c) || c == '_') return true;
    if (static_cast<unsigned char>(c) < 0x80) return false;
    uint32_t cp;
    size_t len;
    return decodeUtf8(t_, pos_, &cp, &len);
  }

  // member-name-shorthand = name-first *name-char
  std::string memberName() {
    size_t start = pos_;
    while (!atEnd()) {
      char c = t_[pos_];
      if (isAlpha(c) || c == '_' || isDigit(c)) {
        ++pos_;
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        uint32_t cp;
        size_t len;
        if (!decodeUtf8(t_, pos_, &cp, &len)) {
          fail("valid UTF-8");
          return {};
        }
        pos_ += len;
      } else {
        break;
      }
    }
    return std::string(t_.substr(start, pos_ - start));
  }

  // bracketed-selection = "[" S selector *(S "," S selector) S "]"
  void bracketed(Segment* seg, bool* inner_blank) {
    ++pos_;  // '['
    size_t before = pos_;
    skipS();
    if (pos_ != before) *inner_blank = true;
    for (;;) {
      selector(&seg->selectors.emplace_back());
      if (!ok_) return;
      before = pos_;
      skipS();
      if (pos_ != before) *inner_blank = true;
      if (peek() == ',') {
        ++pos_;
        skipS();
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return;
      }
      fail("',' or ']' after a selector");
      return;
    }
  }

  // selector = name-selector / wildcard-selector / slice-selector /
  //            index-selector / filter-selector
  void selector(Selector* sel) {
    char c = peek();
    if (c == '\'' || c == '"') {
      sel->kind = Selector::Kind::kName;
      stringLiteral(&sel->name);
    } else if (c == '*') {
      ++pos_;
      sel->kind = Selector::Kind::kWildcard;
    } else if (c == '?') {
      ++pos_;
      skipS();
      sel->kind = Selector::Kind::kFilter;
      if (++filter_depth_ > kMaxNesting) {
        fail("less deeply nested filters");
        return;
      }
      sel->filter = logicalExpr(0);
      --filter_depth_;
    } else if (c == '-' || isDigit(c) || c == ':') {
      indexOrSlice(sel);
    } else {
      fail("a selector (a quoted name, '*', an index, a slice or '?' filter)");
    }
  }

  // int = "0" / (["-"] DIGIT1 *DIGIT), within the I-JSON range.
  bool integer(int64_t* v) {
    size_t start = pos_;
    bool neg = false;
    if (peek() == '-') {
      neg = true;
      ++pos_;
    }
    if (!isDigit(peek())) {
      fail("a digit");
      return false;
    }
    if (peek() == '0') {
      ++pos_;
      if (neg) {
        failAt(start, "an integer other than -0");
        return false;
      }
      if (isDigit(peek())) {
        failAt(start, "an integer without leading zeros");
        return false;
      }
      *v = 0;
      return true;
    }
    int64_t acc = 0;
    while (isDigit(peek())) {
      acc = acc * 10 + (peek() - '0');
      ++pos_;
      if (acc > kMaxExact) {
        failAt(start, "an integer between -(2^53)+1 and (2^53)-1");
        return false;
      }
    }
    *v = neg ? -acc : acc;
    return true;
  }

  // index-selector = int
  // slice-selector = [start S] ":" S [end S] [":" [S step ]]
  void indexOrSlice(Selector* sel) {
    int64_t v = 0;
    bool has_start = false;
    if (peek() != ':') {
      if (!integer(&v)) return;
      has_start = true;
      size_t save = pos_;
      skipS();
      if (peek() != ':') {
        pos_ = save;
        sel->kind = Selector::Kind::kIndex;
        sel->index = v;
        return;
      }
    }
    sel->kind = Selector::Kind::kSlice;
    sel->has_start = has_start;
    sel->start = v;
    ++pos_;  // ':'
    skipS();
    if (peek() == '-' || isDigit(peek())) {
      if (!integer(&sel->end)) return;
      sel->has_end = true;
      skipS();
    }
    if (peek() == ':') {
      ++pos_;
      size_t save = pos_;
      skipS();
      if (peek() == '-' || isDigit(peek())) {
        if (!integer(&sel->step)) return;
        sel->has_step = true;
      } else {
        pos_ = save;
      }
    }
  }

  // string-literal (section 2.3.1.1), unescaped into *out.
  void stringLiteral(std::string* out) {
    char quote = t_[pos_++];
    for (;;) {
      if (atEnd()) {
        fail(std::string("a closing ") + (quote == '\'' ? "'" : "\"") + " quote");
        return;
      }
      unsigned char c = static_cast<unsigned char>(t_[pos_]);
      if (c == static_cast<unsigned char>(quote)) {
        ++pos_;
        return;
      }
      if (c < 0x20) {
        fail("no control character (U+0000 to U+001F) unescaped in a string");
        return;
      }
      if (c == '\\') {
        ++pos_;
        char e = peek();
        switch (e) {
          case 'b': out->push_back('\b'); break;
          case 'f': out->push_back('\f'); break;
          case 'n': out->push_back('\n'); break;
          case 'r': out->push_back('\r'); break;
          case 't': out->push_back('\t'); break;
          case '/': out->push_back('/'); break;
          case '\\': out->push_back('\\'); break;
          case 'u': {
            ++pos_;
            uint32_t cp;
            if (!hex4(&cp)) return;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
              failAt(pos_ - 4, "a \\u escape that is not a lone low surrogate");
              return;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (peek() != '\\' || peek(1) != 'u') {
                fail("a \\u low surrogate after a high surrogate");
                return;
              }
              pos_ += 2;
              uint32_t lo;
              if (!hex4(&lo)) return;
              if (lo < 0xDC00 || lo > 0xDFFF) {
                failAt(pos_ - 4, "a low surrogate (\\uDC00 to \\uDFFF)");
                return;
              }
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            appendUtf8(out, cp);
            continue;  // pos_ already past the escape
          }
          default:
            if (e == quote) {
              out->push_back(quote);
              break;
            }
            fail("an escape (\\b \\f \\n \\r \\t \\/ \\\\ \\uXXXX or the quote)");
            return;
        }
        ++pos_;
        continue;
      }
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      uint32_t cp;
      size_t len;
      if (!decodeUtf8(t_, pos_, &cp, &len)) {
        fail("valid UTF-8");
        return;
      }
      out->append(t_.substr(pos_, len));
      pos_ += len;
    }
  }

  bool hex4(uint32_t* cp) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = peek();
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        fail("four hex digits after \\u");
        return false;
      }
      v = v * 16 + static_cast<uint32_t>(d);
      ++pos_;
    }
    *cp = v;
    return true;
  }

  // ---- filter expressions (section 2.3.5) ----

  // logical-or-expr = logical-and-expr *(S "||" S logical-and-expr)
  std::unique_ptr<Expr> logicalExpr(int depth) {
    if (depth > kMaxNesting) {
      fail("less deeply nested expressions");
      return nullptr;
    }
    auto first = andExpr(depth);
    if (!ok_) return nullptr;
    std::unique_ptr<Expr> result;
    for (;;) {
      size_t save = pos_;
      skipS();
      if (!startsWith("||")) {
        pos_ = save;
        break;
      }
      pos_ += 2;
      skipS();
      auto next = andExpr(depth);
      if (!ok_) return nullptr;
      if (!result) {
        result = std::make_unique<Expr>();
        result->kind = Expr::Kind::kOr;
        result->children.push_back(std::move(first));
      }
      result->children.push_back(std::move(next));
    }
    return result ? std::move(result) : std::move(first);
  }

  // logical-and-expr = basic-expr *(S "&&" S basic-expr)
  std::unique_ptr<Expr> andExpr(int depth) {
    auto first = basicExpr(depth);
    if (!ok_) return nullptr;
    std::unique_ptr<Expr> result;
    for (;;) {
      size_t save = pos_;
      skipS();
      if (!startsWith("&&")) {
        pos_ = save;
        break;
      }
      pos_ += 2;
      skipS();
      auto next = basicExpr(depth);
      if (!ok_) return nullptr;
      if (!result) {
        result = std::make_unique<Expr>();
        result->kind = Expr::Kind::kAnd;
        result->children.push_back(std::move(first));
      }
      result->children.push_back(std::move(next));
    }
    return result ? std::move(result) : std::move(first);
  }

  // paren-expr = [logical-not-op S] "(" S logical-expr S ")"
  std::unique_ptr<Expr> parenExpr(int depth) {
    ++pos_;  // '('
    skipS();
    auto inner = logicalExpr(depth + 1);
    if (!ok_) return nullptr;
    skipS();
    if (peek() != ')') {
      fail("')' or a logical operator ('&&', '||')");
      return nullptr;
    }
    ++pos_;
    return inner;
  }

  // basic-expr = paren-expr / comparison-expr / test-expr
  std::unique_ptr<Expr> basicExpr(int depth) {
    if (peek() == '!') {
      ++pos_;
      skipS();
      std::unique_ptr<Expr> inner;
      if (peek() == '(') {
        inner = parenExpr(depth);
      } else {
        size_t start = pos_;
        auto prim = primary(depth);
        if (!ok_) return nullptr;
        inner = toTest(std::move(prim), start);
        if (!ok_) return nullptr;
        size_t save = pos_;
        skipS();
        if (comparisonOp(nullptr)) {
          fail("no comparison after a negated test ('!' applies to tests and parentheses)");
          return nullptr;
        }
        pos_ = save;
      }
      if (!ok_) return nullptr;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kNot;
      e->children.push_back(std::move(inner));
      return e;
    }
    if (peek() == '(') return parenExpr(depth);
    size_t start = pos_;
    auto lhs = primary(depth);
    if (!ok_) return nullptr;
    size_t save = pos_;
    skipS();
    CmpOp op;
    if (comparisonOp(&op)) {
      checkComparable(*lhs, start);
      skipS();
      size_t rstart = pos_;
      auto rhs = primary(depth);
      if (!ok_) return nullptr;
      checkComparable(*rhs, rstart);
      if (!ok_) return nullptr;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kCompare;
      e->op = op;
      e->children.push_back(std::move(lhs));
      e->children.push_back(std::move(rhs));
      return e;
    }
    pos_ = save;
    return toTest(std::move(lhs), start);
  }

  // A primary used as test-expr: a filter query (existence) or a function
  // of LogicalType or NodesType (section 2.4.3).
  std::unique_ptr<Expr> toTest(std::unique_ptr<Expr> prim, size_t start) {
    if (!ok_) return nullptr;
    switch (prim->kind) {
      case Expr::Kind::kQuery:
        prim->kind = Expr::Kind::kExists;
        return prim;
      case Expr::Kind::kCall:
        if (resultType(prim->func) == Type::kValue) {
          typeError(start, std::string("function ") + functionName(prim->func) +
                               "() returns a value, which is not a test; compare it");
          return nullptr;
        }
        prim->kind = Expr::Kind::kFuncTest;
        return prim;
      default:
        failAt(start, "a comparison operator after a literal (a literal is not a test)");
        return nullptr;
    }
  }

  // comparable = literal / singular-query / function-expr (of ValueType)
  void checkComparable(const Expr& e, size_t start) {
    if (!ok_) return;
    if (e.kind == Expr::Kind::kQuery && !e.path->singular) {
      typeError(start, "a comparison needs a singular query (only names and indexes), not a nodelist");
    } else if (e.kind == Expr::Kind::kCall && resultType(e.func) != Type::kValue) {
      typeError(start, std::string("function ") + functionName(e.func) +
                           "() returns a logical value, which cannot be compared");
    }
  }

  // comparison-op = "==" / "!=" / "<=" / ">=" / "<" / ">"
  bool comparisonOp(CmpOp* op) {
    CmpOp o;
    size_t n = 2;
    if (startsWith("==")) {
      o = CmpOp::kEq;
    } else if (startsWith("!=")) {
      o = CmpOp::kNe;
    } else if (startsWith("<=")) {
      o = CmpOp::kLe;
    } else if (startsWith(">=")) {
      o = CmpOp::kGe;
    } else if (peek() == '<') {
      o = CmpOp::kLt;
      n = 1;
    } else if (peek() == '>') {
      o = CmpOp::kGt;
      n = 1;
    } else {
      return false;
    }
    if (op != nullptr) {
      *op = o;
      pos_ += n;
    }
    return true;
  }

  // literal / filter-query / function-expr
  std::unique_ptr<Expr> primary(int depth) {
    auto e = std::make_unique<Expr>();
    char c = peek();
    if (c == '@' || c == '$') {
      e->kind = Expr::Kind::kQuery;
      e->path = std::make_unique<Path>();
      e->path->absolute = c == '$';
      ++pos_;
      segments(e->path.get());
      return ok_ ? std::move(e) : nullptr;
    }
    if (c == '\'' || c == '"') {
      e->kind = Expr::Kind::kLiteral;
      e->literal.kind = Literal::Kind::kString;
      stringLiteral(&e->literal.s);
      return ok_ ? std::move(e) : nullptr;
    }
    if (c == '-' || isDigit(c)) {
      e->kind = Expr::Kind::kLiteral;
      number(&e->literal);
      return ok_ ? std::move(e) : nullptr;
    }
    if (isLcAlpha(c)) {
      size_t start = pos_;
      while (isLcAlpha(peek()) || isDigit(peek()) || peek() == '_') ++pos_;
      std::string_view name = t_.substr(start, pos_ - start);
      if (peek() == '(') return call(name, start, depth);
      e->kind = Expr::Kind::kLiteral;
      if (name == "true") {
        e->literal.kind = Literal::Kind::kTrue;
      } else if (name == "false") {
        e->literal.kind = Literal::Kind::kFalse;
      } else if (name == "null") {
        e->literal.kind = Literal::Kind::kNull;
      } else {
        failAt(start, "a literal (true, false, null) or a function call '" + std::string(name) + "('");
        return nullptr;
      }
      return e;
    }
    fail("a query ('@...' or '$...'), a literal or a function call");
    return nullptr;
  }

  // number = (int / "-0") [ frac ] [ exp ]
  void number(Literal* lit) {
    size_t start = pos_;
    lit->kind = Literal::Kind::kNumber;
    if (peek() == '-') ++pos_;
    if (!isDigit(peek())) {
      fail("a digit");
      return;
    }
    if (peek() == '0') {
      ++pos_;
      if (isDigit(peek())) {
        failAt(start, "a number without leading zeros");
        return;
      }
    } else {
      while (isDigit(peek())) ++pos_;
    }
    bool integral = true;
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!isDigit(peek())) {
        fail("a digit after '.'");
        return;
      }
      while (isDigit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!isDigit(peek())) {
        fail("a digit in the exponent");
        return;
      }
      while (isDigit(peek())) ++pos_;
    }
    std::string text(t_.substr(start, pos_ - start));
    lit->d = std::strtod(text.c_str(), nullptr);
    if (integral && std::fabs(lit->d) < 9.2e18) {
      lit->is_int = true;
      lit->i = std::strtoll(text.c_str(), nullptr, 10);
    }
  }

  // function-expr = function-name "(" S [function-argument
  //                 *(S "," S function-argument)] S ")"
  std::unique_ptr<Expr> call(std::string_view name, size_t start, int depth) {
    if (depth > kMaxNesting) {
      fail("less deeply nested function calls");
      return nullptr;
    }
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kCall;
    std::vector<Type> params;
    if (name == "length") {
      e->func = Function::kLength;
      params = {Type::kValue};
    } else if (name == "count") {
      e->func = Function::kCount;
      params = {Type::kNodes};
    } else if (name == "match") {
      e->func = Function::kMatch;
      params = {Type::kValue, Type::kValue};
    } else if (name == "search") {
      e->func = Function::kSearch;
      params = {Type::kValue, Type::kValue};
    } else if (name == "value") {
      e->func = Function::kValue;
      params = {Type::kNodes};
    } else {
      failAt(start, "a known function (length, count, match, search, value), not '" + std::string(name) + "'");
      return nullptr;
    }
    ++pos_;  // '('
    skipS();
    std::vector<size_t> arg_pos;
    if (peek() != ')') {
      for (;;) {
        arg_pos.push_back(pos_);
        auto arg = argument(depth + 1);
        if (!ok_) return nullptr;
        e->children.push_back(std::move(arg));
        skipS();
        if (peek() == ',') {
          ++pos_;
          skipS();
          continue;
        }
        break;
      }
    }
    if (peek() != ')') {
      fail("',' or ')' in the arguments of " + std::string(name) + "()");
      return nullptr;
    }
    ++pos_;
    if (e->children.size() != params.size()) {
      typeError(start, std::string(name) + "() takes " + std::to_string(params.size()) + " argument" +
                           (params.size() == 1 ? "" : "s") + ", not " + std::to_string(e->children.size()));
      return nullptr;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const Expr& a = *e->children[i];
      bool fits = false;
      if (params[i] == Type::kValue) {
        fits = a.kind == Expr::Kind::kLiteral || (a.kind == Expr::Kind::kQuery && a.path->singular) ||
               (a.kind == Expr::Kind::kCall && resultType(a.func) == Type::kValue);
      } else {
        fits = a.kind == Expr::Kind::kQuery;
      }
      if (!fits) {
        typeError(arg_pos[i], "argument " + std::to_string(i + 1) + " of " + std::string(name) + "() must be " +
                                  (params[i] == Type::kValue
                                       ? "a value (a literal, a singular query or a value function)"
                                       : "a nodelist (a query)"));
        return nullptr;
      }
    }
    if ((e->func == Function::kMatch || e->func == Function::kSearch) &&
        e->children[1]->kind == Expr::Kind::kLiteral && e->children[1]->literal.kind == Literal::Kind::kString) {
      e->regex_literal = true;
      e->regex = Regex::compile(e->children[1]->literal.s, e->func == Function::kMatch);
    }
    return e;
  }

  // function-argument = literal / filter-query / logical-expr / function-expr
  std::unique_ptr<Expr> argument(int depth) {
    size_t start = pos_;
    char c = peek();
    if (c != '!' && c != '(') {
      auto prim = primary(depth);
      if (!ok_) return nullptr;
      size_t save = pos_;
      skipS();
      if (peek() == ',' || peek() == ')') {
        pos_ = save;
        return prim;
      }
      pos_ = start;
    }
    auto e = logicalExpr(depth);
    if (!ok_) return nullptr;
    if (!isLogicalExpr(*e)) fail("a function argument");
    return e;
  }

  std::string_view t_;
  size_t pos_ = 0;
  bool ok_ = true;
  int filter_depth_ = 0;
  Status status_;
};

}  // namespace

Status parseQuery(std::string_view text, Path* out) { return Parser(text).query(out); }

}  // namespace weft::jsonpath::internal
