// SPDX-License-Identifier: Apache-2.0
// The simulator against closed forms: M/M/1, M/M/c (Erlang C), a machine's availability
// MTBF / (MTBF + MTTR), Little's law on a line, and a continuous-review (s,S) inventory with
// Poisson unit demand. Fixed seeds: each check is deterministic and cannot flake; the
// tolerances are several CI half-widths of the estimate (printed).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <deque>

#include "engine/sim/experiment.h"
#include "engine/sim/kernel.h"
#include "engine/sim/plant.h"
#include "tests/unit/sim/sim_models.h"

using namespace weft::sim;
using namespace weft::sim::testing;

namespace {

ExperimentResult experiment(const Model& m, uint32_t reps, double horizon, double warmup,
                            uint64_t seed) {
  weft::Result<Plant> p = Plant::compile(m);
  EXPECT_TRUE(p.isOk()) << p.status().message();
  ExperimentOptions o;
  o.run.seed = seed;
  o.run.horizon = horizon;
  o.run.warmup = warmup;
  o.replications = reps;
  o.threads = 2;
  weft::Result<ExperimentResult> r = runExperiment(*p, o);
  EXPECT_TRUE(r.isOk()) << r.status().message();
  return std::move(r).value();
}

void report(const char* what, const Interval& ci, double expected) {
  std::printf("%-34s sim %.5g +- %.3g (95%%, n=%u), exact %.5g, error %+.2f%%\n", what, ci.mean,
              ci.halfWidth, ci.n, expected, 100 * (ci.mean - expected) / expected);
}

}  // namespace

// M/M/1, lambda = 0.8, mu = 1: W = 1 / (mu - lambda) = 5, L = rho / (1 - rho) = 4
// (any queueing text, e.g. Gross and Harris, Fundamentals of Queueing Theory, 2.2).
// Tolerance 3%: at rho = 0.8 the waiting time is strongly autocorrelated, and 10
// replications of 2e5 s (1.6e6 customers) give a CI of about +-1%.
TEST(Analytical, MM1SojournTimeAndQueueLength) {
  Model m = pushLine({machine("server", Dist::exponential(1.0))}, {});
  m.lines[0].input = LineInput::kArrivals;
  m.lines[0].interarrival = Dist::exponential(1.25);
  m.lines[0].arrivalProduct = "A";
  const ExperimentResult r = experiment(m, 10, 2e5, 2e3, 11);
  const Interval w = *r.find("line:L:flow_time_h");
  const Interval l = *r.find("line:L:wip");
  const Interval rho = *r.find("machine:L/server:busy");
  const Interval wh{w.mean * kHour, w.halfWidth * kHour, w.sd * kHour, w.n};
  report("M/M/1 W (s)", wh, 5.0);
  report("M/M/1 L", l, 4.0);
  report("M/M/1 utilisation", rho, 0.8);
  EXPECT_NEAR(wh.mean, 5.0, 0.03 * 5.0);
  EXPECT_NEAR(l.mean, 4.0, 0.03 * 4.0);
  EXPECT_NEAR(rho.mean, 0.8, 0.005);
}

// M/M/c written directly on the kernel and streams (c parallel servers are not a line):
// Erlang C. c = 3, lambda = 2.4, mu = 1, a = 2.4: P(wait) = C(3, 2.4), Wq = C / (c mu - lambda).
TEST(Analytical, MMcErlangC) {
  const int c = 3;
  const double lambda = 2.4, mu = 1.0, horizon = 2e5, warmup = 2e3;
  const double a = lambda / mu;
  double sum = 0, term = 1;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);  // a^c / c! * c / (c - a)
  const double erlangC = last / (sum + last);
  const double wq = erlangC / (c * mu - lambda);

  auto replication = [&](uint32_t rep) {
    Kernel k;
    Rng arrivals(5, rep, streamId("arrivals", 1)), service(5, rep, streamId("service", 1));
    std::deque<double> queue;
    int busy = 0;
    double waitSum = 0;
    uint64_t served = 0, waited = 0;
    enum : uint32_t { kArrive, kDepart };
    auto startService = [&](double arrivedAt) {
      if (k.now() >= warmup) {
        waitSum += k.now() - arrivedAt;
        ++served;
        waited += k.now() > arrivedAt;
      }
      k.schedule(service.exp1() / mu, kDepart, 0);
    };
    k.schedule(arrivals.exp1() / lambda, kArrive, 0);
    k.runUntil(horizon, [&](const Event& e) {
      if (e.kind == kArrive) {
        if (busy < c) {
          ++busy;
          startService(k.now());
        } else {
          queue.push_back(k.now());
        }
        k.schedule(arrivals.exp1() / lambda, kArrive, 0);
      } else if (!queue.empty()) {
        const double t = queue.front();
        queue.pop_front();
        startService(t);
      } else {
        --busy;
      }
    });
    Kpis out;
    out.names = {"wq", "p_wait"};
    out.values = {waitSum / served, static_cast<double>(waited) / served};
    return out;
  };
  weft::Result<ExperimentResult> r = runReplications(10, 2, replication);
  ASSERT_TRUE(r.isOk());
  report("M/M/3 Wq", *r->find("wq"), wq);
  report("M/M/3 P(wait)", *r->find("p_wait"), erlangC);
  EXPECT_NEAR(r->find("wq")->mean, wq, 0.03 * wq);
  EXPECT_NEAR(r->find("p_wait")->mean, erlangC, 0.01);
}

// One machine that always has work, failures and repairs alternating: ISO availability
// APT / PBT = MTBF / (MTBF + MTTR) by the renewal-reward theorem, for any distributions.
// Calendar clock with a Weibull time to failure, and operating clock with an exponential one
// (the machine operates whenever it is up, so the operating clock gives the same ratio).
TEST(Analytical, SingleMachineAvailability) {
  for (FailureClock clock : {FailureClock::kCalendar, FailureClock::kOperating}) {
    Model m = pushLine({machine("M", Dist::deterministic(10 * kMinute))}, {});
    FailureMode f;
    f.name = "breakdown";
    f.clock = clock;
    f.timeToFailure = clock == FailureClock::kCalendar ? Dist::weibull(1.5, 10 * kHour / std::tgamma(1 + 1 / 1.5))
                                                       : Dist::exponential(10 * kHour);
    f.timeToRepair = Dist::lognormalMeanSd(2 * kHour, 1 * kHour);
    m.lines[0].machines[0].failures.push_back(f);
    const double mtbf = f.timeToFailure.mean(), mttr = f.timeToRepair.mean();
    ASSERT_NEAR(mtbf, 10 * kHour, 1e-6);
    const double expected = mtbf / (mtbf + mttr);
    const ExperimentResult r = experiment(m, 20, 2 * kYear, 0, 3);
    const Interval a = *r.find("machine:L/M:availability");
    report(clock == FailureClock::kCalendar ? "availability (calendar, Weibull)"
                                            : "availability (operating, exp)",
           a, expected);
    EXPECT_NEAR(a.mean, expected, 0.005);
    report("  MTBF (h, ISO 22400)", *r.find("machine:L/M:mtbf_h"), 10);
    report("  MTTR (h)", *r.find("machine:L/M:mttr_h"), 2);
    EXPECT_NEAR(r.find("machine:L/M:mtbf_h")->mean, 10, 0.3);
    EXPECT_NEAR(r.find("machine:L/M:mttr_h")->mean, 2, 0.06);
  }
}

// Little's law L = lambda W on a line of three machines with finite buffers, blocking,
// a failing machine, scrap and a finite input queue (lost arrivals). It holds per replication
// up to end effects; tolerance 1%.
TEST(Analytical, LittlesLawOnALine) {
  Model m = pushLine({machine("M1", Dist::exponential(0.7)),
                      machine("M2", Dist::lognormalMeanSd(0.8, 0.4)),
                      machine("M3", Dist::triangular(0.4, 0.7, 1.0))},
                     {2, 1});
  Line& l = m.lines[0];
  l.input = LineInput::kArrivals;
  l.interarrival = Dist::exponential(1.25);
  l.arrivalProduct = "A";
  l.inputCapacity = 30;
  l.machines[1].scrap["*"] = 0.05;
  l.machines[0].failures.push_back({"f", Dist::exponential(100), Dist::exponential(5), FailureClock::kCalendar});
  weft::Result<Plant> p = Plant::compile(m);
  ASSERT_TRUE(p.isOk()) << p.status().message();
  for (uint32_t rep = 0; rep < 5; ++rep) {
    const PlantResult r = p->run({21, rep, 1e5, 1e3});
    const LineResult& line = r.lines[0];
    const double lambda = static_cast<double>(line.departures) / (r.end - r.start);
    const double w = line.flowTimeSum / static_cast<double>(line.departures);
    std::printf("Little rep %u: L = %.4f, lambda W = %.4f (lambda %.4f, W %.4f, lost %lld)\n", rep,
                line.wipAverage, lambda * w, lambda, w, static_cast<long long>(line.lostArrivals));
    EXPECT_NEAR(line.wipAverage, lambda * w, 0.01 * line.wipAverage);
    EXPECT_GT(line.scrapped, 0);
  }
}

// Continuous-review (s,S) with Poisson unit demand (rate lambda), constant lead time L and
// backorders. With unit demand every order is for Q = S - s units, i.e. an (r, Q) policy with
// r = s, whose inventory position is uniform on {s+1, ..., S} and independent of the lead-time
// demand D ~ Poisson(lambda L); inventory level = IP - D (Hadley and Whitin, Analysis of
// Inventory Systems, 1963, ch. 4; Zipkin, Foundations of Inventory Management, 2000, 6.2). So
//   E[on hand]    = 1/Q sum_{y=s+1}^{S} E[(y - D)^+]
//   E[backorders] = 1/Q sum_y E[(D - y)^+]
//   fill rate     = 1/Q sum_y P(D <= y - 1)        (arrivals see time averages: PASTA)
//   order rate    = lambda / Q
//   cost rate     = K lambda / Q + h E[on hand] + p E[backorders].
// With L = 0 the on-hand average is (S + s + 1) / 2.
TEST(Analytical, ContinuousReviewSSInventory) {
  const double lambda = 10;  // per day
  const int64_t s = 5, S = 20, Q = S - s;
  const double K = 100, h = 1, pen = 10;
  for (double leadDays : {0.0, 1.0}) {
    const double mu = lambda * leadDays;
    std::vector<double> pmf(400, 0.0);
    pmf[0] = std::exp(-mu);
    for (size_t k = 1; k < pmf.size(); ++k) pmf[k] = pmf[k - 1] * mu / static_cast<double>(k);
    double oh = 0, bo = 0, fill = 0;
    for (int64_t y = s + 1; y <= S; ++y) {
      for (size_t d = 0; d < pmf.size(); ++d) {
        const double x = static_cast<double>(y) - static_cast<double>(d);
        if (x > 0) {
          oh += x * pmf[d];
        } else {
          bo += -x * pmf[d];
        }
        if (static_cast<int64_t>(d) <= y - 1) fill += pmf[d];
      }
    }
    oh /= Q;
    bo /= Q;
    fill /= Q;
    const double orders = lambda / Q;
    if (leadDays == 0) {
      EXPECT_NEAR(oh, (S + s + 1) / 2.0, 1e-12);
    }

    Model m;
    m.sites = {"S"};
    m.products = {"A"};
    m.suppliers.push_back({"V", Dist::deterministic(leadDays * kDay), {}});
    Inventory inv;
    inv.site = "S";
    inv.product = "A";
    inv.initial = S;
    inv.policy = Policy::kMinMax;
    inv.s = s;
    inv.S = S;
    inv.primarySupplier = "V";
    m.inventories.push_back(inv);
    Demand d;
    d.name = "customers";
    d.site = "S";
    d.product = "A";
    d.ordersPerDay = lambda;
    m.demands.push_back(d);
    const double days = 5 * 365, warm = 10;
    const ExperimentResult r = experiment(m, 20, (days + warm) * kDay, warm * kDay, 17);
    const Interval simOh = *r.find("inventory:A@S:avg_on_hand");
    const Interval simBo = *r.find("inventory:A@S:avg_backlog");
    const Interval simFill = *r.find("inventory:A@S:fill_rate");
    const Interval simOrders = *r.find("inventory:A@S:replenishments");
    std::printf("(s,S) = (%lld,%lld), lead time %.0f d:\n", static_cast<long long>(s),
                static_cast<long long>(S), leadDays);
    report("  average on hand", simOh, oh);
    report("  fill rate", simFill, fill);
    report("  orders per day", {simOrders.mean / days, simOrders.halfWidth / days, 0, simOrders.n}, orders);
    EXPECT_NEAR(simOh.mean, oh, 0.01 * oh);
    EXPECT_NEAR(simFill.mean, fill, 0.01);
    EXPECT_NEAR(simOrders.mean / days, orders, 0.01 * orders);
    const double cost = K * orders + h * oh + pen * bo;
    const double simCost = K * simOrders.mean / days + h * simOh.mean + pen * simBo.mean;
    if (leadDays > 0) {
      report("  average backorders", simBo, bo);
      EXPECT_NEAR(simBo.mean, bo, 0.05 * bo + 0.002);
    } else {
      EXPECT_EQ(simBo.mean, 0);
    }
    report("  cost rate (K=100, h=1, p=10)", {simCost, 0, 0, simOh.n}, cost);
    EXPECT_NEAR(simCost, cost, 0.01 * cost);
  }
}
