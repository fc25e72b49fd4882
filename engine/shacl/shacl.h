// SPDX-License-Identifier: Apache-2.0
// SHACL validation (W3C Shapes Constraint Language, https://www.w3.org/TR/shacl/):
// a shapes graph is compiled once (loadShapes / shapesFromDataset), then
// validate() checks a data graph read through sparql::Dataset, so the same
// code validates a store snapshot (the union of its graphs or one named
// graph) and files loaded into an in-memory store. The result is a
// ValidationReport, written as the W3C report vocabulary in Turtle
// (writeReportTurtle) or as a readable summary (summaryText).
//
// Supported: every SHACL Core constraint component (section 4), property
// paths (2.3.1), all targets (2.1.3) including implicit class targets,
// severities, sh:deactivated, sh:message, and SHACL-SPARQL constraints
// (section 5: sh:sparql with sh:select, $this / $currentShape /
// $shapesGraph pre-bound, $PATH, sh:prefixes) run by weft's own SPARQL
// engine. Not supported: SPARQL-based constraint components
// (sh:ConstraintComponent with validators), sh:entailment, sh:detail.
//
// Recursive shapes (a shape that reaches itself through sh:node, sh:property,
// sh:not, sh:and, ...) are not defined by SHACL (section 3.4.3); validation
// always terminates: a node that is re-entered for the same shape while its
// own check is in progress is taken to conform, and the report says so
// (ValidationReport::notes).
//
// Thread safety: a Shapes object is immutable after loading and may be used
// by several validate() calls at once; each call owns its own state.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/term.h"
#include "engine/sparql/dataset.h"

namespace weft::shacl {

inline constexpr std::string_view kSh = "http://www.w3.org/ns/shacl#";

namespace internal {
struct Model;
}

// A SHACL property path (https://www.w3.org/TR/shacl/#property-paths).
struct PropertyPath {
  enum class Kind : uint8_t {
    kPredicate,    // iri
    kSequence,     // ( sub0 sub1 ... )
    kAlternative,  // [ sh:alternativePath ( sub0 sub1 ... ) ]
    kInverse,      // [ sh:inversePath sub0 ]
    kZeroOrMore,   // [ sh:zeroOrMorePath sub0 ]
    kOneOrMore,    // [ sh:oneOrMorePath sub0 ]
    kZeroOrOne,    // [ sh:zeroOrOnePath sub0 ]
  };
  Kind kind = Kind::kPredicate;
  std::string iri;  // kPredicate
  std::vector<PropertyPath> sub;
  friend bool operator==(const PropertyPath&, const PropertyPath&) = default;
};

// The path in SPARQL 1.1 property path syntax with full IRIs, fully
// parenthesised ("<p>", "(<p>/<q>)", "^(<p>)", "(<p>)*"): a canonical form
// (two paths are equal iff their strings are), also used for $PATH.
std::string pathToSparql(const PropertyPath& p);

// A compiled shapes graph. Cheap to move; immutable.
class Shapes {
 public:
  Shapes();
  explicit Shapes(std::shared_ptr<const internal::Model> m);
  ~Shapes();
  Shapes(Shapes&&) noexcept;
  Shapes& operator=(Shapes&&) noexcept;
  Shapes(const Shapes&) = default;
  Shapes& operator=(const Shapes&) = default;

  // Shapes compiled (every shape reachable from a target or declared with
  // rdf:type sh:NodeShape / sh:PropertyShape), and those with targets.
  size_t shapeCount() const;
  size_t targetedShapeCount() const;
  // Prefixes declared in the shapes files (for compact output).
  const std::vector<std::pair<std::string, std::string>>& prefixes() const;
  // A readable name of a shape: prefix:local for an IRI; for a blank node
  // the way to it from a named shape ("ex:PersonShape / ex:name" for one
  // of its property shapes, "ex:S / sh:or" for a member of its sh:or).
  std::string displayName(const rdf::Term& shape) const;
  const internal::Model& model() const { return *m_; }

 private:
  std::shared_ptr<const internal::Model> m_;
};

struct LoadOptions {
  // A label for error messages when the shapes do not come from files.
  std::string source_name = "shapes";
};

// Shapes from RDF files (any syntax weft reads, by extension; .gz read
// directly) or folders of them (read recursively, sorted; hidden entries and
// files of unknown syntax left out), loaded into one in-memory store with
// blank nodes scoped per file. Errors: a syntax error as
// "file:line:column: message"; a shape that cannot be compiled as
// "shape <iri>: sh:minCount must be ..." (ill-formed shapes graph).
Result<Shapes> loadShapes(const std::vector<std::string>& paths, const LoadOptions& opts = {});
// Shapes from a document held in memory (Turtle unless `format` names
// another syntax: "nt", "trig", ...), for tests and embedded shapes.
Result<Shapes> parseShapes(std::string_view text, std::string_view format = "ttl",
                           const std::string& base_iri = "", const LoadOptions& opts = {});
// Shapes from the triples of a dataset: graph kAnyId = every graph (the
// union), kDefaultGraphId = the default graph, else that named graph.
Result<Shapes> shapesFromDataset(const sparql::Dataset& data, sparql::Id graph,
                                 const LoadOptions& opts = {});
// Shapes from quads (graphs ignored: the union is the shapes graph).
Result<Shapes> shapesFromQuads(const std::vector<rdf::Quad>& quads,
                               std::vector<std::pair<std::string, std::string>> prefixes = {},
                               const LoadOptions& opts = {});

// Which graph of the dataset is the data graph.
struct DataScope {
  enum class Kind : uint8_t { kUnion, kDefault, kNamed };
  Kind kind = Kind::kUnion;
  rdf::Term graph;  // kNamed: the graph's IRI (or blank node)
  static DataScope unionOfAll() { return {}; }
  static DataScope defaultGraph() { return {Kind::kDefault, {}}; }
  static DataScope named(rdf::Term g) { return {Kind::kNamed, std::move(g)}; }
};

struct ValidateOptions {
  // Keep the details of at most this many results (0 = all); results past it
  // are still counted (ValidationReport::counts, totals), so conformance and
  // the exit status stay exact while memory stays bounded.
  uint64_t max_results = 0;
  // Give up with Status::aborted after this point in time.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Run SHACL-SPARQL constraints (sh:sparql); false leaves them out.
  bool sparql = true;
  // The IRI $shapesGraph is bound to in SHACL-SPARQL queries (empty: unbound).
  std::string shapes_graph_iri;
  // A SHACL-SPARQL constraint of a shape with many focus nodes runs once
  // with ?this free, its solutions grouped by ?this, where that gives the
  // same solutions as pre-binding (internal/prebind.h); false runs it once
  // per focus node always (the reference the unit tests compare with).
  bool sparql_batch = true;
};

struct ValidationResult {
  rdf::Term focus_node;
  std::shared_ptr<const PropertyPath> path;  // null: no sh:resultPath
  rdf::Term value;                           // kind kNone: no sh:value
  rdf::Term source_shape;
  rdf::Term component;              // IRI of the constraint component
  rdf::Term severity;               // sh:Violation, sh:Warning, sh:Info or another IRI
  std::vector<rdf::Term> messages;  // sh:resultMessage values
  rdf::Term source_constraint;      // sh:sparql constraints: the constraint node
};

struct ValidationReport {
  bool conforms = true;                   // no result of any severity (SHACL 3.6.1)
  std::vector<ValidationResult> results;  // the first max_results (all when 0)
  uint64_t total = 0;                     // all results, kept or not
  uint64_t violations = 0;                // results of severity sh:Violation
  uint64_t warnings = 0;                  // sh:Warning
  uint64_t infos = 0;                     // sh:Info
  uint64_t others = 0;                    // another severity IRI
  uint64_t focus_nodes = 0;               // focus nodes checked against top-level shapes
  // Results per (source shape, component, severity), in order of first result.
  struct Count {
    rdf::Term shape, component, severity;
    uint64_t n = 0;
  };
  std::vector<Count> counts;
  // Things the user should know (recursive shapes met, ...), one line each.
  std::vector<std::string> notes;
  bool truncated() const { return results.size() < total; }
};

// Validate the data graph `scope` of `data` against `shapes`. Errors: the
// named graph is not in the dataset (Status::notFound), a SHACL-SPARQL query
// fails (a validation failure, SHACL 3.6.1.2), or the deadline passed.
Result<ValidationReport> validate(const sparql::Dataset& data, const DataScope& scope,
                                  const Shapes& shapes, const ValidateOptions& opts = {});

// The report as RDF: a sh:ValidationReport node with sh:conforms and one
// sh:result per kept result (paths as SHACL path nodes), as triples into
// `sink` (default graph). Blank nodes the report makes are labelled
// "report", "r1", "r1p1"... unless data terms use such labels.
Status writeReport(const ValidationReport& r, rdf::QuadSink& sink);
// The report in Turtle (prefixes: sh, rdf, xsd and the shapes files' own).
std::string reportTurtle(const ValidationReport& r, const Shapes& shapes);
// A readable summary: the verdict, counts per shape / component / severity,
// and the first `first_n` results with their messages.
std::string summaryText(const ValidationReport& r, const Shapes& shapes, size_t first_n = 10);
// An IRI in prefix:local form if one of the prefixes covers it, else <iri>;
// other terms in N-Triples form.
std::string shortName(const rdf::TermView& t,
                      const std::vector<std::pair<std::string, std::string>>& prefixes);

}  // namespace weft::shacl
