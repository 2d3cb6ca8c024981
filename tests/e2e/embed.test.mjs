// The way in where script is banned (issue 13, Reach): `/embed/<widget>`, a
// page of one widget for an iframe, framed only by the intranets named in
// `--frame-ancestors` (`cargo xtask test` names http://localhost:*: the
// intranet pages this test serves itself, cross-site to km-server at
// 127.0.0.1); and the loader's own fallback to such a frame on a page whose
// CSP refuses wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { BASE, launch, logIn, newPage, kmErrors, seeded, waitForText } from "./helpers.mjs";

let browser;
let data;
// The intranet: serves `intranet.html` at any path, under a CSP with no script.
let intranet;
let INTRANET; // listed in --frame-ancestors
let ELSEWHERE; // not listed
before(async () => {
  intranet = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "script-src 'none'" });
    res.end(intranet.html || "");
  });
  await new Promise((r) => intranet.listen(0, r));
  const port = intranet.address().port;
  INTRANET = `http://localhost:${port}`;
  ELSEWHERE = `http://127.0.0.2:${port}`;
  // Third-party cookies blocked, as Safari and Firefox do by default.
  browser = await launch(["--test-third-party-cookie-phaseout"]);
  data = await seeded();
});
after(() => {
  intranet?.close();
  return browser?.close();
});

/**
 * Serves a page on the intranet host whose CSP has no 'wasm-unsafe-eval'
 * and no script at all, with `html` in its body (as SharePoint's Embed web
 * part writes a pasted iframe).
 */
async function intranetHtml(page, host, html) {
  intranet.html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head>
    <body><h1>Team site</h1>${html}</body></html>`;
  await page.goto(`${host}/sites/team`);
}

/** The intranet page with an iframe of `src`, `height` px high. */
const intranetPage = (page, host, src, height = 600) =>
  intranetHtml(page, host, `<iframe id="km" title="A widget" src="${src}" width="800" height="${height}"></iframe>`);

test("an intranet page with no script frames a widget, which works and signs in with cookies blocked", async () => {
  const page = await newPage(browser);
  await intranetPage(page, INTRANET, `${BASE}/embed/passion-match?mode=compact&lang=nl`);
  const frame = page.frameLocator("#km");
  // The widget runs in the frame (in Dutch, as asked) and offers sign-in.
  const button = frame.locator("km-passion-match [part~=sign-in][part~=button]");
  await button.waitFor({ state: "visible" });
  assert.equal((await button.textContent()).trim(), "Aanmelden bij Northwind");
  const [popup] = await Promise.all([page.waitForEvent("popup"), button.click()]);
  await logIn(popup, "oidc-alice");
  await frame.locator("km-passion-match [part~=session]", { hasText: "Aangemeld als Alice Jansen" }).waitFor({ state: "visible" });
  assert.deepEqual(page.errors, []);
});

test("the embed page fills the frame and scrolls inside it at the heights editors choose", async () => {
  for (const height of [300, 900]) {
    const page = await newPage(browser);
    await intranetPage(page, INTRANET, `${BASE}/embed/ask-the-community`, height);
    const frame = page.frameLocator("#km");
    await waitForText(frame, "km-ask-the-community", data.questions[0].title);
    const f = page.frames().find((x) => x.url().startsWith(`${BASE}/embed/`));
    const m = await f.evaluate(() => ({
      inner: innerHeight,
      body: document.body.getBoundingClientRect().height,
      scrolls: document.body.scrollHeight > document.body.clientHeight,
      wide: document.documentElement.scrollWidth > innerWidth,
    }));
    // The page is exactly the frame; content taller than the frame scrolls inside it.
    assert.equal(m.body, m.inner, `at ${height} px`);
    if (height === 300) assert.ok(m.scrolls, "300 px: the list scrolls inside the frame");
    assert.equal(m.wide, false, `at ${height} px: no sideways scroll`);
    await page.close();
  }
});

test("a page not named in --frame-ancestors cannot frame the embed", async () => {
  const page = await newPage(browser);
  // The page's load event waits for its frame, refused or not.
  await intranetPage(page, ELSEWHERE, `${BASE}/embed/ask-the-community`);
  await page.waitForLoadState("load");
  const f = page.frames().find((x) => x !== page.mainFrame());
  assert.equal(await f.locator("km-ask-the-community").count(), 0, `the frame shows ${f.url()}`);
});

test("a script-tag page whose CSP refuses wasm gets the widget through a frame sized to its content", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/test/csp-no-wasm.html`);
  const frame = page.locator("#en-widget").locator("iframe[part~=frame]");
  await frame.waitFor({ state: "attached" });
  assert.equal(await frame.getAttribute("title"), "Ask the community");
  const inner = page.frameLocator("#en-widget iframe");
  await waitForText(inner, "km-ask-the-community", data.questions[0].title);
  // The Dutch widget is framed in Dutch.
  const nl = page.frameLocator("#nl-widget iframe");
  await nl.locator("km-story-board").getByText("Succesverhalen", { exact: false }).first().waitFor({ state: "visible" });
  assert.equal(await page.locator("#nl-widget iframe").getAttribute("title"), "Succesverhalen");
  // The frame takes the height of its content: no scrollbar, no blank space.
  await page.waitForFunction(() => {
    const f = document.querySelector("#en-widget").shadowRoot.querySelector("iframe");
    const body = f.contentDocument && f.contentDocument.body;
    return body && Math.abs(f.getBoundingClientRect().height - Math.ceil(body.getBoundingClientRect().height)) <= 1 && f.getBoundingClientRect().height > 320;
  });
  assert.deepEqual(await kmErrors(page), []);
  assert.deepEqual(page.errors, []);
});

test("embed.html gives every snippet with this server's address, and an iframe snippet works as pasted", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/embed.html`);
  const code = (label) => page.locator(`[data-km-snippet="${label}"]`).textContent();
  assert.equal(await code("script"), `<script type="module" src="${BASE}/dist/km-widgets.js" blocking="render"></script>`);
  const all = await page.locator("code").allTextContents();
  assert.ok(!all.some((c) => /km\.example\.com|widgets\.example\.com/.test(c)), "no placeholder address is left");
  // Every widget and mode, as a tag and as an iframe.
  const modes = { "ask-the-community": ["full", "ask", "unanswered"], "passion-match": ["full", "compact"],
    "reflection-prompt": ["prompt", "journal", "feed"], "story-board": ["board", "submit", "ticker"] };
  for (const [kind, list] of Object.entries(modes)) {
    for (const mode of list) {
      assert.match(await code(`tag ${kind} ${mode}`), new RegExp(`^<km-${kind} mode="${mode}"`));
      assert.match(await code(`iframe ${kind} ${mode}`), new RegExp(`^<iframe src="${BASE}/embed/${kind}\\?mode=${mode}`));
    }
  }
  // Pasted into an intranet page that runs no script, the snippet shows the widget.
  const snippet = await code("iframe ask-the-community unanswered");
  await page.close();
  const intranet = await newPage(browser);
  await intranetHtml(intranet, INTRANET, snippet);
  await intranet.frameLocator("iframe").locator("km-ask-the-community [part~=title]").first().waitFor({ state: "visible" });
  assert.deepEqual(intranet.errors, []);
});
