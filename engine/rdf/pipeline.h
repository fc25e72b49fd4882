// SPDX-License-Identifier: Apache-2.0
// Pipelined reading: the parser runs on a worker thread and hands quads to
// the caller's sink in batches, so parsing and what the sink does (for a
// load: dictionary encoding) use two cores. The sink is called on the
// calling thread only, in document order, with prefix/base events in place.
#pragma once

#include <string>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"
#include "engine/rdf/syntax.h"

namespace weft::rdf {

// Like readFile. If the sink fails, parsing stops and the sink's status is
// returned; a syntax error is returned once the quads before it were passed
// on (the caller decides whether to keep them: the loader rolls back).
Status readFilePipelined(const std::string& path, const ReadOptions& opts, QuadSink& sink);

}  // namespace weft::rdf
