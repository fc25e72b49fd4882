// SPDX-License-Identifier: Apache-2.0
// Unit tests of the SPARQL 1.1 operator and function library
// (engine/sparql/functions.h). Many expectations mirror the W3C test suites
// (sparql11/functions, sparql11/cast, sparql10/expr-*, open-world,
// type-promotion, boolean-effective-value, regex).
#include "engine/sparql/functions.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace weft::rdf {
// Readable terms in failure messages (internal linkage: no clash with other tests).
[[maybe_unused]] static void PrintTo(const Term& t, std::ostream* os) {
  *os << (t.isNone() ? std::string("UNBOUND") : toNTriples(t.view()));
}
}  // namespace weft::rdf

namespace weft::sparql {
namespace {

using rdf::Term;

const std::string kX = std::string(rdf::kXsd);

Term lit(std::string_view lex, std::string_view xsd_local) {
  return Term::literal(lex, kX + std::string(xsd_local));
}
Term str(std::string_view s) { return Term::literal(s); }
Term lang(std::string_view s, std::string_view tag) { return Term::literal(s, {}, tag); }
Term integer(std::string_view s) { return lit(s, "integer"); }
Term dec(std::string_view s) { return lit(s, "decimal"); }
Term dbl(std::string_view s) { return lit(s, "double"); }
Term flt(std::string_view s) { return lit(s, "float"); }
Term boolean(bool b) { return lit(b ? "true" : "false", "boolean"); }
Term dateTime(std::string_view s) { return lit(s, "dateTime"); }

class FunctionsTest : public ::testing::Test {
 protected:
  std::optional<Term> call(Builtin b, std::vector<Term> args) {
    return callBuiltin(b, args, ctx_);
  }
  std::optional<Term> cast(std::string_view local, const Term& t) {
    std::vector<Term> args{t};
    return callFunction(kX + std::string(local), args, ctx_);
  }
  std::optional<Term> op(ExprKind k, const Term& a, const Term& b) { return arithmetic(k, a, b); }

  FunctionContext ctx_;
};

// ---- 17.2.2 effective boolean value ----
TEST_F(FunctionsTest, EffectiveBooleanValue) {
  EXPECT_EQ(effectiveBooleanValue(integer("1")), true);
  EXPECT_EQ(effectiveBooleanValue(str("foo")), true);
  EXPECT_EQ(effectiveBooleanValue(dbl("0.01")), true);
  EXPECT_EQ(effectiveBooleanValue(boolean(true)), true);
  EXPECT_EQ(effectiveBooleanValue(integer("0")), false);
  EXPECT_EQ(effectiveBooleanValue(dbl("0.0")), false);
  EXPECT_EQ(effectiveBooleanValue(dbl("NaN")), false);
  EXPECT_EQ(effectiveBooleanValue(str("")), false);
  EXPECT_EQ(effectiveBooleanValue(boolean(false)), false);
  EXPECT_EQ(effectiveBooleanValue(lit("0", "boolean")), false);
  // Invalid lexical forms of numerics/booleans are false, not errors.
  EXPECT_EQ(effectiveBooleanValue(integer("abc")), false);
  EXPECT_EQ(effectiveBooleanValue(lit("yes", "boolean")), false);
  // Everything else is a type error.
  EXPECT_EQ(effectiveBooleanValue(Term::iri("http://example/")), std::nullopt);
  EXPECT_EQ(effectiveBooleanValue(Term::blank("b")), std::nullopt);
  EXPECT_EQ(effectiveBooleanValue(dateTime("2010-06-21T11:28:01Z")), std::nullopt);
  EXPECT_EQ(effectiveBooleanValue(Term::literal("x", "http://example/t")), std::nullopt);
  EXPECT_EQ(effectiveBooleanValue(Term()), std::nullopt);
}

// ---- 17.3 comparisons ----
TEST_F(FunctionsTest, NumericComparisonWithPromotion) {
  EXPECT_EQ(compareTerms(ExprKind::kEqual, integer("1"), integer("01")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, integer("1"), dec("1.0")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, lit("1", "short"), dbl("1e0")), true);
  EXPECT_EQ(compareTerms(ExprKind::kLess, integer("2"), dec("2.5")), true);
  EXPECT_EQ(compareTerms(ExprKind::kGreaterEqual, flt("3"), integer("3")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, dbl("NaN"), dbl("NaN")), false);
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, dbl("NaN"), dbl("NaN")), true);
  EXPECT_EQ(compareTerms(ExprKind::kLess, dbl("NaN"), integer("1")), false);
  EXPECT_EQ(compareTerms(ExprKind::kLess, integer("99999999999999999999"),
                         integer("100000000000000000000")), true);
}

TEST_F(FunctionsTest, StringBooleanDateTimeComparison) {
  EXPECT_EQ(compareTerms(ExprKind::kLess, str("abc"), str("abd")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, str("xyz"), lit("xyz", "string")), true);
  // Codepoint order: U+00E9 > 'z'.
  EXPECT_EQ(compareTerms(ExprKind::kGreater, str("\xC3\xA9"), str("z")), true);
  EXPECT_EQ(compareTerms(ExprKind::kLess, boolean(false), boolean(true)), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, boolean(true), lit("1", "boolean")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, dateTime("2002-10-10T12:00:00-05:00"),
                         dateTime("2002-10-10T17:00:00Z")), true);
  EXPECT_EQ(compareTerms(ExprKind::kLess, dateTime("2002-10-10T12:00:00Z"),
                         dateTime("2002-10-10T17:00:00Z")), true);
  // One with and one without timezone within 14 hours: indeterminate.
  EXPECT_EQ(compareTerms(ExprKind::kLess, dateTime("2002-10-10T12:00:00"),
                         dateTime("2002-10-10T17:00:00Z")), std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, dateTime("2002-10-10T12:00:00"),
                         dateTime("2002-10-10T12:00:00Z")), std::nullopt);
  // Different date/time types are known to differ (open-world date-1/2).
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, dateTime("2006-08-23T09:00:00+01:00"),
                         lit("2006-08-23", "date")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, lit("2006-08-23Z", "date"), lit("2006-08-23", "date")),
            std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kGreater, lit("2006-08-23Z", "date"), lit("2006-08-22", "date")),
            true);
  EXPECT_EQ(compareTerms(ExprKind::kLess, dateTime("2006-08-23T09:00:00+01:00"),
                         lit("2006-08-22", "date")), std::nullopt);
  // Far apart: determinate.
  EXPECT_EQ(compareTerms(ExprKind::kLess, dateTime("2002-10-09T12:00:00"),
                         dateTime("2002-10-10T17:00:00Z")), true);
}

TEST_F(FunctionsTest, RdfTermEqualOpenWorld) {
  // open-eq-07/08/10/11: language tags compare case-insensitively.
  EXPECT_EQ(compareTerms(ExprKind::kEqual, lang("xyz", "en"), lang("xyz", "EN")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, str("xyz"), lang("xyz", "en")), false);
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, lang("xyz", "en"), integer("xyz")), true);
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, lang("xyz", "en"), lang("abc", "en")), true);
  // Ill-typed and unknown-datatype literals: equal only when identical.
  EXPECT_EQ(compareTerms(ExprKind::kEqual, integer("xyz"), integer("xyz")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, integer("xyz"), integer("abc")), std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, str("xyz"), integer("xyz")), std::nullopt);
  Term u1 = Term::literal("xyz", "http://example/unknown");
  Term u2 = Term::literal("abc", "http://example/unknown");
  EXPECT_EQ(compareTerms(ExprKind::kEqual, u1, u1), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, u1, u2), std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, str("xyz"), u1), std::nullopt);
  // Known types of different families: type error.
  EXPECT_EQ(compareTerms(ExprKind::kEqual, integer("1"), lit("a", "string")), std::nullopt);
  // IRIs and blank nodes: term identity, never an error for = / !=.
  EXPECT_EQ(compareTerms(ExprKind::kEqual, Term::iri("http://x"), str("http://x")), false);
  EXPECT_EQ(compareTerms(ExprKind::kNotEqual, Term::iri("http://x"), Term::iri("http://y")), true);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, Term::blank("a"), Term::blank("a")), true);
  EXPECT_EQ(compareTerms(ExprKind::kLess, Term::iri("http://x"), Term::iri("http://y")),
            std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kLess, integer("1"), str("2")), std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kLess, lang("a", "en"), lang("b", "en")), std::nullopt);
  EXPECT_EQ(compareTerms(ExprKind::kEqual, Term(), integer("1")), std::nullopt);
}

// ---- 17.3 arithmetic ----
TEST_F(FunctionsTest, ArithmeticTypePromotion) {
  EXPECT_EQ(op(ExprKind::kAdd, integer("1"), integer("2")), integer("3"));
  EXPECT_EQ(op(ExprKind::kAdd, lit("1", "short"), lit("2", "byte")), integer("3"));
  EXPECT_EQ(op(ExprKind::kAdd, integer("1"), dec("2.5")), dec("3.5"));
  EXPECT_EQ(op(ExprKind::kMultiply, dec("1.5"), flt("2")), flt("3.0E0"));
  EXPECT_EQ(op(ExprKind::kSubtract, flt("1"), dbl("0.5")), dbl("5.0E-1"));
  EXPECT_EQ(op(ExprKind::kAdd, integer("1"), str("2")), std::nullopt);
  EXPECT_EQ(op(ExprKind::kAdd, integer("a"), integer("2")), std::nullopt);
  EXPECT_EQ(unaryArithmetic(ExprKind::kUnaryMinus, integer("3")), integer("-3"));
  EXPECT_EQ(unaryArithmetic(ExprKind::kUnaryMinus, dec("-1.50")), dec("1.5"));
  EXPECT_EQ(unaryArithmetic(ExprKind::kUnaryPlus, lit("7", "int")), integer("7"));
  EXPECT_EQ(unaryArithmetic(ExprKind::kUnaryMinus, dbl("0")), dbl("-0.0E0"));
}

TEST_F(FunctionsTest, ExactIntegerAndDecimalArithmetic) {
  EXPECT_EQ(op(ExprKind::kAdd, integer("9223372036854775807"), integer("1")),
            integer("9223372036854775808"));
  EXPECT_EQ(op(ExprKind::kMultiply, integer("9223372036854775807"), integer("-10")),
            integer("-92233720368547758070"));
  EXPECT_EQ(op(ExprKind::kSubtract, integer("100000000000000000000"), integer("1")),
            integer("99999999999999999999"));
  EXPECT_EQ(unaryArithmetic(ExprKind::kUnaryMinus, integer("-9223372036854775808")),
            integer("9223372036854775808"));
  EXPECT_EQ(op(ExprKind::kAdd, dec("0.1"), dec("0.2")), dec("0.3"));
  EXPECT_EQ(op(ExprKind::kMultiply, dec("-1.25"), dec("0.4")), dec("-0.5"));
  EXPECT_EQ(op(ExprKind::kSubtract, dec("1.000000000000000000001"), dec("1")),
            dec("0.000000000000000000001"));
}

TEST_F(FunctionsTest, Division) {
  // query-divide-numbers-cast: integer / integer is xsd:decimal.
  EXPECT_EQ(op(ExprKind::kDivide, integer("3"), integer("3")), dec("1.0"));
  EXPECT_EQ(op(ExprKind::kDivide, integer("1"), integer("4")), dec("0.25"));
  EXPECT_EQ(op(ExprKind::kDivide, integer("1"), integer("3")), dec("0.333333333333333333"));
  EXPECT_EQ(op(ExprKind::kDivide, integer("2"), integer("3")), dec("0.666666666666666667"));
  EXPECT_EQ(op(ExprKind::kDivide, dec("-7.5"), integer("2")), dec("-3.75"));
  EXPECT_EQ(op(ExprKind::kDivide, integer("3"), dbl("3")), dbl("1.0E0"));
  EXPECT_EQ(op(ExprKind::kDivide, integer("1"), integer("0")), std::nullopt);
  EXPECT_EQ(op(ExprKind::kDivide, dec("1.5"), dec("0.0")), std::nullopt);
  EXPECT_EQ(op(ExprKind::kDivide, dbl("1"), integer("0")), dbl("INF"));
  EXPECT_EQ(op(ExprKind::kDivide, flt("-1"), flt("0")), flt("-INF"));
  EXPECT_EQ(op(ExprKind::kDivide, dbl("0"), dbl("0")), dbl("NaN"));
}

// ---- 17.4.4 numeric functions (abs01, ceil01, floor01, round01) ----
TEST_F(FunctionsTest, NumericFunctions) {
  EXPECT_EQ(call(Builtin::kAbs, {integer("-2")}), integer("2"));
  EXPECT_EQ(call(Builtin::kAbs, {dec("-1.6")}), dec("1.6"));
  EXPECT_EQ(call(Builtin::kCeil, {dec("1.1")}), dec("2.0"));
  EXPECT_EQ(call(Builtin::kCeil, {dec("-1.6")}), dec("-1.0"));
  EXPECT_EQ(call(Builtin::kFloor, {dec("-1.6")}), dec("-2.0"));
  EXPECT_EQ(call(Builtin::kFloor, {dec("2.5")}), dec("2.0"));
  EXPECT_EQ(call(Builtin::kRound, {dec("2.5")}), dec("3.0"));
  EXPECT_EQ(call(Builtin::kRound, {dec("-2.5")}), dec("-2.0"));
  EXPECT_EQ(call(Builtin::kRound, {dec("-2.51")}), dec("-3.0"));
  EXPECT_EQ(call(Builtin::kRound, {dec("1.1")}), dec("1.0"));
  EXPECT_EQ(call(Builtin::kRound, {dbl("-2.5")}), dbl("-2.0E0"));
  EXPECT_EQ(call(Builtin::kRound, {dbl("0.5")}), dbl("1.0E0"));
  EXPECT_EQ(call(Builtin::kRound, {lit("-1", "short")}), integer("-1"));
  EXPECT_EQ(call(Builtin::kCeil, {flt("1.5")}), flt("2.0E0"));
  EXPECT_EQ(call(Builtin::kAbs, {str("1")}), std::nullopt);
}

// ---- 17.4.1 / 17.4.2 term functions ----
TEST_F(FunctionsTest, TermFunctions) {
  EXPECT_EQ(call(Builtin::kStr, {Term::iri("http://example/")}), str("http://example/"));
  EXPECT_EQ(call(Builtin::kStr, {integer("01")}), str("01"));
  EXPECT_EQ(call(Builtin::kStr, {Term::blank("b")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kLang, {lang("a", "en-US")}), str("en-US"));
  EXPECT_EQ(call(Builtin::kLang, {str("a")}), str(""));
  EXPECT_EQ(call(Builtin::kLang, {Term::iri("http://x")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kDatatype, {str("a")}), Term::iri(rdf::kXsdString));
  EXPECT_EQ(call(Builtin::kDatatype, {lang("a", "en")}), Term::iri(rdf::kRdfLangString));
  EXPECT_EQ(call(Builtin::kDatatype, {integer("1")}), Term::iri(kX + "integer"));
  EXPECT_EQ(call(Builtin::kIri, {str("http://example.org/a")}), Term::iri("http://example.org/a"));
  EXPECT_EQ(call(Builtin::kIri, {Term::iri("http://x/")}), Term::iri("http://x/"));
  EXPECT_EQ(call(Builtin::kIri, {str("relative")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kIsIri, {Term::iri("http://x/")}), boolean(true));
  EXPECT_EQ(call(Builtin::kIsBlank, {Term::blank("b")}), boolean(true));
  EXPECT_EQ(call(Builtin::kIsLiteral, {Term::iri("http://x/")}), boolean(false));
  EXPECT_EQ(call(Builtin::kIsNumeric, {integer("12")}), boolean(true));
  EXPECT_EQ(call(Builtin::kIsNumeric, {lit("1200", "byte")}), boolean(false));
  EXPECT_EQ(call(Builtin::kIsNumeric, {str("12")}), boolean(false));
  EXPECT_EQ(call(Builtin::kIsNumeric, {Term()}), std::nullopt);
  EXPECT_EQ(call(Builtin::kSameTerm, {integer("1"), integer("01")}), boolean(false));
  EXPECT_EQ(call(Builtin::kSameTerm, {lang("a", "en"), lang("a", "EN")}), boolean(true));
  EXPECT_EQ(call(Builtin::kStrDt, {str("123"), Term::iri(kX + "integer")}), integer("123"));
  EXPECT_EQ(call(Builtin::kStrDt, {lang("1", "en"), Term::iri(kX + "integer")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kStrLang, {str("foo"), str("en-US")}), lang("foo", "en-US"));
  EXPECT_EQ(call(Builtin::kStrLang, {lit("abc", "string"), str("en")}), lang("abc", "en"));
  EXPECT_EQ(call(Builtin::kStrLang, {lang("foo", "en"), str("fr")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kStrLang, {str("foo"), str("")}), std::nullopt);
}

TEST_F(FunctionsTest, LangMatches) {
  EXPECT_EQ(call(Builtin::kLangMatches, {str("en-US"), str("en")}), boolean(true));
  EXPECT_EQ(call(Builtin::kLangMatches, {str("EN"), str("en")}), boolean(true));
  EXPECT_EQ(call(Builtin::kLangMatches, {str("english"), str("en")}), boolean(false));
  EXPECT_EQ(call(Builtin::kLangMatches, {str("de-DE"), str("de-de")}), boolean(true));
  EXPECT_EQ(call(Builtin::kLangMatches, {str("fr"), str("*")}), boolean(true));
  EXPECT_EQ(call(Builtin::kLangMatches, {str(""), str("*")}), boolean(false));
}

TEST_F(FunctionsTest, BnodeRandUuidNow) {
  std::vector<std::string> labels;
  ctx_.make_bnode = [&](std::string_view l) {
    labels.emplace_back(l);
    return Term::blank("n" + std::to_string(labels.size()));
  };
  EXPECT_EQ(call(Builtin::kBnode, {}), Term::blank("n1"));
  EXPECT_EQ(call(Builtin::kBnode, {str("x")}), Term::blank("n2"));
  EXPECT_EQ(labels, (std::vector<std::string>{"", "x"}));
  EXPECT_EQ(call(Builtin::kBnode, {integer("1")}), std::nullopt);
  auto r = call(Builtin::kRand, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->datatype, kX + "double");
  auto u = call(Builtin::kUuid, {});
  ASSERT_TRUE(u);
  EXPECT_EQ(u->kind, rdf::TermKind::kIri);
  EXPECT_EQ(u->value.size(), 45u);
  EXPECT_EQ(u->value.substr(0, 9), "urn:uuid:");
  EXPECT_EQ(u->value[23], '4');
  auto s = call(Builtin::kStrUuid, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->value.size(), 36u);
  EXPECT_NE(call(Builtin::kStrUuid, {})->value, s->value);
  ctx_.now = dateTime("2011-01-10T14:45:13.815-05:00");
  EXPECT_EQ(call(Builtin::kNow, {}), ctx_.now);
}

// ---- 17.4.3 strings ----
TEST_F(FunctionsTest, StrlenSubstrCase) {
  EXPECT_EQ(call(Builtin::kStrlen, {str("\xE9\xA3\x9F\xE3\x81\xB9\xE7\x89\xA9")}), integer("3"));
  EXPECT_EQ(call(Builtin::kStrlen, {lang("chat", "en")}), integer("4"));
  EXPECT_EQ(call(Builtin::kStrlen, {integer("12")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kSubstr, {lang("bar", "en"), integer("1"), integer("1")}),
            lang("b", "en"));
  EXPECT_EQ(call(Builtin::kSubstr, {str("\xE9\xA3\x9F\xE3\x81\xB9\xE7\x89\xA9"), integer("2")}),
            str("\xE3\x81\xB9\xE7\x89\xA9"));
  // fn:substring examples (F&O 3.1 §5.4.3).
  EXPECT_EQ(call(Builtin::kSubstr, {str("12345"), dbl("1.5"), dbl("2.6")}), str("234"));
  EXPECT_EQ(call(Builtin::kSubstr, {str("12345"), integer("0"), integer("3")}), str("12"));
  EXPECT_EQ(call(Builtin::kSubstr, {str("12345"), integer("-3"), integer("5")}), str("1"));
  EXPECT_EQ(call(Builtin::kSubstr, {str("12345"), dbl("NaN"), integer("3")}), str(""));
  EXPECT_EQ(call(Builtin::kSubstr, {str("12345"), dbl("-INF"), dbl("INF")}), str(""));
  EXPECT_EQ(call(Builtin::kSubstr, {str("abc"), str("1")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kUcase, {lang("foo", "en")}), lang("FOO", "en"));
  EXPECT_EQ(call(Builtin::kLcase, {str("BAR")}), str("bar"));
  EXPECT_EQ(call(Builtin::kUcase, {str("fran\xC3\xA7" "ais")}), str("FRAN\xC3\x87" "AIS"));
}

TEST_F(FunctionsTest, EncodeConcat) {
  EXPECT_EQ(call(Builtin::kEncodeForUri, {str("100%")}), str("100%25"));
  EXPECT_EQ(call(Builtin::kEncodeForUri, {lang("Los Angeles", "en")}), str("Los%20Angeles"));
  EXPECT_EQ(call(Builtin::kEncodeForUri, {str("\xE9\xA3\x9F")}), str("%E9%A3%9F"));
  EXPECT_EQ(call(Builtin::kEncodeForUri, {str("a-_.~b")}), str("a-_.~b"));
  EXPECT_EQ(call(Builtin::kConcat, {lit("abc", "string"), lit("DEF", "string")}), str("abcDEF"));
  EXPECT_EQ(call(Builtin::kConcat, {lang("foo", "en"), lang("bar", "en")}), lang("foobar", "en"));
  EXPECT_EQ(call(Builtin::kConcat, {lang("foo", "en"), str("bar")}), str("foobar"));
  EXPECT_EQ(call(Builtin::kConcat, {lang("foo", "en"), lang("bar", "fr")}), str("foobar"));
  EXPECT_EQ(call(Builtin::kConcat, {}), str(""));
  EXPECT_EQ(call(Builtin::kConcat, {str("a"), integer("1")}), std::nullopt);
}

TEST_F(FunctionsTest, StringTestsAndCompatibility) {
  EXPECT_EQ(call(Builtin::kContains, {str("foobar"), str("bar")}), boolean(true));
  EXPECT_EQ(call(Builtin::kContains, {lang("foobar", "en"), str("bar")}), boolean(true));
  EXPECT_EQ(call(Builtin::kContains, {lang("foobar", "en"), lang("bar", "en")}), boolean(true));
  EXPECT_EQ(call(Builtin::kContains, {str("foobar"), lang("bar", "en")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kContains, {lang("foobar", "en"), lang("bar", "fr")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kStrStarts, {str("foobar"), str("foo")}), boolean(true));
  EXPECT_EQ(call(Builtin::kStrEnds, {str("foobar"), str("foo")}), boolean(false));
  EXPECT_EQ(call(Builtin::kStrStarts, {integer("12"), str("1")}), std::nullopt);
  // strbefore01a / strafter02 expectations.
  EXPECT_EQ(call(Builtin::kStrBefore, {lang("english", "en"), str("s")}), lang("engli", "en"));
  EXPECT_EQ(call(Builtin::kStrBefore, {lang("\xE6\x97\xA5", "ja"), str("s")}), str(""));
  EXPECT_EQ(call(Builtin::kStrBefore, {str("123"), str("s")}), str(""));
  EXPECT_EQ(call(Builtin::kStrBefore, {lang("abc", "en"), str("")}), lang("", "en"));
  EXPECT_EQ(call(Builtin::kStrAfter, {lang("abc", "en"), str("b")}), lang("c", "en"));
  EXPECT_EQ(call(Builtin::kStrAfter, {lang("abc", "en"), lang("", "en")}), lang("abc", "en"));
  EXPECT_EQ(call(Builtin::kStrAfter, {str("abc"), str("xyz")}), str(""));
  EXPECT_EQ(call(Builtin::kStrAfter, {str("abc"), lang("b", "cy")}), std::nullopt);
}

TEST_F(FunctionsTest, RegexAndReplace) {
  EXPECT_EQ(call(Builtin::kRegex, {str("abcDEF"), str("abc"), str("i")}), boolean(true));
  EXPECT_EQ(call(Builtin::kRegex, {str("ABCdef"), str("abc")}), boolean(false));
  EXPECT_EQ(call(Builtin::kRegex, {lang("chat", "fr"), str("^ch")}), boolean(true));
  EXPECT_EQ(call(Builtin::kRegex, {Term::iri("http://example.com/"), str("example")}),
            std::nullopt);
  EXPECT_EQ(call(Builtin::kRegex, {str("a\nc"), str("a.c")}), boolean(false));
  EXPECT_EQ(call(Builtin::kRegex, {str("a\nc"), str("a.c"), str("s")}), boolean(true));
  EXPECT_EQ(call(Builtin::kRegex, {str("a\nb\nc"), str("^b$")}), boolean(false));
  EXPECT_EQ(call(Builtin::kRegex, {str("a\nb\nc"), str("^b$"), str("m")}), boolean(true));
  EXPECT_EQ(call(Builtin::kRegex, {str("abc\n"), str("abc$")}), boolean(false));
  EXPECT_EQ(call(Builtin::kRegex, {str("abc"), str(" a b c "), str("x")}), boolean(true));
  EXPECT_EQ(call(Builtin::kRegex, {str("a?+*.{}()[]c"), str("a?+*.{}()[]c"), str("q")}),
            boolean(true));
  EXPECT_EQ(call(Builtin::kRegex, {str("abbc"), str("a?+*.{}()[]C"), str("iq")}), boolean(false));
  EXPECT_EQ(call(Builtin::kRegex, {str("abc"), str("("), str("")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kRegex, {str("abc"), str("a"), str("k")}), std::nullopt);
  // replace01/03 and fn:replace examples.
  EXPECT_EQ(call(Builtin::kReplace, {lang("english", "en"), str("[^a-z0-9]"), str("-")}),
            lang("english", "en"));
  EXPECT_EQ(call(Builtin::kReplace, {str("abcd"), str("(ab)|(a)"), str("[1=$1][2=$2]")}),
            str("[1=ab][2=]cd"));
  EXPECT_EQ(call(Builtin::kReplace, {str("abracadabra"), str("bra"), str("*")}),
            str("a*cada*"));
  EXPECT_EQ(call(Builtin::kReplace, {str("abracadabra"), str("a(.)"), str("a$1$1")}),
            str("abbraccaddabbra"));
  EXPECT_EQ(call(Builtin::kReplace, {str("darted"), str("^(.*?)d(.*)$"), str("$1c$2")}),
            str("carted"));
  EXPECT_EQ(call(Builtin::kReplace, {str("AAAA"), str("A+"), str("b")}), str("b"));
  EXPECT_EQ(call(Builtin::kReplace, {str("abc"), str("B"), str("\\$"), str("i")}), str("a$c"));
  EXPECT_EQ(call(Builtin::kReplace, {str("abracadabra"), str(".*?"), str("$1")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kReplace, {str("abc"), str("b"), str("$")}), std::nullopt);
}

// ---- 17.4.5 date/time (year-01 ... tz-01) ----
TEST_F(FunctionsTest, DateTimeAccessors) {
  Term d2 = dateTime("2010-12-21T15:38:02-08:00");
  Term d4 = dateTime("2011-02-01T01:02:03");
  EXPECT_EQ(call(Builtin::kYear, {d2}), integer("2010"));
  EXPECT_EQ(call(Builtin::kMonth, {d2}), integer("12"));
  EXPECT_EQ(call(Builtin::kDay, {d2}), integer("21"));
  EXPECT_EQ(call(Builtin::kHours, {d2}), integer("15"));
  EXPECT_EQ(call(Builtin::kMinutes, {d2}), integer("38"));
  EXPECT_EQ(call(Builtin::kSeconds, {d2}), dec("2.0"));
  EXPECT_EQ(call(Builtin::kSeconds, {dateTime("2011-01-10T14:45:13.815-05:00")}), dec("13.815"));
  EXPECT_EQ(call(Builtin::kTimezone, {d2}), lit("-PT8H", "dayTimeDuration"));
  EXPECT_EQ(call(Builtin::kTimezone, {dateTime("2010-06-21T11:28:01Z")}),
            lit("PT0S", "dayTimeDuration"));
  EXPECT_EQ(call(Builtin::kTimezone, {d4}), std::nullopt);
  EXPECT_EQ(call(Builtin::kTz, {d2}), str("-08:00"));
  EXPECT_EQ(call(Builtin::kTz, {dateTime("2010-06-21T11:28:01Z")}), str("Z"));
  EXPECT_EQ(call(Builtin::kTz, {d4}), str(""));
  EXPECT_EQ(call(Builtin::kYear, {str("2010-06-21T11:28:01Z")}), std::nullopt);
}

// ---- 17.4.6 hashes (md5-01, sha1-01, sha256-01, ...) ----
TEST_F(FunctionsTest, Hashes) {
  EXPECT_EQ(call(Builtin::kMd5, {str("foo")}), str("acbd18db4cc2f85cedef654fccc4a4d8"));
  EXPECT_EQ(call(Builtin::kSha1, {str("foo")}), str("0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33"));
  EXPECT_EQ(call(Builtin::kSha256, {lit("foo", "string")}),
            str("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"));
  EXPECT_EQ(call(Builtin::kMd5, {lang("foo", "en")}), std::nullopt);
  EXPECT_EQ(call(Builtin::kSha512, {integer("1")}), std::nullopt);
  auto s384 = call(Builtin::kSha384, {str("")});
  ASSERT_TRUE(s384);
  EXPECT_EQ(s384->value.size(), 96u);
}

// ---- 17.5 casts (sparql11/cast) ----
TEST_F(FunctionsTest, CastToString) {
  EXPECT_EQ(cast("string", Term::iri("http://example.org/z")), str("http://example.org/z"));
  EXPECT_EQ(cast("string", str("+33.3300")), str("+33.3300"));
  EXPECT_EQ(cast("string", lit("0", "boolean")), str("false"));
  EXPECT_EQ(cast("string", dec("1.0")), str("1"));
  EXPECT_EQ(cast("string", dec("-2.5")), str("-2.5"));
  EXPECT_EQ(cast("string", dbl("1E0")), str("1"));
  EXPECT_EQ(cast("string", dbl("0E1")), str("0"));
  EXPECT_EQ(cast("string", flt("-7.875")), str("-7.875"));
  EXPECT_EQ(cast("string", dbl("1e7")), str("1.0E7"));
  EXPECT_EQ(cast("string", Term::blank("b")), std::nullopt);
}

TEST_F(FunctionsTest, CastToNumeric) {
  EXPECT_EQ(cast("integer", str("13")), integer("13"));
  EXPECT_EQ(cast("integer", str("1.5")), std::nullopt);
  EXPECT_EQ(cast("integer", str("0E1")), std::nullopt);
  EXPECT_EQ(cast("integer", boolean(true)), integer("1"));
  EXPECT_EQ(cast("integer", flt("-7.875")), integer("-7"));
  EXPECT_EQ(cast("integer", dec("2.5")), integer("2"));
  EXPECT_EQ(cast("integer", dbl("1e20")), integer("100000000000000000000"));
  EXPECT_EQ(cast("integer", dbl("NaN")), std::nullopt);
  EXPECT_EQ(cast("integer", dbl("INF")), std::nullopt);
  EXPECT_EQ(cast("integer", Term::iri("http://x/")), std::nullopt);
  EXPECT_EQ(cast("decimal", str("+33.3300")), dec("33.33"));
  EXPECT_EQ(cast("decimal", str("-10.2E3")), std::nullopt);
  EXPECT_EQ(cast("decimal", flt("1.25")), dec("1.25"));
  EXPECT_EQ(cast("decimal", dbl("0E1")), dec("0.0"));
  EXPECT_EQ(cast("decimal", boolean(false)), dec("0.0"));
  EXPECT_EQ(cast("double", str("-10.2E3")), dbl("-1.02E4"));
  EXPECT_EQ(cast("double", str("1")), dbl("1.0E0"));
  EXPECT_EQ(cast("double", boolean(true)), dbl("1.0E0"));
  EXPECT_EQ(cast("double", dec("-2.5")), dbl("-2.5E0"));
  EXPECT_EQ(cast("double", str("true")), std::nullopt);
  EXPECT_EQ(cast("float", str("+33.3300")), flt("3.333E1"));
  EXPECT_EQ(cast("float", integer("1")), flt("1.0E0"));
  EXPECT_EQ(cast("short", integer("40000")), std::nullopt);
  EXPECT_EQ(cast("short", dbl("12.9")), lit("12", "short"));
  EXPECT_EQ(cast("nonNegativeInteger", integer("-1")), std::nullopt);
}

TEST_F(FunctionsTest, CastToBooleanAndDates) {
  EXPECT_EQ(cast("boolean", str("0")), boolean(false));
  EXPECT_EQ(cast("boolean", str("true")), boolean(true));
  EXPECT_EQ(cast("boolean", str("0.0")), std::nullopt);
  EXPECT_EQ(cast("boolean", dec("0.0")), boolean(false));
  EXPECT_EQ(cast("boolean", flt("1.25")), boolean(true));
  EXPECT_EQ(cast("boolean", dbl("NaN")), boolean(false));
  EXPECT_EQ(cast("boolean", dateTime("2002-10-10T17:00:00Z")), std::nullopt);
  EXPECT_EQ(cast("dateTime", str("2002-10-10T17:00:00Z")), dateTime("2002-10-10T17:00:00Z"));
  EXPECT_EQ(cast("dateTime", str("2002-10-10")), std::nullopt);
  EXPECT_EQ(cast("dateTime", integer("1")), std::nullopt);
  EXPECT_EQ(cast("date", dateTime("2002-10-10T17:00:00-05:00")), lit("2002-10-10-05:00", "date"));
  EXPECT_EQ(cast("dateTime", lit("2002-10-10Z", "date")), dateTime("2002-10-10T00:00:00Z"));
  EXPECT_EQ(cast("gYear", dateTime("2002-10-10T17:00:00")), lit("2002", "gYear"));
  EXPECT_EQ(cast("time", dateTime("2002-10-10T17:00:00Z")), lit("17:00:00Z", "time"));
  EXPECT_EQ(cast("dayTimeDuration", lit("P1Y2DT3H", "duration")), lit("P2DT3H", "dayTimeDuration"));
  EXPECT_EQ(cast("unknownType", str("1")), std::nullopt);
  EXPECT_EQ(cast("integer", lang("1", "en")), std::nullopt);
}

// ---- 15.1 ORDER BY ----
TEST_F(FunctionsTest, OrderCompare) {
  EXPECT_LT(orderCompare(Term(), Term::blank("z")), 0);
  EXPECT_LT(orderCompare(Term::blank("z"), Term::iri("http://a")), 0);
  EXPECT_LT(orderCompare(Term::iri("http://z"), str("a")), 0);
  EXPECT_LT(orderCompare(Term::iri("http://a"), Term::iri("http://b")), 0);
  EXPECT_LT(orderCompare(integer("2"), integer("10")), 0);
  EXPECT_LT(orderCompare(dec("2.5"), integer("10")), 0);
  EXPECT_LT(orderCompare(str("B"), str("a")), 0);
  EXPECT_EQ(orderCompare(integer("1"), integer("1")), 0);
  EXPECT_NE(orderCompare(integer("1"), dec("1.0")), 0);  // deterministic tie-break
  EXPECT_EQ(orderCompare(integer("1"), dec("1.0")), -orderCompare(dec("1.0"), integer("1")));
  EXPECT_LT(orderCompare(dateTime("2002-10-10T12:00:00"), dateTime("2002-10-10T13:00:00Z")), 0);
  EXPECT_LT(orderCompare(str("z"), integer("1")), 0);
  EXPECT_LT(orderCompare(integer("1"), Term::literal("a", "http://example/t")), 0);
  EXPECT_EQ(integerLiteral(-42), integer("-42"));
}

}  // namespace
}  // namespace weft::sparql
