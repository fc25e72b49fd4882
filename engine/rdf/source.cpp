// SPDX-License-Identifier: Apache-2.0
// Byte sources for the readers: plain files, gzip files (detected by the magic
// bytes 1f 8b, RFC 1952 section 2.3.1, and inflated on the fly with zlib) and
// memory buffers. Memory use is a fixed buffer per source.
#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/rdf/syntax.h"

namespace weft::rdf {
namespace {

constexpr size_t kBufferSize = 64 * 1024;

class FileSource : public ByteSource {
 public:
  FileSource(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
  ~FileSource() override { std::fclose(f_); }

  long read(char* buf, size_t n) override {
    size_t got = std::fread(buf, 1, n, f_);
    if (got == 0 && std::ferror(f_)) {
      err_ = errno ? std::strerror(errno) : "read error";
      return -1;
    }
    return static_cast<long>(got);
  }
  std::string error() const override { return "cannot read '" + path_ + "': " + err_; }

 private:
  std::FILE* f_;
  std::string path_;
  std::string err_;
};

// Inflates a gzip stream (possibly several concatenated members, as gzip(1)
// allows) read from an inner source.
class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)), in_(kBufferSize) {
    std::memset(&z_, 0, sizeof z_);
    // 15 window bits + 16: gzip wrapper only.
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;
    if (!ok_) err_ = "cannot initialise zlib";
  }
  ~GzipSource() override { inflateEnd(&z_); }

  long read(char* buf, size_t n) override {
    if (!ok_) return -1;
    if (done_ || n == 0) return 0;
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    while (z_.avail_out > 0) {
      if (z_.avail_in == 0 && !in_eof_) {
        long got = inner_->read(in_.data(), in_.size());
        if (got < 0) return fail(inner_->error());
        if (got == 0) {
          in_eof_ = true;
        } else {
          z_.next_in = reinterpret_cast<Bytef*>(in_.data());
          z_.avail_in = static_cast<uInt>(got);
        }
      }
      if (z_.avail_in == 0 && in_eof_) {
        if (!member_ended_) return fail("cannot read '" + path_ + "': truncated gzip data");
        done_ = true;
        break;
      }
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
        // Another member may follow; anything after must again be gzip.
        if (inflateReset(&z_) != Z_OK)
          return fail("cannot read '" + path_ + "': zlib reset failed");
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return fail("cannot read '" + path_ + "': corrupt gzip data (" +
                    (z_.msg ? z_.msg : "inflate error") + ")");
      }
      if (z_.avail_in > 0 || rc == Z_OK) member_ended_ = false;
    }
    return static_cast<long>(n - z_.avail_out);
  }
  std::string error() const override { return err_; }

 private:
  long fail(std::string why) {
    err_ = std::move(why);
    ok_ = false;
    return -1;
  }

  std::unique_ptr<ByteSource> inner_;
  std::string path_;
  std::vector<char> in_;
  z_stream z_;
  bool ok_ = false;
  bool in_eof_ = false;
  bool done_ = false;
  bool member_ended_ = false;
  std::string err_;
};

// Replays a few bytes already read (the magic-number probe), then the rest.
class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string head, std::unique_ptr<ByteSource> rest)
      : head_(std::move(head)), rest_(std::move(rest)) {}
  long read(char* buf, size_t n) override {
    if (pos_ < head_.size()) {
      size_t k = std::min(n, head_.size() - pos_);
      std::memcpy(buf, head_.data() + pos_, k);
      pos_ += k;
      return static_cast<long>(k);
    }
    return rest_->read(buf, n);
  }
  std::string error() const override { return rest_->error(); }

 private:
  std::string head_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  long read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return static_cast<long>(k);
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> openFileSource(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int e = errno;
    std::string m = "cannot open '" + path + "': " + std::strerror(e);
    return e == ENOENT || e == ENOTDIR ? Status::notFound(m) : Status::ioError(m);
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::invalidArgument("cannot read '" + path + "': is a directory, not a file");
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    int e = errno;
    std::string m = "cannot open '" + path + "': " + std::strerror(e);
    return e == ENOENT ? Status::notFound(m) : Status::ioError(m);
  }
  auto file = std::make_unique<FileSource>(f, path);
  // Probe the gzip magic bytes (RFC 1952, ID1 = 0x1f, ID2 = 0x8b).
  char magic[2];
  long got = 0;
  while (got < 2) {
    long r = file->read(magic + got, static_cast<size_t>(2 - got));
    if (r < 0) return Status::ioError(file->error());
    if (r == 0) break;
    got += r;
  }
  std::string head(magic, static_cast<size_t>(got));
  auto replay = std::make_unique<PrefixedSource>(head, std::move(file));
  if (got == 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
      static_cast<unsigned char>(magic[1]) == 0x8b) {
    return std::unique_ptr<ByteSource>(std::make_unique<GzipSource>(std::move(replay), path));
  }
  return std::unique_ptr<ByteSource>(std::move(replay));
}

std::unique_ptr<ByteSource> memorySource(std::string_view data) {
  return std::make_unique<MemorySource>(data);
}

}  // namespace weft::rdf
