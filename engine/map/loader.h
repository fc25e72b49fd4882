// SPDX-License-Identifier: Apache-2.0
// Loading a mapping document (Turtle or any RDF syntax weft reads) into the
// model. Three vocabularies are accepted and translated into RML-Core/IO/FNML:
//  - W3C KG-Construct RML, namespace http://w3id.org/rml/ ;
//  - legacy rml.io: rml: = http://semweb.mmlab.be/ns/rml#, with rr: (R2RML)
//    term maps, ql: reference formulations and fnml:functionValue functions;
//  - W3C R2RML (rr:logicalTable, rr:column, rr:sqlQuery) over an SQL database.
// Every problem in the document is reported before any data is read, naming
// the triples map and what is wrong.
#pragma once

#include <map>
#include <string>

#include "engine/core/status.h"
#include "engine/map/model.h"

namespace weft::map {

struct LoadOptions {
  std::string base;    // base IRI for generated IRIs (default http://example.com/base/)
  std::string sql_db;  // SQLite database for R2RML logical tables and D2RQ sources
  // Directory relative source paths resolve against (default: the mapping's;
  // with `input`, the input's).
  std::string source_dir;
  // Connector mappings name the document being ingested `rml:path "INPUT"`
  // (or the legacy `rml:source "INPUT"`); this file replaces it. For R2RML
  // logical tables without an explicit database it is the SQLite file.
  std::string input;
  // SPARQL sources: "http://localhost:PORT/ds1/sparql"-style endpoints are
  // replaced by this RDF file or weft store (conformance runs).
  std::string sparql_data;
  // The same per endpoint IRI (sd:endpoint), for mappings with several.
  std::map<std::string, std::string> sparql_endpoints;
};

// A well-formed BCP 47 language tag (RFC 5646 syntax; the registry is not consulted).
bool wellFormedLangTag(std::string_view tag);

Result<Mapping> loadMapping(const std::string& path, const LoadOptions& opts);
// The same from a document in memory (`name` for messages, `dir` for paths).
Result<Mapping> loadMappingText(std::string_view text, const std::string& name,
                                const std::string& dir, const LoadOptions& opts);

}  // namespace weft::map
