// story-board end to end: a person submits a story with a metric through the
// form, a moderator publishes it from the review queue, it appears on the
// board and in the impact chart, and the CSV export (the widget's download
// and the endpoint) contains it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { API, BASE, launch, newPage, demoToken, waitForText, kmErrors } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Opens the test page signed in as `sub` with one story board (`attrs`). */
async function boardAs(sub, attrs) {
  const page = await newPage(browser);
  const token = await demoToken(sub);
  await page.goto(`${BASE}/test/stories.html`);
  await page.evaluate(
    ({ token, attrs }) => {
      window.KmWidgets.configure({ token });
      window.__submitted = [];
      document.addEventListener("km-story-submitted", (e) => window.__submitted.push(e.detail.story));
      const el = document.createElement("km-story-board");
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      document.getElementById("slot").append(el);
    },
    { token, attrs },
  );
  return page;
}

test("a submitted story is published by a moderator, shows on the board and in the chart, and is exported", async () => {
  // Short enough to be shown whole beside its bar in the chart.
  const title = `Wiki cuts resets ${Date.now() % 100000}`;
  const board = "km-story-board";

  // 1. Ruben shares a story with one metric (lower is better).
  const author = await boardAs("u-ruben", { mode: "submit", lang: "en" });
  const form = author.locator(board);
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("The situation before").fill("Password resets took a technician four hours a week.");
  await form.getByLabel("The result").fill("A self-service article does most of them now.");
  await form.getByLabel("What is measured").fill("Reset handling");
  await form.getByLabel("Unit").fill("h/week");
  await form.getByLabel("Baseline", { exact: true }).fill("4");
  await form.getByLabel("Now", { exact: true }).fill("1,5");
  await form.getByLabel("Better is").selectOption("lower");
  await form.getByRole("button", { name: "Submit story" }).click();
  await waitForText(author, board, "A moderator will review your story");
  const [submitted] = await author.evaluate(() => window.__submitted);
  assert.equal(submitted.title, title);
  assert.equal(submitted.status, "submitted");
  assert.equal(submitted.metrics[0].higher_is_better, false);
  assert.equal(submitted.metrics[0].current, 1.5);
  assert.deepEqual(await kmErrors(author), []);
  // Not on the public board yet.
  const before = await (await fetch(`${API}/stories?limit=100`)).json();
  assert.ok(!before.items.some((s) => s.title === title));
  await author.close();

  // 2. Fleur (moderator) publishes it from the review queue.
  const mod = await boardAs("u-fleur", { lang: "en", limit: "20" });
  const w = mod.locator(board);
  await w.getByRole("button", { name: "To review" }).click();
  const card = w.locator("[part~=card]", { hasText: title });
  await card.getByRole("button", { name: "Publish" }).click();
  await waitForText(mod, board, `“${title}” is published.`);

  // 3. It is on the board, with its number and an applause toggle.
  await w.getByRole("button", { name: "Stories", exact: true }).click();
  const published = w.locator("[part~=card]", { hasText: title });
  await published.waitFor({ state: "visible" });
  assert.match(await published.innerText(), /4\sh\/week → 1\.5\sh\/week/);
  const applause = published.getByRole("button", { name: new RegExp(`^Applaud ${title} \\d+$`) });
  assert.equal(await applause.getAttribute("aria-pressed"), "false");
  assert.equal(await applause.locator("[part~=count]").innerText(), "0");
  await applause.click();
  await mod.waitForFunction(
    (t) => fetch("/api/v1/stories?limit=100").then((r) => r.json()).then((p) => p.items.find((s) => s.title === t)?.applause === 1),
    title,
  );
  assert.equal(await applause.getAttribute("aria-pressed"), "true");
  assert.equal(await applause.locator("[part~=count]").innerText(), "1");

  // 4. It is in the impact chart (a bar labelled with its title) and its table.
  await w.getByRole("button", { name: "Impact" }).click();
  const chart = w.locator("figure[part~=chart]").first();
  await chart.locator("svg text", { hasText: title }).waitFor();
  await chart.getByText("Show as table").click();
  await chart.getByRole("row", { name: new RegExp(title) }).waitFor();
  assert.match(await chart.getByRole("row", { name: new RegExp(title) }).innerText(), /\+62\.5%/);

  // 5. The CSV download of the widget contains it, and so does the endpoint.
  const download = mod.waitForEvent("download");
  await w.getByRole("button", { name: "Download CSV" }).click();
  const file = await (await download).path();
  const csv = await readFile(file, "utf8");
  assert.match(csv.split("\r\n")[0], /^story_id,title,goal,team/);
  const row = csv.split("\r\n").find((l) => l.includes(title));
  assert.ok(row, "the story is in the widget's CSV");
  assert.match(row, /,Reset handling,h\/week,4,1\.5,false,/);
  const res = await fetch(`${API}/stories/export.csv`);
  assert.match(res.headers.get("content-type"), /^text\/csv/);
  assert.match(res.headers.get("content-disposition"), /attachment; filename=".+\.csv"/);
  assert.ok((await res.text()).includes(title));
  assert.deepEqual(await kmErrors(mod), []);
  assert.deepEqual(mod.errors, []);
  await mod.close();
});
