//! One reflection as a card (journal, feed) and the actions on it: share
//! (named or anonymous), react (feed), and the `km-prefill` buttons that
//! hand it to ask-the-community or the story board.

use km_protocol::Page;
use km_protocol::reflections::{Reaction, ReactionState, Reflection, ReflectionVisibility};
use km_widgets_core::events::{detail, to_js};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::ui::{Markdown, Paged, RelativeTime, report_error};
use km_widgets_core::{Api, ApiError, Translate, WidgetContext, use_widget};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api;
use crate::model::{PrefillTarget, prefill, reaction_key, visibility_key};
use crate::strings::Key;

/// A list of reflections loaded page by page (the journal and the feed):
/// the first page again after a search or a change of person, further
/// pages with "Show more".
#[derive(Debug, Clone, Copy)]
pub struct Pages {
    /// The reflections shown and the next page's cursor.
    pub list: Paged<Reflection>,
    /// None while the first page loads; then loaded or the error.
    pub state: RwSignal<Option<Result<(), ApiError>>>,
}

impl Pages {
    /// An empty list, loading.
    pub fn new() -> Self {
        Pages {
            list: Paged::new(Page {
                items: Vec::new(),
                next_cursor: None,
            }),
            state: RwSignal::new(None),
        }
    }

    /// Shows a fetched first page or its error; false when the widget
    /// unmounted meanwhile.
    pub fn show(&self, ctx: &WidgetContext, page: Result<Page<Reflection>, ApiError>) -> bool {
        if self.state.try_get_untracked().is_none() {
            return false;
        }
        match page {
            Ok(p) => {
                self.list.items.set(p.items);
                self.list.next.set(p.next_cursor);
                self.state.set(Some(Ok(())));
                ctx.mark_ready();
            }
            Err(e) => self.state.set(Some(Err(e))),
        }
        true
    }
}

impl Default for Pages {
    fn default() -> Self {
        Self::new()
    }
}

/// Fires `km-prefill` `{widget, target, title, body, tags, source}` for
/// `target` (see docs/EMBEDDING.md: the receiving widget opens its form with
/// these values; the page may also route the event itself).
pub fn emit_prefill(ctx: &WidgetContext, target: PrefillTarget, r: &Reflection) {
    let (title, body, tags) = prefill(r);
    ctx.emit(
        "km-prefill",
        &[
            ("target", JsValue::from_str(target.kind())),
            ("title", JsValue::from_str(&title)),
            ("body", JsValue::from_str(&body)),
            ("tags", to_js(&tags)),
            (
                "source",
                detail(&[
                    ("widget", JsValue::from_str("reflection-prompt")),
                    ("reflection_id", JsValue::from_str(&r.id)),
                ]),
            ),
        ],
    );
}

/// A reflection: who (feed) or who may read it (journal), when, energy,
/// the text and its tags; `children` are its actions.
#[component]
pub fn ReflectionCard(
    /// The reflection.
    reflection: Reflection,
    /// Show the author ("Anonymous" when absent) instead of the visibility.
    #[prop(optional)]
    show_author: bool,
    /// The actions under the text.
    children: Children,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let vis = reflection.visibility;
    let energy = reflection.energy;
    let who = if show_author {
        Some(reflection.author.as_ref().map(|a| a.name.clone()))
    } else {
        None
    };
    let tags = reflection.tags.clone();
    view! {
        <article class="rp-card" part="item card">
            <p class="km-muted rp-meta">
                {who.map(|w| view! {
                    <span class="rp-author" part="author">
                        {move || w.clone().unwrap_or_else(|| Key::Anonymous.get(lang.get()).to_owned())}
                    </span>
                    " · "
                })}
                {(!show_author).then(|| view! {
                    <span part="visibility">{move || visibility_key(vis).get(lang.get())}</span>
                    " · "
                })}
                <RelativeTime at=reflection.created_at.clone()/>
                {move || energy.map(|n| format!(" · {}", fill(Key::EnergyShown.get(lang.get()), &[("n", &n.to_string())])))}
            </p>
            <Markdown source=reflection.body.clone()/>
            {(!tags.is_empty()).then(|| view! {
                <ul class="km-tags">
                    {tags.into_iter().map(|t| view! { <li class="km-tag" part="tag">{t}</li> }).collect::<Vec<_>>()}
                </ul>
            })}
            <div class="rp-actions">{children()}</div>
        </article>
    }
}

/// The two `km-prefill` buttons.
#[component]
pub fn PrefillButtons(
    /// The reflection handed on.
    reflection: Reflection,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let r = StoredValue::new(reflection);
    let button = move |target: PrefillTarget, key: Key| {
        view! {
            <button type="button" class="km-btn km-btn-secondary" part="button prefill"
                on:click=move |_| r.with_value(|r| emit_prefill(&ctx, target, r))>
                {tr(lang, key)}
            </button>
        }
    };
    view! {
        {button(PrefillTarget::Question, Key::AskCommunity)}
        {button(PrefillTarget::Story, Key::ToStory)}
    }
}

/// Share buttons of one of my private reflections; `on_shared` gets the
/// server's answer (and `km-reflection-shared` fires).
#[component]
pub fn ShareButtons(
    /// The reflection's id.
    id: String,
    /// Called with the shared reflection.
    on_shared: Callback<Reflection>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let id = StoredValue::new(id);
    let busy = RwSignal::new(false);
    let share = move |vis: ReflectionVisibility| {
        if busy.get_untracked() {
            return;
        }
        let Some(api) = Api::from_config_untracked(&ctx.config) else {
            return;
        };
        busy.set(true);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = api::share(&api, &id, vis).await;
            if busy.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(r) => {
                    ctx.announcer
                        .say(Key::SharedAnnounce.get(lang.get_untracked()));
                    ctx.emit("km-reflection-shared", &[("reflection", to_js(&r))]);
                    on_shared.run(r);
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    view! {
        <button type="button" class="km-btn km-btn-secondary" part="button share"
            aria-disabled=move || busy.get().then_some("true")
            on:click=move |_| share(ReflectionVisibility::Shared)>
            {tr(lang, Key::ShareNamed)}
        </button>
        <button type="button" class="km-btn km-btn-secondary" part="button share-anonymous"
            aria-disabled=move || busy.get().then_some("true")
            on:click=move |_| share(ReflectionVisibility::Anonymous)>
            {tr(lang, Key::ShareAnonymous)}
        </button>
    }
}

/// The reactions of a shared reflection: a toggle button each, with its
/// count (`aria-pressed` when I gave it).
#[component]
pub fn Reactions(
    /// The reflection's id.
    id: String,
    /// Counts and mine, as the server last said.
    state: ReactionState,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let state = RwSignal::new(state);
    let id = StoredValue::new(id);
    let toggle = move |r: Reaction| {
        let Some(api) = Api::from_config_untracked(&ctx.config) else {
            return;
        };
        let on = !state.with_untracked(|s| s.my_reactions.contains(&r));
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match api::react(&api, &id, r, on).await {
                Ok(s) => {
                    let _ = state.try_set(s);
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    Reaction::ALL
        .into_iter()
        .map(|r| {
            view! {
                <button type="button" class="km-btn km-btn-secondary rp-reaction" part="button reaction"
                    aria-pressed=move || if state.with(|s| s.my_reactions.contains(&r)) { "true" } else { "false" }
                    on:click=move |_| toggle(r)>
                    {move || reaction_key(r).get(lang.get())}
                    " "
                    <span class="rp-count">{move || state.with(|s| s.reactions.get(r))}</span>
                </button>
            }
        })
        .collect::<Vec<_>>()
}
