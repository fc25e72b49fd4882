// SPDX-License-Identifier: Apache-2.0
// Unit tests of the function library's lookup and calling convention
// (engine/fnml/functions.h), and of every function the RML-FNML conformance
// cases use (shared/conformance/rml/rml-fnml/test-cases, RMLFNMLTC0001-0104).
#include <gtest/gtest.h>

#include <set>

#include "tests/unit/fnml/fnml_test_util.h"

namespace weft::fnml::test {
namespace {

using sources::Value;
using sources::ValueKind;

TEST(Library, FindAndLookup) {
  const Library& lib = Library::builtin();
  ASSERT_NE(lib.find(G + "toUpperCase"), nullptr);
  EXPECT_EQ(lib.find(G + "unknown_func"), nullptr);
  auto r = lib.lookup(G + "unknown_func");  // RMLFNMLTC0102
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("unknown_func"), std::string::npos);
  // Sorted, unique IRIs; every function has an implementation and an output.
  std::set<std::string> seen;
  for (const Function& f : lib.functions()) {
    EXPECT_TRUE(seen.insert(f.iri).second) << f.iri;
    EXPECT_NE(f.impl, nullptr) << f.iri;
    EXPECT_FALSE(f.outputs.empty()) << f.iri;
  }
  EXPECT_GT(lib.functions().size(), 70u);
}

TEST(Library, ParametersByResourceOrPredicate) {
  const Function* f = Library::builtin().find(G + "string_substring");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->paramIndex(G + "valueParam"), 0);
  EXPECT_EQ(f->paramIndex(G + "valueParameter"), 0);  // legacy fno:predicate
  EXPECT_EQ(f->paramIndex(G + "p_int_i_from"), 1);
  EXPECT_EQ(f->paramIndex(G + "param_int_i_from"), 1);
  EXPECT_EQ(f->paramIndex(G + "unknownParam"), -1);
  EXPECT_TRUE(f->params[0].required);
  EXPECT_FALSE(f->params[2].required);
  // RMLFNMLTC0103: an unknown parameter is an error naming it.
  auto p = Library::builtin().find(G + "toUpperCase")->resolveParam(G + "unknownParam");
  ASSERT_FALSE(p.isOk());
  EXPECT_NE(p.status().message().find("unknownParam"), std::string::npos);
  EXPECT_NE(p.status().message().find("toUpperCase"), std::string::npos);
}

TEST(Library, OutputsByResourceOrPredicate) {
  const Function* f = Library::builtin().find(G + "toUpperCase");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->outputIndex(G + "stringOut"), 0);
  EXPECT_EQ(f->outputIndex(G + "stringOutput"), 0);
  EXPECT_EQ(f->resolveOutput("").value(), 0u);
  // RMLFNMLTC0104: an unknown return is an error.
  auto o = f->resolveOutput(G + "unknownOut");
  ASSERT_FALSE(o.isOk());
  EXPECT_NE(o.status().message().find("unknownOut"), std::string::npos);
  EXPECT_TRUE(isError(one(G + "toUpperCase", {{G + "valueParam", {"x"}}}, G + "unknownOut")));
}

TEST(Library, CheckBound) {
  const Function* f = Library::builtin().find(G + "string_substring");
  EXPECT_TRUE(f->checkBound({true, true, false}).isOk());
  Status st = f->checkBound({true, false, true});
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("p_int_i_from"), std::string::npos);
}

TEST(Library, RequiredInputWithoutValueGivesNoOutput) {
  EXPECT_EQ(one(G + "toUpperCase", {}), "<none>");
  EXPECT_EQ(one(G + "string_substring", {{G + "valueParam", {"abc"}}}), "<none>");
}

TEST(Library, CartesianProductOverMultipleValues) {
  EXPECT_EQ(one(G + "toUpperCase", {{G + "valueParam", {"a", "b", "c"}}}), "A | B | C");
  EXPECT_EQ(one(I + "concat", {{I + "_str", {"a", "b"}}, {I + "_otherStr", {"1", "2"}}, {I + "_delimiter", {"-"}}}),
            "a-1 | a-2 | b-1 | b-2");
  // List parameters take all values at once.
  EXPECT_EQ(one(G + "array_join", {{G + "param_a", {"a", "b", "c"}}, {G + "param_string_sep", {","}}}), "a,b,c");
}

TEST(Library, ErrorsNameTheFunction) {
  auto r = run(G + "string_substring", {{G + "valueParam", {"abc"}}, {G + "p_int_i_from", {"x"}}});
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find(G + "string_substring"), std::string::npos);
  EXPECT_NE(r.status().message().find("not an integer"), std::string::npos);
}

TEST(Library, CallAllAndMultipleOutputs) {
  const Function* f = Library::builtin().find(F + "parseURL");
  ASSERT_NE(f, nullptr);
  std::vector<std::vector<Value>> args{{Value{"https://example.com/a/b", ValueKind::kString, {}, {}}}};
  std::vector<std::vector<Value>> outs;
  ASSERT_TRUE(f->callAll(args, &outs).isOk());
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[0][0].text, "https");
  EXPECT_EQ(outs[1][0].text, "example.com");
  EXPECT_EQ(outs[2][0].text, "a/b");
  EXPECT_EQ(one(F + "parseURL", {{F + "hasStringParameter", {"http://x.org/p"}}}, F + "domainOutput"), "x.org");
}

TEST(Library, AddReplacesOrInserts) {
  Library lib;
  Function f;
  f.iri = "http://example.com/f";
  f.outputs.push_back(Output{"http://example.com/out", "http://example.com/out"});
  f.impl = [](const Function&, const Args&, size_t, std::vector<Value>* out) {
    out->push_back(Value{"x", ValueKind::kString, {}, {}});
    return Status::ok();
  };
  lib.add(f);
  lib.add(f);
  EXPECT_EQ(lib.functions().size(), 1u);
  ASSERT_NE(lib.find("http://example.com/f"), nullptr);
  std::vector<Value> out;
  ASSERT_TRUE(lib.find("http://example.com/f")->call({}, 0, &out).isOk());
  EXPECT_EQ(out.at(0).text, "x");
}

// ---- the functions of the RML-FNML conformance cases ----

TEST(Conformance, Tc0001AlwaysReturnsABC) { EXPECT_EQ(one(I + "alwaysReturnsABC", {}, I + "_stringOut"), "ABC"); }

TEST(Conformance, Tc0002ToUpperCase) {
  EXPECT_EQ(one(G + "toUpperCase", {{G + "valueParam", {"Venus"}}}, G + "stringOut"), "VENUS");
  EXPECT_EQ(one(G + "toUpperCase", {{G + "valueParam", {"Name: Venus"}}}), "NAME: VENUS");  // TC0005
}

TEST(Conformance, Tc0003ToUpperCaseURL) {
  // The tests name the parameter by its predicate idlab-fn:str.
  EXPECT_EQ(one(I + "toUpperCaseURL", {{I + "str", {"http://example.com/venus"}}}), "HTTP://EXAMPLE.COM/VENUS");
  EXPECT_EQ(one(I + "toUpperCaseURL", {{I + "str", {"Venus"}}}), "http://VENUS");                   // TC0011
  EXPECT_EQ(one(I + "toUpperCaseURL", {{I + "_str", {"www.example.com"}}}), "http://WWW.EXAMPLE.COM");  // TC0031
}

TEST(Conformance, Tc0004StringLengthIsInteger) {
  auto r = run(G + "string_length", {{G + "valueParam", {"Venus"}}}, G + "output_number");
  ASSERT_TRUE(r.isOk());
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_EQ(r.value()[0].text, "5");
  EXPECT_EQ(r.value()[0].kind, ValueKind::kInteger);
}

TEST(Conformance, Tc0007And0008Substring) {
  EXPECT_EQ(one(G + "string_substring", {{G + "valueParam", {"Venus"}}, {G + "p_int_i_from", {"5"}}}), "");
  EXPECT_EQ(one(G + "string_substring", {{G + "valueParam", {"Venus"}}, {G + "p_int_i_from", {"1000"}}}), "<none>");
  EXPECT_EQ(one(G + "string_substring",
                {{G + "valueParam", {"http://www.w3.org/2001/XMLSchema#string"}}, {G + "p_int_i_from", {"0"}}}),
            "http://www.w3.org/2001/XMLSchema#string");  // TC0071
}

TEST(Conformance, Tc0021EscapeHtml) {
  EXPECT_EQ(one(G + "escape", {{G + "valueParam", {"A&B"}}, {G + "modeParam", {"html"}}}), "A&amp;B");
}

TEST(Conformance, Tc0032EqualIsBoolean) {
  auto r = run(I + "equal", {{G + "valueParam", {"A"}}, {G + "valueParam2", {"A"}}}, I + "_boolOut");
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value().at(0).text, "true");
  EXPECT_EQ(r.value().at(0).kind, ValueKind::kBoolean);
  EXPECT_EQ(one(I + "equal", {{G + "valueParam", {"B"}}, {G + "valueParam2", {"A"}}}), "false");
}

TEST(Conformance, Tc0051NestedReplaceThenUpper) {
  std::string inner =
      one(G + "string_replace", {{G + "valueParam", {"M Venus"}}, {G + "param_find", {" "}}, {G + "param_replace", {"-"}}});
  EXPECT_EQ(inner, "M-Venus");
  EXPECT_EQ(one(G + "toUpperCase", {{G + "valueParam", {inner}}}), "M-VENUS");
}

TEST(Conformance, TestFunctionsTtl) {
  EXPECT_EQ(one(F + "helloworld", {}), "Hello World!");
  EXPECT_EQ(one(F + "schema", {{F + "stringParameter", {"Person"}}}), "https://schema.org/Person");
}

}  // namespace
}  // namespace weft::fnml::test
