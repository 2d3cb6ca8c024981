//! "My passions": the editor of my profile. It saves itself through the
//! core autosave ([`use_autosave`]): every change is a local draft at once
//! and saved after a short pause, retried when the network fails, and kept
//! across a reload until the server has it.

use km_protocol::passions::{MAX_PASSIONS, Profile, WHY_MAX_CHARS};
use km_widgets_core::events::to_js;
use km_widgets_core::i18n::{CoreKey, fill, tr};
use km_widgets_core::ui::{FieldMessage, TagPicker, report_error};
use km_widgets_core::{Api, SaveStatus, Translate, use_autosave, use_widget};
use leptos::prelude::*;

use crate::api::{delete_profile, save_profile};
use crate::model::{
    LEVELS, VISIBILITIES, form_of, labels_of, level_choice_key, level_value, parse_level,
    visibility_key, with_labels,
};
use crate::strings::Key;

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
    let empty_profile = StoredValue::new(Profile {
        passions: Vec::new(),
        why: String::new(),
        open_to_chat: false,
        visibility: Default::default(),
        updated_at: None,
        ..profile.clone()
    });
    let autosave = use_autosave(
        "profile",
        form_of(&profile),
        |api, body, key| async move { save_profile(&api, &body, &key).await },
        move |p: Profile| {
            ctx.emit("km-profile-saved", &[("profile", to_js(&p))]);
            if let Some(cb) = on_saved {
                cb.run(p);
            }
        },
    );
    let form = autosave.form;
    let errors = autosave.errors;
    let restored = autosave.restored;
    let changed = move || autosave.changed();
    let labels = RwSignal::new(form.with_untracked(labels_of));
    // The tag picker edits labels; the form's passions follow (kept ones
    // keep their level).
    Effect::new(move |_| {
        let l = labels.get();
        if form.with_untracked(|f| labels_of(f) != l) {
            form.update(|f| f.passions = with_labels(f, &l));
            changed();
        }
    });

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
                    let empty = empty_profile.get_value();
                    autosave.reset(form_of(&empty));
                    labels.set(Vec::new());
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
                <SaveStatus autosave=autosave/>
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
