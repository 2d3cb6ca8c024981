//! The database: one `sqlx::AnyPool` over SQLite or PostgreSQL, the
//! migrations of each, and the few helpers every resource module shares
//! (ids, timestamps, cursors, write transactions).
//!
//! The SQL is written once in the dialect both databases accept (`$1`
//! parameters, `ON CONFLICT`, `RETURNING`, BIGINT flags and epoch-ms
//! timestamps); where they differ, code branches on [`Backend`].

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor};
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
    /// Reads (and, on PostgreSQL, writes).
    pool: AnyPool,
    /// SQLite's writer: one connection of its own, so a write never waits
    /// behind readers for a pooled connection (issue 10 item 13). None on
    /// PostgreSQL, where writes share `pool`.
    writer: Option<AnyPool>,
    backend: Backend,
    /// SQLite allows one writer: writes queue here (in order) instead of
    /// failing with SQLITE_BUSY or timing out on the writer's pool.
    write_lock: Option<Arc<Mutex<()>>>,
    /// What [`Store::ready`] checks besides a query.
    db_file: Option<DbFile>,
    /// passion-match's index, kept in memory per server.
    match_index: Arc<MatchIndex>,
    /// Write transactions committed through this store: what in-memory
    /// caches of query results check to know they are stale.
    commits: Arc<AtomicU64>,
    /// The tag vocabulary's counts, cached ([`crate::db::tag_counts`]).
    tag_counts: Arc<crate::db::tag_counts::TagCounts>,
}

/// The SQLite file a store opened, to notice when it is gone.
#[derive(Clone, Debug)]
struct DbFile {
    path: std::path::PathBuf,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl DbFile {
    fn open(path: &Path) -> Option<DbFile> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(not(unix))]
        let _ = meta;
        Some(DbFile {
            path: path.to_owned(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
        })
    }

    /// Whether the file is still the one opened (not removed or replaced).
    fn still_there(&self) -> Result<(), String> {
        let meta = std::fs::metadata(&self.path)
            .map_err(|e| format!("database file {}: {e}", self.path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if (meta.dev(), meta.ino()) != self.inode {
                return Err(format!(
                    "database file {} was replaced since the server opened it",
                    self.path.display()
                ));
            }
        }
        #[cfg(not(unix))]
        let _ = meta;
        Ok(())
    }
}

/// A write transaction (holding the SQLite writer lock when there is one).
///
/// It owns its connection and runs `BEGIN`/`COMMIT` itself, so that a
/// connection whose transaction did not end cleanly never goes back to the
/// pool: dropped without [`WriteTx::commit`] (a handler returned an error),
/// it is rolled back in the background and returned to the pool only when
/// the rollback succeeded, and discarded otherwise. A failed commit is
/// treated the same way and reported as the error it was, never as success.
pub struct WriteTx {
    /// The transaction's connection; use `&mut *w.tx` as the executor.
    pub tx: TxConn,
    guard: Option<OwnedMutexGuard<()>>,
    /// The store's count of commits ([`Store::commits`]).
    commits: Arc<AtomicU64>,
}

/// The connection of a [`WriteTx`] (derefs to the connection).
pub struct TxConn(Option<PoolConnection<Any>>);

impl std::ops::Deref for TxConn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        // Only `WriteTx::drop` and `commit` take the connection out, after
        // which nothing can reach it.
        self.0
            .as_deref()
            .expect("a WriteTx's connection is there until it ends")
    }
}

impl std::ops::DerefMut for TxConn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.0
            .as_deref_mut()
            .expect("a WriteTx's connection is there until it ends")
    }
}

impl WriteTx {
    async fn begin(
        mut conn: PoolConnection<Any>,
        backend: Backend,
        guard: Option<OwnedMutexGuard<()>>,
        commits: Arc<AtomicU64>,
    ) -> Result<WriteTx, sqlx::Error> {
        // IMMEDIATE: SQLite takes the write lock now rather than upgrading a
        // read lock at the first write.
        let begin = match backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        if let Err(e) = conn.execute(begin).await {
            // Whatever state it is in now, it is not worth keeping.
            conn.close_on_drop();
            return Err(e);
        }
        Ok(WriteTx {
            tx: TxConn(Some(conn)),
            guard,
            commits,
        })
    }

    /// Commits the transaction. An error means nothing was stored: the
    /// connection is then rolled back or discarded, never reused as it is.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let done = self.tx.execute("COMMIT").await;
        // Counted even when COMMIT reports an error: what it stored is
        // unknown, so caches must not trust what they read before.
        self.commits.fetch_add(1, Ordering::Release);
        done?;
        // Committed: the connection goes back to the pool as it is.
        drop(self.tx.0.take());
        Ok(())
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.tx.0.take() else {
            return;
        };
        let guard = self.guard.take();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    if let Err(e) = conn.execute("ROLLBACK").await {
                        tracing::warn!(error = %e, "rollback failed: connection discarded");
                        conn.close_on_drop();
                    }
                    // The next writer may begin once the rollback is done.
                    drop(guard);
                });
            }
            Err(_) => conn.close_on_drop(),
        }
    }
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://...`),
    /// creating the SQLite file's directory, and applies the migrations.
    ///
    /// A SQLite directory or file the server cannot write is named as the
    /// cause (rather than a pool time-out), and a new, empty database file
    /// is created with a warning in the log, never silently.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("unsupported database URL {url:?}: use sqlite://FILE or postgres://...");
        };
        let mut file = None;
        if backend == Backend::Sqlite {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or_default();
            if !path.is_empty() && !path.starts_with(':') {
                file = Some(prepare_sqlite_file(Path::new(path))?);
            }
        }
        // SQLite reads run in-process, one thread per connection: more of
        // them than cores adds no throughput and only takes CPU time from
        // the one writer (issue 10 item 13).
        let readers = match backend {
            Backend::Sqlite => {
                std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8)) as u32
            }
            Backend::Postgres => 16,
        };
        let pool = pool_options(backend, readers)
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let writer = match backend {
            Backend::Sqlite => Some(pool_options(backend, 1).connect(url).await?),
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
            writer,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            db_file: file.and_then(|f| DbFile::open(&f)),
            match_index: Arc::default(),
            commits: Arc::default(),
            tag_counts: Arc::default(),
        })
    }

    /// Whether the database answers and is still the one opened at start
    /// (`/readyz`): a query on a connection of the pool, and for SQLite
    /// whether the file is still there (an open connection keeps reading a
    /// removed file, so a query alone would say yes).
    pub async fn ready(&self) -> Result<(), String> {
        if let Some(f) = &self.db_file {
            f.still_there()?;
        }
        let pool = self.writer.as_ref().unwrap_or(&self.pool);
        let probe = async {
            sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations")
                .fetch_one(pool)
                .await
                .map(|_| ())
                .map_err(|e| format!("database: {e}"))
        };
        tokio::time::timeout(Duration::from_secs(5), probe)
            .await
            .map_err(|_| "database: no answer within 5 s".to_owned())?
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

    /// How many write transactions this store has committed (or tried to).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }

    /// The cache of the tag vocabulary's counts.
    pub fn tag_counts(&self) -> &crate::db::tag_counts::TagCounts {
        &self.tag_counts
    }

    /// Begins a write transaction. On SQLite writes queue for the one
    /// writer connection in order (the lock is taken first, then the
    /// connection, which is then always free), so readers never delay them.
    pub async fn write(&self) -> Result<WriteTx, ApiError> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let conn = self.writer.as_ref().unwrap_or(&self.pool).acquire().await?;
        Ok(WriteTx::begin(conn, self.backend, guard, self.commits.clone()).await?)
    }

    /// Closes the pool (on shutdown).
    pub async fn close(&self) {
        if let Some(w) = &self.writer {
            w.close().await;
        }
        self.pool.close().await;
    }
}

/// Pool options of either backend; SQLite connections are set up for WAL
/// with durable commits (a commit that was acknowledged survives a crash of
/// the machine, not only of the process).
fn pool_options(backend: Backend, max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        // Slow acquires are counted and summarized by `logging` instead of
        // one warning each (issue 10 item 15).
        .acquire_slow_threshold(Duration::from_millis(500))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
}

/// Makes sure the SQLite file's directory exists and the server can write
/// there, and warns when the file itself is new.
fn prepare_sqlite_file(path: &Path) -> anyhow::Result<std::path::PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the database directory {}: {e}",
            dir.display()
        )
    })?;
    // SQLite needs to create its -wal and -shm files beside the database.
    let probe = dir.join(format!(".km-write-check-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe)
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| {
            anyhow::anyhow!(
                "the database directory {} is not writable: {e}",
                dir.display()
            )
        })?;
    if path.exists() {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| {
                anyhow::anyhow!("the database file {} is not writable: {e}", path.display())
            })?;
    } else {
        tracing::warn!(
            path = %path.display(),
            "no database file there: creating a new, empty database"
        );
    }
    Ok(path.to_owned())
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
