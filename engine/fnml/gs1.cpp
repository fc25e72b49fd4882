// SPDX-License-Identifier: Apache-2.0
// GS1 functions (namespace https://w3id.org/weft/fn#): GTIN validation and
// check digits, and GS1 Digital Link IRIs (GS1 Digital Link URI Syntax 1.2:
// https://id.gs1.org/01/{GTIN-14}[/10/{lot}|/21/{serial}], /00/{SSCC},
// /414/{GLN}[/254/{ext}], /8003/{GRAI}, /8004/{GIAI}) from keys or from EPC
// pure-identity URNs (GS1 EPC Tag Data Standard 2.x, section 6.3: the
// company prefix and the item / serial reference are split by '.', and the
// first digit of the second field is the indicator or extension digit that
// leads the key).
// Key extraction for mappings that read mixed EPC lists: epcToGtin (the
// GTIN-14 of an SGTIN / LGTIN URN or of a Digital Link /01/{gtin}) and
// epcToGln (the GLN of an SGLN / PGLN URN or of a Digital Link /414/{gln} or
// /417/{gln}) give no value, not an error, for any other identifier, so one
// multi-valued input yields one value per matching EPC.
#include "engine/fnml/internal/gs1.h"

#include "engine/fnml/internal/common.h"

namespace weft::fnml::internal {

int gs1CheckDigit(std::string_view digits) {
  if (digits.empty()) return -1;
  int sum = 0;
  int weight = 3;  // the digit next to the check digit weighs 3
  for (size_t i = digits.size(); i > 0; --i) {
    char c = digits[i - 1];
    if (c < '0' || c > '9') return -1;
    sum += (c - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

namespace {

bool allDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status checkDigitOk(std::string_view what, std::string_view key) {
  int expect = gs1CheckDigit(key.substr(0, key.size() - 1));
  int got = key.back() - '0';
  if (expect != got) {
    return bad(std::string(what) + " \"" + std::string(key) + "\" has check digit " + std::to_string(got) +
               ", expected " + std::to_string(expect));
  }
  return Status::ok();
}

}  // namespace

Status normalizeGtin(std::string_view gtin, std::string* gtin14) {
  gtin = trimmed(gtin);
  if (!allDigits(gtin)) return bad("GTIN \"" + std::string(gtin) + "\" must be digits only");
  size_t n = gtin.size();
  if (n != 8 && n != 12 && n != 13 && n != 14) {
    return bad("GTIN \"" + std::string(gtin) + "\" has " + std::to_string(n) + " digits (expected 8, 12, 13 or 14)");
  }
  WEFT_TRY(checkDigitOk("GTIN", gtin));
  *gtin14 = std::string(14 - n, '0') + std::string(gtin);
  return Status::ok();
}

Status validateKey(std::string_view what, std::string_view key, size_t length) {
  if (!allDigits(key)) return bad(std::string(what) + " \"" + std::string(key) + "\" must be digits only");
  if (key.size() != length) {
    return bad(std::string(what) + " \"" + std::string(key) + "\" has " + std::to_string(key.size()) +
               " digits (expected " + std::to_string(length) + ")");
  }
  return checkDigitOk(what, key);
}

// GS1 General Specifications, Figure 7.11-1 (character set 82).
Status validateCset82(std::string_view what, std::string_view value, size_t max_len) {
  if (value.empty() || value.size() > max_len) {
    return bad(std::string(what) + " \"" + std::string(value) + "\" must have 1 to " + std::to_string(max_len) +
               " characters");
  }
  static constexpr std::string_view kPunct = "!\"%&'()*+,-./:;<=>?_";
  for (char c : value) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              kPunct.find(c) != std::string_view::npos;
    if (!ok) {
      return bad(std::string(what) + " \"" + std::string(value) +
                 "\" has a character outside GS1 character set 82");
    }
  }
  return Status::ok();
}

Status digitalLinkBase(std::string_view domain, std::string* base) {
  domain = trimmed(domain);
  if (domain.empty()) domain = kGs1Resolver;
  while (!domain.empty() && domain.back() == '/') domain.remove_suffix(1);
  if (domain.rfind("https://", 0) != 0 && domain.rfind("http://", 0) != 0) {
    return bad("Digital Link domain \"" + std::string(domain) + "\" must start with https:// or http://");
  }
  *base = std::string(domain);
  return Status::ok();
}

namespace {

// Splits "a.b.c" into exactly `n` fields.
bool splitFields(std::string_view s, size_t n, std::string_view* f) {
  for (size_t i = 0; i < n; ++i) {
    size_t dot = i + 1 < n ? s.find('.') : std::string_view::npos;
    if (i + 1 < n && dot == std::string_view::npos) return false;
    f[i] = s.substr(0, dot);
    if (dot != std::string_view::npos) s.remove_prefix(dot + 1);
  }
  return true;
}

Status companyPrefixOk(std::string_view urn, std::string_view cp) {
  if (!allDigits(cp) || cp.size() < 4 || cp.size() > 12) {
    return bad("EPC URN \"" + std::string(urn) + "\": GS1 company prefix \"" + std::string(cp) +
               "\" must be 4 to 12 digits");
  }
  return Status::ok();
}

// A URN component (TDS section 5: %-escapes for the characters a URN cannot
// hold) decoded and checked against character set 82.
Status urnText(std::string_view urn, std::string_view what, std::string_view enc, size_t max_len, std::string* out) {
  if (!percentDecode(enc, out)) return bad("EPC URN \"" + std::string(urn) + "\": malformed %-escape in the " + std::string(what));
  Status st = validateCset82(what, *out, max_len);
  if (!st) return bad("EPC URN \"" + std::string(urn) + "\": " + st.message());
  return Status::ok();
}

// GTIN-14 from company prefix and indicator+item reference (TDS 7.1).
Status gtinFromEpc(std::string_view urn, std::string_view cp, std::string_view ir, std::string* gtin) {
  WEFT_TRY(companyPrefixOk(urn, cp));
  if (!allDigits(ir) || cp.size() + ir.size() != 13) {
    return bad("EPC URN \"" + std::string(urn) +
               "\": company prefix and indicator/item reference must have 13 digits together");
  }
  std::string body = std::string(1, ir[0]) + std::string(cp) + std::string(ir.substr(1));
  *gtin = body + static_cast<char>('0' + gs1CheckDigit(body));
  return Status::ok();
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && core::equalsIgnoreAsciiCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace

Status epcToDigitalLink(std::string_view urn, std::string_view base, std::string* out) {
  urn = trimmed(urn);
  std::string_view f[3];
  std::string text;
  if (startsWithIgnoreCase(urn, "urn:epc:id:sgtin:")) {
    if (!splitFields(urn.substr(17), 3, f)) return bad("EPC URN \"" + std::string(urn) + "\": expected CompanyPrefix.ItemRef.Serial");
    std::string gtin;
    WEFT_TRY(gtinFromEpc(urn, f[0], f[1], &gtin));
    WEFT_TRY(urnText(urn, "serial", f[2], 20, &text));
    *out = std::string(base) + "/01/" + gtin + "/21/" + percentEncode(text);
    return Status::ok();
  }
  if (startsWithIgnoreCase(urn, "urn:epc:class:lgtin:")) {
    if (!splitFields(urn.substr(20), 3, f)) return bad("EPC URN \"" + std::string(urn) + "\": expected CompanyPrefix.ItemRef.Lot");
    std::string gtin;
    WEFT_TRY(gtinFromEpc(urn, f[0], f[1], &gtin));
    WEFT_TRY(urnText(urn, "lot", f[2], 20, &text));
    *out = std::string(base) + "/01/" + gtin + "/10/" + percentEncode(text);
    return Status::ok();
  }
  if (startsWithIgnoreCase(urn, "urn:epc:id:sscc:")) {
    if (!splitFields(urn.substr(16), 2, f)) return bad("EPC URN \"" + std::string(urn) + "\": expected CompanyPrefix.SerialRef");
    WEFT_TRY(companyPrefixOk(urn, f[0]));
    if (!allDigits(f[1]) || f[0].size() + f[1].size() != 17) {
      return bad("EPC URN \"" + std::string(urn) + "\": company prefix and serial reference must have 17 digits together");
    }
    std::string body = std::string(1, f[1][0]) + std::string(f[0]) + std::string(f[1].substr(1));
    *out = std::string(base) + "/00/" + body + static_cast<char>('0' + gs1CheckDigit(body));
    return Status::ok();
  }
  if (startsWithIgnoreCase(urn, "urn:epc:id:sgln:")) {
    if (!splitFields(urn.substr(16), 3, f)) return bad("EPC URN \"" + std::string(urn) + "\": expected CompanyPrefix.LocationRef.Extension");
    WEFT_TRY(companyPrefixOk(urn, f[0]));
    if ((!f[1].empty() && !allDigits(f[1])) || f[0].size() + f[1].size() != 12) {
      return bad("EPC URN \"" + std::string(urn) + "\": company prefix and location reference must have 12 digits together");
    }
    std::string body = std::string(f[0]) + std::string(f[1]);
    *out = std::string(base) + "/414/" + body + static_cast<char>('0' + gs1CheckDigit(body));
    if (f[2] != "0") {  // TDS 6.3.3: extension "0" means no extension
      WEFT_TRY(urnText(urn, "extension", f[2], 20, &text));
      *out += "/254/" + percentEncode(text);
    }
    return Status::ok();
  }
  if (startsWithIgnoreCase(urn, "urn:epc:id:grai:")) {
    if (!splitFields(urn.substr(16), 3, f)) return bad("EPC URN \"" + std::string(urn) + "\": expected CompanyPrefix.AssetType.Serial");
    WEFT_TRY(companyPrefixOk(urn, f[0]));
    if ((!f[1].empty() && !allDigits(f[1])) || f[0].size() + f[1].size() != 12) {
      return bad("EPC URN \"" + std::string(urn) + "\": company prefix and asset type must have 12 digits together");
    }
    std::string body = "0" + std::string(f[0]) + std::string(f[1]);
    *out = std::string(base) + "/8003/" + body + static_cast<char>('0' + gs1CheckDigit(body));
    if (!f[2].empty()) {
      WEFT_TRY(urnText(urn, "serial", f[2], 16, &text));
      *out += percentEncode(text);
    }
    return Status::ok();
  }
  if (startsWithIgnoreCase(urn, "urn:epc:id:giai:")) {
    if (!splitFields(urn.substr(16), 2, f)) return bad("EPC URN \"" + std::string(urn) + "\": expected CompanyPrefix.AssetRef");
    WEFT_TRY(companyPrefixOk(urn, f[0]));
    WEFT_TRY(urnText(urn, "asset reference", f[1], 30 - f[0].size(), &text));
    *out = std::string(base) + "/8004/" + percentEncode(std::string(f[0]) + text);
    return Status::ok();
  }
  return bad("unsupported EPC URN \"" + std::string(urn) +
             "\" (expected urn:epc:id:sgtin|sscc|sgln|grai|giai or urn:epc:class:lgtin)");
}

namespace {

// The primary key (AI and value) of a GS1 Digital Link IRI
// (http(s)://host[/path prefix]/{AI}/{value}[/{AI}/{value}...][?...]): the
// first path segment that is a primary-key AI and has a segment after it.
bool digitalLinkPrimaryKey(std::string_view iri, std::string_view* ai, std::string_view* value) {
  iri = trimmed(iri);
  size_t scheme = startsWithIgnoreCase(iri, "https://") ? 8 : startsWithIgnoreCase(iri, "http://") ? 7 : 0;
  if (scheme == 0) return false;
  std::string_view rest = iri.substr(scheme);
  size_t end = rest.find_first_of("?#");
  if (end != std::string_view::npos) rest = rest.substr(0, end);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  rest.remove_prefix(slash + 1);
  static constexpr std::string_view kPrimary[] = {"00",   "01",   "253",  "255",  "414",  "417",
                                                  "8003", "8004", "8006", "8010", "8017", "8018"};
  while (!rest.empty()) {
    size_t s1 = rest.find('/');
    if (s1 == std::string_view::npos) return false;
    std::string_view seg = rest.substr(0, s1);
    std::string_view after = rest.substr(s1 + 1);
    for (std::string_view p : kPrimary) {
      if (seg == p) {
        std::string_view v = after.substr(0, after.find('/'));
        if (v.empty()) return false;
        *ai = seg;
        *value = v;
        return true;
      }
    }
    rest = after;
  }
  return false;
}

}  // namespace

Status epcToGtin(std::string_view epc, std::string* gtin, bool* found) {
  epc = trimmed(epc);
  *found = false;
  std::string_view f[3];
  if (startsWithIgnoreCase(epc, "urn:epc:id:sgtin:") || startsWithIgnoreCase(epc, "urn:epc:class:lgtin:")) {
    bool sgtin = startsWithIgnoreCase(epc, "urn:epc:id:sgtin:");
    if (!splitFields(epc.substr(sgtin ? 17 : 20), 3, f)) {
      return bad("EPC URN \"" + std::string(epc) + "\": expected CompanyPrefix.ItemRef." + (sgtin ? "Serial" : "Lot"));
    }
    WEFT_TRY(gtinFromEpc(epc, f[0], f[1], gtin));
    *found = true;
    return Status::ok();
  }
  std::string_view ai, value;
  if (digitalLinkPrimaryKey(epc, &ai, &value) && ai == "01") {
    Status st = normalizeGtin(value, gtin);
    if (!st) return bad("Digital Link \"" + std::string(epc) + "\": " + st.message());
    *found = true;
  }
  return Status::ok();
}

Status epcToGln(std::string_view epc, std::string* gln, bool* found) {
  epc = trimmed(epc);
  *found = false;
  std::string_view f[3];
  bool sgln = startsWithIgnoreCase(epc, "urn:epc:id:sgln:");
  if (sgln || startsWithIgnoreCase(epc, "urn:epc:id:pgln:")) {
    if (!splitFields(epc.substr(16), sgln ? 3 : 2, f)) {
      return bad("EPC URN \"" + std::string(epc) + "\": expected CompanyPrefix." +
                 (sgln ? "LocationRef.Extension" : "PartyRef"));
    }
    WEFT_TRY(companyPrefixOk(epc, f[0]));
    if ((!f[1].empty() && !allDigits(f[1])) || f[0].size() + f[1].size() != 12) {
      return bad("EPC URN \"" + std::string(epc) + "\": company prefix and " +
                 (sgln ? "location" : "party") + " reference must have 12 digits together");
    }
    std::string body = std::string(f[0]) + std::string(f[1]);
    *gln = body + static_cast<char>('0' + gs1CheckDigit(body));
    *found = true;
    return Status::ok();
  }
  std::string_view ai, value;
  if (digitalLinkPrimaryKey(epc, &ai, &value) && (ai == "414" || ai == "417")) {
    Status st = validateKey("GLN", value, 13);
    if (!st) return bad("Digital Link \"" + std::string(epc) + "\": " + st.message());
    *gln = std::string(value);
    *found = true;
  }
  return Status::ok();
}

namespace {

constexpr std::string_view W = kWeftFn;

Parameter p(std::string_view local, bool required = true) { return weftParam(local, required); }
Output o(std::string_view local) { return weftOutput(local); }

WEFT_FN(gtinValid) {
  std::string g;
  emitBool(out, normalizeGtin(a.text(0), &g).isOk());
  return Status::ok();
}

WEFT_FN(gtinCheckDigit) {
  std::string_view s = trimmed(a.text(0));
  size_t n = s.size();
  if (n != 7 && n != 11 && n != 12 && n != 13) {
    return bad("GTIN without check digit \"" + std::string(s) + "\" has " + std::to_string(n) +
               " digits (expected 7, 11, 12 or 13)");
  }
  int d = gs1CheckDigit(s);
  if (d < 0) return bad("GTIN \"" + std::string(s) + "\" must be digits only");
  emit(out, std::string(1, static_cast<char>('0' + d)));
  return Status::ok();
}

WEFT_FN(gtin14) {
  std::string g;
  WEFT_TRY(normalizeGtin(a.text(0), &g));
  emit(out, std::move(g));
  return Status::ok();
}

// Builds base + "/01/" + GTIN-14 [+ "/" + ai + "/" + encoded value].
Status gtinLink(const Args& a, size_t domain_param, std::string_view ai, std::string_view what,
                std::vector<Value>* out) {
  std::string g, base;
  WEFT_TRY(normalizeGtin(a.text(0), &g));
  WEFT_TRY(digitalLinkBase(a.text(domain_param), &base));
  std::string iri = base + "/01/" + g;
  if (!ai.empty()) {
    WEFT_TRY(validateCset82(what, a.text(1), 20));
    iri += "/" + std::string(ai) + "/" + percentEncode(a.text(1));
  }
  emit(out, std::move(iri), ValueKind::kIri);
  return Status::ok();
}

WEFT_FN(gtinToDigitalLink) { return gtinLink(a, 1, "", "", out); }
WEFT_FN(gtinLotToDigitalLink) { return gtinLink(a, 2, "10", "lot", out); }
WEFT_FN(gtinSerialToDigitalLink) { return gtinLink(a, 2, "21", "serial", out); }

WEFT_FN(ssccToDigitalLink) {
  std::string base;
  std::string_view s = trimmed(a.text(0));
  WEFT_TRY(validateKey("SSCC", s, 18));
  WEFT_TRY(digitalLinkBase(a.text(1), &base));
  emit(out, base + "/00/" + std::string(s), ValueKind::kIri);
  return Status::ok();
}

WEFT_FN(glnToDigitalLink) {
  std::string base;
  std::string_view s = trimmed(a.text(0));
  WEFT_TRY(validateKey("GLN", s, 13));
  WEFT_TRY(digitalLinkBase(a.text(1), &base));
  emit(out, base + "/414/" + std::string(s), ValueKind::kIri);
  return Status::ok();
}

WEFT_FN(epcToDigitalLinkFn) {
  std::string base, iri;
  WEFT_TRY(digitalLinkBase(a.text(1), &base));
  WEFT_TRY(epcToDigitalLink(a.text(0), base, &iri));
  emit(out, std::move(iri), ValueKind::kIri);
  return Status::ok();
}

WEFT_FN(epcToGtinFn) {
  std::string gtin;
  bool found = false;
  WEFT_TRY(epcToGtin(a.text(0), &gtin, &found));
  if (found) emit(out, std::move(gtin));
  return Status::ok();
}

WEFT_FN(epcToGlnFn) {
  std::string gln;
  bool found = false;
  WEFT_TRY(epcToGln(a.text(0), &gln, &found));
  if (found) emit(out, std::move(gln));
  return Status::ok();
}

}  // namespace

void addGs1(Library* lib) {
  Output iri = o("iriOut");
  lib->add(fn(W, "gtinValid", {p("gtin")}, {o("boolOut")}, gtinValid));
  lib->add(fn(W, "gtinCheckDigit", {p("gtin")}, {o("stringOut")}, gtinCheckDigit));
  lib->add(fn(W, "gtin14", {p("gtin")}, {o("stringOut")}, gtin14));
  lib->add(fn(W, "gtinToDigitalLink", {p("gtin"), p("domain", false)}, {iri}, gtinToDigitalLink));
  lib->add(fn(W, "gtinLotToDigitalLink", {p("gtin"), p("lot"), p("domain", false)}, {iri}, gtinLotToDigitalLink));
  lib->add(fn(W, "gtinSerialToDigitalLink", {p("gtin"), p("serial"), p("domain", false)}, {iri},
              gtinSerialToDigitalLink));
  lib->add(fn(W, "ssccToDigitalLink", {p("sscc"), p("domain", false)}, {iri}, ssccToDigitalLink));
  lib->add(fn(W, "glnToDigitalLink", {p("gln"), p("domain", false)}, {iri}, glnToDigitalLink));
  lib->add(fn(W, "epcToDigitalLink", {p("epc"), p("domain", false)}, {iri}, epcToDigitalLinkFn));
  lib->add(fn(W, "epcToGtin", {p("epc")}, {o("stringOut")}, epcToGtinFn));
  lib->add(fn(W, "epcToGln", {p("epc")}, {o("stringOut")}, epcToGlnFn));
}

}  // namespace weft::fnml::internal
