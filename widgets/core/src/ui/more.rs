//! Lists loaded page by page: [`Paged`] keeps the items and the next
//! page's cursor; its "Show more" button fetches the next page, appends it,
//! says how many came and moves the focus to the first new item (keyboard
//! and screen-reader users go on where the new items start).

use std::future::Future;
use std::pin::Pin;

use km_protocol::Page;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{CoreKey, fill, t};
use crate::ui::report_error;
use crate::{Api, ApiError, use_widget};

/// A list shown page by page.
#[derive(Debug)]
pub struct Paged<T: 'static> {
    /// The items shown.
    pub items: RwSignal<Vec<T>>,
    /// The cursor of the next page; `None` when the last page is shown.
    pub next: RwSignal<Option<String>>,
    /// Whether the next page is loading.
    pub busy: RwSignal<bool>,
}

impl<T> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// The first page.
    pub fn new(first: Page<T>) -> Self {
        Paged {
            items: RwSignal::new(first.items),
            next: RwSignal::new(first.next_cursor),
            busy: RwSignal::new(false),
        }
    }

    /// "Show more" under the list (place it right after the list's
    /// element, whose children are the items): `fetch(api, cursor)` loads
    /// the next page. Shown while there is one.
    pub fn more_button<F, Fut>(self, fetch: F) -> AnyView
    where
        F: Fn(Api, String) -> Fut + 'static,
        Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
    {
        let Paged { items, next, busy } = self;
        // Only this part knows `T`; the button, the focus and the words are
        // one copy for every list (the bundle is measured).
        let load: LoadPage = Box::new(move |api, cursor| {
            let page = fetch(api, cursor);
            Box::pin(async move {
                let page = page.await?;
                let shown = items.try_with_untracked(Vec::len).unwrap_or(0);
                let n = page.items.len();
                items.try_update(|v| v.extend(page.items));
                next.try_set(page.next_cursor);
                Ok((shown, n))
            })
        });
        more_row(next, busy, StoredValue::new_local(load))
    }
}

/// Loads the page after a cursor and appends it: (items shown before, items added).
type LoadPage =
    Box<dyn Fn(Api, String) -> Pin<Box<dyn Future<Output = Result<(usize, usize), ApiError>>>>>;

/// The row under a paged list: its "Show more" button while there is a
/// next page.
fn more_row(
    next: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    load: StoredValue<LoadPage, LocalStorage>,
) -> AnyView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let row = NodeRef::<leptos::html::Div>::new();
    let more = move |_| {
        let (Some(api), Some(cursor)) = (
            Api::from_config_untracked(&ctx.config),
            next.get_untracked(),
        ) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let Some(page) = load.try_with_value(|load| load(api, cursor)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let result = page.await;
            if busy.try_set(false).is_some() {
                return; // unmounted meanwhile
            }
            match result {
                Ok((shown, n)) => {
                    ctx.announcer.say(fill(
                        t(lang.get_untracked(), CoreKey::MoreShown),
                        &[("n", &n.to_string())],
                    ));
                    if n > 0 {
                        // Once drawn: the list is the row's previous
                        // sibling (it may have been drawn anew).
                        request_animation_frame(move || {
                            if let Some(list) = row
                                .try_get_untracked()
                                .flatten()
                                .and_then(|r| r.previous_element_sibling())
                            {
                                focus_item(&list, shown);
                            }
                        });
                    }
                }
                Err(e) => report_error(ctx, &e),
            }
        });
    };
    view! {
        <div class="km-more-row" node_ref=row>
            {move || next.with(Option::is_some).then(|| view! {
                <button type="button" class="km-btn km-btn-secondary km-more" part="button more"
                    aria-disabled=move || busy.get().then_some("true") on:click=more>
                    {move || t(lang.get(), CoreKey::ShowMore)}
                </button>
            })}
        </div>
    }
    .into_any()
}

/// Focuses the `index`th child of `list` (made focusable by script only:
/// a screen reader reads the whole item; Tab goes on from there).
fn focus_item(list: &web_sys::Element, index: usize) {
    let Some(item) = list.children().item(index as u32) else {
        return;
    };
    let _ = item.set_attribute("tabindex", "-1");
    if let Ok(el) = item.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}
