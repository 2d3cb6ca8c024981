//! The polite live region every widget has, for announcing saves and errors
//! to screen-reader users without moving focus.

use leptos::prelude::*;

/// A handle to a widget's live region; [`Announcer::say`] announces a message.
#[derive(Debug, Clone, Copy)]
pub struct Announcer {
    message: RwSignal<String>,
}

impl Announcer {
    /// A new, silent announcer (inside a reactive owner).
    pub fn new() -> Self {
        Announcer {
            message: RwSignal::new(String::new()),
        }
    }

    /// Announces `message`. Repeating the same text is announced again: a
    /// no-break space is toggled at the end so the region's text changes.
    pub fn say(&self, message: impl Into<String>) {
        let mut next = message.into();
        let same = self
            .message
            .try_with_untracked(|cur| cur.trim_end_matches('\u{a0}') == next)
            .unwrap_or(false);
        if same
            && !self
                .message
                .try_with_untracked(|cur| cur.ends_with('\u{a0}'))
                .unwrap_or(true)
        {
            next.push('\u{a0}');
        }
        self.message.set(next);
    }

    /// The current announcement (reactive).
    pub fn current(&self) -> String {
        self.message.get()
    }
}

impl Default for Announcer {
    fn default() -> Self {
        Self::new()
    }
}

/// The visually hidden `role="status"` region that speaks the announcer's messages.
#[component]
pub fn LiveRegion(
    /// Whose messages to speak.
    announcer: Announcer,
) -> impl IntoView {
    view! {
        <div class="km-sr-only" role="status" aria-live="polite" aria-atomic="true" part="live">
            {move || announcer.current()}
        </div>
    }
}
