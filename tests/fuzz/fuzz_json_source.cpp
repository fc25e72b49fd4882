// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry for fuzz_json_source; the logic is weft::fuzz::fuzzOneJsonSource (targets_sources.cpp).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return weft::fuzz::fuzzOneJsonSource(data, size);
}
