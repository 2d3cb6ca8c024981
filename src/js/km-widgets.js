// km-widgets loader: the hand-written ES module an intranet page includes with
//   <script type="module" src=".../dist/km-widgets.js"></script>
//
// It defines the four custom elements and the `<div data-km-widget>` form,
// loads the shared wasm module lazily (only once a widget is on the page) and
// once per page, and each widget's own chunk only when an element of that
// kind is on the page; it mounts each widget into an open shadow root through
// the wasm exports `load(kind)` and `mount(kind, host, shadowRoot, attrs)`,
// and defines `window.KmWidgets`. Until a widget's code has arrived, its
// element shows a skeleton that takes the widget's space, and every file the
// page needs downloads at once (see "first paint" below). The seam with the
// wasm side is described in docs/DESIGN.md.
//
// Loading this script twice is harmless: the global API, the element
// definitions and the div scanner are all guarded.

const VERSION = "0.1.0";
const KINDS = ["passion-match", "ask-the-community", "reflection-prompt", "story-board"];
// Attributes forwarded to the wasm side (without any `data-` prefix).
const ATTRS = ["api", "lang", "theme", "community", "mode", "limit", "tag", "prompt-set", "goal", "team"];
const LANGS = ["en", "nl"];
// Names of the iframe fallback's frames (their accessible names).
const TITLES = {
  en: { "passion-match": "Passion match", "ask-the-community": "Ask the community", "reflection-prompt": "Reflection", "story-board": "Success stories" },
  nl: { "passion-match": "Passiematch", "ask-the-community": "Vraag het de community", "reflection-prompt": "Reflectie", "story-board": "Succesverhalen" },
};
const MESSAGES = {
  en: "This widget could not be loaded. Please try again later or contact the intranet team.",
  nl: "Deze widget kon niet worden geladen. Probeer het later opnieuw of neem contact op met het intranetteam.",
};

// The URL this module was loaded from: glue and wasm sit next to it, and its
// origin is the default API origin.
const HERE = new URL(import.meta.url);

// ---------------------------------------------------------------- global API

const api = window.KmWidgets && window.KmWidgets.__loader ? window.KmWidgets : createApi();
window.KmWidgets = api;

function createApi() {
  /** Every mounted widget, so configure() can re-resolve `api` on them. */
  const live = new Set();
  /** Per kind: the promise of the glue once that kind's code has arrived. */
  const kinds = new Map();
  let gluePromise = null;
  let resolveReady;
  const ready = new Promise((r) => (resolveReady = r));
  const obj = {
    __loader: true,
    version: VERSION,
    config: {},
    ready,
    configure(opts = {}) {
      Object.assign(obj.config, opts);
      // Only widgets without their own `api` attribute follow a new default.
      if ("api" in opts) for (const w of live) if (readAttr(w.host, "api") === null) w.refreshAttr("api");
      if (gluePromise) {
        gluePromise.then((g) => g && typeof g.config_changed === "function" && g.config_changed(), () => {});
      }
      return obj.config;
    },
    /** Internal: the shared promise of the initialized glue (one per page). */
    __glue() {
      if (!gluePromise) {
        gluePromise = loadGlue();
        gluePromise.then(resolveReady, () => resolveReady(null));
      }
      return gluePromise;
    },
    /**
     * Internal: the glue once `kind`'s code has arrived (one load per kind
     * and page; a failed one is tried again by the next element).
     */
    __kind(kind) {
      let p = kinds.get(kind);
      if (!p) {
        startDownloads(kind);
        p = obj.__glue().then(async (glue) => {
          if (typeof glue.load === "function") await glue.load(kind);
          return glue;
        });
        p.catch(() => kinds.get(kind) === p && kinds.delete(kind));
        kinds.set(kind, p);
      }
      return p;
    },
    __live: live,
  };
  return obj;
}

async function loadGlue() {
  // Under `trunk serve`, Trunk initializes the bindings itself and publishes
  // them as window.wasmBindings; the playground page marks itself with
  // <html data-km-trunk> so we wait for Trunk instead of fetching files that
  // Trunk serves under hashed names.
  if (!window.wasmBindings && document.documentElement.hasAttribute("data-km-trunk")) {
    await new Promise((r) => addEventListener("TrunkApplicationStarted", r, { once: true }));
  }
  if (window.wasmBindings && typeof window.wasmBindings.mount === "function") return window.wasmBindings;
  // The glue, the split runtime it imports, the shared module and the
  // kind's chunks are already downloading (startDownloads): these find them.
  const glue = await import(assetUrl("km_widgets.js").href);
  await glue.default({ module_or_path: assetUrl("km_widgets_bg.wasm") });
  return glue;
}

/**
 * Whether this page may compile wasm: a CSP without 'wasm-unsafe-eval'
 * refuses even the smallest module. Asked once, before anything downloads.
 */
let wasmAllowed;
function canCompileWasm() {
  if (wasmAllowed === undefined) {
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      wasmAllowed = true;
    } catch {
      wasmAllowed = false;
    }
  }
  return wasmAllowed;
}

// ------------------------------------------------------------ resolving attrs

function normLang(v) {
  const l = String(v || "").trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.includes(l) ? l : "en";
}

/** Reads one attribute of a host; the div form uses `data-*`. */
function readAttr(host, name) {
  const isDiv = !host.localName.startsWith("km-");
  return host.getAttribute(isDiv ? "data-" + name : name);
}

function resolveAttr(host, name) {
  const own = readAttr(host, name);
  if (name === "api") {
    if (own) return own;
    if (api.config.api) return api.config.api;
    return HERE.origin + "/api/v1";
  }
  if (name === "lang") {
    if (own) return normLang(own);
    const anc = host.parentElement && host.parentElement.closest("[lang]");
    if (anc) return normLang(anc.getAttribute("lang"));
    return normLang(document.documentElement.getAttribute("lang"));
  }
  return own;
}

// ------------------------------------------------------------- one widget

/** The mount state of one host element (custom element or div). */
class Widget {
  constructor(host, kind) {
    this.host = host;
    this.kind = kind;
    this.handle = null;
    this.connected = false;
    this.root = host.shadowRoot || host.attachShadow({ mode: "open" });
    this.langObserver = null;
  }

  connect() {
    if (this.connected) return;
    this.connected = true;
    api.__live.add(this);
    this.watchLang();
    // Where wasm may not run, the widget runs in a frame of its server.
    if (typeof WebAssembly !== "object" || !canCompileWasm()) {
      this.frame();
      return;
    }
    if (!this.handle && !this.errorBox) showSkeleton(this);
    api.__kind(this.kind).then(
      (glue) => {
        if (!this.connected || this.handle) return;
        this.clearError();
        const attrs = {};
        for (const n of ATTRS) {
          const v = resolveAttr(this.host, n);
          if (v !== null && v !== undefined) attrs[n] = v;
        }
        try {
          const held = skeletonHeight(this);
          this.handle = glue.mount(this.kind, this.host, this.root, attrs);
          replaceSkeleton(this, held);
        } catch (err) {
          this.fail(err);
        }
      },
      (err) => this.fail(err),
    );
  }

  disconnect() {
    if (!this.connected) return;
    this.connected = false;
    api.__live.delete(this);
    if (this.langObserver) this.langObserver.disconnect();
    this.langObserver = null;
    if (this.onFrameMessage) removeEventListener("message", this.onFrameMessage);
    this.onFrameMessage = null;
    const h = this.handle;
    this.handle = null;
    if (h) {
      try {
        h.unmount();
      } finally {
        h.free();
      }
    }
    // Leave an empty root behind, so a later re-connect mounts afresh.
    dropSkeleton(this);
    this.root.replaceChildren();
  }

  /**
   * The fallback where the page cannot compile wasm: the widget's page of
   * its server (`/embed/<kind>`, which sends a CSP of its own) in an
   * iframe, with every attribute but `api`, sized to its content by the
   * height the page posts (`autosize`: to this page's origin only).
   */
  frame() {
    if (this.onFrameMessage) removeEventListener("message", this.onFrameMessage);
    const base = resolveAttr(this.host, "api").replace(/\/api\/v1\/?$/, "");
    const url = new URL(base + "/embed/" + this.kind, location.href);
    for (const n of ATTRS) {
      if (n === "api") continue;
      const v = resolveAttr(this.host, n);
      if (v !== null && v !== undefined) url.searchParams.set(n, v);
    }
    url.searchParams.set("autosize", location.origin);
    const f = document.createElement("iframe");
    f.src = url.href;
    f.title = TITLES[resolveAttr(this.host, "lang")][this.kind];
    f.setAttribute("part", "frame");
    // CSSOM, not a style attribute: allowed under any style-src.
    Object.assign(f.style, { display: "block", width: "100%", height: "320px", border: "0" });
    this.onFrameMessage = (e) => {
      const d = e.data;
      if (e.source !== f.contentWindow || e.origin !== url.origin || !d || d.type !== "km-embed-size") return;
      const h = Number(d.height);
      if (h > 0 && h < 100000) f.style.height = Math.ceil(h) + "px";
    };
    addEventListener("message", this.onFrameMessage);
    this.root.replaceChildren(f);
  }

  /** Pushes the freshly resolved value of one attribute to the live widget. */
  refreshAttr(name) {
    if (name === "lang" && this.errorBox) this.renderError();
    if (this.onFrameMessage) {
      // A framed widget takes its attributes from its URL: load it anew.
      if (name !== "api") this.frame();
      return;
    }
    if (this.skeleton && (name === "lang" || name === "mode" || name === "limit")) showSkeleton(this);
    if (!this.handle) return;
    const v = resolveAttr(this.host, name);
    this.handle.set_attribute(name, v === undefined ? null : v);
  }

  /** `lang` is inherited from ancestors: follow changes of `lang` above us. */
  watchLang() {
    if (readAttr(this.host, "lang") !== null || typeof MutationObserver === "undefined") return;
    let last = resolveAttr(this.host, "lang");
    this.langObserver = new MutationObserver(() => {
      const now = resolveAttr(this.host, "lang");
      if (now !== last) {
        last = now;
        this.refreshAttr("lang");
      }
    });
    this.langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"], subtree: true });
  }

  fail(err) {
    console.error(`[km-widgets] ${this.kind}: the wasm module could not be loaded or mounted.`, err);
    this.errorBox = true;
    this.renderError();
    this.host.dispatchEvent(
      new CustomEvent("km-error", {
        bubbles: true,
        composed: true,
        detail: { widget: this.kind, status: 0, title: "load-failed", detail: String((err && err.message) || err) },
      }),
    );
  }

  renderError() {
    dropSkeleton(this);
    const lang = resolveAttr(this.host, "lang");
    const p = document.createElement("p");
    p.setAttribute("role", "alert");
    p.setAttribute("part", "error");
    p.setAttribute("lang", lang);
    p.className = "km-load-error";
    p.textContent = MESSAGES[lang] || MESSAGES.en;
    this.root.replaceChildren(p);
  }

  clearError() {
    if (this.errorBox) this.root.replaceChildren();
    this.errorBox = false;
  }
}

// ------------------------------------------------------------- first paint
//
// Everything a page needs before a widget's code has run: the built files'
// names, their downloads started at once, and the skeleton that holds each
// widget's place. Kept apart from the mounting above.

// `cargo xtask dist` writes, between the markers, the names it gave the
// built files (a content hash in each: `km_widgets_bg.<hash>.wasm`) and per
// kind the files a page with that widget needs before its first render:
// glue, split runtime, shared module and the kind's chunks
// (xtask/src/assets.rs). The source keeps the empty map, and names are then
// used as built (Trunk's playground, whose build is one module).
const ASSETS = /*km-assets*/ { files: {}, kinds: {} } /*km-assets-end*/;

/** The URL of a built file, by its name before hashing (`km_widgets_bg.wasm`). */
function assetUrl(name) {
  return new URL("./" + (ASSETS.files[name] || name), HERE);
}

/**
 * Starts downloading every file a widget of `kind` needs, all at once, so
 * that the glue, the split runtime, the shared module and the kind's chunks
 * arrive in parallel instead of one after the other. Modules get
 * `<link rel="modulepreload">`, the rest `<link rel="preload" as="fetch">`;
 * `crossorigin` gives both the request mode of `import()` and of the
 * glue's and the split runtime's `fetch()` (cors, same-origin credentials),
 * so the browser hands the download to them instead of fetching twice.
 * Once per file and page.
 */
function startDownloads(kind) {
  const started = (api.__downloads ||= new Set());
  for (const name of ASSETS.kinds[kind] || []) {
    const href = new URL("./" + name, HERE).href;
    if (started.has(href)) continue;
    started.add(href);
    const link = document.createElement("link");
    if (/\.m?js$/.test(name)) {
      link.rel = "modulepreload";
    } else {
      link.rel = "preload";
      link.as = "fetch";
    }
    link.crossOrigin = "anonymous";
    link.href = href;
    document.head.append(link);
  }
}

const LOADING = { en: "Loading…", nl: "Laden…" };
/** How long a skeleton stays still before it starts to pulse. */
const PULSE_AFTER_MS = 600;

// What each kind looks like before its code arrives, by mode: a title bar,
// then blocks of the widget's usual height in em (wide, and narrower than
// 30em). `list` and `grid` repeat a row or card `n` times (`limit` where the
// widget has one); grids wrap like the widget's own card grids. The figures
// come from the widgets with the demo data (docs/PERFORMANCE.md).
const SHAPES = {
  "ask-the-community": (mode, limit) =>
    mode === "ask"
      ? [["title"], ["block", 42, 46]]
      : mode === "unanswered"
        ? [["title"], ["list", limit || 5, 5.75, 9], ["more"]]
        : [["title"], ["controls"], ["list", limit || 10, 7.75, 12.5], ["more"]],
  "passion-match": (mode, limit) =>
    mode === "compact"
      ? [["title"], ["grid", 3, 15, 11.5, 11.5], ["link"]]
      : [["title"], ["block", 69.5, 76.5], ["title"], ["grid", limit || 6, 15, 14.5, 17], ["more"]],
  "reflection-prompt": (mode) =>
    mode === "journal"
      ? [["title"], ["list", 3, 7, 12]]
      : mode === "feed"
        ? [["title"], ["list", 5, 9, 18]]
        : [["title"], ["block", 46, 48.5]],
  "story-board": (mode, limit) =>
    mode === "ticker"
      ? [["block", 4.5, 9.75]]
      : mode === "submit"
        ? [["title"], ["block", 76, 96]]
        : [["title"], ["block", 7.5, 11], ["grid", limit || 6, 18, 34, 38], ["more"]],
};

const SKELETON_CSS = `
.km-skeleton {
  --_sk-bg: #ffffff; --_sk-bar: #1f2328; --_sk-border: #6e7781;
  display: block; box-sizing: border-box; margin: 0; padding: var(--km-space-3, 12px);
  container-type: inline-size; overflow: hidden;
  min-height: var(--km-skeleton-height, 0);
  font-family: var(--km-font-family, inherit); font-size: var(--km-font-size, medium); line-height: 1.5;
  background: var(--km-color-bg, var(--_sk-bg));
  border: 1px solid var(--km-color-border, var(--_sk-border)); border-radius: var(--km-radius, 6px);
}
:host([theme="dark"]) .km-skeleton, :host([data-theme="dark"]) .km-skeleton {
  --_sk-bg: #16181d; --_sk-bar: #e6e8eb; --_sk-border: #7d8590;
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"]):not([data-theme="light"])) .km-skeleton {
    --_sk-bg: #16181d; --_sk-bar: #e6e8eb; --_sk-border: #7d8590;
  }
}
.km-skeleton * { box-sizing: border-box; }
.km-sk-status { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.km-sk-bar {
  display: block; height: 1em; border-radius: var(--km-radius, 6px);
  background: var(--km-color-surface, #e6e9ed);
  background: color-mix(in srgb, var(--km-color-text, var(--_sk-bar)) 10%, transparent);
}
.km-sk-title { height: 1.56em; margin-bottom: 0.75em; }
.km-sk-title .km-sk-bar { width: 14em; max-width: 60%; height: 1.2em; margin-top: 0.18em; }
.km-sk-controls { display: flex; gap: 0.5em; height: 2.6em; margin-bottom: 0.75em; }
.km-sk-controls .km-sk-bar { height: 100%; flex: 1 1 0; }
.km-sk-controls .km-sk-bar:first-child { flex: 0 0 8em; }
.km-sk-block, .km-sk-row, .km-sk-card { height: var(--h); overflow: hidden; }
.km-sk-block > .km-sk-bar + .km-sk-bar, .km-sk-row > .km-sk-bar + .km-sk-bar, .km-sk-card > .km-sk-bar + .km-sk-bar { margin-top: 0.6em; }
.km-sk-row { padding: 0.6em 0; border-top: 1px solid var(--km-color-border, var(--_sk-border)); border-top-color: color-mix(in srgb, var(--km-color-border, var(--_sk-border)) 35%, transparent); }
.km-sk-row:first-child { border-top: none; }
.km-sk-grid { display: grid; gap: 0.75em; grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--min)), 1fr)); }
.km-sk-card { padding: 0.75em; border-radius: var(--km-radius, 6px); border: 1px solid color-mix(in srgb, var(--km-color-border, var(--_sk-border)) 35%, transparent); }
.km-sk-more, .km-sk-link { height: 2.25em; margin-top: 0.75em; }
.km-sk-more .km-sk-bar { width: 7em; height: 100%; }
.km-sk-link { height: 1.5em; }
.km-sk-link .km-sk-bar { width: 9em; }
.km-sk-bar.km-sk-short { width: 35%; }
.km-sk-bar.km-sk-mid { width: 65%; }
@container (max-width: 30em) {
  .km-sk-block, .km-sk-row, .km-sk-card { height: var(--hn, var(--h)); }
}
@media (prefers-reduced-motion: no-preference) {
  .km-sk-waiting .km-sk-shape { animation: km-sk-pulse 1.6s ease-in-out infinite; }
}
@keyframes km-sk-pulse { 50% { opacity: 0.55; } }
`;

// Before a widget's own styles arrive, its host is a block like the widget
// makes it (`all: initial` as in the widget's core sheet, so the page's
// inherited styles do not size the skeleton differently from the widget).
const HOST_CSS = `:host { all: initial; display: block; } :host([hidden]) { display: none; }`;

const CAN_ADOPT =
  typeof CSSStyleSheet === "function" &&
  "replaceSync" in CSSStyleSheet.prototype &&
  typeof ShadowRoot === "function" &&
  "adoptedStyleSheets" in ShadowRoot.prototype;
let sheets = null;

function skeletonSheets() {
  if (!sheets) {
    const host = new CSSStyleSheet();
    host.replaceSync(HOST_CSS);
    const skeleton = new CSSStyleSheet();
    skeleton.replaceSync(SKELETON_CSS);
    sheets = [host, skeleton];
  }
  return sheets;
}

function bars(parent, n) {
  const widths = ["", "km-sk-mid", "km-sk-short"];
  for (let i = 0; i < n; i++) {
    const b = document.createElement("span");
    b.className = "km-sk-bar " + widths[i % widths.length];
    parent.append(b);
  }
  return parent;
}

function box(cls, h, hn) {
  const el = document.createElement("div");
  el.className = cls;
  if (h) el.style.setProperty("--h", h + "em");
  if (hn) el.style.setProperty("--hn", hn + "em");
  return el;
}

/** The skeleton's element for `kind` in `mode` (CSS only, no script runs in it). */
function skeletonFor(kind, mode, limit, lang) {
  const el = document.createElement("div");
  el.className = "km-skeleton";
  el.setAttribute("part", "skeleton");
  el.setAttribute("role", "status");
  el.setAttribute("aria-busy", "true");
  el.setAttribute("lang", lang);
  el.dataset.kind = kind;
  if (mode) el.dataset.mode = mode;
  const status = document.createElement("span");
  status.className = "km-sk-status";
  status.textContent = LOADING[lang] || LOADING.en;
  const shape = document.createElement("div");
  // One element pulses, not every bar, and only once the wait is long
  // enough to notice (see showSkeleton): animated bars cost the page main
  // thread time while the widgets load (docs/PERFORMANCE.md).
  shape.className = "km-sk-shape";
  shape.setAttribute("aria-hidden", "true");
  // The widgets read `limit` as a whole number from 1 to 50 (else their default).
  const n = Math.floor(Number(limit));
  const blocks = SHAPES[kind] || (() => [["title"], ["block", 20, 24]]);
  for (const [what, a, b, c, d] of blocks(mode, n >= 1 ? Math.min(n, 50) : 0)) {
    if (what === "title") shape.append(bars(box("km-sk-title"), 1));
    else if (what === "controls") shape.append(bars(box("km-sk-controls"), 3));
    else if (what === "more") shape.append(bars(box("km-sk-more"), 1));
    else if (what === "link") shape.append(bars(box("km-sk-link"), 1));
    else if (what === "block") shape.append(bars(box("km-sk-block", a, b), 3));
    else if (what === "list") {
      const list = box("km-sk-list");
      for (let i = 0; i < a; i++) list.append(bars(box("km-sk-row", b, c), 3));
      shape.append(list);
    } else if (what === "grid") {
      const grid = box("km-sk-grid");
      grid.style.setProperty("--min", b + "em");
      for (let i = 0; i < a; i++) grid.append(bars(box("km-sk-card", c, d), 3));
      shape.append(grid);
    }
  }
  el.append(status, shape);
  return el;
}

/** Shows (or redraws) the skeleton of a widget whose code has not run yet. */
function showSkeleton(w) {
  if (!CAN_ADOPT) return;
  const lang = resolveAttr(w.host, "lang");
  const el = skeletonFor(w.kind, readAttr(w.host, "mode"), readAttr(w.host, "limit"), lang);
  if (w.skeleton) w.skeleton.replaceWith(el);
  else w.root.replaceChildren(el);
  w.skeleton = el;
  // A skeleton that is replaced within a moment (a warm cache) never pulses.
  setTimeout(() => el.isConnected && el.classList.add("km-sk-waiting"), PULSE_AFTER_MS);
  const mine = skeletonSheets();
  w.root.adoptedStyleSheets = [...w.root.adoptedStyleSheets.filter((s) => !mine.includes(s)), ...mine];
}

/** The skeleton's height in px, read before the widget's styles replace its sheets. */
function skeletonHeight(w) {
  return w.skeleton ? w.skeleton.getBoundingClientRect().height : 0;
}

/**
 * The widget has mounted next to its skeleton: the skeleton goes, and the
 * widget keeps at least the skeleton's `height` (a sheet of its own), so its
 * loading state and its first data do not move the page. That reservation
 * ends once the person interacts with the widget, whose size then follows
 * its content.
 */
function replaceSkeleton(w, height) {
  const el = w.skeleton;
  if (!el) return;
  el.remove();
  w.skeleton = null;
  if (height > 0) {
    const reserve = new CSSStyleSheet();
    reserve.replaceSync(`.km-root { min-height: ${height}px; }`);
    w.reserve = reserve;
    w.root.adoptedStyleSheets = [...w.root.adoptedStyleSheets, reserve];
    w.release = () => releaseSpace(w);
    for (const type of ["pointerdown", "keydown"]) w.host.addEventListener(type, w.release, { capture: true });
  }
}

function releaseSpace(w) {
  if (w.release) for (const type of ["pointerdown", "keydown"]) w.host.removeEventListener(type, w.release, { capture: true });
  w.release = null;
  if (w.reserve) w.root.adoptedStyleSheets = w.root.adoptedStyleSheets.filter((s) => s !== w.reserve);
  w.reserve = null;
}

/** Removes the skeleton and the reservation (unmount, load error). */
function dropSkeleton(w) {
  releaseSpace(w);
  if (w.skeleton) w.skeleton.remove();
  w.skeleton = null;
  if (sheets) w.root.adoptedStyleSheets = w.root.adoptedStyleSheets.filter((s) => !sheets.includes(s));
}

// ------------------------------------------------------- custom elements

const ELEMENT_PREFIX = "km-";

function defineElement(kind) {
  const name = ELEMENT_PREFIX + kind;
  if (customElements.get(name)) return;
  customElements.define(
    name,
    class extends HTMLElement {
      static get observedAttributes() {
        return ATTRS;
      }
      connectedCallback() {
        (this.__km ||= new Widget(this, kind)).connect();
      }
      disconnectedCallback() {
        if (this.__km) this.__km.disconnect();
      }
      attributeChangedCallback(name, oldValue, newValue) {
        if (oldValue !== newValue && this.__km) this.__km.refreshAttr(name);
      }
    },
  );
}

for (const k of KINDS) defineElement(k);

// ------------------------------------------------- the <div data-km-widget> form

const DIV_SELECTOR = "div[data-km-widget]";
const DATA_ATTRS = ATTRS.map((a) => "data-" + a);

function divWidget(div) {
  const kind = div.getAttribute("data-km-widget");
  if (!KINDS.includes(kind)) {
    console.error(`[km-widgets] unknown widget "${kind}" in data-km-widget`);
    return null;
  }
  return (div.__km ||= new Widget(div, kind));
}

function eachDiv(node, fn) {
  if (node.nodeType !== 1) return;
  if (node.matches(DIV_SELECTOR)) fn(node);
  for (const d of node.querySelectorAll(DIV_SELECTOR)) fn(d);
}

function startDivScanner() {
  if (window.__kmDivScanner) return; // the script was loaded twice
  window.__kmDivScanner = true;
  const connectDiv = (d) => {
    const w = divWidget(d);
    if (w) w.connect();
  };
  eachDiv(document.documentElement, connectDiv);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") {
        const w = r.target.__km;
        if (w && w.connected) w.refreshAttr(r.attributeName.slice(5));
        continue;
      }
      for (const n of r.removedNodes) {
        eachDiv(n, (d) => {
          if (!d.isConnected && d.__km) d.__km.disconnect();
        });
      }
      for (const n of r.addedNodes) {
        eachDiv(n, (d) => {
          if (d.isConnected) connectDiv(d);
        });
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: DATA_ATTRS });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startDivScanner, { once: true });
} else {
  startDivScanner();
}
