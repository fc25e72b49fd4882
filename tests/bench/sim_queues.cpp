// SPDX-License-Identifier: Apache-2.0
// weft_sim_queues: future-event-set candidates on the event pattern of the twin benchmark
// (docs/twin.md, "Kernel"; docs/PERFORMANCE.md, "Twin"). A hold loop: take the minimum, put
// back one event of the same class with a fresh delay. The pending set is the benchmark
// plant's: 48 machine timers (lognormal, mean 70 s, sd 10 s), 60 calendar failures (Weibull,
// 8 h), 45 demand streams (exponential, ~1 h) and 48 maintenance events (14 days). Delays are
// drawn beforehand so that only the queue is timed. All candidates pop in (time, seq) order;
// the sum of popped times is printed as a check that they agree. A benchmark, not a test.
//
// Run: build/release/weft_sim_queues [--events 20000000] [--rounds 3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "engine/sim/kernel.h"
#include "engine/sim/random.h"

using namespace weft::sim;

namespace {

using Key = unsigned __int128;

uint64_t timeBits(double t) {
  uint64_t u;
  std::memcpy(&u, &t, sizeof u);
  return u;
}
Key keyOf(const Event& e) { return (static_cast<Key>(timeBits(e.time)) << 64) | e.seq; }

// An implicit D-ary heap of 32-byte events, the kernel's EventQueue generalised to arity D.
template <int D>
class DaryHeap {
 public:
  Event top() const { return h_[0]; }
  void push(const Event& e) {
    h_.push_back(e);
    size_t i = h_.size() - 1;
    const Key k = keyOf(e);
    while (i > 0) {
      const size_t p = (i - 1) / D;
      if (!(k < keyOf(h_[p]))) break;
      h_[i] = h_[p];
      i = p;
    }
    h_[i] = e;
  }
  void replaceTop(const Event& e) {
    const size_t n = h_.size();
    const Key k = keyOf(e);
    Event* a = h_.data();
    size_t i = 0;
    for (;;) {
      const size_t first = D * i + 1;
      if (first >= n) break;
      size_t best = first;
      Key kb = keyOf(a[first]);
      const size_t end = first + D < n ? first + D : n;
      for (size_t c = first + 1; c < end; ++c) {
        const Key kc = keyOf(a[c]);
        const bool lt = kc < kb;
        best = lt ? c : best;
        kb = lt ? kc : kb;
      }
      if (!(kb < k)) break;
      a[i] = a[best];
      i = best;
    }
    a[i] = e;
  }

 private:
  std::vector<Event> h_;
};

// The kernel's own EventQueue (4-ary), as used by Kernel.
class KernelQueue {
 public:
  Event top() const { return q_.top(); }
  void push(const Event& e) { q_.push(e); }
  void replaceTop(const Event& e) { q_.replaceTop(e); }

 private:
  EventQueue q_;
};

// A 4-ary heap of 16-byte nodes (time bits, seq << 24 | slot); kind, entity and payload wait
// in a side array, so a sift moves half the bytes.
class SlotHeap {
 public:
  Event top() const {
    const Node& n = h_[0];
    const Body& b = body_[n.s & 0xffffff];
    double t;
    std::memcpy(&t, &n.t, sizeof t);
    return Event{t, n.s >> 24, b.kind, b.entity, b.payload};
  }
  void push(const Event& e) {
    body_.push_back({e.kind, e.entity, e.payload});
    const Node nd{timeBits(e.time), e.seq << 24 | (body_.size() - 1)};
    h_.push_back(nd);
    size_t i = h_.size() - 1;
    while (i > 0) {
      const size_t p = (i - 1) / 4;
      if (!(key(nd) < key(h_[p]))) break;
      h_[i] = h_[p];
      i = p;
    }
    h_[i] = nd;
  }
  void replaceTop(const Event& e) {
    const uint64_t slot = h_[0].s & 0xffffff;
    body_[slot] = {e.kind, e.entity, e.payload};
    const Node nd{timeBits(e.time), e.seq << 24 | slot};
    const size_t n = h_.size();
    const Key k = key(nd);
    size_t i = 0;
    for (;;) {
      const size_t first = 4 * i + 1;
      if (first >= n) break;
      size_t best = first;
      Key kb = key(h_[first]);
      const size_t end = first + 4 < n ? first + 4 : n;
      for (size_t c = first + 1; c < end; ++c) {
        const Key kc = key(h_[c]);
        const bool lt = kc < kb;
        best = lt ? c : best;
        kb = lt ? kc : kb;
      }
      if (!(kb < k)) break;
      h_[i] = h_[best];
      i = best;
    }
    h_[i] = nd;
  }

 private:
  struct Node {
    uint64_t t, s;
  };
  struct Body {
    uint32_t kind, entity;
    uint64_t payload;
  };
  static Key key(const Node& n) { return (static_cast<Key>(n.t) << 64) | n.s; }
  std::vector<Node> h_;
  std::vector<Body> body_;
};

// Radix heap (Ahuja, Mehlhorn, Orlin, Tarjan, J. ACM 37(2), 1990) on the bit pattern of the
// time, which orders like the time for non-negative doubles; needs monotone keys (the kernel's
// are). Bucket 0 holds the events at exactly the last minimum, kept in seq order.
class RadixHeap {
 public:
  Event top() {
    if (head0_ == b_[0].size()) refill();
    return b_[0][head0_];
  }
  void push(const Event& e) {
    const int i = index(timeBits(e.time));
    b_[i].push_back(e);
    mask_ |= 1ULL << i;
  }
  void replaceTop(const Event& e) {
    if (++head0_ == b_[0].size()) {
      b_[0].clear();
      head0_ = 0;
      mask_ &= ~1ULL;
    }
    push(e);
  }

 private:
  int index(uint64_t k) const { return k == last_ ? 0 : 64 - __builtin_clzll(k ^ last_); }
  void refill() {
    b_[0].clear();
    head0_ = 0;
    mask_ &= ~1ULL;
    const int i = __builtin_ctzll(mask_);
    std::vector<Event>& v = b_[i];
    uint64_t m = ~0ULL;
    for (const Event& e : v) m = std::min(m, timeBits(e.time));
    last_ = m;
    mask_ &= ~(1ULL << i);
    for (const Event& e : v) push(e);
    v.clear();
    std::sort(b_[0].begin(), b_[0].end(),
              [](const Event& x, const Event& y) { return x.seq < y.seq; });
  }
  std::vector<Event> b_[64];
  size_t head0_ = 0;
  uint64_t mask_ = 0, last_ = 0;
};

// Pairing heap (Fredman, Sedgewick, Sleator, Tarjan 1986) with nodes in a pool, two-pass
// delete-min.
class PairingHeap {
 public:
  Event top() const { return pool_[root_].e; }
  void push(const Event& e) {
    pool_.push_back({e, -1, -1});
    root_ = root_ < 0 ? static_cast<int>(pool_.size() - 1)
                      : meld(root_, static_cast<int>(pool_.size() - 1));
  }
  void replaceTop(const Event& e) {
    const int old = root_;
    root_ = mergePairs(pool_[old].child);
    pool_[old] = {e, -1, -1};  // reuse the node
    root_ = root_ < 0 ? old : meld(root_, old);
  }

 private:
  struct Node {
    Event e;
    int child, sibling;
  };
  int meld(int a, int b) {
    if (keyOf(pool_[b].e) < keyOf(pool_[a].e)) std::swap(a, b);
    pool_[b].sibling = pool_[a].child;
    pool_[a].child = b;
    return a;
  }
  int mergePairs(int first) {
    if (first < 0) return -1;
    pairs_.clear();
    while (first >= 0) {
      const int a = first, b = pool_[a].sibling;
      if (b < 0) {
        pool_[a].sibling = -1;
        pairs_.push_back(a);
        break;
      }
      first = pool_[b].sibling;
      pool_[a].sibling = pool_[b].sibling = -1;
      pairs_.push_back(meld(a, b));
    }
    int r = pairs_.back();
    for (size_t i = pairs_.size() - 1; i-- > 0;) r = meld(pairs_[i], r);
    return r;
  }
  std::vector<Node> pool_;
  std::vector<int> pairs_;
  int root_ = -1;
};

// Two 4-ary heaps: events due within an hour of the clock in one, later ones in the other;
// the minimum is the smaller of the two tops.
class SplitHeaps {
 public:
  Event top() {
    fromFar_ = !far_.empty() && (near_.empty() || keyOf(far_.top()) < keyOf(near_.top()));
    const Event e = fromFar_ ? far_.top() : near_.top();
    now_ = e.time;
    return e;
  }
  void push(const Event& e) { (e.time - now_ > kSplit ? far_ : near_).push(e); }
  void replaceTop(const Event& e) {
    EventQueue& src = fromFar_ ? far_ : near_;
    EventQueue& dst = e.time - now_ > kSplit ? far_ : near_;
    if (&src == &dst) {
      src.replaceTop(e);
    } else {
      src.pop();
      dst.push(e);
    }
  }

 private:
  static constexpr double kSplit = 3600;
  EventQueue near_, far_;
  double now_ = 0;
  bool fromFar_ = false;
};

struct Pattern {
  std::vector<double> delays[4];  // per class, cycled
  int counts[4] = {48, 60, 45, 48};
};

Pattern makePattern() {
  Pattern p;
  Rng rng(1, 0, 0);
  const Dist d[4] = {Dist::lognormalMeanSd(70, 10), Dist::weibull(1.3, 8 * 3600.0),
                     Dist::exponential(3456), Dist::deterministic(14 * 86400.0)};
  for (int k = 0; k < 4; ++k) {
    p.delays[k].resize(1 << 16);
    for (double& x : p.delays[k]) x = d[k].sample(rng);
  }
  return p;
}

template <class Q>
void hold(const char* name, const Pattern& p, uint64_t events) {
  Q q;
  uint64_t seq = 0;
  size_t next[4] = {0, 0, 0, 0};
  auto delay = [&](uint32_t k) { return p.delays[k][next[k]++ & 0xffff]; };
  for (uint32_t k = 0; k < 4; ++k) {
    for (int i = 0; i < p.counts[k]; ++i) q.push(Event{delay(k), seq++, k, uint32_t(i), 0});
  }
  const auto t0 = std::chrono::steady_clock::now();
  double sum = 0;
  for (uint64_t n = 0; n < events; ++n) {
    const Event e = q.top();
    sum += e.time;
    q.replaceTop(Event{e.time + delay(e.kind), seq++, e.kind, e.entity, e.payload});
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-36s %6.1f ns per hold (check %.17g)\n", name, s / events * 1e9, sum);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t events = 20000000;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--events") == 0) events = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atoi(argv[i + 1]);
  }
  const Pattern p = makePattern();
  for (int r = 0; r < rounds; ++r) {
    std::printf("round %d\n", r + 1);
    hold<KernelQueue>("4-ary heap, 32-byte events (kernel)", p, events);
    hold<DaryHeap<2>>("binary heap", p, events);
    hold<DaryHeap<8>>("8-ary heap", p, events);
    hold<SlotHeap>("4-ary heap, 16-byte nodes + bodies", p, events);
    hold<SplitHeaps>("two 4-ary heaps split at +1 h", p, events);
    hold<RadixHeap>("radix heap on the time's bits", p, events);
    hold<PairingHeap>("pairing heap", p, events);
  }
  return 0;
}
