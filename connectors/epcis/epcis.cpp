// SPDX-License-Identifier: Apache-2.0
// The 3PL / distribution connectors for GS1 EPCIS (connectors/api/connector.h):
//   epcis-json  EPCIS 2.0 JSON / JSON-LD (EPCISDocument, EPCISQueryDocument)
//   epcis-xml   EPCIS 1.2 and 2.0 XML (EPCISDocument, EPCISQueryDocument)
// Recognition is by content; the whole document is validated first
// (epcis_validate.cpp); the mapping documents under mappings/epcis/ do the
// rest (their header comments describe what is read and how it maps).
#include "connectors/api/connector.h"
#include "connectors/epcis/epcis_validate.h"
#include "connectors/internal/files.h"

namespace weft::connectors {

namespace {

bool contains(std::string_view head, std::string_view s) { return head.find(s) != std::string_view::npos; }

std::string_view skipBomAndSpace(std::string_view s) {
  s = internal::stripBom(s);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
  return s;
}

// The scans below are written out rather than std::regex: libstdc++'s
// matcher recurses once per character, and a hostile head (64 KiB of
// spaces after "type") overflowed the stack during detection.

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// "EPCISDocument" or "EPCISQueryDocument" at `at`: its length, else 0.
size_t documentNameAt(std::string_view s, size_t at) {
  for (std::string_view name : {std::string_view("EPCISDocument"), std::string_view("EPCISQueryDocument")})
    if (s.substr(at, name.size()) == name) return name.size();
  return 0;
}

// "type" : "EPCISDocument" (or EPCISQueryDocument), with any white space.
bool hasDocumentType(std::string_view head) {
  constexpr std::string_view key = "\"type\"";
  for (size_t at = head.find(key); at != std::string_view::npos; at = head.find(key, at + 1)) {
    size_t i = at + key.size();
    while (i < head.size() && isSpace(head[i])) ++i;
    if (i >= head.size() || head[i] != ':') continue;
    ++i;
    while (i < head.size() && isSpace(head[i])) ++i;
    if (i >= head.size() || head[i] != '"') continue;
    size_t n = documentNameAt(head, i + 1);
    if (n > 0 && i + 1 + n < head.size() && head[i + 1 + n] == '"') return true;
  }
  return false;
}

// <EPCISDocument or <prefix:EPCISQueryDocument (a prefix starts with a letter
// or '_' and goes on with letters, digits, '_', '.', '-'), then white space,
// '>' or '/'.
bool hasRootElement(std::string_view head) {
  auto nameChar = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  };
  for (size_t at = head.find("EPCIS"); at != std::string_view::npos; at = head.find("EPCIS", at + 1)) {
    size_t n = documentNameAt(head, at);
    if (n == 0 || at + n >= head.size()) continue;
    char after = head[at + n];
    if (!isSpace(after) && after != '>' && after != '/') continue;
    if (at == 0) continue;
    if (head[at - 1] == '<') return true;
    if (head[at - 1] != ':') continue;
    size_t p = at - 1;  // the prefix is head[p, at - 1)
    while (p > 0 && nameChar(head[p - 1])) --p;
    if (p == at - 1 || p == 0 || head[p - 1] != '<') continue;
    char first = head[p];
    if ((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_') return true;
  }
  return false;
}

Match detectJson(const std::string&, std::string_view head) {
  head = skipBomAndSpace(head);
  if (head.empty() || head[0] != '{') return Match::kNo;
  if (contains(head, "\"$schema\"")) return Match::kNo;  // the EPCIS JSON Schema itself
  if (hasDocumentType(head)) return Match::kByContent;
  // An EPCIS query (query-schema.json): claimed so that it is refused with a
  // clear reason rather than read by another JSON connector.
  if (contains(head, "epcis/2.0.0/query-schema.json") || contains(head, "epcis/query-schema.json"))
    return Match::kByContent;
  if (contains(head, "\"epcisBody\"")) return Match::kByContent;
  return Match::kNo;
}

Match detectXml(const std::string&, std::string_view head) {
  head = skipBomAndSpace(head);
  if (head.empty() || head[0] != '<') return Match::kNo;
  return hasRootElement(head) ? Match::kByContent : Match::kNo;
}

// Reads the document whole and checks it with `check` (epcis_validate.h).
template <Status (*check)(std::string_view, uint64_t*)>
Status validateWith(const Document& d, uint64_t* records) {
  auto text = internal::readAll(d.path, d.path);
  if (!text.isOk()) return text.status();
  return check(text.value(), records);
}

}  // namespace

Connector epcisJsonConnector() {
  Connector c;
  c.name = "epcis-json";
  c.summary = "GS1 EPCIS 2.0 JSON / JSON-LD event documents (3PL, distribution)";
  c.detect = detectJson;
  c.validate = validateWith<epcis::validateJson>;
  c.mappings = [](const Document&) { return std::vector<std::string>{"epcis/epcis-json.ttl"}; };
  return c;
}

Connector epcisXmlConnector() {
  Connector c;
  c.name = "epcis-xml";
  c.summary = "GS1 EPCIS 1.2 and 2.0 XML event documents, with master data (3PL, distribution, DSCSA)";
  c.detect = detectXml;
  c.validate = validateWith<epcis::validateXml>;
  c.mappings = [](const Document&) { return std::vector<std::string>{"epcis/epcis-xml.ttl"}; };
  return c;
}

}  // namespace weft::connectors
