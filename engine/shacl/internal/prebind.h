// SPDX-License-Identifier: Apache-2.0
// Pre-binding for SHACL-SPARQL (https://www.w3.org/TR/shacl/#pre-binding):
// every occurrence of a pre-bound variable in the algebra is replaced by its
// value, in patterns, expressions, EXISTS / NOT EXISTS and sub-queries. The
// parser renames non-projected sub-query variables apart, so a sub-query
// that does not project $this keeps its own variable, as the spec's
// restrictions on pre-bound queries expect.
#pragma once

#include <utility>
#include <vector>

#include "engine/rdf/term.h"
#include "engine/sparql/algebra.h"

namespace weft::shacl::internal {

using Binding = std::pair<sparql::VarId, rdf::Term>;

// A copy of `p` with the variables of `bindings` replaced by their terms
// (shared sub-trees without any of them are shared, not copied).
sparql::PatternPtr prebind(const sparql::PatternPtr& p, const std::vector<Binding>& bindings);

// Whether a SELECT query with $this pre-bound can instead run once with
// ?this free, its solutions grouped by ?this: true when ?this is bound in
// every solution of the WHERE pattern (so substituting a value for it
// equals joining on it) and the query has no construct where the two
// differ: sub-queries, GROUP BY / aggregates, LIMIT / OFFSET, MINUS,
// VALUES, SERVICE. Then `batch` receives the query with ?this projected.
bool batchQuery(const sparql::Query& q, sparql::VarId this_var, sparql::Query* batch);

}  // namespace weft::shacl::internal
