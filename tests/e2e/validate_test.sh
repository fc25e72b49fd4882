#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end test of `weft validate` and `weft ingest --shapes`
# (engine/cli/validate_cmd.cpp, engine/shacl):
#   1. files given with --data: a conforming graph exits 0 with a W3C report
#      saying sh:conforms true; violations exit 1, the report (a file, or
#      standard output with --report -) holds one sh:result per result and
#      reads back as Turtle, the summary on standard error counts them per
#      shape and component; warnings only exit 0 but are listed;
#      --max-results keeps N results in the report while the summary still
#      counts them all;
#   2. a store: the union of its graphs by default, one named graph with
#      --graph, a missing graph is an error (exit 2);
#   3. a SHACL-SPARQL constraint (sh:sparql) runs over the store;
#   4. usage and shapes errors exit 2 with clear messages (file:line:column
#      for a shapes file that does not parse);
#   5. `weft ingest --shapes` refuses a document whose graph violates the
#      shapes (exit 1, its graph is not written, the message names the file
#      and the violation), and ingests it when it conforms or has warnings only.
# Usage: validate_test.sh WEFT_BINARY REPO_ROOT
set -u
weft=$1
src=$2
. "$(dirname "$0")/lib.sh"

if ! "$weft" validate --help >/dev/null 2>&1; then
  echo "FAIL: this weft has no validate command"
  exit 1
fi
SH='PREFIX sh: <http://www.w3.org/ns/shacl#>'
# One value of a one-row SELECT over a Turtle file.
fval() { "$weft" query --data "$1" -f tsv "$SH $2" 2>"$tmp/qe" | sed -n 2p | sed 's/^"\(.*\)"$/\1/'; }

cat >"$tmp/prefixes.ttl" <<'EOF'
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
EOF
shapes=$tmp/shapes.ttl
cat "$tmp/prefixes.ttl" - >"$shapes" <<'EOF'
ex:PersonShape a sh:NodeShape ;
  sh:targetClass ex:Person ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] ;
  sh:property [ sh:path ex:age ; sh:maxInclusive 150 ; sh:severity sh:Warning ] .
EOF
good=$tmp/good.ttl
cat "$tmp/prefixes.ttl" - >"$good" <<'EOF'
ex:alice a ex:Person ; ex:name "Alice" ; ex:age 30 .
EOF
bad=$tmp/bad.ttl
cat "$tmp/prefixes.ttl" - >"$bad" <<'EOF'
ex:alice a ex:Person ; ex:name "Alice" ; ex:age 30 .
ex:bob a ex:Person ; ex:age 200 .
ex:carl a ex:Person ; ex:name 5 .
EOF
warn=$tmp/warn.ttl
cat "$tmp/prefixes.ttl" - >"$warn" <<'EOF'
ex:dora a ex:Person ; ex:name "Dora" ; ex:age 151 .
EOF

# 1. Files.
"$weft" validate --data "$good" --shapes "$shapes" --report "$tmp/r0.ttl" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && ok "a conforming graph exits 0" || bad "conforming graph: exit $rc: $(head -c 300 "$tmp/err")"
[ "$(fval "$tmp/r0.ttl" 'SELECT ?c WHERE { ?r a sh:ValidationReport ; sh:conforms ?c }')" = \
  '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>' ] &&
  ok "its report says sh:conforms true" || bad "report of the conforming graph: $(head -c 300 "$tmp/r0.ttl")"
grep -q '^conforms' "$tmp/err" && ok "the summary says it conforms" || bad "summary: $(head -c 300 "$tmp/err")"

"$weft" validate --data "$bad" --shapes "$shapes" --report "$tmp/r1.ttl" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && ok "violations exit 1" || bad "violations: exit $rc (want 1): $(head -c 300 "$tmp/err")"
n=$(fval "$tmp/r1.ttl" 'SELECT (COUNT(?x) AS ?n) WHERE { ?r a sh:ValidationReport ; sh:conforms false ; sh:result ?x }')
[ "$n" = 3 ] && ok "the report reads back as Turtle with 3 sh:result" || bad "sh:result in the report: '$n' (want 3)"
n=$(fval "$tmp/r1.ttl" 'SELECT (COUNT(?x) AS ?n) WHERE { ?x a sh:ValidationResult ; sh:focusNode <http://example.org/bob> ;
  sh:resultPath <http://example.org/name> ; sh:sourceConstraintComponent sh:MinCountConstraintComponent ;
  sh:resultSeverity sh:Violation ; sh:sourceShape ?s ; sh:resultMessage ?m }')
[ "$n" = 1 ] && ok "ex:bob's missing name: focus node, path, component, severity, shape and message" ||
  bad "ex:bob's minCount result: '$n'"
grep -q 'does not conform: 2 violations, 1 warning' "$tmp/err" && ok "the summary counts 2 violations and 1 warning" ||
  bad "summary: $(head -c 400 "$tmp/err")"
grep -q 'ex:PersonShape / ex:name' "$tmp/err" && ok "the summary names the property shape by its way from ex:PersonShape" ||
  bad "summary shape names: $(head -c 400 "$tmp/err")"

out=$("$weft" validate --data "$bad" --shapes "$shapes" --report - -q 2>"$tmp/err")
rc=$?
[ "$rc" = 1 ] && [ ! -s "$tmp/err" ] && echo "$out" | grep -q 'sh:ValidationReport' &&
  ok "--report - writes the report to standard output; -q leaves standard error empty" ||
  bad "--report - -q: exit $rc, stderr '$(head -c 200 "$tmp/err")'"

"$weft" validate --data "$warn" --shapes "$shapes" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && grep -q 'Warning: ex:dora ex:age' "$tmp/err" && ok "warnings only: exit 0, the warning is listed" ||
  bad "warnings only: exit $rc: $(head -c 300 "$tmp/err")"

"$weft" validate --data "$bad" --data "$warn" --shapes "$shapes" --max-results 1 --report "$tmp/r2.ttl" 2>"$tmp/err"
n=$(fval "$tmp/r2.ttl" 'SELECT (COUNT(?x) AS ?n) WHERE { ?r sh:result ?x }')
[ "$n" = 1 ] && grep -q '2 violations, 2 warnings' "$tmp/err" &&
  ok "--max-results 1: one result in the report, all four counted" || bad "--max-results: report $n, $(head -c 300 "$tmp/err")"

# 2. A store: union of graphs, or one graph.
trig=$tmp/data.trig
cat "$tmp/prefixes.ttl" - >"$trig" <<'EOF'
ex:types { ex:erin a ex:Person . }
ex:names { ex:erin ex:name "Erin" . ex:finn a ex:Person . }
EOF
store=$tmp/store
"$weft" load -q --store "$store" "$trig" >/dev/null 2>&1 || bad "load the TriG file"
"$weft" validate --store "$store" --shapes "$shapes" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q '1 violation,' "$tmp/err" && grep -q 'ex:finn ex:name' "$tmp/err" &&
  ok "store, union of graphs: ex:erin's type and name come from two graphs; only ex:finn has no name" ||
  bad "union: exit $rc: $(head -c 400 "$tmp/err")"
"$weft" validate --store "$store" --graph http://example.org/types --shapes "$shapes" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q 'ex:erin ex:name' "$tmp/err" && ! grep -q 'ex:finn' "$tmp/err" &&
  ok "--graph: only that graph is the data graph (ex:erin has no name there)" || bad "--graph: exit $rc: $(head -c 400 "$tmp/err")"
"$weft" validate --store "$store" --graph http://example.org/nope --shapes "$shapes" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'no graph <http://example.org/nope>' "$tmp/err" && ok "a graph the store lacks: exit 2, named" ||
  bad "missing graph: exit $rc: $(head -c 300 "$tmp/err")"

# 3. SHACL-SPARQL.
sparql=$tmp/sparql.ttl
cat "$tmp/prefixes.ttl" - >"$sparql" <<'EOF'
ex:NameShape a sh:NodeShape ;
  sh:targetClass ex:Person ;
  sh:sparql [
    sh:message "{$this} has no name in any graph" ;
    sh:prefixes ex: ;
    sh:select """SELECT $this WHERE { FILTER NOT EXISTS { $this ex:name ?n } }""" ] .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
EOF
"$weft" validate --store "$store" --shapes "$sparql" --report "$tmp/r3.ttl" 2>"$tmp/err"
rc=$?
m=$(fval "$tmp/r3.ttl" 'SELECT ?m WHERE { ?x sh:sourceConstraintComponent sh:SPARQLConstraintComponent ; sh:resultMessage ?m }')
[ "$rc" = 1 ] && [ "$m" = "<http://example.org/finn> has no name in any graph" ] &&
  ok "a sh:sparql constraint runs over the store, with \$this pre-bound and the message filled in" ||
  bad "sh:sparql: exit $rc, message '$m': $(head -c 300 "$tmp/err")"

# 4. Errors.
printf '@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nex:S a sh:NodeShape .\n' >"$tmp/broken.ttl"
"$weft" validate --data "$good" --shapes "$tmp/broken.ttl" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "broken.ttl:3:" "$tmp/err" && ok "a shapes file that does not parse: exit 2, file:line:column" ||
  bad "broken shapes: exit $rc: $(head -c 300 "$tmp/err")"
cat "$tmp/prefixes.ttl" - >"$tmp/illformed.ttl" <<'EOF'
ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:maxCount "one" ] .
EOF
"$weft" validate --data "$good" --shapes "$tmp/illformed.ttl" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'sh:maxCount must be a non-negative xsd:integer' "$tmp/err" &&
  ok "an ill-formed shape: exit 2, the shape and the parameter named" || bad "ill-formed shape: exit $rc: $(head -c 300 "$tmp/err")"
"$weft" validate --shapes "$shapes" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'give --store DIR or --data' "$tmp/err" && ok "no data: usage error, exit 2" || bad "no data: exit $rc"
"$weft" validate --data "$good" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -qi 'shapes' "$tmp/err" && ok "no --shapes: usage error, exit 2" || bad "no shapes: exit $rc"
"$weft" validate --data "$good" --shapes "$tmp/none.ttl" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'not found' "$tmp/err" && ok "a missing shapes file: exit 2" || bad "missing shapes file: exit $rc"

# 5. ingest --shapes, on the SAP materials extract of tests/data/erp.
materials=$src/tests/data/erp/sap/materials.csv
if [ ! -f "$materials" ]; then
  echo "skip: $materials not found: ingest --shapes not checked"
else
  dtp='@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dt: <https://w3id.org/weft/dt#> .'
  printf '%s\n%s\n' "$dtp" 'dt:Gtin a sh:NodeShape ; sh:targetClass dt:ProductDefinition ;
  sh:property [ sh:path dt:gtin ; sh:minCount 1 ; sh:pattern "^[0-9]{14}$" ] .' >"$tmp/gtin.ttl"
  printf '%s\n%s\n' "$dtp" 'dt:Ndc a sh:NodeShape ; sh:targetClass dt:ProductDefinition ;
  sh:property [ sh:path dt:ndc ; sh:minCount 1 ; sh:message "a product needs its NDC" ] .' >"$tmp/ndc.ttl"
  printf '%s\n%s\n' "$dtp" 'dt:NdcWarn a sh:NodeShape ; sh:targetClass dt:ProductDefinition ;
  sh:property [ sh:path dt:ndc ; sh:minCount 1 ; sh:severity sh:Warning ] .' >"$tmp/ndcwarn.ttl"
  is=$tmp/istore
  "$weft" ingest --store "$is" --shapes "$tmp/ndc.ttl" "$materials" 2>"$tmp/err"
  rc=$?
  [ "$rc" = 1 ] && grep -q "materials.csv: its graph does not conform to the shapes" "$tmp/err" &&
    grep -q "a product needs its NDC" "$tmp/err" && grep -q 'nothing from this document was written' "$tmp/err" &&
    ok "ingest --shapes refuses a violating document: exit 1, file and violation named" ||
    bad "ingest --shapes (violations): exit $rc: $(head -c 500 "$tmp/err")"
  n=$(quads "$is")
  [ "${n:-0}" = 0 ] && ok "nothing of the refused document is in the store" || bad "quads after the refusal: $n"
  "$weft" ingest -q --store "$is" --shapes "$tmp/ndcwarn.ttl" "$materials" 2>"$tmp/err"
  rc=$?
  [ "$rc" = 0 ] && [ "$(quads "$is")" -gt 0 ] && ok "ingest --shapes with warnings only: ingested" ||
    bad "ingest --shapes (warnings): exit $rc: $(head -c 300 "$tmp/err")"
  "$weft" ingest -q --store "$tmp/istore2" --shapes "$tmp/gtin.ttl" --shapes "$tmp/ndcwarn.ttl" "$materials" 2>"$tmp/err"
  rc=$?
  [ "$rc" = 0 ] && ok "ingest --shapes with conforming shapes (two --shapes files): ingested" ||
    bad "ingest --shapes (conforming): exit $rc: $(head -c 300 "$tmp/err")"
  "$weft" ingest --store "$tmp/istore3" --shapes "$tmp/broken.ttl" "$materials" 2>"$tmp/err"
  rc=$?
  [ "$rc" = 2 ] && grep -q "broken.ttl:3:" "$tmp/err" && ok "ingest --shapes with a broken shapes file: exit 2" ||
    bad "ingest --shapes broken: exit $rc: $(head -c 300 "$tmp/err")"
fi

summary "validate"
