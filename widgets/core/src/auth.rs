//! The page's global configuration, `window.KmWidgets.config`, read on every
//! request: `token` if set, else `await getToken({forceRefresh})`, and extra
//! `headers`. A page with neither may sign people in through the backend
//! ([`crate::session`]). Anything malformed is treated as absent (anonymous), never as
//! a reason to panic.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn global_config() -> Option<JsValue> {
    let window = web_sys::window()?;
    let km = Reflect::get(&window, &JsValue::from_str("KmWidgets")).ok()?;
    if !km.is_object() {
        return None;
    }
    let cfg = Reflect::get(&km, &JsValue::from_str("config")).ok()?;
    cfg.is_object().then_some(cfg)
}

/// The bearer token for the next request: the configured `token`, else
/// what `getToken({forceRefresh})` resolves to; `None` = anonymous.
pub async fn bearer_token(force_refresh: bool) -> Option<String> {
    let cfg = global_config()?;
    if !force_refresh
        && let Some(t) = Reflect::get(&cfg, &JsValue::from_str("token"))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|t| !t.trim().is_empty())
    {
        return Some(t);
    }
    let get = Reflect::get(&cfg, &JsValue::from_str("getToken")).ok()?;
    let get: Function = get.dyn_into().ok()?;
    let arg = Object::new();
    let _ = Reflect::set(
        &arg,
        &JsValue::from_str("forceRefresh"),
        &JsValue::from_bool(force_refresh),
    );
    let out = get.call1(&cfg, &arg).ok()?;
    let value = match out.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await.ok()?,
        Err(v) => v,
    };
    value.as_string().filter(|t| !t.trim().is_empty())
}

/// Whether the page configured a `getToken` function (only then is a 401
/// worth one retry with a refreshed token).
pub fn has_token_source() -> bool {
    global_config()
        .and_then(|c| Reflect::get(&c, &JsValue::from_str("getToken")).ok())
        .is_some_and(|f| f.is_function())
}

/// Whether the page brings its own identity (a non-blank `token` or a
/// `getToken` function): then it, not the backend's sign-in, says who
/// someone is, and no widget offers "Sign in".
pub fn has_portal_token() -> bool {
    has_token_source()
        || global_config()
            .and_then(|c| Reflect::get(&c, &JsValue::from_str("token")).ok())
            .and_then(|t| t.as_string())
            .is_some_and(|t| !t.trim().is_empty())
}

/// Extra request headers from `KmWidgets.config.headers` (string values only).
pub fn extra_headers() -> Vec<(String, String)> {
    let Some(h) =
        global_config().and_then(|c| Reflect::get(&c, &JsValue::from_str("headers")).ok())
    else {
        return Vec::new();
    };
    if !h.is_object() {
        return Vec::new();
    }
    Object::entries(h.unchecked_ref())
        .iter()
        .filter_map(|e| {
            let pair: js_sys::Array = e.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
