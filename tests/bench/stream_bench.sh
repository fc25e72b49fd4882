#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The streaming benchmark of issue 9 (docs/PERFORMANCE.md, "Streaming"):
# historian samples published at a fixed rate through a private Mosquitto
# broker into `weft stream` (mapping to the time-series table, the ledger in
# the store, the inferred graph kept up to date after each batch), with
#  - publish-to-queryable latency of marker samples (10 a second), seen by a
#    prober that opens the store as a separate reader and asks SPARQL for the
#    marker's ledger record (committed) and for its inferred type (reasoned);
#  - publish-to-commit latency of every message, from the ledger
#    (dt:committedAt) and the sample's own publish time (ts);
#  - sustained throughput: the lag weft reports every second stays bounded.
#
# Usage: tests/bench/stream_bench.sh [BUILD_DIR] [RATE...]
#   BUILD_DIR default build/release (weft and weft_stream_load built there);
#   RATE default "1000 10000" samples per second.
# Environment: WEFT_BENCH_SECONDS (default 30) per rate; WEFT_BENCH_DRAIN
# (default 30) seconds weft may take after the publisher; WEFT_BENCH_KEEP=1
# keeps the work folder; WEFT_BENCH_BATCH (default 5000), WEFT_BENCH_BATCH_MS
# (default 100) for the stream configuration (a batch closes 100 ms after its
# first message, so at 10,000/s it holds ~1,000; the cap binds only when weft
# is behind, where a batch takes what is waiting and commits group); WEFT_BENCH_NO_REASON=1 runs
# weft stream with --no-reason (storage without the closure);
# WEFT_BENCH_RULES=1 reasons the store with the domain rules of
# ontologies/rules (kept with each batch as well);
# WEFT_BENCH_NO_STREAM_ONTOLOGY=1 leaves ontologies/dt-stream.ttl out of the
# store (the ledger's nodes then get no inferred types); WEFT_BENCH_NO_PROBE=1
# runs without the prober (whose polls cost CPU), WEFT_BENCH_PROBE_MS (default
# 250) is the least time between the starts of two polls; WEFT_BENCH_SERVE=1 runs
# the pipeline inside `weft serve --stream` instead of `weft stream`, the prober
# asking the server's /sparql (no second process opens the store), and stops the
# server once the ledger has not grown for 8 s.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/release}
[ $# -gt 0 ] && shift
rates=("$@")
[ ${#rates[@]} -eq 0 ] && rates=(1000 10000)
seconds=${WEFT_BENCH_SECONDS:-30}
batch=${WEFT_BENCH_BATCH:-5000}
batch_ms=${WEFT_BENCH_BATCH_MS:-100}
weft=$build/weft
load=$build/weft_stream_load
for b in "$weft" "$load"; do
  [ -x "$b" ] || { echo "stream_bench.sh: $b is not built (cmake --build $build --target weft weft_stream_load)" >&2; exit 2; }
done
mosquitto_bin=$(command -v mosquitto || true)
[ -z "$mosquitto_bin" ] && [ -x /usr/sbin/mosquitto ] && mosquitto_bin=/usr/sbin/mosquitto
[ -n "$mosquitto_bin" ] || { echo "stream_bench.sh: mosquitto is not installed" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "stream_bench.sh: sqlite3 is not installed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/weft-stream-bench.XXXXXX")
# Private copies: a build replacing the binaries mid-run must not change them.
cp "$weft" "$load" "$work/"
weft=$work/weft
load=$work/weft_stream_load
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${WEFT_BENCH_KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A private broker on a free port of 127.0.0.1: no limit on queued messages,
# and up to 10,000 unacknowledged messages in flight to weft (the defaults,
# 1000 and 20, drop messages and cap a batch at 20; docs/streaming.md).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages 10000
set_tcp_nodelay true
log_dest file $work/mosquitto.log
CONF
"$mosquitto_bin" -c "$work/mosquitto.conf" >"$work/mosquitto.err" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.1
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mosquitto $("$mosquitto_bin" -h 2>/dev/null | head -1 | awk '{print $3}'); batch_max_messages $batch, batch_max_ms $batch_ms; $seconds s per rate"

for rate in "${rates[@]}"; do
  dir=$work/rate-$rate
  mkdir -p "$dir"
  store=$dir/store
  # A store holding the ontologies, reasoned: each batch then brings the
  # inferred graph up to date (as in the e2e test and the pharma pipeline).
  onto=("$root"/ontologies/*.ttl)
  if [ "${WEFT_BENCH_NO_STREAM_ONTOLOGY:-0}" = 1 ]; then
    onto=(); for f in "$root"/ontologies/*.ttl; do [ "$(basename "$f")" = dt-stream.ttl ] || onto+=("$f"); done
  fi
  "$weft" load -q --store "$store" --graph https://w3id.org/weft/graph/ontology "${onto[@]}" >/dev/null
  rules_flag=()
  [ "${WEFT_BENCH_RULES:-0}" = 1 ] && rules_flag=(--rules "$root/ontologies/rules")
  "$weft" reason -q --store "$store" "${rules_flag[@]}" >/dev/null 2>&1
  cat >"$dir/stream.json" <<CONF
{"client_id": "weft-bench-$rate", "batch_max_messages": $batch, "batch_max_ms": $batch_ms,
 "queue_max_messages": 20000, "routes": [{"topic": "bench/#", "kind": "historian-samples"}]}
CONF
  reason_flag=()
  [ "${WEFT_BENCH_NO_REASON:-0}" = 1 ] && reason_flag=(--no-reason)
  target=$store
  if [ "${WEFT_BENCH_SERVE:-0}" = 1 ]; then
    "$weft" serve --store "$store" --port 0 --port-file "$dir/port" --stream "$dir/stream.json" \
      --broker "mqtt://127.0.0.1:$port" "${reason_flag[@]}" 2>"$dir/stream.log" &
    spid=$!
    for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
    target=http://127.0.0.1:$(cat "$dir/port")
    # weft serve has no idle exit: stop it once the ledger has not grown for 8 s.
    ledger_count() {
      curl -s -H 'Accept: text/tab-separated-values' --data-urlencode \
        'query=PREFIX dt: <https://w3id.org/weft/dt#> SELECT (COUNT(?m) AS ?n) { GRAPH <https://w3id.org/weft/graph/stream> { ?m a dt:StreamMessage } }' \
        "$target/sparql" | tail -1 | sed 's/"//g; s/\^\^.*//'
    }
    ( sleep "$seconds"; last=-1; still=0
      while [ $still -lt 8 ]; do sleep 1; n=$(ledger_count); if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0; last=$n; fi; done
      kill -TERM "$spid" ) &
  else
    "$weft" stream --store "$store" --broker "mqtt://127.0.0.1:$port" --config "$dir/stream.json" \
      --idle-exit 8 --progress 1 "${reason_flag[@]}" 2>"$dir/stream.log" &
    spid=$!
  fi
  pids+=($spid)
  for _ in $(seq 100); do grep -q connected "$dir/stream.log" && break; sleep 0.1; done
  : >"$dir/markers.tsv"
  ppid=
  if [ "${WEFT_BENCH_NO_PROBE:-0}" != 1 ]; then
    WEFT_PROBE_WAIT=$(( ${WEFT_BENCH_DRAIN:-30} + 5 )) WEFT_PROBE_INTERVAL_MS=${WEFT_BENCH_PROBE_MS:-250} \
      WEFT_PROBE_NO_REASON=${WEFT_BENCH_NO_REASON:-0} \
      python3 "$here/stream_probe.py" "$weft" "$target" "$dir/markers.tsv" "$dir/probe.tsv" "$dir/load.done" \
      >"$dir/probe.log" 2>&1 &
    ppid=$!
    pids+=($ppid)
  fi
  "$load" --port "$port" --rate "$rate" --seconds "$seconds" --markers "$dir/markers.tsv" >"$dir/load.log" 2>&1 ||
    echo "publisher failed: $(cat "$dir/load.log")"
  touch "$dir/load.done"
  # weft stops 8 s after the last message; one that cannot keep up is
  # stopped (SIGTERM, a clean stop) WEFT_BENCH_DRAIN seconds after the
  # publisher finished, and what it committed by then is measured.
  for _ in $(seq $(( ${WEFT_BENCH_DRAIN:-30} * 10 ))); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$spid" 2>/dev/null; then
    echo "weft stream had not drained the broker ${WEFT_BENCH_DRAIN:-30} s after the publisher finished: stopped"
    kill -TERM "$spid"
  fi
  wait "$spid" || echo "weft stream exit $?: $(tail -3 "$dir/stream.log")"
  if [ -n "$ppid" ]; then wait "$ppid" || echo "prober exit $?: $(tail -3 "$dir/probe.log")"; fi

  # Every message: publish time (the sample's ts, epoch ms) to dt:committedAt.
  "$weft" query --store "$store" -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT ?m ?c WHERE { GRAPH <https://w3id.org/weft/graph/stream> { ?m dt:committedAt ?c } }' >"$dir/ledger.tsv"
  sqlite3 -separator $'\t' "$store/timeseries.sqlite" "SELECT doc, ts FROM samples" >"$dir/samples.tsv"
  echo "== $rate samples/s for $seconds s"
  echo "publisher: $(cat "$dir/load.log")"
  grep -E "weft stream: [0-9]+ batches" "$dir/stream.log" | sed 's/^/stream: /' || true
  python3 - "$dir" "$rate" <<'PY'
import sys, datetime, statistics
d, rate = sys.argv[1], int(sys.argv[2])
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")
def ms(text):
    text = text.strip().strip('"').split('"^^')[0]
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000
committed = {}
for line in open(f"{d}/ledger.tsv").read().splitlines()[1:]:
    m, c = line.split("\t")
    committed[m.strip("<>").rsplit(":", 1)[1]] = ms(c)
lat = []
for line in open(f"{d}/samples.tsv"):
    doc, ts = line.rstrip("\n").split("\t")
    key = doc.split(":", 1)[1]
    if key in committed:
        lat.append(committed[key] - int(ts))
print(f"messages in the ledger {len(committed)}, sample rows {sum(1 for _ in open(f'{d}/samples.tsv'))}")
if lat:
    print(f"publish -> commit (every message, ms): p50 {pct(lat, 50):.0f}, p99 {pct(lat, 99):.0f}, max {max(lat):.0f}")
import os
rows = [l.rstrip("\n").split("\t") for l in open(f"{d}/probe.tsv")][1:] if os.path.exists(f"{d}/probe.tsv") else []
for col, name in ((2, "committed (ledger record visible to a new reader)"), (3, "reasoned (inferred type visible)")):
    v = [float(r[col]) for r in rows if r[col] != ""]
    u = [float(r[col + 2]) for r in rows if r[col + 2] != ""]
    missing = sum(1 for r in rows if r[col] == "")
    if v:
        print(f"publish -> {name}, {len(v)} markers (ms): p50 {pct(v, 50):.0f}, p99 {pct(v, 99):.0f}, "
              f"max {max(v):.0f} (upper bound, poll end: p50 {pct(u, 50):.0f}, p99 {pct(u, 99):.0f}); "
              f"never seen {missing}")
lags, queues = [], []
for line in open(f"{d}/stream.log"):
    if "lag " in line and "(stopped)" not in line:
        lags.append(float(line.split("lag ")[1].split(" s")[0]))
        queues.append(int(line.split("queue ")[1].split(",")[0]))
if lags:
    half = len(lags) // 2
    print(f"weft lag (progress lines, s): max {max(lags):.2f}, first half max {max(lags[:half] or [0]):.2f}, "
          f"second half max {max(lags[half:]):.2f}; queue max {max(queues)}")
PY
  if [ -n "$ppid" ]; then grep -E "^probe: [0-9]" "$dir/probe.log" || true; fi
done
