//! The `/api/v1` routes, one module per resource.

use axum::Router;

use crate::AppState;

pub mod answers;
pub mod circles;
pub mod demo;
pub mod goals;
pub mod intros;
pub mod journal;
pub mod matches;
pub mod me;
pub mod profiles;
pub mod prompt_sets;
pub mod prompts;
pub mod question_moderation;
pub mod question_people;
pub mod questions;
pub mod reflection_feed;
pub mod reflection_settings;
pub mod reflections;
pub mod reminders;
pub mod sign_in;
pub mod stories;
pub mod story_moderation;
pub mod story_reports;
pub mod tags;

/// Every `/api/v1` route (nested under the prefix by [`crate::app`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(me::router())
        .merge(sign_in::router())
        .merge(tags::router())
        .merge(profiles::router())
        .merge(matches::router())
        .merge(intros::router())
        .merge(circles::router())
        .merge(questions::router())
        .merge(answers::router())
        .merge(question_people::router())
        .merge(question_moderation::router())
        .merge(reflections::router())
        .merge(prompts::router())
        .merge(prompt_sets::router())
        .merge(reflection_settings::router())
        .merge(reflection_feed::router())
        .merge(journal::router())
        .merge(reminders::router())
        .merge(stories::router())
        .merge(story_moderation::router())
        .merge(goals::router())
        .merge(story_reports::router())
        .merge(demo::router())
        .fallback(|| async { crate::error::ApiError::NotFound })
}

/// The page size of a `limit` parameter: the default when absent, a 422
/// naming `limit` when outside 1 to `MAX_LIMIT` (the document says so;
/// quietly clamping hid callers' mistakes).
pub fn limit(l: Option<u32>) -> Result<i64, crate::error::ApiError> {
    limit_in(
        l,
        km_protocol::page::DEFAULT_LIMIT,
        km_protocol::page::MAX_LIMIT,
    )
}

/// [`limit`] with another default and maximum.
pub fn limit_in(l: Option<u32>, default: u32, max: u32) -> Result<i64, crate::error::ApiError> {
    match l {
        None => Ok(i64::from(default)),
        Some(n) if (1..=max).contains(&n) => Ok(i64::from(n)),
        Some(_) => Err(crate::error::ApiError::Validation(vec![
            km_protocol::FieldError::new(
                "limit",
                km_protocol::validate::codes::OUT_OF_RANGE,
                format!("limit must be 1 to {max}"),
            )
            .with_limit(i64::from(max)),
        ])),
    }
}
