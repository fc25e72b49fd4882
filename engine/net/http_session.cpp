// SPDX-License-Identifier: Apache-2.0
#include "engine/net/http_session.h"

#include <curl/curl.h>

#include "engine/net/internal/curl_common.h"

namespace weft::net {

struct HttpSession::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

HttpSession::HttpSession() : h_(std::make_unique<Handle>()) {}
HttpSession::~HttpSession() = default;

Result<HttpResponse> HttpSession::send(const HttpRequest& req) {
  internal::curlGlobalInit();
  if (!h_->curl) h_->curl = curl_easy_init();
  if (!h_->curl) return Status::internal("libcurl: cannot create a handle");
  CURL* c = h_->curl;
  HttpResponse resp;
  internal::BodySink sink{&resp.body, req.max_response_bytes};
  curl_slist* raw_headers = nullptr;
  for (const auto& [name, value] : req.headers)
    raw_headers = curl_slist_append(raw_headers, (name + ": " + value).c_str());
  // libcurl adds "Expect: 100-continue" to large bodies; some servers answer it slowly.
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  std::unique_ptr<curl_slist, internal::ListDeleter> headers(raw_headers);

  // Every option a request may change is set on every request: the handle
  // is reused (for its connection and its authentication state), so nothing
  // may leak from the previous one.
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM (threads)
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, internal::onBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (credentials_.empty()) {
    curl_easy_setopt(c, CURLOPT_USERPWD, nullptr);
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  } else {
    curl_easy_setopt(c, CURLOPT_USERPWD, credentials_.c_str());
    // Basic or Digest, as the server's 401 asks (Virtuoso's *-auth endpoints
    // want Digest).
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC | CURLAUTH_DIGEST));
  }
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, nullptr);
  curl_easy_setopt(c, CURLOPT_NOBODY, 0L);
  if (req.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    if (req.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  // The header list dies with this call; the handle must not point at it.
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  if (sink.over)
    return Status::aborted(req.url + ": response larger than " +
                           std::to_string(req.max_response_bytes) + " bytes");
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return Status::aborted(req.url + ": no complete answer within " +
                           std::to_string(req.timeout.count()) + " ms");
  if (rc != CURLE_OK) return Status::ioError(req.url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  char* ct = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr)
    resp.content_type = ct;
  return resp;
}

}  // namespace weft::net
