//! The submit form: title, goal, team, practice, situation, result, metric
//! rows (add/remove), tags, contributors, quote and evidence link. Kept as
//! a draft while typing; validated like the server does; sent through the
//! outbox (Idempotency-Key, waits when offline); field errors, local or the
//! server's, appear next to their field.

use km_protocol::FieldError;
use km_widgets_core::i18n::{CoreKey, fill, plural, t, tr, tr_signal};
use km_widgets_core::outbox::{OutboxEntry, RawJson, SubmitOutcome};
use km_widgets_core::ui::fields::{field_matches, field_message};
use km_widgets_core::ui::{ErrorState, FormErrors, SignInNote, TagPicker, is_signed_out};
use km_widgets_core::{
    ApiError, HttpMethod, Translate, WidgetContext, use_attr, use_draft_value, use_outbox,
    use_widget,
};
use leptos::prelude::*;

use crate::api::STORIES_PATH;
use crate::board::Board;
use crate::model::{MetricDraft, PRACTICES, StoryDraft, check};
use crate::strings::Key;

/// Where a submission stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitStatus {
    /// Nothing happening.
    Idle,
    /// Waiting for the server.
    Sending,
    /// Sent; a moderator will review it.
    Thanks,
    /// Offline: waiting in the outbox.
    Queued,
    /// Nobody is signed in.
    SignedOut,
    /// Refused for a reason that is not a field's.
    Failed(ApiError),
}

fn practice_key(v: &str) -> Key {
    match v {
        "reused_article" => Key::PracticeReused,
        "community_answer" => Key::PracticeCommunity,
        "new_article" => Key::PracticeNew,
        "mentoring" => Key::PracticeMentoring,
        _ => Key::PracticeOther,
    }
}

/// The form (the whole widget in `mode="submit"`).
#[component]
pub fn SubmitForm(
    /// The board's state (goals for the select).
    board: Board,
) -> impl IntoView {
    let ctx = use_widget();
    let cfg = ctx.config;
    let lang = cfg.lang;
    let draft = use_draft_value::<StoryDraft>("story");
    let tags = use_draft_value::<Vec<String>>("tags");
    let d = draft.value;
    let restored = draft.restored
        && d.with_untracked(|d| !d.title.trim().is_empty() || !d.result.trim().is_empty());
    // Attributes preset the goal and team of a new story.
    let goal = use_attr::<String>("goal");
    let team = use_attr::<String>("team");
    untrack(|| {
        d.update_untracked(|v| {
            if v.metrics.is_empty() {
                v.metrics.push(MetricDraft::default());
            }
            if v.goal_id.is_empty() {
                v.goal_id = goal.get_untracked();
            }
            if v.team.is_empty() {
                v.team = team.get_untracked();
            }
        })
    });
    // A `km-prefill` (title, text, tags) starts a story: the text is the
    // situation; tags are added to those already chosen.
    Effect::new(move |_| {
        if let Some(p) = board.prefill.get() {
            board.prefill.set(None);
            d.update(|v| {
                v.title = p.title;
                v.situation = p.body;
            });
            tags.value.update(|t| {
                for tag in p.tags {
                    if !t.iter().any(|x| x.eq_ignore_ascii_case(&tag)) {
                        t.push(tag);
                    }
                }
            });
        }
    });
    let errors = FormErrors::new();
    let status = RwSignal::new(SubmitStatus::Idle);
    let outbox = use_outbox(move |entry, result| delivered(ctx, status, errors, entry, result));
    let pending = Signal::derive(move || outbox.pending.with(Vec::len));
    let rows = Memo::new(move |_| d.with(|v| v.metrics.len()));
    let sending = move || status.get() == SubmitStatus::Sending;
    let form_ref = NodeRef::<leptos::html::Form>::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if status.get_untracked() == SubmitStatus::Sending {
            return;
        }
        let value = d.get_untracked();
        let story = value.to_new_story(&tags.value.get_untracked());
        if let Err(errs) = check(&story, &value) {
            errors.0.set(errs);
            ctx.announcer
                .say(t(lang.get_untracked(), CoreKey::ErrorValidation));
            focus_first_invalid(form_ref);
            return;
        }
        errors.0.set(Vec::new());
        status.set(SubmitStatus::Sending);
        let label = story.title.clone();
        leptos::task::spawn_local(async move {
            let outcome = outbox
                .submit(HttpMethod::Post, STORIES_PATH, &story, &label)
                .await;
            if status.try_get_untracked().is_none() {
                return;
            }
            match outcome {
                SubmitOutcome::Sent(v) => {
                    clear(draft, tags);
                    status.set(SubmitStatus::Thanks);
                    ctx.announcer.say(Key::Thanks.get(lang.get_untracked()));
                    ctx.emit("km-story-submitted", &[("story", v.to_js())]);
                    board.refresh.notify();
                }
                SubmitOutcome::Queued => {
                    clear(draft, tags);
                    status.set(SubmitStatus::Queued);
                    ctx.announcer
                        .say(t(lang.get_untracked(), CoreKey::QueuedAnnounce));
                }
                SubmitOutcome::Rejected(e) => rejected(ctx, status, errors, e),
            }
        });
    };

    let text_field = move |name: &'static str, key: Key, multiline: bool| {
        let id = ctx.dom_id(&format!("sf-{name}"));
        let err = format!("{id}-error");
        let get = move || d.with(|v| field_text(v, name));
        let set = move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            d.update(|v| set_field_text(v, name, value));
            errors.clear_field(name);
        };
        let control = if multiline {
            view! {
                <textarea id=id.clone() class="km-input" part="input" rows="3"
                    aria-describedby=err.clone() aria-invalid=errors.aria_invalid(name)
                    prop:value=get on:input=set></textarea>
            }
            .into_any()
        } else {
            view! {
                <input id=id.clone() class="km-input" part="input"
                    type=if name == "evidence_url" { "url" } else { "text" }
                    aria-describedby=err.clone() aria-invalid=errors.aria_invalid(name)
                    prop:value=get on:input=set/>
            }
            .into_any()
        };
        view! {
            <div class="km-field">
                <label class="km-label" part="label" for=id>{tr(lang, key)}</label>
                {control}
                <ErrorText errors=errors field=name.to_owned() id=err/>
            </div>
        }
    };

    let goal_id = ctx.dom_id("sf-goal");
    let practice_id = ctx.dom_id("sf-practice");
    let goal_options = move || {
        board
            .goals
            .get()
            .into_iter()
            .map(|g| {
                let gid = g.id.clone();
                view! { <option value=g.id prop:selected=move || d.with(|v| v.goal_id == gid)>{g.name}</option> }
            })
            .collect::<Vec<_>>()
    };
    let practice_options = PRACTICES
        .iter()
        .map(|(_, value)| {
            let value = *value;
            view! {
                <option value=value prop:selected=move || d.with(|v| v.practice == value || (v.practice.is_empty() && value == "other"))>
                    {tr(lang, practice_key(value))}
                </option>
            }
        })
        .collect::<Vec<_>>();

    view! {
        <form class="sb-form" part="form" novalidate node_ref=form_ref on:submit=submit>
            <h3 class="sb-form-title">{tr(lang, Key::TabSubmit)}</h3>
            {restored.then(|| view! { <p class="km-status" part="status restored">{tr(lang, CoreKey::DraftRestored)}</p> })}
            {text_field("title", Key::FieldTitle, false)}
            <div class="sb-row">
                <div class="km-field">
                    <label class="km-label" part="label" for=goal_id.clone()>{tr(lang, Key::FieldGoal)}</label>
                    <select id=goal_id class="km-input" part="input"
                        aria-invalid=errors.aria_invalid("goal_id")
                        on:change=move |ev| { let v = event_target_value(&ev); d.update(|x| x.goal_id = v); errors.clear_field("goal_id"); }>
                        <option value="" prop:selected=move || d.with(|v| v.goal_id.is_empty())>{tr(lang, Key::FieldGoalNone)}</option>
                        {goal_options}
                    </select>
                    <ErrorText errors=errors field="goal_id".to_owned() id=ctx.dom_id("sf-goal-error")/>
                </div>
                {text_field("team", Key::FieldTeam, false)}
            </div>
            <div class="km-field">
                <label class="km-label" part="label" for=practice_id.clone()>{tr(lang, Key::FieldPractice)}</label>
                <select id=practice_id class="km-input" part="input"
                    on:change=move |ev| { let v = event_target_value(&ev); d.update(|x| x.practice = v); }>
                    {practice_options}
                </select>
            </div>
            {text_field("situation", Key::FieldSituation, true)}
            {text_field("result", Key::FieldResult, true)}
            <fieldset class="sb-metrics-field" part="metrics-field">
                <legend class="km-label">{tr(lang, Key::FieldMetrics)}</legend>
                {move || (0..rows.get()).map(|i| view! { <MetricFields index=i draft=d errors=errors/> }).collect::<Vec<_>>()}
                <ErrorText errors=errors field="metrics".to_owned() id=ctx.dom_id("sf-metrics-error") exact=true/>
                <button type="button" class="km-btn km-btn-secondary" part="button add-metric"
                    on:click=move |_| { d.update(|v| v.metrics.push(MetricDraft::default())); errors.clear_field("metrics"); }>
                    <span aria-hidden="true">"+ "</span>{tr(lang, Key::AddMetric)}
                </button>
            </fieldset>
            <TagPicker tags=tags.value errors=errors/>
            {text_field("contributors", Key::FieldContributors, false)}
            {text_field("quote", Key::FieldQuote, true)}
            {text_field("evidence_url", Key::FieldEvidence, false)}
            <div class="sb-form-actions">
                <button type="submit" class="km-btn" part="button submit"
                    aria-disabled=move || sending().then_some("true")>
                    {move || if sending() { t(lang.get(), CoreKey::Saving) } else { Key::Submit.get(lang.get()) }}
                </button>
                {move || {
                    let n = pending.get();
                    (n > 0 && !sending()).then(|| view! {
                        <span class="km-status km-status-pending" part="status pending">
                            {move || plural(lang.get(), n as i64, CoreKey::PendingOne, CoreKey::PendingOther)}
                        </span>
                    })
                }}
            </div>
            {move || match status.get() {
                SubmitStatus::Thanks => Some(view! {
                    <p class="km-status km-status-ok" part="status thanks"><span aria-hidden="true">"✓ "</span>{tr(lang, Key::Thanks)}</p>
                }.into_any()),
                SubmitStatus::SignedOut => Some(view! { <SignInNote message=tr_signal(lang, Key::SignIn)/> }.into_any()),
                SubmitStatus::Failed(e) => Some(view! { <ErrorState error=e/> }.into_any()),
                _ => None,
            }}
        </form>
    }
}

fn field_text(v: &StoryDraft, name: &str) -> String {
    match name {
        "title" => v.title.clone(),
        "team" => v.team.clone(),
        "situation" => v.situation.clone(),
        "result" => v.result.clone(),
        "contributors" => v.contributors.clone(),
        "quote" => v.quote.clone(),
        _ => v.evidence_url.clone(),
    }
}

fn set_field_text(v: &mut StoryDraft, name: &str, value: String) {
    match name {
        "title" => v.title = value,
        "team" => v.team = value,
        "situation" => v.situation = value,
        "result" => v.result = value,
        "contributors" => v.contributors = value,
        "quote" => v.quote = value,
        _ => v.evidence_url = value,
    }
}

/// The localized message of the first error of `field` (a nested field
/// such as `metrics[0].unit` too), under the control that names it with
/// `aria-describedby`.
#[component]
fn ErrorText(
    errors: FormErrors,
    field: String,
    #[prop(into)] id: String,
    /// Only errors of exactly this field (not of its children).
    #[prop(optional)]
    exact: bool,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    view! {
        <p class="km-field-error" part="field-error" id=id>
            {move || first_error(errors, &field, exact).map(|e| field_message(lang.get(), &e))}
        </p>
    }
}

fn first_error(errors: FormErrors, field: &str, exact: bool) -> Option<FieldError> {
    errors.0.with(|v| {
        v.iter()
            .find(|e| {
                if exact {
                    e.field == field
                } else {
                    field_matches(&e.field, field)
                }
            })
            .cloned()
    })
}

/// One metric row: label, unit, baseline, now, direction, dates, Remove.
#[component]
fn MetricFields(index: usize, draft: RwSignal<StoryDraft>, errors: FormErrors) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let n = (index + 1).to_string();
    let n2 = n.clone();
    let field = move |name: &'static str, key: Key, kind: &'static str| {
        let path = format!("metrics[{index}].{name}");
        let id = ctx.dom_id(&format!("sf-m{index}-{name}"));
        let err = format!("{id}-error");
        let p = path.clone();
        let invalid = move || first_error(errors, &p, false).map(|_| "true");
        view! {
            <div class="km-field sb-metric-field">
                <label class="km-label" part="label" for=id.clone()>{tr(lang, key)}</label>
                <input id=id class="km-input" part="input" type=kind
                    inputmode=if kind == "text" && (name == "baseline" || name == "current") { Some("decimal") } else { None }
                    aria-describedby=err.clone() aria-invalid=invalid
                    prop:value=move || draft.with(|v| v.metrics.get(index).map(|m| metric_text(m, name)).unwrap_or_default())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|v| if let Some(m) = v.metrics.get_mut(index) { set_metric_text(m, name, value) });
                    }/>
                <ErrorText errors=errors field=path id=err/>
            </div>
        }
    };
    let dir_id = ctx.dom_id(&format!("sf-m{index}-dir"));
    view! {
        <fieldset class="sb-metric-row" part="metric-row">
            <legend>{move || fill(Key::MetricN.get(lang.get()), &[("n", &n)])}</legend>
            {field("label", Key::MetricLabel, "text")}
            {field("unit", Key::MetricUnit, "text")}
            {field("baseline", Key::MetricBaseline, "text")}
            {field("current", Key::MetricCurrent, "text")}
            <div class="km-field sb-metric-field">
                <label class="km-label" part="label" for=dir_id.clone()>{tr(lang, Key::MetricDirection)}</label>
                <select id=dir_id class="km-input" part="input"
                    on:change=move |ev| {
                        let lower = event_target_value(&ev) == "lower";
                        draft.update(|v| if let Some(m) = v.metrics.get_mut(index) { m.lower_is_better = lower });
                    }>
                    <option value="higher" prop:selected=move || draft.with(|v| v.metrics.get(index).is_some_and(|m| !m.lower_is_better))>{tr(lang, Key::Higher)}</option>
                    <option value="lower" prop:selected=move || draft.with(|v| v.metrics.get(index).is_some_and(|m| m.lower_is_better))>{tr(lang, Key::Lower)}</option>
                </select>
            </div>
            {field("baseline_date", Key::MetricBaselineDate, "date")}
            {field("current_date", Key::MetricCurrentDate, "date")}
            <button type="button" class="km-btn-link sb-remove" part="button remove-metric"
                on:click=move |_| {
                    draft.update(|v| if index < v.metrics.len() { v.metrics.remove(index); });
                    // Row numbers shift: errors of the old rows no longer fit.
                    errors.clear_field("metrics");
                }>
                {move || fill(Key::RemoveMetric.get(lang.get()), &[("n", &n2)])}
            </button>
        </fieldset>
    }
}

fn metric_text(m: &MetricDraft, name: &str) -> String {
    match name {
        "label" => m.label.clone(),
        "unit" => m.unit.clone(),
        "baseline" => m.baseline.clone(),
        "current" => m.current.clone(),
        "baseline_date" => m.baseline_date.clone(),
        _ => m.current_date.clone(),
    }
}

fn set_metric_text(m: &mut MetricDraft, name: &str, value: String) {
    match name {
        "label" => m.label = value,
        "unit" => m.unit = value,
        "baseline" => m.baseline = value,
        "current" => m.current = value,
        "baseline_date" => m.baseline_date = value,
        _ => m.current_date = value,
    }
}

fn clear(
    draft: km_widgets_core::drafts::UseDraftReturn<StoryDraft>,
    tags: km_widgets_core::drafts::UseDraftReturn<Vec<String>>,
) {
    draft.clear();
    tags.clear();
    draft
        .value
        .update(|v| v.metrics.push(MetricDraft::default()));
}

/// Moves focus to the first control marked invalid (after the DOM update).
fn focus_first_invalid(form: NodeRef<leptos::html::Form>) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = form
            .get_untracked()
            .and_then(|f| f.query_selector("[aria-invalid=true]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

fn rejected(ctx: WidgetContext, status: RwSignal<SubmitStatus>, errors: FormErrors, e: ApiError) {
    let lang = ctx.config.lang.get_untracked();
    if is_signed_out(&e) {
        status.set(SubmitStatus::SignedOut);
        ctx.announcer.say(Key::SignIn.get(lang));
        return;
    }
    let fields = e.problem().map(|p| p.errors.clone()).unwrap_or_default();
    if fields.is_empty() {
        status.set(SubmitStatus::Failed(e));
    } else {
        errors.0.set(fields);
        status.set(SubmitStatus::Idle);
        ctx.announcer.say(t(lang, CoreKey::ErrorValidation));
    }
}

/// A queued story reached the server later.
fn delivered(
    ctx: WidgetContext,
    status: RwSignal<SubmitStatus>,
    errors: FormErrors,
    _entry: &OutboxEntry,
    result: Result<RawJson, ApiError>,
) {
    if status.try_get_untracked().is_none() {
        return;
    }
    match result {
        Ok(v) => {
            status.set(SubmitStatus::Thanks);
            ctx.emit("km-story-submitted", &[("story", v.to_js())]);
        }
        Err(e) => rejected(ctx, status, errors, e),
    }
}

km_widgets_core::lazy_fn! {
    story_board_parts;
    /// The submit form, whose code arrives when the form is first shown
    /// (few visitors of the board submit a story). It shares its chunk with
    /// the impact view: one more chunk name makes every page's download
    /// larger (docs/PERFORMANCE.md, "Code splitting").
    pub fn form_part() -> fn(Board) -> AnyView {
        |board| view! { <SubmitForm board=board/> }.into_any()
    }
}
