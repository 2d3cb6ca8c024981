//! km-passion-match: the passion-match widget, find colleagues who share
//! your passion.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`spec`]. The full widget has four sections:
//! - **My passions** ([`editor`]): passions from the shared vocabulary (the
//!   core tag picker), a level for each, a one-line why, "open to a coffee
//!   chat" and visibility; saved by itself after a pause, with a visible
//!   state (unsaved, saving, saved, kept on this device and retried); the
//!   unsaved version is a local draft that survives a reload. "Delete my
//!   profile" after a confirmation.
//! - **Matches** ([`match_list`]): `GET /matches`, ranked on the server;
//!   cards with name, department, a one-sentence reason, shared passions
//!   (each a button to "people passionate about X": `GET /profiles?tag=`),
//!   teach/learn pairs, "why this match" with the score's parts, and "say
//!   hi" (a message with counter and field errors; duplicate and daily
//!   limit explained; sent through the widget's outbox, so one written
//!   offline waits and is sent once). A filter by one of my passions; "Show more".
//! - **Intros** ([`inbox`]): received (accept or dismiss; then the
//!   contact) and sent (status, the contact once accepted).
//! - **Circles** ([`circles`]): passions of 3+ people open to a chat; join,
//!   leave, members.
//!
//! `mode="compact"`: my top three matches (reasons only) and an "Edit my
//! passions" toggle that opens the editor in place.
//!
//! Attributes: `limit` (1–50, default 6: matches per page), `tag`
//! (preselects the passion filter), `mode` (`full`, default, or
//! `compact`). Parts: `root`, `header`, `title`, `mine`, `editor`,
//! `matches`, `intros`, `circles`, `compact`, `tag-page`, `list`, `item`,
//! `card`, `item-title`, `department`, `reason`, `shared-list`, `tag`,
//! `shared`, `tag-link`, `pairs`, `pair`, `details`, `parts`, `badge`
//! (`connected`, `joined`), `form` (`say-hi-form`), `label`, `input` (`why`,
//! `level`, `open-to-chat`, `visibility`, `filter`, `message`), `counter`,
//! `field-error`, `status` (`unsaved`, `saving`, `saved`, `pending`,
//! `refused`, `restored`, `sent`, `greeted`, `intro-status`, `contact`), `button`
//! (`say-hi`, `send`, `cancel`, `more`, `accept`, `dismiss`, `join`,
//! `leave`, `members`, `edit`, `back`, `delete`, `delete-confirm`, `delete-intro`,
//! `retry`), `contact`, `contact-link`, `message`, `members-count`,
//! `member`, `confirm`, `note`, `empty`, `loading`, `error`. Custom
//! properties: `--km-passion-card-bg` (default `--km-color-surface`),
//! `--km-passion-shared` (default `--km-color-accent`). Events:
//! `km-ready`, `km-error`, `km-profile-saved` `{widget, profile}`,
//! `km-intro-sent` `{widget, intro}`. i18n keys: [`strings::Key`].
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

/// The widget's own attributes (beside the core's `api`, `lang`, `theme`,
/// `community`); the loader forwards exactly these (a test in the bundle
/// crate checks its list).
pub const ATTRS: &[&str] = &["mode", "limit", "tag"];

km_widgets_core::lazy_fn! {
    passion_match;
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
    view! { <view::PassionMatch/> }.into_any()
}
