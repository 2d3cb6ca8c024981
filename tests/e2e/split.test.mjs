// Code splitting (issue 12, Weight): a page downloads the shared module once,
// the code of a widget only when an element of that kind is on it, and a
// heavy part only when someone opens it. Read from the browser's own list of
// resources, against the chunk lists `cargo xtask dist` wrote into
// dist/manifest.json: a build that put every widget back into one module, or
// a loader that fetched every chunk, fails here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, newPage, demoToken, seeded, waitForText } from "./helpers.mjs";

let browser;
let manifest;
let data;
before(async () => {
  browser = await launch();
  const r = await fetch(`${BASE}/dist/manifest.json`);
  if (!r.ok) throw new Error(`GET /dist/manifest.json: HTTP ${r.status}`);
  manifest = await r.json();
  data = await seeded();
});
after(() => browser?.close());

/** The file names of every resource the page fetched so far (with repeats). */
const fetchedFiles = (page) =>
  page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname.split("/").pop()),
  );

/** The files a page with only `kind` loads before its first render, by their served (hashed) names. */
const firstRender = (kind) => manifest.kinds[kind].first_render.files;

/** The served name of a file the build wrote as `name` (`split_story_board.wasm` -> `split_story_board.<hash>.wasm`). */
function served(name) {
  const hashed = manifest.assets[name];
  assert.ok(hashed, `dist wrote no ${name}`);
  return hashed;
}

/** Files a page of `kind` needs that a page of `other` does not. */
function onlyFor(kind, other) {
  const mine = new Set(firstRender(other));
  return firstRender(kind).filter((f) => !mine.has(f));
}

/** The wasm requests that reached the network, per file (memory-cache hits of a preload are not requests). */
function countWasm(page) {
  const counts = new Map();
  page.on("requestfinished", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) counts.set(name, (counts.get(name) || 0) + 1);
  });
  return counts;
}

test("the manifest gives every kind its own chunk and a page well below the whole bundle", () => {
  for (const kind of ["passion-match", "ask-the-community", "reflection-prompt", "story-board"]) {
    const page = manifest.kinds[kind];
    assert.ok(page, `manifest.kinds["${kind}"]`);
    const own = served(`split_${kind.replaceAll("-", "_")}.wasm`);
    assert.ok(page.first_render.files.includes(own), `${kind}'s own chunk: ${page.first_render.files}`);
    const [mine, all] = [page.first_render.bytes.brotli, manifest.everything.bytes.brotli];
    assert.ok(mine < all, `${kind}: ${mine} < everything ${all}`);
  }
});

test("a page with only ask-the-community never requests the story board's code", async () => {
  const page = await newPage(browser);
  const wasm = countWasm(page);
  await page.goto(`${BASE}/test/ask.html`);
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  const files = await fetchedFiles(page);
  const storyOnly = onlyFor("story-board", "ask-the-community");
  assert.ok(storyOnly.includes(served("split_story_board.wasm")));
  assert.deepEqual(files.filter((f) => storyOnly.includes(f)), [], "story-board chunks on an ask page");
  for (const f of firstRender("ask-the-community")) {
    if (f.endsWith(".wasm")) assert.equal(wasm.get(f), 1, `${f} fetched once (got ${wasm.get(f)})`);
  }
  // Nothing beyond what the manifest lists for this page (no lazy part yet).
  const extra = [...wasm.keys()].filter((f) => !firstRender("ask-the-community").includes(f));
  assert.deepEqual(extra, [], "wasm beyond the ask page's list");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a page with two kinds loads both chunks, each file once", async () => {
  const page = await newPage(browser);
  const wasm = countWasm(page);
  await page.goto(`${BASE}/test/double-load.html`);
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  await waitForText(page, "[data-km-widget]", data.stories[0].title);
  const want = new Set([...firstRender("ask-the-community"), ...firstRender("story-board")]);
  for (const f of want) {
    if (f.endsWith(".wasm")) assert.equal(wasm.get(f), 1, `${f} fetched once (got ${wasm.get(f)})`);
  }
  const passionOnly = onlyFor("passion-match", "ask-the-community").filter((f) => !want.has(f));
  assert.deepEqual((await fetchedFiles(page)).filter((f) => passionOnly.includes(f)), [], "passion-match chunks");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the story form's code arrives when the form is opened, and focus lands in it", async () => {
  const page = await newPage(browser);
  const token = await demoToken("u-ruben");
  const wasm = countWasm(page);
  await page.goto(`${BASE}/test/stories.html`);
  await page.evaluate((token) => {
    window.KmWidgets.configure({ token });
    document.getElementById("slot").append(document.createElement("km-story-board"));
  }, token);
  const board = "km-story-board";
  await waitForText(page, board, data.stories[0].title);
  const form = manifest.parts.story_board_parts;
  const formChunk = served("split_story_board_parts.wasm");
  assert.ok(form && form.files.includes(formChunk), "the form is a part of its own");
  assert.deepEqual(manifest.kinds["story-board"].lazy.files, form.files, "the story board's lazy part");
  assert.equal(wasm.get(formChunk), undefined, "the form's code before it was opened");

  await page.locator(board).getByRole("button", { name: "Share a story" }).click();
  const title = page.locator(board).getByLabel("Title", { exact: true });
  await title.waitFor({ state: "visible" });
  assert.equal(wasm.get(formChunk), 1);
  // The person opened the form: focus is in it, on its first field.
  await page.waitForFunction(
    (sel) => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el && el.closest("form") !== null;
    },
    board,
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});
