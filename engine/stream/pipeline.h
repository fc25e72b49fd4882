// SPDX-License-Identifier: Apache-2.0
// `weft stream`'s running part: one thread reads the broker (mqtt_client.h)
// into a bounded queue, the calling thread takes batches from it (by count
// or time), has the Processor commit each, and only then acknowledges its
// messages. When the queue is full the reader stops reading the socket, so
// the broker keeps the rest (back-pressure); a lost connection is opened
// again, and the broker sends the unacknowledged messages again (they are
// recognised by their keys).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/core/status.h"
#include "engine/store/store.h"
#include "engine/stream/config.h"
#include "engine/stream/mqtt_client.h"

namespace weft::stream {

struct RunOptions {
  Config config;
  BrokerAddress broker;
  // After a batch that changed the store, with what the commit changed (the
  // CLI keeps the inferred graph up to date here: reason::Resident). Runs on
  // the committing thread; messages keep arriving.
  std::function<void(const store::CommitDelta&)> after_commit;
  bool quiet = false;
  double progress_s = 1;   // seconds between progress lines on stderr
  double idle_exit_s = 0;  // > 0: stop cleanly after this long without a message (tests, replays)
};

struct RunTotals {
  uint64_t received = 0, stored = 0, dead_lettered = 0, duplicates = 0, samples = 0, batches = 0;
  double seconds = 0;
  double busy_seconds = 0;  // from the first message's receipt to the last batch's commit
};

// Runs until `stop` (set from a signal handler), the idle time, or a fatal
// error (the broker refusing the connection or a subscription; a store that
// cannot commit is retried). The batch being committed when `stop` is set
// finishes and is acknowledged; the queue behind it is not (the broker
// sends it again next time).
Status runStream(store::Store* store, const RunOptions& o, const std::atomic<bool>& stop, RunTotals* totals);

}  // namespace weft::stream
