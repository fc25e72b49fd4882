// SPDX-License-Identifier: Apache-2.0
// The 3PL / distribution connectors for GS1 EPCIS (connectors/api/connector.h):
//   epcis-json  EPCIS 2.0 JSON / JSON-LD (EPCISDocument, EPCISQueryDocument)
//   epcis-xml   EPCIS 1.2 and 2.0 XML (EPCISDocument, EPCISQueryDocument)
// Recognition is by content; the whole document is validated first
// (epcis_validate.cpp); the mapping documents under mappings/epcis/ do the
// rest (their header comments describe what is read and how it maps).
#include <fstream>
#include <regex>
#include <sstream>

#include "connectors/api/connector.h"
#include "connectors/epcis/epcis_validate.h"

namespace weft::connectors {

namespace {

Result<std::string> readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError(path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool contains(std::string_view head, std::string_view s) { return head.find(s) != std::string_view::npos; }

std::string_view skipBomAndSpace(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
  return s;
}

Match detectJson(const std::string&, std::string_view head) {
  head = skipBomAndSpace(head);
  if (head.empty() || head[0] != '{') return Match::kNo;
  if (contains(head, "\"$schema\"")) return Match::kNo;  // the EPCIS JSON Schema itself
  static const std::regex doc_type(R"re("type"\s*:\s*"EPCIS(Query)?Document")re");
  std::string h(head);
  if (std::regex_search(h, doc_type)) return Match::kByContent;
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
  static const std::regex root(R"re(<([A-Za-z_][\w.-]*:)?EPCIS(Query)?Document[\s>/])re");
  std::string h(head);
  return std::regex_search(h, root) ? Match::kByContent : Match::kNo;
}

}  // namespace

Connector epcisJsonConnector() {
  Connector c;
  c.name = "epcis-json";
  c.summary = "GS1 EPCIS 2.0 JSON / JSON-LD event documents (3PL, distribution)";
  c.detect = detectJson;
  c.validate = [](const Document& d, uint64_t* records) -> Status {
    auto text = readAll(d.path);
    if (!text.isOk()) return text.status();
    return epcis::validateJson(text.value(), records);
  };
  c.mappings = [](const Document&) { return std::vector<std::string>{"epcis/epcis-json.ttl"}; };
  return c;
}

Connector epcisXmlConnector() {
  Connector c;
  c.name = "epcis-xml";
  c.summary = "GS1 EPCIS 1.2 and 2.0 XML event documents, with master data (3PL, distribution, DSCSA)";
  c.detect = detectXml;
  c.validate = [](const Document& d, uint64_t* records) -> Status {
    auto text = readAll(d.path);
    if (!text.isOk()) return text.status();
    return epcis::validateXml(text.value(), records);
  };
  c.mappings = [](const Document&) { return std::vector<std::string>{"epcis/epcis-xml.ttl"}; };
  return c;
}

}  // namespace weft::connectors
