// SPDX-License-Identifier: Apache-2.0
// One MQTT message as `weft stream` handles it, and the parts of handling it
// that need no broker and no store: decoding historian samples, the
// idempotency key, the dead-letter payload prefix.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace weft::stream {

struct Message {
  std::string topic;
  std::string payload;
  uint16_t packet_id = 0;       // 0: QoS 0 (nothing to acknowledge)
  uint64_t connection = 0;      // which connection it came on (acks go only to that one)
  bool duplicate_flag = false;  // the broker's DUP flag: sent before, perhaps processed
  std::chrono::steady_clock::time_point received{};
  std::chrono::system_clock::time_point received_wall{};
};

// One historian sample from a message: {"tag": "TT-101", "ts":
// "2026-03-03T08:15:00Z" | epoch ms, "value": 37.2 | null, "quality": "Good" |
// 192 | "0x00000000"} (quality optional: Good). The rules are those of the
// historian connector's CSV reader (connectors/historian/historian.h): a
// time zone is required, a missing value is allowed for Bad and Uncertain
// samples only.
struct StreamSample {
  std::string tag;
  int64_t ts = 0;  // epoch ms, UTC
  std::optional<double> value;
  std::string quality;  // Good, Uncertain or Bad
};

// At most this many samples per message.
inline constexpr size_t kMaxSamplesPerMessage = 100000;

// Decodes one message (an object or an array of objects); the error names
// the sample ("sample 3: 'ts' ...").
Result<std::vector<StreamSample>> decodeSamples(std::string_view payload);

// Lowercase hex SHA-256.
std::string sha256Hex(std::string_view bytes);

// The message's idempotency key (32 hex digits): from the topic and, when
// `id_field` is set and the payload is a JSON object with that member (a
// string or an integer), that value; otherwise from the topic and the
// payload's bytes. The same message redelivered has the same key; so has the
// same payload sent twice to the same topic, which is then kept once.
std::string messageKey(std::string_view topic, std::string_view payload, const std::string& id_field);

// The IRI that records a handled message (stored or dead-lettered).
std::string messageIri(const std::string& key);

// The first bytes of a payload as a readable string for the dead-letter
// record: at most `max_bytes`, cut on a UTF-8 boundary, invalid bytes and
// control characters other than tab and newline as U+FFFD.
std::string payloadPrefix(std::string_view payload, size_t max_bytes = 256);

}  // namespace weft::stream
