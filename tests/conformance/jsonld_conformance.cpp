// SPDX-License-Identifier: Apache-2.0
// W3C JSON-LD 1.1 API test runner (expand and toRdf manifests).
//
//   jsonld_conformance [--shared DIR] [--skip FILE] [--verbose] [--only ID] SUITE...
//
// SUITE is "toRdf" or "expand"; the data is ../shared/conformance/json-ld/tests
// beside the checkout (see its README.md). Each manifest's `sequence` is run in
// order; a test's IRI is https://w3c.github.io/json-ld-api/tests/ + its file,
// and that prefix maps to the local folder for remote contexts and documents.
//   jld:PositiveEvaluationTest  toRdf: N-Quads isomorphic to `expect`;
//                               expand: JSON equal to `expect` (arrays compared
//                               as multisets except @list values, as the
//                               suite's harnesses do);
//   jld:PositiveSyntaxTest      must succeed;
//   jld:NegativeEvaluationTest  must fail with `expectErrorCode`.
// Per-test options: base, expandContext, processingMode, rdfDirection,
// produceGeneralizedRdf; specVersion json-ld-1.0 tests are skipped (this is a
// 1.1 processor). The skip file lists "<suite>#<id> reason" per line.
// Prints "jsonld-<suite>: N passed, M failed, K skipped". Exit status: 0 when
// every test not skipped passed, 1 otherwise, 77 when the data is missing.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/utf8.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/internal/jsonld.h"
#include "engine/rdf/internal/jsonld_json.h"
#include "engine/rdf/syntax.h"

namespace fs = std::filesystem;
using namespace weft;
using namespace weft::rdf;
using weft::rdf::internal::Json;

namespace {

constexpr std::string_view kPublicBase = "https://w3c.github.io/json-ld-api/tests/";

bool readFile(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::map<std::string, std::string> readSkipList(const fs::path& p) {
  std::map<std::string, std::string> skips;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find_first_of(" \t");
    std::string id = line.substr(0, sp);
    std::string reason = sp == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", sp));
    skips[id] = reason;
  }
  return skips;
}

// JSON-LD object comparison for expansion results: objects by key, arrays as
// multisets, except the array of an @list entry, which is ordered.
bool jsonEquivalent(const Json& a, const Json& b, bool ordered = false) {
  if (a.kind() != b.kind()) return false;
  if (a.isArray()) {
    if (a.size() != b.size()) return false;
    if (ordered) {
      for (size_t i = 0; i < a.size(); ++i)
        if (!jsonEquivalent(a.arr()[i], b.arr()[i])) return false;
      return true;
    }
    std::vector<bool> used(b.size(), false);
    for (const Json& x : a.arr()) {
      bool found = false;
      for (size_t i = 0; i < b.size() && !found; ++i) {
        if (!used[i] && jsonEquivalent(x, b.arr()[i])) used[i] = found = true;
      }
      if (!found) return false;
    }
    return true;
  }
  if (a.isObject()) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a.obj()) {
      const Json* w = b.find(k);
      if (!w || !jsonEquivalent(v, *w, k == "@list")) return false;
    }
    return true;
  }
  return a == b;
}

// Generalized N-Quads (any term kind in any position), for the expected output
// of produceGeneralizedRdf tests, which the strict N-Quads reader rejects.
// Returns false on a line it cannot read.
bool parseGeneralizedNQuads(std::string_view text, std::vector<Quad>& out) {
  size_t i = 0;
  auto skipWs = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  std::function<bool(Term&)> term = [&](Term& t) -> bool {
    skipWs();
    if (i >= text.size()) return false;
    if (text[i] == '<') {
      size_t end = text.find('>', i);
      if (end == std::string_view::npos) return false;
      t = Term::iri(text.substr(i + 1, end - i - 1));
      i = end + 1;
      return true;
    }
    if (text.substr(i, 2) == "_:") {
      size_t end = text.find_first_of(" \t\n", i);
      t = Term::blank(text.substr(i + 2, end - i - 2));
      i = end;
      return true;
    }
    if (text[i] != '"') return false;
    std::string lex;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] != '\\') {
        lex += text[i];
        continue;
      }
      char e = text[++i];
      if (e == 'n') lex += '\n';
      else if (e == 'r') lex += '\r';
      else if (e == 't') lex += '\t';
      else if (e == 'u' || e == 'U') {
        int len = e == 'u' ? 4 : 8;
        weft::appendUtf8(lex, std::stoul(std::string(text.substr(i + 1, len)), nullptr, 16));
        i += len;
      } else lex += e;
    }
    ++i;
    if (text.substr(i, 2) == "^^") {
      i += 2;
      Term dt;
      if (!term(dt)) return false;
      t = Term::literal(lex, dt.value);
    } else if (i < text.size() && text[i] == '@') {
      size_t end = text.find_first_of(" \t", i);
      t = Term::literal(lex, kRdfLangString, text.substr(i + 1, end - i - 1));
      i = end;
    } else {
      t = Term::literal(lex);
    }
    return true;
  };
  while (i < text.size()) {
    skipWs();
    if (i < text.size() && text[i] == '\n') {
      ++i;
      continue;
    }
    if (i >= text.size()) break;
    Quad q;
    if (!term(q.s) || !term(q.p) || !term(q.o)) return false;
    skipWs();
    if (i < text.size() && text[i] != '.' && !term(q.g)) return false;
    skipWs();
    if (i >= text.size() || text[i] != '.') return false;
    ++i;
    out.push_back(std::move(q));
  }
  return true;
}

std::string optString(const Json& obj, std::string_view key) {
  const Json* v = obj.find(key);
  return v && v->isString() ? v->str() : std::string();
}

bool hasType(const Json& test, std::string_view type) {
  const Json* t = test.find("@type");
  if (!t) return false;
  if (t->isString()) return t->str() == type;
  if (t->isArray())
    for (const Json& x : t->arr())
      if (x.isString() && x.str() == type) return true;
  return false;
}

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

int runSuite(const std::string& suite, const fs::path& dir,
             const std::map<std::string, std::string>& skips, bool verbose,
             const std::string& only) {
  std::string manifest_text;
  fs::path manifest_path = dir / (suite + "-manifest.jsonld");
  if (!readFile(manifest_path, manifest_text)) {
    std::printf("jsonld-%s: cannot read %s\n", suite.c_str(), manifest_path.string().c_str());
    return 1;
  }
  Result<Json> manifest = internal::parseJson(manifest_text, manifest_path.string());
  if (!manifest) {
    std::printf("%s\n", manifest.status().message().c_str());
    return 1;
  }
  const Json* sequence = manifest->find("sequence");
  if (!sequence || !sequence->isArray()) {
    std::printf("jsonld-%s: manifest has no sequence\n", suite.c_str());
    return 1;
  }
  Counts counts;
  std::vector<std::string> failures;
  for (const Json& test : sequence->arr()) {
    std::string id = suite + optString(test, "@id");
    if (!only.empty() && id != only && optString(test, "@id") != only) continue;
    const Json* option = test.find("option");
    Json no_options = Json::object();
    if (!option) option = &no_options;
    auto skip = skips.find(id);
    if (skip != skips.end()) {
      ++counts.skipped;
      if (verbose) std::printf("SKIP %s: %s\n", id.c_str(), skip->second.c_str());
      continue;
    }
    if (optString(*option, "specVersion") == "json-ld-1.0") {
      ++counts.skipped;
      if (verbose) std::printf("SKIP %s: json-ld-1.0 only test\n", id.c_str());
      continue;
    }
    std::string input = optString(test, "input");
    std::string input_text;
    if (!readFile(dir / input, input_text)) {
      ++counts.failed;
      failures.push_back(id + ": cannot read input " + input);
      continue;
    }
    internal::JsonLdOptions opts;
    opts.base = std::string(kPublicBase) + input;
    if (std::string b = optString(*option, "base"); !b.empty()) opts.base = b;
    if (std::string pm = optString(*option, "processingMode"); !pm.empty()) opts.processing_mode = pm;
    if (std::string ec = optString(*option, "expandContext"); !ec.empty())
      opts.expand_context = std::string(kPublicBase) + ec;
    opts.rdf_direction = optString(*option, "rdfDirection");
    if (const Json* g = option->find("produceGeneralizedRdf"); g && g->isBool())
      opts.produce_generalized_rdf = g->boolean();
    opts.context_map[std::string(kPublicBase)] = dir.string() + "/";
    opts.display_name = input;

    bool negative = hasType(test, "jld:NegativeEvaluationTest");
    bool syntax_only = hasType(test, "jld:PositiveSyntaxTest");
    std::string failure;
    if (suite == "toRdf") {
      VectorSink sink;
      Status st = internal::jsonLdToRdf(input_text, opts, sink);
      if (negative) {
        std::string code = optString(test, "expectErrorCode");
        if (st.isOk()) failure = "expected error '" + code + "', got success";
        else if (st.message().find(": " + code) == std::string::npos)
          failure = "expected error '" + code + "', got: " + st.message();
      } else if (!st.isOk()) {
        failure = "unexpected error: " + st.message();
      } else if (!syntax_only) {
        std::string expect_text;
        std::string expect = optString(test, "expect");
        if (!readFile(dir / expect, expect_text)) {
          failure = "cannot read " + expect;
        } else {
          Result<std::vector<Quad>> expected = parseQuads(expect_text, Format::kNQuads);
          if (!expected && opts.produce_generalized_rdf) {
            std::vector<Quad> generalized;
            if (parseGeneralizedNQuads(expect_text, generalized)) expected = std::move(generalized);
          }
          std::string why;
          if (!expected) failure = "cannot parse expected N-Quads: " + expected.status().message();
          else if (!isomorphic(sink.quads, expected.value(), &why))
            failure = "not isomorphic: " + why + "\n--- got:\n" + toNQuadsText(sink.quads) +
                      "--- expected:\n" + toNQuadsText(expected.value());
        }
      }
    } else {
      Result<std::string> out = internal::jsonLdExpand(input_text, opts);
      if (negative) {
        std::string code = optString(test, "expectErrorCode");
        if (out.isOk()) failure = "expected error '" + code + "', got success";
        else if (out.status().message().find(": " + code) == std::string::npos)
          failure = "expected error '" + code + "', got: " + out.status().message();
      } else if (!out.isOk()) {
        failure = "unexpected error: " + out.status().message();
      } else {
        std::string expect_text;
        std::string expect = optString(test, "expect");
        Result<Json> got = internal::parseJson(out.value(), "output");
        if (!readFile(dir / expect, expect_text)) {
          failure = "cannot read " + expect;
        } else if (Result<Json> want = internal::parseJson(expect_text, expect); !want || !got) {
          failure = "cannot parse expected or actual JSON";
        } else if (!jsonEquivalent(got.value(), want.value())) {
          failure = "different expansion\n--- got:\n" + out.value() + "\n--- expected:\n" +
                    internal::toJsonString(want.value());
        }
      }
    }
    if (failure.empty()) {
      ++counts.passed;
      if (verbose) std::printf("PASS %s\n", id.c_str());
    } else {
      ++counts.failed;
      failures.push_back(id + " (" + optString(test, "name") + "): " + failure);
    }
  }
  for (const std::string& f : failures) std::printf("FAIL %s\n", f.c_str());
  std::printf("jsonld-%s: %d passed, %d failed, %d skipped\n", suite.c_str(), counts.passed,
              counts.failed, counts.skipped);
  return counts.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path shared = fs::path(WEFT_SOURCE_DIR) / ".." / "shared";
  fs::path skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "jsonld-skip.txt";
  bool verbose = false;
  std::string only;
  std::vector<std::string> suites;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) shared = argv[++i];
    else if (a == "--skip" && i + 1 < argc) skip_file = argv[++i];
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--verbose" || a == "-v") verbose = true;
    else suites.push_back(a);
  }
  if (suites.empty()) suites = {"toRdf", "expand"};
  fs::path dir = shared / "conformance" / "json-ld" / "tests";
  if (!fs::is_directory(dir)) {
    std::printf("skipped: JSON-LD test data not found at %s\n", dir.string().c_str());
    return 77;
  }
  dir = fs::canonical(dir);
  auto skips = readSkipList(skip_file);
  int rc = 0;
  for (const std::string& s : suites) {
    if (s != "toRdf" && s != "expand") {
      std::printf("unknown suite %s (expected toRdf or expand)\n", s.c_str());
      return 2;
    }
    rc |= runSuite(s, dir, skips, verbose, only);
  }
  return rc;
}
