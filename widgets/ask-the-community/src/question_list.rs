//! Question rows that only render what they are given: [`QuestionList`],
//! [`QuestionCard`], [`QuestionFacts`] and the compact [`TitleList`] (the
//! ask form's similar questions and the duplicate picker), so browser tests
//! mount them without a server.

use km_protocol::questions::QuestionSummary;
use km_widgets_core::i18n::{fill, tr, tr_signal};
use km_widgets_core::intl::format_date;
use km_widgets_core::ui::{Empty, RelativeTime};
use km_widgets_core::{Translate, use_widget};
use leptos::prelude::*;

use crate::model::{Asker, UrgentNote, answers_text, asker, today, urgent_note};
use crate::strings::Key;

/// The questions, or an empty note.
#[component]
pub fn QuestionList(
    /// The questions, in the server's order (newest first).
    questions: Vec<QuestionSummary>,
    /// Opens a question (titles are plain text when absent).
    #[prop(optional, into)]
    on_open: Option<Callback<String>>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    if questions.is_empty() {
        return view! { <Empty message=tr_signal(lang, Key::Empty)/> }.into_any();
    }
    view! {
        <ul class="km-list ac-list" part="list">
            {questions.into_iter().map(|q| view! { <QuestionCard question=q on_open=on_open/> }).collect::<Vec<_>>()}
        </ul>
    }
    .into_any()
}

/// One question: title, its facts and answer count.
#[component]
pub fn QuestionCard(
    /// The question to show.
    question: QuestionSummary,
    /// Opens it (the title is a button then; default: plain text).
    #[prop(default = None)]
    on_open: Option<Callback<String>>,
) -> impl IntoView {
    let id = question.id.clone();
    let data_id = question.id.clone();
    let title = question.title.clone();
    view! {
        <li class="ac-card" part="item card" data-id=data_id>
            <article>
                <h3 part="item-title">
                    {match on_open {
                        Some(cb) => view! {
                            <button type="button" class="km-btn-link ac-open" on:click=move |_| cb.run(id.clone())>{title}</button>
                        }.into_any(),
                        None => title.into_any(),
                    }}
                </h3>
                <QuestionFacts question=question/>
            </article>
        </li>
    }
}

/// Badges (urgent with its need-by date, solved), tags, asker, age and
/// answer count of a question.
#[component]
pub fn QuestionFacts(
    /// The question.
    question: QuestionSummary,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let who = asker(&question);
    let note = urgent_note(&question, &today()).map(|n| match n {
        UrgentNote::Urgent(d) => (true, d.map(str::to_owned)),
        UrgentNote::WasNeeded(d) => (false, Some(d.to_owned())),
    });
    let count = question.answer_count;
    let tags = question.tags;
    let date_text = move |l, key: Key, d: &str| {
        let date = format_date(l, d, false).unwrap_or_else(|| d.to_owned());
        fill(key.get(l), &[("date", &date)])
    };
    let urgent_badge = note.map(|(urgent, need_by)| {
        if !urgent {
            // Past its date and unsolved: said, not flagged.
            let d = need_by.unwrap_or_default();
            return view! {
                <span class="km-muted ac-was-needed" part="was-needed">
                    {move || date_text(lang.get(), Key::WasNeededBy, &d)}
                </span>
            }
            .into_any();
        }
        let text = move || {
            let l = lang.get();
            let mut s = Key::Urgent.get(l).to_owned();
            if let Some(d) = &need_by {
                s.push_str(" · ");
                s.push_str(&date_text(l, Key::NeedBy, d));
            }
            s
        };
        view! {
            <span class="km-badge ac-urgent" part="badge urgent">
                <span aria-hidden="true">"! "</span>{text}
            </span>
        }
        .into_any()
    });
    let solved_badge = question.solved.then(|| {
        view! {
            <span class="km-badge ac-solved" part="badge solved">
                <span aria-hidden="true">"✓ "</span>{tr(lang, Key::Solved)}
            </span>
        }
    });
    let who_text = move || match &who {
        Asker::Named(name) => format!("{} {name}", Key::AskedBy.get(lang.get())),
        Asker::Anonymous => Key::Anonymous.get(lang.get()).to_owned(),
    };
    view! {
        {(urgent_badge.is_some() || solved_badge.is_some()).then(|| view! {
            <p class="ac-badges">{urgent_badge}{solved_badge}</p>
        })}
        {(!tags.is_empty()).then(|| view! {
            <ul class="km-tags" aria-label=tr(lang, Key::Tags)>
                {tags.into_iter().map(|t| view! { <li class="km-tag" part="tag">{t}</li> }).collect::<Vec<_>>()}
            </ul>
        })}
        <p class="ac-meta km-muted">
            <span part="author">{who_text}</span>
            <span aria-hidden="true">"·"</span>
            <RelativeTime at=question.created_at/>
            <span aria-hidden="true">"·"</span>
            <span class="ac-answers" part="answers">{move || answers_text(lang.get(), count)}</span>
        </p>
    }
}

/// Questions as titles with their answer counts; each title is a button
/// (part `pick`) when `on_pick` is given. Similar questions under the ask
/// form and the candidates of the duplicate picker.
#[component]
pub fn TitleList(
    /// The questions.
    items: Vec<QuestionSummary>,
    /// The `part` of each item.
    item_part: &'static str,
    /// Runs with the id of the question picked (default: plain titles).
    #[prop(default = None)]
    on_pick: Option<Callback<String>>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    view! {
        <ul class="km-list">
            {items.into_iter().map(|q| {
                let qid = q.id.clone();
                let count = q.answer_count;
                let title = q.title.clone();
                let solved = q.solved;
                view! {
                    <li part=item_part data-id=q.id>
                        {match on_pick {
                            Some(cb) => view! {
                                <button type="button" class="km-btn-link" part="button pick" on:click=move |_| cb.run(qid.clone())>{title}</button>
                            }.into_any(),
                            None => view! { <span>{title}</span> }.into_any(),
                        }}
                        " "
                        <span class="km-muted">
                            {move || answers_text(lang.get(), count)}
                            {solved.then(|| view! { " · " {tr(lang, Key::Solved)} })}
                        </span>
                    </li>
                }
            }).collect::<Vec<_>>()}
        </ul>
    }
}
