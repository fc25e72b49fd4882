// SPDX-License-Identifier: Apache-2.0
// engine/db datasets: StoreDataset scans on all 16 bound/unbound patterns
// against a brute-force filter (results, reported order, counts), and the
// update overlay's semantics (read-your-writes, net changes, local ids,
// LOAD, commit into a store transaction).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "engine/db/database.h"
#include "engine/db/overlay.h"
#include "engine/rdf/syntax.h"

using namespace weft;
using sparql::Id;
using sparql::IdQuad;
namespace fs = std::filesystem;

namespace {

rdf::Term iri(const std::string& s) { return rdf::Term::iri("http://example.org/" + s); }

rdf::Quad Q(const rdf::Term& s, const rdf::Term& p, const rdf::Term& o, const rdf::Term& g = rdf::Term()) {
  rdf::Quad q;
  q.s = s;
  q.p = p;
  q.o = o;
  q.g = g;
  return q;
}

// A random quad over a small vocabulary, so patterns have many matches.
rdf::Quad randomQuad(std::mt19937& rng, int salt = 0) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  rdf::Term s = pick(5) == 0 ? rdf::Term::blank("b" + std::to_string(pick(3))) : iri("s" + std::to_string(pick(6)));
  rdf::Term p = iri("p" + std::to_string(pick(4)));
  rdf::Term o;
  switch (pick(3)) {
    case 0: o = iri("s" + std::to_string(pick(6) + salt)); break;
    case 1: o = rdf::Term::literal(std::to_string(pick(5)), "http://www.w3.org/2001/XMLSchema#integer"); break;
    default: o = rdf::Term::literal("v" + std::to_string(pick(4)), rdf::kXsdString, pick(2) ? "en" : ""); break;
  }
  rdf::Term g = pick(3) == 0 ? rdf::Term() : iri("g" + std::to_string(pick(2)));
  return Q(s, p, o, g);
}

std::string str(const rdf::Quad& q) { return rdf::toNQuads(q.view()); }

bool matches(const rdf::Quad& q, const rdf::Quad& pat, int mask) {
  return (!(mask & 1) || q.s == pat.s) && (!(mask & 2) || q.p == pat.p) && (!(mask & 4) || q.o == pat.o) &&
         (!(mask & 8) || q.g == pat.g);
}

int component(char c) { return c == 's' ? 0 : c == 'p' ? 1 : c == 'o' ? 2 : 3; }

// Scans `ds` with `pat` restricted to `mask`; checks the result against the
// brute-force filter of `all`, the reported order, and count().
void checkPattern(const sparql::Dataset& ds, const std::set<rdf::Quad>& all, const rdf::Quad& pat, int mask) {
  SCOPED_TRACE("mask " + std::to_string(mask) + " pattern " + str(pat));
  std::multiset<std::string> expected;
  for (const auto& q : all) if (matches(q, pat, mask)) expected.insert(str(q));
  IdQuad ip;
  const rdf::Term* terms[4] = {&pat.s, &pat.p, &pat.o, &pat.g};
  Id* slots[4] = {&ip.s, &ip.p, &ip.o, &ip.g};
  for (int i = 0; i < 4; ++i) {
    if (!(mask & (1 << i))) continue;
    *slots[i] = ds.lookup(terms[i]->view());
    if (*slots[i] == sparql::kAnyId) {  // a term the dataset does not have: nothing matches
      EXPECT_TRUE(expected.empty());
      return;
    }
  }
  char order[4] = {0, 0, 0, 0};
  auto c = ds.scan(ip, order);
  ASSERT_NE(order[0], '\0');
  // Bound components come first in the order.
  for (int i = 0; i < __builtin_popcount(static_cast<unsigned>(mask)); ++i) {
    EXPECT_TRUE(mask & (1 << component(order[i]))) << std::string(order, 4);
  }
  std::multiset<std::string> got;
  IdQuad q, prev{};
  bool first = true;
  uint64_t n = 0;
  while (c->next(&q)) {
    ++n;
    Id cur[4] = {q.s, q.p, q.o, q.g}, old[4] = {prev.s, prev.p, prev.o, prev.g};
    if (!first) {
      std::array<Id, 4> a{}, b{};
      for (int i = 0; i < 4; ++i) {
        a[i] = old[component(order[i])];
        b[i] = cur[component(order[i])];
      }
      EXPECT_LT(a, b) << "not sorted by " << std::string(order, 4);
    }
    first = false;
    prev = q;
    rdf::Quad d;
    EXPECT_TRUE(ds.decode(q.s, &d.s));
    EXPECT_TRUE(ds.decode(q.p, &d.p));
    EXPECT_TRUE(ds.decode(q.o, &d.o));
    EXPECT_TRUE(ds.decode(q.g, &d.g));
    got.insert(str(d));
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(ds.count(ip), n);
}

void checkAllPatterns(const sparql::Dataset& ds, const std::set<rdf::Quad>& all, std::mt19937& rng) {
  std::vector<rdf::Quad> v(all.begin(), all.end());
  for (int mask = 0; mask < 16; ++mask) {
    // Patterns taken from present quads, plus random (often absent) ones.
    for (int i = 0; i < 6 && !v.empty(); ++i) checkPattern(ds, all, v[rng() % v.size()], mask);
    for (int i = 0; i < 3; ++i) checkPattern(ds, all, randomQuad(rng, 3), mask);
  }
}

std::set<rdf::Quad> fill(store::Store& st, std::mt19937& rng, int n) {
  std::set<rdf::Quad> all;
  auto txn = st.begin();
  EXPECT_TRUE(txn.isOk());
  for (int i = 0; i < n; ++i) {
    auto q = randomQuad(rng);
    EXPECT_TRUE(txn.value()->add(q.view()).isOk());
    all.insert(q);
  }
  EXPECT_TRUE(txn.value()->commit().isOk());
  return all;
}

std::set<rdf::Quad> storeQuads(const store::Store& st) {
  db::StoreDataset ds(st.snapshot());
  std::set<rdf::Quad> out;
  auto c = ds.scan(IdQuad{});
  IdQuad q;
  while (c->next(&q)) {
    rdf::Quad d;
    EXPECT_TRUE(ds.decode(q.s, &d.s) && ds.decode(q.p, &d.p) && ds.decode(q.o, &d.o) && ds.decode(q.g, &d.g));
    out.insert(d);
  }
  return out;
}

std::string tempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("weft-db-test-" + std::to_string(::getpid()) + "-" + name)).string();
}

TEST(StoreDataset, AllSixteenPatternsMatchBruteForce) {
  std::mt19937 rng(7);
  auto st = store::Store::openMemory();
  auto all = fill(*st, rng, 400);  // bulk load: runs
  {
    // A second transaction: some removals and additions land in the delta.
    auto txn = st->begin();
    ASSERT_TRUE(txn.isOk());
    std::vector<rdf::Quad> v(all.begin(), all.end());
    for (int i = 0; i < 40; ++i) {
      const auto& q = v[rng() % v.size()];
      ASSERT_TRUE(txn.value()->remove(q.view()).isOk());
      all.erase(q);
    }
    for (int i = 0; i < 40; ++i) {
      auto q = randomQuad(rng, 2);
      ASSERT_TRUE(txn.value()->add(q.view()).isOk());
      all.insert(q);
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  db::StoreDataset ds(st->snapshot());
  checkAllPatterns(ds, all, rng);
  EXPECT_EQ(ds.count(IdQuad{}), all.size());
  // Named graphs: those of the quads, by id.
  std::set<std::string> expected, got;
  for (const auto& q : all) if (!q.g.isNone()) expected.insert(q.g.value);
  for (Id g : ds.namedGraphs()) {
    rdf::Term t;
    ASSERT_TRUE(ds.decode(g, &t));
    got.insert(t.value);
  }
  EXPECT_EQ(got, expected);
}

TEST(StoreDataset, IdsAndSpecialValues) {
  auto st = store::Store::openMemory();
  std::mt19937 rng(1);
  fill(*st, rng, 20);
  db::StoreDataset ds(st->snapshot());
  EXPECT_EQ(ds.lookup(rdf::TermView()), sparql::kDefaultGraphId);
  EXPECT_EQ(ds.lookup(rdf::TermView::iri("http://nowhere/")), sparql::kAnyId);
  rdf::Term t = iri("x");
  EXPECT_FALSE(ds.decode(sparql::kLocalIdBit | 5, &t));
  rdf::Term g;
  ASSERT_TRUE(ds.decode(sparql::kDefaultGraphId, &g));
  EXPECT_TRUE(g.isNone());
  IdQuad q;
  EXPECT_FALSE(ds.scan(IdQuad{sparql::kLocalIdBit | 1, 0, 0, 0})->next(&q));
  EXPECT_EQ(ds.count(IdQuad{0, sparql::kLocalIdBit | 1, 0, 0}), 0u);
}

// ---- overlay -------------------------------------------------------------

TEST(Overlay, RandomChangesMatchReference) {
  for (int round = 0; round < 3; ++round) {
    std::mt19937 rng(100 + round);
    auto st = store::Store::openMemory();
    auto all = fill(*st, rng, 300);
    db::OverlayDataset ov(st->snapshot());
    std::vector<rdf::Quad> v(all.begin(), all.end());
    for (int i = 0; i < 200; ++i) {
      // Erase existing quads, quads inserted earlier, absent quads; insert
      // new quads (new terms: salt) and existing ones.
      if (rng() % 2) {
        rdf::Quad q = rng() % 2 ? v[rng() % v.size()] : randomQuad(rng, 4);
        ASSERT_TRUE(ov.erase(q.view()).isOk());
        all.erase(q);
      } else {
        rdf::Quad q = randomQuad(rng, 4);
        ASSERT_TRUE(ov.insert(q.view()).isOk());
        all.insert(q);
        v.push_back(q);
      }
    }
    checkAllPatterns(ov, all, rng);
    EXPECT_EQ(ov.count(IdQuad{}), all.size());
    // Commit: the store then holds exactly the reference set.
    auto txn = st->begin();
    ASSERT_TRUE(txn.isOk());
    ASSERT_TRUE(ov.commitTo(*txn.value()).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
    // Blank nodes new to the store are renamed at commit; compare the rest.
    std::set<std::string> want, have;
    for (const auto& q : all) if (!q.s.isNone() && q.s.kind != rdf::TermKind::kBlank) want.insert(str(q));
    for (const auto& q : storeQuads(*st)) if (q.s.kind != rdf::TermKind::kBlank) have.insert(str(q));
    EXPECT_EQ(have, want);
    EXPECT_EQ(st->snapshot()->size(), all.size());
  }
}

TEST(Overlay, InsertThenDeleteLeavesNoChange) {
  auto st = store::Store::openMemory();
  std::mt19937 rng(3);
  auto all = fill(*st, rng, 30);
  db::OverlayDataset ov(st->snapshot());
  auto q = Q(iri("new"), iri("p0"), rdf::Term::literal("fresh"));
  ASSERT_TRUE(ov.insert(q.view()).isOk());
  EXPECT_EQ(ov.netInserted(), 1u);
  EXPECT_EQ(ov.count(IdQuad{}), all.size() + 1);
  ASSERT_TRUE(ov.erase(q.view()).isOk());
  EXPECT_EQ(ov.netInserted(), 0u);
  EXPECT_EQ(ov.netDeleted(), 0u);
  EXPECT_EQ(ov.count(IdQuad{}), all.size());
  // Delete then re-insert an existing quad: no change either.
  const auto& e = *all.begin();
  ASSERT_TRUE(ov.erase(e.view()).isOk());
  EXPECT_EQ(ov.netDeleted(), 1u);
  EXPECT_EQ(ov.count(IdQuad{}), all.size() - 1);
  ASSERT_TRUE(ov.insert(e.view()).isOk());
  EXPECT_EQ(ov.netDeleted(), 0u);
  EXPECT_EQ(ov.netInserted(), 0u);
  // Inserting a quad the store has is no change.
  ASSERT_TRUE(ov.insert(e.view()).isOk());
  EXPECT_EQ(ov.netInserted(), 0u);
}

TEST(Overlay, DeleteOfAbsentQuadIsNoChange) {
  auto st = store::Store::openMemory();
  std::mt19937 rng(4);
  auto all = fill(*st, rng, 30);
  db::OverlayDataset ov(st->snapshot());
  // Unknown terms, and known terms in a combination the store lacks.
  ASSERT_TRUE(ov.erase(Q(iri("nobody"), iri("p0"), iri("s1")).view()).isOk());
  ASSERT_TRUE(ov.erase(Q(iri("s0"), iri("p0"), iri("p1"), iri("g0")).view()).isOk());
  EXPECT_EQ(ov.netDeleted(), 0u);
  EXPECT_EQ(ov.count(IdQuad{}), all.size());
  // Twice the same deletion counts once.
  ASSERT_TRUE(ov.erase(all.begin()->view()).isOk());
  ASSERT_TRUE(ov.erase(all.begin()->view()).isOk());
  EXPECT_EQ(ov.netDeleted(), 1u);
}

TEST(Overlay, LocalIdsForNewTerms) {
  auto st = store::Store::openMemory();
  std::mt19937 rng(5);
  fill(*st, rng, 30);
  db::OverlayDataset ov(st->snapshot());
  rdf::Term fresh = rdf::Term::literal("brand new", rdf::kXsdString, "en");
  EXPECT_EQ(ov.lookup(fresh.view()), sparql::kAnyId);
  ASSERT_TRUE(ov.insert(Q(iri("s0"), iri("p0"), fresh).view()).isOk());
  Id id = ov.lookup(fresh.view());
  EXPECT_NE(id, sparql::kAnyId);
  EXPECT_EQ(id & sparql::kQueryIdBits, sparql::kLocalIdBit);  // not a query-local id
  rdf::Term back;
  ASSERT_TRUE(ov.decode(id, &back));
  EXPECT_EQ(back, fresh);
  // Known terms keep their store ids.
  Id s0 = ov.lookup(iri("s0").view());
  EXPECT_EQ(s0, st->snapshot()->lookup(iri("s0").view()));
  EXPECT_FALSE(s0 & sparql::kLocalIdBit);
  // Scans bound to the local id find the new quad.
  IdQuad q;
  auto c = ov.scan(IdQuad{0, 0, id, 0});
  ASSERT_TRUE(c->next(&q));
  EXPECT_EQ(q.s, s0);
  EXPECT_EQ(q.g, sparql::kDefaultGraphId);
  EXPECT_FALSE(c->next(&q));
  EXPECT_EQ(ov.count(IdQuad{0, 0, id, 0}), 1u);
  // The executor's own local ids are not the overlay's.
  EXPECT_FALSE(ov.decode(sparql::kQueryIdBits | 0, &back));
  // After the quad is erased the term keeps its id (ids never change in a request).
  ASSERT_TRUE(ov.erase(Q(iri("s0"), iri("p0"), fresh).view()).isOk());
  EXPECT_EQ(ov.lookup(fresh.view()), id);
  EXPECT_EQ(ov.count(IdQuad{0, 0, id, 0}), 0u);
}

TEST(Overlay, NamedGraphsAndCreate) {
  auto st = store::Store::openMemory();
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.isOk());
    ASSERT_TRUE(txn.value()->add(Q(iri("a"), iri("p"), iri("b"), iri("g1")).view()).isOk());
    ASSERT_TRUE(txn.value()->add(Q(iri("a"), iri("p"), iri("c"), iri("g2")).view()).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  db::OverlayDataset ov(st->snapshot());
  Id g1 = ov.lookup(iri("g1").view()), g2 = ov.lookup(iri("g2").view());
  EXPECT_EQ(ov.namedGraphs(), (std::vector<Id>{g1, g2}));
  ASSERT_TRUE(ov.erase(Q(iri("a"), iri("p"), iri("b"), iri("g1")).view()).isOk());
  EXPECT_EQ(ov.namedGraphs(), (std::vector<Id>{g2}));
  EXPECT_FALSE(ov.graphExists(g1));
  EXPECT_TRUE(ov.graphExists(g2));
  EXPECT_TRUE(ov.graphExists(sparql::kDefaultGraphId));
  ASSERT_TRUE(ov.insert(Q(iri("a"), iri("p"), iri("b"), iri("g3")).view()).isOk());
  Id g3 = ov.lookup(iri("g3").view());
  EXPECT_EQ(ov.namedGraphs(), (std::vector<Id>{g2, g3}));
  // CREATE: the graph exists for the request, though it holds no quads.
  ov.noteCreated(iri("g4"));
  Id g4 = ov.lookup(iri("g4").view());
  EXPECT_NE(g4, sparql::kAnyId);
  EXPECT_TRUE(ov.graphExists(g4));
  EXPECT_EQ(ov.namedGraphs(), (std::vector<Id>{g2, g3}));
}

TEST(Overlay, CommitScopesNewBlankNodes) {
  auto st = store::Store::openMemory();
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.isOk());
    ASSERT_TRUE(txn.value()->add(Q(rdf::Term::blank("x"), iri("p"), iri("old")).view()).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  db::OverlayDataset ov(st->snapshot());
  // _:x exists in the store under that label: it is the same node.
  ASSERT_TRUE(ov.insert(Q(rdf::Term::blank("x"), iri("p"), iri("again")).view()).isOk());
  // _:y is new: it gets a scope of its own at commit.
  ASSERT_TRUE(ov.insert(Q(rdf::Term::blank("y"), iri("p"), iri("new")).view()).isOk());
  auto txn = st->begin();
  ASSERT_TRUE(txn.isOk());
  ASSERT_TRUE(ov.commitTo(*txn.value()).isOk());
  ASSERT_TRUE(txn.value()->commit().isOk());
  std::map<std::string, std::string> subj;
  for (const auto& q : storeQuads(*st)) subj[q.o.value] = q.s.value;
  EXPECT_EQ(subj["http://example.org/old"], "x");
  EXPECT_EQ(subj["http://example.org/again"], "x");
  EXPECT_NE(subj["http://example.org/new"], "y");
  EXPECT_NE(subj["http://example.org/new"].find("_y"), std::string::npos);
}

TEST(Overlay, RollbackLeavesStoreUnchanged) {
  auto st = store::Store::openMemory();
  std::mt19937 rng(6);
  auto all = fill(*st, rng, 50);
  db::OverlayDataset ov(st->snapshot());
  ASSERT_TRUE(ov.insert(Q(iri("n"), iri("p"), rdf::Term::literal("z")).view()).isOk());
  ASSERT_TRUE(ov.erase(all.begin()->view()).isOk());
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.isOk());
    ASSERT_TRUE(ov.commitTo(*txn.value()).isOk());
    txn.value()->rollback();
  }
  EXPECT_EQ(storeQuads(*st), all);
}

TEST(Overlay, LoadFileIriAndPath) {
  auto st = store::Store::openMemory();
  db::OverlayDataset ov(st->snapshot());
  std::string path = tempPath("load.ttl");
  {
    std::ofstream f(path);
    f << "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\n_:n ex:p ex:c .\n";
  }
  ASSERT_TRUE(ov.load(rdf::Term::iri(rdf::fileIri(path)), rdf::Term()).isOk());
  EXPECT_EQ(ov.count(IdQuad{0, 0, 0, sparql::kDefaultGraphId}), 2u);
  // A plain path, into a named graph; the blank node is another node.
  ASSERT_TRUE(ov.load(rdf::Term::iri(path), iri("g")).isOk());
  Id g = ov.lookup(iri("g").view());
  ASSERT_NE(g, sparql::kAnyId);
  EXPECT_EQ(ov.count(IdQuad{0, 0, 0, g}), 2u);
  Id c = ov.lookup(iri("c").view());
  std::set<Id> blank_subjects;
  auto cur = ov.scan(IdQuad{0, 0, c, 0});
  IdQuad q;
  while (cur->next(&q)) blank_subjects.insert(q.s);
  EXPECT_EQ(blank_subjects.size(), 2u);
  // Other schemes, missing files, unknown syntax: errors.
  auto s = ov.load(rdf::Term::iri("http://example.org/data.ttl"), rdf::Term());
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("server"), std::string::npos);
  EXPECT_FALSE(ov.load(rdf::Term::iri("file:///nonexistent/x.ttl"), rdf::Term()).isOk());
  EXPECT_FALSE(ov.load(rdf::Term::iri(path + ".unknown"), rdf::Term()).isOk());
  fs::remove(path);
}

}  // namespace
