// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <set>

namespace weft::stream {

const char* kindName(Kind k) {
  switch (k) {
    case Kind::kHistorianSamples: return "historian-samples";
    case Kind::kMes: return "mes";
    case Kind::kEpcis: return "epcis";
    case Kind::kDocument: return "document";
  }
  return "?";
}

namespace {

Status uintMember(const rapidjson::Value& v, const char* key, uint64_t lo, uint64_t hi, const std::string& where,
                  uint64_t* out) {
  if (!v.IsUint64() || v.GetUint64() < lo || v.GetUint64() > hi)
    return Status::invalidArgument(where + ": \"" + key + "\" must be a whole number from " + std::to_string(lo) +
                                   " to " + std::to_string(hi));
  *out = v.GetUint64();
  return Status::ok();
}

Status stringMember(const rapidjson::Value& v, const char* key, const std::string& where, std::string* out) {
  if (!v.IsString() || v.GetStringLength() == 0)
    return Status::invalidArgument(where + ": \"" + key + "\" must be a non-empty string");
  out->assign(v.GetString(), v.GetStringLength());
  return Status::ok();
}

}  // namespace

namespace {

std::vector<std::string_view> levels(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find('/', start);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

bool validFilter(std::string_view f) {
  if (f.empty() || f.size() > 65535 || f.find('\0') != std::string_view::npos) return false;
  std::vector<std::string_view> ls = levels(f);
  for (size_t i = 0; i < ls.size(); ++i) {
    if (ls[i].find_first_of("+#") == std::string_view::npos) continue;
    if (ls[i].size() != 1) return false;                   // "a+" or "#b"
    if (ls[i] == "#" && i + 1 != ls.size()) return false;  // # only last
  }
  return true;
}

bool topicMatches(std::string_view filter, std::string_view topic) {
  if (!topic.empty() && topic[0] == '$' && !filter.empty() && (filter[0] == '+' || filter[0] == '#')) return false;
  std::vector<std::string_view> f = levels(filter), t = levels(topic);
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == "#") return true;  // the rest, including none ("a/#" matches "a")
    if (i >= t.size()) return false;
    if (f[i] != "+" && f[i] != t[i]) return false;
  }
  return f.size() == t.size();
}

const Route* routeFor(const Config& c, std::string_view topic) {
  for (const Route& r : c.routes)
    if (topicMatches(r.topic, topic)) return &r;
  return nullptr;
}

Result<Config> parseConfig(std::string_view json, const std::string& name) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());  // any nesting depth, no recursion
  if (d.HasParseError())
    return Status::syntaxError(name + ": offset " + std::to_string(d.GetErrorOffset()) + ": " +
                               rapidjson::GetParseError_En(d.GetParseError()));
  if (!d.IsObject()) return Status::invalidArgument(name + ": the configuration must be a JSON object");
  Config c;
  bool have_routes = false;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    const rapidjson::Value& v = it->value;
    uint64_t n = 0;
    if (key == "client_id") {
      WEFT_TRY(stringMember(v, "client_id", name, &c.client_id));
      if (c.client_id.size() > 256)  // MQTT 3.1.1 lets a broker refuse more than 23 bytes; mosquitto takes more
        return Status::invalidArgument(name + ": \"client_id\" is too long");
    } else if (key == "batch_max_messages") {
      WEFT_TRY(uintMember(v, "batch_max_messages", 1, 1000000, name, &n));
      c.batch_max_messages = static_cast<uint32_t>(n);
    } else if (key == "batch_max_ms") {
      WEFT_TRY(uintMember(v, "batch_max_ms", 1, 600000, name, &n));
      c.batch_max_ms = static_cast<uint32_t>(n);
    } else if (key == "queue_max_messages") {
      WEFT_TRY(uintMember(v, "queue_max_messages", 1, 10000000, name, &n));
      c.queue_max_messages = static_cast<uint32_t>(n);
    } else if (key == "keepalive_s") {
      WEFT_TRY(uintMember(v, "keepalive_s", 5, 65535, name, &n));
      c.keepalive_s = static_cast<uint32_t>(n);
    } else if (key == "max_payload_bytes") {
      WEFT_TRY(uintMember(v, "max_payload_bytes", 1, uint64_t{256} << 20, name, &n));
      c.max_payload_bytes = n;
    } else if (key == "routes") {
      have_routes = true;
      if (!v.IsArray() || v.Empty()) return Status::invalidArgument(name + ": \"routes\" must be a non-empty array");
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        const std::string where = name + ": routes[" + std::to_string(i) + "]";
        const rapidjson::Value& r = v[i];
        if (!r.IsObject()) return Status::invalidArgument(where + " must be an object");
        Route route;
        bool have_kind = false;
        for (auto m = r.MemberBegin(); m != r.MemberEnd(); ++m) {
          std::string k(m->name.GetString(), m->name.GetStringLength());
          if (k == "topic") {
            WEFT_TRY(stringMember(m->value, "topic", where, &route.topic));
            if (!validFilter(route.topic))
              return Status::invalidArgument(where + ": '" + route.topic +
                                             "' is not an MQTT topic filter (+ and # stand alone in a level, # "
                                             "only last)");
          } else if (k == "kind") {
            std::string kind;
            WEFT_TRY(stringMember(m->value, "kind", where, &kind));
            have_kind = true;
            if (kind == "historian-samples")
              route.kind = Kind::kHistorianSamples;
            else if (kind == "mes")
              route.kind = Kind::kMes;
            else if (kind == "epcis")
              route.kind = Kind::kEpcis;
            else if (kind == "document")
              route.kind = Kind::kDocument;
            else
              return Status::invalidArgument(where + ": kind '" + kind +
                                             "' is not historian-samples, mes, epcis or document");
          } else if (k == "connector") {
            WEFT_TRY(stringMember(m->value, "connector", where, &route.connector));
          } else if (k == "id_field") {
            WEFT_TRY(stringMember(m->value, "id_field", where, &route.id_field));
          } else {
            return Status::invalidArgument(where + ": unknown key \"" + k + "\" (topic, kind, connector, id_field)");
          }
        }
        if (route.topic.empty()) return Status::invalidArgument(where + ": \"topic\" is missing");
        if (!have_kind) return Status::invalidArgument(where + ": \"kind\" is missing");
        if (route.kind == Kind::kHistorianSamples && !route.connector.empty())
          return Status::invalidArgument(where + ": historian samples take no \"connector\"");
        c.routes.push_back(std::move(route));
      }
    } else {
      return Status::invalidArgument(name + ": unknown key \"" + key +
                                     "\" (client_id, routes, batch_max_messages, batch_max_ms, "
                                     "queue_max_messages, keepalive_s, max_payload_bytes)");
    }
  }
  if (!have_routes) return Status::invalidArgument(name + ": \"routes\" is missing");
  std::set<std::string> seen;
  for (const Route& r : c.routes)
    if (!seen.insert(r.topic).second)
      return Status::invalidArgument(name + ": topic filter '" + r.topic + "' is given twice");
  return c;
}

}  // namespace weft::stream
