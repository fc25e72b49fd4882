// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/simulate_cmd.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "engine/db/database.h"
#include "engine/sim/experiment.h"
#include "engine/sim/model.h"
#include "engine/sim/plant.h"
#include "engine/store/store.h"
#include "engine/twin/model_from_graph.h"

namespace weft::cli {
namespace {

int usage(const std::string& msg) {
  std::fprintf(stderr, "weft simulate: %s\n", msg.c_str());
  return 2;
}

// "90d", "12h", "2w", "1y", "3600s", "30m"; a bare number is days.
bool parseDuration(const std::string& s, double* out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v) || v < 0) return false;
  std::string unit(end);
  double scale = 0;
  if (unit.empty() || unit == "d") scale = sim::kDay;
  else if (unit == "s") scale = sim::kSecond;
  else if (unit == "m") scale = sim::kMinute;
  else if (unit == "h") scale = sim::kHour;
  else if (unit == "w") scale = sim::kWeek;
  else if (unit == "y") scale = sim::kYear;
  else return false;
  *out = v * scale;
  return true;
}

std::string num(double v) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void printModel(const sim::Model& m) {
  std::printf("# model: %zu sites, %zu products, %zu lines, %zu suppliers, %zu inventories, "
              "%zu demands\n",
              m.sites.size(), m.products.size(), m.lines.size(), m.suppliers.size(),
              m.inventories.size(), m.demands.size());
  for (const auto& l : m.lines) {
    std::printf("line\t%s\tsite %s\t", l.name.c_str(), l.site.c_str());
    for (const auto& mc : l.machines)
      std::printf("machine %s cycle %s s; ", mc.name.c_str(),
                  num(mc.cycleTime.count("*") ? mc.cycleTime.at("*").mean() : NAN).c_str());
    std::printf("\n");
  }
  for (const auto& s : m.suppliers)
    std::printf("supplier\t%s\tlead time %s d\n", s.name.c_str(),
                num(s.leadTime.mean() / sim::kDay).c_str());
  for (const auto& i : m.inventories)
    std::printf("inventory\t%s@%s\t(s,S)=(%lld,%lld) initial %lld source %s%s%s\n",
                i.product.c_str(), i.site.c_str(), static_cast<long long>(i.s),
                static_cast<long long>(i.S), static_cast<long long>(i.initial),
                !i.line.empty() ? ("line " + i.line).c_str() : ("supplier " + i.primarySupplier).c_str(),
                i.backupSupplier.empty() ? "" : ", backup ", i.backupSupplier.c_str());
  for (const auto& d : m.demands)
    std::printf("demand\t%s\t%s orders/day x %s units\n", d.name.c_str(),
                num(d.ordersPerDay).c_str(), num(d.quantity.mean()).c_str());
}

}  // namespace

CLI::App* addSimulateCommand(CLI::App& app, SimulateFlags& f) {
  auto* s = app.add_subcommand(
      "simulate",
      "Build the digital twin's model from a store's graph and simulate it: KPIs with 95% "
      "confidence intervals over replications (docs/twin.md)");
  s->add_option("--store", f.store_dir, "Store directory")->required();
  s->add_option("--replications", f.replications, "Independent replications (default 30)")
      ->check(CLI::Range(1u, 100000u));
  s->add_option("--horizon", f.horizon, "Simulated time per replication: 365d, 12w, 1y, 90d");
  s->add_option("--warmup", f.warmup, "Statistics start after this (default 30d)");
  s->add_option("--seed", f.seed, "Run seed (same seed, same output)");
  s->add_option("--threads", f.threads, "Worker threads (0: one per core)");
  s->add_flag("--print-model", f.print_model,
              "Print the model and every assumed or missing fact on standard output");
  s->add_option("--format", f.format, "KPI output: table (aligned) or tsv")
      ->check(CLI::IsMember({"table", "tsv"}));
  s->add_flag("-q,--quiet", f.quiet, "No progress line on standard error");
  return s;
}

int cmdSimulate(const SimulateFlags& f) {
  sim::ExperimentOptions eo;
  if (!parseDuration(f.horizon, &eo.run.horizon) || eo.run.horizon <= 0)
    return usage("--horizon " + f.horizon + ": expected a duration such as 365d, 12w, 1y");
  if (!parseDuration(f.warmup, &eo.run.warmup))
    return usage("--warmup " + f.warmup + ": expected a duration such as 30d");
  if (eo.run.warmup >= eo.run.horizon)
    return usage("--warmup must be shorter than --horizon");
  eo.run.seed = f.seed;

  auto st = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!st) return usage(st.status().message());
  db::StoreDataset data(st.value()->snapshot());
  auto built = twin::buildModel(data);
  if (!built) return usage(built.status().message());
  const twin::ModelReport& rep = built.value();
  int assumed = 0, missing = 0;
  for (const auto& n : rep.notes) {
    if (n.kind == twin::Note::Kind::kAssumed) ++assumed;
    if (n.kind == twin::Note::Kind::kMissing) ++missing;
  }
  if (f.print_model) {
    printModel(rep.model);
    std::printf("%s", rep.text().c_str());
  }
  if (!f.quiet)
    std::fprintf(stderr,
                 "weft simulate: model from the graph: %zu lines, %zu suppliers, %zu inventories, "
                 "%zu demands; %d facts assumed, %d missing (--print-model lists them)\n",
                 rep.model.lines.size(), rep.model.suppliers.size(), rep.model.inventories.size(),
                 rep.model.demands.size(), assumed, missing);

  Status valid = sim::validate(rep.model);
  // An empty model is valid but simulates nothing: an error here, with the reasons.
  if (valid && rep.model.inventories.empty() && rep.model.lines.empty())
    valid = Status::invalidArgument("nothing to simulate: no demand could be tied to a source");
  if (!valid) {
    std::fprintf(stderr, "weft simulate: the model is not valid:\n%s\n", valid.message().c_str());
    for (const auto& n : rep.notes)
      if (n.kind == twin::Note::Kind::kMissing)
        std::fprintf(stderr, "  missing %s: %s\n", n.subject.c_str(), n.text.c_str());
    return 1;
  }
  auto plant = sim::Plant::compile(rep.model);
  if (!plant) {
    std::fprintf(stderr, "weft simulate: %s\n", plant.status().message().c_str());
    return 1;
  }

  std::atomic<uint32_t> done{0};
  std::mutex progress;
  const sim::Plant& p = plant.value();
  auto result = sim::runReplications(
      f.replications, f.threads,
      [&](uint32_t r) {
        sim::RunOptions ro = eo.run;
        ro.replication = r;
        sim::Kpis k = sim::computeKpis(p.run(ro));
        uint32_t n = ++done;
        if (!f.quiet) {
          std::lock_guard<std::mutex> lock(progress);
          std::fprintf(stderr, "\rweft simulate: replication %u/%u", n, f.replications);
          std::fflush(stderr);
        }
        return k;
      });
  if (!f.quiet) std::fprintf(stderr, "\n");
  if (!result) {
    std::fprintf(stderr, "weft simulate: %s\n", result.status().message().c_str());
    return 1;
  }
  const sim::ExperimentResult& er = result.value();

  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"kpi", "mean", "ci95_half_width", "ci_low", "ci_high"});
  for (size_t i = 0; i < er.names.size(); ++i) {
    const sim::Interval& iv = er.summary[i];
    bool none = iv.n == 0;
    rows.push_back({er.names[i], none ? "nan" : num(iv.mean), none ? "nan" : num(iv.halfWidth),
                    none ? "nan" : num(iv.lo()), none ? "nan" : num(iv.hi())});
  }
  if (f.format == "tsv") {
    for (const auto& r : rows)
      std::printf("%s\t%s\t%s\t%s\t%s\n", r[0].c_str(), r[1].c_str(), r[2].c_str(),
                  r[3].c_str(), r[4].c_str());
  } else {
    size_t w[5] = {0, 0, 0, 0, 0};
    for (const auto& r : rows)
      for (int c = 0; c < 5; ++c) w[c] = std::max(w[c], r[c].size());
    for (const auto& r : rows) {
      std::printf("%-*s", static_cast<int>(w[0]), r[0].c_str());
      for (int c = 1; c < 5; ++c) std::printf("  %*s", static_cast<int>(w[c]), r[c].c_str());
      std::printf("\n");
    }
  }
  return 0;
}

}  // namespace weft::cli
