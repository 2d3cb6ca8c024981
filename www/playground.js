// Playground controls: sign in as the first demo person, theme and language switches.
const WIDGETS = "km-passion-match, km-ask-the-community, km-reflection-prompt, km-story-board";
const set = (n, v) => document.querySelectorAll(WIDGETS).forEach((el) => el.setAttribute(n, v));
document.getElementById("theme").addEventListener("change", (e) => set("theme", e.target.value));
document.getElementById("language").addEventListener("change", (e) => {
  document.documentElement.lang = e.target.value;
  set("lang", e.target.value);
});

// Sign in through getToken, configured now (before the wasm has loaded and any
// widget has mounted): the widgets' first requests wait for the demo token
// instead of going out anonymously and failing with 401 (/profiles/me).
async function demoToken() {
  try {
    const people = await (await fetch("/api/v1/demo/people")).json();
    if (!people.length) return null;
    const r = await fetch("/api/v1/demo/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sub: people[0].id }),
    });
    return (await r.json()).token;
  } catch (e) {
    console.warn("playground: no demo server on /api (start `cargo xtask demo`)", e);
    return null;
  }
}
let token = null;
window.KmWidgets.configure({
  getToken: ({ forceRefresh } = {}) => {
    if (!token || forceRefresh) token = demoToken();
    return token;
  },
});
