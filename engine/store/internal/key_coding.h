// SPDX-License-Identifier: Apache-2.0
// Internal: the delta step shared by the index runs (quad_run.cpp) and the
// change-log blobs (store.cpp). A key following `prev` (in sort order) is
// varint(delta << 2 | k), k being the first component that differs and delta
// the difference there, then the components after k as plain varints.
// Both formats are persistent: change them only with a store version bump.
#pragma once

#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/store/quad_run.h"

namespace weft::store::internal {

// `put(uint64_t)` appends one varint. An equal key (not sorted input) is
// written as a zero delta in the last component and still decodes.
template <typename Put>
void putKeyDelta(const Key& prev, const Key& k, Put&& put) {
  int d = 0;
  while (d < 4 && k[d] == prev[d]) ++d;
  if (d == 4) d = 3;
  put(((k[d] - prev[d]) << 2) | static_cast<uint64_t>(d));
  for (int j = d + 1; j < 4; ++j) put(k[j]);
}

// Applies one delta step to *key; nullptr on truncated input.
inline const uint8_t* getKeyDelta(const uint8_t* p, const uint8_t* end, Key* key) {
  uint64_t v;
  p = getVarint(p, end, &v);
  if (!p) return nullptr;
  int d = static_cast<int>(v & 3);
  (*key)[d] += v >> 2;
  for (int j = d + 1; j < 4 && p; ++j) p = getVarint(p, end, &(*key)[j]);
  return p;
}

}  // namespace weft::store::internal
