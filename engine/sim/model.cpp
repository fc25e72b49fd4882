// SPDX-License-Identifier: Apache-2.0
// Validation of the twin's model: every missing reference and contradiction, by name.
#include "engine/sim/model.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace weft::sim {

namespace {

class Problems {
 public:
  void add(std::string what) { list_.push_back(std::move(what)); }
  void add(const Status& s) {
    if (!s.isOk()) list_.push_back(s.message());
  }
  Status status() const {
    if (list_.empty()) return Status::ok();
    std::string m = std::to_string(list_.size()) + " problem(s) in the model:";
    for (const std::string& p : list_) m += "\n  " + p;
    return Status::invalidArgument(std::move(m));
  }

 private:
  std::vector<std::string> list_;
};

std::string q(const std::string& s) { return "'" + s + "'"; }

void checkWindows(const std::vector<Window>& ws, const std::string& what, Problems& p) {
  for (const Window& w : ws) {
    if (!std::isfinite(w.start) || !std::isfinite(w.end) || w.end < w.start) {
      p.add(what + ": window [" + std::to_string(w.start) + ", " + std::to_string(w.end) +
            ") ends before it starts");
    }
  }
}

void checkNames(const std::vector<std::string>& names, const char* kind, Problems& p) {
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (n.empty()) p.add(std::string(kind) + " with an empty name");
    else if (!seen.insert(n).second) p.add(std::string(kind) + " " + q(n) + " is defined twice");
  }
}

}  // namespace

Status validate(const Model& m) {
  Problems p;
  const std::set<std::string> sites(m.sites.begin(), m.sites.end());
  const std::set<std::string> products(m.products.begin(), m.products.end());
  checkNames(m.sites, "site", p);
  checkNames(m.products, "product", p);
  auto isProduct = [&](const std::string& n) { return products.count(n) > 0; };
  auto productOrAny = [&](const std::string& n) { return n == "*" || isProduct(n); };

  std::set<std::string> matrices;
  {
    std::vector<std::string> names;
    for (const SetupMatrix& s : m.setupMatrices) names.push_back(s.name);
    checkNames(names, "setup matrix", p);
    matrices.insert(names.begin(), names.end());
  }
  for (const SetupMatrix& s : m.setupMatrices) {
    const std::string what = "setup matrix " + q(s.name);
    for (const SetupMatrix::Entry& e : s.entries) {
      if (!productOrAny(e.from)) p.add(what + ": unknown product " + q(e.from));
      if (!productOrAny(e.to)) p.add(what + ": unknown product " + q(e.to));
      p.add(e.time.check(what + " " + e.from + " -> " + e.to));
    }
    if (s.otherwise.defined()) p.add(s.otherwise.check(what + " otherwise"));
  }

  std::set<std::string> suppliers, lanes;
  {
    std::vector<std::string> names;
    for (const Supplier& s : m.suppliers) names.push_back(s.name);
    checkNames(names, "supplier", p);
    suppliers.insert(names.begin(), names.end());
    names.clear();
    for (const Lane& l : m.lanes) names.push_back(l.name);
    checkNames(names, "lane", p);
    lanes.insert(names.begin(), names.end());
    names.clear();
    for (const Line& l : m.lines) names.push_back(l.name);
    checkNames(names, "line", p);
    names.clear();
    for (const Demand& d : m.demands) names.push_back(d.name);
    checkNames(names, "demand", p);
  }

  // Inventories by (site, product); the products each line makes.
  std::set<std::pair<std::string, std::string>> stock;
  std::map<std::string, std::set<std::string>> makes;  // line -> products
  for (const Inventory& inv : m.inventories) {
    const std::string what = "inventory " + q(inv.product + "@" + inv.site);
    if (!stock.insert({inv.site, inv.product}).second) p.add(what + " is defined twice");
    if (!sites.count(inv.site)) p.add(what + ": unknown site " + q(inv.site));
    if (!isProduct(inv.product)) p.add(what + ": unknown product " + q(inv.product));
    if (inv.initial < 0) p.add(what + ": negative initial stock");
    const int sources = !inv.line.empty() + !inv.primarySupplier.empty() + !inv.lane.empty();
    if (sources > 1) p.add(what + ": more than one source (line, supplier, lane): give one");
    if (sources == 0 && inv.policy != Policy::kNone) {
      p.add(what + ": has a reorder policy but no source (line, supplier or lane)");
    }
    if (inv.policy == Policy::kMinMax && inv.S <= inv.s) {
      p.add(what + ": (s,S) needs S > s (s=" + std::to_string(inv.s) +
            ", S=" + std::to_string(inv.S) + ")");
    }
    if (inv.policy == Policy::kPeriodic) {
      if (!(inv.reviewPeriod > 0)) p.add(what + ": (R,S) needs a review period > 0");
      if (inv.S <= 0) p.add(what + ": (R,S) needs S > 0");
    }
    if (!inv.backupSupplier.empty() && inv.primarySupplier.empty()) {
      p.add(what + ": backup supplier " + q(inv.backupSupplier) + " without a primary");
    }
    if (!inv.backupSupplier.empty() && inv.backupSupplier == inv.primarySupplier) {
      p.add(what + ": backup supplier is the primary supplier");
    }
    for (const std::string* s : {&inv.primarySupplier, &inv.backupSupplier}) {
      if (!s->empty() && !suppliers.count(*s)) p.add(what + ": unknown supplier " + q(*s));
    }
    if (!inv.lane.empty() && !lanes.count(inv.lane)) p.add(what + ": unknown lane " + q(inv.lane));
    if (!inv.line.empty()) makes[inv.line].insert(inv.product);
  }

  for (const Line& l : m.lines) {
    const std::string what = "line " + q(l.name);
    if (!sites.count(l.site)) p.add(what + ": unknown site " + q(l.site));
    if (l.machines.empty()) p.add(what + ": has no machines");
    if (l.buffers.size() + 1 != l.machines.size() && !l.machines.empty()) {
      p.add(what + ": " + std::to_string(l.machines.size()) + " machines need " +
            std::to_string(l.machines.size() - 1) + " buffer capacities, got " +
            std::to_string(l.buffers.size()));
    }
    for (int b : l.buffers) {
      if (b < 0) p.add(what + ": negative buffer capacity");
    }
    // Shifts.
    if (l.shifts.period < 0) p.add(what + ": negative shift period");
    if (l.shifts.period > 0) {
      if (l.shifts.on.empty()) p.add(what + ": shift pattern has no working window");
      double prev = 0;
      for (const Window& w : l.shifts.on) {
        if (!(w.start >= prev && w.end > w.start && w.end <= l.shifts.period)) {
          p.add(what + ": shift windows must be sorted, non-overlapping and inside the period");
          break;
        }
        prev = w.end;
      }
    }
    // Products made.
    std::set<std::string>& made = makes[l.name];
    switch (l.input) {
      case LineInput::kPush:
        if (l.pushCycle.empty()) p.add(what + ": push input without lots");
        for (const Lot& lot : l.pushCycle) {
          if (!isProduct(lot.product)) p.add(what + ": unknown product " + q(lot.product));
          if (lot.quantity <= 0) p.add(what + ": lot of " + q(lot.product) + " with quantity <= 0");
          made.insert(lot.product);
        }
        break;
      case LineInput::kArrivals:
        p.add(l.interarrival.check(what + " interarrival"));
        if (l.interarrival.defined() && !(l.interarrival.mean() > 0)) {
          p.add(what + ": interarrival time has mean <= 0");
        }
        if (!isProduct(l.arrivalProduct)) {
          p.add(what + ": unknown arrival product " + q(l.arrivalProduct));
        }
        made.insert(l.arrivalProduct);
        break;
      case LineInput::kOrders: break;
    }
    std::set<std::string> machineNames;
    for (const Machine& mc : l.machines) {
      const std::string mw = "machine " + q(l.name + "/" + mc.name);
      if (mc.name.empty()) p.add(what + ": a machine with an empty name");
      else if (!machineNames.insert(mc.name).second) p.add(mw + " is defined twice");
      for (const auto& [prod, d] : mc.cycleTime) {
        if (!productOrAny(prod)) p.add(mw + ": cycle time for unknown product " + q(prod));
        p.add(d.check(mw + " cycle time of " + prod));
        if (d.defined() && !(d.mean() > 0)) p.add(mw + ": cycle time of " + q(prod) + " has mean <= 0");
      }
      for (const std::string& prod : made) {
        if (!mc.cycleTime.count(prod) && !mc.cycleTime.count("*")) {
          p.add(mw + ": no cycle time for product " + q(prod) + " that the line makes");
        }
      }
      for (const auto& [prod, s] : mc.scrap) {
        if (!productOrAny(prod)) p.add(mw + ": scrap rate for unknown product " + q(prod));
        if (!(s >= 0 && s < 1)) p.add(mw + ": scrap probability must be in [0, 1)");
      }
      if (!mc.setupMatrix.empty() && !matrices.count(mc.setupMatrix)) {
        p.add(mw + ": unknown setup matrix " + q(mc.setupMatrix));
      }
      for (const FailureMode& f : mc.failures) {
        p.add(f.timeToFailure.check(mw + " failure " + q(f.name) + " time to failure"));
        if (f.timeToFailure.defined() && !(f.timeToFailure.mean() > 0)) {
          p.add(mw + ": failure " + q(f.name) + " has mean time to failure <= 0");
        }
        p.add(f.timeToRepair.check(mw + " failure " + q(f.name) + " time to repair"));
      }
      checkWindows(mc.maintenance, mw + " maintenance", p);
      checkWindows(mc.outages, mw + " outages", p);
      if (mc.parallel < 1) p.add(mw + ": parallel units must be >= 1");
      // Each unit has its own state and streams: a typo such as 1e9 would exhaust memory.
      if (mc.parallel > 10000) p.add(mw + ": parallel units must be <= 10000");
      const PeriodicWindow& pm = mc.periodicMaintenance;
      if (pm.interval < 0 || (pm.interval > 0 && !(pm.duration >= 0 && pm.duration < pm.interval))) {
        p.add(mw + ": periodic maintenance needs 0 <= duration < interval");
      }
      const Power& w = mc.power;
      for (double kw : {w.off, w.plannedDown, w.down, w.setup, w.busy, w.blocked, w.starved, w.idle}) {
        if (!(kw >= 0)) {
          p.add(mw + ": negative or missing power");
          break;
        }
      }
    }
  }
  for (const auto& [line, prods] : makes) {
    bool found = false;
    for (const Line& l : m.lines) found |= l.name == line;
    if (!found) p.add("inventory refers to unknown line " + q(line));
  }
  for (const Inventory& inv : m.inventories) {
    if (inv.line.empty()) continue;
    for (const Line& l : m.lines) {
      if (l.name == inv.line && l.site != inv.site) {
        p.add("inventory " + q(inv.product + "@" + inv.site) + " is made by line " + q(l.name) +
              " at another site " + q(l.site));
      }
      if (l.name == inv.line && l.input != LineInput::kOrders) {
        p.add("inventory " + q(inv.product + "@" + inv.site) + " is replenished by line " +
              q(l.name) + ", which does not take orders (input is push or arrivals)");
      }
    }
  }

  std::set<std::string> bomProducts;
  for (const Bom& b : m.boms) {
    const std::string what = "bill of materials of " + q(b.product);
    if (!isProduct(b.product)) p.add(what + ": unknown product");
    if (!bomProducts.insert(b.product).second) p.add(what + " is defined twice");
    for (const Bom::Component& c : b.components) {
      if (!isProduct(c.product)) p.add(what + ": unknown component " + q(c.product));
      if (c.quantity <= 0) p.add(what + ": component " + q(c.product) + " with quantity <= 0");
      if (c.product == b.product) p.add(what + ": the product is its own component");
    }
    for (const Line& l : m.lines) {
      if (!makes[l.name].count(b.product)) continue;
      for (const Bom::Component& c : b.components) {
        if (!stock.count({l.site, c.product})) {
          p.add("line " + q(l.name) + " makes " + q(b.product) + " but site " + q(l.site) +
                " has no inventory of its component " + q(c.product));
        }
      }
    }
  }

  for (const Supplier& s : m.suppliers) {
    p.add(s.leadTime.check("supplier " + q(s.name) + " lead time"));
    checkWindows(s.interruptions, "supplier " + q(s.name) + " interruptions", p);
  }
  for (const Lane& l : m.lanes) {
    const std::string what = "lane " + q(l.name);
    if (!sites.count(l.from)) p.add(what + ": unknown origin site " + q(l.from));
    if (!sites.count(l.to)) p.add(what + ": unknown destination site " + q(l.to));
    if (l.from == l.to) p.add(what + ": origin and destination are the same site");
    p.add(l.leadTime.check(what + " lead time"));
    checkWindows(l.disruptions, what + " disruptions", p);
  }
  for (const Inventory& inv : m.inventories) {
    if (inv.lane.empty()) continue;
    for (const Lane& l : m.lanes) {
      if (l.name != inv.lane) continue;
      const std::string what = "inventory " + q(inv.product + "@" + inv.site);
      if (l.to != inv.site) p.add(what + ": lane " + q(l.name) + " goes to " + q(l.to));
      if (!stock.count({l.from, inv.product})) {
        p.add(what + ": lane " + q(l.name) + " starts at " + q(l.from) +
              ", which has no inventory of " + q(inv.product));
      }
    }
  }
  // Replenishment through lanes must end at a line or supplier, not loop.
  for (const Inventory& inv : m.inventories) {
    std::string site = inv.site;
    for (size_t hops = 0; hops <= m.inventories.size(); ++hops) {
      const Inventory* cur = nullptr;
      for (const Inventory& x : m.inventories) {
        if (x.site == site && x.product == inv.product) cur = &x;
      }
      if (!cur || cur->lane.empty()) break;
      const Lane* lane = nullptr;
      for (const Lane& l : m.lanes) {
        if (l.name == cur->lane) lane = &l;
      }
      if (!lane) break;
      site = lane->from;
      if (hops == m.inventories.size()) {
        p.add("inventory " + q(inv.product + "@" + inv.site) + " is replenished in a cycle of lanes");
      }
    }
  }

  for (const Demand& d : m.demands) {
    const std::string what = "demand " + q(d.name);
    if (!sites.count(d.site)) p.add(what + ": unknown site " + q(d.site));
    if (!isProduct(d.product)) p.add(what + ": unknown product " + q(d.product));
    if (!stock.count({d.site, d.product})) {
      p.add(what + ": site " + q(d.site) + " has no inventory of " + q(d.product));
    }
    if (!(d.ordersPerDay >= 0 && std::isfinite(d.ordersPerDay))) {
      p.add(what + ": orders per day must be >= 0");
    }
    p.add(d.quantity.check(what + " quantity"));
    if (!(d.dueAfter >= 0)) p.add(what + ": due time must be >= 0");
    std::vector<DemandChange> ch = d.changes;
    std::sort(ch.begin(), ch.end(),
              [](const DemandChange& a, const DemandChange& b) { return a.when.start < b.when.start; });
    for (size_t i = 0; i < ch.size(); ++i) {
      if (!(ch[i].when.end > ch[i].when.start)) p.add(what + ": an empty or reversed change window");
      if (!(ch[i].factor >= 0 && std::isfinite(ch[i].factor))) p.add(what + ": change factor must be >= 0");
      if (i > 0 && ch[i].when.start < ch[i - 1].when.end) {
        p.add(what + ": change windows overlap (contradictory factors)");
      }
    }
  }
  return p.status();
}

}  // namespace weft::sim
