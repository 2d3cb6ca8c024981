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

/// Converts a serializable value to the JS value its JSON would parse to
/// (for event details that carry a server response); `null` when it
/// cannot. serde-wasm-bindgen, JSON-compatible: `None` is `null`, maps are
/// plain objects.
pub fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// What a `km-prefill` event hands to the widget it targets (see
/// docs/EMBEDDING.md): a proposed title, body and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    /// Proposed title.
    pub title: String,
    /// Proposed body text.
    pub body: String,
    /// Proposed tags.
    pub tags: Vec<String>,
}

impl Prefill {
    /// Reads a `km-prefill` detail meant for the widget `kind`; None for
    /// another target or a detail that is not an object. Missing or
    /// non-string fields read as empty: the event comes from any page
    /// script, so nothing in it is trusted beyond being text.
    pub fn from_detail(detail: &JsValue, kind: &str) -> Option<Prefill> {
        let text = |k: &str| {
            Reflect::get(detail, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        if !detail.is_object() || text("target") != kind {
            return None;
        }
        let tags = Reflect::get(detail, &JsValue::from_str("tags"))
            .ok()
            .filter(js_sys::Array::is_array)
            .map(|a| {
                js_sys::Array::from(&a)
                    .iter()
                    .filter_map(|t| t.as_string())
                    .collect()
            })
            .unwrap_or_default();
        Some(Prefill {
            title: text("title"),
            body: text("body"),
            tags,
        })
    }
}

/// Calls `f` for every `km-prefill` event on the page whose `target` is
/// `kind`, while the calling component lives (the listener is removed on
/// cleanup). The event bubbles and is composed, so it reaches the window
/// from any widget's shadow root or from page script.
pub fn on_prefill(kind: &'static str, f: impl Fn(Prefill) + 'static) {
    use wasm_bindgen::JsCast;
    let handle = leptos::prelude::window_event_listener_untyped("km-prefill", move |e| {
        if let Some(p) = e
            .dyn_ref::<CustomEvent>()
            .and_then(|e| Prefill::from_detail(&e.detail(), kind))
        {
            f(p);
        }
    });
    leptos::prelude::on_cleanup(move || handle.remove());
}
