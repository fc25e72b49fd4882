#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# weft stream and weft replay against a private Mosquitto broker on
# 127.0.0.1 (issue 9, first acceptance line; docs/streaming.md):
#   1. every replayed message is accounted for, stored or dead-lettered, and
#      visible to SPARQL; samples are in the historian's time-series table;
#   2. weft killed with SIGKILL in the middle of a stream and started again
#      loses nothing and doubles nothing (exact counts);
#   3. SIGTERM stops it cleanly; 3b. the same pipeline inside weft serve (--stream).
# Usage: stream_test.sh WEFT REPO_ROOT. Without mosquitto it prints
# "skip: REASON" and exits 77 (ctest reports it as skipped).
set -uo pipefail
weft=$1
root=$2
mosquitto_bin=$(command -v mosquitto || true)
[ -z "$mosquitto_bin" ] && [ -x /usr/sbin/mosquitto ] && mosquitto_bin=/usr/sbin/mosquitto
if [ -z "$mosquitto_bin" ]; then
  echo "skip: mosquitto (the MQTT broker) is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
for tool in python3 sqlite3; do
  if ! command -v "$tool" >/dev/null; then echo "skip: $tool is not installed"; exit 77; fi
done
. "$(dirname "$0")/lib.sh"
cd "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# A free port, a broker keeping sessions and queues (no limit on queued
# messages: the default, 1000 per client, drops the rest while weft is away).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p mq
cat > mq/mosquitto.conf <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $tmp/mq/
max_queued_messages 0
max_inflight_messages 1000
log_dest file $tmp/mq/mosquitto.log
user $(id -un)
CONF
"$mosquitto_bin" -c mq/mosquitto.conf >mq/stderr.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.1
done
broker="mqtt://127.0.0.1:$port"

cat > stream.json <<'CONF'
{"client_id": "weft-e2e", "batch_max_messages": 40, "batch_max_ms": 50, "queue_max_messages": 200,
 "routes": [{"topic": "t/samples/#", "kind": "historian-samples"},
            {"topic": "t/epcis/#", "kind": "epcis"}]}
CONF

# Messages: single samples and arrays of samples (JSON lines), three EPCIS
# documents, and malformed ones of each kind. make_round NAME FIRST_TS
# writes round NAME and prints "messages stored dead samples".
make_round() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys
name, t0 = sys.argv[1], int(sys.argv[2])
base = os.path.join("replay-" + name)
os.makedirs(base + "/samples", exist_ok=True)
os.makedirs(base + "/epcis", exist_ok=True)
stored = dead = samples = 0
for tag in ("TT-101", "PT-202", "FT-303"):
    with open(f"{base}/samples/{tag}.jsonl", "w") as f:
        for i in range(700):
            f.write(json.dumps({"tag": tag, "ts": t0 + i * 1000, "value": round(20 + i * 0.01, 2),
                                "quality": "Good" if i % 50 else "Bad"}) + "\n")
            stored += 1; samples += 1
with open(f"{base}/samples/arrays.jsonl", "w") as f:
    for i in range(40):
        f.write(json.dumps([{"tag": "LT-404", "ts": t0 + i * 5000 + k, "value": k} for k in range(5)]) + "\n")
        stored += 1; samples += 5
bad = ['{"tag": "TT-101", "ts": "not a time", "value": 1}', '{"tag": "TT-101", "ts": 5}', "not json at all",
       '{"tag": "TT-101", "ts": 5, "value": "warm"}', '[]', '{"ts": 5, "value": 1}', '\u00ff\u00fe']
with open(f"{base}/samples/zz-bad.jsonl", "w") as f:
    for i, p in enumerate(bad):
        f.write(json.dumps({"topic": f"samples/bad-{name}-{i}", "payload": p}) + "\n")
        dead += 1
def epcis(i, action):
    return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-09-12T23:59:00.000Z",
            "epcisBody": {"eventList": [{
                "type": "ObjectEvent", "eventID": f"urn:uuid:00000000-0000-4000-8000-{name}{i:011d}"[:61],
                "eventTime": "2025-09-12T12:56:00.000Z", "eventTimeZoneOffset": "-04:00", "epcList": [],
                "quantityList": [{"epcClass": "urn:epc:class:lgtin:030001.0200201.A400-25-021", "quantity": 10 + i}],
                "action": action, "bizStep": "commissioning", "disposition": "active",
                "readPoint": {"id": "urn:epc:id:sgln:030001.000010.0"}}]}}
for i in range(3):
    json.dump(epcis(i, "ADD"), open(f"{base}/epcis/dc-{i}.json", "w")); stored += 1
json.dump(epcis(9, "ADDD"), open(f"{base}/epcis/dc-bad.json", "w")); dead += 1
print(stored + dead, stored, dead, samples)
PY
}

# kill_after_stored LOG PID N POLLS: SIGKILL PID once its progress in LOG says N or more
# messages are stored (at most POLLS polls, 0.05 s apart); prints the count it saw, nothing if
# it never got there.
kill_after_stored() {
  local seen
  for _ in $(seq "$4"); do
    seen=$(grep -o 'stored [0-9]*' "$1" | tail -1 | awk '{print $2}')
    if [ "${seen:-0}" -ge "$3" ]; then kill -9 "$2"; echo "$seen"; return; fi
    sleep 0.05
  done
}

q() { "$weft" query --store store --union -f tsv "PREFIX dt: <https://w3id.org/weft/dt#> $1" | tail -n +2 | sed 's/"//g; s/\^\^.*//'; }
ledger() {
  echo "$(q 'SELECT (COUNT(?m) AS ?n) { ?m a dt:StreamMessage }') $(q 'SELECT (COUNT(?m) AS ?n) { ?m a dt:DeadLetter }')"
}
rows() { sqlite3 store/timeseries.sqlite "SELECT count(*) FROM samples"; }

# A reasoned store (the ontologies): each committed batch brings the
# inferred graph up to date.
"$weft" load --store store "$root"/ontologies/*.ttl >/dev/null 2>&1 || bad "loading the ontologies"
"$weft" reason --store store -q >/dev/null 2>&1 || bad "weft reason"

# 1. Everything accounted for.
read -r total1 stored1 dead1 samples1 <<<"$(make_round a 1772525700000)"
: >stream1.log
"$weft" stream --store store --broker "$broker" --config stream.json --idle-exit 4 --progress 0.5 2>stream1.log &
wpid=$!
pids+=($wpid)
for _ in $(seq 100); do grep -q connected stream1.log && break; sleep 0.1; done
"$weft" replay --broker "$broker" --dir replay-a --topic-prefix t 2>replay1.log || bad "replay 1 failed: $(cat replay1.log)"
grep -q "$total1 messages from .* published, $total1 acknowledged" replay1.log && ok "replay published $total1 messages at QoS 1" ||
  bad "replay: $(cat replay1.log)"
wait $wpid
rc=$?
[ $rc = 0 ] && ok "weft stream stopped after the idle time (exit 0)" || bad "weft stream exit $rc: $(tail -5 stream1.log)"
read -r s d <<<"$(ledger)"
[ "$s" = "$stored1" ] && ok "$stored1 messages recorded as stored (SPARQL)" || bad "stored: $s, expected $stored1"
[ "$d" = "$dead1" ] && ok "$dead1 malformed messages dead-lettered (SPARQL)" || bad "dead letters: $d, expected $dead1"
[ $((s + d)) = "$total1" ] && ok "every message accounted for ($total1)" || bad "accounted $((s + d)) of $total1"
n=$(rows)
[ "$n" = "$samples1" ] && ok "$samples1 samples in the time-series table" || bad "table rows: $n, expected $samples1"
n=$(q 'SELECT (SUM(?c) AS ?n) { ?m dt:sampleCount ?c }')
[ "$n" = "$samples1" ] && ok "sample counts in the graph add up to $samples1" || bad "sum of dt:sampleCount: $n"
n=$(q 'SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a dt:ObjectEvent }')
[ "$n" = 3 ] && ok "the 3 EPCIS events are in the graph (through the epcis-json connector)" || bad "EPCIS events: $n"
n=$(q 'SELECT (COUNT(?g) AS ?n) { GRAPH <https://w3id.org/weft/graph/documents> { ?g dt:connector "epcis-json" } }')
[ "$n" = 3 ] && ok "the documents graph describes the 3 EPCIS documents" || bad "documents described: $n"
n=$(q 'SELECT (COUNT(?m) AS ?n) { ?m a dt:DeadLetter ; dt:reason ?r ; dt:topic ?t ; dt:payloadPrefix ?p ; dt:receivedAt ?w }')
[ "$n" = "$dead1" ] && ok "each dead letter has its topic, reason, payload prefix and time" || bad "complete dead letters: $n"
n=$(q 'SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a dt:ObjectEvent . GRAPH <https://w3id.org/weft/graph/inferred> { ?e ?p ?o } }')
[ "$n" = 3 ] && ok "the inferred graph was brought up to date for the streamed events" || bad "events with inferences: $n"
q 'SELECT ?r { ?m a dt:DeadLetter ; dt:reason ?r ; dt:topic ?t FILTER(CONTAINS(?t, "epcis")) }' | grep -q "ADDD" &&
  ok "the refused EPCIS document's dead letter names the bad action" || bad "EPCIS dead letter reason"

# 2. Crashes in the middle of a stream, then a restart. First weft dies
# right after its 5th commit, before acknowledging that batch (fault
# injection: the window only idempotency covers); then, started again, it is
# killed with SIGKILL wherever it is after 300 more messages.
read -r total2 stored2 dead2 samples2 <<<"$(make_round b 1772612100000)"
"$weft" replay --broker "$broker" --dir replay-b --topic-prefix t 2>replay2.log &
rpid=$!
pids+=($rpid)
WEFT_STREAM_TEST_EXIT_AFTER_COMMIT=5 "$weft" stream --store store --broker "$broker" --config stream.json \
  2>stream2a.log
rc=$?
[ $rc = 9 ] && ok "weft died after a commit, before its acknowledgements" || bad "fault injection: exit $rc $(tail -3 stream2a.log)"
read -r s d <<<"$(ledger)"
committed_a=$((s + d - total1))
: >stream2.log
"$weft" stream --store store --broker "$broker" --config stream.json --progress 0.1 2>stream2.log &
wpid=$!
pids+=($wpid)
killed_at=$(kill_after_stored stream2.log $wpid 300 600)
wait $wpid 2>/dev/null
wait $rpid || bad "replay 2 failed: $(cat replay2.log)"
read -r s d <<<"$(ledger)"
if [ -n "$killed_at" ] && [ $((s + d)) -lt $((total1 + total2)) ]; then
  ok "weft killed (SIGKILL) mid-stream: $((s + d - total1)) of $total2 messages were in"
else
  bad "the kill did not land mid-stream (killed at '${killed_at}', $((s + d)) of $((total1 + total2)) in)"
fi
dups=$(grep -o 'duplicates [0-9]*' stream2.log | tail -1 | awk '{print $2}')
[ "${dups:-0}" -ge 1 ] && ok "the batch committed but not acknowledged came again and was recognised ($dups messages, of $committed_a committed before)" ||
  bad "no redelivered message recognised after the injected crash (duplicates ${dups:-none})"
"$weft" stream --store store --broker "$broker" --config stream.json --idle-exit 4 --progress 0.5 2>stream3.log
rc=$?
[ $rc = 0 ] && ok "restarted weft stream resumed its session and stopped when idle" || bad "restart exit $rc: $(tail -5 stream3.log)"
grep -q "resuming its session" stream3.log && ok "the broker kept the session" || bad "no session resumed: $(head -2 stream3.log)"
read -r s d <<<"$(ledger)"
[ "$s" = $((stored1 + stored2)) ] && ok "nothing lost, nothing doubled: $s stored" || bad "stored: $s, expected $((stored1 + stored2))"
[ "$d" = $((dead1 + dead2)) ] && ok "dead letters exact: $d" || bad "dead letters: $d, expected $((dead1 + dead2))"
n=$(rows)
[ "$n" = $((samples1 + samples2)) ] && ok "time-series rows exact: $n" || bad "table rows: $n, expected $((samples1 + samples2))"
n=$(sqlite3 store/timeseries.sqlite "SELECT count(*) FROM (SELECT tag, ts FROM samples GROUP BY tag, ts HAVING count(*) > 1)")
[ "$n" = 0 ] && ok "no sample twice in the table" || bad "$n samples twice in the table"
n=$(q 'SELECT (SUM(?c) AS ?n) { ?m dt:sampleCount ?c }')
[ "$n" = $((samples1 + samples2)) ] && ok "graph sample counts exact" || bad "sum of dt:sampleCount: $n"
n=$(q 'SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a dt:ObjectEvent }')
[ "$n" = 6 ] && ok "6 EPCIS events, none twice" || bad "EPCIS events: $n"
echo "  (restart: $(grep -o 'duplicates [0-9]*' stream3.log | tail -1) recognised as already committed)"

# 3. SIGTERM: a clean stop with exit 0.
: >stream4.log
"$weft" stream --store store --broker "$broker" --config stream.json 2>stream4.log &
wpid=$!
for _ in $(seq 100); do grep -q connected stream4.log && break; sleep 0.1; done
kill -TERM $wpid
wait $wpid
rc=$?
[ $rc = 0 ] && grep -q "(stopped)" stream4.log && ok "SIGTERM stops weft stream cleanly" || bad "SIGTERM: exit $rc, $(tail -2 stream4.log)"

# 3b. The same pipeline inside weft serve (--stream): a third round is replayed while the
# server runs; every message is in the ledger for the next SPARQL request over HTTP, with no
# second process opening the store; SIGTERM stops both.
read -r total3 stored3 dead3 samples3 <<<"$(make_round c 1772612300000)"
"$weft" serve --store store --port 0 --port-file serve.port --stream stream.json --broker "$broker" 2>serve.log &
spid=$!
pids+=($spid)
for _ in $(seq 100); do [ -s serve.port ] && break; sleep 0.1; done
sport=$(cat serve.port 2>/dev/null)
"$weft" replay --broker "$broker" --dir replay-c --topic-prefix t 2>replay3.log || bad "replay 3 failed: $(cat replay3.log)"
http_count() {
  curl -s -H 'Accept: text/tab-separated-values' --data-urlencode \
    "query=PREFIX dt: <https://w3id.org/weft/dt#> SELECT (COUNT(?m) AS ?n) { GRAPH ?g { ?m a dt:$1 } }" \
    "http://127.0.0.1:$sport/sparql" | tail -n +2 | sed 's/"//g; s/\^\^.*//'
}
want=$((stored1 + stored2 + stored3))
got=""
for _ in $(seq 300); do
  got=$(http_count StreamMessage)
  [ "$got" = "$want" ] && break
  sleep 0.1
done
[ "$got" = "$want" ] && [ "$(http_count DeadLetter)" = $((dead1 + dead2 + dead3)) ] &&
  ok "weft serve --stream: the third round's $total3 messages are in the ledger for the next HTTP query ($got stored)" ||
  bad "weft serve --stream: $got stored over HTTP, expected $want ($(tail -3 serve.log))"
kill -TERM $spid
wait $spid
rc=$?
[ $rc = 0 ] && grep -q "stream: $stored3 stored, $dead3 dead letters" serve.log &&
  ok "SIGTERM stops the server and its stream cleanly ($(grep 'stream:' serve.log | tail -1 | sed 's/^weft serve: //'))" ||
  bad "serve with stream: exit $rc, $(tail -3 serve.log)"
n=$(rows)
[ "$n" = $((samples1 + samples2 + samples3)) ] && ok "time-series rows exact after the served stream: $n" ||
  bad "table rows: $n, expected $((samples1 + samples2 + samples3))"

# 3c. The closure kept in memory by the served stream (reason::Resident) wrote only each
# batch's new conclusions and, at the clean stop, the incremental state: weft reason now
# continues incrementally with nothing left to do, and the inferred graph is the one a
# from-scratch run gives.
inferred_nt() {
  "$weft" query --store "$1" -f nt \
    'CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/weft/graph/inferred> { ?s ?p ?o } }' | sort
}
"$weft" reason --store store >reason3c.out 2>reason3c.log || bad "weft reason after the served stream: $(cat reason3c.log)"
grep -q '^mode incremental' reason3c.out && grep -q '^added 0$' reason3c.out && grep -q '^removed 0$' reason3c.out &&
  ok "after the served stream, weft reason continues from the state it saved, nothing to add or remove" ||
  bad "weft reason after the served stream: $(grep -E '^(mode|added|removed)' reason3c.out | tr '\n' ' ') $(cat reason3c.log)"
inferred_nt store >inferred-kept.nt
rm -rf store-full && cp -r store store-full
"$weft" reason --store store-full --full -q >/dev/null 2>&1 || bad "weft reason --full on a copy"
inferred_nt store-full >inferred-full.nt
n=$(wc -l <inferred-kept.nt)
[ "$n" -gt 1000 ] && cmp -s inferred-kept.nt inferred-full.nt &&
  ok "the inferred graph kept batch by batch equals a from-scratch run's ($n triples)" ||
  bad "kept and from-scratch inferred graphs differ ($n triples kept; $(diff inferred-kept.nt inferred-full.nt | head -5))"

# 4. The pharma-network example's streams (issue 9 item 6): three weeks of
# historian samples with three planted drifts, replayed into a fresh store
# through the broker, weft killed with SIGKILL on the way and started again;
# every sample is stored once, and `weft watch drift` finds
# each planted drift with every chart (delays and false-alarm rates are in
# docs/watch.md).
gen=$(dirname "$weft")/weft_pharma_gen
if [ ! -x "$gen" ]; then
  echo "  skip (part 4): no weft_pharma_gen beside $weft"
else
  "$gen" --profile small --streams --out ex >gen.log 2>&1 || bad "weft_pharma_gen --streams: $(tail -3 gen.log)"
  expected=$(cat ex/streams/replay/*/samples/*.csv | grep -vc '^tag,')
  mes_docs=$(ls ex/streams/replay/*/mes/* | wc -l)
  epcis_docs=$(ls ex/streams/replay/meridian/epcis/* | wc -l)
  epcis_events=$(python3 -c 'import json, sys
print(sum(len(json.load(open(f))["epcisBody"]["eventList"]) for f in sys.argv[1:]))' ex/streams/replay/meridian/epcis/*)
  messages=$((expected + mes_docs + epcis_docs))
  # What the twin is calibrated on (shadow mode, docs/twin.md): Aurelian's ERP, QMS, MES
  # master data and the performance records made before the streams' three weeks; those of
  # the three weeks arrive through the stream.
  mkdir -p pre/aurelian/mes/performance
  cp -r ex/aurelian/erp ex/aurelian/qms pre/aurelian/ && cp ex/aurelian/mes/*.xml pre/aurelian/mes/
  for doc in ex/aurelian/mes/performance/*.xml; do
    made=$(grep -o -m1 '<CreationDateTime>[0-9-]*' "$doc" | cut -c19-)
    [[ "$made" < "2025-09-01" ]] && cp "$doc" pre/aurelian/mes/performance/
  done
  "$weft" ingest -q --no-reason --store exstore pre/aurelian 2>ingest6.log || bad "ingesting the records before the streams: $(tail -3 ingest6.log)"
  echo '{"from": "2025-09-01", "to": "2025-09-21", "residuals": true, "baseline": 3}' >shadow.json
  # weft is killed (SIGKILL) once 4,000 samples are in, then started again
  # with the same client id: the broker kept its session and queued the rest.
  example_stream=(stream --store exstore --broker "$broker" --config ex/streams/stream.json
    --client-id weft-e2e-example --no-reason --progress 0.1 --watch-drift ex/streams/drift.json
    --watch-shadow shadow.json --watch-every 1)
  "$weft" "${example_stream[@]}" 2>stream6a.log &
  wpid=$!
  pids+=($wpid)
  for _ in $(seq 100); do grep -q connected stream6a.log && break; sleep 0.1; done
  "$weft" replay --broker "$broker" --dir ex/streams/replay --topic-prefix plant 2>replay6.log &
  rpid=$!
  pids+=($rpid)
  killed_at=$(kill_after_stored stream6a.log $wpid 4000 1200)
  wait $wpid 2>/dev/null
  n=$(sqlite3 exstore/timeseries.sqlite "SELECT count(*) FROM samples")
  [ -n "$killed_at" ] && [ "$n" -lt "$expected" ] &&
    ok "weft killed (SIGKILL) while the example streams came in: $n of $expected samples were in" ||
    bad "the kill did not land mid-stream (killed at '${killed_at}', $n of $expected in)"
  "$weft" "${example_stream[@]}" --idle-exit 3 2>stream6.log &
  wpid=$!
  wait $rpid || bad "replaying the example streams: $(tail -3 replay6.log)"
  wait $wpid || bad "weft stream on the example streams: $(tail -3 stream6.log)"
  grep -q "resuming its session" stream6.log && ok "the restarted stream resumed its session" ||
    bad "no session resumed: $(head -2 stream6.log)"
  n=$(sqlite3 exstore/timeseries.sqlite "SELECT count(*) FROM samples")
  [ "$n" = "$expected" ] && ok "after the kill and restart, the example streams' $expected samples are all in the time-series table" ||
    bad "example samples stored: $n, expected $expected"
  n=$(sqlite3 exstore/timeseries.sqlite "SELECT count(*) FROM (SELECT tag, ts FROM samples GROUP BY tag, ts HAVING count(*) > 1)")
  [ "$n" = 0 ] && ok "no example sample twice in the table" || bad "$n example samples twice in the table"
  n=$("$weft" query --store exstore --union -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT (COUNT(?m) AS ?n) { ?m a dt:StreamMessage }' | tail -1)
  d=$("$weft" query --store exstore --union -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT (COUNT(?m) AS ?n) { ?m a dt:DeadLetter }' | tail -1)
  [ "$n" = "$messages" ] && [ "$d" = 0 ] &&
    ok "the $messages messages ($expected samples, $mes_docs MES records, $epcis_docs EPCIS captures) are stored in the ledger (SPARQL), none dead-lettered" ||
    bad "example ledger: $n stored, $d dead letters, expected $messages and 0"
  n=$("$weft" query --store exstore -f tsv 'PREFIX iof: <https://spec.industrialontologies.org/ontology/construct/>
    PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT (COUNT(DISTINCT ?b) AS ?n) { GRAPH <https://w3id.org/weft/graph/stream> { ?m dt:document ?d }
      GRAPH ?d { ?b a iof:BatchRun } }' | tail -1)
  [ "$n" = "$mes_docs" ] && ok "the $mes_docs batches of the streamed MES records are in the graph (b2mml connector)" ||
    bad "streamed batches: $n, expected $mes_docs"
  n=$("$weft" query --store exstore -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT (COUNT(DISTINCT ?e) AS ?n) { GRAPH <https://w3id.org/weft/graph/stream> { ?m dt:document ?d }
      GRAPH ?d { ?e a ?t } FILTER(?t IN (dt:ObjectEvent, dt:AggregationEvent,
      dt:TransactionEvent, dt:TransformationEvent, dt:AssociationEvent)) }' | tail -1)
  [ "$n" = "$epcis_events" ] && ok "the $epcis_events events of the streamed EPCIS captures are in the graph (epcis connector)" ||
    bad "streamed EPCIS events: $n, expected $epcis_events"
  # The drift charts ran while the stream came in (--watch-drift), and once more at its end.
  runs=$(grep -c "watch drift: [0-9]* series" stream6.log)
  [ "$runs" -ge 2 ] && grep "watch drift:" stream6.log | tail -1 | grep -q "6 series" &&
    ok "weft stream ran the drift charts $runs times as the samples arrived, the last over all 6 series" ||
    bad "drift runs during the stream: $runs ($(grep 'watch drift' stream6.log | tail -2))"
  # Shadow mode beside the stream: the FF-1 phases of the streamed MES records, predicted by
  # the twin calibrated on the records before them.
  line=$(grep "watch shadow:" stream6.log | tail -1)
  phases=$(echo "$line" | grep -o '[0-9]* phases' | awk '{print $1}')
  [ "${phases:-0}" -gt 0 ] && echo "$line" | grep -q "MAPE good units: FF-1" &&
    ok "shadow mode ran beside the stream: ${line#*watch shadow: }" || bad "shadow mode during the stream: $line"
  n=$("$weft" query --store exstore -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    ASK { GRAPH <https://w3id.org/weft/graph/watch/residuals> { ?r a dt:DriftRun } }' | tail -1)
  [ "$n" = true ] && ok "its residual charts ran (a dt:DriftRun in the residual graph)" || bad "no residual run in the graph: $n"
  live=$(grep "watch drift: 6 series" stream6.log | tail -1 | grep -o '[0-9]* alarms' | awk '{print $1}')
  n=$("$weft" query --store exstore -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT (COUNT(?a) AS ?n) { GRAPH <https://w3id.org/weft/graph/watch/drift> { ?a a dt:DriftAlarm } }' | tail -1)
  [ "$n" = "$live" ] && [ "${n:-0}" -gt 0 ] && ok "the last run's $n alarms are in the drift graph (SPARQL)" ||
    bad "drift alarms in the graph: $n, the last run reported $live"
  "$weft" watch drift --store exstore --config ex/streams/drift.json --dry-run --alarms 0 >drift.log 2>&1 ||
    bad "weft watch drift on the example streams: $(tail -3 drift.log)"
  for chart in shewhart-individuals ewma cusum; do
    grep -Eq "^  $chart +3/3 " drift.log && ok "$chart detects the 3 planted drifts ($(grep -E "^  $chart +3/3" drift.log | sed 's/  */ /g'))" ||
      bad "$chart: $(grep -E "^  $chart " drift.log | tail -1)"
  done
  # The failure history: a year of maintenance work orders (cmms-csv) and hourly vibration of
  # eight machines, four failures in five announced by a rising trend; the 72-hour backtest.
  "$weft" ingest --store exstore -q ex/streams/aurelian >ingest7.log 2>&1 ||
    bad "ingesting the failure history: $(tail -3 ingest7.log)"
  expected=$(tail -n +2 ex/streams/aurelian/cmms/work_orders.csv | wc -l)
  n=$("$weft" query --store exstore --union -f tsv 'PREFIX dt: <https://w3id.org/weft/dt#>
    SELECT (COUNT(?w) AS ?n) { ?w a dt:MaintenanceWorkOrder ; dt:equipment ?e ; dt:failureTime ?f }' | tail -1)
  [ "$n" = "$expected" ] && ok "the $expected work orders are in the graph (cmms-csv connector)" || bad "work orders: $n, expected $expected"
  "$weft" watch failures --store exstore --config ex/streams/failures.json --dry-run >failures.log 2>&1 ||
    bad "weft watch failures on the example history: $(tail -3 failures.log)"
  line=$(grep '^backtest' failures.log)
  acc=$(echo "$line" | grep -o 'accuracy [0-9.]*' | awk '{print $2}')
  python3 -c "import sys; sys.exit(0 if float('${acc:-0}') >= 0.85 else 1)" &&
    ok "72-hour warnings on the example history: $line" || bad "failure backtest below 85 % accuracy: $line"
fi

# A broker that is not there: an error, not a hang.
timeout 20 "$weft" stream --store store --broker "mqtt://127.0.0.1:1" --config stream.json 2>stream5.log
rc=$?
[ $rc = 1 ] && grep -q "cannot connect" stream5.log && ok "no broker: exit 1 with the reason" || bad "no broker: exit $rc $(cat stream5.log)"

summary "stream"
