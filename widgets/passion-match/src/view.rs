//! The passion match's top level: [`PassionMatch`] loads the data and lays
//! out the sections; the colleague cards of a tag page live here too. The
//! components of the other modules render what they are given, so browser
//! tests mount them without a server.

use km_protocol::Page;
use km_protocol::matches::Intro;
use km_protocol::passions::{Level, Passion, Profile};
use km_widgets_core::events::to_js;
use km_widgets_core::i18n::{fill, plural, tr, tr_signal};
use km_widgets_core::ui::tag_picker::tag_key;
use km_widgets_core::ui::{
    Empty, Paged, SignInNote, async_view, async_view_or_signed_out, report_error,
};
use km_widgets_core::{
    LazyPart, Refresh, Translate, use_api_resource, use_attr, use_outbox, use_widget,
};
use leptos::prelude::*;

use crate::api::{circles, colleagues, intros, matches, my_profile};
use crate::circles::CircleList;
use crate::editor::editor_part;
use crate::inbox::Inbox;
use crate::match_list::{Cards, MatchList};
use crate::model::{
    COMPACT_LIMIT, MAX_LIMIT, Mode, PageLimit, is_shared, level_class, level_key, passion_key,
    rank_colleagues, shared_count,
};
use crate::strings::Key;

/// The whole widget. `mode="compact"`: my top matches and a button that
/// opens my passions' editor. Otherwise: my passions, matches (or the
/// people of one passion), intros and circles.
#[component]
pub fn PassionMatch() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    // Bumped after every save of my profile: every list reloads.
    let version = Refresh::new();
    // Bumped after an intro was sent: only the intros reload (the match
    // list stays as it is, so the card that sent keeps its place, its
    // "sent" note and the focus).
    let intros_version = Refresh::new();
    let me = use_api_resource(move |api| async move { my_profile(&api).await });
    // My profile as last saved (the loaded one until a save answers).
    let saved = RwSignal::new(None::<Profile>);
    let current = Signal::derive(move || {
        saved
            .get()
            .or_else(|| me.with(|r| r.as_ref().and_then(|r| r.as_ref().ok().cloned())))
    });
    let signed_in = move || me.with(|r| matches!(r, Some(Ok(_))));
    let my_levels = Signal::derive(move || {
        current.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.passions
                        .iter()
                        .map(|x| (passion_key(x), x.level))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let on_saved = Callback::new(move |p: Profile| {
        saved.set(Some(p));
        version.notify();
    });
    let intro_sent = Callback::new(move |_: ()| intros_version.notify());
    // "Say hi" sends through this outbox: an intro written offline waits
    // and is sent once the server is back; then km-intro-sent fires.
    let outbox = use_outbox(move |_, result| match result {
        Ok(intro) => {
            ctx.emit("km-intro-sent", &[("intro", to_js(&intro))]);
            intros_version.notify();
        }
        Err(e) => report_error(ctx, &e),
    });
    provide_context(outbox);
    let mode = use_attr::<Mode>("mode");
    let editor = move || {
        async_view_or_signed_out(
            me,
            move || view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> },
            move |profile: Profile| {
                // In compact mode the person opened the editor: focus moves into it.
                let opened = mode.get_untracked() == Mode::Compact;
                let render = move |f: fn(Profile, Callback<Profile>) -> AnyView| {
                    f(profile.clone(), on_saved)
                };
                view! { <LazyPart load=editor_part render=render focus=opened/> }
            },
        )
    };
    view! {
        <div class="pm">
            {move || if mode.get() == Mode::Compact {
                view! { <Compact mine=my_levels editor=editor version=version/> }.into_any()
            } else {
                view! {
                    <Section part="mine" title=Key::MineTitle>{editor()}</Section>
                    {move || signed_in().then(|| {
                        let boxes = intro_boxes(version, intros_version);
                        view! {
                        <Matches mine=my_levels current=current version=version boxes=boxes on_sent=intro_sent/>
                        <Section part="intros" title=Key::IntrosTitle><Intros boxes=boxes/></Section>
                        <Section part="circles" title=Key::CirclesTitle>
                            <p class="km-muted">{tr(lang, Key::CirclesHint)}</p>
                            <Circles version=version/>
                        </Section>
                        }
                    })}
                }.into_any()
            }}
        </div>
    }
}

/// A titled section (`part` names it).
#[component]
fn Section(
    /// The section's part name.
    part: &'static str,
    /// Its heading.
    title: Key,
    /// The section's content.
    children: Children,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let id = ctx.dom_id(&format!("{part}-title"));
    let labelled = id.clone();
    view! {
        <section class="pm-section" part=part aria-labelledby=labelled>
            <header class="km-header" part="header">
                <h2 id=id part="title">{tr(lang, title)}</h2>
            </header>
            {children()}
        </section>
    }
}

/// `mode="compact"`: my top matches and a toggle to edit my passions.
#[component]
fn Compact<E, V>(
    /// My passions' keys and levels.
    mine: Signal<Vec<(String, Level)>>,
    /// The editor (or the sign-in note).
    editor: E,
    /// Reloads the matches when bumped.
    version: Refresh,
) -> impl IntoView
where
    E: Fn() -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let editing = RwSignal::new(false);
    let editor_id = ctx.dom_id("compact-editor");
    let top = use_api_resource(move |api| {
        version.track();
        async move { matches(&api, COMPACT_LIMIT, None, None).await }
    });
    view! {
        <Section part="compact" title=Key::CompactTitle>
            {async_view_or_signed_out(
                top,
                move || view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> },
                move |mut page| {
                    page.next_cursor = None;
                    let cards = Cards { compact: true, ..Cards::new(mine) };
                    view! { <MatchList page=page cards=cards/> }
                },
            )}
            <button type="button" class="km-btn-link" part="button edit"
                aria-expanded=move || editing.get().to_string() aria-controls=editor_id.clone()
                on:click=move |_| editing.update(|e| *e = !*e)>
                {move || if editing.get() { Key::DoneEditing.get(lang.get()) } else { Key::EditPassions.get(lang.get()) }}
            </button>
            <div id=editor_id>{move || editing.get().then(editor)}</div>
        </Section>
    }
}

/// My matches with the passion filter, or the people of one passion after
/// a tag was clicked.
#[component]
fn Matches(
    /// My passions' keys and levels.
    mine: Signal<Vec<(String, Level)>>,
    /// My profile as last saved.
    current: Signal<Option<Profile>>,
    /// Reloads when bumped.
    version: Refresh,
    /// My intros (a card shows where ours with its person stands).
    boxes: IntroBoxes,
    /// Called after an intro was sent.
    on_sent: Callback<()>,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let tag = use_attr::<Option<String>>("tag");
    let filter = RwSignal::new(tag.get_untracked());
    // A changed `tag` attribute preselects anew.
    Effect::new(move |prev: Option<()>| {
        let t = tag.get();
        if prev.is_some() {
            filter.set(t);
        }
    });
    let tag_page = RwSignal::new(None::<String>);
    let limit_attr = use_attr::<PageLimit>("limit");
    let limit = move || limit_attr.get().0;
    let list = use_api_resource(move |api| {
        let tag = filter.get();
        let limit = limit();
        version.track();
        async move { matches(&api, limit, tag.as_deref(), None).await }
    });
    let all_intros = Signal::derive(move || {
        boxes.with(|r| match r {
            Some(Ok((incoming, outgoing))) => incoming.iter().chain(outgoing).cloned().collect(),
            _ => Vec::new(),
        })
    });
    let cards = Cards {
        intros: all_intros,
        on_tag: Some(Callback::new(move |t: String| tag_page.set(Some(t)))),
        on_sent: Some(on_sent),
        ..Cards::new(mine)
    };
    let on_back = Callback::new(move |_: ()| tag_page.set(None));
    let filter_id = ctx.dom_id("filter");
    let options = move || {
        let mut tags: Vec<String> = current.with(|p| {
            p.as_ref()
                .map(|p| p.passions.iter().map(|x| x.tag.clone()).collect())
                .unwrap_or_default()
        });
        if let Some(f) = filter
            .get()
            .filter(|f| !tags.iter().any(|t| tag_key(t) == tag_key(f)))
        {
            tags.push(f);
        }
        tags.into_iter()
            .map(|t| {
                let key = tag_key(&t);
                view! {
                    <option value=t.clone() prop:selected=move || filter.with(|f| f.as_deref().map(tag_key) == Some(key.clone()))>
                        {t.clone()}
                    </option>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        {move || match tag_page.get() {
            Some(tag) => view! { <TagPage tag=tag mine=mine on_back=on_back/> }.into_any(),
            None => {
                let filter_id = filter_id.clone();
                view! {
                <Section part="matches" title=Key::MatchesTitle>
                    <div class="km-field pm-filter">
                        <label class="km-label" for=filter_id.clone()>{tr(lang, Key::FilterLabel)}</label>
                        <select id=filter_id.clone() class="km-input" part="input filter"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                filter.set((!v.is_empty()).then_some(v));
                            }>
                            <option value="" prop:selected=move || filter.with(Option::is_none)>{tr(lang, Key::FilterAll)}</option>
                            {options}
                        </select>
                    </div>
                    {async_view(list, move |page| view! {
                        <MatchList page=page cards=cards limit=limit() tag=filter.get_untracked().unwrap_or_default()/>
                    })}
                </Section>
            }.into_any()
            }
        }}
    }
}

/// "People passionate about X": colleagues I may see with that passion.
#[component]
fn TagPage(
    /// The passion.
    tag: String,
    /// My passions' keys and levels.
    mine: Signal<Vec<(String, Level)>>,
    /// Back to the matches.
    on_back: Callback<()>,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let id = ctx.dom_id("tag-page-title");
    let labelled = id.clone();
    let heading = NodeRef::<leptos::html::H2>::new();
    // The view changed under the person's focus: move it to the new heading.
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let query = tag.clone();
    let list_tag = tag.clone();
    let people = use_api_resource(move |api| {
        let tag = query.clone();
        async move { colleagues(&api, MAX_LIMIT, Some(&tag), None).await }
    });
    let keys =
        Signal::derive(move || mine.with(|m| m.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()));
    view! {
        <section class="pm-section" part="tag-page" aria-labelledby=labelled>
            <header class="km-header" part="header">
                <h2 id=id part="title" tabindex="-1" node_ref=heading>
                    {move || fill(Key::TagPageOf.get(lang.get()), &[("tag", &tag)])}
                </h2>
            </header>
            <button type="button" class="km-btn-link" part="button back" on:click=move |_| on_back.run(())>
                {tr(lang, Key::BackToMatches)}
            </button>
            {async_view(people, move |page| view! { <ColleagueList first=page mine=keys tag=list_tag.clone()/> })}
        </section>
    }
}

/// The intros I received and sent, loaded once for the inbox and the
/// match cards; reloads when either version is bumped.
type IntroBoxes = LocalResource<Result<(Vec<Intro>, Vec<Intro>), km_widgets_core::ApiError>>;

fn intro_boxes(version: Refresh, intros_version: Refresh) -> IntroBoxes {
    use_api_resource(move |api| {
        version.track();
        intros_version.track();
        async move {
            let incoming = intros(&api, false).await?;
            let outgoing = intros(&api, true).await?;
            Ok::<_, km_widgets_core::ApiError>((incoming.items, outgoing.items))
        }
    })
}

/// Received and sent intros.
#[component]
fn Intros(
    /// The intros.
    boxes: IntroBoxes,
) -> impl IntoView {
    async_view(boxes, |(incoming, outgoing)| {
        view! { <Inbox incoming=incoming outgoing=outgoing/> }
    })
}

/// The circles I can see.
#[component]
fn Circles(
    /// Reloads when bumped.
    version: Refresh,
) -> impl IntoView {
    let list = use_api_resource(move |api| {
        version.track();
        async move { circles(&api, None).await }
    });
    async_view(list, move |page| {
        view! { <CircleList first=page/> }
    })
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

/// Colleague cards, those with most passions in common with me first
/// within each page ("Show more" appends the next page ranked the same
/// way, below the ones shown).
#[component]
pub fn ColleagueList(
    /// The first page, in the server's order.
    first: Page<Profile>,
    /// The keys of my passions (see [`crate::model::my_keys`]).
    #[prop(into)]
    mine: Signal<Vec<String>>,
    /// The passion of this list (further pages keep it).
    #[prop(optional, into)]
    tag: Option<String>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    if first.items.is_empty() {
        return view! { <Empty message=tr_signal(lang, Key::ColleaguesEmpty)/> }.into_any();
    }
    let ranked = move |p: Page<Profile>| Page {
        items: mine.with_untracked(|m| rank_colleagues(p.items, m)),
        next_cursor: p.next_cursor,
    };
    let paged = Paged::new(ranked(first));
    let tag = StoredValue::new(tag);
    view! {
        <ul class="pm-cards" part="list">
            // Not keyed: a colleague card has no state of its own.
            {move || paged.items.get().into_iter().map(|p| view! { <ColleagueCard profile=p mine=mine/> }).collect::<Vec<_>>()}
        </ul>
        {paged.more_button(move |api, cursor| async move {
            colleagues(&api, MAX_LIMIT, tag.get_value().as_deref(), Some(&cursor))
                .await
                .map(ranked)
        })}
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
