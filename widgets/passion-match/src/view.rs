//! The passion match's components. [`PassionMatch`] loads the data; the
//! others only render what they are given, so browser tests mount them
//! without a server.

use km_protocol::passions::{Passion, Profile};
use km_widgets_core::i18n::{fill, plural, tr, tr_signal};
use km_widgets_core::ui::{Empty, Note, async_view, async_view_or_signed_out};
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api::{colleagues, my_profile};
use crate::model::{
    DEFAULT_LIMIT, MAX_LIMIT, is_shared, level_class, level_key, my_keys, rank_colleagues,
    shared_count,
};
use crate::strings::Key;

/// The whole widget: my passions, then colleagues who share them.
#[component]
pub fn PassionMatch() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let mine_id = ctx.dom_id("mine-title");
    let mine_by = mine_id.clone();
    let colleagues_id = ctx.dom_id("colleagues-title");
    let colleagues_by = colleagues_id.clone();
    let me = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        async move { my_profile(&api).await }
    });
    let list = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        let limit = cfg.attr_u32("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        let tag = cfg.attr("tag");
        async move { colleagues(&api, limit, tag.as_deref()).await }
    });
    // My passion keys; empty until my profile loaded (or when signed out),
    // so the colleague list renders at once and highlights later.
    let mine = Signal::derive(move || {
        me.with(|r| match r {
            Some(Ok(p)) => my_keys(Some(p)),
            _ => Vec::new(),
        })
    });
    let colleagues_title = move || {
        let l = lang.get();
        match cfg.attr("tag").filter(|t| !t.trim().is_empty()) {
            Some(tag) => fill(Key::ColleaguesTagTitle.get(l), &[("tag", tag.trim())]),
            None => Key::ColleaguesTitle.get(l).to_owned(),
        }
    };
    view! {
        <div class="pm">
            <section class="pm-section" part="mine" aria-labelledby=mine_by>
                <header class="km-header" part="header">
                    <h2 id=mine_id part="title">{tr(lang, Key::MineTitle)}</h2>
                </header>
                {async_view_or_signed_out(
                    me,
                    move || view! { <Note message=tr_signal(lang, Key::SignIn)/> },
                    |profile| view! { <MyPassions profile=profile/> },
                )}
            </section>
            <section class="pm-section" part="colleagues" aria-labelledby=colleagues_by>
                <header class="km-header" part="header">
                    <h2 id=colleagues_id part="title">{colleagues_title}</h2>
                </header>
                {async_view(list, move |page| view! { <ColleagueList colleagues=page.items mine=mine/> })}
            </section>
        </div>
    }
}

/// My own passions as tags with their level, or an empty note.
#[component]
pub fn MyPassions(
    /// My profile.
    profile: Profile,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    if profile.passions.is_empty() {
        return view! { <Empty message=tr_signal(lang, Key::MineEmpty)/> }.into_any();
    }
    view! {
        <ul class="km-tags pm-mine" part="list">
            {profile.passions.into_iter().map(|p| view! { <PassionTag passion=p/> }).collect::<Vec<_>>()}
        </ul>
    }
    .into_any()
}

/// One passion: its label and level. A passion I share is marked with a ✓,
/// a thicker accent border and a screen-reader note (not by colour alone).
#[component]
pub fn PassionTag(
    /// The passion.
    passion: Passion,
    /// Whether I have it too (default: no).
    #[prop(optional, into)]
    shared: MaybeProp<bool>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let level = passion.level;
    let is = move || shared.get().unwrap_or(false);
    view! {
        <li
            class=format!("km-tag pm-passion {}", level_class(level))
            class:pm-shared=is
            part=move || if is() { "tag shared" } else { "tag" }
            data-shared=move || is().then_some("true")
        >
            {move || is().then(|| view! { <span class="pm-check" aria-hidden="true">"✓"</span> })}
            <span class="pm-tag-label">{passion.tag}</span>
            <span class="pm-level">" · " {move || level_key(level).get(lang.get())}</span>
            {move || is().then(|| view! {
                <span class="km-sr-only">" " {tr(lang, Key::SharedMark)}</span>
            })}
        </li>
    }
}

/// Colleague cards, those with most passions in common with me first.
#[component]
pub fn ColleagueList(
    /// The colleagues, in the server's order.
    colleagues: Vec<Profile>,
    /// The keys of my passions (see [`crate::model::my_keys`]).
    #[prop(into)]
    mine: Signal<Vec<String>>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    if colleagues.is_empty() {
        return view! { <Empty message=tr_signal(lang, Key::ColleaguesEmpty)/> }.into_any();
    }
    let all = StoredValue::new(colleagues);
    view! {
        <ul class="pm-cards" part="list">
            {move || {
                let ranked = mine.with(|m| all.with_value(|c| rank_colleagues(c.clone(), m)));
                ranked
                    .into_iter()
                    .map(|p| view! { <ColleagueCard profile=p mine=mine/> })
                    .collect::<Vec<_>>()
            }}
        </ul>
    }
    .into_any()
}

/// One colleague: name, department, why, and passions (shared ones marked).
#[component]
pub fn ColleagueCard(
    /// The colleague's profile.
    profile: Profile,
    /// The keys of my passions.
    #[prop(into)]
    mine: Signal<Vec<String>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let name = profile.person.name.clone();
    let department = profile
        .person
        .department
        .clone()
        .filter(|d| !d.trim().is_empty());
    let why = (!profile.why.trim().is_empty()).then(|| profile.why.clone());
    let open = profile.open_to_chat;
    let profile = StoredValue::new(profile);
    let common = move || {
        let n = mine.with(|m| profile.with_value(|p| shared_count(p, m)));
        (n > 0).then(|| plural(lang.get(), n as i64, Key::SharedOne, Key::SharedOther))
    };
    let list_label = {
        let name = name.clone();
        move || fill(Key::PassionsOf.get(lang.get()), &[("name", &name)])
    };
    let passions = profile.with_value(|p| p.passions.clone());
    view! {
        <li class="pm-card" part="item card">
            <article>
                <h3 part="item-title">{name}</h3>
                {department.map(|d| view! { <p class="km-muted" part="department">{d}</p> })}
                {move || common().map(|c| view! { <p class="km-status pm-common" part="status">{c}</p> })}
                <ul class="km-tags" aria-label=list_label>
                    {passions
                        .into_iter()
                        .map(|p| {
                            let key = p.clone();
                            let shared = Signal::derive(move || mine.with(|m| is_shared(&key, m)));
                            view! { <PassionTag passion=p shared=shared/> }
                        })
                        .collect::<Vec<_>>()}
                </ul>
                {why.map(|w| view! { <p class="pm-why">{w}</p> })}
                {open.then(|| view! {
                    <p class="km-badge pm-chat" part="badge">{tr(lang, Key::OpenToChat)}</p>
                })}
            </article>
        </li>
    }
}
