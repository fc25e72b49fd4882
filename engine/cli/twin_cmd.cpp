// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/twin_cmd.h"

#include <cmath>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/twin_common.h"
#include "engine/db/database.h"
#include "engine/store/store.h"
#include "engine/twin/backtest.h"
#include "engine/twin/calibrate_from_graph.h"
#include "engine/twin/shadow.h"
#include "engine/watch/drift.h"
#include "engine/watch/failure_graph.h"

namespace weft::cli {
namespace {

// --kpi: a KPI is printed when no filter is given or its name contains one of them.
bool kpiWanted(const TwinFlags& f, const std::string& kpi) {
  if (f.kpi_filters.empty()) return true;
  for (const auto& k : f.kpi_filters)
    if (kpi.find(k) != std::string::npos) return true;
  return false;
}

int usage(const char* cmd, const std::string& msg) {
  std::fprintf(stderr, "weft twin %s: %s\n", cmd, msg.c_str());
  return 2;
}

std::string opt(const std::optional<double>& v) { return v ? simNum(*v) : "nan"; }

void printCalibration(const twin::CalibrationReport& rep, bool tsv) {
  std::vector<std::vector<std::string>> rows = {
      {"parameter", "family", "parameters", "n", "source", "note"}};
  for (const auto& p : rep.parameters)
    rows.push_back({p.parameter, p.family, p.parameters, std::to_string(p.n), p.source, p.note});
  // The notes are long: TSV keeps them on one line, the table leaves the note column last.
  printRows(rows, tsv);
  std::printf("\n%s", rep.built.text().c_str());
}

std::function<void(const std::string&)> progress(const char* cmd, bool quiet) {
  if (quiet) return {};
  return [cmd](const std::string& s) {
    const bool rep = s.find("replication ") != std::string::npos;
    std::fprintf(stderr, "%sweft twin %s: %s%s", rep ? "\r" : "", cmd, s.c_str(), rep ? "" : "\n");
    std::fflush(stderr);
  };
}

int cmdCalibrate(const TwinFlags& f) {
  auto st = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!st) return usage("calibrate", st.status().message());
  db::StoreDataset data(st.value()->snapshot());
  twin::CalibrationOptions co;
  co.before = f.before;
  co.start = f.start;
  co.batchTrains = f.batch_trains;
  auto rep = twin::calibrateModel(data, co);
  if (!rep) return usage("calibrate", rep.status().message());
  printCalibration(rep.value(), f.format == "tsv");
  Status valid = sim::validate(rep->built.model);
  if (!valid) {
    std::fprintf(stderr, "weft twin calibrate: the model is not valid:\n%s\n",
                 valid.message().c_str());
    return 1;
  }
  return 0;
}

int cmdBacktest(const TwinFlags& f) {
  auto st = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!st) return usage("backtest", st.status().message());
  db::StoreDataset data(st.value()->snapshot());
  twin::BacktestOptions bo;
  bo.split = f.split;
  bo.end = f.end;
  bo.replications = f.replications;
  bo.seed = f.seed;
  bo.threads = f.threads;
  bo.scenarioFromRecords = f.scenario_from_records;
  bo.calibration.batchTrains = f.batch_trains;
  bo.progress = progress("backtest", f.quiet);
  auto res = twin::runBacktest(data, bo);
  if (!f.quiet) std::fprintf(stderr, "\n");
  if (!res) {
    std::fprintf(stderr, "weft twin backtest: %s\n", res.status().message().c_str());
    return res.status().code() == StatusCode::kInvalidArgument ? 1 : 2;
  }
  const bool tsv = f.format == "tsv";
  if (f.print_calibration) {
    printCalibration(res->calibration, tsv);
    std::printf("\n");
  }
  std::printf(
      "# backtest: calibrated on the records before %s, simulated from %s, %u "
      "replications, seed %llu%s\n",
      f.split.c_str(), res->calibration.built.model.start.c_str(), f.replications,
      static_cast<unsigned long long>(f.seed),
      f.scenario_from_records ? ", demand of each month from the records" : "");
  std::vector<std::vector<std::string>> rows = {
      {"kpi", "periods", "mape_pct", "bias_pct", "wape_pct"}};
  for (const auto& e : res->errors)
    rows.push_back({e.kpi, std::to_string(e.periods), opt(e.mape), opt(e.bias), opt(e.wape)});
  printRows(rows, tsv);
  std::printf("\n");
  std::vector<std::vector<std::string>> per = {{"kpi", "period", "recorded", "twin_mean"}};
  for (const auto& s : res->series)
    for (size_t i = 0; i < s.actual.size(); ++i)
      per.push_back({s.kpi, res->periods[i], simNum(s.actual[i]), simNum(s.simulated[i])});
  printRows(per, tsv);
  std::printf("\n");
  for (const auto& n : res->notes) std::printf("# %s\n", n.c_str());
  for (const auto& p : res->calibration.parameters)
    if (p.parameter.rfind("initial stock", 0) == 0)
      std::printf("# state at the split: %s = %s (%s)\n", p.parameter.c_str(), p.parameters.c_str(),
                  p.note.c_str());
  return 0;
}

int cmdShadow(const TwinFlags& f) {
  if (f.write && !f.residuals) return usage("shadow", "--write keeps the residual charts' alarms: give --residuals");
  auto st = store::Store::open(f.store_dir, f.write ? store::OpenMode::kMustExist : store::OpenMode::kReadOnly);
  if (!st) return usage("shadow", st.status().message());
  db::StoreDataset data(st.value()->snapshot());
  twin::ShadowOptions so;
  so.from = f.from;
  so.to = f.to;
  if (so.to.empty()) {  // a week
    double t = 0;
    if (!twin::parseTimestamp(f.from, &t)) return usage("shadow", "--from: not a date: " + f.from);
    so.to = twin::formatDate(t + 6 * sim::kDay);
  }
  so.shiftHours = f.shift_hours;
  so.shiftStartHour = f.shift_start;
  so.calibration.batchTrains = f.batch_trains;
  so.progress = progress("shadow", f.quiet);
  auto res = twin::runShadow(data, so);
  if (!res) {
    std::fprintf(stderr, "weft twin shadow: %s\n", res.status().message().c_str());
    return res.status().code() == StatusCode::kInvalidArgument ? 1 : 2;
  }
  const bool tsv = f.format == "tsv";
  std::printf(
      "# shadow: the twin calibrated on the records before %s beside the %d production phases "
      "the records show from %s to %s, in %zu shifts of %s h (the day's first at %s h UTC)\n",
      f.from.c_str(), res->phases, f.from.c_str(), so.to.c_str(), res->shifts.size(),
      simNum(f.shift_hours).c_str(), simNum(f.shift_start).c_str());
  std::vector<std::vector<std::string>> per = {
      {"shift", "kpi", "twin", "recorded", "error_pct", "running_mape_pct"}};
  std::vector<std::vector<std::optional<double>>> running;
  for (const auto& s : res->series) running.push_back(twin::runningMape(s));
  for (size_t i = 0; i < res->shifts.size(); ++i)
    for (size_t k = 0; k < res->series.size(); ++k) {
      const auto& s = res->series[k];
      if (!kpiWanted(f, s.kpi)) continue;
      const double a = s.actual[i], m = s.simulated[i];
      if (a == 0 && m == 0) continue;  // the unit idle in both
      per.push_back({res->shifts[i], s.kpi, simNum(m), simNum(a),
                     a != 0 ? simNum(100 * (m - a) / std::fabs(a)) : "-",
                     running[k][i] ? simNum(*running[k][i]) : "-"});
    }
  printRows(per, tsv);
  std::printf("\n");
  std::vector<std::vector<std::string>> rows = {
      {"kpi", "shifts", "shifts_recorded", "mape_pct", "bias_pct", "wape_pct"}};
  for (const auto& e : res->errors)
    if (kpiWanted(f, e.kpi))
      rows.push_back({e.kpi, std::to_string(e.periods), std::to_string(e.periods - e.zeroActuals),
                      opt(e.mape), opt(e.bias), opt(e.wape)});
  printRows(rows, tsv);
  std::printf("\n");
  for (const auto& n : res->notes) std::printf("# %s\n", n.c_str());
  std::printf(
      "# a phase's good units and OEE are spread evenly over its run: the twin's run is PQ x the "
      "fitted mean cycle time / the availability, the records' its planned busy time\n");
  if (!f.residuals) return 0;
  auto charts = chartShadowResiduals(res.value(), f.baseline, f.write ? st.value().get() : nullptr);
  if (!charts) {
    std::fprintf(stderr, "weft twin shadow: %s\n", charts.status().message().c_str());
    return 1;
  }
  std::printf("\n");
  printRows(charts->rows, tsv);
  if (f.write)
    std::printf("\nresidual alarms written to <%s> (%llu quads; %llu of the previous run replaced)\n",
                kResidualGraph, static_cast<unsigned long long>(charts->added),
                static_cast<unsigned long long>(charts->removed));
  return 0;
}

int cmdWhatIf(const TwinFlags& f) {
  auto st = store::Store::open(f.store_dir, store::OpenMode::kReadOnly);
  if (!st) return usage("whatif", st.status().message());
  db::StoreDataset data(st.value()->snapshot());
  twin::WhatIfOptions wo;
  wo.start = f.start;
  wo.end = f.end;
  wo.windowFrom = f.window_from;
  wo.changes.demandProduct = f.demand_product;
  wo.changes.demandFactor = f.demand_factor;
  wo.changes.demandFrom = f.demand_from;
  wo.changes.interruptSupplier = f.interrupt_supplier;
  wo.changes.interruptFrom = f.interrupt_from;
  wo.changes.interruptTo = f.interrupt_to;
  wo.changes.dropBackup = f.drop_backup;
  wo.calibration.batchTrains = f.batch_trains;
  wo.replications = f.replications;
  wo.seed = f.seed;
  wo.threads = f.threads;
  wo.progress = progress("whatif", f.quiet);
  if (f.demand_product.empty() && f.interrupt_supplier.empty())
    return usage("whatif", "no change given (--demand-product or --interrupt-supplier)");
  auto res = twin::runWhatIf(data, wo);
  if (!f.quiet) std::fprintf(stderr, "\n");
  if (!res) {
    std::fprintf(stderr, "weft twin whatif: %s\n", res.status().message().c_str());
    return res.status().code() == StatusCode::kInvalidArgument ? 1 : 2;
  }
  std::printf(
      "# whatif: time 0 = %s, KPIs over [%s, %s), %u paired replications (common "
      "random numbers), seed %llu\n",
      f.start.c_str(), (f.window_from.empty() ? f.start : f.window_from).c_str(), f.end.c_str(),
      f.replications, static_cast<unsigned long long>(f.seed));
  for (const auto& a : res->applied) std::printf("# change: %s\n", a.c_str());
  std::vector<std::vector<std::string>> rows = {
      {"kpi", "baseline", "scenario", "difference", "ci95_half_width", "relative_pct"}};
  const sim::Comparison& c = res->comparison;
  for (size_t i = 0; i < c.names.size(); ++i) {
    if (!kpiWanted(f, c.names[i])) continue;
    const double b = c.baseline[i].mean, s = c.scenario[i].mean;
    rows.push_back({c.names[i], simNum(b), simNum(s), simNum(c.difference[i].mean),
                    simNum(c.difference[i].halfWidth),
                    b != 0 && std::isfinite(b) ? simNum(100 * (s - b) / std::fabs(b)) : "nan"});
  }
  printRows(rows, f.format == "tsv");
  return 0;
}

}  // namespace

Result<ResidualCharts> chartShadowResiduals(const twin::ShadowResult& res, size_t baseline,
                                            store::Store* write_to) {
  ResidualCharts out;
  out.rows = {{"residual series", "points", "baseline mean", "sigma", "shewhart", "ewma", "cusum",
               "first alarm"}};
  std::vector<watch::SeriesOutcome> outcomes;
  for (const auto& r : res.residuals) {
    watch::SeriesSpec spec;
    spec.name = r.name;
    spec.source.kind = watch::SourceSpec::Kind::kValues;
    spec.baseline.count = baseline;
    spec.charts.resize(3);  // Shewhart with the four rules, EWMA 0.2 / 2.962, CUSUM 0.5 / 5
    spec.charts[1].type = watch::ChartSpec::Type::kEwma;
    spec.charts[2].type = watch::ChartSpec::Type::kCusum;
    watch::Series s;
    s.name = r.name;
    s.time = r.timeMs;
    s.value = r.value;
    s.id = r.id;
    if (s.size() <= baseline) {
      out.rows.push_back({r.name, std::to_string(s.size()), "-", "-", "-", "-", "-",
                          "too few points for a baseline of " + std::to_string(baseline)});
      continue;
    }
    auto o = watch::analyse(spec, std::move(s));
    if (!o) return Status::invalidArgument(r.name + ": " + o.status().message());
    std::vector<std::string> row = {r.name, std::to_string(o->series.size()),
                                    simNum(o->baseline.mean), simNum(o->baseline.sigma)};
    std::string first = "-";
    int64_t first_ms = INT64_MAX;
    for (const auto& c : o->charts) {
      row.push_back(std::to_string(c.alarms.size()));
      out.alarms += c.alarms.size();
      for (const auto& a : c.alarms)
        if (o->series.time[a.detectionIndex] < first_ms) {
          first_ms = o->series.time[a.detectionIndex];
          first = o->series.id[a.detectionIndex] + " (" + c.chart + ", " + a.rule + ")";
        }
    }
    row.push_back(first);
    out.rows.push_back(std::move(row));
    outcomes.push_back(std::move(o.value()));
  }
  if (!write_to) return out;
  const int64_t now_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
  auto w = watch::replaceGraph(*write_to, kResidualGraph,
                               watch::alarmQuads(outcomes, watch::formatTimeMs(now_ms), kResidualGraph));
  if (!w) return w.status();
  out.added = w->added;
  out.removed = w->removed;
  return out;
}

void addTwinCommands(CLI::App& twin, TwinFlags& f) {
  auto common = [&f](CLI::App* s) {
    s->add_option("--store", f.store_dir, "Store directory")->required();
    s->add_option("--format", f.format, "Output: table (aligned) or tsv")
        ->check(CLI::IsMember({"table", "tsv"}));
    s->add_flag("-q,--quiet", f.quiet, "No progress line on standard error");
    s->add_flag("--batch-trains", f.batch_trains,
                "Also model intermediates made in batches (the drug substance) as a line of "
                "batch steps with parallel units consuming their main material");
  };
  auto runs = [&f](CLI::App* s) {
    s->add_option("--replications", f.replications, "Replications (default 20)")
        ->check(CLI::Range(1u, 100000u));
    s->add_option("--seed", f.seed, "Run seed (same seed, same output)");
    s->add_option("--threads", f.threads, "Worker threads (0: one per core)");
  };
  f.calibrate = twin.add_subcommand(
      "calibrate",
      "The twin's model calibrated from the records: every fitted parameter (family, "
      "parameters, number of records, source query) and every fact assumed or missing");
  common(f.calibrate);
  f.calibrate->add_option("--before", f.before, "Use only records before this date (YYYY-MM-DD)");
  f.calibrate->add_option("--start", f.start,
                          "Calendar date of simulated time 0 (default: --before)");

  f.backtest = twin.add_subcommand(
      "backtest",
      "Calibrate on the records before --split, simulate the held-out months from the state at "
      "the split, and report MAPE, bias and WAPE per KPI against what the records say happened");
  common(f.backtest);
  runs(f.backtest);
  f.backtest->add_option("--split", f.split, "First held-out day (YYYY-MM-DD)")->required();
  f.backtest->add_option("--end", f.end, "Last held-out day (default: the last day with records)");
  f.backtest->add_flag("--scenario-from-records", f.scenario_from_records,
                       "Drive the demand of each held-out month by what the records show, so "
                       "the errors measure the supply side");
  f.backtest->add_flag("--print-calibration", f.print_calibration,
                       "Print the calibrated parameters and notes first");

  f.shadow = twin.add_subcommand(
      "shadow",
      "Shadow mode: the twin calibrated on the records before --from predicts each production "
      "phase the records show after it (run time, good units, OEE) and reports per shift its "
      "throughput and OEE beside the records' with the running calibration error (MAPE)");
  common(f.shadow);
  f.shadow->add_option("--from", f.from, "First shadowed day (YYYY-MM-DD); records before it calibrate")
      ->required();
  f.shadow->add_option("--to", f.to, "Last shadowed day (default: six days after --from)");
  f.shadow->add_option("--shift-hours", f.shift_hours, "Shift length in hours (default 8)")
      ->check(CLI::Range(0.25, 744.0));
  f.shadow->add_option("--shift-start", f.shift_start,
                       "Hour of the day's first shift start, UTC (default 6)")
      ->check(CLI::Range(0.0, 23.99));
  f.shadow->add_option("--kpi", f.kpi_filters, "KPIs whose name contains this (repeatable)");
  f.shadow->add_flag("--residuals", f.residuals,
                     "Chart records minus twin (cycle time and yield per phase, good units per "
                     "shift) with Shewhart / Western Electric, EWMA and CUSUM");
  f.shadow->add_option("--baseline", f.baseline,
                       "Points of each residual series that form the phase-I baseline (default 10)")
      ->check(CLI::Range(size_t{2}, size_t{100000}));
  f.shadow->add_flag("--write", f.write,
                     "Write the residual charts' alarms (dt:DriftAlarm) into the graph "
                     "<https://w3id.org/weft/graph/watch/residuals>, replacing the last run's");

  f.whatif = twin.add_subcommand(
      "whatif",
      "Paired runs (common random numbers) of the calibrated model and a changed copy: a demand "
      "factor from a date, a supplier interruption, with or without the backup supplier");
  common(f.whatif);
  runs(f.whatif);
  f.whatif->add_option("--start", f.start, "Time 0 (YYYY-MM-DD); records before it calibrate")
      ->required();
  f.whatif->add_option("--end", f.end, "End of the run (YYYY-MM-DD, excluded)")->required();
  f.whatif->add_option("--window-from", f.window_from, "KPIs from this date (default: --start)");
  f.whatif->add_option("--demand-product", f.demand_product,
                       "Change the demand of products whose name contains this");
  f.whatif->add_option("--demand-factor", f.demand_factor, "Order rate factor (e.g. 1.4)")
      ->check(CLI::Range(0.0, 1000.0));
  f.whatif->add_option("--demand-from", f.demand_from, "Date the demand factor starts");
  f.whatif->add_option("--interrupt-supplier", f.interrupt_supplier,
                       "Interrupt suppliers whose name contains this");
  f.whatif->add_option("--interrupt-from", f.interrupt_from, "First day of the interruption");
  f.whatif->add_option("--interrupt-to", f.interrupt_to, "Day the interruption ends (excluded)");
  f.whatif->add_flag("--drop-backup", f.drop_backup,
                     "The interrupted supplier's inventories have no backup supplier");
  f.whatif->add_option("--kpi", f.kpi_filters,
                       "Print only KPIs whose name contains this "
                       "(repeatable)");
}

int runTwin(const TwinFlags& f) {
  if (f.calibrate && f.calibrate->parsed()) return cmdCalibrate(f);
  if (f.backtest && f.backtest->parsed()) return cmdBacktest(f);
  if (f.whatif && f.whatif->parsed()) return cmdWhatIf(f);
  if (f.shadow && f.shadow->parsed()) return cmdShadow(f);
  return -1;
}

}  // namespace weft::cli
