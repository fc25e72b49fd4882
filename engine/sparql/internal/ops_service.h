// SPDX-License-Identifier: Apache-2.0
// Internal: SERVICE as a bind join (what is sent is described in
// engine/sparql/service.h). The operator reads its left input in batches,
// makes one remote call per endpoint and batch, and joins the remote rows
// with the batch's rows. Alone in a group its left input is a SingleOp (the
// row it is opened with), so a SERVICE under UNION or EXISTS makes one call
// per outer row; identical calls are answered from a memo.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/sparql/internal/ops.h"
#include "engine/sparql/service.h"

namespace weft::sparql::internal {

struct ServiceSpec {
  std::string text;     // Pattern::service_text: prologue + SELECT * WHERE { ... }
  TermOrVar endpoint;   // Pattern::graph
  std::string display;  // the endpoint as written (<iri> or ?var), for messages
  bool silent = false;
  // The group's in-scope variables (section 18.2.1) a remote can return, by name.
  std::vector<std::pair<std::string, VarId>> columns;
  // Name of the batch-row number variable; no variable of the query has it.
  std::string row_var;
};

class ServiceJoinOp : public Op {
 public:
  // left ⋈ SERVICE; with `optional`, left ⟕ SERVICE under `filters` (OPTIONAL
  // { SERVICE ... } FILTER: the filters of the LeftJoin).
  ServiceJoinOp(ExecContext& ctx, OpPtr left, ServiceSpec spec, bool optional,
                std::vector<CExpr> filters, ExprEval& ev);
  void open(const Id* input) override;
  bool next(Id* out) override;

  std::string base_label;  // the label before the call counts are added
  uint64_t calls() const { return calls_; }

 private:
  // The rows of one remote answer, as ids (nvars per row).
  struct Remote {
    std::vector<Id> rows;
    std::vector<int64_t> row_no;  // the batch row each answers (-1: not numbered)
    size_t count = 0;
    bool failed = false;  // SERVICE SILENT failed: one empty solution
  };
  // One endpoint's share of a batch.
  struct Call {
    Id endpoint = kAnyId;
    std::vector<VarId> vars;  // sent in VALUES
    bool numbered = false;    // the VALUES block has the row-number column
    std::vector<Id> tuples;   // vars.size() ids per distinct binding row; kAnyId = UNDEF
    std::unordered_map<std::string, uint32_t> tuple_index;
    std::shared_ptr<const Remote> remote;
    std::vector<std::vector<uint32_t>> by_tuple;  // remote rows answering each binding row
    std::vector<uint32_t> loose;  // remote rows to try against every row of the call
    bool all_loose = false;       // no VALUES: every remote row
  };
  static constexpr uint32_t kNoCall = UINT32_MAX;

  bool nextBatch();
  void runCall(Call& c);
  std::shared_ptr<const Remote> fetch(const std::string& endpoint, const std::string& query);
  [[noreturn]] void fail(Status s) const;
  void updateLabel();

  ExecContext& ctx_;
  OpPtr left_;
  ServiceSpec spec_;
  bool optional_;
  std::vector<CExpr> filters_;
  ExprEval& ev_;
  Id endpoint_const_ = kAnyId;
  std::unordered_map<std::string, VarId> by_name_;

  // The current batch.
  std::vector<Id> batch_;  // nvars per left row
  size_t nbatch_ = 0;
  std::vector<uint32_t> row_call_, row_tuple_;
  std::vector<Call> calls_in_batch_;
  bool left_done_ = false;
  // The left row being joined: its position and where it is in its candidates.
  size_t cur_ = 0;
  bool row_active_ = false, matched_ = false;
  int phase_ = 0;
  size_t cand_pos_ = 0;

  // Across batches and opens (one query).
  std::unordered_map<std::string, std::shared_ptr<const Remote>> memo_;
  size_t memo_ids_ = 0;
  std::unordered_set<Id> failed_endpoints_;  // SILENT endpoints that failed once
  uint64_t calls_ = 0, remote_rows_ = 0, silenced_ = 0;
  std::string last_error_;
};

}  // namespace weft::sparql::internal
