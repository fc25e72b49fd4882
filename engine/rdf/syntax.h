// SPDX-License-Identifier: Apache-2.0
// RDF syntaxes in and out. Readers stream into a QuadSink; memory does not
// grow with the file (except JSON-LD, whose documents are trees held in
// memory, and RDF/XML, which raptor parses with bounded state).
//   N-Triples, N-Quads, Turtle, TriG: Serd   (rdf/serd_reader.cpp)
//   RDF/XML:                         Raptor  (rdf/raptor_reader.cpp)
//   JSON-LD 1.1:                     RapidJSON + our expansion/toRdf (rdf/jsonld_*.cpp)
// Errors are Status::syntaxError with "file:line:column: message".
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"

namespace weft::rdf {

enum class Format { kUnknown, kNTriples, kNQuads, kTurtle, kTriG, kRdfXml, kJsonLd };

// "nt", "ntriples", "nq", "ttl", "turtle", "trig", "rdfxml", "xml", "jsonld", ...
Format formatFromName(std::string_view name);
// From a file name's extension, ignoring a trailing ".gz".
Format formatFromPath(std::string_view path);
const char* formatName(Format f);  // canonical short name: nt, nq, ttl, trig, rdfxml, jsonld
bool formatHasGraphs(Format f);    // nq, trig, jsonld

struct ReadOptions {
  Format format = Format::kUnknown;  // kUnknown: guess from the path
  std::string base_iri;              // empty: file:// IRI of the path
  // Graph to put triples in when the syntax has no graph (nt, ttl, rdfxml)
  // or for the default graph of a quad syntax. Empty: the default graph.
  std::string graph;
  // JSON-LD: remote context IRI prefix -> local directory or file prefix.
  std::map<std::string, std::string> context_map;
  // JSON-LD: processing mode "json-ld-1.1" (default) or "json-ld-1.0".
  std::string jsonld_processing_mode = "json-ld-1.1";
  // Name used in error messages instead of the path (e.g. "<stdin>").
  std::string display_name;
  // Maximum document size for formats read whole (JSON-LD); 0 = 1 GiB.
  size_t max_document_bytes = 0;
};

// A stream of bytes to parse. read() returns the number of bytes read,
// 0 at end of input, -1 on error (then error() says why).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual long read(char* buf, size_t n) = 0;
  virtual std::string error() const { return "read error"; }
};

// Opens a file; gzip input (by magic bytes) is decompressed on the fly.
// Missing files and directories give a clear Status.
Result<std::unique_ptr<ByteSource>> openFileSource(const std::string& path);
std::unique_ptr<ByteSource> memorySource(std::string_view data);

// The file:// IRI of a path (made absolute, RFC 8089, with characters outside
// the IRI unreserved and sub-delims sets percent-encoded): readFile's default
// base IRI.
std::string fileIri(const std::string& path);

// Read a file. Blank node labels are passed through as written in the
// document; callers that merge documents must scope them (the store loader does).
// (Turtle/TriG exception: Serd 0.30 reports labels b<digit>... as B<digit>...,
// keeping them apart from its generated b1, b2...; see serd_reader.cpp.)
Status readFile(const std::string& path, const ReadOptions& opts, QuadSink& sink);
// Read from a source; opts.format must be set.
Status readSource(ByteSource& src, const ReadOptions& opts, QuadSink& sink);
Status readString(std::string_view data, const ReadOptions& opts, QuadSink& sink);

// Per-syntax entry points (used by readSource and by fuzzers).
Status readSerd(ByteSource& src, Format f, const ReadOptions& opts, QuadSink& sink);
Status readRdfXml(ByteSource& src, const ReadOptions& opts, QuadSink& sink);
Status readJsonLd(std::string_view document, const ReadOptions& opts, QuadSink& sink);

// Writers. A writer is a sink: feed quads, then finish(). Turtle and TriG
// group consecutive quads with the same graph/subject/predicate, so feed
// them sorted by (g, s, p) for compact output.
struct WriteOptions {
  std::map<std::string, std::string> prefixes;  // name -> IRI namespace
  std::string base_iri;
};

class QuadWriter : public QuadSink {
 public:
  // Flush pending output; a write error (full disk) is reported here or by quad().
  virtual Status finish() = 0;
};

// Writes to `out` (not owned; not closed).
std::unique_ptr<QuadWriter> makeWriter(Format f, std::FILE* out, const WriteOptions& opts = {});

}  // namespace weft::rdf
