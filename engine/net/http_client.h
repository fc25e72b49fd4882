// SPDX-License-Identifier: Apache-2.0
// Outgoing HTTP for SERVICE calls and `weft push` (libcurl). One request per
// call, blocking, with a whole-request timeout and a cap on the response body
// so a hostile or broken remote cannot fill memory. Thread-safe: each call
// uses its own curl handle (curl_global_init runs once, on first use).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/status.h"

namespace weft::net {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, DELETE, HEAD
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;
  std::chrono::milliseconds timeout{30000};
  uint64_t max_response_bytes = 256ull << 20;
};

struct HttpResponse {
  long status = 0;
  std::string content_type;  // the Content-Type header, as sent
  std::string body;
};

// Transport failures (connection refused, timeout, body over the cap) are
// errors; any HTTP status, including 4xx/5xx, is a response.
Result<HttpResponse> send(const HttpRequest& req);

// "application/x-www-form-urlencoded" escaping of one value.
std::string urlEncode(std::string_view s);

}  // namespace weft::net
