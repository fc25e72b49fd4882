// SPDX-License-Identifier: Apache-2.0
// Memory figures of this process from /proc/self/status (Linux): the value
// of a line such as "VmRSS:" or "VmHWM:" (peak), in bytes; 0 if unavailable.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

namespace weft {

inline uint64_t procStatusBytes(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t klen = std::strlen(key);
  while (std::getline(in, line))
    if (line.compare(0, klen, key) == 0) return std::stoull(line.substr(klen + 1)) * 1024;
  return 0;
}

}  // namespace weft
