// SPDX-License-Identifier: Apache-2.0
// Logical sources (W3C KG-Construct RML-IO, section "Logical Source"): a
// stream of records read from a file, a database or an RDF store. A mapping
// compiles each reference it uses once (a CSV column name, a JSONPath or an
// XPath relative to the iterated node, an SQL column), then reads records one
// at a time and asks each for the values of its references. Sources stream:
// memory stays bounded by the largest record, not the input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/status.h"

namespace weft::sources {

// What a value was in the source, which gives RML's "natural RDF literal"
// (RML-Core: a reference value without an explicit datatype; R2RML 10.2
// natural mapping of SQL values). Text-only formats (CSV, XML) yield kString.
enum class ValueKind : uint8_t {
  kString,
  kInteger,   // JSON number without fraction/exponent, SQL INTEGER
  kDouble,    // JSON number with fraction or exponent, SQL REAL
  kDecimal,   // SQL NUMERIC/DECIMAL
  kBoolean,   // JSON true/false ("true"/"false"), SQL BOOLEAN
  kBinary,    // SQL BLOB: text holds the bytes, to be written as xsd:hexBinary
  kIri,       // RDF sources: an IRI
  kBlank,     // RDF sources: a blank node label
};

struct Value {
  std::string text;  // the lexical form (numbers as the source wrote them)
  ValueKind kind = ValueKind::kString;
  std::string datatype;  // RDF sources: a literal's datatype IRI (else empty)
  std::string lang;      // RDF sources: a literal's language tag (else empty)
};

using RefId = uint32_t;

// How to find the records and read the bytes. Paths are already resolved
// (absolute, or relative to the working directory).
struct SourceSpec {
  enum class Kind : uint8_t { kCsv, kJson, kXml, kSql, kSparql };
  Kind kind = Kind::kCsv;
  std::string path;      // file (CSV, JSON, XML, SQLite database, RDF file or weft store)
  std::string iterator;  // JSONPath / XPath selecting the records (empty: the document root
                         // for JSON "$", XML "/"); unused for CSV
  std::string query;     // SQL query or table (kSql), SPARQL SELECT (kSparql)
  bool sql_is_table = false;
  // Values that stand for "no value" (RML-IO rml:null), compared to the
  // value's text. CSV's empty field is NOT null unless "" is listed.
  std::vector<std::string> nulls;
  // Declared character encoding of the bytes ("UTF-8" default; "UTF-16",
  // "ISO-8859-1", "windows-1252"... anything iconv knows). A BOM wins.
  std::string encoding;
  // "none", "gzip" (also auto-detected from the magic bytes), or "zip" /
  // "tar.gz" / "tar.xz" where supported; unsupported ones give kUnsupported.
  std::string compression;
  // CSV dialect (RML-IO csvw:Dialect): delimiter, quote, header row.
  char delimiter = ',';
  char quote = '"';
  bool header = true;
  bool trim = false;
  // JSON: a reference that selects an array gives one value per element
  // (legacy rml.io); false: it is an error, since RML-Core wants the values
  // selected explicitly ("$.a[*]", test RMLTC0025b).
  bool json_expand_arrays = true;
  // XML namespaces usable in the iterator and references: prefix -> IRI.
  std::vector<std::pair<std::string, std::string>> namespaces;
  // Longest record accepted, in bytes (untrusted input is size-limited).
  size_t max_record_bytes = size_t{64} << 20;
};

class Source {
 public:
  virtual ~Source() = default;
  // Compiles a reference before the first record: a CSV/SQL column name, a
  // JSONPath (RFC 9535; a bare name "a.b" means "$.a.b") relative to the
  // iterated node, an XPath 1.0 expression relative to it, a SPARQL variable
  // name. An unknown column or a malformed path is an error naming it.
  virtual Status compile(std::string_view reference, RefId* id) = 0;
  // Advances to the next record. *has = false at the end.
  virtual Status next(bool* has) = 0;
  // Appends the values of reference `id` in the current record (none when
  // absent or null; several for a JSON array or an XPath node set).
  virtual Status values(RefId id, std::vector<Value>* out) = 0;
  // Where the current record is, for error messages: "shipments.csv row 12",
  // "batches.json $['batches'][3]", "lots.xml /lots/lot[4]".
  virtual std::string position() const = 0;
};

// Opens a source (file readers live in engine/sources; SQL and SPARQL
// sources are opened by their own factories, which share this interface).
Result<std::unique_ptr<Source>> openCsv(const SourceSpec& spec);
Result<std::unique_ptr<Source>> openJson(const SourceSpec& spec);
Result<std::unique_ptr<Source>> openXml(const SourceSpec& spec);
Result<std::unique_ptr<Source>> openSql(const SourceSpec& spec);

}  // namespace weft::sources
