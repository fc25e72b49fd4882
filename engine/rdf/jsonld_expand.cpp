// SPDX-License-Identifier: Apache-2.0
// JSON-LD 1.1 Expansion Algorithm (API 5.1.2) and Value Expansion (API 5.3.2).
// Framing-only branches (frameExpansion) are not implemented: this processor
// expands documents for conversion to RDF.
#include <algorithm>

#include "engine/rdf/internal/iri.h"
#include "engine/rdf/internal/jsonld_impl.h"

namespace weft::rdf::internal::jsonld {

namespace {

const std::string kGraphKw = "@graph";
const std::string kReverseKw = "@reverse";

Json asArray(Json v) {
  if (v.isArray()) return v;
  return Json::arrayOf(std::move(v));
}

// The items of `v` (v itself if it is not an array), by value so that a
// range-for over the result owns it.
Json::Array itemsOf(Json v) {
  if (v.isArray()) return std::move(v.arr());
  Json::Array a;
  a.push_back(std::move(v));
  return a;
}

// "add value" (API 1.2 / 5.1.2) with `as array` true, to an entry.
void addValueTo(Json& slot, Json value) {
  if (slot.isNull()) slot = Json::array();
  else if (!slot.isArray()) slot = Json::arrayOf(std::move(slot));
  if (value.isArray()) {
    for (Json& v : value.arr()) slot.push(std::move(v));
  } else {
    slot.push(std::move(value));
  }
}

void addValue(Json& object, const std::string& key, Json value) { addValueTo(object[key], std::move(value)); }

// Merges the collected properties into `result` (their keys are IRIs or
// blank node identifiers, never keywords, so no key is in both).
void mergeProperties(Json& result, std::unordered_map<std::string, Json>& properties) {
  if (properties.empty()) return;
  for (auto& [key, value] : properties) result.appendMember(key, std::move(value));
  result.sortMembers();
  properties.clear();
}

bool isValueObject(const Json& v) { return v.isObject() && v.has("@value"); }
bool isListObject(const Json& v) { return v.isObject() && v.has("@list"); }
bool isGraphObject(const Json& v) {
  if (!v.isObject() || !v.has("@graph")) return false;
  for (const auto& [k, _] : v.obj())
    if (k != "@graph" && k != "@id" && k != "@index" && k != "@context") return false;
  return true;
}
bool isNodeObject(const Json& v) {
  return v.isObject() && !v.has("@value") && !v.has("@list") && !v.has("@set");
}

}  // namespace

// API 5.3.2 Value Expansion.
Json Processor::expandValue(const Context& active, const std::string* ap, const Json& value) {
  const TermDef* def = ap ? active.term(*ap) : nullptr;
  // 1. / 2.
  if (def && def->type && value.isString()) {
    if (*def->type == "@id" || *def->type == "@vocab") {
      Json r = Json::object();
      OptString iri = expandIri(active, value.str(), true, *def->type == "@vocab");
      r["@id"] = iri ? Json(*iri) : Json();
      return r;
    }
  }
  // 3.
  Json result = Json::object();
  result["@value"] = value;
  // 4.
  if (def && def->type && *def->type != "@id" && *def->type != "@vocab" && *def->type != "@none") {
    result["@type"] = *def->type;
  } else if (value.isString()) {
    // 5.
    OptString language = def && def->has_language ? def->language : active.language;
    OptString direction = def && def->has_direction ? def->direction : active.direction;
    if (language) result["@language"] = *language;
    if (direction) result["@direction"] = *direction;
  }
  return result;
}

Json Processor::expandDocument(Json document) {
  CtxPtr active = initialContext();
  OptString base = opts_.base.empty() ? OptString() : OptString(opts_.base);
  if (!opts_.expand_context.empty()) {
    // API 9.4 expandContext: a context (or an object with @context) or an IRI.
    const std::string& ec = opts_.expand_context;
    size_t first = ec.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (ec[first] == '{' || ec[first] == '[')) {
      Result<Json> parsed = parseJson(ec, "expandContext");
      if (!parsed) fail("invalid local context", parsed.status().message());
      auto owned = std::make_shared<const Json>(std::move(parsed).value());
      keep_alive_.push_back(owned);  // term definitions point into it
      const Json* ctx = owned->find("@context");
      active = processContext(active, ctx ? *ctx : *owned, base);
    } else {
      active = processContext(active, Json(ec), base);
    }
  }
  consume_input_ = true;
  Json r = expand(active, nullptr, document, base, false, 0);
  consume_input_ = false;
  // Post-processing of the expand() API method (9.2 step 8 / 5.1.2 end).
  if (r.isObject() && r.size() == 1 && r.has("@graph")) r = std::move(*r.find("@graph"));
  if (r.isNull()) r = Json::array();
  return asArray(std::move(r));
}

// API 5.1.2 Expansion Algorithm. `ap` is the active property (nullptr: null).
Json Processor::expand(CtxPtr active, const std::string* ap, const Json& element,
                       const OptString& base_url, bool from_map, int depth) {
  if (depth > 4 * kMaxJsonDepth) fail("loading document failed", "nesting too deep");
  // 1.
  if (element.isNull()) return Json();
  // 3. A property-scoped context (kept alive with its context).
  const CtxPtr ap_ctx = active;
  const TermDef* ap_def = ap ? ap_ctx->term(*ap) : nullptr;
  const Json* property_scoped = ap_def ? ap_def->context : nullptr;
  // 4. Scalars.
  if (element.isScalar()) {
    if (!ap || *ap == "@graph") return Json();
    if (property_scoped) active = processContext(active, *property_scoped, ap_def->base_url);
    return expandValue(*active, ap, element);
  }
  // 5. Arrays.
  if (element.isArray()) {
    Json result = Json::array();
    bool list_container = ap_def && ap_def->hasContainer("@list");
    for (const Json& item : element.arr()) {
      Json e = expand(active, ap, item, base_url, from_map, depth + 1);
      if (list_container && e.isArray()) {
        Json l = Json::object();
        l["@list"] = std::move(e);
        e = std::move(l);
      }
      if (e.isArray()) {
        for (Json& x : e.arr()) result.push(std::move(x));
      } else if (!e.isNull()) {
        result.push(std::move(e));
      }
      // The document is owned by expandDocument() and nothing refers into an
      // item once it is expanded: release it now (see expandDocument()).
      if (consume_input_) const_cast<Json&>(item) = Json();
    }
    return result;
  }
  // 6. A map.
  // 7. Revert a non-propagated (type-scoped) context for new node objects.
  if (active->previous && !from_map) {
    bool keep = false;
    for (const auto& [k, v] : element.obj()) {
      (void)v;
      if (expandIri(*active, k, false, true) == OptString("@value")) keep = true;
    }
    if (element.size() == 1 &&
        expandIri(*active, element.obj().begin()->first, false, true) == OptString("@id"))
      keep = true;
    if (!keep) active = active->previous;
  }
  // 8.
  if (property_scoped) active = processContext(active, *property_scoped, ap_def->base_url, {}, true);
  // 9.
  if (const Json* ctx = element.find("@context")) active = processContext(active, *ctx, base_url);
  // 10.
  const CtxPtr type_scoped = active;
  // 11. Type-scoped contexts, in lexicographical order of the type terms.
  OptString input_type;
  bool input_type_seen = false;
  for (const auto& [key, value] : element.obj()) {
    if (expandIri(*active, key, false, true) != OptString("@type")) continue;
    std::vector<std::string> terms;
    if (value.isString()) terms.push_back(value.str());
    else if (value.isArray())
      for (const Json& t : value.arr())
        if (t.isString()) terms.push_back(t.str());
    std::vector<std::string> sorted = terms;
    std::sort(sorted.begin(), sorted.end());
    for (const std::string& t : sorted) {
      const TermDef* def = type_scoped->term(t);
      if (def && def->context)
        active = processContext(active, *def->context, def->base_url, {}, false, false);
    }
    // 12. Input type: last value of the first entry expanding to @type.
    if (!input_type_seen) {
      input_type_seen = true;
      if (!terms.empty()) input_type = expandIri(*active, terms.back(), false, true);
    }
  }
  // 12.-14.
  Json result = Json::object();
  PropertyMap properties;
  expandObjectEntries(active, type_scoped, ap, element, base_url, input_type, result, properties,
                      depth);
  mergeProperties(result, properties);
  // 15. Value objects.
  if (const Json* value = result.find("@value")) {
    for (const auto& [k, _] : result.obj()) {
      if (k != "@direction" && k != "@index" && k != "@language" && k != "@type" && k != "@value")
        fail("invalid value object", "unexpected entry " + k);
    }
    if (result.has("@type") && (result.has("@language") || result.has("@direction")))
      fail("invalid value object", "@type with @language or @direction");
    const Json* type = result.find("@type");
    if (type && type->isString() && type->str() == "@json") {
      // 15.2 JSON literal: any value.
    } else if (value->isNull() || (value->isArray() && value->size() == 0)) {
      return Json();  // 15.3
    } else if (!value->isString() && result.has("@language")) {
      fail("invalid language-tagged value");  // 15.4
    } else if (type && (!type->isString() || !rfc3986::isWellFormedAbsoluteIri(type->str()))) {
      fail("invalid typed value");  // 15.5
    }
  } else if (Json* type = result.find("@type")) {
    // 16.
    if (!type->isArray()) *type = Json::arrayOf(std::move(*type));
  } else if (result.has("@set") || result.has("@list")) {
    // 17.
    if (result.size() > 2 || (result.size() == 2 && !result.has("@index")))
      fail("invalid set or list object");
    if (result.has("@set")) {
      Json inner = std::move(*result.find("@set"));
      result = std::move(inner);
    }
  }
  // 18.
  if (result.isObject() && result.size() == 1 && result.has("@language")) return Json();
  // 19. Free-floating values at the top level or directly in @graph.
  if ((!ap || *ap == "@graph") && result.isObject()) {
    if (result.size() == 0 || result.has("@value") || result.has("@list")) return Json();
    if (result.size() == 1 && result.has("@id")) return Json();
  }
  return result;
}

// Steps 13 and 14 of the Expansion Algorithm for the entries of `element`
// (called again for each @nest value).
void Processor::expandObjectEntries(CtxPtr& active, const CtxPtr& type_scoped,
                                    const std::string* ap, const Json& element,
                                    const OptString& base_url, const OptString& input_type,
                                    Json& result, PropertyMap& properties, int depth) {
  std::vector<std::string> nests;
  for (const auto& [key, value] : element.obj()) {
    // 13.1
    if (key == "@context") continue;
    // 13.2 / 13.3
    OptString expanded_property = expandIri(*active, key, false, true);
    if (!expanded_property ||
        (expanded_property->find(':') == std::string::npos && !isKeyword(*expanded_property)))
      continue;
    const std::string& prop = *expanded_property;
    // 13.4 Keywords.
    if (isKeyword(prop)) {
      if (ap && *ap == "@reverse") fail("invalid reverse property map", key);  // 13.4.1
      if (result.has(prop) && (mode10() || (prop != "@included" && prop != "@type")))
        fail("colliding keywords", prop);  // 13.4.2
      Json expanded;
      if (prop == "@id") {
        // 13.4.3
        if (!value.isString()) fail("invalid @id value");
        // A keyword-like @id expands to null, which is kept: the node is then
        // not well-formed and produces no triples (expand test 0122).
        OptString iri = expandIri(*active, value.str(), true, false);
        result["@id"] = iri ? Json(*iri) : Json();
        continue;
      } else if (prop == "@type") {
        // 13.4.4
        bool ok = value.isString();
        if (value.isArray()) {
          ok = true;
          for (const Json& t : value.arr()) ok = ok && t.isString();
        }
        if (!ok) fail("invalid type value");
        if (value.isString()) {
          OptString iri = expandIri(*type_scoped, value.str(), true, true);
          if (iri) expanded = *iri;
        } else {
          expanded = Json::array();
          for (const Json& t : value.arr()) {
            OptString iri = expandIri(*type_scoped, t.str(), true, true);
            if (iri) expanded.push(*iri);
          }
        }
        // 13.4.4.5
        if (Json* existing = result.find("@type"); existing && !expanded.isNull()) {
          Json merged = asArray(std::move(*existing));
          for (Json& t : itemsOf(std::move(expanded))) merged.push(std::move(t));
          expanded = std::move(merged);
        }
      } else if (prop == "@graph") {
        // 13.4.5
        expanded = asArray(expand(active, &kGraphKw, value, base_url, false, depth + 1));
      } else if (prop == "@included") {
        // 13.4.6
        if (mode10()) continue;
        expanded = asArray(expand(active, nullptr, value, base_url, false, depth + 1));
        for (const Json& item : expanded.arr())
          if (!isNodeObject(item)) fail("invalid @included value");
        if (Json* existing = result.find("@included")) {
          Json merged = std::move(*existing);
          for (Json& t : expanded.arr()) merged.push(std::move(t));
          expanded = std::move(merged);
        }
      } else if (prop == "@value") {
        // 13.4.7
        if (input_type == OptString("@json")) {
          if (mode10()) fail("invalid value object value");
          expanded = value;
          result["@value"] = std::move(expanded);
          continue;
        }
        if (!value.isNull() && !value.isScalar()) fail("invalid value object value");
        result["@value"] = value;  // null is kept (13.4.7.4)
        continue;
      } else if (prop == "@language") {
        // 13.4.8
        if (!value.isString()) fail("invalid language-tagged string");
        expanded = value;
      } else if (prop == "@direction") {
        // 13.4.9
        if (mode10()) continue;
        if (!value.isString() || (value.str() != "ltr" && value.str() != "rtl"))
          fail("invalid base direction");
        expanded = value;
      } else if (prop == "@index") {
        // 13.4.10
        if (!value.isString()) fail("invalid @index value");
        expanded = value;
      } else if (prop == "@list") {
        // 13.4.11
        if (!ap || *ap == "@graph") continue;
        expanded = asArray(expand(active, ap, value, base_url, false, depth + 1));
      } else if (prop == "@set") {
        // 13.4.12
        expanded = expand(active, ap, value, base_url, false, depth + 1);
      } else if (prop == "@reverse") {
        // 13.4.13
        if (!value.isObject()) fail("invalid @reverse value");
        Json rev = expand(active, &kReverseKw, value, base_url, false, depth + 1);
        if (rev.isObject()) {
          if (Json* twice = rev.find("@reverse")) {
            for (auto& [p, items] : twice->obj()) addValueTo(properties[p], std::move(items));
          }
          bool other = false;
          for (const auto& [p, _] : rev.obj()) other = other || p != "@reverse";
          if (other) {
            Json& reverse_map = result["@reverse"];
            if (reverse_map.isNull()) reverse_map = Json::object();
            for (auto& [p, items] : rev.obj()) {
              if (p == "@reverse") continue;
              for (Json& item : itemsOf(std::move(items))) {
                if (isValueObject(item) || isListObject(item)) fail("invalid reverse property value");
                addValue(reverse_map, p, std::move(item));
              }
            }
          }
        }
        continue;
      } else if (prop == "@nest") {
        // 13.4.14
        nests.push_back(key);
        continue;
      } else {
        // Other keywords (@context handled above; @base, @vocab... are only
        // meaningful in contexts) are ignored here.
        continue;
      }
      // 13.4.16
      if (!expanded.isNull()) result[prop] = std::move(expanded);
      continue;
    }
    // 13.5
    const CtxPtr key_ctx = active;  // keeps `def` alive
    const TermDef* def = key_ctx->term(key);
    Json expanded;
    if (def && def->type == OptString("@json")) {
      // 13.6
      expanded = Json::object();
      expanded["@value"] = value;
      expanded["@type"] = "@json";
    } else if (def && def->hasContainer("@language") && value.isObject()) {
      // 13.7 Language maps.
      expanded = Json::array();
      OptString direction = def->has_direction ? def->direction : active->direction;
      for (const auto& [language, lv] : value.obj()) {
        Json items = asArray(lv);
        for (const Json& item : items.arr()) {
          if (item.isNull()) continue;
          if (!item.isString()) fail("invalid language map value");
          Json v = Json::object();
          v["@value"] = item;
          if (language != "@none" && expandIri(*active, language, false, true) != OptString("@none"))
            v["@language"] = language;
          if (direction) v["@direction"] = *direction;
          expanded.push(std::move(v));
        }
      }
    } else if (def && value.isObject() &&
               (def->hasContainer("@index") || def->hasContainer("@type") || def->hasContainer("@id"))) {
      // 13.8 Index, type and id maps.
      expanded = Json::array();
      std::string index_key = def->index ? *def->index : "@index";
      for (const auto& [index, iv] : value.obj()) {
        CtxPtr map_context = active;
        if (def->hasContainer("@id") || def->hasContainer("@type"))
          map_context = active->previous ? active->previous : active;  // 13.8.3.1
        const TermDef* idef = map_context->term(index);
        if (def->hasContainer("@type") && idef && idef->context) {
          map_context = processContext(map_context, *idef->context, idef->base_url);  // 13.8.3.2
        } else {
          map_context = active;  // 13.8.3.3
        }
        OptString expanded_index = expandIri(*active, index, false, true);
        bool none = expanded_index == OptString("@none");
        Json items = expand(map_context, &key, asArray(iv), base_url, true, depth + 1);
        for (Json& item : itemsOf(std::move(items))) {
          if (def->hasContainer("@graph") && !isGraphObject(item)) {
            Json g = Json::object();
            g["@graph"] = asArray(std::move(item));
            item = std::move(g);
          }
          if (def->hasContainer("@index") && index_key != "@index" && !none) {
            // 13.8.3.7.2 property-valued index
            Json re_expanded = expandValue(*active, &index_key, Json(index));
            OptString eik = expandIri(*active, index_key, false, true);
            if (!eik) fail("invalid term definition", "@index " + index_key);
            Json values = Json::arrayOf(std::move(re_expanded));
            if (Json* existing = item.find(*eik)) {
              for (Json& x : itemsOf(std::move(*existing))) values.push(std::move(x));
            }
            if (isValueObject(item)) fail("invalid value object", "property-valued index on a value");
            item[*eik] = std::move(values);
          } else if (def->hasContainer("@index") && !item.has("@index") && !none) {
            item["@index"] = index;
          } else if (def->hasContainer("@id") && !item.has("@id") && !none) {
            OptString id = expandIri(*active, index, true, false);
            if (id) item["@id"] = *id;
          } else if (def->hasContainer("@type") && !none) {
            Json types = Json::array();
            if (expanded_index) types.push(*expanded_index);
            if (Json* existing = item.find("@type")) {
              for (Json& x : itemsOf(std::move(*existing))) types.push(std::move(x));
            }
            item["@type"] = std::move(types);
          }
          expanded.push(std::move(item));
        }
      }
    } else {
      // 13.9
      expanded = expand(active, &key, value, base_url, false, depth + 1);
    }
    // 13.10
    if (expanded.isNull()) continue;
    // 13.11
    if (def && def->hasContainer("@list") && !isListObject(expanded)) {
      Json l = Json::object();
      l["@list"] = asArray(std::move(expanded));
      expanded = std::move(l);
    }
    // 13.12
    if (def && def->hasContainer("@graph") && !def->hasContainer("@id") && !def->hasContainer("@index")) {
      Json graphs = Json::array();
      for (Json& ev : itemsOf(std::move(expanded))) {
        Json g = Json::object();
        g["@graph"] = asArray(std::move(ev));
        graphs.push(std::move(g));
      }
      expanded = std::move(graphs);
    }
    if (def && def->reverse) {
      // 13.13
      Json& reverse_map = result["@reverse"];
      if (reverse_map.isNull()) reverse_map = Json::object();
      for (Json& item : itemsOf(std::move(expanded))) {
        if (isValueObject(item) || isListObject(item)) fail("invalid reverse property value");
        addValue(reverse_map, prop, std::move(item));
      }
    } else {
      // 13.14
      addValueTo(properties[prop], std::move(expanded));
    }
  }
  // 14. Nested properties.
  for (const std::string& nesting_key : nests) {
    Json nested_values = asArray(*element.find(nesting_key));
    for (const Json& nv : nested_values.arr()) {
      if (!nv.isObject()) fail("invalid @nest value");
      for (const auto& [k, _] : nv.obj())
        if (expandIri(*active, k, false, true) == OptString("@value")) fail("invalid @nest value");
      // 14.2.2 Steps 3, 8, 13 and 14 with the nesting key as active property:
      // its property-scoped context applies to the nested entries.
      CtxPtr nest_ctx = active;
      const TermDef* nest_def = active->term(nesting_key);
      if (nest_def && nest_def->context)
        nest_ctx = processContext(active, *nest_def->context, nest_def->base_url, {}, true);
      expandObjectEntries(nest_ctx, type_scoped, &nesting_key, nv, base_url, input_type, result,
                          properties, depth + 1);
    }
  }
}

}  // namespace weft::rdf::internal::jsonld
