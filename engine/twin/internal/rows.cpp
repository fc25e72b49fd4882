// SPDX-License-Identifier: Apache-2.0
#include "engine/twin/internal/rows.h"

#include <cmath>
#include <cstdlib>

#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"

namespace weft::twin::internal {

Result<std::vector<Row>> selectRows(const sparql::Dataset& data, const char* name,
                                    const char* text, bool unionDefaultGraph) {
  auto q = sparql::parseQuery(text);
  if (!q) return Status::internal(std::string("twin query ") + name + ": " + q.status().message());
  sparql::ResultSet rs;
  auto w = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = w.get();
  sparql::ExecOptions exec;
  exec.union_default_graph = unionDefaultGraph;
  Status st = sparql::executeQuery(q.value(), data, exec, out);
  if (!st) return Status(st.code(), std::string("twin query ") + name + ": " + st.message());
  std::vector<Row> rows;
  rows.reserve(rs.rows.size());
  for (const auto& r : rs.rows) {
    Row row;
    for (size_t i = 0; i < rs.vars.size(); ++i)
      if (!r[i].isNone()) row[rs.vars[i]] = r[i].value;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string rowValue(const Row& r, const char* key) {
  auto it = r.find(key);
  return it == r.end() ? std::string() : it->second;
}

bool rowNumber(const Row& r, const char* key, double* out) {
  auto it = r.find(key);
  if (it == r.end() || it->second.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

std::string lastSegment(const std::string& iri) {
  size_t slash = iri.find_last_of("/#");
  return slash == std::string::npos || slash + 1 == iri.size() ? iri : iri.substr(slash + 1);
}

}  // namespace weft::twin::internal
