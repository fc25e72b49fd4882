// SPDX-License-Identifier: Apache-2.0
// I-Regexp (RFC 9485), the interoperable regular expressions that the
// JSONPath functions match() and search() use (RFC 9535 sections 2.4.6 and
// 2.4.7). A pattern is checked against the I-Regexp grammar (RFC 9485
// section 3) and translated to PCRE2 (section 5.3: '.' becomes [^\n\r], groups
// become non-capturing, every literal is written as \x{...}, '^' and '$'
// stay anchors as in the section 5 mappings), then run in UTF mode.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace weft::jsonpath::internal {

// The PCRE2 pattern for an I-Regexp, or nullopt when `pattern` is not one.
std::optional<std::string> translateIRegexp(std::string_view pattern);

class Regex {
 public:
  // `whole`: the pattern must match the whole subject (match()); otherwise
  // any substring (search()). Null when the pattern is not a valid I-Regexp.
  static std::shared_ptr<const Regex> compile(std::string_view pattern, bool whole);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  // False also when the subject is not valid UTF-8 or matching gives up.
  bool matches(std::string_view subject) const;

 private:
  explicit Regex(void* code) : code_(code) {}
  void* code_;  // pcre2_code_8*
};

}  // namespace weft::jsonpath::internal
