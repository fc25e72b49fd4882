// SPDX-License-Identifier: Apache-2.0
// Temporary files for work that does not fit the mapping's memory budget
// (duplicate elimination, join build sides): anonymous files from tmpfile()
// (removed by the OS when closed, even after a crash), records of
// length-prefixed strings and RDF terms, read back in 1 MiB chunks.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"

namespace weft::map::internal {

inline void putString(std::string& out, std::string_view s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), 4);
  out.append(s);
}

inline void putTerm(std::string& out, const rdf::TermView& t) {
  out += static_cast<char>(t.kind);
  putString(out, t.value);
  putString(out, t.datatype);
  putString(out, t.lang);
}

inline Result<std::FILE*> openSpillFile() {
  std::FILE* f = std::tmpfile();
  if (!f) return Status::ioError(std::string("cannot create a temporary file: ") + std::strerror(errno));
  return f;
}

inline Status writeSpill(std::FILE* f, const std::string& bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
    return Status::ioError(std::string("cannot write a temporary file: ") + std::strerror(errno));
  return Status::ok();
}

// Reads a spill file from its start; records are parsed in place.
class ChunkReader {
 public:
  explicit ChunkReader(std::FILE* f) : f_(f), buf_(1 << 20) {}
  Status rewind() {
    if (std::fflush(f_) != 0 || std::fseek(f_, 0, SEEK_SET) != 0)
      return Status::ioError(std::string("cannot read back a temporary file: ") + std::strerror(errno));
    pos_ = end_ = 0;
    return Status::ok();
  }
  // The next n bytes (valid until the next call), or nullptr at the end.
  const char* take(size_t n) {
    if (end_ - pos_ < n) {
      size_t rest = end_ - pos_;
      if (rest > 0 && pos_ > 0) std::memmove(buf_.data(), buf_.data() + pos_, rest);
      end_ = rest;
      pos_ = 0;
      if (buf_.size() < n) buf_.resize(std::max(n, buf_.size() * 2));
      end_ += std::fread(buf_.data() + end_, 1, buf_.size() - end_, f_);
      if (end_ < n) return nullptr;
    }
    const char* p = buf_.data() + pos_;
    pos_ += n;
    return p;
  }
  bool u32(uint32_t* v) {
    const char* p = take(4);
    if (!p) return false;
    std::memcpy(v, p, 4);
    return true;
  }
  bool string(std::string* s) {
    uint32_t n;
    if (!u32(&n)) return false;
    const char* q = take(n);
    if (!q && n > 0) return false;
    s->assign(q ? q : "", n);
    return true;
  }
  bool term(rdf::Term* t) {
    const char* k = take(1);
    if (!k) return false;
    t->kind = static_cast<rdf::TermKind>(*k);
    return string(&t->value) && string(&t->datatype) && string(&t->lang);
  }

 private:
  std::FILE* f_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
};

}  // namespace weft::map::internal
