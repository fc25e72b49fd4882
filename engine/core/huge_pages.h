// SPDX-License-Identifier: Apache-2.0
// An allocator for large, randomly probed arrays (hash tables): large blocks
// are marked for transparent huge pages, so
// a probe costs a cache miss but rarely a TLB miss as well. Blocks come from
// malloc, so freed tables are reused by the next query; the advice covers the
// 2 MiB-aligned interior of blocks of 4 MiB or more. Where THP is off,
// madvise fails and nothing changes.
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace weft::core {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHuge = size_t{2} << 20;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) {
    size_t bytes = n * sizeof(T);
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    if (bytes >= 2 * kHuge) {  // the 2 MiB-aligned interior of the block
      auto lo = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
      auto hi = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHuge - 1);
      if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
    }
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

}  // namespace weft::core
