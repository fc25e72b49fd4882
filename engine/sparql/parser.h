// SPDX-License-Identifier: Apache-2.0
// SPARQL 1.1 Query and Update parser: text -> algebra (algebra.h).
// Grammar: https://www.w3.org/TR/sparql11-query/#sparqlGrammar (section 19),
// translation: section 18.2. Errors are Status::syntaxError with the message
// "line:column: unexpected <token>, expected <what>" (1-based line and
// column, column counted in Unicode code points).
#pragma once

#include <string_view>

#include "engine/core/status.h"
#include "engine/sparql/algebra.h"

namespace weft::sparql {

struct ParseOptions {
  std::string base_iri;  // initial base for relative IRIs (BASE in the text overrides)
  // Largest query or update text accepted (untrusted input); 0 = 16 MiB.
  size_t max_bytes = 0;
  // Deepest nesting of groups / expressions accepted; 0 = 256.
  int max_depth = 0;
};

Result<Query> parseQuery(std::string_view text, const ParseOptions& opts = {});
Result<Update> parseUpdate(std::string_view text, const ParseOptions& opts = {});

}  // namespace weft::sparql
