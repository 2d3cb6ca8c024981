//! passion-match profiles (`profiles`, `passions`): saving, reading and
//! deleting them, and who may see whose.

use std::collections::HashMap;

use km_protocol::passions::{Passion, Profile, ProfileUpdate, Visibility};
use km_protocol::{Me, Page, PersonSummary};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::match_index::record_change;
use super::sql::Sql;
use crate::error::ApiError;
use crate::store::rfc3339;
use crate::tag_vocabulary::{ResolvedTag, clean_label, lookup_key, resolve, set_links};

/// Who sees a profile (`profiles pr JOIN people pe`), for a caller whose
/// department is bound as `$dept` ('' for none): profiles visible to the
/// organization, and department-only ones of the caller's own department;
/// hidden profiles never. The profile reads and the tag vocabulary's counts
/// use this one rule.
pub fn seen_by(dept: usize) -> String {
    format!(
        "(pr.visibility = 'organization' \
          OR (pr.visibility = 'department' AND ${dept} <> '' AND pe.department = ${dept}))"
    )
}

/// Saves `me`'s profile, creating tags as needed (the caller validated
/// `update`).
pub async fn save(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    update: &ProfileUpdate,
    now: i64,
) -> Result<(), ApiError> {
    // Resolve one passion at a time so that each keeps its level when a
    // synonym maps it onto another tag; the first of duplicates wins.
    let mut tags: Vec<ResolvedTag> = Vec::with_capacity(update.passions.len());
    let mut levels = Vec::with_capacity(update.passions.len());
    for p in &update.passions {
        for t in resolve(conn, community, std::slice::from_ref(&p.tag)).await? {
            if !tags.iter().any(|x| x.key == t.key) {
                tags.push(t);
                levels.push(p.level);
            }
        }
    }
    super::people::upsert(conn, me).await?;
    sqlx::query(
        "INSERT INTO profiles (community, person_id, why, open_to_chat, visibility, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (community, person_id) DO UPDATE SET why = excluded.why, \
         open_to_chat = excluded.open_to_chat, visibility = excluded.visibility, \
         updated_at = excluded.updated_at",
    )
    .bind(community)
    .bind(&me.id)
    .bind(clean_label(&update.why))
    .bind(i64::from(update.open_to_chat))
    .bind(update.visibility.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM passions WHERE community = $1 AND person_id = $2")
        .bind(community)
        .bind(&me.id)
        .execute(&mut *conn)
        .await?;
    for (i, (t, level)) in tags.iter().zip(&levels).enumerate() {
        sqlx::query(
            "INSERT INTO passions (community, person_id, tag_key, level, position) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(community)
        .bind(&me.id)
        .bind(&t.key)
        .bind(level.as_str())
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    let public = update.visibility != Visibility::Hidden;
    record_change(conn, &me.id).await?;
    set_links(conn, community, "profile", &me.id, &tags, public).await?;
    Ok(())
}

/// Deletes `person`'s profile, passions, circle memberships and intros.
pub async fn delete(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<(), sqlx::Error> {
    record_change(conn, person).await?;
    for sql in [
        "DELETE FROM passions WHERE community = $1 AND person_id = $2",
        "DELETE FROM profiles WHERE community = $1 AND person_id = $2",
        "DELETE FROM tag_links WHERE community = $1 AND kind = 'profile' AND ref_id = $2",
        "DELETE FROM circle_members WHERE community = $1 AND person_id = $2",
    ] {
        sqlx::query(sql)
            .bind(community)
            .bind(person)
            .execute(&mut *conn)
            .await?;
    }
    super::intros::delete_all_of(conn, community, person).await
}

/// The profiles of `rows` (rows of profiles joined with people), with
/// their passions (one more statement).
async fn assemble(
    conn: &mut AnyConnection,
    community: &str,
    rows: &[AnyRow],
) -> Result<Vec<Profile>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>("person_id"))
        .collect::<Result<_, _>>()?;
    let mut q = Sql::new(
        "SELECT p.person_id, p.tag_key, p.level, t.label FROM passions p \
         JOIN tags t ON t.community = p.community AND t.key = p.tag_key \
         WHERE p.community = ",
    );
    q.bind(community)
        .push(" AND p.person_id IN (")
        .bind_list(&ids)
        .push(") ORDER BY p.person_id, p.position");
    let mut by_person: HashMap<String, Vec<Passion>> = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        by_person
            .entry(r.try_get("person_id")?)
            .or_default()
            .push(Passion {
                tag: r.try_get("label")?,
                tag_key: r.try_get("tag_key")?,
                level: super::sql::wire(&r, "level")?,
            });
    }
    rows.iter()
        .zip(ids)
        .map(|(r, id)| {
            Ok(Profile {
                passions: by_person.remove(&id).unwrap_or_default(),
                person: PersonSummary {
                    id,
                    name: r.try_get("name")?,
                    department: r.try_get("department")?,
                },
                why: r.try_get("why")?,
                open_to_chat: r.try_get::<i64, _>("open_to_chat")? != 0,
                visibility: super::sql::wire(r, "visibility")?,
                updated_at: Some(rfc3339(r.try_get("updated_at")?)),
            })
        })
        .collect()
}

const PROFILE_COLUMNS: &str = "pr.person_id, pr.why, pr.open_to_chat, pr.visibility, \
     pr.updated_at, pe.name, pe.department";

/// `me`'s profile (an empty one before they saved any).
pub async fn mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
) -> Result<Profile, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS} FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id = $2"
    ))
    .bind(community)
    .bind(&me.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(conn, community, &rows)
        .await?
        .pop()
        .unwrap_or_else(|| Profile {
            person: PersonSummary {
                id: me.id.clone(),
                name: me.name.clone(),
                department: me.department.clone(),
            },
            passions: Vec::new(),
            why: String::new(),
            open_to_chat: false,
            visibility: Visibility::Organization,
            updated_at: None,
        }))
}

/// A page of the profiles `caller` may see (never hidden ones; department
/// ones only within the caller's department; never the caller), with the
/// passion `tag` (a label or key) if given, most recently updated first,
/// after the cursor `after` (updated_at, person).
pub async fn list(
    conn: &mut AnyConnection,
    community: &str,
    caller: Option<&Me>,
    tag: Option<&str>,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Page<Profile>, sqlx::Error> {
    let (after_key, after_id) = after.unwrap_or((i64::MAX, String::new()));
    let tag = match tag.filter(|t| !t.trim().is_empty()) {
        Some(t) => lookup_key(conn, community, t).await?,
        None => String::new(),
    };
    let me_id = caller.map(|m| m.id.as_str()).unwrap_or_default();
    let dept = caller
        .and_then(|m| m.department.as_deref())
        .unwrap_or_default();
    let rows = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS} FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id <> $2 \
           AND {} \
           AND EXISTS (SELECT 1 FROM passions pa WHERE pa.community = pr.community \
                AND pa.person_id = pr.person_id AND ($4 = '' OR pa.tag_key = $4)) \
           AND (pr.updated_at < $5 OR (pr.updated_at = $5 AND pr.person_id < $6)) \
         ORDER BY pr.updated_at DESC, pr.person_id DESC LIMIT $7",
        seen_by(3)
    ))
    .bind(community)
    .bind(me_id)
    .bind(dept)
    .bind(&tag)
    .bind(after_key)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let (rows, next_cursor) = super::split_page(&rows, limit, "updated_at", "person_id")?;
    let items = assemble(conn, community, rows).await?;
    Ok(Page { items, next_cursor })
}

/// Whether `to` has a profile `me` may see (hidden or other-department
/// profiles cannot be greeted, and their existence is not revealed).
pub async fn visible_to(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    to: &str,
) -> Result<bool, sqlx::Error> {
    let dept = me.department.as_deref().unwrap_or_default();
    Ok(sqlx::query(&format!(
        "SELECT 1 AS one FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id = $2 AND {}",
        seen_by(3)
    ))
    .bind(community)
    .bind(to)
    .bind(dept)
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}

#[cfg(test)]
mod tests {
    use km_protocol::passions::Level;

    use crate::Store;

    /// Regression (issue 11 item 2): a level the database holds that names
    /// no `Level` was read as `Love`; now reading the profile fails.
    #[tokio::test]
    async fn an_unknown_stored_level_is_an_error_not_a_default() {
        let dir = std::env::temp_dir().join(format!("km-level-{}", std::process::id()));
        let store = Store::connect(&format!("sqlite://{}/l.db?mode=rwc", dir.display()))
            .await
            .unwrap();
        let me = km_protocol::Me {
            id: "p1".into(),
            name: "P".into(),
            email: None,
            department: None,
            roles: vec![],
        };
        let update = serde_json::from_value(serde_json::json!({
            "passions": [{ "tag": "Rust", "level": "teach" }],
        }))
        .unwrap();
        let mut w = store.write().await.unwrap();
        super::save(&mut w.tx, "default", &me, &update, 1)
            .await
            .unwrap();
        let read = super::mine(&mut w.tx, "default", &me).await.unwrap();
        assert_eq!(read.passions[0].level, Level::Teach);
        sqlx::query("UPDATE passions SET level = 'loved'")
            .execute(&mut *w.tx)
            .await
            .unwrap();
        let e = super::mine(&mut w.tx, "default", &me).await.unwrap_err();
        assert!(e.to_string().contains("unknown Level \"loved\""), "{e}");
        drop((w, store));
        let _ = std::fs::remove_dir_all(dir);
    }
}
