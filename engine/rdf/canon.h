// SPDX-License-Identifier: Apache-2.0
// RDF Dataset Canonicalization, RDFC-1.0 (https://www.w3.org/TR/rdf-canon/):
// a canonical labelling of a dataset's blank nodes (c14n0, c14n1, ...) and
// its canonical N-Quads document, so two isomorphic datasets serialize to the
// same bytes and can be compared or signed by one hash.
//
// The input is a set: duplicate quads are ignored. Blank node labels are
// taken as given (the readers pass them through), so the issued identifier
// map names the input's own labels.
//
// Some datasets (cliques of blank nodes, "poison graphs") make the N-degree
// hashing explode combinatorially; the spec asks implementations to guard
// against that. canonicalize() counts calls of Hash N-Degree Quads and stops
// with Status::aborted past CanonOptions::max_deep_iterations for one blank
// node (or max_ndegree_calls in all).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/term.h"

namespace weft::rdf {

enum class CanonHash { kSha256, kSha384 };

// "SHA256" / "SHA-256" / "sha256" (likewise 384); false if unknown.
bool canonHashFromName(std::string_view name, CanonHash* out);

struct CanonOptions {
  CanonHash hash = CanonHash::kSha256;
  // The spec's guard against poison datasets, as "deep iterations": the
  // most calls of Hash N-Degree Quads for any one blank node. 0: automatic,
  // kMinDeepIterations + 2 x (blank nodes in the largest set connected
  // through quads): honest data needs about one call per node of its
  // component (a chain of n blank nodes: n), a clique of ten needs millions.
  uint64_t max_deep_iterations = 0;
  static constexpr uint64_t kMinDeepIterations = 64;
  // The most calls of Hash N-Degree Quads in all; 0: no limit but the above.
  uint64_t max_ndegree_calls = 0;
  // Fill CanonResult::quads (a second copy of the dataset: callers that only
  // need the canonical N-Quads leave it out).
  bool keep_quads = true;
};

struct CanonResult {
  // The canonical N-Quads document: one line per distinct quad, blank nodes
  // relabelled, canonical N-Quads escapes, lines sorted by code point.
  std::string nquads;
  // The quads, relabelled, in the order of the lines of `nquads` (empty
  // unless CanonOptions::keep_quads).
  std::vector<Quad> quads;
  // Input blank node label -> canonical label (without "_:"), in order of
  // first appearance in the input.
  std::vector<std::pair<std::string, std::string>> issued;
  uint64_t ndegree_calls = 0;        // work done, for tests and tuning
  uint64_t max_deep_iterations = 0;  // the most N-degree calls for one blank node
};

// Canonicalizes the quads fed to it, e.g. straight from a reader or a store
// scan. It keeps each distinct term once and each quad as a few numbers
// (about 40 bytes a quad besides the terms), so large exports fit.
class DatasetCanonicalizer : public QuadSink {
 public:
  explicit DatasetCanonicalizer(const CanonOptions& opts = {});
  ~DatasetCanonicalizer() override;
  Status quad(const QuadView& q) override;  // copies what it needs
  // Runs the algorithm; call once, after the last quad.
  Result<CanonResult> finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Canonicalize a dataset. Errors: Status::aborted when the work limit is
// reached; Status::invalidArgument for a quad whose subject, predicate or
// object is missing.
Result<CanonResult> canonicalize(const std::vector<Quad>& quads, const CanonOptions& opts = {});

// Lower-case hex SHA-256 of the canonical N-Quads of `quads` (RDFC-1.0 with
// `opts`): the "dataset hash" exchange packages carry.
Result<std::string> datasetHash(const std::vector<Quad>& quads, const CanonOptions& opts = {});

// Lower-case hex digest of bytes (libcrypto).
std::string hashHex(CanonHash algorithm, std::string_view bytes);

// A term / quad in canonical N-Quads form (RDF 1.2 N-Triples canonical form:
// \b \t \n \f \r \" \\ as ECHAR, other controls and U+007F as \u00XX with
// upper-case hex, everything else as itself; one space between terms; " .\n").
void appendCanonicalTerm(std::string& out, const TermView& t);
void appendCanonicalNQuads(std::string& out, const QuadView& q);

}  // namespace weft::rdf
