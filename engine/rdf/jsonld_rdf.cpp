// SPDX-License-Identifier: Apache-2.0
// JSON-LD to RDF: Node Map Generation (API 7.2.2), Deserialize JSON-LD to RDF
// (API 8.1.2), Object to RDF Conversion (8.1.3) and List Conversion (8.1.4),
// and the entry points readJsonLd(), jsonLdExpand(), jsonLdToRdf().
#include <pthread.h>

#include <cmath>
#include <new>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/rdf/internal/iri.h"
#include "engine/rdf/internal/jsonld_impl.h"

namespace weft::rdf::internal {

namespace jsonld {
namespace {

const std::string kRdfFirst = std::string(kRdf) + "first";
const std::string kRdfRest = std::string(kRdf) + "rest";
const std::string kRdfNil = std::string(kRdf) + "nil";
const std::string kRdfTypeIri = std::string(kRdf) + "type";
const std::string kRdfValue = std::string(kRdf) + "value";
const std::string kRdfLanguage = std::string(kRdf) + "language";
const std::string kRdfDirection = std::string(kRdf) + "direction";
const std::string kRdfJson = std::string(kRdf) + "JSON";
const std::string kXsdBoolean = std::string(kXsd) + "boolean";
const std::string kXsdDouble = std::string(kXsd) + "double";
const std::string kXsdInteger = std::string(kXsd) + "integer";
const std::string kI18n = "https://www.w3.org/ns/i18n#";

// API 7.1 Generate Blank Node Identifier: document labels map to fresh
// labels "_:b<n>"; null asks for a new one.
class BlankNodes {
 public:
  std::string generate(const std::string* identifier) {
    if (identifier) {
      auto it = map_.find(*identifier);
      if (it != map_.end()) return it->second;
    }
    std::string id = "_:b" + std::to_string(counter_++);
    if (identifier) map_.emplace(*identifier, id);
    return id;
  }

 private:
  std::unordered_map<std::string, std::string> map_;
  uint64_t counter_ = 0;
};

// The node map: graph name -> subject -> node, a node being property ->
// array of items ("@type" and "@index" included; the id is the key). Subjects
// and properties are unordered (the RDF output does not depend on their
// order) and hashed, so wide nodes cost no more than narrow ones. References
// to nodes and their entries stay valid while the map grows.
class NodeMapBuilder {
 public:
  explicit NodeMapBuilder(BlankNodes& blanks) : blanks_(blanks) { graphs["@default"]; }

  using Node = std::unordered_map<std::string, Json>;
  using Graph = std::unordered_map<std::string, Node>;
  std::map<std::string, Graph> graphs;

  // API 7.2.2. `active_subject`: nullptr (null), a string (subject id) or an
  // object (the referenced node of a reverse property). `list`: a list object
  // whose @list receives the items, or nullptr.
  void generate(Json& element, const std::string& active_graph, const Json* active_subject,
                const std::string* active_property, Json* list) {
    // 1.
    if (element.isArray()) {
      for (Json& item : element.arr()) {
        generate(item, active_graph, active_subject, active_property, list);
        item = Json();  // processed: release what was not moved into the map
      }
      return;
    }
    if (!element.isObject()) return;  // cannot happen for expanded input
    // 2.
    auto& graph = graphs[active_graph];
    Node* subject_node = nullptr;
    const std::string* subject_id = nullptr;
    if (active_subject && active_subject->isString()) {
      subject_id = &active_subject->str();
      subject_node = &graph[*subject_id];
    }
    // 3.
    if (Json* types = element.find("@type")) {
      if (types->isArray()) {
        for (Json& t : types->arr())
          if (t.isString() && isBlankNodeId(t.str())) t = blanks_.generate(&t.str());
      } else if (types->isString() && isBlankNodeId(types->str())) {
        *types = blanks_.generate(&types->str());
      }
    }
    if ((element.has("@value") || element.has("@list")) && !list && !subject_node) return;
    // 4. Value objects.
    if (element.has("@value")) {
      if (!list) addUnique(active_graph, *subject_id, *subject_node, *active_property, std::move(element));
      else list->find("@list")->push(std::move(element));
      return;
    }
    // 5. List objects.
    if (Json* items = element.find("@list")) {
      Json result = Json::object();
      result["@list"] = Json::array();
      generate(*items, active_graph, active_subject, active_property, &result);
      if (!list) {
        Json& slot = (*subject_node)[*active_property];
        if (!slot.isArray()) slot = Json::array();
        slot.push(std::move(result));
      } else {
        list->find("@list")->push(std::move(result));
      }
      return;
    }
    // 6. Node objects.
    std::string id;
    if (Json* idv = element.find("@id")) {  // 6.1
      id = idv->isString() ? idv->str() : std::string();
      if (isBlankNodeId(id)) id = blanks_.generate(&id);
      element.erase("@id");
    } else {
      id = blanks_.generate(nullptr);  // 6.2
    }
    // 6.3 / 6.4
    Node& node = graph[id];
    if (active_subject && active_subject->isObject()) {
      // 6.5 reverse relationship: node -> active subject
      addUnique(active_graph, id, node, *active_property, Json(*active_subject));
    } else if (active_property) {
      // 6.6
      Json reference = Json::object();
      reference["@id"] = id;
      if (!list) addUnique(active_graph, *subject_id, *subject_node, *active_property, std::move(reference));
      else list->find("@list")->push(std::move(reference));
    }
    // 6.7
    if (Json* types = element.find("@type")) {
      Json type_list = types->isArray() ? std::move(*types) : Json::arrayOf(std::move(*types));
      element.erase("@type");
      for (Json& t : type_list.arr()) addUnique(active_graph, id, node, "@type", std::move(t));
    }
    // 6.8
    if (Json* index = element.find("@index")) {
      if (auto existing = node.find("@index"); existing != node.end() && !(existing->second == *index))
        fail("conflicting indexes", id);
      node["@index"] = *index;
      element.erase("@index");
    }
    // 6.9
    if (Json* reverse = element.find("@reverse")) {
      Json referenced = Json::object();
      referenced["@id"] = id;
      for (auto& [property, values] : reverse->obj()) {
        // Each value is processed on its own with the reverse reference (6.9.3.1).
        generate(values, active_graph, &referenced, &property, nullptr);
      }
      element.erase("@reverse");
    }
    // 6.10
    if (Json* g = element.find("@graph")) {
      Json inner = std::move(*g);
      element.erase("@graph");
      graphs[id];
      generate(inner, id, nullptr, nullptr, nullptr);
    }
    // 6.11
    if (Json* inc = element.find("@included")) {
      Json inner = std::move(*inc);
      element.erase("@included");
      generate(inner, active_graph, nullptr, nullptr, nullptr);
    }
    // 6.12
    Json id_value(id);
    for (auto& [property_in, value] : element.obj()) {
      std::string property = property_in;
      if (isBlankNodeId(property)) property = blanks_.generate(&property);  // 6.12.1
      Json& slot = node[property];                                          // 6.12.2
      if (!slot.isArray()) slot = Json::array();
      generate(value, active_graph, &id_value, &property, nullptr);  // 6.12.3
    }
  }

 private:
  // Append `item` to node[property] unless an equal item is already there
  // (API 7.2.2 steps 4.1.2, 6.5.2, 6.6.2.2). Short arrays are scanned; long
  // ones get a hash index of their items' JSON text.
  void addUnique(const std::string& graph, const std::string& subject, Node& node,
                 const std::string& property, Json item) {
    Json& slot = node[property];
    if (!slot.isArray()) slot = Json::array();
    constexpr size_t kScanLimit = 16;
    if (slot.size() < kScanLimit) {
      for (const Json& existing : slot.arr())
        if (existing == item) return;
      slot.push(std::move(item));
      return;
    }
    std::string slot_key = graph;
    slot_key += '\x1f';
    slot_key += subject;
    slot_key += '\x1f';
    slot_key += property;
    auto& index = indexes_[slot_key];
    if (index.empty())
      for (const Json& existing : slot.arr()) index.insert(toJsonString(existing));
    if (!index.insert(toJsonString(item)).second) return;
    slot.push(std::move(item));
  }

  BlankNodes& blanks_;
  // Item indexes of long property arrays, keyed by graph, subject and
  // property (separated by U+001F).
  std::unordered_map<std::string, std::unordered_set<std::string>> indexes_;
};

bool isWellFormedLanguage(std::string_view tag) {
  // BCP 47 well-formedness, simplified: alphanum subtags of 1-8 characters
  // separated by '-', the first alphabetic.
  if (tag.empty()) return false;
  size_t i = 0, n = 0;
  bool first = true;
  while (i <= tag.size()) {
    if (i == tag.size() || tag[i] == '-') {
      if (n == 0 || n > 8) return false;
      n = 0;
      first = false;
      ++i;
      continue;
    }
    char c = tag[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && !first))) return false;
    ++n;
    ++i;
  }
  return true;
}

std::string toLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// API 8.1.2 Deserialize JSON-LD to RDF, streaming quads into a sink.
class RdfEmitter {
 public:
  RdfEmitter(const JsonLdOptions& opts, BlankNodes& blanks, QuadSink& sink)
      : opts_(opts), blanks_(blanks), sink_(sink) {}

  Status run(const std::map<std::string, NodeMapBuilder::Graph>& graphs) {
    const TermView rdf_type = TermView::iri(kRdfTypeIri);
    for (const auto& [graph_name, graph] : graphs) {
      // 1.1
      if (graph_name == "@default") {
        graph_ = opts_.default_graph.empty() ? TermView() : TermView::iri(opts_.default_graph);
      } else if (!toResource(graph_name, graph_)) {
        continue;
      }
      for (const auto& [subject, node] : graph) {
        TermView s;
        if (!toResource(subject, s)) continue;  // 1.3.1
        for (const auto& [property, values] : node) {
          if (!values.isArray()) continue;
          if (property == "@type") {
            // 1.3.2.1
            for (const Json& t : values.arr()) {
              TermView o;
              if (t.isString() && toResource(t.str(), o)) WEFT_TRY(emit(s, rdf_type, o));
            }
            continue;
          }
          if (isKeyword(property)) continue;  // 1.3.2.2
          TermView p;
          if (isBlankNodeId(property)) {
            if (!opts_.produce_generalized_rdf) continue;  // 1.3.2.3
            p = TermView::blank(std::string_view(property).substr(2));
          } else if (rfc3986::isWellFormedAbsoluteIri(property)) {
            p = TermView::iri(property);
          } else {
            continue;  // 1.3.2.4
          }
          for (const Json& item : values.arr()) {
            // 1.3.2.5
            Object o;
            WEFT_TRY(objectToRdf(item, o));
            if (!o.view.isNone()) WEFT_TRY(emit(s, p, o.view));
          }
        }
      }
    }
    return Status::ok();
  }

 private:
  // An RDF object: a view plus the storage it may point into.
  struct Object {
    TermView view;
    std::string lexical, datatype;
  };

  // An IRI or blank node identifier as a term view over `id`; false if not
  // well-formed.
  static bool toResource(const std::string& id, TermView& out) {
    if (isBlankNodeId(id)) {
      out = TermView::blank(std::string_view(id).substr(2));
      return true;
    }
    if (!rfc3986::isWellFormedAbsoluteIri(id)) return false;
    out = TermView::iri(id);
    return true;
  }

  Status emit(const TermView& s, const TermView& p, const TermView& o) {
    return sink_.quad(QuadView{s, p, o, graph_});
  }

  // API 8.1.3 Object to RDF Conversion; `out.view` stays kNone for a
  // non-well-formed object. List and compound-literal triples are emitted
  // directly (their order relative to the referencing triple is immaterial).
  Status objectToRdf(const Json& item, Object& out) {
    out.view = TermView();
    if (!item.isObject()) return Status::ok();
    // 1. / 2. node reference
    if (const Json* id = item.find("@id")) {
      if (id->isString()) toResource(id->str(), out.view);
      return Status::ok();
    }
    // 3. list
    if (const Json* list = item.find("@list")) return listToRdf(*list, out);
    // 4.-
    const Json* value = item.find("@value");
    if (!value) return Status::ok();
    const Json* type = item.find("@type");
    std::string_view datatype = type && type->isString() ? std::string_view(type->str()) : std::string_view();
    // 6.
    if (type && (!type->isString() || (datatype != "@json" && !rfc3986::isWellFormedAbsoluteIri(datatype))))
      return Status::ok();
    // 7.
    const Json* language = item.find("@language");
    if (language && (!language->isString() || !isWellFormedLanguage(language->str())))
      return Status::ok();
    std::string_view lexical;
    if (datatype == "@json") {
      // 8.
      out.lexical = canonicalJson(*value);
      lexical = out.lexical;
      datatype = kRdfJson;
    } else if (value->isBool()) {
      // 9.
      lexical = value->boolean() ? "true" : "false";
      if (datatype.empty()) datatype = kXsdBoolean;
    } else if (value->isNumber()) {
      double d = value->number();
      if (std::isinf(d) || std::isnan(d) || std::fmod(d, 1.0) != 0 || std::fabs(d) >= 1e21 ||
          datatype == kXsdDouble) {
        // 10.
        out.lexical = xsdDoubleCanonical(d);
        if (datatype.empty()) datatype = kXsdDouble;
      } else {
        // 11.
        out.lexical = xsdIntegerCanonical(d);
        if (datatype.empty()) datatype = kXsdInteger;
      }
      lexical = out.lexical;
    } else if (value->isString()) {
      lexical = value->str();
      // 12.
      if (datatype.empty()) datatype = language ? kRdfLangString : kXsdString;
    } else {
      return Status::ok();
    }
    // 13. Base direction.
    const Json* direction = item.find("@direction");
    if (direction && direction->isString() && !opts_.rdf_direction.empty()) {
      std::string lang = language ? toLower(language->str()) : std::string();
      if (opts_.rdf_direction == "i18n-datatype") {
        if (out.lexical.empty()) out.lexical = std::string(lexical);
        out.datatype = kI18n + lang + "_" + direction->str();
        out.view = TermView::literal(out.lexical, out.datatype);
        return Status::ok();
      }
      if (opts_.rdf_direction == "compound-literal") {
        out.datatype = blanks_.generate(nullptr);  // storage for the node's label
        TermView node = TermView::blank(std::string_view(out.datatype).substr(2));
        WEFT_TRY(emit(node, TermView::iri(kRdfValue), TermView::literal(lexical)));
        if (language) WEFT_TRY(emit(node, TermView::iri(kRdfLanguage), TermView::literal(lang)));
        WEFT_TRY(emit(node, TermView::iri(kRdfDirection), TermView::literal(direction->str())));
        out.view = node;
        return Status::ok();
      }
    }
    // 14.
    out.view = language ? TermView::literal(lexical, kRdfLangString, language->str())
                        : TermView::literal(lexical, datatype);
    return Status::ok();
  }

  // API 8.1.4 List Conversion.
  Status listToRdf(const Json& list, Object& out) {
    if (!list.isArray() || list.size() == 0) {
      out.view = TermView::iri(kRdfNil);  // 1.
      return Status::ok();
    }
    // 2. Fresh blank nodes ("_:bN"; views skip the "_:").
    std::vector<std::string> bnodes;
    for (size_t i = 0; i < list.size(); ++i) bnodes.push_back(blanks_.generate(nullptr));
    auto node = [&](size_t i) { return TermView::blank(std::string_view(bnodes[i]).substr(2)); };
    // 3.
    const TermView first = TermView::iri(kRdfFirst), rest = TermView::iri(kRdfRest);
    for (size_t i = 0; i < list.size(); ++i) {
      Object object;
      WEFT_TRY(objectToRdf(list.arr()[i], object));
      if (!object.view.isNone()) WEFT_TRY(emit(node(i), first, object.view));
      WEFT_TRY(emit(node(i), rest, i + 1 < bnodes.size() ? node(i + 1) : TermView::iri(kRdfNil)));
    }
    out.lexical = bnodes[0];
    out.view = TermView::blank(std::string_view(out.lexical).substr(2));
    return Status::ok();
  }

  const JsonLdOptions& opts_;
  BlankNodes& blanks_;
  QuadSink& sink_;
  TermView graph_;
};

Status toStatus(const JsonLdError& e, const JsonLdOptions& opts) {
  std::string msg = opts.display_name + ": " + e.code;
  if (!e.detail.empty()) msg += ": " + e.detail;
  return Status::syntaxError(std::move(msg));
}

// Runs `work` (expansion, node map generation: recursive algorithms whose
// depth follows the document's nesting, up to kMaxJsonDepth) on a thread with
// a large stack, so that no accepted document can overflow the caller's stack
// whatever its size (sanitizer builds use several KiB per nesting level). The
// caller blocks until it is done. JSON-LD errors become Status.
template <typename Work>
Status runGuarded(const JsonLdOptions& opts, Work&& work) {
  struct Job {
    Work* work;
    const JsonLdOptions* opts;
    Status status;
  } job{&work, &opts, Status::ok()};
  auto body = [](void* arg) -> void* {
    Job* j = static_cast<Job*>(arg);
    try {
      (*j->work)();
    } catch (const JsonLdError& e) {
      j->status = toStatus(e, *j->opts);
    } catch (const std::bad_alloc&) {
      j->status = Status::aborted(j->opts->display_name + ": out of memory processing JSON-LD");
    }
    return nullptr;
  };
  constexpr size_t kStackBytes = size_t{256} << 20;  // reserved, touched on demand
  pthread_attr_t attr;
  pthread_t thread;
  bool started = pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, kStackBytes) == 0 &&
                 pthread_create(&thread, &attr, body, &job) == 0;
  pthread_attr_destroy(&attr);
  if (started) {
    pthread_join(thread, nullptr);
  } else {
    body(&job);  // no thread available: run here (depth is still bounded)
  }
  return job.status;
}

// The prefixes of the document's top-level inline context, for
// QuadSink::prefix(): simple terms (no ':' or '/') mapped to an absolute IRI
// ending in a gen-delim, which JSON-LD itself treats as prefixes (API 4.2.2
// step 14.2.5).
std::vector<std::pair<std::string, std::string>> inlinePrefixes(const Json& document) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json* ctx = document.isObject() ? document.find("@context") : nullptr;
  if (!ctx) return out;
  std::vector<const Json*> parts;
  if (ctx->isArray()) {
    for (const Json& c : ctx->arr()) parts.push_back(&c);
  } else {
    parts.push_back(ctx);
  }
  for (const Json* part : parts) {
    if (!part->isObject()) continue;
    for (const auto& [term, value] : part->obj()) {
      if (!value.isString() || term.empty() || term[0] == '@' ||
          term.find_first_of(":/") != std::string::npos)
        continue;
      const std::string& iri = value.str();
      char last = iri.empty() ? '\0' : iri.back();
      bool gen_delim = last == '/' || last == '#' || last == ':' || last == '?' || last == '[' ||
                       last == ']' || last == '@';
      if (gen_delim && rfc3986::isWellFormedAbsoluteIri(iri)) out.emplace_back(term, iri);
    }
  }
  return out;
}

Result<Json> parseDocument(std::string_view doc, const JsonLdOptions& opts) {
  size_t limit = opts.max_document_bytes ? opts.max_document_bytes : (size_t{1} << 30);
  if (doc.size() > limit) {
    return Status::aborted(opts.display_name + ": loading document failed: document of " +
                               std::to_string(doc.size()) + " bytes exceeds the limit of " +
                               std::to_string(limit) + " bytes");
  }
  return parseJson(doc, opts.display_name);
}

}  // namespace
}  // namespace jsonld

JsonLdOptions jsonLdOptionsFrom(const ReadOptions& opts) {
  JsonLdOptions o;
  o.base = opts.base_iri;
  if (!opts.jsonld_processing_mode.empty()) o.processing_mode = opts.jsonld_processing_mode;
  o.context_map = opts.context_map;
  if (!opts.display_name.empty()) o.display_name = opts.display_name;
  o.max_document_bytes = opts.max_document_bytes;
  o.default_graph = opts.graph;
  return o;
}

Result<std::string> jsonLdExpand(std::string_view doc, const JsonLdOptions& opts) {
  Result<Json> parsed = jsonld::parseDocument(doc, opts);
  if (!parsed) return parsed.status();
  std::string out;
  Status st = jsonld::runGuarded(opts, [&] {
    jsonld::Processor processor(opts);
    processor.setWorkBudget(doc.size());
    Json expanded = processor.expandDocument(std::move(parsed).value());
    out = toJsonString(expanded);
  });
  if (!st) return st;
  return out;
}

Result<std::string> jsonLdExpand(std::string_view doc, const ReadOptions& opts) {
  return jsonLdExpand(doc, jsonLdOptionsFrom(opts));
}

Status jsonLdToRdf(std::string_view doc, const JsonLdOptions& opts, QuadSink& sink) {
  Result<Json> parsed = jsonld::parseDocument(doc, opts);
  if (!parsed) return parsed.status();
  std::vector<std::pair<std::string, std::string>> prefixes = jsonld::inlinePrefixes(parsed.value());
  jsonld::BlankNodes blanks;
  jsonld::NodeMapBuilder node_map(blanks);
  WEFT_TRY(jsonld::runGuarded(opts, [&] {
    jsonld::Processor processor(opts);
    processor.setWorkBudget(doc.size());
    Json expanded = processor.expandDocument(std::move(parsed).value());  // consumes the input
    node_map.generate(expanded, "@default", nullptr, nullptr, nullptr);
  }));
  // Emission runs on the caller's thread: sinks may rely on it.
  for (const auto& [name, iri] : prefixes) WEFT_TRY(sink.prefix(name, iri));
  jsonld::RdfEmitter emitter(opts, blanks, sink);
  return emitter.run(node_map.graphs);
}

}  // namespace weft::rdf::internal

namespace weft::rdf {

Status readJsonLd(std::string_view document, const ReadOptions& opts, QuadSink& sink) {
  return internal::jsonLdToRdf(document, internal::jsonLdOptionsFrom(opts), sink);
}

}  // namespace weft::rdf
