// SPDX-License-Identifier: Apache-2.0
// RML-LV logical views (https://w3id.org/rml/lv): a view over a logical
// source or another view, with expression fields, iterable fields, index keys
// (#), record keys (<it>), and left / inner joins with other views. A view is
// loaded from the mapping document into a ViewDef and opened as a
// sources::Source whose references are field names ("name", "item.type",
// "#", "item.#", "<it>").
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "engine/core/status.h"
#include "engine/map/internal/doc.h"
#include "engine/map/model.h"
#include "engine/sources/source.h"

namespace weft::map {

struct ViewDef;  // defined in view.cpp

namespace internal {

// Reads the logical view `node` (one with rml:viewOn). `load_source` turns a
// plain logical source node into a LogicalSource (the loader's own reader).
// Errors (cycles, name collisions, missing parts) name the view.
using LoadSourceFn = std::function<Status(const rdf::Term& node, const std::string& where, LogicalSource* out)>;
Status loadView(const Doc& doc, const rdf::Term& node, const std::string& where, const LoadSourceFn& load_source,
                std::shared_ptr<const ViewDef>* out);

// The view's records, as a source.
Result<std::unique_ptr<sources::Source>> openView(const ViewDef& view);

}  // namespace internal
}  // namespace weft::map
