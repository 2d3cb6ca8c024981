//! The data layer: one module per resource owns its SQL statements and the
//! conversions between rows and the protocol's types. Handlers in
//! [`crate::http`] extract, validate, call a function here and respond;
//! nothing here knows about HTTP.

pub mod answers;
pub mod circles;
pub mod goals;
pub mod idempotency;
pub mod intros;
pub mod match_index;
pub mod matches;
pub mod people;
pub mod profiles;
pub mod prompts;
pub mod question_lists;
pub mod question_people;
pub mod questions;
pub mod rate_limit;
pub mod reflection_settings;
pub mod reflections;
pub mod sign_in;
pub mod sql;
pub mod stories;
pub mod tag_counts;
pub mod tags;

use sqlx::Row;
use sqlx::any::AnyRow;

/// Splits the `limit + 1` rows a keyset query fetched into the page's rows
/// and the cursor after its last row (None on the last page). `key` is the
/// sort column (a BIGINT) and `id` the tie-breaker column.
pub fn split_page<'a>(
    rows: &'a [AnyRow],
    limit: i64,
    key: &str,
    id: &str,
) -> Result<(&'a [AnyRow], Option<String>), sqlx::Error> {
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
    rows: &[AnyRow],
    limit: i64,
    key: &str,
    id: &str,
    item: impl Fn(&AnyRow) -> Result<T, sqlx::Error>,
) -> Result<km_protocol::Page<T>, sqlx::Error> {
    let (rows, next_cursor) = split_page(rows, limit, key, id)?;
    let items = rows.iter().map(item).collect::<Result<Vec<_>, _>>()?;
    Ok(km_protocol::Page { items, next_cursor })
}
