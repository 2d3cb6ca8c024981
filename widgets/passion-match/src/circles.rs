//! Circles: a passion shared by three or more people open to a coffee
//! chat ("7 people love service design"), to join or leave, with its
//! members.

use km_protocol::Page;
use km_protocol::circles::Circle;
use km_widgets_core::i18n::{fill, plural, tr};
use km_widgets_core::ui::{Empty, Paged, async_view, report_error};
use km_widgets_core::{Api, Translate, use_api_resource, use_widget};
use leptos::prelude::*;

use crate::api::{circle_members, circles, set_membership};
use crate::model::{join_hint, level_key};
use crate::strings::Key;

/// The circles I can see, most people first, page by page.
#[component]
pub fn CircleList(
    /// The first page.
    first: Page<Circle>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    if first.items.is_empty() {
        return view! { <Empty message=Signal::derive(move || Key::CirclesEmpty.get(lang.get()).to_owned())/> }
            .into_any();
    }
    let paged = Paged::new(first);
    view! {
        <ul class="pm-cards" part="list circles">
            <For
                each=move || paged.items.get()
                key=|c| c.tag_key.clone()
                children=|c| view! { <CircleCard circle=c/> }
            />
        </ul>
        {paged.more_button(|api, cursor| async move { circles(&api, Some(&cursor)).await })}
    }
    .into_any()
}

/// One circle: its count, members count, join/leave and its members.
#[component]
pub fn CircleCard(
    /// The circle.
    circle: Circle,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let current = RwSignal::new(circle);
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let hint = RwSignal::new(None::<Key>);
    let members_id = ctx.dom_id(&format!(
        "circle-{}",
        current.with_untracked(|c| c.tag_key.replace(' ', "-"))
    ));
    let toggle = move |_| {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        // A refused join (`can_join` false) is explained by the server's
        // field error, which says which condition is missing.
        let (key, joined) = current.with_untracked(|c| (c.tag_key.clone(), c.joined));
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = set_membership(&api, &key, !joined).await;
            if busy.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(()) => {
                    hint.set(None);
                    current.update(|c| {
                        c.joined = !joined;
                        c.members += if joined { -1 } else { 1 };
                    });
                    let words = if joined { Key::Leave } else { Key::Joined };
                    ctx.announcer.say(words.get(lang.get_untracked()));
                }
                Err(e) if e.status() == 422 => {
                    let field = e
                        .problem()
                        .and_then(|p| p.errors.first().map(|f| f.field.clone()))
                        .unwrap_or_default();
                    let k = join_hint(&field);
                    hint.set(Some(k));
                    ctx.announcer.say(k.get(lang.get_untracked()));
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    let title = move || {
        current.with(|c| {
            fill(
                Key::CirclePeople.get(lang.get()),
                &[("n", &c.people.to_string()), ("tag", &c.tag)],
            )
        })
    };
    let members =
        move || current.with(|c| plural(lang.get(), c.members, Key::MembersOne, Key::MembersOther));
    view! {
        <li class="pm-card" part="item card circle">
            <h3 part="item-title">{title}</h3>
            <p class="km-muted" part="members-count">{members}</p>
            {move || current.with(|c| c.joined).then(|| view! {
                <p class="km-badge" part="badge joined">{tr(lang, Key::Joined)}</p>
            })}
            <div class="pm-actions">
                <button type="button" class="km-btn" part=move || if current.with(|c| c.joined) { "button leave" } else { "button join" }
                    aria-disabled=move || busy.get().then_some("true") on:click=toggle>
                    {move || if current.with(|c| c.joined) { Key::Leave.get(lang.get()) } else { Key::Join.get(lang.get()) }}
                </button>
                <button type="button" class="km-btn km-btn-secondary" part="button members"
                    aria-expanded=move || open.get().to_string() aria-controls=members_id.clone()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {tr(lang, Key::ShowMembers)}
                </button>
            </div>
            {move || hint.get().map(|k| view! { <p class="km-field-error" part="field-error" role="alert">{move || k.get(lang.get())}</p> })}
            <div id=members_id>
                {move || open.get().then(|| view! { <CircleMembers tag_key=current.with_untracked(|c| c.tag_key.clone())/> })}
            </div>
        </li>
    }
}

/// The members of one circle (loaded when shown).
#[component]
pub fn CircleMembers(
    /// The circle's tag key.
    tag_key: String,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let key = StoredValue::new(tag_key);
    let members = use_api_resource(move |api| {
        let key = key.get_value();
        async move { circle_members(&api, &key, None).await }
    });
    async_view(members, move |page| {
        if page.items.is_empty() {
            return view! { <Empty message=Signal::derive(move || Key::MembersEmpty.get(lang.get()).to_owned())/> }
                .into_any();
        }
        let paged = Paged::new(page);
        view! {
            <ul class="km-list" part="list members">
                // Not keyed: a member line has no state of its own, and one
                // list renderer less is smaller (the bundle is measured).
                {move || paged.items.get().into_iter().map(|m| {
                    let level = m.level;
                    view! {
                        <li part="item member">
                            <span part="item-title">{m.person.name}</span>
                            {m.person.department.map(|d| view! { <span class="km-muted" part="department">" · " {d}</span> })}
                            <span class="pm-level">" · " {move || level_key(level).get(lang.get())}</span>
                            {(!m.why.trim().is_empty()).then(|| view! { <span class="pm-why">" — " {m.why.clone()}</span> })}
                        </li>
                    }
                }).collect::<Vec<_>>()}
            </ul>
            {paged.more_button(move |api, cursor| async move {
                circle_members(&api, &key.get_value(), Some(&cursor)).await
            })}
        }
        .into_any()
    })
}
