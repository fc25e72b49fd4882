// SPDX-License-Identifier: Apache-2.0
// The discrete-event kernel: a clock, a future event set and a run loop.
//
// An event is plain data (time, sequence, kind, entity, payload), 32 bytes; the model that
// owns the kernel dispatches on `kind` in one switch, so no closure is allocated per event.
// The future event set is an implicit 4-ary min-heap on (time, sequence): the sequence number
// is the insertion order, so events at the same time run first-scheduled first-run
// (fschuetz04/simcpp20 and OMNeT++ break ties the same way) and a run is deterministic.
//
// Time is a double in seconds. Durations come out of continuous distributions, so integer
// ticks would only add a rounding step; a year is 3.2e7 s, where a double still resolves
// 4e-9 s, and equal times (the ties that matter) are exact in both representations.
//
// Thread safety: none; one kernel per replication and thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace weft::sim {

using EventId = uint64_t;  // the event's sequence number

#ifdef WEFT_SIM_COUNT_KINDS
// Benchmark instrumentation only (tests/bench/twin_kinds.cpp compiles the simulator again with
// this defined): when set, runUntil adds 1 to slot min(kind, 63) for every executed event.
inline thread_local uint64_t* gKindCounts = nullptr;
#endif

struct Event {
  double time;
  uint64_t seq;
  uint32_t kind;
  uint32_t entity;
  uint64_t payload;
};

// Implicit 4-ary heap: half the depth of a binary heap, and the four children of a node share
// one 128-byte span, so a sift-down touches fewer cache lines.
class EventQueue {
 public:
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }
  void push(const Event& e) {
    heap_.push_back(e);
    siftUp(heap_.size() - 1);
  }
  void pop() {
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) siftDown(0, last);
  }
  // Pop the top and push `e` in one sift (the common "handle one, schedule one" step).
  void replaceTop(const Event& e) { siftDown(0, e); }
  void clear() { heap_.clear(); }
  void reserve(size_t n) { heap_.reserve(n); }
  // Linear access for cancel() and tests.
  std::vector<Event>& raw() { return heap_; }

  static bool before(const Event& a, const Event& b) { return key(a) < key(b); }

 private:
  // (time, seq) as one 128-bit integer: for non-negative doubles (the kernel never stores a
  // negative time or -0.0) the bit pattern orders like the value, so the lexicographic
  // comparison is one integer compare and the sift loops can select children without branches.
  using Key = unsigned __int128;
  static Key key(const Event& e) {
    uint64_t t;
    __builtin_memcpy(&t, &e.time, sizeof t);
    return (static_cast<Key>(t) << 64) | e.seq;
  }

  void siftUp(size_t i) {
    const Event e = heap_[i];
    const Key k = key(e);
    while (i > 0) {
      const size_t parent = (i - 1) >> 2;
      if (!(k < key(heap_[parent]))) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Place e at hole i (whose old content is gone) and sift it down.
  void siftDown(size_t i, const Event& e) {
    const size_t n = heap_.size();
    const Key k = key(e);
    Event* h = heap_.data();
    for (;;) {
      const size_t first = 4 * i + 1;
      if (first >= n) break;
      size_t best = first;
      Key kb = key(h[first]);
      const size_t end = first + 4 < n ? first + 4 : n;
      for (size_t c = first + 1; c < end; ++c) {
        const Key kc = key(h[c]);
        const bool lt = kc < kb;
        best = lt ? c : best;
        kb = lt ? kc : kb;
      }
      if (!(kb < k)) break;
      h[i] = h[best];
      i = best;
    }
    h[i] = e;
  }
  std::vector<Event> heap_;
};

class Kernel {
 public:
  static constexpr uint32_t kCancelled = 0xffffffffu;  // kind of a cancelled event

  double now() const { return now_; }
  // Events executed so far (cancelled ones are not counted).
  uint64_t eventCount() const { return count_; }
  // Pending events, including cancelled ones not yet reached.
  size_t pending() const { return queue_.size() - (hole_ ? 1 : 0); }
  // A hash of (time, kind, entity, payload) of every executed event, in order; two runs that
  // did the same thing have the same fingerprint (the idea of OMNeT++'s cfingerprint.h).
  uint64_t fingerprint() const { return fingerprint_; }

  // Schedule at now + delay (delay >= 0; a negative or NaN delay is treated as 0 so that the
  // clock never runs backwards).
  EventId schedule(double delay, uint32_t kind, uint32_t entity, uint64_t payload = 0) {
    return scheduleAt(now_ + (delay > 0 ? delay : 0.0), kind, entity, payload);
  }
  EventId scheduleAt(double time, uint32_t kind, uint32_t entity, uint64_t payload = 0) {
    if (!(time >= now_)) time = now_;  // also catches NaN
    time += 0.0;                        // -0.0 becomes +0.0 (the key compares bit patterns)
    const EventId id = nextSeq_++;
    if (hole_) {
      // The event being handled still sits at the top: overwrite it and sift once, instead of
      // a pop and a push (most handlers schedule exactly one follow-up).
      hole_ = false;
      queue_.replaceTop(Event{time, id, kind, entity, payload});
    } else {
      queue_.push(Event{time, id, kind, entity, payload});
    }
    return id;
  }
  // Cancel a pending event: marks it in place (a linear scan of the heap), so the run loop
  // drops it when it comes up. Returns false if the event already ran or was cancelled.
  // Models that cancel on a hot path should instead carry a generation number in the payload
  // and ignore stale events (the line model does this for interrupted operations).
  bool cancel(EventId id);

  // Run every event with time <= horizon, in (time, seq) order, calling handler(const Event&).
  // Afterwards now() == horizon unless stop() was called. Returns the events executed.
  template <class Handler>
  uint64_t runUntil(double horizon, Handler&& handler) {
    const uint64_t start = count_;
    stopped_ = false;
    while (!queue_.empty()) {
      const Event e = queue_.top();
      if (e.time > horizon) break;
      if (e.kind == kCancelled) {
        queue_.pop();
        continue;
      }
      now_ = e.time;
      ++count_;
#ifdef WEFT_SIM_COUNT_KINDS
      if (gKindCounts) ++gKindCounts[e.kind < 63 ? e.kind : 63];
#endif
      fingerprint_ = mixFingerprint(fingerprint_, e);
      hole_ = true;  // the top is consumed; the first schedule() reuses its slot
      handler(e);
      if (hole_) {
        hole_ = false;
        queue_.pop();
      }
      if (stopped_) return count_ - start;
    }
    if (horizon > now_) now_ = horizon;
    return count_ - start;
  }
  // Time of the next pending event (a cancelled one included), +inf when none.
  double nextTime() const {
    return queue_.empty() ? std::numeric_limits<double>::infinity() : queue_.top().time;
  }
  // Run the next event alone (a cancelled one is only dropped); false if there was none.
  // For models that interleave the kernel's events with work of their own in time order
  // (the plant's flow lines); the caller compares nextTime() with its own next time first.
  template <class Handler>
  bool runOne(Handler&& handler) {
    if (queue_.empty()) return false;
    const Event e = queue_.top();
    if (e.kind == kCancelled) {
      queue_.pop();
      return true;
    }
    now_ = e.time;
    ++count_;
    fingerprint_ = mixFingerprint(fingerprint_, e);
    hole_ = true;
    handler(e);
    if (hole_) {
      hole_ = false;
      queue_.pop();
    }
    return true;
  }
  // Move the clock forward to t (never back), e.g. to the horizon after a runOne loop.
  void advanceTo(double t) {
    if (t > now_) now_ = t;
  }
  // Ask runUntil to return after the current event.
  void stop() { stopped_ = true; }
  // Forget all events and restart the clock at 0 (counters too).
  void reset();
  void reserve(size_t n) { queue_.reserve(n); }

 private:
  static uint64_t mixFingerprint(uint64_t h, const Event& e);

  EventQueue queue_;
  double now_ = 0.0;
  uint64_t nextSeq_ = 0;
  uint64_t count_ = 0;
  uint64_t fingerprint_ = 0x84222325cbf29ce4ULL;
  bool stopped_ = false;
  bool hole_ = false;  // the top entry is the event being handled (already consumed)
};

inline uint64_t Kernel::mixFingerprint(uint64_t h, const Event& e) {
  uint64_t t;
  static_assert(sizeof t == sizeof e.time);
  __builtin_memcpy(&t, &e.time, sizeof t);
  h ^= t + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= (static_cast<uint64_t>(e.kind) << 32 | e.entity) * 0xff51afd7ed558ccdULL;
  h ^= e.payload + (h << 7);
  return h;
}

}  // namespace weft::sim
