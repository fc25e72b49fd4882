// SPDX-License-Identifier: Apache-2.0
// What the benchmark data generators share (gen_supply_chain.cpp,
// gen_mapping_input.cpp): a seeded PRNG that gives the same stream on every
// platform, and GS1 check digits. Header only, no dependencies, so each
// generator still builds from its one source file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace weft::bench {

// splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed ^ 0x9E3779B97F4A7C15ull) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n > 0); the modulo bias is irrelevant here.
  uint64_t below(uint64_t n) { return next() % n; }
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1))); }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <class T, size_t K>
  const T& pick(const T (&a)[K]) { return a[below(K)]; }

 private:
  uint64_t s_;
};

// Appends the GS1 mod-10 check digit to a string of digits.
inline std::string withCheckDigit(std::string digits) {
  int sum = 0;
  int w = 3;
  for (size_t i = digits.size(); i-- > 0;) {
    sum += (digits[i] - '0') * w;
    w = 4 - w;
  }
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

}  // namespace weft::bench
