// SPDX-License-Identifier: Apache-2.0
// Tests for the XML logical source (engine/sources/xml_source.cpp): XPath 1.0
// iterators and references, namespaces, both evaluation strategies (tree and
// streaming) agreeing, positions, errors, and the libxml2 safety settings.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "engine/sources/internal/xml_source.h"
#include "engine/sources/source.h"

namespace weft::sources {
namespace {

using internal::openXmlMemory;
using internal::XmlMode;

const char* const kStudents = R"(<?xml version="1.0"?>
<students>
  <student id="s1">
    <ID>10</ID>
    <Name>Venus Williams</Name>
    <skills><skill>tennis</skill><skill>golf</skill></skills>
  </student>
  <student id="s2">
    <ID>20</ID>
    <Name>Fernando Alonso</Name>
    <skills/>
  </student>
  <teacher><ID>99</ID></teacher>
  <student id="s3">
    <ID>30</ID>
    <Name><![CDATA[David <Villa>]]></Name>
  </student>
</students>
)";

SourceSpec spec(std::string iterator) {
  SourceSpec s;
  s.kind = SourceSpec::Kind::kXml;
  s.path = "students.xml";
  s.iterator = std::move(iterator);
  return s;
}

// Reads every record: for each, the values of each reference joined by '|',
// references separated by ';'.
std::vector<std::string> readAll(Source& src, const std::vector<std::string>& refs,
                                 std::vector<std::string>* positions = nullptr) {
  std::vector<RefId> ids;
  for (const std::string& r : refs) {
    RefId id = 0;
    Status st = src.compile(r, &id);
    EXPECT_TRUE(st.isOk()) << r << ": " << st.message();
    ids.push_back(id);
  }
  std::vector<std::string> rows;
  bool has = false;
  std::vector<Value> vals;
  while (true) {
    Status st = src.next(&has);
    EXPECT_TRUE(st.isOk()) << st.message();
    if (!st.isOk() || !has) break;
    std::string row;
    for (size_t i = 0; i < ids.size(); ++i) {
      vals.clear();
      Status vs = src.values(ids[i], &vals);
      EXPECT_TRUE(vs.isOk()) << vs.message();
      if (i > 0) row += ";";
      for (size_t j = 0; j < vals.size(); ++j) {
        EXPECT_EQ(vals[j].kind, ValueKind::kString);
        if (j > 0) row += "|";
        row += vals[j].text;
      }
    }
    rows.push_back(row);
    if (positions != nullptr) positions->push_back(src.position());
  }
  return rows;
}

std::vector<std::string> run(const SourceSpec& s, const std::string& doc,
                             const std::vector<std::string>& refs, XmlMode mode,
                             std::vector<std::string>* positions = nullptr) {
  auto src = openXmlMemory(s, doc, mode);
  EXPECT_TRUE(src.isOk()) << src.status().message();
  if (!src.isOk()) return {};
  return readAll(**src, refs, positions);
}

TEST(XmlSource, IteratesRecordsInBothModes) {
  std::vector<std::string> refs = {"ID", "Name", "@id", "skills/skill", "Name/text()"};
  for (XmlMode mode : {XmlMode::kDom, XmlMode::kStream, XmlMode::kAuto}) {
    std::vector<std::string> pos;
    auto rows = run(spec("/students/student"), kStudents, refs, mode, &pos);
    EXPECT_EQ(rows, (std::vector<std::string>{"10;Venus Williams;s1;tennis|golf;Venus Williams",
                                              "20;Fernando Alonso;s2;;Fernando Alonso",
                                              "30;David <Villa>;s3;;David <Villa>"}));
    ASSERT_EQ(pos.size(), 3u);
    EXPECT_EQ(pos[0], "students.xml /students/student[1]");
    EXPECT_EQ(pos[2], "students.xml /students/student[3]");
  }
}

TEST(XmlSource, StreamAndTreeAgree) {
  std::vector<std::string> refs = {"ID",           "concat(ID, '-', @id)", "count(skills/skill)",
                                   "skills/skill[2]", "string-length(Name) > 5", "../@missing",
                                   "nothing",      "ID * 2 div 3"};
  auto dom = run(spec("/students/student"), kStudents, refs, XmlMode::kDom);
  auto str = run(spec("/students/student"), kStudents, refs, XmlMode::kStream);
  EXPECT_EQ(dom, str);
  ASSERT_EQ(dom.size(), 3u);
  EXPECT_EQ(dom[0], "10;10-s1;2;golf;true;;;6.666666666666667");
  EXPECT_EQ(dom[1], "20;20-s2;0;;true;;;13.3333333333333");
}

// XML 1.0 section 2.11: CR LF and a lone CR reach the application as LF,
// in CDATA sections too (libxml2's reader passed them on raw; fuzz_xml).
// A CR written as a character reference is data and stays.
TEST(XmlSource, LineEndsInCdataAreNormalisedInBothModes) {
  const std::string doc = "<r><i><v><![CDATA[a\r\nb\rc]]></v><w>x&#13;y</w></i></r>";
  SourceSpec s = spec("/r/i");
  for (XmlMode mode : {XmlMode::kDom, XmlMode::kStream}) {
    EXPECT_EQ(run(s, doc, {"v", "string-length(v)", "w"}, mode),
              (std::vector<std::string>{"a\nb\nc;5;x\ry"}))
        << (mode == XmlMode::kDom ? "tree" : "stream");
  }
}

TEST(XmlSource, DefaultIteratorIsTheDocument) {
  auto rows = run(spec(""), kStudents, {"students/student/ID", "count(//ID)"}, XmlMode::kAuto);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], "10|20|30;4");
}

TEST(XmlSource, DescendantIteratorUsesTheTree) {
  std::vector<std::string> pos;
  auto rows = run(spec("//ID"), kStudents, {"."}, XmlMode::kAuto, &pos);
  EXPECT_EQ(rows, (std::vector<std::string>{"10", "20", "99", "30"}));
  EXPECT_EQ(pos[2], "students.xml /students/teacher[1]/ID[1]");
  auto s = openXmlMemory(spec("//ID"), kStudents, XmlMode::kStream);
  ASSERT_TRUE(s.isOk());
  bool has = true;
  EXPECT_EQ((*s)->next(&has).code(), StatusCode::kUnsupported);
}

const char* const kCompanies = R"(<companies>
  <company id="25"><name>TechCorp</name>
    <departments>
      <department><name>Engineering</name></department>
      <department><name>Marketing</name></department>
    </departments>
  </company>
  <company id="35"><name>InnovateX</name>
    <departments><department><name>Sales</name></department></departments>
  </company>
</companies>)";

TEST(XmlSource, AncestorAttributesWhileStreaming) {
  for (XmlMode mode : {XmlMode::kDom, XmlMode::kStream}) {
    std::vector<std::string> pos;
    auto rows = run(spec("/companies/company/departments/department"), kCompanies,
                    {"../../@id", "name"}, mode, &pos);
    EXPECT_EQ(rows, (std::vector<std::string>{"25;Engineering", "25;Marketing", "35;Sales"}));
    EXPECT_EQ(pos[2], "students.xml /companies/company[2]/departments[1]/department[1]");
  }
}

TEST(XmlSource, SiblingOfParentForcesTheTree) {
  // "../name" reads outside the record: auto mode must not stream it.
  auto rows = run(spec("/companies/company/departments/department"), kCompanies,
                  {"../../name", "name"}, XmlMode::kAuto);
  EXPECT_EQ(rows, (std::vector<std::string>{"TechCorp;Engineering", "TechCorp;Marketing",
                                            "InnovateX;Sales"}));
}

const char* const kFriends = R"(<Friends xmlns:ex="http://example.org">
  <ex:Character id="0"><ex:name>Monica Geller</ex:name><ex:age>33</ex:age></ex:Character>
  <Character id="9"><name>Not namespaced</name></Character>
  <ex:Character id="1"><ex:name>Rachel Green</ex:name><ex:age>34</ex:age></ex:Character>
</Friends>)";

TEST(XmlSource, Namespaces) {
  SourceSpec s = spec("//Friends/ex:Character");
  s.namespaces = {{"ex", "http://example.org"}};
  std::vector<std::string> refs = {"@id", "ex:name/text()", "ex:age"};
  auto rows = run(s, kFriends, refs, XmlMode::kAuto);
  EXPECT_EQ(rows, (std::vector<std::string>{"0;Monica Geller;33", "1;Rachel Green;34"}));
  s.iterator = "/Friends/ex:Character";
  EXPECT_EQ(run(s, kFriends, refs, XmlMode::kStream), rows);
  // A different prefix for the same IRI works; unprefixed names mean no namespace.
  s.namespaces = {{"f", "http://example.org"}};
  s.iterator = "/Friends/f:Character";
  EXPECT_EQ(run(s, kFriends, {"f:name"}, XmlMode::kStream),
            (std::vector<std::string>{"Monica Geller", "Rachel Green"}));
  s.iterator = "/Friends/Character";
  EXPECT_EQ(run(s, kFriends, {"name"}, XmlMode::kStream),
            (std::vector<std::string>{"Not namespaced"}));
}

TEST(XmlSource, UndeclaredPrefixIsAnError) {
  auto src = openXmlMemory(spec("/Friends/*"), kFriends);
  ASSERT_TRUE(src.isOk());
  RefId id = 0;
  Status st = (*src)->compile("zz:name", &id);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("zz"), std::string::npos);
  // In a general XPath expression the prefix is checked on evaluation.
  ASSERT_TRUE((*src)->compile("concat(zz:name, 'x')", &id).isOk());
  bool has = false;
  ASSERT_TRUE((*src)->next(&has).isOk());
  ASSERT_TRUE(has);
  std::vector<Value> out;
  st = (*src)->values(id, &out);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("concat(zz:name, 'x')"), std::string::npos) << st.message();
}

TEST(XmlSource, NullValues) {
  SourceSpec s = spec("/students/student");
  s.nulls = {"20", ""};
  auto rows = run(s, kStudents, {"ID", "skills"}, XmlMode::kAuto);
  EXPECT_EQ(rows, (std::vector<std::string>{"10;tennisgolf", ";", "30;"}));
}

TEST(XmlSource, MalformedXmlReportsLineAndColumn) {
  const std::string bad = "<students>\n  <student><ID>1</ID></student>\n  <student><ID>2</ID>\n</students>\n";
  for (XmlMode mode : {XmlMode::kDom, XmlMode::kStream}) {
    auto src = openXmlMemory(spec("/students/student"), bad, mode);
    ASSERT_TRUE(src.isOk());
    RefId id = 0;
    ASSERT_TRUE((*src)->compile("ID", &id).isOk());
    bool has = true;
    Status st;
    int records = 0;
    while ((st = (*src)->next(&has)).isOk() && has) ++records;
    EXPECT_EQ(st.code(), StatusCode::kSyntaxError);
    EXPECT_NE(st.message().find("students.xml:4:"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("mismatch"), std::string::npos) << st.message();
    EXPECT_LE(records, 1);
  }
}

TEST(XmlSource, BadXPath) {
  auto bad_iter = openXmlMemory(spec("/students/student["), kStudents);
  ASSERT_FALSE(bad_iter.isOk());
  EXPECT_NE(bad_iter.status().message().find("/students/student["), std::string::npos);

  auto src = openXmlMemory(spec("/students/student"), kStudents);
  ASSERT_TRUE(src.isOk());
  RefId id = 0;
  Status st = (*src)->compile("Name[@", &id);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("'Name[@'"), std::string::npos) << st.message();

  auto scalar = openXmlMemory(spec("count(//student)"), kStudents);
  ASSERT_TRUE(scalar.isOk());
  bool has = true;
  EXPECT_FALSE((*scalar)->next(&has).isOk());
}

TEST(XmlSource, NoExternalEntities) {
  const std::string doc =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<r><a>before&x;after</a></r>";
  for (XmlMode mode : {XmlMode::kDom, XmlMode::kStream}) {
    auto src = openXmlMemory(spec("/r"), doc, mode);
    ASSERT_TRUE(src.isOk());
    RefId id = 0;
    ASSERT_TRUE((*src)->compile("a", &id).isOk());
    bool has = false;
    Status st = (*src)->next(&has);
    if (!st.isOk() || !has) continue;  // rejecting the document is fine too
    std::vector<Value> out;
    ASSERT_TRUE((*src)->values(id, &out).isOk());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].text.find("root:"), std::string::npos);
  }
}

TEST(XmlSource, EntityExpansionIsBounded) {
  std::string doc = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    doc += std::string("<!ENTITY ") + c + " \"";
    for (int i = 0; i < 10; ++i) doc += std::string("&") + prev + ";";
    doc += "\">";
    prev = c;
  }
  doc += "]><r><v>&k;</v></r>";
  for (XmlMode mode : {XmlMode::kDom, XmlMode::kStream}) {
    auto src = openXmlMemory(spec("/r"), doc, mode);
    ASSERT_TRUE(src.isOk());
    RefId id = 0;
    ASSERT_TRUE((*src)->compile("v", &id).isOk());
    bool has = false;
    Status st = (*src)->next(&has);
    EXPECT_FALSE(st.isOk()) << "a billion laughs must be refused";
  }
}

TEST(XmlSource, OpensFilesThroughTheInputLayer) {
  std::string tmpl = ::testing::TempDir() + "weft_xml_test_XXXXXX";
  std::vector<char> dir_template(tmpl.begin(), tmpl.end());
  dir_template.push_back('\0');
  ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
  std::string path = std::string(dir_template.data()) + "/students.xml";
  {
    std::ofstream f(path, std::ios::binary);
    f << kStudents;
  }
  SourceSpec s = spec("/students/student");
  s.path = path;
  auto src = openXml(s);
  ASSERT_TRUE(src.isOk()) << src.status().message();
  std::vector<std::string> pos;
  auto rows = readAll(**src, {"ID"}, &pos);
  EXPECT_EQ(rows, (std::vector<std::string>{"10", "20", "30"}));
  EXPECT_EQ(pos[1], "students.xml /students/student[2]");

  s.path = std::string(dir_template.data()) + "/missing.xml";
  auto missing = openXml(s);
  EXPECT_FALSE(missing.isOk());
  std::remove(path.c_str());
  rmdir(dir_template.data());
}

TEST(XmlSource, ManyRecordsStream) {
  std::string doc = "<rows>";
  for (int i = 0; i < 20000; ++i) {
    doc += "<row n=\"" + std::to_string(i) + "\"><v>" + std::to_string(i * 2) + "</v></row>\n";
  }
  doc += "</rows>";
  auto src = openXmlMemory(spec("/rows/row"), doc, XmlMode::kStream);
  ASSERT_TRUE(src.isOk());
  RefId n = 0, v = 0;
  ASSERT_TRUE((*src)->compile("@n", &n).isOk());
  ASSERT_TRUE((*src)->compile("v", &v).isOk());
  bool has = false;
  int count = 0;
  std::vector<Value> out;
  while ((*src)->next(&has).isOk() && has) {
    out.clear();
    ASSERT_TRUE((*src)->values(n, &out).isOk());
    ASSERT_TRUE((*src)->values(v, &out).isOk());
    ASSERT_EQ(out.size(), 2u);
    ASSERT_EQ(out[0].text, std::to_string(count));
    ASSERT_EQ(out[1].text, std::to_string(count * 2));
    ++count;
  }
  EXPECT_EQ(count, 20000);
  EXPECT_EQ((*src)->position(), "students.xml");
}

}  // namespace
}  // namespace weft::sources
