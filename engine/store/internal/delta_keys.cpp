// SPDX-License-Identifier: Apache-2.0
#include "engine/store/internal/delta_keys.h"

#include <algorithm>

namespace weft::store::internal {

namespace {

// (a - minus) + plus for sorted unique ranges: the stretches of `a` between
// the changed keys are copied as blocks (found by binary search), not
// compared key by key.
void mergeInto(const Key* a, const Key* a_end, const Key* minus, const Key* minus_end,
               const Key* plus, const Key* plus_end, std::vector<Key>& out) {
  while (minus != minus_end || plus != plus_end) {
    // The next changed key; a key in both is removed, then added back.
    const bool take_minus = plus == plus_end || (minus != minus_end && !(*plus < *minus));
    const Key& k = take_minus ? *minus : *plus;
    const Key* j = std::lower_bound(a, a_end, k);
    out.insert(out.end(), a, j);
    a = j;
    if (a != a_end && *a == k) ++a;  // removed, or already there (kept once)
    if (take_minus) {
      ++minus;
    } else {
      out.push_back(k);
      ++plus;
    }
  }
  out.insert(out.end(), a, a_end);
}

}  // namespace

void DeltaKeys::append(std::shared_ptr<const KeyVec> chunk) {
  firsts_.push_back(chunk->front());
  ends_.push_back(size() + chunk->size());
  chunks_.push_back(std::move(chunk));
}

std::shared_ptr<const DeltaKeys> DeltaKeys::emptySet() {
  static const auto kEmpty = std::make_shared<const DeltaKeys>();
  return kEmpty;
}

std::shared_ptr<const DeltaKeys> DeltaKeys::fromSorted(KeyVec keys) {
  if (keys.empty()) return emptySet();
  auto out = std::make_shared<DeltaKeys>();
  out->appendSplit(std::move(keys));
  return out;
}

void DeltaKeys::appendSplit(KeyVec&& keys) {
  const size_t n = keys.size();
  if (n == 0) return;
  if (n <= 2 * kChunk) {
    append(std::make_shared<const KeyVec>(std::move(keys)));
    return;
  }
  const size_t pieces = n / kChunk;
  for (size_t i = 0; i < pieces; ++i) {
    auto b = keys.begin() + static_cast<std::ptrdiff_t>(n * i / pieces);
    auto e = keys.begin() + static_cast<std::ptrdiff_t>(n * (i + 1) / pieces);
    append(std::make_shared<const KeyVec>(b, e));
  }
}

std::shared_ptr<const DeltaKeys> DeltaKeys::merged(const DeltaKeys& old, const KeyVec& minus,
                                                   const KeyVec& plus) {
  auto out = std::make_shared<DeltaKeys>();
  out->chunks_.reserve(old.chunks_.size() + plus.size() / kChunk + 1);
  out->firsts_.reserve(out->chunks_.capacity());
  out->ends_.reserve(out->chunks_.capacity());
  const Key* m = minus.data();
  const Key* const m_end = m + minus.size();
  const Key* q = plus.data();
  const Key* const q_end = q + plus.size();
  if (old.chunks_.empty()) {
    out->appendSplit(KeyVec(plus));
    return out;
  }
  // Chunk i takes the changes below the next chunk's first key (chunk 0 also
  // those below its own first key, the last chunk everything after).
  const size_t n = old.chunks_.size();
  for (size_t i = 0; i < n; ++i) {
    const Key* me = m_end;
    const Key* qe = q_end;
    if (i + 1 < n) {
      me = std::lower_bound(m, m_end, old.firsts_[i + 1]);
      qe = std::lower_bound(q, q_end, old.firsts_[i + 1]);
    }
    const auto& chunk = old.chunks_[i];
    if (m == me && q == qe) {
      out->append(chunk);
      continue;
    }
    KeyVec keys;
    keys.reserve(chunk->size() + static_cast<size_t>(qe - q));
    mergeInto(chunk->data(), chunk->data() + chunk->size(), m, me, q, qe, keys);
    out->appendSplit(std::move(keys));
    m = me;
    q = qe;
  }
  return out;
}

namespace {
// The chunk that holds k if any does: the last whose first key is <= k (0 if none).
size_t chunkFor(const std::vector<Key>& firsts, const Key& k) {
  size_t i = static_cast<size_t>(std::upper_bound(firsts.begin(), firsts.end(), k) - firsts.begin());
  return i == 0 ? 0 : i - 1;
}
}  // namespace

bool DeltaKeys::contains(const Key& k) const {
  if (chunks_.empty()) return false;
  const KeyVec& c = *chunks_[chunkFor(firsts_, k)];
  return std::binary_search(c.begin(), c.end(), k);
}

size_t DeltaKeys::countPrefix(const Key& lower, int prefix_len) const {
  if (prefix_len <= 0) return size();
  Key lo, hi;
  const size_t end = prefixBounds(lower, prefix_len, &lo, &hi) ? rank(hi) : size();
  return end - rank(lo);
}

size_t DeltaKeys::rank(const Key& k) const {
  if (chunks_.empty()) return 0;
  const size_t i = chunkFor(firsts_, k);
  const KeyVec& c = *chunks_[i];
  return (i == 0 ? 0 : ends_[i - 1]) +
         static_cast<size_t>(std::lower_bound(c.begin(), c.end(), k) - c.begin());
}

void DeltaKeys::Iter::enterChunk(size_t c) {
  c_ = c;
  if (c < d_->chunks_.size()) {
    p_ = d_->chunks_[c]->data();
    e_ = p_ + d_->chunks_[c]->size();
  } else {
    p_ = e_ = nullptr;
  }
}

DeltaKeys::Iter DeltaKeys::begin() const {
  Iter it;
  it.d_ = this;
  it.enterChunk(0);
  return it;
}

DeltaKeys::Iter DeltaKeys::lowerBound(const Key& k) const {
  Iter it;
  it.d_ = this;
  if (chunks_.empty()) return it;
  const size_t i = chunkFor(firsts_, k);
  it.enterChunk(i);
  it.p_ = std::lower_bound(it.p_, it.e_, k);
  if (it.p_ == it.e_) it.enterChunk(i + 1);
  return it;
}

DeltaKeys::KeyVec DeltaKeys::difference(const DeltaKeys& a, const DeltaKeys& b) {
  KeyVec out;
  Iter i = a.begin(), j = b.begin();
  while (i.valid()) {
    const KeyVec* ci = i.chunkStart();
    if (ci && ci == j.chunkStart()) {  // the same chunk in both
      i.skipChunk();
      j.skipChunk();
      continue;
    }
    if (!j.valid() || *i < *j) {
      out.push_back(*i);
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++i;
      ++j;
    }
  }
  return out;
}

}  // namespace weft::store::internal
