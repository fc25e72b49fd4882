#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of exchange packages (docs/serving.md, "Exchange
# packages"): `weft export --for ORG` writes only the graphs the serving
# policy lets ORG read, with a manifest carrying the RDFC-1.0 hash; `weft
# import` loads an untouched package (graphs, counts and blank nodes equal to
# the source's, the re-exported hash identical) and refuses a tampered,
# incomplete or malformed one without touching the target store. Also: the
# hash does not depend on blank node labels or load order, TriG packages,
# --graph narrowing and refusals, repeated import, and Ed25519 signatures
# (--sign / --trust; skipped without the openssl command).
# Usage: exchange_test.sh WEFT_BINARY REPO_ROOT
set -u
weft=$1
. "$(dirname "$0")/lib.sh"

PFX='PREFIX ex: <https://example.org/ns#>'
# q STORE QUERY: rows of a SELECT as TSV without the header (sorted).
q() { "$weft" query --store "$1" -f tsv "$PFX
$2" 2>"$tmp/qerr" | tail -n +2 | sed '/^$/d' | LC_ALL=C sort; }
hash_of() { sed -nE 's/.*dt:canonicalHash "([0-9a-f]{64})".*/\1/p' "$1/manifest.ttl"; }
file_hash_of() { sed -nE 's/.*dt:dataFileSha256 "([0-9a-f]{64})".*/\1/p' "$1/manifest.ttl"; }
# Every graph named in an N-Quads file (the last term of lines with four terms).
graphs_of() { awk '{ g = $(NF-1); if (g ~ /^<.*>$/ && NF >= 5) print g }' "$1" | LC_ALL=C sort -u; }
# A store's full content as sorted N-Quads (blank node labels are the store's own).
dump() { "$weft" export --store "$1" -f nq 2>/dev/null | LC_ALL=C sort; }
# Quads per graph and quads with a blank node per graph, for the graphs of acme.
ACME_GRAPHS='VALUES ?g { <https://example.org/acme/orders> <https://example.org/acme/lots> <https://example.org/shared> }'
per_graph() { q "$1" "SELECT ?g (COUNT(*) AS ?n) WHERE { $ACME_GRAPHS GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"; }
blank_per_graph() {
  q "$1" "SELECT ?g (COUNT(*) AS ?n) WHERE { $ACME_GRAPHS GRAPH ?g { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) } } GROUP BY ?g"
}

# ---- fixture: four named graphs and the default graph, blank nodes (trees,
# a symmetric 2-cycle, a chain), escapes, language tags, datatypes.
cat >"$tmp/data.trig" <<'EOF'
@prefix ex: <https://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:root ex:label "in the default graph" .
<https://example.org/acme/orders> {
  ex:o1 ex:item [ ex:sku "A-1" ; ex:qty 3 ] , [ ex:sku "A-2" ; ex:qty 1 ] .
  ex:o1 ex:note "line\nbreak \"quoted\" tab\t back\\slash"@en-GB , "ünïcödé ∞"@de .
  _:x ex:twin _:y . _:y ex:twin _:x .
  _:c1 ex:next _:c2 . _:c2 ex:next _:c3 . _:c3 ex:next _:c4 .
}
<https://example.org/acme/lots> {
  ex:lot7 ex:madeFrom ex:lot3 ; ex:when "2024-05-01T10:00:00Z"^^xsd:dateTime ; ex:weight 12.5 .
}
<https://example.org/globex/secret> { ex:s ex:p "globex only" . ex:s ex:q [ ex:r "hidden" ] . }
<https://example.org/shared> { ex:shared ex:with [ ex:name "both" ] . }
EOF
# The same quads with other blank node labels, in another order.
cat >"$tmp/data2.trig" <<'EOF'
@prefix ex: <https://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/shared> { ex:shared ex:with _:other . _:other ex:name "both" . }
<https://example.org/acme/lots> {
  ex:lot7 ex:weight 12.5 ; ex:when "2024-05-01T10:00:00Z"^^xsd:dateTime ; ex:madeFrom ex:lot3 .
}
<https://example.org/acme/orders> {
  _:k3 ex:next _:k4 . _:k1 ex:next _:k2 . _:k2 ex:next _:k3 .
  _:q ex:twin _:p . _:p ex:twin _:q .
  ex:o1 ex:note "ünïcödé ∞"@de , "line\nbreak \"quoted\" tab\t back\\slash"@en-GB .
  _:i2 ex:qty 1 ; ex:sku "A-2" . _:i1 ex:sku "A-1" ; ex:qty 3 .
  ex:o1 ex:item _:i2 , _:i1 .
}
EOF
cat >"$tmp/policy.json" <<'EOF'
{"organisations": {
  "acme":   {"read": ["https://example.org/acme/*", "https://example.org/shared"]},
  "globex": {"read": ["https://example.org/globex/*", "https://example.org/shared", "default"]}}}
EOF
src=$tmp/src
if ! "$weft" load -q --store "$src" "$tmp/data.trig" >/dev/null 2>"$tmp/err"; then
  bad "load the fixture: $(head -c 400 "$tmp/err")"; finish "exchange e2e"
fi
ok "source store: $(quads "$src") quads"

# ---- export for acme: only its graphs
pkg=$tmp/pkg-acme
if "$weft" export --store "$src" --config "$tmp/policy.json" --for acme --from "Globex Pharma" --out "$pkg" \
    >"$tmp/out" 2>"$tmp/err"; then ok "export --for acme"; else bad "export --for acme: $(cat "$tmp/err")"; finish "exchange e2e"; fi
[ -f "$pkg/dataset.nq" ] && [ -f "$pkg/manifest.ttl" ] && ok "the package has dataset.nq and manifest.ttl" ||
  bad "package files: $(ls "$pkg")"
want='<https://example.org/acme/lots>
<https://example.org/acme/orders>
<https://example.org/shared>'
got=$(graphs_of "$pkg/dataset.nq")
if [ "$got" = "$want" ]; then ok "the package holds exactly acme's three graphs"; else bad "graphs in the package: $got"; fi
if grep -q 'globex only\|hidden\|in the default graph' "$pkg/dataset.nq"; then
  bad "the package leaks globex's or the default graph's quads"
else ok "no quad of globex's graph or of the default graph in the package"; fi
n_pkg=$(wc -l <"$pkg/dataset.nq")
n_acme=$(q "$src" "SELECT (COUNT(*) AS ?n) WHERE { $ACME_GRAPHS GRAPH ?g { ?s ?p ?o } }")
if [ "$n_pkg" = "$n_acme" ] && [ "$n_pkg" -gt 0 ]; then ok "$n_pkg quads, as many as acme's graphs hold"; else bad "$n_pkg quads in the package, $n_acme in acme's graphs"; fi
h=$(hash_of "$pkg")
[ ${#h} = 64 ] && ok "manifest: dt:canonicalHash $h" || bad "no dt:canonicalHash in the manifest"
fh=$(sha256sum "$pkg/dataset.nq" | cut -d' ' -f1)
[ "$(file_hash_of "$pkg")" = "$fh" ] && ok "manifest: dt:dataFileSha256 is the SHA-256 of dataset.nq" ||
  bad "dt:dataFileSha256 $(file_hash_of "$pkg") != $fh"
for t in 'a dt:ExchangePackage , prov:Entity' 'prov:wasAttributedTo \[ a prov:Organization ; rdfs:label "Globex Pharma"' \
    'dt:recipient \[ a prov:Organization ; rdfs:label "acme"' 'prov:generatedAtTime "[0-9T:-]*Z"\^\^xsd:dateTime' \
    'prov:wasDerivedFrom <https://example.org/acme/lots>' 'dt:canonicalization <https://www.w3.org/TR/rdf-canon/>' \
    'dt:quadCount '"$n_pkg" 'dt:graphName <https://example.org/acme/orders> ; dt:quadCount 13'; do
  grep -q "$t" "$pkg/manifest.ttl" && ok "manifest: $t" || bad "manifest lacks: $t"
done
if grep -q '_:c14n' "$pkg/dataset.nq"; then ok "blank nodes are written with their canonical labels"; else bad "no _:c14n labels in dataset.nq"; fi

# The globex package has the default graph and its own graph, not acme's.
"$weft" export --store "$src" --config "$tmp/policy.json" --for globex --out "$tmp/pkg-globex" >/dev/null 2>"$tmp/err" ||
  bad "export --for globex: $(cat "$tmp/err")"
if grep -q 'in the default graph' "$tmp/pkg-globex/dataset.nq" && grep -q 'globex only' "$tmp/pkg-globex/dataset.nq" &&
    ! grep -q 'acme' "$tmp/pkg-globex/dataset.nq"; then ok "globex's package: default graph and its graphs, nothing of acme"
else bad "globex's package content: $(cat "$tmp/pkg-globex/dataset.nq")"; fi

# The hash describes the quads, not the store: other labels, other load order.
"$weft" load -q --store "$tmp/src2" "$tmp/data2.trig" >/dev/null 2>&1
"$weft" export --store "$tmp/src2" --config "$tmp/policy.json" --for acme --out "$tmp/pkg-acme2" >/dev/null 2>"$tmp/err"
if [ "$(hash_of "$tmp/pkg-acme2")" = "$h" ] && cmp -s "$pkg/dataset.nq" "$tmp/pkg-acme2/dataset.nq"; then
  ok "same hash and same bytes from a store loaded with other blank node labels in another order"
else bad "hash from the relabelled store: $(hash_of "$tmp/pkg-acme2") vs $h"; fi

# ---- the target store already holds data of its own
dst=$tmp/dst
printf '<https://example.org/ns#mine> <https://example.org/ns#p> _:b1 <https://example.org/target/own> .\n_:b1 <https://example.org/ns#p> "target" <https://example.org/target/own> .\n' >"$tmp/own.nq"
"$weft" load -q --store "$dst" "$tmp/own.nq" >/dev/null
before=$(dump "$dst")

# refuse: one byte of dataset.nq changed (a literal, still valid N-Quads)
tam=$tmp/tampered
cp -r "$pkg" "$tam"
sed -i '0,/"A-1"/s//"A-7"/' "$tam/dataset.nq"
if cmp -s "$pkg/dataset.nq" "$tam/dataset.nq"; then bad "the tampering changed nothing"; fi
if "$weft" import --store "$dst" "$tam" >"$tmp/out" 2>"$tmp/err"; then bad "import of a tampered package succeeded"
else
  grep -q 'does not match the manifest' "$tmp/err" && ok "tampered literal: refused ($(head -1 "$tmp/err" | cut -c1-90)...)" ||
    bad "tampered package refused without the hash message: $(cat "$tmp/err")"
fi
[ "$(dump "$dst")" = "$before" ] && ok "the target store is unchanged after the refusal" || bad "the target store changed"
# refuse: one byte that breaks the syntax
cp -r "$pkg" "$tmp/broken"
sed -i '1s/>/ /' "$tmp/broken/dataset.nq"
if "$weft" import --store "$dst" "$tmp/broken" >/dev/null 2>"$tmp/err"; then bad "import of a broken package succeeded"
else ok "broken data file: refused ($(head -1 "$tmp/err" | cut -c1-80)...)"; fi
# refuse: only blank node labels changed: one edge between two blank nodes
# becomes a loop (the same terms otherwise; a different graph shape)
cp -r "$pkg" "$tmp/rewired"
awk '!done && $1 ~ /^_:c14n/ && $3 ~ /^_:c14n/ && $1 != $3 { $1 = $3; done = 1 } { print }' \
  "$pkg/dataset.nq" >"$tmp/rewired/dataset.nq"
if cmp -s "$pkg/dataset.nq" "$tmp/rewired/dataset.nq"; then bad "no edge between blank nodes to rewire"
elif "$weft" import --store "$dst" "$tmp/rewired" >/dev/null 2>&1; then bad "import of a rewired package succeeded"
else ok "a blank node edge turned into a loop: refused"; fi
# refuse: no manifest, a malformed one, one whose counts disagree, a forged hash
cp -r "$pkg" "$tmp/nomani"; rm "$tmp/nomani/manifest.ttl"
"$weft" import --store "$dst" "$tmp/nomani" >/dev/null 2>"$tmp/err" && bad "import without a manifest succeeded" ||
  { grep -q 'no manifest.ttl' "$tmp/err" && ok "missing manifest: refused" || bad "missing manifest: $(cat "$tmp/err")"; }
cp -r "$pkg" "$tmp/badmani"; echo 'this is { not turtle' >>"$tmp/badmani/manifest.ttl"
"$weft" import --store "$dst" "$tmp/badmani" >/dev/null 2>&1 && bad "import with a malformed manifest succeeded" || ok "malformed manifest: refused"
cp -r "$pkg" "$tmp/nohash"; sed -i '/dt:canonicalHash/d' "$tmp/nohash/manifest.ttl"
"$weft" import --store "$dst" "$tmp/nohash" >/dev/null 2>&1 && bad "import without dt:canonicalHash succeeded" || ok "manifest without dt:canonicalHash: refused"
cp -r "$pkg" "$tmp/badcount"; sed -i "s/dt:quadCount $n_pkg/dt:quadCount $((n_pkg + 1))/" "$tmp/badcount/manifest.ttl"
"$weft" import --store "$dst" "$tmp/badcount" >/dev/null 2>&1 && bad "import with a wrong dt:quadCount succeeded" || ok "manifest with a wrong dt:quadCount: refused"
cp -r "$pkg" "$tmp/escape"; sed -i 's/dt:dataFile "dataset.nq"/dt:dataFile "..\/..\/etc\/passwd"/' "$tmp/escape/manifest.ttl"
"$weft" import --store "$dst" "$tmp/escape" >/dev/null 2>&1 && bad "a manifest pointing outside the package was followed" || ok "dt:dataFile outside the package folder: refused"
[ "$(dump "$dst")" = "$before" ] && ok "the target store is unchanged after all refusals" || bad "the target store changed"
"$weft" import --store "$tmp/never" "$tam" >/dev/null 2>&1
[ -e "$tmp/never" ] && bad "a refused import created its store" || ok "a refused import creates no store"

# ---- import the untouched package
if "$weft" import --store "$dst" "$pkg" >"$tmp/out" 2>"$tmp/err"; then
  ok "import: $(head -1 "$tmp/out")"
else bad "import of the untouched package: $(cat "$tmp/err")"; finish "exchange e2e"; fi
grep -q "imported $n_pkg quads ($n_pkg new) in 3 named graph(s)" "$tmp/out" && ok "import prints the counts" || bad "import output: $(cat "$tmp/out")"
[ "$(per_graph "$dst")" = "$(per_graph "$src")" ] && ok "quads per graph equal to the source's: $(per_graph "$dst" | tr '\t\n' ' ')" ||
  bad "quads per graph: $(per_graph "$dst" | tr '\n' ' ') vs $(per_graph "$src" | tr '\n' ' ')"
bsrc=$(blank_per_graph "$src")
[ -n "$bsrc" ] && [ "$(blank_per_graph "$dst")" = "$bsrc" ] && ok "quads with blank nodes per graph survive: $(echo "$bsrc" | tr '\t\n' ' ')" ||
  bad "blank node quads: $(blank_per_graph "$dst" | tr '\n' ' ') vs $(echo "$bsrc" | tr '\n' ' ')"
twins=$(q "$dst" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ex:twin ?b . ?b ex:twin ?a FILTER (isBlank(?a) && ?a != ?b) } }')
[ "$twins" = 2 ] && ok "the blank node 2-cycle is still a 2-cycle of two distinct nodes" || bad "twin pairs: $twins"
chain=$(q "$dst" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ex:next/ex:next/ex:next ?d } }')
[ "$chain" = 1 ] && ok "the blank node chain keeps its length" || bad "chains of three steps: $chain"
own=$(q "$dst" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/target/own> { ?s ?p ?o } }')
[ "$own" = 2 ] && ok "the target's own graph is untouched" || bad "target graph has $own quads"
# blank nodes of the package do not merge with the target's own _:b1
merged=$(q "$dst" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/target/own> { ?b ?p "target" } GRAPH ?g { ?b ?q ?o } FILTER (?g != <https://example.org/target/own>) }')
[ "$merged" = 0 ] && ok "package blank nodes stay apart from the target's" || bad "package blank nodes merged with the target's ($merged)"
"$weft" export --store "$dst" --config "$tmp/policy.json" --for acme --out "$tmp/pkg-again" >/dev/null 2>"$tmp/err"
[ "$(hash_of "$tmp/pkg-again")" = "$h" ] && ok "re-exported from the target: the same canonical hash" ||
  bad "re-export hash $(hash_of "$tmp/pkg-again") vs $h"
if "$weft" import --store "$dst" "$pkg" >"$tmp/out" 2>&1 && grep -q '(0 new)' "$tmp/out"; then
  ok "importing the same package again adds nothing (its blank nodes are labelled by its hash)"
else bad "second import: $(cat "$tmp/out")"; fi

# A re-serialized data file with the same quads is accepted, with a note.
cp -r "$pkg" "$tmp/reser"
sed 's/_:c14n/_:other/g' "$pkg/dataset.nq" | LC_ALL=C sort -r >"$tmp/reser/dataset.nq"
if "$weft" import --store "$tmp/dst-reser" "$tmp/reser" >/dev/null 2>"$tmp/err" && grep -q 'not byte for byte' "$tmp/err"; then
  ok "relabelled, reordered data file: imported (canonical hash verified), with a note"
else bad "relabelled data file: $(cat "$tmp/err")"; fi

# ---- TriG packages and --graph
"$weft" export --store "$src" --config "$tmp/policy.json" --for acme --format trig --out "$tmp/pkg-trig" >/dev/null 2>"$tmp/err" ||
  bad "export --format trig: $(cat "$tmp/err")"
if [ -f "$tmp/pkg-trig/dataset.trig" ] && [ "$(hash_of "$tmp/pkg-trig")" = "$h" ] &&
    "$weft" import --store "$tmp/dst-trig" "$tmp/pkg-trig" >/dev/null 2>"$tmp/err" &&
    [ "$(per_graph "$tmp/dst-trig")" = "$(per_graph "$src")" ]; then
  ok "TriG package: same hash, imported with the same graphs"
else bad "TriG package: $(cat "$tmp/err")"; fi
"$weft" export --store "$src" --config "$tmp/policy.json" --for acme --graph https://example.org/shared \
  --graph https://example.org/acme/lots --out "$tmp/pkg-two" >/dev/null 2>"$tmp/err"
[ "$(graphs_of "$tmp/pkg-two/dataset.nq" | tr '\n' ' ')" = "<https://example.org/acme/lots> <https://example.org/shared> " ] &&
  ok "--graph narrows the package to the graphs named" || bad "--graph: $(graphs_of "$tmp/pkg-two/dataset.nq" | tr '\n' ' ') $(cat "$tmp/err")"
if "$weft" export --store "$src" --config "$tmp/policy.json" --for acme --graph https://example.org/globex/secret \
    --out "$tmp/pkg-forbidden" >/dev/null 2>"$tmp/err"; then bad "--graph outside acme's grant was exported"
else grep -q 'may not read' "$tmp/err" && ok "--graph outside the grant: refused" || bad "forbidden --graph: $(cat "$tmp/err")"; fi
[ -e "$tmp/pkg-forbidden/dataset.nq" ] && bad "a refused export wrote a data file" || ok "a refused export writes nothing"
"$weft" export --store "$src" --config "$tmp/policy.json" --for nobody --out "$tmp/x" >/dev/null 2>"$tmp/err" &&
  bad "export for an unknown organisation succeeded" || { grep -q "no organisation 'nobody'" "$tmp/err" && ok "unknown organisation: refused" || bad "unknown org: $(cat "$tmp/err")"; }
"$weft" export --store "$src" --for acme --out "$tmp/x" >/dev/null 2>&1 && bad "--for without --config accepted" || ok "--for without --config: usage error"
"$weft" export --store "$src" --out "$tmp/x" -f nq >/dev/null 2>&1 && bad "--out without --for accepted" || ok "--out without --for: usage error"
n_plain=$("$weft" export --store "$src" -f nq | wc -l)
[ "$n_plain" = "$(quads "$src")" ] && ok "a plain export is unchanged ($n_plain quads)" || bad "plain export: $n_plain lines"

# ---- Ed25519 signatures
if ! command -v openssl >/dev/null || ! openssl genpkey -algorithm ed25519 -out "$tmp/k.pem" 2>/dev/null; then
  echo "skip: the openssl command (with Ed25519) is missing: signature checks not run"
else
  openssl pkey -in "$tmp/k.pem" -pubout -out "$tmp/k.pub" 2>/dev/null
  openssl genpkey -algorithm ed25519 -out "$tmp/other.pem" 2>/dev/null
  openssl pkey -in "$tmp/other.pem" -pubout -out "$tmp/other.pub" 2>/dev/null
  sp=$tmp/pkg-signed
  "$weft" export --store "$src" --config "$tmp/policy.json" --for acme --out "$sp" --sign "$tmp/k.pem" >/dev/null 2>"$tmp/err" ||
    bad "export --sign: $(cat "$tmp/err")"
  [ -s "$sp/manifest.sig" ] && ok "export --sign writes manifest.sig" || bad "no manifest.sig"
  "$weft" import --store "$tmp/dst-signed" --trust "$tmp/k.pub" "$sp" >"$tmp/out" 2>"$tmp/err" && grep -q 'signature verified' "$tmp/out" &&
    ok "import --trust with the right key: verified and imported" || bad "import --trust: $(cat "$tmp/err")"
  "$weft" import --store "$tmp/dst-wrongkey" --trust "$tmp/other.pub" "$sp" >/dev/null 2>"$tmp/err" &&
    bad "import --trust with another key succeeded" || ok "import --trust with another key: refused"
  cp -r "$sp" "$tmp/sig-tampered"
  sed -i 's/rdfs:label "acme"/rdfs:label "acne"/' "$tmp/sig-tampered/manifest.ttl"
  "$weft" import --store "$tmp/dst-sigt" --trust "$tmp/k.pub" "$tmp/sig-tampered" >/dev/null 2>&1 &&
    bad "a changed signed manifest was accepted" || ok "a changed signed manifest: refused"
  cp -r "$pkg" "$tmp/unsigned"
  "$weft" import --store "$tmp/dst-unsigned" --trust "$tmp/k.pub" "$tmp/unsigned" >/dev/null 2>&1 &&
    bad "--trust accepted an unsigned package" || ok "--trust refuses an unsigned package"
  "$weft" export --store "$src" --config "$tmp/policy.json" --for acme --out "$tmp/x2" --sign "$tmp/k.pub" >/dev/null 2>&1 &&
    bad "--sign with a public key accepted" || ok "--sign with a public key: refused"
  for d in dst-wrongkey dst-sigt dst-unsigned; do [ -e "$tmp/$d" ] && bad "refused signed import created $d"; done
fi

summary "exchange e2e"
