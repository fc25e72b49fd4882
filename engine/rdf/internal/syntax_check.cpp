// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/internal/syntax_check.h"

#include "engine/rdf/internal/iri.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace weft::rdf::internal {
namespace {

bool isAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isHex(unsigned char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Decodes one UTF-8 sequence at s[i]; advances i. nullopt if malformed.
std::optional<uint32_t> decodeUtf8(std::string_view s, size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int n;
  uint32_t cp, min;
  if ((b0 & 0xe0) == 0xc0) {
    n = 1, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    n = 2, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + static_cast<size_t>(n) >= s.size()) return std::nullopt;
  for (int k = 1; k <= n; ++k) {
    auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xc0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
  i += static_cast<size_t>(n) + 1;
  return cp;
}

}  // namespace

bool pnCharsBase(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
bool pnCharsU(uint32_t c) { return pnCharsBase(c) || c == '_'; }
bool pnChars(uint32_t c) {
  return pnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

bool hasIriScheme(std::string_view s) {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986 3.1)
  static constexpr auto kSchemeChar = [] {
    std::array<bool, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 32] = true;
    for (int c = '0'; c <= '9'; ++c) t[c] = true;
    t['+'] = t['-'] = t['.'] = true;
    return t;
  }();
  if (s.empty() || !isAlpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ':') return true;
    if (!kSchemeChar[c]) return false;
  }
  return false;
}

bool checkUtf8(std::string_view s, std::string* why) {
  for (size_t i = 0; i < s.size();) {
    if (!decodeUtf8(s, i)) {
      if (why) *why = "invalid UTF-8 at byte " + std::to_string(i);
      return false;
    }
  }
  return true;
}

bool checkIri(std::string_view iri, std::string* why) {
  auto bad = [&](std::string m) {
    if (why) *why = std::move(m);
    return false;
  };
  if (!hasIriScheme(iri)) return bad("not an absolute IRI (no scheme)");
  // ASCII characters IRIREF excludes (https://www.w3.org/TR/n-triples/#grammar-production-IRIREF).
  static constexpr auto kExcluded = [] {
    std::array<bool, 128> t{};
    for (int c = 0; c <= 0x20; ++c) t[c] = true;
    for (char c : std::string_view("<>\"{}|^`\\")) t[static_cast<unsigned char>(c)] = true;
    t[0x7f] = true;
    return t;
  }();
  size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time while they are all printable ASCII other than the
  // excluded ones (the common case); the scalar loop below handles the rest
  // and reports the exact problem.
  {
    const __m128i lo = _mm_set1_epi8(0x20), hi = _mm_set1_epi8(0x7f);
    for (; i + 16 <= iri.size(); i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(iri.data() + i));
      // Signed compares: bytes >= 0x80 are negative, so they fail "> 0x20".
      __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_add_epi8(lo, _mm_set1_epi8(1))),
                                 _mm_cmpeq_epi8(v, hi));
      for (char c : {'<', '>', '"', '{', '}', '|', '^', '`', '\\'}) {
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
      }
      if (_mm_movemask_epi8(bad) != 0) break;
    }
  }
#endif
  while (i < iri.size()) {
    auto c = static_cast<unsigned char>(iri[i]);
    if (c < 0x80) {
      if (kExcluded[c]) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "U+%04X", c);
        return bad(std::string("character ") + hex + " not allowed");
      }
      ++i;
    } else if (!decodeUtf8(iri, i)) {
      return bad("invalid UTF-8");
    }
  }
  return true;
}

bool checkLangTag(std::string_view tag) {
  size_t i = 0;
  size_t n = 0;
  while (i < tag.size() && isAlpha(static_cast<unsigned char>(tag[i]))) ++i, ++n;
  if (n == 0) return false;
  while (i < tag.size()) {
    if (tag[i] != '-') return false;
    ++i;
    n = 0;
    while (i < tag.size() && (isAlpha(static_cast<unsigned char>(tag[i])) ||
                              isDigit(static_cast<unsigned char>(tag[i]))))
      ++i, ++n;
    if (n == 0) return false;
  }
  return true;
}

std::string resolveIri(std::string_view ref, std::string_view base) {
  // One RFC 3986 section 5.2 implementation serves every reader.
  return rfc3986::resolve(base, ref);
}

bool isPnPrefix(std::string_view p) {
  if (p.empty()) return true;
  size_t i = 0;
  auto first = decodeUtf8(p, i);
  if (!first || !pnCharsBase(*first)) return false;
  uint32_t last = *first;
  while (i < p.size()) {
    auto c = decodeUtf8(p, i);
    if (!c || !(pnChars(*c) || *c == '.')) return false;
    last = *c;
  }
  return last != '.';
}

bool isPnLocal(std::string_view l) {
  if (l.empty()) return true;  // "ex:" is a valid prefixed name
  size_t i = 0;
  bool first = true;
  uint32_t last = 0;
  while (i < l.size()) {
    if (l[i] == '%') {
      if (i + 2 >= l.size() || !isHex(static_cast<unsigned char>(l[i + 1])) ||
          !isHex(static_cast<unsigned char>(l[i + 2])))
        return false;
      i += 3;
      last = '0';
      first = false;
      continue;
    }
    auto c = decodeUtf8(l, i);
    if (!c) return false;
    bool ok = first ? (pnCharsU(*c) || *c == ':' || (*c >= '0' && *c <= '9'))
                    : (pnChars(*c) || *c == '.' || *c == ':');
    if (!ok) return false;
    last = *c;
    first = false;
  }
  return last != '.';
}

bool isBlankLabel(std::string_view l) {
  if (l.empty()) return false;
  size_t i = 0;
  auto first = decodeUtf8(l, i);
  if (!first || !(pnCharsU(*first) || (*first >= '0' && *first <= '9'))) return false;
  uint32_t last = *first;
  while (i < l.size()) {
    auto c = decodeUtf8(l, i);
    if (!c || !(pnChars(*c) || *c == '.')) return false;
    last = *c;
  }
  return last != '.';
}

}  // namespace weft::rdf::internal
