// SPDX-License-Identifier: Apache-2.0
// `weft ingest`: run connectors (connectors/) over native record files. Each
// document is checked, mapped and written as one transaction into its own
// named graph, described with PROV-O in the documents graph
// (docs/connectors.md); with --shapes, each document's graph is validated
// (SHACL) before its transaction commits. Exit codes: 0 all documents
// ingested (or already there), 1 some document refused (the others are in),
// 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "engine/store/store.h"

namespace weft::cli {

struct IngestFlags {
  std::string store_dir;
  std::string connector;
  std::string mappings_dir;
  std::string memory_limit = "256M";
  std::vector<std::string> paths;
  // SHACL shapes files or folders: a document whose graph has sh:Violation
  // results is refused like any other invalid document.
  std::vector<std::string> shapes;
  bool list = false;
  bool dry_run = false;
  bool quiet = false;
  bool no_reason = false;
  std::string graph_base;  // empty: https://w3id.org/weft/doc/
};

struct IngestSummary {
  size_t ok = 0, skipped = 0, refused = 0, unclaimed = 0;
  uint64_t records = 0, triples = 0;
  std::vector<std::string> refusals;  // "file: why"
  std::vector<std::string> graphs;    // the documents' graphs
};

CLI::App* addIngestCommand(CLI::App& app, IngestFlags& f);
int cmdIngest(const IngestFlags& f);
// The work of cmdIngest on an open store (null with f.dry_run), after its
// usage checks; weft serve's POST /ingest calls it too. Returns the exit code.
int ingestInto(store::Store* s, const IngestFlags& f, IngestSummary* summary);

}  // namespace weft::cli
