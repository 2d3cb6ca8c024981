//! The counts the passion-match ranking weighs with: how many visible (not
//! hidden) profiles a community has, and how many of them hold each tag.
//! Every profile write changes them in its own transaction ([`footprint`]
//! before, [`apply`] after), so a match query reads a few rows instead of
//! counting the postings of common tags. Hidden profiles are never counted:
//! weights must not reveal them. [`rebuild`] recounts from the tables (after
//! a bulk import).

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};

use crate::store::placeholders;

/// What one profile adds to the counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Whether the profile is visible to anyone (not hidden).
    pub visible: bool,
    /// Its tag keys.
    pub tags: Vec<String>,
}

/// The footprint of `person`'s profile now; None without a profile.
pub async fn footprint(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<Option<Footprint>, sqlx::Error> {
    let Some(row) =
        sqlx::query("SELECT visibility FROM profiles WHERE community = $1 AND person_id = $2")
            .bind(community)
            .bind(person)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let visible = row.try_get::<String, _>("visibility")? != "hidden";
    let tags = sqlx::query("SELECT tag_key FROM passions WHERE community = $1 AND person_id = $2")
        .bind(community)
        .bind(person)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("tag_key"))
        .collect::<Result<_, _>>()?;
    Ok(Some(Footprint { visible, tags }))
}

/// Moves the counts from a profile's footprint `before` a write to the one
/// `after` it (None: no profile). Only the differences are written.
pub async fn apply(
    conn: &mut AnyConnection,
    community: &str,
    before: Option<&Footprint>,
    after: Option<&Footprint>,
) -> Result<(), sqlx::Error> {
    let old = before.filter(|f| f.visible);
    let new = after.filter(|f| f.visible);
    let mut delta: HashMap<&str, i64> = HashMap::new();
    for t in old.iter().flat_map(|f| &f.tags) {
        *delta.entry(t).or_default() -= 1;
    }
    for t in new.iter().flat_map(|f| &f.tags) {
        *delta.entry(t).or_default() += 1;
    }
    let profiles = i64::from(new.is_some()) - i64::from(old.is_some());
    if profiles != 0 {
        sqlx::query(
            "INSERT INTO profile_stats (community, profiles) VALUES ($1, $2) \
             ON CONFLICT (community) DO UPDATE \
             SET profiles = profile_stats.profiles + excluded.profiles",
        )
        .bind(community)
        .bind(profiles)
        .execute(&mut *conn)
        .await?;
    }
    let mut changed: Vec<(&str, i64)> = delta.into_iter().filter(|(_, d)| *d != 0).collect();
    changed.sort();
    for (tag, d) in changed {
        sqlx::query(
            "INSERT INTO passion_stats (community, tag_key, profiles) VALUES ($1, $2, $3) \
             ON CONFLICT (community, tag_key) DO UPDATE \
             SET profiles = passion_stats.profiles + excluded.profiles",
        )
        .bind(community)
        .bind(tag)
        .bind(d)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The number of visible profiles, and of visible profiles per tag of
/// `keys` (tags nobody visible holds are missing).
pub async fn counts(
    conn: &mut AnyConnection,
    community: &str,
    keys: &[&String],
) -> Result<(usize, HashMap<String, usize>), sqlx::Error> {
    let n: i64 = sqlx::query("SELECT profiles FROM profile_stats WHERE community = $1")
        .bind(community)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("profiles"))
        .transpose()?
        .unwrap_or(0);
    let mut df = HashMap::new();
    if keys.is_empty() {
        return Ok((n.max(0) as usize, df));
    }
    let sql = format!(
        "SELECT tag_key, profiles FROM passion_stats WHERE community = $1 AND tag_key IN ({})",
        placeholders(2, keys.len())
    );
    let mut query = sqlx::query(&sql).bind(community);
    for k in keys {
        query = query.bind(*k);
    }
    for r in query.fetch_all(&mut *conn).await? {
        let c: i64 = r.try_get("profiles")?;
        if c > 0 {
            df.insert(r.try_get("tag_key")?, c as usize);
        }
    }
    Ok((n.max(0) as usize, df))
}

/// Recounts `community` from the profiles and passions (after rows were
/// written around [`apply`], as a bulk import does).
pub async fn rebuild(conn: &mut AnyConnection, community: &str) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM profile_stats WHERE community = $1",
        "DELETE FROM passion_stats WHERE community = $1",
        "INSERT INTO profile_stats (community, profiles) \
         SELECT community, COUNT(*) FROM profiles \
         WHERE community = $1 AND visibility <> 'hidden' GROUP BY community",
        "INSERT INTO passion_stats (community, tag_key, profiles) \
         SELECT pa.community, pa.tag_key, COUNT(*) FROM passions pa \
         JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
         WHERE pa.community = $1 AND pr.visibility <> 'hidden' \
         GROUP BY pa.community, pa.tag_key",
    ] {
        sqlx::query(sql).bind(community).execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use km_protocol::Me;
    use km_protocol::passions::ProfileUpdate;

    use super::*;
    use crate::Store;
    use crate::http::profiles;

    async fn snapshot(conn: &mut AnyConnection) -> (usize, Vec<(String, usize)>) {
        let keys: Vec<String> = (0..4).map(|i| format!("tag {i}")).collect();
        let refs: Vec<&String> = keys.iter().collect();
        let (n, df) = counts(conn, "default", &refs).await.unwrap();
        let mut df: Vec<_> = df.into_iter().collect();
        df.sort();
        (n, df)
    }

    fn update(tags: &[u8], visibility: &str) -> ProfileUpdate {
        let passions: Vec<_> = tags
            .iter()
            .map(|t| serde_json::json!({ "tag": format!("Tag {t}"), "level": "love" }))
            .collect();
        serde_json::from_value(
            serde_json::json!({ "passions": passions, "visibility": visibility }),
        )
        .unwrap()
    }

    /// After every kind of write the kept counts equal a recount, and
    /// hidden profiles are in neither.
    #[tokio::test]
    async fn the_counts_follow_every_profile_write() {
        let dir = std::env::temp_dir().join(format!("km-stats-{}", std::process::id()));
        let store = Store::connect(&format!("sqlite://{}/s.db?mode=rwc", dir.display()))
            .await
            .unwrap();
        let person = |id: &str| Me {
            id: id.into(),
            name: id.into(),
            email: None,
            department: Some("Sales".into()),
            roles: vec![],
        };
        let steps: [(&str, &[u8], &str); 7] = [
            ("a", &[0, 1], "organization"),
            ("b", &[1, 2], "department"),
            ("c", &[1, 3], "hidden"),
            ("a", &[0, 2, 3], "organization"),
            ("b", &[1, 2], "hidden"),
            ("c", &[3], "organization"),
            ("a", &[], "organization"),
        ];
        let mut w = store.write().await.unwrap();
        for (i, (who, tags, vis)) in steps.iter().enumerate() {
            profiles::save(
                &mut w.tx,
                "default",
                &person(who),
                &update(tags, vis),
                i as i64,
            )
            .await
            .unwrap();
            let kept = snapshot(&mut w.tx).await;
            rebuild(&mut w.tx, "default").await.unwrap();
            assert_eq!(kept, snapshot(&mut w.tx).await, "after step {i}");
        }
        // a: no tags, b: hidden, c: tag 3.
        assert_eq!(snapshot(&mut w.tx).await, (2, vec![("tag 3".into(), 1)]));
        let before = footprint(&mut w.tx, "default", "c").await.unwrap();
        apply(&mut w.tx, "default", before.as_ref(), None)
            .await
            .unwrap();
        assert_eq!(snapshot(&mut w.tx).await, (1, vec![]));
        drop(w);
        let _ = std::fs::remove_dir_all(dir);
    }
}
