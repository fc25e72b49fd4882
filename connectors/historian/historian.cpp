// SPDX-License-Identifier: Apache-2.0
// The historian connectors (connectors/api/connector.h):
//  - historian-tags reads a tag dictionary (tags.csv) through the mapping
//    mappings/historian/tags-{org}.ttl and adds each tag's QUDT unit, which
//    needs a lookup table no mapping holds (historian.h, qudtUnit);
//  - historian-samples reads a sample export (timeseries_<yyyymm>.csv): the
//    samples go to DIR/timeseries.sqlite beside the store, the graph gets
//    phase summaries and excursions (timeseries.cpp).
// The organisation (aurelian, brightwater, meridian), which every IRI names,
// comes from the folder the file is in (.../aurelian/historian/tags.csv).
#include "connectors/api/connector.h"
#include "connectors/historian/historian.h"
#include "connectors/internal/files.h"
#include "engine/store/store.h"

namespace weft::connectors {

namespace {

Result<std::string> orgOf(const Document& doc) {
  std::string org = historian::orgOfPath(doc.path);
  if (org.empty()) {
    return Status::invalidArgument(doc.name + ": cannot tell the organisation from the path: a historian file "
                                              "belongs in a folder named aurelian, brightwater or meridian "
                                              "(ORG/historian/" + doc.name + ")");
  }
  return org;
}

Result<std::string> readAll(const Document& doc) { return internal::readAll(doc.path, doc.path); }

// The tag dictionary, read and checked (validate and after both need it).
Result<std::vector<historian::TagRow>> readTags(const Document& doc, uint64_t* records) {
  auto org = orgOf(doc);
  if (!org) return org.status();
  auto text = readAll(doc);
  if (!text) return text.status();
  auto tags = historian::parseTags(text.value(), doc.name);
  if (!tags) return tags.status();
  if (records) *records = tags->size();
  return tags;
}

}  // namespace

Connector historianTagsConnector() {
  Connector c;
  c.name = "historian-tags";
  c.summary = "historian tag dictionary (tags.csv): dt:Tag / sosa:Sensor with equipment, unit, limits, CPP";
  c.detect = [](const std::string& path, std::string_view head) {
    std::string h = internal::csvHeaderKey(head);
    if (h.rfind("tag,description,equipment_id,", 0) == 0) return Match::kByContent;
    if (internal::fileName(path) == "tags.csv" && h.rfind("tag,", 0) == 0) return Match::kByName;
    return Match::kNo;
  };
  c.validate = [](const Document& doc, uint64_t* records) -> Status { return readTags(doc, records).status(); };
  c.mappings = [](const Document& doc) {
    return std::vector<std::string>{"historian/tags-" + historian::orgOfPath(doc.path) + ".ttl"};
  };
  // qudt:unit: the QUDT unit of the UCUM / UN/CEFACT code.
  c.after = [](const Document& doc, rdf::QuadSink& out, uint64_t* records) -> Status {
    auto tags = readTags(doc, records);
    if (!tags) return tags.status();
    const std::string base = "https://data." + historian::orgOfPath(doc.path) + ".example/tag/";
    for (const historian::TagRow& t : tags.value()) {
      std::string unit = historian::qudtUnit(t.unit_ucum, t.unit_unece);
      if (unit.empty()) continue;
      std::string s = base + historian::iriSegment(t.tag);
      WEFT_TRY(out.quad({rdf::TermView::iri(s), rdf::TermView::iri("http://qudt.org/schema/qudt/unit"),
                         rdf::TermView::iri(unit), {}}));
    }
    return Status::ok();
  };
  return c;
}

Connector historianSamplesConnector() {
  Connector c;
  c.name = "historian-samples";
  c.stage = 1;  // after the MES phases and the tag dictionary of the same run
  c.summary = "historian samples (tag,timestamp,value,quality CSV): rows to DIR/timeseries.sqlite; phase "
              "summaries and excursions to the graph";
  c.detect = [](const std::string& path, std::string_view head) {
    std::string h = internal::csvHeaderKey(head);
    if (h == "tag,timestamp,value,quality") return Match::kByContent;
    std::string name = internal::fileName(path);
    if (name.starts_with("timeseries_") && name.ends_with(".csv"))
      return Match::kByName;
    return Match::kNo;
  };
  c.validate = [](const Document& doc, uint64_t* records) -> Status {
    auto text = readAll(doc);
    if (!text) return text.status();
    auto samples = historian::parseSamples(text.value(), doc.name);
    if (!samples) return samples.status();
    if (records) *records = samples->samples.size();
    return Status::ok();
  };
  c.mappings = [](const Document&) { return std::vector<std::string>{}; };
  c.after = [](const Document& doc, rdf::QuadSink& out, uint64_t* records) -> Status {
    // Without a store (weft ingest --dry-run) there is no table to write and
    // no tag or phase to read: validate has checked the document.
    if (doc.store_dir.empty()) return Status::ok();
    auto text = readAll(doc);
    if (!text) return text.status();
    // The store as last committed (the tag dictionary and the MES phase runs
    // were ingested before); read-only, so it does not wait for the writer.
    auto graph = store::Store::open(doc.store_dir, store::OpenMode::kReadOnly);
    if (!graph) return graph.status();
    return historian::ingestSamples(doc, text.value(), *graph.value(), doc.store_dir + "/timeseries.sqlite", out,
                                    records);
  };
  return c;
}

}  // namespace weft::connectors
