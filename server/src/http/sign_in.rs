//! Sign-in with the organization's OpenID provider ([`crate::sign_in`]):
//! the API (`GET /auth`, `POST /auth/refresh`, `POST /auth/sign-out`
//! under `/api/v1`) and the two pages of the sign-in popup
//! (`GET /auth/sign-in`, `GET /auth/callback` at the root), which are
//! pages for people, not API calls: they answer HTML (errors included),
//! never problem+json, and are not in the OpenAPI document.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use km_protocol::sign_in::{
    AuthInfo, RefreshRequest, SIGN_IN_MESSAGE_TYPE, SessionTokens, SignInMessage,
};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, ApiResult, PersonPage};
use crate::extract::{Query, Valid};
use crate::sign_in::{ATTEMPT_COOKIE, Callback, Failure, SignIn};

/// The `/api/v1` routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth", get(info))
        .route("/auth/refresh", post(refresh))
        .route("/auth/sign-out", post(sign_out))
}

/// The popup's pages, at the root.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/auth/sign-in", get(start))
        .route("/auth/callback", get(callback))
}

/// How people sign in here: whether the server offers sign-in with the
/// organization's OpenID provider, the organization's name and where the
/// sign-in popup starts.
#[utoipa::path(get, path = "/api/v1/auth", tag = "identity",
    responses((status = 200, body = AuthInfo)))]
pub async fn info(State(st): State<AppState>) -> Json<AuthInfo> {
    Json(match &st.sign_in {
        Some(s) => s.info(),
        None => AuthInfo {
            oidc: false,
            organization: None,
            sign_in_url: None,
        },
    })
}

fn offered(st: &AppState) -> ApiResult<&SignIn> {
    st.sign_in.as_deref().ok_or(ApiError::NotFound)
}

/// Trades the session's latest refresh token for new tokens. Each refresh
/// token works once: one presented again ends the session (401), and so do
/// sign-out and the session's end. Pages with several widgets or tabs
/// should refresh one at a time (`navigator.locks`).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "identity",
    request_body = RefreshRequest,
    responses((status = 200, body = SessionTokens),
              (status = 404, description = "the server does not offer sign-in")))]
pub async fn refresh(
    State(st): State<AppState>,
    Valid(req): Valid<RefreshRequest>,
) -> ApiResult<Response> {
    let tokens = offered(&st)?.refresh(&st.store, &req.refresh_token).await?;
    Ok(no_store(Json(tokens).into_response()))
}

/// Ends the session of a refresh token (204 also when there is none; its
/// access tokens run out within minutes).
#[utoipa::path(post, path = "/api/v1/auth/sign-out", tag = "identity",
    request_body = RefreshRequest,
    responses((status = 204, description = "signed out"),
              (status = 404, description = "the server does not offer sign-in")))]
pub async fn sign_out(
    State(st): State<AppState>,
    Valid(req): Valid<RefreshRequest>,
) -> ApiResult<StatusCode> {
    offered(&st)?
        .sign_out(&st.store, &req.refresh_token)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The query of `/auth/sign-in`.
#[derive(Debug, serde::Deserialize)]
pub struct Start {
    /// The opener page's origin (`location.origin`).
    pub origin: Option<String>,
}

/// The popup's first page: sends the person to the provider.
pub async fn start(State(st): State<AppState>, Query(q): Query<Start>) -> ApiResult<Response> {
    let sign_in = offered(&st)?;
    Ok(match sign_in.begin(q.origin.as_deref()).await {
        Ok(begun) => {
            let mut res = StatusCode::SEE_OTHER.into_response();
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&begun.location) {
                h.insert(header::LOCATION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&begun.cookie) {
                h.insert(header::SET_COOKIE, v);
            }
            no_store(res)
        }
        Err(f) => failure_page(f, None),
    })
}

/// The popup's last page: finishes the sign-in and hands the tokens (or
/// the reason it failed) to the opener.
pub async fn callback(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> ApiResult<Response> {
    let sign_in = offered(&st)?;
    let cookie = attempt_cookie(&headers);
    // The attempt is over either way: its cookie goes.
    let clear = sign_in.cookie("", 0);
    Ok(
        match sign_in.finish(&st.store, &q, cookie.as_deref()).await {
            Ok((tokens, origin)) => page(
                StatusCode::OK,
                "Signed in",
                "You are signed in. This window closes by itself.",
                Some(&origin),
                &SignInMessage {
                    kind: SIGN_IN_MESSAGE_TYPE.into(),
                    tokens: Some(tokens),
                    error: None,
                    message: None,
                },
                Some(&clear),
            ),
            Err(f) => failure_page(f, Some(&clear)),
        },
    )
}

/// The value of the attempt cookie among the request's cookies.
fn attempt_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == ATTEMPT_COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn failure_page(f: Failure, set_cookie: Option<&str>) -> Response {
    let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::BAD_REQUEST);
    page(
        status,
        "Sign-in did not work",
        &f.message,
        f.origin.as_deref(),
        &SignInMessage {
            kind: SIGN_IN_MESSAGE_TYPE.into(),
            tokens: None,
            error: Some(f.code.into()),
            message: Some(f.message.clone()),
        },
        set_cookie,
    )
}

/// Posts the data block's message to the opener, at exactly the origin
/// the data names (none: nothing is posted), then closes the window after
/// a success. The data is a JSON block, never executed.
const SCRIPT: &str = "(function () {\n\
  var el = document.getElementById('km-sign-in');\n\
  var data = JSON.parse(el.textContent);\n\
  el.textContent = '';\n\
  if (data.origin && window.opener) { window.opener.postMessage(data.message, data.origin); }\n\
  if (data.message.access_token) { window.close(); }\n\
}());";

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;\
place-items:center;min-height:100vh;background:#f6f7f9;color:#1d2330}\
main{max-width:28rem;padding:2rem}h1{font-size:1.25rem;margin:0 0 .5rem}";

/// The page's Content-Security-Policy: only its own script and style (by
/// hash), nothing else, and no framing.
fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        let hash = |s: &str| {
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        };
        format!(
            "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            hash(SCRIPT),
            hash(STYLE)
        )
    })
}

/// Text for HTML content and quoted attribute values.
pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` are
/// escaped, so no value can close the element.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn page(
    status: StatusCode,
    title: &str,
    message: &str,
    origin: Option<&str>,
    msg: &SignInMessage,
    set_cookie: Option<&str>,
) -> Response {
    let data = serde_json::json!({ "origin": origin, "message": msg });
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head>\n<body><main><h1>{t}</h1><p>{m}</p></main>\n\
         <script type=\"application/json\" id=\"km-sign-in\">{d}</script>\n<script>{SCRIPT}</script>\n\
         </body></html>\n",
        t = html_escape(title),
        m = html_escape(message),
        d = script_json(&data),
    );
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(csp()) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    if let Some(c) = set_cookie.and_then(|c| HeaderValue::from_str(c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    // An error page for a person stays HTML ([`crate::error::problems_only`]).
    res.extensions_mut().insert(PersonPage);
    no_store(res)
}

/// Nothing with tokens or codes is stored by caches or leaks as a referrer.
fn no_store(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_its_script_element() {
        let v = serde_json::json!({"m": "</script><script>alert(1)</script>&"});
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; km_sign_in=abc.def; b=2"),
        );
        assert_eq!(attempt_cookie(&h).as_deref(), Some("abc.def"));
        h.insert(header::COOKIE, HeaderValue::from_static("km_sign_in_x=1"));
        assert_eq!(attempt_cookie(&h), None);
    }
}
