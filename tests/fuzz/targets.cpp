// SPDX-License-Identifier: Apache-2.0
// Fuzz targets for the RDF readers and the XSD value parser (see targets.h).
//
// Every reader target parses the input into a checking sink, which verifies
// the QuadView contracts of engine/rdf/term.h and touches every byte of every
// view (so ASan reports views into freed memory). When the parse succeeds it
// writes the quads as N-Quads and reads them back: the count must match, and
// for the serd-read syntaxes the terms must match too (blank nodes up to a
// consistent renaming, since the writer rewrites labels that are not valid
// BLANK_NODE_LABELs); WEFT_FUZZ_STRICT=1 compares terms for RDF/XML and
// JSON-LD as well.
#include "tests/fuzz/targets.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rdf/syntax.h"
#include "engine/rdf/term.h"
#include "engine/rdf/xsd.h"

namespace weft::fuzz {
namespace {

using rdf::Datatype;
using rdf::Format;
using rdf::Quad;
using rdf::QuadView;
using rdf::TermKind;
using rdf::TermView;
using rdf::Value;
using rdf::ValueType;

constexpr const char* kBaseIri = "http://example.org/fuzz/base";

// A broken invariant is a bug: report it and crash so libFuzzer saves the input.
[[noreturn]] void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in %s: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Reads every byte so that a dangling view is caught by ASan.
unsigned touch(std::string_view s) {
  unsigned h = 0;
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  return h;
}

// Checks a QuadView against the contracts of term.h / sink.h and keeps
// copies when asked to.
class CheckingSink : public rdf::QuadSink {
 public:
  CheckingSink(const char* target, bool keep) : target_(target), keep_(keep) {}

  Status quad(const QuadView& q) override {
    checkTerm(q.s, "subject");
    checkTerm(q.p, "predicate");
    checkTerm(q.o, "object");
    if (!q.g.isNone()) checkTerm(q.g, "graph");
    if (!q.s.isIri() && !q.s.isBlank()) fail(target_, "subject is not an IRI or blank node");
    if (!q.p.isIri()) fail(target_, "predicate is not an IRI");
    if (q.o.isNone()) fail(target_, "object is missing");
    if (!q.g.isNone() && !q.g.isIri() && !q.g.isBlank()) fail(target_, "graph is a literal");
    ++count_;
    if (keep_) quads_.emplace_back(q);
    return Status::ok();
  }
  Status prefix(std::string_view name, std::string_view iri) override {
    checksum_ += touch(name) + touch(iri);
    return Status::ok();
  }
  Status base(std::string_view iri) override {
    checksum_ += touch(iri);
    return Status::ok();
  }

  size_t count() const { return count_; }
  const std::vector<Quad>& quads() const { return quads_; }

 private:
  void checkTerm(const TermView& t, const char* role) {
    checksum_ += touch(t.value) + touch(t.datatype) + touch(t.lang);
    if (t.isLiteral()) {
      // term.h: a literal's datatype is never empty; a language tag implies rdf:langString.
      if (t.datatype.empty()) fail(target_, std::string(role) + " literal without datatype");
      if (!t.lang.empty() && t.datatype != rdf::kRdfLangString) {
        fail(target_, std::string(role) + " literal with language tag but datatype " + std::string(t.datatype));
      }
    } else if (!t.datatype.empty() || !t.lang.empty()) {
      fail(target_, std::string(role) + " non-literal with datatype or language");
    }
  }

  const char* target_;
  bool keep_;
  size_t count_ = 0;
  unsigned checksum_ = 0;
  std::vector<Quad> quads_;
};

std::string writeNQuads(const char* target, const std::vector<Quad>& quads) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  if (!f) std::abort();
  {
    std::unique_ptr<rdf::QuadWriter> w = rdf::makeWriter(Format::kNQuads, f);
    if (!w) fail(target, "makeWriter(kNQuads) returned null");
    for (const Quad& q : quads) {
      Status st = w->quad(q.view());
      if (!st.isOk()) fail(target, "N-Quads writer rejected a quad: " + st.toString());
    }
    Status st = w->finish();
    if (!st.isOk()) fail(target, "N-Quads writer finish: " + st.toString());
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

// Blank nodes are compared up to a bijective renaming.
class BlankMap {
 public:
  bool same(const rdf::Term& a, const rdf::Term& b) {
    if (a.kind != b.kind) return false;
    if (a.kind != TermKind::kBlank) return a == b;
    auto [fwd, fnew] = fwd_.emplace(a.value, b.value);
    auto [bwd, bnew] = bwd_.emplace(b.value, a.value);
    return fwd->second == b.value && bwd->second == a.value;
  }

 private:
  std::map<std::string, std::string> fwd_, bwd_;
};

// Writes what `first` collected as N-Quads and reads it back. Setting
// WEFT_FUZZ_NO_ROUNDTRIP=1 skips this, to keep fuzzing for memory errors while
// a known round-trip failure is open.
void checkRoundTrip(const char* target, const CheckingSink& first, bool compare_terms) {
  static const bool skip = std::getenv("WEFT_FUZZ_NO_ROUNDTRIP") != nullptr;
  if (skip) return;
  std::string nq = writeNQuads(target, first.quads());
  rdf::ReadOptions opts;
  opts.format = Format::kNQuads;
  opts.base_iri = kBaseIri;
  opts.display_name = "<roundtrip>";
  CheckingSink second(target, compare_terms);
  Status st = rdf::readString(nq, opts, second);
  if (!st.isOk()) fail(target, "re-reading the written N-Quads failed: " + st.toString() + "\n" + nq);
  if (second.count() != first.count()) {
    fail(target, "round trip changed the quad count from " + std::to_string(first.count()) + " to " +
                     std::to_string(second.count()));
  }
  if (!compare_terms) return;
  BlankMap blanks;
  for (size_t i = 0; i < first.quads().size(); ++i) {
    const Quad& a = first.quads()[i];
    const Quad& b = second.quads()[i];
    if (!blanks.same(a.s, b.s) || !blanks.same(a.p, b.p) || !blanks.same(a.o, b.o) || !blanks.same(a.g, b.g)) {
      fail(target, "round trip changed quad " + std::to_string(i) + ":\n  " + rdf::toNQuads(a.view()) + "  " +
                       rdf::toNQuads(b.view()));
    }
  }
}

// WEFT_FUZZ_VERBOSE=1 prints each reader's status (for checking that seeds parse).
void report(const char* target, const Status& st, size_t quads) {
  static const bool verbose = std::getenv("WEFT_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "%s: %zu quads, %s\n", target, quads, st.toString().c_str());
}

// WEFT_FUZZ_STRICT=1 compares terms, not just counts, in the round trip of
// the non-serd readers too.
bool strictRoundTrip() {
  static const bool strict = std::getenv("WEFT_FUZZ_STRICT") != nullptr;
  return strict;
}

rdf::ReadOptions readOptions(Format f) {
  rdf::ReadOptions opts;
  opts.format = f;
  opts.base_iri = kBaseIri;
  opts.display_name = "<fuzz>";
  return opts;
}

int fuzzSerd(const char* target, Format f, const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<rdf::ByteSource> src = rdf::memorySource(input);
  CheckingSink sink(target, /*keep=*/true);
  Status st = rdf::readSerd(*src, f, readOptions(f), sink);
  report(target, st, sink.count());
  if (st.isOk()) checkRoundTrip(target, sink, /*compare_terms=*/true);
  return 0;
}

// ---------------------------------------------------------------------------
// XSD values
// ---------------------------------------------------------------------------

constexpr int kDatatypeCount = static_cast<int>(Datatype::kGMonth);

// Checks one parsed value: canonical form is a fixed point and the value is
// equivalent to itself (except NaN).
void checkValue(const Value& v, std::string_view lexical, Datatype dt) {
  const char* t = "fuzz_xsd";
  std::string canonical = rdf::canonicalLexical(v);
  (void)rdf::toDouble(v);
  if (v.datatype != dt) fail(t, "datatype not recorded");
  if (!v.isValid()) {
    if (v.type != ValueType::kInvalid) fail(t, "supported datatype parsed as kNone");
    if (!canonical.empty()) fail(t, "invalid value has a canonical form");
    return;
  }
  if (canonical.empty()) fail(t, "valid value without canonical form");
  Value w = rdf::parseValue(canonical, dt);
  if (!w.isValid()) fail(t, "canonical form \"" + canonical + "\" of \"" + std::string(lexical) + "\" does not parse");
  if (rdf::canonicalLexical(w) != canonical) {
    fail(t, "canonical form is not a fixed point: \"" + canonical + "\" -> \"" + rdf::canonicalLexical(w) + "\"");
  }
  bool is_nan = (v.type == ValueType::kFloat || v.type == ValueType::kDouble) && v.number != v.number;
  std::partial_ordering self = rdf::compareValues(v, v);
  std::partial_ordering with_canonical = rdf::compareValues(v, w);
  if (!is_nan && (self != std::partial_ordering::equivalent || with_canonical != std::partial_ordering::equivalent)) {
    fail(t, "value \"" + std::string(lexical) + "\" not equivalent to itself or its canonical form \"" + canonical + "\"");
  }
}

std::partial_ordering reversed(std::partial_ordering o) {
  if (o == std::partial_ordering::less) return std::partial_ordering::greater;
  if (o == std::partial_ordering::greater) return std::partial_ordering::less;
  return o;
}

}  // namespace

int fuzzOneNTriples(const uint8_t* data, size_t size) {
  return fuzzSerd("fuzz_ntriples", Format::kNTriples, data, size);
}
int fuzzOneNQuads(const uint8_t* data, size_t size) {
  return fuzzSerd("fuzz_nquads", Format::kNQuads, data, size);
}
int fuzzOneTurtle(const uint8_t* data, size_t size) {
  return fuzzSerd("fuzz_turtle", Format::kTurtle, data, size);
}
int fuzzOneTriG(const uint8_t* data, size_t size) { return fuzzSerd("fuzz_trig", Format::kTriG, data, size); }

int fuzzOneRdfXml(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<rdf::ByteSource> src = rdf::memorySource(input);
  CheckingSink sink("fuzz_rdfxml", /*keep=*/true);
  Status st = rdf::readRdfXml(*src, readOptions(Format::kRdfXml), sink);
  report("fuzz_rdfxml", st, sink.count());
  if (st.isOk()) checkRoundTrip("fuzz_rdfxml", sink, /*compare_terms=*/strictRoundTrip());
  return 0;
}

int fuzzOneJsonLd(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckingSink sink("fuzz_jsonld", /*keep=*/true);
  // No context_map: remote contexts fail without touching files or network.
  Status st = rdf::readJsonLd(input, readOptions(Format::kJsonLd), sink);
  report("fuzz_jsonld", st, sink.count());
  if (st.isOk()) checkRoundTrip("fuzz_jsonld", sink, /*compare_terms=*/strictRoundTrip());
  return 0;
}

// Input: byte 0 and byte 1 choose the datatypes of two values; the rest is
// "lexicalA|lexicalB" (without '|', both use the same lexical form).
int fuzzOneXsd(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  auto dta = static_cast<Datatype>(data[0] % kDatatypeCount + 1);
  auto dtb = static_cast<Datatype>(data[1] % kDatatypeCount + 1);
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  size_t bar = rest.find('|');
  std::string_view lexa = rest.substr(0, bar);
  std::string_view lexb = bar == std::string_view::npos ? rest : rest.substr(bar + 1);

  Value a = rdf::parseValue(lexa, dta);
  Value b = rdf::parseValue(lexb, dtb);
  checkValue(a, lexa, dta);
  checkValue(b, lexb, dtb);

  // The IRI and TermView entry points agree with the enum one.
  Value via_term = rdf::parseValue(TermView::literal(lexa, rdf::datatypeIri(dta)));
  if (via_term.type != a.type || rdf::canonicalLexical(via_term) != rdf::canonicalLexical(a)) {
    fail("fuzz_xsd", "parseValue(TermView) disagrees with parseValue(Datatype)");
  }

  // compareValues is antisymmetric.
  std::partial_ordering ab = rdf::compareValues(a, b);
  std::partial_ordering ba = rdf::compareValues(b, a);
  if (ab != reversed(ba)) fail("fuzz_xsd", "compareValues is not antisymmetric");
  if (rdf::isNumeric(a) && rdf::isNumeric(b) &&
      rdf::promotedNumericType(a.type, b.type) != rdf::promotedNumericType(b.type, a.type)) {
    fail("fuzz_xsd", "promotedNumericType is not symmetric");
  }
  return 0;
}

const FuzzTarget kFuzzTargets[] = {
    {"fuzz_ntriples", fuzzOneNTriples}, {"fuzz_nquads", fuzzOneNQuads}, {"fuzz_turtle", fuzzOneTurtle},
    {"fuzz_trig", fuzzOneTriG},         {"fuzz_rdfxml", fuzzOneRdfXml}, {"fuzz_jsonld", fuzzOneJsonLd},
    {"fuzz_xsd", fuzzOneXsd},           {nullptr, nullptr},
};

}  // namespace weft::fuzz
