// SPDX-License-Identifier: Apache-2.0
// Function executions (RML-FNML) bound to the built-in library: parameters
// are matched by parameter IRI or, for legacy documents, predicate IRI.
#include "engine/map/internal/functions.h"

#include "engine/fnml/functions.h"

namespace weft::map::internal {

namespace {
struct Resolved {
  const fnml::Function* fn;
  std::vector<size_t> param_of_input;
  size_t output;
};

Result<Resolved> resolve(const FunctionExecution& fe) {
  auto f = fnml::Library::builtin().lookup(fe.function);
  if (!f.isOk()) return f.status();
  Resolved r{f.value(), {}, 0};
  std::vector<bool> bound(r.fn->params.size(), false);
  for (auto& in : fe.inputs) {
    auto p = r.fn->resolveParam(in.parameter);
    if (!p.isOk()) return p.status();
    r.param_of_input.push_back(p.value());
    bound[p.value()] = true;
  }
  if (Status st = r.fn->checkBound(bound); !st) return st;
  auto o = r.fn->resolveOutput(fe.output);
  if (!o.isOk()) return o.status();
  r.output = o.value();
  return r;
}
}  // namespace

Status checkFunction(const FunctionExecution& fe, const std::string& where) {
  auto r = resolve(fe);
  if (!r.isOk()) return Status::invalidArgument(where + ": " + r.status().message());
  return Status::ok();
}

Status callFunction(const FunctionExecution& fe, const std::vector<std::vector<sources::Value>>& args,
                    std::vector<sources::Value>* out) {
  auto r = resolve(fe);  // cheap: a few string compares; checked before any record
  if (!r.isOk()) return r.status();
  std::vector<std::vector<sources::Value>> by_param(r.value().fn->params.size());
  for (size_t i = 0; i < args.size() && i < r.value().param_of_input.size(); ++i) {
    auto& dst = by_param[r.value().param_of_input[i]];
    dst.insert(dst.end(), args[i].begin(), args[i].end());
  }
  return r.value().fn->call(by_param, r.value().output, out);
}

}  // namespace weft::map::internal
