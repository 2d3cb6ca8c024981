//! Browser tests of the core: mounting into real shadow roots, live
//! attribute changes, unmounting, states, safe markdown, the tag picker,
//! drafts and lazy parts. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p km-widgets-core --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use km_widgets_core::api::ApiError;
use km_widgets_core::ui::{ErrorState, Markdown, TagPicker};
use km_widgets_core::{MountHandle, WidgetSpec, mount_widget, use_draft, use_widget};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh host element with an open shadow root, attached to the body.
fn host() -> (HtmlElement, ShadowRoot) {
    let el: HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&el).unwrap();
    let root = el
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .unwrap();
    (el, root)
}

fn attrs(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), &(*v).into()).unwrap();
    }
    o.into()
}

async fn tick() {
    leptos::task::tick().await;
    gloo_timers_sleep(0).await;
}

async fn gloo_timers_sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// Polls `cond` every 20 ms until it holds; panics after 5 s naming `what`.
/// (`km_widgets_core::testing::wait_for` needs the `testing` feature, which
/// this crate's own tests do not get.)
async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..250 {
        if cond() {
            return;
        }
        gloo_timers_sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

fn q(root: &ShadowRoot, sel: &str) -> Option<web_sys::Element> {
    root.query_selector(sel).unwrap()
}

fn text(root: &ShadowRoot, sel: &str) -> String {
    q(root, sel)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

km_widgets_core::string_table! {
    /// Test strings.
    enum T {
        /// Greeting.
        Hello => { en: "Hello", nl: "Hallo" },
    }
}

fn hello_view() -> AnyView {
    use km_widgets_core::Translate;
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let limit = km_widgets_core::use_attr::<Option<String>>("limit");
    let limit = move || limit.get().unwrap_or_default();
    view! { <p class="hello" part="title">{move || T::Hello.get(lang.get())} " " {limit}</p> }
        .into_any()
}

const HELLO: WidgetSpec = WidgetSpec {
    kind: "hello",
    css: ".hello { color: rgb(1, 2, 3); }",
    view: hello_view,
};

fn mount_hello(pairs: &[(&str, &str)]) -> (HtmlElement, ShadowRoot, MountHandle) {
    let (el, root) = host();
    let h = mount_widget(&HELLO, el.clone(), root.clone(), &attrs(pairs)).unwrap();
    (el, root, h)
}

#[wasm_bindgen_test]
async fn mounts_a_themed_root_with_adopted_styles_and_nothing_in_head() {
    let head_before = doc().head().unwrap().child_element_count();
    let (_el, root, _h) = mount_hello(&[("lang", "en"), ("theme", "dark"), ("limit", "3")]);
    tick().await;
    let r = q(&root, ".km-root").expect("root rendered");
    assert_eq!(r.get_attribute("part").as_deref(), Some("root"));
    assert_eq!(r.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(r.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(text(&root, ".hello"), "Hello 3");
    assert_eq!(root.adopted_style_sheets().length(), 2);
    let p: HtmlElement = q(&root, ".hello").unwrap().unchecked_into();
    let color = web_sys::window()
        .unwrap()
        .get_computed_style(&p)
        .unwrap()
        .unwrap()
        .get_property_value("color")
        .unwrap();
    assert_eq!(color, "rgb(1, 2, 3)");
    assert!(q(&root, "[aria-live=polite]").is_some(), "live region");
    assert_eq!(doc().head().unwrap().child_element_count(), head_before);
}

#[wasm_bindgen_test]
async fn set_attribute_switches_language_theme_and_widget_attributes() {
    let (_el, root, h) = mount_hello(&[("lang", "en")]);
    tick().await;
    h.set_attribute("lang", Some("nl".into()));
    h.set_attribute("theme", Some("auto".into()));
    h.set_attribute("limit", Some("7".into()));
    tick().await;
    assert_eq!(text(&root, ".hello"), "Hallo 7");
    let r = q(&root, ".km-root").unwrap();
    assert_eq!(r.get_attribute("lang").as_deref(), Some("nl"));
    assert_eq!(r.get_attribute("data-theme").as_deref(), Some("auto"));
    h.set_attribute("limit", None);
    tick().await;
    assert_eq!(text(&root, ".hello"), "Hallo ");
}

#[wasm_bindgen_test]
async fn two_mounts_are_independent_and_unmount_removes_content() {
    let (_a, root_a, mut ha) = mount_hello(&[("lang", "en")]);
    let (_b, root_b, hb) = mount_hello(&[("lang", "nl")]);
    tick().await;
    assert_eq!(text(&root_a, ".hello"), "Hello ");
    assert_eq!(text(&root_b, ".hello"), "Hallo ");
    hb.set_attribute("lang", Some("en".into()));
    tick().await;
    assert_eq!(text(&root_a, ".hello"), "Hello ");
    ha.unmount();
    tick().await;
    assert_eq!(root_a.child_element_count(), 0);
    assert_eq!(root_a.adopted_style_sheets().length(), 0);
    // A late attribute change after unmount is ignored, not a panic.
    ha.set_attribute("lang", Some("nl".into()));
    ha.unmount();
    assert_eq!(text(&root_b, ".hello"), "Hello ");
}

#[wasm_bindgen_test]
fn unknown_options_fall_back_without_panicking() {
    let (_el, root) = host();
    // Not an object at all: defaults.
    let h = mount_widget(&HELLO, _el.clone(), root, &JsValue::from_f64(3.0));
    assert!(h.is_ok());
}

fn markdown_view() -> AnyView {
    let src = "Hi <script>alert(1)</script> **bold** [bad](javascript:alert(1)) [good](https://intranet.example/x)\n\n- one\n- two";
    view! { <Markdown source=src.to_owned()/> }.into_any()
}

#[wasm_bindgen_test]
async fn markdown_renders_html_as_text_and_unsafe_links_inert() {
    let (el, root) = host();
    let spec = WidgetSpec {
        kind: "md",
        css: "",
        view: markdown_view,
    };
    let _h = mount_widget(&spec, el, root.clone(), &attrs(&[])).unwrap();
    tick().await;
    assert!(q(&root, "script").is_none(), "no script element");
    assert!(text(&root, ".km-md").contains("<script>alert(1)</script>"));
    assert_eq!(text(&root, ".km-md strong"), "bold");
    let links = root.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1);
    let a: web_sys::Element = links.item(0).unwrap().unchecked_into();
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://intranet.example/x")
    );
    assert_eq!(root.query_selector_all(".km-md li").unwrap().length(), 2);
}

fn error_view() -> AnyView {
    let clicks = RwSignal::new(0);
    view! {
        <ErrorState
            error=ApiError::Problem(km_protocol::Problem::new(404, "Not Found").with_detail("No such question"))
            on_retry=Callback::new(move |_| clicks.update(|n| *n += 1))
        />
        <output class="clicks">{move || clicks.get()}</output>
    }
    .into_any()
}

#[wasm_bindgen_test]
async fn error_state_shows_localized_title_detail_and_a_working_retry() {
    let (el, root) = host();
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::<JsValue>::new()));
    let s2 = seen.clone();
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            s2.borrow_mut().push(e.detail());
        });
    el.add_event_listener_with_callback("km-error", listener.as_ref().unchecked_ref())
        .unwrap();
    let spec = WidgetSpec {
        kind: "err",
        css: "",
        view: error_view,
    };
    let h = mount_widget(&spec, el, root.clone(), &attrs(&[("lang", "nl")])).unwrap();
    tick().await;
    assert_eq!(text(&root, ".km-error-title"), "Dit is niet gevonden.");
    assert_eq!(text(&root, ".km-error-detail"), "No such question");
    let btn: HtmlElement = q(&root, ".km-error button").unwrap().unchecked_into();
    assert_eq!(btn.text_content().as_deref(), Some("Opnieuw proberen"));
    btn.click();
    tick().await;
    assert_eq!(text(&root, ".clicks"), "1");
    assert_eq!(seen.borrow().len(), 1, "one km-error event");
    let status = js_sys::Reflect::get(&seen.borrow()[0], &"status".into()).unwrap();
    assert_eq!(status.as_f64(), Some(404.0));
    assert!(text(&root, "[aria-live=polite]").contains("Dit is niet gevonden."));
    h.set_attribute("lang", Some("en".into()));
    tick().await;
    assert_eq!(text(&root, ".km-error-title"), "This could not be found.");
    drop(listener);
}

fn picker_view() -> AnyView {
    let tags = RwSignal::new(vec!["Rust".to_owned()]);
    view! {
        <TagPicker tags=tags/>
        <output class="tags">{move || tags.get().join("|")}</output>
    }
    .into_any()
}

fn key(target: &web_sys::Element, k: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(k);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

fn type_text(input: &web_sys::HtmlInputElement, s: &str) {
    input.set_value(s);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn tag_picker_is_a_keyboard_combobox() {
    let (el, root) = host();
    let spec = WidgetSpec {
        kind: "picker",
        css: "",
        view: picker_view,
    };
    let _h = mount_widget(
        &spec,
        el,
        root.clone(),
        // No server here: suggestions fail quietly, new tags still work.
        &attrs(&[("api", "http://127.0.0.1:9/api/v1")]),
    )
    .unwrap();
    tick().await;
    let input: web_sys::HtmlInputElement =
        q(&root, "input[role=combobox]").unwrap().unchecked_into();
    let listbox = q(&root, "[role=listbox]").unwrap();
    assert_eq!(
        input.get_attribute("aria-controls"),
        listbox.get_attribute("id")
    );
    let label = q(&root, "label").unwrap();
    assert_eq!(label.get_attribute("for"), Some(input.id()));
    assert_eq!(text(&root, ".tags"), "Rust");

    type_text(&input, "Design");
    tick().await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    key(&input, "ArrowDown");
    tick().await;
    let active = input
        .get_attribute("aria-activedescendant")
        .expect("an active option");
    let opt = root
        .get_element_by_id(&active)
        .expect("active option exists");
    assert_eq!(opt.get_attribute("aria-selected").as_deref(), Some("true"));
    assert!(opt.text_content().unwrap().contains("Design"));
    key(&input, "Escape");
    tick().await;
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    key(&input, "Enter");
    tick().await;
    assert_eq!(text(&root, ".tags"), "Rust|Design");
    assert_eq!(input.value(), "");
    assert_eq!(root.query_selector_all("[part~=chip]").unwrap().length(), 2);
    key(&input, "Backspace");
    tick().await;
    assert_eq!(text(&root, ".tags"), "Rust");
    assert!(text(&root, "[aria-live=polite]").contains("Design"));
    // A chip's remove button has a label naming the tag.
    let remove = q(&root, "[part~=chip] button").unwrap();
    assert_eq!(
        remove.get_attribute("aria-label").as_deref(),
        Some("Remove Rust")
    );
}

fn draft_view() -> AnyView {
    let d = use_draft("body");
    let restored = d.restored;
    view! {
        <textarea class="body" prop:value=move || d.value.get()
            on:input=move |ev| d.value.set(event_target_value(&ev))></textarea>
        <span class="restored">{restored.to_string()}</span>
    }
    .into_any()
}

#[wasm_bindgen_test]
async fn drafts_are_saved_while_typing_and_restored_on_the_next_mount() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let key = "km:draft:v1:drafty:team-a:-:body";
    storage.remove_item(key).unwrap();
    let spec = WidgetSpec {
        kind: "drafty",
        css: "",
        view: draft_view,
    };
    let (el, root) = host();
    let mut h = mount_widget(&spec, el, root.clone(), &attrs(&[("community", "team-a")])).unwrap();
    tick().await;
    assert_eq!(text(&root, ".restored"), "false");
    let ta: web_sys::HtmlTextAreaElement = q(&root, ".body").unwrap().unchecked_into();
    ta.set_value("Half a thought");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    ta.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    tick().await;
    assert_eq!(
        storage.get_item(key).unwrap().as_deref(),
        Some("\"Half a thought\"")
    );
    h.unmount();

    // "Reload": a new mount restores the text.
    let (el2, root2) = host();
    let _h2 = mount_widget(
        &spec,
        el2,
        root2.clone(),
        &attrs(&[("community", "team-a")]),
    )
    .unwrap();
    tick().await;
    let ta2: web_sys::HtmlTextAreaElement = q(&root2, ".body").unwrap().unchecked_into();
    assert_eq!(ta2.value(), "Half a thought");
    assert_eq!(text(&root2, ".restored"), "true");
    storage.remove_item(key).unwrap();
}

thread_local! {
    static CURSORS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Five items in pages of two, three and one, the next pages from a canned
/// "server" that records the cursors it was asked for.
fn paged_view() -> AnyView {
    use km_protocol::Page;
    use km_widgets_core::ui::Paged;
    let page = |items: &[&str], next: Option<&str>| Page {
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        next_cursor: next.map(str::to_owned),
    };
    let paged = Paged::new(page(&["a", "b"], Some("c1")));
    view! {
        <ul part="list">
            <For each=move || paged.items.get() key=|s| s.clone() children=|s| view! { <li>{s}</li> }/>
        </ul>
        {paged.more_button(move |_api, cursor| async move {
            CURSORS.with(|c| c.borrow_mut().push(cursor.clone()));
            gloo_timers_sleep(20).await;
            Ok(match cursor.as_str() {
                "c1" => page(&["c", "d", "e"], Some("c2")),
                _ => page(&["f"], None),
            })
        })}
    }
    .into_any()
}

#[wasm_bindgen_test]
async fn show_more_appends_the_next_pages_says_so_and_focuses_the_first_new_item() {
    let (_el, root) = host();
    let spec = WidgetSpec {
        kind: "paged",
        css: "",
        view: paged_view,
    };
    let _h = mount_widget(&spec, _el.clone(), root.clone(), &attrs(&[("lang", "nl")])).unwrap();
    tick().await;
    let items = |root: &ShadowRoot| -> Vec<String> {
        let list = root.query_selector_all("li").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i).and_then(|n| n.text_content()))
            .collect()
    };
    assert_eq!(items(&root), ["a", "b"]);
    let button = || q(&root, "[part~=more]").map(|b| b.unchecked_into::<HtmlElement>());
    assert_eq!(button().unwrap().text_content().unwrap(), "Meer tonen");

    button().unwrap().click();
    // A second click while the page loads asks for nothing more.
    button().unwrap().click();
    wait_for("the second page", || items(&root).len() == 5).await;
    assert_eq!(items(&root), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        text(&root, "[part~=live]").trim_end_matches('\u{a0}'),
        "3 extra getoond"
    );
    let focused = root.active_element().expect("the focus moved");
    assert_eq!(focused.text_content().unwrap(), "c", "the first new item");

    button().unwrap().click();
    wait_for("the last page", || items(&root).len() == 6).await;
    assert_eq!(items(&root), ["a", "b", "c", "d", "e", "f"]);
    assert!(button().is_none(), "no more pages: no button");
    assert_eq!(root.active_element().unwrap().text_content().unwrap(), "f");
    assert_eq!(CURSORS.with(|c| c.borrow().clone()), ["c1", "c2"]);
}

// LazyPart: a part whose code arrives later (a chunk in the split build).

thread_local! {
    /// Calls of `flaky_part` so far (only its test uses it).
    static FLAKY_CALLS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn the_part() -> AnyView {
    view! { <p class="part">"The part"</p> }.into_any()
}

/// The code of a part that arrives after 50 ms.
async fn slow_part() -> Result<fn() -> AnyView, ()> {
    gloo_timers_sleep(50).await;
    Ok(the_part)
}

/// The code of a part that does not arrive the first time, then does.
async fn flaky_part() -> Result<fn() -> AnyView, ()> {
    gloo_timers_sleep(50).await;
    let call = FLAKY_CALLS.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    if call == 1 { Err(()) } else { Ok(the_part) }
}

fn lazy_view() -> AnyView {
    view! { <km_widgets_core::LazyPart load=slow_part render={|f: fn() -> AnyView| f()}/> }
        .into_any()
}

fn flaky_lazy_view() -> AnyView {
    view! { <km_widgets_core::LazyPart load=flaky_part render={|f: fn() -> AnyView| f()}/> }
        .into_any()
}

fn silent_lazy_view() -> AnyView {
    view! { <km_widgets_core::LazyPart load=slow_part render={|f: fn() -> AnyView| f()} silent=true/> }
        .into_any()
}

fn mount_view(view: fn() -> AnyView, lang: &str) -> (ShadowRoot, MountHandle) {
    let (el, root) = host();
    let spec = WidgetSpec {
        kind: "lazy",
        css: "",
        view,
    };
    let h = mount_widget(&spec, el, root.clone(), &attrs(&[("lang", lang)])).unwrap();
    (root, h)
}

#[wasm_bindgen_test]
async fn a_lazy_part_shows_a_polite_placeholder_until_its_code_arrives() {
    let (root, _h) = mount_view(lazy_view, "nl");
    tick().await;
    let placeholder = q(&root, "[part=loading]").expect("placeholder while the code arrives");
    assert_eq!(placeholder.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(text(&root, "[part=loading]"), "Openen…");
    assert!(q(&root, ".part").is_none());
    wait_for("the part", || q(&root, ".part").is_some()).await;
    assert!(q(&root, "[part=loading]").is_none(), "the placeholder goes");
    assert_eq!(text(&root, ".part"), "The part");
}

#[wasm_bindgen_test]
async fn a_lazy_part_whose_code_did_not_arrive_offers_try_again() {
    let (root, _h) = mount_view(flaky_lazy_view, "en");
    wait_for("the error", || q(&root, "[part=error]").is_some()).await;
    assert_eq!(
        q(&root, "[part=error]")
            .unwrap()
            .get_attribute("role")
            .as_deref(),
        Some("alert")
    );
    assert!(text(&root, "[part=error]").contains("could not be loaded"));
    let retry: HtmlElement = q(&root, "[part~=retry]").unwrap().unchecked_into();
    retry.click();
    wait_for("the part after Try again", || q(&root, ".part").is_some()).await;
    assert!(q(&root, "[part=error]").is_none());
}

#[wasm_bindgen_test]
async fn a_silent_lazy_part_shows_nothing_while_its_code_arrives() {
    let (root, _h) = mount_view(silent_lazy_view, "en");
    tick().await;
    assert!(q(&root, "[part=loading]").is_none());
    assert_eq!(text(&root, ".km-lazy"), "");
    wait_for("the part", || q(&root, ".part").is_some()).await;
}

// The outbox keeps JSON as text (issue 12: no serde_json::Value in the
// wasm); the browser's JSON.parse now builds event details and reads the
// fields of a refused body.

#[wasm_bindgen_test]
fn a_sent_answer_becomes_the_same_object_in_an_event_detail() {
    use km_widgets_core::outbox::RawJson;
    let answer = RawJson(
        r#"{"id":"q1","title":"Wie weet \"waar\"?","votes":-3,"tags":["hr","onboarding"],"author":null,"solved":true}"#
            .into(),
    );
    let js = answer.to_js();
    let get = |k: &str| js_sys::Reflect::get(&js, &k.into()).unwrap();
    assert_eq!(get("id").as_string().as_deref(), Some("q1"));
    assert_eq!(
        get("title").as_string().as_deref(),
        Some("Wie weet \"waar\"?")
    );
    assert_eq!(get("votes").as_f64(), Some(-3.0));
    assert_eq!(get("solved").as_bool(), Some(true));
    assert!(get("author").is_null());
    let tags: Vec<String> = js_sys::Array::from(&get("tags"))
        .iter()
        .filter_map(|t| t.as_string())
        .collect();
    assert_eq!(tags, ["hr", "onboarding"]);
    // What the server did not send as JSON is null, as before.
    assert!(RawJson(String::new()).to_js().is_null());
    assert!(RawJson("<html>Bad gateway</html>".into()).to_js().is_null());
}

#[wasm_bindgen_test]
fn a_refused_body_gives_back_its_text_fields() {
    use km_widgets_core::outbox::RawJson;
    let body = RawJson(
        r#"{"title":"Où est le guide?","body":"Ligne 1\nLigne 2","tags":["hr"],"n":3}"#.into(),
    );
    assert_eq!(
        body.text_field("title").as_deref(),
        Some("Où est le guide?")
    );
    assert_eq!(body.text_field("body").as_deref(), Some("Ligne 1\nLigne 2"));
    assert_eq!(body.text_field("n"), None, "a number is not text");
    assert_eq!(body.text_field("tags"), None);
    assert_eq!(body.text_field("missing"), None);
    assert_eq!(RawJson("\"title\"".into()).text_field("title"), None);
    assert_eq!(RawJson("not json".into()).text_field("title"), None);
}

// Answers are parsed by the browser's JSON.parse and decoded with
// serde-wasm-bindgen in the wasm (issue 12); these are the decodes that
// the native tests check with serde_json.

#[wasm_bindgen_test]
fn an_answer_decodes_into_every_field_of_its_type() {
    use km_protocol::PersonSummary;
    use km_protocol::questions::{Answer, Question, Urgency};
    let q: km_protocol::Page<Question> = km_widgets_core::api::decode(
        r#"{"items":[{"id":"q1","title":"Wie weet \"waar\"?","tags":["hr","onboarding"],
            "urgency":"urgent","need_by":"2026-12-24","author":{"id":"u1","name":"Mia","department":null},
            "anonymous":false,"answer_count":1,"votes":-3,"solved":true,
            "created_at":"2026-12-01T10:00:00Z","body":"Line 1\nLine 2 \u00e9",
            "answers":[{"id":"a1","body":"Buddy","accepted":true,"votes":9007199254740991,
              "created_at":"2026-12-02T10:00:00Z","anonymous":true,"mine":true}],
            "edited_at":null,"hidden":true,"viewer":{"mine":true,"can_moderate":true},"extra":{"x":[1]}}],
          "next_cursor":"c2"}"#,
    )
    .unwrap();
    assert_eq!(q.next_cursor.as_deref(), Some("c2"));
    let q = &q.items[0];
    assert_eq!(q.summary.id, "q1");
    assert_eq!(q.summary.title, "Wie weet \"waar\"?");
    assert_eq!(q.summary.tags, ["hr", "onboarding"]);
    assert_eq!(q.summary.urgency, Urgency::Urgent);
    assert_eq!(q.summary.need_by.as_deref(), Some("2026-12-24"));
    assert_eq!(
        q.summary.author,
        Some(PersonSummary {
            id: "u1".into(),
            name: "Mia".into(),
            department: None
        })
    );
    assert_eq!((q.summary.answer_count, q.summary.votes), (1, -3));
    assert!(q.summary.solved && !q.summary.anonymous && q.hidden);
    assert_eq!(q.summary.duplicate_of, None);
    assert_eq!(q.body, "Line 1\nLine 2 é");
    assert_eq!(q.edited_at, None);
    assert!(q.viewer.mine && q.viewer.can_moderate && !q.viewer.following);
    assert_eq!(
        q.answers,
        [Answer {
            id: "a1".into(),
            body: "Buddy".into(),
            author: None,
            anonymous: true,
            accepted: true,
            votes: 9_007_199_254_740_991,
            created_at: "2026-12-02T10:00:00Z".into(),
            edited_at: None,
            my_vote: false,
            mine: true,
        }]
    );
}

#[wasm_bindgen_test]
fn fractions_empty_answers_and_wrong_shapes_decode_like_before() {
    use km_widgets_core::api::decode;
    assert_eq!(decode::<f64>("0.125"), Ok(0.125));
    assert_eq!(decode::<Vec<i64>>(" [1, -2, 3] "), Ok(vec![1, -2, 3]));
    // An empty 2xx body is `()`.
    assert_eq!(decode::<()>(""), Ok(()));
    assert_eq!(decode::<()>("null"), Ok(()));
    assert_eq!(decode::<Option<String>>("null"), Ok(None));
    // Not JSON, the wrong type, a missing required field, a fraction for
    // an integer: a decode error, never a panic or a made-up value.
    assert!(matches!(decode::<Vec<i64>>("{"), Err(ApiError::Decode(_))));
    assert!(matches!(
        decode::<Vec<i64>>("<html>"),
        Err(ApiError::Decode(_))
    ));
    assert!(matches!(decode::<String>("12"), Err(ApiError::Decode(_))));
    assert!(matches!(decode::<i64>("1.5"), Err(ApiError::Decode(_))));
    assert!(matches!(
        decode::<km_protocol::PersonSummary>(r#"{"id":"u1"}"#),
        Err(ApiError::Decode(_))
    ));
}

#[wasm_bindgen_test]
fn an_error_body_becomes_its_problem() {
    use km_widgets_core::api::problem_from;
    let p = problem_from(
        422,
        r#"{"type":"https://km-widgets.dev/problems/validation","title":"Invalid","status":422,
            "detail":"check the fields","errors":[{"field":"title","code":"too_short","message":"Too short","limit":10}],
            "retry_after":30}"#,
    );
    assert_eq!(p.kind, "https://km-widgets.dev/problems/validation");
    assert_eq!((p.title.as_str(), p.status), ("Invalid", 422));
    assert_eq!(p.detail.as_deref(), Some("check the fields"));
    assert_eq!(p.errors.len(), 1);
    assert_eq!(
        (
            p.errors[0].field.as_str(),
            p.errors[0].code.as_str(),
            p.errors[0].limit
        ),
        ("title", "too_short", Some(10))
    );
    assert_eq!(p.retry_after, Some(30));
    // Defaults, and bodies that are not problems.
    let p = problem_from(404, r#"{"title":"Not Found","status":0}"#);
    assert_eq!((p.kind.as_str(), p.status), ("about:blank", 404));
    let p = problem_from(502, "<html>Bad gateway</html>");
    assert_eq!((p.status, p.title.as_str()), (502, "HTTP 502"));
}

#[wasm_bindgen_test]
fn a_stored_queue_reads_and_writes_through_the_browser_json() {
    use km_widgets_core::HttpMethod;
    use km_widgets_core::outbox::{OutboxQueue, RawJson};
    // As serde_json stored it before issue 12 (bodies were Values).
    let stored = r#"{"entries":[{"id":"a","widget":"ask-the-community","community":"default","api":"https://km.example/api/v1","method":"Post","path":"/questions","body":{"title":"How do we \"onboard\"?","tags":["hr"],"n":1.5},"label":"How","attempts":2,"next_at_ms":5.0}]}"#;
    let q = OutboxQueue::parse(Some(stored));
    assert_eq!(q.entries.len(), 1);
    let e = &q.entries[0];
    assert_eq!(
        (e.id.as_str(), e.widget.as_str()),
        ("a", "ask-the-community")
    );
    assert_eq!(
        (e.community.as_str(), e.path.as_str()),
        ("default", "/questions")
    );
    assert_eq!(e.api, "https://km.example/api/v1");
    assert_eq!(e.method, HttpMethod::Post);
    assert_eq!(
        e.body,
        RawJson(r#"{"title":"How do we \"onboard\"?","tags":["hr"],"n":1.5}"#.into())
    );
    assert_eq!(
        (e.label.as_str(), e.attempts, e.next_at_ms),
        ("How", 2, 5.0)
    );
    // Written back: the body is JSON in the JSON (not a string), and it
    // reads back the same.
    let json = q.to_json();
    assert!(
        json.contains(r#""body":{"title":"How do we \"onboard\"?","tags":["hr"],"n":1.5}"#),
        "{json}"
    );
    assert_eq!(OutboxQueue::parse(Some(&json)), q);
    assert_eq!(OutboxQueue::parse(Some("not json")), OutboxQueue::default());
    assert_eq!(
        OutboxQueue::parse(Some(r#"{"entries":[{"id":"a"}]}"#)),
        OutboxQueue::default()
    );
}

#[wasm_bindgen_test]
fn values_are_written_as_the_json_serde_json_wrote() {
    // Request bodies, drafts and event details are made by
    // serde-wasm-bindgen and JSON.stringify in the browser (issue 12).
    use km_protocol::PersonSummary;
    use km_protocol::questions::Urgency;
    use km_widgets_core::events::to_js;
    use km_widgets_core::outbox::RawJson;
    #[derive(serde::Serialize)]
    struct Body {
        title: String,
        votes: i64,
        score: f64,
        need_by: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        edited_at: Option<String>,
        tags: Vec<String>,
        urgency: Urgency,
        author: PersonSummary,
        solved: bool,
    }
    let body = Body {
        title: "Wie \"weet\"\nwaar? é".into(),
        votes: -3,
        score: 0.5,
        need_by: None,
        edited_at: None,
        tags: vec!["hr".into(), "onboarding".into()],
        urgency: Urgency::Urgent,
        author: PersonSummary {
            id: "u1".into(),
            name: "Mia".into(),
            department: None,
        },
        solved: true,
    };
    assert_eq!(
        RawJson::of(&body).unwrap().0,
        r#"{"title":"Wie \"weet\"\nwaar? é","votes":-3,"score":0.5,"need_by":null,"tags":["hr","onboarding"],"urgency":"urgent","author":{"id":"u1","name":"Mia"},"solved":true}"#
    );
    let js = to_js(&body);
    let get = |k: &str| js_sys::Reflect::get(&js, &k.into()).unwrap();
    assert_eq!(
        get("title").as_string().as_deref(),
        Some("Wie \"weet\"\nwaar? é")
    );
    assert_eq!(get("votes").as_f64(), Some(-3.0));
    assert!(get("need_by").is_null());
    assert!(!js_sys::Reflect::has(&js, &"edited_at".into()).unwrap());
    assert_eq!(get("urgency").as_string().as_deref(), Some("urgent"));
    let author = get("author");
    assert_eq!(
        js_sys::Reflect::get(&author, &"name".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("Mia")
    );
    assert_eq!(js_sys::Array::from(&get("tags")).length(), 2);
}
