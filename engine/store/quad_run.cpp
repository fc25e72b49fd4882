// SPDX-License-Identifier: Apache-2.0
#include "engine/store/quad_run.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/core/bytes.h"
#include "engine/store/internal/key_coding.h"

namespace weft::store {
namespace {

constexpr uint64_t kMagicV1 = 0x314e55525446'5745ULL;  // "WEFTRUN1": 128-key blocks
constexpr uint64_t kMagic = 0x324e55525446'5745ULL;    // "WEFTRUN2": kBlockKeys-key blocks
constexpr size_t kFooter = 5 * 8;

void putU64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t getU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

void appendVarint(std::vector<uint8_t>& out, uint64_t v) {
  uint8_t tmp[10];
  size_t n = putVarint(tmp, v);
  out.insert(out.end(), tmp, tmp + n);
}

// One directory entry: the block's first key and its offset.
void putDirEntry(std::vector<uint8_t>& out, const Key& first, uint64_t offset) {
  for (uint64_t c : first) putU64(out, c);
  putU64(out, offset);
}

void putFooter(std::vector<uint8_t>& out, uint64_t count, uint64_t blocks, uint64_t dir_off,
               uint64_t sum) {
  putU64(out, count);
  putU64(out, blocks);
  putU64(out, dir_off);
  putU64(out, sum);
  putU64(out, kMagic);
}

bool writeAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// hashBytes over the first n bytes of a file, read back in chunks: the
// checksum of a run written by FileWriter, whose blocks are no longer in
// memory (hashBytes is seeded with the length, so it cannot run as the
// blocks are written). Must stay equal to hashBytes (engine/core/bytes.h):
// the file format stores it.
bool hashFilePrefix(int fd, uint64_t n, uint64_t* out) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0x87c37b91114253d5ULL);
  std::vector<uint8_t> buf(size_t{1} << 20);  // a multiple of 8: words never straddle reads
  uint64_t off = 0;
  while (off < n) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), n - off));
    size_t got = 0;
    while (got < want) {
      ssize_t r = ::pread(fd, buf.data() + got, want - got, static_cast<off_t>(off + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    size_t i = 0;
    for (; i + 8 <= want; i += 8) {
      uint64_t w;
      std::memcpy(&w, buf.data() + i, 8);
      h = (h ^ mix64(w)) * 0x4cf5ad432745937fULL;
      h = (h << 31) | (h >> 33);
    }
    off += want;
    if (off == n) {  // the tail: fewer than 8 bytes
      uint64_t tail = 0;
      std::memcpy(&tail, buf.data() + i, want - i);
      h ^= mix64(tail ^ (static_cast<uint64_t>(want - i) << 56));
    }
  }
  if (n == 0) h ^= mix64(0);
  *out = mix64(h);
  return true;
}

}  // namespace

QuadRun::~QuadRun() {
  if (map_) munmap(map_, map_len_);
}

std::shared_ptr<QuadRun> QuadRun::empty() {
  return std::shared_ptr<QuadRun>(new QuadRun());
}

QuadRun::Builder::Builder(size_t expected_keys) : run_(new QuadRun()) {
  run_->buf_.reserve(expected_keys * 6 + 64);
  run_->firsts_.reserve(expected_keys / kBlockKeys + 1);
  run_->offsets_.reserve(expected_keys / kBlockKeys + 1);
}

void QuadRun::Builder::add(const Key& k) {
  auto& buf = run_->buf_;
  if (run_->count_ % kBlockKeys == 0) {
    run_->firsts_.push_back(k);
    run_->offsets_.push_back(buf.size());
    for (uint64_t c : k) appendVarint(buf, c);
  } else {
    internal::putKeyDelta(prev_, k, [&](uint64_t v) { appendVarint(buf, v); });
  }
  prev_ = k;
  ++run_->count_;
}

std::shared_ptr<QuadRun> QuadRun::Builder::finish() {
  auto run = std::move(run_);
  run->buf_.shrink_to_fit();
  run->firsts_.shrink_to_fit();
  run->offsets_.shrink_to_fit();
  run->data_ = run->buf_.data();
  run->data_size_ = run->buf_.size();
  run->bytes_ = run->buf_.size() + run->firsts_.size() * 40;
  run->buildSample();
  return run;
}

std::shared_ptr<QuadRun> QuadRun::build(const std::vector<Key>& sorted) {
  Builder b(sorted.size());
  for (const Key& k : sorted) b.add(k);
  return b.finish();
}

Status QuadRun::writeFile(const std::string& path) const {
  std::vector<uint8_t> tail;
  uint64_t dir_off = data_size_;
  for (size_t b = 0; b < firsts_.size(); ++b) putDirEntry(tail, firsts_[b], offsets_[b]);
  uint64_t sum = hashBytes(std::string_view(reinterpret_cast<const char*>(data_), data_size_));
  sum ^= hashBytes(std::string_view(reinterpret_cast<const char*>(tail.data()), tail.size()));
  putFooter(tail, count_, firsts_.size(), dir_off, sum);

  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError("cannot create '" + tmp + "': " + std::strerror(errno));
  bool ok = writeAll(fd, data_, data_size_) && writeAll(fd, tail.data(), tail.size()) &&
            ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Status::ioError("cannot write '" + path + "': " + std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    return Status::ioError("cannot rename '" + tmp + "': " + std::strerror(err));
  }
  return Status::ok();
}

// Blocks are written in pieces of about this size (flushed at a block
// start past it; a block takes at most kBlockKeys * 40 bytes).
constexpr size_t kWriteChunk = size_t{1} << 20;

QuadRun::FileWriter::FileWriter(std::string path, size_t expected_keys)
    : path_(std::move(path)), tmp_(path_ + ".tmp") {
  fd_ = ::open(tmp_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) errno_ = errno;
  buf_.reserve(kWriteChunk + kBlockKeys * 40);
  // The directory and then the footer (5 words) in one buffer.
  dir_.reserve((expected_keys + kBlockKeys - 1) / kBlockKeys * 40 + 40);
}

QuadRun::FileWriter::~FileWriter() {
  if (fd_ >= 0) {  // finish() was not reached
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void QuadRun::FileWriter::flush() {
  if (fd_ >= 0 && errno_ == 0 && !writeAll(fd_, buf_.data(), buf_.size())) errno_ = errno;
  written_ += buf_.size();
  buf_.clear();
}

void QuadRun::FileWriter::add(const Key& k) {
  if (count_ % kBlockKeys == 0) {
    if (buf_.size() >= kWriteChunk) flush();
    putDirEntry(dir_, k, written_ + buf_.size());
    for (uint64_t c : k) appendVarint(buf_, c);
  } else {
    internal::putKeyDelta(prev_, k, [&](uint64_t v) { appendVarint(buf_, v); });
  }
  prev_ = k;
  ++count_;
}

Status QuadRun::FileWriter::finish() {
  if (fd_ < 0) return Status::ioError("cannot create '" + tmp_ + "': " + std::strerror(errno_));
  flush();
  const uint64_t dir_off = written_, blocks = dir_.size() / 40;
  uint64_t sum = 0;
  bool ok = errno_ == 0 && hashFilePrefix(fd_, dir_off, &sum);
  if (!ok && errno_ == 0) errno_ = errno ? errno : EIO;
  if (ok) {
    sum ^= hashBytes(std::string_view(reinterpret_cast<const char*>(dir_.data()), dir_.size()));
    putFooter(dir_, count_, blocks, dir_off, sum);
    ok = writeAll(fd_, dir_.data(), dir_.size()) && ::fsync(fd_) == 0;
    if (!ok) errno_ = errno;
  }
  ::close(fd_);
  fd_ = -1;
  std::vector<uint8_t>().swap(dir_);
  if (!ok) {
    ::unlink(tmp_.c_str());
    return Status::ioError("cannot write '" + path_ + "': " + std::strerror(errno_));
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    return Status::ioError("cannot rename '" + tmp_ + "': " + std::strerror(err));
  }
  return Status::ok();
}

Result<std::shared_ptr<QuadRun>> QuadRun::openFile(const std::string& path, bool verify) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::ioError("cannot open index file '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kFooter)) {
    ::close(fd);
    return Status::corruption("index file '" + path + "' is truncated");
  }
  size_t len = static_cast<size_t>(st.st_size);
  void* m = mmap(nullptr, len, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return Status::ioError("cannot map '" + path + "': " + std::strerror(errno));
  std::shared_ptr<QuadRun> run(new QuadRun());
  run->map_ = m;
  run->map_len_ = len;
  const auto* base = static_cast<const uint8_t*>(m);
  const uint8_t* f = base + len - kFooter;
  uint64_t count = getU64(f), blocks = getU64(f + 8), dir_off = getU64(f + 16),
           sum = getU64(f + 24), magic = getU64(f + 32);
  if ((magic != kMagic && magic != kMagicV1) || dir_off > len || blocks > len / 40 ||
      dir_off + blocks * 40 + kFooter != len) {
    return Status::corruption("index file '" + path + "' has a bad footer");
  }
  run->data_ = base;
  run->data_size_ = dir_off;
  run->count_ = count;
  run->block_keys_ = magic == kMagicV1 ? 128 : kBlockKeys;
  if (blocks != (count + run->block_keys_ - 1) / run->block_keys_)
    return Status::corruption("index file '" + path + "' has a bad block count");
  run->firsts_.resize(blocks);
  run->offsets_.resize(blocks);
  const uint8_t* d = base + dir_off;
  for (size_t b = 0; b < blocks; ++b, d += 40) {
    for (int c = 0; c < 4; ++c) run->firsts_[b][c] = getU64(d + 8 * c);
    run->offsets_[b] = getU64(d + 32);
    if (run->offsets_[b] > dir_off || (b > 0 && run->offsets_[b] < run->offsets_[b - 1])) {
      return Status::corruption("index file '" + path + "' has a bad directory");
    }
  }
  run->bytes_ = len;
  run->buildSample();
  if (verify) {
    uint64_t s = hashBytes(std::string_view(reinterpret_cast<const char*>(base), dir_off));
    s ^= hashBytes(std::string_view(reinterpret_cast<const char*>(base + dir_off), blocks * 40));
    if (s != sum) return Status::corruption("index file '" + path + "' fails its checksum");
    run->releasePages();  // the check read every page; scans fault back what they need
  } else {
    // The directory is copied into firsts_ / offsets_; its pages are not
    // read again.
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t from = dir_off / page * page;
    ::madvise(static_cast<uint8_t*>(m) + from, len - from, MADV_DONTNEED);
  }
  return run;
}

void QuadRun::releasePages() const {
  if (map_) ::madvise(map_, map_len_, MADV_DONTNEED);
}

QuadRun::Cursor::Cursor(const QuadRun* run, const Key& lower, int prefix_len)
    : run_(run), lower_(lower), prefix_len_(prefix_len) {
  if (run->firsts_.empty()) return;
  block_ = run->findBlock(lower);
  p_ = run->data_ + run->offsets_[block_];
  block_end_ = run->data_ + run->blockEnd(block_);
  first_in_block_ = true;
  done_ = false;
}

bool QuadRun::Cursor::decodeNext(Key* out) {
  while (p_ >= block_end_) {
    if (++block_ >= run_->offsets_.size()) return false;
    p_ = run_->data_ + run_->offsets_[block_];
    block_end_ = run_->data_ + run_->blockEnd(block_);
    first_in_block_ = true;
  }
  if (first_in_block_) {
    for (int c = 0; c < 4; ++c) {
      p_ = getVarint(p_, block_end_, &prev_[c]);
      if (!p_) return false;
    }
    first_in_block_ = false;
  } else {
    p_ = internal::getKeyDelta(p_, block_end_, &prev_);
    if (!p_) return false;
  }
  *out = prev_;
  return true;
}

bool QuadRun::Cursor::next(Key* out) { return nextBatch(out, 1) == 1; }

size_t QuadRun::Cursor::nextBatch(Key* out, size_t max) {
  size_t n = 0;
  while (n < max && !done_) {
    Key& k = out[n];
    if (!decodeNext(&k)) {
      done_ = true;
      break;
    }
    if (!past_lower_) {
      if (k < lower_) continue;
      past_lower_ = true;
    }
    bool in = true;
    for (int c = 0; c < prefix_len_; ++c) in &= k[c] == lower_[c];
    if (!in) {
      done_ = true;
      break;
    }
    ++n;
  }
  return n;
}

void QuadRun::buildSample() {
  sample_.clear();
  for (size_t b = 0; b < firsts_.size(); b += kSampleStride) sample_.push_back(firsts_[b]);
}

size_t QuadRun::findBlock(const Key& key) const {
  // Stride: the last sampled block <= key; the answer lies in that stride.
  auto s = std::upper_bound(sample_.begin(), sample_.end(), key);
  if (s == sample_.begin()) return 0;
  size_t lo = static_cast<size_t>(s - sample_.begin() - 1) * kSampleStride;
  size_t hi = std::min(firsts_.size(), lo + kSampleStride);
  auto it = std::upper_bound(firsts_.begin() + static_cast<ptrdiff_t>(lo),
                             firsts_.begin() + static_cast<ptrdiff_t>(hi), key);
  return static_cast<size_t>(it - firsts_.begin()) - 1;
}

uint64_t QuadRun::rank(const Key& key) const {
  if (firsts_.empty() || key <= firsts_[0]) return 0;
  size_t b = findBlock(key);
  uint64_t n = static_cast<uint64_t>(b) * block_keys_;
  Cursor c(this, firsts_[b], 0);
  Key k;
  // Decode block b only: stop at its end or at the first key >= key.
  while (c.block_ == b && c.decodeNext(&k)) {
    if (c.block_ != b || !(k < key)) break;
    ++n;
  }
  return n;
}

Key QuadRun::keyAt(uint64_t r) const {
  size_t b = static_cast<size_t>(r / block_keys_);
  Cursor c(this, firsts_[b], 0);
  Key k{};
  for (uint64_t i = 0; i <= r % block_keys_; ++i)
    if (!c.decodeNext(&k)) break;
  return k;
}

uint64_t QuadRun::countPrefix(const Key& lower, int prefix_len) const {
  if (prefix_len <= 0) return count_;
  Key lo, hi;
  const uint64_t end = prefixBounds(lower, prefix_len, &lo, &hi) ? rank(hi) : count_;
  return end - rank(lo);
}

void QuadRun::forEach(const std::function<void(const Key&)>& fn) const {
  Cursor c(this, Key{0, 0, 0, 0}, 0);
  Key k;
  while (c.next(&k)) fn(k);
}

void QuadRun::forEachReleasing(const std::function<void(const Key&)>& fn) const {
  if (!map_) {
    forEach(fn);
    return;
  }
  // data_ is the start of the mapping, so page aligned.
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  constexpr size_t kStep = size_t{4} << 20;
  size_t released = 0;
  Cursor c(this, Key{0, 0, 0, 0}, 0);
  Key k;
  while (c.next(&k)) {
    fn(k);
    const size_t pos = static_cast<size_t>(c.p_ - data_);
    if (pos - released >= kStep) {
      const size_t upto = pos / page * page;
      ::madvise(const_cast<uint8_t*>(data_) + released, upto - released, MADV_DONTNEED);
      released = upto;
    }
  }
  releasePages();
}

Status QuadRun::verify() const {
  uint64_t n = 0;
  Key prev{};
  bool bad = false;
  for (size_t b = 0; b < firsts_.size() && !bad; ++b) {
    Cursor c(this, firsts_[b], 0);
    c.block_ = b;
    c.p_ = data_ + offsets_[b];
    c.block_end_ = data_ + blockEnd(b);
    Key k;
    size_t in_block = 0;
    while (c.p_ < c.block_end_) {
      if (!c.decodeNext(&k)) {
        bad = true;
        break;
      }
      if (in_block == 0 && k != firsts_[b]) bad = true;
      if (n > 0 && !(prev < k)) bad = true;
      prev = k;
      ++n;
      ++in_block;
    }
    if (in_block == 0 || in_block > block_keys_ || (b + 1 < firsts_.size() && in_block != block_keys_))
      bad = true;
  }
  if (bad || n != count_) {
    return Status::corruption("index run is inconsistent (" + std::to_string(n) + " keys decoded, " +
                              std::to_string(count_) + " expected)");
  }
  return Status::ok();
}

}  // namespace weft::store
