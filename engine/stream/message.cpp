// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/message.h"

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cmath>

#include "connectors/historian/historian.h"

namespace weft::stream {

namespace hist = connectors::historian;

namespace {

Status sampleError(size_t i, bool array, const std::string& why) {
  return Status::invalidArgument((array ? "sample " + std::to_string(i + 1) + ": " : std::string()) + why);
}

Status decodeOne(const rapidjson::Value& v, size_t i, bool array, StreamSample* out) {
  if (!v.IsObject()) return sampleError(i, array, "not a JSON object");
  auto tag = v.FindMember("tag");
  if (tag == v.MemberEnd() || !tag->value.IsString() || tag->value.GetStringLength() == 0)
    return sampleError(i, array, "'tag' is missing or not a non-empty string");
  out->tag.assign(tag->value.GetString(), tag->value.GetStringLength());
  auto ts = v.FindMember("ts");
  if (ts == v.MemberEnd()) return sampleError(i, array, "'ts' is missing");
  if (ts->value.IsString()) {
    std::string_view text(ts->value.GetString(), ts->value.GetStringLength());
    auto ms = hist::parseTimestamp(text);
    if (!ms)
      return sampleError(
          i, array, "'ts' '" + std::string(text.substr(0, 40)) + "' is not an ISO 8601 date-time with a time zone");
    out->ts = *ms;
  } else if (ts->value.IsInt64()) {
    out->ts = ts->value.GetInt64();  // epoch milliseconds
  } else {
    return sampleError(i, array, "'ts' must be an ISO 8601 string or epoch milliseconds");
  }
  hist::Quality q = hist::Quality::kGood;
  auto quality = v.FindMember("quality");
  if (quality != v.MemberEnd() && !quality->value.IsNull()) {
    std::string text;
    if (quality->value.IsString())
      text.assign(quality->value.GetString(), quality->value.GetStringLength());
    else if (quality->value.IsUint())
      text = std::to_string(quality->value.GetUint());
    else
      return sampleError(i, array, "'quality' must be a string or an OPC quality number");
    auto parsed = hist::parseQuality(text);
    if (!parsed) return sampleError(i, array, "'quality' '" + text.substr(0, 40) + "' is not an OPC quality");
    q = *parsed;
  }
  out->quality = hist::qualityName(q);
  auto value = v.FindMember("value");
  if (value == v.MemberEnd() || value->value.IsNull()) {
    if (q == hist::Quality::kGood)
      return sampleError(i, array, "'value' is missing (allowed for Bad or Uncertain samples only)");
    out->value.reset();
  } else if (value->value.IsNumber()) {
    double d = value->value.GetDouble();
    if (!std::isfinite(d)) return sampleError(i, array, "'value' is not finite");
    out->value = d;
  } else {
    return sampleError(i, array, "'value' must be a number");
  }
  return Status::ok();
}

std::string hexDigest(const unsigned char* md, unsigned len) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(digits[md[i] >> 4]);
    hex.push_back(digits[md[i] & 15]);
  }
  return hex;
}

}  // namespace

Result<std::vector<StreamSample>> decodeSamples(std::string_view payload) {
  rapidjson::Document d;
  // Iterative: the recursive parser's depth is the payload's nesting, and a
  // few hundred KB of "[" from any publisher overflowed the stack (a crash
  // on every redelivery; tests/fuzz/regress/fuzz_stream_message). Not
  // kParseFullPrecisionFlag: RapidJSON 1.1.0's full-precision path passes 0
  // to clz on "0e308" (undefined behaviour, found by the fuzzer), so a value
  // with more than 15 significant digits may be a few ULP from the nearest
  // double. Trailing bytes after the value are an error.
  d.Parse<rapidjson::kParseIterativeFlag>(payload.data(), payload.size());
  if (d.HasParseError())
    return Status::syntaxError("not JSON (offset " + std::to_string(d.GetErrorOffset()) +
                               "): " + rapidjson::GetParseError_En(d.GetParseError()));
  std::vector<StreamSample> out;
  if (d.IsArray()) {
    if (d.Empty()) return Status::invalidArgument("an empty array of samples");
    if (d.Size() > kMaxSamplesPerMessage)
      return Status::invalidArgument("more than " + std::to_string(kMaxSamplesPerMessage) + " samples in one message");
    out.resize(d.Size());
    for (rapidjson::SizeType i = 0; i < d.Size(); ++i) WEFT_TRY(decodeOne(d[i], i, true, &out[i]));
  } else {
    out.resize(1);
    WEFT_TRY(decodeOne(d, 0, false, &out[0]));
  }
  return out;
}

std::string sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  return hexDigest(md, len);
}

std::string messageKey(std::string_view topic, std::string_view payload, const std::string& id_field) {
  std::string material;
  if (!id_field.empty()) {
    rapidjson::Document d;
    d.Parse<rapidjson::kParseIterativeFlag>(payload.data(), payload.size());  // any nesting depth
    if (!d.HasParseError() && d.IsObject()) {
      auto m = d.FindMember(rapidjson::StringRef(id_field.data(), id_field.size()));
      if (m != d.MemberEnd() && (m->value.IsString() || m->value.IsInt64())) {
        std::string id = m->value.IsString() ? std::string(m->value.GetString(), m->value.GetStringLength())
                                             : std::to_string(m->value.GetInt64());
        material.append("id").push_back('\0');
        material.append(topic).push_back('\0');
        material.append(id);
        return sha256Hex(material).substr(0, 32);
      }
    }
  }
  material.append("payload").push_back('\0');
  material.append(topic).push_back('\0');
  material.append(payload);
  return sha256Hex(material).substr(0, 32);
}

std::string messageIri(const std::string& key) { return "urn:weft:stream:message:" + key; }

std::string payloadPrefix(std::string_view p, size_t max_bytes) {
  static const std::string kReplacement = "\xEF\xBF\xBD";
  std::string out;
  size_t i = 0;
  while (i < p.size()) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = len > 0 && i + len <= p.size();
    for (size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(p[i + k]) & 0xC0) == 0x80;
    if (valid && len > 1) {  // overlong forms, surrogates, beyond U+10FFFF
      unsigned char c1 = static_cast<unsigned char>(p[i + 1]);
      if ((len == 2 && c < 0xC2) || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) ||
          (c == 0xF4 && c1 >= 0x90) || c > 0xF4)
        valid = false;
    }
    std::string_view piece = valid ? p.substr(i, len) : std::string_view(kReplacement);
    if (valid && len == 1 && c < 0x20 && c != '\t' && c != '\n') piece = kReplacement;
    if (valid && len == 1 && c == 0x7F) piece = kReplacement;
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
    i += valid ? len : 1;
  }
  return out;
}

}  // namespace weft::stream
