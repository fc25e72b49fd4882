#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The mapping benchmark (issue 4; figures in docs/PERFORMANCE.md):
#
#   tests/bench/map_bench.sh [--shipments N] [--peer-shipments M] [--tenx] [--skip-peer]
#
#   --shipments N       rows of shipments.csv (default 1000000); batches = N/10,
#                       in JSON and in XML; about 9 triples per shipment
#   --peer-shipments M  size of the same-run comparison with RocketRML
#                       (default 100000: RocketRML holds everything in memory)
#   --tenx              also map 10 x N shipments with the same default
#                       --memory-limit (the bounded-memory check)
#   --skip-peer         leave out RocketRML
#
# Builds weft and weft_gen_map in build-bench/ (Release), generates
# bench-data/map-N/ once, then runs `weft map MAPPING -o OUT.nq` for the
# CSV+JSON and CSV+XML mappings under GNU time (/usr/bin/time -v): CPU
# seconds (user + system), peak RSS, and triples (lines of OUT.nq). The
# peer, RocketRML (npm, tests/bench/rocketrml; `npm install` there first),
# runs the legacy-vocabulary form of the same mappings. The report (Markdown)
# goes to standard output and to bench-data/map-bench-N.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=1000000
M=100000
TENX=0
PEER=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shipments) N=$2; shift 2 ;;
    --peer-shipments) M=$2; shift 2 ;;
    --tenx) TENX=1; shift ;;
    --skip-peer) PEER=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "map_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
BUILD="$ROOT/build-bench"
DATA="$ROOT/bench-data"
WORK="$DATA/map-bench-work"
mkdir -p "$WORK"
log() { echo "map_bench: $*" >&2; }
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 1; }

log "building weft and weft_gen_map in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_BENCH=ON >"$WORK/cmake.log" 2>&1
cmake --build "$BUILD" -j2 --target weft weft_gen_map >"$WORK/build.log" 2>&1
WEFT="$BUILD/weft"
GEN="$BUILD/weft_gen_map"

data() {  # data N -> directory with the inputs for N shipments
  local d="$DATA/map-$1"
  if [[ ! -s "$d/shipments.csv" ]]; then
    log "generating $d"
    mkdir -p "$d"
    "$GEN" --shipments "$1" --dir "$d" 2>>"$WORK/gen.log"
  fi
  echo "$d"
}

# run NAME DIR CMD...: runs CMD in DIR under GNU time; sets CPU, RSS_MB, TRIPLES.
run() {
  local name=$1 dir=$2
  shift 2
  local out="$WORK/$name.nq"
  (cd "$dir" && /usr/bin/time -v "$@" "$out" >"$WORK/$name.out" 2>"$WORK/$name.err") || {
    log "$name failed (see $WORK/$name.err)"
    CPU=""; RSS_MB=""; TRIPLES=""
    return 0
  }
  local user sys rss
  user=$(awk -F': ' '/User time/ {print $2}' "$WORK/$name.err")
  sys=$(awk -F': ' '/System time/ {print $2}' "$WORK/$name.err")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/$name.err")
  CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  RSS_MB=$(awk -v r="$rss" 'BEGIN { printf "%.0f", r / 1024 }')
  TRIPLES=$(wc -l <"$out")
  rm -f "$out"
}

rate() { awk -v t="$1" -v c="$2" 'BEGIN { if (c > 0) printf "%.0f", t / c; else print "-" }'; }

ROWS=()
row() {  # row WHAT SHIPMENTS
  ROWS+=("| $1 | $2 | ${TRIPLES:--} | ${CPU:--} | $(rate "${TRIPLES:-0}" "${CPU:-0}") | ${RSS_MB:--} |")
}

D=$(data "$N")
cat "$D"/* >/dev/null  # page cache
for f in json xml; do
  log "weft map, CSV + ${f^^}, $N shipments"
  run "weft-$f-$N" "$D" "$WEFT" map -q "map-$f.ttl" -o
  row "weft, CSV + ${f^^}" "$N"
done
if [[ $TENX -eq 1 ]]; then
  D10=$(data $((N * 10)))
  for f in json xml; do
    log "weft map, CSV + ${f^^}, $((N * 10)) shipments (same default --memory-limit)"
    run "weft-$f-$((N * 10))" "$D10" "$WEFT" map -q "map-$f.ttl" -o
    row "weft, CSV + ${f^^}" "$((N * 10))"
  done
fi
PEER_NOTE=""
if [[ $PEER -eq 1 ]]; then
  if [[ -d "$ROOT/tests/bench/rocketrml/node_modules/rocketrml" ]] && command -v node >/dev/null; then
    DM=$(data "$M")
    for f in json xml; do
      log "weft and RocketRML, CSV + ${f^^}, $M shipments"
      run "weft-$f-$M" "$DM" "$WEFT" map -q "map-$f.ttl" -o
      row "weft, CSV + ${f^^}" "$M"
      W_CPU=$CPU
      run "rocketrml-$f-$M" "$DM" node "$ROOT/tests/bench/rocketrml/map.mjs" "map-$f-legacy.ttl"
      row "RocketRML $(node -p "require('$ROOT/tests/bench/rocketrml/node_modules/rocketrml/package.json').version"), CSV + ${f^^}" "$M"
      if [[ -n "$CPU" && -n "$W_CPU" ]]; then
        PEER_NOTE+="${PEER_NOTE:+; }CSV + ${f^^}: RocketRML used $(awk -v a="$CPU" -v b="$W_CPU" 'BEGIN { printf "%.1f", a / b }')x weft's CPU time at $M shipments"
      fi
    done
  else
    PEER_NOTE="RocketRML not installed (cd tests/bench/rocketrml && npm install)"
  fi
fi

REPORT="$DATA/map-bench-$N.md"
{
  echo "## Mapping benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`tests/bench/map_bench.sh --shipments $N$([[ $TENX -eq 1 ]] && echo " --tenx")\`; weft $(git -C "$ROOT" rev-parse --short HEAD), default \`--memory-limit\` (256 MiB)."
  echo
  echo "| engine, inputs | shipments | triples | CPU s | triples per CPU-second | peak RSS MB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Peer: ${PEER_NOTE:-not run}."
} | tee "$REPORT"
