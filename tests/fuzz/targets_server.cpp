// SPDX-License-Identifier: Apache-2.0
// fuzz_http: raw bytes sent over loopback to an in-process `weft serve`
// (engine/server) that holds one graph its only key may not read. Whatever
// arrives, the server answers with a well-formed status line, never 500, and
// never with the withheld graph's secret value (unless the request itself
// spelled it); it must also still answer the next input.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "engine/rdf/syntax.h"
#include "engine/server/server.h"
#include "engine/store/store.h"
#include "tests/fuzz/targets.h"

namespace weft::fuzz {
namespace {

// The last inputs: a server left hanging by one request shows only at a later one.
std::string recent[4];
size_t recent_n = 0;

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "fuzz_http: %s\n", msg.c_str());
  // Where the server's threads wait (a pool starved by hung requests shows here).
  const std::string cmd = "for t in /proc/" + std::to_string(getpid()) +
                          "/task/*; do echo \"$(cat $t/wchan) $(cut -d' ' -f3 $t/stat)\"; done | sort | uniq -c";
  if (std::FILE* p = popen(cmd.c_str(), "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, p)) std::fprintf(stderr, "thread: %s", line);
    pclose(p);
  }
  for (size_t i = recent_n > 4 ? recent_n - 4 : 0; i + 1 < recent_n; ++i)
    std::fprintf(stderr, "--- an earlier input (%zu before):\n%s\n", recent_n - 1 - i, recent[i % 4].c_str());
  std::abort();
}

constexpr const char* kSecret = "k3Xq9-withheld-v7Rz";
constexpr const char* kData = R"(
@prefix : <http://example.org/> .
:a :p :b . :b :name "Bob" . :a :age 30 .
GRAPH <http://example.org/open/1> { :a :p :c . :c :name "Carol"@en . :c :age 41 }
GRAPH <http://example.org/secret> { :a :p :s . :s :name "k3Xq9-withheld-v7Rz" . :a :age 99 }
)";
// Its key is "fuzz-partner-key" (the seeds send it).
constexpr const char* kPolicy = R"({
  "organisations": {"p": {"read": ["default", "http://example.org/open/*"]}},
  "keys": [{"name": "partner", "sha256": "SHA", "role": "partner", "organisation": "p"}],
  "limits": {"timeout_seconds": 0.5, "max_result_rows": 1000, "max_body_bytes": 65536,
             "max_concurrent": 2, "max_queued": 4, "queue_wait_seconds": 1}
})";

struct Fixture {
  std::unique_ptr<store::Store> st;
  std::unique_ptr<server::Server> srv;
  std::thread th;
  int port = 0;
};

const Fixture& fixture() {
  static Fixture* f = [] {
    auto* x = new Fixture;
    x->st = store::Store::openMemory();
    auto txn = x->st->begin();
    if (!txn) die(txn.status().toString());
    store::Loader loader(txn.value().get());
    loader.startDocument();
    rdf::ReadOptions ro;
    ro.format = rdf::Format::kTriG;
    ro.base_iri = "http://example.org/";
    Status s = rdf::readString(kData, ro, loader);
    if (s.isOk()) s = txn.value()->commit();
    if (!s.isOk()) die("loading: " + s.toString());
    std::string policy = kPolicy;
    policy.replace(policy.find("SHA"), 3, server::sha256Hex("fuzz-partner-key"));
    auto p = server::Policy::parse(policy, "fuzz policy");
    if (!p) die(p.status().toString());
    server::ServeOptions o;
    o.port = 0;
    o.quiet = true;
    // httplib does not answer a half-closed connection, so the harness keeps
    // it open; these make the server close it soon after the last request.
    o.read_timeout_seconds = 0.1;
    o.keep_alive_seconds = 0;
    o.policy = std::move(p.value());
    x->srv = std::make_unique<server::Server>(*x->st, std::move(o));
    if (Status b = x->srv->bind(); !b) die(b.toString());
    x->port = x->srv->port();
    x->th = std::thread([x] { (void)x->srv->run(); });
    x->th.detach();
    return x;
  }();
  return *f;
}

// One exchange: connect, send, read until the server closes (or 10 s).
std::string exchange(int port, std::string_view bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int tries = 0; connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0; ++tries) {
    if (tries > 100) die("the server does not accept connections any more");
    usleep(10000);
  }
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server may close early (413, bad request line)
    off += static_cast<size_t>(n);
  }
  std::string out;
  char buf[8192];
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now()).count();
    int r = left > 0 ? poll(&p, 1, static_cast<int>(left)) : 0;
    // libFuzzer's timer signal (SIGALRM, once a second) interrupts poll: not an answer.
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      die("no answer within 10 s to " + std::string(bytes.substr(0, 40)) + "... (" + std::to_string(out.size()) +
          " bytes so far: " + out.substr(0, 120) + ")");
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace

int fuzzOneHttp(const uint8_t* data, size_t size) {
  const Fixture& f = fixture();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  recent[recent_n++ % 4].assign(in);
  std::string resp = exchange(f.port, in);
  // Every answer in the stream (pipelined requests get several).
  for (size_t at = resp.find("HTTP/1.1 "); at != std::string::npos; at = resp.find("HTTP/1.1 ", at + 1)) {
    if (at + 12 > resp.size()) die("a truncated status line");
    int status = std::atoi(resp.substr(at + 9, 3).c_str());
    if (status < 100 || status > 599) die("a malformed status line: " + resp.substr(at, 40));
    if (status == 500) die("500 for the request:\n" + std::string(in) + "\n--- answer:\n" + resp);
  }
  if (!resp.empty() && resp.rfind("HTTP/1.1 ", 0) != 0) die("an answer that is not HTTP: " + resp.substr(0, 60));
  if (in.find(kSecret) == std::string_view::npos && resp.find(kSecret) != std::string::npos)
    die("the withheld graph's value reached the answer to:\n" + std::string(in) + "\n--- answer:\n" + resp);
  // The server still answers.
  // With keep_alive_seconds 0, cpp-httplib drops a connection whose first
  // bytes take more than 10 ms to arrive (a loaded machine): an empty answer
  // is that, so ask again; a hung server gives no answer at all.
  std::string health;
  for (int i = 0; i < 5 && health.empty(); ++i)
    health = exchange(f.port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  if (health.rfind("HTTP/1.1 200", 0) != 0)
    die("/health fails after the request:\n" + std::string(in) + "\n--- /health answered:\n" + health);
  return 0;
}

}  // namespace weft::fuzz
