// SPDX-License-Identifier: Apache-2.0
// Fuzz target for mapping documents: any bytes as a Turtle mapping, loaded
// and validated (the loader is what reads untrusted mapping files; sources
// have their own targets). A document that loads is also run over an empty
// CSV file, so binding references and term maps is exercised too.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "engine/map/executor.h"
#include "engine/map/loader.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {

namespace {
class CountSink : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView&) override {
    ++n;
    return Status::ok();
  }
  size_t n = 0;
};
}  // namespace

int fuzzOneMapping(const uint8_t* data, size_t size) {
  if (size > (1u << 16)) return 0;
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("weft-fuzz-mapping-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::FILE* f = std::fopen((d / "data.csv").c_str(), "w");
    if (f) {
      std::fputs("id,name\n1,a\n", f);
      std::fclose(f);
    }
    return d.string();
  }();
  std::string text(reinterpret_cast<const char*>(data), size);
  map::LoadOptions lo;
  auto m = map::loadMappingText(text, "mapping.ttl", dir, lo);
  if (!m.isOk()) return 0;
  // Only sources inside the scratch folder: a fuzzed document must not read
  // arbitrary files of the machine running the fuzzer.
  for (auto& tm : m.value().maps) {
    auto& spec = tm.source.spec;
    if (spec.kind != sources::SourceSpec::Kind::kCsv || spec.path != dir + "/data.csv") return 0;
  }
  CountSink sink;
  map::RunOptions ro;
  ro.skip_errors = true;
  (void)map::runMapping(m.value(), ro, sink, nullptr);
  return 0;
}

}  // namespace weft::fuzz
