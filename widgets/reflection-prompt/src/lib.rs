//! km-reflection-prompt: the reflection-prompt widget, a personal
//! knowledge habit.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`SPEC`]. The first screen shows the prompt of the period from
//! `GET /api/v1/prompts/today?lang=&set=` with its stage (Seek, Sense,
//! Share), and a form: the reflection text (saved as a draft while typing,
//! restored after a reload), an optional energy 1–5, who may read it
//! (only me by default; colleagues with or without my name) and Save. Save
//! validates locally, then posts a `NewReflection` to `/api/v1/reflections`
//! through the core outbox (with an Idempotency-Key): offline it waits
//! ("1 item waiting to be sent") and is retried; saved, the form empties,
//! "Saved" is announced and the saved reflection shows. Field errors (local
//! or the server's problem+json `errors`) appear under their field. Without
//! an identity (401) a "Sign in to reflect" note shows instead.
//!
//! Attributes: `prompt-set` (a prompt set id). Parts: `root`, `header`,
//! `title`, `prompt`, `prompt-text`, `badge`, `stage` (`part="badge
//! stage"`), `status` (`done`, `restored`, `pending`), `form`, `label`,
//! `input` (`part="input body"`, `part="input energy"`), `field-error`,
//! `visibility`, `button`, `save`, `saved`, `note`, `error`, `loading`.
//! Custom properties: `--km-reflection-prompt-bg` (default
//! `--km-color-surface`), `--km-reflection-stage` (default
//! `--km-color-accent`). Events: `km-ready`, `km-error`,
//! `km-reflection-saved` `{widget, reflection}`. i18n keys:
//! [`strings::Key`] (plus the core's `Saved`, `Saving`, `Pending…`,
//! `DraftRestored`).
//!
//! Tests: `cargo test -p km-reflection-prompt` (model and strings,
//! natively); `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p
//! km-reflection-prompt --target wasm32-unknown-unknown` (views and the
//! whole widget against a canned `fetch`, in headless Chromium).

pub mod api;
pub mod cards;
pub mod feed;
pub mod journal;
pub mod model;
pub mod rhythm;
pub mod strings;
pub mod style;
pub mod view;

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "reflection-prompt";

/// How the bundle mounts this widget.
pub const SPEC: WidgetSpec = WidgetSpec {
    kind: KIND,
    css: style::CSS,
    view: mount_view,
};

/// The widget's view, built inside its reactive owner by the core.
pub fn mount_view() -> AnyView {
    let cfg = km_widgets_core::use_widget().config;
    (move || match cfg.attr("mode").as_deref().map(str::trim) {
        Some("journal") => view! { <journal::Journal/> }.into_any(),
        Some("feed") => view! { <feed::Feed/> }.into_any(),
        _ => view! { <view::ReflectionPrompt/> }.into_any(),
    })
    .into_any()
}
