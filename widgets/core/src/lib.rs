//! km-widgets-core: the shared runtime of the four km widgets.
//!
//! It sits between the bundle entry (`src/lib.rs`, which exports `mount`,
//! `config_changed` and [`MountHandle`] to the JS loader) and the widget
//! crates (`widgets/<name>`), which build their views from the pieces here:
//!
//! - [`mount`]: mounting into a shadow root, [`MountHandle`], [`WidgetContext`].
//! - [`config`]: the reactive [`WidgetConfig`] and the identity epoch.
//! - [`theme`]: adopted stylesheets, tokens, parts (the styling contract).
//! - [`i18n`] and [`intl`]: typed string tables (en, nl), plurals, and
//!   dates/numbers through the browser's `Intl`.
//! - [`api`]: the JSON client (token, community, timeout, retries, problems).
//! - [`drafts`], [`outbox`] and [`autosave`]: nothing typed is lost.
//! - [`markdown`] and [`ui`]: safe text, states, field errors, tag picker.
//! - [`hooks`]: typed attributes and API-bound resources.
//! - [`lazy`]: code that arrives on first use (`lazy_fn!`, [`LazyPart`]).
//! - [`events`] and [`announce`]: `km-*` events and the live region.
//! - `testing` (feature `testing`, dev-dependencies only): helpers for the
//!   widgets' browser tests.
//!
//! Tests: `cargo test -p km-widgets-core` runs the plain-logic tests natively;
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-widgets-core --target
//! wasm32-unknown-unknown` runs the browser tests in `tests/` in headless
//! Chromium.

pub mod announce;
pub mod api;
pub mod auth;
pub mod autosave;
pub mod config;
pub mod drafts;
pub mod events;
pub mod hooks;
pub mod i18n;
pub mod intl;
pub mod lazy;
pub mod markdown;
pub mod mount;
pub mod outbox;
pub mod session;
pub mod storage;
#[cfg(feature = "testing")]
pub mod testing;
pub mod theme;
pub mod ui;

pub use api::{Api, ApiError, HttpMethod};
pub use autosave::{Autosave, SaveStatus, use_autosave};
pub use config::{CORE_ATTRS, Lang, Theme, WidgetConfig, bump_identity_epoch};
pub use drafts::{use_draft, use_draft_value};
pub use hooks::{FromAttr, Limit, Refresh, use_api_resource, use_attr};
pub use i18n::Translate;
pub use lazy::{LazyPart, LoadError};
pub use mount::{MountHandle, WidgetContext, WidgetSpec, js_error, mount_widget, use_widget};
pub use outbox::{Outbox, SubmitOutcome, use_outbox};
