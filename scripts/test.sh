#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's second command: build and run the whole test suite.
#   1. Release build; ctest runs every label: unit, conformance (W3C RDF
#      syntaxes, JSON-LD and SPARQL from ../shared/conformance), e2e (CLI,
#      queries, question pack, crash safety), fuzz-regress. The conformance
#      counts per suite are printed.
#   2. Debug build with ASan + UBSan; ctest runs the unit tests again.
#   3. clang-14 libFuzzer build; each reader and the SPARQL parser and
#      evaluator are fuzzed for a short time.
# Set WEFT_FUZZ_SECONDS (default 15) to change the fuzz time per target,
# WEFT_SKIP_ASAN=1 / WEFT_SKIP_FUZZ=1 to leave a stage out locally.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=0
count() {  # adds ctest's "N% tests passed, F tests failed out of T" to the totals
  local line t f
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  t=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + t - f))
  failed=$((failed + f))
}

echo "== 1/3 release build + ctest (unit, conformance, e2e, fuzz-regress)"
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs"
ctest --test-dir build/release --output-on-failure -j"$jobs" 2>&1 | tee "$log"
count
echo "== conformance, per suite"
build/release/tests/conformance/rdf_conformance | grep -E '(passed|skipped)' || true
build/release/tests/conformance/jsonld_conformance | grep -E '(passed|skipped)' || true
for suite in sparql10-syntax sparql10-eval sparql11-query sparql11-update sparql11-results; do
  build/release/tests/conformance/sparql_conformance "$suite" | grep -E '^(suite|skipped)' || true
done
for suite in rml-core rml-io rml-fnml rml-legacy r2rml rml-lv; do
  build/release/tests/conformance/rml_conformance "$suite" | grep -E '^(suite|skipped)' || true
done
[ -x build/release/tests/conformance/jsonpath_conformance ] &&
  { build/release/tests/conformance/jsonpath_conformance | grep -E '^(suite|skipped)' || true; }

if [ "${WEFT_SKIP_ASAN:-0}" != 1 ]; then
  echo "== 2/3 debug + ASan/UBSan build, unit tests"
  cmake --preset debug-asan >/dev/null
  cmake --build --preset debug-asan -j"$jobs" --target unit_core unit_rdf unit_store unit_sparql unit_db \
    unit_jsonpath unit_sources unit_fnml unit_map unit_connectors unit_reason unit_shacl \
    unit_sim unit_twin unit_stream unit_watch
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0" ctest --test-dir build/debug-asan --output-on-failure -j"$jobs" -L unit 2>&1 | tee "$log"
  count
else
  echo "skip: ASan stage (WEFT_SKIP_ASAN=1)"
fi
if [ "${WEFT_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== 3/3 libFuzzer build (clang-14), short fuzz run"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j"$jobs"
  if bash tests/fuzz/run_short.sh build/fuzz "${WEFT_FUZZ_SECONDS:-15}"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
else
  echo "skip: fuzz stage (WEFT_SKIP_FUZZ=1)"
fi
echo "weft tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
