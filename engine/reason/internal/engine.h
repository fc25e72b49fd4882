// SPDX-License-Identifier: Apache-2.0
// The in-memory forward-chaining engine behind reason::materialize.
//
// Terms are dense 32-bit ids (the caller maps store ids to them). Triples live
// in one append-only vector; a triple's index is its id. A triple is *known*
// once added (it is in the hash set, so it is never queued twice) and
// *visible* once processed: processing links it into three chained indexes
// (by predicate+subject, predicate+object, predicate) and then matches it
// against every body atom of every rule it can instantiate, joining the other
// atoms against visible triples only. So each rule instance is found when its
// last premise becomes visible: semi-naive evaluation with the queue being
// the tail of the vector (RDFox's scheme, without its parallelism).
//
// Rules are compiled from the schema triples (docs/reasoning.md): OWL 2 RL's
// instance rules become one rule per axiom with constant predicates (and
// constant classes for rdf:type atoms), so dispatch is a table lookup. When
// new schema triples appear, the rules are compiled again and only the new
// ones are run over what is already visible.
//
// owl:sameAs is a union-find over terms, not a set of triples. After the
// queue drains, every triple mentioning a merged-away term is rewritten onto
// its representative (the old triple dies, the new one is queued).
//
// Deletions (DRed): overdelete everything with a derivation through a deleted
// triple, then put back what is still asserted or has a one-step derivation
// from what is left, and run forward from those.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace weft::reason::internal {

using T = uint32_t;
inline constexpr T kNone = UINT32_MAX;

struct Tri {
  T s, p, o;
  friend bool operator==(const Tri&, const Tri&) = default;
};

// What the engine needs to know about terms it does not own.
class TermInfo {
 public:
  virtual ~TermInfo() = default;
  virtual bool isLiteral(T t) = 0;
  // N-Triples spelling, for choosing a class representative and messages.
  virtual std::string text(T t) = 0;
};

// The vocabulary ids the compiled rules need (filled by the caller).
struct Vocab {
  T type, sco, spo, domain, range, eqc, eqp, inverse, chain, key, inter, uni, compl_, svf, avf,
      hv, onp, onclass, maxc, maxqc, oneof, dw, pdw, members, distinct, sameas, difffrom,
      src_ind, assert_prop, tgt_ind, tgt_val, first, rest, nil, thing, nothing, cls, objprop,
      dataprop, transitive, symmetric, asymmetric, irreflexive, functional, invfunctional,
      alldisjointclasses, alldisjointprops, alldifferent, npa, datatype, annotprop;
  std::vector<T> datatypes;    // dt-type1
  std::vector<T> annotations;  // prp-ap
  T zero = kNone, one = kNone;  // "0"/"1" as xsd:nonNegativeInteger (and xsd:integer)
  T zero_i = kNone, one_i = kNone;
};

enum class Profile { kRdfs, kOwlRl };

// Flags per triple.
enum : uint8_t {
  kDead = 1,          // retracted or rewritten onto a representative
  kLinked = 2,        // processed: visible to joins
  kAsserted = 4,      // canonical form of an asserted triple
  kExact = 8,         // asserted exactly as it is (not only through an alias)
  kFromRule = 16,     // produced by a domain rule this run
  kOverdeleted = 32,  // DRed: marked for deletion
  kViaSco = 64,       // derived by cax-sco: need not fire cax-sco again (see engine.cpp)
  kViaSpo = 128,      // derived by prp-spo1: need not fire prp-spo1 again
};

struct Inconsistency {
  std::string rule;
  std::vector<T> terms;           // the rule's variable bindings
  uint32_t rule_index = kNone;    // into rules() (kNone for eq-diff2/3)
};

// A derivation: rule index (into rules(), or one of the kDeriv* codes) and
// premise triple ids.
inline constexpr uint32_t kDerivAsserted = UINT32_MAX;
inline constexpr uint32_t kDerivRewrite = UINT32_MAX - 1;  // eq-rep-*: premise = the alias triple
inline constexpr uint32_t kDerivDomain = UINT32_MAX - 2;   // a domain rule (index in `aux`)
inline constexpr uint32_t kDerivUnknown = UINT32_MAX - 3;  // loaded from an earlier run

struct Atom {
  int32_t t[3];  // >= 0: constant term; < 0: variable -1-k
};

struct Rule {
  std::string name;
  std::vector<Atom> body;
  std::vector<Atom> head;  // empty: an inconsistency
  int nvars = 0;
  std::vector<uint32_t> axioms;              // schema triples the rule was compiled from
  std::vector<std::vector<int>> orders;      // per body atom: the join order of the others
  std::string key;                           // identity across recompilations
  uint8_t via = 0;                           // kViaSco / kViaSpo for cax-sco / prp-spo1
};

class Engine {
 public:
  Engine(Profile profile, const Vocab& v, TermInfo* info, bool record_derivations);
  ~Engine();

  // Room for about n triples (address space only: pages are touched as used),
  // so growing the arrays never copies them.
  void reserve(size_t n);
  // Loading. add() queues a triple (if new); returns its id.
  uint32_t addAsserted(Tri t);
  // A triple of an earlier closure: known and visible, not matched again.
  uint32_t addLinked(Tri t, uint8_t flags);
  // owl:sameAs between two terms, asserted (rule kDerivAsserted) or from an
  // earlier run (kDerivUnknown).
  void merge(T a, T b, uint32_t rule = kDerivAsserted);

  // Compile rules from the current schema triples (call after loading).
  void compile();
  // Runs to the fixpoint. `domain` (optional) is called whenever the OWL
  // fixpoint is reached; it returns triples from the domain rules (with the
  // rule index for explanations); the loop ends when it adds nothing new.
  using DomainRound = std::function<void(std::vector<std::pair<Tri, uint32_t>>*)>;
  void run(const DomainRound& domain);

  // DRed. `gone` are triples no longer asserted (canonical ids). Returns
  // false if the deletion touches equality or the schema (then the caller
  // recomputes from scratch).
  bool retract(const std::vector<Tri>& gone, bool also_rule_outputs);

  // Inconsistency rules over the whole closure.
  std::vector<Inconsistency> checkConsistency();
  // The same for the violations with a premise among the triples from id
  // `first` on (the rest were found before: the closure only grew). Includes
  // eq-diff2/3, which are cheap. Exact only if no inconsistency rule was
  // compiled since (rules().size() unchanged) and no merge happened; the
  // violations of the checks before are not reported again (eq-diff2/3 are).
  std::vector<Inconsistency> checkConsistencyFrom(uint32_t first);
  bool isSchema(const Tri& t) const;  // a triple rules are compiled from

  // Access.
  size_t size() const;
  const Tri& triple(uint32_t id) const;
  uint8_t flags(uint32_t id) const;
  void setFlags(uint32_t id, uint8_t f);
  bool live(uint32_t id) const { return !(flags(id) & kDead); }
  uint32_t find(Tri t) const;  // id of a live triple or kNone
  T rep(T t) const;            // union-find representative
  bool hasMerges() const;
  uint64_t unions() const;     // how many times two classes were joined (grows with every merge)
  // Members of non-trivial classes: (member, representative) for member != rep.
  std::vector<std::pair<T, T>> aliases() const;
  const std::vector<Rule>& rules() const;
  // Visible live triples matching a pattern (kNone = any), for the domain
  // rules' dataset. Calls f(id) until it returns false.
  void scan(T s, T p, T o, const std::function<bool(uint32_t)>& f) const;
  // Derivation of a triple (record_derivations only): rule code, premises.
  bool derivation(uint32_t id, uint32_t* rule, std::vector<uint32_t>* premises) const;
  // How term t joined its class (record_derivations only): the other term of
  // the owl:sameAs that merged it, and that sameAs's rule and premises.
  bool mergeDerivation(T t, T* other, uint32_t* rule, std::vector<uint32_t>* premises) const;
  uint64_t rulesFired() const;
  // Join candidates visited plus union-find hops: the engine's work, counted
  // the same on every machine (tests compare it instead of times).
  uint64_t work() const;
  // True if a domain rule produced owl:sameAs (incremental deletion then
  // falls back to recomputation).
  bool mergedByDomainRules() const;
  // True if some owl:sameAs was derived (by a rule, not asserted or loaded).
  bool derivedMerges() const;
  // (literal, class) pairs that rules concluded (prp-rng, cls-avf on literal
  // values) but that are not materialised: dt-not-type checks them.
  const std::vector<std::pair<T, T>>& literalTypings() const;
  // owl:sameAs conclusions that involve a literal (not merged; two different
  // values are an inconsistency the caller decides).
  const std::vector<std::pair<T, T>>& literalMerges() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace weft::reason::internal
