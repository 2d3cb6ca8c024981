// Before a widget's code arrives its element holds the widget's place with a
// skeleton the loader draws (CSS only, in the shadow root), sized for its
// kind and mode, themed, announced as loading and otherwise hidden from
// screen readers; the widget then replaces it without moving the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, TIMEOUT, launch, newPage } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Holds every request for the glue until `release()`: the widgets' code has not arrived. */
async function holdGlue(page) {
  const held = [];
  let released = false;
  await page.route(/\/dist\/km_widgets(\.[0-9a-f]{16})?\.js$/, (route) => (released ? route.continue() : held.push(route)));
  return async () => {
    released = true;
    for (const r of held) await r.continue();
  };
}

/** What each widget element on the page shows: its skeleton's attributes and size. */
function skeletons(page) {
  return page.$$eval("km-passion-match, km-ask-the-community, km-reflection-prompt, km-story-board, [data-km-widget]", (els) =>
    els.map((el) => {
      const sk = el.shadowRoot && el.shadowRoot.querySelector("[part=skeleton]");
      const shape = sk && sk.querySelector("[aria-hidden=true]");
      return {
        kind: el.localName === "div" ? el.dataset.kmWidget : el.localName.slice(3),
        mode: el.getAttribute("mode") || el.dataset.mode || "",
        height: el.getBoundingClientRect().height,
        role: sk && sk.getAttribute("role"),
        busy: sk && sk.getAttribute("aria-busy"),
        text: sk && sk.innerText.trim(),
        hiddenShapes: sk ? [...sk.children].filter((c) => c.getAttribute("aria-hidden") === "true").length : 0,
        background: sk && getComputedStyle(sk).backgroundColor,
        animation: shape && getComputedStyle(shape).animationName,
      };
    }),
  );
}

test("every widget holds its place with a skeleton until its code arrives, sized for its kind and mode", async () => {
  const page = await newPage(browser);
  const release = await holdGlue(page);
  await page.goto(`${BASE}/test/skeletons.html`);
  await page.waitForFunction(() => document.querySelectorAll("km-story-board")[0]?.shadowRoot?.querySelector("[part=skeleton]"));
  const all = await skeletons(page);
  assert.equal(all.length, 12);
  for (const s of all) {
    assert.equal(s.role, "status", `${s.kind} ${s.mode}`);
    assert.equal(s.busy, "true");
    // Screen readers hear "Loading…"; the bars are hidden from them.
    assert.equal(s.text, "Loading…");
    assert.equal(s.hiddenShapes, 1);
    assert.ok(s.height > 60, `${s.kind} ${s.mode}: ${s.height}px`);
  }
  const h = (kind, mode) => all.find((s) => s.kind === kind && s.mode === mode).height;
  // Sized for the widget: a ticker is a line, a board a grid of cards, a
  // full list longer than one of three.
  assert.ok(h("story-board", "ticker") < 200, `ticker ${h("story-board", "ticker")}`);
  assert.ok(h("story-board", "") > 3 * h("story-board", "ticker"));
  assert.ok(h("ask-the-community", "") > h("ask-the-community", "unanswered"));
  assert.ok(h("passion-match", "") > h("passion-match", "compact"));
  // Each is replaced by its widget once the code arrives.
  await release();
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("km-passion-match, km-ask-the-community, km-reflection-prompt, km-story-board, [data-km-widget]")].every(
        (el) => el.shadowRoot.querySelector(".km-root") && !el.shadowRoot.querySelector("[part=skeleton]"),
      ),
    null,
    { timeout: TIMEOUT },
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the skeleton follows the page's language, theme and reduced motion", async () => {
  const context = await browser.newContext({ reducedMotion: "reduce", colorScheme: "dark" });
  const page = await context.newPage();
  await holdGlue(page);
  await page.goto(`${BASE}/test/skeletons.html`);
  await page.waitForFunction(() => document.querySelector("km-ask-the-community")?.shadowRoot?.querySelector(".km-sk-waiting"));
  let [s] = await skeletons(page);
  assert.equal(s.animation, "none", "no pulse under prefers-reduced-motion");
  assert.equal(s.background, "rgb(22, 24, 29)", "the widgets' dark background under a dark colour scheme");
  // theme="light" and --km-* tokens win; lang switches the announcement.
  await page.$eval("km-ask-the-community", (el) => {
    el.setAttribute("theme", "light");
    el.style.setProperty("--km-color-bg", "rgb(1, 2, 3)");
    el.setAttribute("lang", "nl");
  });
  [s] = await skeletons(page);
  assert.equal(s.background, "rgb(1, 2, 3)");
  assert.equal(s.text, "Laden…");
  await context.close();

  const moving = await newPage(browser);
  await moving.emulateMedia({ reducedMotion: "no-preference", colorScheme: "light" });
  await holdGlue(moving);
  await moving.goto(`${BASE}/test/skeletons.html`);
  // It pulses once the wait is long enough to notice.
  await moving.waitForFunction(() => document.querySelector("km-ask-the-community")?.shadowRoot?.querySelector(".km-sk-waiting"));
  [s] = await skeletons(moving);
  assert.equal(s.animation, "km-sk-pulse");
  assert.equal(s.background, "rgb(255, 255, 255)");
  await moving.close();
});

test("a widget replaces its skeleton in place: the text below it does not move", async () => {
  const page = await newPage(browser);
  const release = await holdGlue(page);
  await page.goto(`${BASE}/test/skeleton-in-place.html`);
  await page.waitForFunction(() => document.querySelector("km-story-board").shadowRoot?.querySelector("[part=skeleton]"));
  const y = () => page.$eval("#below", (p) => p.getBoundingClientRect().top);
  const before = await y();
  assert.ok(before < 400, `the paragraph is in the window (${before}px)`);
  await release();
  await page.locator("km-story-board").locator("[part~=ticker]").first().waitFor({ state: "visible", timeout: TIMEOUT });
  assert.equal(await y(), before);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the demo page does not jump while its widgets load (cumulative layout shift at most 0.02)", async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
    }).observe({ type: "layout-shift", buffered: true });
    window.__ready = new Set();
    document.addEventListener("km-ready", (e) => window.__ready.add(e.target), true);
  });
  await page.goto(`${BASE}/`);
  await page.waitForFunction(
    () => window.__ready.size >= document.querySelectorAll("km-passion-match, km-ask-the-community, km-reflection-prompt, km-story-board").length,
    null,
    { timeout: TIMEOUT },
  );
  // Shifts are reported after the frame that made them: wait two frames.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const total = await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0));
  assert.ok(total <= 0.02, `layout shift ${total.toFixed(3)}`);
  await page.close();
});
