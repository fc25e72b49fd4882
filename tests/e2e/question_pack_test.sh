#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end check of the regulator's question pack
# (examples/supply-network/queries/*.rq) over the shipped example: load the
# five source files into a fresh store and map the records/ as scripts/demo.sh
# does, run every
# query with --format tsv and require a non-empty answer (at least one row,
# or true for an ASK); for four questions also require the value read off the
# example data by hand.
# Usage: question_pack_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$2
. "$(dirname "$0")/lib.sh"
# col FILE NAME: the values of column ?NAME in the data rows of a TSV result.
col() {
  awk -F'\t' -v name="?$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                            c { print $c }' "$1"
}

ex=$src/examples/supply-network
qdir=$ex/queries
s=$tmp/store
if "$weft" load -q --store "$s" "$ex/manufacturer-master.ttl" "$ex/batch-records.trig" \
     "$ex/equipment.rdf" "$ex/3pl-shipment.jsonld" "$ex/regulator-notes.nq" >/dev/null; then
  ok "load the supply-network example"
else
  bad "load the supply-network example"; finish "question pack e2e"
fi
# The manifest and batch records come in through the mapping, as in scripts/demo.sh.
if "$weft" map -q "$ex/records/mapping.ttl" --store "$s" --on-error skip 2>"$tmp/err"; then
  ok "map the 3PL manifest and the MES batch records"
else
  bad "map the records: $(head -c 600 "$tmp/err")"
fi

# 1. Every query of the pack answers, non-empty.
n=0
for q in "$qdir"/*.rq; do
  [ -e "$q" ] || continue
  n=$((n + 1))
  name=$(basename "$q" .rq)
  if ! "$weft" query --store "$s" --format tsv --file "$q" >"$tmp/$name.tsv" 2>"$tmp/err"; then
    bad "$name: exit $?: $(head -c 600 "$tmp/err")"; continue
  fi
  if [ "$(head -1 "$tmp/$name.tsv")" = '?_askResult' ]; then
    [ "$(sed -n 2p "$tmp/$name.tsv")" = true ] && ok "$name: ASK is true" ||
      bad "$name: ASK answered $(sed -n 2p "$tmp/$name.tsv")"
  else
    rows=$(($(wc -l <"$tmp/$name.tsv") - 1))
    [ "$rows" -ge 1 ] && ok "$name: $rows row(s)" || bad "$name: no rows"
  fi
  grep -q '^# Question' "$q" && grep -q '^# Joins' "$q" && ok "$name: states its question and its joins" ||
    bad "$name: the leading comment lacks '# Question' or '# Joins'"
done
[ "$n" -ge 6 ] && ok "the pack has $n queries" || bad "the pack has $n queries, expected at least 6"

# 2. Answers checked against the example data.
# Forward trace: the lot was shipped from the Marburg site (GLN 4012345000016)
# and received at GLN 5412345000013 (3pl-shipment.jsonld, receiving event).
t=$tmp/01-lot-forward-trace.tsv
if [ -s "$t" ] && [ "$(col "$t" step | tr '\n' ' ')" = '"shipping" "receiving" ' ] &&
   [ "$(col "$t" gln | tail -1)" = '"5412345000013"' ]; then
  ok "01: shipping then receiving; receiver GLN 5412345000013"
else
  bad "01: forward trace: $(cat "$t" 2>/dev/null)"
fi
# Genealogy: the lot derives from drug-substance batches 77 and 78, made by run-0412.
t=$tmp/03-batch-genealogy.tsv
if [ -s "$t" ] && [ "$(col "$t" batchLabel | sort | tr '\n' ' ')" = '"Drug substance batch 77" "Drug substance batch 78" ' ] &&
   [ "$(col "$t" run | sort -u)" = '<https://example.org/acme-bio/run-0412>' ]; then
  ok "03: lot derives from DS batches 77 and 78 via run-0412"
else
  bad "03: genealogy: $(cat "$t" 2>/dev/null)"
fi
# Out of specification: exactly one result, endotoxin 0.71 EU/mL over 0.5, reviewed by Inspector 12.
t=$tmp/04-out-of-spec-results.tsv
if [ -s "$t" ] && [ "$(col "$t" attribute)" = '"endotoxin"' ] && [ "$(col "$t" value)" = '0.71' ] &&
   [ "$(col "$t" specMax)" = '0.5' ] && [ "$(col "$t" reviewer)" = '"Inspector 12"' ]; then
  ok "04: one OOS result: endotoxin 0.71 > 0.5, reviewed by Inspector 12"
else
  bad "04: out of specification: $(cat "$t" 2>/dev/null)"
fi
# Lot summary: quantity 12000, 2 QC results of which 1 out of spec, 2 serialised units shipped.
t=$tmp/07-lot-quality-summary.tsv
got=$( [ -s "$t" ] && echo "$(col "$t" quantity) $(col "$t" qcResults) $(col "$t" outOfSpec) $(col "$t" unitsShipped)")
if [ "$got" = '12000 2 1 2' ]; then
  ok "07: quantity 12000, 2 QC results, 1 out of spec, 2 units shipped"
else
  bad "07: lot summary: got '$got': $(cat "$t" 2>/dev/null)"
fi

summary "question pack e2e"
