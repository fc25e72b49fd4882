// SPDX-License-Identifier: Apache-2.0
// W3C RDF 1.1 syntax test runner (N-Triples, N-Quads, Turtle, TriG, RDF/XML).
//
//   rdf_conformance [--shared DIR] [--skip FILE] [--verbose] SUITE...
//
// SUITE is a folder of ../shared/conformance/w3c-rdf-tests/rdf/rdf11
// (rdf-n-triples, rdf-n-quads, rdf-turtle, rdf-trig, rdf-xml). The manifest is
// read with our own Turtle reader; mf:entries is walked in order and each test
// dispatched on its rdft: type (see ../shared/conformance/w3c-rdf-tests/README.md):
//   *PositiveSyntax  the action must parse;
//   *NegativeSyntax, *NegativeEval  the action must be rejected;
//   *Eval            the action must parse to a dataset isomorphic to mf:result
//                    (an N-Triples or N-Quads file).
// Actions are parsed with base IRI mf:assumedTestBase + file name, as the
// suites' expected results assume. Exit status: 0 all passed, 1 failures,
// 77 the test data is missing (ctest SKIP_RETURN_CODE).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"

namespace fs = std::filesystem;
using namespace weft;
using namespace weft::rdf;

namespace {

constexpr std::string_view kMf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kRdft = "http://www.w3.org/ns/rdftest#";
constexpr std::string_view kPublicBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/";

std::string str(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

// The manifest as subject -> (predicate, object) lists.
class Graph {
 public:
  explicit Graph(std::vector<Quad> quads) {
    for (Quad& q : quads) by_subject_[toNTriples(q.s.view())].push_back(std::move(q));
  }
  std::vector<Term> objects(const Term& s, std::string_view p) const {
    std::vector<Term> out;
    auto it = by_subject_.find(toNTriples(s.view()));
    if (it == by_subject_.end()) return out;
    for (const Quad& q : it->second)
      if (q.p.value == p) out.push_back(q.o);
    return out;
  }
  Term object(const Term& s, std::string_view p) const {
    auto v = objects(s, p);
    return v.empty() ? Term() : v.front();
  }
  std::vector<Term> subjectsOfType(std::string_view type) const {
    std::vector<Term> out;
    for (const auto& [k, qs] : by_subject_)
      for (const Quad& q : qs)
        if (q.p.value == str(kRdf, "type") && q.o.value == type) out.push_back(q.s);
    return out;
  }
  std::vector<Term> list(Term node) const {
    std::vector<Term> out;
    std::set<std::string> seen;  // guard against cyclic lists
    while (!node.isNone() && node.value != str(kRdf, "nil") &&
           seen.insert(toNTriples(node.view())).second) {
      out.push_back(object(node, str(kRdf, "first")));
      node = object(node, str(kRdf, "rest"));
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<Quad>> by_subject_;
};

struct Outcome {
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> failures;
};

Format formatOfType(std::string_view type) {
  if (type.find("NTriples") != std::string_view::npos) return Format::kNTriples;
  if (type.find("NQuads") != std::string_view::npos) return Format::kNQuads;
  if (type.find("Turtle") != std::string_view::npos) return Format::kTurtle;
  if (type.find("Trig") != std::string_view::npos) return Format::kTriG;
  if (type.find("XML") != std::string_view::npos) return Format::kRdfXml;
  return Format::kUnknown;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Skip list: "<test IRI> reason" per line; '#' starts a comment line.
std::map<std::string, std::string> loadSkips(const fs::path& file) {
  std::map<std::string, std::string> skips;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find_first_of(" \t");
    std::string iri = line.substr(0, sp);
    std::string reason =
        sp == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", sp));
    if (!iri.empty() && iri.front() == '<' && iri.back() == '>')
      iri = iri.substr(1, iri.size() - 2);
    skips[iri] = reason;
  }
  return skips;
}

Outcome runSuite(const std::string& suite, const fs::path& dir,
                 const std::map<std::string, std::string>& skips, bool verbose) {
  Outcome out;
  // Parse the manifest as if it were at its published location, so test and
  // file IRIs are the public ones and relative names map onto `dir`.
  const std::string public_dir = str(kPublicBase, suite + "/");
  ReadOptions mopts;
  mopts.format = Format::kTurtle;
  mopts.base_iri = public_dir + "manifest.ttl";
  VectorSink sink;
  Status s = readFile((dir / "manifest.ttl").string(), mopts, sink);
  if (!s) {
    out.failed = 1;
    out.failures.push_back("manifest: " + s.toString());
    return out;
  }
  Graph g(std::move(sink.quads));
  auto manifests = g.subjectsOfType(str(kMf, "Manifest"));
  if (manifests.empty()) {
    out.failed = 1;
    out.failures.push_back("manifest: no mf:Manifest");
    return out;
  }
  const Term& m = manifests.front();
  std::string test_base = public_dir;
  Term assumed = g.object(m, str(kMf, "assumedTestBase"));
  if (assumed.kind == TermKind::kIri) test_base = assumed.value;

  // File IRI (public) -> local path and the base IRI to parse it with.
  auto locate = [&](const Term& t, fs::path& path, std::string& base) {
    if (t.kind != TermKind::kIri || t.value.rfind(public_dir, 0) != 0) return false;
    std::string rel = t.value.substr(public_dir.size());
    path = dir / rel;
    base = test_base + rel;
    return true;
  };

  for (const Term& test : g.list(g.object(m, str(kMf, "entries")))) {
    std::string name = test.value;
    if (auto it = skips.find(test.value); it != skips.end()) {
      ++out.skipped;
      if (verbose) std::printf("  skip %s: %s\n", name.c_str(), it->second.c_str());
      continue;
    }
    std::string type;
    for (const Term& t : g.objects(test, str(kRdf, "type")))
      if (t.value.rfind(kRdft, 0) == 0) type = t.value.substr(kRdft.size());
    Format f = formatOfType(type);
    fs::path action_path;
    std::string action_base;
    auto fail = [&](const std::string& why) {
      ++out.failed;
      out.failures.push_back(name + " (" + type + "): " + why);
    };
    if (f == Format::kUnknown) {
      fail("unknown test type");
      continue;
    }
    if (!locate(g.object(test, str(kMf, "action")), action_path, action_base)) {
      fail("cannot locate mf:action");
      continue;
    }
    ReadOptions opts;
    opts.format = f;
    opts.base_iri = action_base;
    VectorSink got;
    Status rs = readFile(action_path.string(), opts, got);
    bool negative = endsWith(type, "NegativeSyntax") || endsWith(type, "NegativeEval");
    if (negative) {
      if (rs.isOk()) {
        fail("accepted, must be rejected");
      } else {
        ++out.passed;
        if (verbose) std::printf("  ok %s: %s\n", name.c_str(), rs.message().c_str());
      }
      continue;
    }
    if (!rs.isOk()) {
      fail("rejected: " + rs.toString());
      continue;
    }
    if (endsWith(type, "Eval")) {
      fs::path result_path;
      std::string result_base;
      if (!locate(g.object(test, str(kMf, "result")), result_path, result_base)) {
        fail("cannot locate mf:result");
        continue;
      }
      ReadOptions ropts;
      ropts.format = formatFromPath(result_path.string());
      ropts.base_iri = result_base;
      VectorSink expected;
      Status es = readFile(result_path.string(), ropts, expected);
      if (!es) {
        fail("cannot read expected result: " + es.toString());
        continue;
      }
      std::string why;
      if (!isomorphic(got.quads, expected.quads, &why)) {
        if (got.quads.size() + expected.quads.size() <= 30) {
          why += "\n--- got:\n" + toNQuadsText(got.quads) + "--- expected:\n" +
                 toNQuadsText(expected.quads);
        }
        fail("result differs: " + why);
        continue;
      }
    }
    ++out.passed;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path shared;
  fs::path skip_file;
  bool verbose = false;
  std::vector<std::string> suites;
#ifdef WEFT_SOURCE_DIR
  shared = fs::path(WEFT_SOURCE_DIR) / ".." / "shared";
  skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "rdf-skip.txt";
#endif
  if (const char* env = std::getenv("WEFT_SHARED_DIR")) shared = env;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) {
      shared = argv[++i];
    } else if (a == "--skip" && i + 1 < argc) {
      skip_file = argv[++i];
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--shared DIR] [--skip FILE] [--verbose] SUITE...\n", argv[0]);
      return 0;
    } else {
      suites.push_back(a);
    }
  }
  if (suites.empty())
    suites = {"rdf-n-triples", "rdf-n-quads", "rdf-turtle", "rdf-trig", "rdf-xml"};
  const fs::path root = shared / "conformance" / "w3c-rdf-tests" / "rdf" / "rdf11";
  if (shared.empty() || !fs::is_directory(root)) {
    std::printf("skipped: ../shared/conformance not found\n");
    return 77;
  }
  auto skips = skip_file.empty() ? std::map<std::string, std::string>() : loadSkips(skip_file);
  int failed = 0;
  for (const std::string& suite : suites) {
    if (!fs::is_directory(root / suite)) {
      std::printf("%s: no such suite in %s\n", suite.c_str(), root.string().c_str());
      ++failed;
      continue;
    }
    Outcome o = runSuite(suite, root / suite, skips, verbose);
    std::printf("%s: %d passed, %d failed, %d skipped\n", suite.c_str(), o.passed, o.failed,
                o.skipped);
    for (const std::string& f : o.failures) std::printf("  FAIL %s\n", f.c_str());
    failed += o.failed;
  }
  return failed ? 1 : 0;
}
