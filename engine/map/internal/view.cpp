// SPDX-License-Identifier: Apache-2.0
// RML-LV logical views (see view.h). Placeholder until the implementation
// lands: views are reported as unsupported.
#include "engine/map/internal/view.h"

namespace weft::map {

struct ViewDef {};

namespace internal {

Status loadView(const Doc&, const rdf::Term&, const std::string& where, const LoadSourceFn&,
                std::shared_ptr<const ViewDef>*) {
  return Status::unsupported(where + ": RML-LV logical views are not supported yet");
}

Result<std::unique_ptr<sources::Source>> openView(const ViewDef&) {
  return Status::unsupported("RML-LV logical views are not supported yet");
}

}  // namespace internal
}  // namespace weft::map
