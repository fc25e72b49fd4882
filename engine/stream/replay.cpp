// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/replay.h"

#include <mosquitto.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "connectors/historian/historian.h"

namespace weft::stream {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Outgoing {
  std::string topic, payload;
  std::optional<int64_t> ts;  // sample time, epoch ms, for pacing
};

std::string joinTopic(const std::string& prefix, const std::string& rest) {
  if (prefix.empty()) return rest;
  if (rest.empty()) return prefix;
  return prefix.back() == '/' ? prefix + rest : prefix + "/" + rest;
}

std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

Status readCsv(const fs::path& path, const std::string& topic, std::vector<Outgoing>* out) {
  std::ifstream in(path);
  if (!in) return Status::ioError("cannot open '" + path.string() + "'");
  std::string line;
  if (!std::getline(in, line)) return Status::ok();
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  std::vector<std::string> header = splitCsv(line);
  int tag = -1, ts = -1, value = -1, quality = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "tag")
      tag = static_cast<int>(i);
    else if (header[i] == "timestamp" || header[i] == "ts")
      ts = static_cast<int>(i);
    else if (header[i] == "value")
      value = static_cast<int>(i);
    else if (header[i] == "quality")
      quality = static_cast<int>(i);
  }
  if (tag < 0 || ts < 0 || value < 0)
    return Status::invalidArgument(path.string() +
                                   ": not a historian sample export (header tag,timestamp,value,quality)");
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> f = splitCsv(line);
    auto field = [&](int i) { return i >= 0 && static_cast<size_t>(i) < f.size() ? f[i] : std::string(); };
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("tag");
    w.String(field(tag).c_str());
    w.Key("ts");
    w.String(field(ts).c_str());
    w.Key("value");
    std::string v = field(value);
    char* end = nullptr;
    double d = v.empty() ? 0 : std::strtod(v.c_str(), &end);
    if (v.empty())
      w.Null();
    else if (end && *end == '\0')
      w.RawValue(v.c_str(), v.size(), rapidjson::kNumberType), (void)d;
    else
      w.String(v.c_str());  // kept as written: the subscriber dead-letters it
    if (quality >= 0) {
      w.Key("quality");
      w.String(field(quality).c_str());
    }
    w.EndObject();
    out->push_back({topic, buf.GetString(), connectors::historian::parseTimestamp(field(ts))});
  }
  return Status::ok();
}

std::optional<int64_t> tsOf(const rapidjson::Value& v) {
  if (!v.IsObject()) return std::nullopt;
  auto m = v.FindMember("ts");
  if (m == v.MemberEnd()) return std::nullopt;
  if (m->value.IsInt64()) return m->value.GetInt64();
  if (m->value.IsString()) return connectors::historian::parseTimestamp(m->value.GetString());
  return std::nullopt;
}

Status readLines(const fs::path& path, const std::string& prefix, const std::string& topic,
                 std::vector<Outgoing>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot open '" + path.string() + "'");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    rapidjson::Document d;
    d.Parse(line.data(), line.size());
    if (!d.HasParseError() && d.IsObject() && d.MemberCount() == 2 && d.HasMember("topic") && d.HasMember("payload") &&
        d["topic"].IsString()) {
      const rapidjson::Value& p = d["payload"];
      Outgoing o;
      o.topic = joinTopic(prefix, d["topic"].GetString());
      if (p.IsString()) {
        o.payload.assign(p.GetString(), p.GetStringLength());
        rapidjson::Document inner;
        inner.Parse(o.payload.data(), o.payload.size());
        if (!inner.HasParseError()) o.ts = tsOf(inner);
      } else {
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        p.Accept(w);
        o.payload = buf.GetString();
        o.ts = tsOf(p);
      }
      out->push_back(std::move(o));
      continue;
    }
    out->push_back({topic, line, d.HasParseError() ? std::nullopt : tsOf(d)});
  }
  return Status::ok();
}

// The publisher's state, shared with libmosquitto's network thread.
struct Pub {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t acked = 0;
  bool connected = false;
  int connect_rc = -1;
};

}  // namespace

bool parseSpeed(const std::string& text, double* speed) {
  if (text == "max" || text == "0") {
    *speed = 0;
    return true;
  }
  std::string t = text;
  if (!t.empty() && (t.back() == 'x' || t.back() == 'X')) t.pop_back();
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (t.empty() || !end || *end != '\0' || !(v > 0) || v > 1e9) return false;
  *speed = v;
  return true;
}

Status replay(const ReplayOptions& o, ReplayTotals* totals) {
  std::error_code ec;
  if (!fs::is_directory(o.dir, ec)) return Status::notFound("'" + o.dir + "' is not a folder");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(o.dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path().filename().string().front() == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(it->path());
  }
  if (ec) return Status::ioError("cannot list '" + o.dir + "': " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Outgoing> msgs;
  for (const fs::path& f : files) {
    fs::path rel = fs::relative(f, o.dir);
    std::string stem = (rel.parent_path() / rel.stem()).generic_string();
    const std::string topic = joinTopic(o.topic_prefix, stem);
    const std::string ext = f.extension().string();
    if (ext == ".csv") {
      WEFT_TRY(readCsv(f, topic, &msgs));
    } else if (ext == ".jsonl" || ext == ".ndjson") {
      WEFT_TRY(readLines(f, o.topic_prefix, topic, &msgs));
    } else {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!in) return Status::ioError("cannot read '" + f.string() + "'");
      msgs.push_back({topic, ss.str(), std::nullopt});
    }
  }
  if (o.speed > 0) {
    // A message without a time keeps the time of the one before it.
    std::optional<int64_t> last;
    for (Outgoing& m : msgs) {
      if (!m.ts) m.ts = last;
      last = m.ts;
    }
    std::stable_sort(msgs.begin(), msgs.end(), [](const Outgoing& a, const Outgoing& b) {
      return a.ts.value_or(INT64_MIN) < b.ts.value_or(INT64_MIN);
    });
  }

  mosquitto_lib_init();
  Pub pub;
  mosquitto* mosq = mosquitto_new(o.client_id.empty() ? nullptr : o.client_id.c_str(), true, &pub);
  if (!mosq) return Status::internal("mosquitto_new failed");
  struct Cleanup {
    mosquitto* m;
    ~Cleanup() {
      mosquitto_destroy(m);
      mosquitto_lib_cleanup();
    }
  } cleanup{mosq};
  mosquitto_connect_callback_set(mosq, [](mosquitto*, void* u, int rc) {
    Pub* p = static_cast<Pub*>(u);
    std::lock_guard<std::mutex> lk(p->mu);
    p->connect_rc = rc;
    p->connected = rc == 0;
    p->cv.notify_all();
  });
  mosquitto_publish_callback_set(mosq, [](mosquitto*, void* u, int) {
    Pub* p = static_cast<Pub*>(u);
    std::lock_guard<std::mutex> lk(p->mu);
    ++p->acked;
    p->cv.notify_all();
  });
  mosquitto_max_inflight_messages_set(mosq, o.max_in_flight);
  if (int rc = mosquitto_connect(mosq, o.broker.host.c_str(), o.broker.port, 30); rc != MOSQ_ERR_SUCCESS)
    return Status::ioError("cannot connect to broker " + o.broker.host + ":" + std::to_string(o.broker.port) + ": " +
                           mosquitto_strerror(rc));
  if (int rc = mosquitto_loop_start(mosq); rc != MOSQ_ERR_SUCCESS)
    return Status::internal(std::string("mosquitto_loop_start: ") + mosquitto_strerror(rc));
  {
    std::unique_lock<std::mutex> lk(pub.mu);
    if (!pub.cv.wait_for(lk, std::chrono::seconds(10), [&] { return pub.connect_rc >= 0; }) || !pub.connected) {
      lk.unlock();
      mosquitto_loop_stop(mosq, true);
      return Status::ioError("the broker did not accept the connection");
    }
  }
  const Clock::time_point t0 = Clock::now();
  const std::optional<int64_t> first_ts = msgs.empty() ? std::nullopt : msgs.front().ts;
  uint64_t sent = 0;
  Status result;
  for (const Outgoing& m : msgs) {
    if (o.speed > 0 && m.ts && first_ts) {
      const double due_s = static_cast<double>(*m.ts - *first_ts) / 1000.0 / o.speed;
      std::this_thread::sleep_until(t0 +
                                    std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(due_s)));
    }
    {
      // Bounded: wait while too many are unacknowledged.
      std::unique_lock<std::mutex> lk(pub.mu);
      pub.cv.wait(lk, [&] { return sent - pub.acked < std::max<uint32_t>(o.max_in_flight, 1) * 4; });
    }
    int rc = mosquitto_publish(mosq, nullptr, m.topic.c_str(), static_cast<int>(m.payload.size()), m.payload.data(), 1,
                               false);
    if (rc != MOSQ_ERR_SUCCESS) {
      result = Status::ioError("publishing to '" + m.topic + "': " + mosquitto_strerror(rc));
      break;
    }
    ++sent;
  }
  {
    std::unique_lock<std::mutex> lk(pub.mu);
    if (!pub.cv.wait_for(lk, std::chrono::seconds(60), [&] { return pub.acked >= sent; }) && result)
      result = Status::ioError("the broker acknowledged " + std::to_string(pub.acked) + " of " + std::to_string(sent) +
                               " messages");
  }
  mosquitto_disconnect(mosq);
  mosquitto_loop_stop(mosq, false);
  if (totals) {
    totals->messages = sent;
    totals->acknowledged = pub.acked;
    totals->files = files.size();
    totals->seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  return result;
}

}  // namespace weft::stream
