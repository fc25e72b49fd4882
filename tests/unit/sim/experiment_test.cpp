// SPDX-License-Identifier: Apache-2.0
// Experiments: determinism across thread counts, common random numbers, sweeps, cancel.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "engine/sim/experiment.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;
using namespace weft::sim::testing;

namespace {

bool bitEqual(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

ExperimentOptions options(uint32_t reps, unsigned threads, double horizon) {
  ExperimentOptions o;
  o.run.seed = 99;
  o.run.horizon = horizon;
  o.run.warmup = horizon / 10;
  o.replications = reps;
  o.threads = threads;
  return o;
}

}  // namespace

TEST(Experiment, BitIdenticalWithOneAndFourThreads) {
  weft::Result<Plant> p = Plant::compile(benchmarkPlant(2));
  ASSERT_TRUE(p.isOk()) << p.status().message();
  weft::Result<ExperimentResult> a = runExperiment(*p, options(8, 1, 40 * kDay));
  weft::Result<ExperimentResult> b = runExperiment(*p, options(8, 4, 40 * kDay));
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_EQ(a->names, b->names);
  ASSERT_EQ(a->replications.size(), 8u);
  EXPECT_EQ(a->events, b->events);
  for (size_t r = 0; r < 8; ++r) {
    for (size_t k = 0; k < a->names.size(); ++k) {
      ASSERT_TRUE(bitEqual(a->replications[r][k], b->replications[r][k]))
          << a->names[k] << " replication " << r;
    }
  }
  for (size_t k = 0; k < a->names.size(); ++k) {
    EXPECT_TRUE(bitEqual(a->summary[k].mean, b->summary[k].mean));
    EXPECT_TRUE(bitEqual(a->summary[k].halfWidth, b->summary[k].halfWidth));
  }
  // Replications differ from each other (the streams depend on the replication).
  EXPECT_NE(a->replications[0], a->replications[1]);
}

TEST(Experiment, IdenticalScenarioDiffersByExactlyZero) {
  weft::Result<Plant> p = Plant::compile(benchmarkPlant(2));
  ASSERT_TRUE(p.isOk());
  weft::Result<Plant> q = Plant::compile(benchmarkPlant(2));  // compiled separately
  weft::Result<Comparison> c = compareScenario(*p, *q, options(6, 2, 30 * kDay));
  ASSERT_TRUE(c.isOk());
  ASSERT_FALSE(c->names.empty());
  for (size_t k = 0; k < c->names.size(); ++k) {
    const Interval& d = c->difference[k];
    if (d.n == 0) continue;  // undefined in every replication (e.g. NaN MTTR)
    EXPECT_EQ(d.mean, 0) << c->names[k];
    EXPECT_EQ(d.halfWidth, 0) << c->names[k];
  }
}

TEST(Experiment, CommonRandomNumbersKeepUntouchedEntitiesIdentical) {
  // Two independent lines; the scenario slows line L1 only. Line L0 draws from streams keyed
  // by its own names, so its KPIs do not move at all, replication by replication.
  auto model = [](double slow) {
    Model m = pushLine({machine("M1", Dist::exponential(1)), machine("M2", Dist::exponential(1))}, {2});
    Line other = m.lines[0];
    other.name = "L1";
    other.machines[1].cycleTime["*"] = Dist::exponential(slow);
    m.lines.push_back(other);
    return m;
  };
  weft::Result<Plant> base = Plant::compile(model(1.0));
  weft::Result<Plant> scen = Plant::compile(model(1.3));
  ASSERT_TRUE(base.isOk() && scen.isOk());
  weft::Result<Comparison> c = compareScenario(*base, *scen, options(8, 2, 2e4));
  ASSERT_TRUE(c.isOk());
  const Interval* same = c->difference_of("line:L:throughput_per_h");
  const Interval* changed = c->difference_of("line:L1:throughput_per_h");
  ASSERT_TRUE(same && changed);
  EXPECT_EQ(same->mean, 0);
  EXPECT_EQ(same->halfWidth, 0);
  EXPECT_LT(changed->mean, 0);
  EXPECT_LT(changed->hi(), 0);  // significant: the CI of the difference excludes 0
}

TEST(Experiment, PairingNarrowsTheIntervalOfADifference) {
  // A 10% demand increase: with CRN the CI of the difference is much narrower than the
  // unpaired one, sqrt(hw_a^2 + hw_b^2).
  Model a = benchmarkPlant(2);
  Model b = a;
  for (Demand& d : b.demands) d.ordersPerDay *= 1.1;
  weft::Result<Plant> pa = Plant::compile(a), pb = Plant::compile(b);
  ASSERT_TRUE(pa.isOk() && pb.isOk());
  weft::Result<Comparison> c = compareScenario(*pa, *pb, options(10, 2, 60 * kDay));
  ASSERT_TRUE(c.isOk());
  size_t k = 0;
  while (k < c->names.size() && c->names[k] != "inventory:P0@DC1:avg_backlog") ++k;
  ASSERT_LT(k, c->names.size());
  const double unpaired = std::hypot(c->baseline[k].halfWidth, c->scenario[k].halfWidth);
  std::printf("average backlog at DC1: paired half-width %.3g, unpaired %.3g\n", c->difference[k].halfWidth,
              unpaired);
  EXPECT_LT(c->difference[k].halfWidth, 0.7 * unpaired);
  EXPECT_GT(c->difference[k].mean, 0);
}

TEST(Experiment, SweepOverBufferSize) {
  const Model base =
      pushLine({machine("M1", Dist::exponential(1)), machine("M2", Dist::exponential(1))}, {0});
  weft::Result<std::vector<SweepPoint>> s = sweep(
      base, {0, 1, 2, 4, 8}, [](Model& m, double v) { m.lines[0].buffers[0] = static_cast<int>(v); },
      options(4, 2, 2e4));
  ASSERT_TRUE(s.isOk()) << s.status().message();
  ASSERT_EQ(s->size(), 5u);
  std::vector<double> tp;
  for (const SweepPoint& p : *s) tp.push_back(p.result.find("line:L:throughput_per_h")->mean / kHour);
  // Two exponential machines in series: throughput with buffer B is (B + 2) / (B + 3) per unit
  // time (e.g. Buzacott and Shanthikumar, Stochastic Models of Manufacturing Systems, 1993).
  for (size_t i = 0; i < tp.size(); ++i) {
    const double b = (*s)[i].value;
    std::printf("buffer %g: throughput %.4f, exact %.4f\n", b, tp[i], (b + 2) / (b + 3));
    EXPECT_NEAR(tp[i], (b + 2) / (b + 3), 0.02);
  }
  EXPECT_GT(tp.back(), tp.front());
  // A model made invalid by the parameter is reported with the value.
  weft::Result<std::vector<SweepPoint>> bad =
      sweep(base, {-1}, [](Model& m, double v) { m.lines[0].buffers[0] = static_cast<int>(v); },
            options(2, 1, 100));
  EXPECT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("negative buffer capacity"), std::string::npos);
}

TEST(Experiment, GenericReplicationsAndCancel) {
  auto fn = [](uint32_t r) {
    Kpis k;
    k.names = {"r"};
    k.values = {static_cast<double>(r)};
    return k;
  };
  weft::Result<ExperimentResult> r = runReplications(9, 3, fn);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->find("r")->mean, 4);
  EXPECT_EQ(r->column("r"), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  std::atomic<bool> stop{true};
  weft::Result<ExperimentResult> c = runReplications(9, 2, fn, 0.95, &stop);
  EXPECT_FALSE(c.isOk());
  EXPECT_EQ(c.status().code(), weft::StatusCode::kAborted);
}
