// SPDX-License-Identifier: Apache-2.0
// Unit tests of the IDLab functions (engine/fnml/idlab.cpp).
#include <gtest/gtest.h>

#include "tests/unit/fnml/fnml_test_util.h"

namespace weft::fnml::test {
namespace {

TEST(Idlab, OldNamespace) {
  const std::string old = "http://example.com/idlab/function/";
  EXPECT_EQ(one(old + "toUpperCaseURL", {{old + "str", {"a.org"}}}), "http://A.ORG");
  EXPECT_EQ(one(old + "equal", {{G + "valueParam", {"x"}}, {G + "valueParam2", {"x"}}}, old + "_boolOut"), "true");
}

TEST(Idlab, EqualNotEqual) {
  EXPECT_EQ(one(I + "equal", {{G + "valueParameter", {"a"}}, {G + "valueParameter2", {"a"}}}), "true");
  EXPECT_EQ(one(I + "notEqual", {{G + "valueParam", {"a"}}, {G + "valueParam2", {"a"}}}), "false");
  EXPECT_EQ(one(I + "notEqual", {{G + "valueParam", {"a"}}, {G + "valueParam2", {"b"}}}), "true");
  EXPECT_EQ(one(I + "equal", {{G + "valueParam2", {"a"}}}), "<none>");  // null input: no value
}

TEST(Idlab, Concat) {
  EXPECT_EQ(one(I + "concat", {{I + "str", {"a"}}, {I + "otherStr", {"b"}}, {I + "delimiter", {" - "}}}), "a - b");
  EXPECT_EQ(one(I + "concat", {{I + "_str", {"a"}}, {I + "_otherStr", {"b"}}}), "ab");
  EXPECT_EQ(one(I + "concatSequence", {{I + "_seq", {"x", "y", "z"}}, {I + "_delimiter", {"/"}}}), "x/y/z");
  EXPECT_EQ(one(I + "concatSequence",
                {{"http://www.w3.org/1999/02/22-rdf-syntax-ns#_nnn", {"x", "y"}}}),
            "xy");
}

TEST(Idlab, Conditions) {
  EXPECT_EQ(one(I + "trueCondition", {{I + "strBoolean", {"true"}}, {I + "str", {"kept"}}}), "kept");
  EXPECT_EQ(one(I + "trueCondition", {{I + "strBoolean", {"TRUE"}}, {I + "str", {"kept"}}}), "kept");
  EXPECT_EQ(one(I + "trueCondition", {{I + "strBoolean", {"false"}}, {I + "str", {"kept"}}}), "<none>");
  EXPECT_EQ(one(I + "decide", {{I + "str", {"NL"}}, {I + "expectedStr", {"NL"}}, {I + "result", {"Netherlands"}}}),
            "Netherlands");
  EXPECT_EQ(one(I + "decide", {{I + "str", {"BE"}}, {I + "expectedStr", {"NL"}}, {I + "result", {"Netherlands"}}}),
            "<none>");
  EXPECT_EQ(one(I + "isNull", {}), "true");
  EXPECT_EQ(one(I + "isNull", {{I + "str", {""}}}), "false");
}

TEST(Idlab, ContainsAndRange) {
  EXPECT_EQ(one(I + "stringContainsOtherString",
                {{I + "str", {"b"}}, {I + "otherStr", {"a;b;c"}}, {I + "delimiter", {";"}}}),
            "true");
  EXPECT_EQ(one(I + "stringContainsOtherString",
                {{I + "str", {"d"}}, {I + "otherStr", {"a;b;c"}}, {I + "delimiter", {";"}}}),
            "false");
  EXPECT_EQ(one(I + "listContainsElement", {{I + "list", {"a", "b"}}, {I + "str", {"b"}}}), "true");
  EXPECT_EQ(one(I + "listContainsElement", {{I + "list", {"a", "b"}}, {I + "str", {"c"}}}), "false");
  EXPECT_EQ(one(I + "inRange", {{I + "p_test", {"5"}}, {I + "p_from", {"1"}}, {I + "p_to", {"10"}}}), "true");
  EXPECT_EQ(one(I + "inRange", {{I + "p_test", {"10"}}, {I + "p_from", {"1"}}, {I + "p_to", {"10"}}}), "false");
  EXPECT_EQ(one(I + "inRange", {{I + "p_test", {"1"}}, {I + "p_from", {"1"}}}), "true");
  EXPECT_EQ(one(I + "inRange", {{I + "p_test", {"-1"}}, {I + "p_to", {"0"}}}), "true");
  EXPECT_TRUE(isError(one(I + "inRange", {{I + "p_test", {"x"}}})));
}

TEST(Idlab, SlugifyAndMime) {
  EXPECT_EQ(one(I + "slugify", {{I + "str", {"Hello, World!"}}}), "hello-world");
  EXPECT_EQ(one(I + "slugify", {{I + "str", {"  Crème Brûlée à Łódź  "}}}), "creme-brulee-a-lodz");
  EXPECT_EQ(one(I + "slugify", {{I + "str", {"Straße"}}}), "strasse");
  EXPECT_EQ(one(I + "getMIMEType", {{I + "str", {"report.PDF"}}}), "application/pdf");
  EXPECT_EQ(one(I + "getMIMEType", {{I + "str", {"data.csv"}}}), "text/csv");
  EXPECT_EQ(one(I + "getMIMEType", {{I + "str", {"noextension"}}}), "<none>");
}

TEST(Idlab, NormalizeDate) {
  EXPECT_EQ(one(I + "normalizeDate", {{I + "strDate", {"05/03/2024"}}, {I + "pattern", {"dd/MM/yyyy"}}}), "2024-03-05");
  EXPECT_EQ(one(I + "normalizeDate", {{I + "strDate", {"20240305"}}, {I + "pattern", {"yyyyMMdd"}}}), "2024-03-05");
  EXPECT_EQ(one(I + "normalizeDateWithLang",
                {{I + "strDate", {"5 maart 2024"}}, {I + "pattern", {"d MMMM yyyy"}}, {I + "lang", {"nl"}}}),
            "2024-03-05");
  EXPECT_EQ(one(I + "normalizeDateTime", {{I + "strDate", {"2024/03/05 7:05 PM"}}, {I + "pattern", {"yyyy/MM/dd h:mm a"}}}),
            "2024-03-05T19:05:00");
  EXPECT_EQ(one(I + "normalizeDateTimeWithLang",
                {{I + "strDate", {"mardi 5 mars 2024 08:00"}},
                 {I + "pattern", {"EEEE d MMMM yyyy HH:mm"}},
                 {I + "lang", {"fr"}}}),
            "2024-03-05T08:00:00");
  EXPECT_TRUE(isError(one(I + "normalizeDate", {{I + "strDate", {"31/04/2024"}}, {I + "pattern", {"dd/MM/yyyy"}}})));
}

}  // namespace
}  // namespace weft::fnml::test
