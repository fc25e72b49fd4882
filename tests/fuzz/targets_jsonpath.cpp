// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the JSONPath engine (engine/jsonpath, RFC 9535): the bytes
// up to the first newline are a query, the rest a JSON document. Compiling
// must not crash; when both parse, evaluation must not crash and must keep
// its invariants: select() and selectWithPaths() give the same nodes, and
// each Normalized Path, compiled as a query, selects exactly its node.
#include <rapidjson/document.h>
#include <rapidjson/encodings.h>
#include <rapidjson/stringbuffer.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/jsonpath/jsonpath.h"

namespace weft::fuzz {

int fuzzOneJsonPath(const uint8_t* data, size_t size);

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_jsonpath: %s\n", what.c_str());
  std::abort();
}

size_t count(std::string_view s, std::string_view needle) {
  size_t n = 0;
  for (size_t p = s.find(needle); p != std::string_view::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

// Duplicate member names (which I-JSON rules out) make Normalized Paths
// ambiguous: the name selector finds the first of them.
bool hasDuplicateNames(const rapidjson::Value& v) {
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (hasDuplicateNames(e)) return true;
    }
  } else if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      for (auto n = v.MemberBegin(); n != m; ++n) {
        if (n->name == m->name) return true;
      }
      if (hasDuplicateNames(m->value)) return true;
    }
  }
  return false;
}

// Member names that are not valid UTF-8 (a lone surrogate from a \u escape).
bool hasInvalidUtf8Names(const rapidjson::Value& v) {
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (hasInvalidUtf8Names(e)) return true;
    }
  } else if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      rapidjson::StringStream in(m->name.GetString());
      rapidjson::StringBuffer out;
      while (in.Tell() < m->name.GetStringLength()) {
        if (!rapidjson::UTF8<>::Validate(in, out)) return true;
      }
      if (hasInvalidUtf8Names(m->value)) return true;
    }
  }
  return false;
}

}  // namespace

int fuzzOneJsonPath(const uint8_t* data, size_t size) {
  // Bounded inputs: repeated descendant segments are polynomial in the
  // document size, which is not a bug worth a timeout report.
  if (size > 4096) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view text = input.substr(0, nl);
  std::string_view json = nl == std::string_view::npos ? std::string_view("null") : input.substr(nl + 1);

  auto reference = jsonpath::Query::compileReference(text);
  auto q = jsonpath::Query::compile(text);
  if (!q.isOk()) {
    if (q.status().message().empty()) fail("a query error without a message");
    return 0;
  }
  if (!reference.isOk() && !text.empty() && text[0] == '$') fail("compile and compileReference disagree");
  if (count(text, "..") > 2 || json.size() > 2048) return 0;

  rapidjson::Document doc;
  // Valid UTF-8 only, as sources::openInput guarantees.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) return 0;

  std::vector<const rapidjson::Value*> plain;
  q->select(doc, &plain);
  std::vector<jsonpath::Node> nodes;
  q->selectWithPaths(doc, &nodes);
  if (plain.size() != nodes.size()) fail("select and selectWithPaths disagree on the count");
  // A \u escape of a lone surrogate ("\uDE00") gives a name RapidJSON keeps
  // as invalid UTF-8: no query text can spell it, so normalized paths of such
  // documents are not checked (nor of documents with duplicate names).
  bool unambiguous = !hasDuplicateNames(doc) && !hasInvalidUtf8Names(doc);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (plain[i] != nodes[i].value) fail("select and selectWithPaths disagree at " + nodes[i].path);
    if (i >= 64 || !unambiguous) continue;
    auto back = jsonpath::Query::compile(nodes[i].path);
    if (!back.isOk()) fail("normalized path does not parse: " + nodes[i].path + ": " + back.status().message());
    if (!back->isSingular()) fail("normalized path is not singular: " + nodes[i].path);
    std::vector<const rapidjson::Value*> one;
    back->select(doc, &one);
    if (one.size() != 1 || one[0] != nodes[i].value) fail("normalized path selects another node: " + nodes[i].path);
  }
  return 0;
}

}  // namespace weft::fuzz
