//! Browser tests of the passion match's views, mounted with given data (no
//! server) in headless Chromium. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-passion-match --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_passion_match::view::{ColleagueList, MyPassions};
use km_protocol::PersonSummary;
use km_protocol::passions::{Level, Passion, Profile};
use km_widgets_core::{MountHandle, WidgetSpec, mount_widget};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::js_sys;
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

wasm_bindgen_test_configure!(run_in_browser);

fn mount(view: fn() -> AnyView, lang: &str) -> (ShadowRoot, MountHandle) {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    let root = el
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .unwrap();
    let attrs = js_sys::Object::new();
    js_sys::Reflect::set(&attrs, &"lang".into(), &lang.into()).unwrap();
    let spec = WidgetSpec {
        kind: "passion-match",
        css: km_passion_match::style::CSS,
        view,
    };
    let h = mount_widget(&spec, el, root.clone(), &JsValue::from(attrs)).unwrap();
    (root, h)
}

async fn tick() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

/// Waits `ms` on the browser's timer queue (lets fetches and timers run).
async fn sleep(ms: i32) {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::task::{Poll, Waker};
    let state: Rc<RefCell<(bool, Option<Waker>)>> = Rc::new(RefCell::new((false, None)));
    let s2 = state.clone();
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        let mut s = s2.borrow_mut();
        s.0 = true;
        if let Some(w) = s.1.take() {
            w.wake();
        }
    });
    web_sys::window()
        .unwrap()
        .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms)
        .unwrap();
    std::future::poll_fn(move |cx| {
        let mut s = state.borrow_mut();
        if s.0 {
            Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

/// Polls `cond` until it holds (at most 5 s).
async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..250 {
        if cond() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Replaces `window.fetch` with canned answers: the first route whose
/// text occurs in the URL answers with its status and JSON body.
fn stub_fetch(routes: &[(&str, u16, &str)]) {
    let list = js_sys::Array::new();
    for (needle, status, body) in routes {
        list.push(&js_sys::Array::of3(
            &(*needle).into(),
            &f64::from(*status).into(),
            &(*body).into(),
        ));
    }
    let install = js_sys::Function::new_with_args(
        "routes",
        "window.__kmRealFetch = window.__kmRealFetch || window.fetch;
         window.fetch = (input) => {
           const url = typeof input === 'string' ? input : input.url;
           const r = routes.find(([n]) => url.includes(n));
           if (!r) return Promise.reject(new TypeError('no route for ' + url));
           const type = r[1] < 300 ? 'application/json' : 'application/problem+json';
           return Promise.resolve(new Response(r[2], { status: r[1], headers: { 'content-type': type } }));
         };",
    );
    install.call1(&JsValue::NULL, &list).unwrap();
}

fn restore_fetch() {
    js_sys::Function::new_no_args("if (window.__kmRealFetch) window.fetch = window.__kmRealFetch;")
        .call0(&JsValue::NULL)
        .unwrap();
}

fn all(root: &ShadowRoot, sel: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

fn text(e: &web_sys::Element) -> String {
    e.text_content().unwrap_or_default()
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
    let (root, h) = mount(colleagues_view, "en");
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
    let (root, _h) = mount(my_passions_view, "nl");
    tick().await;
    let tags: Vec<String> = all(&root, "[part~=tag]").iter().map(text).collect();
    assert_eq!(
        tags,
        ["Coaching · vindt het geweldig", "SQL · wil het leren"]
    );
    assert!(all(&root, "[part~=shared]").is_empty());

    let (root, _h) = mount(no_passions_view, "en");
    tick().await;
    let empty = all(&root, "[part=empty]");
    assert_eq!(text(&empty[0]), "You have not added any passions yet.");
}

fn widget_view() -> AnyView {
    km_passion_match::mount_view()
}

#[wasm_bindgen_test]
async fn signed_out_readers_get_a_note_and_the_colleague_list() {
    use std::cell::RefCell;
    use std::rc::Rc;
    stub_fetch(&[
        (
            "/profiles/me",
            401,
            r#"{"type":"https://km-widgets.dev/problems/unauthorized","title":"Unauthorized","status":401}"#,
        ),
        (
            "/profiles?limit=2&tag=Rust",
            200,
            r#"{"items":[{"person":{"id":"s","name":"Sam","department":"Support"},"passions":[{"tag":"Rust","tag_key":"rust","level":"teach"}]}]}"#,
        ),
    ]);
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    let root = el
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .unwrap();
    let events = Rc::new(RefCell::new(Vec::<String>::new()));
    let mut listeners = Vec::new();
    for name in ["km-ready", "km-error"] {
        let ev = events.clone();
        let l = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            move |e: web_sys::Event| {
                ev.borrow_mut().push(e.type_());
            },
        );
        el.add_event_listener_with_callback(name, l.as_ref().unchecked_ref())
            .unwrap();
        listeners.push(l);
    }
    let attrs = js_sys::Object::new();
    for (k, v) in [
        ("api", "http://km.test/api/v1"),
        ("lang", "en"),
        ("limit", "2"),
        ("tag", "Rust"),
    ] {
        js_sys::Reflect::set(&attrs, &k.into(), &v.into()).unwrap();
    }
    let spec = WidgetSpec {
        kind: "passion-match",
        css: km_passion_match::style::CSS,
        view: widget_view,
    };
    let _h = mount_widget(&spec, el, root.clone(), &JsValue::from(attrs)).unwrap();
    wait_for("both parts", || {
        !all(&root, "[part~=note]").is_empty() && !all(&root, "[part~=card]").is_empty()
    })
    .await;
    restore_fetch();
    assert_eq!(
        text(&all(&root, "[part~=note]")[0]),
        "Sign in to add your passions."
    );
    assert!(text(&all(&root, "[part~=card]")[0]).contains("Sam"));
    let titles: Vec<String> = all(&root, "h2").iter().map(text).collect();
    assert_eq!(titles, ["My passions", "Colleagues who care about Rust"]);
    // Nothing is shared when I have no passions.
    assert!(all(&root, "[part~=shared]").is_empty());
    sleep(50).await;
    assert_eq!(*events.borrow(), ["km-ready"], "one km-ready, no km-error");
}
