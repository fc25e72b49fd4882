// SPDX-License-Identifier: Apache-2.0
#include "engine/core/status.h"

namespace weft {

const char* statusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kSyntaxError: return "syntax error";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kIoError: return "I/O error";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kPermissionDenied: return "permission denied";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::toString() const {
  if (isOk()) return "ok";
  return message_.empty() ? std::string(statusCodeName(code_)) : message_;
}

}  // namespace weft
