//! The fields a question is written with, shared by the ask form and the
//! author's edit form: title, details, tags (all drafts, so nothing typed
//! is lost), urgency with a need-by date; their local validation and the
//! server's field errors shown next to them.

use km_protocol::Validate;
use km_protocol::questions::NewQuestion;
use km_widgets_core::drafts::UseDraftReturn;
use km_widgets_core::i18n::{CoreKey, t, tr};
use km_widgets_core::ui::fields::field_matches;
use km_widgets_core::ui::tag_picker::TagPicker;
use km_widgets_core::ui::{FieldMessage, FormErrors};
use km_widgets_core::{ApiError, WidgetContext, use_draft, use_draft_value, use_widget};
use leptos::prelude::*;

use crate::model::{is_form_field, new_question};
use crate::strings::Key;

/// The state of a question's fields.
#[derive(Clone, Copy)]
pub struct QuestionFields {
    /// Title (a draft).
    pub title: UseDraftReturn<String>,
    /// Details (a draft).
    pub body: UseDraftReturn<String>,
    /// Tags (a draft).
    pub tags: UseDraftReturn<Vec<String>>,
    /// Urgent (with a need-by date) or not.
    pub urgent: RwSignal<bool>,
    /// The need-by date, `YYYY-MM-DD`.
    pub need_by: RwSignal<String>,
    /// Field errors, local or from the server.
    pub errors: FormErrors,
    /// The title input (focused when the title is refused).
    pub title_ref: NodeRef<leptos::html::Input>,
    ctx: WidgetContext,
}

impl QuestionFields {
    /// Fields whose drafts are stored under `prefix` + the field's name.
    pub fn new(prefix: &str) -> Self {
        QuestionFields {
            title: use_draft(&format!("{prefix}title")),
            body: use_draft(&format!("{prefix}body")),
            tags: use_draft_value::<Vec<String>>(&format!("{prefix}tags")),
            urgent: RwSignal::new(false),
            need_by: RwSignal::new(String::new()),
            errors: FormErrors::new(),
            title_ref: NodeRef::new(),
            ctx: use_widget(),
        }
    }

    /// Whether a stored draft came back.
    pub fn restored(&self) -> bool {
        self.title.restored || self.body.restored || self.tags.restored
    }

    /// Fills title, details and tags (a `km-prefill`, or the question being
    /// edited).
    pub fn fill(&self, title: String, body: String, tags: Vec<String>) {
        self.title.value.set(title);
        self.body.value.set(body);
        self.tags.value.set(tags);
        self.errors.0.set(Vec::new());
    }

    /// Empties the fields and forgets their drafts.
    pub fn clear(&self) {
        self.title.clear();
        self.body.clear();
        self.tags.clear();
        self.urgent.set(false);
        self.need_by.set(String::new());
        self.errors.0.set(Vec::new());
    }

    /// The request, or `None` after showing why not next to the fields.
    pub fn checked(&self, anonymous: bool) -> Option<NewQuestion> {
        let new = new_question(
            &self.title.value.get_untracked(),
            &self.body.value.get_untracked(),
            self.tags.value.get_untracked(),
            self.urgent.get_untracked(),
            &self.need_by.get_untracked(),
            anonymous,
        );
        match new.validate() {
            Ok(()) => {
                self.errors.0.set(Vec::new());
                Some(new)
            }
            Err(errs) => {
                self.errors.0.set(errs);
                self.refused();
                None
            }
        }
    }

    /// Shows a server error's field errors next to the fields; false when
    /// it names none of them (the caller shows the error otherwise).
    pub fn server_errors(&self, e: &ApiError) -> bool {
        let any = self.errors.take_from_api(e, is_form_field);
        if any {
            self.refused();
        }
        any
    }

    /// Says the form was refused; focus goes to the title when it is at fault.
    fn refused(&self) {
        self.ctx.announcer.say(t(
            self.ctx.config.lang.get_untracked(),
            CoreKey::ErrorValidation,
        ));
        let title =
            |v: &Vec<km_protocol::FieldError>| v.iter().any(|e| field_matches(&e.field, "title"));
        if self.errors.0.with_untracked(title)
            && let Some(el) = self.title_ref.get_untracked()
        {
            let _ = el.focus();
        }
    }
}

/// The inputs of [`QuestionFields`], with their labels, hints and errors.
#[component]
pub fn QuestionInputs(
    /// The fields' state.
    fields: QuestionFields,
    /// Runs after each change of the title (the ask form looks up similar
    /// questions).
    #[prop(optional, into)]
    on_title: Option<Callback<()>>,
    /// Shown right under the title.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let f = fields;
    let errors = f.errors;
    let id = |n: &str| ctx.dom_id(n);
    let (title_id, title_hint, title_err) = (id("ask-title"), id("title-hint"), id("title-error"));
    let (body_id, body_hint, body_err) = (id("body"), id("body-hint"), id("body-error"));
    let (need_id, need_err) = (id("need-by"), id("need-by-error"));
    let urgency_name = id("urgency");
    view! {
        <div class="km-field">
            <label class="km-label" part="label" for=title_id.clone()>{tr(lang, Key::TitleLabel)}</label>
            <input
                id=title_id
                node_ref=f.title_ref
                type="text"
                class="km-input"
                part="input ask-title"
                autocomplete="off"
                aria-describedby=format!("{title_hint} {title_err}")
                aria-invalid=errors.aria_invalid("title")
                prop:value=move || f.title.value.get()
                on:input=move |ev| {
                    f.title.value.set(event_target_value(&ev));
                    errors.clear_field("title");
                    if let Some(cb) = on_title {
                        cb.run(());
                    }
                }
            />
            <p class="km-muted" id=title_hint>{tr(lang, Key::TitleHint)}</p>
            <FieldMessage errors=errors field="title" id=title_err/>
        </div>
        {children.map(|c| c())}
        <div class="km-field">
            <label class="km-label" part="label" for=body_id.clone()>{tr(lang, Key::BodyLabel)}</label>
            <textarea
                id=body_id
                class="km-input"
                part="input body"
                rows="5"
                aria-describedby=format!("{body_hint} {body_err}")
                aria-invalid=errors.aria_invalid("body")
                prop:value=move || f.body.value.get()
                on:input=move |ev| {
                    f.body.value.set(event_target_value(&ev));
                    errors.clear_field("body");
                }
            ></textarea>
            <p class="km-muted" id=body_hint>{tr(lang, Key::BodyHint)}</p>
            <FieldMessage errors=errors field="body" id=body_err/>
        </div>
        <div class="km-field">
            <TagPicker tags=f.tags.value errors=errors/>
        </div>
        <fieldset class="ac-urgency" part="urgency">
            <legend class="km-label">{tr(lang, Key::UrgencyLegend)}</legend>
            <label class="ac-radio">
                <input type="radio" name=urgency_name.clone() value="normal"
                    prop:checked=move || !f.urgent.get()
                    on:change=move |_| { f.urgent.set(false); errors.clear_field("need_by"); }/>
                <span>{tr(lang, Key::UrgencyNormal)}</span>
            </label>
            <label class="ac-radio">
                <input type="radio" name=urgency_name value="urgent"
                    prop:checked=move || f.urgent.get()
                    on:change=move |_| f.urgent.set(true)/>
                <span>{tr(lang, Key::UrgencyUrgent)}</span>
            </label>
            {move || f.urgent.get().then(|| view! {
                <div class="km-field">
                    <label class="km-label" part="label" for=need_id.clone()>{tr(lang, Key::NeedByLabel)}</label>
                    <input id=need_id.clone() type="date" class="km-input" part="input need-by"
                        aria-describedby=need_err.clone()
                        aria-invalid=errors.aria_invalid("need_by")
                        prop:value=move || f.need_by.get()
                        on:input=move |ev| { f.need_by.set(event_target_value(&ev)); errors.clear_field("need_by"); }/>
                    <FieldMessage errors=errors field="need_by" id=need_err.clone()/>
                </div>
            })}
        </fieldset>
    }
}
