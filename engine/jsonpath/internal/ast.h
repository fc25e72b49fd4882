// SPDX-License-Identifier: Apache-2.0
// The compiled form of a JSONPath query (RFC 9535): segments of selectors,
// filter expressions and function calls, already type-checked against the
// function type system of section 2.4. Built by parse.cpp, run by eval.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/jsonpath/internal/iregexp.h"

namespace weft::jsonpath::internal {

struct Expr;
struct Path;

// Selectors (section 2.3).
struct Selector {
  enum class Kind : uint8_t { kName, kWildcard, kIndex, kSlice, kFilter };
  Kind kind = Kind::kName;
  std::string name;  // kName (unescaped)
  int64_t index = 0; // kIndex
  // kSlice: start:end:step, each optional.
  bool has_start = false, has_end = false, has_step = false;
  int64_t start = 0, end = 0, step = 1;
  std::unique_ptr<Expr> filter;  // kFilter
};

// A child segment ([...] or .name) or a descendant segment (..[...]).
struct Segment {
  bool descendant = false;
  std::vector<Selector> selectors;
};

// A query: "$" (absolute) or "@" (relative, only inside filters).
struct Path {
  bool absolute = true;
  bool singular = true;  // only name and index selectors in child segments (2.3.5.1)
  std::vector<Segment> segments;
};

// Literal values in filters (section 2.3.5.1 literal).
struct Literal {
  enum class Kind : uint8_t { kNull, kTrue, kFalse, kNumber, kString };
  Kind kind = Kind::kNull;
  bool is_int = false;
  int64_t i = 0;
  double d = 0;
  std::string s;
};

// The function extensions of section 2.4.4 - 2.4.8.
enum class Function : uint8_t { kLength, kCount, kMatch, kSearch, kValue };
// Declared types (section 2.4.1).
enum class Type : uint8_t { kValue, kLogical, kNodes };

enum class CmpOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Expr {
  enum class Kind : uint8_t {
    kOr,        // children
    kAnd,       // children
    kNot,       // children[0]
    kCompare,   // children[0] op children[1] (both comparables)
    kExists,    // path: test-expr over a filter query
    kFuncTest,  // func: test-expr over a function of LogicalType or NodesType
    // Comparables and function arguments:
    kLiteral,   // literal
    kQuery,     // path (a singular query when compared)
    kCall,      // func
  };
  Kind kind = Kind::kLiteral;
  CmpOp op = CmpOp::kEq;
  std::vector<std::unique_ptr<Expr>> children;  // operands, or call arguments for kCall/kFuncTest
  std::unique_ptr<Path> path;
  Literal literal;
  Function func = Function::kLength;
  // match()/search() with a literal pattern: compiled once (null if the
  // pattern is not a valid I-Regexp, which makes the function false).
  std::shared_ptr<const Regex> regex;
  bool regex_literal = false;
};

struct QueryAst {
  std::string text;
  Path path;
};

}  // namespace weft::jsonpath::internal
