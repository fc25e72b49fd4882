// SPDX-License-Identifier: Apache-2.0
// XSD 1.1 typed literal values: lexical mappings, canonical mappings and the
// order relations (https://www.w3.org/TR/xmlschema11-2/). See xsd.h.
#include "engine/rdf/xsd.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>

namespace weft::rdf {
namespace {

// ---------------------------------------------------------------------------
// Datatype table
// ---------------------------------------------------------------------------

struct DatatypeInfo {
  Datatype dt;
  std::string_view iri;
};

#define WEFT_XSD_IRI(local) "http://www.w3.org/2001/XMLSchema#" local
constexpr std::array<DatatypeInfo, 29> kDatatypes = {{
    {Datatype::kBoolean, WEFT_XSD_IRI("boolean")},
    {Datatype::kDecimal, WEFT_XSD_IRI("decimal")},
    {Datatype::kInteger, WEFT_XSD_IRI("integer")},
    {Datatype::kNonPositiveInteger, WEFT_XSD_IRI("nonPositiveInteger")},
    {Datatype::kNegativeInteger, WEFT_XSD_IRI("negativeInteger")},
    {Datatype::kLong, WEFT_XSD_IRI("long")},
    {Datatype::kInt, WEFT_XSD_IRI("int")},
    {Datatype::kShort, WEFT_XSD_IRI("short")},
    {Datatype::kByte, WEFT_XSD_IRI("byte")},
    {Datatype::kNonNegativeInteger, WEFT_XSD_IRI("nonNegativeInteger")},
    {Datatype::kUnsignedLong, WEFT_XSD_IRI("unsignedLong")},
    {Datatype::kUnsignedInt, WEFT_XSD_IRI("unsignedInt")},
    {Datatype::kUnsignedShort, WEFT_XSD_IRI("unsignedShort")},
    {Datatype::kUnsignedByte, WEFT_XSD_IRI("unsignedByte")},
    {Datatype::kPositiveInteger, WEFT_XSD_IRI("positiveInteger")},
    {Datatype::kFloat, WEFT_XSD_IRI("float")},
    {Datatype::kDouble, WEFT_XSD_IRI("double")},
    {Datatype::kDuration, WEFT_XSD_IRI("duration")},
    {Datatype::kYearMonthDuration, WEFT_XSD_IRI("yearMonthDuration")},
    {Datatype::kDayTimeDuration, WEFT_XSD_IRI("dayTimeDuration")},
    {Datatype::kDateTime, WEFT_XSD_IRI("dateTime")},
    {Datatype::kDateTimeStamp, WEFT_XSD_IRI("dateTimeStamp")},
    {Datatype::kTime, WEFT_XSD_IRI("time")},
    {Datatype::kDate, WEFT_XSD_IRI("date")},
    {Datatype::kGYearMonth, WEFT_XSD_IRI("gYearMonth")},
    {Datatype::kGYear, WEFT_XSD_IRI("gYear")},
    {Datatype::kGMonthDay, WEFT_XSD_IRI("gMonthDay")},
    {Datatype::kGDay, WEFT_XSD_IRI("gDay")},
    {Datatype::kGMonth, WEFT_XSD_IRI("gMonth")},
}};
#undef WEFT_XSD_IRI

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

constexpr int64_t kMaxYearExclusive = 10'000'000'000;  // |year| < 10^10 (xsd.h limits)
constexpr uint64_t kAttoPerSecond = 1'000'000'000'000'000'000ULL;
constexpr int kMaxFractionDigits = 18;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// XML whitespace as used by the whiteSpace facet (XSD 1.1 §4.3.6).
bool isXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// whiteSpace="collapse" (XSD 1.1 §4.3.6): for the datatypes here any inner
// whitespace is invalid anyway, so collapsing reduces to trimming the ends.
std::string_view collapseEnds(std::string_view s) {
  while (!s.empty() && isXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Fraction digits -> attoseconds. Trailing zeros are ignored; more than 18
// significant digits exceed the implementation limit (returns nullopt).
std::optional<uint64_t> fractionToAtto(std::string_view digits) {
  while (!digits.empty() && digits.back() == '0') digits.remove_suffix(1);
  if (digits.size() > static_cast<size_t>(kMaxFractionDigits)) return std::nullopt;
  uint64_t v = 0;
  for (int i = 0; i < kMaxFractionDigits; ++i) {
    v = v * 10 + (static_cast<size_t>(i) < digits.size() ? static_cast<uint64_t>(digits[i] - '0') : 0);
  }
  return v;
}

// ".5" style suffix for attoseconds (empty when zero), trailing zeros dropped.
void appendAttoFraction(std::string& out, uint64_t atto) {
  if (atto == 0) return;
  char buf[kMaxFractionDigits];
  for (int i = kMaxFractionDigits - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + atto % 10);
    atto /= 10;
  }
  int len = kMaxFractionDigits;
  while (len > 0 && buf[len - 1] == '0') --len;
  out += '.';
  out.append(buf, static_cast<size_t>(len));
}

void appendPadded(std::string& out, uint64_t v, int width) {
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// ---------------------------------------------------------------------------
// Decimal (XSD 1.1 §3.3.3) and integer (§3.4.13)
// ---------------------------------------------------------------------------

// decimalLexicalRep (XSD 1.1 §3.3.3): (\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+).
// With allow_point false: the integer lexical space (\+|-)?[0-9]+.
bool parseDecimalLexical(std::string_view s, bool allow_point, Decimal& out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  size_t int_begin = i;
  while (i < s.size() && isDigit(s[i])) ++i;
  std::string_view int_part = s.substr(int_begin, i - int_begin);
  std::string_view frac_part;
  if (allow_point && i < s.size() && s[i] == '.') {
    ++i;
    size_t frac_begin = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    frac_part = s.substr(frac_begin, i - frac_begin);
  }
  if (i != s.size() || (int_part.empty() && frac_part.empty())) return false;
  while (!int_part.empty() && int_part.front() == '0') int_part.remove_prefix(1);
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.remove_suffix(1);
  out.int_digits.assign(int_part);
  out.frac_digits.assign(frac_part);
  out.negative = negative && !out.isZero();
  return true;
}

Decimal decimalFromInt64(int64_t v) {
  Decimal d;
  d.negative = v < 0;
  uint64_t mag = d.negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  if (mag != 0) d.int_digits = std::to_string(mag);
  return d;
}

// An integer-valued Decimal that fits int64, or nullopt.
std::optional<int64_t> decimalToInt64(const Decimal& d) {
  if (!d.isInteger()) return std::nullopt;
  constexpr std::string_view kMaxPos = "9223372036854775807";
  constexpr std::string_view kMaxNeg = "9223372036854775808";
  std::string_view limit = d.negative ? kMaxNeg : kMaxPos;
  if (d.int_digits.size() > limit.size() ||
      (d.int_digits.size() == limit.size() && std::string_view(d.int_digits) > limit)) {
    return std::nullopt;
  }
  uint64_t mag = 0;
  for (char c : d.int_digits) mag = mag * 10 + static_cast<uint64_t>(c - '0');
  return d.negative ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
}

std::string decimalToString(const Decimal& d, bool with_point) {
  std::string out;
  if (d.negative) out += '-';
  out += d.int_digits.empty() ? "0" : d.int_digits;
  if (with_point) {
    out += '.';
    out += d.frac_digits.empty() ? "0" : d.frac_digits;
  }
  return out;
}

// Value bounds of the built-in integer datatypes (XSD 1.1 §3.4.14-§3.4.25).
struct IntRange {
  std::optional<int64_t> min, max;
  bool unsigned_long = false;  // max is 2^64-1, beyond int64
};

IntRange intRange(Datatype dt) {
  constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
  constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
  switch (dt) {
    case Datatype::kNonPositiveInteger: return {std::nullopt, 0};
    case Datatype::kNegativeInteger: return {std::nullopt, -1};
    case Datatype::kLong: return {kI64Min, kI64Max};
    case Datatype::kInt: return {-2147483648LL, 2147483647LL};
    case Datatype::kShort: return {-32768, 32767};
    case Datatype::kByte: return {-128, 127};
    case Datatype::kNonNegativeInteger: return {0, std::nullopt};
    case Datatype::kUnsignedLong: return {0, std::nullopt, true};
    case Datatype::kUnsignedInt: return {0, 4294967295LL};
    case Datatype::kUnsignedShort: return {0, 65535};
    case Datatype::kUnsignedByte: return {0, 255};
    case Datatype::kPositiveInteger: return {1, std::nullopt};
    default: return {};
  }
}

// Parses xsd:integer or a derived integer type, checking the type's range.
bool parseInteger(std::string_view s, Datatype dt, Value& v) {
  Decimal d;
  if (!parseDecimalLexical(s, /*allow_point=*/false, d)) return false;
  IntRange range = intRange(dt);
  if (std::optional<int64_t> small = decimalToInt64(d)) {
    if (range.min && *small < *range.min) return false;
    if (range.max && *small > *range.max) return false;
    v.integer = *small;
    v.big_integer = false;
    return true;
  }
  // Outside int64: every finite int64 bound on that side excludes it.
  if (d.negative ? range.min.has_value() : range.max.has_value()) return false;
  if (range.unsigned_long) {
    constexpr std::string_view kU64Max = "18446744073709551615";
    if (d.int_digits.size() > kU64Max.size() ||
        (d.int_digits.size() == kU64Max.size() && std::string_view(d.int_digits) > kU64Max)) {
      return false;
    }
  }
  v.big_integer = true;
  v.decimal = std::move(d);
  return true;
}

// ---------------------------------------------------------------------------
// float and double (XSD 1.1 §3.3.4, §3.3.5)
// ---------------------------------------------------------------------------

// Decimal exponent of the most significant non-zero digit of a validated
// mantissa [int].[frac] with exponent `exp`; used only when from_chars says
// the value is out of range, to tell overflow (>= 0) from underflow.
int64_t magnitudeExponent(std::string_view int_part, std::string_view frac_part, int64_t exp) {
  size_t k = int_part.find_first_not_of('0');
  if (k != std::string_view::npos) return static_cast<int64_t>(int_part.size() - k) - 1 + exp;
  size_t j = frac_part.find_first_not_of('0');
  if (j == std::string_view::npos) return std::numeric_limits<int64_t>::min();
  return -static_cast<int64_t>(j) - 1 + exp;
}

// floatRep / doubleRep (XSD 1.1 §3.3.4.2, §3.3.5.2):
//   (\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)? | (\+|-)?INF | NaN
// The value is rounded to nearest (float when `as_float`); magnitudes beyond
// the range become ±INF, below it ±0 (floatLexicalMap in XSD 1.1).
bool parseFloating(std::string_view s, bool as_float, double& out) {
  if (s == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  if (s.substr(i) == "INF") {
    out = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return true;
  }
  size_t int_begin = i;
  while (i < s.size() && isDigit(s[i])) ++i;
  std::string_view int_part = s.substr(int_begin, i - int_begin);
  std::string_view frac_part;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t frac_begin = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    frac_part = s.substr(frac_begin, i - frac_begin);
  }
  if (int_part.empty() && frac_part.empty()) return false;
  int64_t exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      exp_negative = s[i] == '-';
      ++i;
    }
    size_t exp_begin = i;
    while (i < s.size() && isDigit(s[i])) {
      if (exp < 1'000'000'000) exp = exp * 10 + (s[i] - '0');  // saturate
      ++i;
    }
    if (i == exp_begin) return false;
    if (exp_negative) exp = -exp;
  }
  if (i != s.size()) return false;

  // from_chars takes no leading '+'; it is locale-independent.
  const char* first = s.data() + (s.front() == '+' ? 1 : 0);
  const char* last = s.data() + s.size();
  std::from_chars_result r;
  if (as_float) {
    float f = 0;
    r = std::from_chars(first, last, f, std::chars_format::general);
    out = f;
  } else {
    r = std::from_chars(first, last, out, std::chars_format::general);
  }
  if (r.ec == std::errc::result_out_of_range) {
    bool overflow = magnitudeExponent(int_part, frac_part, exp) >= 0;
    double mag = overflow ? std::numeric_limits<double>::infinity() : 0.0;
    out = negative ? -mag : mag;
    return true;
  }
  return r.ec == std::errc() && r.ptr == last;
}

// Decimal -> nearest float or double.
double decimalToFloating(const Decimal& d, bool as_float) {
  std::string text = decimalToString(d, /*with_point=*/true);
  double out = 0;
  bool ok = parseFloating(text, as_float, out);
  (void)ok;  // a canonical decimal string always matches doubleRep
  return out;
}

// canonical float/double (XSD 1.1 §3.3.4.2, §3.3.5.2): scientific notation
// with one non-zero digit before the point, at least one after, "E", the
// exponent without '+' or leading zeros; the shortest digits that map back.
std::string canonicalFloating(double d, bool as_float) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-INF" : "INF";
  if (d == 0) return std::signbit(d) ? "-0.0E0" : "0.0E0";
  char buf[64];
  std::to_chars_result r = as_float
      ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(d), std::chars_format::scientific)
      : std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(r.ptr - buf));  // e.g. "-1.5e-07"
  size_t e = text.find('e');
  std::string out(text.substr(0, e));
  if (out.find('.') == std::string::npos) out += ".0";
  int exponent = 0;
  std::string_view exp_text = text.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

// ---------------------------------------------------------------------------
// Dates and times (XSD 1.1 §3.3.7 - §3.3.14)
// ---------------------------------------------------------------------------

bool isLeapYear(int64_t y) {  // proleptic Gregorian, astronomical numbering
  return (y % 4 == 0) && (y % 100 != 0 || y % 400 == 0);
}

int daysInMonth(int64_t year, int month) {  // daysInMonth (XSD 1.1 Appendix E)
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && isLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (the usual era-of-400-
// years computation; exact for any int64 year within our limits).
int64_t daysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = floorDiv(y, 400);
  const int64_t yoe = y - era * 400;                                  // [0, 399]
  const int64_t mp = m > 2 ? m - 3 : m + 9;                           // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + d - 1;                     // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          // [0, 146096]
  return era * 146097 + doe - 719468;
}

bool hasYear(ValueType t) {
  return t == ValueType::kDateTime || t == ValueType::kDate || t == ValueType::kGYearMonth ||
         t == ValueType::kGYear;
}
bool hasMonth(ValueType t) {
  return t == ValueType::kDateTime || t == ValueType::kDate || t == ValueType::kGYearMonth ||
         t == ValueType::kGMonthDay || t == ValueType::kGMonth;
}
bool hasDay(ValueType t) {
  return t == ValueType::kDateTime || t == ValueType::kDate || t == ValueType::kGMonthDay ||
         t == ValueType::kGDay;
}
bool hasTime(ValueType t) { return t == ValueType::kDateTime || t == ValueType::kTime; }
bool isDateTimeFamily(ValueType t) { return t >= ValueType::kDateTime && t <= ValueType::kGMonth; }

// A cursor over a collapsed lexical form.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool atEnd() const { return i_ == s_.size(); }
  bool eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool eat(std::string_view lit) {
    if (s_.substr(i_).starts_with(lit)) {
      i_ += lit.size();
      return true;
    }
    return false;
  }
  // Exactly two digits.
  bool twoDigits(int& v) {
    if (i_ + 2 > s_.size() || !isDigit(s_[i_]) || !isDigit(s_[i_ + 1])) return false;
    v = (s_[i_] - '0') * 10 + (s_[i_ + 1] - '0');
    i_ += 2;
    return true;
  }
  std::string_view digitRun() {
    size_t b = i_;
    while (i_ < s_.size() && isDigit(s_[i_])) ++i_;
    return s_.substr(b, i_ - b);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// yearFrag (XSD 1.1 §3.3.7.2): '-'? (([1-9] digit digit digit+) | ('0' digit digit digit)).
// Year 0000 is allowed (XSD 1.1); "-0000" denotes the same year 0.
bool parseYear(Cursor& c, int64_t& year) {
  bool negative = c.eat('-');
  std::string_view digits = c.digitRun();
  if (digits.size() < 4 || (digits.size() > 4 && digits.front() == '0')) return false;
  if (digits.size() > 10) return false;  // implementation limit |year| < 10^10
  int64_t v = 0;
  for (char ch : digits) v = v * 10 + (ch - '0');
  year = negative ? -v : v;
  return true;
}

bool parseMonth(Cursor& c, uint8_t& month) {
  int m = 0;
  if (!c.twoDigits(m) || m < 1 || m > 12) return false;
  month = static_cast<uint8_t>(m);
  return true;
}

bool parseDay(Cursor& c, uint8_t& day) {
  int d = 0;
  if (!c.twoDigits(d) || d < 1 || d > 31) return false;
  day = static_cast<uint8_t>(d);
  return true;
}

// hourFrag ':' minuteFrag ':' secondFrag | endOfDayFrag (XSD 1.1 §3.3.7.2, §3.3.8.2).
// Sets end_of_day for "24:00:00(.0+)?", leaving hour 0.
bool parseTimeOfDay(Cursor& c, DateTime& dt, bool& end_of_day) {
  int h = 0, mi = 0, se = 0;
  if (!c.twoDigits(h) || !c.eat(':') || !c.twoDigits(mi) || !c.eat(':') || !c.twoDigits(se)) {
    return false;
  }
  uint64_t atto = 0;
  if (c.eat('.')) {
    std::string_view frac = c.digitRun();
    if (frac.empty()) return false;
    std::optional<uint64_t> a = fractionToAtto(frac);
    if (!a) return false;  // implementation limit: 18 fraction digits
    atto = *a;
  }
  if (mi > 59 || se > 59) return false;
  end_of_day = false;
  if (h == 24) {
    if (mi != 0 || se != 0 || atto != 0) return false;
    end_of_day = true;
    h = 0;
  } else if (h > 23) {
    return false;
  }
  dt.hour = static_cast<uint8_t>(h);
  dt.minute = static_cast<uint8_t>(mi);
  dt.second = static_cast<uint8_t>(se);
  dt.attosecond = atto;
  return true;
}

// timezoneFrag (XSD 1.1 §3.3.7.2): Z | (+|-)((0[0-9]|1[0-3]):[0-5][0-9] | 14:00).
// Optional: absent when the input ends here.
bool parseTimezone(Cursor& c, DateTime& dt) {
  if (c.atEnd()) return true;
  if (c.eat('Z')) {
    dt.has_timezone = true;
    dt.tz_minutes = 0;
    return c.atEnd();
  }
  int sign = 0;
  if (c.eat('+')) {
    sign = 1;
  } else if (c.eat('-')) {
    sign = -1;
  } else {
    return false;
  }
  int h = 0, m = 0;
  if (!c.twoDigits(h) || !c.eat(':') || !c.twoDigits(m) || !c.atEnd()) return false;
  if (m > 59 || h > 14 || (h == 14 && m != 0)) return false;
  dt.has_timezone = true;
  dt.tz_minutes = static_cast<int16_t>(sign * (h * 60 + m));
  return true;
}

// Adds one day to a date (the 24:00:00 rule). False if the year leaves the
// implementation range.
bool addOneDay(DateTime& dt) {
  if (++dt.day <= daysInMonth(dt.year, dt.month)) return true;
  dt.day = 1;
  if (++dt.month <= 12) return true;
  dt.month = 1;
  ++dt.year;
  return dt.year < kMaxYearExclusive;
}

// The lexical mappings of dateTime, dateTimeStamp, time, date and the g*
// types (XSD 1.1 §3.3.7.2 - §3.3.14.2, §3.4.28).
bool parseDateTimeFamily(std::string_view s, Datatype datatype, DateTime& dt) {
  Cursor c(s);
  bool end_of_day = false;
  switch (datatype) {
    case Datatype::kDateTime:
    case Datatype::kDateTimeStamp:
      if (!parseYear(c, dt.year) || !c.eat('-') || !parseMonth(c, dt.month) || !c.eat('-') ||
          !parseDay(c, dt.day) || !c.eat('T') || !parseTimeOfDay(c, dt, end_of_day) ||
          !parseTimezone(c, dt)) {
        return false;
      }
      if (datatype == Datatype::kDateTimeStamp && !dt.has_timezone) return false;
      if (dt.day > daysInMonth(dt.year, dt.month)) return false;
      // XSD 1.1 §3.3.7.2: 24:00:00 is the first instant of the next day.
      if (end_of_day && !addOneDay(dt)) return false;
      return true;
    case Datatype::kTime:
      // XSD 1.1 §3.3.8.2: 24:00:00 maps to 00:00:00 (there is no day).
      return parseTimeOfDay(c, dt, end_of_day) && parseTimezone(c, dt);
    case Datatype::kDate:
      if (!parseYear(c, dt.year) || !c.eat('-') || !parseMonth(c, dt.month) || !c.eat('-') ||
          !parseDay(c, dt.day) || !parseTimezone(c, dt)) {
        return false;
      }
      return dt.day <= daysInMonth(dt.year, dt.month);
    case Datatype::kGYearMonth:
      return parseYear(c, dt.year) && c.eat('-') && parseMonth(c, dt.month) && parseTimezone(c, dt);
    case Datatype::kGYear:
      return parseYear(c, dt.year) && parseTimezone(c, dt);
    case Datatype::kGMonthDay:
      // XSD 1.1 §3.3.12: the day must exist in some year, so --02-29 is valid.
      if (!c.eat("--") || !parseMonth(c, dt.month) || !c.eat('-') || !parseDay(c, dt.day) ||
          !parseTimezone(c, dt)) {
        return false;
      }
      return dt.day <= daysInMonth(2000, dt.month);
    case Datatype::kGDay:
      return c.eat("---") && parseDay(c, dt.day) && parseTimezone(c, dt);
    case Datatype::kGMonth:
      return c.eat("--") && parseMonth(c, dt.month) && parseTimezone(c, dt);
    default:
      return false;
  }
}

void appendYear(std::string& out, int64_t year) {
  if (year < 0) out += '-';
  appendPadded(out, static_cast<uint64_t>(year < 0 ? -year : year), 4);
}

void appendTimezone(std::string& out, const DateTime& dt) {
  if (!dt.has_timezone) return;
  if (dt.tz_minutes == 0) {
    out += 'Z';
    return;
  }
  int tz = dt.tz_minutes;
  out += tz < 0 ? '-' : '+';
  if (tz < 0) tz = -tz;
  appendPadded(out, static_cast<uint64_t>(tz / 60), 2);
  out += ':';
  appendPadded(out, static_cast<uint64_t>(tz % 60), 2);
}

std::string canonicalDateTime(const DateTime& dt, ValueType t) {
  std::string out;
  if (hasYear(t)) {
    appendYear(out, dt.year);
  } else if (hasMonth(t)) {
    out += '-';  // "--MM" of gMonth / gMonthDay (the year slot is empty)
  } else if (t == ValueType::kGDay) {
    out += "--";
  }
  if (hasMonth(t)) {
    out += '-';
    appendPadded(out, dt.month, 2);
  }
  if (hasDay(t)) {
    out += '-';
    appendPadded(out, dt.day, 2);
  }
  if (t == ValueType::kDateTime) out += 'T';
  if (hasTime(t)) {
    appendPadded(out, dt.hour, 2);
    out += ':';
    appendPadded(out, dt.minute, 2);
    out += ':';
    appendPadded(out, dt.second, 2);
    appendAttoFraction(out, dt.attosecond);
  }
  appendTimezone(out, dt);
  return out;
}

// A point on the time line: whole seconds since 1970-01-01T00:00:00Z plus a
// non-negative fraction.
struct Instant {
  int64_t seconds = 0;
  uint64_t atto = 0;
  friend auto operator<=>(const Instant&, const Instant&) = default;
};

// timeOnTimeline (XSD 1.1 Appendix E): absent year is 1972, absent month 12,
// absent day the last day of the month; an absent timezone counts as Z (the
// caller handles the mixed case).
Instant timeOnTimeline(const DateTime& dt, ValueType t) {
  int64_t year = hasYear(t) ? dt.year : 1972;
  int month = hasMonth(t) ? dt.month : 12;
  int day = hasDay(t) ? dt.day : daysInMonth(year, month);
  int64_t secs = daysFromCivil(year, month, day) * 86400 + dt.hour * 3600 + dt.minute * 60 +
                 dt.second;
  if (dt.has_timezone) secs -= int64_t{dt.tz_minutes} * 60;
  return {secs, dt.attosecond};
}

// The order relation on dateTime (XSD 1.1 §3.3.7; the algorithm is the one of
// XSD 1.0 §3.2.7.4): values both with or both without a timezone are totally
// ordered on the time line; otherwise P (with timezone) < Q (without) only if
// P < Q read at +14:00, P > Q only if P > Q read at -14:00, else indeterminate.
std::partial_ordering compareDateTimes(const DateTime& a, const DateTime& b, ValueType t) {
  Instant ia = timeOnTimeline(a, t);
  Instant ib = timeOnTimeline(b, t);
  if (a.has_timezone == b.has_timezone) return ia <=> ib;
  constexpr int64_t k14h = 14 * 3600;
  const bool a_is_p = a.has_timezone;
  const Instant& p = a_is_p ? ia : ib;
  const Instant& q = a_is_p ? ib : ia;
  std::partial_ordering p_vs_q = std::partial_ordering::unordered;
  if (p < Instant{q.seconds - k14h, q.atto}) {
    p_vs_q = std::partial_ordering::less;
  } else if (p > Instant{q.seconds + k14h, q.atto}) {
    p_vs_q = std::partial_ordering::greater;
  }
  if (a_is_p || p_vs_q == std::partial_ordering::unordered) return p_vs_q;
  return p_vs_q == std::partial_ordering::less ? std::partial_ordering::greater
                                               : std::partial_ordering::less;
}

// ---------------------------------------------------------------------------
// Durations (XSD 1.1 §3.3.6, §3.4.26 yearMonthDuration, §3.4.27 dayTimeDuration)
// ---------------------------------------------------------------------------

constexpr int64_t kMaxDurationMonths = 12 * kMaxYearExclusive;  // keeps comparisons in __int128

bool mulAdd(int64_t& acc, int64_t count, int64_t unit) {
  int64_t prod = 0;
  return !__builtin_mul_overflow(count, unit, &prod) && !__builtin_add_overflow(acc, prod, &acc);
}

// durationLexicalRep (XSD 1.1 §3.3.6.2):
//   -?P((nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n)?S)?)?) with at least one component
// and, if 'T' is present, at least one time component.
bool parseDuration(std::string_view s, Datatype datatype, Duration& out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    ++i;
  }
  if (i >= s.size() || s[i] != 'P') return false;
  ++i;
  const bool allow_ym = datatype != Datatype::kDayTimeDuration;
  const bool allow_dt = datatype != Datatype::kYearMonthDuration;
  // Designators in the order they may appear; index 3 is 'T' itself.
  static constexpr char kOrder[] = {'Y', 'M', 'D', 'T', 'H', 'M', 'S'};
  int next = 0;  // index into kOrder of the next allowed designator
  bool any_component = false, in_time = false, time_component = false;
  int64_t months = 0, seconds = 0;
  uint64_t atto = 0;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (next > 3 || !allow_dt) return false;
      in_time = true;
      next = 4;
      ++i;
      continue;
    }
    size_t b = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    std::string_view digits = s.substr(b, i - b);
    std::string_view frac;
    bool has_point = false;
    if (i < s.size() && s[i] == '.') {
      has_point = true;
      ++i;
      size_t fb = i;
      while (i < s.size() && isDigit(s[i])) ++i;
      frac = s.substr(fb, i - fb);
      if (frac.empty()) return false;
    }
    if (digits.empty() || i >= s.size()) return false;
    char designator = s[i++];
    int pos = -1;
    for (int k = next; k < 7; ++k) {
      if (kOrder[k] == designator && k != 3 && ((k >= 4) == in_time)) {
        pos = k;
        break;
      }
    }
    if (pos < 0) return false;
    if (has_point && designator != 'S') return false;
    if (pos <= 1 && !allow_ym) return false;
    if (pos >= 2 && !allow_dt) return false;
    next = pos + 1;
    // Parse the integer part with overflow checks (implementation limit).
    int64_t n = 0;
    for (char ch : digits) {
      if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, ch - '0', &n)) return false;
    }
    static constexpr int64_t kUnit[] = {12, 1, 86400, 0, 3600, 60, 1};
    if (pos <= 1) {
      if (!mulAdd(months, n, kUnit[pos])) return false;
    } else {
      if (!mulAdd(seconds, n, kUnit[pos])) return false;
    }
    if (has_point) {
      std::optional<uint64_t> a = fractionToAtto(frac);
      if (!a) return false;
      atto = *a;
    }
    any_component = true;
    if (in_time) time_component = true;
  }
  if (!any_component || (in_time && !time_component)) return false;
  if (months > kMaxDurationMonths) return false;  // implementation limit (xsd.h)
  out.months = negative ? -months : months;
  out.seconds = negative ? -seconds : seconds;
  out.attoseconds = negative ? -static_cast<int64_t>(atto) : static_cast<int64_t>(atto);
  return true;
}

std::string canonicalDuration(const Duration& d, Datatype datatype) {
  const bool negative = d.months < 0 || d.seconds < 0 || d.attoseconds < 0;
  uint64_t months = static_cast<uint64_t>(d.months < 0 ? -d.months : d.months);
  uint64_t secs = d.seconds < 0 ? 0 - static_cast<uint64_t>(d.seconds) : static_cast<uint64_t>(d.seconds);
  uint64_t atto = static_cast<uint64_t>(d.attoseconds < 0 ? -d.attoseconds : d.attoseconds);
  if (months == 0 && secs == 0 && atto == 0) {
    // The zero duration has no sign; yearMonthDuration writes it "P0M"
    // (its canonical form has no time part), the others "PT0S".
    return datatype == Datatype::kYearMonthDuration ? "P0M" : "PT0S";
  }
  std::string out = negative ? "-P" : "P";
  if (months / 12) out += std::to_string(months / 12) + "Y";
  if (months % 12) out += std::to_string(months % 12) + "M";
  uint64_t days = secs / 86400, hours = secs % 86400 / 3600, minutes = secs % 3600 / 60,
           seconds = secs % 60;
  if (days) out += std::to_string(days) + "D";
  if (hours || minutes || seconds || atto) {
    out += 'T';
    if (hours) out += std::to_string(hours) + "H";
    if (minutes) out += std::to_string(minutes) + "M";
    if (seconds || atto) {
      out += std::to_string(seconds);
      appendAttoFraction(out, atto);
      out += 'S';
    }
  }
  return out;
}

// Total of a duration added to the reference start (y, m, 1), relative to
// that start, in attoseconds.
__int128 durationAtReference(const Duration& d, int64_t ref_year, int ref_month) {
  int64_t total = ref_year * 12 + (ref_month - 1) + d.months;
  int64_t y = floorDiv(total, 12);
  int m = static_cast<int>(total - y * 12) + 1;
  int64_t days = daysFromCivil(y, m, 1) - daysFromCivil(ref_year, ref_month, 1);
  __int128 secs = static_cast<__int128>(days) * 86400 + d.seconds;
  return secs * static_cast<__int128>(kAttoPerSecond) + d.attoseconds;
}

// The order relation on duration (XSD 1.1 §3.3.6.1; XSD 1.0 §3.2.6.2): equal
// month counts compare by seconds; otherwise compare the two durations added
// to each of 1696-09-01, 1697-02-01, 1903-03-01 and 1903-07-01, and the
// result holds only if all four agree.
std::partial_ordering compareDurations(const Duration& a, const Duration& b) {
  if (a.months == b.months) {
    __int128 sa = static_cast<__int128>(a.seconds) * static_cast<__int128>(kAttoPerSecond) + a.attoseconds;
    __int128 sb = static_cast<__int128>(b.seconds) * static_cast<__int128>(kAttoPerSecond) + b.attoseconds;
    return sa <=> sb;
  }
  static constexpr std::pair<int64_t, int> kRefs[] = {{1696, 9}, {1697, 2}, {1903, 3}, {1903, 7}};
  std::partial_ordering result = std::partial_ordering::unordered;
  for (size_t k = 0; k < std::size(kRefs); ++k) {
    std::partial_ordering r = durationAtReference(a, kRefs[k].first, kRefs[k].second) <=>
                              durationAtReference(b, kRefs[k].first, kRefs[k].second);
    if (k == 0) {
      result = r;
    } else if (r != result) {
      return std::partial_ordering::unordered;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------
// Numeric promotion (XPath 2.0 §B.1 type promotion, used by SPARQL 1.1 §17.3)
// ---------------------------------------------------------------------------

Decimal asDecimal(const Value& v) {
  if (v.type == ValueType::kInteger && !v.big_integer) return decimalFromInt64(v.integer);
  return v.decimal;
}

// The value as a float (exactly representable in the returned double).
double toFloatValue(const Value& v) {
  switch (v.type) {
    case ValueType::kInteger:
      if (!v.big_integer) return static_cast<float>(v.integer);
      return decimalToFloating(v.decimal, /*as_float=*/true);
    case ValueType::kDecimal:
      return decimalToFloating(v.decimal, /*as_float=*/true);
    case ValueType::kFloat:
      return v.number;
    default:
      return toDouble(v);
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

Datatype datatypeFromIri(std::string_view iri) {
  if (!iri.starts_with(kXsd)) return Datatype::kUnknown;
  for (const DatatypeInfo& info : kDatatypes) {
    if (info.iri == iri) return info.dt;
  }
  return Datatype::kUnknown;
}

std::string_view datatypeIri(Datatype dt) {
  for (const DatatypeInfo& info : kDatatypes) {
    if (info.dt == dt) return info.iri;
  }
  return {};
}

const char* valueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kNone: return "none";
    case ValueType::kInvalid: return "invalid";
    case ValueType::kBoolean: return "boolean";
    case ValueType::kInteger: return "integer";
    case ValueType::kDecimal: return "decimal";
    case ValueType::kFloat: return "float";
    case ValueType::kDouble: return "double";
    case ValueType::kDuration: return "duration";
    case ValueType::kDateTime: return "dateTime";
    case ValueType::kTime: return "time";
    case ValueType::kDate: return "date";
    case ValueType::kGYearMonth: return "gYearMonth";
    case ValueType::kGYear: return "gYear";
    case ValueType::kGMonthDay: return "gMonthDay";
    case ValueType::kGDay: return "gDay";
    case ValueType::kGMonth: return "gMonth";
  }
  return "?";
}

std::strong_ordering compareDecimals(const Decimal& a, const Decimal& b) {
  if (a.negative != b.negative) {
    return a.negative ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  std::strong_ordering mag = a.int_digits.size() <=> b.int_digits.size();
  if (mag == 0) mag = a.int_digits.compare(b.int_digits) <=> 0;
  // Fractions have no trailing zeros, so plain string order is numeric order.
  if (mag == 0) mag = a.frac_digits.compare(b.frac_digits) <=> 0;
  if (!a.negative) return mag;
  return 0 <=> mag;
}

Value parseValue(std::string_view lexical, std::string_view datatype_iri) {
  return parseValue(lexical, datatypeFromIri(datatype_iri));
}

Value parseValue(const TermView& term) {
  if (!term.isLiteral()) return {};
  return parseValue(term.value, term.datatype);
}

Value parseValue(std::string_view lexical, Datatype datatype) {
  Value v;
  if (datatype == Datatype::kUnknown) return v;
  v.datatype = datatype;
  std::string_view s = collapseEnds(lexical);
  bool ok = false;
  switch (datatype) {
    case Datatype::kUnknown:
      return v;
    case Datatype::kBoolean:
      // booleanRep (XSD 1.1 §3.3.2.2): true | false | 1 | 0.
      v.type = ValueType::kBoolean;
      ok = s == "true" || s == "1" || s == "false" || s == "0";
      v.boolean = s == "true" || s == "1";
      break;
    case Datatype::kDecimal:
      v.type = ValueType::kDecimal;
      ok = parseDecimalLexical(s, /*allow_point=*/true, v.decimal);
      break;
    case Datatype::kInteger:
    case Datatype::kNonPositiveInteger:
    case Datatype::kNegativeInteger:
    case Datatype::kLong:
    case Datatype::kInt:
    case Datatype::kShort:
    case Datatype::kByte:
    case Datatype::kNonNegativeInteger:
    case Datatype::kUnsignedLong:
    case Datatype::kUnsignedInt:
    case Datatype::kUnsignedShort:
    case Datatype::kUnsignedByte:
    case Datatype::kPositiveInteger:
      v.type = ValueType::kInteger;
      ok = parseInteger(s, datatype, v);
      break;
    case Datatype::kFloat:
      v.type = ValueType::kFloat;
      ok = parseFloating(s, /*as_float=*/true, v.number);
      break;
    case Datatype::kDouble:
      v.type = ValueType::kDouble;
      ok = parseFloating(s, /*as_float=*/false, v.number);
      break;
    case Datatype::kDuration:
    case Datatype::kYearMonthDuration:
    case Datatype::kDayTimeDuration:
      v.type = ValueType::kDuration;
      ok = parseDuration(s, datatype, v.duration);
      break;
    case Datatype::kDateTime:
    case Datatype::kDateTimeStamp: v.type = ValueType::kDateTime; break;
    case Datatype::kTime: v.type = ValueType::kTime; break;
    case Datatype::kDate: v.type = ValueType::kDate; break;
    case Datatype::kGYearMonth: v.type = ValueType::kGYearMonth; break;
    case Datatype::kGYear: v.type = ValueType::kGYear; break;
    case Datatype::kGMonthDay: v.type = ValueType::kGMonthDay; break;
    case Datatype::kGDay: v.type = ValueType::kGDay; break;
    case Datatype::kGMonth: v.type = ValueType::kGMonth; break;
  }
  if (isDateTimeFamily(v.type)) ok = parseDateTimeFamily(s, datatype, v.datetime);
  if (!ok) {
    Value invalid;
    invalid.type = ValueType::kInvalid;
    invalid.datatype = datatype;
    return invalid;
  }
  return v;
}

std::string canonicalLexical(const Value& v) {
  switch (v.type) {
    case ValueType::kNone:
    case ValueType::kInvalid:
      return {};
    case ValueType::kBoolean:
      return v.boolean ? "true" : "false";
    case ValueType::kInteger:
      return v.big_integer ? decimalToString(v.decimal, /*with_point=*/false) : std::to_string(v.integer);
    case ValueType::kDecimal:
      return decimalToString(v.decimal, /*with_point=*/true);
    case ValueType::kFloat:
      return canonicalFloating(v.number, /*as_float=*/true);
    case ValueType::kDouble:
      return canonicalFloating(v.number, /*as_float=*/false);
    case ValueType::kDuration:
      return canonicalDuration(v.duration, v.datatype);
    case ValueType::kDateTime:
    case ValueType::kTime:
    case ValueType::kDate:
    case ValueType::kGYearMonth:
    case ValueType::kGYear:
    case ValueType::kGMonthDay:
    case ValueType::kGDay:
    case ValueType::kGMonth:
      return canonicalDateTime(v.datetime, v.type);
  }
  return {};
}

bool isNumeric(ValueType t) {
  return t == ValueType::kInteger || t == ValueType::kDecimal || t == ValueType::kFloat ||
         t == ValueType::kDouble;
}

ValueType promotedNumericType(ValueType a, ValueType b) {
  if (!isNumeric(a) || !isNumeric(b)) return ValueType::kNone;
  return a > b ? a : b;  // enum order is integer < decimal < float < double
}

double toEpochSeconds(const DateTime& dt) {
  Instant i = timeOnTimeline(dt, ValueType::kDateTime);
  return static_cast<double>(i.seconds) + static_cast<double>(i.atto) * 1e-18;
}

double toDouble(const Value& v) {
  switch (v.type) {
    case ValueType::kBoolean:
      return v.boolean ? 1.0 : 0.0;
    case ValueType::kInteger:
      if (!v.big_integer) return static_cast<double>(v.integer);
      return decimalToFloating(v.decimal, /*as_float=*/false);
    case ValueType::kDecimal:
      return decimalToFloating(v.decimal, /*as_float=*/false);
    case ValueType::kFloat:
    case ValueType::kDouble:
      return v.number;
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

std::partial_ordering compareValues(const Value& a, const Value& b) {
  if (isNumeric(a.type) && isNumeric(b.type)) {
    switch (promotedNumericType(a.type, b.type)) {
      case ValueType::kInteger:
        if (!a.big_integer && !b.big_integer) return a.integer <=> b.integer;
        return compareDecimals(asDecimal(a), asDecimal(b));
      case ValueType::kDecimal:
        return compareDecimals(asDecimal(a), asDecimal(b));
      case ValueType::kFloat:
        return toFloatValue(a) <=> toFloatValue(b);
      default:
        return toDouble(a) <=> toDouble(b);
    }
  }
  if (a.type != b.type) return std::partial_ordering::unordered;
  switch (a.type) {
    case ValueType::kBoolean:
      return a.boolean <=> b.boolean;
    case ValueType::kDuration:
      return compareDurations(a.duration, b.duration);
    default:
      if (isDateTimeFamily(a.type)) return compareDateTimes(a.datetime, b.datetime, a.type);
      return std::partial_ordering::unordered;
  }
}

}  // namespace weft::rdf
