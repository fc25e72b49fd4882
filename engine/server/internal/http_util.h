// SPDX-License-Identifier: Apache-2.0
// The server's small pieces: content negotiation, writing into memory, the
// embedded page and examples, the service description, graph dumps.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/syntax.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/results.h"
#include "engine/store/store.h"

namespace httplib {
struct Request;
}

namespace weft::server {
struct Example;
}
namespace weft::sparql {
class ServiceClient;
}

namespace weft::server::internal {

// A FILE* writing into memory (open_memstream), for the writers that take one.
class MemoryFile {
 public:
  ~MemoryFile();
  bool open();
  std::FILE* file() { return f_; }
  std::string take();  // closes the stream; returns what was written

 private:
  std::FILE* f_ = nullptr;
  char* buf_ = nullptr;
  size_t len_ = 0;
};

struct Negotiated {
  sparql::ResultFormat results = sparql::ResultFormat::kJson;
  rdf::Format graph = rdf::Format::kTurtle;
  std::string media_type;
};
// The response format from ?format= (json, xml, csv, tsv, ttl, nt, nq, trig,
// jsonld) or else the Accept header (quality values honoured; none or */*:
// SPARQL JSON results or Turtle). False if nothing acceptable fits.
bool negotiate(const httplib::Request& req, bool tabular, Negotiated* out);
bool negotiateAccept(std::string_view accept, std::string_view format_param, bool tabular, Negotiated* out);
std::string offered(bool tabular);
// "text/turtle; charset=utf-8" -> "text/turtle" (lower case).
std::string mediaType(std::string_view content_type);
rdf::Format syntaxOfMediaType(std::string_view media_type);

std::string_view embeddedFile(std::string_view path);  // the page; empty if absent
std::string examplesJson(const std::vector<Example>& examples);
std::vector<Example> builtInExamples();  // the question pack, compiled in
std::string serviceDescription(const std::string& base_url);
std::string seconds(double s);

// Triples of graph `g` (store::kAny if unknown: writes nothing) in syntax `f`.
Status writeGraph(const store::Snapshot& snap, store::TermId g, rdf::Format f, std::FILE* out, uint64_t* n);

}  // namespace weft::server::internal
