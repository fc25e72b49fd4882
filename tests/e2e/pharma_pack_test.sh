#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pharma supply-network question pack, end to end: generate the small
# profile, ingest every organisation's records through the connectors, reason
# and validate (scripts/pharma-pipeline.sh, as the README's first command
# does), run each query of examples/pharma-network/queries/ and compare its
# answer (TSV) with examples/pharma-network/expected/QUERY.tsv, row for row.
# The questions that need reasoning (a "# Needs reasoning:" line) are also
# asked without the inferred graph, where their answer must differ; their
# expected files are recomputed from the generator's ground truth
# (expected/ground-truth.py, without weft); reasoning again must change
# nothing; the reasoner may report only the known inconsistencies.
# Usage: pharma_pack_test.sh WEFT_BINARY GENERATOR SOURCE_DIR
set -u
weft=$1
gen=$2
src=$3
. "$(dirname "$0")/lib.sh"

if bash "$src/scripts/pharma-pipeline.sh" "$weft" "$gen" "$tmp/run" small "$tmp/answers" >"$tmp/pipeline.log" 2>&1; then
  ok "pipeline: generate, ingest every connector, answer the pack"
else
  bad "pipeline failed:"; tail -30 "$tmp/pipeline.log"
  finish "pharma question pack e2e"
fi
expected=$src/examples/pharma-network/expected
n=0
for q in "$src"/examples/pharma-network/queries/*.rq; do
  [ -e "$q" ] || continue
  n=$((n + 1))
  name=$(basename "$q" .rq)
  if [ ! -f "$expected/$name.tsv" ]; then
    bad "$name: no expected answer $expected/$name.tsv"; continue
  fi
  if [ "$(wc -l <"$tmp/answers/$name.tsv")" -lt 2 ] && ! grep -q '^true$' "$tmp/answers/$name.tsv"; then
    bad "$name: empty answer"; continue
  fi
  if diff -u "$expected/$name.tsv" "$tmp/answers/$name.tsv" >"$tmp/diff"; then
    ok "$name: $(($(wc -l <"$expected/$name.tsv") - 1)) rows as expected"
  else
    bad "$name: answer differs from expected:"; head -40 "$tmp/diff"
  fi
done
[ "$n" -ge 12 ] && ok "$n questions in the pack" || bad "only $n questions in the pack (12 or more wanted)"

# ---- reasoning
store=$tmp/run/store
rules=$src/ontologies/rules
needs=$(grep -l '^# Needs reasoning:' "$src"/examples/pharma-network/queries/*.rq)
[ "$(printf '%s\n' "$needs" | grep -c .)" -ge 3 ] && ok "$(printf '%s\n' "$needs" | grep -c .) questions need reasoning" ||
  bad "fewer than 3 questions say '# Needs reasoning:'"
# The example is consistent (reason.log of the pipeline). It once was not: a
# domain of dt:Tag on dt:lowLimit / dt:highLimit, which the historian also
# writes on excursions, made every excursion both an event and a continuant.
other=$(grep '^inconsistency' "$tmp/run/reason.log" || true)
[ -z "$other" ] && ok "the reasoned example has no inconsistency" ||
  { bad "the reasoner reports inconsistencies:"; printf '%s\n' "$other" | head -10; }
# The expected answers are the generator's ground truth.
if command -v python3 >/dev/null; then
  if python3 "$src/examples/pharma-network/expected/ground-truth.py" "$tmp/run/records" "$tmp/truth" 2>"$tmp/err"; then
    for f in "$tmp"/truth/*.tsv; do
      name=$(basename "$f")
      cmp -s "$f" "$expected/$name" && ok "$name: the expected file is the generator's ground truth" ||
        bad "$name: expected/$name differs from expected/ground-truth.py's: $(diff "$f" "$expected/$name" | head -5)"
    done
  else
    bad "expected/ground-truth.py failed: $(head -c 400 "$tmp/err")"
  fi
else
  echo "skip: no python3, the ground truth of the reasoning questions is not recomputed"
fi
# Reasoning again: deterministic IRIs and monotone rules, so nothing changes.
if "$weft" reason --store "$store" --rules "$rules" -q >"$tmp/again" 2>/dev/null; then
  [ "$(awk '$1 == "added" || $1 == "removed" {printf "%s ", $2}' "$tmp/again")" = "0 0 " ] &&
    ok "reasoning again adds and removes nothing" || bad "reasoning again changed the closure: $(cat "$tmp/again")"
else
  bad "weft reason (second run) failed"
fi
# Without the inferred graph the reasoning questions have another answer.
if "$weft" reason --store "$store" --drop -q >/dev/null 2>"$tmp/err"; then
  for q in $needs; do
    name=$(basename "$q" .rq)
    if ! "$weft" query --union --store "$store" --format tsv --file "$q" >"$tmp/before.tsv" 2>"$tmp/err"; then
      bad "$name: the query fails without reasoning: $(head -c 400 "$tmp/err")"
    elif cmp -s "$tmp/before.tsv" "$expected/$name.tsv"; then
      bad "$name: the expected answer holds without reasoning"
    else
      ok "$name: without reasoning $(($(wc -l <"$tmp/before.tsv") - 1)) rows, not the expected answer"
    fi
  done
else
  bad "weft reason --drop failed: $(head -c 400 "$tmp/err")"
fi

# ---- shapes at the example's scale: planted errors are caught (the store
# conformed in the pipeline, which fails otherwise)
plant=$tmp/planted.ru
cat >"$plant" <<'EOF'
PREFIX dt: <https://w3id.org/weft/dt#>
# an SAP goods movement loses its plant
DELETE { GRAPH ?g { <https://data.aurelian.example/movement/4900000001/0001> dt:site ?s } }
WHERE { GRAPH ?g { <https://data.aurelian.example/movement/4900000001/0001> dt:site ?s } } ;
# a distributor event loses its time zone offset
DELETE { GRAPH ?g { ?e dt:eventTimeZoneOffset ?o } }
WHERE { { SELECT ?e WHERE { GRAPH ?x { ?e dt:sensorReport ?r } } ORDER BY ?e LIMIT 1 }
        GRAPH ?g { ?e dt:eventTimeZoneOffset ?o } } ;
# a customer's GLN gets a wrong check digit
DELETE { GRAPH ?g { <https://id.gs1.org/414/0614141100019> dt:gln ?v } }
INSERT { GRAPH ?g { <https://id.gs1.org/414/0614141100019> dt:gln "0614141100018" } }
WHERE { GRAPH ?g { <https://id.gs1.org/414/0614141100019> dt:gln ?v } }
EOF
if "$weft" update --store "$store" --file "$plant" >/dev/null 2>"$tmp/err"; then
  rc=0
  "$weft" validate --store "$store" --shapes "$src/ontologies/shapes" 2>"$tmp/v" || rc=$?
  for shape in SapGoodsMovementShape EpcisJsonEventShape GlnShape; do
    if [ "$rc" = 1 ] && grep -q "dtsh:$shape " "$tmp/v"; then ok "a planted error in the example store is caught by dtsh:$shape"
    else bad "dtsh:$shape does not catch its planted error (exit $rc):"; head -12 "$tmp/v"; fi
  done
  n=$(awk '/^does not conform/ {print $4}' "$tmp/v")
  [ "$n" = 3 ] && ok "exactly the 3 planted errors are violations" || bad "$n violations for 3 planted errors"
else
  bad "planting errors failed: $(head -c 400 "$tmp/err")"
fi
summary "pharma question pack e2e"
