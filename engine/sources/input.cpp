// SPDX-License-Identifier: Apache-2.0
// The byte input of file logical sources (RML-IO "Source": rml:compression
// and rml:encoding). Two layers:
//  - ByteReader: the raw bytes of the file. Plain and gzip files go through
//    zlib's gzread, which recognises the gzip magic bytes 1f 8b (RFC 1952
//    section 2.3.1) whatever rml:compression says; "zip" reads the first file
//    entry of the archive (APPNOTE.TXT 4.3.7 local file header; stored or
//    deflated, RFC 1951 raw inflate); "tar.gz" reads the first regular file
//    of a gzip'd POSIX ustar archive (POSIX.1-2017 pax, "ustar Interchange
//    Format"); "tar.xz" the same through liblzma.
//  - decodeInput: UTF-8 out. A BOM wins over the declared encoding (Unicode
//    section 23.8): EF BB BF is dropped, FF FE / FE FF select UTF-16LE/BE.
//    UTF-8 is validated (RFC 3629 section 4: no overlongs, surrogates or
//    code points over U+10FFFF) and passed through without copying; any other
//    encoding is converted by glibc iconv chunk by chunk, carrying a
//    character split across chunks to the next one. An invalid sequence is an
//    error giving its byte offset in the (decompressed) input.
#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ascii.h"
#include "engine/sources/input.h"
#include "engine/sources/internal/input_stream.h"

namespace weft::sources {
namespace internal {
namespace {

// The last segment of an RML IRI ("http://w3id.org/rml/UTF-16" -> "UTF-16").
std::string_view localName(std::string_view s) {
  size_t cut = s.find_last_of("/#");
  return cut == std::string_view::npos ? s : s.substr(cut + 1);
}

// ---- Byte readers ---------------------------------------------------------

class MemoryReader : public ByteReader {
 public:
  explicit MemoryReader(std::string_view data) : data_(data) {}
  Status read(char* buf, size_t cap, size_t* got) override {
    size_t n = std::min(cap, data_.size() - pos_);
    if (n > 0) std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    *got = n;
    return Status::ok();
  }
  size_t remainingHint() const override { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Reads all of `cap` unless the input ends first.
Status readFull(ByteReader& in, char* buf, size_t cap, size_t* got) {
  *got = 0;
  while (*got < cap) {
    size_t n = 0;
    WEFT_TRY(in.read(buf + *got, cap - *got, &n));
    if (n == 0) break;
    *got += n;
  }
  return Status::ok();
}

// Plain or gzip file through zlib (gzread passes non-gzip bytes through).
class GzReader : public ByteReader {
 public:
  GzReader(gzFile f, std::string path) : f_(f), path_(std::move(path)) {}
  ~GzReader() override { gzclose(f_); }

  Status read(char* buf, size_t cap, size_t* got) override {
    *got = 0;
    unsigned want = static_cast<unsigned>(std::min<size_t>(cap, size_t{1} << 30));
    int n = gzread(f_, buf, want);
    if (n > 0) {
      *got = static_cast<size_t>(n);
      return Status::ok();
    }
    int err = Z_OK;
    const char* msg = gzerror(f_, &err);
    if (err == Z_OK || err == Z_STREAM_END) return Status::ok();  // end of input
    if (err == Z_ERRNO) return Status::ioError("cannot read '" + path_ + "': " + std::strerror(errno));
    return Status::syntaxError("'" + path_ + "': corrupt gzip data: " + (msg ? msg : "unknown error"));
  }

 private:
  gzFile f_;
  std::string path_;
};

// An xz stream (liblzma) over another reader (tar.xz archives).
class XzReader : public ByteReader {
 public:
  XzReader(std::unique_ptr<ByteReader> in, std::string path) : in_(std::move(in)), path_(std::move(path)) {}
  ~XzReader() override { lzma_end(&strm_); }
  Status start() {
    if (lzma_stream_decoder(&strm_, UINT64_MAX, 0) != LZMA_OK)
      return Status::internal("'" + path_ + "': cannot start the xz decoder");
    return Status::ok();
  }
  Status read(char* buf, size_t cap, size_t* got) override {
    *got = 0;
    if (done_) return Status::ok();
    strm_.next_out = reinterpret_cast<uint8_t*>(buf);
    strm_.avail_out = cap;
    while (strm_.avail_out == cap && !done_) {
      if (strm_.avail_in == 0 && !eof_) {
        size_t n = 0;
        WEFT_TRY(in_->read(inbuf_, sizeof inbuf_, &n));
        eof_ = n == 0;
        strm_.next_in = reinterpret_cast<const uint8_t*>(inbuf_);
        strm_.avail_in = n;
      }
      lzma_ret r = lzma_code(&strm_, eof_ ? LZMA_FINISH : LZMA_RUN);
      if (r == LZMA_STREAM_END) done_ = true;
      else if (r != LZMA_OK) return Status::syntaxError("'" + path_ + "': corrupt xz data (liblzma error " +
                                                        std::to_string(static_cast<int>(r)) + ")");
    }
    *got = cap - strm_.avail_out;
    return Status::ok();
  }

 private:
  std::unique_ptr<ByteReader> in_;
  std::string path_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  char inbuf_[64 * 1024];
  bool eof_ = false, done_ = false;
};

// A file descriptor with a read buffer (for zip, parsed by hand).
class BufferedFd {
 public:
  explicit BufferedFd(int fd) : fd_(fd), buf_(size_t{64} << 10) {}
  ~BufferedFd() { ::close(fd_); }

  // Makes at least one byte available unless at the end of the file.
  Status fill(const std::string& path) {
    if (pos_ < end_ || eof_) return Status::ok();
    ssize_t n;
    do {
      n = ::read(fd_, buf_.data(), buf_.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) return Status::ioError("cannot read '" + path + "': " + std::strerror(errno));
    pos_ = 0;
    end_ = static_cast<size_t>(n);
    if (n == 0) eof_ = true;
    return Status::ok();
  }
  // Copies up to n bytes; fewer only at the end of the file.
  Status take(char* out, size_t n, size_t* got, const std::string& path) {
    *got = 0;
    while (*got < n) {
      WEFT_TRY(fill(path));
      if (pos_ == end_) break;
      size_t k = std::min(n - *got, end_ - pos_);
      if (out) std::memcpy(out + *got, buf_.data() + pos_, k);
      pos_ += k;
      *got += k;
    }
    return Status::ok();
  }
  const char* data() const { return buf_.data() + pos_; }
  size_t available() const { return end_ - pos_; }
  void consume(size_t n) { pos_ += n; }

 private:
  int fd_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
};

uint32_t le16(const unsigned char* p) { return p[0] | (uint32_t{p[1]} << 8); }
uint32_t le32(const unsigned char* p) { return le16(p) | (le16(p + 2) << 16); }

// The first file entry of a zip archive, read sequentially from its local
// header (APPNOTE.TXT 4.3.7) without the central directory.
class ZipReader : public ByteReader {
 public:
  ZipReader(int fd, std::string path) : in_(fd), path_(std::move(path)) {}
  ~ZipReader() override {
    if (inflating_) inflateEnd(&zs_);
  }

  Status start() {
    for (;;) {
      unsigned char h[30];
      size_t got = 0;
      WEFT_TRY(in_.take(reinterpret_cast<char*>(h), 4, &got, path_));
      uint32_t sig = got == 4 ? le32(h) : 0;
      if (sig == 0x02014b50 || sig == 0x06054b50) {
        return Status::syntaxError("'" + path_ + "': zip archive has no file entry");
      }
      if (sig != 0x04034b50) return Status::syntaxError("'" + path_ + "': not a zip archive");
      WEFT_TRY(in_.take(reinterpret_cast<char*>(h + 4), 26, &got, path_));
      if (got != 26) return truncated();
      uint32_t flags = le16(h + 6), method = le16(h + 8), csize = le32(h + 18);
      size_t name_len = le16(h + 26), extra_len = le16(h + 28);
      std::string name(name_len, '\0');
      WEFT_TRY(in_.take(name.data(), name_len, &got, path_));
      if (got != name_len) return truncated();
      WEFT_TRY(in_.take(nullptr, extra_len, &got, path_));
      if (got != extra_len) return truncated();
      if (flags & 1) return Status::unsupported("'" + path_ + "': encrypted zip entries are not supported");
      bool dir = !name.empty() && name.back() == '/';
      if (dir) {
        if (flags & 8) return Status::unsupported("'" + path_ + "': zip entry with a data descriptor");
        WEFT_TRY(in_.take(nullptr, csize, &got, path_));
        if (got != csize) return truncated();
        continue;
      }
      if (method == 0) {
        if ((flags & 8) || csize == 0xFFFFFFFFu) {
          return Status::unsupported("'" + path_ + "': stored zip entry of unknown size (data descriptor or ZIP64)");
        }
        remaining_ = csize;
        done_ = csize == 0;
        return Status::ok();
      }
      if (method == 8) {
        std::memset(&zs_, 0, sizeof zs_);
        if (inflateInit2(&zs_, -MAX_WBITS) != Z_OK) return Status::internal("inflateInit2 failed");
        inflating_ = true;
        return Status::ok();
      }
      return Status::unsupported("'" + path_ + "': zip compression method " + std::to_string(method) +
                                 " is not supported (only stored and deflate)");
    }
  }

  Status read(char* buf, size_t cap, size_t* got) override {
    *got = 0;
    if (done_ || cap == 0) return Status::ok();
    if (!inflating_) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(cap, remaining_));
      WEFT_TRY(in_.take(buf, n, got, path_));
      if (*got == 0) return truncated();
      remaining_ -= *got;
      done_ = remaining_ == 0;
      return Status::ok();
    }
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(cap, size_t{1} << 30));
    uInt cap_out = zs_.avail_out;
    while (zs_.avail_out == cap_out) {
      WEFT_TRY(in_.fill(path_));
      if (in_.available() == 0) return truncated();
      zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in_.data()));
      zs_.avail_in = static_cast<uInt>(in_.available());
      int r = inflate(&zs_, Z_NO_FLUSH);
      in_.consume(in_.available() - zs_.avail_in);
      if (r == Z_STREAM_END) {
        done_ = true;
        break;
      }
      if (r != Z_OK && r != Z_BUF_ERROR) {
        return Status::syntaxError("'" + path_ + "': corrupt zip data: " + (zs_.msg ? zs_.msg : "inflate error"));
      }
    }
    *got = cap_out - zs_.avail_out;
    return Status::ok();
  }

 private:
  Status truncated() const { return Status::syntaxError("'" + path_ + "': truncated zip archive"); }

  BufferedFd in_;
  std::string path_;
  z_stream zs_{};
  bool inflating_ = false;
  bool done_ = false;
  uint64_t remaining_ = 0;
};

// The first regular file of a tar archive (ustar / GNU / pax headers are
// skipped as entries of other types).
class TarReader : public ByteReader {
 public:
  TarReader(std::unique_ptr<ByteReader> in, std::string path) : in_(std::move(in)), path_(std::move(path)) {}

  Status start() {
    unsigned char h[512];
    for (;;) {
      size_t got = 0;
      WEFT_TRY(readFull(*in_, reinterpret_cast<char*>(h), 512, &got));
      if (got != 512) return Status::syntaxError("'" + path_ + "': truncated tar archive");
      if (std::all_of(h, h + 512, [](unsigned char c) { return c == 0; })) {
        return Status::syntaxError("'" + path_ + "': tar archive has no regular file");
      }
      // Header checksum: the byte sum with the checksum field read as spaces.
      uint64_t sum = 0;
      for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? 0x20 : h[i];
      uint64_t stored = 0;
      if (!octal(h + 148, 8, &stored) || stored != sum) {
        return Status::syntaxError("'" + path_ + "': not a tar archive (bad header checksum)");
      }
      uint64_t size = 0;
      if (h[124] & 0x80) {  // GNU base-256 size
        for (int i = 125; i < 136; ++i) size = (size << 8) | h[i];
      } else if (!octal(h + 124, 12, &size)) {
        return Status::syntaxError("'" + path_ + "': bad tar entry size");
      }
      char type = static_cast<char>(h[156]);
      if (type == '0' || type == '\0' || type == '7') {
        remaining_ = size;
        return Status::ok();
      }
      uint64_t skip = (size + 511) / 512 * 512;
      char scratch[4096];
      while (skip > 0) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(skip, sizeof scratch));
        WEFT_TRY(readFull(*in_, scratch, n, &got));
        if (got != n) return Status::syntaxError("'" + path_ + "': truncated tar archive");
        skip -= n;
      }
    }
  }

  Status read(char* buf, size_t cap, size_t* got) override {
    *got = 0;
    size_t n = static_cast<size_t>(std::min<uint64_t>(cap, remaining_));
    if (n == 0) return Status::ok();
    WEFT_TRY(in_->read(buf, n, got));
    if (*got == 0) return Status::syntaxError("'" + path_ + "': truncated tar archive");
    remaining_ -= *got;
    return Status::ok();
  }

 private:
  static bool octal(const unsigned char* p, size_t n, uint64_t* out) {
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && p[i] == ' ') ++i;
    size_t digits = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i, ++digits) v = v * 8 + (p[i] - '0');
    for (; i < n; ++i) {
      if (p[i] != ' ' && p[i] != 0) return false;
    }
    *out = v;
    return digits > 0;
  }

  std::unique_ptr<ByteReader> in_;
  std::string path_;
  uint64_t remaining_ = 0;
};

// ---- Decoding --------------------------------------------------------------

struct Utf8Scan {
  size_t end;    // bytes [0, end) are complete, valid UTF-8
  bool invalid;  // the sequence at `end` is invalid (else: an incomplete tail)
};

// RFC 3629 section 4 (the table of well-formed byte sequences).
Utf8Scan scanUtf8(const unsigned char* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return {i, true};
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) return {i, false};
      unsigned d = p[i + k];
      if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return {i, true};
    }
    i += len;
  }
  return {n, false};
}

// UTF-8 in, UTF-8 out: validated in place in the caller's string.
class Utf8Stream : public InputStream {
 public:
  Utf8Stream(std::unique_ptr<ByteReader> in, std::string name, std::string carry, uint64_t offset, bool in_eof)
      : in_(std::move(in)), name_(std::move(name)), carry_(std::move(carry)), offset_(offset), in_eof_(in_eof) {}

  Status read(size_t want, std::string* out, bool* eof) override {
    *eof = false;
    want = std::max<size_t>(want, 16);
    size_t base = out->size();
    out->append(carry_);
    carry_.clear();
    size_t have = out->size() - base;
    if (!in_eof_) {
      // A reader that knows how much is left (memory) gets a buffer of that
      // size, +1 for the read of 0 bytes that says it has ended.
      if (size_t left = in_->remainingHint(); left < want) want = left + 1;
      out->resize(base + have + want);
      size_t got = 0;
      Status s = in_->read(out->data() + base + have, want, &got);
      if (!s.isOk()) {
        out->resize(base);
        return s;
      }
      if (got == 0) in_eof_ = true;
      have += got;
      out->resize(base + have);
    }
    Utf8Scan scan = scanUtf8(reinterpret_cast<const unsigned char*>(out->data() + base), have);
    if (scan.invalid || (scan.end < have && in_eof_)) {
      out->resize(base);
      return Status::syntaxError(name_ + ": " + (scan.invalid ? "invalid" : "truncated") +
                                 " UTF-8 sequence at byte offset " + std::to_string(offset_ + scan.end));
    }
    if (scan.end < have) {
      carry_.assign(out->data() + base + scan.end, have - scan.end);
      out->resize(base + scan.end);
    }
    offset_ += scan.end;
    *eof = in_eof_ && carry_.empty();
    return Status::ok();
  }

 private:
  std::unique_ptr<ByteReader> in_;
  std::string name_;
  std::string carry_;  // an incomplete sequence at the end of the last chunk
  uint64_t offset_;    // input offset of carry_[0]
  bool in_eof_;
};

// Any encoding iconv knows, converted to UTF-8.
class IconvStream : public InputStream {
 public:
  IconvStream(std::unique_ptr<ByteReader> in, iconv_t cd, std::string name, std::string encoding,
              std::string pending, uint64_t offset, bool in_eof)
      : in_(std::move(in)),
        cd_(cd),
        name_(std::move(name)),
        encoding_(std::move(encoding)),
        pending_(std::move(pending)),
        offset_(offset),
        in_eof_(in_eof) {}
  ~IconvStream() override { iconv_close(cd_); }

  Status read(size_t want, std::string* out, bool* eof) override {
    *eof = false;
    want = std::max<size_t>(want, 16);
    if (!in_eof_) {
      size_t old = pending_.size();
      pending_.resize(old + want);
      size_t got = 0;
      Status s = in_->read(pending_.data() + old, want, &got);
      pending_.resize(old + (s.isOk() ? got : 0));
      WEFT_TRY(s);
      if (got == 0) in_eof_ = true;
    }
    size_t used = out->size();
    char* inp = pending_.data();
    size_t inleft = pending_.size();
    for (;;) {
      out->resize(used + inleft * 4 + 16);
      char* outp = out->data() + used;
      size_t outleft = out->size() - used;
      size_t r = iconv(cd_, &inp, &inleft, &outp, &outleft);
      used = static_cast<size_t>(outp - out->data());
      if (r != static_cast<size_t>(-1)) break;
      if (errno == E2BIG) continue;
      if (errno == EINVAL) break;  // an incomplete character at the end
      out->resize(used);
      return Status::syntaxError(name_ + ": invalid " + encoding_ + " sequence at byte offset " +
                                 std::to_string(offset_ + static_cast<uint64_t>(inp - pending_.data())));
    }
    size_t consumed = static_cast<size_t>(inp - pending_.data());
    pending_.erase(0, consumed);
    offset_ += consumed;
    if (in_eof_) {
      if (!pending_.empty()) {
        out->resize(used);
        return Status::syntaxError(name_ + ": truncated " + encoding_ + " character at byte offset " +
                                   std::to_string(offset_));
      }
      // Flush a stateful encoding's shift sequence.
      out->resize(used + 16);
      char* outp = out->data() + used;
      size_t outleft = 16;
      iconv(cd_, nullptr, nullptr, &outp, &outleft);
      used = static_cast<size_t>(outp - out->data());
    }
    out->resize(used);
    *eof = in_eof_ && pending_.empty();
    return Status::ok();
  }

 private:
  std::unique_ptr<ByteReader> in_;
  iconv_t cd_;
  std::string name_;
  std::string encoding_;
  std::string pending_;  // input bytes not converted yet
  uint64_t offset_;      // input offset of pending_[0]
  bool in_eof_;
};

}  // namespace

std::unique_ptr<ByteReader> memoryByteReader(std::string_view data) {
  return std::make_unique<MemoryReader>(data);
}

Result<std::unique_ptr<ByteReader>> openByteReader(const std::string& path, std::string_view compression) {
  std::string comp = core::asciiLower(localName(compression));
  if (comp == "targz" || comp == "tgz") comp = "tar.gz";
  if (comp == "tarxz" || comp == "txz") comp = "tar.xz";
  if (!comp.empty() && comp != "none" && comp != "gzip" && comp != "zip" && comp != "tar.gz" && comp != "tar.xz") {
    return Status::unsupported("'" + path + "': unknown compression '" + std::string(compression) +
                               "' (supported: none, gzip, zip, tar.gz, tar.xz)");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR) return Status::notFound("no such file: '" + path + "'");
    return Status::ioError("cannot open '" + path + "': " + std::strerror(e));
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::invalidArgument("'" + path + "' is a directory, not a file");
  }
  if (comp == "zip") {
    auto zip = std::make_unique<ZipReader>(fd, path);
    WEFT_TRY(zip->start());
    return std::unique_ptr<ByteReader>(std::move(zip));
  }
  gzFile g = gzdopen(fd, "rb");
  if (g == nullptr) {
    ::close(fd);
    return Status::ioError("cannot open '" + path + "': out of memory");
  }
  gzbuffer(g, 256 * 1024);
  auto gz = std::make_unique<GzReader>(g, path);
  if (comp == "tar.xz") {
    auto xz = std::make_unique<XzReader>(std::move(gz), path);
    WEFT_TRY(xz->start());
    auto tar = std::make_unique<TarReader>(std::move(xz), path);
    WEFT_TRY(tar->start());
    return std::unique_ptr<ByteReader>(std::move(tar));
  }
  if (comp == "tar.gz") {
    auto tar = std::make_unique<TarReader>(std::move(gz), path);
    WEFT_TRY(tar->start());
    return std::unique_ptr<ByteReader>(std::move(tar));
  }
  return std::unique_ptr<ByteReader>(std::move(gz));
}

Result<std::unique_ptr<InputStream>> decodeInput(std::unique_ptr<ByteReader> bytes, std::string_view encoding,
                                                 std::string name) {
  // Read the first 4 bytes for a BOM.
  std::string head(4, '\0');
  size_t n = 0;
  WEFT_TRY(readFull(*bytes, head.data(), 4, &n));
  head.resize(n);
  bool in_eof = n < 4;
  auto u = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; };

  std::string enc(localName(encoding));
  std::string low = core::asciiLower(enc);
  size_t skip = 0;
  bool utf32 = low.rfind("utf-32", 0) == 0 || low.rfind("utf32", 0) == 0 || low.rfind("ucs-4", 0) == 0;
  if (u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) {
    enc = "UTF-8";
    skip = 3;
  } else if (!utf32 && u(0) == 0xFF && u(1) == 0xFE && head.size() >= 2) {
    enc = "UTF-16LE";
    skip = 2;
  } else if (!utf32 && u(0) == 0xFE && u(1) == 0xFF) {
    enc = "UTF-16BE";
    skip = 2;
  }
  low = core::asciiLower(enc);
  if (low.empty() || low == "utf-8" || low == "utf8") {
    return std::unique_ptr<InputStream>(
        std::make_unique<Utf8Stream>(std::move(bytes), std::move(name), head.substr(skip), skip, in_eof));
  }
  iconv_t cd = iconv_open("UTF-8", enc.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::unsupported(name + ": unknown character encoding '" + std::string(encoding) + "'");
  }
  return std::unique_ptr<InputStream>(std::make_unique<IconvStream>(std::move(bytes), cd, std::move(name), enc,
                                                                    head.substr(skip), skip, in_eof));
}

}  // namespace internal

Result<std::unique_ptr<InputStream>> openInput(const SourceSpec& spec) {
  auto bytes = internal::openByteReader(spec.path, spec.compression);
  if (!bytes) return bytes.status();
  return internal::decodeInput(std::move(bytes).value(), spec.encoding, spec.path);
}

Result<std::string> readAll(const SourceSpec& spec, size_t limit) {
  auto in = openInput(spec);
  if (!in) return in.status();
  std::string out;
  bool eof = false;
  while (!eof) {
    WEFT_TRY((*in)->read(size_t{1} << 20, &out, &eof));
    if (out.size() > limit) {
      return Status::aborted("'" + spec.path + "' is larger than the limit of " + std::to_string(limit) + " bytes");
    }
  }
  return out;
}

}  // namespace weft::sources
