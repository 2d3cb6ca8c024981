//! Code that arrives on first use: [`lazy_fn!`](crate::lazy_fn) and
//! [`LazyPart`].
//!
//! In the split build (`cargo xtask dist` turns on this crate's `split`
//! feature and links with `--emit-relocs`), a function declared with
//! `lazy_fn!` and everything only it reaches is cut out of the main wasm
//! module into a chunk of its own (Leptos's `wasm_split` tooling; see
//! docs/PERFORMANCE.md, "Code splitting"); calling it fetches the chunk
//! once. Without the feature (the widget crates' browser tests, the Trunk
//! playground) it is a plain `async fn` and everything stays in one module.
//!
//! A lazy function returns something small and `Copy` (a `WidgetSpec`, a
//! `fn` pointer into the chunk) so the view is built later, synchronously,
//! inside the right reactive owner.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{CoreKey, tr};
use crate::mount::use_widget;

/// A chunk that could not be fetched or instantiated (details go to the
/// console). Not cached: calling the lazy function again retries.
pub type LoadError = leptos::wasm_split::SplitLoaderError;

/// Declares `async fn name() -> Result<T, LoadError>` whose body lives in
/// the chunk `chunk` in the split build.
///
/// ```ignore
/// km_widgets_core::lazy_fn! {
///     story_board_form;
///     /// The submit form, fetched when it is first shown.
///     pub fn form_part() -> fn(Board) -> AnyView {
///         |board| view! { <SubmitForm board=board/> }.into_any()
///     }
/// }
/// ```
///
/// Functions naming the same `chunk` share it; chunk names are global to
/// the bundle (prefix them with the widget's name). Code that two chunks
/// share goes into a third that both load.
#[cfg(feature = "split")]
#[macro_export]
macro_rules! lazy_fn {
    (
        $chunk:ident;
        $(#[$meta:meta])*
        $vis:vis fn $name:ident() -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name() -> ::core::result::Result<$ret, $crate::lazy::LoadError> {
            // A typed `let` coerces closures to the `fn` pointers they return.
            let value: $ret = $body;
            ::core::result::Result::Ok(value)
        }
    };
}

/// Declares `async fn name() -> Result<T, LoadError>`; without the `split`
/// feature the body stays in the one module and never fails.
#[cfg(not(feature = "split"))]
#[macro_export]
macro_rules! lazy_fn {
    (
        $chunk:ident;
        $(#[$meta:meta])*
        $vis:vis fn $name:ident() -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        $vis async fn $name() -> ::core::result::Result<$ret, $crate::lazy::LoadError> {
            let value: $ret = $body;
            ::core::result::Result::Ok(value)
        }
    };
}

/// Where a lazy part is.
#[derive(Clone, Copy)]
enum Part<T> {
    Loading,
    Ready(T),
    Failed,
}

/// A part of a widget whose code arrives on first use: a small
/// placeholder (`part="loading"`, announced politely by its
/// `role="status"`, or nothing when `silent`) while the chunk is fetched,
/// then the part itself; when the chunk cannot be fetched, a message with a
/// Try again button.
///
/// Once loaded a part shows at once, without a placeholder, the next time
/// (and offline): the chunk stays instantiated for the page's life. In the
/// unsplit build the part is there in the first render, as before.
#[component]
pub fn LazyPart<L, Fut, T, E, R, V>(
    /// Fetches the part's code: a function declared with
    /// [`lazy_fn!`](crate::lazy_fn).
    load: L,
    /// Builds the part's view from what `load` returned.
    render: R,
    /// The person opened the part just now (a click): once it is shown,
    /// focus moves to its first field or button, unless it went somewhere
    /// else meanwhile. Default: false (the part is simply there).
    #[prop(optional)]
    focus: bool,
    /// No placeholder text while the code arrives (for small tools that
    /// appear beside content, where "Opening…" would be noise). Default:
    /// false.
    #[prop(optional)]
    silent: bool,
) -> impl IntoView
where
    L: Fn() -> Fut + Copy + Send + Sync + 'static,
    // `E` is `LoadError` for a `lazy_fn!`; generic so tests can fail a load.
    Fut: Future<Output = Result<T, E>> + 'static,
    E: 'static,
    T: Copy + Send + Sync + 'static,
    R: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let lang = use_widget().config.lang;
    let state = RwSignal::new(Part::<T>::Loading);
    let opener = focus.then(active_element).flatten();
    let container = NodeRef::<leptos::html::Div>::new();
    let settle = move |r: Result<T, E>| match r {
        Ok(t) => Part::Ready(t),
        Err(_) => Part::Failed,
    };
    let fetch = move || {
        // Polled once at once: code already here (loaded before, or the
        // unsplit build) renders in this pass, with no placeholder flash.
        let mut pending = Box::pin(load());
        if let Poll::Ready(r) = pending
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            state.set(settle(r));
            return;
        }
        state.set(Part::Loading);
        leptos::task::spawn_local(async move {
            let next = settle(pending.await);
            state.try_set(next);
        });
    };
    fetch();
    if focus {
        Effect::new(move |_| {
            if matches!(state.get(), Part::Ready(_)) {
                // After the part's nodes are in the document.
                let opener = opener.clone();
                request_animation_frame(move || focus_into(container, opener));
            }
        });
    }
    view! {
        <div class="km-lazy" node_ref=container>
            {move || match state.get() {
                Part::Ready(t) => render(t).into_any(),
                Part::Loading if silent => ().into_any(),
                Part::Loading => view! {
                    <p class="km-state" part="loading" role="status">
                        <span class="km-spinner" aria-hidden="true"></span>
                        {tr(lang, CoreKey::PartLoading)}
                    </p>
                }
                .into_any(),
                Part::Failed => view! {
                    <div class="km-error" part="error" role="alert">
                        <p class="km-error-title">{tr(lang, CoreKey::PartFailed)}</p>
                        <button type="button" class="km-btn km-btn-secondary" part="button retry"
                            on:click=move |_| fetch()>
                            {tr(lang, CoreKey::Retry)}
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}

/// The focused element, looking through open shadow roots.
fn active_element() -> Option<web_sys::Element> {
    let mut el = web_sys::window()?.document()?.active_element()?;
    while let Some(inner) = el.shadow_root().and_then(|r| r.active_element()) {
        el = inner;
    }
    Some(el)
}

/// Focuses the first field or button in `container` when focus is still
/// where the person opened the part (or nowhere, or in the placeholder).
fn focus_into(container: NodeRef<leptos::html::Div>, opener: Option<web_sys::Element>) {
    let Some(root) = container.get_untracked() else {
        return;
    };
    let now = active_element();
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .map(|b| b.unchecked_into::<web_sys::Element>());
    let stayed = match &now {
        None => true,
        Some(el) => {
            Some(el) == opener.as_ref() || Some(el) == body.as_ref() || root.contains(Some(el))
        }
    };
    if !stayed {
        return;
    }
    const FOCUSABLE: &str = "input:not([type=hidden]):not([disabled]), textarea:not([disabled]), \
        select:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";
    if let Ok(Some(first)) = root.query_selector(FOCUSABLE)
        && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = first.focus();
    }
}
