#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: install the Debian packages, build weft
# (Release), and run the main job on the shipped example. Today the job is:
# load every record of examples/supply-network into a durable store in one
# transaction, map the 3PL manifest (CSV) and MES batch records (JSON) into it
# with RML (one bad manifest row is rejected with its reason), print its
# statistics, check its integrity and export it as
# TriG, then answer the regulator's question pack
# (examples/supply-network/queries/*.rq), each query's question as a heading
# and its answer as a table. Later capabilities (mapping, reasoning,
# validation, a twin scenario) join this same command as they land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target weft
weft=./build/release/weft
store=${WEFT_DEMO_STORE:-build/demo-store}
out=build/demo-out
rm -rf "$store" "$out"
mkdir -p "$out"
ex=examples/supply-network
echo "== load: ERP (Turtle), MES/LIMS (TriG), maintenance (RDF/XML), 3PL EPCIS (JSON-LD), agency (N-Quads)"
$weft load --store "$store" "$ex/manufacturer-master.ttl" "$ex/batch-records.trig" \
  "$ex/equipment.rdf" "$ex/3pl-shipment.jsonld" "$ex/regulator-notes.nq"
echo "== map: 3PL shipment manifest (CSV) and MES batch records (JSON), RML with GS1 functions and a join"
$weft map "$ex/records/mapping.ttl" --store "$store" --on-error skip --rejects "$out/map-rejects.txt"
echo "rejected records (kept with their reason in $out/map-rejects.txt):"
cat "$out/map-rejects.txt"
echo "== stats"
$weft stats --store "$store"
echo "== check"
$weft check --store "$store"
echo "== export"
$weft export --store "$store" --format trig -o "$out/supply-network.trig"
echo "wrote $out/supply-network.trig ($(wc -l <"$out/supply-network.trig") lines)"
echo "== questions: examples/supply-network/queries"
for q in "$ex"/queries/*.rq; do
  # The heading is the query's leading "# Question" comment, up to "# Joins".
  question=$(awk '/^# Joins/ { exit } /^# Question/ { on = 1 } on { sub(/^#[ ]*/, ""); sub(/^Question[^:]*: /, ""); printf "%s ", $0 }' "$q")
  echo
  echo "-- $(basename "$q" .rq): ${question% }"
  $weft query --store "$store" --format table --file "$q"
done
