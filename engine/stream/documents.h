// SPDX-License-Identifier: Apache-2.0
// An MES or EPCIS message through the same connector code as a batch file
// (connectors/, as `weft ingest` runs it): the connector is picked by the
// route (forced, or detected among the kind's connectors from the bytes),
// the document is checked before anything is kept, its mappings run with
// INPUT = the message's bytes, and the connector's `after` step adds what no
// mapping can. The quads are kept in memory so that a refused message leaves
// nothing in the batch's transaction.
#pragma once

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/stream/config.h"

namespace weft::stream {

struct MappedDocument {
  std::string connector;  // its name ("epcis-json")
  uint64_t records = 0;
  std::vector<rdf::Quad> quads;  // a quad without a graph goes to the document's graph
};

// `tmp_dir` holds the bytes as a file while the connector reads them (the
// connectors and the RML sources read files). `graph` is the document's graph.
Status mapDocument(const Route& route, const std::string& payload, const std::string& sha256, const std::string& graph,
                   const std::string& tmp_dir, MappedDocument* out);

}  // namespace weft::stream
