// SPDX-License-Identifier: Apache-2.0
// The executor's bindings to the function library (engine/fnml) and to the
// SPARQL logical source (engine/db), kept apart from the executor proper.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/map/model.h"
#include "engine/sources/source.h"

namespace weft::map::internal {

// Before any data is read: the function exists and takes these parameters.
Status checkFunction(const FunctionExecution& fe, const std::string& where);
// Calls the function with one value list per input (in fe.inputs order).
Status callFunction(const FunctionExecution& fe, const std::vector<std::vector<sources::Value>>& args,
                    std::vector<sources::Value>* out);
// Opens a logical source of any kind (CSV, JSON, XML, SQL, SPARQL).
Result<std::unique_ptr<sources::Source>> openSource(const sources::SourceSpec& spec);
// A SPARQL SELECT (spec.query) over an RDF file or weft store (spec.path);
// references are variable names.
Result<std::unique_ptr<sources::Source>> openSparqlSource(const sources::SourceSpec& spec);

}  // namespace weft::map::internal
