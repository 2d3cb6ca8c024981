//! A small OpenID provider of the tests' own, over real HTTP: discovery,
//! an authorization endpoint that sends the browser straight back with a
//! code, a token endpoint that checks the client and PKCE, and a JWKS of
//! ES256 keys made here. Its ID tokens can carry one flaw at a time
//! ([`Flaw`]), so that what refuses them is km-server's validation and
//! nothing else. It can also rotate its key, and counts JWKS fetches.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};

/// The rogue provider's client.
pub(crate) const CLIENT_ID: &str = "km-rogue-test";
/// Its secret.
pub(crate) const CLIENT_SECRET: &str = "km-rogue-test-secret-0123456789";

/// What is wrong with the next ID tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flaw {
    /// Nothing: a token km-server must accept.
    None,
    /// `iss` names another issuer.
    Issuer,
    /// `aud` names another client.
    Audience,
    /// `nonce` is not the sign-in's.
    Nonce,
    /// `exp` passed ten minutes ago.
    Expired,
    /// `iat` an hour in the future.
    IssuedInFuture,
    /// Two audiences and no `azp`.
    ExtraAudience,
    /// Signed by a key the JWKS does not publish, with a kid of its own.
    UnknownKey,
    /// Signed by another key under the published key's kid.
    ForgedSignature,
    /// HS256 with the client secret as the key.
    Hs256,
    /// `"alg": "none"`, no signature.
    AlgNone,
}

#[derive(Clone)]
struct TestKey {
    kid: String,
    encoding: EncodingKey,
    jwk: Value,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh ES256 key pair named `kid`.
fn es256(kid: &str) -> TestKey {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let point = pair.public_key().as_ref();
    TestKey {
        kid: kid.to_owned(),
        encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
        jwk: json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": b64(&point[1..33]), "y": b64(&point[33..65]),
        }),
    }
}

struct Inner {
    flaw: Flaw,
    /// code -> (nonce, PKCE challenge)
    codes: HashMap<String, (String, String)>,
    published: Vec<TestKey>,
    signer: TestKey,
    generation: usize,
}

/// The running provider.
#[derive(Clone)]
pub(crate) struct Rogue {
    /// Its issuer, `http://127.0.0.1:PORT`.
    pub(crate) issuer: String,
    inner: Arc<Mutex<Inner>>,
    jwks_hits: Arc<AtomicUsize>,
}

impl Rogue {
    /// Starts the provider on a free port.
    pub(crate) async fn start() -> Rogue {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let key = es256("rogue-key-1");
        let rogue = Rogue {
            issuer: format!("http://{}", listener.local_addr().unwrap()),
            inner: Arc::new(Mutex::new(Inner {
                flaw: Flaw::None,
                codes: HashMap::new(),
                published: vec![key.clone()],
                signer: key,
                generation: 1,
            })),
            jwks_hits: Arc::new(AtomicUsize::new(0)),
        };
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/jwks", get(jwks))
            .with_state(rogue.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        rogue
    }

    /// Makes the next ID tokens carry `flaw`.
    pub(crate) fn set(&self, flaw: Flaw) {
        self.inner.lock().unwrap().flaw = flaw;
    }

    /// Publishes a new key and signs with it from now on (the old one is
    /// withdrawn, as a provider does after a rotation).
    pub(crate) fn rotate(&self) {
        let mut inner = self.inner.lock().unwrap();
        inner.generation += 1;
        let key = es256(&format!("rogue-key-{}", inner.generation));
        inner.published = vec![key.clone()];
        inner.signer = key;
    }

    /// How often the JWKS was fetched.
    pub(crate) fn jwks_hits(&self) -> usize {
        self.jwks_hits.load(Ordering::SeqCst)
    }
}

async fn discovery(State(r): State<Rogue>) -> Json<Value> {
    let i = &r.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "id_token_signing_alg_values_supported": ["ES256", "RS256", "HS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

/// Signs everyone in at once: straight back to the client with a code.
async fn authorize(State(r): State<Rogue>, Query(q): Query<HashMap<String, String>>) -> Response {
    let p = |k: &str| q.get(k).cloned().unwrap_or_default();
    if p("client_id") != CLIENT_ID || p("code_challenge_method") != "S256" {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let code = format!("code-{}", uuid::Uuid::new_v4());
    r.inner
        .lock()
        .unwrap()
        .codes
        .insert(code.clone(), (p("nonce"), p("code_challenge")));
    let mut back = reqwest::Url::parse(&p("redirect_uri")).unwrap();
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &p("state"));
    Redirect::to(back.as_str()).into_response()
}

async fn jwks(State(r): State<Rogue>) -> Json<Value> {
    r.jwks_hits.fetch_add(1, Ordering::SeqCst);
    let keys: Vec<Value> = r
        .inner
        .lock()
        .unwrap()
        .published
        .iter()
        .map(|k| k.jwk.clone())
        .collect();
    Json(json!({ "keys": keys }))
}

/// Checks the client and PKCE, then hands out an ID token with the
/// current flaw.
async fn token(
    State(r): State<Rogue>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let code = f.get("code").cloned().unwrap_or_default();
    let Some((nonce, challenge)) = r.inner.lock().unwrap().codes.remove(&code) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let verifier = f.get("code_verifier").cloned().unwrap_or_default();
    if km_server::oidc::pkce_challenge(&verifier) != challenge {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    let id_token = r.mint(&nonce);
    Json(json!({ "id_token": id_token, "token_type": "Bearer", "expires_in": 300 })).into_response()
}

impl Rogue {
    fn mint(&self, nonce: &str) -> String {
        let inner = self.inner.lock().unwrap();
        let now = jsonwebtoken::get_current_timestamp();
        let mut c = json!({
            "iss": self.issuer, "aud": CLIENT_ID, "sub": "rogue-person",
            "name": "Rita Rogue", "department": "Audit", "groups": ["km-admins"],
            "iat": now, "exp": now + 300, "nonce": nonce,
        });
        let mut key = inner.signer.clone();
        let mut kid = key.kid.clone();
        match inner.flaw {
            Flaw::None => {}
            Flaw::Issuer => c["iss"] = json!("https://evil.test"),
            Flaw::Audience => c["aud"] = json!("another-client"),
            Flaw::Nonce => c["nonce"] = json!("a-nonce-of-another-sign-in"),
            Flaw::Expired => {
                c["iat"] = json!(now - 900);
                c["exp"] = json!(now - 600);
            }
            Flaw::IssuedInFuture => c["iat"] = json!(now + 3600),
            Flaw::ExtraAudience => c["aud"] = json!([CLIENT_ID, "another-client"]),
            Flaw::UnknownKey => {
                key = es256("never-published");
                kid = key.kid.clone();
            }
            Flaw::ForgedSignature => key = es256("forger"),
            Flaw::Hs256 => {
                let mut h = Header::new(Algorithm::HS256);
                h.kid = Some(kid);
                return jsonwebtoken::encode(
                    &h,
                    &c,
                    &EncodingKey::from_secret(CLIENT_SECRET.as_bytes()),
                )
                .unwrap();
            }
            Flaw::AlgNone => {
                return format!(
                    "{}.{}.",
                    b64(br#"{"alg":"none","typ":"JWT"}"#),
                    b64(c.to_string().as_bytes())
                );
            }
        }
        let mut h = Header::new(Algorithm::ES256);
        h.kid = Some(kid);
        jsonwebtoken::encode(&h, &c, &key.encoding).unwrap()
    }
}
