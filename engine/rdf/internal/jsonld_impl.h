// SPDX-License-Identifier: Apache-2.0
// Internal to the JSON-LD processor (jsonld_context.cpp, jsonld_expand.cpp,
// jsonld_rdf.cpp): active contexts, term definitions and the Processor that
// runs the algorithms of https://www.w3.org/TR/json-ld11-api/.
//
// Error handling: the algorithms are deeply recursive and may fail at any
// step with a JSON-LD error code, so inside the processor an error is thrown
// as JsonLdError and turned into a Status at the module boundary (jsonld.h);
// no exception leaves this module.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/rdf/internal/jsonld.h"
#include "engine/rdf/internal/jsonld_json.h"

namespace weft::rdf::internal::jsonld {

// A JSON-LD error (API 9.5.2): `code` is the error code string.
struct JsonLdError {
  std::string code;
  std::string detail;
};
[[noreturn]] void fail(std::string code, std::string detail = {});

using OptString = std::optional<std::string>;

// A term definition (API 4.1 "term definition").
struct TermDef {
  OptString iri;  // IRI mapping; nullopt: the term maps to null
  bool prefix = false;
  bool is_protected = false;
  bool reverse = false;
  OptString type;  // type mapping
  bool has_language = false;
  OptString language;  // language mapping (nullopt with has_language = explicit null)
  bool has_direction = false;
  OptString direction;
  std::set<std::string> container;
  OptString index;
  OptString nest;
  // Scoped context: points into the document, a cached remote document or
  // Processor::keep_alive_, all of which outlive the processing.
  const Json* context = nullptr;
  OptString base_url;  // base URL of the scoped context

  bool hasContainer(std::string_view c) const { return container.count(std::string(c)) != 0; }
  // Equality ignoring the protected flag (Create Term Definition 27.1).
  bool sameAs(const TermDef& o) const;
};

struct Context;
using CtxPtr = std::shared_ptr<const Context>;

// An active context (API 4.1).
struct Context {
  std::map<std::string, TermDef, std::less<>> terms;
  OptString base;           // base IRI; nullopt: none
  OptString original_base;  // original base URL
  OptString vocab;
  OptString language;   // default language
  OptString direction;  // default base direction
  CtxPtr previous;      // previous context (non-propagated type-scoped contexts)

  const TermDef* term(std::string_view t) const {
    auto it = terms.find(t);
    return it == terms.end() ? nullptr : &it->second;
  }
  bool hasProtected() const;
};

bool isKeyword(std::string_view s);
// "@" followed by one or more ALPHA (API 4.1.2 / 4.2.2 "has the form of a keyword").
bool hasKeywordForm(std::string_view s);
bool isBlankNodeId(std::string_view s);
// "has the form of an IRI" for IRI expansion: absolute (has a scheme).
bool isAbsoluteIri(std::string_view s);

class Processor {
 public:
  explicit Processor(const JsonLdOptions& opts);

  const JsonLdOptions& options() const { return opts_; }
  bool mode10() const { return opts_.processing_mode == "json-ld-1.0"; }

  // Context Processing Algorithm (API 4.1.2).
  CtxPtr processContext(const CtxPtr& active, const Json& local, const OptString& base_url,
                        std::vector<std::string> remote = {}, bool override_protected = false,
                        bool propagate = true, bool validate_scoped = true);

  // IRI Expansion (API 4.4.2) outside context processing; nullopt is null.
  OptString expandIri(const Context& active, std::string_view value, bool document_relative,
                      bool vocab) const;

  // Expansion Algorithm (API 5.1.2) plus the top-level post-processing of
  // expand(): always an array. The document is consumed: each array item is
  // released as soon as it is expanded, which bounds the peak memory to
  // about one copy of the data. (Safe because contexts only point into the
  // JSON of the element being expanded and its ancestors.)
  Json expandDocument(Json document);

  // Bounds the context processing work (terms copied into new active
  // contexts) for a document of `document_bytes`: adversarial scoped contexts
  // can otherwise multiply the work far beyond the input size. Exceeding it is
  // a "context overflow" error.
  void setWorkBudget(size_t document_bytes) {
    work_budget_ = std::max<size_t>(size_t{20'000'000}, document_bytes * 200);
  }

  // The initial active context for a document (base = options().base).
  CtxPtr initialContext() const;

 private:
  using Defined = std::map<std::string, bool, std::less<>>;

  void createTermDefinition(Context& active, const Json& local, const std::string& term,
                            Defined& defined, const OptString& base_url, bool is_protected,
                            bool override_protected, const std::vector<std::string>& remote,
                            bool validate_scoped);
  OptString expandIriDefining(Context& active, std::string_view value, bool document_relative,
                              bool vocab, const Json* local, Defined* defined,
                              const OptString& base_url, const std::vector<std::string>& remote);

  // Loads a remote document through the offline loader (with caching).
  const Json& loadRemote(const std::string& iri, const char* error_code);

  Json expand(CtxPtr active, const std::string* active_property, const Json& element,
              const OptString& base_url, bool from_map, int depth);
  // Expanded non-keyword properties of the map being expanded, collected
  // apart from `result` and merged into it once (inserting thousands of keys
  // into a sorted flat object one by one would be quadratic).
  using PropertyMap = std::unordered_map<std::string, Json>;
  void expandObjectEntries(CtxPtr& active, const CtxPtr& type_scoped,
                           const std::string* active_property, const Json& element,
                           const OptString& base_url, const OptString& input_type, Json& result,
                           PropertyMap& properties, int depth);
  Json expandValue(const Context& active, const std::string* active_property, const Json& value);

  JsonLdOptions opts_;
  bool consume_input_ = false;  // set while expandDocument() runs
  std::map<std::string, std::shared_ptr<const Json>> remote_cache_;
  // Context JSON built during processing (@import merges, expandContext).
  std::vector<std::shared_ptr<const Json>> keep_alive_;
  size_t work_ = 0;
  size_t work_budget_ = 20'000'000;
};

}  // namespace weft::rdf::internal::jsonld
