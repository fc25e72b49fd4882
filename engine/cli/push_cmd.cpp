// SPDX-License-Identifier: Apache-2.0
// `weft push` (push_cmd.h): take a snapshot, pick the graphs, fingerprint
// them (so a resume can tell whether the store changed), then send each
// graph's triples in batches through one HTTP session, writing the state
// file after every batch the remote acknowledged.
#include "engine/cli/push_cmd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "engine/net/http_session.h"
#include "engine/rdf/term.h"
#include "engine/store/store.h"

namespace fs = std::filesystem;

namespace weft::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr const char* kStateMagic = "weft-push-state 1";

int usage(const std::string& msg) {
  std::fprintf(stderr, "weft push: %s\nRun with --help for more information.\n", msg.c_str());
  return kExitUsage;
}

int failure(const std::string& msg) {
  std::fprintf(stderr, "weft push: error: %s\n", msg.c_str());
  return kExitFailure;
}

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

uint64_t mix64(uint64_t z) {  // splitmix64's finaliser
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

std::string utcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Writes `text` to `path` through a temporary file, fsync and rename, so a
// crash leaves either the old or the new content, never half of one.
Status writeAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError("cannot create '" + tmp + "': " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::ioError("cannot write '" + tmp + "': " + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::ioError("cannot write '" + tmp + "': " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Status::ioError("cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(e));
  }
  return Status::ok();
}

// The store's identity for skolem IRIs: 128 random bits kept in
// STORE/push/store-id, made on the first push. Blank node labels are only
// unique within one store, so two stores pushed into one remote must not
// mint the same IRIs.
Result<std::string> storeId(const std::string& store_dir) {
  fs::path dir = fs::path(store_dir) / "push";
  fs::path file = dir / "store-id";
  std::ifstream in(file);
  std::string id;
  if (in && std::getline(in, id) && id.size() == 32 &&
      id.find_first_not_of("0123456789abcdef") == std::string::npos) {
    return id;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::ioError("cannot create '" + dir.string() + "': " + ec.message());
  std::random_device rd;
  id.clear();
  for (int i = 0; i < 4; ++i) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    id += buf;
  }
  WEFT_TRY(writeAtomically(file.string(), id + "\n"));
  return id;
}

// One graph to push.
struct Graph {
  store::TermId id = 0;
  std::string key;     // "default", "<iri>" or "_:label": names it in messages and the state file
  std::string target;  // the IRI the remote gets ("" for the default graph)
  uint64_t count = 0;
};

// Where a push stands; the state file's content.
struct PushState {
  std::string endpoint;
  std::string store_id;
  std::string fingerprint;
  std::string started;
  std::vector<std::pair<std::string, uint64_t>> graphs;  // key, triples
  size_t next_graph = 0;
  uint64_t next_offset = 0;
  uint64_t batches = 0;  // acknowledged, over every run of this push
  uint64_t sent = 0;     // triples acknowledged, likewise
};

std::string formatState(const PushState& s) {
  std::ostringstream o;
  o << kStateMagic << "\n"
    << "# weft push: written after each batch the remote acknowledged; the same command resumes\n"
    << "# from here (docs/serving.md). Removed when the push completes.\n"
    << "endpoint " << s.endpoint << "\n"
    << "store-id " << s.store_id << "\n"
    << "fingerprint " << s.fingerprint << "\n"
    << "started " << s.started << "\n"
    << "graphs " << s.graphs.size() << "\n";
  for (const auto& [key, n] : s.graphs) o << "graph " << n << " " << key << "\n";
  o << "next-graph " << s.next_graph << "\n"
    << "next-offset " << s.next_offset << "\n"
    << "batches " << s.batches << "\n"
    << "sent " << s.sent << "\n";
  return o.str();
}

Result<PushState> parseState(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::ioError("cannot read '" + path + "'");
  std::string line;
  if (!std::getline(in, line) || line != kStateMagic)
    return Status::corruption("'" + path + "' is not a weft push state file (version 1)");
  PushState s;
  size_t declared = 0;
  auto bad = [&](const std::string& l) {
    return Status::corruption("'" + path + "': bad line '" + l + "'");
  };
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    if (sp == std::string::npos) return bad(line);
    std::string key = line.substr(0, sp), val = line.substr(sp + 1);
    try {
      if (key == "endpoint")
        s.endpoint = val;
      else if (key == "store-id")
        s.store_id = val;
      else if (key == "fingerprint")
        s.fingerprint = val;
      else if (key == "started")
        s.started = val;
      else if (key == "graphs")
        declared = std::stoull(val);
      else if (key == "graph") {
        auto sp2 = val.find(' ');
        if (sp2 == std::string::npos) return bad(line);
        s.graphs.emplace_back(val.substr(sp2 + 1), std::stoull(val.substr(0, sp2)));
      } else if (key == "next-graph")
        s.next_graph = std::stoull(val);
      else if (key == "next-offset")
        s.next_offset = std::stoull(val);
      else if (key == "batches")
        s.batches = std::stoull(val);
      else if (key == "sent")
        s.sent = std::stoull(val);
      else
        return bad(line);
    } catch (const std::exception&) {
      return bad(line);
    }
  }
  if (declared != s.graphs.size() || s.next_graph > s.graphs.size())
    return Status::corruption("'" + path + "' is inconsistent (graph list)");
  return s;
}

// Percent-encodes a blank node label for the path of a skolem IRI: labels
// may hold characters (PN_CHARS, '.') that are fine in Turtle but not all
// are unreserved in an IRI path segment.
void appendSkolemLabel(std::string& out, std::string_view label) {
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : label) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
}

// Turns ids into N-Triples lines (also valid Turtle), blank nodes as skolem
// IRIs. Predicates repeat a lot and GSPO order repeats subjects, so both
// are cached as text.
class LineWriter {
 public:
  LineWriter(const store::Snapshot& snap, std::string skolem_prefix)
      : snap_(snap), prefix_(std::move(skolem_prefix)) {}

  Status append(std::string& out, const store::QuadIds& q) {
    if (q.s != last_s_) {
      last_s_text_.clear();
      WEFT_TRY(term(last_s_text_, q.s));
      last_s_ = q.s;
    }
    out += last_s_text_;
    out += ' ';
    auto it = preds_.find(q.p);
    if (it == preds_.end()) {
      std::string t;
      WEFT_TRY(term(t, q.p));
      if (preds_.size() > 100000) preds_.clear();  // not a vocabulary: stop caching
      it = preds_.emplace(q.p, std::move(t)).first;
    }
    out += it->second;
    out += ' ';
    WEFT_TRY(term(out, q.o));
    out += " .\n";
    return Status::ok();
  }

  // The text of one term (used for graph names too).
  Status term(std::string& out, store::TermId id) {
    if (!snap_.decode(id, &t_))
      return Status::corruption("a quad refers to an unknown term id; run 'weft check'");
    if (t_.kind == rdf::TermKind::kBlank) {
      out += '<';
      out += prefix_;
      appendSkolemLabel(out, t_.value);
      out += '>';
      ++blank_terms_;
    } else {
      rdf::appendNTriples(out, t_.view());
    }
    return Status::ok();
  }
  uint64_t blankTerms() const { return blank_terms_; }

 private:
  const store::Snapshot& snap_;
  std::string prefix_;
  rdf::Term t_;
  store::TermId last_s_ = 0;
  std::string last_s_text_;
  std::unordered_map<store::TermId, std::string> preds_;
  uint64_t blank_terms_ = 0;
};

std::string graphUrl(const std::string& endpoint, const Graph& g) {
  std::string url = endpoint;
  url += endpoint.find('?') == std::string::npos ? '?' : '&';
  if (g.id == store::kDefaultGraph)
    url += "default";
  else
    url += "graph=" + net::urlEncode(g.target);
  return url;
}

// The first part of a remote's message, on one line.
std::string excerpt(const std::string& body, size_t max = 400) {
  std::string out;
  bool space = false;
  for (char c : body) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

class Progress {
 public:
  Progress(bool quiet, uint64_t total, uint64_t already)
      : quiet_(quiet),
        tty_(isatty(STDERR_FILENO)),
        total_(total),
        already_(already),
        t0_(Clock::now()) {}
  void update(size_t graph, size_t graphs, uint64_t sent_now, bool force = false) {
    if (quiet_) return;
    double t = secondsSince(t0_);
    if (!force && t < next_) return;
    next_ = t + 1.0;
    std::fprintf(stderr, "%sgraph %zu/%zu, %llu/%llu triples, %.0f triples/s, %.1f s%s",
                 tty_ ? "\r" : "", graph, graphs,
                 static_cast<unsigned long long>(already_ + sent_now),
                 static_cast<unsigned long long>(total_), t > 0 ? sent_now / t : 0.0, t,
                 tty_ ? "   " : "\n");
    std::fflush(stderr);
    printed_ = true;
  }
  // Ends the progress line before any other message.
  void breakLine() {
    if (printed_ && tty_) std::fputc('\n', stderr);
    printed_ = false;
  }

 private:
  bool quiet_, tty_;
  uint64_t total_, already_;
  Clock::time_point t0_;
  double next_ = 1.0;
  bool printed_ = false;
};

bool transientStatus(long status) { return status >= 500 || status == 408 || status == 429; }

}  // namespace

CLI::App* addPushCommand(CLI::App& app, PushFlags& f) {
  auto* p = app.add_subcommand(
      "push",
      "Replicate graphs of a store into a SPARQL Graph Store Protocol endpoint (resumable)");
  p->add_option("--store", f.store_dir, "Store directory")->required();
  p->add_option("--endpoint", f.endpoint,
                "Graph Store Protocol endpoint URL (e.g. http://host:8890/sparql-graph-crud-auth); "
                "graphs are addressed as URL?graph=IRI, the default graph as URL?default")
      ->required();
  p->add_option("--graph", f.graphs,
                "Push this named graph (repeat for more; 'default' for the default graph). "
                "Default: every named graph of the store")
      ->allow_extra_args(false);
  p->add_option("--batch-quads", f.batch_quads,
                "At most this many triples per request (default 50000)")
      ->check(CLI::PositiveNumber);
  p->add_option("--state", f.state,
                "State file for resuming (default: STORE/push/<hash of the endpoint>.state)");
  p->add_flag("--restart", f.restart,
              "Ignore the state of an interrupted push and start again from the first graph");
  p->add_option("--user", f.user, "USER:PASSWORD for HTTP Basic or Digest authentication");
  p->add_option("--bearer", f.bearer, "Send 'Authorization: Bearer KEY'");
  p->add_option("--timeout", f.timeout, "Seconds allowed for each request (default 300)")
      ->check(CLI::PositiveNumber);
  p->add_option("--retries", f.retries,
                "Retries of a request that failed transiently (connection refused or reset, "
                "time-out, HTTP 5xx, 408, 429), with doubling waits (default 4)")
      ->check(CLI::NonNegativeNumber);
  p->add_option("--retry-wait", f.retry_wait, "Seconds before the first retry (default 1)")
      ->check(CLI::NonNegativeNumber);
  p->add_option("--content-type", f.content_type,
                "Media type of the request bodies, which are N-Triples lines (valid Turtle too): "
                "text/turtle (default), application/n-triples or text/plain");
  p->add_option("--skolem-base", f.skolem_base,
                "Blank nodes are sent as IRIs BASE<store id>-<label> "
                "(default https://w3id.org/weft/.well-known/genid/)");
  p->add_flag("-q,--quiet", f.quiet, "No progress line");
  p->footer(
      "Each graph goes as batches of N-Triples lines: the first by PUT (it replaces the remote's "
      "graph), the next ones by POST (they add to it). Blank nodes become skolem IRIs that stay "
      "the same for the store across pushes, so a node whose triples fall into two batches is "
      "one node on the remote, and a batch sent twice changes nothing.\n"
      "After each acknowledged batch the state file records the snapshot's fingerprint, the graph "
      "list and the next graph and offset; running the same command again resumes there. If the "
      "store or the graph list changed since, the push refuses to resume without --restart. A "
      "completed push removes its state file, so the next run replicates again from the start.\n"
      "Exit codes: 0 every graph pushed, 1 failure (store, remote; the state is kept), 2 bad "
      "usage.");
  return p;
}

int cmdPush(const PushFlags& f) {
  if (f.endpoint.rfind("http://", 0) != 0 && f.endpoint.rfind("https://", 0) != 0)
    return usage("--endpoint must be an http:// or https:// URL");
  if (f.endpoint.find('#') != std::string::npos)
    return usage("--endpoint must not have a #fragment");
  if (!f.user.empty() && f.user.find(':') == std::string::npos)
    return usage("--user takes USER:PASSWORD");
  if (!f.user.empty() && !f.bearer.empty()) return usage("give --user or --bearer, not both");
  if (f.batch_quads == 0) return usage("--batch-quads must be at least 1");

  auto t_start = Clock::now();
  auto opened = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!opened) return failure(opened.status().message());
  auto snap = opened.value()->snapshot();

  // The graphs, in a fixed order (the state file's offsets depend on it).
  std::vector<Graph> graphs;
  {
    rdf::Term t;
    auto add = [&](store::TermId id) {
      for (const auto& g : graphs)
        if (g.id == id) return;
      Graph g;
      g.id = id;
      g.count = snap->count(store::QuadIds{0, 0, 0, id});
      graphs.push_back(std::move(g));
    };
    if (f.graphs.empty()) {
      for (auto id : snap->graphs()) add(id);
      uint64_t dflt = snap->count(store::QuadIds{0, 0, 0, store::kDefaultGraph});
      if (dflt > 0 && !f.quiet) {
        std::fprintf(stderr,
                     "weft push: note: the default graph (%llu triples) is not pushed; add --graph "
                     "default\n",
                     static_cast<unsigned long long>(dflt));
      }
    } else {
      for (std::string name : f.graphs) {
        if (name == "default") {
          if (snap->count(store::QuadIds{0, 0, 0, store::kDefaultGraph}) == 0)
            return failure("the default graph of the store is empty");
          add(store::kDefaultGraph);
          continue;
        }
        if (name.size() > 2 && name.front() == '<' && name.back() == '>')
          name = name.substr(1, name.size() - 2);
        store::TermId id = snap->lookup(rdf::TermView::iri(name));
        if (id == 0 || snap->count(store::QuadIds{0, 0, 0, id}) == 0)
          return failure("no graph <" + name + "> in the store");
        add(id);
      }
    }
    if (graphs.empty())
      return failure(
          "the store has no named graphs to push (use --graph default for the default graph)");
  }

  auto sid = storeId(f.store_dir);
  if (!sid)
    return failure(sid.status().message() + " (the store id for skolem IRIs lives in STORE/push/)");
  const std::string skolem_prefix = f.skolem_base + sid.value() + "-";
  LineWriter lines(*snap, skolem_prefix);

  uint64_t total = 0;
  for (auto& g : graphs) {
    total += g.count;
    if (g.id == store::kDefaultGraph) {
      g.key = "default";
      continue;
    }
    rdf::Term t;
    if (!snap->decode(g.id, &t))
      return failure("a graph name has an unknown term id; run 'weft check'");
    if (t.kind == rdf::TermKind::kBlank) {
      g.key = "_:" + t.value;
      std::string iri;
      Status s = lines.term(iri, g.id);
      if (!s) return failure(s.message());
      g.target = iri.substr(1, iri.size() - 2);
    } else {
      g.key = "<" + t.value + ">";
      g.target = t.value;
    }
  }

  // Fingerprint of what is pushed: every id of every selected graph, in scan
  // order. One pass over ids, no decoding; it tells a resume whether the
  // offsets recorded still mean the same triples.
  uint64_t fp = mix64(graphs.size());
  {
    std::vector<store::QuadIds> buf(4096);
    for (const auto& g : graphs) {
      fp = mix64(fp ^ g.id);
      auto c = snap->scan(store::QuadIds{0, 0, 0, g.id});
      size_t n;
      while ((n = c.nextBatch(buf.data(), buf.size())) > 0) {
        for (size_t i = 0; i < n; ++i) {
          fp = mix64(fp ^ buf[i].s);
          fp = mix64(fp ^ buf[i].p);
          fp = mix64(fp ^ buf[i].o);
        }
      }
    }
  }

  std::string state_path = f.state;
  if (state_path.empty()) {
    fs::path dir = fs::path(f.store_dir) / "push";
    state_path = (dir / (hex64(fnv1a(f.endpoint)) + ".state")).string();
  }
  {
    std::error_code ec;
    fs::path parent = fs::path(state_path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return failure("cannot create '" + parent.string() + "': " + ec.message());
  }

  PushState st;
  st.endpoint = f.endpoint;
  st.store_id = sid.value();
  st.fingerprint = hex64(fp);
  st.started = utcNow();
  for (const auto& g : graphs) st.graphs.emplace_back(g.key, g.count);

  bool resumed = false;
  std::error_code ec;
  if (fs::exists(state_path, ec)) {
    if (f.restart) {
      if (!f.quiet)
        std::fprintf(stderr, "weft push: --restart: ignoring the state in %s\n",
                     state_path.c_str());
    } else {
      auto old = parseState(state_path);
      if (!old) return failure(old.status().message() + "; remove it or give --restart");
      const PushState& o = old.value();
      if (o.endpoint != st.endpoint) {
        return failure("the state file " + state_path + " belongs to a push to " + o.endpoint +
                       ", not " + st.endpoint + "; give another --state, or --restart");
      }
      if (o.store_id != st.store_id || o.fingerprint != st.fingerprint || o.graphs != st.graphs) {
        bool same_graphs = o.graphs.size() == st.graphs.size();
        for (size_t i = 0; same_graphs && i < o.graphs.size(); ++i)
          same_graphs = o.graphs[i].first == st.graphs[i].first;
        return failure(std::string(same_graphs ? "the store changed" : "the graph list differs") +
                       " since the interrupted push recorded in " + state_path + " (started " +
                       o.started + ", " + std::to_string(o.sent) +
                       " triples acknowledged); its offsets no longer apply. "
                       "Run again with --restart to push every graph from the start");
      }
      st = o;
      resumed = st.next_graph > 0 || st.next_offset > 0;
    }
  }
  const size_t resume_graph = st.next_graph;
  const uint64_t resume_sent = st.sent;
  uint64_t already = 0;
  for (size_t i = 0; i < st.next_graph && i < graphs.size(); ++i) already += graphs[i].count;
  already += st.next_offset;
  if (resumed && !f.quiet) {
    std::fprintf(stderr,
                 "weft push: resuming the push started %s: graph %zu/%zu %s at triple %llu (%llu "
                 "of %llu triples done)\n",
                 st.started.c_str(), st.next_graph + 1, graphs.size(),
                 st.next_graph < graphs.size() ? graphs[st.next_graph].key.c_str() : "",
                 static_cast<unsigned long long>(st.next_offset),
                 static_cast<unsigned long long>(already), static_cast<unsigned long long>(total));
  }

  net::HttpSession session;
  if (!f.user.empty()) session.setCredentials(f.user);
  net::HttpRequest req;
  req.headers.emplace_back("Content-Type", f.content_type);
  req.headers.emplace_back("Accept", "*/*");
  if (!f.bearer.empty()) req.headers.emplace_back("Authorization", "Bearer " + f.bearer);
  req.timeout = std::chrono::milliseconds(static_cast<int64_t>(f.timeout * 1000));
  req.max_response_bytes = 4u << 20;  // only the first part of a message is shown

  Progress progress(f.quiet, total, already);
  uint64_t sent_now = 0, batches_now = 0;
  std::vector<store::QuadIds> buf(static_cast<size_t>(std::min<uint64_t>(f.batch_quads, 1u << 20)));

  for (size_t gi = st.next_graph; gi < graphs.size(); ++gi) {
    const Graph& g = graphs[gi];
    const std::string url = graphUrl(f.endpoint, g);
    auto cursor = snap->scan(store::QuadIds{0, 0, 0, g.id});
    // Skip what an earlier run already delivered (ids only, no decoding).
    for (uint64_t skip = st.next_offset; skip > 0;) {
      size_t n =
          cursor.nextBatch(buf.data(), static_cast<size_t>(std::min<uint64_t>(skip, buf.size())));
      if (n == 0)
        return failure("graph " + g.key +
                       " has fewer triples than the state file says; use --restart");
      skip -= n;
    }
    uint64_t offset = st.next_offset;
    while (offset < g.count) {
      // One batch: at most batch_quads triples, read in chunks of buf.
      req.body.clear();
      uint64_t want = std::min<uint64_t>(f.batch_quads, g.count - offset), got = 0;
      while (got < want) {
        size_t n = cursor.nextBatch(
            buf.data(), static_cast<size_t>(std::min<uint64_t>(want - got, buf.size())));
        if (n == 0) break;
        for (size_t i = 0; i < n; ++i) {
          Status s = lines.append(req.body, buf[i]);
          if (!s) return failure(s.message());
        }
        got += n;
      }
      if (got == 0)
        return failure("graph " + g.key + " ended before its counted triples; run 'weft check'");
      req.method = offset == 0 ? "PUT" : "POST";
      req.url = url;

      double wait = f.retry_wait;
      for (int attempt = 0;; ++attempt) {
        auto r = session.send(req);
        std::string problem;
        bool transient = false;
        if (!r) {
          problem = r.status().message();
          transient = true;
        } else if (r->status >= 200 && r->status < 300) {
          break;
        } else {
          problem = "HTTP " + std::to_string(r->status);
          std::string msg = excerpt(r->body);
          if (!msg.empty()) problem += ": " + msg;
          transient = transientStatus(r->status);
          if (r->status == 401 || r->status == 403)
            problem += f.user.empty() && f.bearer.empty()
                           ? " (the remote wants credentials: --user or --bearer)"
                           : " (check --user / --bearer and the account's rights)";
        }
        progress.breakLine();
        std::string what = req.method + " of graph " + g.key + ", triples " +
                           std::to_string(offset + 1) + "-" + std::to_string(offset + got);
        if (!transient || attempt >= f.retries) {
          std::fprintf(stderr, "weft push: error: %s failed: %s\n", what.c_str(), problem.c_str());
          if (st.sent > 0 || fs::exists(state_path, ec)) {
            std::fprintf(stderr,
                         "weft push: %llu of %llu triples acknowledged; the state is kept in %s: "
                         "run the same "
                         "command again to resume\n",
                         static_cast<unsigned long long>(already + sent_now),
                         static_cast<unsigned long long>(total), state_path.c_str());
          }
          return kExitFailure;
        }
        std::fprintf(stderr, "weft push: %s: %s; retry %d of %d in %.1f s\n", what.c_str(),
                     problem.c_str(), attempt + 1, f.retries, wait);
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        wait *= 2;
      }

      offset += got;
      sent_now += got;
      ++batches_now;
      st.sent += got;
      ++st.batches;
      if (offset >= g.count) {
        st.next_graph = gi + 1;
        st.next_offset = 0;
      } else {
        st.next_graph = gi;
        st.next_offset = offset;
      }
      Status s = writeAtomically(state_path, formatState(st));
      if (!s) {
        progress.breakLine();
        return failure(s.message() +
                       " (the remote has the batch; a rerun sends it again, which is harmless)");
      }
      progress.update(gi + 1, graphs.size(), sent_now);
    }
    st.next_offset = 0;
  }
  progress.update(graphs.size(), graphs.size(), sent_now, true);
  progress.breakLine();

  if (::unlink(state_path.c_str()) != 0 && errno != ENOENT) {
    std::fprintf(stderr, "weft push: warning: cannot remove %s: %s\n", state_path.c_str(),
                 std::strerror(errno));
  }
  double secs = secondsSince(t_start);
  std::printf(
      "pushed %llu triples of %zu graph(s) to %s in %llu batch(es), %.2f s (%.0f triples/s)\n",
      static_cast<unsigned long long>(sent_now), graphs.size(), f.endpoint.c_str(),
      static_cast<unsigned long long>(batches_now), secs, secs > 0 ? sent_now / secs : 0.0);
  if (resumed) {
    std::printf(
        "resumed at graph %zu/%zu after %llu triples acknowledged earlier; %llu triples in %llu "
        "batches over all runs\n",
        resume_graph + 1, graphs.size(), static_cast<unsigned long long>(resume_sent),
        static_cast<unsigned long long>(st.sent), static_cast<unsigned long long>(st.batches));
  }
  if (lines.blankTerms() > 0) {
    std::printf("blank nodes sent as skolem IRIs <%s...>\n", skolem_prefix.c_str());
  }
  return 0;
}

}  // namespace weft::cli
