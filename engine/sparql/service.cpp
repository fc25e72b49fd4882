// SPDX-License-Identifier: Apache-2.0
// Reading a SERVICE reply (service.h). The operator that makes the calls is
// internal/ops_service.cpp.
#include "engine/sparql/service.h"

#include <cctype>

namespace weft::sparql {

namespace {

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The results format of a media type; false if it names none we read.
bool formatOfMediaType(std::string_view media_type, ResultFormat* f) {
  std::string m = lower(media_type.substr(0, media_type.find(';')));
  while (!m.empty() && m.back() == ' ') m.pop_back();
  if (m == "application/sparql-results+json" || m == "application/json")
    *f = ResultFormat::kJson;
  else if (m == "application/sparql-results+xml" || m == "application/xml" || m == "text/xml")
    *f = ResultFormat::kXml;
  else if (m == "text/tab-separated-values")
    *f = ResultFormat::kTsv;
  else if (m == "text/csv")
    *f = ResultFormat::kCsv;
  else
    return false;
  return true;
}

}  // namespace

Result<ResultSet> parseServiceReply(ServiceReply reply) {
  ResultSet rs;
  if (reply.results) {
    rs = std::move(*reply.results);
  } else {
    ResultFormat f;
    if (!formatOfMediaType(reply.media_type, &f)) {
      // No or an unhelpful Content-Type (text/plain, octet-stream): guess
      // from the document itself.
      size_t i = reply.body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
      char c = i == std::string::npos ? '\0' : reply.body[i];
      if (c == '{')
        f = ResultFormat::kJson;
      else if (c == '<')
        f = ResultFormat::kXml;
      else
        return Status::syntaxError("the answer is not SPARQL results (Content-Type '" +
                                   reply.media_type + "')");
    }
    auto parsed = parseResults(reply.body, f);
    if (!parsed) return parsed.status();
    rs = std::move(parsed.value());
  }
  if (rs.is_boolean) return Status::syntaxError("the answer is a boolean (ASK), not solutions");
  for (const auto& row : rs.rows)
    if (row.size() != rs.vars.size())
      return Status::syntaxError("a result row has " + std::to_string(row.size()) + " values for " +
                                 std::to_string(rs.vars.size()) + " variables");
  return rs;
}

}  // namespace weft::sparql
