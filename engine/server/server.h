// SPDX-License-Identifier: Apache-2.0
// `weft serve`: the SPARQL 1.1 Protocol (query by GET and POST, update by
// POST, content negotiation), the Graph Store HTTP Protocol, a service
// description, /health, ingestion of connector documents by POST, and the
// query page, over one store (docs/serving.md). HTTP is cpp-httplib's
// thread-pool server. Access control: every request but the page, /examples,
// /health and the service description needs an API key (policy.h); what a key
// may read is enforced in the dataset the query reads (db::FilteredDataset),
// what it may write in the update's dataset (db::GuardedDataset).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/server/policy.h"
#include "engine/sparql/service.h"
#include "engine/store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace weft::server {

struct Example {
  std::string name, title, query;
};

// Ingests document files into the store, each into a graph under
// `graph_base` (the CLI wires the connectors in: engine/cli/serve_cmd.cpp).
// Returns a JSON report; a refused document is an error naming it.
using IngestFn = std::function<Result<std::string>(const std::vector<std::string>& files, const std::string& graph_base)>;

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 7878;  // 0: any free port (see Server::port())
  // No policy: anonymous read-only access to everything (a local endpoint).
  std::optional<Policy> policy;
  bool merge = true;  // owl:sameAs classes as their representative (docs/reasoning.md)
  IngestFn ingest;
  // Called after each committed write (incremental reasoning).
  std::function<void()> after_write;
  // SERVICE (engine/net/sparql_client.h): with a policy, only the endpoints
  // it lists (or any, with allow_any_service), each with its key or the
  // caller's; without one, any http(s) endpoint. This is the timeout of a
  // call to an endpoint the policy does not configure.
  bool allow_service = true;
  double service_timeout_seconds = 30;
  std::vector<Example> examples;
  std::string upload_dir;  // where POST /ingest stages documents
  bool quiet = false;      // no request log
  // A client that stops sending mid-request is dropped after this; an idle
  // keep-alive connection after keep_alive_seconds (0: close unless the next
  // request is already there).
  double read_timeout_seconds = 10;
  int keep_alive_seconds = 5;
};

class Server {
 public:
  Server(store::Store& store, ServeOptions opts);
  ~Server();
  // Binds the socket; with port 0 the OS picks one (port() tells which).
  Status bind();
  int port() const { return port_; }
  // Serves until stop() (from another thread or a signal handler's thread).
  Status run();
  void stop();

 private:
  class Slots;
  struct Caller;
  void routes();
  bool authenticate(const httplib::Request& req, httplib::Response& res, Caller* who, bool need_key);
  void handleSparql(const httplib::Request& req, httplib::Response& res);
  void handleQuery(const httplib::Request& req, httplib::Response& res, const Caller& who, const std::string& text);
  void handleUpdate(const httplib::Request& req, httplib::Response& res, const Caller& who, const std::string& text);
  void handleGraphStore(const httplib::Request& req, httplib::Response& res);
  void handleIngest(const httplib::Request& req, httplib::Response& res);
  void serviceDescription(const httplib::Request& req, httplib::Response& res);
  std::unique_ptr<sparql::ServiceClient> serviceClient(const Caller& who) const;
  Status writeGraph(const Caller& who, const std::string& graph, const std::string& method, const std::string& body,
                    const std::string& content_type, uint64_t* added);

  store::Store& store_;
  ServeOptions opts_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<Slots> slots_;
  std::mutex write_mu_;  // one writer at a time (the store blocks too; this keeps the queue fair)
  int port_ = 0;
  std::atomic<uint64_t> served_{0};
  std::chrono::steady_clock::time_point started_;
};

}  // namespace weft::server
