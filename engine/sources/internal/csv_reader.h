// SPDX-License-Identifier: Apache-2.0
// The CSV logical source over any InputStream (sources::openCsv opens the
// file; tests and the fuzzer feed memory through this entry point).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/sources/input.h"
#include "engine/sources/source.h"

namespace weft::sources::internal {

struct CsvOptions {
  size_t chunk_bytes = size_t{1} << 20;  // bytes asked of the InputStream per read
};

// `name` is the file name used in positions and errors ("friends.csv").
Result<std::unique_ptr<Source>> openCsvStream(const SourceSpec& spec, std::unique_ptr<InputStream> in,
                                              std::string name, const CsvOptions& options = {});

// The same over bytes in memory (decoded per spec.encoding like a file);
// `data` must outlive the source.
Result<std::unique_ptr<Source>> openCsvMemory(const SourceSpec& spec, std::string_view data,
                                              std::string name, const CsvOptions& options = {});

}  // namespace weft::sources::internal
