//! km-server: the reference backend of the km-widgets JSON contract.
//!
//! axum + sqlx over SQLite (default) or PostgreSQL. [`app`] builds the whole
//! router from an [`AppState`] (tests call it in-process); `main.rs` parses
//! the command line ([`Settings`]) and serves it. One module per resource
//! under [`http`], each with `pub fn router()`; SQL shared by resources
//! lives in [`store`], [`tag_vocabulary`], [`people`] and [`idempotency`].
//!
//! Run: `cargo run -p km-server -- --demo` (see `--help`). Tests: `cargo
//! test -p km-server` (unit tests, and the contract tests in
//! `tests/contract` on SQLite, and on PostgreSQL when
//! `KM_TEST_POSTGRES_URL` is set).

pub mod auth;
pub mod bundle;
pub mod claim_mapping;
pub mod db;
pub mod embed;
pub mod error;
pub mod extract;
pub mod http;
pub mod id_token;
pub mod idempotency;
pub mod impact;
pub mod logging;
pub mod match_index;
pub mod matching;
pub mod oidc;
pub mod openapi;
pub mod people;
pub mod prompt_library;
pub mod prompts;
pub mod rate_limit;
pub mod search;
pub mod seed;
pub mod serve;
pub mod settings;
pub mod sign_in;
pub mod store;
pub mod tag_vocabulary;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use settings::Settings;
pub use store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Verifies bearer tokens (None: the server accepts no tokens).
    pub verifier: Option<Arc<auth::Verifier>>,
    /// Whether reads may be anonymous.
    pub anonymous_reads: bool,
    /// Whether the demo endpoints are on.
    pub demo: bool,
    /// A static bearer token for a portal's back-end jobs (the reflection
    /// due list); None: only admins read it.
    pub service_token: Option<Arc<str>>,
    /// Per-person write limits ([`rate_limit`]).
    pub rate_limits: Arc<rate_limit::RateLimits>,
    /// Sign-in with the organization's OpenID provider and its sessions
    /// ([`sign_in`]); None: not offered.
    pub sign_in: Option<Arc<sign_in::SignIn>>,
}

/// Options of [`app`] that are not part of the state.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Origins allowed to call the API from a browser (`*` for any).
    pub allowed_origins: Vec<String>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Where the built bundle is (`dist/`), served under `/dist/`.
    pub dist_dir: Option<std::path::PathBuf>,
    /// Where the demo pages are (`www/`), served at `/` (demo only).
    pub www_dir: Option<std::path::PathBuf>,
    /// Who may frame `/embed/<widget>`: a CSP `frame-ancestors` source list
    /// ([`embed::frame_ancestors`]); empty: this origin only.
    pub frame_ancestors: String,
    /// How long answering one request may take, its body included (a 503
    /// problem after that); None: no limit.
    pub request_timeout: Option<std::time::Duration>,
    /// How many API reads (GET, HEAD) run at once; more wait their turn.
    /// None: on SQLite twice the cores, on PostgreSQL no limit; Some(0): no
    /// limit.
    pub max_concurrent_reads: Option<usize>,
}

/// The whole HTTP application.
pub fn app(state: AppState, opts: &AppOptions) -> Router {
    let mut api = http::router()
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit_writes,
        ))
        .layer(DefaultBodyLimit::max(opts.max_body_bytes.max(1024)));
    let reads = opts
        .max_concurrent_reads
        .unwrap_or(match state.store.backend() {
            store::Backend::Sqlite => {
                2 * std::thread::available_parallelism().map_or(2, |n| n.get())
            }
            store::Backend::Postgres => 0,
        });
    if reads > 0 {
        let gate = Arc::new(tokio::sync::Semaphore::new(reads));
        api = api.layer(axum::middleware::from_fn(move |req, next| {
            read_turn(gate.clone(), req, next)
        }));
    }
    let api = api.layer(cors(&opts.allowed_origins));
    let mut router = Router::new()
        .nest(km_protocol::API_PREFIX, api)
        .route("/api/openapi.json", axum::routing::get(openapi::serve))
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/readyz", axum::routing::get(ready))
        // The sign-in popup's pages (not API calls: no CORS, no read turns).
        .merge(http::sign_in::pages());
    if let Some(dist) = &opts.dist_dir {
        // Compressed copies by Accept-Encoding, immutable hashed files, a
        // revalidated loader ([`bundle`]).
        router = router.nest_service("/dist", bundle::router(dist));
        // One widget on a page of its own, for iframes ([`embed`]).
        let ancestors = if opts.frame_ancestors.is_empty() {
            "'self'".to_owned()
        } else {
            opts.frame_ancestors.clone()
        };
        router = router.merge(embed::router(ancestors));
    }
    if let Some(www) = &opts.www_dir {
        router = router.fallback_service(ServeDir::new(www).append_index_html_on_directories(true));
    }
    if let Some(limit) = opts.request_timeout {
        router = router.layer(axum::middleware::from_fn(move |req, next| {
            request_deadline(limit, req, next)
        }));
    }
    router
        // Every error leaves as problem+json, whoever produced it.
        .layer(axum::middleware::from_fn(error::problems_only))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Readiness (`/readyz`): 200 `ready` when the database answers and is
/// the one opened at start, else a 503 problem naming why. `/healthz` only
/// says the process serves HTTP.
async fn ready(
    axum::extract::State(st): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match st.store.ready().await {
        Ok(()) => "ready".into_response(),
        Err(why) => {
            tracing::error!(%why, "not ready");
            error::problem_response(&km_protocol::Problem::new(503, "Not ready").with_detail(why))
        }
    }
}

/// Lets an API read run when it is its turn (at most as many at once as the
/// gate has permits, first come first served); writes pass at once. On
/// SQLite, reads are CPU work in this process: without a turn, 64 readers
/// took the CPU from the one writer and writes fell to a few a second
/// (issue 10 item 13).
async fn read_turn(
    gate: Arc<tokio::sync::Semaphore>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let _turn = if read {
        gate.acquire().await.ok()
    } else {
        None
    };
    next.run(req).await
}

/// Answers a 503 problem when a request (reading its body included) takes
/// longer than `limit`, so a client that stalls mid-body does not hold a
/// handler, and maybe a database connection, for ever.
async fn request_deadline(
    limit: std::time::Duration,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let mut res = error::problem_response(
                &km_protocol::Problem::new(503, "Request took too long").with_detail(format!(
                    "the request was not complete within {} s",
                    limit.as_secs()
                )),
            );
            res.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            res
        }
    }
}

fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-km-community"),
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            HeaderName::from_static("idempotent-replayed"),
            header::RETRY_AFTER,
        ])
        .max_age(std::time::Duration::from_secs(600));
    if origins.iter().any(|o| o == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
            .collect();
        layer.allow_origin(list)
    }
}
