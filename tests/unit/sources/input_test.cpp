// SPDX-License-Identifier: Apache-2.0
// Tests of the byte input layer (engine/sources/input.cpp): plain, gzip, zip
// and tar.gz files, BOMs, UTF-8 validation, iconv decoding, split
// characters across chunks, missing files and size limits.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "engine/sources/input.h"
#include "engine/sources/internal/input_stream.h"
#include "tests/unit/scratch.h"

using namespace weft;
using namespace weft::sources;

namespace {

using weft::testutil::tempPath;
using weft::testutil::writeFile;

std::string writeGz(const std::string& name, const std::string& bytes) {
  std::string path = tempPath(name);
  gzFile g = gzopen(path.c_str(), "wb");
  gzwrite(g, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(g);
  return path;
}

SourceSpec spec(const std::string& path, const std::string& encoding = "", const std::string& compression = "") {
  SourceSpec s;
  s.path = path;
  s.encoding = encoding;
  s.compression = compression;
  return s;
}

// Reads a stream in chunks of `chunk` bytes.
Result<std::string> drain(InputStream& in, size_t chunk) {
  std::string out;
  bool eof = false;
  int guard = 0;
  while (!eof) {
    WEFT_TRY(in.read(chunk, &out, &eof));
    if (++guard > 1000000) return Status::internal("no progress");
  }
  return out;
}

Result<std::string> decodeMemory(const std::string& bytes, const std::string& enc, size_t chunk) {
  auto in = internal::decodeInput(internal::memoryByteReader(bytes), enc, "mem");
  if (!in) return in.status();
  return drain(**in, chunk);
}

}  // namespace

TEST(Input, PlainFile) {
  std::string p = writeFile("plain.txt", "hello, world\n");
  auto r = readAll(spec(p), 1000);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, "hello, world\n");
}

TEST(Input, EmptyFile) {
  std::string p = writeFile("empty.txt", "");
  auto r = readAll(spec(p), 1000);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, "");
}

TEST(Input, MissingFileIsNotFound) {
  auto r = readAll(spec(tempPath("nope.csv")), 1000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("nope.csv"), std::string::npos);
}

TEST(Input, DirectoryIsAnError) {
  auto r = readAll(spec(testing::TempDir()), 1000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(Input, LimitIsEnforced) {
  std::string p = writeFile("big.txt", std::string(5000, 'x'));
  auto r = readAll(spec(p), 100);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kAborted);
}

TEST(Input, GzipByMagicAndByName) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "row " + std::to_string(i) + "\n";
  std::string p = writeGz("data.csv.gz", text);
  for (const char* comp : {"", "none", "gzip", "http://w3id.org/rml/gzip"}) {
    auto r = readAll(spec(p, "", comp), size_t{1} << 30);
    ASSERT_TRUE(r.isOk()) << comp << ": " << r.status().toString();
    EXPECT_EQ(*r, text) << comp;
  }
}

TEST(Input, CorruptGzipIsAnError) {
  std::string p = writeGz("corrupt.gz", std::string(10000, 'a') + "tail");
  std::string bytes;
  {
    std::ifstream f(p, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  bytes.resize(bytes.size() / 2);  // truncated
  writeFile("corrupt.gz", bytes);
  auto r = readAll(spec(p), size_t{1} << 20);
  EXPECT_FALSE(r.isOk());
}

TEST(Input, CorruptTarXzAndUnknownCompression) {
  std::string p = writeFile("x.tar.xz", "whatever");
  auto r = readAll(spec(p, "", "tar.xz"), 1000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kSyntaxError) << r.status().toString();
  auto r2 = readAll(spec(p, "", "rar"), 1000);
  EXPECT_EQ(r2.status().code(), StatusCode::kUnsupported);
}

// A ustar header block for a regular file of `size` bytes.
static std::string tarHeader(const std::string& name, size_t size, char type) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), name.size());
  std::snprintf(h.data() + 100, 8, "%07o", 0644);
  std::snprintf(h.data() + 108, 8, "%07o", 0);
  std::snprintf(h.data() + 116, 8, "%07o", 0);
  std::snprintf(h.data() + 124, 12, "%011zo", size);
  std::snprintf(h.data() + 136, 12, "%011o", 0);
  h[156] = type;
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  h[155] = ' ';
  return h;
}

TEST(Input, TarGz) {
  std::string content = "id,name\n1,Ann\n";
  std::string tar = tarHeader("dir/", 0, '5') + tarHeader("f.csv", content.size(), '0') + content;
  tar.append(512 - content.size() % 512, '\0');
  tar.append(1024, '\0');
  std::string p = writeGz("f.tar.gz", tar);
  auto r = readAll(spec(p, "", "targz"), 1 << 20);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, content);
  // Not a tar archive.
  std::string q = writeGz("g.tar.gz", std::string(2048, 'z'));
  EXPECT_FALSE(readAll(spec(q, "", "tar.gz"), 1 << 20).isOk());
}

TEST(Input, ZipStoredAndDeflated) {
  std::string content = "id,name\n1,Ann\n2,Bob\n";
  auto le16 = [](std::string& s, unsigned v) {
    s += static_cast<char>(v & 0xFF);
    s += static_cast<char>((v >> 8) & 0xFF);
  };
  auto le32 = [&](std::string& s, unsigned v) {
    le16(s, v & 0xFFFF);
    le16(s, v >> 16);
  };
  auto entry = [&](unsigned method, const std::string& data) {
    std::string z = "PK\x03\x04";
    le16(z, 20);
    le16(z, 0);
    le16(z, method);
    le32(z, 0);
    le32(z, 0);  // crc (not checked)
    le32(z, static_cast<unsigned>(data.size()));
    le32(z, static_cast<unsigned>(content.size()));
    le16(z, 5);
    le16(z, 0);
    z += "f.csv";
    z += data;
    z += "PK\x05\x06";
    z.append(18, '\0');
    return z;
  };
  std::string stored = writeFile("s.zip", entry(0, content));
  auto r = readAll(spec(stored, "", "zip"), 1 << 20);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, content);

  // Raw deflate (windowBits -15).
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(1024, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(content.data());
  zs.avail_in = static_cast<uInt>(content.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  std::string deflated = writeFile("d.zip", entry(8, out));
  auto r2 = readAll(spec(deflated, "", "zip"), 1 << 20);
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(*r2, content);

  std::string bad = writeFile("bad.zip", "not a zip at all");
  EXPECT_FALSE(readAll(spec(bad, "", "zip"), 1 << 20).isOk());
}

TEST(Input, Utf8BomIsStripped) {
  auto r = decodeMemory("\xEF\xBB\xBF" "a,b\n", "", 1);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, "a,b\n");
  // Declared Latin-1, but the BOM wins.
  auto r2 = decodeMemory("\xEF\xBB\xBF" "\xC3\xA9", "ISO-8859-1", 3);
  ASSERT_TRUE(r2.isOk());
  EXPECT_EQ(*r2, "\xC3\xA9");
}

TEST(Input, Utf8SplitAcrossChunks) {
  std::string text = "na\xC3\xAFve \xE2\x82\xAC \xF0\x9F\x98\x80 end";
  for (size_t chunk : {1, 2, 3, 5, 7, 64}) {
    auto r = decodeMemory(text, "UTF-8", chunk);
    ASSERT_TRUE(r.isOk()) << chunk << ": " << r.status().toString();
    EXPECT_EQ(*r, text);
  }
}

TEST(Input, InvalidUtf8GivesOffset) {
  for (const char* bad : {"abc\xFF" "def", "abc\xC0\xAF", "abc\xED\xA0\x80", "abc\xF4\x90\x80\x80", "abc\xE2\x82"}) {
    for (size_t chunk : {1, 2, 100}) {
      auto r = decodeMemory(bad, "", chunk);
      ASSERT_FALSE(r.isOk()) << bad;
      EXPECT_EQ(r.status().code(), StatusCode::kSyntaxError);
      EXPECT_NE(r.status().message().find("offset 3"), std::string::npos) << r.status().message();
    }
  }
}

TEST(Input, Utf16WithBom) {
  std::string le = std::string("\xFF\xFE", 2) + std::string("a\0\xE9\0,\0\xAC\x20\n\0", 10);
  std::string be = std::string("\xFE\xFF", 2) + std::string("\0a\0\xE9\0,\x20\xAC\0\n", 10);
  for (size_t chunk : {1, 3, 100}) {
    for (const char* enc : {"", "UTF-8", "UTF-16"}) {
      auto r = decodeMemory(le, enc, chunk);
      ASSERT_TRUE(r.isOk()) << r.status().toString();
      EXPECT_EQ(*r, "a\xC3\xA9,\xE2\x82\xAC\n");
      auto r2 = decodeMemory(be, enc, chunk);
      ASSERT_TRUE(r2.isOk()) << r2.status().toString();
      EXPECT_EQ(*r2, "a\xC3\xA9,\xE2\x82\xAC\n");
    }
  }
}

TEST(Input, Utf16Errors) {
  // A lone high surrogate, then an odd trailing byte.
  std::string lone = std::string("\xFF\xFE" "a\0\x00\xD8" "b\0", 8);
  auto r = decodeMemory(lone, "", 2);
  ASSERT_FALSE(r.isOk());
  std::string odd = std::string("\xFF\xFE" "a\0b", 5);
  auto r2 = decodeMemory(odd, "", 2);
  ASSERT_FALSE(r2.isOk());
  EXPECT_NE(r2.status().message().find("offset 4"), std::string::npos) << r2.status().message();
}

TEST(Input, Latin1AndWindows1252) {
  auto r = decodeMemory("caf\xE9 \xA3", "ISO-8859-1", 2);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, "caf\xC3\xA9 \xC2\xA3");
  auto r2 = decodeMemory("\x80 5", "windows-1252", 1);
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(*r2, "\xE2\x82\xAC 5");
  auto r3 = decodeMemory("x", "no-such-encoding-42", 1);
  ASSERT_FALSE(r3.isOk());
  EXPECT_EQ(r3.status().code(), StatusCode::kUnsupported);
}

TEST(Input, Utf16FileThroughOpenInput) {
  std::string le = std::string("\xFF\xFE", 2) + std::string("h\0i\0\n\0", 6);
  std::string p = writeGz("u16.json.gz", le);
  auto r = readAll(spec(p, "http://w3id.org/rml/UTF-16"), 1000);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, "hi\n");
}

// The RML-IO source test cases that exercise compression and encodings, when
// the conformance data is present.
TEST(Input, RmlIoTestCases) {
  const std::string base = std::string(WEFT_SOURCE_DIR) + "/../shared/conformance/rml/rml-io/test-cases/";
  if (access((base + "RMLSTC0002a/Friends.json").c_str(), R_OK) != 0) GTEST_SKIP() << "no conformance data";
  auto plain = readAll(spec(base + "RMLSTC0002a/Friends.json"), 1 << 20);
  ASSERT_TRUE(plain.isOk());
  struct Case {
    const char* file;
    const char* compression;
    const char* encoding;
    bool supported;
  } cases[] = {
      {"RMLSTC0002b/Friends.json.gz", "http://w3id.org/rml/gzip", "", true},
      {"RMLSTC0002c/Friends.json.zip", "http://w3id.org/rml/zip", "", true},
      {"RMLSTC0002e/Friends.json.tar.gz", "http://w3id.org/rml/targz", "", true},
      {"RMLSTC0002d/Friends.json.tar.xz", "http://w3id.org/rml/tarxz", "", true},
  };
  for (const Case& c : cases) {
    auto r = readAll(spec(base + c.file, c.encoding, c.compression), 1 << 20);
    if (!c.supported) {
      EXPECT_EQ(r.status().code(), StatusCode::kUnsupported) << c.file;
      continue;
    }
    ASSERT_TRUE(r.isOk()) << c.file << ": " << r.status().toString();
    EXPECT_EQ(*r, *plain) << c.file;
  }
  auto u16 = readAll(spec(base + "RMLSTC0001b/Friends-UTF16.json", "http://w3id.org/rml/UTF-16"), 1 << 20);
  ASSERT_TRUE(u16.isOk()) << u16.status().toString();
  EXPECT_NE(u16->find("\"name\""), std::string::npos);
}
