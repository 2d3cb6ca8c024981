//! km-story-board: the story-board widget, KM success stories with numbers
//! leaders can use.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`spec`]. [`view::StoryBoard`] picks the mode:
//! - `board` (default): [`view::BoardView`] with four views: the stories
//!   (filters goal/team/tag/period, sorts, grouping, applause, Feature for
//!   moderators, CSV download), the impact ([`impact_view`]: per goal and
//!   unit, SVG charts with tables, printable goal summary), the review queue
//!   (moderators, from `GET /me`) and the submit form;
//! - `submit`: only [`form::SubmitForm`] (drafts, outbox, metric rows, field
//!   errors, `km-story-submitted`);
//! - `ticker`: [`ticker::Ticker`], the rotating latest success.
//!
//! Plain logic (grouping, periods, the form's values, chart geometry, the
//! ticker's turn) is in [`model`]; HTTP paths in [`api`].
//!
//! Attributes: `mode`, `limit` (1–50, default 6), `goal` (goal id), `team`.
//! Parts: `root`, `header`, `title`, `tab`, `list`, `item`, `card`,
//! `item-title`, `badge`, `featured`, `waiting`, `metrics`, `metric`,
//! `quote`, `tag`, `evidence`, `button`, `applause`, `feature`, `publish`,
//! `csv`, `input`, `label`, `impact`, `goal`, `table`, `chart`, `print`,
//! `form`, `metric-row`, `add-metric`, `remove-metric`, `field-error`,
//! `submit`, `status`, `thanks`, `pending`, `ticker`, `next`.
//! Custom properties: `--km-story-card-bg`, `--km-story-better`,
//! `--km-story-worse`, `--km-story-bar`, `--km-story-featured` (see
//! [`style::CSS`]). Events: `km-ready`, `km-error`, `km-story-submitted`
//! `{widget, story}`. i18n keys: [`strings::Key`].
//!
//! Tests: `cargo test -p km-story-board` (model, paths and strings,
//! natively); `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p
//! km-story-board --target wasm32-unknown-unknown` (components and the
//! whole widget against a canned `fetch`, in headless Chromium).

pub mod api;
pub mod board;
pub mod card;
pub mod form;
pub mod impact_view;
pub mod model;
pub mod strings;
pub mod style;
pub mod ticker;
pub mod toolbar;
pub mod view;

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "story-board";

/// The widget's own attributes (beside the core's `api`, `lang`, `theme`,
/// `community`); the loader forwards exactly these (a test in the bundle
/// crate checks its list).
pub const ATTRS: &[&str] = &["mode", "limit", "goal", "team"];

km_widgets_core::lazy_fn! {
    story_board;
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
    view! { <view::StoryBoard/> }.into_any()
}
