//! The reflection prompt's components. [`ReflectionPrompt`] loads the
//! prompt and saves through the outbox; [`PromptCard`],
//! [`ReflectionEditor`] and [`SavedReflection`] only render what they are
//! given, so browser tests mount them without a server.

use km_protocol::Validate;
use km_protocol::reflections::{Reflection, ReflectionVisibility, TodayPrompt};
use km_widgets_core::drafts::UseDraftReturn;
use km_widgets_core::i18n::{CoreKey, fill, plural, t, tr, tr_signal};
use km_widgets_core::outbox::{Outbox, OutboxEntry, RawJson, SubmitOutcome};
use km_widgets_core::ui::tag_picker::TagPicker;
use km_widgets_core::ui::{
    ErrorState, FieldMessage, FormErrors, Markdown, RelativeTime, SignInNote,
    async_view_or_signed_out, is_signed_out, report_error,
};
use km_widgets_core::{
    Api, ApiError, HttpMethod, Refresh, Translate, WidgetContext, use_api_resource, use_attr,
    use_draft, use_draft_value, use_outbox, use_widget,
};
use leptos::prelude::*;

use crate::api::{REFLECTIONS_PATH, skip, today};
use crate::cards::{PrefillButtons, ShareButtons};
use crate::model::{
    ENERGY_LEVELS, VISIBILITIES, done_key, due_key, is_form_field, new_reflection, outbox_label,
    parse_energy, stage_class, stage_key, visibility_key, visibility_value,
};
use crate::rhythm::Rhythm;
use crate::strings::Key;

/// Where a save stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing happening.
    Idle,
    /// Waiting for the server's first answer.
    Saving,
    /// The network failed; the reflection waits in the outbox.
    Queued,
    /// The server wants an identity (401).
    SignedOut,
    /// The server refused it for a reason that is not a field's.
    Failed(ApiError),
}

/// The form's reactive state. [`ReflectionPrompt`] keeps it outside the
/// prompt's loading, so a language change (which refetches the prompt in
/// the new language) keeps what was typed.
#[derive(Debug, Clone, Copy)]
pub struct EditorState {
    /// The reflection text (a draft, saved while typing).
    pub body: RwSignal<String>,
    /// Energy 1–5, if chosen.
    pub energy: RwSignal<Option<i64>>,
    /// Tags from the shared vocabulary (a draft too).
    pub tags: RwSignal<Vec<String>>,
    /// Who may read it (private by default).
    pub visibility: RwSignal<ReflectionVisibility>,
    /// Field errors, from local validation or the server.
    pub errors: FormErrors,
    /// Where the save stands.
    pub status: RwSignal<SaveStatus>,
}

impl EditorState {
    /// A fresh form around the `body` signal (normally a draft's value).
    pub fn new(body: RwSignal<String>) -> Self {
        EditorState {
            body,
            energy: RwSignal::new(None),
            tags: RwSignal::new(Vec::new()),
            visibility: RwSignal::new(ReflectionVisibility::default()),
            errors: FormErrors::new(),
            status: RwSignal::new(SaveStatus::Idle),
        }
    }
}

/// The widget: today's prompt, the form, and the last saved reflection.
#[component]
pub fn ReflectionPrompt() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let title_id = ctx.dom_id("title");
    let labelled_by = title_id.clone();
    // Bumped after "another prompt" and a rhythm change: the prompt reloads.
    let version = Refresh::new();
    let prompt_set = use_attr::<Option<String>>("prompt-set");
    let prompt = use_api_resource(move |api| {
        let l = lang.get();
        let set = prompt_set.get();
        version.track();
        async move { today(&api, l, set.as_deref()).await }
    });
    let draft = use_draft("body");
    let tags_draft = use_draft_value::<Vec<String>>("tags");
    let mut state = EditorState::new(draft.value);
    state.tags = tags_draft.value;
    let saver = Saver {
        ctx,
        state,
        saved: RwSignal::new(None),
        draft,
        tags_draft,
    };
    let skipping = RwSignal::new(false);
    let on_skip = Callback::new(move |_: ()| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        if skipping.get_untracked() {
            return;
        }
        skipping.set(true);
        let l = lang.get_untracked();
        let set = prompt_set.get_untracked();
        leptos::task::spawn_local(async move {
            let result = skip(&api, l, set.as_deref()).await;
            if skipping.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(_) => version.notify(),
                Err(e) => report_error(ctx, &e),
            }
        });
    });
    let on_rhythm = Callback::new(move |_: ()| version.notify());
    let outbox = use_outbox(move |entry, result| saver.delivered(entry, result));
    let pending = Signal::derive(move || outbox.pending.with(Vec::len));
    let saved = saver.saved;
    view! {
        <section aria-labelledby=labelled_by>
            <header class="km-header" part="header">
                <h2 id=title_id part="title">{tr(lang, Key::Title)}</h2>
            </header>
            {async_view_or_signed_out(
                prompt,
                move || view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> },
                move |today: TodayPrompt| {
                    let prompt_id = today.prompt.id.clone();
                    let on_save = Callback::new(move |_: ()| saver.save(outbox, Some(prompt_id.clone())));
                    view! {
                        <PromptCard today=today on_skip=on_skip/>
                        <ReflectionEditor state=saver.state on_save=on_save restored=draft.restored pending=pending/>
                        <Rhythm on_saved=on_rhythm/>
                    }
                },
            )}
            {move || saved.get().map(|r| view! { <SavedReflection reflection=r on_shared=Callback::new(move |r| saved.set(Some(r)))/> })}
        </section>
    }
}

/// The prompt with its stage, and a note when this period's reflection is done.
#[component]
pub fn PromptCard(
    /// Today's prompt.
    today: TodayPrompt,
    /// "Another prompt"; no button when absent.
    #[prop(optional, into)]
    on_skip: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let stage = today.prompt.stage;
    let cadence = today.cadence;
    view! {
        <div class="rp-prompt" part="prompt">
            <span class=format!("km-badge rp-stage {}", stage_class(stage)) part="badge stage">
                <span class="km-sr-only">{tr(lang, Key::Stage)} " "</span>
                {move || stage_key(stage).get(lang.get())}
            </span>
            <p class="rp-prompt-text" part="prompt-text" id=ctx.dom_id("prompt")>{today.prompt.text}</p>
            {if today.done {
                view! {
                    <p class="km-status km-status-ok" part="status done">
                        <span aria-hidden="true">"✓ "</span>
                        {move || done_key(cadence).get(lang.get())}
                    </p>
                }.into_any()
            } else {
                // The nudge: this period's reflection is still open.
                view! {
                    <p class="km-status rp-due" part="status due">{move || due_key(cadence).get(lang.get())}</p>
                }.into_any()
            }}
            {on_skip.map(|cb| view! {
                <button type="button" class="km-btn-link" part="button skip" on:click=move |_| cb.run(())>
                    {tr(lang, Key::AnotherPrompt)}
                </button>
            })}
        </div>
    }
}

/// The form: the reflection text (labelled, described by the prompt and its
/// error), energy, visibility, and Save with its pending/sign-in/error states.
#[component]
pub fn ReflectionEditor(
    /// The form's state.
    state: EditorState,
    /// Called by Save (the form's submit).
    on_save: Callback<()>,
    /// Whether the text was restored from a draft (shows a note; default no).
    #[prop(optional)]
    restored: bool,
    /// How many reflections wait in the outbox (default none).
    #[prop(optional, into)]
    pending: MaybeProp<usize>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let errors = state.errors;
    let body_id = ctx.dom_id("body");
    let body_err = ctx.dom_id("body-error");
    let body_described = format!("{} {body_err}", ctx.dom_id("prompt"));
    let energy_id = ctx.dom_id("energy");
    let energy_hint = ctx.dom_id("energy-hint");
    let energy_err = ctx.dom_id("energy-error");
    let energy_described = format!("{energy_hint} {energy_err}");
    let radio_name = ctx.dom_id("visibility");
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let energy_ref = NodeRef::<leptos::html::Select>::new();
    let saving = move || state.status.get() == SaveStatus::Saving;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save.run(());
        // Local validation answers at once: take the person to the field.
        if errors.0.with_untracked(|v| !v.is_empty()) {
            let has = |f: &str| {
                errors.0.with_untracked(|v| {
                    v.iter()
                        .any(|e| km_widgets_core::ui::fields::field_matches(&e.field, f))
                })
            };
            if has("body") {
                if let Some(el) = body_ref.get_untracked() {
                    let _ = el.focus();
                }
            } else if has("energy")
                && let Some(el) = energy_ref.get_untracked()
            {
                let _ = el.focus();
            }
        }
    };
    let radios = VISIBILITIES
        .iter()
        .map(|&v| {
            let name = radio_name.clone();
            view! {
                <label class="rp-radio">
                    <input
                        type="radio"
                        name=name
                        value=visibility_value(v)
                        prop:checked=move || state.visibility.get() == v
                        on:change=move |_| state.visibility.set(v)
                    />
                    <span>{move || visibility_key(v).get(lang.get())}</span>
                </label>
            }
        })
        .collect::<Vec<_>>();
    let energy_options = ENERGY_LEVELS
        .iter()
        .map(|&n| {
            view! {
                <option value=n.to_string() prop:selected=move || state.energy.get() == Some(n)>
                    {n}
                </option>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <form class="rp-form" part="form" novalidate on:submit=submit>
            {restored.then(|| view! {
                <p class="km-status" part="status restored">{tr(lang, CoreKey::DraftRestored)}</p>
            })}
            <div class="km-field">
                <label class="km-label" part="label" for=body_id.clone()>
                    {tr(lang, Key::BodyLabel)}
                </label>
                <textarea
                    id=body_id
                    node_ref=body_ref
                    class="km-input"
                    part="input body"
                    rows="5"
                    aria-describedby=body_described
                    aria-invalid=errors.aria_invalid("body")
                    prop:value=move || state.body.get()
                    on:input=move |ev| {
                        state.body.set(event_target_value(&ev));
                        errors.clear_field("body");
                    }
                ></textarea>
                <FieldMessage errors=errors field="body" id=body_err/>
            </div>
            <div class="km-field">
                <label class="km-label" part="label" for=energy_id.clone()>
                    {tr(lang, Key::EnergyLabel)}
                </label>
                <select
                    id=energy_id
                    node_ref=energy_ref
                    class="km-input"
                    part="input energy"
                    aria-describedby=energy_described
                    aria-invalid=errors.aria_invalid("energy")
                    on:change=move |ev| {
                        state.energy.set(parse_energy(&event_target_value(&ev)));
                        errors.clear_field("energy");
                    }
                >
                    <option value="" prop:selected=move || state.energy.get().is_none()>
                        {tr(lang, Key::EnergyNone)}
                    </option>
                    {energy_options}
                </select>
                <p class="km-muted" id=energy_hint>{tr(lang, Key::EnergyHint)}</p>
                <FieldMessage errors=errors field="energy" id=energy_err/>
            </div>
            <div class="km-field">
                <TagPicker tags=state.tags errors=errors/>
            </div>
            <fieldset class="rp-visibility" part="visibility">
                <legend class="km-label">{tr(lang, Key::VisibilityLegend)}</legend>
                {radios}
            </fieldset>
            <div class="rp-actions">
                // aria-disabled, not disabled: the button keeps focus while
                // saving (a second press is ignored by the saver).
                <button
                    type="submit"
                    class="km-btn"
                    part="button save"
                    aria-disabled=move || saving().then_some("true")
                >
                    {move || if saving() { t(lang.get(), CoreKey::Saving) } else { Key::Save.get(lang.get()) }}
                </button>
                {move || {
                    // While the first attempt runs the entry is in the outbox
                    // already; it only counts as waiting once that failed.
                    let n = pending.get().unwrap_or(0);
                    (n > 0 && !saving()).then(|| view! {
                        <span class="km-status km-status-pending" part="status pending">
                            {move || plural(lang.get(), n as i64, CoreKey::PendingOne, CoreKey::PendingOther)}
                        </span>
                    })
                }}
            </div>
            {move || match state.status.get() {
                SaveStatus::SignedOut => Some(
                    view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> }
                        .into_any(),
                ),
                SaveStatus::Failed(e) => Some(view! { <ErrorState error=e on_retry=on_save/> }.into_any()),
                _ => None,
            }}
        </form>
    }
}

/// A reflection the server saved: its text, visibility, energy and age.
#[component]
pub fn SavedReflection(
    /// The saved reflection.
    reflection: Reflection,
    /// Called with the reflection after it was shared from here (no share
    /// buttons when absent).
    #[prop(optional, into)]
    on_shared: Option<Callback<Reflection>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let title_id = ctx.dom_id("saved-title");
    let labelled_by = title_id.clone();
    let visibility = reflection.visibility;
    let energy = reflection.energy;
    let id = reflection.id.clone();
    let whole = reflection.clone();
    view! {
        <div class="rp-saved" part="saved" role="group" aria-labelledby=labelled_by>
            <h3 id=title_id>
                <span aria-hidden="true">"✓ "</span>
                {tr(lang, Key::SavedTitle)}
            </h3>
            <Markdown source=reflection.body/>
            <p class="km-muted">
                {move || visibility_key(visibility).get(lang.get())}
                {move || energy.map(|n| format!(" · {}", fill(Key::EnergyShown.get(lang.get()), &[("n", &n.to_string())])))}
                " · "
                <RelativeTime at=reflection.created_at/>
            </p>
            <div class="rp-actions">
                {on_shared
                    .filter(|_| visibility == ReflectionVisibility::Private)
                    .map(|cb| view! { <ShareButtons id=id on_shared=cb/> })}
                <PrefillButtons reflection=whole/>
            </div>
        </div>
    }
}

/// What happens on Save and when a queued save reaches the server later.
#[derive(Clone, Copy)]
struct Saver {
    ctx: WidgetContext,
    state: EditorState,
    saved: RwSignal<Option<Reflection>>,
    draft: UseDraftReturn<String>,
    tags_draft: UseDraftReturn<Vec<String>>,
}

impl Saver {
    /// Whether the widget is still mounted (async answers may come later).
    fn alive(&self) -> bool {
        self.state.status.try_get_untracked().is_some()
    }

    fn say(&self, text: &str) {
        self.ctx.announcer.say(text);
    }

    fn lang(&self) -> km_widgets_core::Lang {
        self.ctx.config.lang.get_untracked()
    }

    /// Validates and submits through the outbox (POST with an Idempotency-Key).
    fn save(self, outbox: Outbox, prompt_id: Option<String>) {
        let st = self.state;
        if st.status.get_untracked() == SaveStatus::Saving {
            return;
        }
        let body = st.body.get_untracked();
        let new = new_reflection(
            prompt_id,
            &body,
            st.energy.get_untracked(),
            st.tags.get_untracked(),
            st.visibility.get_untracked(),
        );
        if let Err(errs) = new.validate() {
            st.errors.0.set(errs);
            st.status.set(SaveStatus::Idle);
            self.say(t(self.lang(), CoreKey::ErrorValidation));
            return;
        }
        st.errors.0.set(Vec::new());
        st.status.set(SaveStatus::Saving);
        let label = outbox_label(&body);
        leptos::task::spawn_local(async move {
            let outcome = outbox
                .submit(HttpMethod::Post, REFLECTIONS_PATH, &new, &label)
                .await;
            if !self.alive() {
                return;
            }
            match outcome {
                SubmitOutcome::Sent(v) => {
                    self.draft.clear();
                    self.tags_draft.clear();
                    st.energy.set(None);
                    st.visibility.set(ReflectionVisibility::default());
                    st.status.set(SaveStatus::Idle);
                    self.show_saved(v);
                }
                SubmitOutcome::Queued => {
                    // The outbox now holds the reflection (in localStorage,
                    // retried until the server answers), so the form is
                    // emptied for the next thought; should the server refuse
                    // it later, `delivered` puts the text back.
                    self.draft.clear();
                    self.tags_draft.clear();
                    st.energy.set(None);
                    st.visibility.set(ReflectionVisibility::default());
                    st.status.set(SaveStatus::Queued);
                    self.say(t(self.lang(), CoreKey::QueuedAnnounce));
                }
                SubmitOutcome::Rejected(e) => self.rejected(e),
            }
        });
    }

    /// Shows the server's reflection, announces it and tells the page.
    fn show_saved(&self, v: RawJson) {
        self.saved.set(v.decode::<Reflection>().ok());
        self.say(t(self.lang(), CoreKey::Saved));
        self.ctx
            .emit("km-reflection-saved", &[("reflection", v.to_js())]);
    }

    /// The server refused: sign-in note, field errors, or a general error.
    fn rejected(&self, e: ApiError) {
        let st = self.state;
        if is_signed_out(&e) {
            st.status.set(SaveStatus::SignedOut);
            self.say(Key::SignIn.get(self.lang()));
            return;
        }
        if !st.errors.take_from_api(&e, is_form_field) {
            // ErrorState fires km-error and announces it.
            st.status.set(SaveStatus::Failed(e));
        } else {
            st.status.set(SaveStatus::Idle);
            self.say(t(self.lang(), CoreKey::ErrorValidation));
        }
    }

    /// A queued reflection reached the server later.
    fn delivered(&self, entry: &OutboxEntry, result: Result<RawJson, ApiError>) {
        if !self.alive() {
            return;
        }
        let st = self.state;
        if st.status.get_untracked() == SaveStatus::Queued {
            st.status.set(SaveStatus::Idle);
        }
        match result {
            Ok(v) => self.show_saved(v),
            Err(e) => {
                // Nothing typed is lost: the refused text comes back, unless
                // the person is writing something new.
                if let Some(text) = entry.body.text_field("body")
                    && st.body.with_untracked(|b| b.trim().is_empty())
                {
                    st.body.set(text);
                }
                self.rejected(e);
            }
        }
    }
}
