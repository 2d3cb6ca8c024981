// ask-the-community end to end against the demo server: a person starts
// typing a question and sees a similar one, asks anyway; a second person
// (another browser) answers; the first sees the answer appear without a
// reload and accepts it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { API, BASE, TIMEOUT, demoToken, launch, newPage } from "./helpers.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The test page signed in as `token`, with the widget's list shown. */
async function open(token) {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/ask.html`);
  await page.waitForFunction(() => window.KmWidgets);
  await page.evaluate((t) => window.KmWidgets.configure({ token: t }), token);
  await page.locator("#ac [part~=ask-open]").waitFor({ state: "visible", timeout: TIMEOUT });
  return page;
}

test("similar question while typing, ask anyway, a colleague's answer appears live, accept it", async () => {
  const anna = await demoToken("u-anna");
  const bram = await demoToken("u-bram");
  const marker = `zq${Date.now().toString(36)}`;
  // Someone asked something like it before.
  const earlier = `Renewing the ${marker} VPN certificate on a laptop`;
  const r = await fetch(`${API}/questions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bram}` },
    body: JSON.stringify({ title: earlier, body: "Mine expired." }),
  });
  assert.equal(r.status, 201);

  // Anna starts typing and sees it.
  const a = await open(anna);
  await a.locator("#ac [part~=ask-open]").click();
  const title = a.locator("#ac [part~=ask-title]");
  await title.pressSequentially(`Which ${marker} VPN cert`, { delay: 20 });
  await a.locator("#ac [part~=similar-item]", { hasText: earlier }).waitFor({ state: "visible" });

  // She asks anyway.
  const mine = `Which ${marker} VPN certificate do I need on a phone?`;
  await title.fill(mine);
  await a.locator("#ac [part~=body]").fill("The **phone** app asks for one.");
  await a.evaluate(() => {
    window.__asked = [];
    document.addEventListener("km-question-asked", (e) => window.__asked.push(e.detail));
  });
  await a.locator("#ac [part~=ask]").click();
  await a.waitForFunction(() => window.__asked.length === 1);
  const qid = await a.evaluate(() => window.__asked[0].question.id);
  // The widget shows her question with no answers yet.
  await a.locator("#ac .ac-question h3", { hasText: mine }).waitFor({ state: "visible" });
  assert.equal(await a.locator("#ac [part~=answer]").count(), 0);

  // Bram, in another browser, finds it in the list and answers.
  const b = await open(bram);
  await b.locator("#ac .ac-open", { hasText: mine }).click();
  const answer = `Use the ${marker} mobile profile from the portal.`;
  await b.locator("#ac [part~=answer-body]").fill(answer);
  await b.locator("#ac [part~=post-answer]").click();
  await b.locator("#ac [part~=answer]", { hasText: answer }).waitFor({ state: "visible" });

  // Anna sees it appear without reloading, and accepts it.
  const item = a.locator("#ac [part~=answer]", { hasText: answer });
  await item.waitFor({ state: "visible", timeout: TIMEOUT });
  await a.evaluate(() => {
    window.__accepted = [];
    document.addEventListener("km-answer-accepted", (e) => window.__accepted.push(e.detail));
  });
  await item.locator("[part~=accept]").click();
  await a.locator("#ac [part~=accepted]", { hasText: answer }).waitFor({ state: "visible" });
  await a.waitForFunction(() => window.__accepted.length === 1);
  const q = await (await fetch(`${API}/questions/${qid}`, { headers: { authorization: `Bearer ${bram}` } })).json();
  assert.equal(q.solved, true);
  assert.equal(q.answers[0].body, answer);
  assert.equal(q.answers[0].accepted, true);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await a.close();
  await b.close();
});

test("a moderator closes a question as a duplicate of one picked from a search", async () => {
  const bram = await demoToken("u-bram");
  const fleur = await demoToken("u-fleur"); // km:moderator in the demo seed
  const marker = `zd${Date.now().toString(36)}`;
  const ask = async (title) => {
    const r = await fetch(`${API}/questions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bram}` },
      body: JSON.stringify({ title, body: "" }),
    });
    assert.equal(r.status, 201);
    return (await r.json()).id;
  };
  const original = `Booking the ${marker} meeting rooms for a workshop`;
  const originalId = await ask(original);
  const dupTitle = `How do I book ${marker} meeting rooms?`;
  const dupId = await ask(dupTitle);

  const m = await open(fleur);
  await m.locator("#ac .ac-open", { hasText: dupTitle }).click();
  await m.locator("#ac [part~=close-duplicate]").click();
  const candidate = m.locator("#ac [part~=candidate]", { hasText: original });
  await candidate.waitFor({ state: "visible" });
  // The tools, the picker and the change log pass axe (WCAG 2.1 A/AA).
  await m.locator("#ac [part~=change]").first().waitFor({ state: "visible" });
  const axe = await new AxeBuilder({ page: m })
    .include("#ac")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  assert.deepEqual(axe.violations.map((v) => v.id), []);
  await candidate.locator("[part~=pick]").click();
  // The note with the link to the original shows, and the log records it.
  const note = m.locator("#ac [part~=status][part~=duplicate]");
  await note.waitFor({ state: "visible" });
  await m.locator("#ac [part~=change]").nth(1).waitFor({ state: "visible" });
  const q = await (await fetch(`${API}/questions/${dupId}`, { headers: { authorization: `Bearer ${bram}` } })).json();
  assert.equal(q.duplicate_of, originalId);
  await note.locator("button").click();
  await m.locator("#ac .ac-question h3", { hasText: original }).waitFor({ state: "visible" });
  assert.deepEqual(m.errors, []);
  await m.close();
});

/** What has focus, through shadow roots: its part, tag and text. */
const focused = (page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return { part: el?.getAttribute("part") || "", tag: el?.localName || "", text: (el?.textContent || "").trim() };
  });

/** Waits until focus (through shadow roots) satisfies `check`; returns it. */
async function focusWhere(page, check, what) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const f = await focused(page);
    if (check(f)) return f;
    if (Date.now() > deadline) throw new Error(`focus is on ${JSON.stringify(f)}, expected ${what}`);
    await new Promise((r) => setTimeout(r, 50)); // poll: focus moves after a render
  }
}

test("by keyboard alone, every change of view puts focus in the new view, never on the page", async () => {
  const anna = await demoToken("u-anna");
  const page = await open(anna);
  const title = `Where is the keyboard-only ${Date.now().toString(36)} guide?`;

  // Tab reaches "Ask a question"; Enter opens the form with focus in its first field.
  await page.locator("body").focus();
  await page.keyboard.press("Tab");
  await focusWhere(page, (f) => f.part.includes("ask-open"), "the Ask button");
  await page.keyboard.press("Enter");
  await focusWhere(page, (f) => f.part.includes("ask-title"), "the title field");

  // Cancel goes back to the list, with focus on the widget's heading.
  await page.keyboard.type(title);
  await page.locator("#ac [part~=cancel]").focus();
  await page.keyboard.press("Enter");
  await focusWhere(page, (f) => f.tag === "h2", "the widget's heading");

  // Ask for real: Enter in the title posts; focus lands on the new question's heading.
  await page.keyboard.press("Tab");
  await focusWhere(page, (f) => f.part.includes("ask-open"), "the Ask button");
  await page.keyboard.press("Enter");
  await focusWhere(page, (f) => f.part.includes("ask-title"), "the title field");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(title);
  await page.locator("#ac [part~=ask]").focus();
  await page.keyboard.press("Enter");
  await focusWhere(page, (f) => f.tag === "h3" && f.text === title, "the question's heading");

  // "All questions" returns to the list, with focus on the question just left.
  await page.keyboard.press("Shift+Tab");
  await focusWhere(page, (f) => f.part.includes("back"), "All questions");
  await page.keyboard.press("Enter");
  await focusWhere(page, (f) => f.text === title && f.tag === "button", "the question in the list");

  // Enter on it opens it again, focus on its heading; the next Tab stays in the widget.
  await page.keyboard.press("Enter");
  await focusWhere(page, (f) => f.tag === "h3" && f.text === title, "the question's heading");
  await page.keyboard.press("Tab");
  const inside = await page.evaluate(() => document.activeElement?.id);
  assert.equal(inside, "ac", "the next Tab stays in the widget");
  assert.deepEqual(page.errors, []);
});

test("on my own question: no vote for myself, 'Add details', and Follow says Following when it is", async () => {
  const anna = await demoToken("u-anna");
  const bram = await demoToken("u-bram");
  const title = `Who has the ${Date.now().toString(36)} projector remote?`;
  const post = async (path, token, body) => {
    const r = await fetch(`${API}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    assert.equal(r.status, 201, `POST ${path}`);
    return r.json();
  };
  const q = await post("/questions", anna, { title, body: "Room 4 has none." });
  await post(`/questions/${q.summary?.id ?? q.id}/answers`, bram, { body: "Facilities keeps a spare one." });

  const page = await open(anna);
  await page.locator("#ac .ac-open", { hasText: title }).click();
  const question = page.locator("#ac .ac-question");
  await question.locator("h3", { hasText: title }).waitFor({ state: "visible" });
  const own = question.locator(":scope > .ac-actions");
  assert.equal(await own.locator("[part~=vote]").count(), 0, "no vote on my own question");
  // Bram's answer can be voted on.
  const answer = page.locator("#ac [part~=answer]", { hasText: "Facilities keeps a spare one." });
  assert.equal(await answer.locator("[part~=vote]").count(), 1);
  // The asker adds details rather than answering.
  assert.equal((await page.locator("#ac [part~=answer-form] label").first().textContent()).trim(), "Add details");
  // Follow's words follow its state.
  const follow = page.locator("#ac [part~=follow]");
  for (let i = 0; i < 2; i++) {
    const pressed = (await follow.getAttribute("aria-pressed")) === "true";
    assert.equal((await follow.textContent()).trim(), pressed ? "Following" : "Follow");
    await follow.click();
    await page.waitForFunction(
      (was) => {
        const b = document.querySelector("#ac").shadowRoot.querySelector("[part~=follow]");
        return b && b.getAttribute("aria-pressed") === String(!was);
      },
      pressed,
    );
  }
  assert.deepEqual(page.errors, []);
});
