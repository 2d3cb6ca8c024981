//! `mode="journal"`: my reflections as a timeline with search, the cadence
//! summary, export (Markdown, JSON) and delete-all with a confirmation.

use km_protocol::reflections::{Cadence, Reflection, ReflectionSummary, ReflectionVisibility};
use km_widgets_core::i18n::{fill, plural, tr, tr_signal};
use km_widgets_core::intl::format_date;
use km_widgets_core::ui::{Empty, ErrorState, Loading, SignInNote, is_signed_out, report_error};
use km_widgets_core::{Api, Lang, Translate, use_widget};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;
use crate::cards::{Pages, PrefillButtons, ReflectionCard, ShareButtons};
use crate::model::{PeriodName, period_name};
use crate::strings::Key;

/// A period of my cadence for people: "Week 47, 2026", "Week of 20 Nov
/// 2026" (a weekday cadence) or the localized day.
fn period_label(lang: Lang, cadence: Cadence, period: &str) -> String {
    match period_name(period) {
        PeriodName::Week { year, week } => {
            fill(Key::PeriodWeek.get(lang), &[("week", week), ("year", year)])
        }
        PeriodName::Day(day) => {
            let date = format_date(lang, day, false).unwrap_or_else(|| day.to_owned());
            if cadence == Cadence::Weekday {
                fill(Key::PeriodWeekOf.get(lang), &[("date", &date)])
            } else {
                date
            }
        }
        PeriodName::Other(name) => name.to_owned(),
    }
}

/// Starts a download of `text` as `file` (a `data:` link clicked once).
pub fn download(file: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let href = format!(
        "data:{mime};charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", file);
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
    }
}

/// The journal.
#[component]
pub fn Journal() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let title_id = ctx.dom_id("journal-title");
    let search_id = ctx.dom_id("search");
    let labelled_by = title_id.clone();
    let query = RwSignal::new(String::new());
    let pages = Pages::new();
    let Pages { list, state } = pages;
    let items = list.items;
    let summary = RwSignal::new(None::<ReflectionSummary>);
    let confirming = RwSignal::new(false);
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    // The first page and the summary (again after a search or a change).
    let load = move || {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let q = query.get_untracked();
        leptos::task::spawn_local(async move {
            let page = api::mine(&api, &q, None).await;
            let sum = api::summary(&api).await.ok();
            if pages.show(&ctx, page) {
                summary.set(sum);
            }
        });
    };
    // Load again when the api, community, person or language changes.
    Effect::new(move |_| {
        let _ = Api::from_config(&cfg);
        lang.track();
        load();
    });
    let on_search = move |ev: leptos::ev::Event| {
        query.set(event_target_value(&ev));
        // Debounced: a request per pause in typing, not per key.
        timer.set_value(Some(gloo_timers::callback::Timeout::new(300, move || {
            load()
        })));
    };
    let export = move |format: &'static str| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let l = lang.get_untracked();
        leptos::task::spawn_local(async move {
            match api::export(&api, format, l).await {
                Ok(text) if format == "json" => {
                    download("reflections.json", "application/json", &text)
                }
                Ok(text) => download("reflections.md", "text/markdown", &text),
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let delete_all = move || {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::delete_all(&api).await {
                Ok(_) => {
                    let _ = confirming.try_set(false);
                    ctx.announcer.say(Key::DeletedAll.get(lang.get_untracked()));
                    load();
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let total = move || summary.with(|s| s.as_ref().map(|s| s.total).unwrap_or(0));

    view! {
        <section aria-labelledby=labelled_by>
            <header class="km-header" part="header">
                <h2 id=title_id part="title">{tr(lang, Key::JournalTitle)}</h2>
            </header>
            {move || match state.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) if is_signed_out(&e) => view! {
                    <SignInNote message=tr_signal(lang, Key::SignIn)/>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorState error=e on_retry=Callback::new(move |_| load())/> }.into_any(),
                Some(Ok(())) => ().into_any(),
            }}
            <div hidden=move || !matches!(state.get(), Some(Ok(())))>
                <p class="rp-summary" part="summary">
                    {move || summary.get().map(|s| {
                        let l = lang.get();
                        format!(
                            "{} · {}",
                            plural(l, s.total, Key::CountOne, Key::CountOther),
                            plural(l, s.periods.len() as i64, Key::PeriodsOne, Key::PeriodsOther),
                        )
                    })}
                </p>
                {move || summary.get().map(|s| {
                    let cadence = s.settings.cadence;
                    view! {
                    <ul class="km-tags rp-periods" part="periods">
                        {s.periods.into_iter().take(12).map(|p| {
                            let count = p.count;
                            view! {
                            <li class="km-tag" part="period">
                                {move || period_label(lang.get(), cadence, &p.period)}
                                <span aria-hidden="true">" (" {count} ")"</span>
                                <span class="km-sr-only">{move || format!(": {}", plural(lang.get(), count, Key::CountOne, Key::CountOther))}</span>
                            </li>
                        }}).collect::<Vec<_>>()}
                    </ul>
                }})}
                <div class="km-field">
                    <label class="km-label" part="label" for=search_id.clone()>{tr(lang, Key::SearchLabel)}</label>
                    <input id=search_id type="search" class="km-input" part="input search"
                        prop:value=move || query.get() on:input=on_search/>
                </div>
                <ol class="km-list rp-timeline" part="list">
                    {move || items.get().into_iter().map(|r| {
                        let private = r.visibility == ReflectionVisibility::Private;
                        let id = r.id.clone();
                        let on_shared = Callback::new(move |s: Reflection| {
                            items.update(|v| if let Some(x) = v.iter_mut().find(|x| x.id == s.id) { *x = s; });
                        });
                        let card = r.clone();
                        view! {
                            <li>
                                <ReflectionCard reflection=card>
                                    {private.then(|| view! { <ShareButtons id=id.clone() on_shared=on_shared/> })}
                                    <PrefillButtons reflection=r.clone()/>
                                </ReflectionCard>
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ol>
                {move || items.with(Vec::is_empty).then(|| {
                    let key = if query.with(|q| q.trim().is_empty()) { Key::JournalEmpty } else { Key::NoMatches };
                    view! { <Empty message=Signal::derive(move || key.get(lang.get()).to_owned())/> }
                })}
                {list.more_button(move |api, cursor| {
                    let q = query.get_untracked();
                    async move { api::mine(&api, &q, Some(&cursor)).await }
                })}
                <div class="rp-actions rp-journal-tools">
                    <button type="button" class="km-btn km-btn-secondary" part="button export"
                        on:click=move |_| export("markdown")>{tr(lang, Key::ExportMarkdown)}</button>
                    <button type="button" class="km-btn km-btn-secondary" part="button export"
                        on:click=move |_| export("json")>{tr(lang, Key::ExportJson)}</button>
                    <button type="button" class="km-btn km-btn-secondary rp-danger" part="button delete"
                        aria-expanded=move || if confirming.get() { "true" } else { "false" }
                        on:click=move |_| confirming.set(true)>{tr(lang, Key::DeleteAll)}</button>
                </div>
                {move || confirming.get().then(|| {
                    // Keyboard and screen-reader users land on the question's answer.
                    let yes = NodeRef::<leptos::html::Button>::new();
                    yes.on_load(|b| { let _ = b.focus(); });
                    view! {
                    <div class="rp-confirm" part="confirm" role="alertdialog" aria-modal="false"
                        aria-label=move || Key::DeleteAll.get(lang.get())>
                        <p>{move || fill(Key::DeleteConfirm.get(lang.get()), &[("n", &total().to_string())])}</p>
                        <div class="rp-actions">
                            <button type="button" class="km-btn rp-danger-fill" part="button delete-confirm" node_ref=yes
                                on:click=move |_| delete_all()>{tr(lang, Key::DeleteYes)}</button>
                            <button type="button" class="km-btn km-btn-secondary" part="button cancel"
                                on:click=move |_| confirming.set(false)>{tr(lang, Key::Cancel)}</button>
                        </div>
                    </div>
                }})}
            </div>
        </section>
    }
}
