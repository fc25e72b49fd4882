// SPDX-License-Identifier: Apache-2.0
// weft_twin_kinds: which events make up a plant-year of the twin benchmark (docs/PERFORMANCE.md,
// "Twin"). Built from the simulator's sources again with WEFT_SIM_COUNT_KINDS, so the kernel
// counts executed events per kind; engine_sim itself is not instrumented. A benchmark helper,
// nothing is asserted.
//
// Run: build/release/weft_twin_kinds [--days 365] [--seed 1]
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/sim/kernel.h"
#include "engine/sim/plant.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;

int main(int argc, char** argv) {
  double days = 365;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--days") == 0) days = std::strtod(argv[i + 1], nullptr);
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  weft::Result<Plant> plant = Plant::compile(testing::benchmarkPlant(12));
  if (!plant.isOk()) {
    std::fprintf(stderr, "weft_twin_kinds: %s\n", plant.status().message().c_str());
    return 1;
  }
  uint64_t counts[64] = {};
  gKindCounts = counts;
  const PlantResult r = plant->run({seed, 0, days * kDay, 30 * kDay});
  gKindCounts = nullptr;
  // The names of engine/sim/plant.cpp's `enum Kind`, in order (update if it changes).
  const char* names[] = {"timer (end of setup or operation)", "calendar failure", "repair end",
                         "shift toggle", "maintenance start", "maintenance end", "line arrival",
                         "receipt (supplier or lane)", "customer order", "(R,S) review", "warm-up",
                         "outage start", "outage end", "sample"};
  const int named = sizeof names / sizeof names[0];
  std::printf("%llu events in %g days (12-line benchmark plant, seed %llu)\n",
              static_cast<unsigned long long>(r.events), days,
              static_cast<unsigned long long>(seed));
  int64_t units = 0;
  for (const MachineResult& m : r.machines) units += m.produced;
  std::printf("%lld machine operations completed (units produced, summed over machines)\n",
              static_cast<long long>(units));
  std::printf("%-4s %-36s %12s %7s\n", "kind", "name", "events", "share");
  for (int k = 0; k < 64; ++k) {
    if (counts[k] == 0) continue;
    std::printf("%-4d %-36s %12llu %6.2f%%\n", k, k < named ? names[k] : "?",
                static_cast<unsigned long long>(counts[k]),
                100.0 * static_cast<double>(counts[k]) / static_cast<double>(r.events));
  }
  return 0;
}
