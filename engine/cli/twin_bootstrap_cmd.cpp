// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/twin_bootstrap_cmd.h"

#include <cstdio>

#include "engine/cli/twin_common.h"
#include "engine/db/database.h"
#include "engine/sim/experiment.h"
#include "engine/sim/plant.h"
#include "engine/store/store.h"
#include "engine/twin/bootstrap.h"
#include "engine/twin/calibrate_from_graph.h"
#include "engine/twin/model_from_graph.h"

namespace weft::cli {
namespace {

int usage(const std::string& msg) {
  std::fprintf(stderr, "weft twin bootstrap: %s\n", msg.c_str());
  return 2;
}

}  // namespace

CLI::App* addTwinBootstrapCommand(CLI::App& twin, TwinBootstrapFlags& f) {
  auto* s = twin.add_subcommand(
      "bootstrap",
      "Derive a twin for a site that has equipment and products but no history, borrowing "
      "calibrated parameters from comparable equipment at an existing site; lists every "
      "borrowed parameter with its source, then simulates the new site (docs/twin.md)");
  s->add_option("--store", f.store_dir, "Store directory")->required();
  s->add_option("--site", f.site, "The new site: IRI, plant code or label")->required();
  s->add_option("--like", f.like, "The comparable existing site: IRI, plant code or label")
      ->required();
  s->add_option("--replications", f.replications, "Replications (default 10)")
      ->check(CLI::Range(1u, 100000u));
  s->add_option("--horizon", f.horizon, "Simulated time per replication (default 365d)");
  s->add_option("--warmup", f.warmup, "Statistics start after this (default 30d)");
  s->add_option("--seed", f.seed, "Run seed");
  s->add_option("--threads", f.threads, "Worker threads (0: one per core)");
  s->add_flag("--no-simulate", f.no_simulate, "Only derive and list the parameters");
  s->add_flag("--batch-trains", f.batch_trains,
              "Calibrate the like site's batch trains too (bioreactors; docs/twin.md)");
  s->add_option("--format", f.format, "KPI output: table or tsv")
      ->check(CLI::IsMember({"table", "tsv"}));
  s->add_flag("-q,--quiet", f.quiet, "No progress line on standard error");
  return s;
}

int cmdTwinBootstrap(const TwinBootstrapFlags& f) {
  sim::ExperimentOptions eo;
  if (!parseSimDuration(f.horizon, &eo.run.horizon) || eo.run.horizon <= 0)
    return usage("--horizon " + f.horizon + ": expected a duration such as 365d, 12w, 1y");
  if (!parseSimDuration(f.warmup, &eo.run.warmup))
    return usage("--warmup " + f.warmup + ": expected a duration such as 30d");
  if (eo.run.warmup >= eo.run.horizon) return usage("--warmup must be shorter than --horizon");
  eo.run.seed = f.seed;
  eo.replications = f.replications;
  eo.threads = f.threads;

  auto st = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!st) return usage(st.status().message());
  db::StoreDataset data(st.value()->snapshot());
  if (!f.quiet) std::fprintf(stderr, "weft twin bootstrap: calibrating the network's model...\n");
  twin::CalibrationOptions co;
  co.batchTrains = f.batch_trains;
  auto like = twin::calibrateModel(data, co);
  if (!like) return usage(like.status().message());
  twin::BootstrapOptions bo;
  bo.site = f.site;
  bo.like = f.like;
  bo.calibrated = &like.value().parameters;
  auto boot = twin::bootstrapSite(data, like.value().built, bo);
  if (!boot) {
    std::fprintf(stderr, "weft twin bootstrap: %s\n", boot.status().message().c_str());
    return boot.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  const twin::BootstrapResult& b = boot.value();
  std::vector<std::vector<std::string>> rows{
      {"item", "parameter", "value", "borrowed_from", "calibration", "basis"}};
  for (const auto& x : b.borrowed)
    rows.push_back({x.item, x.parameter, x.value, x.from,
                    x.calibration.empty() ? "-" : x.calibration, x.basis});
  std::printf("# borrowed parameters (%zu)\n", b.borrowed.size());
  printRows(rows, f.format == "tsv");
  std::printf("# notes (%zu)\n", b.notes.size());
  for (const auto& n : b.notes) {
    const char* k = n.kind == twin::Note::Kind::kAssumed ? "assumed" :
                    n.kind == twin::Note::Kind::kMissing ? "missing" : "read";
    std::printf("%s\t%s: %s\n", k, n.subject.c_str(), n.text.c_str());
  }
  if (f.no_simulate) return 0;

  auto plant = sim::Plant::compile(b.model);
  if (!plant) {
    std::fprintf(stderr, "weft twin bootstrap: the bootstrapped model is not valid:\n%s\n",
                 plant.status().message().c_str());
    return 1;
  }
  auto result = runWithProgress(plant.value(), eo, "weft twin bootstrap", f.quiet);
  if (!result) {
    std::fprintf(stderr, "weft twin bootstrap: %s\n", result.status().message().c_str());
    return 1;
  }
  std::printf("# the new site's lines at capacity: %u replications of %s after %s warm-up\n",
              f.replications, f.horizon.c_str(), f.warmup.c_str());
  printRows(kpiRows(result.value(), {"line:", "machine:"}), f.format == "tsv");
  return 0;
}

}  // namespace weft::cli
