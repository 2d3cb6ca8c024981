//! Mounting a widget into the shadow root the loader attached.
//!
//! `src/lib.rs` exports `mount(kind, host, root, attrs)`; it looks the kind
//! up among the [`WidgetSpec`]s loaded so far (each widget's `spec()`, a
//! `lazy_fn!`) and calls [`mount_widget`], which adopts
//! the stylesheets, creates the widget's [`WidgetConfig`] and
//! [`WidgetContext`], and mounts `<div class="km-root" part="root">` with the
//! widget's view inside. The returned [`MountHandle`] owns the reactive scope:
//! `unmount()` (or dropping it) removes the view and frees every signal.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

use crate::announce::{Announcer, LiveRegion};
use crate::config::{ConfigValues, WidgetConfig};
use crate::events;
use crate::theme;
use crate::ui::SessionBar;

/// One widget the bundle can mount.
#[derive(Clone, Copy)]
pub struct WidgetSpec {
    /// The kind name (`"story-board"`), as the loader passes it.
    pub kind: &'static str,
    /// The widget's own stylesheet, adopted after the core sheet.
    pub css: &'static str,
    /// Builds the widget's view (called inside its reactive owner).
    pub view: fn() -> AnyView,
}

/// What every component of a mounted widget can reach through context.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// The widget kind (`"ask-the-community"`).
    pub kind: &'static str,
    /// A page-unique number of this mount (used for element ids and drafts).
    pub instance: u32,
    /// The reactive configuration.
    pub config: WidgetConfig,
    /// The widget's polite live region.
    pub announcer: Announcer,
    host: StoredValue<Option<HtmlElement>, LocalStorage>,
    // Whether `km-ready` was fired: once per mount, however many lists the
    // widget loads.
    ready_sent: StoredValue<bool>,
}

impl WidgetContext {
    /// A new context (normally made by [`mount_widget`]; tests may make
    /// their own). Must run inside a reactive owner.
    pub fn new(kind: &'static str, values: ConfigValues, host: Option<HtmlElement>) -> Self {
        WidgetContext {
            kind,
            instance: next_instance(),
            config: WidgetConfig::new(values),
            announcer: Announcer::new(),
            host: StoredValue::new_local(host),
            ready_sent: StoredValue::new(false),
        }
    }

    /// Fires `km-ready` on the host, the first time only: a widget that
    /// loads two lists (or refetches) is ready once.
    pub fn mark_ready(&self) {
        if self.ready_sent.try_get_value() == Some(false) {
            self.ready_sent.set_value(true);
            self.emit("km-ready", &[]);
        }
    }

    /// Dispatches a `km-*` event on the host element (nothing when detached).
    pub fn emit(&self, name: &str, pairs: &[(&str, JsValue)]) {
        let mut all = vec![("widget", JsValue::from_str(self.kind))];
        all.extend(pairs.iter().cloned());
        let detail = events::detail(&all);
        self.host.try_with_value(|h| {
            if let Some(h) = h {
                events::dispatch(h, name, &detail);
            }
        });
    }

    /// The host element's `id` attribute, if any (used to tell drafts of two
    /// instances apart).
    pub fn host_id(&self) -> Option<String> {
        self.host
            .try_with_value(|h| h.as_ref().map(|h| h.id()))
            .flatten()
            .filter(|id| !id.is_empty())
    }

    /// Moves focus to the widget's first heading: for a view that changed
    /// under the person, such as signing in or out.
    pub fn focus_heading(&self) {
        self.focus_when_shown("h2, h3".to_owned(), None);
    }

    /// Moves focus to the first element of the widget matching `selector`
    /// as soon as it is rendered (a view that loads its data shows it a
    /// little later; after 5 s it gives up), for a view change: the
    /// element pressed is gone, and without this focus would fall to the
    /// page and the next Tab into another widget. Headings are made
    /// focusable by script only (`tabindex="-1"`). Focus the person put
    /// somewhere else meanwhile is left where it is. When `selector` never
    /// shows, the first match of `fallback` (if given) gets focus.
    pub fn focus_when_shown(&self, selector: String, fallback: Option<&'static str>) {
        let Some(host) = self.host.try_with_value(Clone::clone).flatten() else {
            return;
        };
        let tries = std::rc::Rc::new(Cell::new(0u32));
        let timer: std::rc::Rc<std::cell::RefCell<Option<gloo_timers::callback::Interval>>> =
            Default::default();
        let slot = timer.clone();
        *timer.borrow_mut() = Some(gloo_timers::callback::Interval::new(50, move || {
            let n = tries.get() + 1;
            tries.set(n);
            let document = host.owner_document();
            let active = document.as_ref().and_then(|d| d.active_element());
            let body = document.as_ref().and_then(|d| d.body());
            let free = match &active {
                None => true,
                Some(a) => {
                    body.as_ref().is_some_and(|b| b.is_same_node(Some(a)))
                        || (a.is_same_node(Some(&host))
                            && host
                                .shadow_root()
                                .and_then(|r| r.active_element())
                                .is_none())
                }
            };
            let find = |sel: &str| {
                host.shadow_root()
                    .and_then(|r| r.query_selector(sel).ok().flatten())
                    .and_then(|h| h.dyn_into::<HtmlElement>().ok())
            };
            let give_up = n >= 100;
            let target = find(&selector).or_else(|| fallback.filter(|_| give_up).and_then(find));
            match target {
                Some(el) if free => {
                    if el.tab_index() < 0 && !el.has_attribute("tabindex") {
                        let _ = el.set_attribute("tabindex", "-1");
                    }
                    let _ = el.focus();
                }
                None if free && !give_up => return,
                _ => {}
            }
            slot.borrow_mut().take();
        }));
    }

    /// A page-unique DOM id for an element of this widget (`km-3-title`).
    pub fn dom_id(&self, name: &str) -> String {
        format!("km-{}-{name}", self.instance)
    }
}

thread_local! {
    static NEXT_INSTANCE: Cell<u32> = const { Cell::new(1) };
}

fn next_instance() -> u32 {
    NEXT_INSTANCE.with(|n| {
        let v = n.get();
        n.set(v.wrapping_add(1));
        v
    })
}

/// The current widget's context.
///
/// # Panics
///
/// Outside a mounted widget (mount with [`mount_widget`], or
/// `testing::mount` in tests): a detached context would silently drop the
/// widget's `km-*` events.
pub fn use_widget() -> WidgetContext {
    use_context::<WidgetContext>().expect("use_widget() outside a mounted widget")
}

/// The widget root: `<div class="km-root" part="root" data-theme lang>`
/// around `children`, plus the live region. Provides nothing itself; the
/// context must be provided by the caller.
#[component]
pub fn WidgetRoot(
    /// The widget's context (kind, config, announcer).
    ctx: WidgetContext,
    /// The widget's view.
    children: Children,
) -> impl IntoView {
    let cfg = ctx.config;
    view! {
        <div
            class="km-root"
            part="root"
            data-widget=ctx.kind
            data-theme=move || cfg.theme.get().as_str()
            lang=move || cfg.lang.get().tag()
        >
            {children()}
            <SessionBar />
            <LiveRegion announcer=ctx.announcer />
        </div>
    }
}

/// The handle the loader keeps for one mounted widget.
#[wasm_bindgen]
pub struct MountHandle {
    config: Option<WidgetConfig>,
    root: ShadowRoot,
    // Dropping the unmount handle removes the view and disposes the owner.
    mounted: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl MountHandle {
    /// A live attribute change (`value` null = removed). Applies at once:
    /// `lang` re-renders strings, `theme` re-styles, `api` and `community`
    /// refetch. Ignored after `unmount()`.
    pub fn set_attribute(&self, name: &str, value: Option<String>) {
        if self.mounted.is_some()
            && let Some(cfg) = &self.config
        {
            cfg.set(name, value);
        }
    }

    /// Removes the view and frees its reactive scope. Calling it twice is harmless.
    pub fn unmount(&mut self) {
        self.config = None;
        if let Some(m) = self.mounted.take() {
            drop(m);
        }
        self.root.set_adopted_style_sheets(&js_sys::Array::new());
    }
}

impl Drop for MountHandle {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// Reads the loader's plain `attrs` object into config values: strings and
/// numbers are kept, `null`/`undefined` mean absent.
pub fn values_from_js(attrs: &JsValue) -> ConfigValues {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if attrs.is_object() {
        let entries = js_sys::Object::entries(attrs.unchecked_ref());
        for entry in entries.iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (k, v) = (pair.get(0), pair.get(1));
            let Some(k) = k.as_string() else { continue };
            let v = if let Some(s) = v.as_string() {
                s
            } else if let Some(n) = v.as_f64() {
                n.to_string()
            } else if let Some(b) = v.as_bool() {
                b.to_string()
            } else {
                continue;
            };
            pairs.push((k, v));
        }
    }
    ConfigValues::from_pairs(pairs)
}

/// Mounts `spec` into `root` (the open shadow root of `host`) with the
/// loader's resolved `attrs`. Errors are JS errors, never panics.
pub fn mount_widget(
    spec: &WidgetSpec,
    host: HtmlElement,
    root: ShadowRoot,
    attrs: &JsValue,
) -> Result<MountHandle, JsValue> {
    // Debug builds only: see `start` in the bundle crate (src/lib.rs).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    theme::adopt_styles(&root, spec.css)?;
    let values = values_from_js(attrs);
    let kind = spec.kind;
    let build = spec.view;
    let (tx, rx) = std::sync::mpsc::channel::<WidgetConfig>();
    let target: HtmlElement = root.clone().unchecked_into();
    let handle = leptos::mount::mount_to(target, move || {
        let ctx = WidgetContext::new(kind, values, Some(host));
        provide_context(ctx);
        let _ = tx.send(ctx.config);
        view! { <WidgetRoot ctx=ctx>{build()}</WidgetRoot> }
    });
    let config = rx.try_recv().ok();
    Ok(MountHandle {
        config,
        root,
        mounted: Some(Box::new(handle)),
    })
}

/// Raises a JS `Error` with `message` (for an unknown kind and the like).
pub fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}
