// embed.html's snippets, built with this server's real origin, and their copy
// buttons (a separate file, so the page works under a strict CSP).
const ORIGIN = location.origin;

// Every widget and mode, with a sensible height for its iframe.
const WIDGETS = [
  { kind: "ask-the-community", name: "Ask the community", modes: [
    { mode: "full", what: "questions, asking and answering", height: 700 },
    { mode: "ask", what: "only the ask form", height: 500 },
    { mode: "unanswered", what: "a sidebar of unanswered questions", attrs: { limit: "5" }, height: 400 },
  ] },
  { kind: "passion-match", name: "Passion match", modes: [
    { mode: "full", what: "my passions, matches, intros and circles", height: 800 },
    { mode: "compact", what: "a sidebar: my top matches", height: 400 },
  ] },
  { kind: "reflection-prompt", name: "Reflection prompt", modes: [
    { mode: "prompt", what: "today's prompt", height: 600 },
    { mode: "journal", what: "my reflections", height: 700 },
    { mode: "feed", what: "what colleagues shared", height: 600 },
  ] },
  { kind: "story-board", name: "Success-story board", modes: [
    { mode: "board", what: "the board with impact", height: 800 },
    { mode: "submit", what: "only the form", height: 700 },
    { mode: "ticker", what: "the latest success, for a portal home", attrs: { limit: "5" }, height: 300 },
  ] },
];

const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function tagSnippet(kind, attrs) {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join("");
  return `<km-${kind}${a}></km-${kind}>`;
}

function embedUrl(kind, attrs) {
  const url = new URL(`/embed/${kind}`, ORIGIN);
  for (const [k, v] of Object.entries(attrs)) url.searchParams.set(k, v);
  return url.href;
}

function iframeSnippet(kind, name, attrs, height) {
  return `<iframe src="${escapeHtml(embedUrl(kind, attrs))}" title="${name}" width="100%" height="${height}" style="border:0"></iframe>`;
}

function snippet(text, label) {
  const box = document.createElement("div");
  box.className = "snippet";
  const pre = document.createElement("pre");
  const code = document.createElement("code");
  code.textContent = text;
  code.dataset.kmSnippet = label;
  pre.append(code);
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = "Copy";
  box.append(pre, copy);
  return box;
}

const list = document.getElementById("widget-snippets");
for (const w of WIDGETS) {
  const h3 = document.createElement("h3");
  h3.textContent = w.name;
  list.append(h3);
  for (const m of w.modes) {
    const attrs = { mode: m.mode, ...(m.attrs || {}) };
    const h4 = document.createElement("h4");
    h4.textContent = `mode="${m.mode}": ${m.what}`;
    list.append(
      h4,
      snippet(tagSnippet(w.kind, attrs), `tag ${w.kind} ${m.mode}`),
      snippet(iframeSnippet(w.kind, w.name, attrs, m.height), `iframe ${w.kind} ${m.mode}`),
    );
  }
}

document.querySelector('[data-km-snippet="script"]').textContent =
  `<script type="module" src="${ORIGIN}/dist/km-widgets.js" blocking="render"></script>`;
document.querySelector('[data-km-snippet="csp"]').textContent =
  `Content-Security-Policy: script-src 'self' ${ORIGIN} 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${ORIGIN}; frame-src ${ORIGIN}`;
for (const el of document.querySelectorAll("[data-km-origin]")) el.textContent = ORIGIN;
for (const el of document.querySelectorAll("[data-km-host]")) el.textContent = location.host;

for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", async () => {
    const code = button.parentElement.querySelector("code");
    try {
      await navigator.clipboard.writeText(code.textContent);
      button.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => (button.textContent = "Copy"), 2000);
  });
}
