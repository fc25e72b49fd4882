// SPDX-License-Identifier: Apache-2.0
// The event kernel: order, ties, cancel, horizon, fingerprint.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "engine/sim/kernel.h"
#include "engine/sim/random.h"

using namespace weft::sim;

TEST(Kernel, RunsInTimeOrderAndTiesInInsertionOrder) {
  Kernel k;
  // entity = insertion number
  const double times[] = {5, 1, 3, 1, 1, 3, 0};
  for (uint32_t i = 0; i < 7; ++i) k.scheduleAt(times[i], 0, i);
  std::vector<uint32_t> order;
  std::vector<double> at;
  k.runUntil(100, [&](const Event& e) {
    order.push_back(e.entity);
    at.push_back(k.now());
  });
  EXPECT_EQ(order, (std::vector<uint32_t>{6, 1, 3, 4, 2, 5, 0}));
  EXPECT_EQ(at, (std::vector<double>{0, 1, 1, 1, 3, 3, 5}));
  EXPECT_EQ(k.eventCount(), 7u);
  EXPECT_EQ(k.now(), 100);
}

TEST(Kernel, EventsScheduledForNowRunAfterThoseAlreadyDue) {
  // A handler scheduling at the current time runs after every event already queued for it.
  Kernel k;
  k.scheduleAt(1, 0, 0);
  k.scheduleAt(1, 0, 1);
  std::vector<uint32_t> order;
  k.runUntil(10, [&](const Event& e) {
    order.push_back(e.entity);
    if (e.entity == 0) k.schedule(0, 0, 2);
  });
  EXPECT_EQ(order, (std::vector<uint32_t>{0, 1, 2}));
}

TEST(Kernel, MatchesAStableSortUnderRandomInterleaving) {
  // Random pushes and pops against a (time, seq) ordered map: the heap must pop the minimum.
  EventQueue q;
  std::map<std::pair<double, uint64_t>, uint32_t> ref;
  Rng rng(42, 0, 0);
  uint64_t seq = 0;
  for (int step = 0; step < 200000; ++step) {
    if (ref.empty() || rng.uniform() < 0.55) {
      const double t = static_cast<double>(rng.below(50));  // many ties
      const uint32_t ent = static_cast<uint32_t>(rng.below(1000));
      q.push(Event{t, seq, 0, ent, 0});
      ref.emplace(std::make_pair(t, seq), ent);
      ++seq;
    } else {
      ASSERT_EQ(q.top().time, ref.begin()->first.first);
      ASSERT_EQ(q.top().seq, ref.begin()->first.second);
      ASSERT_EQ(q.top().entity, ref.begin()->second);
      q.pop();
      ref.erase(ref.begin());
    }
    ASSERT_EQ(q.size(), ref.size());
  }
}

TEST(Kernel, ReplaceTopEqualsPopThenPush) {
  EventQueue a, b;
  Rng rng(7, 0, 0);
  for (uint64_t i = 0; i < 1000; ++i) {
    const Event e{static_cast<double>(rng.below(100)), i, 0, 0, 0};
    a.push(e);
    b.push(e);
  }
  for (uint64_t i = 1000; i < 3000; ++i) {
    const Event e{a.top().time + static_cast<double>(rng.below(20)), i, 0, 0, 0};
    a.pop();
    a.push(e);
    b.replaceTop(e);
    ASSERT_EQ(a.top().seq, b.top().seq);
  }
}

TEST(Kernel, CancelDropsThePendingEvent) {
  Kernel k;
  const EventId a = k.scheduleAt(1, 0, 1);
  const EventId b = k.scheduleAt(2, 0, 2);
  const EventId c = k.scheduleAt(3, 0, 3);
  EXPECT_TRUE(k.cancel(b));
  EXPECT_FALSE(k.cancel(b));  // already cancelled
  std::vector<uint32_t> seen;
  k.runUntil(1.5, [&](const Event& e) { seen.push_back(e.entity); });
  EXPECT_FALSE(k.cancel(a));  // already ran
  k.runUntil(10, [&](const Event& e) { seen.push_back(e.entity); });
  EXPECT_EQ(seen, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(k.eventCount(), 2u);
  EXPECT_FALSE(k.cancel(c));
  EXPECT_FALSE(k.cancel(12345));  // never existed
}

TEST(Kernel, HorizonIsInclusiveAndResumable) {
  Kernel k;
  k.scheduleAt(10, 0, 1);
  k.scheduleAt(10.000001, 0, 2);
  std::vector<uint32_t> seen;
  EXPECT_EQ(k.runUntil(10, [&](const Event& e) { seen.push_back(e.entity); }), 1u);
  EXPECT_EQ(seen, std::vector<uint32_t>{1});
  EXPECT_EQ(k.now(), 10);
  EXPECT_EQ(k.pending(), 1u);
  k.runUntil(20, [&](const Event& e) { seen.push_back(e.entity); });
  EXPECT_EQ(seen, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(k.now(), 20);
}

TEST(Kernel, StopAndNegativeDelays) {
  Kernel k;
  k.scheduleAt(5, 0, 0);
  k.runUntil(100, [&](const Event&) {
    k.schedule(-3, 1, 1);  // clamped to now: the clock never goes back
    k.stop();
  });
  EXPECT_EQ(k.now(), 5);
  double when = -1;
  k.runUntil(100, [&](const Event&) { when = k.now(); });
  EXPECT_EQ(when, 5);
}

TEST(Kernel, FingerprintFollowsTheRun) {
  auto run = [](bool swap) {
    Kernel k;
    k.scheduleAt(1, 0, swap ? 2 : 1);
    k.scheduleAt(1, 0, swap ? 1 : 2);
    k.runUntil(5, [](const Event&) {});
    return k.fingerprint();
  };
  EXPECT_EQ(run(false), run(false));
  EXPECT_NE(run(false), run(true));
}

TEST(Kernel, CancelAndPendingInsideAHandler) {
  // The running event is consumed: cancelling it fails, pending() does not count it, and an
  // event scheduled by the handler can be cancelled before it runs.
  Kernel k;
  const EventId first = k.scheduleAt(1, 0, 1);
  k.scheduleAt(2, 0, 2);
  std::vector<uint32_t> seen;
  k.runUntil(10, [&](const Event& e) {
    seen.push_back(e.entity);
    if (e.entity != 1) return;
    EXPECT_FALSE(k.cancel(first));
    EXPECT_EQ(k.pending(), 1u);
    const EventId extra = k.schedule(0.5, 0, 3);
    EXPECT_EQ(k.pending(), 2u);
    EXPECT_TRUE(k.cancel(extra));
    k.schedule(0.25, 0, 4);
  });
  EXPECT_EQ(seen, (std::vector<uint32_t>{1, 4, 2}));
}

TEST(Kernel, NegativeZeroSortsAsZero) {
  // The heap compares bit patterns; -0.0 must not sort after every positive time.
  Kernel k;
  k.scheduleAt(1.0, 0, 1);
  k.scheduleAt(-0.0, 0, 2);
  std::vector<uint32_t> seen;
  k.runUntil(5, [&](const Event& e) { seen.push_back(e.entity); });
  EXPECT_EQ(seen, (std::vector<uint32_t>{2, 1}));
}
