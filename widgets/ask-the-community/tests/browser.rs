//! Browser tests of ask the community, in headless Chromium: the question
//! views mounted with given data, and the whole widget against a canned
//! `fetch` (no server). Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-ask-the-community --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_ask_the_community::view::QuestionList;
use km_protocol::PersonSummary;
use km_protocol::questions::{QuestionSummary, Urgency};
use km_widgets_core::MountHandle;
use km_widgets_core::testing::{
    EventLog, all, fetched, idempotency_keys, mount, restore_fetch, sleep, stub_fetch, text,
    text_of, tick, type_into, wait_for,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

fn mount_ac(
    view: fn() -> AnyView,
    pairs: &[(&str, &str)],
) -> (HtmlElement, ShadowRoot, MountHandle) {
    mount(
        "ask-the-community",
        km_ask_the_community::style::CSS,
        view,
        pairs,
    )
}

fn question(id: &str, title: &str, answers: i64) -> QuestionSummary {
    QuestionSummary {
        id: id.into(),
        title: title.into(),
        tags: vec!["Onboarding".into()],
        urgency: Urgency::Normal,
        need_by: None,
        author: Some(PersonSummary {
            id: "u1".into(),
            name: "Mia de Vries".into(),
            department: None,
        }),
        anonymous: false,
        answer_count: answers,
        votes: 0,
        solved: false,
        created_at: "2026-01-05T09:30:00Z".into(),
        duplicate_of: None,
    }
}

fn list_view() -> AnyView {
    let mut urgent = question("q1", "Who can review our DPIA before Friday?", 3);
    urgent.urgency = Urgency::Urgent;
    // Far ahead: a date already past would show "was needed by" instead.
    urgent.need_by = Some("2099-11-24".into());
    urgent.anonymous = true;
    urgent.author = None;
    let mut solved = question("q2", "Where is the onboarding checklist?", 1);
    solved.solved = true;
    view! { <QuestionList questions=vec![urgent, solved]/> }.into_any()
}

fn past_view() -> AnyView {
    let mut late = question("q3", "Who can sign the supplier contract?", 0);
    late.urgency = Urgency::Urgent;
    late.need_by = Some("2026-11-03".into());
    let mut solved = question("q4", "Where is the badge printer?", 1);
    solved.urgency = Urgency::Urgent;
    solved.need_by = Some("2099-01-01".into());
    solved.solved = true;
    view! { <QuestionList questions=vec![late, solved]/> }.into_any()
}

#[wasm_bindgen_test]
async fn the_urgent_badge_goes_once_solved_or_past_its_date() {
    let (_el, root, h) = mount_ac(past_view, &[("lang", "en")]);
    tick().await;
    assert!(all(&root, "[part~=urgent]").is_empty(), "no Urgent badge");
    assert_eq!(
        text_of(&root, "[part~=was-needed]"),
        "was needed by Nov 3, 2026"
    );
    assert!(text_of(&root, "[part~=solved]").contains("Solved"));
    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    assert!(text_of(&root, "[part~=was-needed]").starts_with("was nodig vóór 3 nov"));
}

#[wasm_bindgen_test]
async fn question_cards_read_naturally_in_english_and_dutch() {
    let (_el, root, h) = mount_ac(list_view, &[("lang", "en")]);
    tick().await;
    let cards = all(&root, "[part~=card]");
    assert_eq!(cards.len(), 2);
    let answers: Vec<String> = all(&root, "[part~=answers]").iter().map(text).collect();
    assert_eq!(answers, ["3 answers", "1 answer"]);
    let urgent = text_of(&root, "[part~=urgent]");
    assert!(
        urgent.contains("Urgent · needed by Nov 24, 2099"),
        "{urgent}"
    );
    assert_eq!(
        all(&root, "[part~=urgent]").len(),
        1,
        "only urgent questions"
    );
    assert!(text_of(&root, "[part~=solved]").contains("Solved"));
    let authors: Vec<String> = all(&root, "[part~=author]").iter().map(text).collect();
    assert_eq!(authors, ["Anonymous", "Asked by Mia de Vries"]);
    let time = all(&root, "time");
    assert_eq!(
        time[0].get_attribute("datetime").as_deref(),
        Some("2026-01-05T09:30:00Z")
    );
    assert!(!text(&time[0]).is_empty(), "a relative time");
    assert_eq!(text_of(&root, "[part~=tag]"), "Onboarding");

    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    let answers: Vec<String> = all(&root, "[part~=answers]").iter().map(text).collect();
    assert_eq!(answers, ["3 antwoorden", "1 antwoord"]);
    let urgent = text_of(&root, "[part~=urgent]");
    assert!(urgent.contains("Dringend · nodig vóór 24 nov"), "{urgent}");
    assert!(text_of(&root, "[part~=solved]").contains("Opgelost"));
    assert_eq!(text_of(&root, "[part~=author]"), "Anoniem");
}

fn widget_view() -> AnyView {
    km_ask_the_community::mount_view()
}

const PAGE: &str = r#"{"items":[{"id":"q1","title":"How do we rotate the signing keys?","tags":["Security"],"urgency":"normal","answer_count":2,"created_at":"2026-11-20T10:00:00Z"}]}"#;

#[wasm_bindgen_test]
async fn the_widget_asks_for_the_newest_questions_without_a_sort_parameter() {
    let _fetch = stub_fetch(&[("/questions", 200, PAGE)]);
    let (el, root, _h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "nl")],
    );
    let events = EventLog::listen(&el, &["km-ready", "km-error"]);
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    restore_fetch();
    assert_eq!(fetched(), ["GET http://km.test/api/v1/questions?limit=10"]);
    assert_eq!(text_of(&root, "h2"), "Vraag het de community");
    assert_eq!(
        text_of(&root, "[part~=item-title]"),
        "How do we rotate the signing keys?"
    );
    assert_eq!(text_of(&root, "[part~=answers]"), "2 antwoorden");
    assert_eq!(events.names(), ["km-ready"]);
}

#[wasm_bindgen_test]
async fn show_more_appends_the_next_page_of_questions() {
    let first = PAGE.replace("]}", r#"],"next_cursor":"Mg"}"#);
    let second = r#"{"items":[{"id":"q2","title":"Who owns the style guide?","tags":[],"urgency":"normal","answer_count":0,"created_at":"2026-11-19T10:00:00Z"}]}"#;
    let _fetch = stub_fetch(&[("cursor=Mg", 200, second), ("/questions", 200, &first)]);
    let (_el, root, _h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    let more = root
        .query_selector("[part~=more]")
        .unwrap()
        .expect("a next page");
    assert_eq!(text(&more), "Show more");
    more.unchecked_into::<HtmlElement>().click();
    wait_for("the next page", || all(&root, "[part~=card]").len() == 2).await;
    wait_for("the focus on the first new question", || {
        root.active_element()
            .is_some_and(|f| text(&f).contains("Who owns the style guide?"))
    })
    .await;
    restore_fetch();
    let titles: Vec<String> = all(&root, "[part~=item-title]").iter().map(text).collect();
    assert_eq!(
        titles,
        [
            "How do we rotate the signing keys?",
            "Who owns the style guide?"
        ]
    );
    assert_eq!(
        fetched().last().map(String::as_str),
        Some("GET http://km.test/api/v1/questions?limit=10&cursor=Mg")
    );
    assert!(all(&root, "[part~=more]").is_empty(), "the last page");
    let focused = root
        .active_element()
        .expect("the focus is on the new question");
    assert!(text(&focused).contains("Who owns the style guide?"));
}

#[wasm_bindgen_test]
async fn a_server_error_shows_a_retry_that_loads_the_list() {
    let _fetch = stub_fetch(&[(
        "/questions",
        500,
        r#"{"title":"Internal Server Error","status":500}"#,
    )]);
    let (el, root, _h) = mount_ac(
        widget_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("limit", "3"),
            ("tag", "Security"),
        ],
    );
    let events = EventLog::listen(&el, &["km-ready", "km-error"]);
    wait_for("the error", || !all(&root, "[part~=error]").is_empty()).await;
    assert_eq!(
        fetched(),
        ["GET http://km.test/api/v1/questions?limit=3&tag=Security"]
    );
    assert_eq!(text_of(&root, "h2"), "Questions about Security");
    assert_eq!(
        text_of(&root, ".km-error-title"),
        "Something went wrong on the server."
    );
    let _fetch = stub_fetch(&[("/questions", 200, PAGE)]);
    let retry: HtmlElement = all(&root, "[part~=retry]")[0].clone().unchecked_into();
    retry.click();
    wait_for("the list after retry", || {
        !all(&root, "[part~=card]").is_empty()
    })
    .await;
    restore_fetch();
    assert!(all(&root, "[part~=error]").is_empty());
    assert_eq!(events.names(), ["km-error", "km-ready"]);
}

fn ask_view() -> AnyView {
    km_ask_the_community::mount_view()
}

const SIMILAR: &str = r#"[{"id":"q9","title":"How do I renew the VPN certificate?","tags":[],"urgency":"normal","answer_count":2,"solved":true,"created_at":"2026-11-20T10:00:00Z"}]"#;

const ASKED: &str = r#"{"id":"q10","title":"Renewing the VPN certificate fails","tags":["VPN"],"urgency":"normal","answer_count":0,"created_at":"2026-11-22T10:00:00Z","body":"","answers":[],"viewer":{"mine":true}}"#;

/// Forgets the drafts earlier tests left in localStorage.
fn clear_drafts() {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.clear();
    }
}

fn el(root: &ShadowRoot, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn click(root: &ShadowRoot, selector: &str) {
    el(root, selector).unchecked_into::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn typing_a_title_shows_similar_questions_and_asking_posts_once_with_a_key() {
    clear_drafts();
    let _fetch = stub_fetch(&[
        ("/questions/similar", 200, SIMILAR),
        ("/questions", 201, ASKED),
    ]);
    let (host, root, _h) = mount_ac(
        ask_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("mode", "ask"),
        ],
    );
    let events = EventLog::listen(&host, &["km-question-asked", "km-error"]);
    tick().await;
    type_into(&el(&root, "[part~=ask-title]"), "VPN renew");
    wait_for("similar questions", || {
        !all(&root, "[part~=similar-item]").is_empty()
    })
    .await;
    assert!(text_of(&root, "[part~=similar]").contains("How do I renew the VPN certificate?"));
    assert!(text_of(&root, "[part~=similar]").contains("2 answers"));
    // A title that is too short is refused next to the field, without a request.
    let before = fetched().len();
    click(&root, "[part~=ask]");
    tick().await;
    let err = text_of(&root, "[part~=field-error]");
    assert!(err.contains("at least 10"), "{err}");
    assert_eq!(
        el(&root, "[part~=ask-title]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(fetched().len(), before);
    type_into(
        &el(&root, "[part~=ask-title]"),
        "Renewing the VPN certificate fails",
    );
    type_into(&el(&root, "[part~=body]"), "It says *expired*.");
    click(&root, "[part~=anonymous]");
    click(&root, "[part~=ask]");
    wait_for("the asked event", || !events.names().is_empty()).await;
    restore_fetch();
    assert_eq!(events.names(), ["km-question-asked"]);
    let posts: Vec<(String, String)> = fetched()
        .into_iter()
        .zip(idempotency_keys())
        .filter(|(f, _)| f.starts_with("POST"))
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0].0, "POST http://km.test/api/v1/questions");
    assert!(!posts[0].1.is_empty(), "an Idempotency-Key");
    // The form is empty again for the next question.
    tick().await;
    assert_eq!(
        el(&root, "[part~=ask-title]")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        ""
    );
}

#[wasm_bindgen_test]
async fn a_question_refused_for_speed_keeps_the_draft_and_says_when_to_try_again() {
    // Regression (issue 10 item 7): writes are limited per person; a 429
    // must not lose what was typed, nor read as a failure.
    clear_drafts();
    let _fetch = stub_fetch(&[
        ("/questions/similar", 200, SIMILAR),
        (
            "/questions",
            429,
            r#"{"type":"https://km-widgets.dev/problems/rate-limited","title":"Too many writes","status":429,"detail":"at most 20 questions in 3600 s; try again in 120 s","retry_after":120}"#,
        ),
    ]);
    let (host, root, _h) = mount_ac(
        ask_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("mode", "ask"),
        ],
    );
    let events = EventLog::listen(&host, &["km-question-asked", "km-error"]);
    tick().await;
    let title = "Renewing the VPN certificate fails again";
    type_into(&el(&root, "[part~=ask-title]"), title);
    type_into(&el(&root, "[part~=body]"), "It says *expired*.");
    click(&root, "[part~=ask]");
    let said = "You're posting quickly; try again in 2 minutes.";
    wait_for("the calm message", || {
        root.text_content().unwrap_or_default().contains(said)
    })
    .await;
    restore_fetch();
    assert!(
        !events.names().iter().any(|e| e == "km-question-asked"),
        "not asked: {:?}",
        events.names()
    );
    let live = text_of(&root, "[part~=live]");
    assert!(
        live.contains(said) && !live.contains("Error"),
        "announced calmly: {live:?}"
    );
    // The draft is still in the form, ready for later.
    assert_eq!(
        el(&root, "[part~=ask-title]")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        title
    );
    // Nothing is queued to be sent behind the person's back.
    let posts = fetched().iter().filter(|f| f.starts_with("POST")).count();
    // Nothing to wait for: give a queued send the time it would take.
    sleep(300).await;
    assert_eq!(
        fetched().iter().filter(|f| f.starts_with("POST")).count(),
        posts
    );
}

#[wasm_bindgen_test]
async fn a_km_prefill_for_this_widget_fills_the_form_and_others_are_ignored() {
    clear_drafts();
    let _fetch = stub_fetch(&[("/questions/similar", 200, "[]")]);
    let (_host, root, _h) = mount_ac(
        ask_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "nl"),
            ("mode", "ask"),
        ],
    );
    tick().await;
    let send = |target: &str, title: &str| {
        let detail = js_sys::JSON::parse(&format!(
            r#"{{"widget":"reflection-prompt","target":"{target}","title":"{title}","body":"Uit mijn reflectie","tags":["Leren"]}}"#
        ))
        .unwrap();
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        init.set_bubbles(true);
        init.set_composed(true);
        let ev = web_sys::CustomEvent::new_with_event_init_dict("km-prefill", &init).unwrap();
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .body()
            .unwrap()
            .dispatch_event(&ev)
            .unwrap();
    };
    send("story-board", "Niet voor deze widget bedoeld");
    tick().await;
    let title = || {
        el(&root, "[part~=ask-title]")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    };
    assert_eq!(title(), "");
    send("ask-the-community", "Hoe leer ik sneller van fouten?");
    tick().await;
    restore_fetch();
    assert_eq!(title(), "Hoe leer ik sneller van fouten?");
    assert_eq!(
        el(&root, "[part~=body]")
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "Uit mijn reflectie"
    );
    assert!(text_of(&root, ".km-chip, [part~=tag]").contains("Leren"));
    assert_eq!(text_of(&root, "label[for$=title]"), "Vraag");
}

const XSS_QUESTION: &str = r#"{"id":"x1","title":"<script>alert(1)</script><svg onload=alert(2)>","tags":["<img src=x onerror=alert(3)>"],"urgency":"normal","answer_count":1,"created_at":"2026-11-22T10:00:00Z",
 "body":"[click](javascript:alert(4)) [data](data:text/html,<script>alert(5)</script>) <img src=x onerror=alert(6)> <svg><script>alert(7)</script></svg> **bold** [ok](https://example.com)",
 "answers":[{"id":"a1","body":"<iframe src=javascript:alert(8)></iframe> [x](JaVaScRiPt:alert(9))","author":{"id":"u2","name":"<b onmouseover=alert(10)>Bob</b>"},"created_at":"2026-11-22T11:00:00Z"}],
 "viewer":{}}"#;

#[wasm_bindgen_test]
async fn script_tags_event_handlers_and_unsafe_links_render_inert() {
    let page = format!(r#"{{"items":[{}]}}"#, XSS_QUESTION);
    let _fetch = stub_fetch(&[
        ("/questions/x1", 200, XSS_QUESTION),
        ("/questions", 200, &page),
    ]);
    let (_host, root, _h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    click(&root, ".ac-open");
    wait_for("the question", || !all(&root, "[part~=answer]").is_empty()).await;
    restore_fetch();
    for tag in ["script", "svg", "img", "iframe", "b[onmouseover]"] {
        assert!(all(&root, tag).is_empty(), "a live <{tag}> element");
    }
    for a in all(&root, "a") {
        let href = a.get_attribute("href").unwrap_or_default().to_lowercase();
        assert!(href.starts_with("https://"), "unsafe link {href}");
    }
    assert_eq!(all(&root, "a").len(), 1, "only the https link is a link");
    let every = all(&root, "*");
    for e in &every {
        let names = e.get_attribute_names();
        for n in names.iter() {
            let n = n.as_string().unwrap_or_default();
            assert!(!n.starts_with("on"), "event handler attribute {n}");
        }
    }
    // The text is shown as typed.
    assert!(text_of(&root, "h3").contains("<script>alert(1)</script>"));
    assert!(text_of(&root, "[part~=tag]").contains("<img src=x onerror=alert(3)>"));
    assert!(
        text_of(&root, "[part~=answer] [part~=author]")
            .contains("<b onmouseover=alert(10)>Bob</b>")
    );
    assert_eq!(text_of(&root, ".km-md strong"), "bold");
}

const OPEN: &str = r#"{"id":"q1","title":"How do we rotate the signing keys?","tags":["Security"],"urgency":"normal","answer_count":2,"votes":1,"created_at":"2026-11-20T10:00:00Z","body":"We use **Vault**.",
 "answers":[{"id":"a1","body":"First answer","author":{"id":"u2","name":"Bob"},"votes":0,"created_at":"2026-11-20T11:00:00Z"},
            {"id":"a2","body":"Use the rotation job","author":{"id":"u3","name":"Carol"},"votes":2,"created_at":"2026-11-20T12:00:00Z"}],
 "viewer":{"mine":true,"can_accept":true,"following":true}}"#;

const ACCEPTED: &str = r#"{"id":"q1","title":"How do we rotate the signing keys?","tags":["Security"],"urgency":"normal","answer_count":2,"votes":1,"solved":true,"created_at":"2026-11-20T10:00:00Z","body":"We use **Vault**.",
 "answers":[{"id":"a2","body":"Use the rotation job","author":{"id":"u3","name":"Carol"},"votes":2,"accepted":true,"created_at":"2026-11-20T12:00:00Z"},
            {"id":"a1","body":"First answer","author":{"id":"u2","name":"Bob"},"votes":0,"created_at":"2026-11-20T11:00:00Z"}],
 "viewer":{"mine":true,"can_accept":true,"following":true}}"#;

const PEOPLE: &str = r#"[{"person":{"id":"u7","name":"Dana Dekker","department":"IT"},"teaches":["Security"],"loves":[],"invited":false}]"#;

#[wasm_bindgen_test]
async fn accepting_pins_the_answer_first_and_tells_the_page() {
    let _fetch = stub_fetch(&[
        ("/questions/q1/accepted", 200, ACCEPTED),
        ("/questions/q1/people", 200, PEOPLE),
        ("/questions/q1/invites", 200, "null"),
        ("/questions/q1", 200, OPEN),
        ("/questions", 200, PAGE),
    ]);
    let (host, root, _h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    let events = EventLog::listen(&host, &["km-answer-accepted", "km-error"]);
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    click(&root, ".ac-open");
    wait_for("the answers", || all(&root, "[part~=answer]").len() == 2).await;
    assert_eq!(text_of(&root, ".ac-question .km-md"), "We use Vault.");
    assert_eq!(
        el(&root, "[part~=follow]")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    // The asker does not vote on their own question; Bob's answer can be.
    assert!(all(&root, ".ac-question > .ac-actions [part~=vote]").is_empty());
    assert_eq!(all(&root, "[part~=answer] [part~=vote]").len(), 2);
    assert_eq!(
        text_of(&root, ".ac-question [part~=follow]"),
        "Following",
        "pressed, Follow says so"
    );
    // The asker sees colleagues to invite.
    wait_for("people", || !all(&root, "[part~=person]").is_empty()).await;
    assert!(text_of(&root, "[part~=person]").contains("Dana Dekker"));
    assert!(text_of(&root, "[part~=person]").contains("can teach Security"));
    click(&root, "[part~=invite]");
    wait_for("invited", || {
        text_of(&root, "[part~=person]").contains("Invited")
    })
    .await;
    // Accept the second answer: it moves first with a badge.
    let accept = all(&root, "[part~=accept]");
    accept[1].clone().unchecked_into::<HtmlElement>().click();
    wait_for("accepted", || !all(&root, "[part~=accepted]").is_empty()).await;
    restore_fetch();
    let first = &all(&root, "[part~=answer]")[0];
    assert_eq!(first.get_attribute("data-id").as_deref(), Some("a2"));
    assert!(text(first).contains("Accepted answer"));
    assert_eq!(events.names(), ["km-answer-accepted"]);
    assert!(
        fetched()
            .iter()
            .any(|f| f == "PUT http://km.test/api/v1/questions/q1/accepted")
    );
    assert!(
        fetched()
            .iter()
            .any(|f| f == "POST http://km.test/api/v1/questions/q1/invites")
    );
}

#[wasm_bindgen_test]
async fn the_unanswered_mode_is_a_compact_list_without_a_toolbar() {
    let _fetch = stub_fetch(&[("/questions", 200, PAGE)]);
    let (_host, root, _h) = mount_ac(
        widget_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("mode", "unanswered"),
            ("tag", "Security"),
        ],
    );
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    restore_fetch();
    assert_eq!(
        fetched(),
        ["GET http://km.test/api/v1/questions?limit=5&sort=unanswered&tag=Security"]
    );
    assert!(all(&root, "[part~=toolbar]").is_empty());
    assert!(all(&root, "form").is_empty());
}

#[wasm_bindgen_test]
async fn the_list_choice_and_search_change_the_request() {
    let _fetch = stub_fetch(&[("/questions", 200, PAGE)]);
    let (_host, root, _h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    let select = el(&root, "[part~=show]").unchecked_into::<web_sys::HtmlSelectElement>();
    select.set_value("urgent");
    km_widgets_core::testing::fire(&select, "change");
    wait_for("urgent list", || fetched().len() == 2).await;
    type_into(&el(&root, "[part~=search]"), "signing keys");
    click(&root, "button[part~=search]");
    wait_for("search", || fetched().len() == 3).await;
    restore_fetch();
    assert_eq!(
        fetched()[1..],
        [
            "GET http://km.test/api/v1/questions?limit=10&sort=urgent",
            "GET http://km.test/api/v1/questions?limit=10&sort=urgent&q=signing%20keys",
        ]
    );
}

const MINE: &str = r#"{"id":"q1","title":"How do we rotate the signing keys?","tags":[],"urgency":"normal","answer_count":2,"created_at":"2026-11-20T10:00:00Z","body":"",
 "answers":[{"id":"a1","body":"Old text","author":{"id":"u2","name":"Bob"},"mine":true,"created_at":"2026-11-20T11:00:00Z"},
            {"id":"a2","body":"Spam","author":{"id":"u3","name":"Carol"},"created_at":"2026-11-20T12:00:00Z"}],
 "viewer":{"can_moderate":true}}"#;

const EDITED: &str = r#"{"id":"q1","title":"How do we rotate the signing keys?","tags":[],"urgency":"normal","answer_count":1,"created_at":"2026-11-20T10:00:00Z","body":"",
 "answers":[{"id":"a1","body":"New text","author":{"id":"u2","name":"Bob"},"mine":true,"edited_at":"2026-11-20T13:00:00Z","created_at":"2026-11-20T11:00:00Z"}],
 "viewer":{"can_moderate":true}}"#;

const HIDDEN: &str = r#"{"id":"q1","title":"How do we rotate the signing keys?","tags":[],"urgency":"normal","answer_count":1,"created_at":"2026-11-20T10:00:00Z","body":"",
 "answers":[{"id":"a1","body":"Old text","author":{"id":"u2","name":"Bob"},"mine":true,"created_at":"2026-11-20T11:00:00Z"}],
 "viewer":{"can_moderate":true}}"#;

#[wasm_bindgen_test]
async fn authors_edit_their_answers_and_moderators_hide_others() {
    clear_drafts();
    let _fetch = stub_fetch(&[
        ("/answers/a2/hidden", 200, HIDDEN),
        ("/answers/a1", 200, EDITED),
        ("/questions/q1", 200, MINE),
        ("/questions", 200, PAGE),
    ]);
    let (_host, root, _h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    click(&root, ".ac-open");
    wait_for("the answers", || all(&root, "li[part~=answer]").len() == 2).await;
    // Only my answer has Edit; the moderator may hide both.
    assert_eq!(all(&root, "[part~=edit]").len(), 1);
    assert_eq!(all(&root, "[part~=hide]").len(), 2);
    all(&root, "[part~=hide]")[1]
        .clone()
        .unchecked_into::<HtmlElement>()
        .click();
    wait_for("hidden", || all(&root, "li[part~=answer]").len() == 1).await;
    click(&root, "[part~=edit]");
    tick().await;
    let field = el(&root, "[part~=edit]");
    assert_eq!(
        field
            .unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .value(),
        "Old text"
    );
    type_into(&field, "New text");
    click(&root, "[part~=save-edit]");
    wait_for("edited", || {
        text_of(&root, "li[part~=answer]").contains("New text")
    })
    .await;
    assert!(text_of(&root, "li[part~=answer]").contains("edited"));
    restore_fetch();
    assert!(
        fetched()
            .iter()
            .any(|f| f == "PUT http://km.test/api/v1/answers/a1")
    );
    assert!(
        fetched()
            .iter()
            .any(|f| f == "PUT http://km.test/api/v1/answers/a2/hidden")
    );
}

/// A question as the server sends it: `extra` is spliced into the object
/// (`"viewer"`, `"hidden"`, `"duplicate_of"`, …).
fn q1(title: &str, tags: &str, extra: &str) -> String {
    format!(
        r#"{{"id":"q1","title":"{title}","tags":{tags},"urgency":"normal","answer_count":0,"created_at":"2026-11-20T10:00:00Z","body":"We rotate yearly.","answers":[],{extra}}}"#
    )
}

const MODERATOR: &str = r#""viewer":{"can_moderate":true,"can_accept":true}"#;

const CANDIDATES: &str = r#"[{"id":"q1","title":"How do we rotate the signing keys?","tags":[],"urgency":"normal","answer_count":0,"created_at":"2026-11-20T10:00:00Z"},
 {"id":"q7","title":"Rotating signing keys in Vault","tags":[],"urgency":"normal","answer_count":3,"solved":true,"created_at":"2026-10-01T10:00:00Z"}]"#;

const LOG: &str = r#"[{"action":"asked","actor":{"id":"u1","name":"Mia de Vries"},"at":"2026-11-20T10:00:00Z"},
 {"action":"duplicate","actor":{"id":"m1","name":"Moe Moderator"},"at":"2026-11-21T10:00:00Z"}]"#;

/// The whole widget in `lang`, with the first listed question open.
async fn open_first(lang: &str) -> (ShadowRoot, MountHandle) {
    let (_host, root, h) = mount_ac(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", lang)],
    );
    wait_for("the list", || !all(&root, "[part~=card]").is_empty()).await;
    click(&root, ".ac-open");
    (root, h)
}

/// Waits until `selector` shows text, and returns it.
async fn shown(root: &ShadowRoot, selector: &str) -> String {
    wait_for(selector, || !text_of(root, selector).is_empty()).await;
    text_of(root, selector)
}

fn focused_id(root: &ShadowRoot) -> String {
    root.active_element().map(|a| a.id()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn moderators_close_as_duplicate_hide_retag_and_read_the_change_log() {
    let closed = q1(
        "How do we rotate the signing keys?",
        r#"["Security"]"#,
        &format!(r#""duplicate_of":"q7",{MODERATOR}"#),
    );
    let hidden = q1(
        "How do we rotate the signing keys?",
        r#"["Security"]"#,
        &format!(r#""duplicate_of":"q7","hidden":true,{MODERATOR}"#),
    );
    let retagged = q1(
        "How do we rotate the signing keys?",
        r#"["Security","Vault"]"#,
        &format!(r#""duplicate_of":"q7","hidden":true,{MODERATOR}"#),
    );
    let open = q1(
        "How do we rotate the signing keys?",
        r#"["Security"]"#,
        MODERATOR,
    );
    let _fetch = stub_fetch(&[
        ("/questions/similar", 200, CANDIDATES),
        ("/questions/q1/duplicate", 200, &closed),
        ("/questions/q1/hidden", 200, &hidden),
        ("/questions/q1/tags", 200, &retagged),
        ("/questions/q1/changes", 200, LOG),
        ("/questions/q1", 200, &open),
        ("/questions", 200, PAGE),
    ]);
    let (root, _h) = open_first("en").await;
    wait_for("the change log", || all(&root, "[part~=change]").len() == 2).await;
    let log: Vec<String> = all(&root, "[part~=change]").iter().map(text).collect();
    assert!(
        log[0].starts_with("Mia de Vries asked the question"),
        "{log:?}"
    );
    assert!(
        log[1].starts_with("Moe Moderator closed it as a duplicate"),
        "{log:?}"
    );
    assert!(
        !text(&all(&root, "[part~=change] time")[0]).is_empty(),
        "a relative time"
    );
    assert!(
        all(&root, "[part~=edit-question]").is_empty(),
        "not the author"
    );

    // Close as duplicate: the search starts from the title; the question itself is no candidate.
    click(&root, "[part~=close-duplicate]");
    wait_for("candidates", || !all(&root, "[part~=candidate]").is_empty()).await;
    let candidates = all(&root, "[part~=candidate]");
    assert_eq!(candidates.len(), 1);
    assert_eq!(
        candidates[0].get_attribute("data-id").as_deref(),
        Some("q7")
    );
    let search = el(&root, "[part~=duplicate-search]").id();
    wait_for("focus in the search", || focused_id(&root) == search).await;
    click(&root, "[part~=pick]");
    let note = shown(&root, "[part~=status][part~=duplicate]").await;
    assert!(note.contains("Closed as a duplicate."), "{note}");
    assert!(note.contains("Open the original question"), "{note}");
    assert_eq!(text_of(&root, "[part~=close-duplicate]"), "Reopen");
    assert!(
        all(&root, "[part~=duplicate-form]").is_empty(),
        "the picker closed"
    );
    assert!(
        all(&root, "[part~=answer-form]").is_empty(),
        "closed: no new answers"
    );

    // Hide: the note says so and the button shows it again.
    click(&root, "[part~=hide-question]");
    assert_eq!(
        shown(&root, "[part~=status][part~=hidden]").await,
        "Hidden: only moderators see this question."
    );
    assert_eq!(text_of(&root, "[part~=hide-question]"), "Show question");
    assert_eq!(
        text_of(&root, "[part~=live]"),
        "Hidden: only moderators see this question."
    );

    // Retag with the core tag picker.
    click(&root, "[part~=retag]");
    tick().await;
    let input = el(&root, "[part~=retag-form] [part~=tag-picker] input");
    wait_for("focus in the tag picker", || {
        focused_id(&root) == input.id()
    })
    .await;
    type_into(&input, "Vault,");
    tick().await;
    click(&root, "[part~=retag-form] [part~=save-edit]");
    wait_for("new tags", || {
        all(&root, ".ac-question [part~=tag]").len() == 2
    })
    .await;
    let tags: Vec<String> = all(&root, ".ac-question [part~=tag]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(tags, ["Security", "Vault"]);
    wait_for("focus back on Retag", || {
        focused_id(&root) == el(&root, "[part~=retag]").id()
    })
    .await;
    restore_fetch();
    for call in [
        "PUT http://km.test/api/v1/questions/q1/duplicate",
        "PUT http://km.test/api/v1/questions/q1/hidden",
        "PUT http://km.test/api/v1/questions/q1/tags",
        "GET http://km.test/api/v1/questions/q1/changes",
    ] {
        assert!(
            fetched().iter().any(|f| f == call),
            "{call}: {:?}",
            fetched()
        );
    }
}

#[wasm_bindgen_test]
async fn the_author_edits_the_question_with_field_errors_next_to_the_title() {
    clear_drafts();
    let mine = q1(
        "How do we rotate the signing keys?",
        r#"["Security"]"#,
        r#""viewer":{"mine":true,"can_accept":true}"#,
    );
    let _fetch = stub_fetch(&[
        ("/questions/q1/people", 200, "[]"),
        ("/questions/q1", 200, &mine),
        ("/questions", 200, PAGE),
    ]);
    let (root, _h) = open_first("nl").await;
    wait_for("the tools", || {
        !all(&root, "[part~=edit-question]").is_empty()
    })
    .await;
    // The asker edits and retags; moderation and the log are not theirs.
    assert_eq!(text_of(&root, "[part~=edit-question]"), "Vraag bewerken");
    assert_eq!(text_of(&root, "[part~=retag]"), "Tags wijzigen");
    assert!(all(&root, "[part~=hide-question]").is_empty());
    assert!(all(&root, "[part~=close-duplicate]").is_empty());
    assert!(all(&root, "[part~=changes]").is_empty());
    click(&root, "[part~=edit-question]");
    tick().await;
    let title = el(&root, "[part~=edit-form] [part~=ask-title]");
    assert_eq!(
        title.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "How do we rotate the signing keys?"
    );
    wait_for("focus on the title", || focused_id(&root) == title.id()).await;
    assert_eq!(
        text_of(&root, "[part~=edit-form] [part~=chip]")
            .trim_end_matches('×')
            .trim(),
        "Security"
    );
    // The server refuses the title: the message shows next to it.
    let _fetch = stub_fetch(&[(
        "/questions/q1",
        422,
        r#"{"type":"https://km-widgets.dev/problems/validation","title":"Invalid","status":422,
            "errors":[{"field":"title","code":"too_short","message":"too short","limit":10}]}"#,
    )]);
    // Long enough locally: what shows is the server's own refusal.
    type_into(&title, "Sleutels roteren, hoe?");
    click(&root, "[part~=edit-form] [part~=save-edit]");
    let err = shown(&root, "[part~=edit-form] [part~=field-error]").await;
    assert!(err.contains("10"), "{err}");
    assert_eq!(title.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(
        title
            .get_attribute("aria-describedby")
            .is_some_and(|d| d.contains(&el(&root, "[part~=edit-form] [part~=field-error]").id())),
        "the error describes the field"
    );
    // Accepted: the new title shows, the form closes, focus returns to Edit.
    let edited = q1(
        "Sleutels roteren, hoe?",
        r#"["Security"]"#,
        r#""edited_at":"2026-11-22T10:00:00Z","viewer":{"mine":true,"can_accept":true}"#,
    );
    let _fetch = stub_fetch(&[
        ("/questions/q1/people", 200, "[]"),
        ("/questions/q1", 200, &edited),
    ]);
    click(&root, "[part~=edit-form] [part~=save-edit]");
    wait_for("the new title", || {
        text_of(&root, ".ac-question [part~=item-title]") == "Sleutels roteren, hoe?"
    })
    .await;
    assert!(all(&root, "[part~=edit-form]").is_empty());
    assert_eq!(text_of(&root, "[part~=live]"), "Je vraag is opgeslagen.");
    wait_for("focus back on Edit", || {
        focused_id(&root) == el(&root, "[part~=edit-question]").id()
    })
    .await;
    restore_fetch();
    assert_eq!(
        fetched()
            .iter()
            .filter(|f| *f == "PUT http://km.test/api/v1/questions/q1")
            .count(),
        1
    );
}

#[wasm_bindgen_test]
async fn readers_who_neither_asked_nor_moderate_see_no_tools() {
    let theirs = q1(
        "How do we rotate the signing keys?",
        r#"["Security"]"#,
        r#""viewer":{"following":false}"#,
    );
    let _fetch = stub_fetch(&[("/questions/q1", 200, &theirs), ("/questions", 200, PAGE)]);
    let (root, _h) = open_first("en").await;
    wait_for("the question", || {
        !all(&root, "[part~=answer-form]").is_empty()
    })
    .await;
    tick().await;
    restore_fetch();
    for part in [
        "moderation",
        "edit-question",
        "retag",
        "hide-question",
        "close-duplicate",
        "changes",
    ] {
        assert!(all(&root, &format!("[part~={part}]")).is_empty(), "{part}");
    }
    assert!(!fetched().iter().any(|f| f.contains("/changes")));
}

#[wasm_bindgen_test]
async fn an_edit_left_open_comes_back_as_a_draft_and_keeps_the_urgency() {
    // Urgency is no draft: a restored edit once would have saved an urgent
    // question as normal.
    clear_drafts();
    let key =
        km_widgets_core::drafts::draft_key("ask-the-community", "default", None, "edit-q1-title");
    km_widgets_core::storage::set(&key, "\"Sleutels roteren vóór vrijdag?\"");
    let urgent = q1(
        "How do we rotate the signing keys?",
        "[]",
        r#""urgency":"urgent","need_by":"2026-11-27","viewer":{"mine":true}"#,
    )
    .replacen(r#""urgency":"normal","#, "", 1);
    let _fetch = stub_fetch(&[
        ("/questions/q1/people", 200, "[]"),
        ("/questions/q1", 200, &urgent),
        ("/questions", 200, PAGE),
    ]);
    let (root, _h) = open_first("en").await;
    wait_for("the editor", || !all(&root, "[part~=edit-form]").is_empty()).await;
    restore_fetch();
    let title = el(&root, "[part~=edit-form] [part~=ask-title]");
    assert_eq!(
        title.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "Sleutels roteren vóór vrijdag?"
    );
    let need_by = el(&root, "[part~=edit-form] [part~=need-by]");
    assert_eq!(
        need_by.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "2026-11-27"
    );
    clear_drafts();
}
