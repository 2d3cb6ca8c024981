//! Matches: ranked colleague cards (shared passions highlighted, teach/learn
//! pairs, a one-sentence reason, the score's parts on request) and "say
//! hi" with an optional message.

use km_protocol::PersonSummary;
use km_protocol::matches::{
    Direction, INTRO_MESSAGE_MAX_CHARS, Intro, IntroStatus, Match, NewIntro,
};
use km_protocol::passions::Level;
use km_protocol::{Page, Validate};
use km_widgets_core::i18n::{CoreKey, fill, t, tr};
use km_widgets_core::outbox::{Outbox, SubmitOutcome};
use km_widgets_core::ui::{Empty, FieldMessage, FormErrors, Paged, report_error};
use km_widgets_core::{HttpMethod, Translate, use_draft, use_outbox, use_widget};
use leptos::prelude::*;

use crate::api::{INTROS_PATH, matches};
use crate::inbox::{Contact, status_key};
use crate::model::{intro_refusal, level_class, level_key, reason, score_text};
use crate::strings::Key;

/// My passions' keys and levels (for the reason sentence).
pub type MyLevels = Signal<Vec<(String, Level)>>;

/// What every card of a match list shares.
#[derive(Clone, Copy)]
pub struct Cards {
    /// My passions' keys and levels (for the reason sentence).
    pub mine: MyLevels,
    /// The intros I sent and received (a card shows where ours stands).
    pub intros: Signal<Vec<Intro>>,
    /// A passion tag was clicked ("people passionate about X"); tags are
    /// plain text when `None`.
    pub on_tag: Option<Callback<String>>,
    /// Called after an intro was sent.
    pub on_sent: Option<Callback<()>>,
    /// Compact cards: name, department, reason and "say hi" only.
    pub compact: bool,
}

impl Cards {
    /// Full cards without tag links or callbacks.
    pub fn new(mine: MyLevels) -> Self {
        Cards {
            mine,
            intros: Signal::stored(Vec::new()),
            on_tag: None,
            on_sent: None,
            compact: false,
        }
    }
}

/// A page of matches with "Show more" fetching the next pages.
#[component]
pub fn MatchList(
    /// The first page.
    page: Page<Match>,
    /// What the cards share.
    cards: Cards,
    /// Page size of further pages.
    #[prop(default = crate::model::DEFAULT_LIMIT)]
    limit: u32,
    /// The passion filter of this list (further pages keep it).
    #[prop(optional, into)]
    tag: Option<String>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    if page.items.is_empty() {
        return view! { <Empty message=Signal::derive(move || Key::MatchesEmpty.get(lang.get()).to_owned())/> }
            .into_any();
    }
    let paged = Paged::new(page);
    let tag = StoredValue::new(tag);
    view! {
        <ul class="pm-cards" part="list">
            <For
                each=move || paged.items.get()
                key=|m| m.person.id.clone()
                children=move |m| view! { <MatchCard m=m cards=cards/> }
            />
        </ul>
        {paged.more_button(move |api, cursor| async move {
            matches(&api, limit, tag.get_value().as_deref(), Some(&cursor)).await
        })}
    }
    .into_any()
}

/// One match: name, department, the reason, shared passions (each a link
/// to its people), teach/learn pairs, the score's parts, and "say hi".
#[component]
pub fn MatchCard(
    /// The match.
    m: Match,
    /// What the cards of the list share.
    cards: Cards,
) -> impl IntoView {
    let Cards {
        mine,
        intros,
        on_tag,
        on_sent,
        compact,
    } = cards;
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let title_id = ctx.dom_id(&format!("match-{}", m.person.id));
    let labelled = title_id.clone();
    let first = m
        .person
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let whole = StoredValue::new(m.clone());
    let sentence = move || mine.with(|l| whole.with_value(|m| reason(lang.get(), m, l)));
    let department = m.person.department.clone().filter(|d| !d.trim().is_empty());
    let connected = m.connected;
    let shared = m
        .shared
        .iter()
        .map(|p| {
            let label = p.tag.clone();
            let level = p.level;
            let text = label.clone();
            let aria = {
                let label = label.clone();
                move || fill(Key::TagPageOf.get(lang.get()), &[("tag", &label)])
            };
            let inner = view! {
                <span class="pm-check" aria-hidden="true">"✓ "</span>
                <span class="pm-tag-label">{text}</span>
                <span class="pm-level">" · " {move || level_key(level).get(lang.get())}</span>
            };
            // The button's name starts with its visible text (WCAG 2.5.3)
            // and says where it leads.
            let body = match on_tag {
                Some(cb) => view! {
                    <button type="button" class="pm-tag-button" part="tag-link"
                        on:click=move |_| cb.run(label.clone())>
                        {inner}
                        <span class="km-sr-only">" — " {aria}</span>
                    </button>
                }
                .into_any(),
                None => inner.into_any(),
            };
            view! {
                <li class=format!("km-tag pm-passion pm-shared {}", level_class(level)) part="tag shared">
                    {body}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let pairs = m
        .complementary
        .iter()
        .map(|c| {
            let key = match c.direction {
                Direction::TheyTeach => Key::PairTheyTeach,
                Direction::ITeach => Key::PairITeach,
            };
            let tag = c.tag.clone();
            let name = first.clone();
            view! {
                <li part="pair">{move || fill(key.get(lang.get()), &[("name", &name), ("tag", &tag)])}</li>
            }
        })
        .collect::<Vec<_>>();
    let parts = m.parts;
    let score = m.score;
    let row = move |k: Key, v: f64| {
        view! { <dt>{move || k.get(lang.get())}</dt><dd>{score_text(v)}</dd> }
    };
    let person = m.person.clone();
    view! {
        <li class="pm-card" part="item card">
            <article aria-labelledby=labelled>
                <h3 id=title_id part="item-title">{m.person.name.clone()}</h3>
                {department.map(|d| view! { <p class="km-muted" part="department">{d}</p> })}
                {connected.then(|| view! { <p class="km-badge" part="badge connected">{tr(lang, Key::Connected)}</p> })}
                <p class="pm-reason" part="reason">{sentence}</p>
                {(!compact).then(|| view! {
                    <ul class="km-tags" part="shared-list" aria-label=move || Key::SharedLabel.get(lang.get())>{shared}</ul>
                    {(!pairs.is_empty()).then(|| view! { <ul class="pm-pairs" part="pairs">{pairs}</ul> })}
                    <details class="pm-details" part="details">
                        <summary>{tr(lang, Key::WhyMatch)}</summary>
                        <dl class="pm-parts" part="parts">
                            {row(Key::PartOverlap, parts.overlap)}
                            {row(Key::PartComplement, parts.complement)}
                            {(parts.connected_penalty > 0.0).then(|| row(Key::PartConnected, -parts.connected_penalty))}
                            {row(Key::PartScore, score)}
                        </dl>
                    </details>
                })}
                <SayHi person=person intros=intros on_sent=on_sent/>
            </article>
        </li>
    }
}

/// Where saying hi stands.
#[derive(Debug, Clone, PartialEq)]
enum HiState {
    Closed,
    Open,
    Sending,
    Sent,
    Queued,
    Refused(Key),
}

/// My intro with `person` and whether they sent it: an accepted one
/// before a pending one before a dismissed one.
fn ours_with(all: &[Intro], person: &str) -> Option<(Intro, bool)> {
    let rank = |s: IntroStatus| match s {
        IntroStatus::Accepted => 0,
        IntroStatus::Pending => 1,
        IntroStatus::Dismissed => 2,
    };
    all.iter()
        .filter(|i| i.to.id == person || i.from.id == person)
        .min_by_key(|i| rank(i.status))
        .map(|i| (i.clone(), i.from.id == person))
}

/// Where my intro with a colleague stands, on their card: accepted shows
/// their contact; pending says who waits for whom; dismissed, no second hi.
fn intro_status(intro: Intro, incoming: bool, name: String) -> AnyView {
    let lang = use_widget().config.lang;
    match (intro.status, intro.contact) {
        (IntroStatus::Accepted, Some(address)) => view! {
            <p class="km-status km-status-ok" part="status greeted contact">
                <Contact address=address/>
            </p>
        }
        .into_any(),
        (IntroStatus::Pending, _) if incoming => view! {
            <p class="km-status" part="status greeted">
                {move || fill(Key::HiReceived.get(lang.get()), &[("name", &name)])}
            </p>
        }
        .into_any(),
        (status, _) => view! {
            <p class="km-status" part="status greeted">{tr(lang, status_key(status))}</p>
        }
        .into_any(),
    }
}

/// "Say hi": a button that opens a small form with an optional message (a
/// draft while typing), its counter and errors; sends once.
#[component]
pub fn SayHi(
    /// To whom.
    person: PersonSummary,
    /// The intros I sent and received: once there is one with this person,
    /// the card shows where it stands instead of "Say hi".
    #[prop(optional, into)]
    intros: Signal<Vec<Intro>>,
    /// Called after the intro was sent (default: nothing).
    #[prop(default = None)]
    on_sent: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let draft = use_draft(&format!("hi-{}", person.id));
    let state = RwSignal::new(if draft.value.with_untracked(|v| v.is_empty()) {
        HiState::Closed
    } else {
        HiState::Open
    });
    let errors = FormErrors::new();
    let form_id = ctx.dom_id(&format!("hi-{}", person.id));
    let msg_id = ctx.dom_id(&format!("hi-msg-{}", person.id));
    let msg_err = ctx.dom_id(&format!("hi-err-{}", person.id));
    let msg_count = ctx.dom_id(&format!("hi-count-{}", person.id));
    let described = format!("{msg_count} {msg_err}");
    let to = StoredValue::new(person.id.clone());
    let name = StoredValue::new(person.name.clone());
    let ours = move || intros.with(|all| to.with_value(|id| ours_with(all, id)));
    let button_ref = NodeRef::<leptos::html::Button>::new();
    let text_ref = NodeRef::<leptos::html::Textarea>::new();
    // The widget's outbox (a card mounted on its own gets one of its own).
    let outbox = use_context::<Outbox>().unwrap_or_else(|| use_outbox(|_, _| {}));
    let status_ref = NodeRef::<leptos::html::P>::new();
    // Focus the message when the form opens, and the outcome when the form
    // goes away (a screen reader reads it; the focus is not lost).
    Effect::new(move |_| {
        if state.get() == HiState::Open
            && let Some(el) = text_ref.get()
        {
            let _ = el.focus();
        }
    });
    Effect::new(move |_| {
        if let Some(el) = status_ref.get() {
            let _ = el.focus();
        }
    });
    let close = move || {
        state.set(HiState::Closed);
        if let Some(b) = button_ref.get_untracked() {
            let _ = b.focus();
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == HiState::Sending {
            return;
        }
        let intro = NewIntro {
            to: to.get_value(),
            message: draft.value.get_untracked(),
        };
        if let Err(e) = intro.validate() {
            errors.0.set(e);
            if let Some(el) = text_ref.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        state.set(HiState::Sending);
        let label = name.get_value();
        leptos::task::spawn_local(async move {
            let outcome = outbox
                .submit(HttpMethod::Post, INTROS_PATH, &intro, &label)
                .await;
            if state.try_get_untracked().is_none() {
                return;
            }
            match outcome {
                SubmitOutcome::Sent(sent) => {
                    draft.clear();
                    state.set(HiState::Sent);
                    ctx.emit("km-intro-sent", &[("intro", sent.to_js())]);
                    if let Some(cb) = on_sent {
                        cb.run(());
                    }
                }
                // The network failed: the outbox keeps it and sends it once
                // the server is back (the widget then fires km-intro-sent).
                SubmitOutcome::Queued => {
                    draft.clear();
                    state.set(HiState::Queued);
                }
                SubmitOutcome::Rejected(e) => {
                    if let Some(k) = intro_refusal(&e) {
                        state.set(HiState::Refused(k));
                    } else if e.status() == 422 {
                        errors.set_from_api(&e);
                        state.set(HiState::Open);
                    } else {
                        report_error(ctx, &e);
                        state.set(HiState::Open);
                    }
                }
            }
        });
    };
    let count = move || draft.value.with(|v| v.chars().count());
    view! {
        <div class="pm-hi">
            {move || match state.get() {
                HiState::Sent => view! {
                    <p class="km-status km-status-ok" part="status sent" tabindex="-1" node_ref=status_ref>
                        {move || fill(Key::IntroSent.get(lang.get()), &[("name", &name.get_value())])}
                    </p>
                }.into_any(),
                HiState::Refused(k) => view! {
                    <p class="km-status" part="status refused" tabindex="-1" node_ref=status_ref>{move || k.get(lang.get())}</p>
                }.into_any(),
                // Once the outbox delivered it, the card says where it stands.
                HiState::Closed | HiState::Queued if ours().is_some() => ours()
                    .map(|(intro, incoming)| intro_status(intro, incoming, name.get_value()))
                    .into_any(),
                HiState::Queued => view! {
                    <p class="km-status km-status-pending" part="status pending" tabindex="-1" node_ref=status_ref>
                        {move || t(lang.get(), CoreKey::Pending)}
                    </p>
                }.into_any(),
                HiState::Closed => view! {
                    <button type="button" class="km-btn" part="button say-hi" node_ref=button_ref
                        aria-expanded="false" aria-controls=form_id.clone()
                        on:click=move |_| state.set(HiState::Open)>
                        {tr(lang, Key::SayHi)}
                    </button>
                }.into_any(),
                HiState::Open | HiState::Sending => view! {
                    <form class="pm-hi-form" part="form say-hi-form" id=form_id.clone() novalidate on:submit=send
                        aria-label=move || fill(Key::SayHiTo.get(lang.get()), &[("name", &name.get_value())])
                        on:keydown=move |ev| if ev.key() == "Escape" { close() }>
                        <label class="km-label" part="label" for=msg_id.clone()>{tr(lang, Key::MessageLabel)}</label>
                        <textarea id=msg_id.clone() class="km-input" part="input message" rows="3" node_ref=text_ref
                            aria-describedby=described.clone()
                            aria-invalid=errors.aria_invalid("message")
                            prop:value=move || draft.value.get()
                            on:input=move |ev| {
                                draft.value.set(event_target_value(&ev));
                                errors.clear_field("message");
                            }></textarea>
                        <p class="km-muted" part="counter" id=msg_count.clone() class:pm-over=move || { count() > INTRO_MESSAGE_MAX_CHARS }>
                            {move || fill(Key::Counter.get(lang.get()), &[("n", &count().to_string()), ("max", &INTRO_MESSAGE_MAX_CHARS.to_string())])}
                        </p>
                        <FieldMessage errors=errors field="message" id=msg_err.clone()/>
                        <div class="pm-actions">
                            <button type="submit" class="km-btn" part="button send"
                                aria-disabled=move || (state.get() == HiState::Sending).then_some("true")>
                                {move || if state.get() == HiState::Sending { Key::Sending.get(lang.get()) } else { Key::Send.get(lang.get()) }}
                            </button>
                            <button type="button" class="km-btn km-btn-secondary" part="button cancel" on:click=move |_| close()>
                                {tr(lang, Key::Cancel)}
                            </button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}
