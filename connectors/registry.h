// SPDX-License-Identifier: Apache-2.0
// Where connectors find their mapping documents: compiled into weft from
// mappings/ (the default), or read from a folder (`weft ingest --mappings
// DIR`, for working on a mapping without rebuilding).
#pragma once

#include <string>
#include <vector>

#include "connectors/api/connector.h"
#include "engine/core/status.h"

namespace weft::connectors {

// The text of mapping `rel` (a path under mappings/, "epcis/epcis-json.ttl"):
// from `dir` when it is not empty, else the copy built into weft.
Result<std::string> mappingText(const std::string& rel, const std::string& dir);
// The paths of the mapping documents built into weft.
std::vector<std::string> embeddedMappings();

}  // namespace weft::connectors
