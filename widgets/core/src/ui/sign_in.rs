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

/// Where the sign-in popup is.
#[derive(Debug, Clone, PartialEq)]
enum Popup {
    Idle,
    Waiting,
    Blocked,
    Failed(Option<String>),
}

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
    let offer = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        async move {
            if auth::has_portal_token() {
                return None;
            }
            let info = session::auth_info(&api).await.filter(|i| i.oidc)?;
            Some((info.sign_in_url?, info.organization))
        }
    });
    let popup = RwSignal::new(Popup::Idle);
    let status_id = ctx.dom_id("sign-in-status");
    let open = move |url: &str| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let opened = session::open_popup(&api, url, move |result| match result {
            PopupResult::SignedIn(s) => {
                popup.try_set(Popup::Idle);
                let lang = lang.try_get_untracked().unwrap_or_default();
                ctx.announcer.say(signed_in_as(lang, s.name()));
                ctx.focus_heading();
            }
            PopupResult::Failed(why) => {
                popup.try_set(Popup::Failed(why));
            }
            PopupResult::Closed => {
                popup.try_set(Popup::Idle);
            }
        });
        popup.set(if opened {
            Popup::Waiting
        } else {
            Popup::Blocked
        });
    };
    let status = move || {
        let lang = lang.get();
        match popup.get() {
            Popup::Idle => String::new(),
            Popup::Waiting => t(lang, CoreKey::SignInWaiting).to_owned(),
            Popup::Blocked => t(lang, CoreKey::SignInBlocked).to_owned(),
            Popup::Failed(why) => match why {
                Some(why) => format!("{} {why}", t(lang, CoreKey::SignInFailed)),
                None => t(lang, CoreKey::SignInFailed).to_owned(),
            },
        }
    };
    let described_by = status_id.clone();
    view! {
        <div class="km-note km-sign-in" part="note sign-in">
            <p>{move || message.get()}</p>
            {move || offer.get().flatten().map(|(url, org)| {
                let described_by = described_by.clone();
                let label = move || match &org {
                    Some(org) => fill(t(lang.get(), CoreKey::SignInWith), &[("org", org)]),
                    None => t(lang.get(), CoreKey::SignIn).to_owned(),
                };
                view! {
                    <button type="button" class="km-btn" part="button sign-in"
                        aria-describedby=described_by
                        on:click=move |_| open(&url)>
                        {label}
                    </button>
                }
            })}
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
    let who = Memo::new(move |_| {
        let _ = identity_epoch();
        let base = cfg.api.get();
        if auth::has_portal_token() {
            return None;
        }
        session::load(&base).map(|s| s.name())
    });
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
        who.get().map(|name| {
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
