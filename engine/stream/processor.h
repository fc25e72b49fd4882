// SPDX-License-Identifier: Apache-2.0
// Turns a batch of messages into committed data (docs/streaming.md):
//
//   1. Each message gets its idempotency key (message.h). A key already
//      recorded in the store (or earlier in the batch) is a duplicate: a
//      redelivery after a crash or a reconnect. It is only acknowledged.
//   2. Historian samples are decoded; their rows go to the historian's
//      time-series table (DIR/timeseries.sqlite, `samples`, doc = "mqtt:" +
//      key) in one SQLite transaction, each message's rows replacing any of
//      the same key, so writing them again after a crash doubles nothing.
//   3. MES and EPCIS documents are mapped through their connector
//      (documents.h) into their own graph, named by the SHA-256 of their
//      bytes as `weft ingest` names it, and described in the documents graph.
//   4. One store transaction holds the documents' quads, a record of every
//      handled message in the stream graph and the dead letters (a message
//      that does not decode or that its connector refuses: topic, payload
//      prefix, reason, time). Its commit is the point after which the batch
//      may be acknowledged.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/store/store.h"
#include "engine/stream/config.h"
#include "engine/stream/message.h"

namespace weft::stream {

inline constexpr std::string_view kStreamGraph = "https://w3id.org/weft/graph/stream";
inline constexpr std::string_view kDeadLetterGraph = "https://w3id.org/weft/graph/dead-letters";

enum class Disposition { kStored, kDeadLettered, kDuplicate };

struct BatchResult {
  uint64_t stored = 0, dead_lettered = 0, duplicates = 0;
  uint64_t samples = 0;                   // rows written to the time-series table
  uint64_t documents = 0;                 // new document graphs
  uint64_t quads = 0;                     // quads added to the store
  store::CommitDelta delta;               // what the commit changed
  std::vector<Disposition> dispositions;  // one per message, in order
  std::vector<std::string> reasons;       // dead letters: why (same order; empty otherwise)
};

class Processor {
 public:
  // `store` is a durable store opened for writing; the time-series table
  // is DIR/timeseries.sqlite beside it.
  Processor(store::Store* store, const Config& config);
  ~Processor();
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  // Handles and commits one batch. On error nothing of the store changed
  // (sample rows may have been written: step 2 makes that harmless), and
  // none of the batch may be acknowledged.
  Result<BatchResult> process(const std::vector<Message>& batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Counts for a store (the test and `weft stream --status`): handled
// messages recorded in the stream graph, and dead letters.
struct LedgerCounts {
  uint64_t stored = 0, dead_lettered = 0;
};
LedgerCounts countLedger(const store::Store& s);

}  // namespace weft::stream
