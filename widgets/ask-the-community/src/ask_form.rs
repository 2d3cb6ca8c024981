//! The ask form: title (similar questions appear while typing), details in
//! the markdown subset, tags, urgency with a need-by date, anonymous
//! asking. Title, details and tags are drafts (nothing typed is lost); the
//! question goes through the outbox with an Idempotency-Key. Another
//! widget's `km-prefill` (target `ask-the-community`) fills it.

use km_protocol::questions::{Question, QuestionSummary};
use km_widgets_core::events::Prefill;
use km_widgets_core::i18n::{CoreKey, fill, t, tr, tr_signal};
use km_widgets_core::outbox::{Outbox, OutboxEntry, RawJson, SubmitOutcome};
use km_widgets_core::ui::{ErrorState, SignInNote, is_signed_out};
use km_widgets_core::{
    Api, ApiError, HttpMethod, Translate, WidgetContext, use_outbox, use_widget,
};
use leptos::prelude::*;

use crate::api::{QUESTIONS_PATH, similar};
use crate::model::{SIMILAR_DEBOUNCE_MS, SIMILAR_MIN_CHARS};
use crate::question_fields::{QuestionFields, QuestionInputs};
use crate::question_list::TitleList;
use crate::strings::Key;

/// Where a submission stands.
#[derive(Debug, Clone, PartialEq)]
pub enum AskStatus {
    /// Nothing happening.
    Idle,
    /// Waiting for the server.
    Sending,
    /// Offline: the question waits in the outbox.
    Queued,
    /// The server wants an identity.
    SignedOut,
    /// Refused for a reason that is not a field's.
    Failed(ApiError),
}

/// The form's state (kept by the widget, so switching screens or a
/// `km-prefill` never loses what was typed).
#[derive(Clone, Copy)]
pub struct AskState {
    fields: QuestionFields,
    anonymous: RwSignal<bool>,
    status: RwSignal<AskStatus>,
    similar: RwSignal<Vec<QuestionSummary>>,
    timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
    /// The widget's one outbox (questions and answers).
    pub outbox: Outbox,
    /// Bumped whenever a queued write reaches the server (answers too).
    pub delivered_tick: RwSignal<u32>,
    ctx: WidgetContext,
    asked: StoredValue<Option<Callback<Question>>>,
}

/// The ask form's state and the widget's outbox; `on_asked` hears about
/// questions the server took (also ones the outbox delivers later).
pub fn use_ask_state(on_asked: Option<Callback<Question>>) -> AskState {
    let ctx = use_widget();
    let asked = StoredValue::new(on_asked);
    let cell: StoredValue<Option<AskState>, LocalStorage> = StoredValue::new_local(None);
    let outbox = use_outbox(move |entry, result| {
        if let Some(Some(s)) = cell.try_get_value() {
            s.delivered(entry, result);
        }
    });
    let s = AskState {
        fields: QuestionFields::new(""),
        anonymous: RwSignal::new(false),
        status: RwSignal::new(AskStatus::Idle),
        similar: RwSignal::new(Vec::new()),
        timer: StoredValue::new_local(None),
        outbox,
        delivered_tick: RwSignal::new(0),
        ctx,
        asked,
    };
    cell.set_value(Some(s));
    s
}

impl AskState {
    fn alive(&self) -> bool {
        self.status.try_get_untracked().is_some()
    }

    fn lang(&self) -> km_widgets_core::Lang {
        self.ctx.config.lang.get_untracked()
    }

    /// Fills the form from a `km-prefill`.
    pub fn prefill(&self, p: Prefill) {
        self.fields.fill(p.title, p.body, p.tags);
        self.look_up_similar();
    }

    /// Looks up similar questions once the title rests.
    fn look_up_similar(&self) {
        let s = *self;
        let title = s.fields.title.value.get_untracked();
        if title.trim().chars().count() < SIMILAR_MIN_CHARS {
            s.timer.set_value(None);
            s.similar.set(Vec::new());
            return;
        }
        let Some(api) = Api::from_config_untracked(&s.ctx.config) else {
            return;
        };
        let timer = gloo_timers::callback::Timeout::new(SIMILAR_DEBOUNCE_MS, move || {
            leptos::task::spawn_local(async move {
                // A failed lookup only means no hints: the form still works.
                let found = similar(&api, &title).await.unwrap_or_default();
                if !s.alive() || s.fields.title.value.get_untracked() != title {
                    return;
                }
                if !found.is_empty() && s.similar.with_untracked(|v| v.len()) != found.len() {
                    s.ctx.announcer.say(fill(
                        Key::SimilarFound.get(s.lang()),
                        &[("n", &found.len().to_string())],
                    ));
                }
                s.similar.set(found);
            });
        });
        s.timer.set_value(Some(timer));
    }

    fn reset(&self) {
        self.fields.clear();
        self.anonymous.set(false);
        self.similar.set(Vec::new());
    }

    /// Validates and submits through the outbox.
    fn submit(self) {
        if self.status.get_untracked() == AskStatus::Sending {
            return;
        }
        let Some(new) = self.fields.checked(self.anonymous.get_untracked()) else {
            return;
        };
        self.status.set(AskStatus::Sending);
        let label: String = new.title.chars().take(60).collect();
        let s = self;
        leptos::task::spawn_local(async move {
            let outcome = s
                .outbox
                .submit(HttpMethod::Post, QUESTIONS_PATH, &new, &label)
                .await;
            if !s.alive() {
                return;
            }
            match outcome {
                SubmitOutcome::Sent(v) => {
                    s.reset();
                    s.status.set(AskStatus::Idle);
                    s.asked_ok(v);
                }
                SubmitOutcome::Queued => {
                    s.reset();
                    s.status.set(AskStatus::Queued);
                    s.ctx.announcer.say(t(s.lang(), CoreKey::QueuedAnnounce));
                }
                SubmitOutcome::Rejected(e) => s.rejected(e),
            }
        });
    }

    fn asked_ok(&self, v: RawJson) {
        self.ctx.announcer.say(Key::Asked.get(self.lang()));
        self.ctx
            .emit("km-question-asked", &[("question", v.to_js())]);
        if let (Some(cb), Ok(q)) = (self.asked.get_value(), v.decode::<Question>()) {
            cb.run(q);
        }
    }

    fn rejected(&self, e: ApiError) {
        if is_signed_out(&e) {
            self.status.set(AskStatus::SignedOut);
            self.ctx.announcer.say(Key::SignIn.get(self.lang()));
            return;
        }
        if self.fields.server_errors(&e) {
            self.status.set(AskStatus::Idle);
        } else {
            self.status.set(AskStatus::Failed(e));
        }
    }

    fn delivered(&self, entry: &OutboxEntry, result: Result<RawJson, ApiError>) {
        if !self.alive() {
            return;
        }
        self.delivered_tick.update(|n| *n += 1);
        if entry.path != QUESTIONS_PATH {
            return;
        }
        if self.status.get_untracked() == AskStatus::Queued {
            self.status.set(AskStatus::Idle);
        }
        match result {
            Ok(v) => self.asked_ok(v),
            Err(e) => {
                // Nothing typed is lost: a refused question comes back.
                if self
                    .fields
                    .title
                    .value
                    .with_untracked(|t| t.trim().is_empty())
                {
                    let text = |k: &str| entry.body.text_field(k).unwrap_or_default();
                    self.fields.title.value.set(text("title"));
                    self.fields.body.value.set(text("body"));
                }
                self.rejected(e);
            }
        }
    }
}

/// The form.
#[component]
pub fn AskForm(
    /// The form's state.
    state: AskState,
    /// Opens a similar question (they are plain text when absent).
    #[prop(optional, into)]
    on_open: Option<Callback<String>>,
    /// Closes the form (no Cancel button when absent).
    #[prop(optional, into)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let s = state;
    let id = |n: &str| ctx.dom_id(n);
    let (anon_id, similar_id, heading_id) = (id("anonymous"), id("similar"), id("ask-heading"));
    let labelled_by = heading_id.clone();
    let sending = move || s.status.get() == AskStatus::Sending;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        s.submit();
    };
    let similar_list = move || {
        let items = s.similar.get();
        (!items.is_empty()).then(|| {
            view! {
                <div class="ac-similar" part="similar" id=similar_id.clone()>
                    <p class="km-label">{tr(lang, Key::SimilarHeading)}</p>
                    <TitleList items=items item_part="similar-item" on_pick=on_open/>
                </div>
            }
        })
    };
    view! {
        <form class="ac-form" part="form" novalidate aria-labelledby=labelled_by on:submit=submit>
            <h3 id=heading_id>{tr(lang, Key::AskHeading)}</h3>
            {s.fields.restored().then(|| view! {
                <p class="km-status" part="status restored">{tr(lang, CoreKey::DraftRestored)}</p>
            })}
            <QuestionInputs fields=s.fields on_title=Callback::new(move |_| s.look_up_similar())>
                {similar_list}
            </QuestionInputs>
            <div class="km-field ac-check">
                <input id=anon_id.clone() type="checkbox" part="input anonymous"
                    prop:checked=move || s.anonymous.get()
                    on:change=move |ev| s.anonymous.set(event_target_checked(&ev))/>
                <label for=anon_id>{tr(lang, Key::AnonymousLabel)}</label>
            </div>
            <div class="ac-actions">
                <button type="submit" class="km-btn" part="button ask"
                    aria-disabled=move || sending().then_some("true")>
                    {move || if sending() { t(lang.get(), CoreKey::Saving) } else { Key::Submit.get(lang.get()) }}
                </button>
                {on_cancel.map(|cb| view! {
                    <button type="button" class="km-btn-link" part="button cancel" on:click=move |_| cb.run(())>
                        {tr(lang, Key::Cancel)}
                    </button>
                })}
                {move || {
                    let n = s.outbox.pending.with(Vec::len);
                    (n > 0 && !sending()).then(|| view! {
                        <span class="km-status km-status-pending" part="status pending">
                            {move || km_widgets_core::i18n::plural(lang.get(), n as i64, CoreKey::PendingOne, CoreKey::PendingOther)}
                        </span>
                    })
                }}
            </div>
            {move || match s.status.get() {
                AskStatus::SignedOut => Some(view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> }.into_any()),
                AskStatus::Failed(e) => Some(view! { <ErrorState error=e on_retry=Callback::new(move |_| s.submit())/> }.into_any()),
                _ => None,
            }}
        </form>
    }
}
