// SPDX-License-Identifier: Apache-2.0
#include "engine/twin/backtest.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

namespace weft::twin {
namespace {

std::string fmt(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// Seconds since 1970 of the first day of the month after the one containing `t`.
double nextMonth(double t) {
  const std::string d = formatDate(t);
  int y = std::stoi(d.substr(0, 4)), mo = std::stoi(d.substr(5, 2));
  if (++mo > 12) {
    mo = 1;
    ++y;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, mo);
  double out = 0;
  parseTimestamp(buf, &out);
  return out;
}

struct Period {
  std::string label;
  double from = 0, to = 0;  // seconds since 1970, [from, to)
};

// One KPI compared with the records: how to read it from a run and from the records.
struct Compared {
  std::string name;
  std::function<double(const sim::PlantResult&)> twin;
  std::function<double(double from, double to)> record;
};

}  // namespace

sim::Kpis twinKpis(const sim::PlantResult& r) {
  sim::Kpis k = sim::computeKpis(r);
  for (const auto& inv : r.inventories) {
    const std::string p = "inventory:" + inv.product + "@" + inv.site + ":";
    k.names.push_back(p + "units_demanded");
    k.values.push_back(static_cast<double>(inv.unitsDemanded));
    k.names.push_back(p + "units_from_stock");
    k.values.push_back(static_cast<double>(inv.unitsFromStock));
    k.names.push_back(p + "customer_orders");
    k.values.push_back(static_cast<double>(inv.customerOrders));
    k.names.push_back(p + "backup_orders");
    k.values.push_back(static_cast<double>(inv.backupOrders));
  }
  for (const auto& mc : r.machines) {
    const std::string p = "machine:" + mc.line + "/" + mc.name + ":";
    k.names.push_back(p + "produced");
    k.values.push_back(static_cast<double>(mc.produced));
    k.names.push_back(p + "scrapped");
    k.values.push_back(static_cast<double>(mc.scrapped));
    k.names.push_back(p + "busy_h");
    k.values.push_back(mc.time[static_cast<int>(sim::MachineState::kBusy)] / sim::kHour);
    k.names.push_back(p + "down_h");
    k.values.push_back(mc.time[static_cast<int>(sim::MachineState::kDown)] / sim::kHour);
  }
  return k;
}

Status applyChanges(sim::Model& m, double start, double end, const WhatIfChanges& c,
                    std::vector<std::string>* applied) {
  if (!c.demandProduct.empty()) {
    double from = start;
    if (!c.demandFrom.empty() && !parseTimestamp(c.demandFrom, &from))
      return Status::invalidArgument("demand change: not a date: " + c.demandFrom);
    int n = 0;
    for (sim::Demand& d : m.demands) {
      if (d.product.find(c.demandProduct) == std::string::npos) continue;
      d.changes.push_back({{std::max(0.0, from - start), end - start}, c.demandFactor});
      applied->push_back("demand " + d.name + " x" + fmt(c.demandFactor) + " from " +
                         formatDate(std::max(from, start)));
      ++n;
    }
    if (n == 0)
      return Status::invalidArgument("no demand for a product matching '" + c.demandProduct + "'");
  }
  if (!c.interruptSupplier.empty()) {
    double from = 0, to = 0;
    if (!parseTimestamp(c.interruptFrom, &from) || !parseTimestamp(c.interruptTo, &to) ||
        to <= from)
      return Status::invalidArgument(
          "supplier interruption: give --interrupt-from and "
          "--interrupt-to as dates, from < to");
    int n = 0;
    for (sim::Supplier& s : m.suppliers) {
      if (s.name.find(c.interruptSupplier) == std::string::npos) continue;
      s.interruptions.push_back({std::max(0.0, from - start), std::max(0.0, to - start)});
      applied->push_back("supplier " + s.name + " interrupted " + formatDate(from) + " to " +
                         formatDate(to));
      ++n;
      if (c.dropBackup)
        for (sim::Inventory& inv : m.inventories)
          if (inv.primarySupplier == s.name && !inv.backupSupplier.empty()) {
            applied->push_back("inventory " + inv.product + "@" + inv.site + " without backup " +
                               inv.backupSupplier);
            inv.backupSupplier.clear();
          }
    }
    if (n == 0)
      return Status::invalidArgument("no supplier matching '" + c.interruptSupplier + "'");
  }
  return Status::ok();
}

Result<BacktestResult> runBacktest(const sparql::Dataset& data, const BacktestOptions& o) {
  double split = 0;
  if (!parseTimestamp(o.split, &split))
    return Status::invalidArgument("--split: not a date: " + o.split);
  auto say = [&](const std::string& s) {
    if (o.progress) o.progress(s);
  };
  auto cal = calibrateAt(data, o.calibration, o.split, o.progress);
  if (!cal) return cal.status();
  BacktestResult res;
  res.calibration = std::move(cal.value());
  sim::Model& m = res.calibration.built.model;
  const RecordFacts& rec = res.calibration.records;

  double end = 0;
  if (!o.end.empty()) {
    if (!parseTimestamp(o.end, &end)) return Status::invalidArgument("--end: not a date: " + o.end);
    end += sim::kDay;  // the end day is held out too
  } else {
    for (const auto& s : rec.dispenserShipments) end = std::max(end, s.time);
    for (const auto& c : rec.counters) end = std::max(end, c.time);
    end = (std::floor(end / sim::kDay) + 1) * sim::kDay;
  }
  if (end <= split)
    return Status::invalidArgument("nothing held out: the end is not after --split");

  std::vector<Period> periods;
  for (double t = split; t < end;) {
    double to = std::min(end, nextMonth(t));
    periods.push_back({formatDate(t).substr(0, 7), t, to});
    t = to;
  }
  for (const auto& p : periods) res.periods.push_back(p.label);

  // What is compared.
  std::vector<Compared> kpis;
  for (size_t ii = 0; ii < m.inventories.size(); ++ii) {
    const sim::Inventory& inv = m.inventories[ii];
    if (inv.lane.empty()) continue;
    const std::string site = inv.site, product = inv.product;
    kpis.push_back({"shipped to dispensers: " + product + "@" + site,
                    [ii](const sim::PlantResult& r) {
                      return static_cast<double>(r.inventories[ii].unitsFromStock);
                    },
                    [&rec, site, product](double from, double to) {
                      double s = 0;
                      for (const auto& sh : rec.dispenserShipments)
                        if (sh.site == site && sh.product == product && sh.time >= from &&
                            sh.time < to)
                          s += sh.units;
                      return s;
                    }});
  }
  int machineIndex = 0;
  for (const sim::Line& line : m.lines) {
    const int mi = machineIndex;
    machineIndex += static_cast<int>(line.machines.size());
    const std::string unit = line.machines.front().name;
    // Query 11's performance is sum(PRI x PQ) / APT with the planned run time per item PRI;
    // the twin knows its actual cycle times, whose means were fitted to APT / PQ. Before the
    // split the records give rho = sum(PRI x PQ) / sum(APT): the twin's performance is rho x
    // (sum of mean cycle times of the units it made) / busy time.
    double priPq = 0, aptSum = 0;
    for (const auto& c : rec.counters)
      if (c.unit == unit && c.time < split && c.pri > 0 && c.aptMin > 0) {
        priPq += c.pri * c.pq;
        aptSum += c.aptMin * 60;
      }
    if (aptSum == 0) continue;
    const double rho = priPq / aptSum;
    auto sumCounters = [&rec, unit](double from, double to, double* pq, double* gq, double* apt,
                                    double* pbt, double* ideal) {
      *pq = *gq = *apt = *pbt = *ideal = 0;
      for (const auto& c : rec.counters)
        if (c.unit == unit && c.time >= from && c.time < to) {
          *pq += c.pq;
          *gq += c.gq;
          *apt += c.aptMin * 60;
          *pbt += c.pbtMin * 60;
          *ideal += c.pri * c.pq;
        }
    };
    kpis.push_back({"good units: " + unit,
                    [mi](const sim::PlantResult& r) {
                      return static_cast<double>(r.machines[mi].produced - r.machines[mi].scrapped);
                    },
                    [sumCounters](double from, double to) {
                      double pq, gq, apt, pbt, ideal;
                      sumCounters(from, to, &pq, &gq, &apt, &pbt, &ideal);
                      return gq;
                    }});
    kpis.push_back({"production hours: " + unit,
                    [mi](const sim::PlantResult& r) {
                      return r.machines[mi].time[static_cast<int>(sim::MachineState::kBusy)] /
                             sim::kHour;
                    },
                    [sumCounters](double from, double to) {
                      double pq, gq, apt, pbt, ideal;
                      sumCounters(from, to, &pq, &gq, &apt, &pbt, &ideal);
                      return apt / sim::kHour;
                    }});
    kpis.push_back({"OEE (query 11): " + unit,
                    [mi, rho](const sim::PlantResult& r) {
                      const auto& mc = r.machines[mi];
                      const double busy = mc.time[static_cast<int>(sim::MachineState::kBusy)];
                      const double down = mc.time[static_cast<int>(sim::MachineState::kDown)];
                      if (mc.produced == 0 || busy <= 0) return 0.0;
                      // PBT of the phases = production time + breakdowns inside them.
                      const double a = busy / (busy + down);
                      const double p = rho * mc.idealTime / busy;
                      const double q = static_cast<double>(mc.produced - mc.scrapped) /
                                       static_cast<double>(mc.produced);
                      return a * p * q;
                    },
                    [sumCounters](double from, double to) {
                      double pq, gq, apt, pbt, ideal;
                      sumCounters(from, to, &pq, &gq, &apt, &pbt, &ideal);
                      if (pq <= 0 || pbt <= 0) return 0.0;
                      return ideal * gq / (pbt * pq);
                    }});
    res.notes.push_back("OEE of " + unit +
                        " as query 11 computes it from the counters: (APT/PBT) x "
                        "(PRI x PQ / APT) x (GQ/PQ); in the twin PBT = production + breakdown "
                        "time (the records' phases cover only the time the line ran) and "
                        "performance = " +
                        fmt(rho, 3) +
                        " (recorded sum PRI x PQ / sum APT "
                        "before the split) x ideal time / busy time");
  }
  if (kpis.empty())
    return Status::invalidArgument(
        "nothing to compare: the calibrated model has no distribution "
        "lane with dispenser demand and no line with counters");

  if (o.scenarioFromRecords) {
    for (sim::Demand& d : m.demands) {
      bool lane = false;
      for (const auto& inv : m.inventories)
        if (inv.site == d.site && inv.product == d.product && !inv.lane.empty()) lane = true;
      if (!lane) continue;
      for (const Period& p : periods) {
        double actual = 0;
        for (const auto& sh : rec.dispenserShipments)
          if (sh.site == d.site && sh.product == d.product && sh.time >= p.from && sh.time < p.to)
            actual += sh.units;
        const double expected = d.ordersPerDay * d.quantity.mean() * (p.to - p.from) / sim::kDay;
        if (expected <= 0) continue;
        d.changes.push_back({{p.from - split, p.to - split}, actual / expected});
        res.notes.push_back("scenario from records: demand " + d.name + " x" +
                            fmt(actual / expected, 3) + " in " + p.label);
      }
    }
  }

  Status valid = sim::validate(m);
  if (!valid)
    return Status::invalidArgument("the calibrated model is not valid:\n" + valid.message());
  auto plant = sim::Plant::compile(m);
  if (!plant) return plant.status();
  const sim::Plant& pl = plant.value();

  say("simulating " + std::to_string(periods.size()) + " periods x " +
      std::to_string(o.replications) + " replications from " + o.split);
  std::atomic<uint32_t> done{0};
  std::mutex mu;
  auto er = sim::runReplications(o.replications, o.threads, [&](uint32_t r) {
    sim::Kpis k;
    for (size_t pi = 0; pi < periods.size(); ++pi) {
      sim::RunOptions ro;
      ro.seed = o.seed;
      ro.replication = r;
      ro.warmup = periods[pi].from - split;
      ro.horizon = periods[pi].to - split;
      // The trajectory up to a time does not depend on the horizon or the warm-up (the
      // warm-up event draws no random number), so each period's run is the same history
      // observed over another window.
      sim::PlantResult pr = pl.run(ro);
      for (const Compared& c : kpis) {
        k.names.push_back(c.name + "|" + std::to_string(pi));
        k.values.push_back(c.twin(pr));
      }
    }
    uint32_t n = ++done;
    std::lock_guard<std::mutex> lock(mu);
    say("replication " + std::to_string(n) + "/" + std::to_string(o.replications));
    return k;
  });
  if (!er) return er.status();

  for (const Compared& c : kpis) {
    sim::calib::KpiSeries s;
    s.kpi = c.name;
    for (size_t pi = 0; pi < periods.size(); ++pi) {
      s.actual.push_back(c.record(periods[pi].from, periods[pi].to));
      const sim::Interval* iv = er->find(c.name + "|" + std::to_string(pi));
      s.simulated.push_back(iv && iv->n > 0 ? iv->mean : 0.0);
    }
    res.series.push_back(std::move(s));
  }
  auto errs = sim::calib::backtest(res.series);
  if (!errs) return errs.status();
  res.errors = std::move(errs.value());
  res.notes.push_back(
      "shipped to dispensers: the twin's units shipped from stock when the order "
      "arrives (orders filled later from backlog are not counted); the records' "
      "EPCIS shipping events from the distribution centre to licensed dispensers");
  return res;
}

Result<WhatIfResult> runWhatIf(const sparql::Dataset& data, const WhatIfOptions& o) {
  double start = 0, end = 0, from = 0;
  if (!parseTimestamp(o.start, &start))
    return Status::invalidArgument("--start: not a date: " + o.start);
  if (!parseTimestamp(o.end, &end) || end <= start)
    return Status::invalidArgument("--end: not a date after --start: " + o.end);
  from = start;
  if (!o.windowFrom.empty() &&
      (!parseTimestamp(o.windowFrom, &from) || from < start || from >= end))
    return Status::invalidArgument("--window-from: not a date in [start, end): " + o.windowFrom);
  auto cal = calibrateAt(data, o.calibration, o.start, o.progress);
  if (!cal) return cal.status();
  WhatIfResult res;
  res.calibration = std::move(cal.value());
  const sim::Model& base = res.calibration.built.model;
  sim::Model scen = base;
  Status st = applyChanges(scen, start, end, o.changes, &res.applied);
  if (!st) return st;
  Status valid = sim::validate(base);
  if (!valid)
    return Status::invalidArgument("the calibrated model is not valid:\n" + valid.message());
  valid = sim::validate(scen);
  if (!valid) return Status::invalidArgument("the scenario is not valid:\n" + valid.message());
  auto pb = sim::Plant::compile(base);
  if (!pb) return pb.status();
  auto ps = sim::Plant::compile(scen);
  if (!ps) return ps.status();
  sim::RunOptions ro;
  ro.seed = o.seed;
  ro.horizon = end - start;
  ro.warmup = from - start;
  std::atomic<uint32_t> done{0};
  std::mutex mu;
  auto runAll = [&](const sim::Plant& p, const char* which) {
    done = 0;
    return sim::runReplications(o.replications, o.threads, [&, which](uint32_t r) {
      sim::RunOptions x = ro;
      x.replication = r;
      sim::Kpis k = twinKpis(p.run(x));
      uint32_t n = ++done;
      if (o.progress) {
        std::lock_guard<std::mutex> lock(mu);
        o.progress(std::string(which) + " replication " + std::to_string(n) + "/" +
                   std::to_string(o.replications));
      }
      return k;
    });
  };
  auto rb = runAll(pb.value(), "baseline");
  if (!rb) return rb.status();
  auto rs = runAll(ps.value(), "scenario");
  if (!rs) return rs.status();
  res.comparison = sim::comparePaired(rb.value(), rs.value());
  return res;
}

}  // namespace weft::twin
