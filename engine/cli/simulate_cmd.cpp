// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/simulate_cmd.h"

#include <algorithm>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <vector>

#include "engine/cli/reason_cmd.h"
#include "engine/cli/twin_common.h"
#include "engine/core/bytes.h"
#include "engine/db/database.h"
#include "engine/sim/experiment.h"
#include "engine/sim/model.h"
#include "engine/sim/plant.h"
#include "engine/store/store.h"
#include "engine/twin/calibrate_from_graph.h"
#include "engine/twin/model_from_graph.h"
#include "engine/twin/report.h"
#include "engine/twin/results_rdf.h"
#include "engine/twin/scenario.h"

namespace weft::cli {
namespace {

int usage(const std::string& msg) {
  std::fprintf(stderr, "weft simulate: %s\n", msg.c_str());
  return 2;
}

void appendf(std::string* out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string* out, const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof buf) {
    out->append(buf, static_cast<size_t>(n));
    return;
  }
  std::string big(static_cast<size_t>(n) + 1, '\0');
  va_start(ap, fmt);
  std::vsnprintf(big.data(), big.size(), fmt, ap);
  va_end(ap);
  big.pop_back();
  out->append(big);
}

// The model as text, one item a line (--print-model; its hash fingerprints the model).
std::string modelText(const sim::Model& m) {
  std::string out;
  appendf(&out, "# model: %zu sites, %zu products, %zu lines, %zu suppliers, %zu inventories, "
          "%zu lanes, %zu demands%s%s\n",
          m.sites.size(), m.products.size(), m.lines.size(), m.suppliers.size(),
          m.inventories.size(), m.lanes.size(), m.demands.size(),
          m.start.empty() ? "" : "; time 0 is ", m.start.c_str());
  for (const auto& l : m.lines) {
    appendf(&out, "line\t%s\tsite %s\t", l.name.c_str(), l.site.c_str());
    for (size_t i = 0; i < l.machines.size(); ++i) {
      const auto& mc = l.machines[i];
      appendf(&out, "%smachine %s", i ? " -> " : "", mc.name.c_str());
      if (mc.parallel > 1) appendf(&out, " x%d", mc.parallel);
      for (const auto& [p, d] : mc.cycleTime)
        appendf(&out, " cycle[%s] %s", p.c_str(), d.describe().c_str());
      for (const auto& [p, q] : mc.scrap) appendf(&out, " scrap[%s] %s", p.c_str(), simNum(q).c_str());
      for (const auto& fm : mc.failures)
        appendf(&out, " failure %s ttf %s ttr %s", fm.name.c_str(), fm.timeToFailure.describe().c_str(),
                fm.timeToRepair.describe().c_str());
      for (const auto& w : mc.outages)
        appendf(&out, " outage %s..%s d", simNum(w.start / sim::kDay).c_str(), simNum(w.end / sim::kDay).c_str());
      if (i + 1 < l.machines.size() && i < l.buffers.size()) appendf(&out, " [buffer %d]", l.buffers[i]);
    }
    out += "\n";
  }
  for (const auto& s : m.suppliers) {
    appendf(&out, "supplier\t%s\tlead time %s", s.name.c_str(), s.leadTime.describe().c_str());
    for (const auto& w : s.interruptions)
      appendf(&out, " interrupted %s..%s d", simNum(w.start / sim::kDay).c_str(), simNum(w.end / sim::kDay).c_str());
    out += "\n";
  }
  for (const auto& l : m.lanes) {
    appendf(&out, "lane\t%s\t%s -> %s lead time %s", l.name.c_str(), l.from.c_str(), l.to.c_str(),
            l.leadTime.describe().c_str());
    for (const auto& w : l.disruptions)
      appendf(&out, " disrupted %s..%s d", simNum(w.start / sim::kDay).c_str(), simNum(w.end / sim::kDay).c_str());
    out += "\n";
  }
  for (const auto& i : m.inventories) {
    std::string source = !i.line.empty() ? "line " + i.line
                         : !i.lane.empty() ? "lane " + i.lane
                                           : "supplier " + i.primarySupplier;
    if (!i.backupSupplier.empty()) source += ", backup " + i.backupSupplier;
    const char* pol = i.policy == sim::Policy::kMinMax ? "(s,S)" :
                      i.policy == sim::Policy::kPeriodic ? "(R,S)" : "none";
    appendf(&out, "inventory\t%s@%s\t%s s=%lld S=%lld R=%s d initial %lld source %s\n",
            i.product.c_str(), i.site.c_str(), pol, static_cast<long long>(i.s),
            static_cast<long long>(i.S), simNum(i.reviewPeriod / sim::kDay).c_str(),
            static_cast<long long>(i.initial), source.c_str());
  }
  for (const auto& d : m.demands) {
    appendf(&out, "demand\t%s\t%s orders/day x %s units", d.name.c_str(), simNum(d.ordersPerDay).c_str(),
            d.quantity.describe().c_str());
    for (const auto& c : d.changes)
      appendf(&out, " x%s in %s..%s d", simNum(c.factor).c_str(), simNum(c.when.start / sim::kDay).c_str(),
              simNum(c.when.end / sim::kDay).c_str());
    out += "\n";
  }
  return out;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string nowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

twin::SimKpi toSimKpi(const std::string& name, const sim::Interval& iv) {
  twin::SimKpi k;
  k.name = name;
  k.n = iv.n;
  if (iv.n > 0 && std::isfinite(iv.mean)) {
    k.mean = iv.mean;
    k.halfWidth = iv.halfWidth;
    k.lo = std::isnan(iv.halfWidth) ? iv.mean : iv.lo();
    k.hi = std::isnan(iv.halfWidth) ? iv.mean : iv.hi();
  }
  return k;
}

std::vector<twin::SimEvent> toSimEvents(const std::vector<sim::TraceEvent>& trace, uint32_t rep) {
  std::vector<twin::SimEvent> out;
  out.reserve(trace.size());
  for (const auto& e : trace) {
    twin::SimEvent s;
    s.time = e.time;
    s.kind = sim::traceKindName(e.kind);
    s.subject = e.subject;
    s.detail = e.detail;
    s.value = e.value;
    s.replication = rep;
    out.push_back(std::move(s));
  }
  return out;
}

// The series of `reps` whose names end in one of `suffixes`, for the report.
std::vector<twin::ReportSeries> reportSeries(const std::vector<sim::TimeSeries>& reps, double level,
                                             const std::vector<std::string>& suffixes) {
  std::vector<twin::ReportSeries> out;
  auto sum = sim::summariseSeries(reps, level);
  if (!sum) return out;
  for (const sim::SeriesSummary& s : sum.value().series) {
    bool keep = std::any_of(suffixes.begin(), suffixes.end(), [&](const std::string& x) {
      return s.name.size() >= x.size() && s.name.compare(s.name.size() - x.size(), x.size(), x) == 0;
    });
    if (!keep) continue;
    twin::ReportSeries r;
    r.name = s.name;
    r.unit = "units";
    r.t = sum.value().times;
    for (const sim::Interval& iv : s.at) {
      const bool none = iv.n == 0;
      const bool noBand = none || std::isnan(iv.halfWidth);
      r.mean.push_back(none ? NAN : iv.mean);
      r.lo.push_back(noBand ? (none ? NAN : iv.mean) : iv.lo());
      r.hi.push_back(noBand ? (none ? NAN : iv.mean) : iv.hi());
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

CLI::App* addSimulateCommand(CLI::App& app, SimulateFlags& f) {
  auto* s = app.add_subcommand(
      "simulate",
      "Build the digital twin's model from a store's graph and simulate it: KPIs with 95% "
      "confidence intervals over replications; with --scenario, the scenario against the "
      "baseline with common random numbers; runs are saved into the store as named graphs "
      "(docs/twin.md)");
  s->add_option("--store", f.store_dir, "Store directory")->required();
  s->add_option("--scenario", f.scenario,
                "Scenario file, JSON or Turtle (docs/twin-scenarios.md): simulated beside the "
                "baseline, paired differences printed");
  s->add_option("--start", f.start,
                "Calendar date of simulated time 0, e.g. 2025-07-01 (default: the day after the "
                "last record); scenario dates are placed relative to it");
  s->add_option("--before", f.before,
                "Calibrate only on records dated before this date (default: every record)");
  s->add_flag("--batch-trains", f.batch_trains,
              "Also model intermediates made in batch trains (the drug substance), with their "
              "main material through a bill of materials (docs/twin.md)");
  s->add_option("--replications", f.replications, "Independent replications (default 30)")
      ->check(CLI::Range(1u, 100000u));
  s->add_option("--horizon", f.horizon, "Simulated time per replication: 365d, 12w, 1y, 90d");
  s->add_option("--warmup", f.warmup, "Statistics start after this (default 30d)");
  s->add_option("--seed", f.seed, "Run seed (same seed, same output)");
  s->add_option("--threads", f.threads, "Worker threads (0: one per core)");
  s->add_option("--report", f.report, "Write an HTML report with SVG charts to this file");
  s->add_flag("--no-save", f.no_save,
              "Do not write the runs into the store (by default each run becomes the named graph "
              "https://w3id.org/weft/graph/sim/RUNID, marked dt:simulated)");
  s->add_option("--sample-every", f.sample_every,
                "Time-series sampling for the report's charts (default 1d)");
  s->add_option("--trace", f.trace,
                "Events of replication 0 kept per run and written to its graph (default 2000)");
  s->add_flag("--print-model", f.print_model,
              "Print the model and every assumed or missing fact on standard output");
  s->add_option("--format", f.format, "KPI output: table (aligned) or tsv")
      ->check(CLI::IsMember({"table", "tsv"}));
  s->add_flag("-q,--quiet", f.quiet, "No progress line on standard error");
  return s;
}

int cmdSimulate(const SimulateFlags& f) {
  sim::ExperimentOptions eo;
  if (!parseSimDuration(f.horizon, &eo.run.horizon) || eo.run.horizon <= 0)
    return usage("--horizon " + f.horizon + ": expected a duration such as 365d, 12w, 1y");
  if (!parseSimDuration(f.warmup, &eo.run.warmup))
    return usage("--warmup " + f.warmup + ": expected a duration such as 30d");
  if (eo.run.warmup >= eo.run.horizon)
    return usage("--warmup must be shorter than --horizon");
  double sampleEvery = 0;
  if (!f.report.empty() &&
      (!parseSimDuration(f.sample_every, &sampleEvery) || sampleEvery <= 0))
    return usage("--sample-every " + f.sample_every + ": expected a duration such as 1d, 12h");
  eo.run.seed = f.seed;
  eo.replications = f.replications;
  eo.threads = f.threads;
  const bool save = !f.no_save;
  const bool tsv = f.format == "tsv";

  // The scenario first: a bad file is reported before any work.
  std::optional<twin::Scenario> scenario;
  if (!f.scenario.empty()) {
    auto sc = twin::parseScenarioFile(f.scenario);
    if (!sc) {
      std::fprintf(stderr, "weft simulate: %s\n", sc.status().message().c_str());
      return 1;
    }
    scenario = std::move(sc.value());
  }

  auto st = store::Store::open(f.store_dir,
                               save ? store::OpenMode::kMustExist : store::OpenMode::kReadOnly);
  if (!st)
    return usage(st.status().message() +
                 (save && st.status().code() == StatusCode::kAborted
                      ? " (--no-save simulates without writing the runs into the store)"
                      : ""));
  std::optional<twin::CalibrationReport> cal;
  {
    db::StoreDataset data(st.value()->snapshot());
    twin::CalibrationOptions co;
    co.start = f.start;
    co.before = f.before;
    co.batchTrains = f.batch_trains;
    auto c = twin::calibrateModel(data, co);
    if (!c) return usage(c.status().message());
    cal = std::move(c.value());
  }
  const twin::ModelReport& rep = cal->built;
  int assumed = 0, missing = 0;
  for (const auto& n : rep.notes) {
    if (n.kind == twin::Note::Kind::kAssumed) ++assumed;
    if (n.kind == twin::Note::Kind::kMissing) ++missing;
  }
  const std::string baseText = modelText(rep.model);
  if (f.print_model) std::printf("%s%s# calibrated parameters\n%s", baseText.c_str(),
                                 rep.text().c_str(), cal->parameterTable().c_str());
  char summary[512];
  std::snprintf(summary, sizeof summary,
                "model from the graph: %zu lines, %zu suppliers, %zu inventories, %zu lanes, "
                "%zu demands, time 0 is %s; %zu parameters calibrated from records, %d facts "
                "assumed, %d missing",
                rep.model.lines.size(), rep.model.suppliers.size(), rep.model.inventories.size(),
                rep.model.lanes.size(), rep.model.demands.size(), rep.model.start.c_str(),
                cal->parameters.size(), assumed, missing);
  if (!f.quiet) std::fprintf(stderr, "weft simulate: %s (--print-model lists them)\n", summary);

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

  // The scenario's model: the baseline's with the changes applied, validated the same way.
  sim::Model scenModel;
  std::vector<std::string> applied;
  std::optional<sim::Plant> scenPlant;
  if (scenario) {
    scenModel = rep.model;
    Status ap = twin::applyScenario(*scenario, scenModel, &applied);
    if (!ap) {
      std::fprintf(stderr, "weft simulate: scenario %s:\n%s\n", f.scenario.c_str(),
                   ap.message().c_str());
      return 1;
    }
    auto sp = sim::Plant::compile(scenModel);
    if (!sp) {
      std::fprintf(stderr, "weft simulate: the model with scenario %s is not valid:\n%s\n",
                   f.scenario.c_str(), sp.status().message().c_str());
      return 1;
    }
    scenPlant = std::move(sp.value());
    if (!f.quiet) {
      std::fprintf(stderr, "weft simulate: scenario '%s' (%s): %zu changes\n",
                   scenario->name.c_str(), f.scenario.c_str(), applied.size());
      for (const auto& line : applied) std::fprintf(stderr, "  %s\n", line.c_str());
    }
  }

  const size_t traceLimit = save ? f.trace : 0;
  auto base = runCaptured(plant.value(), eo, scenario ? "weft simulate: baseline" : "weft simulate",
                          f.quiet, sampleEvery, traceLimit);
  if (!base) {
    std::fprintf(stderr, "weft simulate: %s\n", base.status().message().c_str());
    return 1;
  }
  std::optional<CapturedRun> scen;
  std::optional<sim::Comparison> cmp;
  if (scenPlant) {
    auto r = runCaptured(*scenPlant, eo, "weft simulate: scenario", f.quiet, sampleEvery, traceLimit);
    if (!r) {
      std::fprintf(stderr, "weft simulate: %s\n", r.status().message().c_str());
      return 1;
    }
    scen = std::move(r.value());
    cmp = sim::comparePaired(base.value().result, scen->result, eo.level);
  }

  // The KPI table.
  if (!cmp) {
    printRows(kpiRows(base.value().result), tsv);
  } else {
    std::vector<std::vector<std::string>> rows{
        {"kpi", "baseline", "scenario", "difference", "diff_ci95_half_width", "significant"}};
    for (size_t i = 0; i < cmp->names.size(); ++i) {
      const sim::Interval &b = cmp->baseline[i], &s = cmp->scenario[i], &d = cmp->difference[i];
      bool sig = d.n > 1 && std::isfinite(d.halfWidth) && std::fabs(d.mean) > d.halfWidth;
      rows.push_back({cmp->names[i], b.n ? simNum(b.mean) : "nan", s.n ? simNum(s.mean) : "nan",
                      d.n ? simNum(d.mean) : "nan", d.n ? simNum(d.halfWidth) : "nan",
                      sig ? "yes" : "no"});
    }
    printRows(rows, tsv);
  }

  // Provenance shared by both runs.
  const std::string generatedAt = nowUtc();
  twin::SimRunRecord baseRec;
  baseRec.isBaseline = true;
  baseRec.scenarioName = "baseline";
  baseRec.scenarioDescription = "the model as read from the graph, no changes";
  baseRec.seed = f.seed;
  baseRec.replications = f.replications;
  baseRec.horizonSeconds = eo.run.horizon;
  baseRec.warmupSeconds = eo.run.warmup;
  baseRec.confidenceLevel = eo.level;
  baseRec.startDate = rep.model.start;
  baseRec.modelFingerprint = hex64(hashBytes(baseText));
  baseRec.modelCounts.lines = static_cast<int64_t>(rep.model.lines.size());
  for (const auto& l : rep.model.lines) baseRec.modelCounts.machines += static_cast<int64_t>(l.machines.size());
  baseRec.modelCounts.suppliers = static_cast<int64_t>(rep.model.suppliers.size());
  baseRec.modelCounts.inventories = static_cast<int64_t>(rep.model.inventories.size());
  baseRec.modelCounts.lanes = static_cast<int64_t>(rep.model.lanes.size());
  baseRec.modelCounts.demands = static_cast<int64_t>(rep.model.demands.size());
  baseRec.modelSummary = summary;
  for (const auto& n : rep.notes) {
    const char* k = n.kind == twin::Note::Kind::kAssumed ? "assumed" :
                    n.kind == twin::Note::Kind::kMissing ? "missing" : "read";
    baseRec.modelNotes.push_back({k, n.subject, n.text});
  }
  for (const auto& p : cal->parameters)
    baseRec.calibration.push_back({p.parameter, p.family, p.parameters,
                                   static_cast<uint64_t>(std::max(p.n, 0)), p.source});
  baseRec.weftVersion = "weft 0.1.0";
  baseRec.generatedAt = generatedAt;
  std::string baseIri, scenIri;
  if (save) {
    std::vector<twin::SimKpi> kpis;
    const auto& er = base.value().result;
    for (size_t i = 0; i < er.names.size(); ++i) kpis.push_back(toSimKpi(er.names[i], er.summary[i]));
    auto w = twin::writeRun(*st.value(), baseRec, kpis, toSimEvents(base.value().trace, 0));
    if (!w) {
      std::fprintf(stderr, "weft simulate: saving the baseline run: %s\n", w.status().message().c_str());
      return 1;
    }
    baseIri = w.value().graph;
    if (scen) {
      twin::SimRunRecord sr = baseRec;
      sr.isBaseline = false;
      sr.scenarioName = scenario->name.empty() ? f.scenario : scenario->name;
      sr.scenarioDescription = scenario->description;
      sr.scenarioFile = f.scenario;
      sr.scenarioSha256 = scenario->sha256;
      sr.scenarioChanges = applied;
      sr.baselineRunId = w.value().runId;
      sr.modelFingerprint = hex64(hashBytes(modelText(scenModel)));
      std::vector<twin::SimKpi> skpis;
      for (size_t i = 0; i < cmp->names.size(); ++i) {
        twin::SimKpi k = toSimKpi(cmp->names[i], cmp->scenario[i]);
        const sim::Interval& d = cmp->difference[i];
        if (d.n > 0 && std::isfinite(d.mean)) {
          k.hasBaseline = true;
          k.differenceMean = d.mean;
          k.differenceHalfWidth = d.halfWidth;
        }
        skpis.push_back(std::move(k));
      }
      auto ws = twin::writeRun(*st.value(), sr, skpis, toSimEvents(scen->trace, 0));
      if (!ws) {
        std::fprintf(stderr, "weft simulate: saving the scenario run: %s\n", ws.status().message().c_str());
        return 1;
      }
      scenIri = ws.value().graph;
    }
    if (!f.quiet) {
      std::fprintf(stderr, "weft simulate: saved the %s in graph <%s>\n",
                   scen ? "baseline run" : "run", baseIri.c_str());
      if (scen) std::fprintf(stderr, "weft simulate: saved the scenario run in graph <%s>\n", scenIri.c_str());
    }
    // A reasoned store keeps its closure up to date (the runs' own vocabulary only).
    if (!keepClosure(*st.value(), f.quiet)) return 1;
  }

  if (!f.report.empty()) {
    twin::ReportInput in;
    in.title = "weft twin: " + (scenario ? (scenario->name.empty() ? f.scenario : scenario->name) + " against the baseline"
                                         : std::string("baseline"));
    in.modelSummary.push_back(summary);
    for (const auto& n : rep.notes)
      if (n.kind != twin::Note::Kind::kRead)
        in.notes.push_back(std::string(n.kind == twin::Note::Kind::kAssumed ? "assumed " : "missing ") +
                           n.subject + ": " + n.text);
    in.settings.seed = f.seed;
    in.settings.replications = f.replications;
    in.settings.horizon = eo.run.horizon;
    in.settings.warmup = eo.run.warmup;
    in.settings.threads = f.threads;
    in.settings.level = eo.level;
    in.settings.startDate = rep.model.start;
    if (scenario) in.scenario = twin::ReportScenario{scenario->name.empty() ? f.scenario : scenario->name, applied};
    in.kpis = cmp ? twin::reportKpis(*cmp) : twin::reportKpis(base.value().result);
    in.machines = twin::reportMachines(in.kpis);
    const std::vector<std::string> shown{":on_hand", ":backlog"};
    in.baselineSeries = reportSeries(base.value().series, eo.level, shown);
    if (scen) in.scenarioSeries = reportSeries(scen->series, eo.level, shown);
    in.provenance.push_back({"store", f.store_dir});
    if (!baseIri.empty()) in.provenance.push_back({"baseline run graph", baseIri});
    if (!scenIri.empty()) in.provenance.push_back({"scenario run graph", scenIri});
    if (scenario) in.provenance.push_back({"scenario file", f.scenario + " (sha256 " + scenario->sha256 + ")"});
    in.provenance.push_back({"generated at", generatedAt});
    std::ofstream out(f.report, std::ios::binary | std::ios::trunc);
    std::string html = twin::renderReport(in);
    out.write(html.data(), static_cast<std::streamsize>(html.size()));
    out.close();
    if (!out) {
      std::fprintf(stderr, "weft simulate: cannot write the report %s\n", f.report.c_str());
      return 2;
    }
    if (!f.quiet) std::fprintf(stderr, "weft simulate: report written to %s (%zu bytes)\n", f.report.c_str(), html.size());
  }
  return 0;
}

}  // namespace weft::cli
