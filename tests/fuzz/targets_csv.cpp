// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the byte input layer and the CSV logical source
// (engine/sources/input.cpp, engine/sources/csv_source.cpp), parsed from
// memory through internal::openCsvMemory so no file I/O is needed.
//
// Input layout: byte 0 picks the dialect (bits 0-1 delimiter , ; TAB |,
// bits 2-3 quote " ' none ", bit 4 header, bit 5 trim, bits 6-7 nulls:
// none, "", "NULL", both); byte 1 picks the encoding (bits 0-1: UTF-8,
// UTF-16, ISO-8859-1, windows-1252) and the chunk size (bits 2-7: 1..64
// bytes); the rest is the file.
//
// Invariants: the decoded text is the same for both chunk sizes and valid
// UTF-8; every value is valid UTF-8; the file read in small chunks and in
// one read gives the same records and values, or the same error. When the
// bytes do not decode, the decoding error surfaces when its chunk is read,
// so the two runs may stop at different records: then both must fail and
// one's records must be a prefix of the other's.
#include "tests/fuzz/targets.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sources/internal/csv_reader.h"
#include "engine/sources/internal/input_stream.h"
#include "engine/sources/source.h"

namespace weft::fuzz {
namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in fuzz_csv: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      unsigned d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

struct Run {
  std::string records;  // compile results, then one line per record
  std::string error;    // empty when the whole file was read
};

// Everything the source yields.
Run runCsv(const sources::SourceSpec& spec, std::string_view text, size_t chunk) {
  sources::internal::CsvOptions opt;
  opt.chunk_bytes = chunk;
  auto src = sources::internal::openCsvMemory(spec, text, "fuzz.csv", opt);
  if (!src) return {"", "open error: " + src.status().toString()};
  sources::Source& s = **src;
  std::string out;
  std::vector<sources::RefId> ids;
  // Header names are unknown to us: try the first 16 columns by number (no
  // header) and a few likely names (header).
  for (std::string ref : {"_col.1", "2", "_col.3", "a", "b", "id", "", "NULL", "_col.16"}) {
    sources::RefId id = 0;
    Status st = s.compile(ref, &id);
    out += st.isOk() ? "+" : "-";
    if (st.isOk()) ids.push_back(id);
  }
  out += "\n";
  std::vector<sources::Value> vals;
  for (int rows = 0; rows < 100000; ++rows) {
    bool has = false;
    Status st = s.next(&has);
    if (!st.isOk()) return {out, "error: " + st.toString()};
    if (!has) break;
    out += s.position();
    for (sources::RefId id : ids) {
      vals.clear();
      st = s.values(id, &vals);
      if (!st.isOk()) fail("values() failed: " + st.toString());
      if (vals.size() > 1) fail("a CSV reference gave several values");
      for (const sources::Value& v : vals) {
        if (!validUtf8(v.text)) fail("value is not valid UTF-8");
        if (v.kind != sources::ValueKind::kString) fail("CSV value not kString");
        out += "|" + v.text;
      }
      if (vals.empty()) out += "|<null>";
    }
    out += "\n";
  }
  return {out, ""};
}

// The decoded text, or "error: ..." with *ok false.
std::string decodeAll(std::string_view bytes, const std::string& enc, size_t chunk, bool* ok) {
  *ok = false;
  auto in = sources::internal::decodeInput(sources::internal::memoryByteReader(bytes), enc, "fuzz");
  if (!in) return "error: " + in.status().toString();
  std::string out;
  bool eof = false;
  for (size_t guard = 0; !eof; ++guard) {
    if (guard > bytes.size() * 4 + 64) fail("decoder makes no progress");
    Status st = (*in)->read(chunk, &out, &eof);
    if (!st.isOk()) return "error: " + st.toString();
  }
  if (!validUtf8(out)) fail("decoded text is not valid UTF-8");
  *ok = true;
  return out;
}

}  // namespace

int fuzzOneCsv(const uint8_t* data, size_t size) {
  if (size < 2 || size > (size_t{1} << 20)) return 0;
  uint8_t dialect = data[0], other = data[1];
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);

  static const char kDelims[] = {',', ';', '\t', '|'};
  static const char kQuotes[] = {'"', '\'', '\0', '"'};
  static const char* kEncodings[] = {"", "UTF-16", "ISO-8859-1", "windows-1252"};
  sources::SourceSpec spec;
  spec.delimiter = kDelims[dialect & 3];
  spec.quote = kQuotes[(dialect >> 2) & 3];
  spec.header = (dialect & 16) != 0;
  spec.trim = (dialect & 32) != 0;
  if (dialect & 64) spec.nulls.push_back("");
  if (dialect & 128) spec.nulls.push_back("NULL");
  spec.encoding = kEncodings[other & 3];
  size_t chunk = 1 + (other >> 2);
  size_t whole = text.size() + 16;  // the whole input in one read

  bool small_ok = false, decodes = false;
  std::string small = decodeAll(text, spec.encoding, chunk, &small_ok);
  std::string big = decodeAll(text, spec.encoding, whole, &decodes);
  if (small != big || small_ok != decodes) fail("decoding depends on the chunk size");

  Run a = runCsv(spec, text, chunk);
  Run b = runCsv(spec, text, whole);
  bool same = a.records == b.records && a.error == b.error;
  if (!decodes && !same) {
    const std::string& shorter = a.records.size() < b.records.size() ? a.records : b.records;
    const std::string& longer = a.records.size() < b.records.size() ? b.records : a.records;
    same = !a.error.empty() && !b.error.empty() && longer.compare(0, shorter.size(), shorter) == 0;
  }
  if (!same) {
    fail("CSV records depend on the chunk size:\n--- small chunks\n" + a.records + a.error + "\n--- one chunk\n" +
         b.records + b.error);
  }
  return 0;
}

}  // namespace weft::fuzz
