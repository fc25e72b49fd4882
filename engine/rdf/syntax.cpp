// SPDX-License-Identifier: Apache-2.0
// Format names and the read dispatch: files and strings go to the Serd,
// Raptor or JSON-LD reader according to ReadOptions::format.
#include "engine/rdf/syntax.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/core/ascii.h"
#include "engine/rdf/internal/readers.h"

namespace weft::rdf {
namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool isSerdFormat(Format f) {
  return f == Format::kNTriples || f == Format::kNQuads || f == Format::kTurtle ||
         f == Format::kTriG;
}

constexpr size_t kDefaultMaxDocument = size_t{1} << 30;

}  // namespace

std::string fileIri(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  std::string p = ec ? path : abs.lexically_normal().generic_string();
  std::string out = "file://";
  if (p.empty() || p.front() != '/') out += '/';
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : p) {
    if (std::isalnum(c) || c >= 0x80 || (c != 0 && std::strchr("/-._~!$&'()*+,;=:@", c))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Format formatFromName(std::string_view name) {
  std::string n = core::asciiLower(name);
  if (!n.empty() && n.front() == '.') n.erase(0, 1);
  if (n == "nt" || n == "ntriples" || n == "n-triples" || n == "application/n-triples")
    return Format::kNTriples;
  if (n == "nq" || n == "nquads" || n == "n-quads" || n == "application/n-quads")
    return Format::kNQuads;
  if (n == "ttl" || n == "turtle" || n == "text/turtle") return Format::kTurtle;
  if (n == "trig" || n == "application/trig") return Format::kTriG;
  if (n == "rdf" || n == "rdfxml" || n == "rdf/xml" || n == "xml" || n == "owl" ||
      n == "application/rdf+xml")
    return Format::kRdfXml;
  if (n == "jsonld" || n == "json-ld" || n == "json" || n == "application/ld+json")
    return Format::kJsonLd;
  return Format::kUnknown;
}

Format formatFromPath(std::string_view path) {
  std::string p = core::asciiLower(path);
  if (endsWith(p, ".gz")) p.resize(p.size() - 3);
  size_t slash = p.find_last_of('/');
  size_t dot = p.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return Format::kUnknown;
  }
  return formatFromName(std::string_view(p).substr(dot + 1));
}

const char* formatName(Format f) {
  switch (f) {
    case Format::kNTriples:
      return "nt";
    case Format::kNQuads:
      return "nq";
    case Format::kTurtle:
      return "ttl";
    case Format::kTriG:
      return "trig";
    case Format::kRdfXml:
      return "rdfxml";
    case Format::kJsonLd:
      return "jsonld";
    case Format::kUnknown:
      break;
  }
  return "unknown";
}

bool formatHasGraphs(Format f) {
  return f == Format::kNQuads || f == Format::kTriG || f == Format::kJsonLd;
}

Status readFile(const std::string& path, const ReadOptions& opts, QuadSink& sink) {
  ReadOptions o = opts;
  if (o.format == Format::kUnknown) o.format = formatFromPath(path);
  if (o.format == Format::kUnknown) {
    return Status::invalidArgument("cannot tell the RDF syntax of '" + path +
                                   "' from its extension; name the format");
  }
  if (o.base_iri.empty()) o.base_iri = fileIri(path);
  if (o.display_name.empty()) o.display_name = path;
  auto src = openFileSource(path);
  if (!src) return src.status();
  if (isSerdFormat(o.format)) {
    return internal::readSerdReopenable(**src, o.format, o, sink,
                                        [&path] { return openFileSource(path); });
  }
  return readSource(**src, o, sink);
}

Status readSource(ByteSource& src, const ReadOptions& opts, QuadSink& sink) {
  switch (opts.format) {
    case Format::kNTriples:
    case Format::kNQuads:
    case Format::kTurtle:
    case Format::kTriG:
      return readSerd(src, opts.format, opts, sink);
    case Format::kRdfXml:
      return readRdfXml(src, opts, sink);
    case Format::kJsonLd: {
      // JSON-LD documents are trees: read the whole text, bounded.
      const size_t limit = opts.max_document_bytes ? opts.max_document_bytes : kDefaultMaxDocument;
      std::string doc;
      std::string buf(64 * 1024, '\0');
      for (;;) {
        long got = src.read(buf.data(), buf.size());
        if (got < 0) return Status::ioError(src.error());
        if (got == 0) break;
        if (doc.size() + static_cast<size_t>(got) > limit) {
          const std::string& name = opts.display_name.empty() ? "<input>" : opts.display_name;
          return Status::aborted(name + ": JSON-LD document larger than " + std::to_string(limit) +
                                 " bytes");
        }
        doc.append(buf.data(), static_cast<size_t>(got));
      }
      return readJsonLd(doc, opts, sink);
    }
    case Format::kUnknown:
      break;
  }
  return Status::invalidArgument("no RDF syntax given for reading");
}

Status readString(std::string_view data, const ReadOptions& opts, QuadSink& sink) {
  if (opts.format == Format::kJsonLd) return readJsonLd(data, opts, sink);
  auto src = memorySource(data);
  if (isSerdFormat(opts.format)) {
    return internal::readSerdReopenable(*src, opts.format, opts, sink, [data] {
      return Result<std::unique_ptr<ByteSource>>(memorySource(data));
    });
  }
  return readSource(*src, opts, sink);
}

}  // namespace weft::rdf
