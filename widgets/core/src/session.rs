//! Signing in through the backend (docs/SIGN-IN.md, "The flow for widget
//! developers"), for pages with no portal developer: when the page
//! configured no token of its own and the backend offers sign-in
//! (`GET /auth`), a signed-out person gets a "Sign in" button
//! ([`crate::ui::SignInNote`]). It opens the backend's sign-in page in a
//! popup (providers refuse to be framed); the popup posts the session's
//! tokens to this page's exact origin, and they are kept in this origin's
//! `localStorage`, one session per API base. The identity epoch then moves,
//! so every widget of the page refetches as the person at once, without a
//! reload and with every draft where it was; other tabs follow through the
//! `storage` event.
//!
//! Tokens, not cookies: this works with third-party cookies blocked and in
//! a cross-site iframe. A token the page configures (`token`, `getToken`)
//! always takes precedence; a page that has one never shows the button.
//!
//! The access token is short-lived: it is traded for the next one before it
//! runs out, or after a 401, with the session's refresh token, which works
//! once. Two widgets or two tabs refreshing together would present it twice
//! and end the session, so refreshing takes the Web Locks API's lock of the
//! API base (one holder across the origin's tabs) and looks again at the
//! stored session once it holds it: whoever waited finds the new tokens.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use km_protocol::sign_in::{AuthInfo, SIGN_IN_MESSAGE_TYPE, SessionTokens};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::{Api, ApiError, HttpMethod, from_json};
use crate::config::bump_identity_epoch;
use crate::storage;

/// `localStorage` key prefix of a session (the API base follows).
const KEY_PREFIX: &str = "km-session:";
/// An access token this close to its end is refreshed before use.
const REFRESH_EARLY_MS: u64 = 60_000;

/// A session as kept in `localStorage`: times in ms since the epoch, as
/// integers. Stored as five lines of text ([`Session::to_text`]), not JSON:
/// serde code for one more type costs more wasm than these few lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    access_token: String,
    access_until: u64,
    refresh_token: String,
    session_until: u64,
}

/// The first line of a stored session (a format that changes gets a new one).
const TEXT_VERSION: &str = "km-session-1";

impl Session {
    /// The session of tokens received at `now_ms`.
    pub fn from_tokens(t: SessionTokens, now_ms: u64) -> Self {
        Session {
            access_until: now_ms.saturating_add(t.expires_in.saturating_mul(1000)),
            session_until: now_ms.saturating_add(t.session_expires_in.saturating_mul(1000)),
            access_token: t.access_token,
            refresh_token: t.refresh_token,
        }
    }

    /// The access token, if it is good for another minute at `now_ms` and
    /// is not the one the server just refused.
    pub fn usable_access(&self, now_ms: u64, refused: Option<&str>) -> Option<&str> {
        (now_ms + REFRESH_EARLY_MS < self.access_until && refused != Some(&self.access_token))
            .then_some(self.access_token.as_str())
    }

    /// Whether the session is over at `now_ms` (sign in again).
    pub fn ended(&self, now_ms: u64) -> bool {
        now_ms >= self.session_until
    }

    /// The stored form: a version line, then the access token, its end,
    /// the refresh token and the session's end, one per line.
    pub fn to_text(&self) -> String {
        format!(
            "{TEXT_VERSION}\n{}\n{}\n{}\n{}",
            self.access_token, self.access_until, self.refresh_token, self.session_until
        )
    }

    /// Reads [`Session::to_text`]'s form; anything else is no session.
    pub fn from_text(text: &str) -> Option<Session> {
        let mut lines = text.split('\n');
        if lines.next()? != TEXT_VERSION {
            return None;
        }
        let s = Session {
            access_token: lines.next()?.to_owned(),
            access_until: lines.next()?.parse().ok()?,
            refresh_token: lines.next()?.to_owned(),
            session_until: lines.next()?.parse().ok()?,
        };
        (lines.next().is_none() && !s.access_token.is_empty() && !s.refresh_token.is_empty())
            .then_some(s)
    }

    /// The JSON body of refresh and sign-out: `{"refresh_token": "…"}`.
    /// Written by hand (the token is base64url and dots, checked here).
    fn refresh_body(&self) -> Option<String> {
        let t = &self.refresh_token;
        let safe = t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
        (safe && !t.is_empty()).then(|| format!("{{\"refresh_token\":\"{t}\"}}"))
    }

    /// The person's name from the access token's `name` claim (for
    /// "Signed in as …"; the server checks the token, this only reads it).
    pub fn name(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct Claims {
            name: Option<String>,
        }
        let payload = self.access_token.split('.').nth(1)?;
        let json = base64url_decode(payload)?;
        from_json::<Claims>(std::str::from_utf8(&json).ok()?)
            .ok()?
            .name
            .filter(|n| !n.trim().is_empty())
    }
}

/// Decodes unpadded (or padded) base64url; `None` on any other character.
fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    let s = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&bytes[1..4]),
            3 => out.extend_from_slice(&bytes[1..3]),
            2 => out.push(bytes[1]),
            _ => return None,
        }
    }
    Some(out)
}

/// The origin (`scheme://host[:port]`) of an absolute URL.
pub fn origin_of(url: &str) -> Option<&str> {
    let rest = url.find("://")? + 3;
    let end = url[rest..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| rest + i);
    (end > rest).then(|| &url[..end])
}

/// Now, in whole ms since the epoch.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn key(base: &str) -> String {
    format!("{KEY_PREFIX}{base}")
}

/// The stored session of the API at `base`, if any.
pub fn load(base: &str) -> Option<Session> {
    let key = key(base);
    let text = storage::get(&key).or_else(|| MEMORY.with(|m| m.borrow().get(&key).cloned()))?;
    Session::from_text(&text)
}

/// Keeps `session` in `localStorage` or, where the page may not use it (a
/// third-party frame in a browser that blocks its storage, private modes),
/// in memory: signed in until the page is left.
fn store(base: &str, session: &Session) {
    let json = session.to_text();
    let key = key(base);
    let kept = storage::set(&key, &json);
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if kept {
            m.remove(&key);
        } else {
            m.insert(key, json);
        }
    });
}

/// Forgets the session of `base` and tells every widget (a new identity).
fn forget(base: &str) {
    let key = key(base);
    storage::remove(&key);
    MEMORY.with(|m| m.borrow_mut().remove(&key));
    bump_identity_epoch();
}

/// Keeps the tokens the sign-in popup sent and signs every widget in.
pub fn start(base: &str, tokens: SessionTokens) -> Session {
    let s = Session::from_tokens(tokens, now_ms());
    store(base, &s);
    bump_identity_epoch();
    s
}

/// The access token for a request to `api`: the stored one while it is
/// good, else (or when the server just `refused` it) the next one, traded
/// for the refresh token under the lock. `None`: not signed in here (any
/// more).
pub async fn access_token(api: &Api, refused: Option<String>) -> Option<String> {
    let s = load(&api.base)?;
    let now = now_ms();
    if s.ended(now) {
        forget(&api.base);
        return None;
    }
    if let Some(t) = s.usable_access(now, refused.as_deref()) {
        return Some(t.to_owned());
    }
    let lock = format!("km-refresh:{}", api.base);
    let api = api.clone();
    with_lock(
        &lock,
        async move { refresh(&api, refused.as_deref()).await },
    )
    .await
}

/// Trades the refresh token for new tokens, unless someone did so while
/// this call waited for the lock.
async fn refresh(api: &Api, refused: Option<&str>) -> Option<String> {
    let s = load(&api.base)?;
    let now = now_ms();
    if let Some(t) = s.usable_access(now, refused) {
        return Some(t.to_owned());
    }
    let body = s.refresh_body()?;
    match api
        .attempt(HttpMethod::Post, "/auth/refresh", Some(&body), None, None)
        .await
    {
        Ok((200, text, _)) => {
            let tokens: SessionTokens = from_json(&text).ok()?;
            // Stored before use: the old refresh token is spent.
            let next = Session::from_tokens(tokens, now);
            store(&api.base, &next);
            Some(next.access_token)
        }
        // Refused (used twice, revoked, expired, unknown): signed out.
        Ok((status, ..)) if (400..500).contains(&status) && status != 429 => {
            forget(&api.base);
            None
        }
        // Unreachable or busy: keep the session; the old token while it lasts.
        _ => (now < s.access_until).then_some(s.access_token),
    }
}

/// Ends the session at the backend (its refresh token is revoked) and here.
pub async fn sign_out(api: &Api) {
    if let Some(body) = load(&api.base).and_then(|s| s.refresh_body()) {
        // Forgotten here whatever the answer: signing out never fails.
        let _ = api
            .attempt(HttpMethod::Post, "/auth/sign-out", Some(&body), None, None)
            .await;
    }
    forget(&api.base);
}

/// Runs `f` holding the origin-wide Web Lock `name` (where the browser has
/// the Web Locks API; else at once: one tab's widgets still share one page).
async fn with_lock<F>(name: &str, f: F) -> Option<String>
where
    F: Future<Output = Option<String>> + 'static,
{
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &JsValue::from_str("locks")).ok())
        .filter(JsValue::is_object);
    let request = locks.as_ref().and_then(|l| {
        Reflect::get(l, &JsValue::from_str("request"))
            .ok()?
            .dyn_into::<Function>()
            .ok()
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        return f.await;
    };
    let out = Rc::new(RefCell::new(None));
    let slot = out.clone();
    let held = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            *slot.borrow_mut() = f.await;
            Ok(JsValue::UNDEFINED)
        })
    });
    let done = request
        .call2(&locks, &JsValue::from_str(name), &held)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())?;
    JsFuture::from(done).await.ok()?;
    out.borrow_mut().take()
}

thread_local! {
    static MEMORY: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static AUTH_INFO: RefCell<HashMap<String, AuthInfo>> = RefCell::new(HashMap::new());
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Whether and where the backend at `api` signs people in (`GET /auth`),
/// asked once per page and base. A backend without the endpoint (404)
/// offers none; an unreachable one is asked again next time.
pub async fn auth_info(api: &Api) -> Option<AuthInfo> {
    if let Some(info) = AUTH_INFO.with(|m| m.borrow().get(&api.base).cloned()) {
        return Some(info);
    }
    let info = match api.get::<AuthInfo>("/auth").await {
        Ok(info) => info,
        Err(ApiError::Problem(p)) if p.status == 404 || p.status == 405 => AuthInfo {
            oidc: false,
            organization: None,
            sign_in_url: None,
        },
        Err(_) => return None,
    };
    AUTH_INFO.with(|m| m.borrow_mut().insert(api.base.clone(), info.clone()));
    Some(info)
}

/// Follows sign-in and sign-out in the page's other tabs (the `storage`
/// event fires there, not here): once per page.
pub fn follow_other_tabs() {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(|e: web_sys::StorageEvent| {
        // `key` is null when the whole storage was cleared.
        if e.key().is_none_or(|k| k.starts_with(KEY_PREFIX)) {
            bump_identity_epoch();
        }
    });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
}

/// How a sign-in popup ended.
#[derive(Debug, Clone, PartialEq)]
pub enum PopupResult {
    /// Signed in; the session is stored and every widget follows.
    SignedIn(Session),
    /// The backend or provider refused; its words, when it sent any.
    Failed(Option<String>),
    /// Closed before it answered.
    Closed,
}

/// Opens the sign-in popup at `sign_in_url` for this page's origin and
/// calls `done` once with how it ended. `false`: the browser blocked the
/// popup (call this in a click handler: popups need a user gesture).
pub fn open_popup(api: &Api, sign_in_url: &str, done: impl Fn(PopupResult) + 'static) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Some(server_origin) = origin_of(sign_in_url).map(str::to_owned) else {
        return false;
    };
    let page_origin = window.location().origin().unwrap_or_default();
    let url = format!(
        "{sign_in_url}?origin={}",
        js_sys::encode_uri_component(&page_origin)
    );
    let popup = match window.open_with_url_and_target_and_features(
        &url,
        "km-sign-in",
        "popup,width=480,height=640",
    ) {
        Ok(Some(p)) => p,
        _ => return false,
    };
    let base = api.base.clone();
    // The listener and the closed-check end each other: whichever fires
    // first reports and removes both.
    type Listener = Closure<dyn Fn(web_sys::MessageEvent)>;
    let listener: Rc<RefCell<Option<Listener>>> = Rc::new(RefCell::new(None));
    let poll: Rc<RefCell<Option<gloo_timers::callback::Interval>>> = Rc::new(RefCell::new(None));
    let done = Rc::new(done);
    let finish = {
        let (listener, poll, window) = (listener.clone(), poll.clone(), window.clone());
        Rc::new(move |result: PopupResult| {
            if let Some(l) = listener.borrow_mut().take() {
                let _ = window
                    .remove_event_listener_with_callback("message", l.as_ref().unchecked_ref());
            }
            poll.borrow_mut().take();
            done(result);
        })
    };
    let on_message = {
        let (finish, popup) = (finish.clone(), popup.clone());
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            // Only the backend's page in the popup this call opened.
            let from_popup = e
                .source()
                .is_some_and(|s| js_sys::Object::is(&s, popup.as_ref()));
            if e.origin() != server_origin || !from_popup {
                return;
            }
            let data = e.data();
            let field = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok();
            if field("type").and_then(|t| t.as_string()).as_deref() != Some(SIGN_IN_MESSAGE_TYPE) {
                return;
            }
            let tokens = serde_wasm_bindgen::from_value::<SessionTokens>(data.clone()).ok();
            let result = match tokens {
                Some(t) => PopupResult::SignedIn(start(&base, t)),
                None => PopupResult::Failed(field("message").and_then(|m| m.as_string())),
            };
            finish(result);
        })
    };
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    *listener.borrow_mut() = Some(on_message);
    // The popup closes itself right after posting, and its message may be
    // delivered after `closed` turns true: report "closed" only when it
    // still is at the next look, half a second later.
    let seen_closed = Cell::new(false);
    *poll.borrow_mut() = Some(gloo_timers::callback::Interval::new(500, move || {
        if popup.closed().unwrap_or(true) && seen_closed.replace(true) {
            finish(PopupResult::Closed);
        }
    }));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(access: &str) -> SessionTokens {
        SessionTokens {
            access_token: access.into(),
            token_type: "Bearer".into(),
            expires_in: 600,
            refresh_token: "r1".into(),
            session_expires_in: 3600,
        }
    }

    #[test]
    fn an_access_token_is_used_until_a_minute_before_its_end() {
        let s = Session::from_tokens(tokens("a.b.c"), 1_000_000);
        assert_eq!(s.usable_access(1_000_000, None), Some("a.b.c"));
        assert_eq!(s.usable_access(1_000_000 + 539_000, None), Some("a.b.c"));
        assert_eq!(s.usable_access(1_000_000 + 540_000, None), None);
        assert!(!s.ended(1_000_000 + 3_599_999));
        assert!(s.ended(1_000_000 + 3_600_000));
    }

    #[test]
    fn a_refused_access_token_is_not_used_again() {
        let s = Session::from_tokens(tokens("a.b.c"), 0);
        assert_eq!(s.usable_access(0, Some("a.b.c")), None);
        assert_eq!(s.usable_access(0, Some("older")), Some("a.b.c"));
    }

    #[test]
    fn the_name_comes_from_the_access_tokens_claims() {
        // {"sub":"u1","name":"Zoë Çelik"}, base64url without padding.
        let payload = "eyJzdWIiOiJ1MSIsIm5hbWUiOiJab8OrIMOHZWxpayJ9";
        let s = Session::from_tokens(tokens(&format!("h.{payload}.sig")), 0);
        assert_eq!(s.name().as_deref(), Some("Zoë Çelik"));
        let none = Session::from_tokens(tokens("not-a-jwt"), 0);
        assert_eq!(none.name(), None);
        let bad = Session::from_tokens(tokens("h.***.sig"), 0);
        assert_eq!(bad.name(), None);
    }

    #[test]
    fn a_session_is_stored_as_lines_and_read_back_only_whole() {
        let s = Session::from_tokens(tokens("h.p.s"), 1_000);
        let text = s.to_text();
        assert_eq!(text, "km-session-1\nh.p.s\n601000\nr1\n3601000");
        assert_eq!(Session::from_text(&text), Some(s.clone()));
        for bad in [
            "",
            "km-session-0\nh.p.s\n601000\nr1\n3601000",
            "km-session-1\nh.p.s\n601000\nr1",
            "km-session-1\nh.p.s\nsoon\nr1\n3601000",
            "km-session-1\n\n601000\nr1\n3601000",
            "km-session-1\nh.p.s\n601000\nr1\n3601000\nmore",
            "{\"access_token\":\"h.p.s\"}",
        ] {
            assert_eq!(Session::from_text(bad), None, "{bad:?}");
        }
        assert_eq!(
            s.refresh_body().as_deref(),
            Some("{\"refresh_token\":\"r1\"}")
        );
        let mut odd = s;
        odd.refresh_token = "r1\",\"x\":\"y".into();
        assert_eq!(odd.refresh_body(), None);
    }

    #[test]
    fn base64url_decodes_every_length() {
        assert_eq!(base64url_decode("").unwrap(), b"");
        assert_eq!(base64url_decode("YQ").unwrap(), b"a");
        assert_eq!(base64url_decode("YWI").unwrap(), b"ab");
        assert_eq!(base64url_decode("YWJj").unwrap(), b"abc");
        assert_eq!(base64url_decode("YWJjZA==").unwrap(), b"abcd");
        assert_eq!(base64url_decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(base64url_decode("Y"), None);
        assert_eq!(base64url_decode("YW+j"), None);
    }

    #[test]
    fn the_origin_of_a_url_is_its_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://km.example.com/auth/sign-in"),
            Some("https://km.example.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/km/auth/sign-in?x=1"),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("http://h:1"), Some("http://h:1"));
        assert_eq!(origin_of("/auth/sign-in"), None);
        assert_eq!(origin_of("https:///x"), None);
    }
}
