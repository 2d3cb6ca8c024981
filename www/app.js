// Page script of the demo intranet (kept out of the HTML so the page works
// under a strict CSP): person switcher, theme switch, language switch.
import "/dist/km-widgets.js";

const WIDGETS = "km-passion-match, km-ask-the-community, km-reflection-prompt, km-story-board, [data-km-widget]";
const API = "/api/v1";
const store = {
  get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
  set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } },
};

function setOnWidgets(name, value) {
  for (const el of document.querySelectorAll(WIDGETS)) {
    el.setAttribute(el.localName === "div" ? "data-" + name : name, value);
  }
}

// The widgets may mount before the person switcher has signed anyone in.
// Until then they ask getToken, which waits for the first sign-in, so their
// first requests carry the token instead of failing with 401.
let firstSignIn;
const signedIn = new Promise((resolve) => (firstSignIn = resolve));
window.KmWidgets.configure({ getToken: () => signedIn });

async function demoToken(sub) {
  const r = await fetch(`${API}/demo/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub }),
  });
  if (!r.ok) throw new Error(`demo token: HTTP ${r.status}`);
  return (await r.json()).token;
}

async function signIn(sub) {
  const token = sub ? await demoToken(sub).catch((e) => (console.error(e), null)) : null;
  firstSignIn(token);
  window.KmWidgets.configure({ token });
}

async function setupPeople() {
  const select = document.getElementById("person");
  let people = [];
  try {
    const r = await fetch(`${API}/demo/people`);
    if (r.ok) people = await r.json();
  } catch (e) {
    console.warn("demo people unavailable", e);
  }
  for (const p of people) {
    const o = document.createElement("option");
    o.value = p.id;
    o.textContent = p.department ? `${p.name} (${p.department})` : p.name;
    select.append(o);
  }
  const saved = store.get("km-demo-person");
  const initial = saved !== null && people.some((p) => p.id === saved) ? saved : (people[0] && people[0].id) || "";
  select.value = initial;
  select.addEventListener("change", () => {
    store.set("km-demo-person", select.value);
    signIn(select.value);
  });
  await signIn(initial);
}

function setupTheme() {
  const select = document.getElementById("theme");
  const saved = store.get("km-demo-theme") || "auto";
  select.value = saved;
  document.documentElement.dataset.theme = saved;
  setOnWidgets("theme", saved);
  select.addEventListener("change", () => {
    store.set("km-demo-theme", select.value);
    document.documentElement.dataset.theme = select.value;
    setOnWidgets("theme", select.value);
  });
}

function setupLanguage() {
  const select = document.getElementById("language");
  const apply = (lang) => {
    document.documentElement.lang = lang;
    setOnWidgets("lang", lang);
  };
  const saved = store.get("km-demo-lang");
  if (saved === "en" || saved === "nl") {
    select.value = saved;
    apply(saved);
  }
  select.addEventListener("change", () => {
    store.set("km-demo-lang", select.value);
    apply(select.value);
  });
}

setupTheme();
setupLanguage();
setupPeople();
