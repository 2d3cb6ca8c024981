//! The OpenID provider as km-server talks to it (the relying party's side
//! of OpenID Connect Core and Discovery): the discovery document at
//! `<issuer>/.well-known/openid-configuration`, the authorization request
//! of the code flow with PKCE (S256), state and nonce, the code exchange
//! at the token endpoint, and the userinfo endpoint. ID tokens are
//! validated in [`crate::id_token`]; what a sign-in makes of them is in
//! [`crate::sign_in`].
//!
//! Every call has a time limit, follows no redirects and reads at most
//! [`MAX_BODY_BYTES`]; tokens and codes are never logged.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::id_token::{self, Keys};

/// Largest response read from the provider.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Time limit of one call to the provider.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a discovery document is used before it is fetched again.
const METADATA_MAX_AGE: Duration = Duration::from_secs(3600);

/// A failure to talk to the provider.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// No answer (connection refused, time-out).
    #[error("{what}: the provider did not answer: {detail}")]
    Unreachable {
        /// Which call.
        what: &'static str,
        /// The client's error.
        detail: String,
    },
    /// An error status; `error` is the OAuth error code when there is one.
    #[error("{what}: the provider answered {status} {error}")]
    Refused {
        /// Which call.
        what: &'static str,
        /// The HTTP status.
        status: u16,
        /// The OAuth `error` of the body, if any (never its description,
        /// which might quote what was sent).
        error: String,
    },
    /// An answer that is not what the protocol says.
    #[error("{what}: {detail}")]
    Malformed {
        /// Which call.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
}

/// The HTTP client km-server uses towards the provider.
#[derive(Clone)]
pub struct Http(reqwest::Client);

impl Http {
    /// A client with the time limit and no redirects.
    pub fn new() -> anyhow::Result<Http> {
        Ok(Http(
            reqwest::Client::builder()
                .timeout(CALL_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("km-server/", env!("CARGO_PKG_VERSION")))
                .build()?,
        ))
    }

    /// The keys of the JWKS at `uri`.
    pub async fn jwks(&self, uri: &str) -> Result<Vec<jsonwebtoken::jwk::Jwk>, ProviderError> {
        let doc: Value = self.get_json("JWKS", uri, None).await?;
        let keys = id_token::parse_jwks(&doc);
        if keys.is_empty() {
            return Err(ProviderError::Malformed {
                what: "JWKS",
                detail: "no usable key in the provider's JWKS".into(),
            });
        }
        Ok(keys)
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        what: &'static str,
        uri: &str,
        bearer: Option<&str>,
    ) -> Result<T, ProviderError> {
        let mut req = self.0.get(uri).header("accept", "application/json");
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.map_err(|e| unreachable(what, &e))?;
        body(what, res).await
    }
}

fn unreachable(what: &'static str, e: &reqwest::Error) -> ProviderError {
    // reqwest's text names the URL, which holds no secret here.
    ProviderError::Unreachable {
        what,
        detail: e.to_string(),
    }
}

/// Reads a JSON body of at most [`MAX_BODY_BYTES`]; an error status is
/// [`ProviderError::Refused`] with the body's OAuth `error` code.
async fn body<T: DeserializeOwned>(
    what: &'static str,
    mut res: reqwest::Response,
) -> Result<T, ProviderError> {
    let status = res.status();
    let mut bytes = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|e| unreachable(what, &e))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_BODY_BYTES {
            return Err(ProviderError::Malformed {
                what,
                detail: format!("the answer is over {MAX_BODY_BYTES} bytes"),
            });
        }
    }
    if !status.is_success() {
        let error = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(oauth_code))
            .unwrap_or_default();
        return Err(ProviderError::Refused {
            what,
            status: status.as_u16(),
            error,
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| ProviderError::Malformed {
        what,
        detail: format!("not the JSON expected: {e}"),
    })
}

/// An OAuth error code as it may be logged and shown: the characters RFC
/// 6749 allows in one, at most 64 of them.
pub fn oauth_code(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
        .take(64)
        .collect()
}

/// The parts of the discovery document km-server uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    /// Must equal the configured issuer exactly (Discovery 4.3).
    pub issuer: String,
    /// Where the person is sent.
    pub authorization_endpoint: String,
    /// Where the code is exchanged.
    pub token_endpoint: String,
    /// The signing keys.
    pub jwks_uri: String,
    /// Claims about the person, when the ID token leaves some out.
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    /// Algorithms the provider signs ID tokens with.
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// How the client authenticates at the token endpoint.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// Whether the provider names itself in its answers (RFC 9207 `iss`):
    /// then an answer without it is refused.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

/// The answer of the token endpoint.
#[derive(Deserialize)]
pub struct Tokens {
    /// The ID token (required: this is OpenID Connect).
    #[serde(default)]
    pub id_token: Option<String>,
    /// For the userinfo endpoint.
    #[serde(default)]
    pub access_token: Option<String>,
}

/// The provider: its configuration, cached discovery document and keys.
pub struct Provider {
    /// The configured issuer.
    pub issuer: String,
    /// This server's client id.
    pub client_id: String,
    client_secret: Option<String>,
    http: Http,
    refetch_interval: Duration,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

struct Cached {
    metadata: std::sync::Arc<Metadata>,
    keys: std::sync::Arc<Keys>,
    fetched: Instant,
}

impl Provider {
    /// The provider of `issuer`; nothing is fetched until first needed.
    pub fn new(
        issuer: String,
        client_id: String,
        client_secret: Option<String>,
        jwks_refetch_interval: Duration,
    ) -> anyhow::Result<Provider> {
        Ok(Provider {
            issuer,
            client_id,
            client_secret,
            http: Http::new()?,
            refetch_interval: jwks_refetch_interval,
            cached: tokio::sync::Mutex::new(None),
        })
    }

    /// The discovery document and the keys of its `jwks_uri`, fetched when
    /// first needed and again after an hour (a failed refetch keeps the
    /// document held, with a warning).
    pub async fn metadata(
        &self,
    ) -> Result<(std::sync::Arc<Metadata>, std::sync::Arc<Keys>), ProviderError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && c.fetched.elapsed() < METADATA_MAX_AGE
        {
            return Ok((c.metadata.clone(), c.keys.clone()));
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.issuer.trim_end_matches('/')
        );
        let fetched: Result<Metadata, _> = self.http.get_json("discovery", &url, None).await;
        let metadata = match fetched.and_then(|m| self.check(m)) {
            Ok(m) => m,
            Err(e) => match cached.as_ref() {
                Some(c) => {
                    tracing::warn!(error = %e, "discovery refetch failed: keeping the document held");
                    return Ok((c.metadata.clone(), c.keys.clone()));
                }
                None => return Err(e),
            },
        };
        // The same JWKS address keeps its keys (and its rate limit).
        let keys = match cached.as_ref() {
            Some(c) if c.keys.uri() == metadata.jwks_uri => c.keys.clone(),
            _ => std::sync::Arc::new(Keys::new(metadata.jwks_uri.clone(), self.refetch_interval)),
        };
        let metadata = std::sync::Arc::new(metadata);
        *cached = Some(Cached {
            metadata: metadata.clone(),
            keys: keys.clone(),
            fetched: Instant::now(),
        });
        Ok((metadata, keys))
    }

    /// Discovery 4.3: the document's issuer is the configured one, and its
    /// endpoints are HTTPS (or loopback HTTP, for a provider on this
    /// machine).
    fn check(&self, m: Metadata) -> Result<Metadata, ProviderError> {
        let bad = |detail: String| ProviderError::Malformed {
            what: "discovery",
            detail,
        };
        if m.issuer != self.issuer {
            return Err(bad(format!(
                "the document names the issuer {:?}, not the configured {:?}",
                m.issuer, self.issuer
            )));
        }
        for (name, url) in [
            ("authorization_endpoint", &m.authorization_endpoint),
            ("token_endpoint", &m.token_endpoint),
            ("jwks_uri", &m.jwks_uri),
        ]
        .into_iter()
        .chain(m.userinfo_endpoint.iter().map(|u| ("userinfo_endpoint", u)))
        {
            if !secure_url(url) {
                return Err(bad(format!(
                    "{name} must be an https:// URL (http:// only on loopback), got {url:?}"
                )));
            }
        }
        Ok(m)
    }

    /// The authorization request's URL: code flow, PKCE S256, state, nonce.
    pub fn authorization_url(
        &self,
        metadata: &Metadata,
        redirect_uri: &str,
        scopes: &str,
        state: &str,
        nonce: &str,
        code_verifier: &str,
    ) -> Result<String, ProviderError> {
        let mut url = reqwest::Url::parse(&metadata.authorization_endpoint).map_err(|e| {
            ProviderError::Malformed {
                what: "discovery",
                detail: format!("authorization_endpoint: {e}"),
            }
        })?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", scopes)
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", &pkce_challenge(code_verifier))
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Exchanges `code` (with its PKCE verifier) for tokens.
    pub async fn exchange(
        &self,
        metadata: &Metadata,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
    ) -> Result<Tokens, ProviderError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
        ];
        let mut req = self.http.0.post(&metadata.token_endpoint);
        let methods = &metadata.token_endpoint_auth_methods_supported;
        match &self.client_secret {
            // client_secret_basic is the default (RFC 6749 2.3.1, Discovery);
            // _post only where the provider lists it and not _basic.
            Some(secret)
                if methods.iter().any(|m| m == "client_secret_post")
                    && !methods.iter().any(|m| m == "client_secret_basic") =>
            {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", secret));
            }
            Some(secret) => {
                let encode = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                let pair = format!("{}:{}", encode(&self.client_id), encode(secret));
                let basic = base64::engine::general_purpose::STANDARD.encode(pair);
                req = req.header("authorization", format!("Basic {basic}"));
            }
            None => form.push(("client_id", &self.client_id)),
        }
        let res = req
            .header("accept", "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| unreachable("token", &e))?;
        body("token", res).await
    }

    /// The userinfo endpoint's claims for `access_token`, if the provider
    /// has one. Its `sub` must be the ID token's (Core 5.3.2).
    pub async fn userinfo(
        &self,
        metadata: &Metadata,
        access_token: &str,
        sub: &str,
    ) -> Result<Option<Map<String, Value>>, ProviderError> {
        let Some(uri) = &metadata.userinfo_endpoint else {
            return Ok(None);
        };
        let claims: Map<String, Value> = self
            .http
            .get_json("userinfo", uri, Some(access_token))
            .await?;
        if claims.get("sub").and_then(Value::as_str) != Some(sub) {
            return Err(ProviderError::Malformed {
                what: "userinfo",
                detail: "its sub is not the ID token's".into(),
            });
        }
        Ok(Some(claims))
    }

    /// Validates an ID token of this provider ([`id_token::validate`]).
    pub async fn validate(
        &self,
        metadata: &Metadata,
        keys: &Keys,
        token: &str,
        nonce: &str,
    ) -> Result<Map<String, Value>, id_token::KeyError> {
        let expected = id_token::Expected {
            issuer: &self.issuer,
            client_id: &self.client_id,
            nonce,
            algorithms: &metadata.id_token_signing_alg_values_supported,
        };
        id_token::validate(token, &expected, keys, &self.http).await
    }
}

/// Whether `url` is https://, or http:// to a loopback host.
pub fn secure_url(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    match u.scheme() {
        "https" => u.host().is_some(),
        "http" => is_loopback(&u),
        _ => false,
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
pub fn is_loopback(u: &reqwest::Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The PKCE S256 challenge of a verifier (RFC 7636 4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn only_https_or_loopback_http() {
        assert!(secure_url("https://login.example.com/x"));
        assert!(secure_url("http://127.0.0.1:4000/auth"));
        assert!(secure_url("http://localhost:4000/auth"));
        assert!(secure_url("http://[::1]:4000/auth"));
        assert!(!secure_url("http://login.example.com/x"));
        assert!(!secure_url("http://127.0.0.1.evil.example/x"));
        assert!(!secure_url("javascript:alert(1)"));
        assert!(!secure_url("not a url"));
    }

    #[test]
    fn oauth_codes_keep_only_their_characters() {
        assert_eq!(oauth_code("invalid_grant"), "invalid_grant");
        assert_eq!(oauth_code("bad<script>\n"), "badscript");
        assert_eq!(oauth_code(&"x".repeat(100)).len(), 64);
    }
}
