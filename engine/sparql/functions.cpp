// SPDX-License-Identifier: Apache-2.0
// SPARQL 1.1 operators and functions on RDF terms (section 17): the effective
// boolean value (17.2.2), the comparison operators with the operator mapping
// of 17.3 and RDFterm-equal, the term built-ins of 17.4.1/17.4.2 and the
// dispatch to the numeric, string, regex, hash, date/time and cast code in
// internal/functions_*.cpp, plus the ORDER BY order of 15.1.
#include "engine/sparql/functions.h"

#include <chrono>
#include <cmath>
#include <ctime>

#include "engine/core/ascii.h"
#include "engine/rdf/iri.h"
#include "engine/sparql/internal/functions_util.h"

namespace weft::sparql {
namespace {

namespace fn = internal::fn;
using fn::OptTerm;
using rdf::TermKind;
using rdf::Value;
using rdf::ValueType;

bool isNumericOrBooleanDatatype(rdf::Datatype dt) {
  switch (dt) {
    case rdf::Datatype::kUnknown:
    case rdf::Datatype::kDuration:
    case rdf::Datatype::kYearMonthDuration:
    case rdf::Datatype::kDayTimeDuration:
    case rdf::Datatype::kDateTime:
    case rdf::Datatype::kDateTimeStamp:
    case rdf::Datatype::kTime:
    case rdf::Datatype::kDate:
    case rdf::Datatype::kGYearMonth:
    case rdf::Datatype::kGYear:
    case rdf::Datatype::kGMonthDay:
    case rdf::Datatype::kGDay:
    case rdf::Datatype::kGMonth: return false;
    default: return true;
  }
}

std::string_view normalizedDatatype(const rdf::Term& t) {
  if (!t.lang.empty()) return rdf::kRdfLangString;
  if (t.datatype.empty()) return rdf::kXsdString;
  return t.datatype;
}

// RDF term identity; language tags compare case-insensitively (RDF 1.1 §3.3).
bool sameTerm(const rdf::Term& a, const rdf::Term& b) {
  if (a.kind != b.kind || a.value != b.value) return false;
  if (a.kind != TermKind::kLiteral) return true;
  return normalizedDatatype(a) == normalizedDatatype(b) &&
         core::equalsIgnoreAsciiCase(a.lang, b.lang);
}

bool isNaN(const Value& v) {
  return (v.type == ValueType::kFloat || v.type == ValueType::kDouble) && std::isnan(v.number);
}

std::optional<bool> fromOrdering(ExprKind op, std::partial_ordering c) {
  if (c == std::partial_ordering::unordered) return std::nullopt;
  switch (op) {
    case ExprKind::kEqual: return c == 0;
    case ExprKind::kNotEqual: return c != 0;
    case ExprKind::kLess: return c < 0;
    case ExprKind::kGreater: return c > 0;
    case ExprKind::kLessEqual: return c <= 0;
    case ExprKind::kGreaterEqual: return c >= 0;
    default: return std::nullopt;
  }
}

// The dateTime `v` with a missing timezone taken as Z (for the total order).
Value withDefaultTimezone(Value v) {
  if (!v.datetime.has_timezone) {
    v.datetime.has_timezone = true;
    v.datetime.tz_minutes = 0;
  }
  return v;
}

bool isDateTimeFamily(ValueType t) { return t >= ValueType::kDateTime && t <= ValueType::kGMonth; }

int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

// Literal classes of the ORDER BY total order (see orderCompare).
enum LiteralClass : int {
  kClassString = 0,
  kClassLangString,
  kClassNumeric,
  kClassBoolean,
  kClassDateTime,
  kClassOtherValue,
  kClassOther,
};

LiteralClass literalClass(const rdf::Term& t, const Value& v) {
  if (fn::isSimpleString(t)) return kClassString;
  if (fn::hasLang(t)) return kClassLangString;
  if (!v.isValid()) return kClassOther;
  if (rdf::isNumeric(v)) return kClassNumeric;
  if (v.type == ValueType::kBoolean) return kClassBoolean;
  if (v.type == ValueType::kDateTime) return kClassDateTime;
  return kClassOtherValue;
}

std::string lowerAscii(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return r;
}

// Tie-break for literals of one class: datatype IRI, lexical form, tag.
int literalTermOrder(const rdf::Term& a, const rdf::Term& b) {
  if (int c = normalizedDatatype(a).compare(normalizedDatatype(b))) return sign(c);
  if (int c = a.value.compare(b.value)) return sign(c);
  return sign(lowerAscii(a.lang).compare(lowerAscii(b.lang)));
}

rdf::Term currentDateTime() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return rdf::Term::literal(buf, rdf::datatypeIri(rdf::Datatype::kDateTime));
}

}  // namespace

std::optional<bool> effectiveBooleanValue(const rdf::Term& t) {
  if (t.kind != TermKind::kLiteral || fn::hasLang(t)) return std::nullopt;
  if (fn::isSimpleString(t)) return !t.value.empty();
  Value v = rdf::parseValue(t.view());
  if (v.type == ValueType::kBoolean) return v.boolean;
  if (v.type == ValueType::kInvalid) {
    // 17.2.2: an invalid lexical form of xsd:boolean or a numeric type is false.
    if (isNumericOrBooleanDatatype(v.datatype)) return false;
    return std::nullopt;
  }
  if (!rdf::isNumeric(v)) return std::nullopt;
  if (v.type == ValueType::kFloat || v.type == ValueType::kDouble) {
    return !(v.number == 0 || std::isnan(v.number));
  }
  return !fn::exactDecimal(v).isZero();
}

std::optional<bool> compareTerms(ExprKind op, const rdf::Term& a, const rdf::Term& b) {
  if (a.isNone() || b.isNone()) return std::nullopt;
  const bool eq_op = op == ExprKind::kEqual || op == ExprKind::kNotEqual;
  const bool negate = op == ExprKind::kNotEqual;
  auto eqResult = [&](bool equal) -> std::optional<bool> { return negate ? !equal : equal; };
  if (a.kind != TermKind::kLiteral || b.kind != TermKind::kLiteral) {
    if (!eq_op) return std::nullopt;
    return eqResult(sameTerm(a, b));
  }
  // xsd:string / simple literals: codepoint order (= byte order of UTF-8).
  if (fn::isSimpleString(a) && fn::isSimpleString(b)) {
    return fromOrdering(op, a.value.compare(b.value) <=> 0);
  }
  // Language-tagged literals are equal only to the same tagged literal; they
  // are never ordered.
  if (fn::hasLang(a) || fn::hasLang(b)) {
    if (!eq_op) return std::nullopt;
    return eqResult(sameTerm(a, b));
  }
  Value va = rdf::parseValue(a.view());
  Value vb = rdf::parseValue(b.view());
  if (va.isValid() && vb.isValid()) {
    if (rdf::isNumeric(va) && rdf::isNumeric(vb)) {
      if (isNaN(va) || isNaN(vb)) return op == ExprKind::kNotEqual;
      return fromOrdering(op, rdf::compareValues(va, vb));
    }
    if (va.type == vb.type) {
      if (va.type == ValueType::kDuration && eq_op) {
        // op:duration-equal: months and seconds compared separately.
        return eqResult(va.duration == vb.duration);
      }
      // Booleans, date/time families, durations: unordered (e.g. a dateTime
      // with and one without timezone within 14 hours) is an error.
      return fromOrdering(op, rdf::compareValues(va, vb));
    }
    // The xsd:date operations extension (17.3.1; W3C open-world date-2):
    // values of two different date/time types (dateTime vs date...) are
    // known to differ. Other differing families stay a type error below.
    if (eq_op && isDateTimeFamily(va.type) && isDateTimeFamily(vb.type)) return eqResult(false);
  }
  // RDFterm-equal: identical terms are equal; two different literals whose
  // values we cannot compare give a type error.
  if (!eq_op) return std::nullopt;
  if (sameTerm(a, b)) return eqResult(true);
  return std::nullopt;
}

std::optional<rdf::Term> callBuiltin(Builtin b, std::span<const rdf::Term> args,
                                     FunctionContext& ctx) {
  for (const rdf::Term& a : args) {
    if (a.isNone()) return std::nullopt;
  }
  auto one = [&]() -> const rdf::Term* { return args.size() == 1 ? &args[0] : nullptr; };
  switch (b) {
    case Builtin::kStr: {
      const rdf::Term* a = one();
      if (!a || a->kind == TermKind::kBlank) return std::nullopt;
      return fn::simpleLiteral(a->value);
    }
    case Builtin::kLang: {
      const rdf::Term* a = one();
      if (!a || a->kind != TermKind::kLiteral) return std::nullopt;
      return fn::simpleLiteral(a->lang);
    }
    case Builtin::kDatatype: {
      const rdf::Term* a = one();
      if (!a || a->kind != TermKind::kLiteral) return std::nullopt;
      return rdf::Term::iri(normalizedDatatype(*a));
    }
    case Builtin::kIri: {
      // IRI(): a relative IRI string is resolved against the query's base.
      const rdf::Term* a = one();
      if (!a) return std::nullopt;
      if (a->kind == TermKind::kIri) return *a;
      if (!fn::isSimpleString(*a)) return std::nullopt;
      std::string iri = a->value;
      if (!rdf::hasIriScheme(iri)) {
        if (ctx.base.empty()) return std::nullopt;
        iri = rdf::resolveIri(iri, ctx.base);
      }
      if (!rdf::checkIri(iri)) return std::nullopt;
      return rdf::Term::iri(iri);
    }
    case Builtin::kBnode: {
      std::string_view label;
      if (args.size() == 1) {
        if (!fn::isSimpleString(args[0])) return std::nullopt;
        label = args[0].value;
        if (label.empty()) return std::nullopt;
      } else if (!args.empty()) {
        return std::nullopt;
      }
      if (ctx.make_bnode) return ctx.make_bnode(label);
      char buf[32];
      std::snprintf(buf, sizeof buf, "f%016llx", static_cast<unsigned long long>(ctx.rng()));
      return rdf::Term::blank(buf);
    }
    case Builtin::kRand: {
      if (!args.empty()) return std::nullopt;
      double r = static_cast<double>(ctx.rng() >> 11) * 0x1.0p-53;
      return fn::doubleLiteral(r);
    }
    case Builtin::kAbs:
    case Builtin::kCeil:
    case Builtin::kFloor:
    case Builtin::kRound:
      if (!one()) return std::nullopt;
      return fn::numericBuiltin(b, args[0]);
    case Builtin::kConcat:
    case Builtin::kSubstr:
    case Builtin::kStrlen:
    case Builtin::kUcase:
    case Builtin::kLcase:
    case Builtin::kEncodeForUri:
    case Builtin::kContains:
    case Builtin::kStrStarts:
    case Builtin::kStrEnds:
    case Builtin::kStrBefore:
    case Builtin::kStrAfter:
    case Builtin::kLangMatches:
    case Builtin::kStrLang:
    case Builtin::kStrDt:
    case Builtin::kUuid:
    case Builtin::kStrUuid: return fn::stringBuiltin(b, args, ctx);
    case Builtin::kReplace: return fn::replaceBuiltin(args);
    case Builtin::kRegex: return fn::regexBuiltin(args);
    case Builtin::kYear:
    case Builtin::kMonth:
    case Builtin::kDay:
    case Builtin::kHours:
    case Builtin::kMinutes:
    case Builtin::kSeconds:
    case Builtin::kTimezone:
    case Builtin::kTz:
      if (!one()) return std::nullopt;
      return fn::dateTimeBuiltin(b, args[0]);
    case Builtin::kNow:
      if (!args.empty()) return std::nullopt;
      if (ctx.now.isNone()) ctx.now = currentDateTime();
      return ctx.now;
    case Builtin::kMd5:
    case Builtin::kSha1:
    case Builtin::kSha256:
    case Builtin::kSha384:
    case Builtin::kSha512:
      if (!one()) return std::nullopt;
      return fn::hashBuiltin(b, args[0]);
    case Builtin::kSameTerm:
      if (args.size() != 2) return std::nullopt;
      return fn::booleanLiteral(sameTerm(args[0], args[1]));
    case Builtin::kIsIri:
      if (!one()) return std::nullopt;
      return fn::booleanLiteral(args[0].kind == TermKind::kIri);
    case Builtin::kIsBlank:
      if (!one()) return std::nullopt;
      return fn::booleanLiteral(args[0].kind == TermKind::kBlank);
    case Builtin::kIsLiteral:
      if (!one()) return std::nullopt;
      return fn::booleanLiteral(args[0].kind == TermKind::kLiteral);
    case Builtin::kIsNumeric: {
      if (!one()) return std::nullopt;
      const rdf::Term& a = args[0];
      bool numeric = false;
      if (a.kind == TermKind::kLiteral && a.lang.empty()) {
        Value v = rdf::parseValue(a.view());
        numeric = v.isValid() && rdf::isNumeric(v);
      }
      return fn::booleanLiteral(numeric);
    }
    case Builtin::kBound:
    case Builtin::kIf:
    case Builtin::kCoalesce: return std::nullopt;  // evaluator forms
  }
  return std::nullopt;
}

namespace {

// weft's extension functions (namespace https://w3id.org/weft/fn#, the
// namespace of the mapping functions too): what KPI questions need and
// SPARQL 1.1 lacks.
constexpr std::string_view kWeftFn = "https://w3id.org/weft/fn#";

// weft-fn:secondsBetween(start, end): end - start in seconds (xsd:decimal)
// for two xsd:dateTime values with a timezone (XPath op:subtract-dateTimes,
// as seconds); an error (unbound) for anything else.
std::optional<rdf::Term> secondsBetween(std::span<const rdf::Term> args) {
  if (args.size() != 2) return std::nullopt;
  double t[2];
  for (int i = 0; i < 2; ++i) {
    if (args[i].kind != TermKind::kLiteral) return std::nullopt;
    Value v = rdf::parseValue(args[i].view());
    if (v.type != rdf::ValueType::kDateTime || !v.datetime.has_timezone) return std::nullopt;
    t[i] = rdf::toEpochSeconds(v.datetime);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", t[1] - t[0]);
  std::string lex = buf;  // canonical-ish xsd:decimal: no trailing zeros after the point
  while (lex.back() == '0') lex.pop_back();
  if (lex.back() == '.') lex += '0';
  return rdf::Term::literal(lex, "http://www.w3.org/2001/XMLSchema#decimal");
}

}  // namespace

std::optional<rdf::Term> callFunction(std::string_view iri, std::span<const rdf::Term> args,
                                      FunctionContext& /*ctx*/) {
  if (iri.size() > kWeftFn.size() && iri.substr(0, kWeftFn.size()) == kWeftFn) {
    std::string_view local = iri.substr(kWeftFn.size());
    if (local == "secondsBetween") return secondsBetween(args);
    return std::nullopt;
  }
  if (args.size() != 1 || args[0].isNone()) return std::nullopt;
  return fn::castTo(iri, args[0]);
}

int orderCompare(const rdf::Term& a, const rdf::Term& b) {
  return orderCompare(a, rdf::parseValue(a.view()), b, rdf::parseValue(b.view()));
}

int orderCompare(const rdf::Term& a, const rdf::Value& va, const rdf::Term& b,
                 const rdf::Value& vb) {
  // 15.1: unbound < blank nodes < IRIs < literals.
  auto rank = [](const rdf::Term& t) {
    switch (t.kind) {
      case TermKind::kNone: return 0;
      case TermKind::kBlank: return 1;
      case TermKind::kIri: return 2;
      case TermKind::kLiteral: return 3;
    }
    return 0;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (a.kind != TermKind::kLiteral) return sign(a.value.compare(b.value));
  // Literals: a fixed total order by class (simple/xsd:string, tagged
  // strings, numerics, booleans, dateTimes, other XSD values, the rest);
  // within a class by value where `<` orders them, then by the term.
  LiteralClass ca = literalClass(a, va), cb = literalClass(b, vb);
  if (ca != cb) return ca < cb ? -1 : 1;
  switch (ca) {
    case kClassString: return sign(a.value.compare(b.value));
    case kClassLangString:
      if (int c = a.value.compare(b.value)) return sign(c);
      return sign(lowerAscii(a.lang).compare(lowerAscii(b.lang)));
    case kClassNumeric: {
      bool na = isNaN(va), nb = isNaN(vb);
      if (na != nb) return na ? -1 : 1;
      if (!na) {
        auto c = rdf::compareValues(va, vb);
        if (c < 0) return -1;
        if (c > 0) return 1;
      }
      return literalTermOrder(a, b);
    }
    case kClassBoolean:
      if (va.boolean != vb.boolean) return va.boolean ? 1 : -1;
      return literalTermOrder(a, b);
    case kClassDateTime: {
      auto c = rdf::compareValues(va, vb);
      if (c == std::partial_ordering::unordered) {
        c = rdf::compareValues(withDefaultTimezone(va), withDefaultTimezone(vb));
      }
      if (c < 0) return -1;
      if (c > 0) return 1;
      return literalTermOrder(a, b);
    }
    case kClassOtherValue: {
      if (va.type != vb.type) return va.type < vb.type ? -1 : 1;
      auto c = rdf::compareValues(va, vb);
      if (c < 0) return -1;
      if (c > 0) return 1;
      return literalTermOrder(a, b);
    }
    case kClassOther: return literalTermOrder(a, b);
  }
  return 0;
}

rdf::Term integerLiteral(int64_t v) {
  return fn::typedLiteral(std::to_string(v), rdf::Datatype::kInteger);
}

}  // namespace weft::sparql
