// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry for fuzz_xml; the logic is weft::fuzz::fuzzOneXml (targets_xml.cpp).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return weft::fuzz::fuzzOneXml(data, size);
}
