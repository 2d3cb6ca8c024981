// passion-match end to end, two demo people in two browser contexts: both
// declare the same new passion in the editor (saved by itself), find each
// other through the passion filter, one says hi, the other accepts, and
// both then see the other's e-mail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { API, BASE, TIMEOUT, demoToken, launch, newPage, kmErrors } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

async function api(path, token, method = "GET") {
  const r = await fetch(`${API}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status}`);
  return r.status === 204 ? null : r.json();
}

/** Deletes every intro `token`'s person sent or received (a rerun starts clean). */
async function clearIntros(token) {
  for (const box of ["incoming", "outgoing"]) {
    for (const i of (await api(`/intros?box=${box}&limit=100`, token)).items) {
      await api(`/intros/${i.id}`, token, "DELETE");
    }
  }
}

/** Waits until `locator` matches exactly `n` elements (the list reloads after a filter change). */
async function waitForCount(locator, n) {
  const deadline = Date.now() + TIMEOUT;
  while ((await locator.count()) !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} elements, have ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100)); // poll the DOM
  }
}

/** The test page signed in as `token`, with the widget's editor shown. */
async function open(token) {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/passion.html`);
  await page.waitForFunction(() => window.KmWidgets);
  await page.evaluate((t) => {
    window.__sent = [];
    window.__saved = [];
    document.addEventListener("km-intro-sent", (e) => window.__sent.push(e.detail));
    document.addEventListener("km-profile-saved", (e) => window.__saved.push(e.detail));
    window.KmWidgets.configure({ token: t });
  }, token);
  await page.locator("#pm [part~=why]").waitFor({ state: "visible" });
  return page;
}

/**
 * Adds `passion` in the tag picker, shares with the organization, opens the
 * chat; waits for "Saved" and for the server to have all of it (the edits
 * may be saved in more than one step).
 */
async function declare(page, passion, token) {
  const picker = page.locator("#pm [part~=tag-picker] input[role=combobox]");
  await picker.fill(passion);
  await picker.press("Enter");
  await page.locator("#pm [part~=visibility] input").first().check();
  const chat = page.locator("#pm [part~=open-to-chat]");
  if (!(await chat.isChecked())) await chat.check();
  await page.locator("#pm [part~=saved]").waitFor({ state: "visible" });
  await page.waitForFunction(() => window.__saved.length > 0);
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const p = await api("/profiles/me", token);
    if (p.passions.some((x) => x.tag === passion) && p.visibility === "organization" && p.open_to_chat) return p;
    if (Date.now() > deadline) throw new Error(`not saved: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 200)); // poll the server, not a fixed wait
  }
}

test("two people share a passion, find each other, say hi, accept, and see each other's contact", async () => {
  const passion = `E2E tide pooling ${Date.now()}`;
  const [sofia, daan] = [await demoToken("u-sofia"), await demoToken("u-daan")];
  const [meS, meD] = [await api("/me", sofia), await api("/me", daan)];
  await clearIntros(sofia);
  await clearIntros(daan);

  const pageS = await open(sofia);
  await declare(pageS, passion, sofia);

  const pageD = await open(daan);
  await declare(pageD, passion, daan);
  // Daan filters his matches by the new passion: Sofia, and only her.
  await pageD.locator("#pm [part~=filter]").selectOption({ label: passion });
  await waitForCount(pageD.locator("#pm [part~=matches] [part~=card]"), 1);
  const card = pageD.locator("#pm [part~=card]", { hasText: meS.name });
  await card.waitFor({ state: "visible" });
  await card.locator("[part~=shared]", { hasText: passion }).waitFor({ state: "visible" });
  assert.match(await card.locator("[part~=reason]").innerText(), /^You both love /);

  // Say hi with a message.
  await card.locator("[part~=say-hi]").click();
  await card.locator("textarea").fill("Low tide on Saturday?");
  await card.locator("[part~=send]").click();
  await card.locator("[part~=sent]").waitFor({ state: "visible" });
  await pageD.waitForFunction(() => window.__sent.length === 1);
  assert.equal(await pageD.evaluate(() => window.__sent[0].intro.to.id), meS.id);

  // Sofia sees it (after a reload), accepts, and sees Daan's e-mail.
  await pageS.reload();
  await pageS.waitForFunction(() => window.KmWidgets);
  await pageS.evaluate((t) => window.KmWidgets.configure({ token: t }), sofia);
  const intro = pageS.locator("#pm [part~=incoming] [part~=intro]", { hasText: meD.name });
  await intro.waitFor({ state: "visible" });
  assert.match(await intro.innerText(), /Low tide on Saturday\?/);
  assert.equal(await intro.locator("[part~=contact]").count(), 0, "no contact before accepting");
  await intro.locator("[part~=accept]").click();
  await intro.locator("[part~=contact-link]").waitFor({ state: "visible" });
  assert.equal(await intro.locator("[part~=contact-link]").innerText(), meD.email);

  // Daan sees Sofia's e-mail on his sent intro.
  await pageD.reload();
  await pageD.waitForFunction(() => window.KmWidgets);
  await pageD.evaluate((t) => window.KmWidgets.configure({ token: t }), daan);
  const sent = pageD.locator("#pm [part~=outgoing] [part~=intro]", { hasText: meS.name });
  await sent.locator("[part~=contact-link]").waitFor({ state: "visible" });
  assert.equal(await sent.locator("[part~=contact-link]").innerText(), meS.email);

  for (const p of [pageS, pageD]) {
    assert.deepEqual(p.errors, []);
    assert.deepEqual(await kmErrors(p), []);
    await p.close();
  }
});
