// SPDX-License-Identifier: Apache-2.0
// Tests of the connectors' shared helpers (connectors/internal/files.h):
// reading a document whole, file names, the BOM, CSV records and headers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/internal/files.h"

namespace weft::connectors::internal {
namespace {

namespace fs = std::filesystem;

using Fields = std::vector<std::string>;

TEST(ConnectorFiles, ReadAllReturnsTheBytes) {
  const fs::path dir = fs::temp_directory_path() / ("weft_files_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / "doc.bin";
  std::string bytes = "a,b\r\n\0x\n";
  bytes += std::string(200000, 'z');  // more than one read chunk
  {
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto got = readAll(p.string(), "doc.bin");
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  EXPECT_EQ(got.value(), bytes);

  auto missing = readAll((dir / "nope.csv").string(), "nope.csv");
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().message(), "nope.csv: cannot be read");
  fs::remove_all(dir);
}

TEST(ConnectorFiles, FileName) {
  EXPECT_EQ(fileName("a/b/tags.csv"), "tags.csv");
  EXPECT_EQ(fileName("tags.csv"), "tags.csv");
  EXPECT_EQ(fileName("c:\\x\\timeseries_202503.csv"), "timeseries_202503.csv");
  EXPECT_EQ(fileName("a/b/"), "");
  EXPECT_EQ(fileName(""), "");
}

TEST(ConnectorFiles, StripBom) {
  EXPECT_EQ(stripBom("\xEF\xBB\xBFtag"), "tag");
  EXPECT_EQ(stripBom("tag"), "tag");
  EXPECT_EQ(stripBom("\xEF\xBB"), "\xEF\xBB");
}

TEST(ConnectorFiles, SplitCsvRecord) {
  EXPECT_EQ(splitCsvRecord("a,b,,c"), (Fields{"a", "b", "", "c"}));
  EXPECT_EQ(splitCsvRecord("\"x,y\",\"say \"\"hi\"\"\",z"), (Fields{"x,y", "say \"hi\"", "z"}));
  EXPECT_EQ(splitCsvRecord("\"two\nlines\",2"), (Fields{"two\nlines", "2"}));
  EXPECT_EQ(splitCsvRecord(""), (Fields{""}));
  EXPECT_EQ(splitCsvRecord(" a , b"), (Fields{" a ", " b"}));  // not trimmed
}

TEST(ConnectorFiles, CsvHeaderFields) {
  EXPECT_EQ(csvHeaderFields("\xEF\xBB\xBFMATNR,\"GTIN\"\r\n1,2\n"), (Fields{"MATNR", "GTIN"}));
  EXPECT_EQ(csvHeaderFields("MATNR,GTIN"), (Fields{"MATNR", "GTIN"}));
}

TEST(ConnectorFiles, CsvHeaderKey) {
  EXPECT_EQ(csvHeaderKey("\xEF\xBB\xBFTag, \"Timestamp\",Value,QUALITY\r\nx,y\n"), "tag,timestamp,value,quality");
  EXPECT_EQ(csvHeaderKey("tag,description\nT1,d\n"), "tag,description");
  EXPECT_EQ(csvHeaderKey(""), "");
}

}  // namespace
}  // namespace weft::connectors::internal
