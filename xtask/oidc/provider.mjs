// A real OpenID provider for the tests and the demo: npm's oidc-provider
// (OpenID Certified), with its development login form, one test client and
// the people of people.json (or of KM_OIDC_PEOPLE). Never for production.
//
//   node xtask/oidc/provider.mjs            # port from KM_OIDC_PORT (default 0: any)
//
// Prints `oidc-provider ready: <issuer>` once it listens. The login form
// takes a person's `sub` as the login and any password. The client:
// - id `km-test`, secret `km-test-secret-0123456789` (client_secret_basic);
// - redirect URIs `http://127.0.0.1/auth/callback` and
//   `http://localhost/auth/callback` on any port: a native client's loopback
//   redirects may use any port (RFC 8252 7.3), so every km-server a test
//   starts on a free port can sign in with the one client;
// - PKCE required, consent given (a first-party application, as an
//   organization's provider treats its own).
// Claims: profile (`name`, `department`), email, and a `groups` scope with
// `groups`. They come from the userinfo endpoint, not the ID token
// (oidc-provider's default, as Okta's thin ID tokens), so km-server's
// userinfo merge is exercised too.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'km-test';
export const CLIENT_SECRET = 'km-test-secret-0123456789';

const peopleFile = process.env.KM_OIDC_PEOPLE ?? new URL('./people.json', import.meta.url);
const doc = JSON.parse(readFileSync(peopleFile, 'utf8'));
// people.json lists `groups`; the demo's seed lists km `roles`, which then
// serve as the groups (km-server maps them with --oidc-*-values).
const people = new Map(
  doc.people.map((p) => [p.sub, { ...p, groups: p.groups ?? p.roles ?? [] }]),
);

const server = http.createServer();
await new Promise((resolve) => {
  server.listen(Number(process.env.KM_OIDC_PORT ?? 0), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/auth/callback', 'http://localhost/auth/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'department'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  async findAccount(_ctx, sub) {
    const person = people.get(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        const claims = { sub, name: person.name, groups: person.groups };
        if (person.department) claims.department = person.department;
        if (person.email) {
          claims.email = person.email;
          claims.email_verified = true;
        }
        return claims;
      },
    };
  },
  // A first-party application: no consent screen, as an organization's
  // provider does for an application its admins approved.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid offline_access profile email groups');
    grant.addOIDCClaims(['name', 'given_name', 'family_name', 'department', 'email',
      'email_verified', 'groups']);
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  cookies: { keys: ['km-test-provider-cookie-key-0123456789'] },
  features: { devInteractions: { enabled: true } },
});
// Unknown logins get the provider's own error page rather than a crash.
provider.on('server_error', (_ctx, err) => console.error('oidc-provider:', err));

server.on('request', provider.callback());
console.log(`oidc-provider ready: ${issuer}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
