// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/graph_compare.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weft::rdf {
namespace {

// Terms in a tiny notation: "_:x" blank, "\"v\"" literal, "" default graph, else IRI.
Term t(const std::string& s) {
  if (s.empty()) return Term();
  if (s.rfind("_:", 0) == 0) return Term::blank(s.substr(2));
  if (s.front() == '"') return Term::literal(s.substr(1, s.size() - 2));
  return Term::iri(s);
}

Quad q(const std::string& s, const std::string& p, const std::string& o,
       const std::string& g = "") {
  Quad r;
  r.s = t(s);
  r.p = t(p);
  r.o = t(o);
  r.g = t(g);
  return r;
}

TEST(GraphCompare, EmptyAndGround) {
  EXPECT_TRUE(isomorphic({}, {}));
  EXPECT_TRUE(isomorphic({q("a", "p", "b")}, {q("a", "p", "b")}));
  std::string why;
  EXPECT_FALSE(isomorphic({q("a", "p", "b")}, {q("a", "p", "c")}, &why));
  EXPECT_NE(why.find("only in the first"), std::string::npos) << why;
  EXPECT_NE(why.find("<c>"), std::string::npos) << why;
  // Graph name matters.
  EXPECT_FALSE(isomorphic({q("a", "p", "b")}, {q("a", "p", "b", "g")}));
  // Literal vs IRI with the same text.
  EXPECT_FALSE(isomorphic({q("a", "p", "\"b\"")}, {q("a", "p", "b")}));
}

TEST(GraphCompare, DuplicatesIgnored) {
  EXPECT_TRUE(isomorphic({q("a", "p", "b"), q("a", "p", "b")}, {q("a", "p", "b")}));
  EXPECT_TRUE(isomorphic({q("_:x", "p", "b"), q("_:x", "p", "b")}, {q("_:y", "p", "b")}));
}

TEST(GraphCompare, BlankRenaming) {
  EXPECT_TRUE(isomorphic({q("_:a", "p", "_:b"), q("_:b", "q", "\"1\"")},
                         {q("_:x", "p", "_:y"), q("_:y", "q", "\"1\"")}));
  EXPECT_FALSE(isomorphic({q("_:a", "p", "_:b"), q("_:b", "q", "\"1\"")},
                          {q("_:x", "p", "_:y"), q("_:x", "q", "\"1\"")}));
  // Self loop vs edge between two nodes of the same colour.
  EXPECT_FALSE(isomorphic({q("_:a", "p", "_:a"), q("_:b", "p", "_:b")},
                          {q("_:a", "p", "_:b"), q("_:b", "p", "_:a")}));
  // Blank node graph names share the mapping with subjects.
  EXPECT_TRUE(isomorphic({q("_:g", "p", "o", "_:g")}, {q("_:h", "p", "o", "_:h")}));
  EXPECT_FALSE(isomorphic({q("_:g", "p", "o", "_:g")}, {q("_:h", "p", "o", "_:i")}));
  // Blank vs IRI.
  EXPECT_FALSE(isomorphic({q("_:a", "p", "o")}, {q("a", "p", "o")}));
}

// Regular graphs where refinement alone cannot split the nodes: two
// 3-cycles vs one 6-cycle (all nodes have in/out degree 1).
TEST(GraphCompare, NeedsBacktracking) {
  auto cycle = [](const std::vector<std::string>& nodes) {
    std::vector<Quad> out;
    for (size_t i = 0; i < nodes.size(); ++i)
      out.push_back(q("_:" + nodes[i], "p", "_:" + nodes[(i + 1) % nodes.size()]));
    return out;
  };
  std::vector<Quad> six = cycle({"a", "b", "c", "d", "e", "f"});
  std::vector<Quad> two3 = cycle({"a", "b", "c"});
  for (const Quad& x : cycle({"d", "e", "f"})) two3.push_back(x);
  EXPECT_FALSE(isomorphic(six, two3));
  EXPECT_TRUE(isomorphic(six, cycle({"f", "a", "c", "e", "d", "b"})));
  std::vector<Quad> two3b = cycle({"z", "y", "x"});
  for (const Quad& x : cycle({"w", "v", "u"})) two3b.push_back(x);
  EXPECT_TRUE(isomorphic(two3, two3b));

  // Many identical isolated structures (symmetry): stays fast.
  std::vector<Quad> a, b;
  for (int i = 0; i < 200; ++i) {
    a.push_back(q("_:a" + std::to_string(i), "p", "o"));
    b.push_back(q("_:b" + std::to_string(199 - i), "p", "o"));
  }
  EXPECT_TRUE(isomorphic(a, b));
  b.back().o = Term::iri("o2");
  EXPECT_FALSE(isomorphic(a, b));
}

TEST(GraphCompare, ParseQuadsHelper) {
  auto r =
      parseQuads("_:a <http://ex/p> \"x\"@en <http://ex/g> .\n<http://ex/s> <http://ex/p> _:b .\n");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_TRUE(isomorphic(*r, {q("_:z", "http://ex/p", "\"x\"", "http://ex/g"),
                              q("http://ex/s", "http://ex/p", "_:y")}) == false);  // lang differs
  std::vector<Quad> expected{q("http://ex/s", "http://ex/p", "_:y")};
  Quad l = q("_:z", "http://ex/p", "\"x\"", "http://ex/g");
  l.o = Term::literal("x", kXsdString, "en");
  expected.push_back(l);
  EXPECT_TRUE(isomorphic(*r, expected));
  auto bad = parseQuads("<a> <b> .");
  EXPECT_FALSE(bad.isOk());
}

}  // namespace
}  // namespace weft::rdf
