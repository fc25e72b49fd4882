// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the SPARQL function library (engine/sparql/functions.cpp
// and internal/functions_*.cpp): literal classification by the argument rules
// of SPARQL 1.1 section 17.4.3.1 ("string literal", "simple literal",
// argument compatibility), result-term construction, UTF-8 code point
// handling, and the per-area entry points the dispatcher in functions.cpp
// calls. Not a public interface.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/rdf/term.h"
#include "engine/rdf/xsd.h"
#include "engine/sparql/algebra.h"
#include "engine/sparql/functions.h"

namespace weft::sparql::internal::fn {

using OptTerm = std::optional<rdf::Term>;

// ---- literal classification (17.4.3.1) ----
inline bool hasLang(const rdf::Term& t) { return t.kind == rdf::TermKind::kLiteral && !t.lang.empty(); }
// A simple literal or an xsd:string literal (RDF 1.1 makes them the same term).
inline bool isSimpleString(const rdf::Term& t) {
  return t.kind == rdf::TermKind::kLiteral && t.lang.empty() &&
         (t.datatype.empty() || t.datatype == rdf::kXsdString);
}
// A "string literal": simple, xsd:string or language-tagged.
inline bool isStringLiteral(const rdf::Term& t) { return isSimpleString(t) || hasLang(t); }
// Argument compatibility of 17.4.3.1.4 (both simple/xsd:string, both with the
// same language tag, or arg1 tagged and arg2 simple/xsd:string).
bool argumentsCompatible(const rdf::Term& a, const rdf::Term& b);

// ---- result terms ----
rdf::Term simpleLiteral(std::string_view s);
rdf::Term booleanLiteral(bool b);
rdf::Term typedLiteral(std::string_view lexical, rdf::Datatype dt);
// A literal with the same "kind" as `like` (its language tag, or xsd:string).
rdf::Term stringLike(const rdf::Term& like, std::string_view s);
// A term holding the canonical lexical form of `v` with the datatype `dt`.
rdf::Term valueLiteral(const rdf::Value& v, rdf::Datatype dt);
rdf::Term doubleLiteral(double d);
rdf::Term floatLiteral(float f);
rdf::Term decimalLiteral(const rdf::Decimal& d);
rdf::Term integerFromDecimal(const rdf::Decimal& d);  // d must be integral

// ---- UTF-8 ----
// Code points of `s` (a malformed byte decodes as U+FFFD).
std::u32string decodeUtf8(std::string_view s);
void appendUtf8(std::string& out, char32_t c);
std::string encodeUtf8(std::u32string_view s);
size_t codepointCount(std::string_view s);

// ---- exact decimal arithmetic on rdf::Decimal (functions_numeric.cpp) ----
rdf::Decimal decimalAdd(const rdf::Decimal& a, const rdf::Decimal& b);
rdf::Decimal decimalSub(const rdf::Decimal& a, const rdf::Decimal& b);
rdf::Decimal decimalMul(const rdf::Decimal& a, const rdf::Decimal& b);
// a / b with at least `min_frac_digits` fractional digits (rounded half away
// from zero at the last one); exact when the quotient terminates earlier.
// nullopt when b is zero.
std::optional<rdf::Decimal> decimalDiv(const rdf::Decimal& a, const rdf::Decimal& b,
                                       int64_t min_frac_digits = 18);
rdf::Decimal decimalFromInt64(int64_t v);
std::optional<int64_t> decimalToInt64(const rdf::Decimal& d);
// The exact value of a finite double / its shortest round-tripping decimal.
rdf::Decimal decimalFromDoubleShortest(double d, bool as_float);
rdf::Decimal decimalTruncate(const rdf::Decimal& d);
rdf::Decimal decimalFloor(const rdf::Decimal& d);
rdf::Decimal decimalCeil(const rdf::Decimal& d);
rdf::Decimal decimalRound(const rdf::Decimal& d);  // fn:round: half toward +INF
// The value of an integer or decimal Value as a Decimal.
rdf::Decimal exactDecimal(const rdf::Value& v);
// Plain decimal notation of a Decimal ("1", "-0.5"; XPath cast to string).
std::string decimalPlainString(const rdf::Decimal& d);

// ---- per-area entry points ----
OptTerm numericBuiltin(Builtin b, const rdf::Term& arg);          // ABS CEIL FLOOR ROUND
OptTerm stringBuiltin(Builtin b, std::span<const rdf::Term> args, FunctionContext& ctx);
OptTerm hashBuiltin(Builtin b, const rdf::Term& arg);              // MD5 .. SHA512
OptTerm regexBuiltin(std::span<const rdf::Term> args);             // REGEX
OptTerm replaceBuiltin(std::span<const rdf::Term> args);           // REPLACE
OptTerm dateTimeBuiltin(Builtin b, const rdf::Term& arg);          // YEAR .. TZ
OptTerm castTo(std::string_view iri, const rdf::Term& arg);        // 17.5
// XPath's cast-to-string of a literal (canonical forms, fn:string rules).
std::optional<std::string> castToStringLexical(const rdf::Term& t);

}  // namespace weft::sparql::internal::fn
