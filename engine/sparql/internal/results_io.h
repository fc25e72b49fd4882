// SPDX-License-Identifier: Apache-2.0
// Internals of results.cpp: one writer and one reader per result format, and
// the term syntaxes they share. See results.h for the formats and their specs.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/rdf/term.h"
#include "engine/sparql/results.h"

namespace weft::sparql::internal {

// Writers (results_writers.cpp).
std::unique_ptr<ResultWriter> makeJsonResultWriter(std::FILE* out);
std::unique_ptr<ResultWriter> makeXmlResultWriter(std::FILE* out);
std::unique_ptr<ResultWriter> makeCsvResultWriter(std::FILE* out);
std::unique_ptr<ResultWriter> makeTsvResultWriter(std::FILE* out);
std::unique_ptr<ResultWriter> makeTableResultWriter(std::FILE* out);

// Readers (results_readers.cpp, results_xml.cpp).
Result<ResultSet> parseJsonResults(std::string_view text);
Result<ResultSet> parseXmlResults(std::string_view text);
Result<ResultSet> parseCsvResults(std::string_view text);
Result<ResultSet> parseTsvResults(std::string_view text);

// The name of the single column that CSV and TSV use for an ASK result
// (those formats define none; this follows common practice).
inline constexpr std::string_view kAskColumn = "_askResult";

// True if `lexical` is written exactly as Turtle's INTEGER / DECIMAL / DOUBLE
// token for the literal's datatype, so the bare token reads back as the same
// term (https://www.w3.org/TR/turtle/#abbrev).
bool isBareNumeric(const rdf::TermView& t);
// A term as a TSV field (https://www.w3.org/TR/sparql11-results-csv-tsv/#tsv):
// N-Triples syntax, numbers bare when isBareNumeric. Unbound: nothing.
void appendTsvTerm(std::string& out, const rdf::TermView& t);
// The string a CSV field holds for a term (before CSV quoting): IRI and
// literal lexical forms, "_:label" for blank nodes, "" for unbound.
std::string csvValue(const rdf::TermView& t);

// Number of Unicode code points in UTF-8 text (display width for the table).
size_t codepointCount(std::string_view s);

}  // namespace weft::sparql::internal
