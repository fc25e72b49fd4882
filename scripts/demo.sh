#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: install the Debian packages, build weft
# (Release), and run the main job on the shipped example, the pharma supply
# network (examples/pharma-network): generate a year of records of two
# manufacturers and a distributor in their native formats (SAP-style CSV, an
# ERP database in SQLite, B2MML XML, historian CSV, GS1 EPCIS 2.0 JSON-LD and
# 1.2 XML), ingest every organisation's files through the connectors into one
# store (one named graph per document, with its provenance), reason (OWL 2
# RL, identity keys, domain rules: ontologies/rules), validate (SHACL:
# ontologies/shapes), and answer the regulator's question pack
# (examples/pharma-network/queries/*.rq), each question as a heading and its
# answer as a table. Then the twin (docs/twin.md): its model is read from the
# graph and calibrated from the records; the backtest holds out the last four
# months and reports the calibration error (MAPE) per KPI; the planted Q4 demand
# spike runs as a scenario against the baseline (30 paired replications with
# common random numbers), both runs are saved into the store as named graphs,
# and the HTML report with its charts is written to $demo/twin-report.html.
# Last, the live twin's drift detection (docs/watch.md): the example's three
# weeks of historian streams with three planted drifts are ingested through
# the historian connector and `weft watch drift` charts every tag, prints
# each planted drift's detection delay and the false-alarm rates, and writes
# the alarms into the store as dt:DriftAlarm nodes; a year of maintenance work
# orders and machine vibration gives the 72-hour failure warnings and their
# backtest (weft watch failures).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target weft weft_pharma_gen
demo=${WEFT_DEMO_DIR:-build/demo}
bash scripts/pharma-pipeline.sh ./build/release/weft ./build/release/weft_pharma_gen "$demo" small
echo
echo "== twin: backtest, calibrated on records before 2025-09-01, held out to 2025-12-31 (weft twin backtest)"
./build/release/weft twin backtest --store "$demo/store" --split 2025-09-01 --end 2025-12-31 --replications 20 --seed 1 -q
echo
echo "== live twin: shadow mode, each recorded phase predicted per 8-hour shift from 2025-09-01, and the"
echo "   residuals (records minus twin) charted for drift (weft twin shadow --residuals; docs/twin.md)"
./build/release/weft twin shadow --store "$demo/store" --from 2025-09-01 --to 2025-12-31 --residuals -q |
  sed -n '/^kpi /,$p' | grep -v '^#' | cat -s
echo
echo "== twin: scenario 'P2 Q4 demand spike' against the baseline, July to December 2025 (weft simulate;"
echo "   line, plant and 100 mg vial KPIs shown; every KPI is in the report; assumptions: --print-model)"
./build/release/weft simulate --store "$demo/store" --start 2025-07-01 --horizon 184d --warmup 1d \
  --replications 30 --seed 1 --scenario examples/pharma-network/scenarios/q4-demand-spike.json \
  --report "$demo/twin-report.html" -q |
  awk 'NR == 1 || /^line:/ || /^plant:/ || /Aurelimab 100mg\/10mL vial@[^:]*:(fill_rate|on_time|avg_on_hand|avg_backlog)/'
echo
echo "report: $demo/twin-report.html (KPIs with intervals, inventory over time, utilisation by machine)"
./build/release/weft query --store "$demo/store" 'PREFIX dt: <https://w3id.org/weft/dt#>
SELECT ?run ?scenario ?kpis WHERE {
  GRAPH ?run { ?run a dt:SimulationRun ; dt:simulated true ; dt:kpiCount ?kpis ;
               <http://www.w3.org/ns/prov#used> [ dt:scenarioName ?scenario ] } } ORDER BY ?scenario'
echo
echo "== live twin: drift detection on three weeks of historian streams with three planted drifts"
echo "   (weft_pharma_gen --streams; weft watch drift; docs/watch.md)"
./build/release/weft_pharma_gen --profile small --seed 2025 --streams --out "$demo/streams-records" >/dev/null
./build/release/weft ingest --store "$demo/store" -q "$demo/streams-records/streams/aurelian" \
  "$demo/streams-records/streams/brightwater"
./build/release/weft ingest --store "$demo/store" -q "$demo/streams-records/streams/replay"
./build/release/weft watch drift --store "$demo/store" --config "$demo/streams-records/streams/drift.json" \
  --alarms 0 | sed -n '/^evaluation/,$p'
echo
echo "== live twin: 72-hour failure warnings, backtested over a year of work orders and vibration"
echo "   (cmms-csv connector; weft watch failures; docs/watch.md)"
./build/release/weft watch failures --store "$demo/store" --config "$demo/streams-records/streams/failures.json" |
  grep -E '^(failure predictions|backtest|[0-9]+ predictions)'
