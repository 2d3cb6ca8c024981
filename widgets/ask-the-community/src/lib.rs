//! km-ask-the-community: the ask-the-community widget, urgent questions
//! answered by peers.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`SPEC`]. The first screen lists the newest questions from
//! `GET /api/v1/questions` (anonymous reads work): title, an "Urgent" badge
//! with the need-by date, a "Solved" badge, tags, the asker's name (or
//! "Anonymous"), how long ago it was asked and the answer count ("1 answer",
//! "3 antwoorden"), all in the reader's language.
//!
//! Attributes: `limit` (1–50, default 10), `tag` (only questions with this
//! tag). Parts: `root`, `header`, `title`, `list`, `item`, `card`,
//! `item-title`, `badge`, `urgent` (`part="badge urgent"`), `solved`
//! (`part="badge solved"`), `tag`, `author`, `answers`, `empty`, `loading`,
//! `error`. Custom properties: `--km-question-urgent` (default
//! `--km-color-danger`), `--km-question-solved` (default
//! `--km-color-success`). Events: `km-ready`, `km-error`. i18n keys:
//! [`strings::Key`].
//!
//! Tests: `cargo test -p km-ask-the-community` (model and strings,
//! natively); `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p
//! km-ask-the-community --target wasm32-unknown-unknown` (views in headless
//! Chromium).

pub mod api;
pub mod ask_form;
pub mod detail;
pub mod model;
pub mod strings;
pub mod style;
pub mod view;

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "ask-the-community";

/// How the bundle mounts this widget.
pub const SPEC: WidgetSpec = WidgetSpec {
    kind: KIND,
    css: style::CSS,
    view: mount_view,
};

/// The widget's view, built inside its reactive owner by the core.
pub fn mount_view() -> AnyView {
    view! { <view::AskTheCommunity/> }.into_any()
}
