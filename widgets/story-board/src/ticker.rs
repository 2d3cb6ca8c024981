//! `mode="ticker"`: the latest published successes, one at a time, for a
//! portal home page. It turns every few seconds, pauses while the pointer
//! is over it or focus is inside, and does not turn by itself when the
//! reader prefers reduced motion (the Next button always works).

use km_protocol::stories::{Story, StoryStatus};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::intl::{format_number, format_percent_change};
use km_widgets_core::ui::{Empty, async_view};
use km_widgets_core::{Translate, use_api_resource, use_widget};
use leptos::prelude::*;

use crate::api::{self, StoryFilter};
use crate::board::Board;
use crate::model::{decimals, headline, next_index, with_unit};
use crate::strings::Key;

/// How long one story shows.
pub const TURN_MS: u64 = 7_000;

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The ticker (the whole widget in `mode="ticker"`).
#[component]
pub fn Ticker(
    /// The board's state (filters from the attributes).
    board: Board,
) -> impl IntoView {
    let cfg = use_widget().config;
    let lang = cfg.lang;
    let stories = use_api_resource(move |api| {
        let filter = StoryFilter {
            goal: Some(board.goal.get()),
            team: Some(board.team.get()),
            limit: board.limit.get(),
            ..Default::default()
        };
        async move { api::list_stories(&api, &filter, StoryStatus::Published).await }
    });
    async_view(stories, move |page| {
        if page.items.is_empty() {
            return view! { <Empty message=Signal::derive(move || Key::Empty.get(lang.get()).to_owned())/> }
                .into_any();
        }
        view! { <TickerView stories=page.items/> }.into_any()
    })
}

/// The rotating story (mounted directly by browser tests).
#[component]
pub fn TickerView(
    /// The stories to turn through, newest first.
    stories: Vec<Story>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let len = stories.len();
    let stories = StoredValue::new(stories);
    let index = RwSignal::new(0usize);
    let hovered = RwSignal::new(false);
    let focused = RwSignal::new(false);
    let auto = len > 1 && !reduced_motion();
    if auto
        && let Ok(handle) = set_interval_with_handle(
            move || {
                if !hovered.get_untracked() && !focused.get_untracked() {
                    index.update(|i| *i = next_index(*i, len));
                }
            },
            std::time::Duration::from_millis(TURN_MS),
        )
    {
        on_cleanup(move || handle.clear());
    }
    let paused = move || hovered.get() || focused.get() || !auto;
    let current = move || {
        stories.with_value(|s| {
            let story = &s[index.get().min(len - 1)];
            let metric = headline(story).map(|m| {
                let l = lang.get();
                let d = decimals(m);
                let mut text = format!(
                    "{}: {} → {}",
                    m.label,
                    with_unit(&format_number(l, m.baseline, d), &m.unit),
                    with_unit(&format_number(l, m.current, d), &m.unit)
                );
                if let Some(p) = m.improvement_pct() {
                    text.push_str(&format!(" ({})", format_percent_change(l, p)));
                }
                text
            });
            (story.title.clone(), story.team.clone(), metric)
        })
    };
    view! {
        <section class="sb-ticker" part="ticker" aria-roledescription="carousel"
            aria-label=tr(lang, Key::Latest)
            on:mouseenter=move |_| hovered.set(true)
            on:mouseleave=move |_| hovered.set(false)
            on:focusin=move |_| focused.set(true)
            on:focusout=move |_| focused.set(false)>
            <p class="sb-ticker-label km-muted">{tr(lang, Key::Latest)}</p>
            // Polite only while it stands still: a live region that changes
            // every few seconds would talk over everything else.
            <div class="sb-ticker-item" part="item" aria-live=move || if paused() { "polite" } else { "off" }
                aria-atomic="true">
                {move || {
                    let (title, team, metric) = current();
                    view! {
                        <p class="sb-ticker-title" part="item-title">{title}</p>
                        <p class="km-muted">
                            {metric.map(|m| view! { <span part="metric">{m}</span> })}
                            {(!team.is_empty()).then(|| view! { <span>" · " {team}</span> })}
                        </p>
                    }
                }}
            </div>
            {(len > 1).then(|| view! {
                <button type="button" class="km-btn km-btn-secondary" part="button next"
                    on:click=move |_| index.update(|i| *i = next_index(*i, len))>
                    {tr(lang, Key::Next)}
                    <span class="km-sr-only">
                        {move || format!(" ({})", fill("{i}/{n}", &[("i", &(index.get() + 1).to_string()), ("n", &len.to_string())]))}
                    </span>
                </button>
            })}
        </section>
    }
}
