// `make bench`: Spanwright and @recogito/text-annotator 4.1.1 on the same synthetic workload,
// in the same headless Chromium, in the same run. Prints a table; writes target/bench.json.
//   node bench/run.mjs [--chars 200000] [--spans 10000] [--relations 1000] [--seed 42] [--tries 30]
//                      [--articles 2000] [--article-chars 5000] [--corpus-spans 100000]
//                      [--only start,large,edit,find,suggest,switch,files,corpus,agreement,peer,session]
// Ratios from one run hold on a noisy machine; absolute times do not. Nothing here asserts but
// the scripted session's outcome (see "session" below).
import { chromium } from "@playwright/test";
import { createServer } from "node:http";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, extname } from "node:path";
import { tmpdir, cpus, loadavg } from "node:os";
import { DOC_ID, workload, spanwrightWorkspace, agreementWorkspace, secondAnnotator, peerAnnotations } from "./data.mjs";
import { corpus } from "./corpus.mjs";
import { runSession, seedStorage } from "./session.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), a === "--only" ? all[i + 1] : Number(all[i + 1])]] : acc), []),
);
const { only, ...numbers } = args;
const params = { chars: 200_000, spans: 10_000, relations: 1_000, seed: 42, tries: 30, articles: 2000, "article-chars": 5000, "corpus-spans": 100_000, ...numbers };
// --only runs some groups of rows (comma-separated), for a quicker loop while working on them:
// start, large, edit, find, suggest, switch, files, corpus (import included), import, agreement,
// peer, session.
const groups = only ? new Set(only.split(",")) : null;
const want = (...names) => !groups || names.some((n) => groups.has(n));
const root = new URL("..", import.meta.url).pathname;
// Where the run is, on standard error: a run takes minutes, and one that waits shows where.
const began = Date.now();
let steps = 0;
const step = (...groups) => console.error(`bench: ${((Date.now() - began) / 1000).toFixed(0)} s, step ${++steps} (${groups.join(", ")})`);
const dist = join(root, "dist");
const peerDir = join(root, "node_modules/@recogito/text-annotator/dist");

// ---- data
const w = workload(params);
const wsJson = JSON.stringify(spanwrightWorkspace(w));
const record = `{"storage":2,"generation":1,"saved_at":"2026-01-01T00:00:00Z","workspace":${wsJson}}`;
const peerData = peerAnnotations(w);
const uploadDir = mkdtempSync(join(tmpdir(), "spanwright-bench-"));
writeFileSync(join(uploadDir, "bench-workspace.json"), wsJson);

// ---- server: the app under /app/, the peer under /peer/
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml", ".png": "image/png" };
const server = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  let file = null;
  if (path.startsWith("/app/")) file = join(dist, path.slice(5) || "index.html");
  else if (path === "/peer/") file = join(root, "bench/peer.html");
  else if (path.startsWith("/peer/")) file = join(peerDir, path.slice(6));
  try {
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--enable-precise-memory-info", "--js-flags=--expose-gc", "--disable-background-networking"],
});

// The median of each list of measures from `from` to `to`.
const slicedMedians = (m, from, to) => Object.fromEntries(Object.entries(m).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, median(v.slice(from, to))]));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] : NaN; };

async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const heap = metrics.find((m) => m.name === "JSHeapUsedSize").value;
  const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? 0);
  return { heap, wasm };
}

// In-page probes for the app: when the big article is drawn, and per key press the script
// time (until the tasks it started are done) and the time to the next frame.
const probes = (rec) => {
  addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm));
  if (rec) {
    localStorage.setItem("spanwright.workspace", rec);
    localStorage.setItem("spanwright.generation", "1");
  }
  window.__events = [];
  // Event Timing: for each key press and click, the handlers' time (processingStart to
  // processingEnd, which includes the microtasks where Yew renders) and the duration from
  // the input to the next paint. Events under 16 ms in all are not reported by the API;
  // the fallback below times those: to the end of the task that handled them, and to the
  // frame after.
  window.__timing = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "keydown" || e.name === "click") window.__timing.push({ type: e.name, start: e.startTime, handler: e.processingEnd - e.processingStart, duration: e.duration });
  }).observe({ type: "event", durationThreshold: 16, buffered: true });
  const after = (cb) => { const ch = new MessageChannel(); ch.port1.onmessage = cb; ch.port2.postMessage(0); };
  for (const type of ["keydown", "click"]) {
    addEventListener(type, (e) => { window.__t0 = performance.now(); window.__stamp = e.timeStamp; }, true);
    addEventListener(type, () => {
      const t0 = window.__t0, stamp = window.__stamp;
      after(() => {
        const script = performance.now() - t0;
        requestAnimationFrame(() => after(() => window.__events.push({ type, stamp, script, paint: performance.now() - stamp })));
      });
    });
  }
  // When an article's text is first painted (any article): for the corpus's cold starts.
  new MutationObserver((_, obs) => {
    if (document.querySelector(".article-text .seg")) {
      obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__articlePainted = performance.now())));
    }
  }).observe(document, { childList: true, subtree: true });
  window.__drawn = new Promise((done) => {
    const check = () => {
      const h = document.querySelector("#article-title");
      if (h && h.textContent === "Benchmark article" && document.querySelectorAll(".article-text .seg").length > 0) {
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
        return true;
      }
    };
    new MutationObserver((_, obs) => check() && obs.disconnect()).observe(document, { childList: true, subtree: true });
  });
};

async function appPage(withData) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true, serviceWorkers: "block" });
  const page = await context.newPage();
  await page.addInitScript(probes, withData ? record : null);
  page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

const results = { params: { chars: w.text.length, spans: w.spans.length, relations: w.relations.length, seed: params.seed, tries: params.tries } };

// ---- sizes
const sizes = readdirSync(dist).filter((f) => /\.(wasm|js|css|html|webmanifest)$/.test(f) && f !== "sw.js").map((f) => {
  const b = readFileSync(join(dist, f));
  return { file: f, raw: b.length, gzip: gzipSync(b, { level: 9 }).length };
});
results.sizes = sizes;

// ---- first paint, empty storage (5 loads)
if (want("start")) {
  step("start");
  const fcp = [], ready = [];
  for (let i = 0; i < 5; i++) {
    const page = await appPage(false);
    await page.goto(`${base}/app/`);
    await page.getByRole("article").waitFor();
    await page.waitForFunction(() => document.querySelector(".article-text")?.textContent.length > 0);
    ready.push(await page.evaluate(() => performance.now()));
    fcp.push(await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN));
    await page.context().close();
  }
  results.firstPaint = { fcp: median(fcp), articleShown: median(ready) };
}

// ---- the large article from a cold start (5 loads), then interactions on the last one.
// The workload is seeded as the release before IndexedDB left it, in localStorage: the first
// start moves it to IndexedDB (timed apart); then 5 starts with the HTTP cache cleared read it
// from IndexedDB.
async function coldReload(p) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send("Network.clearBrowserCache");
  await cdp.detach();
  await p.reload();
}
let page;
if (want("large", "edit", "find", "suggest", "switch", "files")) {
  step("large", "edit", "find", "suggest", "switch", "files");
  const drawn = [], load = [], read = [];
  page = await appPage(true);
  await page.goto(`${base}/app/#/doc/${DOC_ID}`);
  const moved = await page.evaluate(() => window.__drawn);
  const moving = await page.evaluate(() => performance.getEntriesByName("spanwright:load")[0]?.duration);
  const movedSaid = await page.locator(".status").first().textContent();
  for (let i = 0; i < 5; i++) {
    await coldReload(page);
    drawn.push(await page.evaluate(() => window.__drawn));
    load.push(await page.evaluate(() => performance.getEntriesByName("spanwright:load")[0]?.duration));
    read.push(await page.evaluate(() => performance.getEntriesByName("spanwright:load:idb")[0]?.duration));
  }
  const count = await page.evaluate(() => document.querySelectorAll(".article-text .seg").length);
  if (count === 0) throw new Error("the benchmark article shows no spans: was the workspace refused?");
  results.large = {
    drawn: median(drawn),
    load: median(load),
    read: median(read),
    migration: { drawn: moved, load: moving, said: movedSaid },
    dom: await page.evaluate(() => document.getElementsByTagName("*").length),
    domInText: await page.evaluate(() => document.querySelectorAll(".article-text *").length),
    domInList: await page.evaluate(() => document.querySelectorAll(".annotations *").length),
    memory: await memory(page),
  };
}

// ---- add, delete, undo: 30 tries each, on the large article
async function pressTimed(key) {
  const before = await page.evaluate(() => window.__events.length);
  await page.keyboard.press(key);
  await page.waitForFunction((n) => window.__events.length > n, before);
  return page.evaluate(() => window.__events.at(-1));
}
if (want("large", "edit")) {
  step("large", "edit");
  const add = [], del = [], undo = [];
  await page.evaluate(() => performance.clearMeasures());
  const cdp = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
  }
  for (let i = 0; i < params.tries; i++) {
    // Select three words somewhere in the visible part of the article.
    await page.evaluate((i) => {
      const root = document.querySelector(".article-text");
      const visible = [...root.querySelectorAll("span[data-s]")].filter((s) => {
        const r = s.getBoundingClientRect();
        return r.top > 120 && r.bottom < innerHeight - 20 && s.textContent.trim().length > 8;
      });
      if (!visible.length) throw new Error("no text segment in view to select");
      const seg = visible[(i * 7) % visible.length];
      const node = seg.firstChild;
      getSelection().setBaseAndExtent(node, 1, node, node.data.length - 1);
      root.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    }, i);
    add.push(await pressTimed("q"));
    del.push(await pressTimed("Delete"));
    undo.push(await pressTimed("Control+z"));
  }
  if (cdp) {
    const { profile } = await cdp.send("Profiler.stop");
    const self = {};
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas;
    profile.samples.forEach((id, i) => {
      const n = byId.get(id);
      const key = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}`;
      self[key] = (self[key] ?? 0) + (dt[i] ?? 0) / 1000;
    });
    console.error(Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`).join("\n"));
  }
  await page.waitForTimeout(600); // the last save runs after a short delay
  const saves = await page.evaluate(() => performance.getEntriesByName("spanwright:save").map((m) => m.duration));
  const writes = await page.evaluate(() => performance.getEntriesByName("spanwright:save:write").map((m) => m.duration));
  const prof = await page.evaluate(() => {
    const by = {};
    for (const m of performance.getEntriesByType("measure")) if (m.name.startsWith("prof:")) (by[m.name] ??= []).push(m.duration);
    return Object.fromEntries(Object.entries(by).map(([k, v]) => [k, { n: v.length, total: v.reduce((a, b) => a + b, 0) }]));
  });
  if (Object.keys(prof).length) console.error("profile (ms total over the edits):", JSON.stringify(prof));
  await page.waitForTimeout(200);
  const timing = await page.evaluate(() => window.__timing);
  // The Event Timing entry of a press, matched by its timestamp, when the API reported one.
  const withTiming = (x) => {
    const t = timing.find((e) => Math.abs(e.start - x.stamp) < 1);
    return t ? { ...x, handler: t.handler, duration: t.duration } : { ...x, handler: Math.min(x.script, 16), duration: Math.min(x.paint, 16) };
  };
  const stat = (xs) => {
    const ys = xs.map(withTiming);
    return {
      scriptMedian: median(ys.map((x) => x.handler)),
      scriptP95: p95(ys.map((x) => x.handler)),
      paintMedian: median(ys.map((x) => x.duration)),
      paintP95: p95(ys.map((x) => x.duration)),
      taskMedian: median(ys.map((x) => x.script)),
      reported: ys.filter((x) => timing.some((e) => Math.abs(e.start - x.stamp) < 1)).length,
    };
  };
  results.edit = { add: stat(add), delete: stat(del), undo: stat(undo), save: { median: median(saves), p95: p95(saves), n: saves.length, writeMedian: median(writes), writeP95: p95(writes) } };
}


// ---- the find bar on the large article: each key press of a word (the search runs on the
// whole 200,000 characters), then "Tag all" of a name's hits and the one undo that takes
// them back
if (want("find")) {
  step("find");
  const bar = page.getByRole("search", { name: "Find in the article" });
  const field = bar.getByRole("searchbox", { name: "Find" });
  await page.getByLabel("Article text", { exact: true }).focus();
  await page.keyboard.press("Control+f");
  await field.waitFor();
  const presses = [];
  for (let i = 0; i < Math.max(5, Math.ceil(params.tries / 6)); i++) {
    await field.fill("");
    for (const k of "lavrov") presses.push(await pressTimed(k));
  }
  const lavrov = await bar.getByRole("status").textContent();
  const searches = await page.evaluate(() => performance.getEntriesByName("spanwright:find").map((m) => m.duration));
  await field.fill("Tanjug");
  await bar.getByLabel("Tag hits as").selectOption({ label: "Entity (Organisation)" });
  const button = bar.getByRole("button", { name: /^Tag all \d+ hits$/ });
  const hits = Number((await button.textContent()).match(/\d+/)[0]);
  const clickTimed = async (locator) => {
    const before = await page.evaluate(() => window.__events.length);
    await locator.click();
    await page.waitForFunction((n) => window.__events.some((e, j) => j >= n && e.type === "click"), before);
    return page.evaluate((n) => window.__events.slice(n).find((e) => e.type === "click"), before);
  };
  const tag = await clickTimed(button);
  const said = await page.locator(".status").textContent();
  const made = Number(said.match(/^Tagged (\d+) hits/)?.[1]);
  if (!made) throw new Error(`Tag all said: ${said}`);
  const undo = await clickTimed(page.getByRole("toolbar", { name: "Annotate" }).getByRole("button", { name: "Undo" }));
  await page.waitForTimeout(200);
  const timing = await page.evaluate(() => window.__timing);
  const reported = (x) => timing.find((e) => Math.abs(e.start - x.stamp) < 1);
  // Under 16 ms the Event Timing API reports nothing: then the task's own time stands.
  const handler = (x) => reported(x)?.handler ?? Math.min(x.script, 16);
  const paint = (x) => reported(x)?.duration ?? Math.min(x.paint, 16);
  results.find = {
    query: lavrov,
    keyHandlerMedian: median(presses.map(handler)),
    keyHandlerP95: p95(presses.map(handler)),
    keyTaskMedian: median(presses.map((x) => x.script)),
    keyTaskP95: p95(presses.map((x) => x.script)),
    keyPaintP95: p95(presses.map(paint)),
    presses: presses.length,
    searchMedian: median(searches),
    searchP95: p95(searches),
    tagAll: { hits, made, handler: handler(tag), task: tag.script, paint: paint(tag), said },
    undo: { handler: handler(undo), task: undo.script, paint: paint(undo) },
  };
  await field.press("Escape");
}

if (want("suggest")) {
  step("suggest");
  // Suggestion passes over the same article, in the formats worker: the dictionary of its
  // 10,000 spans (each span text of up to 60 code points once), then with a 5,000-entry
  // gazetteer as well. Three ways of asking:
  // - switching "Suggest spans" on, which changes the set (the switch is kept with it), so
  //   the worker reads the workspace again first; the matcher it built is kept;
  // - the same after an edit that adds a new text to the dictionary (a quote tagged), so the
  //   matcher is built again too;
  // - asking again with the workspace unchanged (the speech verbs edited): the pass alone.
  // Timed from the page (spanwright:suggest: from asking to the answer read) and in the
  // worker (its own spanwright:worker:suggest, of which :read reading the workspace); on the
  // page's thread, the answer read (:receive). The
  // browser compiles the worker's code in tiers, optimising what runs often, so the first
  // passes of a page are slower: 4 passes are counted apart as the warm-up.
  const panel = page.getByRole("region", { name: "Suggestions" });
  const toggle = panel.getByRole("button", { name: "Suggest spans" });
  const verbs = panel.getByLabel("Extra speech verbs (comma-separated)");
  const count = () => page.evaluate(() => performance.getEntriesByName("spanwright:suggest").length);
  const answered = async (before) => {
    await page.waitForFunction((n) => performance.getEntriesByName("spanwright:suggest").length > n, before);
    await page.locator(".status").filter({ hasText: /\d+ suggestions?\.$/ }).waitFor();
  };
  // The durations of the measures `names` ([key, name] pairs) from the `from`th on, in the
  // page's timeline or the worker's.
  const timeline = ([names, from]) => Object.fromEntries(names.map(([key, name]) => [key, performance.getEntriesByName(name).slice(from).map((m) => m.duration)]));
  const measures = async (from) => {
    const worker = page.workers().find((w) => w.url().includes("formats-worker"));
    const onPage = await page.evaluate(timeline, [[["whole", "spanwright:suggest"], ["receive", "spanwright:suggest:receive"]], from]);
    const inWorker = await worker.evaluate(timeline, [[["worker", "spanwright:worker:suggest"], ["worker-read", "spanwright:worker:suggest:read"]], from]);
    return { ...onPage, ...inWorker };
  };
  // n passes, each asked by `ask(i)` (with suggestions on at the end of it), and what they took.
  async function passes(n, ask) {
    const from = await count();
    for (let i = 0; i < n; i++) {
      await ask(i);
      await answered(from + i);
    }
    return { ...(await measures(from)), said: await page.locator(".status").textContent() };
  }
  const switchedOn = async () => {
    if ((await toggle.getAttribute("aria-pressed")) === "true") await toggle.click();
    await toggle.click();
  };
  const edited = async (i) => {
    await toggle.click(); // off
    // Tag three words of the text in view as a quote: a text the dictionary did not have.
    await page.evaluate((i) => {
      const root = document.querySelector(".article-text");
      const visible = [...root.querySelectorAll("span[data-s]")].filter((s) => {
        const r = s.getBoundingClientRect();
        return r.top > 120 && r.bottom < innerHeight - 20 && s.textContent.trim().length > 12;
      });
      const node = visible[(i * 5 + 3) % visible.length].firstChild;
      getSelection().setBaseAndExtent(node, 2, node, node.data.length - 2);
      root.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    }, i);
    await page.keyboard.press("q");
    await toggle.click(); // on
  };
  const reasked = async () => {
    await verbs.fill((await verbs.inputValue()) === "whispered" ? "" : "whispered");
    await verbs.press("Tab");
  };
  const dictionaryEntries = new Set(w.spans.filter((x) => x.end - x.start <= 60 && x.text.trim()).map((x) => x.text.trim())).size;
  const on = await passes(10, switchedOn);
  const afterEdit = await passes(3, edited);
  const held = await passes(5, reasked);
  results.suggest = {
    entries: dictionaryEntries,
    first: { whole: on.whole[0], worker: on.worker[0] },
    warming: slicedMedians(on, 1, 4),
    on: slicedMedians(on, 4),
    afterEdit: slicedMedians(afterEdit, 0),
    held: slicedMedians(held, 0),
    said: on.said,
  };

  // The same with a 5,000-entry gazetteer imported through the panel (read in the worker):
  // the article's names (Sergey Lavrov, Tanjug, …) among 4,992 that do not occur.
  const lines = ["Ana Petrović\tentity\tperson", "Sergey Lavrov\tentity\tperson", "Maria Silva\tentity\tperson", "Acme Corp\tentity\torganisation",
    "Tanjug\tentity\torganisation", "United Nations\tentity\torganisation", "Belgrade\tentity\tlocation", "Pristina\tentity\tlocation"];
  for (let i = 0; lines.length < 5000; i++) lines.push(`Gazetteer Name ${i}\tentity\t${["person", "organisation", "location"][i % 3]}`);
  const importing = await count();
  await panel.getByLabel("Import gazetteer").setInputFiles({ name: "bench.tsv", mimeType: "text/tab-separated-values", buffer: Buffer.from(lines.join("\n") + "\n") });
  await panel.getByText("Gazetteer: 5000 entries").waitFor();
  await answered(importing);
  const gOn = await passes(5, switchedOn);
  const gHeld = await passes(5, reasked);
  results.suggestGazetteer = { entries: dictionaryEntries + 5000, on: slicedMedians(gOn, 0), held: slicedMedians(gHeld, 0), said: gOn.said };
  // Off again, and no gazetteer, for the rows after these (the three quotes tagged stay:
  // 10,003 spans).
  await toggle.click();
  await panel.getByRole("button", { name: "Clear gazetteer" }).click();
}

// ---- switching articles: away from the large one and back
if (want("switch")) {
  step("switch");
  const away = [], back = [];
  const nav = page.getByRole("navigation", { name: "Articles" });
  for (let i = 0; i < Math.max(5, Math.floor(params.tries / 3)); i++) {
    for (const [name, list, title] of [[/BELGRADE/, away, /BELGRADE/], [/Benchmark article/, back, /^Benchmark article$/]]) {
      const before = await page.evaluate(() => window.__events.length);
      await nav.getByRole("link", { name }).click();
      await page.getByRole("heading", { level: 2, name: title }).waitFor({ timeout: 5000 }).catch(async (e) => { await page.screenshot({ path: "/tmp/bench-fail.png" }); console.error(await page.locator("h2").allTextContents(), page.url()); throw e; });
      await page.waitForFunction((n) => window.__events.some((e, j) => j >= n && e.type === "click"), before);
      list.push(await page.evaluate((n) => window.__events.slice(n).find((e) => e.type === "click"), before));
    }
  }
  results.switch = { awayPaintMedian: median(away.map((x) => x.paint)), backPaintMedian: median(back.map((x) => x.paint)), backScriptMedian: median(back.map((x) => x.script)) };
}

// ---- exports and upload
if (want("files")) {
  step("files");
  results.exports = {};
  const select = page.getByLabel("Export format");
  const formats = await select.locator("option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  for (const [id, title] of formats) {
    // Timed inside the app (spanwright:export:ID); the downloads themselves are not awaited,
    // as Chromium holds back repeated downloads from one page.
    for (let i = 0; i < 3; i++) {
      await select.selectOption(id);
      await page.getByRole("button", { name: "Export" }).click();
      await page.waitForFunction(([id, n]) => performance.getEntriesByName(`spanwright:export:${id}`).length > n, [id, i]);
    }
    const ds = await page.evaluate((id) => performance.getEntriesByName(`spanwright:export:${id}`).map((m) => m.duration), id);
    // The first export starts the formats worker and hands it the workspace; later ones
    // with no edit between reuse what it read.
    results.firstExport ??= ds[0];
    results.exports[title] = median(ds);
  }
  for (let i = 0; i < 3; i++) {
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Upload JSON" }).click()]);
    await chooser.setFiles(join(uploadDir, "bench-workspace.json"));
    await page.waitForFunction((n) => performance.getEntriesByName("spanwright:upload").length > n, i);
  }
  results.upload = median(await page.evaluate(() => performance.getEntriesByName("spanwright:upload").map((m) => m.duration)));
}
await page?.context().close();

// Adds a span by keyboard on the open article, then lets it save, 15 times: the key's
// handler (Event Timing) and the save's planning (spanwright:save) and IndexedDB write
// (spanwright:save:write, from the transaction's start to its completion).
async function editAndSave(p) {
  await p.evaluate(() => performance.clearMeasures());
  const handlers = [];
  for (let i = 0; i < 15; i++) {
    const stamp = await p.evaluate((i) => {
      const root = document.querySelector(".article-text");
      const segs = [...root.querySelectorAll("span[data-s]")].filter((s) => s.textContent.trim().length > 8);
      const node = segs[(i * 5) % segs.length].firstChild;
      getSelection().setBaseAndExtent(node, 1, node, node.data.length - 1);
      root.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
      return performance.now();
    }, i);
    const before = await p.evaluate(() => window.__events.length);
    await p.keyboard.press("q");
    await p.waitForFunction((n) => window.__events.length > n, before);
    const e = await p.evaluate(() => window.__events.at(-1));
    const t = (await p.evaluate(() => window.__timing)).find((x) => Math.abs(x.start - e.stamp) < 1);
    handlers.push(t ? t.handler : Math.min(e.script, 16));
    await p.waitForFunction((n) => performance.getEntriesByName("spanwright:save:write").length > n, i, { timeout: 10_000 });
    void stamp;
  }
  const plans = await p.evaluate(() => performance.getEntriesByName("spanwright:save").map((m) => m.duration));
  const writes = await p.evaluate(() => performance.getEntriesByName("spanwright:save:write").map((m) => m.duration));
  return { handler: median(handlers), plan: median(plans), write: median(writes), writeP95: p95(writes), n: writes.length, added: 15 };
}

// ---- a corpus: importing it, filtering the list, switching articles
if (want("corpus", "agreement", "import")) {
  step("corpus", "agreement", "import");
  const c = corpus({ articles: params.articles, chars: params["article-chars"], spans: params["corpus-spans"], seed: params.seed });
  writeFileSync(join(uploadDir, "corpus.jsonl"), c.jsonl);
  writeFileSync(join(uploadDir, "corpus.spanwright.json"), c.workspace);
  results.corpus = { articles: c.articles, chars: c.chars, spans: c.spans };
}
if (want("corpus", "import")) {
  step("corpus", "import");
  // Import: from the file input's change to the status line's answer, with every long task
  // (over 50 ms, as the Long Tasks API reports them) on the page's thread from the change to
  // the end of the save into IndexedDB that follows. A fifth of it is timed too.
  const small = corpus({ articles: Math.round(params.articles / 5), chars: params["article-chars"], spans: 0, seed: params.seed });
  writeFileSync(join(uploadDir, "corpus-fifth.jsonl"), small.jsonl);
  const c = results.corpus;
  results.corpus.fifth = { articles: small.articles, chars: small.chars };
  async function importTimed(file) {
    const p = await appPage(false);
    await p.goto(`${base}/app/`);
    await p.getByRole("article").waitFor();
    await p.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: "longtask" });
      document.addEventListener("change", () => (window.__chosen = performance.now()), true);
      window.__answered = new Promise((done) => {
        new MutationObserver(() => {
          const s = document.querySelector(".status")?.textContent ?? "";
          if (/^Imported|^Nothing was imported|import was undone/.test(s)) done([performance.now(), s]);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    });
    const [chooser] = await Promise.all([p.waitForEvent("filechooser"), p.getByRole("button", { name: "Import corpus" }).click()]);
    await chooser.setFiles(join(uploadDir, file));
    const [end, outcome] = await p.evaluate(() => window.__answered);
    // The save that follows, to its end: its planning and writing are in the window too.
    await p.waitForFunction(() => performance.getEntriesByName("spanwright:save:write").length > 0, null, { timeout: 30_000 }).catch(() => {});
    await p.waitForTimeout(100);
    const { chosen, long, worker, saved } = await p.evaluate(() => ({
      chosen: window.__chosen,
      long: window.__long,
      worker: performance.getEntriesByName("spanwright:import")[0]?.duration,
      saved: performance.now(),
    }));
    const during = long.filter(([start]) => start >= chosen - 1 && start <= saved).map(([, d]) => d);
    await p.context().close();
    return { total: end - chosen, longest: during.length ? Math.max(...during) : 0, long: during.length, worker, outcome };
  }
  const imports = [], fifth = [];
  for (let i = 0; i < 3; i++) {
    imports.push(await importTimed("corpus.jsonl"));
    fifth.push(await importTimed("corpus-fifth.jsonl"));
  }
  results.corpus.fifth.import = fifth;
  results.corpus.import = imports;
}
if (want("corpus")) {
  step("corpus");
  const c = results.corpus;

  // The corpus with its spans, brought in by Upload JSON and saved to IndexedDB; then cold
  // starts with it stored (HTTP cache cleared), to the first article painted. The upload
  // itself is timed too: from the file input's change to the list counting the new
  // articles, whether its progress bar was seen, and the long tasks meanwhile.
  const p = await appPage(false);
  await p.goto(`${base}/app/`);
  await p.getByRole("article").waitFor();
  await p.evaluate((n) => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: "longtask" });
    document.addEventListener("change", () => (window.__chosen = performance.now()), true);
    window.__sawUploadProgress = false;
    window.__listed = new Promise((done) => {
      new MutationObserver(() => {
        if (document.querySelector("progress[aria-label='Upload progress']")) window.__sawUploadProgress = true;
        if (document.querySelector(".list-count")?.textContent === `${n} articles`) done(performance.now());
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }, c.articles + 2);
  const [chooser] = await Promise.all([p.waitForEvent("filechooser"), p.getByRole("button", { name: "Upload JSON" }).click()]);
  await chooser.setFiles(join(uploadDir, "corpus.spanwright.json"));
  const nav = p.getByRole("navigation", { name: "Articles" });
  await nav.getByText(`${c.articles + 2} articles`, { exact: true }).waitFor({ timeout: 120_000 });
  const listedAt = await p.evaluate(() => window.__listed);
  await p.waitForFunction(() => performance.getEntriesByName("spanwright:save:write").length > 0, null, { timeout: 120_000, polling: 100 });
  results.corpus.saveAll = await p.evaluate(() => performance.getEntriesByName("spanwright:save:write")[0].duration);
  results.corpus.upload = await p.evaluate((listedAt) => {
    const during = window.__long.filter(([start]) => start >= window.__chosen - 1).map(([, d]) => d);
    return {
      bytes: 0,
      total: listedAt - window.__chosen,
      worker: performance.getEntriesByName("spanwright:upload")[0]?.duration,
      longest: during.length ? Math.max(...during) : 0,
      long: during.length,
      sawProgress: window.__sawUploadProgress,
    };
  }, listedAt);
  results.corpus.upload.bytes = statSync(join(uploadDir, "corpus.spanwright.json")).size;
  results.corpus.memory = await memory(p);
  const open = `${base}/app/#/doc/${encodeURIComponent(JSON.parse(readFileSync(join(uploadDir, "corpus.spanwright.json"), "utf8")).documents[999].id)}`;
  await p.goto(open);
  await p.locator(".article-text .seg").first().waitFor();
  const cold = [];
  for (let i = 0; i < 5; i++) {
    await coldReload(p);
    await p.locator(".article-text .seg").first().waitFor();
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const painted = await p.evaluate(() => ({
      shown: performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint")?.startTime,
      painted: window.__articlePainted,
      load: performance.getEntriesByName("spanwright:load")[0]?.duration,
      read: performance.getEntriesByName("spanwright:load:idb")[0]?.duration,
    }));
    // The rest of the stored articles, read after the first paint: until the list counts
    // them all, with the page's long tasks meanwhile (buffered since the page began).
    await nav.getByText(`${c.articles + 2} articles`, { exact: true }).waitFor({ timeout: 60_000 });
    const filled = await p.evaluate(
      () =>
        new Promise((done) => {
          const fill = performance.getEntriesByName("spanwright:load:fill")[0];
          new PerformanceObserver((l, obs) => {
            obs.disconnect();
            const during = l.getEntries().filter((e) => fill && e.startTime + e.duration >= fill.startTime).map((e) => e.duration);
            done({ fill: fill ? fill.startTime + fill.duration : NaN, longest: during.length ? Math.max(...during) : 0, long: during.length });
          }).observe({ type: "longtask", buffered: true });
          // No long task at all: the observer is not called.
          setTimeout(() => done({ fill: fill ? fill.startTime + fill.duration : NaN, longest: 0, long: 0 }), 500);
        }),
    );
    cold.push({ ...painted, ...filled });
  }
  results.corpus.cold = {
    painted: median(cold.map((x) => x.painted)),
    load: median(cold.map((x) => x.load)),
    read: median(cold.map((x) => x.read)),
    filled: median(cold.map((x) => x.fill)),
    longest: median(cold.map((x) => x.longest)),
    long: median(cold.map((x) => x.long)),
  };
  results.corpus.memoryStored = await memory(p);
  results.corpus.edit2000 = await editAndSave(p);
  await p.goto(`${base}/app/`);
  const pressed = async (press) => {
    const before = await p.evaluate(() => window.__events.length);
    await press();
    await p.waitForFunction((n) => window.__events.length > n, before);
    return p.evaluate(() => window.__events.at(-1));
  };
  const withTiming = async (xs) => {
    const timing = await p.evaluate(() => window.__timing);
    return xs.map((x) => {
      const t = timing.find((e) => Math.abs(e.start - x.stamp) < 1);
      return t ? { handler: t.handler, paint: t.duration, task: x.script } : { handler: Math.min(x.script, 16), paint: Math.min(x.paint, 16), task: x.script };
    });
  };
  const filter = nav.getByRole("searchbox", { name: "Filter articles" });
  const keys = [];
  for (let round = 0; round < 2; round++) {
    await filter.fill("");
    await filter.focus();
    for (const ch of "minister talks") keys.push(await pressed(() => p.keyboard.press(ch === " " ? "Space" : ch)));
    for (let k = 0; k < 5; k++) keys.push(await pressed(() => p.keyboard.press("Backspace")));
  }
  const shownAfter = await nav.locator(".list-count").textContent();
  await filter.fill("");
  const filtered = await withTiming(keys);
  results.corpus.filter = { handlerMedian: median(filtered.map((x) => x.handler)), paintMedian: median(filtered.map((x) => x.paint)), paintP95: p95(filtered.map((x) => x.paint)), taskMedian: median(filtered.map((x) => x.task)), presses: keys.length, shownAfter };
  const clicks = [];
  for (let i = 0; i < Math.max(5, Math.floor(params.tries / 3)); i++) {
    for (const n of [1, 2]) {
      clicks.push(await pressed(() => nav.getByRole("link", { name: new RegExp(`^Article ${n}:`) }).click()));
      await p.getByRole("heading", { level: 2, name: new RegExp(`^Article ${n}:`) }).waitFor();
    }
  }
  const switched = (await p.evaluate(() => window.__events)).filter((e) => e.type === "click").slice(-clicks.length);
  results.corpus.switch = { paintMedian: median(switched.map((x) => x.paint)), paintP95: p95(switched.map((x) => x.paint)), scriptMedian: median(switched.map((x) => x.script)) };

  // Exporting the whole corpus as JSON Lines, in the formats worker: from the click to the
  // file handed to the browser to save (spanwright:export:jsonl), with every long task on the
  // page's thread meanwhile. The first export hands the worker the 2,000 articles and their
  // sets, in batches of a task each; the later ones find them there.
  await p.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: "longtask" });
    window.__sawExportProgress = false;
    new MutationObserver(() => { if (document.querySelector("progress[aria-label='Export progress']")) window.__sawExportProgress = true; })
      .observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await p.getByLabel("Export format").selectOption("jsonl");
  const exportRuns = [];
  for (let i = 0; i < 4; i++) {
    const from = await p.evaluate(() => performance.now());
    const [download] = await Promise.all([
      p.waitForEvent("download", { timeout: 120_000 }),
      p.getByRole("toolbar", { name: "Annotate" }).getByRole("button", { name: "Export", exact: true }).click(),
    ]);
    await p.waitForFunction((n) => performance.getEntriesByName("spanwright:export:jsonl").length > n, i, { timeout: 120_000 });
    const run = await p.evaluate((from) => {
      const during = window.__long.filter(([start]) => start >= from).map(([, d]) => d);
      return { total: performance.getEntriesByName("spanwright:export:jsonl").at(-1).duration, longest: during.length ? Math.max(...during) : 0, long: during.length };
    }, from);
    if (i === 0) {
      const lines = readFileSync(await download.path(), "utf8").trimEnd().split("\n");
      run.lines = lines.length;
      run.spans = lines.reduce((n, l) => n + JSON.parse(l).spans.length, 0);
      // The corpus's spans, and those the save rows above added.
      if (run.lines !== c.articles || run.spans !== c.spans + results.corpus.edit2000.added) throw new Error(`the corpus export holds ${run.lines} lines and ${run.spans} spans`);
      run.bytes = statSync(await download.path()).size;
    }
    exportRuns.push(run);
  }
  results.corpus.exportJsonl = {
    first: exportRuns[0],
    laterMedian: median(exportRuns.slice(1).map((r) => r.total)),
    longest: Math.max(...exportRuns.map((r) => r.longest)),
    long: exportRuns.reduce((n, r) => n + r.long, 0),
    sawProgress: await p.evaluate(() => window.__sawExportProgress),
  };
  await p.context().close();
}

// ---- the same edits on a corpus of 20 articles: a save must cost the same
if (want("corpus")) {
  step("corpus");
  const few = corpus({ articles: 20, chars: params["article-chars"], spans: 1000, seed: params.seed });
  writeFileSync(join(uploadDir, "corpus-20.spanwright.json"), few.workspace);
  const p = await appPage(false);
  await p.goto(`${base}/app/`);
  await p.getByRole("article").waitFor();
  const [chooser] = await Promise.all([p.waitForEvent("filechooser"), p.getByRole("button", { name: "Upload JSON" }).click()]);
  await chooser.setFiles(join(uploadDir, "corpus-20.spanwright.json"));
  await p.getByRole("navigation", { name: "Articles" }).getByText(`22 articles`, { exact: true }).waitFor({ timeout: 60_000 });
  await p.waitForFunction(() => performance.getEntriesByName("spanwright:save:write").length > 0, null, { timeout: 60_000 });
  await p.goto(`${base}/app/#/doc/${encodeURIComponent(JSON.parse(few.workspace).documents[10].id)}`);
  await p.reload();
  await p.locator(".article-text .seg").first().waitFor();
  results.corpus.edit20 = await editAndSave(p);
  await p.context().close();
}

// ---- agreement over the corpus: a second annotator's set on every article, every article
// compared in the formats worker, with progress
if (want("agreement")) {
  step("agreement");
  // Half the corpus: with a second set on every article the whole one is 43 MB, over the
  // 32 MB an upload may be.
  const ws = JSON.parse(readFileSync(join(uploadDir, "corpus.spanwright.json"), "utf8"));
  const half = Math.ceil(ws.documents.length / 2);
  ws.documents = ws.documents.slice(0, half);
  ws.sets = ws.sets.slice(0, half);
  const second = ws.sets.map((s, i) => {
    const o = secondAnnotator({ text: ws.documents[i].text, spans: s.spans, relations: s.relations }, params.seed + i);
    return { ...s, id: `${s.id}-2`, name: "Second", annotator: "second", spans: o.spans, relations: o.relations };
  });
  ws.sets.push(...second);
  writeFileSync(join(uploadDir, "corpus-two.spanwright.json"), JSON.stringify(ws));
  const spans = ws.sets.reduce((n, s) => n + s.spans.length, 0);
  const p = await appPage(false);
  await p.goto(`${base}/app/`);
  await p.getByRole("article").waitFor();
  const [chooser] = await Promise.all([p.waitForEvent("filechooser"), p.getByRole("button", { name: "Upload JSON" }).click()]);
  await chooser.setFiles(join(uploadDir, "corpus-two.spanwright.json"));
  await p.getByRole("navigation", { name: "Articles" }).getByText(`${ws.documents.length + 2} articles`, { exact: true }).waitFor({ timeout: 180_000 });
  await p.waitForTimeout(1500);
  await p.getByRole("button", { name: "Agreement", exact: true }).click();
  const region = p.getByRole("region", { name: "Agreement" });
  await region.getByRole("radio", { name: /^All articles/ }).check();
  const iou = region.getByRole("spinbutton", { name: /IoU/ });
  const worker = [];
  let sawProgress = false;
  for (let i = 0; i < 3; i++) {
    if (i > 0) await iou.fill(String(i % 2 ? 55 : 50)), await iou.press("Enter"), await iou.blur();
    const before = await p.evaluate(() => performance.getEntriesByName("spanwright:agree").length);
    await p.waitForFunction((n) => {
      if (document.querySelector(".agreement progress")) window.__sawAgreeProgress = true;
      return performance.getEntriesByName("spanwright:agree").length > n;
    }, before, { timeout: 120_000, polling: 20 });
    sawProgress ||= await p.evaluate(() => !!window.__sawAgreeProgress);
    await region.locator(".agreement-time").waitFor();
    worker.push(Number((await region.locator(".agreement-time").textContent()).match(/(\d+) ms/)[1]));
  }
  const whole = await p.evaluate(() => performance.getEntriesByName("spanwright:agree").map((m) => m.duration));
  results.corpusAgreement = { articles: ws.documents.length, spans, workerMedian: median(worker), wholeMedian: median(whole.slice(-3)), sawProgress };
  await p.context().close();
}

// ---- agreement of two sets of the workload's size on the large article, in the formats
// worker: the whole job from the page (spanwright:agree) and the worker's own time.
if (want("agreement")) {
  step("agreement");
  const agreeRecord = `{"storage":2,"generation":1,"saved_at":"2026-01-01T00:00:00Z","workspace":${JSON.stringify(agreementWorkspace(w))}}`;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: "block" });
  const p = await context.newPage();
  await p.addInitScript(probes, agreeRecord);
  await p.goto(`${base}/app/#/doc/${DOC_ID}`);
  await p.getByRole("heading", { level: 2, name: "Benchmark article" }).waitFor();
  await p.getByRole("button", { name: "Agreement", exact: true }).click();
  const region = p.getByRole("region", { name: "Agreement" });
  const iou = region.getByRole("spinbutton", { name: /IoU/ });
  const worker = [];
  for (let i = 0; i < 6; i++) {
    // Changing θ measures again; the first run also starts the worker and reads the workspace.
    if (i > 0) await iou.fill(String(i % 2 ? 55 : 50)), await iou.press("Enter"), await iou.blur();
    await p.waitForFunction((n) => performance.getEntriesByName("spanwright:agree").length > n, i, { timeout: 60000 });
    await region.locator(".agreement-time").waitFor();
    worker.push(Number((await region.locator(".agreement-time").textContent()).match(/(\d+) ms/)[1]));
  }
  const whole = await p.evaluate(() => performance.getEntriesByName("spanwright:agree").map((m) => m.duration));
  results.agreement = { workerMedian: median(worker.slice(1)), wholeMedian: median(whole.slice(1)), first: whole[0], spans: [w.spans.length, agreementWorkspace(w).sets[1].spans.length] };
  await context.close();
}

// ---- the scripted session (bench/session.mjs): the persons and organisations of both
// bundled articles tagged without suggestions, then with them, each in a fresh context whose
// IndexedDB holds a colleague's tagged article (seedStorage); both must end with exactly the target spans.
if (want("session")) {
  step("session");
  results.session = {};
  for (const [name, on] of [["without", false], ["with", true]]) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: "block" });
    const p = await context.newPage();
    await p.addInitScript(probes, null);
    p.on("pageerror", (e) => console.error("page error:", e.message));
    await seedStorage(p, base);
    results.session[name] = await runSession(p, root, on);
    await context.close();
  }
  const { with: a, without: b } = results.session;
  const same = JSON.stringify(a.spans) === JSON.stringify(b.spans) && JSON.stringify(a.spans) === JSON.stringify(a.targets);
  if (!same) throw new Error(`the two sessions did not make the same spans, or not the targets:\nwith ${JSON.stringify(a.spans)}\nwithout ${JSON.stringify(b.spans)}\ntargets ${JSON.stringify(a.targets)}`);
  results.session.spans = Object.values(a.targets).flat().length;
}

// ---- the peer, same workload, same browser
async function peer(renderer) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await context.newPage();
  await p.goto(`${base}/peer/`);
  const drawn = await p.evaluate(([text, annos, renderer]) => window.load(text, annos, renderer), [w.text, peerData, renderer]);
  const count = await p.evaluate(() => window.anno.getAnnotations().length);
  if (count !== w.spans.length) throw new Error(`the peer holds ${count} annotations, not ${w.spans.length}`);
  const add = [];
  for (let i = 0; i < params.tries; i++) {
    add.push(await p.evaluate(async (i) => {
      const id = `new${i}`;
      const start = 1000 + i * 997;
      const text = document.getElementById("text").textContent;
      return window.timed(() => window.anno.addAnnotation({ id, bodies: [], target: { annotation: id, selector: [{ quote: text.slice(start, start + 20), start, end: start + 20 }] } }));
    }, i));
  }
  const out = { drawn, dom: await p.evaluate(() => document.getElementsByTagName("*").length), memory: await memory(p), addScriptMedian: median(add.map((a) => a.script)), addPaintP95: p95(add.map((a) => a.paint)) };
  await context.close();
  return out;
}
if (want("start", "large", "edit")) {
  step("start", "large", "edit");
  results.peer = await peer(undefined);
  results.peerHighlights = await peer("CSS_HIGHLIGHTS");
}
await browser.close();
server.close();

// ---- report
const kb = (n) => (n / 1024).toFixed(1) + " KB";
const ms = (n) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 0) + " ms" : "n/a");
// The Long Tasks API reports only tasks over 50 ms: none reported is "none over 50 ms", not 0.
const longest = (n) => (n > 0 ? ms(n) : "none over 50 ms");
const mb = (n) => (n / 1048576).toFixed(1) + " MB";
const ratio = (a, b) => (b ? (a / b).toFixed(2) + "×" : "");
// The formats worker (exports and uploads) is fetched on the first export or upload, not
// when the page opens; it is counted apart.
const lazy = sizes.filter((s) => s.file.startsWith("formats-worker"));
const atStart = sizes.filter((s) => !lazy.includes(s));
const wasm = atStart.filter((s) => s.file.endsWith(".wasm"));
const js = atStart.filter((s) => s.file.endsWith(".js"));
const total = atStart.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
const sum = (xs, k) => xs.reduce((a, s) => a + s[k], 0);
const sw = results, pe = results.peer, ph = results.peerHighlights, co = results.corpus;
const need = (x) => {
  if (x === undefined) throw new Error("not measured in this run");
  return x;
};
const memSw = () => sw.large.memory.heap + sw.large.memory.wasm;
const memPe = () => pe.memory.heap;
// Each row is made when its measures exist: --only leaves the others out.
const rowMakers = [
  () => ["app wasm (raw / gzip)", `${kb(sum(wasm, "raw"))} / ${kb(sum(wasm, "gzip"))}`, "", "", "≤ 90 KB gzip"],
  () => ["JS (raw / gzip)", `${kb(sum(js, "raw"))} / ${kb(sum(js, "gzip"))}`, "", "", ""],
  () => ["all files loaded at start (gzip)", kb(total.gzip), "", "", "≤ 150 KB"],
  () => ["formats worker, on first download, export or upload (raw / gzip)", `${kb(sum(lazy, "raw"))} / ${kb(sum(lazy, "gzip"))}`, "", "", ""],
  () => ["first paint (FCP / article shown)", `${ms(sw.firstPaint.fcp)} / ${ms(sw.firstPaint.articleShown)}`, "", "", "≤ 300 ms"],
  () => ["large article + spans, to 2nd frame", ms(sw.large.drawn), ms(pe.drawn), ratio(sw.large.drawn, pe.drawn), "≤ 350 ms, ≤ 0.5× peer"],
  () => ["  of which reading the saved workspace (of that, reading IndexedDB)", `${ms(sw.large.load)} (${ms(sw.large.read)})`, "", "", ""],
  () => ["  the first start after this update: localStorage workspace moved to IndexedDB, to 2nd frame (of that, the move)", `${ms(sw.large.migration.drawn)} (${ms(sw.large.migration.load)})`, "", "", "once"],
  () => ["add span: handler script, median", ms(sw.edit.add.scriptMedian), ms(pe.addScriptMedian), ratio(sw.edit.add.scriptMedian, pe.addScriptMedian), "≤ 4 ms"],
  () => ["add span: key to next paint, p95 (Event Timing)", ms(sw.edit.add.paintP95), ms(pe.addPaintP95), "", "≤ 32 ms"],
  () => ["delete span: handler median / key to paint p95", `${ms(sw.edit.delete.scriptMedian)} / ${ms(sw.edit.delete.paintP95)}`, "", "", "≤ 4 / 32 ms"],
  () => ["undo: handler median / key to paint p95", `${ms(sw.edit.undo.scriptMedian)} / ${ms(sw.edit.undo.paintP95)}`, "", "", "≤ 4 / 32 ms"],
  () => ["  whole task of a key press (add / delete / undo), median", `${ms(sw.edit.add.taskMedian)} / ${ms(sw.edit.delete.taskMedian)} / ${ms(sw.edit.undo.taskMedian)}`, "", "", ""],
  () => ["find: key press in the find bar, handler median / p95 (typing “lavrov”)", `${ms(sw.find.keyHandlerMedian)} / ${ms(sw.find.keyHandlerP95)}`, "", "", "≤ 16 ms"],
  () => ["  of which the search of the whole text (spanwright:find), median / p95", `${ms(sw.find.searchMedian)} / ${ms(sw.find.searchP95)}`, "", "", ""],
  () => ["  whole task of a find key press, median / p95; key to paint p95", `${ms(sw.find.keyTaskMedian)} / ${ms(sw.find.keyTaskP95)}; ${ms(sw.find.keyPaintP95)}`, "", "", ""],
  () => [`Tag all ${sw.find.tagAll.hits} hits of “Tanjug” (${sw.find.tagAll.made} new spans): click handler / whole task / to paint`, `${ms(sw.find.tagAll.handler)} / ${ms(sw.find.tagAll.task)} / ${ms(sw.find.tagAll.paint)}`, "", "", "≤ 50 ms, one undo step"],
  () => ["  the one undo of it: click handler / whole task / to paint", `${ms(sw.find.undo.handler)} / ${ms(sw.find.undo.task)} / ${ms(sw.find.undo.paint)}`, "", "", ""],
  ...[[`suggestion pass over the large article, dictionary of ${sw.suggest?.entries} entries (${sw.suggest?.said.replace(/\.$/, "")})`, sw.suggest, 6], [`  the same with a 5,000-entry gazetteer too, ${sw.suggestGazetteer?.entries} entries (${sw.suggestGazetteer?.said.replace(/\.$/, "")})`, sw.suggestGazetteer, 5]].map(([what, r, n]) => () => [
    `${what}: switched on (the worker reads the changed workspace first): in the worker (of which reading the workspace) / whole job, median of ${n}`,
    `${ms(r.on.worker)} (${ms(r.on["worker-read"])}) / ${ms(r.on.whole)}`, "", "", "≤ 50 ms off the page's thread",
  ]),
  () => [`  dictionary: switched on after an edit adding a text to it (the matcher built again as well), median of 3`, `${ms(sw.suggest.afterEdit.worker)} (${ms(sw.suggest.afterEdit["worker-read"])}) / ${ms(sw.suggest.afterEdit.whole)}`, "", "", "≤ 50 ms off the page's thread"],
  () => [`  asked again, workspace unchanged (the pass alone): in the worker / whole job, median of 5, dictionary / with the gazetteer`, `${ms(sw.suggest.held.worker)} / ${ms(sw.suggest.held.whole)}; ${ms(sw.suggestGazetteer.held.worker)} / ${ms(sw.suggestGazetteer.held.whole)}`, "", "", "≤ 50 ms off the page's thread"],
  () => [`  the page's first pass (starts the worker, hands it the workspace) / passes 2–4, while the browser optimises the worker's code: in the worker / whole job`, `${ms(sw.suggest.first.worker)} / ${ms(sw.suggest.first.whole)}; ${ms(sw.suggest.warming.worker)} / ${ms(sw.suggest.warming.whole)}`, "", "", ""],
  () => [`  on the page's thread: the answer read, median, dictionary / with the gazetteer (the workspace is handed over as for exports: only what changed, in batches)`, `${ms(sw.suggest.on.receive)} / ${ms(sw.suggestGazetteer.on.receive)}`, "", "", ""],
  ...["without", "with"].map((k) => () => {
    const s = sw.session[k];
    const what = k === "with" ? "  the same with suggestions (the dictionary from a colleague's set on a third article): key presses / mouse drags / clicks / time" : `scripted session: tag the ${sw.session.spans} persons and organisations of both bundled articles without suggestions: key presses / mouse drags / clicks / time`;
    const keys = Object.entries(s.byKey).map(([k, n]) => `${k} ${n}`).join(", ");
    const again = s.redragged ? ` (+${s.redragged} again: the page moved under the mouse)` : "";
    return [what, `${s.keys} (${keys}) / ${s.drags}${again} / ${s.clicks} / ${(s.ms / 1000).toFixed(1)} s`, "", "", ""];
  }),
  () => ["switch article (away / back), to next frame", `${ms(sw.switch.awayPaintMedian)} / ${ms(sw.switch.backPaintMedian)}`, "", "", ""],
  () => ["save: planning the records (median / p95); the IndexedDB write (median / p95)", `${ms(sw.edit.save.median)} / ${ms(sw.edit.save.p95)}; ${ms(sw.edit.save.writeMedian)} / ${ms(sw.edit.save.writeP95)}`, "", "", "off the typing path"],
  () => ["first export of the page (starts the worker, hands it the workspace)", ms(need(sw.firstExport)), "", "", ""],
  () => Object.entries(sw.exports).map(([k, v]) => [`export: ${k}, median of 3`, ms(v), "", "", "≤ 50 ms"]),
  () => ["upload 10,000-span JSON", ms(need(sw.upload)), "", "", ""],
  () => [`agreement of two sets (${sw.agreement.spans.join(" and ")} spans) on the large article: in the worker / whole job, median`, `${ms(sw.agreement.workerMedian)} / ${ms(sw.agreement.wholeMedian)}`, "", "", "≤ 100 ms, off the page's thread"],
  () => ["DOM elements mounted (article text / Annotations panel / rest)", `${sw.large.dom} (${sw.large.domInText} / ${sw.large.domInList} / ${sw.large.dom - sw.large.domInText - sw.large.domInList})`, `${pe.dom} (CSS highlights: ${ph.dom})`, ratio(sw.large.dom, pe.dom), "≤ 300"],
  () => ["JS heap + wasm memory", `${mb(memSw())} (${mb(sw.large.memory.heap)} + ${mb(sw.large.memory.wasm)})`, mb(memPe()), ratio(memSw(), memPe()), "≤ 12 MB"],
  () => [[`corpus (${co.articles} articles, ${(co.chars / 1e6).toFixed(1)} M characters, ${co.spans} spans)`, co.import], [`a fifth of it (${co.fifth.articles} articles, ${(co.fifth.chars / 1e6).toFixed(1)} M characters)`, co.fifth.import]].flatMap(([what, runs]) => [
    [`${what}: import its JSON Lines, change to answer, median of 3`, ms(median(runs.map((x) => x.total))), "", "", "≤ 3 s"],
    ["  longest task on the page meanwhile (number of tasks over 50 ms)", `${longest(median(runs.map((x) => x.longest)))} (${median(runs.map((x) => x.long))})`, "", "", "≤ 50 ms"],
    ["  of which the worker's reading and the adding (spanwright:import)", ms(median(runs.map((x) => x.worker))), "", "", ""],
    ["  what the status line said", runs[0].outcome.slice(0, 60) + "…", "", "", ""],
  ]),
  () => ["corpus: filter the list, per key press: handler median / to next frame median, p95", `${ms(co.filter.handlerMedian)} / ${ms(co.filter.paintMedian)}, ${ms(co.filter.paintP95)}`, "", "", "≤ 16 ms"],
  () => ["corpus: switch article, click to next frame (median / p95)", `${ms(co.switch.paintMedian)} / ${ms(co.switch.paintP95)}`, "", "", "≤ 50 ms"],
  () => [`corpus: Upload JSON of it (${mb(co.upload.bytes)}, kept in the tab), change to listed${co.upload.sawProgress ? ", progress shown" : ""}; of which the worker's reading and the plan read on the page (spanwright:upload)`, `${ms(co.upload.total)}; ${ms(co.upload.worker)}`, "", "", ""],
  () => ["  longest task on the page meanwhile, the save that does not fit included (number of tasks over 50 ms)", `${longest(co.upload.longest)} (${co.upload.long})`, "", "", ""],
  () => [`corpus: export all of it as JSON Lines (${co.exportJsonl.first.lines} lines, ${co.exportJsonl.first.spans} spans, ${mb(co.exportJsonl.first.bytes)}), click to file: first (articles handed to the worker) / median of 3 later${co.exportJsonl.sawProgress ? ", progress shown" : ""}`, `${ms(co.exportJsonl.first.total)} / ${ms(co.exportJsonl.laterMedian)}`, "", "", "≤ 2 s, off the page's thread"],
  () => ["  longest task on the page meanwhile, all 4 exports (number of tasks over 50 ms)", `${longest(co.exportJsonl.longest)} (${co.exportJsonl.long})`, "", "", "≤ 50 ms"],
  () => [`corpus: agreement of two annotators over all of ${sw.corpusAgreement.articles} articles (${sw.corpusAgreement.spans} spans): in the worker / whole job, median${sw.corpusAgreement.sawProgress ? ", progress shown" : ""}`, `${ms(sw.corpusAgreement.workerMedian)} / ${ms(sw.corpusAgreement.wholeMedian)}`, "", "", "≤ 2 s, off the page's thread, with progress"],
  () => ["corpus: saving all of it the first time (one IndexedDB transaction)", ms(co.saveAll), "", "", ""],
  () => ["corpus stored: cold start to the first article painted, median of 5 (of that, reading and building the workspace; reading IndexedDB)", `${ms(co.cold.painted)} (${ms(co.cold.load)}; ${ms(co.cold.read)})`, "", "", "≤ 400 ms"],
  () => ["  the other articles read after it, in the background: all in, from the page's start; longest page task meanwhile (tasks over 50 ms)", `${ms(co.cold.filled)}; ${longest(co.cold.longest)} (${co.cold.long})`, "", "", ""],
  () => [["20", co.edit20], [String(co.articles + 2), co.edit2000]].map(([n, e]) => [`corpus of ${n} articles: add a span, handler / planning the save / IndexedDB write (median; write p95)`, `${ms(e.handler)} / ${ms(e.plan)} / ${ms(e.write)} (${ms(e.writeP95)})`, "", "", "≤ 4 ms / — / ≤ 5 ms, the same at both sizes"]),
  () => ["corpus: JS heap + wasm memory, loaded by Upload JSON", `${mb(co.memory.heap + co.memory.wasm)} (${mb(co.memory.heap)} + ${mb(co.memory.wasm)})`, "", "", ""],
  () => ["corpus stored, one article open after a cold start, every article read: JS heap + wasm memory", `${mb(co.memoryStored.heap + co.memoryStored.wasm)} (${mb(co.memoryStored.heap)} + ${mb(co.memoryStored.wasm)})`, "", "", "≤ 40 MB"],
];
const rows = rowMakers.flatMap((make) => {
  try {
    const made = make();
    return Array.isArray(made[0]) || made.length === 0 ? made : [made];
  } catch (e) {
    if (groups) return [];
    throw e;
  }
});
const table = ["| measure | Spanwright | peer (text-annotator 4.1.1) | ratio | target |", "| --- | --- | --- | --- | --- |", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const machine = `${cpus().length} × ${cpus()[0].model.trim()}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
console.log(`\nWorkload: ${w.text.length} characters, ${w.spans.length} spans, ${w.relations.length} relations (seed ${params.seed}); ${params.tries} tries per edit; headless Chromium ${browser.version?.() ?? ""}`);
console.log(`Machine: ${machine}; ${new Date().toISOString()}\n`);
console.log(table);
mkdirSync(join(root, "target"), { recursive: true });
writeFileSync(join(root, "target/bench.json"), JSON.stringify({ ...results, machine, table }, null, 2));
