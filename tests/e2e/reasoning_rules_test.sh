#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the domain rules (ontologies/rules), the identity and
# integrity axioms of the dt- modules and the SHACL shapes (ontologies/shapes)
# on small hand-made records (docs/reasoning-rules.md):
#  1. the rule files are monotone and make no blank nodes (a lint);
#  2. a two-organisation fixture (an MES that names a vial lot by its own IRI,
#     the distributor's EPCIS that names it by its GS1 Digital Link) loaded with
#     the ontology; before `weft reason` the question "which dispensers received
#     units of a lot made from a drug-substance lot with an OOS result" has no
#     answer, after it the two lot nodes are one (owl:hasKey) and the answer is
#     the dispenser; each rule's output is checked (OOS, dispositions, cold-chain
#     excursion with its duration, a historian excursion carried to the lot,
#     genealogy at two levels) and what a rule must not derive is absent;
#  3. reasoning again changes nothing (deterministic IRIs, monotone rules) and
#     a full recomputation gives the same inferred graph;
#  4. the reasoned fixture conforms to every shape, and records with one planted
#     error each are rejected by the shape written for it (exit 1, the shape
#     named in the summary).
# Usage: reasoning_rules_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"
rules=$src/ontologies/rules
shapes=$src/ontologies/shapes
P='PREFIX dt: <https://w3id.org/weft/dt#>
PREFIX iof: <https://spec.industrialontologies.org/ontology/construct/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX cbv: <https://ref.gs1.org/cbv/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'
# q STORE QUERY: the rows of a SELECT (TSV without header), sorted.
q() { "$weft" query --union --store "$1" -f tsv "$P
$2" 2>>"$tmp/qerr" | tail -n +2 | sort; }
# expect WHAT ACTUAL EXPECTED
expect() {
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], want [$3]"; fi
}

# ---- 1. lint: monotone rules, no blank nodes per run
for r in "$rules"/*.rq; do
  n=$(basename "$r")
  body=$(grep -v '^\s*#' "$r")
  if printf '%s\n' "$body" | grep -Eiq 'NOT[[:space:]]+EXISTS|MINUS|OPTIONAL|!\s*BOUND'; then
    bad "$n: uses negation (NOT EXISTS, MINUS, OPTIONAL, !BOUND): not monotone"
  elif printf '%s\n' "$body" | grep -Eiq 'BNODE|_:|\[\s*\]|GROUP[[:space:]]+BY|(COUNT|SUM|MIN|MAX|AVG|SAMPLE)\s*\('; then
    bad "$n: makes blank nodes or aggregates"
  elif ! grep -q '^# Derives:' "$r" || ! grep -q '^# From:' "$r" || ! grep -q '^# Why:' "$r"; then
    bad "$n: the header lacks '# Derives:', '# From:' or '# Why:'"
  else
    ok "$n: monotone, no blank nodes, documented"
  fi
done

# ---- 2. the fixture
cat >"$tmp/records.trig" <<'EOF'
@prefix dt:   <https://w3id.org/weft/dt#> .
@prefix iof:  <https://spec.industrialontologies.org/ontology/construct/> .
@prefix cbv:  <https://ref.gs1.org/cbv/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix a:    <https://data.aurelian.example/> .

# M1's ERP: products, a raw-material lot, the drug-substance lot, test results.
<https://example.org/graph/erp> {
  <https://id.gs1.org/01/00300011001011> a dt:ProductDefinition ; rdfs:label "mAb drug substance" ;
      dt:gtin "00300011001011" ; dt:storageMinCelsius -50.0 ; dt:storageMaxCelsius -40.0 .
  <https://id.gs1.org/01/00300012001010> a dt:ProductDefinition ; rdfs:label "mAb 100 mg vial" ;
      dt:gtin "00300012001010" ; dt:storageMinCelsius 2.0 ; dt:storageMaxCelsius 8.0 .
  <https://id.gs1.org/01/04012345500011> a dt:ProductDefinition ; rdfs:label "culture medium" ;
      dt:gtin "04012345500011" .
  <https://id.gs1.org/01/04012345500011/10/R25-00001> a iof:Lot ; dt:lotNumber "R25-00001" ;
      dt:ofProduct <https://id.gs1.org/01/04012345500011> .
  <https://id.gs1.org/01/00300011001011/10/DS-T-001> a iof:Lot ; dt:lotNumber "DS-T-001" ;
      dt:ofProduct <https://id.gs1.org/01/00300011001011> .
  a:test\/1 a dt:TestResult ; dt:testedLot <https://id.gs1.org/01/00300011001011/10/DS-T-001> ;
      dt:characteristic "Protein concentration" ; dt:resultValue 30.1 ; dt:lowerLimit 24.0 ; dt:upperLimit 28.0 ;
      dt:source dt:InHouseTest ; dt:resultStatus dt:Valid ; dt:valuation "R" .
  a:test\/2 a dt:TestResult ; dt:testedLot <https://id.gs1.org/01/00300011001011/10/DS-T-001> ;
      dt:characteristic "SEC monomer" ; dt:resultValue 99.0 ; dt:lowerLimit 97.0 ;
      dt:source dt:InHouseTest ; dt:resultStatus dt:Valid ; dt:valuation "A" .
}

# M1's MES: the drug-substance batch (raw lot in, DS lot out, a phase with a historian
# excursion) and the fill batch, whose output lot the MES names by its own IRI.
<https://example.org/graph/mes> {
  a:batch\/DS-T-001 a iof:BatchRun ; dt:batchId "DS-T-001" ;
      iof:hasInput <https://id.gs1.org/01/04012345500011/10/R25-00001> ;
      iof:hasSpecifiedOutput <https://id.gs1.org/01/00300011001011/10/DS-T-001> .
  a:phase\/DS-T-001\/02 a dt:PhaseRun ; dt:partOfBatch a:batch\/DS-T-001 ; rdfs:label "PRODUCTION_CULTURE" ;
      dt:startTime "2025-05-01T08:00:00Z"^^xsd:dateTime ; dt:endTime "2025-05-12T08:00:00Z"^^xsd:dateTime .
  a:batch\/A100-T-001 a iof:BatchRun ; dt:batchId "A100-T-001" .
  a:consumption\/A100-T-001\/1 a dt:MaterialConsumption ; dt:ofBatch a:batch\/A100-T-001 ;
      dt:consumedLot <https://id.gs1.org/01/00300011001011/10/DS-T-001> ; dt:consumedQuantity 1.5 .
  a:batch\/A100-T-001 iof:hasSpecifiedOutput a:lot\/200101\/A100-T-001 .
  a:lot\/200101\/A100-T-001 a iof:Lot ; dt:lotNumber "A100-T-001" ; dt:mesLotId "A100-T-001" ;
      dt:ofProduct <https://id.gs1.org/01/00300012001010> .
}

# M1's historian: a temperature excursion during the production culture.
<https://example.org/graph/historian> {
  a:tag\/BR-201.TT-001.PV a dt:Tag , sosa:Sensor ; dt:tagName "BR-201.TT-001.PV" ;
      dt:onEquipment a:equipment\/BR-201 ; sosa:observes a:property\/temperature ;
      qudt:unit <http://qudt.org/vocab/unit/DEG_C> ; dt:ucumCode "Cel" ; dt:sampleIntervalSeconds 60.0 .
  a:excursion\/1 a dt:TemperatureExcursion ; dt:ofTag a:tag\/BR-201.TT-001.PV ;
      dt:affects a:phase\/DS-T-001\/02 ;
      dt:startTime "2025-05-05T19:06:00Z"^^xsd:dateTime ; dt:endTime "2025-05-05T19:31:00Z"^^xsd:dateTime ;
      dt:durationMinutes 25.0 ; dt:extremeValue 38.32 .
}

# D1's EPCIS: the vial lot by its Digital Link, two units, shipping to a dispenser,
# dispensing one unit, decommissioning the other as recalled, a quantity of the lot
# destroyed, and a receiving event with a trip summary and an alarm report.
<https://example.org/graph/epcis> {
  <https://id.gs1.org/01/00300012001010/10/A100-T-001> a iof:Lot ; dt:lotNumber "A100-T-001" ;
      dt:ofProduct <https://id.gs1.org/01/00300012001010> .
  <https://id.gs1.org/01/00300012001010/21/1001> dt:memberOfLot <https://id.gs1.org/01/00300012001010/10/A100-T-001> .
  <https://id.gs1.org/01/00300012001010/21/1002> dt:memberOfLot <https://id.gs1.org/01/00300012001010/10/A100-T-001> .
  <https://id.gs1.org/414/0614141100019> a iof:BusinessOrganization ; rdfs:label "St. Ansel Hospital Pharmacy" ;
      dt:gln "0614141100019" .
  <urn:uuid:00000000-0000-4000-8000-000000000001> a dt:EPCISEvent , dt:ObjectEvent ;
      dt:eventTime "2025-07-01T10:00:00Z"^^xsd:dateTime ; dt:action "OBSERVE" ;
      dt:bizStep cbv:BizStep-shipping ; dt:disposition cbv:Disp-in_transit ;
      dt:hasObject <https://id.gs1.org/01/00300012001010/21/1001> , <https://id.gs1.org/01/00300012001010/21/1002> ;
      dt:destinationOwner <https://id.gs1.org/414/0614141100019> .
  <urn:uuid:00000000-0000-4000-8000-000000000002> a dt:EPCISEvent , dt:ObjectEvent ;
      dt:eventTime "2025-07-05T10:00:00Z"^^xsd:dateTime ; dt:action "OBSERVE" ;
      dt:bizStep cbv:BizStep-dispensing ; dt:disposition cbv:Disp-dispensed ;
      dt:hasObject <https://id.gs1.org/01/00300012001010/21/1001> .
  <urn:uuid:00000000-0000-4000-8000-000000000003> a dt:EPCISEvent , dt:ObjectEvent ;
      dt:eventTime "2025-09-17T10:00:00Z"^^xsd:dateTime ; dt:action "DELETE" ;
      dt:bizStep cbv:BizStep-decommissioning ; dt:disposition cbv:Disp-recalled ;
      dt:hasObject <https://id.gs1.org/01/00300012001010/21/1002> .
  <urn:uuid:00000000-0000-4000-8000-000000000004> a dt:EPCISEvent , dt:ObjectEvent ;
      dt:eventTime "2025-09-20T10:00:00Z"^^xsd:dateTime ; dt:action "DELETE" ;
      dt:bizStep cbv:BizStep-destroying ; dt:disposition cbv:Disp-destroyed ;
      dt:hasObject <https://id.gs1.org/01/00300012001010/10/A100-T-001> ;
      dt:quantityElement <urn:uuid:00000000-0000-4000-8000-000000000004#quantityList-0> .
  <urn:uuid:00000000-0000-4000-8000-000000000004#quantityList-0> a dt:QuantityElement ;
      dt:epcClass <https://id.gs1.org/01/00300012001010/10/A100-T-001> ; dt:quantity 10.0 .
  <urn:uuid:00000000-0000-4000-8000-000000000005> a dt:EPCISEvent , dt:ObjectEvent ;
      dt:eventTime "2025-07-08T22:40:00Z"^^xsd:dateTime ; dt:action "OBSERVE" ;
      dt:bizStep cbv:BizStep-receiving ; dt:disposition cbv:Disp-in_progress ;
      dt:hasObject <https://id.gs1.org/01/00300012001010/10/A100-T-001> ;
      dt:sensorReport <urn:uuid:00000000-0000-4000-8000-000000000005#sensorReport-0-0> ,
                      <urn:uuid:00000000-0000-4000-8000-000000000005#sensorReport-1-0> .
  <urn:uuid:00000000-0000-4000-8000-000000000005#sensorReport-0-0> a dt:SensorReport ;
      dt:measurementType "Temperature" ; dt:uom "CEL" ; dt:minValue 3.0 ; dt:maxValue 11.8 ;
      dt:startTime "2025-07-08T08:20:00Z"^^xsd:dateTime ; dt:endTime "2025-07-08T22:36:00Z"^^xsd:dateTime .
  <urn:uuid:00000000-0000-4000-8000-000000000005#sensorReport-1-0> a dt:SensorReport ;
      dt:measurementType "Temperature" ; dt:uom "CEL" ; dt:minValue 8.1 ; dt:maxValue 11.8 ;
      dt:startTime "2025-07-08T13:15:00Z"^^xsd:dateTime ; dt:endTime "2025-07-08T14:30:00Z"^^xsd:dateTime .
}
EOF
s=$tmp/store
if "$weft" load -q --store "$s" --graph https://w3id.org/weft/graph/ontology "$src"/ontologies/*.ttl >/dev/null 2>"$tmp/e" &&
   "$weft" load -q --store "$s" "$tmp/records.trig" >/dev/null 2>"$tmp/e"; then
  ok "load the ontology and the fixture"
else
  bad "load: $(head -c 400 "$tmp/e")"; finish "reasoning rules e2e"
fi

question='SELECT DISTINCT ?dispenser WHERE {
  ?result a dt:OOSResult ; dt:testedLot ?bad .
  ?lot dt:derivesFrom ?bad .
  ?unit dt:memberOfLot ?lot .
  ?ship a dt:ShippingEvent ; dt:hasObject ?unit ; dt:destinationOwner ?d .
  ?d rdfs:label ?dispenser }'
expect "before reasoning: no dispenser received units of a lot made from an OOS lot" "$(q "$s" "$question")" ""

if "$weft" reason --store "$s" --rules "$rules" -q >"$tmp/r1" 2>"$tmp/r1e"; then
  ok "weft reason --rules ontologies/rules"
else
  bad "weft reason: $(head -c 400 "$tmp/r1e")"; finish "reasoning rules e2e"
fi
expect "no inconsistency on clean records" "$(awk '$1 == "inconsistencies" {print $2}' "$tmp/r1")" 0
expect "after reasoning: the dispenser, found across the MES lot and the EPCIS lot" \
  "$(q "$s" "$question")" '"St. Ansel Hospital Pharmacy"'
# The Digital Link IRI is the class's representative; its source identifiers
# are its owl:sameAs links (the merged view of --union shows the class as it).
expect "identity: the MES lot and the Digital Link lot are one (owl:hasKey dt:ofProduct dt:lotNumber)" \
  "$(q "$s" 'SELECT ?x WHERE { <https://id.gs1.org/01/00300012001010/10/A100-T-001> owl:sameAs ?x }')" \
  '<https://data.aurelian.example/lot/200101/A100-T-001>'
expect "identity: the MES lot's IRI names the merged lot" \
  "$(q "$s" 'SELECT ?n WHERE { <https://data.aurelian.example/lot/200101/A100-T-001> dt:lotNumber ?n }')" '"A100-T-001"'
expect "same-as-classes in the summary" "$(awk '$1 == "same-as-classes" {print $2}' "$tmp/r1")" 1
expect "oos-result.rq: only the result above its upper limit is an OOS result" \
  "$(q "$s" 'SELECT ?r WHERE { ?r a dt:OOSResult }')" '<https://data.aurelian.example/test/1>'
expect "epcis-event-class.rq: events by business step" \
  "$(q "$s" 'SELECT ?c (COUNT(?e) AS ?n) WHERE { VALUES ?c { dt:ShippingEvent dt:DispensingEvent dt:DecommissioningEvent dt:ReceivingEvent } ?e a ?c } GROUP BY ?c' | tr '\t\n' ' ,')" \
  '<https://w3id.org/weft/dt#DecommissioningEvent> 1,<https://w3id.org/weft/dt#DispensingEvent> 1,<https://w3id.org/weft/dt#ReceivingEvent> 1,<https://w3id.org/weft/dt#ShippingEvent> 1,'
expect "epcis-disposition.rq: the dispensed unit and the recalled unit" \
  "$(q "$s" 'SELECT ?u ?d WHERE { ?u dt:hasDisposition ?d FILTER(CONTAINS(STR(?u), "/21/")) }' | tr '\t\n' ' ,')" \
  '<https://id.gs1.org/01/00300012001010/21/1001> <https://w3id.org/weft/dt#Dispensed>,<https://id.gs1.org/01/00300012001010/21/1002> <https://w3id.org/weft/dt#Recalled>,'
expect "lot-recall.rq: a recalled unit puts its lot under recall; a destroyed quantity does not destroy the lot" \
  "$(q "$s" 'SELECT ?d WHERE { { <https://data.aurelian.example/lot/200101/A100-T-001> dt:hasDisposition ?d } UNION { <https://id.gs1.org/01/00300012001010/10/A100-T-001> dt:hasDisposition ?d } }' | sort -u)" \
  '<https://w3id.org/weft/dt#Recalled>'
expect "excursion-epcis-sensor.rq: one excursion (the alarm report, not the trip summary) with start, end, minutes, extreme" \
  "$(q "$s" 'SELECT ?x ?start ?end ?min ?v WHERE { ?x a dt:TemperatureExcursion ; dt:startTime ?start ; dt:endTime ?end ; dt:durationMinutes ?m ; dt:extremeValue ?v ; dt:affects ?lot . ?lot dt:lotNumber "A100-T-001" BIND(STR(?m) AS ?min) }' | tr '\t' ' ')" \
  '<urn:uuid:00000000-0000-4000-8000-000000000005#sensorReport-1-0-excursion> "2025-07-08T13:15:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> "2025-07-08T14:30:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> "75.0" 11.8'
expect "excursion-affects-lot.rq: the historian excursion affects the drug-substance lot of its batch" \
  "$(q "$s" 'SELECT ?n WHERE { <https://data.aurelian.example/excursion/1> dt:affects ?lot . ?lot dt:lotNumber ?n }')" '"DS-T-001"'
expect "genealogy: the vial lot derives from the drug substance (consumption record) and the medium (transitive)" \
  "$(q "$s" 'SELECT ?n WHERE { ?v dt:lotNumber "A100-T-001" ; dt:derivesFrom ?l . ?l dt:lotNumber ?n }' | sort -u | tr '\n' ' ')" \
  '"DS-T-001" "R25-00001" '
expect "genealogy: no lot derives from itself" \
  "$(q "$s" 'SELECT ?l WHERE { ?l dt:derivesFrom ?l }')" ""

# ---- 3. determinism
if "$weft" reason --store "$s" --rules "$rules" -q >"$tmp/r2" 2>/dev/null; then
  expect "reasoning again adds and removes nothing" \
    "$(awk '$1 == "added" || $1 == "removed" {printf "%s=%s ", $1, $2}' "$tmp/r2")" "added=0 removed=0 "
else
  bad "second weft reason failed"
fi
"$weft" export --store "$s" --graph https://w3id.org/weft/graph/inferred --format nt 2>/dev/null | sort >"$tmp/inf1"
if "$weft" reason --store "$s" --rules "$rules" --full -q >"$tmp/r3" 2>/dev/null; then
  "$weft" export --store "$s" --graph https://w3id.org/weft/graph/inferred --format nt 2>/dev/null | sort >"$tmp/inf2"
  if [ -s "$tmp/inf1" ] && cmp -s "$tmp/inf1" "$tmp/inf2"; then
    ok "a full recomputation writes the same inferred graph ($(wc -l <"$tmp/inf1") triples)"
  else
    bad "the inferred graph differs after --full (or is empty): $(diff "$tmp/inf1" "$tmp/inf2" | head -5)"
  fi
else
  bad "weft reason --full failed"
fi

# ---- 4. shapes: the records conform; each planted error is caught
# The records are validated as asserted. After reasoning the union of the store
# names the merged lot twice (the records' alias and the representative the
# inferred graph uses), so single-valued properties of merged nodes have two
# values there and sh:maxCount, and the Digital Link form of EPCIS objects, fail
# on them; the example network has no merge, and its pipeline validates after
# reasoning (docs/reasoning-rules.md, "Shapes and identity").
if "$weft" validate --data "$tmp/records.trig" --shapes "$shapes" 2>"$tmp/v"; then
  ok "the fixture's records conform to ontologies/shapes"
else
  bad "the fixture's records do not conform:"; head -20 "$tmp/v"
fi
# reject NAME SHAPE-IRI-LOCAL-NAME: validate $tmp/NAME.trig with every shape, expect
# exit 1 and the shape in the summary.
reject() {
  local rc=0
  "$weft" validate --data "$tmp/$1.trig" --shapes "$shapes" 2>"$tmp/v" || rc=$?
  if [ "$rc" = 1 ] && grep -q "dtsh:$2" "$tmp/v"; then
    ok "shapes catch $1 (dtsh:$2)"
  else
    bad "shapes do not catch $1 with dtsh:$2 (exit $rc):"; head -12 "$tmp/v"
  fi
}
PFX='@prefix dt: <https://w3id.org/weft/dt#> .
@prefix iof: <https://spec.industrialontologies.org/ontology/construct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix cbv: <https://ref.gs1.org/cbv/> .'
# a GTIN whose check digit is wrong (00300012001010 is right)
printf '%s\n%s\n' "$PFX" '<https://id.gs1.org/01/00300012001011> a dt:ProductDefinition ; rdfs:label "vial" ; dt:gtin "00300012001011" .' >"$tmp/gtin-check-digit.trig"
reject gtin-check-digit GtinShape
# a lot whose Digital Link does not carry its own lot number
printf '%s\n%s\n' "$PFX" '<https://id.gs1.org/01/00300012001010/10/A100-25-024> a iof:Lot ; dt:lotNumber "A100-25-042" ; dt:ofProduct <https://id.gs1.org/01/00300012001010> .' >"$tmp/lot-iri-mismatch.trig"
reject lot-iri-mismatch LotShape
# a unit of one GTIN in a lot of another
printf '%s\n%s\n' "$PFX" '<https://id.gs1.org/01/00300012002017/21/77> dt:memberOfLot <https://id.gs1.org/01/00300012001010/10/A100-25-024> .' >"$tmp/unit-lot-gtin.trig"
reject unit-lot-gtin LotMemberShape
# a confirmed OOS result on a lot that was released anyway
printf '%s\n%s\n' "$PFX" '<https://example.org/r> a dt:TestResult , dt:OOSResult ; dt:testedLot <https://id.gs1.org/01/00300023001016/10/BT25-0047> ; dt:characteristic "Dissolution" ; dt:resultValue 71.0 ; dt:lowerLimit 80.0 ; dt:source dt:InHouseTest ; dt:resultStatus dt:Valid .
<https://id.gs1.org/01/00300023001016/10/BT25-0047> dt:hasDisposition dt:Released .' >"$tmp/released-oos-lot.trig"
reject released-oos-lot OOSResultShape
# the laboratory accepted a result outside its limits
printf '%s\n%s\n' "$PFX" '<https://example.org/r> a dt:TestResult ; dt:testedLot <https://example.org/lot> ; dt:characteristic "pH" ; dt:resultValue 5.83 ; dt:lowerLimit 4.5 ; dt:upperLimit 5.5 ; dt:valuation "A" ; dt:source dt:InHouseTest ; dt:resultStatus dt:Valid .' >"$tmp/accepted-oos.trig"
reject accepted-oos TestResultShape
# a supplier CoA filed against a lot with another supplier lot number
printf '%s\n%s\n' "$PFX" '<https://example.org/coa> a iof:CertificateOfAnalysis ; iof:certifies <https://example.org/lot> ; dt:issuedBy <https://example.org/v> ; dt:issuedOn "2025-03-18"^^xsd:date ; dt:signedBy "M. Okafor" ; dt:supplierLotNumber "CM250315-90" ; dt:hasResult <https://example.org/coa/r> .
<https://example.org/coa/r> a dt:TestResult ; dt:partOfCertificate <https://example.org/coa> ; dt:source dt:SupplierCoA ; dt:resultStatus dt:Valid ; dt:testedLot <https://example.org/lot> ; dt:characteristic "Osmolality" ; dt:resultValue 309.0 ; dt:lowerLimit 280.0 ; dt:upperLimit 320.0 .
<https://example.org/lot> dt:supplierLotNumber "CM250412-11" .' >"$tmp/coa-wrong-lot.trig"
reject coa-wrong-lot CoaShape
# an EPCIS object left as an EPC URN (it would not join the manufacturers' records)
printf '%s\n%s\n' "$PFX" '<urn:uuid:1> a dt:EPCISEvent , dt:ObjectEvent ; dt:eventTime "2025-07-01T10:00:00Z"^^xsd:dateTime ; dt:action "OBSERVE" ; dt:hasObject <urn:epc:id:sgtin:0300012.001010.1001> .' >"$tmp/epc-urn-object.trig"
reject epc-urn-object EpcisObjectIriShape
# an aggregation that adds without a parent
printf '%s\n%s\n' "$PFX" '<urn:uuid:2> a dt:EPCISEvent , dt:AggregationEvent ; dt:eventTime "2025-07-01T10:00:00Z"^^xsd:dateTime ; dt:action "ADD" ; dt:child <https://id.gs1.org/01/00300012001010/21/1001> .' >"$tmp/aggregation-no-parent.trig"
reject aggregation-no-parent AggregationEventShape
# a genealogy loop through two batches
printf '%s\n%s\n' "$PFX" '<https://example.org/a> dt:derivesFrom <https://example.org/b> . <https://example.org/b> dt:derivesFrom <https://example.org/a> . <https://example.org/a> dt:derivesFrom <https://example.org/a> .' >"$tmp/genealogy-cycle.trig"
reject genealogy-cycle GenealogyShape
# an SAP goods movement with the other ERP's word for its type and no plant
cat >"$tmp/sap-movement.trig" <<EOF
$PFX
<https://w3id.org/weft/graph/documents> { <https://w3id.org/weft/doc/aa> dt:connector "sap-csv" . }
<https://w3id.org/weft/doc/aa> {
  <https://data.aurelian.example/movement/1> a dt:GoodsMovement ; dt:movementType "receipt" ;
    dt:documentNumber "4900000001" ; dt:postingDate "2025-01-01"^^xsd:date ; dt:quantity 1.0 ;
    dt:movedLot <https://id.gs1.org/01/04012345500011/10/R25-00001> .
}
EOF
reject sap-movement SapGoodsMovementShape
# a DSCSA transaction statement that was not affirmed
printf '%s\n%s\n' "$PFX" '<https://example.org/doc> a dt:EPCISDocument ; dt:transactionStatement "Seller has complied ..." ; dt:transactionStatementAffirmed false ; dt:sender <https://id.gs1.org/414/0300020000012> ; dt:receiver <https://id.gs1.org/414/0399990000016> ; dt:documentIdentifier "BWS-25-0001" .' >"$tmp/dscsa-not-affirmed.trig"
reject dscsa-not-affirmed DscsaStatementShape
# a recall whose lot number is not the lot in its scope
printf '%s\n%s\n' "$PFX" '<https://example.org/rcl> a dt:Recall ; dt:recallId "RCL-25-001" ; dt:initiatedOn "2025-09-16"^^xsd:date ; dt:recallScope <https://id.gs1.org/01/00300012001010/10/A100-25-024> ; dt:recalledLotNumber "A100-25-042" .
<https://id.gs1.org/01/00300012001010/10/A100-25-024> a iof:Lot ; dt:lotNumber "A100-25-024" ; dt:ofProduct <https://id.gs1.org/01/00300012001010> .' >"$tmp/recall-lot-number.trig"
reject recall-lot-number QmsRecallShape

summary "reasoning rules e2e"
