// SPDX-License-Identifier: Apache-2.0
// The configuration of `weft stream` (docs/streaming.md): which MQTT topics
// carry what, how messages are batched into transactions, how many may wait
// unacknowledged, and the client id that names the broker's persistent
// session. Read from JSON; unknown keys are errors, so a misspelt limit is
// not silently ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace weft::stream {

// What a topic carries.
enum class Kind {
  kHistorianSamples,  // JSON {tag, ts, value, quality}, one object or an array
  kMes,               // a B2MML / BatchML document (connectors/mes)
  kEpcis,             // an EPCIS 2.0 JSON or XML document (connectors/epcis)
  kDocument,          // any document a connector reads (detected as `weft ingest` does)
};
const char* kindName(Kind k);

struct Route {
  std::string topic;  // MQTT filter, with + and # wildcards
  Kind kind = Kind::kDocument;
  std::string connector;  // force this connector (document kinds); empty: detect
  // A member of the JSON payload that identifies the message (an event id):
  // when present, the idempotency key is the topic and that value instead of
  // the topic and the payload's hash.
  std::string id_field;
};

struct Config {
  std::string client_id = "weft-stream";
  std::vector<Route> routes;
  uint32_t batch_max_messages = 500;    // a batch commits at this many messages...
  uint32_t batch_max_ms = 200;          // ...or this long after its first message
  uint32_t queue_max_messages = 10000;  // received but not yet committed (and acknowledged)
  uint32_t keepalive_s = 30;
  uint64_t max_payload_bytes = 16 << 20;  // larger messages are dead-lettered
};

// Parses and checks a configuration (`name` is used in messages).
Result<Config> parseConfig(std::string_view json, const std::string& name);
// Is `filter` a valid MQTT topic filter (MQTT 3.1.1 section 4.7)?
bool validFilter(std::string_view filter);
// Does `topic` match `filter` (+ one level, # the rest; topics starting
// with $ match no wildcard at the first level)?
bool topicMatches(std::string_view filter, std::string_view topic);
// The first route whose filter matches `topic`, or null.
const Route* routeFor(const Config& c, std::string_view topic);

}  // namespace weft::stream
