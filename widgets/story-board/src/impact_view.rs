//! The impact view: per goal the number of stories and per unit the total
//! and median improvement, an SVG bar chart of each story's improvement and
//! one of stories per month (drawn here, no chart library), each with the
//! same numbers as a table for screen readers; and a printable one-page
//! summary per goal (`@media print` in the widget's stylesheet).

use km_protocol::stories::{GoalImpact, Impact, MonthCount, StoryImprovement, UnitImpact};
use km_widgets_core::i18n::{fill, plural, tr};
use km_widgets_core::intl::{format_month, format_number, format_percent_change};
use km_widgets_core::ui::{Empty, async_view};
use km_widgets_core::{Translate, use_api_resource, use_widget};
use leptos::prelude::*;

use crate::api;
use crate::board::Board;
use crate::model::{column_bars, horizontal_bars, with_unit};
use crate::strings::Key;

/// Longest story title shown beside a bar (the table has the whole title).
const LABEL_CHARS: usize = 30;

fn short(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        title.to_owned()
    } else {
        let cut: String = title.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The impact of the board's filters.
#[component]
pub fn ImpactView(
    /// The board's state.
    board: Board,
) -> impl IntoView {
    let cfg = use_widget().config;
    let lang = cfg.lang;
    let impact = use_api_resource(move |api| {
        let filter = board.filter();
        board.refresh.track();
        async move { api::impact(&api, &filter).await }
    });
    async_view(impact, move |i: Impact| {
        if i.goals.is_empty() {
            return view! { <Empty message=Signal::derive(move || Key::Empty.get(lang.get()).to_owned())/> }
                .into_any();
        }
        view! { <ImpactReport impact=i/> }.into_any()
    })
}

/// The report of an [`Impact`] (mounted directly by browser tests).
#[component]
pub fn ImpactReport(
    /// What the server summed up.
    impact: Impact,
) -> impl IntoView {
    // The goal whose summary is being printed (its section gets the print class).
    let printing = RwSignal::new(None::<usize>);
    let stories = StoredValue::new(impact.stories.clone());
    let goals = impact
        .goals
        .into_iter()
        .enumerate()
        .map(|(i, g)| view! { <GoalSummary goal=g index=i printing=printing stories=stories/> })
        .collect::<Vec<_>>();
    view! {
        <div class="sb-impact" class:sb-printing=move || printing.get().is_some() part="impact">
            {goals}
            <StoryChart stories=impact.stories/>
            <MonthChart months=impact.months/>
        </div>
    }
}

/// One goal: stories, per unit total and median, its stories' headlines, Print.
#[component]
fn GoalSummary(
    goal: GoalImpact,
    index: usize,
    printing: RwSignal<Option<usize>>,
    stories: StoredValue<Vec<StoryImprovement>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let name = goal.goal.as_ref().map(|g| g.name.clone());
    let goal_id = goal.goal.as_ref().map(|g| g.id.clone());
    let heading_id = ctx.dom_id(&format!("goal-{index}"));
    let count = goal.stories;
    let units = goal.units;
    let mine: Vec<StoryImprovement> = stories.with_value(|s| {
        s.iter()
            .filter(|s| s.goal_id == goal_id)
            .take(5)
            .cloned()
            .collect()
    });
    let print = move |_| {
        printing.set(Some(index));
        // After the class reached the DOM; `print()` returns when the
        // dialog closes.
        set_timeout(
            move || {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
                printing.try_set(None);
            },
            std::time::Duration::from_millis(50),
        );
    };
    let title = name.clone();
    let labelled_by = heading_id.clone();
    view! {
        <section class="sb-goal" class:sb-print-target=move || printing.get() == Some(index)
            part="goal" aria-labelledby=labelled_by>
            <div class="sb-goal-head">
                <h3 id=heading_id>
                    <span class="sb-print-only">{move || fill(Key::SummaryOf.get(lang.get()), &[("goal", "")])}</span>
                    {move || title.clone().unwrap_or_else(|| Key::NoGoal.get(lang.get()).to_owned())}
                </h3>
                <span class="km-muted">{move || plural(lang.get(), count, Key::StoriesOne, Key::StoriesOther)}</span>
                <button type="button" class="km-btn km-btn-secondary sb-noprint" part="button print" on:click=print>
                    {tr(lang, Key::Print)}
                </button>
            </div>
            <UnitTable units=units/>
            {(!mine.is_empty()).then(|| view! {
                <ul class="sb-headlines">
                    {mine.into_iter().map(|s| view! {
                        <li>{s.title} " " <span class="km-badge sb-better">{move || format_percent_change(lang.get(), s.improvement_pct)}</span></li>
                    }).collect::<Vec<_>>()}
                </ul>
            })}
        </section>
    }
}

/// Per unit: metrics, total and median improvement, median change.
#[component]
fn UnitTable(units: Vec<UnitImpact>) -> impl IntoView {
    let lang = use_widget().config.lang;
    let rows = units
        .into_iter()
        .map(|u| {
            let unit = u.unit.clone();
            let num = move |v: f64| with_unit(&format_number(lang.get(), v, 2), &unit);
            let total = num.clone();
            view! {
                <tr>
                    <th scope="row">{u.unit.clone()}</th>
                    <td>{u.metrics}</td>
                    <td>{move || total(u.total)}</td>
                    <td>{move || num(u.median)}</td>
                    <td>{move || u.median_pct.map(|p| format_percent_change(lang.get(), p)).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <table class="sb-table" part="table">
            <thead>
                <tr>
                    <th scope="col">{tr(lang, Key::Unit)}</th>
                    <th scope="col">{tr(lang, Key::Metrics)}</th>
                    <th scope="col">{tr(lang, Key::Total)}</th>
                    <th scope="col">{tr(lang, Key::Median)}</th>
                    <th scope="col">{tr(lang, Key::MedianPct)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

const WIDTH: f64 = 600.0;
const LABEL_W: f64 = 220.0;
const ROW: f64 = 26.0;

/// Each story's headline improvement as horizontal bars, and as a table.
#[component]
pub fn StoryChart(
    /// Stories, largest improvement first.
    stories: Vec<StoryImprovement>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let title_id = ctx.dom_id("chart-stories");
    let plot = WIDTH - LABEL_W - 60.0;
    let values: Vec<f64> = stories.iter().map(|s| s.improvement_pct).collect();
    let (bars, zero) = horizontal_bars(&values, plot, ROW);
    let height = ROW * stories.len().max(1) as f64;
    let marks = stories
        .iter()
        .zip(bars)
        .map(|(s, b)| {
            let pct = s.improvement_pct;
            let cls = if pct < 0.0 {
                "sb-bar sb-bar-worse"
            } else {
                "sb-bar"
            };
            let ty = b.y + b.h / 2.0 + 4.0;
            view! {
                <text x="0" y=ty class="sb-axis">{short(&s.title)}</text>
                <rect x=LABEL_W + b.x y=b.y width=b.w.max(1.0) height=b.h class=cls/>
                <text x=LABEL_W + b.x + b.w + 4.0 y=ty class="sb-axis">
                    {move || format_percent_change(lang.get(), pct)}
                </text>
            }
        })
        .collect::<Vec<_>>();
    let rows = stories
        .into_iter()
        .map(|s| {
            let pct = s.improvement_pct;
            view! { <tr><th scope="row">{s.title}</th><td>{move || format_percent_change(lang.get(), pct)}</td></tr> }
        })
        .collect::<Vec<_>>();
    let labelled_by = title_id.clone();
    view! {
        <figure class="sb-chart" part="chart" aria-labelledby=labelled_by>
            <figcaption id=title_id>{tr(lang, Key::ChartStories)}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" class="sb-svg"
                aria-label=move || format!("{}. {}", Key::ChartStories.get(lang.get()), Key::ChartSummary.get(lang.get()))>
                <line x1=LABEL_W + zero x2=LABEL_W + zero y1="0" y2=height class="sb-zero"/>
                {marks}
            </svg>
            <details class="sb-data">
                <summary>{tr(lang, Key::ShowTable)}</summary>
                <table class="sb-table" part="table">
                    <thead><tr><th scope="col">{tr(lang, Key::Story)}</th><th scope="col">{tr(lang, Key::Improvement)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// Stories per month as columns, and as a table.
#[component]
pub fn MonthChart(
    /// Months, oldest first.
    months: Vec<MonthCount>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let title_id = ctx.dom_id("chart-months");
    let plot_h = 120.0;
    let counts: Vec<i64> = months.iter().map(|m| m.stories).collect();
    let bars = column_bars(&counts, WIDTH, plot_h);
    let marks = months
        .iter()
        .zip(bars)
        .map(|(m, b)| {
            let month = m.month.clone();
            let cx = b.x + b.w / 2.0;
            view! {
                <rect x=b.x y=b.y + 16.0 width=b.w height=b.h class="sb-bar"/>
                <text x=cx y=b.y + 12.0 text-anchor="middle" class="sb-axis">{m.stories}</text>
                <text x=cx y=plot_h + 32.0 text-anchor="middle" class="sb-axis">
                    {move || format_month(lang.get(), &month)}
                </text>
            }
        })
        .collect::<Vec<_>>();
    let rows = months
        .into_iter()
        .map(|m| {
            let month = m.month;
            view! { <tr><th scope="row">{move || format_month(lang.get(), &month)}</th><td>{m.stories}</td></tr> }
        })
        .collect::<Vec<_>>();
    let labelled_by = title_id.clone();
    view! {
        <figure class="sb-chart sb-noprint" part="chart" aria-labelledby=labelled_by>
            <figcaption id=title_id>{tr(lang, Key::ChartMonths)}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {}", plot_h + 40.0) role="img" class="sb-svg"
                aria-label=move || format!("{}. {}", Key::ChartMonths.get(lang.get()), Key::ChartSummary.get(lang.get()))>
                {marks}
            </svg>
            <details class="sb-data">
                <summary>{tr(lang, Key::ShowTable)}</summary>
                <table class="sb-table" part="table">
                    <thead><tr><th scope="col">{tr(lang, Key::Month)}</th><th scope="col">{tr(lang, Key::Stories)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

km_widgets_core::lazy_fn! {
    story_board_parts;
    /// The impact view (charts, tables, print summary), whose code arrives
    /// when the view is first opened (in the submit form's chunk).
    pub fn impact_part() -> fn(Board) -> AnyView {
        |board| view! { <ImpactView board=board/> }.into_any()
    }
}
