// SPDX-License-Identifier: Apache-2.0
// W3C SHACL Core test suite runner (../shared/conformance/shacl/core, see its
// README.md).
//
//   shacl_conformance [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING]
//
// core/manifest.ttl is read with our Turtle reader at its file:// IRI,
// following mf:include (one value or several, or a list) down to the test
// files, whose mf:entries name the tests. Each sht:Validate test loads its
// files (the test file, sht:dataGraph, sht:shapesGraph; often one and the
// same) into an in-memory store, each into a named graph named by its file
// IRI, blank nodes scoped per file, so a blank shape or focus node named in
// the expected report is the same node as in the shapes or data graph. The
// shapes graph is compiled from its graph, the data graph is validated as
// that named graph, and the report is compared with mf:result as the suite
// asks: sh:conforms, and the results as a multiset of (sh:focusNode,
// sh:resultPath, sh:value, sh:sourceShape, sh:sourceConstraintComponent,
// sh:resultSeverity), paths compared by structure (blank path nodes);
// sh:resultMessage is only checked where the expected result gives one (the
// message test asks for it). Tests in the skip list
// (tests/conformance/shacl-skip.txt: "<test IRI> reason" per line) and of
// other types are skipped with their reason. Exit status: 0 no failures,
// 1 failures, 77 the test data is missing (ctest SKIP_RETURN_CODE).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/db/database.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"
#include "engine/shacl/shacl.h"
#include "engine/store/store.h"

namespace fs = std::filesystem;
using namespace weft;
using rdf::Quad;
using rdf::Term;

namespace {

constexpr std::string_view kMf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
constexpr std::string_view kSht = "http://www.w3.org/ns/shacl-test#";
constexpr std::string_view kSh = "http://www.w3.org/ns/shacl#";
constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

std::string str(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

// Triples indexed by subject.
class Graph {
 public:
  explicit Graph(const std::vector<Quad>& quads) {
    for (const Quad& q : quads) by_subject_[rdf::toNTriples(q.s.view())].push_back(q);
  }
  std::vector<Term> objects(const Term& s, std::string_view p) const {
    std::vector<Term> out;
    auto it = by_subject_.find(rdf::toNTriples(s.view()));
    if (it == by_subject_.end()) return out;
    for (const Quad& q : it->second)
      if (q.p.value == p) out.push_back(q.o);
    return out;
  }
  Term object(const Term& s, std::string_view p) const {
    auto v = objects(s, p);
    return v.empty() ? Term() : v.front();
  }
  std::vector<Term> list(Term node) const {
    std::vector<Term> out;
    std::set<std::string> seen;
    while (!node.isNone() && node.value != str(kRdf, "nil") &&
           seen.insert(rdf::toNTriples(node.view())).second) {
      out.push_back(object(node, str(kRdf, "first")));
      node = object(node, str(kRdf, "rest"));
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<Quad>> by_subject_;
};

// file:///a/b%20c -> /a/b c; empty if not a file IRI.
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
  size_t hash = out.find('#');
  if (hash != std::string::npos) out.resize(hash);
  return out;
}

struct TestCase {
  Term iri;
  std::string file;  // the test file (holds mf:result)
  std::string data, shapes;
  bool validate = false;
};

Status readManifest(const fs::path& file, std::vector<TestCase>& tests, std::set<std::string>& seen,
                    int depth) {
  if (depth > 8) return Status::invalidArgument("mf:include nested too deeply at " + file.string());
  std::string path = fs::weakly_canonical(file).string();
  if (!seen.insert(path).second) return Status::ok();
  rdf::ReadOptions opts;
  opts.format = rdf::Format::kTurtle;
  rdf::VectorSink sink;
  WEFT_TRY(rdf::readFile(path, opts, sink));
  Graph g(sink.quads);
  const Term self = Term::iri(rdf::fileIri(path));
  for (const Term& inc : g.objects(self, str(kMf, "include"))) {
    std::vector<Term> targets =
        inc.kind == rdf::TermKind::kBlank ? g.list(inc) : std::vector<Term>{inc};
    for (const Term& t : targets) {
      std::string p = pathOfIri(t.value);
      if (p.empty()) return Status::invalidArgument("mf:include of a non-file IRI " + t.value);
      WEFT_TRY(readManifest(p, tests, seen, depth + 1));
    }
  }
  for (const Term& entries : g.objects(self, str(kMf, "entries"))) {
    for (const Term& t : g.list(entries)) {
      TestCase tc;
      tc.iri = t;
      tc.file = path;
      for (const Term& type : g.objects(t, str(kRdf, "type")))
        if (type.value == str(kSht, "Validate")) tc.validate = true;
      Term action = g.object(t, str(kMf, "action"));
      tc.data = pathOfIri(g.object(action, str(kSht, "dataGraph")).value);
      tc.shapes = pathOfIri(g.object(action, str(kSht, "shapesGraph")).value);
      tests.push_back(std::move(tc));
    }
  }
  return Status::ok();
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

// A SHACL path node of the expected report as a PropertyPath.
bool parsePath(const Graph& g, const Term& n, shacl::PropertyPath* out, int depth = 0) {
  using K = shacl::PropertyPath::Kind;
  if (depth > 32) return false;
  if (n.kind == rdf::TermKind::kIri) {
    out->kind = K::kPredicate;
    out->iri = n.value;
    return true;
  }
  auto subs = [&](const std::vector<Term>& items, K kind) {
    out->kind = kind;
    for (const Term& m : items) {
      out->sub.emplace_back();
      if (!parsePath(g, m, &out->sub.back(), depth + 1)) return false;
    }
    return !items.empty();
  };
  if (!g.object(n, str(kRdf, "first")).isNone()) return subs(g.list(n), K::kSequence);
  if (Term a = g.object(n, str(kSh, "alternativePath")); !a.isNone())
    return subs(g.list(a), K::kAlternative);
  const std::pair<const char*, K> kUnary[] = {{"inversePath", K::kInverse},
                                              {"zeroOrMorePath", K::kZeroOrMore},
                                              {"oneOrMorePath", K::kOneOrMore},
                                              {"zeroOrOnePath", K::kZeroOrOne}};
  for (const auto& [local, kind] : kUnary)
    if (Term x = g.object(n, str(kSh, local)); !x.isNone()) return subs({x}, kind);
  return false;
}

std::string key(const Term& focus, const std::string& path, const Term& value, const Term& shape,
                const Term& comp, const Term& sev) {
  auto nt = [](const Term& t) { return t.isNone() ? std::string("-") : rdf::toNTriples(t.view()); };
  return "focus " + nt(focus) + " path " + (path.empty() ? "-" : path) + " value " + nt(value) +
         " shape " + nt(shape) + " component " + nt(comp) + " severity " + nt(sev);
}

// Runs one test; returns an empty string on success, else why it failed.
std::string runTest(const TestCase& tc, bool verbose) {
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  if (!txn) return "store: " + txn.status().message();
  store::Loader loader(txn.value().get());
  std::vector<std::string> files = {tc.file};
  for (const std::string& f : {tc.data, tc.shapes})
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  for (const std::string& f : files) {
    rdf::ReadOptions ro;
    ro.format = rdf::Format::kTurtle;
    ro.graph = rdf::fileIri(f);
    loader.startDocument();
    if (Status s = rdf::readFile(f, ro, loader); !s) return "cannot read " + f + ": " + s.message();
  }
  if (Status s = txn.value()->commit(); !s) return "commit: " + s.message();
  db::StoreDataset ds(st->snapshot());
  auto id = [&](const std::string& f) { return ds.lookup(rdf::TermView::iri(rdf::fileIri(f))); };
  auto shapes = shacl::shapesFromDataset(ds, id(tc.shapes));
  if (!shapes) return "shapes: " + shapes.status().message();
  auto report = shacl::validate(ds, shacl::DataScope::named(Term::iri(rdf::fileIri(tc.data))),
                                shapes.value());
  if (!report) return "validate: " + report.status().message();

  // The expected report, from the test file's graph in the same store.
  std::vector<Quad> quads;
  auto cur = ds.scan(sparql::IdQuad{0, 0, 0, id(tc.file)});
  sparql::IdQuad q;
  while (cur->next(&q)) {
    Quad x;
    ds.decode(q.s, &x.s);
    ds.decode(q.p, &x.p);
    ds.decode(q.o, &x.o);
    quads.push_back(std::move(x));
  }
  Graph g(quads);
  Term expected = g.object(tc.iri, str(kMf, "result"));
  if (expected.isNone()) return "the test has no mf:result";
  Term conforms = g.object(expected, str(kSh, "conforms"));
  bool want_conforms = conforms.value == "true" || conforms.value == "1";
  std::multiset<std::string> want, got;
  std::map<std::string, std::vector<Term>> want_messages;
  for (const Term& r : g.objects(expected, str(kSh, "result"))) {
    std::string path;
    Term p = g.object(r, str(kSh, "resultPath"));
    if (!p.isNone()) {
      shacl::PropertyPath pp;
      if (!parsePath(g, p, &pp)) return "cannot read an expected sh:resultPath";
      path = shacl::pathToSparql(pp);
    }
    std::string k = key(g.object(r, str(kSh, "focusNode")), path, g.object(r, str(kSh, "value")),
                        g.object(r, str(kSh, "sourceShape")),
                        g.object(r, str(kSh, "sourceConstraintComponent")),
                        g.object(r, str(kSh, "resultSeverity")));
    want.insert(k);
    for (const Term& m : g.objects(r, str(kSh, "resultMessage"))) want_messages[k].push_back(m);
  }
  std::map<std::string, std::vector<Term>> got_messages;
  for (const auto& r : report.value().results) {
    std::string k = key(r.focus_node, r.path ? shacl::pathToSparql(*r.path) : std::string(),
                        r.value, r.source_shape, r.component, r.severity);
    got.insert(k);
    for (const Term& m : r.messages) got_messages[k].push_back(m);
  }
  std::string why;
  if (report.value().conforms != want_conforms)
    why += std::string("sh:conforms is ") + (report.value().conforms ? "true" : "false") +
           ", expected " + (want_conforms ? "true" : "false") + "\n";
  if (want != got) {
    std::multiset<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                        std::inserter(missing, missing.end()));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                        std::inserter(extra, extra.end()));
    for (const auto& m : missing) why += "  missing: " + m + "\n";
    for (const auto& e : extra) why += "  unexpected: " + e + "\n";
  }
  for (const auto& [k, msgs] : want_messages)
    for (const Term& m : msgs) {
      const auto& have = got_messages[k];
      if (std::find(have.begin(), have.end(), m) == have.end())
        why += "  missing sh:resultMessage " + rdf::toNTriples(m.view()) + " on " + k + "\n";
    }
  if (verbose && why.empty()) {
    std::printf("%s", shacl::summaryText(report.value(), shapes.value(), 5).c_str());
  }
  return why;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path shared, skip_file;
#ifdef WEFT_SOURCE_DIR
  shared = fs::path(WEFT_SOURCE_DIR) / ".." / "shared";
  skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "shacl-skip.txt";
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
      std::printf("usage: %s [--shared DIR] [--skip FILE] [--verbose] [--only SUBSTRING]\n",
                  argv[0]);
      return 2;
    }
  }
  const fs::path root = shared / "conformance" / "shacl" / "core" / "manifest.ttl";
  if (shared.empty() || !fs::is_regular_file(root)) {
    std::printf("skipped: ../shared/conformance/shacl/core/manifest.ttl not found (looked in %s)\n",
                shared.string().c_str());
    return 77;
  }
  std::vector<TestCase> tests;
  std::set<std::string> seen;
  if (Status s = readManifest(root, tests, seen, 0); !s) {
    std::printf("shacl-core: cannot read the manifests: %s\n", s.toString().c_str());
    return 1;
  }
  auto skips = readSkips(skip_file);
  int passed = 0, failed = 0, skipped = 0;
  for (const TestCase& tc : tests) {
    const std::string& name = tc.iri.value;
    if (!only.empty() && name.find(only) == std::string::npos) continue;
    if (auto it = skips.find(name); it != skips.end()) {
      ++skipped;
      std::printf("SKIP %s: %s\n", name.c_str(), it->second.c_str());
      continue;
    }
    if (!tc.validate) {
      ++skipped;
      std::printf("SKIP %s: not an sht:Validate test\n", name.c_str());
      continue;
    }
    if (tc.data.empty() || tc.shapes.empty()) {
      ++failed;
      std::printf("FAIL %s: no sht:dataGraph / sht:shapesGraph file\n", name.c_str());
      continue;
    }
    std::string why = runTest(tc, verbose);
    if (why.empty()) {
      ++passed;
      if (verbose) std::printf("PASS %s\n", name.c_str());
    } else {
      ++failed;
      std::printf("FAIL %s\n%s", name.c_str(), why.c_str());
      if (why.back() != '\n') std::printf("\n");
    }
  }
  std::printf("shacl-core: %d passed, %d failed, %d skipped (of %zu tests)\n", passed, failed,
              skipped, tests.size());
  return failed ? 1 : 0;
}
