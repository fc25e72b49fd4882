// SPDX-License-Identifier: Apache-2.0
// Byte helpers shared by the store and the I/O layers: LEB128 varints and a
// fast non-cryptographic 64-bit hash (not for security; for hash tables).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace weft {

inline void putVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Writes into p (at least 10 bytes); returns the byte count.
inline size_t putVarint(uint8_t* p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = static_cast<uint8_t>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  p[n++] = static_cast<uint8_t>(v);
  return n;
}

// Decodes a varint at p (bounded by end). Returns nullptr on truncation/overflow.
inline const uint8_t* getVarint(const uint8_t* p, const uint8_t* end, uint64_t* v) {
  uint64_t result = 0;
  for (unsigned shift = 0; shift < 64 && p < end; shift += 7) {
    uint64_t byte = *p++;
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      return p;
    }
  }
  return nullptr;
}

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// 64-bit hash of a byte string: 8-byte words folded with multiply-xorshift.
inline uint64_t hashBytes(std::string_view s, uint64_t seed = 0x9e3779b97f4a7c15ULL) {
  uint64_t h = seed ^ (s.size() * 0x87c37b91114253d5ULL);
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ mix64(w)) * 0x4cf5ad432745937fULL;
    h = (h << 31) | (h >> 33);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  if (n != 0) std::memcpy(&tail, p, n);  // p may be null for empty input (memcpy forbids it)
  h ^= mix64(tail ^ (static_cast<uint64_t>(n) << 56));
  return mix64(h);
}

}  // namespace weft
