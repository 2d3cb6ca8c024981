//! The story board's components.

use km_protocol::stories::{Metric, Story};
use km_widgets_core::i18n::{fill, plural};
use km_widgets_core::intl::{format_number, format_percent_change};
use km_widgets_core::ui::{Empty, RelativeTime, async_view};
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api::{StoryFilter, list_stories};
use crate::model::{Trend, decimals, trend, with_unit};
use crate::strings::Key;

/// The board: a heading and the story cards.
#[component]
pub fn StoryBoard() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let title_id = ctx.dom_id("title");
    let labelled_by = title_id.clone();
    let stories = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        let filter = StoryFilter {
            goal: cfg.attr("goal"),
            team: cfg.attr("team"),
            limit: cfg.attr_u32("limit", 6, 1, 50),
        };
        async move { list_stories(&api, &filter).await }
    });
    view! {
        <section aria-labelledby=labelled_by>
            <header class="km-header" part="header">
                <h2 id=title_id part="title">{move || Key::Title.get(lang.get())}</h2>
            </header>
            {async_view(stories, move |page| {
                if page.items.is_empty() {
                    view! { <Empty message=Signal::derive(move || Key::Empty.get(lang.get()).to_owned())/> }
                        .into_any()
                } else {
                    view! {
                        <ul class="sb-cards" part="list">
                            {page.items.into_iter().map(|s| view! { <StoryCard story=s/> }).collect::<Vec<_>>()}
                        </ul>
                    }
                    .into_any()
                }
            })}
        </section>
    }
}

/// One story as a card.
#[component]
pub fn StoryCard(
    /// The story to show.
    story: Story,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let goal = story.goal.map(|g| g.name);
    let team = (!story.team.trim().is_empty()).then_some(story.team);
    let author = story.author.name;
    let applause = story.applause;
    view! {
        <li class="sb-card" part="item card">
            <article>
                <h3 part="item-title">{story.title}</h3>
                <p class="sb-meta km-muted">
                    {goal.map(|g| view! { <span>{move || Key::Goal.get(lang.get())} ": " {g.clone()}</span> })}
                    {team.map(|t| view! { <span>" · " {move || Key::Team.get(lang.get())} ": " {t.clone()}</span> })}
                </p>
                <dl class="sb-metrics" part="metrics" aria-label=move || Key::Results.get(lang.get())>
                    {story.metrics.into_iter().map(|m| view! { <MetricRow metric=m/> }).collect::<Vec<_>>()}
                </dl>
                {(!story.tags.is_empty()).then(|| view! {
                    <ul class="km-tags">
                        {story.tags.into_iter().map(|t| view! { <li class="km-tag" part="tag">{t}</li> }).collect::<Vec<_>>()}
                    </ul>
                })}
                <p class="sb-foot km-muted">
                    <span>{move || fill(Key::By.get(lang.get()), &[("name", &author)])} " · " <RelativeTime at=story.created_at/></span>
                    <span>{move || plural(lang.get(), applause, Key::ApplauseOne, Key::ApplauseOther)}</span>
                </p>
            </article>
        </li>
    }
}

/// One metric: label, baseline → current with unit, improvement badge.
#[component]
pub fn MetricRow(
    /// The metric to show.
    metric: Metric,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let m = StoredValue::new(metric);
    let values = move || {
        m.with_value(|m| {
            let l = lang.get();
            let d = decimals(m);
            (
                with_unit(&format_number(l, m.baseline, d), &m.unit),
                with_unit(&format_number(l, m.current, d), &m.unit),
            )
        })
    };
    let badge = move || {
        m.with_value(|m| {
            let pct = m.improvement_pct()?;
            let l = lang.get();
            let shown = format_percent_change(l, pct);
            let (class, key) = match trend(m) {
                Trend::Better => ("km-badge sb-better", Key::Better),
                Trend::Worse => ("km-badge sb-worse", Key::Worse),
                Trend::Flat => ("km-badge", Key::Better),
            };
            let spoken = fill(key.get(l), &[("pct", &format_percent_change(l, pct.abs()))]);
            Some(view! {
                <span class=class part="badge">
                    <span aria-hidden="true">{shown}</span>
                    <span class="km-sr-only">{spoken}</span>
                </span>
            })
        })
    };
    view! {
        <div class="sb-metric" part="metric">
            <dt>{m.with_value(|m| m.label.clone())}</dt>
            <dd>
                <span aria-hidden="true">
                    {move || {
                        let (from, to) = values();
                        format!("{from} → {to}")
                    }}
                </span>
                <span class="km-sr-only">
                    {move || {
                        let (from, to) = values();
                        fill(Key::FromTo.get(lang.get()), &[("from", &from), ("to", &to)])
                    }}
                </span>
                {badge}
            </dd>
        </div>
    }
}
