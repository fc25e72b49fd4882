#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of `weft query` and `weft update` over the supply-network
# example: every output format, ASK, CONSTRUCT, --data without a store,
# updates seen by later queries, failed updates leaving the store unchanged,
# limits (--timeout, --max-rows: exit code 3) and usage errors.
# Usage: query_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$2
. "$(dirname "$0")/lib.sh"
# expect_out "description" "regex for stdout" cmd...: exit 0 and stdout matches.
expect_out() {
  local what=$1 re=$2; shift 2
  if ! "$@" >"$tmp/out" 2>"$tmp/err"; then bad "$what: exit $?: $(head -c 600 "$tmp/err")"; return; fi
  if grep -Eq -- "$re" "$tmp/out"; then ok "$what"; else bad "$what: stdout was: $(head -c 600 "$tmp/out")"; fi
}
# expect_fail "description" CODE "regex for stderr" cmd...: exit CODE ("any" = non-zero).
expect_fail() {
  local what=$1 code=$2 re=$3; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = 0 ]; then bad "$what: exit 0"; return; fi
  if [ "$code" != any ] && [ "$rc" != "$code" ]; then bad "$what: exit $rc, expected $code: $(head -c 600 "$tmp/err")"; return; fi
  if grep -Eq -- "$re" "$tmp/err"; then ok "$what"; else bad "$what: stderr was: $(head -c 600 "$tmp/err")"; fi
}

ex=$src/examples/supply-network
s=$tmp/store
if "$weft" load -q --store "$s" "$ex"/*.ttl "$ex"/*.trig "$ex"/*.rdf "$ex"/*.jsonld "$ex"/*.nq >/dev/null; then
  ok "load the supply-network example"
else
  bad "load the supply-network example"; finish "query e2e"
fi
n0=$(quads "$s")

P='PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX ex: <https://example.org/acme-bio/> '
label="${P}SELECT ?l WHERE { <https://id.gs1.org/01/04012345123456> rdfs:label ?l }"

# 1. SELECT in each result format
expect_out "SELECT, default format off a terminal is tsv" '^"Adalimumab 40 mg/0\.4 mL pre-filled syringe"@en$' \
  "$weft" query --store "$s" "$label"
head -1 "$tmp/out" | grep -qx '?l' && ok "tsv header is ?l" || bad "tsv header: $(head -1 "$tmp/out")"
expect_out "SELECT as json" '"xml:lang" *: *"en"' "$weft" query --store "$s" -f json "$label"
grep -q '"vars"' "$tmp/out" && ok "json has head.vars" || bad "json head: $(cat "$tmp/out")"
expect_out "SELECT as xml" '<literal xml:lang="en">Adalimumab' "$weft" query --store "$s" -f xml "$label"
expect_out "SELECT as csv" '^Adalimumab 40 mg/0\.4 mL pre-filled syringe' "$weft" query --store "$s" -f csv "$label"
expect_out "SELECT as table" 'Adalimumab 40 mg' "$weft" query --store "$s" -f table "$label"
"$weft" query --store "$s" -f json -o "$tmp/r.json" "$label" >"$tmp/out" && [ ! -s "$tmp/out" ] &&
  grep -q 'Adalimumab' "$tmp/r.json" && ok "-o writes the results to the file, not stdout" || bad "-o file: $(cat "$tmp/r.json" 2>&1)"
printf '%s\n' "$label" >"$tmp/q.rq"
expect_out "--file Q.rq" 'Adalimumab' "$weft" query --store "$s" --file "$tmp/q.rq"
expect_out "named graphs: GRAPH ?g" 'graph/mes' \
  "$weft" query --store "$s" "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
expect_out "COUNT over the default graph" '[0-9]+' \
  "$weft" query --store "$s" "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

# 2. ASK and CONSTRUCT
expect_out "ASK true (json)" '"boolean" *: *true' "$weft" query --store "$s" -f json "${P}ASK { ?x rdfs:label \"Drug substance batch 77\" }"
expect_out "ASK false (xml)" '<boolean>false</boolean>' "$weft" query --store "$s" -f xml "${P}ASK { ?x rdfs:label \"no such label\" }"
construct="${P}CONSTRUCT { ?x <http://example.org/named> ?l } WHERE { ?x rdfs:label ?l FILTER(lang(?l) = \"en\") }"
expect_out "CONSTRUCT to nt" '^<https://example.org/acme-bio/org-acme> <http://example.org/named> "ACME Biologics GmbH"@en \.$' \
  "$weft" query --store "$s" -f nt "$construct"
[ "$(grep -c . "$tmp/out")" = 4 ] && ok "CONSTRUCT gives 4 triples (one per English label)" || bad "CONSTRUCT triple count: $(cat "$tmp/out")"
expect_out "CONSTRUCT default ttl" 'ACME fill-finish site' "$weft" query --store "$s" "$construct"

# 3. --data without a store (a quad syntax keeps its graphs)
expect_out "--data on a Turtle file" 'Adalimumab' "$weft" query --data "$ex/manufacturer-master.ttl" "$label"
expect_out "--data on TriG keeps named graphs" 'graph/lims' \
  "$weft" query --data "$ex/batch-records.trig" "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

# 4. --explain and --repeat
expect_out "--explain prints the plan to stderr" 'Adalimumab' "$weft" query --store "$s" --explain "$label"
[ -s "$tmp/err" ] && ok "--explain wrote a plan" || bad "--explain wrote nothing to stderr"
expect_out "--repeat 3" 'Adalimumab' "$weft" query --store "$s" --repeat 3 "$label"
[ "$(grep -c '^run [0-9]: [0-9.]* ms$' "$tmp/err")" = 3 ] && ok "--repeat prints 3 run times" || bad "--repeat stderr: $(cat "$tmp/err")"
[ "$(grep -c Adalimumab "$tmp/out")" = 1 ] && ok "--repeat writes the results once" || bad "--repeat output: $(cat "$tmp/out")"

# 5. updates
expect_out "INSERT DATA" '^update: 2 quads inserted, 0 deleted$' \
  "$weft" update --store "$s" "${P}INSERT DATA { ex:lot-x rdfs:label \"Lot X\" . GRAPH ex:g1 { ex:lot-x ex:qty 5 } }"
[ "$(quads "$s")" = $((n0 + 2)) ] && ok "store grew by 2 quads" || bad "quad count after insert: $(quads "$s")"
expect_out "a query sees the insert" 'Lot X' "$weft" query --store "$s" "${P}SELECT ?l WHERE { ex:lot-x rdfs:label ?l }"
expect_out "DELETE/INSERT WHERE" '^update: 1 quads inserted, 1 deleted$' \
  "$weft" update --store "$s" "${P}DELETE { GRAPH ex:g1 { ?x ex:qty ?q } } INSERT { GRAPH ex:g1 { ?x ex:qty 6 } } WHERE { GRAPH ex:g1 { ?x ex:qty ?q } }"
expect_out "a query sees the modification" '6' "$weft" query --store "$s" "${P}SELECT ?q WHERE { GRAPH ex:g1 { ex:lot-x ex:qty ?q } }"
expect_out "DELETE DATA" '^update: 0 quads inserted, 1 deleted$' \
  "$weft" update --store "$s" "${P}DELETE DATA { ex:lot-x rdfs:label \"Lot X\" }"
expect_out "a query no longer sees it" '^false$|"boolean" *: *false' \
  "$weft" query --store "$s" -f json "${P}ASK { ex:lot-x rdfs:label ?l }"
printf '<http://example.org/loaded> <http://example.org/p> "from a file" .\n' >"$tmp/extra.nt"
expect_out "LOAD <file:...> INTO GRAPH" '^update: 1 quads inserted' \
  "$weft" update --store "$s" "LOAD <file://$tmp/extra.nt> INTO GRAPH <http://example.org/loaded-graph>"
expect_out "a query sees the loaded triple in its graph" 'from a file' \
  "$weft" query --store "$s" "SELECT ?o WHERE { GRAPH <http://example.org/loaded-graph> { ?s ?p ?o } }"
n1=$(quads "$s")
printf '%s\n' "${P}INSERT DATA { ex:lot-y rdfs:label \"Lot Y\" }" >"$tmp/u.ru"
expect_out "update --file U.ru" '^update: 1 quads inserted, 0 deleted$' "$weft" update --store "$s" --file "$tmp/u.ru"
n1=$((n1 + 1))

# 6. failed updates change nothing
expect_fail "update syntax error" 2 'update:1:[0-9]+' \
  "$weft" update --store "$s" "${P}INSERT DATA { ex:a ex:b ex:c . } ; DELETE WHERE { ?x ?y"
[ "$(quads "$s")" = "$n1" ] && ok "store unchanged after a syntax error" || bad "store changed: $(quads "$s") vs $n1"
expect_fail "LOAD of an http IRI in a request: all or nothing" 1 'server|http' \
  "$weft" update --store "$s" "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 } ; LOAD <http://example.org/remote.ttl>"
[ "$(quads "$s")" = "$n1" ] && ok "store unchanged after a failed request" || bad "store changed: $(quads "$s") vs $n1"
expect_fail "LOAD of a missing file" 1 'nope\.ttl' "$weft" update --store "$s" "LOAD <file://$tmp/nope.ttl>"
expect_fail "update on a missing store" 1 'no weft store|not' "$weft" update --store "$tmp/absent" "INSERT DATA { <a:a> <a:b> <a:c> }"
"$weft" check --store "$s" >/dev/null && ok "store consistent after the updates" || bad "check after updates"

# 7. errors and limits
expect_fail "query syntax error: query:LINE:COL, exit 2" 2 'query:1:[0-9]+' "$weft" query --store "$s" "SELECT ?x WHERE { ?x"
expect_fail "query syntax error in a file names the file" 2 'bad\.rq:2:[0-9]+' \
  sh -c "printf 'SELECT *\nWHERE { ?x ?y }}\n' >'$tmp/bad.rq'; '$weft' query --store '$s' --file '$tmp/bad.rq'"
cross='SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }'
t0=$(date +%s)
expect_fail "--timeout stops a long query with exit 3" 3 'timeout' "$weft" query --store "$s" --timeout 0.5 "$cross"
[ $(( $(date +%s) - t0 )) -le 10 ] && ok "--timeout returned promptly" || bad "--timeout took $(( $(date +%s) - t0 )) s"
expect_fail "--max-rows exceeded: exit 3" 3 'max-rows' "$weft" query --store "$s" --max-rows 2 "SELECT * WHERE { ?s ?p ?o }"
expect_fail "SELECT with a graph format" 2 'table, json, xml, csv or tsv' "$weft" query --store "$s" -f ttl "$label"
expect_fail "CONSTRUCT with a table format" 2 'ttl, nt, nq, trig or jsonld' "$weft" query --store "$s" -f csv "$construct"
expect_fail "unknown flag" any '--help' "$weft" query --store "$s" --bogus "$label"
expect_fail "unknown format" any 'format' "$weft" query --store "$s" -f yaml "$label"
expect_fail "--store and --data together" any 'excludes|exactly|--data' "$weft" query --store "$s" --data "$ex/manufacturer-master.ttl" "$label"
expect_fail "neither --store nor --data" 2 '--store DIR or --data' "$weft" query "$label"
expect_fail "no query text" 2 'query text or --file' "$weft" query --store "$s"
expect_fail "query on a missing store" 1 'no weft store|not' "$weft" query --store "$tmp/absent" "$label"
expect_fail "--data with an unknown syntax" 1 'cannot tell the syntax' sh -c "echo x >'$tmp/d.txt'; '$weft' query --data '$tmp/d.txt' 'ASK {}'"
for c in query update; do
  "$weft" $c --help >"$tmp/out" 2>&1 && grep -q 'Exit codes' "$tmp/out" && ok "$c --help" || bad "$c --help"
done
summary "query e2e"
