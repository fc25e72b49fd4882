// SPDX-License-Identifier: Apache-2.0
// `weft stream` and `weft replay` (see stream_cmd.h): flags, the store, the
// signals; the work is in engine/stream.
#include "engine/cli/stream_cmd.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/cli/reason_cmd.h"
#include "engine/cli/watch_cmd.h"
#include "engine/store/store.h"
#include "engine/stream/config.h"
#include "engine/stream/pipeline.h"
#include "engine/stream/replay.h"

namespace weft::cli {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

std::atomic<bool> g_stop{false};
extern "C" void onStopSignal(int) { g_stop.store(true); }

int usage(const char* cmd, const std::string& m) {
  std::fprintf(stderr, "weft %s: %s\nRun with --help for more information.\n", cmd, m.c_str());
  return kExitUsage;
}

}  // namespace

Result<stream::RunOptions> loadStreamOptions(const std::string& config_path, const std::string& broker_url,
                                             const std::string& client_id) {
  std::ifstream in(config_path, std::ios::binary);
  if (!in) return Status::invalidArgument("cannot read '" + config_path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = stream::parseConfig(ss.str(), config_path);
  if (!cfg) return cfg.status();
  auto broker = stream::parseBrokerUrl(broker_url);
  if (!broker) return broker.status();
  stream::RunOptions o;
  o.config = std::move(cfg.value());
  if (!client_id.empty()) o.config.client_id = client_id;
  o.broker = broker.value();
  return o;
}

namespace {

int cmdStream(const StreamFlags& f) {
  if (f.store_dir.empty()) return usage("stream", "give --store DIR");
  if (f.config.empty()) return usage("stream", "give --config FILE (the topics and what they carry)");
  auto loaded = loadStreamOptions(f.config, f.broker, f.client_id);
  if (!loaded) return usage("stream", loaded.status().message());
  stream::RunOptions o = std::move(loaded.value());
  o.quiet = f.quiet;
  o.idle_exit_s = f.idle_exit_s;
  o.progress_s = f.progress_s;

  auto opened = store::Store::open(f.store_dir, store::OpenMode::kCreateIfMissing);
  if (!opened) {
    std::fprintf(stderr, "weft: error: %s\n", opened.status().toString().c_str());
    return kExitFailure;
  }
  std::unique_ptr<store::Store> s = std::move(opened.value());
  // A store reasoned before keeps its inferred graph up to date after each
  // batch (incrementally, docs/reasoning.md), as after weft ingest.
  // Drift charts and failure predictions refreshed as data arrives (docs/watch.md).
  LiveWatch live;
  if (std::string e = live.load(f.watch_drift, f.watch_failures, f.watch_shadow, f.watch_every_s);
      !e.empty())
    return usage("stream", e);
  ClosureKeeper closure(*s);
  if (!f.no_reason || live.active()) {
    o.after_commit = [&s, &live, &f, &closure](const store::CommitDelta& d) {
      if (!f.no_reason) closure.afterCommit(d, /*quiet=*/true);
      live.afterCommit(*s, f.store_dir, f.quiet);
    };
  }

  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  stream::RunTotals t;
  Status st = stream::runStream(s.get(), o, g_stop, &t);
  if (!f.no_reason) closure.finish();
  live.finish(*s, f.store_dir, f.quiet);
  if (!st) {
    std::fprintf(stderr, "weft stream: error: %s\n", st.toString().c_str());
    return kExitFailure;
  }
  if (!f.quiet)
    std::fprintf(
        stderr,
        "weft stream: %llu batches in %.1f s; %.2f s from the first message's receipt to the last commit "
        "(%.0f messages/s)\n",
        static_cast<unsigned long long>(t.batches), t.seconds, t.busy_seconds,
        t.busy_seconds > 0 ? static_cast<double>(t.stored + t.dead_lettered + t.duplicates) / t.busy_seconds : 0.0);
  return 0;
}

int cmdReplay(const StreamFlags& f) {
  if (f.dir.empty()) return usage("replay", "give --dir DIR (the recorded messages)");
  auto broker = stream::parseBrokerUrl(f.broker);
  if (!broker) return usage("replay", broker.status().message());
  stream::ReplayOptions o;
  o.broker = broker.value();
  o.dir = f.dir;
  o.topic_prefix = f.topic_prefix;
  o.quiet = f.quiet;
  if (!stream::parseSpeed(f.speed, &o.speed)) return usage("replay", "--speed " + f.speed + " is not like 10x or max");
  stream::ReplayTotals t;
  Status st = stream::replay(o, &t);
  if (!f.quiet || !st)
    std::fprintf(
        stderr,
        "weft replay: %llu messages from %llu files published, %llu acknowledged by the broker, %.2f s (%.0f/s)\n",
        static_cast<unsigned long long>(t.messages), static_cast<unsigned long long>(t.files),
        static_cast<unsigned long long>(t.acknowledged), t.seconds,
        t.seconds > 0 ? static_cast<double>(t.messages) / t.seconds : 0.0);
  if (!st) {
    std::fprintf(stderr, "weft replay: error: %s\n", st.toString().c_str());
    return kExitFailure;
  }
  return 0;
}

}  // namespace

void addStreamCommands(CLI::App& app, StreamFlags& f) {
  auto* c = app.add_subcommand("stream",
                               "Subscribe to MQTT topics carrying historian samples, MES and EPCIS events and commit "
                               "them into a store in small transactions (docs/streaming.md)");
  c->add_option("--store", f.store_dir, "Store directory (created if missing)");
  c->add_option("--broker", f.broker, "The broker, mqtt://HOST:PORT");
  c->add_option("--config", f.config, "JSON configuration: topics and their kinds, batching, queue bound, client id");
  c->add_option("--client-id", f.client_id, "MQTT client id (names the broker's persistent session)");
  c->add_option("--idle-exit", f.idle_exit_s, "Stop cleanly after this many seconds without a message (0: never)");
  c->add_option("--progress", f.progress_s, "Seconds between progress lines on stderr");
  c->add_flag("-q,--quiet", f.quiet, "Only errors");
  c->add_flag("--no-reason", f.no_reason, "Leave the inferred graph as it is after each batch");
  c->add_option("--watch-drift", f.watch_drift,
                "Run `weft watch drift` with this configuration as data arrives (docs/watch.md)");
  c->add_option("--watch-failures", f.watch_failures,
                "Run `weft watch failures` with this configuration as data arrives");
  c->add_option("--watch-shadow", f.watch_shadow,
                "Run `weft twin shadow` with this configuration as data arrives (docs/twin.md)");
  c->add_option("--watch-every", f.watch_every_s,
                "Seconds between those runs (after a commit; once more when the stream stops)");
  c->footer(
      "Stops after the current batch commits on SIGINT or SIGTERM. A message is acknowledged to the broker "
      "only after the transaction holding it has committed.");
  f.stream = c;
  auto* r = app.add_subcommand("replay",
                               "Publish recorded messages (historian sample CSVs, JSON lines, documents) "
                               "from a folder to an MQTT broker at QoS 1");
  r->add_option("--broker", f.broker, "The broker, mqtt://HOST:PORT");
  r->add_option("--dir", f.dir, "Folder of recorded messages (read recursively)");
  r->add_option("--speed", f.speed, "Pace by the samples' times: 10x is ten times faster than recorded; max: no pause");
  r->add_option("--topic-prefix", f.topic_prefix,
                "Prefix of every topic (topic = PREFIX/path-in-folder-without-extension)");
  r->add_flag("-q,--quiet", f.quiet, "Only errors");
  f.replay = r;
}

int runStream(const StreamFlags& f) {
  if (f.stream && f.stream->parsed()) return cmdStream(f);
  if (f.replay && f.replay->parsed()) return cmdReplay(f);
  return -1;
}

}  // namespace weft::cli
