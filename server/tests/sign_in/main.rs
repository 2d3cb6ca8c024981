//! Sign-in with an OpenID provider, over real HTTP: in-process km-servers
//! on real ports, a browser-like client, and two providers:
//! - the real one `cargo xtask test` starts (npm's oidc-provider, its
//!   development login form, `KM_TEST_OIDC_ISSUER`; these tests are skipped
//!   with a notice without it, unless `KM_REQUIRE_OIDC=1`): the code flow,
//!   the popup's page, sessions (on SQLite and, with
//!   `KM_TEST_POSTGRES_URL`, PostgreSQL) and what an attacker might try;
//! - a small one of the tests' own ([`rogue`]) that hands out flawed ID
//!   tokens, so that km-server's validation is what refuses them.
//!
//! Run: `cargo xtask test`, or `cargo test -p km-server --test sign_in`
//! with `KM_TEST_OIDC_ISSUER` set to a running `node xtask/oidc/provider.mjs`.

mod common;
mod id_tokens;
mod provider_flow;
mod rogue;
mod sessions;
