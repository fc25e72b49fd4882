// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/serve_cmd.h"

#include <malloc.h>
#include <openssl/rand.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/cli/ingest_cmd.h"
#include "engine/cli/reason_cmd.h"
#include "engine/cli/stream_cmd.h"
#include "engine/server/internal/http_util.h"
#include "engine/server/server.h"
#include "engine/store/store.h"

namespace weft::cli {

namespace {

constexpr int kExitUsage = 2;

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

std::string jsonArray(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + jsonString(v[i]);
  return out + "]";
}

}  // namespace

CLI::App* addServeCommand(CLI::App& app, ServeFlags& f) {
  auto* c = app.add_subcommand(
      "serve",
      "Serve a store over HTTP: SPARQL 1.1 Protocol at /sparql, Graph Store Protocol at /rdf-graph-store, "
      "document ingestion at /ingest, the query page at /, /health; access by API keys (docs/serving.md)");
  c->add_option("--store", f.store_dir, "Store directory")->required();
  c->add_option("--bind", f.bind, "Address to listen on (default 127.0.0.1: this machine only)");
  c->add_option("--port", f.port, "Port (default 7878; 0 picks a free one, see --port-file)");
  c->add_option("--config", f.config,
                "Access policy (JSON: organisations and their graphs, API key hashes and roles, limits, remote "
                "SERVICE endpoints). Without it: read-only access for anyone who can reach the port");
  c->add_option("--port-file", f.port_file, "Write the port listened on to this file once serving");
  c->add_option("--service-timeout", f.service_timeout,
                "Seconds for each SERVICE call to an endpoint the policy does not configure (default 30)");
  c->add_flag("--no-merge", f.no_merge, "Show owl:sameAs aliases with their own records, not as one node");
  c->add_flag("--no-reason", f.no_reason, "Do not bring the inferred graph up to date after writes");
  c->add_flag("-q,--quiet", f.quiet, "No request log");
  c->add_option("--stream", f.stream_config,
                "Also run `weft stream` with this configuration inside the server: MQTT topics committed "
                "into the store it serves, each commit visible to the next query (docs/streaming.md)");
  c->add_option("--broker", f.broker, "MQTT broker of --stream (default mqtt://127.0.0.1:1883)");
  c->add_option("--client-id", f.stream_client_id, "MQTT client id of --stream (overrides the configuration's)");
  return c;
}

int cmdServe(const ServeFlags& f) {
  // glibc gives each of the pool's threads (dozens) its own malloc arena, so
  // the server settled at ~0.6 GiB under load; a few shared arenas hold the
  // same throughput in ~0.16 GiB (measured with MALLOC_ARENA_MAX=2).
  mallopt(M_ARENA_MAX, 4);
  server::ServeOptions opts;
  opts.bind = f.bind;
  opts.port = f.port;
  opts.merge = !f.no_merge;
  opts.service_timeout_seconds = f.service_timeout;
  opts.quiet = f.quiet;
  if (!f.config.empty()) {
    auto p = server::Policy::load(f.config);
    if (!p) {
      std::fprintf(stderr, "weft serve: %s\n", p.status().message().c_str());
      return kExitUsage;
    }
    opts.policy = std::move(p.value());
  }
  if (f.bind != "127.0.0.1" && f.bind != "::1" && f.bind != "localhost" && !opts.policy)
    std::fprintf(stderr, "weft serve: warning: listening on %s without --config: anyone who reaches it reads everything\n",
                 f.bind.c_str());
  auto opened = store::Store::open(f.store_dir, store::OpenMode::kMustExist);
  if (!opened) {
    std::fprintf(stderr, "weft: error: %s\n", opened.status().toString().c_str());
    return 1;
  }
  store::Store& st = *opened.value();
  // One closure update at a time, whether a request or the stream asked for it (each reads
  // and writes the incremental state in DIR/reason/).
  // The closure stays in memory between the stream's batches (ClosureKeeper); a
  // request's write brings it up to date through the incremental state.
  std::mutex closure_mu;
  ClosureKeeper closure(st);
  if (!f.no_reason)
    opts.after_write = [&closure, &closure_mu, q = f.quiet] {
      std::lock_guard<std::mutex> lock(closure_mu);
      closure.afterWrite(q);
    };
  std::optional<stream::RunOptions> stream_opts;
  if (!f.stream_config.empty()) {
    auto o = loadStreamOptions(f.stream_config, f.broker, f.stream_client_id);
    if (!o) {
      std::fprintf(stderr, "weft serve: --stream: %s\n", o.status().message().c_str());
      return kExitUsage;
    }
    stream_opts = std::move(o.value());
    stream_opts->quiet = f.quiet;
    stream_opts->progress_s = 10;
    if (!f.no_reason)
      stream_opts->after_commit = [&closure, &closure_mu](const store::CommitDelta& d) {
        std::lock_guard<std::mutex> lock(closure_mu);
        closure.afterCommit(d, /*quiet=*/true);
      };
  }
  opts.examples = server::internal::builtInExamples();
  opts.upload_dir = f.store_dir + "/uploads";
  const bool reason_after = !f.no_reason;
  opts.ingest = [&st, reason_after, &closure, &closure_mu, q = f.quiet](
                    const std::vector<std::string>& files, const std::string& graph_base) -> Result<std::string> {
    IngestFlags in;
    in.paths = files;
    in.graph_base = graph_base;
    in.quiet = true;
    in.no_reason = true;  // the closure below, through the keeper the stream uses
    IngestSummary sum;
    int rc = ingestInto(&st, in, &sum);
    if (reason_after && sum.ok > 0) {
      std::lock_guard<std::mutex> lock(closure_mu);
      closure.afterWrite(q);
    }
    if (rc != 0 && sum.ok == 0 && sum.skipped == 0) {
      std::string why = sum.refusals.empty() ? "the document was refused" : sum.refusals.front();
      return Status::invalidArgument(why);
    }
    return "{\"ingested\":" + std::to_string(sum.ok) + ",\"already_present\":" + std::to_string(sum.skipped) +
           ",\"records\":" + std::to_string(sum.records) + ",\"triples\":" + std::to_string(sum.triples) +
           ",\"graphs\":" + jsonArray(sum.graphs) + ",\"errors\":" + jsonArray(sum.refusals) + "}\n";
  };

  // SIGINT / SIGTERM end the server cleanly: blocked here (so every thread
  // inherits the mask) and taken by one thread with sigwait.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  server::Server srv(st, std::move(opts));
  if (Status b = srv.bind(); !b) {
    std::fprintf(stderr, "weft serve: %s\n", b.message().c_str());
    return 1;
  }
  std::thread waiter([&srv, sigs] {
    int sig = 0;
    sigwait(&sigs, &sig);
    srv.stop();
  });
  if (!f.port_file.empty()) {
    std::ofstream pf(f.port_file + ".tmp");
    pf << srv.port() << "\n";
    pf.close();
    std::rename((f.port_file + ".tmp").c_str(), f.port_file.c_str());
  }
  std::fprintf(stderr, "weft serve: http://%s:%d/ (store %s, %s); Ctrl+C stops\n", f.bind.c_str(), srv.port(),
               f.store_dir.c_str(), f.config.empty() ? "no policy: read-only, no keys" : f.config.c_str());
  // The stream commits into the store the server reads, one writer at a time with the
  // server's own writes (Store::begin); a query sees every batch committed before it starts.
  std::atomic<bool> stream_stop{false};
  std::thread streamer;
  if (stream_opts) {
    streamer = std::thread([&] {
      stream::RunTotals t;
      Status s = stream::runStream(&st, *stream_opts, stream_stop, &t);
      if (!s) std::fprintf(stderr, "weft serve: the stream stopped: %s (the server goes on)\n", s.toString().c_str());
      else if (!f.quiet)
        std::fprintf(stderr, "weft serve: stream: %llu stored, %llu dead letters, %llu duplicates in %llu batches\n",
                     static_cast<unsigned long long>(t.stored), static_cast<unsigned long long>(t.dead_lettered),
                     static_cast<unsigned long long>(t.duplicates), static_cast<unsigned long long>(t.batches));
    });
  }
  Status r = srv.run();
  stream_stop.store(true);
  if (streamer.joinable()) streamer.join();
  if (!f.no_reason) closure.finish();
  // A stop from elsewhere than the signal thread: wake it so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!r) {
    std::fprintf(stderr, "weft serve: %s\n", r.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "weft serve: stopped\n");
  return 0;
}

CLI::App* addKeyCommand(CLI::App& app, ServeFlags& f) {
  auto* c = app.add_subcommand("key",
                               "Make a new random API key and print it with its SHA-256 (the policy file keeps only "
                               "the hash), or print the hash of a given key");
  c->add_option("--hash", f.hash_key, "Print the SHA-256 of this key instead of making a new one");
  return c;
}

int cmdKey(const ServeFlags& f) {
  if (!f.hash_key.empty()) {
    std::printf("%s\n", server::sha256Hex(f.hash_key).c_str());
    return 0;
  }
  unsigned char raw[24];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    std::fprintf(stderr, "weft key: no random bytes from the system\n");
    return 1;
  }
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string key = "weft_";
  for (unsigned char b : raw) key.push_back(alphabet[b & 63]);
  std::printf("key     %s\nsha256  %s\n", key.c_str(), server::sha256Hex(key).c_str());
  std::fprintf(stderr, "weft key: give the key to its holder; put only the sha256 in the policy's \"keys\"\n");
  return 0;
}

}  // namespace weft::cli
