#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pharma supply-network pipeline (examples/pharma-network): generate the
# records of two manufacturers and a distributor, ingest every organisation's
# files through their connectors into one store, reason over it (OWL 2 RL and
# the domain rules of ontologies/rules), validate it against the SHACL shapes
# of ontologies/shapes, then answer the question pack. Used by scripts/demo.sh
# (the README's first command) and by the question-pack test, which compares
# each answer with its expected file.
#
#   scripts/pharma-pipeline.sh WEFT GENERATOR WORKDIR [PROFILE] [ANSWERS_DIR]
#
# WORKDIR gets records/ (generated), store/, ingest.log, reason.log (the
# reasoner's inconsistencies) and validation.ttl (the SHACL report). With
# ANSWERS_DIR each query's answer is also written there as QUERY.tsv.
# Exit status: 1 if a step fails; if the store does not conform to the shapes
# the questions are still answered (the report says what is wrong, and most
# answers stay meaningful), and the status is 1 at the end.
set -euo pipefail
weft=$1
gen=$2
work=$3
profile=${4:-small}
answers=${5:-}
root=$(cd "$(dirname "$0")/.." && pwd)
ex=$root/examples/pharma-network
rec=$work/records
store=$work/store
rm -rf "$rec" "$store"
mkdir -p "$work"

echo "== generate: $profile profile (seed 2025) into $rec"
"$gen" --profile "$profile" --seed 2025 --out "$rec"

echo "== ontology: load the weft modules (ontologies/*.ttl)"
"$weft" load --store "$store" --graph https://w3id.org/weft/graph/ontology -q "$root"/ontologies/*.ttl

# Order matters only where a connector reads what an earlier one wrote: the
# historian's phase summaries need the MES phases and the tag dictionary.
ingest() {
  echo "== ingest: $1"
  shift
  "$weft" ingest --store "$store" "$@" 2>>"$work/ingest.log" || {
    echo "ingest failed; the log is $work/ingest.log:" >&2
    tail -20 "$work/ingest.log" >&2
    return 1
  }
  tail -1 "$work/ingest.log"
}
: >"$work/ingest.log"
ingest "M1 Aurelian ERP (SAP-style CSV extracts)" "$rec"/aurelian/erp
ingest "M1 Aurelian QMS (deviations, CAPA, complaints, recalls, supplier CoAs)" "$rec"/aurelian/qms
ingest "M1 Aurelian MES (B2MML V0700)" "$rec"/aurelian/mes
ingest "M1 Aurelian historian (tag dictionary, then samples)" "$rec"/aurelian/historian/tags.csv
ingest "M1 Aurelian historian samples" $(ls "$rec"/aurelian/historian/*.csv | grep -v '/tags.csv$')
ingest "M2 Brightwater ERP (SQLite, another schema)" "$rec"/brightwater/erp
ingest "M2 Brightwater MES (B2MML V0401)" "$rec"/brightwater/mes
ingest "M2 Brightwater historian" "$rec"/brightwater/historian/tags.csv
ingest "M2 Brightwater historian samples" $(ls "$rec"/brightwater/historian/*.csv | grep -v '/tags.csv$')
ingest "D1 Meridian EPCIS 2.0 JSON-LD (3PL for M1, wholesaler for M2)" "$rec"/meridian/epcis
ingest "D1 Meridian EPCIS 1.2 XML (from M2)" "$rec"/meridian/epcis-xml
ingest "D1 Meridian historian (cold rooms)" "$rec"/meridian/historian/tags.csv
ingest "D1 Meridian historian samples" $(ls "$rec"/meridian/historian/*.csv | grep -v '/tags.csv$')

echo "== store"
"$weft" stats --store "$store"

# Reasoning writes what the records only imply into the inferred graph
# (https://w3id.org/weft/graph/inferred): the OWL 2 RL closure of the ontology
# (genealogy by dt:derivesFrom, identity by owl:hasKey, ...) and the domain
# rules (OOS results, EPCIS dispositions, excursions per lot; see
# docs/reasoning-rules.md). Inconsistencies are reported, not fatal.
echo
echo "== reason: OWL 2 RL and the domain rules (ontologies/rules) into the inferred graph"
"$weft" reason --store "$store" --rules "$root"/ontologies/rules -q 2>"$work/reason.log"
if [ -s "$work/reason.log" ]; then
  echo "(the reasoner reported $(grep -c '^inconsistency' "$work/reason.log") inconsistencies; see $work/reason.log)"
fi

# Validation after reasoning: the shapes see the closure (some need it, e.g. the
# OOS-result shape). A store that does not conform is reported with the
# summary; the questions still run (a demo should show its answers and what is
# wrong), and the pipeline's status says it failed.
echo
echo "== validate: SHACL shapes of the ontology modules and the connectors (ontologies/shapes)"
conforms=1
if ! "$weft" validate --store "$store" --shapes "$root"/ontologies/shapes --report "$work/validation.ttl" \
     --max-results 1000 2>"$work/validate.log"; then
  conforms=0
fi
cat "$work/validate.log"

echo "== questions: examples/pharma-network/queries"
if [ -n "$answers" ]; then mkdir -p "$answers"; fi
for q in "$ex"/queries/*.rq; do
  name=$(basename "$q" .rq)
  # The heading is the query's "# Question: ..." line.
  question=$(sed -n 's/^# Question: //p' "$q" | head -1)
  echo
  echo "-- $name: $question"
  "$weft" query --union --store "$store" --format table --file "$q"
  if [ -n "$answers" ]; then
    "$weft" query --union --store "$store" --format tsv --file "$q" >"$answers/$name.tsv"
  fi
done
if [ "$conforms" = 0 ]; then
  echo "the store does not conform to ontologies/shapes: $work/validation.ttl" >&2
  exit 1
fi
