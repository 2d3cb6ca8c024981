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
    EventLog, all, fetched, mount, restore_fetch, stub_fetch, text, text_of, tick, wait_for,
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
    }
}

fn list_view() -> AnyView {
    let mut urgent = question("q1", "Who can review our DPIA before Friday?", 3);
    urgent.urgency = Urgency::Urgent;
    urgent.need_by = Some("2026-11-24".into());
    urgent.anonymous = true;
    urgent.author = None;
    let mut solved = question("q2", "Where is the onboarding checklist?", 1);
    solved.solved = true;
    view! { <QuestionList questions=vec![urgent, solved]/> }.into_any()
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
        urgent.contains("Urgent · needed by Nov 24, 2026"),
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
    stub_fetch(&[("/questions", 200, PAGE)]);
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
async fn a_server_error_shows_a_retry_that_loads_the_list() {
    stub_fetch(&[(
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
    stub_fetch(&[("/questions", 200, PAGE)]);
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
