// SPDX-License-Identifier: Apache-2.0
// ASCII-only case helpers (keywords, language tags, encoding and SQL type
// names, XSD lexical forms): bytes outside A-Z / a-z are left as they are,
// whatever the locale.
#pragma once

#include <string>
#include <string_view>

namespace weft::core {

inline char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline char asciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string asciiLower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = asciiLower(c);
  return r;
}
inline std::string asciiUpper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = asciiUpper(c);
  return r;
}

inline bool equalsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  return true;
}

}  // namespace weft::core
