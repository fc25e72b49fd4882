// SPDX-License-Identifier: Apache-2.0
// RML-LV logical views (W3C KG-Construct draft, https://w3id.org/rml/lv; see
// view.h). A view reads its base (a logical source or another view) record by
// record. Each base record is turned into a small table of view records:
//  - an expression field (rml:ExpressionField: reference, constant or
//    template) gives one record per value, with the value under its name and
//    its position under "<name>.#" (RML-LV "Index key", xsd:integer);
//  - an iterable field (rml:IterableField) runs its iterator over the record
//    (or over its parent field's value, possibly in another reference
//    formulation: a CSV column holding JSON, a JSON string holding CSV), one
//    record per iteration, "<name>.#" its position; child fields are named
//    "<parent>.<child>";
//  - sibling fields combine as a cartesian product; a field without values
//    leaves its columns empty rather than dropping the record;
//  - "#" is the base record's position.
// Joins (rml:leftJoin / rml:innerJoin with rml:parentLogicalView) hash the
// parent view's records by their join keys once, when the view is opened; the
// joined fields are expression fields over the matching parent records. So
// memory is bounded by the parent views and one base record's table.
// Loading checks what the draft calls errors: cycles (a view on itself,
// cyclic joins, self joins, cyclic fields) and name collisions.
#include "engine/map/internal/view.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/map/internal/functions.h"
#include "engine/sources/internal/csv_reader.h"
#include "engine/sources/internal/input_stream.h"
#include "engine/sources/internal/json_source.h"
#include "engine/sources/internal/xml_source.h"

namespace weft::map {

namespace {

using sources::RefId;
using sources::Source;
using sources::Value;
using sources::ValueKind;

// The reference formulation records are read with (the base's, or an
// iterable field's rml:referenceFormulation). kView: the base is a view, whose
// references are field names and whose records have no text of their own.
enum class Formulation : uint8_t { kCsv, kJson, kXml, kView, kOther };

// An expression (RML-LV ExpressionField, or a join condition's child/parent
// map): a reference, a constant or a template.
struct Expr {
  enum class Kind : uint8_t { kReference, kConstant, kTemplate };
  Kind kind = Kind::kReference;
  Value constant;                 // kConstant
  Template tmpl;                  // kTemplate
  std::vector<std::string> refs;  // the references it reads, in order
  std::vector<uint32_t> cols;     // the same as columns, when read from a view record
};

// A view record: (column, value) pairs; columns without a value are absent.
using Row = std::vector<std::pair<uint32_t, Value>>;

}  // namespace

struct FieldDef {
  bool iterable = false;
  std::string name;  // the full name: "item.type"
  Expr expr;         // expression fields
  bool has_formulation = false;
  Formulation formulation = Formulation::kJson;  // iterable fields with rml:referenceFormulation
  std::string iterator;                          // iterable fields
  uint32_t col = 0;      // the value's column (expression fields)
  uint32_t idx_col = 0;  // "<name>.#"
  std::vector<FieldDef> children;
};

struct JoinDef {
  bool inner = false;
  std::shared_ptr<const ViewDef> parent;
  std::vector<std::pair<Expr, Expr>> conditions;  // (child over this view, parent over the parent view)
  std::vector<FieldDef> fields;                   // expressions over the parent view's records
};

struct ViewDef {
  std::string name;  // for messages: "<jsonView>"
  sources::SourceSpec spec;               // the base logical source, unless base_view
  std::shared_ptr<const ViewDef> base_view;
  Formulation formulation = Formulation::kOther;
  bool legacy = false;
  std::vector<FieldDef> fields;
  std::vector<JoinDef> joins;
  std::vector<std::string> columns;  // column 0 is "#"
  std::unordered_map<std::string, uint32_t> column_of;
};

namespace {

Value indexValue(size_t i) {
  Value v;
  v.text = std::to_string(i);
  v.kind = ValueKind::kInteger;  // RML-LV: index keys have the natural datatype xsd:integer
  return v;
}

// RML-Core templates: "{ref}" parts, with \{ \} \\ escaping literal text.
Status parseTemplate(const std::string& text, Template* out) {
  Template::Part cur;
  bool in_ref = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      cur.text += text[++i];
    } else if (c == '{' && !in_ref) {
      if (!cur.text.empty()) out->parts.push_back(std::move(cur));
      cur = Template::Part{};
      cur.is_ref = true;
      in_ref = true;
    } else if (c == '}' && in_ref) {
      if (cur.text.empty()) return Status::invalidArgument("template '" + text + "' has an empty reference {}");
      out->parts.push_back(std::move(cur));
      cur = Template::Part{};
      in_ref = false;
    } else if (c == '{' || c == '}') {
      return Status::invalidArgument("template '" + text + "' has an unbalanced '" + std::string(1, c) + "'");
    } else {
      cur.text += c;
    }
  }
  if (in_ref) return Status::invalidArgument("template '" + text + "' has an unclosed '{'");
  if (!cur.text.empty()) out->parts.push_back(std::move(cur));
  return Status::ok();
}

// Evaluates `e`; get(k, out) appends the values of e.refs[k].
template <typename Get>
Status evalExpr(const Expr& e, Get&& get, std::vector<Value>* out) {
  switch (e.kind) {
    case Expr::Kind::kConstant:
      out->push_back(e.constant);
      return Status::ok();
    case Expr::Kind::kReference:
      return get(size_t{0}, out);
    case Expr::Kind::kTemplate: {
      // One string per combination of the references' values (RML-Core 7.4).
      std::vector<std::string> acc{std::string()};
      std::vector<Value> vals;
      size_t k = 0;
      for (const auto& part : e.tmpl.parts) {
        if (!part.is_ref) {
          for (auto& s : acc) s += part.text;
          continue;
        }
        vals.clear();
        if (Status st = get(k++, &vals); !st) return st;
        if (vals.empty()) return Status::ok();
        std::vector<std::string> next;
        next.reserve(acc.size() * vals.size());
        for (auto& s : acc)
          for (auto& v : vals) next.push_back(s + v.text);
        acc = std::move(next);
      }
      for (auto& s : acc) {
        Value v;
        v.text = std::move(s);
        out->push_back(std::move(v));
      }
      return Status::ok();
    }
  }
  return Status::ok();
}

// Every combination of one row of `a` with one row of `b`.
// `b` is left in an unspecified (valid) state.
void product(std::vector<Row>* a, std::vector<Row>&& b) {
  if (a->size() == 1 && (*a)[0].empty()) {
    a->swap(b);
    return;
  }
  if (b.size() == 1) {
    for (auto& r : *a) r.insert(r.end(), b[0].begin(), b[0].end());
    return;
  }
  std::vector<Row> out;
  out.reserve(a->size() * b.size());
  for (auto& x : *a)
    for (auto& y : b) {
      Row r = x;
      r.insert(r.end(), y.begin(), y.end());
      out.push_back(std::move(r));
    }
  *a = std::move(out);
}

// ---- loading ----

class ViewLoader {
 public:
  ViewLoader(const internal::Doc& doc, const internal::LoadSourceFn& load_source)
      : doc_(doc), load_source_(load_source) {}

  Status load(const rdf::Term& node, const std::string& where, std::shared_ptr<const ViewDef>* out);

 private:
  static std::string nameOf(const rdf::Term& t) {
    if (t.kind == rdf::TermKind::kBlank) return "_:" + t.value;
    return "<" + t.value + ">";
  }
  Status error(const std::string& where, const std::string& what) const {
    return Status::invalidArgument(where + ": " + what);
  }
  Status one(const rdf::Term& s, std::string_view p, const std::string& where, const rdf::Term** out) const {
    auto objs = doc_.objects(s, p);
    if (objs.size() > 1) return error(where, "more than one <" + std::string(p) + ">");
    *out = objs.empty() ? nullptr : objs[0];
    return Status::ok();
  }
  Status loadExpr(const rdf::Term& node, const std::string& where, Expr* out, bool* found) const;
  Status loadFormulation(const rdf::Term& rf, const std::string& where, Formulation* out) const;
  Status loadFields(const rdf::Term& owner, const std::string& prefix, const std::string& where,
                    std::vector<FieldDef>* out);
  Status addColumn(ViewDef* v, const std::string& name, const std::string& where, uint32_t* col) const;
  Status assignColumns(ViewDef* v, std::vector<FieldDef>* fields, const std::string& where) const;
  Status resolve(Expr* e, const ViewDef& v, const std::string& where) const;

  const internal::Doc& doc_;
  const internal::LoadSourceFn& load_source_;
  std::vector<std::string> views_;   // the views being loaded (outer first), by termKey
  std::vector<std::string> fields_;  // the fields being loaded, by termKey
  std::map<std::string, std::shared_ptr<const ViewDef>> done_;
};

Status ViewLoader::loadExpr(const rdf::Term& node, const std::string& where, Expr* out, bool* found) const {
  const rdf::Term *ref, *cst, *tpl;
  Status st;
  if (!(st = one(node, internal::rml("reference"), where, &ref)) ||
      !(st = one(node, internal::rml("constant"), where, &cst)) ||
      !(st = one(node, internal::rml("template"), where, &tpl)))
    return st;
  int n = (ref != nullptr) + (cst != nullptr) + (tpl != nullptr);
  *found = n > 0;
  if (n == 0) {
    if (doc_.has(node, internal::rml("functionExecution")))
      return Status::unsupported(where + ": function-valued expressions are not supported in logical views");
    return Status::ok();
  }
  if (n > 1) return error(where, "more than one of rml:reference, rml:constant, rml:template");
  if (ref) {
    out->kind = Expr::Kind::kReference;
    out->refs = {ref->value};
  } else if (cst) {
    out->kind = Expr::Kind::kConstant;
    out->constant.text = cst->value;
    out->constant.kind = cst->kind == rdf::TermKind::kIri ? ValueKind::kIri : ValueKind::kString;
  } else {
    out->kind = Expr::Kind::kTemplate;
    if (Status s2 = parseTemplate(tpl->value, &out->tmpl); !s2) return error(where, s2.message());
    for (auto& p : out->tmpl.parts)
      if (p.is_ref) out->refs.push_back(p.text);
  }
  return Status::ok();
}

Status ViewLoader::loadFormulation(const rdf::Term& rf, const std::string& where, Formulation* out) const {
  std::string local = rf.value;
  if (local.compare(0, internal::kRml.size(), internal::kRml) == 0) local = local.substr(internal::kRml.size());
  if (rf.kind == rdf::TermKind::kBlank && doc_.hasType(rf, internal::rml("XPathReferenceFormulation")))
    local = "XPath";
  if (local == "CSV") *out = Formulation::kCsv;
  else if (local == "JSONPath") *out = Formulation::kJson;
  else if (local == "XPath" || local == "XPathReferenceFormulation") *out = Formulation::kXml;
  else return Status::unsupported(where + ": reference formulation <" + rf.value + "> is not supported in a field");
  return Status::ok();
}

// Reads the rml:field objects of `owner`; `prefix` is the parent field's
// name plus "." ("" at the top).
Status ViewLoader::loadFields(const rdf::Term& owner, const std::string& prefix, const std::string& where,
                              std::vector<FieldDef>* out) {
  for (const rdf::Term* f : doc_.objects(owner, internal::rml("field"))) {
    std::string key = internal::termKey(*f);
    if (std::find(fields_.begin(), fields_.end(), key) != fields_.end())
      return error(where, "cycle in the fields: field " + nameOf(*f) + " contains itself");
    const rdf::Term *name, *it, *rf;
    Status st;
    if (!(st = one(*f, internal::rml("fieldName"), where, &name)) ||
        !(st = one(*f, internal::rml("iterator"), where, &it)) ||
        !(st = one(*f, internal::rml("referenceFormulation"), where, &rf)))
      return st;
    if (!name || name->value.empty()) return error(where, "a field has no rml:fieldName");
    FieldDef fd;
    fd.name = prefix + name->value;
    std::string w = where + " field '" + fd.name + "'";
    bool has_expr = false;
    if (Status s2 = loadExpr(*f, w, &fd.expr, &has_expr); !s2) return s2;
    fd.iterable = doc_.hasType(*f, internal::rml("IterableField")) || it != nullptr || (!has_expr && rf != nullptr);
    if (fd.iterable) {
      if (has_expr) return error(w, "an iterable field has no expression (rml:reference/constant/template)");
      if (it) fd.iterator = it->value;
      if (rf) {
        fd.has_formulation = true;
        if (Status s2 = loadFormulation(*rf, w, &fd.formulation); !s2) return s2;
      }
    } else if (!has_expr) {
      return error(w, "an expression field needs rml:reference, rml:constant or rml:template");
    }
    fields_.push_back(key);
    Status s3 = loadFields(*f, fd.name + ".", where, &fd.children);
    fields_.pop_back();
    if (!s3) return s3;
    out->push_back(std::move(fd));
  }
  return Status::ok();
}

Status ViewLoader::addColumn(ViewDef* v, const std::string& name, const std::string& where, uint32_t* col) const {
  auto [it, fresh] = v->column_of.emplace(name, static_cast<uint32_t>(v->columns.size()));
  if (!fresh) return error(where, "name collision: more than one field is named '" + name + "'");
  v->columns.push_back(name);
  *col = it->second;
  return Status::ok();
}

Status ViewLoader::assignColumns(ViewDef* v, std::vector<FieldDef>* fields, const std::string& where) const {
  for (auto& f : *fields) {
    if (!f.iterable) {
      if (Status st = addColumn(v, f.name, where, &f.col); !st) return st;
    }
    if (Status st = addColumn(v, f.name + ".#", where, &f.idx_col); !st) return st;
    if (Status st = assignColumns(v, &f.children, where); !st) return st;
  }
  return Status::ok();
}

// A reference read from a view record must name one of its columns.
Status ViewLoader::resolve(Expr* e, const ViewDef& v, const std::string& where) const {
  e->cols.clear();
  for (auto& r : e->refs) {
    auto it = v.column_of.find(r);
    if (it == v.column_of.end()) return error(where, "logical view " + v.name + " has no field '" + r + "'");
    e->cols.push_back(it->second);
  }
  return Status::ok();
}

Status ViewLoader::load(const rdf::Term& node, const std::string& where_in, std::shared_ptr<const ViewDef>* out) {
  std::string key = internal::termKey(node);
  if (std::find(views_.begin(), views_.end(), key) != views_.end())
    return error(where_in, "cycle: logical view " + nameOf(node) + " is based on or joined with itself");
  if (auto it = done_.find(key); it != done_.end()) {
    *out = it->second;
    return Status::ok();
  }
  auto v = std::make_shared<ViewDef>();
  v->name = nameOf(node);
  v->legacy = doc_.legacy;
  std::string where = where_in + ": logical view " + v->name;
  views_.push_back(key);
  struct Pop {
    std::vector<std::string>* s;
    ~Pop() { s->pop_back(); }
  } pop{&views_};

  const rdf::Term* on;
  if (Status st = one(node, internal::rml("viewOn"), where, &on); !st) return st;
  if (!on) return error(where, "no rml:viewOn");
  if (doc_.has(*on, internal::rml("viewOn"))) {
    if (Status st = load(*on, where, &v->base_view); !st) return st;
    v->formulation = Formulation::kView;
  } else {
    LogicalSource ls;
    if (Status st = load_source_(*on, where + " rml:viewOn", &ls); !st) return st;
    if (ls.view) return error(where, "rml:viewOn names a logical view that could not be read");
    v->spec = std::move(ls.spec);
    switch (v->spec.kind) {
      case sources::SourceSpec::Kind::kCsv: v->formulation = Formulation::kCsv; break;
      case sources::SourceSpec::Kind::kJson: v->formulation = Formulation::kJson; break;
      case sources::SourceSpec::Kind::kXml: v->formulation = Formulation::kXml; break;
      default: v->formulation = Formulation::kOther; break;
    }
  }
  // Fields, then their columns: "#", then each field's value and index.
  if (Status st = loadFields(node, "", where, &v->fields); !st) return st;
  if (v->fields.empty() && !doc_.has(node, internal::rml("leftJoin")) && !doc_.has(node, internal::rml("innerJoin")))
    return error(where, "a logical view needs at least one rml:field");
  uint32_t hash_col;
  if (Status st = addColumn(v.get(), "#", where, &hash_col); !st) return st;
  if (Status st = assignColumns(v.get(), &v->fields, where); !st) return st;
  // A view on a view reads the inner view's fields.
  if (v->base_view) {
    for (auto& f : v->fields) {
      if (f.iterable) return Status::unsupported(where + ": an iterable field over another logical view's records");
      if (Status st = resolve(&f.expr, *v->base_view, where + " field '" + f.name + "'"); !st) return st;
    }
  }

  // Joins (RML-LV "Logical View Join"), in document order: left, then inner.
  for (const char* kind : {"leftJoin", "innerJoin"}) {
    for (const rdf::Term* jn : doc_.objects(node, internal::rml(kind))) {
      JoinDef j;
      j.inner = std::string_view(kind) == "innerJoin";
      std::string w = where + " rml:" + kind;
      const rdf::Term* parent;
      if (Status st = one(*jn, internal::rml("parentLogicalView"), w, &parent); !st) return st;
      if (!parent) return error(w, "no rml:parentLogicalView");
      if (!doc_.has(*parent, internal::rml("viewOn")))
        return error(w, "rml:parentLogicalView " + nameOf(*parent) + " is not a logical view");
      if (Status st = load(*parent, w, &j.parent); !st) return st;
      for (const rdf::Term* jc : doc_.objects(*jn, internal::rml("joinCondition"))) {
        std::pair<Expr, Expr> cond;
        for (int side = 0; side < 2; ++side) {
          const char* shortcut = side == 0 ? "child" : "parent";
          const char* map = side == 0 ? "childMap" : "parentMap";
          Expr& e = side == 0 ? cond.first : cond.second;
          std::string wc = w + " join condition " + shortcut;
          const rdf::Term *sc, *mp;
          if (Status st = one(*jc, internal::rml(shortcut), wc, &sc); !st) return st;
          if (Status st = one(*jc, internal::rml(map), wc, &mp); !st) return st;
          if (sc && mp) return error(wc, std::string("both rml:") + shortcut + " and rml:" + map);
          if (sc) {
            e.kind = Expr::Kind::kReference;
            e.refs = {sc->value};
          } else if (mp) {
            bool found = false;
            if (Status st = loadExpr(*mp, wc, &e, &found); !st) return st;
            if (!found) return error(wc, "an expression map needs rml:reference, rml:constant or rml:template");
          } else {
            return error(w, std::string("a join condition needs rml:") + shortcut + " or rml:" + map);
          }
        }
        if (Status st = resolve(&cond.second, *j.parent, w + " join condition"); !st) return st;
        j.conditions.push_back(std::move(cond));
      }
      if (Status st = loadFields(*jn, "", w, &j.fields); !st) return st;
      for (auto& f : j.fields) {
        if (f.iterable) return Status::unsupported(w + ": an iterable field in a join");
        if (!f.children.empty()) return Status::unsupported(w + ": nested fields in a join");
        if (Status st = resolve(&f.expr, *j.parent, w + " field '" + f.name + "'"); !st) return st;
      }
      if (Status st = assignColumns(v.get(), &j.fields, w); !st) return st;
      v->joins.push_back(std::move(j));
    }
  }
  // Child sides of join conditions read this view's columns (any join's).
  for (auto& j : v->joins)
    for (auto& c : j.conditions)
      if (Status st = resolve(&c.first, *v, where + " join condition"); !st) return st;

  done_[key] = v;
  *out = std::move(v);
  return Status::ok();
}

// ---- reading ----

// A source opened over one value's text (an iterable field's input); owns
// the text, which the CSV reader reads in place.
struct NestedSource {
  std::string text;
  std::unique_ptr<Source> src;
};

// RML-LV: the default iterator of a changed reference formulation selects the
// whole value ("$" for JSONPath, the document element's children for XPath).
Result<std::unique_ptr<NestedSource>> openNested(Formulation f, const Value& v, const std::string& iterator,
                                                 bool legacy, const std::string& name) {
  auto n = std::make_unique<NestedSource>();
  sources::SourceSpec spec;
  spec.json_expand_arrays = legacy;
  switch (f) {
    case Formulation::kJson: {
      spec.kind = sources::SourceSpec::Kind::kJson;
      spec.iterator = iterator.empty() ? "$" : iterator;
      size_t i = v.text.find_first_not_of(" \t\r\n");
      bool structured = i != std::string::npos && (v.text[i] == '{' || v.text[i] == '[');
      if (structured || v.kind != ValueKind::kString) {
        n->text = v.text;
      } else {  // a JSON string scalar: quote it so it parses as one
        n->text.reserve(v.text.size() + 2);
        n->text += '"';
        for (char c : v.text) {
          if (c == '"' || c == '\\') n->text += '\\', n->text += c;
          else if (c == '\n') n->text += "\\n";
          else if (c == '\r') n->text += "\\r";
          else if (c == '\t') n->text += "\\t";
          else if (static_cast<unsigned char>(c) < 0x20) n->text += ' ';
          else n->text += c;
        }
        n->text += '"';
      }
      auto in = sources::internal::decodeInput(sources::internal::memoryByteReader(n->text), "", name);
      if (!in.isOk()) return in.status();
      auto s = sources::internal::openJsonStream(spec, std::move(in.value()), name,
                                                 sources::internal::JsonMode::kDom);
      if (!s.isOk()) return s.status();
      n->src = std::move(s.value());
      return n;
    }
    case Formulation::kCsv: {
      spec.kind = sources::SourceSpec::Kind::kCsv;
      n->text = v.text;
      auto s = sources::internal::openCsvMemory(spec, n->text, name);
      if (!s.isOk()) return s.status();
      n->src = std::move(s.value());
      return n;
    }
    case Formulation::kXml: {
      spec.kind = sources::SourceSpec::Kind::kXml;
      spec.iterator = iterator.empty() ? "/*" : iterator;
      auto s = sources::internal::openXmlMemory(spec, v.text, sources::internal::XmlMode::kDom);
      if (!s.isOk()) return s.status();
      n->src = std::move(s.value());
      return n;
    }
    default: break;
  }
  return Status::unsupported(name + ": this reference formulation cannot read a field's value");
}

// References of a list of fields compiled on one source: per field, its
// expression's RefIds; `text` reads the record itself (for iterable fields).
struct Compiled {
  std::vector<std::vector<RefId>> ids;
  bool has_text = false;
  RefId text = 0;
};

class ViewSource;
Result<std::unique_ptr<ViewSource>> openViewSource(const ViewDef& view);

class ViewSource : public Source {
 public:
  explicit ViewSource(const ViewDef& v) : v_(v), fields_hint_(v.columns.size()) {}

  Status open() {
    if (v_.base_view) {
      auto b = openViewSource(*v_.base_view);
      if (!b.isOk()) return b.status();
      base_ = std::move(b.value());
    } else {
      auto b = internal::openSource(v_.spec);
      if (!b.isOk()) return b.status();
      base_ = std::move(b.value());
    }
    if (Status st = compileFields(base_.get(), v_.formulation, v_.fields, &top_); !st) return st;
    joins_.resize(v_.joins.size());
    for (size_t i = 0; i < v_.joins.size(); ++i)
      if (Status st = buildJoin(v_.joins[i], &joins_[i]); !st) return st;
    return Status::ok();
  }

  Status compile(std::string_view reference, RefId* id) override {
    auto it = v_.column_of.find(std::string(reference));
    if (it == v_.column_of.end()) {
      std::string msg = "logical view " + v_.name + " has no field '" + std::string(reference) + "'";
      if (reference == "<it>") msg += " (the record key <it> cannot be referenced)";
      return Status::invalidArgument(msg);
    }
    *id = it->second;
    return Status::ok();
  }

  Status next(bool* has) override {
    if (++pos_ < rows_.size()) {
      *has = true;
      return Status::ok();
    }
    for (;;) {
      bool h = false;
      if (Status st = base_->next(&h); !st) return st;
      if (!h) {
        rows_.clear();
        pos_ = 0;
        *has = false;
        return Status::ok();
      }
      size_t index = index_++;
      rows_.clear();
      if (Status st = evalFields(base_.get(), v_.formulation, v_.fields, top_, &rows_); !st) return st;
      Value hash = indexValue(index);
      for (auto& r : rows_) r.emplace_back(0, hash);
      for (size_t j = 0; j < v_.joins.size() && !rows_.empty(); ++j)
        if (Status st = applyJoin(v_.joins[j], joins_[j], &rows_); !st) return st;
      if (!rows_.empty()) {
        pos_ = 0;
        *has = true;
        return Status::ok();
      }
    }
  }

  Status values(RefId id, std::vector<Value>* out) override {
    if (pos_ >= rows_.size()) return Status::invalidArgument("logical view " + v_.name + ": no current record");
    for (auto& [c, val] : rows_[pos_])
      if (c == id) out->push_back(val);
    return Status::ok();
  }

  std::string position() const override { return base_ ? base_->position() : v_.name; }

  const Row& row() const { return rows_[pos_]; }

 private:
  // A parent view's records and an index from join key to record.
  struct JoinTable {
    std::vector<Row> rows;
    std::unordered_map<std::string, std::vector<uint32_t>> index;
  };

  std::string where(const std::string& field) const { return "logical view " + v_.name + " field '" + field + "'"; }

  Status compileFields(Source* src, Formulation f, const std::vector<FieldDef>& fields, Compiled* out) const {
    out->ids.assign(fields.size(), {});
    for (size_t i = 0; i < fields.size(); ++i) {
      const FieldDef& fd = fields[i];
      if (fd.iterable) {
        if (!out->has_text) {
          if (f != Formulation::kJson)
            return Status::unsupported(where(fd.name) +
                                       ": an iterable field directly over a record needs a JSONPath source "
                                       "(or a parent field holding the data)");
          if (Status st = src->compile("$", &out->text); !st) return st;
          out->has_text = true;
        }
        continue;
      }
      for (auto& r : fd.expr.refs) {
        RefId id;
        if (Status st = src->compile(r, &id); !st) return Status(st.code(), where(fd.name) + ": " + st.message());
        out->ids[i].push_back(id);
      }
    }
    return Status::ok();
  }

  // The rows `fields` give for the current record of `src`.
  Status evalFields(Source* src, Formulation f, const std::vector<FieldDef>& fields, const Compiled& comp,
                    std::vector<Row>* out) const {
    out->assign(1, Row{});
    std::vector<Row> part;
    std::vector<Value> vals;
    for (size_t i = 0; i < fields.size(); ++i) {
      const FieldDef& fd = fields[i];
      part.clear();
      if (fd.iterable) {
        vals.clear();
        if (Status st = src->values(comp.text, &vals); !st) return st;
        if (vals.empty()) part.emplace_back();
        for (auto& v : vals)
          if (Status st = evalIterable(fd, fd.has_formulation ? fd.formulation : f, v, &part); !st) return st;
      } else {
        vals.clear();
        auto get = [&](size_t k, std::vector<Value>* o) { return src->values(comp.ids[i][k], o); };
        if (Status st = evalExpr(fd.expr, get, &vals); !st) return st;
        if (Status st = expandValues(fd, f, vals, &part); !st) return st;
      }
      product(out, std::move(part));
    }
    return Status::ok();
  }

  // An expression field's values: one row each, with its children's rows.
  Status expandValues(const FieldDef& fd, Formulation f, std::vector<Value>& vals, std::vector<Row>* part) const {
    if (vals.empty()) {
      part->emplace_back();
      return Status::ok();
    }
    for (size_t k = 0; k < vals.size(); ++k) {
      Row base;
      if (fd.children.empty()) {  // the common case: the value moves into the row
        base.reserve(fields_hint_);
        base.emplace_back(fd.col, std::move(vals[k]));
        base.emplace_back(fd.idx_col, indexValue(k));
        part->push_back(std::move(base));
        continue;
      }
      base.emplace_back(fd.col, vals[k]);
      base.emplace_back(fd.idx_col, indexValue(k));
      std::vector<Row> sub;
      if (Status st = evalChildren(fd, f, vals[k], &sub); !st) return st;
      for (auto& s : sub) {
        Row r = base;
        r.insert(r.end(), s.begin(), s.end());
        part->push_back(std::move(r));
      }
    }
    return Status::ok();
  }

  // The children of an expression field, over one of its values.
  Status evalChildren(const FieldDef& parent, Formulation f, const Value& v, std::vector<Row>* out) const {
    out->assign(1, Row{});
    std::vector<Row> part;
    for (const FieldDef& c : parent.children) {
      part.clear();
      if (c.iterable) {
        if (Status st = evalIterable(c, c.has_formulation ? c.formulation : f, v, &part); !st) return st;
      } else {
        // An expression over the value read as a document of the parent's formulation.
        auto n = openNested(f, v, "", v_.legacy, where(c.name));
        if (!n.isOk()) return n.status();
        Source* src = n.value()->src.get();
        std::vector<RefId> ids;
        for (auto& r : c.expr.refs) {
          RefId id;
          if (Status st = src->compile(r, &id); !st) return Status(st.code(), where(c.name) + ": " + st.message());
          ids.push_back(id);
        }
        std::vector<Value> vals;
        for (;;) {
          bool h = false;
          if (Status st = src->next(&h); !st) return st;
          if (!h) break;
          auto get = [&](size_t k, std::vector<Value>* o) { return src->values(ids[k], o); };
          if (Status st = evalExpr(c.expr, get, &vals); !st) return st;
        }
        if (Status st = expandValues(c, f, vals, &part); !st) return st;
      }
      product(out, std::move(part));
    }
    return Status::ok();
  }

  // An iterable field over `input` (read in formulation f): one row per
  // iteration, with its index and its children's rows.
  Status evalIterable(const FieldDef& fd, Formulation f, const Value& input, std::vector<Row>* part) const {
    auto n = openNested(f, input, fd.iterator, v_.legacy, where(fd.name));
    if (!n.isOk()) return n.status();
    Source* src = n.value()->src.get();
    Compiled comp;
    if (Status st = compileFields(src, f, fd.children, &comp); !st) return st;
    size_t k = 0;
    std::vector<Row> sub;
    for (;; ++k) {
      bool h = false;
      if (Status st = src->next(&h); !st) return Status(st.code(), where(fd.name) + ": " + st.message());
      if (!h) break;
      if (Status st = evalFields(src, f, fd.children, comp, &sub); !st) return st;
      Value idx = indexValue(k);
      for (auto& s : sub) {
        Row r;
        r.reserve(s.size() + 1);
        r.emplace_back(fd.idx_col, idx);
        r.insert(r.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
        part->push_back(std::move(r));
      }
    }
    if (k == 0) part->emplace_back();
    return Status::ok();
  }

  // The join keys of a record: one per combination of the conditions' values
  // (RML-LV: records join when every condition has equal values).
  template <typename Side>
  static Status keysOf(const JoinDef& j, const Row& r, Side side, std::vector<std::string>* keys) {
    keys->assign(1, std::string());
    std::vector<Value> vals;
    for (auto& c : j.conditions) {
      const Expr& e = side(c);
      vals.clear();
      auto get = [&](size_t k, std::vector<Value>* o) {
        for (auto& [col, val] : r)
          if (col == e.cols[k]) o->push_back(val);
        return Status::ok();
      };
      if (Status st = evalExpr(e, get, &vals); !st) return st;
      if (vals.empty()) {
        keys->clear();
        return Status::ok();
      }
      std::vector<std::string> next;
      for (auto& k : *keys)
        for (auto& v : vals) {
          std::string s = k;
          s += std::to_string(v.text.size());
          s += ':';
          s += v.text;
          next.push_back(std::move(s));
        }
      *keys = std::move(next);
    }
    return Status::ok();
  }

  Status buildJoin(const JoinDef& j, JoinTable* t) const {
    auto p = openViewSource(*j.parent);
    if (!p.isOk()) return p.status();
    ViewSource& ps = *p.value();
    std::vector<std::string> keys;
    for (;;) {
      bool h = false;
      if (Status st = ps.next(&h); !st) return st;
      if (!h) break;
      if (Status st = keysOf(j, ps.row(), [](const auto& c) -> const Expr& { return c.second; }, &keys); !st)
        return st;
      if (keys.empty()) continue;
      auto idx = static_cast<uint32_t>(t->rows.size());
      t->rows.push_back(ps.row());
      for (auto& k : keys) {
        auto& list = t->index[k];
        if (list.empty() || list.back() != idx) list.push_back(idx);
      }
    }
    return Status::ok();
  }

  // Joins each row with the matching parent records; joined fields take
  // their values from those records, indexed across all of them.
  Status applyJoin(const JoinDef& j, const JoinTable& t, std::vector<Row>* rows) const {
    std::vector<Row> out;
    std::vector<std::string> keys;
    std::vector<uint32_t> matches;
    for (auto& r : *rows) {
      if (Status st = keysOf(j, r, [](const auto& c) -> const Expr& { return c.first; }, &keys); !st) return st;
      matches.clear();
      for (auto& k : keys) {
        auto it = t.index.find(k);
        if (it == t.index.end()) continue;
        for (uint32_t m : it->second)
          if (std::find(matches.begin(), matches.end(), m) == matches.end()) matches.push_back(m);
      }
      if (matches.empty()) {
        if (!j.inner) out.push_back(std::move(r));
        continue;
      }
      std::sort(matches.begin(), matches.end());
      std::vector<size_t> counter(j.fields.size(), 0);
      std::vector<Row> joined;
      std::vector<Value> vals;
      for (uint32_t m : matches) {
        const Row& pr = t.rows[m];
        std::vector<Row> acc(1);
        for (size_t f = 0; f < j.fields.size(); ++f) {
          const FieldDef& fd = j.fields[f];
          vals.clear();
          auto get = [&](size_t k, std::vector<Value>* o) {
            for (auto& [col, val] : pr)
              if (col == fd.expr.cols[k]) o->push_back(val);
            return Status::ok();
          };
          if (Status st = evalExpr(fd.expr, get, &vals); !st) return st;
          std::vector<Row> part;
          if (vals.empty()) part.emplace_back();
          for (auto& v : vals) {
            Row x;
            x.emplace_back(fd.col, v);
            x.emplace_back(fd.idx_col, indexValue(counter[f]++));
            part.push_back(std::move(x));
          }
          product(&acc, std::move(part));
        }
        joined.insert(joined.end(), std::make_move_iterator(acc.begin()), std::make_move_iterator(acc.end()));
      }
      for (auto& x : joined) {
        Row y = r;
        y.insert(y.end(), x.begin(), x.end());
        out.push_back(std::move(y));
      }
    }
    *rows = std::move(out);
    return Status::ok();
  }

  const ViewDef& v_;
  std::unique_ptr<Source> base_;
  Compiled top_;
  std::vector<JoinTable> joins_;
  std::vector<Row> rows_;
  size_t pos_ = 0;
  size_t index_ = 0;
  size_t fields_hint_;  // columns a row may have: the capacity rows start with
};

Result<std::unique_ptr<ViewSource>> openViewSource(const ViewDef& view) {
  auto s = std::make_unique<ViewSource>(view);
  if (Status st = s->open(); !st) return st;
  return s;
}

}  // namespace

namespace internal {

Status loadView(const Doc& doc, const rdf::Term& node, const std::string& where, const LoadSourceFn& load_source,
                std::shared_ptr<const ViewDef>* out) {
  ViewLoader loader(doc, load_source);
  return loader.load(node, where, out);
}

Result<std::unique_ptr<sources::Source>> openView(const ViewDef& view) {
  auto s = openViewSource(view);
  if (!s.isOk()) return s.status();
  return std::unique_ptr<sources::Source>(std::move(s.value()));
}

}  // namespace internal
}  // namespace weft::map
