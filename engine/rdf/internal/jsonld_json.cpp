// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/internal/jsonld_json.h"

// RapidJSON 1.1's internal::Stack computes `nullptr + n` on its first push,
// which UBSan's pointer-overflow check reports; the result is never
// dereferenced before allocation. Exempt the library's functions (clang).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#endif
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace weft::rdf::internal {

Json& Json::operator=(const Json& o) {
  if (this == &o) return *this;
  // Copy first: `o` may be a member of this value.
  Json copy;
  copy.kind_ = o.kind_;
  copy.bool_ = o.bool_;
  if (o.kind_ == Kind::kArray) copy.arr_ = new Array(*o.arr_);
  else if (o.kind_ == Kind::kObject) copy.obj_ = new Object(*o.obj_);
  else copy.num_ = o.num_;
  copy.str_ = o.str_;
  return *this = std::move(copy);
}

namespace {
// First member whose key is not less than `key`.
template <typename Members>
auto lowerBound(Members& members, std::string_view key) {
  return std::lower_bound(members.begin(), members.end(), key,
                          [](const Json::Member& m, std::string_view k) { return std::string_view(m.first) < k; });
}
}  // namespace

const Json* Json::find(std::string_view key) const {
  if (!isObject()) return nullptr;
  auto it = lowerBound(*obj_, key);
  return it != obj_->end() && it->first == key ? &it->second : nullptr;
}

Json* Json::find(std::string_view key) {
  if (!isObject()) return nullptr;
  auto it = lowerBound(*obj_, key);
  return it != obj_->end() && it->first == key ? &it->second : nullptr;
}

Json& Json::operator[](std::string_view key) {
  auto it = lowerBound(*obj_, key);
  if (it != obj_->end() && it->first == key) return it->second;
  return obj_->emplace(it, std::string(key), Json())->second;
}

void Json::erase(std::string_view key) {
  auto it = lowerBound(*obj_, key);
  if (it != obj_->end() && it->first == key) obj_->erase(it);
}

void Json::sortMembers() {
  // Stable: among duplicate keys the last one appended stays last...
  std::stable_sort(obj_->begin(), obj_->end(),
                   [](const Member& a, const Member& b) { return a.first < b.first; });
  // ...and is the one kept.
  Object unique;
  unique.reserve(obj_->size());
  for (auto& m : *obj_) {
    if (!unique.empty() && unique.back().first == m.first) unique.back().second = std::move(m.second);
    else unique.push_back(std::move(m));
  }
  *obj_ = std::move(unique);
}

bool operator==(const Json& a, const Json& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Json::Kind::kNull: return true;
    case Json::Kind::kBool: return a.bool_ == b.bool_;
    case Json::Kind::kNumber: return a.num_ == b.num_;
    case Json::Kind::kString: return a.str_ == b.str_;
    case Json::Kind::kArray: return *a.arr_ == *b.arr_;
    case Json::Kind::kObject: return *a.obj_ == *b.obj_;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Parsing

namespace {

// SAX handler building a Json tree. Containers under construction are kept on
// an explicit stack; object members wait in `keys` until their value arrives.
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  explicit TreeBuilder(int max_depth) : max_depth_(max_depth) {}

  bool Null() { return add(Json()); }
  bool Bool(bool b) { return add(Json(b)); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    double d = 0;
    auto r = std::from_chars(s, s + len, d);
    if (r.ec == std::errc::result_out_of_range) {
      // from_chars reports overflow/underflow; JSON numbers beyond double range
      // become +-inf (which JSON-LD treats as a double) or 0.
      std::string tmp(s, len);
      d = std::strtod(tmp.c_str(), nullptr);
    }
    return add(Json(d));
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    if (hasSurrogate(s, len)) return false;
    return add(Json(std::string_view(s, len)));
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (hasSurrogate(s, len)) return false;
    keys_.emplace_back(s, len);
    return true;
  }
  bool StartObject() { return open(Json::object()); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(Json::array()); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  Json root;
  bool depth_exceeded = false;
  bool lone_surrogate = false;

 private:
  // RapidJSON 1.1 validates the input bytes and surrogate pairs, but turns
  // an escaped lone low surrogate ("\udc00") into the UTF-8 encoding of a
  // surrogate code point (ED B0 80), which is not UTF-8. Reject it.
  bool hasSurrogate(const char* s, size_t len) {
    for (size_t i = 0; i + 1 < len; ++i) {
      if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) {
        lone_surrogate = true;
        return true;
      }
    }
    return false;
  }

  bool add(Json v) {
    if (stack_.empty()) {
      root = std::move(v);
      return true;
    }
    Json& top = stack_.back();
    if (top.isArray()) {
      top.push(std::move(v));
    } else {
      top.appendMember(std::move(keys_.back()), std::move(v));
      keys_.pop_back();
    }
    return true;
  }
  bool open(Json v) {
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      depth_exceeded = true;
      return false;
    }
    stack_.push_back(std::move(v));
    return true;
  }
  bool close() {
    if (stack_.back().isObject()) stack_.back().sortMembers();
    Json v = std::move(stack_.back());
    stack_.pop_back();
    return add(std::move(v));
  }

  int max_depth_;
  std::vector<Json> stack_;
  std::vector<std::string> keys_;
};

}  // namespace

Result<Json> parseJson(std::string_view text, std::string_view name, int max_depth) {
  TreeBuilder builder(max_depth);
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(text.data(), text.size());
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::ParseResult pr = reader.Parse<kFlags>(ms, builder);
  if (pr.IsError()) {
    size_t offset = std::min(pr.Offset(), text.size());
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++col;  // count characters, not UTF-8 continuation bytes
      }
    }
    std::string msg = std::string(name) + ":" + std::to_string(line) + ":" + std::to_string(col) +
                      ": loading document failed: ";
    if (builder.depth_exceeded) {
      msg += "JSON nesting deeper than " + std::to_string(max_depth) + " levels";
    } else if (builder.lone_surrogate) {
      msg += "invalid JSON: \\u escape of an unpaired surrogate";
    } else {
      msg += "invalid JSON: ";
      msg += rapidjson::GetParseError_En(pr.Code());
    }
    return Status::syntaxError(std::move(msg));
  }
  return std::move(builder.root);
}

// ---------------------------------------------------------------------------
// Serialization

void appendJsonQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char* kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

namespace {

// Shortest round-trip decimal digits of |d| (d finite, non-zero) and the
// decimal exponent n such that |d| = 0.digits * 10^n (ECMAScript's "n").
void shortestDigits(double d, std::string& digits, int& n) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view s(buf, r.ptr - buf);  // "d.ddde+XX" or "de-XX"
  size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp = 0;
  std::from_chars(s.data() + e + 1 + (s[e + 1] == '+'), s.data() + s.size(), exp);
  n = exp + 1;
}

void appendJson(std::string& out, const Json& v, bool canonical);

// UTF-16 code unit order of two UTF-8 strings (RFC 8785 3.2.3).
std::u16string toUtf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    uint32_t cp;
    int len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1F; len = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0F; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

void appendJson(std::string& out, const Json& v, bool canonical) {
  switch (v.kind()) {
    case Json::Kind::kNull: out += "null"; break;
    case Json::Kind::kBool: out += v.boolean() ? "true" : "false"; break;
    case Json::Kind::kNumber: out += ecmaNumberToString(v.number()); break;
    case Json::Kind::kString: appendJsonQuoted(out, v.str()); break;
    case Json::Kind::kArray: {
      out += '[';
      bool first = true;
      for (const Json& item : v.arr()) {
        if (!first) out += ',';
        first = false;
        appendJson(out, item, canonical);
      }
      out += ']';
      break;
    }
    case Json::Kind::kObject: {
      std::vector<const Json::Member*> members;
      for (const auto& m : v.obj()) members.push_back(&m);
      if (canonical) {
        std::stable_sort(members.begin(), members.end(), [](auto* a, auto* b) {
          return toUtf16(a->first) < toUtf16(b->first);
        });
      }
      out += '{';
      bool first = true;
      for (const auto* m : members) {
        if (!first) out += ',';
        first = false;
        appendJsonQuoted(out, m->first);
        out += ':';
        appendJson(out, m->second, canonical);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string toJsonString(const Json& v) {
  std::string out;
  appendJson(out, v, false);
  return out;
}

std::string canonicalJson(const Json& v) {
  std::string out;
  appendJson(out, v, true);
  return out;
}

// ECMA-262 Number::toString (7.1.12.1), radix 10.
std::string ecmaNumberToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (d == 0) return "0";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  std::string out = d < 0 ? "-" : "";
  std::string digits;
  int n;
  shortestDigits(d, digits, n);
  int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) {
    out += digits;
    out.append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, n);
    out += '.';
    out += digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(-n, '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string xsdDoubleCanonical(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-INF" : "INF";
  if (d == 0) return "0.0E0";  // -0 too (JavaScript prints -0 as 0)
  std::string digits;
  int n;
  shortestDigits(d, digits, n);
  std::string out = d < 0 ? "-" : "";
  out += digits[0];
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(n - 1);
  return out;
}

std::string xsdIntegerCanonical(double d) {
  if (d == 0) return "0";
  if (std::fabs(d) < 9.2e18) return std::to_string(static_cast<long long>(d));
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.0f", d);
  return buf;
}

}  // namespace weft::rdf::internal
