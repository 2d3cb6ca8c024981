//! Intros: the ones I received (accept or dismiss; once accepted, the
//! other's contact) and the ones I sent (their status, the contact once
//! accepted).

use km_protocol::matches::{Intro, IntroStatus};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::ui::{Empty, report_error};
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api::{answer_intro, delete_intro};
use crate::strings::Key;

/// The words of an intro's status.
pub fn status_key(s: IntroStatus) -> Key {
    match s {
        IntroStatus::Pending => Key::StatusPending,
        IntroStatus::Accepted => Key::StatusAccepted,
        IntroStatus::Dismissed => Key::StatusDismissed,
    }
}

/// "Contact: " and a link that writes an email to `address`.
#[component]
pub fn Contact(
    /// The email address.
    address: String,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let href = format!("mailto:{address}");
    view! { {tr(lang, Key::Contact)} ": " <a href=href part="contact-link">{address}</a> }
}

/// Received and sent intros.
#[component]
pub fn Inbox(
    /// Intros I received, newest first.
    incoming: Vec<Intro>,
    /// Intros I sent, newest first.
    outgoing: Vec<Intro>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let in_id = ctx.dom_id("incoming");
    let out_id = ctx.dom_id("outgoing");
    let has_out = !outgoing.is_empty();
    if incoming.is_empty() && outgoing.is_empty() {
        return view! { <Empty message=Signal::derive(move || Key::IntrosEmpty.get(lang.get()).to_owned())/> }
            .into_any();
    }
    view! {
        {(!incoming.is_empty()).then(|| view! {
            <h3 id=in_id.clone()>{tr(lang, Key::Incoming)}</h3>
            <ul class="km-list pm-intros" part="list incoming" aria-labelledby=in_id.clone()>
                {incoming.into_iter().map(|i| view! { <IntroItem intro=i incoming=true/> }).collect::<Vec<_>>()}
            </ul>
        })}
        {has_out.then(|| view! {
            <h3 id=out_id.clone()>{tr(lang, Key::Outgoing)}</h3>
            <ul class="km-list pm-intros" part="list outgoing" aria-labelledby=out_id.clone()>
                {outgoing.into_iter().map(|i| view! { <IntroItem intro=i incoming=false/> }).collect::<Vec<_>>()}
            </ul>
        })}
    }
    .into_any()
}

/// One intro. A pending one I received has Accept and Dismiss.
#[component]
pub fn IntroItem(
    /// The intro.
    intro: Intro,
    /// Whether I received it (else I sent it).
    incoming: bool,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let current = RwSignal::new(intro);
    let busy = RwSignal::new(false);
    let answer = move |accept: bool| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let id = current.with_untracked(|i| i.id.clone());
        leptos::task::spawn_local(async move {
            let result = answer_intro(&api, &id, accept).await;
            if busy.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(i) => {
                    let words = if accept {
                        fill(
                            Key::AcceptedAnnounce.get(lang.get_untracked()),
                            &[("name", &i.from.name)],
                        )
                    } else {
                        Key::StatusDismissed.get(lang.get_untracked()).to_owned()
                    };
                    current.set(i);
                    ctx.announcer.say(words);
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let title = move || {
        current.with(|i| {
            if incoming {
                fill(Key::IntroFrom.get(lang.get()), &[("name", &i.from.name)])
            } else {
                fill(Key::IntroTo.get(lang.get()), &[("name", &i.to.name)])
            }
        })
    };
    let deleted = RwSignal::new(false);
    let remove = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let id = current.with_untracked(|i| i.id.clone());
        leptos::task::spawn_local(async move {
            match delete_intro(&api, &id).await {
                Ok(()) => {
                    if deleted.try_set(true).is_none() {
                        ctx.announcer
                            .say(Key::IntroDeleted.get(lang.get_untracked()));
                    }
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let message = current.with_untracked(|i| i.message.clone());
    view! {
        <li class="pm-intro" part="item intro" hidden=move || deleted.get()>
            <p class="pm-intro-title" part="item-title">{title}</p>
            {(!message.trim().is_empty()).then(|| view! { <p class="pm-why" part="message">{message}</p> })}
            <p class="km-status" part="status intro-status">{move || status_key(current.with(|i| i.status)).get(lang.get())}</p>
            {move || current.with(|i| i.contact.clone()).map(|c| view! { <p part="contact"><Contact address=c/></p> })}
            <div class="pm-actions">
                {move || (incoming && current.with(|i| i.status == IntroStatus::Pending)).then(|| view! {
                    <button type="button" class="km-btn" part="button accept" on:click=move |_| answer(true)>
                        {tr(lang, Key::Accept)}
                    </button>
                    <button type="button" class="km-btn km-btn-secondary" part="button dismiss" on:click=move |_| answer(false)>
                        {tr(lang, Key::Dismiss)}
                    </button>
                })}
                <button type="button" class="km-btn-link" part="button delete-intro" on:click=remove>
                    {tr(lang, Key::DeleteIntro)}
                </button>
            </div>
        </li>
    }
}
