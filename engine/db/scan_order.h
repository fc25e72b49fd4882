// SPDX-License-Identifier: Apache-2.0
// Internal to engine/db: which of the store's six permutations a scan pattern
// uses (Snapshot::scanOrder), so the datasets can report the sort order of a
// scan's output and the update overlay keeps its changes in the same orders;
// tests/unit/db checks that the reported order is the order the store really
// returns.
#pragma once

#include <array>

#include <string_view>

#include "engine/sparql/dataset.h"
#include "engine/store/store.h"

namespace weft::db::internal {

// A quad as (s, p, o, g) ids.
using IdKey = std::array<sparql::Id, 4>;

enum ScanPerm { kSPOG = 0, kPOSG, kOSPG, kGSPO, kGPOS, kGOSP };

// kPermComponents[p][i]: the quad component (0 s, 1 p, 2 o, 3 g) at position i.
inline constexpr int kPermComponents[6][4] = {
    {0, 1, 2, 3}, {1, 2, 0, 3}, {2, 0, 1, 3}, {3, 0, 1, 2}, {3, 1, 2, 0}, {3, 2, 0, 1}};
inline constexpr char kPermNames[6][5] = {"spog", "posg", "ospg", "gspo", "gpos", "gosp"};

// The permutation the store's Snapshot::scan uses for a pattern.
inline int scanPerm(const sparql::IdQuad& q) {
  const char* order = store::Snapshot::scanOrder(store::QuadIds{q.s, q.p, q.o, q.g});
  for (int p = 0; p < 6; ++p)
    if (std::string_view(kPermNames[p]) == order) return p;
  return kSPOG;
}

inline void writeOrder(int perm, char order[4]) {
  if (!order) return;
  for (int i = 0; i < 4; ++i) order[i] = kPermNames[perm][i];
}

inline IdKey permuted(const IdKey& k, int perm) {
  return {k[kPermComponents[perm][0]], k[kPermComponents[perm][1]], k[kPermComponents[perm][2]],
          k[kPermComponents[perm][3]]};
}

inline bool matches(const IdKey& k, const sparql::IdQuad& pat) {
  return (pat.s == sparql::kAnyId || pat.s == k[0]) && (pat.p == sparql::kAnyId || pat.p == k[1]) &&
         (pat.o == sparql::kAnyId || pat.o == k[2]) && (pat.g == sparql::kAnyId || pat.g == k[3]);
}

}  // namespace weft::db::internal
