#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The prober of tests/bench/stream_bench.sh: when does a published marker
sample become queryable?

Usage: stream_probe.py WEFT STORE MARKERS OUT DONE_FLAG

STORE may be a server's address (http://127.0.0.1:PORT, `weft serve --stream`):
the prober then POSTs each query to /sparql instead of running `weft query`,
and a poll sees every commit made before the request arrived.

MARKERS grows while the publisher runs (weft_stream_load: publish time in
epoch microseconds, topic, payload per line). The prober computes each
marker's idempotency key as weft does (SHA-256 of "payload", NUL, topic, NUL,
payload; 32 hex digits: engine/stream/message.cpp) and polls the store in a
loop with `weft query`, a separate read-only process that sees the store as
of its open (docs/STORAGE.md), asking for
  - the marker's ledger record, <urn:weft:stream:message:KEY> dt:committedAt,
    in the stream graph: the message and its sample are committed;
  - a triple about it in the inferred graph: the closure has been brought up
    to date after that commit (the ontology types it).
A reader sees the store as of its open, just after the poll starts, so a
marker counts as visible at the START of the first poll that sees it (the
estimate), and at the END of that poll at the latest (the upper bound). A
poll that fails (a reader opening while weft writes can be refused) is
retried after 0.1 s. Writes OUT (key, publish ms, then committed and
reasoned latency in ms at the poll's start and end; empty when never seen)
and prints poll statistics.
"""
import hashlib
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

weft, store, markers_path, out_path, done_flag = sys.argv[1:6]
STREAM = "https://w3id.org/weft/graph/stream"
INFERRED = "https://w3id.org/weft/graph/inferred"

markers = {}  # key -> [publish ms, committed latency, reasoned latency]
offset = 0
partial = b""
polls = []
failures = 0
done_at = None
# How long after the publisher finished to keep looking (weft may lag).
wait_s = float(os.environ.get("WEFT_PROBE_WAIT", "60"))
# At most one poll started per this many seconds: each poll is a weft process
# that opens the store, and back-to-back polls would take most of a core
# from weft stream on a 2-core machine.
interval_s = float(os.environ.get("WEFT_PROBE_INTERVAL_MS", "250")) / 1000
last_start = 0.0
# Without the closure (weft --no-reason) nothing is ever inferred: wait for the ledger only.
reasoned_too = os.environ.get("WEFT_PROBE_NO_REASON", "0") != "1"
# At most this many markers per poll, the oldest first: a query naming every
# pending marker grows past a server's request limits when weft falls behind.
batch_max = 100


def read_markers():
    global offset, partial
    with open(markers_path, "rb") as f:
        f.seek(offset)
        data = f.read()
    offset += len(data)
    data = partial + data
    lines = data.split(b"\n")
    partial = lines.pop()
    for line in lines:
        us, topic, payload = line.split(b"\t", 2)
        key = hashlib.sha256(b"payload\0" + topic + b"\0" + payload).hexdigest()[:32]
        markers[key] = [int(us) / 1000.0, None, None, None, None]


while True:
    read_markers()
    pending = [k for k, v in markers.items() if v[1] is None or (reasoned_too and v[2] is None)]
    if done_at is None and os.path.exists(done_flag):
        done_at = time.time()
    if done_at is not None and (not pending or time.time() - done_at > wait_s):
        break
    if not pending:
        time.sleep(0.02)
        continue
    pending.sort(key=lambda k: markers[k][0])
    values = " ".join(f"<urn:weft:stream:message:{k}>" for k in pending[:batch_max])
    query = (
        "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?m ?what WHERE { VALUES ?m { " + values + " } "
        f"{{ GRAPH <{STREAM}> {{ ?m dt:committedAt ?c }} BIND(\"c\" AS ?what) }} UNION "
        f"{{ GRAPH <{INFERRED}> {{ ?m a ?t }} BIND(\"i\" AS ?what) }} }}"
    )
    pause = last_start + interval_s - time.time()
    if pause > 0:
        time.sleep(pause)
    t0 = last_start = time.time()
    if store.startswith("http://"):
        try:
            req = urllib.request.Request(store + "/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                                         headers={"Accept": "text/tab-separated-values"})
            stdout, rc, stderr = urllib.request.urlopen(req, timeout=60).read().decode(), 0, ""
        except Exception as e:  # the server busy or gone: count it and try again
            stdout, rc, stderr = "", 1, str(e)
    else:
        try:
            r = subprocess.run([weft, "query", "--store", store, "-f", "tsv", query], capture_output=True, text=True)
        except OSError as e:  # the binary being replaced by a build: try again
            print("probe: cannot run weft:", e, file=sys.stderr)
            time.sleep(0.1)
            continue
        stdout, rc, stderr = r.stdout, r.returncode, r.stderr
    t1 = time.time()
    polls.append(t1 - t0)
    if rc != 0:
        failures += 1
        print("probe: query failed:", stderr.strip()[:300], file=sys.stderr)
        time.sleep(0.1)
        continue
    for line in stdout.splitlines()[1:]:
        m, what = line.split("\t")
        key = m.strip("<>").rsplit(":", 1)[1]
        v = markers.get(key)
        if v is None:
            continue
        col = 1 if what.strip('"') == "c" else 2
        if v[col] is None:
            v[col] = t0 * 1000 - v[0]
            v[col + 2] = t1 * 1000 - v[0]

with open(out_path, "w") as out:
    out.write("key\tpublish_ms\tcommitted_ms\treasoned_ms\tcommitted_end_ms\treasoned_end_ms\n")
    for k, v in sorted(markers.items(), key=lambda kv: kv[1][0]):
        out.write(k + "".join("\t" + ("" if x is None else f"{x:.1f}") for x in v) + "\n")
if polls:
    print(f"probe: {len(markers)} markers, {len(polls)} polls ({failures} refused), poll duration (s) median "
          f"{statistics.median(polls):.3f}, max {max(polls):.3f}")
