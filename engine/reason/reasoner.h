// SPDX-License-Identifier: Apache-2.0
// The reasoning layer: OWL 2 RL (or RDFS) materialisation over a store, with
// identity merging by union-find, domain rules written as SPARQL CONSTRUCT,
// incremental maintenance and explanations (docs/reasoning.md).
//
// What a reasoned store holds. Asserted data stays where it is (every graph
// but the inferred graph). The inferred graph kInferredGraph holds what the
// rules add: every triple of the closure that is not asserted as such, written
// on the representative of each owl:sameAs class (a GS1 Digital Link IRI
// (https://id.gs1.org/...) if the class has one, else the smallest member in
// N-Triples order), plus `alias owl:sameAs rep`, `rep owl:sameAs alias` and
// `alias dt:representative rep` for each other member, so a query can still
// ask which source identifiers a merged node has (db::MergedDataset uses the
// last to show each class as its representative). The union of all graphs (`weft query --union`) is then the
// closure. Inconsistencies (cls-nothing2, cax-dw, eq-diff1, prp-irp, ...) are
// reported in the Report and written to the inferred graph as dt:Inconsistency
// nodes; they do not stop materialisation.
//
// eq-ref (x owl:sameAs x for every term) is not materialised unless
// Options::eq_ref is set. dt-type2, dt-eq and dt-diff (literals as subjects,
// equal literal values) are not materialised; dt-not-type is checked.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/store/store.h"

namespace weft::reason {

inline constexpr std::string_view kInferredGraph = "https://w3id.org/weft/graph/inferred";

enum class Profile { kRdfs, kOwlRl };

// A domain rule: a SPARQL CONSTRUCT query over the union of asserted and
// inferred triples; its output joins the closure (ontologies/rules/*.rq).
struct DomainRule {
  std::string name;  // file name or label, used in explanations
  std::string text;  // the CONSTRUCT query
};

struct Options {
  Profile profile = Profile::kOwlRl;
  std::vector<DomainRule> rules;
  bool full = false;    // recompute from scratch even if the store was reasoned before
  bool eq_ref = false;  // materialise x owl:sameAs x
  // A line of progress now and then (phase, counts).
  std::function<void(std::string_view)> progress;
};

struct Inconsistency {
  std::string rule;                 // "cax-dw", "eq-diff1", ...
  std::vector<rdf::Term> terms;     // the bindings that violate it, in rule order
  std::string message;              // one readable line
};

struct Report {
  bool incremental = false;         // false: computed from scratch
  bool resident = false;            // Resident's fast path: the closure in memory took the commit
  std::string why_full;             // why an incremental run fell back to full
  uint64_t asserted = 0;            // distinct asserted triples read
  uint64_t closure = 0;             // triples in the closure (canonical form)
  uint64_t inferred = 0;            // triples now in the inferred graph
  uint64_t added = 0, removed = 0;  // changes written to the inferred graph
  uint64_t same_as_classes = 0;     // equivalence classes with more than one member
  uint64_t same_as_members = 0;     // members of those classes
  std::vector<Inconsistency> inconsistencies;
  double seconds = 0;               // wall time of the whole run
  // Its parts: reading the store, reasoning (rules, consistency check),
  // writing the inferred graph (diff and commit).
  double read_seconds = 0, reason_seconds = 0, write_seconds = 0;
  uint64_t rules = 0;               // compiled rules
  uint64_t work = 0;                // join candidates visited + union-find hops (machine-independent)
  // Peak resident memory of the process (KiB) when the run started, after
  // reasoning (the engine's memory) and at the end (the store's commit).
  uint64_t rss_start_kb = 0, rss_reasoned_kb = 0, rss_end_kb = 0;
};

// Bring the inferred graph up to date with the store's asserted data in one
// transaction. Incremental when a durable store was reasoned before with the
// same profile and rules (state in DIR/reason/); otherwise (in-memory stores
// included), or with Options::full, from scratch.
Result<Report> materialize(store::Store& store, const Options& opts);

// The closure kept in memory between the commits of one process (weft
// stream, weft serve --stream), so that a commit whose additions are known
// costs the closure O(change) instead of materialize()'s O(store): the
// engine of the last run stays loaded, the commit's new asserted triples are
// queued on it, and only the new conclusions (and the run's nonce) are
// written to the inferred graph. The state in DIR/reason/ is written by
// flush(); until then the inferred graph's nonce is ahead of it, so a process
// that dies leaves a store the next run reasons from scratch (correct, slower).
// Anything the fast path does not cover falls back to materialize() (and
// keeps that run's engine): removals, another writer's commit in between, a
// new owl:sameAs or a merge the batch derives, domain rules (they are re-run
// whole on any change), an in-memory store. Not thread-safe: one caller at a time.
class Resident {
 public:
  explicit Resident(store::Store& store);
  ~Resident();
  // Reads the options of the store's last run; false if it was never reasoned
  // (then every call below does nothing).
  Result<bool> open();
  // After a commit, with what it changed (store::Transaction::recordChanges).
  Result<Report> afterCommit(const store::CommitDelta& delta);
  // After any other write: a materialize() (incremental when it can be).
  Result<Report> afterWrite();
  // Writes the incremental state so the next process continues incrementally.
  Status flush();

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

// The options of the last materialize() on a durable store (kept in
// DIR/reason/options with the domain rules' text), so later writes (weft
// ingest, weft update) can bring the closure up to date the same way.
// False if the store was never reasoned (or was dropped).
Result<bool> storedOptions(const store::Store& store, Options* out);

// Remove the inferred graph and the incremental state.
Status dropInferred(store::Store& store);

// The derivation tree of one triple of the closure, down to asserted triples
// and the documents (graphs) that assert them, as indented text. NotFound if
// the triple is not in the closure.
Result<std::string> explain(store::Store& store, const Options& opts, const rdf::Term& s,
                            const rdf::Term& p, const rdf::Term& o);

// Domain rules from a folder (*.rq, sorted by name) or a single file.
Result<std::vector<DomainRule>> loadRules(const std::string& path);

}  // namespace weft::reason
