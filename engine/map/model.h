// SPDX-License-Identifier: Apache-2.0
// The mapping model: W3C KG-Construct RML-Core (https://w3id.org/rml/core)
// with RML-IO logical sources and RML-FNML function executions. Legacy rml.io
// documents (rml:/rr:/ql:/fnml:) and W3C R2RML load into the same model (see
// loader.h), so the executor knows one vocabulary.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/rdf/term.h"
#include "engine/sources/source.h"

namespace weft::map {

// kUri (rml:URI): template values keep only RFC 3986 unreserved characters;
// kIri also keeps non-ASCII (RFC 3987 iunreserved); kUnsafeIri
// (rml:UnsafeIRI): values are not encoded and the IRI is not checked.
enum class TermType : uint8_t { kIri, kUri, kUnsafeIri, kBlank, kLiteral };

// A template ("http://ex.org/{ID}/{Name}"): literal text and references.
struct Template {
  struct Part {
    bool is_ref = false;
    std::string text;  // literal text, or the reference
  };
  std::vector<Part> parts;
};

struct TermMap;

// RML-FNML: a function and its inputs, each a term map (the parameter is a
// parameter IRI, or for legacy documents the parameter's predicate IRI).
struct FunctionExecution {
  std::string function;
  struct Input {
    std::string parameter;
    std::shared_ptr<TermMap> value;
  };
  std::vector<Input> inputs;
  std::string output;  // rml:return; empty: the function's first output
};

// A term map (RML-Core section 6): how one RDF term is made from a record.
struct TermMap {
  // kFreshBlank: a blank node map with no expression, a new node per record.
  enum class Kind : uint8_t { kConstant, kReference, kTemplate, kFunction, kFreshBlank };
  Kind kind = Kind::kConstant;
  std::string where;      // for messages: "TriplesMap1 subject map"
  rdf::Term constant;     // kConstant
  std::string reference;  // kReference
  Template tmpl;          // kTemplate
  std::shared_ptr<FunctionExecution> fn;  // kFunction
  TermType term_type = TermType::kIri;
  bool term_type_explicit = false;  // rml:termType given
  // Literals: a constant datatype / language, or maps producing them.
  std::string datatype;
  std::shared_ptr<TermMap> datatype_map;
  std::string language;
  std::shared_ptr<TermMap> language_map;
  // RML-FNML rml:condition: the term is made only when this gives "true".
  std::shared_ptr<TermMap> condition;
};

// A join condition: child and parent expressions (references in practice).
struct JoinCondition {
  TermMap child, parent;
};

struct ObjectMap {
  bool is_ref = false;  // a referencing object map
  TermMap term;         // !is_ref
  size_t parent = 0;    // is_ref: index of the parent triples map
  std::vector<JoinCondition> joins;
};

struct PredicateObjectMap {
  std::vector<TermMap> predicates;
  std::vector<ObjectMap> objects;
  std::vector<TermMap> graphs;
};

struct ViewDef;  // RML-LV logical view (engine/map/internal/view.h)

struct LogicalSource {
  sources::SourceSpec spec;
  std::shared_ptr<const ViewDef> view;  // set: a logical view, and `spec` is unused
  std::string key;  // equal keys = the same logical source (joins without conditions)
  bool sql = false;  // R2RML logical table / D2RQ database (needs --sql-db)
};

struct TriplesMap {
  std::string name;  // the node's IRI (relative to the base when possible) or label
  LogicalSource source;
  TermMap subject;
  std::vector<std::string> classes;
  std::vector<TermMap> subject_graphs;
  std::vector<PredicateObjectMap> poms;
  std::string base;  // rml:baseIRI of this map, else the mapping's base
};

struct Mapping {
  std::vector<TriplesMap> maps;
  std::string base;  // base IRI for relative IRIs made by term maps
  // A legacy rml.io document: its processors drop a term whose IRI is
  // invalid (rather than failing) and give JSON / XML values no natural
  // datatypes; the legacy test suite expects both.
  bool legacy = false;
};

}  // namespace weft::map
