// SPDX-License-Identifier: Apache-2.0
// The kernel's cold paths: cancel and reset.
#include "engine/sim/kernel.h"

namespace weft::sim {

bool Kernel::cancel(EventId id) {
  // The heap order is on (time, seq) and the kind is not part of it, so marking in place keeps
  // the heap valid.
  std::vector<Event>& heap = queue_.raw();
  for (size_t i = hole_ ? 1 : 0; i < heap.size(); ++i) {  // skip the event being handled
    Event& e = heap[i];
    if (e.seq == id) {
      if (e.kind == kCancelled) return false;
      e.kind = kCancelled;
      return true;
    }
  }
  return false;
}

void Kernel::reset() {
  queue_.clear();
  hole_ = false;
  now_ = 0.0;
  nextSeq_ = 0;
  count_ = 0;
  fingerprint_ = 0x84222325cbf29ce4ULL;
  stopped_ = false;
}

}  // namespace weft::sim
