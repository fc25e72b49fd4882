// SPDX-License-Identifier: Apache-2.0
// Function lookup and the calling convention of RML-FNML functions
// (https://w3id.org/rml/fnml, section "Function execution"): parameters by
// resource or fno:predicate IRI, outputs likewise, one run per combination of
// scalar input values, no output when a required input has no value.
#include <algorithm>
#include <array>

#include "engine/fnml/functions.h"
#include "engine/fnml/internal/common.h"

namespace weft::fnml {

namespace {
constexpr size_t kMaxCombinations = 100000;

Status withIri(const Function& f, const Status& st) {
  return Status(st.code(), "function <" + f.iri + ">: " + st.message());
}
}  // namespace

int Function::paramIndex(std::string_view name) const {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].iri == name || params[i].predicate == name) return static_cast<int>(i);
  }
  return -1;
}

int Function::outputIndex(std::string_view name) const {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].iri == name || outputs[i].predicate == name) return static_cast<int>(i);
  }
  return -1;
}

Result<size_t> Function::resolveParam(std::string_view name) const {
  int i = paramIndex(name);
  if (i < 0) {
    return Status::invalidArgument("function <" + iri + "> has no parameter <" + std::string(name) + ">");
  }
  return static_cast<size_t>(i);
}

Result<size_t> Function::resolveOutput(std::string_view name) const {
  if (name.empty()) {
    if (outputs.empty()) return Status::invalidArgument("function <" + iri + "> has no output");
    return size_t{0};
  }
  int i = outputIndex(name);
  if (i < 0) {
    return Status::invalidArgument("function <" + iri + "> has no output <" + std::string(name) + ">");
  }
  return static_cast<size_t>(i);
}

Status Function::checkBound(const std::vector<bool>& bound) const {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].required && (i >= bound.size() || !bound[i])) {
      return Status::invalidArgument("function <" + iri + ">: required parameter <" + params[i].iri +
                                     "> has no input");
    }
  }
  return Status::ok();
}

Status Function::call(const std::vector<std::vector<sources::Value>>& args, size_t output,
                      std::vector<sources::Value>* out) const {
  if (output >= outputs.size()) {
    return Status::invalidArgument("function <" + iri + "> has no output number " + std::to_string(output));
  }
  if (args.size() > params.size()) {
    return Status::invalidArgument("function <" + iri + "> takes " + std::to_string(params.size()) +
                                   " parameters, got " + std::to_string(args.size()));
  }
  const std::vector<std::vector<sources::Value>>* lists = &args;
  std::vector<std::vector<sources::Value>> padded;
  if (args.size() < params.size()) {  // rare: the engine normally passes one list per parameter
    padded = args;
    padded.resize(params.size());
    lists = &padded;
  }
  const size_t n = params.size();
  // Current combination: one value pointer per parameter (list parameters
  // point at their first value, only to mark them present).
  std::array<const sources::Value*, 16> small{};
  std::vector<const sources::Value*> big;
  const sources::Value** cur = small.data();
  if (n > small.size()) {
    big.resize(n);
    cur = big.data();
  }
  std::array<size_t, 16> small_idx{};
  std::vector<size_t> big_idx;
  size_t* idx = small_idx.data();
  if (n > small_idx.size()) {
    big_idx.assign(n, 0);
    idx = big_idx.data();
  }
  size_t combinations = 1;
  for (size_t i = 0; i < n; ++i) {
    const auto& l = (*lists)[i];
    if (l.empty()) {
      if (params[i].required) return Status::ok();  // a required input is null: no output
      cur[i] = nullptr;
    } else {
      cur[i] = &l[0];
      if (!params[i].list) combinations *= l.size();
      if (combinations > kMaxCombinations) {
        return Status::invalidArgument("function <" + iri + ">: too many combinations of input values (over " +
                                       std::to_string(kMaxCombinations) + ")");
      }
    }
    idx[i] = 0;
  }
  Args a(lists, cur);
  for (;;) {
    if (Status st = impl(*this, a, output, out); !st) return withIri(*this, st);
    // Next combination (an odometer: the last parameter varies fastest).
    bool advanced = false;
    for (size_t i = n; i > 0 && !advanced;) {
      --i;
      const auto& l = (*lists)[i];
      if (params[i].list || l.size() <= 1) continue;
      if (++idx[i] < l.size()) {
        cur[i] = &l[idx[i]];
        advanced = true;
      } else {
        idx[i] = 0;
        cur[i] = &l[0];
      }
    }
    if (!advanced) return Status::ok();
  }
}

Status Function::callAll(const std::vector<std::vector<sources::Value>>& args,
                         std::vector<std::vector<sources::Value>>* outs) const {
  outs->assign(outputs.size(), {});
  for (size_t k = 0; k < outputs.size(); ++k) WEFT_TRY(call(args, k, &(*outs)[k]));
  return Status::ok();
}

const Library& Library::builtin() {
  static const Library lib = [] {
    Library l;
    internal::addGrel(&l);
    internal::addIdlab(&l);
    internal::addWeft(&l);
    internal::addGs1(&l);
    internal::addTestFunctions(&l);
    return l;
  }();
  return lib;
}

void Library::add(Function f) {
  auto it = std::lower_bound(functions_.begin(), functions_.end(), f.iri,
                             [](const Function& a, const std::string& iri) { return a.iri < iri; });
  if (it != functions_.end() && it->iri == f.iri) {
    *it = std::move(f);
  } else {
    functions_.insert(it, std::move(f));
  }
}

const Function* Library::find(std::string_view iri) const {
  auto it = std::lower_bound(functions_.begin(), functions_.end(), iri,
                             [](const Function& a, std::string_view i) { return a.iri < i; });
  if (it != functions_.end() && it->iri == iri) return &*it;
  return nullptr;
}

Result<const Function*> Library::lookup(std::string_view iri) const {
  if (const Function* f = find(iri)) return f;
  return Status::unsupported("unknown function <" + std::string(iri) + "> (no implementation in weft's library)");
}

}  // namespace weft::fnml
