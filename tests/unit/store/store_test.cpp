// SPDX-License-Identifier: Apache-2.0
// Store tests: codec, runs, transactions, snapshots, durability, and a
// differential test against Sord (drobilla's reference quad store).
#include <gtest/gtest.h>
#include <sord/sord.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <fstream>
#include <random>
#include <set>

#include "engine/store/internal/index_version.h"
#include "engine/store/quad_run.h"
#include "engine/store/store.h"
#include "engine/store/term_codec.h"
#include "engine/store/term_table.h"

using namespace weft;
using namespace weft::store;
namespace fs = std::filesystem;

namespace weft::rdf {
// Readable failure messages.
void PrintTo(const Quad& q, std::ostream* os) { *os << toNQuads(q.view()); }
}  // namespace weft::rdf

namespace {

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string tempDir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("weft-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d.string();
}

rdf::Quad Q(const std::string& s, const std::string& p, const rdf::Term& o, const std::string& g = "") {
  rdf::Quad q;
  q.s = rdf::Term::iri(s);
  q.p = rdf::Term::iri(p);
  q.o = o;
  if (!g.empty()) q.g = rdf::Term::iri(g);
  return q;
}

std::set<rdf::Quad> allQuads(const Snapshot& snap, QuadIds pat = {}) {
  std::set<rdf::Quad> out;
  auto c = snap.scan(pat);
  QuadIds q;
  while (c.next(&q)) {
    rdf::Quad x;
    EXPECT_TRUE(snap.decode(q.s, &x.s));
    EXPECT_TRUE(snap.decode(q.p, &x.p));
    EXPECT_TRUE(snap.decode(q.o, &x.o));
    EXPECT_TRUE(snap.decode(q.g, &x.g));
    out.insert(x);
  }
  return out;
}

// A pattern with the components of `ref` that `mask` names bound (1 s, 2 p,
// 4 o, 8 g), and whether quad q matches it.
QuadIds maskPattern(const Snapshot& snap, const rdf::Quad& ref, int mask) {
  QuadIds pat;
  if (mask & 1) pat.s = snap.lookup(ref.s.view());
  if (mask & 2) pat.p = snap.lookup(ref.p.view());
  if (mask & 4) pat.o = snap.lookup(ref.o.view());
  if (mask & 8) pat.g = snap.lookup(ref.g.view());
  return pat;
}
bool maskMatches(const rdf::Quad& q, const rdf::Quad& ref, int mask) {
  return (!(mask & 1) || q.s == ref.s) && (!(mask & 2) || q.p == ref.p) && (!(mask & 4) || q.o == ref.o) &&
         (!(mask & 8) || q.g == ref.g);
}

// Compares two quad sets, printing at most five quads missing and extra.
::testing::AssertionResult sameQuads(const std::set<rdf::Quad>& got, const std::set<rdf::Quad>& want) {
  if (got == want) return ::testing::AssertionSuccess();
  auto r = ::testing::AssertionFailure();
  r << got.size() << " quads, expected " << want.size() << "\n";
  int n = 0;
  for (auto& q : want) if (!got.count(q) && n++ < 5) r << "missing " << rdf::toNQuads(q.view());
  n = 0;
  for (auto& q : got) if (!want.count(q) && n++ < 5) r << "extra   " << rdf::toNQuads(q.view());
  return r;
}

}  // namespace

TEST(TermCodec, RoundTripsEveryKind) {
  std::vector<rdf::Term> terms = {
      rdf::Term::iri("http://ex.org/a"), rdf::Term::blank("b0"), rdf::Term::literal("plain"),
      rdf::Term::literal("chat", rdf::kXsdString, "fr-be"), rdf::Term::literal("12", "http://www.w3.org/2001/XMLSchema#integer"),
      rdf::Term::literal("x", "http://ex.org/custom-type"), rdf::Term::literal(std::string("nul\0byte", 8)),
      rdf::Term::literal("")};
  for (const auto& t : terms) {
    std::string enc = encodeTerm(t.view());
    rdf::TermView back;
    ASSERT_TRUE(decodeTerm(enc, &back));
    EXPECT_EQ(rdf::Term(back), t) << rdf::toNTriples(t.view());
  }
  // Language tags are stored in lower case ("x"@EN and "x"@en are one term).
  rdf::TermView lower;
  std::string enc = encodeTerm(rdf::Term::literal("chat", rdf::kXsdString, "fr-BE").view());
  ASSERT_TRUE(decodeTerm(enc, &lower));
  EXPECT_EQ(lower.lang, "fr-be");
  rdf::TermView tv;
  EXPECT_FALSE(decodeTerm("", &tv));
  EXPECT_FALSE(decodeTerm("\x09xx", &tv));
  EXPECT_FALSE(decodeTerm(std::string("\x04\x7f", 2), &tv));  // lang length past the end
}

TEST(TermTable, InsertFindGet) {
  TermTable t(10);
  bool ins = false;
  EXPECT_EQ(t.insert("a", &ins), 10u);
  EXPECT_TRUE(ins);
  EXPECT_EQ(t.insert("a", &ins), 10u);
  EXPECT_FALSE(ins);
  for (int i = 0; i < 100000; ++i) t.insert("term" + std::to_string(i));
  EXPECT_EQ(t.find("term4242"), 10u + 1 + 4242);
  EXPECT_EQ(t.get(10 + 1 + 99999), "term99999");
  EXPECT_EQ(t.find("nope"), 0u);
  std::string big(5 << 20, 'x');  // larger than an arena chunk
  uint64_t id = t.insert(big);
  EXPECT_EQ(t.get(id), big);
}

TEST(QuadRun, BuildScanAndFile) {
  std::vector<Key> keys;
  std::mt19937_64 rng(7);
  std::set<Key> set;
  while (set.size() < 5000) set.insert(Key{rng() % 50 + 2, rng() % 7 + 2, rng() % 1000 + 2, rng() % 3 + 1});
  keys.assign(set.begin(), set.end());
  auto run = QuadRun::build(keys);
  EXPECT_EQ(run->size(), keys.size());
  EXPECT_TRUE(run->verify().isOk());
  // Prefix scans agree with a filter over the sorted keys.
  for (int prefix = 0; prefix <= 4; ++prefix) {
    for (int trial = 0; trial < 20; ++trial) {
      Key lower = keys[rng() % keys.size()];
      for (int i = prefix; i < 4; ++i) lower[i] = 0;
      std::vector<Key> expect, got;
      for (const Key& k : keys) {
        bool m = true;
        for (int i = 0; i < prefix; ++i) m = m && k[i] == lower[i];
        if (m) expect.push_back(k);
      }
      auto c = run->scan(lower, prefix);
      Key k;
      while (c.next(&k)) got.push_back(k);
      EXPECT_EQ(got, expect);
    }
  }
  std::string dir = tempDir("run");
  fs::create_directories(dir);
  ASSERT_TRUE(run->writeFile(dir + "/r").isOk());
  auto back = QuadRun::openFile(dir + "/r", true);
  ASSERT_TRUE(back.isOk()) << back.status().message();
  std::vector<Key> got;
  back.value()->forEach([&](const Key& k) { got.push_back(k); });
  EXPECT_EQ(got, keys);
  // A flipped byte is caught by the checksum.
  {
    FILE* f = std::fopen((dir + "/r").c_str(), "r+b");
    std::fseek(f, 10, SEEK_SET);
    int c = std::fgetc(f);
    std::fseek(f, 10, SEEK_SET);
    std::fputc(c ^ 0x55, f);
    std::fclose(f);
  }
  EXPECT_FALSE(QuadRun::openFile(dir + "/r", true).isOk());
  fs::remove_all(dir);
}

// The streaming writer (what a durable store's compaction uses) writes the
// same bytes as an in-memory build followed by writeFile: sizes around the
// block size, an empty run, and a run of several write chunks (1 MiB) whose
// data ends at every remainder modulo 8 (the checksum reads the file back).
TEST(QuadRun, FileWriterMatchesBuildAndWriteFile) {
  std::string dir = tempDir("runwriter");
  fs::create_directories(dir);
  std::mt19937_64 rng(11);
  std::vector<size_t> sizes = {0, 1, 2, 31, 32, 33, 64, 65, 1000, 300000};
  for (int i = 0; i < 8; ++i) sizes.push_back(1000 + rng() % 5000);
  std::set<size_t> tails;
  for (size_t n : sizes) {
    std::set<Key> set;
    // Wide ids in the large run: several bytes per key, so it spans chunks.
    const uint64_t span = n > 100000 ? (uint64_t{1} << 40) : 5000;
    while (set.size() < n)
      set.insert(Key{rng() % span + 2, rng() % 9 + 2, rng() % span + 2, rng() % 4 + 1});
    std::vector<Key> keys(set.begin(), set.end());
    ASSERT_TRUE(QuadRun::build(keys)->writeFile(dir + "/mem").isOk());
    QuadRun::FileWriter w(dir + "/stream");
    for (const Key& k : keys) w.add(k);
    EXPECT_EQ(w.size(), n);
    ASSERT_TRUE(w.finish().isOk());
    std::string a = readBytes(dir + "/mem"), b = readBytes(dir + "/stream");
    ASSERT_FALSE(a.empty());
    EXPECT_TRUE(a == b) << n << " keys: " << a.size() << " bytes in memory, " << b.size()
                        << " streamed";
    if (n >= 300000) {
      EXPECT_GT(b.size(), size_t{3} << 20);
    }
    EXPECT_FALSE(fs::exists(dir + "/stream.tmp"));
    auto back = QuadRun::openFile(dir + "/stream", true);  // checks the checksum
    ASSERT_TRUE(back.isOk()) << n << " keys: " << back.status().message();
    std::vector<Key> got;
    back.value()->forEach([&](const Key& k) { got.push_back(k); });
    EXPECT_EQ(got, keys);
    uint64_t data_bytes = 0;  // the footer's directory offset
    for (int i = 0; i < 8; ++i)
      data_bytes |= uint64_t{static_cast<uint8_t>(b[b.size() - 24 + i])} << (8 * i);
    tails.insert(data_bytes % 8);
  }
  EXPECT_GE(tails.size(), 4u) << "too few data lengths modulo 8 to exercise the checksum's tail";
  fs::remove_all(dir);
}

TEST(QuadRun, FileWriterLeavesNoFileOnError) {
  std::string dir = tempDir("runwriter-err");
  fs::create_directories(dir);
  {
    QuadRun::FileWriter w(dir + "/missing-dir/run");  // cannot be created
    w.add(Key{2, 3, 4, 1});
    EXPECT_FALSE(w.finish().isOk());
  }
  {
    QuadRun::FileWriter w(dir + "/abandoned");  // dropped without finish()
    w.add(Key{2, 3, 4, 1});
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

// forEachReleasing reads a mapped run in order and drops its pages; the
// run stays fully readable afterwards.
TEST(QuadRun, ForEachReleasingReadsEverythingOnce) {
  std::string dir = tempDir("release");
  fs::create_directories(dir);
  std::vector<Key> keys;
  for (uint64_t i = 0; i < 400000; ++i)
    keys.push_back(Key{i * 977 + 2, i % 13 + 2, (i * 7919) % 100003 + 2, 1});
  ASSERT_TRUE(QuadRun::build(keys)->writeFile(dir + "/r").isOk());
  auto run = QuadRun::openFile(dir + "/r", false);
  ASSERT_TRUE(run.isOk());
  std::vector<Key> got;
  run.value()->forEachReleasing([&](const Key& k) { got.push_back(k); });
  EXPECT_EQ(got, keys);
  EXPECT_EQ(run.value()->countPrefix(keys[1234], 1), 1u);
  EXPECT_EQ(run.value()->keyAt(300000), keys[300000]);
  EXPECT_TRUE(run.value()->verify().isOk());
  // An in-memory run: the same keys (nothing to release).
  got.clear();
  QuadRun::build(keys)->forEachReleasing([&](const Key& k) { got.push_back(k); });
  EXPECT_EQ(got, keys);
  fs::remove_all(dir);
}

// A durable store's compaction streams each permutation into its run file:
// after a bulk load into runs (the packed path) and after a compaction that
// also deletes (the general path), the files the manifest names hold
// exactly the store's quads in each permutation's order, and nothing else
// (no temporary or superseded run files) is left in the directory.
TEST(Store, CompactionStreamsRunFilesHoldingTheQuads) {
  Store::setMinCompactionForTesting(1000);
  std::string dir = tempDir("streamed");
  auto r = Store::open(dir, OpenMode::kCreateIfMissing);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto& st = r.value();
  auto quad = [](int i) {
    return Q("http://ex/s" + std::to_string(i % 211), "http://ex/p" + std::to_string(i % 7),
             rdf::Term::literal("v" + std::to_string(i)),
             i % 5 == 0 ? "http://ex/g" + std::to_string(i % 3) : "");
  };
  auto checkFiles = [&](const char* what) {
    std::ifstream in(dir + "/INDEX");
    std::string magic;
    uint64_t txn = 0, quads = 0, gen = 0;
    ASSERT_TRUE(in >> magic >> txn >> quads >> gen) << what;
    ASSERT_GT(gen, 0u) << what;
    auto snap = st->snapshot();
    EXPECT_EQ(quads, snap->size()) << what;
    std::vector<Key> spog;
    auto c = snap->scan(QuadIds{});
    QuadIds q;
    while (c.next(&q)) spog.push_back(Key{q.s, q.p, q.o, q.g});
    for (int p = 0; p < kPermCount; ++p) {
      std::vector<Key> want;
      for (const Key& k : spog) want.push_back(toPerm(k, p));
      std::sort(want.begin(), want.end());
      auto run = QuadRun::openFile(dir + "/run-" + std::to_string(gen) + "-" + kPermNames[p], true);
      ASSERT_TRUE(run.isOk()) << what << ": " << run.status().message();
      std::vector<Key> got;
      run.value()->forEach([&](const Key& k) { got.push_back(k); });
      EXPECT_EQ(got, want) << what << ", " << kPermNames[p];
    }
    for (auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      EXPECT_EQ(name.find(".tmp"), std::string::npos) << what << ": " << name;
      if (name.rfind("run-", 0) == 0) {
        EXPECT_EQ(name.rfind("run-" + std::to_string(gen) + "-", 0), 0u) << what << ": " << name;
      }
    }
    std::string report;
    EXPECT_TRUE(st->check(&report).isOk()) << what << "\n" << report;
  };
  std::set<rdf::Quad> expect;
  {
    auto txn = st->begin();
    for (int i = 0; i < 3000; ++i) {
      ASSERT_TRUE(txn.value()->add(quad(i).view()).isOk());
      expect.insert(quad(i));
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
    EXPECT_EQ(st->stats().delta_quads, 0u);
    checkFiles("bulk load");
  }
  {
    auto txn = st->begin();
    for (int i = 2000; i < 6000; ++i) {  // 1000 already there
      ASSERT_TRUE(txn.value()->add(quad(i).view()).isOk());
      expect.insert(quad(i));
    }
    // Not re-added ones: a removal and an addition of one quad keep it.
    for (int i = 0; i < 2000; i += 2) {
      ASSERT_TRUE(txn.value()->remove(quad(i).view()).isOk());
      expect.erase(quad(i));
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
    EXPECT_EQ(st->stats().delta_quads, 0u);
    checkFiles("compaction with deletions");
  }
  EXPECT_TRUE(sameQuads(allQuads(*st->snapshot()), expect));
  st.reset();  // closes the store
  auto again = Store::open(dir, OpenMode::kReadOnly);
  ASSERT_TRUE(again.isOk()) << again.status().message();
  EXPECT_TRUE(sameQuads(allQuads(*again.value()->snapshot()), expect));
  Store::setMinCompactionForTesting(200000);
  fs::remove_all(dir);
}

// Random commits of additions, removals and re-additions of quads over a
// small vocabulary, mirrored in a reference set.
struct RandomCommits {
  std::mt19937 rng;
  int subjects, predicates, values, graph_every;
  std::set<rdf::Quad> want;
  std::vector<rdf::Quad> removed;
  RandomCommits(unsigned seed, int s, int p, int v, int g)
      : rng(seed), subjects(s), predicates(p), values(v), graph_every(g) {}
  rdf::Quad quad(int i) const {
    return Q("http://ex/s" + std::to_string(i % subjects), "http://ex/p" + std::to_string(i % predicates),
             rdf::Term::literal("v" + std::to_string(i % values)),
             i % graph_every == 0 ? "http://ex/g" + std::to_string(i % 4) : "");
  }
  // One transaction of 5 to 5 + spread changes; within it removals apply
  // before additions.
  ::testing::AssertionResult commitOne(Store& st, int spread) {
    std::vector<rdf::Quad> adds, rems;
    for (int k = 0, n = 5 + static_cast<int>(rng() % static_cast<unsigned>(spread)); k < n; ++k) {
      int what = static_cast<int>(rng() % 10);
      if (what < 6 || want.empty()) {
        adds.push_back(quad(static_cast<int>(rng() % 100000)));
      } else if (what < 9) {
        rems.push_back(*std::next(want.begin(), static_cast<long>(rng() % want.size())));
      } else if (!removed.empty()) {  // back again
        adds.push_back(removed[rng() % removed.size()]);
      }
    }
    auto txn = st.begin();
    if (!txn.isOk()) return ::testing::AssertionFailure() << txn.status().message();
    for (const auto& q : adds)
      if (!txn.value()->add(q.view()).isOk()) return ::testing::AssertionFailure() << "add";
    for (const auto& q : rems)
      if (!txn.value()->remove(q.view()).isOk()) return ::testing::AssertionFailure() << "remove";
    Status c = txn.value()->commit();
    if (!c.isOk()) return ::testing::AssertionFailure() << c.message();
    for (const auto& q : rems) {
      want.erase(q);
      removed.push_back(q);
    }
    for (const auto& q : adds) want.insert(q);
    return ::testing::AssertionSuccess();
  }
};

// The delta across many commits (each makes new delta vectors by merging the
// changed keys into the old ones, Key blocks copied between them): random
// adds, removes and re-adds checked against a reference set through four
// permutations after every commit, without compaction and with a small
// threshold (deltas folded into runs now and then).
TEST(Store, DeltaKeepsEveryQuadAcrossCommits) {
  for (uint64_t threshold : {uint64_t{1} << 40, uint64_t{300}}) {
    Store::setMinCompactionForTesting(threshold);
    auto st = Store::openMemory();
    RandomCommits rc(11, 97, 5, 4001, 3);
    std::mt19937& rng = rc.rng;
    const std::set<rdf::Quad>& want = rc.want;
    for (int step = 0; step < 150; ++step) {
      ASSERT_TRUE(rc.commitOne(*st, 60)) << "step " << step;
      auto snap = st->snapshot();
      ASSERT_EQ(snap->size(), want.size()) << "step " << step;
      ASSERT_TRUE(sameQuads(allQuads(*snap), want)) << "step " << step;
      const rdf::Quad& ref = *std::next(want.begin(), static_cast<long>(rng() % want.size()));
      for (int mask : {2, 4, 8, 9}) {  // POSG, OSPG, GSPO, GSPO with s
        QuadIds pat = maskPattern(*snap, ref, mask);
        std::set<rdf::Quad> sub;
        for (const auto& q : want)
          if (maskMatches(q, ref, mask)) sub.insert(q);
        ASSERT_TRUE(sameQuads(allQuads(*snap, pat), sub)) << "step " << step << ", pattern " << mask;
        ASSERT_EQ(snap->count(pat), sub.size()) << "step " << step << ", pattern " << mask;
      }
    }
    std::string report;
    EXPECT_TRUE(st->check(&report).isOk()) << report;
  }
  Store::setMinCompactionForTesting(200000);
}

// The background merge: commits go on into the delta while a thread folds
// an older delta into new runs, and a later commit installs them with the
// delta rebased. Random adds, removes and re-adds on a durable store with a
// small threshold; some commits wait for the merge to finish (so the next
// one installs it), others race it; contents checked after every commit,
// through a reopen now and then, and a reopen without a clean close (the
// process's state dropped while a merge may be running).
TEST(Store, BackgroundMergeKeepsEveryQuad) {
  const std::string dir = tempDir("bgmerge");
  Store::setMinCompactionForTesting(200);
  RandomCommits rc(23, 89, 4, 3001, 5);
  const std::set<rdf::Quad>& want = rc.want;
  auto r = Store::open(dir, OpenMode::kCreateIfMissing);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto st = std::move(r.value());
  for (int step = 0; step < 240; ++step) {
    ASSERT_TRUE(rc.commitOne(*st, 80)) << "step " << step;
    if (rc.rng() % 3 == 0) st->waitForMergeForTesting();
    ASSERT_TRUE(sameQuads(allQuads(*st->snapshot()), want)) << "step " << step;
    if (step % 40 == 39) {
      st.reset();  // joins a running merge; its runs are not named yet
      auto again = Store::open(dir, OpenMode::kMustExist);
      ASSERT_TRUE(again.isOk()) << again.status().message();
      st = std::move(again.value());
      ASSERT_TRUE(sameQuads(allQuads(*st->snapshot()), want)) << "reopened at step " << step;
      std::string report;
      ASSERT_TRUE(st->check(&report).isOk()) << report;
    }
  }
  st.reset();
  Store::setMinCompactionForTesting(200000);
  fs::remove_all(dir);
}

// The chunked delta on its own: random merges of removals and additions
// (clustered, as new ids arrive together, and scattered) against a reference
// set; lookups, ranks and iteration from random keys; chunks stay bounded,
// and a merge copies only the chunks its keys land in.
TEST(Store, ChunkedDeltaMatchesASortedSet) {
  using internal::DeltaKeys;
  std::mt19937_64 rng(5);
  std::set<Key> want;
  auto d = DeltaKeys::emptySet();
  auto randomKey = [&](uint64_t hi) { return Key{rng() % hi, rng() % 7, rng() % 50, 0}; };
  for (int step = 0; step < 300; ++step) {
    std::set<Key> plus, minus;
    const bool clustered = step % 3 != 0;
    const uint64_t base = rng() % 2000;
    for (int i = 0, n = static_cast<int>(rng() % 400); i < n; ++i) {
      plus.insert(clustered ? Key{base + rng() % 4, rng() % 7, rng() % 50, 0} : randomKey(2000));
    }
    for (int i = 0, n = static_cast<int>(rng() % 200); i < n && !want.empty(); ++i) {
      minus.insert(rng() % 4 == 0 ? randomKey(2000) : *std::next(want.begin(), static_cast<long>(rng() % want.size())));
    }
    const std::vector<Key> mv(minus.begin(), minus.end()), pv(plus.begin(), plus.end());
    auto next = DeltaKeys::merged(*d, mv, pv);
    const std::set<Key> before = want;
    for (const Key& k : minus) want.erase(k);
    for (const Key& k : plus) want.insert(k);
    // What one version has and the other lacks, both ways (shared chunks skipped).
    for (int way = 0; way < 2; ++way) {
      const std::set<Key>& x = way ? before : want;
      const std::set<Key>& y = way ? want : before;
      std::vector<Key> diff;
      std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(diff));
      ASSERT_EQ(way ? DeltaKeys::difference(*d, *next) : DeltaKeys::difference(*next, *d), diff) << "step " << step;
    }
    ASSERT_EQ(next->size(), want.size()) << "step " << step;
    std::vector<Key> got;
    next->forEach([&](const Key& k) { got.push_back(k); });
    ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin(), want.end())) << "step " << step;
    // Chunks untouched by the merge are the old version's, not copies.
    size_t shared = 0;
    for (size_t i = 0; i < next->chunkCount(); ++i) {
      ASSERT_LE(next->chunk(i)->size(), 2 * DeltaKeys::kChunk);
      ASSERT_FALSE(next->chunk(i)->empty());
      for (size_t j = 0; j < d->chunkCount(); ++j) shared += next->chunk(i) == d->chunk(j);
    }
    if (clustered && minus.empty() && d->chunkCount() > 4) {
      EXPECT_GE(shared + 3, d->chunkCount()) << "step " << step;
    }
    for (int probe = 0; probe < 50; ++probe) {
      const Key k = probe % 2 || got.empty() ? randomKey(2100) : got[rng() % got.size()];
      ASSERT_EQ(next->contains(k), want.count(k) == 1);
      auto lb = want.lower_bound(k);
      ASSERT_EQ(next->rank(k), static_cast<size_t>(std::distance(want.begin(), lb)));
      auto it = next->lowerBound(k);
      for (int i = 0; i < 3; ++i, ++lb, ++it) {
        ASSERT_EQ(it.valid(), lb != want.end());
        if (!it.valid()) break;
        ASSERT_EQ(*it, *lb);
      }
    }
    d = next;
  }
  EXPECT_GT(d->chunkCount(), 10u);  // the test reached many chunks
}

TEST(Store, AddRemoveAndAllSixteenPatterns) {
  auto st = Store::openMemory();
  std::vector<rdf::Quad> quads;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 3; ++j)
      quads.push_back(Q("http://ex/s" + std::to_string(i), "http://ex/p" + std::to_string(j),
                        rdf::Term::literal(std::to_string(i * j)), j == 2 ? "http://ex/g" + std::to_string(i % 2) : ""));
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.isOk());
    for (auto& q : quads) ASSERT_TRUE(txn.value()->add(q.view()).isOk());
    ASSERT_TRUE(txn.value()->add(quads[0].view()).isOk());  // duplicate
    ASSERT_TRUE(txn.value()->commit().isOk());
    EXPECT_EQ(txn.value()->added(), quads.size());
  }
  auto snap = st->snapshot();
  EXPECT_EQ(snap->size(), quads.size());
  EXPECT_EQ(snap->graphs().size(), 2u);
  std::mt19937 rng(1);
  for (int mask = 0; mask < 16; ++mask) {
    const rdf::Quad& ref = quads[rng() % quads.size()];
    QuadIds pat = maskPattern(*snap, ref, mask);
    std::set<rdf::Quad> expect;
    for (auto& q : quads)
      if (maskMatches(q, ref, mask)) expect.insert(q);
    EXPECT_TRUE(sameQuads(allQuads(*snap, pat), expect)) << "mask " << mask;
  }
  // Remove, and the old snapshot still sees everything.
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.value()->remove(quads[1].view()).isOk());
    ASSERT_TRUE(txn.value()->remove(Q("http://ex/none", "http://ex/p0", rdf::Term::literal("0")).view()).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
    EXPECT_EQ(txn.value()->removed(), 1u);
  }
  EXPECT_EQ(snap->size(), quads.size());
  EXPECT_EQ(st->snapshot()->size(), quads.size() - 1);
  std::string report;
  EXPECT_TRUE(st->check(&report).isOk()) << report;
}

TEST(Store, RollbackChangesNothing) {
  auto st = Store::openMemory();
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.value()->add(Q("http://ex/a", "http://ex/p", rdf::Term::literal("1")).view()).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  {
    auto txn = st->begin();
    ASSERT_TRUE(txn.value()->add(Q("http://ex/b", "http://ex/p", rdf::Term::literal("new")).view()).isOk());
    txn.value()->rollback();
  }
  auto snap = st->snapshot();
  EXPECT_EQ(snap->size(), 1u);
  EXPECT_EQ(snap->termCount(), 3u);
  EXPECT_EQ(snap->lookup(rdf::TermView::iri("http://ex/b")), 0u);
}

TEST(Store, DurableReopenCompactionAndCheck) {
  Store::setMinCompactionForTesting(1000);
  std::string dir = tempDir("durable");
  std::set<rdf::Quad> expect;
  for (int round = 0; round < 4; ++round) {
    auto r = Store::open(dir, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    auto& st = r.value();
    EXPECT_TRUE(sameQuads(allQuads(*st->snapshot()), expect)) << "round " << round;
    auto txn = st->begin();
    int n = round == 1 ? 3000 : 300;  // round 1 forces a compaction
    for (int i = 0; i < n; ++i) {
      auto q = Q("http://ex/s" + std::to_string(i % 97), "http://ex/p" + std::to_string(round),
                 rdf::Term::literal("v" + std::to_string(i), rdf::kXsdString, i % 5 == 0 ? "en" : ""),
                 i % 3 == 0 ? "http://ex/g" : "");
      ASSERT_TRUE(txn.value()->add(q.view()).isOk());
      expect.insert(q);
    }
    if (round == 3) {
      auto victim = *expect.begin();
      ASSERT_TRUE(txn.value()->remove(victim.view()).isOk());
      expect.erase(victim);
      // Removal happens before insertion, so a re-added quad stays.
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
    std::string report;
    EXPECT_TRUE(st->check(&report).isOk()) << report;
  }
  auto r = Store::open(dir, OpenMode::kReadOnly);
  ASSERT_TRUE(r.isOk());
  EXPECT_TRUE(sameQuads(allQuads(*r.value()->snapshot()), expect));
  EXPECT_GT(r.value()->stats().bytes_on_disk, 0u);
  Store::setMinCompactionForTesting(200000);
  fs::remove_all(dir);
}

TEST(Store, RejectsWhatIsNotAStore) {
  std::string dir = tempDir("notastore");
  EXPECT_EQ(Store::open(dir, OpenMode::kMustExist).status().code(), StatusCode::kNotFound);
  fs::create_directories(dir);
  { std::ofstream(dir + "/random.txt") << "hello"; }
  auto r = Store::open(dir, OpenMode::kCreateIfMissing);
  EXPECT_FALSE(r.isOk());
  { std::ofstream(dir + "/weft.db") << "this is not sqlite, just text that is long enough to be a header....."; }
  r = Store::open(dir, OpenMode::kMustExist);
  EXPECT_FALSE(r.isOk());
  fs::remove_all(dir);
}

// Differential test: random adds, removes and patterns against Sord.
TEST(Store, MatchesSordOnRandomQuadsAndPatterns) {
  SordWorld* world = sord_world_new();
  SordModel* model = sord_new(world, SORD_SPO | SORD_OPS | SORD_POS, true);
  auto st = Store::openMemory();
  Store::setMinCompactionForTesting(300);  // exercise runs + delta + compaction
  std::mt19937 rng(42);
  auto iri = [](const std::string& s) { return "http://ex.org/" + s; };
  static constexpr const char* kSordDefault = "urn:weft:default-graph";
  auto randTerm = [&](int slot) -> rdf::Term {
    int k = rng() % 12;
    if (slot == 2 && k < 4) return rdf::Term::literal("lit" + std::to_string(k), rdf::kXsdString, k == 3 ? "en" : "");
    if (slot != 1 && k == 11) return rdf::Term::blank("b" + std::to_string(rng() % 3));
    return rdf::Term::iri(iri(std::string(1, "spog"[slot]) + std::to_string(k % 6)));
  };
  auto toSord = [&](const rdf::Term& t) -> SordNode* {
    const auto* v = reinterpret_cast<const uint8_t*>(t.value.c_str());
    switch (t.kind) {
      case rdf::TermKind::kIri: return sord_new_uri(world, v);
      case rdf::TermKind::kBlank: return sord_new_blank(world, v);
      case rdf::TermKind::kLiteral: {
        SordNode* dt = t.lang.empty() ? sord_new_uri(world, reinterpret_cast<const uint8_t*>(t.datatype.c_str())) : nullptr;
        SordNode* n = sord_new_literal(world, dt, v, t.lang.empty() ? nullptr : t.lang.c_str());
        if (dt) sord_node_free(world, dt);
        return n;
      }
      default:
        // Sord reads a NULL graph as a wildcard, so the default graph is
        // given a name of its own on the Sord side.
        return sord_new_uri(world, reinterpret_cast<const uint8_t*>(kSordDefault));
    }
  };
  // Reference semantics: a set, with each transaction's removals applied
  // before its insertions. Sord is rebuilt from it each round and serves
  // as the oracle for pattern matching.
  std::set<rdf::Quad> ref;
  for (int round = 0; round < 30; ++round) {
    auto txn = st->begin();
    int ops = 20 + rng() % 80;
    std::vector<rdf::Quad> ins, rem;
    for (int i = 0; i < ops; ++i) {
      rdf::Quad q;
      q.s = randTerm(0);
      q.p = randTerm(1);
      q.o = randTerm(2);
      if (rng() % 2) q.g = randTerm(3);
      if (q.g.kind == rdf::TermKind::kBlank) q.g = rdf::Term();
      if (rng() % 4 == 0) {
        ASSERT_TRUE(txn.value()->remove(q.view()).isOk());
        rem.push_back(q);
      } else {
        ASSERT_TRUE(txn.value()->add(q.view()).isOk());
        ins.push_back(q);
      }
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
    for (auto& q : rem) ref.erase(q);
    for (auto& q : ins) ref.insert(q);
    sord_free(model);
    model = sord_new(world, SORD_SPO | SORD_OPS | SORD_POS, true);
    for (auto& q : ref) {
      SordQuad sq = {toSord(q.s), toSord(q.p), toSord(q.o), toSord(q.g)};
      sord_add(model, sq);
      for (auto* n : sq) if (n) sord_node_free(world, const_cast<SordNode*>(n));
    }
    auto snap = st->snapshot();
    ASSERT_TRUE(sameQuads(allQuads(*snap), ref)) << "round " << round;
    ASSERT_EQ(snap->size(), sord_num_quads(model)) << "round " << round;
    for (int trial = 0; trial < 16; ++trial) {
      int mask = trial;
      rdf::Term pt[4] = {randTerm(0), randTerm(1), randTerm(2), randTerm(3)};
      if (pt[3].kind == rdf::TermKind::kBlank) pt[3] = rdf::Term();
      SordQuad pat = {nullptr, nullptr, nullptr, nullptr};
      QuadIds ids;
      TermId* slots[4] = {&ids.s, &ids.p, &ids.o, &ids.g};
      bool unknown = false;
      for (int i = 0; i < 4; ++i) {
        if (!(mask & (1 << i))) continue;
        pat[i] = toSord(pt[i]);
        *slots[i] = snap->lookup(pt[i].view());
        if (*slots[i] == 0) unknown = true;
      }
      std::set<std::string> expect, got;
      // Sord's unbound-graph scans fold quads that differ only in their
      // graph, so an unbound graph is asked graph by graph.
      std::vector<const SordNode*> gs;
      if (pat[3]) {
        gs.push_back(pat[3]);
      } else {
        std::set<rdf::Term> names;
        for (auto& q : ref) names.insert(q.g);
        for (auto& n : names) gs.push_back(toSord(n));
      }
      for (const SordNode* g : gs) {
        SordQuad gp = {pat[0], pat[1], pat[2], g};
        SordIter* it = sord_find(model, gp);
        for (; it && !sord_iter_end(it); sord_iter_next(it)) {
          SordQuad tup;
          sord_iter_get(it, tup);
          std::string line;
          for (int i = 0; i < 4; ++i) {
            if (!tup[i]) { line += "|"; continue; }
            line += reinterpret_cast<const char*>(sord_node_get_string(tup[i]));
            if (const char* l = sord_node_get_language(tup[i])) line += std::string("@") + l;
            line += "|";
          }
          expect.insert(line);
        }
        sord_iter_free(it);
        if (!pat[3]) sord_node_free(world, const_cast<SordNode*>(g));
      }
      if (!unknown) {
        for (const auto& q : allQuads(*snap, ids)) {
          std::string line;
          for (const rdf::Term* t : {&q.s, &q.p, &q.o, &q.g}) {
            line += t->isNone() ? std::string(kSordDefault) : t->value;
            if (!t->lang.empty()) line += "@" + t->lang;
            line += "|";
          }
          got.insert(line);
        }
      }
      if (got != expect) {
        std::string diff;
        for (auto& x : expect) if (!got.count(x)) diff += "  only in sord: " + x + "\n";
        for (auto& x : got) if (!expect.count(x)) diff += "  only in weft: " + x + "\n";
        ADD_FAILURE() << "round " << round << " mask " << mask << "\n" << diff;
      }
      for (auto* n : pat) if (n) sord_node_free(world, const_cast<SordNode*>(n));
    }
  }
  Store::setMinCompactionForTesting(200000);
  sord_free(model);
  sord_world_free(world);
}

// Readers see whole transactions only, while a writer commits and
// checkpoints (runs and the hash file are replaced) underneath them.
TEST(Store, SnapshotsAreConsistentWhileAWriterCommits) {
  Store::setMinCompactionForTesting(500);
  std::string dir = tempDir("concurrent");
  auto r = Store::open(dir, OpenMode::kCreateIfMissing);
  ASSERT_TRUE(r.isOk());
  auto& st = r.value();
  constexpr int kTxns = 40, kPerTxn = 100;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, reads{0};
  auto reader = [&] {
    while (!done.load()) {
      auto snap = st->snapshot();
      uint64_t n = snap->size();
      if (n % kPerTxn != 0) ++bad;
      // A full scan agrees with the count, and every id decodes.
      auto c = snap->scan(QuadIds{});
      QuadIds q;
      uint64_t m = 0;
      rdf::Term t;
      while (c.next(&q)) {
        ++m;
        if (!snap->decode(q.o, &t)) ++bad;
      }
      if (m != n) ++bad;
      // Lookups of a term committed in that snapshot succeed.
      if (n > 0 && snap->lookup(rdf::TermView::literal("v0-0")) == 0) ++bad;
      ++reads;
    }
  };
  std::thread r1(reader), r2(reader);
  for (int t = 0; t < kTxns; ++t) {
    auto txn = st->begin();
    for (int i = 0; i < kPerTxn; ++i) {
      auto q = Q("http://ex/s" + std::to_string(i % 7), "http://ex/p" + std::to_string(t),
                 rdf::Term::literal("v" + std::to_string(t) + "-" + std::to_string(i)));
      ASSERT_TRUE(txn.value()->add(q.view()).isOk());
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(st->snapshot()->size(), static_cast<uint64_t>(kTxns * kPerTxn));
  std::string report;
  EXPECT_TRUE(st->check(&report).isOk()) << report;
  // Close first: the last commits may have started a background merge that is
  // still writing its run files into the directory.
  st.reset();
  Store::setMinCompactionForTesting(200000);
  fs::remove_all(dir);
}

// Bulk loads that go straight into the runs (the packed-key path), first
// into an empty store and then merged with existing runs.
TEST(Store, BulkLoadsMergeIntoRuns) {
  Store::setMinCompactionForTesting(1000);
  auto st = Store::openMemory();
  std::set<rdf::Quad> expect;
  for (int round = 0; round < 3; ++round) {
    auto txn = st->begin();
    for (int i = 0; i < 5000; ++i) {
      // Interleave old and new subjects so merged runs interleave too.
      auto q = Q("http://ex/s" + std::to_string((i * 7919 + round) % 3001), "http://ex/p" + std::to_string(i % 5),
                 rdf::Term::literal(std::to_string(i + round * 100000)), i % 4 == 0 ? "http://ex/g" : "");
      ASSERT_TRUE(txn.value()->add(q.view()).isOk());
      expect.insert(q);
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
    auto snap = st->snapshot();
    EXPECT_TRUE(sameQuads(allQuads(*snap), expect)) << "round " << round;
    EXPECT_EQ(st->stats().delta_quads, 0u) << "round " << round;
    // Pattern scans through every permutation.
    TermId g = snap->lookup(rdf::TermView::iri("http://ex/g"));
    size_t in_g = 0;
    for (auto& q : expect) in_g += q.g.isNone() ? 0 : 1;
    EXPECT_EQ(snap->count(QuadIds{0, 0, 0, g}), in_g);
    EXPECT_EQ(snap->count(QuadIds{0, snap->lookup(rdf::TermView::iri("http://ex/p3")), 0, 0}),
              static_cast<uint64_t>(std::count_if(expect.begin(), expect.end(),
                                                  [](const rdf::Quad& q) { return q.p.value == "http://ex/p3"; })));
    std::string report;
    EXPECT_TRUE(st->check(&report).isOk()) << report;
  }
  Store::setMinCompactionForTesting(200000);
}

// nextBatch (the fast path for scans with no delta in range, and the
// fallback through next() otherwise) returns exactly what next() returns,
// for every batch size, every pattern shape, and runs with and without a
// delta of additions and deletions on top.
TEST(Store, BatchedScansMatchSingleSteps) {
  Store::setMinCompactionForTesting(1000);
  auto st = Store::openMemory();
  std::mt19937 rng(7);
  auto quad = [&](int i) {
    return Q("http://ex/s" + std::to_string(i % 97), "http://ex/p" + std::to_string(i % 3),
             rdf::Term::literal(std::to_string(i % 211)), i % 5 == 0 ? "http://ex/g" : "");
  };
  auto check = [&](const char* stage) {
    auto snap = st->snapshot();
    for (int mask = 0; mask < 16; ++mask) {
      rdf::Quad ref = quad(static_cast<int>(rng() % 3000));
      QuadIds pat;
      if (mask & 1) pat.s = snap->lookup(ref.s.view());
      if (mask & 2) pat.p = snap->lookup(ref.p.view());
      if (mask & 4) pat.o = snap->lookup(ref.o.view());
      if (mask & 8) pat.g = snap->lookup(ref.g.view());
      std::vector<QuadIds> want;
      auto c = snap->scan(pat);
      QuadIds q;
      while (c.next(&q)) want.push_back(q);
      for (size_t batch : {1, 2, 63, 64, 65, 1000}) {
        std::vector<QuadIds> got(batch);
        std::vector<QuadIds> all;
        auto b = snap->scan(pat);
        size_t n;
        while ((n = b.nextBatch(got.data(), batch)) > 0) {
          ASSERT_LE(n, batch);
          all.insert(all.end(), got.begin(), got.begin() + static_cast<ptrdiff_t>(n));
        }
        ASSERT_EQ(all.size(), want.size()) << stage << " mask " << mask << " batch " << batch;
        for (size_t i = 0; i < all.size(); ++i)
          ASSERT_TRUE(all[i] == want[i]) << stage << " mask " << mask << " batch " << batch << " at " << i;
      }
    }
  };
  {
    auto txn = st->begin();
    for (int i = 0; i < 3000; ++i) ASSERT_TRUE(txn.value()->add(quad(i).view()).isOk());
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  ASSERT_EQ(st->stats().delta_quads, 0u);
  check("runs only");
  {
    auto txn = st->begin();
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE(txn.value()->remove(quad(static_cast<int>(rng() % 3000)).view()).isOk());
      ASSERT_TRUE(txn.value()->add(Q("http://ex/s" + std::to_string(i), "http://ex/p1",
                                     rdf::Term::literal("new" + std::to_string(i))).view()).isOk());
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  ASSERT_GT(st->stats().delta_quads, 0u);
  check("runs and delta");
  Store::setMinCompactionForTesting(200000);
}

// A read-only open while another handle commits sees one snapshot: meta, term blocks and the
// batch log are read in one SQLite read transaction. Without it, a commit between reading
// the meta row and replaying the batches made the open fail ("index holds N quads but the
// database says M"), which `weft query` hit beside a streaming writer.
TEST(Store, ReadOnlyOpenDuringCommitsSeesOneSnapshot) {
  std::string dir = tempDir("concurrent-open");
  auto w = Store::open(dir, OpenMode::kCreateIfMissing);
  ASSERT_TRUE(w.isOk()) << w.status().message();
  constexpr int kCommits = 400;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kCommits; ++i) {
      auto txn = w.value()->begin();
      if (!txn.isOk()) break;
      // New terms in every commit, so term blocks and the batch log both grow.
      for (int k = 0; k < 3; ++k)
        (void)txn.value()->add(Q("http://ex/s" + std::to_string(i), "http://ex/p" + std::to_string(k),
                                 rdf::Term::literal("v" + std::to_string(i * 3 + k)), "")
                                   .view());
      if (!txn.value()->commit().isOk()) break;
    }
    done = true;
  });
  int opens = 0, failures = 0;
  uint64_t last = 0;
  std::string firstError;
  while (!done) {
    auto r = Store::open(dir, OpenMode::kReadOnly);
    ++opens;
    if (!r.isOk()) {
      if (failures++ == 0) firstError = r.status().message();
      continue;
    }
    uint64_t n = r.value()->snapshot()->size();
    EXPECT_EQ(n % 3, 0u) << "a snapshot holds part of a transaction";
    EXPECT_GE(n, last) << "a later open saw fewer quads";
    last = n;
  }
  writer.join();
  EXPECT_GT(opens, 5);
  EXPECT_EQ(failures, 0) << failures << " of " << opens << " opens failed, first: " << firstError;
  auto r = Store::open(dir, OpenMode::kReadOnly);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()->snapshot()->size(), 3u * kCommits);
  r.value().reset();
  w.value().reset();
  fs::remove_all(dir);
}
