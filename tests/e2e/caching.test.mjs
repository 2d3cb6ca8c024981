// What a page downloads, as the browser sees it: glue, split runtime, main
// module and the page's chunks start together (not one after the other),
// each once and compressed, and a warm reload downloads none of them again:
// only the loader is revalidated.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, TIMEOUT, launch, seeded, waitForText } from "./helpers.mjs";

let browser;
let data;
let manifest;
before(async () => {
  browser = await launch();
  data = await seeded();
  const r = await fetch(`${BASE}/dist/manifest.json`);
  if (!r.ok) throw new Error(`GET /dist/manifest.json: HTTP ${r.status}`);
  manifest = await r.json();
});
after(() => browser?.close());

/** Every request of the page, from the browser's network log (CDP). */
async function network(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  let log = new Map();
  const get = (id) => log.get(id) || log.set(id, { url: "", cached: false }).get(id);
  cdp.on("Network.requestWillBeSent", (e) => Object.assign(get(e.requestId), { url: e.request.url, sent: e.timestamp }));
  cdp.on("Network.requestServedFromCache", (e) => (get(e.requestId).cached = true));
  cdp.on("Network.responseReceived", (e) => {
    const r = get(e.requestId);
    r.status = e.response.status;
    r.encoding = e.response.headers["content-encoding"] || e.response.headers["Content-Encoding"];
    r.received = e.timestamp;
    if (e.response.fromDiskCache) r.cached = true;
  });
  cdp.on("Network.loadingFinished", (e) => Object.assign(get(e.requestId), { bytes: e.encodedDataLength, done: e.timestamp }));
  return {
    cdp,
    requests: () => [...log.values()],
    reset: () => (log = new Map()),
  };
}

const isGlue = (u) => /\/dist\/km_widgets(\.[0-9a-f]{16})?\.js$/.test(u);
const isSplitRuntime = (u) => /\/dist\/km_widgets_split(\.[0-9a-f]{16})?\.js$/.test(u);
const isWasm = (u) => /\/dist\/[^/]+\.wasm$/.test(u);
const isLoader = (u) => /\/dist\/km-widgets\.js$/.test(u);

test("the loader starts glue, split runtime, main module and every chunk of the page together, each once and compressed", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const net = await network(context, page);
  // Round trips long enough that one file after the other would show.
  await net.cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 300, downloadThroughput: -1, uploadThroughput: -1 });
  await page.goto(`${BASE}/test/clean.html`);
  await waitForText(page, "km-story-board", data.stories[0].title);
  const reqs = net.requests().filter((r) => r.url.includes("/dist/"));
  const glue = reqs.filter((r) => isGlue(r.url));
  assert.equal(glue.length, 1, `one glue request: ${glue.map((r) => r.url)}`);
  // Every file the four kinds need before their first render (the page has
  // all four): the split runtime, the main module and each kind's chunks.
  const want = manifest.all.first_render.files.filter((f) => f !== "km-widgets.js");
  assert.ok(want.some((f) => isSplitRuntime(`/dist/${f}`)) && want.filter((f) => f.endsWith(".wasm")).length > 4, `${want}`);
  for (const f of want) {
    const got = reqs.filter((r) => new URL(r.url).pathname === `/dist/${f}`);
    assert.equal(got.length, 1, `${f} requested once: ${got.length}`);
    // Asked for before the glue had even arrived: not after the glue, nor
    // after the split runtime asked for it.
    assert.ok(got[0].sent < glue[0].received, `${f} sent ${got[0].sent}, glue received ${glue[0].received}`);
    // Served brotli wherever dist wrote a smaller brotli copy.
    const size = manifest.files[f];
    if (size.brotli < size.raw) assert.equal(got[0].encoding, "br", f);
  }
  // Nothing fetched twice, and no wasm the page does not need (the story
  // board's form part arrives when it is opened).
  const paths = reqs.map((r) => new URL(r.url).pathname);
  assert.deepEqual(paths.filter((p, i) => paths.indexOf(p) !== i), [], "fetched twice");
  assert.deepEqual(
    paths.filter((p) => p.endsWith(".wasm") && !want.includes(p.slice("/dist/".length))),
    [],
    "wasm beyond the page's first render",
  );
  await context.close();
});

test("a warm reload transfers no wasm: only the loader is revalidated", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const net = await network(context, page);
  await page.goto(`${BASE}/test/clean.html`);
  await waitForText(page, "km-story-board", data.stories[0].title);
  const cold = net.requests().filter((r) => r.url.includes("/dist/"));
  assert.ok(cold.some((r) => isWasm(r.url) && r.bytes > 100_000), "the cold load downloads the wasm");

  for (const again of [() => page.reload(), () => page.goto(`${BASE}/test/clean.html`)]) {
    net.reset();
    await again();
    await waitForText(page, "km-story-board", data.stories[0].title);
    const dist = net.requests().filter((r) => r.url.includes("/dist/"));
    const code = dist.filter((r) => isGlue(r.url) || isSplitRuntime(r.url) || isWasm(r.url));
    const wasm = code.filter((r) => isWasm(r.url));
    assert.ok(code.some((r) => isGlue(r.url)) && code.some((r) => isSplitRuntime(r.url)), `glue and split runtime are used: ${dist.map((r) => r.url)}`);
    assert.ok(wasm.length > 4, `the main module and the chunks are used: ${dist.map((r) => r.url)}`);
    for (const r of code) {
      assert.ok(r.cached && r.status === 200, `${r.url} from the cache, not the network (status ${r.status})`);
    }
    const loader = dist.filter((r) => isLoader(r.url));
    assert.equal(loader.length, 1);
    assert.equal(loader[0].status, 304, "the loader is revalidated");
    assert.ok(loader[0].bytes < 1000, `a 304 is a few hundred bytes (${loader[0].bytes})`);
  }
  await context.close();
});
