// SPDX-License-Identifier: Apache-2.0
#include "engine/net/http_client.h"

#include <curl/curl.h>

#include <memory>

#include "engine/net/internal/curl_common.h"

namespace weft::net {

Result<HttpResponse> send(const HttpRequest& req) {
  internal::curlGlobalInit();
  std::unique_ptr<CURL, internal::CurlDeleter> curl(curl_easy_init());
  if (!curl) return Status::internal("libcurl: cannot create a handle");
  CURL* c = curl.get();
  HttpResponse resp;
  internal::BodySink sink{&resp.body, req.max_response_bytes};
  curl_slist* raw_headers = nullptr;
  for (const auto& [name, value] : req.headers) raw_headers = curl_slist_append(raw_headers, (name + ": " + value).c_str());
  // libcurl adds "Expect: 100-continue" to large POSTs; some servers answer it slowly.
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  std::unique_ptr<curl_slist, internal::ListDeleter> headers(raw_headers);

  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM (threads)
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, internal::onBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (req.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    if (req.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (sink.over)
    return Status::aborted(req.url + ": response larger than " + std::to_string(req.max_response_bytes) + " bytes");
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return Status::aborted(req.url + ": no complete answer within " + std::to_string(req.timeout.count()) + " ms");
  if (rc != CURLE_OK) return Status::ioError(req.url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  char* ct = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr) resp.content_type = ct;
  return resp;
}

std::string urlEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char ch : s) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
        ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(hex[ch >> 4]);
      out.push_back(hex[ch & 15]);
    }
  }
  return out;
}

}  // namespace weft::net
