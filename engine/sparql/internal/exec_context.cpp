// SPDX-License-Identifier: Apache-2.0
#include "engine/sparql/internal/exec_context.h"

#include <algorithm>
#include <random>

namespace weft::sparql::internal {

namespace {
void termKey(const rdf::Term& t, std::string* k) {
  k->clear();
  k->push_back(static_cast<char>(t.kind));
  k->append(t.value);
  k->push_back('\0');
  k->append(t.datatype);
  k->push_back('\0');
  k->append(t.lang);
}
}  // namespace

ExecContext::ExecContext(const Dataset& d, const ExecOptions& o, size_t n)
    : data(d), opts(o), nvars(n) {
  std::random_device rd;
  uint64_t seed = (uint64_t{rd()} << 32) ^ rd();
  fn.rng.seed(seed);
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) bnode_prefix_.push_back(hex[(seed >> (4 * i)) & 15]);
}

std::vector<Id> ExecContext::namedGraphs() {
  if (has_named) return named;
  if (!named_cached_) {
    named_cache_ = data.namedGraphs();
    named_cached_ = true;
  }
  return named_cache_;
}

bool ExecContext::isNamedGraph(Id g) {
  if (has_named) return std::find(named.begin(), named.end(), g) != named.end();
  if (g == kDefaultGraphId || g == kAnyId) return false;
  // A graph of the store is one with a quad the dataset shows: one seek, where listing every
  // graph (namedGraphs) costs one per graph.
  IdQuad q;
  return data.scan(IdQuad{kAnyId, kAnyId, kAnyId, g})->next(&q);
}

Id ExecContext::lookupOrZero(const rdf::Term& t) {
  if (t.kind == rdf::TermKind::kNone) return kAnyId;
  Id id = data.lookup(t.view());
  if (id != kAnyId) return id;
  termKey(t, &key_);
  auto it = local_index_.find(key_);
  return it == local_index_.end() ? kAnyId : it->second;
}

Id ExecContext::intern(const rdf::Term& t) {
  Id id = lookupOrZero(t);
  // Not found: lookupOrZero left the term's local key in key_.
  if (id != kAnyId || t.kind == rdf::TermKind::kNone) return id;
  Id nid = kQueryIdBits | local_.size();
  local_.push_back(t);
  local_index_.emplace(key_, nid);
  return nid;
}

const rdf::Term& ExecContext::term(Id id) {
  static const rdf::Term kUnbound;
  if (id == kAnyId) return kUnbound;
  if ((id & kQueryIdBits) == kQueryIdBits) return local_[id & ~kQueryIdBits];
  if (cache_.empty()) cache_.resize(kCacheSlots);
  CacheSlot& slot = cache_[(id * 0x9E3779B97F4A7C15ull) >> (64 - kCacheBits)];
  if (slot.id == id) return slot.term;
  slot.id = kAnyId;
  if (!data.decode(id, &slot.term)) return kUnbound;
  slot.id = id;
  return slot.term;
}

void ExecContext::checkLimits() {
  if (opts.cancel && opts.cancel->load(std::memory_order_relaxed))
    throw Aborted{Status::aborted("query cancelled")};
  if (opts.deadline != std::chrono::steady_clock::time_point::max() &&
      std::chrono::steady_clock::now() > opts.deadline)
    throw Aborted{Status::aborted("query timed out")};
}

std::string ExecContext::freshBlankLabel() {
  return "q" + bnode_prefix_ + "_" + std::to_string(++bnodes_);
}

}  // namespace weft::sparql::internal
