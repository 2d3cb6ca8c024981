//! Loading, empty and error states, and [`async_view`], which picks one of
//! them (or the data view) for a resource and fires `km-ready`/`km-error`.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::ApiError;
use crate::i18n::{CoreKey, fill, t, tr};
use crate::mount::{WidgetContext, use_widget};

/// "Loading…" with a spinner (`part="loading"`, `role="status"`).
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_widget().config.lang;
    view! {
        <p class="km-state" part="loading" role="status">
            <span class="km-spinner" aria-hidden="true"></span>
            {tr(lang, CoreKey::Loading)}
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

/// A short note that is not an error (`part="note"`), such as "Sign in to
/// add your passions".
#[component]
pub fn Note(
    /// The note's text (reactive, so it follows the widget's language).
    #[prop(into)]
    message: Signal<String>,
) -> impl IntoView {
    view! { <p class="km-note" part="note">{move || message.get()}</p> }
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
    report_error(ctx, &error);
    let detail = error.detail().filter(|d| !d.trim().is_empty());
    let title_err = error.clone();
    view! {
        <div class="km-error" part="error" role="alert">
            <p class="km-error-title">{move || title_err.message(lang.get())}</p>
            {detail.map(|d| view! { <p class="km-error-detail">{d}</p> })}
            {on_retry.map(|cb| view! {
                <button type="button" class="km-btn km-btn-secondary" part="button retry"
                    on:click=move |_| cb.run(())>
                    {tr(lang, CoreKey::Retry)}
                </button>
            })}
        </div>
    }
}

/// Fires `km-error {widget, status, title, detail}` on `ctx`'s host and
/// announces the error politely. The context is passed, not looked up:
/// errors mostly arrive in async tasks and outbox callbacks, which run
/// outside the component's reactive owner, where `use_widget()` finds no
/// widget (the event and the announcement would go nowhere).
pub fn report_error(ctx: WidgetContext, error: &ApiError) {
    let lang = ctx.config.lang.get_untracked();
    let title = error.message(lang);
    let raw_title = error
        .problem()
        .map(|p| p.title.clone())
        .unwrap_or_else(|| title.clone());
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
    // Posting quickly is no failure: said as it is, without "Error:".
    let said = match error.retry_after_secs() {
        Some(_) => title,
        None => fill(t(lang, CoreKey::ErrorAnnounce), &[("message", &title)]),
    };
    ctx.announcer.say(said);
}

/// Renders a resource: [`Loading`] while pending, [`ErrorState`] with Retry
/// (refetching the resource) on error, else `render(data)`. Fires
/// `km-ready` once per widget, when data first rendered.
pub fn async_view<T, V, F>(resource: LocalResource<Result<T, ApiError>>, render: F) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    async_view_inner(resource, None::<fn() -> AnyView>, render)
}

/// Like [`async_view`], but a 401 (no identity) renders `signed_out()`
/// instead of an error: for screens where signing in is a normal state, not
/// a failure. The signed-out view counts as ready and fires no `km-error`.
pub fn async_view_or_signed_out<T, V, F, S, W>(
    resource: LocalResource<Result<T, ApiError>>,
    signed_out: S,
    render: F,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    S: Fn() -> W + Send + Sync + 'static,
    W: IntoView + 'static,
{
    async_view_inner(resource, Some(signed_out), render)
}

/// Whether an error means "nobody is signed in".
pub fn is_signed_out(error: &ApiError) -> bool {
    error.status() == 401
}

fn async_view_inner<T, V, F, S, W>(
    resource: LocalResource<Result<T, ApiError>>,
    signed_out: Option<S>,
    render: F,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    S: Fn() -> W + Send + Sync + 'static,
    W: IntoView + 'static,
{
    let ctx = use_widget();
    let handles_401 = signed_out.is_some();
    Effect::new(move |_| {
        let ready = resource.with(|r| match r {
            Some(Ok(_)) => true,
            Some(Err(e)) => handles_401 && is_signed_out(e),
            None => false,
        });
        if ready {
            ctx.mark_ready();
        }
    });
    let retry = Callback::new(move |_: ()| resource.refetch());
    move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => match &signed_out {
            Some(s) if is_signed_out(&e) => s().into_any(),
            _ => view! { <ErrorState error=e on_retry=retry/> }.into_any(),
        },
        Some(Ok(data)) => render(data).into_any(),
    }
}
