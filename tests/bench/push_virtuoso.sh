#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The acceptance test of `weft push` against Virtuoso (docs/serving.md,
# "Pushing to another store"); run by hand, not in CI: it installs Debian's
# virtuoso-opensource when missing (as root, services not started) and runs a
# private instance on 127.0.0.1 (virtuoso/virtuoso.sh).
#
#   tests/bench/push_virtuoso.sh [--profile small] [--batch-quads 2000] [--kill-after 40]
#                                [--weft PATH] [--gen PATH] [--work DIR] [--keep]
#                                [--sql-port 11311] [--http-port 18391]
#
# Steps:
#   1. generate the pharma example (weft_pharma_gen --profile P --seed 2025) and
#      ingest it (weft ingest --no-reason) into a fresh store; add one graph of
#      blank-node chains (the example has no blank nodes), so skolemisation
#      across batch boundaries is checked too;
#   2. start Virtuoso; push into /sparql-graph-crud-auth (Digest, dba:dba) with
#      --batch-quads B, and kill -9 the push once its state file records K
#      acknowledged batches;
#   3. run the same command again: it resumes after the last acknowledged batch;
#   4. check: the per-graph triple counts of weft (weft query) and Virtuoso
#      (its /sparql endpoint, curl) are equal for every graph; a join along the
#      blank-node chains gives the same count on both sides; question 01 of the
#      pharma pack (forward trace of a lot: EPCIS events, parties, licences)
#      gives the same rows (Virtuoso writes xsd:dateTime canonically: ".000Z"
#      is read as "Z");
#   5. push everything again with the default batch size (50000), for the
#      throughput figure and to check that a second push replaces and does not
#      duplicate (the counts are compared again).
# Output: a report on standard output ending with "N passed, N failed".
# Environment: VIRTUOSO_BUFFERS (default here 100000, about 850 MB).
# Needs: a Release build (build/release/weft and weft_pharma_gen, or --weft /
# --gen), curl, coreutils; apt-get (root) or virtuoso-t and isql-vt.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VIRT="$ROOT/tests/bench/virtuoso/virtuoso.sh"
PROFILE=small
BATCH=2000
KILL_AFTER=40
WEFT="$ROOT/build/release/weft"
GEN="$ROOT/build/release/weft_pharma_gen"
WORK="$ROOT/bench-data/push-virtuoso"
KEEP=0
SQL_PORT=11311
HTTP_PORT=18391

while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) PROFILE="$2"; shift 2 ;;
    --batch-quads) BATCH="$2"; shift 2 ;;
    --kill-after) KILL_AFTER="$2"; shift 2 ;;
    --weft) WEFT="$2"; shift 2 ;;
    --gen) GEN="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --sql-port) SQL_PORT="$2"; shift 2 ;;
    --http-port) HTTP_PORT="$2"; shift 2 ;;
    -h|--help) sed -n '3,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "push_virtuoso.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x $WEFT && -x $GEN ]] || {
  echo "push_virtuoso.sh: need $WEFT and $GEN (cmake --build build/release --target weft weft_pharma_gen)" >&2
  exit 2
}
command -v curl >/dev/null || { echo "push_virtuoso.sh: needs curl" >&2; exit 2; }
export VIRTUOSO_BUFFERS=${VIRTUOSO_BUFFERS:-100000}

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
ms() { date +%s%N | cut -c1-13; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }

VDIR="$WORK/virtuoso"
STORE="$WORK/store"
ENDPOINT="http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth"
SPARQL="http://127.0.0.1:$HTTP_PORT/sparql"
push_cmd=("$WEFT" push --store "$STORE" --endpoint "$ENDPOINT" --user dba:dba)
push_pid=""
cleanup() {
  if [[ -n $push_pid ]]; then kill "$push_pid" 2>/dev/null; fi
  if [[ $KEEP = 0 ]]; then
    bash "$VIRT" stop "$VDIR" >/dev/null 2>&1
    rm -rf "$WORK"
  else
    echo "kept: $WORK (Virtuoso still runs: $VIRT stop $VDIR)"
  fi
}
trap cleanup EXIT

# vq QUERY: Virtuoso's answer as CSV rows without the header, quotes and CRs.
vq() { curl -sS --data-urlencode "query=$1" -H 'Accept: text/csv' "$SPARQL" | tail -n +2 | tr -d '"\r'; }
# wq QUERY: weft's likewise.
wq() { "$WEFT" query --store "$STORE" --format csv "$@" | tail -n +2 | tr -d '"\r'; }

echo "== weft push into Virtuoso ($(bash "$VIRT" version 2>/dev/null || echo '?'))"
bash "$VIRT" install || exit 1
rm -rf "$WORK"
mkdir -p "$WORK"

# ---- 1. the store
t0=$(ms)
"$GEN" --profile "$PROFILE" --seed 2025 --out "$WORK/records" >/dev/null || { bad "generate"; exit 1; }
"$WEFT" ingest --store "$STORE" "$WORK/records" --no-reason 2>"$WORK/ingest.log" >/dev/null ||
  { bad "ingest: $(tail -3 "$WORK/ingest.log")"; exit 1; }
CHAIN=https://w3id.org/weft/graph/push-test-blank-nodes
{
  echo '@prefix ex: <https://example.org/push/> .'
  for i in $(seq 1 3000); do echo "_:n$i ex:value $i ; ex:next _:n$((i + 1)) ."; done
} >"$WORK/chains.ttl"
"$WEFT" load -q --store "$STORE" --graph "$CHAIN" "$WORK/chains.ttl" >/dev/null || { bad "load chains.ttl"; exit 1; }
quads=$("$WEFT" stats --store "$STORE" | awk '/^quads:/ { print $2 }')
graphs=$("$WEFT" stats --store "$STORE" | awk '/^named graphs:/ { print $3 }')
echo "store: $quads triples in $graphs named graphs (profile $PROFILE, built in $(secs "$t0" "$(ms)") s)"

# ---- 2. Virtuoso, an interrupted push
bash "$VIRT" start "$VDIR" "$SQL_PORT" "$HTTP_PORT" || exit 1
state=$(dirname "$STORE")/state-interrupted
t0=$(ms)
"${push_cmd[@]}" --batch-quads "$BATCH" --state "$state" -q >"$WORK/push1.out" 2>"$WORK/push1.err" &
push_pid=$!
killed=0
while kill -0 "$push_pid" 2>/dev/null; do
  b=$(awk '$1 == "batches" { print $2 }' "$state" 2>/dev/null)
  if [[ -n $b && $b -ge $KILL_AFTER ]]; then
    kill -9 "$push_pid" 2>/dev/null && killed=1
    break
  fi
  sleep 0.05
done
wait "$push_pid" 2>/dev/null
push_pid=""
t1=$(ms)
if [[ $killed = 1 ]]; then
  ok "push killed (SIGKILL) after $(awk '$1 == "batches" { print $2 }' "$state") acknowledged batches, $(awk '$1 == "sent" { print $2 }' "$state") triples, $(secs "$t0" "$t1") s"
else
  bad "the push ended before $KILL_AFTER batches (use a smaller --batch-quads): $(cat "$WORK/push1.err")"
fi
partial=$(vq 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/weft/")) }')
echo "Virtuoso holds $partial of $quads triples after the kill"

# ---- 3. resume
t0=$(ms)
if "${push_cmd[@]}" --batch-quads "$BATCH" --state "$state" -q >"$WORK/push2.out" 2>"$WORK/push2.err"; then
  t1=$(ms)
  grep -q 'resumed at graph' "$WORK/push2.out" && ok "the same command resumed: $(head -2 "$WORK/push2.out" | tr '\n' ' ')" ||
    bad "no resume: $(cat "$WORK/push2.out")"
  echo "resume: $(secs "$t0" "$t1") s"
else
  bad "resume failed: $(cat "$WORK/push2.err")"
fi
[[ ! -e $state ]] && ok "the completed push removed its state file" || bad "state file left behind"

# ---- 4. both sides
compare_counts() {
  local what=$1
  local q='SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'
  wq "$q" | LC_ALL=C sort >"$WORK/counts.weft"
  # Virtuoso's own graphs (DAV, virtrdf, ...) are left out: only weft's graphs count.
  vq "$q" | LC_ALL=C sort | LC_ALL=C join -t, -o 2.1,2.2 <(cut -d, -f1 "$WORK/counts.weft") - >"$WORK/counts.virt"
  local n
  n=$(wc -l <"$WORK/counts.weft")
  if cmp -s "$WORK/counts.weft" "$WORK/counts.virt"; then
    ok "$what: per-graph triple counts equal for all $n graphs ($(awk -F, '{ s += $2 } END { print s }' "$WORK/counts.weft") triples)"
  else
    bad "$what: per-graph counts differ: $(diff "$WORK/counts.weft" "$WORK/counts.virt" | head -6 | tr '\n' ' ')"
  fi
}
compare_counts "after the resume"
chain="PREFIX ex: <https://example.org/push/> SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$CHAIN> { ?a ex:next ?b . ?b ex:next ?c . ?c ex:value ?v } }"
cw=$(wq "$chain")
cv=$(vq "$chain")
[[ -n $cw && $cw = "$cv" ]] && ok "a join along the blank-node chains (split over batches): $cw rows on both sides" ||
  bad "blank-node chain join: weft $cw, Virtuoso $cv"
q01=$ROOT/examples/pharma-network/queries/01-forward-trace-lot.rq
"$WEFT" query --union --store "$STORE" --format csv --file "$q01" | tail -n +2 | tr -d '"\r' |
  sed -E 's/\.000Z/Z/g' | LC_ALL=C sort >"$WORK/q01.weft"
curl -sS --data-urlencode "query@$q01" -H 'Accept: text/csv' "$SPARQL" | tail -n +2 | tr -d '"\r' |
  LC_ALL=C sort >"$WORK/q01.virt"
if [[ -s $WORK/q01.weft ]] && cmp -s "$WORK/q01.weft" "$WORK/q01.virt"; then
  ok "question 01 (forward trace of a lot): the same $(wc -l <"$WORK/q01.weft") rows on both sides"
else
  bad "question 01 differs: $(diff "$WORK/q01.weft" "$WORK/q01.virt" | head -6 | tr '\n' ' ')"
fi

# ---- 5. a full push with the default batch size
t0=$(ms)
if "${push_cmd[@]}" -q >"$WORK/push3.out" 2>"$WORK/push3.err"; then
  ok "full push, default batch size: $(head -1 "$WORK/push3.out")"
else
  bad "full push: $(cat "$WORK/push3.err")"
fi
compare_counts "after a second full push (PUT replaces)"

echo "push e2e (Virtuoso): $pass passed, $fail failed"
[[ $fail = 0 ]]
