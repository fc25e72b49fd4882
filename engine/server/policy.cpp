// SPDX-License-Identifier: Apache-2.0
#include "engine/server/policy.h"

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <sstream>

namespace weft::server {
namespace {

using rapidjson::Value;

Status bad(const std::string& file, const std::string& where, const std::string& what) {
  return Status::invalidArgument(file + ": " + where + ": " + what);
}

Result<db::GraphGrant> grantOf(const Value& v, const std::string& file, const std::string& where) {
  db::GraphGrant g;
  if (!v.IsArray()) return bad(file, where, "expected an array of graph IRIs or patterns (\"IRI\", \"PREFIX*\", \"*\", \"default\")");
  for (const auto& p : v.GetArray()) {
    if (!p.IsString() || p.GetStringLength() == 0) return bad(file, where, "every pattern is a non-empty string");
    std::string_view s(p.GetString(), p.GetStringLength());
    if (s != "*" && s != "default" && s.find(':') == std::string_view::npos)
      return bad(file, where, "'" + std::string(s) + "' is neither an absolute IRI, a prefix ending in '*', '*' nor 'default'");
    g.add(s);
  }
  return g;
}

Result<Role> roleOf(std::string_view s) {
  if (s == "regulator") return Role::kRegulator;
  if (s == "partner") return Role::kPartner;
  if (s == "writer") return Role::kWriter;
  if (s == "admin") return Role::kAdmin;
  return Status::invalidArgument("unknown role '" + std::string(s) + "' (regulator, partner, writer, admin)");
}

bool isHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Reads a number member if present; errors name the member.
Status number(const Value& obj, const char* name, double lo, double* out, const std::string& file) {
  if (!obj.HasMember(name)) return Status::ok();
  const Value& v = obj[name];
  if (!v.IsNumber() || v.GetDouble() < lo)
    return bad(file, std::string("limits.") + name, "expected a number >= " + std::to_string(lo));
  *out = v.GetDouble();
  return Status::ok();
}

}  // namespace

std::string_view roleName(Role r) {
  switch (r) {
    case Role::kRegulator: return "regulator";
    case Role::kPartner: return "partner";
    case Role::kWriter: return "writer";
    case Role::kAdmin: return "admin";
  }
  return "?";
}

std::string sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

Result<Policy> Policy::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError(path + ": cannot open the policy file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

Result<Policy> Policy::parse(std::string_view json, const std::string& file) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    return Status::syntaxError(file + ": offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                               rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return bad(file, "top level", "expected a JSON object");
  Policy p;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string_view m(it->name.GetString(), it->name.GetStringLength());
    if (m != "organisations" && m != "keys" && m != "limits" && m != "services" && m != "allow_any_service" &&
        m != "comment")
      return bad(file, std::string(m), "unknown member (organisations, keys, limits, services, allow_any_service)");
  }
  if (doc.HasMember("organisations")) {
    const Value& orgs = doc["organisations"];
    if (!orgs.IsObject()) return bad(file, "organisations", "expected an object of organisation name -> {read, write}");
    for (auto it = orgs.MemberBegin(); it != orgs.MemberEnd(); ++it) {
      Organisation o;
      o.name = it->name.GetString();
      const std::string where = "organisations." + o.name;
      if (!it->value.IsObject()) return bad(file, where, "expected an object with \"read\" and/or \"write\"");
      if (it->value.HasMember("read")) {
        auto g = grantOf(it->value["read"], file, where + ".read");
        if (!g.isOk()) return g.status();
        o.read = std::move(g.value());
      }
      if (it->value.HasMember("write")) {
        auto g = grantOf(it->value["write"], file, where + ".write");
        if (!g.isOk()) return g.status();
        o.write = std::move(g.value());
      }
      if (it->value.HasMember("graph_base")) {
        if (!it->value["graph_base"].IsString()) return bad(file, where + ".graph_base", "expected an IRI");
        o.graph_base = it->value["graph_base"].GetString();
        if (!o.write.allows(o.graph_base + "x"))
          return bad(file, where + ".graph_base", "<" + o.graph_base + "...> is not in the organisation's \"write\" graphs");
      }
      p.organisations.emplace(o.name, std::move(o));
    }
  }
  if (doc.HasMember("keys")) {
    const Value& keys = doc["keys"];
    if (!keys.IsArray()) return bad(file, "keys", "expected an array");
    size_t i = 0;
    for (const auto& k : keys.GetArray()) {
      const std::string where = "keys[" + std::to_string(i++) + "]";
      if (!k.IsObject()) return bad(file, where, "expected an object {name, sha256, role, organisation}");
      auto str = [&](const char* n) -> std::string {
        return k.HasMember(n) && k[n].IsString() ? std::string(k[n].GetString(), k[n].GetStringLength()) : "";
      };
      ApiKey key;
      key.name = str("name");
      key.sha256_hex = str("sha256");
      key.organisation = str("organisation");
      if (key.name.empty()) return bad(file, where, "\"name\" is missing");
      if (!isHex64(key.sha256_hex))
        return bad(file, where + ".sha256", "expected the key's SHA-256 as 64 lower-case hex digits (weft serve --hash-key)");
      auto role = roleOf(str("role"));
      if (!role.isOk()) return bad(file, where + ".role", role.status().message());
      key.role = role.value();
      if (p.organisations.count(key.organisation) == 0)
        return bad(file, where + ".organisation", "'" + key.organisation + "' is not in \"organisations\"");
      p.keys.push_back(std::move(key));
    }
  }
  if (doc.HasMember("limits")) {
    const Value& l = doc["limits"];
    if (!l.IsObject()) return bad(file, "limits", "expected an object");
    double rows = static_cast<double>(p.limits.max_result_rows), body = static_cast<double>(p.limits.max_body_bytes);
    double conc = p.limits.max_concurrent, queued = p.limits.max_queued;
    WEFT_TRY(number(l, "timeout_seconds", 0.001, &p.limits.timeout_seconds, file));
    WEFT_TRY(number(l, "max_result_rows", 1, &rows, file));
    WEFT_TRY(number(l, "max_body_bytes", 1024, &body, file));
    WEFT_TRY(number(l, "max_concurrent", 1, &conc, file));
    WEFT_TRY(number(l, "max_queued", 0, &queued, file));
    WEFT_TRY(number(l, "queue_wait_seconds", 0, &p.limits.queue_wait_seconds, file));
    p.limits.max_result_rows = static_cast<uint64_t>(rows);
    p.limits.max_body_bytes = static_cast<uint64_t>(body);
    p.limits.max_concurrent = static_cast<unsigned>(conc);
    p.limits.max_queued = static_cast<unsigned>(queued);
  }
  if (doc.HasMember("services")) {
    const Value& svc = doc["services"];
    if (!svc.IsArray()) return bad(file, "services", "expected an array of {endpoint, key, forward_caller_key, timeout_seconds}");
    size_t i = 0;
    for (const auto& s : svc.GetArray()) {
      const std::string where = "services[" + std::to_string(i++) + "]";
      if (!s.IsObject() || !s.HasMember("endpoint") || !s["endpoint"].IsString())
        return bad(file, where, "expected an object with an \"endpoint\" URL");
      RemoteService r;
      r.endpoint = s["endpoint"].GetString();
      if (s.HasMember("key") && s["key"].IsString()) r.key = s["key"].GetString();
      if (s.HasMember("forward_caller_key")) {
        if (!s["forward_caller_key"].IsBool()) return bad(file, where + ".forward_caller_key", "expected true or false");
        r.forward_caller_key = s["forward_caller_key"].GetBool();
      }
      WEFT_TRY(number(s, "timeout_seconds", 0.001, &r.timeout_seconds, file));
      if (s.HasMember("roles")) {
        if (!s["roles"].IsArray()) return bad(file, where + ".roles", "expected an array of role names");
        for (const auto& x : s["roles"].GetArray()) {
          auto role = roleOf(x.IsString() ? x.GetString() : "");
          if (!role.isOk()) return bad(file, where + ".roles", role.status().message());
          r.roles.push_back(role.value());
        }
      }
      p.services.push_back(std::move(r));
    }
  }
  if (doc.HasMember("allow_any_service")) {
    if (!doc["allow_any_service"].IsBool()) return bad(file, "allow_any_service", "expected true or false");
    p.allow_any_service = doc["allow_any_service"].GetBool();
  }
  return p;
}

const Organisation* Policy::organisation(std::string_view name) const {
  auto it = organisations.find(std::string(name));
  return it == organisations.end() ? nullptr : &it->second;
}

const ApiKey* Policy::authenticate(std::string_view presented) const {
  if (presented.empty()) return nullptr;
  const std::string h = sha256Hex(presented);
  const ApiKey* found = nullptr;
  for (const auto& k : keys) {
    // Compare every byte of every key: the time taken does not depend on
    // where a wrong key first differs.
    unsigned char diff = 0;
    for (size_t i = 0; i < 64; ++i) diff |= static_cast<unsigned char>(h[i] ^ k.sha256_hex[i]);
    if (diff == 0 && found == nullptr) found = &k;
  }
  return found;
}

bool RemoteService::mayUse(Role r) const {
  if (roles.empty()) return forward_caller_key || r == Role::kRegulator || r == Role::kAdmin;
  for (Role x : roles)
    if (x == r) return true;
  return false;
}

const RemoteService* Policy::service(std::string_view endpoint) const {
  for (const auto& s : services)
    if (s.endpoint == endpoint) return &s;
  return nullptr;
}

db::GraphGrant Policy::readGrant(const ApiKey& k) const {
  const Organisation* o = organisation(k.organisation);
  if (k.role == Role::kAdmin) return db::GraphGrant::everything();
  return o ? o->read : db::GraphGrant();
}

db::GraphGrant Policy::writeGrant(const ApiKey& k) const {
  if (k.role == Role::kAdmin) return db::GraphGrant::everything();
  if (k.role != Role::kWriter) return db::GraphGrant();
  const Organisation* o = organisation(k.organisation);
  return o ? o->write : db::GraphGrant();
}

}  // namespace weft::server
