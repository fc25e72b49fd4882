// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the SPARQL function library: literal classification
// (SPARQL 1.1 17.4.3.1), result-term construction with canonical lexical
// forms (XSD 1.1 canonical mappings via engine/rdf/xsd.h), and UTF-8 code
// point handling (RFC 3629).
#include "engine/sparql/internal/functions_util.h"

#include "engine/core/ascii.h"
#include "engine/core/utf8.h"

namespace weft::sparql::internal::fn {


bool argumentsCompatible(const rdf::Term& a, const rdf::Term& b) {
  if (!isStringLiteral(a) || !isStringLiteral(b)) return false;
  if (isSimpleString(b)) return true;  // both simple, or a tagged and b simple
  return hasLang(a) && core::equalsIgnoreAsciiCase(a.lang, b.lang);
}

rdf::Term simpleLiteral(std::string_view s) { return rdf::Term::literal(s); }

rdf::Term booleanLiteral(bool b) {
  return rdf::Term::literal(b ? "true" : "false", rdf::datatypeIri(rdf::Datatype::kBoolean));
}

rdf::Term typedLiteral(std::string_view lexical, rdf::Datatype dt) {
  return rdf::Term::literal(lexical, rdf::datatypeIri(dt));
}

rdf::Term stringLike(const rdf::Term& like, std::string_view s) {
  if (hasLang(like)) return rdf::Term::literal(s, rdf::kRdfLangString, like.lang);
  return rdf::Term::literal(s);
}

rdf::Term valueLiteral(const rdf::Value& v, rdf::Datatype dt) {
  return typedLiteral(rdf::canonicalLexical(v), dt);
}

rdf::Term doubleLiteral(double d) {
  rdf::Value v;
  v.type = rdf::ValueType::kDouble;
  v.datatype = rdf::Datatype::kDouble;
  v.number = d;
  return valueLiteral(v, rdf::Datatype::kDouble);
}

rdf::Term floatLiteral(float f) {
  rdf::Value v;
  v.type = rdf::ValueType::kFloat;
  v.datatype = rdf::Datatype::kFloat;
  v.number = static_cast<double>(f);
  return valueLiteral(v, rdf::Datatype::kFloat);
}

rdf::Term decimalLiteral(const rdf::Decimal& d) {
  rdf::Value v;
  v.type = rdf::ValueType::kDecimal;
  v.datatype = rdf::Datatype::kDecimal;
  v.decimal = d;
  return valueLiteral(v, rdf::Datatype::kDecimal);
}

rdf::Term integerFromDecimal(const rdf::Decimal& d) {
  std::string s;
  if (d.negative && !d.isZero()) s.push_back('-');
  s += d.int_digits.empty() ? "0" : d.int_digits;
  return typedLiteral(s, rdf::Datatype::kInteger);
}

std::u32string decodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

void appendUtf8(std::string& out, char32_t c) { weft::appendUtf8(out, static_cast<uint32_t>(c)); }

std::string encodeUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) appendUtf8(out, c);
  return out;
}

size_t codepointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace weft::sparql::internal::fn
