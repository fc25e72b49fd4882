#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the ERP and quality connectors (sap-csv, erp-sqlite,
# supplier-coa, qms-csv) through `weft ingest` on the fixtures in
# tests/data/erp: each file is recognised by the right connector; a lot from
# batches.csv has its GS1 Digital Link IRI and is the node the process orders,
# components, inspection results, CoA, deviation and recall name (genealogy
# from the vial lot back to the supplier's medium lot and its certificate);
# the twin's primary/backup suppliers; the M2 ERP in SQLite (a different
# schema) lands in the same shapes, so one query answers for both
# organisations; a CSV without a column its mapping needs, or naming an
# unknown material, is refused naming file, line and column and leaves the
# store unchanged; ingesting the same bytes again adds nothing; the extras
# plants.csv and handling_units.csv of the generated example (section 10).
# The M2 database is built from tests/data/erp/m2/brightwater.sql with the
# sqlite3 shell, or Python's sqlite3 module when the shell is missing; with
# neither, the M2 checks are skipped with a printed reason (the rest runs).
# Usage: erp_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$2
data=$src/tests/data/erp
. "$(dirname "$0")/lib.sh"
P='PREFIX dt: <https://w3id.org/weft/dt#>
PREFIX iof: <https://spec.industrialontologies.org/ontology/construct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>'
store=$tmp/store
# One value (first column of the first row) of a SELECT over the store.
val() { "$weft" query --store "$store" -f tsv "$P $1" 2>"$tmp/qe" | sed -n 2p | sed 's/^"\(.*\)"$/\1/'; }
# All rows of a one-column SELECT, sorted, joined with "|".
rows() { "$weft" query --store "$store" -f tsv "$P $1" 2>"$tmp/qe" | sed 1d | sed 's/^"\(.*\)"$/\1/' | LC_ALL=C sort | paste -sd'|' -; }
ask() { [ "$("$weft" query --store "$store" -f csv "$P ASK { $1 }" 2>"$tmp/qe" | tr -d '\r' | sed -n 2p)" = true ]; }

if ! "$weft" ingest --help >/dev/null 2>&1; then
  echo "FAIL: this weft has no ingest command"
  exit 1
fi

# 1. Aurelian's SAP extract, quality records and CoA, each file one document.
if "$weft" ingest --store "$store" "$data"/sap/*.csv "$data"/qms/*.csv "$data"/qms/coa/*.json \
     >"$tmp/o" 2>"$tmp/e"; then
  ok "ingest of 12 SAP extracts, 4 QMS files and 1 CoA succeeds"
else
  bad "ingest failed: $(head -c 800 "$tmp/e")"
fi
n=$(val 'SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH <https://w3id.org/weft/graph/documents> { ?d dt:connector ?c } }')
sap=$(val 'SELECT (COUNT(?d) AS ?n) WHERE { GRAPH <https://w3id.org/weft/graph/documents> { ?d dt:connector "sap-csv" } }')
qms=$(val 'SELECT (COUNT(?d) AS ?n) WHERE { GRAPH <https://w3id.org/weft/graph/documents> { ?d dt:connector "qms-csv" } }')
coa=$(val 'SELECT (COUNT(?d) AS ?n) WHERE { GRAPH <https://w3id.org/weft/graph/documents> { ?d dt:connector "supplier-coa" } }')
if [ "$n" = 17 ] && [ "$sap" = 12 ] && [ "$qms" = 4 ] && [ "$coa" = 1 ]; then
  ok "17 documents described: 12 sap-csv, 4 qms-csv, 1 supplier-coa"
else
  bad "documents: $n in all, sap-csv $sap, qms-csv $qms, supplier-coa $coa"
fi

# 2. The lot from batches.csv is its GS1 Digital Link IRI, in batches.csv's graph.
lot='<https://id.gs1.org/01/00300012001010/10/A100-25-042>'
if ask "GRAPH ?g { $lot a iof:Lot ; dt:ofProduct <https://id.gs1.org/01/00300012001010> ;
          dt:lotNumber \"A100-25-042\" ; dt:hasDisposition dt:Recalled ; dt:expiryDate \"2027-05-14\"^^xsd:date }
        GRAPH <https://w3id.org/weft/graph/documents> { ?g dt:fileName \"batches.csv\" }"; then
  ok "batches.csv: lot A100-25-042 is https://id.gs1.org/01/00300012001010/10/A100-25-042, recalled"
else
  bad "the lot from batches.csv is missing or different $(cat "$tmp/qe")"
fi
prod=$(val 'SELECT ?t WHERE { GRAPH ?g { <https://id.gs1.org/01/00300012001010> dt:materialType ?t ;
              dt:erpMaterialNumber "000000000000200101" ; dt:storageMinCelsius ?min ; dt:storageMaxCelsius ?max }
              FILTER(?min = 2 && ?max = 8) }')
if [ "$prod" = "<https://w3id.org/weft/dt#FinishedGood>" ]; then
  ok "materials.csv: the product keeps MATNR with its zeros, is a finished good stored at 2-8 C"
else
  bad "product: material type '$prod'"
fi

# 3. Genealogy across files: vial lot <- drug-substance lot <- medium lot, its
# supplier and its CoA (process_orders, order_components, batches, vendors, CoA).
got=$(rows "SELECT ?x WHERE { GRAPH ?g1 { ?b1 iof:hasSpecifiedOutput $lot } GRAPH ?g2 { ?b1 iof:hasInput ?ds }
    GRAPH ?g3 { ?b2 iof:hasSpecifiedOutput ?ds } GRAPH ?g4 { ?b2 iof:hasInput ?raw }
    GRAPH ?g5 { ?raw dt:suppliedBy ?v } GRAPH ?g6 { ?v rdfs:label ?name }
    GRAPH ?g7 { ?coa a iof:CertificateOfAnalysis ; iof:certifies ?raw }
    BIND(CONCAT(STR(?ds), \" \", STR(?raw), \" \", ?name) AS ?x) }")
want='https://id.gs1.org/01/00300011001011/10/DS-2025-017 https://id.gs1.org/01/00300019001013/10/R25-00007 Cellmedia Inc.'
if [ "$got" = "$want" ]; then
  ok "genealogy: A100-25-042 <- DS-2025-017 <- medium lot R25-00007 from Cellmedia Inc., with its CoA"
else
  bad "genealogy: got '$got' $(cat "$tmp/qe")"
fi

# 4. CoA against our own test on the same lot (competency question 8).
got=$(val 'SELECT (CONCAT(STR(?cv), " ", STR(?iv)) AS ?x) WHERE {
  GRAPH ?a { ?c dt:source dt:SupplierCoA ; dt:testedLot ?lot ; dt:characteristic "Osmolality" ; dt:resultValue ?cv }
  GRAPH ?b { ?i dt:source dt:InHouseTest ; dt:testedLot ?lot ; dt:characteristic "Osmolality" ; dt:resultValue ?iv ;
               dt:valuation "R" ; dt:upperLimit ?up } FILTER(?cv <= ?up && ?iv > ?up) }')
if [ "$got" = "312 327" ]; then
  ok "CoA osmolality 312 (in limits) disagrees with our 327 (rejected) on the same lot"
else
  bad "CoA vs in-house: '$got' $(cat "$tmp/qe")"
fi

# 5. Quality records join the ERP's nodes: the deviation's batches, the CAPA,
# the recall's lot.
got=$(val 'SELECT (COUNT(?lot) AS ?n) WHERE { GRAPH ?a { <https://data.aurelian.example/deviation/DEV-2025-011> dt:affects ?b }
             GRAPH ?c { ?b a iof:BatchRun ; iof:hasSpecifiedOutput ?lot } }')
if [ "$got" = 2 ]; then ok "deviation DEV-2025-011 affects two batch runs of the ERP"; else bad "deviation: $got batch runs"; fi
if ask "GRAPH ?a { ?r a dt:Recall ; dt:recallScope $lot ; dt:recallClass \"II\" } GRAPH ?b { $lot a iof:Lot }" &&
   ask "GRAPH ?a { <https://data.aurelian.example/capa/CAPA-2025-004> dt:addresses <https://data.aurelian.example/deviation/DEV-2025-011>, <https://data.aurelian.example/complaint/CMP-2025-002> }
        FILTER NOT EXISTS { GRAPH ?b { <https://data.aurelian.example/capa/CAPA-2025-004> dt:closedOn ?d } }"; then
  ok "the recall's scope is the ERP's lot node; the open CAPA addresses a deviation and a complaint"
else
  bad "recall or CAPA shapes $(cat "$tmp/qe")"
fi

# 6. The twin: primary and backup vendors of the medium with lead times; goods movements.
got=$(rows 'SELECT ?x WHERE {
  GRAPH ?g { ?s a iof:SupplyRelationship ; dt:forProduct <https://id.gs1.org/01/00300019001013> ;
             dt:supplierStatus ?st ; dt:leadTimeDays ?d ; dt:supplier ?v }
  GRAPH ?h { ?v rdfs:label ?name } BIND(CONCAT(?st, " ", STR(?d), " ", ?name) AS ?x) }')
if [ "$got" = "backup 28 Nutrimedia Supply, LLC|primary 14 Cellmedia Inc." ]; then
  ok "source list: primary vendor (14 days) and backup vendor (28 days) of the medium"
else
  bad "supply relationships: '$got' $(cat "$tmp/qe")"
fi
got=$(val "SELECT (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m a dt:GoodsMovement ; dt:movedLot $lot ; dt:movementType ?t } }")
if [ "$got" = 2 ]; then ok "goods movements: release (321) and delivery (601) of the lot"; else bad "goods movements of the lot: $got"; fi

# 7. The M2 ERP in SQLite, a different schema, into the same shapes.
db=$tmp/m2/brightwater-erp.sqlite
mkdir -p "$tmp/m2"
if command -v sqlite3 >/dev/null 2>&1; then
  sqlite3 "$db" <"$data/m2/brightwater.sql"
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import sqlite3' 2>/dev/null; then
  python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()' \
    "$db" "$data/m2/brightwater.sql"
fi
if [ ! -s "$db" ]; then
  echo "skip: M2 SQLite checks: neither the sqlite3 shell nor Python's sqlite3 module is here to build the fixture database"
else
  if "$weft" ingest --store "$store" "$db" >"$tmp/o" 2>"$tmp/e" && grep -q 'erp-sqlite' "$tmp/e"; then
    ok "the SQLite ERP database is recognised (erp-sqlite) and ingested"
  else
    bad "SQLite ingest: $(head -c 800 "$tmp/e")"
  fi
  # The same query over both organisations: finished lots with their batch's inputs.
  got=$(rows 'SELECT ?x WHERE {
    GRAPH ?a { ?b a iof:BatchRun ; iof:hasSpecifiedOutput ?lot } GRAPH ?c { ?b iof:hasInput ?in }
    GRAPH ?d { ?lot a iof:Lot ; dt:lotNumber ?n ; dt:ofProduct ?p } GRAPH ?e { ?p dt:materialType dt:FinishedGood }
    GRAPH ?f { ?in dt:lotNumber ?inn } BIND(CONCAT(?n, "<", ?inn) AS ?x) }')
  if [ "$got" = "A100-25-042<DS-2025-017|A100-25-042<R25-00003|BT25-0001<RM25-0001|BT25-0001<RM25-0002" ]; then
    ok "one genealogy query answers for Aurelian (SAP CSV) and Brightwater (SQLite)"
  else
    bad "cross-ERP genealogy: '$got' $(cat "$tmp/qe")"
  fi
  if ask 'GRAPH ?g { <https://id.gs1.org/01/00300024001015/10/BT25-0001> a iof:Lot ; dt:hasDisposition dt:Released ;
            dt:ofProduct <https://id.gs1.org/01/00300024001015> }
          GRAPH ?h { ?t a dt:TestResult ; dt:testedLot <https://id.gs1.org/01/00300024001015/10/BT25-0001> ;
            dt:valuation "R" ; dt:resultStatus dt:Invalidated ; dt:source dt:InHouseTest }
          GRAPH ?i { ?s a iof:SupplyRelationship ; dt:supplierStatus "backup" ; dt:leadTimeDays 45 }
          GRAPH ?j { ?m a dt:GoodsMovement ; dt:movementKind "shipment" ; dt:movedLot <https://id.gs1.org/01/00300024001015/10/BT25-0001> }'; then
    ok "SQLite: lot IRI, disposition, invalidated OOS result, backup supplier and shipment in the SAP shapes"
  else
    bad "SQLite shapes $(cat "$tmp/qe")"
  fi
  # A database without the lot table's status column is refused.
  cp "$db" "$tmp/m2/broken.sqlite"
  if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 "$tmp/m2/broken.sqlite" 'ALTER TABLE lot DROP COLUMN status'
  else
    python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("ALTER TABLE lot DROP COLUMN status"); c.commit()' \
      "$tmp/m2/broken.sqlite"
  fi
  before=$(quads "$store")
  "$weft" ingest --store "$store" "$tmp/m2/broken.sqlite" >"$tmp/o" 2>"$tmp/e"
  rc=$?
  if [ "$rc" = 1 ] && grep -q 'table lot has no column status' "$tmp/e" && [ "$(quads "$store")" = "$before" ]; then
    ok "a database whose lot table lacks status is refused, naming table and column; the store is unchanged"
  else
    bad "broken database: exit $rc, $(head -c 400 "$tmp/e")"
  fi
fi

# 8. A batches.csv without its ZUSTD column is refused whole, naming file and column.
mkdir -p "$tmp/badset"
cp "$data"/sap/*.csv "$tmp/badset/"
cp "$data/bad/batches.csv" "$tmp/badset/batches.csv"
before=$(quads "$store")
"$weft" ingest --store "$store" "$tmp/badset/batches.csv" >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q 'batches.csv' "$tmp/e" && grep -q 'no column ZUSTD' "$tmp/e" &&
   [ "$(quads "$store")" = "$before" ]; then
  ok "batches.csv without ZUSTD: exit 1, message names the file and the column, store unchanged"
else
  bad "missing column: exit $rc, stderr: $(head -c 400 "$tmp/e"), quads $before -> $(quads "$store")"
fi
# A row naming a material that materials.csv does not have: refused with its line.
cp "$data/sap/batches.csv" "$tmp/badset/batches.csv"
echo '000000000000999999,R25-00099,S100,2025-06-01,2026-12-01,,,UNRESTRICTED' >>"$tmp/badset/batches.csv"
"$weft" ingest --store "$store" "$tmp/badset/batches.csv" >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q 'batches.csv line 7' "$tmp/e" && grep -q '000000000000999999 (MATNR) is not in materials.csv' "$tmp/e" &&
   [ "$(quads "$store")" = "$before" ]; then
  ok "a batch of an unknown material: refused with file, line and column; store unchanged"
else
  bad "unknown material: exit $rc, stderr: $(head -c 400 "$tmp/e")"
fi

# 9. The same bytes again add nothing.
before=$(quads "$store")
if "$weft" ingest --store "$store" "$data"/sap/*.csv >"$tmp/o" 2>"$tmp/e" && [ "$(quads "$store")" = "$before" ]; then
  ok "ingesting the SAP extract again leaves the store as it is"
else
  bad "re-ingest: quads $before -> $(quads "$store"), $(head -c 300 "$tmp/e")"
fi

# 10. The extras plants.csv and handling_units.csv of the generated example
# (weft_pharma_gen beside the weft binary): the organisation and its sites
# by GLN, the ERP plant linked to its site, the consignment location at the
# distributor's DC not claimed as operated by M1, and each pallet (SSCC)
# with its lot (a lot batches.csv describes) and its delivery's despatch
# advice as the EPCIS events name it; handling_units.csv without plants.csv
# is refused.
gen=$(dirname "$weft")/weft_pharma_gen
if [ ! -x "$gen" ]; then
  echo "skip: no weft_pharma_gen beside $weft (plants.csv / handling_units.csv checks)"
elif ! "$gen" --profile small --out "$tmp/gen" >/dev/null 2>"$tmp/e"; then
  bad "weft_pharma_gen failed: $(head -c 300 "$tmp/e")"
else
  erp=$tmp/gen/aurelian/erp
  store=$tmp/store-gen
  if "$weft" ingest --store "$store" "$erp/materials.csv" "$erp/batches.csv" "$erp/plants.csv" \
       "$erp/handling_units.csv" >"$tmp/o" 2>"$tmp/e"; then
    ok "generated materials, batches, plants and handling units ingest"
  else
    bad "ingest of the generated extras failed: $(head -c 600 "$tmp/e")"
  fi
  co=$(awk -F, '$1 == "company" { print $10 }' "$erp/plants.csv")
  plant=$(awk -F, '$1 == "plant" { print $10 }' "$erp/plants.csv")
  werks=$(awk -F, '$1 == "plant" { print $3 }' "$erp/plants.csv")
  name=$(awk -F, '$1 == "company" { print $5 }' "$erp/plants.csv")
  if [ -n "$co" ] && ask "GRAPH ?g { <https://id.gs1.org/414/$co> a iof:Manufacturer ; rdfs:label \"$name\" ; dt:gln \"$co\" .
          <https://id.gs1.org/414/$plant> a iof:Factory ; dt:operatedBy <https://id.gs1.org/414/$co> ; dt:plantCode \"$werks\" .
          <https://data.aurelian.example/site/$werks> dt:gln \"$plant\" ; dt:locatedAt <https://id.gs1.org/414/$plant> }"; then
    ok "plants.csv: $name ($co) is an iof:Manufacturer operating plant $werks ($plant), the ERP plant is located at it"
  else
    bad "plants.csv: company $co / plant $plant shapes missing $(cat "$tmp/qe")"
  fi
  tpl=$(awk -F, '$1 == "storage_location" && $4 == "3PL1" { print $10 }' "$erp/plants.csv")
  if [ -n "$tpl" ] && ask "GRAPH ?g { <https://data.aurelian.example/site/$werks/3PL1> dt:locatedAt <https://id.gs1.org/414/$tpl> }" &&
     ! ask "GRAPH ?g { <https://id.gs1.org/414/$tpl> dt:operatedBy ?o }"; then
    ok "plants.csv: the 3PL consignment location is at the DC's GLN $tpl, which M1 does not claim to operate"
  else
    bad "plants.csv: 3PL1 location ($tpl) wrong $(cat "$tmp/qe")"
  fi
  IFS=, read -r sscc vbeln _ charg _ _ < <(sed -n 2p "$erp/handling_units.csv")
  if [ -n "$sscc" ] && ask "GRAPH ?g { <https://id.gs1.org/00/$sscc> a dt:Pallet ; dt:sscc \"$sscc\" ; dt:containsLot ?lot ;
            dt:deliveryNumber \"$vbeln\" ; dt:despatchAdvice <urn:epcglobal:cbv:bt:$co:$vbeln> .
          <urn:epcglobal:cbv:bt:$co:$vbeln> a dt:DespatchAdvice }
        GRAPH ?b { ?lot a iof:Lot ; dt:erpBatchNumber \"$charg\" }"; then
    ok "handling_units.csv: pallet $sscc holds lot $charg of batches.csv, shipped under delivery $vbeln's despatch advice"
  else
    bad "handling_units.csv: pallet $sscc shape missing $(cat "$tmp/qe")"
  fi
  n=$(val 'SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a dt:Pallet ; dt:containsLot ?l } }')
  if [ "$n" = "$(($(wc -l <"$erp/handling_units.csv") - 1))" ]; then
    ok "handling_units.csv: all $n handling units are pallets with a lot"
  else
    bad "handling_units.csv: $n pallets with a lot, file has $(($(wc -l <"$erp/handling_units.csv") - 1)) rows"
  fi
  mkdir -p "$tmp/noplants"
  cp "$erp/materials.csv" "$erp/handling_units.csv" "$tmp/noplants/"
  "$weft" ingest --store "$tmp/store-noplants" "$tmp/noplants/handling_units.csv" >"$tmp/o" 2>"$tmp/e"
  rc=$?
  if [ "$rc" = 1 ] && grep -q 'handling_units.csv: needs plants.csv' "$tmp/e"; then
    ok "handling_units.csv without plants.csv beside it is refused, naming the file it needs"
  else
    bad "handling_units.csv without plants.csv: exit $rc, $(head -c 300 "$tmp/e")"
  fi
fi

summary "erp_test"
