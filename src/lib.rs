//! km-widgets: the embeddable bundle: the shared runtime and, one chunk
//! each, the km widgets.
//!
//! The hand-written JS loader (`src/js/km-widgets.js`) imports the
//! wasm-bindgen glue of this crate and calls its exports (see
//! `docs/DESIGN.md`, "Loader ↔ wasm"):
//!
//! - `load(kind) -> Promise` (rejects for an unknown kind or a chunk that
//!   could not be fetched; calling it again retries),
//! - `mount(kind, host, shadowRoot, attrs) -> MountHandle` once `load(kind)`
//!   has resolved (throws before, and for an unknown kind),
//! - `MountHandle.set_attribute(name, value_or_null)`, `MountHandle.unmount()`
//!   (then `free()`),
//! - `config_changed()` after `KmWidgets.configure()`.
//!
//! With the `split` feature (`cargo xtask dist`) each widget's code is a
//! chunk of its own, fetched by `load`; without it (the Trunk playground)
//! everything is one module and `load` resolves at once.
//!
//! Everything else lives in `widgets/core` (runtime) and `widgets/<name>`
//! (the four widgets). Build: `cargo xtask dist` for the split, optimized
//! `dist/`. Its tests are the core's and widgets' browser tests and the
//! e2e tests in `tests/`.

use std::cell::RefCell;

use km_widgets_core::{LoadError, MountHandle, WidgetSpec, js_error, mount_widget};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// Every widget kind this bundle can mount.
const WIDGETS: [&str; 4] = [
    km_passion_match::KIND,
    km_ask_the_community::KIND,
    km_reflection_prompt::KIND,
    km_story_board::KIND,
];

/// Fetches the code of `kind` (its chunk, in the split build); `None` for
/// an unknown kind.
async fn spec_of(kind: &str) -> Option<Result<WidgetSpec, LoadError>> {
    Some(match kind {
        km_passion_match::KIND => km_passion_match::spec().await,
        km_ask_the_community::KIND => km_ask_the_community::spec().await,
        km_reflection_prompt::KIND => km_reflection_prompt::spec().await,
        km_story_board::KIND => km_story_board::spec().await,
        _ => return None,
    })
}

thread_local! {
    /// The widgets whose code has arrived.
    static LOADED: RefCell<Vec<WidgetSpec>> = const { RefCell::new(Vec::new()) };
}

fn loaded(kind: &str) -> Option<WidgetSpec> {
    LOADED.with(|l| l.borrow().iter().find(|w| w.kind == kind).copied())
}

/// Installs the panic hook once, when the module is instantiated, in debug
/// builds: a panic then shows its message in the console before the instance
/// traps. Release builds (`cargo xtask dist`) trap without the message: the
/// hook and the formatting it pulls in cost 0.6-0.8 KB brotli on every page
/// (docs/PERFORMANCE.md, "Fewer bytes").
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// Makes the widget `kind` mountable: fetches its chunk (once per page;
/// two calls share one fetch). Rejects for an unknown kind and when the
/// chunk cannot be fetched; a later call then tries again.
#[wasm_bindgen]
pub async fn load(kind: String) -> Result<(), JsValue> {
    if loaded(&kind).is_some() {
        return Ok(());
    }
    let spec = spec_of(&kind)
        .await
        .ok_or_else(|| js_error(&format!("km-widgets: unknown widget kind {kind:?}")))?
        .map_err(|e| {
            js_error(&format!(
                "km-widgets: the code of {kind} did not arrive ({e})"
            ))
        })?;
    LOADED.with(|l| {
        let mut l = l.borrow_mut();
        if !l.iter().any(|w| w.kind == spec.kind) {
            l.push(spec);
        }
    });
    Ok(())
}

/// Mounts the widget `kind` into `root` (the open shadow root of `host`)
/// with the loader's resolved `attrs` (`api`, `lang`, `theme`, `community`
/// and widget attributes). Throws a JS `Error` for an unknown kind or one
/// whose [`load`] has not resolved yet.
#[wasm_bindgen]
pub fn mount(
    kind: &str,
    host: HtmlElement,
    root: ShadowRoot,
    attrs: JsValue,
) -> Result<MountHandle, JsValue> {
    let spec = loaded(kind).ok_or_else(|| {
        if WIDGETS.contains(&kind) {
            js_error(&format!(
                "km-widgets: {kind} is not loaded (await load first)"
            ))
        } else {
            js_error(&format!("km-widgets: unknown widget kind {kind:?}"))
        }
    })?;
    mount_widget(&spec, host, root, &attrs)
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
    WIDGETS.iter().map(|&k| k.to_owned()).collect()
}

/// The bundle's kinds are also listed by hand in the loader, its types, the
/// demo page, the workspace and the xtask; these tests keep every list equal
/// to [`WIDGETS`] (adding a widget: `cargo test -p km-widgets` names each
/// place to edit).
#[cfg(test)]
mod tests {
    use super::WIDGETS;

    /// Each widget's own attributes, in the order of [`WIDGETS`].
    const ATTRS: [&[&str]; WIDGETS.len()] = [
        km_passion_match::ATTRS,
        km_ask_the_community::ATTRS,
        km_reflection_prompt::ATTRS,
        km_story_board::ATTRS,
    ];
    const LOADER: &str = include_str!("js/km-widgets.js");
    const TYPES: &str = include_str!("js/km-widgets.d.ts");
    const DEMO: &str = include_str!("../www/app.js");
    const XTASK: &str = include_str!("../xtask/src/test.rs");
    const MANIFEST: &str = include_str!("../Cargo.toml");

    fn kinds() -> Vec<String> {
        WIDGETS.iter().map(|&k| k.to_owned()).collect()
    }

    /// The quoted strings of the first line of `text` that starts with `start`.
    fn quoted(text: &str, start: &str) -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line starting with {start:?}"));
        let rest = &line[line.find(start).unwrap() + start.len()..];
        rest.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_loader_defines_exactly_the_bundles_kinds() {
        assert_eq!(
            quoted(LOADER, "const KINDS ="),
            kinds(),
            "KINDS in src/js/km-widgets.js"
        );
    }

    #[test]
    fn the_loader_forwards_exactly_the_attributes_the_widgets_read() {
        let mut expected: Vec<&str> = km_widgets_core::CORE_ATTRS.to_vec();
        for a in ATTRS.iter().flat_map(|a| a.iter()) {
            if !expected.contains(a) {
                expected.push(a);
            }
        }
        let mut loader = quoted(LOADER, "const ATTRS =");
        loader.sort();
        expected.sort();
        assert_eq!(loader, expected, "ATTRS in src/js/km-widgets.js");
    }

    #[test]
    fn the_type_declarations_name_every_kind_and_its_attributes() {
        assert_eq!(
            quoted(TYPES, "export type KmWidgetKind ="),
            kinds(),
            "KmWidgetKind in src/js/km-widgets.d.ts"
        );
        for (kind, attrs) in WIDGETS.iter().zip(ATTRS) {
            let tag = format!("\"km-{kind}\":");
            assert!(TYPES.contains(&tag), "{tag} in HTMLElementTagNameMap");
            let doc = format!("* - `km-{kind}`: ");
            let line = TYPES
                .lines()
                .find(|l| l.trim_start().starts_with(&doc))
                .unwrap_or_else(|| panic!("no attribute line {doc:?} in km-widgets.d.ts"));
            let mut listed: Vec<&str> = line.split('`').skip(3).step_by(2).collect();
            listed.retain(|a| attrs.contains(a));
            let mut want = attrs.to_vec();
            listed.sort();
            want.sort();
            assert_eq!(listed, want, "attributes of km-{kind} in km-widgets.d.ts");
        }
    }

    #[test]
    fn the_demo_page_the_workspace_and_the_xtask_name_every_kind() {
        let demo = quoted(DEMO, "const WIDGETS =").join("");
        let mut demo: Vec<String> = demo.split(", ").map(str::to_owned).collect();
        demo.retain(|s| s.starts_with("km-"));
        let elements: Vec<String> = kinds().iter().map(|k| format!("km-{k}")).collect();
        assert_eq!(demo, elements, "WIDGETS in www/app.js");
        for k in kinds() {
            let member = format!("\"widgets/{k}\",");
            assert!(
                MANIFEST.contains(&member),
                "{member} in the workspace members"
            );
            let dep = format!("\nkm-{k}.workspace = true");
            assert!(
                MANIFEST.contains(&dep),
                "km-{k} in the bundle's dependencies"
            );
            let krate = format!("\"km-{k}\",");
            assert!(
                XTASK.contains(&krate),
                "km-{k} in WASM_CRATES of xtask/src/test.rs"
            );
        }
    }
}
