// SPDX-License-Identifier: Apache-2.0
// Tests for the SQL logical source (engine/sources/sql_source.cpp) over a
// SQLite database built here: tables and queries, column lookup as R2RML
// writes column names, the natural mapping of SQL values (R2RML 10.2),
// NULLs and errors.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "engine/sources/source.h"

namespace weft::sources {
namespace {

class SqlSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "weft_sql_test_XXXXXX";
    std::vector<char> dir_template(tmpl.begin(), tmpl.end());
    dir_template.push_back('\0');
    ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
    dir_ = dir_template.data();
    path_ = dir_ + "/test.sqlite";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    const char* sql = R"(
      CREATE TABLE "Patient" ("ID" INTEGER, "FirstName" VARCHAR(50), "Weight" REAL,
        "Height" FLOAT, "BirthDate" DATE, "EntranceDate" TIMESTAMP, "PaidInAdvance" BOOLEAN,
        "Photo" VARBINARY(200), "Balance" DECIMAL(10,2), PRIMARY KEY ("ID"));
      INSERT INTO "Patient" VALUES (10, 'Monica', 80.25, 1.65, '1981-10-10',
        '2009-10-10 12:12:22', FALSE, X'89504E47', 12.5);
      INSERT INTO "Patient" VALUES (11, 'Rachel', 70.22, 1.70, '1982-11-12',
        '2008-11-12 09:45:44', TRUE, X'00FF', 30);
      INSERT INTO "Patient" VALUES (12, NULL, NULL, 30, NULL, NULL, NULL, NULL, NULL);
      CREATE TABLE "Student Sport" (name TEXT, sport TEXT);
      INSERT INTO "Student Sport" VALUES ('Venus', 'Tennis');
    )";
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
  }
  void TearDown() override {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }

  SourceSpec spec(std::string query, bool table) const {
    SourceSpec s;
    s.kind = SourceSpec::Kind::kSql;
    s.path = path_;
    s.query = std::move(query);
    s.sql_is_table = table;
    return s;
  }

  // Values of one column over all rows ("-" for no value).
  std::vector<Value> column(const SourceSpec& s, const std::string& ref) {
    auto src = openSql(s);
    EXPECT_TRUE(src.isOk()) << src.status().message();
    if (!src.isOk()) return {};
    RefId id = 0;
    Status st = (*src)->compile(ref, &id);
    EXPECT_TRUE(st.isOk()) << st.message();
    std::vector<Value> out;
    bool has = false;
    while ((*src)->next(&has).isOk() && has) {
      std::vector<Value> vals;
      EXPECT_TRUE((*src)->values(id, &vals).isOk());
      EXPECT_LE(vals.size(), 1u);
      if (vals.empty()) {
        Value none;
        none.text = "-";
        none.datatype = "none";
        out.push_back(none);
      } else {
        out.push_back(vals[0]);
      }
    }
    return out;
  }

  std::vector<std::string> texts(const SourceSpec& s, const std::string& ref) {
    std::vector<std::string> out;
    for (const Value& v : column(s, ref)) out.push_back(v.text);
    return out;
  }

  std::string dir_;
  std::string path_;
};

using Strings = std::vector<std::string>;

TEST_F(SqlSourceTest, NaturalMapping) {
  SourceSpec s = spec("\"Patient\"", true);
  auto ids = column(s, "ID");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].text, "10");
  EXPECT_EQ(ids[0].kind, ValueKind::kInteger);

  auto weight = column(s, "Weight");
  EXPECT_EQ(weight[0].text, "8.025E1");
  EXPECT_EQ(weight[0].kind, ValueKind::kDouble);
  EXPECT_EQ(weight[2].datatype, "none");  // NULL gives no value
  EXPECT_EQ(texts(s, "Height"), (Strings{"1.65E0", "1.7E0", "3.0E1"}));

  auto paid = column(s, "PaidInAdvance");
  EXPECT_EQ(paid[0].text, "false");
  EXPECT_EQ(paid[1].text, "true");
  EXPECT_EQ(paid[0].kind, ValueKind::kBoolean);

  auto photo = column(s, "Photo");
  EXPECT_EQ(photo[0].kind, ValueKind::kBinary);
  EXPECT_EQ(photo[0].text, std::string("\x89PNG", 4));
  EXPECT_EQ(photo[1].text, std::string("\x00\xff", 2));

  auto balance = column(s, "Balance");
  EXPECT_EQ(balance[0].kind, ValueKind::kDecimal);
  EXPECT_EQ(balance[0].text, "12.5");
  EXPECT_EQ(balance[1].text, "30");

  auto birth = column(s, "BirthDate");
  EXPECT_EQ(birth[0].text, "1981-10-10");
  EXPECT_EQ(birth[0].kind, ValueKind::kString);
  EXPECT_EQ(birth[0].datatype, "http://www.w3.org/2001/XMLSchema#date");
  auto entrance = column(s, "EntranceDate");
  EXPECT_EQ(entrance[0].text, "2009-10-10T12:12:22");
  EXPECT_EQ(entrance[0].datatype, "http://www.w3.org/2001/XMLSchema#dateTime");

  auto name = column(s, "FirstName");
  EXPECT_EQ(name[0].kind, ValueKind::kString);
  EXPECT_EQ(name[0].datatype, "");
  EXPECT_EQ(name[1].text, "Rachel");
}

TEST_F(SqlSourceTest, DoubleCanonicalForm) {
  SourceSpec s = spec(
      "SELECT 0.0 AS v UNION ALL SELECT 30.0 UNION ALL SELECT -0.001 UNION ALL SELECT 1e300 "
      "UNION ALL SELECT 123456.789 UNION ALL SELECT 0.1",
      false);
  EXPECT_EQ(texts(s, "v"),
            (Strings{"0.0E0", "3.0E1", "-1.0E-3", "1.0E300", "1.23456789E5", "1.0E-1"}));
}

TEST_F(SqlSourceTest, ColumnNames) {
  SourceSpec s = spec("Patient", true);  // plain identifiers are case-insensitive in SQLite
  EXPECT_EQ(texts(s, "\"FirstName\""), (Strings{"Monica", "Rachel", "-"}));
  EXPECT_EQ(texts(s, "firstname"), (Strings{"Monica", "Rachel", "-"}));
  EXPECT_EQ(texts(s, "FIRSTNAME"), (Strings{"Monica", "Rachel", "-"}));

  auto src = openSql(s);
  ASSERT_TRUE(src.isOk());
  RefId id = 0;
  Status st = (*src)->compile("Surname", &id);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Surname"), std::string::npos);
  EXPECT_NE(st.message().find("FirstName"), std::string::npos) << st.message();

  // A table name with a space is quoted for the user.
  EXPECT_EQ(texts(spec("Student Sport", true), "sport"), (Strings{"Tennis"}));
}

TEST_F(SqlSourceTest, Queries) {
  SourceSpec s = spec(
      "SELECT ('Student' || \"ID\") AS \"StudentId\", \"FirstName\" FROM \"Patient\" "
      "WHERE \"ID\" < 12 ORDER BY \"ID\" DESC;",
      false);
  EXPECT_EQ(texts(s, "StudentId"), (Strings{"Student11", "Student10"}));
  EXPECT_EQ(texts(spec("SELECT \"FirstName\", COUNT(*) FROM \"Patient\" GROUP BY 1", false),
                  "COUNT(*)"),
            (Strings{"1", "1", "1"}));

  auto src = openSql(s);
  ASSERT_TRUE(src.isOk());
  EXPECT_EQ((*src)->position(), "test.sqlite");
  bool has = false;
  ASSERT_TRUE((*src)->next(&has).isOk());
  ASSERT_TRUE((*src)->next(&has).isOk());
  EXPECT_EQ((*src)->position(), "test.sqlite row 2");
  ASSERT_TRUE((*src)->next(&has).isOk());
  EXPECT_FALSE(has);
}

TEST_F(SqlSourceTest, EmptyResultStillHasColumns) {
  SourceSpec s = spec("SELECT \"ID\" FROM \"Patient\" WHERE 0", false);
  auto src = openSql(s);
  ASSERT_TRUE(src.isOk());
  RefId id = 0;
  ASSERT_TRUE((*src)->compile("ID", &id).isOk());
  bool has = true;
  ASSERT_TRUE((*src)->next(&has).isOk());
  EXPECT_FALSE(has);
}

TEST_F(SqlSourceTest, Nulls) {
  SourceSpec s = spec("\"Patient\"", true);
  s.nulls = {"Monica"};
  EXPECT_EQ(texts(s, "FirstName"), (Strings{"-", "Rachel", "-"}));
}

TEST_F(SqlSourceTest, Errors) {
  auto bad = openSql(spec("THIS IS NOT A VALID SQL QUERY", false));
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos)
      << bad.status().message();

  auto no_table = openSql(spec("Missing", true));
  ASSERT_FALSE(no_table.isOk());
  EXPECT_NE(no_table.status().message().find("no such table"), std::string::npos);

  auto write = openSql(spec("DELETE FROM \"Patient\"", false));
  EXPECT_FALSE(write.isOk());
  auto two = openSql(spec("SELECT 1; SELECT 2", false));
  EXPECT_FALSE(two.isOk());

  SourceSpec missing = spec("Patient", true);
  missing.path = dir_ + "/nothing.sqlite";
  auto m = openSql(missing);
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(access(missing.path.c_str(), F_OK), 0) << "must not create the database";
}

}  // namespace
}  // namespace weft::sources
