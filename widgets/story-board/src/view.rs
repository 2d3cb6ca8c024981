//! The story board's frame: [`StoryBoard`] picks the mode (`board`,
//! `submit`, `ticker`); [`BoardView`] switches between four views (the
//! stories, the impact, the review queue for moderators, the submit form);
//! [`Board`] is the state they share. The cards are in [`crate::card`], the
//! filters in [`crate::toolbar`].

use km_protocol::Me;
use km_protocol::stories::{Goal, StorySort, StoryStatus};
use km_widgets_core::events::{Prefill, on_prefill};
use km_widgets_core::i18n::tr;
use km_widgets_core::intl::now_ms;
use km_widgets_core::ui::{Empty, async_view};
use km_widgets_core::{Api, Translate, WidgetConfig, use_widget};
use leptos::prelude::*;

use crate::api::{self, StoryFilter};
use crate::card::StoryCard;
use crate::form::SubmitForm;
use crate::impact_view::ImpactView;
use crate::model::{Grouping, date_days_before, group};
use crate::strings::Key;
use crate::ticker::Ticker;
use crate::toolbar::Toolbar;

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
    /// A `km-prefill` for the form, until the form takes it.
    pub prefill: RwSignal<Option<Prefill>>,
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
            prefill: RwSignal::new(None),
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

    /// [`Board::filter`], untracked (for event handlers).
    pub fn filter_untracked(&self) -> StoryFilter {
        untrack(|| self.filter())
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
    // Another widget (the reflection prompt's "Turn into a story") or the
    // page hands a story to start from: the form opens with it.
    on_prefill(crate::KIND, move |p| board.prefill.set(Some(p)));
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
    Effect::new(move |_| {
        if board.prefill.with(Option::is_some) {
            tab.set(Tab::Submit);
        }
    });
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
