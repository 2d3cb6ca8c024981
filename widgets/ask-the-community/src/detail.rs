//! One question with its answers: votes, follow, accept (the asker or a
//! moderator), the answer form (a draft per question, sent through the
//! outbox), and, for the asker, colleagues to invite.
//!
//! Live: while the page is visible the question is fetched again every
//! [`POLL_MS`]; the server's ETag (`Cache-Control: private, no-cache`)
//! lets the browser's cache revalidate with `If-None-Match`, so an
//! unchanged question costs a 304 and nothing re-renders. A hidden page
//! (`document.visibilityState == "hidden"`) sends nothing; it catches up
//! as soon as it is visible again. New answers are announced.

use std::time::Duration;

use km_protocol::questions::{Answer, NewAnswer, Question, SuggestedPerson};
use km_widgets_core::i18n::{CoreKey, fill, plural, t, tr, tr_signal};
use km_widgets_core::outbox::SubmitOutcome;
use km_widgets_core::ui::{
    ErrorState, FieldMessage, FormErrors, Loading, Markdown, RelativeTime, SignInNote,
    is_signed_out, report_error,
};
use km_widgets_core::{Api, ApiError, HttpMethod, LazyPart, Translate, use_draft, use_widget};
use leptos::prelude::*;

use crate::api;
use crate::ask_form::AskState;
use crate::model::{POLL_MS, new_answers, shown_name};
use crate::question_list::QuestionFacts;
use crate::question_tools::{ToolParts, tool_parts};
use crate::refocus::{DetailRoot, refocus};
use crate::strings::Key;

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() != web_sys::VisibilityState::Hidden)
}

/// The question `id`, loaded and kept fresh.
#[component]
pub fn QuestionDetail(
    /// The question's id.
    id: String,
    /// The widget's ask state (its outbox carries answers).
    ask: AskState,
    /// Opens another question (the original of a duplicate).
    on_open: Callback<String>,
    /// Back to the list (no button when absent).
    #[prop(optional, into)]
    on_back: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let root = NodeRef::<leptos::html::Div>::new();
    provide_context(DetailRoot(root));
    let q = RwSignal::new(None::<Result<Question, ApiError>>);
    let qid = StoredValue::new(id.clone());
    let load = move || {
        let Some(api) = Api::from_config_untracked(&cfg) else {
            return;
        };
        let id = qid.get_value();
        leptos::task::spawn_local(async move {
            let result = api::question(&api, &id).await;
            let Some(old) = q.try_get_untracked() else {
                return;
            };
            match (&old, result) {
                (Some(Ok(o)), Ok(n)) if *o == n => {}
                (Some(Ok(o)), Ok(n)) => {
                    if new_answers(o, &n) > 0 {
                        ctx.announcer.say(Key::NewAnswer.get(lang.get_untracked()));
                    }
                    q.set(Some(Ok(n)));
                }
                // A failed poll keeps what is shown; the first load shows it.
                (Some(Ok(_)), Err(_)) => {}
                (_, r) => {
                    if r.is_ok() {
                        ctx.mark_ready();
                    }
                    q.set(Some(r));
                }
            }
        });
    };
    load();
    // Polls only while the page is visible; catches up when it shows again.
    if let Ok(h) = set_interval_with_handle(
        move || {
            if page_visible() {
                load();
            }
        },
        Duration::from_millis(u64::from(POLL_MS)),
    ) {
        on_cleanup(move || h.clear());
    }
    let vis = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if page_visible() {
            load();
        }
    });
    on_cleanup(move || vis.remove());
    // Answers delivered later by the outbox show at once.
    Effect::new(move |prev: Option<u32>| {
        let n = ask.delivered_tick.get();
        if prev.is_some() {
            load();
        }
        n
    });
    let loaded = Memo::new(move |_| q.with(|v| matches!(v, Some(Ok(_)))));
    let can_answer = Memo::new(move |_| {
        q.with(|v| matches!(v, Some(Ok(x)) if x.summary.duplicate_of.is_none()))
    });
    let mine = Memo::new(move |_| q.with(|v| matches!(v, Some(Ok(x)) if x.viewer.mine)));
    view! {
        <div class="ac-detail" part="question" node_ref=root>
            {on_back.map(|cb| view! {
                <button type="button" class="km-btn-link" part="button back" on:click=move |_| cb.run(())>
                    <span aria-hidden="true">"← "</span>{tr(lang, Key::Back)}
                </button>
            })}
            {move || match q.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorState error=e on_retry=Callback::new(move |_| { q.set(None); load(); })/> }.into_any(),
                Some(Ok(question)) => view! { <QuestionView question=question q=q on_open=on_open/> }.into_any(),
            }}
            {move || loaded.get().then(|| view! {
                <LazyPart load=tool_parts render={move |t: ToolParts| (t.question)(qid.get_value(), q)} silent=true/>
            })}
            {move || can_answer.get().then(|| view! { <AnswerForm id=qid.get_value() ask=ask mine=mine on_posted=Callback::new(move |_| load())/> })}
            {move || (loaded.get() && mine.get()).then(|| view! { <People id=qid.get_value()/> })}
        </div>
    }
}

/// A question and its answers, rendered from `question`; toggles write
/// the server's answer back into `q`.
#[component]
pub fn QuestionView(
    /// The question to show.
    question: Question,
    /// Where the shown question lives (updated after votes and acceptance).
    q: RwSignal<Option<Result<Question, ApiError>>>,
    /// Opens another question.
    on_open: Callback<String>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let droot = use_context::<DetailRoot>();
    let heading = ctx.dom_id("question-title");
    let labelled_by = heading.clone();
    let id = question.summary.id.clone();
    let viewer = question.viewer.clone();
    let votes = question.summary.votes;
    let vote_id = ctx.dom_id("vote-question");
    let follow_id = ctx.dom_id("follow");
    let on_vote = {
        let (id, vote_id) = (id.clone(), vote_id.clone());
        move |_| {
            let Some(api) = Api::from_config_untracked(&cfg) else {
                return;
            };
            let on = !viewer.my_vote;
            let (id, vote_id) = (id.clone(), vote_id.clone());
            leptos::task::spawn_local(async move {
                match api::vote(&api, false, &id, on).await {
                    Ok(v) => {
                        q.try_update(|x| {
                            if let Some(Ok(x)) = x {
                                x.summary.votes = v.votes;
                                x.viewer.my_vote = v.my_vote;
                            }
                        });
                        refocus(droot, vote_id);
                    }
                    Err(e) => report_error(ctx, &e),
                }
            });
        }
    };
    let following = question.viewer.following;
    let on_follow = {
        let (id, follow_id) = (id.clone(), follow_id.clone());
        move |_| {
            let Some(api) = Api::from_config_untracked(&cfg) else {
                return;
            };
            let (id, follow_id) = (id.clone(), follow_id.clone());
            leptos::task::spawn_local(async move {
                match api::follow(&api, &id, !following).await {
                    Ok(n) => {
                        let key = if n.viewer.following {
                            Key::Followed
                        } else {
                            Key::Unfollowed
                        };
                        ctx.announcer.say(key.get(lang.get_untracked()));
                        q.try_set(Some(Ok(n)));
                        refocus(droot, follow_id);
                    }
                    Err(e) => report_error(ctx, &e),
                }
            });
        }
    };
    let duplicate = question.summary.duplicate_of.clone();
    let answers = question.answers.clone();
    let can_accept = question.viewer.can_accept;
    let can_moderate = question.viewer.can_moderate;
    view! {
        <article class="ac-question" aria-labelledby=labelled_by>
            <h3 id=heading part="item-title">{question.summary.title.clone()}</h3>
            <QuestionFacts question=question.summary.clone()/>
            {duplicate.map(|orig| view! {
                <p class="km-status ac-duplicate" part="status duplicate">
                    {tr(lang, Key::DuplicateOf)} " "
                    <button type="button" class="km-btn-link" on:click=move |_| on_open.run(orig.clone())>
                        {tr(lang, Key::OpenOriginal)}
                    </button>
                </p>
            })}
            {question.hidden.then(|| view! {
                <p class="km-status" part="status hidden">{tr(lang, Key::QuestionHidden)}</p>
            })}
            {question.viewer.invited.then(|| view! {
                <p class="km-status" part="status invited">{tr(lang, Key::InvitedNote)}</p>
            })}
            <Markdown source=question.body.clone()/>
            <div class="ac-actions">
                // No vote on one's own question: it would count for nothing fair.
                {(!question.viewer.mine).then(|| view! {
                    <button type="button" id=vote_id class="km-btn-secondary" part="button vote"
                        aria-pressed=if question.viewer.my_vote { "true" } else { "false" }
                        on:click=on_vote>
                        <span aria-hidden="true">"▲ "</span>{tr(lang, Key::Vote)}
                        " (" {move || plural(lang.get(), votes, Key::VotesOne, Key::VotesOther)} ")"
                    </button>
                })}
                <button type="button" id=follow_id class="km-btn-secondary" part="button follow"
                    aria-pressed=if following { "true" } else { "false" }
                    on:click=on_follow>
                    {tr(lang, if following { Key::Following } else { Key::Follow })}
                </button>
            </div>
            <h4>{tr(lang, Key::AnswersHeading)}</h4>
            {if answers.is_empty() {
                view! { <p class="km-muted" part="empty">{tr(lang, Key::NoAnswers)}</p> }.into_any()
            } else {
                view! {
                    <ul class="km-list ac-answers-list" part="answers-list">
                        {answers.into_iter().map(|a| view! {
                            <AnswerItem answer=a question_id=id.clone() can_accept=can_accept can_moderate=can_moderate q=q/>
                        }).collect::<Vec<_>>()}
                    </ul>
                }.into_any()
            }}
        </article>
    }
}

/// One answer: accepted badge, text, author, votes, accept.
#[component]
fn AnswerItem(
    answer: Answer,
    question_id: String,
    can_accept: bool,
    can_moderate: bool,
    q: RwSignal<Option<Result<Question, ApiError>>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let droot = use_context::<DetailRoot>();
    let aid = answer.id.clone();
    let vote_id = ctx.dom_id(&format!("vote-{aid}"));
    let accept_id = ctx.dom_id(&format!("accept-{aid}"));
    let votes = answer.votes;
    let my_vote = answer.my_vote;
    let accepted = answer.accepted;
    let on_vote = {
        let (aid, vote_id) = (aid.clone(), vote_id.clone());
        move |_| {
            let Some(api) = Api::from_config_untracked(&cfg) else {
                return;
            };
            let (aid, vote_id) = (aid.clone(), vote_id.clone());
            leptos::task::spawn_local(async move {
                match api::vote(&api, true, &aid, !my_vote).await {
                    Ok(v) => {
                        q.try_update(|x| {
                            if let Some(Ok(x)) = x
                                && let Some(a) = x.answers.iter_mut().find(|a| a.id == aid)
                            {
                                a.votes = v.votes;
                                a.my_vote = v.my_vote;
                            }
                        });
                        refocus(droot, vote_id);
                    }
                    Err(e) => report_error(ctx, &e),
                }
            });
        }
    };
    let on_accept = {
        let (aid, accept_id) = (aid.clone(), accept_id.clone());
        move |_| {
            let Some(api) = Api::from_config_untracked(&cfg) else {
                return;
            };
            let (aid, qid, accept_id) = (aid.clone(), question_id.clone(), accept_id.clone());
            leptos::task::spawn_local(async move {
                let target = (!accepted).then_some(aid.as_str());
                match api::accept(&api, &qid, target).await {
                    Ok(n) => {
                        if !accepted {
                            ctx.announcer
                                .say(Key::AcceptedAnnounce.get(lang.get_untracked()));
                            ctx.emit(
                                "km-answer-accepted",
                                &[
                                    ("question_id", qid.as_str().into()),
                                    ("answer_id", aid.as_str().into()),
                                ],
                            );
                        }
                        q.try_set(Some(Ok(n)));
                        refocus(droot, accept_id);
                    }
                    Err(e) => report_error(ctx, &e),
                }
            });
        }
    };
    // The question's anonymous asker answers anonymously too.
    let author = shown_name(answer.author.as_ref(), answer.anonymous);
    let edit = answer.mine.then(|| {
        let (id, body) = (aid.clone(), answer.body.clone());
        let render = move |t: ToolParts| (t.edit_answer)(id.clone(), body.clone(), q);
        view! { <LazyPart load=tool_parts render=render silent=true/> }
    });
    let hide = can_moderate.then(|| {
        let id = aid.clone();
        let render = move |t: ToolParts| (t.hide_answer)(id.clone(), q);
        view! { <LazyPart load=tool_parts render=render silent=true/> }
    });
    view! {
        <li class=if accepted { "ac-answer ac-accepted" } else { "ac-answer" }
            part=if accepted { "answer accepted" } else { "answer" } data-id=aid>
            {accepted.then(|| view! {
                <p class="km-badge ac-solved" part="badge solved">
                    <span aria-hidden="true">"✓ "</span>{tr(lang, Key::Accepted)}
                </p>
            })}
            <Markdown source=answer.body/>
            <p class="ac-meta km-muted">
                <span part="author">{move || {
                    let l = lang.get();
                    let who = author.clone().unwrap_or_else(|| Key::Anonymous.get(l).to_owned());
                    format!("{} {who}", Key::AnsweredBy.get(l))
                }}</span>
                <span aria-hidden="true">"·"</span>
                <RelativeTime at=answer.created_at/>
                {answer.edited_at.map(|_| view! { <span>"· " {tr(lang, Key::Edited)}</span> })}
            </p>
            <div class="ac-actions">
                {(!answer.mine).then(|| view! {
                    <button type="button" id=vote_id class="km-btn-secondary" part="button vote"
                        aria-pressed=if my_vote { "true" } else { "false" } on:click=on_vote>
                        <span aria-hidden="true">"▲ "</span>{tr(lang, Key::Vote)}
                        " (" {move || plural(lang.get(), votes, Key::VotesOne, Key::VotesOther)} ")"
                    </button>
                })}
                {can_accept.then(|| view! {
                    <button type="button" id=accept_id class="km-btn-secondary" part="button accept" on:click=on_accept>
                        {if accepted { tr(lang, Key::Unaccept) } else { tr(lang, Key::Accept) }}
                    </button>
                })}
                {edit}
                {hide}
            </div>
        </li>
    }
}

/// The answer form: a draft per question, sent through the outbox.
#[component]
fn AnswerForm(
    id: String,
    ask: AskState,
    /// The question is the viewer's own: the form adds details.
    #[prop(into)]
    mine: Signal<bool>,
    on_posted: Callback<()>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let draft = use_draft(&format!("answer-{id}"));
    let errors = FormErrors::new();
    let status = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    let field_id = ctx.dom_id("answer");
    let err_id = ctx.dom_id("answer-error");
    let path = api::answers_path(&id);
    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let body = NewAnswer {
            body: draft.value.get_untracked(),
        };
        if let Err(errs) = km_protocol::Validate::validate(&body) {
            errors.0.set(errs);
            ctx.announcer
                .say(t(lang.get_untracked(), CoreKey::ErrorValidation));
            return;
        }
        errors.0.set(Vec::new());
        status.set(None);
        sending.set(true);
        let path = path.clone();
        let label: String = body.body.chars().take(60).collect();
        leptos::task::spawn_local(async move {
            let outcome = ask
                .outbox
                .submit(HttpMethod::Post, &path, &body, &label)
                .await;
            if sending.try_set(false).is_some() {
                return;
            }
            let l = lang.get_untracked();
            match outcome {
                SubmitOutcome::Sent(_) => {
                    draft.clear();
                    ctx.announcer.say(Key::Answered.get(l));
                    on_posted.run(());
                }
                SubmitOutcome::Queued => {
                    draft.clear();
                    ctx.announcer.say(t(l, CoreKey::QueuedAnnounce));
                }
                SubmitOutcome::Rejected(e) => {
                    if let Some(p) = e.problem().filter(|p| !p.errors.is_empty()) {
                        errors.0.set(p.errors.clone());
                    } else {
                        status.set(Some(e));
                    }
                }
            }
        });
    };
    let send2 = send.clone();
    view! {
        <form class="ac-form" part="answer-form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <div class="km-field">
                <label class="km-label" part="label" for=field_id.clone()>{move || if mine.get() { Key::AddDetails } else { Key::AnswerLabel }.get(lang.get())}</label>
                <textarea id=field_id class="km-input" part="input answer-body" rows="4"
                    aria-describedby=err_id.clone()
                    aria-invalid=errors.aria_invalid("body")
                    prop:value=move || draft.value.get()
                    on:input=move |ev| { draft.value.set(event_target_value(&ev)); errors.clear_field("body"); }
                ></textarea>
                <FieldMessage errors=errors field="body" id=err_id/>
            </div>
            <button type="submit" class="km-btn" part="button post-answer"
                aria-disabled=move || sending.get().then_some("true")>
                {move || if sending.get() { t(lang.get(), CoreKey::Saving) } else if mine.get() { Key::PostDetails.get(lang.get()) } else { Key::PostAnswer.get(lang.get()) }}
            </button>
            {move || status.get().map(|e| if is_signed_out(&e) {
                view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> }.into_any()
            } else {
                let retry = send2.clone();
                view! { <ErrorState error=e on_retry=Callback::new(move |_| retry())/> }.into_any()
            })}
        </form>
    }
}

/// Colleagues whose profiles match the question's tags, with Invite.
#[component]
fn People(id: String) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let cfg = ctx.config;
    let people = RwSignal::new(None::<Vec<SuggestedPerson>>);
    let qid = StoredValue::new(id);
    if let Some(api) = Api::from_config_untracked(&cfg) {
        let id = qid.get_value();
        leptos::task::spawn_local(async move {
            // Suggestions are a help, not the page: a failure shows none.
            let found = api::suggestions(&api, &id).await.unwrap_or_default();
            people.try_set(Some(found));
        });
    }
    let heading = ctx.dom_id("people");
    let labelled_by = heading.clone();
    let list = move || {
        people.get().map(|ps| {
            if ps.is_empty() {
                return view! { <p class="km-muted">{tr(lang, Key::NoPeople)}</p> }.into_any();
            }
            view! {
                <ul class="km-list">
                    {ps.into_iter().map(|p| {
                        let pid = p.person.id.clone();
                        let name = p.person.name.clone();
                        let teaches = p.teaches.join(", ");
                        let loves = p.loves.join(", ");
                        let invited = p.invited;
                        let on_invite = move |_| {
                            let Some(api) = Api::from_config_untracked(&cfg) else { return };
                            let (pid, name) = (pid.clone(), name.clone());
                            let id = qid.get_value();
                            leptos::task::spawn_local(async move {
                                match api::invite(&api, &id, &pid).await {
                                    Ok(()) => {
                                        people.try_update(|v| if let Some(v) = v {
                                            for x in v.iter_mut().filter(|x| x.person.id == pid) { x.invited = true; }
                                        });
                                        ctx.announcer.say(fill(Key::InvitedAnnounce.get(lang.get_untracked()), &[("name", &name)]));
                                    }
                                    Err(e) => report_error(ctx, &e),
                                }
                            });
                        };
                        view! {
                            <li part="person" data-id=p.person.id.clone()>
                                <span class="ac-person">{p.person.name.clone()}</span>
                                {p.person.department.clone().map(|d| view! { <span class="km-muted">" · " {d}</span> })}
                                <span class="km-muted">
                                    {(!teaches.is_empty()).then(|| { let t = teaches.clone(); view! { " · " {move || fill(Key::CanTeach.get(lang.get()), &[("tags", &t)])} } })}
                                    {(!loves.is_empty()).then(|| { let l = loves.clone(); view! { " · " {move || fill(Key::Loves.get(lang.get()), &[("tags", &l)])} } })}
                                </span>
                                " "
                                {if invited {
                                    view! { <span class="km-status km-status-ok" part="status invited">{tr(lang, Key::InvitedState)}</span> }.into_any()
                                } else {
                                    view! { <button type="button" class="km-btn-secondary" part="button invite" on:click=on_invite>{tr(lang, Key::Invite)}</button> }.into_any()
                                }}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            }.into_any()
        })
    };
    view! {
        <section class="ac-people" part="people" aria-labelledby=labelled_by>
            <h4 id=heading>{tr(lang, Key::PeopleHeading)}</h4>
            {list}
        </section>
    }
}
