// SPDX-License-Identifier: Apache-2.0
// Typed literal values: parse the lexical form of an XSD-typed literal into a
// value that can be compared, ordered and printed canonically. Used by SPARQL
// FILTER / ORDER BY and by the store's value inlining.
//
// Spec: XML Schema Definition Language (XSD) 1.1 Part 2: Datatypes,
// https://www.w3.org/TR/xmlschema11-2/ ("XSD 1.1" below). Where XSD 1.0 and
// 1.1 differ we follow 1.1, notably:
//   - year 0000 is valid and means 1 BCE (astronomical numbering, so year 0,
//     -4, -400 are leap years); XSD 1.0 rejected year 0000;
//   - "24:00:00" is allowed and is 00:00:00 of the following day (§3.3.7);
//   - float/double accept "+INF", "1." and ".5"; out-of-range magnitudes
//     round to ±INF or ±0 instead of being invalid (§3.3.4, §3.3.5);
//   - a date/time value keeps its timezone offset; "…T12:00:00-05:00" and
//     "…T17:00:00Z" are different values that compare equal (§3.3.7).
//
// Implementation limits (allowed by XSD 1.1 §5.4 "Partial Implementation of
// Infinite Datatypes"): years must satisfy |year| < 10^10, duration month and
// second counts must fit in int64, and fractional seconds are kept exactly to
// 18 digits (attoseconds). A lexical form beyond these limits parses as
// kInvalid. xsd:decimal and xsd:integer have no limit.
//
// Thread safety: all functions are pure; Value is a plain value type.
//
// When adding a datatype: extend Datatype, datatypeFromIri/datatypeIri,
// parseValue, canonicalLexical, compareValues and the unit tests.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/rdf/term.h"

namespace weft::rdf {

// The datatype IRIs we understand (XSD 1.1 §3.3 primitive and §3.4 built-in
// derived datatypes). kUnknown: any other IRI, including xsd:string.
enum class Datatype : uint8_t {
  kUnknown = 0,
  kBoolean,
  kDecimal,
  kInteger,
  kNonPositiveInteger,
  kNegativeInteger,
  kLong,
  kInt,
  kShort,
  kByte,
  kNonNegativeInteger,
  kUnsignedLong,
  kUnsignedInt,
  kUnsignedShort,
  kUnsignedByte,
  kPositiveInteger,
  kFloat,
  kDouble,
  kDuration,
  kYearMonthDuration,
  kDayTimeDuration,
  kDateTime,
  kDateTimeStamp,  // dateTime with a required timezone
  kTime,
  kDate,
  kGYearMonth,
  kGYear,
  kGMonthDay,
  kGDay,
  kGMonth,
};

Datatype datatypeFromIri(std::string_view iri);
// Full IRI of a known datatype; empty for kUnknown.
std::string_view datatypeIri(Datatype dt);

// The value family of a parsed literal. All integer-derived datatypes are
// kInteger, dateTimeStamp is kDateTime, yearMonthDuration and dayTimeDuration
// are kDuration (Value::datatype keeps the exact datatype).
enum class ValueType : uint8_t {
  kNone = 0,  // not a supported datatype (or not a literal)
  kInvalid,   // supported datatype, lexical form not in its lexical space
  kBoolean,
  kInteger,
  kDecimal,
  kFloat,
  kDouble,
  kDuration,
  kDateTime,
  kTime,
  kDate,
  kGYearMonth,
  kGYear,
  kGMonthDay,
  kGDay,
  kGMonth,
};

const char* valueTypeName(ValueType t);

// An exact decimal number: (-1)^negative * int_digits.frac_digits.
// Normalised: int_digits has no leading zeros, frac_digits no trailing zeros,
// zero is {false, "", ""} (there is no negative zero). Both strings hold only
// '0'..'9'. Any two equal numbers have identical representations.
struct Decimal {
  bool negative = false;
  std::string int_digits;
  std::string frac_digits;

  bool isZero() const { return int_digits.empty() && frac_digits.empty(); }
  bool isInteger() const { return frac_digits.empty(); }
  friend bool operator==(const Decimal&, const Decimal&) = default;
};
std::strong_ordering compareDecimals(const Decimal& a, const Decimal& b);

// The seven-property model of XSD 1.1 §3.3.7 (dateTime) shared by date, time
// and the g* types. Which properties are present follows from the ValueType
// (kTime has no year/month/day, kGMonth only a month, ...); absent ones are 0.
// Values are the local values as written (not shifted to UTC), after the
// 24:00:00 rule.
struct DateTime {
  int64_t year = 0;            // astronomical: 0 = 1 BCE, -1 = 2 BCE
  uint8_t month = 0;           // 1..12 when present
  uint8_t day = 0;             // 1..31 when present
  uint8_t hour = 0;            // 0..23 (24:00:00 is normalised away)
  uint8_t minute = 0;          // 0..59
  uint8_t second = 0;          // 0..59
  uint64_t attosecond = 0;     // fraction of the second, 0..10^18-1
  bool has_timezone = false;
  int16_t tz_minutes = 0;      // -840..840 when has_timezone
  friend bool operator==(const DateTime&, const DateTime&) = default;
};

// A duration as (months, seconds) per XSD 1.1 §3.3.6: both parts carry the
// same sign. seconds = whole_seconds + attoseconds / 10^18, where attoseconds
// has the sign of whole_seconds (or of the duration when whole_seconds is 0).
struct Duration {
  int64_t months = 0;
  int64_t seconds = 0;
  int64_t attoseconds = 0;  // -(10^18-1)..10^18-1
  friend bool operator==(const Duration&, const Duration&) = default;
};

// A parsed typed literal. Only the members named for `type` are meaningful.
struct Value {
  ValueType type = ValueType::kNone;
  Datatype datatype = Datatype::kUnknown;
  bool boolean = false;   // kBoolean
  int64_t integer = 0;    // kInteger when !big_integer
  bool big_integer = false;  // kInteger outside int64: value in `decimal`
  Decimal decimal;        // kDecimal; kInteger when big_integer
  double number = 0;      // kFloat (holds a float value exactly), kDouble
  DateTime datetime;      // kDateTime, kTime, kDate, kG*
  Duration duration;      // kDuration

  bool isValid() const { return type != ValueType::kNone && type != ValueType::kInvalid; }
};

// Parse `lexical` as a literal of datatype `datatype_iri`.
// The whiteSpace facet of every supported datatype is "collapse", so leading
// and trailing XML whitespace (#x20 #x9 #xA #xD) is ignored; whitespace
// inside the form makes it invalid (no supported lexical space contains it).
// Returns type kNone for unsupported datatypes and kInvalid (with `datatype`
// set) for a lexical form outside the datatype's lexical space or value range
// (e.g. "128"^^xsd:byte). Never throws.
Value parseValue(std::string_view lexical, std::string_view datatype_iri);
Value parseValue(std::string_view lexical, Datatype datatype);
// A literal term: parseValue(value, datatype); other terms give kNone.
Value parseValue(const TermView& term);

// The canonical lexical representation (XSD 1.1 canonical mappings):
// integer "-0" -> "0", "+007" -> "7"; decimal "1" -> "1.0", "-.50" -> "-0.5";
// float/double "1.0E0", "-1.5E-7", "INF", "-INF", "NaN", "0.0E0", "-0.0E0"
// (shortest mantissa that reads back to the same value); boolean "1" ->
// "true"; date/time with 24:00:00 rolled over, timezone "+00:00" -> "Z";
// durations "P1Y2M3DT4H5M6.7S", zero "PT0S" (yearMonthDuration "P0M").
// Empty for kNone and kInvalid.
std::string canonicalLexical(const Value& v);

// Value comparison (a partial order):
//   - numerics compare across types after XSD/XPath type promotion
//     integer < decimal < float < double (integer vs decimal exactly); NaN is
//     unordered with everything; -0 and +0 are equivalent;
//   - booleans: false < true;
//   - date/time values compare within the same ValueType (dateTime with
//     dateTimeStamp), on the time line; one with and one without timezone
//     are ordered only when they are more than 14 hours apart, otherwise
//     unordered (XSD 1.1 §3.3.7, XSD 1.0 §3.2.7.4);
//   - durations: the XSD partial order (P1M vs P30D is unordered);
//   - anything else (different families, kNone, kInvalid) is unordered.
std::partial_ordering compareValues(const Value& a, const Value& b);

bool isNumeric(ValueType t);
inline bool isNumeric(const Value& v) { return isNumeric(v.type); }
// The common type two numerics promote to (the larger of the two in
// integer < decimal < float < double); kNone if either is not numeric.
ValueType promotedNumericType(ValueType a, ValueType b);
inline ValueType promotedNumericType(const Value& a, const Value& b) {
  return promotedNumericType(a.type, b.type);
}
// The value as a double (decimals rounded to nearest, big integers too);
// booleans give 0 or 1; NaN for non-numeric values.
double toDouble(const Value& v);
// A dateTime as seconds since 1970-01-01T00:00:00Z on the time line, fraction
// included (a value without a timezone is read as UTC); for range indexes.
double toEpochSeconds(const DateTime& dt);

}  // namespace weft::rdf
