// SPDX-License-Identifier: Apache-2.0
// JSONPath evaluation (RFC 9535 sections 2.3 - 2.7) over RapidJSON values:
// segments map a nodelist to a nodelist (2.5), selectors pick children
// (2.3), filters test each child with the comparison rules of 2.3.5.2.2
// and the functions of 2.4; Normalized Paths (2.7) are built only when asked.
#include "engine/jsonpath/jsonpath.h"

#include <charconv>
#include <cstdio>

#include "engine/jsonpath/internal/ast.h"
#include "engine/jsonpath/internal/parse.h"

namespace weft::jsonpath {

using internal::CmpOp;
using internal::Expr;
using internal::Function;
using internal::Literal;
using internal::Path;
using internal::Segment;
using internal::Selector;
using RValue = rapidjson::Value;

namespace {

// A value in a filter (section 2.3.5.2.2): a JSON value from the document
// or a literal, or Nothing (an empty nodelist or a function's "Nothing").
struct Val {
  enum class K : uint8_t { kNothing, kNull, kBool, kNumber, kString, kArray, kObject };
  K k = K::kNothing;
  bool b = false;
  bool is_int = false;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
  const RValue* node = nullptr;
};

Val fromNode(const RValue* v) {
  Val r;
  if (v == nullptr) return r;
  switch (v->GetType()) {
    case rapidjson::kNullType: r.k = Val::K::kNull; break;
    case rapidjson::kFalseType: r.k = Val::K::kBool; r.b = false; break;
    case rapidjson::kTrueType: r.k = Val::K::kBool; r.b = true; break;
    case rapidjson::kNumberType:
      r.k = Val::K::kNumber;
      if (v->IsInt64()) {
        r.is_int = true;
        r.i = v->GetInt64();
        r.d = static_cast<double>(r.i);
      } else {
        r.d = v->GetDouble();
      }
      break;
    case rapidjson::kStringType:
      r.k = Val::K::kString;
      r.s = std::string_view(v->GetString(), v->GetStringLength());
      break;
    case rapidjson::kArrayType: r.k = Val::K::kArray; r.node = v; break;
    case rapidjson::kObjectType: r.k = Val::K::kObject; r.node = v; break;
  }
  return r;
}

Val fromLiteral(const Literal& l) {
  Val r;
  switch (l.kind) {
    case Literal::Kind::kNull: r.k = Val::K::kNull; break;
    case Literal::Kind::kTrue: r.k = Val::K::kBool; r.b = true; break;
    case Literal::Kind::kFalse: r.k = Val::K::kBool; r.b = false; break;
    case Literal::Kind::kNumber:
      r.k = Val::K::kNumber;
      r.is_int = l.is_int;
      r.i = l.i;
      r.d = l.d;
      break;
    case Literal::Kind::kString: r.k = Val::K::kString; r.s = l.s; break;
  }
  return r;
}

Val number(int64_t n) {
  Val r;
  r.k = Val::K::kNumber;
  r.is_int = true;
  r.i = n;
  r.d = static_cast<double>(n);
  return r;
}

bool equal(const Val& a, const Val& b) {
  if (a.k != b.k) return false;
  switch (a.k) {
    case Val::K::kNothing:
    case Val::K::kNull: return true;
    case Val::K::kBool: return a.b == b.b;
    case Val::K::kNumber: return a.is_int && b.is_int ? a.i == b.i : a.d == b.d;
    case Val::K::kString: return a.s == b.s;
    case Val::K::kArray:
    case Val::K::kObject: return *a.node == *b.node;  // deep, member order ignored
  }
  return false;
}

bool less(const Val& a, const Val& b) {
  if (a.k == Val::K::kNumber && b.k == Val::K::kNumber) return a.is_int && b.is_int ? a.i < b.i : a.d < b.d;
  if (a.k == Val::K::kString && b.k == Val::K::kString) return a.s < b.s;  // code point order in UTF-8
  return false;
}

bool compare(const Val& a, CmpOp op, const Val& b) {
  switch (op) {
    case CmpOp::kEq: return equal(a, b);
    case CmpOp::kNe: return !equal(a, b);
    case CmpOp::kLt: return less(a, b);
    case CmpOp::kLe: return less(a, b) || equal(a, b);
    case CmpOp::kGt: return less(b, a);
    case CmpOp::kGe: return less(b, a) || equal(a, b);
  }
  return false;
}

size_t codePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Items of a nodelist: a value, plus its Normalized Path when tracked.
template <bool kTrack>
struct Item;
template <>
struct Item<false> {
  const RValue* v;
  Item<false> child(const RValue* c, const RValue::Member*) const { return {c}; }
  Item<false> element(const RValue* c, size_t) const { return {c}; }
};
template <>
struct Item<true> {
  const RValue* v;
  std::string path;
  Item<true> child(const RValue* c, const RValue::Member* m) const {
    Item<true> r{c, path};
    appendNormalizedName(&r.path, std::string_view(m->name.GetString(), m->name.GetStringLength()));
    return r;
  }
  Item<true> element(const RValue* c, size_t i) const {
    Item<true> r{c, path};
    appendNormalizedIndex(&r.path, i);
    return r;
  }
};

class Evaluator {
 public:
  explicit Evaluator(const RValue& root) : root_(root) {}

  // The nodelist of `path` with "@" bound to `current` (section 2.3.5.2).
  template <bool kTrack>
  void path(const Path& p, Item<kTrack> start, std::vector<Item<kTrack>>* out) {
    std::vector<Item<kTrack>> cur;
    cur.push_back(std::move(start));
    std::vector<Item<kTrack>> next;
    for (const Segment& seg : p.segments) {
      next.clear();
      for (const Item<kTrack>& in : cur) segment(seg, in, &next);
      cur.swap(next);
      if (cur.empty()) return;
    }
    for (auto& it : cur) out->push_back(std::move(it));
  }

  // A singular query: at most one node, found without lists.
  const RValue* singular(const Path& p, const RValue& current) {
    const RValue* v = p.absolute ? &root_ : &current;
    for (const Segment& seg : p.segments) {
      const Selector& sel = seg.selectors[0];
      if (sel.kind == Selector::Kind::kName) {
        if (!v->IsObject()) return nullptr;
        auto it = v->FindMember(RValue(rapidjson::StringRef(sel.name.data(), sel.name.size())));
        if (it == v->MemberEnd()) return nullptr;
        v = &it->value;
      } else {
        if (!v->IsArray()) return nullptr;
        int64_t n = static_cast<int64_t>(v->Size());
        int64_t i = sel.index < 0 ? n + sel.index : sel.index;
        if (i < 0 || i >= n) return nullptr;
        v = &(*v)[static_cast<rapidjson::SizeType>(i)];
      }
    }
    return v;
  }

 private:
  // Section 2.5.1 (child) and 2.5.2 (descendant: the input node and all its
  // descendants, each before its children, arrays in order).
  template <bool kTrack>
  void segment(const Segment& seg, const Item<kTrack>& in, std::vector<Item<kTrack>>* out) {
    if (!seg.descendant) {
      for (const Selector& sel : seg.selectors) selector(sel, in, out);
      return;
    }
    std::vector<Item<kTrack>> stack;
    stack.push_back(in);
    while (!stack.empty()) {
      Item<kTrack> node = std::move(stack.back());
      stack.pop_back();
      for (const Selector& sel : seg.selectors) selector(sel, node, out);
      const RValue& v = *node.v;
      if (v.IsArray()) {
        for (size_t i = v.Size(); i-- > 0;) stack.push_back(node.element(&v[static_cast<rapidjson::SizeType>(i)], i));
      } else if (v.IsObject()) {
        for (auto m = v.MemberEnd(); m != v.MemberBegin();) {
          --m;
          stack.push_back(node.child(&m->value, &*m));
        }
      }
    }
  }

  template <bool kTrack>
  void selector(const Selector& sel, const Item<kTrack>& in, std::vector<Item<kTrack>>* out) {
    const RValue& v = *in.v;
    switch (sel.kind) {
      case Selector::Kind::kName: {
        if (!v.IsObject()) return;
        auto it = v.FindMember(RValue(rapidjson::StringRef(sel.name.data(), sel.name.size())));
        if (it != v.MemberEnd()) out->push_back(in.child(&it->value, &*it));
        return;
      }
      case Selector::Kind::kWildcard:
        if (v.IsArray()) {
          for (size_t i = 0; i < v.Size(); ++i) out->push_back(in.element(&v[static_cast<rapidjson::SizeType>(i)], i));
        } else if (v.IsObject()) {
          for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) out->push_back(in.child(&m->value, &*m));
        }
        return;
      case Selector::Kind::kIndex: {
        if (!v.IsArray()) return;
        int64_t n = static_cast<int64_t>(v.Size());
        int64_t i = sel.index < 0 ? n + sel.index : sel.index;
        if (i >= 0 && i < n) {
          out->push_back(in.element(&v[static_cast<rapidjson::SizeType>(i)], static_cast<size_t>(i)));
        }
        return;
      }
      case Selector::Kind::kSlice: {
        if (!v.IsArray()) return;
        slice(sel, in, out);
        return;
      }
      case Selector::Kind::kFilter:
        if (v.IsArray()) {
          for (size_t i = 0; i < v.Size(); ++i) {
            const RValue& c = v[static_cast<rapidjson::SizeType>(i)];
            if (logical(*sel.filter, c)) out->push_back(in.element(&c, i));
          }
        } else if (v.IsObject()) {
          for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
            if (logical(*sel.filter, m->value)) out->push_back(in.child(&m->value, &*m));
          }
        }
        return;
    }
  }

  // Section 2.3.4.2.2 (slice bounds and step).
  template <bool kTrack>
  void slice(const Selector& sel, const Item<kTrack>& in, std::vector<Item<kTrack>>* out) {
    const RValue& v = *in.v;
    int64_t len = static_cast<int64_t>(v.Size());
    int64_t step = sel.has_step ? sel.step : 1;
    if (step == 0) return;
    auto normalize = [len](int64_t i) { return i >= 0 ? i : len + i; };
    int64_t start = sel.has_start ? normalize(sel.start) : (step > 0 ? 0 : len - 1);
    int64_t end = sel.has_end ? normalize(sel.end) : (step > 0 ? len : -len - 1);
    auto emit = [&](int64_t i) {
      out->push_back(in.element(&v[static_cast<rapidjson::SizeType>(i)], static_cast<size_t>(i)));
    };
    if (step > 0) {
      int64_t lower = std::min(std::max(start, int64_t{0}), len);
      int64_t upper = std::min(std::max(end, int64_t{0}), len);
      for (int64_t i = lower; i < upper; i += step) emit(i);
    } else {
      int64_t upper = std::min(std::max(start, int64_t{-1}), len - 1);
      int64_t lower = std::min(std::max(end, int64_t{-1}), len - 1);
      for (int64_t i = upper; lower < i; i += step) emit(i);
    }
  }

  // Section 2.3.5.2: the logical value of a filter expression for `current`.
  bool logical(const Expr& e, const RValue& current) {
    switch (e.kind) {
      case Expr::Kind::kOr:
        for (const auto& c : e.children) {
          if (logical(*c, current)) return true;
        }
        return false;
      case Expr::Kind::kAnd:
        for (const auto& c : e.children) {
          if (!logical(*c, current)) return false;
        }
        return true;
      case Expr::Kind::kNot: return !logical(*e.children[0], current);
      case Expr::Kind::kCompare:
        return compare(value(*e.children[0], current), e.op, value(*e.children[1], current));
      case Expr::Kind::kExists: {
        if (e.path->singular) return singular(*e.path, current) != nullptr;
        std::vector<Item<false>> nodes;
        path<false>(*e.path, Item<false>{e.path->absolute ? &root_ : &current}, &nodes);
        return !nodes.empty();
      }
      case Expr::Kind::kFuncTest: return callLogical(e, current);
      default: return false;
    }
  }

  // A comparable or ValueType argument.
  Val value(const Expr& e, const RValue& current) {
    switch (e.kind) {
      case Expr::Kind::kLiteral: return fromLiteral(e.literal);
      case Expr::Kind::kQuery: return fromNode(singular(*e.path, current));
      case Expr::Kind::kCall: return callValue(e, current);
      default: return Val{};
    }
  }

  void nodes(const Expr& e, const RValue& current, std::vector<Item<false>>* out) {
    if (e.kind != Expr::Kind::kQuery) return;
    path<false>(*e.path, Item<false>{e.path->absolute ? &root_ : &current}, out);
  }

  Val callValue(const Expr& e, const RValue& current) {
    switch (e.func) {
      case Function::kLength: {  // 2.4.4
        Val v = value(*e.children[0], current);
        if (v.k == Val::K::kString) return number(static_cast<int64_t>(codePoints(v.s)));
        if (v.k == Val::K::kArray) return number(v.node->Size());
        if (v.k == Val::K::kObject) return number(v.node->MemberCount());
        return Val{};
      }
      case Function::kCount: {  // 2.4.5
        std::vector<Item<false>> list;
        nodes(*e.children[0], current, &list);
        return number(static_cast<int64_t>(list.size()));
      }
      case Function::kValue: {  // 2.4.8
        std::vector<Item<false>> list;
        nodes(*e.children[0], current, &list);
        return list.size() == 1 ? fromNode(list[0].v) : Val{};
      }
      default: return Val{};
    }
  }

  // match() and search() (2.4.6, 2.4.7).
  bool callLogical(const Expr& e, const RValue& current) {
    if (e.func != Function::kMatch && e.func != Function::kSearch) return false;
    Val subject = value(*e.children[0], current);
    if (subject.k != Val::K::kString) return false;
    if (e.regex_literal) return e.regex != nullptr && e.regex->matches(subject.s);
    Val pattern = value(*e.children[1], current);
    if (pattern.k != Val::K::kString) return false;
    auto re = internal::Regex::compile(pattern.s, e.func == Function::kMatch);
    return re != nullptr && re->matches(subject.s);
  }

  const RValue& root_;
};

}  // namespace

Query::Query() = default;
Query::~Query() = default;
Query::Query(Query&&) noexcept = default;
Query& Query::operator=(Query&&) noexcept = default;

Result<Query> Query::compile(std::string_view text) {
  auto ast = std::make_unique<internal::QueryAst>();
  ast->text = std::string(text);
  Status s = internal::parseQuery(ast->text, &ast->path);
  if (!s.isOk()) return s;
  Query q;
  q.ast_ = std::move(ast);
  return q;
}

Result<Query> Query::compileReference(std::string_view reference) {
  if (!reference.empty() && reference[0] == '$') return compile(reference);
  if (!reference.empty() && reference[0] == '@') return compile("$" + std::string(reference.substr(1)));
  if (!reference.empty() && reference[0] == '[') return compile("$" + std::string(reference));
  Result<Query> dotted = compile("$." + std::string(reference));
  if (dotted.isOk()) return dotted;
  // One member name, whatever its characters: $['...'] with ' and \ escaped.
  std::string quoted = "$[";
  std::string name;
  appendNormalizedName(&name, reference);
  quoted += name.substr(1);  // appendNormalizedName writes "['...']"
  Result<Query> named = compile(quoted);
  if (named.isOk()) return named;
  return Status::syntaxError("jsonpath reference '" + std::string(reference) +
                             "': not a JSONPath query (" + dotted.status().message() + ")");
}

void Query::select(const RValue& root, std::vector<const RValue*>* out) const {
  if (!ast_) return;
  Evaluator ev(root);
  if (ast_->path.singular) {
    if (const RValue* v = ev.singular(ast_->path, root)) out->push_back(v);
    return;
  }
  std::vector<Item<false>> items;
  ev.path<false>(ast_->path, Item<false>{&root}, &items);
  for (const auto& it : items) out->push_back(it.v);
}

void Query::selectWithPaths(const RValue& root, std::vector<Node>* out) const {
  if (!ast_) return;
  Evaluator ev(root);
  std::vector<Item<true>> items;
  ev.path<true>(ast_->path, Item<true>{&root, "$"}, &items);
  for (auto& it : items) out->push_back(Node{it.v, std::move(it.path)});
}

bool Query::isSingular() const { return ast_ && ast_->path.singular; }

bool Query::simpleSteps(std::vector<SimpleStep>* steps) const {
  if (!ast_) return false;
  std::vector<SimpleStep> result;
  for (const Segment& seg : ast_->path.segments) {
    if (seg.descendant || seg.selectors.size() != 1) return false;
    const Selector& sel = seg.selectors[0];
    if (sel.kind == Selector::Kind::kWildcard) {
      result.push_back(SimpleStep{true, {}});
    } else if (sel.kind == Selector::Kind::kName) {
      result.push_back(SimpleStep{false, sel.name});
    } else {
      return false;
    }
  }
  *steps = std::move(result);
  return true;
}

const std::string& Query::text() const {
  static const std::string kEmpty;
  return ast_ ? ast_->text : kEmpty;
}

// Section 2.7: normal-single-quoted names.
void appendNormalizedName(std::string* out, std::string_view name) {
  out->append("['");
  for (char c : name) {
    switch (c) {
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\'': out->append("\\'"); break;
      case '\\': out->append("\\\\"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out->append(buf);
        } else {
          out->push_back(c);
        }
    }
  }
  out->append("']");
}

void appendNormalizedIndex(std::string* out, size_t index) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, index);
  out->push_back('[');
  out->append(buf, r.ptr);
  out->push_back(']');
}

}  // namespace weft::jsonpath
