//! The shared tag vocabulary: normalization, synonyms, and which records use
//! which tag.
//!
//! A tag's key folds case, surrounding and repeated whitespace and
//! diacritics (`" Café  Culture"` → `cafe culture`); the first display form
//! seen is kept as its label. An admin can map an alias key onto a tag.
//! Every use is a row in `tag_links`; `/tags` lists and counts only the
//! uses its caller could see through the other endpoints
//! ([`visible_uses_sql`]).

use std::collections::HashSet;

use km_protocol::validate::is_invisible;
use sqlx::{AnyConnection, Row};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::ApiError;
use crate::rate_limit;
use crate::store::now_ms;

/// The display form of a label: trimmed, inner whitespace collapsed.
pub fn clean_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The matching key of a label. Invisible characters inside a label (a
/// zero-width space, a joiner) are left out of the key, so `Rust` with a
/// hidden character is the tag `Rust`, not a second tag that looks the same.
pub fn normalize_key(label: &str) -> String {
    clean_label(label)
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && (*c == ' ' || !is_invisible(*c)))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A resolved tag: its key and display label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTag {
    /// The normalized key.
    pub key: String,
    /// The display form.
    pub label: String,
}

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
                AND (pr.visibility = 'organization' OR (pr.visibility = 'department' \
                  AND ${dept} <> '' AND pe.department = ${dept}))))))"
    )
}

/// Labels as stored on a record (a JSON array).
pub fn labels_json(tags: &[ResolvedTag]) -> String {
    serde_json::to_string(&tags.iter().map(|t| &t.label).collect::<Vec<_>>()).unwrap_or_default()
}

/// The inverse of [`labels_json`] (an empty list for anything unreadable).
pub fn labels_from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_whitespace_and_diacritics() {
        assert_eq!(normalize_key("  Café   Culture "), "cafe culture");
        assert_eq!(normalize_key("CAFE culture"), "cafe culture");
        assert_eq!(normalize_key("Privacy & AVG"), "privacy & avg");
        assert_eq!(normalize_key("Ünïcödé"), "unicode");
        assert_eq!(clean_label("  Service \t design "), "Service design");
        assert_eq!(normalize_key("   "), "");
    }

    #[test]
    fn invisible_characters_make_no_second_tag() {
        // Regression (issue 10 item 8): a zero-width character inside a
        // label made a second tag that looked exactly like the first.
        for hidden in [
            "Ru\u{200B}st",
            "Rust\u{2060}",
            "\u{FEFF}Rust",
            "Ru\u{00AD}st",
            "R\u{200D}ust",
        ] {
            assert_eq!(normalize_key(hidden), "rust", "{hidden:?}");
        }
        // Fullwidth letters fold too (NFKD).
        assert_eq!(normalize_key("\u{FF32}ust"), "rust");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
