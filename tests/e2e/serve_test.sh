#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# weft serve end to end, three organisations on loopback (docs/serving.md):
#   manufacturer  M1 Aurelian's ERP, QMS and MES records, each system under its own graph IRI prefix
#   distributor   D1 Meridian's EPCIS events
#   regulator     the weft ontology only; it asks the others with SERVICE
# Checks: the regulator's federated forward trace (question 01 split over the
# two other instances) equals the question pack's expected answer; a partner
# key at the manufacturer cannot read the graphs it was not granted by any
# query form; a regulator key cannot write; keys, 401/403, /health, ingestion
# by POST, the Graph Store Protocol.
# Usage: serve_test.sh WEFT_BINARY GENERATOR SOURCE_DIR
set -u
weft=$1
gen=$2
src=$3
if ! command -v curl >/dev/null; then
  echo "FAIL: curl is needed (scripts/install-deps.sh installs it)"; exit 1
fi
. "$(dirname "$0")/lib.sh"

rec=$tmp/records
"$gen" --profile small --seed 2025 --out "$rec" >/dev/null 2>&1 || { bad "generator failed"; finish serve; }
M=https://data.aurelian.example/graph
D=https://data.meridian.example/graph
ing() { "$weft" ingest -q --no-reason "$@" 2>>"$tmp/ingest.log" || { bad "ingest $*"; tail -5 "$tmp/ingest.log"; }; }
ing --store "$tmp/man" --graph-base "$M/erp/" "$rec/aurelian/erp"
ing --store "$tmp/man" --graph-base "$M/qms/" "$rec/aurelian/qms"
ing --store "$tmp/man" --graph-base "$M/mes/" "$rec/aurelian/mes"
ing --store "$tmp/dist" --graph-base "$D/epcis/" "$rec/meridian/epcis"
"$weft" load -q --store "$tmp/reg" --graph https://w3id.org/weft/graph/ontology "$src"/ontologies/*.ttl
ok "three stores: manufacturer $(quads "$tmp/man"), distributor $(quads "$tmp/dist"), regulator $(quads "$tmp/reg") quads"

key() { "$weft" key 2>/dev/null | awk '/^key/ {print $2}'; }
hash() { "$weft" key --hash "$1"; }
k_mw=$(key) k_mp=$(key) k_mr=$(key) k_dw=$(key) k_fda=$(key)
cat >"$tmp/man.json" <<EOF
{"organisations": {
   "aurelian": {"read": ["$M/*"], "write": ["$M/*"], "graph_base": "$M/erp/"},
   "meridian": {"read": ["$M/erp/*"]},
   "fda": {"read": ["*", "default"]}},
 "keys": [
   {"name": "aurelian-writer", "sha256": "$(hash "$k_mw")", "role": "writer", "organisation": "aurelian"},
   {"name": "meridian-partner", "sha256": "$(hash "$k_mp")", "role": "partner", "organisation": "meridian"},
   {"name": "fda-at-aurelian", "sha256": "$(hash "$k_mr")", "role": "regulator", "organisation": "fda"}],
 "limits": {"timeout_seconds": 20}}
EOF
cat >"$tmp/dist.json" <<EOF
{"organisations": {"meridian": {"read": ["$D/*"], "write": ["$D/*"]}, "fda": {"read": ["*"]}},
 "keys": [
   {"name": "meridian-writer", "sha256": "$(hash "$k_dw")", "role": "writer", "organisation": "meridian"},
   {"name": "fda", "sha256": "$(hash "$k_fda")", "role": "regulator", "organisation": "fda"}]}
EOF

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
serve() {  # NAME STORE CONFIG
  "$weft" serve --store "$2" --port 0 --port-file "$tmp/$1.port" --config "$3" -q 2>"$tmp/$1.log" &
  pids+=($!)
}
waitport() {
  for _ in $(seq 100); do [ -s "$tmp/$1.port" ] && { cat "$tmp/$1.port"; return; }; sleep 0.1; done
  echo 0
}
serve man "$tmp/man" "$tmp/man.json"
serve dist "$tmp/dist" "$tmp/dist.json"
pm=$(waitport man) pd=$(waitport dist)
[ "$pm" != 0 ] && [ "$pd" != 0 ] && ok "manufacturer on :$pm, distributor on :$pd" || { bad "servers did not start"; cat "$tmp"/*.log; finish serve; }
# The regulator's instance knows both endpoints: the distributor gets the
# caller's own key forwarded, the manufacturer a key configured here.
cat >"$tmp/reg.json" <<EOF
{"organisations": {"fda": {"read": ["*", "default"]}},
 "keys": [{"name": "fda", "sha256": "$(hash "$k_fda")", "role": "regulator", "organisation": "fda"}],
 "services": [
   {"endpoint": "http://127.0.0.1:$pd/sparql", "forward_caller_key": true, "timeout_seconds": 60},
   {"endpoint": "http://127.0.0.1:$pm/sparql", "key": "$k_mr", "timeout_seconds": 60}]}
EOF
serve reg "$tmp/reg" "$tmp/reg.json"
pr=$(waitport reg)
[ "$pr" != 0 ] && ok "regulator on :$pr" || { bad "regulator did not start"; cat "$tmp/reg.log"; finish serve; }

# q URL KEY QUERY [ACCEPT]: the body; the HTTP status goes to $tmp/status.
q() {
  curl -s -o "$tmp/body" -w '%{http_code}' -H "Accept: ${4:-text/tab-separated-values}" \
    ${2:+-H "Authorization: Bearer $2"} --data-urlencode "query=$3" "$1/sparql" >"$tmp/status"
  cat "$tmp/body"
}
status() { cat "$tmp/status"; }
MAN=http://127.0.0.1:$pm DIST=http://127.0.0.1:$pd REG=http://127.0.0.1:$pr

# ---- the federated forward trace (question 01 over two organisations)
fed=$(cat <<EOF
PREFIX dt:   <https://w3id.org/weft/dt#>
PREFIX cbv:  <https://ref.gs1.org/cbv/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?receiver ?name ?licence (COUNT(DISTINCT ?unit) AS ?units) (MIN(?shipped) AS ?firstShipped)
WHERE {
  SERVICE <$DIST/sparql> {
    ?unit dt:memberOfLot <https://id.gs1.org/01/00300012001010/10/A100-25-024> .
    ?ship dt:hasObject ?unit ; dt:bizStep cbv:BizStep-shipping ; dt:eventTime ?shipped ; dt:destinationOwner ?receiver .
  }
  SERVICE <$MAN/sparql> { ?receiver rdfs:label ?name ; dt:licenceNumber ?licence . }
}
GROUP BY ?receiver ?name ?licence
ORDER BY ?name
EOF
)
q "$REG" "$k_fda" "$fed" >"$tmp/fed.tsv"
expected=$src/examples/pharma-network/expected/01-forward-trace-lot.tsv
if [ "$(status)" = 200 ] && diff -u "$expected" "$tmp/fed.tsv" >"$tmp/diff"; then
  ok "federated forward trace over distributor and manufacturer: $(($(wc -l <"$expected") - 1)) receivers, as expected"
else
  bad "federated forward trace (HTTP $(status)) differs from $expected:"; head -20 "$tmp/diff" "$tmp/fed.tsv"
fi
# Each half alone is not the answer: the join needed both organisations.
q "$DIST" "$k_fda" "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dt: <https://w3id.org/weft/dt#> ASK { ?r rdfs:label ?n ; dt:licenceNumber ?l }" >/dev/null
grep -q false "$tmp/body" && ok "the distributor alone has no licence numbers" || bad "the distributor has licence numbers: the federation test proves nothing"
q "$REG" "" "ASK {}" >/dev/null
[ "$(status)" = 401 ] && ok "no key at the regulator's endpoint: 401" || bad "no key: HTTP $(status)"
q "$REG" "$k_fda" "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }" >/dev/null
[ "$(status)" = 403 ] && grep -q "not allowed" "$tmp/body" && ok "SERVICE to an endpoint outside the policy: 403" ||
  bad "SERVICE to an unlisted endpoint: HTTP $(status) $(cat "$tmp/body")"
q "$REG" "$k_fda" "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }" >/dev/null
[ "$(status)" = 200 ] && ok "SERVICE SILENT to a refused endpoint: an empty solution" || bad "SERVICE SILENT: HTTP $(status)"

# ---- a partner key at the manufacturer: ERP graphs only, never QMS or MES
mes_batch=$(q "$MAN" "$k_mr" "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?g WHERE { GRAPH ?g { ?d a dt:Deviation } } LIMIT 1" | sed -n 2p | tr -d '<>')
case "$mes_batch" in
  "$M"/qms/*) ok "the regulator at the manufacturer sees deviations in $mes_batch" ;;
  *) bad "no deviation in a QMS graph for the regulator (got '$mes_batch')" ;;
esac
forms=(
  "SELECT ?d WHERE { ?d a <https://w3id.org/weft/dt#Deviation> }"
  "SELECT ?d WHERE { GRAPH ?g { ?d a <https://w3id.org/weft/dt#Deviation> } }"
  "SELECT ?d FROM <$mes_batch> WHERE { ?d ?p ?o }"
  "SELECT ?d FROM NAMED <$mes_batch> WHERE { GRAPH ?g { ?d ?p ?o } }"
  "SELECT ?d WHERE { GRAPH <$mes_batch> { ?d ?p ?o } }"
  "SELECT ?d WHERE { ?d (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*) <https://w3id.org/weft/dt#Deviation> }"
  "SELECT ?d WHERE { VALUES ?g { <$mes_batch> } GRAPH ?g { ?d ?p ?o } }"
  "SELECT ?g WHERE { GRAPH ?g { } FILTER(STRSTARTS(STR(?g), \"$M/qms/\")) }"
  "SELECT ?d WHERE { SERVICE <$MAN/sparql> { ?d a <https://w3id.org/weft/dt#Deviation> } }"
)
for f in "${forms[@]}"; do
  out=$(q "$MAN" "$k_mp" "$f")
  rows=$(printf '%s\n' "$out" | sed 1d | grep -c . || true)
  if [ "$rows" = 0 ]; then ok "partner, no rows: ${f:0:80}"; else bad "partner read $rows rows (HTTP $(status)) with: $f"; fi
  # The same query with the regulator's key does find rows (all but SERVICE, which the manufacturer does not configure).
  case "$f" in *SERVICE*) continue ;; esac
  reg_rows=$(q "$MAN" "$k_mr" "$f" | sed 1d | grep -c . || true)
  [ "$reg_rows" -gt 0 ] || bad "the regulator finds nothing either (the check proves nothing): $f"
done
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $k_mp" -H 'Accept: application/n-triples' \
  --data-urlencode "query=DESCRIBE <$mes_batch>" "$MAN/sparql" >/dev/null
n=$(curl -s -H "Authorization: Bearer $k_mp" -H 'Accept: application/n-triples' --data-urlencode \
  "query=CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/weft/dt#Deviation> ; ?p ?o }" "$MAN/sparql" | grep -c . || true)
[ "$n" = 0 ] && ok "partner CONSTRUCT over deviations: nothing" || bad "partner CONSTRUCT gave $n triples"
code=$(curl -s -o /dev/null -w '%{http_code}' -G -H "Authorization: Bearer $k_mp" --data-urlencode "graph=$mes_batch" "$MAN/rdf-graph-store")
[ "$code" = 403 ] && ok "partner GET of a QMS graph (Graph Store Protocol): 403" || bad "partner GSP GET: $code"
erp=$(q "$MAN" "$k_mp" "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }" | sed -n 2p)
[ "${erp:-0}" -gt 0 ] && ok "partner reads the granted ERP graphs ($erp labels)" || bad "partner reads nothing at all"

# ---- writes: regulators never, partners never, writers their own graphs
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $k_mr" \
  --data-urlencode "update=INSERT DATA { GRAPH <$M/erp/x> { <x:a> <x:b> <x:c> } }" "$MAN/sparql")
[ "$code" = 403 ] && ok "regulator update: 403 ($(cat "$tmp/body"))" || bad "regulator update: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $k_mr" -H 'Content-Type: text/turtle' \
  --data-binary '<x:a> <x:b> <x:c> .' "$MAN/rdf-graph-store?graph=$M/erp/x")
[ "$code" = 403 ] && ok "regulator Graph Store PUT: 403" || bad "regulator PUT: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $k_mp" \
  --data-urlencode "update=INSERT DATA { GRAPH <$M/erp/x> { <x:a> <x:b> <x:c> } }" "$MAN/sparql")
[ "$code" = 403 ] && ok "partner update: 403" || bad "partner update: HTTP $code"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $k_mw" \
  --data-urlencode "update=INSERT DATA { GRAPH <$M/erp/notes> { <x:a> <x:b> \"note\" } }" "$MAN/sparql")
[ "$code" = 200 ] && ok "writer update of its own graph: $(cat "$tmp/body")" || bad "writer update: HTTP $code $(cat "$tmp/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $k_mw" \
  --data-urlencode "update=INSERT DATA { GRAPH <$D/epcis/x> { <x:a> <x:b> <x:c> } }" "$MAN/sparql")
[ "$code" = 403 ] && ok "writer update of another organisation's graph: 403" || bad "writer foreign update: HTTP $code"

# ---- documents by POST
csv=$(ls "$rec"/aurelian/qms/*.csv | head -1)
post() { curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $1" --data-binary @"$2" "$MAN/ingest?name=$3"; }
code=$(post "$k_mw" "$csv" "$(basename "$csv")")
g=$(sed 's/.*"graphs":\["\([^"]*\)".*/\1/' "$tmp/body")
[ "$code" = 200 ] && grep -q '"ingested":1' "$tmp/body" && case "$g" in "$M/erp/"*) true ;; *) false ;; esac &&
  ok "POST /ingest: the document is in $g, under the writer organisation's graph_base" ||
  bad "POST /ingest: HTTP $code $(cat "$tmp/body")"
n=$(q "$MAN" "$k_mp" "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$g> { ?s ?p ?o } }" | sed -n 2p)
[ "${n:-0}" -gt 0 ] && ok "the partner (granted $M/erp/*) reads the posted document's $n triples" || bad "posted graph not readable"
code=$(post "$k_mw" "$csv" "$(basename "$csv")")
[ "$code" = 200 ] && grep -q '"already_present":1' "$tmp/body" && ok "the same bytes again: already present" ||
  bad "POST /ingest again: HTTP $code $(cat "$tmp/body")"
printf 'not,a,known\nrecord,file,at all\n' >"$tmp/odd.csv"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $k_mw" --data-binary @"$tmp/odd.csv" "$MAN/ingest?name=odd.csv")
[ "$code" = 422 ] && ok "POST /ingest of an unknown record file: 422 ($(head -c 100 "$tmp/body"))" || bad "unknown document: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $k_mp" --data-binary @"$csv" "$MAN/ingest?name=x.csv")
[ "$code" = 403 ] && ok "partner POST /ingest: 403" || bad "partner ingest: HTTP $code"

# ---- health and a clean stop
curl -s "$MAN/health" | grep -q '"status":"ok"' && ok "/health" || bad "/health"
kill "${pids[@]}"
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
grep -q "stopped" "$tmp/man.log" && ok "SIGTERM stops the server cleanly" || bad "no clean stop: $(tail -2 "$tmp/man.log")"
pids=()
summary "serve e2e"
