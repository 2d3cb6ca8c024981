//! `localStorage` access that never fails loudly: private browsing, a full
//! quota or a sandboxed iframe turn every call into a no-op.

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored value of `key`, if any.
pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; returns whether it was stored.
pub fn set(key: &str, value: &str) -> bool {
    local().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes `key`.
pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// A fresh random UUID from `crypto.randomUUID()` (secure contexts), else
/// from `Math.random` (only as an idempotency key, never as a secret).
pub fn random_uuid() -> String {
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        // randomUUID throws outside secure contexts; call it through Reflect
        // so a missing function is an `Err`, not a trap.
        let f = js_sys::Reflect::get(&c, &"randomUUID".into()).ok();
        if let Some(f) = f.and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
            && let Some(s) = f.call0(&c).ok().and_then(|v| v.as_string())
        {
            return s;
        }
    }
    let hex = |n: usize| -> String {
        (0..n)
            .map(|_| {
                let d = (js_sys::Math::random() * 16.0) as u32 % 16;
                char::from_digit(d, 16).unwrap_or('0')
            })
            .collect()
    };
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}
