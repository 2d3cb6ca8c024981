// The demo intranet: all four widgets mount in open shadow roots and show the
// seeded server data; the div form works; two instances stay independent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, newPage, seeded, getJson, waitForText, shadowText, kmErrors, TIMEOUT } from "./helpers.mjs";

let browser;
let data;
before(async () => {
  browser = await launch();
  data = await seeded();
});
after(() => browser?.close());

test("the demo page shows all four widgets with server data", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/`);
  // The page signs in the first demo person: the signed-in widgets get their data too.
  const person = (await getJson("/demo/people"))[0];
  await waitForText(page, "km-ask-the-community", data.questions[0].title);
  await waitForText(page, "km-story-board", data.stories[0].title);
  for (const tag of ["km-ask-the-community", "km-story-board", "km-passion-match", "km-reflection-prompt"]) {
    await page.waitForFunction(
      (t) => {
        const root = document.querySelector(t)?.shadowRoot;
        return root && root.querySelector(".km-root") && root.textContent.trim().length > 0;
      },
      tag,
      { timeout: TIMEOUT },
    );
  }
  // The reflection prompt shows today's prompt for the signed-in person.
  await page.waitForFunction(() => window.KmWidgets?.config?.token);
  const token = await page.evaluate(() => window.KmWidgets.config.token);
  const today = await getJson("/prompts/today?lang=en", token);
  await waitForText(page, "km-reflection-prompt", today.prompt.text);
  // Passion match shows colleagues: at least one demo person's name.
  const people = await getJson("/demo/people");
  await page.waitForFunction(
    (names) => {
      const t = document.querySelector("km-passion-match").shadowRoot.textContent;
      return names.some((n) => t.includes(n));
    },
    people.filter((p) => p.id !== person.id).map((p) => p.name),
    { timeout: TIMEOUT },
  );
  assert.deepEqual(page.errors, []);
  assert.deepEqual(await kmErrors(page), []);
  await page.close();
});

test("two instances of one widget work independently (limit and lang)", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/two-instances.html`);
  await waitForText(page, "#second", data.questions[1].title);
  await waitForText(page, "#first", data.questions[0].title);
  const first = await shadowText(page, "#first");
  const second = await shadowText(page, "#second");
  assert.ok(!first.includes(data.questions[1].title), "limit=1 shows only the first question");
  assert.equal(await page.$eval("#first", (e) => e.shadowRoot.querySelector(".km-root").lang), "en");
  assert.equal(await page.$eval("#second", (e) => e.shadowRoot.querySelector(".km-root").lang), "nl");
  // The chrome around the titles is in two languages.
  const strip = (t) => data.questions.reduce((s, q) => s.split(q.title).join(""), t).trim();
  assert.notEqual(strip(first), strip(second));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the <div data-km-widget> form mounts widgets", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/div-form.html`);
  await waitForText(page, "#div-ask", data.questions[0].title);
  await waitForText(page, "#div-stories", data.stories[0].title);
  assert.equal(await page.$eval("#div-stories", (e) => e.shadowRoot.querySelector(".km-root").lang), "nl");
  assert.deepEqual(page.errors, []);
  await page.close();
});
