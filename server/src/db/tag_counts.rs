//! The tag vocabulary with its counts, as `GET /tags` lists it.
//!
//! A count is the number of uses a caller of a department could see
//! through the other endpoints ([`crate::tag_vocabulary::visible_uses_sql`]).
//! Counting means visiting every use of every tag: at 20,000 questions,
//! 10,000 profiles and their stories and reflections that is about 100,000
//! visibility checks, far too many for each request. So the vocabulary of
//! each (community, department) is counted once and kept here until the
//! store commits a write ([`crate::store::Store::commits`]) or, for writes
//! by other servers on the same database, for at most [`MAX_AGE`]. One
//! count runs at a time; requests that find the vocabulary stale wait for
//! it rather than each counting again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use km_protocol::tags::Tag;
use sqlx::Row;

use crate::store::Store;
use crate::tag_vocabulary::visible_uses_sql;

/// How long a count may be reused when this server wrote nothing: the
/// longest a write through another server (several instances on one
/// PostgreSQL) takes to show in this server's vocabulary.
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

impl TagCounts {
    fn fresh(&self, key: &(String, String), commits: u64) -> Option<Arc<[Tag]>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.commits == commits && e.at.elapsed() < MAX_AGE)
            .map(|e| e.tags.clone())
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
    if let Some(tags) = cache.fresh(&key, store.commits()) {
        return Ok(tags);
    }
    let _counting = cache.counting.lock().await;
    // Counted by whoever held the lock before?
    let commits = store.commits();
    if let Some(tags) = cache.fresh(&key, commits) {
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
