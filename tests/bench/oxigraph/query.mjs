// SPDX-License-Identifier: Apache-2.0
// The Oxigraph peer of tests/bench/query_bench.sh, and the result normaliser
// the benchmark uses to compare answers between engines.
//
//   node query.mjs run --data FILE --out DIR [--runs K] [--warmup W] Q.rq...
//       Loads FILE (N-Triples, or any syntax by extension) once into a new
//       in-memory Store, then runs every query W times untimed (default 1)
//       and K times timed (default 5). Each timed run is Store.query with
//       results_format "tsv": evaluation and serialisation of every row, in
//       the wasm module. Prints one JSON line per query
//       {query, rows, ms: [...], median_ms} (or {query, error}) and writes the
//       answer of the last run, normalised (see below), to DIR/NAME.rows.
//       The first line printed is {load_seconds, triples, version}.
//
//   node query.mjs canon --from tsv|json IN OUT
//       Normalises one result document: SPARQL 1.1 TSV
//       (https://www.w3.org/TR/sparql11-results-csv-tsv/, weft's output) or
//       SPARQL 1.1 JSON (https://www.w3.org/TR/sparql11-results-json/,
//       Virtuoso's output; its legacy "typed-literal" is accepted) to OUT.
//       Prints {rows} as JSON.
//
// The normalised form ("rows file"): the first line holds the variable names
// (no "?") separated by tabs; then one line per solution, one column per
// variable, empty when unbound. Terms are written as N-Triples terms, with
// what legitimately differs between engines taken out, so that equal answers
// give equal bytes:
//   - IRIs as <...>; blank nodes as "_:" (labels are not comparable);
//   - simple literals and xsd:string literals as "..." (N-Triples escapes);
//     language tags in lower case;
//   - xsd:integer, xsd:decimal, xsd:double/float, xsd:boolean, xsd:date and
//     xsd:dateTime by value in one canonical lexical form: an engine may
//     return "3.40"^^xsd:decimal (the stored term) where another returns
//     "3.4"; fraction digits of seconds without trailing zeros; a zero
//     time-zone offset as "Z". Doubles are compared to 15 significant digits.
// The benchmark compares rows files as multisets (sorted) or, for queries
// whose result order is defined, line by line.

import { openSync, readSync, closeSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { basename } from "node:path";
import { createRequire } from "node:module";

const XSD = "http://www.w3.org/2001/XMLSchema#";
const MIME_BY_EXT = {
  nt: "application/n-triples",
  ttl: "text/turtle",
  nq: "application/n-quads",
  trig: "application/trig",
};

function usage() {
  console.error(
    "usage: node query.mjs run --data FILE --out DIR [--runs K] [--warmup W] Q.rq...\n" +
      "       node query.mjs canon --from tsv|json IN OUT",
  );
  process.exit(2);
}

// ------------------------------------------------------------ terms
function quote(s) {
  let out = '"';
  for (const c of s) {
    switch (c) {
      case "\\": out += "\\\\"; break;
      case '"': out += '\\"'; break;
      case "\n": out += "\\n"; break;
      case "\r": out += "\\r"; break;
      case "\t": out += "\\t"; break;
      default: out += c;
    }
  }
  return out + '"';
}

function canonInteger(s) {
  const m = /^\s*([+-]?)0*(\d+)\s*$/.exec(s);
  if (!m) return null;
  return (m[1] === "-" && m[2] !== "0" ? "-" : "") + m[2];
}

function canonDecimal(s) {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const int = m[2].replace(/^0+/, "") || "0";
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const neg = m[1] === "-" && !(int === "0" && frac === "");
  return (neg ? "-" : "") + int + "." + (frac || "0");
}

function canonDouble(s) {
  const t = s.trim();
  if (t === "INF" || t === "+INF") return "INF";
  if (t === "-INF") return "-INF";
  if (t === "NaN") return "NaN";
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const x = Number(t);
  if (x === 0) return "0.0E0";
  const e = Number(x.toPrecision(15)).toExponential(); // e.g. 1.25e+1
  const [mant, exp] = e.split("e");
  return (mant.includes(".") ? mant : mant + ".0") + "E" + Number(exp);
}

function canonZone(z) {
  if (!z) return "";
  if (z === "Z" || z === "+00:00" || z === "-00:00") return "Z";
  return z;
}

function canonDateTime(s) {
  const m = /^(-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d*)?(Z|[+-]\d\d:\d\d)?$/.exec(s.trim());
  if (!m) return null;
  const frac = (m[2] ?? "").replace(/0+$/, "").replace(/\.$/, "");
  return m[1] + frac + canonZone(m[3]);
}

function canonDate(s) {
  const m = /^(-?\d{4,}-\d\d-\d\d)(Z|[+-]\d\d:\d\d)?$/.exec(s.trim());
  if (!m) return null;
  return m[1] + canonZone(m[2]);
}

// A term {type: "uri"|"bnode"|"literal", value, lang?, datatype?} or null.
function canonTerm(t) {
  if (!t) return "";
  if (t.type === "uri") return "<" + t.value + ">";
  if (t.type === "bnode") return "_:";
  const v = t.value;
  if (t.lang) return quote(v) + "@" + t.lang.toLowerCase();
  const dt = t.datatype;
  if (!dt || dt === XSD + "string") return quote(v);
  let c = null;
  switch (dt) {
    case XSD + "integer": c = canonInteger(v); break;
    case XSD + "decimal": c = canonDecimal(v); break;
    case XSD + "double":
    case XSD + "float": c = canonDouble(v); break;
    case XSD + "boolean": c = v === "1" || v === "true" ? "true" : v === "0" || v === "false" ? "false" : null; break;
    case XSD + "dateTime": c = canonDateTime(v); break;
    case XSD + "date": c = canonDate(v); break;
    default: break;
  }
  return quote(c ?? v) + "^^<" + dt + ">";
}

// ------------------------------------------------------------ TSV
// One TSV field (a term in SPARQL/Turtle syntax) to a term object.
function unescapeTsv(s) {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e) => {
    switch (e[0]) {
      case "t": return "\t";
      case "n": return "\n";
      case "r": return "\r";
      case "b": return "\b";
      case "f": return "\f";
      case "u":
      case "U": return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e; // \" \' \\
    }
  });
}

function parseTsvTerm(f) {
  if (f === "") return null;
  if (f.startsWith("<") && f.endsWith(">")) return { type: "uri", value: unescapeTsv(f.slice(1, -1)) };
  if (f.startsWith("_:")) return { type: "bnode", value: f.slice(2) };
  if (f.startsWith('"')) {
    // Find the closing quote: the first unescaped '"'.
    let i = 1;
    while (i < f.length && f[i] !== '"') i += f[i] === "\\" ? 2 : 1;
    const value = unescapeTsv(f.slice(1, i));
    const rest = f.slice(i + 1);
    if (rest.startsWith("@")) return { type: "literal", value, lang: rest.slice(1) };
    if (rest.startsWith("^^<") && rest.endsWith(">")) return { type: "literal", value, datatype: rest.slice(3, -1) };
    if (rest === "") return { type: "literal", value };
    throw new Error(`unreadable TSV term: ${f}`);
  }
  if (/^[+-]?\d+$/.test(f)) return { type: "literal", value: f, datatype: XSD + "integer" };
  if (/^[+-]?\d*\.\d+$/.test(f)) return { type: "literal", value: f, datatype: XSD + "decimal" };
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(f)) return { type: "literal", value: f, datatype: XSD + "double" };
  if (f === "true" || f === "false") return { type: "literal", value: f, datatype: XSD + "boolean" };
  throw new Error(`unreadable TSV term: ${f}`);
}

// A TSV result document to the rows-file text; returns {text, rows}.
function canonTsv(doc) {
  const lines = doc.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new Error("empty TSV document (no header line)");
  const header = lines[0].replace(/\r$/, "");
  const vars = header === "" ? [] : header.split("\t").map((v) => v.replace(/^[?$]/, ""));
  const out = [vars.join("\t")];
  for (let k = 1; k < lines.length; ++k) {
    const line = lines[k].replace(/\r$/, "");
    const fields = vars.length === 0 ? [] : line.split("\t");
    if (fields.length !== vars.length) throw new Error(`TSV line ${k + 1} has ${fields.length} fields, header has ${vars.length}`);
    out.push(fields.map((f) => canonTerm(parseTsvTerm(f))).join("\t"));
  }
  return { text: out.join("\n") + "\n", rows: out.length - 1 };
}

// ------------------------------------------------------------ JSON
function canonJson(doc) {
  const j = JSON.parse(doc);
  if (typeof j.boolean === "boolean") return { text: "\n" + String(j.boolean) + "\n", rows: 1 };
  const vars = j.head?.vars ?? [];
  const out = [vars.join("\t")];
  for (const b of j.results?.bindings ?? []) {
    out.push(
      vars
        .map((v) => {
          const t = b[v];
          if (!t) return "";
          const type = t.type === "typed-literal" ? "literal" : t.type;
          return canonTerm({ type, value: t.value, lang: t["xml:lang"], datatype: t.datatype });
        })
        .join("\t"),
    );
  }
  return { text: out.join("\n") + "\n", rows: out.length - 1 };
}

// ------------------------------------------------------------ run
function* chunks(path, size = 4 << 20) {
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const n = readSync(fd, buf, 0, size, null);
      if (n <= 0) return;
      yield n === size ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? null : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

async function run(args) {
  let data = null;
  let out = null;
  let runs = 5;
  let warmup = 1;
  const queries = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--data") data = args[++i];
    else if (args[i] === "--out") out = args[++i];
    else if (args[i] === "--runs") runs = Number(args[++i]);
    else if (args[i] === "--warmup") warmup = Number(args[++i]);
    else if (args[i].startsWith("--")) usage();
    else queries.push(args[i]);
  }
  if (!data || !out || !(runs >= 1) || !(warmup >= 0)) usage();
  const format = MIME_BY_EXT[data.split(".").pop().toLowerCase()];
  if (!format) {
    console.error(`unknown extension of ${data}`);
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });

  const { default: oxigraph } = await import("oxigraph");
  const require = createRequire(import.meta.url);
  const version = require("oxigraph/package.json").version;
  const store = new oxigraph.Store();
  const t0 = process.hrtime.bigint();
  store.load(chunks(data), { format });
  const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ version, triples: store.size, load_seconds: Number(loadSeconds.toFixed(3)) }));

  for (const q of queries) {
    const name = basename(q).replace(/\.rq$/, "");
    const text = readFileSync(q, "utf8");
    try {
      let result = "";
      for (let i = 0; i < warmup; i++) result = store.query(text, { results_format: "tsv" });
      const ms = [];
      for (let i = 0; i < runs; i++) {
        const a = process.hrtime.bigint();
        result = store.query(text, { results_format: "tsv" });
        ms.push(Number(process.hrtime.bigint() - a) / 1e6);
      }
      if (typeof result !== "string") throw new Error("not a SELECT query");
      const c = canonTsv(result);
      writeFileSync(`${out}/${name}.rows`, c.text);
      console.log(JSON.stringify({ query: name, rows: c.rows, ms: ms.map((x) => Number(x.toFixed(3))), median_ms: Number(median(ms).toFixed(3)) }));
    } catch (e) {
      console.log(JSON.stringify({ query: name, error: String(e?.message ?? e).split("\n")[0] }));
    }
  }
}

function canon(args) {
  let from = null;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--from") from = args[++i];
    else files.push(args[i]);
  }
  if ((from !== "tsv" && from !== "json") || files.length !== 2) usage();
  const doc = readFileSync(files[0], "utf8");
  const c = from === "tsv" ? canonTsv(doc) : canonJson(doc);
  writeFileSync(files[1], c.text);
  console.log(JSON.stringify({ rows: c.rows }));
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "run") await run(rest);
else if (mode === "canon") {
  try {
    canon(rest);
  } catch (e) {
    console.error(String(e?.message ?? e));
    process.exit(1);
  }
} else usage();
