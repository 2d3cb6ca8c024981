//! km-widgets: the embeddable bundle, one wasm module that mounts every km
//! widget.
//!
//! The hand-written JS loader (`src/js/km-widgets.js`) imports the
//! wasm-bindgen glue of this crate and calls its exports (see
//! `docs/DESIGN.md`, "Loader ↔ wasm"):
//!
//! - `mount(kind, host, shadowRoot, attrs) -> MountHandle` (throws for an
//!   unknown kind),
//! - `MountHandle.set_attribute(name, value_or_null)`, `MountHandle.unmount()`
//!   (then `free()`),
//! - `config_changed()` after `KmWidgets.configure()`.
//!
//! Everything else lives in `widgets/core` (runtime) and `widgets/<name>`
//! (the four widgets). Build: `cargo build --release --target
//! wasm32-unknown-unknown -p km-widgets`, or `cargo xtask dist` for the
//! optimized `dist/`. Its tests are the core's and widgets' browser tests
//! and the e2e tests in `tests/`.

use km_widgets_core::{MountHandle, WidgetSpec, js_error, mount_widget};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// Every widget this bundle can mount, by kind.
const WIDGETS: [WidgetSpec; 4] = [
    km_passion_match::SPEC,
    km_ask_the_community::SPEC,
    km_reflection_prompt::SPEC,
    km_story_board::SPEC,
];

/// Installs the panic hook once, when the module is instantiated: a panic
/// then shows its message in the console before the instance traps.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Mounts the widget `kind` into `root` (the open shadow root of `host`)
/// with the loader's resolved `attrs` (`api`, `lang`, `theme`, `community`
/// and widget attributes). Throws a JS `Error` for an unknown kind.
#[wasm_bindgen]
pub fn mount(
    kind: &str,
    host: HtmlElement,
    root: ShadowRoot,
    attrs: JsValue,
) -> Result<MountHandle, JsValue> {
    let spec = WIDGETS
        .iter()
        .find(|w| w.kind == kind)
        .ok_or_else(|| js_error(&format!("km-widgets: unknown widget kind {kind:?}")))?;
    mount_widget(spec, host, root, &attrs)
}

/// Called by the loader after `KmWidgets.configure()`: every mounted widget
/// refetches with the new token (a new token may be a new person).
#[wasm_bindgen]
pub fn config_changed() {
    km_widgets_core::bump_identity_epoch();
}

/// The kinds this bundle mounts (for diagnostics and tests).
#[wasm_bindgen]
pub fn kinds() -> Vec<String> {
    WIDGETS.iter().map(|w| w.kind.to_owned()).collect()
}
