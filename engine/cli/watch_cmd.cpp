// SPDX-License-Identifier: Apache-2.0
// `weft watch drift` (watch_cmd.h): flags, the store, the table; the work is in engine/watch.
#include "engine/cli/watch_cmd.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "engine/cli/twin_cmd.h"
#include "engine/db/database.h"
#include "engine/store/store.h"
#include "engine/twin/shadow.h"
#include "engine/watch/drift.h"
#include "engine/watch/failure_graph.h"

namespace weft::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int usage(const std::string& m) {
  std::fprintf(stderr, "weft watch drift: %s\nRun with --help for more information.\n", m.c_str());
  return kExitUsage;
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string nowUtc() { return watch::formatTimeMs(nowMs()); }

// Reads a configuration file and parses it (watch::parseDriftConfig, parseFailureConfig);
// the error says which file could not be read, or what the parser found.
template <typename Config>
Result<Config> loadConfig(const std::string& path,
                          Result<Config> (*parse)(std::string_view, const std::string&)) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalidArgument("cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

std::string when(const watch::Series& s, int64_t t) {
  return s.calendar ? watch::formatTimeMs(t).substr(0, 19) + "Z" : "#" + std::to_string(t);
}

std::string delay(const watch::Series& s, const watch::ChartOutcome& c) {
  char buf[96];
  if (s.calendar) {
    const double h = static_cast<double>(c.delayMs) / 3.6e6;
    std::snprintf(buf, sizeof buf, "%.1f h, %zu pts", h, c.delayPoints);
  } else {
    std::snprintf(buf, sizeof buf, "%zu pts", c.delayPoints);
  }
  return buf;
}

void printOutcome(const watch::SeriesSpec& spec, const watch::SeriesOutcome& o, size_t list) {
  const watch::Series& s = o.series;
  std::printf("\n%s: %s, %zu observations", o.name.c_str(),
              watch::sourceDescription(spec.source).c_str(), s.size());
  if (s.size() > 0)
    std::printf(" from %s to %s", when(s, s.time.front()).c_str(), when(s, s.time.back()).c_str());
  std::printf("%s\n", spec.expected.present ? " (residuals: recorded - expected)" : "");
  std::printf("  baseline observations %zu..%zu: mean %.6g, sigma %.6g (%s)\n", o.baselineFirst,
              o.baselineLast, o.baseline.mean, o.baseline.sigma, o.baseline.method.c_str());
  if (spec.plantedStart)
    std::printf("  planted change from %s%s%s\n", when(s, *spec.plantedStart).c_str(),
                spec.plantedEnd ? " to " : "",
                spec.plantedEnd ? when(s, *spec.plantedEnd).c_str() : "");
  std::printf("  %-21s %-28s %7s  %-27s %-18s %s\n", "chart", "parameters", "alarms", "first alarm",
              spec.plantedStart ? "detection delay" : "", spec.plantedStart ? "false alarms" : "");
  for (const auto& c : o.charts) {
    std::string first = "-";
    if (!c.alarms.empty()) first = c.alarms[0].rule + " " + when(s, c.alarms[0].detectionTime);
    std::string det, fa;
    if (c.evaluated) {
      det = c.detectedAlarm ? delay(s, c) : "not detected";
      char buf[64];
      std::snprintf(buf, sizeof buf, "%zu in %zu pts", c.falseAlarms, c.pointsOutside);
      fa = buf;
    }
    std::printf("  %-21s %-28s %7zu  %-27s %-18s %s\n", c.chart.c_str(), c.parameters.c_str(),
                c.alarms.size(), first.c_str(), det.c_str(), fa.c_str());
  }
  for (const auto& c : o.charts) {
    for (size_t i = 0; i < c.alarms.size() && i < list; ++i) {
      const watch::Alarm& a = c.alarms[i];
      std::printf("    %-21s %-6s %-5s at %s: %.6g vs limit %.6g, window %s..%s (%zu obs)%s%s\n",
                  c.chart.c_str(), a.rule.c_str(), a.side > 0 ? "upper" : "lower",
                  when(s, a.detectionTime).c_str(), a.statistic, a.limit,
                  when(s, a.windowStart).c_str(), when(s, a.windowEnd).c_str(),
                  a.windowLast - a.windowFirst + 1, a.detectionId.empty() ? "" : ", record ",
                  a.detectionId.c_str());
    }
    if (c.alarms.size() > list && list > 0)
      std::printf("    %-21s ... %zu more\n", c.chart.c_str(), c.alarms.size() - list);
  }
}

int cmdDrift(const WatchFlags& f) {
  if (f.store_dir.empty()) return usage("give --store DIR");
  if (f.config.empty()) return usage("give --config FILE.json (the series and their charts)");
  auto cfg = loadConfig(f.config, watch::parseDriftConfig);
  if (!cfg) return usage(cfg.status().message());
  auto opened = store::Store::open(
      f.store_dir, f.dry_run ? store::OpenMode::kReadOnly : store::OpenMode::kMustExist);
  if (!opened) {
    std::fprintf(stderr, "weft watch drift: %s\n", opened.status().toString().c_str());
    return kExitUsage;
  }
  auto outcomes = watch::runDrift(cfg.value(), opened.value().get(), f.store_dir);
  if (!outcomes) {
    std::fprintf(stderr, "weft watch drift: %s\n", outcomes.status().toString().c_str());
    return kExitFailure;
  }
  size_t total = 0;
  for (size_t i = 0; i < outcomes->size(); ++i) {
    for (const auto& c : (*outcomes)[i].charts) total += c.alarms.size();
    if (!f.quiet) printOutcome(cfg->series[i], (*outcomes)[i], f.list_alarms);
  }
  const std::vector<watch::ChartScore> scores = watch::scoreRun(cfg.value(), outcomes.value());
  bool any_planted = false;
  for (const auto& sc : scores) any_planted |= sc.planted > 0;
  if (any_planted && !f.quiet) {
    std::printf("\nevaluation: planted changes detected, and false alarms on the series without one and\n"
                "outside the planted windows\n");
    std::printf("  %-21s %9s  %-16s %s\n", "chart", "detected", "mean delay", "false alarms");
    for (const auto& sc : scores) {
      char det[32], dl[32], fa[64];
      std::snprintf(det, sizeof det, "%zu/%zu", sc.detected, sc.planted);
      std::snprintf(dl, sizeof dl, sc.detected ? "%.1f pts" : "-", sc.meanDelayPoints);
      std::snprintf(fa, sizeof fa, "%zu in %zu pts (%.2f per 1000)", sc.falseAlarms, sc.points,
                    sc.points ? 1000.0 * static_cast<double>(sc.falseAlarms) / static_cast<double>(sc.points) : 0.0);
      std::printf("  %-21s %9s  %-16s %s\n", sc.chart.c_str(), det, dl, fa);
    }
  }
  if (f.dry_run) {
    if (!f.quiet) std::printf("\n%zu alarms (dry run: the graph is unchanged)\n", total);
    return 0;
  }
  auto quads = watch::alarmQuads(outcomes.value(), nowUtc());
  auto w = watch::replaceDriftGraph(*opened.value(), quads);
  if (!w) {
    std::fprintf(stderr, "weft watch drift: %s\n", w.status().toString().c_str());
    return kExitFailure;
  }
  if (!f.quiet)
    std::printf(
        "\n%zu alarms written to <%s> (%llu quads; %llu quads of the previous run replaced)\n",
        total, std::string(watch::kDriftGraph).c_str(), static_cast<unsigned long long>(w->added),
        static_cast<unsigned long long>(w->removed));
  return 0;
}

std::string optNum(const std::optional<double>& x) {
  if (!x) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *x);
  return buf;
}

int cmdFailures(const WatchFlags& f) {
  auto fail = [](const std::string& m) {
    std::fprintf(stderr, "weft watch failures: %s\n", m.c_str());
    return kExitUsage;
  };
  if (f.store_dir.empty()) return fail("give --store DIR");
  if (f.config.empty()) return fail("give --config FILE.json (the history query and tags)");
  auto cfg = loadConfig(f.config, watch::parseFailureConfig);
  if (!cfg) return fail(cfg.status().message());
  auto opened = store::Store::open(
      f.store_dir, f.dry_run ? store::OpenMode::kReadOnly : store::OpenMode::kMustExist);
  if (!opened) return fail(opened.status().toString());
  auto run = watch::runFailures(cfg.value(), *opened.value(), f.store_dir, nowMs());
  if (!run) {
    std::fprintf(stderr, "weft watch failures: %s\n", run.status().toString().c_str());
    return kExitFailure;
  }
  if (!f.quiet) {
    std::printf("failure predictions at %s, horizon %.0f h, warning at p >= %.2f\n",
                watch::formatTimeMs(run->at).c_str(), cfg->options.horizon,
                cfg->options.threshold);
    for (const auto& p : run->predictions)
      std::printf("  %-40s p=%.3f %s\n    %s\n", p.machine.c_str(), p.probability,
                  p.warning ? "WARNING" : "", p.evidence.c_str());
    for (const auto& s : run->skipped) std::printf("  skipped %s\n", s.c_str());
    if (run->backtest) {
      const auto& b = *run->backtest;
      std::printf("backtest (rolling origin, every %.0f h): %zu points, precision %s, recall %s, "
                  "accuracy %.3f; failures warned %zu/%zu\n",
                  cfg->options.step, b.evaluated, optNum(b.precision).c_str(),
                  optNum(b.recall).c_str(), b.accuracy, b.failuresWarned, b.failuresEvaluated);
    } else if (!run->backtestError.empty()) {
      std::printf("backtest: %s\n", run->backtestError.c_str());
    }
  }
  if (f.dry_run) {
    if (!f.quiet) std::printf("(dry run: the graph is unchanged)\n");
    return 0;
  }
  auto quads = watch::failureQuads(run.value(), cfg.value(), nowUtc());
  auto w = watch::replaceGraph(*opened.value(), watch::kFailureGraph, quads);
  if (!w) {
    std::fprintf(stderr, "weft watch failures: %s\n", w.status().toString().c_str());
    return kExitFailure;
  }
  if (!f.quiet)
    std::printf("%zu predictions written to <%s> (%llu quads; %llu of the previous run replaced)\n",
                run->predictions.size(), std::string(watch::kFailureGraph).c_str(),
                static_cast<unsigned long long>(w->added),
                static_cast<unsigned long long>(w->removed));
  return 0;
}

double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string LiveWatch::load(const std::string& drift_config, const std::string& failures_config,
                            const std::string& shadow_config, double every_s) {
  every_s_ = every_s;
  if (!drift_config.empty()) {
    auto cfg = loadConfig(drift_config, watch::parseDriftConfig);
    if (!cfg) return cfg.status().message();
    drift_ = std::make_shared<watch::DriftConfig>(std::move(cfg.value()));
  }
  if (!failures_config.empty()) {
    auto cfg = loadConfig(failures_config, watch::parseFailureConfig);
    if (!cfg) return cfg.status().message();
    failures_ = std::make_shared<watch::FailureConfig>(std::move(cfg.value()));
  }
  if (!shadow_config.empty()) {
    auto cfg = loadConfig(shadow_config, twin::parseShadowConfig);
    if (!cfg) return cfg.status().message();
    shadow_ = std::make_shared<twin::ShadowConfig>(std::move(cfg.value()));
  }
  return "";
}

void LiveWatch::afterCommit(store::Store& store, const std::string& store_dir, bool quiet) {
  if (!active()) return;
  pending_ = true;
  if (last_run_ >= 0 && steadySeconds() - last_run_ < every_s_) return;
  run(store, store_dir, quiet);
}

void LiveWatch::finish(store::Store& store, const std::string& store_dir, bool quiet) {
  if (active() && pending_) run(store, store_dir, quiet);
}

void LiveWatch::run(store::Store& store, const std::string& store_dir, bool quiet) {
  last_run_ = steadySeconds();
  pending_ = false;
  // A failed run is reported and the stream goes on: the previous run's graph stays.
  if (drift_) {
    // Series by series: one that cannot be charted yet (too few observations for its
    // baseline, early in a stream) waits for the next run instead of stopping the others.
    const watch::DriftConfig& cfg = *drift_;
    std::vector<watch::SeriesOutcome> outcomes;
    std::string waiting;
    size_t alarms = 0;
    for (const watch::SeriesSpec& spec : cfg.series) {
      watch::DriftConfig one;
      one.series.push_back(spec);
      auto o = watch::runDrift(one, &store, store_dir);
      if (!o) {
        waiting += (waiting.empty() ? "" : "; ") + o.status().message();
        continue;
      }
      for (const auto& c : o->front().charts) alarms += c.alarms.size();
      outcomes.push_back(std::move(o->front()));
    }
    auto w = watch::replaceDriftGraph(store, watch::alarmQuads(outcomes, nowUtc()));
    if (!w)
      std::fprintf(stderr, "weft stream: watch drift: %s\n", w.status().toString().c_str());
    else if (!quiet)
      std::fprintf(stderr, "weft stream: watch drift: %zu series, %zu alarms in <%s>%s%s\n", outcomes.size(),
                   alarms, std::string(watch::kDriftGraph).c_str(), waiting.empty() ? "" : "; not yet: ",
                   waiting.c_str());
  }
  if (failures_) {
    const watch::FailureConfig& cfg = *failures_;
    auto run = watch::runFailures(cfg, store, store_dir, nowMs());
    Result<watch::GraphWriteStats> w = Status::ok();
    size_t warnings = 0;
    if (run) {
      for (const auto& p : run->predictions) warnings += p.warning ? 1 : 0;
      w = watch::replaceGraph(store, watch::kFailureGraph, watch::failureQuads(run.value(), cfg, nowUtc()));
    }
    const Status st = !run ? run.status() : !w ? w.status() : Status::ok();
    if (!st)
      std::fprintf(stderr, "weft stream: watch failures: %s\n", st.toString().c_str());
    else if (!quiet)
      std::fprintf(stderr, "weft stream: watch failures: %zu machines, %zu warnings in <%s>\n",
                   run->predictions.size(), warnings, std::string(watch::kFailureGraph).c_str());
  }
  if (shadow_) runShadow(store, quiet);
}

// Shadow mode over what the store holds now: one line with the phases and the MAPE per KPI;
// with residuals, their alarms replace the residual graph.
void LiveWatch::runShadow(store::Store& store, bool quiet) {
  const twin::ShadowConfig& cfg = *shadow_;
  Result<twin::ShadowResult> res = Status::ok();
  {
    db::StoreDataset data(store.snapshot());
    res = twin::runShadow(data, cfg.options);
  }
  if (!res) {  // early in a stream there may be nothing to shadow yet
    if (!quiet) std::fprintf(stderr, "weft stream: watch shadow: not yet: %s\n", res.status().message().c_str());
    return;
  }
  std::string line = std::to_string(res->phases) + " phases in " + std::to_string(res->shifts.size()) + " shifts";
  for (const auto& e : res->errors) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g %%", e.mape ? *e.mape : NAN);
    line += "; MAPE " + e.kpi + " " + (e.mape ? buf : "n/a");
  }
  if (cfg.residuals) {
    auto charts = chartShadowResiduals(res.value(), cfg.baseline, &store);
    if (!charts) {
      std::fprintf(stderr, "weft stream: watch shadow: %s\n", charts.status().toString().c_str());
      return;
    }
    line += "; " + std::to_string(charts->alarms) + " residual alarms in <" + kResidualGraph + ">";
  }
  if (!quiet) std::fprintf(stderr, "weft stream: watch shadow: %s\n", line.c_str());
}

void addWatchCommands(CLI::App& app, WatchFlags& f) {
  auto* w = app.add_subcommand(
      "watch", "Watch the records for drift and predict failures (docs/watch.md)");
  w->require_subcommand(1);
  auto* d = w->add_subcommand(
      "drift",
      "Shewhart / Western Electric, EWMA and CUSUM charts on tag series, batch parameters, quality "
      "attributes and residuals; alarms into the graph <https://w3id.org/weft/graph/watch/drift>");
  d->add_option("--store", f.store_dir,
                "Store directory (its timeseries.sqlite holds the tag samples)");
  d->add_option("--config", f.config,
                "JSON configuration: series, baselines, charts, planted changes");
  d->add_flag("--dry-run", f.dry_run, "Print the alarms; leave the graph unchanged");
  d->add_option("--alarms", f.list_alarms, "Alarms listed per chart (default 5)");
  d->add_flag("-q,--quiet", f.quiet, "Only errors");
  f.drift = d;
  auto* fp = w->add_subcommand(
      "failures",
      "Per machine, the probability of a failure within the horizon (Weibull on the time since "
      "the last repair, condition trends); predictions into "
      "<https://w3id.org/weft/graph/watch/failures>");
  fp->add_option("--store", f.store_dir, "Store directory (its timeseries.sqlite holds the tags)");
  fp->add_option("--config", f.config, "JSON configuration: history query, machines, tags");
  fp->add_flag("--dry-run", f.dry_run, "Print the predictions; leave the graph unchanged");
  fp->add_flag("-q,--quiet", f.quiet, "Only errors");
  f.failures = fp;
}

int runWatch(const WatchFlags& f) {
  if (f.drift && f.drift->parsed()) return cmdDrift(f);
  if (f.failures && f.failures->parsed()) return cmdFailures(f);
  return -1;
}

}  // namespace weft::cli
