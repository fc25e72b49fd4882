// SPDX-License-Identifier: Apache-2.0
// The two layers under sources::openInput, exposed for tests and fuzzing:
// a ByteReader gives the raw (decompressed) bytes of a file or a memory
// buffer; decodeInput turns them into a UTF-8 InputStream (BOM detection per
// Unicode 15 section 23.8, UTF-8 validation per RFC 3629 section 4, other
// encodings through glibc iconv).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/sources/input.h"

namespace weft::sources::internal {

class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `cap` bytes into buf; *got == 0 only at the end of input.
  virtual Status read(char* buf, size_t cap, size_t* got) = 0;
  // An upper bound of the bytes still to come, when the reader knows it
  // (memory), so callers size their buffers to it; SIZE_MAX otherwise.
  virtual size_t remainingHint() const { return SIZE_MAX; }
};

// The file name of a source's path, as record positions show it
// ("lots.csv row 3", "lots.xml /lots/lot[3]").
inline std::string baseName(const std::string& path) {
  size_t cut = path.find_last_of('/');
  return cut == std::string::npos ? path : path.substr(cut + 1);
}

// The bytes of `data`, which must outlive the reader.
std::unique_ptr<ByteReader> memoryByteReader(std::string_view data);

// Opens `path` as "none"/"gzip" (zlib, gzip detected by its magic bytes
// either way), "zip" (the first file entry, stored or deflated) or "tar.gz"
// (the first regular file). `compression` may be an RML IRI (rml:gzip...).
Result<std::unique_ptr<ByteReader>> openByteReader(const std::string& path,
                                                   std::string_view compression);

// Decodes `bytes` declared as `encoding` ("" = UTF-8; an RML IRI such as
// rml:UTF-16 is accepted) to UTF-8. `name` is used in error messages.
// Reads the first bytes now to look for a BOM.
Result<std::unique_ptr<InputStream>> decodeInput(std::unique_ptr<ByteReader> bytes,
                                                 std::string_view encoding,
                                                 std::string name);

}  // namespace weft::sources::internal
