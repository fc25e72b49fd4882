// SPDX-License-Identifier: Apache-2.0
// Federated query: the engine's side of SERVICE
// (https://www.w3.org/TR/sparql11-federated-query/). The engine never talks
// to the network itself; it hands each remote call to a ServiceClient that
// ExecOptions::service points to (null: SERVICE is refused, SERVICE SILENT
// gives one empty solution). engine/net/sparql_client.h is the HTTP client
// (libcurl); tests use in-process fakes.
//
// What the engine sends: the SERVICE group as written, with the query's
// PREFIX / BASE prologue, as `SELECT * WHERE { ... }`. When earlier patterns
// have bound variables of the group, the distinct values of those variables
// follow in a trailing `VALUES (?a ?b) { ... }` block, one call per batch of
// rows (ExecOptions::service_batch). A block in which some variable is
// UNDEF (or holds a blank node, which cannot be sent) also carries a row
// number variable, so the engine can join each remote row with exactly the
// rows of the batch it was asked for (without it, a remote row that leaves
// a variable unbound would match several binding rows and be counted twice).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/status.h"
#include "engine/sparql/results.h"

namespace weft::sparql {

struct ServiceRequest {
  std::string endpoint;  // the endpoint IRI
  std::string query;     // a complete SPARQL 1.1 SELECT query
  // Time left before the query's deadline (ExecOptions::deadline); 0 = the
  // query has none. The client waits at most the smaller of this and its own
  // per-endpoint timeout.
  std::chrono::milliseconds timeout{0};
  // The query's result-row cap (ExecOptions::max_rows; 0 = none): a remote
  // answer with more rows is refused by the engine, so a client may stop
  // reading early.
  uint64_t max_rows = 0;
  // Set when the query is cancelled (may be null). A blocking client need
  // not watch it; the engine checks it before and after every call.
  const std::atomic<bool>* cancel = nullptr;
};

// A remote answer: a SPARQL results document as received, which the engine
// parses (JSON, XML, TSV or CSV by media type, else by its first character),
// or results the client has already parsed (in-process clients).
struct ServiceReply {
  std::string media_type;  // the Content-Type, parameters allowed
  std::string body;
  std::optional<ResultSet> results;  // used instead of the body when set
};

// One remote call. Errors (transport, timeout, an HTTP status other than
// 2xx, a refused endpoint) are returned as a Status whose message names the
// endpoint ("SERVICE <http://x/sparql>: HTTP 503 ..."); the engine adds the
// name if it is missing. Thread-safety: a client shared by queries that run
// at the same time must allow concurrent calls.
class ServiceClient {
 public:
  virtual ~ServiceClient() = default;
  virtual Result<ServiceReply> call(const ServiceRequest& req) = 0;
};

// The results of a reply (`results` if set, else the body parsed by media
// type). An ASK answer is an error: SERVICE needs solutions.
Result<ResultSet> parseServiceReply(ServiceReply reply);

}  // namespace weft::sparql
