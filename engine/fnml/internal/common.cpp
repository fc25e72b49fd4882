// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the built-in functions: descriptions, values, numbers,
// UTF-8 (case mapping through glibc's C.UTF-8 locale tables, which cover all
// of Unicode's simple case mappings), percent-encoding (RFC 3986 section 2)
// and a per-thread cache of compiled PCRE2 patterns.
#include "engine/fnml/internal/common.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <locale.h>
#include <wctype.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>


namespace weft::fnml::internal {

Parameter param(std::string_view ns, std::string_view local, std::string_view predicate_local,
                bool required, bool list) {
  Parameter p;
  p.iri = std::string(ns) + std::string(local);
  p.predicate = std::string(ns) + std::string(predicate_local);
  p.required = required;
  p.list = list;
  return p;
}

Output output(std::string_view ns, std::string_view local, std::string_view predicate_local) {
  return Output{std::string(ns) + std::string(local), std::string(ns) + std::string(predicate_local)};
}

Function fn(std::string_view ns, std::string_view local, std::vector<Parameter> params,
            std::vector<Output> outputs, Impl impl) {
  Function f;
  f.iri = std::string(ns) + std::string(local);
  f.params = std::move(params);
  f.outputs = std::move(outputs);
  f.impl = impl;
  return f;
}

void emitTyped(std::vector<Value>* out, std::string text, std::string_view xsd_local) {
  Value v;
  v.text = std::move(text);
  v.kind = ValueKind::kString;
  v.datatype = "http://www.w3.org/2001/XMLSchema#";
  v.datatype += xsd_local;
  out->push_back(std::move(v));
}

std::string formatDecimal(double v, int digits) {
  if (digits < 1) digits = 1;
  if (digits > 17) digits = 17;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  // buf: [-]d.ddddde[+-]XX
  std::string_view s(buf);
  bool neg = false;
  if (!s.empty() && s[0] == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  size_t e = s.find('e');
  std::string mant;
  for (char c : s.substr(0, e)) {
    if (c != '.') mant += c;
  }
  int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
  // value = 0.mant * 10^(exp+1)
  int point = exp + 1;  // digits before the decimal point
  std::string intpart, frac;
  if (point <= 0) {
    intpart = "0";
    frac = std::string(static_cast<size_t>(-point), '0') + mant;
  } else if (static_cast<size_t>(point) >= mant.size()) {
    intpart = mant + std::string(static_cast<size_t>(point) - mant.size(), '0');
  } else {
    intpart = mant.substr(0, static_cast<size_t>(point));
    frac = mant.substr(static_cast<size_t>(point));
  }
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  size_t nz = intpart.find_first_not_of('0');
  intpart = nz == std::string::npos ? "0" : intpart.substr(nz);
  std::string r;
  if (neg && !(intpart == "0" && frac.empty())) r = "-";
  r += intpart;
  if (!frac.empty()) {
    r += '.';
    r += frac;
  }
  return r;
}

void emitNumber(std::vector<Value>* out, double v, int digits) {
  if (std::isnan(v)) return emit(out, "NaN", ValueKind::kDouble);
  if (std::isinf(v)) return emit(out, v > 0 ? "INF" : "-INF", ValueKind::kDouble);
  std::string s = formatDecimal(v, digits);
  bool integral = s.find('.') == std::string::npos;
  emit(out, std::move(s), integral && std::fabs(v) < 1e18 ? ValueKind::kInteger : ValueKind::kDecimal);
}

// ---- numbers ----

static std::string_view trimAsciiSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parseInt(std::string_view s, int64_t* v) {
  s = trimAsciiSpace(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parseDouble(std::string_view s, double* v) {
  s = trimAsciiSpace(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  // Only plain decimal / scientific notation (no "inf", "nan", hex).
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')) return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parseBool(std::string_view s, bool* v) {
  s = trimAsciiSpace(s);
  if (core::equalsIgnoreAsciiCase(s, "true") || s == "1") {
    *v = true;
    return true;
  }
  if (core::equalsIgnoreAsciiCase(s, "false") || s == "0") {
    *v = false;
    return true;
  }
  return false;
}

Status needInt(std::string_view what, std::string_view s, int64_t* v) {
  if (parseInt(s, v)) return Status::ok();
  return bad(std::string(what) + " is not an integer: \"" + std::string(s) + "\"");
}

Status needDouble(std::string_view what, std::string_view s, double* v) {
  if (parseDouble(s, v)) return Status::ok();
  return bad(std::string(what) + " is not a number: \"" + std::string(s) + "\"");
}

// ---- UTF-8 ----

char32_t nextCodePoint(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
  if (n < 0 || c >= 0xF8 || *i + static_cast<size_t>(n) >= s.size()) {
    ++*i;
    return c;
  }
  char32_t cp = c & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[*i + static_cast<size_t>(k)]);
    if ((cc & 0xC0) != 0x80) {
      ++*i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += static_cast<size_t>(n) + 1;
  return cp;
}

void appendUtf8(std::string* out, char32_t c) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

size_t codePointCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    nextCodePoint(s, &i);
    ++n;
  }
  return n;
}

size_t byteOffset(std::string_view s, size_t index) {
  size_t i = 0;
  for (size_t k = 0; k < index; ++k) {
    if (i >= s.size()) return std::string_view::npos;
    nextCodePoint(s, &i);
  }
  return i;
}

namespace {
locale_t utf8Locale() {
  static locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (!l) l = newlocale(LC_CTYPE_MASK, "C.utf8", static_cast<locale_t>(nullptr));
    return l;
  }();
  return loc;
}
}  // namespace

char32_t upperCp(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  locale_t l = utf8Locale();
  return l ? static_cast<char32_t>(towupper_l(static_cast<wint_t>(c), l)) : c;
}

char32_t lowerCp(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  locale_t l = utf8Locale();
  return l ? static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), l)) : c;
}

bool isSpaceCp(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  locale_t l = utf8Locale();
  return l && iswspace_l(static_cast<wint_t>(c), l);
}

bool isAlnumCp(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  locale_t l = utf8Locale();
  return l && iswalnum_l(static_cast<wint_t>(c), l);
}

static std::string mapCase(std::string_view s, char32_t (*f)(char32_t)) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(f(b)));
      ++i;
      continue;
    }
    size_t start = i;
    char32_t c = nextCodePoint(s, &i);
    if (i - start == 1 && c == b) {  // an invalid byte: keep it
      out.push_back(static_cast<char>(b));
      continue;
    }
    appendUtf8(&out, f(c));
  }
  return out;
}

std::string toUpper(std::string_view s) { return mapCase(s, upperCp); }
std::string toLower(std::string_view s) { return mapCase(s, lowerCp); }

std::string joinTexts(const std::vector<Value>& items, std::string_view sep) {
  std::string r;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) r.append(sep);
    r.append(items[i].text);
  }
  return r;
}

// ---- escapes ----

std::string percentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

static int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percentDecode(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out->push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return false;
    int h = hexValue(s[i + 1]), l = hexValue(s[i + 2]);
    if (h < 0 || l < 0) return false;
    out->push_back(static_cast<char>(h * 16 + l));
    i += 2;
  }
  return true;
}

// ---- regular expressions ----

bool isRegexLiteral(std::string_view s, std::string_view* body) {
  if (s.size() >= 2 && s.front() == '/' && s.back() == '/') {
    *body = s.substr(1, s.size() - 2);
    return true;
  }
  return false;
}

namespace {

struct CompiledCache {
  std::unordered_map<std::string, pcre2_code*> codes;
  pcre2_match_data* md = nullptr;
  ~CompiledCache() {
    for (auto& [k, c] : codes) pcre2_code_free(c);
    if (md) pcre2_match_data_free(md);
  }
};

thread_local CompiledCache t_cache;

Status compile(std::string_view pattern, pcre2_code** out) {
  std::string key(pattern);
  auto it = t_cache.codes.find(key);
  if (it != t_cache.codes.end()) {
    *out = it->second;
    return Status::ok();
  }
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, nullptr);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return bad("invalid regular expression /" + key + "/ at offset " + std::to_string(off) + ": " +
               reinterpret_cast<const char*>(msg));
  }
  if (t_cache.codes.size() >= 64) {
    for (auto& [k, c] : t_cache.codes) pcre2_code_free(c);
    t_cache.codes.clear();
  }
  t_cache.codes.emplace(std::move(key), code);
  *out = code;
  return Status::ok();
}

}  // namespace

Status regexFind(std::string_view pattern, std::string_view subject, size_t start, bool anchored_whole,
                 bool* found, Match* m) {
  pcre2_code* code = nullptr;
  WEFT_TRY(compile(pattern, &code));
  if (!t_cache.md) t_cache.md = pcre2_match_data_create(64, nullptr);
  uint32_t opts = anchored_whole ? (PCRE2_ANCHORED | PCRE2_ENDANCHORED) : 0;
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, opts,
                       t_cache.md, nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) {
    *found = false;
    return Status::ok();
  }
  if (rc < 0) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    return bad(std::string("regular expression match failed: ") + reinterpret_cast<const char*>(msg));
  }
  *found = true;
  uint32_t groups = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(t_cache.md);
  uint32_t pairs = pcre2_get_ovector_count(t_cache.md);
  m->groups.clear();
  for (uint32_t g = 0; g <= groups; ++g) {
    if (g < pairs && static_cast<int>(g) < rc && ov[2 * g] != PCRE2_UNSET) {
      m->groups.emplace_back(ov[2 * g], ov[2 * g + 1]);
    } else {
      m->groups.emplace_back(std::string_view::npos, std::string_view::npos);
    }
  }
  return Status::ok();
}

Status regexReplaceAll(std::string_view pattern, std::string_view subject, std::string_view replacement,
                       std::string* out) {
  out->clear();
  size_t pos = 0;
  Match m;
  while (pos <= subject.size()) {
    bool found = false;
    WEFT_TRY(regexFind(pattern, subject, pos, false, &found, &m));
    if (!found) break;
    auto [b, e] = m.groups[0];
    out->append(subject.substr(pos, b - pos));
    // Java Matcher.appendReplacement: $n / ${n} group, \x literal x.
    for (size_t i = 0; i < replacement.size(); ++i) {
      char c = replacement[i];
      if (c == '\\' && i + 1 < replacement.size()) {
        out->push_back(replacement[++i]);
      } else if (c == '$' && i + 1 < replacement.size()) {
        size_t j = i + 1;
        bool braces = replacement[j] == '{';
        if (braces) ++j;
        size_t d = j;
        while (d < replacement.size() && replacement[d] >= '0' && replacement[d] <= '9') ++d;
        if (d == j || (braces && (d >= replacement.size() || replacement[d] != '}'))) {
          return bad("invalid group reference in replacement \"" + std::string(replacement) + "\"");
        }
        size_t g = std::strtoul(std::string(replacement.substr(j, d - j)).c_str(), nullptr, 10);
        if (g >= m.groups.size()) return bad("no group " + std::to_string(g) + " in /" + std::string(pattern) + "/");
        if (m.groups[g].first != std::string_view::npos) {
          out->append(subject.substr(m.groups[g].first, m.groups[g].second - m.groups[g].first));
        }
        i = braces ? d : d - 1;
      } else {
        out->push_back(c);
      }
    }
    if (e == b) {  // empty match: copy one code point and move on
      if (e >= subject.size()) {
        pos = subject.size() + 1;
        break;
      }
      size_t next = e;
      nextCodePoint(subject, &next);
      out->append(subject.substr(e, next - e));
      pos = next;
    } else {
      pos = e;
    }
  }
  if (pos <= subject.size()) out->append(subject.substr(pos));
  return Status::ok();
}

}  // namespace weft::fnml::internal
