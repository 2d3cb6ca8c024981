//! Browser tests of the passion match, in headless Chromium: the views
//! mounted with given data, and the whole widget against a canned `fetch`
//! (no server). Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-passion-match --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_passion_match::circles::CircleCard;
use km_passion_match::inbox::IntroItem;
use km_passion_match::match_list::{Cards, MatchCard};
use km_passion_match::view::ColleagueList;
use km_protocol::PersonSummary;
use km_protocol::circles::Circle;
use km_protocol::matches::{Complement, Direction, Intro, IntroStatus, Match, ScoreParts};
use km_protocol::passions::{Level, Passion, Profile};
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

fn mount_pm(
    view: fn() -> AnyView,
    pairs: &[(&str, &str)],
) -> (HtmlElement, ShadowRoot, MountHandle) {
    mount("passion-match", km_passion_match::style::CSS, view, pairs)
}

fn passion(tag: &str, level: Level) -> Passion {
    Passion {
        tag: tag.into(),
        tag_key: tag.to_lowercase(),
        level,
    }
}

fn profile(name: &str, department: &str, passions: Vec<Passion>) -> Profile {
    Profile {
        person: PersonSummary {
            id: name.to_lowercase(),
            name: name.into(),
            department: Some(department.into()),
        },
        passions,
        why: String::new(),
        open_to_chat: false,
        visibility: Default::default(),
        updated_at: None,
    }
}

fn colleagues_view() -> AnyView {
    let colleagues = vec![
        profile("Noor", "Finance", vec![passion("Gardening", Level::Love)]),
        profile(
            "Sam",
            "Support",
            vec![passion("Go", Level::Curious), passion("Rust", Level::Teach)],
        ),
    ];
    let mine = Signal::stored(vec!["rust".to_owned()]);
    let first = km_protocol::Page {
        items: colleagues,
        next_cursor: None,
    };
    view! { <ColleagueList first=first mine=mine/> }.into_any()
}

#[wasm_bindgen_test]
async fn a_shared_passion_is_marked_not_by_colour_alone() {
    let (_el, root, h) = mount_pm(colleagues_view, &[("lang", "en")]);
    tick().await;
    let cards = all(&root, "[part~=card]");
    assert_eq!(cards.len(), 2);
    // The colleague with a passion in common comes first.
    let first = text(&cards[0]);
    assert!(
        first.contains("Sam") && first.contains("Support"),
        "{first}"
    );
    assert!(first.contains("1 passion in common"), "{first}");
    let shared = all(&root, "[part~=shared]");
    assert_eq!(shared.len(), 1, "only Rust is shared");
    let s = &shared[0];
    assert!(s.class_list().contains("pm-shared"));
    assert_eq!(s.get_attribute("data-shared").as_deref(), Some("true"));
    assert!(text(s).starts_with('✓'), "{}", text(s));
    assert!(text(s).contains("Rust · can teach"));
    let sr = s
        .query_selector(".km-sr-only")
        .unwrap()
        .expect("screen-reader note");
    assert_eq!(text(&sr).trim(), "(you share this passion)");
    // Not shared: no mark at all.
    let plain: Vec<_> = all(&root, "[part~=tag]")
        .into_iter()
        .filter(|e| !e.class_list().contains("pm-shared"))
        .collect();
    assert_eq!(plain.len(), 2);
    assert!(plain.iter().all(|e| !text(e).contains('✓')));
    assert!(!text(&cards[1]).contains("in common"));

    // A live language change re-renders the words, not the data.
    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    let shared = all(&root, "[part~=shared]");
    assert!(text(&shared[0]).contains("Rust · kan het uitleggen"));
    assert!(text(&shared[0]).contains("(deze passie deel je)"));
    assert!(text(&all(&root, "[part~=card]")[0]).contains("1 passie gemeen"));
}

fn person(id: &str, name: &str, department: &str) -> PersonSummary {
    PersonSummary {
        id: id.into(),
        name: name.into(),
        department: Some(department.into()),
    }
}

fn mia_match() -> Match {
    Match {
        person: person("u-mia", "Mia de Vries", "Operations"),
        shared: vec![
            passion("Service design", Level::Love),
            passion("Kubernetes", Level::Teach),
        ],
        complementary: vec![Complement {
            tag: "Kubernetes".into(),
            tag_key: "kubernetes".into(),
            direction: Direction::TheyTeach,
        }],
        why: String::new(),
        open_to_chat: true,
        connected: false,
        score: 2.5,
        parts: ScoreParts {
            overlap: 2.0,
            complement: 0.5,
            connected_penalty: 0.0,
        },
    }
}

fn click(root: &ShadowRoot, selector: &str) {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no {selector}"))
        .click();
}

thread_local! {
    static TAG_CLICKED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn match_view() -> AnyView {
    let mine = Signal::stored(vec![
        ("service design".to_owned(), Level::Love),
        ("kubernetes".to_owned(), Level::Learn),
    ]);
    let on_tag = Callback::new(|t: String| TAG_CLICKED.with(|c| c.borrow_mut().push(t)));
    let cards = Cards {
        on_tag: Some(on_tag),
        ..Cards::new(mine)
    };
    view! { <MatchCard m=mia_match() cards=cards/> }.into_any()
}

#[wasm_bindgen_test]
async fn a_match_card_explains_itself_and_links_its_passions() {
    let (_el, root, h) = mount_pm(match_view, &[("lang", "en")]);
    tick().await;
    let card = text_of(&root, "[part~=card]");
    assert!(
        card.contains("Mia de Vries") && card.contains("Operations"),
        "{card}"
    );
    assert_eq!(
        text_of(&root, "[part~=reason]"),
        "You both love Service design; Mia can teach Kubernetes, which you want to learn."
    );
    // Shared passions are marked with a ✓, not by colour alone.
    let shared: Vec<String> = all(&root, "[part~=shared]").iter().map(text).collect();
    assert_eq!(shared.len(), 2);
    assert!(shared[0].starts_with("✓") && shared[0].contains("Service design · loves it"));
    assert_eq!(
        text_of(&root, "[part~=pair]"),
        "Mia can teach Kubernetes; you want to learn it"
    );
    // The score's parts are behind a disclosure.
    let parts = text_of(&root, "[part~=parts]");
    assert!(
        parts.contains("2.00") && parts.contains("0.50") && parts.contains("2.50"),
        "{parts}"
    );
    assert!(!parts.contains("Already connected"));
    // A tag is a button whose name says where it leads; it opens its people.
    let link = root.query_selector("[part~=tag-link]").unwrap().unwrap();
    assert!(
        text(&link).ends_with(" — People passionate about Service design"),
        "{}",
        text(&link)
    );
    click(&root, "[part~=tag-link]");
    assert_eq!(TAG_CLICKED.with(|c| c.borrow().clone()), ["Service design"]);
    h.set_attribute("lang", Some("nl".into()));
    tick().await;
    assert!(
        text_of(&root, "[part~=reason]").starts_with("Jullie houden allebei van Service design")
    );
    assert_eq!(text_of(&root, "[part~=button]"), "Zeg hallo");
}

fn hi_view() -> AnyView {
    let mine = Signal::stored(Vec::new());
    view! { <MatchCard m=mia_match() cards=Cards::new(mine)/> }.into_any()
}

#[wasm_bindgen_test]
async fn saying_hi_checks_the_message_sends_once_and_explains_the_daily_limit() {
    let _fetch = stub_fetch(&[(
        "/intros",
        429,
        r#"{"type":"https://km-widgets.dev/problems/limit","title":"Daily limit reached","status":429}"#,
    )]);
    let (el, root, _h) = mount_pm(hi_view, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    let events = EventLog::listen(&el, &["km-intro-sent"]);
    tick().await;
    click(&root, "button[part~=say-hi]");
    tick().await;
    let area = root
        .query_selector("textarea")
        .unwrap()
        .expect("message field");
    assert_eq!(
        root.active_element().as_ref(),
        Some(&area),
        "focus moves to the message"
    );
    // Too long: the field says so, nothing is sent.
    type_into(&area, &"x".repeat(501));
    tick().await;
    assert!(text_of(&root, "[part~=counter]").contains("501 of 500"));
    click(&root, "[part~=send]");
    tick().await;
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text_of(&root, "[part~=field-error]").contains("500"));
    assert!(fetched().is_empty());
    type_into(&area, "Coffee on Thursday?");
    click(&root, "[part~=send]");
    wait_for("the refusal", || !all(&root, "[part~=refused]").is_empty()).await;
    restore_fetch();
    assert_eq!(
        text_of(&root, "[part~=refused]"),
        "You reached today's limit of intros. Try again tomorrow."
    );
    assert_eq!(fetched(), ["POST http://km.test/api/v1/intros"]);
    assert!(!idempotency_keys()[0].is_empty());
    assert!(events.names().is_empty());
    // The refused message stays as a draft; other tests start without it.
    km_widgets_core::storage::remove(&km_widgets_core::drafts::draft_key(
        "passion-match",
        "default",
        None,
        "hi-u-mia",
    ));
}

#[wasm_bindgen_test]
async fn a_sent_intro_fires_km_intro_sent_and_clears_the_draft() {
    let _fetch = stub_fetch(&[(
        "/intros",
        201,
        r#"{"id":"i1","from":{"id":"me","name":"Me"},"to":{"id":"u-mia","name":"Mia de Vries"},"message":"Hi","status":"pending","created_at":"2026-11-22T10:00:00Z"}"#,
    )]);
    let (el, root, _h) = mount_pm(hi_view, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    let events = EventLog::listen(&el, &["km-intro-sent"]);
    tick().await;
    click(&root, "button[part~=say-hi]");
    tick().await;
    let area = root.query_selector("textarea").unwrap().unwrap();
    type_into(&area, "Hi");
    click(&root, "[part~=send]");
    wait_for("sent", || !all(&root, "[part~=sent]").is_empty()).await;
    restore_fetch();
    assert_eq!(
        text_of(&root, "[part~=sent]"),
        "Intro sent to Mia de Vries."
    );
    assert_eq!(events.names(), ["km-intro-sent"]);
    let key = km_widgets_core::drafts::draft_key("passion-match", "default", None, "hi-u-mia");
    assert_eq!(
        km_widgets_core::storage::get(&key),
        None,
        "the message draft is gone"
    );
}

#[wasm_bindgen_test]
async fn an_intro_written_offline_waits_in_the_outbox() {
    let _fetch = stub_fetch(&[]);
    let (_el, root, _h) = mount_pm(hi_view, &[("api", "http://km.test/api/v1"), ("lang", "en")]);
    tick().await;
    click(&root, "button[part~=say-hi]");
    tick().await;
    let area = root.query_selector("textarea").unwrap().unwrap();
    type_into(&area, "Lunch?");
    click(&root, "[part~=send]");
    km_widgets_core::testing::wait_for_ms("pending", 10_000, || {
        !all(&root, "[part~=pending]").is_empty()
    })
    .await;
    restore_fetch();
    assert_eq!(text_of(&root, "[part~=pending]"), "Waiting to be sent");
    let queued =
        km_widgets_core::storage::get(km_widgets_core::outbox::STORAGE_KEY).unwrap_or_default();
    assert!(
        queued.contains("Lunch?") && queued.contains("u-mia"),
        "{queued}"
    );
    // Other tests start with an empty outbox.
    km_widgets_core::storage::remove(km_widgets_core::outbox::STORAGE_KEY);
}

thread_local! {
    static INTROS: std::cell::Cell<Option<RwSignal<Vec<Intro>>>> = const { std::cell::Cell::new(None) };
}

fn intro_with_mia(outgoing: bool, status: IntroStatus, contact: Option<&str>) -> Intro {
    let (mia, me) = (
        person("u-mia", "Mia de Vries", "Operations"),
        person("me", "Me", "HR"),
    );
    let (from, to) = if outgoing { (me, mia) } else { (mia, me) };
    Intro {
        id: "i1".into(),
        from,
        to,
        message: String::new(),
        status,
        contact: contact.map(Into::into),
        created_at: "2026-11-22T10:00:00Z".into(),
    }
}

fn greeted_view() -> AnyView {
    let intros = RwSignal::new(vec![intro_with_mia(true, IntroStatus::Pending, None)]);
    INTROS.with(|c| c.set(Some(intros)));
    let cards = Cards {
        intros: intros.into(),
        ..Cards::new(Signal::stored(Vec::new()))
    };
    view! { <MatchCard m=mia_match() cards=cards/> }.into_any()
}

#[wasm_bindgen_test]
async fn a_match_card_shows_where_our_intro_stands() {
    let (_el, root, _h) = mount_pm(greeted_view, &[("lang", "en")]);
    let intros = INTROS.with(|c| c.get()).expect("intros signal");
    let say_hi = |root: &ShadowRoot| root.query_selector("[part~=say-hi]").unwrap().is_some();
    tick().await;
    assert_eq!(text_of(&root, "[part~=greeted]"), "Waiting for an answer");
    assert!(!say_hi(&root));
    // Mia accepted: the card says how to reach her, not that we wait.
    intros.set(vec![intro_with_mia(
        true,
        IntroStatus::Accepted,
        Some("mia@northwind.example"),
    )]);
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=greeted]"),
        "Contact: mia@northwind.example"
    );
    assert_mailto(&root, "mia@northwind.example");
    // Mia dismissed it: no second hi.
    intros.set(vec![intro_with_mia(true, IntroStatus::Dismissed, None)]);
    tick().await;
    assert_eq!(text_of(&root, "[part~=greeted]"), "Dismissed");
    assert!(!say_hi(&root));
    // Mia said hi to me: the card sends me to my intros.
    intros.set(vec![intro_with_mia(false, IntroStatus::Pending, None)]);
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=greeted]"),
        "Mia de Vries said hi to you: answer under Intros"
    );
    // No intro between us: Say hi.
    intros.set(Vec::new());
    tick().await;
    assert!(say_hi(&root));
    assert!(root.query_selector("[part~=greeted]").unwrap().is_none());
}

/// The contact link writes an email to `address`.
fn assert_mailto(root: &ShadowRoot, address: &str) {
    let link = root
        .query_selector("[part~=contact-link]")
        .unwrap()
        .expect("a contact link");
    assert_eq!(
        link.get_attribute("href"),
        Some(format!("mailto:{address}"))
    );
}

fn intro_view() -> AnyView {
    let intro = Intro {
        id: "i9".into(),
        from: person("u-bram", "Bram Jansen", "Sales"),
        to: person("me", "Me", "HR"),
        message: "Shall we talk about **design**?".into(),
        status: IntroStatus::Pending,
        contact: None,
        created_at: "2026-11-22T10:00:00Z".into(),
    };
    view! { <IntroItem intro=intro incoming=true/> }.into_any()
}

#[wasm_bindgen_test]
async fn accepting_an_intro_shows_the_contact() {
    let _fetch = stub_fetch(&[(
        "/intros/i9/accept",
        200,
        r#"{"id":"i9","from":{"id":"u-bram","name":"Bram Jansen"},"to":{"id":"me","name":"Me"},"message":"","status":"accepted","contact":"bram@northwind.example","created_at":"2026-11-22T10:00:00Z"}"#,
    )]);
    let (_el, root, _h) = mount_pm(
        intro_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    tick().await;
    assert_eq!(text_of(&root, "[part~=item-title]"), "Bram Jansen said hi");
    // The message is text, not markup.
    assert_eq!(
        text_of(&root, "[part~=message]"),
        "Shall we talk about **design**?"
    );
    assert!(all(&root, "[part~=contact]").is_empty());
    click(&root, "[part~=accept]");
    wait_for("the contact", || !all(&root, "[part~=contact]").is_empty()).await;
    restore_fetch();
    assert_mailto(&root, "bram@northwind.example");
    assert_eq!(text_of(&root, "[part~=intro-status]"), "Accepted");
    assert!(all(&root, "[part~=accept]").is_empty());
    // Either person may delete it: it goes away.
    let _fetch = stub_fetch(&[("/intros/i9", 200, "")]);
    click(&root, "[part~=delete-intro]");
    wait_for("deleted", || {
        root.query_selector("[part~=intro]")
            .ok()
            .flatten()
            .is_some_and(|e| e.has_attribute("hidden"))
    })
    .await;
    restore_fetch();
    assert_eq!(fetched(), ["DELETE http://km.test/api/v1/intros/i9"]);
}

fn circle_view() -> AnyView {
    let c = Circle {
        tag: "Service design".into(),
        tag_key: "service design".into(),
        people: 7,
        members: 1,
        joined: false,
        can_join: false,
    };
    view! { <CircleCard circle=c/> }.into_any()
}

#[wasm_bindgen_test]
async fn a_circle_says_why_i_cannot_join_and_lists_its_members() {
    let _fetch = stub_fetch(&[
        (
            "/membership",
            422,
            r#"{"type":"https://km-widgets.dev/problems/validation","title":"Invalid","status":422,"errors":[{"field":"open_to_chat","code":"required","message":"be open"}]}"#,
        ),
        (
            "/members?limit=50&cursor=Mg",
            200,
            r#"{"items":[{"person":{"id":"u-sam","name":"Sam Jansen","department":"Support"},"level":"love","why":""}]}"#,
        ),
        (
            "/members",
            200,
            r#"{"items":[{"person":{"id":"u-noor","name":"Noor Bakker","department":"Finance"},"level":"teach","why":"Users first"}],"next_cursor":"Mg"}"#,
        ),
    ]);
    let (_el, root, _h) = mount_pm(
        circle_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=item-title]"),
        "7 people love Service design"
    );
    assert_eq!(text_of(&root, "[part~=members-count]"), "1 member");
    click(&root, "[part~=join]");
    wait_for("the hint", || !all(&root, "[part~=field-error]").is_empty()).await;
    assert_eq!(
        text_of(&root, "[part~=field-error]"),
        "Be open to a coffee chat to join."
    );
    let toggle = root.query_selector("[part~=members]").unwrap().unwrap();
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    click(&root, "[part~=members]");
    wait_for("the members", || !all(&root, "[part~=member]").is_empty()).await;
    // A long circle shows its members page by page.
    click(&root, "[part~=more]");
    wait_for("the next page", || all(&root, "[part~=member]").len() == 2).await;
    wait_for("the focus on the new member", || {
        root.active_element()
            .is_some_and(|f| text(&f).contains("Sam Jansen"))
    })
    .await;
    restore_fetch();
    assert!(all(&root, "[part~=more]").is_empty(), "the last page");
    let focused = root
        .active_element()
        .expect("the focus is on the new member");
    assert!(text(&focused).contains("Sam Jansen"), "{}", text(&focused));
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let m = text_of(&root, "[part~=member]");
    assert!(
        m.contains("Noor Bakker") && m.contains("Finance") && m.contains("can teach"),
        "{m}"
    );
    assert!(
        fetched()
            .contains(&"PUT http://km.test/api/v1/circles/service%20design/membership".to_owned()),
        "{:?}",
        fetched()
    );
}

fn widget_view() -> AnyView {
    km_passion_match::mount_view()
}

const UNAUTHORIZED: &str = r#"{"type":"https://km-widgets.dev/problems/unauthorized","title":"Unauthorized","status":401}"#;

#[wasm_bindgen_test]
async fn signed_out_readers_get_a_note_and_no_error() {
    let _fetch = stub_fetch(&[("/", 401, UNAUTHORIZED)]);
    let (el, root, _h) = mount_pm(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    let events = EventLog::listen(&el, &["km-ready", "km-error"]);
    wait_for("the note", || !all(&root, "[part~=note]").is_empty()).await;
    restore_fetch();
    assert_eq!(
        text_of(&root, "[part~=note] > p"),
        "Sign in to add your passions."
    );
    let titles: Vec<String> = all(&root, "h2").iter().map(text).collect();
    assert_eq!(titles, ["My passions"]);
    // Nothing to wait for: give a late km-error the time it would take.
    sleep(50).await;
    assert_eq!(events.names(), ["km-ready"], "one km-ready, no km-error");
}

const MY_PROFILE: &str = r#"{"person":{"id":"me","name":"Me","department":"HR"},"passions":[{"tag":"Service design","tag_key":"service design","level":"love"}],"why":"","open_to_chat":true,"visibility":"organization","updated_at":"2026-11-22T10:00:00Z"}"#;

fn full_routes(profile_status: u16) -> Vec<(&'static str, u16, &'static str)> {
    let mut routes = vec![
        (
            "/matches",
            200,
            r#"{"items":[{"person":{"id":"u-mia","name":"Mia de Vries","department":"Operations"},"shared":[{"tag":"Service design","tag_key":"service design","level":"love"}],"complementary":[],"why":"","open_to_chat":true,"connected":false,"score":1.0,"parts":{"overlap":1.0,"complement":0.0,"connected_penalty":0.0}}],"next_cursor":"MQo"}"#,
        ),
        ("/intros", 200, r#"{"items":[]}"#),
        ("/circles", 200, r#"{"items":[]}"#),
    ];
    if profile_status > 0 {
        routes.insert(0, ("/profiles/me", profile_status, MY_PROFILE));
    }
    routes
}

#[wasm_bindgen_test]
async fn the_editor_saves_changes_by_itself_and_says_so() {
    let routes = full_routes(200);
    let _fetch = stub_fetch(&routes);
    let (el, root, _h) = mount_pm(
        widget_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("limit", "1"),
        ],
    );
    let events = EventLog::listen(&el, &["km-profile-saved"]);
    wait_for("the editor and a match", || {
        !all(&root, "[part~=why]").is_empty() && !all(&root, "[part~=card]").is_empty()
    })
    .await;
    let titles: Vec<String> = all(&root, "h2").iter().map(text).collect();
    assert_eq!(titles, ["My passions", "Your matches", "Intros", "Circles"]);
    assert!(
        fetched().iter().any(|f| f.ends_with("/matches?limit=1")),
        "{:?}",
        fetched()
    );
    assert!(all(&root, "[part~=more]").len() == 1, "a next page");
    let why = root.query_selector("[part~=why]").unwrap().unwrap();
    type_into(&why, "Because users deserve better");
    tick().await;
    assert_eq!(
        text_of(&root, "[part~=save-state], .km-save-state"),
        "Unsaved changes"
    );
    wait_for("saved", || !all(&root, "[part~=saved]").is_empty()).await;
    restore_fetch();
    assert_eq!(text_of(&root, "[part~=saved]"), "✓ Saved");
    let puts: Vec<String> = fetched()
        .into_iter()
        .filter(|f| f.starts_with("PUT"))
        .collect();
    assert_eq!(
        puts,
        ["PUT http://km.test/api/v1/profiles/me"],
        "saved once"
    );
    assert_eq!(events.names(), ["km-profile-saved"]);
}

#[wasm_bindgen_test]
async fn an_unsaved_change_survives_the_server_being_down() {
    // The profile loads, then every write fails like a network error.
    let _fetch = stub_fetch(&full_routes(200));
    let (_el, root, h) = mount_pm(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("the editor", || !all(&root, "[part~=why]").is_empty()).await;
    let _fetch = stub_fetch(&[]);
    let why = root.query_selector("[part~=why]").unwrap().unwrap();
    type_into(&why, "Kept while offline");
    wait_for_ms_pending(&root).await;
    assert!(text_of(&root, "[part~=pending]").contains("kept on this device"));
    drop(h);
    // A new mount (a reload) restores the text and saves it.
    let _fetch = stub_fetch(&full_routes(200));
    let (_el, root, _h) = mount_pm(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("the editor", || !all(&root, "[part~=why]").is_empty()).await;
    let why = root
        .query_selector("[part~=why]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    assert_eq!(why.value(), "Kept while offline");
    assert!(!all(&root, "[part~=restored]").is_empty());
    wait_for("saved", || !all(&root, "[part~=saved]").is_empty()).await;
}

async fn wait_for_ms_pending(root: &ShadowRoot) {
    km_widgets_core::testing::wait_for_ms("pending", 10_000, || {
        !all(root, "[part~=pending]").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn compact_mode_shows_three_matches_and_opens_the_editor_on_request() {
    let _fetch = stub_fetch(&full_routes(200));
    let (_el, root, _h) = mount_pm(
        widget_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "nl"),
            ("mode", "compact"),
        ],
    );
    wait_for("a match", || !all(&root, "[part~=card]").is_empty()).await;
    assert!(
        fetched().iter().any(|f| f.ends_with("/matches?limit=3")),
        "{:?}",
        fetched()
    );
    assert!(
        all(&root, "[part~=more]").is_empty(),
        "no pagination in compact mode"
    );
    assert!(all(&root, "[part~=why]").is_empty());
    let edit = root.query_selector("[part~=edit]").unwrap().unwrap();
    assert_eq!(text(&edit), "Mijn passies bewerken");
    assert_eq!(
        edit.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    click(&root, "[part~=edit]");
    wait_for("the editor", || !all(&root, "[part~=why]").is_empty()).await;
    restore_fetch();
    assert_eq!(edit.get_attribute("aria-expanded").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn a_card_that_said_hi_keeps_its_place_its_note_and_the_focus() {
    // Sending reloads the intros, not the matches: the card is not
    // re-made under the person's hands.
    let created = r#"{"id":"i1","from":{"id":"me","name":"Me"},"to":{"id":"u-mia","name":"Mia de Vries"},"message":"","status":"pending","created_at":"2026-11-22T10:00:00Z"}"#;
    let mut routes = full_routes(200);
    routes.retain(|(n, _, _)| *n != "/intros");
    routes.push(("/intros?box=outgoing", 200, r#"{"items":[]}"#));
    routes.push(("/intros?box=incoming", 200, r#"{"items":[]}"#));
    routes.push(("/intros", 201, created));
    let _fetch = stub_fetch(&routes);
    let (_el, root, _h) = mount_pm(
        widget_view,
        &[("api", "http://km.test/api/v1"), ("lang", "en")],
    );
    wait_for("a match", || {
        !all(&root, "[part~=card] [part~=say-hi]").is_empty()
    })
    .await;
    let card = root.query_selector("[part~=card]").unwrap().unwrap();
    click(&root, "[part~=card] button[part~=say-hi]");
    tick().await;
    // Now the outgoing box holds the intro: a reload of the cards would
    // show "Waiting for an answer" instead of the note.
    routes.insert(0, ("/intros?box=outgoing", 200, r#"{"items":[{"id":"i1","from":{"id":"me","name":"Me"},"to":{"id":"u-mia","name":"Mia de Vries"},"message":"","status":"pending","created_at":"2026-11-22T10:00:00Z"}]}"#));
    let _fetch = stub_fetch(&routes);
    click(&root, "[part~=card] [part~=send]");
    wait_for("the intros reloaded", || {
        fetched().iter().any(|f| f.contains("/intros?box=outgoing"))
            && !all(&root, "[part~=outgoing] [part~=intro]").is_empty()
    })
    .await;
    wait_for("the focus on the sent note", || {
        root.active_element()
            .and_then(|f| f.get_attribute("part"))
            .as_deref()
            == Some("status sent")
    })
    .await;
    assert!(
        !fetched().iter().any(|f| f.contains("/matches")),
        "the matches were not fetched again: {:?}",
        fetched()
    );
    let same = root.query_selector("[part~=card]").unwrap().unwrap();
    assert!(same.is_same_node(Some(&card)), "the same card");
    assert_eq!(
        text_of(&root, "[part~=card] [part~=sent]"),
        "Intro sent to Mia de Vries."
    );
    let focused = root.active_element().expect("something has the focus");
    assert_eq!(
        focused.get_attribute("part").as_deref(),
        Some("status sent")
    );
}
