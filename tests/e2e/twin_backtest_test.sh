#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# weft twin calibrate / backtest / whatif end to end (docs/twin.md, "Calibration from records
# and backtest"): generate the small pharma example (seed 2025), ingest what the calibration
# reads (Aurelian's ERP, MES and QMS, Meridian's EPCIS; the distribution centre is named by its
# GLN 0399990000108), then
#   * calibrate: the line in series, cycle times, yields, the BR-202 failure, observed lead
#     times (the backup supplier too), the S100 -> distribution centre lane and its demand;
#   * backtest from 2025-09-01: MAPE per KPI; the P2 demand spike of Q4 (not in the records
#     before the split) shows as under-prediction, and goes away when the held-out months'
#     demand is taken from the records;
#   * shadow mode: each FF-1 phase after the split predicted by the twin, per 8-hour shift;
#   * the planted effects: P2 demand x1.4 from 2025-10-01 raises the twin's Q4 P2 shipments by
#     about the recorded 41 % (planted.md: Q3 129865, Q4 182983); the Cellvanta interruption
#     2025-07-14..2025-08-25 sends orders to the backup (none without it), and without a
#     backup the medium runs out.
# One store for the whole script. Usage: twin_backtest_test.sh WEFT_BINARY GENERATOR
set -u
weft=$1
gen=$2
. "$(dirname "$0")/lib.sh"

rec=$tmp/records
"$gen" --profile small --seed 2025 --out "$rec" >/dev/null 2>&1 || { bad "generator failed"; finish twin_backtest; }
for d in aurelian/erp aurelian/mes aurelian/qms meridian/epcis; do
  "$weft" ingest -q --no-reason --store "$tmp/store" "$rec/$d" 2>>"$tmp/ingest.log" ||
    { bad "ingest $d"; tail -5 "$tmp/ingest.log"; finish twin_backtest; }
done
ok "ingested ERP, MES, QMS and EPCIS records: $(quads "$tmp/store") quads"

# A number from a TSV row whose first column is $2, column $3.
col() { awk -F'\t' -v k="$2" -v c="$3" '$1 == k {print $c; exit}' "$1"; }
# awk condition on numbers: check "label" "expr" a b ...
check() {
  local label=$1 expr=$2
  shift 2
  if awk -v a="${1:-x}" -v b="${2:-0}" -v c="${3:-0}" "BEGIN {exit !(a ~ /^-?[0-9.]+(e[-+]?[0-9]+)?\$/ && ($expr))}"; then
    ok "$label"
  else
    bad "$label (values: $*)"
  fi
}

# ---- calibrate
"$weft" twin calibrate --store "$tmp/store" --before 2025-09-01 --format tsv >"$tmp/cal.tsv" 2>"$tmp/cal.err" ||
  bad "twin calibrate failed: $(tail -3 "$tmp/cal.err")"
grep -q '^read    line FF-1: units in series .*FF-1 -> VI-1 -> PK-S1' "$tmp/cal.tsv" &&
  ok "line in series from the MES phases: FF-1 -> VI-1 -> PK-S1" || bad "no line in series: $(grep -m2 'line FF-1' "$tmp/cal.tsv")"
for p in 'cycle time FF-1 / Aurelimab 100mg/10mL vial' 'cycle time VI-1 / Aurelimab 400mg/20mL vial' \
         'yield FF-1 / Aurelimab 100mg/10mL vial' 'lead time lane S100 -> 0399990000108' \
         'demand dispensers of Aurelimab 100mg/10mL vial@0399990000108'; do
  n=$(col "$tmp/cal.tsv" "$p" 4)
  check "calibrated '$p' from $n records" 'a >= 20' "$n"
done
grep -P '^time to failure BR-202\texponential\t.*\t16\tphases\t1 failure' "$tmp/cal.tsv" >/dev/null &&
  ok "BR-202: one failure over 16 runs, censored exponential" || bad "BR-202 failure fit: $(grep 'BR-202' "$tmp/cal.tsv")"
grep -qP '^time to repair BR-202\tdeterministic\tvalue 3 d' "$tmp/cal.tsv" && ok "BR-202 repair 3 days (deviation)" ||
  bad "BR-202 repair: $(grep 'repair' "$tmp/cal.tsv")"
grep -qP '^lead time NorthBay Bioprocess Inc\. / CDM-4 .*\tdeterministic\tvalue 10 d\t1\t' "$tmp/cal.tsv" &&
  ok "backup supplier's observed lead time (1 receipt, 10 d)" || bad "NorthBay lead time: $(grep NorthBay "$tmp/cal.tsv" | head -2)"
lane=$(grep -P '^lead time lane' "$tmp/cal.tsv" | grep -oP 'mean [0-9.]+ h' | head -1 | awk '{print $2}')
check "lane S100 -> D1 in transit about half a day ($lane h)" 'a > 6 && a < 24' "$lane"
stock=$(grep -P '^initial stock Aurelimab 100mg/10mL vial@0399990000108' "$tmp/cal.tsv" | cut -f3 | awk '{print $1}')
check "P2 stock at the distribution centre on 2025-09-01 from EPCIS ($stock)" 'a > 0' "$stock"

# ---- backtest
bt() { "$weft" twin backtest --store "$tmp/store" --split 2025-09-01 --end 2025-12-31 --replications 10 --format tsv "$@"; }
bt --threads 2 >"$tmp/bt.tsv" 2>"$tmp/bt.err" || bad "twin backtest failed: $(tail -3 "$tmp/bt.err")"
grep -q 'replication 10/10' "$tmp/bt.err" && ok "progress on standard error" || bad "no progress line"
p2='shipped to dispensers: Aurelimab 100mg/10mL vial@0399990000108'
p3='shipped to dispensers: Aurelimab 400mg/20mL vial@0399990000108'
for k in "$p2" "$p3" 'good units: FF-1' 'production hours: FF-1' 'OEE (query 11): FF-1'; do
  check "MAPE of '$k': $(col "$tmp/bt.tsv" "$k" 3) %" 'a >= 0' "$(col "$tmp/bt.tsv" "$k" 3)"
done
# The Q4 spike is after the split: the twin under-predicts P2 (bias < -10 %); P3 did not change.
check "P2 under-predicted without the spike (bias $(col "$tmp/bt.tsv" "$p2" 4) %)" 'a < -10' "$(col "$tmp/bt.tsv" "$p2" 4)"
check "P3 MAPE small ($(col "$tmp/bt.tsv" "$p3" 3) %)" 'a < 10' "$(col "$tmp/bt.tsv" "$p3" 3)"
check "OEE MAPE small ($(col "$tmp/bt.tsv" 'OEE (query 11): FF-1' 3) %)" 'a < 10' "$(col "$tmp/bt.tsv" 'OEE (query 11): FF-1' 3)"
bt --threads 1 -q >"$tmp/bt1.tsv" 2>/dev/null
cmp -s "$tmp/bt.tsv" "$tmp/bt1.tsv" && ok "same seed, same backtest with 1 and 2 threads" || bad "backtest differs between thread counts"
bt -q --scenario-from-records >"$tmp/bs.tsv" 2>/dev/null || bad "backtest --scenario-from-records failed"
check "with the held-out demand from the records P2 MAPE falls ($(col "$tmp/bt.tsv" "$p2" 3) -> $(col "$tmp/bs.tsv" "$p2" 3) %)" \
  'a < 8 && a < b' "$(col "$tmp/bs.tsv" "$p2" 3)" "$(col "$tmp/bt.tsv" "$p2" 3)"

# ---- shadow mode: every FF-1 phase after the split predicted by the twin, per 8-hour shift
"$weft" twin shadow --store "$tmp/store" --from 2025-09-01 --to 2025-12-31 --format tsv -q >"$tmp/sh.tsv" 2>"$tmp/sh.err" ||
  bad "twin shadow failed: $(tail -3 "$tmp/sh.err")"
phases=$(head -1 "$tmp/sh.tsv" | grep -o 'beside the [0-9]* production phases' | awk '{print $3}')
check "shadow mode predicted $phases FF-1 phases after the split" 'a >= 20' "$phases"
shifts=$(awk -F'\t' '$1 == "good units: FF-1" {print $2}' "$tmp/sh.tsv")
check "in $shifts shifts of 8 h (122 days: a cut 00:00-06:00 shift, then 3 a day)" 'a == 367' "$shifts"
last=$(awk -F'\t' '$2 == "good units: FF-1" {r = $6} END {print r}' "$tmp/sh.tsv")
mape=$(awk -F'\t' '$1 == "good units: FF-1" {print $4}' "$tmp/sh.tsv")
[ -n "$last" ] && [ "$last" = "$mape" ] && ok "the running MAPE of the last shift ($last %) is the whole period's" ||
  bad "running MAPE $last against the period's $mape"
check "per-shift throughput MAPE $mape %, OEE $(awk -F'\t' '$1 == "OEE (query 11): FF-1" {print $4}' "$tmp/sh.tsv") %" \
  'a < 25 && b < 10' "$mape" "$(awk -F'\t' '$1 == "OEE (query 11): FF-1" {print $4}' "$tmp/sh.tsv")"
"$weft" twin shadow --store "$tmp/store" --from 2027-01-01 -q >/dev/null 2>"$tmp/sh2.err"
rc=$?
[ "$rc" = 1 ] && grep -q 'nothing to shadow' "$tmp/sh2.err" && ok "no phase after --from: an error that says so" ||
  bad "shadow without phases: exit $rc, $(head -2 "$tmp/sh2.err")"

# Residuals (records minus twin) through the drift charts; the alarms into their graph.
"$weft" twin shadow --store "$tmp/store" --from 2025-09-01 --to 2025-12-31 --format tsv -q --residuals --write \
  >"$tmp/res.tsv" 2>"$tmp/res.err" || bad "twin shadow --residuals --write failed: $(tail -3 "$tmp/res.err")"
n=$(awk -F'\t' '$1 ~ /^residual (cycle time|yield|good units per shift)/ {k++} END {print k + 0}' "$tmp/res.tsv")
[ "$n" = 3 ] && ok "3 residual series charted (cycle time, yield, good units per shift)" || bad "residual series: $n"
alarms=$(awk -F'\t' '$1 ~ /^residual / {a += $5 + $6 + $7} END {print a + 0}' "$tmp/res.tsv")
inGraph=$("$weft" query --store "$tmp/store" -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
  SELECT (COUNT(?a) AS ?n) { GRAPH <https://w3id.org/weft/graph/watch/residuals> { ?a a dt:DriftAlarm ; dt:seriesName ?s ;
    dt:statistic ?x ; dt:controlLimit ?l } }' | tail -1)
[ "$inGraph" = "$alarms" ] && ok "the residual charts' $alarms alarms are in the graph with their evidence (SPARQL)" ||
  bad "residual alarms in the graph: $inGraph, the charts reported $alarms"
"$weft" twin shadow --store "$tmp/store" --from 2025-09-01 --write -q >/dev/null 2>"$tmp/res2.err"
rc=$?
[ "$rc" = 2 ] && grep -q 'give --residuals' "$tmp/res2.err" && ok "--write without --residuals is refused" ||
  bad "--write alone: exit $rc"

# ---- planted demand spike: P2 x1.4 from 2025-10-01, Q4 compared (paired runs)
inv='inventory:Aurelimab 100mg/10mL vial@0399990000108'
"$weft" twin whatif --store "$tmp/store" --start 2025-09-01 --end 2026-01-01 --window-from 2025-10-01 \
  --demand-product '100mg/10mL' --demand-factor 1.4 --demand-from 2025-10-01 --replications 20 -q \
  --format tsv --kpi 'vial@0399990000108' >"$tmp/spike.tsv" 2>"$tmp/spike.err" || bad "whatif spike failed: $(tail -3 "$tmp/spike.err")"
rel=$(col "$tmp/spike.tsv" "$inv:units_from_stock" 6)
check "Q4 P2 shipments +$rel % with demand x1.4 (recorded +41 %)" 'a > 30 && a < 50' "$rel"
q4=$(col "$tmp/spike.tsv" "$inv:units_from_stock" 3)
check "twin Q4 P2 shipments with the spike ($q4) within 10 % of the recorded 182983" 'a > 0.9 * 182983 && a < 1.1 * 182983' "$q4"
fill=$(col "$tmp/spike.tsv" "$inv:fill_rate" 3)
check "capacity does not bind: P2 fill rate with the spike $fill" 'a > 0.95' "$fill"

# ---- planted supplier interruption: Cellvanta 2025-07-14..2025-08-25
cdm='inventory:CDM-4 chemically defined cell culture medium, powder@S100'
wi() { "$weft" twin whatif --store "$tmp/store" --start 2025-07-01 --end 2025-10-01 --interrupt-supplier Cellvanta \
  --interrupt-from 2025-07-14 --interrupt-to 2025-08-25 --replications 20 -q --format tsv --kpi CDM-4 "$@"; }
wi >"$tmp/int.tsv" 2>"$tmp/int.err" || bad "whatif interruption failed: $(tail -3 "$tmp/int.err")"
check "backup orders: none without the interruption ($(col "$tmp/int.tsv" "$cdm:backup_orders" 2)), some with it ($(col "$tmp/int.tsv" "$cdm:backup_orders" 3))" \
  'a == 0 && b > 0.5' "$(col "$tmp/int.tsv" "$cdm:backup_orders" 2)" "$(col "$tmp/int.tsv" "$cdm:backup_orders" 3)"
wi --drop-backup >"$tmp/nob.tsv" 2>"$tmp/nob.err" || bad "whatif without backup failed: $(tail -3 "$tmp/nob.err")"
d=$(col "$tmp/nob.tsv" "$cdm:stockouts" 4); h=$(col "$tmp/nob.tsv" "$cdm:stockouts" 5)
check "without a backup the medium runs out: +$d stock-outs (CI half-width $h)" 'a - b > 0' "$d" "$h"
f=$(col "$tmp/nob.tsv" "$cdm:fill_rate" 4)
check "without a backup the medium's fill rate drops by $f" 'a < -0.05' "$f"

# With the drug-substance train modelled (--batch-trains: N1-101 -> BR-201+BR-202 x2 -> ...,
# pushed at capacity, 1 unit of medium per unit of P1): P1 batches are lost without a backup.
train='line:AUR-101 mAb drug substance (frozen bag) train:good'
wi --batch-trains --kpi 'train:good' >"$tmp/tb.tsv" 2>"$tmp/tb.err" || bad "whatif --batch-trains failed: $(tail -3 "$tmp/tb.err")"
check "with the train and the backup: P1 output unchanged ($(col "$tmp/tb.tsv" "$train" 4)), backup orders $(col "$tmp/tb.tsv" "$cdm:backup_orders" 3)" \
  'a == 0 && b > 0.5' "$(col "$tmp/tb.tsv" "$train" 4)" "$(col "$tmp/tb.tsv" "$cdm:backup_orders" 3)"
wi --batch-trains --drop-backup --kpi 'train:good' >"$tmp/tn.tsv" 2>"$tmp/tn.err" || bad "whatif --batch-trains --drop-backup failed"
lost=$(col "$tmp/tn.tsv" "$train" 6)
check "without a backup the train loses $lost % of its P1 output in Q3" 'a < -10' "$lost"

# ---- errors are named
"$weft" twin whatif --store "$tmp/store" --start 2025-07-01 --end 2025-10-01 --interrupt-supplier Nobody \
  --interrupt-from 2025-07-14 --interrupt-to 2025-08-25 --replications 1 -q >/dev/null 2>"$tmp/e.err"
rc=$?
[ "$rc" = 1 ] && grep -q "no supplier matching 'Nobody'" "$tmp/e.err" && ok "an unknown supplier is an error by name" ||
  bad "unknown supplier: exit $rc, $(head -2 "$tmp/e.err")"
"$weft" twin backtest --store "$tmp/store" --split 2025-13-45 -q >/dev/null 2>"$tmp/e2.err"
rc=$?
[ "$rc" != 0 ] && grep -q 'not a date' "$tmp/e2.err" && ok "a bad --split is refused" || bad "bad split: exit $rc"

# Twin bootstrapping (docs/twin-bootstrap.md): the planned site S200 has equipment and a product
# plan but no history; its twin borrows S100's calibrated parameters, named with their source.
site=$(cd "$(dirname "$0")/../.." && pwd)/examples/pharma-network/new-site/S200.ttl
"$weft" load -q --store "$tmp/store" "$site"
if "$weft" twin bootstrap --store "$tmp/store" --site S200 --like S100 --replications 3 --horizon 60d \
     --warmup 5d --format tsv -q >"$tmp/boot.tsv" 2>"$tmp/boot.err"; then
  ok "weft twin bootstrap ran"
else
  bad "weft twin bootstrap failed: $(tail -3 "$tmp/boot.err")"
fi
# FF-2 (30,000 vials a week) borrows FF-1's fitted cycle time, scaled by 24,000 / 30,000.
awk -F'\t' '$1 ~ /^machine FF-2/ && $2 ~ /^cycle time/ && $3 ~ /x 0.8 / && $4 == "FF-1 at S100" && $5 ~ /fitted on/ {f = 1} END {exit !f}' "$tmp/boot.tsv" &&
  ok "FF-2 borrows FF-1's calibrated cycle time, scaled by capacity" ||
  bad "FF-2 cycle time not borrowed as expected: $(grep -m2 '^machine FF-2' "$tmp/boot.tsv")"
grep -q '^machine VI-2 (line FF-2)	cycle time.*VI-1 at S100' "$tmp/boot.tsv" &&
  grep -q '^machine PK-S2 (line FF-2)	cycle time.*PK-S1 at S100' "$tmp/boot.tsv" &&
  ok "the line FF-2 -> VI-2 -> PK-S2 is reproduced from FF-1 -> VI-1 -> PK-S1" ||
  bad "line not reproduced: $(grep -c '^machine' "$tmp/boot.tsv") machine rows"
grep -q '^missing	equipment BR-301' "$tmp/boot.tsv" && ok "unmatched equipment is named" ||
  bad "BR-301 not named: $(grep -m3 '^missing' "$tmp/boot.tsv")"
tp=$(awk -F'\t' '$1 == "line:FF-2:throughput_per_h" {print $2}' "$tmp/boot.tsv")
awk -v t="$tp" 'BEGIN {exit !(t > 100)}' && ok "the bootstrapped line runs: $tp good vials per hour" ||
  bad "bootstrapped throughput '$tp'"
"$weft" twin bootstrap --store "$tmp/store" --site S999 --like S100 -q --no-simulate >/dev/null 2>"$tmp/b2.err"
rc=$?
[ "$rc" != 0 ] && grep -q 'S999' "$tmp/b2.err" && ok "an unknown site is refused by name" || bad "unknown site: exit $rc"
summary twin_backtest
