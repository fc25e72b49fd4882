#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The twin benchmark of issue 8: weft's simulator against the same plant in SimPy 3
# (docs/PERFORMANCE.md, "Twin: the simulator against SimPy 3"). Builds weft_twin_bench (or uses
# WEFT_BENCH_BUILD), then on one core (taskset -c 0) one replication of each, then weft's
# WEFT_REPS replications on 2 threads and SimPy's SIMPY_REPS replications (one core), and writes
# bench-data/twin-bench.md with events/s, wall times and the KPI comparison.
#
# Environment: WEFT_BENCH_BUILD (build dir, default build/release), WEFT_REPS (1000),
# SIMPY_REPS (3), DAYS (365), WARMUP_DAYS (30), PYTHON (a python3 that imports simpy 3;
# default: the first of python3, /usr/bin/python3 that does). Needs python3-simpy3 (Debian).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${WEFT_BENCH_BUILD:-build/release}
WEFT_REPS=${WEFT_REPS:-1000}
SIMPY_REPS=${SIMPY_REPS:-3}
DAYS=${DAYS:-365}
WARMUP_DAYS=${WARMUP_DAYS:-30}
OUT=bench-data
mkdir -p "$OUT"

if [[ -z "${WEFT_BENCH_BUILD:-}" ]]; then
  cmake --build "$BUILD" -j2 --target weft_twin_bench
fi
if [[ -z "${PYTHON:-}" ]]; then
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import simpy, sys; sys.exit(0 if simpy.__version__.startswith("3") else 1)' 2>/dev/null; then
      PYTHON=$p; break
    fi
  done
fi
if [[ -z "${PYTHON:-}" ]]; then
  echo "twin_bench.sh: no python3 with SimPy 3 (apt-get install python3-simpy3)" >&2
  exit 1
fi
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)

echo "== weft: 1 replication on one core (${PIN[*]:-unpinned})"
"${PIN[@]}" "$BUILD/weft_twin_bench" --reps 1 --threads 1 --days "$DAYS" \
  --warmup-days "$WARMUP_DAYS" --tsv "$OUT/twin-weft-1.tsv" | tee "$OUT/twin-weft-1.txt"
echo "== SimPy: 1 replication on one core"
"${PIN[@]}" "$PYTHON" tests/bench/twin_simpy.py --reps 1 --days "$DAYS" \
  --warmup-days "$WARMUP_DAYS" --tsv "$OUT/twin-simpy-1.tsv" | tee "$OUT/twin-simpy-1.txt"
echo "== weft: $WEFT_REPS replications on 2 threads"
"$BUILD/weft_twin_bench" --reps "$WEFT_REPS" --threads 2 --days "$DAYS" \
  --warmup-days "$WARMUP_DAYS" --tsv "$OUT/twin-weft.tsv" | tee "$OUT/twin-weft.txt"
if (( SIMPY_REPS > 1 )); then
  echo "== SimPy: $SIMPY_REPS replications on one core"
  "${PIN[@]}" "$PYTHON" tests/bench/twin_simpy.py --reps "$SIMPY_REPS" --days "$DAYS" \
    --warmup-days "$WARMUP_DAYS" --tsv "$OUT/twin-simpy.tsv" | tee "$OUT/twin-simpy.txt"
else
  cp "$OUT/twin-simpy-1.tsv" "$OUT/twin-simpy.tsv"
fi

"$PYTHON" - "$OUT" "$DAYS" "$WARMUP_DAYS" <<'PY'
import sys, os, datetime
out, days, warm = sys.argv[1], sys.argv[2], sys.argv[3]
def read(path):
    meta, rows = {}, {}
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#"):
            meta[f[0][2:]] = float(f[1])
        elif f[0] != "kpi":
            rows[f[0]] = [float(x) for x in f[1:]]
    return meta, rows
w1, _ = read(os.path.join(out, "twin-weft-1.tsv"))
s1, _ = read(os.path.join(out, "twin-simpy-1.tsv"))
wn, wk = read(os.path.join(out, "twin-weft.tsv"))
sn, sk = read(os.path.join(out, "twin-simpy.tsv"))
# The model's events (the event model's count: every machine operation, failure, order...,
# what SimPy's timeouts count) over the default run's wall time (flow lines compute the same
# operations without queueing them; the event model's own speed is reported beside it).
weft_rate = w1["model_events_1rep"] / w1["wall_1rep_s"]
weft_ev_rate = w1["model_events_1rep"] / w1["wall_event_model_1rep_s"]
simpy_steps = s1["steps"] / s1["wall_s"]
simpy_to = s1["timeouts"] / s1["wall_s"]
L = []
L.append("# Twin benchmark: weft against SimPy 3 (issue 8)\n")
L.append("%s, %s simulated days (warm-up %s), machine: %d cores, load average %s\n" % (
    datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), days, warm,
    os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
L.append("## Speed, one core (taskset -c 0)\n")
L.append("| | events | wall (s) | events/s |\n|---|---:|---:|---:|")
L.append("| weft (flow lines, the default; model events) | %d | %.3f | %.0f |" % (w1["model_events_1rep"], w1["wall_1rep_s"], weft_rate))
L.append("| weft, event model | %d | %.3f | %.0f |" % (w1["model_events_1rep"], w1["wall_event_model_1rep_s"], weft_ev_rate))
L.append("| SimPy 3, kernel steps | %d | %.2f | %.0f |" % (s1["steps"], s1["wall_s"], simpy_steps))
L.append("| SimPy 3, timeouts only | %d | %.2f | %.0f |" % (s1["timeouts"], s1["wall_s"], simpy_to))
L.append("")
L.append("- events/s ratio weft / SimPy: %.0fx (against SimPy timeouts), %.0fx (against all SimPy "
         "kernel steps); the event model alone: %.0fx" % (weft_rate / simpy_to, weft_rate / simpy_steps,
                                                       weft_ev_rate / simpy_to))
L.append("- wall time per simulated replication, SimPy / weft: %.0fx" %
         (s1["wall_s"] / w1["wall_1rep_s"]))
L.append("- weft %d replications on %d threads: %.1f s (%.3f s per replication); SimPy "
         "estimate for the same: %.0f s on one core\n" % (
             wn["reps"], wn["threads"], wn["wall_reps_s"], wn["wall_reps_s"] / wn["reps"],
             s1["wall_s"] * wn["reps"]))
L.append("## KPIs: weft (%d replications) against SimPy (%d replications), 95%% CIs\n" %
         (wn["reps"], sn["reps"]))
L.append("| KPI | weft mean | weft +/- | SimPy mean | SimPy +/- | CIs overlap (or z, 1 SimPy rep) |")
L.append("|---|---:|---:|---:|---:|:---:|")
for k, (m, hw, sd, n) in wk.items():
    if k not in sk:
        continue
    sm, shw, ssd, sn_ = sk[k]
    # With one SimPy replication there is no SimPy CI: judge its value by weft's replication SD.
    if sn_ > 1:
        ok = "yes" if abs(m - sm) <= hw + shw else "NO"
    else:
        ok = "z=%+.2f" % ((sm - m) / sd) if sd > 0 else "-"
    L.append("| %s | %.5g | %.3g | %.5g | %.3g | %s |" % (k, m, hw, sm, shw, ok))
text = "\n".join(L) + "\n"
open(os.path.join(out, "twin-bench.md"), "w").write(text)
print(text)
PY
