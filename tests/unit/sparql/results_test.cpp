// SPDX-License-Identifier: Apache-2.0
// Tests of engine/sparql/results.h: writers and readers of the JSON, XML,
// CSV and TSV result formats (round trips, escaping), the table writer, the
// rs: vocabulary and result comparison with blank node matching.
#include "engine/sparql/results.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "engine/rdf/graph_compare.h"

namespace weft::sparql {
namespace {

using rdf::Term;
const std::string kXsdI = std::string(rdf::kXsd);

// Runs `fn` on a writer into a temporary file and returns what it wrote.
template <typename Fn>
std::string written(ResultFormat f, Fn fn) {
  std::FILE* tmp = std::tmpfile();
  EXPECT_NE(tmp, nullptr);
  auto w = makeResultWriter(f, tmp);
  EXPECT_NE(w, nullptr);
  fn(*w);
  std::fflush(tmp);
  std::rewind(tmp);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, tmp)) > 0) out.append(buf, n);
  std::fclose(tmp);
  return out;
}

std::string write(ResultFormat f, const ResultSet& rs) {
  return written(f, [&](ResultWriter& w) {
    if (rs.is_boolean) {
      EXPECT_TRUE(w.boolean(rs.boolean).isOk());
      return;
    }
    EXPECT_TRUE(w.begin(rs.vars).isOk());
    for (const auto& row : rs.rows) EXPECT_TRUE(w.row(row).isOk());
    EXPECT_TRUE(w.end().isOk());
  });
}

ResultSet sample() {
  ResultSet rs;
  rs.vars = {"s", "o", "x"};
  rs.rows.push_back({Term::iri("http://example.org/s1"), Term::literal("plain"), Term()});
  rs.rows.push_back({Term::blank("b0"), Term::literal("chat", "", "fr"), Term::iri("http://e/x?a=1&b=<2>")});
  rs.rows.push_back({Term::iri("http://example.org/s2"), Term::literal("42", kXsdI + "integer"),
                     Term::literal("-5.5", kXsdI + "decimal")});
  rs.rows.push_back({Term::iri("http://example.org/s3"), Term::literal("1.0E6", kXsdI + "double"),
                     Term::literal("5,5", "http://example.org/myType")});
  rs.rows.push_back({Term(), Term::literal("quote \" back \\ nl \n tab \t cr \r amp & lt < gt >"),
                     Term::literal("日本語 ü", "", "ja")});
  rs.rows.push_back({Term::blank("b1"), Term::literal(""), Term::literal("07", kXsdI + "integer")});
  rs.rows.push_back({Term(), Term(), Term()});
  return rs;
}

void roundTrip(ResultFormat f, bool lossy) {
  ResultSet in = sample();
  std::string text = write(f, in);
  auto out = parseResults(text, f);
  ASSERT_TRUE(out.isOk()) << out.status().toString() << "\n" << text;
  std::string why;
  EXPECT_TRUE(equivalentResults(in, out.value(), true, &why, lossy)) << why << "\n" << text;
  // Blank node labels are kept, so even exact ordered equality holds.
  if (!lossy) {
    EXPECT_EQ(in.rows, out.value().rows) << text;
  }

  for (bool b : {true, false}) {
    ResultSet ask;
    ask.is_boolean = true;
    ask.boolean = b;
    auto back = parseResults(write(f, ask), f);
    ASSERT_TRUE(back.isOk()) << back.status().toString();
    EXPECT_TRUE(back.value().is_boolean);
    EXPECT_EQ(back.value().boolean, b);
  }
}

TEST(ResultsRoundTrip, Json) { roundTrip(ResultFormat::kJson, false); }
TEST(ResultsRoundTrip, Xml) { roundTrip(ResultFormat::kXml, false); }
TEST(ResultsRoundTrip, Tsv) { roundTrip(ResultFormat::kTsv, false); }
TEST(ResultsRoundTrip, CsvLossy) { roundTrip(ResultFormat::kCsv, true); }

TEST(ResultsRoundTrip, EmptyResultAndNoVariables) {
  for (ResultFormat f : {ResultFormat::kJson, ResultFormat::kXml, ResultFormat::kTsv}) {
    ResultSet rs;
    rs.vars = {"a"};
    auto back = parseResults(write(f, rs), f);
    ASSERT_TRUE(back.isOk()) << back.status().toString();
    EXPECT_EQ(back.value().vars, rs.vars);
    EXPECT_TRUE(back.value().rows.empty());
  }
}

TEST(ResultsJson, LiteralFields) {
  ResultSet rs;
  rs.vars = {"a", "b", "c"};
  rs.rows.push_back({Term::literal("x"), Term::literal("y", "", "en"), Term::literal("1", kXsdI + "integer")});
  std::string j = write(ResultFormat::kJson, rs);
  EXPECT_NE(j.find("{\"type\":\"literal\",\"value\":\"x\"}"), std::string::npos) << j;
  EXPECT_NE(j.find("\"xml:lang\":\"en\"}"), std::string::npos) << j;
  EXPECT_EQ(j.find("langString"), std::string::npos) << j;
  EXPECT_NE(j.find("\"datatype\":\"http://www.w3.org/2001/XMLSchema#integer\""), std::string::npos);
  EXPECT_NE(j.find("\"head\":{\"vars\":[\"a\",\"b\",\"c\"]}"), std::string::npos) << j;
}

TEST(ResultsJson, ReadsSpecExample) {
  const char* text = R"({
    "head": { "vars": [ "book", "title" ], "link": ["x"] },
    "results": { "bindings": [
      { "book": { "type": "uri", "value": "http://example.org/book/book6" },
        "title": { "type": "typed-literal", "value": "7",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer" } },
      { "book": { "type": "bnode", "value": "r2" } }
    ] } })";
  auto rs = parseResults(text, ResultFormat::kJson);
  ASSERT_TRUE(rs.isOk()) << rs.status().toString();
  ASSERT_EQ(rs.value().rows.size(), 2u);
  EXPECT_EQ(rs.value().rows[0][1], Term::literal("7", kXsdI + "integer"));
  EXPECT_EQ(rs.value().rows[1][0], Term::blank("r2"));
  EXPECT_TRUE(rs.value().rows[1][1].isNone());
  EXPECT_FALSE(parseResults("{\"head\":{}", ResultFormat::kJson).isOk());
  EXPECT_FALSE(parseResults("{\"head\":{}}", ResultFormat::kJson).isOk());
}

TEST(ResultsXml, Escaping) {
  ResultSet rs;
  rs.vars = {"v"};
  rs.rows.push_back({Term::literal("a<b & \"c\" \r", "http://e/dt?x=1&y=\"2\"")});
  std::string x = write(ResultFormat::kXml, rs);
  EXPECT_NE(x.find("<literal datatype=\"http://e/dt?x=1&amp;y=&quot;2&quot;\">a&lt;b &amp; \"c\" &#13;</literal>"),
            std::string::npos)
      << x;
}

TEST(ResultsXml, ReadsCommentsCdataEntitiesAndPrefixes) {
  const char* text = R"(<?xml version="1.0" encoding="utf-8"?>
<!-- a comment -->
<r:sparql xmlns:r="http://www.w3.org/2005/sparql-results#">
  <r:head><r:variable name="x"/><r:variable name='y'/><r:link href="z"/></r:head>
  <r:results>
    <r:result>
      <r:binding name="x"><r:literal xml:lang="en"><![CDATA[<raw>]]> &amp;&#x41;&#66;</r:literal></r:binding>
      <!-- y unbound -->
    </r:result>
    <r:result><r:binding name="y"><r:uri> http://e/ </r:uri></r:binding></r:result>
  </r:results>
</r:sparql>
)";
  auto rs = parseResults(text, ResultFormat::kXml);
  ASSERT_TRUE(rs.isOk()) << rs.status().toString();
  ASSERT_EQ(rs.value().rows.size(), 2u);
  EXPECT_EQ(rs.value().rows[0][0], Term::literal("<raw> &AB", "", "en"));
  EXPECT_TRUE(rs.value().rows[0][1].isNone());
  EXPECT_EQ(rs.value().rows[1][1], Term::iri("http://e/"));
  auto bad = parseResults("<sparql><head></sparql>", ResultFormat::kXml);
  EXPECT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), StatusCode::kSyntaxError);
}

TEST(ResultsCsv, Quoting) {
  ResultSet rs;
  rs.vars = {"a", "b", "c"};
  rs.rows.push_back({Term::literal("x,\"y\""), Term::iri("http://e/"), Term::blank("n1")});
  rs.rows.push_back({Term::literal("line\nbreak"), Term(), Term::literal("")});
  std::string c = write(ResultFormat::kCsv, rs);
  EXPECT_EQ(c, "a,b,c\r\n\"x,\"\"y\"\"\",http://e/,_:n1\r\n\"line\nbreak\",,\"\"\r\n");
  auto back = parseResults(c, ResultFormat::kCsv);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back.value().rows[0][0], Term::literal("x,\"y\""));
  EXPECT_EQ(back.value().rows[0][2], Term::blank("n1"));
  EXPECT_TRUE(back.value().rows[1][1].isNone());
  EXPECT_EQ(back.value().rows[1][2], Term::literal(""));
}

TEST(ResultsTsv, TermSyntax) {
  ResultSet rs;
  rs.vars = {"a", "b"};
  rs.rows.push_back({Term::literal("4", kXsdI + "integer"), Term::literal("1.0e6", kXsdI + "double")});
  rs.rows.push_back({Term::literal("5.", kXsdI + "decimal"), Term::literal("a\tb")});
  std::string t = write(ResultFormat::kTsv, rs);
  EXPECT_EQ(t,
            "?a\t?b\n4\t1.0e6\n\"5.\"^^<http://www.w3.org/2001/XMLSchema#decimal>\t\"a\\u0009b\"\n");
  auto back = parseResults("?x\t?y\n<http://e/>\ttrue\n'a\\tb'@en\t-.5\n", ResultFormat::kTsv);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back.value().rows[0][1], Term::literal("true", kXsdI + "boolean"));
  EXPECT_EQ(back.value().rows[1][0], Term::literal("a\tb", "", "en"));
  EXPECT_EQ(back.value().rows[1][1], Term::literal("-.5", kXsdI + "decimal"));
  EXPECT_FALSE(parseResults("?x\n\"unterminated\n", ResultFormat::kTsv).isOk());
  EXPECT_FALSE(parseResults("x\n", ResultFormat::kTsv).isOk());
}

TEST(ResultsTable, AlignsByCodepoints) {
  ResultSet rs;
  rs.vars = {"name", "n"};
  rs.rows.push_back({Term::literal("日本", "", "ja"), Term::literal("12", kXsdI + "integer")});
  rs.rows.push_back({Term::iri("http://e/"), Term::literal("2024-01-01", kXsdI + "date")});
  std::string t = write(ResultFormat::kTable, rs);
  EXPECT_EQ(t,
            "| ?name       | ?n                     |\n"
            "|-------------|------------------------|\n"
            "| \"日本\"@ja     | 12                     |\n"
            "| <http://e/> | \"2024-01-01\"^^xsd:date |\n"
            "2 rows\n")
      << t;
  ResultSet ask;
  ask.is_boolean = true;
  EXPECT_EQ(write(ResultFormat::kTable, ask), "false\n");
}

TEST(ResultsWriter, WriteErrorIsIoError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  std::FILE* full = std::fopen("/dev/full", "w");
  ASSERT_NE(full, nullptr);
  auto w = makeResultWriter(ResultFormat::kJson, full);
  Status s = w->begin({"x"});
  std::vector<Term> row = {Term::literal(std::string(1000, 'x'))};
  for (int i = 0; i < 100 && s.isOk(); ++i) s = w->row(row);
  if (s.isOk()) s = w->end();
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.toString();
  std::fclose(full);
}

TEST(ResultsFormat, Names) {
  ResultFormat f;
  EXPECT_TRUE(resultFormatFromName("srj", &f));
  EXPECT_EQ(f, ResultFormat::kJson);
  EXPECT_TRUE(resultFormatFromName("XML", &f));
  EXPECT_EQ(f, ResultFormat::kXml);
  EXPECT_TRUE(resultFormatFromName("table", &f));
  EXPECT_FALSE(resultFormatFromName("yaml", &f));
  EXPECT_STREQ(resultFormatMediaType(ResultFormat::kJson), "application/sparql-results+json");
}

// ---- comparison

ResultSet table(std::vector<std::string> vars, std::vector<std::vector<Term>> rows) {
  ResultSet rs;
  rs.vars = std::move(vars);
  rs.rows = std::move(rows);
  return rs;
}

TEST(EquivalentResults, BlankNodesMatchedByBijection) {
  Term p = Term::iri("http://e/p");
  auto e = table({"s", "o"}, {{Term::blank("a"), Term::blank("b")}, {Term::blank("b"), p}, {p, p}});
  auto a = table({"o", "s"}, {{p, p}, {p, Term::blank("y")}, {Term::blank("y"), Term::blank("x")}});
  std::string why;
  EXPECT_TRUE(equivalentResults(e, a, false, &why)) << why;
  // Same shape, but the mapping would have to send _:b to two nodes.
  auto bad = table({"s", "o"}, {{Term::blank("x"), Term::blank("y")}, {Term::blank("z"), p}, {p, p}});
  EXPECT_FALSE(equivalentResults(e, bad, false, &why));
  EXPECT_NE(why.find("blank node"), std::string::npos) << why;
  // Two expected nodes cannot map to one.
  auto e2 = table({"s", "o"}, {{Term::blank("a"), Term::blank("b")}});
  auto a2 = table({"s", "o"}, {{Term::blank("x"), Term::blank("x")}});
  EXPECT_FALSE(equivalentResults(e2, a2, false));
  EXPECT_FALSE(equivalentResults(a2, e2, false));
}

TEST(EquivalentResults, MultisetsAndOrder) {
  Term x = Term::literal("1", kXsdI + "integer"), y = Term::literal("2", kXsdI + "integer");
  auto e = table({"v"}, {{x}, {y}, {x}});
  std::string why;
  EXPECT_TRUE(equivalentResults(e, table({"v"}, {{y}, {x}, {x}}), false, &why)) << why;
  EXPECT_FALSE(equivalentResults(e, table({"v"}, {{y}, {x}, {x}}), true, &why));
  EXPECT_NE(why.find("row 1"), std::string::npos) << why;
  EXPECT_FALSE(equivalentResults(e, table({"v"}, {{y}, {y}, {x}}), false, &why));
  EXPECT_NE(why.find("missing"), std::string::npos) << why;
  EXPECT_FALSE(equivalentResults(e, table({"v"}, {{x}, {y}}), false, &why));
  EXPECT_FALSE(equivalentResults(e, table({"w"}, {{x}, {y}, {x}}), false, &why));
  EXPECT_NE(why.find("variables"), std::string::npos) << why;
  // Numbers of one datatype compare by value; across datatypes never.
  EXPECT_TRUE(equivalentResults(table({"v"}, {{Term::literal("01", kXsdI + "integer")}}),
                                table({"v"}, {{x}}), false));
  EXPECT_FALSE(equivalentResults(table({"v"}, {{Term::literal("1.0", kXsdI + "decimal")}}),
                                 table({"v"}, {{x}}), false));
  // Ordered, with blank nodes.
  auto eb = table({"v"}, {{Term::blank("a")}, {x}, {Term::blank("a")}});
  EXPECT_TRUE(equivalentResults(eb, table({"v"}, {{Term::blank("q")}, {x}, {Term::blank("q")}}), true));
  EXPECT_FALSE(equivalentResults(eb, table({"v"}, {{Term::blank("q")}, {x}, {Term::blank("r")}}), true));
}

TEST(EquivalentResults, LanguageTagsIgnoreCase) {
  auto e = table({"v"}, {{Term::literal("a", "", "en-us")}});
  EXPECT_TRUE(equivalentResults(e, table({"v"}, {{Term::literal("a", "", "en-US")}}), false));
  EXPECT_TRUE(equivalentResults(e, table({"v"}, {{Term::literal("a", "", "EN-us")}}), true));
  EXPECT_FALSE(equivalentResults(e, table({"v"}, {{Term::literal("a", "", "en")}}), false));
  EXPECT_FALSE(equivalentResults(e, table({"v"}, {{Term::literal("a")}}), false));
}

TEST(EquivalentResults, Booleans) {
  ResultSet t, f;
  t.is_boolean = f.is_boolean = true;
  t.boolean = true;
  EXPECT_TRUE(equivalentResults(t, t, false));
  EXPECT_FALSE(equivalentResults(t, f, false));
  EXPECT_FALSE(equivalentResults(t, table({}, {}), false));
}

TEST(EquivalentResults, LossyCsv) {
  auto csv = parseResults("a,b\r\nhttp://e/,1\r\n_:x,chat\r\n", ResultFormat::kCsv);
  ASSERT_TRUE(csv.isOk());
  auto actual = table({"a", "b"}, {{Term::blank("n"), Term::literal("chat", "", "fr")},
                                   {Term::iri("http://e/"), Term::literal("1", kXsdI + "integer")}});
  std::string why;
  EXPECT_TRUE(equivalentResults(csv.value(), actual, false, &why, true)) << why;
  EXPECT_FALSE(equivalentResults(csv.value(), actual, false, &why, false));
}

TEST(ResultSetFromQuads, ReadsRsVocabulary) {
  const char* ttl = R"(
@prefix rs: <http://www.w3.org/2001/sw/DataAccess/tests/result-set#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
[] a rs:ResultSet ; rs:resultVariable "x", "y" ;
   rs:solution [ rs:index 2 ; rs:binding [ rs:variable "x" ; rs:value <http://e/b> ] ] ;
   rs:solution [ rs:index 1 ; rs:binding [ rs:variable "x" ; rs:value "a"@en ] ;
                              rs:binding [ rs:variable "y" ; rs:value _:n ] ] .
)";
  auto quads = rdf::parseQuads(ttl, rdf::Format::kTurtle);
  ASSERT_TRUE(quads.isOk()) << quads.status().toString();
  auto rs = resultSetFromQuads(quads.value());
  ASSERT_TRUE(rs.isOk()) << rs.status().toString();
  ASSERT_EQ(rs.value().vars.size(), 2u);
  auto expected = table({"y", "x"}, {{Term::blank("m"), Term::literal("a", "", "en")},
                                     {Term(), Term::iri("http://e/b")}});
  std::string why;
  EXPECT_TRUE(equivalentResults(rs.value(), expected, true, &why)) << why;

  auto ask = rdf::parseQuads(
      "@prefix rs: <http://www.w3.org/2001/sw/DataAccess/tests/result-set#> .\n"
      "[] a rs:ResultSet ; rs:boolean true .",
      rdf::Format::kTurtle);
  ASSERT_TRUE(ask.isOk());
  auto b = resultSetFromQuads(ask.value());
  ASSERT_TRUE(b.isOk());
  EXPECT_TRUE(b.value().is_boolean);
  EXPECT_TRUE(b.value().boolean);
  EXPECT_FALSE(resultSetFromQuads({}).isOk());
}

}  // namespace
}  // namespace weft::sparql
