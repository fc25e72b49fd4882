#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the weft ontology modules (ontologies/*.ttl):
#  (a) every file loads into a store;
#  (b) every dt: class reaches an IOF or BFO class by rdfs:subClassOf, every
#      dt: term has a label, a comment and a defining module, imports resolve,
#      no dt: class falls under two disjoint classes, and every dt: name used in
#      mappings/**/*.ttl, examples/**/queries/*.rq, docs/connectors.md and
#      docs/ontology.md is declared, and every iof: name used there is stated
#      in iof-hierarchy.ttl;
#  (c) when ../shared/ontologies/iof exists beside the repository: every IOF
#      term we mention exists in IOF, our stated IOF subclass / subproperty /
#      inverse axioms are entailed by IOF's, and with the full IOF loaded no
#      dt: class falls under two classes IOF declares disjoint.
# Usage: ontology_test.sh WEFT_BINARY REPO_ROOT
set -u
weft=$1
root=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"

PFX='PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dt: <https://w3id.org/weft/dt#>'
DT='https://w3id.org/weft/dt#'
IOF='https://spec.industrialontologies.org/ontology/construct/'
OBO='http://purl.obolibrary.org/obo/'
# A dt: term is a subject typed with one of these.
DECL='VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property owl:NamedIndividual }'

# q STORE QUERY: rows of a SELECT as TSV without the header; exit 1 on a query error.
q() {
  local out
  if ! out=$("$weft" query --store "$1" -f tsv "$PFX
$2" 2>"$tmp/qerr"); then
    echo "query failed: $(head -c 400 "$tmp/qerr")" >&2; return 1
  fi
  printf '%s\n' "$out" | tail -n +2 | sed '/^$/d'
}
# expect_none "description" STORE QUERY: the query runs and returns no rows.
expect_none() {
  local what=$1 rows
  if ! rows=$(q "$2" "$3"); then bad "$what: query error"; return; fi
  if [ -z "$rows" ]; then ok "$what"; else
    bad "$what: $(printf '%s\n' "$rows" | wc -l) offending:"; printf '%s\n' "$rows" | sed 's/^/    /' | head -40
  fi
}

# ---- (a) every module loads
files=("$root"/ontologies/*.ttl)
if [ ! -e "${files[0]}" ]; then bad "no ontologies/*.ttl"; finish "ontology e2e"; fi
for f in "${files[@]}"; do
  if "$weft" load -q --store "$tmp/one-$(basename "$f" .ttl)" "$f" >/dev/null 2>"$tmp/err"; then
    ok "loads: ontologies/$(basename "$f")"
  else
    bad "loads: ontologies/$(basename "$f"): $(head -c 400 "$tmp/err")"
  fi
done
s=$tmp/dt
if ! "$weft" load -q --store "$s" "${files[@]}" >/dev/null 2>"$tmp/err"; then
  bad "load all modules together: $(head -c 400 "$tmp/err")"; finish "ontology e2e"
fi
ok "load all ${#files[@]} module files together"

# ---- (b) structure of the dt: terms
n_classes=$(q "$s" "SELECT ?c WHERE { ?c a owl:Class FILTER STRSTARTS(STR(?c), \"$DT\") }" | wc -l)
n_terms=$(q "$s" "SELECT DISTINCT ?t WHERE { $DECL ?t a ?kind FILTER STRSTARTS(STR(?t), \"$DT\") }" | wc -l)
if [ "$n_classes" -ge 50 ] && [ "$n_terms" -ge 200 ]; then ok "dt: declares $n_classes classes, $n_terms terms"
else bad "dt: declares only $n_classes classes, $n_terms terms"; fi

expect_none "every dt: class has an rdfs:subClassOf path to an iof: or obo: class" "$s" "
SELECT ?c WHERE { ?c a owl:Class FILTER STRSTARTS(STR(?c), \"$DT\")
  FILTER NOT EXISTS { ?c rdfs:subClassOf+ ?p
    FILTER (STRSTARTS(STR(?p), \"$IOF\") || STRSTARTS(STR(?p), \"$OBO\")) } }"
expect_none "every dt: term has an rdfs:label" "$s" "
SELECT DISTINCT ?t WHERE { $DECL ?t a ?kind FILTER STRSTARTS(STR(?t), \"$DT\")
  FILTER NOT EXISTS { ?t rdfs:label ?l } }"
expect_none "every dt: term has an rdfs:comment" "$s" "
SELECT DISTINCT ?t WHERE { $DECL ?t a ?kind FILTER STRSTARTS(STR(?t), \"$DT\")
  FILTER NOT EXISTS { ?t rdfs:comment ?l FILTER (STRLEN(STR(?l)) >= 20) } }"
expect_none "every dt: term rdfs:isDefinedBy exactly one module that is an owl:Ontology" "$s" "
SELECT DISTINCT ?t WHERE { $DECL ?t a ?kind FILTER STRSTARTS(STR(?t), \"$DT\")
  FILTER (NOT EXISTS { ?t rdfs:isDefinedBy ?m . ?m a owl:Ontology }
          || EXISTS { ?t rdfs:isDefinedBy ?m1, ?m2 FILTER (?m1 != ?m2) }) }"
expect_none "every owl:imports names a module in ontologies/" "$s" "
SELECT ?o ?i WHERE { ?o owl:imports ?i FILTER NOT EXISTS { ?i a owl:Ontology } }"
expect_none "every module has a version and a comment" "$s" "
SELECT ?o WHERE { ?o a owl:Ontology
  FILTER (NOT EXISTS { ?o owl:versionInfo ?v } || NOT EXISTS { ?o rdfs:comment ?c }) }"
expect_none "dt:derivesFrom is transitive with the chain iof:isSpecifiedOutputOf o iof:hasInput" "$s" "
SELECT ?x WHERE { VALUES ?x { dt:derivesFrom }
  FILTER NOT EXISTS { ?x a owl:TransitiveProperty ; owl:propertyChainAxiom ?l .
    ?l rdf:first <${IOF}isSpecifiedOutputOf> ; rdf:rest/rdf:first <${IOF}hasInput> ; rdf:rest/rdf:rest rdf:nil } }"
expect_none "the KPI specifications and dispositions are declared as individuals" "$s" "
SELECT ?x WHERE { VALUES ?x { dt:OEE dt:Availability dt:PerformanceRate dt:QualityRate dt:FirstPassYield
    dt:EnergyPerGoodUnit dt:Quarantined dt:Released dt:Rejected dt:Recalled dt:Dispensed }
  FILTER NOT EXISTS { ?x a owl:NamedIndividual } }"
# Disjointness as stated in iof-hierarchy.ttl (works without ../shared).
DISJ="SELECT DISTINCT ?c ?a ?b WHERE {
  ?c a owl:Class FILTER STRSTARTS(STR(?c), \"$DT\")
  ?c SUPSTAR ?a . ?c SUPSTAR ?b .
  { ?a owl:disjointWith ?b } UNION
  { ?x a owl:AllDisjointClasses ; owl:members ?l . ?l rdf:rest*/rdf:first ?a . ?l rdf:rest*/rdf:first ?b FILTER (?a != ?b) } }"
expect_none "no dt: class is under two classes stated disjoint in iof-hierarchy.ttl" "$s" "${DISJ//SUPSTAR/rdfs:subClassOf*}"

# dt: names used by mappings, example queries and docs/connectors.md.
used=$tmp/used
: >"$used"
{
  find "$root/mappings" -name '*.ttl' -type f 2>/dev/null
  find "$root/examples" -path '*/queries/*.rq' -type f 2>/dev/null
  for d in connectors.md ontology.md; do [ -f "$root/docs/$d" ] && echo "$root/docs/$d"; done
} | sort >"$tmp/sources"
while IFS= read -r f; do
  grep -ohE '(^|[^A-Za-z0-9_:/#.-])dt:[A-Za-z_][A-Za-z0-9_]*' "$f" | sed -E 's/.*dt://' >>"$used"
  grep -ohE 'w3id\.org/weft/dt#[A-Za-z_][A-Za-z0-9_]*' "$f" | sed -E 's/.*#//' >>"$used"
done <"$tmp/sources"
sort -u "$used" -o "$used"
n_used=$(wc -l <"$used")
n_src=$(wc -l <"$tmp/sources")
if [ "$n_used" -eq 0 ]; then
  bad "found no dt: names in $n_src source files (mappings, queries, docs/connectors.md)"
else
  values=$(sed "s|.*|<$DT&>|" "$used" | tr '\n' ' ')
  expect_none "all $n_used dt: names used in $n_src files (mappings, example queries, docs/connectors.md, docs/ontology.md) are declared" "$s" "
SELECT ?t WHERE { VALUES ?t { $values }
  FILTER NOT EXISTS { $DECL ?t a ?kind } }"
  if [ "$fail" -gt 0 ]; then
    # Say where each undeclared name is used.
    while IFS= read -r name; do
      if [ -z "$(q "$s" "SELECT ?k WHERE { $DECL <$DT$name> a ?kind BIND(1 AS ?k) }")" ]; then
        tr '\n' '\0' <"$tmp/sources" | xargs -0 grep -lE "dt:$name([^A-Za-z0-9_]|$)|dt#$name([^A-Za-z0-9_]|$)" |
          sed "s|^$root/|    undeclared dt:$name used in |"
      fi
    done <"$used"
  fi
fi

# iof: names used by the same files are stated in iof-hierarchy.ttl, so the
# hierarchy weft relies on is complete without the IOF files.
iofused=$tmp/iofused
: >"$iofused"
while IFS= read -r f; do
  grep -ohE '(^|[^A-Za-z0-9_:/#.-])iof:[A-Za-z_][A-Za-z0-9_]*' "$f" | sed -E 's/.*iof://' >>"$iofused"
done <"$tmp/sources"
sort -u "$iofused" -o "$iofused"
if [ -s "$iofused" ]; then
  expect_none "all $(wc -l <"$iofused") iof: names used in those files are stated in iof-hierarchy.ttl" "$s" "
SELECT ?t WHERE { VALUES ?t { $(sed "s|.*|<$IOF&>|" "$iofused" | tr '\n' ' ') }
  FILTER NOT EXISTS { VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty } ?t a ?kind } }"
fi

# ---- (c) consistency with the full IOF release
iof=$(cd "$root/.." && pwd)/shared/ontologies/iof
if [ ! -d "$iof" ]; then
  echo "skip: ../shared/ontologies not found (IOF consistency checks)"
else
  iofs=$tmp/iof
  if "$weft" load -q --store "$iofs" "$iof"/core/Core.rdf "$iof"/supplychain/SupplyChain.rdf \
      "$iof"/maintenance/Maintenance.rdf "$iof"/certification/Certification.rdf "$iof"/biopharma/*.rdf \
      "$iof"/productionplanning/ProductionPlanning.rdf "$iof"/cache/bfo/2020/bfo.rdf >/dev/null 2>"$tmp/err"; then
    ok "load the IOF release (core, supply chain, maintenance, certification, biopharma, production planning, BFO)"
    # Every iof:/obo: term we mention (any position in our modules) exists in IOF/BFO.
    mentioned=$(q "$s" "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?x ?o } UNION { ?s ?p ?x FILTER (?p != rdfs:isDefinedBy) }
      FILTER (isIRI(?x) && (STRSTARTS(STR(?x), \"$IOF\") || STRSTARTS(STR(?x), \"$OBO\"))) }" | tr '\n' ' ')
    n_m=$(echo "$mentioned" | wc -w)
    expect_none "all $n_m iof:/obo: terms we mention are declared classes or properties in IOF/BFO" "$iofs" "
SELECT ?x WHERE { VALUES ?x { $mentioned }
  FILTER NOT EXISTS { VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } ?x a ?k } }"
    n_ic=$(q "$s" "SELECT ?c WHERE { ?c rdfs:isDefinedBy ?d ; a owl:Class FILTER STRSTARTS(STR(?c), \"$IOF\") }" | wc -l)
    expect_none "the $n_ic iof: classes of iof-hierarchy.ttl are owl:Class in IOF" "$iofs" "
SELECT ?x WHERE { VALUES ?x { $(q "$s" "SELECT ?c WHERE { ?c rdfs:isDefinedBy ?d ; a owl:Class FILTER STRSTARTS(STR(?c), \"$IOF\") }" | tr '\n' ' ') }
  FILTER NOT EXISTS { ?x a owl:Class } }"
    # Our subclass axioms between IOF/BFO classes are entailed by IOF (told
    # subclass steps, including named conjuncts of intersections).
    SUP='(rdfs:subClassOf|owl:equivalentClass|owl:intersectionOf/rdf:rest*/rdf:first)'
    pairs=$(q "$s" "SELECT ?a ?b WHERE { ?a rdfs:subClassOf ?b FILTER (isIRI(?b)
      && (STRSTARTS(STR(?a), \"$IOF\") || STRSTARTS(STR(?a), \"$OBO\"))
      && (STRSTARTS(STR(?b), \"$IOF\") || STRSTARTS(STR(?b), \"$OBO\"))) }" | sed 's/^/(/; s/$/)/' | tr '\t\n' '  ')
    expect_none "our $(echo "$pairs" | grep -o '(' | wc -l) subclass axioms among IOF/BFO classes are entailed by IOF" "$iofs" "
SELECT ?a ?b WHERE { VALUES (?a ?b) { $pairs } FILTER NOT EXISTS { ?a $SUP+ ?b } }"
    ppairs=$(q "$s" "SELECT ?a ?b WHERE { ?a rdfs:subPropertyOf ?b FILTER (
      (STRSTARTS(STR(?a), \"$IOF\") || STRSTARTS(STR(?a), \"$OBO\"))
      && (STRSTARTS(STR(?b), \"$IOF\") || STRSTARTS(STR(?b), \"$OBO\"))) }" | sed 's/^/(/; s/$/)/' | tr '\t\n' '  ')
    expect_none "our subproperty axioms among IOF/BFO properties are entailed by IOF" "$iofs" "
SELECT ?a ?b WHERE { VALUES (?a ?b) { $ppairs } FILTER NOT EXISTS { ?a rdfs:subPropertyOf+ ?b } }"
    ipairs=$(q "$s" "SELECT ?a ?b WHERE { ?a owl:inverseOf ?b FILTER (STRSTARTS(STR(?a), \"$IOF\") || STRSTARTS(STR(?a), \"$OBO\")) }" | sed 's/^/(/; s/$/)/' | tr '\t\n' '  ')
    expect_none "our inverseOf axioms among IOF/BFO properties are stated in IOF" "$iofs" "
SELECT ?a ?b WHERE { VALUES (?a ?b) { $ipairs } FILTER NOT EXISTS { { ?a owl:inverseOf ?b } UNION { ?b owl:inverseOf ?a } } }"
    # Full IOF plus our modules: no dt: class under two IOF-disjoint classes.
    all=$tmp/all
    if "$weft" load -q --store "$all" "$iof"/core/Core.rdf "$iof"/supplychain/SupplyChain.rdf \
        "$iof"/maintenance/Maintenance.rdf "$iof"/certification/Certification.rdf "$iof"/biopharma/*.rdf \
        "$iof"/productionplanning/ProductionPlanning.rdf "$iof"/cache/bfo/2020/bfo.rdf "${files[@]}" >/dev/null 2>"$tmp/err"; then
      ok "load the IOF release and our modules together"
      n_dis=$(q "$all" "SELECT ?a WHERE { { ?a owl:disjointWith ?b } UNION { ?a a owl:AllDisjointClasses } }" | wc -l)
      if [ "$n_dis" -gt 0 ]; then ok "IOF states $n_dis disjointness axioms to check against"; else bad "no disjointness axioms found in IOF"; fi
      expect_none "no dt: class is under two classes IOF declares disjoint (owl:disjointWith, owl:AllDisjointClasses)" "$all" "${DISJ//SUPSTAR/$SUP*}"
    else
      bad "load the IOF release and our modules together: $(head -c 400 "$tmp/err")"
    fi
  else
    bad "load the IOF release: $(head -c 400 "$tmp/err")"
  fi
fi

summary "ontology e2e"
