#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A private Virtuoso instance for the query benchmark (tests/bench/query_bench.sh):
# its own database directory, listening on 127.0.0.1 only, never the packaged
# service. Uses Debian's virtuoso-opensource (virtuoso-t, isql-vt) and the
# packaged /etc/virtuoso-opensource-7/virtuoso.ini as the template.
#
#   virtuoso.sh install                    apt-get install virtuoso-opensource, services not started
#   virtuoso.sh start DIR SQL_PORT HTTP_PORT [DATA_DIR]
#                                          write DIR/virtuoso.ini, start virtuoso-t in
#                                          the background (pid in DIR/virtuoso.pid), wait
#                                          until it answers; DATA_DIR is added to DirsAllowed
#   virtuoso.sh load DIR FILE GRAPH        bulk-load FILE (in DATA_DIR) into GRAPH
#                                          (ld_dir + rdf_loader_run + checkpoint); prints
#                                          "triples N seconds S"
#   virtuoso.sh query DIR Q.rq GRAPH OUT   one SPARQL query over HTTP (POST /sparql,
#                                          default-graph-uri GRAPH, JSON results to OUT);
#                                          prints "HTTP_CODE SECONDS [partial]"
#   virtuoso.sh stop DIR                   shutdown, then kill if still running
#   virtuoso.sh version                    the packaged version
#
# Environment: VIRTUOSO_BUFFERS (NumberOfBuffers; default from RAM: a quarter
# of it, at most 680000 buffers, about 5.6 GB), VIRTUOSO_QUERY_TIMEOUT (curl's
# limit per query in seconds, default 600).
set -euo pipefail

TEMPLATE=/etc/virtuoso-opensource-7/virtuoso.ini
ISQL=${ISQL:-isql-vt}
VIRTUOSO=${VIRTUOSO:-virtuoso-t}

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

# ini_set FILE SECTION KEY VALUE: sets KEY in [SECTION] (appends it when absent).
ini_set() {
  local file=$1 section=$2 key=$3 value=$4
  awk -v sec="[$section]" -v key="$key" -v val="$value" '
    function flush() { if (insec && !done) { print key " = " val; done = 1 } }
    /^[[:space:]]*\[/ { flush(); insec = ($1 == sec) }
    insec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { if (!done) { print key " = " val; done = 1 } ; next }
    { print }
    END { flush(); if (!done) { print sec; print key " = " val } }
  ' "$file" >"$file.tmp"
  mv "$file.tmp" "$file"
}

port_of() { awk -F= -v sec="[$2]" '/^[[:space:]]*\[/ { s = ($1 == sec) } s && $1 ~ /^[[:space:]]*ServerPort[[:space:]]*$/ { gsub(/[[:space:]]/, "", $2); sub(/.*:/, "", $2); print $2; exit }' "$1/virtuoso.ini"; }

isql() {  # isql DIR SQL...
  local dir=$1; shift
  "$ISQL" "127.0.0.1:$(port_of "$dir" Parameters)" dba dba "exec=$*" 2>&1
}

cmd_install() {
  if command -v "$VIRTUOSO" >/dev/null && command -v "$ISQL" >/dev/null; then return 0; fi
  [[ $(id -u) -eq 0 ]] || die "virtuoso-t is missing; run as root or: apt-get install virtuoso-opensource"
  command -v apt-get >/dev/null || die "virtuoso-t is missing and there is no apt-get"
  # Install without starting the packaged service: a policy-rc.d that denies
  # every start (exit 101), ours only if there was none, removed afterwards.
  local created=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# written by tests/bench/virtuoso/virtuoso.sh during apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource >&2 || rc=$?
  [[ $created -eq 0 ]] || rm -f /usr/sbin/policy-rc.d
  [[ $rc -eq 0 ]] || die "apt-get install virtuoso-opensource failed"
}

cmd_start() {
  local dir=$1 sqlport=$2 httpport=$3 datadir=${4:-}
  [[ -r $TEMPLATE ]] || die "no $TEMPLATE (apt-get install virtuoso-opensource)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local ini="$dir/virtuoso.ini"
  cp "$TEMPLATE" "$ini"
  local buffers=${VIRTUOSO_BUFFERS:-}
  if [[ -z $buffers ]]; then
    # About 8.5 KB per buffer (Virtuoso's tuning guide); a quarter of RAM.
    buffers=$(awk '/MemTotal/ { b = int($2 * 1024 / 4 / 8700); if (b > 680000) b = 680000; if (b < 10000) b = 10000; print b }' /proc/meminfo)
  fi
  local dirs="., /usr/share/virtuoso-opensource-7/vad"
  [[ -z $datadir ]] || dirs="$dirs, $(cd "$datadir" && pwd)"
  ini_set "$ini" Database DatabaseFile "$dir/virtuoso.db"
  ini_set "$ini" Database ErrorLogFile "$dir/virtuoso.log"
  ini_set "$ini" Database LockFile "$dir/virtuoso.lck"
  ini_set "$ini" Database TransactionFile "$dir/virtuoso.trx"
  ini_set "$ini" Database xa_persistent_file "$dir/virtuoso.pxa"
  ini_set "$ini" TempDatabase DatabaseFile "$dir/virtuoso-temp.db"
  ini_set "$ini" TempDatabase TransactionFile "$dir/virtuoso-temp.trx"
  ini_set "$ini" Parameters ServerPort "127.0.0.1:$sqlport"
  ini_set "$ini" Parameters DirsAllowed "$dirs"
  ini_set "$ini" Parameters NumberOfBuffers "$buffers"
  ini_set "$ini" Parameters MaxDirtyBuffers "$((buffers * 3 / 4))"
  ini_set "$ini" HTTPServer ServerPort "127.0.0.1:$httpport"
  # Whole answers: no row cap, no time limit (a limit would return partial
  # "anytime" results), no rejection on the cost estimate.
  ini_set "$ini" SPARQL ResultSetMaxRows 100000000
  ini_set "$ini" SPARQL MaxQueryExecutionTime 0
  ini_set "$ini" SPARQL MaxQueryCostEstimationTime 100000
  # No hosting plugins.
  sed -i -E '/^[[:space:]]*Load[0-9]+[[:space:]]*=/d' "$ini"

  (cd "$dir" && exec "$VIRTUOSO" +foreground +configfile "$ini" >"$dir/stdout.log" 2>&1) &
  echo $! >"$dir/virtuoso.pid"
  local i
  for ((i = 0; i < 240; i++)); do
    if ! kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; then
      tail -20 "$dir/virtuoso.log" "$dir/stdout.log" >&2 2>/dev/null || true
      die "virtuoso-t exited during start-up (see $dir/virtuoso.log)"
    fi
    if isql "$dir" "status('');" >/dev/null 2>&1 &&
       curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$httpport/sparql?query=ASK%7B%7D"; then
      return 0
    fi
    sleep 0.5
  done
  die "virtuoso-t did not answer on 127.0.0.1:$sqlport within 120 s"
}

cmd_load() {
  local dir=$1 file=$2 graph=$3
  local fdir fname t0 t1 out
  fdir=$(cd "$(dirname "$file")" && pwd)
  fname=$(basename "$file")
  t0=$(date +%s%N)
  out=$(isql "$dir" "ld_dir('$fdir', '$fname', '$graph'); rdf_loader_run(); checkpoint;")
  t1=$(date +%s%N)
  echo "$out" >"$dir/load.log"
  local errs
  errs=$(isql "$dir" "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;" | grep -F "$fname" || true)
  [[ -z $errs ]] || die "load errors: $errs"
  local n
  n=$(isql "$dir" "SPARQL SELECT COUNT(*) FROM <$graph> WHERE { ?s ?p ?o };" | awk '/^[0-9]+[[:space:]]*$/ { print $1; exit }')
  echo "triples ${n:-?} seconds $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
}

cmd_query() {
  local dir=$1 q=$2 graph=$3 out=$4
  local port res partial=""
  port=$(port_of "$dir" HTTPServer)
  res=$(curl -sS -o "$out" -D "$out.headers" -w '%{http_code} %{time_total}' --max-time "${VIRTUOSO_QUERY_TIMEOUT:-600}" \
    -H 'Accept: application/sparql-results+json' \
    --data-urlencode "query@$q" --data-urlencode "default-graph-uri=$graph" \
    "http://127.0.0.1:$port/sparql" 2>"$out.curl-err" || true)
  # An "anytime" answer (partial results after a time-out) carries X-SQL-State.
  grep -qi '^X-SQL-State:' "$out.headers" 2>/dev/null && partial=" partial"
  echo "${res:-000 0}$partial"
}

cmd_stop() {
  local dir=$1
  [[ -f "$dir/virtuoso.pid" ]] || return 0
  local pid
  pid=$(cat "$dir/virtuoso.pid")
  if kill -0 "$pid" 2>/dev/null; then
    isql "$dir" "shutdown;" >/dev/null 2>&1 || true
    local i
    for ((i = 0; i < 60; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      sleep 2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/virtuoso.pid"
}

cmd_version() {
  dpkg-query -W -f='${Version}' virtuoso-opensource-7-bin 2>/dev/null ||
    "$VIRTUOSO" -? 2>&1 | grep -m1 -i version || echo "?"
}

case "${1:-}" in
  install) cmd_install ;;
  start) [[ $# -ge 4 ]] || die "usage: start DIR SQL_PORT HTTP_PORT [DATA_DIR]"; cmd_start "${@:2}" ;;
  load) [[ $# -eq 4 ]] || die "usage: load DIR FILE GRAPH"; cmd_load "${@:2}" ;;
  query) [[ $# -eq 5 ]] || die "usage: query DIR Q.rq GRAPH OUT"; cmd_query "${@:2}" ;;
  stop) [[ $# -eq 2 ]] || die "usage: stop DIR"; cmd_stop "$2" ;;
  version) cmd_version ;;
  *) sed -n '3,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
