// SPDX-License-Identifier: Apache-2.0
// The twin's model read from the graph (issue 8, item 2, first version): a fixed set of SPARQL
// queries (model_from_graph.cpp, listed in docs/twin.md) reads production units with their
// weekly capacity, the products recorded on them, supply relationships (primary / backup,
// planned lead time) and demand from goods movements, and fills a sim::Model.
//
// The graph never holds everything a simulation needs (inventory policies, due dates, the
// shape of a distribution when only a mean is known). Every fact that had to be assumed, and
// every fact that was looked for and not found, is listed by name in the report: a default
// is never applied silently.
//
// engine/sim stays free of the store: this module is the only place that knows both.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/model.h"
#include "engine/sparql/dataset.h"

namespace weft::twin {

struct BuildOptions {
  // Without FROM, query the union of the store's graphs (one graph per ingested document).
  bool unionDefaultGraph = true;
  // Assumed policy for every stocked product, in days of its mean demand (reported).
  double reorderDays = 7;    // s = reorderDays of demand (+ lead-time demand for purchases)
  double orderUpToDays = 21; // S = s + orderUpToDays of demand
  double dueDays = 7;        // customer orders are due this many days after they arrive
  // ISO date: demand is read from movements posted before it only (empty: all). Used by the
  // calibration to hold out a period for the backtest.
  std::string before;
};

// One fact the builder assumed or could not find.
struct Note {
  enum class Kind { kAssumed, kMissing, kRead };
  Kind kind = Kind::kAssumed;
  std::string subject;  // what it is about: "line FF-1", "inventory X@S100"
  std::string text;     // what was assumed / what is missing / what was read
};

struct ModelReport {
  sim::Model model;
  std::vector<Note> notes;
  // Counts of what the queries returned (for the summary line).
  int capacityRows = 0, productRows = 0, supplyRows = 0, demandRows = 0;
  // The report as text, one note per line ("assumed  line FF-1: ...").
  std::string text() const;
};

// Runs the queries over `data` and fills the model. Fails only when a query fails; an empty
// or incomplete graph gives a model that sim::validate() rejects, with the missing facts in
// the notes.
Result<ModelReport> buildModel(const sparql::Dataset& data, const BuildOptions& options = {});

// The queries, by name, as run (documentation and --print-model).
struct NamedQuery {
  const char* name;
  const char* text;
};
const std::vector<NamedQuery>& queries();

// Helpers shared by the modules of the twin that read the graph (calibrate_from_graph.cpp,
// backtest.cpp).
using Row = std::map<std::string, std::string>;  // variable -> lexical value (unbound: absent)
// Runs a SELECT over `data` (the union of the graphs when `unionDefaultGraph`); errors name
// the query.
Result<std::vector<Row>> selectRows(const sparql::Dataset& data, const char* name,
                                    const char* text, bool unionDefaultGraph = true);
// The lexical value of `key` in a row ("" when unbound), and a finite number in it (else false).
std::string rowValue(const Row& r, const char* key);
bool rowNumber(const Row& r, const char* key, double* out);
// Seconds since 1970-01-01T00:00:00Z of "YYYY-MM-DD" or "YYYY-MM-DDThh:mm[:ss[.fff]][Z]" (UTC;
// an offset is not applied), or false.
bool parseTimestamp(const std::string& text, double* seconds);
// "YYYY-MM-DD" of seconds since 1970 (UTC).
std::string formatDate(double seconds);
// The last path segment of an IRI ("https://data.aurelian.example/site/S100" -> "S100").
std::string siteName(const std::string& iri);

}  // namespace weft::twin
