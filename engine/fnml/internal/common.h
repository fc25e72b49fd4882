// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the built-in functions (engine/fnml): building function
// descriptions, making result values, UTF-8 text operations, numbers, a
// per-thread PCRE2 cache for GREL's "/regex/" arguments, and the registration
// entry points of each function family. Private to engine/fnml (and its tests).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ascii.h"
#include "engine/fnml/functions.h"

namespace weft::fnml::internal {

using sources::Value;
using sources::ValueKind;

// ---- describing functions ----
Parameter param(std::string_view ns, std::string_view local, std::string_view predicate_local,
                bool required = true, bool list = false);
Output output(std::string_view ns, std::string_view local, std::string_view predicate_local);
// weft-fn: parameters and outputs, whose predicate has the same local name.
inline Parameter weftParam(std::string_view local, bool required = true) {
  return param(kWeftFn, local, local, required);
}
inline Output weftOutput(std::string_view local) { return output(kWeftFn, local, local); }

// The signature every built-in function implementation has (see Impl).
#define WEFT_FN(name) Status name(const Function&, const Args& a, size_t, std::vector<Value>* out)
Function fn(std::string_view ns, std::string_view local, std::vector<Parameter> params,
            std::vector<Output> outputs, Impl impl);

// ---- results ----
inline void emit(std::vector<Value>* out, std::string text, ValueKind kind = ValueKind::kString) {
  out->push_back(Value{std::move(text), kind, {}, {}});
}
inline void emitBool(std::vector<Value>* out, bool b) {
  emit(out, b ? "true" : "false", ValueKind::kBoolean);
}
inline void emitInt(std::vector<Value>* out, int64_t v) {
  emit(out, std::to_string(v), ValueKind::kInteger);
}
void emitTyped(std::vector<Value>* out, std::string text, std::string_view xsd_local);
// A number as xsd:decimal (fixed notation, at most `digits` significant
// digits, trailing zeros dropped) or xsd:integer when it is integral and small.
void emitNumber(std::vector<Value>* out, double v, int digits = 15);
std::string formatDecimal(double v, int digits = 15);

inline Status bad(std::string reason) { return Status::invalidArgument(std::move(reason)); }

// ---- numbers ----
// Whole-string parses (surrounding ASCII spaces allowed); false on failure.
bool parseInt(std::string_view s, int64_t* v);
bool parseDouble(std::string_view s, double* v);
// GREL/Java boolean: "true" (any case) -> true; "false" -> false; also "1"/"0".
bool parseBool(std::string_view s, bool* v);
Status needInt(std::string_view what, std::string_view s, int64_t* v);
Status needDouble(std::string_view what, std::string_view s, double* v);

// ---- UTF-8 ----
// Decodes one code point at s[*i] and advances *i (invalid bytes decode as
// themselves, one byte at a time, so nothing is lost).
char32_t nextCodePoint(std::string_view s, size_t* i);
void appendUtf8(std::string* out, char32_t c);
size_t codePointCount(std::string_view s);
// Byte offset of code point `index` (s.size() when index == count; npos past it).
size_t byteOffset(std::string_view s, size_t index);
std::string toUpper(std::string_view s);
std::string toLower(std::string_view s);
char32_t upperCp(char32_t c);
char32_t lowerCp(char32_t c);
bool isSpaceCp(char32_t c);
bool isAlnumCp(char32_t c);

// ---- escapes ----
// Percent-encodes every byte outside RFC 3986 unreserved (A-Z a-z 0-9 - . _ ~).
// The values' texts joined by `sep` (GREL array_join, IDLab concatSequence).
std::string joinTexts(const std::vector<Value>& items, std::string_view sep);

std::string percentEncode(std::string_view s);
// Decodes %XX escapes; false on a malformed escape.
bool percentDecode(std::string_view s, std::string* out);

// ---- regular expressions (PCRE2, UTF) ----
// True when s is "/.../" (GREL's regular expression literal); *body = inside.
bool isRegexLiteral(std::string_view s, std::string_view* body);
struct Match {
  std::vector<std::pair<size_t, size_t>> groups;  // byte [begin, end) per group; npos if unset
};
// Finds the first match at or after `start`; *found false when none.
Status regexFind(std::string_view pattern, std::string_view subject, size_t start, bool anchored_whole,
                 bool* found, Match* m);
// Replaces every match (Java replaceAll: $n and ${n} group references).
Status regexReplaceAll(std::string_view pattern, std::string_view subject, std::string_view replacement,
                       std::string* out);

// ---- registration (one per family) ----
void addGrel(Library* lib);
void addIdlab(Library* lib);
void addWeft(Library* lib);
void addGs1(Library* lib);
void addTestFunctions(Library* lib);

}  // namespace weft::fnml::internal
