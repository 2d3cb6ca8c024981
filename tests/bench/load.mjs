// Load benchmark of the widgets (`cargo xtask bench-load`; docs/PERFORMANCE.md):
// real Chromium through playwright-core, the network throttled with CDP
// (Network.emulateNetworkConditions), against a running `km-server --demo`
// (KM_BASE_URL) that serves the pages of tests/pages under /test/.
//
// For every page and link it loads the page in a fresh browser context
// (cold: empty cache), then navigates to it again in the same context
// (warm), and reports the median over the runs of:
// - first content: ms from navigation start to the first `km-ready` (a
//   widget rendered its first data), and to the last widget's;
// - bytes transferred (encoded bytes on the wire, headers included), all of
//   the page's requests and those under /dist/ (loader, glue, wasm);
// - cumulative layout shift (PerformanceObserver 'layout-shift', largest
//   session window: gaps under 1 s, windows of at most 5 s).
// Figures only: nothing here asserts a time (tests never do).
//
//   node bench/load.mjs [--runs 3] [--pages demo,ask-the-community] [--links slow,fast] [--json out.json]
import { launch, BASE } from "../e2e/helpers.mjs";
import { writeFileSync } from "node:fs";

/** Lighthouse's mobile link and a good office link (bytes per second). */
const LINKS = {
  slow: { label: "1.6 Mbps / 150 ms", latency: 150, down: 1_600_000 / 8, up: 750_000 / 8 },
  fast: { label: "20 Mbps / 40 ms", latency: 40, down: 20_000_000 / 8, up: 10_000_000 / 8 },
};
const PAGES = {
  "ask-the-community": "/test/load/ask-the-community.html",
  "passion-match": "/test/load/passion-match.html",
  "reflection-prompt": "/test/load/reflection-prompt.html",
  "story-board": "/test/load/story-board.html",
  demo: "/",
};
const WIDGETS = "km-passion-match, km-ask-the-community, km-reflection-prompt, km-story-board, div[data-km-widget]";
/** How long to keep watching after the last widget is ready (late shifts, late requests). */
const SETTLE_MS = 1500;

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const runs = Number(arg("--runs", "3"));
const pages = arg("--pages", Object.keys(PAGES).join(",")).split(",");
const links = arg("--links", Object.keys(LINKS).join(",")).split(",");
const jsonOut = arg("--json", null);

/** Runs in the page before any of its scripts: records km-ready/km-error per host and layout shifts. */
function recorder(selector) {
  const s = { ready: [], errors: [], shifts: [], hosts: new Set() };
  window.__kmLoad = s;
  const seen = (kind) => (e) => {
    if (s.hosts.has(e.target)) return;
    s.hosts.add(e.target);
    s[kind].push({ t: performance.now(), widget: e.detail && e.detail.widget });
  };
  document.addEventListener("km-ready", seen("ready"), true);
  document.addEventListener("km-error", seen("errors"), true);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) s.shifts.push({ t: e.startTime, v: e.value });
  }).observe({ type: "layout-shift", buffered: true });
  s.settled = () => document.querySelectorAll(selector).length > 0 && s.hosts.size >= document.querySelectorAll(selector).length;
}

/** Largest session window of layout shifts (gaps < 1 s, window <= 5 s), as CLS is defined. */
function cls(shifts) {
  let best = 0;
  let sum = 0;
  let start = -Infinity;
  let last = -Infinity;
  for (const { t, v } of [...shifts].sort((a, b) => a.t - b.t)) {
    if (t - last > 1000 || t - start > 5000) {
      sum = 0;
      start = t;
    }
    sum += v;
    last = t;
    best = Math.max(best, sum);
  }
  return best;
}

/** Watches the page's network through CDP: encoded bytes per request. */
function networkLog(cdp) {
  let reqs = new Map();
  const get = (id) => reqs.get(id) || reqs.set(id, { url: "", bytes: 0, cached: false, status: 0 }).get(id);
  cdp.on("Network.requestWillBeSent", (e) => (get(e.requestId).url = e.request.url));
  cdp.on("Network.requestServedFromCache", (e) => (get(e.requestId).cached = true));
  cdp.on("Network.responseReceived", (e) => {
    const r = get(e.requestId);
    r.status = e.response.status;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) r.cached = true;
  });
  cdp.on("Network.loadingFinished", (e) => (get(e.requestId).bytes = e.encodedDataLength));
  return {
    reset: () => (reqs = new Map()),
    all: () => [...reqs.values()],
  };
}

async function load(page, net, url) {
  net.reset();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__kmLoad && window.__kmLoad.settled(), null, { timeout: 180_000, polling: 50 });
  // The measurement window after the last widget is ready (a benchmark, not a test).
  await page.waitForTimeout(SETTLE_MS);
  const m = await page.evaluate(() => ({
    ready: window.__kmLoad.ready,
    errors: window.__kmLoad.errors,
    shifts: window.__kmLoad.shifts,
  }));
  const reqs = net.all();
  const sum = (f) => reqs.filter(f).reduce((a, r) => a + r.bytes, 0);
  const times = m.ready.map((r) => r.t);
  return {
    first_ms: times.length ? Math.min(...times) : null,
    all_ms: times.length ? Math.max(...times) : null,
    errors: m.errors.length,
    bytes: sum(() => true),
    dist_bytes: sum((r) => r.url.includes("/dist/")),
    wasm_bytes: sum((r) => /\.wasm(\?|$)/.test(r.url)),
    requests: reqs.length,
    from_cache: reqs.filter((r) => r.cached).length,
    revalidated: reqs.filter((r) => r.status === 304).length,
    cls: cls(m.shifts),
  };
}

const median = (xs) => {
  const v = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

async function main() {
  const browser = await launch();
  const results = [];
  try {
    for (const name of pages) {
      for (const linkName of links) {
        const link = LINKS[linkName];
        const cold = [];
        const warm = [];
        for (let i = 0; i < runs; i++) {
          // A fresh context is a fresh (empty) HTTP cache.
          const context = await browser.newContext();
          await context.addInitScript(recorder, WIDGETS);
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send("Network.enable");
          await cdp.send("Network.emulateNetworkConditions", {
            offline: false,
            latency: link.latency,
            downloadThroughput: link.down,
            uploadThroughput: link.up,
          });
          const net = networkLog(cdp);
          const url = BASE + PAGES[name];
          cold.push(await load(page, net, url));
          warm.push(await load(page, net, url));
          await context.close();
          process.stderr.write(".");
        }
        for (const [cache, rs] of [["cold", cold], ["warm", warm]]) {
          const row = { page: name, link: link.label, cache, runs: rs };
          for (const k of Object.keys(rs[0])) row[k] = median(rs.map((r) => r[k]));
          results.push(row);
        }
      }
    }
  } finally {
    await browser.close();
  }
  process.stderr.write("\n");
  const kb = (n) => (n / 1024).toFixed(1);
  const ms = (n) => (n === null ? "-" : (n / 1000).toFixed(2) + " s");
  console.log(`\nmedian of ${runs} runs, ${new Date().toISOString().slice(0, 10)}, ${BASE}\n`);
  console.log("| page | link | cache | first content | all widgets | transferred | of it /dist/ | wasm | CLS |");
  console.log("|---|---|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const errs = r.errors ? ` (${r.errors} km-error)` : "";
    console.log(
      `| ${r.page} | ${r.link} | ${r.cache} | ${ms(r.first_ms)} | ${ms(r.all_ms)}${errs} | ${kb(r.bytes)} KB | ${kb(r.dist_bytes)} KB | ${kb(r.wasm_bytes)} KB | ${r.cls.toFixed(3)} |`,
    );
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2) + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
