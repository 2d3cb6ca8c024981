//! Autosave: a form that saves itself. Every change is kept as a local draft
//! at once and sent after a short pause; a save the network lost is retried
//! with the outbox's backoff and when the browser is back online, and the
//! draft survives a reload until the server has that very version. Field
//! errors from local validation or a 422 land in [`Autosave::errors`].
//!
//! The widget owns the form's fields and calls [`Autosave::changed`] after
//! each edit; [`SaveStatus`] shows where the save stands, with "Try again"
//! where that helps. Used by passion-match's editor of my passions.

use std::future::Future;

use km_protocol::Validate;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use crate::api::{Api, ApiError};
use crate::drafts::use_draft_value;
use crate::i18n::{CoreKey, t};
use crate::mount::use_widget;
use crate::outbox::retry_delay_ms;
use crate::storage::random_uuid;
use crate::ui::{FormErrors, report_error};

/// Pause after the last change before saving.
pub const SAVE_DELAY_MS: u32 = 700;

/// Where a form's save stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing changed since loading.
    Idle,
    /// Changed; the save starts after a pause.
    Unsaved,
    /// The server is being asked.
    Saving,
    /// The server has it.
    Saved,
    /// The network failed; kept on this device and retried.
    Queued,
    /// Local or server validation refused it (see the fields).
    Refused,
    /// The server refused it for another reason.
    Failed(ApiError),
}

/// What [`use_autosave`] returns (`Copy`, like the signals inside it).
pub struct Autosave<T: Send + Sync + 'static> {
    /// The form; edit it, then call [`Autosave::changed`].
    pub form: RwSignal<T>,
    /// Where the save stands.
    pub state: RwSignal<SaveState>,
    /// Field errors of the last refusal.
    pub errors: FormErrors,
    /// Whether an unsaved draft was restored at creation (it is being sent).
    pub restored: bool,
    changed: Callback<()>,
    save_now: Callback<()>,
    reset: Callback<T>,
}

impl<T: Send + Sync + 'static> Clone for Autosave<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Autosave<T> {}

impl<T: Send + Sync + 'static> Autosave<T> {
    /// After every edit of the form: keep it as a draft now, save after a pause.
    pub fn changed(&self) {
        self.changed.run(());
    }

    /// Saves now (the "Try again" button).
    pub fn save_now(&self) {
        self.save_now.run(());
    }

    /// Replaces the form with `value` as the server has it (after deleting,
    /// say): forgets the draft and any pending save.
    pub fn reset(&self, value: T) {
        self.reset.run(value);
    }
}

/// An autosaving form of the current widget. `draft` names its draft;
/// `loaded` is the form of what the server has (a stored draft wins);
/// `save` sends a version with an `Idempotency-Key`; `on_saved` hears the
/// server's answer after each save.
pub fn use_autosave<T, R, Fut>(
    draft: &str,
    loaded: T,
    save: impl Fn(Api, T, String) -> Fut + 'static,
    on_saved: impl Fn(R) + 'static,
) -> Autosave<T>
where
    T: Validate + Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
    R: 'static,
    Fut: Future<Output = Result<R, ApiError>> + 'static,
{
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    // `Some` from the first change until the server confirmed that version.
    let unsaved = use_draft_value::<Option<T>>(draft);
    let restored = unsaved.value.with_untracked(Option::is_some);
    let form = RwSignal::new(unsaved.value.get_untracked().unwrap_or(loaded));
    let state = RwSignal::new(SaveState::Idle);
    let errors = FormErrors::new();
    // Edits so far: a save answered for an older edit leaves the draft.
    let edits = StoredValue::new(0u64);
    let again = StoredValue::new(false);
    let failures = StoredValue::new(0u32);
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let save = StoredValue::new_local(save);
    let on_saved = StoredValue::new_local(on_saved);
    let run: StoredValue<Option<Callback<()>>> = StoredValue::new(None);
    let schedule = move |ms: u32| {
        let t = gloo_timers::callback::Timeout::new(ms, move || {
            if let Some(Some(cb)) = run.try_get_value() {
                cb.run(());
            }
        });
        timer.set_value(Some(t));
    };
    let save_now = Callback::new(move |_: ()| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        if state.get_untracked() == SaveState::Saving {
            again.set_value(true);
            return;
        }
        let body = form.get_untracked();
        if let Err(e) = body.validate() {
            errors.0.set(e);
            state.set(SaveState::Refused);
            return;
        }
        let sent = edits.get_value();
        state.set(SaveState::Saving);
        let fut = save.with_value(|f| f(api, body, random_uuid()));
        leptos::task::spawn_local(async move {
            let result = fut.await;
            if state.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            match result {
                Ok(answer) => {
                    failures.set_value(0);
                    errors.0.set(Vec::new());
                    if edits.get_value() == sent {
                        unsaved.value.set(None);
                        state.set(SaveState::Saved);
                        ctx.announcer.say(t(lang.get_untracked(), CoreKey::Saved));
                    } else {
                        state.set(SaveState::Unsaved);
                        schedule(SAVE_DELAY_MS);
                    }
                    on_saved.with_value(|f| f(answer));
                }
                Err(e) if e.is_transient() => {
                    failures.update_value(|n| *n += 1);
                    state.set(SaveState::Queued);
                    schedule(retry_delay_ms(failures.get_value()) as u32);
                }
                Err(e) if e.status() == 422 => {
                    errors.set_from_api(&e);
                    state.set(SaveState::Refused);
                    ctx.announcer
                        .say(t(lang.get_untracked(), CoreKey::SaveRefused));
                }
                Err(e) => {
                    report_error(ctx, &e);
                    state.set(SaveState::Failed(e));
                }
            }
            if again.get_value() {
                again.set_value(false);
                schedule(0);
            }
        });
    });
    run.set_value(Some(save_now));
    let changed = Callback::new(move |_: ()| {
        edits.update_value(|n| *n += 1);
        unsaved.value.set(Some(form.get_untracked()));
        if state.get_untracked() != SaveState::Saving {
            state.set(SaveState::Unsaved);
        }
        schedule(SAVE_DELAY_MS);
    });
    let reset = Callback::new(move |value: T| {
        timer.set_value(None);
        edits.update_value(|n| *n += 1);
        form.set(value);
        unsaved.value.set(None);
        errors.0.set(Vec::new());
        state.set(SaveState::Idle);
    });
    // Back online: a queued save goes now, whatever the backoff said.
    let online = window_event_listener(leptos::ev::online, move |_| {
        if state.get_untracked() == SaveState::Queued {
            save_now.run(());
        }
    });
    on_cleanup(move || online.remove());
    if restored {
        schedule(0);
    }
    Autosave {
        form,
        state,
        errors,
        restored,
        changed,
        save_now,
        reset,
    }
}

/// Where an [`Autosave`] stands, in words (a polite status; the announcer
/// speaks "Saved" and refusals), with "Try again" after a failure.
#[component]
pub fn SaveStatus<T: Send + Sync + 'static>(
    /// The form whose save this shows.
    autosave: Autosave<T>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let state = autosave.state;
    let status = move || {
        let l = lang.get();
        let (part, key) = match state.get() {
            SaveState::Idle => return None,
            SaveState::Unsaved => ("status unsaved", CoreKey::Unsaved),
            SaveState::Saving => ("status saving", CoreKey::Saving),
            SaveState::Saved => {
                return Some(("status saved", format!("✓ {}", t(l, CoreKey::Saved))));
            }
            SaveState::Queued => ("status pending", CoreKey::SaveQueued),
            SaveState::Refused => ("status refused", CoreKey::SaveRefused),
            SaveState::Failed(e) => return Some(("status refused", e.message(l))),
        };
        Some((part, t(l, key).to_owned()))
    };
    view! {
        <p class="km-status km-save-state" part=move || status().map(|s| s.0).unwrap_or("status")>
            {move || status().map(|s| s.1)}
        </p>
        {move || matches!(state.get(), SaveState::Failed(_) | SaveState::Queued).then(|| view! {
            <button type="button" class="km-btn-secondary km-btn" part="button retry" on:click=move |_| autosave.save_now()>
                {move || t(lang.get(), CoreKey::Retry)}
            </button>
        })}
    }
}
