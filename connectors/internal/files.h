// SPDX-License-Identifier: Apache-2.0
// Small file and text helpers the connectors (connectors/*/) share: reading a
// document whole (with a size limit), a path's file name, the byte-order mark
// and the header line of a CSV file. Internal to connectors/: not part of the
// connector interface (connectors/api/connector.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace weft::connectors::internal {

// The most a connector reads into memory at once: libxml2 and SQLite take
// lengths as int, and a larger record file is better split by its exporter.
inline constexpr uint64_t kMaxDocumentBytes = 0x7FFFFFFF;  // 2 GiB - 1

// The whole file. `label` names it in messages ("<label>: cannot be read");
// a file over kMaxDocumentBytes is refused before it is read.
Result<std::string> readAll(const std::string& path, const std::string& label);

// The last component of a path, after the last '/' or '\' (the whole path if
// it has neither; empty if it ends with one).
std::string fileName(std::string_view path);

// `s` without a leading UTF-8 byte-order mark.
std::string_view stripBom(std::string_view s);

// Splits one CSV record (RFC 4180: comma separated, "..." quoting with ""
// inside; the record may hold line breaks inside quotes). Fields are not
// trimmed; an empty record is one empty field.
std::vector<std::string> splitCsvRecord(std::string_view rec);

// The first line of a CSV file's head (BOM and a trailing CR dropped), split
// into column names as they are written.
std::vector<std::string> csvHeaderFields(std::string_view head);

// The first line of a CSV file's head, for recognising a file by its header:
// BOM dropped, spaces and quotes removed, ASCII lowercased
// ("Tag, \"Timestamp\"" -> "tag,timestamp").
std::string csvHeaderKey(std::string_view head);

}  // namespace weft::connectors::internal
