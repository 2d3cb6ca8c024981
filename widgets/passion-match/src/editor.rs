//! "My passions": the editor of my profile. Every change is kept as a local
//! draft at once and saved to the server after a short pause, with a
//! visible save state; a save that cannot reach the server is retried (on
//! a timer and when the browser is back online) and the draft survives a
//! reload until the server has it.

use km_protocol::Validate;
use km_protocol::passions::{MAX_PASSIONS, Profile, ProfileUpdate, WHY_MAX_CHARS};
use km_widgets_core::events::to_js;
use km_widgets_core::i18n::{CoreKey, fill, t, tr};
use km_widgets_core::storage::random_uuid;
use km_widgets_core::ui::{FieldMessage, FormErrors, TagPicker, report_error};
use km_widgets_core::{Api, ApiError, Translate, use_draft_value, use_widget};
use leptos::prelude::*;

use crate::api::{delete_profile, save_profile};
use crate::model::{
    LEVELS, VISIBILITIES, form_of, labels_of, level_choice_key, level_value, parse_level,
    visibility_key, with_labels,
};
use crate::strings::Key;

/// Pause after the last change before saving.
pub const SAVE_DELAY_MS: u32 = 700;
/// Wait before retrying a save the network lost.
pub const RETRY_MS: u32 = 5_000;

/// Where the profile's save stands.
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
    /// The network failed; kept locally and retried.
    Queued,
    /// Local or server validation refused it (see the fields).
    Refused,
    /// The server refused it for another reason.
    Failed(ApiError),
}

/// The editor of my passions, why, open to chat and visibility.
#[component]
pub fn PassionsEditor(
    /// My profile as the server has it.
    profile: Profile,
    /// Called with my profile after each save (and an empty one after
    /// deleting it).
    #[prop(optional, into)]
    on_saved: Option<Callback<Profile>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let announcer = ctx.announcer;
    // The unsaved changes: `Some` from the first change until the server
    // confirmed that very version.
    let unsaved = use_draft_value::<Option<ProfileUpdate>>("profile");
    let start = unsaved
        .value
        .get_untracked()
        .unwrap_or_else(|| form_of(&profile));
    let restored = unsaved.value.with_untracked(|u| u.is_some());
    let form = RwSignal::new(start.clone());
    let labels = RwSignal::new(labels_of(&start));
    let errors = FormErrors::new();
    let state = RwSignal::new(SaveState::Idle);
    let rev = StoredValue::new(0u64);
    let again = StoredValue::new(false);
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let empty_profile = StoredValue::new(Profile {
        passions: Vec::new(),
        why: String::new(),
        open_to_chat: false,
        visibility: Default::default(),
        updated_at: None,
        ..profile
    });

    let save: StoredValue<Option<Callback<()>>> = StoredValue::new(None);
    let schedule = move |ms: u32| {
        let t = gloo_timers::callback::Timeout::new(ms, move || {
            if let Some(Some(cb)) = save.try_get_value() {
                cb.run(());
            }
        });
        timer.set_value(Some(t));
    };
    let run_save = Callback::new(move |_: ()| {
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
        let sent_rev = rev.get_value();
        state.set(SaveState::Saving);
        let key = random_uuid();
        leptos::task::spawn_local(async move {
            let result = save_profile(&api, &body, &key).await;
            if state.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            match result {
                Ok(p) => {
                    errors.0.set(Vec::new());
                    if rev.get_value() == sent_rev {
                        unsaved.value.set(None);
                        state.set(SaveState::Saved);
                        announcer.say(t(lang.get_untracked(), CoreKey::Saved));
                    } else {
                        state.set(SaveState::Unsaved);
                        schedule(SAVE_DELAY_MS);
                    }
                    ctx.emit("km-profile-saved", &[("profile", to_js(&p))]);
                    if let Some(cb) = on_saved {
                        cb.run(p);
                    }
                }
                Err(e) if e.is_transient() => {
                    state.set(SaveState::Queued);
                    schedule(RETRY_MS);
                }
                Err(e) if e.status() == 422 => {
                    errors.set_from_api(&e);
                    state.set(SaveState::Refused);
                    announcer.say(Key::SaveRefused.get(lang.get_untracked()));
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
    save.set_value(Some(run_save));
    // Every change: keep it as a draft now, save after a pause.
    let changed = move || {
        rev.update_value(|r| *r += 1);
        unsaved.value.set(Some(form.get_untracked()));
        if state.get_untracked() != SaveState::Saving {
            state.set(SaveState::Unsaved);
        }
        schedule(SAVE_DELAY_MS);
    };
    // The tag picker edits labels; the form's passions follow (kept ones
    // keep their level).
    Effect::new(move |_| {
        let l = labels.get();
        if form.with_untracked(|f| labels_of(f) != l) {
            form.update(|f| f.passions = with_labels(f, &l));
            changed();
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| {
        if state.get_untracked() == SaveState::Queued {
            run_save.run(());
        }
    });
    on_cleanup(move || online.remove());
    if restored {
        schedule(0);
    }

    let why_id = ctx.dom_id("why");
    let why_err = ctx.dom_id("why-error");
    let why_count = ctx.dom_id("why-count");
    let why_described = format!("{why_count} {why_err}");
    let chat_id = ctx.dom_id("chat");
    let vis_name = ctx.dom_id("visibility");
    let levels_id = ctx.dom_id("levels");
    let why_len = move || form.with(|f| f.why.chars().count());
    let level_rows = move || {
        labels
            .get()
            .into_iter()
            .map(|label| {
                let id = ctx.dom_id(&format!("level-{}", label.to_lowercase().replace(' ', "-")));
                let key = km_widgets_core::ui::tag_picker::tag_key(&label);
                let current = {
                    let key = key.clone();
                    move || {
                        form.with(|f| {
                            f.passions
                                .iter()
                                .find(|p| km_widgets_core::ui::tag_picker::tag_key(&p.tag) == key)
                                .map(|p| p.level)
                                .unwrap_or_default()
                        })
                    }
                };
                let text = label.clone();
                let options = LEVELS
                    .iter()
                    .map(|&l| {
                        let current = current.clone();
                        view! {
                            <option value=level_value(l) prop:selected=move || current() == l>
                                {move || level_choice_key(l).get(lang.get())}
                            </option>
                        }
                    })
                    .collect::<Vec<_>>();
                view! {
                    <li class="pm-level-row" part="item level">
                        <label class="pm-level-label" for=id.clone()>
                            <span class="km-sr-only">{move || fill(Key::LevelOf.get(lang.get()), &[("tag", &text)])}</span>
                            <span aria-hidden="true">{label.clone()}</span>
                        </label>
                        <select
                            id=id
                            class="km-input"
                            part="input level"
                            on:change=move |ev| {
                                let level = parse_level(&event_target_value(&ev));
                                form.update(|f| {
                                    for p in f.passions.iter_mut() {
                                        if km_widgets_core::ui::tag_picker::tag_key(&p.tag) == key {
                                            p.level = level;
                                        }
                                    }
                                });
                                changed();
                            }
                        >
                            {options}
                        </select>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let radios = VISIBILITIES
        .iter()
        .map(|&v| {
            let name = vis_name.clone();
            view! {
                <label class="pm-radio">
                    <input
                        type="radio"
                        name=name
                        part="input visibility"
                        prop:checked=move || form.with(|f| f.visibility == v)
                        on:change=move |_| {
                            form.update(|f| f.visibility = v);
                            errors.clear_field("visibility");
                            changed();
                        }
                    />
                    <span>{move || visibility_key(v).get(lang.get())}</span>
                </label>
            }
        })
        .collect::<Vec<_>>();
    let status = move || {
        let l = lang.get();
        match state.get() {
            SaveState::Idle => None,
            SaveState::Unsaved => Some(("status unsaved", Key::Unsaved.get(l).to_owned())),
            SaveState::Saving => Some(("status saving", t(l, CoreKey::Saving).to_owned())),
            SaveState::Saved => Some(("status saved", format!("✓ {}", t(l, CoreKey::Saved)))),
            SaveState::Queued => Some(("status pending", Key::SaveQueued.get(l).to_owned())),
            SaveState::Refused => Some(("status refused", Key::SaveRefused.get(l).to_owned())),
            SaveState::Failed(e) => Some(("status refused", e.message(l))),
        }
    };
    let confirming = RwSignal::new(false);
    let on_delete = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match delete_profile(&api).await {
                Ok(()) => {
                    if confirming.try_set(false).is_some() {
                        return;
                    }
                    timer.set_value(None);
                    unsaved.value.set(None);
                    let empty = empty_profile.get_value();
                    form.set(form_of(&empty));
                    labels.set(Vec::new());
                    rev.update_value(|r| *r += 1);
                    unsaved.value.set(None);
                    state.set(SaveState::Idle);
                    announcer.say(Key::Deleted.get(lang.get_untracked()));
                    if let Some(cb) = on_saved {
                        cb.run(empty);
                    }
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    view! {
        <div class="pm-editor" part="editor">
            {restored.then(|| view! {
                <p class="km-status" part="status restored">{tr(lang, CoreKey::DraftRestored)}</p>
            })}
            <div class="km-field">
                <TagPicker
                    tags=labels
                    label=Signal::derive(move || Key::PassionsLabel.get(lang.get()).to_owned())
                    max=MAX_PASSIONS
                    errors=errors
                    field="passions"
                />
            </div>
            {move || (!labels.with(Vec::is_empty)).then(|| view! {
                <div class="km-field" role="group" aria-labelledby=levels_id.clone()>
                    <p class="km-label" id=levels_id.clone()>{tr(lang, Key::LevelsLegend)}</p>
                    <ul class="pm-levels">{level_rows}</ul>
                </div>
            })}
            <div class="km-field">
                <label class="km-label" part="label" for=why_id.clone()>{tr(lang, Key::WhyLabel)}</label>
                <input
                    id=why_id
                    type="text"
                    class="km-input"
                    part="input why"
                    aria-describedby=why_described
                    aria-invalid=errors.aria_invalid("why")
                    prop:value=move || form.with(|f| f.why.clone())
                    on:input=move |ev| {
                        form.update(|f| f.why = event_target_value(&ev));
                        errors.clear_field("why");
                        changed();
                    }
                />
                <p class="km-muted" part="counter" id=why_count class:pm-over=move || { why_len() > WHY_MAX_CHARS }>
                    {move || fill(Key::Counter.get(lang.get()), &[("n", &why_len().to_string()), ("max", &WHY_MAX_CHARS.to_string())])}
                </p>
                <FieldMessage errors=errors field="why" id=why_err/>
            </div>
            <div class="km-field pm-switch">
                <input
                    id=chat_id.clone()
                    type="checkbox"
                    role="switch"
                    part="input open-to-chat"
                    prop:checked=move || form.with(|f| f.open_to_chat)
                    on:change=move |ev| {
                        form.update(|f| f.open_to_chat = event_target_checked(&ev));
                        changed();
                    }
                />
                <label for=chat_id>{tr(lang, Key::OpenToChatSwitch)}</label>
            </div>
            <fieldset class="pm-visibility" part="visibility">
                <legend class="km-label">{tr(lang, Key::VisibilityLegend)}</legend>
                {radios}
            </fieldset>
            <div class="pm-actions">
                <p class="km-status pm-save-state" part=move || status().map(|s| s.0).unwrap_or("status")>
                    {move || status().map(|s| s.1)}
                </p>
                {move || matches!(state.get(), SaveState::Failed(_) | SaveState::Queued).then(|| view! {
                    <button type="button" class="km-btn-secondary km-btn" part="button retry" on:click=move |_| run_save.run(())>
                        {move || t(lang.get(), CoreKey::Retry)}
                    </button>
                })}
                <button
                    type="button"
                    class="km-btn-link"
                    part="button delete"
                    aria-expanded=move || confirming.get().to_string()
                    on:click=move |_| confirming.update(|c| *c = !*c)
                >
                    {tr(lang, Key::DeleteProfile)}
                </button>
            </div>
            {move || confirming.get().then(|| view! {
                <div class="pm-confirm" part="confirm" role="group">
                    <p>{tr(lang, Key::DeleteConfirm)}</p>
                    <button type="button" class="km-btn" part="button delete-confirm" on:click=on_delete>
                        {tr(lang, Key::DeleteYes)}
                    </button>
                    " "
                    <button type="button" class="km-btn-secondary km-btn" part="button cancel" on:click=move |_| confirming.set(false)>
                        {tr(lang, Key::Cancel)}
                    </button>
                </div>
            })}
        </div>
    }
}

km_widgets_core::lazy_fn! {
    // The widget's own chunk, not one of its own: measured, a separate
    // chunk saved less than the extra shared chunks cost every page
    // (docs/PERFORMANCE.md, "Code splitting"); renaming it splits it off.
    passion_match;
    /// The passions editor, as a part that could arrive on first use.
    pub fn editor_part() -> fn(Profile, Callback<Profile>) -> AnyView {
        |profile, on_saved| view! { <PassionsEditor profile=profile on_saved=on_saved/> }.into_any()
    }
}
