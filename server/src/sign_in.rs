//! Sign-in with the organization's OpenID provider, and the sessions it
//! starts (docs/SIGN-IN.md).
//!
//! - **The attempt.** `GET /auth/sign-in?origin=` (in the widget's popup)
//!   checks the opener's origin against the allow-list, then sends the
//!   person to the provider with a fresh state, nonce and PKCE verifier.
//!   Those three and the origin travel in a short-lived, HttpOnly cookie
//!   the server signed ([`ATTEMPT_COOKIE`]), first-party in the popup, so
//!   no row is written for people who never come back and any instance
//!   behind a load balancer can finish the attempt.
//! - **The callback** (`GET /auth/callback`) needs that cookie (no cookie:
//!   no verifier, refused), the same state (compared in constant time), an
//!   ID token that [`crate::id_token`] accepts for that nonce, and a person
//!   [`ClaimMapping`] may let in. Then a session starts.
//! - **The session.** An access token (HS256 by the server's own key,
//!   `iss` = the public URL) with the claims a portal token carries, so
//!   every endpoint treats both alike; and a refresh handle `<id>.<secret>`
//!   of which the database keeps the secret's SHA-256. Each handle trades
//!   for new tokens once; one that comes back after that ends the session
//!   (the person signs in again, and so would whoever copied it).
//!   Sign-out ends it too. Access tokens still valid then run out within
//!   `--oidc-access-ttl`.

use std::time::Duration;

use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use km_protocol::sign_in::{AuthInfo, SessionTokens};
use km_protocol::{Me, Role, TokenClaims};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::{Keys, Verifier};
use crate::claim_mapping::{ClaimMapping, Unmapped};
use crate::db::sign_in as db;
use crate::error::{ApiError, ApiResult};
use crate::id_token::KeyError;
use crate::oidc::{Provider, ProviderError};
use crate::store::{Store, new_id, now_ms};

/// The cookie of a sign-in in progress (the popup's own, first-party).
pub const ATTEMPT_COOKIE: &str = "km_sign_in";
/// How long a person may take at the provider.
pub const ATTEMPT_TTL_SECS: u64 = 600;
/// The `aud` of the server's access tokens.
const ACCESS_AUDIENCE: &str = "km-api";
/// The `aud` of the attempt cookie's token.
const ATTEMPT_AUDIENCE: &str = "km-sign-in-attempt";

/// How sign-in is set up (the `--oidc-*` flags).
#[derive(Debug, Clone)]
pub struct SignInConfig {
    /// The provider's issuer URL.
    pub issuer: String,
    /// This server's client id at the provider.
    pub client_id: String,
    /// Its client secret (none: a public client, PKCE only).
    pub client_secret: Option<String>,
    /// Where people reach this server (`https://km.example.com`).
    pub public_url: String,
    /// Scopes asked for (`openid` is always among them).
    pub scopes: Vec<String>,
    /// From claims to a person.
    pub mapping: ClaimMapping,
    /// The organization's display name.
    pub organization: Option<String>,
    /// Origins of pages that may receive tokens (`--allowed-origins`; `*`
    /// counts for nothing here); the public URL's origin always may.
    pub allowed_origins: Vec<String>,
    /// Lifetime of an access token.
    pub access_ttl: Duration,
    /// Lifetime of a session, from sign-in.
    pub session_ttl: Duration,
    /// Least time between two fetches of the provider's keys for unknown
    /// key ids.
    pub jwks_refetch_interval: Duration,
}

/// A failed sign-in, as the popup's page shows and posts it.
#[derive(Debug)]
pub struct Failure {
    /// The page's HTTP status.
    pub status: u16,
    /// A stable code (`state_mismatch`, `id_token_nonce`, …).
    pub code: &'static str,
    /// The reason in plain words.
    pub message: String,
    /// The opener's origin, when the attempt is known: the error is posted
    /// there.
    pub origin: Option<String>,
}

impl Failure {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            code,
            message: message.into(),
            origin: None,
        }
    }

    fn to(mut self, origin: &str) -> Failure {
        self.origin = Some(origin.to_owned());
        self
    }

    fn provider(e: &ProviderError) -> Failure {
        tracing::warn!(error = %e, "sign-in: the provider failed");
        Failure::new(
            502,
            "provider_unavailable",
            "The sign-in service did not answer as expected. Try again in a minute.",
        )
    }
}

/// The redirect to the provider and the cookie to set with it.
pub struct Begun {
    /// The provider's authorization URL.
    pub location: String,
    /// The `Set-Cookie` value.
    pub cookie: String,
}

/// The query of the provider's redirect back.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    /// The authorization code.
    pub code: Option<String>,
    /// The state the attempt sent.
    pub state: Option<String>,
    /// The issuer (RFC 9207), when the provider names it.
    pub iss: Option<String>,
    /// The provider's error code, when it refused.
    pub error: Option<String>,
}

/// The attempt cookie's claims.
#[derive(Serialize, Deserialize)]
struct Attempt {
    state: String,
    nonce: String,
    verifier: String,
    origin: String,
    exp: u64,
    aud: String,
}

/// The access token's claims: a portal token's, and who issued it.
#[derive(Serialize)]
struct AccessClaims<'a> {
    #[serde(flatten)]
    token: TokenClaims,
    iss: &'a str,
    aud: &'a str,
    sid: &'a str,
}

/// Sign-in and its sessions.
pub struct SignIn {
    config: SignInConfig,
    provider: Provider,
    issuer: String,
    access_key: Vec<u8>,
    attempt_key: Vec<u8>,
    own: Verifier,
    origins: Vec<String>,
    cookie_path: String,
    secure_cookie: bool,
}

/// A URL's origin (`https://host[:port]`), if it has one.
pub fn origin_of(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let o = u.origin();
    o.is_tuple().then(|| o.ascii_serialization())
}

fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn derive(key: &str, purpose: &str) -> Vec<u8> {
    Sha256::new()
        .chain_update(purpose.as_bytes())
        .chain_update([0])
        .chain_update(key.as_bytes())
        .finalize()
        .to_vec()
}

fn unix_now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

impl SignIn {
    /// Sign-in as configured; the server's signing key is read from the
    /// database (made on first start). Nothing is asked of the provider
    /// yet.
    pub async fn new(config: SignInConfig, store: &Store) -> anyhow::Result<SignIn> {
        if !crate::oidc::secure_url(&config.issuer) {
            anyhow::bail!(
                "--oidc-issuer must be an https:// URL (http:// only on loopback): {}",
                config.issuer
            );
        }
        let public = reqwest::Url::parse(&config.public_url)
            .map_err(|e| anyhow::anyhow!("--public-url {}: {e}", config.public_url))?;
        if !matches!(public.scheme(), "http" | "https")
            || public.query().is_some()
            || public.fragment().is_some()
        {
            anyhow::bail!("--public-url must be an http(s) URL without query or fragment");
        }
        if public.scheme() == "http" && !crate::oidc::is_loopback(&public) {
            tracing::warn!(
                "--public-url is plain http: tokens would cross the network unencrypted"
            );
        }
        let issuer = config.public_url.trim_end_matches('/').to_owned();
        let mut origins: Vec<String> = config
            .allowed_origins
            .iter()
            .filter(|o| o.trim() != "*")
            .filter_map(|o| origin_of(o))
            .collect();
        if config.allowed_origins.iter().any(|o| o.trim() == "*") {
            tracing::warn!(
                "--allowed-origins * lets any page call the API, but sign-in hands tokens \
                 only to origins listed by name"
            );
        }
        origins.extend(origin_of(&issuer));
        let key = {
            let mut w = store.write().await?;
            let key = db::signing_key(&mut w.tx, random).await?;
            w.commit().await?;
            key
        };
        let access_key = derive(&key, "km-widgets access token");
        let own = Verifier::new(
            Keys::Shared(access_key.clone()),
            Some(issuer.clone()),
            Some(ACCESS_AUDIENCE.into()),
        );
        let provider = Provider::new(
            config.issuer.clone(),
            config.client_id.clone(),
            config.client_secret.clone(),
            config.jwks_refetch_interval,
        )?;
        Ok(SignIn {
            cookie_path: format!("{}/auth/", public.path().trim_end_matches('/')),
            secure_cookie: public.scheme() == "https",
            attempt_key: derive(&key, "km-widgets sign-in attempt"),
            access_key,
            own,
            origins,
            issuer,
            provider,
            config,
        })
    }

    /// Fetches the provider's discovery document and keys once, so that a
    /// wrong issuer shows in the log at start rather than at the first
    /// sign-in (the server starts either way: portal tokens still work).
    pub async fn check_provider(&self) -> Result<(), String> {
        let (_, keys) = self.provider.metadata().await.map_err(|e| e.to_string())?;
        keys.fetch_now(&crate::oidc::Http::new().map_err(|e| e.to_string())?)
            .await
            .map_err(|e| e.to_string())
    }

    /// What `GET /api/v1/auth` says.
    pub fn info(&self) -> AuthInfo {
        AuthInfo {
            oidc: true,
            organization: self.config.organization.clone(),
            sign_in_url: Some(format!("{}/auth/sign-in", self.issuer)),
        }
    }

    /// The redirect URI to register at the provider.
    pub fn redirect_uri(&self) -> String {
        format!("{}/auth/callback", self.issuer)
    }

    /// Starts a sign-in for a page of `origin`: the provider's URL and the
    /// attempt cookie. The origin must be on the allow-list (a page
    /// elsewhere must not receive a person's tokens, even with their SSO
    /// session signing them in without a prompt).
    pub async fn begin(&self, origin: Option<&str>) -> Result<Begun, Failure> {
        let origin = origin.and_then(origin_of).ok_or_else(|| {
            Failure::new(
                400,
                "no_origin",
                "This sign-in window was opened without the page's origin.",
            )
        })?;
        if !self.origins.contains(&origin) {
            return Err(Failure::new(
                403,
                "origin_not_allowed",
                format!("This server does not sign people in for pages of {origin}."),
            ));
        }
        let (metadata, _) = self
            .provider
            .metadata()
            .await
            .map_err(|e| Failure::provider(&e).to(&origin))?;
        let attempt = Attempt {
            state: random(),
            nonce: random(),
            verifier: random(),
            origin: origin.clone(),
            exp: unix_now() + ATTEMPT_TTL_SECS,
            aud: ATTEMPT_AUDIENCE.into(),
        };
        let mut scopes = vec!["openid".to_owned()];
        scopes.extend(
            self.config
                .scopes
                .iter()
                .filter(|s| *s != "openid")
                .cloned(),
        );
        let location = self
            .provider
            .authorization_url(
                &metadata,
                &self.redirect_uri(),
                &scopes.join(" "),
                &attempt.state,
                &attempt.nonce,
                &attempt.verifier,
            )
            .map_err(|e| Failure::provider(&e).to(&origin))?;
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &attempt,
            &EncodingKey::from_secret(&self.attempt_key),
        )
        .map_err(|_| Failure::new(500, "internal", "The sign-in could not start.").to(&origin))?;
        Ok(Begun {
            location,
            cookie: self.cookie(&token, ATTEMPT_TTL_SECS),
        })
    }

    /// The attempt cookie's `Set-Cookie` value (`max_age` 0 clears it).
    pub fn cookie(&self, value: &str, max_age: u64) -> String {
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        format!(
            "{ATTEMPT_COOKIE}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            self.cookie_path
        )
    }

    fn attempt(&self, cookie: Option<&str>) -> Option<Attempt> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        v.set_audience(&[ATTEMPT_AUDIENCE]);
        v.set_required_spec_claims(&["exp", "aud"]);
        let key = DecodingKey::from_secret(&self.attempt_key);
        jsonwebtoken::decode::<Attempt>(cookie?, &key, &v)
            .ok()
            .map(|d| d.claims)
    }

    /// Finishes a sign-in: the session's tokens and the origin to post
    /// them to.
    pub async fn finish(
        &self,
        store: &Store,
        query: &Callback,
        cookie: Option<&str>,
    ) -> Result<(SessionTokens, String), Failure> {
        let attempt = self.attempt(cookie).ok_or_else(|| {
            Failure::new(
                400,
                "no_sign_in_in_progress",
                "This window did not start the sign-in, or took longer than 10 minutes: \
                 close it and sign in again.",
            )
        })?;
        let origin = attempt.origin.as_str();
        let same_state = query
            .state
            .as_deref()
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(attempt.state.as_bytes())));
        if !same_state {
            return Err(Failure::new(
                400,
                "state_mismatch",
                "This answer does not belong to the sign-in this window started.",
            )
            .to(origin));
        }
        if let Some(error) = &query.error {
            let code = crate::oidc::oauth_code(error);
            tracing::info!(error = %code, "sign-in: the provider refused");
            return Err(Failure::new(
                403,
                "provider_refused",
                format!("The sign-in was cancelled or refused ({code})."),
            )
            .to(origin));
        }
        let code = query
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                Failure::new(400, "no_code", "The sign-in service sent no code.").to(origin)
            })?;
        let (metadata, keys) = self
            .provider
            .metadata()
            .await
            .map_err(|e| Failure::provider(&e).to(origin))?;
        // RFC 9207: an answer naming another issuer (or none, from a
        // provider that names itself) may come from another provider (a
        // mix-up attack); its code is sent nowhere.
        let named = query.iss.as_deref();
        if named.is_some_and(|i| i != self.config.issuer)
            || (named.is_none() && metadata.authorization_response_iss_parameter_supported)
        {
            return Err(Failure::new(
                400,
                "issuer_mismatch",
                "The answer did not come from this server's sign-in service.",
            )
            .to(origin));
        }
        let tokens = self
            .provider
            .exchange(&metadata, code, &self.redirect_uri(), &attempt.verifier)
            .await
            .map_err(|e| Failure::provider(&e).to(origin))?;
        let id_token = tokens.id_token.as_deref().ok_or_else(|| {
            Failure::new(502, "no_id_token", "The sign-in service sent no ID token.").to(origin)
        })?;
        let mut claims = match self
            .provider
            .validate(&metadata, &keys, id_token, &attempt.nonce)
            .await
        {
            Ok(c) => c,
            Err(KeyError::Refused(r)) => {
                tracing::warn!(refusal = r.code(), "sign-in: ID token refused");
                return Err(
                    Failure::new(401, r.code(), format!("Sign-in refused: {r}.")).to(origin),
                );
            }
            Err(KeyError::Provider(e)) => return Err(Failure::provider(&e).to(origin)),
        };
        if let Some(access) = &tokens.access_token {
            let sub = claims
                .get("sub")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned();
            match self.provider.userinfo(&metadata, access, &sub).await {
                // The ID token's claims win; userinfo fills in the rest.
                Ok(Some(more)) => {
                    for (k, v) in more {
                        claims.entry(k).or_insert(v);
                    }
                }
                Ok(None) => {}
                Err(e @ ProviderError::Malformed { .. }) => {
                    return Err(Failure::provider(&e).to(origin));
                }
                Err(e) => tracing::warn!(error = %e, "sign-in without userinfo claims"),
            }
        }
        let me = self.config.mapping.person(&claims).map_err(|u| match u {
            Unmapped::NotAllowed(why) => Failure::new(403, "not_allowed", why).to(origin),
            Unmapped::NoId(why) => {
                tracing::warn!(%why, "sign-in: no usable person id");
                Failure::new(
                    401,
                    "no_person",
                    "The sign-in service did not say who you are.",
                )
                .to(origin)
            }
        })?;
        let tokens = self.start_session(store, &me).await.map_err(|e| {
            tracing::error!(error = %e, "sign-in: the session was not stored");
            Failure::new(
                500,
                "internal",
                "The session could not be stored. Try again.",
            )
            .to(origin)
        })?;
        tracing::info!(person = %me.id, "signed in with the OpenID provider");
        Ok((tokens, attempt.origin))
    }

    async fn start_session(&self, store: &Store, me: &Me) -> ApiResult<SessionTokens> {
        let now = now_ms();
        let session_id = new_id();
        let (handle, handle_id, secret_hash) = new_handle();
        let expires_ms = now + self.config.session_ttl.as_millis() as i64;
        let claims = serde_json::to_string(me).map_err(|e| ApiError::Internal(e.to_string()))?;
        let mut w = store.write().await?;
        // Sessions over a day past their end are of no use to anyone.
        db::forget_expired(&mut w.tx, now - 24 * 3600 * 1000).await?;
        db::start(
            &mut w.tx,
            &db::NewSession {
                id: &session_id,
                person_id: &me.id,
                claims: &claims,
                now,
                expires_ms,
                handle_id: &handle_id,
                secret_hash: &secret_hash,
            },
        )
        .await?;
        w.commit().await?;
        self.tokens(me, &session_id, handle, expires_ms, now)
    }

    fn tokens(
        &self,
        me: &Me,
        session_id: &str,
        refresh_token: String,
        session_expires_ms: i64,
        now_ms: i64,
    ) -> ApiResult<SessionTokens> {
        let now = (now_ms / 1000) as u64;
        let session_left = ((session_expires_ms - now_ms).max(0) / 1000) as u64;
        // An access token never outlives its session.
        let ttl = self.config.access_ttl.as_secs().min(session_left);
        let claims = AccessClaims {
            token: TokenClaims {
                sub: me.id.clone(),
                name: me.name.clone(),
                email: me.email.clone(),
                department: me.department.clone(),
                roles: me
                    .roles
                    .iter()
                    .map(|r| match r {
                        Role::Moderator => "km:moderator".to_owned(),
                        Role::Admin => "km:admin".to_owned(),
                    })
                    .collect(),
                exp: now + ttl,
                iat: Some(now),
            },
            iss: &self.issuer,
            aud: ACCESS_AUDIENCE,
            sid: session_id,
        };
        let access_token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&self.access_key),
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(SessionTokens {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ttl,
            refresh_token,
            session_expires_in: session_left,
        })
    }

    /// Whether `token` claims to be one of this server's access tokens (by
    /// its unverified `iss`; [`SignIn::verify`] then checks everything).
    pub fn issued(&self, token: &str) -> bool {
        #[derive(Deserialize)]
        struct Iss {
            iss: Option<String>,
        }
        token
            .split('.')
            .nth(1)
            .filter(|p| p.len() <= crate::auth::MAX_TOKEN_BYTES)
            .and_then(|p| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p)
                    .ok()
            })
            .and_then(|b| serde_json::from_slice::<Iss>(&b).ok())
            .and_then(|c| c.iss)
            .is_some_and(|iss| iss == self.issuer)
    }

    /// Verifies one of this server's access tokens.
    pub fn verify(&self, token: &str) -> Result<Me, ApiError> {
        self.own.verify(token)
    }

    /// Trades a refresh handle for the session's next tokens. A handle
    /// that was traded before ends the session.
    pub async fn refresh(&self, store: &Store, handle: &str) -> ApiResult<SessionTokens> {
        let now = now_ms();
        let unknown =
            || ApiError::Unauthorized("the refresh token is not one this server issued".into());
        let (id, secret) = split_handle(handle).ok_or_else(unknown)?;
        let mut w = store.write().await?;
        let h = db::handle(&mut w.tx, id).await?.ok_or_else(unknown)?;
        if !same_secret(secret, &h.secret_hash) {
            return Err(unknown());
        }
        if h.ended_ms.is_some() {
            return Err(ApiError::Unauthorized(
                match h.end_reason.as_deref() {
                    Some("reuse") => {
                        "this session was ended because a refresh token was used twice; sign in again"
                    }
                    _ => "this session was signed out; sign in again",
                }
                .into(),
            ));
        }
        if h.expires_ms <= now {
            return Err(ApiError::Unauthorized(
                "the session has run its time; sign in again".into(),
            ));
        }
        if h.used_ms.is_some() || !db::mark_used(&mut w.tx, id, now).await? {
            // Whoever holds the newer handle, this one was copied: end the
            // session for both.
            db::end(&mut w.tx, &h.session_id, now, "reuse").await?;
            w.commit().await?;
            tracing::warn!(session = %h.session_id, "a used refresh token came back: session ended");
            return Err(ApiError::Unauthorized(
                "this refresh token was used before, so the session was ended; sign in again"
                    .into(),
            ));
        }
        let (next, next_id, next_hash) = new_handle();
        db::add_handle(&mut w.tx, &h.session_id, &next_id, &next_hash, now).await?;
        w.commit().await?;
        let me: Me =
            serde_json::from_str(&h.claims).map_err(|e| ApiError::Internal(e.to_string()))?;
        self.tokens(&me, &h.session_id, next, h.expires_ms, now)
    }

    /// Ends the session of a refresh handle. An unknown handle is no error
    /// (there is nothing to end), but ends nothing either.
    pub async fn sign_out(&self, store: &Store, handle: &str) -> ApiResult<()> {
        let Some((id, secret)) = split_handle(handle) else {
            return Ok(());
        };
        let mut w = store.write().await?;
        match db::handle(&mut w.tx, id).await? {
            Some(h) if same_secret(secret, &h.secret_hash) => {
                db::end(&mut w.tx, &h.session_id, now_ms(), "sign-out").await?;
                w.commit().await?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// A new refresh handle: (handle, its id, its secret's SHA-256).
fn new_handle() -> (String, String, String) {
    let id = new_id();
    let secret = random();
    let hash = sha256_hex(&secret);
    (format!("{id}.{secret}"), id, hash)
}

/// `<id>.<secret>` of a well-formed handle.
fn split_handle(handle: &str) -> Option<(&str, &str)> {
    let (id, secret) = handle.trim().split_once('.')?;
    (id.len() == 36 && secret.len() == 43).then_some((id, secret))
}

/// Whether `secret` hashes to `stored`, compared in constant time.
fn same_secret(secret: &str, stored: &str) -> bool {
    sha256_hex(secret)
        .as_bytes()
        .ct_eq(stored.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalized_and_only_http() {
        assert_eq!(
            origin_of("https://Intranet.Example.com:443/some/page?x=1").as_deref(),
            Some("https://intranet.example.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("file:///etc/passwd"), None);
    }

    #[test]
    fn handles_split_and_compare() {
        let (handle, id, hash) = new_handle();
        let (i, secret) = split_handle(&handle).unwrap();
        assert_eq!(i, id);
        assert!(same_secret(secret, &hash));
        assert!(!same_secret(&random(), &hash));
        assert!(split_handle("nodot").is_none());
        assert!(split_handle(&format!("{id}.short")).is_none());
    }
}
