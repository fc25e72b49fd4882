// SPDX-License-Identifier: Apache-2.0
// JSONPath queries (RFC 9535), compiled once from text and evaluated over
// RapidJSON values: the root "$", child and descendant segments, name,
// wildcard, index, slice and filter selectors, filter expressions with
// comparisons, logical operators and existence tests, and the function
// extensions length(), count(), match(), search() and value() with the type
// system of section 2.4 (match/search run I-Regexp, RFC 9485, on PCRE2).
// Results are nodelists in the order of section 2.3/2.5; each node can carry
// its Normalized Path (section 2.7) for messages.
//
//   Result<Query> q = Query::compile("$.store.book[?@.price < 10].title");
//   std::vector<const rapidjson::Value*> nodes;
//   q->select(document, &nodes);
#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace weft::jsonpath {

namespace internal {
struct QueryAst;
}

// One node of a result with its Normalized Path, e.g. "$['a'][0]".
struct Node {
  const rapidjson::Value* value = nullptr;
  std::string path;
};

// A step of a query made only of ".name" / "['name']" and "[*]" / ".*".
struct SimpleStep {
  bool wildcard = false;
  std::string name;
};

class Query {
 public:
  Query();
  ~Query();
  Query(Query&&) noexcept;
  Query& operator=(Query&&) noexcept;

  // Compiles a query (RFC 9535 section 2.1 jsonpath-query). A malformed
  // query gives kSyntaxError "jsonpath: column N: expected ... in '<query>'"
  // (columns count characters from 1); a query that parses but is not well
  // typed (section 2.4.3) or uses an unknown function is also kSyntaxError.
  static Result<Query> compile(std::string_view text);

  // Compiles an RML reference (RML-Core: a JSONPath expression relative to
  // the iterated node). References that start with "$" are queries as they
  // are; "@..." is read as "$..."; "[...]" as "$[...]"; other text is first
  // tried as "$." + reference ("name", "a.b", "a[0]"), and when that does
  // not parse, as one member name ("Country Code" -> $['Country Code']).
  static Result<Query> compileReference(std::string_view reference);

  // Appends the selected nodes, in nodelist order, to *out. `root` is the
  // value "$" stands for. Never fails: a query selects what exists.
  void select(const rapidjson::Value& root, std::vector<const rapidjson::Value*>* out) const;
  // The same with Normalized Paths.
  void selectWithPaths(const rapidjson::Value& root, std::vector<Node>* out) const;

  // A singular query selects at most one node (section 2.3.5.1).
  bool isSingular() const;
  // True when the query is "$" followed only by child segments each holding
  // one name or wildcard selector ("$", "$.a[*]", "$['a'].*"): the shape a
  // streaming reader can follow. *steps gets the steps.
  bool simpleSteps(std::vector<SimpleStep>* steps) const;
  // The text the query was compiled from.
  const std::string& text() const;

 private:
  std::unique_ptr<internal::QueryAst> ast_;
};

// Appends the Normalized Path form of a member name (section 2.7), e.g.
// "['a\\'b']", to *out.
void appendNormalizedName(std::string* out, std::string_view name);
// Appends "[index]".
void appendNormalizedIndex(std::string* out, size_t index);

}  // namespace weft::jsonpath
