// SPDX-License-Identifier: Apache-2.0
// The serving policy (docs/serving.md): organisations and the graphs they may
// read and write, API keys (stored only as SHA-256 hashes) bound to a role and
// an organisation, protection limits, and remote SPARQL services. One JSON
// file, given to `weft serve --config` and `weft export --config`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/db/graph_filter.h"

namespace weft::server {

enum class Role { kRegulator, kPartner, kWriter, kAdmin };
std::string_view roleName(Role r);

struct Organisation {
  std::string name;
  db::GraphGrant read, write;
  // Documents its writer keys POST to /ingest go to graphs under this IRI
  // (it must lie in `write`); empty: such keys cannot ingest.
  std::string graph_base;
};

struct ApiKey {
  std::string name;          // for logs, never the key itself
  std::string sha256_hex;    // lower-case hex SHA-256 of the key's bytes
  Role role = Role::kPartner;
  std::string organisation;  // a key of organisations
};

struct Limits {
  double timeout_seconds = 30;           // per query or update
  uint64_t max_result_rows = 100000;     // rows (SELECT) or triples (CONSTRUCT/DESCRIBE)
  uint64_t max_body_bytes = 64ull << 20; // request bodies (queries, updates, uploads)
  unsigned max_concurrent = 4;           // queries and updates running at once
  unsigned max_queued = 64;              // waiting for a slot; more get 503
  double queue_wait_seconds = 10;        // longest wait for a slot before 503
};

// A remote SPARQL endpoint that SERVICE may call. Calls to endpoints not
// listed are refused unless `allow_any_service` is set.
struct RemoteService {
  std::string endpoint;              // exact URL as written in SERVICE <...>
  std::string key;                   // sent as "Authorization: Bearer KEY" (empty: none)
  bool forward_caller_key = false;   // send the caller's own key instead
  double timeout_seconds = 30;
  // Who may call it: empty means every role when the caller's key is
  // forwarded, else regulators and admins (a fixed key is this server's).
  std::vector<Role> roles;
  bool mayUse(Role r) const;
};

struct Policy {
  std::map<std::string, Organisation> organisations;
  std::vector<ApiKey> keys;
  Limits limits;
  std::vector<RemoteService> services;
  bool allow_any_service = false;

  // Parses the JSON policy; errors name the file and the member.
  static Result<Policy> load(const std::string& path);
  static Result<Policy> parse(std::string_view json, const std::string& name);
  const Organisation* organisation(std::string_view name) const;
  // The key whose hash matches `presented` (constant-time comparison), or null.
  const ApiKey* authenticate(std::string_view presented) const;
  const RemoteService* service(std::string_view endpoint) const;
  // What a key may read / write: regulators and admins read every graph their
  // organisation is granted ("*" for everything); partners and writers their
  // organisation's read grant; writers write their organisation's write grant,
  // admins everything, regulators and partners nothing.
  db::GraphGrant readGrant(const ApiKey& k) const;
  db::GraphGrant writeGrant(const ApiKey& k) const;
};

// Lower-case hex SHA-256 of the bytes (libcrypto).
std::string sha256Hex(std::string_view bytes);

}  // namespace weft::server
