// SPDX-License-Identifier: Apache-2.0
// Running a mapping: each triples map streams its logical source record by
// record and sends the quads its term maps make to a sink. Referencing object
// maps with join conditions are hash joins: the parent side is read once
// into a table keyed by the parent values, the child side probes it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/core/status.h"
#include "engine/map/model.h"
#include "engine/rdf/sink.h"

namespace weft::map {

struct RunStats {
  uint64_t records = 0;     // records read, over all triples maps
  uint64_t quads = 0;       // quads sent to the sink (after duplicate elimination)
  uint64_t duplicates = 0;  // quads dropped as duplicates
  uint64_t rejects = 0;     // records skipped (--on-error skip)
  uint64_t dropped_terms = 0;  // legacy rml.io documents: terms with an invalid IRI, left out
  uint64_t spilled_quads = 0;  // quads that waited in temporary files for duplicate elimination
  uint64_t spilled_joins = 0;  // joins whose parent side outgrew memory (Grace hash join)
};

struct RunOptions {
  bool skip_errors = false;   // false: the first bad record stops the run
  std::string rejects_path;   // skip_errors: one line per rejected record
  // Memory for join tables and duplicate elimination, in bytes (two thirds
  // for the duplicate table, a quarter for joins; beyond them, quads wait in temporary
  // files, see internal/dedupe.h).
  size_t memory_limit = size_t{256} << 20;
  bool dedupe = true;
  // Called now and then with the running totals (a progress line).
  std::function<void(const RunStats&)> progress;
};

Status runMapping(const Mapping& mapping, const RunOptions& opts, rdf::QuadSink& out, RunStats* stats);

// IRI-safe form of a template value (R2RML 7.3 / RML-Core): every character
// outside iunreserved (RFC 3987) is percent-encoded as UTF-8 bytes; with
// `ascii_only` (rml:URI), outside RFC 3986 unreserved.
void appendIriSafe(std::string& out, std::string_view value, bool ascii_only = false);

}  // namespace weft::map
