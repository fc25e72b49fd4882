// SPDX-License-Identifier: Apache-2.0
// Date/time accessors of SPARQL 1.1 section 17.4.5: YEAR MONTH DAY HOURS
// MINUTES (xsd:integer), SECONDS (xsd:decimal), TIMEZONE (xsd:dayTimeDuration,
// an error without a timezone) and TZ (simple literal, "" without one), on
// xsd:dateTime arguments (and xsd:dateTimeStamp, its derived type). They map
// to XPath fn:year-from-dateTime ... fn:timezone-from-dateTime (F&O 3.1 §9.5).
#include "engine/sparql/internal/functions_util.h"

namespace weft::sparql::internal::fn {

OptTerm dateTimeBuiltin(Builtin b, const rdf::Term& arg) {
  if (arg.kind != rdf::TermKind::kLiteral || !arg.lang.empty()) return std::nullopt;
  rdf::Value v = rdf::parseValue(arg.view());
  if (v.type != rdf::ValueType::kDateTime) return std::nullopt;
  const rdf::DateTime& dt = v.datetime;
  auto integer = [](int64_t x) { return typedLiteral(std::to_string(x), rdf::Datatype::kInteger); };
  switch (b) {
    case Builtin::kYear: return integer(dt.year);
    case Builtin::kMonth: return integer(dt.month);
    case Builtin::kDay: return integer(dt.day);
    case Builtin::kHours: return integer(dt.hour);
    case Builtin::kMinutes: return integer(dt.minute);
    case Builtin::kSeconds: {
      rdf::Decimal d;
      if (dt.second != 0) d.int_digits = std::to_string(dt.second);
      if (dt.attosecond != 0) {
        std::string frac = std::to_string(dt.attosecond);
        frac.insert(0, 18 - frac.size(), '0');
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        d.frac_digits = frac;
      }
      return decimalLiteral(d);
    }
    case Builtin::kTimezone: {
      if (!dt.has_timezone) return std::nullopt;
      rdf::Value dur;
      dur.type = rdf::ValueType::kDuration;
      dur.datatype = rdf::Datatype::kDayTimeDuration;
      dur.duration.seconds = static_cast<int64_t>(dt.tz_minutes) * 60;
      return valueLiteral(dur, rdf::Datatype::kDayTimeDuration);
    }
    case Builtin::kTz: {
      if (!dt.has_timezone) return simpleLiteral("");
      // The timezone as written: "Z" or "±hh:mm" at the end of the lexical form.
      std::string_view lex = arg.value;
      while (!lex.empty() && (lex.back() == ' ' || lex.back() == '\t' || lex.back() == '\n' ||
                              lex.back() == '\r')) {
        lex.remove_suffix(1);
      }
      if (!lex.empty() && lex.back() == 'Z') return simpleLiteral("Z");
      if (lex.size() >= 6) return simpleLiteral(lex.substr(lex.size() - 6));
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

}  // namespace weft::sparql::internal::fn
