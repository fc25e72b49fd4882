// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/pipeline.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "engine/stream/processor.h"

namespace weft::stream {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Messages received and not yet taken into a batch.
class Queue {
 public:
  explicit Queue(size_t bound) : bound_(bound) {}

  // Waits while full (calling `idle` every half second, for keep-alive);
  // false if stopped meanwhile (the message is dropped unacknowledged).
  bool push(Message&& m, const std::atomic<bool>& stop, const std::function<void()>& idle) {
    std::unique_lock<std::mutex> lk(mu_);
    while (q_.size() >= bound_) {
      ++waits_;
      if (stop.load()) return false;
      not_full_.wait_for(lk, std::chrono::milliseconds(500));
      lk.unlock();
      idle();
      lk.lock();
    }
    if (q_.empty()) oldest_ = m.received;
    q_.push_back(std::move(m));
    last_push_ = Clock::now();
    not_empty_.notify_one();
    return true;
  }

  // Up to `max` messages: waits up to `poll` for a first one, then until
  // `max` are there or `max_wait` after the first one's receipt.
  std::vector<Message> take(size_t max, std::chrono::milliseconds max_wait, std::chrono::milliseconds poll,
                            const std::atomic<bool>& stop) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!not_empty_.wait_for(lk, poll, [&] { return !q_.empty() || stop.load(); }) || q_.empty()) return {};
    const Clock::time_point deadline = q_.front().received + max_wait;
    while (q_.size() < max && !stop.load() && Clock::now() < deadline) not_empty_.wait_until(lk, deadline);
    size_t n = std::min(max, q_.size());
    std::vector<Message> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      out.push_back(std::move(q_.front()));
      q_.pop_front();
    }
    if (!q_.empty()) oldest_ = q_.front().received;
    not_full_.notify_all();
    return out;
  }

  size_t size() {
    std::lock_guard<std::mutex> lk(mu_);
    return q_.size();
  }
  // Receipt time of the oldest waiting message (only when size() > 0).
  bool oldest(Clock::time_point* t) {
    std::lock_guard<std::mutex> lk(mu_);
    if (q_.empty()) return false;
    *t = q_.front().received;
    return true;
  }
  Clock::time_point lastPush() {
    std::lock_guard<std::mutex> lk(mu_);
    return last_push_;
  }
  uint64_t fullWaits() {
    std::lock_guard<std::mutex> lk(mu_);
    return waits_;
  }
  void wakeAll() {
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  size_t bound_;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Message> q_;
  Clock::time_point oldest_{}, last_push_ = Clock::now();
  uint64_t waits_ = 0;
};

}  // namespace

Status runStream(store::Store* store, const RunOptions& o, const std::atomic<bool>& outer_stop, RunTotals* totals) {
  const Config& cfg = o.config;
  std::vector<std::string> filters;
  for (const Route& r : cfg.routes) filters.push_back(r.topic);
  MqttSubscriber sub(o.broker, cfg.client_id, static_cast<uint16_t>(cfg.keepalive_s), filters);
  bool session_present = false;
  // Fail fast when the broker is not there at the start (a wrong port);
  // later losses are retried.
  WEFT_TRY(sub.connect(&session_present));
  if (!o.quiet)
    std::fprintf(stderr, "weft stream: connected to %s:%d as '%s' (%s), %zu topic filter%s\n", o.broker.host.c_str(),
                 o.broker.port, cfg.client_id.c_str(), session_present ? "resuming its session" : "new session",
                 filters.size(), filters.size() == 1 ? "" : "s");

  std::atomic<bool> stop{false};
  Queue queue(cfg.queue_max_messages);
  std::atomic<uint64_t> received{0};
  Status fatal;
  std::mutex fatal_mu;

  std::thread reader([&] {
    bool connected = true;
    int backoff_ms = 200;
    while (!stop.load()) {
      if (!connected) {
        Status st = sub.connect(nullptr);
        if (!st) {
          if (st.code() == StatusCode::kPermissionDenied) {
            std::lock_guard<std::mutex> lk(fatal_mu);
            fatal = st;
            stop = true;
            break;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
          backoff_ms = std::min(backoff_ms * 2, 5000);
          continue;
        }
        backoff_ms = 200;
        if (!o.quiet) std::fprintf(stderr, "weft stream: connected again\n");
        connected = true;
      }
      Status st = sub.run(stop, [&](Message&& m) {
        ++received;
        queue.push(std::move(m), stop, [&] { sub.keepAlive(); });
      });
      if (stop.load()) break;
      if (st.code() == StatusCode::kPermissionDenied || st.code() == StatusCode::kCorruption) {
        std::lock_guard<std::mutex> lk(fatal_mu);
        fatal = st;
        stop = true;
        break;
      }
      if (!o.quiet) std::fprintf(stderr, "weft stream: %s; connecting again\n", st.message().c_str());
      connected = false;
    }
  });

  Processor proc(store, cfg);
  Clock::time_point first_received{}, last_commit{};
  const char* crash_env = std::getenv("WEFT_STREAM_TEST_EXIT_AFTER_COMMIT");
  const uint64_t crash_after_commit = crash_env ? std::strtoull(crash_env, nullptr, 10) : 0;
  RunTotals t;
  const Clock::time_point t0 = Clock::now();
  Clock::time_point last_progress = t0;
  std::atomic<bool> in_flight{false};
  Clock::time_point in_flight_oldest{};
  auto lag = [&]() {
    Clock::time_point oldest;
    if (in_flight.load()) return secondsSince(in_flight_oldest);
    return queue.oldest(&oldest) ? secondsSince(oldest) : 0.0;
  };
  auto progress = [&](bool last) {
    if (o.quiet) return;
    std::fprintf(stderr,
                 "weft stream: received %llu, stored %llu, dead-lettered %llu, duplicates %llu, samples %llu, "
                 "queue %zu, lag %.2f s%s\n",
                 static_cast<unsigned long long>(received.load()), static_cast<unsigned long long>(t.stored),
                 static_cast<unsigned long long>(t.dead_lettered), static_cast<unsigned long long>(t.duplicates),
                 static_cast<unsigned long long>(t.samples), queue.size(), last ? 0.0 : lag(),
                 last ? " (stopped)" : "");
  };
  Status result;
  while (true) {
    if (outer_stop.load()) stop = true;
    if (stop.load()) break;
    if (!o.quiet && secondsSince(last_progress) >= o.progress_s) {
      progress(false);
      last_progress = Clock::now();
    }
    if (o.idle_exit_s > 0 && queue.size() == 0 && secondsSince(queue.lastPush()) >= o.idle_exit_s) break;
    std::vector<Message> batch = queue.take(cfg.batch_max_messages, std::chrono::milliseconds(cfg.batch_max_ms),
                                            std::chrono::milliseconds(200), stop);
    if (batch.empty()) continue;
    in_flight_oldest = batch.front().received;
    if (t.batches == 0) first_received = batch.front().received;
    in_flight = true;
    Result<BatchResult> r = proc.process(batch);
    // A store that cannot commit (disk full, a writer holding the lock too
    // long) is tried again with the same batch; nothing was acknowledged.
    int tries = 1;
    while (!r && !outer_stop.load()) {
      std::fprintf(stderr, "weft stream: error: committing a batch of %zu messages: %s (trying again)\n", batch.size(),
                   r.status().toString().c_str());
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5000, 250 * tries++)));
      r = proc.process(batch);
    }
    in_flight = false;
    if (!r) {
      result = r.status();
      break;
    }
    // Fault injection for the end-to-end test: die between a commit and its
    // acknowledgements, the one window only idempotency covers.
    if (crash_after_commit > 0 && t.batches + 1 == crash_after_commit) std::_Exit(9);
    for (const Message& m : batch) {
      if (Status st = sub.ack(m.packet_id, m.connection); !st && !o.quiet)
        std::fprintf(stderr, "weft stream: acknowledging: %s (the broker will send it again)\n", st.message().c_str());
    }
    last_commit = Clock::now();
    t.stored += r->stored;
    t.dead_lettered += r->dead_lettered;
    t.duplicates += r->duplicates;
    t.samples += r->samples;
    ++t.batches;
    for (size_t i = 0; i < batch.size(); ++i)
      if (r->dispositions[i] == Disposition::kDeadLettered && !o.quiet)
        std::fprintf(stderr, "weft stream: dead letter: %s: %s\n", batch[i].topic.c_str(), r->reasons[i].c_str());
    if (r->quads > 0 && o.after_commit) o.after_commit(r->delta);
  }
  stop = true;
  queue.wakeAll();
  reader.join();
  sub.close();
  t.received = received.load();
  t.seconds = secondsSince(t0);
  if (t.batches > 0) t.busy_seconds = std::chrono::duration<double>(last_commit - first_received).count();
  progress(true);
  if (totals) *totals = t;
  {
    std::lock_guard<std::mutex> lk(fatal_mu);
    if (!fatal) return fatal;
  }
  return result;
}

}  // namespace weft::stream
