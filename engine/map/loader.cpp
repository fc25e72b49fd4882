// SPDX-License-Identifier: Apache-2.0
// Mapping documents -> model (see loader.h). The document is read into
// memory as quads; legacy and R2RML IRIs are rewritten into the RML
// namespace first, so the rest reads one vocabulary.
#include "engine/map/loader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/map/internal/doc.h"
#include "engine/map/internal/view.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/iri.h"
#include "engine/rdf/syntax.h"

namespace weft::map {

using namespace internal;

namespace {

constexpr std::string_view kInputPlaceholder = "INPUT";

// Reads one mapping document; errors name the node being read.
class Loader {
 public:
  Loader(const Doc& doc, const std::string& dir, const LoadOptions& opts, std::string doc_base)
      : doc_(doc), dir_(dir), opts_(opts), doc_base_(std::move(doc_base)) {}

  Result<Mapping> load();

 private:
  Status error(const std::string& where, const std::string& what) {
    return Status::invalidArgument(where + ": " + what);
  }
  std::string nameOf(const rdf::Term& t) const {
    if (t.kind == rdf::TermKind::kBlank) return "_:" + t.value;
    if (!doc_base_.empty() && t.value.compare(0, doc_base_.size(), doc_base_) == 0 &&
        t.value.size() > doc_base_.size())
      return "<" + t.value.substr(doc_base_.size()) + ">";
    return "<" + t.value + ">";
  }
  // At most one object; *out = nullptr when none.
  Status one(const rdf::Term& s, std::string_view p, const std::string& where,
             const rdf::Term** out) {
    auto v = doc_.objects(s, p);
    *out = v.empty() ? nullptr : v[0];
    if (v.size() > 1) {
      std::string local(p.substr(p.find_last_of("/#") + 1));
      return error(where, "more than one " + local);
    }
    return Status::ok();
  }
  Status stringOf(const rdf::Term& s, std::string_view p, const std::string& where,
                  std::string* out, bool* found = nullptr) {
    const rdf::Term* t;
    if (Status st = one(s, p, where, &t); !st) return st;
    if (found) *found = t != nullptr;
    if (t) *out = t->value;
    return Status::ok();
  }
  Status logicalSource(const rdf::Term& node, const std::string& where, LogicalSource* out);
  Status sourceDescription(const rdf::Term& src, const std::string& where, LogicalSource* out);
  Status termMap(const rdf::Term& node, const std::string& where, int position, TermMap* out);
  Status shortcutOrMap(const rdf::Term& owner, std::string_view shortcut, std::string_view map_pred,
                       const std::string& where, int position, std::vector<TermMap>* out);
  Status functionExecution(const rdf::Term& node, const std::string& where,
                           std::shared_ptr<FunctionExecution>* out);
  Status legacyFunction(const rdf::Term& node, const std::string& where,
                        std::shared_ptr<FunctionExecution>* out);
  Status objectMap(const rdf::Term& node, const std::string& where, ObjectMap* out);
  Status triplesMap(const rdf::Term& node, TriplesMap* out);

  const Doc& doc_;
  std::string dir_;
  const LoadOptions& opts_;
  std::string doc_base_;
  std::map<std::string, size_t> index_;  // term key of a triples map -> position
};

enum Position { kSubject = 0, kPredicate, kObject, kGraph, kOther };

}  // namespace

// BCP 47 (RFC 5646 section 2.1) well-formedness, without the registry:
// a primary subtag of 2-8 letters (or x-/i- private and grandfathered tags),
// then subtags of 1-8 letters and digits, each singleton followed by more.
bool wellFormedLangTag(std::string_view tag) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= tag.size(); ++i) {
    if (i == tag.size() || tag[i] == '-') {
      parts.push_back(tag.substr(start, i - start));
      start = i + 1;
    }
  }
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto alnum = [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); };
  for (auto p : parts) {
    if (p.empty() || p.size() > 8) return false;
    for (char c : p)
      if (!alnum(c)) return false;
  }
  std::string_view first = parts[0];
  bool singleton_start = first.size() == 1 && (first[0] == 'x' || first[0] == 'X' || first[0] == 'i' || first[0] == 'I');
  if (!singleton_start) {
    // 2-3 letters; 4 is reserved and no 5-8 letter language is registered.
    if (first.size() < 2 || first.size() > 3) return false;
    for (char c : first)
      if (!alpha(c)) return false;
  }
  for (size_t i = 0; i < parts.size(); ++i)
    if (parts[i].size() == 1 && i + 1 == parts.size()) return false;  // a singleton needs a subtag
  return true;
}

namespace {

Status parseTemplate(const std::string& text, Template* out, std::string* why) {
  out->parts.clear();
  std::string cur;
  bool in_ref = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 >= text.size()) {
        *why = "template ends with a lone backslash";
        return Status::invalidArgument(*why);
      }
      cur += text[++i];  // \{ \} \\ : the character itself
      continue;
    }
    if (c == '{') {
      if (in_ref) {
        *why = "'{' inside a reference at offset " + std::to_string(i);
        return Status::invalidArgument(*why);
      }
      if (!cur.empty()) out->parts.push_back({false, cur});
      cur.clear();
      in_ref = true;
      continue;
    }
    if (c == '}') {
      if (!in_ref) {
        *why = "unmatched '}' at offset " + std::to_string(i);
        return Status::invalidArgument(*why);
      }
      if (cur.empty()) {
        *why = "empty reference {} at offset " + std::to_string(i);
        return Status::invalidArgument(*why);
      }
      out->parts.push_back({true, cur});
      cur.clear();
      in_ref = false;
      continue;
    }
    cur += c;
  }
  if (in_ref) {
    *why = "unterminated '{'";
    return Status::invalidArgument(*why);
  }
  if (!cur.empty()) out->parts.push_back({false, cur});
  return Status::ok();
}

Status Loader::termMap(const rdf::Term& node, const std::string& where, int position, TermMap* out) {
  out->where = where;
  if (node.kind == rdf::TermKind::kLiteral) {
    return error(where, "a term map must be a resource, not the literal \"" + node.value + "\"");
  }
  const rdf::Term *constant, *reference, *tmpl, *fn, *legacy_fn, *term_type;
  Status st;
  if (!(st = one(node, rml("constant"), where, &constant)) ||
      !(st = one(node, rml("reference"), where, &reference)) ||
      !(st = one(node, rml("template"), where, &tmpl)) ||
      !(st = one(node, rml("functionExecution"), where, &fn)) ||
      !(st = one(node, std::string(kFnmlLegacy) + "functionValue", where, &legacy_fn)) ||
      !(st = one(node, rml("termType"), where, &term_type)))
    return st;
  int kinds = (constant != nullptr) + (reference != nullptr) + (tmpl != nullptr) + (fn != nullptr) +
              (legacy_fn != nullptr);
  bool fresh_blank = kinds == 0 && term_type && term_type->value == rml("BlankNode") && position != kObject;
  if (kinds == 0 && !fresh_blank)
    return error(where, "no rml:constant, rml:reference, rml:template or rml:functionExecution");
  if (kinds > 1) return error(where, "more than one of rml:constant, rml:reference, rml:template, rml:functionExecution");
  bool has_dt = false, has_lang = false;
  const rdf::Term *dt, *dtmap, *lang, *langmap;
  if (!(st = one(node, rml("datatype"), where, &dt)) ||
      !(st = one(node, rml("datatypeMap"), where, &dtmap)) ||
      !(st = one(node, rml("language"), where, &lang)) ||
      !(st = one(node, rml("languageMap"), where, &langmap)))
    return st;
  has_dt = dt || dtmap;
  has_lang = lang || langmap;
  if (has_dt && has_lang) return error(where, "both a datatype and a language");
  if (dt) {
    if (dt->kind != rdf::TermKind::kIri) return error(where, "rml:datatype must be an IRI");
    out->datatype = dt->value;
  }
  if (dtmap) {
    out->datatype_map = std::make_shared<TermMap>();
    if (Status s2 = termMap(*dtmap, where + " datatype map", kOther, out->datatype_map.get()); !s2) return s2;
    out->datatype_map->term_type = TermType::kIri;
  }
  if (lang) {
    if (!wellFormedLangTag(lang->value)) return error(where, "invalid language tag \"" + lang->value + "\"");
    out->language = lang->value;
  }
  if (langmap) {
    out->language_map = std::make_shared<TermMap>();
    if (Status s2 = termMap(*langmap, where + " language map", kOther, out->language_map.get()); !s2) return s2;
    out->language_map->term_type = TermType::kLiteral;
  }

  if (const rdf::Term* cond; (st = one(node, rml("condition"), where, &cond)) && cond) {
    out->condition = std::make_shared<TermMap>();
    if (Status s2 = termMap(*cond, where + " condition", kOther, out->condition.get()); !s2) return s2;
  } else if (!st) {
    return st;
  }
  if (fresh_blank) {
    out->kind = TermMap::Kind::kFreshBlank;
  } else if (constant) {
    out->kind = TermMap::Kind::kConstant;
    out->constant = *constant;
    if (constant->kind == rdf::TermKind::kBlank)
      return error(where, "a constant must be an IRI or a literal, not a blank node");
  } else if (reference) {
    out->kind = TermMap::Kind::kReference;
    out->reference = reference->value;
  } else if (tmpl) {
    out->kind = TermMap::Kind::kTemplate;
    std::string why;
    if (!parseTemplate(tmpl->value, &out->tmpl, &why))
      return error(where, "template \"" + tmpl->value + "\": " + why);
  } else if (fn) {
    out->kind = TermMap::Kind::kFunction;
    if (Status s2 = functionExecution(*fn, where, &out->fn); !s2) return s2;
    // rml:return sits on the term map (or on the execution).
    const rdf::Term* ret;
    if (!(st = one(node, rml("return"), where, &ret))) return st;
    if (ret) out->fn->output = ret->value;
  } else {
    out->kind = TermMap::Kind::kFunction;
    if (Status s2 = legacyFunction(*legacy_fn, where, &out->fn); !s2) return s2;
  }

  // Term type: explicit, else the defaults of RML-Core section 6.2.
  out->term_type_explicit = term_type != nullptr;
  if (term_type) {
    const std::string& tt = term_type->value;
    if (tt == rml("IRI")) out->term_type = TermType::kIri;
    else if (tt == rml("URI")) out->term_type = TermType::kUri;
    else if (tt == rml("UnsafeIRI")) out->term_type = TermType::kUnsafeIri;
    else if (tt == rml("BlankNode")) out->term_type = TermType::kBlank;
    else if (tt == rml("Literal")) out->term_type = TermType::kLiteral;
    else return error(where, "unknown term type <" + tt + ">");
  } else if (constant) {
    out->term_type = constant->kind == rdf::TermKind::kLiteral ? TermType::kLiteral : TermType::kIri;
  } else if (position == kObject &&
             (reference || has_dt || has_lang || fn || legacy_fn)) {
    out->term_type = TermType::kLiteral;
  } else if (position == kOther) {
    out->term_type = TermType::kLiteral;
  } else {
    out->term_type = TermType::kIri;
  }
  TermType t = out->term_type;
  if (constant && t == TermType::kLiteral && constant->kind != rdf::TermKind::kLiteral)
    return error(where, "an IRI constant with term type Literal");
  if (constant && t != TermType::kLiteral && constant->kind == rdf::TermKind::kLiteral)
    return error(where, "a literal constant where an IRI is needed");
  if ((has_dt || has_lang) && t != TermType::kLiteral)
    return error(where, "a datatype or language on a term map that does not make literals");
  if (position == kSubject && t == TermType::kLiteral) return error(where, "a subject cannot be a literal");
  if (position == kPredicate && (t == TermType::kBlank || t == TermType::kLiteral))
    return error(where, "a predicate must be an IRI");
  if (position == kGraph && t == TermType::kLiteral) return error(where, "a graph name cannot be a literal");
  return Status::ok();
}

Status Loader::functionExecution(const rdf::Term& node, const std::string& where,
                                 std::shared_ptr<FunctionExecution>* out) {
  auto fe = std::make_shared<FunctionExecution>();
  std::string w = where + " function execution";
  const rdf::Term *fn, *fnmap;
  Status st;
  if (!(st = one(node, rml("function"), w, &fn)) || !(st = one(node, rml("functionMap"), w, &fnmap))) return st;
  if (fn) {
    fe->function = fn->value;
  } else if (fnmap) {
    TermMap m;
    if (Status s2 = termMap(*fnmap, w + " function map", kPredicate, &m); !s2) return s2;
    if (m.kind != TermMap::Kind::kConstant) return error(w, "only constant function maps are supported");
    fe->function = m.constant.value;
  } else {
    return error(w, "no rml:function");
  }
  for (const rdf::Term* in : doc_.objects(node, rml("input"))) {
    FunctionExecution::Input input;
    const rdf::Term *param, *pmap, *value, *vmap;
    if (!(st = one(*in, rml("parameter"), w, &param)) || !(st = one(*in, rml("parameterMap"), w, &pmap)) ||
        !(st = one(*in, rml("inputValue"), w, &value)) || !(st = one(*in, rml("inputValueMap"), w, &vmap)))
      return st;
    if (param) input.parameter = param->value;
    else if (pmap) {
      TermMap m;
      if (Status s2 = termMap(*pmap, w + " parameter map", kPredicate, &m); !s2) return s2;
      if (m.kind != TermMap::Kind::kConstant) return error(w, "only constant parameter maps are supported");
      input.parameter = m.constant.value;
    } else {
      return error(w, "an input without rml:parameter");
    }
    input.value = std::make_shared<TermMap>();
    if (value) {
      input.value->kind = TermMap::Kind::kConstant;
      input.value->constant = *value;
      input.value->term_type = value->kind == rdf::TermKind::kLiteral ? TermType::kLiteral : TermType::kIri;
      input.value->where = w;
    } else if (vmap) {
      if (Status s2 = termMap(*vmap, w + " input " + input.parameter, kOther, input.value.get()); !s2) return s2;
    } else {
      return error(w, "input " + input.parameter + " has no rml:inputValue or rml:inputValueMap");
    }
    fe->inputs.push_back(std::move(input));
  }
  const rdf::Term *ret, *retmap;
  if (!(st = one(node, rml("return"), w, &ret)) || !(st = one(node, rml("returnMap"), w, &retmap))) return st;
  if (ret) fe->output = ret->value;
  (void)retmap;
  *out = std::move(fe);
  return Status::ok();
}

// Legacy FnO: fnml:functionValue [ rr:predicateObjectMap [ rr:predicate
// fno:executes; rr:objectMap [ rr:constant F ] ], [ rr:predicate PARAM_PRED;
// rr:objectMap [...] ] ].
Status Loader::legacyFunction(const rdf::Term& node, const std::string& where,
                              std::shared_ptr<FunctionExecution>* out) {
  auto fe = std::make_shared<FunctionExecution>();
  std::string w = where + " function value";
  for (const rdf::Term* pom : doc_.objects(node, rml("predicateObjectMap"))) {
    std::vector<TermMap> preds;
    if (Status st = shortcutOrMap(*pom, rml("predicate"), rml("predicateMap"), w, kPredicate, &preds); !st)
      return st;
    for (const rdf::Term* om : doc_.objects(*pom, rml("objectMap"))) {
      for (auto& p : preds) {
        if (p.kind != TermMap::Kind::kConstant) return error(w, "parameter predicates must be constants");
        TermMap value;
        if (Status st = termMap(*om, w + " " + p.constant.value, kOther, &value); !st) return st;
        if (p.constant.value == std::string(kFno) + "executes") {
          if (value.kind != TermMap::Kind::kConstant) return error(w, "fno:executes must be a constant");
          fe->function = value.constant.value;
        } else {
          fe->inputs.push_back({p.constant.value, std::make_shared<TermMap>(std::move(value))});
        }
      }
    }
    for (const rdf::Term* o : doc_.objects(*pom, rml("object"))) {
      for (auto& p : preds) {
        if (p.constant.value == std::string(kFno) + "executes") {
          fe->function = o->value;
        } else {
          auto v = std::make_shared<TermMap>();
          v->kind = TermMap::Kind::kConstant;
          v->constant = *o;
          v->term_type = o->kind == rdf::TermKind::kLiteral ? TermType::kLiteral : TermType::kIri;
          fe->inputs.push_back({p.constant.value, std::move(v)});
        }
      }
    }
  }
  if (fe->function.empty()) return error(w, "no fno:executes");
  *out = std::move(fe);
  return Status::ok();
}

// A shortcut (rml:subject, rml:predicate, ...: a constant) and/or full maps.
Status Loader::shortcutOrMap(const rdf::Term& owner, std::string_view shortcut, std::string_view map_pred,
                             const std::string& where, int position, std::vector<TermMap>* out) {
  for (const rdf::Term* c : doc_.objects(owner, shortcut)) {
    TermMap m;
    m.where = where;
    m.kind = TermMap::Kind::kConstant;
    m.constant = *c;
    if (c->kind == rdf::TermKind::kBlank) return error(where, "a constant must be an IRI or a literal");
    m.term_type = c->kind == rdf::TermKind::kLiteral ? TermType::kLiteral : TermType::kIri;
    if (position != kObject && c->kind == rdf::TermKind::kLiteral)
      return error(where, "the constant \"" + c->value + "\" must be an IRI");
    out->push_back(std::move(m));
  }
  for (const rdf::Term* n : doc_.objects(owner, map_pred)) {
    TermMap m;
    if (Status st = termMap(*n, where, position, &m); !st) return st;
    out->push_back(std::move(m));
  }
  return Status::ok();
}

Status Loader::objectMap(const rdf::Term& node, const std::string& where, ObjectMap* out) {
  const rdf::Term* parent;
  if (Status st = one(node, rml("parentTriplesMap"), where, &parent); !st) return st;
  if (!parent) {
    out->is_ref = false;
    return termMap(node, where, kObject, &out->term);
  }
  out->is_ref = true;
  auto it = index_.find(termKey(*parent));
  if (it == index_.end()) return error(where, "parent triples map " + nameOf(*parent) + " is not a triples map");
  out->parent = it->second;
  for (const rdf::Term* jc : doc_.objects(node, rml("joinCondition"))) {
    JoinCondition j;
    std::string w = where + " join condition";
    std::vector<TermMap> child, par;
    // rml:child / rml:parent are reference shortcuts; childMap/parentMap full maps.
    auto side = [&](std::string_view shortcut, std::string_view map_pred, const std::string& what,
                    std::vector<TermMap>* out) -> Status {
      for (const rdf::Term* c : doc_.objects(*jc, shortcut)) {
        TermMap m;
        m.where = w;
        m.kind = TermMap::Kind::kReference;
        m.reference = c->value;
        m.term_type = TermType::kLiteral;
        out->push_back(std::move(m));
      }
      for (const rdf::Term* c : doc_.objects(*jc, map_pred)) {
        TermMap m;
        if (Status st = termMap(*c, w + " " + what, kOther, &m); !st) return st;
        out->push_back(std::move(m));
      }
      return Status::ok();
    };
    if (Status st = side(rml("child"), rml("childMap"), "child map", &child); !st) return st;
    if (Status st = side(rml("parent"), rml("parentMap"), "parent map", &par); !st) return st;
    if (child.size() != 1 || par.size() != 1) return error(w, "needs exactly one child and one parent");
    j.child = std::move(child[0]);
    j.parent = std::move(par[0]);
    out->joins.push_back(std::move(j));
  }
  return Status::ok();
}

Status Loader::sourceDescription(const rdf::Term& src, const std::string& where, LogicalSource* out) {
  auto& spec = out->spec;
  auto resolve = [&](const std::string& p) {
    if (p == kInputPlaceholder && !opts_.input.empty()) return opts_.input;
    if (p.empty() || std::filesystem::path(p).is_absolute()) return p;
    return (std::filesystem::path(dir_) / p).lexically_normal().string();
  };
  if (src.kind == rdf::TermKind::kLiteral) {  // legacy: rml:source "file.csv"
    spec.path = resolve(src.value);
    return Status::ok();
  }
  // D2RQ database (legacy SQL cases) -> the --sql-db SQLite file.
  if (doc_.hasType(src, std::string(kD2rq) + "Database") || doc_.has(src, std::string(kD2rq) + "jdbcDSN")) {
    out->sql = true;
    spec.kind = sources::SourceSpec::Kind::kSql;
    spec.path = opts_.sql_db.empty() ? opts_.input : opts_.sql_db;
    return Status::ok();
  }
  if (doc_.hasType(src, std::string(kSd) + "Service") || doc_.has(src, std::string(kSd) + "endpoint")) {
    spec.kind = sources::SourceSpec::Kind::kSparql;
    spec.path = opts_.sparql_data;
    for (const rdf::Term* e : doc_.objects(src, std::string(kSd) + "endpoint")) {
      auto it = opts_.sparql_endpoints.find(e->value);
      if (it != opts_.sparql_endpoints.end()) spec.path = it->second;
    }
    return Status::ok();
  }
  std::string path, root;
  bool has_path = false;
  if (Status st = stringOf(src, rml("path"), where, &path, &has_path); !st) return st;
  if (Status st = stringOf(src, rml("root"), where, &root); !st) return st;
  if (!has_path) {
    if (src.kind == rdf::TermKind::kIri) {  // a file: IRI or a relative IRI
      std::string v = src.value;
      if (v.rfind("file://", 0) == 0) v = v.substr(7);
      spec.path = resolve(v);
      return Status::ok();
    }
    return error(where, "the source has no rml:path");
  }
  if (root == rml("CurrentWorkingDirectory") && path != kInputPlaceholder)
    spec.path = path;
  else
    spec.path = resolve(path);
  std::string enc, comp;
  if (Status st = stringOf(src, rml("encoding"), where, &enc); !st) return st;
  if (!enc.empty()) {
    if (enc.rfind(std::string(kRml), 0) == 0) enc = enc.substr(kRml.size());
    if (enc == "UTF-8" || enc == "UTF8") enc = "UTF-8";
    else if (enc == "UTF-16" || enc == "UTF16") enc = "UTF-16";
    spec.encoding = enc;
  }
  if (Status st = stringOf(src, rml("compression"), where, &comp); !st) return st;
  if (!comp.empty()) {
    if (comp.rfind(std::string(kRml), 0) == 0) comp = comp.substr(kRml.size());
    if (comp == "targz") comp = "tar.gz";
    if (comp == "tarxz") comp = "tar.xz";
    spec.compression = comp;
  }
  for (const rdf::Term* n : doc_.objects(src, rml("null"))) spec.nulls.push_back(n->value);
  // CSVW dialects: csvw:dialect [ csvw:delimiter ";" ; csvw:header false ].
  const std::string csvw = "http://www.w3.org/ns/csvw#";
  for (const rdf::Term* d : doc_.objects(src, csvw + "dialect")) {
    std::string delim, header, quote;
    if (Status st = stringOf(*d, csvw + "delimiter", where, &delim); !st) return st;
    if (!delim.empty()) spec.delimiter = delim == "\\t" ? '\t' : delim[0];
    if (Status st = stringOf(*d, csvw + "quoteChar", where, &quote); !st) return st;
    if (!quote.empty()) spec.quote = quote[0];
    if (Status st = stringOf(*d, csvw + "header", where, &header); !st) return st;
    if (header == "false") spec.header = false;
  }
  for (const rdf::Term* n : doc_.objects(src, csvw + "null")) spec.nulls.push_back(n->value);
  return Status::ok();
}

Status Loader::logicalSource(const rdf::Term& node, const std::string& where, LogicalSource* out) {
  auto& spec = out->spec;
  const rdf::Term *src, *rf, *it, *table, *query;
  Status st;
  if (!(st = one(node, rml("source"), where, &src)) || !(st = one(node, rml("referenceFormulation"), where, &rf)) ||
      !(st = one(node, rml("iterator"), where, &it)) || !(st = one(node, rml("tableName"), where, &table)) ||
      !(st = one(node, rml("query"), where, &query)))
    return st;
  if (doc_.has(node, rml("viewOn"))) {  // RML-LV: a logical view
    auto plain = [this](const rdf::Term& n, const std::string& w, LogicalSource* ls) {
      return logicalSource(n, w, ls);
    };
    if (Status st = internal::loadView(doc_, node, where, plain, &out->view); !st) return st;
    out->key = "view\n" + termKey(node);
    return Status::ok();
  }
  bool sparql_results = false;
  if (rf) {
    const std::string& f = rf->value;
    std::string local = f.compare(0, kRml.size(), kRml) == 0 ? f.substr(kRml.size()) : f;
    const std::string formats = "http://www.w3.org/ns/formats/";
    if (f.compare(0, formats.size(), formats) == 0) local = f.substr(formats.size());
    if (rf->kind == rdf::TermKind::kBlank && doc_.hasType(*rf, rml("XPathReferenceFormulation")))
      local = "XPath";
    if (local == "CSV") spec.kind = sources::SourceSpec::Kind::kCsv;
    else if (local == "JSONPath") spec.kind = sources::SourceSpec::Kind::kJson;
    else if (local == "XPath" || local == "XPathReferenceFormulation") spec.kind = sources::SourceSpec::Kind::kXml;
    else if (local == "SQL2008" || local == "SQL" || local == "SQL2008Table" || local == "SQL2008Query")
      spec.kind = sources::SourceSpec::Kind::kSql;
    else if (local == "SPARQL_Results_JSON" || local == "SPARQL_Results_CSV" || local == "SPARQL_Results_XML" ||
             local == "SPARQL_Results_TSV")
      spec.kind = sources::SourceSpec::Kind::kSparql, sparql_results = true;
    else return Status::unsupported(where + ": reference formulation <" + f + "> is not supported");
    // XPath namespaces: rml:referenceFormulation [ a rml:XPathReferenceFormulation;
    //   rml:namespace [ rml:namespacePrefix "ex"; rml:namespaceURL "..." ] ].
    for (const rdf::Term* ns : doc_.objects(*rf, rml("namespace"))) {
      std::string prefix, url;
      if (!(st = stringOf(*ns, rml("namespacePrefix"), where, &prefix)) ||
          !(st = stringOf(*ns, rml("namespaceURL"), where, &url)))
        return st;
      spec.namespaces.emplace_back(prefix, url);
    }
    if (rf->kind != rdf::TermKind::kLiteral && doc_.hasType(*rf, rml("XPathReferenceFormulation")))
      spec.kind = sources::SourceSpec::Kind::kXml;
  }
  if (src) {
    if (Status s2 = sourceDescription(*src, where + " source", out); !s2) return s2;
  }
  bool sparql = spec.kind == sources::SourceSpec::Kind::kSparql;
  if (table || (query && !sparql) || (!src && !rf)) {  // R2RML logical table, or an SQL source
    out->sql = true;
    spec.kind = sources::SourceSpec::Kind::kSql;
    if (spec.path.empty()) spec.path = opts_.sql_db.empty() ? opts_.input : opts_.sql_db;
    if (query) {  // a query wins over a table name given beside it
      spec.query = query->value;
    } else if (table) {
      spec.query = table->value;
      spec.sql_is_table = true;
    } else {
      return error(where, "a logical table needs rr:tableName or rr:sqlQuery");
    }
  } else if (!src) {
    return error(where, "a logical source needs rml:source");
  } else if (sparql && !sparql_results) {
    if (!query) return error(where, "a SPARQL source needs rml:query");
    spec.query = query->value;
  }
  if (it) spec.iterator = it->value;
  if (rf && (rf->value == rml("SQL2008Table") || rf->value == rml("SQL2008Query")) && it) {
    // RML-IO: the iterator is the table name or the query.
    spec.query = it->value;
    spec.sql_is_table = rf->value == rml("SQL2008Table");
    spec.iterator.clear();
  }
  if (sparql_results && it) {  // RML-IO: the iterator is the SPARQL query
    spec.query = it->value;
    spec.iterator.clear();
  }
  if (out->sql && spec.path.empty())
    return error(where, "an SQL source needs a database (weft map --sql-db FILE)");
  if (!rf && !out->sql) {
    // No reference formulation: guess from the file name.
    auto ends = [&](std::string_view e) {
      return spec.path.size() >= e.size() && spec.path.compare(spec.path.size() - e.size(), e.size(), e) == 0;
    };
    if (ends(".json") || ends(".json.gz")) spec.kind = sources::SourceSpec::Kind::kJson;
    else if (ends(".xml") || ends(".xml.gz")) spec.kind = sources::SourceSpec::Kind::kXml;
    else if (ends(".tsv")) spec.kind = sources::SourceSpec::Kind::kCsv, spec.delimiter = '\t';
    else spec.kind = sources::SourceSpec::Kind::kCsv;
  }
  spec.json_expand_arrays = doc_.legacy;  // RML-Core: a reference to an array is an error
  out->key = std::to_string(static_cast<int>(spec.kind)) + '\n' + spec.path + '\n' + spec.iterator + '\n' +
             spec.query + '\n' + spec.encoding + '\n' + spec.compression;
  for (auto& n : spec.nulls) out->key += '\n' + n;
  return Status::ok();
}

Status Loader::triplesMap(const rdf::Term& node, TriplesMap* out) {
  std::string where = "triples map " + nameOf(node);
  out->name = nameOf(node);
  const rdf::Term *ls, *base;
  Status st;
  if (!(st = one(node, rml("logicalSource"), where, &ls)) || !(st = one(node, rml("baseIRI"), where, &base)))
    return st;
  if (!ls) return error(where, "no rml:logicalSource");
  if (Status s2 = logicalSource(*ls, where + " logical source", &out->source); !s2) return s2;
  out->base = base ? base->value : "";
  std::vector<TermMap> subjects;
  if (!(st = shortcutOrMap(node, rml("subject"), rml("subjectMap"), where + " subject map", kSubject, &subjects)))
    return st;
  if (subjects.size() != 1) return error(where, subjects.empty() ? "no subject map" : "more than one subject map");
  out->subject = std::move(subjects[0]);
  for (const rdf::Term* sm : doc_.objects(node, rml("subjectMap"))) {
    for (const rdf::Term* c : doc_.objects(*sm, rml("class"))) {
      if (c->kind != rdf::TermKind::kIri) return error(where, "rml:class must be an IRI");
      out->classes.push_back(c->value);
    }
    if (!(st = shortcutOrMap(*sm, rml("graph"), rml("graphMap"), where + " subject graph map", kGraph,
                             &out->subject_graphs)))
      return st;
  }
  int n = 0;
  for (const rdf::Term* pom : doc_.objects(node, rml("predicateObjectMap"))) {
    ++n;
    std::string w = where + " predicate-object map " + std::to_string(n);
    PredicateObjectMap p;
    if (!(st = shortcutOrMap(*pom, rml("predicate"), rml("predicateMap"), w + " predicate", kPredicate,
                             &p.predicates)))
      return st;
    if (p.predicates.empty()) return error(w, "no predicate");
    // rml:object shortcuts: constants.
    std::vector<TermMap> consts;
    if (!(st = shortcutOrMap(*pom, rml("object"), "", w + " object", kObject, &consts))) return st;
    for (auto& c : consts) {
      ObjectMap om;
      om.term = std::move(c);
      p.objects.push_back(std::move(om));
    }
    for (const rdf::Term* om : doc_.objects(*pom, rml("objectMap"))) {
      ObjectMap o;
      if (!(st = objectMap(*om, w + " object map", &o))) return st;
      p.objects.push_back(std::move(o));
    }
    if (p.objects.empty()) return error(w, "no object map");
    if (!(st = shortcutOrMap(*pom, rml("graph"), rml("graphMap"), w + " graph map", kGraph, &p.graphs))) return st;
    out->poms.push_back(std::move(p));
  }
  return Status::ok();
}

Result<Mapping> Loader::load() {
  // Triples maps: typed rml:TriplesMap, or anything with a logical source.
  std::vector<rdf::Term> nodes = doc_.subjectsOfType(rml("TriplesMap"));
  std::set<std::string> seen;
  for (auto& t : nodes) seen.insert(termKey(t));
  for (auto& t : doc_.subjectsWith(rml("logicalSource")))
    if (seen.insert(termKey(t)).second) nodes.push_back(t);
  // Nodes that are logical views' or functions' own pieces are not maps.
  std::sort(nodes.begin(), nodes.end(), [](const rdf::Term& a, const rdf::Term& b) { return a.value < b.value; });
  if (nodes.empty()) return Status::invalidArgument("the mapping has no triples map");
  for (size_t i = 0; i < nodes.size(); ++i) index_[termKey(nodes[i])] = i;
  Mapping m;
  m.base = opts_.base.empty() ? "http://example.com/base/" : opts_.base;
  m.legacy = doc_.legacy;
  m.maps.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (Status st = triplesMap(nodes[i], &m.maps[i]); !st) return st;
  }
  // A referencing object map without join conditions over another logical
  // source is the cross product of the two (R2RML section 8: the joint
  // query has no ON condition); the executor runs it as a join on no keys.
  return m;
}

// Keeps the quads and the document's @base (names in messages are printed
// relative to it: <TriplesMap1> rather than the whole IRI).
class DocSink : public rdf::VectorSink {
 public:
  Status base(std::string_view iri) override {
    if (base_.empty()) base_ = iri;
    return Status::ok();
  }
  std::string base_;
};

}  // namespace

Result<Mapping> loadMappingText(std::string_view text, const std::string& name, const std::string& dir,
                                const LoadOptions& opts) {
  rdf::ReadOptions ro;
  ro.format = rdf::formatFromPath(name);
  if (ro.format == rdf::Format::kUnknown) ro.format = rdf::Format::kTurtle;
  ro.display_name = name;
  ro.base_iri = rdf::fileIri(name);
  DocSink sink;
  if (Status st = rdf::readString(text, ro, sink); !st) return st;
  Doc doc(std::move(sink.quads));
  Loader loader(doc, dir, opts, sink.base_);
  return loader.load();
}

Result<Mapping> loadMapping(const std::string& path, const LoadOptions& opts) {
  rdf::ReadOptions ro;
  ro.format = rdf::formatFromPath(path);
  if (ro.format == rdf::Format::kUnknown) ro.format = rdf::Format::kTurtle;
  DocSink sink;
  if (Status st = rdf::readFile(path, ro, sink); !st) return st;
  Doc doc(std::move(sink.quads));
  std::string dir = !opts.source_dir.empty() ? opts.source_dir
                    : !opts.input.empty()    ? std::filesystem::path(opts.input).parent_path().string()
                                             : std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  Loader loader(doc, dir, opts, sink.base_);
  return loader.load();
}

}  // namespace weft::map
