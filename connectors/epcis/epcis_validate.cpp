// SPDX-License-Identifier: Apache-2.0
// Validation of GS1 EPCIS documents (JSON / JSON-LD with RapidJSON, XML with
// libxml2) before the epcis connectors write anything. See epcis_validate.h.
#include "connectors/epcis/epcis_validate.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

namespace weft::connectors::epcis {

namespace {

// CBV 2.0 business steps and dispositions, as declared in CBV.ttl
// (cbv:BizStep-* and cbv:Disp-* individuals).
constexpr std::string_view kBizSteps[] = {
    "accepting",       "arriving",         "assembling",   "collecting",   "commissioning",
    "consigning",      "creating_class_instance", "cycle_counting", "decommissioning", "departing",
    "destroying",      "disassembling",    "dispensing",   "encoding",     "entering_exiting",
    "holding",         "inspecting",       "installing",   "killing",      "loading",
    "other",           "packing",          "picking",      "receiving",    "removing",
    "repackaging",     "repairing",        "replacing",    "reserving",    "retail_selling",
    "sampling",        "sensor_reporting", "shipping",     "staging_outbound", "stock_taking",
    "stocking",        "storing",          "transporting", "unloading",    "unpacking",
    "void_shipping"};
constexpr std::string_view kDispositions[] = {
    "active",           "available",          "completeness_inferred", "completeness_verified",
    "conformant",       "container_closed",   "container_open",        "damaged",
    "destroyed",        "dispensed",          "disposed",              "encoded",
    "expired",          "in_progress",        "in_transit",            "inactive",
    "mismatch_class",   "mismatch_instance",  "mismatch_quantity",     "needs_replacement",
    "no_pedigree_match", "non_conformant",    "non_sellable_other",    "partially_dispensed",
    "recalled",         "reserved",           "retail_sold",           "returned",
    "sellable_accessible", "sellable_not_accessible", "stolen",        "unavailable",
    "unknown"};
constexpr std::string_view kSourceDestTypes[] = {"owning_party", "possessing_party", "location"};
constexpr std::string_view kBizTransactionTypes[] = {
    "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt"};
constexpr std::string_view kErrorReasons[] = {"did_not_occur", "incorrect_data"};

template <size_t N>
bool in(const std::string_view (&list)[N], std::string_view v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}
static_assert(std::size(kBizSteps) == 41 && std::size(kDispositions) == 33);

// One CBV vocabulary: its bare terms and the prefixes of its URN, Web URI
// and compact (cbv:) spellings.
struct Vocab {
  std::string_view what;  // "business step"
  std::string_view urn;   // "urn:epcglobal:cbv:bizstep:"
  std::string_view web;   // "BizStep-"
  bool (*has)(std::string_view);
};

bool hasBizStep(std::string_view v) { return in(kBizSteps, v); }
bool hasDisp(std::string_view v) { return in(kDispositions, v); }
bool hasSdt(std::string_view v) { return in(kSourceDestTypes, v); }
bool hasBtt(std::string_view v) { return in(kBizTransactionTypes, v); }
bool hasEr(std::string_view v) { return in(kErrorReasons, v); }

const Vocab kBizStepVocab{"a CBV 2.0 business step", "urn:epcglobal:cbv:bizstep:", "BizStep-", hasBizStep};
const Vocab kDispVocab{"a CBV 2.0 disposition", "urn:epcglobal:cbv:disp:", "Disp-", hasDisp};
const Vocab kSdtVocab{"a CBV source/destination type (owning_party, possessing_party, location)",
                      "urn:epcglobal:cbv:sdt:", "SDT-", hasSdt};
const Vocab kBttVocab{"a CBV business transaction type", "urn:epcglobal:cbv:btt:", "BTT-", hasBtt};
const Vocab kErVocab{"a CBV error reason (did_not_occur, incorrect_data)", "urn:epcglobal:cbv:er:", "ER-", hasEr};

// A URI has a scheme: letters, digits, + - . then ':'.
bool looksLikeUri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (unsigned char c : s)
    if (c <= ' ') return false;
  return colon + 1 < s.size();
}

// Empty when `v` is a value of the vocabulary (bare, URN, Web URI or cbv:
// CURIE) or another URI (a user vocabulary); else the reason.
std::string checkVocab(const Vocab& voc, std::string_view field, std::string_view v) {
  auto bad = [&] {
    return std::string(field) + " \"" + std::string(v) + "\" is not " + std::string(voc.what);
  };
  std::string web1 = "https://ref.gs1.org/cbv/" + std::string(voc.web);
  std::string web2 = "http://ref.gs1.org/cbv/" + std::string(voc.web);
  std::string curie = "cbv:" + std::string(voc.web);
  for (std::string_view p : {voc.urn, std::string_view(web1), std::string_view(web2), std::string_view(curie)}) {
    if (v.starts_with(p)) return voc.has(v.substr(p.size())) ? "" : bad();
  }
  if (v.find(':') == std::string_view::npos) {
    if (voc.has(v)) return "";
    return bad() + " (a value of another vocabulary must be a full URI)";
  }
  if (!looksLikeUri(v)) return bad() + " nor a URI";
  return "";
}

bool digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
int num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool isOffset(std::string_view s) {
  return s.size() == 6 && (s[0] == '+' || s[0] == '-') && digits(s, 1, 2) && s[3] == ':' && digits(s, 4, 2) &&
         num(s, 1, 2) <= 14 && num(s, 4, 2) < 60;
}

}  // namespace

bool isCbvBizStep(std::string_view bare) { return hasBizStep(bare); }
bool isCbvDisposition(std::string_view bare) { return hasDisp(bare); }

bool isDateTimeWithOffset(std::string_view s) {
  // YYYY-MM-DDThh:mm:ss(.f+)?(Z|+hh:mm)
  if (!digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) ||
      s[10] != 'T' || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2)) {
    return false;
  }
  int mo = num(s, 5, 2), d = num(s, 8, 2), h = num(s, 11, 2), mi = num(s, 14, 2), sec = num(s, 17, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60) return false;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1) return false;
    i = j;
  }
  std::string_view tz = s.substr(i);
  return tz == "Z" || isOffset(tz);
}

// ---------------------------------------------------------------- JSON

namespace {

using JVal = rapidjson::Value;

constexpr std::string_view kEventTypes[] = {"ObjectEvent", "AggregationEvent", "TransactionEvent",
                                            "TransformationEvent", "AssociationEvent"};

std::string jsonText(const JVal& v) {
  if (v.IsString()) {
    std::string s;
    s.reserve(v.GetStringLength() + 2);
    s.push_back('"');
    s.append(v.GetString(), v.GetStringLength());
    s.push_back('"');
    return s;
  }
  if (v.IsNumber()) return v.IsInt64() ? std::to_string(v.GetInt64()) : std::to_string(v.GetDouble());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsNull()) return "null";
  if (v.IsArray()) return "an array";
  return "an object";
}

std::string_view sv(const JVal& v) { return {v.GetString(), v.GetStringLength()}; }

// Fields an event of each type may carry (beyond namespaced extensions).
bool allowedField(std::string_view type, std::string_view f) {
  static constexpr std::string_view common[] = {"@context", "type", "eventTime", "recordTime", "eventTimeZoneOffset",
                                                "eventID", "certificationInfo", "errorDeclaration", "bizStep",
                                                "disposition", "readPoint", "bizLocation", "bizTransactionList",
                                                "sourceList", "destinationList", "sensorElementList"};
  for (auto c : common)
    if (f == c) return true;
  auto any = [&](std::initializer_list<std::string_view> l) { return std::find(l.begin(), l.end(), f) != l.end(); };
  if (type == "ObjectEvent") return any({"action", "epcList", "quantityList", "persistentDisposition", "ilmd"});
  if (type == "AggregationEvent" || type == "AssociationEvent")
    return any({"action", "parentID", "childEPCs", "childQuantityList"});
  if (type == "TransactionEvent") return any({"action", "parentID", "epcList", "quantityList"});
  if (type == "TransformationEvent")
    return any({"inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID",
                "persistentDisposition", "ilmd"});
  return false;
}

// A namespaced extension name: "prefix:local" or a full IRI.
bool namespaced(std::string_view k) {
  size_t c = k.find(':');
  return c != std::string_view::npos && c > 0 && c + 1 < k.size();
}

class JsonChecker {
 public:
  std::string err;  // first error, empty if none

  bool fail(std::string m) {
    if (err.empty()) err = std::move(m);
    return false;
  }

  bool isoTime(const std::string& at, const char* field, const JVal& v) {
    if (!v.IsString() || !isDateTimeWithOffset(sv(v))) {
      return fail(at + std::string(field) + " " + jsonText(v) +
                  " is not an xsd:dateTime with a time-zone offset (e.g. 2026-07-22T06:45:00+02:00)");
    }
    return true;
  }

  bool uri(const std::string& at, const std::string& field, const JVal& v) {
    if (!v.IsString() || !looksLikeUri(sv(v))) return fail(at + field + " " + jsonText(v) + " is not a URI");
    return true;
  }

  bool uriList(const std::string& at, const char* field, const JVal& v) {
    if (!v.IsArray()) return fail(at + field + " must be a list of identifiers, not " + jsonText(v));
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      if (!uri(at, std::string(field) + "[" + std::to_string(i + 1) + "]", v[i])) return false;
    return true;
  }

  bool vocab(const std::string& at, const Vocab& voc, const std::string& field, const JVal& v) {
    if (!v.IsString()) return fail(at + field + " must be a string, not " + jsonText(v));
    std::string r = checkVocab(voc, field, sv(v));
    return r.empty() ? true : fail(at + r);
  }

  bool quantityList(const std::string& at, const char* field, const JVal& v) {
    if (!v.IsArray()) return fail(at + field + " must be a list, not " + jsonText(v));
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string q = at + field + "[" + std::to_string(i + 1) + "]: ";
      const JVal& e = v[i];
      if (!e.IsObject()) return fail(q + "a quantity element must be an object, not " + jsonText(e));
      for (auto m = e.MemberBegin(); m != e.MemberEnd(); ++m) {
        std::string_view k = sv(m->name);
        if (k != "epcClass" && k != "quantity" && k != "uom")
          return fail(q + "unknown field \"" + std::string(k) + "\" (a quantity element has epcClass, quantity and uom)");
      }
      if (!e.HasMember("epcClass")) return fail(q + "epcClass is missing");
      if (!uri(q, "epcClass", e["epcClass"])) return false;
      if (e.HasMember("quantity") && !e["quantity"].IsNumber())
        return fail(q + "quantity " + jsonText(e["quantity"]) + " is not a number");
      if (e.HasMember("uom")) {
        const JVal& u = e["uom"];
        bool ok = u.IsString() && u.GetStringLength() >= 2 && u.GetStringLength() <= 3;
        for (char c : ok ? sv(u) : std::string_view()) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
        if (!ok) return fail(q + "uom " + jsonText(u) + " is not a UN/ECE Rec 20 code (2-3 capitals or digits, e.g. KGM)");
        if (!e.HasMember("quantity")) return fail(q + "uom without a quantity");
      }
    }
    return true;
  }

  bool sourceDest(const std::string& at, const char* field, const char* key, const JVal& v) {
    if (!v.IsArray()) return fail(at + field + " must be a list, not " + jsonText(v));
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string q = at + field + "[" + std::to_string(i + 1) + "]: ";
      const JVal& e = v[i];
      if (!e.IsObject()) return fail(q + "must be an object, not " + jsonText(e));
      if (!e.HasMember("type")) return fail(q + "type is missing");
      if (!vocab(q, kSdtVocab, "type", e["type"])) return false;
      if (!e.HasMember(key)) return fail(q + key + " is missing");
      if (!uri(q, key, e[key])) return false;
    }
    return true;
  }

  // The top-level names of an extension object (ilmd); values inside a
  // namespaced element are that element's own business.
  bool extensionObject(const std::string& at, const std::string& field, const JVal& v) {
    if (!v.IsObject()) return true;
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      std::string_view k = sv(m->name);
      if (k.empty() || k[0] == '@') continue;
      if (!namespaced(k)) {
        return fail(at + field + " field \"" + std::string(k) +
                    "\" has no namespace prefix (extension fields must be namespaced, e.g. \"example:" +
                    std::string(k) + "\")");
      }
    }
    return true;
  }

  bool sensorElements(const std::string& at, const JVal& v) {
    if (!v.IsArray()) return fail(at + "sensorElementList must be a list, not " + jsonText(v));
    static constexpr std::string_view numeric[] = {"value", "minValue", "maxValue", "meanValue", "sDev", "percRank",
                                                   "percValue"};
    static constexpr std::string_view report_fields[] = {
        "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules", "time",
        "microorganism", "chemicalSubstance", "coordinateReferenceSystem", "value", "component", "stringValue",
        "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
        "percValue", "uom"};
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string q = at + "sensorElementList[" + std::to_string(i + 1) + "]: ";
      const JVal& e = v[i];
      if (!e.IsObject()) return fail(q + "must be an object, not " + jsonText(e));
      if (e.HasMember("sensorMetadata")) {
        const JVal& md = e["sensorMetadata"];
        if (!md.IsObject()) return fail(q + "sensorMetadata must be an object");
        for (const char* t : {"time", "startTime", "endTime"})
          if (md.HasMember(t) && !isoTime(q + "sensorMetadata ", t, md[t])) return false;
      }
      if (!e.HasMember("sensorReport")) return fail(q + "sensorReport is missing");
      const JVal& reps = e["sensorReport"];
      if (!reps.IsArray()) return fail(q + "sensorReport must be a list");
      for (rapidjson::SizeType r = 0; r < reps.Size(); ++r) {
        std::string rq = q + "sensorReport[" + std::to_string(r + 1) + "]: ";
        const JVal& rep = reps[r];
        if (!rep.IsObject()) return fail(rq + "must be an object");
        // The schema requires a type; a report of an exception alone (ALARM /
        // ERROR_CONDITION) is accepted without one, as GS1's own samples do.
        if (!rep.HasMember("type") && !rep.HasMember("exception"))
          return fail(rq + "type is missing (a sensor report needs a measurement type or an exception)");
        if (rep.HasMember("type") && !rep["type"].IsString()) return fail(rq + "type must be a string");
        for (auto m = rep.MemberBegin(); m != rep.MemberEnd(); ++m) {
          std::string_view k = sv(m->name);
          bool known = std::find(std::begin(report_fields), std::end(report_fields), k) != std::end(report_fields);
          if (!known && !namespaced(k))
            return fail(rq + "unknown field \"" + std::string(k) + "\" (extension fields must be namespaced)");
        }
        for (auto n : numeric) {
          std::string name(n);
          if (rep.HasMember(name.c_str()) && !rep[name.c_str()].IsNumber())
            return fail(rq + name + " " + jsonText(rep[name.c_str()]) + " is not a number");
        }
        if (rep.HasMember("time") && !isoTime(rq, "time", rep["time"])) return false;
        if (rep.HasMember("booleanValue") && !rep["booleanValue"].IsBool())
          return fail(rq + "booleanValue is not true or false");
      }
    }
    return true;
  }

  bool event(size_t index, const JVal& e) {
    std::string at = "event " + std::to_string(index) + " ";
    if (!e.IsObject()) return fail(at + "is not a JSON object");
    if (!e.HasMember("type") || !e["type"].IsString()) return fail(at + "has no type");
    std::string_view type = sv(e["type"]);
    at += "(" + std::string(type) + "): ";
    if (std::find(std::begin(kEventTypes), std::end(kEventTypes), type) == std::end(kEventTypes)) {
      return fail("event " + std::to_string(index) + ": type \"" + std::string(type) +
                  "\" is not an EPCIS event type (ObjectEvent, AggregationEvent, TransactionEvent, "
                  "TransformationEvent, AssociationEvent)");
    }
    // Mandatory fields.
    if (!e.HasMember("eventTime")) return fail(at + "eventTime is missing");
    if (!isoTime(at, "eventTime", e["eventTime"])) return false;
    if (!e.HasMember("eventTimeZoneOffset")) return fail(at + "eventTimeZoneOffset is missing");
    const JVal& tz = e["eventTimeZoneOffset"];
    if (!tz.IsString() || !isOffset(sv(tz)))
      return fail(at + "eventTimeZoneOffset " + jsonText(tz) + " is not an offset like +02:00");
    bool transformation = type == "TransformationEvent";
    if (!transformation) {
      if (!e.HasMember("action")) return fail(at + "action is missing");
      const JVal& a = e["action"];
      if (!a.IsString() || (sv(a) != "ADD" && sv(a) != "OBSERVE" && sv(a) != "DELETE"))
        return fail(at + "action " + jsonText(a) + " is not ADD, OBSERVE or DELETE");
    }
    // Field names: the event type's own, or namespaced extensions.
    for (auto m = e.MemberBegin(); m != e.MemberEnd(); ++m) {
      std::string_view k = sv(m->name);
      if (!allowedField(type, k) && !namespaced(k)) {
        return fail(at + "field \"" + std::string(k) + "\" is not a field of an " + std::string(type) +
                    " and has no namespace prefix (extension fields must be namespaced, e.g. \"example:" +
                    std::string(k) + "\")");
      }
    }
    if (e.HasMember("recordTime") && !isoTime(at, "recordTime", e["recordTime"])) return false;
    if (e.HasMember("eventID") && !uri(at, "eventID", e["eventID"])) return false;
    if (e.HasMember("certificationInfo")) {
      const JVal& c = e["certificationInfo"];
      if (c.IsArray()) {
        for (rapidjson::SizeType i = 0; i < c.Size(); ++i)
          if (!c[i].IsString() || !looksLikeUri(sv(c[i])))
            return fail(at + "certificationInfo[" + std::to_string(i + 1) + "] is " + jsonText(c[i]) +
                        ", not a URI of a certificate");
      } else if (!c.IsString() || !looksLikeUri(sv(c))) {
        return fail(at + "certificationInfo is " + jsonText(c) + ", not a URI of a certificate");
      }
    }
    if (e.HasMember("bizStep") && !vocab(at, kBizStepVocab, "bizStep", e["bizStep"])) return false;
    if (e.HasMember("disposition") && !vocab(at, kDispVocab, "disposition", e["disposition"])) return false;
    if (e.HasMember("persistentDisposition")) {
      const JVal& p = e["persistentDisposition"];
      if (!p.IsObject()) return fail(at + "persistentDisposition must be an object with set / unset");
      for (const char* k : {"set", "unset"}) {
        if (!p.HasMember(k)) continue;
        if (!p[k].IsArray()) return fail(at + "persistentDisposition " + k + " must be a list");
        for (auto& d : p[k].GetArray())
          if (!vocab(at, kDispVocab, std::string("persistentDisposition ") + k, d)) return false;
      }
    }
    for (const char* k : {"readPoint", "bizLocation"}) {
      if (!e.HasMember(k)) continue;
      const JVal& r = e[k];
      if (!r.IsObject() || !r.HasMember("id")) return fail(at + k + " must be an object with an id");
      if (!uri(at, std::string(k) + " id", r["id"])) return false;
    }
    for (const char* k : {"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
      if (e.HasMember(k) && !uriList(at, k, e[k])) return false;
    for (const char* k : {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
      if (e.HasMember(k) && !quantityList(at, k, e[k])) return false;
    if (e.HasMember("parentID") && !uri(at, "parentID", e["parentID"])) return false;
    if (e.HasMember("bizTransactionList")) {
      const JVal& l = e["bizTransactionList"];
      if (!l.IsArray()) return fail(at + "bizTransactionList must be a list");
      for (rapidjson::SizeType i = 0; i < l.Size(); ++i) {
        std::string q = at + "bizTransactionList[" + std::to_string(i + 1) + "]: ";
        if (!l[i].IsObject() || !l[i].HasMember("bizTransaction")) return fail(q + "bizTransaction is missing");
        if (!uri(q, "bizTransaction", l[i]["bizTransaction"])) return false;
        if (l[i].HasMember("type") && !vocab(q, kBttVocab, "type", l[i]["type"])) return false;
      }
    }
    if (e.HasMember("sourceList") && !sourceDest(at, "sourceList", "source", e["sourceList"])) return false;
    if (e.HasMember("destinationList") && !sourceDest(at, "destinationList", "destination", e["destinationList"]))
      return false;
    if (e.HasMember("sensorElementList") && !sensorElements(at, e["sensorElementList"])) return false;
    if (e.HasMember("ilmd")) {
      if (!e["ilmd"].IsObject()) return fail(at + "ilmd must be an object");
      if (!extensionObject(at, "ilmd", e["ilmd"])) return false;
    }
    if (e.HasMember("errorDeclaration")) {
      const JVal& d = e["errorDeclaration"];
      if (!d.IsObject()) return fail(at + "errorDeclaration must be an object");
      if (!d.HasMember("declarationTime")) return fail(at + "errorDeclaration declarationTime is missing");
      if (!isoTime(at, "errorDeclaration declarationTime", d["declarationTime"])) return false;
      if (d.HasMember("reason") && !vocab(at, kErVocab, "errorDeclaration reason", d["reason"])) return false;
      if (d.HasMember("correctiveEventIDs") && !uriList(at, "errorDeclaration correctiveEventIDs", d["correctiveEventIDs"]))
        return false;
    }
    // What each type must identify.
    if (type == "ObjectEvent" && !e.HasMember("epcList") && !e.HasMember("quantityList"))
      return fail(at + "an ObjectEvent needs an epcList or a quantityList");
    if (type == "TransactionEvent" && !e.HasMember("bizTransactionList"))
      return fail(at + "a TransactionEvent needs a bizTransactionList");
    if (type == "AssociationEvent" && !e.HasMember("parentID")) return fail(at + "an AssociationEvent needs a parentID");
    if (type == "AggregationEvent" && !e.HasMember("parentID") && e.HasMember("action") && e["action"].IsString() &&
        sv(e["action"]) != "OBSERVE")
      return fail(at + "an AggregationEvent with action " + jsonText(e["action"]) + " needs a parentID");
    if (transformation && !e.HasMember("inputEPCList") && !e.HasMember("inputQuantityList") &&
        !e.HasMember("outputEPCList") && !e.HasMember("outputQuantityList"))
      return fail(at + "a TransformationEvent needs inputs or outputs");
    return true;
  }
};

bool parse(std::string_view text, rapidjson::Document* d) {
  // Iterative: a hostile document nested a million deep must not overflow the stack.
  d->Parse<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag>(text.data(), text.size());
  return !d->HasParseError();
}

constexpr size_t kMaxJsonNesting = 512;

// The deepest nesting of arrays and objects, walked with an explicit stack;
// stops counting past kMaxJsonNesting + 1.
size_t nestingDepth(const JVal& root) {
  std::vector<std::pair<const JVal*, size_t>> stack{{&root, 1}};
  size_t deepest = 0;
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->IsArray() && !v->IsObject()) continue;
    deepest = std::max(deepest, depth);
    if (depth > kMaxJsonNesting) return depth;
    if (v->IsArray()) {
      for (const JVal& c : v->GetArray()) stack.push_back({&c, depth + 1});
    } else {
      for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m) stack.push_back({&m->value, depth + 1});
    }
  }
  return deepest;
}

JsonKind classify(const rapidjson::Document& d) {
  if (!d.IsObject()) return JsonKind::kOther;
  if (d.HasMember("$schema") || d.HasMember("definitions")) return JsonKind::kSchema;
  if (d.HasMember("type") && d["type"].IsString()) {
    if (sv(d["type"]) == "EPCISDocument") return JsonKind::kEventDocument;
    if (sv(d["type"]) == "EPCISQueryDocument") return JsonKind::kQueryDocument;
  }
  for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
    std::string_view k = sv(m->name);
    if (k == "eventType" || k == "queryName" || k.starts_with("EQ_") || k.starts_with("GE_") || k.starts_with("LT_") ||
        k.starts_with("MATCH_"))
      return JsonKind::kQuery;
  }
  if (d.HasMember("@context") && d.MemberCount() == 1) return JsonKind::kContext;
  if (d.HasMember("epcisBody")) return JsonKind::kEventDocument;  // without its type: validate() says so
  return JsonKind::kOther;
}

}  // namespace

JsonKind classifyJson(std::string_view text) {
  rapidjson::Document d;
  if (!parse(text, &d)) return JsonKind::kNotJson;
  return classify(d);
}

Status validateJson(std::string_view text, uint64_t* events) {
  rapidjson::Document d;
  if (!parse(text, &d)) {
    return Status::invalidArgument("not valid JSON: " + std::string(rapidjson::GetParseError_En(d.GetParseError())) +
                                   " at byte " + std::to_string(d.GetErrorOffset()));
  }
  // EPCIS documents are shallow; a deeper one is refused here, before the
  // mapping's JSON source (whose value walks recurse) sees it.
  if (size_t depth = nestingDepth(d); depth > kMaxJsonNesting)
    return Status::invalidArgument("JSON nested " + std::to_string(depth) + " levels deep (at most " +
                                   std::to_string(kMaxJsonNesting) + ")");
  switch (classify(d)) {
    case JsonKind::kQuery:
      return Status::invalidArgument("an EPCIS query, not an event document (it has query parameters, no epcisBody)");
    case JsonKind::kSchema:
      return Status::invalidArgument("a JSON Schema, not an EPCIS document");
    case JsonKind::kContext:
      return Status::invalidArgument("a JSON-LD context, not an EPCIS document");
    case JsonKind::kOther:
    case JsonKind::kNotJson:
      return Status::invalidArgument("not an EPCIS document (no type EPCISDocument or EPCISQueryDocument)");
    default:
      break;
  }
  if (!d.HasMember("type"))
    return Status::invalidArgument("document: type is missing (expected EPCISDocument or EPCISQueryDocument)");
  if (!d.HasMember("@context"))
    return Status::invalidArgument("document: @context is missing (an EPCIS 2.0 JSON-LD document must give the EPCIS context, "
                                   "e.g. \"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\")");
  const JVal& ctx = d["@context"];
  if (!ctx.IsString() && !ctx.IsArray() && !ctx.IsObject())
    return Status::invalidArgument("document: @context must be a URL, an object or a list");
  if (d.HasMember("creationDate") && (!d["creationDate"].IsString() || !isDateTimeWithOffset(sv(d["creationDate"]))))
    return Status::invalidArgument("document: creationDate " + jsonText(d["creationDate"]) +
                                   " is not an xsd:dateTime with a time-zone offset");
  bool query = sv(d["type"]) == "EPCISQueryDocument";
  if (!d.HasMember("epcisBody") || !d["epcisBody"].IsObject()) return Status::invalidArgument("document: epcisBody is missing");
  const JVal* body = &d["epcisBody"];
  const JVal* list = nullptr;
  if (query) {
    if (!body->HasMember("queryResults") || !(*body)["queryResults"].IsObject())
      return Status::invalidArgument("document: epcisBody.queryResults is missing");
    const JVal& qr = (*body)["queryResults"];
    if (!qr.HasMember("resultsBody") || !qr["resultsBody"].IsObject() || !qr["resultsBody"].HasMember("eventList"))
      return Status::invalidArgument("document: epcisBody.queryResults.resultsBody.eventList is missing");
    list = &qr["resultsBody"]["eventList"];
  } else {
    if (!body->HasMember("eventList")) return Status::invalidArgument("document: epcisBody.eventList is missing");
    list = &(*body)["eventList"];
  }
  if (!list->IsArray()) return Status::invalidArgument("document: eventList must be a list");
  JsonChecker c;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
    if (!c.event(i + 1, (*list)[i])) return Status::invalidArgument(c.err);
  if (events) *events = list->Size();
  return Status::ok();
}

// ---------------------------------------------------------------- XML

namespace {

std::string_view localName(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string content(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

const xmlNode* child(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && localName(c) == name) return c;
  return nullptr;
}

bool isEventElement(std::string_view n) {
  return n == "ObjectEvent" || n == "AggregationEvent" || n == "TransactionEvent" || n == "TransformationEvent" ||
         n == "AssociationEvent" || n == "QuantityEvent";
}

// Event elements of an EventList: direct children, and EPCIS 1.x events
// wrapped in <extension> (TransformationEvent in 1.2).
void collectEvents(const xmlNode* list, std::vector<const xmlNode*>* out) {
  for (const xmlNode* c = list->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (isEventElement(localName(c))) out->push_back(c);
    else if (localName(c) == "extension") collectEvents(c, out);
  }
}

bool isDecimal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool dig = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') dig = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return dig;
}

std::string checkXmlEvent(size_t index, const xmlNode* e) {
  std::string type(localName(e));
  std::string at = "event " + std::to_string(index) + " (" + type + "): ";
  const xmlNode* t = child(e, "eventTime");
  if (!t) return at + "eventTime is missing";
  std::string v = content(t);
  if (!isDateTimeWithOffset(v)) return at + "eventTime \"" + v + "\" is not an xsd:dateTime with a time-zone offset";
  const xmlNode* tz = child(e, "eventTimeZoneOffset");
  if (!tz) return at + "eventTimeZoneOffset is missing";
  if (!isOffset(content(tz))) return at + "eventTimeZoneOffset \"" + content(tz) + "\" is not an offset like +02:00";
  if (const xmlNode* r = child(e, "recordTime"); r && !isDateTimeWithOffset(content(r)))
    return at + "recordTime \"" + content(r) + "\" is not an xsd:dateTime with a time-zone offset";
  if (type != "TransformationEvent") {
    const xmlNode* a = child(e, "action");
    if (!a) return at + "action is missing";
    std::string av = content(a);
    if (av != "ADD" && av != "OBSERVE" && av != "DELETE") return at + "action \"" + av + "\" is not ADD, OBSERVE or DELETE";
  }
  if (const xmlNode* b = child(e, "bizStep")) {
    std::string r = checkVocab(kBizStepVocab, "bizStep", content(b));
    if (!r.empty()) return at + r;
  }
  if (const xmlNode* d = child(e, "disposition")) {
    std::string r = checkVocab(kDispVocab, "disposition", content(d));
    if (!r.empty()) return at + r;
  }
  // Quantity elements anywhere in the event (2.0: directly; 1.2: in <extension>).
  std::vector<const xmlNode*> stack{e};
  while (!stack.empty()) {
    const xmlNode* n = stack.back();
    stack.pop_back();
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (localName(c) == "quantityElement") {
        const xmlNode* q = child(c, "quantity");
        if (!child(c, "epcClass")) return at + "a quantityElement has no epcClass";
        if (q && !isDecimal(content(q))) return at + "quantity \"" + content(q) + "\" is not a number";
      } else if (localName(c) == "ilmd" || localName(c) == "sensorElementList") {
        continue;
      } else {
        stack.push_back(c);
      }
    }
  }
  if (type == "ObjectEvent" && !child(e, "epcList") && !child(e, "quantityList")) {
    const xmlNode* ext = child(e, "extension");
    if (!ext || !child(ext, "quantityList")) return at + "an ObjectEvent needs an epcList or a quantityList";
  }
  if (type == "TransactionEvent" && !child(e, "bizTransactionList")) return at + "a TransactionEvent needs a bizTransactionList";
  return "";
}

}  // namespace

Status validateXml(std::string_view text, uint64_t* events) {
  // libxml2 takes the length as an int.
  if (text.size() > static_cast<size_t>(INT_MAX))
    return Status::invalidArgument("too large for an XML document (over 2 GiB)");
  xmlResetLastError();  // so that the error below is this document's, not an earlier one's
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "document.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    std::string why = e && e->message ? e->message : "unknown error";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Status::invalidArgument("not well-formed XML" + (e ? " (line " + std::to_string(e->line) + ")" : "") + ": " + why);
  }
  struct Free {
    xmlDocPtr d;
    ~Free() { xmlFreeDoc(d); }
  } guard{doc};
  const xmlNode* root = xmlDocGetRootElement(doc);
  std::string_view rn = root ? localName(root) : "";
  if (rn == "EPCISQueryDocument" || rn == "EPCISDocument") {
  } else {
    return Status::invalidArgument("the root element is <" + std::string(rn) +
                                   ">, not an EPCISDocument or EPCISQueryDocument");
  }
  const xmlNode* body = child(root, "EPCISBody");
  if (!body) return Status::invalidArgument("document: EPCISBody is missing");
  const xmlNode* list = nullptr;
  if (rn == "EPCISDocument") {
    list = child(body, "EventList");
  } else {
    const xmlNode* qr = nullptr;
    for (const xmlNode* c = body->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && localName(c) == "QueryResults") qr = c;
    const xmlNode* rb = child(qr, "resultsBody");
    list = child(rb, "EventList");
  }
  if (!list) return Status::invalidArgument("document: EPCISBody has no EventList");
  std::vector<const xmlNode*> evs;
  collectEvents(list, &evs);
  for (size_t i = 0; i < evs.size(); ++i) {
    std::string r = checkXmlEvent(i + 1, evs[i]);
    if (!r.empty()) return Status::invalidArgument(r);
  }
  if (events) *events = evs.size();
  return Status::ok();
}

}  // namespace weft::connectors::epcis
