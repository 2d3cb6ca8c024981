// km-widgets loader: the hand-written ES module an intranet page includes with
//   <script type="module" src=".../dist/km-widgets.js"></script>
//
// It defines the four custom elements and the `<div data-km-widget>` form,
// loads the shared wasm module lazily (only once a widget is on the page) and
// once per page, and each widget's own chunk only when an element of that
// kind is on the page; it mounts each widget into an open shadow root through
// the wasm exports `load(kind)` and `mount(kind, host, shadowRoot, attrs)`,
// and defines `window.KmWidgets`. The seam with the wasm side is described in
// docs/DESIGN.md.
//
// Loading this script twice is harmless: the global API, the element
// definitions and the div scanner are all guarded.

const VERSION = "0.1.0";
const KINDS = ["passion-match", "ask-the-community", "reflection-prompt", "story-board"];
// Attributes forwarded to the wasm side (without any `data-` prefix).
const ATTRS = ["api", "lang", "theme", "community", "mode", "limit", "tag", "prompt-set", "goal", "team"];
const LANGS = ["en", "nl"];
// Each kind's chunk files, filled in by `cargo xtask dist` (empty under
// Trunk, whose build is one module): fetched as soon as an element of the
// kind appears, beside the glue and the shared module, not after them.
const CHUNKS = {};
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
        preloadChunks(kind);
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

/** Starts fetching `kind`'s chunks now; the wasm side's fetch of them later finds them in the preload cache. */
function preloadChunks(kind) {
  for (const file of CHUNKS[kind] || []) {
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    // The split runtime fetches in cors mode with same-origin credentials: match it.
    link.crossOrigin = "anonymous";
    link.href = new URL("./" + file, HERE).href;
    document.head.appendChild(link);
  }
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
  // The shared module downloads while the glue (and the split runtime it
  // imports) arrive, instead of after them.
  const wasm = fetch(new URL("./km_widgets_bg.wasm", HERE));
  wasm.catch(() => {});
  // The glue imports the split runtime (which fetches the chunks): fetch
  // both at once rather than one after the other.
  const split = Object.keys(CHUNKS).length ? import(new URL("./km_widgets_split.js", HERE).href) : null;
  if (split) split.catch(() => {});
  const glue = await import(new URL("./km_widgets.js", HERE).href);
  await glue.default({ module_or_path: wasm });
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
          this.handle = glue.mount(this.kind, this.host, this.root, attrs);
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
