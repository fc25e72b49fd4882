// SPDX-License-Identifier: Apache-2.0
// Tests for engine/rdf/xsd.h: lexical mappings, canonical forms and order
// relations of XSD 1.1 datatypes (https://www.w3.org/TR/xmlschema11-2/).
#include "engine/rdf/xsd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <compare>
#include <string>

namespace weft::rdf {
namespace {

using std::partial_ordering;

std::string xsd(std::string_view local) { return std::string(kXsd) + std::string(local); }

Value parse(std::string_view lexical, std::string_view local) { return parseValue(lexical, xsd(local)); }

ValueType typeOf(std::string_view lexical, std::string_view local) { return parse(lexical, local).type; }

bool valid(std::string_view lexical, std::string_view local) { return parse(lexical, local).isValid(); }

std::string canon(std::string_view lexical, std::string_view local) {
  return canonicalLexical(parse(lexical, local));
}

partial_ordering cmp(std::string_view a, std::string_view dta, std::string_view b, std::string_view dtb) {
  return compareValues(parse(a, dta), parse(b, dtb));
}

// Same-datatype shorthand.
partial_ordering cmp(std::string_view a, std::string_view b, std::string_view dt) { return cmp(a, dt, b, dt); }

// ---------------------------------------------------------------------------
// Datatype table
// ---------------------------------------------------------------------------

TEST(XsdDatatype, IriRoundTrip) {
  for (int i = 1; i <= static_cast<int>(Datatype::kGMonth); ++i) {
    auto dt = static_cast<Datatype>(i);
    std::string_view iri = datatypeIri(dt);
    ASSERT_FALSE(iri.empty()) << i;
    EXPECT_TRUE(iri.starts_with(kXsd));
    EXPECT_EQ(datatypeFromIri(iri), dt) << iri;
  }
  EXPECT_EQ(datatypeFromIri(kXsdString), Datatype::kUnknown);
  EXPECT_EQ(datatypeFromIri("http://example.org/integer"), Datatype::kUnknown);
  EXPECT_EQ(datatypeFromIri(""), Datatype::kUnknown);
  EXPECT_EQ(datatypeIri(Datatype::kUnknown), "");
}

TEST(XsdDatatype, UnsupportedIsNone) {
  EXPECT_EQ(typeOf("abc", "string"), ValueType::kNone);
  EXPECT_EQ(parseValue("1", "http://example.org/dt").type, ValueType::kNone);
  EXPECT_EQ(parseValue(TermView::literal("1", kRdfLangString, "en")).type, ValueType::kNone);
  EXPECT_EQ(parseValue(TermView::iri(xsd("integer"))).type, ValueType::kNone);
  EXPECT_EQ(canonicalLexical(Value{}), "");
}

TEST(XsdDatatype, ParseFromTerm) {
  std::string dt = xsd("integer");
  Value v = parseValue(TermView::literal("42", dt));
  EXPECT_EQ(v.type, ValueType::kInteger);
  EXPECT_EQ(v.integer, 42);
  EXPECT_EQ(v.datatype, Datatype::kInteger);
}

TEST(XsdDatatype, InvalidKeepsDatatype) {
  Value v = parse("abc", "int");
  EXPECT_EQ(v.type, ValueType::kInvalid);
  EXPECT_EQ(v.datatype, Datatype::kInt);
  EXPECT_FALSE(v.isValid());
  EXPECT_EQ(canonicalLexical(v), "");
  EXPECT_EQ(compareValues(v, v), partial_ordering::unordered);
}

// whiteSpace = collapse (XSD 1.1 §4.3.6) for every supported datatype.
TEST(XsdDatatype, WhitespaceCollapse) {
  EXPECT_EQ(parse("  42\n", "integer").integer, 42);
  EXPECT_EQ(canon("\t true \r\n", "boolean"), "true");
  EXPECT_EQ(canon(" 2001-10-26T21:32:52Z ", "dateTime"), "2001-10-26T21:32:52Z");
  EXPECT_EQ(canon(" P1D ", "duration"), "P1D");
  EXPECT_FALSE(valid("4 2", "integer"));
  EXPECT_FALSE(valid("", "integer"));
  EXPECT_FALSE(valid("   ", "double"));
  EXPECT_FALSE(valid("\v1", "integer"));  // vertical tab is not XML whitespace
}

// ---------------------------------------------------------------------------
// boolean (XSD 1.1 §3.3.2)
// ---------------------------------------------------------------------------

TEST(XsdBoolean, LexicalAndCanonical) {
  EXPECT_EQ(canon("true", "boolean"), "true");
  EXPECT_EQ(canon("1", "boolean"), "true");
  EXPECT_EQ(canon("false", "boolean"), "false");
  EXPECT_EQ(canon("0", "boolean"), "false");
  for (const char* bad : {"TRUE", "True", "yes", "2", "01", "", "t"}) {
    EXPECT_FALSE(valid(bad, "boolean")) << bad;
  }
}

TEST(XsdBoolean, Order) {
  EXPECT_EQ(cmp("false", "true", "boolean"), partial_ordering::less);
  EXPECT_EQ(cmp("1", "true", "boolean"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("true", "boolean", "1", "integer"), partial_ordering::unordered);
}

// ---------------------------------------------------------------------------
// integer and derived types (XSD 1.1 §3.4.13 - §3.4.25)
// ---------------------------------------------------------------------------

TEST(XsdInteger, Lexical) {
  EXPECT_EQ(parse("0", "integer").integer, 0);
  EXPECT_EQ(parse("+7", "integer").integer, 7);
  EXPECT_EQ(parse("-007", "integer").integer, -7);
  EXPECT_EQ(parse("01", "integer").integer, 1);
  for (const char* bad : {"", "+", "-", "1.0", "1e3", " 1 2", "0x10", "1_000", "\xd9\xa1", "++1", "--1", "1-"}) {
    EXPECT_FALSE(valid(bad, "integer")) << bad;
  }
}

TEST(XsdInteger, Canonical) {
  EXPECT_EQ(canon("-0", "integer"), "0");
  EXPECT_EQ(canon("+0", "integer"), "0");
  EXPECT_EQ(canon("000", "integer"), "0");
  EXPECT_EQ(canon("+007", "integer"), "7");
  EXPECT_EQ(canon("-0012", "integer"), "-12");
  EXPECT_EQ(canon("-9223372036854775808", "integer"), "-9223372036854775808");
}

TEST(XsdInteger, BigIntegers) {
  Value max = parse("9223372036854775807", "integer");
  EXPECT_FALSE(max.big_integer);
  EXPECT_EQ(max.integer, INT64_MAX);
  Value min = parse("-9223372036854775808", "integer");
  EXPECT_FALSE(min.big_integer);
  EXPECT_EQ(min.integer, INT64_MIN);
  Value above = parse("9223372036854775808", "integer");
  EXPECT_EQ(above.type, ValueType::kInteger);
  EXPECT_TRUE(above.big_integer);
  EXPECT_EQ(canonicalLexical(above), "9223372036854775808");
  Value below = parse("-9223372036854775809", "integer");
  EXPECT_TRUE(below.big_integer);
  EXPECT_EQ(canon("-000123456789012345678901234567890", "integer"), "-123456789012345678901234567890");

  EXPECT_EQ(compareValues(max, above), partial_ordering::less);
  EXPECT_EQ(compareValues(below, min), partial_ordering::less);
  EXPECT_EQ(compareValues(below, above), partial_ordering::less);
  EXPECT_EQ(cmp("100000000000000000000000", "99999999999999999999999", "integer"), partial_ordering::greater);
  EXPECT_EQ(cmp("-100000000000000000000000", "-99999999999999999999999", "integer"), partial_ordering::less);
  EXPECT_EQ(cmp("100000000000000000000000", "+0100000000000000000000000", "integer"),
            partial_ordering::equivalent);
  EXPECT_DOUBLE_EQ(toDouble(above), 9223372036854775808.0);
}

struct RangeCase {
  const char* datatype;
  const char* lexical;
  bool ok;
};

class XsdIntegerRange : public ::testing::TestWithParam<RangeCase> {};

TEST_P(XsdIntegerRange, Bounds) {
  const RangeCase& c = GetParam();
  Value v = parse(c.lexical, c.datatype);
  EXPECT_EQ(v.isValid(), c.ok) << c.datatype << " " << c.lexical;
  if (v.isValid()) {
    EXPECT_EQ(v.type, ValueType::kInteger);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Derived, XsdIntegerRange,
    ::testing::Values(
        RangeCase{"long", "9223372036854775807", true}, RangeCase{"long", "9223372036854775808", false},
        RangeCase{"long", "-9223372036854775808", true}, RangeCase{"long", "-9223372036854775809", false},
        RangeCase{"int", "2147483647", true}, RangeCase{"int", "2147483648", false},
        RangeCase{"int", "-2147483648", true}, RangeCase{"int", "-2147483649", false},
        RangeCase{"short", "32767", true}, RangeCase{"short", "32768", false},
        RangeCase{"short", "-32768", true}, RangeCase{"short", "-32769", false},
        RangeCase{"byte", "127", true}, RangeCase{"byte", "128", false}, RangeCase{"byte", "-128", true},
        RangeCase{"byte", "-129", false}, RangeCase{"byte", "+0127", true},
        RangeCase{"nonNegativeInteger", "0", true}, RangeCase{"nonNegativeInteger", "-0", true},
        RangeCase{"nonNegativeInteger", "-1", false},
        RangeCase{"nonNegativeInteger", "99999999999999999999999", true},
        RangeCase{"nonNegativeInteger", "-99999999999999999999999", false},
        RangeCase{"positiveInteger", "1", true}, RangeCase{"positiveInteger", "0", false},
        RangeCase{"positiveInteger", "+99999999999999999999999", true},
        RangeCase{"nonPositiveInteger", "0", true}, RangeCase{"nonPositiveInteger", "+0", true},
        RangeCase{"nonPositiveInteger", "1", false},
        RangeCase{"nonPositiveInteger", "-99999999999999999999999", true},
        RangeCase{"nonPositiveInteger", "99999999999999999999999", false},
        RangeCase{"negativeInteger", "-1", true}, RangeCase{"negativeInteger", "0", false},
        RangeCase{"negativeInteger", "-0", false},
        RangeCase{"unsignedLong", "18446744073709551615", true},
        RangeCase{"unsignedLong", "18446744073709551616", false},
        RangeCase{"unsignedLong", "9223372036854775808", true}, RangeCase{"unsignedLong", "-1", false},
        RangeCase{"unsignedInt", "4294967295", true}, RangeCase{"unsignedInt", "4294967296", false},
        RangeCase{"unsignedShort", "65535", true}, RangeCase{"unsignedShort", "65536", false},
        RangeCase{"unsignedByte", "255", true}, RangeCase{"unsignedByte", "256", false},
        RangeCase{"unsignedByte", "-0", true}, RangeCase{"unsignedByte", "-1", false},
        RangeCase{"integer", "-99999999999999999999999", true}));

TEST(XsdInteger, DerivedTypesCompareAsIntegers) {
  EXPECT_EQ(cmp("5", "byte", "5", "unsignedLong"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("-1", "negativeInteger", "0", "nonNegativeInteger"), partial_ordering::less);
  EXPECT_EQ(canon("18446744073709551615", "unsignedLong"), "18446744073709551615");
  EXPECT_EQ(parse("7", "short").datatype, Datatype::kShort);
}

// ---------------------------------------------------------------------------
// decimal (XSD 1.1 §3.3.3)
// ---------------------------------------------------------------------------

TEST(XsdDecimal, LexicalAndCanonical) {
  EXPECT_EQ(canon("1", "decimal"), "1.0");
  EXPECT_EQ(canon("1.0", "decimal"), "1.0");
  EXPECT_EQ(canon("+1.50", "decimal"), "1.5");
  EXPECT_EQ(canon("-.50", "decimal"), "-0.5");
  EXPECT_EQ(canon("1.", "decimal"), "1.0");  // XSD 1.1 allows a trailing point
  EXPECT_EQ(canon(".5", "decimal"), "0.5");
  EXPECT_EQ(canon("-0", "decimal"), "0.0");
  EXPECT_EQ(canon("-0.000", "decimal"), "0.0");
  EXPECT_EQ(canon("00012.3400", "decimal"), "12.34");
  EXPECT_EQ(canon("123456789012345678901234567890.000000000000000000001", "decimal"),
            "123456789012345678901234567890.000000000000000000001");
  for (const char* bad : {"", ".", "+", "-.", "1e3", "1.2.3", "INF", "NaN", "1,5", "0x1", "+-1"}) {
    EXPECT_FALSE(valid(bad, "decimal")) << bad;
  }
}

TEST(XsdDecimal, Order) {
  EXPECT_EQ(cmp("1.0", "1", "decimal"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("0.5", "0.51", "decimal"), partial_ordering::less);
  EXPECT_EQ(cmp("0.5", "0.49", "decimal"), partial_ordering::greater);
  EXPECT_EQ(cmp("-0.5", "-0.49", "decimal"), partial_ordering::less);
  EXPECT_EQ(cmp("-0.0", "0.0", "decimal"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("-1", "0", "decimal"), partial_ordering::less);
  EXPECT_EQ(cmp("10", "9.999", "decimal"), partial_ordering::greater);
  EXPECT_EQ(cmp("0.1", "0.10000000000000000000000000001", "decimal"), partial_ordering::less);
}

TEST(XsdDecimal, CompareDecimalsDirectly) {
  Decimal a{false, "12", "5"}, b{false, "12", "45"}, z{};
  EXPECT_EQ(compareDecimals(a, b), std::strong_ordering::greater);
  EXPECT_EQ(compareDecimals(z, Decimal{}), std::strong_ordering::equal);
  EXPECT_EQ(compareDecimals(Decimal{true, "", "1"}, z), std::strong_ordering::less);
  EXPECT_TRUE(z.isZero());
  EXPECT_TRUE(a == (Decimal{false, "12", "5"}));
}

// ---------------------------------------------------------------------------
// float and double (XSD 1.1 §3.3.4, §3.3.5)
// ---------------------------------------------------------------------------

TEST(XsdDouble, Lexical) {
  EXPECT_DOUBLE_EQ(parse("1e3", "double").number, 1000.0);
  EXPECT_DOUBLE_EQ(parse("+1.5E-2", "double").number, 0.015);
  EXPECT_DOUBLE_EQ(parse("1.", "double").number, 1.0);
  EXPECT_DOUBLE_EQ(parse(".5e1", "double").number, 5.0);
  EXPECT_DOUBLE_EQ(parse("-0012", "double").number, -12.0);
  EXPECT_TRUE(std::isnan(parse("NaN", "double").number));
  EXPECT_EQ(parse("INF", "double").number, INFINITY);
  EXPECT_EQ(parse("+INF", "double").number, INFINITY);  // XSD 1.1
  EXPECT_EQ(parse("-INF", "double").number, -INFINITY);
  for (const char* bad : {"1e", "1e+", "e1", ".e1", ".", "inf", "Infinity", "nan", "+NaN", "-NaN", "1.0f",
                          "0x1p3", "1 e3", "1e3.5", "--1", "1d3", ""}) {
    EXPECT_FALSE(valid(bad, "double")) << bad;
    EXPECT_FALSE(valid(bad, "float")) << bad;
  }
}

TEST(XsdDouble, OutOfRangeRoundsToInfinityOrZero) {
  EXPECT_EQ(parse("1e400", "double").number, INFINITY);
  EXPECT_EQ(parse("-1e400", "double").number, -INFINITY);
  EXPECT_EQ(parse("1e99999999999999999999", "double").number, INFINITY);
  Value tiny = parse("-1e-400", "double");
  EXPECT_TRUE(tiny.isValid());
  EXPECT_EQ(tiny.number, 0.0);
  EXPECT_TRUE(std::signbit(tiny.number));
  EXPECT_EQ(parse("0.0000001e-99999999999", "double").number, 0.0);
  EXPECT_EQ(parse("1e39", "float").number, INFINITY);
  EXPECT_EQ(parse("1e-50", "float").number, 0.0);
  EXPECT_EQ(parse("0e99999", "double").number, 0.0);
}

TEST(XsdDouble, Canonical) {
  EXPECT_EQ(canon("1", "double"), "1.0E0");
  EXPECT_EQ(canon("100", "double"), "1.0E2");
  EXPECT_EQ(canon("-0.0015", "double"), "-1.5E-3");
  EXPECT_EQ(canon("12345.678", "double"), "1.2345678E4");
  EXPECT_EQ(canon("0", "double"), "0.0E0");
  EXPECT_EQ(canon("-0", "double"), "-0.0E0");
  EXPECT_EQ(canon("+INF", "double"), "INF");
  EXPECT_EQ(canon("-INF", "double"), "-INF");
  EXPECT_EQ(canon("NaN", "double"), "NaN");
  EXPECT_EQ(canon("0.1", "double"), "1.0E-1");
  EXPECT_EQ(canon("1.7976931348623157E308", "double"), "1.7976931348623157E308");
  EXPECT_EQ(canon("4.9E-324", "double"), "5.0E-324");  // shortest digits of the smallest subnormal
}

TEST(XsdFloat, RoundsToSinglePrecision) {
  Value f = parse("0.1", "float");
  EXPECT_EQ(f.type, ValueType::kFloat);
  EXPECT_EQ(f.number, static_cast<double>(0.1f));
  EXPECT_EQ(canonicalLexical(f), "1.0E-1");  // shortest float digits, not 1.0000000149011612E-1
  EXPECT_EQ(canon("16777217", "float"), "1.6777216E7");
  EXPECT_EQ(canon("3.4028235E38", "float"), "3.4028235E38");
}

TEST(XsdDouble, Order) {
  EXPECT_EQ(cmp("1e0", "1.0", "double"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("-0", "0", "double"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("-INF", "-1e308", "double"), partial_ordering::less);
  EXPECT_EQ(cmp("INF", "1e308", "double"), partial_ordering::greater);
  EXPECT_EQ(cmp("NaN", "NaN", "double"), partial_ordering::unordered);
  EXPECT_EQ(cmp("NaN", "1", "double"), partial_ordering::unordered);
  EXPECT_EQ(cmp("NaN", "float", "NaN", "double"), partial_ordering::unordered);
}

// ---------------------------------------------------------------------------
// Numeric promotion (XPath 2.0 §B.1, used by SPARQL 1.1 §17.3)
// ---------------------------------------------------------------------------

TEST(XsdNumeric, PromotionTable) {
  using VT = ValueType;
  EXPECT_EQ(promotedNumericType(VT::kInteger, VT::kInteger), VT::kInteger);
  EXPECT_EQ(promotedNumericType(VT::kInteger, VT::kDecimal), VT::kDecimal);
  EXPECT_EQ(promotedNumericType(VT::kDecimal, VT::kFloat), VT::kFloat);
  EXPECT_EQ(promotedNumericType(VT::kFloat, VT::kInteger), VT::kFloat);
  EXPECT_EQ(promotedNumericType(VT::kDouble, VT::kInteger), VT::kDouble);
  EXPECT_EQ(promotedNumericType(VT::kFloat, VT::kDouble), VT::kDouble);
  EXPECT_EQ(promotedNumericType(VT::kBoolean, VT::kInteger), VT::kNone);
  EXPECT_EQ(promotedNumericType(VT::kInteger, VT::kInvalid), VT::kNone);
  EXPECT_EQ(promotedNumericType(parse("1", "int"), parse("1", "decimal")), VT::kDecimal);
  EXPECT_TRUE(isNumeric(VT::kFloat));
  EXPECT_FALSE(isNumeric(VT::kBoolean));
  EXPECT_FALSE(isNumeric(parse("P1D", "duration")));
  EXPECT_TRUE(isNumeric(parse("1", "byte")));
}

TEST(XsdNumeric, CrossTypeComparison) {
  EXPECT_EQ(cmp("1", "integer", "1.0", "decimal"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("1", "integer", "1.0000000000000000000001", "decimal"), partial_ordering::less);
  EXPECT_EQ(cmp("99999999999999999999", "integer", "99999999999999999999.5", "decimal"),
            partial_ordering::less);
  EXPECT_EQ(cmp("1", "integer", "1e0", "double"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("2", "int", "1.5", "float"), partial_ordering::greater);
  EXPECT_EQ(cmp("0.1", "decimal", "0.1", "double"), partial_ordering::equivalent);
  // decimal -> float rounds to single precision, so these are equal as floats
  // while the float differs from the double 0.1.
  EXPECT_EQ(cmp("0.1", "decimal", "0.1", "float"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("0.1", "float", "0.1", "double"), partial_ordering::greater);
  EXPECT_EQ(cmp("-0", "integer", "-0.0E0", "double"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("1", "integer", "NaN", "double"), partial_ordering::unordered);
  EXPECT_EQ(cmp("1", "integer", "INF", "float"), partial_ordering::less);
  EXPECT_EQ(cmp("1", "integer", "1", "string"), partial_ordering::unordered);
  EXPECT_EQ(cmp("1", "integer", "x", "integer"), partial_ordering::unordered);
}

TEST(XsdNumeric, ToDouble) {
  EXPECT_DOUBLE_EQ(toDouble(parse("42", "integer")), 42.0);
  EXPECT_DOUBLE_EQ(toDouble(parse("-2.5", "decimal")), -2.5);
  EXPECT_DOUBLE_EQ(toDouble(parse("0.1", "float")), static_cast<double>(0.1f));
  EXPECT_DOUBLE_EQ(toDouble(parse("true", "boolean")), 1.0);
  EXPECT_EQ(toDouble(parse("1" + std::string(400, '0'), "integer")), INFINITY);
  EXPECT_EQ(toDouble(parse("0." + std::string(400, '0') + "1", "decimal")), 0.0);
  EXPECT_TRUE(std::isnan(toDouble(parse("P1D", "duration"))));
  EXPECT_TRUE(std::isnan(toDouble(Value{})));
}

// ---------------------------------------------------------------------------
// dateTime, date, time and the g* types (XSD 1.1 §3.3.7 - §3.3.14)
// ---------------------------------------------------------------------------

TEST(XsdDateTime, Fields) {
  Value v = parse("-0044-03-15T12:30:45.125-05:30", "dateTime");
  ASSERT_EQ(v.type, ValueType::kDateTime);
  EXPECT_EQ(v.datetime.year, -44);
  EXPECT_EQ(v.datetime.month, 3);
  EXPECT_EQ(v.datetime.day, 15);
  EXPECT_EQ(v.datetime.hour, 12);
  EXPECT_EQ(v.datetime.minute, 30);
  EXPECT_EQ(v.datetime.second, 45);
  EXPECT_EQ(v.datetime.attosecond, 125'000'000'000'000'000ULL);
  EXPECT_TRUE(v.datetime.has_timezone);
  EXPECT_EQ(v.datetime.tz_minutes, -330);
  EXPECT_FALSE(parse("2001-10-26T21:32:52", "dateTime").datetime.has_timezone);
}

TEST(XsdDateTime, ValidForms) {
  for (const char* ok : {"2001-10-26T21:32:52", "2001-10-26T21:32:52+02:00", "2001-10-26T19:32:52Z",
                         "2001-10-26T19:32:52+00:00", "-2001-10-26T21:32:52", "2001-10-26T21:32:52.12679",
                         "0000-01-01T00:00:00", "12345-01-01T00:00:00", "2000-02-29T00:00:00",
                         "2001-10-26T24:00:00", "2001-10-26T24:00:00.000", "2001-10-26T00:00:00+14:00",
                         "2001-10-26T00:00:00-14:00", "2001-10-26T00:00:00-13:59"}) {
    EXPECT_TRUE(valid(ok, "dateTime")) << ok;
  }
}

TEST(XsdDateTime, InvalidForms) {
  for (const char* bad :
       {"2001-10-26", "2001-10-26T21:32", "2001-10-26T25:32:52+02:00", "01-10-26T21:32:52", "2001-1-26T21:32:52",
        "2001-10-26t21:32:52", "2001-10-26 21:32:52", "2001-13-01T00:00:00", "2001-00-01T00:00:00",
        "2001-10-00T00:00:00", "2001-10-32T00:00:00", "2001-04-31T00:00:00", "2001-02-29T00:00:00",
        "1900-02-29T00:00:00", "2001-10-26T21:60:00", "2001-10-26T21:32:60", "2001-10-26T24:00:01",
        "2001-10-26T24:01:00", "2001-10-26T24:00:00.5", "2001-10-26T21:32:52.", "2001-10-26T21:32:52+14:01",
        "2001-10-26T21:32:52-14:01", "2001-10-26T21:32:52+15:00", "2001-10-26T21:32:52+1:00",
        "2001-10-26T21:32:52+01:60", "2001-10-26T21:32:52z", "2001-10-26T21:32:52ZZ",
        "02001-10-26T21:32:52", "+2001-10-26T21:32:52", "--2001-10-26T21:32:52", "2001-10-26T21:32:52+01",
        "2001-10-26T21:32:52+0100", "99999999999-01-01T00:00:00", "T21:32:52"}) {
    EXPECT_FALSE(valid(bad, "dateTime")) << bad;
  }
}

TEST(XsdDateTime, LeapYears) {
  EXPECT_TRUE(valid("2000-02-29T00:00:00", "dateTime"));   // divisible by 400
  EXPECT_FALSE(valid("2100-02-29T00:00:00", "dateTime"));  // divisible by 100
  EXPECT_TRUE(valid("2024-02-29T00:00:00", "dateTime"));
  EXPECT_FALSE(valid("2023-02-29T00:00:00", "dateTime"));
  // XSD 1.1 numbers years astronomically: 0000 (1 BCE), -0004 and -0400 are leap.
  EXPECT_TRUE(valid("0000-02-29", "date"));
  EXPECT_TRUE(valid("-0004-02-29", "date"));
  EXPECT_TRUE(valid("-0400-02-29", "date"));
  EXPECT_FALSE(valid("-0100-02-29", "date"));
  EXPECT_FALSE(valid("-0001-02-29", "date"));
}

// XSD 1.1 chooses year 0000 = 1 BCE (XSD 1.0 made it invalid); we follow 1.1.
TEST(XsdDateTime, YearZeroAndWideYears) {
  EXPECT_EQ(canon("0000-01-01T00:00:00", "dateTime"), "0000-01-01T00:00:00");
  EXPECT_EQ(canon("-0000-01-01T00:00:00", "dateTime"), "0000-01-01T00:00:00");
  EXPECT_EQ(cmp("-0001-12-31T23:59:59", "0000-01-01T00:00:00", "dateTime"), partial_ordering::less);
  EXPECT_EQ(canon("12345-06-07T08:09:10Z", "dateTime"), "12345-06-07T08:09:10Z");
  EXPECT_EQ(canon("-12345-06-07", "date"), "-12345-06-07");
  EXPECT_EQ(cmp("9999-12-31", "10000-01-01", "date"), partial_ordering::less);
  EXPECT_EQ(cmp("-10000-01-01", "-9999-01-01", "date"), partial_ordering::less);
  EXPECT_TRUE(valid("9999999999-01-01", "date"));
  EXPECT_FALSE(valid("10000000000-01-01", "date"));  // implementation limit (xsd.h)
}

// XSD 1.1 §3.3.7.2: 24:00:00 is the first moment of the next day.
TEST(XsdDateTime, EndOfDay) {
  EXPECT_EQ(canon("2001-10-26T24:00:00", "dateTime"), "2001-10-27T00:00:00");
  EXPECT_EQ(canon("1999-12-31T24:00:00Z", "dateTime"), "2000-01-01T00:00:00Z");
  EXPECT_EQ(canon("2000-02-28T24:00:00", "dateTime"), "2000-02-29T00:00:00");
  EXPECT_EQ(canon("-0001-12-31T24:00:00", "dateTime"), "0000-01-01T00:00:00");
  EXPECT_EQ(cmp("2001-10-26T24:00:00", "2001-10-27T00:00:00", "dateTime"), partial_ordering::equivalent);
  EXPECT_EQ(canon("24:00:00", "time"), "00:00:00");
  EXPECT_EQ(cmp("24:00:00", "00:00:00", "time"), partial_ordering::equivalent);
}

TEST(XsdDateTime, Canonical) {
  EXPECT_EQ(canon("2001-10-26T21:32:52.1200", "dateTime"), "2001-10-26T21:32:52.12");
  EXPECT_EQ(canon("2001-10-26T21:32:52.000", "dateTime"), "2001-10-26T21:32:52");
  EXPECT_EQ(canon("2001-10-26T21:32:52+00:00", "dateTime"), "2001-10-26T21:32:52Z");
  EXPECT_EQ(canon("2001-10-26T21:32:52-00:00", "dateTime"), "2001-10-26T21:32:52Z");
  // XSD 1.1 keeps the timezone offset in the value: no conversion to UTC.
  EXPECT_EQ(canon("2001-10-26T21:32:52+02:00", "dateTime"), "2001-10-26T21:32:52+02:00");
  EXPECT_EQ(canon("2001-10-26T21:32:52.123456789012345678", "dateTime"),
            "2001-10-26T21:32:52.123456789012345678");
  EXPECT_FALSE(valid("2001-10-26T21:32:52.1234567890123456789", "dateTime"));  // 19 digits: limit
  EXPECT_TRUE(valid("2001-10-26T21:32:52.1234567890123456780000", "dateTime"));  // zeros don't count
}

TEST(XsdDateTime, OrderSameTimezoneKind) {
  EXPECT_EQ(cmp("2001-10-26T21:32:52", "2001-10-26T21:32:53", "dateTime"), partial_ordering::less);
  EXPECT_EQ(cmp("2001-10-26T21:32:52.5", "2001-10-26T21:32:52.49", "dateTime"), partial_ordering::greater);
  EXPECT_EQ(cmp("2000-01-20T12:00:00-05:00", "2000-01-20T17:00:00Z", "dateTime"),
            partial_ordering::equivalent);
  EXPECT_EQ(cmp("2000-01-01T00:00:00+14:00", "1999-12-31T10:00:00Z", "dateTime"),
            partial_ordering::equivalent);
  EXPECT_EQ(cmp("2000-01-01T12:00:00+01:00", "2000-01-01T12:00:00Z", "dateTime"), partial_ordering::less);
  EXPECT_EQ(cmp("2001-10-26T21:32:52", "dateTime", "2001-10-26T21:32:52Z", "dateTimeStamp"),
            partial_ordering::unordered);  // one without timezone, within 14h
  EXPECT_EQ(cmp("2001-10-26T21:32:52Z", "dateTime", "2001-10-26T21:32:52Z", "dateTimeStamp"),
            partial_ordering::equivalent);
}

// The ±14 hour rule for one value with and one without timezone
// (XSD 1.1 §3.3.7, algorithm of XSD 1.0 §3.2.7.4).
TEST(XsdDateTime, OrderMixedTimezone) {
  const char* dt = "dateTime";
  EXPECT_EQ(cmp("2000-01-15T00:00:00", "2000-02-15T00:00:00Z", dt), partial_ordering::less);
  EXPECT_EQ(cmp("2000-01-01T12:00:00", "1999-12-31T23:00:00Z", dt), partial_ordering::unordered);
  EXPECT_EQ(cmp("2000-01-16T12:00:00", "2000-01-16T12:00:00Z", dt), partial_ordering::unordered);
  EXPECT_EQ(cmp("2000-01-16T00:00:00Z", "2000-01-16T14:00:00", dt), partial_ordering::unordered);
  EXPECT_EQ(cmp("2000-01-16T00:00:00Z", "2000-01-16T14:00:01", dt), partial_ordering::less);
  EXPECT_EQ(cmp("2000-01-16T14:00:01", "2000-01-16T00:00:00Z", dt), partial_ordering::greater);
  EXPECT_EQ(cmp("2000-01-16T14:00:00Z", "2000-01-16T00:00:00", dt), partial_ordering::unordered);
  EXPECT_EQ(cmp("2000-01-16T14:00:00.001Z", "2000-01-16T00:00:00", dt), partial_ordering::greater);
  EXPECT_EQ(cmp("2000-01-16T00:00:00", "2000-01-16T14:00:00.001Z", dt), partial_ordering::less);
}

TEST(XsdDate, LexicalOrderAndCanonical) {
  EXPECT_EQ(typeOf("2001-10-26", "date"), ValueType::kDate);
  EXPECT_EQ(canon("2001-10-26+00:00", "date"), "2001-10-26Z");
  EXPECT_EQ(canon("2001-10-26-05:00", "date"), "2001-10-26-05:00");
  EXPECT_FALSE(valid("2001-10-26T00:00:00", "date"));
  EXPECT_FALSE(valid("2001-10", "date"));
  EXPECT_FALSE(valid("2001-02-30", "date"));
  EXPECT_EQ(cmp("2001-10-26", "2001-10-27", "date"), partial_ordering::less);
  EXPECT_EQ(cmp("2001-10-26", "date", "2001-10-26T00:00:00", "dateTime"), partial_ordering::unordered);
}

TEST(XsdTime, LexicalOrderAndCanonical) {
  EXPECT_EQ(canon("13:20:00", "time"), "13:20:00");
  EXPECT_EQ(canon("13:20:00.500-05:00", "time"), "13:20:00.5-05:00");
  EXPECT_EQ(canon("00:00:00+00:00", "time"), "00:00:00Z");
  for (const char* bad : {"13:20", "1:20:00", "13:20:00.", "25:00:00", "24:00:01", "13:20:00+14:30", "T13:20:00"}) {
    EXPECT_FALSE(valid(bad, "time")) << bad;
  }
  EXPECT_EQ(cmp("13:20:00", "13:20:01", "time"), partial_ordering::less);
  EXPECT_EQ(cmp("13:20:00-05:00", "18:20:00Z", "time"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("12:00:00", "12:00:00Z", "time"), partial_ordering::unordered);
}

TEST(XsdGregorian, Types) {
  EXPECT_EQ(canon("2001-10", "gYearMonth"), "2001-10");
  EXPECT_EQ(canon("-0001-10Z", "gYearMonth"), "-0001-10Z");
  EXPECT_EQ(canon("2001", "gYear"), "2001");
  EXPECT_EQ(canon("0000+01:00", "gYear"), "0000+01:00");
  EXPECT_EQ(canon("--10-26", "gMonthDay"), "--10-26");
  EXPECT_EQ(canon("--02-29", "gMonthDay"), "--02-29");  // exists in leap years
  EXPECT_EQ(canon("---05Z", "gDay"), "---05Z");
  EXPECT_EQ(canon("---31", "gDay"), "---31");
  EXPECT_EQ(canon("--11", "gMonth"), "--11");
  EXPECT_EQ(canon("--11-05:00", "gMonth"), "--11-05:00");
  for (const char* bad : {"2001", "2001-13", "01-10", "2001-1"}) EXPECT_FALSE(valid(bad, "gYearMonth")) << bad;
  for (const char* bad : {"01", "2001-01", "+2001", "02001"}) EXPECT_FALSE(valid(bad, "gYear")) << bad;
  for (const char* bad : {"--02-30", "--04-31", "--13-01", "-10-26", "--10-26-", "10-26"}) {
    EXPECT_FALSE(valid(bad, "gMonthDay")) << bad;
  }
  for (const char* bad : {"---32", "---00", "--05", "---5"}) EXPECT_FALSE(valid(bad, "gDay")) << bad;
  for (const char* bad : {"--13", "--00", "-11", "--11--"}) EXPECT_FALSE(valid(bad, "gMonth")) << bad;
}

TEST(XsdGregorian, Order) {
  EXPECT_EQ(cmp("2000", "2001", "gYear"), partial_ordering::less);
  EXPECT_EQ(cmp("-0001", "0000", "gYear"), partial_ordering::less);
  EXPECT_EQ(cmp("2001-09", "2001-10", "gYearMonth"), partial_ordering::less);
  EXPECT_EQ(cmp("--01-31", "--02-01", "gMonthDay"), partial_ordering::less);
  EXPECT_EQ(cmp("---30", "---31", "gDay"), partial_ordering::less);
  EXPECT_EQ(cmp("--11", "--12", "gMonth"), partial_ordering::less);
  EXPECT_EQ(cmp("2000Z", "2000+01:00", "gYear"), partial_ordering::greater);
  EXPECT_EQ(cmp("2000Z", "2000", "gYear"), partial_ordering::unordered);
  EXPECT_EQ(cmp("2000", "gYear", "2000-01", "gYearMonth"), partial_ordering::unordered);
}

// ---------------------------------------------------------------------------
// duration, yearMonthDuration, dayTimeDuration (XSD 1.1 §3.3.6, §3.4.26-27)
// ---------------------------------------------------------------------------

TEST(XsdDuration, Lexical) {
  Value v = parse("P1Y2M3DT4H5M6.7S", "duration");
  ASSERT_EQ(v.type, ValueType::kDuration);
  EXPECT_EQ(v.duration.months, 14);
  EXPECT_EQ(v.duration.seconds, 3 * 86400 + 4 * 3600 + 5 * 60 + 6);
  EXPECT_EQ(v.duration.attoseconds, 700'000'000'000'000'000LL);
  Value n = parse("-P1DT0.5S", "duration");
  EXPECT_EQ(n.duration.months, 0);
  EXPECT_EQ(n.duration.seconds, -86400);
  EXPECT_EQ(n.duration.attoseconds, -500'000'000'000'000'000LL);
  for (const char* ok : {"P1D", "-P1D", "PT0S", "P0D", "PT1H", "P1Y", "PT1.5S", "P0Y0M0DT0H0M0.0S",
                         "PT36H", "P13M", "PT100000000000S"}) {
    EXPECT_TRUE(valid(ok, "duration")) << ok;
  }
  for (const char* bad : {"P", "PT", "-P", "P1DT", "1D", "P-1D", "+P1D", "P1.5D", "P1.5Y", "PT1.S", "PT.5S",
                          "P1D1Y", "P1M1Y", "PT1S1M", "P1H", "PT1D", "P1DT1Y", "p1d", "P1d", "PT1H1H", "P1Y1Y",
                          "P T1H", "PTT1H", "P99999999999999999999D", ""}) {
    EXPECT_FALSE(valid(bad, "duration")) << bad;
  }
}

TEST(XsdDuration, DerivedTypes) {
  EXPECT_TRUE(valid("P1Y2M", "yearMonthDuration"));
  EXPECT_TRUE(valid("-P13M", "yearMonthDuration"));
  EXPECT_FALSE(valid("P1D", "yearMonthDuration"));
  EXPECT_FALSE(valid("P1YT1H", "yearMonthDuration"));
  EXPECT_FALSE(valid("PT0S", "yearMonthDuration"));
  EXPECT_TRUE(valid("P1DT2H", "dayTimeDuration"));
  EXPECT_TRUE(valid("PT0.001S", "dayTimeDuration"));
  EXPECT_FALSE(valid("P1M", "dayTimeDuration"));
  EXPECT_FALSE(valid("P1Y", "dayTimeDuration"));
  EXPECT_EQ(parse("P1M", "yearMonthDuration").datatype, Datatype::kYearMonthDuration);
  EXPECT_EQ(cmp("P1D", "dayTimeDuration", "PT24H", "duration"), partial_ordering::equivalent);
  EXPECT_EQ(cmp("P1Y", "yearMonthDuration", "P12M", "duration"), partial_ordering::equivalent);
}

TEST(XsdDuration, Canonical) {
  EXPECT_EQ(canon("P1Y2M3DT4H5M6.7S", "duration"), "P1Y2M3DT4H5M6.7S");
  EXPECT_EQ(canon("P13M", "duration"), "P1Y1M");
  EXPECT_EQ(canon("PT36H", "duration"), "P1DT12H");
  EXPECT_EQ(canon("PT3600S", "duration"), "PT1H");
  EXPECT_EQ(canon("PT0.50S", "duration"), "PT0.5S");
  EXPECT_EQ(canon("-P1D", "duration"), "-P1D");
  EXPECT_EQ(canon("P0D", "duration"), "PT0S");
  EXPECT_EQ(canon("-PT0S", "duration"), "PT0S");
  EXPECT_EQ(canon("P0Y", "yearMonthDuration"), "P0M");
  EXPECT_EQ(canon("-P0M", "yearMonthDuration"), "P0M");
  EXPECT_EQ(canon("P0D", "dayTimeDuration"), "PT0S");
  EXPECT_EQ(canon("P12M", "yearMonthDuration"), "P1Y");
  EXPECT_EQ(canon("P1Y0M", "duration"), "P1Y");
  EXPECT_EQ(canon("P0YT1M", "duration"), "PT1M");
}

// Durations are partially ordered (XSD 1.1 §3.3.6.1): months vs days can be
// indeterminate.
TEST(XsdDuration, Order) {
  const char* du = "duration";
  EXPECT_EQ(cmp("P1D", "PT25H", du), partial_ordering::less);
  EXPECT_EQ(cmp("-P1D", "PT0S", du), partial_ordering::less);
  EXPECT_EQ(cmp("PT1.5S", "PT1.25S", du), partial_ordering::greater);
  EXPECT_EQ(cmp("-PT1.5S", "-PT1.25S", du), partial_ordering::less);
  EXPECT_EQ(cmp("P1Y", "P12M", du), partial_ordering::equivalent);
  EXPECT_EQ(cmp("P1Y", "P365D", du), partial_ordering::unordered);
  EXPECT_EQ(cmp("P1Y", "P364D", du), partial_ordering::greater);
  EXPECT_EQ(cmp("P1Y", "P367D", du), partial_ordering::less);
  EXPECT_EQ(cmp("P1M", "P30D", du), partial_ordering::unordered);
  EXPECT_EQ(cmp("P1M", "P27D", du), partial_ordering::greater);
  EXPECT_EQ(cmp("P1M", "P32D", du), partial_ordering::less);
  EXPECT_EQ(cmp("P2M", "P62D", du), partial_ordering::unordered);  // 59..62 days
  EXPECT_EQ(cmp("P2M", "P63D", du), partial_ordering::less);
  EXPECT_EQ(cmp("P5M", "P153D", du), partial_ordering::unordered);
  EXPECT_EQ(cmp("-P1M", "-P32D", du), partial_ordering::greater);
  EXPECT_EQ(cmp("P1M", "-P1M", du), partial_ordering::greater);
  EXPECT_EQ(cmp("P1D", "duration", "1", "integer"), partial_ordering::unordered);
  EXPECT_EQ(cmp("P1D", "duration", "2001-01-01", "date"), partial_ordering::unordered);
}

TEST(XsdValueType, Names) {
  EXPECT_STREQ(valueTypeName(ValueType::kNone), "none");
  EXPECT_STREQ(valueTypeName(ValueType::kDateTime), "dateTime");
  EXPECT_STREQ(valueTypeName(ValueType::kGMonth), "gMonth");
}

// Canonical forms are fixed points: parsing a canonical form gives a value
// that compares equivalent and prints the same.
TEST(XsdCanonical, RoundTrip) {
  const std::pair<const char*, const char*> cases[] = {
      {"-00123", "integer"},  {"99999999999999999999999", "integer"},
      {"-.5", "decimal"},     {"12.500", "decimal"},
      {"123.456e7", "double"}, {"0.1", "float"},
      {"-INF", "double"},     {"2001-10-26T24:00:00-05:00", "dateTime"},
      {"--02-29", "gMonthDay"}, {"-P400DT36H0.01S", "duration"},
      {"P0M", "yearMonthDuration"}, {"13:20:00.5Z", "time"},
      {"0", "boolean"},       {"-0045-01", "gYearMonth"},
  };
  for (const auto& [lex, dt] : cases) {
    Value v = parse(lex, dt);
    ASSERT_TRUE(v.isValid()) << lex;
    std::string c = canonicalLexical(v);
    Value w = parse(c, dt);
    ASSERT_TRUE(w.isValid()) << c;
    EXPECT_EQ(canonicalLexical(w), c) << lex;
    EXPECT_EQ(compareValues(v, w), partial_ordering::equivalent) << lex << " vs " << c;
  }
}

}  // namespace
}  // namespace weft::rdf
