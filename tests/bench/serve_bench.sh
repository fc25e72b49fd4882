#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The serving benchmark (docs/PERFORMANCE.md, "Serving"): `weft serve` under a
# bounded load of the pharma question pack, and Virtuoso under the same load
# on the same quads. Run by hand, not in CI: it installs Debian's
# virtuoso-opensource when missing (as root, services not started) and runs a
# private instance on 127.0.0.1 (virtuoso/virtuoso.sh). All traffic goes to
# 127.0.0.1.
#
#   tests/bench/serve_bench.sh [--clients 32] [--duration 60] [--warmup 5]
#                              [--max-ms 1000] [--profile small]
#                              [--max-concurrent 4] [--max-queued 64] [--timeout 30]
#                              [--probe-runs 5] [--probe-timeout 10] [--seed 42]
#                              [--skip-virtuoso] [--keep] [--build-dir DIR] [--no-build]
#
#   --clients N         concurrent clients of the load (default 32)
#   --duration S        measured seconds of each load run (default 60)
#   --warmup S          seconds before them, not counted (default 5)
#   --max-ms MS         a query is in the mix when its single-client median is at
#                       most MS on weft (and, for the common mix, on Virtuoso)
#                       (default 1000)
#   --profile P         weft_pharma_gen profile of the example store (default small)
#   --max-concurrent N, --max-queued N, --timeout S
#                       weft serve's limits in the policy (defaults 4, 64, 30 s); the
#                       same timeout is each request's limit in the load generator
#   --probe-runs K      single-client runs per query after one untimed run (default 5)
#   --probe-timeout S   limit per single-client request (default 10)
#   --seed N            the load generator's seed (default 42)
#   --skip-virtuoso     weft only
#   --keep              keep the store, the export and the Virtuoso database
#   --build-dir DIR     CMake build directory (default build-bench; the environment
#                       variable WEFT_BENCH_BUILD=DIR also sets it and skips configuring)
#   --no-build          use weft, weft_pharma_gen and weft_serve_load as they are
#
# Steps:
#   1. scripts/pharma-pipeline.sh builds the example store (generate, ingest,
#      reason, validate) in bench-data/serve-bench/pipeline/store;
#   2. `weft serve` with a policy (one regulator key, the limits above) answers
#      every question once untimed and K times timed from one client
#      (weft_serve_load --probe): the single-client latency and the rows;
#   3. `weft export --format nq` (every graph, the inferred graph included) is
#      bulk-loaded into Virtuoso (ld_dir, rdf_loader_run, checkpoint); Virtuoso
#      is restarted with NumberOfBuffers sized to hold its database (twice its
#      pages, at least the packaged 10000; VIRTUOSO_BUFFERS overrides) and
#      answers every question the same way, POSTed as a form (Virtuoso 7.2
#      does not answer a POST of application/sparql-query) without
#      default-graph-uri, so its default graph is the union of all graphs;
#   4. the mixes: the weft mix holds the questions weft answers in at most
#      --max-ms; the common mix those of them that Virtuoso also answers (HTTP
#      200, complete) in at most --max-ms. Row counts are compared for every
#      question both answered (reported, not fatal);
#   5. load runs, each on a freshly started server, the other one stopped:
#      weft on the common mix then on the weft mix (when it differs), Virtuoso
#      on the common mix. weft_serve_load: --clients keep-alive clients for
#      --duration s after --warmup s, each request limited to --timeout s.
#      Around each run: the server's VmRSS, RssAnon and VmHWM
#      (/proc/PID/status) and its CPU time (/proc/PID/stat).
# Output: a Markdown report on standard output and in
# bench-data/serve-bench.md; the load generator's reports (text, TSV, JSON)
# in bench-data/serve-bench/. Exit status 1 when a weft load run had errors.
# Needs: cmake and a C++20 compiler (or --no-build), curl; for Virtuoso
# apt-get (root) or virtuoso-t and isql-vt on the PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH="$ROOT/tests/bench"
DATA="$ROOT/bench-data"
CLIENTS=32
DURATION=60
WARMUP=5
MAX_MS=1000
PROFILE=small
MAX_CONCURRENT=4
MAX_QUEUED=64
TIMEOUT=30
PROBE_RUNS=5
PROBE_TIMEOUT=10
SEED=42
DO_VIRT=1
KEEP=0
BUILD="$ROOT/build-bench"
DO_BUILD=1
DO_CONFIGURE=1
if [[ -n "${WEFT_BENCH_BUILD:-}" ]]; then BUILD="$WEFT_BENCH_BUILD"; DO_CONFIGURE=0; fi

while [[ $# -gt 0 ]]; do
  case "$1" in
    --clients) CLIENTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --max-ms) MAX_MS="$2"; shift 2 ;;
    --profile) PROFILE="$2"; shift 2 ;;
    --max-concurrent) MAX_CONCURRENT="$2"; shift 2 ;;
    --max-queued) MAX_QUEUED="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --probe-runs) PROBE_RUNS="$2"; shift 2 ;;
    --probe-timeout) PROBE_TIMEOUT="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --skip-virtuoso) DO_VIRT=0; shift ;;
    --keep) KEEP=1; shift ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    -h|--help) sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve_bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in CLIENTS DURATION MAX_MS MAX_CONCURRENT MAX_QUEUED TIMEOUT PROBE_RUNS PROBE_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || { echo "serve_bench.sh: $v needs a positive integer" >&2; exit 2; }
done
[[ "$WARMUP" =~ ^[0-9]+$ && "$SEED" =~ ^[0-9]+$ ]] || { echo "serve_bench.sh: --warmup and --seed need integers" >&2; exit 2; }
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"

log() { echo "[serve_bench] $*" >&2; }
WORK="$DATA/serve-bench"
LOGS="$WORK/logs"
rm -rf "$WORK"
mkdir -p "$LOGS" "$WORK/bin" "$WORK/probe" "$WORK/load"
QDIR="$ROOT/examples/pharma-network/queries"

WEFT_PID=""
VIRT_DIR="$WORK/virtuoso-db"
VIRT_UP=0
V="$BENCH/virtuoso/virtuoso.sh"
stop_weft() {
  if [[ -n $WEFT_PID ]]; then
    kill -TERM "$WEFT_PID" 2>/dev/null || true
    wait "$WEFT_PID" 2>/dev/null || true
    WEFT_PID=""
  fi
}
stop_virtuoso() {
  if [[ $VIRT_UP -eq 1 ]]; then
    "$V" stop "$VIRT_DIR" >/dev/null 2>&1 || true
    VIRT_UP=0
  fi
}
cleanup() {
  stop_weft
  stop_virtuoso
  if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK/pipeline" "$WORK/export" "$VIRT_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v curl >/dev/null || { echo "serve_bench.sh: needs curl" >&2; exit 1; }

# ---------------------------------------------------------------- build
if [[ $DO_BUILD -eq 1 ]]; then
  if [[ $DO_CONFIGURE -eq 1 ]]; then
    log "configuring $BUILD (Release)"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_BENCH=ON >"$LOGS/cmake.log" 2>&1 ||
      { echo "CMake configure failed (see $LOGS/cmake.log)" >&2; exit 1; }
  fi
  log "building weft, weft_pharma_gen and weft_serve_load in $BUILD"
  cmake --build "$BUILD" -j2 --target weft weft_pharma_gen weft_serve_load >"$LOGS/build.log" 2>&1 ||
    { echo "the build failed (see $LOGS/build.log)" >&2; tail -20 "$LOGS/build.log" >&2; exit 1; }
fi
for b in weft weft_pharma_gen weft_serve_load; do
  [[ -x "$BUILD/$b" ]] || { echo "no $BUILD/$b (build it, or drop --no-build)" >&2; exit 1; }
  # Copies: a rebuild of the build directory during the run changes nothing.
  cp "$BUILD/$b" "$WORK/bin/$b"
done
WEFT="$WORK/bin/weft"
LOAD="$WORK/bin/weft_serve_load"

# ---------------------------------------------------------------- helpers
# status_of PID -> "VmRSS RssAnon VmHWM" in MiB
mem_of() {
  awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^VmHWM:/ { h = $2 }
       END { printf "%.0f %.0f %.0f\n", r / 1024, a / 1024, h / 1024 }' "/proc/$1/status"
}
TICK=$(getconf CLK_TCK)
cpu_of() { awk -v t="$TICK" '{ printf "%.2f\n", ($14 + $15) / t }' "/proc/$1/stat"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
free_port() {  # free_port FROM: the first port from FROM on that nothing listens on
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
# tsv_get FILE SCOPE COLUMN: one value of a weft_serve_load --tsv file
tsv_get() {
  awk -F'\t' -v s="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == s { print $(col[c]); exit }' "$1"
}
# probe_get FILE QUERY COLUMN: one value of a --probe output
probe_get() { tsv_get "$1" "$2" "$3"; }

# ---------------------------------------------------------------- 1. the store
PIPE="$WORK/pipeline"
log "building the example store (scripts/pharma-pipeline.sh, profile $PROFILE)"
t0=$(date +%s)
PIPE_NOTE=""
if ! "$ROOT/scripts/pharma-pipeline.sh" "$WEFT" "$WORK/bin/weft_pharma_gen" "$PIPE" "$PROFILE" >"$LOGS/pipeline.log" 2>&1; then
  [[ -d "$PIPE/store" ]] || { echo "the pipeline failed (see $LOGS/pipeline.log)" >&2; tail -20 "$LOGS/pipeline.log" >&2; exit 1; }
  PIPE_NOTE="the pipeline reported a failure (the store does not conform to the shapes?), see the log; the store was served all the same"
  log "$PIPE_NOTE"
fi
STORE="$PIPE/store"
log "store built in $(( $(date +%s) - t0 )) s"
"$WEFT" stats --store "$STORE" >"$LOGS/stats.txt"
QUADS=$(awk '/^quads:/ { print $2 }' "$LOGS/stats.txt")
GRAPHS=$(awk '/^named graphs:/ { print $3 }' "$LOGS/stats.txt")
STORE_MIB=$(du -sm "$STORE" | cut -f1)

# ---------------------------------------------------------------- policy
read -r _ KEY < <("$WEFT" key 2>/dev/null | awk '$1 == "key"')
HASH=$("$WEFT" key --hash "$KEY")
POLICY="$WORK/policy.json"
cat >"$POLICY" <<EOF
{"comment": "serve_bench.sh: one regulator key that reads everything; limits sized for the load",
 "organisations": {"regulator": {"read": ["*", "default"]}},
 "keys": [{"name": "bench-regulator", "sha256": "$HASH", "role": "regulator", "organisation": "regulator"}],
 "limits": {"timeout_seconds": $TIMEOUT, "max_result_rows": 100000, "max_concurrent": $MAX_CONCURRENT,
            "max_queued": $MAX_QUEUED, "queue_wait_seconds": $TIMEOUT}}
EOF
export WEFT_LOAD_KEY="$KEY"  # the load generator reads it here, not from its command line

start_weft() {
  rm -f "$WORK/port"
  "$WEFT" serve --store "$STORE" --bind 127.0.0.1 --port 0 --port-file "$WORK/port" --config "$POLICY" -q \
    2>>"$LOGS/weft-serve.log" &
  WEFT_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    kill -0 "$WEFT_PID" 2>/dev/null || { echo "weft serve exited (see $LOGS/weft-serve.log)" >&2; tail -5 "$LOGS/weft-serve.log" >&2; exit 1; }
    if [[ -s "$WORK/port" ]]; then
      WEFT_PORT=$(cat "$WORK/port")
      curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$WEFT_PORT/health" && return 0
    fi
    sleep 0.1
  done
  echo "weft serve did not answer within 60 s" >&2
  exit 1
}

mapfile -t ALLQ < <(ls "$QDIR"/*.rq)
qname() { basename "$1" .rq; }
# The floor: an empty ASK costs the server next to nothing, so its latency is
# the protocol's (HTTP, connection, authentication) alone. Probed, never loaded.
FLOOR="$WORK/ask-empty.rq"
echo 'ASK {}' >"$FLOOR"

# ---------------------------------------------------------------- 2. weft, one client
start_weft
log "weft serve on 127.0.0.1:$WEFT_PORT: each question once untimed, then $PROBE_RUNS times"
"$LOAD" --url "http://127.0.0.1:$WEFT_PORT/sparql" --probe "$PROBE_RUNS" --probe-stop-ms "$((MAX_MS * 2))" \
  --timeout "$PROBE_TIMEOUT" "$FLOOR" "${ALLQ[@]}" >"$WORK/probe/weft.tsv" 2>"$LOGS/probe-weft.err"
stop_weft

# ---------------------------------------------------------------- 3. Virtuoso, one client
VIRT_VERSION="-"
VIRT_NOTE=""
VIRT_LOADED=""
VIRT_LOAD_S=""
if [[ $DO_VIRT -eq 1 ]] && ! "$V" install >"$LOGS/virtuoso-install.log" 2>&1; then
  VIRT_NOTE="not installed: $(tail -1 "$LOGS/virtuoso-install.log")"
  log "Virtuoso $VIRT_NOTE"
  DO_VIRT=0
fi
start_virtuoso() {  # start_virtuoso BUFFERS
  VIRTUOSO_BUFFERS=$1 "$V" start "$VIRT_DIR" "$VSQL" "$VHTTP" "$WORK/export" 2>>"$LOGS/virtuoso-start.log" ||
    { echo "Virtuoso did not start (see $LOGS/virtuoso-start.log)" >&2; exit 1; }
  VIRT_UP=1
  VIRT_PID=$(cat "$VIRT_DIR/virtuoso.pid")
}
if [[ $DO_VIRT -eq 1 ]]; then
  VIRT_VERSION=$("$V" version)
  mkdir -p "$WORK/export"
  log "exporting the store (weft export --format nq, every graph)"
  "$WEFT" export --store "$STORE" --format nq -o "$WORK/export/store.nq"
  EXPORTED=$(wc -l <"$WORK/export/store.nq")
  VSQL=$(free_port 21311)
  VHTTP=$(free_port 28990)
  log "Virtuoso $VIRT_VERSION on 127.0.0.1:$VSQL (SQL) and :$VHTTP (HTTP): bulk load"
  start_virtuoso 100000
  # The quads carry their graphs; the GRAPH argument only names triples without one.
  out=$("$V" load "$VIRT_DIR" "$WORK/export/store.nq" "https://w3id.org/weft/graph/serve-bench-default" 2>&1) ||
    { echo "Virtuoso's bulk load failed: $out" >&2; exit 1; }
  VIRT_LOAD_S=$(awk '{ print $4 }' <<<"$out")
  VIRT_LOADED=$(curl -sS --max-time 60 -H 'Accept: text/csv' --data-urlencode \
    'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/weft/")) }' \
    "http://127.0.0.1:$VHTTP/sparql" | tail -1 | tr -d '"\r')
  VIRT_ALL=$(curl -sS --max-time 60 -H 'Accept: text/csv' --data-urlencode \
    'query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' "http://127.0.0.1:$VHTTP/sparql" | tail -1 | tr -d '"\r')
  [[ "$VIRT_LOADED" == "$EXPORTED" ]] || VIRT_NOTE="loaded $VIRT_LOADED of $EXPORTED exported quads"
  stop_virtuoso
  DB_PAGES=$(( $(stat -c %s "$VIRT_DIR/virtuoso.db") / 8192 ))
  VBUF=${VIRTUOSO_BUFFERS:-$(( DB_PAGES * 2 > 10000 ? DB_PAGES * 2 : 10000 ))}
  start_virtuoso "$VBUF"
  log "Virtuoso (NumberOfBuffers $VBUF): each question once untimed, then $PROBE_RUNS times"
  "$LOAD" --url "http://127.0.0.1:$VHTTP/sparql" --form --probe "$PROBE_RUNS" --probe-stop-ms "$((MAX_MS * 2))" \
    --timeout "$PROBE_TIMEOUT" "$FLOOR" "${ALLQ[@]}" >"$WORK/probe/virtuoso.tsv" 2>"$LOGS/probe-virtuoso.err"
  # A restart ends whatever a timed-out request left running.
  stop_virtuoso
fi

# ---------------------------------------------------------------- 4. the mixes
WEFT_MIX=()
COMMON_MIX=()
declare -A WHY ROWCMP
for q in "${ALLQ[@]}"; do
  n=$(qname "$q")
  ws=$(probe_get "$WORK/probe/weft.tsv" "$n" status)
  wm=$(probe_get "$WORK/probe/weft.tsv" "$n" median_ms)
  if [[ "$ws" != 200 || "$(probe_get "$WORK/probe/weft.tsv" "$n" note)" != "-" ]]; then
    WHY[$n]="weft failed: $(probe_get "$WORK/probe/weft.tsv" "$n" note)"
    continue
  fi
  if awk -v m="$wm" -v x="$MAX_MS" 'BEGIN { exit !(m > x) }'; then
    WHY[$n]="weft takes $(printf '%.0f' "$wm") ms alone (over $MAX_MS)"
    continue
  fi
  WEFT_MIX+=("$q")
  [[ $DO_VIRT -eq 1 ]] || continue
  vs=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" status)
  vm=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" median_ms)
  vnote=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" note)
  if [[ "$vs" != 200 || "$vnote" != "-" ]]; then
    if [[ "$vs" == 0 ]]; then WHY[$n]="Virtuoso: no answer within $PROBE_TIMEOUT s"
    else WHY[$n]="Virtuoso: $(cut -c1-120 <<<"$vnote")"; fi
    continue
  fi
  if awk -v m="$vm" -v x="$MAX_MS" 'BEGIN { exit !(m > x) }'; then
    WHY[$n]="Virtuoso takes $(printf '%.0f' "$vm") ms alone (over $MAX_MS)"
  else
    COMMON_MIX+=("$q")
  fi
done
for q in "${ALLQ[@]}"; do
  n=$(qname "$q")
  wr=$(probe_get "$WORK/probe/weft.tsv" "$n" rows)
  vr=$( [[ $DO_VIRT -eq 1 ]] && probe_get "$WORK/probe/virtuoso.tsv" "$n" rows || echo -1)
  vd=$( [[ $DO_VIRT -eq 1 ]] && probe_get "$WORK/probe/virtuoso.tsv" "$n" distinct_rows || echo -1)
  if [[ "${wr:--1}" == -1 || "${vr:--1}" == -1 ]]; then ROWCMP[$n]="-"
  elif [[ "$wr" == "$vr" ]]; then ROWCMP[$n]="same"
  elif [[ "$wr" == "$vd" ]]; then ROWCMP[$n]="same distinct rows; Virtuoso repeats rows"
  else ROWCMP[$n]="**differ**"; fi
done
[[ ${#WEFT_MIX[@]} -gt 0 ]] || { echo "no question is in the mix (raise --max-ms?)" >&2; exit 1; }
log "weft mix: ${#WEFT_MIX[@]} questions; common mix: ${#COMMON_MIX[@]}"
names() { local q s=""; for q in "$@"; do s+="${s:+, }$(qname "$q" | cut -d- -f1)"; done; echo "$s"; }

# ---------------------------------------------------------------- 5. load runs
# run_load SERVER MIXNAME PID URL [load options] -- QUERIES...: one run; figures
# in $WORK/load/SERVER-MIXNAME.{txt,tsv,json,env}
run_load() {
  local server=$1 mix=$2 pid=$3 url=$4
  shift 4
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  local base="$WORK/load/$server-$mix"
  local la c0 c1 t0 t1 r0 a0 r1 a1 h1
  la=$(loadavg)
  read -r r0 a0 _ < <(mem_of "$pid")
  c0=$(cpu_of "$pid")
  log "load: $server, $mix mix ($# questions), $CLIENTS clients, $DURATION s after $WARMUP s (load average $la)"
  t0=$(date +%s.%N)
  "$LOAD" --url "$url" --label "$server" --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" \
    --timeout "$TIMEOUT" --seed "$SEED" --tsv "$base.tsv" --json "$base.json" "${opts[@]}" "$@" >"$base.txt" 2>&1 ||
    { echo "weft_serve_load failed: $(tail -3 "$base.txt")" >&2; exit 1; }
  t1=$(date +%s.%N)
  c1=$(cpu_of "$pid")
  read -r r1 a1 h1 < <(mem_of "$pid")
  cat >"$base.env" <<EOF
LOADAVG="$la"
RSS0=$r0
ANON0=$a0
RSS1=$r1
ANON1=$a1
HWM=$h1
CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.1f", b - a }')
WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
EOF
  sed 's/^/    /' "$base.txt" >&2
}

start_weft
WEFT_URL="http://127.0.0.1:$WEFT_PORT/sparql"
MIXES=()
if [[ ${#COMMON_MIX[@]} -gt 0 ]]; then
  run_load weft common "$WEFT_PID" "$WEFT_URL" -- "${COMMON_MIX[@]}"
  MIXES+=(common)
fi
if [[ ${#WEFT_MIX[@]} -ne ${#COMMON_MIX[@]} ]]; then
  run_load weft weft "$WEFT_PID" "$WEFT_URL" -- "${WEFT_MIX[@]}"
  MIXES+=(weft)
fi
HEALTH=$(curl -sS --max-time 5 "http://127.0.0.1:$WEFT_PORT/health" || echo "?")
stop_weft

if [[ $DO_VIRT -eq 1 && ${#COMMON_MIX[@]} -gt 0 ]]; then
  start_virtuoso "$VBUF"
  # Virtuoso's default graph without FROM is already the union of all graphs.
  run_load virtuoso common "$VIRT_PID" "http://127.0.0.1:$VHTTP/sparql" --form -- "${COMMON_MIX[@]}"
  stop_virtuoso
fi

# ---------------------------------------------------------------- report
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gib=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
# shellcheck disable=SC1091
os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo "?")
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || rev="$rev (with uncommitted changes)"
WEFT_VERSION=$("$WEFT" --version 2>/dev/null | head -1 || echo "weft")
fmt() { awk -v x="$1" 'BEGIN { if (x == "" || x < 0) print "-"; else if (x >= 100) printf "%.0f", x; else if (x >= 10) printf "%.1f", x; else printf "%.2f", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
# shellcheck disable=SC1090
envget() { (source "$WORK/load/$1.env" && eval "echo \${$2}"); }

WEFT_ERRORS=0
REPORT="$DATA/serve-bench.md"
{
  echo "## Serving benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Command: \`tests/bench/serve_bench.sh --clients $CLIENTS --duration $DURATION --warmup $WARMUP --max-ms $MAX_MS --max-concurrent $MAX_CONCURRENT --max-queued $MAX_QUEUED --timeout $TIMEOUT\`"
  echo
  echo "- Machine: $(nproc) CPUs ($cpu), $mem_gib GiB RAM, $os, Linux $(uname -r); the load generator runs on the same CPUs"
  echo "- Store: the pharma example, profile $PROFILE (scripts/pharma-pipeline.sh): $QUADS quads in $GRAPHS named graphs (the inferred graph included), $STORE_MIB MiB on disk${PIPE_NOTE:+; $PIPE_NOTE}"
  echo "- weft: $WEFT_VERSION at $rev; \`weft serve\` with a policy: one regulator key (sent as Bearer), max_concurrent $MAX_CONCURRENT, max_queued $MAX_QUEUED, timeout ${TIMEOUT} s; POST application/sparql-query"
  if [[ $DO_VIRT -eq 1 ]]; then
    echo "- Virtuoso: $VIRT_VERSION (Debian virtuoso-opensource), private instance on 127.0.0.1, NumberOfBuffers $VBUF (its database: $DB_PAGES pages), the packaged HTTP settings otherwise; \`weft export --format nq\` ($EXPORTED quads) bulk-loaded in $VIRT_LOAD_S s: $VIRT_LOADED quads in weft's graphs, $VIRT_ALL triples in its default graph with its own system graphs${VIRT_NOTE:+; note: $VIRT_NOTE}; POST form query= (7.2 does not answer a POST of application/sparql-query), no default-graph-uri"
  else
    echo "- Virtuoso: not run${VIRT_NOTE:+ ($VIRT_NOTE)}"
  fi
  echo "- Load: \`weft_serve_load\`, $CLIENTS clients with one keep-alive connection each, closed loop, $DURATION s measured after $WARMUP s of warm-up, ${TIMEOUT} s limit per request, seed $SEED; every answer read whole and its rows counted"
  echo
  echo "### One client: latency and the mix"
  echo
  echo "Median of $PROBE_RUNS runs after one untimed run (a query slower than $((MAX_MS * 2)) ms is run once). Rows: weft's; Virtuoso's with its distinct rows in parentheses."
  echo
  echo "| question | weft ms | Virtuoso ms | weft rows | Virtuoso rows | rows | mix |"
  echo "|---|---:|---:|---:|---:|---|---|"
  for q in "${ALLQ[@]}"; do
    n=$(qname "$q")
    wm=$(probe_get "$WORK/probe/weft.tsv" "$n" median_ms)
    wr=$(probe_get "$WORK/probe/weft.tsv" "$n" rows)
    if [[ $DO_VIRT -eq 1 ]]; then
      vm=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" median_ms)
      vs=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" status)
      vr=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" rows)
      vd=$(probe_get "$WORK/probe/virtuoso.tsv" "$n" distinct_rows)
      if [[ "$vs" == 200 ]]; then vcell=$(fmt "$vm"); vrows="$vr ($vd)"
      elif [[ "$vs" == 0 ]]; then vcell="> $((PROBE_TIMEOUT * 1000))"; vrows="-"
      else vcell="HTTP $vs"; vrows="-"; fi
    else
      vcell="-"; vrows="-"
    fi
    inmix="-"
    if printf '%s\n' "${COMMON_MIX[@]}" | grep -qxF "$q"; then inmix="common, weft"
    elif printf '%s\n' "${WEFT_MIX[@]}" | grep -qxF "$q"; then inmix="weft"; fi
    [[ -z "${WHY[$n]:-}" ]] || inmix="$inmix (${WHY[$n]})"
    echo "| $n | $(fmt "$wm") | $vcell | ${wr:--} | $vrows | ${ROWCMP[$n]} | $inmix |"
  done
  echo
  echo "Common mix (${#COMMON_MIX[@]}): $(names "${COMMON_MIX[@]}"). weft mix (${#WEFT_MIX[@]}): $(names "${WEFT_MIX[@]}")."
  echo
  echo "The floor, \`ASK {}\` from one client on a kept-alive connection: weft $(fmt "$(probe_get "$WORK/probe/weft.tsv" ask-empty median_ms)") ms, Virtuoso $( [[ $DO_VIRT -eq 1 ]] && fmt "$(probe_get "$WORK/probe/virtuoso.tsv" ask-empty median_ms)" || echo -) ms."
  echo
  echo "### Under load"
  echo
  echo "| server | mix | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU s | RSS MiB idle → after (anon) | peak RSS MiB | load avg before |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---|"
  for run in weft-common virtuoso-common weft-weft; do
    f="$WORK/load/$run.tsv"
    [[ -f $f ]] || continue
    server=${run%%-*}
    mix=${run#*-}
    errs=$(tsv_get "$f" ALL errors)
    if [[ "$server" == weft ]]; then WEFT_ERRORS=$((WEFT_ERRORS + errs)); fi
    ecell=$errs
    if [[ $errs -gt 0 ]]; then
      ecell="**$errs**: $(sed -nE 's/^  errors +([0-9]+ x .*)/\1/p' "$WORK/load/$run.txt" | paste -sd ';' | sed 's/;/; /g')"
    fi
    server_name=$([[ $server == weft ]] && echo weft || echo Virtuoso)
    echo "| $server_name | $mix | $(tsv_get "$f" ALL requests) | $(fmt "$(tsv_get "$f" ALL rps)") | $(fmt "$(tsv_get "$f" ALL p50_ms)") | $(fmt "$(tsv_get "$f" ALL p90_ms)") | $(fmt "$(tsv_get "$f" ALL p99_ms)") | $(fmt "$(tsv_get "$f" ALL max_ms)") | $ecell | $(envget "$run" CPU) | $(envget "$run" RSS0) → $(envget "$run" RSS1) ($(envget "$run" ANON0) → $(envget "$run" ANON1)) | $(envget "$run" HWM) | $(envget "$run" LOADAVG) |"
  done
  if [[ -f "$WORK/load/weft-common.tsv" && -f "$WORK/load/virtuoso-common.tsv" ]]; then
    W="$WORK/load/weft-common.tsv"; VV="$WORK/load/virtuoso-common.tsv"
    wcpu=$(envget weft-common CPU); vcpu=$(envget virtuoso-common CPU)
    wreq=$(tsv_get "$W" ALL requests); vreq=$(tsv_get "$VV" ALL requests)
    echo
    echo "weft ÷ Virtuoso on the common mix: throughput $(ratio "$(tsv_get "$W" ALL rps)" "$(tsv_get "$VV" ALL rps)"), p50 $(ratio "$(tsv_get "$W" ALL p50_ms)" "$(tsv_get "$VV" ALL p50_ms)"), p99 $(ratio "$(tsv_get "$W" ALL p99_ms)" "$(tsv_get "$VV" ALL p99_ms)"), server CPU per request $(ratio "$(awk -v c="$wcpu" -v n="$wreq" 'BEGIN { if (n > 0) print c / n }')" "$(awk -v c="$vcpu" -v n="$vreq" 'BEGIN { if (n > 0) print c / n }')"), RSS after the load $(ratio "$(envget weft-common RSS1)" "$(envget virtuoso-common RSS1)"), peak RSS $(ratio "$(envget weft-common HWM)" "$(envget virtuoso-common HWM)")."
  fi
  echo
  echo "Per question under load (p50 / p99 ms):"
  echo
  echo "| question | weft, common mix | Virtuoso, common mix | weft, weft mix |"
  echo "|---|---:|---:|---:|"
  for q in "${WEFT_MIX[@]}"; do
    n=$(qname "$q")
    row="| $n"
    for run in weft-common virtuoso-common weft-weft; do
      f="$WORK/load/$run.tsv"
      if [[ -f $f && "$(tsv_get "$f" "$n" requests)" -gt 0 ]] 2>/dev/null; then
        row+=" | $(fmt "$(tsv_get "$f" "$n" p50_ms)") / $(fmt "$(tsv_get "$f" "$n" p99_ms)")"
      else
        row+=" | -"
      fi
    done
    echo "$row |"
  done
  echo
  echo "weft's /health after its runs: \`$(tr -d '\n' <<<"$HEALTH")\`"
} >"$REPORT"
cp "$REPORT" "$WORK/serve-bench.md"
cat "$REPORT"
log "report written to $REPORT; load reports in $WORK/load/"
if [[ $WEFT_ERRORS -gt 0 ]]; then
  log "weft had $WEFT_ERRORS errors under load"
  exit 1
fi
