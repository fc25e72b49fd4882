// SPDX-License-Identifier: Apache-2.0
// Comparing RDF datasets up to blank node renaming
// (https://www.w3.org/TR/rdf11-concepts/#graph-isomorphism, extended to
// datasets: graph names may be blank nodes too and share the mapping).
// Used by tests and conformance runners; not tuned for huge inputs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/term.h"

namespace weft::rdf {

// True if a bijection between the blank nodes of `a` and `b` maps the set of
// quads of `a` onto that of `b`. Inputs are sets: duplicates are ignored.
// On false, `why` (if given) receives a short human-readable explanation
// (quads only in one side, or that no blank node mapping exists).
bool isomorphic(std::vector<Quad> a, std::vector<Quad> b, std::string* why = nullptr);

// A sink that keeps every quad (and the prefixes seen) in memory.
class VectorSink : public QuadSink {
 public:
  Status quad(const QuadView& q) override {
    quads.emplace_back(q);
    return Status::ok();
  }
  Status prefix(std::string_view name, std::string_view iri) override {
    prefixes.emplace_back(std::string(name), std::string(iri));
    return Status::ok();
  }
  std::vector<Quad> quads;
  std::vector<std::pair<std::string, std::string>> prefixes;
};

// Parse a document held in memory (N-Quads by default; any readable format)
// into a vector, via readString. For tests.
Result<std::vector<Quad>> parseQuads(std::string_view text, Format format = Format::kNQuads,
                                     const ReadOptions& opts = {});

// The quads as N-Quads text, sorted, one per line (for diagnostics).
std::string toNQuadsText(const std::vector<Quad>& quads);

}  // namespace weft::rdf
