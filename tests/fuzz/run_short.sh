#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run_short.sh BUILD_DIR [SECONDS] [TARGET...]: runs each libFuzzer target
# built in BUILD_DIR/fuzz/ for SECONDS (default 20) and fails if any of them
# crashes, leaks, times out or breaks an invariant. Corpora live in
# BUILD_DIR/fuzz-corpus/<target>/ (see make_corpus.sh); crash inputs are
# written to BUILD_DIR/fuzz-artifacts/<target>/ — copy them to
# tests/fuzz/regress/<target>/ once the bug is understood.
set -uo pipefail

build_dir=${1:?usage: run_short.sh BUILD_DIR [SECONDS] [TARGET...]}
duration=${2:-20}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)
build_dir=$(cd "$build_dir" && pwd)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_ntriples fuzz_nquads fuzz_turtle fuzz_trig fuzz_rdfxml fuzz_jsonld fuzz_xsd
           fuzz_sparql_parse fuzz_sparql_eval fuzz_mapping fuzz_jsonpath fuzz_csv fuzz_xml fuzz_fnml
           fuzz_json_source fuzz_sql_source fuzz_connectors fuzz_reason fuzz_shacl fuzz_policy fuzz_http
           fuzz_mqtt fuzz_stream_message fuzz_stream_config fuzz_scenario fuzz_drift_config)
fi

"$here/make_corpus.sh" "$build_dir" >/dev/null
# Leaks inside third-party libraries, each with its reason, are in lsan.supp.
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

failed=()
for t in "${targets[@]}"; do
  bin=$build_dir/fuzz/$t
  if [ ! -x "$bin" ]; then
    echo "run_short.sh: $bin not built (cmake --preset fuzz && cmake --build --preset fuzz)" >&2
    failed+=("$t(missing)")
    continue
  fi
  artifacts=$build_dir/fuzz-artifacts/$t
  mkdir -p "$artifacts" "$build_dir/fuzz-corpus/$t"
  log=$build_dir/fuzz-artifacts/$t.log
  echo "== $t: ${duration}s (log: $log)"
  # The first corpus folder receives new inputs; seeds and regressions are read only.
  corpora=("$build_dir/fuzz-corpus/$t")
  for extra in "$here/seeds/$t" "$here/regress/$t"; do
    [ -d "$extra" ] && corpora+=("$extra")
  done
  if "$bin" -max_len=65536 -rss_limit_mb=2048 -timeout=30 -max_total_time="$duration" \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "${corpora[@]}" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)|^Done' "$log" | tr '\n' ' '
    echo
  else
    echo "!! $t FAILED; see $log and $artifacts/"
    grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|Test unit written' "$log" | head -5
    # The whole invariant message (it names the input and both answers), so a
    # CI log alone is enough to reproduce; then the crash input itself.
    sed -n '/^fuzz invariant broken/,/^==[0-9]*==/p' "$log" | head -60
    for crash in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-*; do
      [ -f "$crash" ] || continue
      echo "input $(basename "$crash") ($(wc -c <"$crash") bytes), base64:"
      head -c 4096 "$crash" | base64 -w 100
    done
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "run_short.sh: failures: ${failed[*]}"
  exit 1
fi
echo "run_short.sh: all ${#targets[@]} targets ran ${duration}s without a crash"
