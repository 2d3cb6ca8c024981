//! `mode="feed"`: reflections colleagues shared (named or "Anonymous"),
//! with reactions and the prefill buttons.

use km_protocol::reflections::ReactionState;
use km_widgets_core::i18n::tr;
use km_widgets_core::ui::{Empty, ErrorState, Loading};
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api;
use crate::cards::{Pages, PrefillButtons, Reactions, ReflectionCard};
use crate::strings::Key;

/// The feed.
#[component]
pub fn Feed() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let title_id = ctx.dom_id("feed-title");
    let labelled_by = title_id.clone();
    let pages = Pages::new();
    let Pages { list, state } = pages;
    let items = list.items;
    let load = move || {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let page = api::feed(&api, None).await;
            pages.show(&ctx, page);
        });
    };
    Effect::new(move |_| {
        let _ = Api::from_config(&cfg);
        load();
    });
    view! {
        <section aria-labelledby=labelled_by>
            <header class="km-header" part="header">
                <h2 id=title_id part="title">{tr(lang, Key::FeedTitle)}</h2>
            </header>
            {move || match state.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorState error=e on_retry=Callback::new(move |_| load())/> }.into_any(),
                Some(Ok(())) if items.with(Vec::is_empty) => view! {
                    <Empty message=Signal::derive(move || Key::FeedEmpty.get(lang.get()).to_owned())/>
                }.into_any(),
                Some(Ok(())) => ().into_any(),
            }}
            <ol class="km-list rp-feed" part="list">
                {move || items.get().into_iter().map(|r| {
                    let state = ReactionState { reactions: r.reactions, my_reactions: r.my_reactions.clone() };
                    let id = r.id.clone();
                    view! {
                        <li>
                            <ReflectionCard reflection=r.clone() show_author=true>
                                <Reactions id=id state=state/>
                                <PrefillButtons reflection=r.clone()/>
                            </ReflectionCard>
                        </li>
                    }
                }).collect::<Vec<_>>()}
            </ol>
            {list.more_button(|api, cursor| async move { api::feed(&api, Some(&cursor)).await })}
        </section>
    }
}
