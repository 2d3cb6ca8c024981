// Page script of the load benchmark's pages: signs the first demo person in,
// the way a portal hands the widgets a token (see www/app.js for the demo's
// person switcher). Widgets that mount before the token is there wait for it.
const API = "/api/v1";

async function token() {
  const people = await (await fetch(`${API}/demo/people`)).json();
  const r = await fetch(`${API}/demo/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub: people[0].id }),
  });
  return (await r.json()).token;
}

const signedIn = token().catch(() => null);
window.KmWidgets.configure({ getToken: () => signedIn });
