//! The organization's goals that stories serve, in the admin's order.

use km_protocol::Page;
use km_protocol::stories::Goal;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn goal(r: &AnyRow) -> Result<Goal, sqlx::Error> {
    Ok(Goal {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
    })
}

/// Adds or renames a goal (the admin endpoints and the demo seed).
pub async fn upsert(
    conn: &mut AnyConnection,
    community: &str,
    goal: &Goal,
    position: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO goals (community, id, name, position, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (community, id) DO UPDATE SET name = excluded.name, position = excluded.position",
    )
    .bind(community)
    .bind(&goal.id)
    .bind(&goal.name)
    .bind(position)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A page of goals after `(position, id)`.
pub async fn page(
    conn: &mut AnyConnection,
    community: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Page<Goal>, sqlx::Error> {
    let (after, after_id) = after.unwrap_or((i64::MIN, String::new()));
    let rows = sqlx::query(
        "SELECT id, name, position FROM goals WHERE community = $1 \
         AND (position > $2 OR (position = $2 AND id > $3)) ORDER BY position, id LIMIT $4",
    )
    .bind(community)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    crate::db::page_of(&rows, limit, "position", "id", goal)
}

/// Every goal of `community`, in order.
pub async fn all(conn: &mut AnyConnection, community: &str) -> Result<Vec<Goal>, sqlx::Error> {
    sqlx::query("SELECT id, name FROM goals WHERE community = $1 ORDER BY position, id")
        .bind(community)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(goal)
        .collect()
}

/// Whether `id` is a goal of `community`.
pub async fn exists(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT id FROM goals WHERE community = $1 AND id = $2")
            .bind(community)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// The position after the last goal.
pub async fn next_position(conn: &mut AnyConnection, community: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) AS next FROM goals \
         WHERE community = $1",
    )
    .bind(community)
    .fetch_one(&mut *conn)
    .await?
    .try_get("next")
}

/// Renames goal `id` and moves it when `position` is given; false when
/// there is no such goal.
pub async fn rename(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    name: &str,
    position: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE goals SET name = $3, position = COALESCE($4, position) \
         WHERE community = $1 AND id = $2",
    )
    .bind(community)
    .bind(id)
    .bind(name)
    .bind(position)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether any story serves goal `id`.
pub async fn in_use(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT id FROM stories WHERE community = $1 AND goal_id = $2 LIMIT 1")
            .bind(community)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// Deletes goal `id`; false when there is no such goal.
pub async fn delete(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM goals WHERE community = $1 AND id = $2")
        .bind(community)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
