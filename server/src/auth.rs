//! Identity: the portal signs a JWT (HS256 with a shared secret, or RS256
//! with a public key or a JWKS file); the server verifies it and turns its
//! claims into a [`Me`].

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use km_protocol::validate::{TextKind, clean_line, text_problem};
use km_protocol::{Me, Role, TokenClaims};

use crate::error::ApiError;

/// Longest bearer token accepted, in bytes; longer ones are refused before
/// any parsing (a portal's token is well under 2 KiB).
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Clock skew allowed for `exp`, `nbf` and `iat`, in seconds.
const LEEWAY_SECS: u64 = 30;

/// The claims read from a token: the contract's [`TokenClaims`] and the
/// registered claims whose type matters here. `iss` must be one string (an
/// array is refused as a wrong type; jsonwebtoken would accept any array
/// that contains the issuer); `nbf` a number. `aud` may be a string or an
/// array of strings that contains the configured audience (RFC 7519 4.1.3:
/// the token names every audience it is for); jsonwebtoken checks it.
#[derive(serde::Deserialize)]
struct Claims {
    #[serde(flatten)]
    token: TokenClaims,
    #[serde(default)]
    #[allow(dead_code)] // read for its type; jsonwebtoken compares the value
    iss: Option<String>,
    #[serde(default)]
    #[allow(dead_code)] // read for its type; jsonwebtoken compares the value
    nbf: Option<u64>,
}

const MALFORMED: &str = "the bearer token is not a well-formed JWT";

/// The fixed, human reason a token was refused (the 401's detail).
fn refusal(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired",
        ErrorKind::ImmatureSignature => "the token is not valid yet",
        ErrorKind::InvalidAudience => "the token is for another audience",
        ErrorKind::InvalidIssuer => "the token comes from another issuer",
        ErrorKind::MissingRequiredClaim(c) => match c.as_str() {
            "aud" => "the token names no audience",
            "iss" => "the token names no issuer",
            "exp" => "the token has no expiry",
            "sub" => "the token names no person",
            _ => "the token lacks a required claim",
        },
        ErrorKind::InvalidSignature => "the token's signature does not match",
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => {
            "the token is signed with an algorithm this server does not accept"
        }
        ErrorKind::Json(_) => "the token's claims are missing or of the wrong type",
        ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => MALFORMED,
        _ => "the bearer token is not valid",
    }
}

/// Where verification keys come from.
pub enum Keys {
    /// A shared secret (HS256); the demo signs its tokens with it too.
    Shared(Vec<u8>),
    /// One RSA public key (RS256).
    Public(DecodingKey),
    /// A JWKS document (RS256, chosen by `kid`).
    Jwks(JwkSet),
}

/// Verifies bearer tokens.
pub struct Verifier {
    keys: Keys,
    issuer: Option<String>,
    audience: Option<String>,
}

impl Verifier {
    /// A verifier over `keys`, optionally checking `iss` and `aud`.
    pub fn new(keys: Keys, issuer: Option<String>, audience: Option<String>) -> Self {
        Verifier {
            keys,
            issuer,
            audience,
        }
    }

    /// Loads an RS256 public key from a PEM file.
    pub fn public_key_file(path: &std::path::Path) -> anyhow::Result<Keys> {
        let pem = std::fs::read(path)?;
        Ok(Keys::Public(DecodingKey::from_rsa_pem(&pem)?))
    }

    /// Loads a JWKS file.
    pub fn jwks_file(path: &std::path::Path) -> anyhow::Result<Keys> {
        let text = std::fs::read_to_string(path)?;
        Ok(Keys::Jwks(serde_json::from_str(&text)?))
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.leeway = LEEWAY_SECS;
        v.validate_nbf = true;
        // A configured issuer or audience is required, not only compared
        // when present: jsonwebtoken skips the comparison for a token that
        // leaves the claim out (or sets it to null or to a wrong type), so
        // a token the same key signed for another application would pass.
        let mut required = vec!["exp", "sub"];
        match &self.audience {
            Some(aud) => {
                v.set_audience(&[aud]);
                required.push("aud");
            }
            None => v.validate_aud = false,
        }
        if let Some(iss) = &self.issuer {
            v.set_issuer(&[iss]);
            required.push("iss");
        }
        v.set_required_spec_claims(&required);
        v
    }

    /// Verifies `token` and returns who it names.
    ///
    /// A refusal is a 401 whose detail is one of a few fixed sentences
    /// ([`refusal`]); the library's own error text is logged, never sent.
    pub fn verify(&self, token: &str) -> Result<Me, ApiError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(ApiError::Unauthorized(
                "the bearer token is too large".into(),
            ));
        }
        let invalid = |e: jsonwebtoken::errors::Error| {
            tracing::debug!(error = %e, "bearer token refused");
            ApiError::Unauthorized(refusal(e.kind()).into())
        };
        // A header that does not parse (`"alg": "none"`, not JSON, not
        // base64) is a malformed token, whatever the library calls it.
        let header = jsonwebtoken::decode_header(token).map_err(|e| {
            tracing::debug!(error = %e, "bearer token refused");
            ApiError::Unauthorized(MALFORMED.into())
        })?;
        let data = match &self.keys {
            Keys::Shared(secret) => jsonwebtoken::decode::<Claims>(
                token,
                &DecodingKey::from_secret(secret),
                &self.validation(Algorithm::HS256),
            ),
            Keys::Public(key) => {
                jsonwebtoken::decode::<Claims>(token, key, &self.validation(Algorithm::RS256))
            }
            Keys::Jwks(set) => {
                let jwk = match header.kid.as_deref() {
                    Some(kid) => set.find(kid),
                    None => set.keys.first(),
                }
                .ok_or_else(|| {
                    ApiError::Unauthorized("no key in the JWKS matches the token".into())
                })?;
                let key = DecodingKey::from_jwk(jwk).map_err(invalid)?;
                jsonwebtoken::decode::<Claims>(token, &key, &self.validation(Algorithm::RS256))
            }
        }
        .map_err(invalid)?;
        // jsonwebtoken does not look at `iat`; a token "issued" in the
        // future was minted by a wrong clock or to outlive its `exp` check.
        if data
            .claims
            .token
            .iat
            .is_some_and(|iat| iat > jsonwebtoken::get_current_timestamp() + LEEWAY_SECS)
        {
            return Err(ApiError::Unauthorized(
                "the token was issued in the future".into(),
            ));
        }
        me_from_claims(data.claims.token)
    }

    /// Signs claims with the shared secret (the demo's token endpoint).
    pub fn sign(&self, claims: &TokenClaims) -> Option<String> {
        match &self.keys {
            Keys::Shared(secret) => jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                claims,
                &EncodingKey::from_secret(secret),
            )
            .ok(),
            _ => None,
        }
    }
}

/// Checks the claims and keeps the roles this contract knows.
///
/// The token's `name`, `department` and `email` are shown to other people,
/// so they lose control and bidi-control characters
/// ([`km_protocol::validate::clean_line`]); a `sub` with such characters
/// is refused, as it cannot be changed without changing who it is.
pub fn me_from_claims(c: TokenClaims) -> Result<Me, ApiError> {
    let sub = c.sub.trim();
    if sub.is_empty() || sub.chars().count() > 200 || text_problem(sub, TextKind::Line).is_some() {
        return Err(ApiError::Unauthorized(
            "the token's sub is empty, too long or holds invisible or control characters".into(),
        ));
    }
    let name = clean_line(&c.name);
    let kept = |v: Option<String>| Some(clean_line(&v?)).filter(|v| !v.is_empty());
    let roles = c
        .roles
        .iter()
        .filter_map(|r| match r.as_str() {
            "km:moderator" => Some(Role::Moderator),
            "km:admin" => Some(Role::Admin),
            _ => None,
        })
        .collect();
    Ok(Me {
        id: sub.to_owned(),
        name: if name.is_empty() {
            sub.to_owned()
        } else {
            name.chars().take(120).collect()
        },
        email: kept(c.email),
        department: kept(c.department),
        roles,
    })
}

/// Role names as stored in `people.roles` (comma separated).
pub fn roles_to_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| match r {
            Role::Moderator => "km:moderator",
            Role::Admin => "km:admin",
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The inverse of [`roles_to_text`].
pub fn roles_from_text(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(sub: &str, roles: &[&str], exp: u64) -> TokenClaims {
        TokenClaims {
            sub: sub.into(),
            name: "Mia".into(),
            email: None,
            department: Some("Sales".into()),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            exp,
            iat: None,
        }
    }

    fn far_future() -> u64 {
        4_000_000_000
    }

    #[test]
    fn hs256_tokens_round_trip_with_known_roles_only() {
        let v = Verifier::new(Keys::Shared(b"secret".to_vec()), None, None);
        let t = v
            .sign(&claims(
                "u-mia",
                &["km:moderator", "portal:editor"],
                far_future(),
            ))
            .unwrap();
        let me = v.verify(&t).unwrap();
        assert_eq!(me.id, "u-mia");
        assert_eq!(me.roles, vec![Role::Moderator]);
    }

    #[test]
    fn wrong_secret_and_expired_tokens_are_rejected() {
        let signer = Verifier::new(Keys::Shared(b"other".to_vec()), None, None);
        let v = Verifier::new(Keys::Shared(b"secret".to_vec()), None, None);
        let t = signer.sign(&claims("u-mia", &[], far_future())).unwrap();
        assert!(matches!(v.verify(&t), Err(ApiError::Unauthorized(_))));
        let expired = v.sign(&claims("u-mia", &[], 1_000)).unwrap();
        assert!(matches!(v.verify(&expired), Err(ApiError::Unauthorized(_))));
    }

    fn rs256(claims: &TokenClaims, kid: Option<&str>) -> String {
        let pem = include_bytes!("../tests/fixtures/rs256-test-private.pem");
        let mut header = Header::new(Algorithm::RS256);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_pem(pem).unwrap()).unwrap()
    }

    #[test]
    fn rs256_tokens_verify_with_a_public_key_or_a_jwks_file() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let by_pem = Verifier::new(
            Verifier::public_key_file(&fixtures.join("rs256-test-public.pem")).unwrap(),
            None,
            None,
        );
        let by_jwks = Verifier::new(
            Verifier::jwks_file(&fixtures.join("rs256-test-jwks.json")).unwrap(),
            None,
            None,
        );
        let c = claims("u-ria", &["km:admin"], far_future());
        assert_eq!(by_pem.verify(&rs256(&c, None)).unwrap().id, "u-ria");
        let me = by_jwks.verify(&rs256(&c, Some("test-key-1"))).unwrap();
        assert!(me.is_admin());
        assert!(by_jwks.verify(&rs256(&c, Some("another-key"))).is_err());
        // An HS256 token must not pass an RS256 verifier (algorithm confusion).
        let hs = Verifier::new(Keys::Shared(b"secret".to_vec()), None, None);
        assert!(by_pem.verify(&hs.sign(&c).unwrap()).is_err());
        assert!(
            by_pem.sign(&c).is_none(),
            "RS256 setups mint no demo tokens"
        );
    }

    #[test]
    fn issuer_and_audience_are_checked_when_configured() {
        #[derive(serde::Serialize)]
        struct WithAud<'a> {
            #[serde(flatten)]
            c: &'a TokenClaims,
            iss: &'a str,
            aud: &'a str,
        }
        let c = claims("u-mia", &[], far_future());
        let sign = |iss: &str, aud: &str| {
            jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                &WithAud { c: &c, iss, aud },
                &EncodingKey::from_secret(b"secret"),
            )
            .unwrap()
        };
        let v = Verifier::new(
            Keys::Shared(b"secret".to_vec()),
            Some("https://portal.example".into()),
            Some("km".into()),
        );
        assert!(v.verify(&sign("https://portal.example", "km")).is_ok());
        assert!(v.verify(&sign("https://evil.example", "km")).is_err());
        assert!(v.verify(&sign("https://portal.example", "other")).is_err());
    }
}

#[cfg(test)]
mod trust_tests {
    //! Tokens with unusual claims, signed for real and checked by the real
    //! verifier.

    use super::*;
    use serde_json::{Value, json};

    const SECRET: &[u8] = b"trust-test-secret";

    fn now() -> u64 {
        jsonwebtoken::get_current_timestamp()
    }

    /// Valid claims for the configured issuer and audience.
    fn good() -> Value {
        json!({
            "sub": "u-mia",
            "name": "Mia",
            "exp": now() + 3600,
            "iat": now(),
            "iss": "https://portal.example",
            "aud": "km",
        })
    }

    fn with(mut claims: Value, key: &str, value: Option<Value>) -> Value {
        let map = claims.as_object_mut().unwrap();
        match value {
            Some(v) => map.insert(key.to_owned(), v),
            None => map.remove(key),
        };
        claims
    }

    fn sign(claims: &Value) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap()
    }

    fn configured() -> Verifier {
        Verifier::new(
            Keys::Shared(SECRET.to_vec()),
            Some("https://portal.example".into()),
            Some("km".into()),
        )
    }

    /// The 401 detail of a refused token (fails the test if it passed).
    fn refused(v: &Verifier, token: &str) -> String {
        match v.verify(token) {
            Err(ApiError::Unauthorized(detail)) => detail,
            other => panic!("expected a 401, got {other:?}"),
        }
    }

    #[test]
    fn a_configured_issuer_and_audience_are_required() {
        // Regression (issue 10 item 2): with --jwt-issuer/--jwt-audience a
        // correctly signed token without `iss`/`aud` (or null, or of the
        // wrong type) was accepted, so a token the same key signed for
        // another application got in.
        let v = configured();
        assert_eq!(v.verify(&sign(&good())).unwrap().id, "u-mia");
        for (claim, value, detail) in [
            ("iss", None, "the token names no issuer"),
            ("iss", Some(Value::Null), "the token names no issuer"),
            (
                "iss",
                Some(json!(42)),
                "the token's claims are missing or of the wrong type",
            ),
            (
                "iss",
                Some(json!("https://evil.example")),
                "the token comes from another issuer",
            ),
            ("aud", None, "the token names no audience"),
            ("aud", Some(Value::Null), "the token names no audience"),
            ("aud", Some(json!(7)), "the token names no audience"),
            (
                "aud",
                Some(json!({"aud": "km"})),
                "the token names no audience",
            ),
            (
                "aud",
                Some(json!("other-app")),
                "the token is for another audience",
            ),
            (
                "aud",
                Some(json!(["other-app"])),
                "the token is for another audience",
            ),
            ("aud", Some(json!([])), "the token is for another audience"),
        ] {
            let token = sign(&with(good(), claim, value.clone()));
            assert_eq!(refused(&v, &token), detail, "{claim} = {value:?}");
        }
        // `iss` is one string (RFC 7519 4.1.1); an array, even one that
        // holds the issuer, is a wrong type.
        let token = sign(&with(
            good(),
            "iss",
            Some(json!(["https://portal.example", "https://evil.example"])),
        ));
        assert_eq!(
            refused(&v, &token),
            "the token's claims are missing or of the wrong type"
        );
        // An `aud` array that names this audience is fine (RFC 7519 4.1.3).
        let token = sign(&with(good(), "aud", Some(json!(["other-app", "km"]))));
        assert!(v.verify(&token).is_ok());
        // Without configuration neither claim is needed.
        let open = Verifier::new(Keys::Shared(SECRET.to_vec()), None, None);
        let bare = with(with(good(), "iss", None), "aud", None);
        assert!(open.verify(&sign(&bare)).is_ok());
    }

    #[test]
    fn future_nbf_and_iat_and_wrong_types_are_refused() {
        // Regression (issue 10 item 2): `nbf` in the future and `iat` far in
        // the future were accepted, and so was an `nbf` of the wrong type.
        let v = configured();
        let token = sign(&with(good(), "nbf", Some(json!(now() + 3600))));
        assert_eq!(refused(&v, &token), "the token is not valid yet");
        let token = sign(&with(good(), "iat", Some(json!(now() + 3600))));
        assert_eq!(refused(&v, &token), "the token was issued in the future");
        // A little clock skew is tolerated.
        let token = sign(&with(
            with(good(), "nbf", Some(json!(now() + 5))),
            "iat",
            Some(json!(now() + 5)),
        ));
        assert!(v.verify(&token).is_ok());
        for (claim, value) in [
            ("nbf", json!("tomorrow")),
            ("iat", json!("now")),
            ("exp", json!("never")),
            ("sub", json!(12)),
            ("name", json!(["Mia"])),
            ("roles", json!("km:admin")),
        ] {
            let token = sign(&with(good(), claim, Some(value.clone())));
            assert_eq!(
                refused(&v, &token),
                "the token's claims are missing or of the wrong type",
                "{claim} = {value}"
            );
        }
    }

    #[test]
    fn oversized_tokens_are_refused_before_parsing() {
        // Regression (issue 10 item 2): a token of any size was parsed.
        let v = configured();
        let big = with(good(), "name", Some(json!("M".repeat(MAX_TOKEN_BYTES))));
        let token = sign(&big);
        assert!(token.len() > MAX_TOKEN_BYTES);
        assert_eq!(refused(&v, &token), "the bearer token is too large");
        // Not even a JWT: still the size answer, so nothing was parsed.
        assert_eq!(
            refused(&v, &"x".repeat(MAX_TOKEN_BYTES + 1)),
            "the bearer token is too large"
        );
    }

    #[test]
    fn refusals_never_carry_library_error_text() {
        // Regression (issue 10 item 2): the 401 detail was "the bearer token
        // is not valid: {jsonwebtoken error}", exposing library internals.
        let v = configured();
        let expired = sign(&with(good(), "exp", Some(json!(1_000))));
        let other_key = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &good(),
            &EncodingKey::from_secret(b"another-secret"),
        )
        .unwrap();
        let cases = [
            (expired, "the token has expired"),
            (other_key, "the token's signature does not match"),
            (
                "not-a-jwt".to_owned(),
                "the bearer token is not a well-formed JWT",
            ),
            (
                "a.b.c".to_owned(),
                "the bearer token is not a well-formed JWT",
            ),
            (
                format!("{}.e30.sig", "eyJhbGciOiJub25lIn0"),
                "the bearer token is not a well-formed JWT",
            ),
        ];
        for (token, detail) in cases {
            let got = refused(&v, &token);
            assert_eq!(got, detail, "{token}");
        }
    }
}

#[cfg(test)]
mod claim_text_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_from_tokens_lose_control_and_bidi_characters() {
        // Regression (issue 10 item 8): a token's `name` and `department`
        // reached every list with their control and bidi-control characters.
        let v = Verifier::new(Keys::Shared(b"secret".to_vec()), None, None);
        let claims = json!({
            "sub": "u-eve",
            "name": "Eve\u{202E}nimdA\u{0}\u{1b}[2J",
            "department": "\u{2066}Sales\u{2069}",
            "email": "\u{200B}",
            "exp": jsonwebtoken::get_current_timestamp() + 600,
        });
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        let me = v.verify(&token).unwrap();
        assert_eq!(me.name, "EvenimdA[2J");
        assert_eq!(me.department.as_deref(), Some("Sales"));
        assert_eq!(me.email, None, "an invisible e-mail is no e-mail");
        // A name of nothing visible falls back to the id.
        let mut bare = claims.clone();
        bare["name"] = json!("\u{200D}\u{202E}");
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &bare,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(v.verify(&token).unwrap().name, "u-eve");
        // A sub is an identity: it is refused, not changed.
        let mut odd = claims;
        odd["sub"] = json!("u-eve\u{202E}");
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &odd,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert!(matches!(v.verify(&token), Err(ApiError::Unauthorized(_))));
    }
}
