// SPDX-License-Identifier: Apache-2.0
// Validation (shacl.h): focus nodes from the targets of each shape, value
// nodes from its path, then each constraint component as defined in
// https://www.w3.org/TR/shacl/#core-components. The data graph is read only
// through sparql::Dataset scans on term ids: class targets are index scans of
// rdf:type per (sub)class, a property shape's values one scan per focus node
// and predicate, and terms are decoded only where a value must be looked at
// (datatype, ranges, strings) or reported. Nested shapes (sh:node, sh:not,
// sh:and, sh:or, sh:xone, sh:qualifiedValueShape) are checked in a mode that
// stops at the first result, and memoised per (node, shape).
#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "engine/rdf/xsd.h"
#include "engine/shacl/internal/model.h"
#include "engine/shacl/internal/prebind.h"
#include "engine/shacl/internal/vocab.h"
#include "engine/shacl/shacl.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/functions.h"
#include "engine/sparql/results.h"

namespace weft::shacl {

namespace {

using internal::Component;
using internal::Constraint;
using internal::Model;
using internal::Shape;
using sparql::Id;
using sparql::IdQuad;
using sparql::kAnyId;

// Ids for terms the dataset does not hold (a sh:targetNode or sh:in member
// absent from the data): both high bits, which datasets never hand out.
constexpr Id kLocal = sparql::kQueryIdBits;
bool isLocal(Id id) { return (id & kLocal) == kLocal; }

void sortUnique(std::vector<Id>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}
bool contains(const std::vector<Id>& sorted, Id x) {
  return std::binary_search(sorted.begin(), sorted.end(), x);
}

// Ends a validation early (deadline, a failing SHACL-SPARQL query).
struct Abort {
  Status status;
};

// The data graph: scans of one graph (g bound), of the default graph, or of
// every graph (g unbound, where the same triple may come once per graph).
class DataGraph {
 public:
  DataGraph(const sparql::Dataset& ds, Id g) : ds_(ds), g_(g) {}

  void objects(Id s, Id p, std::vector<Id>* out) {
    out->clear();
    if (isLocal(s) || isLocal(p)) return;
    IdQuad q;
    open({s, p, kAnyId, g_});
    while (cur_->next(&q)) out->push_back(q.o);
    sortUnique(out);
  }
  void subjects(Id p, Id o, std::vector<Id>* out) {
    out->clear();
    if (isLocal(p) || isLocal(o)) return;
    IdQuad q;
    open({kAnyId, p, o, g_});
    while (cur_->next(&q)) out->push_back(q.s);
    sortUnique(out);
  }
  // Appends (no sort) the subjects / objects of every triple with predicate p.
  void subjectsOf(Id p, std::vector<Id>* out) {
    if (isLocal(p)) return;
    IdQuad q;
    open({kAnyId, p, kAnyId, g_});
    while (cur_->next(&q)) out->push_back(q.s);
  }
  void objectsOf(Id p, std::vector<Id>* out) {
    if (isLocal(p)) return;
    IdQuad q;
    open({kAnyId, p, kAnyId, g_});
    while (cur_->next(&q)) out->push_back(q.o);
  }
  void outgoing(Id s, std::vector<std::pair<Id, Id>>* out) {
    out->clear();
    if (isLocal(s)) return;
    IdQuad q;
    open({s, kAnyId, kAnyId, g_});
    while (cur_->next(&q)) out->emplace_back(q.p, q.o);
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
  }

 private:
  void open(const IdQuad& pattern) {
    if (!cur_ || !ds_.rescan(cur_.get(), pattern)) cur_ = ds_.scan(pattern);
  }
  const sparql::Dataset& ds_;
  Id g_;
  std::unique_ptr<sparql::QuadCursor> cur_;  // reused: every scan is drained before the next
};

// The data graph as the default graph of SHACL-SPARQL queries when it is
// one named graph: default-graph scans read that graph.
class NamedAsDefault : public sparql::Dataset {
 public:
  NamedAsDefault(const sparql::Dataset& inner, Id g) : in_(inner), g_(g) {}
  Id lookup(const rdf::TermView& t) const override { return in_.lookup(t); }
  bool decode(Id id, rdf::Term* out) const override { return in_.decode(id, out); }
  std::unique_ptr<sparql::QuadCursor> scan(const IdQuad& p,
                                           char order[4] = nullptr) const override {
    return in_.scan(map(p), order);
  }
  bool rescan(sparql::QuadCursor* c, const IdQuad& p) const override {
    return in_.rescan(c, map(p));
  }
  uint64_t count(const IdQuad& p) const override { return in_.count(map(p)); }
  double averageMatches(const IdQuad& p, int pos) const override {
    return in_.averageMatches(map(p), pos);
  }
  bool objectsInValueRange(Id p, Id g, bool dt, double lo, double hi,
                           std::vector<Id>* out) const override {
    return in_.objectsInValueRange(p, g == sparql::kDefaultGraphId ? g_ : g, dt, lo, hi, out);
  }
  bool numericObjectsInOrder(Id p, Id g, std::vector<std::pair<double, Id>>* out) const override {
    return in_.numericObjectsInOrder(p, g == sparql::kDefaultGraphId ? g_ : g, out);
  }
  std::vector<Id> namedGraphs() const override { return in_.namedGraphs(); }

 private:
  IdQuad map(IdQuad p) const {
    if (p.g == sparql::kDefaultGraphId) p.g = g_;
    return p;
  }
  const sparql::Dataset& in_;
  Id g_;
};

// Where results go: the report, or (nested checks) only "was there one".
struct Frame {
  bool check_only = false;
  bool failed = false;
  bool stop() const { return check_only && failed; }
};

// Number of Unicode code points of UTF-8 text.
size_t codePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Basic language-range matching (RFC 4647 3.3.1), as SPARQL langMatches.
bool langMatches(std::string_view tag, std::string_view range) {
  if (tag.empty()) return false;
  if (range == "*") return true;
  if (tag.size() < range.size()) return false;
  for (size_t i = 0; i < range.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(tag[i])) !=
        std::tolower(static_cast<unsigned char>(range[i])))
      return false;
  return tag.size() == range.size() || tag[range.size()] == '-';
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

class Validator {
 public:
  Validator(const Model& m, const sparql::Dataset& ds, Id graph, const DataScope& scope,
            const ValidateOptions& opts, ValidationReport* report)
      : m_(m), ds_(ds), data_(ds, graph), opts_(opts), report_(report) {
    if (scope.kind == DataScope::Kind::kNamed) {
      named_ = std::make_unique<NamedAsDefault>(ds, graph);
      sparql_ds_ = named_.get();
    } else {
      sparql_ds_ = &ds;
      exec_.union_default_graph = scope.kind == DataScope::Kind::kUnion;
    }
    exec_.deadline = opts.deadline;
    slot_ids_.reserve(m.slots.size());
    for (const rdf::Term& t : m.slots) slot_ids_.push_back(idOf(t));
    rdf_type_ = idOf(rdf::Term::iri(internal::kRdfType));
    sub_class_of_ = idOf(rdf::Term::iri(internal::kRdfsSubClassOf));
  }

  void run() {
    std::vector<Id> focus;
    uint64_t ticks = 0;
    for (int si : m_.targeted) {
      const Shape& s = m_.shapes[si];
      if (s.deactivated) continue;
      focusNodes(s, &focus);
      focus_counts_[si] = focus.size();
      for (Id f : focus) {
        if ((++ticks & 255) == 0 &&
            opts_.deadline != std::chrono::steady_clock::time_point::max() &&
            std::chrono::steady_clock::now() > opts_.deadline)
          throw Abort{Status::aborted("validation stopped at the deadline")};
        ++report_->focus_nodes;
        Frame top;
        validateFocus(si, f, top);
      }
    }
    report_->conforms = report_->total == 0;
    if (recursion_) {
      report_->notes.push_back(
          "recursive shapes met (a shape reached itself through sh:node, sh:property, sh:not, "
          "sh:and, sh:or, sh:xone or sh:qualifiedValueShape for the same node): SHACL leaves "
          "their meaning undefined; weft took the repeated check to conform");
    }
  }

 private:
  // ---------------------------------------------------------------- terms

  Id idOf(const rdf::Term& t) {
    Id id = ds_.lookup(t.view());
    if (id != kAnyId) return id;
    std::string k = rdf::toNTriples(t.view());
    auto [it, fresh] = local_index_.try_emplace(k, kLocal | local_.size());
    if (fresh) local_.push_back(t);
    return it->second;
  }
  // The term of an id, through a direct-mapped cache (most values are
  // looked at once or twice; slots keep their strings' memory). The
  // reference is valid until the next call: copy one to hold two.
  const rdf::Term& term(Id id) {
    if (isLocal(id)) return local_[id & ~kLocal];
    if (cache_.empty()) cache_.resize(kCacheSlots);
    CacheSlot& slot = cache_[(id * 0x9E3779B97F4A7C15ull) >> (64 - kCacheBits)];
    if (slot.id == id) return slot.term;
    slot.id = kAnyId;
    if (!ds_.decode(id, &slot.term))
      throw Abort{Status::corruption("a term id of the data graph cannot be decoded")};
    slot.id = id;
    return slot.term;
  }

  // ---------------------------------------------------------------- classes

  // C and its SHACL subclasses in the data graph (rdfs:subClassOf*, inverted).
  const std::vector<Id>& subclasses(Id c) {
    auto it = subclasses_.find(c);
    if (it != subclasses_.end()) return it->second;
    std::vector<Id> all{c}, step;
    for (size_t i = 0; i < all.size(); ++i) {
      data_.subjects(sub_class_of_, all[i], &step);
      for (Id s : step)
        if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
    }
    sortUnique(&all);
    return subclasses_.emplace(c, std::move(all)).first->second;
  }
  bool isInstance(Id node, Id c) {
    if (isLocal(node)) return false;
    const std::vector<Id>& subs = subclasses(c);
    std::vector<Id> types;
    data_.objects(node, rdf_type_, &types);
    for (Id t : types)
      if (contains(subs, t)) return true;
    return false;
  }

  // ---------------------------------------------------------------- targets

  void focusNodes(const Shape& s, std::vector<Id>* out) {
    out->clear();
    for (int sl : s.target_nodes) out->push_back(slot_ids_[sl]);
    for (int sl : s.target_classes)
      for (Id c : subclasses(slot_ids_[sl])) {
        std::vector<Id> inst;
        data_.subjects(rdf_type_, c, &inst);
        out->insert(out->end(), inst.begin(), inst.end());
      }
    for (int sl : s.subjects_of) data_.subjectsOf(slot_ids_[sl], out);
    for (int sl : s.objects_of) data_.objectsOf(slot_ids_[sl], out);
    sortUnique(out);
  }

  // ---------------------------------------------------------------- paths

  // The nodes reached from `in` by path p (inverted when `inv`), sorted unique.
  void evalPath(const internal::Path& p, const std::vector<Id>& in, bool inv,
                std::vector<Id>* out) {
    using K = PropertyPath::Kind;
    out->clear();
    std::vector<Id> step;
    switch (p.kind) {
      case K::kPredicate: {
        Id pred = slot_ids_[p.slot];
        for (Id n : in) {
          if (inv)
            data_.subjects(pred, n, &step);
          else
            data_.objects(n, pred, &step);
          out->insert(out->end(), step.begin(), step.end());
        }
        break;
      }
      case K::kInverse:
        evalPath(p.sub[0], in, !inv, out);
        return;
      case K::kSequence: {
        std::vector<Id> cur = in;
        for (size_t i = 0; i < p.sub.size(); ++i) {
          const internal::Path& part = p.sub[inv ? p.sub.size() - 1 - i : i];
          evalPath(part, cur, inv, &step);
          cur.swap(step);
          if (cur.empty()) break;
        }
        *out = std::move(cur);
        return;
      }
      case K::kAlternative:
        for (const internal::Path& alt : p.sub) {
          evalPath(alt, in, inv, &step);
          out->insert(out->end(), step.begin(), step.end());
        }
        break;
      case K::kZeroOrMore:
      case K::kOneOrMore: {
        std::unordered_set<Id> seen;
        std::vector<Id> frontier = in;
        if (p.kind == K::kZeroOrMore) {
          for (Id n : in)
            if (seen.insert(n).second) out->push_back(n);
        }
        while (!frontier.empty()) {
          evalPath(p.sub[0], frontier, inv, &step);
          frontier.clear();
          for (Id n : step)
            if (seen.insert(n).second) {
              out->push_back(n);
              frontier.push_back(n);
            }
        }
        break;
      }
      case K::kZeroOrOne:
        evalPath(p.sub[0], in, inv, out);
        out->insert(out->end(), in.begin(), in.end());
        break;
    }
    sortUnique(out);
  }

  // ---------------------------------------------------------------- shapes

  struct PairHash {
    size_t operator()(const std::pair<Id, int>& k) const {
      return static_cast<size_t>((k.first * 0x9E3779B97F4A7C15ull) ^
                                 static_cast<uint64_t>(k.second));
    }
  };

  // Does `node` conform to shape si? (Nested use: sh:node, sh:not, ...)
  bool conforms(Id node, int si) {
    if (m_.shapes[si].deactivated) return true;
    std::pair<Id, int> k{node, si};
    if (auto it = memo_.find(k); it != memo_.end()) return it->second;
    uint64_t before = recursion_hits_;
    Frame f;
    f.check_only = true;
    validateFocus(si, node, f);
    // A verdict that relied on a recursion assumption is not kept.
    if (recursion_hits_ == before) {
      if (memo_.size() > (1u << 22)) memo_.clear();
      memo_.emplace(k, !f.failed);
    }
    return !f.failed;
  }

  void validateFocus(int si, Id focus, Frame& f) {
    const Shape& s = m_.shapes[si];
    if (s.deactivated) return;
    std::pair<Id, int> k{focus, si};
    if (!active_.insert(k).second) {
      ++recursion_hits_;
      recursion_ = true;
      return;  // re-entered: taken to conform (see shacl.h)
    }
    if (values_pool_.size() <= depth_) values_pool_.resize(depth_ + 1);
    std::vector<Id> values = std::move(values_pool_[depth_]);
    ++depth_;
    values.clear();
    if (!s.is_property) {
      values.push_back(focus);
    } else if (s.path.kind == PropertyPath::Kind::kPredicate) {
      data_.objects(focus, slot_ids_[s.path.slot], &values);
    } else {
      evalPath(s.path, std::vector<Id>{focus}, false, &values);
    }
    for (const Constraint& c : s.constraints) {
      check(si, s, c, focus, values, f);
      if (f.stop()) break;
    }
    --depth_;
    values_pool_[depth_] = std::move(values);
    active_.erase(k);
  }

  void check(int si, const Shape& s, const Constraint& c, Id focus, const std::vector<Id>& values,
             Frame& f) {
    auto each = [&](auto&& fails) {
      for (Id v : values) {
        if (fails(v)) emit(f, si, c, c.comp, focus, v);
        if (f.stop()) return;
      }
    };
    switch (c.comp) {
      case Component::kClass: {
        Id cls = slot_ids_[c.slots[0]];
        each([&](Id v) { return !isInstance(v, cls); });
        break;
      }
      case Component::kDatatype:
        each([&](Id v) { return !hasDatatype(term(v), c.term.value); });
        break;
      case Component::kNodeKind:
        each([&](Id v) {
          const rdf::Term& t = term(v);
          uint8_t bit = t.kind == rdf::TermKind::kIri     ? internal::kKindIri
                        : t.kind == rdf::TermKind::kBlank ? internal::kKindBlank
                                                          : internal::kKindLiteral;
          return (c.node_kinds & bit) == 0;
        });
        break;
      case Component::kMinCount:
        if (static_cast<int64_t>(values.size()) < c.min) emit(f, si, c, c.comp, focus, kAnyId);
        break;
      case Component::kMaxCount:
        if (static_cast<int64_t>(values.size()) > c.max) emit(f, si, c, c.comp, focus, kAnyId);
        break;
      case Component::kMinExclusive:
      case Component::kMinInclusive:
      case Component::kMaxExclusive:
      case Component::kMaxInclusive: {
        sparql::ExprKind op = c.comp == Component::kMinExclusive   ? sparql::ExprKind::kGreater
                              : c.comp == Component::kMinInclusive ? sparql::ExprKind::kGreaterEqual
                              : c.comp == Component::kMaxExclusive ? sparql::ExprKind::kLess
                                                                   : sparql::ExprKind::kLessEqual;
        each([&](Id v) {
          const rdf::Term& t = term(v);
          if (t.kind != rdf::TermKind::kLiteral) return true;
          auto r = sparql::compareTerms(op, t, c.term);
          return !(r && *r);
        });
        break;
      }
      case Component::kMinLength:
      case Component::kMaxLength:
        each([&](Id v) {
          const rdf::Term& t = term(v);
          if (t.kind == rdf::TermKind::kBlank) return true;
          int64_t n = static_cast<int64_t>(codePoints(t.value));
          return c.comp == Component::kMinLength ? n < c.min : n > c.max;
        });
        break;
      case Component::kPattern:
        each([&](Id v) {
          const rdf::Term& t = term(v);
          if (t.kind == rdf::TermKind::kBlank) return true;
          rdf::Term args[] = {rdf::Term::literal(t.value), rdf::Term::literal(c.term.value),
                              rdf::Term::literal(c.flags)};
          auto r = sparql::callBuiltin(sparql::Builtin::kRegex, args, fn_);
          return !(r && r->kind == rdf::TermKind::kLiteral && r->value == "true");
        });
        break;
      case Component::kLanguageIn:
        each([&](Id v) {
          const rdf::Term& t = term(v);
          if (t.kind != rdf::TermKind::kLiteral || t.lang.empty()) return true;
          for (const std::string& r : c.langs)
            if (langMatches(t.lang, r)) return false;
          return true;
        });
        break;
      case Component::kUniqueLang: {
        std::vector<std::pair<std::string, int>> langs;  // in order of first use
        for (Id v : values) {
          const rdf::Term& t = term(v);
          if (t.kind != rdf::TermKind::kLiteral || t.lang.empty()) continue;
          std::string l = lower(t.lang);
          auto it =
              std::find_if(langs.begin(), langs.end(), [&](const auto& e) { return e.first == l; });
          if (it == langs.end())
            langs.emplace_back(std::move(l), 1);
          else
            ++it->second;
        }
        for (const auto& [l, n] : langs) {
          if (n > 1) emit(f, si, c, c.comp, focus, kAnyId, nullptr, l);
          if (f.stop()) return;
        }
        break;
      }
      case Component::kEquals:
      case Component::kDisjoint:
      case Component::kLessThan:
      case Component::kLessThanOrEquals: {
        std::vector<Id> others;
        data_.objects(focus, slot_ids_[c.slots[0]], &others);
        if (c.comp == Component::kEquals) {
          for (Id v : values)
            if (!contains(others, v)) {
              emit(f, si, c, c.comp, focus, v);
              if (f.stop()) return;
            }
          for (Id o : others)
            if (!contains(values, o)) {
              emit(f, si, c, c.comp, focus, o);
              if (f.stop()) return;
            }
        } else if (c.comp == Component::kDisjoint) {
          each([&](Id v) { return contains(others, v); });
        } else {
          sparql::ExprKind op = c.comp == Component::kLessThan ? sparql::ExprKind::kLess
                                                               : sparql::ExprKind::kLessEqual;
          for (Id v : values)
            for (Id o : others) {
              const rdf::Term tv = term(v);  // a copy: term() reuses its slot
              auto r = sparql::compareTerms(op, tv, term(o));
              if (!(r && *r)) emit(f, si, c, c.comp, focus, v);
              if (f.stop()) return;
            }
        }
        break;
      }
      case Component::kNot:
        each([&](Id v) { return conforms(v, c.shapes[0]); });
        break;
      case Component::kNode:
        each([&](Id v) { return !conforms(v, c.shapes[0]); });
        break;
      case Component::kAnd:
        each([&](Id v) {
          for (int m : c.shapes)
            if (!conforms(v, m)) return true;
          return false;
        });
        break;
      case Component::kOr:
        each([&](Id v) {
          for (int m : c.shapes)
            if (conforms(v, m)) return false;
          return true;
        });
        break;
      case Component::kXone:
        each([&](Id v) {
          int n = 0;
          for (int m : c.shapes)
            if (conforms(v, m)) ++n;
          return n != 1;
        });
        break;
      case Component::kProperty:
        for (Id v : values) {
          validateFocus(c.shapes[0], v, f);
          if (f.stop()) return;
        }
        break;
      case Component::kQualifiedMinCount:
      case Component::kQualifiedMaxCount: {
        int64_t n = 0;
        for (Id v : values) {
          if (!conforms(v, c.shapes[0])) continue;
          bool other = false;
          for (int sib : c.siblings)
            if (conforms(v, sib)) {
              other = true;
              break;
            }
          if (!other) ++n;
        }
        if (c.comp == Component::kQualifiedMinCount ? n < c.min : n > c.max)
          emit(f, si, c, c.comp, focus, kAnyId);
        break;
      }
      case Component::kClosed: {
        std::vector<Id> allowed;
        for (int sl : c.slots) allowed.push_back(slot_ids_[sl]);
        sortUnique(&allowed);
        std::vector<std::pair<Id, Id>> out;
        for (Id v : values) {
          data_.outgoing(v, &out);
          for (const auto& [p, o] : out) {
            if (contains(allowed, p)) continue;
            auto path = std::make_shared<PropertyPath>();
            path->iri = term(p).value;
            emit(f, si, c, c.comp, focus, o, std::move(path));
            if (f.stop()) return;
          }
        }
        break;
      }
      case Component::kHasValue: {
        Id hv = slot_ids_[c.slots[0]];
        if (!contains(values, hv)) emit(f, si, c, c.comp, focus, kAnyId);
        break;
      }
      case Component::kIn: {
        std::vector<Id> members;
        for (int sl : c.slots) members.push_back(slot_ids_[sl]);
        sortUnique(&members);
        each([&](Id v) { return !contains(members, v); });
        break;
      }
      case Component::kSparql:
        if (opts_.sparql) runSparql(si, s, c, focus, f);
        break;
    }
  }

  // sh:datatype (4.2.2): a literal of that datatype whose lexical form is
  // in the datatype's lexical space (for the datatypes weft knows).
  static bool hasDatatype(const rdf::Term& t, const std::string& dt) {
    if (t.kind != rdf::TermKind::kLiteral) return false;
    if (t.datatype != dt) return false;
    if (dt == internal::kRdfLangString) return !t.lang.empty();
    rdf::Value v = rdf::parseValue(t.view());
    return v.type != rdf::ValueType::kInvalid;
  }

  // ---------------------------------------------------------------- SPARQL

  // The solutions of a SHACL-SPARQL constraint for one focus node: the
  // query with $this pre-bound, or (many focus nodes, a query where that is
  // the same) the rows for this node of one run with ?this free.
  struct Solutions {
    std::vector<std::string> vars;
    std::vector<const std::vector<rdf::Term>*> rows;
    sparql::ResultSet owned;
  };

  struct Batch {
    sparql::ResultSet rs;
    std::unordered_map<Id, std::vector<uint32_t>> by_focus;
  };

  [[noreturn]] void sparqlFailed(const Shape& s, const internal::SparqlConstraint& sc,
                                 const Status& st, const std::string& where) {
    throw Abort{Status(
        st.code(), "shape " + rdf::toNTriples(s.node.view()) + ": the sh:sparql constraint " +
                       rdf::toNTriples(sc.node.view()) + " failed" + where + ": " + st.message())};
  }

  std::vector<internal::Binding> constants(const Shape& s,
                                           const internal::SparqlConstraint& sc) const {
    std::vector<internal::Binding> b;
    if (sc.current_shape_var != sparql::kNoVar) b.emplace_back(sc.current_shape_var, s.node);
    if (sc.shapes_graph_var != sparql::kNoVar && !opts_.shapes_graph_iri.empty())
      b.emplace_back(sc.shapes_graph_var, rdf::Term::iri(opts_.shapes_graph_iri));
    return b;
  }

  static sparql::Query withPattern(const sparql::Query& from, sparql::PatternPtr p) {
    sparql::Query q;
    q.form = from.form;
    q.vars = from.vars;
    q.select_vars = from.select_vars;
    q.base = from.base;
    q.from = from.from;
    q.from_named = from.from_named;
    q.has_dataset_clause = from.has_dataset_clause;
    q.pattern = std::move(p);
    return q;
  }

  const Batch* batch(int si, const Shape& s, const Constraint& c) {
    const internal::SparqlConstraint& sc = m_.sparql[c.sparql];
    if (!sc.batchable || !opts_.sparql_batch) return nullptr;
    auto it = batches_.find(c.sparql);
    if (it != batches_.end()) return it->second.get();
    auto fc = focus_counts_.find(si);
    if (fc == focus_counts_.end() || fc->second < kBatchMinFocusNodes) return nullptr;
    auto b = std::make_unique<Batch>();
    sparql::Query q = withPattern(sc.batch, internal::prebind(sc.batch.pattern, constants(s, sc)));
    auto w = sparql::makeResultSetWriter(&b->rs);
    sparql::QueryOutput out;
    out.results = w.get();
    Status st = sparql::executeQuery(q, *sparql_ds_, exec_, out);
    if (!st) sparqlFailed(s, sc, st, "");
    int c_this = -1;
    for (size_t i = 0; i < b->rs.vars.size(); ++i)
      if (b->rs.vars[i] == "this") c_this = static_cast<int>(i);
    for (uint32_t r = 0; r < b->rs.rows.size(); ++r) {
      const rdf::Term& t = b->rs.rows[r][c_this];
      if (!t.isNone()) b->by_focus[idOf(t)].push_back(r);
    }
    return batches_.emplace(c.sparql, std::move(b)).first->second.get();
  }

  void solutions(int si, const Shape& s, const Constraint& c, Id focus, Solutions* out) {
    const internal::SparqlConstraint& sc = m_.sparql[c.sparql];
    if (const Batch* b = batch(si, s, c)) {
      out->vars = b->rs.vars;
      auto it = b->by_focus.find(focus);
      if (it != b->by_focus.end())
        for (uint32_t r : it->second) out->rows.push_back(&b->rs.rows[r]);
      return;
    }
    std::vector<internal::Binding> bind = constants(s, sc);
    const rdf::Term focus_term = term(focus);
    if (sc.this_var != sparql::kNoVar) bind.emplace_back(sc.this_var, focus_term);
    sparql::Query q = withPattern(sc.query, internal::prebind(sc.query.pattern, bind));
    auto w = sparql::makeResultSetWriter(&out->owned);
    sparql::QueryOutput qo;
    qo.results = w.get();
    Status st = sparql::executeQuery(q, *sparql_ds_, exec_, qo);
    if (!st) sparqlFailed(s, sc, st, " on focus node " + rdf::toNTriples(focus_term.view()));
    out->vars = out->owned.vars;
    for (const auto& row : out->owned.rows) out->rows.push_back(&row);
  }

  void runSparql(int si, const Shape& s, const Constraint& c, Id focus, Frame& f) {
    const internal::SparqlConstraint& sc = m_.sparql[c.sparql];
    Solutions sol;
    solutions(si, s, c, focus, &sol);
    const auto& rs = sol;
    const rdf::Term focus_term = term(focus);
    auto col = [&](std::string_view name) {
      for (size_t i = 0; i < rs.vars.size(); ++i)
        if (rs.vars[i] == name) return static_cast<int>(i);
      return -1;
    };
    int c_this = col("this"), c_value = col("value"), c_path = col("path"),
        c_failure = col("failure");
    for (const auto* row_ptr : rs.rows) {
      const std::vector<rdf::Term>& row = *row_ptr;
      if (c_failure >= 0 && !row[c_failure].isNone()) {
        auto ebv = sparql::effectiveBooleanValue(row[c_failure]);
        if (ebv && *ebv)
          throw Abort{Status::aborted(
              "shape " + rdf::toNTriples(s.node.view()) + ": the sh:sparql constraint " +
              rdf::toNTriples(sc.node.view()) + " reported a failure on focus node " +
              rdf::toNTriples(focus_term.view()))};
      }
      Id fn = c_this >= 0 && !row[c_this].isNone() ? idOf(row[c_this]) : focus;
      Id value = kAnyId;
      if (c_value >= 0 && !row[c_value].isNone())
        value = idOf(row[c_value]);
      else if (!s.is_property)
        value = fn;
      std::shared_ptr<const PropertyPath> path;
      if (c_path >= 0 && row[c_path].kind == rdf::TermKind::kIri) {
        auto p = std::make_shared<PropertyPath>();
        p->iri = row[c_path].value;
        path = std::move(p);
      }
      if (f.check_only) {
        f.failed = true;
        return;
      }
      std::vector<rdf::Term> msgs;
      // {$this}, {$currentShape} and {?value} name the pre-bound or
      // defaulted values when the solution leaves them unbound.
      const rdf::Term value_term = value == kAnyId ? rdf::Term() : term(value);
      const rdf::Term this_term = term(fn);
      auto lookup = [&](const std::string& name) -> rdf::Term {
        for (size_t i = 0; i < rs.vars.size(); ++i)
          if (rs.vars[i] == name && !row[i].isNone()) return row[i];
        if (name == "this") return this_term;
        if (name == "value") return value_term;
        if (name == "currentShape") return s.node;
        if (name == "shapesGraph" && !opts_.shapes_graph_iri.empty())
          return rdf::Term::iri(opts_.shapes_graph_iri);
        return rdf::Term();
      };
      for (const rdf::Term& m : sc.messages.empty() ? s.messages : sc.messages)
        msgs.push_back(substitute(m, lookup));
      emit(f, si, c, c.comp, fn, value, std::move(path), {}, &msgs, &sc.node);
    }
  }

  // {?name} and {$name} in a message are replaced by the solution's value.
  template <typename Lookup>
  static rdf::Term substitute(const rdf::Term& m, const Lookup& lookup) {
    rdf::Term out = m;
    std::string& s = out.value;
    for (size_t at = 0; (at = s.find('{', at)) != std::string::npos;) {
      size_t end = s.find('}', at);
      if (end == std::string::npos) break;
      if (end > at + 2 && (s[at + 1] == '?' || s[at + 1] == '$')) {
        const rdf::Term t = lookup(s.substr(at + 2, end - at - 2));
        std::string v = t.isNone()                          ? std::string()
                        : t.kind == rdf::TermKind::kLiteral ? t.value
                                                            : rdf::toNTriples(t.view());
        s.replace(at, end - at + 1, v);
        at += v.size();
        continue;
      }
      at = end + 1;
    }
    return out;
  }

  // ---------------------------------------------------------------- results

  void emit(Frame& f, int si, const Constraint& c, Component comp, Id focus, Id value,
            std::shared_ptr<const PropertyPath> path = nullptr, std::string detail = {},
            const std::vector<rdf::Term>* messages = nullptr,
            const rdf::Term* source_constraint = nullptr) {
    if (f.check_only) {
      f.failed = true;
      return;
    }
    const Shape& s = m_.shapes[si];
    ValidationReport& r = *report_;
    ++r.total;
    const std::string& sev = s.severity.value;
    if (sev == internal::kShViolation)
      ++r.violations;
    else if (sev == internal::kShWarning)
      ++r.warnings;
    else if (sev == internal::kShInfo)
      ++r.infos;
    else
      ++r.others;
    auto key = std::make_pair(si, static_cast<int>(comp));
    auto it = count_index_.find(key);
    if (it == count_index_.end()) {
      it = count_index_.emplace(key, r.counts.size()).first;
      r.counts.push_back(
          {s.node, rdf::Term::iri(internal::sh(internal::componentName(comp))), s.severity, 0});
    }
    ++r.counts[it->second].n;
    if (opts_.max_results && r.results.size() >= opts_.max_results) return;
    ValidationResult res;
    res.focus_node = term(focus);
    res.path = path ? std::move(path) : s.result_path;
    if (value != kAnyId) res.value = term(value);
    res.source_shape = s.node;
    res.component = rdf::Term::iri(internal::sh(internal::componentName(comp)));
    res.severity = s.severity;
    if (messages)
      res.messages = *messages;
    else
      res.messages = s.messages;
    if (res.messages.empty())
      res.messages.push_back(rdf::Term::literal(defaultMessage(c, comp, res, detail)));
    if (source_constraint) res.source_constraint = *source_constraint;
    r.results.push_back(std::move(res));
  }

  std::string shortTerm(const rdf::Term& t) const { return shortName(t.view(), m_.prefixes); }
  std::string shapeName(int si) const { return m_.shapes[si].label; }
  // A bound or list member in a message: numbers, booleans, dates bare,
  // strings quoted, other terms in short form.
  std::string plainTerm(const rdf::Term& t) const {
    if (t.kind == rdf::TermKind::kLiteral && t.lang.empty()) {
      if (t.datatype == internal::kXsdString) return rdf::toNTriples(t.view());
      if (rdf::parseValue(t.view()).isValid()) return t.value;
    }
    return shortTerm(t);
  }

  std::string defaultMessage(const Constraint& c, Component comp, const ValidationResult& r,
                             const std::string& detail) {
    auto slotName = [&](size_t i) { return shortTerm(m_.slots[c.slots[i]]); };
    auto shapes = [&]() {
      std::string out;
      for (size_t i = 0; i < c.shapes.size(); ++i) out += (i ? ", " : "") + shapeName(c.shapes[i]);
      return out;
    };
    switch (comp) {
      case Component::kClass:
        return "Value is not an instance of " + slotName(0);
      case Component::kDatatype:
        return "Value is not a well-formed literal of datatype " + shortTerm(c.term);
      case Component::kNodeKind:
        return "Value is not of node kind " + shortTerm(c.node_kind);
      case Component::kMinCount:
        return "Fewer than " + std::to_string(c.min) + " values";
      case Component::kMaxCount:
        return "More than " + std::to_string(c.max) + " values";
      case Component::kMinExclusive:
        return "Value is not greater than " + plainTerm(c.term);
      case Component::kMinInclusive:
        return "Value is not greater than or equal to " + plainTerm(c.term);
      case Component::kMaxExclusive:
        return "Value is not less than " + plainTerm(c.term);
      case Component::kMaxInclusive:
        return "Value is not less than or equal to " + plainTerm(c.term);
      case Component::kMinLength:
        return "Value has fewer than " + std::to_string(c.min) + " characters";
      case Component::kMaxLength:
        return "Value has more than " + std::to_string(c.max) + " characters";
      case Component::kPattern:
        return "Value does not match the pattern \"" + c.term.value + "\"" +
               (c.flags.empty() ? "" : " (flags \"" + c.flags + "\")");
      case Component::kLanguageIn: {
        std::string l;
        for (size_t i = 0; i < c.langs.size(); ++i) l += (i ? ", " : "") + c.langs[i];
        return "Value is not a literal with a language tag in (" + l + ")";
      }
      case Component::kUniqueLang:
        return "Language \"" + detail + "\" is used by more than one value";
      case Component::kEquals:
        return "Value is not also a value of " + slotName(0) + " (or the reverse)";
      case Component::kDisjoint:
        return "Value is also a value of " + slotName(0);
      case Component::kLessThan:
        return "Value is not less than the values of " + slotName(0);
      case Component::kLessThanOrEquals:
        return "Value is not less than or equal to the values of " + slotName(0);
      case Component::kNot:
        return "Value conforms to " + shapes() + ", which it must not";
      case Component::kAnd:
        return "Value does not conform to all of " + shapes();
      case Component::kOr:
        return "Value does not conform to any of " + shapes();
      case Component::kXone:
        return "Value does not conform to exactly one of " + shapes();
      case Component::kNode:
        return "Value does not conform to " + shapes();
      case Component::kProperty:
        return "Value does not conform to " + shapes();
      case Component::kQualifiedMinCount:
        return "Fewer than " + std::to_string(c.min) + " values conform to " + shapes();
      case Component::kQualifiedMaxCount:
        return "More than " + std::to_string(c.max) + " values conform to " + shapes();
      case Component::kClosed:
        return "Predicate " + (r.path ? shortTerm(rdf::Term::iri(r.path->iri)) : std::string("?")) +
               " is not allowed (closed shape)";
      case Component::kHasValue:
        return "Missing the value " + plainTerm(m_.slots[c.slots[0]]);
      case Component::kIn: {
        std::string l;
        for (size_t i = 0; i < c.slots.size() && i < 8; ++i)
          l += (i ? ", " : "") + plainTerm(m_.slots[c.slots[i]]);
        if (c.slots.size() > 8) l += ", ...";
        return "Value is not one of (" + l + ")";
      }
      case Component::kSparql:
        return "The SPARQL constraint reported this node";
    }
    return "Constraint violated";
  }

  const Model& m_;
  const sparql::Dataset& ds_;
  DataGraph data_;
  const ValidateOptions& opts_;
  ValidationReport* report_;
  std::unique_ptr<NamedAsDefault> named_;
  const sparql::Dataset* sparql_ds_ = nullptr;
  sparql::ExecOptions exec_;
  sparql::FunctionContext fn_;
  std::vector<Id> slot_ids_;
  Id rdf_type_ = kAnyId, sub_class_of_ = kAnyId;
  std::vector<rdf::Term> local_;
  std::unordered_map<std::string, Id> local_index_;
  static constexpr int kCacheBits = 12;
  static constexpr size_t kCacheSlots = size_t{1} << kCacheBits;
  struct CacheSlot {
    Id id = kAnyId;
    rdf::Term term;
  };
  std::vector<CacheSlot> cache_;
  // SHACL-SPARQL batches: constraint -> solutions by focus node; shapes ->
  // their number of focus nodes (top-level shapes, once counted).
  static constexpr size_t kBatchMinFocusNodes = 64;
  std::unordered_map<int, std::unique_ptr<Batch>> batches_;
  std::unordered_map<int, size_t> focus_counts_;
  std::vector<std::vector<Id>> values_pool_;  // one per nesting depth of validateFocus
  size_t depth_ = 0;
  std::unordered_map<Id, std::vector<Id>> subclasses_;
  std::unordered_map<std::pair<Id, int>, bool, PairHash> memo_;
  std::unordered_set<std::pair<Id, int>, PairHash> active_;
  std::map<std::pair<int, int>, size_t> count_index_;
  uint64_t recursion_hits_ = 0;
  bool recursion_ = false;
};

}  // namespace

Result<ValidationReport> validate(const sparql::Dataset& data, const DataScope& scope,
                                  const Shapes& shapes, const ValidateOptions& opts) {
  Id graph = kAnyId;
  if (scope.kind == DataScope::Kind::kDefault) {
    graph = sparql::kDefaultGraphId;
  } else if (scope.kind == DataScope::Kind::kNamed) {
    graph = data.lookup(scope.graph.view());
    if (graph == kAnyId) {
      return Status::notFound("the data has no graph " + rdf::toNTriples(scope.graph.view()));
    }
  }
  ValidationReport report;
  try {
    Validator v(shapes.model(), data, graph, scope, opts, &report);
    v.run();
  } catch (const Abort& a) {
    return a.status;
  }
  return report;
}

}  // namespace weft::shacl
