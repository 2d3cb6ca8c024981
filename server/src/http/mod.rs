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
pub mod stories;
pub mod story_moderation;
pub mod story_reports;
pub mod tags;

/// Every `/api/v1` route (nested under the prefix by [`crate::app`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(me::router())
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

/// The effective page size of a `limit` parameter.
pub fn limit(l: Option<u32>) -> i64 {
    i64::from(
        l.unwrap_or(km_protocol::page::DEFAULT_LIMIT)
            .clamp(1, km_protocol::page::MAX_LIMIT),
    )
}

/// Splits the `limit + 1` rows a keyset query fetched into the page's rows
/// and the cursor after its last row (None on the last page). `key` is the
/// sort column (a BIGINT) and `id` the tie-breaker column.
pub fn split_page<'a>(
    rows: &'a [sqlx::any::AnyRow],
    limit: i64,
    key: &str,
    id: &str,
) -> Result<(&'a [sqlx::any::AnyRow], Option<String>), sqlx::Error> {
    use sqlx::Row;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit.max(0) as usize)];
    let cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(crate::store::Cursor::encode(
            last.try_get::<i64, _>(key)?,
            &last.try_get::<String, _>(id)?,
        )),
        _ => None,
    };
    Ok((rows, cursor))
}

/// A page of `item(row)` over the rows of [`split_page`].
pub fn page_of<T>(
    rows: &[sqlx::any::AnyRow],
    limit: i64,
    key: &str,
    id: &str,
    item: impl Fn(&sqlx::any::AnyRow) -> Result<T, sqlx::Error>,
) -> Result<km_protocol::Page<T>, sqlx::Error> {
    let (rows, next_cursor) = split_page(rows, limit, key, id)?;
    let items = rows.iter().map(item).collect::<Result<Vec<_>, _>>()?;
    Ok(km_protocol::Page { items, next_cursor })
}
