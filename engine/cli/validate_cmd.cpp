// SPDX-License-Identifier: Apache-2.0
// `weft validate` (validate_cmd.h): load the shapes, open the store (or load
// --data files into memory), validate through engine/shacl, write the report
// and the summary.
#include "engine/cli/validate_cmd.h"

#include <chrono>
#include <cstdio>

#include "engine/cli/output.h"
#include "engine/db/database.h"
#include "engine/db/merged_view.h"
#include "engine/shacl/shacl.h"
#include "engine/store/store.h"

namespace weft::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitViolations = 1;
constexpr int kExitUsage = 2;

int usage(const std::string& msg) {
  std::fprintf(stderr, "weft validate: %s\nRun with --help for more information.\n", msg.c_str());
  return kExitUsage;
}

int error(const Status& s) {
  std::fprintf(stderr, "weft validate: error: %s\n", s.message().c_str());
  return kExitUsage;
}

}  // namespace

CLI::App* addValidateCommand(CLI::App& app, ValidateFlags& f) {
  auto* v = app.add_subcommand(
      "validate", "Validate a store or RDF files against SHACL shapes (W3C report in Turtle)");
  auto* st = v->add_option("--store", f.store_dir, "Store directory to validate");
  auto* data =
      v->add_option(
           "--data", f.data,
           "RDF file to validate instead of a store, loaded into memory (repeat for more files)")
          ->allow_extra_args(false)
          ->check(CLI::ExistingFile);
  st->excludes(data);
  v->add_option("--graph", f.graph,
                "Validate only this named graph (an IRI, or 'default' for the default graph) "
                "instead of the union of every graph");
  v->add_option("--shapes", f.shapes,
                "Shapes file (Turtle or any RDF syntax) or folder of them, read recursively "
                "(required; repeat for more)")
      ->allow_extra_args(false);
  v->add_option("--report", f.report,
                "Write the W3C validation report (sh:ValidationReport, Turtle) to this file, "
                "or - for standard output");
  v->add_option("--max-results", f.max_results,
                "Keep the details of at most N results in the report and summary (0 = all); "
                "every result is still counted and decides the exit status");
  v->add_option("--timeout", f.timeout, "Give up after this many seconds (exit code 2)")
      ->check(CLI::PositiveNumber);
  v->add_flag("-q,--quiet", f.quiet, "No summary on standard error (errors only)");
  v->footer(
      "The data graph is the union of every graph of the store (a store of one graph per "
      "ingested document is validated as one graph) unless --graph names one; with --data, the "
      "files loaded into memory. Shapes: every SHACL Core constraint component, property paths, "
      "all targets, severities, sh:deactivated, sh:message, and SHACL-SPARQL constraints "
      "(sh:sparql) run by weft's SPARQL engine (docs/validation.md).\n"
      "The summary on standard error gives the verdict, result counts per shape and constraint "
      "component, and the first results with their messages.\n"
      "Exit codes: 0 conforms (or only sh:Warning / sh:Info results), 1 sh:Violation results, "
      "2 bad usage, a shapes file that does not parse (file:line:column) or is not a valid "
      "shapes graph, a missing store, file or graph, --timeout reached.");
  return v;
}

int cmdValidate(const ValidateFlags& f) {
  if (f.store_dir.empty() == f.data.empty())
    return usage("give --store DIR or --data FILE... (one of the two)");
  if (f.shapes.empty()) return usage("give --shapes FILE|DIR");
  const auto t0 = Clock::now();

  auto shapes = shacl::loadShapes(f.shapes);
  if (!shapes) return error(shapes.status());
  if (shapes.value().targetedShapeCount() == 0 && !f.quiet)
    std::fprintf(
        stderr,
        "weft validate: warning: no shape in the shapes files has a target; nothing is checked\n");

  std::unique_ptr<store::Store> st;
  if (!f.store_dir.empty()) {
    auto r = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
    if (!r) return error(r.status());
    st = std::move(r.value());
  } else {
    auto r = db::loadFilesInMemory(f.data);
    if (!r) return error(r.status());
    st = std::move(r.value());
  }
  db::StoreDataset store_data(st->snapshot());
  // The union of a reasoned store: merged owl:sameAs classes are one node each
  // (otherwise sh:maxCount fails on every merged node: its alias's records and
  // the representative's copies).
  std::unique_ptr<db::MergedDataset> merged;
  if (f.graph.empty()) merged = db::MergedDataset::over(store_data);
  const sparql::Dataset& data = merged ? static_cast<const sparql::Dataset&>(*merged) : store_data;

  shacl::DataScope scope;
  if (f.graph == "default")
    scope = shacl::DataScope::defaultGraph();
  else if (!f.graph.empty())
    scope = shacl::DataScope::named(rdf::Term::iri(f.graph));
  shacl::ValidateOptions vo;
  vo.max_results = f.max_results;
  if (f.timeout > 0)
    vo.deadline =
        t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(f.timeout));
  auto report = shacl::validate(data, scope, shapes.value(), vo);
  if (!report) {
    if (report.status().code() == StatusCode::kAborted && f.timeout > 0 &&
        Clock::now() >= vo.deadline)
      return error(Status::aborted("validation ran longer than --timeout and was stopped"));
    return error(report.status());
  }
  const shacl::ValidationReport& r = report.value();

  if (!f.report.empty()) {
    Output out;
    Status s = out.open(f.report);
    if (s) {
      std::string text = shacl::reportTurtle(r, shapes.value());
      if (std::fwrite(text.data(), 1, text.size(), out.f) != text.size())
        s = Status::ioError("cannot write the report");
    }
    s = out.close(s);
    if (!s) return error(s);
  }
  if (!f.quiet) {
    std::string summary = shacl::summaryText(r, shapes.value(), 10);
    std::fputs(summary.c_str(), stderr);
    std::fprintf(stderr, "validated in %.2f s\n",
                 std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return r.violations > 0 ? kExitViolations : 0;
}

}  // namespace weft::cli
