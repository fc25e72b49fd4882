// SPDX-License-Identifier: Apache-2.0
// W3C RDF Dataset Canonicalization (RDFC-1.0) test suite runner
// (../shared/conformance/rdf-canon, see its README.md).
//
//   rdfcanon_conformance [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING]
//
// tests/manifest.ttl is read with our Turtle reader; its mf:entries list
// names the tests, run in manifest order:
//   rdfc:RDFC10EvalTest          canonical N-Quads must equal mf:result byte for byte;
//   rdfc:RDFC10MapTest           the issued identifier map must equal the JSON of mf:result
//                                (same keys: every input blank node label, same values);
//   rdfc:RDFC10NegativeEvalTest  canonicalization must stop with the work limit's error.
// rdfc:hashAlgorithm picks SHA-384 where the manifest says so. The work limit
// is the library's default (CanonOptions::max_deep_iterations = 0), so the
// negative test checks what `weft export` / `weft import` would do.
// Tests in the skip list (tests/conformance/rdfcanon-skip.txt: "<test IRI>
// reason" per line) are skipped with their reason. Prints the pass counts per
// kind. Exit status: 0 no failures, 1 failures, 77 the test data is missing.
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rdf/canon.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"

namespace fs = std::filesystem;
using namespace weft;
using rdf::Quad;
using rdf::Term;

namespace {

constexpr std::string_view kMf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kRdfc = "https://w3c.github.io/rdf-canon/tests/vocab#";
constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

std::string str(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

class Graph {
 public:
  explicit Graph(const std::vector<Quad>& quads) {
    for (const Quad& q : quads) by_subject_[rdf::toNTriples(q.s.view())].push_back(q);
  }
  Term object(const Term& s, std::string_view p) const {
    auto it = by_subject_.find(rdf::toNTriples(s.view()));
    if (it == by_subject_.end()) return Term();
    for (const Quad& q : it->second)
      if (q.p.value == p) return q.o;
    return Term();
  }
  std::vector<Term> list(Term node) const {
    std::vector<Term> out;
    for (int guard = 0; !node.isNone() && node.value != str(kRdfNs, "nil") && guard < 100000; ++guard) {
      out.push_back(object(node, str(kRdfNs, "first")));
      node = object(node, str(kRdfNs, "rest"));
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<Quad>> by_subject_;
};

std::string pathOfIri(std::string_view iri) {
  if (iri.substr(0, 7) != "file://") return {};
  std::string_view rest = iri.substr(7);
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size()) {
      out += static_cast<char>(std::stoi(std::string(rest.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += rest[i];
    }
  }
  return out;
}

std::map<std::string, std::string> readSkips(const fs::path& file) {
  std::map<std::string, std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    size_t e = line.find_first_of(" \t", b);
    std::string iri = line.substr(b, e == std::string::npos ? std::string::npos : e - b);
    std::string why =
        e == std::string::npos ? std::string() : line.substr(line.find_first_not_of(" \t", e));
    if (why.empty()) why = "(no reason given)";
    out[iri] = why;
  }
  return out;
}

bool slurp(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

struct TestCase {
  std::string iri, kind, name, action, result;
  rdf::CanonHash hash = rdf::CanonHash::kSha256;
};

// Empty on success, else why the test failed.
std::string runTest(const TestCase& tc, uint64_t* calls, uint64_t* deep) {
  rdf::VectorSink sink;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kNQuads;
  if (Status s = rdf::readFile(tc.action, ro, sink); !s) return "cannot read the input: " + s.toString();
  rdf::CanonOptions opts;
  opts.hash = tc.hash;
  auto r = rdf::canonicalize(sink.quads, opts);
  if (tc.kind == "RDFC10NegativeEvalTest") {
    if (r) {
      return "canonicalized (" + std::to_string(r->ndegree_calls) +
             " N-degree calls); expected the work limit's error";
    }
    if (r.status().code() != StatusCode::kAborted) return "failed, but not by the work limit: " + r.status().toString();
    return {};
  }
  if (!r) return "canonicalization failed: " + r.status().toString();
  *calls = r->ndegree_calls;
  *deep = r->max_deep_iterations;
  std::string expected;
  if (!slurp(tc.result, &expected)) return "cannot read " + tc.result;
  if (tc.kind == "RDFC10EvalTest") {
    if (r->nquads == expected) return {};
    return "canonical N-Quads differ\n--- expected\n" + expected + "--- got\n" + r->nquads;
  }
  // Map test.
  rapidjson::Document doc;
  doc.Parse(expected.data(), expected.size());
  if (doc.HasParseError() || !doc.IsObject()) return "the expected map is not a JSON object";
  std::map<std::string, std::string> want, got;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    if (!it->value.IsString()) return "the expected map has a non-string value";
    want[it->name.GetString()] = it->value.GetString();
  }
  for (const auto& [from, to] : r->issued) got[from] = to;
  if (want == got) return {};
  std::string why = "issued identifiers differ\n";
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    why += "  " + k + ": expected " + v + ", got " + (it == got.end() ? "(none)" : it->second) + "\n";
  }
  for (const auto& [k, v] : got)
    if (!want.count(k)) why += "  " + k + ": not expected, got " + v + "\n";
  return why;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path shared, skip_file;
#ifdef WEFT_SOURCE_DIR
  shared = fs::path(WEFT_SOURCE_DIR) / ".." / "shared";
  skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "rdfcanon-skip.txt";
#endif
  if (const char* env = std::getenv("WEFT_SHARED_DIR")) shared = env;
  bool verbose = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) {
      shared = argv[++i];
    } else if (a == "--skip" && i + 1 < argc) {
      skip_file = argv[++i];
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::printf("usage: %s [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING]\n", argv[0]);
      return 2;
    }
  }
  const fs::path manifest = shared / "conformance" / "rdf-canon" / "tests" / "manifest.ttl";
  if (shared.empty() || !fs::is_regular_file(manifest)) {
    std::printf("skipped: ../shared/conformance/rdf-canon/tests/manifest.ttl not found (looked in %s)\n",
                shared.string().c_str());
    return 77;
  }
  rdf::VectorSink sink;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTurtle;
  const std::string manifest_path = fs::weakly_canonical(manifest).string();
  ro.base_iri = rdf::fileIri(manifest_path);
  if (Status s = rdf::readFile(manifest_path, ro, sink); !s) {
    std::printf("rdf-canon: cannot read the manifest: %s\n", s.toString().c_str());
    return 1;
  }
  Graph g(sink.quads);
  // The manifest names itself <manifest> (no extension): find it by its mf:entries.
  Term head;
  for (const Quad& q : sink.quads)
    if (q.p.value == str(kMf, "entries")) head = q.o;
  std::vector<TestCase> tests;
  for (const Term& e : g.list(head)) {
    TestCase tc;
    tc.iri = e.value;
    Term type = g.object(e, str(kRdfNs, "type"));
    tc.kind = type.value.substr(type.value.rfind('#') + 1);
    tc.name = g.object(e, str(kMf, "name")).value;
    tc.action = pathOfIri(g.object(e, str(kMf, "action")).value);
    tc.result = pathOfIri(g.object(e, str(kMf, "result")).value);
    Term alg = g.object(e, str(kRdfc, "hashAlgorithm"));
    if (!alg.isNone() && !rdf::canonHashFromName(alg.value, &tc.hash)) tc.kind = "unknown hash " + alg.value;
    tests.push_back(std::move(tc));
  }
  if (tests.empty()) {
    std::printf("rdf-canon: the manifest lists no tests\n");
    return 1;
  }
  auto skips = readSkips(skip_file);
  struct Count { int passed = 0, failed = 0, skipped = 0; };
  std::map<std::string, Count> by_kind;
  int passed = 0, failed = 0, skipped = 0;
  for (const TestCase& tc : tests) {
    if (!only.empty() && tc.iri.find(only) == std::string::npos) continue;
    Count& c = by_kind[tc.kind];
    std::string label = tc.iri.substr(tc.iri.rfind('#') + 1);
    if (auto it = skips.find(tc.iri); it != skips.end()) {
      ++c.skipped, ++skipped;
      std::printf("SKIP %s: %s\n", label.c_str(), it->second.c_str());
      continue;
    }
    if (tc.kind != "RDFC10EvalTest" && tc.kind != "RDFC10MapTest" && tc.kind != "RDFC10NegativeEvalTest") {
      ++c.failed, ++failed;
      std::printf("FAIL %s: unknown test type %s\n", label.c_str(), tc.kind.c_str());
      continue;
    }
    uint64_t calls = 0, deep = 0;
    auto t0 = std::chrono::steady_clock::now();
    std::string why = runTest(tc, &calls, &deep);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (why.empty()) {
      ++c.passed, ++passed;
      if (verbose)
        std::printf("PASS %s (%s; %llu N-degree calls, at most %llu per node, %.1f ms)\n",
                    label.c_str(), tc.name.c_str(), static_cast<unsigned long long>(calls),
                    static_cast<unsigned long long>(deep), ms);
    } else {
      ++c.failed, ++failed;
      std::printf("FAIL %s (%s): %s\n", label.c_str(), tc.name.c_str(), why.c_str());
    }
  }
  for (const auto& [kind, c] : by_kind)
    std::printf("rdf-canon %s: %d passed, %d failed, %d skipped\n", kind.c_str(), c.passed, c.failed,
                c.skipped);
  std::printf("rdf-canon: %d passed, %d failed, %d skipped (of %zu tests)\n", passed, failed, skipped,
              tests.size());
  return failed ? 1 : 0;
}
