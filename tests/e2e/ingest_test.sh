#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end test of `weft ingest` itself (engine/cli/ingest_cmd.cpp), over
# the generated pharma network and the public samples:
#   1. one lot seen by the ERP (SAP CSV), the MES (B2MML) and the
#      distributor's EPCIS files is one node, described by all three;
#   2. each document is its own named graph with a PROV-O description
#      (file name, SHA-256, connector, counts) in the documents graph;
#   3. the same bytes ingested again change nothing; a refused document
#      (wrong connector forced, a file no connector reads) leaves the store
#      as it was, and its message names the file;
#   4. every file under ../shared/samples is ingested or refused with the
#      record and the reason, and a refused one leaves no graph behind.
# Usage: ingest_test.sh WEFT_BINARY GENERATOR REPO_ROOT
set -u
weft=$1
gen=$2
src=$3
. "$(dirname "$0")/lib.sh"
DT='PREFIX dt: <https://w3id.org/weft/dt#> PREFIX prov: <http://www.w3.org/ns/prov#>'
q() { "$weft" query --union --store "$1" -f tsv "$DT $2" 2>&1 | tail -n +2; }
docs=https://w3id.org/weft/graph/documents

rec=$tmp/records
"$gen" --profile small --seed 2025 --out "$rec" >/dev/null 2>&1 || { bad "generate the small profile"; }

# 1. One lot, three systems.
lot=https://id.gs1.org/01/00300012001010/10/A100-25-024
epcis=$(grep -l '"cbvmda:lotNumber": *"A100-25-024"' "$rec"/meridian/epcis/*.jsonld | head -1)
s=$tmp/lot
if [ -n "$epcis" ] && "$weft" ingest -q --store "$s" "$rec/aurelian/erp/batches.csv" "$rec/aurelian/mes/lots-2025.xml" "$epcis" 2>"$tmp/err"; then
  ok "ingest the lot from batches.csv (sap-csv), lots-2025.xml (b2mml) and $(basename "$epcis") (epcis-json)"
else
  bad "ingest the three documents: $(head -c 400 "$tmp/err")"
fi
n=$(q "$s" "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l dt:lotNumber \"A100-25-024\" ; dt:ofProduct <https://id.gs1.org/01/00300012001010> }")
[ "$n" = 1 ] && ok "one node for lot A100-25-024 of GTIN 00300012001010" || bad "nodes for the lot: $n (want 1)"
conns=$(q "$s" "SELECT DISTINCT ?c WHERE { GRAPH ?g { <$lot> ?p ?o } GRAPH <$docs> { ?g dt:connector ?c } } ORDER BY ?c" | tr -d '"' | tr '\n' ' ')
[ "$conns" = "b2mml epcis-json sap-csv " ] && ok "the lot's node is described by b2mml, epcis-json and sap-csv" \
  || bad "connectors describing the lot: '$conns'"
keys=$(q "$s" "SELECT ?k WHERE { <$lot> dt:erpBatchNumber|dt:mesLotId ?k }" | sort -u | tr -d '"' | tr '\n' ' ')
[ "$keys" = "A100-25-024 " ] && ok "the ERP batch number and the MES lot id are kept on the node" || bad "source keys: '$keys'"

# 2. Provenance of each document.
f=$rec/aurelian/erp/batches.csv
sha=$(sha256sum "$f" | cut -d' ' -f1)
row=$(q "$s" "SELECT ?name ?sha ?conn ?recs WHERE { GRAPH <$docs> { <https://w3id.org/weft/doc/$sha> a prov:Entity, dt:SourceDocument ;
  dt:fileName ?name ; dt:sha256 ?sha ; dt:connector ?conn ; dt:recordCount ?recs ; dt:tripleCount ?t ; prov:generatedAtTime ?when } }")
rows=$(($(wc -l <"$f") - 1))
want=$(printf '"batches.csv"\t"%s"\t"sap-csv"\t%s' "$sha" "$rows")
[ "$row" = "$want" ] && ok "documents graph: file name, SHA-256, connector and $rows records of batches.csv" || bad "provenance row: '$row' (want '$want')"
# tripleCount is what the graph holds: duplicates (an EPCIS document repeats
# the same lot and parties in many events) are not counted twice.
for doc in "$f" "$epcis"; do
  d=$(sha256sum "$doc" | cut -d' ' -f1)
  n=$(q "$s" "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/weft/doc/$d> { ?s ?p ?o } }")
  t=$(q "$s" "SELECT ?t WHERE { GRAPH <$docs> { <https://w3id.org/weft/doc/$d> dt:tripleCount ?t } }")
  [ "$n" -gt 0 ] && [ "$n" = "$t" ] && ok "$(basename "$doc")'s graph holds its $n triples (tripleCount agrees)" \
    || bad "$(basename "$doc"): graph triples $n, tripleCount $t"
done

# 3. Idempotence and refusals.
before=$(quads "$s")
"$weft" ingest --store "$s" "$f" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] && grep -q "already ingested" "$tmp/err" && [ "$(quads "$s")" = "$before" ] \
  && ok "the same bytes again: 'already ingested', store unchanged" || bad "re-ingest: rc $rc, $(cat "$tmp/err")"
other=$(ls "$rec"/meridian/epcis/*.jsonld | grep -v "$epcis" | head -1)
"$weft" ingest --store "$s" --connector sap-csv "$other" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q "$(basename "$other")" "$tmp/err" && [ "$(quads "$s")" = "$before" ] \
  && ok "a forced wrong connector is refused naming the file; store unchanged" || bad "forced connector: rc $rc, $(head -c 300 "$tmp/err")"
echo "not records" >"$tmp/notes.txt"
"$weft" ingest --store "$s" "$tmp/notes.txt" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q "notes.txt: no connector reads this file" "$tmp/err" \
  && ok "a named file no connector reads is an error" || bad "unknown file: rc $rc, $(cat "$tmp/err")"
mkdir -p "$tmp/folder" && cp "$tmp/notes.txt" "$tmp/folder/" && cp "$rec/aurelian/erp/vendors.csv" "$tmp/folder/"
"$weft" ingest --store "$s" "$tmp/folder" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] && grep -q "left out" "$tmp/err" && grep -q "1 documents ingested" "$tmp/err" \
  && ok "in a folder, a file no connector reads is left out; the records beside it ingest" || bad "folder: rc $rc, $(cat "$tmp/err")"

# 4. Every public sample: ingested, or refused with its record and reason, nothing partial.
samples=$src/../shared/samples
if [ -d "$samples/epcis" ]; then
  s2=$tmp/samples
  "$weft" ingest --store "$s2" "$samples" >"$tmp/out" 2>"$tmp/err"; rc=$?
  refused=$(grep -c '^weft: error: ' "$tmp/err")
  ingested=$(q "$s2" "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH <$docs> { ?g a dt:SourceDocument } }")
  [ $rc = 1 ] && [ "$ingested" -ge 40 ] && [ "$refused" -ge 15 ] \
    && ok "../shared/samples: $ingested documents ingested, $refused refused (exit 1)" || bad "samples: rc $rc, $ingested ingested, $refused refused"
  # Every refusal names the file and says why; invalid EPCIS names the event.
  nameless=$(grep '^weft: error: ' "$tmp/err" | grep -vc ': .*: .')
  [ "$nameless" = 0 ] && ok "every refusal names its file and a reason" || bad "$nameless refusals without a reason"
  ev=$(grep '^weft: error: .*json-invalid/' "$tmp/err" | grep -c 'event [0-9]\|@context\|eventList\|epcisBody')
  inv=$(ls "$samples"/epcis/openepcis/2.0/json-invalid/*.json | wc -l)
  [ "$ev" = "$inv" ] && ok "all $inv invalid EPCIS documents are refused, each naming the event or the missing part" \
    || bad "invalid EPCIS refusals with a record: $ev of $inv"
  partial=0
  while IFS= read -r line; do
    file=${line#weft: error: }
    file=${file%%: *}
    [ -f "$file" ] || continue
    g=https://w3id.org/weft/doc/$(sha256sum "$file" | cut -d' ' -f1)
    [ "$(q "$s2" "ASK { GRAPH <$g> { ?s ?p ?o } }")" = true ] && partial=$((partial + 1))
  done < <(grep '^weft: error: ' "$tmp/err")
  [ "$partial" = 0 ] && ok "no refused sample left a graph behind" || bad "$partial refused samples left quads"
  # The IOF examples are RDF (Turtle, RDF/XML): weft load reads them, no connector needed.
  if "$weft" load -q --store "$tmp/iof" "$samples"/iof-examples/*.ttl "$samples"/iof-examples/*.rdf 2>"$tmp/err"; then
    ok "the IOF example files (Turtle, RDF/XML) load with weft load: $(quads "$tmp/iof") quads"
  else
    bad "IOF examples: $(head -c 300 "$tmp/err")"
  fi
else
  echo "skip: ../shared/samples not found beside the checkout (section 4)"
fi

summary "ingest e2e"
