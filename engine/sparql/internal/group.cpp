// SPDX-License-Identifier: Apache-2.0
// GROUP BY and aggregates (SPARQL 1.1 section 18.5.1): Group, then the set
// functions per group: COUNT (bound, error-free values), SUM and AVG
// (op:numeric-add with type promotion; any error makes the aggregate an error,
// which leaves its variable unbound), MIN / MAX (the ORDER BY order of 15.1),
// SAMPLE, GROUP_CONCAT (the string values joined by the separator). With no
// GROUP BY, the whole input is one group, also when it is empty.
#include <algorithm>
#include <unordered_set>

#include "engine/sparql/internal/ops_impl.h"

namespace weft::sparql::internal {

namespace {
struct Acc {
  bool error = false;
  uint64_t count = 0;
  bool has_value = false;
  rdf::Term value;  // SUM / MIN / MAX / SAMPLE
  std::string concat;
  bool concat_started = false;
  std::unordered_set<Id> distinct_ids;
  std::unordered_set<std::string> distinct_rows;
};

// Group numbers by key tuple (w ids each): open addressing over the tuples
// stored flat, so a lookup is one hash and, usually, one cache line.
class TupleIndex {
 public:
  explicit TupleIndex(size_t w) : w_(w), table_(16, kEmpty) {}
  size_t size() const { return keys_.size() / std::max<size_t>(w_, 1); }
  const Id* key(size_t g) const { return keys_.data() + g * w_; }
  // The group of `k`; *added tells whether it is new.
  size_t findOrAdd(const Id* k, bool* added) {
    if (w_ == 0) {
      *added = count_ == 0;
      count_ = 1;
      return 0;
    }
    size_t mask = table_.size() - 1;
    for (size_t b = hash(k) & mask;; b = (b + 1) & mask) {
      uint32_t g = table_[b];
      if (g == kEmpty) break;
      if (std::equal(k, k + w_, key(g))) {
        *added = false;
        return g;
      }
    }
    *added = true;
    size_t g = size();
    keys_.insert(keys_.end(), k, k + w_);
    if (2 * (g + 1) > table_.size()) {
      std::vector<uint32_t>(table_.size() * 2, kEmpty).swap(table_);
      for (size_t i = 0; i <= g; ++i) place(i);
    } else {
      place(g);
    }
    return g;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  uint64_t hash(const Id* k) const {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < w_; ++i) h = (h ^ k[i]) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 32);
  }
  void place(size_t g) {
    size_t mask = table_.size() - 1;
    size_t b = hash(key(g)) & mask;
    while (table_[b] != kEmpty) b = (b + 1) & mask;
    table_[b] = static_cast<uint32_t>(g);
  }
  size_t w_;
  size_t count_ = 0;  // w_ == 0: the one group
  std::vector<uint32_t> table_;
  std::vector<Id> keys_;
};

bool isStringLike(const rdf::Term& t) {
  return t.kind == rdf::TermKind::kLiteral &&
         (t.datatype == rdf::kXsdString || t.datatype == rdf::kRdfLangString);
}
}  // namespace

void GroupOp::open(const Id* input) {
  (void)input;
  rows_.clear();
  pos_ = 0;
  size_t n = ctx_.nvars;
  std::vector<Id> zero(n, kAnyId), row(n);
  TupleIndex index(keys_.size());
  std::vector<std::vector<Acc>> accs;
  std::vector<Id> kv(keys_.size());

  child_->open(zero.data());
  while (child_->next(row.data())) {
    ev_.newSolution();
    for (size_t i = 0; i < keys_.size(); ++i) kv[i] = ev_.evalId(keys_[i], row.data());
    bool added;
    size_t g = index.findOrAdd(kv.data(), &added);
    if (added) accs.emplace_back(aggs_.size());
    for (size_t a = 0; a < aggs_.size(); ++a) {
      const Expr& ae = *aggs_[a].e;
      Acc& acc = accs[g][a];
      if (acc.error) continue;
      if (ae.star) {  // COUNT(*) [DISTINCT]
        if (ae.distinct) {
          std::string rk(reinterpret_cast<const char*>(row.data()), n * sizeof(Id));
          if (!acc.distinct_rows.insert(rk).second) continue;
        }
        ++acc.count;
        continue;
      }
      // COUNT of a variable needs no term, only whether (and which) id is bound.
      if (ae.aggregate == AggregateKind::kCount &&
          aggs_[a].args[0].e->kind == ExprKind::kVariable) {
        Id id = row[aggs_[a].args[0].e->var];
        if (id == kAnyId) continue;
        if (ae.distinct && !acc.distinct_ids.insert(id).second) continue;
        ++acc.count;
        continue;
      }
      auto v = ev_.eval(aggs_[a].args[0], row.data());
      if (!v) {
        // COUNT / SAMPLE / MIN / MAX skip errors and unbound values; SUM, AVG
        // and GROUP_CONCAT become errors (18.5.1: the set function errors).
        if (ae.aggregate == AggregateKind::kSum || ae.aggregate == AggregateKind::kAvg ||
            ae.aggregate == AggregateKind::kGroupConcat)
          acc.error = true;
        continue;
      }
      if (ae.distinct) {
        Id id = ctx_.intern(*v);
        if (!acc.distinct_ids.insert(id).second) continue;
      }
      switch (ae.aggregate) {
        case AggregateKind::kCount:
          ++acc.count;
          break;
        case AggregateKind::kSum:
        case AggregateKind::kAvg: {
          ++acc.count;
          if (!acc.has_value) {
            auto z = arithmetic(ExprKind::kAdd, integerLiteral(0), *v);
            if (!z) acc.error = true;
            else acc.value = std::move(*z), acc.has_value = true;
          } else {
            auto s = arithmetic(ExprKind::kAdd, acc.value, *v);
            if (!s) acc.error = true;
            else acc.value = std::move(*s);
          }
          break;
        }
        case AggregateKind::kMin:
        case AggregateKind::kMax:
          if (!acc.has_value) {
            acc.value = std::move(*v);
            acc.has_value = true;
          } else {
            int c = orderCompare(*v, acc.value);
            if ((ae.aggregate == AggregateKind::kMin && c < 0) ||
                (ae.aggregate == AggregateKind::kMax && c > 0))
              acc.value = std::move(*v);
          }
          break;
        case AggregateKind::kSample:
          if (!acc.has_value) {
            acc.value = std::move(*v);
            acc.has_value = true;
          }
          break;
        case AggregateKind::kGroupConcat:
          if (!isStringLike(*v)) {
            acc.error = true;
            break;
          }
          if (acc.concat_started) acc.concat += ae.separator;
          acc.concat_started = true;
          acc.concat += v->value;
          break;
      }
    }
  }
  if (accs.empty() && keys_.empty()) {  // no GROUP BY: one group, even of nothing
    bool added;
    index.findOrAdd(kv.data(), &added);
    accs.emplace_back(aggs_.size());
  }

  for (size_t g = 0; g < accs.size(); ++g) {
    std::fill(row.begin(), row.end(), kAnyId);
    for (size_t i = 0; i < keys_.size(); ++i)
      if (p_.group_vars[i] >= 0) row[p_.group_vars[i]] = index.key(g)[i];
    for (size_t a = 0; a < aggs_.size(); ++a) {
      const Expr& ae = *aggs_[a].e;
      Acc& acc = accs[g][a];
      if (acc.error) continue;
      std::optional<rdf::Term> out;
      switch (ae.aggregate) {
        case AggregateKind::kCount:
          out = integerLiteral(static_cast<int64_t>(acc.count));
          break;
        case AggregateKind::kSum:
          out = acc.has_value ? acc.value : integerLiteral(0);
          break;
        case AggregateKind::kAvg:
          if (acc.count == 0)
            out = integerLiteral(0);
          else
            out = arithmetic(ExprKind::kDivide, acc.value,
                             integerLiteral(static_cast<int64_t>(acc.count)));
          break;
        case AggregateKind::kMin:
        case AggregateKind::kMax:
        case AggregateKind::kSample:
          if (acc.has_value) out = acc.value;
          break;
        case AggregateKind::kGroupConcat:
          // A simple literal, also when every value shares a language
          // (W3C agg-groupconcat-4).
          out = rdf::Term::literal(acc.concat);
          break;
      }
      if (out) row[p_.aggregate_vars[a]] = ctx_.intern(*out);
    }
    rows_.insert(rows_.end(), row.begin(), row.end());
  }
}

bool GroupOp::next(Id* out) {
  if (!replayRow(rows_, &pos_, ctx_.nvars, out)) return false;
  ++actual;
  return true;
}

}  // namespace weft::sparql::internal
