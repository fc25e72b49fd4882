// SPDX-License-Identifier: Apache-2.0
// weft_sim_speed: events per second of the twin's simulator on one core, for
// docs/twin.md and docs/PERFORMANCE.md (a benchmark, not a test: speed is
// never asserted in unit tests). Run: build/release/weft_sim_speed
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "engine/sim/kernel.h"
#include "engine/sim/plant.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;
using namespace weft::sim::testing;

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double measure(const Model& m, double horizon, const char* what) {
  weft::Result<Plant> p = Plant::compile(m);
  if (!p.isOk()) {
    std::fprintf(stderr, "weft_sim_speed: %s\n", p.status().message().c_str());
    std::exit(1);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const PlantResult r = p->run({1, 0, horizon, 0});
  const double s = seconds(t0);
  const double rate = static_cast<double>(r.events) / s;
  std::printf("%-46s %10llu events in %.3f s: %.1f M events/s\n", what,
              static_cast<unsigned long long>(r.events), s, rate / 1e6);
  return rate;
}

void kernelAlone() {
  // Pure future-event-set cost: 64 entities each rescheduling itself with exponential delays.
  Kernel k;
  Rng rng(1, 0, 0);
  for (uint32_t e = 0; e < 64; ++e) k.schedule(rng.exp1(), 0, e);
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t n = k.runUntil(2e5, [&](const Event& e) { k.schedule(rng.exp1(), 0, e.entity); });
  const double s = seconds(t0);
  std::printf("%-46s %10llu events in %.3f s: %.1f M events/s\n", "kernel, 64 self-rescheduling entities",
              static_cast<unsigned long long>(n), s, n / s / 1e6);
}

void lineModel() {
  // A 4-machine push line with exponential cycle times and buffers of 5.
  Model m = pushLine({machine("M1", Dist::exponential(60)), machine("M2", Dist::exponential(55)),
                      machine("M3", Dist::exponential(62)), machine("M4", Dist::exponential(58))},
                     {5, 5, 5});
  measure(m, kYear, "4-machine line, one year");
}

void benchmarkShapedPlant() {
  // 12 lines x 4 machines, failures, changeovers between 5 products, (s,S) raw material with a
  // backup supplier, 3 distribution centres over lanes, customer demand: 60 days.
  measure(benchmarkPlant(12), 60 * kDay, "12-line plant, 60 days");
}

}  // namespace

int main() {
  kernelAlone();
  lineModel();
  benchmarkShapedPlant();
  return 0;
}
