//! The write windows of [`crate::rate_limit`] (`write_events`): one row
//! per counted write, by community, person and kind.

use sqlx::{AnyConnection, Row};

use crate::store::{Backend, new_id};

/// Makes simultaneous writes of one window take turns until the
/// transaction ends (or each would count the others' rows as not there
/// yet). SQLite has one writer anyway; PostgreSQL takes an advisory lock
/// on the window.
pub async fn lock_window(
    conn: &mut AnyConnection,
    backend: Backend,
    community: &str,
    person: &str,
    kind: &str,
) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l")
            .bind(format!("write_events\n{community}\n{person}\n{kind}"))
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Forgets the window's events at or before `until` (epoch ms).
pub async fn forget(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    kind: &str,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM write_events WHERE community = $1 AND person_id = $2 AND kind = $3 \
         AND at <= $4",
    )
    .bind(community)
    .bind(person)
    .bind(kind)
    .bind(until)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// When the `nth` newest event of the window happened (0: the newest),
/// if there are that many.
pub async fn nth_newest(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    kind: &str,
    nth: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query(
        "SELECT at FROM write_events WHERE community = $1 AND person_id = $2 AND kind = $3 \
         ORDER BY at DESC LIMIT 1 OFFSET $4",
    )
    .bind(community)
    .bind(person)
    .bind(kind)
    .bind(nth)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get("at"))
    .transpose()
}

/// Records one event at `at`; its id.
pub async fn insert(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    kind: &str,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO write_events (id, community, person_id, kind, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(community)
    .bind(person)
    .bind(kind)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Takes back the event `id`.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM write_events WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
