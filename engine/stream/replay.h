// SPDX-License-Identifier: Apache-2.0
// `weft replay`: publishes recorded messages from a folder to an MQTT broker
// at QoS 1 (libmosquitto), for tests, demonstrations and benchmarks of
// `weft stream`. What a file becomes (files sorted by path, read recursively):
//   *.csv            historian samples `tag,timestamp,value,quality` (the
//                    historian connector's export): one JSON sample message
//                    {"tag","ts","value","quality"} per row
//   *.jsonl, *.ndjson  one message per non-empty line; a line that is an
//                    object with just "topic" and "payload" names its own
//                    topic (a string payload is sent as its bytes, other JSON
//                    as its text), any other line is the payload itself
//   anything else    the whole file is one message (an EPCIS or B2MML document)
// The topic is PREFIX/ + the file's path under DIR without its extension
// (PREFIX/ + the line's topic for topic/payload lines). With a speed, the
// messages are sorted by their sample time ("ts") and sent at that pace
// divided by the speed; without one, as fast as the broker takes them.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/status.h"
#include "engine/stream/mqtt_client.h"

namespace weft::stream {

struct ReplayOptions {
  BrokerAddress broker;
  std::string dir;
  std::string topic_prefix;
  double speed = 0;               // 0: as fast as possible
  std::string client_id;          // empty: a random one
  uint32_t max_in_flight = 1000;  // published and not yet acknowledged by the broker
  bool quiet = false;
};

struct ReplayTotals {
  uint64_t messages = 0, acknowledged = 0, files = 0;
  double seconds = 0;
};

// "10x", "10", "0.5x"; "max" or "0" for as fast as possible.
bool parseSpeed(const std::string& text, double* speed);

Status replay(const ReplayOptions& o, ReplayTotals* totals);

}  // namespace weft::stream
