//! [`Board`]: the state the story board's views share (filters, the
//! signed-in person, the goals, the refresh trigger, a pending prefill).

use km_protocol::Me;
use km_protocol::stories::{Goal, StorySort};
use km_widgets_core::events::Prefill;
use km_widgets_core::intl::now_ms;
use km_widgets_core::{Limit, Refresh, use_attr};
use leptos::prelude::*;

use crate::api::StoryFilter;
use crate::model::{Grouping, date_days_before};

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
    pub refresh: Refresh,
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
    /// A board with the widget's `goal`, `team` and `limit` attributes
    /// (inside the widget's reactive owner).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Board {
        let limit = use_attr::<Limit<6, 50>>("limit");
        Board {
            goal: RwSignal::new(use_attr::<String>("goal").get_untracked()),
            team: RwSignal::new(use_attr::<String>("team").get_untracked()),
            tag: RwSignal::new(String::new()),
            period: RwSignal::new(0),
            sort: RwSignal::new(StorySort::Newest),
            grouping: RwSignal::new(Grouping::None),
            refresh: Refresh::new(),
            me: RwSignal::new(None),
            goals: RwSignal::new(Vec::new()),
            limit: Signal::derive(move || limit.get().0),
            prefill: RwSignal::new(None),
        }
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
