// SPDX-License-Identifier: Apache-2.0
// `weft validate`: SHACL validation (engine/shacl) of a store (the union of
// its graphs, or one named graph) or of RDF files, against shapes files.
// Writes the W3C validation report in Turtle (--report) and a readable
// summary on standard error. Exit codes: 0 the data conforms (or has only
// sh:Warning / sh:Info results), 1 sh:Violation results, 2 bad usage, an
// unreadable or ill-formed shapes file, a missing store, file or graph.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace weft::cli {

struct ValidateFlags {
  std::string store_dir;
  std::string graph;
  std::vector<std::string> data;
  std::vector<std::string> shapes;
  std::string report;
  uint64_t max_results = 0;
  double timeout = 0;
  bool quiet = false;
};

CLI::App* addValidateCommand(CLI::App& app, ValidateFlags& f);
int cmdValidate(const ValidateFlags& f);

}  // namespace weft::cli
