// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/twin_common.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace weft::cli {

bool parseSimDuration(const std::string& s, double* out) {
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

std::string simNum(double v) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

Result<CapturedRun> runCaptured(const sim::Plant& plant, const sim::ExperimentOptions& options,
                                const std::string& label, bool quiet, double sampleEvery,
                                size_t traceLimit) {
  CapturedRun out;
  const uint32_t n = options.replications;
  out.series.resize(n);
  std::vector<uint64_t> events(n, 0);
  std::atomic<uint32_t> done{0};
  std::mutex progress;
  auto result = sim::runReplications(
      n, options.threads,
      [&](uint32_t r) {
        sim::RunOptions ro = options.run;
        ro.replication = options.firstReplication + r;
        ro.sampleEvery = sampleEvery;
        ro.traceLimit = r == 0 ? traceLimit : 0;
        sim::PlantResult pr = plant.run(ro);
        sim::Kpis k = sim::computeKpis(pr);
        // Slot r belongs to this replication alone: no lock needed.
        out.series[r] = std::move(pr.series);
        events[r] = pr.events;
        if (r == 0) {
          out.trace = std::move(pr.trace);
          out.traceDropped = pr.traceDropped;
        }
        uint32_t k_done = ++done;
        if (!quiet) {
          std::lock_guard<std::mutex> lock(progress);
          std::fprintf(stderr, "\r%s: replication %u/%u", label.c_str(), k_done, n);
          std::fflush(stderr);
        }
        return k;
      },
      options.level, options.cancel);
  if (!quiet) std::fprintf(stderr, "\n");
  if (!result) return result.status();
  out.result = std::move(result.value());
  for (uint64_t e : events) out.events += e;
  out.series.resize(out.result.replications.size());
  return out;
}

Result<sim::ExperimentResult> runWithProgress(const sim::Plant& plant,
                                              const sim::ExperimentOptions& options,
                                              const std::string& label, bool quiet) {
  auto run = runCaptured(plant, options, label, quiet, 0, 0);
  if (!run) return run.status();
  return std::move(run.value().result);
}

void printRows(const std::vector<std::vector<std::string>>& rows, bool tsv) {
  if (rows.empty()) return;
  const size_t cols = rows.front().size();
  if (tsv) {
    for (const auto& r : rows) {
      for (size_t c = 0; c < r.size(); ++c) std::printf("%s%s", c ? "\t" : "", r[c].c_str());
      std::printf("\n");
    }
    return;
  }
  std::vector<size_t> w(cols, 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < cols && c < r.size(); ++c) w[c] = std::max(w[c], r[c].size());
  for (const auto& r : rows) {
    for (size_t c = 0; c < cols && c < r.size(); ++c) {
      if (c == 0) std::printf("%-*s", static_cast<int>(w[c]), r[c].c_str());
      else std::printf("  %*s", static_cast<int>(w[c]), r[c].c_str());
    }
    std::printf("\n");
  }
}

std::vector<std::vector<std::string>> kpiRows(const sim::ExperimentResult& er,
                                              const std::vector<std::string>& prefixes) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"kpi", "mean", "ci95_half_width", "ci_low", "ci_high"});
  for (size_t i = 0; i < er.names.size(); ++i) {
    if (!prefixes.empty() &&
        std::none_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return er.names[i].rfind(p, 0) == 0; }))
      continue;
    const sim::Interval& iv = er.summary[i];
    bool none = iv.n == 0;
    rows.push_back({er.names[i], none ? "nan" : simNum(iv.mean),
                    none ? "nan" : simNum(iv.halfWidth), none ? "nan" : simNum(iv.lo()),
                    none ? "nan" : simNum(iv.hi())});
  }
  return rows;
}

}  // namespace weft::cli
