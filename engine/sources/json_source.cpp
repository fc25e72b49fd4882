// SPDX-License-Identifier: Apache-2.0
// The JSON logical source (RML-IO: a JSON document with a JSONPath
// iterator, rml:referenceFormulation rml:JSONPath). The iterator (RFC 9535,
// default "$") selects the records; each reference is a JSONPath query
// relative to the record node (Query::compileReference: "name" = "$.name").
//
// Two readers share the record logic:
//  - streaming, when the iterator is "$" followed by names and wildcards
//    ("$.batches[*]", "$[*]", "$.a.b.*"): a small scanner follows the
//    containers on the iterator's path (punctuation and member names), and
//    RapidJSON parses each record from a chunked buffer into a small
//    Document, stopping at the record's end, so memory is bounded by one
//    record; values off the path go through RapidJSON's SAX Reader (checked,
//    not built);
//  - DOM, for any other iterator: the whole document is parsed (limited to
//    spec.max_record_bytes) and the iterator evaluated once.
// Values (RML-Core natural literals): strings -> kString, integers ->
// kInteger, other numbers -> kDouble (shortest form that reads back to the
// same double), true/false -> kBoolean, null -> no value; an array selected
// by a reference gives one value per element; objects (and nested arrays)
// give their JSON text. Texts listed in spec.nulls are no value.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/internal/dtoa.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <vector>
#include <charconv>
#include <filesystem>

#include "engine/jsonpath/jsonpath.h"
#include "engine/sources/input.h"
#include "engine/sources/internal/json_source.h"
#include "engine/sources/source.h"

namespace weft::sources {
namespace internal {
namespace {

using RValue = rapidjson::Value;
// No kParseFullPrecisionFlag: in RapidJSON 1.1.0 (Debian 12) it turns a zero
// with an exponent ("0e99", "0.0e300") into garbage (6.5e296; clz of 0 in
// DiyFp::Normalize, found by fuzz_json_source). The default path is exact for
// up to 15 significant digits and within an ulp beyond.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;
constexpr size_t kChunk = size_t{1} << 16;

// JSON nested deeper than this is refused: parsing is iterative, but writing
// a nested value back as text (a field of a logical view) and JSONPath
// descent recurse.
constexpr size_t kMaxDepth = 512;

// The nesting depth of v, walked with an explicit stack.
size_t depthOf(const rapidjson::Value& v) {
  std::vector<std::pair<const rapidjson::Value*, size_t>> stack{{&v, 1}};
  size_t deepest = 0;
  while (!stack.empty()) {
    auto [x, d] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, d);
    if (d > kMaxDepth) break;
    if (x->IsArray()) {
      for (const auto& e : x->GetArray()) stack.push_back({&e, d + 1});
    } else if (x->IsObject()) {
      for (const auto& m : x->GetObject()) stack.push_back({&m.value, d + 1});
    }
  }
  return deepest;
}

Status depthError(const std::string& name, uint64_t offset) {
  return Status::invalidArgument(name + ": byte " + std::to_string(offset) + ": JSON nested deeper than " +
                                 std::to_string(kMaxDepth) + " levels");
}

Status parseError(const std::string& name, uint64_t offset, rapidjson::ParseErrorCode code) {
  return Status::syntaxError(name + ": byte " + std::to_string(offset) + ": " + rapidjson::GetParseError_En(code));
}

// Everything a record-based JSON source does once it has a record node.
class JsonSourceBase : public Source {
 public:
  JsonSourceBase(const SourceSpec& spec, std::string name)
      : nulls_(spec.nulls), name_(std::move(name)), expand_arrays_(spec.json_expand_arrays) {}

  Status compile(std::string_view reference, RefId* id) override {
    auto q = jsonpath::Query::compileReference(reference);
    if (!q) return Status::syntaxError(name_ + ": reference '" + std::string(reference) + "': " + q.status().message());
    *id = static_cast<RefId>(refs_.size());
    refs_.push_back(std::move(q).value());
    ref_text_.emplace_back(reference);
    return Status::ok();
  }

  Status values(RefId id, std::vector<Value>* out) override {
    if (id >= refs_.size()) {
      return Status::invalidArgument(name_ + ": reference id " + std::to_string(id) + " was not compiled");
    }
    const RValue* rec = record();
    if (rec == nullptr) return Status::invalidArgument(name_ + ": values() without a current record");
    nodes_.clear();
    refs_[id].select(*rec, &nodes_);
    for (const RValue* n : nodes_) {
      if (n->IsArray()) {
        if (!expand_arrays_)
          return Status::invalidArgument(name_ + ": reference '" + ref_text_[id] +
                                         "' selects an array, not values (select them with [*])");
        for (const RValue& e : n->GetArray()) append(e, out);
      } else {
        append(*n, out);
      }
    }
    return Status::ok();
  }

 protected:
  virtual const RValue* record() const = 0;
  const std::string& name() const { return name_; }

 private:
  void append(const RValue& v, std::vector<Value>* out) {
    Value val;
    switch (v.GetType()) {
      case rapidjson::kNullType: return;
      case rapidjson::kFalseType:
        val.text = "false";
        val.kind = ValueKind::kBoolean;
        break;
      case rapidjson::kTrueType:
        val.text = "true";
        val.kind = ValueKind::kBoolean;
        break;
      case rapidjson::kStringType:
        val.text.assign(v.GetString(), v.GetStringLength());
        break;
      case rapidjson::kNumberType: {
        char buf[40];
        char* end;
        if (v.IsInt64()) {
          end = std::to_chars(buf, buf + sizeof buf, v.GetInt64()).ptr;
          val.kind = ValueKind::kInteger;
        } else if (v.IsUint64()) {
          end = std::to_chars(buf, buf + sizeof buf, v.GetUint64()).ptr;
          val.kind = ValueKind::kInteger;
        } else {
          end = rapidjson::internal::dtoa(v.GetDouble(), buf);
          val.kind = ValueKind::kDouble;
        }
        val.text.assign(buf, end);
        break;
      }
      case rapidjson::kObjectType:
      case rapidjson::kArrayType: {
        rapidjson::StringBuffer sb;
        rapidjson::Writer<rapidjson::StringBuffer> w(sb);
        v.Accept(w);
        val.text.assign(sb.GetString(), sb.GetSize());
        break;
      }
    }
    if (!nulls_.empty() && std::find(nulls_.begin(), nulls_.end(), val.text) != nulls_.end()) return;
    out->push_back(std::move(val));
  }

  std::vector<std::string> nulls_;
  std::string name_;
  bool expand_arrays_ = true;
  std::vector<jsonpath::Query> refs_;
  std::vector<std::string> ref_text_;
  std::vector<const RValue*> nodes_;
};

// ---- DOM: the whole document, any iterator ----

class DomJsonSource : public JsonSourceBase {
 public:
  DomJsonSource(const SourceSpec& spec, std::string name) : JsonSourceBase(spec, std::move(name)) {}

  Status open(const SourceSpec& spec, InputStream* in, jsonpath::Query iterator) {
    iterator_ = std::move(iterator);
    std::string text;
    bool eof = false;
    while (!eof) {
      WEFT_TRY(in->read(size_t{1} << 20, &text, &eof));
      if (text.size() > spec.max_record_bytes) {
        return Status::aborted(name() + ": the iterator '" + iterator_.text() +
                               "' needs the whole document in memory, which is larger than the limit of " +
                               std::to_string(spec.max_record_bytes) + " bytes");
      }
    }
    doc_.Parse<kParseFlags>(text.data(), text.size());
    if (doc_.HasParseError()) return parseError(name(), doc_.GetErrorOffset(), doc_.GetParseError());
    if (depthOf(doc_) > kMaxDepth) return depthError(name(), 0);
    iterator_.select(doc_, &records_);
    return Status::ok();
  }

  Status next(bool* has) override {
    // index_: 1-based number of the current record; size()+1 past the end.
    if (index_ <= records_.size()) ++index_;
    *has = index_ <= records_.size();
    return Status::ok();
  }

  std::string position() const override {
    if (index_ == 0 || index_ > records_.size()) return name();
    if (paths_.empty()) {
      std::vector<jsonpath::Node> nodes;
      iterator_.selectWithPaths(doc_, &nodes);
      for (auto& n : nodes) paths_.push_back(std::move(n.path));
    }
    return name() + " " + (index_ - 1 < paths_.size() ? paths_[index_ - 1] : std::string("$"));
  }

 protected:
  const RValue* record() const override {
    return index_ > 0 && index_ <= records_.size() ? records_[index_ - 1] : nullptr;
  }

 private:
  rapidjson::Document doc_;
  jsonpath::Query iterator_;
  std::vector<const RValue*> records_;
  mutable std::vector<std::string> paths_;
  size_t index_ = 0;
};

// ---- Streaming: names and wildcards only ----

class StreamJsonSource : public JsonSourceBase {
 public:
  StreamJsonSource(const SourceSpec& spec, std::unique_ptr<InputStream> in, std::string name,
                   std::vector<jsonpath::SimpleStep> steps)
      : JsonSourceBase(spec, std::move(name)),
        in_(std::move(in)),
        steps_(std::move(steps)),
        limit_(spec.max_record_bytes),
        alloc_(pool_, sizeof pool_),
        doc_(&alloc_) {}

  Status next(bool* has) override {
    *has = false;
    have_record_ = false;
    Status s = advance(has);
    if (!s.isOk()) phase_ = Phase::kDone;
    have_record_ = *has;
    return s;
  }

  std::string position() const override {
    std::string p = name() + " $";
    for (const Frame& f : frames_) {
      if (f.object) {
        jsonpath::appendNormalizedName(&p, f.key);
      } else {
        jsonpath::appendNormalizedIndex(&p, f.count == 0 ? 0 : f.count - 1);
      }
    }
    return p;
  }

 protected:
  const RValue* record() const override { return have_record_ ? &doc_ : nullptr; }

 private:
  enum class Phase : uint8_t { kStart, kInside, kRootRecordDone, kDone };
  // An open container on the iterator's path; its children are compared
  // with steps_[depth].
  struct Frame {
    bool object = false;
    size_t count = 0;  // children seen so far
    std::string key;   // the current member's name (objects)
  };

  uint64_t offset() const { return base_ + pos_; }

  // RapidJSON's input stream concept over buf_, refilled from in_ when it
  // runs dry. Parsed values copy their strings, so the consumed bytes are
  // dropped at each refill and memory stays at one chunk.
  class BufferStream {
   public:
    using Ch = char;
    explicit BufferStream(StreamJsonSource* s) : s_(s) {}
    Ch Peek() { return s_->pos_ < s_->buf_.size() ? s_->buf_[s_->pos_] : s_->refill(); }
    Ch Take() {
      Ch c = Peek();
      if (s_->pos_ < s_->buf_.size()) ++s_->pos_;
      return c;
    }
    size_t Tell() const { return static_cast<size_t>(s_->offset()); }
    // Output (in-situ parsing) is not used.
    Ch* PutBegin() { return nullptr; }
    void Put(Ch) {}
    void Flush() {}
    size_t PutEnd(Ch*) { return 0; }

   private:
    StreamJsonSource* s_;
  };

  // Called with buf_ fully consumed: the next byte, or '\0' at the end, on a
  // read error or past the record limit (read_error_ then says which).
  char refill() {
    if (eof_ || !read_error_.isOk()) return '\0';
    if (offset() - value_start_ > limit_) {
      read_error_ = Status::aborted(name() + ": byte " + std::to_string(value_start_) +
                                    ": a value longer than the limit of " + std::to_string(limit_) + " bytes");
      return '\0';
    }
    base_ += buf_.size();
    buf_.clear();
    pos_ = 0;
    while (buf_.empty() && !eof_) {
      Status s = in_->read(kChunk, &buf_, &eof_);
      if (!s.isOk()) {
        read_error_ = std::move(s);
        return '\0';
      }
    }
    return buf_.empty() ? '\0' : buf_[0];
  }

  Status skipWs() {
    for (;;) {
      while (pos_ < buf_.size()) {
        char c = buf_[pos_];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return Status::ok();
        ++pos_;
      }
      value_start_ = offset();
      if (refill() == '\0') return read_error_;
    }
  }

  // The next byte, or -1 at the end of input.
  Result<int> peek() {
    if (pos_ >= buf_.size()) {
      value_start_ = offset();
      if (refill() == '\0' && !read_error_.isOk()) return read_error_;
    }
    if (pos_ >= buf_.size()) return -1;
    return static_cast<int>(static_cast<unsigned char>(buf_[pos_]));
  }

  Status unexpected(const char* expected) {
    if (pos_ >= buf_.size()) {
      return Status::syntaxError(name() + ": byte " + std::to_string(offset()) + ": unexpected end of input, expected " +
                                 expected);
    }
    return Status::syntaxError(name() + ": byte " + std::to_string(offset()) + ": expected " + expected);
  }

  // After RapidJSON parsed one value from BufferStream: the error, if any.
  Status afterParse(const rapidjson::ParseResult& r) {
    if (!read_error_.isOk()) return read_error_;
    if (r.IsError()) return parseError(name(), r.Offset(), r.Code());
    if (offset() - value_start_ > limit_) {
      return Status::aborted(name() + ": byte " + std::to_string(value_start_) + ": a value longer than the limit of " +
                             std::to_string(limit_) + " bytes");
    }
    return Status::ok();
  }

  // Checks and drops the value at pos_ (RapidJSON's SAX Reader, no DOM).
  Status skipValue() {
    value_start_ = offset();
    BufferStream stream(this);
    rapidjson::BaseReaderHandler<> ignore;
    rapidjson::Reader reader;
    return afterParse(reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(stream, ignore));
  }

  // Parses the value at pos_ as the current record.
  Status parseRecord() {
    value_start_ = offset();
    doc_.SetNull();
    alloc_.Clear();
    BufferStream stream(this);
    doc_.ParseStream<kParseFlags | rapidjson::kParseStopWhenDoneFlag>(stream);
    WEFT_TRY(afterParse(rapidjson::ParseResult(doc_.GetParseError(), doc_.GetErrorOffset())));
    if (depthOf(doc_) > kMaxDepth) return depthError(name(), value_start_);
    return Status::ok();
  }

  // A member name at pos_ (a JSON string) into *key.
  Status readKey(std::string* key) {
    struct KeyHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, KeyHandler> {
      std::string* key;
      bool String(const char* s, rapidjson::SizeType n, bool) {
        key->assign(s, n);
        return true;
      }
    } handler;
    handler.key = key;
    value_start_ = offset();
    BufferStream stream(this);
    rapidjson::Reader reader;
    return afterParse(reader.Parse<rapidjson::kParseStopWhenDoneFlag>(stream, handler));
  }

  Status trailing() {
    WEFT_TRY(skipWs());
    phase_ = Phase::kDone;
    if (pos_ < buf_.size()) {
      return parseError(name(), offset(), rapidjson::kParseErrorDocumentRootNotSingular);
    }
    return Status::ok();
  }

  // Opens a container at pos_ as a frame if its children can match the
  // next step; otherwise skips it.
  Status enter(size_t depth) {
    auto c = peek();
    if (!c) return c.status();
    const jsonpath::SimpleStep& step = steps_[depth];
    if (*c == '{' || (*c == '[' && step.wildcard)) {
      ++pos_;
      frames_.emplace_back().object = *c == '{';
      return Status::ok();
    }
    return skipValue();
  }

  Status advance(bool* has) {
    switch (phase_) {
      case Phase::kDone: return Status::ok();
      case Phase::kRootRecordDone: return trailing();
      case Phase::kStart: {
        phase_ = Phase::kInside;
        WEFT_TRY(skipWs());
        auto c = peek();
        if (!c) return c.status();
        if (*c < 0) return parseError(name(), offset(), rapidjson::kParseErrorDocumentEmpty);
        if (steps_.empty()) {
          WEFT_TRY(parseRecord());
          phase_ = Phase::kRootRecordDone;
          *has = true;
          return Status::ok();
        }
        WEFT_TRY(enter(0));
        if (frames_.empty()) return trailing();
        break;
      }
      case Phase::kInside: break;
    }
    for (;;) {
      if (frames_.empty()) return trailing();
      Frame& f = frames_.back();
      const size_t depth = frames_.size() - 1;
      const char close = f.object ? '}' : ']';
      WEFT_TRY(skipWs());
      auto c = peek();
      if (!c) return c.status();
      if (f.count > 0) {
        if (*c == ',') {
          ++pos_;
          WEFT_TRY(skipWs());
          c = peek();
          if (!c) return c.status();
        } else if (*c == close) {
          ++pos_;
          frames_.pop_back();
          continue;
        } else {
          return unexpected(f.object ? "',' or '}'" : "',' or ']'");
        }
      } else if (*c == close) {
        ++pos_;
        frames_.pop_back();
        continue;
      }
      const jsonpath::SimpleStep& step = steps_[depth];
      bool match = step.wildcard;
      if (f.object) {
        if (*c != '"') return unexpected("a member name (a string)");
        WEFT_TRY(readKey(&f.key));
        WEFT_TRY(skipWs());
        c = peek();
        if (!c) return c.status();
        if (*c != ':') return unexpected("':' after a member name");
        ++pos_;
        WEFT_TRY(skipWs());
        match = match || f.key == step.name;
      }
      ++f.count;
      if (!match) {
        WEFT_TRY(skipValue());
        continue;
      }
      if (depth + 1 == steps_.size()) {
        WEFT_TRY(parseRecord());
        *has = true;
        return Status::ok();
      }
      WEFT_TRY(enter(depth + 1));
    }
  }

  std::unique_ptr<InputStream> in_;
  std::vector<jsonpath::SimpleStep> steps_;
  size_t limit_;
  std::string buf_;
  size_t pos_ = 0;
  uint64_t base_ = 0;  // offset of buf_[0] in the input
  bool eof_ = false;
  Status read_error_;
  uint64_t value_start_ = 0;  // offset where the value being read began
  Phase phase_ = Phase::kStart;
  std::vector<Frame> frames_;
  bool have_record_ = false;
  // Records of up to 64 KiB are built in this buffer without allocating.
  alignas(16) char pool_[size_t{64} << 10];
  rapidjson::MemoryPoolAllocator<> alloc_;
  rapidjson::Document doc_;
};

}  // namespace

Result<std::unique_ptr<Source>> openJsonStream(const SourceSpec& spec, std::unique_ptr<InputStream> in,
                                               std::string name, JsonMode mode) {
  std::string text = spec.iterator.empty() ? std::string("$") : spec.iterator;
  auto iterator = jsonpath::Query::compile(text);
  if (!iterator) return Status::syntaxError(name + ": iterator '" + text + "': " + iterator.status().message());
  std::vector<jsonpath::SimpleStep> steps;
  bool simple = iterator->simpleSteps(&steps);
  if (mode == JsonMode::kStreaming && !simple) {
    return Status::invalidArgument(name + ": iterator '" + text + "' cannot be streamed");
  }
  if (simple && mode != JsonMode::kDom) {
    return std::unique_ptr<Source>(
        std::make_unique<StreamJsonSource>(spec, std::move(in), std::move(name), std::move(steps)));
  }
  auto src = std::make_unique<DomJsonSource>(spec, std::move(name));
  WEFT_TRY(src->open(spec, in.get(), std::move(iterator).value()));
  return std::unique_ptr<Source>(std::move(src));
}

}  // namespace internal

Result<std::unique_ptr<Source>> openJson(const SourceSpec& spec) {
  auto in = openInput(spec);
  if (!in) return in.status();
  return internal::openJsonStream(spec, std::move(in).value(),
                                  std::filesystem::path(spec.path).filename().string());
}

}  // namespace weft::sources
