// Sign-in without a portal developer (issue 13, Reach): a page with only the
// script tag, against km-server signing people in with a real OpenID
// provider (npm's oidc-provider, started by `cargo xtask test`). A person
// clicks "Sign in with Northwind", logs in on the provider's own form in the
// popup, and every widget of the page is signed in at once, with what they
// typed before still there; a reload keeps them signed in, another tab
// follows, and signing out signs them out and ends the session at the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { API, BASE, launch, logIn, newPage } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** The sign-in button of the widget `sel`. */
const signInButton = (page, sel) => page.locator(`${sel} [part~=sign-in][part~=button]`);

/**
 * The stored session of the page's API base, if any. Kept as lines:
 * `km-session-1`, the access token, its end (ms), the refresh token, the
 * session's end.
 */
const storedSession = (page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("km-session:"));
    if (!key) return null;
    const [version, access_token, access_until, refresh_token, session_until] = localStorage.getItem(key).split("\n");
    return { version, access_token, access_until: Number(access_until), refresh_token, session_until: Number(session_until) };
  });

test("a person signs in in the popup: every widget follows, the draft stays, a reload and another tab stay signed in, sign-out ends it", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/sign-in.html`);

  // Signed out: passion-match offers sign-in with the organization's name.
  const pmButton = signInButton(page, "#pm");
  await pmButton.waitFor({ state: "visible" });
  assert.equal((await pmButton.textContent()).trim(), "Sign in with Northwind");

  // A question typed while signed out meets the sign-in note, not a loss.
  const title = `Who knows the badge printer? ${Date.now()}`;
  await page.locator("#ac [part~=ask-open]").click();
  await page.locator("#ac [part~=ask-title]").fill(title);
  await page.locator("#ac [part~=body]").fill("It prints blank badges since Monday.");
  await page.locator("#ac [part~=ask]").click();
  const acButton = signInButton(page, "#ac");
  await acButton.waitFor({ state: "visible" });

  // Sign in from ask-the-community, on the provider's own login form.
  const [popup] = await Promise.all([page.waitForEvent("popup"), acButton.click()]);
  await logIn(popup, "oidc-alice");

  // Both widgets are signed in at once, without a reload.
  for (const sel of ["#pm", "#ac"]) {
    await page.locator(`${sel} [part~=session]`, { hasText: "Signed in as Alice Jansen" }).waitFor({ state: "visible" });
  }
  await pmButton.waitFor({ state: "detached" });
  // Focus moved to the widget where the person signed in.
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, "ac");
  // The typed question is still there, and now it posts.
  assert.equal(await page.locator("#ac [part~=ask-title]").inputValue(), title);
  await page.locator("#ac [part~=ask]").click();
  await page.locator("#ac .ac-question h3", { hasText: title }).waitFor({ state: "visible" });

  // The question is Alice's, as the provider said who she is.
  const session = await storedSession(page);
  assert.ok(session?.refresh_token, "the session is kept in the page's localStorage");
  const me = await (await fetch(`${API}/me`, { headers: { authorization: `Bearer ${session.access_token}` } })).json();
  assert.equal(me.name, "Alice Jansen");
  assert.equal(me.department, "Sales");

  // A reload stays signed in, with no popup.
  await page.reload();
  await page.locator("#pm [part~=session]", { hasText: "Signed in as Alice Jansen" }).waitFor({ state: "visible" });
  assert.equal(await signInButton(page, "#pm").count(), 0);

  // Another tab of the same browser is signed in and follows sign-out.
  const other = await page.context().newPage();
  await other.goto(`${BASE}/test/sign-in.html`);
  await other.locator("#pm [part~=session]", { hasText: "Signed in as Alice Jansen" }).waitFor({ state: "visible" });

  // Sign out: both widgets and the other tab offer sign-in again.
  await page.locator("#pm [part~=sign-out]").click();
  await signInButton(page, "#pm").waitFor({ state: "visible" });
  await signInButton(other, "#pm").waitFor({ state: "visible" });
  assert.equal(await page.locator("[part~=session]").count(), 0);
  assert.equal(await storedSession(page), null);

  // The server ended the session: its refresh token no longer works.
  const r = await fetch(`${API}/auth/refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: session.refresh_token }),
  });
  assert.equal(r.status, 401);
  assert.deepEqual(page.errors, []);
});

test("a page that brings its own token never offers sign-in", async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/v1/auth") asked.push(r.url());
  });
  // A portal whose getToken has no one signed in yet.
  await page.goto(`${BASE}/test/sign-in-portal.html`);
  await page.locator("#pm [part~=note][part~=sign-in]").waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  // The note is there, the button is not: the page says who people are.
  assert.equal(await signInButton(page, "#pm").isVisible(), false);
  assert.deepEqual(asked, []);
});

test("an expired access token is refreshed once, and the refresh token rotates", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/sign-in.html`);
  const [popup] = await Promise.all([page.waitForEvent("popup"), signInButton(page, "#pm").click()]);
  await logIn(popup, "oidc-bram");
  await page.locator("#pm [part~=session]", { hasText: "Signed in as Bram de Vries" }).waitFor({ state: "visible" });
  const first = await storedSession(page);
  // Make the stored access token look expired; the next requests of two
  // widgets at once must refresh it one at a time (a second use of a refresh
  // token would end the session).
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("km-session:"));
    const lines = localStorage.getItem(key).split("\n");
    lines[2] = String(Date.now() - 1000);
    localStorage.setItem(key, lines.join("\n"));
  });
  await page.reload();
  await page.locator("#ac [part~=session]", { hasText: "Signed in as Bram de Vries" }).waitFor({ state: "visible" });
  await page.locator("#pm [part~=session]", { hasText: "Signed in as Bram de Vries" }).waitFor({ state: "visible" });
  await page.waitForFunction(
    (old) => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("km-session:"));
      const lines = key && localStorage.getItem(key).split("\n");
      return lines && lines[3] !== old && Number(lines[2]) > Date.now();
    },
    first.refresh_token,
  );
  const next = await storedSession(page);
  assert.equal(await signInButton(page, "#pm").count(), 0);
  // Still one live session: had two requests presented the old refresh
  // token, the server would have ended it and the new one would be refused.
  await page.close();
  const r = await fetch(`${API}/auth/refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: next.refresh_token }),
  });
  assert.equal(r.status, 200);
});
