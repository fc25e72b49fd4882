// SPDX-License-Identifier: Apache-2.0
// Writers for N-Triples, N-Quads, Turtle and TriG (JSON-LD lives in
// jsonld_writer.cpp). Output is buffered here and handed to the FILE* in
// large blocks; every fwrite/fflush is checked, and the first failure is
// sticky: later calls return it too.
//
// Turtle/TriG (Turtle 1.1 section 2, TriG section 2): prefixes from
// WriteOptions become @prefix lines and IRIs are written prefix:local when the
// local part is a valid PN_LOCAL; consecutive quads with the same subject
// share it (';'), with the same predicate too (','). TriG writes named graphs
// as "<g> { ... }" and the default graph at top level. Syntaxes without
// graphs (N-Triples, Turtle) write the triple of every quad, merging graphs.
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "engine/rdf/internal/jsonld_writer.h"
#include "engine/rdf/internal/syntax_check.h"
#include "engine/rdf/syntax.h"

namespace weft::rdf {
namespace {

constexpr size_t kFlushAt = 64 * 1024;

// Blank node labels that are not valid BLANK_NODE_LABELs (JSON-LD, other
// producers) are written as "u_" + hex of their bytes. Valid labels starting
// with "u_" are encoded too, which keeps the mapping injective: every
// encoded label starts with "u_", no label written as is does.
void appendBlank(std::string& out, std::string_view label) {
  out += "_:";
  if (internal::isBlankLabel(label) && label.substr(0, 2) != "u_") {
    out += label;
    return;
  }
  static const char* kHex = "0123456789abcdef";
  out += "u_";
  for (unsigned char c : label) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
}

class BufferedWriter : public QuadWriter {
 public:
  explicit BufferedWriter(std::FILE* out) : out_(out) {}

  Status finish() override {
    if (!error_.isOk()) return error_;
    WEFT_TRY(end());
    WEFT_TRY(drain());
    if (std::fflush(out_) != 0 || std::ferror(out_)) return fail();
    return Status::ok();
  }

 protected:
  // Subclasses write into buf_ and then call flushIfFull().
  virtual Status end() { return Status::ok(); }

  Status flushIfFull() { return buf_.size() >= kFlushAt ? drain() : Status::ok(); }

  Status drain() {
    if (!error_.isOk()) return error_;
    if (!buf_.empty()) {
      size_t n = std::fwrite(buf_.data(), 1, buf_.size(), out_);
      if (n != buf_.size()) return fail();
      buf_.clear();
    }
    return Status::ok();
  }

  Status fail() {
    int e = errno;
    error_ = Status::ioError(std::string("cannot write RDF output: ") +
                             (e ? std::strerror(e) : "write error"));
    return error_;
  }

  std::FILE* out_;
  std::string buf_;
  Status error_;
};

// N-Triples (graph dropped) and N-Quads: one line per quad.
class LineWriter : public BufferedWriter {
 public:
  LineWriter(std::FILE* out, bool quads) : BufferedWriter(out), quads_(quads) {}

  Status quad(const QuadView& q) override {
    if (!error_.isOk()) return error_;
    term(q.s);
    buf_ += ' ';
    term(q.p);
    buf_ += ' ';
    term(q.o);
    if (quads_ && !q.g.isNone()) {
      buf_ += ' ';
      term(q.g);
    }
    buf_ += " .\n";
    return flushIfFull();
  }

 private:
  void term(const TermView& t) {
    if (t.isBlank()) {
      appendBlank(buf_, t.value);
    } else {
      appendNTriples(buf_, t);
    }
  }
  bool quads_;
};

class TurtleWriter : public BufferedWriter {
 public:
  TurtleWriter(std::FILE* out, const WriteOptions& opts, bool trig)
      : BufferedWriter(out), opts_(opts), trig_(trig) {}

  Status prefix(std::string_view name, std::string_view iri) override {
    // Only before output starts: directives cannot go inside a graph block.
    if (!started_) opts_.prefixes.emplace(std::string(name), std::string(iri));
    return Status::ok();
  }

  Status quad(const QuadView& q) override {
    if (!error_.isOk()) return error_;
    if (!started_) header();
    bool same_graph = !trig_ || (have_graph_ && sameTerm(q.g, graph_));
    if (have_subject_ && same_graph && sameTerm(q.s, subject_)) {
      if (sameTerm(q.p, predicate_)) {
        buf_ += ", ";
      } else {
        buf_ += " ;\n";
        indent(2);
        iri(q.p, true);
        buf_ += ' ';
        predicate_ = Term(q.p);
      }
      term(q.o);
      return flushIfFull();
    }
    if (have_subject_) buf_ += " .\n";
    if (trig_ && !same_graph) {
      if (in_block_) buf_ += "}\n";
      in_block_ = !q.g.isNone();
      if (in_block_) {
        buf_ += '\n';
        term(q.g);
        buf_ += " {\n";
      }
      graph_ = Term(q.g);
      have_graph_ = true;
    }
    indent(0);
    term(q.s);
    buf_ += ' ';
    iri(q.p, true);
    buf_ += ' ';
    term(q.o);
    subject_ = Term(q.s);
    predicate_ = Term(q.p);
    have_subject_ = true;
    return flushIfFull();
  }

 private:
  Status end() override {
    if (!started_) header();
    if (have_subject_) buf_ += " .\n";
    if (in_block_) buf_ += "}\n";
    have_subject_ = in_block_ = false;
    return Status::ok();
  }

  static bool sameTerm(const TermView& a, const Term& b) { return a == b.view(); }

  void indent(int extra) {
    if (in_block_) buf_ += "  ";
    buf_.append(static_cast<size_t>(extra), ' ');
  }

  void header() {
    started_ = true;
    if (!opts_.base_iri.empty()) {
      buf_ += "@base <";
      appendEscapedIri(buf_, opts_.base_iri);
      buf_ += "> .\n";
    }
    for (const auto& [name, ns] : opts_.prefixes) {
      if (!internal::isPnPrefix(name)) continue;
      usable_.emplace_back(name, ns);
      buf_ += "@prefix " + name + ": <";
      appendEscapedIri(buf_, ns);
      buf_ += "> .\n";
    }
    if (!usable_.empty()) buf_ += '\n';
  }

  void iri(const TermView& t, bool predicate) {
    if (predicate && t.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") {
      buf_ += 'a';
      return;
    }
    appendIri(t.value);
  }

  // prefix:local with the longest matching namespace, else <iri>.
  void appendIri(std::string_view v) {
    const std::pair<std::string, std::string>* best = nullptr;
    for (const auto& p : usable_) {
      if (v.size() >= p.second.size() && v.substr(0, p.second.size()) == p.second &&
          (!best || p.second.size() > best->second.size()) &&
          internal::isPnLocal(v.substr(p.second.size()))) {
        best = &p;
      }
    }
    if (best) {
      buf_ += best->first;
      buf_ += ':';
      buf_ += v.substr(best->second.size());
      return;
    }
    buf_ += '<';
    appendEscapedIri(buf_, v);
    buf_ += '>';
  }

  void term(const TermView& t) {
    switch (t.kind) {
      case TermKind::kIri:
        appendIri(t.value);
        break;
      case TermKind::kBlank:
        appendBlank(buf_, t.value);
        break;
      case TermKind::kLiteral:
        buf_ += '"';
        appendEscapedString(buf_, t.value);
        buf_ += '"';
        if (!t.lang.empty()) {
          buf_ += '@';
          buf_ += t.lang;
        } else if (!t.datatype.empty() && t.datatype != kXsdString) {
          buf_ += "^^";
          appendIri(t.datatype);
        }
        break;
      case TermKind::kNone:
        break;
    }
  }

  WriteOptions opts_;
  bool trig_;
  bool started_ = false;
  std::vector<std::pair<std::string, std::string>> usable_;
  bool have_graph_ = false, in_block_ = false, have_subject_ = false;
  Term graph_, subject_, predicate_;
};

}  // namespace

std::unique_ptr<QuadWriter> makeWriter(Format f, std::FILE* out, const WriteOptions& opts) {
  switch (f) {
    case Format::kNTriples:
      return std::make_unique<LineWriter>(out, false);
    case Format::kNQuads:
      return std::make_unique<LineWriter>(out, true);
    case Format::kTurtle:
      return std::make_unique<TurtleWriter>(out, opts, false);
    case Format::kTriG:
      return std::make_unique<TurtleWriter>(out, opts, true);
    case Format::kJsonLd:
      return internal::makeJsonLdWriter(out, opts);
    case Format::kRdfXml:
    case Format::kUnknown:
      break;
  }
  return nullptr;
}

}  // namespace weft::rdf
