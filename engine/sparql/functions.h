// SPDX-License-Identifier: Apache-2.0
// SPARQL 1.1 operators and functions on RDF terms (section 17): effective
// boolean value, comparison with RDFterm-equal, arithmetic with the XPath
// numeric type promotion (integer < decimal < float < double; xsd:integer and
// xsd:decimal exact), the built-in functions of 17.4 and the XSD constructor
// casts of 17.5. Every function returns std::nullopt for an expression error
// (type error, unbound argument, bad lexical form...), as the spec's error
// semantics require; the evaluator (evaluator.cpp) handles the functional
// forms that must see errors (BOUND, IF, COALESCE, ||, &&, IN, EXISTS).
//
// Terms of kind kNone stand for "unbound" and make any function error.
// Thread safety: pure functions; a FunctionContext belongs to one query.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>

#include "engine/rdf/term.h"
#include "engine/rdf/xsd.h"
#include "engine/sparql/algebra.h"

namespace weft::sparql {

// Per-query state some functions need.
struct FunctionContext {
  std::mt19937_64 rng{0x5eed};
  // NOW(): the same xsd:dateTime literal for the whole query.
  rdf::Term now;
  // IRI() / URI() resolve relative IRIs against the query's base IRI.
  std::string base;
  // BNODE() / BNODE(str): supplied by the evaluator (a fresh blank node per
  // call, or the same one per string within one solution). Empty label = BNODE().
  std::function<rdf::Term(std::string_view label)> make_bnode;
};

// The effective boolean value (17.2.2); nullopt = type error.
std::optional<bool> effectiveBooleanValue(const rdf::Term& t);

// = != < > <= >= (17.3 operator mapping, RDFterm-equal for = and != on terms
// that are not comparable values). `op` is one of the comparison ExprKinds.
std::optional<bool> compareTerms(ExprKind op, const rdf::Term& a, const rdf::Term& b);

// + - * / on numerics, and the xsd:dateTime/xsd:duration operators weft
// supports; `op` is kAdd, kSubtract, kMultiply or kDivide.
std::optional<rdf::Term> arithmetic(ExprKind op, const rdf::Term& a, const rdf::Term& b);
// Unary - and + (kUnaryMinus, kUnaryPlus).
std::optional<rdf::Term> unaryArithmetic(ExprKind op, const rdf::Term& a);

// A built-in call with evaluated arguments. Not for kBound, kIf, kCoalesce
// (the evaluator does those).
std::optional<rdf::Term> callBuiltin(Builtin b, std::span<const rdf::Term> args,
                                     FunctionContext& ctx);

// An IRI function call: XSD casts (xsd:string, xsd:integer, xsd:decimal,
// xsd:float, xsd:double, xsd:boolean, xsd:dateTime, and the other XSD types
// weft knows), and weft's extension functions in https://w3id.org/weft/fn#:
// secondsBetween(start, end) (xsd:decimal seconds between two timezoned
// xsd:dateTimes). Unknown IRIs are an error (nullopt).
std::optional<rdf::Term> callFunction(std::string_view iri, std::span<const rdf::Term> args,
                                      FunctionContext& ctx);

// ORDER BY comparison (15.1): unbound < blank nodes < IRIs < literals; within
// a kind, values by `<` where comparable, else a fixed total order (lexical).
// Returns <0, 0, >0.
int orderCompare(const rdf::Term& a, const rdf::Term& b);
// The same with the values already parsed (rdf::parseValue of each term), for
// sorts that compare each key many times.
int orderCompare(const rdf::Term& a, const rdf::Value& va, const rdf::Term& b,
                 const rdf::Value& vb);

// Aggregate helpers on literal values (SUM / AVG use arithmetic; MIN / MAX
// use orderCompare per 18.5.1). Provided here so the evaluator stays term-agnostic.
rdf::Term integerLiteral(int64_t v);

}  // namespace weft::sparql
