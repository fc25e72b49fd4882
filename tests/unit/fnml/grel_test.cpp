// SPDX-License-Identifier: Apache-2.0
// Unit tests of the GREL functions (engine/fnml/grel.cpp), with examples
// from the OpenRefine GREL manual (https://openrefine.org/docs/manual/grelfunctions).
#include <gtest/gtest.h>

#include "tests/unit/fnml/fnml_test_util.h"

namespace weft::fnml::test {
namespace {

using sources::ValueKind;

std::string s1(const std::string& fn, const std::string& v) { return one(G + fn, {{G + "valueParam", {v}}}); }
std::string s2(const std::string& fn, const std::string& v, const std::string& p2, const std::string& x) {
  return one(G + fn, {{G + "valueParam", {v}}, {G + p2, {x}}});
}

TEST(Grel, Case) {
  EXPECT_EQ(s1("toUpperCase", "abc déf ß"), "ABC DÉF ß");
  EXPECT_EQ(s1("toLowerCase", "ÀBC Ω"), "àbc ω");
  EXPECT_EQ(s1("string_toTitlecase", "the QUICK  brown fox"), "The Quick  Brown Fox");
  EXPECT_EQ(s1("string_toTitlecase", "élan vital"), "Élan Vital");
}

TEST(Grel, TrimAndLength) {
  EXPECT_EQ(s1("string_trim", " \t island \n"), "island");
  EXPECT_EQ(s1("string_trim", ""), "");
  EXPECT_EQ(s1("string_length", "héllo"), "5");  // code points, not bytes
  EXPECT_EQ(s1("string_length", ""), "0");
}

TEST(Grel, Substring) {
  auto sub = [](const std::string& s, const std::string& from, const std::string& to) {
    Inputs in{{G + "valueParam", {s}}, {G + "p_int_i_from", {from}}};
    if (!to.empty()) in.push_back({G + "p_int_i_opt_to", {to}});
    return one(G + "string_substring", in);
  };
  EXPECT_EQ(sub("profound", "3", ""), "found");
  EXPECT_EQ(sub("profound", "2", "4"), "of");
  EXPECT_EQ(sub("profound", "1", "-1"), "rofoun");
  EXPECT_EQ(sub("profound", "-3", ""), "und");
  EXPECT_EQ(sub("héllo", "1", "3"), "él");
  EXPECT_EQ(sub("abc", "2", "1"), "<none>");
  EXPECT_EQ(sub("abc", "0", "9"), "<none>");
  EXPECT_TRUE(isError(sub("abc", "one", "")));
}

TEST(Grel, Replace) {
  auto rep = [](const std::string& s, const std::string& f, const std::string& r) {
    return one(G + "string_replace", {{G + "valueParam", {s}}, {G + "param_find", {f}}, {G + "param_replace", {r}}});
  };
  EXPECT_EQ(rep("The cow jumps over the moon and moos", "oo", "ee"), "The cow jumps over the meen and mees");
  EXPECT_EQ(rep("a.b.c", ".", "-"), "a-b-c");  // literal, not a regex
  EXPECT_EQ(rep("a  b   c", "/\\s+/", " "), "a b c");
  EXPECT_EQ(rep("2024-03-05", "/(\\d+)-(\\d+)-(\\d+)/", "$3/$2/$1"), "05/03/2024");
  EXPECT_EQ(rep("abc", "/x*/", "-"), "-a-b-c-");
  EXPECT_EQ(rep("abc", "", "-"), "-a-b-c-");
  EXPECT_TRUE(isError(rep("abc", "/(/", "")));
  EXPECT_TRUE(isError(rep("abc", "/a/", "$2")));
}

TEST(Grel, ReplaceChars) {
  EXPECT_EQ(one(G + "string_replaceChars",
                {{G + "valueParam", {"Téxt thát"}}, {G + "param_find", {"éá"}}, {G + "param_replace", {"ea"}}}),
            "Text that");
  EXPECT_TRUE(isError(one(G + "string_replaceChars",
                          {{G + "valueParam", {"x"}}, {G + "param_find", {"ab"}}, {G + "param_replace", {"a"}}})));
}

TEST(Grel, ContainsStartsEnds) {
  EXPECT_EQ(s2("string_contains", "food", "param_string_sub", "oo"), "true");
  EXPECT_EQ(s2("string_contains", "food", "param_string_sub", "ee"), "false");
  EXPECT_EQ(s2("string_contains", "food", "param_string_sub", "/o+d/"), "true");
  EXPECT_EQ(s2("string_startsWith", "food", "string_sub", "foo"), "true");
  EXPECT_EQ(s2("string_startsWith", "food", "string_sub", "bar"), "false");
  EXPECT_EQ(s2("string_endsWith", "food", "string_sub", "ood"), "true");
  EXPECT_EQ(s2("string_endsWith", "food", "string_sub", "odd"), "false");
  auto r = run(G + "string_contains", {{G + "valueParam", {"a"}}, {G + "param_string_sub", {"a"}}});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].kind, ValueKind::kBoolean);
}

TEST(Grel, IndexOf) {
  EXPECT_EQ(s2("string_indexOf", "internationalization", "param_string_sub", "nation"), "5");
  EXPECT_EQ(s2("string_indexOf", "internationalization", "param_string_sub", "world"), "-1");
  EXPECT_EQ(s2("string_lastIndexOf", "parallel", "param_string_sub", "a"), "3");
  EXPECT_EQ(s2("string_indexOf", "éa", "param_string_sub", "a"), "1");
}

TEST(Grel, Chomp) {
  EXPECT_EQ(s2("string_chomp", "hardly", "param_string_sep", "ly"), "hard");
  EXPECT_EQ(s2("string_chomp", "hard", "param_string_sep", "ly"), "hard");
}

TEST(Grel, Split) {
  EXPECT_EQ(s2("string_split", "fire, water, earth, air", "param_string_sep", ", "), "fire | water | earth | air");
  EXPECT_EQ(s2("string_split", "a,,b", "param_string_sep", ","), "a |  | b");
  EXPECT_EQ(s2("string_split", "a1b22c", "param_string_sep", "/\\d+/"), "a | b | c");
  EXPECT_EQ(s2("string_split", "abc", "param_string_sep", ""), "a | b | c");
  EXPECT_EQ(s2("string_split", "abc", "param_string_sep", ";"), "abc");
}

TEST(Grel, Match) {
  EXPECT_EQ(s2("string_match", "230.22398, 12.3480", "param_regex", "/.*(\\d\\d\\d\\d)/"), "3480");
  EXPECT_EQ(s2("string_match", "abc", "param_regex", "/(a)(b)(c)/"), "a | b | c");
  EXPECT_EQ(s2("string_match", "abcd", "param_regex", "/(a)(b)(c)/"), "<none>");  // whole string
  EXPECT_TRUE(isError(s2("string_match", "abc", "param_regex", "abc")));
}

TEST(Grel, Arrays) {
  auto arr = [](const std::string& fn, std::vector<std::string> items, Inputs more = {}) {
    Inputs in{{G + "param_a", std::move(items)}};
    for (auto& m : more) in.push_back(m);
    return one(G + fn, in);
  };
  EXPECT_EQ(arr("array_join", {"a", "b"}, {{G + "p_string_sep", {"; "}}}), "a; b");
  EXPECT_EQ(arr("array_length", {"a", "b", "c"}), "3");
  EXPECT_EQ(arr("array_sum", {"1", "2.5", "3"}), "6.5");
  EXPECT_EQ(arr("array_reverse", {"a", "b", "c"}), "c | b | a");
  EXPECT_EQ(arr("array_sort", {"10", "9", "100"}), "9 | 10 | 100");
  EXPECT_EQ(arr("array_sort", {"b", "a", "C"}), "C | a | b");
  EXPECT_EQ(arr("array_uniques", {"a", "b", "a", "c", "b"}), "a | b | c");
  EXPECT_EQ(arr("array_get", {"a", "b", "c"}, {{G + "p_int_i_from", {"1"}}}), "b");
  EXPECT_EQ(arr("array_get", {"a", "b", "c"}, {{G + "p_int_i_from", {"-1"}}}), "c");
  EXPECT_EQ(arr("array_get", {"a", "b", "c"}, {{G + "p_int_i_from", {"0"}}, {G + "p_int_i_opt_to", {"2"}}}), "a | b");
  EXPECT_EQ(arr("array_slice", {"a", "b", "c"}, {{G + "p_int_i_from", {"1"}}}), "b | c");
  EXPECT_TRUE(isError(arr("array_sum", {"1", "x"})));
}

TEST(Grel, Hashes) {
  EXPECT_EQ(s1("string_md5", ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(s1("string_md5", "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(s1("string_sha1", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(Grel, Escape) {
  auto esc = [](const std::string& s, const std::string& mode) {
    return one(G + "escape", {{G + "valueParam", {s}}, {G + "modeParam", {mode}}});
  };
  auto unesc = [](const std::string& s, const std::string& mode) {
    return one(G + "string_unescape", {{G + "valueParam", {s}}, {G + "modeParameter", {mode}}});
  };
  EXPECT_EQ(esc("<a href=\"x\">'&'</a>", "html"), "&lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt;");
  EXPECT_EQ(esc("'&'", "xml"), "&apos;&amp;&apos;");
  EXPECT_EQ(esc("a b&c=é", "url"), "a+b%26c%3D%C3%A9");
  EXPECT_EQ(esc("a,b", "csv"), "\"a,b\"");
  EXPECT_EQ(esc("say \"hi\"", "csv"), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(esc("plain", "csv"), "plain");
  EXPECT_EQ(esc("a\"b\n/", "javascript"), "a\\\"b\\n\\/");
  EXPECT_TRUE(isError(esc("x", "base64")));
  EXPECT_EQ(unesc("&lt;&amp;&#233;&#x41;&nbsp;&bogus;", "html"), "<&éA\xC2\xA0&bogus;");
  EXPECT_EQ(unesc("a+b%26c%3D%C3%A9", "url"), "a b&c=é");
  EXPECT_TRUE(isError(unesc("%G1", "url")));
  EXPECT_EQ(unesc("\"say \"\"hi\"\"\"", "csv"), "say \"hi\"");
  EXPECT_EQ(unesc("a\\\"b\\n\\u00e9", "javascript"), "a\"b\né");
}

TEST(Grel, ToStringAndNumber) {
  EXPECT_EQ(one(G + "string_toString", {{G + "param_any_e", {"42"}}}), "42");
  auto num = [](const std::string& s) { return run(G + "string_toNumber", {{G + "p_any_e", {s}}}); };
  auto r = num(" 0042 ");
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].text, "42");
  EXPECT_EQ(r.value()[0].kind, ValueKind::kInteger);
  r = num("-3.1400");
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].text, "-3.14");
  EXPECT_EQ(r.value()[0].kind, ValueKind::kDecimal);
  r = num("1.5e3");
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].text, "1500");
  EXPECT_FALSE(num("abc").isOk());
}

TEST(Grel, Booleans) {
  auto lst = [](const std::string& fn, std::vector<std::string> v) {
    return one(G + fn, {{G + "bool_array_b", std::move(v)}});
  };
  EXPECT_EQ(lst("boolean_and", {"true", "true"}), "true");
  EXPECT_EQ(lst("boolean_and", {"true", "false"}), "false");
  EXPECT_EQ(lst("boolean_or", {"false", "TRUE"}), "true");
  EXPECT_EQ(lst("boolean_xor", {"true", "true"}), "false");
  EXPECT_EQ(lst("boolean_xor", {"true", "false"}), "true");
  EXPECT_TRUE(isError(lst("boolean_and", {"yes"})));
  EXPECT_EQ(one(G + "boolean_not", {{G + "param_b", {"false"}}}), "true");
}

TEST(Grel, IfAndCoalesce) {
  EXPECT_EQ(one(G + "controls_if", {{G + "param_b", {"true"}}, {G + "param_true", {"yes"}}, {G + "param_false", {"no"}}}),
            "yes");
  EXPECT_EQ(one(G + "controls_if", {{G + "bool_b", {"false"}}, {G + "any_true", {"yes"}}, {G + "any_false", {"no"}}}),
            "no");
  EXPECT_EQ(one(G + "controls_if", {{G + "param_b", {"false"}}, {G + "param_true", {"yes"}}}), "<none>");
  EXPECT_EQ(one(G + "other_coalesce", {{G + "param_any_rep_e", {"first", "second"}}}), "first");
  EXPECT_EQ(one(G + "other_coalesce", {}), "<none>");
}

TEST(Grel, Math) {
  auto m1 = [](const std::string& fn, const std::string& n) { return one(G + fn, {{G + "param_dec_n", {n}}}); };
  EXPECT_EQ(m1("math_floor", "2.7"), "2");
  EXPECT_EQ(m1("math_floor", "-2.2"), "-3");
  EXPECT_EQ(m1("math_ceil", "2.1"), "3");
  EXPECT_EQ(m1("math_round", "2.5"), "3");
  EXPECT_EQ(m1("math_round", "-2.5"), "-2");
  EXPECT_EQ(m1("math_abs", "-1.25"), "1.25");
  EXPECT_EQ(one(G + "math_min", {{G + "param_dec_n", {"3"}}, {G + "param_dec_n2", {"-1.5"}}}), "-1.5");
  EXPECT_EQ(one(G + "math_max", {{G + "param_dec_n", {"3"}}, {G + "param_n2", {"-1.5"}}}), "3");
  EXPECT_EQ(one(G + "math_pow", {{G + "param_dec_n", {"2"}}, {G + "param_dec_n_exp", {"10"}}}), "1024");
  EXPECT_EQ(one(G + "math_mod", {{G + "param_int_i", {"7"}}, {G + "param_int_i2", {"3"}}}), "1");
  EXPECT_EQ(one(G + "math_mod", {{G + "param_int_i", {"-7"}}, {G + "param_int_i2", {"3"}}}), "-1");
  EXPECT_TRUE(isError(one(G + "math_mod", {{G + "param_int_i", {"7"}}, {G + "param_int_i2", {"0"}}})));
  EXPECT_TRUE(isError(m1("math_floor", "abc")));
}

TEST(Grel, ToDate) {
  auto r = run(G + "date_toDate", {{G + "valueParam", {"05/03/2024"}}, {G + "param_string_pattern", {"dd/MM/yyyy"}}});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].text, "2024-03-05");
  EXPECT_EQ(r.value()[0].datatype, "http://www.w3.org/2001/XMLSchema#date");
  r = run(G + "date_toDate", {{G + "valueParam", {"05/03/2024 14:30"}}, {G + "p_string_pattern", {"dd/MM/yyyy HH:mm"}}});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].text, "2024-03-05T14:30:00");
  EXPECT_EQ(r.value()[0].datatype, "http://www.w3.org/2001/XMLSchema#dateTime");
}

}  // namespace
}  // namespace weft::fnml::test
