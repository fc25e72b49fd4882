#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the MES connectors (connectors/mes, mappings/b2mml,
# mappings/batchml): every B2MML / BatchML sample in ../shared/samples/b2mml
# ingests with a few facts per sample checked by SPARQL ASK, the V0700
# fixtures (tests/data/mes) ingest with the batch genealogy (consumed and
# produced lots), equipment hierarchy and test results queryable, a BatchML
# V0700 batch record ingests with its lot and sample test, and a
# malformed document is refused with its file and reason, leaving the store
# unchanged. With `weft ingest` the connectors pick the documents and the
# mappings; without it (older builds) each document runs through
# `weft map --input` with the mapping the connector would choose.
# Usage: mes_samples_test.sh WEFT_BINARY REPO_ROOT
set -u
weft=$1
src=$2
samples=$src/../shared/samples/b2mml
if [ ! -d "$samples" ]; then
  echo "skip: $samples is missing (the shared samples are not checked out beside the repository)"
  exit 0
fi
. "$(dirname "$0")/lib.sh"

prefixes='PREFIX dt: <https://w3id.org/weft/dt#>
PREFIX iof: <https://spec.industrialontologies.org/ontology/construct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX s: <https://data.sample.example/>
PREFIX a: <https://data.aurelian.example/>
PREFIX gs1: <https://id.gs1.org/01/>'

if "$weft" ingest --help >/dev/null 2>&1; then mode=ingest; else mode=map; fi
echo "mode: $mode"
store=$tmp/store
data=()   # map mode: the N-Quads files written so far

# ingest NAME FILE [MAPPING...]: one document into the store (ingest mode) or
# an N-Quads file (map mode, one file per mapping).
ingest() {
  local name=$1 file=$2
  shift 2
  if [ "$mode" = ingest ]; then
    "$weft" ingest --store "$store" "$file" >"$tmp/o" 2>"$tmp/e" || return 1
  else
    local m i=0
    for m in "$@"; do
      i=$((i + 1))
      "$weft" map "$src/mappings/$m" --input "$file" -o "$tmp/$name.$i.nq" -q 2>"$tmp/e" || return 1
      data+=(--data "$tmp/$name.$i.nq")
    done
  fi
}

# The number of triples in the data so far.
count() {
  local q="SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
  if [ "$mode" = ingest ]; then "$weft" query --store "$store" -f tsv "$q" | tail -1
  else "$weft" query "${data[@]}" -f tsv "$q" | tail -1; fi
}

# ask DESCRIPTION PATTERN: the pattern matches, in the default graph or a named one.
ask() {
  local what=$1 pattern=$2 q r
  q="$prefixes
ASK { { $pattern } UNION { GRAPH ?g { $pattern } } }"
  if [ "$mode" = ingest ]; then r=$("$weft" query --store "$store" -f tsv "$q" 2>&1 | tail -1)
  else r=$("$weft" query "${data[@]}" -f tsv "$q" 2>&1 | tail -1); fi
  if [ "$r" = true ]; then ok "$what"; else bad "$what: ASK gave '$r'"; fi
}

# join DESCRIPTION PATTERN1 PATTERN2: both match, each in any graph (documents
# are separate named graphs when ingested), sharing their variables.
join() {
  local what=$1 q r
  q="$prefixes
ASK { { $2 } UNION { GRAPH ?g1 { $2 } } { $3 } UNION { GRAPH ?g2 { $3 } } }"
  if [ "$mode" = ingest ]; then r=$("$weft" query --store "$store" -f tsv "$q" 2>&1 | tail -1)
  else r=$("$weft" query "${data[@]}" -f tsv "$q" 2>&1 | tail -1); fi
  if [ "$r" = true ]; then ok "$what"; else bad "$what: ASK gave '$r'"; fi
}

# select1 PATTERN-WITH-?n: the single value of ?n.
select1() {
  local q="$prefixes
SELECT ?n WHERE { $1 }"
  if [ "$mode" = ingest ]; then "$weft" query --store "$store" -f tsv "$q" 2>&1 | tail -1
  else "$weft" query "${data[@]}" -f tsv "$q" 2>&1 | tail -1; fi
}

# sample NAME FILE MAPPING...: ingests and checks that quads were added.
sample() {
  local name=$1 file=$2
  shift 2
  local before after
  before=$(if [ -e "$store" ] || [ ${#data[@]} -gt 0 ]; then count; else echo 0; fi)
  if ingest "$name" "$file" "$@"; then
    after=$(count)
    if [ "${after:-0}" -gt "${before:-0}" ] 2>/dev/null; then ok "$name ingests ($((after - before)) new triples)"
    else bad "$name ingested but added no triples ($before -> $after)"; fi
  else
    bad "$name did not ingest: $(head -c 600 "$tmp/e")"
  fi
}

c=$samples/examples-v0401-courbon
sample MAT "$(ls "$c"/MAT-*.xml)" b2mml/v0401-material.ttl
ask "MAT: material CRBN0001 is a product definition with its label" \
  's:material\/CRBN0001 a dt:ProductDefinition ; rdfs:label "Product Courbon0001" ; dt:mesMaterialId "CRBN0001" .'
sample LOT "$(ls "$c"/LOT-*.xml)" b2mml/v0401-material.ttl
ask "LOT: lot CRBN0001_LOT01 is released and expires 2013-12-08" \
  's:lot\/CRBN0001\/CRBN0001_LOT01 a iof:Lot ; dt:hasDisposition dt:Released ; dt:expiryDate "2013-12-08"^^xsd:date ;
     dt:ofProduct s:material\/CRBN0001 ; dt:mesLotId "CRBN0001_LOT01" .'
sample INV "$(ls "$c"/INV-*.xml)" b2mml/v0401-material.ttl
ask "INV: sub-lot CRBN0001_LOT01_01 of the lot holds 24.910 KG" \
  '?sub a iof:Sublot ; dt:memberOfLot s:lot\/CRBN0001\/CRBN0001_LOT01 ; dt:mesSubLotId "CRBN0001_LOT01_01" ;
     dt:quantity 24.910 ; dt:unitOfMeasure "KG" .'
sample PRO "$(ls "$c"/PRO-*.xml)" b2mml/v0401-production-schedule.ttl
ask "PRO: order 258456 produces 1.000 KG of SO1215" \
  's:order\/258456 a dt:ProductionOrder ; dt:orderNumber "258456" ; dt:forProduct s:material\/SO1215 ; dt:plannedQuantity 1.000 .'
sample PES "$(ls "$c"/PES-*.xml)" b2mml/v0401-production-performance.ttl
ask "PES: batch 53107 consumed lot CRBN0001_LOT01 (0.41 KG in phase Weighing, sub-lot 430147330000056734)" \
  's:batch\/53107 a iof:BatchRun ; iof:hasInput s:lot\/CRBN0001\/CRBN0001_LOT01 .
   s:batch\/53107 dt:hasConsumption ?c . ?c a dt:MaterialConsumption ; dt:consumedLot s:lot\/CRBN0001\/CRBN0001_LOT01 ;
      dt:consumedQuantity 0.41 ; dt:partOfPhase s:phase\/53107\/Weighing ; dt:mesSubLotId "430147330000056734" .
   s:phase\/53107\/Weighing a dt:PhaseRun ; dt:partOfBatch s:batch\/53107 .'
join "the LOT and PES documents name the same lot node (the material and the batch join)" \
  '?lot dt:expiryDate ?d .' '?b iof:hasInput ?lot .'

bpr=$samples/batchml-v0401-batch-production-record/ProductionBatchRecord_Example_v06.xml
sample BPR "$bpr" batchml/v0401-batch-production-record.ttl b2mml/v0401-production-performance.ttl
ask "BPR: batch BX10 of product 000399FG01 (control recipe 15631837)" \
  's:batch\/BX10 a iof:BatchRun ; dt:batchId "BX10" ; dt:controlRecipeId "15631837" ; dt:forProduct s:material\/000399FG01 .
   s:material\/000399FG01 rdfs:label "000399 Finish Good 01" .'
want=$(grep -c '<RecipeElementType>Phase</RecipeElementType>' "$bpr")
got=$(select1 '{ SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { { ?p dt:partOfBatch s:batch\/BX10 ; a dt:PhaseRun ; dt:endTime ?t }
                 UNION { GRAPH ?g { ?p dt:partOfBatch s:batch\/BX10 ; a dt:PhaseRun ; dt:endTime ?t } } } }')
if [ "$got" = "$want" ] && [ "$want" -gt 0 ]; then ok "BPR: all $want phases of BX10 with their completion times"
else bad "BPR: $got phases with end times, the record has $want"; fi

mr=$samples/batchml-v02-cough-syrup/cough-syrup-pmw.xml
sample RECIPE "$mr" batchml/v02-master-recipe.ttl
ask "RECIPE: the cough syrup master recipe, batch size 1000..10000 (nominal 5000)" \
  '?r a iof:MasterRecipe ; rdfs:label "Cough Syrup Demo" ; dt:batchSizeNominal "5000"^^xsd:decimal ;
     dt:batchSizeMin "1000"^^xsd:decimal ; dt:batchSizeMax "10000"^^xsd:decimal .'
ask "RECIPE: its phases are iof:RecipePhase elements of the recipe" \
  '?r a iof:MasterRecipe . ?e a iof:RecipePhase ; dt:partOfRecipe ?r ; rdfs:label "Qualify Operator" .'

# The V0700 fixtures of the example's S1 (aurelian).
f=$src/tests/data/mes
sample V0700-equipment "$f/v0700-equipment.xml" b2mml/v0700-equipment.ttl
sample V0700-material "$f/v0700-material.xml" b2mml/v0700-material.ttl
sample V0700-schedule "$f/v0700-schedule.xml" b2mml/v0700-operations-schedule.ttl
sample V0700-performance "$f/v0700-performance.xml" b2mml/v0700-operations-performance.ttl
ask "V0700: the bioreactor is part of the enterprise through site, area and process cell" \
  'a:equipment\/BR-201 a iof:Bioreactor, iof:PhysicalUnit ; dt:partOf/dt:partOf/dt:partOf/dt:partOf a:equipment\/AURELIAN .
   a:equipment\/AURELIAN a iof:Enterprise . a:equipment\/S1 a iof:PhysicalSite .'
ask "V0700: batch DS-2025-017 made lot DS-2025-017 (GS1 Digital Link) from the medium lot V1-M-4711, on BR-201" \
  'a:batch\/DS-2025-017 a iof:BatchRun ; iof:hasSpecifiedOutput gs1:00300011001011\/10\/DS-2025-017 ;
     iof:hasInput gs1:00399991000503\/10\/V1-M-4711 ; dt:executedOn a:equipment\/BR-201 ; dt:forOrder a:order\/1000017 .'
got=$(select1 '{ SELECT (COUNT(DISTINCT ?in) AS ?n) WHERE {
                   { ?b iof:hasSpecifiedOutput gs1:00300011001011\/10\/DS-2025-017 ; iof:hasInput ?in }
                   UNION { GRAPH ?g { ?b iof:hasSpecifiedOutput gs1:00300011001011\/10\/DS-2025-017 ; iof:hasInput ?in } } } }')
if [ "$got" = 2 ]; then ok "V0700: the produced lot's genealogy has both consumed lots (one without a GTIN)"
else bad "V0700: genealogy of DS-2025-017 has $got inputs, expected 2"; fi
ask "V0700: the lot without a GTIN falls back to the organisation's lot IRI" \
  'a:batch\/DS-2025-017 iof:hasInput a:lot\/100070\/ANTIFOAM-88 .'
ask "V0700: phases of the batch with times and equipment" \
  'a:phase\/DS-2025-017\/UP-10 a dt:PhaseRun ; rdfs:label "ProductionCulture" ; dt:partOfBatch a:batch\/DS-2025-017 ;
     dt:startTime "2025-03-04T06:10:00Z"^^xsd:dateTime ; dt:executedOn a:equipment\/BR-201 .'
ask "V0700: the produced lot from the material message is the same node (quarantined, with its product)" \
  'gs1:00300011001011\/10\/DS-2025-017 dt:hasDisposition dt:Quarantined ; dt:ofProduct gs1:00300011001011 .
   gs1:00300011001011 a dt:ProductDefinition ; dt:gtin "00300011001011" .'
ask "V0700: the lot's titer test result (4.2 g/L in 2.0..6.0, accepted)" \
  '?t a dt:TestResult ; dt:testedLot gs1:00300011001011\/10\/DS-2025-017 ; dt:characteristic "Titer" ;
     dt:resultValue 4.2 ; dt:lowerLimit 2.0 ; dt:upperLimit 6.0 ; dt:valuation "A" ; dt:testDate "2025-03-19"^^xsd:date .'
join "V0700: the batch (performance) made a lot the material message quarantined and tested" \
  'a:batch\/DS-2025-017 iof:hasSpecifiedOutput ?lot .' '?lot dt:hasDisposition dt:Quarantined . ?t dt:testedLot ?lot .'
join "V0700: the batch's equipment (performance) is in the enterprise's hierarchy (equipment message)" \
  'a:batch\/DS-2025-017 dt:executedOn ?e .' '?e dt:partOf+ a:equipment\/AURELIAN .'
join "V0700: the batch's order (schedule message) plans the product of the batch's output lot" \
  'a:batch\/DS-2025-017 dt:forOrder ?o ; iof:hasSpecifiedOutput ?lot . ?lot dt:ofProduct ?p .' '?o dt:forProduct ?p .'
ask "V0700: the order produces the drug substance" \
  'a:order\/1000017 dt:forProduct gs1:00300011001011 ; dt:plannedStart "2025-03-04T06:00:00Z"^^xsd:dateTime .'

# A BatchML V0700 batch record: the lot it made (its GTIN from the embedded
# performance record) and its sample test, out of its expected range.
sample V0700-batch-record "$f/v0700-batch-record.xml" batchml/v0700-batch-production-record.ttl \
  b2mml/v0700-operations-performance.ttl
ask "V0700 batch record: batch DS-2025-018 made GS1 lot DS-2025-018 of the drug substance, on BR-202" \
  '?b dt:batchId "DS-2025-018" ; dt:batchRecordId "EBR-DS-2025-018" ; iof:hasSpecifiedOutput gs1:00300011001011\/10\/DS-2025-018 ;
     dt:forProduct gs1:00300011001011 ; dt:executedOn ?e . FILTER(STRENDS(STR(?e), "/equipment/BR-202"))'
ask "V0700 batch record: the osmolality sample test, 412 outside 280..380, valuation R" \
  '?t a dt:TestResult ; dt:testedLot gs1:00300011001011\/10\/DS-2025-018 ; dt:characteristic "Osmolality" ;
     dt:resultValue "412"^^xsd:decimal ; dt:lowerLimit "280"^^xsd:decimal ; dt:upperLimit "380"^^xsd:decimal ;
     dt:valuation "R" ; dt:unit "mOsm/kg" .'

# A malformed document is refused with its file and reason; nothing is written.
printf '<?xml version="1.0"?>\n<SyncMaterialLot xmlns="http://www.mesa.org/xml/B2MML" releaseID="1">\n<DataArea><Sync/>\n<MaterialLot><ID>L1</ID><MaterialDefinitionID>M</MaterialDefinitionID></MaterialLt>\n</DataArea></SyncMaterialLot>\n' \
  >"$tmp/broken-lot.xml"
before=$(count)
if [ "$mode" = ingest ]; then
  "$weft" ingest --store "$store" "$tmp/broken-lot.xml" >"$tmp/o" 2>"$tmp/e"
  rc=$?
  after=$(count)
  if [ "$rc" = 1 ] && grep -q 'broken-lot.xml' "$tmp/e" && grep -q 'not well-formed' "$tmp/e" && [ "$before" = "$after" ]; then
    ok "a malformed document is refused with its file and reason; the store is unchanged ($after triples)"
  else
    bad "malformed document: exit $rc, stderr: $(head -c 400 "$tmp/e"), triples $before -> $after"
  fi
  # A document that parses but lacks what the mappings need is refused too.
  sed -e 's|</MaterialLt>|</MaterialLot><MaterialLot><ID>L2</ID></MaterialLot>|' "$tmp/broken-lot.xml" >"$tmp/lot-without-material.xml"
  "$weft" ingest --store "$store" "$tmp/lot-without-material.xml" >"$tmp/o" 2>"$tmp/e"
  rc=$?
  after=$(count)
  if [ "$rc" = 1 ] && grep -q 'lot-without-material.xml: /SyncMaterialLot/DataArea/MaterialLot\[2\]' "$tmp/e" &&
     grep -q 'names no material' "$tmp/e" && [ "$before" = "$after" ]; then
    ok "a lot without a material is refused with its element path and reason; nothing of the document is written"
  else
    bad "lot without material: exit $rc, stderr: $(head -c 400 "$tmp/e"), triples $before -> $after"
  fi
else
  "$weft" map "$src/mappings/b2mml/v0700-material.ttl" --input "$tmp/broken-lot.xml" -o "$tmp/broken.nq" >"$tmp/o" 2>"$tmp/e"
  rc=$?
  if [ "$rc" != 0 ] && grep -q 'broken-lot.xml' "$tmp/e" && [ ! -e "$tmp/broken.nq" ]; then
    ok "a malformed document fails the mapping with its file named; nothing is written"
  else
    bad "malformed document: exit $rc, stderr: $(head -c 400 "$tmp/e"), output exists: $([ -e "$tmp/broken.nq" ] && echo yes || echo no)"
  fi
fi

summary ""
