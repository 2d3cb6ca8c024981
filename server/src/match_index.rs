//! passion-match's inverted index, in memory: per community and tag the
//! people who hold it (with their level), and per person their passions,
//! visibility and department. [`crate::matching::top_k`] reads it through
//! [`Postings`], so a match query costs nanoseconds per posting instead of
//! a SQL row each.
//!
//! The database stays the truth. The index is built on first use and kept
//! current from `match_changes`: every write that changes what matching
//! sees calls [`record_change`](crate::db::match_index::record_change) in its transaction, which bumps the one
//! `match_version` row and logs the person. Before each match query the
//! index compares its version with the database's (one primary-key read)
//! and reloads only the people logged since. Several servers sharing one
//! PostgreSQL therefore never serve matches older than their last request;
//! one that fell behind the pruned log rebuilds from the tables.

use std::collections::HashMap;

use km_protocol::passions::{Level, Visibility};
use sqlx::AnyConnection;
use tokio::sync::{Mutex, RwLock, RwLockReadGuard};

use crate::db::match_index::{Profile, changed_since, current_version, load};
use crate::matching::Postings;

/// One community's index. People keep their slot for the life of the
/// index (a deleted profile becomes hidden with no passions).
#[derive(Debug, Default)]
struct Community {
    profiles: Vec<Profile>,
    slot: HashMap<String, u32>,
    /// Department names numbered from 1 (0: none).
    departments: HashMap<String, u32>,
    postings: HashMap<String, Vec<Posting>>,
    /// How many profiles are not hidden (the ranking's N)...
    counted: usize,
    /// ...and how many of them hold each tag (its document frequency).
    /// Hidden profiles are never counted: weights must not reveal them.
    df: HashMap<String, usize>,
}

/// One passion in a tag's posting list, with what deciding who may see it
/// needs: a query reads its lists front to back and never the profiles.
#[derive(Debug, Clone, Copy)]
struct Posting {
    slot: u32,
    /// The holder's department number (0: none).
    department: u32,
    level: Level,
    visibility: Visibility,
}

impl Community {
    /// Puts `profile` in place of what the index had for that person
    /// (None: the person has no profile here any more).
    fn set(&mut self, id: &str, profile: Option<Profile>) {
        let slot = match self.slot.get(id) {
            Some(&s) => s,
            None => {
                if profile.is_none() {
                    return;
                }
                let s = self.profiles.len() as u32;
                self.slot.insert(id.to_owned(), s);
                self.profiles.push(Profile {
                    id: id.to_owned(),
                    department: None,
                    visibility: Visibility::Hidden,
                    passions: Vec::new(),
                });
                s
            }
        };
        let old = &mut self.profiles[slot as usize];
        let counted = |p: &Profile| p.visibility != Visibility::Hidden;
        if counted(old) {
            self.counted -= 1;
            for (tag, _) in &old.passions {
                if let Some(d) = self.df.get_mut(tag) {
                    *d -= 1;
                    if *d == 0 {
                        self.df.remove(tag);
                    }
                }
            }
        }
        for (tag, _) in &old.passions {
            if let Some(list) = self.postings.get_mut(tag) {
                list.retain(|p| p.slot != slot);
                if list.is_empty() {
                    self.postings.remove(tag);
                }
            }
        }
        *old = profile.unwrap_or_else(|| Profile {
            id: id.to_owned(),
            department: None,
            visibility: Visibility::Hidden,
            passions: Vec::new(),
        });
        let department = match old.department.as_deref() {
            None | Some("") => 0,
            Some(d) => {
                let next = self.departments.len() as u32 + 1;
                *self.departments.entry(d.to_owned()).or_insert(next)
            }
        };
        if counted(old) {
            self.counted += 1;
            for (tag, _) in &old.passions {
                *self.df.entry(tag.clone()).or_default() += 1;
            }
        }
        for (tag, level) in &old.passions {
            self.postings.entry(tag.clone()).or_default().push(Posting {
                slot,
                department,
                level: *level,
                visibility: old.visibility,
            });
        }
    }
}

/// All communities' indexes at one version of the database.
#[derive(Debug, Default)]
struct Snapshot {
    version: i64,
    communities: HashMap<String, Community>,
}

/// The in-memory matching index of one server (cheap to share: the store
/// holds it in an `Arc`).
#[derive(Debug, Default)]
pub struct MatchIndex {
    snapshot: RwLock<Option<Snapshot>>,
    /// One catch-up at a time.
    updating: Mutex<()>,
}

/// A read view of one community, for one caller, current as of the
/// database version read when it was taken.
pub struct View<'a> {
    guard: RwLockReadGuard<'a, Option<Snapshot>>,
    community: String,
    /// My slot, if I have a profile here.
    me: Option<u32>,
    /// My department's number (None: none, or nobody else's).
    department: Option<u32>,
}

impl MatchIndex {
    /// The index as `me` (with `department`, empty for none) may see
    /// `community`, after catching up with the database.
    pub async fn view(
        &self,
        conn: &mut AnyConnection,
        community: &str,
        me: &str,
        department: &str,
    ) -> Result<View<'_>, sqlx::Error> {
        let version = current_version(conn).await?;
        let behind = |s: &Option<Snapshot>| s.as_ref().is_none_or(|s| s.version < version);
        if behind(&*self.snapshot.read().await) {
            let _one = self.updating.lock().await;
            if behind(&*self.snapshot.read().await) {
                self.catch_up(conn).await?;
            }
        }
        let guard = self.snapshot.read().await;
        let here = guard.as_ref().and_then(|s| s.communities.get(community));
        let me = here.and_then(|c| c.slot.get(me).copied());
        let department = here
            .filter(|_| !department.is_empty())
            .and_then(|c| c.departments.get(department).copied());
        Ok(View {
            guard,
            community: community.to_owned(),
            me,
            department,
        })
    }

    /// Builds (or catches up) the index ahead of the first match request.
    pub async fn prepare(&self, pool: &sqlx::AnyPool) -> Result<(), sqlx::Error> {
        let mut conn = pool.acquire().await?;
        self.view(&mut conn, "", "", "").await.map(drop)
    }

    /// Reloads the people changed since the index's version, or builds it
    /// all when there is no index yet or the log no longer reaches back.
    async fn catch_up(&self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        // The version is read before the data: changes committed in
        // between are loaded now and, being logged after it, again later.
        let version = current_version(conn).await?;
        let since = self.snapshot.read().await.as_ref().map(|s| s.version);
        let changed = match since {
            Some(since) => changed_since(conn, since).await?,
            None => None,
        };
        match changed {
            Some(ids) => {
                let mut loaded = HashMap::new();
                for batch in ids.chunks(400) {
                    for (key, profile) in load(conn, Some(batch)).await? {
                        loaded.insert(key, profile);
                    }
                }
                let mut guard = self.snapshot.write().await;
                let Some(snapshot) = guard.as_mut() else {
                    return Ok(());
                };
                let mut communities: Vec<String> = snapshot
                    .communities
                    .keys()
                    .cloned()
                    .chain(loaded.keys().map(|(c, _)| c.clone()))
                    .collect();
                communities.sort();
                communities.dedup();
                for c in communities {
                    let community = snapshot.communities.entry(c.clone()).or_default();
                    for id in &ids {
                        community.set(id, loaded.remove(&(c.clone(), id.clone())));
                    }
                }
                snapshot.version = snapshot.version.max(version);
            }
            None => {
                let mut snapshot = Snapshot {
                    version,
                    communities: HashMap::new(),
                };
                for ((community, id), profile) in load(conn, None).await? {
                    snapshot
                        .communities
                        .entry(community)
                        .or_default()
                        .set(&id, Some(profile));
                }
                *self.snapshot.write().await = Some(snapshot);
            }
        }
        Ok(())
    }
}

impl View<'_> {
    fn community(&self) -> Option<&Community> {
        self.guard.as_ref()?.communities.get(&self.community)
    }

    /// Whether the caller may see `p` in matches: never themselves nor a
    /// hidden profile; a department profile only from the same department.
    fn visible(&self, p: &Posting) -> bool {
        let seen = match p.visibility {
            Visibility::Organization => true,
            Visibility::Department => self.department == Some(p.department),
            Visibility::Hidden => false,
        };
        seen && self.me != Some(p.slot)
    }
}

impl View<'_> {
    /// The ranking's weights: how many profiles are not hidden, and how
    /// many of them hold each of `keys` (tags nobody counted holds are
    /// missing). They come from the same snapshot as the postings.
    pub fn counts(&self, keys: &[&String]) -> (usize, HashMap<String, usize>) {
        let Some(c) = self.community() else {
            return (0, HashMap::new());
        };
        let df = keys
            .iter()
            .filter_map(|k| c.df.get(*k).map(|d| ((*k).clone(), *d)))
            .collect();
        (c.counted, df)
    }
}

impl Postings for View<'_> {
    fn slots(&self) -> usize {
        self.community().map_or(0, |c| c.profiles.len())
    }

    fn slot(&self, id: &str) -> Option<u32> {
        self.community()?.slot.get(id).copied()
    }

    fn each(&self, tag: &str, mut f: impl FnMut(u32, Level)) {
        let Some(c) = self.community() else {
            return;
        };
        for p in c.postings.get(tag).into_iter().flatten() {
            if self.visible(p) {
                f(p.slot, p.level);
            }
        }
    }

    fn person(&self, slot: u32) -> (&str, &[(String, Level)]) {
        match self.community().and_then(|c| c.profiles.get(slot as usize)) {
            Some(p) => (&p.id, &p.passions),
            None => ("", &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use km_protocol::Me;
    use km_protocol::passions::ProfileUpdate;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::Store;
    use sqlx::Row;

    use crate::db::match_index::record_change;
    use crate::db::profiles;

    const DEPARTMENTS: [Option<&str>; 4] = [Some("Sales"), Some("IT"), Some("Legal"), None];
    const VISIBILITY: [&str; 3] = ["organization", "department", "hidden"];
    const LEVELS: [&str; 4] = ["love", "curious", "teach", "learn"];

    fn person(i: usize, department: Option<&str>) -> Me {
        Me {
            id: format!("p{i}"),
            name: format!("Person {i}"),
            email: None,
            department: department.map(Into::into),
            roles: vec![],
        }
    }

    fn random_update(rng: &mut StdRng) -> ProfileUpdate {
        let passions: Vec<_> = (0..rng.gen_range(0..5))
            .map(|_| {
                serde_json::json!({
                    "tag": format!("Tag {}", rng.gen_range(0..6)),
                    "level": LEVELS[rng.gen_range(0..LEVELS.len())],
                })
            })
            .collect();
        let visibility = VISIBILITY[rng.gen_range(0..VISIBILITY.len())];
        serde_json::from_value(
            serde_json::json!({ "passions": passions, "visibility": visibility }),
        )
        .unwrap()
    }

    /// What the database says `me` may see on `tag`: the rule the index
    /// must follow, written as SQL.
    async fn oracle(
        conn: &mut AnyConnection,
        me: &str,
        department: &str,
        tag: &str,
    ) -> Vec<(String, Level)> {
        let mut out: Vec<(String, Level)> = sqlx::query(
            "SELECT pa.person_id, pa.level FROM passions pa \
             JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
             JOIN people pe ON pe.id = pa.person_id \
             WHERE pa.community = 'default' AND pa.tag_key = $3 AND pa.person_id <> $1 \
               AND (pr.visibility = 'organization' \
                    OR (pr.visibility = 'department' AND $2 <> '' AND pe.department = $2))",
        )
        .bind(me)
        .bind(department)
        .bind(tag)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get("person_id"),
                r.get::<String, _>("level").parse().unwrap(),
            )
        })
        .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Every viewer's posting lists from `store`'s index equal the SQL's,
    /// and so do the counts the ranking weighs with.
    async fn assert_same(store: &Store, people: usize, round: &str) {
        let mut conn = store.pool().acquire().await.unwrap();
        let counted: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM profiles \
             WHERE community = 'default' AND visibility <> 'hidden'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get("n");
        let mut df: Vec<(String, usize)> = sqlx::query(
            "SELECT pa.tag_key, COUNT(*) AS n FROM passions pa \
             JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
             WHERE pa.community = 'default' AND pr.visibility <> 'hidden' GROUP BY pa.tag_key",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("tag_key"), r.get::<i64, _>("n") as usize))
        .collect();
        df.sort();
        let keys: Vec<String> = (0..7).map(|t| format!("tag {t}")).collect();
        let view = store
            .match_index()
            .view(&mut conn, "default", "", "")
            .await
            .unwrap();
        let (n, kept) = view.counts(&keys.iter().collect::<Vec<_>>());
        drop(view);
        let mut kept: Vec<(String, usize)> = kept.into_iter().collect();
        kept.sort();
        assert_eq!((n, kept), (counted as usize, df), "{round}: counts");
        for i in 0..people {
            for department in DEPARTMENTS {
                let me = format!("p{i}");
                let department = department.unwrap_or_default();
                for t in 0..6 {
                    let tag = format!("tag {t}");
                    let want = oracle(&mut conn, &me, department, &tag).await;
                    let view = store
                        .match_index()
                        .view(&mut conn, "default", &me, department)
                        .await
                        .unwrap();
                    let mut got = Vec::new();
                    view.each(&tag, |slot, level| {
                        let (id, passions) = view.person(slot);
                        assert!(passions.contains(&(tag.clone(), level)), "{round}: {id}");
                        got.push((id.to_owned(), level));
                    });
                    got.sort_by(|a, b| a.0.cmp(&b.0));
                    assert_eq!(got, want, "{round}: {me} of {department:?} on {tag}");
                }
            }
        }
    }

    /// Two servers over one database: the one that did not write sees every
    /// kind of change (passions, visibility, department, deleted profile) on
    /// its next read, and rebuilds when the log no longer reaches back.
    #[tokio::test]
    async fn the_index_follows_the_database_across_servers() {
        let dir = std::env::temp_dir().join(format!("km-index-{}", std::process::id()));
        let url = format!("sqlite://{}/i.db?mode=rwc", dir.display());
        let writer = Store::connect(&url).await.unwrap();
        let reader = Store::connect(&url).await.unwrap();
        let mut rng = StdRng::seed_from_u64(11);
        const PEOPLE: usize = 24;
        for round in 0..4 {
            let mut w = writer.write().await.unwrap();
            for i in 0..PEOPLE {
                if round > 0 && rng.gen_bool(0.5) {
                    continue;
                }
                let department = DEPARTMENTS[rng.gen_range(0..DEPARTMENTS.len())];
                let update = random_update(&mut rng);
                profiles::save(&mut w.tx, "default", &person(i, department), &update, 0)
                    .await
                    .unwrap();
            }
            // Someone moves department without touching their profile.
            crate::people::upsert(&mut w.tx, &person(round, Some("Legal")))
                .await
                .unwrap();
            w.commit().await.unwrap();
            assert_same(&reader, PEOPLE, &format!("round {round}")).await;
        }
        // A department-only profile follows its person to a new department.
        let only_sales: ProfileUpdate = serde_json::from_value(serde_json::json!({
            "passions": [{ "tag": "Tag 0", "level": "love" }],
            "visibility": "department",
        }))
        .unwrap();
        let mut w = writer.write().await.unwrap();
        profiles::save(
            &mut w.tx,
            "default",
            &person(3, Some("Sales")),
            &only_sales,
            0,
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        assert_same(&reader, PEOPLE, "in Sales").await;
        let mut w = writer.write().await.unwrap();
        crate::people::upsert(&mut w.tx, &person(3, Some("Legal")))
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_same(&reader, PEOPLE, "moved to Legal").await;
        // A deleted profile leaves every list.
        let mut w = writer.write().await.unwrap();
        sqlx::query("DELETE FROM passions WHERE person_id = 'p1'")
            .execute(&mut *w.tx)
            .await
            .unwrap();
        sqlx::query("DELETE FROM profiles WHERE person_id = 'p1'")
            .execute(&mut *w.tx)
            .await
            .unwrap();
        record_change(&mut w.tx, "p1").await.unwrap();
        w.commit().await.unwrap();
        assert_same(&reader, PEOPLE, "after a deletion").await;
        // The log was pruned past the reader's version: it rebuilds.
        let mut w = writer.write().await.unwrap();
        let update = random_update(&mut rng);
        profiles::save(&mut w.tx, "default", &person(2, Some("IT")), &update, 0)
            .await
            .unwrap();
        sqlx::query("DELETE FROM match_changes")
            .execute(&mut *w.tx)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_same(&reader, PEOPLE, "after pruning").await;
        drop((writer, reader));
        let _ = std::fs::remove_dir_all(dir);
    }
}
