//! Theming: the core stylesheet and its adoption into a shadow root.
//!
//! # Public styling contract
//! Tokens (set them on the widget element or any ancestor; they win in every
//! theme): `--km-color-bg`, `--km-color-surface`, `--km-color-text`,
//! `--km-color-muted`, `--km-color-accent`, `--km-color-accent-text`,
//! `--km-color-border`, `--km-color-danger`, `--km-color-success`,
//! `--km-color-focus`, `--km-font-family` (default `inherit`: the page's
//! font), `--km-font-size` (default `medium`: the reader's browser setting),
//! `--km-radius`, `--km-space-1` … `--km-space-4`.
//!
//! Parts (`::part(name)`): `root`, `header`, `title`, `list`, `item`,
//! `button`, `input`, `label`, `error`, `field-error`, `empty`, `loading`,
//! `tag`, `chip`, `badge`, `status`, `listbox`, `option`, `card`, `note`.
//!
//! Nothing is written to `document.head`: each shadow root adopts its own
//! constructed sheets, which also works under CSP `style-src 'self'`.
//! Every inherited property the page might force on the host element
//! (colour, size, line height, letter spacing, text transform) is set again
//! on `.km-root`, because a page's `!important` rules on the host beat
//! `:host`.

use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, ShadowRoot};

/// The core stylesheet every widget gets (tokens, states, shared controls).
pub const CORE_CSS: &str = r#"
:host { all: initial; display: block; font-family: var(--km-font-family, inherit); color: var(--km-color-text, #1f2328); }
:host([hidden]) { display: none; }
.km-root {
  --_bg: #ffffff; --_surface: #f6f8fa; --_text: #1f2328; --_muted: #57606a;
  --_accent: #0b5cad; --_accent-text: #ffffff; --_border: #6e7781;
  --_danger: #b3261e; --_success: #1a7f37; --_focus: #0b5cad;
}
.km-root[data-theme="dark"] {
  --_bg: #16181d; --_surface: #22262e; --_text: #e6e8eb; --_muted: #a9b1ba;
  --_accent: #7cb7ff; --_accent-text: #0b1220; --_border: #7d8590;
  --_danger: #ff9189; --_success: #6fdd8b; --_focus: #9ecbff;
  color-scheme: dark;
}
@media (prefers-color-scheme: dark) {
  .km-root[data-theme="auto"] {
    --_bg: #16181d; --_surface: #22262e; --_text: #e6e8eb; --_muted: #a9b1ba;
    --_accent: #7cb7ff; --_accent-text: #0b1220; --_border: #7d8590;
    --_danger: #ff9189; --_success: #6fdd8b; --_focus: #9ecbff;
    color-scheme: dark;
  }
}
.km-root {
  --c-bg: var(--km-color-bg, var(--_bg));
  --c-surface: var(--km-color-surface, var(--_surface));
  --c-text: var(--km-color-text, var(--_text));
  --c-muted: var(--km-color-muted, var(--_muted));
  --c-accent: var(--km-color-accent, var(--_accent));
  --c-accent-text: var(--km-color-accent-text, var(--_accent-text));
  --c-border: var(--km-color-border, var(--_border));
  --c-danger: var(--km-color-danger, var(--_danger));
  --c-success: var(--km-color-success, var(--_success));
  --c-focus: var(--km-color-focus, var(--_focus));
  --r: var(--km-radius, 6px);
  --s1: var(--km-space-1, 4px); --s2: var(--km-space-2, 8px);
  --s3: var(--km-space-3, 12px); --s4: var(--km-space-4, 20px);
  display: block; box-sizing: border-box; margin: 0; padding: var(--s3);
  font-family: var(--km-font-family, inherit); font-size: var(--km-font-size, medium);
  font-weight: 400; font-style: normal; line-height: 1.5; letter-spacing: normal;
  word-spacing: normal; text-transform: none; text-align: start; white-space: normal;
  color: var(--c-text); background: var(--c-bg);
  border: 1px solid var(--c-border); border-radius: var(--r);
}
.km-root *, .km-root *::before, .km-root *::after { box-sizing: border-box; }
.km-root :where(h1, h2, h3, h4, p, ul, ol, li, figure, blockquote, dl, dd) { margin: 0; padding: 0; }
.km-root :where(ul, ol) { list-style: none; }
.km-root :where(h2) { font-size: 1.2em; line-height: 1.3; font-weight: 700; }
.km-root :where(h3) { font-size: 1.05em; line-height: 1.3; font-weight: 600; }
.km-root a { color: var(--c-accent); text-decoration: underline; }
.km-root :where(button, input, textarea, select) { font: inherit; color: inherit; letter-spacing: inherit; text-transform: none; }
.km-root :focus-visible { outline: 3px solid var(--c-focus); outline-offset: 2px; }
.km-header { display: flex; align-items: baseline; justify-content: space-between; gap: var(--s2); margin-bottom: var(--s3); flex-wrap: wrap; }
.km-stack > * + * { margin-top: var(--s3); }
.km-muted { color: var(--c-muted); font-size: 0.9em; }
.km-btn {
  display: inline-flex; align-items: center; gap: var(--s1); cursor: pointer;
  padding: var(--s1) var(--s3); min-height: 2.25em; border-radius: var(--r);
  border: 1px solid var(--c-accent); background: var(--c-accent); color: var(--c-accent-text); font-weight: 600;
}
.km-btn[disabled] { opacity: 0.6; cursor: not-allowed; }
.km-btn-secondary { background: transparent; color: var(--c-accent); }
.km-more { margin-top: var(--s3); }
.km-btn-link { background: none; border: none; padding: 0; min-height: 0; color: var(--c-accent); text-decoration: underline; cursor: pointer; }
.km-field { display: block; margin-bottom: var(--s3); }
.km-label { display: block; font-weight: 600; margin-bottom: var(--s1); }
.km-input {
  display: block; width: 100%; padding: var(--s2); border-radius: var(--r);
  border: 1px solid var(--c-border); background: var(--c-bg); color: var(--c-text);
}
textarea.km-input { min-height: 6em; resize: vertical; }
.km-input[aria-invalid="true"] { border-color: var(--c-danger); border-width: 2px; }
.km-field-error { color: var(--c-danger); font-size: 0.9em; margin-top: var(--s1); }
.km-note { padding: var(--s3); border: 1px dashed var(--c-border); border-radius: var(--r); color: var(--c-text); background: var(--c-surface); }
.km-root [hidden] { display: none !important; }
.km-sign-in > p { margin: 0; }
.km-sign-in > .km-btn { margin-top: var(--s2); }
.km-sign-in-status:empty { margin: 0; }
.km-sign-in-status { margin-top: var(--s2); }
.km-session { display: flex; flex-wrap: wrap; align-items: center; justify-content: flex-end; gap: var(--s2); margin: var(--s3) 0 0; color: var(--c-muted); font-size: 0.9em; overflow-wrap: anywhere; }
.km-state { padding: var(--s3); text-align: center; color: var(--c-muted); }
.km-lazy { display: contents; }
.km-error { color: var(--c-danger); border: 1px solid var(--c-danger); border-radius: var(--r); padding: var(--s3); text-align: start; }
.km-error-title { font-weight: 700; }
.km-error .km-btn { margin-top: var(--s2); }
.km-spinner { display: inline-block; width: 1em; height: 1em; border: 2px solid var(--c-border); border-top-color: var(--c-accent); border-radius: 50%; vertical-align: -0.15em; margin-inline-end: var(--s2); }
@media (prefers-reduced-motion: no-preference) {
  .km-spinner { animation: km-spin 0.8s linear infinite; }
  .km-btn, .km-chip, .km-input { transition: background-color 0.15s, border-color 0.15s; }
}
@keyframes km-spin { to { transform: rotate(360deg); } }
.km-list { display: block; }
.km-list > li + li { border-top: 1px solid var(--c-border); }
.km-tags { display: flex; flex-wrap: wrap; gap: var(--s1); }
.km-tag, .km-chip, .km-badge {
  display: inline-flex; align-items: center; gap: var(--s1); padding: 0 var(--s2);
  border-radius: 999px; font-size: 0.85em; line-height: 1.8;
  border: 1px solid var(--c-border); background: var(--c-surface); color: var(--c-text);
}
.km-badge-success { border-color: var(--c-success); color: var(--c-success); }
.km-badge-danger { border-color: var(--c-danger); color: var(--c-danger); }
.km-chip button { border: none; background: none; padding: 0 2px; cursor: pointer; color: var(--c-muted); font-weight: 700; line-height: 1; }
.km-status { font-size: 0.9em; color: var(--c-muted); }
.km-save-state { margin: 0; min-height: 1.4em; }
.km-status-ok { color: var(--c-success); }
.km-status-pending { color: var(--c-muted); font-style: italic; }
.km-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.km-combobox { position: relative; }
.km-combobox-box { display: flex; flex-wrap: wrap; gap: var(--s1); align-items: center; padding: var(--s1); border: 1px solid var(--c-border); border-radius: var(--r); background: var(--c-bg); }
.km-combobox-box:focus-within { outline: 3px solid var(--c-focus); outline-offset: 2px; }
.km-combobox-box .km-input { border: none; flex: 1 1 8em; width: auto; min-width: 6em; padding: var(--s1); }
.km-combobox-box .km-input:focus-visible { outline: none; }
.km-listbox { position: absolute; z-index: 10; left: 0; right: 0; margin-top: 2px; max-height: 14em; overflow-y: auto; background: var(--c-bg); border: 1px solid var(--c-border); border-radius: var(--r); }
.km-option { padding: var(--s1) var(--s2); cursor: pointer; }
.km-option[aria-selected="true"] { background: var(--c-accent); color: var(--c-accent-text); }
.km-md p + p, .km-md p + ul, .km-md ul + p { margin-top: var(--s2); }
.km-md ul { list-style: disc; padding-inline-start: 1.25em; }
.km-md code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; background: var(--c-surface); padding: 0 3px; border-radius: 3px; }
@media (forced-colors: active) { .km-option[aria-selected="true"] { outline: 2px solid CanvasText; } }
"#;

/// Builds one constructed stylesheet from CSS text.
fn sheet(css: &str) -> Result<CssStyleSheet, JsValue> {
    let s = CssStyleSheet::new()?;
    s.replace_sync(css)?;
    Ok(s)
}

/// Adopts the core sheet and the widget's own sheet into `root`, replacing
/// whatever was adopted before (a re-mount does not stack sheets).
pub fn adopt_styles(root: &ShadowRoot, widget_css: &str) -> Result<(), JsValue> {
    let sheets = js_sys::Array::new();
    sheets.push(sheet(CORE_CSS)?.as_ref());
    if !widget_css.is_empty() {
        sheets.push(sheet(widget_css)?.as_ref());
    }
    root.set_adopted_style_sheets(&sheets);
    Ok(())
}
