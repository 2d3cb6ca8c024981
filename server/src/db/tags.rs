//! The tag vocabulary's statements: resolving labels to tags (following
//! synonyms, creating new tags), the uses of each record, which uses a
//! caller may see, and synonyms. Keys and labels are made in
//! [`crate::tag_vocabulary`].

use std::collections::HashSet;

use sqlx::{AnyConnection, Row};

use crate::error::ApiError;
use crate::rate_limit;
use crate::store::now_ms;
use crate::tag_vocabulary::{ResolvedTag, clean_label, normalize_key};

/// Resolves labels to tags (following synonyms, creating new tags),
/// dropping empty labels and duplicates while keeping the order. Each tag
/// created counts against the writer's `new_tags` limit in this
/// transaction (a 429 when it is reached: [`rate_limit::count_new_tag`]).
pub async fn resolve(
    conn: &mut AnyConnection,
    community: &str,
    labels: &[String],
) -> Result<Vec<ResolvedTag>, ApiError> {
    let mut out: Vec<ResolvedTag> = Vec::new();
    let mut seen = HashSet::new();
    for label in labels {
        let label = clean_label(label);
        let mut key = normalize_key(&label);
        if key.is_empty() {
            continue;
        }
        if let Some(row) =
            sqlx::query("SELECT tag_key FROM tag_aliases WHERE community = $1 AND alias = $2")
                .bind(community)
                .bind(&key)
                .fetch_optional(&mut *conn)
                .await?
        {
            key = row.try_get("tag_key")?;
        }
        if !seen.insert(key.clone()) {
            continue;
        }
        let created = sqlx::query(
            "INSERT INTO tags (community, key, label, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (community, key) DO NOTHING",
        )
        .bind(community)
        .bind(&key)
        .bind(&label)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?
        .rows_affected()
            > 0;
        if created {
            rate_limit::count_new_tag(conn).await?;
        }
        let label: String = sqlx::query("SELECT label FROM tags WHERE community = $1 AND key = $2")
            .bind(community)
            .bind(&key)
            .fetch_one(&mut *conn)
            .await?
            .try_get("label")?;
        out.push(ResolvedTag { key, label });
    }
    Ok(out)
}

/// The key a filter parameter means (following synonyms), without creating
/// anything.
pub async fn lookup_key(
    conn: &mut AnyConnection,
    community: &str,
    label: &str,
) -> Result<String, sqlx::Error> {
    let key = normalize_key(label);
    let alias = sqlx::query("SELECT tag_key FROM tag_aliases WHERE community = $1 AND alias = $2")
        .bind(community)
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match alias {
        Some(row) => row.try_get("tag_key")?,
        None => key,
    })
}

/// Replaces the tag uses of one record.
pub async fn set_links(
    conn: &mut AnyConnection,
    community: &str,
    kind: &str,
    ref_id: &str,
    tags: &[ResolvedTag],
    public: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tag_links WHERE community = $1 AND kind = $2 AND ref_id = $3")
        .bind(community)
        .bind(kind)
        .bind(ref_id)
        .execute(&mut *conn)
        .await?;
    for t in tags {
        sqlx::query(
            "INSERT INTO tag_links (community, tag_key, kind, ref_id, public) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(community)
        .bind(&t.key)
        .bind(kind)
        .bind(ref_id)
        .bind(i64::from(public))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A SQL expression counting the uses of the tag joined as `t` (a `tags`
/// row) that a caller whose department is parameter `$dept` could see
/// through the other endpoints:
/// - questions that are not hidden (a moderator's view of hidden ones is
///   left out, so every reader gets the same count);
/// - shared reflections (named or anonymous), never private ones;
/// - published stories, never those in review;
/// - passion profiles visible to everyone, and department-only ones when
///   `$dept` is the owner's department (an empty `$dept`, an anonymous
///   reader, sees none); hidden profiles never.
///
/// The caller's own private uses (a private reflection, a hidden profile,
/// a story in review) are not counted either: the vocabulary is what is
/// shared, the same for everyone of a department, so it never tells anyone
/// anything the lists would not. `public` (kept by [`set_links`]) is checked
/// too, so the `tag_links_by_tag` index narrows the rows first.
pub fn visible_uses_sql(dept: usize) -> String {
    format!(
        "(SELECT COUNT(*) FROM tag_links l WHERE l.community = t.community \
           AND l.tag_key = t.key AND l.public = 1 AND ( \
           (l.kind = 'question' AND EXISTS (SELECT 1 FROM questions q \
              WHERE q.id = l.ref_id AND q.hidden = 0)) \
           OR (l.kind = 'reflection' AND EXISTS (SELECT 1 FROM reflections r \
              WHERE r.id = l.ref_id AND r.visibility IN ('shared', 'anonymous'))) \
           OR (l.kind = 'story' AND EXISTS (SELECT 1 FROM stories s \
              WHERE s.id = l.ref_id AND s.status = 'published')) \
           OR (l.kind = 'profile' AND EXISTS (SELECT 1 FROM profiles pr \
              JOIN people pe ON pe.id = pr.person_id \
              WHERE pr.community = l.community AND pr.person_id = l.ref_id \
                AND {}))))",
        super::profiles::seen_by(dept)
    )
}

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
