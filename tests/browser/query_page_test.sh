#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The query page of `weft serve` in headless Chromium (label browser). This
# script finds Chromium and Node.js, installs playwright-core (the version in
# package.json) into DEPS_DIR, outside the source tree, builds a small store
# (fixture.ttl and 130 generated rows for paging), writes a policy with a
# random test key, then runs query_page_test.mjs, which starts
# `weft serve --port 0` on 127.0.0.1 and checks the page against `weft query`.
# Usage: query_page_test.sh WEFT_BINARY SOURCE_DIR [DEPS_DIR]
#   DEPS_DIR defaults to $WEFT_BROWSER_DEPS, else $XDG_CACHE_HOME/weft-browser.
#   WEFT_CHROMIUM overrides the browser (default: /usr/bin/chromium, Debian's).
# Without Chromium, node or npm the test fails when CI=true or
# WEFT_REQUIRE_BROWSER=1; elsewhere it prints "skip: REASON" and exits 77,
# which ctest reports as skipped, never as passed.
set -u
weft=$1
src=$2
deps=${3:-${WEFT_BROWSER_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/weft-browser}}
here=$(cd "$(dirname "$0")" && pwd)

unavailable() {
  if [ "${CI:-}" = true ] || [ "${WEFT_REQUIRE_BROWSER:-0}" = 1 ]; then
    echo "FAIL: $1; the browser test must run here (CI=true or WEFT_REQUIRE_BROWSER=1)"
    exit 1
  fi
  echo "skip: $1"
  exit 77
}
chromium=${WEFT_CHROMIUM:-}
if [ -z "$chromium" ]; then
  for c in /usr/bin/chromium "$(command -v chromium || true)" "$(command -v chromium-browser || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then chromium=$c; break; fi
  done
fi
[ -n "$chromium" ] && [ -x "$chromium" ] ||
  unavailable "no Chromium (Debian package chromium, or set WEFT_CHROMIUM)"
command -v node >/dev/null || unavailable "no node (Debian package nodejs)"
command -v npm >/dev/null || unavailable "no npm (Debian package npm)"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  unavailable "node $(node --version) is too old (18 or later: global fetch)"
fi
if ! "$weft" serve --help >/dev/null 2>&1; then
  echo "FAIL: $weft has no serve command"
  exit 1
fi

# playwright-core, installed once per DEPS_DIR (it downloads no browser).
want=$(node -p "require('$here/package.json').dependencies['playwright-core']")
mkdir -p "$deps" && deps=$(cd "$deps" && pwd)
(
  flock 9
  have=$(node -p "try { require('$deps/node_modules/playwright-core/package.json').version } catch (e) { '' }")
  if [ "$have" != "$want" ]; then
    echo "installing playwright-core $want into $deps"
    cp "$here/package.json" "$deps/package.json"
    npm install --prefix "$deps" --no-audit --no-fund --loglevel=error >"$deps/npm.log" 2>&1 ||
      { cat "$deps/npm.log"; exit 1; }
  fi
) 9>"$deps/.install.lock" || { echo "FAIL: npm install playwright-core@$want into $deps"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 130 rows for paging (50 a page: three pages, the last one short).
for i in $(seq 1 130); do
  printf '<https://example.org/browser-test/item%d> <https://example.org/browser-test/index> %d ;\n' "$i" "$i"
  printf '  <http://www.w3.org/2000/01/rdf-schema#label> "Item %d" .\n' "$i"
done >"$tmp/paging.ttl"
if ! "$weft" load -q --store "$tmp/store" "$here/fixture.ttl" "$tmp/paging.ttl" >"$tmp/load.log" 2>&1; then
  echo "FAIL: weft load of the fixture:"; cat "$tmp/load.log"; exit 1
fi
# Two random keys: a regulator's (reads everything) and a writer's (may write
# the graphs under https://example.org/browser-test/graph/).
newkey() { echo "weft-browser-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"; }
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
key=$(newkey)
writer=$(newkey)
cat >"$tmp/policy.json" <<EOF
{
  "organisations": {
    "browser-test": { "read": ["*"], "write": ["https://example.org/browser-test/graph/*"] }
  },
  "keys": [
    { "name": "browser-regulator", "sha256": "$(sha "$key")", "role": "regulator", "organisation": "browser-test" },
    { "name": "browser-writer", "sha256": "$(sha "$writer")", "role": "writer", "organisation": "browser-test" }
  ]
}
EOF

WEFT=$weft WEFT_STORE=$tmp/store WEFT_POLICY=$tmp/policy.json WEFT_TEST_KEY=$key WEFT_WRITER_KEY=$writer \
  WEFT_SOURCE=$src WEFT_BROWSER_DEPS=$deps WEFT_CHROMIUM=$chromium node "$here/query_page_test.mjs"
