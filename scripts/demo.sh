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
# answer as a table. Then the twin as far as it is built: `weft simulate`
# reads sites, lines, suppliers and demand from the graph (docs/twin.md) and
# runs a year of the baseline, 30 replications, KPIs with 95% intervals.
# Scenarios and the HTML report join this command when they land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target weft weft_pharma_gen
demo=${WEFT_DEMO_DIR:-build/demo}
bash scripts/pharma-pipeline.sh ./build/release/weft ./build/release/weft_pharma_gen "$demo" small
echo
echo "== twin: the baseline year simulated from the graph (weft simulate; assumptions: --print-model)"
./build/release/weft simulate --store "$demo/store" --replications 30 --horizon 365d --seed 1 -q
