// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the XML logical source (engine/sources/xml_source.cpp):
// any bytes as an XML document, read with a fixed iterator and references.
// Invariants: no crash or sanitizer report, and the two strategies (the tree
// and the streaming reader) give the same records and values whenever both
// read the whole document without error.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sources/internal/xml_source.h"
#include "engine/sources/source.h"

namespace weft::fuzz {
namespace {

using sources::internal::XmlMode;

constexpr size_t kMaxInput = size_t{256} << 10;
constexpr size_t kMaxRecords = 5000;

[[noreturn]] void failXml(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in fuzz_xml: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Reads the document; returns false on any error. *out gets one line per
// record: each reference's values, separated by control characters.
bool readRecords(const sources::SourceSpec& spec, std::string_view doc, XmlMode mode,
                 const std::vector<std::string>& refs, std::vector<std::string>* out) {
  auto src = sources::internal::openXmlMemory(spec, doc, mode);
  if (!src.isOk()) return false;
  std::vector<sources::RefId> ids;
  for (const std::string& r : refs) {
    sources::RefId id = 0;
    if (!(*src)->compile(r, &id).isOk()) return false;
    ids.push_back(id);
  }
  std::vector<sources::Value> vals;
  bool has = false;
  while (out->size() < kMaxRecords) {
    if (!(*src)->next(&has).isOk()) return false;
    if (!has) return true;
    std::string row = (*src)->position();
    for (sources::RefId id : ids) {
      vals.clear();
      if (!(*src)->values(id, &vals).isOk()) return false;
      row.push_back('\x1e');
      for (const sources::Value& v : vals) {
        if (v.kind != sources::ValueKind::kString) failXml("an XML value is not a string");
        row += v.text;
        row.push_back('\x1f');
      }
    }
    out->push_back(std::move(row));
  }
  return false;  // too many records to compare
}

}  // namespace

int fuzzOneXml(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  std::string_view doc(reinterpret_cast<const char*>(data), size);

  sources::SourceSpec spec;
  spec.kind = sources::SourceSpec::Kind::kXml;
  spec.path = "fuzz.xml";
  spec.iterator = "/r/item";
  spec.namespaces = {{"ex", "http://example.org/ns"}};
  spec.nulls = {"NULL"};
  // Simple references (walked directly) and general XPath that stays inside
  // the record: both strategies must agree on them.
  const std::vector<std::string> refs = {
      "@id", "name", "ex:v/text()", "../@id", "sub/name", ".", "text()",
      "count(*)", "concat(name, '|', @ex:a)", "sub/name[2]", "string-length(.) > 3"};
  std::vector<std::string> tree, stream;
  bool tree_ok = readRecords(spec, doc, XmlMode::kDom, refs, &tree);
  bool stream_ok = readRecords(spec, doc, XmlMode::kStream, refs, &stream);
  if (tree_ok && stream_ok && tree != stream) {
    size_t i = 0;
    while (i < tree.size() && i < stream.size() && tree[i] == stream[i]) ++i;
    failXml("tree and stream disagree at record " + std::to_string(i) + ": '" +
            (i < tree.size() ? tree[i] : "<end>") + "' vs '" +
            (i < stream.size() ? stream[i] : "<end>") + "'");
  }

  // A tree-only iterator and references that leave the record.
  sources::SourceSpec any = spec;
  any.iterator = "//item | //ex:item | //@id";
  std::vector<std::string> rows;
  (void)readRecords(any, doc, XmlMode::kAuto,
                    {"../name", "position()", "ancestor::*[1]/@id", "//ex:v", "name(..)",
                     "sum(.//n) div 3"},
                    &rows);
  return 0;
}

}  // namespace weft::fuzz
