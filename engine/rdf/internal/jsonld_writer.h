// SPDX-License-Identifier: Apache-2.0
// Internal: the JSON-LD writer behind makeWriter(Format::kJsonLd).
#pragma once

#include <cstdio>
#include <memory>

#include "engine/rdf/syntax.h"

namespace weft::rdf::internal {

std::unique_ptr<QuadWriter> makeJsonLdWriter(std::FILE* out, const WriteOptions& opts);

}  // namespace weft::rdf::internal
