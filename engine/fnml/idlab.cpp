// SPDX-License-Identifier: Apache-2.0
// IDLab functions (namespace https://w3id.org/imec/idlab/function#, the
// helper functions RML engines share: conditions, comparisons, concatenation,
// date normalisation), with the parameter and output IRIs of their FnO
// descriptions, and the test functions of the RML-FNML conformance suite
// (test-cases/functions.ttl, namespace http://example.com/functions/).
// Stateful, network and file functions (generateUniqueIRI, dbpediaSpotlight,
// readFile, lookup, random) are not provided: a mapping run stays
// deterministic and reads only its logical sources.
#include <cmath>

#include "engine/fnml/internal/common.h"
#include "engine/fnml/internal/datetime.h"

namespace weft::fnml::internal {

namespace {

// The old IDLab namespace, still used by mappings written for RMLMapper 4/5.
constexpr std::string_view kIdlabOld = "http://example.com/idlab/function/";
constexpr std::string_view G = kGrel;


Parameter pValue() { return param(G, "valueParam", "valueParameter"); }
Parameter pValue2() { return param(G, "valueParam2", "valueParameter2"); }
Parameter pStr(std::string_view I, bool required = true) { return param(I, "_str", "str", required); }
Parameter pOtherStr(std::string_view I) { return param(I, "_otherStr", "otherStr"); }
Parameter pDelimiter(std::string_view I, bool required) { return param(I, "_delimiter", "delimiter", required); }
Parameter pStrBoolean(std::string_view I) { return param(I, "_strBoolean", "strBoolean"); }
Parameter pExpected(std::string_view I) { return param(I, "_expectedStr", "expectedStr"); }
Parameter pResult(std::string_view I) { return param(I, "_result", "result"); }
Parameter pList(std::string_view I) { return param(I, "_list", "list", true, true); }
Parameter pSeq(std::string_view I) {
  Parameter p = param(I, "_seq", "_seq", true, true);
  p.predicate = "http://www.w3.org/1999/02/22-rdf-syntax-ns#_nnn";
  return p;
}
Parameter pTest(std::string_view I) { return param(I, "_test", "p_test"); }
Parameter pFrom(std::string_view I) { return param(I, "_from", "p_from", false); }
Parameter pTo(std::string_view I) { return param(I, "_to", "p_to", false); }
Parameter pStrDate(std::string_view I) { return param(I, "_strDate", "strDate"); }
Parameter pPattern(std::string_view I) { return param(I, "_pattern", "pattern"); }
Parameter pLang(std::string_view I) { return param(I, "_lang", "lang"); }

Output oString(std::string_view I) { return output(I, "_stringOut", "stringOut"); }
Output oBool(std::string_view I) { return output(I, "_boolOut", "o_boolOut"); }

WEFT_FN(equal) {
  emitBool(out, a.text(0) == a.text(1));
  return Status::ok();
}

WEFT_FN(notEqual) {
  emitBool(out, a.text(0) != a.text(1));
  return Status::ok();
}

// RML-FNML test cases 0003, 0011, 0031: upper case, "http://" in front
// unless the upper-cased value already starts with "HTTP".
WEFT_FN(toUpperCaseURL) {
  std::string u = toUpper(a.text(0));
  if (u.rfind("HTTP", 0) != 0) u.insert(0, "http://");
  emit(out, std::move(u));
  return Status::ok();
}

WEFT_FN(concat) {
  std::string r(a.text(0));
  r.append(a.text(2));
  r.append(a.text(1));
  emit(out, std::move(r));
  return Status::ok();
}

WEFT_FN(concatSequence) {
  emit(out, joinTexts(a.all(0), a.text(1)));
  return Status::ok();
}

WEFT_FN(trueCondition) {
  if (core::equalsIgnoreAsciiCase(a.text(0), "true")) out->push_back(*a.value(1));
  return Status::ok();
}

WEFT_FN(decide) {
  if (a.text(0) == a.text(1)) out->push_back(*a.value(2));
  return Status::ok();
}

WEFT_FN(isNull) {
  emitBool(out, !a.has(0));
  return Status::ok();
}

// stringContainsOtherString(str, otherStr, delimiter): str is one of the
// delimiter-separated pieces of otherStr.
WEFT_FN(stringContains) {
  std::string_view s = a.text(0), other = a.text(1), delim = a.text(2);
  bool found = false;
  if (delim.empty()) {
    found = other == s;
  } else {
    size_t pos = 0;
    for (;;) {
      size_t f = other.find(delim, pos);
      std::string_view piece = other.substr(pos, f == std::string_view::npos ? std::string_view::npos : f - pos);
      if (piece == s) {
        found = true;
        break;
      }
      if (f == std::string_view::npos) break;
      pos = f + delim.size();
    }
  }
  emitBool(out, found);
  return Status::ok();
}

WEFT_FN(listContains) {
  bool found = false;
  for (const Value& v : a.all(0)) found = found || v.text == a.text(1);
  emitBool(out, found);
  return Status::ok();
}

// inRange(test, from?, to?): from <= test < to; an absent bound is open.
WEFT_FN(inRange) {
  double t = 0, f = 0, e = 0;
  WEFT_TRY(needDouble("test", a.text(0), &t));
  bool ok = true;
  if (a.has(1)) {
    WEFT_TRY(needDouble("from", a.text(1), &f));
    ok = ok && t >= f;
  }
  if (a.has(2)) {
    WEFT_TRY(needDouble("to", a.text(2), &e));
    ok = ok && t < e;
  }
  emitBool(out, ok);
  return Status::ok();
}

// Latin letters with diacritics folded to ASCII (Latin-1 Supplement and
// Latin Extended-A, the common European ones); others pass unchanged.
std::string_view foldLatin(char32_t c) {
  static const char* kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // C0-CF
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // E0-EF
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};  // F0-FF
  if (c >= 0xC0 && c <= 0xFF) return kLatin1[c - 0xC0] ? kLatin1[c - 0xC0] : "";
  if (c >= 0x100 && c <= 0x17F) {
    static const char kExtA[] =
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkklllllll"
        "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    size_t k = c - 0x100;
    if (k < sizeof kExtA - 1) return std::string_view(&kExtA[k], 1);
  }
  return {};
}

WEFT_FN(slugify) {
  std::string_view s = a.text(0);
  std::string r;
  bool dash = false;
  for (size_t i = 0; i < s.size();) {
    char32_t c = nextCodePoint(s, &i);
    std::string piece;
    if (c < 0x80) {
      if (isAlnumCp(c)) piece.push_back(static_cast<char>(lowerCp(c)));
    } else {
      std::string_view f = foldLatin(lowerCp(c));
      if (f.empty()) f = foldLatin(c);
      if (!f.empty()) {
        piece = std::string(f);
      } else if (isAlnumCp(c)) {
        appendUtf8(&piece, lowerCp(c));
      }
    }
    if (piece.empty()) {
      dash = !r.empty();
      continue;
    }
    if (dash) r.push_back('-');
    dash = false;
    r += piece;
  }
  emit(out, std::move(r));
  return Status::ok();
}

WEFT_FN(getMIMEType) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"csv", "text/csv"}, {"tsv", "text/tab-separated-values"}, {"txt", "text/plain"},
      {"json", "application/json"}, {"jsonld", "application/ld+json"}, {"xml", "application/xml"},
      {"html", "text/html"}, {"htm", "text/html"}, {"pdf", "application/pdf"}, {"png", "image/png"},
      {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"}, {"svg", "image/svg+xml"},
      {"webp", "image/webp"}, {"zip", "application/zip"}, {"gz", "application/gzip"},
      {"ttl", "text/turtle"}, {"nt", "application/n-triples"}, {"nq", "application/n-quads"},
      {"trig", "application/trig"}, {"rdf", "application/rdf+xml"}, {"owl", "application/rdf+xml"},
      {"mp3", "audio/mpeg"}, {"mp4", "video/mp4"}, {"doc", "application/msword"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xls", "application/vnd.ms-excel"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
  };
  std::string_view s = a.text(0);
  size_t dot = s.rfind('.');
  if (dot == std::string_view::npos) return Status::ok();
  std::string ext = toLower(s.substr(dot + 1));
  for (const auto& [e, t] : kTypes) {
    if (e == ext) {
      emit(out, std::string(t));
      break;
    }
  }
  return Status::ok();
}

Status normalize(const Args& a, bool datetime, std::string_view lang, std::vector<Value>* out) {
  DateTimeParts p;
  WEFT_TRY(parseDateTime(a.text(0), a.text(1), lang, &p));
  std::string r;
  if (datetime) {
    WEFT_TRY(toXsdDateTime(p, false, &r));
  } else {
    p.has_offset = false;
    WEFT_TRY(toXsdDate(p, &r));
  }
  emit(out, std::move(r));
  return Status::ok();
}

WEFT_FN(normalizeDate) { return normalize(a, false, "", out); }
WEFT_FN(normalizeDateLang) { return normalize(a, false, a.text(2), out); }
WEFT_FN(normalizeDateTime) { return normalize(a, true, "", out); }
WEFT_FN(normalizeDateTimeLang) { return normalize(a, true, a.text(2), out); }

WEFT_FN(alwaysReturnsABC) {
  (void)a;
  emit(out, "ABC");
  return Status::ok();
}

// ---- RML-FNML test functions (test-cases/functions.ttl) ----

constexpr std::string_view F = kFnsTest;

WEFT_FN(helloWorld) {
  (void)a;
  emit(out, "Hello World!");
  return Status::ok();
}

WEFT_FN(schema) {
  emit(out, "https://schema.org/" + std::string(a.text(0)));
  return Status::ok();
}

// parseURL: "{protocol}://{domain}/{path}" -> three outputs.
Status parseUrl(const Function&, const Args& a, size_t output, std::vector<Value>* out) {
  std::string_view s = a.text(0);
  size_t sep = s.find("://");
  if (sep == std::string_view::npos) return bad("not a URL of the form protocol://domain/path: \"" + std::string(s) + "\"");
  std::string_view protocol = s.substr(0, sep), rest = s.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string_view domain = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  emit(out, std::string(output == 0 ? protocol : output == 1 ? domain : path));
  return Status::ok();
}


}  // namespace

namespace {
void addIdlabIn(Library* lib, std::string_view I) {
  lib->add(fn(I, "equal", {pValue(), pValue2()}, {oBool(I)}, equal));
  lib->add(fn(I, "notEqual", {pValue(), pValue2()}, {oBool(I)}, notEqual));
  lib->add(fn(I, "toUpperCaseURL", {pStr(I)}, {oString(I)}, toUpperCaseURL));
  lib->add(fn(I, "concat", {pStr(I), pOtherStr(I), pDelimiter(I, false)}, {oString(I)}, concat));
  lib->add(fn(I, "concatSequence", {pSeq(I), pDelimiter(I, false)}, {oString(I)}, concatSequence));
  lib->add(fn(I, "trueCondition", {pStrBoolean(I), pStr(I)}, {oString(I)}, trueCondition));
  lib->add(fn(I, "decide", {pStr(I), pExpected(I), pResult(I)}, {oString(I)}, decide));
  lib->add(fn(I, "isNull", {pStr(I, false)}, {oBool(I)}, isNull));
  lib->add(fn(I, "stringContainsOtherString", {pStr(I), pOtherStr(I), pDelimiter(I, true)}, {oBool(I)}, stringContains));
  lib->add(fn(I, "listContainsElement", {pList(I), pStr(I)}, {oBool(I)}, listContains));
  lib->add(fn(I, "inRange", {pTest(I), pFrom(I), pTo(I)}, {oBool(I)}, inRange));
  lib->add(fn(I, "slugify", {pStr(I)}, {oString(I)}, slugify));
  lib->add(fn(I, "getMIMEType", {pStr(I)}, {oString(I)}, getMIMEType));
  lib->add(fn(I, "normalizeDate", {pStrDate(I), pPattern(I)}, {oString(I)}, normalizeDate));
  lib->add(fn(I, "normalizeDateWithLang", {pStrDate(I), pPattern(I), pLang(I)}, {oString(I)}, normalizeDateLang));
  lib->add(fn(I, "normalizeDateTime", {pStrDate(I), pPattern(I)}, {oString(I)}, normalizeDateTime));
  lib->add(fn(I, "normalizeDateTimeWithLang", {pStrDate(I), pPattern(I), pLang(I)}, {oString(I)}, normalizeDateTimeLang));
  lib->add(fn(I, "alwaysReturnsABC", {}, {oString(I)}, alwaysReturnsABC));
}
}  // namespace

void addIdlab(Library* lib) {
  addIdlabIn(lib, kIdlab);
  addIdlabIn(lib, kIdlabOld);
}

void addTestFunctions(Library* lib) {
  Output str = output(F, "stringOutput", "hasStringOutput");
  Parameter sp = param(F, "stringParameter", "hasStringParameter");
  lib->add(fn(F, "helloworld", {}, {str}, helloWorld));
  lib->add(fn(F, "schema", {sp}, {str}, schema));
  lib->add(fn(F, "parseURL", {sp},
              {output(F, "protocolOutput", "hasProtocolOutput"), output(F, "domainOutput", "hasDomainOutput"), str},
              parseUrl));
}

}  // namespace weft::fnml::internal
