#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end test of weft_pharma_gen (examples/pharma-network): the same profile and
# seed give byte-identical output, another seed gives different output, the layout of
# FORMATS.md is present, and every GTIN / GLN / SSCC in the CSV extracts and CoA JSON
# has a valid GS1 check digit.
# usage: pharma_gen_test.sh PATH/TO/weft_pharma_gen
set -u
GEN=${1:?usage: pharma_gen_test.sh PATH/TO/weft_pharma_gen}
. "$(dirname "$0")/lib.sh"

"$GEN" --help >/dev/null || bad "--help exits non-zero"
if "$GEN" --profile bogus --out "$tmp/x" >/dev/null 2>&1; then bad "bad profile accepted"; fi

"$GEN" --profile small --seed 2025 --out "$tmp/a" >"$tmp/a.log" || bad "run a failed"
"$GEN" --profile small --seed 2025 --out "$tmp/b" >"$tmp/b.log" || bad "run b failed"
"$GEN" --profile small --seed 7 --out "$tmp/c" >"$tmp/c.log" || bad "run c failed"
grep -q '^summary:' "$tmp/a.log" || bad "no summary line"

# 1. determinism
if ! diff -rq "$tmp/a" "$tmp/b" >"$tmp/diff.txt"; then
  bad "same seed, different output:"; head -5 "$tmp/diff.txt"
fi
# 2. another seed differs (in the records, not only in planted.md)
if diff -q "$tmp/a/aurelian/erp/process_orders.csv" "$tmp/c/aurelian/erp/process_orders.csv" >/dev/null; then
  bad "seed 7 gives the same process_orders.csv as seed 2025"
fi

# 3. layout
for f in aurelian/erp/materials.csv aurelian/erp/bom.csv aurelian/erp/process_orders.csv aurelian/erp/order_components.csv \
         aurelian/erp/batches.csv aurelian/erp/goods_movements.csv aurelian/erp/purchase_orders.csv aurelian/erp/vendors.csv \
         aurelian/erp/customers.csv aurelian/erp/inspection_results.csv aurelian/qms/deviations.csv aurelian/qms/capa.csv \
         aurelian/qms/complaints.csv aurelian/qms/recalls.csv aurelian/mes/equipment.xml aurelian/mes/materials.xml \
         aurelian/mes/lots-2025.xml aurelian/historian/tags.csv brightwater/erp/brightwater-erp.sqlite \
         brightwater/mes/lots-2025.xml brightwater/historian/tags.csv meridian/historian/tags.csv planted.md; do
  [ -s "$tmp/a/$f" ] || bad "missing or empty: $f"
done
[ "$(ls "$tmp/a/aurelian/mes/performance" | wc -l)" -gt 100 ] || bad "too few M1 batch performance files"
[ "$(ls "$tmp/a/meridian/epcis" | wc -l)" -gt 50 ] || bad "too few EPCIS JSON-LD documents"
[ "$(ls "$tmp/a/meridian/epcis-xml" | wc -l)" -gt 10 ] || bad "too few EPCIS XML documents"
[ "$(ls "$tmp/a/aurelian/qms/coa" | wc -l)" -gt 10 ] || bad "too few supplier CoAs"
head -1 "$tmp/a/aurelian/erp/materials.csv" | grep -qx 'MATNR,MAKTX,MTART,MEINS,XCHPF,MHDHB_DAYS,GTIN,NDC,STORAGE_COND,WERKS' ||
  bad "materials.csv header differs from DOMAIN 5.4"
# MATNR zero-padded to 18 everywhere in materials.csv
awk -F, 'NR > 1 && ($1 !~ /^[0-9]+$/ || length($1) != 18) { print "bad MATNR " $1; bad = 1 } END { exit bad }' "$tmp/a/aurelian/erp/materials.csv" ||
  bad "MATNR not zero-padded to 18"

# 4. GS1 check digits of every column named GTIN / GLN / *_gtin / *_gln / EXIDV (SSCC), and in CoA JSON
check_awk='
function splitcsv(line, f,   n, i, c, q, cur) {
  n = 0; q = 0; cur = ""
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c }
    else if (c == "\"") q = 1
    else if (c == ",") { f[++n] = cur; cur = "" }
    else cur = cur c
  }
  f[++n] = cur
  return n
}
function gs1ok(s,   i, sum, w, n) {
  n = length(s); sum = 0; w = 3
  for (i = n - 1; i >= 1; i--) { sum += substr(s, i, 1) * w; w = (w == 3) ? 1 : 3 }
  return ((10 - sum % 10) % 10) == substr(s, n, 1) + 0
}
NR == 1 { n = splitcsv($0, hd); for (i = 1; i <= n; i++) { h = toupper(hd[i]); if (h ~ /GTIN$|GLN$|^EXIDV$|^PRODUCT$/) col[i] = h }; next }
{ splitcsv($0, f)
  for (i in col) { v = f[i]; if (v == "") continue
    want = (col[i] ~ /GLN$/) ? 13 : ((col[i] == "EXIDV") ? 18 : 14)
    if (v !~ /^[0-9]+$/ || length(v) != want || !gs1ok(v)) { printf "%s:%d %s=%s invalid\n", FILENAME, NR, col[i], v; bad = 1 }
    checked++ } }
END { printf "%d\n", checked > "/dev/stderr"; exit bad }'
total=0
for f in $(find "$tmp/a" -name '*.csv' ! -name 'timeseries_*'); do
  n=$(awk "$check_awk" "$f" 2>&1 >/dev/null) || { bad "check digits in $f"; awk "$check_awk" "$f" 2>/dev/null | head -3; }
  total=$((total + ${n:-0}))
done
[ "$total" -gt 100 ] || bad "only $total GS1 keys checked in the CSVs"
coa_bad=$(cat "$tmp"/a/aurelian/qms/coa/*.json | grep -oE '"(supplier_gln|material_gtin)": "[0-9]+"' | grep -oE '[0-9]{13,14}' |
  awk 'function gs1ok(s, i, sum, w, n) { n = length(s); sum = 0; w = 3
         for (i = n - 1; i >= 1; i--) { sum += substr(s, i, 1) * w; w = (w == 3) ? 1 : 3 }
         return ((10 - sum % 10) % 10) == substr(s, n, 1) + 0 }
       !gs1ok($0) { bad++ } END { print bad + 0 }')
[ "$coa_bad" = 0 ] || bad "$coa_bad invalid GS1 keys in CoA JSON"

# 5. the EPCIS JSON-LD documents parse (when python3 is available)
if command -v python3 >/dev/null; then
  python3 - "$tmp/a/meridian/epcis" <<'PY' || bad "EPCIS JSON-LD does not parse"
import json, os, sys
d = sys.argv[1]
n = 0
for f in sorted(os.listdir(d)):
    doc = json.load(open(os.path.join(d, f)))
    assert doc["type"] == "EPCISDocument" and doc["epcisBody"]["eventList"], f
    n += len(doc["epcisBody"]["eventList"])
assert n > 1000, n
PY
else
  echo "note: python3 not found, JSON parse check skipped"
fi

if [ "$fail" = 0 ]; then echo "pharma_gen_test: OK ($total GS1 keys checked)"; fi
[ "$fail" = 0 ]
