//! The database: one `sqlx::AnyPool` over SQLite or PostgreSQL, the
//! migrations of each, and the few helpers every resource module shares
//! (ids, timestamps, cursors, write transactions).
//!
//! The SQL is written once in the dialect both databases accept (`$1`
//! parameters, `ON CONFLICT`, `RETURNING`, BIGINT flags and epoch-ms
//! timestamps); where they differ, code branches on [`Backend`].

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::ApiError;
use crate::match_index::MatchIndex;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The shared database handle (cheap to clone).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer: writes queue here instead of failing with
    /// SQLITE_BUSY when two deferred transactions upgrade at once.
    write_lock: Option<Arc<Mutex<()>>>,
    /// passion-match's index, kept in memory per server.
    match_index: Arc<MatchIndex>,
}

/// A write transaction (holding the SQLite writer lock when there is one).
pub struct WriteTx {
    /// The open transaction; use `&mut *w.tx` as the executor.
    pub tx: Transaction<'static, Any>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits the transaction (dropping it without commit rolls back).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://...`),
    /// creating the SQLite file's directory, and applies the migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("unsupported database URL {url:?}: use sqlite://FILE or postgres://...");
        };
        if backend == Backend::Sqlite {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or_default();
            if let Some(dir) = Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)?;
            }
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Store {
            pool,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            match_index: Arc::default(),
        })
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// passion-match's in-memory index of this server.
    pub fn match_index(&self) -> &MatchIndex {
        &self.match_index
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a write transaction.
    ///
    /// On SQLite it begins `IMMEDIATE`, taking the database's write lock
    /// at once: a transaction dropped without commit releases the
    /// in-process lock before its connection has rolled back, and a
    /// deferred transaction that read first and then writes would get
    /// `database is locked` at once (SQLite does not wait there, to avoid a
    /// deadlock), where `BEGIN IMMEDIATE` waits (`busy_timeout`).
    pub async fn write(&self) -> Result<WriteTx, ApiError> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _guard: guard })
    }

    /// Closes the pool (on shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Now, in Unix epoch milliseconds.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// A new time-ordered id (UUIDv7).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// An epoch-ms timestamp as RFC 3339 UTC (`2026-11-22T19:47:07.123Z`).
pub fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A 0/1 flag column as bool.
pub fn flag(v: i64) -> bool {
    v != 0
}

/// An opaque keyset cursor: the sort key and id of the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The last row's sort key, as text.
    pub key: String,
    /// The last row's id (the tie-breaker).
    pub id: String,
}

impl Cursor {
    /// Encodes the cursor for `next_cursor`.
    pub fn encode(key: impl ToString, id: &str) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}\n{}", key.to_string(), id))
    }

    /// Decodes a `cursor` query parameter (a 400 when it is not ours).
    pub fn decode(s: &str) -> Result<Cursor, ApiError> {
        let bad = || ApiError::BadRequest("invalid cursor".into());
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let (key, id) = text.split_once('\n').ok_or_else(bad)?;
        Ok(Cursor {
            key: key.to_owned(),
            id: id.to_owned(),
        })
    }

    /// Decodes an optional cursor whose key is a number.
    pub fn decode_i64(s: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
        match s {
            None | Some("") => Ok(None),
            Some(s) => {
                let c = Cursor::decode(s)?;
                let k = c
                    .key
                    .parse::<i64>()
                    .map_err(|_| ApiError::BadRequest("invalid cursor".into()))?;
                Ok(Some((k, c.id)))
            }
        }
    }
}

/// `$n, $n+1, ...` placeholders for an `IN (...)` list of `count` values.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor::encode(1_700_000_000_000i64, "0191-abc");
        assert_eq!(
            Cursor::decode_i64(Some(&c)).unwrap(),
            Some((1_700_000_000_000, "0191-abc".to_owned()))
        );
        assert!(Cursor::decode("not base64!").is_err());
        assert!(Cursor::decode_i64(Some(&Cursor::encode("x", "1"))).is_err());
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_500), "1970-01-01T00:00:01.5Z");
    }
}
