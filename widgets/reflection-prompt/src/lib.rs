//! km-reflection-prompt: the reflection-prompt widget, a personal
//! knowledge habit.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`spec`], and [`mount_view`] picks the view of the `mode`
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
//! the reflection-prompt section of docs/EMBEDDING.md (events `km-ready`, `km-error`,
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

/// The widget's own attributes (beside the core's `api`, `lang`, `theme`,
/// `community`); the loader forwards exactly these (a test in the bundle
/// crate checks its list).
pub const ATTRS: &[&str] = &["mode", "prompt-set"];

km_widgets_core::lazy_fn! {
    reflection_prompt;
    /// How the bundle mounts this widget. In the split build this widget's
    /// code (views, strings, CSS) is a chunk of its own, fetched by the
    /// first call.
    pub fn spec() -> WidgetSpec {
        WidgetSpec {
            kind: KIND,
            css: style::CSS,
            view: mount_view,
        }
    }
}

/// The widget's view, built inside its reactive owner by the core.
pub fn mount_view() -> AnyView {
    let mode = km_widgets_core::use_attr::<Mode>("mode");
    (move || match mode.get() {
        Mode::Journal => view! { <journal::Journal/> }.into_any(),
        Mode::Feed => view! { <feed::Feed/> }.into_any(),
        Mode::Prompt => view! { <view::ReflectionPrompt/> }.into_any(),
    })
    .into_any()
}

/// The `mode` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Today's prompt (the default).
    Prompt,
    /// My journal.
    Journal,
    /// The shared reflections.
    Feed,
}

impl km_widgets_core::FromAttr for Mode {
    fn from_attr(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some("journal") => Mode::Journal,
            Some("feed") => Mode::Feed,
            _ => Mode::Prompt,
        }
    }
}
