#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make_corpus.sh BUILD_DIR: builds the initial fuzz corpora in
# BUILD_DIR/fuzz-corpus/<target>/ from the conformance suites (read from
# ../shared/conformance beside the checkout, or $WEFT_CONFORMANCE_DIR).
# Nothing is copied into the repository; the hand-written seeds in
# tests/fuzz/seeds/<target>/ are passed to the fuzzers separately.
# Existing corpus folders are kept (they hold what earlier runs found).
set -euo pipefail

build_dir=${1:?usage: make_corpus.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
conf=${WEFT_CONFORMANCE_DIR:-$repo/../shared/conformance}
out=$build_dir/fuzz-corpus

# add TARGET DIR PATTERN...: copy matching files, flattening their paths.
add() {
  local target=$1 dir=$2
  shift 2
  mkdir -p "$out/$target"
  [ -d "$dir" ] || return 0
  local pattern f name
  for pattern in "$@"; do
    while IFS= read -r -d '' f; do
      name=${f#"$dir"/}
      name=${name//\//_}
      cp -n "$f" "$out/$target/conf_$name" 2>/dev/null || true
    done < <(find "$dir" -type f -name "$pattern" -size -64k -print0)
  done
}

rdf=$conf/w3c-rdf-tests/rdf/rdf11
add fuzz_ntriples "$rdf/rdf-n-triples" '*.nt'
add fuzz_nquads "$rdf/rdf-n-quads" '*.nq'
add fuzz_nquads "$rdf/rdf-n-triples" '*.nt'
add fuzz_turtle "$rdf/rdf-turtle" '*.ttl' '*.nt'
add fuzz_trig "$rdf/rdf-trig" '*.trig'
add fuzz_rdfxml "$rdf/rdf-xml" '*.rdf'
add fuzz_jsonld "$conf/json-ld/tests/expand" '*-in.jsonld'
add fuzz_jsonld "$conf/json-ld/tests/toRdf" '*-in.jsonld'
add fuzz_jsonld "$conf/json-ld/tests/fromRdf" '*-out.jsonld'
mkdir -p "$out/fuzz_xsd"
# SPARQL: every query and update of the W3C suites for the parser; the
# queries alone for evaluation (over fuzz_sparql_eval's own dataset).
sparql=$conf/w3c-rdf-tests/sparql
add fuzz_sparql_parse "$sparql" '*.rq' '*.ru'
add fuzz_sparql_eval "$sparql" '*.rq'
# Connectors: the public EPCIS and B2MML samples (valid and invalid ones).
samples=${WEFT_SAMPLES_DIR:-$repo/../shared/samples}
add fuzz_connectors "$samples/epcis" '*.json' '*.jsonld' '*.xml'
add fuzz_connectors "$samples/b2mml" '*.xml'
# Reasoning: the project's own ontologies and the shapes beside them (files
# over fuzz_reason's 256-triple limit only exercise the reader). SHACL: the
# W3C core tests, whose files hold shapes and data together (read as both,
# having no "#---" line), and our shapes.
add fuzz_reason "$repo/ontologies" 'dt-*.ttl'
add fuzz_shacl "$conf/shacl/core" '*.ttl'
add fuzz_shacl "$repo/ontologies/shapes" '*.ttl'

if [ ! -d "$conf" ]; then
  echo "make_corpus.sh: $conf not found; corpora start from tests/fuzz/seeds only" >&2
fi
for d in "$out"/*/; do
  echo "$(basename "$d"): $(find "$d" -type f | wc -l) files"
done
