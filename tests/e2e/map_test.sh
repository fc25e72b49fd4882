#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of `weft map` on the example records
# (examples/supply-network/records): output to a file, the bad manifest row
# failing the run (exit 1, position and reason, no output file) or skipped
# with a rejects file, one transaction into a store (a failed run leaves it
# unchanged; a second run adds nothing), an invalid mapping document (exit 2,
# naming the triples map), --dry-run and --help.
# Usage: map_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$2
. "$(dirname "$0")/lib.sh"
m=$src/examples/supply-network/records/mapping.ttl

# 1. The bad row (a GTIN with a wrong check digit) fails the run.
"$weft" map "$m" -o "$tmp/out.nq" >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q 'shipments.csv row 10' "$tmp/e" && grep -q 'check digit' "$tmp/e" && [ ! -e "$tmp/out.nq" ]; then
  ok "a bad record fails the run with its position and reason, and no output file is left"
else
  bad "fail mode: exit $rc, stderr: $(head -c 400 "$tmp/e"), output exists: $([ -e "$tmp/out.nq" ] && echo yes || echo no)"
fi

# 2. Skipped with a rejects file; the rest is written.
if "$weft" map "$m" --on-error skip --rejects "$tmp/rejects.txt" -o "$tmp/out.nq" 2>"$tmp/e"; then
  n=$(wc -l <"$tmp/out.nq")
  if [ "$n" = 105 ] && [ "$(wc -l <"$tmp/rejects.txt")" = 1 ] && grep -q 'row 10' "$tmp/rejects.txt" &&
     grep -q '1 records rejected' "$tmp/e" && ! grep -q 'SH-2001' "$tmp/out.nq"; then
    ok "skip mode: 105 triples, one reject listed, nothing of the bad row written"
  else
    bad "skip mode: $n triples, rejects: $(cat "$tmp/rejects.txt"), stderr: $(head -c 300 "$tmp/e")"
  fi
else
  bad "skip mode failed: $(head -c 400 "$tmp/e")"
fi
if grep -q '<https://id.gs1.org/00/340123450000010009> <https://example.org/acme-bio/producedIn> <https://example.org/acme-bio/batch-run/MES-0412> <https://example.org/colds-logistics/graph/manifest> .' "$tmp/out.nq" &&
   grep -q '<https://example.org/acme-bio/batch-run/MES-0412> <https://example.org/acme-bio/produced> <https://id.gs1.org/01/04012345123456/10/L2026-0412>' "$tmp/out.nq"; then
  ok "the join (shipment -> batch run) and the GS1 Digital Link function"
else
  bad "join / Digital Link triples missing"
fi

# 3. Into a store: one transaction.
s=$tmp/store
"$weft" load -q --store "$s" "$src/examples/supply-network/manufacturer-master.ttl" >/dev/null
n0=$(quads "$s")
"$weft" map "$m" --store "$s" -q 2>/dev/null
if [ "$(quads "$s")" = "$n0" ]; then ok "a failed run leaves the store unchanged ($n0 quads)"; else bad "store changed by a failed run: $n0 -> $(quads "$s")"; fi
"$weft" map "$m" --store "$s" --on-error skip -q 2>/dev/null
n1=$(quads "$s")
"$weft" map "$m" --store "$s" --on-error skip -q 2>/dev/null
n2=$(quads "$s")
if [ "$n1" = $((n0 + 105)) ] && [ "$n2" = "$n1" ]; then
  ok "skip mode adds 105 quads to the store; a second run adds none"
else
  bad "store counts: $n0 -> $n1 -> $n2"
fi
q='SELECT ?site WHERE { GRAPH ?g { ?s <https://example.org/acme-bio/lot> <https://id.gs1.org/01/04012345123456/10/L2026-0412> } <https://id.gs1.org/01/04012345123456/10/L2026-0412> <https://example.org/acme-bio/manufacturedAt> ?site }'
if "$weft" query --store "$s" --format tsv "$q" | grep -q '4012345000016'; then
  ok "mapped shipments join the manufacturer's master data on Digital Link IRIs"
else
  bad "query over mapped and loaded data"
fi

# 4. An invalid mapping document: exit 2, naming the triples map, before any data.
cat >"$tmp/badmap.ttl" <<'TTL'
@prefix rml: <http://w3id.org/rml/> .
<http://ex.org/Broken> rml:logicalSource [ rml:source "nothing.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:reference "id" ; rml:termType rml:Literal ] .
TTL
"$weft" map "$tmp/badmap.ttl" -o "$tmp/x.nq" >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ "$rc" = 2 ] && grep -q 'Broken' "$tmp/e" && grep -q 'literal' "$tmp/e"; then
  ok "an invalid mapping: exit 2 naming the triples map"
else
  bad "invalid mapping: exit $rc: $(head -c 300 "$tmp/e")"
fi

# 5. --dry-run writes nothing; --help.
if "$weft" map "$m" --dry-run --on-error skip 2>"$tmp/e" >"$tmp/o" && [ ! -s "$tmp/o" ] && grep -q 'dry run' "$tmp/e"; then
  ok "--dry-run"
else
  bad "--dry-run: $(head -c 300 "$tmp/e")"
fi
if "$weft" map --help | grep -q -- '--memory-limit'; then ok "--help"; else bad "--help"; fi

summary "map e2e"
