// SPDX-License-Identifier: Apache-2.0
// The query page of `weft serve` (engine/server/page/index.html) in headless
// Chromium, driven through playwright-core by its accessible labels. Every
// answer the page shows is compared with what `weft query` prints for the same
// query on the same store, never with values written here. Run by
// query_page_test.sh, which finds Chromium and Node, installs playwright-core
// outside the source tree, builds the store and writes the policy; it passes:
//   WEFT              the weft binary
//   WEFT_STORE        the store to serve (fixture.ttl + 130 paging rows)
//   WEFT_POLICY       the policy JSON with the two keys below
//   WEFT_TEST_KEY     a regulator's key (reads everything, writes nothing)
//   WEFT_WRITER_KEY   optional: a writer's key (may write graphs under EX + "graph/")
//   WEFT_SOURCE       the repository root (for the example question pack)
//   WEFT_BROWSER_DEPS the folder whose node_modules holds playwright-core
//   WEFT_CHROMIUM     the Chromium executable
//   WEFT_URL          optional: an already running server to test instead of
//                     starting `weft serve` (for working on the page)
import { createRequire } from "node:module";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const env = process.env;
for (const v of ["WEFT", "WEFT_STORE", "WEFT_TEST_KEY", "WEFT_SOURCE", "WEFT_BROWSER_DEPS", "WEFT_CHROMIUM"]) {
  if (!env[v]) { console.error(`FAIL: ${v} is not set (run query_page_test.sh)`); process.exit(1); }
}
const require = createRequire(path.join(env.WEFT_BROWSER_DEPS, "package.json"));
const { chromium } = require("playwright-core");
const KEY = env.WEFT_TEST_KEY;
const XSD = "http://www.w3.org/2001/XMLSchema#";
const EX = "https://example.org/browser-test/";
const QUERIES = path.join(env.WEFT_SOURCE, "examples/pharma-network/queries");

let pass = 0, fail = 0;
const ok = (msg) => { pass++; console.log("ok: " + msg); };
const bad = (msg) => { fail++; console.log("FAIL: " + msg); };
const check = (cond, msg, detail) => (cond ? ok(msg) : bad(msg + (detail ? ": " + detail : "")));

// ---- what `weft query` says
function weftQuery(query, format) {
  return execFileSync(env.WEFT, ["query", "--store", env.WEFT_STORE, "--format", format, query],
                      { encoding: "utf8", maxBuffer: 64 << 20 });
}
function weftError(query) {
  try {
    execFileSync(env.WEFT, ["query", "--store", env.WEFT_STORE, "--format", "tsv", query],
                 { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    return { status: e.status, message: String(e.stderr).trim() };
  }
  return { status: 0, message: "" };
}
// A term as written in SPARQL TSV results or N-Triples (the page's data-term
// attribute) to one comparable string: kind, lexical form, datatype, language
// tag (lower case: tags compare case-insensitively). Numbers and booleans that
// TSV abbreviates get their datatype back.
function canonical(s) {
  if (s === "") return "unbound";
  if (s.startsWith("<")) return "iri " + s.slice(1, -1);
  if (s.startsWith("_:")) return "bnode " + s.slice(2);
  if (/^[+-]?\d+$/.test(s)) return JSON.stringify(["lit", s, XSD + "integer", ""]);
  if (/^[+-]?\d*\.\d+$/.test(s)) return JSON.stringify(["lit", s, XSD + "decimal", ""]);
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(s)) return JSON.stringify(["lit", s, XSD + "double", ""]);
  if (s === "true" || s === "false") return JSON.stringify(["lit", s, XSD + "boolean", ""]);
  const m = /^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$/s.exec(s);
  if (!m) return "unparsed " + s;
  const lex = m[1].replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e) =>
    e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16))
                 : ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", '"': '"', "'": "'", "\\": "\\" })[e] ?? e);
  const lang = (m[2] || "").toLowerCase();
  const dt = lang ? "" : m[3] && m[3] !== XSD + "string" ? m[3] : "";
  return JSON.stringify(["lit", lex, dt, lang]);
}
// weft query --format tsv: {head: ["?a", ...], rows: [[canonical, ...], ...]}
function expectedTable(query) {
  const lines = weftQuery(query, "tsv").replace(/\n$/, "").split("\n");
  const head = lines[0].split("\t");
  return { head, rows: lines.slice(1).map((l) => l.split("\t").map(canonical)) };
}
const sameRows = (a, b, ordered) => {
  const key = (r) => JSON.stringify(r);
  const x = a.map(key), y = b.map(key);
  if (!ordered) { x.sort(); y.sort(); }
  return x.length === y.length && x.every((r, i) => r === y[i]);
};
function firstDifference(got, want) {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (JSON.stringify(got[i]) !== JSON.stringify(want[i])) {
      return `row ${i + 1}: page ${JSON.stringify(got[i])} vs weft query ${JSON.stringify(want[i])}`;
    }
  }
  return "";
}

// ---- the server
async function waitHealthy(url, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return false;
    try { if ((await fetch(url + "/health")).ok) return true; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
// `weft serve --port 0` on 127.0.0.1; the port chosen is read from --port-file.
async function startServer() {
  if (env.WEFT_URL) return { url: env.WEFT_URL.replace(/\/$/, ""), async stop() {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-serve-"));
  const log = path.join(dir, "serve.log"), portFile = path.join(dir, "port");
  const args = ["serve", "--store", env.WEFT_STORE, "--bind", "127.0.0.1", "--port", "0", "--port-file", portFile];
  if (env.WEFT_POLICY) args.push("--config", env.WEFT_POLICY);
  const out = fs.openSync(log, "a");
  const child = spawn(env.WEFT, args, { stdio: ["ignore", out, out] });
  // Stops the server and removes its folder, printing the end of its log first when asked.
  const stop = async (showLog) => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const late = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(late);
    }
    if (showLog) console.log("weft serve's log (end):\n" + fs.readFileSync(log, "utf8").slice(-2000));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200 && !fs.existsSync(portFile) && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, "utf8").trim() : "";
  const url = `http://127.0.0.1:${port}`;
  if (!port || !(await waitHealthy(url, child))) {
    await stop(true);
    throw new Error(`weft serve ${args.join(" ")} did not answer /health (its log is above)`);
  }
  return { url, stop };
}

// ---- the page
async function runAndWait(page, how = "click") {
  if (how === "click") await page.getByRole("button", { name: "Run", exact: true }).click();
  else await page.getByLabel("SPARQL query").press("Control+Enter");
  await page.waitForFunction(() => !document.getElementById("run").disabled &&
                                   !/Running|Updating/.test(document.getElementById("status").textContent));
}
async function typeQuery(page, text) { await page.getByLabel("SPARQL query").fill(text); }
async function shownHead(page) {
  return page.getByRole("table", { name: "Result table" }).locator("thead th[data-var]")
    .evaluateAll((ths) => ths.map((th) => th.textContent));
}
async function shownRows(page) {  // the rows of the page of the table on screen
  return page.getByRole("table", { name: "Result table" }).locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td[data-term]")].map((td) => td.dataset.term)));
}
async function allRows(page) {  // every page, through "Next page"
  const rows = [];
  const next = page.getByRole("button", { name: "Next page" });
  for (let i = 0; i < 1000; i++) {
    rows.push(...(await shownRows(page)).map((r) => r.map(canonical)));
    if (await next.isDisabled()) break;
    await next.click();
  }
  return rows;
}
async function status(page) { return (await page.locator("#status").textContent()).trim(); }
async function alertText(page) {
  const a = page.getByRole("alert");
  return (await a.isVisible()) ? (await a.textContent()).trim() : "";
}
// Compares the table on the page (every page of it) with weft query's answer.
async function compareTable(page, what, want, { ordered, minRows = 1 }) {
  const head = await shownHead(page);
  check(JSON.stringify(head) === JSON.stringify(want.head), `${what}: header ${head.join(" ")}`,
        `weft query prints ${want.head.join(" ")}`);
  const got = await allRows(page);
  check(sameRows(got, want.rows, ordered) && got.length >= minRows,
        `${what}: ${got.length} rows equal to weft query's${ordered ? " (in order)" : ""}`,
        `weft query has ${want.rows.length} rows (at least ${minRows} wanted); ${firstDifference(got, want.rows)}`);
  const st = await status(page);
  check(new RegExp(`^${want.rows.length.toLocaleString("en")} rows? in `).test(st),
        `${what}: status line "${st}"`, `${want.rows.length} rows expected`);
}

// ---- the queries, and what weft query answers (asked before the server has the store open)
const RDFS = "http://www.w3.org/2000/01/rdf-schema#";
const files = fs.readdirSync(QUERIES).filter((f) => f.endsWith(".rq")).sort();
const example = { name: files[0].slice(0, -3), text: fs.readFileSync(path.join(QUERIES, files[0]), "utf8") };
const literals = `PREFIX ex: <${EX}>\nSELECT ?p ?o WHERE { ex:odd ?p ?o }`;
const paging = `PREFIX ex: <${EX}>\nPREFIX rdfs: <${RDFS}>\n` +
               "SELECT ?item ?index ?label WHERE { ?item ex:index ?index ; rdfs:label ?label } ORDER BY ?index";
const bare = "SELECT ?name ?licence WHERE {\n  ?r dt:licenceNumber ?licence ; rdfs:label ?name\n} ORDER BY ?licence";
const completed = `PREFIX dt: <https://w3id.org/weft/dt#>\nPREFIX rdfs: <${RDFS}>\n` + bare;
const ask = `ASK { <${EX}item7> <${EX}index> 7 }`;
const construct = `PREFIX rdfs: <${RDFS}>\n` +
                  `CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l ; <${EX}index> ?i FILTER(?i < 4) }`;
const broken = "SELECT * WHERE {\n  ?s ?p ?o\n";
const expected = {
  example: expectedTable(example.text),
  literals: expectedTable(literals),
  paging: expectedTable(paging),
  pagingCsv: weftQuery(paging, "csv"),
  completed: expectedTable(completed),
  ask: weftQuery(ask, "tsv").trim().split("\n").pop(),
  constructNt: weftQuery(construct, "nt"),
  broken: weftError(broken),
};

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: env.WEFT_CHROMIUM, headless: true,
                                          args: ["--no-sandbox"] });
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const scriptErrors = [];
    page.on("pageerror", (e) => scriptErrors.push(String(e)));
    await page.goto(server.url + "/");

    // 1. The page, the server's health, the key kept in sessionStorage.
    check((await page.title()).includes("weft"), "GET / serves the query page");
    await page.waitForFunction(() => document.getElementById("health").className !== "");
    const health = await page.getByRole("status", { name: "Server status" }).textContent();
    check(/^server ok\b/.test(health), `the page reports the server healthy: "${health}"`, health);
    await page.getByLabel("API key").fill(KEY);
    await page.getByLabel("API key").press("Tab");
    await page.reload();
    check((await page.getByLabel("API key").inputValue()) === KEY, "the key survives a reload (sessionStorage)");

    // 2. The examples dropdown lists the question pack; picking one fills the editor.
    const select = page.getByLabel("Example");
    await page.waitForFunction((n) => document.getElementById("examples").options.length > n, files.length,
                               { timeout: 10000 }).catch(() => {});
    const options = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    check(JSON.stringify(options) === JSON.stringify(files.map((f) => f.slice(0, -3))),
          `the examples dropdown lists the ${files.length} questions of the pack`, options.join(" "));
    await select.selectOption(example.name);
    check((await page.getByLabel("SPARQL query").inputValue()) === example.text,
          `picking ${example.name} puts its query in the editor`);
    const question = (/^# Question:\s*(.*)$/m.exec(example.text) || [])[1] || "";
    check((await page.locator("#example-title").textContent()) === question, "and shows its question");

    // 3. Run it; the table is weft query's answer.
    await runAndWait(page);
    check(await page.getByRole("table", { name: "Result table" }).isVisible(), `${example.name}: results table shown`,
          await alertText(page));
    await compareTable(page, example.name, expected.example, { ordered: true });
    const [srj] = await Promise.all([page.waitForEvent("download"),
                                     page.getByRole("button", { name: "Download JSON" }).click()]);
    check(new RegExp(`^${example.name}-\\d{8}-\\d{6}\\.json$`).test(srj.suggestedFilename()),
          "a download is named after the example: " + srj.suggestedFilename());

    // 4. Typed query, Ctrl+Enter, literals of every kind; IRIs shortened by the query's prefixes.
    await typeQuery(page, literals);
    await runAndWait(page, "keyboard");
    await compareTable(page, "Ctrl+Enter, literals", expected.literals, { ordered: false });
    const cells = await page.getByRole("table", { name: "Result table" }).locator("tbody td[data-term]")
      .evaluateAll((tds) => tds.map((td) => [td.dataset.term, td.textContent]));
    const text = `<${EX}text>`;
    const shown = (cells.find(([t]) => t === text) || [])[1];
    check(shown === "ex:text", "IRIs are shortened with the query's prefixes", shown);
    const day = cells.find(([t]) => t.includes(XSD + "date>"));
    check(day && day[1] === "2025-03-01 ^^xsd:date", "a literal's datatype is shown (prefixed)", day && day[1]);
    const lang = cells.find(([t]) => /"colour"@/.test(t));
    check(lang && /^colour@en-gb$/i.test(lang[1]), "a literal's language tag is shown", lang && lang[1]);

    // 5. Paging: 130 rows, 50 a page.
    await typeQuery(page, paging);
    await runAndWait(page);
    const info = page.locator("#page-info");
    check((await info.textContent()).startsWith("Rows 1–50 of 130"), "paging: first page is rows 1–50 of 130",
          await info.textContent());
    check(await page.getByRole("button", { name: "Previous page" }).isDisabled(), "paging: no previous page at first");
    check((await shownRows(page)).length === 50, "paging: 50 rows on the first page");
    await compareTable(page, "paging (every page read through Next page)", expected.paging,
                       { ordered: true, minRows: 51 });
    check((await info.textContent()).startsWith("Rows 101–130 of 130"), "paging: last page is rows 101–130",
          await info.textContent());
    check((await shownRows(page)).length === 30 && await page.getByRole("button", { name: "Next page" }).isDisabled(),
          "paging: 30 rows on the last page, no next page");
    await page.getByRole("button", { name: "Previous page" }).click();
    check((await info.textContent()).startsWith("Rows 51–100 of 130"), "paging: Previous page goes back to rows 51–100");

    // 6. Download CSV: the same query again, as text/csv, saved as a file.
    const [csv] = await Promise.all([page.waitForEvent("download"),
                                     page.getByRole("button", { name: "Download CSV" }).click()]);
    const saved = fs.readFileSync(await csv.path(), "utf8");
    check(/^query-\d{8}-\d{6}\.csv$/.test(csv.suggestedFilename()), "download file name " + csv.suggestedFilename());
    check(saved === expected.pagingCsv, "the downloaded CSV equals weft query --format csv", saved.slice(0, 200));

    // 7. The prefixes helper adds the PREFIX lines the query needs, and only those.
    await typeQuery(page, bare);
    await page.getByRole("button", { name: "Add missing prefixes" }).click();
    const withPrefixes = await page.getByLabel("SPARQL query").inputValue();
    const declared = [...withPrefixes.matchAll(/^PREFIX\s+(\w+):\s*<([^>]*)>/gm)].map((m) => m[1] + " " + m[2]).sort();
    check(JSON.stringify(declared) === JSON.stringify(["dt https://w3id.org/weft/dt#", "rdfs " + RDFS]),
          "Add missing prefixes declares dt: and rdfs:", withPrefixes);
    await runAndWait(page);
    await compareTable(page, "query completed by the prefixes helper", expected.completed, { ordered: true });
    await page.getByRole("button", { name: "Add missing prefixes" }).click();
    check((await page.getByLabel("SPARQL query").inputValue()) === withPrefixes, "a second click adds nothing");

    // 8. ASK and CONSTRUCT.
    await typeQuery(page, ask);
    await runAndWait(page);
    const askShown = await page.getByLabel("ASK result").textContent();
    check(askShown === expected.ask, `ASK shows ${expected.ask}`, askShown);
    await typeQuery(page, construct);
    await runAndWait(page);
    const turtle = (await page.getByLabel("Result graph (Turtle)").textContent()).trim();
    check(turtle.includes("rdfs:label") && turtle.includes('"Item 3"'), "CONSTRUCT is shown as Turtle", turtle);
    const [nt] = await Promise.all([page.waitForEvent("download"),
                                    page.getByRole("button", { name: "Download N-Triples" }).click()]);
    const lines = (s) => s.split("\n").filter((l) => l.trim()).sort().join("\n");
    const ntSaved = fs.readFileSync(await nt.path(), "utf8");
    check(lines(ntSaved) === lines(expected.constructNt) && lines(ntSaved) !== "",
          "the downloaded N-Triples equal weft query --format nt", ntSaved.slice(0, 300));

    // 9. A syntax error: 400 and the parser's message with its line:column; the line is marked.
    await typeQuery(page, broken);
    await runAndWait(page);
    const err = await alertText(page);
    const pos = (/(\d+):(\d+)/.exec(expected.broken.message) || []);
    check(expected.broken.status === 2 && pos[0], `weft query refuses the broken query at ${pos[0]}`,
          expected.broken.message);
    check(err.includes("400") && pos[0] && err.includes(pos[0]), "the page shows 400 and the line:column", err);
    const marked = await page.locator("#gutter .bad").textContent({ timeout: 2000 }).catch(() => "");
    check(pos[1] && marked.trim() === pos[1], `the gutter marks line ${pos[1]}`, marked);

    // 10. Updates go out as application/sparql-update: refused for a regulator's key (403),
    // done for a writer's, whose new triple the next query sees.
    const insert = `INSERT DATA { GRAPH <${EX}graph/page> { <${EX}added> <${RDFS}label> "added by the page" } }`;
    await typeQuery(page, insert);
    await runAndWait(page);
    const refused = await alertText(page);
    check(refused.includes("403"), "an update with a regulator's key shows 403", refused);
    if (env.WEFT_WRITER_KEY) {
      await page.getByLabel("API key").fill(env.WEFT_WRITER_KEY);
      await runAndWait(page);
      const st = await status(page);
      check(/^Update done in .*\b1 quad inserted/.test(st) && !(await alertText(page)),
            `an update with a writer's key: "${st}"`, await alertText(page));
      await typeQuery(page, `ASK { GRAPH <${EX}graph/page> { <${EX}added> ?p "added by the page" } }`);
      await runAndWait(page);
      check((await page.getByLabel("ASK result").textContent()) === "true", "the next query sees the update");
    }

    // 11. A wrong key and no key: 401 shown, no stale results.
    await page.getByLabel("API key").fill("not-the-key");
    await typeQuery(page, "SELECT * WHERE { ?s ?p ?o } LIMIT 1");
    await runAndWait(page);
    check((await alertText(page)).includes("401"), "a wrong key shows 401", await alertText(page));
    check(await page.locator("#results").isHidden(), "and no stale results stay on screen");
    await page.getByLabel("API key").fill("");
    await runAndWait(page);
    check((await alertText(page)).includes("401"), "no key shows 401", await alertText(page));

    check(scriptErrors.length === 0, "no script errors on the page", scriptErrors.join("; "));
  } finally {
    await browser.close();
    await server.stop(fail > 0);
  }
}

main().then(() => {
  console.log(`query page (browser): ${pass} passed, ${fail} failed`);
  process.exit(fail === 0 && pass > 0 ? 0 : 1);
}, (e) => {
  console.log(`FAIL: ${e.stack || e}`);
  console.log(`query page (browser): ${pass} passed, ${fail + 1} failed`);
  process.exit(1);
});
