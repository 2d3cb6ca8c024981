//! Browser tests of the reflection prompt, in headless Chromium: the views
//! mounted with given data, and the whole widget against a canned `fetch`
//! (no server): saving, validation, the outbox when offline, signed out.
//! Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-reflection-prompt --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_protocol::reflections::{Activity, Cadence, Prompt, Stage, TodayPrompt};
use km_protocol::validate::codes;
use km_protocol::{FieldError, Problem};
use km_reflection_prompt::view::{EditorState, PromptCard, ReflectionEditor};
use km_widgets_core::testing::{
    EventLog, all, fetched, fire, idempotency_keys, mount, restore_fetch, stub_fetch, text,
    text_of, tick, type_into, wait_for, wait_for_ms,
};
use km_widgets_core::{ApiError, MountHandle};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const DRAFT_KEY: &str = "km:draft:v1:reflection-prompt:default:-:body";
const OUTBOX_KEY: &str = "km:outbox:v1";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn clean_storage() {
    storage().remove_item(DRAFT_KEY).unwrap();
    storage().remove_item(OUTBOX_KEY).unwrap();
}

fn mount_rp(
    view: fn() -> AnyView,
    pairs: &[(&str, &str)],
) -> (HtmlElement, ShadowRoot, MountHandle) {
    mount(
        "reflection-prompt",
        km_reflection_prompt::style::CSS,
        view,
        pairs,
    )
}

fn one(root: &ShadowRoot, sel: &str) -> Element {
    all(root, sel)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {sel}"))
}

fn editor_with_server_error() -> AnyView {
    let state = EditorState::new(RwSignal::new("Far too long…".to_owned()));
    state
        .errors
        .set_from_api(&ApiError::Problem(Problem::validation(vec![
            FieldError::new(
                "body",
                codes::TOO_LONG,
                "body can have at most 5000 characters",
            )
            .with_limit(5000),
        ])));
    view! { <ReflectionEditor state=state on_save=Callback::new(|_| {})/> }.into_any()
}

#[wasm_bindgen_test]
async fn a_server_field_error_shows_next_to_the_textarea() {
    let (_el, root, h) = mount_rp(editor_with_server_error, &[("lang", "en")]);
    tick().await;
    let ta = one(&root, "textarea");
    assert_eq!(ta.get_attribute("aria-invalid").as_deref(), Some("true"));
    let label = one(&root, &format!("label[for='{}']", ta.id()));
    assert_eq!(text(&label).trim(), "Your reflection");
    // The message is the element right after the field, and describes it.
    let msg = ta
        .next_element_sibling()
        .expect("a message after the field");
    assert_eq!(text(&msg), "Use at most 5000 characters.");
    let described = ta.get_attribute("aria-describedby").unwrap_or_default();
    assert!(described.split(' ').any(|id| id == msg.id()), "{described}");
    // The other fields have no error and are labelled too.
    let select = one(&root, "select");
    assert_eq!(select.get_attribute("aria-invalid"), None);
    assert_eq!(
        text(&one(&root, &format!("label[for='{}']", select.id()))).trim(),
        "Energy (optional)"
    );
    assert_eq!(all(&root, "select option").len(), 6);
    let radios = all(&root, "input[type=radio]");
    assert_eq!(radios.len(), 3);
    let checked: Vec<bool> = radios
        .iter()
        .map(|r| r.unchecked_ref::<web_sys::HtmlInputElement>().checked())
        .collect();
    assert_eq!(checked, [true, false, false], "private is the default");
    assert_eq!(text_of(&root, "legend"), "Who can read this?");

    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    assert_eq!(text(&msg), "Gebruik hoogstens 5000 tekens.");
    assert_eq!(text(&label).trim(), "Jouw reflectie");
    assert_eq!(text_of(&root, "[part~=save]").trim(), "Reflectie opslaan");
}

fn prompt_card() -> AnyView {
    let today = TodayPrompt {
        prompt: Prompt {
            id: "share-02".into(),
            text: "Wat heb je deze week gedeeld?".into(),
            stage: Stage::Share,
            activity: Activity::Conversation,
        },
        period: "2026-W47".into(),
        cadence: Cadence::Weekly,
        done: true,
        set: "default".into(),
        time_zone: "Europe/Amsterdam".into(),
        weekday: None,
    };
    view! { <PromptCard today=today/> }.into_any()
}

#[wasm_bindgen_test]
async fn the_prompt_shows_its_stage_in_words() {
    let (_el, root, h) = mount_rp(prompt_card, &[("lang", "nl")]);
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=prompt-text]"),
        "Wat heb je deze week gedeeld?"
    );
    assert_eq!(text_of(&root, "[part~=stage]"), "Fase: Delen");
    assert!(text_of(&root, "[part~=done]").contains("deze week al"));
    h.set_attribute("lang", Some("en".into()));
    tick().await;
    assert_eq!(text_of(&root, "[part~=stage]"), "Stage: Share");
}

const TODAY: &str = r#"{"prompt":{"id":"seek-01","text":"What did you learn this week that surprised you?","stage":"seek","activity":"experience"},"period":"2026-W47","cadence":"weekly","done":false}"#;
const SAVED: &str = r#"{"id":"r1","prompt_id":"seek-01","body":"I learned to ask **earlier**.","energy":4,"visibility":"shared","created_at":"2026-11-22T10:00:00Z"}"#;

fn widget() -> AnyView {
    km_reflection_prompt::mount_view()
}

fn click(root: &ShadowRoot, sel: &str) {
    one(root, sel).unchecked_into::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn saving_validates_then_posts_clears_the_draft_and_shows_the_reflection() {
    clean_storage();
    let _fetch = stub_fetch(&[("/prompts/today", 200, TODAY), ("/reflections", 201, SAVED)]);
    let (el, root, h) = mount_rp(
        widget,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("prompt-set", "onboarding"),
        ],
    );
    let events = EventLog::listen(&el, &["km-ready", "km-error", "km-reflection-saved"]);
    wait_for("the form", || !all(&root, "textarea").is_empty()).await;
    let asked = fetched();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0].starts_with("GET http://km.test/api/v1/prompts/today?lang=en&set=onboarding&tz="),
        "{asked:?}: the browser's time zone goes along"
    );
    assert_eq!(
        text_of(&root, "[part~=prompt-text]"),
        "What did you learn this week that surprised you?"
    );
    assert_eq!(text_of(&root, "[part~=stage]"), "Stage: Seek");

    // Empty: the local check answers, nothing is sent, focus goes to the field.
    click(&root, "[part~=save]");
    tick().await;
    let ta = one(&root, "textarea");
    assert_eq!(ta.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        text(&ta.next_element_sibling().unwrap()),
        "This field is required."
    );
    assert_eq!(root.active_element().map(|a| a.id()), Some(ta.id()));
    assert_eq!(fetched().len(), 1, "no POST for an invalid form");

    type_into(&ta, "I learned to ask **earlier**.");
    tick().await;
    assert_eq!(
        ta.get_attribute("aria-invalid"),
        None,
        "error cleared while editing"
    );
    assert_eq!(
        storage().get_item(DRAFT_KEY).unwrap().as_deref(),
        Some("\"I learned to ask **earlier**.\""),
        "the draft is saved while typing"
    );
    // A live language change fetches the prompt in Dutch and keeps the text.
    h.set_attribute("lang", Some("nl".into()));
    wait_for("the Dutch label", || {
        text_of(&root, "label").trim() == "Jouw reflectie"
    })
    .await;
    assert!(
        fetched()
            .last()
            .is_some_and(|f| f
                .starts_with("GET http://km.test/api/v1/prompts/today?lang=nl&set=onboarding&tz=")),
        "{:?}",
        fetched()
    );
    assert_eq!(
        one(&root, "textarea")
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "I learned to ask **earlier**."
    );
    h.set_attribute("lang", Some("en".into()));
    wait_for("the English label", || {
        text_of(&root, "label").trim() == "Your reflection"
    })
    .await;
    click(&root, "input[value=shared]");
    click(&root, "[part~=save]");
    wait_for("the saved reflection", || {
        !all(&root, "[part~=saved]").is_empty()
    })
    .await;
    restore_fetch();
    let posts: Vec<usize> = fetched()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.starts_with("POST"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(posts.len(), 1, "{:?}", fetched());
    assert_eq!(
        fetched()[posts[0]],
        "POST http://km.test/api/v1/reflections"
    );
    assert!(
        !idempotency_keys()[posts[0]].is_empty(),
        "an Idempotency-Key"
    );
    let saved = text_of(&root, "[part~=saved]");
    assert!(saved.contains("I learned to ask earlier."), "{saved}");
    assert!(
        saved.contains("Colleagues, with my name · Energy 4 of 5"),
        "{saved}"
    );
    assert_eq!(text_of(&root, "[part~=saved] strong"), "earlier");
    assert_eq!(
        one(&root, "textarea")
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        ""
    );
    assert_eq!(
        storage().get_item(DRAFT_KEY).unwrap(),
        None,
        "draft cleared"
    );
    assert_eq!(text_of(&root, "[aria-live=polite]"), "Saved");
    assert_eq!(events.names(), ["km-ready", "km-reflection-saved"]);
    let detail = events.seen.borrow()[1].1.clone();
    let r = js_sys_get(&detail, "reflection");
    assert_eq!(js_sys_get(&r, "id").as_string().as_deref(), Some("r1"));
}

fn js_sys_get(v: &wasm_bindgen::JsValue, k: &str) -> wasm_bindgen::JsValue {
    web_sys::js_sys::Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
async fn offline_saves_wait_in_the_outbox_and_go_out_when_back_online() {
    clean_storage();
    // No route for /reflections: the POST fails like a dropped network.
    let _fetch = stub_fetch(&[("/prompts/today", 200, TODAY)]);
    let (el, root, _h) = mount_rp(widget, &[("api", "http://km.test/api/v1"), ("lang", "nl")]);
    let events = EventLog::listen(&el, &["km-reflection-saved", "km-error"]);
    wait_for("the form", || !all(&root, "textarea").is_empty()).await;
    type_into(&one(&root, "textarea"), "Offline gedachte");
    tick().await;
    click(&root, "[part~=save]");
    wait_for_ms("the pending state", 8_000, || {
        !all(&root, "[part~=pending]").is_empty()
    })
    .await;
    assert_eq!(
        text_of(&root, "[part~=pending]"),
        "1 item wacht op verzending"
    );
    assert!(text_of(&root, "[aria-live=polite]").starts_with("Je bent offline"));
    assert_eq!(
        one(&root, "textarea")
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "",
        "the outbox holds the text now"
    );
    assert!(
        storage()
            .get_item(OUTBOX_KEY)
            .unwrap()
            .unwrap_or_default()
            .contains("Offline gedachte"),
        "kept in the outbox"
    );
    // The POSTs' keys (other requests, such as a sign-in check, carry none).
    let keys: Vec<String> = km_widgets_core::testing::fetched()
        .iter()
        .zip(idempotency_keys())
        .filter(|(req, _)| req.starts_with("POST "))
        .map(|(_, k)| k)
        .collect();
    assert!(
        keys.len() >= 2 && keys.iter().all(|k| k == &keys[0] && !k.is_empty()),
        "retries reuse one key: {keys:?}"
    );
    assert!(
        keys.len() >= 2 && keys[1..].iter().all(|k| k == &keys[1] && !k.is_empty()),
        "retries reuse one key: {keys:?} {:?}",
        km_widgets_core::testing::fetched()
    );

    // Back online: the waiting reflection goes out at once.
    let _fetch = stub_fetch(&[("/prompts/today", 200, TODAY), ("/reflections", 201, SAVED)]);
    fire(&web_sys::window().unwrap(), "online");
    wait_for("delivery", || !all(&root, "[part~=saved]").is_empty()).await;
    restore_fetch();
    assert!(all(&root, "[part~=pending]").is_empty());
    assert_eq!(storage().get_item(OUTBOX_KEY).unwrap(), None);
    assert_eq!(text_of(&root, "[aria-live=polite]"), "Opgeslagen");
    assert_eq!(events.names(), ["km-reflection-saved"]);
}

#[wasm_bindgen_test]
async fn signed_out_readers_see_a_note_instead_of_the_form() {
    clean_storage();
    let _fetch = stub_fetch(&[(
        "/prompts/today",
        401,
        r#"{"title":"Unauthorized","status":401}"#,
    )]);
    let (el, root, _h) = mount_rp(widget, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    let events = EventLog::listen(&el, &["km-ready", "km-error"]);
    wait_for("the note", || !all(&root, "[part~=note]").is_empty()).await;
    restore_fetch();
    assert_eq!(text_of(&root, "[part~=note] > p"), "Sign in to reflect.");
    assert!(all(&root, "textarea").is_empty());
    assert_eq!(events.names(), ["km-ready"]);
}

#[wasm_bindgen_test]
async fn a_server_validation_problem_lands_under_its_field_and_keeps_the_draft() {
    clean_storage();
    let _fetch = stub_fetch(&[
        ("/prompts/today", 200, TODAY),
        (
            "/reflections",
            422,
            r#"{"type":"https://km-widgets.dev/problems/validation","title":"The request has invalid fields","status":422,"errors":[{"field":"body","code":"too_long","message":"body can have at most 5000 characters","limit":5000}]}"#,
        ),
    ]);
    let (el, root, _h) = mount_rp(widget, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    let events = EventLog::listen(&el, &["km-reflection-saved"]);
    wait_for("the form", || !all(&root, "textarea").is_empty()).await;
    let ta = one(&root, "textarea");
    type_into(&ta, "A thought the server finds too long");
    tick().await;
    click(&root, "[part~=save]");
    wait_for("the field error", || {
        text(&ta.next_element_sibling().unwrap()) == "Use at most 5000 characters."
    })
    .await;
    restore_fetch();
    assert_eq!(ta.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        ta.unchecked_ref::<web_sys::HtmlTextAreaElement>().value(),
        "A thought the server finds too long"
    );
    assert!(
        storage().get_item(DRAFT_KEY).unwrap().is_some(),
        "the draft stays"
    );
    assert_eq!(storage().get_item(OUTBOX_KEY).unwrap(), None, "not queued");
    assert_eq!(
        text_of(&root, "[aria-live=polite]"),
        "Some fields need attention."
    );
    assert!(all(&root, "[part~=saved]").is_empty());
    assert!(events.names().is_empty());
    clean_storage();
}

const FEED: &str = r#"{"items":[
 {"id":"f1","body":"Named share.","visibility":"shared","author":{"id":"u-bram","name":"Bram Jansen"},"created_at":"2026-11-22T10:00:00Z","reactions":{"insightful":2,"thanks":0,"me_too":1},"tags":["Retouren"]},
 {"id":"f2","body":"Anonymous share.","visibility":"anonymous","created_at":"2026-11-21T10:00:00Z","reactions":{"insightful":0,"thanks":0,"me_too":0}}]}"#;
const REACTED: &str =
    r#"{"reactions":{"insightful":3,"thanks":0,"me_too":1},"my_reactions":["insightful"]}"#;

fn feed_cards(root: &ShadowRoot) -> Vec<Element> {
    all(root, "[part~=card]")
}

#[wasm_bindgen_test]
async fn the_feed_shows_anonymous_shares_without_a_name_and_toggles_reactions() {
    clean_storage();
    let _fetch = stub_fetch(&[
        ("/reactions/insightful", 200, REACTED),
        ("/reflections/feed", 200, FEED),
    ]);
    let (_el, root, h) = mount_rp(
        widget,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "nl"),
            ("mode", "feed"),
        ],
    );
    wait_for("the feed", || feed_cards(&root).len() == 2).await;
    let cards = feed_cards(&root);
    assert!(text(&cards[0]).contains("Bram Jansen"));
    let anon = text(&cards[1]);
    assert!(anon.contains("Anoniem") && !anon.contains("Bram"), "{anon}");
    let first = cards[0]
        .query_selector("[part~=reaction]")
        .unwrap()
        .unwrap();
    assert_eq!(
        first.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(text(&first).trim(), "Inzichtelijk 2");
    first.unchecked_ref::<HtmlElement>().click();
    wait_for("the count", || text(&first).trim() == "Inzichtelijk 3").await;
    assert_eq!(first.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(
        fetched()
            .iter()
            .any(|f| f == "PUT http://km.test/api/v1/reflections/f1/reactions/insightful")
    );
    drop(h);
}

const MINE: &str = r#"{"items":[
 {"id":"m1","body":"How do we share retour tips? We forget.","visibility":"private","created_at":"2026-11-22T10:00:00Z","tags":["Retouren"]}]}"#;
const SUMMARY: &str = r#"{"settings":{"cadence":"weekly","time_zone":"UTC","reminders":true},"current_period":"2026-W47","done":true,"total":1,"periods":[{"period":"2026-W47","count":1}]}"#;

#[wasm_bindgen_test]
async fn the_journal_summarizes_prefills_and_deletes_all_after_a_confirmation() {
    clean_storage();
    let _fetch = stub_fetch(&[
        ("/reflections/mine/summary", 200, SUMMARY),
        ("/reflections/mine", 200, MINE),
    ]);
    let (el, root, h) = mount_rp(
        widget,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("mode", "journal"),
        ],
    );
    let events = EventLog::listen(&el, &["km-prefill"]);
    wait_for("the timeline", || !feed_cards(&root).is_empty()).await;
    wait_for("the summary", || {
        text_of(&root, "[part~=summary]").contains("1 period")
    })
    .await;
    assert_eq!(
        text_of(&root, "[part~=summary]"),
        "1 reflection · 1 period with a reflection"
    );
    assert_eq!(
        text_of(&root, "[part~=period]"),
        "Week 47, 2026 (1): 1 reflection",
        "a period people can read, its count said in words to a screen reader"
    );
    assert_eq!(
        all(&root, "[part~=share]").len(),
        1,
        "a private reflection can be shared"
    );

    click(&root, "[part~=prefill]");
    tick().await;
    assert_eq!(events.names(), ["km-prefill"]);
    let detail = events.seen.borrow()[0].1.clone();
    let get = |k: &str| js_sys::Reflect::get(&detail, &JsValue::from_str(k)).unwrap();
    assert_eq!(
        get("target").as_string().as_deref(),
        Some("ask-the-community")
    );
    assert_eq!(
        get("title").as_string().as_deref(),
        Some("How do we share retour tips")
    );
    assert_eq!(
        get("widget").as_string().as_deref(),
        Some("reflection-prompt")
    );

    // Delete all asks first, with the focus on the answer; Cancel keeps everything.
    assert!(all(&root, "[part~=confirm]").is_empty());
    click(&root, "[part~=delete]");
    wait_for("the question", || !all(&root, "[part~=confirm]").is_empty()).await;
    assert!(text_of(&root, "[part~=confirm]").contains("Delete all 1 reflections?"));
    let yes = one(&root, "[part~=delete-confirm]");
    wait_for("focus on yes", || {
        root.active_element().is_some_and(|a| a == yes)
    })
    .await;
    click(&root, "[part~=cancel]");
    tick().await;
    assert!(all(&root, "[part~=confirm]").is_empty());
    assert!(!fetched().iter().any(|f| f.starts_with("DELETE")));

    let _fetch = stub_fetch(&[
        (
            "/reflections/mine/summary",
            200,
            r#"{"settings":{},"current_period":"2026-W47","done":false,"total":0,"periods":[]}"#,
        ),
        ("/reflections/mine", 200, r#"{"items":[],"deleted":1}"#),
    ]);
    click(&root, "[part~=delete]");
    wait_for("the question", || !all(&root, "[part~=confirm]").is_empty()).await;
    click(&root, "[part~=delete-confirm]");
    wait_for("empty journal", || feed_cards(&root).is_empty()).await;
    assert!(
        fetched()
            .iter()
            .any(|f| f == "DELETE http://km.test/api/v1/reflections/mine")
    );
    drop(h);
}

#[wasm_bindgen_test]
async fn another_prompt_skips_and_the_due_nudge_shows() {
    clean_storage();
    let _fetch = stub_fetch(&[
        ("/prompts/today/skip", 200, TODAY),
        ("/prompts/today", 200, TODAY),
    ]);
    let (_el, root, h) = mount_rp(widget, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    wait_for("the prompt", || !all(&root, "[part~=skip]").is_empty()).await;
    assert_eq!(
        text_of(&root, "[part~=due]"),
        "Your reflection for this week is still open."
    );
    click(&root, "[part~=skip]");
    wait_for("a new prompt", || fetched().len() == 3).await;
    let f = fetched();
    assert!(
        f[1].starts_with("POST http://km.test/api/v1/prompts/today/skip?lang=en"),
        "{f:?}"
    );
    assert!(
        f[2].starts_with("GET http://km.test/api/v1/prompts/today?lang=en"),
        "{f:?}"
    );
    drop(h);
}
