#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The twin benchmark plant of issue 8 written in SimPy 3 (Debian python3-simpy3).

It mirrors weft's benchmarkPlant(12) (tests/unit/sim/sim_models.h) as run by engine/sim/plant.cpp:
12 push lines of 4 machines in series with buffers of 5 (blocking after service), lots of 100
cycling over 5 products with a triangular changeover on every product change, lognormal cycle
times, a calendar Weibull "jam" failure on every machine, an operating-clock exponential "wear"
failure on the third machine, 1% scrap on the last, maintenance of 4 h every 14 days from day 3,
1 unit of raw material per unit released under (s,S) = (40000, 100000) from a primary supplier
interrupted on days [100, 142) (orders then go to a backup), finished goods at the plant shipped
over 3 lanes to 3 distribution centres under (s,S) = (800, 2500), and Poisson customer orders
per (centre, product) backordered with a due time of 3 days. Statistics cover [warm-up, horizon].

Events are counted two ways: `steps`, every event SimPy's kernel processes (Environment.step():
timeouts, process starts and ends, store puts/gets, interrupts), and `timeouts`, the timeouts
alone (the yields that advance a clock; the closest to weft's scheduled events).

Usage: twin_simpy.py [--reps 10] [--days 365] [--warmup-days 30] [--seed 1] [--tsv FILE]
"""
import argparse
import collections
import math
import random
import statistics
import sys
import time

import simpy

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
N_LINES, N_MACHINES, N_PRODUCTS = 12, 4, 5
LOT = 100
BUFFER = 5
# Machine states, as in engine/sim/plant.h (kOff and kIdle never occur in this model).
PLANNED, DOWN, SETUP, BUSY, BLOCKED, STARVED = range(6)


class CountingEnvironment(simpy.Environment):
    """Counts the events the kernel processes (one per step())."""

    def __init__(self):
        super().__init__()
        self.steps = 0
        self.timeouts = 0

    def step(self):
        self.steps += 1
        simpy.Environment.step(self)

    def timeout(self, delay, value=None):
        self.timeouts += 1
        return simpy.Environment.timeout(self, delay, value)


def lognormal_params(mean, sd):
    s2 = math.log(1 + sd * sd / (mean * mean))
    return math.log(mean) - s2 / 2, math.sqrt(s2)


class TimeAvg:
    """Time-weighted average of a piecewise-constant level."""

    def __init__(self, t, v=0.0):
        self.start = self.last = t
        self.v = v
        self.area = 0.0

    def set(self, t, v):
        self.area += self.v * (t - self.last)
        self.last, self.v = t, v

    def reset(self, t):
        self.start = self.last = t
        self.area = 0.0

    def mean(self, t):
        return (self.area + self.v * (t - self.last)) / (t - self.start) if t > self.start else 0.0


class Inventory:
    def __init__(self, env, name, initial, s=None, S=None):
        self.env, self.name = env, name
        self.on_hand, self.on_order, self.s, self.S = initial, 0, s, S
        self.backlog = collections.deque()  # [qty left, due, dest inventory or None, allocated]
        self.backlog_units = 0
        self.on_hand_avg = TimeAvg(0.0, initial)
        self.backlog_avg = TimeAvg(0.0, 0)
        self.reset()

    def reset(self):
        t = self.env.now
        self.on_hand_avg.reset(t)
        self.backlog_avg.reset(t)
        self.replenishments = self.backup_orders = 0
        self.demanded = self.from_stock = self.on_time = self.late = self.stockouts = 0

    def level(self):
        t = self.env.now
        self.on_hand_avg.set(t, self.on_hand)
        self.backlog_avg.set(t, self.backlog_units)

    def position(self):
        return self.on_hand + self.on_order - self.backlog_units


class Machine:
    def __init__(self, env, line, k):
        self.env, self.line, self.k = env, line, k
        self.unavailable = 0  # failures in repair + maintenance windows
        self.planned = self.down = 0
        self.up = None  # event triggered when the machine becomes available again
        self.running = False
        self.proc = None
        self.phase = STARVED
        self.op_left = math.inf  # operating-clock failure: time to failure left
        self.state, self.since = STARVED, 0.0
        self.acc = [0.0] * 6
        self.reset()

    def reset(self):
        self.acc = [0.0] * 6
        self.since = self.env.now
        self.produced = self.scrapped = self.failures = 0
        self.ideal = 0.0

    def update(self):
        if self.planned:
            s = PLANNED
        elif self.down:
            s = DOWN
        else:
            s = self.phase
        if s != self.state:
            now = self.env.now
            self.acc[self.state] += now - self.since
            self.since, self.state = now, s

    def go_down(self, planned):
        if self.unavailable == 0:
            self.up = self.env.event()
            if self.running:
                self.proc.interrupt()
        self.unavailable += 1
        if planned:
            self.planned += 1
        else:
            self.down += 1
        self.update()

    def go_up(self, planned):
        self.unavailable -= 1
        if planned:
            self.planned -= 1
        else:
            self.down -= 1
        if self.unavailable == 0:
            self.up.succeed()
        self.update()


class Plant:
    def __init__(self, seed, rep, horizon, warmup):
        self.env = env = CountingEnvironment()
        self.rng = rng = random.Random(seed * 1000003 + rep)
        self.horizon, self.warmup = horizon, warmup
        self.cycle = {}  # (k, p) -> (mu, sigma)
        self.pru = {}
        for k in range(N_MACHINES):
            for p in range(N_PRODUCTS):
                mean = 60 + 4 * p + 3 * k
                self.cycle[k, p] = lognormal_params(mean, 10)
                self.pru[k, p] = mean
        self.ttr_jam = lognormal_params(30 * MINUTE, 15 * MINUTE)
        self.rm = Inventory(env, "RM", 60000, 40000, 100000)
        self.rm_waiting = []  # events of lines waiting for raw material
        self.fg = [Inventory(env, "P%d@Plant" % p, 500) for p in range(N_PRODUCTS)]
        self.dc = [[Inventory(env, "P%d@DC%d" % (p, d + 1), 1000, 800, 2500)
                    for p in range(N_PRODUCTS)] for d in range(3)]
        self.inventories = [self.rm] + self.fg + [i for row in self.dc for i in row]
        self.lines = []
        for line in range(N_LINES):
            machines = [Machine(env, line, k) for k in range(N_MACHINES)]
            bufs = [simpy.Store(env, capacity=BUFFER) for _ in range(N_MACHINES - 1)]
            L = {"machines": machines, "bufs": bufs, "lot": 0, "left": LOT,
                 "wip": TimeAvg(0.0, 0), "n_wip": 0}
            self.lines.append(L)
            self.reset_line(L)
            for k, m in enumerate(machines):
                m.proc = env.process(self.machine(L, m))
                env.process(self.jam(m))
                if k == 2:
                    m.op_left = rng.expovariate(1 / (40 * HOUR))
                env.process(self.maintenance(m))
        rate = 0.55 * N_LINES * (DAY / 75.0) / (3.0 * N_PRODUCTS) / 20.0 / DAY  # orders/s
        for d in range(3):
            for p in range(N_PRODUCTS):
                env.process(self.demand(self.dc[d][p], p, d, rate))
        if warmup > 0:
            env.process(self.reset_at(warmup))

    # --- statistics -----------------------------------------------------------------------------
    def reset_line(self, L):
        t = self.env.now
        L["wip"].reset(t)
        L["good"] = L["scrapped"] = 0
        L["flow"] = 0.0

    def reset_at(self, t):
        yield self.env.timeout(t)
        for L in self.lines:
            self.reset_line(L)
            for m in L["machines"]:
                m.reset()
        for i in self.inventories:
            i.reset()

    # --- machines -------------------------------------------------------------------------------
    def work(self, m, duration, phase):
        """Setup or processing of `duration` seconds, paused while the machine is unavailable;
        processing also runs the operating clock of the wear failure (third machine)."""
        env = self.env
        m.phase = phase
        m.update()
        residual = duration
        while residual > 0:
            if m.unavailable:
                yield m.up
            dt, fail = residual, False
            wear = phase == BUSY and m.k == 2
            if wear and m.op_left < dt:
                dt, fail = m.op_left, True
            start = env.now
            m.running = True
            done = True
            try:
                yield env.timeout(dt)
            except simpy.Interrupt:
                done = False
            m.running = False
            el = env.now - start
            # A timeout that fired ends its stretch exactly (now + tiny == now in floating point).
            residual = 0.0 if done and not fail else max(0.0, residual - el)
            if wear:
                m.op_left -= el
                if fail and done:
                    m.op_left = 0
                    m.failures += 1
                    m.go_down(False)
                    env.process(self.wear_repair(m))

    def wear_repair(self, m):
        yield self.env.timeout(self.rng.gammavariate(2, 1 * HOUR))
        m.op_left = self.rng.expovariate(1 / (40 * HOUR))
        m.go_up(False)

    def jam(self, m):
        env, rng = self.env, self.rng
        yield env.timeout(rng.weibullvariate(8 * HOUR, 1.3))
        while True:
            m.failures += 1
            m.go_down(False)
            yield env.timeout(rng.lognormvariate(*self.ttr_jam))
            m.go_up(False)
            yield env.timeout(rng.weibullvariate(8 * HOUR, 1.3))

    def maintenance(self, m):
        env = self.env
        n = 0
        while True:
            yield env.timeout(3 * DAY + n * 14 * DAY - env.now)
            m.go_down(True)
            yield env.timeout(4 * HOUR)
            m.go_up(True)
            n += 1

    def release(self, L, m):
        """The first machine takes the next unit of the push cycle when raw material allows."""
        while self.rm.on_hand < 1:
            m.phase = STARVED
            m.update()
            ev = self.env.event()
            self.rm_waiting.append(ev)
            yield ev
        p = L["lot"]
        L["left"] -= 1
        if L["left"] <= 0:
            L["lot"] = (p + 1) % N_PRODUCTS
            L["left"] = LOT
        L["n_wip"] += 1
        L["wip"].set(self.env.now, L["n_wip"])
        self.rm.on_hand -= 1
        self.rm.level()
        self.check_policy(self.rm)
        return (p, self.env.now)

    def machine(self, L, m):
        env, rng = self.env, self.rng
        k = m.k
        last = None
        inbuf = L["bufs"][k - 1] if k > 0 else None
        outbuf = L["bufs"][k] if k < N_MACHINES - 1 else None
        while True:
            m.phase = STARVED
            m.update()
            if k == 0:
                part = yield from self.release(L, m)
            else:
                part = yield inbuf.get()
            p = part[0]
            if last is not None and last != p:
                yield from self.work(m, rng.triangular(5 * MINUTE, 20 * MINUTE, 10 * MINUTE), SETUP)
            last = p
            yield from self.work(m, rng.lognormvariate(*self.cycle[k, p]), BUSY)
            m.produced += 1
            m.ideal += self.pru[k, p]
            if k == N_MACHINES - 1:
                scrap = rng.random() < 0.01
                if scrap:
                    m.scrapped += 1
                self.depart(L, part, not scrap)
            else:
                m.phase = BLOCKED
                m.update()
                yield outbuf.put(part)

    def depart(self, L, part, good):
        now = self.env.now
        L["flow"] += now - part[1]
        L["n_wip"] -= 1
        L["wip"].set(now, L["n_wip"])
        if good:
            L["good"] += 1
            self.receive(self.fg[part[0]], 1)
        else:
            L["scrapped"] += 1

    # --- inventories ----------------------------------------------------------------------------
    def receive(self, inv, qty, ordered=False):
        if ordered:
            inv.on_order -= qty
        inv.on_hand += qty
        self.serve_backlog(inv)
        inv.level()
        if inv is self.rm and self.rm_waiting:
            waiting, self.rm_waiting = self.rm_waiting, []
            for ev in waiting:
                ev.succeed()

    def serve_backlog(self, inv):
        while inv.backlog and inv.on_hand > 0:
            o = inv.backlog[0]
            x = min(inv.on_hand, o[0])
            inv.on_hand -= x
            o[0] -= x
            inv.backlog_units -= x
            o[3] += x
            if o[0] == 0:
                if o[2] is None:
                    if self.env.now <= o[1]:
                        inv.on_time += 1
                    else:
                        inv.late += 1
                else:
                    self.ship(o[2], o[3])
                inv.backlog.popleft()

    def deliver(self, inv, qty, delay):
        yield self.env.timeout(delay)
        self.receive(inv, qty, True)

    def ship(self, dest, qty):
        delay = self.rng.triangular(1 * DAY, 4 * DAY, 2 * DAY)
        self.env.process(self.deliver(dest, qty, delay))

    def check_policy(self, inv):
        if inv.s is None:
            return
        pos = inv.position()
        if pos <= inv.s:
            self.place_order(inv, inv.S - pos)

    def place_order(self, inv, qty):
        env = self.env
        inv.on_order += qty
        inv.replenishments += 1
        if inv is self.rm:
            if 100 * DAY <= env.now < 142 * DAY:  # primary interrupted: the backup supplier
                inv.backup_orders += 1
                delay = self.rng.gammavariate(4, 1.0 * DAY)
            else:
                delay = self.rng.gammavariate(4, 0.5 * DAY)
            env.process(self.deliver(inv, qty, delay))
        else:  # a centre: an internal order at the plant's finished goods, one truck
            src = self.fg[int(inv.name[1])]
            take = min(max(src.on_hand, 0), qty) if not src.backlog else 0
            src.on_hand -= take
            if take == qty:
                self.ship(inv, qty)
            else:
                src.backlog.append([qty - take, math.inf, inv, take])
                src.backlog_units += qty - take
            src.level()

    def demand(self, inv, p, d, rate):
        env, rng = self.env, self.rng
        while True:
            yield env.timeout(rng.expovariate(rate))
            q = max(1, int(math.floor(rng.triangular(5, 35, 20) + 0.5)))
            inv.demanded += q
            take = min(max(inv.on_hand, 0), q) if not inv.backlog else 0
            inv.on_hand -= take
            inv.from_stock += take
            rest = q - take
            if rest == 0:
                inv.on_time += 1
            else:
                inv.stockouts += 1
                inv.backlog.append([rest, env.now + 3 * DAY, None, 0])
                inv.backlog_units += rest
            inv.level()
            self.check_policy(inv)

    # --- run and KPIs ---------------------------------------------------------------------------
    def run(self):
        self.env.run(until=self.horizon)
        return self.kpis()

    def kpis(self):
        t = self.env.now
        hours = (t - self.warmup) / HOUR
        for L in self.lines:
            for m in L["machines"]:
                m.acc[m.state] += t - m.since
                m.since = t
        tp, oee, avail, qual, wip, flow, blocked0, starved3, fails = ([] for _ in range(9))
        for L in self.lines:
            ms = L["machines"]
            b = ms[N_MACHINES - 1]  # the constraint: largest mean cycle time
            total = sum(b.acc)
            pbt = total - b.acc[PLANNED]
            a = b.acc[BUSY] / pbt
            perf = b.ideal / b.acc[BUSY]
            dep = L["good"] + L["scrapped"]
            q = L["good"] / dep
            tp.append(L["good"] / hours)
            oee.append(a * perf * q)
            avail.append(a)
            qual.append(q)
            wip.append(L["wip"].mean(t))
            flow.append(L["flow"] / dep / HOUR)
            blocked0.append(ms[0].acc[BLOCKED] / sum(ms[0].acc))
            starved3.append(ms[3].acc[STARVED] / sum(ms[3].acc))
            fails.extend(m.failures for m in ms)
        demanded = sum(i.demanded for i in self.inventories)
        from_stock = sum(i.from_stock for i in self.inventories)
        on_time = sum(i.on_time for i in self.inventories)
        late = sum(i.late for i in self.inventories)
        for i in self.inventories:  # open customer orders past due count as late
            late += sum(1 for o in i.backlog if o[2] is None and o[1] <= t)
        mean = statistics.fmean
        dcs = [i for row in self.dc for i in row]
        return collections.OrderedDict([
            ("throughput_per_h_line", mean(tp)),
            ("throughput_per_h_plant", sum(tp)),
            ("line0_throughput_per_h", tp[0]),
            ("oee_line", mean(oee)),
            ("availability_bottleneck", mean(avail)),
            ("quality_line", mean(qual)),
            ("wip_line", mean(wip)),
            ("flow_time_h", mean(flow)),
            ("m0_blocked", mean(blocked0)),
            ("m3_starved", mean(starved3)),
            ("failures_per_machine", mean(fails)),
            ("fill_rate", from_stock / demanded),
            ("on_time", on_time / (on_time + late)),
            ("backlog_units", sum(i.backlog_avg.mean(t) for i in self.inventories)),
            ("rm_avg_on_hand", self.rm.on_hand_avg.mean(t)),
            ("rm_replenishments", self.rm.replenishments),
            ("fg_plant_avg_on_hand", mean(i.on_hand_avg.mean(t) for i in self.fg)),
            ("dc_avg_on_hand", mean(i.on_hand_avg.mean(t) for i in dcs)),
        ])


def t_quantile(p, df):
    """Student t quantile by the Cornish-Fisher expansion around the normal (good to ~1e-3 for
    df >= 3, which is all this script needs; no SciPy dependency)."""
    z = statistics.NormalDist().inv_cdf(p)
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--days", type=float, default=365)
    ap.add_argument("--warmup-days", type=float, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tsv")
    a = ap.parse_args()
    rows, steps, timeouts, walls = [], 0, 0, []
    for r in range(a.reps):
        plant = Plant(a.seed, r, a.days * DAY, a.warmup_days * DAY)
        t0 = time.perf_counter()
        rows.append(plant.run())
        w = time.perf_counter() - t0
        walls.append(w)
        steps += plant.env.steps
        timeouts += plant.env.timeouts
        print("replication %d: %d steps, %d timeouts in %.2f s: %.0f steps/s" %
              (r, plant.env.steps, plant.env.timeouts, w, plant.env.steps / w), file=sys.stderr)
    wall = sum(walls)
    print("%d replications of %g days: %.2f s (%.2f s per replication), %d steps (%.0f/s), "
          "%d timeouts (%.0f/s)" % (a.reps, a.days, wall, wall / a.reps, steps, steps / wall,
                                    timeouts, timeouts / wall))
    out = open(a.tsv, "w") if a.tsv else None
    if out:
        out.write("# reps\t%d\n# days\t%g\n# warmup_days\t%g\n# wall_s\t%.6f\n# steps\t%d\n"
                  "# timeouts\t%d\n" % (a.reps, a.days, a.warmup_days, wall, steps, timeouts))
        out.write("kpi\tmean\thalf_width\tsd\tn\n")
    print("%-26s %14s %12s %6s" % ("kpi", "mean", "95% +/-", "n"))
    for name in rows[0]:
        xs = [row[name] for row in rows]
        m = statistics.fmean(xs)
        sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
        hw = t_quantile(0.975, len(xs) - 1) * sd / math.sqrt(len(xs)) if len(xs) > 1 else 0.0
        print("%-26s %14.5g %12.4g %6d" % (name, m, hw, len(xs)))
        if out:
            out.write("%s\t%.10g\t%.10g\t%.10g\t%d\n" % (name, m, hw, sd, len(xs)))
    if out:
        out.close()


if __name__ == "__main__":
    main()
