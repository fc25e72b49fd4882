// SPDX-License-Identifier: Apache-2.0
// Unit tests for the JSON logical source (engine/sources/json_source.cpp):
// records, value kinds, nulls, positions, errors, and the streaming reader
// giving the same records as the DOM reader.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>

#include "engine/sources/internal/input_stream.h"
#include "engine/sources/internal/json_source.h"
#include "engine/sources/source.h"

namespace weft::sources {
namespace {

namespace fs = std::filesystem;
using internal::JsonMode;

const char* kStudents = R"({
  "meta": {"skipped": [1, 2, {"x": "]}"}]},
  "students": [
    {"ID": 10, "Name": "Venus", "score": 1.5, "ok": true, "none": null,
     "tags": ["a", 2, null, {"k": 1}], "obj": {"a": [1, "x"]}, "big": 12345678901234567890,
     "esc": "q\"uote\\n"},
    {"ID": -3, "Name": "Mars", "score": 2e3, "ok": false, "tags": []},
    "not an object",
    {"Country Code": "BE", "name\u0041": 1}
  ],
  "after": [1, 2, 3]
})";

fs::path writeFile(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / ("weft_json_source_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

// Hands out its text one byte per read(), to exercise every refill point.
class TrickleStream : public InputStream {
 public:
  explicit TrickleStream(std::string text) : text_(std::move(text)) {}
  Status read(size_t, std::string* out, bool* eof) override {
    if (pos_ < text_.size()) out->push_back(text_[pos_++]);
    *eof = pos_ >= text_.size();
    return Status::ok();
  }

 private:
  std::string text_;
  size_t pos_ = 0;
};

std::unique_ptr<Source> openMemory(const SourceSpec& spec, const std::string& data, JsonMode mode,
                                   Status* error = nullptr, bool trickle = false) {
  if (trickle) {
    auto src = internal::openJsonStream(spec, std::make_unique<TrickleStream>(data), "mem.json", mode);
    if (!src.isOk()) {
      if (error != nullptr) *error = src.status();
      return nullptr;
    }
    return std::move(src).value();
  }
  // The reader reads `data` lazily: keep a copy alive for the whole test run.
  static std::deque<std::string> kept;
  kept.push_back(data);
  auto in = internal::decodeInput(internal::memoryByteReader(kept.back()), "", "mem.json");
  EXPECT_TRUE(in.isOk());
  auto src = internal::openJsonStream(spec, std::move(in).value(), "mem.json", mode);
  if (!src.isOk()) {
    if (error != nullptr) *error = src.status();
    return nullptr;
  }
  return std::move(src).value();
}

std::string kindName(ValueKind k) {
  switch (k) {
    case ValueKind::kString: return "s";
    case ValueKind::kInteger: return "i";
    case ValueKind::kDouble: return "d";
    case ValueKind::kBoolean: return "b";
    default: return "?";
  }
}

// Every record as "position | ref1=v:k,v:k | ref2=...", then a final
// "ERROR <message>" if reading failed.
std::vector<std::string> dump(Source* src, const std::vector<std::string>& refs) {
  std::vector<RefId> ids;
  for (const auto& r : refs) {
    RefId id;
    Status s = src->compile(r, &id);
    EXPECT_TRUE(s.isOk()) << r << ": " << s.message();
    ids.push_back(id);
  }
  std::vector<std::string> out;
  for (;;) {
    bool has = false;
    Status s = src->next(&has);
    if (!s.isOk()) {
      out.push_back("ERROR " + s.message());
      break;
    }
    if (!has) break;
    std::string line = src->position();
    for (size_t i = 0; i < ids.size(); ++i) {
      std::vector<Value> vals;
      EXPECT_TRUE(src->values(ids[i], &vals).isOk());
      line += " | " + refs[i] + "=";
      for (size_t j = 0; j < vals.size(); ++j) line += (j ? "," : "") + vals[j].text + ":" + kindName(vals[j].kind);
    }
    out.push_back(line);
  }
  return out;
}

TEST(JsonSource, RecordsValuesAndPositions) {
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.path = writeFile("students.json", kStudents).string();
  spec.iterator = "$.students[*]";
  auto src = openJson(spec);
  ASSERT_TRUE(src.isOk()) << src.status().message();
  auto lines = dump(src->get(), {"$.ID", "Name", "score", "ok", "none", "tags", "obj", "big", "esc", "Country Code"});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "students.json $['students'][0] | $.ID=10:i | Name=Venus:s | score=1.5:d | ok=true:b | none= | "
            "tags=a:s,2:i,{\"k\":1}:s | obj={\"a\":[1,\"x\"]}:s | big=12345678901234567890:i | "
            "esc=q\"uote\\n:s | Country Code=");
  EXPECT_EQ(lines[1],
            "students.json $['students'][1] | $.ID=-3:i | Name=Mars:s | score=2000.0:d | ok=false:b | none= | "
            "tags= | obj= | big= | esc= | Country Code=");
  EXPECT_EQ(lines[2],
            "students.json $['students'][2] | $.ID= | Name= | score= | ok= | none= | tags= | obj= | big= | esc= | "
            "Country Code=");
  EXPECT_EQ(lines[3],
            "students.json $['students'][3] | $.ID= | Name= | score= | ok= | none= | tags= | obj= | big= | esc= | "
            "Country Code=BE:s");
}

TEST(JsonSource, StreamingMatchesDom) {
  struct Case {
    const char* iterator;
    std::string json;
  };
  std::string nested = R"({"a": {"b": [{"c": {"x": 1}}, {"c": {"x": 2}, "d": 0}], "z": 1}, "b": 2})";
  const Case cases[] = {
      {"$.students[*]", kStudents},
      {"$.students.*", kStudents},
      {"$", kStudents},
      {"$.meta", kStudents},
      {"$.*", kStudents},
      {"$.*.*", kStudents},
      {"$[*]", R"([{"x": 1}, 2, "s", [3, 4], null, {"x": [5]}])"},
      {"$.a.b[*].c", nested},
      {"$['a'].*", nested},
      {"$.nothing[*]", nested},
      {"$.a.b.c", nested},
      {"$[*]", "[]"},
      {"$[*]", "  [ ]  "},
      {"$.k[*]", R"({"k\u0020": [1], "k": [{"v": "\u00e9"}], "k2": {"k": [9]}})"},
      {"$", "42"},
      {"$.a", "\"str\""},
  };
  for (const Case& c : cases) {
    SourceSpec spec;
    spec.kind = SourceSpec::Kind::kJson;
    spec.iterator = c.iterator;
    auto dom = openMemory(spec, c.json, JsonMode::kDom);
    auto stream = openMemory(spec, c.json, JsonMode::kStreaming);
    auto trickle = openMemory(spec, c.json, JsonMode::kStreaming, nullptr, true);
    ASSERT_TRUE(dom && stream && trickle) << c.iterator;
    std::vector<std::string> refs = {"$", "x", "$.c.x", "v", "Name", "$.*"};
    auto a = dump(dom.get(), refs);
    auto b = dump(stream.get(), refs);
    auto t = dump(trickle.get(), refs);
    EXPECT_EQ(a, b) << c.iterator << " over " << c.json;
    EXPECT_EQ(a, t) << "byte by byte: " << c.iterator << " over " << c.json;
    EXPECT_TRUE(a.empty() || a.back().rfind("ERROR", 0) != 0) << a.back();
  }
}

TEST(JsonSource, NonSimpleIteratorUsesDom) {
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.iterator = "$..students[?@.ID > 0]";
  Status error;
  EXPECT_EQ(openMemory(spec, kStudents, JsonMode::kStreaming, &error), nullptr);
  EXPECT_EQ(error.code(), StatusCode::kInvalidArgument);
  auto src = openMemory(spec, kStudents, JsonMode::kAuto);
  ASSERT_TRUE(src);
  auto lines = dump(src.get(), {"Name"});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "mem.json $['students'][0] | Name=Venus:s");
}

TEST(JsonSource, Nulls) {
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.iterator = "$[*]";
  spec.nulls = {"", "N/A", "0"};
  auto src = openMemory(spec, R"([{"a": "N/A"}, {"a": ""}, {"a": 0}, {"a": ["N/A", "x"]}, {"a": "ok"}])",
                        JsonMode::kAuto);
  ASSERT_TRUE(src);
  auto lines = dump(src.get(), {"a"});
  ASSERT_EQ(lines.size(), 5u) << lines[0];
  EXPECT_EQ(lines[0], "mem.json $[0] | a=");
  EXPECT_EQ(lines[1], "mem.json $[1] | a=");
  EXPECT_EQ(lines[2], "mem.json $[2] | a=");
  EXPECT_EQ(lines[3], "mem.json $[3] | a=x:s");
  EXPECT_EQ(lines[4], "mem.json $[4] | a=ok:s");
}

TEST(JsonSource, BadJsonNamesFileOffsetAndError) {
  struct Case {
    std::string json;
    const char* needle;
  };
  const Case cases[] = {
      {R"({"students": [{"a": 1}, {"a": }]})", "byte 30: Invalid value."},
      {R"({"students": [{"a": 1} {"a": 2}]})", "byte 23"},
      {R"({"meta": [1, }, "students": []})", "byte 13"},
      {R"({"students": [1, 2]} x)", "byte 21: The document root must not be followed by other values."},
      {"", "The document is empty."},
      {R"({"students": [{"a": "unterminated)", "mem.json: byte"},
      {R"({"students": [{"a": "bad \x escape"}]})", "byte 25: Invalid escape character"},
  };
  for (int variant = 0; variant < 3; ++variant) {
    JsonMode mode = variant == 0 ? JsonMode::kDom : JsonMode::kStreaming;
    for (const Case& c : cases) {
      SourceSpec spec;
      spec.kind = SourceSpec::Kind::kJson;
      spec.iterator = "$.students[*]";
      Status error;
      auto src = openMemory(spec, c.json, mode, &error, variant == 2);
      std::string message;
      if (src) {
        auto lines = dump(src.get(), {"a"});
        ASSERT_FALSE(lines.empty()) << c.json;
        message = lines.back();
      } else {
        message = error.message();
      }
      EXPECT_NE(message.find("mem.json: byte"), std::string::npos) << message;
      EXPECT_NE(message.find(c.needle), std::string::npos)
          << (mode == JsonMode::kDom ? "dom: " : "stream: ") << c.json << " -> " << message;
    }
  }
}

TEST(JsonSource, BadReferenceAndIterator) {
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.iterator = "$.students[*]]";
  Status error;
  EXPECT_EQ(openMemory(spec, kStudents, JsonMode::kAuto, &error), nullptr);
  EXPECT_EQ(error.code(), StatusCode::kSyntaxError);
  EXPECT_NE(error.message().find("iterator '$.students[*]]'"), std::string::npos) << error.message();
  spec.iterator = "$.students[*]";
  auto src = openMemory(spec, kStudents, JsonMode::kAuto);
  ASSERT_TRUE(src);
  RefId id;
  Status s = src->compile("$.a[", &id);
  EXPECT_EQ(s.code(), StatusCode::kSyntaxError);
  EXPECT_NE(s.message().find("column"), std::string::npos) << s.message();
}

TEST(JsonSource, RecordLimit) {
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.iterator = "$[*]";
  spec.max_record_bytes = 64;
  std::string json = "[{\"a\": \"" + std::string(200, 'x') + "\"}]";
  auto src = openMemory(spec, json, JsonMode::kStreaming);
  ASSERT_TRUE(src);
  auto lines = dump(src.get(), {"a"});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("limit"), std::string::npos) << lines[0];
  Status error;
  EXPECT_EQ(openMemory(spec, json, JsonMode::kDom, &error), nullptr);
  EXPECT_NE(error.message().find("limit"), std::string::npos) << error.message();
}

TEST(JsonSource, StreamsManyRecordsAcrossChunks) {
  std::string json = "{\"header\": {\"n\": 1}, \"batches\": [";
  const int kCount = 50000;
  for (int i = 0; i < kCount; ++i) {
    if (i) json += ",\n";
    json += "{\"id\": " + std::to_string(i) + ", \"name\": \"batch \\\"" + std::to_string(i) +
            "\\\"\", \"w\": [" + std::to_string(i % 7) + ", 1.25]}";
  }
  json += "]}";
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.path = writeFile("batches.json", json).string();
  spec.iterator = "$.batches[*]";
  auto src = openJson(spec);
  ASSERT_TRUE(src.isOk());
  RefId id, name, w;
  ASSERT_TRUE((*src)->compile("id", &id).isOk());
  ASSERT_TRUE((*src)->compile("$.name", &name).isOk());
  ASSERT_TRUE((*src)->compile("w", &w).isOk());
  int n = 0;
  std::vector<Value> vals;
  for (;;) {
    bool has;
    ASSERT_TRUE((*src)->next(&has).isOk());
    if (!has) break;
    vals.clear();
    ASSERT_TRUE((*src)->values(id, &vals).isOk());
    ASSERT_EQ(vals.size(), 1u);
    ASSERT_EQ(vals[0].text, std::to_string(n));
    vals.clear();
    ASSERT_TRUE((*src)->values(name, &vals).isOk());
    ASSERT_EQ(vals[0].text, "batch \"" + std::to_string(n) + "\"");
    vals.clear();
    ASSERT_TRUE((*src)->values(w, &vals).isOk());
    ASSERT_EQ(vals.size(), 2u);
    ASSERT_EQ(vals[1].text, "1.25");
    if (n == 12345) {
      EXPECT_EQ((*src)->position(), "batches.json $['batches'][12345]");
    }
    ++n;
  }
  EXPECT_EQ(n, kCount);
}

// RapidJSON 1.1.0's full-precision path reads a zero with an exponent as
// garbage ("0e99" -> 6.5e296, found by fuzz_json_source); weft's JSON source
// does not use it.
TEST(JsonSource, ZeroWithLargeExponent) {
  SourceSpec spec;
  spec.kind = SourceSpec::Kind::kJson;
  spec.path = writeFile("zeros.json", R"([{"b": 0e99}, {"b": 0.0e300}, {"b": 0e-99}, {"b": 1.5e3}])").string();
  spec.iterator = "$[*]";
  auto src = openJson(spec);
  ASSERT_TRUE(src.isOk()) << src.status().message();
  auto lines = dump(src->get(), {"b"});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "zeros.json $[0] | b=0.0:d");
  EXPECT_EQ(lines[1], "zeros.json $[1] | b=0.0:d");
  EXPECT_EQ(lines[2], "zeros.json $[2] | b=0.0:d");
  EXPECT_EQ(lines[3], "zeros.json $[3] | b=1500.0:d");
}

}  // namespace
}  // namespace weft::sources
