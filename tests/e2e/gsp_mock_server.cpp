// SPDX-License-Identifier: Apache-2.0
// A Graph Store Protocol server for testing `weft push` (push_test.sh): it
// keeps what it receives as sets of N-Triples lines per graph, in memory,
// and can be told to fail, so an interrupted push and its resumption can be
// checked without a real triple store. Listens on 127.0.0.1 only.
//
//   weft_gsp_mock --port-file FILE [--user USER:PASS] [--bearer KEY]
//
//   PUT  /gsp?graph=IRI | /gsp?default   replace the graph with the body's lines
//   POST /gsp?graph=IRI | /gsp?default   add the body's lines
//   GET  /gsp?graph=IRI | /gsp?default   the graph as N-Triples (404 if absent)
//   GET  /dump                           every graph as N-Quads
//   GET  /log                            one line per data request: METHOD GRAPH LINES STATUS
//   GET  /control?fail_after=K&status=S&times=T
//                                        after K more accepted data requests, answer the
//                                        next T (default: all) with status S
//   GET  /quit                           stop
//
// The body must be N-Triples lines (what weft push sends); a line that does
// not end with " ." is a 400, like a parse error in a real store.
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace {

struct State {
  std::mutex mu;
  std::map<std::string, std::set<std::string>> graphs;  // "" = default graph
  std::string log;
  long fail_after = -1;  // -1: never fail
  long fail_times = -1;  // -1: every request once failing
  int fail_status = 503;
};

std::string base64(const std::string& in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += tbl[v >> 18 & 63];
    out += tbl[v >> 12 & 63];
    out += tbl[v >> 6 & 63];
    out += tbl[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += tbl[v >> 18 & 63];
    out += tbl[v >> 12 & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += tbl[v >> 18 & 63];
    out += tbl[v >> 12 & 63];
    out += tbl[v >> 6 & 63];
    out += '=';
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string port_file, user, bearer;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--port-file")
      port_file = argv[i + 1];
    else if (a == "--user")
      user = argv[i + 1];
    else if (a == "--bearer")
      bearer = argv[i + 1];
    else {
      std::fprintf(stderr, "weft_gsp_mock: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (port_file.empty()) {
    std::fprintf(stderr,
                 "usage: weft_gsp_mock --port-file FILE [--user USER:PASS] [--bearer KEY]\n");
    return 2;
  }
  State st;
  httplib::Server srv;
  const std::string want_auth = !user.empty()     ? "Basic " + base64(user)
                                : !bearer.empty() ? "Bearer " + bearer
                                                  : std::string();

  // Which graph a request names: "" for ?default, the IRI for ?graph=.
  auto graphOf = [](const httplib::Request& req, std::string* g) {
    if (req.has_param("default") && !req.has_param("graph")) {
      g->clear();
      return true;
    }
    if (!req.has_param("graph") || req.get_param_value("graph").empty()) return false;
    *g = req.get_param_value("graph");
    return true;
  };

  auto data = [&](const httplib::Request& req, httplib::Response& res) {
    std::string g;
    if (!graphOf(req, &g)) {
      res.status = 400;
      res.set_content("give ?graph=IRI or ?default\n", "text/plain");
      return;
    }
    if (!want_auth.empty() && req.get_header_value("Authorization") != want_auth) {
      res.status = 401;
      res.set_header("WWW-Authenticate", "Basic realm=\"gsp-mock\"");
      res.set_content("authentication required\n", "text/plain");
      return;
    }
    std::string ct = req.get_header_value("Content-Type");
    ct = ct.substr(0, ct.find(';'));
    if (ct != "text/turtle" && ct != "application/n-triples" && ct != "text/plain") {
      res.status = 415;
      res.set_content("unsupported media type '" + ct + "'\n", "text/plain");
      return;
    }
    std::lock_guard<std::mutex> lock(st.mu);
    auto logLine = [&](size_t n) {
      st.log += req.method + " " + (g.empty() ? "default" : "<" + g + ">") + " " +
                std::to_string(n) + " " + std::to_string(res.status) + "\n";
    };
    if (st.fail_after == 0 && st.fail_times != 0) {
      if (st.fail_times > 0) --st.fail_times;
      res.status = st.fail_status;
      res.set_content("injected failure: the mock store is told to fail\nsecond line\n",
                      "text/plain");
      logLine(0);
      return;
    }
    std::set<std::string> lines;
    size_t pos = 0;
    const std::string& b = req.body;
    while (pos < b.size()) {
      size_t nl = b.find('\n', pos);
      if (nl == std::string::npos) nl = b.size();
      std::string line = b.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.empty()) continue;
      if (line.size() < 3 || line.compare(line.size() - 2, 2, " .") != 0) {
        res.status = 400;
        res.set_content("not an N-Triples line: " + line + "\n", "text/plain");
        logLine(0);
        return;
      }
      lines.insert(line.substr(0, line.size() - 2));
    }
    bool existed = st.graphs.count(g) > 0;
    auto& dest = st.graphs[g];
    if (req.method == "PUT") dest.clear();
    dest.insert(lines.begin(), lines.end());
    res.status = req.method == "PUT" && !existed ? 201 : 204;
    logLine(lines.size());
    if (st.fail_after > 0) --st.fail_after;
  };
  srv.Put("/gsp", data);
  srv.Post("/gsp", data);
  srv.Get("/gsp", [&](const httplib::Request& req, httplib::Response& res) {
    std::string g;
    if (!graphOf(req, &g)) {
      res.status = 400;
      return;
    }
    std::lock_guard<std::mutex> lock(st.mu);
    auto it = st.graphs.find(g);
    if (it == st.graphs.end()) {
      res.status = 404;
      return;
    }
    std::string out;
    for (const auto& l : it->second) out += l + " .\n";
    res.set_content(out, "application/n-triples");
  });
  srv.Get("/dump", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(st.mu);
    std::string out;
    for (const auto& [g, lines] : st.graphs)
      for (const auto& l : lines) out += g.empty() ? l + " .\n" : l + " <" + g + "> .\n";
    res.set_content(out, "application/n-quads");
  });
  srv.Get("/log", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(st.mu);
    res.set_content(st.log, "text/plain");
  });
  srv.Get("/control", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(st.mu);
    st.fail_after =
        req.has_param("fail_after") ? std::atol(req.get_param_value("fail_after").c_str()) : -1;
    st.fail_status =
        req.has_param("status") ? std::atoi(req.get_param_value("status").c_str()) : 503;
    st.fail_times = req.has_param("times") ? std::atol(req.get_param_value("times").c_str()) : -1;
    res.set_content("ok\n", "text/plain");
  });
  srv.Get("/quit", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("bye\n", "text/plain");
    srv.stop();
  });

  int port = srv.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "weft_gsp_mock: cannot listen on 127.0.0.1\n");
    return 1;
  }
  {
    std::ofstream pf(port_file + ".tmp");
    pf << port << "\n";
  }
  std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  srv.listen_after_bind();
  return 0;
}
