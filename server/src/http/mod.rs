//! The `/api/v1` routes, one module per resource.

use axum::Router;

use crate::AppState;

pub mod demo;
pub mod me;
pub mod profiles;
pub mod questions;
pub mod reflections;
pub mod stories;
pub mod tags;

/// Every `/api/v1` route (nested under the prefix by [`crate::app`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(me::router())
        .merge(tags::router())
        .merge(profiles::router())
        .merge(questions::router())
        .merge(reflections::router())
        .merge(stories::router())
        .merge(demo::router())
        .fallback(|| async { crate::error::ApiError::NotFound })
}

/// The effective page size of a `limit` parameter.
pub fn limit(l: Option<u32>) -> i64 {
    i64::from(
        l.unwrap_or(km_protocol::page::DEFAULT_LIMIT)
            .clamp(1, km_protocol::page::MAX_LIMIT),
    )
}
