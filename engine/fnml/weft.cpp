// SPDX-License-Identifier: Apache-2.0
// weft's own functions (namespace https://w3id.org/weft/fn#): date and time
// parsing and formatting with patterns (results as XSD 1.1 date / dateTime
// lexical forms), locale-aware number parsing, and unit conversion over a
// small table of units (UN/CEFACT Recommendation 20 codes, symbols and names).
// Our parameter resources double as their fno:predicate.
#include <cmath>

#include "engine/fnml/internal/common.h"
#include "engine/fnml/internal/datetime.h"

namespace weft::fnml::internal {

namespace {

constexpr std::string_view W = kWeftFn;

Parameter p(std::string_view local, bool required = true) { return weftParam(local, required); }
Output o(std::string_view local) { return weftOutput(local); }

// ---- dates ----

// parseDate(value, pattern, lang?) -> xsd:date
WEFT_FN(parseDate) {
  DateTimeParts d;
  WEFT_TRY(parseDateTime(a.text(0), a.text(1), a.text(2), &d));
  std::string r;
  WEFT_TRY(toXsdDate(d, &r));
  emitTyped(out, std::move(r), "date");
  return Status::ok();
}

// parseDateTime(value, pattern, lang?) -> xsd:dateTime (time fields absent
// from the pattern are 0; the offset only when the pattern reads one).
WEFT_FN(parseDateTimeFn) {
  DateTimeParts d;
  WEFT_TRY(parseDateTime(a.text(0), a.text(1), a.text(2), &d));
  std::string r;
  WEFT_TRY(toXsdDateTime(d, true, &r));
  emitTyped(out, std::move(r), "dateTime");
  return Status::ok();
}

// formatDate(value (xsd:date or xsd:dateTime), pattern, lang?) -> string
WEFT_FN(formatDate) {
  DateTimeParts d;
  WEFT_TRY(parseIsoDateTime(a.text(0), &d));
  std::string r;
  WEFT_TRY(formatDateTime(d, a.text(1), a.text(2), &r));
  emit(out, std::move(r));
  return Status::ok();
}

// convertDate(value, inputPattern, pattern, lang?) -> string
WEFT_FN(convertDate) {
  DateTimeParts d;
  WEFT_TRY(parseDateTime(a.text(0), a.text(1), a.text(3), &d));
  std::string r;
  WEFT_TRY(formatDateTime(d, a.text(2), a.text(3), &r));
  emit(out, std::move(r));
  return Status::ok();
}

// ---- numbers ----

// parseNumber(value, decimalSeparator? = ".", groupingSeparator? = "," for
// "." and "." for ","): "1.234,50" with "," -> 1234.5 (xsd:decimal),
// "12 000" with grouping " " -> 12000 (xsd:integer), "1.5e3" -> xsd:double.
WEFT_FN(parseNumber) {
  std::string_view in = a.text(0);
  std::string_view dec = a.has(1) ? a.text(1) : std::string_view(".");
  std::string_view grp = a.has(2) ? a.text(2) : (dec == "," ? std::string_view(".") : std::string_view(","));
  if (dec.empty()) return bad("empty decimal separator");
  if (dec == grp) return bad("the decimal and grouping separators are the same");
  // Trim spaces, drop grouping separators (and no-break spaces when the
  // grouping separator is a space), map the decimal separator to '.'.
  while (!in.empty() && (in.front() == ' ' || in.front() == '\t')) in.remove_prefix(1);
  while (!in.empty() && (in.back() == ' ' || in.back() == '\t')) in.remove_suffix(1);
  std::string s;
  for (size_t i = 0; i < in.size();) {
    if (!grp.empty() && in.substr(i, grp.size()) == grp) {
      i += grp.size();
      continue;
    }
    if (in.substr(i, dec.size()) == dec) {
      s.push_back('.');
      i += dec.size();
      continue;
    }
    size_t j = i;
    char32_t c = nextCodePoint(in, &j);
    if (grp == " " && (c == 0xA0 || c == 0x202F)) {
      i = j;
      continue;
    }
    s.append(in.substr(i, j - i));
    i = j;
  }
  // Validate: [+-] digits [. digits] [e [+-] digits]
  size_t i = 0;
  std::string sign;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    if (s[i] == '-') sign = "-";
    ++i;
  }
  size_t is = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  std::string ip = s.substr(is, i - is), fp;
  if (i < s.size() && s[i] == '.') {
    size_t fs = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    fp = s.substr(fs, i - fs);
  }
  if (ip.empty() && fp.empty()) return bad("not a number: \"" + std::string(in) + "\"");
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    double d = 0;
    if (!parseDouble(s, &d)) return bad("not a number: \"" + std::string(in) + "\"");
    emit(out, s, ValueKind::kDouble);
    return Status::ok();
  }
  if (i != s.size()) return bad("not a number: \"" + std::string(in) + "\"");
  size_t nz = ip.find_first_not_of('0');
  ip = nz == std::string::npos ? "0" : ip.substr(nz);
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  if (ip == "0" && fp.empty()) sign.clear();
  if (fp.empty()) {
    emit(out, sign + ip, ValueKind::kInteger);
  } else {
    emit(out, sign + ip + "." + fp, ValueKind::kDecimal);
  }
  return Status::ok();
}

// ---- units ----

enum class Dim { kTemperature, kMass, kVolume, kLength };

struct Unit {
  std::string_view names;  // '|'-separated: symbols, names, UN/CEFACT code
  Dim dim;
  double factor;  // base = value * factor + offset (base: K, kg, m3, m)
  double offset;
};

const Unit kUnits[] = {
    {"C|°C|\xE2\x84\x83|degC|celsius|CEL", Dim::kTemperature, 1.0, 273.15},
    {"F|°F|\xE2\x84\x89|degF|fahrenheit|FAH", Dim::kTemperature, 5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0},
    {"K|kelvin|KEL", Dim::kTemperature, 1.0, 0.0},
    {"ug|\xC2\xB5g|\xCE\xBCg|mcg|microgram|micrograms|MC", Dim::kMass, 1e-9, 0.0},
    {"mg|milligram|milligrams|MGM", Dim::kMass, 1e-6, 0.0},
    {"g|gram|grams|gr|GRM", Dim::kMass, 1e-3, 0.0},
    {"kg|kilogram|kilograms|kilo|kilos|KGM", Dim::kMass, 1.0, 0.0},
    {"t|tonne|tonnes|metric ton|TNE", Dim::kMass, 1000.0, 0.0},
    {"lb|lbs|pound|pounds|LBR", Dim::kMass, 0.45359237, 0.0},
    {"oz|ounce|ounces|ONZ", Dim::kMass, 0.028349523125, 0.0},
    {"ml|millilitre|milliliter|millilitres|milliliters|MLT", Dim::kVolume, 1e-6, 0.0},
    {"cl|centilitre|centiliter|centilitres|centiliters|CLT", Dim::kVolume, 1e-5, 0.0},
    {"dl|decilitre|deciliter|decilitres|deciliters|DLT", Dim::kVolume, 1e-4, 0.0},
    {"l|litre|liter|litres|liters|LTR", Dim::kVolume, 1e-3, 0.0},
    {"hl|hectolitre|hectoliter|hectolitres|hectoliters|HLT", Dim::kVolume, 0.1, 0.0},
    {"m3|m\xC2\xB3|cubic metre|cubic meter|MTQ", Dim::kVolume, 1.0, 0.0},
    {"gal|gallon|gallons|GLL", Dim::kVolume, 0.003785411784, 0.0},
    {"floz|fl oz|fluid ounce|fluid ounces|OZA", Dim::kVolume, 2.95735295625e-5, 0.0},
    {"mm|millimetre|millimeter|millimetres|millimeters|MMT", Dim::kLength, 1e-3, 0.0},
    {"cm|centimetre|centimeter|centimetres|centimeters|CMT", Dim::kLength, 1e-2, 0.0},
    {"m|metre|meter|metres|meters|MTR", Dim::kLength, 1.0, 0.0},
    {"km|kilometre|kilometer|kilometres|kilometers|KMT", Dim::kLength, 1e3, 0.0},
    {"in|inch|inches|INH", Dim::kLength, 0.0254, 0.0},
    {"ft|foot|feet|FOT", Dim::kLength, 0.3048, 0.0},
    {"yd|yard|yards|YRD", Dim::kLength, 0.9144, 0.0},
    {"mi|mile|miles|SMI", Dim::kLength, 1609.344, 0.0},
};

const Unit* findUnit(std::string_view name) {
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  for (int pass = 0; pass < 2; ++pass) {
    for (const Unit& u : kUnits) {
      std::string_view names = u.names;
      while (!names.empty()) {
        size_t bar = names.find('|');
        std::string_view n = names.substr(0, bar);
        if (pass == 0 ? n == name : core::equalsIgnoreAsciiCase(n, name)) return &u;
        if (bar == std::string_view::npos) break;
        names.remove_prefix(bar + 1);
      }
    }
  }
  return nullptr;
}

// convertUnit(value, fromUnit, toUnit) -> xsd:decimal, 12 significant digits.
WEFT_FN(convertUnit) {
  double v = 0;
  WEFT_TRY(needDouble("value", a.text(0), &v));
  const Unit* from = findUnit(a.text(1));
  const Unit* to = findUnit(a.text(2));
  if (!from) return bad("unknown unit \"" + std::string(a.text(1)) + "\"");
  if (!to) return bad("unknown unit \"" + std::string(a.text(2)) + "\"");
  if (from->dim != to->dim) {
    return bad("cannot convert \"" + std::string(a.text(1)) + "\" to \"" + std::string(a.text(2)) +
               "\" (different quantities)");
  }
  double base = v * from->factor + from->offset;
  double r = (base - to->offset) / to->factor;
  if (from->dim == Dim::kTemperature && base < -1e-9) {
    return bad("temperature below absolute zero: " + std::string(a.text(0)) + " " + std::string(a.text(1)));
  }
  emit(out, formatDecimal(r, 12), ValueKind::kDecimal);
  return Status::ok();
}


}  // namespace

void addWeft(Library* lib) {
  lib->add(fn(W, "parseDate", {p("value"), p("pattern"), p("lang", false)}, {o("dateOut")}, parseDate));
  lib->add(fn(W, "parseDateTime", {p("value"), p("pattern"), p("lang", false)}, {o("dateTimeOut")}, parseDateTimeFn));
  lib->add(fn(W, "formatDate", {p("value"), p("pattern"), p("lang", false)}, {o("stringOut")}, formatDate));
  lib->add(fn(W, "convertDate", {p("value"), p("inputPattern"), p("pattern"), p("lang", false)}, {o("stringOut")},
              convertDate));
  lib->add(fn(W, "parseNumber", {p("value"), p("decimalSeparator", false), p("groupingSeparator", false)},
              {o("numberOut")}, parseNumber));
  lib->add(fn(W, "convertUnit", {p("value"), p("fromUnit"), p("toUnit")}, {o("numberOut")}, convertUnit));
}

}  // namespace weft::fnml::internal
