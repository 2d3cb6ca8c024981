//! What the asker and moderators do to a question: the asker edits it
//! (the ask form's fields, drafts while editing) and retags it; a
//! moderator hides or shows it, closes it as a duplicate of a question
//! picked from a search (or reopens it), retags it and reads the change
//! log. The question's detail keeps these tools outside the part that polls
//! re-render, so an open form survives a new answer arriving.

use km_protocol::Validate;
use km_protocol::questions::{Change, Question, QuestionSummary, Retag};
use km_widgets_core::i18n::{fill, tr};
use km_widgets_core::ui::tag_picker::TagPicker;
use km_widgets_core::ui::{FieldMessage, FormErrors, RelativeTime, report_error};
use km_widgets_core::{Api, ApiError, Translate, WidgetContext, use_widget};
use leptos::prelude::*;

use crate::answer_tools::Shown;
use crate::api;
use crate::model::{change_key, shown_name};
use crate::question_fields::{QuestionFields, QuestionInputs};
use crate::question_list::TitleList;
use crate::refocus::{DetailRoot, refocus};
use crate::strings::Key;

/// The open form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Edit,
    Retag,
    Duplicate,
}

/// What every tool needs: the question on screen, the open form, focus.
#[derive(Clone, Copy)]
struct Tools {
    ctx: WidgetContext,
    q: Shown,
    panel: RwSignal<Option<Panel>>,
    root: Option<DetailRoot>,
}

impl Tools {
    fn api(&self) -> Option<Api> {
        Api::from_config_untracked(&self.ctx.config)
    }

    fn current(&self) -> Option<Question> {
        self.q
            .with_untracked(|v| v.as_ref().and_then(|r| r.as_ref().ok()).cloned())
    }

    /// Opens `panel` and moves focus to its first field `first`.
    fn open(&self, panel: Panel, first: &str) {
        self.panel.set(Some(panel));
        refocus(self.root, self.ctx.dom_id(first));
    }

    /// Closes the form; focus goes back to the button `opener`.
    fn close(&self, opener: &str) {
        self.panel.set(None);
        refocus(self.root, self.ctx.dom_id(opener));
    }

    /// Shows the server's question, says what happened, closes the form.
    fn done(&self, n: Question, said: Key, opener: &str) {
        self.ctx
            .announcer
            .say(said.get(self.ctx.config.lang.get_untracked()));
        self.q.try_set(Some(Ok(n)));
        self.close(opener);
    }

    /// Sends `write` and, when it succeeds, [`Tools::done`]; a refusal goes
    /// to `refused` (field errors) or is reported. Boxed: one copy of this
    /// code serves every tool (the bundle is measured).
    fn send(self, write: Write, said: Key, opener: &'static str, refused: Refused) {
        leptos::task::spawn_local(async move {
            match write.await {
                Ok(n) => self.done(n, said, opener),
                Err(e) => {
                    if !refused(&e) {
                        report_error(self.ctx, &e);
                    }
                }
            }
        });
    }
}

/// A write whose answer is the question.
type Write = std::pin::Pin<Box<dyn Future<Output = Result<Question, ApiError>>>>;
/// Shows a refusal's field errors; false when it named none.
type Refused = Box<dyn Fn(&ApiError) -> bool>;

/// The asker's and moderators' tools for the question `id` (nothing for
/// anyone else).
#[component]
pub fn QuestionTools(
    /// The question's id.
    id: String,
    /// The question on screen.
    q: Shown,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let fields = QuestionFields::new(&format!("edit-{id}-"));
    // An edit in progress (a stored draft) is open again after a reload.
    let panel = RwSignal::new(fields.restored().then_some(Panel::Edit));
    let t = Tools {
        ctx,
        q,
        panel,
        root: use_context::<DetailRoot>(),
    };
    let qid = StoredValue::new(id);
    let viewer = Memo::new(move |_| {
        q.with(|v| match v {
            Some(Ok(x)) => (
                x.viewer.mine,
                x.viewer.can_moderate,
                x.hidden,
                x.summary.duplicate_of.is_some(),
            ),
            _ => (false, false, false, false),
        })
    });
    let mine = move || viewer.get().0;
    let moderator = move || viewer.get().1;
    let is_open = move |p: Panel| move || (panel.get() == Some(p)).to_string();
    let button_id = move |n: &str| ctx.dom_id(n);

    // Urgency is no draft: it starts from the question, also under a
    // restored draft (or saving would turn an urgent question normal).
    let urgency_of = move |x: &Question| {
        let urgent = x.summary.urgency == km_protocol::questions::Urgency::Urgent;
        fields.urgent.set(urgent);
        fields
            .need_by
            .set(x.summary.need_by.clone().unwrap_or_default());
    };
    if let Some(x) = t.current() {
        urgency_of(&x);
    }
    let on_edit = move |_| {
        if let Some(x) = t.current() {
            if panel.get_untracked() != Some(Panel::Edit) {
                urgency_of(&x);
                fields.fill(x.summary.title, x.body, x.summary.tags);
            }
            t.open(Panel::Edit, "ask-title");
        }
    };
    let on_hide = move |_| {
        let (Some(api), hidden) = (t.api(), viewer.get_untracked().2) else {
            return;
        };
        let said = if hidden {
            Key::QuestionShown
        } else {
            Key::QuestionHidden
        };
        let id = qid.get_value();
        t.send(
            Box::pin(async move { api::hide(&api, false, &id, !hidden).await }),
            said,
            "tool-hide",
            Box::new(|_| false),
        );
    };
    let on_duplicate = move |_| {
        if viewer.get_untracked().3 {
            // Closed already: this button reopens.
            let Some(api) = t.api() else { return };
            let id = qid.get_value();
            t.send(
                Box::pin(async move { api::duplicate(&api, &id, None).await }),
                Key::Reopened,
                "tool-duplicate",
                Box::new(|_| false),
            );
        } else {
            t.open(Panel::Duplicate, "dup-search");
        }
    };
    view! {
        {move || (mine() || moderator()).then(|| view! {
            <section class="ac-tools" part="moderation" aria-label=move || Key::ManageLabel.get(lang.get())>
                <div class="ac-actions">
                    {mine().then(|| view! {
                        <button type="button" id=button_id("tool-edit") class="km-btn-secondary"
                            part="button edit-question" aria-expanded=is_open(Panel::Edit) on:click=on_edit>
                            {tr(lang, Key::EditQuestion)}
                        </button>
                    })}
                    <button type="button" id=button_id("tool-retag") class="km-btn-secondary"
                        part="button retag" aria-expanded=is_open(Panel::Retag)
                        on:click=move |_| t.open(Panel::Retag, "tags-input")>
                        {tr(lang, Key::Retag)}
                    </button>
                    {moderator().then(|| view! {
                        <button type="button" id=button_id("tool-hide") class="km-btn-secondary"
                            part="button hide-question" on:click=on_hide>
                            {move || if viewer.get().2 { Key::ShowQuestion.get(lang.get()) } else { Key::HideQuestion.get(lang.get()) }}
                        </button>
                        <button type="button" id=button_id("tool-duplicate") class="km-btn-secondary"
                            part="button close-duplicate" aria-expanded=is_open(Panel::Duplicate) on:click=on_duplicate>
                            {move || if viewer.get().3 { Key::Reopen.get(lang.get()) } else { Key::CloseDuplicate.get(lang.get()) }}
                        </button>
                    })}
                </div>
                {move || match panel.get() {
                    Some(Panel::Edit) => view! { <EditQuestion t=t fields=fields id=qid.get_value()/> }.into_any(),
                    Some(Panel::Retag) => view! { <RetagForm t=t id=qid.get_value()/> }.into_any(),
                    Some(Panel::Duplicate) => view! { <DuplicatePicker t=t id=qid.get_value()/> }.into_any(),
                    None => ().into_any(),
                }}
                {moderator().then(|| view! { <ChangeLog id=qid.get_value() q=q/> })}
            </section>
        })}
    }
}

/// The Save and Cancel of a tool's form.
#[component]
fn FormActions(t: Tools, opener: &'static str, on_cancel: Callback<()>) -> impl IntoView {
    let lang = t.ctx.config.lang;
    view! {
        <div class="ac-actions">
            <button type="submit" class="km-btn" part="button save-edit">{tr(lang, Key::SaveEdit)}</button>
            <button type="button" class="km-btn-link" part="button cancel"
                on:click=move |_| { on_cancel.run(()); t.close(opener); }>
                {tr(lang, Key::Cancel)}
            </button>
        </div>
    }
}

/// The author's editor: the ask form's fields, saved with `PUT /questions/{id}`.
#[component]
fn EditQuestion(t: Tools, fields: QuestionFields, id: String) -> impl IntoView {
    let lang = t.ctx.config.lang;
    let heading = t.ctx.dom_id("edit-heading");
    let labelled_by = heading.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let anonymous = t.current().is_some_and(|x| x.summary.anonymous);
        let (Some(new), Some(api)) = (fields.checked(anonymous), t.api()) else {
            return;
        };
        let id = id.clone();
        t.send(
            Box::pin(async move {
                let r = api::edit_question(&api, &id, &new).await;
                if r.is_ok() {
                    fields.clear();
                }
                r
            }),
            Key::QuestionSaved,
            "tool-edit",
            Box::new(move |e| fields.server_errors(e)),
        );
    };
    view! {
        <form class="ac-form" part="edit-form" novalidate aria-labelledby=labelled_by on:submit=save>
            <h4 id=heading>{tr(lang, Key::EditQuestionHeading)}</h4>
            <QuestionInputs fields=fields/>
            <FormActions t=t opener="tool-edit" on_cancel=Callback::new(move |_| fields.clear())/>
        </form>
    }
}

/// New tags for the question (`PUT /questions/{id}/tags`).
#[component]
fn RetagForm(t: Tools, id: String) -> impl IntoView {
    let lang = t.ctx.config.lang;
    let tags = RwSignal::new(t.current().map(|x| x.summary.tags).unwrap_or_default());
    let errors = FormErrors::new();
    let heading = t.ctx.dom_id("retag-heading");
    let labelled_by = heading.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Retag {
            tags: tags.get_untracked(),
        };
        errors.set_result(body.validate());
        if errors.0.with_untracked(|v| !v.is_empty()) {
            return;
        }
        let Some(api) = t.api() else { return };
        let id = id.clone();
        t.send(
            Box::pin(async move { api::retag(&api, &id, body.tags).await }),
            Key::Retagged,
            "tool-retag",
            Box::new(move |e| errors.take_from_api(e, |_| true)),
        );
    };
    view! {
        <form class="ac-form" part="retag-form" novalidate aria-labelledby=labelled_by on:submit=save>
            <h4 id=heading>{tr(lang, Key::RetagHeading)}</h4>
            <TagPicker tags=tags errors=errors/>
            <FormActions t=t opener="tool-retag" on_cancel=Callback::new(|_| ())/>
        </form>
    }
}

/// Picks the original of a duplicate from a search over similar questions
/// (it starts with the question's own title).
#[component]
fn DuplicatePicker(t: Tools, id: String) -> impl IntoView {
    let ctx = t.ctx;
    let lang = ctx.config.lang;
    let query = RwSignal::new(t.current().map(|x| x.summary.title).unwrap_or_default());
    let found = RwSignal::new(None::<Vec<QuestionSummary>>);
    let errors = FormErrors::new();
    let qid = StoredValue::new(id);
    let (heading, field, err) = (
        ctx.dom_id("dup-heading"),
        ctx.dom_id("dup-search"),
        ctx.dom_id("dup-error"),
    );
    let labelled_by = heading.clone();
    let search = move || {
        let Some(api) = t.api() else { return };
        let text = query.get_untracked();
        leptos::task::spawn_local(async move {
            match api::similar(&api, &text).await {
                Ok(v) => {
                    let me = qid.get_value();
                    let v: Vec<_> = v.into_iter().filter(|x| x.id != me).collect();
                    let n = v.len().to_string();
                    ctx.announcer.say(fill(
                        Key::SimilarFound.get(lang.get_untracked()),
                        &[("n", &n)],
                    ));
                    found.try_set(Some(v));
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    search();
    let pick = move |original: String| {
        let Some(api) = t.api() else { return };
        let id = qid.get_value();
        t.send(
            Box::pin(async move { api::duplicate(&api, &id, Some(original)).await }),
            Key::DuplicateOf,
            "tool-duplicate",
            Box::new(move |e| errors.take_from_api(e, |_| true)),
        );
    };
    let results = move || {
        found.get().map(|v| {
            if v.is_empty() {
                return view! { <p class="km-muted" part="empty">{tr(lang, Key::NoCandidates)}</p> }
                    .into_any();
            }
            view! { <TitleList items=v item_part="candidate" on_pick=Some(Callback::new(pick))/> }
                .into_any()
        })
    };
    view! {
        <form class="ac-form" part="duplicate-form" role="search" novalidate aria-labelledby=labelled_by
            on:submit=move |ev| { ev.prevent_default(); search(); }>
            <h4 id=heading>{tr(lang, Key::DuplicateHeading)}</h4>
            <label class="km-label" part="label" for=field.clone()>{tr(lang, Key::DuplicateSearch)}</label>
            <div class="ac-search">
                <input id=field type="search" class="km-input" part="input duplicate-search"
                    aria-describedby=err.clone() aria-invalid=errors.aria_invalid("original_id")
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="submit" class="km-btn-secondary" part="button search">{tr(lang, Key::SearchButton)}</button>
            </div>
            <FieldMessage errors=errors field="original_id" id=err/>
            {results}
            <div class="ac-actions">
                <button type="button" class="km-btn-link" part="button cancel"
                    on:click=move |_| t.close("tool-duplicate")>{tr(lang, Key::Cancel)}</button>
            </div>
        </form>
    }
}

/// Who did what, when (moderators only; the anonymous asker shows as
/// "Anonymous" here too). Fetched again whenever the question on screen
/// changes.
#[component]
fn ChangeLog(id: String, q: Shown) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let log = RwSignal::new(Vec::<Change>::new());
    let heading = ctx.dom_id("changes");
    let labelled_by = heading.clone();
    Effect::new(move |_| {
        q.track();
        let Some(api) = Api::from_config_untracked(&ctx.config) else {
            return;
        };
        let id = id.clone();
        leptos::task::spawn_local(async move {
            // The log is a help beside the question: a failure keeps the last one.
            if let Ok(v) = api::changes(&api, &id).await {
                log.try_set(v);
            }
        });
    });
    view! {
        <section class="ac-changes" part="changes" aria-labelledby=labelled_by>
            <h4 id=heading>{tr(lang, Key::ChangesHeading)}</h4>
            <ol class="km-list">
                {move || log.get().into_iter().map(|c| {
                    let action = c.action.clone();
                    let what = move || match change_key(&action) {
                        Some(k) => k.get(lang.get()).to_owned(),
                        None => action.clone(),
                    };
                    // The question's anonymous asker is not named here either.
                    let who = shown_name(c.actor.as_ref(), c.anonymous)
                        .unwrap_or_else(|| Key::Anonymous.get(lang.get()).to_owned());
                    view! {
                        <li part="change">
                            <span class="ac-person">{who}</span> " " {what}
                            <span aria-hidden="true">" · "</span>
                            <RelativeTime at=c.at/>
                        </li>
                    }
                }).collect::<Vec<_>>()}
            </ol>
        </section>
    }
}

/// The asker's and moderators' tools, as functions into their chunk.
#[derive(Clone, Copy)]
pub struct ToolParts {
    /// [`QuestionTools`] for a question id.
    pub question: fn(String, Shown) -> AnyView,
    /// [`EditAnswer`](crate::answer_tools::EditAnswer) for an answer id and its text.
    pub edit_answer: fn(String, String, Shown) -> AnyView,
    /// [`HideAnswer`](crate::answer_tools::HideAnswer) for an answer id.
    pub hide_answer: fn(String, Shown) -> AnyView,
}

km_widgets_core::lazy_fn! {
    // The widget's own chunk, not one of its own: measured, a separate
    // chunk saved less than the extra shared chunks cost every page
    // (docs/PERFORMANCE.md, "Code splitting"); renaming it splits it off.
    ask_the_community;
    /// Editing and moderation tools, as a part that could arrive on first
    /// use (most readers never use them).
    pub fn tool_parts() -> ToolParts {
        ToolParts {
            question: |id, q| view! { <QuestionTools id=id q=q/> }.into_any(),
            edit_answer: |id, body, q| {
                view! { <crate::answer_tools::EditAnswer id=id body=body q=q/> }.into_any()
            },
            hide_answer: |id, q| view! { <crate::answer_tools::HideAnswer id=id q=q/> }.into_any(),
        }
    }
}
