// SPDX-License-Identifier: Apache-2.0
// REGEX and REPLACE (SPARQL 1.1 17.4.3.14 and 17.4.3.15), which map to XPath
// fn:matches and fn:replace (F&O 3.1 §5.6). Patterns are XPath regular
// expressions (F&O §5.6.1); we run them on PCRE2 (8-bit, UTF mode) after a
// small translation pass for the places where the two dialects differ:
//   - flag x removes whitespace outside character classes (no '#' comments),
//   - '.' without flag s matches anything but #xA and #xD,
//   - '$' without flag m matches only at the very end (PCRE2_DOLLAR_ENDONLY),
//   - flag q makes the whole pattern a literal string.
// Flags map to PCRE2_DOTALL (s), PCRE2_MULTILINE (m), PCRE2_CASELESS (i).
// Compiled patterns are cached per thread in a small LRU keyed by
// (pattern, flags).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <list>
#include <memory>
#include <unordered_map>

#include "engine/sparql/internal/functions_util.h"

namespace weft::sparql::internal::fn {
namespace {

struct CodeDeleter {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
using CodePtr = std::shared_ptr<pcre2_code>;

bool isRegexSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Translate an XPath regex into a PCRE2 pattern (see the file comment).
std::string translate(std::string_view p, bool dotall, bool extended, bool literal) {
  std::string out;
  out.reserve(p.size() + 8);
  if (literal) {
    for (char c : p) {
      unsigned char u = static_cast<unsigned char>(c);
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (u < 0x80 && !alnum && !isRegexSpace(c)) out.push_back('\\');
      out.push_back(c);
    }
    return out;
  }
  int class_depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      out.push_back(c);
      out.push_back(p[++i]);
      continue;
    }
    if (extended && class_depth == 0 && isRegexSpace(c)) continue;
    if (c == '[') {
      ++class_depth;
    } else if (c == ']' && class_depth > 0) {
      --class_depth;
    } else if (c == '.' && class_depth == 0 && !dotall) {
      out += "[^\\n\\r]";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// Compile (or fetch from the per-thread LRU) an XPath regex with flags.
CodePtr compile(std::string_view pattern, std::string_view flags) {
  constexpr size_t kCapacity = 64;
  thread_local std::list<std::pair<std::string, CodePtr>> lru;
  thread_local std::unordered_map<std::string, std::list<std::pair<std::string, CodePtr>>::iterator>
      index;
  std::string key(flags);
  key.push_back('\0');
  key.append(pattern);
  if (auto it = index.find(key); it != index.end()) {
    lru.splice(lru.begin(), lru, it->second);
    return it->second->second;
  }
  uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP;
  bool dotall = false, extended = false, literal = false, multiline = false;
  for (char f : flags) {
    switch (f) {
      case 's': dotall = true; break;
      case 'm': multiline = true; break;
      case 'i': options |= PCRE2_CASELESS; break;
      case 'x': extended = true; break;
      case 'q': literal = true; break;
      default: return nullptr;  // err:FORX0001 invalid flag
    }
  }
  if (dotall) options |= PCRE2_DOTALL;
  if (multiline) options |= PCRE2_MULTILINE; else options |= PCRE2_DOLLAR_ENDONLY;
  std::string translated = translate(pattern, dotall, extended && !literal, literal);
  int err = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* raw = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()),
                                  translated.size(), options, &err, &erroff, nullptr);
  if (!raw) return nullptr;  // err:FORX0002 invalid pattern
  CodePtr code(raw, CodeDeleter());
  lru.emplace_front(key, code);
  index[key] = lru.begin();
  if (lru.size() > kCapacity) {
    index.erase(lru.back().first);
    lru.pop_back();
  }
  return code;
}

struct MatchData {
  pcre2_match_data* md;
  explicit MatchData(const pcre2_code* c) : md(pcre2_match_data_create_from_pattern(c, nullptr)) {}
  ~MatchData() { pcre2_match_data_free(md); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
};

// Pattern and optional flags arguments: simple literals (17.4.3.14).
CodePtr patternArgs(const rdf::Term& pattern, const rdf::Term* flags) {
  if (!isSimpleString(pattern)) return nullptr;
  if (flags && !isSimpleString(*flags)) return nullptr;
  return compile(pattern.value, flags ? std::string_view(flags->value) : std::string_view());
}

}  // namespace

OptTerm regexBuiltin(std::span<const rdf::Term> args) {
  if (args.size() < 2 || args.size() > 3 || !isStringLiteral(args[0])) return std::nullopt;
  CodePtr code = patternArgs(args[1], args.size() == 3 ? &args[2] : nullptr);
  if (!code) return std::nullopt;
  MatchData m(code.get());
  if (!m.md) return std::nullopt;
  const std::string& s = args[0].value;
  int rc = pcre2_match(code.get(), reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, m.md,
                       nullptr);
  if (rc >= 0) return booleanLiteral(true);
  if (rc == PCRE2_ERROR_NOMATCH) return booleanLiteral(false);
  return std::nullopt;
}

OptTerm replaceBuiltin(std::span<const rdf::Term> args) {
  if (args.size() < 3 || args.size() > 4 || !isStringLiteral(args[0]) ||
      !isSimpleString(args[2])) {
    return std::nullopt;
  }
  CodePtr code = patternArgs(args[1], args.size() == 4 ? &args[3] : nullptr);
  if (!code) return std::nullopt;
  MatchData m(code.get());
  if (!m.md) return std::nullopt;
  // err:FORX0003: a pattern that matches the zero-length string.
  if (pcre2_match(code.get(), reinterpret_cast<PCRE2_SPTR>(""), 0, 0, 0, m.md, nullptr) >= 0) {
    return std::nullopt;
  }
  uint32_t groups = 0;
  pcre2_pattern_info(code.get(), PCRE2_INFO_CAPTURECOUNT, &groups);
  // Validate the replacement string (err:FORX0004): '\' must escape '\' or
  // '$'; '$' must be followed by a digit.
  const std::string& rep = args[2].value;
  for (size_t i = 0; i < rep.size(); ++i) {
    if (rep[i] == '\\') {
      if (i + 1 >= rep.size() || (rep[i + 1] != '\\' && rep[i + 1] != '$')) return std::nullopt;
      ++i;
    } else if (rep[i] == '$') {
      if (i + 1 >= rep.size() || rep[i + 1] < '0' || rep[i + 1] > '9') return std::nullopt;
    }
  }
  const std::string& s = args[0].value;
  std::string out;
  size_t pos = 0;
  while (pos <= s.size()) {
    int rc = pcre2_match(code.get(), reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos, 0, m.md,
                         nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) return std::nullopt;
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(m.md);
    size_t mstart = ov[0], mend = ov[1];
    out.append(s, pos, mstart - pos);
    // Expand the replacement: $N takes the longest digit run naming a group.
    for (size_t i = 0; i < rep.size(); ++i) {
      char c = rep[i];
      if (c == '\\') {
        out.push_back(rep[++i]);
        continue;
      }
      if (c != '$') {
        out.push_back(c);
        continue;
      }
      uint32_t n = static_cast<uint32_t>(rep[++i] - '0');
      while (i + 1 < rep.size() && rep[i + 1] >= '0' && rep[i + 1] <= '9') {
        uint32_t next = n * 10 + static_cast<uint32_t>(rep[i + 1] - '0');
        if (next > groups) break;
        n = next;
        ++i;
      }
      if (n <= groups && static_cast<int>(n) < rc && ov[2 * n] != PCRE2_UNSET) {
        out.append(s, ov[2 * n], ov[2 * n + 1] - ov[2 * n]);
      }
    }
    if (mend == mstart) {  // cannot happen after the empty-match check; stay safe
      if (mend < s.size()) out.push_back(s[mend]);
      pos = mend + 1;
    } else {
      pos = mend;
    }
  }
  if (pos < s.size()) out.append(s, pos, std::string::npos);
  return stringLike(args[0], out);
}

}  // namespace weft::sparql::internal::fn
