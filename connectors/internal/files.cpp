// SPDX-License-Identifier: Apache-2.0
// The connectors' shared file and text helpers (files.h).
#include "connectors/internal/files.h"

#include <filesystem>
#include <fstream>

namespace weft::connectors::internal {

Result<std::string> readAll(const std::string& path, const std::string& label) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxDocumentBytes) {
    return Status::invalidArgument(label + ": " + std::to_string(size) + " bytes, more than the " +
                                   std::to_string(kMaxDocumentBytes) + " a connector reads into memory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError(label + ": cannot be read");
  // Read in chunks up to the limit (the size above may be unknown or stale:
  // a pipe, a file still being written).
  std::string out;
  if (!ec) out.reserve(static_cast<size_t>(size));
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (out.size() + static_cast<size_t>(n) > kMaxDocumentBytes) {
      return Status::invalidArgument(label + ": more than the " + std::to_string(kMaxDocumentBytes) +
                                     " bytes a connector reads into memory");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  if (in.bad()) return Status::ioError(label + ": cannot be read");
  return out;
}

std::string fileName(std::string_view path) {
  const size_t p = path.find_last_of("/\\");
  return std::string(p == std::string_view::npos ? path : path.substr(p + 1));
}

std::string_view stripBom(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  return s;
}

std::vector<std::string> splitCsvRecord(std::string_view rec) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < rec.size(); ++i) {
    const char c = rec[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < rec.size() && rec[i + 1] == '"') {
          out.back() += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::vector<std::string> csvHeaderFields(std::string_view head) {
  head = stripBom(head);
  std::string_view first = head.substr(0, head.find('\n'));
  if (first.ends_with('\r')) first.remove_suffix(1);
  return splitCsvRecord(first);
}

std::string csvHeaderKey(std::string_view head) {
  head = stripBom(head);
  std::string h;
  for (char c : head) {
    if (c == '\n' || c == '\r') break;
    if (c == ' ' || c == '"') continue;
    h += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return h;
}

}  // namespace weft::connectors::internal
