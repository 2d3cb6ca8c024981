//! Loading, empty and error states, and [`async_view`], which picks one of
//! them (or the data view) for a resource and fires `km-ready`/`km-error`.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::ApiError;
use crate::i18n::{CoreKey, fill, t};
use crate::mount::use_widget;

/// "Loading…" with a spinner (`part="loading"`, `role="status"`).
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_widget().config.lang;
    view! {
        <p class="km-state" part="loading" role="status">
            <span class="km-spinner" aria-hidden="true"></span>
            {move || t(lang.get(), CoreKey::Loading)}
        </p>
    }
}

/// An empty state (`part="empty"`).
#[component]
pub fn Empty(
    /// The message; default: the core "Nothing here yet."
    #[prop(optional, into)]
    message: Option<Signal<String>>,
) -> impl IntoView {
    let lang = use_widget().config.lang;
    view! {
        <p class="km-state" part="empty">
            {move || match message {
                Some(m) => m.get(),
                None => t(lang.get(), CoreKey::Empty).to_owned(),
            }}
        </p>
    }
}

/// An error with a localized title, the server's detail (if any) and a
/// Retry button (`part="error"`). Rendering it fires `km-error` on the host
/// and announces the error in the live region.
#[component]
pub fn ErrorState(
    /// What went wrong.
    error: ApiError,
    /// Called by the Retry button; no button when absent.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    report_error(&error);
    let detail = error.detail().filter(|d| !d.trim().is_empty());
    let title_err = error.clone();
    view! {
        <div class="km-error" part="error" role="alert">
            <p class="km-error-title">{move || title_err.title(lang.get())}</p>
            {detail.map(|d| view! { <p class="km-error-detail">{d}</p> })}
            {on_retry.map(|cb| view! {
                <button type="button" class="km-btn km-btn-secondary" part="button retry"
                    on:click=move |_| cb.run(())>
                    {move || t(lang.get(), CoreKey::Retry)}
                </button>
            })}
        </div>
    }
}

/// Fires `km-error {widget, status, title, detail}` on the host and
/// announces the error politely.
pub fn report_error(error: &ApiError) {
    let ctx = use_widget();
    let lang = ctx.config.lang.get_untracked();
    let title = error.title(lang);
    let raw_title = error
        .problem()
        .map(|p| p.title.clone())
        .unwrap_or_else(|| title.to_owned());
    let detail = match error {
        ApiError::Network(m) | ApiError::Decode(m) => Some(m.clone()),
        ApiError::Timeout => Some("timeout".to_owned()),
        ApiError::Problem(p) => p.detail.clone(),
    };
    ctx.emit(
        "km-error",
        &[
            ("status", JsValue::from_f64(f64::from(error.status()))),
            ("title", JsValue::from_str(&raw_title)),
            (
                "detail",
                detail
                    .map(|d| JsValue::from_str(&d))
                    .unwrap_or(JsValue::NULL),
            ),
        ],
    );
    ctx.announcer
        .say(fill(t(lang, CoreKey::ErrorAnnounce), &[("message", title)]));
}

/// Renders a resource: [`Loading`] while pending, [`ErrorState`] with Retry
/// (refetching the resource) on error, else `render(data)`. Fires
/// `km-ready` once, when data first rendered.
pub fn async_view<T, V, F>(resource: LocalResource<Result<T, ApiError>>, render: F) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let ctx = use_widget();
    let ready_sent = StoredValue::new(false);
    Effect::new(move |_| {
        let ok = resource.with(|r| matches!(r, Some(Ok(_))));
        if ok && !ready_sent.get_value() {
            ready_sent.set_value(true);
            ctx.emit("km-ready", &[]);
        }
    });
    let retry = Callback::new(move |_: ()| resource.refetch());
    move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorState error=e on_retry=retry/> }.into_any(),
        Some(Ok(data)) => render(data).into_any(),
    }
}
