//! What authors and moderators do to a post: an author edits their answer
//! (the edit is a draft, so a poll that re-renders the question loses
//! nothing); a moderator hides an answer.

use km_protocol::Validate;
use km_protocol::questions::{NewAnswer, Question};
use km_widgets_core::i18n::{CoreKey, t, tr};
use km_widgets_core::ui::{FieldMessage, FormErrors, report_error};
use km_widgets_core::{Api, ApiError, Translate, use_draft, use_widget};
use leptos::prelude::*;

use crate::api;
use crate::strings::Key;

/// The question on screen (updated with the server's answer).
pub type Shown = RwSignal<Option<Result<Question, ApiError>>>;

/// "Edit" for the author of an answer: a textarea with Save and Cancel.
#[component]
pub fn EditAnswer(
    /// The answer's id.
    id: String,
    /// Its current text.
    body: String,
    /// The question on screen.
    q: Shown,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let draft = use_draft(&format!("edit-{id}"));
    // An edit in progress (a stored draft) stays open across re-renders.
    let open = RwSignal::new(draft.restored);
    let errors = FormErrors::new();
    let field_id = ctx.dom_id(&format!("edit-{id}"));
    let err_id = ctx.dom_id(&format!("edit-{id}-error"));
    let aid = StoredValue::new(id);
    let start = move |_| {
        draft.value.set(body.clone());
        open.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewAnswer {
            body: draft.value.get_untracked(),
        };
        if let Err(errs) = new.validate() {
            errors.0.set(errs);
            ctx.announcer
                .say(t(lang.get_untracked(), CoreKey::ErrorValidation));
            return;
        }
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let id = aid.get_value();
        leptos::task::spawn_local(async move {
            match api::edit_answer(&api, &id, &new.body).await {
                Ok(n) => {
                    draft.clear();
                    ctx.announcer.say(t(lang.get_untracked(), CoreKey::Saved));
                    q.try_set(Some(Ok(n)));
                }
                Err(e) => match e.problem().filter(|p| !p.errors.is_empty()) {
                    Some(p) => errors.0.set(p.errors.clone()),
                    None => report_error(ctx, &e),
                },
            }
        });
    };
    let cancel = move |_| {
        draft.clear();
        open.set(false);
    };
    view! {
        {move || if open.get() {
            let (field_id, err_id) = (field_id.clone(), err_id.clone());
            view! {
                <form class="ac-form" part="edit-form" novalidate on:submit=save>
                    <label class="km-label" part="label" for=field_id.clone()>{tr(lang, Key::EditLabel)}</label>
                    <textarea id=field_id class="km-input" part="input edit" rows="4"
                        aria-describedby=err_id.clone()
                        aria-invalid=errors.aria_invalid("body")
                        prop:value=move || draft.value.get()
                        on:input=move |ev| { draft.value.set(event_target_value(&ev)); errors.clear_field("body"); }
                    ></textarea>
                    <FieldMessage errors=errors field="body" id=err_id/>
                    <div class="ac-actions">
                        <button type="submit" class="km-btn" part="button save-edit">{tr(lang, Key::SaveEdit)}</button>
                        <button type="button" class="km-btn-link" part="button cancel" on:click=cancel>{tr(lang, Key::Cancel)}</button>
                    </div>
                </form>
            }.into_any()
        } else {
            let start = start.clone();
            view! {
                <button type="button" class="km-btn-secondary" part="button edit" on:click=start>{tr(lang, Key::Edit)}</button>
            }.into_any()
        }}
    }
}

/// A moderator's "Hide" for an answer (it disappears for everyone).
#[component]
pub fn HideAnswer(
    /// The answer's id.
    id: String,
    /// The question on screen.
    q: Shown,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let on_hide = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match api::hide(&api, true, &id, true).await {
                Ok(n) => {
                    ctx.announcer
                        .say(Key::HiddenAnnounce.get(lang.get_untracked()));
                    q.try_set(Some(Ok(n)));
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    view! {
        <button type="button" class="km-btn-secondary" part="button hide" on:click=on_hide>
            {tr(lang, Key::Hide)}
        </button>
    }
}
