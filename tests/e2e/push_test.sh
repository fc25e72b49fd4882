#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of `weft push` against weft_gsp_mock (gsp_mock_server.cpp),
# a Graph Store Protocol server that keeps what it receives and fails on
# command: a multi-graph store with blank nodes (shared between graphs, and
# one as a graph name) is pushed in small batches, interrupted by the server
# midway, resumed, and the remote's content compared with the store's, with
# the skolem IRIs turned back into the store's blank node labels. Also: a
# batch sent twice (a crash between the remote's ack and the state write),
# a store changed since the interruption (refused without --restart),
# transient failures retried, 4xx not retried, connection refused, the
# default graph, Basic and Bearer authentication, usage errors.
# Usage: push_test.sh WEFT_BINARY GSP_MOCK_BINARY SOURCE_DIR
set -u
weft=$1
mock=$2
if ! command -v curl >/dev/null; then
  echo "skip: push_test.sh needs curl to read the mock server's content"
  exit 0
fi
. "$(dirname "$0")/lib.sh"

mock_pids=()
trap 'for p in "${mock_pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
# start_mock NAME [ARGS...]: starts a mock server; sets NAME to its base URL.
start_mock() {
  local name=$1; shift
  rm -f "$tmp/$name.port"
  "$mock" --port-file "$tmp/$name.port" "$@" 2>"$tmp/$name.err" &
  mock_pids+=($!)
  local i
  for ((i = 0; i < 100; i++)); do [ -s "$tmp/$name.port" ] && break; sleep 0.05; done
  [ -s "$tmp/$name.port" ] || { bad "mock server $name did not start: $(cat "$tmp/$name.err")"; finish "push e2e"; }
  printf -v "$name" 'http://127.0.0.1:%s' "$(cat "$tmp/$name.port")"
}
control() { curl -sf "$base/control?$1" >/dev/null || bad "control $1"; }
# The remote's content with skolem IRIs back as the store's blank node labels, sorted.
remote_nq() {
  curl -sf "$1/dump" | sed -E 's#<https://w3id\.org/weft/\.well-known/genid/[0-9a-f]{32}-([^>]*)>#_:\1#g' | LC_ALL=C sort
}
store_nq() { "$weft" export --store "$1" --format nq | LC_ALL=C sort; }
# same_content WHAT STORE URL: the remote holds exactly the store's named graphs.
same_content() {
  store_nq "$2" | grep -Ev '^(<[^>]*>|_:[^ ]*) <[^>]*> ("([^"\\]|\\.)*"[^ ]*|<[^>]*>|_:[^ ]*) \.$' >"$tmp/want.nq"
  remote_nq "$3" >"$tmp/got.nq"
  if cmp -s "$tmp/want.nq" "$tmp/got.nq"; then
    ok "$1: the remote has the store's $(wc -l <"$tmp/want.nq") triples, graph by graph"
  else
    bad "$1: remote differs from the store: $(diff "$tmp/want.nq" "$tmp/got.nq" | head -8)"
  fi
}

# --- a store: 4 named graphs (one named by a blank node), blank nodes in chains
# that cross batch boundaries and shared between graphs, literals that need
# escapes, and a few default-graph triples.
{
  echo '@prefix ex: <https://example.org/push/> .'
  echo 'ex:a {'
  for i in $(seq 1 700); do echo "_:n$i ex:value \"v$i\" ; ex:next _:n$((i + 1)) ."; done
  echo '  ex:s ex:p _:shared .'
  echo '}'
  echo 'ex:b {'
  for i in $(seq 1 120); do echo "ex:item$i ex:label \"item $i\"@en ; ex:rank $i ; ex:part [ ex:w \"$i.5\" ] ."; done
  echo '  ex:s ex:text "quote \" backslash \\ newline \n tab \t é 🙂" .'
  echo '  _:shared ex:p ex:o .'
  echo '}'
  echo 'ex:c { ex:only ex:one "triple" . }'
  echo '_:bg { ex:x ex:y _:shared . ex:x ex:z "in a graph named by a blank node" . }'
  echo 'ex:d1 ex:dp "default 1" . ex:d2 ex:dp "default 2" .'
} >"$tmp/data.trig"
s=$tmp/store
"$weft" load -q --store "$s" "$tmp/data.trig" >/dev/null || { bad "load the test data"; finish "push e2e"; }
named=$(store_nq "$s" | grep -Evc '^(<[^>]*>|_:[^ ]*) <[^>]*> ("([^"\\]|\\.)*"[^ ]*|<[^>]*>|_:[^ ]*) \.$')
[ "$named" = $((1401 + 482 + 1 + 2)) ] && ok "test store: $named triples in named graphs" ||
  bad "test store has $named triples in named graphs"

start_mock base
url=$base/gsp
fast=(--retry-wait 0.02 -q)

# --- 1. interrupted by the server after 5 batches, then resumed
control "fail_after=5&status=500"
"$weft" push --store "$s" --endpoint "$url" --batch-quads 100 --retries 1 "${fast[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && ok "a failing remote stops the push (exit 1)" || bad "failing remote: exit $rc: $(cat "$tmp/err")"
grep -q 'HTTP 500: injected failure: the mock store is told to fail second line' "$tmp/err" &&
  ok "the error shows the status and the remote's message on one line" || bad "error message: $(cat "$tmp/err")"
grep -q 'retry 1 of 1' "$tmp/err" && ok "a 5xx is retried" || bad "no retry of a 5xx: $(cat "$tmp/err")"
grep -q 'state is kept in' "$tmp/err" && ok "the error says where the state is kept" || bad "no state note: $(cat "$tmp/err")"
state=$(ls "$s"/push/*.state 2>/dev/null | head -1)
[ -n "$state" ] && ok "state file in STORE/push/" || { bad "no state file in $s/push"; finish "push e2e"; }
grep -q '^batches 5$' "$state" && grep -q '^sent 500$' "$state" &&
  ok "the state records the 5 acknowledged batches" || bad "state: $(cat "$state")"
cp "$state" "$tmp/state-after-5"
[ "$(curl -sf "$base/log" | grep -c ' 500$')" = 2 ] && ok "one attempt and one retry hit the failure" ||
  bad "log: $(curl -sf "$base/log")"
next_graph=$(awk '$1 == "next-graph" { print $2 }' "$state")
next_offset=$(awk '$1 == "next-offset" { print $2 }' "$state")
resume_graph=$(awk -v n="$next_graph" '$1 == "graph" { if (i++ == n) print $3 }' "$state")

control ""
curl -sf "$base/log" | wc -l >"$tmp/log-lines"
"$weft" push --store "$s" --endpoint "$url" --batch-quads 100 "${fast[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && ok "the same command resumes and completes" || bad "resume: exit $rc: $(cat "$tmp/err")"
grep -q 'resumed at graph' "$tmp/out" && ok "the summary says it resumed" || bad "summary: $(cat "$tmp/out")"
first=$(curl -sf "$base/log" | sed -n "$(($(cat "$tmp/log-lines") + 1))p")
if [ "$next_offset" -gt 0 ]; then want="POST $resume_graph 100 204"; else want="PUT $resume_graph"; fi
case "$first" in "$want"*) ok "the resume starts with '$want' (after the last acknowledged batch)" ;;
  *) bad "first request after the resume: '$first', expected '$want'" ;; esac
[ ! -e "$state" ] && ok "a completed push removes its state file" || bad "state file left: $state"
same_content "interrupted and resumed" "$s" "$base"
puts=$(curl -sf "$base/log" | awk '$1 == "PUT" && $NF ~ /^20/' | wc -l)
[ "$puts" = 4 ] && ok "one PUT per graph" || bad "$puts PUTs: $(curl -sf "$base/log")"
grep -c 'well-known/genid' <(curl -sf "$base/dump") >/dev/null && ok "blank nodes arrive as skolem IRIs" ||
  bad "no skolem IRIs on the remote"
[ "$(curl -sf "$base/dump" | grep -c '_:')" = 0 ] && ok "no blank node reaches the remote" || bad "blank nodes on the remote"

# --- 2. a batch sent twice: the state of 5 batches ago comes back (as after a
# crash between the remote's ack and the state write); resending is harmless.
cp "$tmp/state-after-5" "$state"
"$weft" push --store "$s" --endpoint "$url" --batch-quads 100 "${fast[@]}" >"$tmp/out" 2>"$tmp/err" &&
  ok "resume from an older state" || bad "resume from an older state: $(cat "$tmp/err")"
same_content "batches sent twice" "$s" "$base"

# --- 3. the store changes while a push is interrupted
control "fail_after=2&status=503"
"$weft" push --store "$s" --endpoint "$url" --batch-quads 100 --retries 0 "${fast[@]}" >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] && ok "interrupted again" || bad "second interruption: $(cat "$tmp/err")"
control ""
"$weft" update --store "$s" --no-reason 'INSERT DATA { GRAPH <https://example.org/push/c> { <https://example.org/push/new> <https://example.org/push/p> "new" } }' >/dev/null 2>&1 ||
  bad "update the store"
"$weft" push --store "$s" --endpoint "$url" --batch-quads 100 "${fast[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q 'the store changed' "$tmp/err" && grep -q -- '--restart' "$tmp/err" &&
  ok "a changed store is not resumed without --restart" || bad "changed store: exit $rc: $(cat "$tmp/err")"
"$weft" push --store "$s" --endpoint "$url" --batch-quads 100 --restart "${fast[@]}" >"$tmp/out" 2>"$tmp/err" &&
  ok "--restart pushes again" || bad "--restart: $(cat "$tmp/err")"
same_content "after --restart" "$s" "$base"
skolem1=$(curl -sf "$base/dump" | grep -o 'genid/[0-9a-f]*-' | sort -u)
[ "$(echo "$skolem1" | wc -l)" = 1 ] && [ -s "$s/push/store-id" ] &&
  ok "one store id in every skolem IRI, kept in STORE/push/store-id" || bad "skolem prefixes: $skolem1"

# --- 4. transient failures are retried; 4xx are not
control "fail_after=1&status=503&times=1"
"$weft" push --store "$s" --endpoint "$url" --graph https://example.org/push/a --batch-quads 300 --retries 2 \
  --retry-wait 0.02 >"$tmp/out" 2>"$tmp/err" && grep -q 'retry 1 of 2' "$tmp/err" &&
  ok "one 503 is retried and the push completes" || bad "retry: $(cat "$tmp/err")"
control "fail_after=0&status=400"
"$weft" push --store "$s" --endpoint "$url" --graph https://example.org/push/c --retries 3 "${fast[@]}" \
  >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q 'HTTP 400' "$tmp/err" && ! grep -q 'retry' "$tmp/err" &&
  ok "a 400 stops at once, without retries" || bad "400: exit $rc: $(cat "$tmp/err")"
control ""
"$weft" push --store "$s" --endpoint "$url" --graph https://example.org/push/c --restart "${fast[@]}" >/dev/null 2>&1 ||
  bad "clean up after the 400"
same_content "after the retries" "$s" "$base"

# --- 5. the default graph, by ?default
"$weft" push --store "$s" --endpoint "$url" --graph default "${fast[@]}" >"$tmp/out" 2>"$tmp/err" &&
  ok "push --graph default" || bad "--graph default: $(cat "$tmp/err")"
[ "$(curl -sf "$url?default" | LC_ALL=C sort | tr '\n' '|')" = \
  '<https://example.org/push/d1> <https://example.org/push/dp> "default 1" .|<https://example.org/push/d2> <https://example.org/push/dp> "default 2" .|' ] &&
  ok "the default graph arrives as the GSP default graph" || bad "default graph: $(curl -sf "$url?default")"
"$weft" push --store "$s" --endpoint "$url" --graph https://example.org/push/b >/dev/null 2>"$tmp/err"
grep -q 'note' "$tmp/err" && bad "a note about the default graph when graphs are given" || ok "no default-graph note with --graph"

# --- 6. authentication
start_mock basic --user alice:s3cret
"$weft" push --store "$s" --endpoint "$basic/gsp" "${fast[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q 'HTTP 401' "$tmp/err" && ok "401 without credentials" || bad "no credentials: exit $rc: $(cat "$tmp/err")"
"$weft" push --store "$s" --endpoint "$basic/gsp" --user alice:s3cret --restart "${fast[@]}" >"$tmp/out" 2>"$tmp/err" &&
  ok "--user (Basic)" || bad "--user: $(cat "$tmp/err")"
same_content "with Basic authentication" "$s" "$basic"
start_mock bearer --bearer tok123
"$weft" push --store "$s" --endpoint "$bearer/gsp?x=1" --bearer tok123 "${fast[@]}" >"$tmp/out" 2>"$tmp/err" &&
  ok "--bearer, and an endpoint URL with a query string" || bad "--bearer: $(cat "$tmp/err")"
same_content "with a bearer token" "$s" "$bearer"

# --- 7. connection refused, usage errors
curl -sf "$bearer/quit" >/dev/null
sleep 0.2
"$weft" push --store "$s" --endpoint "$bearer/gsp" --retries 1 --retry-wait 0.02 --state "$tmp/refused.state" \
  >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q 'retry 1 of 1' "$tmp/err" && ok "connection refused: retried, then exit 1" ||
  bad "connection refused: exit $rc: $(cat "$tmp/err")"
"$weft" push --store "$s" --endpoint "ftp://x/" >/dev/null 2>"$tmp/err"
[ $? = 2 ] && ok "a non-HTTP endpoint is a usage error" || bad "ftp endpoint: $(cat "$tmp/err")"
"$weft" push --store "$s" --endpoint "$url" --graph https://example.org/push/absent >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q 'no graph <https://example.org/push/absent>' "$tmp/err" && ok "an unknown graph is refused" ||
  bad "unknown graph: $(cat "$tmp/err")"
"$weft" push --store "$s" --endpoint "$url" --user nocolon >/dev/null 2>"$tmp/err"
[ $? = 2 ] && ok "--user without a colon is a usage error" || bad "--user nocolon: $(cat "$tmp/err")"
"$weft" push --help >"$tmp/out" 2>&1 && grep -q 'Exit codes' "$tmp/out" && ok "push --help" || bad "push --help"

curl -sf "$base/quit" >/dev/null
summary "push e2e"
