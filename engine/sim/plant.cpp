// SPDX-License-Identifier: Apache-2.0
// The plant simulator: model compilation into flat arrays and the event logic of lines,
// machines, inventories, suppliers, lanes and demand.
#include "engine/sim/plant.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

#include "engine/sim/kernel.h"
#include "engine/sim/stats.h"

namespace weft::sim {

const char* traceKindName(TraceKind k) {
  switch (k) {
    case TraceKind::kFailure: return "failure";
    case TraceKind::kRepair: return "repair";
    case TraceKind::kOutageStart: return "outage_start";
    case TraceKind::kOutageEnd: return "outage_end";
    case TraceKind::kStockout: return "stockout";
    case TraceKind::kReplenishment: return "replenishment";
    case TraceKind::kSupplierWait: return "supplier_wait";
    case TraceKind::kLaneDelay: return "lane_delay";
  }
  return "?";
}

const Series* TimeSeries::find(const std::string& name) const {
  for (const Series& s : series) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const char* machineStateName(MachineState s) {
  switch (s) {
    case MachineState::kOff: return "off";
    case MachineState::kPlannedDown: return "planned_down";
    case MachineState::kDown: return "down";
    case MachineState::kSetup: return "setup";
    case MachineState::kBusy: return "busy";
    case MachineState::kBlocked: return "blocked";
    case MachineState::kStarved: return "starved";
    case MachineState::kIdle: return "idle";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Compiled model: names resolved to indices, per-(machine, product) tables dense.

namespace {

enum class Source : uint8_t { kNone, kLine, kSupplier, kLane };

// Stream purposes (second key of streamId); never renumber, or seeds change meaning.
enum Purpose : uint32_t {
  kPCycle = 1, kPSetup, kPScrap, kPFailure, kPRepair, kPArrival, kPSupplier, kPLane,
  kPDemandArrival, kPDemandQuantity,
};

struct CFailure {
  int unit;
  int mode;  // index of the mode in the machine's `failures` (for the trace)
  Dist ttf, ttr;
  bool operating;
  uint64_t ttfStream, ttrStream;
};

// A machine is one step of its line; its `units` parallel units (usually 1) are contiguous in
// the unit arrays from `unitFirst`.
struct CMachine {
  int line, pos;
  int unitFirst, units;
  std::vector<Window> maintenance;
  std::vector<Window> outages;  // sorted by start, empty windows dropped
  PeriodicWindow periodic;
  std::array<double, kMachineStateCount> powerKw;
};

// One unit of a machine: what the event logic needs without going through the machine.
struct CUnit {
  int machine, line, pos;
  int setupMatrix;  // -1: none
  bool last;        // at the line's last step
  bool multi;       // its machine has more than one unit
  // Units of the previous and the next machine of the line (count 0: none), so the hot path
  // does not go through CMachine.
  int prevFirst, prevUnits, nextFirst, nextUnits;
  std::vector<int> opFailures;  // indices into failures with the operating clock
  std::vector<int> calFailures;  // and with the calendar clock
  uint64_t cycleStream, setupStream, scrapStream;
};

struct CLot {
  int product;
  int64_t quantity;
  int target;  // inventory receiving the good units, -1: none
};

struct CLine {
  int first, count;          // machines
  int unitFirst, unitCount;  // their units
  int firstUnits;            // units of the first machine (from unitFirst)
  double shiftPeriod;
  bool shiftInitiallyOn;
  std::vector<std::pair<double, bool>> toggles;  // (offset in period, new state)
  LineInput input;
  std::vector<CLot> lots;
  Dist interarrival;
  int arrivalProduct, arrivalTarget;
  int inputCapacity;
  int bottleneck;
  uint64_t arrivalStream;
  std::vector<Window> offInPeriod;  // shifts: the off windows of one period, sorted
};

struct CInventory {
  int site, product;
  int64_t initial;
  Policy policy;
  int64_t s, S;
  double review;
  Source source;
  int line, primary, backup, lane, upstream;
  std::vector<int> consumers;  // lines whose BOM draws from this inventory
};

struct CSupplier {
  Dist lead;
  std::vector<Window> interruptions;  // sorted by start
  uint64_t stream;
};

struct CLane {
  Dist lead;
  std::vector<Window> disruptions;  // sorted by start
  uint64_t stream;
};

struct CDemand {
  int inventory;
  std::vector<std::pair<double, double>> rate;  // (from time, orders per second), sorted
  Dist quantity;
  double dueAfter;
  bool backorders;
  uint64_t arrivalStream, quantityStream;
};

std::vector<Window> sortedWindows(std::vector<Window> w) {
  std::sort(w.begin(), w.end(), [](const Window& a, const Window& b) { return a.start < b.start; });
  return w;
}

}  // namespace

struct Plant::Compiled {
  int nProducts = 0;
  std::vector<std::string> products, sites;
  std::vector<CMachine> machines;
  std::vector<CUnit> units;
  std::vector<std::string> machineNames, lineNames;
  std::vector<std::string> failureNames;  // per failure: the mode's name
  std::vector<std::string> demandNames, supplierNames, laneNames;
  std::vector<int> bufferCap;  // per machine: capacity of the buffer after it
  std::vector<Dist> cycle;     // machine * nProducts + product
  std::vector<double> pru;     // planned run time per unit (mean cycle time), same index
  std::vector<double> scrap;   // same index
  std::vector<std::vector<Dist>> setup;  // per matrix, from * nProducts + to; kNone: no setup
  std::vector<CFailure> failures;
  std::vector<CLine> lines;
  std::vector<std::vector<std::pair<int, int64_t>>> bom;  // line * nProducts + product
  std::vector<CInventory> inventories;
  std::vector<CSupplier> suppliers;
  std::vector<CLane> lanes;
  std::vector<CDemand> demands;
  // Every line is single machines in series fed by pushed lots or orders, and every machine
  // can work some of the time: the run may use flow lines (RunOptions::eventModel).
  bool flowEligible = false;
  // Flow lines whose releases may be computed ahead in epochs (Sim::tryEpoch): pushed lines
  // whose materials are stocks only pushed lines consume (no customer, no lane out of them).
  std::vector<int> epochLines;
  std::vector<int> epochInventories;  // the stocks they consume
  std::vector<char> lineInEpoch;      // per line
};

Result<Plant> Plant::compile(const Model& m) {
  WEFT_TRY(validate(m));
  auto c = std::make_shared<Compiled>();
  std::map<std::string, int> prod, site, matrix, line, sup, lane;
  for (const std::string& p : m.products) prod.emplace(p, static_cast<int>(prod.size()));
  for (const std::string& s : m.sites) site.emplace(s, static_cast<int>(site.size()));
  c->products = m.products;
  c->sites = m.sites;
  const int nP = c->nProducts = static_cast<int>(m.products.size());
  for (size_t i = 0; i < m.lines.size(); ++i) line.emplace(m.lines[i].name, static_cast<int>(i));
  for (size_t i = 0; i < m.suppliers.size(); ++i) sup.emplace(m.suppliers[i].name, static_cast<int>(i));
  for (size_t i = 0; i < m.lanes.size(); ++i) lane.emplace(m.lanes[i].name, static_cast<int>(i));

  for (const SetupMatrix& sm : m.setupMatrices) {
    matrix.emplace(sm.name, static_cast<int>(c->setup.size()));
    std::vector<Dist> table(static_cast<size_t>(nP) * nP);
    for (int f = 0; f < nP; ++f) {
      for (int t = 0; t < nP; ++t) {
        Dist d = sm.otherwise;
        for (const SetupMatrix::Entry& e : sm.entries) {
          if ((e.from == "*" || e.from == m.products[f]) && (e.to == "*" || e.to == m.products[t])) {
            d = e.time;
            break;
          }
        }
        // The same product twice in a row never needs a changeover.
        table[static_cast<size_t>(f) * nP + t] = f == t ? Dist() : d;
      }
    }
    c->setup.push_back(std::move(table));
  }

  std::map<std::pair<int, int>, int> inv;  // (site, product) -> index
  for (size_t i = 0; i < m.inventories.size(); ++i) {
    inv.emplace(std::make_pair(site[m.inventories[i].site], prod[m.inventories[i].product]),
                static_cast<int>(i));
  }
  auto invAt = [&](int s, int p) {
    auto it = inv.find({s, p});
    return it == inv.end() ? -1 : it->second;
  };

  c->bom.resize(m.lines.size() * static_cast<size_t>(nP));
  for (size_t li = 0; li < m.lines.size(); ++li) {
    const Line& l = m.lines[li];
    CLine cl;
    cl.first = static_cast<int>(c->machines.size());
    cl.count = static_cast<int>(l.machines.size());
    cl.input = l.input;
    cl.inputCapacity = l.inputCapacity;
    cl.interarrival = l.interarrival;
    cl.arrivalProduct = l.input == LineInput::kArrivals ? prod[l.arrivalProduct] : -1;
    cl.arrivalTarget = cl.arrivalProduct >= 0 ? invAt(site[l.site], cl.arrivalProduct) : -1;
    cl.arrivalStream = streamId("line:" + l.name, kPArrival);
    for (const Lot& lot : l.pushCycle) {
      const int p = prod[lot.product];
      cl.lots.push_back({p, lot.quantity, invAt(site[l.site], p)});
    }
    // Shifts: candidate boundaries, keep those where the state changes (cyclically).
    cl.shiftPeriod = l.shifts.period;
    cl.shiftInitiallyOn = true;
    if (l.shifts.period > 0) {
      const double P = l.shifts.period;
      auto onAt = [&](double x) {
        for (const Window& w : l.shifts.on) {
          if (x >= w.start && x < w.end) return true;
        }
        return false;
      };
      std::vector<double> cand;
      for (const Window& w : l.shifts.on) {
        cand.push_back(w.start);
        cand.push_back(w.end >= P ? 0.0 : w.end);
      }
      std::sort(cand.begin(), cand.end());
      cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
      for (size_t i = 0; i < cand.size(); ++i) {
        const bool prev = onAt(cand[(i + cand.size() - 1) % cand.size()]);
        const bool cur = onAt(cand[i]);
        if (cur != prev || cand.size() == 1) cl.toggles.push_back({cand[i], cur});
      }
      cl.shiftInitiallyOn = onAt(0.0);
      if (cl.toggles.size() == 1) cl.toggles.clear();  // always on or always off
      double from = 0;
      for (const Window& w : sortedWindows(l.shifts.on)) {
        if (w.start > from) cl.offInPeriod.push_back({from, std::min(w.start, P)});
        from = std::max(from, w.end);
      }
      if (from < P) cl.offInPeriod.push_back({from, P});
    }
    // Products the line makes (for the bottleneck and BOM tables).
    std::vector<int> made;
    if (l.input == LineInput::kArrivals) made.push_back(cl.arrivalProduct);
    for (const CLot& lot : cl.lots) made.push_back(lot.product);
    for (const Inventory& iv : m.inventories) {
      if (iv.line == l.name) made.push_back(prod[iv.product]);
    }
    std::sort(made.begin(), made.end());
    made.erase(std::unique(made.begin(), made.end()), made.end());

    double worst = -1;
    cl.bottleneck = 0;
    cl.unitFirst = static_cast<int>(c->units.size());
    for (size_t mi = 0; mi < l.machines.size(); ++mi) {
      const Machine& mc = l.machines[mi];
      const std::string key = l.name + "/" + mc.name;
      CMachine cm;
      cm.line = static_cast<int>(li);
      cm.pos = static_cast<int>(mi);
      cm.unitFirst = static_cast<int>(c->units.size());
      cm.units = std::max(1, mc.parallel);
      cm.maintenance = sortedWindows(mc.maintenance);
      for (const Window& w : sortedWindows(mc.outages)) {
        if (w.end > w.start) cm.outages.push_back(w);
      }
      cm.periodic = mc.periodicMaintenance;
      const Power& w = mc.power;
      cm.powerKw = {w.off, w.plannedDown, w.down, w.setup, w.busy, w.blocked, w.starved, w.idle};
      const int mIndex = static_cast<int>(c->machines.size());
      for (int k = 0; k < cm.units; ++k) {
        // Unit 0 keeps the machine's streams, so parallel = 1 draws what it always drew.
        const std::string ukey = k == 0 ? key : key + "~" + std::to_string(k);
        CUnit cu;
        cu.machine = mIndex;
        cu.line = static_cast<int>(li);
        cu.pos = static_cast<int>(mi);
        cu.setupMatrix = mc.setupMatrix.empty() ? -1 : matrix[mc.setupMatrix];
        cu.last = mi + 1 == l.machines.size();
        cu.multi = cm.units > 1;
        cu.prevFirst = cu.prevUnits = cu.nextFirst = cu.nextUnits = 0;  // set below
        cu.cycleStream = streamId(ukey, kPCycle);
        cu.setupStream = streamId(ukey, kPSetup);
        cu.scrapStream = streamId(ukey, kPScrap);
        const int uIndex = static_cast<int>(c->units.size());
        for (size_t j = 0; j < mc.failures.size(); ++j) {
          const FailureMode& f = mc.failures[j];
          const std::string fk = ukey + "#" + std::to_string(j) + ":" + f.name;
          (f.clock == FailureClock::kOperating ? cu.opFailures : cu.calFailures)
              .push_back(static_cast<int>(c->failures.size()));
          c->failures.push_back({uIndex, static_cast<int>(j), f.timeToFailure, f.timeToRepair,
                                 f.clock == FailureClock::kOperating, streamId(fk, kPFailure),
                                 streamId(fk, kPRepair)});
          c->failureNames.push_back(f.name);
        }
        c->units.push_back(std::move(cu));
      }
      double load = 0;
      for (int p = 0; p < nP; ++p) {
        auto it = mc.cycleTime.find(m.products[p]);
        if (it == mc.cycleTime.end()) it = mc.cycleTime.find("*");
        const Dist d = it == mc.cycleTime.end() ? Dist() : it->second;
        c->cycle.push_back(d);
        c->pru.push_back(d.defined() ? d.mean() : 0.0);
        auto st = mc.scrap.find(m.products[p]);
        if (st == mc.scrap.end()) st = mc.scrap.find("*");
        c->scrap.push_back(st == mc.scrap.end() ? 0.0 : st->second);
      }
      for (int p : made) load += c->pru[static_cast<size_t>(mIndex) * nP + p];
      load /= cm.units;  // c units share the load (exact for c = 1)
      if (load > worst) {
        worst = load;
        cl.bottleneck = static_cast<int>(mi);
      }
      c->bufferCap.push_back(mi + 1 < l.machines.size() ? l.buffers[mi] : 0);
      c->machines.push_back(std::move(cm));
      c->machineNames.push_back(mc.name);
    }
    cl.unitCount = static_cast<int>(c->units.size()) - cl.unitFirst;
    cl.firstUnits = c->machines[cl.first].units;
    for (int u = cl.unitFirst; u < cl.unitFirst + cl.unitCount; ++u) {
      CUnit& cu = c->units[u];
      if (cu.pos > 0) {
        const CMachine& pm = c->machines[cu.machine - 1];
        cu.prevFirst = pm.unitFirst;
        cu.prevUnits = pm.units;
      }
      if (!cu.last) {
        const CMachine& nm = c->machines[cu.machine + 1];
        cu.nextFirst = nm.unitFirst;
        cu.nextUnits = nm.units;
      }
    }
    c->lineNames.push_back(l.name);
    c->lines.push_back(std::move(cl));
  }

  for (const Bom& b : m.boms) {
    const int p = prod[b.product];
    for (size_t li = 0; li < m.lines.size(); ++li) {
      auto& list = c->bom[li * nP + p];
      for (const Bom::Component& comp : b.components) {
        const int i = invAt(site[m.lines[li].site], prod[comp.product]);
        if (i >= 0) list.push_back({i, comp.quantity});
      }
    }
  }

  for (const Supplier& s : m.suppliers) {
    c->supplierNames.push_back(s.name);
    c->suppliers.push_back({s.leadTime, sortedWindows(s.interruptions), streamId(s.name, kPSupplier)});
  }
  for (const Lane& l : m.lanes) {
    c->laneNames.push_back(l.name);
    c->lanes.push_back({l.leadTime, sortedWindows(l.disruptions), streamId(l.name, kPLane)});
  }
  for (const Inventory& iv : m.inventories) {
    CInventory ci{};
    ci.site = site[iv.site];
    ci.product = prod[iv.product];
    ci.initial = iv.initial;
    ci.policy = iv.policy;
    ci.s = iv.s;
    ci.S = iv.S;
    ci.review = iv.reviewPeriod;
    ci.line = ci.primary = ci.backup = ci.lane = ci.upstream = -1;
    ci.source = Source::kNone;
    if (!iv.line.empty()) {
      ci.source = Source::kLine;
      ci.line = line[iv.line];
    } else if (!iv.primarySupplier.empty()) {
      ci.source = Source::kSupplier;
      ci.primary = sup[iv.primarySupplier];
      ci.backup = iv.backupSupplier.empty() ? -1 : sup[iv.backupSupplier];
    } else if (!iv.lane.empty()) {
      ci.source = Source::kLane;
      ci.lane = lane[iv.lane];
      ci.upstream = invAt(site[m.lanes[ci.lane].from], ci.product);
    }
    c->inventories.push_back(std::move(ci));
  }
  for (size_t li = 0; li < m.lines.size(); ++li) {
    for (int p = 0; p < nP; ++p) {
      for (const auto& [i, qty] : c->bom[li * nP + p]) {
        auto& cons = c->inventories[i].consumers;
        if (std::find(cons.begin(), cons.end(), static_cast<int>(li)) == cons.end()) {
          cons.push_back(static_cast<int>(li));
        }
      }
    }
  }
  for (const Demand& d : m.demands) {
    CDemand cd;
    cd.inventory = invAt(site[d.site], prod[d.product]);
    const double base = d.ordersPerDay / kDay;
    std::vector<DemandChange> ch = d.changes;
    std::sort(ch.begin(), ch.end(), [](const DemandChange& a, const DemandChange& b) {
      return a.when.start < b.when.start;
    });
    cd.rate.push_back({0.0, base});
    for (const DemandChange& x : ch) {
      cd.rate.push_back({x.when.start, base * x.factor});
      cd.rate.push_back({x.when.end, base});
    }
    cd.quantity = d.quantity;
    cd.dueAfter = d.dueAfter;
    cd.backorders = d.backorders;
    cd.arrivalStream = streamId(d.name, kPDemandArrival);
    cd.quantityStream = streamId(d.name, kPDemandQuantity);
    c->demandNames.push_back(d.name);
    c->demands.push_back(std::move(cd));
  }
  c->flowEligible = true;
  for (size_t li = 0; li < c->lines.size(); ++li) {
    const CLine& cl = c->lines[li];
    double off = 0;
    for (const Window& w : cl.offInPeriod) off += w.end - w.start;
    const bool neverOn = cl.shiftPeriod > 0 && off >= cl.shiftPeriod;
    if (cl.input == LineInput::kArrivals || neverOn) c->flowEligible = false;
    for (int mi = cl.first; mi < cl.first + cl.count; ++mi) {
      const CMachine& cm = c->machines[mi];
      if (cm.units != 1) c->flowEligible = false;
      if (cm.periodic.interval > 0 && cm.periodic.duration >= cm.periodic.interval) {
        c->flowEligible = false;  // always in maintenance: a flow line would never finish
      }
    }
  }
  // Epoch lines: first the stocks only pushed lines draw from, then the pushed lines drawing
  // only from those.
  {
    std::vector<char> lazy(c->inventories.size(), 1);
    for (size_t i = 0; i < c->inventories.size(); ++i) {
      const CInventory& ci = c->inventories[i];
      for (int l : ci.consumers) lazy[i] &= c->lines[l].input == LineInput::kPush;
      for (const CInventory& down : c->inventories) lazy[i] &= down.upstream != static_cast<int>(i);
    }
    for (const CDemand& d : c->demands) lazy[d.inventory] = 0;
    c->lineInEpoch.assign(c->lines.size(), 0);
    std::vector<char> used(c->inventories.size(), 0);
    std::vector<int> draws;
    for (size_t li = 0; li < c->lines.size(); ++li) {
      if (c->lines[li].input != LineInput::kPush) continue;
      bool ok = true;
      draws.clear();
      for (const CLot& lot : c->lines[li].lots) {
        for (const auto& [i, qty] : c->bom[li * nP + lot.product]) {
          ok &= lazy[i] != 0 && qty > 0;
          draws.push_back(i);
        }
      }
      if (!ok) continue;
      c->lineInEpoch[li] = 1;
      c->epochLines.push_back(static_cast<int>(li));
      for (int i : draws) used[i] = 1;
    }
    for (size_t i = 0; i < used.size(); ++i) {
      if (used[i]) c->epochInventories.push_back(static_cast<int>(i));
    }
  }
  Plant plant;
  plant.c_ = std::move(c);
  return plant;
}

// ---------------------------------------------------------------------------------------------
// The run.

namespace {

// Appended kinds only: the kind is part of the fingerprint.
enum Kind : uint32_t {
  kTimer,       // entity unit, payload generation: end of a setup or an operation
  kFail,        // entity failure mode (calendar clock)
  kRepair,      // entity failure mode
  kShift,       // entity line, payload cycle << 16 | toggle index
  kMaintStart,  // entity machine, payload: periodic cycle + 1, or 0 for a listed window
  kMaintEnd,    // entity machine
  kArrival,     // entity line
  kReceipt,     // entity inventory, payload quantity (ordered stock arriving)
  kDemand,      // entity demand
  kReview,      // entity inventory, (R,S) review
  kWarmup,
  kOutageStart,  // entity machine, payload window index
  kOutageEnd,    // entity machine, payload window index
  kSample,       // payload sample number k (time warmup + k * sampleEvery)
};

enum Phase : uint8_t { kEmpty, kLoaded, kSetupPhase, kProcess, kBlockedPhase };

struct Part {
  double tEnter;
  int32_t target;   // inventory receiving it when good, -1: none
  int16_t product;
  int16_t ordered;  // 1: counts in the target's on-order quantity
};

// Growable ring of parts (buffers, the arrival queue).
class Ring {
 public:
  bool empty() const { return n_ == 0; }
  size_t size() const { return n_; }
  void push(const Part& p) {
    if (n_ == v_.size()) grow();
    v_[(head_ + n_) & (v_.size() - 1)] = p;
    ++n_;
  }
  Part pop() {
    const Part p = v_[head_];
    head_ = (head_ + 1) & (v_.size() - 1);
    --n_;
    return p;
  }

 private:
  void grow() {
    std::vector<Part> w(v_.empty() ? 8 : v_.size() * 2);
    for (size_t i = 0; i < n_; ++i) w[i] = v_[(head_ + i) & (v_.size() - 1)];
    v_.swap(w);
    head_ = 0;
  }
  std::vector<Part> v_;
  size_t head_ = 0, n_ = 0;
};

struct MRun {
  Part part{};
  bool hasPart = false;
  bool running = false;
  uint8_t phase = kEmpty;
  uint8_t state = static_cast<uint8_t>(MachineState::kIdle);
  int16_t lastProduct = -1;
  int downCount = 0;
  int planned = 0;
  int failDue = -1;  // operating failure mode that ends the current timer, -1: completion
  uint32_t gen = 0;
  double residual = 0, phaseStart = 0, since = 0;
  double blockedAt = 0;  // parallel units: blocked units unload first blocked, first out
  std::array<double, kMachineStateCount> acc{};
  int64_t produced = 0, scrapped = 0, failures = 0, repairs = 0;
  double repairTime = 0, idealTime = 0;
  Rng cycleRng, setupRng, scrapRng;
};

struct FRun {
  double ws = 0, we = 0;  // flow lines: the current (calendar) or active (operating) window
  double opLeft = 0;  // operating clock: time to failure left
  double repairStart = 0;
  double repairDue = 0;  // for the trace
  Rng ttfRng, ttrRng;
};

struct Order {
  int product;
  int64_t left;
  int target;
};

struct LRun {
  bool shiftOn = true;
  bool waitingMaterial = false;
  size_t lot = 0;
  int64_t lotLeft = 0;
  Ring input;
  std::deque<Order> orders;
  TimeAverage wip;
  int64_t entered = 0, good = 0, scrapped = 0, departures = 0, lost = 0;
  double flowTimeSum = 0;
  Rng arrivalRng;
};

// An order waiting for stock. Stock is allocated first come, first served; a customer order
// ships what is allocated at once, an internal order (from a downstream inventory) collects
// its allocation and leaves as one shipment when complete (one truck, one receipt event).
struct Open {
  int64_t qty;        // not yet allocated
  double due;
  int lane;           // internal order: ship through this lane to `dest`; -1: customer order
  int dest;
  int64_t allocated;  // internal order: collected so far
};

struct IRun {
  int64_t onHand = 0, onOrder = 0, backlogUnits = 0;
  std::deque<Open> backlog;
  TimeAverage onHandAvg, backlogAvg;
  double zeroSince = -1, zeroTime = 0;
  int64_t replenishments = 0, backupOrders = 0, customerOrders = 0, unitsDemanded = 0,
          unitsFromStock = 0, stockouts = 0, lostUnits = 0, onTime = 0, late = 0;
};

struct DRun {
  Rng arrivalRng, quantityRng;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

// A queue kept as a vector read from `head`: forget what was read once it is all or most of it.
template <class T>
void dropConsumed(std::vector<T>& v, size_t& head) {
  if (head == v.size()) {
    v.clear();
    head = 0;
  } else if (head > 64 && 2 * head > v.size()) {
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(head));
    head = 0;
  }
}

// --- flow lines (RunOptions::eventModel false) -------------------------------------------------
// A machine of a flow line: where it is in time (its current available segment), what it last
// did, and its time accounting over the window, kept without events.
struct FWin {
  double s, e;
};
struct FMach {
  // What every operation reads or writes first (two cache lines with the cycle-time stream).
  double a = 0, u = 0;   // the current available segment [a, u); unavailable before a
  double lastD = 0;      // when its last part left (it has been empty since, or blocked)
  // Departure times of its last (buffer before it) + 1 parts: Sim::ring_[ring, ringEnd), the
  // next part's place at pos.
  uint32_t ring = 0, ringEnd = 1, pos = 0;
  int16_t lastProduct = -1;
  double busy = 0, blocked = 0;  // inside the window
  int64_t produced = 0;
  double idealTime = 0;
  // Its unit's streams, moved here from MRun for the run (flow lines have one unit per
  // machine): saved and restored with the rest by an epoch.
  Rng cycleRng, scrapRng, setupRng;
  double setup = 0, idle = 0;  // inside the window
  int64_t scrapped = 0;
  size_t outage = 0, maint = 0;  // next windows of those lists
  uint64_t periodic = 0;         // next periodic maintenance
  uint64_t shiftCycle = 0;       // next shift-off window: cycle and index in offInPeriod
  size_t shiftIndex = 0;
};
// a > b ? a : b without a branch. GCC turns the plain expression into a branch where it
// judges one cheaper, which it is not when the comparison is a coin toss (a blocked machine).
inline double maxNoBranch(double a, double b) {
#if defined(__SSE2__) && defined(__GNUC__)
  // One maxsd: a > b ? a : b (b if either is NaN). The intrinsics cost a zeroing move each.
  __asm__("maxsd %1, %0" : "+x"(a) : "x"(b));
  return a;
#else
  return a > b ? a : b;
#endif
}

// The observation window [w0, w1] (warmup, horizon) as values.
struct ClipWindow {
  double w0, w1;
  // Length of [a, b) inside the window.
  double clip(double a, double b) const {
    const double lo = a > w0 ? a : w0, hi = b < w1 ? b : w1;
    return maxNoBranch(hi - lo, 0.0);
  }
  bool in(double t) const { return t >= w0 && t <= w1; }
};
// What the recursion reads of a flow machine's compiled data, in one place (Compiled keeps it
// in separate vectors) so that a machine operation touches few cache lines.
struct FConst {
  const Dist* cycle = nullptr;    // per product
  const double* pru = nullptr;    // ideal time per unit, per product
  const Dist* setup = nullptr;    // changeover from a to b at [a * nProducts + b]; nullptr: none
  // Time to failure left of its operating-clock failure (FRun::opLeft); nullptr: it has none;
  // Sim::opMany_ (-inf, never written) if it has several, which always take work().
  double* opLeft = nullptr;
  bool last = false;              // the line's last machine
};
// What an operation of a flow machine on one product reads, in one place: Sim::fop_, product
// major, so a part's operations along its line are consecutive.
struct FOp {
  double a = 0, b = 0;  // the cycle time's Dist::a and Dist::b
  double scrap = 0;     // scrap fraction
  // The cycle time is lognormal with |mu| + 16 sigma <= 700, so that exp never leaves
  // simExpInRange's range (the ziggurat's normals stay within +-14); else Dist::sample.
  bool lnInRange = false;
};
// A part on its way out of a flow line (good at the last machine, or scrapped anywhere).
struct FDep {
  double time;
  Part part;
  bool good;
};
// A queued change of a stock, applied when the stock is next looked at (Sim::sync): a good part
// in that nothing waits for (no backorder, no line consuming the stock), or the units an
// epoch's release took (Sim::tryEpoch).
struct FArr {
  double time;
  int64_t delta;  // +1: a good part in; -q: q units consumed by a release (an epoch's)
  bool ordered;
};
struct FQueue {
  std::vector<FArr> v;  // sorted by time from head (one line's, for one stock)
  size_t head = 0;
  int line = 0;
};
struct FLine {
  double nextRelease = 0;  // machine 0 is empty from then on
  bool waiting = false;    // tried to release and had no work or no material
  double idleSince = -1;   // waiting with no order (machine 0 idle), -1: not
  std::vector<FDep> deps;  // sorted by time from depHead
  size_t depHead = 0;
  // Line results inside the window, counted when a part's way is computed.
  int64_t good = 0, scrapped = 0, entered = 0;
  double flowTimeSum = 0, wipArea = 0;
  // Parts all of whose operations ended inside the window, by product and the machine (index
  // in the line) they left from: [product * count + exit]. Machine k's produced units and
  // ideal time count them at the end (flowFoldCounts) instead of one update per operation.
  std::vector<int64_t> fullBy;
  std::vector<int> queueOf;  // per inventory: index in Sim::arrq_ of the queue it feeds, or -1
};
// What an epoch changes in a line, saved to undo it (tryEpoch).
struct FLineSave {
  double nextRelease, idleSince, flowTimeSum, wipArea;
  int64_t good, scrapped, entered, lotLeft;
  size_t deps, lot;
};

// A trace entry as indices; names are filled in by collect() (no strings during the run).
struct TraceRec {
  double time;
  TraceKind kind;
  int subject, detail;  // meaning per kind, see Sim::note
  double value;
};

class Sim {
 public:
  Sim(const Plant::Compiled& c, const RunOptions& o) : c_(c), o_(o) {}
  PlantResult run();

 private:
  double now() const { return now_; }
  size_t idx(int machine, int product) const {
    return static_cast<size_t>(machine) * c_.nProducts + product;
  }
  bool available(int u) const {
    const MRun& x = m_[u];
    return x.downCount == 0 && x.planned == 0 && l_[c_.units[u].line].shiftOn;
  }
  // The unit of machine m that takes a part handed over from upstream or released into the
  // line, -1: none. One unit: the unit if it is empty, even when it is down or off (the part
  // waits in it). Parallel units: the first empty unit that can work; an empty unit that is
  // down pulls work when it comes back (wake), so parts do not wait in failed units.
  int takingUnit(int first, int units) const {
    if (units == 1) return m_[first].hasPart ? -1 : first;
    return takingParallelUnit(first, units);
  }
  [[gnu::noinline]] int takingParallelUnit(int first, int units) const {
    for (int u = first; u < first + units; ++u) {
      if (!m_[u].hasPart && available(u)) return u;
    }
    return -1;
  }
  int takingUnit(int m) const {
    return takingUnit(c_.machines[m].unitFirst, c_.machines[m].units);
  }
  // The unit among [first, first + units) blocked longest (ties: lowest index), -1: none.
  int blockedUnit(int first, int units) const {
    if (units == 1) return m_[first].phase == kBlockedPhase ? first : -1;
    return blockedParallelUnit(first, units);
  }
  [[gnu::noinline]] int blockedParallelUnit(int first, int units) const {
    int best = -1;
    for (int u = first; u < first + units; ++u) {
      if (m_[u].phase != kBlockedPhase) continue;
      if (best < 0 || m_[u].blockedAt < m_[best].blockedAt) best = u;
    }
    return best;
  }
  void updateMachine(int m) {
    const CMachine& cm = c_.machines[m];
    for (int u = cm.unitFirst; u < cm.unitFirst + cm.units; ++u) updateState(u);
  }
  // Trace: one branch when off. Records only inside the window, like the KPIs.
  void note(TraceKind kind, int subject, int detail, double value) {
    if (o_.traceLimit == 0 || now() < o_.warmup) return;
    if (trace_.size() < o_.traceLimit) trace_.push_back({now(), kind, subject, detail, value});
    else ++traceDropped_;
  }

  void handle(const Event& e);
  void updateState(int m);
  void startIfReady(int m);
  void beginProcess(int m);
  void resume(int m);
  void pause(int m);
  void wake(int m);
  void onTimer(int m, uint32_t gen);
  void finishUnit(int m);
  void tryUnload(int m);
  void pullInto(int m);
  void pullIntoParallel(int u);
  void load(int m, const Part& p);
  void releaseInto(int line);
  // A pushed line released a unit of its current lot: count it off, on to the next lot.
  void nextPushUnit(int line) {
    LRun& L = l_[line];
    const CLine& cl = c_.lines[line];
    if (--L.lotLeft <= 0) {
      L.lot = (L.lot + 1) % cl.lots.size();
      L.lotLeft = cl.lots[L.lot].quantity;
    }
  }
  [[gnu::always_inline]] inline bool releaseOne(int line, int unit);
  void depart(int line, const Part& p, bool good);
  void startRepair(int f);
  void onFail(int f);
  void onRepair(int f);
  void onShift(int line, uint64_t payload);
  void scheduleShift(int line, uint64_t cycle, size_t toggle);
  void onArrival(int line);
  void onOutage(int m, size_t window, bool start);
  void onSample(uint64_t k);
  std::array<double, kMachineStateCount> unitTimes(int u) const;

  bool materialAvailable(int line, int product);
  void consumeMaterial(int line, int product);
  void setLevel(int i);
  void receive(int i, int64_t qty, bool ordered);
  void serveBacklog(int i);
  void customerOrder(int d);
  void internalOrder(int i, int64_t qty, int lane, int dest);
  void ship(int lane, int dest, int64_t qty);
  void checkPolicy(int i);
  void placeOrder(int i, int64_t qty);
  double nextDemand(int d, double from);
  void resetStats();
  // Flow lines.
  void flowInit();
  void flowLoop();
  void flowStep(int line);
  void flowRelease(int line);
  void flowPush(int line, const Part& p);
  // What pushPart reads, as locals (stores through double* could alias the members).
  struct PushCtx {
    ClipWindow W;
    double* ring;
    FMach* fm;
    const FConst* fk;
    double* ends;
    const FOp* fop;
  };
  PushCtx pushCtx() {
    return {{o_.warmup, o_.horizon}, ring_.data(), fm_.data(), fk_.data(), ends_.data(),
            fop_.data()};
  }
  [[gnu::always_inline]] inline void pushPart(int line, const Part& p, const PushCtx& x);
  bool pushRun(int li, double T);
  void flowKey(int line);
  void segment(int m, double x);
  void advanceCalendar(int f);
  [[gnu::noinline]] double work(int m, double t, double w, bool process, double* acc);
  // work() of a process of w seconds on flow machine m (M = fm_[m], opLeft from its FConst):
  // the common case, inside the current segment and short of the operating failure, inline.
  // W is the observation window (a copy of o_'s, which stores through double* could alias).
  double process(int m, FMach& M, double* opLeft, double t, double w, const ClipWindow& W) {
    if (t < M.u) {
      if (t < M.a) t = M.a;
      if (w <= M.u - t) {
        if (opLeft == nullptr) {
          const double end = t + w;
          M.busy += W.clip(t, end);
          return end;
        }
        if (!(*opLeft < w)) {
          const double end = t + w;
          M.busy += W.clip(t, end);
          *opLeft -= w;
          return end;
        }
      }
    }
    return work(m, t, w, true, &M.busy);
  }
  [[gnu::noinline]] double availableTime(int m, double a, double b);
  double clip(double a, double b) const { return ClipWindow{o_.warmup, o_.horizon}.clip(a, b); }
  bool inWindow(double t) const { return ClipWindow{o_.warmup, o_.horizon}.in(t); }
  // Calls fn(f) for each failure mode of flow machine m: calendar ones, then operating ones
  // (the order epochs save and restore them in).
  template <class Fn>
  void forEachFailure(int m, Fn&& fn) const {
    for (int f : c_.units[m].calFailures) fn(f);
    for (int f : c_.units[m].opFailures) fn(f);
  }
  void flowCollect(int m, MachineResult* r);
  void flowFoldCounts();
  int arrivalQueue(int line, int inventory) {
    const int q = fl_[line].queueOf[inventory];
    return q >= 0 ? q : newArrivalQueue(line, inventory);
  }
  int newArrivalQueue(int line, int inventory);
  void sync(int i) {
    if (flow_ && !invQueues_[i].empty()) applyArrivals(i);
  }
  void applyArrivals(int i);
  void makeEager(int i);
  bool tryEpoch();
  PlantResult collect();
  void collectSeries(PlantResult& r) const;
  void collectTrace(PlantResult& r) const;
  std::string inventoryName(int i) const;
  std::string machineName(int m) const;
  std::string unitName(int u) const;

  const Plant::Compiled& c_;
  RunOptions o_;
  Kernel k_;
  double now_ = 0;
  bool flow_ = false;
  std::vector<FMach> fm_;  // per machine (= unit: flow lines have single units)
  std::vector<FConst> fk_;  // per machine
  std::vector<double> ends_;  // per machine: scratch of pushPart
  double opMany_ = -std::numeric_limits<double>::infinity();  // see FConst::opLeft
  std::vector<FOp> fop_;  // product * machines + machine
  // Per failure mode: its windows in time order (they never overlap), for the accounting.
  std::vector<std::vector<FWin>> down_;
  std::vector<FLine> fl_;
  std::vector<double> ring_;
  std::vector<FQueue> arrq_;
  std::vector<std::vector<int>> invQueues_;  // per inventory: its queues in arrq_
  // Epochs (tryEpoch): the last one's consumption rate per stock, no epoch before this time
  // (after one that did not fit), and the saved state of the lines.
  std::vector<double> epochRate_;
  double noEpochUntil_ = 0;
  uint64_t epochs_ = 0, epochsUndone_ = 0;
  std::vector<FLineSave> saveLines_;
  std::vector<FMach> saveMach_;
  std::vector<int64_t> saveFull_;
  std::vector<FRun> saveFail_;
  std::vector<double> saveRing_;
  std::vector<size_t> saveQueue_, saveDown_;
  std::vector<int64_t> budget_, saveBudget_;
  // Winner tree over the lines' keys (next release or departure): leaves at treeSize_ + line,
  // each inner node holds the smaller key below it and its line (ties: the lower line), so
  // node 1 is the next line to step and a key change costs log2(lines) comparisons. Keys sit
  // in the nodes: a level reads what the level below just wrote, with no second load.
  std::vector<double> keys_;  // per node
  std::vector<int> win_;      // per node
  size_t treeSize_ = 1;
  uint64_t flowSteps_ = 0, flowFp_ = 0x84222325cbf29ce4ULL;
  std::vector<std::pair<double, int>> edges_;  // collect's sweep, reused
  std::vector<size_t> runs_;                    // and where its runs of edges end
  std::vector<MRun> m_;
  std::vector<FRun> f_;
  std::vector<LRun> l_;
  std::vector<Ring> buf_;  // per machine: the buffer after it
  std::vector<IRun> i_;
  std::vector<DRun> d_;
  std::vector<Rng> supRng_, laneRng_;
  std::vector<TraceRec> trace_;
  uint64_t traceDropped_ = 0;
  std::vector<double> sampleTimes_, sampleRows_;  // rows of series values, one per sample
  std::vector<std::array<double, kMachineStateCount>> prevTimes_;  // per unit, at last sample
};

void Sim::updateState(int m) {
  MRun& x = m_[m];
  MachineState s;
  const CUnit& cm = c_.units[m];
  if (!l_[cm.line].shiftOn) s = MachineState::kOff;
  else if (x.planned) s = MachineState::kPlannedDown;
  else if (x.downCount) s = MachineState::kDown;
  else if (x.phase == kSetupPhase) s = MachineState::kSetup;
  else if (x.phase == kProcess) s = MachineState::kBusy;
  else if (x.phase == kBlockedPhase) s = MachineState::kBlocked;
  else if (cm.pos > 0) s = MachineState::kStarved;
  else {
    const LRun& L = l_[cm.line];
    const CLine& cl = c_.lines[cm.line];
    const bool work = cl.input == LineInput::kPush ||
                      (cl.input == LineInput::kOrders && !L.orders.empty());
    s = work ? MachineState::kStarved : MachineState::kIdle;
  }
  const uint8_t si = static_cast<uint8_t>(s);
  if (si != x.state) {
    x.acc[x.state] += now() - x.since;
    x.since = now();
    x.state = si;
  }
}

void Sim::load(int m, const Part& p) {
  MRun& x = m_[m];
  x.part = p;
  x.hasPart = true;
  x.phase = kLoaded;
}

void Sim::startIfReady(int m) {
  MRun& x = m_[m];
  if (x.phase != kLoaded || !available(m)) {
    updateState(m);
    return;
  }
  const CUnit& cm = c_.units[m];
  const int p = x.part.product;
  if (cm.setupMatrix >= 0 && x.lastProduct >= 0 && x.lastProduct != p) {
    const Dist& d = c_.setup[cm.setupMatrix][static_cast<size_t>(x.lastProduct) * c_.nProducts + p];
    if (d.defined()) {
      const double t = d.sample(x.setupRng);
      if (t > 0) {
        x.phase = kSetupPhase;
        x.residual = t;
        resume(m);
        return;
      }
    }
  }
  x.lastProduct = static_cast<int16_t>(p);
  beginProcess(m);
}

void Sim::beginProcess(int m) {
  MRun& x = m_[m];
  x.phase = kProcess;
  const double t = c_.cycle[idx(c_.units[m].machine, x.part.product)].sample(x.cycleRng);
  x.residual = t > 0 ? t : 0.0;
  resume(m);
}

// Flattened: the kernel's schedule (a heap sift) is inlined here, on the hottest path, whatever
// the compiler's inlining budget for this large file says.
[[gnu::flatten]] void Sim::resume(int m) {
  MRun& x = m_[m];
  x.running = true;
  x.phaseStart = now();
  double dt = x.residual;
  x.failDue = -1;
  if (x.phase == kProcess) {
    for (int f : c_.units[m].opFailures) {
      if (f_[f].opLeft < dt) {
        dt = f_[f].opLeft;
        x.failDue = f;
      }
    }
  }
  k_.schedule(dt, kTimer, static_cast<uint32_t>(m), ++x.gen);
  updateState(m);
}

void Sim::pause(int m) {
  MRun& x = m_[m];
  if (!x.running) return;
  const double el = now() - x.phaseStart;
  x.residual = std::max(0.0, x.residual - el);
  if (x.phase == kProcess) {
    for (int f : c_.units[m].opFailures) f_[f].opLeft -= el;
  }
  x.running = false;
  ++x.gen;  // the pending timer is now stale
}

void Sim::wake(int m) {
  MRun& x = m_[m];
  if (available(m)) {
    if ((x.phase == kSetupPhase || x.phase == kProcess) && !x.running) {
      resume(m);
      return;
    }
    if (x.phase == kLoaded) {
      startIfReady(m);
      return;
    }
    if (x.phase == kEmpty && c_.units[m].multi) {
      pullInto(m);  // a parallel unit back from down or off takes waiting work
      return;
    }
  }
  updateState(m);
}

void Sim::onTimer(int m, uint32_t gen) {
  MRun& x = m_[m];
  if (gen != x.gen) return;  // interrupted operation: lazily deleted
  const double el = now() - x.phaseStart;
  x.running = false;
  if (x.phase == kSetupPhase) {
    x.lastProduct = x.part.product;
    beginProcess(m);
    return;
  }
  for (int f : c_.units[m].opFailures) f_[f].opLeft -= el;
  if (x.failDue >= 0) {
    x.residual = std::max(0.0, x.residual - el);
    const int f = x.failDue;
    f_[f].opLeft = 0;
    ++x.downCount;
    ++x.failures;
    startRepair(f);
    if (o_.traceLimit) note(TraceKind::kFailure, m, f, f_[f].repairDue - now());
    updateState(m);
    return;
  }
  finishUnit(m);
}

void Sim::finishUnit(int m) {
  MRun& x = m_[m];
  const size_t i = idx(c_.units[m].machine, x.part.product);
  ++x.produced;
  x.idealTime += c_.pru[i];
  const double sp = c_.scrap[i];
  if (sp > 0 && x.scrapRng.uniform() < sp) {
    ++x.scrapped;
    const Part p = x.part;
    x.hasPart = false;
    x.phase = kEmpty;
    depart(c_.units[m].line, p, false);
    pullInto(m);
    return;
  }
  tryUnload(m);
}

// u is a unit; its machine's buffer and the next machine's units are downstream.
void Sim::tryUnload(int u) {
  MRun& x = m_[u];
  const CUnit& cu = c_.units[u];
  if (cu.last) {
    const Part p = x.part;
    x.hasPart = false;
    x.phase = kEmpty;
    depart(cu.line, p, true);
    pullInto(u);
    return;
  }
  const int m = cu.machine;
  Ring& b = buf_[m];
  const int y = b.empty() ? takingUnit(cu.nextFirst, cu.nextUnits) : -1;
  if (y >= 0) {
    load(y, x.part);
    x.hasPart = false;
    x.phase = kEmpty;
    startIfReady(y);
    pullInto(u);
    return;
  }
  if (b.size() < static_cast<size_t>(c_.bufferCap[m])) {
    b.push(x.part);
    x.hasPart = false;
    x.phase = kEmpty;
    pullInto(u);
    return;
  }
  if (x.phase != kBlockedPhase) {
    x.phase = kBlockedPhase;
    x.blockedAt = now();
  }
  updateState(u);
}

// Unit u is empty: take the next part from upstream (the buffer before its machine, or a
// blocked upstream unit), or release work into the line at the first machine.
void Sim::pullInto(int u) {
  const CUnit& cu = c_.units[u];
  if (cu.multi) {
    pullIntoParallel(u);
    return;
  }
  if (cu.pos == 0) {
    releaseInto(cu.line);
    return;
  }
  Ring& b = buf_[cu.machine - 1];
  const int up = blockedUnit(cu.prevFirst, cu.prevUnits);
  if (!b.empty()) {
    load(u, b.pop());
    startIfReady(u);
    if (up >= 0) tryUnload(up);
  } else if (up >= 0) {
    tryUnload(up);  // no buffer space: hand over directly
  } else {
    updateState(u);
  }
}

// The same for a unit of a machine with parallel units: it takes work only when it can work
// (wake() calls it again when the unit comes back), and the direct hand-over may pick an
// empty unit other than u, which then stays starved.
void Sim::pullIntoParallel(int u) {
  const CUnit& cu = c_.units[u];
  if (!available(u)) {
    updateState(u);
    return;
  }
  if (cu.pos == 0) {
    releaseInto(cu.line);
    updateState(u);
    return;
  }
  Ring& b = buf_[cu.machine - 1];
  const int up = blockedUnit(cu.prevFirst, cu.prevUnits);
  if (!b.empty()) {
    load(u, b.pop());
    startIfReady(u);
    if (up >= 0) tryUnload(up);
  } else if (up >= 0) {
    tryUnload(up);
    updateState(u);
  } else {
    updateState(u);
  }
}

bool Sim::materialAvailable(int line, int product) {
  for (const auto& [i, qty] : c_.bom[static_cast<size_t>(line) * c_.nProducts + product]) {
    sync(i);
    if (i_[i].onHand < qty) return false;
  }
  return true;
}

// Called right after materialAvailable (which brought the stocks up to date).
void Sim::consumeMaterial(int line, int product) {
  for (const auto& [i, qty] : c_.bom[static_cast<size_t>(line) * c_.nProducts + product]) {
    i_[i].onHand -= qty;
    setLevel(i);
    checkPolicy(i);
  }
}

// Releases work into every unit of the first machine that takes it (one unit: the unit if
// empty), until there is no work, no material or no taking unit.
void Sim::releaseInto(int line) {
  if (flow_) {
    if (fl_[line].waiting) flowRelease(line);
    return;
  }
  const CLine& cl = c_.lines[line];
  if (cl.firstUnits == 1) {
    if (!m_[cl.unitFirst].hasPart) releaseOne(line, cl.unitFirst);
    return;
  }
  for (;;) {
    const int f = takingUnit(cl.unitFirst, cl.firstUnits);
    if (f < 0) return;
    if (!releaseOne(line, f)) {
      updateMachine(cl.first);
      return;
    }
  }
}

// Releases one part into unit f of the line's first machine; false if there was nothing to
// release (the unit's state is updated).
inline bool Sim::releaseOne(int line, int f) {
  const CLine& cl = c_.lines[line];
  LRun& L = l_[line];
  Part p{now(), -1, 0, 0};
  switch (cl.input) {
    case LineInput::kArrivals:  // never a flow line
      if (L.input.empty()) {
        updateState(f);
        return false;
      }
      load(f, L.input.pop());
      startIfReady(f);
      return true;
    case LineInput::kPush: {
      const CLot& lot = cl.lots[L.lot];
      if (!materialAvailable(line, lot.product)) {
        L.waitingMaterial = true;
        if (!flow_) updateState(f);
        return false;
      }
      p.product = static_cast<int16_t>(lot.product);
      p.target = lot.target;
      nextPushUnit(line);
      break;
    }
    case LineInput::kOrders: {
      if (L.orders.empty()) {
        if (!flow_) updateState(f);
        return false;
      }
      Order& o = L.orders.front();
      if (!materialAvailable(line, o.product)) {
        L.waitingMaterial = true;
        if (!flow_) updateState(f);
        return false;
      }
      p.product = static_cast<int16_t>(o.product);
      p.target = o.target;
      p.ordered = 1;
      if (--o.left == 0) L.orders.pop_front();
      break;
    }
  }
  L.waitingMaterial = false;
  if (flow_) {  // flowRelease marked machine 0 taken, so a call back releases nothing
    consumeMaterial(line, p.product);
    flowPush(line, p);
    return true;
  }
  ++L.entered;
  L.wip.add(now(), 1);
  // Load before consuming: consumption can trigger orders that call back into this line.
  load(f, p);
  consumeMaterial(line, p.product);
  startIfReady(f);
  return true;
}

void Sim::depart(int line, const Part& p, bool good) {
  LRun& L = l_[line];
  ++L.departures;
  L.flowTimeSum += now() - p.tEnter;
  L.wip.add(now(), -1);
  if (good) {
    ++L.good;
    if (p.target >= 0) receive(p.target, 1, p.ordered != 0);
  } else {
    ++L.scrapped;
    if (p.target >= 0 && p.ordered) {
      --i_[p.target].onOrder;  // the order will be one short: let the policy see it
      checkPolicy(p.target);
    }
  }
}

void Sim::startRepair(int f) {
  FRun& F = f_[f];
  F.repairStart = now();
  const double t = c_.failures[f].ttr.sample(F.ttrRng);
  k_.schedule(t, kRepair, static_cast<uint32_t>(f));
  F.repairDue = now() + (t > 0 ? t : 0.0);
}

void Sim::onFail(int f) {
  const int m = c_.failures[f].unit;
  MRun& x = m_[m];
  ++x.failures;
  if (x.downCount++ == 0) pause(m);
  startRepair(f);
  if (o_.traceLimit) note(TraceKind::kFailure, m, f, f_[f].repairDue - now());
  updateState(m);
}

void Sim::onRepair(int f) {
  const CFailure& cf = c_.failures[f];
  FRun& F = f_[f];
  MRun& x = m_[cf.unit];
  --x.downCount;
  ++x.repairs;
  x.repairTime += now() - F.repairStart;
  if (o_.traceLimit) note(TraceKind::kRepair, cf.unit, f, now() - F.repairStart);
  const double t = std::max(0.0, cf.ttf.sample(F.ttfRng));
  if (cf.operating) F.opLeft = t;
  else k_.schedule(t, kFail, static_cast<uint32_t>(f));
  wake(cf.unit);
}

// An outage stops every unit of the machine like a failure (counted once per unit as a
// failure and, at its end, a repair of the window's length). It nests with random failures
// (each keeps its own repair; the unit is up when neither holds it) and with other outages.
void Sim::onOutage(int m, size_t window, bool start) {
  const CMachine& cm = c_.machines[m];
  const Window& w = cm.outages[window];
  if (o_.traceLimit) {
    note(start ? TraceKind::kOutageStart : TraceKind::kOutageEnd, m, -1, w.end - w.start);
  }
  for (int u = cm.unitFirst; u < cm.unitFirst + cm.units; ++u) {
    MRun& x = m_[u];
    if (start) {
      ++x.failures;
      if (x.downCount++ == 0) pause(u);
      updateState(u);
    } else {
      --x.downCount;
      ++x.repairs;
      x.repairTime += w.end - w.start;
      wake(u);
    }
  }
}

void Sim::scheduleShift(int line, uint64_t cycle, size_t toggle) {
  const CLine& cl = c_.lines[line];
  const double t = static_cast<double>(cycle) * cl.shiftPeriod + cl.toggles[toggle].first;
  k_.scheduleAt(t, kShift, static_cast<uint32_t>(line), cycle << 16 | toggle);
}

void Sim::onShift(int line, uint64_t payload) {
  const CLine& cl = c_.lines[line];
  uint64_t cycle = payload >> 16;
  size_t t = payload & 0xffff;
  const bool on = cl.toggles[t].second;
  LRun& L = l_[line];
  if (on != L.shiftOn) {
    L.shiftOn = on;
    for (int m = cl.unitFirst; m < cl.unitFirst + cl.unitCount; ++m) {
      if (on) {
        wake(m);
      } else {
        pause(m);
        updateState(m);
      }
    }
  }
  if (++t == cl.toggles.size()) {
    t = 0;
    ++cycle;
  }
  scheduleShift(line, cycle, t);
}

void Sim::onArrival(int line) {
  const CLine& cl = c_.lines[line];
  LRun& L = l_[line];
  const Part p{now(), cl.arrivalTarget, static_cast<int16_t>(cl.arrivalProduct), 0};
  const int f = L.input.empty() ? takingUnit(cl.first) : -1;
  if (f >= 0) {
    ++L.entered;
    L.wip.add(now(), 1);
    load(f, p);
    startIfReady(f);
  } else if (cl.inputCapacity < 0 || L.input.size() < static_cast<size_t>(cl.inputCapacity)) {
    ++L.entered;
    L.wip.add(now(), 1);
    L.input.push(p);
  } else {
    ++L.lost;
  }
  k_.schedule(cl.interarrival.sample(L.arrivalRng), kArrival, static_cast<uint32_t>(line));
}

// --- inventories ------------------------------------------------------------------------------

void Sim::setLevel(int i) {
  IRun& I = i_[i];
  I.onHandAvg.set(now(), static_cast<double>(I.onHand));
  I.backlogAvg.set(now(), static_cast<double>(I.backlogUnits));
  if (I.onHand <= 0 && I.zeroSince < 0) {
    I.zeroSince = now();
  } else if (I.onHand > 0 && I.zeroSince >= 0) {
    I.zeroTime += now() - I.zeroSince;
    I.zeroSince = -1;
  }
}

void Sim::receive(int i, int64_t qty, bool ordered) {
  sync(i);
  IRun& I = i_[i];
  if (ordered) I.onOrder -= qty;
  I.onHand += qty;
  serveBacklog(i);
  setLevel(i);
  for (int line : c_.inventories[i].consumers) {
    if (l_[line].waitingMaterial && takingUnit(c_.lines[line].first) >= 0) releaseInto(line);
  }
}

void Sim::serveBacklog(int i) {
  IRun& I = i_[i];
  while (!I.backlog.empty() && I.onHand > 0) {
    Open& o = I.backlog.front();
    const int64_t x = std::min(I.onHand, o.qty);
    I.onHand -= x;
    o.qty -= x;
    I.backlogUnits -= x;
    o.allocated += x;
    if (o.qty == 0) {
      if (o.lane < 0) ++(now() <= o.due ? I.onTime : I.late);
      else ship(o.lane, o.dest, o.allocated);
      I.backlog.pop_front();
    }
  }
}

void Sim::customerOrder(int d) {
  const CDemand& cd = c_.demands[d];
  const int i = cd.inventory;
  sync(i);
  IRun& I = i_[i];
  const int64_t q = std::max<int64_t>(1, std::llround(cd.quantity.sample(d_[d].quantityRng)));
  ++I.customerOrders;
  I.unitsDemanded += q;
  const int64_t fromStock = I.backlog.empty() ? std::min(std::max<int64_t>(I.onHand, 0), q) : 0;
  I.onHand -= fromStock;
  I.unitsFromStock += fromStock;
  const int64_t rest = q - fromStock;
  if (rest == 0) {
    ++I.onTime;
  } else {
    ++I.stockouts;
    if (o_.traceLimit) note(TraceKind::kStockout, i, d, static_cast<double>(rest));
    if (cd.backorders) {
      I.backlog.push_back({rest, now() + cd.dueAfter, -1, -1, 0});
      I.backlogUnits += rest;
      if (flow_) makeEager(i);
    } else {
      I.lostUnits += rest;
      ++I.late;
    }
  }
  setLevel(i);
  checkPolicy(i);
  const double t = nextDemand(d, now());
  if (t < kInf) k_.scheduleAt(t, kDemand, static_cast<uint32_t>(d));
}

void Sim::internalOrder(int i, int64_t qty, int lane, int dest) {
  sync(i);
  IRun& I = i_[i];
  const int64_t take = I.backlog.empty() ? std::min(std::max<int64_t>(I.onHand, 0), qty) : 0;
  I.onHand -= take;
  if (take == qty) {
    ship(lane, dest, qty);
  } else {
    I.backlog.push_back({qty - take, kInf, lane, dest, take});
    I.backlogUnits += qty - take;
    if (flow_) makeEager(i);
  }
  setLevel(i);
  checkPolicy(i);
}

void Sim::ship(int lane, int dest, int64_t qty) {
  const CLane& cl = c_.lanes[lane];
  double depart = now();
  for (const Window& w : cl.disruptions) {
    if (depart >= w.start && depart < w.end) depart = w.end;
  }
  if (o_.traceLimit && depart > now()) note(TraceKind::kLaneDelay, lane, dest, depart - now());
  const double lt = std::max(0.0, cl.lead.sample(laneRng_[lane]));
  k_.scheduleAt(depart + lt, kReceipt, static_cast<uint32_t>(dest), static_cast<uint64_t>(qty));
}

void Sim::checkPolicy(int i) {
  const CInventory& ci = c_.inventories[i];
  if (ci.policy != Policy::kMinMax) return;
  sync(i);
  const IRun& I = i_[i];
  const int64_t position = I.onHand + I.onOrder - I.backlogUnits;
  if (position <= ci.s) placeOrder(i, ci.S - position);
}

void Sim::placeOrder(int i, int64_t qty) {
  const CInventory& ci = c_.inventories[i];
  IRun& I = i_[i];
  I.onOrder += qty;
  ++I.replenishments;
  switch (ci.source) {
    case Source::kNone: break;
    case Source::kSupplier: {
      auto interruptedUntil = [&](int s, double t) {
        for (const Window& w : c_.suppliers[s].interruptions) {
          if (t >= w.start && t < w.end) t = w.end;
        }
        return t;
      };
      int s = ci.primary;
      double t = interruptedUntil(s, now());
      if (t > now() && ci.backup >= 0 && interruptedUntil(ci.backup, now()) == now()) {
        s = ci.backup;
        t = now();
        ++I.backupOrders;
      }
      if (o_.traceLimit) {
        note(TraceKind::kReplenishment, i, s, static_cast<double>(qty));
        if (t > now()) note(TraceKind::kSupplierWait, i, s, t - now());
      }
      const double lt = std::max(0.0, c_.suppliers[s].lead.sample(supRng_[s]));
      k_.scheduleAt(t + lt, kReceipt, static_cast<uint32_t>(i), static_cast<uint64_t>(qty));
      break;
    }
    case Source::kLine: {
      l_[ci.line].orders.push_back({ci.product, qty, i});
      if (o_.traceLimit) note(TraceKind::kReplenishment, i, ci.line, static_cast<double>(qty));
      const CMachine& fm = c_.machines[c_.lines[ci.line].first];
      if (flow_) {
        releaseInto(ci.line);
      } else if (fm.units == 1) {
        if (!m_[fm.unitFirst].hasPart) releaseInto(ci.line);
        else updateState(fm.unitFirst);
      } else {
        releaseInto(ci.line);
        updateMachine(c_.lines[ci.line].first);  // idle units now have work waiting
      }
      break;
    }
    case Source::kLane:
      if (o_.traceLimit) note(TraceKind::kReplenishment, i, ci.lane, static_cast<double>(qty));
      internalOrder(ci.upstream, qty, ci.lane, i);
      break;
  }
}

// Inversion of the cumulative rate: exact for piecewise-constant rates, and one Exp(1) per
// order whatever the rate, so a demand scenario reuses the baseline's draws (CRN).
double Sim::nextDemand(int d, double from) {
  const auto& r = c_.demands[d].rate;
  double e = d_[d].arrivalRng.exp1();
  double t = from;
  size_t k = 0;
  while (k + 1 < r.size() && r[k + 1].first <= t) ++k;
  for (;; ++k) {
    const double rate = r[k].second;
    const double end = k + 1 < r.size() ? r[k + 1].first : kInf;
    if (rate > 0) {
      if (end == kInf || e <= rate * (end - t)) return t + e / rate;
      e -= rate * (end - t);
    } else if (end == kInf) {
      return kInf;
    }
    t = end;
  }
}

void Sim::resetStats() {
  const double t = now();
  for (MRun& x : m_) {
    x.acc.fill(0);
    x.since = t;
    x.produced = x.scrapped = x.failures = x.repairs = 0;
    x.repairTime = x.idealTime = 0;
  }
  for (LRun& L : l_) {
    L.wip.reset(t);
    L.entered = L.good = L.scrapped = L.departures = L.lost = 0;
    L.flowTimeSum = 0;
  }
  for (IRun& I : i_) {
    I.onHandAvg.reset(t);
    I.backlogAvg.reset(t);
    I.zeroTime = 0;
    if (I.zeroSince >= 0) I.zeroSince = t;
    I.replenishments = I.backupOrders = I.customerOrders = I.unitsDemanded = I.unitsFromStock =
        I.stockouts = I.lostUnits = I.onTime = I.late = 0;
  }
}

void Sim::handle(const Event& e) {
  now_ = e.time;
  switch (e.kind) {
    case kTimer: onTimer(static_cast<int>(e.entity), static_cast<uint32_t>(e.payload)); break;
    case kFail: onFail(static_cast<int>(e.entity)); break;
    case kRepair: onRepair(static_cast<int>(e.entity)); break;
    case kShift: onShift(static_cast<int>(e.entity), e.payload); break;
    case kMaintStart: {
      const int m = static_cast<int>(e.entity);
      const CMachine& cm = c_.machines[m];
      if (e.payload > 0) {  // periodic: schedule its end and the next one
        k_.schedule(cm.periodic.duration, kMaintEnd, e.entity);
        const double next = cm.periodic.first + static_cast<double>(e.payload) * cm.periodic.interval;
        k_.scheduleAt(next, kMaintStart, e.entity, e.payload + 1);
      }
      for (int u = cm.unitFirst; u < cm.unitFirst + cm.units; ++u) {
        if (m_[u].planned++ == 0) pause(u);
        updateState(u);
      }
      break;
    }
    case kMaintEnd: {
      const CMachine& cm = c_.machines[e.entity];
      for (int u = cm.unitFirst; u < cm.unitFirst + cm.units; ++u) {
        --m_[u].planned;
        wake(u);
      }
      break;
    }
    case kOutageStart: onOutage(static_cast<int>(e.entity), e.payload, true); break;
    case kOutageEnd: onOutage(static_cast<int>(e.entity), e.payload, false); break;
    case kSample: onSample(e.payload); break;
    case kArrival: onArrival(static_cast<int>(e.entity)); break;
    case kReceipt: receive(static_cast<int>(e.entity), static_cast<int64_t>(e.payload), true); break;
    case kDemand: customerOrder(static_cast<int>(e.entity)); break;
    case kReview: {
      const int i = static_cast<int>(e.entity);
      sync(i);
      const CInventory& ci = c_.inventories[i];
      const IRun& I = i_[i];
      const int64_t position = I.onHand + I.onOrder - I.backlogUnits;
      if (position < ci.S) placeOrder(i, ci.S - position);
      k_.scheduleAt(now() + ci.review, kReview, e.entity);
      break;
    }
    case kWarmup:
      for (size_t i = 0; i < i_.size(); ++i) sync(static_cast<int>(i));
      resetStats();
      break;
  }
}

PlantResult Sim::run() {
  const uint64_t seed = o_.seed, rep = o_.replication;
  flow_ = c_.flowEligible && !o_.eventModel && !(o_.sampleEvery > 0) && o_.traceLimit == 0;
  m_.resize(c_.units.size());
  buf_.resize(c_.machines.size());
  f_.resize(c_.failures.size());
  l_.resize(c_.lines.size());
  i_.resize(c_.inventories.size());
  d_.resize(c_.demands.size());
  k_.reserve(64 + 4 * c_.units.size() + c_.demands.size());
  for (size_t m = 0; m < m_.size(); ++m) {
    const CUnit& cm = c_.units[m];
    m_[m].cycleRng = Rng(seed, rep, cm.cycleStream);
    m_[m].setupRng = Rng(seed, rep, cm.setupStream);
    m_[m].scrapRng = Rng(seed, rep, cm.scrapStream);
  }
  for (const CSupplier& s : c_.suppliers) supRng_.emplace_back(seed, rep, s.stream);
  for (const CLane& l : c_.lanes) laneRng_.emplace_back(seed, rep, l.stream);
  for (size_t d = 0; d < d_.size(); ++d) {
    d_[d].arrivalRng = Rng(seed, rep, c_.demands[d].arrivalStream);
    d_[d].quantityRng = Rng(seed, rep, c_.demands[d].quantityStream);
  }
  if (o_.warmup > 0) k_.scheduleAt(o_.warmup, kWarmup, 0);
  resetStats();
  // Lines: shifts, arrivals, push lots.
  for (size_t li = 0; li < l_.size(); ++li) {
    const CLine& cl = c_.lines[li];
    LRun& L = l_[li];
    L.arrivalRng = Rng(seed, rep, cl.arrivalStream);
    L.shiftOn = cl.shiftInitiallyOn;
    if (!cl.toggles.empty() && !flow_) {
      size_t t = 0;
      while (t < cl.toggles.size() && cl.toggles[t].first <= 0) ++t;
      if (t == cl.toggles.size()) scheduleShift(static_cast<int>(li), 1, 0);
      else scheduleShift(static_cast<int>(li), 0, t);
    }
    if (cl.input == LineInput::kArrivals) {
      k_.schedule(cl.interarrival.sample(L.arrivalRng), kArrival, static_cast<uint32_t>(li));
    }
    if (cl.input == LineInput::kPush) L.lotLeft = cl.lots[0].quantity;
  }
  for (size_t m = 0; m < c_.machines.size() && !flow_; ++m) {
    const CMachine& cm = c_.machines[m];
    for (const Window& w : cm.maintenance) {
      k_.scheduleAt(w.start, kMaintStart, static_cast<uint32_t>(m), 0);
      k_.scheduleAt(w.end, kMaintEnd, static_cast<uint32_t>(m));
    }
    if (cm.periodic.interval > 0) {
      k_.scheduleAt(cm.periodic.first, kMaintStart, static_cast<uint32_t>(m), 1);
    }
    for (size_t w = 0; w < cm.outages.size(); ++w) {
      k_.scheduleAt(cm.outages[w].start, kOutageStart, static_cast<uint32_t>(m), w);
      k_.scheduleAt(cm.outages[w].end, kOutageEnd, static_cast<uint32_t>(m), w);
    }
    updateMachine(static_cast<int>(m));
  }
  if (flow_) flowInit();
  for (size_t f = 0; f < f_.size(); ++f) {
    const CFailure& cf = c_.failures[f];
    f_[f].ttfRng = Rng(seed, rep, cf.ttfStream);
    f_[f].ttrRng = Rng(seed, rep, cf.ttrStream);
    if (flow_ && !cf.operating) {
      f_[f].we = 0;  // the first window comes a time to failure after time 0
      advanceCalendar(f);
      continue;
    }
    const double t = std::max(0.0, cf.ttf.sample(f_[f].ttfRng));
    if (cf.operating) f_[f].opLeft = t;
    else k_.schedule(t, kFail, static_cast<uint32_t>(f));
  }
  for (size_t i = 0; i < i_.size(); ++i) {
    i_[i].onHand = c_.inventories[i].initial;
    setLevel(static_cast<int>(i));
    if (c_.inventories[i].policy == Policy::kPeriodic) k_.schedule(0, kReview, static_cast<uint32_t>(i));
  }
  for (size_t d = 0; d < d_.size(); ++d) {
    const double t = nextDemand(static_cast<int>(d), 0.0);
    if (t < kInf) k_.scheduleAt(t, kDemand, static_cast<uint32_t>(d));
  }
  for (size_t i = 0; i < i_.size(); ++i) checkPolicy(static_cast<int>(i));
  for (size_t li = 0; li < l_.size(); ++li) releaseInto(static_cast<int>(li));
  // Scheduled last, so a sample sees what the events at its time before it (the warm-up reset
  // included) have done.
  if (o_.sampleEvery > 0 && o_.warmup <= o_.horizon) {
    prevTimes_.resize(m_.size());
    k_.scheduleAt(o_.warmup, kSample, 0, 0);
  }

  if (flow_) {
    flowLoop();
  } else {
    k_.runUntil(o_.horizon, [this](const Event& e) { handle(e); });
    now_ = k_.now();
  }
  return collect();
}

// --- flow lines -------------------------------------------------------------------------------
// A flow line computes each part's way through its machines when the part is released, by the
// recursion of tandem queues with blocking after service (Dallery & Gershwin 1992): the part
// enters machine k when it has left machine k-1 and machine k is empty, S_k = max(D_k-1, the
// machine's last departure); it completes at C_k after its setup and cycle time counted in the
// machine's available time only (shifts, maintenance, outages and failures stretch them); it
// leaves at D_k = max(C_k, the departure from machine k+1 of the part b_k + 1 places ahead),
// the moment the buffer after k has room. Calendar failures do not depend on the flow, so each
// machine draws its failure windows ahead from the same streams, in the same order, as the
// event model; operating-clock failures fire inside work(). Only a release (material, orders)
// and a departure (stock, policies) touch the rest of the plant: those are steps of the line,
// ordered with the kernel's events through a winner tree over the lines (flowLoop), unless
// nothing can depend on their order: a good part into stock nothing waits for is queued and
// applied when the stock is next looked at (sync), and pushed releases drawing on stocks only
// pushed lines draw on run ahead in epochs against a budget (tryEpoch).

void Sim::flowInit() {
  fm_.assign(c_.machines.size(), FMach{});
  fl_.assign(c_.lines.size(), FLine{});
  for (size_t li = 0; li < fl_.size(); ++li) {
    fl_[li].queueOf.assign(c_.inventories.size(), -1);
    fl_[li].fullBy.assign(static_cast<size_t>(c_.nProducts) * c_.lines[li].count, 0);
  }
  fk_.assign(c_.machines.size(), FConst{});
  ends_.assign(c_.machines.size(), 0.0);
  fop_.assign(c_.cycle.size(), FOp{});
  for (size_t m = 0; m < c_.machines.size(); ++m) {
    for (int p = 0; p < c_.nProducts; ++p) {
      const size_t i = m * static_cast<size_t>(c_.nProducts) + p;
      const Dist& d = c_.cycle[i];
      FOp& O = fop_[static_cast<size_t>(p) * c_.machines.size() + m];
      O.a = d.a;
      O.b = d.b;
      O.scrap = c_.scrap[i];
      O.lnInRange = d.kind == DistKind::kLognormal && std::fabs(d.a) + 16 * std::fabs(d.b) <= 700;
    }
  }
  size_t ring = 0;
  for (size_t m = 0; m < fm_.size(); ++m) {
    FMach& M = fm_[m];
    FConst& K = fk_[m];
    const size_t row = m * static_cast<size_t>(c_.nProducts);
    K.cycle = c_.cycle.data() + row;
    K.pru = c_.pru.data() + row;
    // Flow lines have one unit per machine (unit index = machine); other machines' entries
    // are never read.
    if (m < c_.units.size()) {
      const CUnit& cu = c_.units[m];
      if (cu.setupMatrix >= 0) K.setup = c_.setup[cu.setupMatrix].data();
      K.opLeft = cu.opFailures.empty()       ? nullptr
                 : cu.opFailures.size() == 1 ? &f_[cu.opFailures[0]].opLeft
                                             : &opMany_;
      K.last = cu.last;
    }
    M.a = M.u = -1;
    if (m < m_.size()) {
      M.cycleRng = m_[m].cycleRng;
      M.scrapRng = m_[m].scrapRng;
      M.setupRng = m_[m].setupRng;
    }
    M.ring = M.pos = static_cast<uint32_t>(ring);
    ring += c_.machines[m].pos > 0 ? static_cast<uint32_t>(c_.bufferCap[m - 1]) + 1 : 1;
    M.ringEnd = static_cast<uint32_t>(ring);
  }
  ring_.assign(ring, 0.0);  // a departure "before time 0": never holds anyone back
  arrq_.clear();
  invQueues_.assign(c_.inventories.size(), {});
  // Every queue a line can fill is made now, so that an epoch never adds one.
  for (size_t li = 0; li < c_.lines.size(); ++li) {
    const CLine& cl = c_.lines[li];
    for (const CLot& lot : cl.lots) {
      if (lot.target >= 0 && c_.inventories[lot.target].consumers.empty()) {
        arrivalQueue(static_cast<int>(li), lot.target);
      }
    }
    for (size_t i = 0; i < c_.inventories.size(); ++i) {
      const CInventory& ci = c_.inventories[i];
      if (ci.source == Source::kLine && ci.line == static_cast<int>(li) && ci.consumers.empty()) {
        arrivalQueue(static_cast<int>(li), static_cast<int>(i));
      }
    }
    if (c_.lineInEpoch[li]) {
      for (const CLot& lot : cl.lots) {
        for (const auto& [i, qty] : c_.bom[li * c_.nProducts + lot.product]) {
          arrivalQueue(static_cast<int>(li), i);
        }
      }
    }
  }
  epochRate_.assign(c_.inventories.size(), -1.0);
  budget_.assign(c_.inventories.size(), 0);
  saveBudget_.assign(c_.inventories.size(), 0);
  down_.assign(f_.size(), {});
  for (FRun& F : f_) F.ws = F.we = kInf;
  treeSize_ = 1;
  while (treeSize_ < fl_.size()) treeSize_ *= 2;
  keys_.assign(2 * treeSize_, kInf);
  win_.assign(2 * treeSize_, 0);
  for (size_t n = 0; n < treeSize_; ++n) win_[treeSize_ + n] = static_cast<int>(n);
  for (size_t n = treeSize_ - 1; n >= 1; --n) win_[n] = win_[2 * n];
  for (FLine& F : fl_) F.waiting = true;  // run() releases into every line at time 0
}

void Sim::flowLoop() {
  const double h = o_.horizon;
  auto handler = [this](const Event& e) { handle(e); };
  for (;;) {
    const double tk = k_.nextTime();
    const int line = win_[1];
    const double tl = keys_[1];
    if (tl <= tk) {
      if (!(tl <= h)) break;
      now_ = tl;
      flowStep(line);
    } else {
      if (!(tk <= h)) break;
      k_.runOne(handler);
    }
  }
  k_.advanceTo(h);
  now_ = std::max(now_, h);
}

void Sim::flowStep(int line) {
  FLine& F = fl_[line];
  ++flowSteps_;
  uint64_t bits;
  __builtin_memcpy(&bits, &now_, sizeof bits);
  flowFp_ = (flowFp_ ^ (bits + static_cast<uint64_t>(line) * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
  const double tdep = F.depHead < F.deps.size() ? F.deps[F.depHead].time : kInf;
  if (!F.waiting && F.nextRelease < tdep) {
    if (c_.lineInEpoch[line] && now_ >= noEpochUntil_ && tryEpoch()) return;
    flowRelease(line);
    return;
  }
  const FDep d = F.deps[F.depHead++];
  dropConsumed(F.deps, F.depHead);
  flowKey(line);
  // Its stock effects (the line's results were counted in flowPush); may call back into this
  // line (orders, material).
  if (d.good) {
    receive(d.part.target, 1, d.part.ordered != 0);
  } else {
    sync(d.part.target);
    --i_[d.part.target].onOrder;  // the order will be one short: let the policy see it
    checkPolicy(d.part.target);
  }
}

int Sim::newArrivalQueue(int line, int inventory) {
  const int q = static_cast<int>(arrq_.size());
  fl_[line].queueOf[inventory] = q;
  arrq_.emplace_back();
  arrq_.back().line = line;
  invQueues_[inventory].push_back(q);
  return q;
}

// Queued changes of stock i up to now. Arrivals (i has no backorder) each add one on hand (and,
// if ordered, one less on order); an epoch's releases take their units within a budget that
// keeps stock and position above what anything reacts to. So their order does not matter:
// the on-hand average gets the area they would have added, and a stretch without stock ends
// at the first arrival.
void Sim::applyArrivals(int i) {
  const double t = now();
  int64_t n = 0, ordered = 0;
  double area = 0, first = kInf;
  for (int qi : invQueues_[i]) {
    FQueue& q = arrq_[qi];
    size_t h = q.head;
    while (h < q.v.size() && q.v[h].time <= t) {
      const FArr& a = q.v[h++];
      n += a.delta;
      ordered += a.ordered;
      area += static_cast<double>(a.delta) * (t - a.time);
      if (a.delta > 0) first = std::min(first, a.time);
    }
    q.head = h;
    dropConsumed(q.v, q.head);
  }
  if (n == 0 && area == 0) return;
  IRun& I = i_[i];
  I.onHandAvg.set(t, static_cast<double>(I.onHand));
  I.onHandAvg.addArea(area);
  // Consumption from an epoch never empties a stock (its budget keeps one unit): a stretch
  // without stock can only end here, at the first arrival.
  if (I.zeroSince >= 0 && first < kInf) {
    I.zeroTime += std::max(0.0, first - I.zeroSince);
    I.zeroSince = -1;
  }
  I.onHand += n;
  I.onOrder -= ordered;
  I.onHandAvg.set(t, static_cast<double>(I.onHand));
}

// An epoch: every epoch line's releases up to a horizon T computed at once, without a step
// each. Their materials come from stocks only such lines draw from, so a release there only
// takes stock, and while the stocks hold more than the epoch takes (one unit kept, and above
// the reorder point for (s,S)) no release can find too little and no order is triggered,
// whatever the order of the releases: each takes its units from the budget and leaves them in
// a queue with its time, applied when the stock is next looked at (sync), like the arrivals.
// If the releases up to T need more than the budget, the epoch is undone (the lines' state was
// saved; nothing outside them was touched) and the releases run one step at a time for ten
// minutes before the next try. The span aims at half the budget at the last epoch's rate.
bool Sim::tryEpoch() {
  const double t0 = now();
  // What releases may take from stock i without emptying it or reaching its reorder point.
  auto budgetOf = [&](int i) {
    const IRun& I = i_[i];
    const CInventory& ci = c_.inventories[i];
    int64_t b = I.onHand - 1;
    if (ci.policy == Policy::kMinMax) b = std::min(b, I.onHand + I.onOrder - I.backlogUnits - ci.s - 1);
    return b;
  };
  double span = 7 * kDay;
  for (int i : c_.epochInventories) {
    sync(i);
    const int64_t b = budgetOf(i);
    if (b <= 0) {
      noEpochUntil_ = t0 + 3600;
      return false;
    }
    budget_[i] = b;
    if (epochRate_[i] < 0) span = std::min(span, 3600.0);  // no rate yet: an hour first
    else if (epochRate_[i] > 0) span = std::min(span, 0.5 * static_cast<double>(b) / epochRate_[i]);
  }
  span = std::max(span, 600.0);
  const double T = std::min(t0 + span, o_.horizon);
  for (int li : c_.epochLines) {
    if (fl_[li].waiting) return false;
  }
  // Save the lines.
  saveLines_.clear();
  saveMach_.clear();
  saveFull_.clear();
  saveFail_.clear();
  saveRing_.clear();
  saveQueue_.clear();
  saveDown_.clear();
  for (int li : c_.epochLines) {
    const FLine& F = fl_[li];
    const LRun& L = l_[li];
    saveLines_.push_back({F.nextRelease, F.idleSince, F.flowTimeSum, F.wipArea, F.good, F.scrapped,
                          F.entered, L.lotLeft, F.deps.size(), L.lot});
    saveFull_.insert(saveFull_.end(), F.fullBy.begin(), F.fullBy.end());
    const CLine& cl = c_.lines[li];
    for (int m = cl.first; m < cl.first + cl.count; ++m) {
      saveMach_.push_back(fm_[m]);
      forEachFailure(m, [&](int f) {
        saveFail_.push_back(f_[f]);
        saveDown_.push_back(down_[f].size());
      });
      saveRing_.insert(saveRing_.end(), ring_.begin() + fm_[m].ring, ring_.begin() + fm_[m].ringEnd);
    }
  }
  for (const FQueue& q : arrq_) saveQueue_.push_back(q.v.size());
  const uint64_t steps = flowSteps_;
  for (int i : c_.epochInventories) saveBudget_[i] = budget_[i];
  // Run them to T.
  bool fits = true;
  for (size_t k = 0; k < c_.epochLines.size() && fits; ++k) fits = pushRun(c_.epochLines[k], T);
  now_ = t0;
  if (!fits) {  // undo, in the order saved
    size_t ml = 0, mm = 0, mf = 0, mr = 0, mfull = 0;
    for (size_t k = 0; k < c_.epochLines.size(); ++k) {
      const int li = c_.epochLines[k];
      FLine& F = fl_[li];
      LRun& L = l_[li];
      const FLineSave& sv = saveLines_[ml++];
      std::copy_n(saveFull_.begin() + static_cast<std::ptrdiff_t>(mfull), F.fullBy.size(), F.fullBy.begin());
      mfull += F.fullBy.size();
      F.nextRelease = sv.nextRelease;
      F.idleSince = sv.idleSince;
      F.flowTimeSum = sv.flowTimeSum;
      F.wipArea = sv.wipArea;
      F.good = sv.good;
      F.scrapped = sv.scrapped;
      F.entered = sv.entered;
      F.deps.resize(sv.deps);
      L.lotLeft = sv.lotLeft;
      L.lot = sv.lot;
      const CLine& cl = c_.lines[li];
      for (int m = cl.first; m < cl.first + cl.count; ++m) {
        fm_[m] = saveMach_[mm++];
        forEachFailure(m, [&](int f) {
          down_[f].resize(saveDown_[mf]);
          f_[f] = saveFail_[mf++];
        });
        for (uint32_t r = fm_[m].ring; r < fm_[m].ringEnd; ++r) ring_[r] = saveRing_[mr++];
      }
    }
    for (size_t q = 0; q < arrq_.size(); ++q) arrq_[q].v.resize(saveQueue_[q]);
    flowSteps_ = steps;
    // The stocks went faster than the last epoch said (or a receipt is needed first): assume
    // at least twice the rate that would have emptied the budget, and try again a little later
    // with the span that gives.
    for (int i : c_.epochInventories) {
      epochRate_[i] = std::max(epochRate_[i], 2.0 * static_cast<double>(saveBudget_[i]) / (T - t0));
    }
    noEpochUntil_ = t0 + 600;
    ++epochsUndone_;
    return false;
  }
  for (int i : c_.epochInventories) {
    epochRate_[i] = T > t0 ? static_cast<double>(saveBudget_[i] - budget_[i]) / (T - t0) : 0.0;
  }
  ++epochs_;
  for (int li : c_.epochLines) flowKey(li);
  return true;
}

// Inventory i has a backorder now: arrivals still on their way serve it in time order, so
// they become steps of their lines.
void Sim::makeEager(int i) {
  for (int qi : invQueues_[i]) {
    FQueue& q = arrq_[qi];
    if (q.head == q.v.size()) continue;
    FLine& F = fl_[q.line];
    std::vector<FDep> merged;
    merged.reserve(F.deps.size() - F.depHead + q.v.size() - q.head);
    size_t a = F.depHead, b = q.head;
    while (a < F.deps.size() || b < q.v.size()) {
      if (b == q.v.size() || (a < F.deps.size() && F.deps[a].time <= q.v[b].time)) {
        merged.push_back(F.deps[a++]);
      } else {
        Part p{0, i, 0, static_cast<int16_t>(q.v[b].ordered ? 1 : 0)};
        merged.push_back({q.v[b++].time, p, true});
      }
    }
    F.deps.swap(merged);
    F.depHead = 0;
    q.v.clear();
    q.head = 0;
    flowKey(q.line);
  }
}

void Sim::flowRelease(int line) {
  FLine& F = fl_[line];
  const CLine& cl = c_.lines[line];
  if (F.idleSince >= 0) {
    fm_[cl.first].idle += availableTime(cl.first, F.idleSince, now());
    F.idleSince = -1;
  }
  F.waiting = false;
  F.nextRelease = kInf;  // machine 0 is taken while the release runs
  if (!releaseOne(line, cl.unitFirst)) {
    F.waiting = true;
    if (cl.input == LineInput::kOrders && l_[line].orders.empty()) F.idleSince = now();
  }
  flowKey(line);
}

void Sim::flowPush(int line, const Part& p) {
  pushPart(line, p, pushCtx());
}

// The releases of epoch line li up to T (tryEpoch): false if the budget ran out first.
bool Sim::pushRun(int li, double T) {
  FLine& F = fl_[li];
  LRun& L = l_[li];
  const CLine& cl = c_.lines[li];
  const PushCtx x = pushCtx();
  while (F.nextRelease <= T) {
    now_ = F.nextRelease;
    const CLot& lot = cl.lots[L.lot];
    const auto& bom = c_.bom[static_cast<size_t>(li) * c_.nProducts + lot.product];
    bool fits = true;
    for (const auto& [i, qty] : bom) fits &= budget_[i] >= qty;
    if (!fits) return false;
    for (const auto& [i, qty] : bom) {
      budget_[i] -= qty;
      arrq_[arrivalQueue(li, i)].v.push_back({now_, -qty, false});
    }
    const Part p{now_, lot.target, static_cast<int16_t>(lot.product), 0};
    nextPushUnit(li);
    pushPart(li, p, x);
    ++flowSteps_;
  }
  return true;
}

inline void Sim::pushPart(int line, const Part& p, const PushCtx& x) {
  const CLine& cl = c_.lines[line];
  FLine& F = fl_[line];
  const ClipWindow W = x.W;
  double* const ring = x.ring;
  FMach* const fm = x.fm;
  const FConst* const fk = x.fk;
  const int product = p.product;
  double arrive = now();
  if (W.in(arrive)) ++F.entered;
  // The ends of the part's operations, at ends[m] (Sim::ends_). They increase along the way,
  // so when the part entered inside the window and left before its end, every operation
  // counts: the common case, one update at the exit instead of one per operation.
  double* const ends = x.ends;
  const FOp* const op = x.fop + static_cast<size_t>(product) * fm_.size();  // op[m]
  for (int m = cl.first;; ++m) {
    FMach& M = fm[m];
    const FConst& K = fk[m];
    double t = arrive > M.lastD ? arrive : M.lastD;
    const uint32_t slot = M.pos;
    const uint32_t nextSlot = slot + 1;
    M.pos = nextSlot == M.ringEnd ? M.ring : nextSlot;
    if (M.lastProduct != product) [[unlikely]] {  // lots are long
      if (K.setup != nullptr && M.lastProduct >= 0) {
        const Dist& d = K.setup[static_cast<size_t>(M.lastProduct) * c_.nProducts + product];
        if (d.defined()) {
          const double st = d.sample(M.setupRng);
          if (st > 0) t = work(m, t, st, false, &M.setup);
        }
      }
      M.lastProduct = static_cast<int16_t>(product);
    }
    const FOp& O = op[m];
    // Dist::sample's lognormal inline (the same draw; positive, so no clamp at 0).
    double ct;
    if (O.lnInRange) [[likely]] {
      ct = simExpInRange(O.a + O.b * M.cycleRng.normal01());
    } else {
      ct = K.cycle[product].sample(M.cycleRng);
      if (!(ct > 0)) ct = 0.0;
    }
    const double C = process(m, M, K.opLeft, t, ct, W);
    ends[m] = C;
    const bool scrapped = O.scrap > 0 && M.scrapRng.uniform() < O.scrap;
    if (scrapped || K.last) {
      // The part leaves the line at C: its line results now, what it does to stock in time
      // order (a step of the line), or when the stock is next looked at if nothing waits.
      if (W.in(C)) {
        ++(scrapped ? F.scrapped : F.good);
        F.flowTimeSum += C - p.tEnter;
        if (scrapped) ++M.scrapped;
      }
      F.wipArea += W.clip(p.tEnter, C);
      const int target = p.target;
      if (target >= 0 && (!scrapped || p.ordered)) {
        if (!scrapped && c_.inventories[target].consumers.empty() && i_[target].backlog.empty()) {
          FQueue& q = arrq_[arrivalQueue(line, target)];
          q.v.push_back({C, 1, p.ordered != 0});
        } else {
          std::vector<FDep>& q = F.deps;
          q.push_back({C, p, !scrapped});
          size_t at = q.size() - 1;
          while (at > F.depHead && q[at - 1].time > C) {
            q[at] = q[at - 1];
            --at;
          }
          q[at] = {C, p, !scrapped};
        }
      }
      M.lastD = C;
      ring[slot] = C;
      if (p.tEnter >= W.w0 && C <= W.w1) [[likely]] {
        ++F.fullBy[static_cast<size_t>(product) * cl.count + (m - cl.first)];
      } else {
        for (int k = cl.first; k <= m; ++k) {
          if (W.in(ends[k])) {
            ++fm[k].produced;
            fm[k].idealTime += fk[k].pru[product];
          }
        }
      }
      break;
    }
    const FMach& N = fm[m + 1];
    // The next machine's departure b + 1 parts back frees the buffer place (0 before that).
    const double room = ring[N.pos];
    // Blocked until then (if room > C), in available time: mostly inside the current available
    // segment. Without a branch on room > C, which is a coin toss to a predictor.
    const double D = maxNoBranch(room, C);
    if (C >= M.a && D <= M.u) [[likely]] {
      M.blocked += W.clip(C, D);
    } else {
      M.blocked += availableTime(m, C, D);
    }
    M.lastD = D;
    ring[slot] = D;
    arrive = D;
  }
  F.nextRelease = fm[cl.first].lastD;
}

void Sim::flowKey(int line) {
  const FLine& F = fl_[line];
  double key = F.waiting ? kInf : F.nextRelease;
  if (F.depHead < F.deps.size() && F.deps[F.depHead].time < key) key = F.deps[F.depHead].time;
  double* k = keys_.data();
  int* w = win_.data();
  size_t n = treeSize_ + static_cast<size_t>(line);
  k[n] = key;
  for (n /= 2; n >= 1; n /= 2) {
    // The left child is the lower line on ties. Branch-free: the comparison is a coin toss
    // to a predictor.
    const size_t c = 2 * n + static_cast<size_t>(k[2 * n + 1] < k[2 * n]);
    k[n] = k[c];
    w[n] = w[c];
  }
}

// The calendar failure f's window has ended: draw the next (time to failure after the repair,
// then the repair), as onRepair and onFail do.
void Sim::advanceCalendar(int f) {
  FRun& F = f_[f];
  const CFailure& cf = c_.failures[f];
  const double ttf = std::max(0.0, cf.ttf.sample(F.ttfRng));
  const double ttr = std::max(0.0, cf.ttr.sample(F.ttrRng));
  F.ws = F.we + ttf;
  F.we = F.ws + ttr;
  down_[f].push_back({F.ws, F.we});
}

// The available segment of machine m at or after x: [a, u), the machine can work in it (on
// shift, not in maintenance, an outage or a failure). Every source's windows before x are
// passed (and, for calendar failures, drawn and recorded).
void Sim::segment(int m, double x) {
  FMach& M = fm_[m];
  const CMachine& cm = c_.machines[m];
  const CLine& cl = c_.lines[cm.line];
  for (;;) {
    double cover = x, next = kInf;
    auto see = [&](double s, double e) {
      if (s <= x) cover = std::max(cover, e);
      else next = std::min(next, s);
    };
    for (int f : c_.units[m].calFailures) {
      while (f_[f].we <= x) advanceCalendar(f);
      see(f_[f].ws, f_[f].we);
    }
    for (int f : c_.units[m].opFailures) {
      if (f_[f].we > x) see(f_[f].ws, f_[f].we);
    }
    while (M.outage < cm.outages.size() && cm.outages[M.outage].end <= x) ++M.outage;
    if (M.outage < cm.outages.size()) see(cm.outages[M.outage].start, cm.outages[M.outage].end);
    while (M.maint < cm.maintenance.size() && cm.maintenance[M.maint].end <= x) ++M.maint;
    if (M.maint < cm.maintenance.size()) see(cm.maintenance[M.maint].start, cm.maintenance[M.maint].end);
    if (cm.periodic.interval > 0) {
      double s = cm.periodic.first + static_cast<double>(M.periodic) * cm.periodic.interval;
      while (s + cm.periodic.duration <= x) {
        ++M.periodic;
        s = cm.periodic.first + static_cast<double>(M.periodic) * cm.periodic.interval;
      }
      see(s, s + cm.periodic.duration);
    }
    if (!cl.offInPeriod.empty()) {
      for (;;) {
        const double base = static_cast<double>(M.shiftCycle) * cl.shiftPeriod;
        const Window& w = cl.offInPeriod[M.shiftIndex];
        if (base + w.end > x) {
          see(base + w.start, base + w.end);
          break;
        }
        if (++M.shiftIndex == cl.offInPeriod.size()) {
          M.shiftIndex = 0;
          ++M.shiftCycle;
        }
      }
    }
    if (cover <= x) {
      M.a = x;
      M.u = next;
      return;
    }
    x = cover;
  }
}

// Work of w seconds on machine m from time t, in its available time: returns when it ends and
// adds the time spent inside the observation window to *acc. A process (not a setup) runs the
// operating-clock failures down and is interrupted when one of them reaches 0.
double Sim::work(int m, double t, double w, bool process, double* acc) {
  FMach& M = fm_[m];
  for (;;) {
    if (t >= M.u) segment(m, t);
    if (t < M.a) t = M.a;
    const double avail = M.u - t;
    double need = w;
    int fail = -1;
    if (process) {
      for (int f : c_.units[m].opFailures) {
        if (f_[f].opLeft < need) {
          need = f_[f].opLeft;
          fail = f;
        }
      }
    }
    if (need <= avail) {
      const double end = t + need;
      *acc += clip(t, end);
      if (process) {
        for (int f : c_.units[m].opFailures) f_[f].opLeft -= need;
      }
      if (fail < 0) return end;
      // The operating failure: its repair window starts now; the next time to failure is
      // drawn now (the event model draws it at the repair's end: the same draw of its stream).
      w -= need;
      FRun& F = f_[fail];
      const CFailure& cf = c_.failures[fail];
      F.ws = end;
      F.we = end + std::max(0.0, cf.ttr.sample(F.ttrRng));
      F.opLeft = std::max(0.0, cf.ttf.sample(F.ttfRng));
      down_[fail].push_back({F.ws, F.we});
      t = end;
      segment(m, t);
      continue;
    }
    *acc += clip(t, M.u);
    if (process) {
      for (int f : c_.units[m].opFailures) f_[f].opLeft -= avail;
    }
    w -= avail;
    t = M.u;
  }
}

// Available time of machine m in [a, b) inside the observation window; moves its segment on.
double Sim::availableTime(int m, double a, double b) {
  FMach& M = fm_[m];
  double acc = 0;
  double t = a;
  while (t < b) {
    if (t >= M.u) segment(m, t);
    if (t < M.a) t = M.a;
    if (t >= b) break;
    const double e = b < M.u ? b : M.u;
    acc += clip(t, e);
    t = e;
  }
  return acc;
}

// FLine::fullBy into the machines' produced units and ideal time: a part that left from
// machine `exit` was produced by the machines 0..exit.
void Sim::flowFoldCounts() {
  for (size_t li = 0; li < fl_.size(); ++li) {
    FLine& F = fl_[li];
    const CLine& cl = c_.lines[li];
    for (int p = 0; p < c_.nProducts; ++p) {
      int64_t reached = 0;  // parts of p that left from machine k or later
      for (int k = cl.count - 1; k >= 0; --k) {
        reached += F.fullBy[static_cast<size_t>(p) * cl.count + k];
        FMach& M = fm_[cl.first + k];
        M.produced += reached;
        M.idealTime += static_cast<double>(reached) * fk_[cl.first + k].pru[p];
      }
    }
    std::fill(F.fullBy.begin(), F.fullBy.end(), 0);
  }
}

// Time per state of a flow machine: off, planned and down by a sweep over its windows inside
// the observation window (in that priority, as updateState ranks them); setup, busy, blocked and
// idle accumulated by the recursion in available time; starved is the rest.
void Sim::flowCollect(int m, MachineResult* r) {
  FMach& M = fm_[m];
  const CMachine& cm = c_.machines[m];
  const CLine& cl = c_.lines[cm.line];
  const double w0 = std::min(o_.warmup, o_.horizon), w1 = o_.horizon;
  // An idle interval still open: measured before the failure windows are drawn on, since
  // the segment walk reads each failure's current window.
  const FLine& F = fl_[cm.line];
  if (cm.pos == 0 && F.idleSince >= 0) M.idle += availableTime(m, F.idleSince, w1);
  for (int f : c_.units[m].calFailures) {
    while (f_[f].ws <= w1) advanceCalendar(f);
  }
  // The edges come in runs, one per list of windows, each (nearly always) already in order:
  // sorted runs merged cost far less than sorting the whole.
  edges_.clear();
  runs_.assign(1, 0);
  auto endRun = [&] {
    if (edges_.size() > runs_.back()) runs_.push_back(edges_.size());
  };
  auto add = [&](double s, double e, int cat) {
    s = std::max(s, w0);
    e = std::min(e, w1);
    if (e > s) {
      edges_.push_back({s, 2 * cat + 1});
      edges_.push_back({e, 2 * cat});
    }
  };
  if (!cl.offInPeriod.empty()) {
    const double P = cl.shiftPeriod;
    for (double base = std::floor(w0 / P) * P; base < w1; base += P) {
      for (const Window& w : cl.offInPeriod) add(base + w.start, base + w.end, 0);
    }
  }
  endRun();
  for (const Window& w : cm.maintenance) add(w.start, w.end, 1);
  endRun();
  if (cm.periodic.interval > 0) {
    for (uint64_t k = 0;; ++k) {
      const double s = cm.periodic.first + static_cast<double>(k) * cm.periodic.interval;
      if (s >= w1) break;
      add(s, s + cm.periodic.duration, 1);
    }
  }
  endRun();
  // Outages and failures: down, a failure where they start, a repair where they end.
  auto down = [&](double s, double e) {
    add(s, e, 2);
    if (inWindow(s)) ++r->failures;
    if (inWindow(e)) {
      ++r->repairs;
      r->repairTime += e - s;
    }
  };
  for (const Window& w : cm.outages) down(w.start, w.end);
  endRun();
  forEachFailure(m, [&](int f) {
    for (const FWin& w : down_[f]) down(w.s, w.e);
    endRun();
  });
  const auto at = [&](size_t i) { return edges_.begin() + static_cast<std::ptrdiff_t>(i); };
  for (size_t k = 1; k < runs_.size(); ++k) {
    if (!std::is_sorted(at(runs_[k - 1]), at(runs_[k]))) std::sort(at(runs_[k - 1]), at(runs_[k]));
    if (k > 1) std::inplace_merge(at(0), at(runs_[k - 1]), at(runs_[k]));
  }
  int count[3] = {0, 0, 0};
  double acc[3] = {0, 0, 0};
  double last = w0;
  for (const auto& [t, code] : edges_) {
    if (t > last) {
      const int top = count[0] ? 0 : count[1] ? 1 : count[2] ? 2 : -1;
      if (top >= 0) acc[top] += t - last;
      last = t;
    }
    count[code >> 1] += (code & 1) ? 1 : -1;
  }
  auto& time = r->time;
  time.fill(0);
  time[static_cast<int>(MachineState::kOff)] = acc[0];
  time[static_cast<int>(MachineState::kPlannedDown)] = acc[1];
  time[static_cast<int>(MachineState::kDown)] = acc[2];
  time[static_cast<int>(MachineState::kSetup)] = M.setup;
  time[static_cast<int>(MachineState::kBusy)] = M.busy;
  time[static_cast<int>(MachineState::kBlocked)] = M.blocked;
  time[static_cast<int>(MachineState::kIdle)] = M.idle;
  const double rest = (w1 - w0) - acc[0] - acc[1] - acc[2] - M.setup - M.busy - M.blocked - M.idle;
  time[static_cast<int>(MachineState::kStarved)] = rest > 0 ? rest : 0.0;
  r->produced = M.produced;
  r->scrapped = M.scrapped;
  r->idealTime = M.idealTime;
  for (int s = 0; s < kMachineStateCount; ++s) r->energyKwh += time[s] * cm.powerKw[s] / kHour;
}

std::array<double, kMachineStateCount> Sim::unitTimes(int u) const {
  std::array<double, kMachineStateCount> t = m_[u].acc;  // not flushed: keeps KPI sums exact
  t[m_[u].state] += now() - m_[u].since;
  return t;
}

void Sim::onSample(uint64_t k) {
  const double t = now();
  const double span = sampleTimes_.empty() ? 0.0 : t - sampleTimes_.back();
  sampleTimes_.push_back(t);
  for (const IRun& I : i_) {
    sampleRows_.push_back(static_cast<double>(I.onHand));
    sampleRows_.push_back(static_cast<double>(I.backlogUnits));
    sampleRows_.push_back(static_cast<double>(I.onOrder));
  }
  for (const LRun& L : l_) {
    sampleRows_.push_back(L.wip.level());
    sampleRows_.push_back(static_cast<double>(L.good));
  }
  for (const CMachine& cm : c_.machines) {
    std::array<double, kMachineStateCount> sum{};
    for (int u = cm.unitFirst; u < cm.unitFirst + cm.units; ++u) {
      const std::array<double, kMachineStateCount> cur = unitTimes(u);
      for (int s = 0; s < kMachineStateCount; ++s) sum[s] += cur[s] - prevTimes_[u][s];
      prevTimes_[u] = cur;
    }
    const double denom = span * cm.units;
    for (int s = 0; s < kMachineStateCount; ++s) {
      sampleRows_.push_back(denom > 0 ? sum[s] / denom : std::numeric_limits<double>::quiet_NaN());
    }
  }
  const double next = o_.warmup + static_cast<double>(k + 1) * o_.sampleEvery;
  if (next <= o_.horizon) k_.scheduleAt(next, kSample, 0, k + 1);
}

PlantResult Sim::collect() {
  const double end = now();
  for (size_t i = 0; i < i_.size(); ++i) sync(static_cast<int>(i));
  PlantResult r;
  r.start = std::min(o_.warmup, end);
  r.end = end;
  r.events = k_.eventCount() + flowSteps_;
  r.fingerprint = flow_ ? k_.fingerprint() ^ flowFp_ : k_.fingerprint();
  if (flow_) flowFoldCounts();
  for (size_t m = 0; m < c_.machines.size(); ++m) {
    const CMachine& cm = c_.machines[m];
    MachineResult mr;
    mr.line = c_.lineNames[cm.line];
    mr.name = c_.machineNames[m];
    mr.units = cm.units;
    if (flow_) {
      flowCollect(static_cast<int>(m), &mr);
      r.machines.push_back(std::move(mr));
      r.machineLine.push_back(cm.line);
      continue;
    }
    for (int u = cm.unitFirst; u < cm.unitFirst + cm.units; ++u) {
      MRun& x = m_[u];
      x.acc[x.state] += end - x.since;
      x.since = end;
      for (int s = 0; s < kMachineStateCount; ++s) mr.time[s] += x.acc[s];
      mr.produced += x.produced;
      mr.scrapped += x.scrapped;
      mr.failures += x.failures;
      mr.repairs += x.repairs;
      mr.repairTime += x.repairTime;
      mr.idealTime += x.idealTime;
      for (int s = 0; s < kMachineStateCount; ++s) mr.energyKwh += x.acc[s] * cm.powerKw[s] / kHour;
    }
    r.machines.push_back(std::move(mr));
    r.machineLine.push_back(cm.line);
  }
  for (size_t li = 0; li < l_.size(); ++li) {
    const LRun& L = l_[li];
    LineResult lr;
    lr.name = c_.lineNames[li];
    lr.entered = L.entered;
    lr.good = L.good;
    lr.scrapped = L.scrapped;
    lr.departures = L.departures;
    lr.lostArrivals = L.lost;
    lr.flowTimeSum = L.flowTimeSum;
    lr.wipAverage = L.wip.mean(end);
    if (flow_) {
      const FLine& F = fl_[li];
      lr.entered = F.entered;
      lr.good = F.good;
      lr.scrapped = F.scrapped;
      lr.departures = F.good + F.scrapped;
      lr.flowTimeSum = F.flowTimeSum;
      lr.wipAverage = end > r.start ? F.wipArea / (end - r.start) : 0.0;
    }
    lr.bottleneck = c_.lines[li].bottleneck;
    r.lines.push_back(std::move(lr));
  }
  for (size_t i = 0; i < i_.size(); ++i) {
    IRun& I = i_[i];
    const CInventory& ci = c_.inventories[i];
    InventoryResult ir;
    ir.site = c_.sites[ci.site];
    ir.product = c_.products[ci.product];
    ir.avgOnHand = I.onHandAvg.mean(end);
    ir.avgBacklog = I.backlogAvg.mean(end);
    ir.zeroStockTime = I.zeroTime + (I.zeroSince >= 0 ? end - I.zeroSince : 0.0);
    ir.replenishments = I.replenishments;
    ir.backupOrders = I.backupOrders;
    ir.customerOrders = I.customerOrders;
    ir.unitsDemanded = I.unitsDemanded;
    ir.unitsFromStock = I.unitsFromStock;
    ir.stockouts = I.stockouts;
    ir.lostUnits = I.lostUnits;
    ir.ordersOnTime = I.onTime;
    ir.ordersLate = I.late;
    for (const Open& o : I.backlog) {
      if (o.lane < 0 && o.due <= end) ++ir.ordersLate;  // open and past due: late
    }
    r.inventories.push_back(std::move(ir));
  }
  if (!sampleTimes_.empty()) collectSeries(r);
  if (o_.traceLimit > 0) collectTrace(r);
  return r;
}

std::string Sim::inventoryName(int i) const {
  const CInventory& ci = c_.inventories[i];
  return c_.products[ci.product] + "@" + c_.sites[ci.site];
}

std::string Sim::machineName(int m) const {
  return c_.lineNames[c_.machines[m].line] + "/" + c_.machineNames[m];
}

std::string Sim::unitName(int u) const {
  const int m = c_.units[u].machine;
  const int k = u - c_.machines[m].unitFirst;
  return k == 0 ? machineName(m) : machineName(m) + "~" + std::to_string(k);
}

void Sim::collectSeries(PlantResult& r) const {
  std::vector<std::string> names;
  for (size_t i = 0; i < i_.size(); ++i) {
    const std::string p = "inventory:" + inventoryName(static_cast<int>(i)) + ":";
    for (const char* s : {"on_hand", "backlog", "on_order"}) names.push_back(p + s);
  }
  for (size_t li = 0; li < l_.size(); ++li) {
    for (const char* s : {"wip", "good"}) names.push_back("line:" + c_.lineNames[li] + ":" + s);
  }
  for (size_t m = 0; m < c_.machines.size(); ++m) {
    const std::string p = "machine:" + machineName(static_cast<int>(m)) + ":";
    for (int s = 0; s < kMachineStateCount; ++s) {
      names.push_back(p + machineStateName(static_cast<MachineState>(s)));
    }
  }
  const size_t n = names.size(), rows = sampleTimes_.size();
  r.series.times = sampleTimes_;
  r.series.series.resize(n);
  for (size_t j = 0; j < n; ++j) {
    Series& s = r.series.series[j];
    s.name = std::move(names[j]);
    s.values.resize(rows);
    for (size_t k = 0; k < rows; ++k) s.values[k] = sampleRows_[k * n + j];
  }
}

void Sim::collectTrace(PlantResult& r) const {
  r.traceDropped = traceDropped_;
  r.trace.reserve(trace_.size());
  for (const TraceRec& t : trace_) {
    TraceEvent e;
    e.time = t.time;
    e.kind = t.kind;
    e.value = t.value;
    switch (t.kind) {
      case TraceKind::kFailure:
      case TraceKind::kRepair:
        e.subject = unitName(t.subject);
        e.detail = c_.failureNames[t.detail];
        break;
      case TraceKind::kOutageStart:
      case TraceKind::kOutageEnd:
        e.subject = machineName(t.subject);
        break;
      case TraceKind::kStockout:
        e.subject = inventoryName(t.subject);
        e.detail = c_.demandNames[t.detail];
        break;
      case TraceKind::kReplenishment: {
        const CInventory& ci = c_.inventories[t.subject];
        e.subject = inventoryName(t.subject);
        switch (ci.source) {
          case Source::kLine: e.detail = "line:" + c_.lineNames[t.detail]; break;
          case Source::kLane: e.detail = "lane:" + c_.laneNames[t.detail]; break;
          case Source::kSupplier:
            e.detail = (t.detail == ci.primary ? "supplier:" : "backup:") +
                       c_.supplierNames[t.detail];
            break;
          case Source::kNone: break;
        }
        break;
      }
      case TraceKind::kSupplierWait:
        e.subject = inventoryName(t.subject);
        e.detail = c_.supplierNames[t.detail];
        break;
      case TraceKind::kLaneDelay:
        e.subject = c_.laneNames[t.subject];
        e.detail = inventoryName(t.detail);
        break;
    }
    r.trace.push_back(std::move(e));
  }
}

}  // namespace

PlantResult Plant::run(const RunOptions& options) const {
  Sim sim(*c_, options);
  return sim.run();
}

// ---------------------------------------------------------------------------------------------
// KPIs.

double Kpis::get(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return values[i];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

namespace {

double ratio(double a, double b) {
  return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN();
}

struct Oee {
  double availability, performance, quality;
};

Oee machineOee(const MachineResult& m) {
  auto t = [&](MachineState s) { return m.time[static_cast<int>(s)]; };
  double total = 0;
  for (double x : m.time) total += x;
  const double pbt = total - t(MachineState::kOff) - t(MachineState::kPlannedDown);
  const double apt = t(MachineState::kBusy);
  return {ratio(apt, pbt), ratio(m.idealTime, apt),
          ratio(static_cast<double>(m.produced - m.scrapped), static_cast<double>(m.produced))};
}

}  // namespace

Kpis computeKpis(const PlantResult& r) {
  Kpis k;
  auto put = [&](std::string name, double v) {
    k.names.push_back(std::move(name));
    k.values.push_back(v);
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> lineEnergy(r.lines.size(), 0.0);
  double plantEnergy = 0;
  for (size_t i = 0; i < r.machines.size(); ++i) {
    const MachineResult& m = r.machines[i];
    const std::string p = "machine:" + m.line + "/" + m.name + ":";
    const Oee o = machineOee(m);
    double total = 0;
    for (double x : m.time) total += x;
    const double operating = m.time[static_cast<int>(MachineState::kBusy)] +
                             m.time[static_cast<int>(MachineState::kSetup)];
    put(p + "availability", o.availability);
    put(p + "performance", o.performance);
    put(p + "quality", o.quality);
    put(p + "oee", o.availability * o.performance * o.quality);
    // ISO 22400-2: MTBF = (1 / (FE + 1)) * sum of operating time between failures.
    put(p + "mtbf_h", operating / static_cast<double>(m.failures + 1) / kHour);
    put(p + "mttr_h", m.repairs > 0 ? m.repairTime / static_cast<double>(m.repairs) / kHour : nan);
    put(p + "failures", static_cast<double>(m.failures));
    put(p + "energy_kwh", m.energyKwh);
    for (MachineState s : {MachineState::kBusy, MachineState::kSetup, MachineState::kDown,
                           MachineState::kBlocked, MachineState::kStarved, MachineState::kIdle,
                           MachineState::kOff, MachineState::kPlannedDown}) {
      put(p + machineStateName(s), ratio(m.time[static_cast<int>(s)], total));
    }
    lineEnergy[r.machineLine[i]] += m.energyKwh;
    plantEnergy += m.energyKwh;
  }
  const double hours = (r.end - r.start) / kHour;
  int64_t plantGood = 0;
  size_t firstMachine = 0;
  for (size_t li = 0; li < r.lines.size(); ++li) {
    const LineResult& l = r.lines[li];
    const std::string p = "line:" + l.name + ":";
    // Line OEE at the constraint machine (largest planned run time), quality at the line exit.
    const Oee b = machineOee(r.machines[firstMachine + l.bottleneck]);
    const double quality = ratio(static_cast<double>(l.good), static_cast<double>(l.departures));
    put(p + "throughput_per_h", ratio(static_cast<double>(l.good), hours));
    put(p + "good", static_cast<double>(l.good));
    put(p + "wip", l.wipAverage);
    put(p + "flow_time_h", ratio(l.flowTimeSum, static_cast<double>(l.departures)) / kHour);
    put(p + "fpy", quality);
    put(p + "availability", b.availability);
    put(p + "performance", b.performance);
    put(p + "quality", quality);
    put(p + "oee", b.availability * b.performance * quality);
    put(p + "energy_per_good_kwh", ratio(lineEnergy[li], static_cast<double>(l.good)));
    plantGood += l.good;
    while (firstMachine < r.machineLine.size() && r.machineLine[firstMachine] == static_cast<int>(li)) {
      ++firstMachine;
    }
  }
  int64_t demanded = 0, fromStock = 0, onTime = 0, late = 0;
  double backlog = 0;
  for (const InventoryResult& i : r.inventories) {
    const std::string p = "inventory:" + i.product + "@" + i.site + ":";
    put(p + "fill_rate", ratio(static_cast<double>(i.unitsFromStock), static_cast<double>(i.unitsDemanded)));
    put(p + "on_time", ratio(static_cast<double>(i.ordersOnTime),
                             static_cast<double>(i.ordersOnTime + i.ordersLate)));
    put(p + "stockouts", static_cast<double>(i.stockouts));
    put(p + "avg_on_hand", i.avgOnHand);
    put(p + "avg_backlog", i.avgBacklog);
    put(p + "zero_stock", ratio(i.zeroStockTime, r.end - r.start));
    put(p + "replenishments", static_cast<double>(i.replenishments));
    put(p + "lost_units", static_cast<double>(i.lostUnits));
    demanded += i.unitsDemanded;
    fromStock += i.unitsFromStock;
    onTime += i.ordersOnTime;
    late += i.ordersLate;
    backlog += i.avgBacklog;
  }
  put("plant:good", static_cast<double>(plantGood));
  put("plant:energy_kwh", plantEnergy);
  put("plant:fill_rate", ratio(static_cast<double>(fromStock), static_cast<double>(demanded)));
  put("plant:on_time", ratio(static_cast<double>(onTime), static_cast<double>(onTime + late)));
  put("plant:backlog", backlog);
  return k;
}

}  // namespace weft::sim
