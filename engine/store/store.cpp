// SPDX-License-Identifier: Apache-2.0
#include "engine/store/store.h"

#include <fcntl.h>
#include <csignal>
#include <cstdlib>
#include <malloc.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <charconv>
#include <array>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/core/bytes.h"
#include "engine/core/proc_status.h"
#include "engine/rdf/xsd.h"
#include "engine/store/internal/key_coding.h"
#include "engine/store/internal/store_impl.h"
#include "engine/store/term_codec.h"

namespace weft::store {
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kHashMagic = 0x3148534854464557ULL;  // "WEFTHSH1"
constexpr const char* kFormatName = "weft-store";
constexpr uint64_t kFormatVersion = 1;
constexpr size_t kTermsPerBlock = 4096;
constexpr size_t kQuadsPerBatch = 65536;

using KeyVec = std::vector<Key>;

using internal::DeltaKeys;

void sortUnique(KeyVec& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

KeyVec permuted(const KeyVec& spog, int p) {
  KeyVec out;
  out.reserve(spog.size());
  for (const Key& q : spog) out.push_back(toPerm(q, p));
  if (p != kSPOG) std::sort(out.begin(), out.end());
  return out;
}

// Keys whose ids all fit in 32 bits are sorted packed into 128 bits: half
// the memory traffic and a branch-free compare (a large load's hot spot).
using Packed = unsigned __int128;
inline Packed pack(const Key& k) {
  return (static_cast<Packed>((k[0] << 32) | k[1]) << 64) | ((k[2] << 32) | k[3]);
}
inline Key unpack(Packed v) {
  uint64_t hi = static_cast<uint64_t>(v >> 64), lo = static_cast<uint64_t>(v);
  return Key{hi >> 32, hi & 0xffffffffu, lo >> 32, lo & 0xffffffffu};
}
bool fits32(const KeyVec& v) {
  uint64_t m = 0;
  for (const Key& k : v) m |= k[0] | k[1] | k[2] | k[3];
  return m < (uint64_t{1} << 32);
}

// Runs fn(0..n-1) on two threads.
void parallelFor(int n, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::thread t(worker);
  worker();
  t.join();
}

// Blob of quads: count varint, then SPOG keys delta-coded like a run block.
std::string encodeQuads(const Key* begin, const Key* end) {
  std::string out;
  putVarint(out, static_cast<uint64_t>(end - begin));
  Key prev{};
  for (const Key* k = begin; k != end; ++k) {
    internal::putKeyDelta(prev, *k, [&](uint64_t v) { putVarint(out, v); });
    prev = *k;
  }
  return out;
}

bool decodeQuads(std::string_view blob, KeyVec* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  const auto* end = p + blob.size();
  uint64_t n;
  p = getVarint(p, end, &n);
  if (!p || n > blob.size()) return false;
  Key prev{};
  for (uint64_t i = 0; i < n; ++i) {
    p = internal::getKeyDelta(p, end, &prev);
    if (!p) return false;
    out->push_back(prev);
  }
  return p == end;
}

// WEFT_TIMING=1 prints the phases of each commit to stderr, with the
// resident memory after each (anonymous + file pages) and its peak so far.
class PhaseTimer {
 public:
  PhaseTimer() : on_(std::getenv("WEFT_TIMING") != nullptr), t_(std::chrono::steady_clock::now()) {}
  void mark(const char* what) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr,
                 "  commit: %-32s %8.3f s  rss %5llu MiB (anon %llu, file %llu), peak %llu MiB\n",
                 what, std::chrono::duration<double>(now - t_).count(), mib("VmRSS:"),
                 mib("RssAnon:"), mib("RssFile:"), mib("VmHWM:"));
    t_ = now;
  }

 private:
  static unsigned long long mib(const char* key) { return procStatusBytes(key) >> 20; }
  bool on_;
  std::chrono::steady_clock::time_point t_;
};

// Crash-safety tests set WEFT_CRASH_POINT=NAME to have the process kill
// itself (SIGKILL, no cleanup) at that point of a commit.
void crashPoint(const char* name) {
  static const char* want = std::getenv("WEFT_CRASH_POINT");
  if (want && std::strcmp(want, name) == 0) ::kill(::getpid(), SIGKILL);
}

Status syncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::ioError("cannot open '" + dir + "': " + std::strerror(errno));
  ::fsync(fd);
  ::close(fd);
  return Status::ok();
}

}  // namespace

// ---------------------------------------------------------------------------
// HashFile

HashFile::~HashFile() {
  if (map) munmap(map, len);
}

// ---------------------------------------------------------------------------
// StoreImpl: opening

StoreImpl::~StoreImpl() {
  abandonMerge();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void StoreImpl::initMemory() {
  auto v = std::make_shared<IndexVersion>();
  for (int p = 0; p < kPermCount; ++p) {
    v->runs[p] = QuadRun::empty();
    v->adds[p] = DeltaKeys::emptySet();
    v->dels[p] = DeltaKeys::emptySet();
  }
  current_ = v;
}

Status StoreImpl::openDurable(const std::string& dir, OpenMode mode) {
  durable_ = true;
  readonly_ = mode == OpenMode::kReadOnly;
  dir_ = dir;
  std::error_code ec;
  bool exists = fs::exists(dir, ec);
  if (exists && !fs::is_directory(dir, ec)) {
    return Status::invalidArgument("'" + dir + "' is not a directory, so it cannot be a weft store");
  }
  std::string dbpath = dir + "/weft.db";
  bool has_db = fs::exists(dbpath, ec);
  if (!has_db) {
    if (mode != OpenMode::kCreateIfMissing) {
      if (exists && !fs::is_empty(dir, ec)) {
        return Status::invalidArgument("'" + dir + "' is not a weft store (no weft.db inside)");
      }
      return Status::notFound("no weft store at '" + dir + "' (create one with 'weft load --store " + dir + " FILE')");
    }
    if (exists && !fs::is_empty(dir, ec)) {
      return Status::invalidArgument("'" + dir + "' is not empty and is not a weft store; refusing to create one there");
    }
    fs::create_directories(dir, ec);
    if (ec) return Status::ioError("cannot create '" + dir + "': " + ec.message());
  }
  // Writers hold an exclusive lock on DIR/LOCK for the store's lifetime.
  if (!readonly_) {
    lock_fd_ = ::open((dir + "/LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) return Status::ioError("cannot create '" + dir + "/LOCK': " + std::strerror(errno));
    if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::aborted("store '" + dir + "' is in use by another weft process (LOCK held)");
    }
  }
  auto db = SqliteDb::open(dbpath, !has_db, readonly_);
  if (!db) return db.status();
  db_ = std::move(db.value());
  if (!has_db) {
    WEFT_TRY(db_->exec(
        "BEGIN;"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value);"
        "CREATE TABLE term_blocks(first_id INTEGER PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);"
        "CREATE TABLE batches(id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, op INTEGER NOT NULL,"
        " count INTEGER NOT NULL, data BLOB NOT NULL);"
        "CREATE INDEX batches_txn ON batches(txn);"
        "INSERT INTO meta VALUES('format','weft-store'),('version',1),('txn',0),"
        "('next_term',2),('next_doc',1),('quads',0);"
        "COMMIT;"));
  }
  // Everything below reads one snapshot: meta, term blocks and the batch log in one SQLite
  // read transaction, so a writer committing meanwhile (weft stream, weft serve) cannot make
  // the counts disagree ("index holds N quads but the database says M").
  WEFT_TRY(db_->exec("BEGIN"));
  // Read meta; a SQLite file that is not ours is reported as such.
  auto st = db_->prepare("SELECT key, value FROM meta");
  if (!st) return Status::invalidArgument("'" + dir + "' is not a weft store: " + st.status().message());
  std::map<std::string, std::string> meta;
  Status s;
  while (st->step(&s)) {
    std::string_view k = st->columnBlob(0), v = st->columnBlob(1);
    meta[std::string(k)] = std::string(v);
  }
  WEFT_TRY(s);
  if (meta["format"] != kFormatName) return Status::invalidArgument("'" + dir + "' is not a weft store");
  auto number = [&](const char* key, uint64_t* out) {
    const std::string& v = meta[key];
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
    return ec == std::errc() && end == v.data() + v.size() && !v.empty();
  };
  uint64_t version = 0, quads_meta = 0;
  if (!number("version", &version) || !number("txn", &last_txn_) || !number("next_term", &committed_next_) ||
      !number("next_doc", &next_doc_) || !number("quads", &quads_meta) || committed_next_ < kFirstTermId) {
    return Status::corruption("store '" + dir + "': its meta table is damaged");
  }
  if (version != kFormatVersion) {
    return Status::unsupported("store '" + dir + "' has format version " + meta["version"] +
                               "; this weft reads version " + std::to_string(kFormatVersion));
  }

  // The index manifest; if missing or unusable, rebuild from SQLite.
  auto v = std::make_shared<IndexVersion>();
  for (int p = 0; p < kPermCount; ++p) {
    v->runs[p] = QuadRun::empty();
    v->adds[p] = DeltaKeys::emptySet();
    v->dels[p] = DeltaKeys::emptySet();
  }
  uint64_t after_txn = 0, covered = kFirstTermId, run_quads = 0;
  bool have_manifest = false;
  {
    std::ifstream in(dir + "/INDEX");
    std::string magic;
    uint64_t rg = 0, hg = 0, tx = 0, cov = 0, q = 0;
    if (in >> magic && magic == "weft-index-1" && in >> tx >> q >> rg >> hg >> cov &&
        tx <= last_txn_ && cov <= committed_next_) {
      bool ok = true;
      if (rg > 0) {
        for (int p = 0; p < kPermCount && ok; ++p) {
          auto r = QuadRun::openFile(runPrefix(rg) + kPermNames[p], false);
          if (!r) ok = false; else v->runs[p] = r.value();
        }
      }
      if (ok && hg > 0) ok = openHashFile("terms-" + std::to_string(hg) + ".hash", cov).isOk();
      if (ok) {
        have_manifest = true;
        after_txn = tx;
        covered = hg > 0 ? cov : kFirstTermId;
        runs_gen_ = rg;
        hash_gen_ = hg;
        run_quads = q;
        ckpt_txn_ = tx;
        ckpt_quads_ = q;
      }
    }
  }
  if (!have_manifest) {
    for (int p = 0; p < kPermCount; ++p) v->runs[p] = QuadRun::empty();
    runs_gen_ = hash_gen_ = 0;
    hash_ = HashFile();
  }
  mem_.reset(covered);
  WEFT_TRY(loadTermsFrom(covered));
  v->quad_count = have_manifest ? run_quads : 0;
  v->txn = after_txn;
  WEFT_TRY(replayBatches(after_txn, v.get()));
  v->next_term_id = committed_next_;
  if (v->quad_count != quads_meta) {
    return Status::corruption("store '" + dir + "': index holds " + std::to_string(v->quad_count) +
                              " quads but the database says " + std::to_string(quads_meta));
  }
  WEFT_TRY(db_->exec("COMMIT"));
  current_ = v;
  if (!readonly_) removeStaleFiles();
  return Status::ok();
}

// Removes index files that no manifest names (left by a crash mid-checkpoint).
void StoreImpl::removeStaleFiles() const {
  std::error_code ec;
  std::string keep_runs = "run-" + std::to_string(runs_gen_) + "-";
  for (auto& e : fs::directory_iterator(dir_, ec)) {
    std::string n = e.path().filename().string();
    bool stale = (n.rfind("run-", 0) == 0 && n.rfind(keep_runs, 0) != 0) ||
                 (n.rfind("terms-", 0) == 0 && n != hash_name_) ||
                 n == "INDEX.tmp" || (n.size() > 4 && n.compare(n.size() - 4, 4, ".tmp") == 0);
    if (stale) fs::remove(e.path(), ec);
  }
}

Status StoreImpl::openHashFile(const std::string& name, uint64_t covered) {
  std::string path = dir_ + "/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::ioError("cannot open '" + path + "'");
  struct stat st {};
  fstat(fd, &st);
  size_t len = static_cast<size_t>(st.st_size);
  if (len < 32) {
    ::close(fd);
    return Status::corruption("hash file truncated");
  }
  void* m = mmap(nullptr, len, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return Status::ioError("cannot map '" + path + "'");
  const auto* h = static_cast<const uint64_t*>(m);
  if (h[0] != kHashMagic || h[2] != covered || 32 + h[1] * 8 != len ||
      (h[1] & (h[1] - 1)) != 0) {
    munmap(m, len);
    return Status::corruption("hash file '" + path + "' does not match the manifest");
  }
  if (hash_.map) munmap(hash_.map, hash_.len);
  hash_.map = m;
  hash_.len = len;
  hash_.slot_count = h[1];
  hash_.covered = h[2];
  hash_.terms = h[3];
  hash_.slots = h + 4;
  hash_name_ = name;
  return Status::ok();
}

// Loads terms with ids >= first from SQLite into mem_ (whose first id is `first`).
Status StoreImpl::loadTermsFrom(uint64_t first) {
  auto st = db_->prepare(
      "SELECT first_id, count, data FROM term_blocks WHERE first_id + count > ? ORDER BY first_id");
  if (!st) return st.status();
  st->bindInt(1, static_cast<int64_t>(first));
  Status s;
  uint64_t expect = first;
  while (st->step(&s)) {
    uint64_t f = static_cast<uint64_t>(st->columnInt(0));
    std::string_view data = st->columnBlob(2);
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    const auto* end = p + data.size();
    uint64_t id = f;
    while (p < end) {
      uint64_t n;
      p = getVarint(p, end, &n);
      if (!p || n > static_cast<uint64_t>(end - p)) return Status::corruption("bad term block " + std::to_string(f));
      if (id >= first) {
        if (id != expect) return Status::corruption("term ids are not contiguous at " + std::to_string(id));
        bool ins = false;
        mem_.insert(std::string_view(reinterpret_cast<const char*>(p), n), &ins);
        if (!ins) return Status::corruption("duplicate term in dictionary at id " + std::to_string(id));
        ++expect;
      }
      p += n;
      ++id;
    }
  }
  WEFT_TRY(s);
  if (expect != committed_next_) {
    return Status::corruption("dictionary has terms up to " + std::to_string(expect) + " but meta says " +
                              std::to_string(committed_next_));
  }
  return Status::ok();
}

Status StoreImpl::replayBatches(uint64_t after_txn, IndexVersion* v) {
  auto st = db_->prepare("SELECT txn, op, data FROM batches WHERE txn > ? ORDER BY id");
  if (!st) return st.status();
  st->bindInt(1, static_cast<int64_t>(after_txn));
  Status s;
  uint64_t cur_txn = 0;
  KeyVec adds, rems;
  std::shared_ptr<IndexVersion> acc = std::make_shared<IndexVersion>(*v);
  auto flush = [&]() {
    if (adds.empty() && rems.empty()) return;
    sortUnique(adds);
    sortUnique(rems);
    bool compacted = false;
    auto next = applyEffective(*acc, adds, rems, "", &compacted);  // in memory: cannot fail
    if (next) acc = std::move(next.value());
    adds.clear();
    rems.clear();
  };
  while (st->step(&s)) {
    uint64_t txn = static_cast<uint64_t>(st->columnInt(0));
    if (txn != cur_txn) {
      flush();
      cur_txn = txn;
    }
    int op = static_cast<int>(st->columnInt(1));
    if (!decodeQuads(st->columnBlob(2), op == 1 ? &adds : &rems)) {
      return Status::corruption("bad quad batch in transaction " + std::to_string(txn));
    }
  }
  WEFT_TRY(s);
  flush();
  acc->txn = last_txn_;
  *v = *acc;
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Dictionary

TermId StoreImpl::lookupEncoded(std::string_view enc, uint64_t limit) const {
  // The shared lock also keeps the hash file mapped while it is probed (a
  // checkpoint replaces it under the exclusive lock).
  std::shared_lock<std::shared_mutex> g(dict_mu_);
  uint64_t h = hashBytes(enc);
  TermId id = mem_.find(enc, h);
  if (id == 0 && hash_.slots) id = probeHashFile(enc, h);
  return id < limit ? id : 0;
}

TermId StoreImpl::probeHashFile(std::string_view enc, uint64_t h) const {
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  uint64_t mask = hash_.slot_count - 1;
  std::string tmp;
  for (uint64_t i = tag & mask;; i = (i + 1) & mask) {
    uint64_t s = hash_.slots[i];
    if (s == 0) return 0;
    if (static_cast<uint32_t>(s >> 32) == tag) {
      TermId id = s & 0xffffffffu;
      if (termBytesFromDb(id, &tmp) && tmp == enc) return id;
    }
  }
}

bool StoreImpl::decodeBytes(TermId id, std::string* out) const {
  uint64_t covered;
  {
    std::shared_lock<std::shared_mutex> g(dict_mu_);
    if (mem_.contains(id)) {
      std::string_view b = mem_.get(id);
      out->assign(b.data(), b.size());
      return true;
    }
    covered = hash_.covered;
  }
  if (!durable_ || id < kFirstTermId || id >= covered) return false;
  return termBytesFromDb(id, out);
}

bool StoreImpl::termBytesFromDb(TermId id, std::string* out) const {
  std::lock_guard<std::mutex> g(db_mu_);
  auto contains = [id](const Block* b) { return id >= b->first && id - b->first < b->offs.size(); };
  const Block* block = nullptr;
  if (last_block_ && contains(last_block_)) {
    block = last_block_;
  } else {
    auto it = std::upper_bound(block_firsts_.begin(), block_firsts_.end(), id);
    if (it != block_firsts_.begin()) {
      const Block* b = blocks_[static_cast<size_t>(it - block_firsts_.begin()) - 1].get();
      if (contains(b)) block = b;
    }
  }
  if (!block) {
    auto st = db_->prepare("SELECT first_id, data FROM term_blocks WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1");
    if (!st) return false;
    st->bindInt(1, static_cast<int64_t>(id));
    Status s;
    if (!st->step(&s)) return false;
    auto b = std::make_unique<Block>();
    b->first = static_cast<uint64_t>(st->columnInt(0));
    b->data = std::string(st->columnBlob(1));
    const auto* p0 = reinterpret_cast<const uint8_t*>(b->data.data());
    const auto* p = p0;
    const auto* end = p + b->data.size();
    while (p < end) {
      b->offs.push_back(static_cast<uint32_t>(p - p0));
      uint64_t n;
      p = getVarint(p, end, &n);
      if (!p || n > static_cast<uint64_t>(end - p)) return false;
      p += n;
    }
    if (!contains(b.get())) return false;
    last_block_ = nullptr;
    if (block_bytes_ + b->data.size() > kBlockCacheBytes) {
      block_firsts_.clear();
      blocks_.clear();
      block_bytes_ = 0;
    }
    // A block read again (it grew since: more terms under the same first
    // id) replaces the old copy.
    auto same = std::lower_bound(block_firsts_.begin(), block_firsts_.end(), b->first);
    if (same != block_firsts_.end() && *same == b->first) {
      size_t j = static_cast<size_t>(same - block_firsts_.begin());
      block_bytes_ -= std::min(block_bytes_, blocks_[j]->data.size() + blocks_[j]->offs.size() * 4);
      block_firsts_.erase(same);
      blocks_.erase(blocks_.begin() + static_cast<ptrdiff_t>(j));
    }
    block_bytes_ += b->data.size() + b->offs.size() * 4;
    auto pos = std::upper_bound(block_firsts_.begin(), block_firsts_.end(), b->first);
    size_t i = static_cast<size_t>(pos - block_firsts_.begin());
    block_firsts_.insert(pos, b->first);
    blocks_.insert(blocks_.begin() + static_cast<ptrdiff_t>(i), std::move(b));
    block = blocks_[i].get();
  }
  last_block_ = block;
  const auto* p = reinterpret_cast<const uint8_t*>(block->data.data()) + block->offs[id - block->first];
  uint64_t n = 0;
  p = getVarint(p, reinterpret_cast<const uint8_t*>(block->data.data() + block->data.size()), &n);
  if (!p) return false;  // offsets were validated when the block was read
  out->assign(reinterpret_cast<const char*>(p), n);
  return true;
}

Result<TermId> StoreImpl::internEncoded(std::string_view enc) {
  // Called by the single writer only, and only the writer mutates mem_, so
  // reading mem_ here needs no lock; inserting takes it exclusively.
  uint64_t h = hashBytes(enc);
  TermId id = mem_.find(enc, h);
  if (id != 0) return id;
  if (hash_.slots) {
    id = probeHashFile(enc, h);
    if (id != 0) return id;
  }
  std::unique_lock<std::shared_mutex> g(dict_mu_);
  if (mem_.nextId() >= (uint64_t{1} << 32) && durable_) {
    return Status::unsupported("store holds 2^32 terms, the most this version supports");
  }
  return mem_.insert(enc, h, nullptr);
}

void StoreImpl::rollbackTerms() {
  std::unique_lock<std::shared_mutex> g(dict_mu_);
  if (mem_.nextId() == committed_next_) return;
  // Rebuild the table without the uncommitted terms (rare path).
  std::vector<std::string> keep;
  for (uint64_t id = mem_.firstId(); id < committed_next_; ++id) keep.emplace_back(mem_.get(id));
  mem_.reset(mem_.firstId());
  for (auto& k : keep) mem_.insert(k);
}

// ---------------------------------------------------------------------------
// Writes

bool StoreImpl::exists(const IndexVersion& v, const Key& q) const {
  if (v.adds[kSPOG]->contains(q)) return true;
  if (v.runs[kSPOG]->size() == 0) return false;
  auto c = v.runs[kSPOG]->scan(q, 4);
  Key k;
  if (!c.next(&k)) return false;
  return !v.dels[kSPOG]->contains(q);
}

namespace {
uint64_t g_min_compact = 200000;
}  // namespace

void Store::setMinCompactionForTesting(uint64_t quads) { g_min_compact = quads; }

void Store::waitForMergeForTesting() const {
  std::lock_guard<std::mutex> g(impl_->writer_mu_);  // no commit starts or ends meanwhile
  while (impl_->merge_ && !impl_->merge_->done.load(std::memory_order_acquire))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

uint64_t StoreImpl::compactThreshold(const IndexVersion& v) const {
  return std::max<uint64_t>(g_min_compact, v.runs[kSPOG]->size() / 8);
}

namespace {

// A sorted vector read like a DeltaKeys::Iter.
struct VecIter {
  const Key* p;
  const Key* e;
  explicit VecIter(const KeyVec& v) : p(v.data()), e(v.data() + v.size()) {}
  bool valid() const { return p != e; }
  const Key& operator*() const { return *p; }
  VecIter& operator++() { ++p; return *this; }
};

// Merges (run - dels) + adds into out (a QuadRun::Builder or FileWriter);
// dels and adds are sorted in the run's order. The old run is read once.
// The old run's pages are released as they are read unless readers may
// still use it (a background merge).
template <typename Out, typename DelIter, typename AddIter>
void mergeRun(const QuadRun& run, DelIter di, AddIter ai, Out& out, bool release = true) {
  auto each = [&](const Key& k) {
    while (di.valid() && *di < k) ++di;
    if (di.valid() && *di == k) return;
    for (; ai.valid() && *ai < k; ++ai) out.add(*ai);
    out.add(k);
  };
  if (release) run.forEachReleasing(each); else run.forEach(each);
  for (; ai.valid(); ++ai) out.add(*ai);
}

// The same with the additions packed (see Packed), no deletions.
template <typename Out>
void mergePacked(const QuadRun& run, const std::vector<Packed>& adds, Out& out) {
  size_t ai = 0;
  run.forEachReleasing([&](const Key& k) {
    Packed pk = pack(k);
    while (ai < adds.size() && adds[ai] < pk) out.add(unpack(adds[ai++]));
    out.add(k);
  });
  while (ai < adds.size()) out.add(unpack(adds[ai++]));
}

// A new run filled by fill(out): built in memory if path is empty, else
// streamed into the file at path as it is filled (only the block directory
// and a buffer in memory) and then mapped.
template <typename Fill>
Status buildRunInto(const std::string& path, uint64_t expected, Fill&& fill,
                    std::shared_ptr<const QuadRun>* run) {
  if (path.empty()) {
    QuadRun::Builder out(expected);
    fill(out);
    *run = out.finish();
    return Status::ok();
  }
  {
    QuadRun::FileWriter out(path, expected);
    fill(out);
    WEFT_TRY(out.finish());
  }
  auto r = QuadRun::openFile(path, false);
  if (!r) return r.status();
  *run = r.value();
  return Status::ok();
}

// The run files of one generation (prefix "DIR/run-<gen>-"), if there.
void removeRunFiles(const std::string& prefix) {
  std::error_code ec;
  for (int p = 0; p < kPermCount; ++p) fs::remove(prefix + kPermNames[p], ec);
}

}  // namespace

Result<std::shared_ptr<IndexVersion>> StoreImpl::applyEffective(
    const IndexVersion& cur, const KeyVec& eadd, const KeyVec& erem, const std::string& run_prefix,
    bool* compacted, bool may_defer) {
  auto nv = std::make_shared<IndexVersion>(cur);
  nv->quad_count = cur.quad_count + eadd.size() - erem.size();
  // Split the changes by where they land (see IndexVersion's invariants).
  // Without a delta there is nothing to split: eadd and erem are used as
  // they are, not copied (a large commit's change list is its largest buffer).
  const DeltaKeys& dels0 = *cur.dels[kSPOG];
  const DeltaKeys& adds0 = *cur.adds[kSPOG];
  KeyVec add_undel, add_new_split, rem_unadd, rem_run_split;
  const KeyVec* add_new = &eadd;
  const KeyVec* rem_run = &erem;
  if (!dels0.empty()) {
    for (const Key& q : eadd) {
      (dels0.contains(q) ? add_undel : add_new_split).push_back(q);
    }
    add_new = &add_new_split;
  }
  if (!adds0.empty()) {
    for (const Key& q : erem) {
      (adds0.contains(q) ? rem_unadd : rem_run_split).push_back(q);
    }
    rem_run = &rem_run_split;
  }
  uint64_t new_delta = adds0.size() + dels0.size() + add_new->size() + rem_run->size() -
                       add_undel.size() - rem_unadd.size();
  *compacted = new_delta > compactThreshold(cur);
  // A commit smaller than the threshold leaves the merge to the background
  // (startMerge); a large one (a load, a reasoner's closure) merges here.
  if (may_defer && add_new->size() + rem_run->size() < compactThreshold(cur)) *compacted = false;
  const bool packed_ok = *compacted && cur.adds[kSPOG]->empty() && cur.dels[kSPOG]->empty() &&
                         rem_unadd.empty() && add_undel.empty() && rem_run->empty() &&
                         fits32(*add_new);
  // A compaction's new run: built in memory, or (durable stores) streamed
  // into its file as it is merged and then mapped, so that no new run is
  // ever whole in memory (the files are named by the manifest only once
  // the commit is durable).
  std::array<Status, kPermCount> st;
  auto buildRun = [&](int p, uint64_t expected, auto&& fill) {
    st[p] = buildRunInto(run_prefix.empty() ? "" : run_prefix + kPermNames[p], expected, fill, &nv->runs[p]);
    if (!run_prefix.empty() && p == kOSPG) crashPoint("mid-run-files");  // before or after the log's commit
    nv->adds[p] = DeltaKeys::emptySet();
    nv->dels[p] = DeltaKeys::emptySet();
  };
  parallelFor(kPermCount, [&](int p) {
    const QuadRun& old = *cur.runs[p];
    if (packed_ok) {
      // Bulk load into runs without a delta: sort this permutation packed and
      // merge it with the old run. The changes are in SPOG order already.
      if (p == kSPOG) {
        buildRun(p, old.size() + add_new->size(),
                 [&](auto& out) { mergeRun(old, VecIter(KeyVec()), VecIter(*add_new), out); });
        return;
      }
      std::vector<Packed> sorted;
      sorted.reserve(add_new->size());
      for (const Key& q : *add_new) sorted.push_back(pack(toPerm(q, p)));
      std::sort(sorted.begin(), sorted.end());
      buildRun(p, old.size() + sorted.size(), [&](auto& out) { mergePacked(old, sorted, out); });
      return;
    }
    // The delta's new vectors; one without changes is shared with the old version.
    auto next = [&](const std::shared_ptr<const DeltaKeys>& old, const KeyVec& minus, const KeyVec& plus) {
      if (minus.empty() && plus.empty()) return old;
      return DeltaKeys::merged(*old, permuted(minus, p), permuted(plus, p));
    };
    auto adds = next(cur.adds[p], rem_unadd, *add_new);
    auto dels = next(cur.dels[p], add_undel, *rem_run);
    if (!*compacted) {
      nv->adds[p] = std::move(adds);
      nv->dels[p] = std::move(dels);
      return;
    }
    // Merge (run - dels) + adds straight into a new run.
    buildRun(p, old.size() + adds->size(), [&](auto& out) { mergeRun(old, dels->begin(), adds->begin(), out); });
  });
  for (const Status& s : st) WEFT_TRY(s);
  return nv;
}

std::string StoreImpl::runPrefix(uint64_t gen) const {
  return dir_ + "/run-" + std::to_string(gen) + "-";
}

uint64_t StoreImpl::nextGen() const {
  return std::max({runs_gen_, hash_gen_, merge_ ? merge_->gen : uint64_t{0}}) + 1;
}

void StoreImpl::startMerge(std::shared_ptr<const IndexVersion> base) {
  merge_ = std::make_unique<Merge>();
  Merge* m = merge_.get();
  m->base = std::move(base);
  m->gen = durable_ ? nextGen() : 0;
  const std::string prefix = durable_ ? runPrefix(m->gen) : "";
  // One thread, the permutations one after another: the other core is the
  // writer's (and the readers').
  m->thread = std::thread([m, prefix] {
    const IndexVersion& v = *m->base;
    for (int p = 0; p < kPermCount && m->status; ++p) {
      if (m->cancel.load(std::memory_order_relaxed)) {
        m->status = Status::internal("merge cancelled");
        break;
      }
      const QuadRun& old = *v.runs[p];
      m->status = buildRunInto(
          prefix.empty() ? "" : prefix + kPermNames[p], old.size() + v.adds[p]->size(),
          [&](auto& out) { mergeRun(old, v.dels[p]->begin(), v.adds[p]->begin(), out, false); },
          &m->runs[p]);
    }
    m->done.store(true, std::memory_order_release);
  });
}

void StoreImpl::abandonMerge() {
  if (!merge_) return;
  merge_->cancel.store(true, std::memory_order_relaxed);  // a closing store waits for one permutation at most
  merge_->thread.join();
  if (durable_) removeRunFiles(runPrefix(merge_->gen));
  merge_.reset();
}

std::shared_ptr<const IndexVersion> StoreImpl::installMerge(std::shared_ptr<const IndexVersion> cur) {
  Merge& m = *merge_;
  m.thread.join();
  const IndexVersion& base = *m.base;
  // Runs rebuilt since the merge began (a large commit merges in place):
  // its runs are out of date.
  if (!m.status || cur->runs[kSPOG] != base.runs[kSPOG]) {
    abandonMerge();
    return cur;
  }
  // The runs hold base's quads: R1 = (R0 - X0) + A0. The current version is
  // (R0 - X) + A, so relative to R1 its additions are A' = (A - A0) +
  // (X0 - X) (new, or deleted at the merge and added back) and its
  // deletions X' = (X - X0) + (A0 - A). The differences skip the chunks
  // the two deltas share: the cost follows the commits since the merge began.
  auto nv = std::make_shared<IndexVersion>(*cur);
  auto both = [](const KeyVec& x, const KeyVec& y) {
    KeyVec out(x.size() + y.size());
    std::merge(x.begin(), x.end(), y.begin(), y.end(), out.begin());
    return DeltaKeys::fromSorted(std::move(out));
  };
  for (int p = 0; p < kPermCount; ++p) {
    nv->runs[p] = m.runs[p];
    nv->adds[p] = both(DeltaKeys::difference(*cur->adds[p], *base.adds[p]),
                       DeltaKeys::difference(*base.dels[p], *cur->dels[p]));
    nv->dels[p] = both(DeltaKeys::difference(*cur->dels[p], *base.dels[p]),
                       DeltaKeys::difference(*base.adds[p], *cur->adds[p]));
  }
  if (durable_) {
    // The manifest names the new runs as holding everything up to base's
    // transaction; an open replays the log after it. On failure the files
    // stay unnamed (removed by the next open) and the old ones stay.
    Status st = writeCheckpoint(*nv, true, m.gen, false, base.txn, base.quad_count);
    (void)st;
  }
  merge_.reset();
  std::lock_guard<std::mutex> g(ver_mu_);
  current_ = nv;
  return nv;
}

Status StoreImpl::writeTermBlocks(uint64_t from, uint64_t to) {
  auto ins = db_->prepare("INSERT INTO term_blocks(first_id, count, data) VALUES(?,?,?)");
  if (!ins) return ins.status();
  std::string blob;
  std::shared_lock<std::shared_mutex> g(dict_mu_);
  for (uint64_t b = from; b < to;) {
    // Rows end at ids aligned to kTermsPerBlock, so a block row never spans
    // two aligned ranges; a partial range is completed by a later row.
    uint64_t aligned_end = b - (b - kFirstTermId) % kTermsPerBlock + kTermsPerBlock;
    uint64_t e = std::min(to, aligned_end);
    blob.clear();
    for (uint64_t id = b; id < e; ++id) {
      std::string_view t = mem_.get(id);
      putVarint(blob, t.size());
      blob.append(t);
    }
    ins->bindInt(1, static_cast<int64_t>(b));
    ins->bindInt(2, static_cast<int64_t>(e - b));
    ins->bindBlob(3, blob);
    WEFT_TRY(ins->exec());
    b = e;
  }
  return Status::ok();
}

Status StoreImpl::commit(Transaction& txn) {
  PhaseTimer timer;
  // Memory the caller freed before a large commit (the reasoner's engine, a
  // parser's buffers) may still be resident in its thread's malloc arena,
  // where the commit's worker threads cannot reuse it: hand it back first.
  if (txn.ins_.size() + txn.rem_.size() >= kQuadsPerBatch) malloc_trim(0);
  auto cur = current();
  if (merge_ && merge_->done.load(std::memory_order_acquire)) {
    cur = installMerge(cur);
    timer.mark("install merged runs");
  }
  sortUnique(txn.ins_);
  sortUnique(txn.rem_);
  timer.mark("sort changes");
  // Effective changes: final = (cur - rem) + ins.
  KeyVec erem, eadd;
  for (const Key& q : txn.rem_) {
    if (!std::binary_search(txn.ins_.begin(), txn.ins_.end(), q) && exists(*cur, q)) erem.push_back(q);
  }
  const QuadRun& run = *cur->runs[kSPOG];
  if (run.size() > 0 && txn.ins_.size() > run.size() / 64) {
    // Bulk: one merge walk over the SPOG run instead of point lookups.
    const DeltaKeys& adds = *cur->adds[kSPOG];
    const DeltaKeys& dels = *cur->dels[kSPOG];
    size_t i = 0;
    auto present_in_run = std::vector<bool>(txn.ins_.size(), false);
    run.forEachReleasing([&](const Key& k) {
      while (i < txn.ins_.size() && txn.ins_[i] < k) ++i;
      if (i < txn.ins_.size() && txn.ins_[i] == k) present_in_run[i] = true;
    });
    // Filter in place: the transaction's buffer becomes the change list.
    size_t w = 0;
    for (size_t j = 0; j < txn.ins_.size(); ++j) {
      const Key& q = txn.ins_[j];
      bool present = adds.contains(q) || (present_in_run[j] && !dels.contains(q));
      if (!present) txn.ins_[w++] = q;
    }
    txn.ins_.resize(w);
  } else {
    size_t w = 0;
    for (size_t j = 0; j < txn.ins_.size(); ++j) {
      if (!exists(*cur, txn.ins_[j])) txn.ins_[w++] = txn.ins_[j];
    }
    txn.ins_.resize(w);
  }
  eadd = std::move(txn.ins_);
  timer.mark("effective changes");
  uint64_t new_next;
  {
    std::shared_lock<std::shared_mutex> g(dict_mu_);
    new_next = mem_.nextId();
  }
  uint64_t txn_id = last_txn_ + 1;
  if (durable_ && readonly_) return Status::invalidArgument("store '" + dir_ + "' is open read-only");
  // The durable log: new terms, the effective changes and the meta row, in
  // one SQLite transaction. Its COMMIT is the durability point.
  auto writeLog = [&]() -> Status {
    std::lock_guard<std::mutex> g(db_mu_);
    WEFT_TRY(db_->begin());
    auto fail = [&](Status s) {
      (void)db_->rollback();
      return s;
    };
    Status s = writeTermBlocks(committed_next_, new_next);
    if (!s) return fail(s);
    auto ins = db_->prepare("INSERT INTO batches(txn, op, count, data) VALUES(?,?,?,?)");
    if (!ins) return fail(ins.status());
    for (int op = 1; op <= 2; ++op) {
      const KeyVec& v = op == 1 ? eadd : erem;
      for (size_t b = 0; b < v.size(); b += kQuadsPerBatch) {
        size_t e = std::min(v.size(), b + kQuadsPerBatch);
        ins->bindInt(1, static_cast<int64_t>(txn_id));
        ins->bindInt(2, op);
        ins->bindInt(3, static_cast<int64_t>(e - b));
        ins->bindBlob(4, encodeQuads(v.data() + b, v.data() + e));
        s = ins->exec();
        if (!s) return fail(s);
      }
    }
    std::string upd = "UPDATE meta SET value = CASE key WHEN 'txn' THEN " + std::to_string(txn_id) +
                      " WHEN 'next_term' THEN " + std::to_string(new_next) + " WHEN 'next_doc' THEN " +
                      std::to_string(next_doc_) + " WHEN 'quads' THEN " +
                      std::to_string(cur->quad_count + eadd.size() - erem.size()) +
                      " ELSE value END";
    s = db_->exec(upd);
    if (!s) return fail(s);
    crashPoint("before-sqlite-commit");
    s = db_->commit();
    if (!s) return fail(s);
    crashPoint("after-sqlite-commit");
    return Status::ok();
  };
  // The next index version is derived while the log is written (it only
  // reads the current version and the change lists); it is published only
  // if the log commits. A compaction in a durable store writes its runs
  // straight to the files of the next checkpoint generation; they become
  // part of the store only when the manifest names them (writeCheckpoint),
  // and files left by a crash before that are removed by the next open.
  bool compacted = false;
  std::shared_ptr<IndexVersion> nv;
  const uint64_t gen = nextGen();
  const std::string run_prefix = durable_ ? runPrefix(gen) : "";
  Status derived;
  auto derive = [&] {
    if (eadd.empty() && erem.empty()) {
      nv = std::make_shared<IndexVersion>(*cur);
      return;
    }
    auto r = applyEffective(*cur, eadd, erem, run_prefix, &compacted, true);
    if (r) nv = std::move(r.value()); else derived = r.status();
  };
  if (durable_) {
    std::thread builder(derive);
    Status s = writeLog();
    builder.join();
    if (!s) {
      if (compacted) removeRunFiles(run_prefix);
      return s;
    }
    if (!derived) {
      // The log is committed but a run file could not be written (full
      // disk): derive the version in memory instead; the next open replays
      // the log on top of the index files the manifest names.
      removeRunFiles(run_prefix);
      auto r = applyEffective(*cur, eadd, erem, "", &compacted);
      if (!r) return r.status();
      nv = std::move(r.value());
      compacted = false;  // nothing on disk to name in a manifest
    }
    timer.mark(compacted ? "log + index version (new runs)" : "log + index version (delta)");
  } else {
    derive();
    if (!derived) return derived;
    timer.mark(compacted ? "index version (new runs)" : "index version (delta)");
  }
  // Durable from here on: the rest only derives index files.
  last_txn_ = txn_id;
  committed_next_ = new_next;
  nv->next_term_id = new_next;
  nv->txn = txn_id;
  txn.added_ = eadd.size();
  txn.removed_ = erem.size();
  if (txn.delta_) {
    txn.delta_->txn = txn_id;
    txn.delta_->removed = erem.size();
    txn.delta_->added.clear();
    txn.delta_->added.reserve(eadd.size());
    for (const Key& k : eadd) txn.delta_->added.push_back({k[0], k[1], k[2], k[3]});
  }
  if (durable_) {
    bool hash_due = mem_.size() > std::max<uint64_t>(g_min_compact / 2, hash_.terms / 4);
    if (compacted || hash_due) {
      // A failure here (full disk) loses nothing: the next open replays
      // the committed batches on top of the previous index files.
      Status s = writeCheckpoint(*nv, compacted, gen);
      (void)s;
      timer.mark("checkpoint files");
    }
  }
  {
    std::lock_guard<std::mutex> g(ver_mu_);
    current_ = nv;
  }
  if (!merge_ && nv->deltaSize() > compactThreshold(*nv)) startMerge(nv);
  return Status::ok();
}

Status StoreImpl::rebuildHashFile(uint64_t covered, uint64_t gen, std::string* name) {
  uint64_t terms = covered - kFirstTermId;
  uint64_t slots = 1024;
  while (slots * 6 < terms * 10) slots *= 2;  // load <= 0.6
  std::vector<uint64_t> table(slots, 0);
  uint64_t mask = slots - 1;
  // A slot's position derives from its 32-bit tag alone, so the entries of
  // the previous file move over without decoding their terms.
  auto place = [&](uint64_t slot) {
    uint64_t i = (slot >> 32) & mask;
    while (table[i] != 0) i = (i + 1) & mask;
    table[i] = slot;
  };
  for (uint64_t i = 0; hash_.slots && i < hash_.slot_count; ++i) {
    if (hash_.slots[i] != 0) place(hash_.slots[i]);
  }
  {
    std::shared_lock<std::shared_mutex> g(dict_mu_);
    if (mem_.firstId() != (hash_.slots ? hash_.covered : kFirstTermId)) {
      return Status::internal("term table does not start where the hash file ends");
    }
    for (TermId id = mem_.firstId(); id < covered; ++id) {
      place((hashBytes(mem_.get(id)) >> 32 << 32) | id);
    }
  }
  *name = "terms-" + std::to_string(gen) + ".hash";
  std::string path = dir_ + "/" + *name;
  std::string tpath = path + ".tmp";
  FILE* f = std::fopen(tpath.c_str(), "wb");
  if (!f) return Status::ioError("cannot create '" + tpath + "': " + std::strerror(errno));
  uint64_t hdr[4] = {kHashMagic, slots, covered, terms};
  bool ok = std::fwrite(hdr, 8, 4, f) == 4 && std::fwrite(table.data(), 8, slots, f) == slots &&
            std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  int err = errno;
  std::fclose(f);
  if (!ok || ::rename(tpath.c_str(), path.c_str()) != 0) {
    ::unlink(tpath.c_str());
    return Status::ioError("cannot write '" + path + "': " + std::strerror(err));
  }
  return Status::ok();
}

Status StoreImpl::writeCheckpoint(IndexVersion& v, bool runs_changed, uint64_t gen, bool hash,
                                  uint64_t runs_txn, uint64_t runs_quads) {
  uint64_t rg = runs_gen_, rtxn = ckpt_txn_, rquads = ckpt_quads_;
  uint64_t hg = hash_gen_, covered = hash_.slots ? hash_.covered : kFirstTermId;
  std::string hname = hash_name_;
  if (runs_changed) {  // compacted: the runs hold everything up to v.txn
    rg = gen;
    rtxn = runs_txn ? runs_txn : v.txn;
    rquads = runs_txn ? runs_quads : v.quad_count;
  }
  if (hash && mem_.size() > 0) {
    hg = gen;
    covered = committed_next_;
  }
  // The run files are written (by applyEffective); the hash file goes to a
  // temporary name first.
  if (hg != hash_gen_) WEFT_TRY(rebuildHashFile(covered, hg, &hname));
  if (rg != runs_gen_) crashPoint("mid-checkpoint");
  // The manifest names the files; it is replaced atomically.
  std::string tmp = dir_ + "/INDEX.tmp";
  {
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) return Status::ioError("cannot write '" + tmp + "': " + std::strerror(errno));
    std::fprintf(f, "weft-index-1\n%llu %llu %llu %llu %llu\n", static_cast<unsigned long long>(rtxn),
                 static_cast<unsigned long long>(rquads), static_cast<unsigned long long>(rg),
                 static_cast<unsigned long long>(hg), static_cast<unsigned long long>(covered));
    bool ok = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) {
      ::unlink(tmp.c_str());
      return Status::ioError("cannot write '" + tmp + "'");
    }
  }
  if (::rename(tmp.c_str(), (dir_ + "/INDEX").c_str()) != 0) return Status::ioError("cannot rename INDEX");
  WEFT_TRY(syncDir(dir_));
  crashPoint("after-manifest");
  std::error_code ec;
  if (rg != runs_gen_) {
    // v already serves from the new files; the old ones stay mapped (and
    // readable) for as long as a snapshot holds them.
    if (runs_gen_ > 0) removeRunFiles(runPrefix(runs_gen_));
    runs_gen_ = rg;
    ckpt_txn_ = rtxn;
    ckpt_quads_ = rquads;
  }
  if (hg != hash_gen_) {
    std::unique_lock<std::shared_mutex> g(dict_mu_);
    uint64_t old = hash_gen_;
    WEFT_TRY(openHashFile(hname, covered));
    mem_.reset(covered);
    hash_gen_ = hg;
    if (old > 0) fs::remove(dir_ + "/terms-" + std::to_string(old) + ".hash", ec);
  }
  return Status::ok();
}

StoreStats StoreImpl::stats() const {
  StoreStats s;
  auto v = current();
  Snapshot snap(v, this);
  s.quads = v->quad_count;
  s.named_graphs = snap.graphs().size();
  s.default_graph_quads = snap.count(QuadIds{kAny, kAny, kAny, kDefaultGraph});
  s.terms = v->next_term_id - kFirstTermId;
  for (int p = 0; p < kPermCount; ++p) s.index_bytes += v->runs[p]->byteSize();
  s.index_bytes += (v->adds[0]->size() + v->dels[0]->size()) * kPermCount * sizeof(Key);
  {
    std::shared_lock<std::shared_mutex> g(dict_mu_);
    s.dictionary_bytes = mem_.memoryBytes() + hash_.len;
  }
  s.delta_quads = v->deltaSize();
  if (durable_) {
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir_, ec)) {
      if (e.is_regular_file(ec)) s.bytes_on_disk += e.file_size(ec);
    }
  }
  return s;
}

// ---------------------------------------------------------------------------
// Snapshot

struct Snapshot::Cursor::State {
  std::shared_ptr<const IndexVersion> v;
  int perm = 0;
  int prefix = 0;
  Key lower{};
  QuadRun::Cursor run;
  DeltaKeys::Iter ai, di;  // in the version's adds and dels
  Key rk{};
  bool has_rk = false;
  bool matches(const Key& k) const {
    for (int c = 0; c < prefix; ++c) if (k[c] != lower[c]) return false;
    return true;
  }
  void advanceRun() {
    has_rk = false;
    Key k;
    while (run.next(&k)) {
      while (di.valid() && *di < k) ++di;
      if (di.valid() && *di == k) continue;
      rk = k;
      has_rk = true;
      return;
    }
  }
};

Snapshot::Cursor::Cursor() = default;
Snapshot::Cursor::Cursor(Cursor&&) noexcept = default;
Snapshot::Cursor& Snapshot::Cursor::operator=(Cursor&&) noexcept = default;
Snapshot::Cursor::~Cursor() = default;

bool Snapshot::Cursor::next(QuadIds* out) {
  if (!st_) return false;
  State& s = *st_;
  bool use_add = false;
  bool has_add = s.ai.valid() && s.matches(*s.ai);
  if (!s.has_rk && !has_add) return false;
  if (has_add && (!s.has_rk || *s.ai < s.rk)) use_add = true;
  Key k;
  if (use_add) {
    k = *s.ai;
    ++s.ai;
  } else {
    k = s.rk;
    s.advanceRun();
  }
  Key q = fromPerm(k, s.perm);
  *out = QuadIds{q[0], q[1], q[2], q[3]};
  return true;
}

size_t Snapshot::Cursor::nextBatch(QuadIds* out, size_t max) {
  if (!st_) return 0;
  State& s = *st_;
  // No delta in the rest of the range: keys come straight from the run.
  bool adds_left = s.ai.valid() && s.matches(*s.ai);
  if (adds_left || s.di.valid()) {
    size_t n = 0;
    while (n < max && next(&out[n])) ++n;
    return n;
  }
  if (!s.has_rk || max == 0) return 0;
  constexpr size_t kChunk = 64;
  Key keys[kChunk];
  const size_t m = std::min(max, kChunk);
  keys[0] = s.rk;  // the run cursor is one key ahead of the output
  size_t n = 1 + s.run.nextBatch(keys + 1, m - 1);
  if (n == m)
    s.advanceRun();
  else
    s.has_rk = false;
  const auto& ord = kOrder[s.perm];
  for (size_t i = 0; i < n; ++i) {
    uint64_t q[4];
    for (int c = 0; c < 4; ++c) q[ord[c]] = keys[i][c];
    out[i] = QuadIds{q[0], q[1], q[2], q[3]};
  }
  return n;
}

Snapshot::Snapshot(std::shared_ptr<const IndexVersion> v, const StoreImpl* store)
    : v_(std::move(v)), store_(store) {}
Snapshot::~Snapshot() = default;

TermId Snapshot::lookup(const rdf::TermView& t) const {
  if (t.isNone()) return kDefaultGraph;
  std::string enc;
  encodeTerm(t, enc);
  return store_->lookupEncoded(enc, v_->next_term_id);
}

bool Snapshot::decode(TermId id, rdf::Term* out) const {
  if (id == kDefaultGraph) {
    *out = rdf::Term();
    return true;
  }
  if (id < kFirstTermId || id >= v_->next_term_id) return false;
  thread_local std::string bytes;  // reused: decoding is on every query's hot path
  if (!store_->decodeBytes(id, &bytes)) return false;
  rdf::TermView tv;
  if (!decodeTerm(bytes, &tv)) return false;
  // Assign into the caller's strings, reusing their capacity.
  out->kind = tv.kind;
  out->value.assign(tv.value);
  out->datatype.assign(tv.datatype);
  out->lang.assign(tv.lang);
  return true;
}

namespace {
// The permutation whose prefix is exactly a pattern's bound components (by
// bit mask s=1 p=2 o=4 g=8), the prefix length, and the range's first key.
struct ScanRange {
  int perm;
  int prefix;
  Key lower;
};
ScanRange rangeFor(const QuadIds& pat) {
  static constexpr int kPermFor[16] = {kSPOG, kSPOG, kPOSG, kSPOG, kOSPG, kOSPG, kPOSG, kSPOG,
                                       kGSPO, kGSPO, kGPOS, kGSPO, kGOSP, kGOSP, kGPOS, kSPOG};
  Key q{pat.s, pat.p, pat.o, pat.g};
  int mask = 0;
  for (int i = 0; i < 4; ++i)
    if (q[i] != kAny) mask |= 1 << i;
  ScanRange r;
  r.perm = kPermFor[mask];
  r.prefix = __builtin_popcount(static_cast<unsigned>(mask));
  r.lower = toPerm(q, r.perm);
  for (int i = r.prefix; i < 4; ++i) r.lower[i] = 0;
  return r;
}
}  // namespace

const char* Snapshot::scanOrder(const QuadIds& pattern) {
  static constexpr const char* kNames[kPermCount] = {"spog", "posg", "ospg", "gspo", "gpos", "gosp"};
  return kNames[rangeFor(pattern).perm];
}

Snapshot::Cursor Snapshot::scan(const QuadIds& pat) const {
  Cursor c;
  rescan(&c, pat);
  return c;
}

void Snapshot::rescan(Cursor* c, const QuadIds& pat) const {
  ScanRange r = rangeFor(pat);
  if (!c->st_) c->st_ = std::make_unique<Cursor::State>();
  auto& s = *c->st_;
  if (s.v != v_) s.v = v_;
  s.perm = r.perm;
  s.prefix = r.prefix;
  s.lower = r.lower;
  s.run = v_->runs[s.perm]->scan(s.lower, s.prefix);
  s.ai = v_->adds[s.perm]->lowerBound(s.lower);
  s.di = v_->dels[s.perm]->lowerBound(s.lower);
  s.advanceRun();
}

uint64_t Snapshot::count(const QuadIds& pattern) const {
  if (pattern == QuadIds{}) return v_->quad_count;
  // Exact, without scanning: the run's block directory gives the size of the
  // prefix range; the delta (deletions are of run keys, additions are new)
  // adjusts it.
  const ScanRange range = rangeFor(pattern);
  const int perm = range.perm, prefix = range.prefix;
  const Key lower = range.lower;
  uint64_t n = v_->runs[perm]->countPrefix(lower, prefix);
  n -= std::min<uint64_t>(n, v_->dels[perm]->countPrefix(lower, prefix));
  return n + v_->adds[perm]->countPrefix(lower, prefix);
}

double Snapshot::averageMatches(const QuadIds& pattern, int pos) const {
  std::array<uint64_t, 6> key{v_->txn, pattern.s, pattern.p, pattern.o, pattern.g,
                              static_cast<uint64_t>(pos)};
  {
    std::lock_guard<std::mutex> g(store_->fanout_mu_);
    auto it = store_->fanout_.find(key);
    if (it != store_->fanout_.end()) return it->second;
  }
  const ScanRange range = rangeFor(pattern);
  const int perm = range.perm, prefix = range.prefix;
  const Key lo = range.lower;
  const QuadRun& run = *v_->runs[perm];
  uint64_t first = run.rank(lo);
  uint64_t n = run.countPrefix(lo, prefix);
  double result = -1;  // unknown: nothing in the sorted runs yet (all in the delta)
  if (n > 0) {
    constexpr uint64_t kSamples = 32;
    uint64_t samples = std::min(n, kSamples);
    double total = 0;
    for (uint64_t i = 0; i < samples; ++i) {
      Key k = run.keyAt(first + i * n / samples);
      Key spog = fromPerm(k, perm);
      QuadIds bound = pattern;
      uint64_t* slot[4] = {&bound.s, &bound.p, &bound.o, &bound.g};
      *slot[pos] = spog[pos];
      total += static_cast<double>(count(bound));
    }
    result = total / static_cast<double>(samples);
  }
  std::lock_guard<std::mutex> g(store_->fanout_mu_);
  if (store_->fanout_.size() > 100000) store_->fanout_.clear();
  store_->fanout_[key] = result;
  return result;
}

std::shared_ptr<const Snapshot::ValueIndex> Snapshot::valueIndex(TermId p, TermId g,
                                                                 ValueFamily family) const {
  std::array<uint64_t, 4> key{v_->txn, p, g, static_cast<uint64_t>(family)};
  std::lock_guard<std::mutex> lock(store_->value_index_mu_);
  auto it = store_->value_index_.find(key);
  if (it != store_->value_index_.end()) return it->second;
  auto index = std::make_shared<ValueIndex>();
  // GPOS / POSG order: objects come grouped, so each is decoded once.
  auto c = scan(QuadIds{kAny, p, kAny, g});
  QuadIds q;
  TermId last = kAny;
  rdf::Term t;
  while (c.next(&q)) {
    if (q.o == last) continue;
    last = q.o;
    ++index->others;  // until it is known to belong
    if (!decode(q.o, &t) || t.kind != rdf::TermKind::kLiteral) continue;
    rdf::Value v = rdf::parseValue(t.view());
    if (!v.isValid()) continue;
    double k;
    if (family == ValueFamily::kNumeric) {
      if (!rdf::isNumeric(v)) continue;
      k = rdf::toDouble(v);
      if (std::isnan(k)) continue;
    } else {
      if (v.type != rdf::ValueType::kDateTime) continue;
      if (v.datetime.has_timezone != (family == ValueFamily::kDateTime)) continue;
      k = rdf::toEpochSeconds(v.datetime);
    }
    index->entries.emplace_back(k, q.o);
    --index->others;
  }
  std::sort(index->entries.begin(), index->entries.end());
  if (store_->value_index_.size() > 256) store_->value_index_.clear();
  store_->value_index_[key] = index;
  return index;
}

std::shared_ptr<const Snapshot::PairList> Snapshot::predicatePairs(TermId p, TermId g,
                                                                   bool by_object) const {
  if (g == kAny || p == kAny) return nullptr;
  std::array<uint64_t, 4> key{v_->txn, p, g, by_object ? 1u : 0u};
  {
    std::lock_guard<std::mutex> lock(store_->pairs_mu_);
    auto it = store_->pairs_.find(key);
    if (it != store_->pairs_.end()) return it->second;
  }
  const QuadIds pattern{kAny, p, kAny, g};
  uint64_t n = count(pattern);
  if (n > kMaxPairs) return nullptr;
  std::vector<PairList::Pair> pairs;
  pairs.reserve(n);
  // GPOS order: by object, then subject; sorted already for by_object.
  auto c = scan(pattern);
  QuadIds batch[64];
  while (size_t got = c.nextBatch(batch, 64))
    for (size_t i = 0; i < got; ++i)
      pairs.emplace_back(by_object ? batch[i].o : batch[i].s, by_object ? batch[i].s : batch[i].o);
  if (!by_object) std::sort(pairs.begin(), pairs.end());
  auto list = std::make_shared<const PairList>(std::move(pairs));
  size_t bytes = list->bytes();
  std::lock_guard<std::mutex> lock(store_->pairs_mu_);
  auto it = store_->pairs_.find(key);
  if (it != store_->pairs_.end()) return it->second;  // another thread built it meanwhile
  // Lists of older versions go as soon as a newer one is built (a server that
  // commits often would otherwise keep one per commit until the budget is spent).
  for (auto old = store_->pairs_.begin(); old != store_->pairs_.end();) {
    const auto& k = old->first;
    if (k[0] < key[0] && k[1] == key[1] && k[2] == key[2] && k[3] == key[3]) {
      store_->pairs_bytes_ -= old->second->bytes();
      old = store_->pairs_.erase(old);
    } else {
      ++old;
    }
  }
  if (store_->pairs_bytes_ + bytes > StoreImpl::kPairCacheBytes) {
    store_->pairs_.clear();
    store_->pairs_bytes_ = 0;
  }
  store_->pairs_[key] = list;
  store_->pairs_bytes_ += bytes;
  return list;
}

uint64_t Snapshot::size() const { return v_->quad_count; }
uint64_t Snapshot::termCount() const { return v_->next_term_id - kFirstTermId; }
uint64_t Snapshot::txn() const { return v_->txn; }

std::vector<TermId> Snapshot::graphs() const {
  std::vector<TermId> out;
  TermId g = kDefaultGraph + 1;
  for (;;) {
    // Smallest graph id >= g: look in the GSPO run and its delta.
    TermId best = UINT64_MAX;
    {
      auto c = v_->runs[kGSPO]->scan(Key{g, 0, 0, 0}, 0);
      Key k;
      const DeltaKeys& dels = *v_->dels[kGSPO];
      while (c.next(&k)) {
        if (dels.contains(k)) continue;
        best = k[0];
        break;
      }
    }
    auto it = v_->adds[kGSPO]->lowerBound(Key{g, 0, 0, 0});
    if (it.valid()) best = std::min(best, (*it)[0]);
    if (best == UINT64_MAX) break;
    // A graph whose run quads are all deleted is skipped by the loop above
    // only quad by quad; that is fine for correctness.
    out.push_back(best);
    g = best + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Transaction

Transaction::Transaction(StoreImpl* store) : store_(store) {}
Transaction::~Transaction() {
  if (open_) rollback();
}

Result<TermId> Transaction::intern(const rdf::TermView& t) {
  if (t.isNone()) return kDefaultGraph;
  scratch_.clear();
  encodeTerm(t, scratch_);
  return store_->internEncoded(scratch_);
}

Status Transaction::add(const rdf::QuadView& q) {
  if (!open_) return Status::invalidArgument("transaction is closed");
  if (q.s.isNone() || q.p.isNone() || q.o.isNone()) return Status::invalidArgument("quad with an empty term");
  Key k;
  const rdf::TermView* terms[4] = {&q.s, &q.p, &q.o, &q.g};
  for (int i = 0; i < 4; ++i) {
    auto id = intern(*terms[i]);
    if (!id) return id.status();
    k[i] = id.value();
  }
  ins_.push_back(k);
  return Status::ok();
}

Status Transaction::remove(const rdf::QuadView& q) {
  if (!open_) return Status::invalidArgument("transaction is closed");
  auto v = store_->current();
  Snapshot snap(v, store_);
  Key k;
  const rdf::TermView* terms[4] = {&q.s, &q.p, &q.o, &q.g};
  for (int i = 0; i < 4; ++i) {
    k[i] = snap.lookup(*terms[i]);
    if (k[i] == 0) return Status::ok();  // unknown term: nothing to remove
  }
  rem_.push_back(k);
  return Status::ok();
}

void Transaction::addIds(const QuadIds& q) { ins_.push_back(Key{q.s, q.p, q.o, q.g}); }
void Transaction::removeIds(const QuadIds& q) { rem_.push_back(Key{q.s, q.p, q.o, q.g}); }

uint64_t Transaction::newDocumentScope() { return store_->next_doc_++; }

Status Transaction::commit() {
  if (!open_) return Status::invalidArgument("transaction is closed");
  Status s = store_->commit(*this);
  if (!s) {
    rollback();
    return s;
  }
  open_ = false;
  KeyVec().swap(ins_);
  KeyVec().swap(rem_);
  store_->writer_mu_.unlock();
  // A large load's sort buffers are free now; hand the pages back.
  malloc_trim(0);
  return s;
}

void Transaction::rollback() {
  if (!open_) return;
  open_ = false;
  ins_.clear();
  rem_.clear();
  store_->rollbackTerms();
  store_->writer_mu_.unlock();
}

// ---------------------------------------------------------------------------
// Loader

rdf::TermView Loader::scoped(const rdf::TermView& t, std::string& buf) {
  if (!t.isBlank()) return t;
  buf.clear();
  buf += 'd';
  buf += std::to_string(scope_);
  buf += '_';
  buf.append(t.value);
  return rdf::TermView::blank(buf);
}

Status Loader::quad(const rdf::QuadView& q) {
  rdf::QuadView s{scoped(q.s, bs_), q.p, scoped(q.o, bo_), scoped(q.g, bg_)};
  ++count_;
  return txn_->add(s);
}

// ---------------------------------------------------------------------------
// Store

Store::Store(std::unique_ptr<StoreImpl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::openMemory() {
  auto impl = std::make_unique<StoreImpl>();
  impl->initMemory();
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Result<std::unique_ptr<Store>> Store::open(const std::string& dir, OpenMode mode) {
  auto impl = std::make_unique<StoreImpl>();
  Status s = impl->openDurable(dir, mode);
  if (!s) return s;
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::shared_ptr<const Snapshot> Store::snapshot() const {
  return std::make_shared<const Snapshot>(impl_->current(), impl_.get());
}

Result<std::unique_ptr<Transaction>> Store::begin() {
  if (impl_->readonly_) return Status::invalidArgument("store '" + impl_->dir_ + "' is open read-only");
  impl_->writer_mu_.lock();
  return std::make_unique<Transaction>(impl_.get());
}

StoreStats Store::stats() const { return impl_->stats(); }
Status Store::check(std::string* report) const { return impl_->check(report); }
bool Store::durable() const { return impl_->durable_; }
const std::string& Store::dir() const { return impl_->dir_; }

}  // namespace weft::store
