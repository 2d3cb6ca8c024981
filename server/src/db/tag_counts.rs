//! The tag vocabulary with its counts, as `GET /tags` lists it.
//!
//! A count is the number of uses a caller of a department could see
//! through the other endpoints ([`crate::tag_vocabulary::visible_uses_sql`]).
//! Counting means visiting every use of every tag: at 20,000 questions,
//! 10,000 profiles and their stories and reflections that is about 100,000
//! visibility checks, far too many for each request. So the vocabulary of
//! each (community, department) is counted once and kept here until the
//! store commits a write ([`crate::store::Store::commits`]). For writes by
//! other servers on the same database it is counted again once it is
//! [`MAX_AGE`] old: one request counts, and until it is done the others get
//! the older count. One count runs at a time; requests that find the
//! vocabulary stale after a write of this server wait for it rather than
//! each counting again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use km_protocol::tags::Tag;
use sqlx::Row;

use crate::store::Store;
use crate::tag_vocabulary::visible_uses_sql;

/// How long a count is reused when this server wrote nothing before it is
/// counted again: a write through another server (several instances on one
/// PostgreSQL) shows in this server's vocabulary after this long plus one
/// count.
pub const MAX_AGE: Duration = Duration::from_secs(2);

/// Counted vocabularies beyond this many (communities × departments) are
/// dropped before another is kept.
const MAX_ENTRIES: usize = 4096;

/// The cache, one per store.
#[derive(Default)]
pub struct TagCounts {
    entries: Mutex<HashMap<(String, String), Entry>>,
    counting: tokio::sync::Mutex<()>,
}

struct Entry {
    commits: u64,
    at: Instant,
    tags: Arc<[Tag]>,
}

/// What the cache holds for a key, given this server's commit count.
enum Held {
    /// Counted since this server's last commit, less than [`MAX_AGE`] ago.
    Fresh(Arc<[Tag]>),
    /// Counted since this server's last commit, but [`MAX_AGE`] ago or
    /// more: only other servers' writes can be missing.
    Old(Arc<[Tag]>),
    /// Nothing, or counted before a commit of this server.
    Stale,
}

impl TagCounts {
    fn held(&self, key: &(String, String), commits: u64) -> Held {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(key) {
            Some(e) if e.commits == commits && e.at.elapsed() < MAX_AGE => {
                Held::Fresh(e.tags.clone())
            }
            Some(e) if e.commits == commits => Held::Old(e.tags.clone()),
            _ => Held::Stale,
        }
    }
}

/// Every tag of `community` with at least one use a caller of `department`
/// ('' for none) could see, most used first, then by key.
pub async fn vocabulary(
    store: &Store,
    community: &str,
    department: &str,
) -> Result<Arc<[Tag]>, sqlx::Error> {
    let cache = store.tag_counts();
    let key = (community.to_owned(), department.to_owned());
    let _counting = match cache.held(&key, store.commits()) {
        Held::Fresh(tags) => return Ok(tags),
        // Only aged: one request counts again, the others meanwhile get
        // what it replaces rather than queueing behind it.
        Held::Old(tags) => match cache.counting.try_lock() {
            Ok(guard) => guard,
            Err(_) => return Ok(tags),
        },
        // This server wrote since: everyone waits for a count that has it.
        Held::Stale => cache.counting.lock().await,
    };
    // Counted by whoever held the lock before?
    let commits = store.commits();
    if let Held::Fresh(tags) = cache.held(&key, commits) {
        return Ok(tags);
    }
    let at = Instant::now();
    let rows = sqlx::query(&format!(
        "SELECT v.key, v.label, v.uses FROM (SELECT t.key, t.label, {} AS uses \
           FROM tags t WHERE t.community = $1) v \
         WHERE v.uses > 0 ORDER BY v.uses DESC, v.key ASC",
        visible_uses_sql(2)
    ))
    .bind(community)
    .bind(department)
    .fetch_all(store.pool())
    .await?;
    let tags: Arc<[Tag]> = rows
        .iter()
        .map(|r| {
            Ok(Tag {
                key: r.try_get("key")?,
                label: r.try_get("label")?,
                count: r.try_get("uses")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?
        .into();
    let mut entries = cache.entries.lock().unwrap_or_else(|e| e.into_inner());
    if entries.len() >= MAX_ENTRIES {
        entries.clear();
    }
    // Stamped with the commit count read before counting: a write that
    // committed meanwhile makes this entry stale at once.
    entries.insert(
        key,
        Entry {
            commits,
            at,
            tags: tags.clone(),
        },
    );
    Ok(tags)
}

/// Whether a tag key matches a prefix typed by a person: the key, or any
/// word of it, starts with it (`sec` finds `security` and `cloud security`).
pub fn matches_prefix(key: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || key.starts_with(prefix)
        || key
            .match_indices(' ')
            .any(|(i, _)| key[i + 1..].starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_the_key_or_one_of_its_words() {
        assert!(matches_prefix("cloud security", "sec"));
        assert!(matches_prefix("security", "sec"));
        assert!(matches_prefix("security", ""));
        assert!(!matches_prefix("insecure", "sec"));
        assert!(!matches_prefix("cloud", "cloud security"));
        // A prefix with a space still matches across words.
        assert!(matches_prefix("cloud security", "cloud sec"));
    }
}
