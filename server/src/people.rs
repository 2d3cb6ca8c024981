//! People as the portal's tokens describe them: kept so that lists can show
//! names and departments of authors.

use km_protocol::{Me, PersonSummary};
use sqlx::{AnyConnection, Row};

use crate::auth::roles_to_text;
use crate::store::now_ms;

/// Inserts or refreshes the caller's row (on every write). A changed
/// department changes who sees their department-only profile: matching is
/// told.
pub async fn upsert(conn: &mut AnyConnection, me: &Me) -> Result<(), sqlx::Error> {
    let before: Option<Option<String>> = sqlx::query("SELECT department FROM people WHERE id = $1")
        .bind(&me.id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("department"))
        .transpose()?;
    if before.is_some_and(|d| d != me.department) {
        crate::match_index::record_change(conn, &me.id).await?;
    }
    sqlx::query(
        "INSERT INTO people (id, name, email, department, roles, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, \
         department = excluded.department, roles = excluded.roles, updated_at = excluded.updated_at",
    )
    .bind(&me.id)
    .bind(&me.name)
    .bind(me.email.as_deref())
    .bind(me.department.as_deref())
    .bind(roles_to_text(&me.roles))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the caller before a write ([`crate::extract::Signed`]): reads
/// the row first and writes only when it is missing or the token says
/// something new, so an ordinary write costs one small read, not a second
/// write transaction.
pub async fn record(store: &crate::Store, me: &Me) -> Result<(), crate::error::ApiError> {
    let row = sqlx::query("SELECT name, email, department, roles FROM people WHERE id = $1")
        .bind(&me.id)
        .fetch_optional(store.pool())
        .await?;
    if let Some(r) = row {
        let same = r.try_get::<String, _>("name")? == me.name
            && r.try_get::<Option<String>, _>("email")? == me.email
            && r.try_get::<Option<String>, _>("department")? == me.department
            && r.try_get::<String, _>("roles")? == roles_to_text(&me.roles);
        if same {
            return Ok(());
        }
    }
    let mut w = store.write().await?;
    upsert(&mut w.tx, me).await?;
    w.commit().await?;
    Ok(())
}

/// A person summary from a row with `<prefix>id`, `<prefix>name`,
/// `<prefix>department` columns.
pub fn summary(row: &sqlx::any::AnyRow, prefix: &str) -> Result<PersonSummary, sqlx::Error> {
    Ok(PersonSummary {
        id: row.try_get(format!("{prefix}id").as_str())?,
        name: row.try_get(format!("{prefix}name").as_str())?,
        department: row.try_get(format!("{prefix}department").as_str())?,
    })
}
