#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the historian connectors through `weft ingest` on the
# fixtures in tests/data/historian: a tag dictionary and a month of samples of
# Aurelian's BR-201 and cold room CR-101, over a store holding two phase runs
# of BR-201 (phases.ttl, loaded as the MES connector would write them). Checks
# the tags, the phase summaries (hand-computed values), the excursions, the
# rows of DIR/timeseries.sqlite, that a bad sample line is refused with file,
# line and reason and leaves graph and table unchanged, and that the same
# file ingested again changes nothing.
# Usage: historian_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$2
. "$(dirname "$0")/lib.sh"
q() { "$weft" query --store "$tmp/store" -f tsv "PREFIX dt: <https://w3id.org/weft/dt#> $1" | tail -n +2; }
rows() {
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$tmp/store/timeseries.sqlite" 'SELECT count(*) FROM samples'
  else
    echo "no-sqlite3"
  fi
}
data=$src/tests/data/historian
in=$tmp/in/aurelian/historian
mkdir -p "$in"
cp "$data/aurelian/historian/tags.csv" "$data/aurelian/historian/timeseries_202503.csv" "$in/"

# 1. The phase runs, then the historian folder (tags.csv sorts first).
if ! "$weft" load -q --store "$tmp/store" --graph https://example.org/mes "$data/phases.ttl" >/dev/null 2>"$tmp/e"; then
  bad "loading phases.ttl: $(head -c 400 "$tmp/e")"
fi
if "$weft" ingest --store "$tmp/store" "$tmp/in" 2>"$tmp/e" &&
   grep -q 'tags.csv (historian-tags): 3 records' "$tmp/e" &&
   grep -q 'timeseries_202503.csv (historian-samples): 107 records' "$tmp/e"; then
  ok "tags.csv and timeseries_202503.csv ingested by their connectors"
else
  bad "ingest: $(head -c 600 "$tmp/e")"
fi

# 2. The tags: equipment, QUDT unit, limits.
got=$(q 'SELECT ?eq ?unit ?high WHERE { GRAPH ?g { <https://data.aurelian.example/tag/BR-201.TT-001.PV>
  a dt:Tag ; dt:onEquipment ?eq ; <http://qudt.org/schema/qudt/unit> ?unit ; dt:highLimit ?high } }')
want=$'<https://data.aurelian.example/equipment/BR-201>\t<http://qudt.org/vocab/unit/DEG_C>\t37.5'
if [ "$got" = "$want" ]; then ok "tag BR-201.TT-001.PV with equipment, unit and high limit"; else bad "tag: [$got]"; fi

# 3. Summaries (hand-computed: tests/unit/connectors/historian_test.cpp).
got=$(q 'SELECT ?phase ?n ?min ?max ?mean ?out WHERE { GRAPH ?g { ?s a dt:PhaseSummary ;
  dt:ofTag <https://data.aurelian.example/tag/BR-201.TT-001.PV> ; dt:ofPhase ?phase ; dt:sampleCount ?n ;
  dt:minValue ?min ; dt:maxValue ?max ; dt:meanValue ?mean ; dt:minutesOutOfRange ?out } } ORDER BY ?phase')
want=$'<https://data.aurelian.example/phase/DS-2025-001/HARVEST>\t30\t36.5\t37.8\t36.716667\t5.0
<https://data.aurelian.example/phase/DS-2025-001/PRODUCTION_CULTURE>\t58\t36.5\t38.4\t37.024138\t20.0'
if [ "$got" = "$want" ]; then ok "BR-201 temperature summaries of both phases"; else bad "summaries: [$got]"; fi
n=$(q 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a dt:PhaseSummary } }')
if [ "$n" = 4 ]; then ok "4 summaries (2 tags x 2 phases; none for BR-202 or the cold room)"; else bad "$n summaries"; fi

# 4. Excursions: BR-201 08:20-08:40 affecting the culture phase; the cold room 10:00-10:30.
got=$(q 'SELECT ?type ?start ?end ?min ?peak ?phase WHERE { GRAPH ?g { ?x a ?type ; dt:startTime ?start ;
  dt:endTime ?end ; dt:durationMinutes ?min ; dt:extremeValue ?peak . OPTIONAL { ?x dt:affects ?phase } }
  FILTER (?type IN (dt:TemperatureExcursion, dt:ProcessExcursion)) } ORDER BY ?start')
want=$'<https://w3id.org/weft/dt#TemperatureExcursion>\t"2025-03-03T08:20:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>\t"2025-03-03T08:40:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>\t20.0\t38.4\t<https://data.aurelian.example/phase/DS-2025-001/PRODUCTION_CULTURE>
<https://w3id.org/weft/dt#TemperatureExcursion>\t"2025-03-03T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>\t"2025-03-03T10:30:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>\t30.0\t10.2\t'
if [ "$got" = "$want" ]; then ok "two excursions with start, end, duration, peak and the affected phase"; else bad "excursions: [$got]"; fi

# 5. The raw samples are in the table beside the store, not in the graph.
r=$(rows)
if [ "$r" = no-sqlite3 ]; then
  echo "skip: no sqlite3 command to count the table's rows (tests/unit/connectors/historian_test.cpp counts them)"
elif [ "$r" = 107 ]; then
  ok "107 samples in timeseries.sqlite"
else
  bad "timeseries.sqlite has $r rows"
fi
n=$(q 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p "36.5"^^<http://www.w3.org/2001/XMLSchema#decimal> } }')
if [ "$n" = 2 ]; then ok "no sample values in the graph (only the two minima)"; else bad "$n quads with 36.5"; fi

# 6. A bad line: refused with file, line and reason; graph and table unchanged.
before=$(quads "$tmp/store")
badin=$tmp/bad/aurelian/historian
mkdir -p "$badin"
{ echo "tag,timestamp,value,quality"
  echo "BR-201.TT-001.PV,2025-04-01T08:00:00.000Z,36.5,Good"
  echo "BR-201.TT-001.PV,2025-04-01T08:01:00.000Z,36.5,Good"
  echo "BR-201.TT-001.PV,2025-04-01T08:02:00.000Z,36.5x,Good"
  echo "BR-201.TT-001.PV,2025-04-01T08:03:00.000Z,36.5,Good"; } >"$badin/timeseries_202504.csv"
"$weft" ingest --store "$tmp/store" "$badin/timeseries_202504.csv" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q "timeseries_202504.csv:4: non-numeric value '36.5x'" "$tmp/e" &&
   [ "$(quads "$tmp/store")" = "$before" ] && { [ "$(rows)" = 107 ] || [ "$(rows)" = no-sqlite3 ]; }; then
  ok "a bad value is refused with file:line and reason; graph and table unchanged"
else
  bad "bad value: exit $rc, $(head -c 400 "$tmp/e"), quads $before -> $(quads "$tmp/store"), rows $(rows)"
fi
sed -i 's/36.5x,Good/36.5,Fine/' "$badin/timeseries_202504.csv"
"$weft" ingest --store "$tmp/store" "$badin/timeseries_202504.csv" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q "timeseries_202504.csv:4: unknown quality 'Fine'" "$tmp/e"; then
  ok "an unknown quality code is refused with file:line"
else
  bad "bad quality: exit $rc, $(head -c 400 "$tmp/e")"
fi
# Samples of a tag no dictionary defines.
sed -i 's/36.5,Fine/36.5,Good/; s/^BR-201.TT-001.PV,2025-04-01T08:03/BR-999.TT-001.PV,2025-04-01T08:03/' \
  "$badin/timeseries_202504.csv"
"$weft" ingest --store "$tmp/store" "$badin/timeseries_202504.csv" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q "timeseries_202504.csv:5: tag 'BR-999.TT-001.PV' is not in the store" "$tmp/e" &&
   [ "$(quads "$tmp/store")" = "$before" ] && { [ "$(rows)" = 107 ] || [ "$(rows)" = no-sqlite3 ]; }; then
  ok "samples of a tag no dictionary defines are refused; graph and table unchanged"
else
  bad "unknown tag: exit $rc, $(head -c 400 "$tmp/e"), rows $(rows)"
fi

# 7. The same files again: already ingested, nothing changes.
"$weft" ingest --store "$tmp/store" "$tmp/in" 2>"$tmp/e"
rc=$?
if [ "$rc" = 0 ] && [ "$(grep -c 'already ingested' "$tmp/e")" = 2 ] && [ "$(quads "$tmp/store")" = "$before" ] &&
   { [ "$(rows)" = 107 ] || [ "$(rows)" = no-sqlite3 ]; }; then
  ok "ingesting the same files again changes nothing"
else
  bad "second ingest: exit $rc, $(head -c 400 "$tmp/e"), rows $(rows)"
fi

# 8. A tag dictionary outside an organisation's folder: refused, naming the file.
mkdir -p "$tmp/noorg"
sed 's/Cold room/Cold-room/' "$data/aurelian/historian/tags.csv" >"$tmp/noorg/tags.csv"  # other bytes
"$weft" ingest --store "$tmp/store" "$tmp/noorg/tags.csv" 2>"$tmp/e"
rc=$?
if [ "$rc" = 1 ] && grep -q 'cannot tell the organisation from the path' "$tmp/e"; then
  ok "a tag dictionary outside aurelian/, brightwater/ or meridian/ is refused"
else
  bad "no org: exit $rc, $(head -c 400 "$tmp/e")"
fi

summary "historian e2e"
