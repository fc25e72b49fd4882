// SPDX-License-Identifier: Apache-2.0
// Where a command writes: standard output (path "" or "-") or a file. A
// regular file (or a new one) is written under a temporary name and renamed
// on success, so a failed command leaves no half-written file; anything else
// (a device, a pipe) is written directly.
#pragma once

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/core/status.h"

namespace weft::cli {

struct Output {
  std::FILE* f = stdout;
  std::string path, tmp;
  Status open(const std::string& p) {
    if (p.empty() || p == "-") return Status::ok();
    path = p;
    struct stat st {};
    bool special = ::stat(p.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
    tmp = special ? std::string() : p + ".tmp";
    f = std::fopen(special ? p.c_str() : tmp.c_str(), "wb");
    if (!f) return Status::ioError("cannot create '" + p + "': " + std::strerror(errno));
    return Status::ok();
  }
  // Flushes and closes; on success renames into place, on failure removes
  // the temporary. `s` is the status so far.
  Status close(Status s) {
    const std::string name = path.empty() ? "standard output" : "'" + path + "'";
    if (std::fflush(f) != 0 && s) s = Status::ioError("cannot write to " + name + ": " + std::strerror(errno));
    if (f == stdout) return s;
    if (std::fclose(f) != 0 && s) s = Status::ioError("cannot write to " + name + ": " + std::strerror(errno));
    if (!tmp.empty()) {
      if (s && std::rename(tmp.c_str(), path.c_str()) != 0) s = Status::ioError("cannot rename to " + name);
      if (!s) std::remove(tmp.c_str());
    }
    return s;
  }
};

}  // namespace weft::cli
