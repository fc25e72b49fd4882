// SPDX-License-Identifier: Apache-2.0
// RDFC-1.0 edge cases beyond the W3C suite (tests/conformance/rdfcanon_conformance.cpp):
// invariance under relabelling and reordering, escapes, limits, hashes.
#include "engine/rdf/canon.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/rdf/graph_compare.h"

namespace weft::rdf {
namespace {

// Terms in a tiny notation: "_:x" blank, "\"v\"" literal, "" default graph, else IRI.
Term t(const std::string& s) {
  if (s.empty()) return Term();
  if (s.rfind("_:", 0) == 0) return Term::blank(s.substr(2));
  if (s.front() == '"') return Term::literal(s.substr(1, s.size() - 2));
  return Term::iri(s);
}

Quad q(const std::string& s, const std::string& p, const std::string& o, const std::string& g = "") {
  Quad r;
  r.s = t(s);
  r.p = t(p);
  r.o = t(o);
  r.g = t(g);
  return r;
}

std::string canon(const std::vector<Quad>& quads, CanonOptions o = {}) {
  auto r = canonicalize(quads, o);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r ? r->nquads : std::string();
}

// Renames every blank node label by `rename` and shuffles the quads.
std::vector<Quad> relabel(std::vector<Quad> quads, const std::string& prefix, std::mt19937& rng) {
  for (Quad& x : quads)
    for (Term* term : {&x.s, &x.o, &x.g})
      if (term->kind == TermKind::kBlank) term->value = prefix + term->value + "x";
  std::shuffle(quads.begin(), quads.end(), rng);
  return quads;
}

TEST(Canon, HashHexKnownVectors) {
  EXPECT_EQ(hashHex(CanonHash::kSha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hashHex(CanonHash::kSha384, "abc"),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
            "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  CanonHash h = CanonHash::kSha256;
  EXPECT_TRUE(canonHashFromName("SHA384", &h));
  EXPECT_EQ(h, CanonHash::kSha384);
  EXPECT_TRUE(canonHashFromName("sha-256", &h));
  EXPECT_EQ(h, CanonHash::kSha256);
  EXPECT_FALSE(canonHashFromName("md5", &h));
}

TEST(Canon, EmptyDataset) {
  auto r = canonicalize({});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->nquads, "");
  EXPECT_TRUE(r->issued.empty());
  // The dataset hash of nothing is the SHA-256 of the empty string.
  EXPECT_EQ(datasetHash({}).value(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Canon, GroundQuadsAreSortedAndDeduplicated) {
  std::vector<Quad> in = {q("http://x/b", "http://x/p", "\"2\""), q("http://x/a", "http://x/p", "\"1\"", "http://x/g"),
                          q("http://x/b", "http://x/p", "\"2\"")};
  auto r = canonicalize(in);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->nquads,
            "<http://x/a> <http://x/p> \"1\" <http://x/g> .\n"
            "<http://x/b> <http://x/p> \"2\" .\n");
  EXPECT_EQ(r->quads.size(), 2u);
  EXPECT_EQ(r->ndegree_calls, 0u);
}

TEST(Canon, CanonicalEscapes) {
  Quad x = q("http://x/s", "http://x/p", "\"\"");
  x.o = Term::literal(std::string("a\"b\\c\nd\re\tf\bg\fh") + '\x01' + '\x1f' + '\x7f' + "\xe2\x88\x9e");
  Quad y = q("http://x/s", "http://x/q", "\"\"");
  y.o = Term::literal("chat", kXsdString, "fr-BE");
  Quad z = q("http://x/s", "http://x/r", "\"\"");
  z.o = Term::literal("1", "http://www.w3.org/2001/XMLSchema#integer");
  EXPECT_EQ(canon({x, y, z}),
            "<http://x/s> <http://x/p> \"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001\\u001F\\u007F\xe2\x88\x9e\" .\n"
            "<http://x/s> <http://x/q> \"chat\"@fr-BE .\n"
            "<http://x/s> <http://x/r> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n");
}

TEST(Canon, InvariantUnderRelabellingAndOrder) {
  std::vector<Quad> in = {
      q("_:a", "http://x/p", "_:b"), q("_:b", "http://x/p", "_:c"), q("_:c", "http://x/p", "_:a"),
      q("_:a", "http://x/name", "\"A\""), q("_:d", "http://x/p", "_:e", "_:g"),
      q("_:e", "http://x/p", "_:d", "_:g"), q("_:g", "http://x/in", "http://x/graphs")};
  std::mt19937 rng(7);
  const std::string want = canon(in);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(canon(relabel(in, "n" + std::to_string(i), rng)), want);
  EXPECT_EQ(datasetHash(in).value(), hashHex(CanonHash::kSha256, want));
}

TEST(Canon, DifferentDatasetsDifferentHashes) {
  std::vector<Quad> a = {q("_:a", "http://x/p", "_:b"), q("_:b", "http://x/p", "\"1\"")};
  std::vector<Quad> b = {q("_:a", "http://x/p", "_:b"), q("_:b", "http://x/p", "\"2\"")};
  std::vector<Quad> c = {q("_:a", "http://x/p", "_:b"), q("_:a", "http://x/p", "\"1\"")};
  EXPECT_NE(datasetHash(a).value(), datasetHash(b).value());
  EXPECT_NE(datasetHash(a).value(), datasetHash(c).value());
}

TEST(Canon, IssuedMapNamesInputLabels) {
  auto r = canonicalize({q("_:x", "http://x/p", "_:y"), q("_:y", "http://x/p", "\"v\"")});
  ASSERT_TRUE(r.isOk());
  ASSERT_EQ(r->issued.size(), 2u);
  EXPECT_EQ(r->issued[0].first, "x");
  EXPECT_EQ(r->issued[1].first, "y");
  EXPECT_NE(r->issued[0].second, r->issued[1].second);
  for (const auto& [from, to] : r->issued) EXPECT_EQ(to.rfind("c14n", 0), 0u) << to;
  // The relabelled quads are the lines of the document.
  std::string doc;
  for (const Quad& x : r->quads) appendNQuads(doc, x.view());
  EXPECT_EQ(doc, r->nquads);
}

TEST(Canon, BlankNodeInEveryPositionAndTwiceInOneQuad) {
  std::vector<Quad> in = {q("_:s", "http://x/p", "_:s", "_:s"), q("_:s", "http://x/p", "_:o", "_:g"),
                          q("_:o", "http://x/p", "_:g")};
  std::mt19937 rng(3);
  const std::string want = canon(in);
  EXPECT_NE(want.find("_:c14n0"), std::string::npos);
  EXPECT_NE(want.find("_:c14n2"), std::string::npos);
  EXPECT_EQ(canon(relabel(in, "r", rng)), want);
}

// Random graphs over few predicates and many symmetric blank nodes: the
// canonical form must not depend on labels or order, and must describe a
// dataset isomorphic to the input.
TEST(Canon, RandomDatasetsPropertyTest) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    int nodes = 2 + static_cast<int>(rng() % 9);
    int edges = 1 + static_cast<int>(rng() % 14);
    std::vector<Quad> in;
    for (int e = 0; e < edges; ++e) {
      std::string s = "_:n" + std::to_string(rng() % nodes);
      std::string o = rng() % 5 == 0 ? "\"lit\"" : "_:n" + std::to_string(rng() % nodes);
      std::string p = rng() % 3 == 0 ? "http://x/q" : "http://x/p";
      std::string g = rng() % 4 == 0 ? "http://x/g" : "";
      in.push_back(q(s, p, o, g));
    }
    auto first = canonicalize(in);
    ASSERT_TRUE(first.isOk()) << first.status().toString();
    auto again = canonicalize(relabel(in, "z", rng));
    ASSERT_TRUE(again.isOk()) << again.status().toString();
    ASSERT_EQ(first->nquads, again->nquads) << "round " << round;
    std::string why;
    ASSERT_TRUE(isomorphic(in, first->quads, &why)) << why;
  }
}

std::vector<Quad> clique(int n) {
  std::vector<Quad> out;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) out.push_back(q("_:e" + std::to_string(i), "http://x/p", "_:e" + std::to_string(j)));
  return out;
}

TEST(Canon, WorkLimitStopsPoisonDatasets) {
  CanonOptions tight;
  tight.max_ndegree_calls = 10;
  auto r = canonicalize(clique(5), tight);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kAborted);
  EXPECT_NE(r.status().message().find("N-degree"), std::string::npos) << r.status().message();
  // The default limit lets a small clique through and stops a ten-node one
  // (the W3C suite's test074).
  auto small = canonicalize(clique(4));
  ASSERT_TRUE(small.isOk()) << small.status().toString();
  EXPECT_GT(small->ndegree_calls, 10u);
  auto big = canonicalize(clique(10));
  ASSERT_FALSE(big.isOk());
  EXPECT_EQ(big.status().code(), StatusCode::kAborted);
}

// A long chain of identical blank nodes needs about n N-degree calls per
// node (n^2 in all); the automatic limit grows with the connected blank nodes.
TEST(Canon, LongBlankNodeChainWithinDefaultLimit) {
  std::vector<Quad> chain;
  const int n = 150;
  for (int i = 0; i + 1 < n; ++i)
    chain.push_back(q("_:c" + std::to_string(i), "http://x/next", "_:c" + std::to_string(i + 1)));
  auto r = canonicalize(chain);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_GT(r->max_deep_iterations, uint64_t{CanonOptions::kMinDeepIterations});
  EXPECT_GT(r->ndegree_calls, uint64_t{n} * (n - 10));
  std::mt19937 rng(1);
  EXPECT_EQ(canon(relabel(chain, "k", rng)), r->nquads);
  // An explicit per-node limit below that stops it.
  CanonOptions tight;
  tight.max_deep_iterations = 20;
  auto stopped = canonicalize(chain, tight);
  ASSERT_FALSE(stopped.isOk());
  EXPECT_NE(stopped.status().message().find("for one blank node"), std::string::npos);
}

// A clique hidden in a large dataset is stopped as fast as alone: the
// automatic limit follows the largest connected set of blank nodes, not
// the size of the dataset.
TEST(Canon, PoisonInsideLargeDatasetStopsEarly) {
  std::vector<Quad> d = clique(10);
  for (int i = 0; i < 5000; ++i)
    d.push_back(q("_:a" + std::to_string(i), "http://x/p", "_:b" + std::to_string(i)));
  auto r = canonicalize(d);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kAborted);
  EXPECT_NE(r.status().message().find("more than 84 "), std::string::npos) << r.status().message();
  // Without the clique, the 5000 pairs are canonicalized.
  d.erase(d.begin(), d.begin() + 100);
  auto ok = canonicalize(d);
  ASSERT_TRUE(ok.isOk()) << ok.status().toString();
  EXPECT_EQ(ok->quads.size(), 5000u);
}

TEST(Canon, Sha384ChangesOnlyTheHashing) {
  std::vector<Quad> in = {q("_:a", "http://x/p", "_:b"), q("_:a", "http://x/p", "_:c"),
                          q("_:b", "http://x/p", "_:d"), q("_:c", "http://x/p", "_:d")};
  CanonOptions o;
  o.hash = CanonHash::kSha384;
  auto r = canonicalize(in, o);
  ASSERT_TRUE(r.isOk());
  std::string why;
  EXPECT_TRUE(isomorphic(in, r->quads, &why)) << why;
}

TEST(Canon, RejectsIncompleteQuads) {
  Quad bad = q("http://x/s", "http://x/p", "");
  auto r = canonicalize({bad});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace weft::rdf
