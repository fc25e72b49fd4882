// SPDX-License-Identifier: Apache-2.0
// A sparql::Dataset over a sorted vector of quads, for tests of the query
// engine without the store (dataset.h allows exactly this). Loaded from
// Turtle or TriG text; scans filter linearly, which is plenty for tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/rdf/graph_compare.h"
#include "engine/sparql/dataset.h"

namespace weft::testutil {

class MemoryDataset : public sparql::Dataset {
 public:
  MemoryDataset() = default;
  explicit MemoryDataset(std::string_view trig) { load(trig); }

  void load(std::string_view trig) {
    rdf::ReadOptions ro;
    ro.base_iri = "http://example.org/";
    auto quads = rdf::parseQuads(trig, rdf::Format::kTriG, ro);
    ASSERT_TRUE(quads.isOk()) << quads.status().toString();
    for (const auto& q : quads.value()) {
      sparql::IdQuad iq{intern(q.s), intern(q.p), intern(q.o),
                        q.g.isNone() ? sparql::kDefaultGraphId : intern(q.g)};
      quads_.push_back(iq);
    }
    std::sort(quads_.begin(), quads_.end(), [](const sparql::IdQuad& a, const sparql::IdQuad& b) {
      return std::tie(a.s, a.p, a.o, a.g) < std::tie(b.s, b.p, b.o, b.g);
    });
    quads_.erase(std::unique(quads_.begin(), quads_.end(),
                             [](const sparql::IdQuad& a, const sparql::IdQuad& b) {
                               return a.s == b.s && a.p == b.p && a.o == b.o && a.g == b.g;
                             }),
                 quads_.end());
  }

  sparql::Id lookup(const rdf::TermView& t) const override {
    auto it = ids_.find(rdf::toNTriples(t));
    return it == ids_.end() ? sparql::kAnyId : it->second;
  }
  bool decode(sparql::Id id, rdf::Term* out) const override {
    if (id < kFirstId || id - kFirstId >= terms_.size()) return false;
    *out = terms_[id - kFirstId];
    return true;
  }
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pat,
                                           char order[4] = nullptr) const override {
    auto cur = std::make_unique<Cursor>();
    for (const auto& q : quads_)
      if (matches(pat, q)) cur->rows.push_back(q);
    if (order) {
      // Sorted by s, p, o, g with the bound components fixed: bound first.
      std::string o;
      const sparql::Id bound[4] = {pat.s, pat.p, pat.o, pat.g};
      for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i < 4; ++i)
          if ((bound[i] != sparql::kAnyId) == (pass == 0)) o += "spog"[i];
      std::copy(o.begin(), o.end(), order);
    }
    return cur;
  }
  uint64_t count(const sparql::IdQuad& pat) const override {
    return static_cast<uint64_t>(std::count_if(quads_.begin(), quads_.end(),
                                               [&](const auto& q) { return matches(pat, q); }));
  }
  std::vector<sparql::Id> namedGraphs() const override {
    std::set<sparql::Id> g;
    for (const auto& q : quads_)
      if (q.g != sparql::kDefaultGraphId) g.insert(q.g);
    return {g.begin(), g.end()};
  }

 private:
  static constexpr sparql::Id kFirstId = 16;
  struct Cursor : sparql::QuadCursor {
    std::vector<sparql::IdQuad> rows;
    size_t pos = 0;
    bool next(sparql::IdQuad* out) override {
      if (pos >= rows.size()) return false;
      *out = rows[pos++];
      return true;
    }
  };
  static bool matches(const sparql::IdQuad& pat, const sparql::IdQuad& q) {
    return (pat.s == sparql::kAnyId || pat.s == q.s) && (pat.p == sparql::kAnyId || pat.p == q.p) &&
           (pat.o == sparql::kAnyId || pat.o == q.o) && (pat.g == sparql::kAnyId || pat.g == q.g);
  }
  sparql::Id intern(const rdf::Term& t) {
    std::string key = rdf::toNTriples(t.view());
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    sparql::Id id = kFirstId + terms_.size();
    terms_.push_back(t);
    ids_.emplace(std::move(key), id);
    return id;
  }
  std::vector<rdf::Term> terms_;
  std::map<std::string, sparql::Id> ids_;
  std::vector<sparql::IdQuad> quads_;
};

}  // namespace weft::testutil
