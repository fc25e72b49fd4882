// SPDX-License-Identifier: Apache-2.0
// Query and update execution: sets up the dataset (FROM / FROM NAMED /
// USING / WITH), plans the algebra (internal/planner.cpp), drives the
// operators and writes SELECT / ASK results, CONSTRUCT and DESCRIBE graphs,
// or the changes of an update (https://www.w3.org/TR/sparql11-update/).
#include "engine/sparql/execute.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "engine/sparql/functions.h"
#include "engine/sparql/internal/exec_context.h"
#include "engine/sparql/internal/ops.h"

namespace weft::sparql {

using internal::Aborted;
using internal::ExecContext;
using internal::ExprEval;
using internal::OpPtr;

namespace {

rdf::Term nowLiteral() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return rdf::Term::literal(buf, "http://www.w3.org/2001/XMLSchema#dateTime");
}

void setupFunctions(ExecContext& ctx, const std::string& base) {
  ctx.fn.now = nowLiteral();
  ctx.fn.base = base;
  ctx.fn.make_bnode = [&ctx](std::string_view) { return rdf::Term::blank(ctx.freshBlankLabel()); };
}

void setupDataset(ExecContext& ctx, const std::vector<rdf::Term>& from,
                  const std::vector<rdf::Term>& named) {
  ctx.has_from = true;
  ctx.has_named = true;
  for (const auto& t : from) {
    Id id = ctx.data.lookup(t.view());
    if (id != kAnyId) ctx.from.push_back(id);
  }
  // Every FROM NAMED IRI names a graph of the query's dataset, also one the
  // store does not hold (or the caller may not read): it is then empty. So
  // the answer never depends on whether the store knows the IRI (fuzz_policy).
  for (const auto& t : named) {
    Id id = ctx.intern(t);
    if (std::find(ctx.named.begin(), ctx.named.end(), id) == ctx.named.end()) ctx.named.push_back(id);
  }
}

bool validQuadTerm(const rdf::Term& t, int pos) {
  switch (pos) {
    case 0: return t.kind == rdf::TermKind::kIri || t.kind == rdf::TermKind::kBlank;
    case 1: return t.kind == rdf::TermKind::kIri;
    case 2: return t.kind != rdf::TermKind::kNone;
    default: return t.kind == rdf::TermKind::kIri || t.kind == rdf::TermKind::kNone;
  }
}

// Instantiates a template position for one solution; false if unbound.
bool instantiate(const TermOrVar& tv, ExecContext& ctx, const Id* row,
                 std::unordered_map<std::string, std::string>& bnodes, rdf::Term* out) {
  if (tv.isVar()) {
    Id id = row[tv.var];
    if (id == kAnyId) return false;
    *out = ctx.term(id);
    return out->kind != rdf::TermKind::kNone;
  }
  if (tv.term.kind == rdf::TermKind::kBlank) {
    auto it = bnodes.find(tv.term.value);
    if (it == bnodes.end()) it = bnodes.emplace(tv.term.value, ctx.freshBlankLabel()).first;
    *out = rdf::Term::blank(it->second);
    return true;
  }
  *out = tv.term;
  return true;
}

Status runSelect(const Query& q, ExecContext& ctx, internal::Op& root, QueryOutput& out) {
  if (!out.results) return Status::invalidArgument("no result writer for a SELECT query");
  std::vector<std::string> names;
  for (VarId v : q.select_vars) names.push_back(q.vars[v]);
  WEFT_TRY(out.results->begin(names));
  std::vector<Id> zero(ctx.nvars, kAnyId), row(ctx.nvars);
  std::vector<rdf::Term> terms(q.select_vars.size());
  root.open(zero.data());
  while (root.next(row.data())) {
    ctx.countOutputRow();
    for (size_t i = 0; i < q.select_vars.size(); ++i) terms[i] = ctx.term(row[q.select_vars[i]]);
    WEFT_TRY(out.results->row(terms));
  }
  return out.results->end();
}

Status runAsk(ExecContext& ctx, internal::Op& root, QueryOutput& out) {
  if (!out.results) return Status::invalidArgument("no result writer for an ASK query");
  std::vector<Id> zero(ctx.nvars, kAnyId), row(ctx.nvars);
  root.open(zero.data());
  return out.results->boolean(root.next(row.data()));
}

Status runConstruct(const Query& q, ExecContext& ctx, internal::Op& root, QueryOutput& out) {
  if (!out.graph) return Status::invalidArgument("no RDF writer for a CONSTRUCT query");
  std::vector<Id> zero(ctx.nvars, kAnyId), row(ctx.nvars);
  std::unordered_set<std::string> seen;
  std::unordered_map<std::string, std::string> bnodes;
  root.open(zero.data());
  rdf::Term s, p, o;
  while (root.next(row.data())) {
    bnodes.clear();
    for (const auto& t : q.construct_template) {
      if (!instantiate(t.s, ctx, row.data(), bnodes, &s) || !validQuadTerm(s, 0)) continue;
      if (!instantiate(t.p, ctx, row.data(), bnodes, &p) || !validQuadTerm(p, 1)) continue;
      if (!instantiate(t.o, ctx, row.data(), bnodes, &o) || !validQuadTerm(o, 2)) continue;
      rdf::QuadView qv{s.view(), p.view(), o.view(), {}};
      std::string key = rdf::toNQuads(qv);
      if (!seen.insert(std::move(key)).second) continue;
      ctx.countOutputRow();
      WEFT_TRY(out.graph->quad(qv));
    }
  }
  return Status::ok();
}

// DESCRIBE: the triples with the resource as subject, plus, recursively,
// those of blank nodes in object position (a concise bounded description).
Status runDescribe(const Query& q, ExecContext& ctx, internal::Op* root, QueryOutput& out) {
  if (!out.graph) return Status::invalidArgument("no RDF writer for a DESCRIBE query");
  std::vector<Id> resources;
  std::unordered_set<Id> seen_res;
  auto addRes = [&](Id id) {
    if (id != kAnyId && seen_res.insert(id).second) resources.push_back(id);
  };
  for (const auto& d : q.describe)
    if (!d.isVar()) addRes(ctx.lookupOrZero(d.term));
  if (root) {
    std::vector<Id> zero(ctx.nvars, kAnyId), row(ctx.nvars);
    root->open(zero.data());
    while (root->next(row.data())) {
      for (const auto& d : q.describe)
        if (d.isVar()) addRes(row[d.var]);
    }
  }
  internal::PathEval pe(ctx);
  std::unordered_set<std::string> emitted;
  for (size_t i = 0; i < resources.size(); ++i) {
    Id r = resources[i];
    if ((r & kQueryIdBits) == kQueryIdBits) continue;
    Status st;
    pe.scanGraph(r, kAnyId, kAnyId, kDefaultGraphId, [&](Id s, Id p, Id o) {
      rdf::Term ts = ctx.term(s), tp = ctx.term(p), to = ctx.term(o);
      rdf::QuadView qv{ts.view(), tp.view(), to.view(), {}};
      if (emitted.insert(rdf::toNQuads(qv)).second) {
        ctx.countOutputRow();
        st = out.graph->quad(qv);
        if (!st.isOk()) return false;
      }
      if (to.kind == rdf::TermKind::kBlank) addRes(o);
      return true;
    });
    WEFT_TRY(st);
  }
  return Status::ok();
}

}  // namespace

Status executeQuery(const Query& q, const Dataset& data, const ExecOptions& opts, QueryOutput& out) {
  ExecContext ctx(data, opts, q.vars.size());
  setupFunctions(ctx, q.base);
  if (q.has_dataset_clause) {
    setupDataset(ctx, q.from, q.from_named);
  } else if (opts.union_default_graph) {
    ctx.has_from = true;
    ctx.from = {kAnyId};  // every graph: see ExecContext::from
  }
  ExprEval ev(ctx);
  OpPtr root;
  try {
    internal::PlanOptions po;
    po.naive = opts.naive;
    if (q.pattern) root = internal::planPattern(ctx, ev, *q.pattern, po, &q.vars);
    Status st;
    switch (q.form) {
      case QueryForm::kSelect: st = runSelect(q, ctx, *root, out); break;
      case QueryForm::kAsk: st = runAsk(ctx, *root, out); break;
      case QueryForm::kConstruct: st = runConstruct(q, ctx, *root, out); break;
      case QueryForm::kDescribe: st = runDescribe(q, ctx, root.get(), out); break;
    }
    if (out.explain && root) *out.explain = internal::explainTree(*root);
    return st;
  } catch (const Aborted& a) {
    if (out.explain && root) *out.explain = internal::explainTree(*root);
    return a.status;
  }
}

// ---------------------------------------------------------------- updates

namespace {

struct TermQuad {
  rdf::Term s, p, o, g;
  rdf::QuadView view() const { return {s.view(), p.view(), o.view(), g.view()}; }
};

// All quads of graph `g` (an id; kDefaultGraphId = default graph) as terms.
std::vector<TermQuad> quadsOf(ExecContext& ctx, Id g) {
  std::vector<TermQuad> out;
  auto cur = ctx.data.scan(IdQuad{kAnyId, kAnyId, kAnyId, g});
  IdQuad q;
  while (cur->next(&q)) {
    TermQuad t{ctx.term(q.s), ctx.term(q.p), ctx.term(q.o),
               q.g == kDefaultGraphId ? rdf::Term() : ctx.term(q.g)};
    out.push_back(std::move(t));
  }
  return out;
}

Status eraseAll(MutableDataset& data, const std::vector<TermQuad>& quads, UpdateStats* st) {
  for (const auto& q : quads) {
    WEFT_TRY(data.erase(q.view()));
    if (st) ++st->deleted;
  }
  return Status::ok();
}

Id graphIdOf(ExecContext& ctx, GraphTarget t, const rdf::Term& iri) {
  if (t == GraphTarget::kDefault) return kDefaultGraphId;
  return ctx.data.lookup(iri.view());
}

bool graphExists(ExecContext& ctx, MutableDataset& data, GraphTarget t, const rdf::Term& iri) {
  if (t == GraphTarget::kDefault) return true;
  Id id = ctx.data.lookup(iri.view());
  return id != kAnyId && data.graphExists(id);
}

Status clearTarget(ExecContext& ctx, MutableDataset& data, GraphTarget t, const rdf::Term& iri,
                   UpdateStats* st) {
  std::vector<Id> graphs;
  switch (t) {
    case GraphTarget::kDefault: graphs.push_back(kDefaultGraphId); break;
    case GraphTarget::kGraph: {
      Id id = ctx.data.lookup(iri.view());
      if (id != kAnyId) graphs.push_back(id);
      break;
    }
    case GraphTarget::kNamed: graphs = ctx.data.namedGraphs(); break;
    case GraphTarget::kAll:
      graphs = ctx.data.namedGraphs();
      graphs.push_back(kDefaultGraphId);
      break;
  }
  for (Id g : graphs) WEFT_TRY(eraseAll(data, quadsOf(ctx, g), st));
  return Status::ok();
}

Status runModify(const UpdateOp& op, const Update& u, MutableDataset& data, const ExecOptions& opts,
                 UpdateStats* st, uint64_t request_scope) {
  uint64_t fresh = 0;
  std::vector<std::vector<rdf::Term>> rows;
  size_t nvars = u.vars.size();
  {
    ExecContext ctx(data, opts, nvars);
    setupFunctions(ctx, u.base);
    if (op.has_using)
      setupDataset(ctx, op.using_graphs, op.using_named);
    else if (op.with.kind != rdf::TermKind::kNone) {
      ctx.has_from = true;
      Id id = data.lookup(op.with.view());
      if (id != kAnyId) ctx.from.push_back(id);
    }
    ExprEval ev(ctx);
    internal::PlanOptions po;
    po.naive = opts.naive;
    OpPtr root = internal::planPattern(ctx, ev, *op.where, po, &u.vars);
    std::vector<Id> zero(nvars, kAnyId), row(nvars);
    root->open(zero.data());
    while (root->next(row.data())) {
      std::vector<rdf::Term> r(nvars);
      for (size_t v = 0; v < nvars; ++v) r[v] = ctx.term(row[v]);
      rows.push_back(std::move(r));
    }
  }
  // Templates: a quad outside GRAPH goes to the WITH graph, else the default graph.
  auto build = [&](const std::vector<QuadPattern>& tpl, bool fresh_bnodes,
                   std::vector<TermQuad>* out) {
    for (const auto& r : rows) {
      std::unordered_map<std::string, std::string> bnodes;
      for (const auto& t : tpl) {
        TermQuad q;
        const TermOrVar* pos[4] = {&t.s, &t.p, &t.o, &t.g};
        rdf::Term* dst[4] = {&q.s, &q.p, &q.o, &q.g};
        bool ok = true;
        for (int i = 0; i < 4 && ok; ++i) {
          if (pos[i]->isVar()) {
            *dst[i] = r[pos[i]->var];
            ok = dst[i]->kind != rdf::TermKind::kNone;
          } else if (pos[i]->term.kind == rdf::TermKind::kBlank && fresh_bnodes) {
            auto it = bnodes.find(pos[i]->term.value);
            if (it == bnodes.end()) {
              // Unique within the request (the store scopes them at commit).
              std::string label = "w";
              label += std::to_string(request_scope);
              label += '_';
              label += std::to_string(++fresh);
              it = bnodes.emplace(pos[i]->term.value, std::move(label)).first;
            }
            *dst[i] = rdf::Term::blank(it->second);
          } else {
            *dst[i] = pos[i]->term;
          }
          if (ok) ok = validQuadTerm(*dst[i], i);
        }
        if (!ok) continue;
        if (q.g.kind == rdf::TermKind::kNone && !t.g.isVar() && op.with.kind != rdf::TermKind::kNone)
          q.g = op.with;
        out->push_back(std::move(q));
      }
    }
  };
  std::vector<TermQuad> del, ins;
  build(op.delete_template, false, &del);
  build(op.insert_template, true, &ins);
  for (const auto& q : del) {
    WEFT_TRY(data.erase(q.view()));
    if (st) ++st->deleted;
  }
  for (const auto& q : ins) {
    WEFT_TRY(data.insert(q.view()));
    if (st) ++st->inserted;
  }
  return Status::ok();
}

Status runOp(const UpdateOp& op, const Update& u, MutableDataset& data, const ExecOptions& opts,
             UpdateStats* st, uint64_t request_scope) {
  ExecContext ctx(data, opts, u.vars.size());
  switch (op.kind) {
    case UpdateKind::kInsertData: {
      std::unordered_map<std::string, std::string> bnodes;
      for (const auto& t : op.insert_template) {
        TermQuad q{t.s.term, t.p.term, t.o.term, t.g.term};
        for (rdf::Term* x : {&q.s, &q.o}) {
          if (x->kind != rdf::TermKind::kBlank) continue;
          auto it = bnodes.find(x->value);
          if (it == bnodes.end())
            it = bnodes.emplace(x->value, "u" + std::to_string(request_scope) + "_" + x->value).first;
          *x = rdf::Term::blank(it->second);
        }
        WEFT_TRY(data.insert(q.view()));
        if (st) ++st->inserted;
      }
      return Status::ok();
    }
    case UpdateKind::kDeleteData:
      for (const auto& t : op.delete_template) {
        TermQuad q{t.s.term, t.p.term, t.o.term, t.g.term};
        WEFT_TRY(data.erase(q.view()));
        if (st) ++st->deleted;
      }
      return Status::ok();
    case UpdateKind::kDeleteWhere:
    case UpdateKind::kModify:
      return runModify(op, u, data, opts, st, request_scope);
    case UpdateKind::kLoad: {
      Status s = data.load(op.source, op.target_iri);
      return op.silent ? Status::ok() : s;
    }
    case UpdateKind::kClear:
      if (op.target == GraphTarget::kGraph && !op.silent &&
          !graphExists(ctx, data, op.target, op.target_iri))
        return Status::ok();  // weft keeps no empty graphs: clearing one is a no-op
      return clearTarget(ctx, data, op.target, op.target_iri, st);
    case UpdateKind::kDrop:
      if (op.target == GraphTarget::kGraph && !op.silent &&
          !graphExists(ctx, data, op.target, op.target_iri))
        return Status::invalidArgument("DROP GRAPH " + rdf::toNTriples(op.target_iri.view()) +
                                       ": no such graph (use DROP SILENT)");
      return clearTarget(ctx, data, op.target, op.target_iri, st);
    case UpdateKind::kCreate:
      if (graphExists(ctx, data, GraphTarget::kGraph, op.target_iri)) {
        if (op.silent) return Status::ok();
        return Status::invalidArgument("CREATE GRAPH " + rdf::toNTriples(op.target_iri.view()) +
                                       ": the graph already exists (use CREATE SILENT)");
      }
      data.noteCreated(op.target_iri);
      return Status::ok();
    case UpdateKind::kAdd:
    case UpdateKind::kMove:
    case UpdateKind::kCopy: {
      bool same = op.source_target == op.target &&
                  (op.target == GraphTarget::kDefault || op.source == op.target_iri);
      if (same) return Status::ok();
      if (!graphExists(ctx, data, op.source_target, op.source)) {
        if (op.silent) return Status::ok();
        return Status::invalidArgument("source graph " + rdf::toNTriples(op.source.view()) +
                                       " does not exist");
      }
      Id src = graphIdOf(ctx, op.source_target, op.source);
      std::vector<TermQuad> quads = src == kAnyId ? std::vector<TermQuad>{} : quadsOf(ctx, src);
      if (op.kind != UpdateKind::kAdd)
        WEFT_TRY(clearTarget(ctx, data, op.target, op.target_iri, st));
      rdf::Term target = op.target == GraphTarget::kDefault ? rdf::Term() : op.target_iri;
      if (op.target != GraphTarget::kDefault) data.noteCreated(target);
      for (auto q : quads) {
        q.g = target;
        WEFT_TRY(data.insert(q.view()));
        if (st) ++st->inserted;
      }
      if (op.kind == UpdateKind::kMove) {
        std::vector<TermQuad> again = quadsOf(ctx, src);
        WEFT_TRY(eraseAll(data, again, st));
      }
      return Status::ok();
    }
  }
  return Status::internal("unknown update operation");
}

}  // namespace

Status executeUpdate(const Update& u, MutableDataset& data, const ExecOptions& opts,
                     UpdateStats* stats) {
  static std::atomic<uint64_t> scope{0};
  uint64_t request_scope =
      (static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) << 8) ^
      ++scope;
  try {
    for (size_t i = 0; i < u.ops.size(); ++i) {
      Status s = runOp(u.ops[i], u, data, opts, stats, request_scope + i);
      if (!s.isOk())
        return Status(s.code(), "operation " + std::to_string(i + 1) + ": " + s.message());
    }
  } catch (const Aborted& a) {
    return a.status;
  }
  return Status::ok();
}

}  // namespace weft::sparql
