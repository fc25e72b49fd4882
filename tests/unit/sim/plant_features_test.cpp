// SPDX-License-Identifier: Apache-2.0
// Outages, parallel units, time series and the event trace: exact answers with deterministic
// inputs, M/M/c against Erlang C, and bit-identity checks (sampling and tracing must not change
// a run; series summaries must not depend on the number of threads).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "engine/sim/experiment.h"
#include "engine/sim/plant.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;
using namespace weft::sim::testing;

namespace {

PlantResult runModel(const Model& m, double horizon, double warmup = 0, uint64_t seed = 1,
                     double sampleEvery = 0, size_t traceLimit = 0) {
  weft::Result<Plant> p = Plant::compile(m);
  EXPECT_TRUE(p.isOk()) << p.status().message();
  RunOptions o;
  o.seed = seed;
  o.horizon = horizon;
  o.warmup = warmup;
  o.sampleEvery = sampleEvery;
  o.traceLimit = traceLimit;
  return p->run(o);
}

double stateTime(const MachineResult& m, MachineState s) { return m.time[static_cast<int>(s)]; }

int countTrace(const PlantResult& r, TraceKind k) {
  int n = 0;
  for (const TraceEvent& e : r.trace) n += e.kind == k;
  return n;
}

bool same(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }

// Two runs did the same thing: same event count and every KPI equal bit for bit.
void expectSameKpis(const PlantResult& a, const PlantResult& b) {
  const Kpis ka = computeKpis(a), kb = computeKpis(b);
  ASSERT_EQ(ka.names, kb.names);
  for (size_t i = 0; i < ka.values.size(); ++i) {
    const double x = ka.values[i], y = kb.values[i];
    EXPECT_TRUE(same(x, y)) << ka.names[i] << ": " << x << " vs " << y;
  }
}

}  // namespace

// --- outages ---------------------------------------------------------------------------------

TEST(Outage, CountsAsDownTimeAndAsAFailure) {
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  m.lines[0].machines[0].outages = {{10 * kDay, 13 * kDay}};
  const PlantResult r = runModel(m, 30 * kDay);
  const MachineResult& mr = r.machines[0];
  EXPECT_NEAR(stateTime(mr, MachineState::kDown), 3 * kDay, 1e-6);
  EXPECT_EQ(mr.failures, 1);
  EXPECT_EQ(mr.repairs, 1);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("machine:L/M:mttr_h"), 72, 1e-9);
  EXPECT_NEAR(k.get("machine:L/M:availability"), 27.0 / 30, 1e-6);
  EXPECT_NEAR(k.get("machine:L/M:failures"), 1, 0);
  // 27 days of 60 s cycles; the unit in process at day 10 resumes at day 13.
  EXPECT_NEAR(static_cast<double>(r.lines[0].good), 27 * kDay / 60, 1.0);
}

TEST(Outage, InterruptsAnOperationWhichResumesAfterIt) {
  // A 1 h operation from 0, an outage from 0.5 h to 1.5 h: the unit is done at 2 h.
  Model m = pushLine({machine("M", Dist::deterministic(kHour))}, {});
  m.lines[0].machines[0].outages = {{0.5 * kHour, 1.5 * kHour}};
  EXPECT_EQ(runModel(m, 1.99 * kHour).lines[0].good, 0);
  EXPECT_EQ(runModel(m, 2.0 * kHour).lines[0].good, 1);
}

TEST(Outage, OverlapWithMaintenanceCountsAsPlannedDown) {
  // Outage days 1-3, maintenance days 2-4: planned down has priority in the overlap.
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  m.lines[0].machines[0].outages = {{1 * kDay, 3 * kDay}};
  m.lines[0].machines[0].maintenance = {{2 * kDay, 4 * kDay}};
  const PlantResult r = runModel(m, 10 * kDay);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kDown), 1 * kDay, 1e-6);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kPlannedDown), 2 * kDay, 1e-6);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kBusy), 7 * kDay, 1e-6);
  EXPECT_EQ(r.machines[0].failures, 1);
}

TEST(Outage, NestsWithARandomFailure) {
  // Deterministic failure every 10 h of calendar time from the end of the last repair, repair
  // 2 h: fails at 10 h, repaired at 12 h, but an outage holds the machine 11 h - 20 h. The
  // next failure is due at 12 + 10 = 22 h, after the horizon.
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  FailureMode f;
  f.name = "jam";
  f.timeToFailure = Dist::deterministic(10 * kHour);
  f.timeToRepair = Dist::deterministic(2 * kHour);
  m.lines[0].machines[0].failures.push_back(f);
  m.lines[0].machines[0].outages = {{11 * kHour, 20 * kHour}};
  const PlantResult r = runModel(m, 21 * kHour, 0, 1, 0, 100);
  const MachineResult& mr = r.machines[0];
  EXPECT_NEAR(stateTime(mr, MachineState::kDown), 10 * kHour, 1e-6);
  EXPECT_EQ(mr.failures, 2);
  EXPECT_EQ(mr.repairs, 2);
  EXPECT_NEAR(mr.repairTime, 2 * kHour + 9 * kHour, 1e-6);
  ASSERT_EQ(r.trace.size(), 4u);
  EXPECT_EQ(r.trace[0].kind, TraceKind::kFailure);
  EXPECT_EQ(r.trace[0].subject, "L/M");
  EXPECT_EQ(r.trace[0].detail, "jam");
  EXPECT_NEAR(r.trace[0].value, 2 * kHour, 1e-9);
  EXPECT_EQ(r.trace[1].kind, TraceKind::kOutageStart);
  EXPECT_NEAR(r.trace[1].time, 11 * kHour, 1e-9);
  EXPECT_EQ(r.trace[2].kind, TraceKind::kRepair);
  EXPECT_EQ(r.trace[3].kind, TraceKind::kOutageEnd);
  EXPECT_NEAR(r.trace[3].value, 9 * kHour, 1e-9);
}

TEST(Outage, StopsEveryParallelUnit) {
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  m.lines[0].machines[0].parallel = 2;
  m.lines[0].machines[0].outages = {{1 * kDay, 2 * kDay}};
  const PlantResult r = runModel(m, 10 * kDay);
  EXPECT_EQ(r.machines[0].units, 2);
  EXPECT_EQ(r.machines[0].failures, 2);  // one per unit
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kDown), 2 * kDay, 1e-6);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("machine:L/M:down"), 0.1, 1e-9);
  EXPECT_NEAR(k.get("machine:L/M:busy"), 0.9, 1e-9);
  EXPECT_NEAR(k.get("machine:L/M:mttr_h"), 24, 1e-9);
}

// --- parallel units --------------------------------------------------------------------------

TEST(Parallel, OneUnitIsTheDefaultModel) {
  // parallel = 1 set explicitly is the same model; unit 0 keeps the machine's streams.
  Model a = benchmarkPlant(2);
  Model b = a;
  for (Line& l : b.lines) {
    for (Machine& mc : l.machines) mc.parallel = 1;
  }
  const PlantResult ra = runModel(a, 20 * kDay, 2 * kDay, 5);
  const PlantResult rb = runModel(b, 20 * kDay, 2 * kDay, 5);
  EXPECT_EQ(ra.fingerprint, rb.fingerprint);
  expectSameKpis(ra, rb);
}

TEST(Parallel, TwoUnitsDoubleTheThroughputOfASaturatedMachine) {
  Model m = pushLine({machine("M", Dist::exponential(60))}, {});
  const PlantResult one = runModel(m, 200 * kDay, 0, 3);
  m.lines[0].machines[0].parallel = 2;
  const PlantResult two = runModel(m, 200 * kDay, 0, 3);
  const double ratio =
      static_cast<double>(two.lines[0].good) / static_cast<double>(one.lines[0].good);
  std::printf("throughput ratio, 2 units / 1 unit: %.4f\n", ratio);
  EXPECT_NEAR(ratio, 2.0, 0.02);  // 288k units each: the sd of the ratio is about 0.005
  const Kpis k = computeKpis(two);
  EXPECT_NEAR(k.get("machine:L/M:busy"), 1.0, 1e-9);
  EXPECT_NEAR(k.get("machine:L/M:availability"), 1.0, 1e-9);
  EXPECT_NEAR(k.get("machine:L/M:performance"), 1.0, 0.01);  // sum of means / busy time
}

TEST(Parallel, BlockingBetweenStepsWithParallelUnits) {
  // M1 (2 units of 60 s) feeds M2 (40 s) without a buffer: M2 paces the line at 1/40 s and
  // the units of M1 are blocked 1 - (60/2)/40 = 25% of the time.
  Model m = pushLine(
      {machine("M1", Dist::deterministic(60)), machine("M2", Dist::deterministic(40))}, {0});
  m.lines[0].machines[0].parallel = 2;
  const PlantResult r = runModel(m, 10 * kDay, 1 * kDay);
  EXPECT_NEAR(static_cast<double>(r.lines[0].good), 9 * kDay / 40, 2);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("machine:L/M1:blocked"), 0.25, 0.01);
  EXPECT_NEAR(k.get("machine:L/M2:busy"), 1.0, 0.001);
  // The other way round: M1 (30 s) feeds 2 units of 60 s: 1/30 s, nothing waits.
  Model n = pushLine(
      {machine("M1", Dist::deterministic(30)), machine("M2", Dist::deterministic(60))}, {0});
  n.lines[0].machines[1].parallel = 2;
  const PlantResult s = runModel(n, 10 * kDay, 1 * kDay);
  EXPECT_NEAR(static_cast<double>(s.lines[0].good), 9 * kDay / 30, 2);
  EXPECT_NEAR(computeKpis(s).get("machine:L/M2:busy"), 1.0, 0.001);
  EXPECT_EQ(s.lines[0].bottleneck, 0);  // 60 s over 2 units is 30 s, not above M1's 30 s
}

TEST(Parallel, EachUnitFailsOnItsOwnStreams) {
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  FailureMode f;
  f.name = "jam";
  f.timeToFailure = Dist::exponential(10 * kHour);
  f.timeToRepair = Dist::exponential(1 * kHour);
  m.lines[0].machines[0].failures.push_back(f);
  const PlantResult one = runModel(m, kYear, 0, 9, 0, 100000);
  m.lines[0].machines[0].parallel = 3;
  const PlantResult three = runModel(m, kYear, 0, 9, 0, 100000);
  // Three independent units: about three times the failures, same availability 10 / 11.
  const double ratio = static_cast<double>(three.machines[0].failures) /
                       static_cast<double>(one.machines[0].failures);
  EXPECT_NEAR(ratio, 3.0, 0.3);
  EXPECT_NEAR(computeKpis(three).get("machine:L/M:availability"), 10.0 / 11, 0.01);
  int unit0 = 0, unit2 = 0;
  for (const TraceEvent& e : three.trace) {
    if (e.kind != TraceKind::kFailure) continue;
    unit0 += e.subject == "L/M";
    unit2 += e.subject == "L/M~2";
  }
  EXPECT_GT(unit0, 0);
  EXPECT_GT(unit2, 0);
  // Unit 0 keeps the machine's failure stream: its first failure is the one-unit model's.
  ASSERT_FALSE(one.trace.empty());
  for (const TraceEvent& e : three.trace) {
    if (e.kind == TraceKind::kFailure && e.subject == "L/M") {
      EXPECT_EQ(e.time, one.trace[0].time);
      break;
    }
  }
}

TEST(Parallel, MaintenanceAndShiftsStopEveryUnit) {
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  m.lines[0].machines[0].parallel = 3;
  m.lines[0].machines[0].maintenance = {{1 * kDay, 2 * kDay}};
  m.lines[0].shifts.period = kDay;
  m.lines[0].shifts.on = {{0, 12 * kHour}};
  const PlantResult r = runModel(m, 10 * kDay);
  // 10 half days on, one of which is maintenance: 9 x 12 h x 3 units of 60 s.
  EXPECT_NEAR(static_cast<double>(r.lines[0].good), 9 * 12 * 60 * 3, 3);
  const Kpis k = computeKpis(r);
  EXPECT_NEAR(k.get("machine:L/M:availability"), 1.0, 1e-9);
  EXPECT_NEAR(stateTime(r.machines[0], MachineState::kPlannedDown), 3 * 12 * kHour, 1e-6);
}

TEST(Parallel, ValidationBoundsTheUnits) {
  Model m = pushLine({machine("M", Dist::deterministic(60))}, {});
  m.lines[0].machines[0].parallel = 0;
  weft::Status s = validate(m);
  EXPECT_NE(s.message().find("'L/M': parallel units must be >= 1"), std::string::npos)
      << s.message();
  m.lines[0].machines[0].parallel = 20000;
  EXPECT_NE(validate(m).message().find("parallel units must be <= 10000"), std::string::npos);
  m.lines[0].machines[0].parallel = 4;
  EXPECT_TRUE(validate(m).isOk());
}

// M/M/3 on a line: one step of 3 parallel units with exponential service (mean 1 s) fed by
// Poisson arrivals (rate 2.4 / s) into an unbounded input queue. Erlang C: the probability
// of waiting C(3, 2.4) = 0.6472, Wq = C / (c mu - lambda) = 1.0787, W = Wq + 1 = 2.0787,
// utilisation lambda / (c mu) = 0.8. Tolerance 3% of W, the same as the M/M/1 and kernel
// M/M/3 tests in analytical_test.cpp (10 replications of 2e5 s give a CI of about +-1%).
TEST(Parallel, MMcOnALineMatchesErlangC) {
  const int c = 3;
  const double lambda = 2.4, mu = 1.0;
  const double a = lambda / mu;
  double sum = 0, term = 1;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);
  const double erlangC = last / (sum + last);
  const double w = erlangC / (c * mu - lambda) + 1 / mu;

  Model m = pushLine({machine("server", Dist::exponential(1 / mu))}, {});
  m.lines[0].machines[0].parallel = c;
  m.lines[0].input = LineInput::kArrivals;
  m.lines[0].interarrival = Dist::exponential(1 / lambda);
  m.lines[0].arrivalProduct = "A";
  weft::Result<Plant> p = Plant::compile(m);
  ASSERT_TRUE(p.isOk()) << p.status().message();
  ExperimentOptions o;
  o.run.seed = 17;
  o.run.horizon = 2e5;
  o.run.warmup = 2e3;
  o.replications = 10;
  o.threads = 2;
  weft::Result<ExperimentResult> r = runExperiment(*p, o);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const Interval wh = *r->find("line:L:flow_time_h");
  const double wSim = wh.mean * kHour, hw = wh.halfWidth * kHour;
  const Interval l = *r->find("line:L:wip");
  const Interval rho = *r->find("machine:L/server:busy");
  std::printf("M/M/3 on a line: W %.4f +- %.4f (exact %.4f), L %.4f (exact %.4f), rho %.4f\n", wSim,
              hw, w, l.mean, lambda * w, rho.mean);
  EXPECT_NEAR(wSim, w, 0.03 * w);
  EXPECT_NEAR(l.mean, lambda * w, 0.03 * lambda * w);
  EXPECT_NEAR(rho.mean, lambda / (c * mu), 0.005);
}

// --- time series -----------------------------------------------------------------------------

namespace {

Model seriesModel() {
  // A make-to-stock line under (s,S) with a failing machine; stocked demand with backorders.
  Model m;
  m.sites = {"S"};
  m.products = {"A"};
  Line l;
  l.name = "L";
  l.site = "S";
  l.machines = {machine("M1", Dist::exponential(5 * kMinute)),
                machine("M2", Dist::exponential(6 * kMinute))};
  l.machines[1].parallel = 2;
  FailureMode f;
  f.name = "jam";
  f.timeToFailure = Dist::exponential(20 * kHour);
  f.timeToRepair = Dist::exponential(2 * kHour);
  l.machines[0].failures.push_back(f);
  l.buffers = {4};
  l.input = LineInput::kOrders;
  m.lines.push_back(l);
  Inventory i;
  i.site = "S";
  i.product = "A";
  i.initial = 100;
  i.policy = Policy::kMinMax;
  i.s = 80;
  i.S = 200;
  i.line = "L";
  m.inventories.push_back(i);
  m.demands.push_back({"D", "S", "A", 40, Dist::triangular(1, 5, 9), kDay, true, {}});
  return m;
}

}  // namespace

TEST(Series, SamplesFromTheWarmupAndLeaveTheRunUnchanged) {
  const Model m = seriesModel();
  const PlantResult plain = runModel(m, 60 * kDay, 5 * kDay, 4);
  const PlantResult sampled = runModel(m, 60 * kDay, 5 * kDay, 4, kDay, 1000);
  EXPECT_TRUE(plain.series.times.empty());
  EXPECT_TRUE(plain.trace.empty());
  expectSameKpis(plain, sampled);  // sampling and tracing observe only
  // 5, 6, ..., 60 days.
  ASSERT_EQ(sampled.series.times.size(), 56u);
  EXPECT_EQ(sampled.series.times.front(), 5 * kDay);
  EXPECT_EQ(sampled.series.times.back(), 60 * kDay);
  EXPECT_EQ(sampled.series.series.size(), 3u + 2u + 2u * kMachineStateCount);
  for (const Series& s : sampled.series.series) EXPECT_EQ(s.values.size(), 56u) << s.name;

  const Series* onHand = sampled.series.find("inventory:A@S:on_hand");
  const Series* backlog = sampled.series.find("inventory:A@S:backlog");
  const Series* onOrder = sampled.series.find("inventory:A@S:on_order");
  const Series* good = sampled.series.find("line:L:good");
  const Series* wip = sampled.series.find("line:L:wip");
  ASSERT_TRUE(onHand && backlog && onOrder && good && wip);
  EXPECT_EQ(sampled.series.find("nothing"), nullptr);
  double maxBacklog = 0;
  for (size_t k = 0; k < 56; ++k) {
    // Continuous review orders up to S whenever the position falls to s.
    const double position = onHand->values[k] + onOrder->values[k] - backlog->values[k];
    EXPECT_GT(position, 80) << "sample " << k;
    EXPECT_LE(position, 200) << "sample " << k;
    EXPECT_GE(wip->values[k], 0);
    if (k > 0) {
      EXPECT_GE(good->values[k], good->values[k - 1]);
    }
    maxBacklog = std::max(maxBacklog, backlog->values[k]);
  }
  EXPECT_EQ(good->values[0], 0);  // counted from the warm-up
  EXPECT_LE(good->values.back(), static_cast<double>(sampled.lines[0].good));
  EXPECT_GE(good->values.back(), static_cast<double>(sampled.lines[0].good) - 3);
  // Machine shares: NaN at the first sample, then they add up to 1; M2's busy share over the
  // whole window is the mean of its daily shares (equal intervals).
  for (const char* mc : {"machine:L/M1:", "machine:L/M2:"}) {
    double busyMean = 0;
    for (size_t k = 0; k < 56; ++k) {
      double total = 0;
      for (int s = 0; s < kMachineStateCount; ++s) {
        const char* state = machineStateName(static_cast<MachineState>(s));
        total += sampled.series.find(mc + std::string(state))->values[k];
      }
      if (k == 0) {
        EXPECT_TRUE(std::isnan(total));
      } else {
        EXPECT_NEAR(total, 1.0, 1e-9) << mc << " sample " << k;
      }
      if (k > 0) busyMean += sampled.series.find(mc + std::string("busy"))->values[k] / 55;
    }
    EXPECT_NEAR(busyMean, computeKpis(sampled).get(mc + std::string("busy")), 1e-9) << mc;
  }
}

TEST(Series, ExperimentSummaryIsBitIdenticalAcrossThreads) {
  weft::Result<Plant> p = Plant::compile(seriesModel());
  ASSERT_TRUE(p.isOk());
  ExperimentOptions o;
  o.run.seed = 8;
  o.run.horizon = 40 * kDay;
  o.run.warmup = 5 * kDay;
  o.replications = 6;
  o.threads = 1;
  EXPECT_FALSE(runExperimentWithSeries(*p, o).isOk());  // sampleEvery is 0
  o.run.sampleEvery = 2 * kDay;
  weft::Result<ExperimentWithSeries> a = runExperimentWithSeries(*p, o);
  o.threads = 4;
  weft::Result<ExperimentWithSeries> b = runExperimentWithSeries(*p, o);
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_EQ(a->series.times.size(), 18u);  // 5, 7, ..., 39 days
  ASSERT_EQ(a->series.series.size(), b->series.series.size());
  for (size_t j = 0; j < a->series.series.size(); ++j) {
    for (size_t k = 0; k < a->series.times.size(); ++k) {
      const Interval& x = a->series.series[j].at[k];
      const Interval& y = b->series.series[j].at[k];
      EXPECT_TRUE(same(x.mean, y.mean));
      EXPECT_TRUE(same(x.halfWidth, y.halfWidth));
    }
  }
  // The KPIs are runExperiment's, and the mean series is the mean of the replications.
  o.run.sampleEvery = 0;
  weft::Result<ExperimentResult> plain = runExperiment(*p, o);
  ASSERT_TRUE(plain.isOk());
  ASSERT_EQ(plain->replications.size(), a->kpis.replications.size());
  for (size_t r = 0; r < plain->replications.size(); ++r) {
    for (size_t i = 0; i < plain->names.size(); ++i) {
      const double x = plain->replications[r][i], y = a->kpis.replications[r][i];
      EXPECT_TRUE(same(x, y)) << plain->names[i];
    }
  }
  const SeriesSummary* good = a->series.find("line:L:good");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->at[0].mean, 0);
  EXPECT_EQ(good->at[0].n, 6u);
  EXPECT_GT(good->at.back().mean, good->at[1].mean);
  EXPECT_GT(good->at.back().halfWidth, 0);
  const SeriesSummary* busy = a->series.find("machine:L/M2:busy");
  ASSERT_NE(busy, nullptr);
  EXPECT_EQ(busy->at[0].n, 0u);  // NaN at the first sample, left out
}

// --- event trace -----------------------------------------------------------------------------

TEST(Trace, FailuresMatchTheKpisAndTheLimitHolds) {
  const Model m = seriesModel();
  const PlantResult r = runModel(m, 100 * kDay, 10 * kDay, 2, 0, 100000);
  EXPECT_EQ(r.traceDropped, 0u);
  EXPECT_EQ(countTrace(r, TraceKind::kFailure), r.machines[0].failures);
  EXPECT_EQ(countTrace(r, TraceKind::kRepair), r.machines[0].repairs);
  EXPECT_EQ(countTrace(r, TraceKind::kStockout), r.inventories[0].stockouts);
  EXPECT_EQ(countTrace(r, TraceKind::kReplenishment), r.inventories[0].replenishments);
  EXPECT_GT(r.inventories[0].stockouts, 0);
  double prev = 0;
  for (const TraceEvent& e : r.trace) {
    EXPECT_GE(e.time, 10 * kDay);  // the window only
    EXPECT_GE(e.time, prev);
    prev = e.time;
    if (e.kind == TraceKind::kReplenishment) {
      EXPECT_EQ(e.detail, "line:L");
    }
    if (e.kind == TraceKind::kStockout) {
      EXPECT_EQ(e.subject, "A@S");
      EXPECT_EQ(e.detail, "D");
      EXPECT_GE(e.value, 1);
    }
  }
  const PlantResult capped = runModel(m, 100 * kDay, 10 * kDay, 2, 0, 10);
  EXPECT_EQ(capped.trace.size(), 10u);
  EXPECT_EQ(capped.traceDropped, r.trace.size() - 10);
  EXPECT_EQ(capped.trace[9].time, r.trace[9].time);
}

TEST(Trace, SupplierAndLaneEvents) {
  // Primary P interrupted days 10-40 with a backup B: orders in the interruption go to B.
  Model m;
  m.sites = {"S", "DC"};
  m.products = {"A"};
  m.suppliers.push_back({"P", Dist::deterministic(1 * kDay), {{10 * kDay, 40 * kDay}}});
  m.suppliers.push_back({"B", Dist::deterministic(2 * kDay), {}});
  Inventory i;
  i.site = "S";
  i.product = "A";
  i.initial = 50;
  i.policy = Policy::kMinMax;
  i.s = 20;
  i.S = 60;
  i.primarySupplier = "P";
  i.backupSupplier = "B";
  m.inventories.push_back(i);
  m.lanes.push_back({"S-DC", "S", "DC", Dist::deterministic(1 * kDay), {{50 * kDay, 55 * kDay}}});
  Inventory dc = i;
  dc.site = "DC";
  dc.primarySupplier.clear();
  dc.backupSupplier.clear();
  dc.lane = "S-DC";
  m.inventories.push_back(dc);
  m.demands.push_back({"D", "DC", "A", 10, Dist::deterministic(1), kDay, true, {}});
  const PlantResult r = runModel(m, 80 * kDay, 0, 1, 0, 100000);
  int primary = 0, backup = 0, lane = 0, delays = 0;
  for (const TraceEvent& e : r.trace) {
    if (e.kind == TraceKind::kReplenishment && e.subject == "A@S") {
      const bool inside = e.time >= 10 * kDay && e.time < 40 * kDay;
      if (e.detail == "supplier:P") {
        ++primary;
        EXPECT_FALSE(inside);
      } else if (e.detail == "backup:B") {
        ++backup;
        EXPECT_TRUE(inside);
      } else {
        ADD_FAILURE() << e.detail;
      }
    }
    if (e.kind == TraceKind::kReplenishment && e.subject == "A@DC") {
      EXPECT_EQ(e.detail, "lane:S-DC");
      ++lane;
    }
    if (e.kind == TraceKind::kLaneDelay) {
      EXPECT_EQ(e.subject, "S-DC");
      EXPECT_EQ(e.detail, "A@DC");
      EXPECT_NEAR(e.time + e.value, 55 * kDay, 1e-6);
      ++delays;
    }
  }
  EXPECT_GT(primary, 0);
  EXPECT_EQ(backup, r.inventories[0].backupOrders);
  EXPECT_GT(backup, 0);
  EXPECT_EQ(lane, r.inventories[1].replenishments);
  EXPECT_GT(delays, 0);
  // Without the backup, an order in the interruption waits for day 40.
  m.inventories[0].backupSupplier.clear();
  m.suppliers.pop_back();
  const PlantResult w = runModel(m, 80 * kDay, 0, 1, 0, 100000);
  int waits = 0;
  for (const TraceEvent& e : w.trace) {
    if (e.kind != TraceKind::kSupplierWait) continue;
    ++waits;
    EXPECT_EQ(e.detail, "P");
    EXPECT_NEAR(e.time + e.value, 40 * kDay, 1e-6);
  }
  EXPECT_GT(waits, 0);
  EXPECT_STREQ(traceKindName(TraceKind::kSupplierWait), "supplier_wait");
}
