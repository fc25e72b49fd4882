// SPDX-License-Identifier: Apache-2.0
// fuzz_connectors: any bytes as a document for every connector (see
// targets.h). The bytes are written to a scratch file under several names
// (.json, .jsonld, .xml, .csv, tags.csv, ...) since detection looks at the
// name as well as the content; every connector that claims the file has its
// validate step run on it. Validation reads untrusted files before anything
// is written, so it must reject bad input with a message, never crash, and
// report an error with a non-empty message.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "connectors/api/connector.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {

int fuzzOneConnectors(const uint8_t* data, size_t size) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/weft-fuzz-connectors-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (!d) std::abort();
    return std::string(d);
  }();
  static const char* names[] = {"doc.json", "doc.jsonld", "doc.xml", "materials.csv", "tags.csv",
                                "timeseries_202501.csv", "deviations.csv", "coa.json"};
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string_view head = bytes.substr(0, 64 << 10);
  for (const char* name : names) {
    std::string path = dir + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
    for (const connectors::Connector& c : connectors::all()) {
      if (!c.detect || c.detect(path, head) == connectors::Match::kNo || !c.validate) continue;
      connectors::Document doc;
      doc.path = path;
      doc.name = name;
      doc.sha256 = "0";
      doc.graph = "https://w3id.org/weft/doc/0";
      uint64_t records = 0;
      Status st = c.validate(doc, &records);
      if (!st && st.message().empty()) {
        std::fprintf(stderr, "fuzz invariant broken in fuzz_connectors: %s refused %s without a message\n",
                     c.name.c_str(), name);
        std::abort();
      }
    }
    std::remove(path.c_str());
  }
  return 0;
}

}  // namespace weft::fuzz
