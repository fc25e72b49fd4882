// SPDX-License-Identifier: Apache-2.0
// A connector turns one native document (an EPCIS file, a B2MML message, an
// ERP extract, a historian export) into quads of the weft ontology. Most of
// the work is declarative: the mapping documents under mappings/ run with
// `rml:path "INPUT"` bound to the document. The code here is the least a
// format needs: recognising the file, checking it before anything is written
// (so a bad document is refused whole, with the record and the reason), and,
// for the historian, work no mapping can express.
//
// `weft ingest` (engine/cli/ingest_cmd.cpp) drives them: one document is one
// store transaction and one named graph, described with PROV-O in the
// documents graph (see docs/connectors.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/rdf/sink.h"

namespace weft::connectors {

// One document being ingested.
struct Document {
  std::string path;       // as given on the command line
  std::string name;       // file name, for messages
  std::string sha256;     // lowercase hex of the bytes
  std::string graph;      // the named graph its quads go to
  std::string store_dir;  // the store being written (the historian keeps its table beside it)
};

// How sure a connector is that it reads a file.
enum class Match { kNo = 0, kByName = 1, kByContent = 2 };

struct Connector {
  std::string name;     // "epcis-json", used by `weft ingest --connector NAME`
  std::string summary;  // one line for `weft ingest --list`
  // `head` is the first 64 KiB of the file (empty for a directory).
  std::function<Match(const std::string& path, std::string_view head)> detect;
  // Checks the whole document before anything is written. The error names
  // the record and the reason ("event 3 (ObjectEvent): action 'ADDD' is not
  // ADD, OBSERVE or DELETE"); `records` gets the number of records (events,
  // rows, lots) when the connector knows it. May be empty.
  std::function<Status(const Document&, uint64_t* records)> validate;
  // Mapping documents, relative to mappings/, run in order with INPUT = the
  // document. May depend on the document (a SAP extract's file name).
  std::function<std::vector<std::string>(const Document&)> mappings;
  // Work after the mappings in the same transaction: quads it sends to `out`
  // land in the document's graph unless they name another. May be empty.
  std::function<Status(const Document&, rdf::QuadSink& out, uint64_t* records)> after;
  // Documents of one `weft ingest` run go in stage order (stable): a
  // connector that reads what others write (the historian's phase summaries
  // need the MES phases and the tag dictionary) has a later stage.
  int stage = 0;
};

// Every connector, in the order detection tries them.
const std::vector<Connector>& all();
const Connector* find(std::string_view name);

// The connectors, one function each in its own folder (connectors/NAME/).
Connector epcisJsonConnector();    // connectors/epcis
Connector epcisXmlConnector();     // connectors/epcis
Connector b2mmlConnector();        // connectors/mes
Connector batchmlConnector();      // connectors/mes
Connector sapCsvConnector();       // connectors/erp
Connector erpSqliteConnector();    // connectors/erp
Connector supplierCoaConnector();  // connectors/erp (supplier certificates of analysis, JSON)
Connector qmsCsvConnector();       // connectors/erp (deviations, CAPA, complaints, recalls: CSV)
Connector cmmsCsvConnector();      // connectors/erp (maintenance work orders: CSV)
Connector historianTagsConnector();     // connectors/historian
Connector historianSamplesConnector();  // connectors/historian

}  // namespace weft::connectors
