// SPDX-License-Identifier: Apache-2.0
// Internal: the JSON tree the JSON-LD processor works on. Parsed with
// RapidJSON's iterative SAX reader (no recursion, so deep input cannot
// overflow the stack) into Json values whose nesting depth is bounded by
// kMaxJsonDepth; all recursive algorithms on a Json tree are therefore bounded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace weft::rdf::internal {

// Deepest array/object nesting accepted by parseJson().
inline constexpr int kMaxJsonDepth = 512;

class Json {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  using Array = std::vector<Json>;
  // Objects are flat vectors of members sorted by key (JSON-LD algorithms
  // visit keys in lexicographical order); a duplicate key keeps the last
  // value. Inserting a key moves the members after it: pointers and
  // references to members of an object are invalidated by inserting into
  // that same object.
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;

  Json() = default;
  Json(std::nullptr_t) {}
  explicit Json(bool b) : kind_(Kind::kBool), bool_(b) {}
  explicit Json(double d) : kind_(Kind::kNumber), num_(d) {}
  Json(std::string s) : kind_(Kind::kString), str_(std::move(s)) {}  // NOLINT
  Json(std::string_view s) : kind_(Kind::kString), str_(s) {}         // NOLINT
  Json(const char* s) : kind_(Kind::kString), str_(s) {}              // NOLINT
  static Json array() { Json j; j.kind_ = Kind::kArray; j.arr_ = new Array(); return j; }
  static Json object() { Json j; j.kind_ = Kind::kObject; j.obj_ = new Object(); return j; }
  static Json arrayOf(Json item) { Json j = array(); j.push(std::move(item)); return j; }

  // A moved-from Json is null.
  Json(const Json& o) { *this = o; }
  Json(Json&& o) noexcept { steal(o); }
  Json& operator=(const Json& o);
  Json& operator=(Json&& o) noexcept {
    if (this != &o) {
      Json tmp;
      tmp.steal(o);  // first: `o` may be a member of this value
      release();
      steal(tmp);
    }
    return *this;
  }
  ~Json() { release(); }

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::kNull; }
  bool isBool() const { return kind_ == Kind::kBool; }
  bool isNumber() const { return kind_ == Kind::kNumber; }
  bool isString() const { return kind_ == Kind::kString; }
  bool isArray() const { return kind_ == Kind::kArray; }
  bool isObject() const { return kind_ == Kind::kObject; }
  bool isScalar() const { return isBool() || isNumber() || isString(); }

  bool boolean() const { return bool_; }
  double number() const { return num_; }
  const std::string& str() const { return str_; }
  Array& arr() { return *arr_; }
  const Array& arr() const { return *arr_; }
  Object& obj() { return *obj_; }
  const Object& obj() const { return *obj_; }

  // Object helpers (the value must be an object).
  const Json* find(std::string_view key) const;
  Json* find(std::string_view key);
  bool has(std::string_view key) const { return find(key) != nullptr; }
  Json& operator[](std::string_view key);
  void erase(std::string_view key);
  size_t size() const { return isArray() ? arr_->size() : isObject() ? obj_->size() : 0; }
  // Array helper.
  void push(Json v) { arr_->push_back(std::move(v)); }
  // Object helper for bulk building: append members in any order, then
  // call sortMembers() once (a later duplicate key wins).
  void appendMember(std::string key, Json v) { obj_->emplace_back(std::move(key), std::move(v)); }
  void sortMembers();

  friend bool operator==(const Json& a, const Json& b);

 private:
  void release() noexcept {
    if (kind_ == Kind::kArray) delete arr_;
    else if (kind_ == Kind::kObject) delete obj_;
    kind_ = Kind::kNull;
    num_ = 0;
  }
  void steal(Json& o) noexcept {
    kind_ = o.kind_;
    bool_ = o.bool_;
    if (kind_ == Kind::kArray) arr_ = o.arr_;
    else if (kind_ == Kind::kObject) obj_ = o.obj_;
    else num_ = o.num_;
    str_ = std::move(o.str_);
    o.kind_ = Kind::kNull;
    o.num_ = 0;
  }

  // 48 bytes: the number and the container pointer share storage, selected
  // by kind_ (strings use str_).
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  union {
    double num_ = 0;
    Array* arr_;    // owned when kind_ == kArray
    Object* obj_;   // owned when kind_ == kObject
  };
  std::string str_;
};

// Parses a complete JSON text. Errors are Status::syntaxError
// "<name>:<line>:<column>: <message>"; nesting deeper than max_depth is an error.
Result<Json> parseJson(std::string_view text, std::string_view name, int max_depth = kMaxJsonDepth);

// Serializes compactly (no insignificant whitespace), keys in map order.
std::string toJsonString(const Json& v);
void appendJsonQuoted(std::string& out, std::string_view s);

// RFC 8785 JSON Canonicalization Scheme: keys sorted by UTF-16 code units,
// numbers as ECMAScript Number::toString, minimal string escaping.
std::string canonicalJson(const Json& v);

// ECMAScript Number::toString(x) (used by JCS).
std::string ecmaNumberToString(double d);
// Canonical lexical forms of XML Schema 1.1: xsd:double ("1.1E0") and
// xsd:integer (for an integral double).
std::string xsdDoubleCanonical(double d);
std::string xsdIntegerCanonical(double d);

}  // namespace weft::rdf::internal
