// reflection-prompt end to end, against a km-server of its own (so it can
// stop and start it): a half-written reflection survives a reload; saved
// while the server is down it waits as pending; when the server is back it
// is saved once, not twice; shared anonymously it shows in the feed
// without the author's name.
//
// KM_SERVER_EXE (the km-server binary), KM_E2E_DIST and KM_E2E_WWW (the
// bundle, and the demo pages with tests/pages under /test/) are set by
// `cargo xtask test` and `cargo xtask e2e`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, newPage, TIMEOUT } from "./helpers.mjs";

const EXE = process.env.KM_SERVER_EXE;
const DIST = process.env.KM_E2E_DIST;
const WWW = process.env.KM_E2E_WWW;
const ready = Boolean(EXE && DIST && WWW && existsSync(EXE));

let browser;
let dir;
let port;
let server;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const base = () => `http://127.0.0.1:${port}`;

async function healthy() {
  try {
    return (await fetch(`${base()}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** Starts km-server --demo on the test's port and database; resolves when /healthz answers. */
async function startServer() {
  server = spawn(
    EXE,
    ["--demo", "--bind", `127.0.0.1:${port}`, "--database-url", `sqlite://${dir}/e2e.db?mode=rwc`,
      "--dist-dir", DIST, "--www-dir", WWW],
    { stdio: "ignore" },
  );
  const exited = new Promise((_, reject) => server.once("exit", (c) => reject(new Error(`km-server exited (${c})`))));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await Promise.race([healthy(), exited])) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error("km-server did not answer /healthz");
}

/** Stops the server and waits until it is gone. */
async function stopServer() {
  const gone = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await gone;
  server = null;
}

async function api(path, token, init = {}) {
  const r = await fetch(`${base()}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

before(async () => {
  if (!ready) return;
  dir = mkdtempSync(join(tmpdir(), "km-reflect-e2e-"));
  port = await freePort();
  await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("draft survives a reload, a save waits while the server is down, is saved once, and shares anonymously", { skip: !ready && "KM_SERVER_EXE, KM_E2E_DIST and KM_E2E_WWW are not set (cargo xtask test sets them)" }, async () => {
  const token = (await api("/demo/token", null, { method: "POST", body: JSON.stringify({ sub: "u-anna" }) })).token;
  const me = await api("/me", token);
  const before = (await api("/reflections/mine?limit=100", token)).items.length;
  const page = await newPage(browser);
  const open = async () => {
    await page.goto(`${base()}/test/reflections.html`);
    await page.waitForFunction(() => window.KmWidgets);
    await page.evaluate((t) => window.KmWidgets.configure({ token: t }), token);
    await page.locator("#rp textarea").waitFor({ state: "visible", timeout: TIMEOUT });
  };
  await open();

  // Half a reflection, then a reload: the draft is back.
  const text = `Half a thought about returns ${Date.now()}`;
  await page.locator("#rp textarea").fill(text);
  await page.reload();
  await page.waitForFunction(() => window.KmWidgets);
  await page.evaluate((t) => window.KmWidgets.configure({ token: t }), token);
  await page.locator("#rp textarea").waitFor({ state: "visible" });
  assert.equal(await page.locator("#rp textarea").inputValue(), text);
  await page.locator("#rp [part~=restored]").waitFor({ state: "visible" });

  // The server goes down; Save shows the reflection as pending.
  await stopServer();
  await page.locator("#rp [part~=save]").click();
  await page.locator("#rp [part~=pending]").waitFor({ state: "visible" });
  assert.match(await page.locator("#rp [part~=pending]").innerText(), /1 item waiting to be sent/);

  // The server comes back; the outbox delivers it (the browser reports the
  // connection back with an `online` event).
  await startServer();
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.locator("#rp [part~=saved]").waitFor({ state: "visible", timeout: TIMEOUT });
  const mine = (await api("/reflections/mine?limit=100", token)).items;
  assert.equal(mine.length, before + 1, "saved once, not twice");
  const saved = mine.filter((r) => r.body === text);
  assert.equal(saved.length, 1);
  assert.equal(saved[0].visibility, "private", "private by default");
  assert.equal(await page.locator("#rp [part~=pending]").count(), 0);

  // Share it anonymously: the event fires and the feed shows it without the name.
  await page.evaluate(() => {
    window.__shared = [];
    document.addEventListener("km-reflection-shared", (e) => window.__shared.push(e.detail));
  });
  await page.locator("#rp [part~=share-anonymous]").click();
  await page.waitForFunction(() => window.__shared.length === 1);
  assert.equal(await page.evaluate(() => window.__shared[0].reflection.visibility), "anonymous");
  await page.evaluate(() => {
    const feed = document.createElement("km-reflection-prompt");
    feed.id = "feed";
    feed.setAttribute("mode", "feed");
    document.body.append(feed);
  });
  const card = page.locator("#feed [part~=card]", { hasText: text });
  await card.waitFor({ state: "visible", timeout: TIMEOUT });
  const shown = await card.innerText();
  assert.match(shown, /Anonymous/);
  assert.ok(!shown.includes(me.name), `the feed names the author: ${shown}`);
  // The API agrees: no author on the anonymous share.
  const item = (await api("/reflections/feed?limit=100")).items.find((r) => r.body === text);
  assert.equal(item.author, undefined);
  assert.deepEqual(page.errors, []);
  await page.close();
});
