//! Tag synonyms: an alias key mapped onto a tag by an admin.

use sqlx::{AnyConnection, Row};

use crate::tag_vocabulary::{ResolvedTag, visible_uses_sql};

/// Maps `alias` onto `tag` (replacing an earlier mapping of the alias) and
/// returns the tag's uses a caller of `department` could see.
pub async fn set_synonym(
    conn: &mut AnyConnection,
    community: &str,
    alias: &str,
    tag: &ResolvedTag,
    by: &str,
    department: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO tag_aliases (community, alias, tag_key, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (community, alias) DO UPDATE SET tag_key = excluded.tag_key, \
         created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(community)
    .bind(alias)
    .bind(&tag.key)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "SELECT {} AS n FROM tags t WHERE t.community = $1 AND t.key = $2",
        visible_uses_sql(3)
    ))
    .bind(community)
    .bind(&tag.key)
    .bind(department)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")
}
