// SPDX-License-Identifier: Apache-2.0
// StoreImpl::check: the integrity check behind `weft check`.
#include <algorithm>
#include <sstream>

#include "engine/store/internal/store_impl.h"
#include "engine/store/term_codec.h"

namespace weft::store {

Status StoreImpl::check(std::string* report) const {
  std::ostringstream out;
  auto v = current();
  Snapshot snap(v, this);
  int problems = 0;
  auto problem = [&](const std::string& m) {
    ++problems;
    out << "FAIL " << m << "\n";
  };
  if (durable_) {
    std::lock_guard<std::mutex> g(db_mu_);
    auto st = db_->prepare("PRAGMA quick_check");
    Status s;
    if (st && st->step(&s)) {
      std::string r(st->columnBlob(0));
      if (r != "ok") problem("sqlite quick_check: " + r);
      else out << "ok   sqlite quick_check\n";
    } else {
      problem("sqlite quick_check did not run");
    }
  }
  // 1. Each run decodes, is sorted and has its stated count.
  for (int p = 0; p < kPermCount; ++p) {
    Status s = v->runs[p]->verify();
    if (!s) problem(std::string(kPermNames[p]) + ": " + s.message());
  }
  // 2. All permutations hold the same quads.
  std::vector<Key> ref;
  {
    auto c = snap.scan(QuadIds{});
    QuadIds q;
    while (c.next(&q)) ref.push_back(Key{q.s, q.p, q.o, q.g});
  }
  if (ref.size() != v->quad_count) {
    problem("spog holds " + std::to_string(ref.size()) + " quads, expected " + std::to_string(v->quad_count));
  }
  if (!std::is_sorted(ref.begin(), ref.end()) || std::adjacent_find(ref.begin(), ref.end()) != ref.end()) {
    problem("spog is not strictly sorted");
  }
  for (int p = 1; p < kPermCount; ++p) {
    std::vector<Key> other;
    other.reserve(ref.size());
    Key k;
    auto c = v->runs[p]->scan(Key{0, 0, 0, 0}, 0);
    const auto& dels = *v->dels[p];
    while (c.next(&k)) {
      if (!dels.contains(k)) other.push_back(fromPerm(k, p));
    }
    v->adds[p]->forEach([&](const Key& a) { other.push_back(fromPerm(a, p)); });
    std::sort(other.begin(), other.end());
    if (other != ref) problem(std::string(kPermNames[p]) + " differs from spog");
  }
  out << (problems == 0 ? "ok   " : "     ") << ref.size() << " quads in 6 permutations\n";
  // 3. Every id used is a term that decodes, and lookup(decode(id)) == id.
  uint64_t bad_ids = 0;
  for (const Key& q : ref) {
    for (int i = 0; i < 4; ++i) {
      if (i == 3 && q[i] == kDefaultGraph) continue;
      if (q[i] < kFirstTermId || q[i] >= v->next_term_id) ++bad_ids;
    }
  }
  if (bad_ids) problem(std::to_string(bad_ids) + " quad components use unknown term ids");
  uint64_t bad_terms = 0;
  std::string bytes;
  for (TermId id = kFirstTermId; id < v->next_term_id; ++id) {
    rdf::TermView tv;
    if (!decodeBytes(id, &bytes) || !decodeTerm(bytes, &tv) || lookupEncoded(bytes, v->next_term_id) != id) {
      if (++bad_terms <= 5) problem("term " + std::to_string(id) + " does not round-trip through the dictionary");
    }
  }
  out << (bad_terms == 0 ? "ok   " : "     ") << (v->next_term_id - kFirstTermId) << " terms round-trip\n";
  // 4. The committed log in SQLite agrees with the index.
  if (durable_) {
    std::lock_guard<std::mutex> g(db_mu_);
    auto st = db_->prepare("SELECT COALESCE(SUM(CASE op WHEN 1 THEN count ELSE -count END), 0) FROM batches");
    Status s;
    if (st && st->step(&s)) {
      int64_t n = st->columnInt(0);
      if (n != static_cast<int64_t>(v->quad_count)) {
        problem("the database log sums to " + std::to_string(n) + " quads, the index holds " +
                std::to_string(v->quad_count));
      } else {
        out << "ok   database log agrees (" << n << " quads)\n";
      }
    }
  }
  *report = out.str();
  if (problems) return Status::corruption(std::to_string(problems) + " integrity problem(s) found");
  return Status::ok();
}

}  // namespace weft::store
