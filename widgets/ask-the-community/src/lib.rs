//! km-ask-the-community: the ask-the-community widget, urgent questions
//! answered by peers.
//!
//! It sits in the bundle beside the other widgets; `src/lib.rs` mounts it
//! through [`spec`]. `mode="full"` (the default, [`view::Browse`]) lists
//! questions (newest, unanswered, urgent, most active; mine, followed,
//! invited; a ranked search; "more" pages), opens one question with its
//! answers ([`detail`]: votes, follow, accept, the answer form, colleagues
//! to invite, polled while the page is visible; [`question_tools`]: the
//! asker edits and retags, moderators hide, close as duplicate, retag and
//! read the change log), and asks ([`ask_form`], with the fields it
//! shares with the question editor in [`question_fields`]:
//! similar questions while typing, urgency, anonymous asking, drafts and
//! the outbox, `km-prefill`). `mode="ask"` is only the form;
//! `mode="unanswered"` a compact list. Everything reads in the reader's
//! language (en, nl).
//!
//! Attributes: `mode`, `limit` (1–50, default 10; 5 in `unanswered`),
//! `tag` (only questions with this tag). Parts, custom properties and
//! events are listed in docs/EMBEDDING.md (section ask-the-community); events:
//! `km-ready`, `km-error`, `km-question-asked`, `km-answer-accepted`.
//! i18n keys: [`strings::Key`].
//!
//! Tests: `cargo test -p km-ask-the-community` (model and strings,
//! natively); `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p
//! km-ask-the-community --target wasm32-unknown-unknown` (views in headless
//! Chromium).

pub mod answer_tools;
pub mod api;
pub mod ask_form;
pub mod detail;
pub mod model;
pub mod question_fields;
pub mod question_list;
pub mod question_tools;
mod refocus;
pub mod strings;
pub mod style;
pub mod view;

use km_widgets_core::WidgetSpec;
use leptos::prelude::*;

/// The kind name the loader uses.
pub const KIND: &str = "ask-the-community";

/// The widget's own attributes (beside the core's `api`, `lang`, `theme`,
/// `community`); the loader forwards exactly these (a test in the bundle
/// crate checks its list).
pub const ATTRS: &[&str] = &["mode", "limit", "tag"];

km_widgets_core::lazy_fn! {
    ask_the_community;
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
    view! { <view::AskTheCommunity/> }.into_any()
}
