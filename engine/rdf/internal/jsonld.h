// SPDX-License-Identifier: Apache-2.0
// Internal: the JSON-LD 1.1 processor (https://www.w3.org/TR/json-ld11-api/)
// behind readJsonLd(): context processing, expansion, node map generation and
// deserialization to RDF. Exposed for the conformance runner and unit tests.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/syntax.h"

namespace weft::rdf::internal {

// The JsonLdOptions of the API spec that we support (section 9.4), plus the
// limits and the offline document loader of ReadOptions.
struct JsonLdOptions {
  // Base IRI of the document; empty: none (relative IRIs stay relative and
  // are dropped when converting to RDF).
  std::string base;
  // "json-ld-1.1" or "json-ld-1.0".
  std::string processing_mode = "json-ld-1.1";
  // A context applied before the document's own (the API's expandContext):
  // JSON text of a context (or of an object with "@context"), or an IRI that
  // the loader resolves. Empty: none.
  std::string expand_context;
  // rdfDirection: "" (drop @direction), "i18n-datatype" or "compound-literal".
  std::string rdf_direction;
  // Emit triples whose predicate is a blank node (generalized RDF).
  bool produce_generalized_rdf = false;
  // Offline document loader: remote IRI prefix -> local path prefix. The
  // longest matching prefix wins; no match is "loading remote context failed".
  std::map<std::string, std::string> context_map;
  // Name of the document in error messages.
  std::string display_name = "<json-ld>";
  // Maximum size of the document and of each loaded context; 0 = 1 GiB.
  size_t max_document_bytes = 0;
  // Graph for default-graph quads (ReadOptions::graph); empty: default graph.
  std::string default_graph;
};

JsonLdOptions jsonLdOptionsFrom(const ReadOptions& opts);

// Expansion Algorithm (API 5.1) on a whole document: the expanded document as
// compact JSON text. Errors: Status::syntaxError whose message contains the
// JSON-LD error code (e.g. "invalid local context").
Result<std::string> jsonLdExpand(std::string_view doc, const JsonLdOptions& opts);
Result<std::string> jsonLdExpand(std::string_view doc, const ReadOptions& opts);

// Expansion, Node Map Generation (API 7.2) and Deserialize JSON-LD to RDF
// (API 8.1): quads into `sink`. Blank node labels are freshly generated
// ("b0", "b1", ...), never the document's labels.
Status jsonLdToRdf(std::string_view doc, const JsonLdOptions& opts, QuadSink& sink);

}  // namespace weft::rdf::internal
