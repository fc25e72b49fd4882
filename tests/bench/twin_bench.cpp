// SPDX-License-Identifier: Apache-2.0
// weft_twin_bench: the twin benchmark of issue 8 (docs/PERFORMANCE.md, "Twin: the simulator
// against SimPy 3"). The plant of tests/unit/sim/sim_models.h (12 lines of 4 machines with
// buffers, failures, changeovers between 5 products, maintenance, scrap, (s,S) raw material with
// a backup supplier, 3 distribution centres over lanes, demand) for one simulated year:
//   1. one replication on the calling thread, in the event model and as flow lines (the
//      default): events, wall time, the model's events per second;
//   2. N replications with runExperiment on T threads: wall time and the KPIs with 95% CIs.
// The KPIs are aggregated over lines / centres so that tests/bench/twin_simpy.py can report the
// same ones. A benchmark, not a test: nothing is asserted.
//
// Run: build/release/weft_twin_bench [--reps 1000] [--threads 2] [--days 365] [--warmup-days 30]
//                                    [--seed 1] [--tsv FILE]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/sim/experiment.h"
#include "engine/sim/plant.h"
#include "engine/sim/stats.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The aggregate KPIs of one replication, computed from weft's named KPIs. Names match
// twin_simpy.py's output so the comparison script can join them.
struct Derived {
  std::vector<std::string> names;
  std::vector<double> values;
  void put(const char* n, double v) {
    names.emplace_back(n);
    values.push_back(v);
  }
};

Derived derive(const std::vector<std::string>& names, const std::vector<double>& v) {
  auto sumOf = [&](const std::string& prefix, const std::string& suffix, int* count) {
    double s = 0;
    int n = 0;
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string& k = names[i];
      if (k.size() >= prefix.size() + suffix.size() && k.compare(0, prefix.size(), prefix) == 0 &&
          k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0) {
        s += v[i];
        ++n;
      }
    }
    if (count) *count = n;
    return s;
  };
  auto meanOf = [&](const std::string& prefix, const std::string& suffix) {
    int n = 0;
    const double s = sumOf(prefix, suffix, &n);
    return n > 0 ? s / n : std::nan("");
  };
  auto get = [&](const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return v[i];
    }
    return std::nan("");
  };
  Derived d;
  d.put("throughput_per_h_line", meanOf("line:", ":throughput_per_h"));
  d.put("throughput_per_h_plant", sumOf("line:", ":throughput_per_h", nullptr));
  d.put("line0_throughput_per_h", get("line:L0:throughput_per_h"));
  d.put("oee_line", meanOf("line:", ":oee"));
  d.put("availability_bottleneck", meanOf("line:", ":availability"));
  d.put("quality_line", meanOf("line:", ":quality"));
  d.put("wip_line", meanOf("line:", ":wip"));
  d.put("flow_time_h", meanOf("line:", ":flow_time_h"));
  d.put("m0_blocked", meanOf("machine:", "/M0:blocked"));
  d.put("m3_starved", meanOf("machine:", "/M3:starved"));
  d.put("failures_per_machine", meanOf("machine:", ":failures"));
  d.put("fill_rate", get("plant:fill_rate"));
  d.put("on_time", get("plant:on_time"));
  d.put("backlog_units", get("plant:backlog"));
  d.put("rm_avg_on_hand", get("inventory:RM@Plant:avg_on_hand"));
  d.put("rm_replenishments", get("inventory:RM@Plant:replenishments"));
  d.put("fg_plant_avg_on_hand", meanOf("inventory:P", "@Plant:avg_on_hand"));
  d.put("dc_avg_on_hand", meanOf("inventory:P", "@DC1:avg_on_hand") / 3 +
                              meanOf("inventory:P", "@DC2:avg_on_hand") / 3 +
                              meanOf("inventory:P", "@DC3:avg_on_hand") / 3);
  return d;
}

constexpr const char* kUsage =
    "usage: weft_twin_bench [--reps N] [--threads T] [--days D] [--warmup-days W] [--seed S]\n"
    "                       [--tsv FILE]\n"
    "The twin benchmark of issue 8: one replication in the event model and as flow lines, then\n"
    "N replications (default 1000) on T threads (default 2) of D days (365) after W days of\n"
    "warm-up (30), with 95% confidence intervals of the KPIs; --tsv writes them to FILE.\n";

// The flags with a value; anything else but --help is an error.
bool knownFlag(const char* a) {
  for (const char* f : {"--reps", "--threads", "--days", "--warmup-days", "--seed", "--tsv"}) {
    if (std::strcmp(a, f) == 0) return true;
  }
  return false;
}

long argLong(int argc, char** argv, const char* flag, long dflt) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0) return std::strtol(argv[i + 1], nullptr, 10);
  }
  return dflt;
}

const char* argStr(int argc, char** argv, const char* flag) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0) return argv[i + 1];
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (!knownFlag(argv[i]) || i + 1 == argc) {
      std::fprintf(stderr, "weft_twin_bench: %s: %s\n%s", argv[i],
                   knownFlag(argv[i]) ? "needs a value" : "unknown option", kUsage);
      return 2;
    }
    ++i;
  }
  const uint32_t reps = static_cast<uint32_t>(argLong(argc, argv, "--reps", 1000));
  const unsigned threads = static_cast<unsigned>(argLong(argc, argv, "--threads", 2));
  const double days = static_cast<double>(argLong(argc, argv, "--days", 365));
  const double warmupDays = static_cast<double>(argLong(argc, argv, "--warmup-days", 30));
  const uint64_t seed = static_cast<uint64_t>(argLong(argc, argv, "--seed", 1));
  const char* tsvPath = argStr(argc, argv, "--tsv");

  weft::Result<Plant> plant = Plant::compile(testing::benchmarkPlant(12));
  if (!plant.isOk()) {
    std::fprintf(stderr, "weft_twin_bench: %s\n", plant.status().message().c_str());
    return 1;
  }
  const RunOptions run{seed, 0, days * kDay, warmupDays * kDay};

  // 1. One replication on this thread (the caller pins it with taskset for the 1-core figure),
  // as flow lines (the default) and in the event model, which executes every machine operation
  // as an event (the events SimPy's timeouts count). Both are the same simulation (the same
  // draws, the same results; tests/unit/sim/flow_test.cpp), so the model's events per second
  // of the default run are the event model's event count over the flow run's wall time.
  RunOptions eventRun = run;
  eventRun.eventModel = true;
  const auto t00 = std::chrono::steady_clock::now();
  const PlantResult ev = plant->run(eventRun);
  const double wallEv = seconds(t00);
  std::printf("one replication, event model: %llu events in %.3f s: %.0f events/s\n",
              static_cast<unsigned long long>(ev.events), wallEv,
              static_cast<double>(ev.events) / wallEv);
  const auto t0 = std::chrono::steady_clock::now();
  const PlantResult one = plant->run(run);
  const double wall1 = seconds(t0);
  std::printf("one replication: %llu steps and events in %.3f s: %.0f model events/s (%.2fx the "
              "event model's speed)\n",
              static_cast<unsigned long long>(one.events), wall1,
              static_cast<double>(ev.events) / wall1, wallEv / wall1);

  // 2. N replications on `threads` threads.
  ExperimentOptions eo;
  eo.run = run;
  eo.replications = reps;
  eo.threads = threads;
  const auto t1 = std::chrono::steady_clock::now();
  weft::Result<ExperimentResult> ex = runExperiment(*plant, eo);
  const double wallN = seconds(t1);
  if (!ex.isOk()) {
    std::fprintf(stderr, "weft_twin_bench: %s\n", ex.status().message().c_str());
    return 1;
  }
  std::printf("%u replications on %u threads: %.3f s (%.3f s per replication), %llu events, "
              "%.0f events/s\n",
              reps, threads, wallN, wallN / reps, static_cast<unsigned long long>(ex->events),
              static_cast<double>(ex->events) / wallN);

  // KPIs: the aggregates per replication, then their CIs.
  std::vector<std::string> names;
  std::vector<std::vector<double>> cols;
  for (const std::vector<double>& row : ex->replications) {
    const Derived d = derive(ex->names, row);
    if (names.empty()) {
      names = d.names;
      cols.resize(names.size());
    }
    for (size_t i = 0; i < d.values.size(); ++i) cols[i].push_back(d.values[i]);
  }
  std::FILE* tsv = tsvPath ? std::fopen(tsvPath, "w") : nullptr;
  if (tsvPath && !tsv) {
    std::fprintf(stderr, "weft_twin_bench: cannot write %s\n", tsvPath);
    return 1;
  }
  if (tsv) {
    std::fprintf(tsv, "# events_1rep\t%llu\n# wall_1rep_s\t%.6f\n# reps\t%u\n# threads\t%u\n"
                      "# wall_reps_s\t%.6f\n# events_reps\t%llu\n# days\t%g\n# warmup_days\t%g\n"
                      "# model_events_1rep\t%llu\n# wall_event_model_1rep_s\t%.6f\n",
                 static_cast<unsigned long long>(one.events), wall1, reps, threads, wallN,
                 static_cast<unsigned long long>(ex->events), days, warmupDays,
                 static_cast<unsigned long long>(ev.events), wallEv);
    std::fprintf(tsv, "kpi\tmean\thalf_width\tsd\tn\n");
  }
  std::printf("%-26s %14s %12s %6s\n", "kpi", "mean", "95% +/-", "n");
  for (size_t i = 0; i < names.size(); ++i) {
    const Interval ci = confidenceInterval(cols[i], 0.95);
    std::printf("%-26s %14.5g %12.4g %6u\n", names[i].c_str(), ci.mean, ci.halfWidth, ci.n);
    if (tsv) {
      std::fprintf(tsv, "%s\t%.10g\t%.10g\t%.10g\t%u\n", names[i].c_str(), ci.mean, ci.halfWidth,
                   ci.sd, ci.n);
    }
  }
  if (tsv) std::fclose(tsv);
  return 0;
}
