//! Ask the community's components. [`AskTheCommunity`] picks the screen by
//! `mode`; [`Browse`] is the full widget (lists, search, one question, the
//! ask form). The question rows are in [`crate::question_list`].

use km_protocol::Page;
use km_protocol::questions::{Question, QuestionFilter, QuestionSort, QuestionSummary};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::ui::{Paged, async_view};
use km_widgets_core::{Translate, use_api_resource, use_attr, use_widget};
use leptos::prelude::*;

use crate::api::{ListQuery, list_questions};
use crate::ask_form::{AskForm, use_ask_state};
use crate::detail::QuestionDetail;
use crate::model::{CompactLimit, Mode, PageLimit};
pub use crate::question_list::QuestionList;
use crate::strings::Key;
use km_widgets_core::events::on_prefill;

/// The widget: a heading and the screen of its `mode`.
#[component]
pub fn AskTheCommunity() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let title_id = ctx.dom_id("title");
    let labelled_by = title_id.clone();
    let mode = use_attr::<Mode>("mode");
    let tag = use_attr::<Option<String>>("tag");
    let title = move || {
        let l = lang.get();
        match tag.get() {
            Some(tag) => fill(Key::TitleTag.get(l), &[("tag", &tag)]),
            None => Key::Title.get(l).to_owned(),
        }
    };
    view! {
        <section aria-labelledby=labelled_by>
            <header class="km-header" part="header">
                <h2 id=title_id part="title">{title}</h2>
            </header>
            {move || match mode.get() {
                Mode::Full => view! { <Browse/> }.into_any(),
                Mode::Ask => view! { <AskOnly/> }.into_any(),
                Mode::Unanswered => view! { <Unanswered/> }.into_any(),
            }}
        </section>
    }
}

/// `mode="ask"`: only the form; a `km-prefill` fills it.
#[component]
fn AskOnly() -> impl IntoView {
    let ctx = use_widget();
    let state = use_ask_state(None);
    on_prefill(crate::KIND, move |p| state.prefill(p));
    ctx.mark_ready();
    view! { <AskForm state=state/> }
}

/// `mode="unanswered"`: a compact list of unanswered questions.
#[component]
fn Unanswered() -> impl IntoView {
    let tag = use_attr::<Option<String>>("tag");
    let limit = use_attr::<CompactLimit>("limit");
    let questions = use_api_resource(move |api| {
        let q = ListQuery {
            sort: QuestionSort::Unanswered,
            tag: tag.get(),
            limit: limit.get().0,
            ..Default::default()
        };
        async move { list_questions(&api, &q, None).await }
    });
    view! {
        <div class="ac-compact">
            {async_view(questions, |page| view! { <QuestionList questions=page.items/> })}
        </div>
    }
}

/// What the full widget shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Screen {
    List,
    Ask,
    Question(String),
}

/// The list choices: a sort or a personal list.
const CHOICES: &[(&str, Key)] = &[
    ("newest", Key::SortNewest),
    ("unanswered", Key::SortUnanswered),
    ("urgent", Key::SortUrgent),
    ("active", Key::SortActive),
    ("mine", Key::FilterMine),
    ("following", Key::FilterFollowing),
    ("invited", Key::FilterInvited),
];

fn apply_choice(q: &mut ListQuery, choice: &str) {
    q.sort = QuestionSort::Newest;
    q.filter = None;
    match choice {
        "unanswered" => q.sort = QuestionSort::Unanswered,
        "urgent" => q.sort = QuestionSort::Urgent,
        "active" => q.sort = QuestionSort::Active,
        "mine" => q.filter = Some(QuestionFilter::Mine),
        "following" => q.filter = Some(QuestionFilter::Following),
        "invited" => q.filter = Some(QuestionFilter::Invited),
        _ => {}
    }
}

/// The full widget: toolbar (ask, search, list choice), the list with
/// "more", one question, the ask form.
#[component]
pub fn Browse() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let tag = use_attr::<Option<String>>("tag");
    let limit = use_attr::<PageLimit>("limit");
    let screen = RwSignal::new(Screen::List);
    let choice = RwSignal::new("newest".to_owned());
    let search = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let open = Callback::new(move |id: String| screen.set(Screen::Question(id)));
    // Every change of screen moves focus into the new one (the button
    // pressed is gone): the ask form's first field, the question's heading,
    // and back in the list the question just left (else the heading).
    Effect::new(move |prev: Option<Screen>| {
        let now = screen.get();
        match (&prev, &now) {
            (None, _) => {}
            (Some(a), b) if a == b => {}
            (_, Screen::Ask) => ctx.focus_when_shown("[part~=ask-title]".into(), None),
            (_, Screen::Question(_)) => ctx.focus_when_shown(".ac-question h3".into(), None),
            (Some(Screen::Question(id)), Screen::List) => ctx.focus_when_shown(
                format!("li[data-id=\"{}\"] .ac-open", id.replace(['"', '\\'], "")),
                Some("h2"),
            ),
            (_, Screen::List) => ctx.focus_heading(),
        }
        now
    });
    let on_asked = Callback::new(move |q: Question| screen.set(Screen::Question(q.summary.id)));
    let ask = use_ask_state(Some(on_asked));
    on_prefill(crate::KIND, move |p| {
        ask.prefill(p);
        screen.set(Screen::Ask);
    });
    let query = Memo::new(move |_| {
        let mut q = ListQuery {
            tag: tag.get(),
            limit: limit.get().0,
            search: Some(search.get()).filter(|s| !s.trim().is_empty()),
            ..Default::default()
        };
        apply_choice(&mut q, &choice.get());
        q
    });
    let questions = use_api_resource(move |api| {
        let q = query.get();
        async move { list_questions(&api, &q, None).await }
    });
    let search_id = ctx.dom_id("search");
    let show_id = ctx.dom_id("show");
    let toolbar = move || {
        let (search_id, show_id) = (search_id.clone(), show_id.clone());
        view! {
            <div class="ac-toolbar" part="toolbar">
                <button type="button" class="km-btn" part="button ask-open" on:click=move |_| screen.set(Screen::Ask)>
                    {tr(lang, Key::AskButton)}
                </button>
                <form role="search" class="ac-search" on:submit=move |ev| {
                    ev.prevent_default();
                    search.set(typed.get_untracked());
                }>
                    <label class="km-sr-only" for=search_id.clone()>{tr(lang, Key::SearchLabel)}</label>
                    <input id=search_id type="search" class="km-input" part="input search"
                        prop:value=move || typed.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            // Clearing the box shows the list again at once.
                            if v.trim().is_empty() { search.set(String::new()); }
                            typed.set(v);
                        }/>
                    <button type="submit" class="km-btn-secondary" part="button search">{tr(lang, Key::SearchButton)}</button>
                </form>
                <label class="km-label" for=show_id.clone()>{tr(lang, Key::ShowLabel)}</label>
                <select id=show_id class="km-input" part="input show"
                    on:change=move |ev| choice.set(event_target_value(&ev))>
                    {CHOICES.iter().map(|(v, k)| {
                        let v = *v;
                        let k = *k;
                        view! { <option value=v prop:selected=move || choice.get() == v>{move || k.get(lang.get())}</option> }
                    }).collect::<Vec<_>>()}
                </select>
            </div>
        }
    };
    view! {
        {move || match screen.get() {
            Screen::List => view! {
                {toolbar()}
                {async_view(questions, move |page| view! { <PagedList first=page query=query.get_untracked() on_open=open/> })}
            }.into_any(),
            Screen::Ask => view! {
                <AskForm state=ask on_open=open on_cancel=Callback::new(move |_| screen.set(Screen::List))/>
            }.into_any(),
            Screen::Question(id) => view! {
                <QuestionDetail id=id ask=ask on_open=open on_back=Callback::new(move |_| {
                    questions.refetch();
                    screen.set(Screen::List);
                })/>
            }.into_any(),
        }}
    }
}

/// A first page and "more" pages after it.
#[component]
fn PagedList(
    first: Page<QuestionSummary>,
    query: ListQuery,
    on_open: Callback<String>,
) -> impl IntoView {
    let paged = Paged::new(first);
    let query = StoredValue::new(query);
    view! {
        {move || view! { <QuestionList questions=paged.items.get() on_open=on_open/> }}
        {paged.more_button(move |api, cursor| async move {
            list_questions(&api, &query.get_value(), Some(&cursor)).await
        })}
    }
}
