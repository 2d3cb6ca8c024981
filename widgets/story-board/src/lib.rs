//! km-story-board: the story-board widget, KM success stories with numbers.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`SPEC`]. The first screen lists published stories from
//! `GET /api/v1/stories` as cards: title, goal, team and each metric's
//! baseline → current value with its unit and the improvement percentage,
//! numbers formatted for the reader's language.
//!
//! Attributes: `limit` (1–50, default 6), `goal` (goal id), `team`.
//! Parts: `root`, `header`, `title`, `list`, `item`, `card`, `metric`,
//! `badge`, `tag`. Custom properties: `--km-story-card-bg` (default
//! `--km-color-surface`), `--km-story-better` (default `--km-color-success`).
//! Events: `km-ready`, `km-error`. i18n keys: [`strings::Key`].
//!
//! Tests: `cargo test -p km-story-board` (model and strings, natively).

pub mod api;
pub mod form;
pub mod impact_view;
pub mod model;
pub mod strings;
pub mod style;
pub mod ticker;
pub mod view;

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "story-board";

/// How the bundle mounts this widget.
pub const SPEC: WidgetSpec = WidgetSpec {
    kind: KIND,
    css: style::CSS,
    view: mount_view,
};

/// The widget's view, built inside its reactive owner by the core.
pub fn mount_view() -> AnyView {
    view! { <view::StoryBoard/> }.into_any()
}
