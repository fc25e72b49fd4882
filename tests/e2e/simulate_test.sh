#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# weft simulate end to end (docs/twin.md, "The model from the graph"): generate the small pharma
# example, ingest what the twin's model reads (the manufacturers' ERP and MES records: equipment
# and capacities, batches, supply relationships, goods movements), build the model from the
# store's graph, run 5 replications of 90 days. Checks: the model names what it assumed, the
# output has KPI rows with finite means and intervals, the same seed gives the same output twice
# (also with another number of threads), and a store without the facts fails with them named.
# Usage: simulate_test.sh WEFT_BINARY GENERATOR
set -u
weft=$1
gen=$2
. "$(dirname "$0")/lib.sh"

rec=$tmp/records
"$gen" --profile small --seed 2025 --out "$rec" >/dev/null 2>&1 || { bad "generator failed"; finish simulate; }
for d in aurelian/erp aurelian/mes brightwater/erp brightwater/mes; do
  "$weft" ingest -q --no-reason --store "$tmp/store" "$rec/$d" 2>>"$tmp/ingest.log" ||
    { bad "ingest $d"; tail -5 "$tmp/ingest.log"; finish simulate; }
done
ok "ingested ERP and MES records: $(quads "$tmp/store") quads"

run() { "$weft" simulate --store "$tmp/store" --replications 5 --horizon 90d "$@"; }
if run --seed 11 --threads 2 >"$tmp/a.txt" 2>"$tmp/a.err"; then
  ok "weft simulate ran ($(wc -l <"$tmp/a.txt") lines)"
else
  bad "weft simulate failed: $(tail -5 "$tmp/a.err")"; finish simulate
fi
if grep -q "replication 5/5" "$tmp/a.err" && grep -q "facts assumed" "$tmp/a.err"; then
  ok "progress and the model summary on standard error"
else
  bad "no progress line or model summary: $(tr '\r' '\n' <"$tmp/a.err" | tail -3)"
fi
head -1 "$tmp/a.txt" | grep -q '^kpi  *mean  *ci95_half_width' && ok "table header" || bad "table header: $(head -1 "$tmp/a.txt")"
# KPI rows: name, then four numbers; the line, the plant and an inventory of the vials must be there
# with finite values.
for k in 'line:FF-1:throughput_per_h' 'line:FF-1:oee' 'plant:fill_rate' 'inventory:Aurelimab 100mg/10mL vial@S100:fill_rate'; do
  row=$(grep -F "$k " "$tmp/a.txt" | head -1)
  if [ -n "$row" ] && echo "$row" | awk '{for (i = NF - 3; i <= NF; i++) if ($i !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) exit 1}'; then
    ok "finite KPI row: $row"
  else
    bad "KPI $k missing or not finite: '$row'"
  fi
done
good=$(awk '$1 == "plant:good" {print $2}' "$tmp/a.txt")
awk -v g="$good" 'BEGIN {exit !(g > 0)}' && ok "plant:good = $good > 0" || bad "plant:good = '$good'"

run --seed 11 --threads 1 -q >"$tmp/b.txt" 2>/dev/null
cmp -s "$tmp/a.txt" "$tmp/b.txt" && ok "same seed, same output (2 threads and 1 thread)" || bad "same seed gave different output"
run --seed 12 -q >"$tmp/c.txt" 2>/dev/null
cmp -s "$tmp/a.txt" "$tmp/c.txt" && bad "another seed gave the same output" || ok "another seed, other output"
run --seed 11 -q --format tsv >"$tmp/t.txt" 2>/dev/null
[ "$(head -1 "$tmp/t.txt")" = "$(printf 'kpi\tmean\tci95_half_width\tci_low\tci_high')" ] && ok "--format tsv" || bad "--format tsv header: $(head -1 "$tmp/t.txt")"

run --print-model -q >"$tmp/m.txt" 2>/dev/null
grep -q '^assumed line FF-1: one machine; cycle time = one week / dt:capacityPerWeek' "$tmp/m.txt" &&
  grep -q '^line	FF-1	site S100' "$tmp/m.txt" && grep -q '^supplier	.*CDM-4' "$tmp/m.txt" &&
  ok "--print-model: lines, suppliers and assumptions by name" || bad "--print-model: $(head -5 "$tmp/m.txt")"

# A store with the ERP only has no batches on equipment: the demand for the vials has no source.
"$weft" ingest -q --no-reason --store "$tmp/erp" "$rec/aurelian/erp" 2>>"$tmp/ingest.log"
"$weft" simulate --store "$tmp/erp" --replications 1 --horizon 40d -q --print-model >"$tmp/e.txt" 2>"$tmp/e.err"
# A store with no demand: nothing to simulate, exit status 1 with the reason.
printf '<http://example.org/eq> <https://w3id.org/weft/dt#equipmentId> "X-1" .\n' >"$tmp/one.nt"
"$weft" load -q --store "$tmp/none" "$tmp/one.nt"
"$weft" simulate --store "$tmp/none" --replications 1 --horizon 40d -q >/dev/null 2>"$tmp/n.err"
rc=$?
[ "$rc" = 1 ] && grep -q 'nothing to simulate' "$tmp/n.err" && ok "exit 1 when there is nothing to simulate" ||
  bad "exit status $rc without a model: $(head -3 "$tmp/n.err")"
grep -q '^missing demand for Aurelimab 100mg/10mL vial at S100: where it comes from' "$tmp/e.txt" &&
  ok "a missing fact is named" || bad "missing fact not named: $(grep -m3 '^missing' "$tmp/e.txt")"
summary simulate
