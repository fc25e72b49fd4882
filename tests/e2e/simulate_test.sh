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
# The calibrated model: FF-1 -> VI-1 -> PK-S1 in series, fitted cycle times, and the table
# of calibrated parameters with their sources.
grep -q '^line	FF-1	site S100	machine FF-1 cycle.*-> machine VI-1.*-> machine PK-S1' "$tmp/m.txt" &&
  grep -q '^supplier	.*CDM-4' "$tmp/m.txt" && grep -q '^# calibrated parameters' "$tmp/m.txt" &&
  grep -q '^assumed ' "$tmp/m.txt" &&
  ok "--print-model: lines, suppliers, calibrated parameters and assumptions by name" ||
  bad "--print-model: $(head -5 "$tmp/m.txt")"

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
# A scenario beside the baseline (common random numbers), both runs saved as named graphs, and
# the HTML report. The model's calendar starts on 2025-07-01 so the scenario's dates fall inside.
scen=$(cd "$(dirname "$0")/../.." && pwd)/examples/pharma-network/scenarios/q4-demand-spike.json
if "$weft" simulate --store "$tmp/store" --replications 3 --start 2025-07-01 --horizon 184d --warmup 1d \
     --seed 3 --scenario "$scen" --report "$tmp/r.html" >"$tmp/s.txt" 2>"$tmp/s.err"; then
  ok "weft simulate --scenario ran"
else
  bad "weft simulate --scenario failed: $(tail -5 "$tmp/s.err")"
fi
head -1 "$tmp/s.txt" | grep -q '^kpi  *baseline  *scenario  *difference  *diff_ci95_half_width  *significant' &&
  ok "paired comparison header" || bad "comparison header: $(head -1 "$tmp/s.txt")"
# 1.4 times the orders of the 100 mg vial for the last quarter: the line makes more, significantly.
awk '$1 == "line:FF-1:good" && $4 > 0 && $6 == "yes" {found = 1} END {exit !found}' "$tmp/s.txt" &&
  ok "the demand spike raises FF-1's good output: $(grep '^line:FF-1:good ' "$tmp/s.txt")" ||
  bad "no significant rise of FF-1's output: $(grep '^line:FF-1:good ' "$tmp/s.txt")"
grep -q "order rate x1.4 2025-10-01" "$tmp/s.err" && ok "the applied change is listed" ||
  bad "applied change not listed: $(grep -v replication "$tmp/s.err" | head -5)"
if grep -q '<svg' "$tmp/r.html" && grep -q 'P2 Q4 demand spike' "$tmp/r.html" && grep -q 'Inventory over time' "$tmp/r.html"; then
  ok "HTML report with SVG charts ($(wc -c <"$tmp/r.html") bytes)"
else
  bad "report missing or incomplete: $(ls -la "$tmp/r.html" 2>&1)"
fi
g=$(sed -n 's/.*saved the scenario run in graph <\(.*\)>.*/\1/p' "$tmp/s.err")
b=$(sed -n 's/.*saved the baseline run in graph <\(.*\)>.*/\1/p' "$tmp/s.err")
ans=$("$weft" query --store "$tmp/store" --format tsv "PREFIX dt: <https://w3id.org/weft/dt#> PREFIX prov: <http://www.w3.org/ns/prov#>
  ASK { GRAPH <$g> { <$g> a dt:SimulationRun ; dt:simulated true ; dt:baselineRun <$b> ;
        dt:seed 3 ; prov:used ?s . ?s dt:scenarioName \"P2 Q4 demand spike\" .
        ?k dt:simulationRun <$g> ; dt:kpiName \"line:FF-1:good\" ; dt:differenceFromBaseline ?d FILTER(?d > 0) } }" 2>&1)
echo "$ans" | grep -q true && ok "the scenario run is a named graph with its provenance and paired KPIs" ||
  bad "scenario run graph <$g> (baseline <$b>): $ans"
summary simulate
