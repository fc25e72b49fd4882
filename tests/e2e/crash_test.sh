#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Crash safety: a large load killed with SIGKILL midway (at random times and
# at named points inside the commit) must leave the store as it was before
# that load (or, past the SQLite commit, as after it), and `weft check` passes.
# Usage: crash_test.sh WEFT_BINARY GENERATOR_BINARY [TRIPLES]
set -u
weft=$1
gen=$2
n=${3:-1500000}
quiet_ok=1  # only failures are printed
. "$(dirname "$0")/lib.sh"

"$gen" --triples 2000 --format nt --seed 1 -o "$tmp/small.nt" >/dev/null
"$gen" --triples "$n" --format nt --seed 2 -o "$tmp/big.nt" >/dev/null
"$weft" load -q --store "$tmp/base" "$tmp/small.nt" >/dev/null || { echo "cannot build the base store"; exit 1; }
before=$(quads "$tmp/base")
# The full load, uninterrupted, for the "after" count.
cp -r "$tmp/base" "$tmp/full"
"$weft" load -q --store "$tmp/full" "$tmp/big.nt" >/dev/null || bad "uninterrupted load failed"
after=$(quads "$tmp/full")
echo "before: $before quads; after the big load: $after quads"

# 1. SIGKILL at times spread over the load.
for delay in 0.3 1 2 4; do
  rm -rf "$tmp/s" && cp -r "$tmp/base" "$tmp/s"
  "$weft" load -q --store "$tmp/s" "$tmp/big.nt" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    got=$(quads "$tmp/s")
    if [ "$got" = "$before" ] || [ "$got" = "$after" ]; then ok; else bad "killed after ${delay}s: $got quads (want $before or $after)"; fi
    [ "$got" = "$before" ] && echo "killed at ${delay}s: store as before the load ($got quads)"
    "$weft" check --store "$tmp/s" >/dev/null && ok || bad "check failed after a kill at ${delay}s"
  else
    wait "$pid"
    echo "note: load finished before ${delay}s; not a mid-load kill"
  fi
done

# 2. SIGKILL at named points inside the commit.
for point in before-sqlite-commit:$before after-sqlite-commit:$after mid-checkpoint:$after after-manifest:$after; do
  name=${point%%:*}
  want=${point##*:}
  rm -rf "$tmp/s" && cp -r "$tmp/base" "$tmp/s"
  WEFT_CRASH_POINT=$name "$weft" load -q --store "$tmp/s" "$tmp/big.nt" >/dev/null 2>&1
  rc=$?
  [ "$rc" = 137 ] && ok || bad "$name: expected death by SIGKILL, exit $rc"
  got=$(quads "$tmp/s")
  [ "$got" = "$want" ] && ok || bad "$name: $got quads, want $want"
  "$weft" check --store "$tmp/s" >/dev/null && ok || bad "$name: check failed"
  # The store keeps working: a further load succeeds.
  "$weft" load -q --store "$tmp/s" "$tmp/small.nt" >/dev/null && ok || bad "$name: store unusable afterwards"
done
summary "crash safety"
