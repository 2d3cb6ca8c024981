// Shared helpers of the e2e tests: the browser, the demo server's data, and
// waiting for what a person would see. KM_BASE_URL names a running
// `km-server --demo` (cargo xtask test starts one).
import { chromium } from "playwright-core";

export const BASE = (process.env.KM_BASE_URL || "http://127.0.0.1:8080").replace(/\/$/, "");
export const API = `${BASE}/api/v1`;
/** Long enough for a cold wasm compile on a busy 2-core machine. */
export const TIMEOUT = 30_000;

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's Chromium (or $CHROMIUM), with `extra` flags; Playwright gives each launch a fresh profile. */
export function launch(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [...ARGS, ...extra],
    timeout: TIMEOUT,
  });
}

/**
 * A new page that records uncaught errors (`page.errors`) and the `km-error`
 * events that bubble to the document (`await kmErrors(page)`).
 */
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  await page.addInitScript(() => {
    window.__kmErrors = [];
    document.addEventListener("km-error", (e) => window.__kmErrors.push(e.detail));
  });
  return page;
}

export const kmErrors = (page) => page.evaluate(() => window.__kmErrors);

/** GET from the demo API (anonymous reads are on with --demo). */
export async function getJson(path, token) {
  const r = await fetch(`${API}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
  return r.json();
}

/** A demo person's token. */
export async function demoToken(sub) {
  const r = await fetch(`${API}/demo/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub }),
  });
  if (!r.ok) throw new Error(`POST /demo/token: HTTP ${r.status}`);
  return (await r.json()).token;
}

/** Seeded titles the widgets must show: newest questions and stories. */
export async function seeded() {
  const questions = (await getJson("/questions?limit=5")).items;
  const stories = (await getJson("/stories?limit=3")).items;
  if (!questions.length || !stories.length) throw new Error("the demo seed has no questions or stories");
  return { questions, stories };
}

/** Waits until `text` is visible inside the widget matched by `selector` (pierces shadow roots). */
export function waitForText(page, selector, text) {
  return page.locator(selector).getByText(text, { exact: false }).first().waitFor({ state: "visible" });
}

/** The shadow root's visible text (innerText of its top elements). */
export function shadowText(page, selector) {
  return page.$eval(selector, (el) =>
    el.shadowRoot ? [...el.shadowRoot.children].map((c) => c.innerText || "").join("\n") : null,
  );
}

/** Number of element children of the shadow root (0 when unmounted; null without a root). */
export function shadowChildren(page, selector) {
  return page.$eval(selector, (el) => (el.shadowRoot ? el.shadowRoot.childElementCount : null));
}

/**
 * Logs `login` in on the OpenID provider's own forms in the sign-in `popup`
 * (its development login form takes any password; a consent form may
 * follow), and waits until the popup has handed over and closed.
 */
export async function logIn(popup, login) {
  const closed = popup.waitForEvent("close");
  await popup.locator("input[name=login]").fill(login);
  await popup.locator("input[name=password]").fill("any password");
  await popup.locator("button[type=submit]").click();
  const consent = popup
    .locator("input[name=prompt][value=consent]")
    .waitFor({ state: "attached" })
    .then(() => popup.locator("button[type=submit]").click())
    .catch(() => {}); // closed without asking
  await Promise.race([closed, consent]);
  await closed;
}
