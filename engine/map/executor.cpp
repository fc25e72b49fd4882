// SPDX-License-Identifier: Apache-2.0
// The mapping executor (see executor.h). Term generation follows RML-Core
// section 7 (and R2RML 11 for the shared parts): templates percent-encode
// their values for IRIs, relative IRIs take the base IRI, a reference with no
// value makes no term, and a record that makes an invalid IRI or language tag
// is a data error reported with its position.
#include "engine/map/executor.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "engine/map/internal/dedupe.h"
#include "engine/map/internal/functions.h"
#include "engine/map/internal/join.h"
#include "engine/map/internal/view.h"
#include "engine/map/loader.h"
#include "engine/rdf/iri.h"

namespace weft::map {

namespace {

constexpr std::string_view kDefaultGraph = "http://w3id.org/rml/defaultGraph";
constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDouble = "http://www.w3.org/2001/XMLSchema#double";
constexpr std::string_view kXsdDecimal = "http://www.w3.org/2001/XMLSchema#decimal";
constexpr std::string_view kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr std::string_view kXsdHexBinary = "http://www.w3.org/2001/XMLSchema#hexBinary";

// A growable list of terms whose strings keep their capacity between records.
class TermList {
 public:
  rdf::Term& push() {
    if (n_ == items_.size()) items_.emplace_back();
    return items_[n_++];
  }
  void pop() { --n_; }
  void clear() { n_ = 0; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  const rdf::Term& operator[](size_t i) const { return items_[i]; }

 private:
  std::vector<rdf::Term> items_;
  size_t n_ = 0;
};

// A data error in one record: the reason; the caller adds the position.
struct DataError {
  std::string where, what;
};

// A term map bound to one source: reference ids resolved.
struct Bound {
  const TermMap* tm = nullptr;
  std::vector<sources::RefId> refs;  // kReference: [0]; kTemplate: per reference part
  std::vector<Bound> inputs;         // kFunction
  std::unique_ptr<Bound> dt, lang, condition;
};

void toHex(std::string* s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s->size() * 2);
  for (unsigned char c : *s) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  *s = std::move(out);
}

// Copies a quad into a reused slot (its strings keep their capacity); no
// graph = the default graph.
void setQuad(rdf::Quad* q, const rdf::Term& s, const rdf::Term& p, const rdf::Term& o, const rdf::Term* g) {
  q->s = s;
  q->p = p;
  q->o = o;
  if (g) q->g = *g;
  else q->g = rdf::Term();
}

// One open logical source plus its per-record value cache.
class BoundSource {
 public:
  explicit BoundSource(std::unique_ptr<sources::Source> s) : src_(std::move(s)) {}
  sources::Source& source() { return *src_; }
  Status ref(const std::string& reference, sources::RefId* id) {
    auto it = ids_.find(reference);
    if (it != ids_.end()) {
      *id = it->second;
      return Status::ok();
    }
    if (Status st = src_->compile(reference, id); !st) return st;
    ids_.emplace(reference, *id);
    if (cache_.size() <= *id) cache_.resize(*id + 1);
    return Status::ok();
  }
  Status bind(const TermMap& tm, Bound* b) {
    b->tm = &tm;
    switch (tm.kind) {
      case TermMap::Kind::kConstant:
      case TermMap::Kind::kFreshBlank:
        break;
      case TermMap::Kind::kReference: {
        sources::RefId id;
        if (Status st = ref(tm.reference, &id); !st)
          return Status::invalidArgument(tm.where + ": " + st.message());
        b->refs.push_back(id);
        break;
      }
      case TermMap::Kind::kTemplate:
        for (auto& p : tm.tmpl.parts) {
          if (!p.is_ref) continue;
          sources::RefId id;
          if (Status st = ref(p.text, &id); !st) return Status::invalidArgument(tm.where + ": " + st.message());
          b->refs.push_back(id);
        }
        break;
      case TermMap::Kind::kFunction:
        if (Status st = internal::checkFunction(*tm.fn, tm.where); !st) return st;
        for (auto& in : tm.fn->inputs) {
          b->inputs.emplace_back();
          if (Status st = bind(*in.value, &b->inputs.back()); !st) return st;
        }
        break;
    }
    if (tm.datatype_map) {
      b->dt = std::make_unique<Bound>();
      if (Status st = bind(*tm.datatype_map, b->dt.get()); !st) return st;
    }
    if (tm.language_map) {
      b->lang = std::make_unique<Bound>();
      if (Status st = bind(*tm.language_map, b->lang.get()); !st) return st;
    }
    if (tm.condition) {
      b->condition = std::make_unique<Bound>();
      if (Status st = bind(*tm.condition, b->condition.get()); !st) return st;
    }
    return Status::ok();
  }
  // Values of a reference in the current record (cached per record).
  Status values(sources::RefId id, const std::vector<sources::Value>** out) {
    Entry& e = cache_[id];
    if (e.gen != gen_) {
      e.vals.clear();
      if (Status st = src_->values(id, &e.vals); !st) return st;
      for (auto& v : e.vals)
        if (v.kind == sources::ValueKind::kBinary) toHex(&v.text);  // R2RML: binary values as hex
      e.gen = gen_;
    }
    *out = &e.vals;
    return Status::ok();
  }
  Status next(bool* has) {
    ++gen_;
    return src_->next(has);
  }
  uint64_t record() const { return gen_; }

 private:
  struct Entry {
    uint64_t gen = 0;
    std::vector<sources::Value> vals;
  };
  std::unique_ptr<sources::Source> src_;
  std::unordered_map<std::string, sources::RefId> ids_;
  std::vector<Entry> cache_;
  uint64_t gen_ = 1;
};

bool isUcschar(uint32_t c) {
  return (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFEF) ||
         (c >= 0x10000 && c <= 0xEFFFD && (c & 0xFFFF) <= 0xFFFD);
}

void appendHex(std::string& out, unsigned char b) {
  static const char* kHex = "0123456789ABCDEF";
  out += '%';
  out += kHex[b >> 4];
  out += kHex[b & 15];
}

// Blank node labels from values: letters and digits stay, the rest is hex,
// so distinct values give distinct labels.
void appendBlankLabel(std::string& out, std::string_view v) {
  out += 'b';
  for (unsigned char c : v) {
    if ((c >= 'a' && c <= 'z' && c != 'x') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789abcdef";
      out += 'x';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

std::string naturalDatatype(const sources::Value& v) {
  switch (v.kind) {
    case sources::ValueKind::kInteger: return std::string(kXsdInteger);
    case sources::ValueKind::kDouble: return std::string(kXsdDouble);
    case sources::ValueKind::kDecimal: return std::string(kXsdDecimal);
    case sources::ValueKind::kBoolean: return std::string(kXsdBoolean);
    case sources::ValueKind::kBinary: return std::string(kXsdHexBinary);
    default: return v.datatype;
  }
}

// Evaluates bound term maps over the current record of one source.
class Evaluator {
 public:
  // `natural`: typed source values make typed literals; `lenient`: an
  // invalid IRI drops the term (counted in *dropped) instead of failing.
  Evaluator(BoundSource& src, std::string base, bool natural = true, bool lenient = false,
            uint64_t* dropped = nullptr)
      : src_(src), base_(std::move(base)), natural_(natural), lenient_(lenient), dropped_(dropped) {}

  // Appends the terms `b` makes; a DataError for an invalid result.
  bool eval(const Bound& b, TermList* out, DataError* err) {
    const TermMap& tm = *b.tm;
    if (b.condition) {  // RML-FNML condition: a term only when it gives "true"
      TermList c;
      if (!eval(*b.condition, &c, err)) return false;
      if (c.empty() || c[0].value != "true") return true;
    }
    switch (tm.kind) {
      case TermMap::Kind::kFreshBlank: {
        rdf::Term& t = out->push();
        t.kind = rdf::TermKind::kBlank;
        t.datatype.clear();
        t.lang.clear();
        t.value = "r" + std::to_string(reinterpret_cast<uintptr_t>(&tm) % 1000003) + "_" +
                  std::to_string(src_.record());
        return true;
      }
      case TermMap::Kind::kConstant: {
        rdf::Term& t = out->push();
        t = tm.constant;
        return true;
      }
      case TermMap::Kind::kReference: {
        const std::vector<sources::Value>* vals = nullptr;
        if (Status st = src_.values(b.refs[0], &vals); !st) return fail(tm, st.message(), err);
        for (const auto& v : *vals)
          if (!makeTerm(b, v.text, &v, out, err)) return false;
        return true;
      }
      case TermMap::Kind::kTemplate:
        return evalTemplate(b, out, err);
      case TermMap::Kind::kFunction: {
        std::vector<std::vector<sources::Value>> args(b.inputs.size());
        for (size_t i = 0; i < b.inputs.size(); ++i) {
          TermList tl;
          if (!eval(b.inputs[i], &tl, err)) return false;
          for (size_t k = 0; k < tl.size(); ++k) {
            sources::Value v;
            v.text = tl[k].value;
            if (tl[k].kind == rdf::TermKind::kIri) v.kind = sources::ValueKind::kIri;
            else if (tl[k].kind == rdf::TermKind::kLiteral) {
              v.datatype = tl[k].datatype;
              v.lang = tl[k].lang;
              if (v.datatype == kXsdInteger) v.kind = sources::ValueKind::kInteger;
              else if (v.datatype == kXsdDouble) v.kind = sources::ValueKind::kDouble;
              else if (v.datatype == kXsdBoolean) v.kind = sources::ValueKind::kBoolean;
            }
            args[i].push_back(std::move(v));
          }
        }
        std::vector<sources::Value> results;
        if (Status st = internal::callFunction(*tm.fn, args, &results); !st) return fail(tm, st.message(), err);
        for (const auto& v : results)
          if (!makeTerm(b, v.text, &v, out, err)) return false;
        return true;
      }
    }
    return true;
  }

 private:
  bool fail(const TermMap& tm, std::string what, DataError* err) {
    err->where = tm.where;
    err->what = std::move(what);
    return false;
  }

  bool evalTemplate(const Bound& b, TermList* out, DataError* err) {
    const TermMap& tm = *b.tm;
    // Values per reference part; no value in any part -> no term.
    std::vector<const std::vector<sources::Value>*> vals(b.refs.size());
    for (size_t i = 0; i < b.refs.size(); ++i) {
      if (Status st = src_.values(b.refs[i], &vals[i]); !st) return fail(tm, st.message(), err);
      if (vals[i]->empty()) return true;
    }
    bool encode = tm.term_type == TermType::kIri || tm.term_type == TermType::kUri;
    bool ascii_only = tm.term_type == TermType::kUri;
    std::vector<size_t> idx(b.refs.size(), 0);
    for (;;) {
      buf_.clear();
      size_t r = 0;
      for (auto& p : tm.tmpl.parts) {
        if (!p.is_ref) {
          buf_ += p.text;
          continue;
        }
        const std::string& v = (*vals[r])[idx[r]].text;
        ++r;
        if (encode) appendIriSafe(buf_, v, ascii_only);
        else buf_ += v;
      }
      if (!makeTerm(b, buf_, nullptr, out, err)) return false;
      // Next combination (cartesian product of multi-valued references).
      size_t k = idx.size();
      while (k > 0) {
        --k;
        if (++idx[k] < vals[k]->size()) break;
        idx[k] = 0;
        if (k == 0) return true;
      }
      if (idx.empty()) return true;
    }
  }

  // One term of the map's type from `text`; `v` (if any) gives the natural datatype.
  bool makeTerm(const Bound& b, std::string_view text, const sources::Value* v, TermList* out, DataError* err) {
    const TermMap& tm = *b.tm;
    TermType type = tm.term_type;
    // A function that returns IRIs makes IRIs unless the map says otherwise.
    if (v && v->kind == sources::ValueKind::kIri && !tm.term_type_explicit && tm.kind == TermMap::Kind::kFunction)
      type = TermType::kIri;
    switch (type) {
      case TermType::kIri:
      case TermType::kUri:
      case TermType::kUnsafeIri: {
        rdf::Term& t = out->push();
        t.kind = rdf::TermKind::kIri;
        t.datatype.clear();
        t.lang.clear();
        if (rdf::hasIriScheme(text)) {
          t.value.assign(text);
        } else {
          t.value.assign(base_);
          t.value.append(text);
        }
        std::string why;
        if (type != TermType::kUnsafeIri && !rdf::checkIri(t.value, &why)) {
          std::string bad = t.value;
          out->pop();
          if (lenient_) {
            if (dropped_) ++*dropped_;
            return true;
          }
          return fail(tm, "invalid IRI <" + bad + ">: " + why, err);
        }
        return true;
      }
      case TermType::kBlank: {
        rdf::Term& t = out->push();
        t.kind = rdf::TermKind::kBlank;
        t.datatype.clear();
        t.lang.clear();
        t.value.clear();
        appendBlankLabel(t.value, text);
        return true;
      }
      case TermType::kLiteral:
        break;
    }
    std::string lang = tm.language, dt = tm.datatype;
    if (b.lang) {
      TermList l;
      if (!eval(*b.lang, &l, err)) return false;
      if (l.empty()) return true;  // no language: no term
      lang = l[0].value;
      if (!wellFormedLangTag(lang)) return fail(tm, "invalid language tag \"" + lang + "\"", err);
    }
    if (b.dt) {
      TermList d;
      if (!eval(*b.dt, &d, err)) return false;
      if (d.empty()) return true;
      dt = d[0].value;
    }
    rdf::Term& t = out->push();
    t.kind = rdf::TermKind::kLiteral;
    t.value.assign(text);
    if (!lang.empty()) {
      t.lang = lang;
      t.datatype = std::string(rdf::kRdfLangString);
    } else {
      t.lang.clear();
      if (!dt.empty()) t.datatype = dt;
      else if (v && (natural_ || !v->datatype.empty()) && !naturalDatatype(*v).empty()) {
        t.datatype = naturalDatatype(*v);
        if (!v->lang.empty()) {
          t.lang = v->lang;
          t.datatype = std::string(rdf::kRdfLangString);
        }
      } else {
        t.datatype = std::string(rdf::kXsdString);
      }
    }
    return true;
  }

  BoundSource& src_;
  std::string base_;
  bool natural_ = true, lenient_ = false;
  uint64_t* dropped_ = nullptr;
  std::string buf_;
};

class Runner {
 public:
  Runner(const Mapping& m, const RunOptions& opts, rdf::QuadSink& out, RunStats* stats)
      : m_(m), opts_(opts), out_(out), stats_(*stats), dedupe_(opts.memory_limit / 3 * 2) {}

  Status run() {
    if (opts_.skip_errors && !opts_.rejects_path.empty()) {
      rejects_ = std::fopen(opts_.rejects_path.c_str(), "w");
      if (!rejects_) return Status::ioError("cannot write rejects file '" + opts_.rejects_path + "'");
    }
    Status st;
    for (size_t i = 0; i < m_.maps.size() && st; ++i) st = runMap(i);
    // Quads set aside by duplicate elimination once its table was full.
    if (st && opts_.dedupe) st = flush();
    stats_.spilled_quads = dedupe_.deferred();
    if (st && opts_.dedupe) st = dedupe_.finish(out_, &stats_.duplicates, &stats_.quads);
    if (rejects_ && std::fclose(rejects_) != 0 && st) st = Status::ioError("error writing the rejects file");
    rejects_ = nullptr;
    return st;
  }

 private:

  std::string baseOf(const TriplesMap& tm) const { return tm.base.empty() ? m_.base : tm.base; }
  // Legacy rml.io gives only SQL (R2RML) and RDF values natural datatypes.
  bool natural(const TriplesMap& tm) const {
    auto k = tm.source.spec.kind;
    return !m_.legacy || k == sources::SourceSpec::Kind::kSql || k == sources::SourceSpec::Kind::kSparql;
  }

  Result<std::unique_ptr<BoundSource>> open(const TriplesMap& tm) {
    auto s = tm.source.view ? internal::openView(*tm.source.view) : internal::openSource(tm.source.spec);
    if (!s.isOk()) return Status(s.status().code(), tm.name + ": " + s.status().message());
    return std::make_unique<BoundSource>(std::move(s.value()));
  }

  // A record failed: stop, or log it and go on.
  Status recordError(BoundSource& src, const TriplesMap& tm, const DataError& e) {
    std::string msg = src.source().position() + ": " + (e.where.empty() ? tm.name : e.where) + ": " + e.what;
    if (!opts_.skip_errors) return Status::invalidArgument(msg);
    ++stats_.rejects;
    if (rejects_) std::fprintf(rejects_, "%s\n", msg.c_str());
    return Status::ok();
  }

  // Quads wait in a small queue so duplicate elimination can fingerprint
  // and prefetch a batch before probing its table (one memory latency per
  // batch instead of per quad); flush() keeps their order.
  Status emit(const rdf::Term& s, const rdf::Term& p, const rdf::Term& o, const rdf::Term* g) {
    if (!opts_.dedupe) {
      ++stats_.quads;
      return out_.quad(rdf::QuadView{s.view(), p.view(), o.view(), g ? g->view() : rdf::TermView()});
    }
    setQuad(&queue_[nqueue_++], s, p, o, g);
    return nqueue_ == kQueue ? flush() : Status::ok();
  }

  Status flush() {
    internal::Deduper::Fp fps[kQueue];
    for (size_t i = 0; i < nqueue_; ++i) {
      fps[i] = internal::Deduper::fingerprint(queue_[i].view());
      dedupe_.prefetch(fps[i]);
    }
    size_t n = nqueue_;
    nqueue_ = 0;
    for (size_t i = 0; i < n; ++i) {
      rdf::QuadView q = queue_[i].view();
      auto v = dedupe_.insert(fps[i], q);
      if (!v.isOk()) return v.status();
      if (v.value() == internal::Deduper::Verdict::kDuplicate) {
        ++stats_.duplicates;
      } else if (v.value() == internal::Deduper::Verdict::kNew) {
        ++stats_.quads;
        if (Status st = out_.quad(q); !st) return st;
      }
    }
    return Status::ok();
  }

  Status buildJoin(const ObjectMap& om, const std::string& key, const std::string& child_where) {
    if (joins_.count(key)) return Status::ok();
    const TriplesMap& parent = m_.maps[om.parent];
    auto src = open(parent);
    if (!src.isOk()) return src.status();
    BoundSource& ps = *src.value();
    Bound subj;
    if (Status st = ps.bind(parent.subject, &subj); !st) return st;
    std::vector<Bound> keys(om.joins.size());
    for (size_t i = 0; i < om.joins.size(); ++i)
      if (Status st = ps.bind(om.joins[i].parent, &keys[i]); !st)
        return Status::invalidArgument(child_where + ": parent " + st.message());
    Evaluator ev(ps, baseOf(parent), natural(parent), m_.legacy, &stats_.dropped_terms);
    // The joins share a quarter of the memory budget (the rest is for
    // duplicate elimination); a table past its share spills to disk.
    size_t used = 0;
    for (auto& [k, t] : joins_) used += t->bytes();
    size_t share = opts_.memory_limit / 4;
    auto table = std::make_unique<internal::JoinTable>(share > used + (1 << 20) ? share - used : (1 << 20));
    internal::JoinTable& j = *table;
    joins_[key] = std::move(table);
    TermList subjects;
    std::vector<TermList> kv(keys.size());
    for (;;) {
      bool has;
      if (Status st = ps.next(&has); !st) return st;
      if (!has) break;
      subjects.clear();
      DataError err;
      bool ok = ev.eval(subj, &subjects, &err);
      for (size_t i = 0; ok && i < keys.size(); ++i) {
        kv[i].clear();
        ok = ev.eval(keys[i], &kv[i], &err);
      }
      // A bad parent record is reported by the parent map's own pass.
      if (!ok || subjects.empty()) continue;
      Status add;
      forEachKey(kv, [&](const std::string& k) {
        for (size_t s = 0; s < subjects.size() && add; ++s) add = j.add(k, subjects[s].view());
      });
      if (!add) return add;
    }
    return Status::ok();
  }

  // Every combination of the key parts' values, joined by \x1f.
  template <class F>
  void forEachKey(const std::vector<TermList>& kv, F&& f) {
    for (auto& l : kv)
      if (l.empty()) return;
    std::vector<size_t> idx(kv.size(), 0);
    std::string k;
    for (;;) {
      k.clear();
      for (size_t i = 0; i < kv.size(); ++i) {
        if (i) k += '\x1f';
        k += kv[i][idx[i]].value;
      }
      f(k);
      size_t i = kv.size();
      while (i > 0) {
        --i;
        if (++idx[i] < kv[i].size()) break;
        idx[i] = 0;
        if (i == 0) return;
      }
      if (kv.empty()) return;
    }
  }

  Status runMap(size_t index) {
    const TriplesMap& tm = m_.maps[index];
    auto opened = open(tm);
    if (!opened.isOk()) return opened.status();
    BoundSource& src = *opened.value();
    // Bind everything before reading a record: reference errors come first.
    Bound subj;
    if (Status st = src.bind(tm.subject, &subj); !st) return st;
    std::vector<Bound> sgraphs(tm.subject_graphs.size());
    for (size_t i = 0; i < sgraphs.size(); ++i)
      if (Status st = src.bind(tm.subject_graphs[i], &sgraphs[i]); !st) return st;
    struct BoundObject {
      const ObjectMap* om;
      Bound term;                  // plain object map
      Bound parent_subject;        // ref without joins: the parent's subject on this record
      std::vector<Bound> child_keys;
      std::string join_key;
    };
    struct BoundPom {
      std::vector<Bound> preds, graphs;
      std::vector<BoundObject> objs;
    };
    std::vector<BoundPom> poms(tm.poms.size());
    for (size_t i = 0; i < tm.poms.size(); ++i) {
      const auto& pom = tm.poms[i];
      auto& bp = poms[i];
      bp.preds.resize(pom.predicates.size());
      for (size_t k = 0; k < pom.predicates.size(); ++k)
        if (Status st = src.bind(pom.predicates[k], &bp.preds[k]); !st) return st;
      bp.graphs.resize(pom.graphs.size());
      for (size_t k = 0; k < pom.graphs.size(); ++k)
        if (Status st = src.bind(pom.graphs[k], &bp.graphs[k]); !st) return st;
      bp.objs.resize(pom.objects.size());
      for (size_t k = 0; k < pom.objects.size(); ++k) {
        const ObjectMap& om = pom.objects[k];
        BoundObject& bo = bp.objs[k];
        bo.om = &om;
        if (!om.is_ref) {
          if (Status st = src.bind(om.term, &bo.term); !st) return st;
        } else if (om.joins.empty() && m_.maps[om.parent].source.key == tm.source.key) {
          if (Status st = src.bind(m_.maps[om.parent].subject, &bo.parent_subject); !st) return st;
        } else {  // a join (on no keys: the cross product with the parent)
          bo.child_keys.resize(om.joins.size());
          for (size_t j = 0; j < om.joins.size(); ++j)
            if (Status st = src.bind(om.joins[j].child, &bo.child_keys[j]); !st) return st;
          bo.join_key = std::to_string(reinterpret_cast<uintptr_t>(&om));  // one table per object map
          if (Status st = buildJoin(om, bo.join_key, tm.name); !st) return st;
        }
      }
    }
    Evaluator ev(src, baseOf(tm), natural(tm), m_.legacy, &stats_.dropped_terms);
    TermList subjects, graphs, pgraphs, preds, objs;
    rdf::Term type_pred = rdf::Term::iri(internal::kRdfType);
    std::vector<rdf::Term> class_terms;
    for (auto& c : tm.classes) class_terms.push_back(rdf::Term::iri(c));
    std::vector<TermList> keyvals;
    auto graphOf = [](const rdf::Term& g) -> const rdf::Term* {
      return g.value == kDefaultGraph ? nullptr : &g;
    };
    for (;;) {
      bool has;
      if (Status st = src.next(&has); !st)
        return Status(st.code(), tm.name + ": " + st.message());
      if (!has) break;
      ++stats_.records;
      if (opts_.progress && (stats_.records & 0xFFFF) == 0) opts_.progress(stats_);
      DataError err;
      subjects.clear();
      graphs.clear();
      bool ok = ev.eval(subj, &subjects, &err);
      for (size_t i = 0; ok && i < sgraphs.size(); ++i) ok = ev.eval(sgraphs[i], &graphs, &err);
      if (!ok) {
        if (Status st = recordError(src, tm, err); !st) return st;
        continue;
      }
      if (subjects.empty()) continue;
      // With --on-error skip, a record's quads are held until the record is
      // known to be good, so a rejected record leaves nothing behind.
      // Otherwise they go straight out (an error stops the whole run, and
      // the caller discards its output: a rolled-back transaction).
      const bool hold = opts_.skip_errors;
      npending_ = 0;
      probes_.clear();
      Status sink_status;
      auto add = [&](const rdf::Term& s, const rdf::Term& p, const rdf::Term& o, const TermList& gs) {
        size_t ng = gs.empty() ? 1 : gs.size();
        for (size_t g = 0; g < ng; ++g) {
          const rdf::Term* gt = gs.empty() ? nullptr : graphOf(gs[g]);
          if (!hold) {
            if (sink_status) sink_status = emit(s, p, o, gt);
            continue;
          }
          if (npending_ == pending_.size()) pending_.emplace_back();
          setQuad(&pending_[npending_++], s, p, o, gt);
        }
      };
      for (size_t s = 0; s < subjects.size(); ++s)
        for (auto& c : class_terms) add(subjects[s], type_pred, c, graphs);
      for (size_t i = 0; ok && i < poms.size(); ++i) {
        auto& bp = poms[i];
        preds.clear();
        pgraphs.clear();
        for (auto& p : bp.preds)
          if (!(ok = ev.eval(p, &preds, &err))) break;
        for (auto& g : bp.graphs)
          if (ok && !(ok = ev.eval(g, &pgraphs, &err))) break;
        if (!ok) break;
        // The POM's graphs are the subject's plus its own.
        if (!pgraphs.empty())
          for (size_t g = 0; g < graphs.size(); ++g) pgraphs.push() = graphs[g];
        const TermList& gs = pgraphs.empty() ? graphs : pgraphs;
        for (auto& bo : bp.objs) {
          objs.clear();
          if (!bo.om->is_ref) {
            if (!(ok = ev.eval(bo.term, &objs, &err))) break;
          } else if (bo.join_key.empty()) {
            Evaluator pe(src, baseOf(m_.maps[bo.om->parent]), natural(tm), m_.legacy, &stats_.dropped_terms);
            if (!(ok = pe.eval(bo.parent_subject, &objs, &err))) break;
          } else {
            keyvals.resize(bo.child_keys.size());
            for (size_t j = 0; ok && j < bo.child_keys.size(); ++j) {
              keyvals[j].clear();
              ok = ev.eval(bo.child_keys[j], &keyvals[j], &err);
            }
            if (!ok) break;
            internal::JoinTable& jt = *joins_[bo.join_key];
            if (jt.spilled()) {
              // Answered after this pass (Grace hash join): held with the
              // record, written once the record is known to be good.
              forEachKey(keyvals, [&](const std::string& k) {
                DeferredProbe& dp = probes_.emplace_back();
                dp.join = &jt;
                dp.key = k;
                for (size_t x = 0; x < subjects.size(); ++x) dp.terms[0].push_back(subjects[x]);
                for (size_t x = 0; x < preds.size(); ++x) dp.terms[1].push_back(preds[x]);
                for (size_t x = 0; x < gs.size(); ++x) {
                  const rdf::Term* gt = graphOf(gs[x]);
                  dp.terms[2].push_back(gt ? *gt : rdf::Term());
                }
              });
              continue;
            }
            matches_.clear();
            forEachKey(keyvals, [&](const std::string& k) { jt.lookup(k, &matches_); });
            for (const auto& t : matches_) {
              rdf::Term& o = objs.push();
              o.kind = t.kind;
              o.value.assign(t.value);
              o.datatype.clear();
              o.lang.clear();
            }
          }
          for (size_t s = 0; s < subjects.size(); ++s)
            for (size_t p = 0; p < preds.size(); ++p)
              for (size_t o = 0; o < objs.size(); ++o) add(subjects[s], preds[p], objs[o], gs);
        }
      }
      if (!ok) {
        if (Status st = recordError(src, tm, err); !st) return st;
        continue;
      }
      if (!sink_status) return sink_status;
      for (size_t i = 0; i < npending_; ++i) {
        const rdf::Quad& q = pending_[i];
        if (Status st = emit(q.s, q.p, q.o, q.g.kind == rdf::TermKind::kNone ? nullptr : &q.g); !st) return st;
      }
      for (auto& dp : probes_) {
        std::vector<rdf::TermView> views[3];
        for (int k = 0; k < 3; ++k)
          for (auto& t : dp.terms[k]) views[k].push_back(t.view());
        if (Status st = dp.join->deferProbe(dp.key, views[0], views[1], views[2]); !st) return st;
      }
    }
    // Spilled joins: answer the probes set aside, then drop the tables.
    for (auto& bp : poms)
      for (auto& bo : bp.objs) {
        if (bo.join_key.empty()) continue;
        auto it = joins_.find(bo.join_key);
        if (it == joins_.end()) continue;
        if (it->second->spilled()) ++stats_.spilled_joins;
        Status st = it->second->finish([this](const rdf::Term& s, const rdf::Term& p, const rdf::Term& o,
                                              const rdf::Term* g) {
          return emit(s, p, o, g && g->kind != rdf::TermKind::kNone ? g : nullptr);
        });
        if (!st) return st;
        joins_.erase(it);
      }
    return Status::ok();
  }

  const Mapping& m_;
  const RunOptions& opts_;
  rdf::QuadSink& out_;
  RunStats& stats_;
  std::FILE* rejects_ = nullptr;
  std::map<std::string, std::unique_ptr<internal::JoinTable>> joins_;
  // Probes of spilled joins made by the current record.
  struct DeferredProbe {
    internal::JoinTable* join;
    std::string key;
    std::vector<rdf::Term> terms[3];  // subjects, predicates, graphs (kNone: default graph)
  };
  std::vector<DeferredProbe> probes_;
  std::vector<rdf::TermView> matches_;
  internal::Deduper dedupe_;
  static constexpr size_t kQueue = 64;
  rdf::Quad queue_[kQueue];
  size_t nqueue_ = 0;
  std::vector<rdf::Quad> pending_;
  size_t npending_ = 0;
};

}  // namespace

void appendIriSafe(std::string& out, std::string_view v, bool ascii_only) {
  for (size_t i = 0; i < v.size();) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      appendHex(out, c);
      ++i;
      continue;
    }
    // A UTF-8 sequence: kept when the code point is a ucschar.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    uint32_t cp = len == 4 ? c & 7 : len == 3 ? c & 15 : len == 2 ? c & 31 : c;
    bool ok = len > 1 && i + len <= v.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(v[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 63);
    }
    if (ok && !ascii_only && isUcschar(cp)) {
      out.append(v.substr(i, len));
    } else {
      if (!ok) len = 1;
      for (size_t k = 0; k < len; ++k) appendHex(out, static_cast<unsigned char>(v[i + k]));
    }
    i += len;
  }
}

Status runMapping(const Mapping& mapping, const RunOptions& opts, rdf::QuadSink& out, RunStats* stats) {
  RunStats local;
  if (!stats) stats = &local;
  Runner r(mapping, opts, out, stats);
  return r.run();
}

}  // namespace weft::map
