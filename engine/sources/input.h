// SPDX-License-Identifier: Apache-2.0
// Reading a source's bytes: plain or gzip-compressed files (zlib detects the
// format), decoded to UTF-8 from the declared encoding (iconv), with a BOM
// removed. Streams in chunks, so readers need not hold the whole file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/sources/source.h"

namespace weft::sources {

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Appends up to about `want` bytes of UTF-8 text to *out; *eof at the end.
  virtual Status read(size_t want, std::string* out, bool* eof) = 0;
};

// Opens spec.path with spec.compression and spec.encoding.
Result<std::unique_ptr<InputStream>> openInput(const SourceSpec& spec);
// The whole input as UTF-8 (for formats read as a document), failing over
// `limit` bytes.
Result<std::string> readAll(const SourceSpec& spec, size_t limit);

}  // namespace weft::sources
