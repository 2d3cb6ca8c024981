//! Validating the ID token of a sign-in (OpenID Connect Core 3.1.3.7): the
//! signature by a key of the provider's JWKS (asymmetric algorithms only),
//! `iss`, `aud` and `azp`, `exp`, `nbf` and `iat` with [`LEEWAY_SECS`] of
//! clock skew, and the sign-in's `nonce`. [`Keys`] caches the JWKS and
//! fetches it again when a token names a key it does not hold (the
//! provider rotated its keys), at most once per refetch interval, so a
//! flood of tokens with made-up key ids cannot make the server hammer the
//! provider.

use std::time::{Duration, Instant};

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

/// Clock skew allowed for `exp`, `nbf` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 60;

/// Signing algorithms accepted for ID tokens: asymmetric ones only, so a
/// token can never be "signed" with something the server or the public
/// knows (no `none`, no HMAC with the client secret).
const ACCEPTED: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Why an ID token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Not a JWT, or claims of the wrong type.
    #[error("the ID token is malformed")]
    Malformed,
    /// An algorithm outside [`ACCEPTED`] or the provider's own list.
    #[error("the ID token is signed with an algorithm this server does not accept")]
    Algorithm,
    /// No key of the provider's JWKS has the token's `kid`, even after
    /// fetching the JWKS again.
    #[error("the ID token is signed by a key the provider does not publish")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the ID token's signature does not match")]
    Signature,
    /// `iss` is not the configured issuer.
    #[error("the ID token comes from another issuer")]
    Issuer,
    /// `aud` does not name this client.
    #[error("the ID token is for another application")]
    Audience,
    /// Several audiences and no `azp`, or an `azp` that is not this client.
    #[error("the ID token was issued to another application (azp)")]
    AuthorizedParty,
    /// `exp` has passed (or is missing).
    #[error("the ID token has expired")]
    Expired,
    /// `nbf` or `iat` lies in the future.
    #[error("the ID token is not valid yet")]
    NotYetValid,
    /// `iat` is missing.
    #[error("the ID token does not say when it was issued")]
    NoIssuedAt,
    /// `nonce` is missing or is not this sign-in's.
    #[error("the ID token was not issued for this sign-in (nonce)")]
    Nonce,
    /// `sub` is missing or empty.
    #[error("the ID token names no person")]
    NoSubject,
}

impl Refusal {
    /// A stable code for the sign-in popup's message and the tests.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Malformed => "id_token_malformed",
            Refusal::Algorithm => "id_token_algorithm",
            Refusal::UnknownKey => "id_token_unknown_key",
            Refusal::Signature => "id_token_signature",
            Refusal::Issuer => "id_token_issuer",
            Refusal::Audience => "id_token_audience",
            Refusal::AuthorizedParty => "id_token_azp",
            Refusal::Expired => "id_token_expired",
            Refusal::NotYetValid => "id_token_not_yet_valid",
            Refusal::NoIssuedAt => "id_token_iat",
            Refusal::Nonce => "id_token_nonce",
            Refusal::NoSubject => "id_token_subject",
        }
    }
}

/// What an ID token must say.
pub struct Expected<'a> {
    /// The configured issuer (exactly; it equals the discovery's).
    pub issuer: &'a str,
    /// This server's client id.
    pub client_id: &'a str,
    /// The nonce this sign-in sent.
    pub nonce: &'a str,
    /// The provider's `id_token_signing_alg_values_supported` (empty: RS256).
    pub algorithms: &'a [String],
}

/// The provider's signing keys, cached.
pub struct Keys {
    jwks_uri: String,
    refetch_interval: Duration,
    state: tokio::sync::Mutex<KeyState>,
}

#[derive(Default)]
struct KeyState {
    keys: Vec<Jwk>,
    fetched: Option<Instant>,
}

/// Keys are fetched again after this long even when none is missing.
const MAX_KEY_AGE: Duration = Duration::from_secs(24 * 3600);

impl Keys {
    /// The keys at `jwks_uri`, fetched when first needed; a token naming an
    /// unknown key fetches them again at most once per `refetch_interval`.
    pub fn new(jwks_uri: String, refetch_interval: Duration) -> Keys {
        Keys {
            jwks_uri,
            refetch_interval,
            state: tokio::sync::Mutex::new(KeyState::default()),
        }
    }

    /// Fetches the keys now (the start-up check).
    pub async fn fetch_now(
        &self,
        http: &crate::oidc::Http,
    ) -> Result<(), crate::oidc::ProviderError> {
        let keys = http.jwks(&self.jwks_uri).await?;
        let mut state = self.state.lock().await;
        state.keys = keys;
        state.fetched = Some(Instant::now());
        Ok(())
    }

    /// The JWKS document's address.
    pub fn uri(&self) -> &str {
        &self.jwks_uri
    }

    /// The key for `kid` and `alg`, fetching the JWKS when it is not held
    /// (first use, rotation, or a day old).
    async fn key(
        &self,
        http: &crate::oidc::Http,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<DecodingKey, KeyError> {
        let mut state = self.state.lock().await;
        let stale = state.fetched.is_none_or(|t| t.elapsed() > MAX_KEY_AGE);
        if !stale && let Some(key) = find(&state.keys, kid, alg) {
            return key;
        }
        // Fetch when never fetched, when old, or (rate limited) when the
        // key is unknown: the provider may have rotated its keys.
        let may = stale
            || state
                .fetched
                .is_none_or(|t| t.elapsed() >= self.refetch_interval);
        if may {
            match http.jwks(&self.jwks_uri).await {
                Ok(keys) => {
                    state.keys = keys;
                    state.fetched = Some(Instant::now());
                }
                Err(e) if state.keys.is_empty() => return Err(KeyError::Provider(e)),
                Err(e) => tracing::warn!(error = %e, "JWKS refetch failed: keeping the keys held"),
            }
        }
        find(&state.keys, kid, alg).unwrap_or(Err(KeyError::Refused(Refusal::UnknownKey)))
    }
}

/// Why no key could be had.
#[derive(Debug)]
pub enum KeyError {
    /// The JWKS could not be fetched at all.
    Provider(crate::oidc::ProviderError),
    /// The token names no usable key.
    Refused(Refusal),
}

/// The key of `keys` for `kid` (or the only signing key, when the token
/// names none) that suits `alg`. None when there is no such key.
fn find(keys: &[Jwk], kid: Option<&str>, alg: Algorithm) -> Option<Result<DecodingKey, KeyError>> {
    let suits = |k: &&Jwk| {
        let family_fits = matches!(
            (&k.algorithm, alg),
            (
                AlgorithmParameters::RSA(_),
                Algorithm::RS256
                    | Algorithm::RS384
                    | Algorithm::RS512
                    | Algorithm::PS256
                    | Algorithm::PS384
                    | Algorithm::PS512
            ) | (
                AlgorithmParameters::EllipticCurve(_),
                Algorithm::ES256 | Algorithm::ES384
            ) | (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA)
        );
        let for_signing = !matches!(
            k.common.public_key_use,
            Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
        );
        let alg_fits = k
            .common
            .key_algorithm
            .is_none_or(|ka| ka.to_string() == format!("{alg:?}"));
        family_fits && for_signing && alg_fits
    };
    let mut candidates = keys.iter().filter(suits);
    let key = match kid {
        Some(kid) => candidates.find(|k| k.common.key_id.as_deref() == Some(kid))?,
        None => {
            let first = candidates.next()?;
            if candidates.next().is_some() {
                // Several keys and no kid: which one is not ours to guess.
                return None;
            }
            first
        }
    };
    Some(DecodingKey::from_jwk(key).map_err(|_| KeyError::Refused(Refusal::UnknownKey)))
}

/// Parses a JWKS document, skipping keys this server cannot use (another
/// key type, encryption keys with parameters the parser does not know)
/// rather than refusing the whole set.
pub fn parse_jwks(doc: &Value) -> Vec<Jwk> {
    doc.get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok())
        .collect()
}

/// Validates `token` and returns its claims.
pub async fn validate(
    token: &str,
    expected: &Expected<'_>,
    keys: &Keys,
    http: &crate::oidc::Http,
) -> Result<Map<String, Value>, KeyError> {
    let refused = |r: Refusal| KeyError::Refused(r);
    let header = jsonwebtoken::decode_header(token).map_err(|_| refused(Refusal::Malformed))?;
    let alg = header.alg;
    let offered = expected.algorithms.is_empty() && alg == Algorithm::RS256
        || expected.algorithms.iter().any(|a| *a == format!("{alg:?}"));
    if !ACCEPTED.contains(&alg) || !offered {
        return Err(refused(Refusal::Algorithm));
    }
    let key = keys.key(http, header.kid.as_deref(), alg).await?;
    let mut v = Validation::new(alg);
    v.leeway = LEEWAY_SECS;
    v.validate_nbf = true;
    v.set_issuer(&[expected.issuer]);
    v.set_audience(&[expected.client_id]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &v).map_err(|e| {
        tracing::debug!(error = %e, "ID token refused");
        refused(match e.kind() {
            ErrorKind::ExpiredSignature => Refusal::Expired,
            ErrorKind::ImmatureSignature => Refusal::NotYetValid,
            ErrorKind::InvalidIssuer => Refusal::Issuer,
            ErrorKind::InvalidAudience => Refusal::Audience,
            ErrorKind::MissingRequiredClaim(c) => match c.as_str() {
                "iss" => Refusal::Issuer,
                "aud" => Refusal::Audience,
                "sub" => Refusal::NoSubject,
                _ => Refusal::Expired,
            },
            ErrorKind::InvalidSignature => Refusal::Signature,
            ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => Refusal::Algorithm,
            _ => Refusal::Malformed,
        })
    })?;
    check_claims(data.claims, expected, jsonwebtoken::get_current_timestamp()).map_err(refused)
}

/// The checks jsonwebtoken does not make: `iss` one string, `azp`, `iat`,
/// `sub` and the nonce (compared in constant time).
fn check_claims(
    claims: Map<String, Value>,
    expected: &Expected<'_>,
    now: u64,
) -> Result<Map<String, Value>, Refusal> {
    // jsonwebtoken accepts an `iss` array that contains the issuer; the
    // issuer is one string (RFC 7519 4.1.1).
    if claims.get("iss").and_then(Value::as_str) != Some(expected.issuer) {
        return Err(Refusal::Issuer);
    }
    let audiences = match claims.get("aud") {
        Some(Value::Array(a)) => a.len(),
        _ => 1,
    };
    match claims.get("azp") {
        Some(Value::String(azp)) if azp == expected.client_id => {}
        None if audiences == 1 => {}
        _ => return Err(Refusal::AuthorizedParty),
    }
    match claims.get("iat").and_then(Value::as_u64) {
        None => return Err(Refusal::NoIssuedAt),
        Some(iat) if iat > now + LEEWAY_SECS => return Err(Refusal::NotYetValid),
        Some(_) => {}
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(sub) if !sub.trim().is_empty() => {}
        _ => return Err(Refusal::NoSubject),
    }
    let nonce = claims.get("nonce").and_then(Value::as_str).unwrap_or("");
    if nonce.is_empty() || !bool::from(nonce.as_bytes().ct_eq(expected.nonce.as_bytes())) {
        return Err(Refusal::Nonce);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://idp.example",
            client_id: "km",
            nonce: "n-0S6_WzA2Mj",
            algorithms: &[],
        }
    }

    fn good() -> Map<String, Value> {
        json!({
            "iss": "https://idp.example", "aud": "km", "sub": "u1",
            "iat": 1_000, "exp": 2_000, "nonce": "n-0S6_WzA2Mj",
        })
        .as_object()
        .cloned()
        .unwrap()
    }

    fn with(key: &str, value: Value) -> Map<String, Value> {
        let mut c = good();
        c.insert(key.into(), value);
        c
    }

    #[test]
    fn claims_beyond_the_library_are_checked() {
        let e = expected();
        assert!(check_claims(good(), &e, 1_000).is_ok());
        for (claims, refusal) in [
            (with("nonce", json!("another")), Refusal::Nonce),
            (with("nonce", json!("")), Refusal::Nonce),
            (with("nonce", json!(7)), Refusal::Nonce),
            (
                with(
                    "iss",
                    json!(["https://idp.example", "https://evil.example"]),
                ),
                Refusal::Issuer,
            ),
            (
                with("aud", json!(["km", "other"])),
                Refusal::AuthorizedParty,
            ),
            (with("azp", json!("other")), Refusal::AuthorizedParty),
            (
                with("iat", json!(1_000 + LEEWAY_SECS + 1)),
                Refusal::NotYetValid,
            ),
            (with("iat", json!("yesterday")), Refusal::NoIssuedAt),
            (with("sub", json!(" ")), Refusal::NoSubject),
        ] {
            assert_eq!(
                check_claims(claims.clone(), &e, 1_000),
                Err(refusal),
                "{claims:?}"
            );
        }
        let mut no_nonce = good();
        no_nonce.remove("nonce");
        assert_eq!(check_claims(no_nonce, &e, 1_000), Err(Refusal::Nonce));
        // Several audiences are fine when `azp` names this client.
        let mut both = with("aud", json!(["km", "other"]));
        both.insert("azp".into(), json!("km"));
        assert!(check_claims(both, &e, 1_000).is_ok());
    }

    #[test]
    fn keys_are_chosen_by_kid_family_use_and_alg() {
        let jwks = parse_jwks(
            &serde_json::from_str(include_str!("../tests/fixtures/rs256-test-jwks.json")).unwrap(),
        );
        assert_eq!(jwks.len(), 1);
        assert!(find(&jwks, Some("test-key-1"), Algorithm::RS256).is_some());
        assert!(
            find(&jwks, None, Algorithm::RS256).is_some(),
            "the only key"
        );
        assert!(find(&jwks, Some("other"), Algorithm::RS256).is_none());
        assert!(find(&jwks, Some("test-key-1"), Algorithm::ES256).is_none());
        // An encryption key is never a signing key; an unknown key type is
        // skipped, not fatal.
        let mut doc: Value =
            serde_json::from_str(include_str!("../tests/fixtures/rs256-test-jwks.json")).unwrap();
        doc["keys"][0]["use"] = json!("enc");
        doc["keys"]
            .as_array_mut()
            .unwrap()
            .push(json!({"kty": "weird", "kid": "x"}));
        let jwks = parse_jwks(&doc);
        assert_eq!(jwks.len(), 1);
        assert!(find(&jwks, Some("test-key-1"), Algorithm::RS256).is_none());
    }
}
