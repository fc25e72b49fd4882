// SPDX-License-Identifier: Apache-2.0
// SERVICE as a bind join (ops_service.h): batches of left rows, one VALUES
// block per endpoint and batch, remote rows joined back by binding row.
// https://www.w3.org/TR/sparql11-federated-query/#defn_evalService
#include "engine/sparql/internal/ops_service.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "engine/sparql/internal/ops_impl.h"

namespace weft::sparql::internal {

namespace {

// Past this many ids (and query text, counted in ids) held by the memo of
// identical calls, it starts over.
constexpr size_t kMemoIdCap = size_t{1} << 22;
// How the parser opens Pattern::service_text after the prologue.
constexpr std::string_view kSelectWhere = "SELECT * WHERE ";

void appendKey(std::string& key, Id id) {
  key.append(reinterpret_cast<const char*>(&id), sizeof id);
}

}  // namespace

ServiceJoinOp::ServiceJoinOp(ExecContext& ctx, OpPtr left, ServiceSpec spec, bool optional,
                             std::vector<CExpr> filters, ExprEval& ev)
    : ctx_(ctx),
      left_(std::move(left)),
      spec_(std::move(spec)),
      optional_(optional),
      filters_(std::move(filters)),
      ev_(ev) {
  children = {left_.get()};
  if (!spec_.endpoint.isVar()) endpoint_const_ = ctx_.intern(spec_.endpoint.term);
  for (const auto& [name, v] : spec_.columns) by_name_.emplace(name, v);
}

void ServiceJoinOp::fail(Status s) const { throw Aborted{std::move(s)}; }

void ServiceJoinOp::updateLabel() {
  label = base_label + ": " + std::to_string(calls_) + (calls_ == 1 ? " call, " : " calls, ") +
          std::to_string(remote_rows_) + " remote rows";
  if (silenced_ > 0)
    label += ", " + std::to_string(silenced_) + " failure" + (silenced_ == 1 ? "" : "s") +
             " silenced (last: " + last_error_ + ")";
}

void ServiceJoinOp::open(const Id* input) {
  left_->open(input);
  left_done_ = false;
  nbatch_ = 0;
  cur_ = 0;
  row_active_ = false;
}

std::shared_ptr<const ServiceJoinOp::Remote> ServiceJoinOp::fetch(const std::string& endpoint,
                                                                  const std::string& query) {
  std::string key = endpoint + '\n' + query;
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  auto remote = std::make_shared<Remote>();
  auto remember = [&] {
    if (memo_ids_ > kMemoIdCap) {
      memo_.clear();
      memo_ids_ = 0;
    }
    memo_ids_ += remote->rows.size() + key.size() / sizeof(Id) + 1;
    memo_.emplace(std::move(key), remote);
    return remote;
  };
  Id endpoint_id = ctx_.intern(rdf::Term::iri(endpoint));
  if (failed_endpoints_.count(endpoint_id)) {
    // A SILENT endpoint that already failed in this query is not asked again
    // (a dead host would otherwise cost its timeout once per batch).
    remote->failed = true;
    return remember();
  }

  ctx_.checkLimits();
  ServiceRequest req;
  req.endpoint = endpoint;
  req.query = query;
  req.max_rows = ctx_.opts.max_rows;
  req.cancel = ctx_.opts.cancel;
  if (ctx_.opts.deadline != std::chrono::steady_clock::time_point::max()) {
    auto left = ctx_.opts.deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero())
      fail(Status::aborted("query timed out"));
    // Rounded up, so that a call cut short by this limit ends after the
    // deadline and reports as the query's timeout (checkLimits below).
    req.timeout =
        std::max(std::chrono::ceil<std::chrono::milliseconds>(left), std::chrono::milliseconds(1));
  }
  ++calls_;
  auto reply = ctx_.opts.service->call(req);
  ctx_.checkLimits();

  Status err;
  ResultSet rs;
  if (!reply) {
    err = reply.status();
  } else {
    auto parsed = parseServiceReply(std::move(reply.value()));
    if (parsed)
      rs = std::move(parsed.value());
    else
      err = Status(StatusCode::kSyntaxError, "malformed results: " + parsed.status().message());
  }
  if (!err.isOk()) {
    std::string msg = err.message();
    if (msg.find(endpoint) == std::string::npos) msg = "SERVICE <" + endpoint + ">: " + msg;
    if (spec_.silent) {
      ++silenced_;
      last_error_ = msg;
      failed_endpoints_.insert(endpoint_id);
      remote->failed = true;
      updateLabel();
      return remember();
    }
    // A remote timeout is the endpoint's failure, not the query's limit
    // (kAborted means "deadline, cancel or row cap" to callers).
    StatusCode code = err.code() == StatusCode::kAborted ? StatusCode::kIoError : err.code();
    fail(Status(code, msg));
  }
  if (ctx_.opts.max_rows != 0 && rs.rows.size() > ctx_.opts.max_rows)
    fail(Status::aborted("SERVICE <" + endpoint + ">: the answer has more than " +
                         std::to_string(ctx_.opts.max_rows) + " rows (the result-size cap)"));

  // Columns: query variables of the group by name, the row number, others dropped.
  constexpr int kRowNo = -2, kDrop = -1;
  std::vector<int> col(rs.vars.size(), kDrop);
  for (size_t c = 0; c < rs.vars.size(); ++c) {
    if (rs.vars[c] == spec_.row_var)
      col[c] = kRowNo;
    else if (auto it = by_name_.find(rs.vars[c]); it != by_name_.end())
      col[c] = it->second;
  }
  // Blank nodes are scoped per call: the same label in two answers is two nodes.
  std::unordered_map<std::string, std::string> blanks;
  size_t n = ctx_.nvars;
  remote->rows.assign(rs.rows.size() * n, kAnyId);
  remote->row_no.assign(rs.rows.size(), -1);
  for (size_t r = 0; r < rs.rows.size(); ++r) {
    Id* row = remote->rows.data() + r * n;
    for (size_t c = 0; c < rs.vars.size(); ++c) {
      rdf::Term& t = rs.rows[r][c];
      if (col[c] == kDrop || t.isNone()) continue;
      if (col[c] == kRowNo) {
        int64_t no = -1;
        auto res = std::from_chars(t.value.data(), t.value.data() + t.value.size(), no);
        if (res.ec == std::errc() && res.ptr == t.value.data() + t.value.size())
          remote->row_no[r] = no;
        continue;
      }
      if (t.kind == rdf::TermKind::kBlank) {
        auto it = blanks.find(t.value);
        if (it == blanks.end()) it = blanks.emplace(t.value, ctx_.freshBlankLabel()).first;
        t.value = it->second;
      }
      row[col[c]] = ctx_.intern(t);
    }
    ctx_.tick();
  }
  remote->count = rs.rows.size();
  remote_rows_ += remote->count;
  updateLabel();
  return remember();
}

void ServiceJoinOp::runCall(Call& c) {
  const std::string endpoint = ctx_.term(c.endpoint).value;
  std::string query;
  size_t where = spec_.text.find(kSelectWhere);
  if (c.vars.empty() || where == std::string::npos) {
    query = spec_.text;
  } else {
    // SELECT * WHERE { { group } VALUES ... }: the group is evaluated on its
    // own (bottom up) and joined with the bindings, so only rows that can
    // join come back. Inside the WHERE group rather than trailing the query,
    // since SELECT * is not required to return a trailing VALUES variable.
    query = spec_.text.substr(0, where) + "SELECT * WHERE {\n" +
            spec_.text.substr(where + kSelectWhere.size()) + "\nVALUES (";
    for (VarId v : c.vars)
      for (const auto& [name, id] : spec_.columns)
        if (id == v) query += "?" + name + " ";
    if (c.numbered) query += "?" + spec_.row_var;
    query += ") {\n";
    size_t w = c.vars.size();
    for (size_t t = 0; t < c.tuples.size() / w; ++t) {
      query += "  (";
      for (size_t k = 0; k < w; ++k) {
        Id id = c.tuples[t * w + k];
        query += id == kAnyId ? std::string("UNDEF") : rdf::toNTriples(ctx_.term(id).view());
        query += ' ';
      }
      if (c.numbered) query += std::to_string(t);
      query += ")\n";
    }
    query += "}\n}\n";
  }
  c.remote = fetch(endpoint, query);
  const Remote& rem = *c.remote;
  if (rem.failed) return;
  size_t n = ctx_.nvars, w = c.vars.size();
  if (w == 0) {
    c.all_loose = true;
    return;
  }
  c.by_tuple.assign(c.tuples.size() / w, {});
  std::string key;
  for (size_t r = 0; r < rem.count; ++r) {
    if (c.numbered) {
      int64_t no = rem.row_no[r];
      if (no >= 0 && static_cast<size_t>(no) < c.by_tuple.size())
        c.by_tuple[no].push_back(static_cast<uint32_t>(r));
      else
        c.loose.push_back(static_cast<uint32_t>(r));  // a remote that dropped the column
      continue;
    }
    // Every binding row is complete: a remote row answers the one with its values.
    const Id* row = rem.rows.data() + r * n;
    key.clear();
    bool complete = true;
    for (VarId v : c.vars) {
      if (row[v] == kAnyId) complete = false;
      appendKey(key, row[v]);
    }
    if (!complete) {
      c.loose.push_back(static_cast<uint32_t>(r));
      continue;
    }
    if (auto it = c.tuple_index.find(key); it != c.tuple_index.end())
      c.by_tuple[it->second].push_back(static_cast<uint32_t>(r));
  }
}

bool ServiceJoinOp::nextBatch() {
  size_t n = ctx_.nvars;
  size_t cap = std::max<uint32_t>(ctx_.opts.service_batch, 1);
  // A batch ends at `cap` distinct bindings of what is sent (the endpoint and
  // the group's variables), not at `cap` rows: many left rows often share a
  // few values (9,325 shipments to 25 receivers are one call, not 47). The
  // rows held per batch are capped too, so memory stays bounded.
  const size_t max_rows = std::max<size_t>(cap * 64, 4096);
  std::unordered_set<std::string> distinct;
  std::string k;
  batch_.clear();
  nbatch_ = 0;
  while (distinct.size() < cap && nbatch_ < max_rows && !left_done_) {
    batch_.resize((nbatch_ + 1) * n);
    const Id* row = batch_.data() + nbatch_ * n;
    if (!left_->next(batch_.data() + nbatch_ * n)) {
      left_done_ = true;
      batch_.resize(nbatch_ * n);
      break;
    }
    k.clear();
    if (spec_.endpoint.isVar()) appendKey(k, row[spec_.endpoint.var]);
    for (const auto& col : spec_.columns) appendKey(k, row[col.second]);
    distinct.insert(k);
    ++nbatch_;
  }
  if (nbatch_ == 0) return false;

  // Rows by endpoint.
  calls_in_batch_.clear();
  row_call_.assign(nbatch_, kNoCall);
  row_tuple_.assign(nbatch_, 0);
  std::unordered_map<Id, uint32_t> call_of;
  for (size_t i = 0; i < nbatch_; ++i) {
    const Id* row = batch_.data() + i * n;
    Id ep = spec_.endpoint.isVar() ? row[spec_.endpoint.var] : endpoint_const_;
    if (ep == kAnyId || ctx_.term(ep).kind != rdf::TermKind::kIri) {
      // https://www.w3.org/TR/sparql11-federated-query/#variableService: the
      // variable must be bound to an IRI by the time SERVICE is evaluated.
      if (spec_.silent) continue;  // one empty solution
      if (ep == kAnyId)
        fail(Status::invalidArgument("SERVICE " + spec_.display +
                                     ": the endpoint variable is not bound (bind it before the "
                                     "SERVICE, or use SERVICE SILENT)"));
      fail(Status::invalidArgument("SERVICE " + spec_.display + ": the endpoint " +
                                   rdf::toNTriples(ctx_.term(ep).view()) + " is not an IRI"));
    }
    auto [it, fresh] = call_of.emplace(ep, static_cast<uint32_t>(calls_in_batch_.size()));
    if (fresh) {
      calls_in_batch_.emplace_back();
      calls_in_batch_.back().endpoint = ep;
    }
    row_call_[i] = it->second;
  }
  // Per call: the group's variables bound in some row go into VALUES.
  for (uint32_t k = 0; k < calls_in_batch_.size(); ++k) {
    Call& c = calls_in_batch_[k];
    for (const auto& col : spec_.columns) {
      VarId v = col.second;
      for (size_t i = 0; i < nbatch_; ++i)
        if (row_call_[i] == k && batch_[i * n + v] != kAnyId) {
          c.vars.push_back(v);
          break;
        }
    }
  }
  std::string key;
  for (size_t i = 0; i < nbatch_; ++i) {
    if (row_call_[i] == kNoCall) continue;
    Call& c = calls_in_batch_[row_call_[i]];
    if (c.vars.empty()) continue;
    key.clear();
    std::vector<Id> tuple;
    for (VarId v : c.vars) {
      Id id = batch_[i * n + v];
      // A blank node cannot be sent (VALUES has no blank nodes) and no remote
      // term equals it: send UNDEF and let the local join drop what binds it.
      if (id != kAnyId && ctx_.term(id).kind == rdf::TermKind::kBlank) id = kAnyId;
      if (id == kAnyId) c.numbered = true;
      tuple.push_back(id);
      appendKey(key, id);
    }
    auto [it, fresh] =
        c.tuple_index.emplace(key, static_cast<uint32_t>(c.tuples.size() / c.vars.size()));
    if (fresh) c.tuples.insert(c.tuples.end(), tuple.begin(), tuple.end());
    row_tuple_[i] = it->second;
  }
  for (Call& c : calls_in_batch_) runCall(c);
  cur_ = 0;
  row_active_ = false;
  return true;
}

bool ServiceJoinOp::next(Id* out) {
  size_t n = ctx_.nvars;
  for (;;) {
    if (cur_ >= nbatch_) {
      if (!nextBatch()) return false;
    }
    const Id* lrow = batch_.data() + cur_ * n;
    uint32_t ci = row_call_[cur_];
    if (ci == kNoCall || calls_in_batch_[ci].remote->failed) {
      // SILENT: the failed call's one empty solution joins with the row as it
      // is (and under OPTIONAL the row stays either way).
      row_active_ = false;
      std::copy(lrow, lrow + n, out);
      ++cur_;
      ++actual;
      return true;
    }
    const Call& c = calls_in_batch_[ci];
    if (!row_active_) {
      row_active_ = true;
      matched_ = false;
      phase_ = 0;
      cand_pos_ = 0;
    }
    const Remote& rem = *c.remote;
    // Phase 0: the remote rows answering this row's bindings; 1: the loose ones.
    while (phase_ < 2) {
      uint32_t r;
      if (c.all_loose) {
        if (cand_pos_ >= rem.count) {
          phase_ = 2;
          break;
        }
        r = static_cast<uint32_t>(cand_pos_++);
      } else {
        const std::vector<uint32_t>& list = phase_ == 0 ? c.by_tuple[row_tuple_[cur_]] : c.loose;
        if (cand_pos_ >= list.size()) {
          ++phase_;
          cand_pos_ = 0;
          continue;
        }
        r = list[cand_pos_++];
      }
      const Id* rrow = rem.rows.data() + r * n;
      std::copy(rrow, rrow + n, out);
      if (!mergeCompatible(lrow, out, n)) continue;
      if (optional_ && !filters_.empty()) {
        ev_.newSolution();
        bool ok = true;
        for (const auto& f : filters_)
          if (!ev_.test(f, out)) {
            ok = false;
            break;
          }
        if (!ok) continue;
      }
      matched_ = true;
      ++actual;
      return true;
    }
    row_active_ = false;
    bool unmatched = optional_ && !matched_;
    ++cur_;
    if (unmatched) {
      std::copy(lrow, lrow + n, out);
      ++actual;
      return true;
    }
  }
}

}  // namespace weft::sparql::internal
