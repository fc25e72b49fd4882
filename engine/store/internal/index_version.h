// SPDX-License-Identifier: Apache-2.0
// Internal: one immutable version of the quad indexes (runs + delta).
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "engine/store/internal/delta_keys.h"
#include "engine/store/quad_run.h"

namespace weft::store {

enum Perm { kSPOG = 0, kPOSG, kOSPG, kGSPO, kGPOS, kGOSP, kPermCount };

// kOrder[p][i]: which quad component (0 s, 1 p, 2 o, 3 g) is the i-th of perm p.
inline constexpr int kOrder[kPermCount][4] = {
    {0, 1, 2, 3}, {1, 2, 0, 3}, {2, 0, 1, 3}, {3, 0, 1, 2}, {3, 1, 2, 0}, {3, 2, 0, 1}};
inline constexpr const char* kPermNames[kPermCount] = {"spog", "posg", "ospg",
                                                       "gspo", "gpos", "gosp"};

inline Key toPerm(const Key& q, int p) {
  return {q[kOrder[p][0]], q[kOrder[p][1]], q[kOrder[p][2]], q[kOrder[p][3]]};
}
inline Key fromPerm(const Key& k, int p) {
  Key q{};
  for (int i = 0; i < 4; ++i) q[kOrder[p][i]] = k[i];
  return q;
}

// A version: quads = (runs - dels) + adds, per permutation. Invariants:
// adds and runs are disjoint; dels is a subset of runs; all sorted.
struct IndexVersion {
  std::array<std::shared_ptr<const QuadRun>, kPermCount> runs;
  std::array<std::shared_ptr<const internal::DeltaKeys>, kPermCount> adds;
  std::array<std::shared_ptr<const internal::DeltaKeys>, kPermCount> dels;
  uint64_t quad_count = 0;
  uint64_t next_term_id = 2;  // terms with smaller ids are visible
  uint64_t txn = 0;           // last transaction applied
  uint64_t deltaSize() const { return adds[0]->size() + dels[0]->size(); }
};

}  // namespace weft::store
