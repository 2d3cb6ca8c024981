// What the host page can and cannot do to the widgets: hostile global CSS
// changes nothing inside them; a strict CSP with 'wasm-unsafe-eval' works
// (one without it gets the widget in a frame: embed.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, newPage, seeded, waitForText, kmErrors } from "./helpers.mjs";

let browser;
let data;
before(async () => {
  browser = await launch();
  data = await seeded();
});
after(() => browser?.close());

const PROPS = [
  "color", "font-size", "font-family", "line-height", "letter-spacing", "text-transform",
  "display", "padding-top", "margin-top", "border-top-style", "border-top-width", "background-color",
];

/** Computed styles of every element inside each widget's shadow root, by position. */
function stylesInside(page) {
  return page.evaluate((props) => {
    const out = {};
    for (const host of document.querySelectorAll("km-ask-the-community, km-story-board")) {
      out[host.localName] = [...host.shadowRoot.querySelectorAll("*")].map((el) => {
        const cs = getComputedStyle(el);
        return [el.localName + "." + el.className, ...props.map((p) => cs.getPropertyValue(p))].join("|");
      });
    }
    return out;
  }, PROPS);
}

async function loadWithData(path) {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(`${BASE}${path}`);
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  await waitForText(page, "km-story-board", data.stories[0].title);
  return page;
}

test("hostile page CSS leaves the widgets' styles unchanged", async () => {
  const clean = await loadWithData("/test/clean.html");
  const hostile = await loadWithData("/test/hostile-css.html");
  // The hostile sheet did apply to the page itself.
  assert.equal(await hostile.$eval("h1", (h) => getComputedStyle(h).color), "rgb(255, 0, 0)");
  const a = await stylesInside(clean);
  const b = await stylesInside(hostile);
  for (const widget of Object.keys(a)) {
    assert.ok(a[widget].length > 0, `${widget} rendered elements`);
    assert.deepEqual(b[widget], a[widget], `${widget}: computed styles differ under hostile CSS`);
  }
  assert.deepEqual(hostile.errors, []);
  await clean.close();
  await hostile.close();
});

test("a strict CSP with 'wasm-unsafe-eval' and style-src 'self' works", async () => {
  const page = await newPage(browser);
  const violations = [];
  page.on("console", (m) => m.type() === "error" && /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
  await page.goto(`${BASE}/test/csp-ok.html`);
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  await waitForText(page, "km-story-board", data.stories[0].title);
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  assert.deepEqual((await kmErrors(page)).filter((e) => e.title === "load-failed"), []);
  await page.close();
});
