// SPDX-License-Identifier: Apache-2.0
// weft_serve_load: a bounded load generator for SPARQL endpoints (the serving
// benchmark, tests/bench/serve_bench.sh, docs/PERFORMANCE.md).
//
//   weft_serve_load --url http://127.0.0.1:PORT/sparql [options] QUERY.rq...
//
// Closed loop, never open: a fixed number of clients (threads), each with one
// keep-alive connection, sends one query, waits for the whole answer, sends
// the next. Client c starts at a seeded random position in the list of
// queries and goes round-robin from there, so every client runs the same mix
// but not in lock step. Requests that start in the warm-up are not counted;
// no request starts after warm-up + duration, and the ones still running then
// end within the request timeout, so a run lasts at most
// warm-up + duration + timeout seconds.
//
// After a transport error (connection refused, reset, time-out) the client
// pauses 100 ms, so a server that is down is not hammered with connects.
//
// Every answer is POSTed with "Accept: application/sparql-results+json" and
// read whole. An answer counts as an error when its status is not 200, when
// the transport fails (connection refused, time-out, reset), when Virtuoso
// marks it partial (an "anytime" answer, header X-SQL-State), or when its
// number of rows differs from the first answer to the same query in the run
// (the answers under load must be the answers of a quiet server).
//
// --probe N runs each query once untimed and then N times from one client
// instead, one after another, and prints one line per query (status, median
// latency, rows, distinct rows, bytes): the single-client figures that decide
// the mix and the row counts compared between servers.
//
// Only cpp-httplib (the client half of the library weft serve uses) and
// RapidJSON (to count rows); no weft library, so the same binary measures any
// SPARQL 1.1 endpoint.

#include <httplib.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace weft::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string url;
  std::string host = "127.0.0.1";
  int port = 80;
  std::string path = "/sparql";
  unsigned clients = 32;
  double duration_s = 60;
  double warmup_s = 5;
  double timeout_s = 30;
  uint64_t seed = 42;
  std::string key;
  bool form = false;
  std::vector<std::pair<std::string, std::string>> params;
  std::string label;
  std::string json_path, tsv_path;
  bool check_rows = true;
  unsigned probe_runs = 0;
  double probe_stop_ms = 0;
  std::vector<std::string> query_files;
};

struct Query {
  std::string name;  // file name without folder and .rq
  std::string text;
};

// One request as the client saw it.
struct Sample {
  uint32_t query;
  double start_s;  // since the run began
  double latency_ms;
  int status;         // HTTP status, 0 on a transport error
  uint64_t bytes;     // body bytes received
  int64_t rows;       // -1: not counted
  std::string error;  // empty: a good answer
};

[[noreturn]] void usage(const char* why) {
  if (why) std::fprintf(stderr, "weft_serve_load: %s\n\n", why);
  std::fprintf(
      stderr,
      "usage: weft_serve_load --url http://HOST:PORT/PATH [options] QUERY.rq...\n"
      "  --clients N        concurrent clients, one keep-alive connection each (default 32)\n"
      "  --duration S       measured seconds (default 60)\n"
      "  --warmup S         seconds before them, not counted (default 5)\n"
      "  --timeout S        limit per request (default 30)\n"
      "  --seed N           seed of the clients' starting positions (default 42)\n"
      "  --key KEY          send \"Authorization: Bearer KEY\" (or set WEFT_LOAD_KEY)\n"
      "  --form             POST application/x-www-form-urlencoded query=... instead of\n"
      "                     application/sparql-query (Virtuoso 7.2 needs it)\n"
      "  --param NAME=VALUE a protocol parameter such as default-graph-uri=IRI (repeatable)\n"
      "  --label NAME       the server's name in the report\n"
      "  --json FILE        write the whole result as JSON\n"
      "  --tsv FILE         write the summary and per-query rows as TSV\n"
      "  --no-check         do not count the rows of each answer\n"
      "  --probe N          no load: run each query once untimed, then N times, from one\n"
      "                     client, and print query, status, runs, median ms, min ms, rows,\n"
      "                     distinct rows, bytes and a note, tab-separated\n"
      "  --probe-stop-ms MS with --probe: no further runs of a query after one this slow\n");
  std::exit(2);
}

double number(const char* flag, const char* v, double lo) {
  char* end = nullptr;
  double x = std::strtod(v, &end);
  if (!end || *end || !(x >= lo)) {
    std::fprintf(stderr, "weft_serve_load: %s needs a number >= %g, got '%s'\n", flag, lo, v);
    std::exit(2);
  }
  return x;
}

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> const char* {
      if (i + 1 >= argc) usage((a + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--url")
      o.url = val();
    else if (a == "--clients")
      o.clients = static_cast<unsigned>(number("--clients", val(), 1));
    else if (a == "--duration")
      o.duration_s = number("--duration", val(), 0.1);
    else if (a == "--warmup")
      o.warmup_s = number("--warmup", val(), 0);
    else if (a == "--timeout")
      o.timeout_s = number("--timeout", val(), 0.1);
    else if (a == "--seed")
      o.seed = static_cast<uint64_t>(number("--seed", val(), 0));
    else if (a == "--key")
      o.key = val();
    else if (a == "--form")
      o.form = true;
    else if (a == "--param") {
      std::string p = val();
      size_t eq = p.find('=');
      if (eq == std::string::npos || eq == 0) usage("--param needs NAME=VALUE");
      o.params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
    } else if (a == "--label")
      o.label = val();
    else if (a == "--json")
      o.json_path = val();
    else if (a == "--tsv")
      o.tsv_path = val();
    else if (a == "--no-check")
      o.check_rows = false;
    else if (a == "--probe")
      o.probe_runs = static_cast<unsigned>(number("--probe", val(), 1));
    else if (a == "--probe-stop-ms")
      o.probe_stop_ms = number("--probe-stop-ms", val(), 0);
    else if (a == "-h" || a == "--help")
      usage(nullptr);
    else if (!a.empty() && a[0] == '-')
      usage(("unknown option " + a).c_str());
    else
      o.query_files.push_back(a);
  }
  if (o.url.empty()) usage("--url is required");
  if (o.query_files.empty()) usage("give at least one query file");
  if (o.clients > 1024) usage("--clients: at most 1024");
  if (o.key.empty()) {
    if (const char* k = std::getenv("WEFT_LOAD_KEY")) o.key = k;
  }
  // http://HOST[:PORT][/PATH]; loopback or a test host, plain HTTP only.
  std::string u = o.url;
  if (u.rfind("http://", 0) != 0) usage("--url must start with http://");
  u = u.substr(7);
  size_t slash = u.find('/');
  std::string hostport = slash == std::string::npos ? u : u.substr(0, slash);
  if (slash != std::string::npos) o.path = u.substr(slash);
  size_t colon = hostport.rfind(':');
  if (colon != std::string::npos && hostport.find(']') == std::string::npos) {
    o.host = hostport.substr(0, colon);
    o.port = static_cast<int>(number("--url port", hostport.substr(colon + 1).c_str(), 1));
  } else {
    o.host = hostport;
  }
  if (o.label.empty()) o.label = o.url;
  return o;
}

std::string percentEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string firstLine(const std::string& body) {
  size_t i = 0;
  while (i < body.size() && (body[i] == '\n' || body[i] == '\r' || body[i] == ' ')) ++i;
  size_t e = body.find('\n', i);
  std::string l = body.substr(i, e == std::string::npos ? std::string::npos : e - i);
  if (!l.empty() && l.back() == '\r') l.pop_back();
  if (l.size() > 160) l = l.substr(0, 157) + "...";
  return l;
}

// Rows of a SPARQL JSON result (ASK: 1), or -1 when it is not one. With
// `distinct`, also the number of different rows (Virtuoso's union default
// graph is a bag, so its answers can repeat rows a set would hold once).
int64_t countRows(const std::string& body, int64_t* distinct) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) return -1;
  if (d.HasMember("boolean")) {
    if (distinct) *distinct = 1;
    return 1;
  }
  if (!d.HasMember("results") || !d["results"].IsObject() || !d["results"].HasMember("bindings") ||
      !d["results"]["bindings"].IsArray())
    return -1;
  const auto& rows = d["results"]["bindings"];
  if (distinct) {
    std::set<std::string> seen;
    for (const auto& row : rows.GetArray()) {
      if (!row.IsObject()) continue;
      std::vector<std::string> cells;
      for (auto it = row.MemberBegin(); it != row.MemberEnd(); ++it) {
        std::string c = it->name.GetString();
        c += '\x1f';
        const auto& t = it->value;
        if (t.IsObject()) {
          for (const char* f : {"type", "value", "datatype", "xml:lang"}) {
            if (t.HasMember(f) && t[f].IsString()) c += t[f].GetString();
            c += '\x1e';
          }
        }
        cells.push_back(std::move(c));
      }
      std::sort(cells.begin(), cells.end());
      std::string key;
      for (auto& c : cells) key += c + '\x1d';
      seen.insert(std::move(key));
    }
    *distinct = static_cast<int64_t>(seen.size());
  }
  return static_cast<int64_t>(rows.Size());
}

// One client: a keep-alive connection and the request it sends.
class Client {
 public:
  explicit Client(const Options& o) : o_(o), http_(o.host, o.port) {
    http_.set_keep_alive(true);
    // Without it a request's headers and body go out as two segments and the
    // second waits for the server's delayed ACK (about 40 ms on Linux): the
    // client would measure its own Nagle stall, not the server.
    http_.set_tcp_nodelay(true);
    http_.set_connection_timeout(5, 0);
    const auto us = static_cast<long long>(o.timeout_s * 1e6);
    http_.set_read_timeout(static_cast<time_t>(us / 1000000), static_cast<time_t>(us % 1000000));
    http_.set_write_timeout(static_cast<time_t>(us / 1000000), static_cast<time_t>(us % 1000000));
    headers_.emplace("Accept", "application/sparql-results+json");
    if (!o.key.empty()) headers_.emplace("Authorization", "Bearer " + o.key);
    std::string qs;
    for (const auto& [n, v] : o.params) {
      if (!qs.empty()) qs += '&';
      qs += percentEncode(n) + "=" + percentEncode(v);
    }
    params_ = qs;
    target_ = o.form || qs.empty()
                  ? o.path
                  : o.path + (o.path.find('?') == std::string::npos ? "?" : "&") + qs;
  }

  // Sends `q`; fills status, bytes, body and the error kind (empty if none).
  void send(const Query& q, Sample* s, std::string* body, std::string* detail) {
    httplib::Result r =
        o_.form
            ? http_.Post(target_, headers_,
                         "query=" + percentEncode(q.text) + (params_.empty() ? "" : "&" + params_),
                         "application/x-www-form-urlencoded")
            : http_.Post(target_, headers_, q.text, "application/sparql-query");
    if (!r) {
      s->status = 0;
      s->bytes = 0;
      s->error = "transport: " + httplib::to_string(r.error());
      body->clear();
      return;
    }
    s->status = r->status;
    s->bytes = r->body.size();
    *body = std::move(r->body);
    if (r->status != 200) {
      s->error = "HTTP " + std::to_string(r->status);
      *detail = firstLine(*body);
    } else if (r->has_header("X-SQL-State")) {
      // Virtuoso's "anytime" answer: cut off at its time limit, 200 all the same.
      s->error = "partial answer (X-SQL-State " + r->get_header_value("X-SQL-State") + ")";
      *detail = r->get_header_value("X-SQL-Message");
    }
  }

 private:
  const Options& o_;
  httplib::Client http_;
  httplib::Headers headers_;
  std::string params_, target_;
};

std::vector<Query> readQueries(const std::vector<std::string>& files) {
  std::vector<Query> qs;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "weft_serve_load: cannot read %s\n", f.c_str());
      std::exit(1);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string name =
        f.substr(f.find_last_of('/') == std::string::npos ? 0 : f.find_last_of('/') + 1);
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".rq") == 0)
      name.resize(name.size() - 3);
    qs.push_back({name, ss.str()});
  }
  return qs;
}

double msSince(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// ---- probe --------------------------------------------------------------------

int runProbe(const Options& o, const std::vector<Query>& qs) {
  Client c(o);
  std::printf("query\tstatus\truns\tmedian_ms\tmin_ms\trows\tdistinct_rows\tbytes\tnote\n");
  for (const Query& q : qs) {
    std::vector<double> ms;
    Sample s{};
    std::string body, detail;
    int64_t rows = -1, distinct = -1;
    // One untimed run first (caches, the connection); it stands as the
    // measurement only when it failed or was already slower than the stop.
    for (unsigned i = 0; i <= o.probe_runs; ++i) {
      s = Sample{};
      detail.clear();
      auto t0 = Clock::now();
      c.send(q, &s, &body, &detail);
      const double t = msSince(t0, Clock::now());
      const bool stop = !s.error.empty() || (o.probe_stop_ms > 0 && t > o.probe_stop_ms);
      if (i > 0 || stop) ms.push_back(t);
      if (stop) break;
    }
    if (s.error.empty()) {
      rows = countRows(body, &distinct);
      if (rows < 0) s.error = "not a SPARQL JSON result";
    }
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.size() % 2
                              ? sorted[sorted.size() / 2]
                              : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    std::string note = s.error;
    if (!detail.empty()) note += ": " + detail;
    for (char& ch : note)
      if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    std::printf("%s\t%d\t%zu\t%.3f\t%.3f\t%" PRId64 "\t%" PRId64 "\t%" PRIu64 "\t%s\n",
                q.name.c_str(), s.status, ms.size(), median, sorted.front(), rows, distinct,
                s.bytes, note.empty() ? "-" : note.c_str());
    std::fflush(stdout);
  }
  return 0;
}

// ---- load ---------------------------------------------------------------------

struct Stats {
  uint64_t requests = 0, ok = 0, errors = 0, bytes = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
  int64_t rows = -1;
};

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

Stats summarise(const std::vector<const Sample*>& ss) {
  Stats st;
  std::vector<double> lat;
  for (const Sample* s : ss) {
    ++st.requests;
    st.bytes += s->bytes;
    if (s->error.empty()) {
      ++st.ok;
      lat.push_back(s->latency_ms);
      if (s->rows >= 0) st.rows = s->rows;
    } else {
      ++st.errors;
    }
  }
  std::sort(lat.begin(), lat.end());
  if (!lat.empty()) {
    st.p50 = percentile(lat, 50);
    st.p90 = percentile(lat, 90);
    st.p99 = percentile(lat, 99);
    st.max = lat.back();
    double sum = 0;
    for (double x : lat) sum += x;
    st.mean = sum / static_cast<double>(lat.size());
  }
  return st;
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

int runLoad(const Options& o, const std::vector<Query>& qs) {
  const unsigned n = o.clients;
  std::mt19937_64 rng(o.seed);
  std::vector<size_t> offsets(n);
  for (auto& off : offsets) off = static_cast<size_t>(rng() % qs.size());

  // The first good answer's row count per query; later answers must match it.
  std::vector<std::atomic<int64_t>> first_rows(qs.size());
  for (auto& r : first_rows) r.store(-1);
  std::vector<std::vector<Sample>> per_client(n);
  std::vector<std::map<std::string, std::string>> details(n);  // error kind -> first detail
  const auto t0 = Clock::now();
  const auto warm_end =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup_s));
  const auto end = warm_end + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.duration_s));
  std::atomic<int64_t> last_done_ns{0};

  std::vector<std::thread> threads;
  threads.reserve(n);
  for (unsigned c = 0; c < n; ++c) {
    threads.emplace_back([&, c] {
      Client client(o);
      std::string body, detail;
      for (size_t i = offsets[c];; i = (i + 1) % qs.size()) {
        const auto start = Clock::now();
        if (start >= end) break;
        Sample s{};
        s.query = static_cast<uint32_t>(i);
        s.start_s = std::chrono::duration<double>(start - t0).count();
        s.rows = -1;
        detail.clear();
        client.send(qs[i], &s, &body, &detail);
        const auto done = Clock::now();
        s.latency_ms = msSince(start, done);
        if (s.error.empty() && o.check_rows) {
          s.rows = countRows(body, nullptr);
          int64_t expect = -1;
          if (s.rows < 0) {
            s.error = "not a SPARQL JSON result";
            detail = firstLine(body);
          } else if (!first_rows[i].compare_exchange_strong(expect, s.rows) && expect != s.rows) {
            s.error = "rows differ from the first answer";
            detail = qs[i].name + ": " + std::to_string(s.rows) + " rows, first answer " +
                     std::to_string(expect);
          }
        }
        if (!s.error.empty() && !details[c].count(s.error)) details[c][s.error] = detail;
        const bool transport_failed = s.status == 0;
        if (start >= warm_end) {
          const int64_t ns =
              std::chrono::duration_cast<std::chrono::nanoseconds>(done - t0).count();
          int64_t prev = last_done_ns.load();
          while (ns > prev && !last_done_ns.compare_exchange_weak(prev, ns)) {
          }
          per_client[c].push_back(std::move(s));
        }
        // A server that is down refuses at once: pause so that a dead
        // endpoint does not turn the client into a busy loop of connects.
        if (transport_failed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  for (auto& t : threads) t.join();

  std::vector<const Sample*> all;
  std::vector<std::vector<const Sample*>> by_query(qs.size());
  std::map<std::string, uint64_t> kinds;
  std::map<std::string, std::string> kind_detail;
  for (unsigned c = 0; c < n; ++c) {
    for (const Sample& s : per_client[c]) {
      all.push_back(&s);
      by_query[s.query].push_back(&s);
      if (!s.error.empty()) ++kinds[s.error];
    }
    for (const auto& [k, d] : details[c]) kind_detail.emplace(k, d);
  }
  // The measured time: from the end of the warm-up to the later of the planned
  // end and the last counted answer (requests still running at the end count).
  const double planned_end_s = o.warmup_s + o.duration_s;
  const double last_s = static_cast<double>(last_done_ns.load()) / 1e9;
  const double elapsed = std::max(planned_end_s, last_s) - o.warmup_s;
  Stats total = summarise(all);
  total.rows = -1;  // a row count belongs to one query
  const double rps = static_cast<double>(total.requests) / elapsed;
  const double ok_rps = static_cast<double>(total.ok) / elapsed;

  std::printf("weft_serve_load: %s (%s)\n", o.label.c_str(), o.url.c_str());
  std::printf(
      "  %u clients, %.0f s measured after %.0f s warm-up (%.1f s with the last answers), timeout "
      "%.0f s, "
      "seed %" PRIu64 ", %zu queries, %s\n",
      n, o.duration_s, o.warmup_s, elapsed, o.timeout_s, o.seed, qs.size(),
      o.form ? "POST form (query=)" : "POST application/sparql-query");
  std::printf("  requests     %" PRIu64 " (ok %" PRIu64 ", errors %" PRIu64 ")\n", total.requests,
              total.ok, total.errors);
  std::printf("  throughput   %.2f req/s (good answers %.2f/s)\n", rps, ok_rps);
  std::printf("  latency ms   p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f (good answers)\n",
              total.p50, total.p90, total.p99, total.max, total.mean);
  std::printf("  received     %.2f MiB in bodies\n", static_cast<double>(total.bytes) / 1048576.0);
  if (kinds.empty()) {
    std::printf("  errors       none\n");
  } else {
    for (const auto& [k, cnt] : kinds) {
      std::printf("  errors       %" PRIu64 " x %s\n", cnt, k.c_str());
      if (!kind_detail[k].empty()) std::printf("               e.g. %s\n", kind_detail[k].c_str());
    }
  }
  std::printf("  %-40s %7s %5s %9s %9s %9s %9s %7s %10s\n", "query", "n", "err", "p50 ms", "p90 ms",
              "p99 ms", "max ms", "rows", "bytes/ans");
  std::vector<Stats> qstats;
  for (size_t i = 0; i < qs.size(); ++i) {
    qstats.push_back(summarise(by_query[i]));
    const Stats& s = qstats.back();
    std::printf("  %-40s %7" PRIu64 " %5" PRIu64 " %9.2f %9.2f %9.2f %9.2f %7" PRId64 " %10.0f\n",
                qs[i].name.c_str(), s.requests, s.errors, s.p50, s.p90, s.p99, s.max, s.rows,
                s.requests ? static_cast<double>(s.bytes) / static_cast<double>(s.requests) : 0.0);
  }

  if (!o.tsv_path.empty()) {
    std::ofstream t(o.tsv_path);
    t << "scope\trequests\tok\terrors\trps\tp50_ms\tp90_ms\tp99_ms\tmax_ms\tmean_ms\tbytes\trows\n";
    auto row = [&](const std::string& scope, const Stats& s, double r) {
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
                    "\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%" PRIu64 "\t%" PRId64 "\n",
                    scope.c_str(), s.requests, s.ok, s.errors, r, s.p50, s.p90, s.p99, s.max,
                    s.mean, s.bytes, s.rows);
      t << buf;
    };
    row("ALL", total, rps);
    for (size_t i = 0; i < qs.size(); ++i)
      row(qs[i].name, qstats[i], static_cast<double>(qstats[i].requests) / elapsed);
  }
  if (!o.json_path.empty()) {
    std::ofstream j(o.json_path);
    auto stats = [](const Stats& s) {
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "\"requests\":%" PRIu64 ",\"ok\":%" PRIu64 ",\"errors\":%" PRIu64
                    ",\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%"
                    ".3f,\"bytes\":%" PRIu64 ",\"rows\":%" PRId64,
                    s.requests, s.ok, s.errors, s.p50, s.p90, s.p99, s.max, s.mean, s.bytes,
                    s.rows);
      return std::string(buf);
    };
    j << "{\"label\":" << jsonString(o.label) << ",\"url\":" << jsonString(o.url)
      << ",\"clients\":" << n << ",\"duration_s\":" << o.duration_s
      << ",\"warmup_s\":" << o.warmup_s << ",\"elapsed_s\":" << elapsed
      << ",\"timeout_s\":" << o.timeout_s << ",\"seed\":" << o.seed << ",\"rps\":" << rps << ","
      << stats(total) << ",\"error_kinds\":{";
    bool first = true;
    for (const auto& [k, cnt] : kinds) {
      j << (first ? "" : ",") << jsonString(k) << ":{\"count\":" << cnt
        << ",\"example\":" << jsonString(kind_detail[k]) << "}";
      first = false;
    }
    j << "},\"queries\":[";
    for (size_t i = 0; i < qs.size(); ++i)
      j << (i ? "," : "") << "{\"query\":" << jsonString(qs[i].name) << "," << stats(qstats[i])
        << "}";
    j << "]}\n";
  }
  return 0;
}

}  // namespace
}  // namespace weft::bench

int main(int argc, char** argv) {
  using namespace weft::bench;
  const Options o = parseArgs(argc, argv);
  const std::vector<Query> qs = readQueries(o.query_files);
  return o.probe_runs > 0 ? runProbe(o, qs) : runLoad(o, qs);
}
