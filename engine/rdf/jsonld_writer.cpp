// SPDX-License-Identifier: Apache-2.0
// JSON-LD writer: quads out as a JSON-LD 1.1 document in "flattened-like"
// form (https://www.w3.org/TR/json-ld11/#flattened-document-form):
//
//   {"@context": {prefix: namespace, ...},
//    "@graph": [ node, ..., {"@id": g, "@graph": [node, ...]}, ... ]}
//
// A node object holds the quads of one run of consecutive quads with the same
// graph and subject; literals are value objects (or plain JSON strings for
// xsd:string), rdf:type objects that are IRIs or blank nodes go to "@type".
// Streaming contract: only the current node is held in memory. Feeding quads
// sorted by (g, s) gives one node object per subject; unsorted input is still
// correct, because JSON-LD merges node objects that share an "@id" (a graph
// that reappears becomes a second {"@id": g, "@graph": [...]} object, which
// merges the same way).
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "engine/rdf/internal/jsonld_json.h"
#include "engine/rdf/internal/jsonld_writer.h"

namespace weft::rdf::internal {
namespace {

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

// One JSON string escaper for the processor and the writer.
void appendJsonString(std::string& out, std::string_view s) { appendJsonQuoted(out, s); }

bool isGenDelim(char c) {
  return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '@';
}

// Prefix names we never declare: they are common IRI schemes, and a term with
// that name would turn a full IRI such as "urn:x" into a compact IRI on reading.
bool isReservedPrefixName(std::string_view name) {
  static const char* kSchemes[] = {"http", "https", "urn", "file", "mailto", "tag",
                                   "data", "ftp", "doi", "did", "info", "geo", "tel"};
  for (const char* s : kSchemes)
    if (name == s) return true;
  return false;
}

bool validPrefixName(std::string_view name) {
  if (name.empty() || name == "_" || isReservedPrefixName(name)) return false;
  for (char c : name) {
    // Terms used as prefixes contain neither ':' nor '/', and '@' would look
    // like a keyword.
    if (c == ':' || c == '/' || c == '@' || static_cast<unsigned char>(c) <= 0x20) return false;
  }
  return true;
}

class JsonLdWriter final : public QuadWriter {
 public:
  JsonLdWriter(std::FILE* out, const WriteOptions& opts) : out_(out) {
    for (const auto& [name, ns] : opts.prefixes) {
      // Only namespaces ending in a gen-delim get the prefix flag when the
      // context is read back (JSON-LD 1.1 API, Create Term Definition 14.2.5).
      if (validPrefixName(name) && !ns.empty() && isGenDelim(ns.back()))
        prefixes_.emplace_back(name, ns);
    }
  }

  Status quad(const QuadView& q) override {
    if (!status_.isOk()) return status_;
    if (!started_) start();
    bool same_graph = in_graph_ && q.g.kind == graph_.kind && q.g.value == graph_.value;
    bool same_subject = same_graph && has_node_ && q.s.kind == subject_.kind &&
                        q.s.value == subject_.value;
    if (!same_subject) flushNode();
    if (!same_graph) {
      closeGraph();
      openGraph(q.g);
    }
    if (!has_node_) {
      subject_ = Term(q.s);
      has_node_ = true;
    }
    addToNode(q);
    return writePending();
  }

  Status finish() override {
    if (finished_) return status_;
    finished_ = true;
    if (!status_.isOk()) return status_;
    if (!started_) start();
    flushNode();
    closeGraph();
    buf_ += "\n  ]\n}\n";
    WEFT_TRY(writePending());
    if (std::fflush(out_) != 0 || std::ferror(out_)) {
      status_ = Status::ioError(std::string("JSON-LD writer: write failed: ") + std::strerror(errno));
    }
    return status_;
  }

 private:
  struct Property {
    std::string key;                 // compacted predicate, or "@type"
    std::vector<std::string> values; // serialized JSON values
  };

  void start() {
    started_ = true;
    buf_ += "{\n  \"@context\": {";
    bool first = true;
    for (const auto& [name, ns] : prefixes_) {
      buf_ += first ? "\n    " : ",\n    ";
      first = false;
      appendJsonString(buf_, name);
      buf_ += ": ";
      appendJsonString(buf_, ns);
    }
    buf_ += first ? "},\n" : "\n  },\n";
    buf_ += "  \"@graph\": [";
  }

  // The IRI as written in the document: a compact IRI when a declared prefix
  // matches and the suffix cannot be mistaken for an authority ("//").
  std::string compactIri(std::string_view iri) const {
    const std::pair<std::string, std::string>* best = nullptr;
    for (const auto& p : prefixes_) {
      if (iri.size() >= p.second.size() && iri.compare(0, p.second.size(), p.second) == 0 &&
          (!best || p.second.size() > best->second.size()))
        best = &p;
    }
    if (best) {
      std::string_view suffix = iri.substr(best->second.size());
      if (suffix.substr(0, 2) != "//") return best->first + ":" + std::string(suffix);
    }
    return std::string(iri);
  }

  std::string nodeId(const TermView& t) const {
    if (t.isBlank()) return "_:" + std::string(t.value);
    return compactIri(t.value);
  }

  void openGraph(const TermView& g) {
    graph_ = Term(g);
    in_graph_ = true;
    if (!g.isNone()) {
      buf_ += first_top_ ? "\n    " : ",\n    ";
      first_top_ = false;
      buf_ += "{\"@id\": ";
      appendJsonString(buf_, nodeId(g));
      buf_ += ", \"@graph\": [";
      first_in_graph_ = true;
    }
  }

  void closeGraph() {
    if (in_graph_ && !graph_.isNone()) buf_ += "\n    ]}";
    in_graph_ = false;
  }

  void addToNode(const QuadView& q) {
    std::string key;
    std::string value;
    if (q.p.value == kRdfType && !q.o.isLiteral()) {
      key = "@type";
      appendJsonString(value, nodeId(q.o));
    } else {
      key = compactIri(q.p.value);
      if (q.o.isLiteral()) {
        if (q.o.datatype == kXsdString || q.o.datatype.empty()) {
          appendJsonString(value, q.o.value);
        } else {
          value += "{\"@value\": ";
          appendJsonString(value, q.o.value);
          if (!q.o.lang.empty()) {
            value += ", \"@language\": ";
            appendJsonString(value, q.o.lang);
          } else {
            value += ", \"@type\": ";
            appendJsonString(value, compactIri(q.o.datatype));
          }
          value += '}';
        }
      } else {
        value += "{\"@id\": ";
        appendJsonString(value, nodeId(q.o));
        value += '}';
      }
    }
    for (auto& p : props_) {
      if (p.key == key) {
        p.values.push_back(std::move(value));
        return;
      }
    }
    props_.push_back({std::move(key), {std::move(value)}});
  }

  void flushNode() {
    if (!has_node_) return;
    has_node_ = false;
    bool nested = !graph_.isNone();
    const char* indent = nested ? "\n      " : "\n    ";
    if (nested) {
      buf_ += first_in_graph_ ? indent : std::string(",") + indent;
      first_in_graph_ = false;
    } else {
      buf_ += first_top_ ? indent : std::string(",") + indent;
      first_top_ = false;
    }
    buf_ += "{\"@id\": ";
    appendJsonString(buf_, nodeId(subject_.view()));
    for (const auto& p : props_) {
      buf_ += ", ";
      appendJsonString(buf_, p.key);
      buf_ += ": ";
      if (p.values.size() == 1) {
        buf_ += p.values[0];
      } else {
        buf_ += '[';
        for (size_t i = 0; i < p.values.size(); ++i) {
          if (i) buf_ += ", ";
          buf_ += p.values[i];
        }
        buf_ += ']';
      }
    }
    buf_ += '}';
    props_.clear();
  }

  Status writePending() {
    if (buf_.size() < (1u << 16) && !finished_) return Status::ok();
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) {
      status_ = Status::ioError(std::string("JSON-LD writer: write failed: ") + std::strerror(errno));
    }
    buf_.clear();
    return status_;
  }

  std::FILE* out_;
  std::vector<std::pair<std::string, std::string>> prefixes_;
  std::string buf_;
  Status status_;
  bool started_ = false, finished_ = false;
  bool first_top_ = true, first_in_graph_ = true;
  bool in_graph_ = false, has_node_ = false;
  Term graph_, subject_;
  std::vector<Property> props_;
};

}  // namespace

std::unique_ptr<QuadWriter> makeJsonLdWriter(std::FILE* out, const WriteOptions& opts) {
  return std::make_unique<JsonLdWriter>(out, opts);
}

}  // namespace weft::rdf::internal
