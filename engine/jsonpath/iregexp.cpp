// SPDX-License-Identifier: Apache-2.0
// I-Regexp (RFC 9485) checking and translation to PCRE2; see
// internal/iregexp.h. The recursive descent follows the ABNF of RFC 9485
// section 3 rule by rule.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdio>

#include "engine/jsonpath/internal/iregexp.h"

namespace weft::jsonpath::internal {
namespace {

class Translator {
 public:
  explicit Translator(std::string_view p) : p_(p) {}

  std::optional<std::string> run() {
    if (!regexp(0)) return std::nullopt;
    if (pos_ != p_.size()) return std::nullopt;
    return std::move(out_);
  }

 private:
  bool atEnd() const { return pos_ >= p_.size(); }
  char peek() const { return atEnd() ? '\0' : p_[pos_]; }

  // One literal code point (or raw UTF-8 lead byte sequence) from the
  // pattern, written so that PCRE2 reads it literally.
  void emitLiteral(unsigned char c) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c >= 0x80 || alnum) {
      out_.push_back(static_cast<char>(c));
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\x{%x}", c);
      out_ += buf;
    }
  }

  // Copies one code point starting at pos_ (ASCII escaped, UTF-8 as is).
  void copyCodePoint() {
    unsigned char c = static_cast<unsigned char>(p_[pos_++]);
    emitLiteral(c);
    if (c >= 0x80) {
      while (!atEnd() && (static_cast<unsigned char>(p_[pos_]) & 0xC0) == 0x80) {
        out_.push_back(p_[pos_++]);
      }
    }
  }

  // i-regexp = branch *( "|" branch )
  bool regexp(int depth) {
    if (depth > 200) return false;
    if (!branch(depth)) return false;
    while (peek() == '|') {
      ++pos_;
      out_.push_back('|');
      if (!branch(depth)) return false;
    }
    return true;
  }

  // branch = *piece
  bool branch(int depth) {
    while (!atEnd() && peek() != '|' && peek() != ')') {
      if (!piece(depth)) return false;
    }
    return true;
  }

  // piece = atom [ quantifier ]
  bool piece(int depth) {
    if (!atom(depth)) return false;
    char c = peek();
    if (c == '*' || c == '+' || c == '?') {
      out_.push_back(c);
      ++pos_;
      return true;
    }
    if (c == '{') return rangeQuantifier();
    return true;
  }

  // range-quantifier = "{" QuantExact [ "," [ QuantExact ] ] "}"
  bool rangeQuantifier() {
    ++pos_;
    out_.push_back('{');
    if (!digits()) return false;
    if (peek() == ',') {
      ++pos_;
      out_.push_back(',');
      if (peek() >= '0' && peek() <= '9' && !digits()) return false;
    }
    if (peek() != '}') return false;
    ++pos_;
    out_.push_back('}');
    return true;
  }

  bool digits() {
    size_t start = pos_;
    while (peek() >= '0' && peek() <= '9') out_.push_back(p_[pos_++]);
    return pos_ > start;
  }

  // atom = NormalChar / charClass / ( "(" i-regexp ")" )
  bool atom(int depth) {
    char c = peek();
    switch (c) {
      case '(':
        ++pos_;
        out_ += "(?:";
        if (!regexp(depth + 1)) return false;
        if (peek() != ')') return false;
        ++pos_;
        out_.push_back(')');
        return true;
      case '.':
        ++pos_;
        out_ += "[^\\n\\r]";
        return true;
      case '\\':
        return escape(false);
      case '[':
        return classExpr();
      case ')': case '*': case '+': case '?': case ']': case '{': case '|': case '}':
        return false;
      case '^':
      case '$':
        // NormalChar in the RFC 9485 grammar, but the mappings of its
        // section 5 pass them through to the target dialect, where they
        // anchor; the JSONPath compliance suite ("functions, match,
        // explicit caret/dollar") expects that, so they stay anchors.
        out_.push_back(c);
        ++pos_;
        return true;
      default:
        copyCodePoint();
        return true;
    }
  }

  // SingleCharEsc / catEsc / complEsc, after a backslash.
  bool escape(bool in_class) {
    (void)in_class;
    ++pos_;  // the backslash
    if (atEnd()) return false;
    char c = p_[pos_++];
    switch (c) {
      case 'n': out_ += "\\n"; return true;
      case 'r': out_ += "\\r"; return true;
      case 't': out_ += "\\t"; return true;
      case 'p': case 'P': return category(c);
      case '(': case ')': case '*': case '+': case '-': case '.': case '?':
      case '[': case '\\': case ']': case '^': case '{': case '|': case '}':
        emitLiteral(static_cast<unsigned char>(c));
        return true;
      default:
        return false;
    }
  }

  // catEsc = "\p{" charProp "}", complEsc = "\P{" charProp "}"
  bool category(char pc) {
    if (peek() != '{') return false;
    ++pos_;
    size_t start = pos_;
    while (!atEnd() && peek() != '}') ++pos_;
    if (atEnd()) return false;
    std::string_view name = p_.substr(start, pos_ - start);
    ++pos_;
    if (name.empty() || name.size() > 2) return false;
    static constexpr std::string_view kSubs[] = {"L", "lmotu", "M", "cen", "N", "dlo", "P", "cdefios",
                                                 "Z", "lps",   "S", "ckmo", "C", "cfno"};
    bool ok = false;
    for (size_t i = 0; i < std::size(kSubs); i += 2) {
      if (name[0] != kSubs[i][0]) continue;
      ok = name.size() == 1 || kSubs[i + 1].find(name[1]) != std::string_view::npos;
    }
    if (!ok) return false;
    out_.push_back('\\');
    out_.push_back(pc);
    out_.push_back('{');
    out_ += name;
    out_.push_back('}');
    return true;
  }

  // CCchar = ( %x00-2C / %x2E-5A / %x5E-D7FF / %xE000-10FFFF ) / SingleCharEsc
  bool ccChar() {
    char c = peek();
    if (c == '\\') {
      if (pos_ + 1 < p_.size() && (p_[pos_ + 1] == 'p' || p_[pos_ + 1] == 'P')) return false;
      return escape(true);
    }
    if (atEnd() || c == '-' || c == '[' || c == ']') return false;
    copyCodePoint();
    return true;
  }

  // charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
  // CCE1 = ( CCchar [ "-" CCchar ] ) / charClassEsc
  bool classExpr() {
    ++pos_;
    out_.push_back('[');
    if (peek() == '^') {
      ++pos_;
      out_.push_back('^');
    }
    bool first = true;
    for (;;) {
      if (atEnd()) return false;
      char c = peek();
      if (c == ']') {
        if (first) return false;
        ++pos_;
        out_.push_back(']');
        return true;
      }
      if (c == '-') {
        // Allowed first, or last just before ']'.
        if (!first && (pos_ + 1 >= p_.size() || p_[pos_ + 1] != ']')) return false;
        ++pos_;
        emitLiteral('-');
        first = false;
        continue;
      }
      first = false;
      if (c == '\\' && pos_ + 1 < p_.size() && (p_[pos_ + 1] == 'p' || p_[pos_ + 1] == 'P')) {
        if (!escape(true)) return false;
        continue;
      }
      if (!ccChar()) return false;
      if (peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
        ++pos_;
        out_.push_back('-');
        if (!ccChar()) return false;
      }
    }
  }

  std::string_view p_;
  size_t pos_ = 0;
  std::string out_;
};

struct MatchState {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  MatchState() {
    data = pcre2_match_data_create(1, nullptr);
    context = pcre2_match_context_create(nullptr);
    // Bound backtracking so hostile patterns cannot hang a mapping.
    pcre2_set_match_limit(context, 1000000);
    pcre2_set_depth_limit(context, 10000);
  }
  ~MatchState() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
  }
};

}  // namespace

std::optional<std::string> translateIRegexp(std::string_view pattern) {
  return Translator(pattern).run();
}

std::shared_ptr<const Regex> Regex::compile(std::string_view pattern, bool whole) {
  std::optional<std::string> translated = translateIRegexp(pattern);
  if (!translated) return nullptr;
  uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY;
  if (whole) options |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated->data()), translated->size(),
                                   options, &error, &offset, nullptr);
  if (code == nullptr) return nullptr;
  return std::shared_ptr<const Regex>(new Regex(code));
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

bool Regex::matches(std::string_view subject) const {
  thread_local MatchState state;
  int rc = pcre2_match(static_cast<const pcre2_code*>(code_), reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), 0, 0, state.data, state.context);
  return rc >= 0;
}

}  // namespace weft::jsonpath::internal
