// SPDX-License-Identifier: Apache-2.0
// String functions of SPARQL 1.1 section 17.4.3 (STRLEN SUBSTR UCASE LCASE
// STRSTARTS STRENDS CONTAINS STRBEFORE STRAFTER ENCODE_FOR_URI CONCAT
// LANGMATCHES), the term constructors STRLANG / STRDT / UUID / STRUUID
// (17.4.2) and the hash functions of 17.4.6 (MD5 SHA1 SHA256 SHA384 SHA512,
// lowercase hex of the UTF-8 bytes, via OpenSSL EVP). Lengths and positions
// count Unicode code points, as the XPath functions they map to do.
#include <locale.h>
#include <wctype.h>

#include <cmath>
#include <cstdio>

#include <openssl/evp.h>

#include "engine/core/ascii.h"
#include "engine/rdf/iri.h"
#include "engine/sparql/internal/functions_util.h"

namespace weft::sparql::internal::fn {
namespace {

// A number argument (SUBSTR start/length) as a double; nullopt if not numeric.
std::optional<double> numberArg(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral || !t.lang.empty()) return std::nullopt;
  rdf::Value v = rdf::parseValue(t.view());
  if (!v.isValid() || !rdf::isNumeric(v)) return std::nullopt;
  return rdf::toDouble(v);
}

// XPath fn:round on a double (halves toward +INF).
double xpathRound(double x) {
  if (!std::isfinite(x)) return x;
  double f = std::floor(x);
  return (x - f >= 0.5) ? f + 1 : f;
}

// fn:substring (XPath F&O 3.1 §5.4.3): code points at positions p with
// round(start) <= p < round(start) + round(length), NaN comparisons false.
OptTerm substr(std::span<const rdf::Term> args) {
  if (args.size() < 2 || args.size() > 3 || !isStringLiteral(args[0])) return std::nullopt;
  auto start = numberArg(args[1]);
  if (!start) return std::nullopt;
  double rs = xpathRound(*start);
  double end = INFINITY;
  if (args.size() == 3) {
    auto len = numberArg(args[2]);
    if (!len) return std::nullopt;
    end = rs + xpathRound(*len);
  }
  std::u32string cps = decodeUtf8(args[0].value);
  std::u32string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    double p = static_cast<double>(i + 1);
    if (p >= rs && p < end) out.push_back(cps[i]);
  }
  return stringLike(args[0], encodeUtf8(out));
}

locale_t utf8Locale() {
  static locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (!l) l = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", static_cast<locale_t>(nullptr));
    return l;
  }();
  return loc;
}

char32_t mapCase(char32_t c, bool upper) {
  if (c < 0x80) {
    if (upper && c >= 'a' && c <= 'z') return c - 'a' + 'A';
    if (!upper && c >= 'A' && c <= 'Z') return c - 'A' + 'a';
    return c;
  }
  locale_t loc = utf8Locale();
  if (loc) {
    wint_t w = static_cast<wint_t>(c);
    return static_cast<char32_t>(upper ? towupper_l(w, loc) : towlower_l(w, loc));
  }
  // Fallback without a UTF-8 locale: Latin-1 letters.
  if (upper && c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (!upper && c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  return c;
}

OptTerm changeCase(const rdf::Term& a, bool upper) {
  if (!isStringLiteral(a)) return std::nullopt;
  std::u32string cps = decodeUtf8(a.value);
  for (char32_t& c : cps) c = mapCase(c, upper);
  return stringLike(a, encodeUtf8(cps));
}

OptTerm encodeForUri(const rdf::Term& a) {
  if (!isStringLiteral(a)) return std::nullopt;
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : a.value) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return simpleLiteral(out);
}

// CONCAT (17.4.3.12): the language tag is kept when every argument has the
// same one; otherwise the result is a simple literal.
OptTerm concat(std::span<const rdf::Term> args) {
  std::string out;
  bool same_lang = !args.empty();
  for (const rdf::Term& a : args) {
    if (!isStringLiteral(a)) return std::nullopt;
    out += a.value;
    if (!hasLang(a) || !core::equalsIgnoreAsciiCase(a.lang, args[0].lang)) same_lang = false;
  }
  if (same_lang) return rdf::Term::literal(out, rdf::kRdfLangString, args[0].lang);
  return simpleLiteral(out);
}

// LANGMATCHES (17.4.3.? / RFC 4647 §3.3.1 basic filtering).
OptTerm langMatches(const rdf::Term& tag, const rdf::Term& range) {
  if (!isSimpleString(tag) || !isSimpleString(range)) return std::nullopt;
  std::string_view t = tag.value, r = range.value;
  if (r == "*") return booleanLiteral(!t.empty());
  if (t.size() < r.size() || r.empty()) return booleanLiteral(false);
  bool prefix = core::equalsIgnoreAsciiCase(t.substr(0, r.size()), r);
  return booleanLiteral(prefix && (t.size() == r.size() || t[r.size()] == '-'));
}

OptTerm stringTest(Builtin b, const rdf::Term& a, const rdf::Term& s) {
  if (!argumentsCompatible(a, s)) return std::nullopt;
  std::string_view x = a.value, y = s.value;
  switch (b) {
    case Builtin::kContains: return booleanLiteral(x.find(y) != std::string_view::npos);
    case Builtin::kStrStarts: return booleanLiteral(x.substr(0, y.size()) == y);
    case Builtin::kStrEnds:
      return booleanLiteral(x.size() >= y.size() && x.substr(x.size() - y.size()) == y);
    case Builtin::kStrBefore:
    case Builtin::kStrAfter: {
      size_t pos = x.find(y);
      // No match: the empty simple literal (17.4.3.7/8).
      if (pos == std::string_view::npos) return simpleLiteral("");
      if (b == Builtin::kStrBefore) return stringLike(a, x.substr(0, pos));
      return stringLike(a, x.substr(pos + y.size()));
    }
    default: return std::nullopt;
  }
}

std::string uuidV4(FunctionContext& ctx) {
  uint64_t hi = ctx.rng(), lo = ctx.rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                 // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);     // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace

OptTerm stringBuiltin(Builtin b, std::span<const rdf::Term> args, FunctionContext& ctx) {
  auto arity = [&](size_t n) { return args.size() == n; };
  switch (b) {
    case Builtin::kStrlen:
      if (!arity(1) || !isStringLiteral(args[0])) return std::nullopt;
      return typedLiteral(std::to_string(codepointCount(args[0].value)), rdf::Datatype::kInteger);
    case Builtin::kSubstr: return substr(args);
    case Builtin::kUcase:
    case Builtin::kLcase:
      if (!arity(1)) return std::nullopt;
      return changeCase(args[0], b == Builtin::kUcase);
    case Builtin::kEncodeForUri:
      if (!arity(1)) return std::nullopt;
      return encodeForUri(args[0]);
    case Builtin::kConcat: return concat(args);
    case Builtin::kLangMatches:
      if (!arity(2)) return std::nullopt;
      return langMatches(args[0], args[1]);
    case Builtin::kContains:
    case Builtin::kStrStarts:
    case Builtin::kStrEnds:
    case Builtin::kStrBefore:
    case Builtin::kStrAfter:
      if (!arity(2)) return std::nullopt;
      return stringTest(b, args[0], args[1]);
    case Builtin::kStrLang:
      // STRLANG(simple literal, simple literal tag) (17.4.2.11).
      if (!arity(2) || !isSimpleString(args[0]) || !isSimpleString(args[1])) return std::nullopt;
      if (!rdf::checkLangTag(args[1].value)) return std::nullopt;
      return rdf::Term::literal(args[0].value, rdf::kRdfLangString, args[1].value);
    case Builtin::kStrDt:
      // STRDT(simple literal, IRI) (17.4.2.10); rdf:langString needs a tag.
      if (!arity(2) || !isSimpleString(args[0]) || args[1].kind != rdf::TermKind::kIri) {
        return std::nullopt;
      }
      if (args[1].value == rdf::kRdfLangString) return std::nullopt;
      return rdf::Term::literal(args[0].value, args[1].value);
    case Builtin::kUuid:
      if (!arity(0)) return std::nullopt;
      return rdf::Term::iri("urn:uuid:" + uuidV4(ctx));
    case Builtin::kStrUuid:
      if (!arity(0)) return std::nullopt;
      return simpleLiteral(uuidV4(ctx));
    default: return std::nullopt;
  }
}

OptTerm hashBuiltin(Builtin b, const rdf::Term& arg) {
  // 17.4.6: the argument is a simple literal or an xsd:string literal.
  if (!isSimpleString(arg)) return std::nullopt;
  const EVP_MD* md = nullptr;
  switch (b) {
    case Builtin::kMd5: md = EVP_md5(); break;
    case Builtin::kSha1: md = EVP_sha1(); break;
    case Builtin::kSha256: md = EVP_sha256(); break;
    case Builtin::kSha384: md = EVP_sha384(); break;
    case Builtin::kSha512: md = EVP_sha512(); break;
    default: return std::nullopt;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(arg.value.data(), arg.value.size(), digest, &len, md, nullptr) != 1) {
    return std::nullopt;
  }
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return simpleLiteral(hex);
}

}  // namespace weft::sparql::internal::fn
