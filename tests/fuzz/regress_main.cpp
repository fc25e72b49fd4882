// SPDX-License-Identifier: Apache-2.0
// fuzz_regress: replays files through a fuzz target's entry function in an
// ordinary (non-libFuzzer) build, so seeds and saved crash inputs stay
// regression tests. Usage: fuzz_regress TARGET PATH...
// Each PATH is a file or a folder (read recursively; names starting with '.'
// and README* are skipped); missing paths are skipped. A bug aborts the
// process (the test fails); otherwise it prints a count and exits 0.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/targets.h"

namespace fs = std::filesystem;

namespace {

bool skipName(const fs::path& p) {
  std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name.rfind("README", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s TARGET PATH...\ntargets:", argv[0]);
    for (const weft::fuzz::FuzzTarget* t = weft::fuzz::kFuzzTargets; t->name; ++t) std::fprintf(stderr, " %s", t->name);
    std::fprintf(stderr, "\n");
    return 2;
  }
  const weft::fuzz::FuzzTarget* target = weft::fuzz::kFuzzTargets;
  while (target->name && std::strcmp(target->name, argv[1]) != 0) ++target;
  if (!target->name) {
    std::fprintf(stderr, "unknown fuzz target %s\n", argv[1]);
    return 2;
  }

  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    fs::path p(argv[i]);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const fs::directory_entry& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && !skipName(e.path())) files.push_back(e.path());
      }
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::printf("%s: skipping missing %s\n", target->name, argv[i]);
    }
  }
  std::sort(files.begin(), files.end());

  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", p.c_str());
      return 1;
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::printf("%s: %s\n", target->name, p.c_str());
    std::fflush(stdout);
    target->fn(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  std::printf("%s: %zu inputs replayed without failure\n", target->name, files.size());
  return 0;
}
