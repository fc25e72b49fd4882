// SPDX-License-Identifier: Apache-2.0
// The compiled shapes graph: shapes with their targets and constraints,
// independent of any data graph. Terms the validator must find in the data
// (classes, predicates, hasValue / sh:in members, target nodes) are "slots":
// Model::slots holds the terms, and a validation resolves every slot to a
// data id once, so the hot loops compare integers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/rdf/term.h"
#include "engine/shacl/shacl.h"
#include "engine/sparql/algebra.h"

namespace weft::shacl::internal {

// Constraint components of SHACL Core (section 4) and SHACL-SPARQL (5).
enum class Component : uint8_t {
  kClass,
  kDatatype,
  kNodeKind,
  kMinCount,
  kMaxCount,
  kMinExclusive,
  kMinInclusive,
  kMaxExclusive,
  kMaxInclusive,
  kMinLength,
  kMaxLength,
  kPattern,
  kLanguageIn,
  kUniqueLang,
  kEquals,
  kDisjoint,
  kLessThan,
  kLessThanOrEquals,
  kNot,
  kAnd,
  kOr,
  kXone,
  kNode,
  kProperty,
  kQualifiedMinCount,  // one qualifiedValueShape constraint reports either of the two
  kQualifiedMaxCount,
  kClosed,
  kHasValue,
  kIn,
  kSparql,
};
// "ClassConstraintComponent", ... (local name in the sh: namespace).
const char* componentName(Component c);

// Node kinds of sh:nodeKind as a bit set.
inline constexpr uint8_t kKindIri = 1, kKindBlank = 2, kKindLiteral = 4;

// A compiled path: predicates refer to slots.
struct Path {
  PropertyPath::Kind kind = PropertyPath::Kind::kPredicate;
  int slot = -1;  // kPredicate
  std::vector<Path> sub;
};

struct Constraint {
  Component comp = Component::kClass;
  // kClass: {class}; kEquals / kDisjoint / kLessThan*: {predicate};
  // kHasValue: {value}; kIn: members; kClosed: allowed predicates
  // (sh:property paths that are IRIs, then sh:ignoredProperties).
  std::vector<int> slots;
  // kNot / kNode / kProperty: {shape}; kAnd / kOr / kXone: members;
  // kQualified*: {qualified value shape}.
  std::vector<int> shapes;
  std::vector<int> siblings;       // kQualified*: sibling shapes (qualifiedValueShapesDisjoint)
  rdf::Term term;                  // kDatatype: the IRI; bounds: the literal; kPattern: the pattern
  std::string flags;               // kPattern
  std::vector<std::string> langs;  // kLanguageIn
  int64_t min = -1, max = -1;      // counts and lengths (-1 = none)
  uint8_t node_kinds = 0;          // kNodeKind
  rdf::Term node_kind;             // kNodeKind: the IRI as written (messages)
  int sparql = -1;                 // kSparql: index into Model::sparql
};

struct Shape {
  rdf::Term node;
  // For messages and summaries: the IRI in prefix form, or for a blank node
  // the way to it from a named shape ("ex:PersonShape / ex:name").
  std::string label;
  bool is_property = false;
  Path path;
  std::shared_ptr<const PropertyPath> result_path;  // property shapes
  bool deactivated = false;
  rdf::Term severity;  // sh:Violation unless sh:severity says otherwise
  std::vector<rdf::Term> messages;
  // Targets as slots; implicit class targets appear in target_classes.
  std::vector<int> target_nodes, target_classes, subjects_of, objects_of;
  std::vector<Constraint> constraints;
  bool hasTargets() const {
    return !target_nodes.empty() || !target_classes.empty() || !subjects_of.empty() ||
           !objects_of.empty();
  }
};

// One sh:sparql constraint of one shape (the query text depends on the
// shape through $PATH, so a constraint shared by shapes is compiled per shape).
struct SparqlConstraint {
  rdf::Term node;  // the constraint node (sh:sourceConstraint)
  sparql::Query query;
  std::vector<rdf::Term> messages;
  sparql::VarId this_var = sparql::kNoVar, current_shape_var = sparql::kNoVar,
                shapes_graph_var = sparql::kNoVar;
  // The query with ?this free and projected, when one run grouped by ?this
  // gives each focus node the solutions of its pre-bound query (prebind.h).
  bool batchable = false;
  sparql::Query batch;
};

struct Model {
  std::vector<Shape> shapes;
  std::vector<int> targeted;  // shapes with targets, in shapes-graph order
  std::vector<rdf::Term> slots;
  std::vector<SparqlConstraint> sparql;
  std::vector<std::pair<std::string, std::string>> prefixes;
  std::unordered_map<std::string, int> index;  // shape node (N-Triples) -> shape
};

}  // namespace weft::shacl::internal
