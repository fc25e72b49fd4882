// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the twin's graph readers: run a SELECT over a dataset and get its
// rows as name -> lexical value, read numbers and site names from them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sparql/dataset.h"

namespace weft::twin::internal {

using Row = std::map<std::string, std::string>;

// Parses and runs `text`; errors name the query (`name`). Unbound variables are absent.
Result<std::vector<Row>> selectRows(const sparql::Dataset& data, const char* name,
                                    const char* text, bool unionDefaultGraph);

// The value of `key`, or "" when unbound.
std::string rowValue(const Row& r, const char* key);
// A finite number in `key`, or false.
bool rowNumber(const Row& r, const char* key, double* out);

// An IRI's last path segment ("https://data.aurelian.example/site/S100" -> "S100"): the
// plant code people use, and the site name of the twin's model.
std::string lastSegment(const std::string& iri);

}  // namespace weft::twin::internal
