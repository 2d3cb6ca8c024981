//! The board's toolbar: filters (goal, team, tag, period), sort, grouping,
//! and the CSV download of what the filters select.

use km_protocol::stories::StorySort;
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::intl::now_ms;
use km_widgets_core::ui::report_error;
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api;
use crate::board::Board;
use crate::model::{Grouping, PERIODS, date_days_before, parse_sort, sort_value};
use crate::strings::Key;

/// Filters (goal, team, tag, period), sort, grouping and the CSV download.
#[component]
pub fn Toolbar(
    /// The board's state.
    board: Board,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let id = |n: &str| ctx.dom_id(n);
    let (goal_id, team_id, tag_id, period_id, sort_id, group_id) = (
        id("f-goal"),
        id("f-team"),
        id("f-tag"),
        id("f-period"),
        id("f-sort"),
        id("f-group"),
    );
    let goal_options = move || {
        board
            .goals
            .get()
            .into_iter()
            .map(|g| {
                let gid = g.id.clone();
                view! { <option value=g.id prop:selected=move || board.goal.get() == gid>{g.name}</option> }
            })
            .collect::<Vec<_>>()
    };
    let period_options = PERIODS
        .iter()
        .map(|&d| {
            let label = move || match d {
                0 => Key::PeriodAll.get(lang.get()).to_owned(),
                365 => Key::PeriodYear.get(lang.get()).to_owned(),
                n => fill(Key::PeriodDays.get(lang.get()), &[("n", &n.to_string())]),
            };
            view! { <option value=d.to_string() prop:selected=move || board.period.get() == d>{label}</option> }
        })
        .collect::<Vec<_>>();
    let sort_options = [
        (StorySort::Newest, Key::SortNewest),
        (StorySort::MostApplauded, Key::SortApplause),
        (StorySort::LargestImprovement, Key::SortImprovement),
    ]
    .map(|(s, k)| {
        view! { <option value=sort_value(s) prop:selected=move || board.sort.get() == s>{tr(lang, k)}</option> }
    });
    let group_options = [
        (Grouping::None, Key::GroupNone),
        (Grouping::Goal, Key::Goal),
        (Grouping::Team, Key::Team),
    ]
    .map(|(g, k)| {
        view! { <option value=g.value() prop:selected=move || board.grouping.get() == g>{tr(lang, k)}</option> }
    });
    view! {
        <div class="sb-toolbar sb-noprint" role="group" aria-label=tr(lang, Key::Filters)>
            <div class="sb-control">
                <label class="km-label" for=goal_id.clone()>{tr(lang, Key::Goal)}</label>
                <select id=goal_id class="km-input" part="input" on:change=move |ev| board.goal.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || board.goal.get().is_empty()>{tr(lang, Key::Any)}</option>
                    {goal_options}
                </select>
            </div>
            <div class="sb-control">
                <label class="km-label" for=team_id.clone()>{tr(lang, Key::Team)}</label>
                <input id=team_id class="km-input" part="input" type="search"
                    prop:value=move || board.team.get()
                    on:change=move |ev| board.team.set(event_target_value(&ev))/>
            </div>
            <div class="sb-control">
                <label class="km-label" for=tag_id.clone()>{tr(lang, Key::Tag)}</label>
                <input id=tag_id class="km-input" part="input" type="search"
                    prop:value=move || board.tag.get()
                    on:change=move |ev| board.tag.set(event_target_value(&ev))/>
            </div>
            <div class="sb-control">
                <label class="km-label" for=period_id.clone()>{tr(lang, Key::Period)}</label>
                <select id=period_id class="km-input" part="input"
                    on:change=move |ev| board.period.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {period_options}
                </select>
            </div>
            <div class="sb-control">
                <label class="km-label" for=sort_id.clone()>{tr(lang, Key::Sort)}</label>
                <select id=sort_id class="km-input" part="input"
                    on:change=move |ev| board.sort.set(parse_sort(&event_target_value(&ev)))>
                    {sort_options}
                </select>
            </div>
            <div class="sb-control">
                <label class="km-label" for=group_id.clone()>{tr(lang, Key::GroupBy)}</label>
                <select id=group_id class="km-input" part="input"
                    on:change=move |ev| board.grouping.set(Grouping::parse(&event_target_value(&ev)))>
                    {group_options}
                </select>
            </div>
            <CsvButton board=board/>
        </div>
    }
}

/// Downloads the CSV export of the current filters (fetched with the
/// caller's token, then saved from a blob: a plain link could not carry it).
#[component]
pub fn CsvButton(
    /// The board's state.
    board: Board,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let click = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let filter = board.filter_untracked();
        leptos::task::spawn_local(async move {
            match api::export_csv(&api, &filter).await {
                Ok(text) => save_file(
                    &text,
                    &format!("km-stories-{}.csv", date_days_before(now_ms(), 0)),
                ),
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    view! {
        <button type="button" class="km-btn km-btn-secondary sb-csv" part="button csv" on:click=click>
            <span aria-hidden="true">"⤓ "</span>
            {tr(cfg.lang, Key::DownloadCsv)}
        </button>
    }
}

/// Offers `text` as a CSV file download.
fn save_file(text: &str, name: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
    {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // The download has its own copy by now.
    let _ = web_sys::Url::revoke_object_url(&url);
}
