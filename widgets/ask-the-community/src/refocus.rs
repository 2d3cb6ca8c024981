//! Keeping focus in the question view across its re-renders: the detail
//! provides its outer element as [`DetailRoot`]; [`refocus`] puts focus
//! back on the button pressed once the toggled question has re-rendered.

use leptos::prelude::*;

/// The detail's outer element (it is not re-rendered by updates).
#[derive(Clone, Copy)]
pub(crate) struct DetailRoot(pub(crate) NodeRef<leptos::html::Div>);

/// Focuses the element `id` of the detail after the next render (a toggle
/// re-renders the question; focus stays on the button pressed).
pub(crate) fn refocus(root: Option<DetailRoot>, id: String) {
    let Some(DetailRoot(root)) = root else {
        return;
    };
    request_animation_frame(move || {
        let Some(el) = root.get_untracked() else {
            return;
        };
        if let Ok(Some(target)) = el.query_selector(&format!("#{id}")) {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(target).focus();
        }
    });
}
