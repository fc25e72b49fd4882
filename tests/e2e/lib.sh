# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the end-to-end scripts in this folder. A script sources it
# after its arguments are read (and after any early "skip:" exit):
#   . "$(dirname "$0")/lib.sh"
# and ends with `summary "NAME"`, whose status is the script's exit status.
#   $tmp          a scratch folder, removed when the script exits
#   ok MSG        counts a passed check; prints "ok: MSG" unless the script
#                 set quiet_ok=1 before sourcing this file
#   bad MSG       counts a failed check; prints "FAIL: MSG"
#   quads DIR     the number of quads in the store DIR (uses $weft)
#   summary NAME  prints "NAME: P passed, F failed" (without "NAME: " when
#                 NAME is empty); fails when a check failed
#   finish NAME   summary, then exit 1 (stopping early after a failure)
# (not executable on its own: sourced)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() {
  pass=$((pass + 1))
  if [ "${quiet_ok:-0}" != 1 ]; then echo "ok: $*"; fi
}
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
quads() { "$weft" stats --store "$1" | awk '/^quads:/ {print $2}'; }
summary() {
  echo "${1:+$1: }$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
finish() { summary "$1"; exit 1; }
