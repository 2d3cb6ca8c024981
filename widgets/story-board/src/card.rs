//! A story as a card, with its metrics, the applause toggle and the
//! moderators' actions. [`StoryCard`] and [`MetricRow`] render only what
//! they are given, so browser tests mount them without a server.

use km_protocol::stories::{Metric, Story, StoryStatus};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::intl::{format_number, format_percent_change};
use km_widgets_core::ui::{RelativeTime, report_error};
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api;
use crate::board::Board;
use crate::model::{Trend, decimals, trend, with_unit};
use crate::strings::Key;

/// One story as a card: title, goal and team, the numbers, the story,
/// contributors, quote, evidence, tags, applause; for moderators Publish or
/// Feature.
#[component]
pub fn StoryCard(
    /// The story to show.
    story: Story,
    /// The board (for applause and moderation; optional in tests).
    #[prop(optional)]
    board: Option<Board>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let goal = story.goal.map(|g| g.name);
    let team = (!story.team.trim().is_empty()).then_some(story.team);
    let author = story.author.name;
    let contributors = story.contributors.join(", ");
    let published = story.status == StoryStatus::Published;
    let featured = story.featured;
    let evidence = story
        .evidence_url
        .filter(|u| km_protocol::validate::is_safe_url(u));
    let title_id = use_widget().dom_id(&format!("story-{}", story.id));
    let mod_actions = board.map(|b| {
        let id = story.id.clone();
        let title = story.title.clone();
        view! { <ModeratorActions board=b id=id title=title published=published featured=featured/> }
    });
    let applause = published.then(|| {
        view! {
            <ApplauseButton id=story.id.clone() title_id=title_id.clone()
                count=story.applause mine=story.applauded_by_me/>
        }
    });
    view! {
        <li class=if featured { "sb-card sb-featured" } else { "sb-card" } part="item card">
            <article>
                {featured.then(|| view! { <span class="km-badge sb-badge-featured" part="badge featured">"★ " {tr(lang, Key::Featured)}</span> })}
                {(!published).then(|| view! { <span class="km-badge" part="badge waiting">{tr(lang, Key::Waiting)}</span> })}
                <h3 part="item-title" id=title_id>{story.title}</h3>
                <p class="sb-meta km-muted">
                    {goal.map(|g| view! { <span>{tr(lang, Key::Goal)} ": " {g}</span> })}
                    {team.map(|t| view! { <span>" · " {tr(lang, Key::Team)} ": " {t}</span> })}
                </p>
                <dl class="sb-metrics" part="metrics" aria-label=tr(lang, Key::Results)>
                    {story.metrics.into_iter().map(|m| view! { <MetricRow metric=m/> }).collect::<Vec<_>>()}
                </dl>
                <p class="sb-text">{story.result}</p>
                {story.quote.map(|q| view! { <blockquote class="sb-quote" part="quote">"“" {q} "”"</blockquote> })}
                {(!story.tags.is_empty()).then(|| view! {
                    <ul class="km-tags">
                        {story.tags.into_iter().map(|t| view! { <li class="km-tag" part="tag">{t}</li> }).collect::<Vec<_>>()}
                    </ul>
                })}
                <p class="sb-foot km-muted">
                    <span>
                        {move || fill(Key::By.get(lang.get()), &[("name", &author)])}
                        {(!contributors.is_empty()).then(|| {
                            let c = contributors.clone();
                            view! { " " {move || fill(Key::With.get(lang.get()), &[("names", &c)])} }
                        })}
                        " · " <RelativeTime at=story.created_at/>
                    </span>
                    {evidence.map(|u| view! { <a href=u part="evidence" rel="noopener noreferrer" target="_blank">{tr(lang, Key::Evidence)}</a> })}
                </p>
                <div class="sb-actions">
                    {applause}
                    {mod_actions}
                </div>
            </article>
        </li>
    }
}

/// The applause toggle: `aria-pressed` says whether I applauded; its name
/// is "Applaud", the story's title (by reference, so the title is not
/// repeated in the page's text) and the visible count.
#[component]
pub fn ApplauseButton(
    /// Story id.
    id: String,
    /// The id of the story's title element (part of the button's name).
    title_id: String,
    /// Applause so far.
    count: i64,
    /// Whether I applauded.
    mine: bool,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let count = RwSignal::new(count);
    let pressed = RwSignal::new(mine);
    let verb_id = ctx.dom_id(&format!("{title_id}-applaud"));
    let count_id = ctx.dom_id(&format!("{title_id}-count"));
    let labelled_by = format!("{verb_id} {title_id} {count_id}");
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let click = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let on = !pressed.get_untracked();
        // Optimistic: the click shows at once; a refusal undoes it.
        pressed.set(on);
        count.update(|n| *n += if on { 1 } else { -1 });
        busy.set(true);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let res = api::applaud(&api, &id, on).await;
            if busy.try_set(false).is_some() {
                return;
            }
            match res {
                Ok(a) => {
                    count.set(a.applause);
                    pressed.set(a.applauded_by_me);
                }
                Err(e) => {
                    pressed.set(!on);
                    count.update(|n| *n -= if on { 1 } else { -1 });
                    report_error(ctx, &e);
                }
            }
        });
    };
    view! {
        <button
            type="button"
            class="km-btn km-btn-secondary sb-applause"
            part="button applause"
            aria-pressed=move || if pressed.get() { "true" } else { "false" }
            aria-labelledby=labelled_by
            on:click=click
        >
            // The visible count is part of the name (WCAG 2.5.3, label in name).
            <span aria-hidden="true">"👏 "</span>
            <span class="km-sr-only" id=verb_id>{tr(lang, Key::Applaud)}</span>
            <span part="count" id=count_id>{move || count.get()}</span>
        </button>
    }
}

/// Publish (for a submitted story) or the Feature toggle, for moderators only.
#[component]
pub fn ModeratorActions(
    /// The board.
    board: Board,
    /// Story id.
    id: String,
    /// Story title (announced after publishing).
    title: String,
    /// Whether it is published.
    published: bool,
    /// Whether it is featured.
    featured: bool,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let announcer = ctx.announcer;
    let id = StoredValue::new(id);
    let title = StoredValue::new(title);
    let act = move |publish: bool| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let res = if publish {
                api::publish(&api, &id).await
            } else {
                api::feature(&api, &id, !featured).await
            };
            match res {
                Ok(_) => {
                    if publish {
                        announcer.say(fill(
                            Key::Published.get(lang.get_untracked()),
                            &[("title", &title.get_value())],
                        ));
                    }
                    board.refresh.notify();
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    move || {
        board.moderator().then(|| {
            if published {
                view! {
                    <button type="button" class="km-btn km-btn-secondary" part="button feature"
                        aria-pressed=if featured { "true" } else { "false" }
                        on:click=move |_| act(false)>
                        {tr(lang, Key::Feature)}
                    </button>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="km-btn" part="button publish" on:click=move |_| act(true)>
                        {tr(lang, Key::Publish)}
                    </button>
                }
                .into_any()
            }
        })
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
