// SPDX-License-Identifier: Apache-2.0
// Internal entry points of the XML logical source (xml_source.cpp): opening
// a document held in memory (fuzzing, tests) and forcing one of the two
// evaluation strategies, so tests can compare them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/sources/input.h"
#include "engine/sources/source.h"

namespace weft::sources::internal {

// kDom parses the whole document into a libxml2 tree and evaluates the
// iterator once; kStream reads the document with xmlTextReader and expands
// one record subtree at a time (iterators of the form /a/b/c and references
// that stay inside the record, plus ancestors' attributes). kAuto streams when
// it can and falls back to the tree otherwise.
enum class XmlMode { kAuto, kDom, kStream };

// Opens an XML source over an already opened input (UTF-8 bytes). `name`
// appears in positions and messages. kStream with an iterator or references
// that cannot stream fails with kUnsupported at the first next().
Result<std::unique_ptr<Source>> openXmlInput(const SourceSpec& spec,
                                            std::unique_ptr<InputStream> in,
                                            std::string name, XmlMode mode);

// The same over a copy of `document`.
Result<std::unique_ptr<Source>> openXmlMemory(const SourceSpec& spec, std::string_view document,
                                             XmlMode mode = XmlMode::kAuto);

}  // namespace weft::sources::internal
