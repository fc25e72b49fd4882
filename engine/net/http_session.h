// SPDX-License-Identifier: Apache-2.0
// A sequence of requests to one server over one libcurl handle, for
// `weft push`: the connection is kept alive between batches, and HTTP
// authentication (Basic or Digest, whichever the server asks for) is
// negotiated once and then sent up front. net::send (http_client.h) opens a
// fresh handle per call, so every Digest-protected request would cost a
// 401 round trip, with its body uploaded twice. Same limits and error
// conventions as net::send. Not thread-safe: one session per thread.
#pragma once

#include <memory>
#include <string>

#include "engine/core/status.h"
#include "engine/net/http_client.h"

namespace weft::net {

class HttpSession {
 public:
  HttpSession();
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // "USER:PASSWORD" for HTTP Basic or Digest authentication; "" for none.
  void setCredentials(std::string user_password) { credentials_ = std::move(user_password); }

  // Transport failures (connection refused, timeout, body over the cap) are
  // errors; any HTTP status, including 4xx/5xx, is a response.
  Result<HttpResponse> send(const HttpRequest& req);

 private:
  struct Handle;
  std::unique_ptr<Handle> h_;
  std::string credentials_;
};

}  // namespace weft::net
