// SPDX-License-Identifier: Apache-2.0
// weft_stream_load: publishes historian samples to an MQTT broker at a fixed
// rate, for the streaming benchmark (tests/bench/stream_bench.sh,
// docs/PERFORMANCE.md "Streaming"). One sample per message, QoS 1:
//   topic PREFIX/samples/T{n % tags}, payload {"tag":"T..","ts":<publish time, epoch ms>,"value":n}
// Every MARK_MS milliseconds one message is a marker instead (topic
// PREFIX/mark, tag "MARK"), and its topic, payload and publish time (epoch
// microseconds) are written as a line to the markers file at once, so a
// prober can look for it while the run goes on. The payloads are all
// different (value = sequence number), so no two messages share an
// idempotency key.
//
// Usage: weft_stream_load --port P --rate R --seconds S --markers FILE
//            [--host 127.0.0.1] [--prefix bench] [--tags 100] [--mark-ms 100]
// Prints one line: published, acknowledged by the broker, achieved rate, and
// how far the publisher fell behind its schedule (max, in ms).
#include <mosquitto.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

std::atomic<uint64_t> g_acked{0};
std::atomic<bool> g_connected{false};

void onConnect(mosquitto*, void*, int rc) {
  if (rc == 0) g_connected = true;
}
void onPublish(mosquitto*, void*, int) { ++g_acked; }

int64_t wallUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "weft_stream_load: %s\nusage: weft_stream_load --port P --rate R --seconds S --markers FILE "
               "[--host H] [--prefix P] [--tags N] [--mark-ms MS]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1", prefix = "bench", markers_path;
  int port = 0, tags = 100, mark_ms = 100;
  double rate = 0, seconds = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + a).c_str());
    const char* v = argv[++i];
    if (a == "--host") host = v;
    else if (a == "--port") port = std::atoi(v);
    else if (a == "--rate") rate = std::atof(v);
    else if (a == "--seconds") seconds = std::atof(v);
    else if (a == "--markers") markers_path = v;
    else if (a == "--prefix") prefix = v;
    else if (a == "--tags") tags = std::max(1, std::atoi(v));
    else if (a == "--mark-ms") mark_ms = std::max(1, std::atoi(v));
    else usage(("unknown option " + a).c_str());
  }
  if (port <= 0 || rate <= 0 || seconds <= 0 || markers_path.empty())
    usage("give --port, --rate, --seconds, --markers");
  std::FILE* markers = std::fopen(markers_path.c_str(), "w");
  if (!markers) usage("cannot write the markers file");

  mosquitto_lib_init();
  mosquitto* m = mosquitto_new(nullptr, true, nullptr);
  if (!m) usage("mosquitto_new failed");
  // No client-side limit on messages awaiting PUBACK (the default, 20, would
  // cap the rate at 20 per round trip).
  mosquitto_max_inflight_messages_set(m, 0);
  mosquitto_connect_callback_set(m, onConnect);
  mosquitto_publish_callback_set(m, onPublish);
  if (mosquitto_connect(m, host.c_str(), port, 60) != MOSQ_ERR_SUCCESS) usage("cannot connect to the broker");
  mosquitto_loop_start(m);
  for (int i = 0; i < 500 && !g_connected; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!g_connected) usage("no CONNACK from the broker");

  using Clock = std::chrono::steady_clock;
  const uint64_t total = static_cast<uint64_t>(rate * seconds);
  const Clock::time_point t0 = Clock::now();
  Clock::time_point next_mark = t0;
  double max_behind_ms = 0;
  uint64_t sent = 0, failed = 0, marks = 0;
  char payload[160];
  while (sent < total) {
    // The schedule: message n is due at t0 + n / rate. Publish whatever is
    // due, then sleep to the next due time (at most 1 ms at a time).
    const Clock::time_point now = Clock::now();
    const auto due = static_cast<uint64_t>(std::chrono::duration<double>(now - t0).count() * rate) + 1;
    if (sent < due && sent < total) {
      const double behind =
          std::chrono::duration<double, std::milli>(now - t0).count() - static_cast<double>(sent) * 1000.0 / rate;
      max_behind_ms = std::max(max_behind_ms, behind);
    }
    while (sent < std::min(due, total)) {
      const bool mark = Clock::now() >= next_mark;
      const int64_t us = wallUs();
      std::string topic;
      int n;
      if (mark) {
        topic = prefix + "/mark";
        n = std::snprintf(payload, sizeof payload, "{\"tag\":\"MARK\",\"ts\":%lld,\"value\":%llu}",
                          static_cast<long long>(us / 1000), static_cast<unsigned long long>(sent));
        next_mark += std::chrono::milliseconds(mark_ms);
      } else {
        const int t = static_cast<int>(sent % static_cast<uint64_t>(tags));
        topic = prefix + "/samples/T" + std::to_string(t);
        n = std::snprintf(payload, sizeof payload, "{\"tag\":\"T%d\",\"ts\":%lld,\"value\":%llu}", t,
                          static_cast<long long>(us / 1000), static_cast<unsigned long long>(sent));
      }
      if (mosquitto_publish(m, nullptr, topic.c_str(), n, payload, 1, false) != MOSQ_ERR_SUCCESS) ++failed;
      if (mark) {
        std::fprintf(markers, "%lld\t%s\t%.*s\n", static_cast<long long>(us), topic.c_str(), n, payload);
        std::fflush(markers);
        ++marks;
      }
      ++sent;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<int64_t>(1000, std::max(50.0, 1e6 / rate))));
  }
  const double pub_s = std::chrono::duration<double>(Clock::now() - t0).count();
  for (int i = 0; i < 3000 && g_acked.load() < sent - failed; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::printf(
      "published %llu (%llu markers, %llu failed) in %.2f s = %.0f/s; acknowledged by the broker %llu; "
      "max behind schedule %.1f ms\n",
      static_cast<unsigned long long>(sent), static_cast<unsigned long long>(marks),
      static_cast<unsigned long long>(failed), pub_s, static_cast<double>(sent) / pub_s,
      static_cast<unsigned long long>(g_acked.load()), max_behind_ms);
  std::fclose(markers);
  mosquitto_disconnect(m);
  mosquitto_loop_stop(m, false);
  mosquitto_destroy(m);
  mosquitto_lib_cleanup();
  return failed == 0 ? 0 : 1;
}
