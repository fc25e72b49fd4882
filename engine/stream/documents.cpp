// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/documents.h"

#include <filesystem>
#include <fstream>

#include "connectors/api/connector.h"
#include "connectors/registry.h"
#include "engine/map/executor.h"
#include "engine/map/loader.h"

namespace weft::stream {

namespace {

namespace fs = std::filesystem;

// Collects a document's quads (owned: the views a mapping hands over live
// only for the call).
class KeepSink : public rdf::QuadSink {
 public:
  explicit KeepSink(std::vector<rdf::Quad>* out) : out_(out) {}
  Status quad(const rdf::QuadView& q) override {
    out_->emplace_back(q);
    return Status::ok();
  }

 private:
  std::vector<rdf::Quad>* out_;
};

bool ofKind(const connectors::Connector& c, Kind kind) {
  switch (kind) {
    case Kind::kEpcis: return c.name.rfind("epcis-", 0) == 0;
    case Kind::kMes: return c.name == "b2mml" || c.name == "batchml";
    case Kind::kDocument: return c.name != "historian-samples";  // needs the whole export: see docs/streaming.md
    case Kind::kHistorianSamples: return false;
  }
  return false;
}

// Removes the file when the mapping is done, whatever happened.
struct TempFile {
  std::string path;
  ~TempFile() {
    std::error_code ec;
    if (!path.empty()) fs::remove(path, ec);
  }
};

}  // namespace

Status mapDocument(const Route& route, const std::string& payload, const std::string& sha256, const std::string& graph,
                   const std::string& tmp_dir, MappedDocument* out) {
  size_t first = payload.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const bool xml = first != std::string::npos && payload[first] == '<';
  TempFile tmp;
  tmp.path = (fs::path(tmp_dir) / (sha256 + (xml ? ".xml" : ".json"))).string();
  {
    std::error_code ec;
    fs::create_directories(tmp_dir, ec);
    std::ofstream f(tmp.path, std::ios::binary | std::ios::trunc);
    f.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    if (!f) return Status::ioError("cannot write '" + tmp.path + "' for the connector to read");
  }
  const connectors::Connector* conn = nullptr;
  if (!route.connector.empty()) {
    conn = connectors::find(route.connector);
    if (!conn) return Status::invalidArgument("no connector named '" + route.connector + "'");
  } else {
    const std::string_view head(payload.data(), std::min<size_t>(payload.size(), 64 << 10));
    connectors::Match best = connectors::Match::kNo;
    for (const connectors::Connector& c : connectors::all()) {
      if (!ofKind(c, route.kind) || !c.detect) continue;
      connectors::Match m = c.detect(tmp.path, head);
      if (m > best) {
        best = m;
        conn = &c;
      }
    }
    if (!conn) return Status::invalidArgument(std::string("no ") + kindName(route.kind) + " connector reads it");
  }
  out->connector = conn->name;
  if (conn->name == "historian-samples")  // its rows belong in the table: use a historian-samples route
    return Status::invalidArgument("the historian sample export is not read from a document route");
  connectors::Document doc;
  doc.path = tmp.path;
  doc.name = fs::path(tmp.path).filename().string();
  doc.sha256 = sha256;
  doc.graph = graph;
  // No store_dir: a connector that writes beside the store (the historian
  // samples table) is not reachable from a document route.
  if (conn->validate) WEFT_TRY(conn->validate(doc, &out->records));
  KeepSink sink(&out->quads);
  uint64_t mapped_records = 0;
  for (const std::string& rel : conn->mappings ? conn->mappings(doc) : std::vector<std::string>{}) {
    auto text = connectors::mappingText(rel, "");
    if (!text) return text.status();
    map::LoadOptions lo;
    lo.input = tmp.path;
    auto mapping = map::loadMappingText(text.value(), "mappings/" + rel, tmp_dir, lo);
    if (!mapping) return Status::invalidArgument("mapping " + rel + ": " + mapping.status().message());
    map::RunOptions ro;
    ro.dedupe = true;
    map::RunStats stats;
    WEFT_TRY(map::runMapping(mapping.value(), ro, sink, &stats));
    mapped_records = std::max(mapped_records, stats.records);
  }
  if (conn->after) {
    uint64_t after_records = 0;
    WEFT_TRY(conn->after(doc, sink, &after_records));
    if (out->records == 0) out->records = after_records;
  }
  if (out->records == 0) out->records = mapped_records;
  return Status::ok();
}

}  // namespace weft::stream
