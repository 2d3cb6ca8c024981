//! The story board's components. [`StoryBoard`] picks the mode (`board`,
//! `submit`, `ticker`); the board has four views (stories, impact, the
//! review queue for moderators, the submit form). [`StoryCard`] and
//! [`MetricRow`] only render what they are given, so browser tests mount
//! them without a server.

use km_protocol::Me;
use km_protocol::stories::{Goal, Metric, Story, StorySort, StoryStatus};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::intl::{format_number, format_percent_change, now_ms};
use km_widgets_core::ui::{Empty, RelativeTime, async_view, report_error};
use km_widgets_core::{Api, Translate, WidgetConfig, use_widget};
use leptos::prelude::*;

use crate::api::{self, StoryFilter};
use crate::form::SubmitForm;
use crate::impact_view::ImpactView;
use crate::model::{
    Grouping, PERIODS, Trend, date_days_before, decimals, group, parse_sort, sort_value, trend,
    with_unit,
};
use crate::strings::Key;
use crate::ticker::Ticker;

/// What the board shares with its parts.
#[derive(Clone, Copy)]
pub struct Board {
    /// Goal filter (id; empty: all).
    pub goal: RwSignal<String>,
    /// Team filter (empty: all).
    pub team: RwSignal<String>,
    /// Tag filter.
    pub tag: RwSignal<String>,
    /// Period filter: days back (0: all time).
    pub period: RwSignal<u32>,
    /// Order.
    pub sort: RwSignal<StorySort>,
    /// Grouping of the cards.
    pub grouping: RwSignal<Grouping>,
    /// Bumped after a moderator's action, to refetch.
    pub refresh: RwSignal<u32>,
    /// The signed-in person (None: anonymous or unknown).
    pub me: RwSignal<Option<Me>>,
    /// The organization's goals.
    pub goals: RwSignal<Vec<Goal>>,
    /// Page size (`limit` attribute).
    pub limit: Signal<u32>,
}

impl Board {
    /// A board with the widget's `goal`, `team` and `limit` attributes.
    pub fn new(cfg: WidgetConfig) -> Board {
        untrack(|| Board {
            goal: RwSignal::new(cfg.attr("goal").unwrap_or_default()),
            team: RwSignal::new(cfg.attr("team").unwrap_or_default()),
            tag: RwSignal::new(String::new()),
            period: RwSignal::new(0),
            sort: RwSignal::new(StorySort::Newest),
            grouping: RwSignal::new(Grouping::None),
            refresh: RwSignal::new(0),
            me: RwSignal::new(None),
            goals: RwSignal::new(Vec::new()),
            limit: Signal::derive(move || cfg.attr_u32("limit", 6, 1, 50)),
        })
    }

    /// The current filter (tracked).
    pub fn filter(&self) -> StoryFilter {
        let days = self.period.get();
        StoryFilter {
            goal: Some(self.goal.get()),
            team: Some(self.team.get()),
            tag: Some(self.tag.get()),
            from: (days > 0).then(|| date_days_before(now_ms(), days)),
            sort: self.sort.get(),
            limit: self.limit.get(),
        }
    }

    /// Whether the signed-in person moderates.
    pub fn moderator(&self) -> bool {
        self.me.with(|m| m.as_ref().is_some_and(Me::is_moderator))
    }
}

/// Which view of the board is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The cards.
    Stories,
    /// The impact summary and charts.
    Impact,
    /// Submitted stories (moderators).
    Review,
    /// The submit form.
    Submit,
}

/// The widget: `mode="submit"` is only the form, `mode="ticker"` the
/// rotating latest success, anything else the board.
#[component]
pub fn StoryBoard() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let board = Board::new(cfg);
    // Goals and identity, once per api/identity change (both optional).
    Effect::new(move |_| {
        let api = Api::from_config(&cfg);
        leptos::task::spawn_local(async move {
            if let Ok(page) = api::goals(&api).await {
                board.goals.try_set(page.items);
            }
            board.me.try_set(api::me(&api).await.ok());
        });
    });
    // Only a change of `mode` rebuilds the widget (not one of `limit` or `team`).
    let mode = Memo::new(move |_| cfg.attr("mode"));
    move || match mode.get().as_deref() {
        Some("submit") => view! { <SubmitForm board=board/> }.into_any(),
        Some("ticker") => view! { <Ticker board=board/> }.into_any(),
        _ => view! { <BoardView board=board/> }.into_any(),
    }
}

/// The board: heading, view switcher and the open view.
#[component]
pub fn BoardView(
    /// The board's state.
    board: Board,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let title_id = ctx.dom_id("title");
    let labelled_by = title_id.clone();
    let tab = RwSignal::new(Tab::Stories);
    let tab_button = move |t: Tab, key: Key| {
        view! {
            <button
                type="button"
                class="km-btn km-btn-secondary sb-tab"
                part="button tab"
                aria-pressed=move || if tab.get() == t { "true" } else { "false" }
                on:click=move |_| tab.set(t)
            >
                {tr(lang, key)}
            </button>
        }
    };
    view! {
        <section aria-labelledby=labelled_by class="sb-board">
            <header class="km-header sb-noprint" part="header">
                <h2 id=title_id part="title">{tr(lang, Key::Title)}</h2>
                <div class="sb-tabs" role="group" aria-label=tr(lang, Key::Views)>
                    {tab_button(Tab::Stories, Key::TabBoard)}
                    {tab_button(Tab::Impact, Key::TabImpact)}
                    {move || board.moderator().then(|| tab_button(Tab::Review, Key::TabReview))}
                    {tab_button(Tab::Submit, Key::TabSubmit)}
                </div>
            </header>
            {move || match tab.get() {
                Tab::Submit => view! { <SubmitForm board=board/> }.into_any(),
                Tab::Review => view! { <ReviewQueue board=board/> }.into_any(),
                Tab::Impact => view! { <Toolbar board=board/> <ImpactView board=board/> }.into_any(),
                Tab::Stories => view! { <Toolbar board=board/> <Stories board=board/> }.into_any(),
            }}
        </section>
    }
}

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
                Err(e) => report_error(&e),
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

impl Board {
    /// [`Board::filter`], untracked (for event handlers).
    pub fn filter_untracked(&self) -> StoryFilter {
        untrack(|| self.filter())
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

/// The published stories of the current filters, grouped.
#[component]
pub fn Stories(
    /// The board's state.
    board: Board,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let stories = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        let filter = board.filter();
        let _ = board.refresh.get();
        async move { api::list_stories(&api, &filter, StoryStatus::Published).await }
    });
    let filtered = move || {
        board.filter_untracked()
            != StoryFilter {
                limit: board.limit.get_untracked(),
                ..Default::default()
            }
    };
    async_view(stories, move |page| {
        if page.items.is_empty() {
            let key = if filtered() { Key::NoMatch } else { Key::Empty };
            return view! { <Empty message=Signal::derive(move || key.get(lang.get()).to_owned())/> }
                .into_any();
        }
        let grouping = board.grouping.get_untracked();
        group(page.items, grouping)
            .into_iter()
            .map(|g| {
                let heading = (grouping != Grouping::None).then(|| {
                    let label = g.label.clone();
                    let none = if grouping == Grouping::Goal { Key::NoGoal } else { Key::NoTeam };
                    view! {
                        <h3 class="sb-group-title">
                            {move || if label.is_empty() { none.get(lang.get()).to_owned() } else { label.clone() }}
                        </h3>
                    }
                });
                view! {
                    {heading}
                    <ul class="sb-cards" part="list">
                        {g.stories.into_iter().map(|s| view! { <StoryCard story=s board=board/> }).collect::<Vec<_>>()}
                    </ul>
                }
            })
            .collect::<Vec<_>>()
            .into_any()
    })
}

/// Submitted stories, for moderators to publish.
#[component]
pub fn ReviewQueue(
    /// The board's state.
    board: Board,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let queue = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        let _ = board.refresh.get();
        let filter = StoryFilter {
            limit: 50,
            ..Default::default()
        };
        async move { api::list_stories(&api, &filter, StoryStatus::Submitted).await }
    });
    async_view(queue, move |page| {
        if page.items.is_empty() {
            return view! { <Empty message=Signal::derive(move || Key::NothingToReview.get(lang.get()).to_owned())/> }
                .into_any();
        }
        view! {
            <ul class="sb-cards" part="list">
                {page.items.into_iter().map(|s| view! { <StoryCard story=s board=board/> }).collect::<Vec<_>>()}
            </ul>
        }
        .into_any()
    })
}

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
    let mod_actions = board.map(|b| {
        let id = story.id.clone();
        let title = story.title.clone();
        view! { <ModeratorActions board=b id=id title=title published=published featured=featured/> }
    });
    let applause = published.then(|| {
        view! {
            <ApplauseButton id=story.id.clone() title=story.title.clone()
                count=story.applause mine=story.applauded_by_me/>
        }
    });
    view! {
        <li class=if featured { "sb-card sb-featured" } else { "sb-card" } part="item card">
            <article>
                {featured.then(|| view! { <span class="km-badge sb-badge-featured" part="badge featured">"★ " {tr(lang, Key::Featured)}</span> })}
                {(!published).then(|| view! { <span class="km-badge" part="badge waiting">{tr(lang, Key::Waiting)}</span> })}
                <h3 part="item-title">{story.title}</h3>
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
/// is "Applaud “title”" and the count.
#[component]
pub fn ApplauseButton(
    /// Story id.
    id: String,
    /// Story title (in the accessible name).
    title: String,
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
            if busy.try_set(false).is_none() {
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
                    report_error(&e);
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
            on:click=click
        >
            // The visible count is part of the name (WCAG 2.5.3, label in name).
            <span aria-hidden="true">"👏 "</span>
            <span class="km-sr-only">{move || fill(Key::Applaud.get(lang.get()), &[("title", &title)])} " "</span>
            <span part="count">{move || count.get()}</span>
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
                    board.refresh.try_update(|n| *n += 1);
                }
                Err(e) => report_error(&e),
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
