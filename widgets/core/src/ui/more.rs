//! Lists loaded page by page: [`Paged`] keeps the items and the next
//! page's cursor; its "Show more" button fetches the next page, appends it,
//! says how many came and moves the focus to the first new item (keyboard
//! and screen-reader users go on where the new items start).

use std::future::Future;

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
    pub fn more_button<F, Fut>(self, fetch: F) -> impl IntoView
    where
        F: Fn(Api, String) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
    {
        let ctx = use_widget();
        let lang = ctx.config.lang;
        let row = NodeRef::<leptos::html::Div>::new();
        let more = Callback::new(move |_: ()| {
            let (Some(api), Some(cursor)) = (
                Api::from_config_untracked(&ctx.config),
                self.next.get_untracked(),
            ) else {
                return;
            };
            if self.busy.get_untracked() {
                return;
            }
            let shown = self.items.with_untracked(Vec::len);
            self.busy.set(true);
            let fetch = fetch.clone();
            leptos::task::spawn_local(async move {
                let result = fetch(api, cursor).await;
                if self.busy.try_set(false).is_some() {
                    return; // unmounted meanwhile
                }
                match result {
                    Ok(page) => {
                        let n = page.items.len();
                        self.items.update(|v| v.extend(page.items));
                        self.next.set(page.next_cursor);
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
        });
        view! {
            <div class="km-more-row" node_ref=row>
                {move || self.next.with(Option::is_some).then(|| view! {
                    <button type="button" class="km-btn km-btn-secondary km-more" part="button more"
                        aria-disabled=move || self.busy.get().then_some("true") on:click=move |_| more.run(())>
                        {move || t(lang.get(), CoreKey::ShowMore)}
                    </button>
                })}
            </div>
        }
    }
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
