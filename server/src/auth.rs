//! Identity: the portal signs a JWT (HS256 with a shared secret, or RS256
//! with a public key or a JWKS file); the server verifies it and turns its
//! claims into a [`Me`].

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use km_protocol::{Me, Role, TokenClaims};

use crate::error::ApiError;

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
        v.leeway = 30;
        v.set_required_spec_claims(&["exp", "sub"]);
        match &self.audience {
            Some(aud) => v.set_audience(&[aud]),
            None => v.validate_aud = false,
        }
        if let Some(iss) = &self.issuer {
            v.set_issuer(&[iss]);
        }
        v
    }

    /// Verifies `token` and returns who it names.
    pub fn verify(&self, token: &str) -> Result<Me, ApiError> {
        let invalid = |e: jsonwebtoken::errors::Error| {
            ApiError::Unauthorized(format!("the bearer token is not valid: {e}"))
        };
        let data = match &self.keys {
            Keys::Shared(secret) => jsonwebtoken::decode::<TokenClaims>(
                token,
                &DecodingKey::from_secret(secret),
                &self.validation(Algorithm::HS256),
            ),
            Keys::Public(key) => {
                jsonwebtoken::decode::<TokenClaims>(token, key, &self.validation(Algorithm::RS256))
            }
            Keys::Jwks(set) => {
                let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
                let jwk = match header.kid.as_deref() {
                    Some(kid) => set.find(kid),
                    None => set.keys.first(),
                }
                .ok_or_else(|| {
                    ApiError::Unauthorized("no key in the JWKS matches the token".into())
                })?;
                let key = DecodingKey::from_jwk(jwk).map_err(invalid)?;
                jsonwebtoken::decode::<TokenClaims>(token, &key, &self.validation(Algorithm::RS256))
            }
        }
        .map_err(invalid)?;
        me_from_claims(data.claims)
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
pub fn me_from_claims(c: TokenClaims) -> Result<Me, ApiError> {
    let sub = c.sub.trim();
    if sub.is_empty() || sub.chars().count() > 200 {
        return Err(ApiError::Unauthorized(
            "the token's sub is empty or too long".into(),
        ));
    }
    let name = c.name.trim();
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
        email: c.email.filter(|e| !e.trim().is_empty()),
        department: c.department.filter(|d| !d.trim().is_empty()),
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
