//! Helpers for the widgets' browser tests (feature `testing`, enabled only
//! in dev-dependencies, so none of this reaches the bundle): mounting a view
//! into a fresh shadow root, waiting on the browser's timer queue, and a
//! canned `window.fetch` so a whole widget runs without a server.

use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Poll, Waker};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::mount::{MountHandle, WidgetSpec, mount_widget};

/// A fresh `<div>` on the page with an open shadow root.
pub fn host() -> (HtmlElement, ShadowRoot) {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let el: HtmlElement = doc.create_element("div").expect("a div").unchecked_into();
    doc.body()
        .expect("a body")
        .append_child(&el)
        .expect("attached");
    let root = el
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .expect("a shadow root");
    (el, root)
}

/// A plain JS object of string attributes, as the loader passes them.
pub fn attrs(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o.into()
}

/// Mounts `view` as widget `kind` with `css` and `pairs` into a fresh host.
pub fn mount(
    kind: &'static str,
    css: &'static str,
    view: fn() -> AnyView,
    pairs: &[(&str, &str)],
) -> (HtmlElement, ShadowRoot, MountHandle) {
    let (el, root) = host();
    let spec = WidgetSpec { kind, css, view };
    let h = mount_widget(&spec, el.clone(), root.clone(), &attrs(pairs)).expect("mounted");
    (el, root, h)
}

/// Lets pending reactive work (effects, DOM updates) run.
pub async fn tick() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

/// Waits `ms` on the browser's timer queue (fetches and timers run meanwhile).
pub async fn sleep(ms: i32) {
    let state: Rc<RefCell<(bool, Option<Waker>)>> = Rc::new(RefCell::new((false, None)));
    let s2 = state.clone();
    let cb = Closure::once_into_js(move || {
        let mut s = s2.borrow_mut();
        s.0 = true;
        if let Some(w) = s.1.take() {
            w.wake();
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
    }
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

/// Polls `cond` every 20 ms until it holds; panics after 5 s naming `what`.
pub async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    wait_for_ms(what, 5_000, cond).await
}

/// Polls `cond` every 20 ms until it holds; panics after `ms` naming `what`.
pub async fn wait_for_ms(what: &str, ms: u32, cond: impl Fn() -> bool) {
    for _ in 0..ms.div_ceil(20) {
        if cond() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Types `value` into a text field or textarea and fires `input`, like a person.
pub fn type_into(el: &Element, value: &str) {
    if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    }
    fire(el, "input");
}

/// Dispatches a bubbling event named `name` on `target`.
pub fn fire(target: &web_sys::EventTarget, name: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(ev) = web_sys::Event::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&ev);
    }
}

/// Every element matching `selector` in `root`.
pub fn all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

/// The text of the first element matching `selector` ("" when none).
pub fn text_of(root: &ShadowRoot, selector: &str) -> String {
    all(root, selector).first().map(text).unwrap_or_default()
}

/// An element's text content.
pub fn text(e: &Element) -> String {
    e.text_content().unwrap_or_default()
}

/// A stubbed `window.fetch`; dropping it puts the browser's own back.
///
/// A failing test panics, and wasm aborts on panic without running `Drop`,
/// so [`stub_fetch`] also installs (once) a panic hook that restores the
/// browser's `fetch` before the previous hook reports the failure: the next
/// test never starts with another test's stub.
#[must_use = "the stub is removed when this guard is dropped"]
pub struct FetchStub(());

impl Drop for FetchStub {
    fn drop(&mut self) {
        restore_fetch();
    }
}

/// Replaces `window.fetch` with canned answers: the first route whose
/// needle occurs in the URL answers with its status and body (problem+json
/// for 4xx/5xx); unmatched URLs fail like a network error. Every request is
/// recorded as `"METHOD url"` for [`fetched`]. The browser's `fetch` comes
/// back when the returned guard is dropped, or when the test panics.
pub fn stub_fetch(routes: &[(&str, u16, &str)]) -> FetchStub {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_fetch();
            previous(info);
        }));
    });
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
         window.__kmFetched = [];
         window.__kmKeys = [];
         window.fetch = (input, init) => {
           const url = typeof input === 'string' ? input : input.url;
           const method = (init && init.method) || (typeof input === 'string' ? 'GET' : input.method);
           window.__kmFetched.push(method + ' ' + url);
           const headers = typeof input === 'string' ? new Headers((init && init.headers) || {}) : input.headers;
           window.__kmKeys.push(headers.get('Idempotency-Key') || '');
           const r = routes.find(([n]) => url.includes(n));
           if (!r) return Promise.reject(new TypeError('offline: ' + url));
           const type = r[1] < 300 ? 'application/json' : 'application/problem+json';
           return Promise.resolve(new Response(r[2], { status: r[1], headers: { 'content-type': type } }));
         };",
    );
    let _ = install.call1(&JsValue::NULL, &list);
    FetchStub(())
}

/// The requests made since [`stub_fetch`], as `"METHOD url"`.
pub fn fetched() -> Vec<String> {
    recorded("__kmFetched")
}

/// The `Idempotency-Key` of each request since [`stub_fetch`] (`""` when none).
pub fn idempotency_keys() -> Vec<String> {
    recorded("__kmKeys")
}

fn recorded(name: &str) -> Vec<String> {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &name.into()).ok())
        .filter(|v| v.is_object())
        .map(|v| {
            js_sys::Array::from(&v)
                .iter()
                .filter_map(|s| s.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Puts the browser's own `fetch` back.
pub fn restore_fetch() {
    let _ = js_sys::Function::new_no_args(
        "if (window.__kmRealFetch) window.fetch = window.__kmRealFetch;",
    )
    .call0(&JsValue::NULL);
}

/// Records the `km-*` events named in `names` dispatched on `el`, in order.
pub struct EventLog {
    /// `(event name, detail)` in dispatch order.
    pub seen: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listeners: Vec<Closure<dyn FnMut(web_sys::CustomEvent)>>,
}

impl EventLog {
    /// Starts listening on `el`.
    pub fn listen(el: &HtmlElement, names: &[&str]) -> Self {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let mut listeners = Vec::new();
        for name in names {
            let s = seen.clone();
            let l =
                Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                    s.borrow_mut().push((e.type_(), e.detail()));
                });
            let _ = el.add_event_listener_with_callback(name, l.as_ref().unchecked_ref());
            listeners.push(l);
        }
        EventLog {
            seen,
            _listeners: listeners,
        }
    }

    /// The names of the events seen so far.
    pub fn names(&self) -> Vec<String> {
        self.seen.borrow().iter().map(|(n, _)| n.clone()).collect()
    }
}
