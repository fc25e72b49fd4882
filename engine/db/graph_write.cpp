// SPDX-License-Identifier: Apache-2.0
#include "engine/db/graph_write.h"

#include <string>

namespace weft::db {

Result<GraphReplaceStats> replaceGraph(store::Store& st, std::string_view graph,
                                       const std::vector<rdf::Quad>& quads, std::string_view what) {
  for (const auto& q : quads)
    if (q.g.kind != rdf::TermKind::kIri || q.g.value != graph)
      return Status::invalidArgument(std::string(what) + ": a quad is not in the graph <" +
                                     std::string(graph) + ">");
  auto begun = st.begin();
  if (!begun) return begun.status();
  store::Transaction& txn = *begun.value();
  GraphReplaceStats stats;
  // Taken after begin(): no other writer can commit between this view and ours.
  auto snap = st.snapshot();
  const store::TermId g = snap->lookup(rdf::TermView::iri(graph));
  if (g != store::kAny) {
    // Removals apply before insertions, so quads that stay are simply kept.
    auto cur = snap->scan(store::QuadIds{0, 0, 0, g});
    store::QuadIds qs[256];
    for (size_t n; (n = cur.nextBatch(qs, 256)) > 0;) {
      for (size_t i = 0; i < n; ++i) txn.removeIds(qs[i]);
      stats.removed += n;
    }
  }
  txn.reserveAdds(quads.size());
  for (const auto& q : quads) {
    Status s = txn.add(q.view());
    if (!s) {
      txn.rollback();
      return Status(s.code(), std::string(what) + ": " + s.message());
    }
  }
  WEFT_TRY(txn.commit());
  stats.added = quads.size();
  return stats;
}

}  // namespace weft::db
