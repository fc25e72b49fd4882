// SPDX-License-Identifier: Apache-2.0
// GREL functions (OpenRefine's General Refine Expression Language,
// https://openrefine.org/docs/manual/grelfunctions) as described in FnO by
// the GREL function descriptions (namespace
// http://users.ugent.be/~bjdmeest/function/grel.ttl#), with the parameter and
// output IRIs of those descriptions so mappings written for other engines
// run unchanged. Behaviour follows the OpenRefine manual; where the manual
// leaves room, the choices are noted at the function.
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/fnml/internal/common.h"
#include "engine/fnml/internal/datetime.h"

namespace weft::fnml::internal {

namespace {

constexpr std::string_view G = kGrel;


Parameter pValue() { return param(G, "valueParam", "valueParameter"); }
Parameter pFrom() { return param(G, "p_int_i_from", "param_int_i_from"); }
Parameter pTo() { return param(G, "p_int_i_opt_to", "param_int_i_opt_to", false); }
Parameter pFind() { return param(G, "param_find", "p_string_find"); }
Parameter pReplace() { return param(G, "param_replace", "p_string_replace"); }
Parameter pSub() { return param(G, "param_string_sub", "string_sub"); }
Parameter pSep() { return param(G, "param_string_sep", "p_string_sep"); }
Parameter pRegex() { return param(G, "param_regex", "p_string_regex"); }
Parameter pArray() { return param(G, "param_a", "p_array_a", true, true); }
Parameter pMode() { return param(G, "modeParam", "modeParameter"); }
Parameter pAny() { return param(G, "param_any_e", "p_any_e"); }
Parameter pBoolList() { return param(G, "bool_array_b", "param_rep_b", true, true); }
Parameter pBool() { return param(G, "param_b", "bool_b"); }
Parameter pTrue() { return param(G, "param_true", "any_true"); }
Parameter pFalse() { return param(G, "param_false", "any_false", false); }
Parameter pAnyList() { return param(G, "param_any_rep_e", "p_any_rep_e", true, true); }
Parameter pDec() { return param(G, "param_dec_n", "p_dec_n"); }
Parameter pDec2() { return param(G, "param_dec_n2", "param_n2"); }
Parameter pExp() { return param(G, "param_dec_n_exp", "p_any_exp"); }
Parameter pInt() { return param(G, "param_int_i", "p_int_i"); }
Parameter pInt2() { return param(G, "param_int_i2", "p_int_i2"); }
Parameter pPattern() { return param(G, "param_string_pattern", "p_string_pattern"); }

Output oString() { return output(G, "stringOut", "stringOutput"); }
Output oNumber() { return output(G, "output_number", "o_number"); }
Output oBool() { return output(G, "output_bool", "o_bool"); }
Output oArray() { return output(G, "output_array", "o_array"); }
Output oAny() { return output(G, "output_any", "o_any"); }
Output oDecimal() { return output(G, "output_decimal", "o_decimal"); }
Output oDate() { return output(G, "output_date", "o_date"); }

// ---- strings ----

WEFT_FN(upper) {
  emit(out, toUpper(a.text(0)));
  return Status::ok();
}

WEFT_FN(lower) {
  emit(out, toLower(a.text(0)));
  return Status::ok();
}

// Apache WordUtils.capitalizeFully: words split at whitespace; the first
// letter of each upper case, the rest lower case.
WEFT_FN(titlecase) {
  std::string_view s = a.text(0);
  std::string r;
  r.reserve(s.size());
  bool start = true;
  for (size_t i = 0; i < s.size();) {
    char32_t c = nextCodePoint(s, &i);
    if (isSpaceCp(c)) {
      appendUtf8(&r, c);
      start = true;
    } else {
      appendUtf8(&r, start ? upperCp(c) : lowerCp(c));
      start = false;
    }
  }
  emit(out, std::move(r));
  return Status::ok();
}

// Java String.trim: removes code points <= U+0020 at both ends.
WEFT_FN(trim) {
  std::string_view s = a.text(0);
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  emit(out, std::string(s));
  return Status::ok();
}

WEFT_FN(length) {
  emitInt(out, static_cast<int64_t>(codePointCount(a.text(0))));
  return Status::ok();
}

// Resolves [from, to) over n items: negative indexes count from the end;
// false when out of range (no value, as OpenRefine's null).
bool resolveRange(int64_t n, int64_t from, bool has_to, int64_t to, int64_t* b, int64_t* e) {
  if (from < 0) from += n;
  if (!has_to) to = n;
  if (to < 0) to += n;
  if (from < 0 || from > n || to > n || to < from) return false;
  *b = from;
  *e = to;
  return true;
}

// RML-FNML test cases 0007 (from == length: "") and 0008 (past the end: no value).
WEFT_FN(substring) {
  std::string_view s = a.text(0);
  int64_t from = 0, to = 0;
  WEFT_TRY(needInt("from", a.text(1), &from));
  if (a.has(2)) WEFT_TRY(needInt("to", a.text(2), &to));
  int64_t b = 0, e = 0;
  if (!resolveRange(static_cast<int64_t>(codePointCount(s)), from, a.has(2), to, &b, &e)) return Status::ok();
  size_t bb = byteOffset(s, static_cast<size_t>(b));
  size_t eb = byteOffset(s, static_cast<size_t>(e));
  emit(out, std::string(s.substr(bb, eb - bb)));
  return Status::ok();
}

std::string replaceLiteral(std::string_view s, std::string_view find, std::string_view rep) {
  std::string r;
  if (find.empty()) {  // Java: the replacement goes between every character
    r.append(rep);
    for (size_t i = 0; i < s.size();) {
      size_t j = i;
      nextCodePoint(s, &j);
      r.append(s.substr(i, j - i));
      r.append(rep);
      i = j;
    }
    return r;
  }
  size_t pos = 0;
  for (;;) {
    size_t f = s.find(find, pos);
    if (f == std::string_view::npos) break;
    r.append(s.substr(pos, f - pos));
    r.append(rep);
    pos = f + find.size();
  }
  r.append(s.substr(pos));
  return r;
}

// replace(s, find, r): find "/re/" is a regular expression (grel-functions-java).
WEFT_FN(replace) {
  std::string_view body;
  if (isRegexLiteral(a.text(1), &body)) {
    std::string r;
    WEFT_TRY(regexReplaceAll(body, a.text(0), a.text(2), &r));
    emit(out, std::move(r));
  } else {
    emit(out, replaceLiteral(a.text(0), a.text(1), a.text(2)));
  }
  return Status::ok();
}

std::vector<char32_t> codePoints(std::string_view s) {
  std::vector<char32_t> v;
  for (size_t i = 0; i < s.size();) v.push_back(nextCodePoint(s, &i));
  return v;
}

WEFT_FN(replaceChars) {
  std::vector<char32_t> f = codePoints(a.text(1)), r = codePoints(a.text(2));
  if (f.size() != r.size()) return bad("replaceChars needs as many replacement characters as characters to find");
  std::string_view s = a.text(0);
  std::string res;
  for (size_t i = 0; i < s.size();) {
    char32_t c = nextCodePoint(s, &i);
    auto it = std::find(f.begin(), f.end(), c);
    appendUtf8(&res, it == f.end() ? c : r[static_cast<size_t>(it - f.begin())]);
  }
  emit(out, std::move(res));
  return Status::ok();
}

WEFT_FN(contains) {
  std::string_view body;
  if (isRegexLiteral(a.text(1), &body)) {
    bool found = false;
    Match m;
    WEFT_TRY(regexFind(body, a.text(0), 0, false, &found, &m));
    emitBool(out, found);
  } else {
    emitBool(out, a.text(0).find(a.text(1)) != std::string_view::npos);
  }
  return Status::ok();
}

WEFT_FN(startsWith) {
  std::string_view s = a.text(0), p = a.text(1);
  emitBool(out, s.substr(0, p.size()) == p);
  return Status::ok();
}

WEFT_FN(endsWith) {
  std::string_view s = a.text(0), p = a.text(1);
  emitBool(out, s.size() >= p.size() && s.substr(s.size() - p.size()) == p);
  return Status::ok();
}

WEFT_FN(indexOf) {
  std::string_view s = a.text(0);
  size_t f = s.find(a.text(1));
  emitInt(out, f == std::string_view::npos ? -1 : static_cast<int64_t>(codePointCount(s.substr(0, f))));
  return Status::ok();
}

WEFT_FN(lastIndexOf) {
  std::string_view s = a.text(0);
  size_t f = s.rfind(a.text(1));
  emitInt(out, f == std::string_view::npos ? -1 : static_cast<int64_t>(codePointCount(s.substr(0, f))));
  return Status::ok();
}

WEFT_FN(chomp) {
  std::string_view s = a.text(0), sep = a.text(1);
  if (!sep.empty() && s.size() >= sep.size() && s.substr(s.size() - sep.size()) == sep) s.remove_suffix(sep.size());
  emit(out, std::string(s));
  return Status::ok();
}

// split(s, sep): every piece, empty ones included; sep "/re/" is a regular
// expression; an empty sep splits into characters.
WEFT_FN(split) {
  std::string_view s = a.text(0), sep = a.text(1), body;
  if (isRegexLiteral(sep, &body)) {
    size_t pos = 0, piece = 0;
    Match m;
    while (pos <= s.size()) {
      bool found = false;
      WEFT_TRY(regexFind(body, s, pos, false, &found, &m));
      if (!found) break;
      auto [b, e] = m.groups[0];
      if (e == b) {  // an empty match does not split: step one character
        if (b >= s.size()) break;
        size_t next = b;
        nextCodePoint(s, &next);
        pos = next;
        continue;
      }
      emit(out, std::string(s.substr(piece, b - piece)));
      piece = pos = e;
    }
    emit(out, std::string(s.substr(piece)));
    return Status::ok();
  }
  if (sep.empty()) {
    for (size_t i = 0; i < s.size();) {
      size_t j = i;
      nextCodePoint(s, &j);
      emit(out, std::string(s.substr(i, j - i)));
      i = j;
    }
    return Status::ok();
  }
  size_t pos = 0;
  for (;;) {
    size_t f = s.find(sep, pos);
    if (f == std::string_view::npos) break;
    emit(out, std::string(s.substr(pos, f - pos)));
    pos = f + sep.size();
  }
  emit(out, std::string(s.substr(pos)));
  return Status::ok();
}

// match(s, "/re/"): the capture groups of a match of the whole string.
WEFT_FN(match) {
  std::string_view body;
  if (!isRegexLiteral(a.text(1), &body)) return bad("a GREL regular expression must be written /.../");
  bool found = false;
  Match m;
  std::string_view s = a.text(0);
  WEFT_TRY(regexFind(body, s, 0, true, &found, &m));
  if (!found) return Status::ok();
  for (size_t g = 1; g < m.groups.size(); ++g) {
    if (m.groups[g].first == std::string_view::npos) continue;
    emit(out, std::string(s.substr(m.groups[g].first, m.groups[g].second - m.groups[g].first)));
  }
  return Status::ok();
}

// ---- arrays (list parameter param_a) ----

WEFT_FN(join) {
  emit(out, joinTexts(a.all(0), a.text(1)));
  return Status::ok();
}

WEFT_FN(arrayLength) {
  emitInt(out, static_cast<int64_t>(a.all(0).size()));
  return Status::ok();
}

WEFT_FN(arraySum) {
  double sum = 0;
  for (const Value& v : a.all(0)) {
    double d = 0;
    WEFT_TRY(needDouble("array element", v.text, &d));
    sum += d;
  }
  emitNumber(out, sum);
  return Status::ok();
}

WEFT_FN(arrayReverse) {
  const auto& items = a.all(0);
  for (size_t i = items.size(); i > 0; --i) out->push_back(items[i - 1]);
  return Status::ok();
}

// Numbers sort numerically when every element is a number, else by text.
WEFT_FN(arraySort) {
  std::vector<Value> items = a.all(0);
  bool numeric = true;
  for (const Value& v : items) {
    double d;
    if (!parseDouble(v.text, &d)) {
      numeric = false;
      break;
    }
  }
  std::stable_sort(items.begin(), items.end(), [numeric](const Value& x, const Value& y) {
    if (numeric) {
      double dx = 0, dy = 0;
      parseDouble(x.text, &dx);
      parseDouble(y.text, &dy);
      return dx < dy;
    }
    return x.text < y.text;
  });
  for (Value& v : items) out->push_back(std::move(v));
  return Status::ok();
}

WEFT_FN(arrayUniques) {
  const auto& items = a.all(0);
  for (size_t i = 0; i < items.size(); ++i) {
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j) seen = items[j].text == items[i].text;
    if (!seen) out->push_back(items[i]);
  }
  return Status::ok();
}

// get(a, from, to?): one element without `to`, else the slice [from, to).
WEFT_FN(arrayGet) {
  const auto& items = a.all(0);
  int64_t from = 0, to = 0;
  WEFT_TRY(needInt("from", a.text(1), &from));
  int64_t n = static_cast<int64_t>(items.size());
  if (!a.has(2)) {
    if (from < 0) from += n;
    if (from >= 0 && from < n) out->push_back(items[static_cast<size_t>(from)]);
    return Status::ok();
  }
  WEFT_TRY(needInt("to", a.text(2), &to));
  int64_t b = 0, e = 0;
  if (!resolveRange(n, from, true, to, &b, &e)) return Status::ok();
  for (int64_t i = b; i < e; ++i) out->push_back(items[static_cast<size_t>(i)]);
  return Status::ok();
}

WEFT_FN(arraySlice) {
  const auto& items = a.all(0);
  int64_t from = 0, to = 0;
  WEFT_TRY(needInt("from", a.text(1), &from));
  if (a.has(2)) WEFT_TRY(needInt("to", a.text(2), &to));
  int64_t b = 0, e = 0;
  if (!resolveRange(static_cast<int64_t>(items.size()), from, a.has(2), to, &b, &e)) return Status::ok();
  for (int64_t i = b; i < e; ++i) out->push_back(items[static_cast<size_t>(i)]);
  return Status::ok();
}

// ---- hashes ----

Status digest(const EVP_MD* md, std::string_view s, std::vector<Value>* out) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!md || EVP_Digest(s.data(), s.size(), buf, &len, md, nullptr) != 1) {
    return Status::internal("libcrypto digest failed");
  }
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[buf[i] >> 4]);
    hex.push_back(kHex[buf[i] & 15]);
  }
  emit(out, std::move(hex));
  return Status::ok();
}

WEFT_FN(md5) { return digest(EVP_md5(), a.text(0), out); }
WEFT_FN(sha1) { return digest(EVP_sha1(), a.text(0), out); }

// ---- escape / unescape (modes of OpenRefine's escape()) ----

void appendHex4(std::string* r, unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04X", v & 0xFFFF);
  r->append(buf);
}

Status escapeText(std::string_view s, std::string_view mode, std::string* r) {
  r->clear();
  if (core::equalsIgnoreAsciiCase(mode, "html") || core::equalsIgnoreAsciiCase(mode, "xml")) {
    bool xml = core::equalsIgnoreAsciiCase(mode, "xml");
    for (char c : s) {
      switch (c) {
        case '&': *r += "&amp;"; break;
        case '<': *r += "&lt;"; break;
        case '>': *r += "&gt;"; break;
        case '"': *r += "&quot;"; break;
        case '\'':
          if (xml) {
            *r += "&apos;";
          } else {
            r->push_back(c);
          }
          break;
        default: r->push_back(c);
      }
    }
  } else if (core::equalsIgnoreAsciiCase(mode, "url")) {  // application/x-www-form-urlencoded (Java URLEncoder)
    static const char* kHex = "0123456789ABCDEF";
    for (char ch : s) {
      unsigned char c = static_cast<unsigned char>(ch);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
          c == '*' || c == '_') {
        r->push_back(ch);
      } else if (c == ' ') {
        r->push_back('+');
      } else {
        r->push_back('%');
        r->push_back(kHex[c >> 4]);
        r->push_back(kHex[c & 15]);
      }
    }
  } else if (core::equalsIgnoreAsciiCase(mode, "csv")) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
      r->assign(s);
    } else {
      r->push_back('"');
      for (char c : s) {
        if (c == '"') r->push_back('"');
        r->push_back(c);
      }
      r->push_back('"');
    }
  } else if (core::equalsIgnoreAsciiCase(mode, "javascript")) {
    for (char ch : s) {
      unsigned char c = static_cast<unsigned char>(ch);
      switch (ch) {
        case '\'': *r += "\\'"; break;
        case '"': *r += "\\\""; break;
        case '\\': *r += "\\\\"; break;
        case '/': *r += "\\/"; break;
        case '\b': *r += "\\b"; break;
        case '\f': *r += "\\f"; break;
        case '\n': *r += "\\n"; break;
        case '\r': *r += "\\r"; break;
        case '\t': *r += "\\t"; break;
        default:
          if (c < 0x20) {
            appendHex4(r, c);
          } else {
            r->push_back(ch);
          }
      }
    }
  } else {
    return bad("unknown escape mode \"" + std::string(mode) + "\" (html, xml, csv, url, javascript)");
  }
  return Status::ok();
}

Status unescapeText(std::string_view s, std::string_view mode, std::string* r) {
  r->clear();
  if (core::equalsIgnoreAsciiCase(mode, "html") || core::equalsIgnoreAsciiCase(mode, "xml")) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '&') {
        r->push_back(s[i]);
        continue;
      }
      size_t semi = s.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        r->push_back('&');
        continue;
      }
      std::string_view ent = s.substr(i + 1, semi - i - 1);
      char32_t cp = 0;
      if (ent == "amp") cp = '&';
      else if (ent == "lt") cp = '<';
      else if (ent == "gt") cp = '>';
      else if (ent == "quot") cp = '"';
      else if (ent == "apos") cp = '\'';
      else if (ent == "nbsp") cp = 0xA0;
      else if (ent.size() > 1 && ent[0] == '#') {
        bool hex = ent[1] == 'x' || ent[1] == 'X';
        std::string digits(ent.substr(hex ? 2 : 1));
        char* end = nullptr;
        unsigned long v = digits.empty() ? 0 : std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
        if (!digits.empty() && end && *end == 0 && v > 0 && v <= 0x10FFFF) cp = static_cast<char32_t>(v);
      }
      if (cp == 0) {
        r->push_back('&');
        continue;
      }
      appendUtf8(r, cp);
      i = semi;
    }
  } else if (core::equalsIgnoreAsciiCase(mode, "url")) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        r->push_back(' ');
      } else if (s[i] == '%') {
        std::string dec;
        if (i + 2 >= s.size() || !percentDecode(s.substr(i, 3), &dec)) return bad("malformed %-escape in \"" + std::string(s) + "\"");
        *r += dec;
        i += 2;
      } else {
        r->push_back(s[i]);
      }
    }
  } else if (core::equalsIgnoreAsciiCase(mode, "csv")) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
      std::string_view in = s.substr(1, s.size() - 2);
      for (size_t i = 0; i < in.size(); ++i) {
        r->push_back(in[i]);
        if (in[i] == '"' && i + 1 < in.size() && in[i + 1] == '"') ++i;
      }
    } else {
      r->assign(s);
    }
  } else if (core::equalsIgnoreAsciiCase(mode, "javascript")) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '\\' || i + 1 >= s.size()) {
        r->push_back(s[i]);
        continue;
      }
      char c = s[++i];
      switch (c) {
        case 'b': r->push_back('\b'); break;
        case 'f': r->push_back('\f'); break;
        case 'n': r->push_back('\n'); break;
        case 'r': r->push_back('\r'); break;
        case 't': r->push_back('\t'); break;
        case 'u': {
          if (i + 4 >= s.size()) return bad("malformed \\u escape");
          std::string hex(s.substr(i + 1, 4));
          char* end = nullptr;
          unsigned long v = std::strtoul(hex.c_str(), &end, 16);
          if (!end || *end) return bad("malformed \\u escape");
          char32_t cp = static_cast<char32_t>(v);
          i += 4;
          // A surrogate pair.
          if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < s.size() && s.substr(i + 1, 2) == "\\u") {
            std::string hex2(s.substr(i + 3, 4));
            unsigned long lo = std::strtoul(hex2.c_str(), &end, 16);
            if (end && !*end && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + static_cast<char32_t>(lo - 0xDC00);
              i += 6;
            }
          }
          appendUtf8(r, cp);
          break;
        }
        default: r->push_back(c);
      }
    }
  } else {
    return bad("unknown escape mode \"" + std::string(mode) + "\" (html, xml, csv, url, javascript)");
  }
  return Status::ok();
}

// RML-FNML test case 0021: escape("A&B", "html") = "A&amp;B".
WEFT_FN(escape) {
  std::string r;
  WEFT_TRY(escapeText(a.text(0), a.text(1), &r));
  emit(out, std::move(r));
  return Status::ok();
}

WEFT_FN(unescape) {
  std::string r;
  WEFT_TRY(unescapeText(a.text(0), a.text(1), &r));
  emit(out, std::move(r));
  return Status::ok();
}

// ---- conversions ----

WEFT_FN(toStringFn) {
  emit(out, std::string(a.text(0)));
  return Status::ok();
}

// Canonical xsd:integer / xsd:decimal lexical form of a decimal number text.
bool canonicalNumber(std::string_view s, std::string* r, ValueKind* kind) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  std::string_view ip = s.substr(0, dot), fp = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (ip.empty() && fp.empty()) return false;
  for (char c : ip) if (c < '0' || c > '9') return false;
  for (char c : fp) if (c < '0' || c > '9') return false;
  if (dot != std::string_view::npos && fp.empty() && ip.empty()) return false;
  size_t nz = ip.find_first_not_of('0');
  std::string i = nz == std::string_view::npos ? "0" : std::string(ip.substr(nz));
  std::string f(fp);
  while (!f.empty() && f.back() == '0') f.pop_back();
  bool zero = i == "0" && f.empty();
  *r = (neg && !zero) ? "-" : "";
  *r += i;
  if (!f.empty()) *r += "." + f;
  *kind = f.empty() ? ValueKind::kInteger : ValueKind::kDecimal;
  return true;
}

WEFT_FN(toNumber) {
  std::string r;
  ValueKind kind;
  if (canonicalNumber(a.text(0), &r, &kind)) {
    emit(out, std::move(r), kind);
    return Status::ok();
  }
  double d = 0;
  WEFT_TRY(needDouble("value", a.text(0), &d));
  emitNumber(out, d, 17);
  return Status::ok();
}

// ---- booleans and controls ----

Status needBool(std::string_view s, bool* b) {
  if (parseBool(s, b)) return Status::ok();
  return bad("not a boolean: \"" + std::string(s) + "\"");
}

WEFT_FN(boolAnd) {
  bool r = true;
  for (const Value& v : a.all(0)) {
    bool b = false;
    WEFT_TRY(needBool(v.text, &b));
    r = r && b;
  }
  emitBool(out, r);
  return Status::ok();
}

WEFT_FN(boolOr) {
  bool r = false;
  for (const Value& v : a.all(0)) {
    bool b = false;
    WEFT_TRY(needBool(v.text, &b));
    r = r || b;
  }
  emitBool(out, r);
  return Status::ok();
}

WEFT_FN(boolXor) {
  bool r = false;
  for (const Value& v : a.all(0)) {
    bool b = false;
    WEFT_TRY(needBool(v.text, &b));
    r = r != b;
  }
  emitBool(out, r);
  return Status::ok();
}

WEFT_FN(boolNot) {
  bool b = false;
  WEFT_TRY(needBool(a.text(0), &b));
  emitBool(out, !b);
  return Status::ok();
}

WEFT_FN(controlsIf) {
  bool b = false;
  WEFT_TRY(needBool(a.text(0), &b));
  if (b) {
    out->push_back(*a.value(1));
  } else if (a.has(2)) {
    out->push_back(*a.value(2));
  }
  return Status::ok();
}

WEFT_FN(coalesce) {
  out->push_back(a.all(0).front());
  return Status::ok();
}

// ---- math ----

WEFT_FN(mathFloor) {
  double d = 0;
  WEFT_TRY(needDouble("n", a.text(0), &d));
  emitNumber(out, std::floor(d), 17);
  return Status::ok();
}

WEFT_FN(mathCeil) {
  double d = 0;
  WEFT_TRY(needDouble("n", a.text(0), &d));
  emitNumber(out, std::ceil(d), 17);
  return Status::ok();
}

// Java Math.round: halves round up (towards positive infinity).
WEFT_FN(mathRound) {
  double d = 0;
  WEFT_TRY(needDouble("n", a.text(0), &d));
  emitNumber(out, std::floor(d + 0.5), 17);
  return Status::ok();
}

WEFT_FN(mathAbs) {
  double d = 0;
  WEFT_TRY(needDouble("n", a.text(0), &d));
  emitNumber(out, std::fabs(d));
  return Status::ok();
}

WEFT_FN(mathMin) {
  double x = 0, y = 0;
  WEFT_TRY(needDouble("n1", a.text(0), &x));
  WEFT_TRY(needDouble("n2", a.text(1), &y));
  emitNumber(out, std::min(x, y));
  return Status::ok();
}

WEFT_FN(mathMax) {
  double x = 0, y = 0;
  WEFT_TRY(needDouble("n1", a.text(0), &x));
  WEFT_TRY(needDouble("n2", a.text(1), &y));
  emitNumber(out, std::max(x, y));
  return Status::ok();
}

WEFT_FN(mathPow) {
  double x = 0, y = 0;
  WEFT_TRY(needDouble("n", a.text(0), &x));
  WEFT_TRY(needDouble("e", a.text(1), &y));
  emitNumber(out, std::pow(x, y));
  return Status::ok();
}

WEFT_FN(mathMod) {
  int64_t x = 0, y = 0;
  WEFT_TRY(needInt("d1", a.text(0), &x));
  WEFT_TRY(needInt("d2", a.text(1), &y));
  if (y == 0) return bad("mod by zero");
  emitInt(out, y == -1 ? 0 : x % y);
  return Status::ok();
}

// ---- dates ----

// toDate(s, pattern): xsd:date, or xsd:dateTime when the pattern has a time.
WEFT_FN(toDate) {
  DateTimeParts p;
  WEFT_TRY(parseDateTime(a.text(0), a.text(1), "", &p));
  std::string r;
  if (p.has_time) {
    WEFT_TRY(toXsdDateTime(p, true, &r));
    emitTyped(out, std::move(r), "dateTime");
  } else {
    WEFT_TRY(toXsdDate(p, &r));
    emitTyped(out, std::move(r), "date");
  }
  return Status::ok();
}


}  // namespace

void addGrel(Library* lib) {
  lib->add(fn(G, "toUpperCase", {pValue()}, {oString()}, upper));
  lib->add(fn(G, "toLowerCase", {pValue()}, {oString()}, lower));
  lib->add(fn(G, "string_toTitlecase", {pValue()}, {oString()}, titlecase));
  lib->add(fn(G, "string_trim", {pValue()}, {oString()}, trim));
  lib->add(fn(G, "string_length", {pValue()}, {oNumber()}, length));
  lib->add(fn(G, "string_substring", {pValue(), pFrom(), pTo()}, {oString()}, substring));
  lib->add(fn(G, "string_replace", {pValue(), pFind(), pReplace()}, {oString()}, replace));
  lib->add(fn(G, "string_replaceChars", {pValue(), pFind(), pReplace()}, {oString()}, replaceChars));
  lib->add(fn(G, "string_contains", {pValue(), pSub()}, {oBool()}, contains));
  lib->add(fn(G, "string_startsWith", {pValue(), pSub()}, {oBool()}, startsWith));
  lib->add(fn(G, "string_endsWith", {pValue(), pSub()}, {oBool()}, endsWith));
  lib->add(fn(G, "string_indexOf", {pValue(), pSub()}, {oNumber()}, indexOf));
  lib->add(fn(G, "string_lastIndexOf", {pValue(), pSub()}, {oNumber()}, lastIndexOf));
  lib->add(fn(G, "string_chomp", {pValue(), pSep()}, {oString()}, chomp));
  lib->add(fn(G, "string_split", {pValue(), pSep()}, {oArray()}, split));
  lib->add(fn(G, "string_match", {pValue(), pRegex()}, {oArray()}, match));
  lib->add(fn(G, "string_md5", {pValue()}, {oString()}, md5));
  lib->add(fn(G, "string_sha1", {pValue()}, {oString()}, sha1));
  lib->add(fn(G, "escape", {pValue(), pMode()}, {oString()}, escape));
  lib->add(fn(G, "string_unescape", {pValue(), pMode()}, {oString()}, unescape));
  lib->add(fn(G, "string_toString", {pAny()}, {oString()}, toStringFn));
  lib->add(fn(G, "string_toNumber", {pAny()}, {oNumber()}, toNumber));
  lib->add(fn(G, "array_join", {pArray(), pSep()}, {oString()}, join));
  lib->add(fn(G, "array_length", {pArray()}, {oNumber()}, arrayLength));
  lib->add(fn(G, "array_sum", {pArray()}, {oNumber()}, arraySum));
  lib->add(fn(G, "array_reverse", {pArray()}, {oArray()}, arrayReverse));
  lib->add(fn(G, "array_sort", {pArray()}, {oArray()}, arraySort));
  lib->add(fn(G, "array_uniques", {pArray()}, {oArray()}, arrayUniques));
  lib->add(fn(G, "array_get", {pArray(), pFrom(), pTo()}, {oArray()}, arrayGet));
  lib->add(fn(G, "array_slice", {pArray(), pFrom(), pTo()}, {oArray()}, arraySlice));
  lib->add(fn(G, "boolean_and", {pBoolList()}, {oBool()}, boolAnd));
  lib->add(fn(G, "boolean_or", {pBoolList()}, {oBool()}, boolOr));
  lib->add(fn(G, "boolean_xor", {pBoolList()}, {oBool()}, boolXor));
  lib->add(fn(G, "boolean_not", {pBool()}, {oBool()}, boolNot));
  lib->add(fn(G, "controls_if", {pBool(), pTrue(), pFalse()}, {oAny()}, controlsIf));
  lib->add(fn(G, "other_coalesce", {pAnyList()}, {oAny()}, coalesce));
  lib->add(fn(G, "math_floor", {pDec()}, {oNumber()}, mathFloor));
  lib->add(fn(G, "math_ceil", {pDec()}, {oNumber()}, mathCeil));
  lib->add(fn(G, "math_round", {pDec()}, {oNumber()}, mathRound));
  lib->add(fn(G, "math_abs", {pDec()}, {oDecimal()}, mathAbs));
  lib->add(fn(G, "math_min", {pDec(), pDec2()}, {oDecimal()}, mathMin));
  lib->add(fn(G, "math_max", {pDec(), pDec2()}, {oDecimal()}, mathMax));
  lib->add(fn(G, "math_pow", {pDec(), pExp()}, {oDecimal()}, mathPow));
  lib->add(fn(G, "math_mod", {pInt(), pInt2()}, {oNumber()}, mathMod));
  lib->add(fn(G, "date_toDate", {pValue(), pPattern()}, {oDate()}, toDate));
}

}  // namespace weft::fnml::internal
