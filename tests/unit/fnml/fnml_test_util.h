// SPDX-License-Identifier: Apache-2.0
// Helpers for the engine/fnml unit tests: call a built-in function by IRI
// with inputs named by parameter (resource or predicate IRI), as the mapping
// engine does.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/fnml/functions.h"

namespace weft::fnml::test {

inline const std::string G = std::string(kGrel);
inline const std::string I = std::string(kIdlab);
inline const std::string W = std::string(kWeftFn);
inline const std::string F = std::string(kFnsTest);

using Inputs = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Runs function `fn` with the inputs and returns its values of `output`
// (the default output when empty), or the error Status.
inline Result<std::vector<sources::Value>> run(const std::string& fn, const Inputs& inputs,
                                               const std::string& output = "") {
  auto f = Library::builtin().lookup(fn);
  if (!f.isOk()) return f.status();
  const Function* func = f.value();
  std::vector<std::vector<sources::Value>> args(func->params.size());
  for (const auto& [name, values] : inputs) {
    auto idx = func->resolveParam(name);
    if (!idx.isOk()) return idx.status();
    for (const auto& v : values) args[idx.value()].push_back(sources::Value{v, sources::ValueKind::kString, {}, {}});
  }
  auto o = func->resolveOutput(output);
  if (!o.isOk()) return o.status();
  std::vector<sources::Value> out;
  if (Status st = func->call(args, o.value(), &out); !st) return st;
  return out;
}

// The single value's text; "<none>" for no value, "<error: ...>" on error,
// values joined by " | " when there are several.
inline std::string one(const std::string& fn, const Inputs& inputs, const std::string& output = "") {
  auto r = run(fn, inputs, output);
  if (!r.isOk()) return "<error: " + r.status().message() + ">";
  if (r.value().empty()) return "<none>";
  std::string s;
  for (size_t i = 0; i < r.value().size(); ++i) {
    if (i) s += " | ";
    s += r.value()[i].text;
  }
  return s;
}

inline bool isError(const std::string& s) { return s.rfind("<error: ", 0) == 0; }

}  // namespace weft::fnml::test
