// SPDX-License-Identifier: Apache-2.0
// The built-in function library of RML-FNML (https://w3id.org/rml/fnml): the
// functions a mapping may execute with rml:functionExecution (new vocabulary)
// or fnml:functionValue (legacy rml.io), described as in the Function
// Ontology (FnO, https://fno.io/spec/): a function IRI, parameters in order,
// outputs in order (the first is the default rml:return).
//
// Parameters are named two ways: by the parameter resource (new vocabulary,
// `rml:parameter grel:valueParam`) and by its fno:predicate (legacy
// predicate-object maps, `grel:valueParameter`); Function::paramIndex accepts
// both, and outputs likewise (`grel:stringOut` / `grel:stringOutput`).
//
// Calling: one value list per parameter in Function::params order (an
// unbound parameter or a null reference gives an empty list). Values follow
// RML's reference semantics:
//   * a *required* parameter with no value gives no output (like a null
//     reference: no term, not an error); an optional one is seen as absent;
//   * a parameter with several values (a JSON array, an XPath node set) runs
//     the function once per combination (cartesian product, in order), unless
//     the parameter is a list parameter (Parameter::list: join, sum, coalesce,
//     listContainsElement...), which receives all its values at once;
//   * a function may return no value (GREL substring past the end, a false
//     condition): no term is generated.
// Invalid input that is a data error (a GTIN with a bad check digit, a date
// that does not match its pattern, a number that does not parse) returns a
// non-ok Status whose message names the function IRI and the reason, for the
// engine to report with the record position.
//
// Results carry ValueKind so the engine can pick natural datatypes (RML-FNML
// takes the output's fno:type): kInteger (xsd:integer), kDecimal, kDouble,
// kBoolean ("true"/"false"), kIri (an IRI: GS1 Digital Link functions; the
// natural term type when the term map sets no rml:termType), kString
// otherwise. Date outputs are kString with Value::datatype set to xsd:date or
// xsd:dateTime.
//
// Thread-safety: Library::builtin() is immutable after its first use (a
// function-local static); Function::call is reentrant (the regex cache is
// thread_local).
//
// ---------------------------------------------------------------------------
// Built-in functions. Prefixes:
//   grel:     http://users.ugent.be/~bjdmeest/function/grel.ttl#
//   idlab-fn: https://w3id.org/imec/idlab/function#
//   weft-fn:  https://w3id.org/weft/fn#          (our own)
//   fns:      http://example.com/functions/      (RML-FNML test functions)
// Parameters are written as resource (predicate); `?` optional, `*` list.
// Strings are Unicode: lengths and indexes count code points (Java counts
// UTF-16 units; they differ only outside the BMP).
//
// GREL strings (output grel:stringOut unless noted)
//   grel:toUpperCase / grel:toLowerCase     valueParam (valueParameter)
//   grel:string_toTitlecase                 valueParam: each word capitalised, rest lower
//   grel:string_trim                        valueParam: strips chars <= U+0020 at both ends
//   grel:string_length -> output_number     valueParam
//   grel:string_substring                   valueParam, p_int_i_from (param_int_i_from),
//                                           p_int_i_opt_to? (param_int_i_opt_to); negative
//                                           indexes count from the end; out of range: no value
//   grel:string_replace                     valueParam, param_find (p_string_find),
//                                           param_replace (p_string_replace); find "/re/"
//                                           is a regular expression (PCRE2, $1 in replace)
//   grel:string_replaceChars                valueParam, param_find, param_replace (char by char)
//   grel:string_contains / _startsWith / _endsWith -> output_bool
//                                           valueParam, param_string_sub (string_sub)
//   grel:string_indexOf / _lastIndexOf -> output_number (-1 when absent)
//   grel:string_chomp                       valueParam, param_string_sep (p_string_sep)
//   grel:string_split -> output_array       valueParam, param_string_sep ("/re/" allowed):
//                                           one value per piece
//   grel:string_match -> output_array       valueParam, param_regex (p_string_regex) "/re/":
//                                           the capture groups of a whole-string match
//   grel:array_join                         param_a* (p_array_a), param_string_sep
//   grel:array_length / array_sum -> output_number; array_reverse / array_sort /
//   array_uniques -> output_array; array_get / array_slice (param_a*, p_int_i_from,
//   p_int_i_opt_to?)
//   grel:string_md5 / grel:string_sha1      valueParam: lower-case hex (libcrypto)
//   grel:escape / grel:string_unescape      valueParam, modeParam (modeParameter):
//                                           "html", "xml", "csv", "url", "javascript"
//   grel:string_toString                    param_any_e (p_any_e)
//   grel:string_toNumber -> output_number   param_any_e: integer or decimal
//   grel:boolean_and / _or / _xor -> output_bool   bool_array_b* (param_rep_b)
//   grel:boolean_not -> output_bool         param_b (bool_b)
//   grel:controls_if -> output_any          param_b, param_true (any_true), param_false?
//   grel:other_coalesce -> output_any       param_any_rep_e*: first value
//   grel:math_floor / _ceil / _round -> output_number; math_abs, math_min, math_max,
//   math_pow, math_mod (param_dec_n (p_dec_n), param_dec_n2 (param_n2),
//   param_dec_n_exp (p_any_exp), param_int_i (p_int_i), param_int_i2 (p_int_i2))
//   grel:date_toDate -> output_date         valueParam, param_string_pattern (p_string_pattern)
//
// IDLab (output idlab-fn:_stringOut (stringOut) or _boolOut (o_boolOut))
//   idlab-fn:equal / notEqual -> bool       grel:valueParam, grel:valueParam2 (valueParameter2)
//   idlab-fn:toUpperCaseURL                 _str (str): upper case, "http://" prefixed
//                                           unless it starts with HTTP
//   idlab-fn:concat                         _str, _otherStr (otherStr), _delimiter? (delimiter)
//   idlab-fn:concatSequence                 _seq*, _delimiter?
//   idlab-fn:trueCondition                  _strBoolean (strBoolean), _str: str if "true"
//   idlab-fn:decide                         _str, _expectedStr, _result: result if str==expected
//   idlab-fn:isNull -> bool                 _str?: true when no value
//   idlab-fn:stringContainsOtherString -> bool  _str, _otherStr, _delimiter
//   idlab-fn:listContainsElement -> bool    _list*, _str
//   idlab-fn:inRange -> bool                _test (p_test), _from? (p_from), _to? (p_to):
//                                           from <= test < to
//   idlab-fn:slugify                        _str
//   idlab-fn:getMIMEType                    _str: from the file extension
//   idlab-fn:normalizeDate / normalizeDateTime (+WithLang)  _strDate (strDate),
//                                           _pattern (pattern), _lang? (lang): ISO 8601
//   idlab-fn:alwaysReturnsABC               (none): "ABC"
//   All IDLab functions are also registered under the old namespace
//   http://example.com/idlab/function/ (RMLMapper 4/5 mappings).
//
// Date, time and numbers (weft-fn:; output weft-fn:stringOut unless noted)
//   weft-fn:parseDate -> dateOut (xsd:date)         weft-fn:value, weft-fn:pattern
//   weft-fn:parseDateTime -> dateTimeOut (xsd:dateTime)  value, pattern
//   weft-fn:formatDate                      value (xsd:date/dateTime lexical), pattern
//   weft-fn:convertDate                     value, inputPattern, pattern
//     Patterns use Java DateTimeFormatter letters: y u (year; yy = 20yy), M L
//     (MM number, MMM/MMMM name), d, H, h, k, K, m, s, S (fraction), a (AM/PM),
//     E (day name), X x Z (offset), z ("UTC"/"GMT"/"Z"), 'quoted text'.
//     Month and day names: English, or weft-fn:lang "nl" "fr" "de" "es".
//   weft-fn:parseNumber -> numberOut        value, decimalSeparator? (default "."),
//                                           groupingSeparator? : "1.234,5" -> 1234.5
//   weft-fn:convertUnit -> numberOut (kDecimal)  value, fromUnit, toUnit: temperature
//     (C F K), mass (mg g kg t lb oz), volume (mL cL dL L m3 gal floz), length
//     (mm cm m km in ft), by symbol, name or UN/CEFACT Rec 20 code (CEL, KGM...)
//
// GS1 (weft-fn:; output weft-fn:iriOut (kIri) unless noted). Every GTIN,
// SSCC and GLN is checked (length, digits, GS1 mod-10 check digit) and an
// invalid one is an error naming the expected check digit.
//   weft-fn:gtinValid -> boolOut            gtin: GTIN-8/12/13/14 with a valid check digit
//   weft-fn:gtinCheckDigit -> stringOut     gtin without its check digit (7/11/12/13 digits)
//   weft-fn:gtin14 -> stringOut             gtin: validated, left-padded to 14 digits
//   weft-fn:gtinToDigitalLink               gtin, domain? -> https://id.gs1.org/01/{GTIN-14}
//   weft-fn:gtinLotToDigitalLink            gtin, lot, domain? -> .../01/{GTIN}/10/{lot}
//   weft-fn:gtinSerialToDigitalLink         gtin, serial, domain? -> .../01/{GTIN}/21/{serial}
//   weft-fn:ssccToDigitalLink               sscc, domain? -> .../00/{SSCC}
//   weft-fn:glnToDigitalLink                gln, domain? -> .../414/{GLN}
//   weft-fn:epcToDigitalLink                epc, domain?: EPC pure-identity URNs
//     urn:epc:id:sgtin|sscc|sgln|grai|giai and urn:epc:class:lgtin (GS1 Tag Data
//     Standard 2.x section 6/7: the first digit of the item reference is the
//     indicator digit; an SGLN extension "0" means none)
//   Lots and serials must be 1-20 characters of GS1 AI encodable set 82; in the
//   IRI every character outside RFC 3986 unreserved is percent-encoded (GS1
//   Digital Link URI syntax 1.2, section 6.1).
//
// RML-FNML test functions (test-cases/functions.ttl)
//   fns:helloworld -> fns:stringOutput      "Hello World!"
//   fns:schema                              fns:stringParameter -> https://schema.org/{s}
//   fns:parseURL -> protocolOutput, domainOutput, stringOutput
// ---------------------------------------------------------------------------
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/sources/source.h"

namespace weft::fnml {

inline constexpr std::string_view kGrel = "http://users.ugent.be/~bjdmeest/function/grel.ttl#";
inline constexpr std::string_view kIdlab = "https://w3id.org/imec/idlab/function#";
inline constexpr std::string_view kWeftFn = "https://w3id.org/weft/fn#";
inline constexpr std::string_view kFnsTest = "http://example.com/functions/";

struct Parameter {
  std::string iri;        // the fno:Parameter resource (rml:parameter)
  std::string predicate;  // its fno:predicate (legacy predicate-object maps)
  bool required = true;   // fno:required
  bool list = false;      // receives all its values at once (no cartesian product)
};

struct Output {
  std::string iri;        // the fno:Output resource (rml:return)
  std::string predicate;  // its fno:predicate
};

// Inputs seen by an implementation: for each parameter the current value of a
// scalar parameter (one combination), or all values of a list parameter.
class Args {
 public:
  Args(const std::vector<std::vector<sources::Value>>* lists, const sources::Value* const* current)
      : lists_(lists), current_(current) {}
  size_t size() const { return lists_->size(); }
  bool has(size_t i) const { return current_[i] != nullptr; }
  // The current value's text ("" when absent).
  std::string_view text(size_t i) const { return has(i) ? std::string_view(current_[i]->text) : std::string_view(); }
  const sources::Value* value(size_t i) const { return current_[i]; }
  // All values of parameter i (for list parameters).
  const std::vector<sources::Value>& all(size_t i) const { return (*lists_)[i]; }

 private:
  const std::vector<std::vector<sources::Value>>* lists_;
  const sources::Value* const* current_;
};

class Function;

// An implementation computes output number `output` and appends its values
// to *out. Errors carry only the reason; Function::call adds the IRI.
using Impl = Status (*)(const Function& fn, const Args& args, size_t output,
                        std::vector<sources::Value>* out);

class Function {
 public:
  std::string iri;
  std::vector<Parameter> params;  // in fno:expects order
  std::vector<Output> outputs;    // in fno:returns order; outputs[0] is the default
  Impl impl = nullptr;

  // Index of the parameter / output named by its resource IRI or its
  // fno:predicate IRI; -1 when the function has none such.
  int paramIndex(std::string_view iri_or_predicate) const;
  int outputIndex(std::string_view iri_or_predicate) const;
  // The same, as an error naming the function and the parameter / output
  // (RML-FNML test cases 0103 and 0104). An empty output IRI gives 0.
  Result<size_t> resolveParam(std::string_view iri_or_predicate) const;
  Result<size_t> resolveOutput(std::string_view iri_or_predicate) const;
  // Checks that every required parameter is bound by the mapping
  // (bound[i] for params[i]): a mapping error naming the first one missing.
  Status checkBound(const std::vector<bool>& bound) const;

  // Runs the function: args has one list per parameter (missing trailing
  // lists count as empty). Appends the values of outputs[output] to *out.
  Status call(const std::vector<std::vector<sources::Value>>& args, size_t output,
              std::vector<sources::Value>* out) const;
  // All outputs: (*outs)[k] receives the values of outputs[k].
  Status callAll(const std::vector<std::vector<sources::Value>>& args,
                 std::vector<std::vector<sources::Value>>* outs) const;
};

class Library {
 public:
  // The built-in functions listed above (built once, immutable).
  static const Library& builtin();

  // The function with this IRI, or nullptr.
  const Function* find(std::string_view iri) const;
  // The same as an error for an unknown function (RML-FNML test case 0102).
  Result<const Function*> lookup(std::string_view iri) const;
  // All functions, sorted by IRI.
  const std::vector<Function>& functions() const { return functions_; }

  // Adds (or replaces) a function; for embedding applications and tests.
  void add(Function fn);

 private:
  std::vector<Function> functions_;  // sorted by iri
};

}  // namespace weft::fnml
