#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the weft CLI: good paths, and every bad-input path the
# foundation promises a clear message for (and an unchanged store).
# Usage: cli_test.sh WEFT_BINARY SOURCE_DIR
set -u
weft=$1
src=$2
quiet_ok=1  # only failures are printed
. "$(dirname "$0")/lib.sh"
expect_fail() {  # expect_fail "description" "regex for stderr" cmd...
  local what=$1 re=$2; shift 2
  if "$@" >"$tmp/out" 2>"$tmp/err"; then bad "$what: exit 0"; return; fi
  if grep -Eq "$re" "$tmp/err"; then ok; else bad "$what: stderr was: $(cat "$tmp/err")"; fi
}

cat >"$tmp/a.ttl" <<'TTL'
@prefix ex: <http://example.org/> .
ex:lot1 a ex:Lot ; ex:qty 12 ; ex:label "Lot one"@en .
_:x ex:in ex:lot1 .
TTL
cat >"$tmp/b.ttl" <<'TTL'
@prefix ex: <http://example.org/> .
_:x ex:in ex:lot2 .
TTL
printf '<http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .\n' >"$tmp/c.nq"
# 1. load, stats, export, check
"$weft" load -q --store "$tmp/s" "$tmp/a.ttl" "$tmp/b.ttl" "$tmp/c.nq" >/dev/null && ok || bad "load"
[ "$(quads "$tmp/s")" = 6 ] && ok || bad "6 quads expected, got $(quads "$tmp/s")"
# Blank nodes of two documents stay apart: two distinct subjects of ex:in.
"$weft" export --store "$tmp/s" --format nq | grep 'example.org/in' | cut -d' ' -f1 | sort -u | wc -l | grep -qx 2 && ok || bad "blank node scoping"
"$weft" check --store "$tmp/s" >/dev/null && ok || bad "check"
for f in nt nq ttl trig jsonld; do
  "$weft" export --store "$tmp/s" --format $f -o "$tmp/out.$f" && ok || bad "export $f"
done
# Round trip: re-load the N-Quads export into a new store, same count.
"$weft" load -q --store "$tmp/s2" "$tmp/out.nq" >/dev/null && [ "$(quads "$tmp/s2")" = 6 ] && ok || bad "round trip nq"
"$weft" load -q --store "$tmp/s3" "$tmp/out.trig" >/dev/null && [ "$(quads "$tmp/s3")" = 6 ] && ok || bad "round trip trig"
"$weft" export --store "$tmp/s" --graph http://example.org/g --format nt | grep -q '"o"' && ok || bad "export --graph"
"$weft" convert "$tmp/a.ttl" "$tmp/a.nt" 2>/dev/null && [ "$(wc -l <"$tmp/a.nt")" = 4 ] && ok || bad "convert"
gzip -c "$tmp/a.ttl" >"$tmp/a.ttl.gz"
"$weft" load -q --store "$tmp/gz" "$tmp/a.ttl.gz" >/dev/null && [ "$(quads "$tmp/gz")" = 4 ] && ok || bad "gzip input"
# 2. bad input: clear message, non-zero exit, store unchanged
printf '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n' >"$tmp/bad.ttl"
expect_fail "syntax error" 'bad\.ttl:3:[0-9]+' "$weft" load -q --store "$tmp/s" "$tmp/bad.ttl"
[ "$(quads "$tmp/s")" = 6 ] && ok || bad "store changed after a syntax error"
expect_fail "syntax error in 2nd file" 'bad\.ttl:3' "$weft" load -q --store "$tmp/s" "$tmp/a.ttl" "$tmp/bad.ttl"
[ "$(quads "$tmp/s")" = 6 ] && ok || bad "store changed after a failed multi-file load"
expect_fail "syntax error, new store" 'bad\.ttl' "$weft" load -q --store "$tmp/new" "$tmp/bad.ttl"
[ ! -e "$tmp/new" ] && ok || bad "a failed load left a new store behind"
expect_fail "missing file" '(not exist|No such file)' "$weft" load -q --store "$tmp/s" "$tmp/nope.ttl"
expect_fail "directory as input" '(directory|Is a directory)' "$weft" load -q --store "$tmp/s" --format ttl "$tmp"
expect_fail "unknown format" 'unknown format' "$weft" load -q --store "$tmp/s" --format foo "$tmp/a.ttl"
cp "$tmp/a.ttl" "$tmp/a.weird"
expect_fail "format not guessable" 'cannot tell the syntax' "$weft" load -q --store "$tmp/s" "$tmp/a.weird"
mkdir -p "$tmp/junk" && echo hello >"$tmp/junk/file.txt"
expect_fail "not a store" 'not a weft store' "$weft" stats --store "$tmp/junk"
expect_fail "no store" 'no weft store' "$weft" stats --store "$tmp/absent"
mkdir -p "$tmp/fake" && head -c 4096 /dev/urandom >"$tmp/fake/weft.db"
expect_fail "garbage weft.db" 'not a weft store|not a database|file is not' "$weft" stats --store "$tmp/fake"
if [ -w /dev/full ]; then
  expect_fail "full disk on export" '(No space|cannot write)' "$weft" export --store "$tmp/s" --format nq -o /dev/full
  expect_fail "full disk on stdout" '(No space|cannot write)' sh -c "\"$weft\" export --store \"$tmp/s\" --format nq > /dev/full"
fi
expect_fail "usage" 'exactly one of' "$weft" load "$tmp/a.ttl"
# --graph puts a triple syntax into a named graph.
"$weft" load -q --store "$tmp/g" --graph http://example.org/g1 "$tmp/a.ttl" >/dev/null &&
  [ "$("$weft" export --store "$tmp/g" --format nq | grep -c '<http://example.org/g1> .$')" = 4 ] && ok || bad "load --graph"
# Ill-typed literals are loaded as written and reported, never dropped.
printf '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<http://e/a> <http://e/q> "12.5"^^xsd:integer, "7"^^xsd:integer .\n' >"$tmp/lit.ttl"
"$weft" load -q --store "$tmp/lit" "$tmp/lit.ttl" >/dev/null 2>"$tmp/err"
grep -q '1 literal(s) not valid' "$tmp/err" && ok || bad "invalid literal warning: $(cat "$tmp/err")"
"$weft" export --store "$tmp/lit" --format nt | grep -q '"12.5"^^<http://www.w3.org/2001/XMLSchema#integer>' && ok || bad "invalid literal kept"
# JSON-LD: export and re-load; a remote context resolved from a local file.
"$weft" load -q --store "$tmp/s4" "$tmp/out.jsonld" >/dev/null && [ "$(quads "$tmp/s4")" = 6 ] && ok || bad "round trip jsonld"
mkdir -p "$tmp/ctx"
printf '{"@context": {"ex": "http://example.org/", "name": "ex:name"}}\n' >"$tmp/ctx/lot.jsonld"
printf '{"@context": "https://contexts.example.org/lot.jsonld", "@id": "http://example.org/lot9", "name": "Lot nine"}\n' >"$tmp/remote.jsonld"
expect_fail "remote context without a map" 'contexts.example.org' "$weft" load -q --store "$tmp/s5" "$tmp/remote.jsonld"
"$weft" load -q --store "$tmp/s5" --context-map "https://contexts.example.org/=$tmp/ctx/" "$tmp/remote.jsonld" >/dev/null &&
  "$weft" export --store "$tmp/s5" --format nt | grep -q '<http://example.org/lot9> <http://example.org/name> "Lot nine"' && ok || bad "context map"
# A full disk during a load: a clear error, the store as it was. Needs a
# small tmpfs, so root and permission to mount; otherwise say why not.
if mkdir -p "$tmp/full" && mount -t tmpfs -o size=600k tmpfs "$tmp/full" 2>/dev/null; then
  "$weft" load -q --store "$tmp/full/s" "$tmp/a.ttl" >/dev/null
  for i in $(seq 1 20000); do
    echo "<http://example.org/s$i> <http://example.org/p> \"a fairly long literal value number $i to fill the disk\" ."
  done >"$tmp/many.nt"
  expect_fail "disk full" 'disk full|No space' "$weft" load -q --store "$tmp/full/s" "$tmp/many.nt"
  [ "$(quads "$tmp/full/s")" = 4 ] && ok || bad "store changed by a load that hit a full disk"
  "$weft" check --store "$tmp/full/s" >/dev/null && ok || bad "check after a full disk"
  umount "$tmp/full"
else
  echo "skip: full-disk load test (cannot mount a small tmpfs here: needs root and mount permission)"
fi
for c in load export stats check convert; do
  "$weft" $c --help >/dev/null 2>&1 && ok || bad "$c --help"
done
summary "cli e2e"
