// SPDX-License-Identifier: Apache-2.0
// The MES connectors (connectors/api/connector.h): ISA-95 B2MML messages
// (V0401 http://www.wbf.org/xml/B2MML-V0401, V0600 http://www.mesa.org/xml/B2MML-V0600,
// V0700 http://www.mesa.org/xml/B2MML) and ISA-88 BatchML documents (batch
// production records in the B2MML namespaces, V02 master recipes in
// http://www.wbf.org/xml/BatchML-V02). A document is recognised by its root
// element and namespace, checked whole with libxml2 (well-formed, a root this
// connector maps, the identifiers and values the mappings need), and mapped by
// the documents under mappings/b2mml/ and mappings/batchml/ chosen by version
// and root (mes.h; the checks are in validate.cpp).
#include "connectors/mes/mes.h"

#include <array>
#include <cctype>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/internal/files.h"

namespace weft::connectors {
namespace mes {
namespace {

constexpr std::string_view kV0401 = "http://www.wbf.org/xml/B2MML-V0401";
constexpr std::string_view kV0600 = "http://www.mesa.org/xml/B2MML-V0600";
constexpr std::string_view kV0700 = "http://www.mesa.org/xml/B2MML";
constexpr std::string_view kBatchmlV02 = "http://www.wbf.org/xml/BatchML-V02";

// Verbs of the OAGIS-style messages that carry data (Get and Cancel carry
// only requests, Acknowledge only a reply).
constexpr std::array<std::string_view, 6> kVerbs = {"Sync", "Process", "Show", "Change", "Respond", "Notify"};

Kind kindOfNoun(std::string_view noun) {
  if (noun == "MaterialDefinition" || noun == "MaterialInformation" || noun == "MaterialLot" ||
      noun == "MaterialSubLot")
    return Kind::kMaterial;
  if (noun == "Equipment" || noun == "EquipmentInformation") return Kind::kEquipment;
  if (noun == "ProductionSchedule" || noun == "OperationsSchedule") return Kind::kSchedule;
  if (noun == "ProductionPerformance" || noun == "OperationsPerformance") return Kind::kPerformance;
  if (noun == "BatchProductionRecord") return Kind::kBatchRecord;
  if (noun == "BatchInformation") return Kind::kMasterRecipe;
  return Kind::kNone;
}

// The XML declaration, comments, processing instructions and a DOCTYPE
// before the root element are skipped; a BOM too.
size_t skipProlog(std::string_view s) {
  size_t i = s.size() - internal::stripBom(s).size();
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size() || s[i] != '<') return std::string_view::npos;
    std::string_view rest = s.substr(i);
    std::string_view close;
    if (rest.starts_with("<?")) close = "?>";
    else if (rest.starts_with("<!--")) close = "-->";
    else if (rest.starts_with("<!")) close = ">";
    else return i;
    size_t end = rest.find(close);
    if (end == std::string_view::npos) return std::string_view::npos;
    i += end + close.size();
  }
  return std::string_view::npos;
}

// The value of attribute `name` in the start tag `tag` ("" if absent).
std::string attribute(std::string_view tag, std::string_view name) {
  size_t pos = 0;
  while ((pos = tag.find(name, pos)) != std::string_view::npos) {
    bool boundary = pos > 0 && std::isspace(static_cast<unsigned char>(tag[pos - 1]));
    size_t j = pos + name.size();
    while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
    if (boundary && j < tag.size() && tag[j] == '=') {
      ++j;
      while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
      if (j < tag.size() && (tag[j] == '"' || tag[j] == '\'')) {
        size_t close = tag.find(tag[j], j + 1);
        if (close != std::string_view::npos) return std::string(tag.substr(j + 1, close - j - 1));
      }
    }
    pos += name.size();
  }
  return "";
}

}  // namespace

std::string readHead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

Root rootOf(std::string_view head) {
  Root r;
  size_t i = skipProlog(head);
  if (i == std::string_view::npos) return r;
  size_t end = head.find('>', i);
  if (end == std::string_view::npos) return r;
  std::string_view tag = head.substr(i + 1, end - i - 1);
  size_t n = 0;
  while (n < tag.size() && !std::isspace(static_cast<unsigned char>(tag[n])) && tag[n] != '/') ++n;
  std::string_view qname = tag.substr(0, n);
  size_t colon = qname.find(':');
  std::string prefix = colon == std::string_view::npos ? "" : std::string(qname.substr(0, colon));
  r.local = std::string(colon == std::string_view::npos ? qname : qname.substr(colon + 1));
  r.ns = attribute(tag, prefix.empty() ? "xmlns" : "xmlns:" + prefix);
  return r;
}

Version versionOf(std::string_view ns) {
  if (ns == kV0401) return Version::kV0401;
  if (ns == kV0600) return Version::kV0600;
  if (ns == kV0700) return Version::kV0700;
  if (ns == kBatchmlV02) return Version::kBatchmlV02;
  return Version::kNone;
}

Kind kindOf(const Root& root) {
  Version v = versionOf(root.ns);
  if (v == Version::kNone) return Kind::kNone;
  std::string_view noun = root.local;
  for (std::string_view verb : kVerbs) {
    if (noun.starts_with(verb) && kindOfNoun(noun.substr(verb.size())) != Kind::kNone) {
      noun.remove_prefix(verb.size());
      break;
    }
  }
  Kind k = kindOfNoun(noun);
  // BatchML V02 documents are master recipes only; BatchInformation is mapped only in V02.
  if (v == Version::kBatchmlV02) return k == Kind::kMasterRecipe ? k : Kind::kNone;
  return k == Kind::kMasterRecipe ? Kind::kNone : k;
}

std::vector<std::string> mappingsFor(const Root& root) {
  Version v = versionOf(root.ns);
  Kind k = kindOf(root);
  if (k == Kind::kNone) return {};
  std::string ver = v == Version::kV0401 ? "v0401" : v == Version::kV0600 ? "v0600" : "v0700";
  bool old = v == Version::kV0401;
  switch (k) {
    case Kind::kMaterial: return {"b2mml/" + ver + "-material.ttl"};
    case Kind::kEquipment: return {"b2mml/" + ver + "-equipment.ttl"};
    case Kind::kSchedule:
      return {"b2mml/" + ver + (old ? "-production-schedule.ttl" : "-operations-schedule.ttl")};
    case Kind::kPerformance:
      return {"b2mml/" + ver + (old ? "-production-performance.ttl" : "-operations-performance.ttl")};
    case Kind::kBatchRecord:
      return {"batchml/" + ver + "-batch-production-record.ttl",
              "b2mml/" + ver + (old ? "-production-performance.ttl" : "-operations-performance.ttl")};
    case Kind::kMasterRecipe: return {"batchml/v02-master-recipe.ttl"};
    case Kind::kNone: break;
  }
  return {};
}

Match detect(const std::string& path, std::string_view head, bool batchml) {
  if (path.ends_with(".xsd") || path.ends_with(".XSD")) return Match::kNo;  // schemas are not documents
  Kind k = kindOf(rootOf(head));
  if (k == Kind::kNone) return Match::kNo;
  bool isBatchml = k == Kind::kBatchRecord || k == Kind::kMasterRecipe;
  return isBatchml == batchml ? Match::kByContent : Match::kNo;
}

}  // namespace mes

namespace {

Connector make(bool batchml) {
  Connector c;
  c.name = batchml ? "batchml" : "b2mml";
  c.summary = batchml ? "ISA-88 BatchML: batch production records (B2MML V0401/V0600/V0700), V02 master recipes"
                      : "ISA-95 B2MML V0401/V0600/V0700: materials and lots, equipment, schedules, performance";
  c.detect = [batchml](const std::string& path, std::string_view head) { return mes::detect(path, head, batchml); };
  c.validate = [](const Document& doc, uint64_t* records) { return mes::validate(doc, records); };
  c.mappings = [](const Document& doc) { return mes::mappingsFor(mes::rootOf(mes::readHead(doc.path))); };
  return c;
}

}  // namespace

Connector b2mmlConnector() { return make(false); }
Connector batchmlConnector() { return make(true); }

}  // namespace weft::connectors
