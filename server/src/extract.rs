//! Request extractors that fail with problem+json: the caller's identity,
//! the community scope, JSON bodies (field paths in errors), queries and
//! the idempotency key.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use km_protocol::validate::{Validate, codes};
use km_protocol::{COMMUNITY_HEADER, DEFAULT_COMMUNITY, FieldError, IDEMPOTENCY_HEADER, Me};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

/// The verified caller, if the request carried a bearer token. An invalid
/// token is a 401 even where anonymous access would be fine: a portal with
/// a broken token should hear about it.
pub struct Caller(pub Option<Me>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Caller(None));
        };
        let value = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed Authorization header".into()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| ApiError::Unauthorized("expected `Authorization: Bearer <JWT>`".into()))?
            .trim();
        // The server's own tokens (sign-in with the OpenID provider) name
        // it as their issuer; any other token is the portal's.
        if let Some(sign_in) = &state.sign_in
            && sign_in.issued(token)
        {
            return Ok(Caller(Some(sign_in.verify(token)?)));
        }
        let verifier = state.verifier.as_ref().ok_or_else(|| {
            ApiError::Unauthorized(
                if state.sign_in.is_some() {
                    "this server accepts only the tokens of its own sign-in"
                } else {
                    "this server accepts no tokens"
                }
                .into(),
            )
        })?;
        Ok(Caller(Some(verifier.verify(token)?)))
    }
}

/// A caller who must be signed in (writes, private reads).
///
/// On a write (any method but GET, HEAD, OPTIONS and TRACE) the caller's
/// `people` row is recorded first ([`crate::people::upsert`]), so every
/// write may refer to its writer (the foreign keys of authors, actors,
/// inviters, members) whatever it is the person's first request, and lists
/// show the name and department of the latest token. This is the one place
/// that records people for writes; handlers do not.
pub struct Signed(pub Me);

impl FromRequestParts<AppState> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(me) = Caller::from_request_parts(parts, state).await?.0 else {
            return Err(ApiError::Unauthorized("sign in to do this".into()));
        };
        if !parts.method.is_safe() {
            crate::people::record(&state.store, &me).await?;
        }
        Ok(Signed(me))
    }
}

/// A signed-in moderator (`km:moderator` or `km:admin`); 403 otherwise.
/// Like [`Signed`], a write records the caller first.
pub struct Moderator(pub Me);

impl FromRequestParts<AppState> for Moderator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Signed(me) = Signed::from_request_parts(parts, state).await?;
        if !me.is_moderator() {
            return Err(ApiError::Forbidden("only moderators do this".into()));
        }
        Ok(Moderator(me))
    }
}

/// A signed-in admin (`km:admin`); 403 otherwise.
pub struct Admin(pub Me);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Signed(me) = Signed::from_request_parts(parts, state).await?;
        if !me.is_admin() {
            return Err(ApiError::Forbidden("only admins do this".into()));
        }
        Ok(Admin(me))
    }
}

/// A caller of a read: anonymous allowed when the server runs with
/// `--anonymous-reads` (or `--demo`).
pub struct Reader(pub Option<Me>);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?.0;
        if caller.is_none() && !state.anonymous_reads {
            return Err(ApiError::Unauthorized("sign in to read this".into()));
        }
        Ok(Reader(caller))
    }
}

/// The community scope (`X-Km-Community`, default `default`).
pub struct Community(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Community {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get(COMMUNITY_HEADER) else {
            return Ok(Community(DEFAULT_COMMUNITY.to_owned()));
        };
        let v = v.to_str().unwrap_or_default().trim();
        let ok = !v.is_empty()
            && v.len() <= 64
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            return Err(ApiError::BadRequest(format!(
                "{COMMUNITY_HEADER} must be 1-64 characters of a-z, 0-9, '-' and '_'"
            )));
        }
        Ok(Community(v.to_owned()))
    }
}

/// The `Idempotency-Key` of a write, if any (1-128 visible ASCII characters).
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get(IDEMPOTENCY_HEADER) else {
            return Ok(IdempotencyKey(None));
        };
        let v = v.to_str().unwrap_or_default();
        if v.is_empty() || v.len() > 128 || !v.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::BadRequest(format!(
                "{IDEMPOTENCY_HEADER} must be 1-128 visible ASCII characters"
            )));
        }
        Ok(IdempotencyKey(Some(v.to_owned())))
    }
}

/// A JSON body. Malformed JSON is a 400; a body of the wrong shape is a
/// 422 naming the field (`metrics[0].baseline`); too large is a 413.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadRequest(e.body_text())
            }
        })?;
        parse_json(&bytes).map(Json)
    }
}

/// A JSON body (as [`Json`]) that also passed its [`Validate`] rules: a
/// 422 naming every field that did not.
pub struct Valid<T>(pub T);

impl<T: DeserializeOwned + Validate, S: Send + Sync> FromRequest<S> for Valid<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(body) = Json::<T>::from_request(req, state).await?;
        body.validate().map_err(ApiError::Validation)?;
        Ok(Valid(body))
    }
}

/// Parses a JSON body with the error mapping of [`Json`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    integral_floats_to_ints(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        {
            let field = if path == "." {
                // serde reports a missing field at the parent: name it.
                missing_field(&inner.to_string()).unwrap_or_else(|| "body".to_owned())
            } else {
                path
            };
            ApiError::Validation(vec![FieldError::new(
                field,
                codes::INVALID_FORMAT,
                inner.to_string(),
            )])
        }
    })
}

/// JSON has one number type: `3.0` is the integer 3 (JSON Schema says so
/// too), so an integer field takes it. Only whole numbers within `i64`
/// change; `3.5` (or a whole number too large for a float to hold
/// exactly) still fails an integer field, naming it.
fn integral_floats_to_ints(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) => {
            // Only where a float holds the integer exactly (|f| <= 2^53):
            // beyond that `-9223372036854775809` would round into range.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() <= EXACT
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_to_ints),
        Value::Object(map) => map.values_mut().for_each(integral_floats_to_ints),
        _ => {}
    }
}

fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// A query string, with a 400 problem when it does not parse.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        metrics: Vec<M>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct M {
        baseline: f64,
    }

    #[test]
    fn json_errors_name_the_field() {
        let e = parse_json::<Body>(br#"{"title":"x","metrics":[{"baseline":"a lot"}]}"#);
        match e {
            Err(ApiError::Validation(errs)) => assert_eq!(errs[0].field, "metrics[0].baseline"),
            other => panic!("unexpected {other:?}"),
        }
        match parse_json::<Body>(br#"{"metrics":[]}"#) {
            Err(ApiError::Validation(errs)) => assert_eq!(errs[0].field, "title"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            parse_json::<Body>(b"{not json"),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn whole_floats_are_integers() {
        // Regression (issue 10 item 16): schemathesis sent `"position": -154.0`,
        // an integer by JSON Schema, and got a 422.
        #[derive(Debug, serde::Deserialize)]
        struct P {
            position: i64,
            ratio: f64,
        }
        let p = parse_json::<P>(br#"{"position":-154.0,"ratio":2.0}"#).unwrap();
        assert_eq!((p.position, p.ratio), (-154, 2.0));
        for bad in [
            &br#"{"position":1.5,"ratio":1}"#[..],
            br#"{"position":-9223372036854775809,"ratio":1}"#,
        ] {
            match parse_json::<P>(bad) {
                Err(ApiError::Validation(errs)) => assert_eq!(errs[0].field, "position"),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}
