// SPDX-License-Identifier: Apache-2.0
// The MES connectors' parts (connectors/mes): recognising a B2MML or BatchML
// document by its root element and namespace, choosing its mapping documents
// (mappings/b2mml/, mappings/batchml/) and checking it before anything is
// written. b2mmlConnector() and batchmlConnector() (connectors/api) are made
// of these; they are declared here for the unit tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/connector.h"
#include "engine/core/status.h"

namespace weft::connectors::mes {

// The root element of a document: local name and namespace IRI.
struct Root {
  std::string local;
  std::string ns;
};

enum class Version { kNone, kV0401, kV0600, kV0700, kBatchmlV02 };

// What a document holds, from its root (verb + noun, or the bare noun).
enum class Kind { kNone, kMaterial, kEquipment, kSchedule, kPerformance, kBatchRecord, kMasterRecipe };

// The root element read from the start of a file (the first 64 KiB is
// enough): an empty local name when there is none.
Root rootOf(std::string_view head);
std::string readHead(const std::string& path);
Version versionOf(std::string_view ns);
// kNone for documents this connector does not map (Get/Cancel requests,
// unknown nouns or namespaces, XML Schema files).
Kind kindOf(const Root& root);
// Mapping documents relative to mappings/, in the order they run.
std::vector<std::string> mappingsFor(const Root& root);
// `batchml` selects the BatchML connector's share of the documents.
Match detect(const std::string& path, std::string_view head, bool batchml);
// Parses the whole document with libxml2 and checks what the mappings need;
// the error names the file, the element path (with the record's ID) and the
// reason. `records` gets the number of records (lots, equipment, requests,
// responses, segments, material actuals, phases, samples, recipe elements).
Status validate(const Document& doc, uint64_t* records);

}  // namespace weft::connectors::mes
