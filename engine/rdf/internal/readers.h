// SPDX-License-Identifier: Apache-2.0
// Internal reader entry points used by syntax.cpp.
#pragma once

#include <functional>
#include <memory>

#include "engine/rdf/syntax.h"

namespace weft::rdf::internal {

// Opens the same input again from the start (a file, a string).
using Reopen = std::function<Result<std::unique_ptr<ByteSource>>()>;

// readSerd, plus: when one of our own checks rejects a statement (Serd has
// no cursor API), the input is re-read with `reopen` up to that statement to
// find its line and column. Without `reopen` such errors name no position.
Status readSerdReopenable(ByteSource& src, Format f, const ReadOptions& opts, QuadSink& sink,
                          const Reopen& reopen);

}  // namespace weft::rdf::internal
