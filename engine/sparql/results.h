// SPDX-License-Identifier: Apache-2.0
// Query results in and out:
//   - SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)
//   - SPARQL Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/)
//   - CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/)
//   - an aligned text table for terminals (write only)
// Writers stream row by row. Readers (for tests, conformance and federation)
// parse a whole document; the "rs:" RDF vocabulary of the SPARQL 1.0 tests is
// read from quads. Comparison matches blank nodes up to renaming.
#pragma once

#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/term.h"

namespace weft::sparql {

enum class ResultFormat : uint8_t { kJson, kXml, kCsv, kTsv, kTable };
// "json", "srj", "xml", "srx", "csv", "tsv", "table"; false if unknown.
bool resultFormatFromName(std::string_view name, ResultFormat* out);
const char* resultFormatMediaType(ResultFormat f);

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  // SELECT: begin, row*, end. Values: kNone = unbound.
  virtual Status begin(const std::vector<std::string>& vars) = 0;
  virtual Status row(std::span<const rdf::Term> values) = 0;
  virtual Status end() = 0;
  // ASK.
  virtual Status boolean(bool value) = 0;
};

// Writes to `out` (not owned, not closed). Write errors surface as a Status.
std::unique_ptr<ResultWriter> makeResultWriter(ResultFormat f, std::FILE* out);

// A whole result: a boolean (ASK) or a table.
struct ResultSet {
  bool is_boolean = false;
  bool boolean = false;
  std::vector<std::string> vars;
  std::vector<std::vector<rdf::Term>> rows;  // each of vars.size(); kNone = unbound
};

// A writer that keeps the whole result in *out (tests, small results).
std::unique_ptr<ResultWriter> makeResultSetWriter(ResultSet* out);

// Parse a result document (kJson, kXml, kCsv, kTsv).
Result<ResultSet> parseResults(std::string_view text, ResultFormat f);
// A result set written in the rs: vocabulary
// (http://www.w3.org/2001/sw/DataAccess/tests/result-set#), given as quads.
Result<ResultSet> resultSetFromQuads(const std::vector<rdf::Quad>& quads);

// Same solutions (as multisets; in order if `ordered`), blank nodes matched
// up to a consistent renaming, language tags case-insensitive, numeric
// literals of one datatype by value ("6"^^xsd:decimal matches "6.0"). `why` gets a short explanation on false.
// CSV loses datatypes and languages: compare a CSV expectation with
// `lossy_csv` set, which compares the CSV form of each value instead.
bool equivalentResults(const ResultSet& expected, const ResultSet& actual, bool ordered,
                       std::string* why = nullptr, bool lossy_csv = false);

}  // namespace weft::sparql
