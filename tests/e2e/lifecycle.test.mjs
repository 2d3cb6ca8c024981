// Life cycle: removing a widget unmounts it, re-adding mounts it again, a
// live `lang` change switches to Dutch, loading the script twice is harmless,
// and a page without widgets never fetches the wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, newPage, seeded, waitForText, shadowText, shadowChildren, kmErrors } from "./helpers.mjs";

let browser;
let data;
before(async () => {
  browser = await launch();
  data = await seeded();
});
after(() => browser?.close());

test("removing an element unmounts it; adding it back mounts it again", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/clean.html`);
  const title = data.questions[0].title;
  await waitForText(page, "km-ask-the-community", title);

  // Keep the element, detach it: its content is gone.
  await page.evaluate(() => {
    window.__kept = document.querySelector("km-ask-the-community");
    window.__kept.remove();
  });
  assert.equal(await page.evaluate(() => window.__kept.shadowRoot.childElementCount), 0);
  assert.equal(await page.locator("body").getByText(title).count(), 0);

  // Put it back somewhere else: it mounts again and shows the data.
  await page.evaluate(() => document.body.prepend(window.__kept));
  await waitForText(page, "km-ask-the-community", title);
  assert.equal(await shadowChildren(page, "km-ask-the-community"), await page.evaluate(() => window.__kept.shadowRoot.childElementCount));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the div form unmounts on removal and mounts added divs", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/div-form.html`);
  await waitForText(page, "#div-ask", data.questions[0].title);
  await page.evaluate(() => {
    window.__div = document.getElementById("div-ask");
    window.__div.remove();
  });
  await page.waitForFunction(() => window.__div.shadowRoot.childElementCount === 0);
  // A div added later (as a CMS or SPA would) mounts too.
  await page.evaluate(() => {
    const d = document.createElement("div");
    d.id = "div-late";
    d.dataset.kmWidget = "story-board";
    d.dataset.limit = "2";
    document.body.append(d);
  });
  await waitForText(page, "#div-late", data.stories[0].title);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("changing lang on a live element switches it to Dutch", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/clean.html`);
  const title = data.questions[0].title;
  await waitForText(page, "km-ask-the-community", title);
  const before = await shadowText(page, "km-ask-the-community");
  await page.$eval("km-ask-the-community", (el) => el.setAttribute("lang", "nl"));
  await page.waitForFunction(
    () => document.querySelector("km-ask-the-community").shadowRoot.querySelector(".km-root")?.lang === "nl",
  );
  await waitForText(page, "km-ask-the-community", title);
  const after = await shadowText(page, "km-ask-the-community");
  assert.notEqual(after, before, "the widget's own words changed");
  // And back, following <html lang> once the element has no lang of its own.
  await page.evaluate(() => {
    document.querySelector("km-ask-the-community").removeAttribute("lang");
    document.documentElement.lang = "en";
  });
  await page.waitForFunction(
    () => document.querySelector("km-ask-the-community").shadowRoot.querySelector(".km-root")?.lang === "en",
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("loading the script twice is harmless", async () => {
  const page = await newPage(browser);
  const wasmRequests = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasmRequests.push(r.url()));
  await page.goto(`${BASE}/test/double-load.html`);
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  await waitForText(page, "[data-km-widget]", data.stories[0].title);
  // One view per widget, not two.
  assert.equal(await page.locator("km-ask-the-community").getByText(data.questions[0].title).count(), 1);
  assert.equal(await page.locator("[data-km-widget]").getByText(data.stories[0].title).count(), 1);
  // The shared module once (its name carries a content hash), and each
  // chunk of the two kinds once.
  const shared = wasmRequests.filter((u) => /\/km_widgets_bg(\.[0-9a-f]{16})?\.wasm$/.test(u));
  assert.equal(shared.length, 1, `${wasmRequests}`);
  assert.equal(new Set(wasmRequests).size, wasmRequests.length, `each wasm file once: ${wasmRequests}`);
  assert.equal(typeof (await page.evaluate(() => window.KmWidgets.version)), "string");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a page without widgets does not load the wasm", async () => {
  const page = await newPage(browser);
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));
  await page.goto(`${BASE}/test/no-widgets.html`, { waitUntil: "networkidle" });
  assert.ok(fetched.some((u) => u.endsWith("/dist/km-widgets.js")));
  assert.deepEqual(fetched.filter((u) => u.includes("km_widgets")), []);
  assert.equal(await page.evaluate(() => typeof window.KmWidgets.configure), "function");
  await page.close();
});

test("changing theme and api on a live element applies at once", async () => {
  const page = await newPage(browser);
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${BASE}/test/clean.html`);
  const sel = "km-story-board";
  await waitForText(page, sel, data.stories[0].title);
  const bg = () =>
    page.$eval(sel, (el) => getComputedStyle(el.shadowRoot.querySelector(".km-root")).backgroundColor);
  const light = await bg();
  await page.$eval(sel, (el) => el.setAttribute("theme", "dark"));
  await page.waitForFunction(
    (s) => document.querySelector(s).shadowRoot.querySelector(".km-root")?.dataset.theme === "dark",
    sel,
  );
  const dark = await bg();
  assert.notEqual(dark, light, "dark theme changes the background");
  // auto follows the reader's system setting.
  await page.$eval(sel, (el) => el.setAttribute("theme", "auto"));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForFunction((d) => {
    const root = document.querySelector("km-story-board").shadowRoot.querySelector(".km-root");
    return getComputedStyle(root).backgroundColor === d;
  }, dark);
  // A wrong api shows the error state with a retry; the right one brings the data back.
  await page.$eval(sel, (el) => el.setAttribute("api", "http://127.0.0.1:9/api/v1"));
  await page.locator(sel).getByRole("button", { name: "Try again" }).waitFor();
  const errors = await kmErrors(page);
  assert.ok(errors.some((e) => e.widget === "story-board"), "km-error fired for the failed request");
  await page.$eval(sel, (el, api) => el.setAttribute("api", api), `${BASE}/api/v1`);
  await waitForText(page, sel, data.stories[0].title);
  assert.deepEqual(page.errors, []);
  await page.close();
});
