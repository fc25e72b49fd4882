// SPDX-License-Identifier: Apache-2.0
// SPARQL tokenizer: the terminals of https://www.w3.org/TR/sparql11-query/#terminals
// (section 19.8), comments (19.4) and codepoint escapes (19.2).
#include "engine/sparql/internal/lexer.h"

#include <cctype>
#include <cstring>

#include "engine/core/utf8.h"
#include "engine/rdf/iri.h"

namespace weft::sparql::internal {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one UTF-8 code point at `i` (the input was checked to be UTF-8).
uint32_t decodeAt(std::string_view s, size_t i, size_t* len) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { *len = 1; return c; }
  int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  uint32_t cp = c & (0x3F >> (n - 1));
  size_t k = 1;
  for (; k < static_cast<size_t>(n) && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *len = k;
  return cp;
}

using rdf::isPnChars;
using rdf::isPnCharsBase;
using rdf::isPnCharsU;
bool isVarChar(uint32_t c) {
  return isPnCharsU(c) || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  Lexer(std::string_view s, size_t pos) : s_(s), p_(pos) {}
  size_t pos() const { return p_; }

  Token next() {
    skipSpace();
    return scan();
  }

 private:
  uint32_t cpAt(size_t i, size_t* len) const {
    if (i >= s_.size()) { *len = 0; return 0; }
    return decodeAt(s_, i, len);
  }

  Token error(size_t at, std::string msg) {
    Token t;
    t.kind = TokKind::kError;
    t.begin = at;
    t.end = at;
    t.value = std::move(msg);
    return t;
  }

  void skipSpace() {
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++p_;
      } else if (c == '#') {
        while (p_ < s_.size() && s_[p_] != '\n' && s_[p_] != '\r') ++p_;
      } else {
        break;
      }
    }
  }

  Token scan() {
    Token t;
    t.begin = p_;
    if (p_ >= s_.size()) {
      t.kind = TokKind::kEof;
      t.end = p_;
      return t;
    }
    char c = s_[p_];
    if (c == '<') {
      if (scanIri(t)) return t;
      p_ = t.begin;
    }
    if (c == '"' || c == '\'') return scanString(t);
    if (c == '?' || c == '$') {
      size_t len;
      uint32_t cp = cpAt(p_ + 1, &len);
      if (len && isVarChar(cp)) {
        size_t q = p_ + 1;
        while (q < s_.size()) {
          cp = cpAt(q, &len);
          if (!isVarChar(cp)) break;
          q += len;
        }
        t.kind = TokKind::kVar;
        t.value = std::string(s_.substr(p_ + 1, q - p_ - 1));
        p_ = q;
        t.end = p_;
        return t;
      }
      if (c == '$') return error(p_, "'$' must start a variable name");
    }
    if (isDigit(c) || (c == '.' && p_ + 1 < s_.size() && isDigit(s_[p_ + 1]))) return scanNumber(t);
    if (c == '@') {
      size_t q = p_ + 1;
      while (q < s_.size() && std::isalpha(static_cast<unsigned char>(s_[q]))) ++q;
      if (q == p_ + 1) return error(p_, "'@' must start a language tag");
      while (q + 1 < s_.size() && s_[q] == '-' && std::isalnum(static_cast<unsigned char>(s_[q + 1]))) {
        ++q;
        while (q < s_.size() && std::isalnum(static_cast<unsigned char>(s_[q]))) ++q;
      }
      t.kind = TokKind::kLangTag;
      t.value = std::string(s_.substr(p_ + 1, q - p_ - 1));
      p_ = q;
      t.end = p_;
      return t;
    }
    if (c == '_' && p_ + 1 < s_.size() && s_[p_ + 1] == ':') return scanBlank(t);
    {
      size_t len;
      uint32_t cp = cpAt(p_, &len);
      if (isPnCharsBase(cp) || c == ':') return scanName(t);
    }
    static const char* kTwo[] = {"^^", "<=", ">=", "!=", "&&", "||"};
    for (const char* op : kTwo) {
      if (s_.substr(p_, 2) == op) {
        t.kind = TokKind::kPunct;
        t.value = op;
        p_ += 2;
        t.end = p_;
        return t;
      }
    }
    if (std::strchr("{}()[].,;*/|^?+-!=<>", c) != nullptr) {
      t.kind = TokKind::kPunct;
      t.value = std::string(1, c);
      ++p_;
      t.end = p_;
      if ((c == '+' || c == '-') && p_ < s_.size() &&
          (isDigit(s_[p_]) || (s_[p_] == '.' && p_ + 1 < s_.size() && isDigit(s_[p_ + 1]))))
        t.sign_of_number = true;
      return t;
    }
    size_t len;
    cpAt(p_, &len);
    return error(p_, "unexpected character '" + std::string(s_.substr(p_, len ? len : 1)) + "'");
  }

  // IRIREF ::= '<' ([^<>"{}|^`\]-[#x00-#x20])* '>'; false if this '<' is not one.
  bool scanIri(Token& t) {
    size_t q = p_ + 1;
    std::string v;
    while (q < s_.size()) {
      char c = s_[q];
      if (c == '>') {
        t.kind = TokKind::kIri;
        t.value = std::move(v);
        p_ = q + 1;
        t.end = p_;
        return true;
      }
      if (c == '\\' && q + 1 < s_.size() && (s_[q + 1] == 'u' || s_[q + 1] == 'U')) {
        uint32_t cp;
        size_t n;
        if (!hexEscape(q, &cp, &n)) return false;
        appendUtf8(v, cp);
        q += n;
        continue;
      }
      if (static_cast<unsigned char>(c) <= 0x20 || std::strchr("<\"{}|^`\\", c) != nullptr)
        return false;
      v.push_back(c);
      ++q;
    }
    return false;
  }

  // \uXXXX or \UXXXXXXXX at q; n = its length.
  bool hexEscape(size_t q, uint32_t* cp, size_t* n) {
    size_t digits = s_[q + 1] == 'u' ? 4 : 8;
    if (q + 2 + digits > s_.size()) return false;
    uint32_t v = 0;
    for (size_t i = 0; i < digits; ++i) {
      int h = hexValue(s_[q + 2 + i]);
      if (h < 0) return false;
      v = v * 16 + static_cast<uint32_t>(h);
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
    *cp = v;
    *n = 2 + digits;
    return true;
  }

  Token scanString(Token& t) {
    char q = s_[p_];
    bool longForm = s_.substr(p_, 3) == std::string(3, q);
    size_t i = p_ + (longForm ? 3 : 1);
    std::string v;
    for (;;) {
      if (i >= s_.size()) return error(t.begin, "unterminated string literal");
      char c = s_[i];
      if (c == q) {
        if (!longForm) { ++i; break; }
        if (s_.substr(i, 3) == std::string(3, q)) {
          // A long string may end with one or two quote characters: """a""""" .
          size_t j = i + 3;
          while (j < s_.size() && s_[j] == q && j - i < 5) ++j;
          v.append(j - i - 3, q);
          i = j;
          break;
        }
        v.push_back(c);
        ++i;
        continue;
      }
      if (!longForm && (c == '\n' || c == '\r'))
        return error(i, "line break in a short string literal");
      if (c == '\\') {
        if (i + 1 >= s_.size()) return error(i, "unterminated string literal");
        char e = s_[i + 1];
        switch (e) {
          case 't': v.push_back('\t'); break;
          case 'b': v.push_back('\b'); break;
          case 'n': v.push_back('\n'); break;
          case 'r': v.push_back('\r'); break;
          case 'f': v.push_back('\f'); break;
          case '"': v.push_back('"'); break;
          case '\'': v.push_back('\''); break;
          case '\\': v.push_back('\\'); break;
          case 'u':
          case 'U': {
            uint32_t cp;
            size_t n;
            if (!hexEscape(i, &cp, &n)) return error(i, "invalid \\u escape in a string literal");
            appendUtf8(v, cp);
            i += n;
            continue;
          }
          default:
            return error(i, "invalid escape sequence '\\" + std::string(1, e) + "' in a string literal");
        }
        i += 2;
        continue;
      }
      v.push_back(c);
      ++i;
    }
    t.kind = TokKind::kString;
    t.value = std::move(v);
    p_ = i;
    t.end = p_;
    return t;
  }

  Token scanNumber(Token& t) {
    size_t i = p_;
    while (i < s_.size() && isDigit(s_[i])) ++i;
    bool intDigits = i > p_;
    TokKind kind = TokKind::kInteger;
    if (i < s_.size() && s_[i] == '.') {
      size_t j = i + 1;
      while (j < s_.size() && isDigit(s_[j])) ++j;
      bool frac = j > i + 1;
      bool exp = j < s_.size() && (s_[j] == 'e' || s_[j] == 'E');
      if (frac || (exp && intDigits)) {
        i = j;
        kind = TokKind::kDecimal;
      }
    }
    if (i < s_.size() && (s_[i] == 'e' || s_[i] == 'E')) {
      size_t j = i + 1;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      size_t d = j;
      while (j < s_.size() && isDigit(s_[j])) ++j;
      if (j > d) {
        i = j;
        kind = TokKind::kDouble;
      }
    }
    t.kind = kind;
    t.value = std::string(s_.substr(p_, i - p_));
    p_ = i;
    t.end = p_;
    return t;
  }

  Token scanBlank(Token& t) {
    size_t i = p_ + 2;
    size_t len;
    uint32_t cp = cpAt(i, &len);
    if (!len || !(isPnCharsU(cp) || (cp >= '0' && cp <= '9')))
      return error(p_, "invalid blank node label");
    i += len;
    size_t lastGood = i;
    while (i < s_.size()) {
      cp = cpAt(i, &len);
      if (isPnChars(cp)) {
        i += len;
        lastGood = i;
      } else if (cp == '.') {
        i += len;
      } else {
        break;
      }
    }
    t.kind = TokKind::kBlank;
    t.value = std::string(s_.substr(p_ + 2, lastGood - p_ - 2));
    p_ = lastGood;
    t.end = p_;
    return t;
  }

  // A prefixed name, or else a bare word (keyword).
  Token scanName(Token& t) {
    size_t i = p_;
    size_t len;
    size_t prefixEnd = p_;
    if (s_[p_] != ':') {
      // PN_PREFIX ::= PN_CHARS_BASE ((PN_CHARS|'.')* PN_CHARS)?
      cpAt(i, &len);
      i += len;
      prefixEnd = i;
      while (i < s_.size()) {
        uint32_t cp = cpAt(i, &len);
        if (isPnChars(cp)) {
          i += len;
          prefixEnd = i;
        } else if (cp == '.') {
          i += len;
        } else {
          break;
        }
      }
    }
    if (prefixEnd < s_.size() && s_[prefixEnd] == ':') {
      t.kind = TokKind::kPName;
      t.prefix = std::string(s_.substr(p_, prefixEnd - p_));
      p_ = prefixEnd + 1;
      return scanLocal(t);
    }
    // A keyword: [A-Za-z_][A-Za-z0-9_]*
    i = p_;
    while (i < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i])) || s_[i] == '_')) ++i;
    if (i == p_) return error(p_, "unexpected character");
    t.kind = TokKind::kWord;
    t.value = std::string(s_.substr(p_, i - p_));
    p_ = i;
    t.end = p_;
    return t;
  }

  // PN_LOCAL with PLX (percent-encoding kept, '\' escapes removed).
  Token scanLocal(Token& t) {
    std::string v;
    size_t i = p_;
    size_t lastGood = i;
    std::string good;
    bool first = true;
    while (i < s_.size()) {
      char c = s_[i];
      size_t len;
      uint32_t cp = cpAt(i, &len);
      if (c == '%') {
        if (i + 2 >= s_.size() || hexValue(s_[i + 1]) < 0 || hexValue(s_[i + 2]) < 0)
          return error(i, "invalid percent-encoding in a prefixed name");
        v.append(s_.substr(i, 3));
        i += 3;
      } else if (c == '\\') {
        if (i + 1 >= s_.size() || s_[i + 1] == '\0' ||
            std::strchr("_~.-!$&'()*+,;=/?#@%", s_[i + 1]) == nullptr)
          return error(i, "invalid escape in a prefixed name");
        v.push_back(s_[i + 1]);
        i += 2;
      } else if (isPnCharsU(cp) || c == ':' || (cp >= '0' && cp <= '9') ||
                 (!first && isPnChars(cp))) {
        v.append(s_.substr(i, len));
        i += len;
      } else if (!first && c == '.') {
        v.push_back('.');
        i += 1;
        first = false;
        continue;  // a trailing '.' is not part of the name
      } else {
        break;
      }
      first = false;
      lastGood = i;
      good = v;
    }
    t.value = std::move(good);
    p_ = lastGood;
    t.end = p_;
    return t;
  }

  std::string_view s_;
  size_t p_ = 0;
};

}  // namespace


std::string decodeCodepointEscapes(std::string_view s) {
  if (s.find('\\') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      out.push_back(c);
      continue;
    }
    char e = s[i + 1];
    if (e == '\\') {  // an escaped backslash: keep both
      out.append("\\\\");
      ++i;
      continue;
    }
    if (e == 'u' || e == 'U') {
      size_t digits = e == 'u' ? 4 : 8;
      uint32_t v = 0;
      bool ok = i + 2 + digits <= s.size();
      for (size_t k = 0; ok && k < digits; ++k) {
        int h = hexValue(s[i + 2 + k]);
        if (h < 0) ok = false;
        else v = v * 16 + static_cast<uint32_t>(h);
      }
      if (ok && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) && v != '"' && v != '\'' &&
          v != '\\' && v != 0) {
        appendUtf8(out, v);
        i += 1 + digits;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

Token nextToken(std::string_view text, size_t* pos) {
  Lexer lx(text, *pos);
  Token t = lx.next();
  *pos = lx.pos();
  return t;
}

void lineColumn(std::string_view text, size_t offset, int* line, int* column) {
  int l = 1, col = 1;
  if (offset > text.size()) offset = text.size();
  for (size_t i = 0; i < offset; ++i) {
    char c = text[i];
    if (c == '\n') {
      ++l;
      col = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++col;
    }
  }
  *line = l;
  *column = col;
}

}  // namespace weft::sparql::internal
