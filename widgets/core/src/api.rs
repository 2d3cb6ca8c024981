//! The API client every widget uses: JSON over `fetch` (gloo-net), the base
//! URL and community from the widget's config, the bearer token from the
//! page's `KmWidgets.config`, a timeout, and retries.
//!
//! - GETs, and writes that carry an `Idempotency-Key`, are retried with
//!   exponential backoff after network errors, timeouts and 502/503/504.
//! - A 401 asks `getToken({forceRefresh:true})` once and retries (or, when
//!   signed in through the backend, trades the session's refresh token).
//! - Errors are typed ([`ApiError`]); problem+json bodies become
//!   [`ApiError::Problem`].
//!
//! [`Api::current`] reads the config signals and the identity epoch
//! *tracked*: call it in a resource's fetcher and the resource refetches
//! when `api`, `community` or the identity changes.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use km_protocol::Problem;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use crate::config::{Lang, identity_epoch};
use crate::i18n::{CoreKey, t};
use crate::mount::use_widget;
use crate::{auth, config::WidgetConfig, session};

/// How long one attempt may take before it is aborted.
pub const TIMEOUT_MS: u32 = 15_000;
/// Retries after the first attempt (for retryable requests).
pub const MAX_RETRIES: u32 = 2;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, CORS); the browser's message.
    Network(String),
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
    /// The server answered with an error status (problem+json, or one made
    /// from the status when the body was not one).
    Problem(Problem),
    /// The server answered 2xx with a body that is not the expected JSON.
    Decode(String),
}

impl ApiError {
    /// The HTTP status (0 when there was no answer).
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Problem(p) => p.status,
            _ => 0,
        }
    }

    /// Whether the failure was the network's (worth keeping in the outbox
    /// and retrying later): no answer, a timeout or a 502/503/504.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Timeout => true,
            ApiError::Problem(p) => is_transient_status(p.status),
            ApiError::Decode(_) => false,
        }
    }

    /// The problem, when the server sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Problem(p) => Some(p),
            _ => None,
        }
    }

    /// Seconds until a write refused for speed will be accepted: a 429
    /// whose problem carries `retry_after` (or came with `Retry-After`).
    /// `None` for other errors, and for limits that do not pass by waiting
    /// a known time.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ApiError::Problem(p) if p.status == 429 => p.retry_after,
            _ => None,
        }
    }

    /// What people read: [`ApiError::title`], except for a write refused
    /// for speed, which says calmly when to try again
    /// ([`crate::i18n::posting_quickly`]).
    pub fn message(&self, lang: Lang) -> String {
        match self.retry_after_secs() {
            Some(secs) => crate::i18n::posting_quickly(lang, secs),
            None => self.title(lang).to_owned(),
        }
    }

    /// A localized one-line summary for people.
    pub fn title(&self, lang: Lang) -> &'static str {
        let key = match self {
            ApiError::Network(_) => CoreKey::ErrorNetwork,
            ApiError::Timeout => CoreKey::ErrorTimeout,
            ApiError::Decode(_) => CoreKey::ErrorDecode,
            ApiError::Problem(p) => match p.status {
                401 => CoreKey::ErrorUnauthorized,
                403 => CoreKey::ErrorForbidden,
                404 => CoreKey::ErrorNotFound,
                409 => CoreKey::ErrorConflict,
                400 | 422 => CoreKey::ErrorValidation,
                429 => CoreKey::ErrorLimit,
                _ => CoreKey::ErrorServer,
            },
        };
        t(lang, key)
    }

    /// The server's detail text (in the server's language), if any.
    pub fn detail(&self) -> Option<String> {
        match self {
            ApiError::Problem(p) => p.detail.clone(),
            _ => None,
        }
    }
}

/// Whether a status means "try again later": 502, 503, 504.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 502..=504)
}

/// Backoff before retry number `attempt` (0-based): 500 ms doubling, at most 8 s.
pub fn backoff_ms(attempt: u32) -> u32 {
    500u32.saturating_mul(1u32 << attempt.min(4)).min(8_000)
}

/// What to do after an attempt (plain decision logic, tested natively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Give the result to the caller.
    Done,
    /// Ask for a fresh token and try again at once.
    RefreshToken,
    /// Wait [`backoff_ms`] and try again.
    Backoff,
}

/// Decides the next step. `status` is `None` when there was no answer.
pub fn next_step(
    status: Option<u16>,
    retryable: bool,
    attempt: u32,
    refreshed: bool,
    can_refresh: bool,
) -> Next {
    match status {
        Some(401) if !refreshed && can_refresh => Next::RefreshToken,
        Some(s) if is_transient_status(s) && retryable && attempt < MAX_RETRIES => Next::Backoff,
        None if retryable && attempt < MAX_RETRIES => Next::Backoff,
        _ => Next::Done,
    }
}

/// An HTTP method the widgets use (serializable for the outbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    fn gloo(self) -> Method {
        match self {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Put => Method::PUT,
            HttpMethod::Delete => Method::DELETE,
        }
    }
}

/// `{}`: the body of a POST that carries no fields (serialized without
/// `serde_json::json!`, which would bring `serde_json::Value` into the wasm).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NoFields {}

/// A snapshot of where and as whom to send requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// Base URL ending in `/api/v1`.
    pub base: String,
    /// Community, sent as `X-Km-Community`.
    pub community: String,
}

impl Api {
    /// The current widget's API, read *tracked* from its config and the
    /// identity epoch (see the module docs).
    pub fn current() -> Api {
        Self::from_config(&use_widget().config)
    }

    /// The API of `config`, read tracked.
    pub fn from_config(config: &WidgetConfig) -> Api {
        let _ = identity_epoch();
        Api {
            base: config.api.get(),
            community: config.community.get(),
        }
    }

    /// The API of `config`, read untracked; `None` after the widget unmounted
    /// (for async code that outlives a click handler).
    pub fn from_config_untracked(config: &WidgetConfig) -> Option<Api> {
        Some(Api {
            base: config.api.try_get_untracked()?,
            community: config.community.try_get_untracked()?,
        })
    }

    /// The full URL of `path` (which starts with `/`, query included).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET `path` and decode the JSON answer.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let text = self.request(HttpMethod::Get, path, None, None).await?;
        decode(&text)
    }

    /// Sends `body` as JSON with `method` and decodes the answer. With an
    /// `idempotency_key` the write is retried like a GET.
    pub async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: HttpMethod,
        path: &str,
        body: &B,
        idempotency_key: Option<&str>,
    ) -> Result<T, ApiError> {
        let json = to_json(body).map_err(ApiError::Decode)?;
        let text = self
            .request(method, path, Some(json), idempotency_key)
            .await?;
        decode(&text)
    }

    /// Sends a request with retries; returns the 2xx body text.
    ///
    /// Boxed, and never inlined: as an `async fn` awaited by the generic
    /// [`Api::get`] and [`Api::send`], its 4 KB state machine was compiled
    /// again in every widget crate (five copies in the wasm, twiggy).
    #[inline(never)]
    pub fn request<'a>(
        &'a self,
        method: HttpMethod,
        path: &'a str,
        body: Option<String>,
        idempotency_key: Option<&'a str>,
    ) -> Pin<Box<dyn Future<Output = Result<String, ApiError>> + 'a>> {
        Box::pin(self.request_with_retries(method, path, body, idempotency_key))
    }

    async fn request_with_retries(
        &self,
        method: HttpMethod,
        path: &str,
        body: Option<String>,
        idempotency_key: Option<&str>,
    ) -> Result<String, ApiError> {
        let retryable = method == HttpMethod::Get || idempotency_key.is_some();
        let portal = auth::has_portal_token();
        let can_refresh = if portal {
            auth::has_token_source()
        } else {
            session::load(&self.base).is_some()
        };
        let mut token = self.token(portal, None).await;
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            let result = self
                .attempt(
                    method,
                    path,
                    body.as_deref(),
                    idempotency_key,
                    token.as_deref(),
                )
                .await;
            let status = match &result {
                Ok((status, _, _)) => Some(*status),
                Err(_) => None,
            };
            match next_step(status, retryable, attempt, refreshed, can_refresh) {
                Next::RefreshToken => {
                    refreshed = true;
                    token = self
                        .token(portal, Some(token.take().unwrap_or_default()))
                        .await;
                    continue;
                }
                Next::Backoff => {
                    gloo_timers::future::TimeoutFuture::new(backoff_ms(attempt)).await;
                    attempt += 1;
                    continue;
                }
                Next::Done => {}
            }
            return match result {
                Err(e) => Err(e),
                Ok((status, text, _)) if (200..300).contains(&status) => Ok(text),
                Ok((status, text, retry_after)) => Err(ApiError::Problem(with_retry_after(
                    problem_from(status, &text),
                    retry_after.as_deref(),
                ))),
            };
        }
    }

    /// The bearer token: the page's own (`portal`), else the session of
    /// the backend's sign-in, if any. `refused`: the server just refused
    /// the last one, so get a fresh one.
    async fn token(&self, portal: bool, refused: Option<String>) -> Option<String> {
        if portal {
            auth::bearer_token(refused.is_some()).await
        } else {
            session::access_token(self, refused).await
        }
    }

    /// One attempt: `(status, body, Retry-After)` or a network error / timeout.
    pub(crate) async fn attempt(
        &self,
        method: HttpMethod,
        path: &str,
        body: Option<&str>,
        idempotency_key: Option<&str>,
        token: Option<&str>,
    ) -> Result<(u16, String, Option<String>), ApiError> {
        let controller =
            web_sys::AbortController::new().map_err(|e| ApiError::Network(js_message(&e)))?;
        let timed_out = Rc::new(Cell::new(false));
        let _timer = {
            let flag = timed_out.clone();
            let c = controller.clone();
            gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || {
                flag.set(true);
                c.abort();
            })
        };
        let mut b = RequestBuilder::new(&self.url(path))
            .method(method.gloo())
            .header("Accept", "application/json, application/problem+json")
            .header(km_protocol::COMMUNITY_HEADER, &self.community);
        for (k, v) in auth::extra_headers() {
            b = b.header(&k, &v);
        }
        if let Some(t) = token {
            b = b.header("Authorization", &format!("Bearer {t}"));
        }
        if let Some(k) = idempotency_key {
            b = b.header(km_protocol::IDEMPOTENCY_HEADER, k);
        }
        let signal = controller.signal();
        b = b.abort_signal(Some(&signal));
        let req = match body {
            Some(json) => b
                .header("Content-Type", "application/json")
                .body(json.to_owned()),
            None => b.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;
        let fail = |e: gloo_net::Error| {
            if timed_out.get() {
                ApiError::Timeout
            } else {
                ApiError::Network(e.to_string())
            }
        };
        let resp = req.send().await.map_err(fail)?;
        let status = resp.status();
        // Cross-origin, only when the server exposes it (km-server does);
        // its problem body carries the same value as `retry_after`.
        let retry_after = resp.headers().get("retry-after");
        let text = resp.text().await.map_err(fail)?;
        Ok((status, text, retry_after))
    }
}

/// Decodes a 2xx body; an empty body decodes as JSON `null` (for `()`).
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    from_json(text).map_err(ApiError::Decode)
}

/// Reads JSON text into `T`. In the browser the browser parses it
/// (`JSON.parse`) and serde-wasm-bindgen decodes the result, so serde_json's
/// parser is not in the wasm (docs/PERFORMANCE.md, "Fewer bytes");
/// natively (unit tests) serde_json. Answers, drafts and the outbox's queue
/// are all read here.
#[cfg(target_arch = "wasm32")]
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| js_message(&e))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Writes `value` as JSON text, the other way round: serde-wasm-bindgen
/// makes the JS value and `JSON.stringify` the text in the browser (so
/// serde_json is not in the wasm at all), serde_json natively. Request
/// bodies, drafts and the outbox's queue are written here.
#[cfg(target_arch = "wasm32")]
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    let text = js_sys::JSON::stringify(&value).map_err(|e| js_message(&e))?;
    wasm_bindgen::JsValue::from(text)
        .as_string()
        .ok_or_else(|| "not JSON".to_owned())
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// The problem of an error answer: its problem+json body, else one made
/// from the status.
pub fn problem_from(status: u16, body: &str) -> Problem {
    match from_json::<Problem>(body) {
        Ok(mut p) => {
            if p.status == 0 {
                p.status = status;
            }
            p
        }
        Err(_) => Problem::new(status, format!("HTTP {status}")),
    }
}

/// Fills the problem's `retry_after` from a `Retry-After` header (seconds;
/// the HTTP-date form is ignored) when the body did not carry it.
pub fn with_retry_after(mut problem: Problem, header: Option<&str>) -> Problem {
    if problem.retry_after.is_none() {
        problem.retry_after = header.and_then(|h| h.trim().parse::<u64>().ok());
    }
    problem
}

fn js_message(v: &wasm_bindgen::JsValue) -> String {
    v.as_string()
        .or_else(|| {
            js_sys::Reflect::get(v, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Builds `path?k=v&…` from the pairs whose value is present.
pub fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode_query(v))))
        .collect();
    if q.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(0), 500);
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(3), 4000);
        assert_eq!(backoff_ms(10), 8000);
    }

    #[test]
    fn only_retryable_requests_back_off_and_only_a_few_times() {
        assert_eq!(next_step(Some(503), true, 0, false, true), Next::Backoff);
        assert_eq!(next_step(None, true, 1, false, true), Next::Backoff);
        assert_eq!(next_step(None, true, MAX_RETRIES, false, true), Next::Done);
        // A POST without an idempotency key is never sent twice.
        assert_eq!(next_step(None, false, 0, false, true), Next::Done);
        assert_eq!(next_step(Some(502), false, 0, false, true), Next::Done);
        assert_eq!(next_step(Some(500), true, 0, false, true), Next::Done);
        assert_eq!(next_step(Some(200), true, 0, false, true), Next::Done);
    }

    #[test]
    fn a_401_refreshes_the_token_once_when_the_page_can() {
        assert_eq!(
            next_step(Some(401), false, 0, false, true),
            Next::RefreshToken
        );
        assert_eq!(next_step(Some(401), false, 0, true, true), Next::Done);
        assert_eq!(next_step(Some(401), true, 0, false, false), Next::Done);
    }

    #[test]
    fn error_bodies_become_problems() {
        let p = problem_from(
            404,
            r#"{"title":"Not Found","status":404,"detail":"no such question"}"#,
        );
        assert_eq!(p.detail.as_deref(), Some("no such question"));
        let p = problem_from(502, "<html>Bad gateway</html>");
        assert_eq!(p.status, 502);
        assert!(ApiError::Problem(p).is_transient());
        assert!(!ApiError::Problem(problem_from(422, "{}")).is_transient());
    }

    #[test]
    fn a_429_says_calmly_when_to_try_again() {
        // Regression (issue 10 item 7): a write refused for speed said only
        // "Too many requests"; now it says when, from the body or the header.
        let body = r#"{"type":"https://km-widgets.dev/problems/rate-limited","title":"Too many writes","status":429,"retry_after":150}"#;
        let e = ApiError::Problem(with_retry_after(problem_from(429, body), None));
        assert_eq!(e.retry_after_secs(), Some(150));
        assert_eq!(
            e.message(Lang::En),
            "You're posting quickly; try again in 3 minutes."
        );
        let e = ApiError::Problem(with_retry_after(
            problem_from(429, "Slow down"),
            Some(" 30"),
        ));
        assert_eq!(e.retry_after_secs(), Some(30));
        assert_eq!(
            e.message(Lang::Nl),
            "Je plaatst snel achter elkaar; probeer het over een minuut opnieuw."
        );
        // A daily limit without Retry-After, an HTTP date, or another status
        // keeps its own title.
        let daily = ApiError::Problem(with_retry_after(
            problem_from(429, "{}"),
            Some("Wed, 21 Oct 2026 07:28:00 GMT"),
        ));
        assert_eq!(daily.retry_after_secs(), None);
        assert_eq!(daily.message(Lang::En), daily.title(Lang::En));
        let busy = ApiError::Problem(with_retry_after(problem_from(503, ""), Some("5")));
        assert_eq!(busy.retry_after_secs(), None);
    }

    #[test]
    fn empty_bodies_decode_as_unit_and_bad_json_is_a_decode_error() {
        assert_eq!(decode::<()>(""), Ok(()));
        assert!(matches!(decode::<Vec<u8>>("{"), Err(ApiError::Decode(_))));
    }

    #[test]
    fn queries_skip_absent_values_and_encode_the_rest() {
        assert_eq!(
            with_query(
                "/questions",
                &[
                    ("sort", Some("newest".into())),
                    ("tag", None),
                    ("q", Some("a b&c".into()))
                ]
            ),
            "/questions?sort=newest&q=a%20b%26c"
        );
        assert_eq!(with_query("/tags", &[]), "/tags");
    }
}
