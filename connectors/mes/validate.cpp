// SPDX-License-Identifier: Apache-2.0
// Checking a B2MML / BatchML document before it is mapped (mes.h): the whole
// file must parse with libxml2 (no network, no external entities or DTDs),
// its root must be one the connector maps, and every record must carry what
// the mappings build IRIs and typed literals from: IDs of lots, materials,
// equipment, requests, responses and segments; xsd:dateTime times; decimal
// quantities; GTINs with a valid check digit and lots a GS1 Digital Link can
// carry. A refused document names the file, the element path with the
// record's ID, and the reason; nothing of it is written.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "connectors/internal/files.h"
#include "connectors/mes/mes.h"

namespace weft::connectors::mes {
namespace {

std::string_view nameOf(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

bool isElement(const xmlNode* n, std::string_view ns) {
  if (n == nullptr || n->type != XML_ELEMENT_NODE) return false;
  std::string_view href = n->ns != nullptr && n->ns->href != nullptr ? reinterpret_cast<const char*>(n->ns->href) : "";
  return href == ns;
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string textOf(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c != nullptr ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

// Walks one document, checking each element by its local name.
class Checker {
 public:
  Checker(const Document& doc, std::string ns, Kind kind) : doc_(doc), ns_(std::move(ns)), kind_(kind) {}

  Status run(const xmlNode* root, uint64_t* records) {
    Status st = walk(root, "/" + std::string(nameOf(root)));
    if (records != nullptr) *records = records_;
    return st;
  }

 private:
  const xmlNode* child(const xmlNode* n, std::string_view name) const {
    for (const xmlNode* c = n != nullptr ? n->children : nullptr; c != nullptr; c = c->next)
      if (isElement(c, ns_) && nameOf(c) == name) return c;
    return nullptr;
  }
  std::string childText(const xmlNode* n, std::string_view name) const {
    const xmlNode* c = child(n, name);
    return c != nullptr ? trim(textOf(c)) : std::string();
  }
  // The ValueString of the property named `id` among n's children `propName`.
  const xmlNode* property(const xmlNode* n, std::string_view propName, std::string_view id) const {
    for (const xmlNode* c = n->children; c != nullptr; c = c->next)
      if (isElement(c, ns_) && nameOf(c) == propName && childText(c, "ID") == id)
        if (const xmlNode* v = child(c, "Value")) return child(v, "ValueString");
    return nullptr;
  }

  Status fail(const std::string& path, const xmlNode* n, const std::string& why) const {
    std::string id = n != nullptr ? childText(n, "ID") : "";
    return Status::invalidArgument(doc_.name + ": " + path + (id.empty() ? "" : " (ID '" + id + "')") +
                                   " (line " + std::to_string(n != nullptr ? xmlGetLineNo(n) : 0) + "): " + why);
  }

  Status need(const std::string& path, const xmlNode* n, std::string_view name, const std::string& what) const {
    if (!childText(n, name).empty()) return Status::ok();
    return fail(path, n, "no " + std::string(name) + " (" + what + ")");
  }

  // The lexical checks are written out rather than std::regex: libstdc++'s
  // matcher recurses once per character, so a long value in a hostile
  // document would overflow the stack.
  static bool isDateTime(std::string_view s) {  // -?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
    size_t i = s.starts_with('-') ? 1 : 0;
    if (!date(s, &i) || !lit(s, &i, 'T') || !digits(s, &i, 2) || !lit(s, &i, ':') || !digits(s, &i, 2) ||
        !lit(s, &i, ':') || !digits(s, &i, 2))
      return false;
    if (lit(s, &i, '.') && digitRun(s, &i) == 0) return false;
    if (i == s.size()) return true;
    if (lit(s, &i, 'Z')) return i == s.size();
    if (!lit(s, &i, '+') && !lit(s, &i, '-')) return false;
    return digits(s, &i, 2) && lit(s, &i, ':') && digits(s, &i, 2) && i == s.size();
  }
  static bool startsWithDate(std::string_view s) {  // YYYY-MM-DD, then nothing or [T ] and one line
    size_t i = 0;
    if (!date(s, &i)) return false;
    if (i == s.size()) return true;
    return (s[i] == 'T' || s[i] == ' ') && s.find_first_of("\r\n", i) == std::string_view::npos;
  }
  static bool isDecimal(std::string_view s) {  // [+-]?(\d+(\.\d*)?|\.\d+)
    size_t i = 0;
    if (!lit(s, &i, '+')) lit(s, &i, '-');
    if (lit(s, &i, '.')) return digitRun(s, &i) > 0 && i == s.size();
    if (digitRun(s, &i) == 0) return false;
    if (lit(s, &i, '.')) digitRun(s, &i);
    return i == s.size();
  }
  static bool isInteger(std::string_view s) {  // [+-]?\d+
    size_t i = 0;
    if (!lit(s, &i, '+')) lit(s, &i, '-');
    return digitRun(s, &i) > 0 && i == s.size();
  }
  // Cursor steps for the checks above: each advances *i past what it matched.
  static bool lit(std::string_view s, size_t* i, char c) {
    if (*i >= s.size() || s[*i] != c) return false;
    ++*i;
    return true;
  }
  static size_t digitRun(std::string_view s, size_t* i) {
    const size_t from = *i;
    while (*i < s.size() && s[*i] >= '0' && s[*i] <= '9') ++*i;
    return *i - from;
  }
  static bool digits(std::string_view s, size_t* i, size_t n) {
    for (size_t k = 0; k < n; ++k, ++*i)
      if (*i >= s.size() || s[*i] < '0' || s[*i] > '9') return false;
    return true;
  }
  static bool date(std::string_view s, size_t* i) {  // YYYY-MM-DD
    return digits(s, i, 4) && lit(s, i, '-') && digits(s, i, 2) && lit(s, i, '-') && digits(s, i, 2);
  }
  static bool gtinValid(const std::string& g) {
    if (g.size() != 8 && g.size() != 12 && g.size() != 13 && g.size() != 14) return false;
    int sum = 0;
    for (size_t i = 0; i < g.size(); ++i) {
      if (g[i] < '0' || g[i] > '9') return false;
      if (i + 1 == g.size()) break;
      int w = ((g.size() - 1 - i) % 2 == 1) ? 3 : 1;
      sum += (g[i] - '0') * w;
    }
    return (10 - sum % 10) % 10 == g.back() - '0';
  }
  // GS1 AI encodable character set 82, 1-20 characters (a lot in a Digital Link).
  static bool gs1Lot(const std::string& lot) {
    if (lot.empty() || lot.size() > 20) return false;
    for (char c : lot) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
      if (!ok) return false;
    }
    return true;
  }

  Status checkGtin(const std::string& path, const xmlNode* n, const xmlNode* gtin, const std::string& lot) const {
    if (gtin == nullptr) return Status::ok();
    std::string g = trim(textOf(gtin));
    if (!gtinValid(g)) return fail(path, n, "GTIN '" + g + "' is not a GTIN-8/12/13/14 with a valid check digit");
    if (!lot.empty() && !gs1Lot(lot))
      return fail(path, n, "lot '" + lot + "' cannot go in a GS1 Digital Link (1-20 characters of GS1 set 82)");
    return Status::ok();
  }

  // Checks of the element `n` itself, by its local name.
  Status check(const xmlNode* n, const std::string& path) {
    std::string_view name = nameOf(n);
    const xmlNode* parent = n->parent;
    std::string_view parentName = parent != nullptr && parent->type == XML_ELEMENT_NODE ? nameOf(parent) : "";
    Status st;
    // Values the mappings type, wherever they occur.
    if (name == "StartTime" || name == "EndTime" || name == "ActualStartTime" || name == "ActualEndTime" ||
        name == "CompletionTime") {
      std::string t = trim(textOf(n));
      if (!t.empty() && !isDateTime(t)) return fail(path, n, "'" + t + "' is not an xsd:dateTime");
      return Status::ok();
    }
    if (name == "EvaluationDate" || name == "MeasurementDate" || (name == "TimeStamp" && parentName != "Header")) {
      std::string t = trim(textOf(n));
      if (!t.empty() && !startsWithDate(t)) return fail(path, n, "'" + t + "' does not start with a date");
      return Status::ok();
    }
    if (name == "QuantityString") {
      std::string t = textOf(n);
      if (!trim(t).empty() && !isDecimal(t)) return fail(path, n, "quantity '" + t + "' is not a decimal number");
      return Status::ok();
    }
    if (name == "MaterialDefinitionProperty" || name == "MaterialLotProperty") {
      std::string id = childText(n, "ID");
      const xmlNode* v = child(child(n, "Value"), "ValueString");
      std::string t = v != nullptr ? trim(textOf(v)) : "";
      if (t.empty()) return Status::ok();
      if ((id == "ExpiryDate" || id == "ManufactureDate" || id == "ProductionDate") && !startsWithDate(t))
        return fail(path, n, "'" + t + "' does not start with a date");
      if (id == "SupplierGLN" && (t.size() != 13 || !gtinValid(t)))
        return fail(path, n, "SupplierGLN '" + t + "' is not a GLN (13 digits with a valid check digit)");
      if (id == "ShelfLifeDays" && !isInteger(t)) return fail(path, n, "'" + t + "' is not a whole number of days");
      if ((id == "StorageMinCelsius" || id == "StorageMaxCelsius" || id == "LowerLimit" || id == "UpperLimit") &&
          !isDecimal(t))
        return fail(path, n, "'" + t + "' is not a decimal number");
      return Status::ok();
    }
    switch (kind_) {
      case Kind::kMaterial:
        if (name == "MaterialDefinition") {
          ++records_;
          if (!(st = need(path, n, "ID", "the material's key"))) return st;
          return checkGtin(path, n, property(n, "MaterialDefinitionProperty", "GTIN"), "");
        }
        if (name == "MaterialLot") {
          ++records_;
          if (!(st = need(path, n, "ID", "the lot number"))) return st;
          bool material = !childText(n, "MaterialDefinitionID").empty() ||
                          (parentName == "MaterialInformation" && !childText(parent, "ID").empty());
          if (!material)
            return fail(path, n, "the lot names no material (no MaterialDefinitionID, and not in a MaterialInformation "
                                 "with an ID)");
          return checkGtin(path, n, property(n, "MaterialLotProperty", "GTIN"), childText(n, "ID"));
        }
        if (name == "MaterialSubLot") {
          ++records_;
          return need(path, n, "ID", "the sub-lot's key");
        }
        if (name == "PropertyMeasurement" && parentName == "TestResult") {
          ++records_;
          if (childText(parent, "ID").empty()) return fail(path, n, "its TestResult has no ID (the sample id)");
          return need(path, n, "ID", "the characteristic tested");
        }
        return Status::ok();
      case Kind::kEquipment:
        if (name == "Equipment") {
          ++records_;
          return need(path, n, "ID", "the equipment's key");
        }
        return Status::ok();
      case Kind::kSchedule:
        if (name == "ProductionRequest" || name == "OperationsRequest") {
          ++records_;
          if (!(st = need(path, n, "ID", "the order number"))) return st;
        }
        if (name == "MaterialRequirement")
          return checkGtin(path, n, property(n, "MaterialRequirementProperty", "GTIN"), "");
        return Status::ok();
      case Kind::kPerformance:
      case Kind::kBatchRecord:
        if (name == "ProductionResponse" || name == "OperationsResponse") {
          ++records_;
          return need(path, n, "ID", "the batch id");
        }
        if (name == "SegmentResponse") {
          ++records_;
          return need(path, n, "ID", "the phase's key");
        }
        if (name == "MaterialActual") {
          ++records_;
          std::string lot = childText(n, "MaterialLotID");
          const xmlNode* gtin = property(n, "MaterialActualProperty", "GTIN");
          if (!lot.empty() && gtin == nullptr && childText(n, "MaterialDefinitionID").empty())
            return fail(path, n, "lot '" + lot + "' has neither a MaterialDefinitionID nor a GTIN property");
          return checkGtin(path, n, gtin, lot);
        }
        if (name == "BatchProductionRecord") {
          ++records_;
          bool batch = !childText(n, "BatchID").empty();
          for (const xmlNode* ecr = child(child(n, "ExecutedControlRecipes"), "ExecutedControlRecipe"); ecr != nullptr;
               ecr = ecr->next)
            if (isElement(ecr, ns_) && !childText(ecr, "BatchID").empty()) batch = true;
          if (!batch) return fail(path, n, "no BatchID (neither the record's nor an ExecutedControlRecipe's)");
          if (!childText(n, "LotID").empty() && childText(n, "MaterialDefinitionID").empty())
            return fail(path, n, "LotID '" + childText(n, "LotID") + "' without a MaterialDefinitionID");
          return Status::ok();
        }
        if (name == "RuntimeRecipeElement") {
          ++records_;
          return need(path, n, "ID", "the phase's key");
        }
        if (name == "SampleTestResult") {
          ++records_;
          const xmlNode* sample = parent != nullptr ? parent->parent : nullptr;
          if (sample != nullptr && childText(sample, "ID").empty() && childText(sample, "EntryID").empty())
            return fail(path, n, "its Sample has neither an ID nor an EntryID");
          if (childText(parent, "TestName").empty() && childText(parent, "TestCode").empty())
            return fail(path, n, "its SampleTest has neither a TestName nor a TestCode");
        }
        return Status::ok();
      case Kind::kMasterRecipe:
        if (name == "MasterRecipe") {
          ++records_;
          return need(path, n, "ID", "the recipe's key");
        }
        if (name == "RecipeElement") ++records_;
        return Status::ok();
      case Kind::kNone:
        break;
    }
    return Status::ok();
  }

  // `path` is n's element path ("/Root/List/Lot[2]": a position among
  // same-named siblings when there are several).
  Status walk(const xmlNode* n, const std::string& path) {
    if (isElement(n, ns_)) {
      if (Status st = check(n, path); !st) return st;
    }
    // Count the children by name first: one pass, not a pass over all the
    // siblings per child (quadratic for a list of many thousand records).
    std::unordered_map<std::string_view, int> total, seen;
    for (const xmlNode* c = n->children; c != nullptr; c = c->next)
      if (c->type == XML_ELEMENT_NODE) ++total[nameOf(c)];
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string child = path;
      child += '/';
      child += nameOf(c);
      const int index = ++seen[nameOf(c)];
      if (total[nameOf(c)] > 1) {
        child += '[';
        child += std::to_string(index);
        child += ']';
      }
      if (Status st = walk(c, child); !st) return st;
    }
    return Status::ok();
  }

  const Document& doc_;
  std::string ns_;
  Kind kind_;
  uint64_t records_ = 0;
};

#if LIBXML_VERSION >= 21200
using XmlErrorArg = const xmlError*;
#else
using XmlErrorArg = xmlErrorPtr;
#endif

// The first error libxml2 reports while parsing (its last one is often only
// "Premature end of data" after the real mistake).
struct FirstError {
  bool set = false;
  int line = 0;
  std::string message;
};

void onError(void* ctx, XmlErrorArg err) {
  auto* first = static_cast<FirstError*>(ctx);
  if (first->set || err == nullptr || err->level < XML_ERR_ERROR) return;
  first->set = true;
  first->line = err->line;
  first->message = err->message != nullptr ? trim(err->message) : "does not parse";
}

void onGenericError(void* /*unused*/, const char* /*fmt*/, ...) {}

}  // namespace

Status validate(const Document& doc, uint64_t* records) {
  auto read = internal::readAll(doc.path, doc.name);
  if (!read) return read.status();
  const std::string& bytes = read.value();
  if (bytes.size() > static_cast<size_t>(INT32_MAX))
    return Status::invalidArgument(doc.name + ": too large for an XML document (over 2 GiB)");

  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == nullptr) return Status::internal(doc.name + ": cannot make an XML parser");
  // libxml2's error channels are per thread: route them here and restore them after.
  FirstError first;
  xmlStructuredErrorFunc prevStructured = xmlStructuredError;
  void* prevStructuredCtx = xmlStructuredErrorContext;
  xmlGenericErrorFunc prevGeneric = xmlGenericError;
  void* prevGenericCtx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc(&first, &onError);
  xmlSetGenericErrorFunc(nullptr, &onGenericError);
  xmlDocPtr xml = xmlCtxtReadMemory(ctxt, bytes.data(), static_cast<int>(bytes.size()), doc.name.c_str(), nullptr,
                                    XML_PARSE_NONET | XML_PARSE_NOWARNING);
  bool wellFormed = xml != nullptr && ctxt->wellFormed != 0 && !first.set;
  xmlSetStructuredErrorFunc(prevStructuredCtx, prevStructured);
  xmlSetGenericErrorFunc(prevGenericCtx, prevGeneric);
  xmlFreeParserCtxt(ctxt);
  if (!wellFormed) {
    if (xml != nullptr) xmlFreeDoc(xml);
    return Status::syntaxError(doc.name + ": line " + std::to_string(first.line) + ": not well-formed XML: " +
                               (first.set ? first.message : std::string("does not parse")));
  }

  const xmlNode* root = xmlDocGetRootElement(xml);
  Root r;
  if (root != nullptr) {
    r.local = reinterpret_cast<const char*>(root->name);
    if (root->ns != nullptr && root->ns->href != nullptr) r.ns = reinterpret_cast<const char*>(root->ns->href);
  }
  Kind kind = kindOf(r);
  Status st;
  if (kind == Kind::kNone) {
    st = Status::invalidArgument(doc.name + ": root element <" + r.local + "> in namespace '" + r.ns +
                                 "' is not a B2MML / BatchML document this connector maps");
  } else {
    Checker checker(doc, r.ns, kind);
    st = checker.run(root, records);
  }
  xmlFreeDoc(xml);
  return st;
}

}  // namespace weft::connectors::mes
