// SPDX-License-Identifier: Apache-2.0
// weft_sim_speed: events per second of the twin's simulator on one core, for
// docs/twin.md and docs/PERFORMANCE.md (a benchmark, not a test: speed is
// never asserted in unit tests). Run: build/release/weft_sim_speed
#include <chrono>
#include <cmath>
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

// Nanoseconds per draw of the samplers on the hot paths (sums printed so nothing is elided).
void samplers() {
  const int n = 20000000;
  auto time = [&](const char* what, auto&& draw) {
    Rng rng(1, 0, 0);
    double sum = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) sum += draw(rng);
    const double s = seconds(t0);
    std::printf("%-46s %6.2f ns per draw (sum %.6g)\n", what, s / n * 1e9, sum);
  };
  const Dist logn = Dist::lognormalMeanSd(70, 10), expo = Dist::exponential(70);
  time("uniform", [](Rng& r) { return r.uniform(); });
  time("normal01 (ziggurat)", [](Rng& r) { return r.normal01(); });
  time("exp1 (-ln U, libm log)", [](Rng& r) { return r.exp1(); });
  time("Dist lognormal(mean 70, sd 10) (simExp)", [&](Rng& r) { return logn.sample(r); });
  time("Dist exponential(70)", [&](Rng& r) { return expo.sample(r); });
  time("simExp(10 U)", [](Rng& r) { return simExp(10 * r.uniform()); });
  time("std::exp(10 U), for comparison", [](Rng& r) { return std::exp(10 * r.uniform()); });
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
  samplers();
  kernelAlone();
  lineModel();
  benchmarkShapedPlant();
  return 0;
}
