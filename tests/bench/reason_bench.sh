#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The reasoning benchmark (issue 6; figures in docs/PERFORMANCE.md, "Reasoning"):
# OWL 2 RL materialisation of LUBM data by `weft reason`, with clingo computing
# the same closure from an encoding of the same rules as the peer and the
# cross-check.
#
#   tests/bench/reason_bench.sh [--universities "1 10"] [--seed S] [--build-dir DIR]
#                               [--no-build] [--skip-clingo] [--runs K] [--keep]
#
#   --universities "N..."  LUBM sizes, one run each (default "1 10")
#   --seed S               generator seed (default 29: University0 then has 15
#                          departments, as UBA's University0 for seed 0, so that
#                          LUBM(1) is about 100,000 triples and LUBM(10) 1.3 million)
#   --build-dir DIR        CMake build directory (default build-bench; the
#                          environment variable WEFT_BENCH_BUILD=DIR also sets it
#                          and implies --no-build's "do not configure")
#   --no-build             do not run CMake: use weft and weft_lubm_gen as they
#                          are in the build directory
#   --skip-clingo          weft only: no peer, no cross-check, no expected answers
#   --runs K               `weft reason` runs per size, each on a fresh copy of the
#                          loaded store (default 3; the run with the median CPU
#                          time is reported, with the range)
#   --keep                 keep the stores, facts and closures
#                          (bench-data/reason-bench/); the data files are always kept
#
# Per size:
#   1. weft_lubm_gen --universities N --seed S -> bench-data/lubm-N-sS.nt
#      (regenerated when the generator is newer);
#   2. weft load --store STORE univ-bench.ttl DATA.nt (a new store), then the 14
#      LUBM queries (lubm/queries/qNN.rq) with `weft query --union` before
#      reasoning: the answers the asserted triples give;
#   3. taskset -c 0 weft reason --store STORE --profile owl-rl --full under GNU
#      time, K times on fresh copies of the loaded store: CPU seconds (user +
#      system), wall seconds, peak RSS, and from weft's summary
#      asserted/closure/inferred; bytes per closure triple = peak RSS / closure;
#   4. the 14 queries again (`weft query --union --store STORE --format tsv
#      --file qNN.rq`: answer count = data rows, wall time per query);
#   5. clingo (Debian package gringo): lubm/nt2lp.py turns the ontology and the
#      data into facts (untimed), then taskset -c 0 clingo FACTS owl2rl.lp
#      count.lp under GNU time computes the closure and counts it (CPU seconds,
#      peak RSS, closure size, inconsistencies);
#   6. cross-check: weft's closure count against clingo's. clingo --mode=gringo
#      --text writes the closure (untimed), lubm/nt2lp.py turns it into
#      N-Triples, `weft query --union ... CONSTRUCT` exports weft's closure, and
#      lubm/closure_diff.py compares the two as sets (blank nodes matched by
#      their structure) and prints example triples of each difference;
#   7. expected answers independent of weft's reasoner: clingo's closure is
#      loaded into a second store and the 14 queries run over it.
#
# Targets (issue 6): LUBM(1) under 0.5 s and LUBM(10) under 5 s of CPU on one
# core, at most 100 bytes of peak memory per closure triple.
#
# Output: a Markdown report on standard output and in
# bench-data/reason-bench.md; logs and diffs in bench-data/reason-bench/.
# Needs: cmake and a C++20 compiler, GNU time (/usr/bin/time), taskset
# (util-linux), python3, and for the peer clingo (apt-get install gringo; the
# script installs it when it runs as root and clingo is missing).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH="$ROOT/tests/bench"
LUBM="$BENCH/lubm"
DATA="$ROOT/bench-data"
SIZES="1 10"
SEED=29
BUILD="$ROOT/build-bench"
DO_BUILD=1
DO_CONFIGURE=1
DO_CLINGO=1
KEEP=0
RUNS=3
if [[ -n "${WEFT_BENCH_BUILD:-}" ]]; then BUILD="$WEFT_BENCH_BUILD"; DO_CONFIGURE=0; fi

while [[ $# -gt 0 ]]; do
  case "$1" in
    --universities) SIZES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    --skip-clingo) DO_CLINGO=0; shift ;;
    --keep) KEEP=1; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "reason_bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in $SIZES; do
  [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || { echo "--universities needs positive integers" >&2; exit 2; }
done
[[ "$SEED" =~ ^[0-9]+$ ]] || { echo "--seed needs an integer" >&2; exit 2; }
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -gt 0 ]] || { echo "--runs needs a positive integer" >&2; exit 2; }
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"

log() { echo "[reason_bench] $*" >&2; }
WORK="$DATA/reason-bench"
rm -rf "$WORK"
mkdir -p "$WORK/logs"
LOGS="$WORK/logs"

# ---------------------------------------------------------------- tools
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install util-linux" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing (it converts triples to clingo facts)" >&2; exit 1; }
if [[ $DO_CLINGO -eq 1 ]] && ! command -v clingo >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing clingo (Debian package gringo)"
    apt-get install -y gringo >"$LOGS/apt.log" 2>&1 ||
      { apt-get update >>"$LOGS/apt.log" 2>&1 && apt-get install -y gringo >>"$LOGS/apt.log" 2>&1; } ||
      { echo "could not install gringo (see $LOGS/apt.log); use --skip-clingo" >&2; exit 1; }
  else
    echo "clingo is missing: apt-get install gringo (or --skip-clingo)" >&2; exit 1
  fi
fi

# ---------------------------------------------------------------- build
if [[ $DO_BUILD -eq 1 ]]; then
  if [[ $DO_CONFIGURE -eq 1 ]]; then
    log "configuring $BUILD (Release)"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_BENCH=ON \
      >"$LOGS/cmake.log" 2>&1 || { echo "CMake configure failed (see $LOGS/cmake.log)" >&2; exit 1; }
  fi
  log "building weft and weft_lubm_gen in $BUILD"
  cmake --build "$BUILD" -j2 --target weft weft_lubm_gen >"$LOGS/build.log" 2>&1 ||
    { echo "the build failed (see $LOGS/build.log)" >&2; tail -20 "$LOGS/build.log" >&2; exit 1; }
fi
[[ -x "$BUILD/weft" && -x "$BUILD/weft_lubm_gen" ]] ||
  { echo "no weft or weft_lubm_gen in $BUILD (build them or drop --no-build)" >&2; exit 1; }
# Copies, so that a rebuild in the build directory during the run changes nothing.
mkdir -p "$WORK/bin"
cp "$BUILD/weft" "$BUILD/weft_lubm_gen" "$WORK/bin/"
WEFT="$WORK/bin/weft"
GEN="$WORK/bin/weft_lubm_gen"
WEFT_BUILT=$(date -u -r "$BUILD/weft" +%Y-%m-%dT%H:%MZ)
HAVE_REASON=1
reason_help=$("$WEFT" reason --help 2>&1 || true)
if [[ "$reason_help" != *--profile* ]]; then
  HAVE_REASON=0
  log "$WEFT has no 'reason' subcommand: weft's reasoning columns stay empty"
fi

# ---------------------------------------------------------------- helpers
QUERIES=("$LUBM"/queries/q*.rq)
qname() { basename "$1" .rq; }
# timed OUTFILE ERRFILE CMD...: runs CMD under GNU time; sets T_CPU, T_WALL, T_RSS_KB, T_RC.
timed() {
  local out=$1 err=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -v "$@" >"$out" 2>"$err"
  T_RC=$?
  set -e
  t1=$(date +%s.%N)
  local user sys
  user=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$err")
  sys=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$err")
  T_RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$err")
  T_CPU=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')
  T_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}
# run_queries STORE TAG: answer counts into ANS[TAG/qNN], wall ms into QMS[TAG/qNN].
declare -A ANS QMS
run_queries() {
  local store=$1 tag=$2 q n t0 t1
  for q in "${QUERIES[@]}"; do
    n=$(qname "$q")
    t0=$(date +%s%N)
    if "$WEFT" query --union --store "$store" --format tsv --file "$q" >"$WORK/ans-$tag-$n.tsv" 2>"$LOGS/query-$tag-$n.err"; then
      t1=$(date +%s%N)
      ANS[$tag/$n]=$(($(wc -l <"$WORK/ans-$tag-$n.tsv") - 1))
      QMS[$tag/$n]=$(( (t1 - t0) / 1000000 ))
    else
      ANS[$tag/$n]="error"
      QMS[$tag/$n]=""
    fi
    [[ $KEEP -eq 1 ]] || rm -f "$WORK/ans-$tag-$n.tsv"
  done
}
kv() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }  # kv KEY FILE: value of "KEY VALUE"
grp() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }

# The ontology as N-Triples, for the clingo facts.
"$WEFT" convert "$LUBM/univ-bench.ttl" "$WORK/univ-bench.nt" >"$LOGS/convert.log" 2>&1

REPORT_ROWS=()    # one Markdown row per size: the main table
QUERY_SECTION=""  # per size: the query table
DIFF_SECTION=""
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)

for N in $SIZES; do
  log "LUBM($N)"
  NT="$DATA/lubm-$N-s$SEED.nt"
  if [[ ! -s "$NT" || "$BUILD/weft_lubm_gen" -nt "$NT" ]]; then
    log "generating $NT"
    "$GEN" --universities "$N" --seed "$SEED" --out "$NT.tmp" 2>"$LOGS/gen-$N.log" ||
      { echo "weft_lubm_gen failed: $(cat "$LOGS/gen-$N.log")" >&2; exit 1; }
    mv "$NT.tmp" "$NT"
  fi
  DATA_TRIPLES=$(wc -l <"$NT")
  ONTO_TRIPLES=$(wc -l <"$WORK/univ-bench.nt")
  STORE="$WORK/store-$N"
  rm -rf "$STORE"
  timed "$LOGS/load-$N.out" "$LOGS/load-$N.err" "$WEFT" load -q --store "$STORE" "$LUBM/univ-bench.ttl" "$NT"
  [[ $T_RC -eq 0 ]] || { echo "weft load failed:" >&2; tail -5 "$LOGS/load-$N.err" >&2; exit 1; }
  LOAD_WALL=$T_WALL
  # The memory of opening the store and doing nothing: weft stats.
  timed "$LOGS/stats-$N.out" "$LOGS/stats-$N.err" "$WEFT" stats --store "$STORE"
  BASE_RSS=$T_RSS_KB
  log "queries before reasoning"
  run_queries "$STORE" "asserted-$N"

  # ---- weft reason
  W_CPU="" W_WALL="" W_RSS="" W_ASSERTED="" W_CLOSURE="" W_INFERRED="" W_INCONS="" W_SECS="" W_NOTE=""
  W_RANGE="" W_PHASES=""
  if [[ $HAVE_REASON -eq 1 ]]; then
    # Each run reasons over a fresh copy of the loaded store; the run with the
    # median CPU time is reported (the machine is shared), with the range.
    cp -a "$STORE" "$STORE.loaded"
    runs=()  # "cpu wall rss secs run"
    for r in $(seq 1 "$RUNS"); do
      log "weft reason --profile owl-rl --full (one core), run $r/$RUNS"
      rm -rf "$STORE"
      cp -a "$STORE.loaded" "$STORE"
      timed "$LOGS/reason-$N-$r.out" "$LOGS/reason-$N-$r.err" taskset -c 0 "$WEFT" reason --store "$STORE" --profile owl-rl --full
      if [[ $T_RC -ne 0 ]]; then
        W_NOTE="weft reason failed (exit $T_RC): $(tail -1 "$LOGS/reason-$N-$r.err")"
        log "$W_NOTE"
        break
      fi
      runs+=("$T_CPU $T_WALL $T_RSS_KB $(kv seconds "$LOGS/reason-$N-$r.out") $r")
    done
    rm -rf "$STORE.loaded"
    if [[ -z "$W_NOTE" ]]; then
      read -r W_CPU W_WALL W_RSS W_SECS mr < <(printf '%s\n' "${runs[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
      W_RANGE=$(printf '%s\n' "${runs[@]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
      out="$LOGS/reason-$N-$mr.out"
      W_ASSERTED=$(kv asserted "$out")
      W_CLOSURE=$(kv closure "$out")
      W_INFERRED=$(kv inferred "$out")
      W_INCONS=$(kv inconsistencies "$out")
      W_PHASES="$(kv read-seconds "$out") / $(kv reason-seconds "$out") / $(kv write-seconds "$out")"
      log "queries after reasoning"
      run_queries "$STORE" "weft-$N"
    fi
  fi

  # ---- clingo
  C_CPU="" C_RSS="" C_CLOSURE="" C_INCONS=""
  if [[ $DO_CLINGO -eq 1 ]]; then
    log "clingo: facts"
    python3 "$LUBM/nt2lp.py" facts "$WORK/univ-bench.nt" "$NT" >"$WORK/facts-$N.lp"
    log "clingo: closure (one core)"
    timed "$LOGS/clingo-$N.out" "$LOGS/clingo-$N.err" taskset -c 0 clingo "$WORK/facts-$N.lp" "$LUBM/owl2rl.lp" "$LUBM/count.lp"
    # clingo's exit code: 10 satisfiable, 20 unsatisfiable, +1 interrupted; 30 = 10|20 all models.
    if [[ $T_RC -eq 10 || $T_RC -eq 30 ]]; then
      C_CPU=$T_CPU C_RSS=$T_RSS_KB
      C_CLOSURE=$(grep -o 'closure_size([0-9]*)' "$LOGS/clingo-$N.out" | tr -dc 0-9)
      C_INCONS=$(grep -o 'inconsistencies([0-9]*)' "$LOGS/clingo-$N.out" | tr -dc 0-9)
    else
      log "clingo failed (exit $T_RC, see $LOGS/clingo-$N.err)"
    fi
    log "clingo: the closure as N-Triples (untimed)"
    if clingo --mode=gringo --text "$WORK/facts-$N.lp" "$LUBM/owl2rl.lp" >"$WORK/ground-$N.txt" 2>"$LOGS/ground-$N.err"; then
      python3 "$LUBM/nt2lp.py" closure "$WORK/ground-$N.txt" "$WORK/clingo-closure-$N.nt" >"$LOGS/closure-$N.txt"
      rm -f "$WORK/ground-$N.txt"
      [[ $KEEP -eq 1 ]] || rm -f "$WORK/facts-$N.lp"
      STORE_C="$WORK/store-clingo-$N"
      rm -rf "$STORE_C"
      "$WEFT" load -q --store "$STORE_C" "$WORK/clingo-closure-$N.nt" >"$LOGS/load-clingo-$N.log" 2>&1
      log "queries over clingo's closure"
      run_queries "$STORE_C" "clingo-$N"
      [[ $KEEP -eq 1 ]] || rm -rf "$STORE_C"
      if [[ -n "$W_CLOSURE" ]]; then
        log "weft's closure as N-Triples, and the comparison"
        "$WEFT" query --union --store "$STORE" --format nt \
          'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }' >"$WORK/weft-closure-$N.nt" 2>"$LOGS/export-$N.err"
        set +e
        python3 "$LUBM/closure_diff.py" --name-a weft --name-b clingo --show 12 \
          "$WORK/weft-closure-$N.nt" "$WORK/clingo-closure-$N.nt" >"$WORK/diff-$N.txt"
        set -e
        DIFF_SECTION+=$'\n'"LUBM($N), \`lubm/closure_diff.py\` on weft's and clingo's closures:"$'\n\n```\n'"$(head -60 "$WORK/diff-$N.txt")"$'\n```\n'
        [[ $KEEP -eq 1 ]] || rm -f "$WORK/weft-closure-$N.nt"
      fi
      [[ $KEEP -eq 1 ]] || rm -f "$WORK/clingo-closure-$N.nt"
    else
      log "clingo --mode=gringo --text failed (see $LOGS/ground-$N.err)"
    fi
  fi
  [[ $KEEP -eq 1 ]] || rm -rf "$STORE"

  # ---- rows
  bpt=""
  [[ -z "$W_RSS" || -z "$W_CLOSURE" || "$W_CLOSURE" -eq 0 ]] || bpt=$(awk -v r="$W_RSS" -v c="$W_CLOSURE" 'BEGIN { printf "%.0f", r * 1024 / c }')
  abpt=""
  [[ -z "$bpt" ]] || abpt=$(awk -v r="$W_RSS" -v b="$BASE_RSS" -v c="$W_CLOSURE" 'BEGIN { printf "%.0f", (r - b) * 1024 / c }')
  cbpt=""
  [[ -z "$C_RSS" || -z "$C_CLOSURE" ]] || cbpt=$(awk -v r="$C_RSS" -v c="$C_CLOSURE" 'BEGIN { printf "%.0f", r * 1024 / c }')
  agree="-"
  if [[ -n "$W_CLOSURE" && -n "$C_CLOSURE" ]]; then
    if [[ "$W_CLOSURE" -eq "$C_CLOSURE" ]]; then agree="yes"; else agree="no ($((W_CLOSURE - C_CLOSURE)))"; fi
  fi
  target=$(awk -v n="$N" 'BEGIN { print n * 0.5 }')  # 0.5 s per university
  ratio=""
  [[ -z "$W_CPU" || -z "$C_CPU" ]] || ratio=$(awk -v w="$W_CPU" -v c="$C_CPU" 'BEGIN { if (w > 0) printf "%.1f×", c / w }')
  asserted=${W_ASSERTED:-$((DATA_TRIPLES + ONTO_TRIPLES))}
  REPORT_ROWS+=("| LUBM($N) | $(grp "$asserted") | ${W_CLOSURE:+$(grp "$W_CLOSURE")} | ${W_INFERRED:+$(grp "$W_INFERRED")} | ${W_CPU}${W_RANGE:+ (${W_RANGE})} | ${W_WALL} | ${W_SECS} | ${W_PHASES} | ${W_RSS:+$((W_RSS / 1024))} | ${bpt} | ${abpt} | ${C_CLOSURE:+$(grp "$C_CLOSURE")} | ${C_CPU} | ${C_RSS:+$((C_RSS / 1024))} | ${cbpt} | ${agree} | ${ratio} | < ${target} s |")
  [[ -z "$W_NOTE" ]] || REPORT_ROWS+=("| | $W_NOTE | | | | | | | | | | | | | | | | |")

  QUERY_SECTION+=$'\n'"LUBM($N): answers (rows) and wall time of \`weft query --union\` (whole process, ms)."$'\n\n'
  QUERY_SECTION+="| query | asserted only | after \`weft reason\` | ms | over clingo's closure | same |"$'\n'"|---|---:|---:|---:|---:|---|"$'\n'
  for q in "${QUERIES[@]}"; do
    n=$(qname "$q")
    a=${ANS[asserted-$N/$n]:-}
    w=${ANS[weft-$N/$n]:-}
    c=${ANS[clingo-$N/$n]:-}
    same="-"
    [[ -z "$w" || -z "$c" ]] || same=$([[ "$w" == "$c" ]] && echo yes || echo "**no**")
    QUERY_SECTION+="| $n | $a | $w | ${QMS[weft-$N/$n]:-} | $c | $same |"$'\n'
  done
  QUERY_SECTION+=$'\n'"Inconsistencies: weft ${W_INCONS:--}, clingo ${C_INCONS:--}. \`weft load\` of the ontology and data: ${LOAD_WALL} s wall."$'\n'
done

# ---------------------------------------------------------------- report
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gib=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
clingo_v=$(clingo --version 2>/dev/null | head -1 || true)
{
  echo "## Reasoning benchmark: LUBM, OWL 2 RL ($(date -u +%Y-%m-%d))"
  echo
  echo "Command: \`tests/bench/reason_bench.sh --universities \"$SIZES\" --seed $SEED\`"
  echo
  echo "- Machine: $(nproc) cores ($cpu), $mem_gib GiB, Linux $(uname -r); load average before: $LOADAVG"
  echo "- weft at $rev (binary built $WEFT_BUILT); ${clingo_v:-clingo not run}; data: \`weft_lubm_gen --seed $SEED\` + lubm/univ-bench.ttl"
  echo "- CPU = user + system seconds of the whole process under \`taskset -c 0\` (GNU time), start-up and store open included;"
  echo "  weft: the run with the median CPU time of $RUNS (CPU range in parentheses), each on a fresh copy of the loaded store;"
  echo "  weft s = the \`seconds\` line of weft's summary, split into its read-seconds / reason-seconds / write-seconds lines;"
  echo "  bytes/triple = peak RSS / closure triples; \"above store-open baseline\" subtracts the peak RSS of \`weft stats\` on the same store."
  echo
  echo "| data | asserted | closure (weft) | inferred (weft) | weft CPU s | weft wall s | weft s | read / reason / write s | weft peak RSS MiB | weft bytes/triple | above store-open baseline | closure (clingo) | clingo CPU s | clingo peak RSS MiB | clingo bytes/triple | closures agree | clingo CPU ÷ weft CPU | target |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"
  printf '%s\n' "${REPORT_ROWS[@]}"
  echo
  echo "$QUERY_SECTION"
  [[ -z "$DIFF_SECTION" ]] || echo "$DIFF_SECTION"
} | tee "$DATA/reason-bench.md"
if [[ $KEEP -eq 0 ]]; then rm -f "$WORK"/facts-*.lp; fi
