// SPDX-License-Identifier: Apache-2.0
// Property path evaluation (SPARQL 1.1 section 9.3 and 18.4):
//   - link, inverse, sequence and alternative keep multiplicities (a sequence
//     counts each intermediate node, an alternative is a multiset union);
//   - ZeroOrOnePath is a set;
//   - ZeroOrMorePath / OneOrMorePath follow the ALP procedure: from each
//     start node, every reachable node once ("per-start DISTINCT"); cycles
//     terminate because a node is expanded once per start;
//   - with one end bound the search starts there (backwards over the inverse
//     path when only the object is bound), never enumerating all pairs;
//   - with both ends free, the starts are every node of the graph (for `*`,
//     also the zero-length pairs), as 18.4 defines.
#include <functional>
#include <unordered_set>
#include <vector>

#include "engine/sparql/internal/ops_impl.h"

namespace weft::sparql::internal {

namespace {
using TripleHash = TripleKeyHash;
using TripleEq = TripleKeyEq;

Path inverseOf(const Path& p) {
  Path inv;
  inv.kind = PathKind::kInverse;
  inv.sub.push_back(p);
  return inv;
}
}  // namespace

Id PathEval::constId(const rdf::Term& t) { return ctx_.intern(t); }

bool PathEval::scanGraph(Id s, Id p, Id o, Id g, const std::function<bool(Id, Id, Id)>& emit) {
  auto run = [&](Id graph, std::unordered_set<IdQuad, TripleHash, TripleEq>* seen) {
    auto cur = ctx_.data.scan(IdQuad{s, p, o, graph});
    IdQuad q;
    while (cur->next(&q)) {
      ctx_.tick();
      if (seen && !seen->insert(IdQuad{q.s, q.p, q.o, 0}).second) continue;
      if (!emit(q.s, q.p, q.o)) return false;
    }
    return true;
  };
  if (g == kDefaultGraphId && ctx_.has_from) {
    if (ctx_.from.size() == 1 && ctx_.from[0] == kAnyId) {  // union of all graphs
      std::unordered_set<IdQuad, TripleHash, TripleEq> seen;
      return run(kAnyId, &seen);
    }
    if (ctx_.from.size() == 1) return run(ctx_.from[0], nullptr);
    std::unordered_set<IdQuad, TripleHash, TripleEq> seen;
    for (Id fg : ctx_.from)
      if (!run(fg, &seen)) return false;
    return true;
  }
  return run(g, nullptr);
}

// Zero-length paths match only terms of the active graph (the SPARQL 1.1
// errata and the W3C test values_and_path): a node is a subject or an object.
bool PathEval::isNode(Id x, Id g) {
  // A constant written in the query matches itself (zero_or_more_set_start).
  if (x != kAnyId && (x == constants_[0] || x == constants_[1])) return true;
  if (x == kAnyId || (x & kQueryIdBits) == kQueryIdBits) return false;
  bool found = false;
  scanGraph(x, kAnyId, kAnyId, g, [&](Id, Id, Id) { found = true; return false; });
  if (!found) scanGraph(kAnyId, kAnyId, x, g, [&](Id, Id, Id) { found = true; return false; });
  return found;
}

bool PathEval::allNodes(Id g, const std::function<bool(Id)>& emit) {
  std::unordered_set<Id> seen;
  return scanGraph(kAnyId, kAnyId, kAnyId, g, [&](Id s, Id, Id o) {
    if (seen.insert(s).second && !emit(s)) return false;
    if (seen.insert(o).second && !emit(o)) return false;
    return true;
  });
}

bool PathEval::eval(const Path& path, Id s, Id o, Id g, Emit emit) {
  switch (path.kind) {
    case PathKind::kLink: {
      Id p = constId(path.iri);
      return scanGraph(s, p, o, g, [&](Id qs, Id, Id qo) { return emit(qs, qo); });
    }
    case PathKind::kInverse:
      return eval(path.sub[0], o, s, g, [&](Id a, Id b) { return emit(b, a); });
    case PathKind::kAlternative:
      for (const Path& alt : path.sub)
        if (!eval(alt, s, o, g, emit)) return false;
      return true;
    case PathKind::kSequence: {
      // Evaluate from the bound end (left to right unless only o is bound).
      size_t n = path.sub.size();
      if (n == 1) return eval(path.sub[0], s, o, g, emit);
      if (s == kAnyId && o != kAnyId) {
        // Right to left: solutions of the last step ending at o.
        std::function<bool(size_t, Id, Id)> back = [&](size_t i, Id start_o, Id mid) -> bool {
          // mid: the node reached at the left end of step i (inclusive)
          if (i == 0) return emit(mid, start_o);
          return eval(path.sub[i - 1], kAnyId, mid, g,
                      [&](Id a, Id) { return back(i - 1, start_o, a); });
        };
        return eval(path.sub[n - 1], kAnyId, o, g,
                    [&](Id a, Id b) { return back(n - 1, b, a); });
      }
      std::function<bool(size_t, Id, Id)> fwd = [&](size_t i, Id start_s, Id mid) -> bool {
        if (i == n) return emit(start_s, mid);
        Id target = (i == n - 1) ? o : kAnyId;
        return eval(path.sub[i], mid, target, g,
                    [&](Id, Id b) { return fwd(i + 1, start_s, b); });
      };
      return eval(path.sub[0], s, n == 1 ? o : kAnyId, g,
                  [&](Id a, Id b) { return fwd(1, a, b); });
    }
    case PathKind::kZeroOrOne: {
      // A set: the zero-length pairs plus the one-step pairs, without duplicates.
      std::unordered_set<IdQuad, TripleHash, TripleEq> seen;
      auto once = [&](Id a, Id b) {
        if (!seen.insert(IdQuad{a, 0, b, 0}).second) return true;
        return emit(a, b);
      };
      if (s != kAnyId && o != kAnyId) {
        if (s == o && isNode(s, g)) return once(s, o);
      } else if (s != kAnyId) {
        if (isNode(s, g) && !once(s, s)) return false;
      } else if (o != kAnyId) {
        if (isNode(o, g) && !once(o, o)) return false;
      } else {
        if (!allNodes(g, [&](Id x) { return once(x, x); })) return false;
      }
      return eval(path.sub[0], s, o, g, once);
    }
    case PathKind::kZeroOrMore:
      return zeroOrMore(path.sub[0], s, o, g, true, emit);
    case PathKind::kOneOrMore:
      return zeroOrMore(path.sub[0], s, o, g, false, emit);
    case PathKind::kNegated: {
      std::vector<Id> fwd, inv;
      for (const auto& t : path.iris) fwd.push_back(constId(t));
      for (const auto& t : path.inverse_iris) inv.push_back(constId(t));
      auto excluded = [](const std::vector<Id>& v, Id p) {
        for (Id x : v)
          if (x == p) return true;
        return false;
      };
      // !(a|b) matches forward links outside the set; !(^a) inverse links
      // outside it. With only inverse members, no forward link matches and
      // vice versa (section 9.1: !(^:p) is the inverse form only).
      bool has_fwd = !path.iris.empty() || path.inverse_iris.empty();
      bool has_inv = !path.inverse_iris.empty();
      if (has_fwd &&
          !scanGraph(s, kAnyId, o, g, [&](Id a, Id p, Id b) {
            return excluded(fwd, p) ? true : emit(a, b);
          }))
        return false;
      if (has_inv &&
          !scanGraph(o, kAnyId, s, g, [&](Id a, Id p, Id b) {
            return excluded(inv, p) ? true : emit(b, a);
          }))
        return false;
      return true;
    }
  }
  return true;
}

// ALP (18.4): nodes reachable from `start` by one or more steps of `sub`
// (plus start itself for `*`), each once.
bool PathEval::zeroOrMore(const Path& sub, Id s, Id o, Id g, bool include_zero, Emit emit) {
  bool start_is_node = false;  // starts taken from the graph's nodes
  auto reach = [&](const Path& step, Id start, Id target,
                   const std::function<bool(Id)>& found) -> bool {
    std::unordered_set<Id> visited;
    std::vector<Id> frontier;
    if (include_zero && (start_is_node || isNode(start, g))) {
      visited.insert(start);
      if (target == kAnyId || target == start) {
        if (!found(start)) return false;
        if (target != kAnyId) return true;
      }
    }
    frontier.push_back(start);
    bool stop = false;
    // Expanded: nodes whose successors were pushed (a node is expanded once,
    // also the start node, which `+` may reach again through a cycle).
    std::unordered_set<Id> expanded;
    while (!frontier.empty() && !stop) {
      Id x = frontier.back();
      frontier.pop_back();
      if (!expanded.insert(x).second) continue;
      bool ok = eval(step, x, kAnyId, g, [&](Id, Id y) {
        ctx_.tick();
        if (visited.insert(y).second) {
          if (target == kAnyId || target == y) {
            if (!found(y)) {
              stop = true;
              return false;
            }
            if (target != kAnyId) {
              stop = true;
              return false;
            }
          }
        }
        if (!expanded.count(y)) frontier.push_back(y);
        return true;
      });
      if (!ok && !stop) return false;
    }
    return !stop || target != kAnyId ? true : false;
  };
  // `stopped` distinguishes "consumer said stop" from "target found".
  bool consumer_stop = false;
  if (s != kAnyId) {
    reach(sub, s, o, [&](Id y) {
      if (!emit(s, y)) {
        consumer_stop = true;
        return false;
      }
      return true;
    });
    return !consumer_stop;
  }
  if (o != kAnyId) {
    Path inv = inverseOf(sub);
    reach(inv, o, kAnyId, [&](Id x) {
      if (!emit(x, o)) {
        consumer_stop = true;
        return false;
      }
      return true;
    });
    return !consumer_stop;
  }
  // Both free: ALP from every node of the graph. For `+` over a link (or
  // an inverse link) only nodes with an outgoing step can start a path.
  std::vector<Id> nodes;
  const Path* link = &sub;
  bool inverse = false;
  if (link->kind == PathKind::kInverse && link->sub[0].kind == PathKind::kLink) {
    link = &link->sub[0];
    inverse = true;
  }
  if (!include_zero && link->kind == PathKind::kLink) {
    std::unordered_set<Id> seen;
    scanGraph(kAnyId, constId(link->iri), kAnyId, g, [&](Id a, Id, Id b) {
      Id x = inverse ? b : a;
      if (seen.insert(x).second) nodes.push_back(x);
      return true;
    });
  } else {
    allNodes(g, [&](Id x) {
      nodes.push_back(x);
      return true;
    });
  }
  start_is_node = true;
  for (Id start : nodes) {
    reach(sub, start, kAnyId, [&](Id y) {
      if (!emit(start, y)) {
        consumer_stop = true;
        return false;
      }
      return true;
    });
    if (consumer_stop) return false;
  }
  return true;
}

}  // namespace weft::sparql::internal
