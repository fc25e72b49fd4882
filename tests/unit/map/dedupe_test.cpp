// SPDX-License-Identifier: Apache-2.0
// Duplicate elimination in bounded memory (engine/map/internal/dedupe.h):
// whatever the budget (the table growing in memory, growing through a
// temporary file, or full and setting quads aside), each distinct quad comes
// out exactly once.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "engine/map/internal/dedupe.h"
#include "engine/rdf/graph_compare.h"

using namespace weft;

namespace {

struct Counts {
  std::set<std::string> out;  // N-Quads lines written
  uint64_t written = 0, duplicates = 0, deferred = 0;
};

Counts runDedupe(size_t budget, int n, uint32_t seed) {
  map::internal::Deduper d(budget);
  Counts c;
  rdf::VectorSink sink;
  std::mt19937 rng(seed);
  for (int i = 0; i < n; ++i) {
    int k = static_cast<int>(rng() % (n / 3 + 1));  // about two copies of each
    rdf::Quad q;
    q.s = rdf::Term::iri("http://ex.org/s" + std::to_string(k % 97));
    q.p = rdf::Term::iri("http://ex.org/p" + std::to_string(k % 5));
    q.o = k % 2 ? rdf::Term::literal(std::to_string(k), "http://www.w3.org/2001/XMLSchema#integer")
                : rdf::Term::literal("v" + std::to_string(k), "", k % 4 ? "en" : "");
    if (k % 3 == 0) q.g = rdf::Term::iri("http://ex.org/g");
    auto v = d.insert(q.view());
    EXPECT_TRUE(v.isOk());
    if (v.value() == map::internal::Deduper::Verdict::kNew) sink.quads.push_back(q);
    else if (v.value() == map::internal::Deduper::Verdict::kDuplicate) ++c.duplicates;
  }
  c.deferred = d.deferred();
  uint64_t sent = 0;
  EXPECT_TRUE(d.finish(sink, &c.duplicates, &sent).isOk());
  for (auto& q : sink.quads) {
    std::string line = rdf::toNQuads(q.view());
    EXPECT_TRUE(c.out.insert(line).second) << "written twice: " << line;
  }
  c.written = sink.quads.size();
  return c;
}

}  // namespace

TEST(Dedupe, ExactUnderAnyBudget) {
  const int n = 60000;
  Counts big = runDedupe(size_t{64} << 20, n, 3);
  EXPECT_EQ(big.deferred, 0u);
  EXPECT_GT(big.duplicates, 0u);
  EXPECT_EQ(big.written + big.duplicates, static_cast<uint64_t>(n));
  for (size_t budget : {size_t{300} << 10, size_t{40} << 10, size_t{2} << 10}) {
    Counts small = runDedupe(budget, n, 3);
    EXPECT_EQ(small.out, big.out) << "budget " << budget;
    EXPECT_EQ(small.duplicates, big.duplicates) << "budget " << budget;
    if (budget < (size_t{64} << 10)) {
      EXPECT_GT(small.deferred, 0u) << "budget " << budget;
    }
  }
}
