#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end test of the EPCIS connectors (epcis-json, epcis-xml) on every
# public EPCIS sample in ../shared/samples/epcis: each valid document ingests
# (quads written, one dt:EPCISEvent per event counted by validation, and
# specific facts per sample checked with SPARQL); each invalid one exits
# non-zero with a message naming the file, the event and the reason, and
# leaves the store unchanged.
# Usage: epcis_samples_test.sh WEFT_BINARY REPO_ROOT
set -u
weft=$1
src=$2
S=$src/../shared/samples/epcis
if [ ! -d "$S/openepcis" ] || [ ! -d "$S/gs1" ]; then
  echo "skip: the EPCIS samples ($S) are not present"
  exit 0
fi
. "$(dirname "$0")/lib.sh"
store=$tmp/store
quads() {  # 0 before the first document creates the store
  if [ -d "$store" ]; then "$weft" stats --store "$store" | awk '/^quads:/ {print $2}'; else echo 0; fi
}
# The mapping documents of this checkout (the ones built into weft may be older).
ingest() { "$weft" ingest --store "$store" --mappings "$src/mappings" "$@"; }
DT='PREFIX dt: <https://w3id.org/weft/dt#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>'
ask() { "$weft" query --store "$store" -f tsv "$DT ASK { $1 }" 2>&1 | tail -1; }
count() { "$weft" query --store "$store" -f tsv "$DT SELECT (COUNT(*) AS ?n) WHERE { $1 }" 2>&1 | tail -1 | sed 's/"//g; s/\^\^.*//'; }
graph() { echo "https://w3id.org/weft/doc/$(sha256sum "$1" | cut -d' ' -f1)"; }

# 1. Every valid document ingests, with one event node per event.
valid=()
for f in "$S"/openepcis/2.0/json/*.json "$S"/gs1/*.jsonld "$S"/openepcis/2.0/xml/*.xml "$S"/openepcis/1.2/xml/*.xml; do
  case $(basename "$f") in SimpleEventQuery.json | epcis-context.jsonld) continue ;; esac
  valid+=("$f")
done
for f in "${valid[@]}"; do
  before=$(quads)
  if ingest "$f" >"$tmp/o" 2>"$tmp/e"; then
    after=$(quads)
    g=$(graph "$f")
    recs=$("$weft" query --store "$store" -f tsv "$DT SELECT ?n WHERE { GRAPH ?x { <$g> dt:recordCount ?n } }" | tail -1 | sed 's/"//g; s/\^\^.*//')
    evs=$(count "GRAPH <$g> { ?e a dt:EPCISEvent }")
    if [ "$after" -gt "$before" ] && [ -n "$recs" ] && [ "$recs" = "$evs" ] && [ "$evs" -gt 0 ]; then
      ok "$(basename "$f"): $((after - before)) quads, $evs events"
    else
      bad "$(basename "$f"): quads $before -> $after, record count '$recs', event nodes '$evs'"
    fi
  else
    bad "$(basename "$f") was refused: $(head -c 400 "$tmp/e")"
  fi
done

# 2. Every invalid document is refused whole: exit 1, file + event + reason, store unchanged.
expect_refused() {  # FILE PATTERN...
  local f=$1
  shift
  local before after
  before=$(quads)
  ingest "$f" >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  after=$(quads)
  local msg
  msg=$(cat "$tmp/e")
  local all=1
  grep -qF "$(basename "$f")" "$tmp/e" || all=0
  for p in "$@"; do grep -qF -- "$p" "$tmp/e" || all=0; done
  if [ "$rc" != 0 ] && [ "$all" = 1 ] && [ "$before" = "$after" ]; then
    ok "$(basename "$f") refused: $(grep -m1 'error' "$tmp/e" | sed 's/.*\.json[ld]*: //' | cut -c1-150)"
  else
    bad "$(basename "$f"): exit $rc, quads $before -> $after, message: $(head -c 400 <<<"$msg")"
  fi
}
I=$S/openepcis/2.0/json-invalid
expect_refused "$I/Combination_of_events_with_missing_mandatory_fields.json" 'event 1 (ObjectEvent)' 'action is missing'
expect_refused "$I/Combination_of_multiple_invalid_fields.json" 'event 1 (ObjectEvent)' 'bizStep "transforming" is not a CBV 2.0 business step'
expect_refused "$I/Combination_of_non_standard_bizStep_and_disposition.json" 'event 1 (ObjectEvent)' 'bizStep "transforming"'
expect_refused "$I/EPCISDocument_without_context.json" '@context is missing'
expect_refused "$I/ObjectEvent_with_ilmd_field_without_namespace.json" 'event 1 (ObjectEvent)' 'ilmd field "materialType" has no namespace prefix'
expect_refused "$I/ObjectEvent_with_invalid_action.json" 'event 1 (ObjectEvent): action "CREATE" is not ADD, OBSERVE or DELETE'
expect_refused "$I/ObjectEvent_with_invalid_certificationInfo.json" 'event 1 (ObjectEvent)' 'certificationInfo'
expect_refused "$I/ObjectEvent_with_invalid_eventTime_format.json" 'event 1 (ObjectEvent)' 'eventTime "22-07-2026" is not an xsd:dateTime'
expect_refused "$I/ObjectEvent_with_non_standard_bizStep.json" 'event 1 (ObjectEvent)' 'bizStep "transforming"'
expect_refused "$I/ObjectEvent_with_non_standard_bizStep_in_second_event.json" 'event 2 (ObjectEvent)' 'bizStep "transforming"'
expect_refused "$I/ObjectEvent_with_non_standard_disposition.json" 'event 1 (ObjectEvent)' 'disposition "in_transport" is not a CBV 2.0 disposition'
expect_refused "$I/ObjectEvent_with_quantity_as_text.json" 'event 1 (ObjectEvent)' 'quantity "twenty" is not a number'
expect_refused "$I/ObjectEvent_with_unknown_field_in_quantityList.json" 'event 1 (ObjectEvent)' 'unknown field "weight"'
expect_refused "$I/ObjectEvent_without_action_and_eventTime.json" 'event 1 (ObjectEvent)' 'eventTime is missing'
expect_refused "$I/ObjectEvent_without_identifier_list.json" 'event 1 (ObjectEvent)' 'needs an epcList or a quantityList'
n_invalid=$(ls "$I"/*.json | wc -l)
[ "$n_invalid" = 15 ] && ok "15 invalid samples checked" || bad "expected 15 invalid samples, found $n_invalid (add the new ones here)"
# Not event documents: the query is claimed and refused; the schema and the context are not claimed.
expect_refused "$S/openepcis/2.0/json/SimpleEventQuery.json" 'an EPCIS query, not an event document'
expect_refused "$S/gs1/EPCIS-JSON-Schema.json" 'no connector reads this file'
expect_refused "$S/gs1/epcis-context.jsonld" 'not an EPCIS document'

# 3. Facts per sample.
check() {  # DESCRIPTION ASK-PATTERN
  local r
  r=$(ask "$2")
  [ "$r" = true ] && ok "$1" || bad "$1 (ASK gave '$r')"
}
E='<https://w3id.org/weft/dt#'
check "sensor sample: a temperature report with a maxValue (ObjectEvent_all_possible_fields)" \
  'GRAPH ?g { ?e dt:sensorReport ?r . ?r dt:measurementType "Temperature" ; dt:maxValue ?m ; dt:uom "CEL" FILTER(?m = 26.2) }'
check "sensor sample: the 2nd element's temperature 26.1 CEL at its metadata time (ObjectEvent_with_sensorData)" \
  'GRAPH ?g { <ni:///sha-256;74f1dc48ee22289bc40ddd9f1d0ecae0dd09a2f4c3dfa66fdbca16cb2d8a4e77?ver=CBV2.0> dt:sensorReport ?r . ?r dt:measurementType "Temperature" ; dt:value ?v ; dt:time ?t FILTER(?v = 26.1) }'
check "error declaration marks its event with the reason and the corrective events" \
  'GRAPH ?g { <ni:///sha-256;aa49daa1fe0b773e0437e546078dc87de9c864d5b9babe84488f31478887fdf3?ver=CBV2.0> dt:declaredError <https://ref.gs1.org/cbv/ER-incorrect_data> ; dt:errorDeclarationTime ?t ; dt:correctedBy <urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6> }'
# SGTIN URN -> Digital Link, with the check digit computed here independently.
body=1061414107346  # urn:epc:id:sgtin:0614141.107346.2017: indicator 1, company prefix 0614141, item 07346
sum=0
for i in $(seq 0 12); do d=${body:$i:1}; if [ $((i % 2)) = 0 ]; then sum=$((sum + 3 * d)); else sum=$((sum + d)); fi; done
cd=$(((10 - sum % 10) % 10))
sgtin="https://id.gs1.org/01/${body}${cd}/21/2017"
n=$(count "{ SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e dt:hasObject <$sgtin> } } }")
[ "${n:-0}" -ge 3 ] && ok "the SGTIN URN becomes <$sgtin> in the JSON, JSON-LD and XML samples ($n documents)" ||
  bad "SGTIN <$sgtin> found in $n documents"
n=$(count "GRAPH <$(graph "$S/openepcis/2.0/json/epcisDocWithAllGS1Keys.json")> { ?e dt:hasObject ?o }")
check "SSCC as URN and as Digital Link are one node (epcisDocWithAllGS1Keys)" \
  'GRAPH ?g { ?e dt:hasObject <https://id.gs1.org/00/040123450000003338> }'
# 14 epcList entries of which the SSCC twice (URN and Digital Link), plus 7 quantity classes.
[ "$n" = 20 ] && ok "epcisDocWithAllGS1Keys: 13 distinct EPCs (the SSCC given twice) + 7 classes" || bad "epcisDocWithAllGS1Keys objects: $n (expected 13 + 7)"
check "a Digital Link on another resolver (id.gs1.de) is canonicalised to id.gs1.org (CurieString_document)" \
  'GRAPH ?g { ?e dt:hasObject <https://id.gs1.org/01/04012345999990/21/XYZ-1234> }'
check "Digital Link lot class in a quantity element, with quantity and uom (ObjectEvent_with_digitalLink)" \
  'GRAPH ?g { ?e dt:hasObject <https://id.gs1.org/01/70614141123451/10/998877> ; dt:quantityElement ?q . ?q dt:epcClass <https://id.gs1.org/01/70614141123451/10/998877> ; dt:quantity ?n ; dt:uom "KGM" FILTER(?n = 200) }'
n=$(count "{ SELECT DISTINCT ?g WHERE { GRAPH ?g { <ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0> dt:hasObject <$sgtin> ; dt:bizStep <https://ref.gs1.org/cbv/BizStep-shipping> } } }")
[ "${n:-0}" -ge 2 ] && ok "ObjectEvent in JSON (bare 'shipping') and XML (URN bizstep) give the same event, object and CBV IRI ($n documents)" ||
  bad "JSON/XML ObjectEvent agreement: $n documents"
check "bizLocation SGLN with extension 0 -> GLN Digital Link; readPoint with extension -> /254/" \
  'GRAPH ?g { ?e dt:bizLocation <https://id.gs1.org/414/0012345111112> ; dt:readPoint <https://id.gs1.org/414/0012345111112/254/400> }'
check "owning and possessing parties from PGLN and SGLN (ObjectEvent_all_possible_fields)" \
  'GRAPH ?g { ?e dt:sourceOwner <https://id.gs1.org/414/4012345002256> ; dt:destinationOwner <https://id.gs1.org/414/0614141007776> ; dt:sourceLocation ?l ; dt:possessingParty ?p }'
check "business transactions with their CBV type" \
  'GRAPH ?g { ?e dt:bizTransaction ?t . ?t dt:bizTransactionType <https://ref.gs1.org/cbv/BTT-desadv> }'
check "transformation inputs and outputs (TransformationEvent)" \
  'GRAPH ?g { ?e a dt:TransformationEvent ; dt:input ?i ; dt:output ?o }'
check "aggregation parent and children (AggregationEvent)" 'GRAPH ?g { ?e a dt:AggregationEvent ; dt:parent ?p ; dt:child ?c }'
check "association event (AssociationEvent)" 'GRAPH ?g { ?e a dt:AssociationEvent ; dt:parent ?p ; dt:child ?c }'
check "query document: its events are ingested (QueryDocument)" \
  "GRAPH <$(graph "$S/openepcis/2.0/json/QueryDocument.json")> { ?e a dt:ObjectEvent ; dt:sensorReport ?r }"
check "ILMD lot number on the lot IRI (SensorData_with_combined_events)" 'GRAPH ?g { ?lot dt:lotNumber "LOTABC" }'
# The GS1 US DSCSA sample (EPCIS 1.2 XML).
P="GRAPH <$(graph "$S/openepcis/1.2/xml/GS1_US_Pharma_Example_2_2_1_1.xml")>"
check "DSCSA: product master data with the NDC" "$P { <https://id.gs1.org/01/00300010123455> a dt:ProductDefinition ; dt:ndc \"0001-0123-45\" ; dt:gtin \"00300010123455\" }"
check "DSCSA: lot A123 with its expiry from the ILMD, and a unit in the lot" \
  "$P { <https://id.gs1.org/01/00300010123455/10/A123> dt:lotNumber \"A123\" ; dt:expiryDate \"2025-03-27\"^^xsd:date . ?u dt:memberOfLot <https://id.gs1.org/01/00300010123455/10/A123> }"
check "DSCSA: location master data" "$P { <https://id.gs1.org/414/0399993456780> dt:city \"Louisville\" ; dt:country \"US\" }"
check "DSCSA: transaction statement as text" "$P { ?d dt:transactionStatement ?t ; dt:transactionStatementAffirmed true FILTER(CONTAINS(?t, '581(27)')) }"
check "DSCSA: shipping of the SSCC pallet, owner change manufacturer -> wholesaler, po and desadv" \
  "$P { ?e dt:bizStep <https://ref.gs1.org/cbv/BizStep-shipping> ; dt:hasObject <https://id.gs1.org/00/403000112345678901> ; dt:sourceOwner <https://id.gs1.org/414/0300011111116> ; dt:destinationOwner <https://id.gs1.org/414/0399999999991> ; dt:bizTransaction ?po . ?po dt:bizTransactionType <https://ref.gs1.org/cbv/BTT-po> }"
check "DSCSA: aggregation of units into a case" "$P { ?e a dt:AggregationEvent ; dt:parent <https://id.gs1.org/01/10300010123452/21/110> ; dt:child ?u }"

# 4. Ingesting the same bytes again adds nothing.
before=$(quads)
ingest "${valid[@]}" >/dev/null 2>&1
[ "$(quads)" = "$before" ] && ok "re-ingesting every valid sample adds nothing" || bad "re-ingest changed the store: $before -> $(quads)"

summary "epcis samples"
