// SPDX-License-Identifier: Apache-2.0
// What net::send (http_client.cpp) and HttpSession (http_session.cpp) share
// around libcurl: one global init, a capped response-body sink, list cleanup.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <mutex>
#include <string>

namespace weft::net::internal {

inline void curlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Appends the response body up to `cap` bytes; beyond it, stops the transfer
// (curl then reports CURLE_WRITE_ERROR) and sets `over`.
struct BodySink {
  std::string* body;
  uint64_t cap;
  bool over = false;
};

inline size_t onBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  size_t len = size * n;
  if (sink->body->size() + len > sink->cap) {
    sink->over = true;
    return 0;
  }
  sink->body->append(data, len);
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace weft::net::internal
