//! What [`crate::match_index`] reads and logs: the change log
//! (`match_version`, `match_changes`) and the profiles it indexes.

use std::collections::HashMap;

use km_protocol::passions::{Level, Visibility};
use sqlx::{AnyConnection, Row};

use super::sql::Sql;

/// How many logged changes are kept; an index further behind rebuilds.
const KEPT_CHANGES: i64 = 10_000;

/// Logs that matching must reload `person` (their profile, passions or
/// department changed). Call it inside the write's transaction.
pub async fn record_change(conn: &mut AnyConnection, person: &str) -> Result<(), sqlx::Error> {
    let version: i64 = sqlx::query(
        "UPDATE match_version SET version = version + 1 WHERE id = 1 RETURNING version",
    )
    .fetch_one(&mut *conn)
    .await?
    .try_get("version")?;
    sqlx::query("INSERT INTO match_changes (version, person_id) VALUES ($1, $2)")
        .bind(version)
        .bind(person)
        .execute(&mut *conn)
        .await?;
    if version % 1_000 == 0 {
        sqlx::query("DELETE FROM match_changes WHERE version <= $1")
            .bind(version - KEPT_CHANGES)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The database's version of what matching sees (0 before any change).
pub async fn current_version(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT version FROM match_version WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("version"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The people logged after `since`, sorted and once each; None when the
/// log no longer reaches back to `since + 1` (the index must rebuild).
pub async fn changed_since(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT version, person_id FROM match_changes WHERE version > $1 ORDER BY version",
    )
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let first: Option<i64> = rows.first().map(|r| r.try_get("version")).transpose()?;
    if first != Some(since + 1) {
        return Ok(None);
    }
    let mut ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("person_id"))
        .collect::<Result<_, _>>()?;
    ids.sort();
    ids.dedup();
    Ok(Some(ids))
}

/// One person's profile in one community, as matching sees it.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The person.
    pub id: String,
    /// Their department, if any.
    pub department: Option<String>,
    /// Who may see the profile.
    pub visibility: Visibility,
    /// Their passions, in their order.
    pub passions: Vec<(String, Level)>,
}

/// The profiles of `people` (None: everyone) in every community, keyed by
/// (community, person).
pub async fn load(
    conn: &mut AnyConnection,
    people: Option<&[String]>,
) -> Result<HashMap<(String, String), Profile>, sqlx::Error> {
    let mut q = Sql::new(
        "SELECT pr.community, pr.person_id, pr.visibility, pe.department FROM profiles pr \
         JOIN people pe ON pe.id = pr.person_id",
    );
    if let Some(ids) = people {
        q.push(" WHERE pr.person_id IN (").bind_list(ids).push(")");
    }
    let mut out = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        let id: String = r.try_get("person_id")?;
        out.insert(
            (r.try_get("community")?, id.clone()),
            Profile {
                id,
                department: r.try_get("department")?,
                visibility: super::sql::wire(&r, "visibility")?,
                passions: Vec::new(),
            },
        );
    }
    let mut q = Sql::new("SELECT community, person_id, tag_key, level FROM passions");
    if let Some(ids) = people {
        q.push(" WHERE person_id IN (").bind_list(ids).push(")");
    }
    q.push(" ORDER BY community, person_id, position");
    for r in q.fetch_all(&mut *conn).await? {
        let key = (r.try_get("community")?, r.try_get("person_id")?);
        if let Some(p) = out.get_mut(&key) {
            p.passions
                .push((r.try_get("tag_key")?, super::sql::wire(&r, "level")?));
        }
    }
    Ok(out)
}
