//! km-passion-match: the passion-match widget, find colleagues who share
//! your passion.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`SPEC`]. The first screen has two parts:
//! - "My passions" from `GET /api/v1/profiles/me`: my passions as tags with
//!   their level (loves it, curious, can teach, wants to learn). Without an
//!   identity (401) a short "Sign in to add your passions" note shows
//!   instead; it is not an error.
//! - "Colleagues who share your passions" from `GET /api/v1/profiles`
//!   (anonymous reads work): cards with name, department and passions,
//!   those with most passions in common first. A passion I share is marked
//!   with a ✓, a thicker accent border and a screen-reader note.
//!
//! Attributes: `limit` (1–50, default 6), `tag` (only colleagues with this
//! passion). Parts: `root`, `mine`, `colleagues`, `header`, `title`, `list`,
//! `item`, `card`, `item-title`, `department`, `tag`, `shared` (a shared
//! passion is `part="tag shared"`), `status`, `badge`, `note`, `empty`,
//! `loading`, `error`. Custom properties: `--km-passion-card-bg` (default
//! `--km-color-surface`), `--km-passion-shared` (default
//! `--km-color-accent`). Events: `km-ready`, `km-error`. i18n keys:
//! [`strings::Key`].
//!
//! Tests: `cargo test -p km-passion-match` (model and strings, natively);
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-passion-match
//! --target wasm32-unknown-unknown` (views in headless Chromium).

pub mod api;
pub mod circles;
pub mod editor;
pub mod inbox;
pub mod match_list;
pub mod model;
pub mod strings;
pub mod style;
pub mod view;

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "passion-match";

/// How the bundle mounts this widget.
pub const SPEC: WidgetSpec = WidgetSpec {
    kind: KIND,
    css: style::CSS,
    view: mount_view,
};

/// The widget's view, built inside its reactive owner by the core.
pub fn mount_view() -> AnyView {
    view! { <view::PassionMatch/> }.into_any()
}
