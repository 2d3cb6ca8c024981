//! Ask the community's components. [`AskTheCommunity`] loads the data;
//! [`QuestionList`] and [`QuestionCard`] only render what they are given, so
//! browser tests mount them without a server.

use km_protocol::questions::QuestionSummary;
use km_widgets_core::i18n::{fill, tr, tr_signal};
use km_widgets_core::intl::format_date;
use km_widgets_core::ui::{Empty, RelativeTime, async_view};
use km_widgets_core::{Api, Translate, use_widget};
use leptos::prelude::*;

use crate::api::list_questions;
use crate::model::{Asker, DEFAULT_LIMIT, MAX_LIMIT, answers_text, asker, urgent_need_by};
use crate::strings::Key;

/// The widget: a heading and the newest questions.
#[component]
pub fn AskTheCommunity() -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let title_id = ctx.dom_id("title");
    let labelled_by = title_id.clone();
    let questions = LocalResource::new(move || {
        let api = Api::from_config(&cfg);
        let limit = cfg.attr_u32("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        let tag = cfg.attr("tag");
        async move { list_questions(&api, limit, tag.as_deref()).await }
    });
    let title = move || {
        let l = lang.get();
        match cfg.attr("tag").filter(|t| !t.trim().is_empty()) {
            Some(tag) => fill(Key::TitleTag.get(l), &[("tag", tag.trim())]),
            None => Key::Title.get(l).to_owned(),
        }
    };
    view! {
        <section aria-labelledby=labelled_by>
            <header class="km-header" part="header">
                <h2 id=title_id part="title">{title}</h2>
            </header>
            {async_view(questions, |page| view! { <QuestionList questions=page.items/> })}
        </section>
    }
}

/// The questions, or an empty note.
#[component]
pub fn QuestionList(
    /// The questions, in the server's order (newest first).
    questions: Vec<QuestionSummary>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    if questions.is_empty() {
        return view! { <Empty message=tr_signal(lang, Key::Empty)/> }.into_any();
    }
    view! {
        <ul class="km-list ac-list" part="list">
            {questions.into_iter().map(|q| view! { <QuestionCard question=q/> }).collect::<Vec<_>>()}
        </ul>
    }
    .into_any()
}

/// One question: title, badges (urgent with its need-by date, solved),
/// tags, asker, age and answer count.
#[component]
pub fn QuestionCard(
    /// The question to show.
    question: QuestionSummary,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    let who = asker(&question);
    let urgent = urgent_need_by(&question).map(|d| d.map(str::to_owned));
    let solved = question.solved;
    let count = question.answer_count;
    let tags = question.tags;
    let urgent_badge = urgent.map(|need_by| {
        let text = move || {
            let l = lang.get();
            let mut s = Key::Urgent.get(l).to_owned();
            if let Some(d) = &need_by {
                let date = format_date(l, d, false).unwrap_or_else(|| d.clone());
                s.push_str(" · ");
                s.push_str(&fill(Key::NeedBy.get(l), &[("date", &date)]));
            }
            s
        };
        view! {
            <span class="km-badge ac-urgent" part="badge urgent">
                <span aria-hidden="true">"! "</span>{text}
            </span>
        }
    });
    let solved_badge = solved.then(|| {
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
        <li class="ac-card" part="item card" data-id=question.id>
            <article>
                <h3 part="item-title">{question.title}</h3>
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
            </article>
        </li>
    }
}
