// SPDX-License-Identifier: Apache-2.0
// SERVICE over HTTP (sparql_client.h).
#include "engine/net/sparql_client.h"

#include <algorithm>
#include <cctype>

#include "engine/net/http_client.h"

namespace weft::net {

namespace {

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// The start of an error page, on one line, for the message.
std::string snippet(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 200)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (body.size() > 200) out += "...";
  return out;
}

}  // namespace

Result<sparql::ServiceReply> SparqlServiceClient::call(const sparql::ServiceRequest& req) {
  const std::string name = "SERVICE <" + req.endpoint + ">";
  if (!startsWithNoCase(req.endpoint, "http://") && !startsWithNoCase(req.endpoint, "https://"))
    return Status::invalidArgument(name + ": only http and https endpoints can be called");
  if (opts_.allow && !opts_.allow(req.endpoint))
    return Status::permissionDenied(name + " is not allowed by this server's policy");
  EndpointSettings settings = opts_.defaults;
  if (opts_.configure) opts_.configure(req.endpoint, settings);

  HttpRequest http;
  http.method = "POST";
  http.url = req.endpoint;
  http.timeout = settings.timeout;
  if (req.timeout.count() > 0) http.timeout = std::min(http.timeout, req.timeout);
  http.max_response_bytes = settings.max_response_bytes;
  http.headers.emplace_back("Accept", kAccept);
  if (settings.form_encoded) {
    http.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    http.body = "query=" + urlEncode(req.query);
  } else {
    http.headers.emplace_back("Content-Type", "application/sparql-query");
    http.body = req.query;
  }
  for (const auto& h : settings.headers) http.headers.push_back(h);

  auto resp = send(http);
  if (!resp) {
    // net::send names the URL first ("http://x/sparql: Couldn't connect ...").
    std::string msg = resp.status().message();
    if (msg.rfind(req.endpoint + ": ", 0) == 0) msg = msg.substr(req.endpoint.size() + 2);
    return Status(resp.status().code(), name + ": " + msg);
  }
  HttpResponse& r = resp.value();
  if (r.status < 200 || r.status > 299) {
    std::string msg = name + ": HTTP " + std::to_string(r.status);
    std::string body = snippet(r.body);
    if (!body.empty()) msg += ": " + body;
    return Status::ioError(msg);
  }
  sparql::ServiceReply reply;
  reply.media_type = std::move(r.content_type);
  reply.body = std::move(r.body);
  return reply;
}

}  // namespace weft::net
