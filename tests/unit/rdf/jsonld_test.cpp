// SPDX-License-Identifier: Apache-2.0
// JSON-LD reader, expansion, writer and the RFC 3986 resolver.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/rdf/graph_compare.h"
#include "engine/rdf/internal/iri.h"
#include "engine/rdf/internal/jsonld.h"
#include "engine/rdf/internal/jsonld_json.h"
#include "engine/rdf/internal/jsonld_writer.h"
#include "engine/rdf/syntax.h"

namespace weft::rdf {
namespace {

namespace fs = std::filesystem;
using internal::rfc3986::resolve;

// --- RFC 3986 ---------------------------------------------------------------

TEST(Rfc3986, NormalExamples) {  // section 5.4.1
  const char* base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
  };
  for (const auto& [ref, want] : cases) EXPECT_EQ(resolve(base, ref), want) << ref;
}

TEST(Rfc3986, AbnormalExamples) {  // section 5.4.2
  const char* base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},  // strict parser
  };
  for (const auto& [ref, want] : cases) EXPECT_EQ(resolve(base, ref), want) << ref;
}

TEST(Rfc3986, EdgeCases) {
  EXPECT_EQ(resolve("http://a", "g"), "http://a/g");  // empty base path with authority
  EXPECT_EQ(resolve("urn:x:y", "#f"), "urn:x:y#f");
  EXPECT_EQ(resolve("relative/base", "g"), "g");  // no scheme: nothing to resolve against
  EXPECT_EQ(internal::rfc3986::removeDotSegments("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(internal::rfc3986::removeDotSegments("mid/content=5/../6"), "mid/6");
  EXPECT_TRUE(internal::rfc3986::isWellFormedAbsoluteIri("http://example.org/a#b"));
  EXPECT_FALSE(internal::rfc3986::isWellFormedAbsoluteIri("http://example.org/a b"));
  EXPECT_FALSE(internal::rfc3986::isWellFormedAbsoluteIri("http://example.org/a#b#c"));
  EXPECT_FALSE(internal::rfc3986::isWellFormedAbsoluteIri("a/b"));
}

// --- helpers ------------------------------------------------------------------

Result<std::vector<Quad>> toQuads(std::string_view doc, ReadOptions opts = {}) {
  VectorSink sink;
  Status st = readJsonLd(doc, opts, sink);
  if (!st) return st;
  return std::move(sink.quads);
}

std::vector<Quad> nq(std::string_view text) {
  auto r = parseQuads(text, Format::kNQuads);
  EXPECT_TRUE(r.isOk()) << r.status().message();
  return r.isOk() ? r.value() : std::vector<Quad>{};
}

void expectGraph(std::string_view doc, std::string_view want, ReadOptions opts = {}) {
  auto got = toQuads(doc, opts);
  ASSERT_TRUE(got.isOk()) << got.status().message();
  std::string why;
  EXPECT_TRUE(isomorphic(got.value(), nq(want), &why)) << why << "\n" << toNQuadsText(got.value());
}

// --- reading ------------------------------------------------------------------

TEST(JsonLdRead, ContextTermsVocabAndBase) {
  expectGraph(R"({
      "@context": {"@vocab": "http://v/", "@base": "http://b/dir/", "ex": "http://ex/",
                   "knows": {"@id": "ex:knows", "@type": "@id"}},
      "@id": "alice", "@type": "Person", "name": "Alice", "knows": "../bob"})",
              "<http://b/dir/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://v/Person> .\n"
              "<http://b/dir/alice> <http://v/name> \"Alice\" .\n"
              "<http://b/dir/alice> <http://ex/knows> <http://b/bob> .\n");
}

TEST(JsonLdRead, ReportsInlinePrefixes) {
  VectorSink sink;
  ASSERT_TRUE(readJsonLd(R"({"@context": {"ex": "http://ex.org/", "name": "http://schema.org/name",
                                          "@vocab": "http://v/"}, "ex:a": 1})",
                         {}, sink)
                  .isOk());
  ASSERT_EQ(sink.prefixes.size(), 1u);
  EXPECT_EQ(sink.prefixes[0].first, "ex");
  EXPECT_EQ(sink.prefixes[0].second, "http://ex.org/");
}

TEST(JsonLdRead, DocumentBaseFromOptions) {
  ReadOptions opts;
  opts.base_iri = "http://example.org/doc/x.jsonld";
  expectGraph(R"({"@id": "#me", "http://p": {"@id": "other"}})",
              "<http://example.org/doc/x.jsonld#me> <http://p> <http://example.org/doc/other> .\n", opts);
}

TEST(JsonLdRead, LanguageNumbersAndBooleans) {
  expectGraph(R"({"@context": {"@language": "en", "p": "http://p/"},
                  "@id": "http://s", "p:s": "hi", "p:i": 5, "p:f": 5.3, "p:big": 1e21,
                  "p:b": true, "p:d": {"@value": 3, "@type": "http://www.w3.org/2001/XMLSchema#double"}})",
              "<http://s> <http://p/s> \"hi\"@en .\n"
              "<http://s> <http://p/i> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
              "<http://s> <http://p/f> \"5.3E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
              "<http://s> <http://p/big> \"1.0E21\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
              "<http://s> <http://p/b> \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n"
              "<http://s> <http://p/d> \"3.0E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n");
}

TEST(JsonLdRead, ListsBecomeFirstRest) {
  expectGraph(R"({"@context": {"l": {"@id": "http://p", "@container": "@list"}},
                  "@id": "http://s", "l": ["a", "b"], "http://e": {"@list": []}})",
              "<http://s> <http://p> _:l1 .\n"
              "_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"a\" .\n"
              "_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l2 .\n"
              "_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"b\" .\n"
              "_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n"
              "<http://s> <http://e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n");
}

TEST(JsonLdRead, NamedGraphsAndReverse) {
  expectGraph(R"({"@context": {"parent": {"@reverse": "http://child"}},
                  "@id": "http://g", "@graph": [{"@id": "http://a", "parent": {"@id": "http://b"}}]})",
              "<http://b> <http://child> <http://a> <http://g> .\n");
}

TEST(JsonLdRead, BlankNodeLabelsAreFresh) {
  auto got = toQuads(R"({"@id": "_:x", "http://p": {"@id": "_:y"}, "http://q": {"@id": "_:x"}})");
  ASSERT_TRUE(got.isOk()) << got.status().message();
  ASSERT_EQ(got->size(), 2u);
  for (const Quad& q : got.value()) {
    EXPECT_EQ(q.s.kind, TermKind::kBlank);
    EXPECT_NE(q.s.value, "x");
  }
  // The same document label is the same node.
  EXPECT_EQ(got.value()[0].s, got.value()[1].s);
}

TEST(JsonLdRead, JsonLiteralIsCanonical) {
  expectGraph(R"({"@context": {"j": {"@id": "http://j", "@type": "@json"}},
                  "@id": "http://s", "j": {"b": [1.0, 2.5e1, "x"], "a": null}})",
              "<http://s> <http://j> \"{\\\"a\\\":null,\\\"b\\\":[1,25,\\\"x\\\"]}\"^^"
              "<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n");
}

TEST(JsonLdRead, DefaultGraphOption) {
  ReadOptions opts;
  opts.graph = "http://target";
  expectGraph(R"({"@id": "http://s", "http://p": "o"})", "<http://s> <http://p> \"o\" <http://target> .\n",
              opts);
}

// --- errors -------------------------------------------------------------------

TEST(JsonLdErrors, JsonSyntaxErrorHasLineAndColumn) {
  ReadOptions opts;
  opts.display_name = "doc.jsonld";
  VectorSink sink;
  Status st = readJsonLd("{\n  \"a\": 1,\n  \"b\": ]\n}", opts, sink);
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.code(), StatusCode::kSyntaxError);
  EXPECT_NE(st.message().find("doc.jsonld:3:8:"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("loading document failed"), std::string::npos) << st.message();
}

TEST(JsonLdErrors, UnpairedSurrogateEscapeIsRejected) {
  auto r = toQuads(R"({"http://p": "a\udc00b"})");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("surrogate"), std::string::npos) << r.status().message();
  EXPECT_TRUE(toQuads(R"({"http://p": "\ud83d\ude02"})").isOk());
}

TEST(JsonLdErrors, ErrorCodes) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"@context": 5})", "invalid local context"},
      {R"({"@context": {"@vocab": 5}})", "invalid vocab mapping"},
      {R"({"@context": {"a": {"@id": "b:c", "@container": "@bogus"}}})", "invalid container mapping"},
      {R"({"@context": {"a": "b", "b": "a"}, "a": 1})", "cyclic IRI mapping"},
      {R"({"@context": {"@id": "x"}})", "keyword redefinition"},
      {R"({"@id": 5})", "invalid @id value"},
      {R"({"http://p": {"@value": "x", "@language": 5}})", "invalid language-tagged string"},
      {R"({"@context": {"p": {"@id": "http://p", "@protected": true}}, "@graph": [
           {"@context": {"p": "http://other"}, "p": 1}]})", "protected term redefinition"},
  };
  for (const auto& [doc, code] : cases) {
    auto r = toQuads(doc);
    ASSERT_FALSE(r.isOk()) << doc;
    EXPECT_EQ(r.status().code(), StatusCode::kSyntaxError);
    EXPECT_NE(r.status().message().find(code), std::string::npos) << r.status().message();
  }
}

TEST(JsonLdErrors, DeepNestingIsRejectedWithoutCrashing) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  auto r = toQuads(deep);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("nesting"), std::string::npos) << r.status().message();
  std::string objects;
  for (int i = 0; i < 50000; ++i) objects += "{\"http://p\":";
  objects += "1";
  objects += std::string(50000, '}');
  EXPECT_FALSE(toQuads(objects).isOk());
  // Moderate nesting is fine.
  std::string ok;
  for (int i = 0; i < 100; ++i) ok += "{\"http://p\":";
  ok += "1";
  ok += std::string(100, '}');
  auto r2 = toQuads(ok);
  ASSERT_TRUE(r2.isOk()) << r2.status().message();
  EXPECT_EQ(r2->size(), 100u);
}

TEST(JsonLdErrors, DocumentSizeLimit) {
  ReadOptions opts;
  opts.max_document_bytes = 10;
  VectorSink sink;
  Status st = readJsonLd(R"({"http://p": "a long enough value"})", opts, sink);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("limit"), std::string::npos) << st.message();
}

TEST(JsonLdErrors, RemoteContextWithoutMappingNamesTheIri) {
  auto r = toQuads(R"({"@context": "https://schema.example/ctx.jsonld", "name": "x"})");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("loading remote context failed"), std::string::npos);
  EXPECT_NE(r.status().message().find("https://schema.example/ctx.jsonld"), std::string::npos)
      << r.status().message();
}

TEST(JsonLdRead, RemoteContextThroughContextMap) {
  fs::path dir = fs::temp_directory_path() / ("weft-jsonld-" + std::to_string(::getpid()));
  fs::create_directories(dir / "ns");
  {
    std::ofstream(dir / "ns" / "ctx.jsonld") << R"({"@context": {"name": "http://schema.example/name",
                                                   "@import": "base.jsonld"}})";
    std::ofstream(dir / "ns" / "base.jsonld") << R"({"@context": {"@vocab": "http://schema.example/v/"}})";
  }
  ReadOptions opts;
  opts.context_map["https://schema.example/"] = dir.string() + "/";
  expectGraph(R"({"@context": "https://schema.example/ns/ctx.jsonld", "@id": "http://s",
                  "name": "x", "other": "y"})",
              "<http://s> <http://schema.example/name> \"x\" .\n"
              "<http://s> <http://schema.example/v/other> \"y\" .\n",
              opts);
  // Dot segments are removed before mapping: nothing outside the mapped folder.
  std::ofstream(dir / "outside.jsonld") << R"({"@context": {"@vocab": "http://outside/"}})";
  opts.context_map.clear();
  opts.context_map["https://schema.example/ns/"] = (dir / "ns").string() + "/";
  auto r = toQuads(R"({"@context": "https://schema.example/ns/../outside.jsonld", "a": "b"})", opts);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("loading remote context failed"), std::string::npos)
      << r.status().message();
  fs::remove_all(dir);
}

// --- expansion ----------------------------------------------------------------

TEST(JsonLdExpand, ScopedContextsNestAndIncluded) {
  ReadOptions opts;
  auto r = internal::jsonLdExpand(R"({
      "@context": {"@vocab": "http://v/", "Person": {"@context": {"name": "http://n/"}},
                   "meta": "@nest"},
      "@type": "Person", "name": "A", "meta": {"tag": "t"},
      "@included": [{"@id": "http://i", "name": "B"}]})",
                                  opts);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto parsed = internal::parseJson(r.value(), "out");
  ASSERT_TRUE(parsed.isOk());
  const internal::Json& node = parsed->arr()[0];
  EXPECT_TRUE(node.has("http://n/")) << r.value();  // type-scoped term
  EXPECT_NE(r.value().find("\"http://v/name\""), std::string::npos) << r.value();  // not propagated
  EXPECT_TRUE(node.has("http://v/tag")) << r.value();
  EXPECT_TRUE(node.has("@included")) << r.value();
}

TEST(JsonLdJson, NumberFormatting) {
  using namespace internal;
  EXPECT_EQ(xsdDoubleCanonical(1.1), "1.1E0");
  EXPECT_EQ(xsdDoubleCanonical(0.0), "0.0E0");
  EXPECT_EQ(xsdDoubleCanonical(-123.456e10), "-1.23456E12");
  EXPECT_EQ(xsdIntegerCanonical(1e20), "100000000000000000000");
  EXPECT_EQ(ecmaNumberToString(1e21), "1e+21");
  EXPECT_EQ(ecmaNumberToString(0.000001), "0.000001");
  EXPECT_EQ(ecmaNumberToString(1e-7), "1e-7");
  EXPECT_EQ(ecmaNumberToString(123.5), "123.5");
}

// --- writer -------------------------------------------------------------------

std::string writeJsonLd(const std::vector<Quad>& quads, const WriteOptions& wopts) {
  std::FILE* f = std::tmpfile();
  auto w = internal::makeJsonLdWriter(f, wopts);
  for (const Quad& q : quads) EXPECT_TRUE(w->quad(q.view()).isOk());
  EXPECT_TRUE(w->finish().isOk());
  std::rewind(f);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

TEST(JsonLdWriter, RoundTrip) {
  std::vector<Quad> quads = nq(
      "<http://ex/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/T> .\n"
      "<http://ex/a> <http://ex/p> \"plain\" .\n"
      "<http://ex/a> <http://ex/p> \"hello\"@en-GB .\n"
      "<http://ex/a> <http://ex/n> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
      "<http://ex/a> <http://ex/q> _:b1 .\n"
      "_:b1 <http://ex/p> \"quote \\\" and \\\\ and \\n\" .\n"
      "_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> \"literal type\" .\n"
      "<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g> .\n"
      "_:b1 <http://ex/p> \"in blank graph\" _:g .\n"
      "<urn:x:1> <http://ex/p> <tag:example.org,2020:z> .\n");
  WriteOptions wopts;
  wopts.prefixes["ex"] = "http://ex/";
  wopts.prefixes["urn"] = "urn:x:";  // a scheme name: not declared
  wopts.prefixes["bad"] = "http://no-delimiter";
  std::string doc = writeJsonLd(quads, wopts);
  EXPECT_NE(doc.find("\"ex\": \"http://ex/\""), std::string::npos) << doc;
  EXPECT_EQ(doc.find("\"urn\":"), std::string::npos) << doc;
  auto back = toQuads(doc);
  ASSERT_TRUE(back.isOk()) << back.status().message() << "\n" << doc;
  std::string why;
  EXPECT_TRUE(isomorphic(back.value(), quads, &why)) << why << "\n" << doc;
}

TEST(JsonLdWriter, GroupsConsecutiveSubjects) {
  std::vector<Quad> quads = nq(
      "<http://ex/a> <http://ex/p> \"1\" .\n"
      "<http://ex/a> <http://ex/p> \"2\" .\n"
      "<http://ex/b> <http://ex/p> \"3\" .\n");
  std::string doc = writeJsonLd(quads, {});
  size_t first = doc.find("\"@id\": \"http://ex/a\"");
  ASSERT_NE(first, std::string::npos) << doc;
  EXPECT_EQ(doc.find("\"@id\": \"http://ex/a\"", first + 1), std::string::npos) << doc;
  auto back = toQuads(doc);
  ASSERT_TRUE(back.isOk()) << back.status().message();
  EXPECT_TRUE(isomorphic(back.value(), quads));
}

TEST(JsonLdWriter, EmptyDocumentIsValid) {
  std::string doc = writeJsonLd({}, {});
  auto back = toQuads(doc);
  ASSERT_TRUE(back.isOk()) << back.status().message() << doc;
  EXPECT_TRUE(back->empty());
}

TEST(JsonLdWriter, ReportsWriteErrors) {
  std::FILE* f = std::fopen("/dev/full", "w");
  if (!f) GTEST_SKIP() << "/dev/full not available";
  auto w = internal::makeJsonLdWriter(f, {});
  Quad q = nq("<http://ex/a> <http://ex/p> \"x\" .\n").front();
  Status st;
  for (int i = 0; i < 10000 && st.isOk(); ++i) st = w->quad(q.view());
  if (st.isOk()) st = w->finish();
  EXPECT_FALSE(st.isOk());
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  std::fclose(f);
}

}  // namespace
}  // namespace weft::rdf
