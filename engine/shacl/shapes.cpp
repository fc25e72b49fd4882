// SPDX-License-Identifier: Apache-2.0
// Loading and compiling a shapes graph (shacl.h): RDF in, internal::Model
// out. Which nodes are shapes follows https://www.w3.org/TR/shacl/#shapes;
// parameters follow the constraint components of section 4 and the
// SHACL-SPARQL constraints of section 5. Only shapes reachable from a
// target, or declared with rdf:type sh:NodeShape / sh:PropertyShape, are
// compiled, so an ill-formed node nothing uses (a stray path) is not an error.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/db/database.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/xsd.h"
#include "engine/shacl/internal/model.h"
#include "engine/shacl/internal/prebind.h"
#include "engine/shacl/internal/term_graph.h"
#include "engine/shacl/internal/vocab.h"
#include "engine/shacl/shacl.h"
#include "engine/sparql/functions.h"
#include "engine/sparql/parser.h"
#include "engine/store/store.h"

namespace weft::shacl {

namespace fs = std::filesystem;
using internal::Component;
using internal::kNoTerm;
using internal::Model;
using internal::TermGraph;
using internal::TermIndex;

// ------------------------------------------------------------------ paths

namespace {
void appendPath(std::string& out, const PropertyPath& p) {
  using K = PropertyPath::Kind;
  switch (p.kind) {
    case K::kPredicate:
      out += '<';
      rdf::appendEscapedIri(out, p.iri);
      out += '>';
      return;
    case K::kSequence:
    case K::kAlternative:
      out += '(';
      for (size_t i = 0; i < p.sub.size(); ++i) {
        if (i) out += p.kind == K::kSequence ? '/' : '|';
        appendPath(out, p.sub[i]);
      }
      out += ')';
      return;
    case K::kInverse:
      out += "(^";
      appendPath(out, p.sub[0]);
      out += ')';
      return;
    case K::kZeroOrMore:
    case K::kOneOrMore:
    case K::kZeroOrOne:
      out += '(';
      appendPath(out, p.sub[0]);
      out += p.kind == K::kZeroOrMore ? '*' : p.kind == K::kOneOrMore ? '+' : '?';
      out += ')';
      return;
  }
}
}  // namespace

std::string pathToSparql(const PropertyPath& p) {
  std::string out;
  appendPath(out, p);
  return out;
}

// ------------------------------------------------------------------ Shapes

Shapes::Shapes() : m_(std::make_shared<const Model>()) {}
Shapes::Shapes(std::shared_ptr<const internal::Model> m) : m_(std::move(m)) {}
Shapes::~Shapes() = default;
Shapes::Shapes(Shapes&&) noexcept = default;
Shapes& Shapes::operator=(Shapes&&) noexcept = default;
size_t Shapes::shapeCount() const { return m_->shapes.size(); }
size_t Shapes::targetedShapeCount() const { return m_->targeted.size(); }
const std::vector<std::pair<std::string, std::string>>& Shapes::prefixes() const {
  return m_->prefixes;
}
std::string Shapes::displayName(const rdf::Term& shape) const {
  auto it = m_->index.find(rdf::toNTriples(shape.view()));
  if (it != m_->index.end()) return m_->shapes[it->second].label;
  return shortName(shape.view(), m_->prefixes);
}

namespace internal {
const char* componentName(Component c) {
  switch (c) {
    case Component::kClass:
      return "ClassConstraintComponent";
    case Component::kDatatype:
      return "DatatypeConstraintComponent";
    case Component::kNodeKind:
      return "NodeKindConstraintComponent";
    case Component::kMinCount:
      return "MinCountConstraintComponent";
    case Component::kMaxCount:
      return "MaxCountConstraintComponent";
    case Component::kMinExclusive:
      return "MinExclusiveConstraintComponent";
    case Component::kMinInclusive:
      return "MinInclusiveConstraintComponent";
    case Component::kMaxExclusive:
      return "MaxExclusiveConstraintComponent";
    case Component::kMaxInclusive:
      return "MaxInclusiveConstraintComponent";
    case Component::kMinLength:
      return "MinLengthConstraintComponent";
    case Component::kMaxLength:
      return "MaxLengthConstraintComponent";
    case Component::kPattern:
      return "PatternConstraintComponent";
    case Component::kLanguageIn:
      return "LanguageInConstraintComponent";
    case Component::kUniqueLang:
      return "UniqueLangConstraintComponent";
    case Component::kEquals:
      return "EqualsConstraintComponent";
    case Component::kDisjoint:
      return "DisjointConstraintComponent";
    case Component::kLessThan:
      return "LessThanConstraintComponent";
    case Component::kLessThanOrEquals:
      return "LessThanOrEqualsConstraintComponent";
    case Component::kNot:
      return "NotConstraintComponent";
    case Component::kAnd:
      return "AndConstraintComponent";
    case Component::kOr:
      return "OrConstraintComponent";
    case Component::kXone:
      return "XoneConstraintComponent";
    case Component::kNode:
      return "NodeConstraintComponent";
    case Component::kProperty:
      return "PropertyConstraintComponent";
    case Component::kQualifiedMinCount:
      return "QualifiedMinCountConstraintComponent";
    case Component::kQualifiedMaxCount:
      return "QualifiedMaxCountConstraintComponent";
    case Component::kClosed:
      return "ClosedConstraintComponent";
    case Component::kHasValue:
      return "HasValueConstraintComponent";
    case Component::kIn:
      return "InConstraintComponent";
    case Component::kSparql:
      return "SPARQLConstraintComponent";
  }
  return "?";
}
}  // namespace internal

// ------------------------------------------------------------------ compiler

namespace {

std::string nt(const rdf::Term& t) { return rdf::toNTriples(t.view()); }

// Compiles the shapes of one TermGraph into a Model.
class Compiler {
 public:
  Compiler(const TermGraph& g, Model* m) : g_(g), m_(m) {}

  Status run() {
    // Candidate shapes, in order of first appearance of the subject.
    const TermIndex type = g_.iri(internal::kRdfType);
    const TermIndex node_shape = sh("NodeShape"), property_shape = sh("PropertyShape");
    const TermIndex targets[] = {sh("targetNode"), sh("targetClass"), sh("targetSubjectsOf"),
                                 sh("targetObjectsOf")};
    for (TermIndex n = 0; n < g_.termCount(); ++n) {
      const auto& out = g_.outgoing(n);
      if (out.empty()) continue;
      bool candidate = false;
      for (const auto& [p, o] : out) {
        if (std::find(std::begin(targets), std::end(targets), p) != std::end(targets) ||
            (p == type && (o == node_shape || o == property_shape))) {
          candidate = true;
          break;
        }
      }
      // Implicit class targets: an rdfs:Class that is also a shape (has a
      // parameter of a constraint component, e.g. sh:property).
      if (!candidate && isClass(n)) {
        for (const auto& [p, o] : out)
          if (isParameter(p)) {
            candidate = true;
            break;
          }
      }
      if (!candidate) continue;
      auto idx = shape(n);
      if (!idx) return idx.status();
      const internal::Shape& s = m_->shapes[idx.value()];
      if (s.hasTargets() &&
          std::find(m_->targeted.begin(), m_->targeted.end(), idx.value()) == m_->targeted.end())
        m_->targeted.push_back(idx.value());
    }
    return Status::ok();
  }

 private:
  TermIndex sh(std::string_view local) {
    std::string iri = internal::sh(local);
    auto it = sh_cache_.find(iri);
    if (it != sh_cache_.end()) return it->second;
    TermIndex i = g_.iri(iri);
    sh_cache_.emplace(std::move(iri), i);
    return i;
  }

  bool isParameter(TermIndex p) {
    // clang-format off
    static const char* const kParams[] = {
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
        "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn",
        "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
        "xone", "node", "property", "qualifiedValueShape", "closed", "hasValue", "in", "sparql",
        "path"};
    // clang-format on
    for (const char* l : kParams)
      if (sh(l) == p) return true;
    return false;
  }

  // A SHACL instance of rdfs:Class in the shapes graph (rdf:type/rdfs:subClassOf*).
  bool isClass(TermIndex n) {
    const TermIndex type = g_.iri(internal::kRdfType), sub = g_.iri(internal::kRdfsSubClassOf);
    const TermIndex cls = g_.iri(internal::kRdfsClass);
    if (cls == kNoTerm) return false;
    std::vector<TermIndex> todo = g_.objects(n, type), seen;
    while (!todo.empty()) {
      TermIndex c = todo.back();
      todo.pop_back();
      if (c == cls) return true;
      if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
      seen.push_back(c);
      for (TermIndex s : g_.objects(c, sub)) todo.push_back(s);
    }
    return false;
  }

  int slot(const rdf::Term& t) {
    std::string k = nt(t);
    auto [it, fresh] = slots_.try_emplace(k, static_cast<int>(m_->slots.size()));
    if (fresh) m_->slots.push_back(t);
    return it->second;
  }

  std::string name(TermIndex n) const {
    const rdf::Term& t = g_.term(n);
    return t.isNone() ? "?" : nt(t);
  }

  // A blank shape is named by what points at it: "[ sh:path <p> ] (the
  // sh:property of <S>)", up to a few levels of blank parents.
  std::string describe(TermIndex n, int depth = 0) const {
    const rdf::Term& t = g_.term(n);
    if (t.kind != rdf::TermKind::kBlank || depth > 3) return name(n);
    std::string out = name(n);
    TermIndex p = g_.object(n, g_.iri(internal::sh("path")));
    if (p != kNoTerm && g_.term(p).kind == rdf::TermKind::kIri)
      out = "[ sh:path " + nt(g_.term(p)) + " ]";
    for (TermIndex s = 0; s < g_.termCount(); ++s)
      for (const auto& [ep, eo] : g_.outgoing(s))
        if (eo == n && g_.term(ep).value.compare(0, kSh.size(), kSh) == 0) {
          return out + " (the sh:" + g_.term(ep).value.substr(kSh.size()) + " of " +
                 describe(s, depth + 1) + ")";
        }
    return out;
  }

  Status error(TermIndex shape_node, const std::string& what) {
    return Status::invalidArgument("shape " + describe(shape_node) + ": " + what);
  }

  // Boolean parameters are on only when the value is the literal true: the
  // spec names that term, and the suite (uniqueLang-002) expects
  // "1"^^xsd:boolean to leave a constraint off.
  static bool isTrue(const rdf::Term& t) {
    return t.kind == rdf::TermKind::kLiteral && t.datatype == internal::kXsdBoolean &&
           t.value == "true";
  }

  Result<int64_t> count(TermIndex shape_node, std::string_view param, TermIndex value) {
    const rdf::Term& t = g_.term(value);
    rdf::Value v = rdf::parseValue(t.view());
    if (v.type != rdf::ValueType::kInteger || v.big_integer || v.integer < 0) {
      return error(shape_node, "sh:" + std::string(param) +
                                   " must be a non-negative xsd:integer, not " + nt(t));
    }
    return v.integer;
  }

  Result<std::vector<TermIndex>> list(TermIndex shape_node, std::string_view param,
                                      TermIndex head) {
    auto l = g_.list(head);
    if (!l) return error(shape_node, "sh:" + std::string(param) + ": " + l.status().message());
    return l;
  }

  // A SHACL path (https://www.w3.org/TR/shacl/#property-paths). A node that
  // is a list is a sequence path first (the strange-path tests of the suite
  // give list nodes other path properties too).
  Status path(TermIndex shape_node, TermIndex n, internal::Path* out, PropertyPath* pub,
              std::vector<TermIndex>* stack) {
    using K = PropertyPath::Kind;
    const rdf::Term& t = g_.term(n);
    if (t.kind == rdf::TermKind::kIri) {
      out->kind = pub->kind = K::kPredicate;
      out->slot = slot(t);
      pub->iri = t.value;
      return Status::ok();
    }
    if (t.kind != rdf::TermKind::kBlank)
      return error(shape_node, "a path must be an IRI or a blank node, not " + nt(t));
    if (std::find(stack->begin(), stack->end(), n) != stack->end())
      return error(shape_node, "the path " + name(n) + " contains itself");
    stack->push_back(n);
    auto sub = [&](TermIndex m, K kind) -> Status {
      out->kind = pub->kind = kind;
      out->sub.emplace_back();
      pub->sub.emplace_back();
      return path(shape_node, m, &out->sub.back(), &pub->sub.back(), stack);
    };
    Status st;
    if (g_.object(n, g_.iri(internal::kRdfFirst)) != kNoTerm) {
      auto members = g_.list(n);
      if (!members) return error(shape_node, "sequence path: " + members.status().message());
      if (members.value().size() < 2)
        return error(shape_node, "a sequence path needs at least two members");
      out->kind = pub->kind = K::kSequence;
      for (TermIndex m : members.value()) {
        out->sub.emplace_back();
        pub->sub.emplace_back();
        if (st = path(shape_node, m, &out->sub.back(), &pub->sub.back(), stack); !st) return st;
      }
    } else if (TermIndex a = g_.object(n, sh("alternativePath")); a != kNoTerm) {
      auto members = g_.list(a);
      if (!members) return error(shape_node, "sh:alternativePath: " + members.status().message());
      if (members.value().size() < 2)
        return error(shape_node, "sh:alternativePath needs a list of at least two paths");
      out->kind = pub->kind = K::kAlternative;
      for (TermIndex m : members.value()) {
        out->sub.emplace_back();
        pub->sub.emplace_back();
        if (st = path(shape_node, m, &out->sub.back(), &pub->sub.back(), stack); !st) return st;
      }
    } else if (TermIndex i = g_.object(n, sh("inversePath")); i != kNoTerm) {
      st = sub(i, K::kInverse);
    } else if (TermIndex z = g_.object(n, sh("zeroOrMorePath")); z != kNoTerm) {
      st = sub(z, K::kZeroOrMore);
    } else if (TermIndex o = g_.object(n, sh("oneOrMorePath")); o != kNoTerm) {
      st = sub(o, K::kOneOrMore);
    } else if (TermIndex q = g_.object(n, sh("zeroOrOnePath")); q != kNoTerm) {
      st = sub(q, K::kZeroOrOne);
    } else {
      return error(shape_node,
                   name(n) +
                       " is not a SHACL path (a list, or a node with sh:alternativePath, "
                       "sh:inversePath, sh:zeroOrMorePath, sh:oneOrMorePath or "
                       "sh:zeroOrOnePath)");
    }
    stack->pop_back();
    return st;
  }

  // The shape index of node n, compiling it on first use.
  Result<int> shape(TermIndex n) {
    if (auto it = index_.find(n); it != index_.end()) return it->second;
    const rdf::Term& t = g_.term(n);
    if (t.kind == rdf::TermKind::kLiteral)
      return Status::invalidArgument("a literal is not a shape: " + nt(t));
    int idx = static_cast<int>(m_->shapes.size());
    index_.emplace(n, idx);
    m_->shapes.emplace_back();
    internal::Shape s;
    if (Status st = compile(n, &s); !st) return st;
    m_->shapes[idx] = std::move(s);
    return idx;
  }

  Status compile(TermIndex n, internal::Shape* s) {
    using internal::Constraint;
    s->node = g_.term(n);
    auto paths = g_.objects(n, sh("path"));
    if (paths.size() > 1)
      return error(n, "has " + std::to_string(paths.size()) + " values of sh:path (at most one)");
    if (paths.size() == 1) {
      s->is_property = true;
      auto pub = std::make_shared<PropertyPath>();
      std::vector<TermIndex> stack;
      WEFT_TRY(path(n, paths[0], &s->path, pub.get(), &stack));
      s->result_path = std::move(pub);
    }
    for (TermIndex d : g_.objects(n, sh("deactivated")))
      if (isTrue(g_.term(d))) s->deactivated = true;
    auto sev = g_.objects(n, sh("severity"));
    if (sev.size() > 1) return error(n, "has more than one sh:severity");
    s->severity = sev.empty() ? rdf::Term::iri(internal::kShViolation) : g_.term(sev[0]);
    if (s->severity.kind != rdf::TermKind::kIri) return error(n, "sh:severity must be an IRI");
    for (TermIndex msg : g_.objects(n, sh("message"))) s->messages.push_back(g_.term(msg));

    // Targets (https://www.w3.org/TR/shacl/#targets).
    for (TermIndex v : g_.objects(n, sh("targetNode"))) s->target_nodes.push_back(slot(g_.term(v)));
    for (TermIndex v : g_.objects(n, sh("targetClass")))
      s->target_classes.push_back(slot(g_.term(v)));
    if (isClass(n)) s->target_classes.push_back(slot(g_.term(n)));  // implicit class target
    for (TermIndex v : g_.objects(n, sh("targetSubjectsOf")))
      s->subjects_of.push_back(slot(g_.term(v)));
    for (TermIndex v : g_.objects(n, sh("targetObjectsOf")))
      s->objects_of.push_back(slot(g_.term(v)));

    // Constraints, in the order the parameters appear.
    bool closed_done = false;
    for (const auto& [p, o] : g_.outgoing(n)) {
      const rdf::Term& v = g_.term(o);
      Constraint c;
      auto iriParam = [&](std::string_view param) -> Status {
        if (v.kind != rdf::TermKind::kIri)
          return error(n, "sh:" + std::string(param) + " must be an IRI, not " + nt(v));
        return Status::ok();
      };
      if (p == sh("class")) {
        c.comp = Component::kClass;
        c.slots.push_back(slot(v));
      } else if (p == sh("datatype")) {
        WEFT_TRY(iriParam("datatype"));
        c.comp = Component::kDatatype;
        c.term = v;
      } else if (p == sh("nodeKind")) {
        c.comp = Component::kNodeKind;
        c.node_kind = v;
        static const std::pair<const char*, uint8_t> kKinds[] = {
            {"IRI", internal::kKindIri},
            {"BlankNode", internal::kKindBlank},
            {"Literal", internal::kKindLiteral},
            {"BlankNodeOrIRI", internal::kKindBlank | internal::kKindIri},
            {"BlankNodeOrLiteral", internal::kKindBlank | internal::kKindLiteral},
            {"IRIOrLiteral", internal::kKindIri | internal::kKindLiteral}};
        for (const auto& [local, bits] : kKinds)
          if (v.kind == rdf::TermKind::kIri && v.value == internal::sh(local)) c.node_kinds = bits;
        if (!c.node_kinds)
          return error(
              n,
              "sh:nodeKind must be one of sh:IRI, sh:BlankNode, sh:Literal, sh:BlankNodeOrIRI, "
              "sh:BlankNodeOrLiteral, sh:IRIOrLiteral; not " +
                  nt(v));
      } else if (p == sh("minCount") || p == sh("maxCount")) {
        if (!s->is_property) continue;  // applies to property shapes only
        bool min = p == sh("minCount");
        auto k = count(n, min ? "minCount" : "maxCount", o);
        if (!k) return k.status();
        c.comp = min ? Component::kMinCount : Component::kMaxCount;
        (min ? c.min : c.max) = k.value();
        if (min && k.value() == 0) continue;  // always satisfied
      } else if (p == sh("minExclusive") || p == sh("minInclusive") || p == sh("maxExclusive") ||
                 p == sh("maxInclusive")) {
        c.comp = p == sh("minExclusive")   ? Component::kMinExclusive
                 : p == sh("minInclusive") ? Component::kMinInclusive
                 : p == sh("maxExclusive") ? Component::kMaxExclusive
                                           : Component::kMaxInclusive;
        if (v.kind != rdf::TermKind::kLiteral)
          return error(n, std::string("sh:") + internal::componentName(c.comp) +
                              " bound must be a literal, not " + nt(v));
        c.term = v;
      } else if (p == sh("minLength") || p == sh("maxLength")) {
        bool min = p == sh("minLength");
        auto k = count(n, min ? "minLength" : "maxLength", o);
        if (!k) return k.status();
        c.comp = min ? Component::kMinLength : Component::kMaxLength;
        (min ? c.min : c.max) = k.value();
      } else if (p == sh("pattern")) {
        if (v.kind != rdf::TermKind::kLiteral)
          return error(n, "sh:pattern must be a string literal, not " + nt(v));
        c.comp = Component::kPattern;
        c.term = v;
        auto flags = g_.objects(n, sh("flags"));
        if (!flags.empty()) c.flags = g_.term(flags[0]).value;
        // Reject a pattern the regex engine cannot compile now, not per value.
        sparql::FunctionContext fc;
        rdf::Term args[] = {rdf::Term::literal(""), rdf::Term::literal(v.value),
                            rdf::Term::literal(c.flags)};
        if (!sparql::callBuiltin(sparql::Builtin::kRegex, args, fc))
          return error(n, "sh:pattern " + nt(v) +
                              (c.flags.empty() ? "" : " with sh:flags \"" + c.flags + "\"") +
                              " is not a valid regular expression");
      } else if (p == sh("languageIn")) {
        auto l = list(n, "languageIn", o);
        if (!l) return l.status();
        c.comp = Component::kLanguageIn;
        for (TermIndex m : l.value()) {
          const rdf::Term& lt = g_.term(m);
          if (lt.kind != rdf::TermKind::kLiteral)
            return error(n, "sh:languageIn members must be strings, not " + nt(lt));
          c.langs.push_back(lt.value);
        }
      } else if (p == sh("uniqueLang")) {
        if (!s->is_property || !isTrue(v)) continue;
        c.comp = Component::kUniqueLang;
      } else if (p == sh("equals") || p == sh("disjoint") || p == sh("lessThan") ||
                 p == sh("lessThanOrEquals")) {
        c.comp = p == sh("equals")     ? Component::kEquals
                 : p == sh("disjoint") ? Component::kDisjoint
                 : p == sh("lessThan") ? Component::kLessThan
                                       : Component::kLessThanOrEquals;
        if ((c.comp == Component::kLessThan || c.comp == Component::kLessThanOrEquals) &&
            !s->is_property)
          continue;
        WEFT_TRY(iriParam(c.comp == Component::kEquals     ? "equals"
                          : c.comp == Component::kDisjoint ? "disjoint"
                          : c.comp == Component::kLessThan ? "lessThan"
                                                           : "lessThanOrEquals"));
        c.slots.push_back(slot(v));
      } else if (p == sh("not") || p == sh("node") || p == sh("property")) {
        c.comp = p == sh("not")    ? Component::kNot
                 : p == sh("node") ? Component::kNode
                                   : Component::kProperty;
        auto k = shape(o);
        if (!k) return k.status();
        c.shapes.push_back(k.value());
        if (c.comp == Component::kProperty) pending_property_.emplace_back(n, o);
      } else if (p == sh("and") || p == sh("or") || p == sh("xone")) {
        c.comp = p == sh("and")  ? Component::kAnd
                 : p == sh("or") ? Component::kOr
                                 : Component::kXone;
        auto l = list(n,
                      c.comp == Component::kAnd  ? "and"
                      : c.comp == Component::kOr ? "or"
                                                 : "xone",
                      o);
        if (!l) return l.status();
        for (TermIndex m : l.value()) {
          auto k = shape(m);
          if (!k) return k.status();
          c.shapes.push_back(k.value());
        }
      } else if (p == sh("qualifiedValueShape")) {
        if (!s->is_property) continue;
        auto k = shape(o);
        if (!k) return k.status();
        c.shapes.push_back(k.value());
        int64_t qmin = -1, qmax = -1;
        for (TermIndex x : g_.objects(n, sh("qualifiedMinCount"))) {
          auto r = count(n, "qualifiedMinCount", x);
          if (!r) return r.status();
          qmin = r.value();
        }
        for (TermIndex x : g_.objects(n, sh("qualifiedMaxCount"))) {
          auto r = count(n, "qualifiedMaxCount", x);
          if (!r) return r.status();
          qmax = r.value();
        }
        bool disjoint = false;
        for (TermIndex x : g_.objects(n, sh("qualifiedValueShapesDisjoint")))
          if (isTrue(g_.term(x))) disjoint = true;
        if (disjoint) {
          // Siblings: sh:qualifiedValueShape of the property shapes of every
          // shape that has this one as sh:property, other than this one's.
          for (TermIndex parent : g_.subjects(sh("property"), n))
            for (TermIndex ps : g_.objects(parent, sh("property")))
              for (TermIndex q : g_.objects(ps, sh("qualifiedValueShape"))) {
                if (q == o) continue;
                auto sk = shape(q);
                if (!sk) return sk.status();
                if (std::find(c.siblings.begin(), c.siblings.end(), sk.value()) == c.siblings.end())
                  c.siblings.push_back(sk.value());
              }
        }
        if (qmin < 0 && qmax < 0) continue;
        if (qmin >= 0) {
          Constraint cm = c;
          cm.comp = Component::kQualifiedMinCount;
          cm.min = qmin;
          s->constraints.push_back(std::move(cm));
        }
        if (qmax >= 0) {
          c.comp = Component::kQualifiedMaxCount;
          c.max = qmax;
          s->constraints.push_back(std::move(c));
        }
        continue;
      } else if (p == sh("closed")) {
        if (closed_done || !isTrue(v)) continue;
        closed_done = true;
        c.comp = Component::kClosed;
        for (TermIndex ps : g_.objects(n, sh("property")))
          for (TermIndex pp : g_.objects(ps, sh("path")))
            if (g_.term(pp).kind == rdf::TermKind::kIri) c.slots.push_back(slot(g_.term(pp)));
        for (TermIndex ig : g_.objects(n, sh("ignoredProperties"))) {
          auto l = list(n, "ignoredProperties", ig);
          if (!l) return l.status();
          for (TermIndex m : l.value()) c.slots.push_back(slot(g_.term(m)));
        }
      } else if (p == sh("hasValue")) {
        c.comp = Component::kHasValue;
        c.slots.push_back(slot(v));
      } else if (p == sh("in")) {
        auto l = list(n, "in", o);
        if (!l) return l.status();
        c.comp = Component::kIn;
        for (TermIndex m : l.value()) c.slots.push_back(slot(g_.term(m)));
      } else if (p == sh("sparql")) {
        auto k = sparqlConstraint(n, *s, o);
        if (!k) return k.status();
        if (k.value() < 0) continue;  // deactivated
        c.comp = Component::kSparql;
        c.sparql = k.value();
      } else {
        continue;
      }
      s->constraints.push_back(std::move(c));
    }
    return Status::ok();
  }

 public:
  // sh:property values must be property shapes; checked once all shapes are
  // compiled (a shape may be referenced while it is still being compiled).
  Status checkProperties() {
    for (const auto& [parent, ps] : pending_property_) {
      auto it = index_.find(ps);
      if (it != index_.end() && !m_->shapes[it->second].is_property)
        return error(parent, "the value " + name(ps) + " of sh:property has no sh:path");
    }
    return Status::ok();
  }

 private:
  // Prefix declarations for a SPARQL-based constraint (SHACL 5.2.1):
  // sh:prefixes/owl:imports*/sh:declare.
  Status prefixes(TermIndex shape_node, TermIndex c, std::string* out) {
    std::map<std::string, std::string> decl;
    std::vector<TermIndex> todo = g_.objects(c, sh("prefixes")), seen;
    const TermIndex imports = g_.iri(internal::kOwlImports);
    while (!todo.empty()) {
      TermIndex x = todo.back();
      todo.pop_back();
      if (std::find(seen.begin(), seen.end(), x) != seen.end()) continue;
      seen.push_back(x);
      for (TermIndex i : g_.objects(x, imports)) todo.push_back(i);
      for (TermIndex d : g_.objects(x, sh("declare"))) {
        TermIndex pf = g_.object(d, sh("prefix")), ns = g_.object(d, sh("namespace"));
        if (pf == kNoTerm || ns == kNoTerm)
          return error(shape_node,
                       "a sh:declare of " + name(x) + " lacks sh:prefix or sh:namespace");
        const std::string& prefix = g_.term(pf).value;
        const std::string& iri = g_.term(ns).value;
        auto [it, fresh] = decl.emplace(prefix, iri);
        if (!fresh && it->second != iri)
          return error(shape_node, "prefix \"" + prefix + "\" is declared with two namespaces: <" +
                                       it->second + "> and <" + iri + ">");
      }
    }
    for (const auto& [p, ns] : decl) *out += "PREFIX " + p + ": <" + ns + ">\n";
    return Status::ok();
  }

  // Compiles one sh:sparql value for shape s; -1 if it is deactivated.
  Result<int> sparqlConstraint(TermIndex n, const internal::Shape& s, TermIndex c) {
    for (TermIndex d : g_.objects(c, sh("deactivated")))
      if (isTrue(g_.term(d))) return -1;
    auto selects = g_.objects(c, sh("select"));
    if (selects.size() != 1 || g_.term(selects[0]).kind != rdf::TermKind::kLiteral)
      return error(n,
                   "the sh:sparql constraint " + name(c) + " needs exactly one sh:select string");
    std::string text;
    WEFT_TRY(prefixes(n, c, &text));
    size_t prologue_lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    std::string select = g_.term(selects[0]).value;
    if (s.is_property) {
      // $PATH is replaced by the shape's path in SPARQL syntax (5.3.1);
      // not a variable, so it cannot be pre-bound.
      std::string p = pathToSparql(*s.result_path);
      for (size_t at = 0; (at = select.find("$PATH", at)) != std::string::npos;) {
        size_t end = at + 5;
        bool ident = end < select.size() &&
                     (std::isalnum(static_cast<unsigned char>(select[end])) || select[end] == '_');
        if (ident) {
          at = end;
          continue;
        }
        select.replace(at, 5, p);
        at += p.size();
      }
    }
    text += select;
    auto q = sparql::parseQuery(text);
    if (!q) {
      // "3:7: ..." counts lines of the text with our PREFIX lines; give the
      // position within sh:select as written.
      std::string msg = q.status().message();
      size_t colon = msg.find(':');
      if (colon != std::string::npos && prologue_lines > 0) {
        try {
          long line = std::stol(msg.substr(0, colon));
          if (line > static_cast<long>(prologue_lines))
            msg = std::to_string(line - static_cast<long>(prologue_lines)) + msg.substr(colon);
        } catch (...) {
        }
      }
      return error(n, "sh:select of " + name(c) + ": " + msg);
    }
    if (q.value().form != sparql::QueryForm::kSelect)
      return error(n, "sh:select of " + name(c) + " is not a SELECT query");
    internal::SparqlConstraint sc;
    sc.node = g_.term(c);
    sc.query = std::move(q.value());
    for (size_t i = 0; i < sc.query.vars.size(); ++i) {
      const std::string& v = sc.query.vars[i];
      if (v == "this") sc.this_var = static_cast<sparql::VarId>(i);
      if (v == "currentShape") sc.current_shape_var = static_cast<sparql::VarId>(i);
      if (v == "shapesGraph") sc.shapes_graph_var = static_cast<sparql::VarId>(i);
    }
    for (TermIndex msg : g_.objects(c, sh("message"))) sc.messages.push_back(g_.term(msg));
    sc.batchable = internal::batchQuery(sc.query, sc.this_var, &sc.batch);
    m_->sparql.push_back(std::move(sc));
    return static_cast<int>(m_->sparql.size() - 1);
  }

  const TermGraph& g_;
  Model* m_;
  std::unordered_map<std::string, TermIndex> sh_cache_;
  std::unordered_map<std::string, int> slots_;
  std::unordered_map<TermIndex, int> index_;
  std::vector<std::pair<TermIndex, TermIndex>> pending_property_;
};

// Labels (Shape::label): named shapes by their IRI, blank ones by the way to
// them from a named shape, breadth first so the shortest way wins.
void labelShapes(Model* m) {
  std::vector<int> todo;
  for (size_t i = 0; i < m->shapes.size(); ++i) {
    internal::Shape& s = m->shapes[i];
    m->index.emplace(nt(s.node), static_cast<int>(i));
    if (s.node.kind != rdf::TermKind::kBlank) {
      s.label = shortName(s.node.view(), m->prefixes);
      todo.push_back(static_cast<int>(i));
    }
  }
  for (size_t k = 0; k < todo.size(); ++k) {
    const internal::Shape& parent = m->shapes[todo[k]];
    for (const internal::Constraint& c : parent.constraints) {
      std::string how;
      switch (c.comp) {
        case Component::kNot:
          how = "sh:not";
          break;
        case Component::kAnd:
          how = "sh:and";
          break;
        case Component::kOr:
          how = "sh:or";
          break;
        case Component::kXone:
          how = "sh:xone";
          break;
        case Component::kNode:
          how = "sh:node";
          break;
        case Component::kQualifiedMinCount:
        case Component::kQualifiedMaxCount:
          how = "sh:qualifiedValueShape";
          break;
        case Component::kProperty:
          break;
        default:
          continue;
      }
      for (int child : c.shapes) {
        internal::Shape& s = m->shapes[child];
        if (!s.label.empty()) continue;
        std::string step = how;
        if (c.comp == Component::kProperty && s.result_path) {
          step = s.result_path->kind == PropertyPath::Kind::kPredicate
                     ? shortName(rdf::TermView::iri(s.result_path->iri), m->prefixes)
                     : pathToSparql(*s.result_path);
        }
        s.label = parent.label + " / " + step;
        todo.push_back(child);
      }
    }
  }
  for (internal::Shape& s : m->shapes)
    if (s.label.empty()) s.label = nt(s.node);
}

Result<Shapes> compileGraph(const TermGraph& g,
                            std::vector<std::pair<std::string, std::string>> prefixes,
                            const LoadOptions& opts) {
  auto m = std::make_shared<Model>();
  Compiler c(g, m.get());
  Status st = c.run();
  if (st) st = c.checkProperties();
  if (!st) {
    return Status::invalidArgument(
        (opts.source_name.empty() ? std::string() : opts.source_name + ": ") + st.message());
  }
  // Keep the first namespace per prefix name.
  std::set<std::string> names;
  for (auto& [p, ns] : prefixes)
    if (names.insert(p).second) m->prefixes.emplace_back(std::move(p), std::move(ns));
  labelShapes(m.get());
  return Shapes(std::move(m));
}

// Records the prefixes of the files read, passing quads on.
class PrefixSink : public rdf::QuadSink {
 public:
  explicit PrefixSink(rdf::QuadSink* inner) : inner_(inner) {}
  Status quad(const rdf::QuadView& q) override { return inner_->quad(q); }
  Status prefix(std::string_view name, std::string_view iri) override {
    prefixes.emplace_back(std::string(name), std::string(iri));
    return Status::ok();
  }
  std::vector<std::pair<std::string, std::string>> prefixes;

 private:
  rdf::QuadSink* inner_;
};

}  // namespace

Result<Shapes> shapesFromQuads(const std::vector<rdf::Quad>& quads,
                               std::vector<std::pair<std::string, std::string>> prefixes,
                               const LoadOptions& opts) {
  TermGraph g;
  for (const rdf::Quad& q : quads) g.add(q.s.view(), q.p.view(), q.o.view());
  return compileGraph(g, std::move(prefixes), opts);
}

Result<Shapes> shapesFromDataset(const sparql::Dataset& data, sparql::Id graph,
                                 const LoadOptions& opts) {
  TermGraph g;
  auto cur = data.scan(sparql::IdQuad{sparql::kAnyId, sparql::kAnyId, sparql::kAnyId, graph});
  sparql::IdQuad q;
  std::unordered_map<sparql::Id, TermIndex> seen;
  rdf::Term s, p, o;
  while (cur->next(&q)) {
    if (!data.decode(q.s, &s) || !data.decode(q.p, &p) || !data.decode(q.o, &o))
      return Status::corruption("shapes graph: a term of the dataset cannot be decoded");
    g.add(s.view(), p.view(), o.view());
  }
  return compileGraph(g, {}, opts);
}

Result<Shapes> parseShapes(std::string_view text, std::string_view format,
                           const std::string& base_iri, const LoadOptions& opts) {
  rdf::ReadOptions ro;
  ro.format = rdf::formatFromName(format);
  if (ro.format == rdf::Format::kUnknown)
    return Status::invalidArgument("unknown RDF syntax '" + std::string(format) + "'");
  ro.base_iri = base_iri;
  ro.display_name = opts.source_name;
  rdf::VectorSink sink;
  WEFT_TRY(rdf::readString(text, ro, sink));
  return shapesFromQuads(sink.quads, std::move(sink.prefixes), opts);
}

Result<Shapes> loadShapes(const std::vector<std::string>& paths, const LoadOptions& opts) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::error_code fec;
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory(fec)) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file(fec) &&
            rdf::formatFromPath(it->path().string()) != rdf::Format::kUnknown)
          found.push_back(it->path().string());
      }
      if (ec) return Status::ioError("cannot list '" + p + "': " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty())
        return Status::notFound("'" + p +
                                "' holds no RDF files (.ttl, .nt, .trig, .rdf, .jsonld ...)");
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      return Status::notFound("shapes file '" + p + "' not found");
    }
  }
  if (files.empty()) return Status::invalidArgument("no shapes files given");
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  if (!txn) return txn.status();
  store::Loader loader(txn.value().get());
  PrefixSink sink(&loader);
  for (const std::string& f : files) {
    rdf::ReadOptions ro;
    ro.format = rdf::formatFromPath(f);
    if (ro.format == rdf::Format::kUnknown)
      return Status::invalidArgument(
          "cannot tell the syntax of shapes file '" + f +
          "' from its name (use .ttl, .nt, .nq, .trig, .rdf or .jsonld)");
    loader.startDocument();
    WEFT_TRY(rdf::readFile(f, ro, sink));
  }
  WEFT_TRY(txn.value()->commit());
  db::StoreDataset data(st->snapshot());
  LoadOptions lo = opts;
  if (lo.source_name == "shapes" || lo.source_name.empty())
    lo.source_name = files.size() == 1 ? files[0] : "shapes";
  TermGraph g;
  auto cur = data.scan(sparql::IdQuad{});
  sparql::IdQuad q;
  rdf::Term s, p, o;
  while (cur->next(&q)) {
    if (!data.decode(q.s, &s) || !data.decode(q.p, &p) || !data.decode(q.o, &o))
      return Status::corruption("shapes graph: a term cannot be decoded");
    g.add(s.view(), p.view(), o.view());
  }
  return compileGraph(g, std::move(sink.prefixes), lo);
}

}  // namespace weft::shacl
