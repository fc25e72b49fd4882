// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry for fuzz_connectors; the logic is weft::fuzz::fuzzOneConnectors (targets_connectors.cpp).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return weft::fuzz::fuzzOneConnectors(data, size);
}
