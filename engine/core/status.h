// SPDX-License-Identifier: Apache-2.0
// Status and Result<T>: the error values weft returns where failure is expected
// (files, parsers, stores). Exceptions are used only to abort a request.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace weft {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad flag, unknown format, bad IRI given by the user
  kSyntaxError,      // input document does not parse; message has file:line:column
  kNotFound,         // missing file or store
  kIoError,          // read/write failure, full disk
  kCorruption,       // store files inconsistent
  kUnsupported,      // valid input we do not handle
  kAborted,          // cancelled, limit reached
  kPermissionDenied, // the caller's grant does not cover the operation (HTTP 403)
  kInternal,
};

const char* statusCodeName(StatusCode code);

// A small value type: ok, or a code plus a human-readable message.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }
  static Status invalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status syntaxError(std::string m) { return {StatusCode::kSyntaxError, std::move(m)}; }
  static Status notFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status ioError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
  static Status permissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool isOk() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return isOk(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string toString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Result<T>: a T or a non-ok Status (C++20 has no std::expected).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).isOk());
  }
  bool isOk() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return isOk(); }
  const Status& status() const {
    static const Status kOk;
    return isOk() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace weft

// Propagate a non-ok Status in one line.
#define WEFT_TRY(expr)                          \
  do {                                          \
    ::weft::Status weft_try_s_ = (expr);        \
    if (!weft_try_s_.isOk()) return weft_try_s_; \
  } while (0)
