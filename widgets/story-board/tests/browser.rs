//! Browser tests of the story board, in headless Chromium: the card, the
//! impact report and the ticker mounted with given data, and the whole
//! widget against a canned `fetch` (no server): applause, moderation, the
//! submit form with its metric rows and field errors.
//! Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-story-board --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_protocol::stories::{Impact, Story};
use km_story_board::card::StoryCard;
use km_story_board::impact_view::ImpactReport;
use km_story_board::ticker::TickerView;
use km_widgets_core::MountHandle;
use km_widgets_core::testing::{
    EventLog, all, fetched, fire, idempotency_keys, mount, restore_fetch, stub_fetch, text,
    text_of, tick, type_into, wait_for,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const STORY: &str = r#"{"id":"s1","title":"Reused article halves VPN reset time","goal":{"id":"g-fcr","name":"First-contact resolution above 70%"},
"situation":"Slow.","practice":"reused_article","result":"Resets take minutes now.",
"metrics":[{"label":"Time to resolve","unit":"h","baseline":4,"current":1.5,"higher_is_better":false},
           {"label":"First-contact resolution","unit":"%","baseline":52,"current":71,"higher_is_better":true}],
"team":"Service Desk","tags":["VPN"],"contributors":["Mia Visser","Joost Bakker"],"quote":"I got my afternoon back.",
"evidence_url":"https://intranet.example/dash","author":{"id":"u-mia","name":"Mia Visser"},"status":"published",
"featured":true,"applause":3,"applauded_by_me":false,"created_at":"2026-11-20T10:00:00Z"}"#;

fn story() -> Story {
    serde_json::from_str(STORY).unwrap()
}

fn page(items: &[&str]) -> String {
    format!(r#"{{"items":[{}],"next_cursor":null}}"#, items.join(","))
}

fn mount_sb(
    view: fn() -> AnyView,
    pairs: &[(&str, &str)],
) -> (HtmlElement, ShadowRoot, MountHandle) {
    mount("story-board", km_story_board::style::CSS, view, pairs)
}

fn one(root: &ShadowRoot, sel: &str) -> Element {
    all(root, sel)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {sel}"))
}

fn click(root: &ShadowRoot, sel: &str) {
    one(root, sel).unchecked_into::<HtmlElement>().click();
}

fn clean_storage() {
    let s = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    for k in [
        "km:outbox:v1",
        "km:draft:v1:story-board:default:-:story",
        "km:draft:v1:story-board:default:-:tags",
    ] {
        s.remove_item(k).unwrap();
    }
}

/// The name `aria-labelledby` gives `el`: the referenced texts, in order.
fn accessible_name(root: &ShadowRoot, el: &Element) -> String {
    el.get_attribute("aria-labelledby")
        .unwrap_or_default()
        .split(' ')
        .map(|id| text(&one(root, &format!("[id='{id}']"))))
        .collect::<Vec<_>>()
        .join(" ")
}

fn card() -> AnyView {
    view! { <StoryCard story=story()/> }.into_any()
}

#[wasm_bindgen_test]
async fn a_card_shows_the_numbers_the_people_and_the_applause() {
    let (_el, root, h) = mount_sb(card, &[("lang", "en")]);
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=item-title]"),
        "Reused article halves VPN reset time"
    );
    assert!(text_of(&root, "[part~=featured]").contains("Featured"));
    let metrics = all(&root, "[part~=metric]");
    assert_eq!(metrics.len(), 2);
    assert!(
        text(&metrics[0]).contains("4\u{a0}h → 1.5\u{a0}h"),
        "{}",
        text(&metrics[0])
    );
    assert!(
        text(&metrics[0]).contains("62.5% better"),
        "lower is better: {}",
        text(&metrics[0])
    );
    assert!(text_of(&root, "[part~=quote]").contains("I got my afternoon back."));
    assert!(text_of(&root, ".sb-foot").contains("by Mia Visser with Mia Visser, Joost Bakker"));
    assert_eq!(
        one(&root, "[part~=evidence]")
            .get_attribute("href")
            .as_deref(),
        Some("https://intranet.example/dash")
    );
    let applause = one(&root, "[part~=applause]");
    assert_eq!(
        applause.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(
        accessible_name(&root, &applause),
        "Applaud Reused article halves VPN reset time 3"
    );
    assert!(
        all(&root, "[part~=publish], [part~=feature]").is_empty(),
        "no moderator actions outside a board"
    );
    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    assert!(
        text(&metrics[0]).contains("4\u{a0}h → 1,5\u{a0}h"),
        "{}",
        text(&metrics[0])
    );
    assert!(
        text(&metrics[0]).contains("62,5% beter"),
        "{}",
        text(&metrics[0])
    );
    assert_eq!(
        accessible_name(&root, &one(&root, "[part~=applause]")),
        "Applaus voor Reused article halves VPN reset time 3"
    );
}

fn unsafe_link_card() -> AnyView {
    let mut s = story();
    s.evidence_url = Some("javascript:alert(1)".into());
    view! { <StoryCard story=s/> }.into_any()
}

#[wasm_bindgen_test]
async fn an_unsafe_evidence_link_is_never_rendered() {
    let (_el, root, _h) = mount_sb(unsafe_link_card, &[("lang", "en")]);
    tick().await;
    assert!(all(&root, "[part~=evidence]").is_empty());
    assert!(all(&root, "a[href^=javascript]").is_empty());
}

const ME: &str = r#"{"id":"u-ruben","name":"Ruben","roles":[]}"#;
const MODERATOR: &str = r#"{"id":"u-fleur","name":"Fleur","roles":["km:moderator"]}"#;
const GOALS: &str =
    r#"{"items":[{"id":"g-fcr","name":"First-contact resolution above 70%"}],"next_cursor":null}"#;

fn widget() -> AnyView {
    km_story_board::mount_view()
}

#[wasm_bindgen_test]
async fn applause_toggles_through_the_api_with_aria_pressed() {
    clean_storage();
    let stories = page(&[STORY]);
    let _fetch = stub_fetch(&[
        ("/goals", 200, GOALS),
        ("/me", 200, ME),
        ("/applause", 200, r#"{"applause":4,"applauded_by_me":true}"#),
        ("/stories", 200, &stories),
    ]);
    let (el, root, _h) = mount_sb(
        widget,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("limit", "4"),
        ],
    );
    let events = EventLog::listen(&el, &["km-ready", "km-error"]);
    wait_for("the card", || !all(&root, "[part~=applause]").is_empty()).await;
    assert!(
        fetched().contains(&"GET http://km.test/api/v1/stories?limit=4".to_owned()),
        "{:?}",
        fetched()
    );
    assert!(
        all(&root, "[part~=tab]").len() == 3,
        "no review tab for a non-moderator"
    );
    click(&root, "[part~=applause]");
    tick().await;
    let b = one(&root, "[part~=applause]");
    assert_eq!(b.get_attribute("aria-pressed").as_deref(), Some("true"));
    wait_for("the server's count", || {
        text(&one(&root, "[part~=applause]")).contains('4')
    })
    .await;
    assert!(
        fetched().contains(&"PUT http://km.test/api/v1/stories/s1/applause".to_owned()),
        "{:?}",
        fetched()
    );
    // Filters refetch with query parameters.
    let sort = one(&root, "select[id$=f-sort]");
    sort.unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value("most_applauded");
    fire(&sort, "change");
    wait_for("the sorted fetch", || {
        fetched()
            .iter()
            .any(|f| f.ends_with("/stories?sort=most_applauded&limit=4"))
    })
    .await;
    restore_fetch();
    assert_eq!(events.names(), ["km-ready"]);
}

#[wasm_bindgen_test]
async fn applause_the_server_refuses_is_taken_back() {
    clean_storage();
    let stories = page(&[STORY]);
    let _fetch = stub_fetch(&[
        ("/goals", 200, GOALS),
        ("/me", 200, ME),
        (
            "/applause",
            409,
            r#"{"type":"https://km-widgets.dev/problems/conflict","title":"Conflict","status":409,"detail":"Not published"}"#,
        ),
        ("/stories", 200, &stories),
    ]);
    let (el, root, _h) = mount_sb(widget, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    let events = EventLog::listen(&el, &["km-error"]);
    wait_for("the card", || !all(&root, "[part~=applause]").is_empty()).await;
    click(&root, "[part~=applause]");
    tick().await;
    // At once, then undone when the refusal comes.
    wait_for("the refusal", || !events.names().is_empty()).await;
    tick().await;
    restore_fetch();
    assert_eq!(events.names(), ["km-error"], "the page hears of it");
    let b = one(&root, "[part~=applause]");
    assert_eq!(b.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert!(text(&b).contains('3'), "{}", text(&b));
    assert!(
        text_of(&root, "[part~=live]").starts_with("Error: "),
        "announced: {}",
        text_of(&root, "[part~=live]")
    );
}

#[wasm_bindgen_test]
async fn moderators_review_and_publish_submitted_stories() {
    clean_storage();
    let waiting = STORY.replace(r#""status":"published""#, r#""status":"submitted""#);
    let queue = page(&[&waiting]);
    let board = page(&[STORY]);
    let _fetch = stub_fetch(&[
        ("/goals", 200, GOALS),
        ("/me", 200, MODERATOR),
        ("/publish", 200, STORY),
        ("status=submitted", 200, &queue),
        ("/stories", 200, &board),
    ]);
    let (_el, root, _h) = mount_sb(widget, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    wait_for("the review tab", || all(&root, "[part~=tab]").len() == 4).await;
    // On the board a moderator can feature a story.
    wait_for("the feature toggle", || {
        !all(&root, "[part~=feature]").is_empty()
    })
    .await;
    assert_eq!(
        one(&root, "[part~=feature]")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    let review = all(&root, "[part~=tab]")
        .into_iter()
        .find(|b| text(b).contains("To review"))
        .expect("a review tab");
    review.unchecked_ref::<HtmlElement>().click();
    wait_for("the publish button", || {
        !all(&root, "[part~=publish]").is_empty()
    })
    .await;
    assert!(text_of(&root, "[part~=waiting]").contains("Waiting for review"));
    assert!(
        all(&root, "[part~=applause]").is_empty(),
        "no applause before publishing"
    );
    click(&root, "[part~=publish]");
    wait_for("the POST", || {
        fetched()
            .iter()
            .any(|f| f == "POST http://km.test/api/v1/stories/s1/publish")
    })
    .await;
    wait_for("the announcement", || {
        text_of(&root, "[aria-live=polite]").contains("is published")
    })
    .await;
}

fn report() -> AnyView {
    let impact: Impact = serde_json::from_str(
        r#"{"goals":[{"goal":{"id":"g-fcr","name":"First-contact resolution"},"stories":2,
             "units":[{"unit":"h","metrics":2,"total":3.5,"median":1.75,"median_pct":47.5},
                      {"unit":"%","metrics":1,"total":19,"median":19,"median_pct":36.5}]}],
            "stories":[{"id":"s1","title":"Reused article halves VPN reset time","goal_id":"g-fcr","improvement_pct":62.5},
                       {"id":"s2","title":"Worse","goal_id":"g-fcr","improvement_pct":-10}],
            "months":[{"month":"2026-09","stories":1},{"month":"2026-10","stories":0},{"month":"2026-11","stories":1}]}"#,
    )
    .unwrap();
    view! { <ImpactReport impact=impact/> }.into_any()
}

#[wasm_bindgen_test]
async fn the_impact_report_draws_charts_with_tables_and_units_apart() {
    let (_el, root, h) = mount_sb(report, &[("lang", "en")]);
    tick().await;
    let goal = one(&root, "[part~=goal]");
    assert!(text(&goal).contains("First-contact resolution"));
    assert!(text(&goal).contains("2 stories"));
    let units: Vec<String> = all(&root, "[part~=goal] tbody tr")
        .iter()
        .map(text)
        .collect();
    assert_eq!(units.len(), 2, "one row per unit");
    assert!(
        units[0].starts_with("h2")
            && units[0].contains("3.5\u{a0}h")
            && units[0].contains("1.75\u{a0}h"),
        "{}",
        units[0]
    );
    assert!(
        units[1].starts_with("%1") && units[1].contains("19%"),
        "{}",
        units[1]
    );
    let charts = all(&root, "[part~=chart]");
    assert_eq!(charts.len(), 2);
    let svg = one(&root, "[part~=chart] svg");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert!(
        svg.get_attribute("aria-label")
            .unwrap_or_default()
            .starts_with("Improvement per story.")
    );
    assert_eq!(
        charts[0]
            .query_selector_all("rect.sb-bar")
            .unwrap()
            .length(),
        2
    );
    assert_eq!(
        charts[0]
            .query_selector_all("rect.sb-bar-worse")
            .unwrap()
            .length(),
        1
    );
    assert_eq!(
        charts[1].query_selector_all("rect").unwrap().length(),
        3,
        "a column per month, empty ones too"
    );
    let table: Vec<String> = charts[0]
        .query_selector_all("tbody tr")
        .map(|l| {
            (0..l.length())
                .filter_map(|i| l.item(i))
                .map(|n| n.text_content().unwrap_or_default())
                .collect()
        })
        .unwrap();
    assert_eq!(
        table,
        ["Reused article halves VPN reset time+62.5%", "Worse-10%"]
    );
    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    assert!(text(&one(&root, "[part~=goal]")).contains("2 verhalen"));
    assert!(
        text(&charts[1]).contains("sep 2026"),
        "{}",
        text(&charts[1])
    );
    assert_eq!(
        text(&charts[0].query_selector("summary").unwrap().unwrap()),
        "Toon als tabel"
    );
}

fn ticker() -> AnyView {
    let mut second = story();
    second.id = "s2".into();
    second.title = "Mentoring circle".into();
    view! { <TickerView stories=vec![story(), second]/> }.into_any()
}

#[wasm_bindgen_test]
async fn the_ticker_turns_on_request_and_pauses_under_the_pointer() {
    let (_el, root, _h) = mount_sb(ticker, &[("lang", "en")]);
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=item-title]"),
        "Reused article halves VPN reset time"
    );
    assert!(
        text_of(&root, "[part~=ticker] [part~=metric]")
            .contains("Time to resolve: 4\u{a0}h → 1.5\u{a0}h (+62.5%)")
    );
    let item = one(&root, ".sb-ticker-item");
    assert_eq!(
        item.get_attribute("aria-live").as_deref(),
        Some("off"),
        "silent while turning"
    );
    fire(&one(&root, "[part~=ticker]"), "mouseenter");
    tick().await;
    assert_eq!(
        item.get_attribute("aria-live").as_deref(),
        Some("polite"),
        "paused"
    );
    click(&root, "[part~=next]");
    tick().await;
    assert_eq!(text_of(&root, "[part~=item-title]"), "Mentoring circle");
    click(&root, "[part~=next]");
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=item-title]"),
        "Reused article halves VPN reset time"
    );
}

fn input(root: &ShadowRoot, id_suffix: &str) -> Element {
    one(root, &format!("[id$='{id_suffix}']"))
}

#[wasm_bindgen_test]
async fn the_form_validates_adds_metric_rows_and_submits_through_the_outbox() {
    clean_storage();
    let created = STORY.replace(r#""status":"published""#, r#""status":"submitted""#);
    let _fetch = stub_fetch(&[
        ("/goals", 200, GOALS),
        ("/me", 200, ME),
        ("/stories", 201, &created),
    ]);
    let (el, root, _h) = mount_sb(
        widget,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("mode", "submit"),
            ("team", "Service Desk"),
        ],
    );
    let events = EventLog::listen(&el, &["km-story-submitted", "km-error"]);
    wait_for("the form", || !all(&root, "form").is_empty()).await;
    wait_for("the goals", || {
        all(&root, "select[id$=sf-goal] option").len() == 2
    })
    .await;
    assert_eq!(
        input(&root, "sf-team")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        "Service Desk",
        "the team attribute presets the team"
    );
    assert_eq!(
        all(&root, "[part~=metric-row]").len(),
        1,
        "one metric row to start"
    );
    click(&root, "[part~=submit]");
    tick().await;
    let title = input(&root, "sf-title");
    assert_eq!(title.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        text(&title.next_element_sibling().unwrap()),
        "This field is required."
    );
    let unit = input(&root, "sf-m0-unit");
    assert_eq!(unit.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        text(&unit.next_element_sibling().unwrap()),
        "This field is required."
    );
    let baseline = input(&root, "sf-m0-baseline");
    assert_eq!(
        text(&baseline.next_element_sibling().unwrap()),
        "This field is required."
    );
    assert!(
        !fetched().iter().any(|f| f.starts_with("POST")),
        "nothing sent"
    );
    wait_for("focus on the first invalid field", || {
        root.active_element().map(|a| a.id()) == Some(title.id())
    })
    .await;

    click(&root, "[part~=add-metric]");
    tick().await;
    assert_eq!(all(&root, "[part~=metric-row]").len(), 2);
    assert_eq!(
        text_of(&root, "[part~=metric-row]:nth-of-type(2) legend"),
        "Metric 2"
    );
    let removes = all(&root, "[part~=remove-metric]");
    assert_eq!(text(&removes[1]), "Remove metric 2");
    removes[1].unchecked_ref::<HtmlElement>().click();
    tick().await;
    assert_eq!(all(&root, "[part~=metric-row]").len(), 1);

    type_into(
        &input(&root, "sf-title"),
        "Reused article halves VPN reset time",
    );
    type_into(&input(&root, "sf-situation"), "Slow.");
    type_into(&input(&root, "sf-result"), "Resets take minutes now.");
    type_into(&input(&root, "sf-m0-label"), "Time to resolve");
    type_into(&input(&root, "sf-m0-unit"), "h");
    type_into(&input(&root, "sf-m0-baseline"), "4");
    type_into(&input(&root, "sf-m0-current"), "1,5");
    let dir = input(&root, "sf-m0-dir");
    dir.unchecked_ref::<web_sys::HtmlSelectElement>()
        .set_value("lower");
    fire(&dir, "change");
    tick().await;
    assert_eq!(
        title.get_attribute("aria-invalid"),
        None,
        "cleared while editing"
    );
    click(&root, "[part~=submit]");
    wait_for("thanks", || !all(&root, "[part~=thanks]").is_empty()).await;
    restore_fetch();
    let posts: Vec<usize> = fetched()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.starts_with("POST"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(posts.len(), 1, "{:?}", fetched());
    assert_eq!(fetched()[posts[0]], "POST http://km.test/api/v1/stories");
    assert!(
        !idempotency_keys()[posts[0]].is_empty(),
        "an Idempotency-Key"
    );
    assert_eq!(events.names(), ["km-story-submitted"]);
    assert_eq!(
        input(&root, "sf-title")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        "",
        "the form empties"
    );
    assert_eq!(all(&root, "[part~=metric-row]").len(), 1);
}

#[wasm_bindgen_test]
async fn a_server_error_on_a_metric_shows_under_that_field() {
    clean_storage();
    let problem = r#"{"type":"https://km-widgets.dev/problems/validation","title":"Validation failed","status":422,
        "errors":[{"field":"metrics[0].current_date","code":"date_order","message":"the current date must not be before the baseline date"}]}"#;
    let _fetch = stub_fetch(&[
        ("/goals", 200, GOALS),
        ("/me", 200, ME),
        ("/stories", 422, problem),
    ]);
    let (_el, root, _h) = mount_sb(
        widget,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "nl"),
            ("mode", "submit"),
        ],
    );
    wait_for("the form", || !all(&root, "form").is_empty()).await;
    for (id, v) in [
        ("sf-title", "Sneller antwoord"),
        ("sf-situation", "Traag."),
        ("sf-result", "Snel."),
        ("sf-m0-label", "Doorlooptijd"),
        ("sf-m0-unit", "dagen"),
        ("sf-m0-baseline", "3,5"),
        ("sf-m0-current", "0,5"),
    ] {
        type_into(&input(&root, id), v);
    }
    click(&root, "[part~=submit]");
    wait_for("the field error", || {
        input(&root, "sf-m0-current_date")
            .get_attribute("aria-invalid")
            .as_deref()
            == Some("true")
    })
    .await;
    restore_fetch();
    let field = input(&root, "sf-m0-current_date");
    assert_eq!(
        text(&field.next_element_sibling().unwrap()),
        "Deze datum ligt voor de begindatum."
    );
    let described = field.get_attribute("aria-describedby").unwrap_or_default();
    assert_eq!(described, field.next_element_sibling().unwrap().id());
    assert_eq!(
        input(&root, "sf-title")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        "Sneller antwoord",
        "the text stays"
    );
}

#[wasm_bindgen_test]
async fn a_km_prefill_for_the_story_board_opens_the_form_with_its_text() {
    clean_storage();
    let _fetch = stub_fetch(&[
        ("/goals", 200, GOALS),
        ("/me", 200, ME),
        ("/stories", 200, &page(&[])),
    ]);
    let (_el, root, _h) = mount_sb(widget, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    wait_for("the board", || all(&root, "[part~=tab]").len() == 3).await;
    let body = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap();
    let prefill = |target: &str| {
        let detail = js_sys::JSON::parse(&format!(
            r#"{{"widget":"reflection-prompt","target":"{target}","title":"Pairing halved our handovers",
                "body":"We paired on every handover for a month.","tags":["Pairing","Handover"]}}"#
        ))
        .unwrap();
        km_widgets_core::events::dispatch(&body, "km-prefill", &detail);
    };
    // An event for another widget leaves the board alone.
    prefill("ask-the-community");
    tick().await;
    assert!(
        all(&root, "form").is_empty(),
        "the form opened for another widget's prefill"
    );
    prefill("story-board");
    wait_for("the form", || !all(&root, "form").is_empty()).await;
    let value = |suffix: &str| {
        let el = input(&root, suffix);
        el.dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .or_else(|| {
                el.dyn_ref::<web_sys::HtmlTextAreaElement>()
                    .map(|t| t.value())
            })
            .unwrap()
    };
    assert_eq!(value("sf-title"), "Pairing halved our handovers");
    assert_eq!(
        value("sf-situation"),
        "We paired on every handover for a month."
    );
    let form = text_of(&root, "form");
    assert!(
        form.contains("Pairing") && form.contains("Handover"),
        "tags missing: {form}"
    );
}

/// The browser's `fetch` as it is now.
fn window_fetch() -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"fetch".into()).unwrap()
}

// Regression: a test that failed before its `restore_fetch()` left its stub
// in place for every later test; the stub is now a guard.
#[wasm_bindgen_test]
fn a_dropped_fetch_stub_gives_the_browser_its_fetch_back() {
    let real = window_fetch();
    {
        let _fetch = stub_fetch(&[]);
        assert!(
            !js_sys::Object::is(&window_fetch(), &real),
            "the stub is in place"
        );
    }
    assert!(
        js_sys::Object::is(&window_fetch(), &real),
        "the browser's fetch is back"
    );
}
