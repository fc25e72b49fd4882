// SPDX-License-Identifier: Apache-2.0
// Unit tests for the JSONPath engine (RFC 9535): selectors, segments,
// filters, functions, Normalized Paths, errors and RML references. The
// compliance suite runs separately (tests/conformance/jsonpath_conformance).
#include "engine/jsonpath/jsonpath.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/jsonpath/internal/iregexp.h"

namespace weft::jsonpath {
namespace {

std::string toJson(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

// The nodelist of `query` over `json`, as "path=value" joined by spaces.
std::string run(std::string_view query, const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  EXPECT_FALSE(doc.HasParseError()) << json;
  auto q = Query::compile(query);
  EXPECT_TRUE(q.isOk()) << query << ": " << q.status().message();
  if (!q.isOk()) return "<error>";
  std::vector<Node> nodes;
  q->selectWithPaths(doc, &nodes);
  std::vector<const rapidjson::Value*> plain;
  q->select(doc, &plain);
  EXPECT_EQ(plain.size(), nodes.size()) << query;
  std::string out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i < plain.size()) {
      EXPECT_EQ(plain[i], nodes[i].value) << query;
    }
    if (!out.empty()) out += ' ';
    out += nodes[i].path + "=" + toJson(*nodes[i].value);
  }
  return out;
}

const char* kStore = R"({"store": {
  "book": [
    {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
    {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99}
  ],
  "bicycle": {"color": "red", "price": 399}}})";

TEST(JsonPath, RootAndNames) {
  EXPECT_EQ(run("$", R"({"a":1})"), R"($={"a":1})");
  EXPECT_EQ(run("$.a", R"({"a":1})"), "$['a']=1");
  EXPECT_EQ(run("$['a b']", R"({"a b":2})"), "$['a b']=2");
  EXPECT_EQ(run("$[\"a\",'b']", R"({"b":2,"a":1})"), "$['a']=1 $['b']=2");
  EXPECT_EQ(run("$.missing", R"({"a":1})"), "");
  EXPECT_EQ(run("$.a", "[1]"), "");
}

TEST(JsonPath, WildcardIndexSlice) {
  EXPECT_EQ(run("$[*]", "[1,2]"), "$[0]=1 $[1]=2");
  EXPECT_EQ(run("$.*", R"({"x":1,"y":[2]})"), "$['x']=1 $['y']=[2]");
  EXPECT_EQ(run("$[-1]", "[1,2,3]"), "$[2]=3");
  EXPECT_EQ(run("$[3]", "[1,2,3]"), "");
  EXPECT_EQ(run("$[1:3]", "[0,1,2,3,4]"), "$[1]=1 $[2]=2");
  EXPECT_EQ(run("$[::2]", "[0,1,2,3,4]"), "$[0]=0 $[2]=2 $[4]=4");
  EXPECT_EQ(run("$[::-1]", "[0,1,2]"), "$[2]=2 $[1]=1 $[0]=0");
  EXPECT_EQ(run("$[5:1:-2]", "[0,1,2,3,4,5,6]"), "$[5]=5 $[3]=3");
  EXPECT_EQ(run("$[1:2:0]", "[0,1,2]"), "");
}

TEST(JsonPath, Descendants) {
  EXPECT_EQ(run("$..a", R"({"a":1,"b":{"a":2,"c":[{"a":3}]}})"),
            "$['a']=1 $['b']['a']=2 $['b']['c'][0]['a']=3");
  EXPECT_EQ(run("$..[0]", "[[1],[2]]"), "$[0]=[1] $[0][0]=1 $[1][0]=2");
  EXPECT_EQ(run("$..*", R"({"o":{"x":1}})"), R"($['o']={"x":1} $['o']['x']=1)");
}

TEST(JsonPath, Filters) {
  EXPECT_EQ(run("$.store.book[?@.price < 9].title", kStore),
            R"($['store']['book'][0]['title']="Sayings" $['store']['book'][2]['title']="Moby Dick")");
  EXPECT_EQ(run("$.store.book[?@.isbn].author", kStore), R"($['store']['book'][2]['author']="Herman Melville")");
  EXPECT_EQ(run("$.store.book[?!@.isbn && @.category == 'fiction'].price", kStore),
            "$['store']['book'][1]['price']=12.99");
  EXPECT_EQ(run("$..book[?@.price == $.store.book[0].price].title", kStore),
            R"($['store']['book'][0]['title']="Sayings")");
  EXPECT_EQ(run("$[?@ == 1 || (@ > 2 && @ != 4)]", "[1,2,3,4,5]"), "$[0]=1 $[2]=3 $[4]=5");
  // Comparison rules (2.3.5.2.2): missing == missing, int == double, deep equality.
  EXPECT_EQ(run("$[?@.a == @.b]", R"([{"x":1},{"a":1,"b":1.0},{"a":[1,{"k":2}],"b":[1,{"k":2}]},{"a":1}])"),
            R"($[0]={"x":1} $[1]={"a":1,"b":1.0} $[2]={"a":[1,{"k":2}],"b":[1,{"k":2}]})");
  EXPECT_EQ(run("$[?@ < 'b']", R"(["a","b",1,true])"), R"($[0]="a")");
  EXPECT_EQ(run("$[?@.a <= null]", R"([{"a":null},{"a":0}])"), R"($[0]={"a":null})");
}

TEST(JsonPath, Functions) {
  EXPECT_EQ(run("$[?length(@) == 2]", R"(["ab","é€",[1,2],{"a":1},3])"), R"($[0]="ab" $[1]="é€" $[2]=[1,2])");
  EXPECT_EQ(run("$[?count(@.*) == 1]", R"([{"a":1},{"a":1,"b":2},[3]])"), R"($[0]={"a":1} $[2]=[3])");
  EXPECT_EQ(run("$[?match(@.d, '1974-05-..')]", R"([{"d":"1974-05-01"},{"d":"1974-05-011"}])"),
            R"($[0]={"d":"1974-05-01"})");
  EXPECT_EQ(run("$[?search(@, '[bc]')]", R"(["abc","xyz",1])"), R"($[0]="abc")");
  EXPECT_EQ(run("$[?match(@, '\\\\p{Lu}.*')]", R"(["Élan","élan"])"), R"($[0]="Élan")");
  EXPECT_EQ(run("$[?value(@..c) == 1]", R"([{"c":1},{"a":{"c":1},"c":2},{"b":{"c":1}}])"),
            R"($[0]={"c":1} $[2]={"b":{"c":1}})");
  // A pattern from the document, and an invalid one (no match, no error).
  EXPECT_EQ(run("$[?match(@.s, @.p)]", R"([{"s":"aa","p":"a+"},{"s":"a","p":"("}])"),
            R"($[0]={"s":"aa","p":"a+"})");
  // '.' does not match \n or \r (I-Regexp).
  EXPECT_EQ(run("$[?match(@, 'a.b')]", R"(["a\nb","a-b"])"), R"($[1]="a-b")");
}

TEST(JsonPath, NormalizedPathEscapes) {
  EXPECT_EQ(run("$.*", R"({"it's":1,"a\\b":2,"\u0001\n":3})"),
            R"($['it\'s']=1 $['a\\b']=2 $['\u0001\n']=3)");
}

TEST(JsonPath, SyntaxErrors) {
  struct Case {
    const char* query;
    const char* needle;
  };
  const Case cases[] = {
      {"a", "column 1: expected '$'"},
      {"$.", "column 3: expected a member name"},
      {"$[", "column 3: expected a selector"},
      {"$[1", "column 4: expected ',' or ']'"},
      {"$[01]", "column 3: expected an integer without leading zeros"},
      {"$[-0]", "other than -0"},
      {"$[9007199254740992]", "between"},
      {"$ ", "whitespace"},
      {"$[?@.a == @.*]", "singular query"},
      {"$[?length(@.*) == 1]", "argument 1 of length()"},
      {"$[?length(@)]", "not a test"},
      {"$[?match(@, 'a') == true]", "cannot be compared"},
      {"$[?foo(@)]", "known function"},
      {"$[?1]", "comparison operator after a literal"},
      {"$['a", "closing ' quote"},
      {"$['\\x']", "an escape"},
      {"$[?@.a==1", "',' or ']'"},
      {"$[?count(1) == 1]", "a nodelist"},
      {"$[?!@.a == 1]", "negated"},
  };
  for (const Case& c : cases) {
    auto q = Query::compile(c.query);
    ASSERT_FALSE(q.isOk()) << c.query;
    EXPECT_EQ(q.status().code(), StatusCode::kSyntaxError);
    EXPECT_NE(q.status().message().find(c.needle), std::string::npos) << c.query << " -> " << q.status().message();
  }
}

TEST(JsonPath, ColumnsCountCharacters) {
  auto q = Query::compile("$['é'] x");
  ASSERT_FALSE(q.isOk());
  EXPECT_NE(q.status().message().find("column 7"), std::string::npos) << q.status().message();
}

TEST(JsonPath, DeepNestingIsAnError) {
  std::string q = "$[?";
  for (int i = 0; i < 1000; ++i) q += "(";
  q += "@";
  for (int i = 0; i < 1000; ++i) q += ")";
  q += "]";
  EXPECT_FALSE(Query::compile(q).isOk());
  std::string filters = "$";
  for (int i = 0; i < 1000; ++i) filters += "[?@";
  for (int i = 0; i < 1000; ++i) filters += "]";
  EXPECT_FALSE(Query::compile(filters).isOk());
}

TEST(JsonPath, SimpleSteps) {
  std::vector<SimpleStep> steps;
  ASSERT_TRUE(Query::compile("$.batches[*]")->simpleSteps(&steps));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_FALSE(steps[0].wildcard);
  EXPECT_EQ(steps[0].name, "batches");
  EXPECT_TRUE(steps[1].wildcard);
  EXPECT_TRUE(Query::compile("$")->simpleSteps(&steps));
  EXPECT_TRUE(steps.empty());
  EXPECT_TRUE(Query::compile("$['a b'].*")->simpleSteps(&steps));
  EXPECT_FALSE(Query::compile("$..a")->simpleSteps(&steps));
  EXPECT_FALSE(Query::compile("$[0]")->simpleSteps(&steps));
  EXPECT_FALSE(Query::compile("$[?@.a]")->simpleSteps(&steps));
  EXPECT_FALSE(Query::compile("$['a','b']")->simpleSteps(&steps));
}

TEST(JsonPath, RmlReferences) {
  rapidjson::Document doc;
  doc.Parse(R"({"name":"Venus","a":{"b":[1,2]},"Country Code":"BE","ISO 3166":"X","@id":"i","k-x":3})");
  auto one = [&](std::string_view ref) -> std::string {
    auto q = Query::compileReference(ref);
    EXPECT_TRUE(q.isOk()) << ref << ": " << q.status().message();
    if (!q.isOk()) return "<error>";
    std::vector<const rapidjson::Value*> out;
    q->select(doc, &out);
    std::string s;
    for (auto* v : out) s += (s.empty() ? "" : " ") + toJson(*v);
    return s;
  };
  EXPECT_EQ(one("name"), "\"Venus\"");
  EXPECT_EQ(one("$.name"), "\"Venus\"");
  EXPECT_EQ(one("@.name"), "\"Venus\"");
  EXPECT_EQ(one("a.b"), "[1,2]");
  EXPECT_EQ(one("a.b[*]"), "1 2");
  EXPECT_EQ(one("[\"name\"]"), "\"Venus\"");
  EXPECT_EQ(one("Country Code"), "\"BE\"");
  EXPECT_EQ(one("ISO 3166"), "\"X\"");
  EXPECT_EQ(one("k-x"), "3");
  EXPECT_EQ(one("$['Country Code']"), "\"BE\"");
  EXPECT_FALSE(Query::compileReference("$.students[*]]").isOk());
}

TEST(IRegexp, Translation) {
  using internal::translateIRegexp;
  EXPECT_TRUE(translateIRegexp("a(b|c)*[^x-z\\p{L}]{2,3}\\.").has_value());
  EXPECT_FALSE(translateIRegexp("a{2").has_value());
  EXPECT_FALSE(translateIRegexp("\\d").has_value());       // no multi-char escapes
  EXPECT_FALSE(translateIRegexp("(?:a)").has_value());     // no extensions
  EXPECT_FALSE(translateIRegexp("a**").has_value());
  EXPECT_FALSE(translateIRegexp("[]").has_value());
  EXPECT_FALSE(translateIRegexp("\\p{IsBasicLatin}").has_value());
  EXPECT_TRUE(translateIRegexp("[-a]").has_value());
  EXPECT_TRUE(translateIRegexp("[a-]").has_value());
  EXPECT_FALSE(translateIRegexp("[a-b-c]").has_value());
  auto full = internal::Regex::compile("ab", true);
  ASSERT_NE(full, nullptr);
  EXPECT_TRUE(full->matches("ab"));
  EXPECT_FALSE(full->matches("abc"));
  EXPECT_FALSE(full->matches("ab\n"));
  auto part = internal::Regex::compile("b", false);
  EXPECT_TRUE(part->matches("abc"));
}

}  // namespace
}  // namespace weft::jsonpath
