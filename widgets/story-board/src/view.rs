//! The story board's frame: [`StoryBoard`] picks the mode (`board`,
//! `submit`, `ticker`); [`BoardView`] switches between four views (the
//! stories, the impact, the review queue for moderators, the submit form);
//! [`Board`] (in [`crate::board`]) is the state they share. The cards are in [`crate::card`], the
//! filters in [`crate::toolbar`].

use km_protocol::stories::StoryStatus;
use km_widgets_core::events::on_prefill;
use km_widgets_core::i18n::tr;
use km_widgets_core::ui::{Empty, async_view};
use km_widgets_core::{Api, FromAttr, LazyPart, Translate, use_api_resource, use_attr, use_widget};
use leptos::prelude::*;

use crate::api::{self, StoryFilter};
use crate::board::Board;
use crate::card::StoryCard;
use crate::form::form_part;
use crate::impact_view::impact_part;
use crate::model::{Grouping, group};
use crate::strings::Key;
use crate::ticker::Ticker;
use crate::toolbar::Toolbar;

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
    let board = Board::new();
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
    let mode = use_attr::<Mode>("mode");
    move || match mode.get() {
        Mode::Submit => {
            view! { <LazyPart load=form_part render={move |f: fn(Board) -> AnyView| f(board)}/> }
                .into_any()
        }
        Mode::Ticker => view! { <Ticker board=board/> }.into_any(),
        Mode::Board => view! { <BoardView board=board/> }.into_any(),
    }
}

/// The `mode` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The board (the default).
    Board,
    /// Only the submit form.
    Submit,
    /// The rotating latest success.
    Ticker,
}

impl FromAttr for Mode {
    fn from_attr(value: Option<&str>) -> Self {
        match value {
            Some("submit") => Mode::Submit,
            Some("ticker") => Mode::Ticker,
            _ => Mode::Board,
        }
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
                // Opened with its tab: focus moves into the form once it is there.
                Tab::Submit => view! { <LazyPart load=form_part render={move |f: fn(Board) -> AnyView| f(board)} focus=true/> }.into_any(),
                Tab::Review => view! { <ReviewQueue board=board/> }.into_any(),
                Tab::Impact => view! { <Toolbar board=board/> <LazyPart load=impact_part render={move |f: fn(Board) -> AnyView| f(board)}/> }.into_any(),
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
    let stories = use_api_resource(move |api| {
        let filter = board.filter();
        board.refresh.track();
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
    let queue = use_api_resource(move |api| {
        board.refresh.track();
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
