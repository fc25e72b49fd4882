// SPDX-License-Identifier: Apache-2.0
// The Oxigraph peer of tests/bench/load_bench.sh: loads one RDF file into an
// in-memory Oxigraph store (npm package "oxigraph", Store.load) and prints one
// JSON line: {tool, version, file, format, triples, seconds, rss_peak_bytes,
// rss_bytes, heap}.
//
//   node load.mjs FILE [--format MIME]
//
// The file is streamed to Store.load in 4 MiB chunks (an iterable of
// Uint8Array), so files larger than V8's maximum string length work.
// The format is a MIME type, chosen from the file extension unless given.

import { openSync, readSync, closeSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import oxigraph from "oxigraph";

const MIME_BY_EXT = {
  nt: "application/n-triples",
  ttl: "text/turtle",
  nq: "application/n-quads",
  trig: "application/trig",
  rdf: "application/rdf+xml",
};

function usage() {
  console.error("usage: node load.mjs FILE [--format MIME]");
  process.exit(2);
}

const args = process.argv.slice(2);
let file = null;
let format = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--format") format = args[++i];
  else if (!file) file = args[i];
  else usage();
}
if (!file) usage();
if (!format) {
  const ext = file.split(".").pop().toLowerCase();
  format = MIME_BY_EXT[ext];
  if (!format) {
    console.error(`unknown extension .${ext}; pass --format MIME`);
    process.exit(2);
  }
}

// Peak and current resident set size from /proc (Linux), in bytes.
function procStatusBytes(field) {
  try {
    const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

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

const require = createRequire(import.meta.url);
const version = require("oxigraph/package.json").version;

const store = new oxigraph.Store();
const t0 = process.hrtime.bigint();
store.load(chunks(file), { format });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const triples = store.size;
const mem = process.memoryUsage();

console.log(
  JSON.stringify({
    tool: "oxigraph",
    version,
    file,
    format,
    triples,
    seconds: Number(seconds.toFixed(3)),
    rss_peak_bytes: procStatusBytes("VmHWM"),
    rss_bytes: procStatusBytes("VmRSS") ?? mem.rss,
    heap: {
      heap_used_bytes: mem.heapUsed,
      heap_total_bytes: mem.heapTotal,
      external_bytes: mem.external,
      array_buffers_bytes: mem.arrayBuffers,
    },
  }),
);
