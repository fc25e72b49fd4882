#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The query benchmark (docs/PERFORMANCE.md): weft, Oxigraph and Virtuoso run
# the regulator's queries of tests/bench/queries/*.rq on the same generated
# supply-chain data, in one run, and their answers are compared.
#
#   tests/bench/query_bench.sh [--triples N] [--runs K] [--warmup W] [--only REGEX]
#                              [--skip-weft] [--skip-oxigraph] [--skip-virtuoso]
#                              [--seed S] [--timeout SECS] [--keep]
#                              [--build-dir DIR] [--weft PATH] [--no-build]
#
#   --triples N      size of the generated data (default 3000000)
#   --runs K         timed runs per query and engine (default 5; the median is reported)
#   --warmup W       untimed runs before them (default 1)
#   --only REGEX     only the queries whose file name matches (grep -E), e.g. '0[1-3]|genealogy'
#   --skip-weft, --skip-oxigraph, --skip-virtuoso   leave an engine out
#   --seed S         generator seed (default 42)
#   --timeout SECS   limit per query run (default 600)
#   --keep           keep the weft store, the Virtuoso database and the logs
#                    (bench-data/query-bench-N/); the data file is always kept
#   --build-dir DIR  CMake build directory (default build-bench)
#   --weft PATH      use this weft binary instead of building one
#   --no-build       do not run CMake (use what is in the build directory)
#
# The engines, one after another (never two at a time):
#   Oxigraph  npm package (version pinned in oxigraph/package.json), in-memory
#             Store in node: oxigraph/query.mjs loads the file once, then times
#             Store.query (evaluation and TSV serialisation of all rows).
#   weft      `weft load --store DIR FILE` once (durable store), then
#             `weft query --store DIR --file Q.rq --format tsv --repeat W+K`: each
#             run timed inside the process ("run i: X ms" on standard error, the
#             first W dropped). Without --repeat in `weft query --help`: whole
#             processes are timed instead (start-up and store open included).
#   Virtuoso  Debian's virtuoso-opensource (installed with apt-get when missing,
#             as root, services not started), a private instance on 127.0.0.1
#             (virtuoso/virtuoso.sh): bulk load into a graph, then each query
#             POSTed to /sparql with that graph as default-graph-uri, JSON
#             results, timed by curl (%{time_total}); stopped at the end.
#
# Answers: every engine's last answer is normalised (oxigraph/query.mjs canon)
# and compared with Oxigraph's: line by line for the queries marked
# "compare: ordered" in their header, as multisets otherwise.
#
# Output: a Markdown report on stdout, also written to
# bench-data/query-bench-N.md. Needs: cmake and a C++20 compiler, node and npm,
# curl, coreutils' timeout; for Virtuoso apt-get (root) or virtuoso-t and
# isql-vt on the PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH="$ROOT/tests/bench"
DATA="$ROOT/bench-data"
N=3000000
SEED=42
RUNS=5
WARMUP=1
ONLY=""
DO_WEFT=1
DO_OXI=1
DO_VIRT=1
KEEP=0
TIMEOUT=600
BUILD="$ROOT/build-bench"
WEFT=""
DO_BUILD=1
GRAPH="https://example.org/supply/graph"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --triples) N="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --skip-weft) DO_WEFT=0; shift ;;
    --skip-oxigraph) DO_OXI=0; shift ;;
    --skip-virtuoso) DO_VIRT=0; shift ;;
    --seed) SEED="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    --weft) WEFT="$2"; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    -h|--help) sed -n '3,47p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in N RUNS TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || { echo "--triples, --runs and --timeout need positive integers" >&2; exit 2; }
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "--warmup needs an integer" >&2; exit 2; }

log() { echo "[query_bench] $*" >&2; }

mkdir -p "$DATA"
WORK="$DATA/query-bench-$N"
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/oxigraph" "$WORK/weft" "$WORK/virtuoso" "$WORK/diffs"
LOGS="$WORK/logs"
VIRT_DIR="$WORK/virtuoso-db"
VIRT_STARTED=0

cleanup() {
  if [[ $VIRT_STARTED -eq 1 ]]; then
    log "stopping Virtuoso"
    "$BENCH/virtuoso/virtuoso.sh" stop "$VIRT_DIR" || true
    VIRT_STARTED=0
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools
command -v node >/dev/null || { echo "node is missing (apt-get install nodejs npm): it normalises the answers" >&2; exit 1; }
command -v timeout >/dev/null || { echo "timeout (coreutils) is missing" >&2; exit 1; }
if [[ $DO_VIRT -eq 1 ]] && ! command -v curl >/dev/null; then
  log "curl missing: Virtuoso skipped"
  DO_VIRT=0
fi

# ---------------------------------------------------------------- queries
QUERIES=()
for q in "$BENCH"/queries/*.rq; do
  name=$(basename "$q" .rq)
  if [[ -z "$ONLY" ]] || grep -Eq -- "$ONLY" <<<"$name"; then QUERIES+=("$q"); fi
done
[[ ${#QUERIES[@]} -gt 0 ]] || { echo "no query matches --only '$ONLY'" >&2; exit 2; }
qname() { basename "$1" .rq; }
ordered() { grep -q 'compare: ordered' "$1"; }

# ---------------------------------------------------------------- build
GEN="$BUILD/weft_gen_bench"
NEED_WEFT=$DO_WEFT
[[ -z "$WEFT" ]] || NEED_WEFT=0
if [[ $DO_BUILD -eq 1 ]]; then
  log "configuring $BUILD (Release)"
  if cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$LOGS/cmake-configure.log" 2>&1; then
    cmake --build "$BUILD" -j2 --target weft_gen_bench >"$LOGS/build-gen.log" 2>&1 || log "building weft_gen_bench failed (see logs)"
    if [[ $NEED_WEFT -eq 1 ]] && ! cmake --build "$BUILD" -j2 --target weft >"$LOGS/build-weft.log" 2>&1; then
      WEFT_BUILD_FAILED=1
      log "building weft failed (see $LOGS/build-weft.log, kept with --keep)"
    fi
  else
    log "CMake configure failed (see $LOGS/cmake-configure.log)"
  fi
fi
if [[ ! -x "$GEN" ]] || ! "$GEN" --help 2>&1 | grep -q -- --traceability; then
  # Fallback (no build, or an older generator without --traceability): the
  # generator has no dependencies, so build it directly.
  GEN="$DATA/bin/weft_gen_bench"
  if [[ ! -x "$GEN" || "$BENCH/gen_supply_chain.cpp" -nt "$GEN" ]]; then
    log "building the generator directly with ${CXX:-c++}"
    mkdir -p "$DATA/bin"
    "${CXX:-c++}" -std=c++20 -O2 -o "$GEN" "$BENCH/gen_supply_chain.cpp"
  fi
fi
[[ -n "$WEFT" ]] || WEFT="$BUILD/weft"
WEFT_NOTE=""
if [[ $DO_WEFT -eq 1 ]]; then
  if [[ ! -x "$WEFT" ]]; then
    log "no weft binary at $WEFT: weft columns pending"
    DO_WEFT=0
    WEFT_NOTE="no weft binary"
  elif ! "$WEFT" --help 2>&1 | grep -Eq '^[[:space:]]+query([[:space:]]|$)'; then
    log "$WEFT has no 'query' subcommand: weft columns pending"
    DO_WEFT=0
    WEFT_NOTE="weft has no query subcommand"
  elif [[ ${WEFT_BUILD_FAILED:-0} -eq 1 ]]; then
    WEFT_NOTE="the weft build failed; measured the older binary from $(date -u -r "$WEFT" +%Y-%m-%dT%H:%MZ)"
    log "$WEFT_NOTE"
  fi
fi

# ---------------------------------------------------------------- data
NT="$DATA/supply-trace-$N-s$SEED.nt"
if [[ ! -s "$NT" || "$GEN" -nt "$NT" ]]; then
  log "generating $NT"
  if ! "$GEN" --triples "$N" --format nt --seed "$SEED" --traceability -o "$NT.tmp" 2>>"$LOGS/gen.log"; then
    echo "the generator failed: $(tail -1 "$LOGS/gen.log")" >&2
    exit 1
  fi
  mv "$NT.tmp" "$NT"
fi
NT_LINES=$(wc -l <"$NT")
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$NT" >/dev/null  # page cache warm for every loader

# ---------------------------------------------------------------- helpers
# Per engine and query: MS[engine/query] (median, ms), ROWS[...], ERR[...].
declare -A MS ROWS ERR SAME
median_of() {  # numbers on stdin -> median
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m }'
}
json_field() {  # json_field KEY LINE -> the value of a number or string field
  sed -nE "s/.*\"$1\":(\"([^\"\\\\]|\\\\.)*\"|[-0-9.eE]+).*/\1/p" <<<"$2" | sed -E 's/^"(.*)"$/\1/' | head -1
}
canon() {  # canon ENGINE QUERY FORMAT FILE: normalise an answer into ENGINE/QUERY.rows
  local e=$1 n=$2 fmt=$3 file=$4 out
  if out=$(node "$BENCH/oxigraph/query.mjs" canon --from "$fmt" "$file" "$WORK/$e/$n.rows" 2>&1); then
    ROWS[$e/$n]=$(json_field rows "$out")
  else
    ERR[$e/$n]="answer not readable: $(head -c 200 <<<"$out" | head -1)"
    rm -f "$WORK/$e/$n.rows"
  fi
}

# ---------------------------------------------------------------- oxigraph
OXI_VERSION="-"
OXI_LOAD=""
if [[ $DO_OXI -eq 1 ]]; then
  OXI_DIR="$BENCH/oxigraph"
  if [[ ! -d "$OXI_DIR/node_modules/oxigraph" ]]; then
    log "installing oxigraph from the npm registry (npm ci)"
    (cd "$OXI_DIR" && npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1)
  fi
  log "Oxigraph: loading $NT and running ${#QUERIES[@]} queries"
  set +e
  node "$OXI_DIR/query.mjs" run --data "$NT" --out "$WORK/oxigraph" --runs "$RUNS" --warmup "$WARMUP" "${QUERIES[@]}" \
    >"$LOGS/oxigraph.jsonl" 2>"$LOGS/oxigraph.err"
  rc=$?
  set -e
  [[ $rc -eq 0 ]] || log "Oxigraph exited with $rc (see $LOGS/oxigraph.err)"
  first=$(head -1 "$LOGS/oxigraph.jsonl")
  OXI_VERSION=$(json_field version "$first")
  OXI_LOAD=$(json_field load_seconds "$first")
  for q in "${QUERIES[@]}"; do
    n=$(qname "$q")
    line=$(grep -F "\"query\":\"$n\"" "$LOGS/oxigraph.jsonl" || true)
    if [[ -z "$line" ]]; then
      ERR[oxigraph/$n]="no result (exit $rc)"
    elif [[ "$line" == *'"error"'* ]]; then
      ERR[oxigraph/$n]=$(json_field error "$line")
    else
      MS[oxigraph/$n]=$(json_field median_ms "$line")
      ROWS[oxigraph/$n]=$(json_field rows "$line")
    fi
  done
fi

# ---------------------------------------------------------------- weft
WEFT_VERSION="-"
WEFT_LOAD=""
WEFT_TIMING=""
if [[ $DO_WEFT -eq 1 ]]; then
  WEFT_VERSION=$("$WEFT" --version 2>/dev/null | head -1 || true)
  STORE="$WORK/weft-store"
  log "weft: loading $NT into $STORE"
  t0=$(date +%s%N)
  if "$WEFT" load --store "$STORE" "$NT" >"$LOGS/weft-load.out" 2>"$LOGS/weft-load.err"; then
    t1=$(date +%s%N)
    WEFT_LOAD=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  else
    log "weft load failed (see $LOGS/weft-load.err)"
    DO_WEFT=0
    WEFT_NOTE="weft load failed: $(tail -1 "$LOGS/weft-load.err")"
  fi
fi
if [[ $DO_WEFT -eq 1 ]]; then
  REPEAT=0
  "$WEFT" query --help 2>&1 | grep -q -- '--repeat' && REPEAT=1
  TOTAL=$((WARMUP + RUNS))
  if [[ $REPEAT -eq 1 && $TOTAL -gt 1 ]]; then
    WEFT_TIMING="in process: \`weft query --repeat $TOTAL\`, the first $WARMUP run(s) dropped; each run is the evaluation of the parsed query into rows held in memory (parsing and writing the TSV once at the end are not timed)"
  else
    REPEAT=0
    WEFT_TIMING="whole \`weft query\` processes ($WARMUP untimed, then $RUNS timed): start-up, store open, parsing, evaluation and writing the TSV to a file"
  fi
  for q in "${QUERIES[@]}"; do
    n=$(qname "$q")
    log "weft: $n"
    out="$WORK/weft/$n.tsv"
    err="$WORK/weft/$n.err"
    times=()
    rc=0
    if [[ $REPEAT -eq 1 ]]; then
      timeout "$((TIMEOUT * TOTAL))" "$WEFT" query --store "$STORE" --file "$q" --format tsv --repeat "$TOTAL" >"$out" 2>"$err" || rc=$?
      mapfile -t times < <(sed -nE 's/^run ([0-9]+): *([0-9.]+) *ms.*/\1 \2/p' "$err" | awk -v w="$WARMUP" '$1 > w { print $2 }')
    else
      for ((i = 0; i < TOTAL && rc == 0; i++)); do
        t0=$(date +%s%N)
        timeout "$TIMEOUT" "$WEFT" query --store "$STORE" --file "$q" --format tsv >"$out" 2>"$err" || rc=$?
        t1=$(date +%s%N)
        ((i < WARMUP)) || times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')")
      done
    fi
    if [[ $rc -ne 0 ]]; then
      if [[ $rc -eq 124 ]]; then ERR[weft/$n]="timed out (${TIMEOUT} s per run)"
      else ERR[weft/$n]="exit $rc: $(grep -v '^run [0-9]' "$err" | head -1 | cut -c1-200)"; fi
      continue
    fi
    [[ ${#times[@]} -eq 0 ]] || MS[weft/$n]=$(printf '%s\n' "${times[@]}" | median_of)
    canon weft "$n" tsv "$out"
  done
  [[ $KEEP -eq 1 ]] || rm -rf "$STORE"
fi

# ---------------------------------------------------------------- virtuoso
VIRT_VERSION="-"
VIRT_LOAD=""
VIRT_NOTE=""
free_port() {  # free_port FROM: the first port from FROM on that nothing listens on
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
if [[ $DO_VIRT -eq 1 ]]; then
  V="$BENCH/virtuoso/virtuoso.sh"
  if ! "$V" install >"$LOGS/virtuoso-install.log" 2>&1; then
    log "Virtuoso not available: $(tail -1 "$LOGS/virtuoso-install.log")"
    DO_VIRT=0
    VIRT_NOTE="not installed: $(tail -1 "$LOGS/virtuoso-install.log")"
  fi
fi
if [[ $DO_VIRT -eq 1 ]]; then
  VIRT_VERSION=$("$V" version)
  sqlport=$(free_port 21111)
  httpport=$(free_port 28890)
  log "Virtuoso $VIRT_VERSION: starting on 127.0.0.1:$sqlport (SQL) and :$httpport (HTTP) in $VIRT_DIR"
  VIRT_STARTED=1
  if ! "$V" start "$VIRT_DIR" "$sqlport" "$httpport" "$(dirname "$NT")" 2>"$LOGS/virtuoso-start.log"; then
    log "Virtuoso did not start (see $LOGS/virtuoso-start.log)"
    DO_VIRT=0
    VIRT_NOTE="did not start: $(tail -1 "$LOGS/virtuoso-start.log")"
    cleanup
  fi
fi
if [[ $DO_VIRT -eq 1 ]]; then
  log "Virtuoso: loading $NT into <$GRAPH>"
  if out=$("$V" load "$VIRT_DIR" "$NT" "$GRAPH" 2>&1); then
    VIRT_LOAD=$(awk '{ print $4 }' <<<"$out")
    VIRT_TRIPLES=$(awk '{ print $2 }' <<<"$out")
    [[ "$VIRT_TRIPLES" == "$NT_LINES" ]] || VIRT_NOTE="loaded $VIRT_TRIPLES triples of $NT_LINES"
  else
    VIRT_NOTE="load failed: $(tail -1 <<<"$out")"
    DO_VIRT=0
  fi
  for q in "${QUERIES[@]}"; do
    [[ $DO_VIRT -eq 1 ]] || break
    n=$(qname "$q")
    log "Virtuoso: $n"
    out="$WORK/virtuoso/$n.json"
    times=()
    bad=""
    for ((i = 0; i < WARMUP + RUNS; i++)); do
      read -r code secs partial < <(VIRTUOSO_QUERY_TIMEOUT=$TIMEOUT "$V" query "$VIRT_DIR" "$q" "$GRAPH" "$out")
      if [[ "$code" != 200 ]]; then
        if [[ "$code" == 000 ]]; then bad="no answer (time-out or connection): $(head -1 "$out.curl-err" 2>/dev/null)"
        else bad="HTTP $code: $(grep -v '^[[:space:]]*$' "$out" | head -1 | cut -c1-200)"; fi
        break
      fi
      [[ -z "${partial:-}" ]] || { bad="partial answer (X-SQL-State)"; break; }
      ((i < WARMUP)) || times+=("$(awk -v s="$secs" 'BEGIN { printf "%.3f", s * 1000 }')")
    done
    if [[ -n "$bad" ]]; then
      ERR[virtuoso/$n]=$bad
      continue
    fi
    MS[virtuoso/$n]=$(printf '%s\n' "${times[@]}" | median_of)
    canon virtuoso "$n" json "$out"
  done
  cleanup
  [[ $KEEP -eq 1 ]] || rm -rf "$VIRT_DIR"
fi

# ---------------------------------------------------------------- compare
# same ENGINE QUERY -> yes / NO (...) / - ; a diff goes to diffs/ENGINE-QUERY.diff
compare() {
  local e=$1 n=$2 q=$3
  local a="$WORK/oxigraph/$n.rows" b="$WORK/$e/$n.rows"
  [[ -f "$a" && -f "$b" ]] || { echo "-"; return; }
  local d="$WORK/diffs/$e-$n.diff"
  if ordered "$q"; then
    if cmp -s "$a" "$b"; then echo yes; return; fi
    diff "$a" "$b" | head -40 >"$d" || true
  else
    if [[ "$(head -1 "$a")" == "$(head -1 "$b")" ]] &&
       cmp -s <(tail -n +2 "$a" | LC_ALL=C sort) <(tail -n +2 "$b" | LC_ALL=C sort); then echo yes; return; fi
    diff <(head -1 "$a"; tail -n +2 "$a" | LC_ALL=C sort) <(head -1 "$b"; tail -n +2 "$b" | LC_ALL=C sort) | head -40 >"$d" || true
  fi
  local ra rb
  ra=$(($(wc -l <"$a") - 1)); rb=$(($(wc -l <"$b") - 1))
  if [[ $ra -ne $rb ]]; then echo "NO ($rb rows, Oxigraph $ra)"; else echo "NO (same row count, values or order differ)"; fi
}
for q in "${QUERIES[@]}"; do
  n=$(qname "$q")
  SAME[weft/$n]=$(compare weft "$n" "$q")
  SAME[virtuoso/$n]=$(compare virtuoso "$n" "$q")
done

# ---------------------------------------------------------------- report
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gib=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
# shellcheck disable=SC1091
os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo "?")
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || rev="$rev (with uncommitted changes)"
nt_mib=$(awk -v b="$(stat -c %s "$NT")" 'BEGIN { printf "%.0f", b / 1048576 }')
fmt_ms() { [[ -n "${1:-}" ]] && awk -v x="$1" 'BEGIN { if (x >= 100) printf "%.0f", x; else if (x >= 10) printf "%.1f", x; else printf "%.2f", x }'; }
cell() {  # cell ENGINE QUERY: the median or the error
  local e=$1 n=$2
  if [[ -n "${MS[$e/$n]:-}" ]]; then fmt_ms "${MS[$e/$n]}"
  elif [[ -n "${ERR[$e/$n]:-}" ]]; then echo "error¹"
  else echo "-"; fi
}
kind() { sed -nE 's/^# Kind: (.*)\. compare:.*/\1/p' "$1" | head -1; }

REPORT="$DATA/query-bench-$N.md"
RATIOS=()
MAXR=""; MAXQ=""; NRATIO=0; OVER=0; WEFT_SAME=0; WEFT_CMP=0; VIRT_SAME=0; VIRT_CMP=0
{
  echo "## Query benchmark, $N triples ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Command: \`tests/bench/query_bench.sh --triples $N --runs $RUNS --warmup $WARMUP${ONLY:+ --only '$ONLY'}\`"
  echo
  echo "- Data: \`weft_gen_bench --triples $N --seed $SEED --traceability\`, N-Triples, $nt_mib MiB, $NT_LINES triples"
  echo "- Machine: $(nproc) CPUs ($cpu), $mem_gib GiB RAM, $os, Linux $(uname -r); load average before the run: $LOADAVG"
  echo "- Versions: ${WEFT_VERSION:--} at $rev; Oxigraph $OXI_VERSION (npm, node $(node --version)); Virtuoso $VIRT_VERSION (Debian virtuoso-opensource)"
  echo "- Loads (not part of the comparison): weft ${WEFT_LOAD:--} s (durable store), Oxigraph ${OXI_LOAD:--} s (Store.load), Virtuoso ${VIRT_LOAD:--} s (bulk loader and checkpoint)"
  echo "- Timing: median of $RUNS runs after $WARMUP untimed. weft: ${WEFT_TIMING:-not run${WEFT_NOTE:+ ($WEFT_NOTE)}}. Oxigraph: \`Store.query\` with TSV results in node (evaluation and serialisation, one thread). Virtuoso: curl's total time of a POST to /sparql on 127.0.0.1 (evaluation, JSON serialisation, HTTP)${VIRT_NOTE:+; note: $VIRT_NOTE}."
  echo "- Answers: normalised (terms by value: 3.40 = 3.4, time-zone Z = +00:00, blank node labels ignored) and compared with Oxigraph's, in order where the query says \`compare: ordered\`, as multisets otherwise."
  echo
  echo "| query | kind | rows | weft ms | Oxigraph ms | Virtuoso ms | weft ÷ faster peer | weft = Oxigraph | Virtuoso = Oxigraph |"
  echo "|---|---|---:|---:|---:|---:|---:|---|---|"
  for q in "${QUERIES[@]}"; do
    n=$(qname "$q")
    w=${MS[weft/$n]:-}
    o=${MS[oxigraph/$n]:-}
    v=${MS[virtuoso/$n]:-}
    best=$(awk -v o="$o" -v v="$v" 'BEGIN { b = ""; if (o != "") b = o; if (v != "" && (b == "" || v + 0 < b + 0)) b = v; print b }')
    ratio=""
    if [[ -n "$w" && -n "$best" ]]; then
      ratio=$(awk -v w="$w" -v b="$best" 'BEGIN { if (b > 0) printf "%.3f", w / b }')
    fi
    rcell="-"
    if [[ -n "$ratio" ]]; then
      RATIOS+=("$ratio")
      NRATIO=$((NRATIO + 1))
      rcell=$(awk -v r="$ratio" 'BEGIN { printf "%.2f", r }')
      if awk -v r="$ratio" 'BEGIN { exit !(r > 1.0) }'; then OVER=$((OVER + 1)); rcell="**$rcell**"; fi
      if [[ -z "$MAXR" ]] || awk -v r="$ratio" -v m="$MAXR" 'BEGIN { exit !(r > m) }'; then MAXR=$ratio; MAXQ=$n; fi
    fi
    sw=${SAME[weft/$n]}; sv=${SAME[virtuoso/$n]}
    [[ "$sw" == "-" ]] || WEFT_CMP=$((WEFT_CMP + 1))
    [[ "$sw" != yes ]] || WEFT_SAME=$((WEFT_SAME + 1))
    [[ "$sv" == "-" ]] || VIRT_CMP=$((VIRT_CMP + 1))
    [[ "$sv" != yes ]] || VIRT_SAME=$((VIRT_SAME + 1))
    rows=${ROWS[oxigraph/$n]:-${ROWS[weft/$n]:-${ROWS[virtuoso/$n]:-}}}
    echo "| $n | $(kind "$q") | ${rows:--} | $(cell weft "$n") | $(cell oxigraph "$n") | $(cell virtuoso "$n") | $rcell | $sw | $sv |"
  done
  echo
  if [[ $NRATIO -gt 0 ]]; then
    GEO=$(printf '%s\n' "${RATIOS[@]}" | awk '{ s += log($1) } END { printf "%.3f", exp(s / NR) }')
    echo "Geometric mean of weft ÷ faster peer over $NRATIO queries: **$GEO** (target ≤ 0.5); highest: $(awk -v r="$MAXR" 'BEGIN { printf "%.2f", r }') ($MAXQ; target: none above 1.0, $OVER above). Answers identical to Oxigraph's: weft $WEFT_SAME of $WEFT_CMP compared, Virtuoso $VIRT_SAME of $VIRT_CMP."
  else
    echo "No weft ÷ peer ratios (weft or both peers not run). Answers identical to Oxigraph's: Virtuoso $VIRT_SAME of $VIRT_CMP compared."
  fi
  errs=0
  for e in weft oxigraph virtuoso; do
    for q in "${QUERIES[@]}"; do
      n=$(qname "$q")
      if [[ -n "${ERR[$e/$n]:-}" ]]; then
        [[ $errs -eq 1 ]] || { echo; echo "¹ Errors:"; echo; errs=1; }
        echo "- $e, $n: ${ERR[$e/$n]}"
      fi
    done
  done
  echo
  echo "Targets (the issue): geometric mean of weft ÷ faster peer ≤ 0.5, no query above 1.0, every answer identical to Oxigraph's."
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
if [[ $KEEP -eq 0 ]]; then
  # Keep the answers and diffs (small); drop the logs of a clean run.
  rm -rf "$LOGS"
else
  log "kept $WORK"
fi
