// SPDX-License-Identifier: Apache-2.0
// The list of connectors and the mapping documents compiled into weft.
#include "connectors/registry.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace weft::connectors {

struct EmbeddedFile {
  const char* path;
  const char* data;
  size_t size;
};
extern const EmbeddedFile kEmbeddedMappings[];  // embedded_mappings.cpp (cmake/EmbedFiles.cmake)

const std::vector<Connector>& all() {
  static const std::vector<Connector> list = {
      epcisJsonConnector(), epcisXmlConnector(),      b2mmlConnector(),          batchmlConnector(),
      sapCsvConnector(),    erpSqliteConnector(),     supplierCoaConnector(),   qmsCsvConnector(),   cmmsCsvConnector(),
      historianTagsConnector(), historianSamplesConnector(),
  };
  return list;
}

const Connector* find(std::string_view name) {
  for (const Connector& c : all())
    if (c.name == name) return &c;
  return nullptr;
}

Result<std::string> mappingText(const std::string& rel, const std::string& dir) {
  if (!dir.empty()) {
    std::ifstream in(dir + "/" + rel, std::ios::binary);
    if (!in) return Status::notFound("mapping " + dir + "/" + rel + " cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  for (const EmbeddedFile* f = kEmbeddedMappings; f->path; ++f)
    if (rel == f->path) return std::string(f->data, f->size);
  return Status::notFound("mapping " + rel + " is not built into weft");
}

std::vector<std::string> embeddedMappings() {
  std::vector<std::string> out;
  for (const EmbeddedFile* f = kEmbeddedMappings; f->path; ++f) out.emplace_back(f->path);
  return out;
}

}  // namespace weft::connectors
