// SPDX-License-Identifier: Apache-2.0
// XSD constructor functions (SPARQL 1.1 section 17.5) following the XPath
// casting rules (XPath and XQuery Functions and Operators 3.1 §19, the cast
// table of §19.1): string sources are parsed in the target's lexical space;
// numeric, boolean, date/time and duration sources are converted by value
// (double -> integer truncates, NaN/INF -> integer or decimal is an error,
// boolean <-> numeric as 1/0, dateTime -> date/time/g* extract, date ->
// dateTime at midnight); derived integer types are range-checked. Results
// use the canonical lexical form, and a cast to xsd:string uses XPath's
// string forms (decimal "1" not "1.0", doubles in [1e-6, 1e6) without an
// exponent). IRIs cast only to xsd:string; blank nodes and language-tagged
// literals never cast.
#include <cmath>

#include "engine/sparql/internal/functions_util.h"

namespace weft::sparql::internal::fn {
namespace {

using rdf::Datatype;
using rdf::Value;
using rdf::ValueType;

ValueType familyOf(Datatype dt) {
  switch (dt) {
    case Datatype::kBoolean: return ValueType::kBoolean;
    case Datatype::kDecimal: return ValueType::kDecimal;
    case Datatype::kFloat: return ValueType::kFloat;
    case Datatype::kDouble: return ValueType::kDouble;
    case Datatype::kDuration:
    case Datatype::kYearMonthDuration:
    case Datatype::kDayTimeDuration: return ValueType::kDuration;
    case Datatype::kDateTime:
    case Datatype::kDateTimeStamp: return ValueType::kDateTime;
    case Datatype::kTime: return ValueType::kTime;
    case Datatype::kDate: return ValueType::kDate;
    case Datatype::kGYearMonth: return ValueType::kGYearMonth;
    case Datatype::kGYear: return ValueType::kGYear;
    case Datatype::kGMonthDay: return ValueType::kGMonthDay;
    case Datatype::kGDay: return ValueType::kGDay;
    case Datatype::kGMonth: return ValueType::kGMonth;
    case Datatype::kUnknown: return ValueType::kNone;
    default: return ValueType::kInteger;  // integer and its derived types
  }
}

// The result term for a converted value, validated against the target type
// (so range facets of derived types and dateTimeStamp's timezone apply).
OptTerm finish(const Value& v, Datatype target) {
  std::string lex = rdf::canonicalLexical(v);
  if (lex.empty()) return std::nullopt;
  Value check = rdf::parseValue(lex, target);
  if (!check.isValid()) return std::nullopt;
  return typedLiteral(rdf::canonicalLexical(check), target);
}

OptTerm toNumeric(const Value& src, Datatype target) {
  ValueType tf = familyOf(target);
  Value out;
  out.type = tf;
  out.datatype = target;
  bool is_bool = src.type == ValueType::kBoolean;
  if (!is_bool && !rdf::isNumeric(src)) return std::nullopt;
  bool floating = src.type == ValueType::kFloat || src.type == ValueType::kDouble;
  switch (tf) {
    case ValueType::kDouble:
      out.number = is_bool ? (src.boolean ? 1.0 : 0.0) : rdf::toDouble(src);
      return finish(out, target);
    case ValueType::kFloat: {
      float f = 0;
      if (is_bool) f = src.boolean ? 1.0f : 0.0f;
      else if (src.type == ValueType::kDecimal || (src.type == ValueType::kInteger && src.big_integer))
        f = std::strtof(decimalPlainString(src.decimal).c_str(), nullptr);
      else if (src.type == ValueType::kInteger) f = static_cast<float>(src.integer);
      else f = static_cast<float>(src.number);
      out.number = static_cast<double>(f);
      return finish(out, target);
    }
    case ValueType::kDecimal:
    case ValueType::kInteger: {
      rdf::Decimal d;
      if (is_bool) {
        d = decimalFromInt64(src.boolean ? 1 : 0);
      } else if (floating) {
        if (!std::isfinite(src.number)) return std::nullopt;  // err:FOCA0002
        double x = tf == ValueType::kInteger ? std::trunc(src.number) : src.number;
        d = decimalFromDoubleShortest(x, src.type == ValueType::kFloat);
      } else {
        d = exactDecimal(src);
      }
      if (tf == ValueType::kInteger) {
        d = decimalTruncate(d);
        auto small = decimalToInt64(d);
        if (small) {
          out.integer = *small;
        } else {
          out.big_integer = true;
          out.decimal = d;
        }
      } else {
        out.decimal = d;
      }
      return finish(out, target);
    }
    default: return std::nullopt;
  }
}

OptTerm toDateTimeFamily(const Value& src, Datatype target) {
  ValueType tf = familyOf(target);
  Value out;
  out.type = tf;
  out.datatype = target;
  out.datetime = src.datetime;
  if (src.type == tf) return finish(out, target);
  rdf::DateTime& dt = out.datetime;
  if (src.type == ValueType::kDate && tf == ValueType::kDateTime) {
    dt.hour = dt.minute = dt.second = 0;
    dt.attosecond = 0;
    return finish(out, target);
  }
  if (src.type != ValueType::kDateTime && src.type != ValueType::kDate) return std::nullopt;
  bool from_datetime = src.type == ValueType::kDateTime;
  auto clearTime = [&] {
    dt.hour = dt.minute = dt.second = 0;
    dt.attosecond = 0;
  };
  switch (tf) {
    case ValueType::kDate: clearTime(); break;
    case ValueType::kTime:
      if (!from_datetime) return std::nullopt;
      dt.year = 0;
      dt.month = dt.day = 0;
      break;
    case ValueType::kGYearMonth: clearTime(); dt.day = 0; break;
    case ValueType::kGYear: clearTime(); dt.month = dt.day = 0; break;
    case ValueType::kGMonthDay: clearTime(); dt.year = 0; break;
    case ValueType::kGDay: clearTime(); dt.year = 0; dt.month = 0; break;
    case ValueType::kGMonth: clearTime(); dt.year = 0; dt.day = 0; break;
    default: return std::nullopt;
  }
  return finish(out, target);
}

OptTerm toDuration(const Value& src, Datatype target) {
  if (src.type != ValueType::kDuration) return std::nullopt;
  Value out = src;
  out.datatype = target;
  if (target == Datatype::kYearMonthDuration) {
    out.duration.seconds = 0;
    out.duration.attoseconds = 0;
  } else if (target == Datatype::kDayTimeDuration) {
    out.duration.months = 0;
  }
  return finish(out, target);
}

}  // namespace

std::optional<std::string> castToStringLexical(const rdf::Term& t) {
  if (t.kind == rdf::TermKind::kIri) return t.value;
  if (t.kind != rdf::TermKind::kLiteral || hasLang(t)) return std::nullopt;
  if (isSimpleString(t)) return t.value;
  Value v = rdf::parseValue(t.view());
  if (v.type == ValueType::kNone) return t.value;  // a datatype we do not know
  if (!v.isValid()) return std::nullopt;           // ill-typed source: err:FORG0001
  switch (v.type) {
    case ValueType::kDecimal: return decimalPlainString(v.decimal);
    case ValueType::kFloat:
    case ValueType::kDouble: {
      // F&O §19.1.2.2: decimal notation for 1e-6 <= |x| < 1e6, else E notation.
      double x = v.number;
      if (x == 0) return std::string(std::signbit(x) ? "-0" : "0");
      double ax = std::fabs(x);
      if (std::isfinite(x) && ax >= 1e-6 && ax < 1e6) {
        return decimalPlainString(decimalFromDoubleShortest(x, v.type == ValueType::kFloat));
      }
      return rdf::canonicalLexical(v);
    }
    default: return rdf::canonicalLexical(v);
  }
}

OptTerm castTo(std::string_view iri, const rdf::Term& arg) {
  if (arg.kind == rdf::TermKind::kIri) {
    if (iri != rdf::kXsdString) return std::nullopt;
    return simpleLiteral(arg.value);
  }
  if (arg.kind != rdf::TermKind::kLiteral || hasLang(arg)) return std::nullopt;
  if (iri == rdf::kXsdString) {
    auto s = castToStringLexical(arg);
    if (!s) return std::nullopt;
    return simpleLiteral(*s);
  }
  Datatype target = rdf::datatypeFromIri(iri);
  if (target == Datatype::kUnknown) return std::nullopt;
  if (isSimpleString(arg)) {
    // From xsd:string: the target's lexical space (whitespace collapsed).
    Value v = rdf::parseValue(arg.value, target);
    if (!v.isValid()) return std::nullopt;
    return typedLiteral(rdf::canonicalLexical(v), target);
  }
  Value src = rdf::parseValue(arg.view());
  if (!src.isValid()) return std::nullopt;
  ValueType tf = familyOf(target);
  switch (tf) {
    case ValueType::kBoolean:
      if (src.type == ValueType::kBoolean) return booleanLiteral(src.boolean);
      if (!rdf::isNumeric(src)) return std::nullopt;
      if (src.type == ValueType::kFloat || src.type == ValueType::kDouble) {
        return booleanLiteral(!(src.number == 0 || std::isnan(src.number)));
      }
      return booleanLiteral(!exactDecimal(src).isZero());
    case ValueType::kInteger:
    case ValueType::kDecimal:
    case ValueType::kFloat:
    case ValueType::kDouble: return toNumeric(src, target);
    case ValueType::kDuration: return toDuration(src, target);
    default: return toDateTimeFamily(src, target);
  }
}

}  // namespace weft::sparql::internal::fn
