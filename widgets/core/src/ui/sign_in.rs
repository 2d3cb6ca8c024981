//! Signing in and out through the backend ([`crate::session`]): the
//! signed-out note with its "Sign in with …" button, and the line every
//! widget shows while someone is signed in that way.

use leptos::prelude::*;

use crate::api::Api;
use crate::auth;
use crate::config::identity_epoch;
use crate::i18n::{CoreKey, fill, t};
use crate::mount::use_widget;
use crate::session::{self, PopupResult};

// Where the sign-in popup is, as a `RwSignal<u32>` (a type the bundle has
// already: a signal of a new type of its own costs kilobytes of wasm).
const IDLE: u32 = 0;
const WAITING: u32 = 1;
const BLOCKED: u32 = 2;
const FAILED: u32 = 3;

/// A signed-out note (`part="note sign-in"`): `message` ("Sign in to add
/// your passions") and, when the page has no token of its own and the
/// backend offers sign-in, a "Sign in with <organization>" button that
/// opens the popup. Once signed in every widget of the page follows, and
/// focus moves to this widget's heading.
#[component]
pub fn SignInNote(
    /// What signing in is for (reactive, so it follows the language).
    #[prop(into)]
    message: Signal<String>,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    // Where the popup starts ("": no sign-in offered) and the organization.
    let url = RwSignal::new(String::new());
    let org = RwSignal::new(String::new());
    Effect::new(move |_| {
        let api = Api::from_config(&cfg);
        leptos::task::spawn_local(async move {
            let info = if auth::has_portal_token() {
                None
            } else {
                session::auth_info(&api).await.filter(|i| i.oidc)
            };
            let info = info.unwrap_or(km_protocol::sign_in::AuthInfo {
                oidc: false,
                organization: None,
                sign_in_url: None,
            });
            url.try_set(info.sign_in_url.unwrap_or_default());
            org.try_set(info.organization.unwrap_or_default());
        });
    });
    let popup = RwSignal::new(IDLE);
    let why = RwSignal::new(String::new());
    let status_id = ctx.dom_id("sign-in-status");
    let open = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let opened = session::open_popup(&api, &url.get_untracked(), move |result| {
            popup.try_set(match result {
                PopupResult::SignedIn(s) => {
                    let lang = lang.try_get_untracked().unwrap_or_default();
                    ctx.announcer.say(signed_in_as(lang, s.name()));
                    ctx.focus_heading();
                    IDLE
                }
                PopupResult::Failed(message) => {
                    why.try_set(message.unwrap_or_default());
                    FAILED
                }
                PopupResult::Closed => IDLE,
            });
        });
        popup.set(if opened { WAITING } else { BLOCKED });
    };
    let status = move || {
        let lang = lang.get();
        match popup.get() {
            WAITING => t(lang, CoreKey::SignInWaiting).to_owned(),
            BLOCKED => t(lang, CoreKey::SignInBlocked).to_owned(),
            FAILED => format!("{} {}", t(lang, CoreKey::SignInFailed), why.get()),
            _ => String::new(),
        }
    };
    let label = move || {
        let lang = lang.get();
        org.with(|o| {
            if o.is_empty() {
                t(lang, CoreKey::SignIn).to_owned()
            } else {
                fill(t(lang, CoreKey::SignInWith), &[("org", o)])
            }
        })
    };
    let described_by = status_id.clone();
    view! {
        <div class="km-note km-sign-in" part="note sign-in">
            <p>{move || message.get()}</p>
            <button type="button" class="km-btn" part="button sign-in"
                hidden=move || url.with(String::is_empty)
                aria-describedby=described_by
                on:click=open>
                {label}
            </button>
            <p id=status_id class="km-sign-in-status" role="status">{status}</p>
        </div>
    }
}

/// "Signed in as Anna de Vries", or "Signed in" without a name.
fn signed_in_as(lang: crate::config::Lang, name: Option<String>) -> String {
    match name {
        Some(name) => fill(t(lang, CoreKey::SignedInAs), &[("name", &name)]),
        None => t(lang, CoreKey::SignedIn).to_owned(),
    }
}

/// "Signed in as … · Sign out" (`part="session"`), while the person is
/// signed in through the backend (never with a token the page brings).
#[component]
pub fn SessionBar() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    session::follow_other_tabs();
    // Read again whenever the identity changes (sign-in, sign-out, a refresh
    // that failed, another tab): `None` = no session of the backend's here.
    let who = move || {
        let _ = identity_epoch();
        let base = cfg.api.get();
        if auth::has_portal_token() {
            return None;
        }
        session::load(&base).map(|s| s.name())
    };
    let sign_out = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        leptos::task::spawn_local(async move {
            session::sign_out(&api).await;
            if let Some(lang) = lang.try_get_untracked() {
                ctx.announcer.say(t(lang, CoreKey::SignedOut));
                ctx.focus_heading();
            }
        });
    };
    move || {
        who().map(|name| {
            view! {
                <p class="km-session" part="session">
                    <span>{move || signed_in_as(lang.get(), name.clone())}</span>
                    <button type="button" class="km-btn km-btn-secondary" part="button sign-out"
                        on:click=sign_out>
                        {move || t(lang.get(), CoreKey::SignOut)}
                    </button>
                </p>
            }
        })
    }
}
