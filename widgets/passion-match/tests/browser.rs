//! Browser tests of the passion match, in headless Chromium: the views
//! mounted with given data, and the whole widget against a canned `fetch`
//! (no server). Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-passion-match --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_passion_match::view::{ColleagueList, MyPassions};
use km_protocol::PersonSummary;
use km_protocol::passions::{Level, Passion, Profile};
use km_widgets_core::MountHandle;
use km_widgets_core::testing::{
    EventLog, all, mount, restore_fetch, sleep, stub_fetch, text, text_of, tick, wait_for,
};
use leptos::prelude::*;
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
    view! { <ColleagueList colleagues=colleagues mine=mine/> }.into_any()
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

fn my_passions_view() -> AnyView {
    let me = profile(
        "Mia",
        "HR",
        vec![
            passion("Coaching", Level::Love),
            passion("SQL", Level::Learn),
        ],
    );
    view! { <MyPassions profile=me/> }.into_any()
}

fn no_passions_view() -> AnyView {
    view! { <MyPassions profile=profile("Mia", "HR", vec![])/> }.into_any()
}

#[wasm_bindgen_test]
async fn my_passions_show_their_level_in_the_widget_language() {
    let (_el, root, _h) = mount_pm(my_passions_view, &[("lang", "nl")]);
    tick().await;
    let tags: Vec<String> = all(&root, "[part~=tag]").iter().map(text).collect();
    assert_eq!(
        tags,
        ["Coaching · vindt het geweldig", "SQL · wil het leren"]
    );
    assert!(all(&root, "[part~=shared]").is_empty());

    let (_el, root, _h) = mount_pm(no_passions_view, &[("lang", "en")]);
    tick().await;
    assert_eq!(
        text_of(&root, "[part=empty]"),
        "You have not added any passions yet."
    );
}

fn widget_view() -> AnyView {
    km_passion_match::mount_view()
}

#[wasm_bindgen_test]
async fn signed_out_readers_get_a_note_and_the_colleague_list() {
    stub_fetch(&[
        (
            "/profiles/me",
            401,
            r#"{"type":"https://km-widgets.dev/problems/unauthorized","title":"Unauthorized","status":401}"#,
        ),
        (
            "/profiles?",
            200,
            r#"{"items":[{"person":{"id":"s","name":"Sam","department":"Support"},"passions":[{"tag":"Rust","tag_key":"rust","level":"teach"}]}]}"#,
        ),
    ]);
    let (el, root, _h) = mount_pm(
        widget_view,
        &[
            ("api", "http://km.test/api/v1"),
            ("lang", "en"),
            ("limit", "2"),
            ("tag", "Rust"),
        ],
    );
    let events = EventLog::listen(&el, &["km-ready", "km-error"]);
    wait_for("both parts", || {
        !all(&root, "[part~=note]").is_empty() && !all(&root, "[part~=card]").is_empty()
    })
    .await;
    restore_fetch();
    assert_eq!(
        text_of(&root, "[part~=note]"),
        "Sign in to add your passions."
    );
    assert!(text_of(&root, "[part~=card]").contains("Sam"));
    let titles: Vec<String> = all(&root, "h2").iter().map(text).collect();
    assert_eq!(titles, ["My passions", "Colleagues who care about Rust"]);
    // Nothing is shared when I have no passions.
    assert!(all(&root, "[part~=shared]").is_empty());
    sleep(50).await;
    assert_eq!(events.names(), ["km-ready"], "one km-ready, no km-error");
}
