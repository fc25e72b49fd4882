// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/mqtt_client.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "engine/rdf/iri.h"

namespace weft::stream {

namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void putU16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}
void putStr(std::string* out, std::string_view s) {
  putU16(out, static_cast<uint16_t>(s.size()));
  out->append(s);
}
std::string packet(uint8_t header, const std::string& body) {
  std::string out(1, static_cast<char>(header));
  mqtt::putLength(&out, static_cast<uint32_t>(body.size()));
  return out + body;
}

// Packet types (MQTT 3.1.1 table 2.1), in the high nibble.
constexpr uint8_t kConnack = 2, kPublish = 3, kPuback = 4, kSuback = 9, kPingresp = 13;

// MQTT 3.1.1 section 1.5.3: well-formed UTF-8 (no overlong forms, no
// surrogates, nothing beyond U+10FFFF) without U+0000. A topic goes into the
// ledger as a literal, so bytes the broker should never have passed on are
// refused here rather than stored.
bool validMqttUtf8(std::string_view s) {
  return s.find('\0') == std::string_view::npos && rdf::checkUtf8(s);
}

uint16_t getU16(std::string_view b, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(b[at]) << 8) | static_cast<uint8_t>(b[at + 1]));
}

}  // namespace

Result<BrokerAddress> parseBrokerUrl(std::string_view url) {
  std::string_view rest;
  for (std::string_view scheme : {"mqtt://", "tcp://"})
    if (url.substr(0, scheme.size()) == scheme) rest = url.substr(scheme.size());
  if (rest.empty())
    return Status::invalidArgument("broker '" + std::string(url) +
                                   "' is not mqtt://HOST[:PORT] (TLS, mqtts://, is not supported yet)");
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  BrokerAddress a;
  std::string_view port;
  if (rest.front() == '[') {
    size_t end = rest.find(']');
    if (end == std::string_view::npos) return Status::invalidArgument("broker '" + std::string(url) + "': unclosed [");
    a.host = std::string(rest.substr(1, end - 1));
    if (end + 1 < rest.size()) {
      if (rest[end + 1] != ':') return Status::invalidArgument("broker '" + std::string(url) + "': bad port");
      port = rest.substr(end + 2);
    }
  } else {
    size_t colon = rest.rfind(':');
    a.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (a.host.empty() || a.host.find_first_of("/@?") != std::string::npos)
    return Status::invalidArgument("broker '" + std::string(url) + "': no host (user names are not supported yet)");
  if (!port.empty() || (rest.find(':') != std::string_view::npos && rest.front() != '[')) {
    int p = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || p > 65535)
        return Status::invalidArgument("broker '" + std::string(url) + "': bad port");
      p = p * 10 + (c - '0');
    }
    if (port.empty() || p < 1 || p > 65535)
      return Status::invalidArgument("broker '" + std::string(url) + "': bad port");
    a.port = p;
  }
  return a;
}

namespace mqtt {

void putLength(std::string* out, uint32_t n) {
  do {
    uint8_t b = n % 128;
    n /= 128;
    if (n > 0) b |= 0x80;
    out->push_back(static_cast<char>(b));
  } while (n > 0);
}

int getLength(std::string_view in, uint32_t* n) {
  uint32_t v = 0, mult = 1;
  for (int i = 0; i < 4; ++i) {
    if (static_cast<size_t>(i) >= in.size()) return 0;
    uint8_t b = static_cast<uint8_t>(in[i]);
    v += (b & 0x7F) * mult;
    if (!(b & 0x80)) {
      *n = v;
      return i + 1;
    }
    mult *= 128;
  }
  return -1;
}

std::string connectPacket(const std::string& client_id, uint16_t keepalive_s, bool clean_session) {
  std::string body;
  putStr(&body, "MQTT");
  body.push_back(4);  // protocol level 3.1.1
  body.push_back(clean_session ? 0x02 : 0x00);
  putU16(&body, keepalive_s);
  putStr(&body, client_id);
  return packet(0x10, body);
}

std::string subscribePacket(uint16_t packet_id, const std::vector<std::string>& filters, uint8_t qos) {
  std::string body;
  putU16(&body, packet_id);
  for (const std::string& f : filters) {
    putStr(&body, f);
    body.push_back(static_cast<char>(qos));
  }
  return packet(0x82, body);
}

std::string pubackPacket(uint16_t packet_id) {
  std::string body;
  putU16(&body, packet_id);
  return packet(0x40, body);
}

Status parsePublish(uint8_t flags, std::string_view body, Message* out) {
  uint8_t qos = (flags >> 1) & 3;
  if (qos == 3) return Status::corruption("PUBLISH with QoS 3");
  // Subscribed at QoS 1, so the broker sends at most QoS 1; a QoS 2 message
  // would need PUBREC, and a PUBACK for it would confuse the broker's session.
  if (qos == 2) return Status::corruption("PUBLISH with QoS 2 on a QoS 1 subscription");
  if (body.size() < 2) return Status::corruption("PUBLISH too short");
  size_t tlen = getU16(body, 0);
  size_t at = 2 + tlen;
  if (body.size() < at + (qos ? 2 : 0)) return Status::corruption("PUBLISH too short for its topic");
  std::string_view topic = body.substr(2, tlen);
  if (topic.empty() || topic.find_first_of("+#") != std::string_view::npos || !validMqttUtf8(topic))
    return Status::corruption("PUBLISH with an empty, wildcard or non-UTF-8 topic");
  uint16_t packet_id = 0;
  if (qos) {
    packet_id = getU16(body, at);
    // Packet id 0 would mean "nothing to acknowledge" here: the message would
    // never be acknowledged and the broker would hold it for ever.
    if (packet_id == 0) return Status::corruption("QoS 1 PUBLISH with packet id 0");
    at += 2;
  }
  out->topic.assign(topic);
  out->packet_id = packet_id;
  out->duplicate_flag = flags & 0x08;
  out->payload.assign(body.substr(at));
  return Status::ok();
}

Result<size_t> splitPacket(std::string_view in, uint8_t* header, std::string_view* body) {
  if (in.size() < 2) return size_t{0};
  uint32_t len = 0;
  int used = getLength(in.substr(1), &len);
  if (used < 0 || len > kMaxPacketBytes) return Status::corruption("malformed MQTT packet length from the broker");
  if (used == 0 || in.size() < 1 + static_cast<size_t>(used) + len) return size_t{0};
  *header = static_cast<uint8_t>(in[0]);
  *body = in.substr(1 + used, len);
  return 1 + static_cast<size_t>(used) + len;
}

Status decodePacket(uint8_t header, std::string_view body, Packet* out) {
  out->type = header >> 4;
  const uint8_t flags = header & 0x0F;
  // Section 2.2.2: every packet a server sends other than PUBLISH has flags 0.
  if (out->type != kPublish && flags != 0)
    return Status::corruption("MQTT packet type " + std::to_string(out->type) + " with reserved flags set");
  switch (out->type) {
    case kConnack:
      if (body.size() != 2 || (static_cast<uint8_t>(body[0]) & 0xFE) != 0)
        return Status::corruption("malformed CONNACK from the broker");
      out->session_present = body[0] & 1;
      out->return_code = static_cast<uint8_t>(body[1]);
      return Status::ok();
    case kPublish: return parsePublish(flags, body, &out->message);
    case kPuback:
      if (body.size() != 2) return Status::corruption("malformed PUBACK from the broker");
      out->packet_id = getU16(body, 0);
      return Status::ok();
    case kSuback:
      if (body.size() < 3) return Status::corruption("malformed SUBACK from the broker");
      out->packet_id = getU16(body, 0);
      out->granted.clear();
      for (size_t i = 2; i < body.size(); ++i) {
        const auto rc = static_cast<uint8_t>(body[i]);
        if (rc > 2 && rc != 0x80) return Status::corruption("SUBACK with return code " + std::to_string(rc));
        out->granted.push_back(rc);
      }
      return Status::ok();
    case kPingresp:
      if (!body.empty()) return Status::corruption("malformed PINGRESP from the broker");
      return Status::ok();
    default: return Status::corruption("unexpected MQTT packet type " + std::to_string(out->type) + " from the broker");
  }
}

}  // namespace mqtt

MqttSubscriber::MqttSubscriber(BrokerAddress addr, std::string client_id, uint16_t keepalive_s,
                               std::vector<std::string> filters)
    : addr_(std::move(addr)),
      client_id_(std::move(client_id)),
      keepalive_s_(keepalive_s),
      filters_(std::move(filters)) {}

MqttSubscriber::~MqttSubscriber() {
  if (fd_ >= 0) ::close(fd_);
}

Status MqttSubscriber::send(std::string_view bytes) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (fd_ < 0) return Status::ioError("not connected");
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::ioError(std::string("MQTT send: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  last_send_ms_ = nowMs();
  return Status::ok();
}

Status MqttSubscriber::connect(bool* session_present) {
  close();
  // A new number before any byte of the new connection: an ack for a message
  // of the old one is never sent on the new one.
  ++connection_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(addr_.port);
  if (int rc = getaddrinfo(addr_.host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return Status::ioError("broker " + addr_.host + ": " + gai_strerror(rc));
  int fd = -1;
  std::string why = "no address";
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    why = std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) return Status::ioError("cannot connect to broker " + addr_.host + ":" + port + ": " + why);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    fd_ = fd;
  }
  rbuf_.clear();
  WEFT_TRY(send(mqtt::connectPacket(client_id_, keepalive_s_, /*clean_session=*/false)));
  uint8_t header = 0;
  std::string body;
  std::atomic<bool> never{false};
  WEFT_TRY(readPacket(never, &header, &body, 10000));
  mqtt::Packet ack;
  if ((header >> 4) != kConnack || !mqtt::decodePacket(header, body, &ack).isOk())
    return Status::ioError("broker did not answer CONNECT with CONNACK");
  static const char* reasons[] = {"",
                                  "unacceptable protocol version",
                                  "client id rejected",
                                  "server unavailable",
                                  "bad user name or password",
                                  "not authorized"};
  uint8_t rc = ack.return_code;
  if (rc != 0)
    return Status::permissionDenied("broker refused the connection: " +
                                    std::string(rc < 6 ? reasons[rc] : "return code " + std::to_string(rc)));
  if (session_present) *session_present = ack.session_present;
  // Subscribed again each time (harmless with a kept session); the SUBACK is
  // checked in run(), since queued messages may come before it.
  return send(mqtt::subscribePacket(1, filters_, 1));
}

Status MqttSubscriber::readPacket(const std::atomic<bool>& stop, uint8_t* header, std::string* body, int timeout_ms) {
  const int64_t deadline = nowMs() + timeout_ms;
  while (true) {
    std::string_view whole;
    Result<size_t> used = mqtt::splitPacket(rbuf_, header, &whole);
    if (!used) return used.status();
    if (*used > 0) {
      body->assign(whole);
      rbuf_.erase(0, *used);
      return Status::ok();
    }
    if (stop.load()) return Status::aborted("stopped");
    int64_t left = deadline - nowMs();
    if (left <= 0) return Status::aborted("timeout");
    keepAlive();
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 200)));
    if (rc < 0 && errno != EINTR) return Status::ioError(std::string("MQTT poll: ") + std::strerror(errno));
    if (rc <= 0) continue;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) return Status::ioError("the broker closed the connection");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Status::ioError(std::string("MQTT receive: ") + std::strerror(errno));
    }
    rbuf_.append(buf, static_cast<size_t>(n));
  }
}

Status MqttSubscriber::run(const std::atomic<bool>& stop, const Deliver& deliver) {
  uint8_t header = 0;
  std::string body;
  while (!stop.load()) {
    Status st = readPacket(stop, &header, &body, 1000);
    if (st.code() == StatusCode::kAborted) continue;  // timeout or stop: check again
    if (!st) return st;
    mqtt::Packet p;
    WEFT_TRY(mqtt::decodePacket(header, body, &p));
    switch (p.type) {
      case kPublish: {
        Message m = std::move(p.message);
        m.connection = connection_.load();
        m.received = std::chrono::steady_clock::now();
        m.received_wall = std::chrono::system_clock::now();
        deliver(std::move(m));
        break;
      }
      case kSuback:
        for (size_t i = 0; i < p.granted.size(); ++i)
          if (p.granted[i] == 0x80)
            return Status::permissionDenied("the broker refused the subscription to '" +
                                            (i < filters_.size() ? filters_[i] : std::string("?")) + "'");
        break;
      case kPingresp:
      case kPuback: break;
      default:
        return Status::corruption("unexpected MQTT packet type " + std::to_string(header >> 4) + " from the broker");
    }
  }
  return Status::ok();
}

Status MqttSubscriber::ack(uint16_t packet_id, uint64_t connection) {
  if (packet_id == 0 || connection != connection_.load()) return Status::ok();
  return send(mqtt::pubackPacket(packet_id));
}

void MqttSubscriber::keepAlive() {
  if (keepalive_s_ == 0) return;
  if (nowMs() - last_send_ms_.load() < keepalive_s_ * 500) return;
  static const char ping[] = {static_cast<char>(0xC0), 0};
  (void)send(std::string_view(ping, 2));
}

void MqttSubscriber::close() {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (fd_ < 0) return;
  static const char bye[] = {static_cast<char>(0xE0), 0};
  (void)::send(fd_, bye, 2, MSG_NOSIGNAL);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace weft::stream
