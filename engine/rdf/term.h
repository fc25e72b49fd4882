// SPDX-License-Identifier: Apache-2.0
// RDF 1.1 terms (https://www.w3.org/TR/rdf11-concepts/#section-rdf-graph):
// IRIs, blank nodes and literals, as owned values (Term) and as non-owning
// views (TermView) that parsers hand to sinks without allocating.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::rdf {

inline constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
inline constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

// kNone marks "no term": the default graph in a quad, or an unbound slot.
enum class TermKind : uint8_t { kNone = 0, kIri = 1, kBlank = 2, kLiteral = 3 };

// A view of a term. For literals `value` is the lexical form, `datatype` the
// datatype IRI (never empty once normalised: a simple literal is xsd:string,
// a language-tagged one rdf:langString) and `lang` the language tag as written.
// For blank nodes `value` is the label without "_:".
struct TermView {
  TermKind kind = TermKind::kNone;
  std::string_view value;
  std::string_view datatype;
  std::string_view lang;

  static TermView iri(std::string_view v) { return {TermKind::kIri, v, {}, {}}; }
  static TermView blank(std::string_view v) { return {TermKind::kBlank, v, {}, {}}; }
  static TermView literal(std::string_view v, std::string_view dt = kXsdString,
                          std::string_view lang = {}) {
    return {TermKind::kLiteral, v, lang.empty() ? dt : kRdfLangString, lang};
  }
  bool isNone() const { return kind == TermKind::kNone; }
  bool isIri() const { return kind == TermKind::kIri; }
  bool isBlank() const { return kind == TermKind::kBlank; }
  bool isLiteral() const { return kind == TermKind::kLiteral; }
  friend bool operator==(const TermView& a, const TermView& b) {
    return a.kind == b.kind && a.value == b.value && a.datatype == b.datatype && a.lang == b.lang;
  }
};

// An owned term.
struct Term {
  TermKind kind = TermKind::kNone;
  std::string value;
  std::string datatype;
  std::string lang;

  Term() = default;
  explicit Term(const TermView& v)
      : kind(v.kind), value(v.value), datatype(v.datatype), lang(v.lang) {}
  static Term iri(std::string_view v) { return Term(TermView::iri(v)); }
  static Term blank(std::string_view v) { return Term(TermView::blank(v)); }
  static Term literal(std::string_view v, std::string_view dt = kXsdString,
                      std::string_view lang = {}) {
    return Term(TermView::literal(v, dt, lang));
  }
  TermView view() const { return {kind, value, datatype, lang}; }
  bool isNone() const { return kind == TermKind::kNone; }
  friend bool operator==(const Term& a, const Term& b) { return a.view() == b.view(); }
  friend bool operator<(const Term& a, const Term& b);
};

// A quad as views; g.kind == kNone is the default graph.
struct QuadView {
  TermView s, p, o, g;
};

struct Quad {
  Term s, p, o, g;
  Quad() = default;
  explicit Quad(const QuadView& q) : s(q.s), p(q.p), o(q.o), g(q.g) {}
  QuadView view() const { return {s.view(), p.view(), o.view(), g.view()}; }
  friend bool operator==(const Quad& a, const Quad& b) {
    return a.s == b.s && a.p == b.p && a.o == b.o && a.g == b.g;
  }
  friend bool operator<(const Quad& a, const Quad& b);
};

// Term in N-Triples syntax (https://www.w3.org/TR/n-triples/#canonical-ntriples):
// <iri>, _:label, "lexical"(^^<dt>|@lang); xsd:string datatype is left implicit.
std::string toNTriples(const TermView& t);
void appendNTriples(std::string& out, const TermView& t);
// The same with another escaper for literal text (RDFC-1.0's canonical N-Quads).
void appendNTriplesWith(std::string& out, const TermView& t, void (*escape)(std::string&, std::string_view));
// One N-Quads line with the final " .\n".
std::string toNQuads(const QuadView& q);
void appendNQuads(std::string& out, const QuadView& q);

// Escape a string for an N-Triples string literal / IRI.
void appendEscapedString(std::string& out, std::string_view s);
void appendEscapedIri(std::string& out, std::string_view s);

}  // namespace weft::rdf
