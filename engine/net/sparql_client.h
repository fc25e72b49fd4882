// SPDX-License-Identifier: Apache-2.0
// The HTTP client of SERVICE: sparql::ServiceClient over net::send
// (libcurl). Each call is one POST of the query (SPARQL 1.1 Protocol,
// https://www.w3.org/TR/sparql11-protocol/#query-operation) asking for
// results as JSON or XML; the engine parses the answer. The server's policy
// plugs in through two callbacks: which endpoints may be called at all, and
// the settings of each (timeout, an Authorization header: a fixed key per
// remote, or the caller's own). Thread-safe if the callbacks are.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sparql/service.h"

namespace weft::net {

struct EndpointSettings {
  // Longest wait for one call (the query's remaining time may cut it shorter).
  std::chrono::milliseconds timeout{30000};
  // Sent with the request, e.g. {"Authorization", "Bearer ..."}.
  std::vector<std::pair<std::string, std::string>> headers;
  // Largest answer accepted; larger is a failure of the call.
  uint64_t max_response_bytes = 64ull << 20;
  // POST application/x-www-form-urlencoded "query=..." instead of
  // application/sparql-query (for endpoints that take only forms).
  bool form_encoded = false;
};

struct SparqlClientOptions {
  EndpointSettings defaults;
  // Server policy: false refuses the endpoint ("SERVICE <x> is not allowed by
  // this server's policy"). Null: every http(s) endpoint is allowed.
  std::function<bool(std::string_view endpoint)> allow;
  // Per-endpoint settings, starting from `defaults` (null: the defaults).
  std::function<void(std::string_view endpoint, EndpointSettings& settings)> configure;
};

class SparqlServiceClient : public sparql::ServiceClient {
 public:
  explicit SparqlServiceClient(SparqlClientOptions opts = {}) : opts_(std::move(opts)) {}
  Result<sparql::ServiceReply> call(const sparql::ServiceRequest& req) override;

  static constexpr const char* kAccept =
      "application/sparql-results+json, application/sparql-results+xml;q=0.9";

 private:
  SparqlClientOptions opts_;
};

}  // namespace weft::net
