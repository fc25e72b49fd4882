#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ingestion benchmark (issue 5; figures in docs/PERFORMANCE.md):
#
#   tests/bench/ingest_bench.sh [--profile full|small] [--seed N]
#   WEFT_BENCH_BUILD=build/release tests/bench/ingest_bench.sh ...   (reuse a build)
#
# Builds weft and weft_pharma_gen in build-bench/ (Release), generates the
# pharma supply-network records once (bench-data/pharma-PROFILE-sSEED/), then
# ingests them into a new store step by step, in the order of
# scripts/pharma-pipeline.sh, each step one `weft ingest` under GNU time
# (/usr/bin/time -v). Per connector it reports documents, records, triples,
# CPU seconds (user + system) and records per CPU second (from the per-document
# lines weft ingest prints), and per step the peak RSS. The report (Markdown)
# goes to standard output and to bench-data/ingest-bench-PROFILE.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROFILE=full
SEED=2025
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) PROFILE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "ingest_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# WEFT_BENCH_BUILD=DIR reuses an existing Release build instead of build-bench/.
BUILD="${WEFT_BENCH_BUILD:-$ROOT/build-bench}"
DATA="$ROOT/bench-data"
REC="$DATA/pharma-$PROFILE-s$SEED"
WORK="$DATA/ingest-bench-work"
STORE="$WORK/store"
mkdir -p "$WORK"
log() { echo "ingest_bench: $*" >&2; }
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 1; }

log "building weft and weft_pharma_gen in $BUILD"
[[ -n "${WEFT_BENCH_BUILD:-}" ]] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_BENCH=ON >"$WORK/cmake.log" 2>&1
cmake --build "$BUILD" -j2 --target weft weft_pharma_gen >"$WORK/build.log" 2>&1
WEFT="$BUILD/weft"
GEN="$BUILD/weft_pharma_gen"
if [[ ! -d "$REC/meridian" ]]; then
  log "generating $REC"
  rm -rf "$REC"
  /usr/bin/time -v "$GEN" --profile "$PROFILE" --seed "$SEED" --out "$REC" >"$WORK/gen.out" 2>"$WORK/gen.err"
fi
rm -rf "$STORE"
"$WEFT" load -q --store "$STORE" --graph https://w3id.org/weft/graph/ontology "$ROOT"/ontologies/*.ttl

steps=()  # "name|cpu|rss|wall"
: >"$WORK/docs.txt"
step() {  # step NAME PATH... : one weft ingest under GNU time
  local name=$1; shift
  log "ingest: $name"
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -v "$WEFT" ingest --store "$STORE" "$@" 2>"$WORK/step.err" || {
    echo "ingest_bench: step '$name' failed:" >&2; tail -20 "$WORK/step.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  local user sys rss
  user=$(awk -F': ' '/User time/ {print $2}' "$WORK/step.err")
  sys=$(awk -F': ' '/System time/ {print $2}' "$WORK/step.err")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/step.err")
  local cpu wall
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  steps+=("$name|$cpu|$rss|$wall")
  # Per-document lines: "weft ingest: [i/n] PATH (CONNECTOR): R records, T triples"; CPU
  # time per step is shared among its connectors by their records.
  grep -E '^weft ingest: \[[0-9]+/[0-9]+\]' "$WORK/step.err" | grep -v 'already ingested' |
    sed -E 's/.*\(([a-z0-9-]+)\): ([0-9]+) records, ([0-9]+) triples.*/\1 \2 \3/' |
    awk -v step="$name" -v cpu="$cpu" '{ print step, cpu, $0 }' >>"$WORK/docs.txt"
}
hist() { ls "$1"/*.csv | grep -v '/tags.csv$'; }
step "M1 ERP (SAP CSV)" "$REC"/aurelian/erp
step "M1 QMS + CoA" "$REC"/aurelian/qms
step "M1 MES (B2MML V0700)" "$REC"/aurelian/mes
step "M1 historian tags" "$REC"/aurelian/historian/tags.csv
step "M1 historian samples" $(hist "$REC"/aurelian/historian)
step "M2 ERP (SQLite)" "$REC"/brightwater/erp
step "M2 MES (B2MML V0401)" "$REC"/brightwater/mes
step "M2 historian tags" "$REC"/brightwater/historian/tags.csv
step "M2 historian samples" $(hist "$REC"/brightwater/historian)
step "D1 EPCIS 2.0 JSON-LD" "$REC"/meridian/epcis
step "D1 EPCIS 1.2 XML" "$REC"/meridian/epcis-xml
step "D1 historian tags" "$REC"/meridian/historian/tags.csv
step "D1 historian samples" $(hist "$REC"/meridian/historian)

quads=$("$WEFT" stats --store "$STORE" | awk '/^quads/ {print $2}')
{
  echo "## Ingestion benchmark: pharma-network, profile $PROFILE, seed $SEED"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r);"
  echo "records: $(du -sh "$REC" | cut -f1) in $(find "$REC" -type f | wc -l) files; store after: $quads quads."
  echo "Command: \`tests/bench/ingest_bench.sh --profile $PROFILE --seed $SEED\`"
  echo
  echo "| step | CPU s | wall s | peak RSS MB |"
  echo "|---|---:|---:|---:|"
  for s in "${steps[@]}"; do
    IFS='|' read -r n c r w <<<"$s"
    printf '| %s | %.2f | %.2f | %.0f |\n' "$n" "$c" "$w" "$(awk -v r="$r" 'BEGIN { print r / 1024 }')"
  done
  echo
  echo "| connector | documents | records | triples | CPU s (share) | records / CPU s | triples / CPU s |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  # CPU per step is split among the step's documents in proportion to their records.
  awk '{ n = NF; conn = $(n-2); rec = $(n-1); tri = $n; cpu = $(n-3);
         step = ""; for (i = 1; i <= n - 4; i++) step = step " " $i;
         key = step; steprec[key] += rec; stepcpu[key] = cpu;
         row[NR] = key SUBSEP conn SUBSEP rec SUBSEP tri }
       END { for (r in row) { split(row[r], f, SUBSEP); k = f[1]; c = f[2];
               docs[c]++; recs[c] += f[3]; tris[c] += f[4];
               if (steprec[k] > 0) cpus[c] += stepcpu[k] * f[3] / steprec[k] }
             for (c in docs) { rr = 0; tr = 0; if (cpus[c] > 0) { rr = recs[c] / cpus[c]; tr = tris[c] / cpus[c] }
               printf "| %s | %d | %d | %d | %.2f | %.0f | %.0f |\n", c, docs[c], recs[c], tris[c], cpus[c], rr, tr } }' "$WORK/docs.txt" | sort
} | tee "$DATA/ingest-bench-$PROFILE.md"
