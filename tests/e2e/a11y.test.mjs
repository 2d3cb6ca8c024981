// Accessibility: axe-core (WCAG 2.1 A and AA rules, open shadow roots
// included) finds nothing on the demo page and on a page with all four
// widgets, in light and dark, in English and Dutch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { BASE, launch, newPage, seeded, waitForText } from "./helpers.mjs";

let browser;
let data;
before(async () => {
  browser = await launch();
  data = await seeded();
});
after(() => browser?.close());

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function violations(page) {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
}

async function ready(page) {
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  await waitForText(page, "km-story-board", data.stories[0].title);
  for (const tag of ["km-passion-match", "km-reflection-prompt"]) {
    await page.waitForFunction(
      (t) => document.querySelector(t)?.shadowRoot?.querySelector(".km-root [part~='title']"),
      tag,
    );
  }
}

for (const scheme of ["light", "dark"]) {
  test(`the demo page has no WCAG A/AA violations (${scheme})`, async () => {
    const page = await newPage(browser);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${BASE}/`);
    await ready(page);
    assert.deepEqual(await violations(page), []);
    await page.close();
  });
}

test("the widgets in Dutch, dark theme, have no WCAG A/AA violations", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/clean.html`);
  await page.evaluate(() => {
    for (const el of document.querySelectorAll("km-ask-the-community, km-passion-match, km-reflection-prompt, km-story-board")) {
      el.setAttribute("lang", "nl");
      el.setAttribute("theme", "dark");
    }
  });
  await ready(page);
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test("axe sees inside the widgets: a host page that themes text unreadably is caught", async () => {
  // Guards the tests above against passing because axe skipped the shadow roots.
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/clean.html`);
  await ready(page);
  await page.addStyleTag({ content: "km-story-board { --km-color-text: #d0d0d0; --km-color-muted: #d8d8d8; }" });
  const found = await violations(page);
  assert.ok(found.some((v) => v.includes("color-contrast") && v.includes("km-story-board")), found.join("\n"));
  await page.close();
});
