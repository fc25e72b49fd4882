// SPDX-License-Identifier: Apache-2.0
#include "engine/server/server.h"

#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/db/database.h"
#include "engine/db/graph_filter.h"
#include "engine/db/merged_view.h"
#include "engine/db/overlay.h"
#include "engine/net/sparql_client.h"
#include "engine/rdf/syntax.h"
#include "engine/server/internal/http_util.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/service.h"

namespace weft::server {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using internal::MemoryFile;

namespace {

constexpr std::string_view kInferredGraph = "https://w3id.org/weft/graph/inferred";

void text(httplib::Response& res, int status, const std::string& msg) {
  res.status = status;
  res.set_content(msg + "\n", "text/plain; charset=utf-8");
}

// HTTP status for a failed query or update.
int httpStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kAborted: return 503;
    case StatusCode::kSyntaxError:
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnsupported: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kIoError: return 502;  // a SERVICE call failed
    default: return 500;
  }
}

}  // namespace

// Admission: at most `max` requests run; up to `queue` more wait (for at most
// `wait` seconds); the rest are turned away with 503 at once, so a burst never
// ties up every thread of the pool.
class Server::Slots {
 public:
  Slots(unsigned max, unsigned queue) : max_(max), queue_(queue) {}
  bool acquire(double wait_s) {
    std::unique_lock<std::mutex> lock(mu_);
    if (running_ < max_) {
      ++running_;
      return true;
    }
    if (waiting_ >= queue_) return false;
    ++waiting_;
    bool ok = cv_.wait_for(lock, std::chrono::duration<double>(wait_s), [&] { return running_ < max_; });
    --waiting_;
    if (ok) ++running_;
    return ok;
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
    }
    cv_.notify_one();
  }
  unsigned running() {
    std::lock_guard<std::mutex> lock(mu_);
    return running_;
  }
  unsigned waiting() {
    std::lock_guard<std::mutex> lock(mu_);
    return waiting_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  unsigned max_, queue_, running_ = 0, waiting_ = 0;
};

struct Server::Caller {
  const ApiKey* key = nullptr;  // null: anonymous (a server without a policy)
  std::string presented;        // the key as sent (for SERVICE forwarding)
  db::GraphGrant read, write;
  std::string name() const { return key ? key->name : "anonymous"; }
};

Server::Server(store::Store& store, ServeOptions opts)
    : store_(store), opts_(std::move(opts)), http_(std::make_unique<httplib::Server>()) {
  const Limits& l = opts_.policy ? opts_.policy->limits : Limits{};
  slots_ = std::make_unique<Slots>(l.max_concurrent, l.max_queued);
  // Each waiting or running request and each idle keep-alive connection
  // holds a pool thread; a few more serve /health and the page meanwhile.
  const size_t threads = std::min<size_t>(256, l.max_concurrent + l.max_queued + 8);
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(l.max_body_bytes);
  // Without it a kept-alive connection's response waits for the client's
  // delayed ACK (Nagle): ~40 ms on every request, measured (`ASK {}` 45 ms
  // instead of 0.1 ms).
  http_->set_tcp_nodelay(true);
  const auto read_us = static_cast<long long>(opts_.read_timeout_seconds * 1e6);
  http_->set_read_timeout(static_cast<time_t>(read_us / 1000000), static_cast<time_t>(read_us % 1000000));
  http_->set_write_timeout(30, 0);  // a client that stops reading the answer
  http_->set_keep_alive_timeout(opts_.keep_alive_seconds);
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = std::string("internal error: ") + e.what();
    } catch (...) {
    }
    text(res, 500, what);
  });
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    ++served_;
    if (opts_.quiet) return;
    std::fprintf(stderr, "weft serve: %s %s %s %d\n", req.remote_addr.c_str(), req.method.c_str(), req.path.c_str(),
                 res.status);
  });
  routes();
}

Server::~Server() = default;

Status Server::bind() {
  if (opts_.port == 0) {
    port_ = http_->bind_to_any_port(opts_.bind);
    if (port_ <= 0) return Status::ioError("cannot listen on " + opts_.bind);
  } else {
    if (!http_->bind_to_port(opts_.bind, opts_.port))
      return Status::ioError("cannot listen on " + opts_.bind + ":" + std::to_string(opts_.port) +
                             " (in use? pick another with --port)");
    port_ = opts_.port;
  }
  started_ = Clock::now();
  return Status::ok();
}

Status Server::run() {
  if (!http_->listen_after_bind()) return Status::ioError("the server stopped listening");
  return Status::ok();
}

void Server::stop() { http_->stop(); }

bool Server::authenticate(const httplib::Request& req, httplib::Response& res, Caller* who, bool need_key) {
  if (!opts_.policy) {  // a local endpoint: read everything, write nothing
    who->read = db::GraphGrant::everything();
    return true;
  }
  std::string presented;
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) presented = auth.substr(7);
  else presented = req.get_header_value("X-API-Key");
  if (presented.empty()) {
    if (!need_key) return true;
    res.set_header("WWW-Authenticate", "Bearer realm=\"weft\"");
    text(res, 401, "an API key is required: send \"Authorization: Bearer KEY\"");
    return false;
  }
  const ApiKey* k = opts_.policy->authenticate(presented);
  if (!k) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"weft\", error=\"invalid_token\"");
    text(res, 401, "the API key is not known to this server");
    return false;
  }
  who->key = k;
  who->presented = presented;
  who->read = opts_.policy->readGrant(*k);
  who->write = opts_.policy->writeGrant(*k);
  return true;
}

void Server::routes() {
  auto& h = *http_;
  h.Get("/", [](const httplib::Request&, httplib::Response& res) {
    std::string_view page = internal::embeddedFile("index.html");
    if (page.empty()) return text(res, 404, "the query page was not built into this weft");
    res.set_content(std::string(page), "text/html; charset=utf-8");
  });
  h.Get("/examples", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(internal::examplesJson(opts_.examples), "application/json");
  });
  h.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
    auto snap = store_.snapshot();
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"status\":\"ok\",\"quads\":%llu,\"graphs\":%zu,\"running\":%u,\"queued\":%u,\"served\":%llu,"
                  "\"uptime_seconds\":%.0f}\n",
                  static_cast<unsigned long long>(snap->size()), snap->graphs().size(), slots_->running(),
                  slots_->waiting(), static_cast<unsigned long long>(served_.load()),
                  std::chrono::duration<double>(Clock::now() - started_).count());
    res.set_content(buf, "application/json");
  });
  auto sparql = [this](const httplib::Request& req, httplib::Response& res) { handleSparql(req, res); };
  h.Get("/sparql", sparql);
  h.Post("/sparql", sparql);
  auto gsp = [this](const httplib::Request& req, httplib::Response& res) { handleGraphStore(req, res); };
  h.Get("/rdf-graph-store", gsp);
  h.Put("/rdf-graph-store", gsp);
  h.Post("/rdf-graph-store", gsp);
  h.Delete("/rdf-graph-store", gsp);
  h.Options("/rdf-graph-store", gsp);
  // cpp-httplib answers HEAD through the GET handler, without the body.
  h.Post("/ingest", [this](const httplib::Request& req, httplib::Response& res) { handleIngest(req, res); });
}

void Server::handleSparql(const httplib::Request& req, httplib::Response& res) {
  std::string query, update;
  const std::string ct = internal::mediaType(req.get_header_value("Content-Type"));
  if (req.method == "GET") {
    if (req.has_param("update")) return text(res, 400, "updates are sent by POST, not GET");
    if (!req.has_param("query")) return serviceDescription(req, res);
    query = req.get_param_value("query");
  } else if (ct == "application/sparql-query") {
    query = req.body;
  } else if (ct == "application/sparql-update") {
    update = req.body;
  } else if (ct == "application/x-www-form-urlencoded") {
    // cpp-httplib has parsed the form into params.
    if (req.has_param("query") && req.has_param("update"))
      return text(res, 400, "send either query= or update=, not both");
    if (req.has_param("query")) query = req.get_param_value("query");
    else if (req.has_param("update")) update = req.get_param_value("update");
    else return text(res, 400, "the form has neither query= nor update=");
  } else {
    return text(res, 415,
                "POST a query as application/sparql-query, an update as application/sparql-update, or either as "
                "application/x-www-form-urlencoded (query= / update=); got '" + ct + "'");
  }
  Caller who;
  if (!authenticate(req, res, &who, true)) return;
  if (!update.empty() || (req.method == "POST" && ct == "application/sparql-update"))
    return handleUpdate(req, res, who, update);
  handleQuery(req, res, who, query);
}

void Server::handleQuery(const httplib::Request& req, httplib::Response& res, const Caller& who,
                         const std::string& text_in) {
  sparql::ParseOptions po;
  auto parsed = sparql::parseQuery(text_in, po);
  if (!parsed) return text(res, 400, "query: " + parsed.status().message());
  sparql::Query& q = parsed.value();
  // Protocol dataset parameters override FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4).
  if (req.has_param("default-graph-uri") || req.has_param("named-graph-uri")) {
    q.from.clear();
    q.from_named.clear();
    for (size_t i = 0; i < req.get_param_value_count("default-graph-uri"); ++i)
      q.from.push_back(rdf::Term::iri(req.get_param_value("default-graph-uri", i)));
    for (size_t i = 0; i < req.get_param_value_count("named-graph-uri"); ++i)
      q.from_named.push_back(rdf::Term::iri(req.get_param_value("named-graph-uri", i)));
    q.has_dataset_clause = true;
  }
  const bool tabular = q.form == sparql::QueryForm::kSelect || q.form == sparql::QueryForm::kAsk;
  internal::Negotiated fmt;
  if (!internal::negotiate(req, tabular, &fmt))
    return text(res, 406, std::string("none of the formats in Accept can carry ") + (tabular ? "a result table" : "a graph") +
                              " (" + internal::offered(tabular) + ")");
  const Limits& lim = opts_.policy ? opts_.policy->limits : Limits{};
  if (!slots_->acquire(lim.queue_wait_seconds)) {
    res.set_header("Retry-After", "2");
    return text(res, 503, "the server is busy (all query slots taken and the queue full); retry later");
  }
  struct Release {
    Slots* s;
    ~Release() { s->release(); }
  } release{slots_.get()};

  db::StoreDataset store_data(store_.snapshot());
  std::unique_ptr<db::MergedDataset> merged;
  if (opts_.merge && who.read.allows(kInferredGraph)) merged = db::MergedDataset::over(store_data);
  const sparql::Dataset& base = merged ? static_cast<const sparql::Dataset&>(*merged) : store_data;
  db::FilteredDataset data(base, who.read);

  sparql::ExecOptions exec;
  exec.union_default_graph = true;
  exec.max_rows = lim.max_result_rows;
  exec.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(lim.timeout_seconds));
  std::unique_ptr<sparql::ServiceClient> service = serviceClient(who);
  exec.service = service.get();

  MemoryFile mem;
  if (!mem.open()) return text(res, 500, "out of memory");
  std::unique_ptr<sparql::ResultWriter> results;
  std::unique_ptr<rdf::QuadWriter> graph;
  sparql::QueryOutput out;
  if (tabular) {
    results = sparql::makeResultWriter(fmt.results, mem.file());
    out.results = results.get();
  } else {
    rdf::WriteOptions wo;
    for (const auto& [name, ns] : q.prefixes) wo.prefixes[name] = ns;
    graph = rdf::makeWriter(fmt.graph, mem.file(), wo);
    out.graph = graph.get();
  }
  Status st = sparql::executeQuery(q, data, exec, out);
  if (st && graph) st = graph->finish();
  if (!st) {
    std::string msg = st.message();
    if (st.code() == StatusCode::kAborted && Clock::now() >= exec.deadline)
      msg = "the query ran longer than this server's limit of " + internal::seconds(lim.timeout_seconds) + " s";
    else if (st.code() == StatusCode::kAborted)
      msg = "the result is larger than this server's limit of " + std::to_string(lim.max_result_rows) + " rows; " +
            "add LIMIT or narrow the query (" + msg + ")";
    return text(res, httpStatus(st), msg);
  }
  res.set_content(mem.take(), fmt.media_type);
}

// The SERVICE client of one request. A fixed key in the policy lends this
// server's identity at the remote, so only the roles the entry names (by
// default regulators and admins) may use it; forwarding the caller's own key
// lends nothing, so every role may.
std::unique_ptr<sparql::ServiceClient> Server::serviceClient(const Caller& who) const {
  if (!opts_.allow_service) return nullptr;
  net::SparqlClientOptions so;
  so.defaults.timeout = std::chrono::milliseconds(static_cast<int64_t>(opts_.service_timeout_seconds * 1000));
  if (opts_.policy) {
    const Policy* pol = &*opts_.policy;
    const ApiKey* caller = who.key;
    so.allow = [pol, caller](std::string_view endpoint) {
      const RemoteService* r = pol->service(endpoint);
      if (!r) return pol->allow_any_service;
      return caller != nullptr && r->mayUse(caller->role);
    };
    so.configure = [pol, key = who.presented](std::string_view endpoint, net::EndpointSettings& es) {
      const RemoteService* r = pol->service(endpoint);
      if (!r) return;
      es.timeout = std::chrono::milliseconds(static_cast<int64_t>(r->timeout_seconds * 1000));
      if (r->forward_caller_key && !key.empty()) es.headers.emplace_back("Authorization", "Bearer " + key);
      else if (!r->key.empty()) es.headers.emplace_back("Authorization", "Bearer " + r->key);
    };
  }
  return std::make_unique<net::SparqlServiceClient>(std::move(so));
}

void Server::handleUpdate(const httplib::Request&, httplib::Response& res, const Caller& who,
                          const std::string& text_in) {
  if (!opts_.policy)
    return text(res, 403, "this server has no access policy (weft serve --config) and takes no updates");
  if (who.key->role == Role::kRegulator || who.key->role == Role::kPartner)
    return text(res, 403, "a " + std::string(roleName(who.key->role)) + " key may not update");
  sparql::ParseOptions po;
  auto parsed = sparql::parseUpdate(text_in, po);
  if (!parsed) return text(res, 400, "update: " + parsed.status().message());
  const Limits& lim = opts_.policy->limits;
  if (!slots_->acquire(lim.queue_wait_seconds)) {
    res.set_header("Retry-After", "2");
    return text(res, 503, "the server is busy; retry later");
  }
  struct Release {
    Slots* s;
    ~Release() { s->release(); }
  } release{slots_.get()};
  uint64_t added = 0, removed = 0;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    auto txn = store_.begin();
    if (!txn) return text(res, 500, txn.status().message());
    db::OverlayDataset overlay(store_.snapshot());
    db::GuardedDataset guarded(overlay, who.read, who.write);
    sparql::ExecOptions exec;
    exec.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(lim.timeout_seconds));
    Status st = sparql::executeUpdate(parsed.value(), guarded, exec);
    if (st) st = overlay.commitTo(*txn.value());
    if (st) st = txn.value()->commit();
    else txn.value()->rollback();
    if (!st) return text(res, httpStatus(st), "update: " + st.message() + " (nothing was changed)");
    added = txn.value()->added();
    removed = txn.value()->removed();
  }
  // After the transaction is gone: incremental reasoning begins its own.
  if ((added || removed) && opts_.after_write) {
    std::lock_guard<std::mutex> lock(write_mu_);
    opts_.after_write();
  }
  res.set_content("{\"inserted\":" + std::to_string(added) + ",\"deleted\":" + std::to_string(removed) + "}\n",
                  "application/json");
}

void Server::serviceDescription(const httplib::Request& req, httplib::Response& res) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = opts_.bind + ":" + std::to_string(port_);
  res.set_content(internal::serviceDescription("http://" + host), "text/turtle; charset=utf-8");
}

// SPARQL 1.1 Graph Store HTTP Protocol, indirect identification:
// /rdf-graph-store?graph=IRI or ?default.
void Server::handleGraphStore(const httplib::Request& req, httplib::Response& res) {
  if (req.method == "OPTIONS") {
    res.set_header("Allow", "GET, HEAD, PUT, POST, DELETE, OPTIONS");
    res.status = 204;
    return;
  }
  const bool dflt = req.has_param("default");
  if (dflt == req.has_param("graph"))
    return text(res, 400, "name the graph with ?graph=IRI or ?default (one of them)");
  const std::string graph = dflt ? std::string() : req.get_param_value("graph");
  if (!dflt && graph.find(':') == std::string::npos)
    return text(res, 400, "?graph= must be an absolute IRI, got '" + graph + "'");
  Caller who;
  if (!authenticate(req, res, &who, true)) return;
  const bool may_read = dflt ? who.read.allowsDefaultGraph() : who.read.allows(graph);
  if (req.method == "GET") {
    if (!may_read) return text(res, 403, "this key may not read that graph");
    internal::Negotiated fmt;
    if (!internal::negotiate(req, false, &fmt)) return text(res, 406, "no acceptable RDF syntax (" + internal::offered(false) + ")");
    auto snap = store_.snapshot();
    store::TermId g = dflt ? store::kDefaultGraph : snap->lookup(rdf::TermView::iri(graph));
    MemoryFile mem;
    if (!mem.open()) return text(res, 500, "out of memory");
    uint64_t n = 0;
    Status st = internal::writeGraph(*snap, g, fmt.graph, mem.file(), &n);
    if (!st) return text(res, 500, st.message());
    if (n == 0 && !dflt) return text(res, 404, "no graph <" + graph + "> in this store");
    res.set_content(mem.take(), fmt.media_type);
    return;
  }
  if (!opts_.policy) return text(res, 403, "this server has no access policy (weft serve --config) and takes no writes");
  const bool may_write = dflt ? who.write.allowsDefaultGraph() : who.write.allows(graph);
  if (!may_write) return text(res, 403, "this key may not change that graph");
  uint64_t added = 0;
  Status st = writeGraph(who, graph, req.method, req.body, req.get_header_value("Content-Type"), &added);
  if (!st) return text(res, httpStatus(st), st.message() + " (nothing was changed)");
  res.status = added ? 201 : 204;
  if (added) res.set_content("{\"inserted\":" + std::to_string(added) + "}\n", "application/json");
}

Status Server::writeGraph(const Caller&, const std::string& graph, const std::string& method, const std::string& body,
                          const std::string& content_type, uint64_t* added) {
  rdf::Format f = rdf::Format::kUnknown;
  if (method != "DELETE") {
    f = internal::syntaxOfMediaType(internal::mediaType(content_type));
    if (f == rdf::Format::kUnknown)
      return Status::unsupported("Content-Type '" + content_type +
                                 "' is not an RDF graph syntax (text/turtle, application/n-triples, "
                                 "application/rdf+xml, application/ld+json)");
  }
  std::unique_lock<std::mutex> lock(write_mu_);
  auto txn_r = store_.begin();
  if (!txn_r) return txn_r.status();
  store::Transaction& txn = *txn_r.value();
  auto snap = store_.snapshot();
  const store::TermId g = graph.empty() ? store::kDefaultGraph : snap->lookup(rdf::TermView::iri(graph));
  const bool existed = g != store::kAny && snap->count(store::QuadIds{0, 0, 0, g}) > 0;
  if (method == "DELETE" && !existed) return Status::notFound("no graph <" + graph + "> in this store");
  if ((method == "PUT" || method == "DELETE") && existed) {
    auto cur = snap->scan(store::QuadIds{0, 0, 0, g});
    store::QuadIds qs[256];
    for (size_t n; (n = cur.nextBatch(qs, 256)) > 0;)
      for (size_t i = 0; i < n; ++i) txn.removeIds(qs[i]);
  }
  if (method != "DELETE") {
    store::Loader loader(&txn);
    loader.startDocument();
    rdf::ReadOptions ro;
    ro.format = f;
    ro.graph = graph;
    ro.display_name = "request body";
    ro.base_iri = graph.empty() ? "urn:weft:request" : graph;
    WEFT_TRY(rdf::readString(body, ro, loader));
  }
  WEFT_TRY(txn.commit());
  *added = txn.added();
  txn_r.value().reset();  // the reasoner's transaction comes next
  if (opts_.after_write) opts_.after_write();
  return Status::ok();
}

void Server::handleIngest(const httplib::Request& req, httplib::Response& res) {
  Caller who;
  if (!authenticate(req, res, &who, true)) return;
  if (!opts_.policy || !opts_.ingest) return text(res, 403, "this server takes no documents (no --config)");
  if (who.key->role != Role::kWriter && who.key->role != Role::kAdmin)
    return text(res, 403, "only writer and admin keys may ingest documents");
  const Organisation* org = opts_.policy->organisation(who.key->organisation);
  if (!org || org->graph_base.empty())
    return text(res, 403, "organisation '" + who.key->organisation + "' has no \"graph_base\" in the policy");
  std::string name = req.get_param_value("name");
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos || name[0] == '.')
    return text(res, 400, "give the document's file name as ?name=FILE.ext (no folders); connectors tell formats by it");
  if (req.body.empty()) return text(res, 400, "the request body (the document) is empty");
  // Staged and ingested under the writer lock: two requests with the same
  // document never share a half-written staging file.
  std::lock_guard<std::mutex> lock(write_mu_);
  std::error_code ec;
  fs::create_directories(opts_.upload_dir, ec);
  const std::string staged = opts_.upload_dir + "/" + sha256Hex(req.body).substr(0, 16) + "-" + name;
  {
    std::ofstream o(staged, std::ios::binary);
    o.write(req.body.data(), static_cast<std::streamsize>(req.body.size()));
    if (!o) return text(res, 500, "cannot stage the document in " + opts_.upload_dir);
  }
  Result<std::string> report = opts_.ingest({staged}, org->graph_base);
  fs::remove(staged, ec);
  if (!report) {
    // Name the document as the client did, not as it was staged.
    std::string msg = report.status().message();
    const std::string staged_name = fs::path(staged).filename().string();
    for (size_t at; (at = msg.find(staged_name)) != std::string::npos;) msg.replace(at, staged_name.size(), name);
    return text(res, 422, msg);
  }
  res.set_content(report.value(), "application/json");
}

}  // namespace weft::server
