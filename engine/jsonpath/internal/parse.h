// SPDX-License-Identifier: Apache-2.0
// The JSONPath parser (RFC 9535 Appendix A grammar); see parse.cpp.
#pragma once

#include <string_view>

#include "engine/core/status.h"
#include "engine/jsonpath/internal/ast.h"

namespace weft::jsonpath::internal {

// Parses a whole jsonpath-query into *out (kSyntaxError with the column).
Status parseQuery(std::string_view text, Path* out);

}  // namespace weft::jsonpath::internal
