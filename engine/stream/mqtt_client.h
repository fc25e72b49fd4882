// SPDX-License-Identifier: Apache-2.0
// A small MQTT 3.1.1 subscriber (OASIS MQTT 3.1.1, sections 2-3) whose
// acknowledgements the caller sends. `weft stream` must acknowledge a QoS 1
// message only after the transaction holding it has committed; libmosquitto
// 2.0 (Debian 12 has 2.0.11) sends PUBACK before its message callback runs,
// and its manual acknowledgement (mosquitto_manual_ack) arrives only in 2.1.
// This client does the few things a subscriber needs: CONNECT with a fixed
// client id and clean session off (the broker keeps the subscription and the
// unacknowledged messages while weft is away), SUBSCRIBE at QoS 1, receive
// PUBLISH, send PUBACK when told, PINGREQ for keep-alive, DISCONNECT.
// No TLS and no authentication yet (docs/streaming.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/stream/message.h"

namespace weft::stream {

struct BrokerAddress {
  std::string host;
  int port = 1883;
};
// "mqtt://host[:port]" (also "tcp://"); IPv6 hosts in brackets.
Result<BrokerAddress> parseBrokerUrl(std::string_view url);

// The wire format pieces, exposed for the unit tests.
namespace mqtt {
// The remaining-length field (1 to 4 bytes, 7 bits each, low first).
void putLength(std::string* out, uint32_t n);
// Decodes it from `in`; 0 bytes consumed when incomplete, -1 when malformed.
int getLength(std::string_view in, uint32_t* n);
std::string connectPacket(const std::string& client_id, uint16_t keepalive_s, bool clean_session);
std::string subscribePacket(uint16_t packet_id, const std::vector<std::string>& filters, uint8_t qos);
std::string pubackPacket(uint16_t packet_id);
// A PUBLISH's variable header and payload (after the fixed header). The
// topic must be non-empty UTF-8 without U+0000 or wildcards, and a QoS 1
// packet id non-zero (MQTT 3.1.1 sections 3.3.2, 2.3.1); QoS 2 is refused
// (weft subscribes at QoS 1 and answers with PUBACK only).
Status parsePublish(uint8_t flags, std::string_view body, Message* out);

// The largest packet taken from the broker (the protocol allows 256 MiB).
inline constexpr uint32_t kMaxPacketBytes = 256u << 20;

// The first whole packet at the start of `in` (the broker's bytes as read so
// far): its fixed header byte and its body (a view into `in`). Returns the
// bytes it spans, or 0 while `in` holds only part of it; an error when its
// length field is malformed or over kMaxPacketBytes, known from the length
// field alone, before the body has arrived.
Result<size_t> splitPacket(std::string_view in, uint8_t* header, std::string_view* body);

// One packet from the broker, decoded without a socket (what connect() and
// run() act on; tests/fuzz/targets_stream.cpp feeds it arbitrary bytes).
struct Packet {
  uint8_t type = 0;  // the fixed header's high nibble: 2 CONNACK, 3 PUBLISH, 4 PUBACK, 9 SUBACK, 13 PINGRESP
  bool session_present = false;  // CONNACK
  uint8_t return_code = 0;       // CONNACK
  uint16_t packet_id = 0;        // SUBACK, PUBACK
  std::vector<uint8_t> granted;  // SUBACK: one per filter, 0-2 or 0x80 (refused)
  Message message;               // PUBLISH
};
// Checks the fixed header's flags and the body's layout for the packet types
// a subscriber receives; any other type is an error.
Status decodePacket(uint8_t header, std::string_view body, Packet* out);
}  // namespace mqtt

class MqttSubscriber {
 public:
  // Called for each PUBLISH on the reading thread; it may block (while the
  // queue is full), during which nothing more is read from the socket, so
  // the broker holds further messages (TCP flow control). `idle` is to be
  // called while blocking, so keep-alive pings still go out.
  using Deliver = std::function<void(Message&& m)>;

  MqttSubscriber(BrokerAddress addr, std::string client_id, uint16_t keepalive_s, std::vector<std::string> filters);
  ~MqttSubscriber();

  // Connects, subscribes; each call is a new connection (`connection()`).
  Status connect(bool* session_present);
  // Reads and delivers until `stop` or an error (a lost connection).
  Status run(const std::atomic<bool>& stop, const Deliver& deliver);
  // Acknowledges a QoS 1 message, if it came on the current connection (a
  // message from an earlier connection is sent again by the broker). Any thread.
  Status ack(uint16_t packet_id, uint64_t connection);
  // Sends PINGREQ when the keep-alive interval is half gone without a packet
  // sent. Any thread.
  void keepAlive();
  // DISCONNECT (the session stays at the broker) and close.
  void close();
  uint64_t connection() const { return connection_.load(); }

 private:
  Status send(std::string_view bytes);  // under write_mu_
  Status readPacket(const std::atomic<bool>& stop, uint8_t* header, std::string* body, int timeout_ms);

  BrokerAddress addr_;
  std::string client_id_;
  uint16_t keepalive_s_;
  std::vector<std::string> filters_;
  std::mutex write_mu_;
  int fd_ = -1;
  std::atomic<uint64_t> connection_{0};
  std::atomic<int64_t> last_send_ms_{0};
  std::string rbuf_;
};

}  // namespace weft::stream
