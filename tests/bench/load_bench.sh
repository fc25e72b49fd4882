#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The load benchmark (docs/PERFORMANCE.md): serdi, Oxigraph and weft side by
# side on the same generated supply-chain data, in one run.
#
#   tests/bench/load_bench.sh [--triples N] [--seed S] [--keep] [--reopen-runs R]
#                             [--build-dir DIR] [--weft PATH] [--no-build]
#                             [--skip-oxigraph]
#
#   --triples N      size of the generated data (default 5000000)
#   --seed S         generator seed (default 42)
#   --keep           keep the weft stores and the logs in bench-data/ (default:
#                    stores are deleted at the end; the data files are always kept
#                    and reused when present)
#   --reopen-runs R  how many times to time the reopen (default 5; the median is
#                    reported)
#   --build-dir DIR  CMake build directory (default build-bench)
#   --weft PATH      use this weft binary instead of building one
#   --no-build       do not run CMake (use what is in the build directory)
#   --skip-oxigraph  leave out the Oxigraph rows
#
# Needs: cmake and a C++20 compiler, serdi (Debian package serdi), node and
# npm (Oxigraph is installed from the npm registry by `npm ci` into
# tests/bench/oxigraph/node_modules), and GNU time as /usr/bin/time (Debian
# package `time`; installed with apt-get when missing and running as root).
#
# Output: a Markdown report on stdout, also written to
# bench-data/load-bench-N.md. All files go to bench-data/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA="$ROOT/bench-data"
N=5000000
SEED=42
KEEP=0
REOPEN_RUNS=5
BUILD="$ROOT/build-bench"
WEFT=""
DO_BUILD=1
OXIGRAPH=1

while [[ $# -gt 0 ]]; do
  case "$1" in
    --triples) N="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --reopen-runs) REOPEN_RUNS="$2"; shift 2 ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    --weft) WEFT="$2"; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    --skip-oxigraph) OXIGRAPH=0; shift ;;
    -h|--help) sed -n '3,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$N" =~ ^[0-9]+$ && "$N" -gt 0 ]] || { echo "--triples needs a positive integer" >&2; exit 2; }

log() { echo "[load_bench] $*" >&2; }

mkdir -p "$DATA"
WORK="$DATA/load-bench-$N"
rm -rf "$WORK"
mkdir -p "$WORK/logs"
LOGS="$WORK/logs"

# ---------------------------------------------------------------- tools
if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "GNU time missing: apt-get install -y time"
    DEBIAN_FRONTEND=noninteractive apt-get install -y time >&2
  else
    echo "GNU time (/usr/bin/time) is missing: apt-get install time" >&2
    exit 1
  fi
fi
command -v serdi >/dev/null || { echo "serdi is missing: apt-get install serdi" >&2; exit 1; }
if [[ $OXIGRAPH -eq 1 ]] && ! command -v node >/dev/null; then
  log "node missing: Oxigraph rows skipped"
  OXIGRAPH=0
fi

# ---------------------------------------------------------------- build
GEN="$BUILD/weft_gen_bench"
if [[ $DO_BUILD -eq 1 ]]; then
  log "configuring $BUILD"
  if cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$LOGS/cmake-configure.log" 2>&1; then
    cmake --build "$BUILD" -j2 --target weft_gen_bench >"$LOGS/build-gen.log" 2>&1 || log "building weft_gen_bench failed (see logs)"
    if [[ -z "$WEFT" ]]; then
      if ! cmake --build "$BUILD" -j2 --target weft >"$LOGS/build-weft.log" 2>&1; then
        WEFT_BUILD_FAILED=1
        log "building weft failed (see $LOGS/build-weft.log, kept with --keep)"
      fi
    fi
  else
    log "CMake configure failed (see $LOGS/cmake-configure.log)"
  fi
fi
if [[ ! -x "$GEN" ]]; then
  # Fallback: the generator has no dependencies, so build it directly.
  GEN="$DATA/bin/weft_gen_bench"
  if [[ ! -x "$GEN" || "$ROOT/tests/bench/gen_supply_chain.cpp" -nt "$GEN" ]]; then
    log "building the generator directly with ${CXX:-c++}"
    mkdir -p "$DATA/bin"
    "${CXX:-c++}" -std=c++20 -O2 -o "$GEN" "$ROOT/tests/bench/gen_supply_chain.cpp"
  fi
fi
[[ -n "$WEFT" ]] || WEFT="$BUILD/weft"
HAVE_WEFT=0
[[ -x "$WEFT" ]] && HAVE_WEFT=1
WEFT_NOTE=""
if [[ ${WEFT_BUILD_FAILED:-0} -eq 1 && $HAVE_WEFT -eq 1 ]]; then
  WEFT_NOTE="the weft build failed; measured the older binary from $(date -u -r "$WEFT" +%Y-%m-%dT%H:%MZ)"
  log "$WEFT_NOTE"
fi

# ---------------------------------------------------------------- data
NT="$DATA/supply-$N-s$SEED.nt"
TTL="$DATA/supply-$N-s$SEED.ttl"
for f in "$NT" "$TTL"; do
  if [[ ! -s "$f" ]]; then
    log "generating $f"
    "$GEN" --triples "$N" --format "${f##*.}" --seed "$SEED" -o "$f.tmp" 2>>"$LOGS/gen.log"
    mv "$f.tmp" "$f"
  fi
done
NT_LINES=$(wc -l <"$NT")
log "checking that the Turtle form is the same graph (serdi ttl -> nt, sorted, compared)"
if serdi -i turtle -o ntriples "$TTL" 2>"$LOGS/verify.log" | LC_ALL=C sort -S 1G -T "$WORK" | cmp -s - <(LC_ALL=C sort -S 1G -T "$WORK" "$NT"); then
  SAME_GRAPH="yes: serdi's N-Triples of the Turtle file are the same ${NT_LINES} lines as the N-Triples file"
else
  SAME_GRAPH="NO: serdi's N-Triples of the Turtle file differ from the N-Triples file"
fi
log "$SAME_GRAPH"
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
# Warm the page cache so that every tool reads from memory.
cat "$NT" "$TTL" >/dev/null

# ---------------------------------------------------------------- helpers
# measure NAME CMD...: runs CMD under GNU time -v; stdout to logs/NAME.out
# (or to $STDOUT_TO when set), stderr to logs/NAME.err, the time report to
# logs/NAME.time. Sets SECS, RSS_KB, RC.
measure() {
  local name=$1; shift
  local out=${STDOUT_TO:-$LOGS/$name.out}
  log "running $name: $*"
  local t0 t1
  set +e
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$out" 2>"$LOGS/$name.err"
  RC=$?
  t1=$(date +%s%N)
  set -e
  # Wall time to the millisecond (GNU time's own "Elapsed" has 10 ms steps).
  SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$LOGS/$name.time")
  CPU_SECS=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$LOGS/$name.time")
  [[ -n "$SECS" ]] || SECS=0
  [[ -n "$RSS_KB" ]] || RSS_KB=0
  [[ $RC -eq 0 ]] || log "$name exited with $RC (see $LOGS/$name.err)"
}

# The first count in a file that reads like "quads: 5000000", "triples 5,000,000"
# or "5000000 triples" (not a rate such as "triples/s"); empty if none.
count_in() {
  local file=$1
  grep -Pio '(?:triples|quads|statements)(?![[:space:]]*/)[^0-9/\n]{0,20}\K[0-9][0-9,_]*|[0-9][0-9,_]*(?=[[:space:]]+(?:triples|quads|statements)\b(?![[:space:]]*/))' "$file" 2>/dev/null |
    head -1 | tr -d ',_' || true
}

ROWS=()  # tool|input|triples|seconds|rss_kb|disk_bytes|mem_per_quad(0/1)|note|cpu_seconds
add_row() { ROWS+=("$1|$2|$3|$4|$5|$6|$7|$8|${CPU_SECS:-}"); }  # 9th field: CPU seconds of the last measure

# ---------------------------------------------------------------- serdi
# serdi parses and writes N-Triples again, to /dev/null. The triple count is
# the N-Triples file's line count (checked above to match the Turtle file).
STDOUT_TO=/dev/null measure serdi-nt serdi -i ntriples -o ntriples "$NT"
add_row "serdi (parse + reserialise to /dev/null)" nt "$NT_LINES" "$SECS" "$RSS_KB" "" 0 ""
STDOUT_TO=/dev/null measure serdi-ttl serdi -i turtle -o ntriples "$TTL"
add_row "serdi (parse + reserialise to /dev/null)" ttl "$NT_LINES" "$SECS" "$RSS_KB" "" 0 ""
SERDI_NT_SECS=$(awk -v r="${ROWS[0]}" 'BEGIN { split(r, a, "|"); print a[4] }')
SERDI_TTL_SECS=$(awk -v r="${ROWS[1]}" 'BEGIN { split(r, a, "|"); print a[4] }')

# ---------------------------------------------------------------- oxigraph
OXI_VERSION=""
if [[ $OXIGRAPH -eq 1 ]]; then
  OXI_DIR="$ROOT/tests/bench/oxigraph"
  if [[ ! -d "$OXI_DIR/node_modules/oxigraph" ]]; then
    log "installing oxigraph from the npm registry (npm ci)"
    (cd "$OXI_DIR" && npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1)
  fi
  OXI_VERSION=$(node -p "require('$OXI_DIR/node_modules/oxigraph/package.json').version" 2>/dev/null || echo "?")
  for fmt in nt ttl; do
    f=$NT; [[ $fmt == ttl ]] && f=$TTL
    measure "oxigraph-$fmt" node "$OXI_DIR/load.mjs" "$f"
    t=$(grep -o '"triples":[0-9]*' "$LOGS/oxigraph-$fmt.out" | grep -o '[0-9]*$' || true)
    s=$(grep -o '"seconds":[0-9.]*' "$LOGS/oxigraph-$fmt.out" | grep -o '[0-9.]*$' || true)
    note="process wall time; Store.load alone: ${s:-?} s"
    [[ $RC -eq 0 ]] || note="FAILED (exit $RC)"
    add_row "Oxigraph $OXI_VERSION in node (Store.load, in memory)" "$fmt" "${t:-0}" "$SECS" "$RSS_KB" "" 1 "$note"
  done
fi

# ---------------------------------------------------------------- weft
# weft's output (engine/cli/main.cpp) is parsed loosely with grep:
#   load:   "loaded N triples from ... in T s (...)", "added Q new quads"
#   memory: "memory: rss B bytes, peak rss B bytes, X bytes/quad (rss), Y bytes/quad (store structures)"
#   stats:  "quads: Q", "open time: T s"
# When a line is not found, N (the generated count) stands in and the note says so.
first_num() {  # first_num REGEX FILE...: the first integer or decimal in the first match of REGEX
  grep -Eoh "$1" "${@:2}" 2>/dev/null | head -1 | grep -Eo '[0-9][0-9,_.]*' | head -1 | tr -d ',_' || true
}
REOPEN_MEDIAN=""; REOPEN_MIN=""; REOPEN_MAX=""; OPEN_MEDIAN=""; WEFT_STATS=""; WEFT_VERSION="weft not built"
if [[ $HAVE_WEFT -eq 1 ]]; then
  WEFT_VERSION=$("$WEFT" --version 2>/dev/null | head -1 || true)
  [[ -n "$WEFT_VERSION" ]] || WEFT_VERSION="weft (no --version)"
  for fmt in nt ttl; do
    f=$NT; [[ $fmt == ttl ]] && f=$TTL
    store="$WORK/store-$fmt"
    rm -rf "$store"
    measure "weft-load-$fmt" "$WEFT" load --store "$store" "$f"
    o="$LOGS/weft-load-$fmt"
    t=$(first_num 'added [0-9,_]+ new quads' "$o.out" "$o.err")
    [[ -n "$t" ]] || t=$(count_in "$o.out")
    [[ -n "$t" ]] || t=$(count_in "$o.err")
    note=""
    [[ -n "$t" ]] || { t=$N; note="count not parsed from weft's output; assumed N. "; }
    [[ $RC -eq 0 ]] || note="FAILED (exit $RC). "
    commit=$(first_num 'commit [0-9.]+ s' "$o.out")
    [[ -z "$commit" ]] || note="${note}commit ${commit} s"
    disk=$(du -sb "$store" 2>/dev/null | cut -f1 || echo 0)
    add_row "weft load --store (durable)" "$fmt" "$t" "$SECS" "$RSS_KB" "${disk:-0}" 0 "$note"
  done

  store="$WORK/store-nt"
  measure weft-stats "$WEFT" stats --store "$store"
  WEFT_STATS=$(cat "$LOGS/weft-stats.out" "$LOGS/weft-stats.err")
  # Reopen: the wall time of a whole `weft stats` process, which opens the store
  # read-only and reads its counters (page cache warm: the store was just
  # written), and weft's own "open time" line.
  times=(); opens=()
  for ((i = 0; i < REOPEN_RUNS; i++)); do
    t0=$(date +%s%N)
    "$WEFT" stats --store "$store" >"$LOGS/reopen.out" 2>&1 || true
    t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 1000 ))")
    ot=$(first_num 'open time:[[:space:]]*[0-9.]+' "$LOGS/reopen.out")
    [[ -z "$ot" ]] || opens+=("$(awk -v s="$ot" 'BEGIN { printf "%.0f", s * 1e6 }')")
  done
  median3() {  # microseconds on stdin -> "min median max" in seconds
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                                        printf "%.3f %.3f %.3f\n", v[1] / 1e6, m / 1e6, v[NR] / 1e6 }'
  }
  read -r REOPEN_MIN REOPEN_MEDIAN REOPEN_MAX < <(printf '%s\n' "${times[@]}" | median3)
  if [[ ${#opens[@]} -gt 0 ]]; then
    read -r _ OPEN_MEDIAN _ < <(printf '%s\n' "${opens[@]}" | median3)
  fi

  measure weft-memory-nt "$WEFT" load --memory "$NT"
  o="$LOGS/weft-memory-nt"
  t=$(first_num 'in-memory store: [0-9,_]+ quads' "$o.out" "$o.err")
  [[ -n "$t" ]] || t=$(first_num 'added [0-9,_]+ new quads' "$o.out" "$o.err")
  [[ -n "$t" ]] || t=$(count_in "$o.out")
  note="peak RSS of the process / quads"
  [[ -n "$t" ]] || { t=$N; note="$note; count not parsed, assumed N"; }
  [[ $RC -eq 0 ]] || note="FAILED (exit $RC)"
  rssq=$(first_num '[0-9.]+ bytes/quad \(rss\)' "$o.out")
  structq=$(first_num '[0-9.]+ bytes/quad \(store structures\)' "$o.out")
  [[ -z "$rssq" ]] || note="$note; weft reports ${rssq} B/quad RSS after load, ${structq:-?} B/quad in store structures"
  add_row "weft load --memory (in memory)" nt "$t" "$SECS" "$RSS_KB" "" 1 "$note"
  [[ $KEEP -eq 1 ]] || rm -rf "$WORK/store-nt" "$WORK/store-ttl"
else
  add_row "weft load --store (durable)" nt pending "" "" "" 0 "weft binary not available"
  add_row "weft load --store (durable)" ttl pending "" "" "" 0 "weft binary not available"
  add_row "weft load --memory (in memory)" nt pending "" "" "" 1 "weft binary not available"
fi

# ---------------------------------------------------------------- report
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gib=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
# shellcheck disable=SC1091
os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo "?")
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || rev="$rev (with uncommitted changes)"
nt_mib=$(awk -v b="$(stat -c %s "$NT")" 'BEGIN { printf "%.0f", b / 1048576 }')
ttl_mib=$(awk -v b="$(stat -c %s "$TTL")" 'BEGIN { printf "%.0f", b / 1048576 }')

REPORT="$DATA/load-bench-$N.md"
{
  echo "## Load benchmark, $N triples ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Command: \`tests/bench/load_bench.sh --triples $N --seed $SEED\`"
  echo
  echo "- Data: \`weft_gen_bench --triples $N --seed $SEED\`; N-Triples $nt_mib MiB, Turtle $ttl_mib MiB; same graph: $SAME_GRAPH"
  echo "- Machine: $(nproc) CPUs ($cpu), $mem_gib GiB RAM, $os, Linux $(uname -r)"
  echo "- Tools: $(serdi -v 2>&1 | head -1 | cut -d' ' -f1-2); node $(node --version 2>/dev/null || echo '-'); oxigraph ${OXI_VERSION:--}; $WEFT_VERSION at $rev; $(${CXX:-c++} --version 2>/dev/null | head -1)"
  [[ -z "$WEFT_NOTE" ]] || echo "- Note: $WEFT_NOTE"
  echo "- Wall time (to the ms, around the process), CPU time (user + system) and peak RSS (GNU time -v) of the whole process, start-up included; page cache warm; load average before the run: $LOADAVG. triples/s is from wall time; \"vs serdi\" divides it by serdi's rate on the same file."
  echo
  echo "| tool | input | triples | seconds | CPU s | triples/s | vs serdi | peak RSS | bytes/quad in memory | bytes/quad on disk | note |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for r in "${ROWS[@]}"; do
    awk -v r="$r" -v snt="$SERDI_NT_SECS" -v sttl="$SERDI_TTL_SECS" -v n="$N" '
      function grp(x,   s, out) { s = sprintf("%.0f", x); out = ""
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        return s out }
      BEGIN {
        split(r, a, "|"); tool = a[1]; fmt = a[2]; t = a[3]; secs = a[4]; rss = a[5]; disk = a[6]; mem = a[7]; note = a[8]
        cpu = a[9]
        if (t == "pending") { printf "| %s | %s | pending | | | | | | | | %s |\n", tool, fmt, note; exit }
        rate = secs > 0 ? t / secs : 0
        sref = (fmt == "ttl") ? sttl : snt
        ratio = (sref > 0 && secs > 0) ? sprintf("%.2f×", rate / (n / sref)) : ""
        rssm = sprintf("%.0f MiB", rss / 1024)
        bpm = (mem == 1 && t > 0) ? sprintf("%.0f", rss * 1024 / t) : ""
        bpd = (disk != "" && t > 0) ? sprintf("%.0f", disk / t) : ""
        printf "| %s | %s | %s | %.3f | %s | %s | %s | %s | %s | %s | %s |\n", tool, fmt, grp(t), secs, cpu, grp(rate), ratio, rssm, bpm, bpd, note
      }'
  done
  echo
  if [[ $HAVE_WEFT -eq 1 ]]; then
    echo "Reopen (\`weft stats --store DIR\` on the N-Triples store, $REOPEN_RUNS runs): whole process median $REOPEN_MEDIAN s (min $REOPEN_MIN s, max $REOPEN_MAX s); weft's own \"open time\" median ${OPEN_MEDIAN:-?} s."
    echo
    # shellcheck disable=SC2016
    echo '`weft stats` output:'
    echo
    echo '```'
    echo "$WEFT_STATS"
    echo '```'
  else
    echo "weft: pending (no binary at $WEFT)."
  fi
  echo
  echo "Targets: weft's durable load ≥ 0.5× serdi's rate; ≤ 80 bytes/quad in memory; reopen < 1 s."
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
if [[ $KEEP -eq 0 ]]; then
  rm -rf "$WORK"
else
  log "kept $WORK"
fi
