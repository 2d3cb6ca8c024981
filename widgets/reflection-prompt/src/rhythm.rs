//! "My rhythm": the cadence settings (daily, weekly, a chosen weekday),
//! reminders on or off, saved with the browser's time zone. A disclosure
//! under the prompt; the settings load when it opens.

use km_protocol::reflections::{Cadence, ReflectionSettings};
use km_widgets_core::i18n::{CoreKey, fill, t, tr};
use km_widgets_core::ui::report_error;
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api::{self, browser_time_zone};
use crate::model::{CADENCES, cadence_key, weekday_key};
use crate::strings::Key;

/// The rhythm settings.
#[component]
pub fn Rhythm(
    /// Called after the settings were saved (the prompt's period may change).
    on_saved: Callback<()>,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let settings = RwSignal::new(None::<ReflectionSettings>);
    let radio_name = ctx.dom_id("cadence");
    let weekday_id = ctx.dom_id("weekday");
    let tz = browser_time_zone();
    let load = move || {
        if settings.with_untracked(Option::is_some) {
            return;
        }
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::settings(&api).await {
                Ok(s) => {
                    let _ = settings.try_set(Some(s));
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(api), Some(mut s)) = (Api::from_config_untracked(&cfg), settings.get_untracked())
        else {
            return;
        };
        s.time_zone = browser_time_zone();
        if s.cadence == Cadence::Weekday && s.weekday.is_none() {
            s.weekday = Some(1);
        }
        leptos::task::spawn_local(async move {
            match api::save_settings(&api, &s).await {
                Ok(s) => {
                    let _ = settings.try_set(Some(s));
                    ctx.announcer.say(t(lang.get_untracked(), CoreKey::Saved));
                    on_saved.run(());
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let update = move |f: &dyn Fn(&mut ReflectionSettings)| {
        settings.update(|s| {
            if let Some(s) = s {
                f(s)
            }
        })
    };
    let cadence = move || settings.with(|s| s.as_ref().map(|s| s.cadence));
    let radios = CADENCES
        .iter()
        .map(|&c| {
            let name = radio_name.clone();
            view! {
                <label class="rp-radio">
                    <input type="radio" name=name prop:checked=move || cadence() == Some(c)
                        on:change=move |_| update(&|s| s.cadence = c)/>
                    <span>{move || cadence_key(c).get(lang.get())}</span>
                </label>
            }
        })
        .collect::<Vec<_>>();
    let days = (1..=7u8)
        .map(|d| {
            view! {
                <option value=d.to_string()
                    prop:selected=move || settings.with(|s| s.as_ref().and_then(|s| s.weekday)) == Some(d)>
                    {move || weekday_key(d).get(lang.get())}
                </option>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <details class="rp-rhythm" part="rhythm" on:toggle=move |_| load()>
            <summary part="button rhythm-toggle">{tr(lang, Key::RhythmTitle)}</summary>
            <form on:submit=save>
                <fieldset class="rp-visibility">
                    <legend class="km-label">{tr(lang, Key::RhythmLegend)}</legend>
                    {radios}
                </fieldset>
                <div class="km-field" hidden=move || cadence() != Some(Cadence::Weekday)>
                    <label class="km-label" for=weekday_id.clone()>{tr(lang, Key::WeekdayLabel)}</label>
                    <select id=weekday_id class="km-input" part="input weekday"
                        on:change=move |ev| {
                            let d = event_target_value(&ev).parse().ok();
                            update(&|s| s.weekday = d);
                        }>
                        {days}
                    </select>
                </div>
                <label class="rp-radio">
                    <input type="checkbox"
                        prop:checked=move || settings.with(|s| s.as_ref().is_some_and(|s| s.reminders))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            update(&|s| s.reminders = on);
                        }/>
                    <span>{tr(lang, Key::RemindersLabel)}</span>
                </label>
                <p class="km-muted">{move || fill(Key::TimeZoneNote.get(lang.get()), &[("tz", &tz)])}</p>
                <button type="submit" class="km-btn km-btn-secondary" part="button save-rhythm">
                    {tr(lang, Key::SaveRhythm)}
                </button>
            </form>
        </details>
    }
}
