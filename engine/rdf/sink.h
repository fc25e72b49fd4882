// SPDX-License-Identifier: Apache-2.0
// QuadSink: where readers push what they parse. Views passed to a sink are
// valid only during the call; a sink copies what it keeps.
#pragma once

#include <string_view>

#include "engine/core/status.h"
#include "engine/rdf/term.h"

namespace weft::rdf {

class QuadSink {
 public:
  virtual ~QuadSink() = default;
  // A non-ok status stops the reader, which returns that status.
  virtual Status quad(const QuadView& q) = 0;
  // Prefix and base declarations seen in the input (writers may reuse them).
  virtual Status prefix(std::string_view /*name*/, std::string_view /*iri*/) {
    return Status::ok();
  }
  virtual Status base(std::string_view /*iri*/) { return Status::ok(); }
};

}  // namespace weft::rdf
