#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# The expected answers of the questions that need reasoning (queries/16-*.rq onward),
# computed from the generator's ground truth without weft: planted.md (the storyline the
# generator writes) and, where planted.md names a lot but not its genealogy, the
# generator's own ERP extract of the batch records (aurelian/erp/*.csv). Each answer is
# written in weft's TSV result format, so the question-pack test can compare weft's
# answer after `weft reason` with it, and check that these files are what the generator
# says.
#
#   ground-truth.py RECORDS_DIR OUT_DIR      (RECORDS_DIR: weft_pharma_gen --out)
import csv
import os
import re
import sys


def tsv(path, header, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join("?" + h for h in header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def q(s):  # a plain literal as weft's TSV writes it
    return '"' + s + '"'


def dec(s):  # an xsd:decimal in canonical form as weft's TSV writes it: 327.0, 5.83
    return repr(float(s)) if s != "" else ""


def section(text, start, end):
    return text.split(start, 1)[1].split(end, 1)[0]


def erp(records):
    d = os.path.join(records, "aurelian", "erp")
    rd = lambda name: list(csv.DictReader(open(os.path.join(d, name), encoding="utf-8")))
    orders = {r["AUFNR"]: r for r in rd("process_orders.csv")}
    inputs, consumers = {}, {}
    for r in rd("order_components.csv"):
        out = orders[r["AUFNR"]]
        if not out["CHARG"]:  # an aborted order made no lot
            continue
        inputs.setdefault(out["CHARG"], set()).add((r["CHARG"], r["MATNR"]))
        consumers.setdefault(r["CHARG"], set()).add((out["CHARG"], out["MATNR"]))
    return {
        "inputs": inputs,
        "consumers": consumers,
        "batches": {r["CHARG"]: r for r in rd("batches.csv")},
        "vendors": {r["LIFNR"]: r["NAME1"] for r in rd("vendors.csv")},
        "mtart": {r["MATNR"]: r["MTART"] for r in rd("materials.csv")},
    }


def closure(graph, start):
    """Every (lot, material) reachable from `start` in `graph` (lot -> {(lot, material)})."""
    seen, stack = {}, [start]
    while stack:
        for lot, mat in graph.get(stack.pop(), ()):
            if lot not in seen:
                seen[lot] = mat
                stack.append(lot)
    return seen


def q16(planted):
    # Section 1: per dispenser units received, dispensed before the recall, decommissioned
    # (disposition recalled); the units still at the distributor were held (recalled) and
    # destroyed.
    sec = section(planted, "## 1. Recall", "## 2.")
    rows = []
    for line in sec.splitlines():
        m = re.match(r"\| (.+?) \| (\d{13}) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|", line)
        if m:
            name, gln, recv, disp, dec_, _ = m.groups()
            rows.append([f"<https://id.gs1.org/414/{gln}>", q(name), recv, disp, dec_, "0",
                         str(int(recv) - int(disp) - int(dec_))])
    held = re.search(r"(\d+) still at D1 were held \(recalled\) and destroyed", sec).group(1)
    rows.sort(key=lambda r: r[1])
    rows.insert(0, ["", q("(not shipped to a dispenser)"), held, "0", held, held, "0"])
    return ["consignee", "name", "units", "dispensed", "recalled", "destroyed", "unaccounted"], rows


def q17(planted):
    # Section 2: the other ERP's qc_result rows that fail (connector erp-sqlite);
    # section 3: the in-house osmolality of the disputed medium lot (SAP inspection
    # results, connector sap-csv, whose results are all valid).
    rows = []
    for line in section(planted, "## 2. OOS results", "## 3.").splitlines():
        m = re.match(r"\| (QC25-\d+) \| (\S+) \| (.+?) \| ([\d.]+) \| ([\d.]*)–([\d.]*) \| (\w+) \| (\w+) \|", line)
        if m and m.group(7) == "fail":
            _, lot, test, res, lo, hi, _, status = m.groups()
            rows.append(["erp-sqlite", lot, test, res, lo, hi, status.capitalize()])
    sec = section(planted, "## 3. CoA disagreement", "## 4.")
    lot = re.search(r"lot \*\*(R25-\d+)\*\*", sec).group(1)
    res = re.search(r"in-house test in `inspection_results.csv` (\d+) mOsm/kg", sec).group(1)
    lo, hi = re.search(r"in spec (\d+)–(\d+)", sec).groups()
    rows.append(["sap-csv", lot, "Osmolality", res, lo, hi, "Valid"])
    rows.sort(key=lambda r: (r[0], r[1], r[2], float(r[3])))
    return (["system", "lotNumber", "test", "result", "lower", "upper", "status"],
            [[q(r[0]), q(r[1]), q(r[2]), dec(r[3]), dec(r[4]), dec(r[5]), q(r[6])] for r in rows])


def q18(planted):
    # Section 4: the cold-chain excursions and their lots; section 7: the bioreactor
    # temperature excursion during the production culture of a drug-substance batch
    # (its lot number is the batch id, as section 1's "drug-substance lots" show).
    rows = []
    for line in section(planted, "## 4. Cold-chain excursions", "## 5.").splitlines():
        c = [x.strip() for x in line.split("|")[1:-1]]
        if len(c) == 10 and c[0].isdigit():
            start, end, minutes, top, lots = c[4], c[5], c[6], c[7], c[8]
            for lot in (x.strip() for x in lots.split(",")):
                rows.append([lot, start[:16], end[:16], minutes, top])
    sec = section(planted, "## 7.", "## 8.")
    m = re.search(r"for (\d+) min \((\S+) – (\S+): first reading.*?max ([\d.]+) °C, in batch \*\*(DS-[\d-]+)\*\*", sec)
    minutes, start, end, top, batch = m.groups()
    rows.append([batch, start[:16], end[:16], minutes, top])
    rows.sort(key=lambda r: (r[1], r[0]))
    return (["lotNumber", "start", "end", "minutes", "extreme"],
            [[q(r[0]), q(r[1]), q(r[2]), r[3], r[4]] for r in rows])


def q19(planted, e):
    # Section 1 names the recalled lot (and two of its inputs); the ERP extract gives
    # every lot it derives from, at any depth, with the supplier lot and vendor.
    lot = re.search(r"for P2 lot \*\*(\S+?)\*\*", planted).group(1)
    rows = []
    for c, mat in sorted(closure(e["inputs"], lot).items()):
        b = e["batches"][c]
        sup = e["vendors"].get(b["LIFNR"], "")
        rows.append([q(c), q(mat), q(sup) if sup else "", q(b["LICHA"]) if b["LICHA"] else ""])
    return ["lotNumber", "material", "supplier", "supplierLot"], rows


def q20(planted, e):
    # Section 7: the production excursion (tag, start, batch); the ERP extract: the
    # finished (FERT) lots made from that batch's lot at any depth.
    sec = section(planted, "## 7.", "## 8.")
    m = re.search(r"\*\*BR-201\*\* temperature above PAR.*?\((\S+) – .*?in batch \*\*(DS-[\d-]+)\*\* \(tag `([^`]+)`", sec)
    start, batch, tag = m.groups()
    rows = [[q(c), q(batch), q(tag), q(start[:16]), q("TemperatureExcursion")]
            for c, mat in sorted(closure(e["consumers"], batch).items()) if e["mtart"][mat] == "FERT"]
    return ["lotNumber", "fromLot", "tag", "start", "kind"], rows


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: ground-truth.py RECORDS_DIR OUT_DIR")
    records, out = sys.argv[1], sys.argv[2]
    planted = open(os.path.join(records, "planted.md"), encoding="utf-8").read()
    e = erp(records)
    os.makedirs(out, exist_ok=True)
    for name, (header, rows) in {
        "16-recall-effectiveness": q16(planted),
        "17-oos-both-manufacturers": q17(planted),
        "18-temperature-excursions-per-lot": q18(planted),
        "19-recall-lot-genealogy-suppliers": q19(planted, e),
        "20-lots-from-excursion-batches": q20(planted, e),
    }.items():
        tsv(os.path.join(out, name + ".tsv"), header, rows)


if __name__ == "__main__":
    main()
