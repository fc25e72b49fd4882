// SPDX-License-Identifier: Apache-2.0
// Dataset isomorphism: ground quads are compared as sets; the quads with blank
// nodes are matched by colour refinement (each blank node's colour is a hash of
// its own colour and of the quads it occurs in, iterated until the partition is
// stable), then by backtracking over the remaining ties (individualise one node
// of the smallest non-trivial class against each candidate of the other side).
// A complete mapping is always verified, so hash collisions can only cost a
// false "not isomorphic", never a false "isomorphic".
#include "engine/rdf/graph_compare.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

namespace weft::rdf {
namespace {

uint64_t mix(uint64_t h, uint64_t v) {
  // splitmix64 finaliser over the combination.
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One position of a quad: a blank node (index into the side's node table) or a
// ground term (index into the interning table shared by both sides).
struct Slot {
  bool blank = false;
  uint32_t id = 0;
  friend bool operator<(const Slot& x, const Slot& y) {
    return x.blank != y.blank ? x.blank < y.blank : x.id < y.id;
  }
  friend bool operator==(const Slot& x, const Slot& y) {
    return x.blank == y.blank && x.id == y.id;
  }
};
using SlotQuad = std::array<Slot, 4>;
using Colours = std::vector<uint64_t>;

struct Side {
  std::vector<std::string> blank_labels;
  std::unordered_map<std::string, uint32_t> blank_index;
  std::vector<SlotQuad> quads;                // quads that mention at least one blank node
  std::vector<std::vector<uint32_t>> occurs;  // blank -> quads it occurs in
};

class Comparer {
 public:
  std::string why;

  bool run(std::vector<Quad>& a, std::vector<Quad>& b) {
    for (auto* v : {&a, &b}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    std::vector<Quad> ground_a, ground_b;
    split(a, sa_, ground_a);
    split(b, sb_, ground_b);
    if (ground_a != ground_b) {
      explainGround(ground_a, ground_b);
      return false;
    }
    if (sa_.quads.size() != sb_.quads.size() ||
        sa_.blank_labels.size() != sb_.blank_labels.size()) {
      why = "quads with blank nodes differ: " + std::to_string(sa_.quads.size()) + " quads over " +
            std::to_string(sa_.blank_labels.size()) + " blank nodes vs " +
            std::to_string(sb_.quads.size()) + " over " + std::to_string(sb_.blank_labels.size());
      return false;
    }
    if (sa_.quads.empty()) return true;
    sorted_b_ = sb_.quads;
    std::sort(sorted_b_.begin(), sorted_b_.end());
    Colours ca(sa_.blank_labels.size(), 1), cb(sb_.blank_labels.size(), 1);
    if (search(ca, cb, 0)) return true;
    why = "no blank node mapping makes the datasets equal (" + std::to_string(sa_.quads.size()) +
          " quads with blank nodes on each side)";
    return false;
  }

 private:
  Side sa_, sb_;
  std::vector<SlotQuad> sorted_b_;  // sb_.quads sorted, for verify()
  std::unordered_map<std::string, uint32_t> ground_ids_;

  Slot slot(Side& side, const Term& t) {
    if (t.kind == TermKind::kBlank) {
      auto [it, fresh] =
          side.blank_index.emplace(t.value, static_cast<uint32_t>(side.blank_labels.size()));
      if (fresh) {
        side.blank_labels.push_back(t.value);
        side.occurs.emplace_back();
      }
      return {true, it->second};
    }
    // kNone (default graph) interns as "", distinct from every N-Triples term.
    auto [it, fresh] =
        ground_ids_.emplace(toNTriples(t.view()), static_cast<uint32_t>(ground_ids_.size()));
    (void)fresh;
    return {false, it->second};
  }

  void split(const std::vector<Quad>& in, Side& side, std::vector<Quad>& ground) {
    for (const Quad& q : in) {
      bool has_blank = q.s.kind == TermKind::kBlank || q.o.kind == TermKind::kBlank ||
                       q.g.kind == TermKind::kBlank || q.p.kind == TermKind::kBlank;
      if (!has_blank) {
        ground.push_back(q);
        continue;
      }
      SlotQuad sq{slot(side, q.s), slot(side, q.p), slot(side, q.o), slot(side, q.g)};
      auto qi = static_cast<uint32_t>(side.quads.size());
      side.quads.push_back(sq);
      for (const Slot& s : sq) {
        if (s.blank && (side.occurs[s.id].empty() || side.occurs[s.id].back() != qi)) {
          side.occurs[s.id].push_back(qi);
        }
      }
    }
  }

  void explainGround(const std::vector<Quad>& a, const std::vector<Quad>& b) {
    std::vector<Quad> only_a, only_b;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
    auto list = [&](const char* title, const std::vector<Quad>& v) {
      if (v.empty()) return;
      why += title;
      why += " (" + std::to_string(v.size()) + "):\n";
      for (size_t i = 0; i < v.size() && i < 10; ++i) {
        why += "  ";
        appendNQuads(why, v[i].view());
      }
      if (v.size() > 10) why += "  ...\n";
    };
    list("quads only in the first dataset", only_a);
    list("quads only in the second dataset", only_b);
  }

  // One refinement round: new colour = hash(old colour, sorted signatures of
  // the quads the node occurs in). A signature encodes each position as the
  // ground term, "this node", or the colour of another blank node.
  static Colours refine(const Side& side, const Colours& c) {
    Colours out(c.size());
    std::vector<uint64_t> sigs;
    for (uint32_t n = 0; n < c.size(); ++n) {
      sigs.clear();
      for (uint32_t qi : side.occurs[n]) {
        uint64_t h = 0x51ed27;
        for (const Slot& s : side.quads[qi]) {
          if (!s.blank) {
            h = mix(h, (uint64_t{s.id} << 2) | 1);
          } else if (s.id == n) {
            h = mix(h, 2);
          } else {
            h = mix(h, c[s.id] << 2);
          }
        }
        sigs.push_back(h);
      }
      std::sort(sigs.begin(), sigs.end());
      uint64_t h = c[n];
      for (uint64_t s : sigs) h = mix(h, s);
      out[n] = h;
    }
    return out;
  }

  static size_t distinct(Colours c) {
    std::sort(c.begin(), c.end());
    return static_cast<size_t>(std::unique(c.begin(), c.end()) - c.begin());
  }

  // Refine both sides in lock step until their partitions are stable; false if
  // they diverge (then no mapping can exist).
  bool refineBoth(Colours& ca, Colours& cb) {
    size_t classes = distinct(ca);
    if (classes != distinct(cb)) return false;
    for (;;) {
      ca = refine(sa_, ca);
      cb = refine(sb_, cb);
      size_t na = distinct(ca);
      if (na != distinct(cb)) return false;
      if (na == classes) break;
      classes = na;
    }
    Colours sa = ca, sb = cb;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    return sa == sb;
  }

  bool search(Colours ca, Colours cb, int depth) {
    if (!refineBoth(ca, cb)) return false;
    // Smallest colour class with more than one member.
    std::unordered_map<uint64_t, uint32_t> count;
    for (uint64_t c : ca) ++count[c];
    uint64_t pick = 0;
    uint32_t best = 0;
    for (auto [c, n] : count) {
      if (n > 1 && (best == 0 || n < best || (n == best && c < pick))) {
        best = n;
        pick = c;
      }
    }
    if (best == 0) return verify(ca, cb);
    uint32_t x = 0;
    while (ca[x] != pick) ++x;
    const uint64_t mark = mix(pick, 0xabcdef + static_cast<uint64_t>(depth));
    for (uint32_t y = 0; y < cb.size(); ++y) {
      if (cb[y] != pick) continue;
      Colours na = ca, nb = cb;
      na[x] = mark;
      nb[y] = mark;
      if (search(std::move(na), std::move(nb), depth + 1)) return true;
    }
    return false;
  }

  // All colours are distinct: the mapping is forced; check it.
  bool verify(const Colours& ca, const Colours& cb) {
    std::unordered_map<uint64_t, uint32_t> by_colour;
    for (uint32_t y = 0; y < cb.size(); ++y) by_colour.emplace(cb[y], y);
    std::vector<SlotQuad> mapped;
    mapped.reserve(sa_.quads.size());
    for (SlotQuad q : sa_.quads) {
      for (Slot& s : q) {
        if (s.blank) s.id = by_colour.at(ca[s.id]);
      }
      mapped.push_back(q);
    }
    std::sort(mapped.begin(), mapped.end());
    return mapped == sorted_b_;
  }
};

}  // namespace

bool isomorphic(std::vector<Quad> a, std::vector<Quad> b, std::string* why) {
  Comparer c;
  bool same = c.run(a, b);
  if (!same && why) *why = std::move(c.why);
  return same;
}

Result<std::vector<Quad>> parseQuads(std::string_view text, Format format,
                                     const ReadOptions& opts) {
  ReadOptions o = opts;
  o.format = format;
  if (o.display_name.empty()) o.display_name = "<string>";
  VectorSink sink;
  Status s = readString(text, o, sink);
  if (!s) return s;
  return std::move(sink.quads);
}

std::string toNQuadsText(const std::vector<Quad>& quads) {
  std::vector<Quad> sorted = quads;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const Quad& q : sorted) appendNQuads(out, q.view());
  return out;
}

}  // namespace weft::rdf
