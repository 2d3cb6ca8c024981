//! km-reflection-prompt: the reflection-prompt widget, a personal
//! knowledge habit.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`SPEC`], and [`mount_view`] picks the view of the `mode`
//! attribute:
//!
//! - `prompt` (default, [`view`]): this period's prompt from
//!   `GET /api/v1/prompts/today?lang=&set=&tz=` (the browser's time zone)
//!   with its stage, "Another prompt" (`POST /prompts/today/skip`), the nudge
//!   while the period's reflection is open, "My rhythm" ([`rhythm`]:
//!   cadence, weekday, reminders), and the editor: text as a draft, energy,
//!   tags (core tag picker), visibility (private by default), Save through
//!   the core outbox (pending offline, sent once). A saved reflection can be
//!   shared named or anonymously and handed on with `km-prefill` ([`cards`]).
//! - `journal` ([`journal`]): my reflections with search, the cadence
//!   summary, export (Markdown, JSON) and delete all after a confirmation.
//! - `feed` ([`feed`]): shared reflections with reactions.
//!
//! Attributes: `mode`, `prompt-set`. Parts, custom properties and events:
//! the README's reflection-prompt section (events `km-ready`, `km-error`,
//! `km-reflection-saved`, `km-reflection-shared`, `km-prefill`). i18n keys:
//! [`strings::Key`] (plus the core's).
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
