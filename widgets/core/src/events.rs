//! `km-*` DOM events, dispatched on the host element (`bubbles`, `composed`),
//! so a page listens with `el.addEventListener("km-ready", …)` or on
//! `document`.
//!
//! Events: `km-ready` `{widget}` when the first data rendered, `km-error`
//! `{widget, status, title, detail}` when a request failed, and the widget
//! events listed in `docs/DESIGN.md` (`km-profile-saved`,
//! `km-question-asked`, `km-reflection-saved`, …).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// A plain JS object from `(name, value)` pairs, for an event's `detail`.
pub fn detail(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// Dispatches a bubbling, composed `CustomEvent` named `name` on `host`.
/// Failures (which only a broken DOM could cause) are ignored: an event is
/// never worth a panic.
pub fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(ev) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&ev);
    }
}

/// Converts a serializable value to a JS value through JSON (for event
/// details that carry a server response); `null` when it cannot.
pub fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}
