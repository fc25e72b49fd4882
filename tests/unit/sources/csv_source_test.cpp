// SPDX-License-Identifier: Apache-2.0
// Tests of the CSV/TSV logical source (engine/sources/csv_source.cpp):
// RFC 4180 quoting, line breaks, dialects, nulls, ragged rows, encodings and
// compression through files, and chunk boundaries everywhere.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <string>
#include <vector>

#include "engine/sources/internal/csv_reader.h"
#include "engine/sources/source.h"
#include "tests/unit/scratch.h"

using namespace weft;
using namespace weft::sources;

namespace {

using Rows = std::vector<std::vector<std::string>>;
constexpr const char* kNull = "<null>";

using weft::testutil::tempPath;
using weft::testutil::writeFile;

// Reads every record, asking for each of `columns`; null values as kNull.
Result<Rows> readSource(Source& src, const std::vector<std::string>& columns) {
  std::vector<RefId> ids;
  for (const std::string& c : columns) {
    RefId id = 0;
    WEFT_TRY(src.compile(c, &id));
    ids.push_back(id);
  }
  Rows rows;
  std::vector<Value> vals;
  for (;;) {
    bool has = false;
    WEFT_TRY(src.next(&has));
    if (!has) break;
    std::vector<std::string> row;
    for (RefId id : ids) {
      vals.clear();
      WEFT_TRY(src.values(id, &vals));
      if (vals.empty()) {
        row.push_back(kNull);
      } else {
        EXPECT_EQ(vals.size(), 1u);
        EXPECT_EQ(vals[0].kind, ValueKind::kString);
        row.push_back(vals[0].text);
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Parses `text` from memory with every chunk size in a small set, checking
// all give the same answer; returns that answer.
Result<Rows> parse(const std::string& text, const std::vector<std::string>& columns, SourceSpec spec = {}) {
  Result<Rows> first = Status::internal("unset");
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{1} << 20}) {
    internal::CsvOptions opt;
    opt.chunk_bytes = chunk;
    auto src = internal::openCsvMemory(spec, text, "t.csv", opt);
    Result<Rows> r = src ? readSource(**src, columns) : Result<Rows>(src.status());
    if (chunk == 1) {
      first = std::move(r);
      continue;
    }
    EXPECT_EQ(r.isOk(), first.isOk()) << "chunk " << chunk << ": " << r.status().toString();
    if (r.isOk() && first.isOk()) {
      EXPECT_EQ(*r, *first) << "chunk " << chunk;
    }
    if (!r.isOk() && !first.isOk()) {
      EXPECT_EQ(r.status().message(), first.status().message());
    }
  }
  return first;
}

}  // namespace

TEST(Csv, Simple) {
  auto r = parse("id,name,age\n0,Monica Geller,33\n1,Rachel Green,34\n", {"name", "id", "age"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"Monica Geller", "0", "33"}, {"Rachel Green", "1", "34"}}));
}

TEST(Csv, NoFinalNewlineAndCrlf) {
  auto r = parse("a,b\r\n1,2\r\n3,4", {"a", "b"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", "2"}, {"3", "4"}}));
  auto r2 = parse("a,b\r1,2\r3,4\r", {"a", "b"});  // old Mac line ends
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(*r2, (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST(Csv, Quoting) {
  std::string text =
      "k,v\n"
      "1,\"a, b\"\n"
      "2,\"say \"\"hi\"\"\"\n"
      "3,\"line1\nline2\r\nline3\"\n"
      "4,\"\"\n"
      "5,\"\"\"\"\n"
      "6,5\" screen\n"
      "\"7\",\"x\"\r\n";
  auto r = parse(text, {"k", "v"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", "a, b"},
                      {"2", "say \"hi\""},
                      {"3", "line1\nline2\r\nline3"},
                      {"4", ""},
                      {"5", "\""},
                      {"6", "5\" screen"},
                      {"7", "x"}}));
}

TEST(Csv, QuotedHeaderAndEmptyFields) {
  auto r = parse("\"Country Code\",Name,\"ISO 3166\"\n1,,\n,,\n", {"Country Code", "Name", "ISO 3166"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", "", ""}, {"", "", ""}}));
}

TEST(Csv, UnterminatedQuoteIsAnError) {
  auto r = parse("a,b\n1,\"open\n2,3\n", {"a"});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kSyntaxError);
  EXPECT_NE(r.status().message().find("t.csv line 2"), std::string::npos) << r.status().message();
}

TEST(Csv, GarbageAfterClosingQuoteIsAnError) {
  auto r = parse("a,b\n1,\"x\"y\n", {"a"});
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("after a closing quote"), std::string::npos) << r.status().message();
}

TEST(Csv, BlankLinesAreSkipped) {
  auto r = parse("a,b\n\n1,2\r\n\r\n\n3,4\n\n", {"a", "b"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST(Csv, RaggedRowsAreErrors) {
  auto r = parse("a,b\n1,2\n3\n", {"a"});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "t.csv row 2 (line 3): 1 field, but the header has 2 columns");
  auto r2 = parse("a,b\n1,2,3\n", {"a"});
  ASSERT_FALSE(r2.isOk());
  EXPECT_NE(r2.status().message().find("row 1 (line 2): 3 fields"), std::string::npos) << r2.status().message();
  // Line numbers count the breaks inside quoted fields.
  auto r3 = parse("a,b\n\"x\ny\",2\n3\n", {"a"});
  ASSERT_FALSE(r3.isOk());
  EXPECT_NE(r3.status().message().find("row 2 (line 4)"), std::string::npos) << r3.status().message();
}

TEST(Csv, UnknownColumnListsColumns) {
  auto src = internal::openCsvMemory({}, "id,name\n1,x\n", "f.csv");
  ASSERT_TRUE(src.isOk());
  RefId id;
  Status s = (*src)->compile("nme", &id);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "f.csv: unknown column 'nme'; the columns are: 'id', 'name'");
}

TEST(Csv, HeaderOnlyAndEmptyFile) {
  auto r = parse("id,name\n", {"id", "name"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_TRUE(r->empty());
  auto r2 = parse("id,name", {"id"});
  ASSERT_TRUE(r2.isOk());
  EXPECT_TRUE(r2->empty());
  auto r3 = parse("", {"anything"});
  ASSERT_TRUE(r3.isOk()) << r3.status().toString();
  EXPECT_TRUE(r3->empty());
}

TEST(Csv, Nulls) {
  // RML-IO RMLSTC0004a-c: Friends-NULL.csv ends with "5,,".
  std::string text = "id,name,age\n4,Ross Geller,37\n5,,\n6,NULL,NULL\n";
  auto none = parse(text, {"id", "name", "age"});
  ASSERT_TRUE(none.isOk());
  EXPECT_EQ((*none)[1], (std::vector<std::string>{"5", "", ""}));  // empty is not null by default
  SourceSpec s;
  s.nulls = {""};
  auto empty = parse(text, {"id", "name", "age"}, s);
  ASSERT_TRUE(empty.isOk());
  EXPECT_EQ((*empty)[1], (std::vector<std::string>{"5", kNull, kNull}));
  EXPECT_EQ((*empty)[2], (std::vector<std::string>{"6", "NULL", "NULL"}));
  s.nulls = {"", "NULL"};
  auto both = parse(text, {"id", "name", "age"}, s);
  ASSERT_TRUE(both.isOk());
  EXPECT_EQ((*both)[2], (std::vector<std::string>{"6", kNull, kNull}));
  EXPECT_EQ((*both)[0], (std::vector<std::string>{"4", "Ross Geller", "37"}));
}

TEST(Csv, TsvAndOtherDialects) {
  SourceSpec tsv;
  tsv.delimiter = '\t';
  auto r = parse("a\tb\n1\t x, y \n", {"a", "b"}, tsv);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", " x, y "}}));

  SourceSpec semi;
  semi.delimiter = ';';
  semi.quote = '\'';
  auto r2 = parse("a;b\n'x;y';'it''s'\n", {"a", "b"}, semi);
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(*r2, (Rows{{"x;y", "it's"}}));

  SourceSpec bad;
  bad.quote = ',';
  EXPECT_FALSE(internal::openCsvMemory(bad, "a\n", "x.csv").isOk());
}

TEST(Csv, Trim) {
  SourceSpec s;
  s.trim = true;
  auto r = parse(" a , b \n  1  ,  \"x \"  \n", {"a", "b"}, s);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", "x "}}));
  // Blanks after a closing quote at the end of a chunk (found by fuzz_csv).
  SourceSpec semi = s;
  semi.delimiter = ';';
  auto r2 = parse(" a ; b \n 0x  ; \"y\"   ", {"a", "b"}, semi);
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(*r2, (Rows{{"0x", "y"}}));
  auto untrimmed = parse(" a , b \n  1  ,x\n", {" a ", " b "});
  ASSERT_TRUE(untrimmed.isOk()) << untrimmed.status().toString();
  EXPECT_EQ(*untrimmed, (Rows{{"  1  ", "x"}}));
}

TEST(Csv, NoHeader) {
  SourceSpec s;
  s.header = false;
  auto r = parse("1,a\n2,b\n", {"_col.1", "2"}, s);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1", "a"}, {"2", "b"}}));
  auto bad = parse("1,a\n", {"_col.3"}, s);
  EXPECT_FALSE(bad.isOk());
}

TEST(Csv, Position) {
  auto src = internal::openCsvMemory({}, "a\n1\n2\n", "f.csv");
  ASSERT_TRUE(src.isOk());
  bool has = false;
  ASSERT_TRUE((*src)->next(&has).isOk());
  ASSERT_TRUE((*src)->next(&has).isOk());
  EXPECT_EQ((*src)->position(), "f.csv row 2");
}

TEST(Csv, MaxRecordBytes) {
  SourceSpec s;
  s.max_record_bytes = 10;
  auto r = parse("a\nshort\n" + std::string(100, 'x') + "\n", {"a"}, s);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("longer than 10 bytes"), std::string::npos) << r.status().message();
}

TEST(Csv, BomAndUtf16AndLatin1) {
  auto r = parse("\xEF\xBB\xBFid,name\n1,x\n", {"id"});
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(*r, (Rows{{"1"}}));

  std::string u16("\xFF\xFE", 2);
  for (char c : std::string("id,n\n1,\"\xE9\"\n")) {
    u16 += c;
    u16 += '\0';
  }
  // "\xE9" above is a single code unit U+00E9 (Latin-1 byte widened).
  auto r2 = parse(u16, {"id", "n"});
  ASSERT_TRUE(r2.isOk()) << r2.status().toString();
  EXPECT_EQ(*r2, (Rows{{"1", "\xC3\xA9"}}));

  SourceSpec latin;
  latin.encoding = "ISO-8859-1";
  auto r3 = parse("id,n\n1,caf\xE9\n", {"n"}, latin);
  ASSERT_TRUE(r3.isOk()) << r3.status().toString();
  EXPECT_EQ(*r3, (Rows{{"caf\xC3\xA9"}}));

  auto bad = parse("id,n\n1,caf\xE9\n", {"n"});  // declared UTF-8
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("offset 10"), std::string::npos) << bad.status().message();
}

TEST(Csv, FilesPlainGzipAndMissing) {
  std::string text = "id,name\n1,\"A, B\"\n2,C\n";
  std::string plain = writeFile("people.csv", text);
  std::string gz = tempPath("people.csv.gz");
  gzFile g = gzopen(gz.c_str(), "wb");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  for (const std::string& path : {plain, gz}) {
    SourceSpec s;
    s.path = path;
    auto src = openCsv(s);
    ASSERT_TRUE(src.isOk()) << src.status().toString();
    auto rows = readSource(**src, {"name"});
    ASSERT_TRUE(rows.isOk()) << rows.status().toString();
    EXPECT_EQ(*rows, (Rows{{"A, B"}, {"C"}}));
    EXPECT_EQ((*src)->position().substr(0, 10), "people.csv");
  }
  SourceSpec missing;
  missing.path = tempPath("missing.csv");
  auto m = openCsv(missing);
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("missing.csv"), std::string::npos);
}

TEST(Csv, LargeFileAcrossChunks) {
  std::string text = "i,sq,label\n";
  for (int i = 0; i < 200000; ++i) {
    text += std::to_string(i) + "," + std::to_string(i * 7) + ",\"l " + std::to_string(i) + "\"\n";
  }
  std::string path = writeFile("large.csv", text);
  SourceSpec s;
  s.path = path;
  auto src = openCsv(s);
  ASSERT_TRUE(src.isOk());
  RefId a, c;
  ASSERT_TRUE((*src)->compile("i", &a).isOk());
  ASSERT_TRUE((*src)->compile("label", &c).isOk());
  std::vector<Value> v;
  long n = 0;
  for (;;) {
    bool has = false;
    ASSERT_TRUE((*src)->next(&has).isOk());
    if (!has) break;
    v.clear();
    ASSERT_TRUE((*src)->values(a, &v).isOk());
    ASSERT_TRUE((*src)->values(c, &v).isOk());
    ASSERT_EQ(v.size(), 2u);
    ASSERT_EQ(v[0].text, std::to_string(n));
    ASSERT_EQ(v[1].text, "l " + std::to_string(n));
    ++n;
  }
  EXPECT_EQ(n, 200000);
}

// The RML-IO CSV source cases, when the conformance data is present.
TEST(Csv, RmlIoFriendsNull) {
  const std::string path =
      std::string(WEFT_SOURCE_DIR) + "/../shared/conformance/rml/rml-io/test-cases/RMLSTC0004a/Friends-NULL.csv";
  if (access(path.c_str(), R_OK) != 0) GTEST_SKIP() << "no conformance data";
  SourceSpec s;
  s.path = path;
  s.nulls = {""};
  auto src = openCsv(s);
  ASSERT_TRUE(src.isOk());
  auto rows = readSource(**src, {"id", "name", "age"});
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 6u);
  EXPECT_EQ(rows->back(), (std::vector<std::string>{"5", kNull, kNull}));
}
