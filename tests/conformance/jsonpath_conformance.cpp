// SPDX-License-Identifier: Apache-2.0
// JSONPath Compliance Test Suite runner (RFC 9535; cts.json of
// jsonpath-standard/jsonpath-compliance-test-suite, see
// ../shared/conformance/jsonpath/README.md).
//
//   jsonpath_conformance [--cts FILE] [--skip FILE] [--verbose] [--only NAME]
//
// Each test has a selector and a document and either "result" (the nodelist
// values, in order), "results" (several allowed orders) or
// "invalid_selector": true. A valid test passes when the query compiles and
// its nodelist equals the result (or one of the results), and when its
// Normalized Paths equal "result_paths" / "results_paths" if given; an
// invalid one passes when compiling fails. The skip file lists
// "<test name> -- <reason>" per line. Prints
// "suite jsonpath: N passed, F failed, S skipped (of T)". Exit status 0 when
// every test not skipped passed, 1 otherwise, 77 when cts.json is missing.
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/jsonpath/jsonpath.h"

namespace fs = std::filesystem;
using weft::jsonpath::Node;
using weft::jsonpath::Query;

namespace {

std::map<std::string, std::string> readSkips(const fs::path& file) {
  std::map<std::string, std::string> skips;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sep = line.find(" -- ");
    if (sep == std::string::npos) {
      skips[line] = "";
    } else {
      skips[line.substr(0, sep)] = line.substr(sep + 4);
    }
  }
  return skips;
}

bool sameValues(const std::vector<Node>& got, const rapidjson::Value& expected) {
  if (!expected.IsArray() || expected.Size() != got.size()) return false;
  for (rapidjson::SizeType i = 0; i < expected.Size(); ++i) {
    if (!(*got[i].value == expected[i])) return false;
  }
  return true;
}

bool samePaths(const std::vector<Node>& got, const rapidjson::Value& expected) {
  if (!expected.IsArray() || expected.Size() != got.size()) return false;
  for (rapidjson::SizeType i = 0; i < expected.Size(); ++i) {
    if (!expected[i].IsString() || got[i].path != expected[i].GetString()) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path cts = fs::path(WEFT_SOURCE_DIR) / ".." / "shared" / "conformance" / "jsonpath" / "cts.json";
  fs::path skip_file = fs::path(WEFT_SOURCE_DIR) / "tests" / "conformance" / "jsonpath-skip.txt";
  bool verbose = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--cts" && i + 1 < argc) {
      cts = argv[++i];
    } else if (a == "--skip" && i + 1 < argc) {
      skip_file = argv[++i];
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::printf("usage: jsonpath_conformance [--cts FILE] [--skip FILE] [--verbose] [--only NAME]\n");
      return 2;
    }
  }
  std::ifstream in(cts, std::ios::binary);
  if (!in) {
    std::printf("skipped: JSONPath compliance suite not found at %s\n", cts.string().c_str());
    return 77;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("tests") || !doc["tests"].IsArray()) {
    std::printf("jsonpath: cannot read %s\n", cts.string().c_str());
    return 1;
  }
  std::map<std::string, std::string> skips = readSkips(skip_file);
  int passed = 0, failed = 0, skipped = 0, total = 0;
  std::vector<std::string> failures;
  for (const rapidjson::Value& test : doc["tests"].GetArray()) {
    std::string name = test["name"].GetString();
    if (!only.empty() && name != only) continue;
    ++total;
    if (auto s = skips.find(name); s != skips.end()) {
      ++skipped;
      if (verbose) std::printf("SKIP %s: %s\n", name.c_str(), s->second.c_str());
      continue;
    }
    std::string selector = test["selector"].GetString();
    auto q = Query::compile(selector);
    bool invalid = test.HasMember("invalid_selector") && test["invalid_selector"].GetBool();
    std::string why;
    if (invalid) {
      if (q.isOk()) why = "accepted an invalid selector";
    } else if (!q.isOk()) {
      why = "rejected: " + q.status().message();
    } else {
      std::vector<Node> got;
      q->selectWithPaths(test["document"], &got);
      bool ok = false;
      if (test.HasMember("result")) {
        ok = sameValues(got, test["result"]) &&
             (!test.HasMember("result_paths") || samePaths(got, test["result_paths"]));
      } else if (test.HasMember("results")) {
        const rapidjson::Value& results = test["results"];
        for (rapidjson::SizeType i = 0; i < results.Size() && !ok; ++i) {
          ok = sameValues(got, results[i]) &&
               (!test.HasMember("results_paths") || samePaths(got, test["results_paths"][i]));
        }
      }
      if (!ok) {
        why = "got [";
        for (size_t i = 0; i < got.size(); ++i) why += (i ? ", " : "") + got[i].path;
        why += "]";
      }
    }
    if (why.empty()) {
      ++passed;
      if (verbose) std::printf("PASS %s\n", name.c_str());
    } else {
      ++failed;
      failures.push_back(name + " (" + selector + "): " + why);
    }
  }
  for (const std::string& f : failures) std::printf("FAIL %s\n", f.c_str());
  std::printf("suite jsonpath: %d passed, %d failed, %d skipped (of %d)\n", passed, failed, skipped, total);
  return failed == 0 ? 0 : 1;
}
