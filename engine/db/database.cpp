// SPDX-License-Identifier: Apache-2.0
// Query and update entry points over a store (database.h). A query reads one
// snapshot. An update request (SPARQL 1.1 Update, section 3: one request is
// applied atomically) takes the store's writer lock, runs every operation
// against an OverlayDataset on the snapshot of that moment, and commits the
// net changes as one store transaction; any error rolls everything back.
// loadFilesInMemory reads RDF files into a new in-memory store.
#include "engine/db/database.h"

#include "engine/db/overlay.h"
#include "engine/rdf/syntax.h"

namespace weft::db {

Status runQuery(const store::Store& s, const QueryRequest& req, sparql::QueryOutput& out) {
  auto q = sparql::parseQuery(req.text, req.parse);
  if (!q) return q.status();
  StoreDataset data(s.snapshot());
  return sparql::executeQuery(q.value(), data, req.exec, out);
}

Status runUpdateCounted(store::Store& s, const QueryRequest& req, sparql::UpdateStats* requested,
                        sparql::UpdateStats* effective) {
  auto u = sparql::parseUpdate(req.text, req.parse);
  if (!u) return u.status();
  auto txn_r = s.begin();
  if (!txn_r) return txn_r.status();
  auto& txn = txn_r.value();
  // Taken under the writer lock: no commit can come between it and ours.
  OverlayDataset data(s.snapshot());
  sparql::UpdateStats stats;
  Status st = sparql::executeUpdate(u.value(), data, req.exec, &stats);
  if (st) st = data.commitTo(*txn);
  if (st) st = txn->commit();  // rolls back itself on failure
  else txn->rollback();
  if (!st) return st;
  if (requested) *requested = stats;
  if (effective) {
    effective->inserted = txn->added();
    effective->deleted = txn->removed();
  }
  return Status::ok();
}

Status runUpdate(store::Store& s, const QueryRequest& req, sparql::UpdateStats* stats) {
  return runUpdateCounted(s, req, stats, nullptr);
}

Result<std::unique_ptr<store::Store>> loadFilesInMemory(const std::vector<std::string>& files) {
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  if (!txn) return txn.status();
  store::Loader loader(txn.value().get());
  for (const auto& file : files) {
    rdf::ReadOptions opts;
    opts.format = rdf::formatFromPath(file);
    if (opts.format == rdf::Format::kUnknown) {
      return Status::invalidArgument("cannot tell the syntax of '" + file +
                                     "' from its name (use .nt, .nq, .ttl, .trig, .rdf or .jsonld)");
    }
    loader.startDocument();
    WEFT_TRY(rdf::readFile(file, opts, loader));
  }
  WEFT_TRY(txn.value()->commit());
  return st;
}

}  // namespace weft::db
