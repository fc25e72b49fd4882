// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the RML-FNML built-in function library (engine/fnml): the
// functions run on record values, which are untrusted input (dates,
// patterns, regular expressions, GTINs, EPC URNs, escapes).
//
// Input layout: byte 0 picks the function (index modulo the library size);
// the rest is split at 0x1F bytes into at most 12 fields, field k becoming
// one more value of parameter k modulo the parameter count.
//
// Invariants: a call never crashes; a failed call names the function IRI;
// the same call twice gives the same values or the same error (functions are
// deterministic).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/fnml/functions.h"

namespace weft::fuzz {

int fuzzOneFnml(const uint8_t* data, size_t size);

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in fuzz_fnml: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace

int fuzzOneFnml(const uint8_t* data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  const fnml::Library& lib = fnml::Library::builtin();
  const auto& fns = lib.functions();
  const fnml::Function& f = fns[data[0] % fns.size()];
  std::vector<std::vector<sources::Value>> args(f.params.size());
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t field = 0;
  while (!f.params.empty() && field < 12) {
    size_t sep = rest.find('\x1f');
    std::string_view v = rest.substr(0, sep);
    args[field % f.params.size()].push_back(sources::Value{std::string(v), sources::ValueKind::kString, {}, {}});
    ++field;
    if (sep == std::string_view::npos) break;
    rest.remove_prefix(sep + 1);
  }
  for (size_t o = 0; o < f.outputs.size(); ++o) {
    std::vector<sources::Value> a, b;
    Status sa = f.call(args, o, &a);
    Status sb = f.call(args, o, &b);
    if (sa.isOk() != sb.isOk() || sa.message() != sb.message()) fail(f.iri + ": two calls disagree on the status");
    if (!sa.isOk()) {
      if (sa.message().find(f.iri) == std::string::npos) fail(f.iri + ": error does not name the function: " + sa.message());
      continue;
    }
    if (a.size() != b.size()) fail(f.iri + ": two calls give different value counts");
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].text != b[i].text || a[i].kind != b[i].kind) fail(f.iri + ": two calls give different values");
    }
  }
  return 0;
}

}  // namespace weft::fuzz
