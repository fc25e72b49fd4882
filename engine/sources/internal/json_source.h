// SPDX-License-Identifier: Apache-2.0
// The JSON logical source (json_source.cpp) over any UTF-8 InputStream,
// exposed for tests and fuzzing.
#pragma once

#include <memory>
#include <string>

#include "engine/core/status.h"
#include "engine/sources/input.h"
#include "engine/sources/source.h"

namespace weft::sources::internal {

enum class JsonMode : uint8_t {
  kAuto,       // stream when the iterator is names and [*] only, else DOM
  kDom,        // always parse the whole document
  kStreaming,  // stream; kInvalidArgument when the iterator does not allow it
};

// `name` is the file name used in positions and messages ("lots.json").
Result<std::unique_ptr<Source>> openJsonStream(const SourceSpec& spec, std::unique_ptr<InputStream> in,
                                               std::string name, JsonMode mode = JsonMode::kAuto);

}  // namespace weft::sources::internal
