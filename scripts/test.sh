#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's second command: build and run the whole test suite.
#   1. Release build; ctest runs every label: unit, conformance (W3C RDF
#      syntaxes and JSON-LD from ../shared/conformance), e2e (CLI, crash
#      safety), fuzz-regress.
#   2. Debug build with ASan + UBSan; ctest runs the unit tests again.
#   3. clang-14 libFuzzer build; each reader is fuzzed for a short time.
# Set WEFT_FUZZ_SECONDS (default 15) to change the fuzz time per target,
# WEFT_SKIP_ASAN=1 / WEFT_SKIP_FUZZ=1 to leave a stage out locally.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
echo "== 1/3 release build + ctest (unit, conformance, e2e, fuzz-regress)"
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs"
ctest --test-dir build/release --output-on-failure -j"$jobs"
if [ "${WEFT_SKIP_ASAN:-0}" != 1 ]; then
  echo "== 2/3 debug + ASan/UBSan build, unit tests"
  cmake --preset debug-asan >/dev/null
  cmake --build --preset debug-asan -j"$jobs" --target unit_core unit_rdf unit_store 2>/dev/null ||
    cmake --build --preset debug-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build/debug-asan --output-on-failure -j"$jobs" -L unit
fi
if [ "${WEFT_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== 3/3 libFuzzer build (clang-14), short fuzz run"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j"$jobs"
  bash tests/fuzz/run_short.sh build/fuzz "${WEFT_FUZZ_SECONDS:-15}"
fi
echo "== all test stages passed"
