#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pharma supply-network question pack, end to end: generate the small
# profile, ingest every organisation's records through the connectors
# (scripts/pharma-pipeline.sh, as the README's first command does), run each
# query of examples/pharma-network/queries/ and compare its answer (TSV) with
# examples/pharma-network/expected/QUERY.tsv, row for row.
# Usage: pharma_pack_test.sh WEFT_BINARY GENERATOR SOURCE_DIR
set -u
weft=$1
gen=$2
src=$3
. "$(dirname "$0")/lib.sh"

if bash "$src/scripts/pharma-pipeline.sh" "$weft" "$gen" "$tmp/work" small "$tmp/answers" >"$tmp/pipeline.log" 2>&1; then
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
summary "pharma question pack e2e"
