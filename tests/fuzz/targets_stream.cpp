// SPDX-License-Identifier: Apache-2.0
// Fuzz targets for `weft stream` (engine/stream): what the broker sends
// (fuzz_mqtt), what a publisher puts in a historian-samples message
// (fuzz_stream_message) and the configuration file (fuzz_stream_config).
// None needs a socket or a store.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "engine/stream/config.h"
#include "engine/stream/message.h"
#include "engine/stream/mqtt_client.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {
namespace {

[[noreturn]] void fail(const char* target, const std::string& msg) {
  std::fprintf(stderr, "fuzz invariant (%s): %s\n", target, msg.c_str());
  std::abort();
}

bool wellFormedUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    if (len > 1) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      if ((len == 2 && c < 0xC2) || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) ||
          (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) || c > 0xF4)
        return false;
    }
    i += len;
  }
  return true;
}

// One packet as the reader saw it: split and decoded, or the error.
struct Seen {
  uint8_t header = 0;
  std::string body;
  bool decoded = false;
  stream::mqtt::Packet packet;
};

// Splits `in` into packets as MqttSubscriber::readPacket does, the bytes
// arriving in pieces whose sizes come from `chunks` (0: all at once). Stops at
// the first malformed length (`*bad` set) or when the rest is incomplete.
std::vector<Seen> readAll(std::string_view in, const std::vector<size_t>& chunks, bool* bad, size_t* left) {
  std::vector<Seen> out;
  std::string buf;
  size_t fed = 0, ci = 0;
  *bad = false;
  while (true) {
    if (fed < in.size()) {
      size_t n = chunks.empty() ? in.size() : std::max<size_t>(1, chunks[ci++ % chunks.size()]);
      n = std::min(n, in.size() - fed);
      buf.append(in.substr(fed, n));
      fed += n;
    }
    while (true) {
      uint8_t header = 0;
      std::string_view body;
      Result<size_t> used = stream::mqtt::splitPacket(buf, &header, &body);
      if (!used) {
        *bad = true;
        *left = buf.size();
        return out;
      }
      if (*used == 0) break;
      if (*used > buf.size() || body.size() + 2 > *used) fail("fuzz_mqtt", "splitPacket spans more than it has");
      Seen s;
      s.header = header;
      s.body.assign(body);
      s.decoded = stream::mqtt::decodePacket(header, body, &s.packet).isOk();
      out.push_back(std::move(s));
      buf.erase(0, *used);
    }
    if (fed == in.size()) {
      *left = buf.size();
      return out;
    }
  }
}

// A PUBLISH body rebuilt from what was decoded: must be the bytes received.
std::string encodePublish(const stream::Message& m) {
  std::string b;
  b.push_back(static_cast<char>(m.topic.size() >> 8));
  b.push_back(static_cast<char>(m.topic.size() & 0xFF));
  b += m.topic;
  if (m.packet_id) {
    b.push_back(static_cast<char>(m.packet_id >> 8));
    b.push_back(static_cast<char>(m.packet_id & 0xFF));
  }
  return b + m.payload;
}

}  // namespace

// The broker's bytes: a stream of MQTT packets. The first byte picks how the
// rest arrives (in pieces of 1 to 16 bytes, from the input itself), so the
// incremental split must agree with the split of the whole buffer.
int fuzzOneMqtt(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  // The remaining-length field alone: consistent with its prefixes, and the
  // value re-encodes to the bytes when they are the shortest form.
  {
    uint32_t n = 0;
    int used = stream::mqtt::getLength(in, &n);
    if (used < -1 || used > 4) fail("fuzz_mqtt", "getLength used " + std::to_string(used));
    if (used > 0) {
      if (n > 268435455u) fail("fuzz_mqtt", "remaining length over the protocol's maximum");
      for (int k = 0; k < used; ++k) {
        uint32_t m = 0;
        if (stream::mqtt::getLength(in.substr(0, static_cast<size_t>(k)), &m) != 0)
          fail("fuzz_mqtt", "a prefix of a whole length field is not 'incomplete'");
      }
      std::string again;
      stream::mqtt::putLength(&again, n);
      if (again.size() > static_cast<size_t>(used)) fail("fuzz_mqtt", "putLength longer than the field it decodes");
      if (again.size() == static_cast<size_t>(used) && again != in.substr(0, static_cast<size_t>(used)))
        fail("fuzz_mqtt", "putLength(getLength(x)) != x");
    }
  }
  bool bad_all = false, bad_parts = false;
  size_t left_all = 0, left_parts = 0;
  std::vector<Seen> all = readAll(in, {}, &bad_all, &left_all);
  std::vector<size_t> chunks;
  for (size_t i = 0; i < 8; ++i) chunks.push_back(((data[0] >> (i % 4)) + i * 5) % 16 + 1);
  std::vector<Seen> parts = readAll(in, chunks, &bad_parts, &left_parts);
  // (After a malformed length the piecewise read has not been fed the rest.)
  if (all.size() != parts.size() || bad_all != bad_parts || (!bad_all && left_all != left_parts))
    fail("fuzz_mqtt", "whole and piecewise reads disagree: " + std::to_string(all.size()) + " vs " +
                          std::to_string(parts.size()) + " packets");
  for (size_t i = 0; i < all.size(); ++i) {
    const Seen& a = all[i];
    const Seen& b = parts[i];
    if (a.header != b.header || a.body != b.body || a.decoded != b.decoded)
      fail("fuzz_mqtt", "packet " + std::to_string(i) + " differs between whole and piecewise reads");
    if (!a.decoded) continue;
    const stream::mqtt::Packet& p = a.packet;
    if (p.type != a.header >> 4) fail("fuzz_mqtt", "decoded type is not the header's");
    switch (p.type) {
      case 2:  // CONNACK
        if (a.body.size() != 2 || (a.header & 0x0F) != 0) fail("fuzz_mqtt", "accepted a malformed CONNACK");
        break;
      case 3: {  // PUBLISH
        const stream::Message& m = p.message;
        const int qos = (a.header >> 1) & 3;
        if (qos > 1) fail("fuzz_mqtt", "accepted QoS " + std::to_string(qos));
        if ((qos == 1) != (m.packet_id != 0)) fail("fuzz_mqtt", "packet id and QoS disagree");
        if (m.topic.empty() || m.topic.find_first_of("+#") != std::string::npos || !wellFormedUtf8(m.topic) ||
            m.topic.find('\0') != std::string::npos)
          fail("fuzz_mqtt", "accepted a topic the protocol forbids");
        if (m.duplicate_flag != ((a.header & 0x08) != 0)) fail("fuzz_mqtt", "DUP flag lost");
        if (encodePublish(m) != a.body) fail("fuzz_mqtt", "PUBLISH does not re-encode to its bytes");
        // What the pipeline does next with any message.
        (void)stream::messageKey(m.topic, m.payload, "id");
        if (!wellFormedUtf8(stream::payloadPrefix(m.payload))) fail("fuzz_mqtt", "payload prefix not UTF-8");
        break;
      }
      case 9:  // SUBACK
        if (p.granted.size() + 2 != a.body.size() || p.granted.empty())
          fail("fuzz_mqtt", "SUBACK return codes do not match its body");
        for (uint8_t rc : p.granted)
          if (rc > 2 && rc != 0x80) fail("fuzz_mqtt", "accepted SUBACK return code " + std::to_string(rc));
        break;
      case 4:
      case 13: break;
      default: fail("fuzz_mqtt", "decoded a packet type a subscriber never receives: " + std::to_string(p.type));
    }
  }
  return 0;
}

// A historian-samples message: decoded samples obey the rules, and written
// back as JSON they decode to the same samples.
int fuzzOneStreamMessage(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string prefix = stream::payloadPrefix(in);
  if (prefix.size() > 256 || !wellFormedUtf8(prefix)) fail("fuzz_stream_message", "bad payload prefix");
  const std::string k1 = stream::messageKey("plant/a/samples", in, "");
  const std::string k2 = stream::messageKey("plant/a/samples", in, "tag");
  if (k1.size() != 32 || k2.size() != 32 || k1 != stream::messageKey("plant/a/samples", in, ""))
    fail("fuzz_stream_message", "message key is not 32 stable hex digits");
  Result<std::vector<stream::StreamSample>> r = stream::decodeSamples(in);
  if (!r) {
    if (r.status().message().empty()) fail("fuzz_stream_message", "an error without a reason");
    return 0;
  }
  const std::vector<stream::StreamSample>& samples = r.value();
  if (samples.empty() || samples.size() > stream::kMaxSamplesPerMessage)
    fail("fuzz_stream_message", "sample count out of bounds");
  std::string json = "[";
  for (const stream::StreamSample& s : samples) {
    if (s.tag.empty()) fail("fuzz_stream_message", "empty tag accepted");
    if (s.quality != "Good" && s.quality != "Uncertain" && s.quality != "Bad")
      fail("fuzz_stream_message", "quality '" + s.quality + "'");
    if (!s.value && s.quality == "Good") fail("fuzz_stream_message", "a Good sample without a value");
    if (s.value && !std::isfinite(*s.value)) fail("fuzz_stream_message", "a value that is not finite");
    if (json.size() > 1) json += ",";
    json += "{\"tag\":\"";
    for (char c : s.tag) {
      if (c == '"' || c == '\\') {
        json += '\\';
        json += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned char>(c));
        json += esc;
      } else {
        json += c;
      }
    }
    json += "\",\"ts\":" + std::to_string(s.ts) + ",\"quality\":\"" + s.quality + "\"";
    if (s.value) {
      char num[40];
      std::snprintf(num, sizeof num, "%.17g", *s.value);
      json += ",\"value\":" + std::string(num);
    }
    json += "}";
  }
  json += "]";
  Result<std::vector<stream::StreamSample>> again = stream::decodeSamples(json);
  if (!again)
    fail("fuzz_stream_message", "re-encoded samples do not decode: " + again.status().toString() + "\n" + json);
  if (again.value().size() != samples.size()) fail("fuzz_stream_message", "re-encoded sample count differs");
  for (size_t i = 0; i < samples.size(); ++i) {
    const stream::StreamSample& a = samples[i];
    const stream::StreamSample& b = again.value()[i];
    // The tag may hold invalid UTF-8 that rapidjson passes through; compared as bytes.
    // RapidJSON's default number parser is exact up to 15 significant digits;
    // the 17 written here may come back a few ULP off (message.cpp).
    if (a.tag != b.tag || a.ts != b.ts || a.quality != b.quality || a.value.has_value() != b.value.has_value() ||
        (a.value && std::fabs(*a.value - *b.value) > 4 * std::numeric_limits<double>::epsilon() * std::fabs(*a.value)))
      fail("fuzz_stream_message", "sample " + std::to_string(i) + " differs after re-encoding\n" + json);
  }
  return 0;
}

// The configuration file: what parses is a usable configuration, and each
// route's filter matches a topic built from it (so the route can be reached).
int fuzzOneStreamConfig(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Result<stream::Config> r = stream::parseConfig(in, "fuzz.json");
  // The input as a topic and as a filter: no crash, and `#` matches everything
  // not starting with $.
  if (stream::validFilter(in)) (void)stream::topicMatches(in, "plant/a/samples");
  if (!in.empty() && in[0] != '$' && !stream::topicMatches("#", in)) fail("fuzz_stream_config", "# missed a topic");
  if (!r) return 0;
  const stream::Config& c = r.value();
  if (c.routes.empty() || c.client_id.empty() || c.client_id.size() > 256 || c.batch_max_messages == 0 ||
      c.batch_max_ms == 0 || c.queue_max_messages == 0 || c.keepalive_s < 5 || c.max_payload_bytes == 0)
    fail("fuzz_stream_config", "an accepted configuration out of its documented bounds");
  for (const stream::Route& route : c.routes) {
    if (!stream::validFilter(route.topic)) fail("fuzz_stream_config", "invalid filter accepted: " + route.topic);
    if (route.kind == stream::Kind::kHistorianSamples && !route.connector.empty())
      fail("fuzz_stream_config", "historian route with a connector");
    // A concrete topic: + and # replaced by one level.
    std::string topic;
    for (size_t i = 0; i < route.topic.size(); ++i) {
      char ch = route.topic[i];
      topic += (ch == '+' || ch == '#') ? std::string("x") : std::string(1, ch);
    }
    if (!stream::topicMatches(route.topic, topic))
      fail("fuzz_stream_config", "filter '" + route.topic + "' misses topic '" + topic + "'");
    if (stream::routeFor(c, topic) == nullptr) fail("fuzz_stream_config", "no route for '" + topic + "'");
  }
  return 0;
}

}  // namespace weft::fuzz
