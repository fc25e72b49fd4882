// SPDX-License-Identifier: Apache-2.0
// A small in-memory graph of owned terms, indexed both ways: the shapes graph
// while it is compiled (shapes graphs are small; the data graph is never read
// this way). Terms are interned to dense indexes in order of first
// appearance, so iterating subjects follows the order of the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"

namespace weft::shacl::internal {

using TermIndex = uint32_t;
inline constexpr TermIndex kNoTerm = UINT32_MAX;

class TermGraph {
 public:
  TermIndex intern(const rdf::TermView& t) {
    key_.clear();
    key_.push_back(static_cast<char>(t.kind));
    key_.append(t.value);
    key_.push_back('\0');
    key_.append(t.datatype);
    key_.push_back('\0');
    key_.append(t.lang);
    auto [it, fresh] = index_.try_emplace(key_, static_cast<TermIndex>(terms_.size()));
    if (fresh) {
      terms_.emplace_back(t);
      out_.emplace_back();
      in_.emplace_back();
    }
    return it->second;
  }
  // The index of a term, or kNoTerm if the graph does not mention it.
  TermIndex find(const rdf::TermView& t) const {
    std::string k;
    k.push_back(static_cast<char>(t.kind));
    k.append(t.value);
    k.push_back('\0');
    k.append(t.datatype);
    k.push_back('\0');
    k.append(t.lang);
    auto it = index_.find(k);
    return it == index_.end() ? kNoTerm : it->second;
  }
  TermIndex iri(std::string_view v) const { return find(rdf::TermView::iri(v)); }

  // Adds a triple (duplicates are dropped).
  void add(const rdf::TermView& s, const rdf::TermView& p, const rdf::TermView& o) {
    TermIndex si = intern(s), pi = intern(p), oi = intern(o);
    if (!seen_.insert(TripleKey{si, pi, oi}).second) return;
    out_[si].emplace_back(pi, oi);
    in_[oi].emplace_back(pi, si);
    ++triples_;
  }

  const rdf::Term& term(TermIndex i) const { return terms_[i]; }
  size_t termCount() const { return terms_.size(); }
  size_t tripleCount() const { return triples_; }

  std::vector<TermIndex> objects(TermIndex s, TermIndex p) const {
    std::vector<TermIndex> r;
    if (s == kNoTerm || p == kNoTerm) return r;
    for (const auto& [ep, eo] : out_[s])
      if (ep == p) r.push_back(eo);
    return r;
  }
  std::vector<TermIndex> subjects(TermIndex p, TermIndex o) const {
    std::vector<TermIndex> r;
    if (o == kNoTerm || p == kNoTerm) return r;
    for (const auto& [ep, es] : in_[o])
      if (ep == p) r.push_back(es);
    return r;
  }
  // The first object, or kNoTerm.
  TermIndex object(TermIndex s, TermIndex p) const {
    if (s == kNoTerm || p == kNoTerm) return kNoTerm;
    for (const auto& [ep, eo] : out_[s])
      if (ep == p) return eo;
    return kNoTerm;
  }
  bool has(TermIndex s, TermIndex p, TermIndex o) const {
    if (s == kNoTerm || p == kNoTerm || o == kNoTerm) return false;
    for (const auto& [ep, eo] : out_[s])
      if (ep == p && eo == o) return true;
    return false;
  }
  const std::vector<std::pair<TermIndex, TermIndex>>& outgoing(TermIndex s) const {
    return out_[s];
  }
  // Subjects of triples with predicate p, in order of first appearance.
  std::vector<TermIndex> subjectsWith(TermIndex p) const {
    std::vector<TermIndex> r;
    if (p == kNoTerm) return r;
    for (TermIndex s = 0; s < out_.size(); ++s)
      for (const auto& [ep, eo] : out_[s])
        if (ep == p) {
          r.push_back(s);
          break;
        }
    return r;
  }

  // The members of an RDF list (rdf:first / rdf:rest ... rdf:nil). Errors: a
  // node without exactly one rdf:first and one rdf:rest, or a cycle.
  Result<std::vector<TermIndex>> list(TermIndex head) const {
    std::vector<TermIndex> r;
    const TermIndex first = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#first");
    const TermIndex rest = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest");
    const TermIndex nil = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil");
    std::vector<TermIndex> seen;
    for (TermIndex n = head; n != nil;) {
      if (n == kNoTerm) return Status::invalidArgument("a list ends without rdf:nil");
      for (TermIndex s : seen)
        if (s == n) return Status::invalidArgument("a list is cyclic");
      seen.push_back(n);
      auto f = objects(n, first);
      auto rs = objects(n, rest);
      if (f.size() != 1 || rs.size() != 1) {
        return Status::invalidArgument(
            rdf::toNTriples(term(n).view()) +
            " is not a well-formed RDF list node (it needs exactly one rdf:first "
            "and one rdf:rest)");
      }
      r.push_back(f[0]);
      n = rs[0];
    }
    return r;
  }

 private:
  struct TripleKey {
    TermIndex s, p, o;
    friend bool operator==(const TripleKey&, const TripleKey&) = default;
  };
  struct TripleHash {
    size_t operator()(const TripleKey& k) const {
      uint64_t h = (uint64_t{k.s} << 32 | k.p) * 0x9E3779B97F4A7C15ull;
      return static_cast<size_t>(h ^ (uint64_t{k.o} * 0xC2B2AE3D27D4EB4Full));
    }
  };
  std::unordered_set<TripleKey, TripleHash> seen_;
  std::vector<rdf::Term> terms_;
  std::unordered_map<std::string, TermIndex> index_;
  std::vector<std::vector<std::pair<TermIndex, TermIndex>>> out_, in_;
  size_t triples_ = 0;
  std::string key_;
};

}  // namespace weft::shacl::internal
