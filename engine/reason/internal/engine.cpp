// SPDX-License-Identifier: Apache-2.0
#include "engine/reason/internal/engine.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "engine/core/bytes.h"
#include "engine/reason/internal/flat_map.h"

namespace weft::reason::internal {
namespace {

inline uint64_t hashTri(const Tri& t) {
  return mix64(((static_cast<uint64_t>(t.s) << 32) | t.p) ^ mix64(t.o + 0x9e3779b97f4a7c15ULL));
}
inline uint64_t pack(T a, T b) { return (static_cast<uint64_t>(a) << 32) | b; }

inline int32_t V(int k) { return -1 - k; }
inline bool isVar(int32_t x) { return x < 0; }

enum class Mode { kForward, kOver, kBottom, kExists };

}  // namespace

struct SameEdge {
  T a, b;
  uint32_t rule;
  std::vector<uint32_t> prem;
};

struct Engine::Impl {
  Profile profile;
  Vocab v;
  TermInfo* info;
  bool record;

  std::vector<Tri> tri;
  std::vector<uint8_t> flags;
  // Chains: every visible triple is linked into the chain of its subject,
  // of its object and of its predicate (newest first). Heads of the subject
  // and object chains are indexed by term id: 4 bytes per term instead of a
  // hash entry per (p, s) and (p, o) pair. A (p, s) lookup walks the
  // subject's chain and skips other predicates: subjects have few triples.
  std::vector<uint32_t> nps, npo, np;  // chain links
  std::vector<uint32_t> s_head, o_head;
  FlatMap p_head;
  // Hash set of triple ids. A slot holds the upper 32 bits of the triple's
  // hash next to its id, so a probe rarely has to read the triple itself
  // (that read is a cache miss: the set was 60% of LUBM's time without tags).
  std::vector<uint64_t> slots;
  size_t slots_used = 0;  // including tombstones
  static constexpr uint64_t kEmptySlot = ~uint64_t{0};
  static constexpr uint64_t kTombSlot = ~uint64_t{0} - 1;
  static uint64_t slotOf(uint64_t h, uint32_t id) { return (h & 0xffffffff00000000ull) | id; }

  // Union-find over merged terms only: parent links (compressed on lookup),
  // union by size; each root carries its class's representative as a label,
  // which need not be the root.
  mutable std::unordered_map<T, T> parent;
  std::unordered_map<T, T> label;                 // root -> representative
  std::unordered_map<T, std::vector<T>> members;  // root -> members (root included)
  std::vector<std::pair<T, T>> literal_merges;    // sameAs conclusions between a literal and another term
  uint64_t unions = 0;                            // classes joined so far
  bool merged_any = false, rewrite_needed = false, merged_by_domain = false, merged_by_rules = false;
  std::vector<SameEdge> same_edges;
  std::vector<std::pair<T, T>> literal_types;  // (literal, class) conclusions not materialised

  std::vector<Rule> rules;
  std::unordered_set<std::string> rule_keys;
  // Dispatch: key (p, or type+class) -> list of (rule, body atom).
  FlatMap dispatch;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> lists;
  std::vector<std::pair<uint32_t, uint32_t>> any_atoms;  // atoms with a variable predicate
  FlatMap head_dispatch;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> head_lists;
  std::vector<uint32_t> any_heads;
  std::vector<uint32_t> bottom;  // inconsistency rules
  bool schema_dirty = false;
  std::unordered_set<T> schema_preds, schema_types;

  std::vector<uint32_t> deriv_rule, deriv_off, prem_pool;
  std::vector<Tri> staged;
  size_t processed = 0;
  uint64_t fired = 0;
  mutable uint64_t work = 0;  // join candidates visited + union-find hops (Report::work)

  // Scratch of the current join.
  std::vector<uint32_t> over_queue;
  bool over_abort = false;
  std::vector<Inconsistency>* bottom_out = nullptr;
  std::unordered_set<std::string> bottom_seen;
  uint32_t cur_rule = 0;
  uint32_t cur_domain = 0;

  // ---- terms and equality
  T root(T t) const {
    T r = t;
    for (auto it = parent.find(r); it != parent.end(); it = parent.find(r)) {
      r = it->second;
      ++work;
    }
    while (t != r) {  // path compression
      auto it = parent.find(t);
      t = it->second;
      it->second = r;
    }
    return r;
  }
  T rep(T t) const {
    if (!merged_any) return t;
    T r = root(t);
    auto it = label.find(r);
    return it == label.end() ? r : it->second;
  }
  Tri canon(const Tri& t) const { return {rep(t.s), rep(t.p), rep(t.o)}; }

  // Which member stands for a class: the vocabulary (rdf:, rdfs:, owl:, xsd:
  // terms are constants of the compiled rules), then a GS1 Digital Link IRI
  // (the identifiers organisations share, docs/connectors.md), then the
  // smaller N-Triples spelling (IRIs before blank nodes); stable across runs.
  std::pair<int, std::string> rank(T t) const {
    std::string x = info->text(t);
    int r = 2;
    for (const char* ns : {"<http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                           "<http://www.w3.org/2000/01/rdf-schema#", "<http://www.w3.org/2002/07/owl#",
                           "<http://www.w3.org/2001/XMLSchema#"})
      if (x.rfind(ns, 0) == 0) r = 0;
    if (r == 2 && x.rfind("<https://id.gs1.org/", 0) == 0) r = 1;
    return {r, std::move(x)};
  }

  void unite(T a, T b, uint32_t rule, const std::vector<uint32_t>& prem) {
    // Literals are not merged: a literal cannot be a subject (the links), and
    // equal literals are equal terms already (dt-eq is not materialised).
    // Two different literal values (a functional data property with two
    // values) are an inconsistency: the reasoner checks literal_merges.
    if (info->isLiteral(a) || info->isLiteral(b)) {
      if (a != b) literal_merges.push_back({a, b});
      return;
    }
    if (rule != kDerivAsserted && rule != kDerivUnknown) merged_by_rules = true;
    T ra = root(a), rb = root(b);
    if (record) same_edges.push_back({a, b, rule, prem});
    if (ra == rb) return;
    T la = rep(ra), lb = rep(rb);
    auto& ma = members[ra];
    if (ma.empty()) ma.push_back(ra);
    auto& mb = members[rb];
    if (mb.empty()) mb.push_back(rb);
    if (ma.size() < mb.size()) {
      std::swap(ra, rb);
    }
    // rb joins ra.
    auto& big = members[ra];
    auto it = members.find(rb);
    big.insert(big.end(), it->second.begin(), it->second.end());
    members.erase(it);
    parent[rb] = ra;
    ++unions;
    label.erase(rb);
    label[ra] = rank(lb) < rank(la) ? lb : la;
    merged_any = true;
    rewrite_needed = true;
  }

  // ---- the triple set
  uint32_t lookup(const Tri& t) const {
    size_t m = slots.size() - 1;
    uint64_t h = hashTri(t);
    uint64_t tag = h & 0xffffffff00000000ull;
    for (size_t i = h & m;; i = (i + 1) & m) {
      uint64_t sl = slots[i];
      if (sl == kEmptySlot) return kNone;
      if (sl != kTombSlot && (sl & 0xffffffff00000000ull) == tag) {
        uint32_t id = static_cast<uint32_t>(sl);
        if (tri[id] == t) return id;
      }
    }
  }
  void growSet() {
    std::vector<uint64_t> old = std::move(slots);
    size_t n = std::max<size_t>(1024, old.size());
    while (tri.size() * 10 > n * 6) n *= 2;
    slots.assign(n, kEmptySlot);
    slots_used = 0;
    size_t m = n - 1;
    for (uint64_t sl : old) {
      if (sl == kEmptySlot || sl == kTombSlot) continue;
      uint64_t h = hashTri(tri[static_cast<uint32_t>(sl)]);
      size_t i = h & m;
      while (slots[i] != kEmptySlot) i = (i + 1) & m;
      slots[i] = sl;
      ++slots_used;
    }
  }
  void eraseFromSet(uint32_t id) {
    size_t m = slots.size() - 1;
    uint64_t h = hashTri(tri[id]);
    uint64_t want = slotOf(h, id);
    for (size_t i = h & m;; i = (i + 1) & m) {
      if (slots[i] == kEmptySlot) return;
      if (slots[i] == want) {
        slots[i] = kTombSlot;
        return;
      }
    }
  }
  bool isSchema(const Tri& t) const {
    if (t.p == v.type) return schema_types.count(t.o) != 0;
    return schema_preds.count(t.p) != 0;
  }
  // Adds a triple if it is not known; returns its id either way.
  uint32_t add(Tri t, uint32_t rule, const uint32_t* prem, size_t nprem, bool* added) {
    if (merged_any) t = canon(t);
    uint32_t id = lookup(t);
    if (id != kNone) {
      *added = false;
      return id;
    }
    if ((slots_used + 1) * 10 > slots.size() * 7) growSet();
    id = static_cast<uint32_t>(tri.size());
    tri.push_back(t);
    flags.push_back(0);
    nps.push_back(kNone);
    npo.push_back(kNone);
    np.push_back(kNone);
    size_t m = slots.size() - 1;
    uint64_t h = hashTri(t);
    size_t i = h & m;
    while (slots[i] != kEmptySlot && slots[i] != kTombSlot) i = (i + 1) & m;
    if (slots[i] == kEmptySlot) ++slots_used;
    slots[i] = slotOf(h, id);
    if (record) {
      deriv_rule.push_back(rule);
      deriv_off.push_back(static_cast<uint32_t>(prem_pool.size()));
      prem_pool.insert(prem_pool.end(), prem, prem + nprem);
    }
    if (isSchema(t)) schema_dirty = true;
    *added = true;
    return id;
  }
  void kill(uint32_t id) {
    if (flags[id] & kDead) return;
    flags[id] |= kDead;
    eraseFromSet(id);
  }
  void link(uint32_t id) {
    const Tri& t = tri[id];
    flags[id] |= kLinked;
    T hi = std::max(t.s, t.o);
    if (hi >= s_head.size()) {
      size_t n = std::max<size_t>(hi + 1, s_head.size() + s_head.size() / 2);
      s_head.resize(n, kNone);
      o_head.resize(n, kNone);
    }
    nps[id] = s_head[t.s];
    s_head[t.s] = id;
    npo[id] = o_head[t.o];
    o_head[t.o] = id;
    uint32_t& c = p_head.at(t.p);
    np[id] = c;
    c = id;
  }

  // Visits visible live triples matching (s, p, o) (kNone = any); f returns
  // true to stop. Returns true if stopped.
  template <typename F>
  bool each(T s, T p, T o, F&& f) const {
    if (s != kNone && p != kNone && o != kNone) {
      uint32_t id = lookup({s, p, o});
      if (id != kNone && (flags[id] & kLinked)) return f(id);
      return false;
    }
    if (s != kNone) {
      if (s >= s_head.size()) return false;
      for (uint32_t id = s_head[s]; id != kNone; id = nps[id]) {
        if (flags[id] & kDead) continue;
        const Tri& t = tri[id];
        if ((p != kNone && t.p != p) || (o != kNone && t.o != o)) continue;
        if (f(id)) return true;
      }
      return false;
    }
    if (o != kNone) {
      if (o >= o_head.size()) return false;
      for (uint32_t id = o_head[o]; id != kNone; id = npo[id]) {
        if (flags[id] & kDead) continue;
        if (p != kNone && tri[id].p != p) continue;
        if (f(id)) return true;
      }
      return false;
    }
    if (p != kNone) {
      for (uint32_t id = p_head.get(p); id != kNone; id = np[id]) {
        if (flags[id] & kDead) continue;
        if (f(id)) return true;
      }
      return false;
    }
    for (uint32_t id = 0; id < tri.size(); ++id) {
      if ((flags[id] & (kDead | kLinked)) != kLinked) continue;
      const Tri& t = tri[id];
      if ((s != kNone && t.s != s) || (o != kNone && t.o != o)) continue;
      if (f(id)) return true;
    }
    return false;
  }

  // ---- rules
  void addRule(std::vector<Rule>* out, std::string name, std::vector<Atom> body,
               std::vector<Atom> head, std::vector<uint32_t> axioms) {
    Rule r;
    r.name = std::move(name);
    r.body = std::move(body);
    r.head = std::move(head);
    r.axioms = std::move(axioms);
    int nv = 0;
    auto scan = [&](const Atom& a) {
      for (int32_t x : a.t)
        if (isVar(x)) nv = std::max(nv, -x);
    };
    for (auto& a : r.body) scan(a);
    for (auto& a : r.head) scan(a);
    r.nvars = nv;
    if (r.name == "cax-sco" || r.name == "rdfs9") r.via = kViaSco;
    if (r.name == "prp-spo1" || r.name == "rdfs7") r.via = kViaSpo;
    r.key = r.name;
    for (auto* part : {&r.body, &r.head}) {
      r.key += '|';
      for (auto& a : *part)
        for (int32_t x : a.t) r.key += std::to_string(x) + ',';
    }
    out->push_back(std::move(r));
  }

  static std::vector<int> joinOrder(const Rule& r, std::vector<bool> bound, int skip, T type_id) {
    std::vector<int> order;
    std::vector<bool> used(r.body.size(), false);
    if (skip >= 0) used[skip] = true;
    for (size_t n = 0; n < r.body.size() - (skip >= 0 ? 1 : 0); ++n) {
      int best = -1, best_score = -1;
      for (size_t j = 0; j < r.body.size(); ++j) {
        if (used[j]) continue;
        const Atom& a = r.body[j];
        // A bound subject or a variable-bound object selects few triples; a
        // constant object selects some, but a constant class in a type atom
        // selects every instance (prp-key: (y k z) must come before (y a C)).
        auto varBound = [&](int32_t x) { return isVar(x) && bound[-1 - x]; };
        bool s_bound = !isVar(a.t[0]) || varBound(a.t[0]);
        bool type_atom = !isVar(a.t[1]) && static_cast<T>(a.t[1]) == type_id;
        int score = (s_bound ? 8 : 0) + (varBound(a.t[2]) ? 6 : 0) +
                    (!isVar(a.t[2]) ? (type_atom ? 1 : 3) : 0) + (!isVar(a.t[1]) || varBound(a.t[1]) ? 1 : 0);
        if (score > best_score) best = static_cast<int>(j), best_score = score;
      }
      used[best] = true;
      order.push_back(best);
      for (int32_t x : r.body[best].t)
        if (isVar(x)) bound[-1 - x] = true;
    }
    return order;
  }
  void prepare(Rule& r) {
    r.orders.clear();
    for (size_t j = 0; j < r.body.size(); ++j) {
      std::vector<bool> bound(r.nvars, false);
      for (int32_t x : r.body[j].t)
        if (isVar(x)) bound[-1 - x] = true;
      r.orders.push_back(joinOrder(r, bound, static_cast<int>(j), v.type));
    }
  }
  // Dispatch keys: a predicate's id, or (rdf:type, class) with the top bit.
  uint64_t typeKey(T cls) const { return pack(v.type, cls) | (1ull << 63); }
  uint64_t atomKey(const Atom& a) const {
    if (isVar(a.t[1])) return ~uint64_t{0};
    if (static_cast<T>(a.t[1]) == v.type && !isVar(a.t[2])) return typeKey(static_cast<T>(a.t[2]));
    return a.t[1];
  }
  void index(uint32_t ri) {
    const Rule& r = rules[ri];
    if (r.head.empty()) {
      bottom.push_back(ri);
      return;
    }
    for (uint32_t j = 0; j < r.body.size(); ++j) {
      uint64_t k = atomKey(r.body[j]);
      if (k == ~uint64_t{0}) {
        any_atoms.push_back({ri, j});
        continue;
      }
      uint32_t& slot = dispatch.at(k);
      if (slot == kNone) {
        slot = static_cast<uint32_t>(lists.size());
        lists.emplace_back();
      }
      lists[slot].push_back({ri, j});
    }
    for (uint32_t j = 0; j < r.head.size(); ++j) {
      uint64_t k = atomKey(r.head[j]);
      if (k == ~uint64_t{0}) {
        any_heads.push_back(ri);
        continue;
      }
      uint32_t& slot = head_dispatch.at(k);
      if (slot == kNone) {
        slot = static_cast<uint32_t>(head_lists.size());
        head_lists.emplace_back();
      }
      head_lists[slot].push_back({ri, j});
    }
  }
  template <typename F>
  void forDispatch(const Tri& t, F&& f) {
    uint32_t slot = dispatch.get(t.p);
    if (slot != kNone)
      for (auto& ra : lists[slot]) f(ra.first, ra.second);
    if (t.p == v.type) {
      slot = dispatch.get(typeKey(t.o));
      if (slot != kNone)
        for (auto& ra : lists[slot]) f(ra.first, ra.second);
    }
    for (auto& ra : any_atoms) f(ra.first, ra.second);
  }

  // eq-diff2 / eq-diff3: members of an owl:AllDifferent that were merged.
  void eqDiff(std::vector<Inconsistency>* out) {
    if (profile != Profile::kOwlRl) return;
    std::vector<uint32_t> ids;
    each(kNone, v.type, v.alldifferent, [&](uint32_t id) {
      ids.push_back(id);
      return false;
    });
    for (uint32_t id : ids) {
      T n = tri[id].s;
      for (auto [pred, name] : {std::pair{v.members, "eq-diff2"}, {v.distinct, "eq-diff3"}}) {
        uint32_t lid;
        T l = objectOf(n, pred, &lid);
        if (l == kNone) continue;
        std::vector<T> ms = list(l);
        for (size_t i = 0; i < ms.size(); ++i)
          for (size_t j = i + 1; j < ms.size(); ++j)
            if (rep(ms[i]) == rep(ms[j])) out->push_back({name, {ms[i], ms[j]}, kNone});
      }
    }
  }

  // ---- rule generation from the schema
  std::vector<T> list(T head) const {
    std::vector<T> out;
    std::unordered_set<T> seen;
    while (head != v.nil) {
      if (!seen.insert(head).second) return {};
      T first = kNone, rest = kNone;
      each(head, v.first, kNone, [&](uint32_t id) { first = tri[id].o; return true; });
      each(head, v.rest, kNone, [&](uint32_t id) { rest = tri[id].o; return true; });
      if (first == kNone || rest == kNone) return {};
      out.push_back(first);
      head = rest;
    }
    return out;
  }
  // Triples of predicate p (visible, live) as (s, o, id).
  template <typename F>
  void forP(T p, F&& f) const {
    each(kNone, p, kNone, [&](uint32_t id) {
      f(tri[id].s, tri[id].o, id);
      return false;
    });
  }
  T objectOf(T s, T p, uint32_t* id_out) const {
    T o = kNone;
    each(s, p, kNone, [&](uint32_t id) {
      o = tri[id].o;
      *id_out = id;
      return true;
    });
    return o;
  }
  bool isNum(T t, int n) const {
    return n == 0 ? (t == v.zero || t == v.zero_i) : (t == v.one || t == v.one_i);
  }

  std::vector<Rule> generate() const;
  void compileNew(bool run_over_visible);

  // ---- joins
  bool unify(const Atom& a, const Tri& t, std::vector<T>& b) const {
    const T vals[3] = {t.s, t.p, t.o};
    for (int k = 0; k < 3; ++k) {
      int32_t x = a.t[k];
      if (!isVar(x)) {
        if (static_cast<T>(x) != vals[k]) return false;
      } else {
        T& slot = b[-1 - x];
        if (slot == kNone) {
          slot = vals[k];
        } else if (slot != vals[k]) {
          return false;
        }
      }
    }
    return true;
  }
  T resolve(int32_t x, const std::vector<T>& b) const {
    return isVar(x) ? b[-1 - x] : static_cast<T>(x);
  }
  bool join(Mode mode, uint32_t ri, const std::vector<int>& order, size_t k, std::vector<T>& b,
            std::vector<uint32_t>& prem) {
    const Rule& r = rules[ri];
    if (k == order.size()) return complete(mode, ri, b, prem);
    const Atom& a = r.body[order[k]];
    T s = resolve(a.t[0], b), p = resolve(a.t[1], b), o = resolve(a.t[2], b);
    return each(s, p, o, [&](uint32_t id) {
      ++work;
      const Tri t = tri[id];
      const T vals[3] = {t.s, t.p, t.o};
      int setv[3];
      int ns = 0;
      bool ok = true;
      for (int c = 0; c < 3 && ok; ++c) {
        int32_t xv = a.t[c];
        if (!isVar(xv)) {
          ok = static_cast<T>(xv) == vals[c];
        } else {
          T& slot = b[-1 - xv];
          if (slot == kNone) {
            slot = vals[c];
            setv[ns++] = -1 - xv;
          } else {
            ok = slot == vals[c];
          }
        }
      }
      bool stop = false;
      if (ok) {
        prem.push_back(id);
        stop = join(mode, ri, order, k + 1, b, prem);
        prem.pop_back();
      }
      for (int i = 0; i < ns; ++i) b[setv[i]] = kNone;
      return stop;
    });
  }
  bool complete(Mode mode, uint32_t ri, std::vector<T>& b, std::vector<uint32_t>& prem) {
    const Rule& r = rules[ri];
    switch (mode) {
      case Mode::kExists:
        return true;
      case Mode::kBottom: {
        std::string key = r.name;
        for (T t : b) key += ',' + std::to_string(t);
        if (bottom_seen.insert(key).second) bottom_out->push_back({r.name, b, ri});
        return false;
      }
      case Mode::kOver:
        for (const Atom& h : r.head) {
          Tri t{resolve(h.t[0], b), resolve(h.t[1], b), resolve(h.t[2], b)};
          if (t.p == v.sameas && profile == Profile::kOwlRl) {
            if (rep(t.s) != rep(t.o) || t.s != t.o) over_abort = true;
            continue;
          }
          uint32_t id = lookup(canon(t));
          if (id != kNone && !(flags[id] & kOverdeleted)) {
            flags[id] |= kOverdeleted;
            over_queue.push_back(id);
          }
        }
        return over_abort;
      case Mode::kForward:
        ++fired;
        for (const Atom& h : r.head) {
          Tri t{resolve(h.t[0], b), resolve(h.t[1], b), resolve(h.t[2], b)};
          if (t.p == v.sameas && profile == Profile::kOwlRl) {  // RDFS: a triple like any other
            if (rep(t.s) != rep(t.o)) unite(t.s, t.o, ri, prem);
            continue;
          }
          if (isVar(h.t[0]) && info->isLiteral(t.s)) {  // no generalised triples
            if (t.p == v.type) literal_types.push_back({t.s, t.o});  // for dt-not-type
            continue;
          }
          bool added;
          uint32_t id = add(t, ri, prem.data(), prem.size(), &added);
          if (added) flags[id] |= r.via;
        }
        return false;
    }
    return false;
  }
  std::vector<T> scratch_b;
  std::vector<uint32_t> scratch_prem;
  void matchFrom(Mode mode, uint32_t ri, uint32_t atom, uint32_t id) {
    const Rule& r = rules[ri];
    scratch_b.assign(r.nvars, kNone);
    if (!unify(r.body[atom], tri[id], scratch_b)) return;
    scratch_prem.clear();
    scratch_prem.push_back(id);
    join(mode, ri, r.orders[atom], 0, scratch_b, scratch_prem);
  }

  // A triple that cax-sco derived from (x type B) need not fire cax-sco
  // itself: the sub-class relation is transitively closed (scm-sco ran on the
  // schema first; later sub-class triples compile rules that are run over
  // everything visible), so (x type B) fired every rule B -> D already. The
  // same holds for prp-spo1 and scm-spo. This cuts LUBM's derivations by half.
  void process(uint32_t id) {
    if (flags[id] & (kDead | kLinked)) return;
    link(id);
    Tri t = tri[id];
    uint8_t skip = flags[id] & (kViaSco | kViaSpo);
    forDispatch(t, [&](uint32_t ri, uint32_t atom) {
      if (skip && (rules[ri].via & skip)) return;
      matchFrom(Mode::kForward, ri, atom, id);
    });
  }

  void rewrite() {
    rewrite_needed = false;
    size_t n = tri.size();
    for (uint32_t id = 0; id < n; ++id) {
      if (flags[id] & kDead) continue;
      Tri t = tri[id];
      Tri c = canon(t);
      if (c == t) continue;
      uint8_t keep = flags[id] & (kAsserted | kFromRule);
      kill(id);
      bool added;
      uint32_t nid = add(c, kDerivRewrite, &id, 1, &added);
      flags[nid] |= keep;
    }
  }

  bool derivable(const Tri& t) {
    auto tryRule = [&](uint32_t ri, uint32_t hj) {
      const Rule& r = rules[ri];
      std::vector<T> b(r.nvars, kNone);
      if (!unify(r.head[hj], t, b)) return false;
      if (r.body.empty()) return true;
      std::vector<bool> bound(r.nvars, false);
      for (int k = 0; k < r.nvars; ++k) bound[k] = b[k] != kNone;
      std::vector<int> order = joinOrder(r, bound, -1, v.type);
      std::vector<uint32_t> prem;
      return join(Mode::kExists, ri, order, 0, b, prem);
    };
    uint32_t slot = head_dispatch.get(t.p);
    if (slot != kNone)
      for (auto& rh : head_lists[slot])
        if (tryRule(rh.first, rh.second)) return true;
    if (t.p == v.type) {
      slot = head_dispatch.get(typeKey(t.o));
      if (slot != kNone)
        for (auto& rh : head_lists[slot])
          if (tryRule(rh.first, rh.second)) return true;
    }
    for (uint32_t ri : any_heads)
      for (uint32_t hj = 0; hj < rules[ri].head.size(); ++hj)
        if (tryRule(ri, hj)) return true;
    return false;
  }
};

// ---------------------------------------------------------------------------
// Rule generation: the tables of OWL 2 RL (W3C OWL 2 Profiles, section 4.3)
// instantiated on the schema triples, or the RDFS subset.

std::vector<Rule> Engine::Impl::generate() const {
  std::vector<Rule> out;
  auto* self = const_cast<Impl*>(this);
  auto R = [&](const char* name, std::vector<Atom> body, std::vector<Atom> head,
               std::vector<uint32_t> ax = {}) {
    self->addRule(&out, name, std::move(body), std::move(head), std::move(ax));
  };
  auto C = [](T t) { return static_cast<int32_t>(t); };
  auto A = [](int32_t s, int32_t p, int32_t o) { return Atom{{s, p, o}}; };
  const int32_t x = V(0), y = V(1), z = V(2), w = V(3);
  const int32_t type = C(v.type), sco = C(v.sco), spo = C(v.spo);

  // Schema rules, the same whatever the schema.
  R("scm-sco", {A(x, sco, y), A(y, sco, z)}, {A(x, sco, z)});
  R("scm-spo", {A(x, spo, y), A(y, spo, z)}, {A(x, spo, z)});
  if (profile == Profile::kOwlRl) {
    const int32_t eqc = C(v.eqc), eqp = C(v.eqp), dom = C(v.domain), rng = C(v.range);
    R("scm-cls", {A(x, type, C(v.cls))},
      {A(x, sco, x), A(x, eqc, x), A(x, sco, C(v.thing)), A(C(v.nothing), sco, x)});
    R("scm-eqc1", {A(x, eqc, y)}, {A(x, sco, y), A(y, sco, x)});
    R("scm-eqc2", {A(x, sco, y), A(y, sco, x)}, {A(x, eqc, y)});
    R("scm-op", {A(x, type, C(v.objprop))}, {A(x, spo, x), A(x, eqp, x)});
    R("scm-dp", {A(x, type, C(v.dataprop))}, {A(x, spo, x), A(x, eqp, x)});
    R("scm-eqp1", {A(x, eqp, y)}, {A(x, spo, y), A(y, spo, x)});
    R("scm-eqp2", {A(x, spo, y), A(y, spo, x)}, {A(x, eqp, y)});
    R("scm-dom1", {A(x, dom, y), A(y, sco, z)}, {A(x, dom, z)});
    R("scm-dom2", {A(x, dom, y), A(z, spo, x)}, {A(z, dom, y)});
    R("scm-rng1", {A(x, rng, y), A(y, sco, z)}, {A(x, rng, z)});
    R("scm-rng2", {A(x, rng, y), A(z, spo, x)}, {A(z, rng, y)});
    const int32_t hv = C(v.hv), onp = C(v.onp), svf = C(v.svf), avf = C(v.avf);
    const int32_t c1 = V(4), c2 = V(5), p1 = V(6), p2 = V(7);
    R("scm-hv", {A(c1, hv, x), A(c1, onp, p1), A(c2, hv, x), A(c2, onp, p2), A(p1, spo, p2)},
      {A(c1, sco, c2)});
    R("scm-svf1", {A(c1, svf, y), A(c1, onp, p1), A(c2, svf, z), A(c2, onp, p1), A(y, sco, z)},
      {A(c1, sco, c2)});
    R("scm-svf2", {A(c1, svf, y), A(c1, onp, p1), A(c2, svf, y), A(c2, onp, p2), A(p1, spo, p2)},
      {A(c1, sco, c2)});
    R("scm-avf1", {A(c1, avf, y), A(c1, onp, p1), A(c2, avf, z), A(c2, onp, p1), A(y, sco, z)},
      {A(c1, sco, c2)});
    R("scm-avf2", {A(c1, avf, y), A(c1, onp, p1), A(c2, avf, y), A(c2, onp, p2), A(p1, spo, p2)},
      {A(c2, sco, c1)});
    // Facts: cls-thing, cls-nothing1, prp-ap, dt-type1.
    R("cls-thing", {}, {A(C(v.thing), type, C(v.cls))});
    R("cls-nothing1", {}, {A(C(v.nothing), type, C(v.cls))});
    for (T ap : v.annotations) R("prp-ap", {}, {A(C(ap), type, C(v.annotprop))});
    for (T dt : v.datatypes) R("dt-type1", {}, {A(C(dt), type, C(v.datatype))});
    // Inconsistencies that need no schema.
    R("eq-diff1", {A(x, C(v.difffrom), x)}, {});
    R("cls-nothing2", {A(x, type, C(v.nothing))}, {});
  }

  // Instance rules, one per axiom.
  forP(v.domain, [&](T p, T c, uint32_t id) {
    R(profile == Profile::kRdfs ? "rdfs2" : "prp-dom", {A(x, C(p), y)}, {A(x, type, C(c))}, {id});
  });
  forP(v.range, [&](T p, T c, uint32_t id) {
    R(profile == Profile::kRdfs ? "rdfs3" : "prp-rng", {A(x, C(p), y)}, {A(y, type, C(c))}, {id});
  });
  forP(v.spo, [&](T p1, T p2, uint32_t id) {
    if (p1 != p2)
      R(profile == Profile::kRdfs ? "rdfs7" : "prp-spo1", {A(x, C(p1), y)}, {A(x, C(p2), y)}, {id});
  });
  forP(v.sco, [&](T c1, T c2, uint32_t id) {
    if (c1 != c2)
      R(profile == Profile::kRdfs ? "rdfs9" : "cax-sco", {A(x, type, C(c1))}, {A(x, type, C(c2))},
        {id});
  });
  if (profile == Profile::kRdfs) return out;

  auto typed = [&](T cls, const std::function<void(T, uint32_t)>& f) {
    each(kNone, v.type, cls, [&](uint32_t id) {
      f(tri[id].s, id);
      return false;
    });
  };
  const int32_t sa = C(v.sameas);
  typed(v.functional, [&](T p, uint32_t id) {
    R("prp-fp", {A(x, C(p), y), A(x, C(p), z)}, {A(y, sa, z)}, {id});
  });
  typed(v.invfunctional, [&](T p, uint32_t id) {
    R("prp-ifp", {A(x, C(p), z), A(y, C(p), z)}, {A(x, sa, y)}, {id});
  });
  typed(v.irreflexive, [&](T p, uint32_t id) { R("prp-irp", {A(x, C(p), x)}, {}, {id}); });
  typed(v.symmetric, [&](T p, uint32_t id) {
    R("prp-symp", {A(x, C(p), y)}, {A(y, C(p), x)}, {id});
  });
  typed(v.asymmetric, [&](T p, uint32_t id) {
    R("prp-asyp", {A(x, C(p), y), A(y, C(p), x)}, {}, {id});
  });
  typed(v.transitive, [&](T p, uint32_t id) {
    R("prp-trp", {A(x, C(p), y), A(y, C(p), z)}, {A(x, C(p), z)}, {id});
  });
  forP(v.chain, [&](T p, T l, uint32_t id) {
    std::vector<T> ps = list(l);
    if (ps.empty()) return;
    std::vector<Atom> body;
    for (size_t i = 0; i < ps.size(); ++i)
      body.push_back(A(V(static_cast<int>(i)), C(ps[i]), V(static_cast<int>(i + 1))));
    R("prp-spo2", body, {A(V(0), C(p), V(static_cast<int>(ps.size())))}, {id});
  });
  forP(v.eqp, [&](T p1, T p2, uint32_t id) {
    if (p1 == p2) return;
    R("prp-eqp1", {A(x, C(p1), y)}, {A(x, C(p2), y)}, {id});
    R("prp-eqp2", {A(x, C(p2), y)}, {A(x, C(p1), y)}, {id});
  });
  forP(v.pdw, [&](T p1, T p2, uint32_t id) {
    R("prp-pdw", {A(x, C(p1), y), A(x, C(p2), y)}, {}, {id});
  });
  auto pairwise = [&](T cls, const char* name, bool props) {
    typed(cls, [&](T n, uint32_t id) {
      uint32_t mid = kNone;
      T l = objectOf(n, v.members, &mid);
      if (l == kNone) return;
      std::vector<T> ms = list(l);
      for (size_t i = 0; i < ms.size(); ++i)
        for (size_t j = i + 1; j < ms.size(); ++j) {
          if (props)
            R(name, {A(x, C(ms[i]), y), A(x, C(ms[j]), y)}, {}, {id, mid});
          else
            R(name, {A(x, type, C(ms[i])), A(x, type, C(ms[j]))}, {}, {id, mid});
        }
    });
  };
  pairwise(v.alldisjointprops, "prp-adp", true);
  forP(v.inverse, [&](T p1, T p2, uint32_t id) {
    R("prp-inv1", {A(x, C(p1), y)}, {A(y, C(p2), x)}, {id});
    R("prp-inv2", {A(x, C(p2), y)}, {A(y, C(p1), x)}, {id});
  });
  forP(v.key, [&](T c, T l, uint32_t id) {
    std::vector<T> ks = list(l);
    if (ks.empty()) return;
    std::vector<Atom> body{A(x, type, C(c))};
    for (size_t i = 0; i < ks.size(); ++i) body.push_back(A(x, C(ks[i]), V(static_cast<int>(2 + i))));
    body.push_back(A(y, type, C(c)));
    for (size_t i = 0; i < ks.size(); ++i) body.push_back(A(y, C(ks[i]), V(static_cast<int>(2 + i))));
    R("prp-key", body, {A(x, sa, y)}, {id});
  });
  // Negative property assertions.
  forP(v.src_ind, [&](T n, T i1, uint32_t id) {
    uint32_t pid = kNone, tid = kNone;
    T p = objectOf(n, v.assert_prop, &pid);
    if (p == kNone) return;
    T i2 = objectOf(n, v.tgt_ind, &tid);
    if (i2 != kNone) R("prp-npa1", {A(C(i1), C(p), C(i2))}, {}, {id, pid, tid});
    T lt = objectOf(n, v.tgt_val, &tid);
    if (lt != kNone) R("prp-npa2", {A(C(i1), C(p), C(lt))}, {}, {id, pid, tid});
  });

  // Classes.
  forP(v.inter, [&](T c, T l, uint32_t id) {
    std::vector<T> cs = list(l);
    if (cs.empty()) return;
    std::vector<Atom> body;
    for (T ci : cs) body.push_back(A(x, type, C(ci)));
    R("cls-int1", body, {A(x, type, C(c))}, {id});
    for (T ci : cs) {
      R("cls-int2", {A(x, type, C(c))}, {A(x, type, C(ci))}, {id});
      R("scm-int", {}, {A(C(c), sco, C(ci))}, {id});
    }
  });
  forP(v.uni, [&](T c, T l, uint32_t id) {
    for (T ci : list(l)) {
      R("cls-uni", {A(x, type, C(ci))}, {A(x, type, C(c))}, {id});
      R("scm-uni", {}, {A(C(ci), sco, C(c))}, {id});
    }
  });
  forP(v.compl_, [&](T c1, T c2, uint32_t id) {
    R("cls-com", {A(x, type, C(c1)), A(x, type, C(c2))}, {}, {id});
  });
  forP(v.onp, [&](T r, T p, uint32_t pid) {
    each(r, v.svf, kNone, [&](uint32_t id) {
      T cls = tri[id].o;
      R("cls-svf1", {A(x, C(p), y), A(y, type, C(cls))}, {A(x, type, C(r))}, {id, pid});
      if (cls == v.thing) R("cls-svf2", {A(x, C(p), y)}, {A(x, type, C(r))}, {id, pid});
      return false;
    });
    uint32_t id = kNone;
    T cls = objectOf(r, v.avf, &id);
    if (cls != kNone)
      R("cls-avf", {A(x, type, C(r)), A(x, C(p), y)}, {A(y, type, C(cls))}, {id, pid});
    T val = objectOf(r, v.hv, &id);
    if (val != kNone) {
      R("cls-hv1", {A(x, type, C(r))}, {A(x, C(p), C(val))}, {id, pid});
      R("cls-hv2", {A(x, C(p), C(val))}, {A(x, type, C(r))}, {id, pid});
    }
    T n = objectOf(r, v.maxc, &id);
    if (n != kNone && isNum(n, 0))
      R("cls-maxc1", {A(x, type, C(r)), A(x, C(p), y)}, {}, {id, pid});
    if (n != kNone && isNum(n, 1))
      R("cls-maxc2", {A(x, type, C(r)), A(x, C(p), y), A(x, C(p), z)}, {A(y, sa, z)}, {id, pid});
    n = objectOf(r, v.maxqc, &id);
    if (n != kNone && (isNum(n, 0) || isNum(n, 1))) {
      uint32_t cid = kNone;
      T oc = objectOf(r, v.onclass, &cid);
      if (oc != kNone) {
        bool thing = oc == v.thing;
        if (isNum(n, 0) && thing) {
          R("cls-maxqc2", {A(x, type, C(r)), A(x, C(p), y)}, {}, {id, pid, cid});
        } else if (isNum(n, 0)) {
          R("cls-maxqc1", {A(x, type, C(r)), A(x, C(p), y), A(y, type, C(oc))}, {}, {id, pid, cid});
        } else if (thing) {
          R("cls-maxqc4", {A(x, type, C(r)), A(x, C(p), y), A(x, C(p), z)}, {A(y, sa, z)},
            {id, pid, cid});
        } else {
          R("cls-maxqc3",
            {A(x, type, C(r)), A(x, C(p), y), A(y, type, C(oc)), A(x, C(p), z), A(z, type, C(oc))},
            {A(y, sa, z)}, {id, pid, cid});
        }
      }
    }
  });
  forP(v.oneof, [&](T c, T l, uint32_t id) {
    for (T m : list(l))  // a data range's literals are not subjects
      if (!info->isLiteral(m)) R("cls-oo", {}, {A(C(m), type, C(c))}, {id});
  });

  // Class axioms.
  forP(v.eqc, [&](T c1, T c2, uint32_t id) {
    if (c1 == c2) return;
    R("cax-eqc1", {A(x, type, C(c1))}, {A(x, type, C(c2))}, {id});
    R("cax-eqc2", {A(x, type, C(c2))}, {A(x, type, C(c1))}, {id});
  });
  forP(v.dw, [&](T c1, T c2, uint32_t id) {
    R("cax-dw", {A(x, type, C(c1)), A(x, type, C(c2))}, {}, {id});
  });
  pairwise(v.alldisjointclasses, "cax-adc", false);
  (void)w;
  return out;
}

void Engine::Impl::compileNew(bool run_over_visible) {
  std::vector<Rule> fresh = generate();
  std::vector<uint32_t> added;
  for (Rule& r : fresh) {
    if (!rule_keys.insert(r.key).second) continue;
    prepare(r);
    rules.push_back(std::move(r));
    uint32_t ri = static_cast<uint32_t>(rules.size() - 1);
    index(ri);
    added.push_back(ri);
  }
  if (getenv("WEFT_REASON_DEBUG")) {
    std::map<std::string, int> by;
    for (uint32_t ri : added) ++by[rules[ri].name];
    fprintf(stderr, "compile: %zu new rules, %zu visible:", added.size(), processed);
    for (auto& [n, c] : by) fprintf(stderr, " %s=%d", n.c_str(), c);
    fprintf(stderr, "\n");
  }
  for (uint32_t ri : added) {
    const Rule& r = rules[ri];
    if (r.head.empty()) continue;  // inconsistency rules run in checkConsistency
    if (r.body.empty()) {
      std::vector<T> b;
      std::vector<uint32_t> prem = r.axioms;
      complete(Mode::kForward, ri, b, prem);
      continue;
    }
    if (!run_over_visible) continue;
    // The new rule over what is already visible: each body atom in turn.
    for (uint32_t j = 0; j < r.body.size(); ++j) {
      const Atom& a = r.body[j];
      T s = isVar(a.t[0]) ? kNone : static_cast<T>(a.t[0]);
      T p = isVar(a.t[1]) ? kNone : static_cast<T>(a.t[1]);
      T o = isVar(a.t[2]) ? kNone : static_cast<T>(a.t[2]);
      std::vector<uint32_t> ids;
      each(s, p, o, [&](uint32_t id) {
        ids.push_back(id);
        return false;
      });
      for (uint32_t id : ids) matchFrom(Mode::kForward, ri, j, id);
    }
  }
}

// ---------------------------------------------------------------------------

Engine::Engine(Profile profile, const Vocab& v, TermInfo* info, bool record)
    : d_(std::make_unique<Impl>()) {
  d_->profile = profile;
  d_->v = v;
  d_->info = info;
  d_->record = record;
  d_->slots.assign(1024, Impl::kEmptySlot);
  for (T p : {v.sco, v.spo, v.domain, v.range, v.eqc, v.eqp, v.inverse, v.chain, v.key, v.inter,
              v.uni, v.compl_, v.svf, v.avf, v.hv, v.onp, v.onclass, v.maxc, v.maxqc, v.oneof,
              v.dw, v.pdw, v.members, v.distinct, v.src_ind, v.assert_prop, v.tgt_ind, v.tgt_val,
              v.first, v.rest})
    d_->schema_preds.insert(p);
  // rdf:type triples that belong to the schema phase: property
  // characteristics, and declarations (scm-cls, scm-op, scm-dp derive
  // sub-class/property axioms from them; left to the data phase they would
  // compile rules late and run them over all the data a second time).
  for (T c : {v.transitive, v.symmetric, v.asymmetric, v.irreflexive, v.functional,
              v.invfunctional, v.alldisjointclasses, v.alldisjointprops, v.cls, v.objprop,
              v.dataprop, v.annotprop, v.datatype})
    d_->schema_types.insert(c);
}
Engine::~Engine() = default;

void Engine::reserve(size_t n) {
  d_->tri.reserve(n);
  d_->flags.reserve(n);
  d_->nps.reserve(n);
  d_->npo.reserve(n);
  d_->np.reserve(n);
}

uint32_t Engine::addAsserted(Tri t) {
  d_->staged.push_back(t);
  return kNone;
}

uint32_t Engine::addLinked(Tri t, uint8_t flags) {
  bool added;
  uint32_t id = d_->add(t, kDerivUnknown, nullptr, 0, &added);
  d_->flags[id] |= flags;
  if (!(d_->flags[id] & kLinked)) d_->link(id);
  d_->processed = d_->tri.size();
  return id;
}

void Engine::merge(T a, T b, uint32_t rule) {
  if (a == b) return;
  d_->unite(a, b, rule, {});
}

void Engine::compile() {
  // Rules over an earlier closure, which is already closed under them.
  d_->schema_dirty = false;
  d_->compileNew(false);
}

void Engine::run(const DomainRound& domain) {
  Impl& m = *d_;
  auto flush = [&](bool schema) {
    for (const Tri& t : m.staged) {
      if (m.isSchema(t) != schema) continue;
      bool added;
      uint32_t id = m.add(t, kDerivAsserted, nullptr, 0, &added);
      // kExact only if the triple is stored as asserted, not on a representative.
      m.flags[id] |= kAsserted | (m.tri[id] == t ? kExact : 0);
    }
  };
  auto fixpoint = [&](bool with_domain) {
    for (;;) {
      while (m.processed < m.tri.size()) m.process(static_cast<uint32_t>(m.processed++));
      if (m.rewrite_needed) {
        m.rewrite();
        continue;
      }
      if (m.schema_dirty) {
        m.schema_dirty = false;
        m.compileNew(true);
        if (m.processed < m.tri.size() || m.rewrite_needed) continue;
      }
      if (with_domain && domain) {
        std::vector<std::pair<Tri, uint32_t>> out;
        domain(&out);
        bool any = false;
        for (auto& [t, rule] : out) {
          if (t.p == m.v.sameas && m.profile == Profile::kOwlRl) {
            if (m.rep(t.s) != m.rep(t.o)) {
              m.unite(t.s, t.o, kDerivDomain, {rule});
              m.merged_by_domain = true;
              any = true;
            }
            continue;
          }
          bool added;
          uint32_t r = rule;
          uint32_t id = m.add(t, kDerivDomain, &r, 1, &added);
          m.flags[id] |= kFromRule;
          any |= added;
        }
        if (any) continue;
      }
      break;
    }
  };
  if (!m.staged.empty()) {
    // The schema first, to its own fixpoint, so instance triples meet a
    // compiled schema closure (one pass over the data instead of several).
    flush(true);
    if (m.rules.empty()) m.compileNew(true);
    fixpoint(false);
    flush(false);
    m.staged.clear();
    m.staged.shrink_to_fit();
  } else if (m.rules.empty()) {
    m.compileNew(true);
  }
  fixpoint(true);
}

bool Engine::retract(const std::vector<Tri>& gone, bool also_rule_outputs) {
  Impl& m = *d_;
  m.over_queue.clear();
  m.over_abort = false;
  auto mark = [&](uint32_t id) {
    if (id == kNone || (m.flags[id] & (kDead | kOverdeleted))) return;
    m.flags[id] |= kOverdeleted;
    m.over_queue.push_back(id);
  };
  for (const Tri& t : gone) {
    Tri c = m.canon(t);
    if (c.p == m.v.sameas || m.isSchema(c)) return false;
    uint32_t id = m.lookup(c);
    if (id != kNone && !(m.flags[id] & kAsserted)) mark(id);
  }
  if (also_rule_outputs)
    for (uint32_t id = 0; id < m.tri.size(); ++id)
      if ((m.flags[id] & (kFromRule | kDead)) == kFromRule) mark(id);
  for (size_t i = 0; i < m.over_queue.size(); ++i) {
    uint32_t id = m.over_queue[i];
    if (m.isSchema(m.tri[id])) return false;
    Tri t = m.tri[id];
    m.forDispatch(t, [&](uint32_t ri, uint32_t atom) {
      if (!m.over_abort) m.matchFrom(Mode::kOver, ri, atom, id);
    });
    if (m.over_abort) return false;
  }
  std::vector<uint32_t> gone_ids = m.over_queue;
  for (uint32_t id : gone_ids) m.kill(id);
  for (uint32_t id : gone_ids) {
    Tri t = m.tri[id];
    uint8_t f = m.flags[id];
    if ((f & kAsserted) || m.derivable(t)) {
      bool added;
      uint32_t nid = m.add(t, kDerivUnknown, nullptr, 0, &added);
      m.flags[nid] |= f & (kAsserted | kExact);
    }
  }
  return true;
}

std::vector<Inconsistency> Engine::checkConsistency() {
  Impl& m = *d_;
  std::vector<Inconsistency> out;
  m.bottom_out = &out;
  m.bottom_seen.clear();
  for (uint32_t ri : m.bottom) {
    const Rule& r = m.rules[ri];
    if (r.body.empty()) continue;
    const Atom& a = r.body[0];
    T s = isVar(a.t[0]) ? kNone : static_cast<T>(a.t[0]);
    T p = isVar(a.t[1]) ? kNone : static_cast<T>(a.t[1]);
    T o = isVar(a.t[2]) ? kNone : static_cast<T>(a.t[2]);
    std::vector<uint32_t> ids;
    m.each(s, p, o, [&](uint32_t id) {
      ids.push_back(id);
      return false;
    });
    for (uint32_t id : ids) m.matchFrom(Mode::kBottom, ri, 0, id);
  }
  m.bottom_out = nullptr;
  m.eqDiff(&out);
  return out;
}

std::vector<Inconsistency> Engine::checkConsistencyFrom(uint32_t first) {
  Impl& m = *d_;
  std::vector<Inconsistency> out;
  m.bottom_out = &out;
  // bottom_seen is kept from the checks before: a violation found again
  // through a new premise, or through the other rule of a symmetric axiom
  // (cax-dw both ways), is not reported twice.
  // The inconsistency rules' body atoms by dispatch key (as forDispatch).
  std::unordered_map<uint64_t, std::vector<std::pair<uint32_t, uint32_t>>> keyed;
  std::vector<std::pair<uint32_t, uint32_t>> any;
  for (uint32_t ri : m.bottom)
    for (uint32_t j = 0; j < m.rules[ri].body.size(); ++j) {
      uint64_t k = m.atomKey(m.rules[ri].body[j]);
      (k == ~uint64_t{0} ? any : keyed[k]).push_back({ri, j});
    }
  for (uint32_t id = first; id < m.tri.size(); ++id) {
    if (m.flags[id] & kDead) continue;
    const Tri t = m.tri[id];
    auto fire = [&](uint64_t k) {
      auto it = keyed.find(k);
      if (it != keyed.end())
        for (auto [ri, j] : it->second) m.matchFrom(Mode::kBottom, ri, j, id);
    };
    fire(t.p);
    if (t.p == m.v.type) fire(m.typeKey(t.o));
    for (auto [ri, j] : any) m.matchFrom(Mode::kBottom, ri, j, id);
  }
  m.bottom_out = nullptr;
  m.eqDiff(&out);
  return out;
}

bool Engine::isSchema(const Tri& t) const { return d_->isSchema(t); }

size_t Engine::size() const { return d_->tri.size(); }
const Tri& Engine::triple(uint32_t id) const { return d_->tri[id]; }
uint8_t Engine::flags(uint32_t id) const { return d_->flags[id]; }
void Engine::setFlags(uint32_t id, uint8_t f) { d_->flags[id] = f; }
uint32_t Engine::find(Tri t) const {
  uint32_t id = d_->lookup(d_->canon(t));
  return id;
}
T Engine::rep(T t) const { return d_->rep(t); }
bool Engine::hasMerges() const { return d_->merged_any; }
uint64_t Engine::unions() const { return d_->unions; }
std::vector<std::pair<T, T>> Engine::aliases() const {
  std::vector<std::pair<T, T>> out;
  for (auto& [root, ms] : d_->members) {
    T r = d_->rep(root);
    for (T m : ms)
      if (m != r) out.push_back({m, r});
  }
  return out;
}
const std::vector<std::pair<T, T>>& Engine::literalMerges() const { return d_->literal_merges; }
const std::vector<Rule>& Engine::rules() const { return d_->rules; }
void Engine::scan(T s, T p, T o, const std::function<bool(uint32_t)>& f) const {
  d_->each(s, p, o, [&](uint32_t id) { return !f(id); });
}
bool Engine::derivation(uint32_t id, uint32_t* rule, std::vector<uint32_t>* premises) const {
  if (!d_->record || id >= d_->deriv_rule.size()) return false;
  *rule = d_->deriv_rule[id];
  uint32_t b = d_->deriv_off[id];
  uint32_t e = id + 1 < d_->deriv_off.size() ? d_->deriv_off[id + 1]
                                              : static_cast<uint32_t>(d_->prem_pool.size());
  premises->assign(d_->prem_pool.begin() + b, d_->prem_pool.begin() + e);
  return true;
}
bool Engine::mergeDerivation(T t, T* other, uint32_t* rule, std::vector<uint32_t>* premises) const {
  for (const SameEdge& e : d_->same_edges) {
    if (e.a == t || e.b == t) {
      *other = e.a == t ? e.b : e.a;
      *rule = e.rule;
      *premises = e.prem;
      return true;
    }
  }
  return false;
}
uint64_t Engine::rulesFired() const { return d_->fired; }
uint64_t Engine::work() const { return d_->work; }
bool Engine::mergedByDomainRules() const { return d_->merged_by_domain; }
bool Engine::derivedMerges() const { return d_->merged_by_rules; }
const std::vector<std::pair<T, T>>& Engine::literalTypings() const { return d_->literal_types; }

}  // namespace weft::reason::internal
