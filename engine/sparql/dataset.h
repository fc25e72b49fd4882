// SPDX-License-Identifier: Apache-2.0
// Dataset: the only way the query engine reads data. The engine works on
// 64-bit term ids that the dataset hands out (equal ids <=> equal RDF terms)
// and decodes ids to terms only for expressions and output. The store's
// implementation is in engine/db; tests may implement it over a vector.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "engine/core/pair_index.h"
#include "engine/rdf/term.h"

namespace weft::sparql {

using Id = uint64_t;
inline constexpr Id kAnyId = 0;           // wildcard in a scan pattern; "unbound" in a row
inline constexpr Id kDefaultGraphId = 1;  // the graph slot of default-graph quads
// Ids with kLocalIdBit are terms the store does not hold yet: an update's
// overlay hands them out for terms it inserts. Ids with both bits of
// kQueryIdBits are terms made during one query (BIND, functions); datasets
// never hand those out.
inline constexpr Id kLocalIdBit = uint64_t{1} << 63;
inline constexpr Id kQueryIdBits = kLocalIdBit | (uint64_t{1} << 62);

struct IdQuad {
  Id s = kAnyId, p = kAnyId, o = kAnyId, g = kAnyId;
};

// Component order of a scan's output: the scan returns quads sorted by the
// components named in `order` (e.g. "posg"); bound components come first.
class QuadCursor {
 public:
  virtual ~QuadCursor() = default;
  virtual bool next(IdQuad* out) = 0;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  // Id of a term, or kAnyId (0) if the dataset does not contain it.
  virtual Id lookup(const rdf::TermView& t) const = 0;
  // The term of an id handed out by this dataset.
  virtual bool decode(Id id, rdf::Term* out) const = 0;
  // Quads matching the pattern (kAnyId = any; g == kDefaultGraphId = the
  // default graph only, g == kAnyId = every graph including the default).
  // `order` (optional) receives the sort order of the output as four chars
  // from "spog" (e.g. "posg" for a scan with p bound).
  virtual std::unique_ptr<QuadCursor> scan(const IdQuad& pattern, char order[4] = nullptr) const = 0;
  // Re-positions a cursor this dataset returned from scan() on a new pattern,
  // reusing its memory; false if not supported (then call scan()).
  virtual bool rescan(QuadCursor* cursor, const IdQuad& pattern) const {
    (void)cursor, (void)pattern;
    return false;
  }
  // Number of matching quads (exact or a close estimate; used by the planner).
  virtual uint64_t count(const IdQuad& pattern) const = 0;
  // Join planning: the average number of quads matching `pattern` with
  // component `pos` (0 s, 1 p, 2 o) also bound to a value that occurs there;
  // negative if unknown (the planner then guesses).
  virtual double averageMatches(const IdQuad& pattern, int pos) const {
    (void)pattern;
    (void)pos;
    return -1;
  }
  // Range filters: append to `out` the objects of predicate `p` in graph `g`
  // whose value lies in [lo, hi], numerics as doubles (`datetime` false) or
  // xsd:dateTime as seconds since 1970 UTC (a value without a timezone read as
  // UTC). A superset is fine (the exact FILTER runs after). False if the
  // dataset has no such index (the planner then scans).
  virtual bool objectsInValueRange(Id p, Id g, bool datetime, double lo, double hi,
                                   std::vector<Id>* out) const {
    (void)p, (void)g, (void)datetime, (void)lo, (void)hi, (void)out;
    return false;
  }
  // ORDER BY ... LIMIT: every distinct object of predicate `p` in graph `g`
  // with its numeric value as a double, sorted by it; false if unsupported
  // or if some object of `p` is not a numeric literal.
  virtual bool numericObjectsInOrder(Id p, Id g, std::vector<std::pair<double, Id>>* out) const {
    (void)p, (void)g, (void)out;
    return false;
  }
  // Lookup joins: the (subject, object) pairs of predicate `p` in graph `g`
  // (a graph id or kDefaultGraphId, never kAnyId) sorted by subject then
  // object, or with `by_object` the (object, subject) pairs sorted by object
  // then subject. nullptr if unsupported (the planner then hash-joins).
  using PairList = core::PairIndex;
  virtual std::shared_ptr<const PairList> predicatePairs(Id p, Id g, bool by_object) const {
    (void)p, (void)g, (void)by_object;
    return nullptr;
  }
  // Named graphs holding at least one quad.
  virtual std::vector<Id> namedGraphs() const = 0;
};

}  // namespace weft::sparql
